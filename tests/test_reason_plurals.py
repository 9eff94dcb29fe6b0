"""English reasons count one alone in the singular — "1 point lost", "rounded to 1 place",
"1 percentage point" — and anything else in the plural, as render's words do (lang.counted)."""

from __future__ import annotations

from decimal import Decimal

import pingfen
from pingfen.lang import counted
from pingfen.reasons import Reason, Site


def test_counted() -> None:
    assert [counted(n, "point") for n in ("1", "0", "2", "0.5", "1.0", "11")] == [
        "1 point", "0 points", "2 points", "0.5 points", "1.0 points", "11 points",
    ]  # fmt: skip


def test_a_loss_of_one_point_past_the_max() -> None:
    site = Site("clamped_low", {"max": Decimal("0.5")}, ("start", "lost"))
    assert Reason(site, (Decimal("0.5"), Decimal(1))).text("en") == "1 point lost in all, more than the max 0.5: scored 0 (扣完为止)"
    assert Reason(site, (Decimal("0.5"), Decimal(2))).text("en") == "2 points lost in all, more than the max 0.5: scored 0 (扣完为止)"


RUBRIC = """rubric "单复数" { total 10 }
input 率: percent
input 分: score <= 5
indicator 执行 5 {
  round 1
  score = 分
}
indicator 控制 5 {
  deduct 1 per 1pp of 率 above 100%
}
"""


def test_one_place_and_one_percentage_point() -> None:
    rubric = pingfen.loads(RUBRIC, "r.rule", tests=False)
    result = rubric.evaluate({"率": "101%", "分": Decimal("3.25")}, lang="en")
    said = result["执行"].reasons_in("en") + result["控制"].reasons_in("en")
    assert "3.25 rounded to 1 place: 3.3" in said, said
    assert any("1 percentage point " in s or s.endswith("1 percentage point") for s in said), said
    assert not any("1 places" in s or "1 percentage points" in s for s in said), said

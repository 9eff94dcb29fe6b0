"""Points as a unit (issue 10 item 7): in a score's formula a ratio times points is points,
a 100-point sub-scale is weighted into a row by a percent, and PF204's hint inside a
formula leads to a file that checks clean (never to a PF408)."""

from __future__ import annotations

from decimal import Decimal

from pingfen.loader import diagnose, loads

PRICE = """rubric "价格分" { total 30 }
input 报价: amount > 0
input 基准价: amount > 0
indicator 价格分 30 {
  score = min(基准价 / 报价 * 30, 30)
}
"""


def _codes(text: str) -> list[str]:
    return [d.code for d in diagnose(text)]


def test_a_ratio_times_points_is_points() -> None:
    assert _codes(PRICE) == []
    rubric = loads(PRICE)
    result = rubric.evaluate({"报价": 100, "基准价": 90})
    assert result["价格分"].score == Decimal("27")
    assert result["价格分"].reasons == ["按 min(基准价 / 报价 * 30, 30) 计得 27 分（满分 30）"]
    walked = rubric.walker().evaluate(rubric.coerce({"报价": 100, "基准价": 90}))
    assert walked["价格分"].score == result["价格分"].score


def test_a_ratio_stays_a_ratio_outside_a_score() -> None:
    # `率 * 1` in a let compared with a percent is still a percent: only a score counts points
    text = """rubric "t" { total 5 }
input 率: percent >= 0% and <= 100%
let 调整率 = 率 * 1
indicator A 5 { bands 调整率 { >= 90% -> 5
  else -> 0 } }
"""
    assert _codes(text) == []


def test_a_sub_scale_is_weighted_into_a_row() -> None:
    text = """rubric "t" { total 30 }
input 满意度得分: number >= 0 and <= 100 "满意度调查（百分制）"
indicator 满意度 30 { score = 满意度得分 * 30% }
"""
    assert _codes(text) == []
    result = loads(text).evaluate({"满意度得分": 85})
    assert result["满意度"].score == Decimal("25.5")


def test_pf204_hint_in_a_formula_leads_to_a_clean_file() -> None:
    bad = """rubric "t" { total 30 }
input 率: percent >= 0% and <= 100%
indicator 价格分 30 { score = min(率, 30) }
"""
    [found] = [d for d in diagnose(bad) if d.severity == "error"]
    assert found.code == "PF204"
    hint = found.render("en").splitlines()[-1]
    assert "`… * 30`" in hint and "3000%" not in hint and "30%" not in hint
    # following it: the percent times the points it is worth
    fixed = bad.replace("min(率, 30)", "min(率 * 30, 30)")
    assert _codes(fixed) == []
    # the hint of old (`30%`) gives a score that can never reach full marks
    assert "PF408" in _codes(bad.replace("min(率, 30)", "min(率, 30%)"))


def test_a_comparison_inside_a_formula_keeps_the_percent_hint() -> None:
    bad = """rubric "t" { total 10 }
input 率: percent >= 0% and <= 100%
indicator A 10 { score = if 率 >= 90 then 10 else 5 }
"""
    [found] = [d for d in diagnose(bad) if d.severity == "error"]
    assert found.code == "PF204" and "`90%`" in found.render("en")

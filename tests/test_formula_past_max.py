"""A formula that gives more than its indicator's max, brought back by deductions after it:
found by the random-rubric structure property (dev profile, seed 707). The record scored full
marks with only "扣 5 分" for a reason, which reads as points lost from a full score; the
formula's own value (5.5 of 0.5) is now said before the deduction, on both evaluators."""

from __future__ import annotations

from decimal import Decimal

import pingfen
from oracle_check import both

RUBRIC = """\
rubric "公式" { total 1.5 }
input 人数: number
input 减数: number
input 启用: bool
indicator 指标 0.5 {
  score = 人数 - (4.5 + 减数) if 启用
  deduct 0.5 per 1 of 人数 above 0
}
indicator 其他 1 { score = 减数 + 1 }
"""


def test_a_formula_past_the_max_is_said_before_what_brings_it_back() -> None:
    rubric = pingfen.loads(RUBRIC, "f.rule")
    result = both(rubric, {"人数": 10, "减数": 0, "启用": True})
    node = result["指标"]
    assert node.score == node.max == Decimal("0.5") and node.clamped is None
    said = node.reasons_in("zh")
    assert said[0] == "按 人数 - (4.5 + 减数) 计得 5.5 分（满分 0.5）"
    assert len(said) == 2 and said[1].endswith("每 1 扣 0.5 分，扣 5 分")
    assert node.reasons_in("en")[0] == "人数 - (4.5 + 减数) gives 5.5 of 0.5"


def test_a_formula_past_the_max_and_clamped_says_both() -> None:
    rubric = pingfen.loads(RUBRIC, "f.rule")
    node = both(rubric, {"人数": 0, "减数": 2, "启用": True})["其他"]
    assert node.score == 1 and node.clamped == "high"
    assert node.reasons_in("zh")[0] == "按 减数 + 1 计得 3 分（满分 1）"


def test_a_formula_at_the_max_says_nothing() -> None:
    rubric = pingfen.loads(RUBRIC, "f.rule")
    node = both(rubric, {"人数": 0, "减数": 0, "启用": True})["其他"]
    assert node.score == 1 and node.reasons == []

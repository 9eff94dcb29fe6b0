"""Where a rounding is worked out outside the evaluators, it is the language's too (values.rounded,
settled first): an example's `~=` expectation, and `pingfen audit`'s sum of a group that says
`round N` (which the audit used to add up unrounded)."""

from __future__ import annotations

from decimal import Decimal

import pingfen
from pingfen.audit import audit
from pingfen.testrun import run_examples

PRICE = """rubric "价格分" {
  total 30
}
input 报价: amount > 0
indicator 价格分 30 {
  score = min(5 / 报价, 100%) * 30
}
example "恰是 6.25" { given { 报价: 24 } expect 价格分 ~= 6.3 }
example "不是 6.3" { given { 报价: 24 } expect 价格分 ~= 6.2 }
"""


def test_an_approximate_expectation_rounds_a_tie_through_a_quotient_as_the_tie() -> None:
    """5 ÷ 24 × 30 is carried as 6.2499…: ≈ 6.3 holds, as 四舍五入 of 6.25 is 6.3; ≈ 6.2 does not."""
    found = run_examples(pingfen.loads(PRICE))
    assert [r.example.name for r in found.failed] == ["不是 6.3"], [r.example.name for r in found.failed]


GROUPED = """rubric "产出" {
  total 10
}
input 甲分: amount
group 产出 10 {
  round 1
  indicator 甲 4 {
    score = 甲分
  }
  indicator 乙 6 {
    score = 0
  }
}
"""


def test_the_audit_adds_a_group_up_as_its_round_n_scores_it() -> None:
    rubric = pingfen.loads(GROUPED)
    assert rubric.evaluate({"甲分": Decimal("3.25")}).score("产出") == Decimal("3.3")
    declared = {"产出": Decimal("3.3"), "甲": Decimal("3.25"), "乙": Decimal(0), "total": Decimal("3.3")}
    assert [f for f in audit(rubric, declared, {"甲分": Decimal("3.25")}).findings if f.kind == "sum"] == []
    declared["产出"] = Decimal("3.25")  # the parts' sum unrounded: not what the group scores
    sums = [f for f in audit(rubric, declared, {"甲分": Decimal("3.25")}).findings if f.kind == "sum"]
    assert [(f.name, f.expected) for f in sums] == [("产出", Decimal("3.3"))], sums

"""A deduction per step whose reference the rule writes (`above 100%`, or none: `per 例数`)
keeps it among its site's facts, worded once, not among each record's numbers (issue 11); a
reference that is a name (`above 基准`) is still the record's. Either way each reason says what
the walker's says, and its Reason equals the walker's."""

from __future__ import annotations

from decimal import Decimal

import pingfen
from pingfen.reasons import Site

RUBRIC = pingfen.loads("""rubric "扣" { total 9 }
input 率: percent
input 例数: count
input 值: number
input 基准: number
group 组 9 {
  indicator 低 3 { deduct 0.2 per 1pp of 率 below 95% counting whole }
  indicator 数 3 { deduct 1.5 per 例数 }
  indicator 差 3 { deduct 0.25 per 0.5 of 值 above 基准 }
}
""")
RECORD = {"率": Decimal("0.8"), "例数": 1, "值": Decimal(3), "基准": Decimal(1)}


def test_a_written_reference_is_the_site_s_and_a_named_one_the_record_s() -> None:
    result = RUBRIC.evaluate(RECORD)
    sites: dict[str, Site] = {n.name: n.explanations[0].site for n in result.nodes() if n.explanations}
    assert sites["低"].facts["reference"] == Decimal("0.95") and "reference" not in sites["低"].fields
    assert sites["数"].facts["reference"] is None and "reference" not in sites["数"].fields
    assert "reference" in sites["差"].fields and "reference" not in sites["差"].facts
    assert len(result["低"].explanations[0].numbers) == 4 and len(result["差"].explanations[0].numbers) == 5


def test_each_reason_is_the_walker_s() -> None:
    result = RUBRIC.evaluate(RECORD)
    walked = RUBRIC.walker().evaluate(RUBRIC.coerce(RECORD))
    for node, other in zip(result.nodes(), walked.nodes(), strict=True):
        assert node.explanations == other.explanations
        assert node.reasons_in("zh") == other.reasons_in("zh") and node.reasons_in("en") == other.reasons_in("en")
    assert result["低"].reasons == ["率 80% 低于 95% 15 个百分点，每个百分点扣 0.2 分，扣 3 分（按整步计，计 15 步）"]
    assert result["数"].reasons == ["例数为 1，每项扣 1.5 分，扣 1.5 分"]
    assert result["差"].reasons == ["值 3 超过 1 2，每 0.5 扣 0.25 分，扣 1 分"]

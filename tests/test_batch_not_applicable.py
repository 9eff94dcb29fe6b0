"""A value across the batch (`let 基准 = batch mean(报价)`) leaves out a record that marks an
input it reads 不适用 or leaves it out, as it leaves out one whose input is invalid: found
by the oracle test's random rubrics, where a mean over such a record raised TypeError."""

from __future__ import annotations

from decimal import Decimal

import pingfen

RULE = """rubric "批" { total 10 }
input 报价: amount > 0
let 基准 = batch mean(报价)
group 评审 10 {
  indicator 价格分 10 {
    applies else full
    score = min(基准 / 报价, 100%) * 10
  }
}
"""


def test_a_record_marking_the_input_not_applicable_is_left_out_of_the_mean() -> None:
    rubric = pingfen.loads(RULE)
    rows = [{"报价": Decimal(80)}, {"报价": "不适用"}, {"报价": Decimal(120)}, {}]
    values = rubric.batch_values(rows)
    assert [v.get("基准") for v in values] == [Decimal(100)] * 4
    results = list(rubric.evaluate_many(rows))
    assert [str(r.total) for r in results if isinstance(r, pingfen.Result)][:3] == ["10.00", "10.00", "8.33"]


def test_a_batch_of_records_all_not_applicable_has_no_value() -> None:
    rubric = pingfen.loads(RULE)
    assert rubric.batch_values([{"报价": "不适用"}]) == [{}]
    (result,) = rubric.evaluate_many([{"报价": "不适用", "基准": Decimal(90)}])
    assert isinstance(result, pingfen.Result) and str(result.total) == "10.00" and not result.applies("价格分")

"""Two faults the oracle test found with hypothesis's `dev` profile (seed 404), each held here:

1. a value across the batch (`let 最少 = batch min(人数)`) given by the record itself was
   read by the compiled scorer by its declared kind (a number) and by `coerce` by its
   expression's (a minimum of amounts is an amount, never negative): -1 scored on one and
   was refused on the other;
2. a batch over an input that a record marks 不适用 (an optional input) added the `Absent`
   marker to the batch's values: `evaluate_many` and `pingfen eval` of a file raised a
   TypeError (an internal error) instead of scoring the batch over the records that give one."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main

GIVEN = """\
rubric "b" { total 10 }
input 人数: amount > 0
let 最少 = batch min(人数)
indicator 甲 10 { score = min(最少 / 人数, 100%) * 10 }
"""

OPTIONAL = """\
rubric "报价" { total 10 }
input 报价: amount > 0
input 完成率: percent >= 0 and <= 100%
let 平均报价 = batch mean(报价)
indicator 价格分 5 {
  applies else full
  score = min(平均报价 / 报价, 100%) * 5
}
indicator 完成 5 { score = 完成率 * 5 }
"""


@pytest.mark.parametrize("given", [Decimal(-1), -1, "-1"])
def test_a_batch_value_given_by_the_record_is_of_its_expressions_kind(given: object) -> None:
    rubric = pingfen.loads(GIVEN, "b.rule")
    record = {"人数": Decimal("0.01"), "最少": given}
    for score in (rubric.evaluate, rubric.coerce, lambda r: rubric.walker().evaluate(rubric.coerce(r))):
        with pytest.raises(pingfen.DataError) as refused:
            score(record)
        assert [(p.code, p.input) for p in refused.value.problems] == [("PF503", "最少")]
    assert rubric.evaluate({"人数": Decimal(4), "最少": Decimal(2)}).total == Decimal(5)


ROWS = [{"报价": 80, "完成率": "90%"}, {"报价": "不适用", "完成率": "100%"}, {"报价": 125, "完成率": "50%"}]


def test_a_batch_leaves_out_a_record_that_marks_its_input_not_applicable() -> None:
    rubric = pingfen.loads(OPTIONAL, "o.rule")
    assert rubric.batch_values(ROWS) == [{"平均报价": Decimal("102.5")}] * 3  # the mean of 80 and 125
    first, second, third = rubric.evaluate_many(ROWS)
    assert isinstance(first, pingfen.Result) and isinstance(second, pingfen.Result) and isinstance(third, pingfen.Result)
    assert (first.total, first["价格分"].score) == (Decimal("9.50"), Decimal(5))
    assert (second.total, second["价格分"].applies) == (Decimal("10.00"), False)  # 不适用的按满分计算
    assert (third["价格分"].score, third.total) == (Decimal("4.1"), Decimal("6.60"))  # 102.5 / 125 × 5


def test_a_batch_of_records_all_not_applicable_has_no_value() -> None:
    rubric = pingfen.loads(OPTIONAL, "o.rule")
    assert rubric.batch_values([{"报价": "不适用", "完成率": "90%"}]) == [{}]
    (result,) = rubric.evaluate_many([{"报价": "不适用", "完成率": "90%", "平均报价": Decimal(90)}])
    assert isinstance(result, pingfen.Result) and str(result.total) == "9.50" and not result.applies("价格分")


def test_pingfen_eval_scores_such_a_file(tmp_path: Path) -> None:
    (tmp_path / "o.rule").write_text(OPTIONAL, encoding="utf-8")
    (tmp_path / "rows.csv").write_text("id,报价,完成率\nA,80,90%\nB,不适用,100%\nC,125,50%\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["eval", str(tmp_path / "o.rule"), str(tmp_path / "rows.csv"), "-o", str(tmp_path / "out.csv")], out, err)
    assert code == 0, err.getvalue()
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 4 and "Traceback" not in err.getvalue()
    assert lines[3].startswith("C,") and ",4.1," in lines[3] + ","

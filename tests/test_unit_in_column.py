"""A column headed with its unit after the input's name, as tables head them (`投入(%)`,
`结余（万元）`): the record was refused "缺少输入项 `投入`" with no hint, a short name being too
far from the column for difflib. Now the column is suggested, as a misspelling is."""

from __future__ import annotations

import pytest

import pingfen

RULE = """rubric "t" { total 10 }
input 投入: percent
input 结余: amount
indicator 甲 5 { bands 投入 { >= 90% -> 5  else -> 0 } }
indicator 乙 5 { bands 结余 { <= 1 -> 5  else -> 0 } }
"""


@pytest.mark.parametrize("column", ["投入(%)", "投入（%）", "投入 (%)", "投入【%】"])
def test_the_column_with_a_unit_is_suggested(column: str) -> None:
    with pytest.raises(pingfen.DataError) as refused:
        pingfen.loads(RULE).evaluate({column: "95%", "结余（万元）": 0})
    first, second = refused.value.problems
    assert (first.code, first.input) == ("PF501", "投入")
    assert first.help("zh") == f"数据中有 `{column}`，是否拼写有误？"
    assert second.help("en") == "the data has `结余（万元）`: is it misspelt?"


def test_a_name_that_goes_on_after_the_brackets_is_not() -> None:
    with pytest.raises(pingfen.DataError) as refused:
        pingfen.loads(RULE).evaluate({"投入(%)合计": "95%", "结余": 0})
    (problem,) = refused.value.problems
    assert problem.help("zh") is None

"""A row that may not apply (`applies … else full`) reads an input a record may mark 不适用; a
unit that wrote 不涉及 or ／ there got PF502 "不是百分比" and no word that 不适用 was what it
could write. Now the problem's help says so, on a batch's error line too."""

from __future__ import annotations

import pytest

import pingfen
from pingfen.errors import DataError

RULE = """rubric "t" { total 10 }
input 资金到位率: percent >= 0 and <= 100%
input 满意度: percent >= 0 and <= 100%
group 项目管理 10 {
  indicator 资金到位率 6 {
    applies else full
    bands 资金到位率 {
      >= 90% -> 6
      else   -> 3
    }
  }
  indicator 满意度 4 {
    bands 满意度 {
      >= 90% -> 4
      else   -> 0
    }
  }
}
"""


def test_an_input_that_may_be_marked_na_says_so() -> None:
    rubric = pingfen.loads(RULE)
    with pytest.raises(DataError) as caught:
        rubric.evaluate({"资金到位率": "不涉及", "满意度": "95%"})
    (problem,) = caught.value.problems
    assert problem.code == "PF502"
    assert problem.help("zh") == "如该项不适用，请填写“不适用”、N/A 或“无此项”"
    assert problem.help("en") == "if it does not apply, write N/A, 不适用 or 无此项"
    assert problem.brief("zh").endswith("不是百分比（如该项不适用，请填写“不适用”、N/A 或“无此项”）")


def test_an_input_every_record_must_give_does_not() -> None:
    rubric = pingfen.loads(RULE)
    with pytest.raises(DataError) as caught:
        rubric.evaluate({"资金到位率": "95%", "满意度": "不涉及"})
    (problem,) = caught.value.problems
    assert (problem.code, problem.help("zh")) == ("PF502", None)


def test_na_itself_is_still_read() -> None:
    result = pingfen.loads(RULE).evaluate({"资金到位率": "不适用", "满意度": "95%"})
    assert result.total == 10

"""A total re-scaled because a top-level row does not apply (`applies … else rescale`) says so:
the sum of the rows that apply, their maxima and the rubric's total, as a reason of the
total, in both evaluators, in JSON and in every report that shows reasons."""

from __future__ import annotations

import json
import pickle
from decimal import Decimal

import pingfen
from oracle_check import both
from pingfen.report.html import render_html
from pingfen.report.markdown import render_markdown
from pingfen.report.table import render_table

RUBRIC = """
rubric "折算" {
  total 70
}

input 有项目: bool
input 甲: percent >= 0 and <= 100%

indicator 一 30 {
  bands 甲 {
    >= 90% -> 30
    else   -> 23
  }
}

indicator 二 20 {
  applies if 有项目 else rescale
  award 20 if 有项目
}

indicator 三 20 {
  award 20 if 甲 >= 0%
}
"""

ZH = "有不适用的项，折算：得分 43 ÷ 适用分值 50 × 70"
EN = "re-scaled over the rows that apply: 43 ÷ 50 × 70"


def test_the_total_says_it_was_rescaled() -> None:
    rubric = pingfen.loads(RUBRIC)
    result = both(rubric, {"有项目": False, "甲": "50%"})
    assert result.total == Decimal("60.20")  # 43 ÷ 50 × 70
    assert result.reasons_in("zh") == [ZH]
    assert result.reasons_in("en") == [EN]
    (reason,) = result.explanations
    assert reason.params["raw"] == 43 and reason.params["applicable"] == 50 and reason.params["max"] == 70
    assert json.loads(result.to_json())["reasons"] == [ZH]
    assert json.loads(result.to_json("en"))["reasons"] == [EN]
    assert pickle.loads(pickle.dumps(result)).reasons_in("zh") == [ZH]
    for render in (render_table, render_markdown, render_html):
        assert ZH in render(result, "zh") and "总分折算" in render(result, "zh")
        assert EN in render(result, "en")


def test_no_reason_when_every_row_applies() -> None:
    rubric = pingfen.loads(RUBRIC)
    result = both(rubric, {"有项目": True, "甲": "95%"})
    assert result.reasons_in("zh") == [] and result.explanations == ()
    assert "reasons" not in result.to_dict()
    assert "总分折算" not in render_table(result)


def test_a_group_rescaled_inside_is_not_the_total() -> None:
    """A group re-scaled (its own reason) leaves the total's sum whole: no reason on the total."""
    rubric = pingfen.loads(RUBRIC.replace("total 70", "total 70").replace(
        "indicator 二 20 {", "group 组 20 {\nindicator 二 10 {").replace(
        "  award 20 if 有项目\n}", "  award 10 if 有项目\n}\nindicator 四 10 { award 10 if 有项目 }\n}"))
    result = both(rubric, {"有项目": False, "甲": "50%"})
    assert result.reasons_in("zh") == []
    assert result["组"].reasons_in("zh") == ["有不适用的项，折算：得分 0 ÷ 适用分值 10 × 20"]

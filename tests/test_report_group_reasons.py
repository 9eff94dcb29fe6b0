"""A group's own reasons are shown in every report, as an indicator's are (reviewer's defect:
项目管理 showed 得分 5 under rows of 不适用 and 3, and its reason — 有不适用的项，折算：得分 3 ÷
适用分值 6 × 10 — was in `--format json` alone). Each is named by its group and stands in the
扣分原因 cell of the group's last row, after that row's own: a group is worked out from its rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import pingfen
from pingfen.report import render_table, write_report
from pingfen.report.html import render_html
from pingfen.report.layout import grid, row_reasons
from pingfen.report.markdown import render_markdown

RESCALED = """rubric "折算" {
  total 20
}
input 有项目: bool
input 资金到位率: percent >= 0 and <= 100%
input 制度健全: bool
group 项目管理 10 {
  indicator 项目完成率 4 {
    applies if 有项目 else rescale
    award 4 if 有项目
  }
  indicator 资金到位率 6 {
    bands 资金到位率 {
      >= 90% -> 6
      else   -> 3
    }
  }
}
indicator 制度健全性 10 {
  award 10 if 制度健全
}
"""
RECORD = {"有项目": False, "资金到位率": "80%", "制度健全": True}
WHY = "项目管理：有不适用的项，折算：得分 3 ÷ 适用分值 6 × 10"
OWN = "资金到位率 80% 属于其他档，得 3 分（满分 6）"

# Nested groups, each rounding its sum: the inner one's reason first, then the outer one's.
NESTED = """rubric "取整" {
  total 10
}
input a: percent >= 0% and <= 100%
input b: percent >= 0% and <= 100%
group 外 10 {
  round 0
  group 内 10 {
    round 1
    indicator A 5 { score = a * 5 }
    indicator B 5 { score = b * 5 }
  }
}
"""


@pytest.fixture(scope="module")
def result() -> pingfen.Result:
    return pingfen.loads(RESCALED).evaluate(RECORD)


def test_the_group_reason_is_the_results(result: pingfen.Result) -> None:
    assert result["项目管理"].reasons_in("zh") == [WHY.removeprefix("项目管理：")]


def test_the_last_row_of_a_group_carries_its_reasons(result: pingfen.Result) -> None:
    rows = grid(result.children)
    assert [[g.name for g in r.closes] for r in rows] == [[], ["项目管理"], []]
    assert row_reasons(rows[1], "zh") == [OWN, WHY]
    assert row_reasons(rows[1], "en")[-1] == "项目管理: re-scaled over the rows that apply: 3 ÷ 6 × 10"


def test_nested_groups_innermost_first() -> None:
    result = pingfen.loads(NESTED).evaluate({"a": "91%", "b": "80%"})  # 4.55 + 4 = 8.55
    (last,) = [r for r in grid(result.children) if r.closes]
    assert [g.name for g in last.closes] == ["内", "外"]
    assert row_reasons(last, "zh") == ["按 b * 5 计得 4 分（满分 5）", "内：得分 8.55 保留 1 位小数，计 8.6 分",
                                       "外：得分 8.6 保留 0 位小数，计 9 分"]  # fmt: skip
    table = render_table(result)
    assert table.index("内：") < table.index("外：")


def test_text_reports_show_it(result: pingfen.Result) -> None:
    assert f"| {OWN}<br>{WHY} |" in render_markdown(result)
    assert f"<li>{OWN}</li><li>{WHY}</li>" in render_html(result)
    lines = render_table(result).splitlines()
    at = next(i for i, line in enumerate(lines) if OWN in line)
    assert lines[at + 1].strip() == WHY  # on a line of its own, under the row's reason


def test_terminal_table_fills_an_empty_reason_cell() -> None:
    result = pingfen.loads(RESCALED).evaluate(RECORD | {"资金到位率": "95%"})  # 资金到位率 loses nothing
    (line,) = [line for line in render_table(result).splitlines() if "资金到位率" in line]
    assert line.endswith("项目管理：有不适用的项，折算：得分 6 ÷ 适用分值 6 × 10")


def test_a_group_that_does_not_apply_says_why() -> None:
    rubric = pingfen.loads(
        'rubric "x" { total 10 }\ninput 有项目: bool\ninput a: score\n'
        "group 甲 5 { indicator 子 5 { judgment a } }\n"
        "group 乙 5 { applies if 有项目 else full\n indicator 丑 5 { judgment a } }"
    )
    result = rubric.evaluate({"有项目": False, "a": 4})
    page = render_markdown(result)
    assert "| 丑 | 5 | 不适用 | 乙：不适用：“有项目”不成立，按满分计算 |" in page


def test_workbook_and_document_show_it(result: pingfen.Result, tmp_path: Path) -> None:
    book = tmp_path / "r.xlsx"
    write_report(result, "xlsx", book)
    cells = [c for row in openpyxl.load_workbook(book).active.iter_rows(values_only=True) for c in row]
    assert f"{OWN}\n{WHY}" in cells
    import docx

    document = tmp_path / "r.docx"
    write_report(result, "docx", document)
    texts = [cell.text for row in docx.Document(str(document)).tables[0].rows for cell in row.cells]
    assert f"{OWN}\n{WHY}" in texts

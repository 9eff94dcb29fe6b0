"""Auditing a workbook: each row's name is the deepest one in its name columns, and a row
with a declared score whose name is not the rubric's is refused (PF513), never dropped nor
given to the group named beside it."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pingfen.cli import main
from pingfen.io.filled import GRADE_NAMES, TOTAL_NAMES

RUBRIC2 = """rubric "审计2" {
  total 20
  grade 优秀 >= 18
  grade 差   otherwise
}
input 执行率: percent >= 0
input 评价: score
input 制度评价: score
group 投入 10 {
  indicator 制度 5 { judgment 制度评价 }
  indicator 执行率指标 5 {
    bands 执行率 {
      >= 90% -> 5
      else   -> 0
    }
  }
}
group 产出 10 {
  indicator 评价 10 { judgment }
}
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def annex(path: Path, first: str, second: str, *, merged: bool = True) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["一级指标", "二级指标", "分值", "评分标准", "自评得分"])
    sheet.append(["投入", first, 5, "酌情", 5])
    sheet.append([None if merged else "投入", second, 5, "执行率≥90%，计5分", 5])
    sheet.append(["产出", "评价", 10, "酌情", 9])
    sheet.append(["总分", None, 20, None, 19])
    sheet.append(["评价等次", None, None, None, "优秀"])
    if merged:
        sheet.merge_cells("A2:A3")
    book.save(path)
    return path


@pytest.mark.parametrize("merged", [True, False])
@pytest.mark.parametrize(("first", "second"), [("制度", "预算执行率"), ("预算执行率", "制度")])
def test_a_workbook_row_not_named_as_the_rubric_is_pf513(tmp_path: Path, merged: bool, first: str, second: str) -> None:
    """The sheet says 预算执行率, the rubric 执行率指标: its 5 points were dropped (the group's
    name beside it got them when on the same row); the row is named and refused, as in YAML."""
    rule = tmp_path / "r.rule"
    rule.write_text(RUBRIC2, encoding="utf-8")
    code, _, err = run("audit", "--lang", "en", str(rule), str(annex(tmp_path / "a.xlsx", first, second, merged=merged)))
    assert code == 2
    assert "error[PF513]: `预算执行率` is not a group or indicator of the rubric" in err
    assert "执行率指标" in err  # did you mean


def test_a_workbook_named_as_the_rubric_is_read_whole(tmp_path: Path) -> None:
    rule = tmp_path / "r.rule"
    rule.write_text(RUBRIC2, encoding="utf-8")
    code, out, err = run("audit", "--lang", "en", str(rule), str(annex(tmp_path / "a.xlsx", "制度", "执行率指标")))
    assert (code, err) == (0, ""), out
    assert "the declared scores agree" in out


def test_a_header_over_two_rows_names_its_levels_below(tmp_path: Path) -> None:
    """指标 merged over the level columns, 一级指标 and 二级指标 below it."""
    rule = tmp_path / "r.rule"
    rule.write_text(RUBRIC2, encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["指标", None, "分值", "自评得分"])
    sheet.append(["一级指标", "二级指标", None, None])
    sheet.append(["投入", "制度", 5, 5])
    sheet.append([None, "执行率指标", 5, 4])
    sheet.append(["产出", "评价", 10, 9])
    sheet.append(["总分", None, 20, 18])
    sheet.merge_cells("A1:B1")
    path = tmp_path / "two.xlsx"
    book.save(path)
    code, out, _ = run("audit", "--format", "json", str(rule), str(path))
    assert code == 0, out
    sheet["B4"] = "执行率"
    book.save(path)
    code, _, err = run("audit", "--lang", "en", str(rule), str(path))
    assert code == 2 and "error[PF513]: `执行率` is not a group or indicator of the rubric" in err


@pytest.mark.parametrize("name", [*TOTAL_NAMES, *GRADE_NAMES])
def test_a_node_named_as_the_total_is_that_node(tmp_path: Path, name: str) -> None:
    """An indicator 综合得分 (or 总分, 等级 …) declared 1 where its rule gives 3 was read as the
    declared total (or grade) and checked against nothing; the rubric's own name wins, in YAML and XLSX."""
    rule = tmp_path / "r.rule"
    rule.write_text(
        'rubric "别名" {\n  total 10\n  grade 好 >= 8\n  grade 差 otherwise\n}\n'
        "input 率: percent >= 0\ninput 分: score\n"
        f"group 组 10 {{\n  indicator 执行 5 {{ score = 率 * 5 }}\n  indicator {name} 5 {{ judgment 分 }}\n}}\n",
        encoding="utf-8",
    )
    filled = tmp_path / "s.yaml"
    filled.write_text(f"declared:\n  执行: 5\n  {name}: 1\ninputs:\n  率: 100%\n  分: 3\n", encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["一级指标", "二级指标", "分值", "自评得分"])
    sheet.append(["组", "执行", 5, 5])
    sheet.append([None, name, 5, 1])
    data = book.create_sheet("数据")
    data.append(["率", "分"])
    data.append(["100%", 3])
    book.save(tmp_path / "s.xlsx")
    for path in (filled, tmp_path / "s.xlsx"):
        code, out, err = run("audit", "--format", "json", str(rule), str(path))
        assert (code, err) == (1, ""), out
        found = json.loads(out, parse_float=Decimal)["findings"]
        assert [(f["kind"], f["name"], f["declared"], f["expected"]) for f in found] == [("rule", name, 1, 3)], path

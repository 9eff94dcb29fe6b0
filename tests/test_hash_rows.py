"""A batch row whose first cell starts with `#` is a comment only when it says so: `# …` (a
space after the `#`, as the data-entry template's 填写说明 row) or a `#…` cell alone on its
row. A row holding values is read — an id `#1 分厂` is scored; a spreadsheet's error value
(`#N/A`, `#DIV/0!`) in an input's cell refuses its row (PF502, said so) — on both engines.
Such rows vanished without a word, exit 0."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from duckdb_helpers import needs_duckdb
from pingfen import load
from pingfen.cli import main
from pingfen.io.tables import comment_row, read_rows
from pingfen.values import coerce, excel_error

RULE = """rubric "表头" { total 10 }
input 满意度: percent
input `数据(万元)`: amount
group 甲 10 {
  indicator 乙 5 { bands 满意度 { >= 90% -> 5  < 90% -> 0 } }
  indicator 丙 5 { score = min(`数据(万元)`, 5) }
}
"""


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(
    ("cells", "comment"),
    [
        (["# 填写说明（本行不计分） id: 单位", "百分比", "金额"], True),
        (["  # 备注", "1", "2"], True),
        (["#", "95%", "3"], True),
        (["#备注", "", ""], True),
        (["#备注"], True),
        (["#1 分厂", "95%", "3"], False),
        (["#N/A", "3", "甲"], False),
        (["#DIV/0!", "", "甲"], False),
        (["项目#2", "95%", "3"], False),
        ([5, "95%", "3"], False),
    ],
)
def test_which_rows_are_comments(cells: list[object], comment: bool) -> None:
    assert comment_row(cells) is comment


@pytest.mark.parametrize("text", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", " #n/a ", "#SPILL!"])
def test_a_spreadsheet_error_is_pf502_whatever_the_type(text: str) -> None:
    assert excel_error(text)
    for kind in ("percent", "amount", "count", "bool", "date", "label"):
        problem = coerce("x", kind, text, ("是",))
        assert not isinstance(problem, (bool, str)) and problem.code == "PF502" and problem.hint == "excel_error"
        assert "电子表格错误值" in problem.message("zh") and "spreadsheet error value" in problem.message("en")
        assert "#N/A" in (problem.help("zh") or "")


@pytest.mark.parametrize("text", ["#1 分厂", "#", "#备注", "N/A", "项目#2"])
def test_other_text_is_no_spreadsheet_error(text: str) -> None:
    assert not excel_error(text)


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    rule, first, ids = tmp_path / "h.rule", tmp_path / "hash2.csv", tmp_path / "hash.csv"
    rule.write_text(RULE, encoding="utf-8")
    first.write_text("满意度,数据(万元),id\n#N/A,3,甲\n95%,2,乙\n", encoding="utf-8")
    ids.write_text("单位,满意度,数据(万元)\n#1 分厂,95%,3\n#2 分厂,80%,2\n三分厂,85%,4\n# 注释,1,2\n#备注,,\n", encoding="utf-8")
    return rule, first, ids


def test_an_excel_error_in_the_first_column_refuses_its_row(tmp_path: Path) -> None:
    rule, first, _ = _files(tmp_path)
    code, out, err = _run(["eval", str(rule), str(first)])
    assert code == 1
    assert out.splitlines()[1].startswith("甲,,,,,") and "PF502" in out and "电子表格错误值" in out
    assert "1 行无法评分" in err


def test_an_id_starting_with_a_hash_is_scored(tmp_path: Path) -> None:
    rule, _, ids = _files(tmp_path)
    code, out, _ = _run(["eval", str(rule), str(ids), "--id-column", "单位"])
    assert code == 0
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["#1 分厂", "#2 分厂", "三分厂"]
    assert [r.id for r in read_rows(ids, id_column="单位")] == ["#1 分厂", "#2 分厂", "三分厂"]


def test_a_sheet_with_error_cells_and_hash_ids(tmp_path: Path) -> None:
    from openpyxl import Workbook

    rule, _, _ = _files(tmp_path)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["满意度", "数据(万元)", "id"], ["#DIV/0!", 3, "甲"], ["95%", 2, "乙"], ["#1 分厂", 3, "丙"]):
        sheet.append(row)
    assert sheet["A2"].data_type == "e"  # a real error cell, as Excel saves one
    data = tmp_path / "hash.xlsx"
    book.save(data)
    code, out, _ = _run(["eval", str(rule), str(data)])
    assert code == 1
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["甲", "乙", "丙"]
    assert '""#DIV/0!""（电子表格错误值）' in out


def test_the_template_question_row_is_still_skipped(tmp_path: Path) -> None:
    rule, _, _ = _files(tmp_path)
    for suffix in ("csv", "xlsx"):
        data = tmp_path / f"填报.{suffix}"
        assert _run(["template", str(rule), "-o", str(data)])[0] == 0
        assert [r.id for r in read_rows(data)] == []
        if suffix == "csv":
            with data.open("a", encoding="utf-8", newline="") as f:
                csv.writer(f).writerow(["#3 分厂", "95%", "3"])
            assert [r.id for r in read_rows(data)] == ["#3 分厂"]
    assert load(rule).evaluate({"满意度": "95%", "数据(万元)": 3}).total == 8


@needs_duckdb
def test_both_engines_read_the_same_rows(tmp_path: Path) -> None:
    rule, first, ids = _files(tmp_path)
    for data, id_python in ((first, "编号"), (ids, "编号")):
        duck, python = tmp_path / "duck.csv", tmp_path / "python.csv"
        if data == ids:  # the DuckDB engine takes the id from a column `id`
            data = tmp_path / "ids.csv"
            data.write_text(ids.read_text(encoding="utf-8").replace("单位,", "id,", 1), encoding="utf-8")
        _run(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(duck)])
        _run(["eval", str(rule), str(data), "-o", str(python)])
        ducked = [(r["id"], r["total"][:4], r["refusal"]) for r in _rows(duck)]
        pythoned = [(r[id_python], r["总分"][:4], r["错误"][:len("[甲] PF502")].split(" ")[-1][:5]) for r in _rows(python)]
        assert [(i, t) for i, t, _ in ducked] == [(i, t) for i, t, _ in pythoned]
        assert [c for _, _, c in ducked] == [c.rstrip(":") for _, _, c in pythoned]
        assert len(ducked) == (2 if data == first else 3)

"""A sheet's header under `pingfen eval --engine duckdb`, as `pingfen eval` reads it (io.tables):
a first row with no names refuses the file (PF508, 第一行应写明列名), not every row (PF501);
blank header cells at the end are no columns (no `column3` passed through)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

from duckdb_helpers import needs_duckdb
from pingfen.cli import main

RULE = 'rubric "t" { total 10 }\ninput 甲: score <= 5\ninput 乙: score <= 5\nindicator 子 5 { score = 甲 }\nindicator 丑 5 { score = 乙 }\n'


def _sheet(path: Path, rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    book.save(path)


def _run(tmp_path: Path, data: Path, *engine: str) -> tuple[int, str, Path]:
    rule, out = tmp_path / "r.rule", tmp_path / "out.csv"
    rule.write_text(RULE, encoding="utf-8")
    err = io.StringIO()
    code = main(["eval", *engine, str(rule), str(data), "-o", str(out), "--lang", "zh"], io.StringIO(), err)
    return code, err.getvalue(), out


@needs_duckdb
def test_a_sheet_whose_first_row_is_blank_is_refused_as_pingfen_eval_refuses_it(tmp_path: Path) -> None:
    data = tmp_path / "表.xlsx"
    _sheet(data, [[None, None, None], ["id", "甲", "乙"], ["1", 5, 5]])
    code, said, out = _run(tmp_path, data, "--engine", "duckdb")
    python_code, python_said, _ = _run(tmp_path, data)
    assert (code, python_code) == (2, 2)
    assert "PF508" in said and "第一行应写明各列的列名" in said and "PF508" in python_said
    assert "Traceback" not in said and not out.exists()


@needs_duckdb
def test_blank_header_cells_at_the_end_are_no_columns(tmp_path: Path) -> None:
    data = tmp_path / "表.xlsx"
    _sheet(data, [[" id ", "甲", "乙", "", " "], ["1", 5, 5, None, None], ["2", 0, 0, None, None]])
    code, _, out = _run(tmp_path, data, "--engine", "duckdb")
    assert code == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["id", "子", "丑", "total", "grade", "refusal", "refusal_input"]
    assert [(r["id"], r["total"]) for r in rows] == [("1", "10.00"), ("2", "0.00")]

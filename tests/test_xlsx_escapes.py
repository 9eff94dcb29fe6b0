"""Excel stores a character XML cannot hold as `_xHHHH_` (ECMA-376 ST_Xstring: ESC is
`_x001B_`) and a `_x` that is text as `_x005F_x`. openpyxl (3.1) hands cell values back as
stored, escapes and all, so pingfen read a header Excel shows as `甲` as the column
`_x7532_`, and a cell showing `5` as the text `_x0035_`. Now the XLSX reader (io.tables)
reads each string as Excel shows it, for `pingfen eval` and the DuckDB engine alike."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from pingfen.io.tables import read_rows, xlsx_text

RULE = 'rubric "t" { total 10 }\ninput 甲: score <= 5\ninput 乙: score <= 5\nindicator 子 5 { score = 甲 }\nindicator 丑 5 { score = 乙 }\n'


def _sheet(path: Path, rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)  # openpyxl writes a string as given: `_x7532_` is stored as Excel stores 甲 escaped
    book.save(path)


def test_openpyxl_hands_the_escapes_back_as_stored(tmp_path: Path) -> None:
    """What the fix stands on: were openpyxl to decode, this would fail and the fix be moot."""
    data = tmp_path / "表.xlsx"
    _sheet(data, [["id", "_x7532_"], ["a", "x_x001B_y"]])
    sheet = load_workbook(data, read_only=True).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["id", "_x7532_"], ["a", "x_x001B_y"]]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("x_x001B_y", "x\x1by"),
        ("a_x0041_b", "aAb"),
        ("_x005F_x0041_", "_x0041_"),  # a `_x` that is text, escaped: read once, not twice
        ("_x005f_", "_"),
        ("_x12_", "_x12_"),  # not four digits: text
        ("_xD83D_", "_xD83D_"),  # a lone surrogate is no character: left as written
        ("plain 文字", "plain 文字"),
    ],
)
def test_a_string_reads_as_excel_shows_it(stored: str, shown: str) -> None:
    assert xlsx_text(stored) == shown


def test_the_reader_decodes_headers_and_cells(tmp_path: Path) -> None:
    data = tmp_path / "表.xlsx"
    _sheet(data, [["id", "_x7532_", "乙"], ["a", "_x0035_", "x_x001B_y"]])
    table = read_rows(data)
    assert table.columns == ("id", "甲", "乙")
    assert [row.values for row in table] == [{"id": "a", "甲": "5", "乙": "x\x1by"}]


def _run(tmp_path: Path, data: Path, *engine: str) -> tuple[int, list[dict[str, str]]]:
    rule, out = tmp_path / "r.rule", tmp_path / f"out{len(engine)}.csv"
    rule.write_text(RULE, encoding="utf-8")
    code = main(["eval", *engine, str(rule), str(data), "-o", str(out), "--lang", "zh"], io.StringIO(), io.StringIO())
    with out.open(encoding="utf-8-sig", newline="") as f:
        return code, list(csv.DictReader(f))


@needs_duckdb
def test_both_engines_read_the_escaped_header_and_cells(tmp_path: Path) -> None:
    data = tmp_path / "表.xlsx"
    _sheet(data, [["id", "_x7532_", "_x4E59_"], ["a", "_x0035_", 4]])
    code, rows = _run(tmp_path, data)
    assert code == 0 and [(r["编号"], r["总分"]) for r in rows] == [("a", "9.00")]
    code, rows = _run(tmp_path, data, "--engine", "duckdb")
    assert code == 0 and [(r["id"], r["total"]) for r in rows] == [("a", "9.00")]

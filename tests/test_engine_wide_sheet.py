"""A sheet's row longer than a CSV's line may be (MAX_LINE_CHARS): `pingfen eval` scores it, but
`--engine duckdb`, which copies the sheet to a CSV first (engine._xlsx_to_csv), stopped with
"PF831: DuckDB 无法为 wide.xlsx 评分：有一行超过 2,097,152 个字符", a line the workbook has none
of. Now the copy's lines are as long as the sheet's rows make them (the sheet's own limits bound
them), and the engine scores the row as `pingfen eval` does, its cells passed through whole."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import openpyxl
import pytest

from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from pingfen.io.bounds import MAX_LINE_CHARS

RULE = """rubric "t" { total 10 }
input 满意度: percent >= 0 and <= 100%
indicator 满意 10 { score = 满意度 * 10 }
"""
CELLS, CHARS = 72, 30_000  # within Excel's 32,767 characters a cell; together past a CSV's line


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    chance = random.Random(14)  # varied text: a sheet of one repeated character is refused as a zip bomb
    notes = ["".join(chr(chance.randrange(0x4E00, 0x9FA5)) for _ in range(CHARS)) + '"' for _ in range(CELLS)]
    assert sum(map(len, notes)) > MAX_LINE_CHARS
    path = tmp_path_factory.mktemp("wide") / "wide.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "满意度", *(f"备注{i}" for i in range(CELLS))])
    sheet.append(["A", "90%", *notes])
    sheet.append(["B", "80%", *["x"] * CELLS])
    book.save(path)
    return path, notes


@needs_duckdb
@pytest.mark.parametrize("engine", [(), ("--engine", "duckdb")])
def test_both_engines_score_a_row_longer_than_a_csv_line(tmp_path: Path, wide: tuple[Path, list[str]], engine: tuple[str, ...]) -> None:
    data, notes = wide
    rule, out = tmp_path / "r.rule", tmp_path / "o.csv"
    rule.write_text(RULE, encoding="utf-8")
    err = io.StringIO()
    assert main(["eval", *engine, str(rule), str(data), "-o", str(out)], io.StringIO(), err) == 0, err.getvalue()
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = "total" if engine else "总分"
    assert [(next(iter(r.values())), r[total]) for r in rows] == [("A", "9.00"), ("B", "8.00")]
    if engine:  # the engine passes the file's cells through: each whole
        assert [rows[0][f"备注{i}"] == note for i, note in enumerate(notes)] == [True] * CELLS


@needs_duckdb
def test_the_engine_writes_the_row_to_parquet_too(tmp_path: Path, wide: tuple[Path, list[str]]) -> None:
    import duckdb

    data, notes = wide
    rule, out = tmp_path / "r.rule", tmp_path / "o.parquet"
    rule.write_text(RULE, encoding="utf-8")
    err = io.StringIO()
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err) == 0, err.getvalue()
    found = duckdb.sql(f"SELECT id, CAST(total AS VARCHAR), 备注71 FROM read_parquet('{out}') ORDER BY id").fetchall()
    assert [(i, t) for i, t, _ in found] == [("A", "9.00"), ("B", "8.00")] and found[0][2] == notes[-1]

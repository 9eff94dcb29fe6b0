"""A CSV cell of more than the csv module's default 131,072 characters: `pingfen eval`
refused it (PF508) while `--engine duckdb` read it unquoted and, quoted, stopped with the csv
module's English "field larger than field limit" inside the Chinese message (PF831). Now a
cell may be as long as a line (MAX_CELL_CHARS) on both engines, and a quoted cell running on
over lines past that is refused by both alike: PF508, in the reader's language."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from pingfen.io.bounds import MAX_CELL_CHARS, MAX_LINE_CHARS

ENGINES = [pytest.param((), id="python"), pytest.param(("--engine", "duckdb"), id="duckdb")]

RULE = """rubric "t" { total 10 }
input 满意度: percent >= 0 and <= 100%
indicator 满意 10 { score = 满意度 * 10 }
"""
LONG = "甲" * 131_073  # one past the csv module's default limit


def _eval(tmp_path: Path, body: str, engine: tuple[str, ...], lang: str = "zh") -> tuple[int, str, Path]:
    rule, data, out = tmp_path / "r.rule", tmp_path / "d.csv", tmp_path / "o.csv"
    rule.write_text(RULE, encoding="utf-8")
    data.write_text("id,满意度,备注\n" + body, encoding="utf-8", newline="")
    err = io.StringIO()
    code = main(["--lang", lang, "eval", *engine, str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    return code, err.getvalue().strip().replace(str(data), "DATA"), out


def test_a_cell_may_be_as_long_as_a_line() -> None:
    assert MAX_CELL_CHARS == MAX_LINE_CHARS and csv.field_size_limit() >= MAX_CELL_CHARS


@needs_duckdb
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("cell", [LONG, f'"{LONG}"', f'"{LONG}\n{LONG}"'], ids=["unquoted", "quoted", "over-lines"])
def test_a_long_cell_is_read_and_passed_through_by_both(tmp_path: Path, engine: tuple[str, ...], cell: str) -> None:
    code, said, out = _eval(tmp_path, f"A,90%,{cell}\nB,80%,x\n", engine)
    assert code == 0, said
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = "total" if engine else "总分"  # the engine passes the file's columns through, its own named in English
    assert [(next(iter(r.values())), r[total]) for r in rows] == [("A", "9.00"), ("B", "8.00")]
    if engine:
        assert rows[0]["备注"] == cell.strip('"'), "the long cell passed through whole"  # (not shown: 131,073 characters)


@needs_duckdb
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("lang", "words"), [("zh", "无法读取 `DATA`：单元格超过 2,097,152 个字符的上限"),
                                             ("en", "cannot read `DATA`: field larger than field limit (2097152)")])  # fmt: skip
def test_a_cell_over_lines_longer_than_a_line_is_refused_alike(tmp_path: Path, engine: tuple[str, ...], lang: str, words: str) -> None:
    half = "9" * (MAX_CELL_CHARS // 2)
    code, said, out = _eval(tmp_path, f'A,90%,"{half}\n{half}\n"\n', engine, lang)
    assert code == 2 and "PF508" in said and said.endswith(words), said
    assert "Traceback" not in said and not out.exists()

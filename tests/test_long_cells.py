"""A CSV cell of more than the csv module's default 131,072 characters: `pingfen eval`
refused it (PF508) while `--engine duckdb` read it unquoted and, quoted, stopped with the csv
module's English "field larger than field limit" inside the Chinese message (PF831). Now a
cell may be as long as a line (MAX_CELL_CHARS) on both engines, and a quoted cell running on
over lines past that is refused by both alike: PF508, in the reader's language."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from duckdb_helpers import RULE, needs_duckdb
from pingfen.cli import main
from pingfen.io.bounds import MAX_CELL_CHARS

ENGINES = [pytest.param((), id="python"), pytest.param(("--engine", "duckdb"), id="duckdb")]
LONG = "甲" * 131_073  # one past the csv module's default limit


def _eval(tmp_path: Path, body: str, engine: tuple[str, ...], lang: str = "zh") -> tuple[int, str, Path]:
    rule, data, out = tmp_path / "r.rule", tmp_path / "d.csv", tmp_path / "o.csv"
    rule.write_text(RULE, encoding="utf-8")
    data.write_text("id,满意度,备注\n" + body, encoding="utf-8", newline="")
    err = io.StringIO()
    code = main(["--lang", lang, "eval", *engine, str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    return code, err.getvalue().strip().replace(str(data), "DATA"), out


@pytest.fixture
def host_limit(request: pytest.FixtureRequest) -> Iterator[int]:
    """The csv module's limit as a program that imports pingfen set it for its own reading
    (the limit is the whole process's), given back after the test."""
    before = csv.field_size_limit()
    csv.field_size_limit(request.param)
    try:
        yield request.param
    finally:
        csv.field_size_limit(before)


def test_importing_pingfen_leaves_the_csv_modules_limit_and_reading_raises_it_only_when_lower(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text('id,x\nA,"1"\n', encoding="utf-8")
    script = f"""
import csv, sys
from pingfen.io.tables import read_rows
print(csv.field_size_limit())
list(read_rows({str(data)!r}))  # a quoted cell: read by the csv module
print(csv.field_size_limit())
csv.field_size_limit(sys.maxsize)
list(read_rows({str(data)!r}))
print(csv.field_size_limit() == sys.maxsize)
"""
    said = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert said == ["131072", str(MAX_CELL_CHARS), "True"]


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


@needs_duckdb
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("host_limit", [sys.maxsize], indirect=True)
def test_a_host_that_raised_the_csv_limit_still_has_a_longer_cell_refused(tmp_path: Path, engine: tuple[str, ...], host_limit: int) -> None:
    third = "x" * 1_500_000  # a quoted cell over three lines of 4.5 million characters: past MAX_CELL_CHARS
    code, said, out = _eval(tmp_path, f'A,90%,"{third}\n{third}\n{third}"\n', engine)
    assert code == 2 and said.endswith("无法读取 `DATA`：单元格超过 2,097,152 个字符的上限"), said
    assert not out.exists() and csv.field_size_limit() == host_limit  # never lowered


@needs_duckdb
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("cell", [LONG, f'"{LONG}"'], ids=["unquoted", "quoted"])
@pytest.mark.parametrize("host_limit", [131_072], indirect=True)
def test_a_host_that_lowered_the_csv_limit_has_both_engines_agree(tmp_path: Path, engine: tuple[str, ...], cell: str, host_limit: int) -> None:
    code, said, out = _eval(tmp_path, f"A,90%,{cell}\nB,80%,x\n", engine)
    assert code == 0, said
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["total" if engine else "总分"] for r in rows] == ["9.00", "8.00"]


TAIL_MB = 60


@needs_duckdb
@pytest.mark.parametrize("engine", ENGINES)
def test_an_unclosed_quote_with_the_csv_limit_raised_is_refused_in_bounded_memory(tmp_path: Path, engine: tuple[str, ...]) -> None:
    # With the process's csv limit at sys.maxsize the csv module read the rest of the file
    # into the unclosed quote's cell: 979 MB for a 200 MB file. Now PF508 past MAX_RUN_ON_CHARS.
    rule, data, out = tmp_path / "r.rule", tmp_path / "d.csv", tmp_path / "o.csv"
    rule.write_text(RULE, encoding="utf-8")
    with data.open("w", encoding="utf-8", newline="") as handle:
        handle.write('id,满意度,备注\nA,90%,"unclosed\n')
        line = "B,80%," + "x" * 1017 + "\n"  # 1 KiB lines, no quote mark: all of them the open cell's
        handle.writelines(line for _ in range(TAIL_MB * 1024))
    script = f"""
import csv, io, resource, sys
import duckdb
from pingfen import cli, engine
csv.field_size_limit(sys.maxsize)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
err = io.StringIO()
code = cli.main(["eval", *{list(engine)!r}, {str(rule)!r}, {str(data)!r}, "-o", {str(out)!r}], io.StringIO(), err)
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(code, grown // 1024, err.getvalue().strip().replace({str(data)!r}, "DATA"))
"""
    said = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    code, grown_mb, words = said.split(" ", 2)
    assert code == "2" and "PF508" in words and words.rstrip().endswith("单元格超过 2,097,152 个字符的上限"), said
    # Unbounded, the module's buffer held the tail at 4 bytes a character (240 MB and more);
    # bounded, a few tens of MB whatever the tail (the engine's own reading included).
    assert int(grown_mb) < 2 * TAIL_MB, f"{grown_mb} MB grown reading a {TAIL_MB} MB tail"
    assert not out.exists()

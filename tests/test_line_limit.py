"""One limit on a CSV line for both engines: `pingfen eval` refused a line past 1,048,576
characters (PF508) while `--engine duckdb` read one of up to 2,097,152 bytes, so that a line
of Chinese text either read was refused by the other. Now both read MAX_LINE_CHARS
characters a line, its end not counted, and refuse one more, in the same words."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import pingfen
from duckdb_helpers import RULE, needs_duckdb
from pingfen.cli import main
from pingfen.io.bounds import MAX_LINE_CHARS
from pingfen.io.tables import read_rows

CELLS = 20  # each cell within the csv module's 131,072 characters


def _file(path: Path, chars: int) -> None:
    """A CSV whose second line holds `chars` characters (Chinese ones: three bytes each)."""
    start = "A,90%"
    rest = chars - len(start) - CELLS  # a comma before each cell
    cells = [rest // CELLS + (1 if i < rest % CELLS else 0) for i in range(CELLS)]
    line = start + "".join("," + "甲" * n for n in cells)
    assert len(line) == chars
    header = "id,满意度," + ",".join(f"备注{i}" for i in range(CELLS))
    path.write_text(f"{header}\r\n{line}\r\nB,80%{',' * CELLS}\r\n", encoding="utf-8", newline="")


def test_the_limit_is_two_mebi_characters() -> None:
    assert MAX_LINE_CHARS == 2_097_152  # docs/data.md says so


def test_the_python_batch_reads_a_line_at_the_limit_and_refuses_one_more(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    _file(data, MAX_LINE_CHARS)
    assert [row.id for row in read_rows(data)] == ["A", "B"]
    _file(data, MAX_LINE_CHARS + 1)
    with pytest.raises(pingfen.DataError) as refused:
        list(read_rows(data))
    assert refused.value.problems[0].code == "PF508"
    assert refused.value.problems[0].message("en").endswith("a line is longer than 2,097,152 characters")


@needs_duckdb
@pytest.mark.parametrize("engine", [(), ("--engine", "duckdb")])
def test_both_engines_read_a_line_at_the_limit_and_refuse_one_more(tmp_path: Path, engine: tuple[str, ...]) -> None:
    rule, data, out = tmp_path / "r.rule", tmp_path / "d.csv", tmp_path / "o.csv"
    rule.write_text(RULE, encoding="utf-8")
    _file(data, MAX_LINE_CHARS)
    err = io.StringIO()
    assert main(["eval", "--lang", "en", *engine, str(rule), str(data), "-o", str(out)], io.StringIO(), err) == 0, err.getvalue()
    _file(data, MAX_LINE_CHARS + 1)
    err = io.StringIO()
    assert main(["eval", "--lang", "en", *engine, str(rule), str(data), "-o", str(out)], io.StringIO(), err) == 2
    assert err.getvalue().rstrip().endswith("a line is longer than 2,097,152 characters"), err.getvalue()

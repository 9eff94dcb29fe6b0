"""A CSV line with no quote mark is split at the delimiter by `Rows.cells`, not parsed by
the csv module; every file still reads as the csv module read it, row by row and number by
number: quoted cells (a cell running on over lines, a quote inside an unquoted cell), CR, LF
and CRLF endings, blank lines, trailing delimiters, NUL, tabs and semicolons, and the
errors (a cell longer than the csv module takes, a line longer than pingfen reads)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pingfen.errors import DataError
from pingfen.io import tables
from pingfen.io.bounds import MAX_CELL_CHARS, MAX_LINE_CHARS


def _as_the_csv_module_reads(path: Path) -> list[tuple[int, list[str]]]:
    """The rows as `cells` read them before: every line through one csv reader."""
    with path.open(encoding="utf-8", newline="") as handle:
        delimiter = tables._delimiter(handle.readline(MAX_LINE_CHARS + 1))
        return list(enumerate(csv.reader(tables._lines(handle), delimiter=delimiter), start=2))


def _rows(path: Path) -> tables.Rows:
    return tables.Rows(path, "csv", "utf-8", None, ("a", "b"), None)


HEADERS = ("a,b", "a;b", "a\tb", "ab")
CELLS = st.text(alphabet=st.sampled_from(["x", "1", "是", " ", ",", ";", "\t", '"', "\r", "\n", "\x00", "#"]), max_size=12)


@given(header=st.sampled_from(HEADERS), body=st.lists(CELLS, max_size=12), end=st.sampled_from(["\n", "\r\n", "\r", ""]))
def test_every_file_reads_as_the_csv_module_reads_it(
    tmp_path_factory: pytest.TempPathFactory, header: str, body: list[str], end: str
) -> None:
    path = tmp_path_factory.mktemp("split") / "d.csv"
    path.write_bytes((header + "\r\n" + end.join(body) + end).encode())
    assert list(_rows(path).cells()) == _as_the_csv_module_reads(path)


@pytest.mark.parametrize(
    "body",
    [
        'D1,"a\nb",3\nD2,4\n',  # a quoted cell running on to the next line: one row, then the next is row 3
        'D1,a"b\r\nD2,"x""y"\r\n',  # a quote mark inside an unquoted cell, a doubled one inside a quoted cell
        "D1,1,\n\nD2,,\r\r\nD3",  # a trailing comma, blank lines, a lone CR, no last line ending
        'D1,"unended\n2,3\n',  # a quoted cell the file never closes
    ],
)
def test_quoted_and_odd_lines(tmp_path: Path, body: str) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(("id,x\n" + body).encode())
    assert list(_rows(path).cells()) == _as_the_csv_module_reads(path)


def test_a_cell_longer_than_the_csv_module_takes_is_refused_as_before(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    half = "9" * (MAX_CELL_CHARS // 2 + 1)  # a cell as long as a line is read: one quoted over two lines
    path.write_text(f'id,x\nD1,1\nD2,"{half}\n{half}"\n', encoding="utf-8")
    with pytest.raises(csv.Error):
        _as_the_csv_module_reads(path)
    with pytest.raises(DataError):
        list(_rows(path).cells())


def test_a_quoteless_line_is_not_parsed_by_the_csv_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []
    real = csv.reader

    def counting(lines: object, delimiter: str) -> object:
        made.append(lines)
        return real(lines, delimiter=delimiter)  # type: ignore[arg-type]  # the lines `cells` hands it

    monkeypatch.setattr(csv, "reader", counting)
    path = tmp_path / "d.csv"
    path.write_text('id,x\nD1,1\nD2,"2"\nD3,3\n', encoding="utf-8")
    assert list(_rows(path).cells()) == [(2, ["D1", "1"]), (3, ["D2", "2"]), (4, ["D3", "3"])]
    assert len(made) == 1  # the quoted line only

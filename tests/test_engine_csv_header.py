"""`pingfen eval --engine duckdb` reads a CSV's header and rows as `pingfen eval` does:
- a blank or comment row of many cells, and a data row of many blank cells past the header, are
  read (left out, or scored), where the engine stopped at them (PF728 past 8 cells); PF728 is
  left for a scored row of more than PAST cells past the header;
- the header's names are io.tables' (spaces, a tab, an NBSP stripped), a name given twice is
  refused with `pingfen eval`'s PF508, and two names told apart by letter case only (which
  DuckDB merges) are PF729, not one read for the other.
Each file is scored both ways and compared row by row."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from pingfen.engine import PAST
from pingfen.io.tables import read_rows
from sqlhelp import python_rows

RUBRIC_TEXT = """rubric "表头" {
  total 20
}
input 人数: count
input 比率: percent

indicator 甲 10 {
  deduct 2 per 1 of 人数 above 3
}
indicator 乙 10 {
  deduct 1 per 1% of 比率 below 90%
}
"""
RUBRIC = pingfen.loads(RUBRIC_TEXT, "a.rule", tests=False)


def _engine(tmp_path: Path, data: Path, lang: str = "zh") -> tuple[int, list[dict[str, str]], str]:
    rule, out = tmp_path / "a.rule", tmp_path / f"{data.stem}.out.csv"
    rule.write_text(RUBRIC_TEXT, encoding="utf-8")
    err = io.StringIO()
    code = main(["--lang", lang, "eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    if code == 2:
        assert not out.exists()
        return code, [], err.getvalue()
    with out.open(encoding="utf-8-sig", newline="") as f:
        return code, list(csv.DictReader(f)), err.getvalue()




def _same(tmp_path: Path, data: Path) -> list[tuple[str | None, str | None, Decimal | None]]:
    code, got, said = _engine(tmp_path, data)
    assert code in (0, 1), said
    rows = [(g["id"].strip() or None, g["refusal"] or None, Decimal(g["total"]) if g["total"] else None) for g in got]
    assert rows == python_rows(RUBRIC, data)
    return rows


ROWS = "1,5,95%\n2,2,80%\n"


@needs_duckdb
@pytest.mark.parametrize("extra", [
    ",,,,,,,,,,,,,,,,,,,,,,,,",  # a blank row of 25 cells, the file's last line with no line end
    ",,,,,,,,,,,,,,,,,,,,\n",  # a blank row of 21 cells
    "# 说明,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p\n",  # a comment row of 17 cells
    "  # 说明,\"a,b\",c,d,e,f,g,h,i,j,k,l,m,n,o,p\n",  # the same, spaced and quoted
    "3,4,99%,,,,,,,,,,,,\n",  # a data row ending in 12 commas: blank cells, it lines up
    "4,4,99%,,,,,,,,,,,,,x\n",  # 13 cells past the header, one not blank: PF520 in its row
    "5,4,\"99%\",,,,,,,,,,,,,\"x,y\"\n",  # the same, quoted
])  # fmt: skip
def test_a_row_of_many_cells_is_read_as_pingfen_eval_reads_it(tmp_path: Path, extra: str) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,人数,比率\n" + ROWS + extra + ("" if extra.endswith(",") else "9,3,91%\n"), encoding="utf-8")
    rows = _same(tmp_path, data)
    assert [r[0] for r in rows if r[1] is None][:2] == ["1", "2"]  # before, PF728 stopped the file


@needs_duckdb
def test_a_data_row_past_the_bound_still_stops_the_engine_naming_its_row(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    wide = "8,1,91%" + ",x" * (PAST + 1)
    data.write_text("id,人数,比率\n# 注释\n" + ROWS + '"多\n行",1,1%\n' + wide + "\n", encoding="utf-8")
    code, _, said = _engine(tmp_path, data, "en")
    assert code == 2 and f"PF728: {data}, line 6: more than {PAST} cells past the header" in said, said
    assert ("PF520", 6) in [(r.problem.code, r.number) for r in read_rows(data) if r.problem]  # the row pingfen eval names
    ok = tmp_path / "ok.csv"  # a row just inside the bound is read, and refused in its row
    ok.write_text("id,人数,比率\n" + ROWS + "8,1,91%" + ",x" * PAST + "\n", encoding="utf-8")
    assert [r[1] for r in _same(tmp_path, ok)] == [None, None, "PF520"]


@needs_duckdb
def test_header_names_are_read_as_io_tables_reads_them(tmp_path: Path) -> None:
    """Spaces, a tab and an NBSP around a name, a BOM, a quoted name: stripped as `pingfen eval`
    strips them (before, the engine's query could not find `比率` and stopped: PF831)."""
    data = tmp_path / "d.csv"
    data.write_text('\ufeff"id" , 人数\u00a0,\t比率  \n' + ROWS, encoding="utf-8")
    assert [r[2] for r in _same(tmp_path, data)] == [Decimal(16), Decimal(10)]


@needs_duckdb
def test_a_name_given_twice_is_refused_as_pingfen_eval_refuses_it(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,人数,比率,人数 \n1,5,95%,9\n", encoding="utf-8")
    with pytest.raises(pingfen.DataError) as refused:
        read_rows(data)
    python = refused.value.render("zh")
    code, _, said = _engine(tmp_path, data)
    assert code == 2 and said.strip() == python.strip() and "PF508" in said and "`人数`" in said
    gbk = tmp_path / "g.csv"  # a copy made UTF-8 first: the message names the file given
    gbk.write_bytes("id,人数,比率,人数\n1,5,95%,9\n".encode("gbk"))
    code, _, said = _engine(tmp_path, gbk)
    assert code == 2 and f"`{gbk}`" in said and "PF508" in said


@needs_duckdb
def test_names_told_apart_by_letter_case_only_are_refused(tmp_path: Path) -> None:
    """DuckDB's names are not case sensitive: `ID` and `id` would be one column to the query,
    which read the first for the second (PF729, where `pingfen eval` reads both)."""
    data = tmp_path / "d.csv"
    data.write_text("ID,人数,比率,id\nA,5,95%,1\n", encoding="utf-8")
    code, _, said = _engine(tmp_path, data)
    assert code == 2 and "PF729" in said and "`ID`" in said and "`id`" in said, said
    code, _, said = _engine(tmp_path, data, "en")
    assert f"PF729: {data}: the columns `ID` and `id` differ only in letter case" in said


@needs_duckdb
def test_a_blank_header_cell_keeps_duckdbs_name(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,人数,,比率\n1,5,z,95%\n", encoding="utf-8")
    _same(tmp_path, data)
    _, got, _ = _engine(tmp_path, data)
    assert "column2" in got[0] and got[0]["column2"] == "z"


@needs_duckdb
@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_wide_rows_after_a_quoted_cell_over_lines_and_any_line_end(tmp_path: Path, end: str) -> None:
    """The widest row is found past a quoted cell that spans lines (read by the csv module, as
    io.tables reads it) and in a file of any line end (a lone `\\r`: Excel's CSV for the Mac)."""
    data = tmp_path / "d.csv"
    lines = ["id,人数,比率", "1,5,95%", '"两\n行",2,80%', "# 说明" + ",x" * 20, "3,4,99%" + "," * 12, "4,4,99%" + "," * 12 + ",x", ",,,,,,,,,,,,,,,,"]
    data.write_bytes(end.join(lines).encode("utf-8") + end.encode())
    rows = _same(tmp_path, data)
    assert [r[1] for r in rows] == [None, None, None, "PF520"]
    plain = tmp_path / "p.csv"  # no quote anywhere: the blocks read in C
    plain.write_bytes(end.join(lines[:2] + lines[3:]).encode("utf-8"))
    assert [r[1] for r in _same(tmp_path, plain)] == [None, None, "PF520"]


@needs_duckdb
def test_a_quote_duckdb_cannot_read_is_refused_with_duckdbs_cause(tmp_path: Path) -> None:
    """`"9"5%` is `95%` to the csv module, and to DuckDB's reader a quote left open: the file is
    refused whole (PF831), with DuckDB's cause, not its first line alone (which named only the
    line); nothing of the row's data or of DuckDB's advice is shown."""
    data = tmp_path / "d.csv"
    data.write_text('id,人数,比率\n1,5,"9"5%\n2,2,80%\n', encoding="utf-8")
    assert [r[2] for r in python_rows(RUBRIC, data)] == [Decimal(16), Decimal(10)]  # what pingfen eval reads
    code, _, said = _engine(tmp_path, data, "en")
    assert code == 2 and said.strip() == (f"pingfen eval: PF831: DuckDB could not score {data}: "
                                          "Invalid Input Error: CSV Error on Line: 2; Value with unterminated quote found."), said


@needs_duckdb
def test_a_last_line_with_a_quote_and_no_line_end(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_bytes(b'id,\xe4\xba\xba\xe6\x95\xb0,\xe6\xaf\x94\xe7\x8e\x87\n1,5,95%\n2,2,"80%",,,,,,,,,,,,"a,b"')
    assert [r[1] for r in _same(tmp_path, data)] == [None, "PF520"]


LATIN = """rubric "latin" { total 10 }
input rate: percent >= 0 and <= 100%
input cnt: count
indicator R 5 { bands rate { >= 90% -> 5
 else -> 0 } }
indicator C 5 { deduct 1 per cnt }
"""


def _latin(tmp_path: Path, data: Path, *, engine: bool = True) -> tuple[int, str, str]:
    rule, out = tmp_path / "latin.rule", tmp_path / "latin.out.csv"
    rule.write_text(LATIN, encoding="utf-8")
    out.unlink(missing_ok=True)
    err = io.StringIO()
    code = main(["eval", *(["--engine", "duckdb"] if engine else []), str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    return code, out.read_text(encoding="utf-8-sig") if out.exists() else "", err.getvalue()


@needs_duckdb
def test_a_column_named_as_an_input_but_for_letter_case_is_refused_not_read_as_it(tmp_path: Path) -> None:
    """`RATE` for the input `rate`: pingfen eval finds `rate` missing (PF501), DuckDB read RATE
    as it and scored the row."""
    data = tmp_path / "d.csv"
    data.write_text("id,RATE,cnt\nx,95%,1\n", encoding="utf-8")
    assert "PF501" in _latin(tmp_path, data, engine=False)[2]
    code, written, said = _latin(tmp_path, data)
    assert code == 2 and written == "" and "PF733" in said and "`RATE`" in said and "`rate`" in said, said


@needs_duckdb
def test_an_input_no_column_is_named_as_is_missing_in_every_row(tmp_path: Path) -> None:
    """It stopped the engine with DuckDB's English binder error (PF831); pingfen eval refuses
    each row (PF501) and goes on."""
    data = tmp_path / "d.csv"
    data.write_text("id,cnt\nx,1\ny,0\n", encoding="utf-8")
    code, written, said = _latin(tmp_path, data)
    assert code == 1, said
    rows = list(csv.DictReader(io.StringIO(written)))
    assert [(r["id"], r["refusal"], r["refusal_input"], r["total"]) for r in rows] == [("x", "PF501", "rate", ""), ("y", "PF501", "rate", "")]

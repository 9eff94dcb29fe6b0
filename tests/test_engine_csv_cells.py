"""The CSV `pingfen eval --engine duckdb` writes holds to the contract of every CSV pingfen
writes (io/write.py, docs/data.md "No formulas"): a text cell that a spreadsheet would run as
a formula — an id passed through from the file (`=HYPERLINK(…)`, `+cmd`, `@SUM(A1)`), a column
named so in the file, a node or a grade named so in the rule file — gets the leading `'` that
`csv_text` gives it, a number such as `-5` stays a number, and the file is UTF-8 with a BOM,
which Excel on a Chinese Windows machine needs to show 中文 headers. Before, DuckDB's COPY wrote
them all as they were, and no BOM. The Parquet output is data, not cells: as it was."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlglot import exp

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen import engine
from pingfen.cli import main
from pingfen.engine import ROW, _cell, score_with_duckdb
from pingfen.io.tables import read_rows
from pingfen.io.write import csv_text, formula_like

RUBRIC_TEXT = """rubric "公式" {
  total 10
  grade `=1+1` >= 9
  grade `-差` otherwise
}
input 人数: count

indicator `=SUM(1,2)` 10 {
  deduct 2 per 1 of 人数 above 3
}
"""
HEADER = ["id", "人数", '=HYPERLINK("http://x")', "备注", "-5"]
ROWS = [
    ['=HYPERLINK("http://x","点我")', "5", "a", "+cmd", "x"],
    ["-5", "1", "b", "@SUM(A1)", "-5"],
    ["+cmd", "2", "-1，000", "-1,000", "- 5"],
    ["@SUM(A1)", "2", "\t5", "－５", "\t=1"],
    ["普通", "x", "\r=2", "=", "-1e5"],
]
BOM = b"\xef\xbb\xbf"


def _data(tmp_path: Path, rows: list[list[str]] = ROWS) -> tuple[Path, Path]:
    rule, data = tmp_path / "a.rule", tmp_path / "d.csv"
    rule.write_text(RUBRIC_TEXT, encoding="utf-8")
    with data.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return rule, data


def _eval(*args: str) -> int:
    err = io.StringIO()
    code = main(["--lang", "en", "eval", *args], io.StringIO(), err)
    assert code in (0, 1), err.getvalue()
    return code


@needs_duckdb
def test_formula_like_ids_headers_and_grades_get_the_quote_and_numbers_stay(tmp_path: Path) -> None:
    rule, data = _data(tmp_path)
    out = tmp_path / "o.csv"
    assert _eval("--engine", "duckdb", str(rule), str(data), "-o", str(out)) == 1  # 普通's 人数 is refused
    raw = out.read_bytes()
    assert raw.startswith(BOM) and not raw.startswith(BOM * 2)
    assert raw.endswith(b"\n") and not raw.endswith(b"\n\n")  # the last row's line end, no blank line
    with out.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    assert header == ["id", "'=HYPERLINK(\"http://x\")", "备注", "-5", "'=SUM(1,2)", "total", "grade", "refusal", "refusal_input"]
    ids = [r[0] for r in rows]
    assert ids == ["'=HYPERLINK(\"http://x\",\"点我\")", "-5", "'+cmd", "'@SUM(A1)", "普通"]
    assert [r[1] for r in rows] == ["a", "b", "-1，000", "\t5", "'\r=2"]  # numbers as to_decimal reads them stay
    assert [r[2] for r in rows] == ["'+cmd", "'@SUM(A1)", "-1,000", "－５", "'="]
    assert [r[3] for r in rows] == ["x", "-5", "'- 5", "'\t=1", "-1e5"]
    assert [r[6] for r in rows] == ["'-差", "'=1+1", "'=1+1", "'=1+1", ""]
    assert [r[5] for r in rows][:2] == ["6.00", "10.00"]  # numbers, untouched


@needs_duckdb
def test_read_back_it_says_what_pingfen_eval_s_own_csv_says(tmp_path: Path) -> None:
    """`read_rows` of either file: the same ids, scores, totals and grades (each cell as written,
    `'` and all), the same names for the columns (a header's `'` taken off by csv_unquote)."""
    rule, data = _data(tmp_path)
    engine, python = tmp_path / "engine.csv", tmp_path / "python.csv"
    _eval("--engine", "duckdb", str(rule), str(data), "-o", str(engine))
    _eval(str(rule), str(data), "-o", str(python))
    assert python.read_bytes().startswith(BOM)
    engine_rows, python_rows = read_rows(engine), read_rows(python)
    assert '=HYPERLINK("http://x")' in engine_rows.columns and "=SUM(1,2)" in engine_rows.columns
    assert "=SUM(1,2)" in python_rows.columns
    for ours, theirs in zip(engine_rows, python_rows, strict=True):
        assert ours.id == theirs.id
        assert [ours.values[n] for n in ("=SUM(1,2)", "total", "grade")] == [theirs.values[n] for n in ("=SUM(1,2)", "total", "grade")]


@needs_duckdb
def test_a_file_of_no_rows_is_its_bom_and_header(tmp_path: Path) -> None:
    rule, data = _data(tmp_path, [])
    out = tmp_path / "o.csv"
    assert _eval("--engine", "duckdb", str(rule), str(data), "-o", str(out)) == 0
    assert out.read_bytes() == BOM + "id,\"'=HYPERLINK(\"\"http://x\"\")\",备注,-5,\"'=SUM(1,2)\",total,grade,refusal,refusal_input\n".encode()


@needs_duckdb
def test_a_batch_rubric_s_csv_is_quoted_and_in_the_file_s_order(tmp_path: Path) -> None:
    """A rubric with values across the batch (windows, which hand rows back in an order of their
    own): the rows ordered by their place outside the cells' SELECT, the place not written."""
    rule, data = _data(tmp_path, [[f"={i}", str(i % 7), "a", "b", "c"] for i in range(4003)])
    text = RUBRIC_TEXT.replace("input 人数: count", "input 人数: count\nlet 最少 = batch min(人数)")
    rule.write_text(text.replace("deduct 2 per 1 of 人数 above 3", "when 人数 > 最少 -> 5\n  else -> 10"), encoding="utf-8")
    out = tmp_path / "o.csv"
    score_with_duckdb(pingfen.load(rule, tests=False), str(data), str(out), ruleset=str(rule), threads=4)
    with out.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    assert ROW not in header and "_pf_row" not in header
    wanted = [(f"'={i}", "'=1+1" if i % 7 == 0 else "'-差") for i in range(4003)]
    assert len(rows) == len(wanted)
    wrong = [(i, (r[0], r[6]), w) for i, (r, w) in enumerate(zip(rows, wanted, strict=True)) if (r[0], r[6]) != w]
    assert not wrong, wrong[:5]  # the first few: pytest's diff of 4003 rows would take minutes


@needs_duckdb
def test_the_parquet_output_keeps_the_values_and_names_as_they_are(tmp_path: Path) -> None:
    rule, data = _data(tmp_path)
    out = tmp_path / "o.parquet"
    _eval("--engine", "duckdb", str(rule), str(data), "-o", str(out))
    cursor = duckdb.connect().execute(f"SELECT * FROM read_parquet('{out}')")
    names = [d[0] for d in cursor.description]
    assert names[:5] == ["id", '=HYPERLINK("http://x")', "备注", "-5", "=SUM(1,2)"]
    rows = cursor.fetchall()
    assert [r[0] for r in rows] == [r[0] for r in ROWS]
    assert [r[names.index("grade")] for r in rows] == ["-差", "=1+1", "=1+1", "=1+1", None]


@needs_duckdb
def test_a_typed_column_of_a_parquet_file_is_written_as_its_cells(tmp_path: Path) -> None:
    """Integers and DECIMALs are numbers, never looked at; any other type is text once written
    (a DOUBLE's `-inf`; a date, a bool as they are), held to `formula_like` as written."""
    rule, data = tmp_path / "a.rule", tmp_path / "d.parquet"
    rule.write_text(RUBRIC_TEXT, encoding="utf-8")
    duckdb.connect().execute(
        f"COPY (SELECT * FROM (VALUES ('=1', 2::BIGINT, -5::INTEGER, -2.50::DECIMAL(9, 2), '-inf'::DOUBLE, -1.5::DOUBLE, "
        f"DATE '2021-03-01', true)) t(id, 人数, n, d, f, g, i, b)) TO '{data}' (FORMAT parquet)"
    )
    out = tmp_path / "o.csv"
    _eval("--engine", "duckdb", str(rule), str(data), "-o", str(out))
    with out.open(encoding="utf-8-sig", newline="") as f:
        row = next(csv.DictReader(f))
    assert [row[k] for k in ("id", "n", "d", "f", "g", "i", "b")] == ["'=1", "-5", "-2.50", "'-inf", "-1.5", "2021-03-01", "true"]


WORDS = st.sampled_from(["=", "+", "-", "@", "\t", "\r", " ", "\u3000", "\xa0", "1", "05", "．", "，", ",", "_", ".",
                         "e", "E", "e-", "１", "－", "＋", "−", "000", ",000", "，000", "_000", "inf", "a", "'", "\n", "="])  # fmt: skip


@needs_duckdb
@given(st.lists(st.one_of(st.lists(WORDS, max_size=8).map("".join), st.text(max_size=6)), min_size=1, max_size=30))
def test_the_query_quotes_exactly_what_csv_text_quotes(cells: list[str]) -> None:
    cells = [c.replace("\x00", "") for c in cells]  # no text DuckDB holds
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, s VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(cells)))
    got = dict(con.execute(f"SELECT i, {_cell(exp.column('s')).sql('duckdb')} FROM t").fetchall())
    assert [got[i] for i in range(len(cells))] == [csv_text(c) for c in cells]
    assert [got[i] for i in range(len(cells))] == [("'" + c if formula_like(c) else c) for c in cells]


@needs_duckdb
@pytest.mark.parametrize(("rule", "suffix", "reasons"), [
    ("rulesets/dept-overall-2021.rule", ".csv", False),
    ("rulesets/dept-overall-2021.rule", ".csv", True),
    ("tests/golden/forms/batch.rule", ".csv", True),  # numbered: ROW passed through, not written
    ("a.rule", ".csv", False),
    ("a.rule", ".parquet", True),  # typed columns, a refusal_input of an input named `=…`
    ("clash", ".csv", True),  # a column of the file named as one of the query's: left out (PF731)
])  # fmt: skip
def test_the_columns_found_from_the_query_are_duckdb_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          rule: str, suffix: str, reasons: bool) -> None:  # fmt: skip
    """engine._columns names the query's columns without binding it: the same names, in the same
    order, as DuckDB's DESCRIBE of the query, a number (None) where DuckDB has one, text where
    DuckDB has text (or the NULL of a column never given)."""
    root = Path(__file__).parent.parent
    path, data = root / rule, tmp_path / f"d{suffix}"
    if rule in ("a.rule", "clash"):
        path = tmp_path / "a.rule"
        path.write_text(RUBRIC_TEXT.replace("input 人数: count", "input `=人数`: count").replace("of 人数", "of `=人数`"), encoding="utf-8")
        header = ["id", "=人数", "备注", *(["grade", "Total"] if rule == "clash" else [])]
        with (tmp_path / "d.csv").open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header, *([f"={i}", "x" if i == 1 else str(i), "-5", *(["g", "t"] if rule == "clash" else [])] for i in range(4))])
        if suffix == ".parquet":
            duckdb.connect().execute(f"COPY (SELECT * REPLACE (TRY_CAST(\"=人数\" AS BIGINT) AS \"=人数\", -5::INTEGER AS 备注) "
                                     f"FROM read_csv('{tmp_path / 'd.csv'}', all_varchar = true)) TO '{data}' (FORMAT parquet)")  # fmt: skip
    else:
        rubric = pingfen.load(path, tests=False)
        names = [s.name for s in rubric.inputs if s.batch is None]  # a batch value is no column
        with data.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([["id", *names, "=note"], *([f"D{i}", *("" for _ in names), "=x"] for i in range(3))])
    seen: list[tuple[list[tuple[str, str | None]], list[tuple[str, str]]]] = []
    cells = engine._cells

    def spy(con: Any, tree: exp.Select, numbered: bool, back: dict[str, str]) -> str:
        described = con.execute(f"DESCRIBE SELECT * FROM ({tree.sql(dialect='duckdb')})").fetchall()
        seen.append((engine._columns(con, tree), [(str(d[0]), str(d[1])) for d in described]))
        return cells(con, tree, numbered, back)

    monkeypatch.setattr(engine, "_cells", spy)
    score_with_duckdb(pingfen.load(path, tests=False), str(data), str(tmp_path / "o.csv"), ruleset=str(path), reasons=reasons)
    [(found, described)] = seen
    assert [name for name, _ in found] == [name for name, _ in described]
    for (name, kind), (_, theirs) in zip(found, described, strict=True):
        if kind is None:
            assert theirs in engine.INTEGERS or theirs.startswith("DECIMAL("), name
        else:
            assert kind in (theirs, "TEXT") and theirs in ("VARCHAR", kind, "INTEGER", '"NULL"'), name
    if path.parent == tmp_path:  # the refused row names its input, `=人数`, as a cell of text
        with (tmp_path / "o.csv").open(encoding="utf-8-sig", newline="") as f:
            said = list(csv.DictReader(f))
        assert [(r["id"], r["refusal_input"]) for r in said] == [("'=0", ""), ("'=1", "'=人数"), ("'=2", ""), ("'=3", "")]
        assert "grade" in said[0] and "Total" not in said[0]

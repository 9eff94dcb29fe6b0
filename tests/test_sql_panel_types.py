"""A panel in a list column of doubles (`DOUBLE[]`: what pandas and pyarrow write for a list of
floats) was cast to `DECIMAL(38, 20)[]`, which reads the binary value: a 0.35 was
0.34999999999999997780, below a band's `>= 35%`, where evaluate() reads the float by its
shortest digits, 0.35 (`Decimal(str(x))`, as a number's `DOUBLE` column is read). A list of
bools (`BOOLEAN[]`) was cast to 1 and 0 and scored, where evaluate() refuses a bool for a
number (PF502). Both `pingfen sql` on DuckDB and `pingfen eval --engine duckdb` read them so."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import pingfen
import sqlhelp
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.cli import main
from pingfen.sql import to_sql, to_sql_tree

RULE = """rubric "专家评审" { total 20 }
input 专家评分: list of score >= 0 and <= 10
input 满意度: list of percent >= 0 and <= 100%
indicator 专家 10 {
  bands min(专家评分) {
    >= 8.1 -> 10
    else   -> 0
  }
}
indicator 满意 10 {
  bands mean(满意度) {
    >= 35% -> 10
    else   -> 0
  }
}
"""
RUBRIC = pingfen.loads(RULE, "r.rule", tests=False)
# (column types, values): doubles on each side of a band's edge, floats (the double each widens
# to, as a Python float holds it), a fixed-size array, bools and ints among them
ROWS = [
    ("DOUBLE[]", [8.1, 9.0, 8.3], "DOUBLE[]", [0.35]),
    ("DOUBLE[]", [8.099999999999998, 9.5, 10.0], "DOUBLE[]", [0.35, 0.35, 0.35]),
    ("DOUBLE[3]", [8.1, 8.2, 8.3], "DOUBLE[1]", [0.35]),
    ("FLOAT[]", [8.1, 9.0, 8.3], "FLOAT[]", [0.35]),
    ("DOUBLE[]", [8.5, None, 9.0], "DOUBLE[]", [0.35]),
    ("BOOLEAN[]", [True, True, True], "DOUBLE[]", [0.35]),
    ("INTEGER[]", [9, 9, 10], "BOOLEAN[]", [True]),
    ("DECIMAL(18, 2)[]", [9, 9, 10], "DOUBLE[]", [0.1, 0.6]),
]


def _table(con: object, name: str, kinds: tuple[str, str], values: tuple[object, object]) -> None:
    con.execute(f'CREATE OR REPLACE TABLE {name} (id INTEGER, "专家评分" {kinds[0]}, "满意度" {kinds[1]})')  # type: ignore[attr-defined]  # duckdb's connection
    con.execute(f"INSERT INTO {name} VALUES (1, ?, ?)", list(values))  # type: ignore[attr-defined]  # duckdb's connection


def _record(con: object, name: str) -> dict[str, object]:
    """The row as a Python client is given it: a list of floats, of bools."""
    row = con.execute(f'SELECT "专家评分", "满意度" FROM {name}').fetchone()  # type: ignore[attr-defined]  # duckdb's connection
    return {"专家评分": row[0], "满意度": row[1]}


@needs_duckdb
@pytest.mark.parametrize(("experts", "values", "satisfied", "ratios"), ROWS)
def test_a_panel_of_doubles_or_bools_reads_as_evaluate_reads_the_values_a_client_is_given(
        experts: str, values: list[object], satisfied: str, ratios: list[object]) -> None:  # fmt: skip
    con = duckdb.connect()
    _table(con, "records", (experts, satisfied), (values, ratios))
    cursor = con.execute(to_sql(RUBRIC))
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
    sqlhelp.agree(RUBRIC, _record(con, "records"), row)


@needs_duckdb
def test_the_engine_reads_a_parquet_panel_of_doubles_by_their_shortest_digits(tmp_path: Path) -> None:
    rule, data, out = tmp_path / "r.rule", tmp_path / "填报.parquet", tmp_path / "结果.csv"
    rule.write_text(RULE, encoding="utf-8")
    con = duckdb.connect()
    _table(con, "t", ("DOUBLE[]", "DOUBLE[]"), ([8.1, 9.0, 8.3], [0.35]))
    con.execute(f"COPY t TO '{data}' (FORMAT parquet)")
    result = RUBRIC.evaluate(_record(con, "t"), ratios=True)
    assert (result["满意"].score, result.total) == (10, 20)  # 0.35 meets >= 35%
    err = io.StringIO()
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err) == 0, err.getvalue()
    header, first = out.read_text(encoding="utf-8-sig").splitlines()[:2]
    scored = dict(zip(header.split(","), first.split(","), strict=True))
    assert (scored["满意"], scored["total"]) == ("10", "20.00")


@needs_duckdb
def test_the_engine_reads_a_parquet_panel_of_floats_as_the_doubles_they_widen_to(tmp_path: Path) -> None:
    """docs/scale.md: a `FLOAT[]` is read as the double each value widens to, as a `FLOAT`
    column is and as a Python client is given it: 0.35 is 0.3499999940395355, below 35%
    (its own shortest digits, 0.35, would meet it)."""
    rule, data, out = tmp_path / "r.rule", tmp_path / "填报.parquet", tmp_path / "结果.csv"
    rule.write_text(RULE, encoding="utf-8")
    con = duckdb.connect()
    _table(con, "t", ("FLOAT[]", "FLOAT[]"), ([8.5, 9.0, 8.5], [0.35]))
    con.execute(f"COPY t TO '{data}' (FORMAT parquet)")
    record = _record(con, "t")
    assert record["满意度"] == [0.3499999940395355]
    result = RUBRIC.evaluate(record, ratios=True)
    assert (result["专家"].score, result["满意"].score) == (10, 0)
    err = io.StringIO()
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err) == 0, err.getvalue()
    header, first = out.read_text(encoding="utf-8-sig").splitlines()[:2]
    scored = dict(zip(header.split(","), first.split(","), strict=True))
    assert (scored["专家"], scored["满意"], scored["total"]) == ("10", "0", "10.00")


def test_no_float_is_worked_in_reading_a_panel() -> None:
    """The doubles are read only as their text, as a number's DOUBLE column is (sqlhelp.worked_types)."""
    for dialect in ("duckdb", "spark"):
        assert not sqlhelp.worked_types(to_sql_tree(RUBRIC, dialect)) & sqlhelp.FLOATS

"""A value times a constant of many digits, in the general query (exact.times_literal): the
engine multiplies the digits of both factors, so `a × 15.2587890625` (a step of 0.065536)
written plainly held 34 + 12 digits for a = 10^14 and overflowed past 38 — DuckDB stopped the
whole file on one row, from a = 10^7 on. Now the integer part and the fraction of `a` are
multiplied apart: every row scores as evaluate() does, at the inputs' limit too, with and
without the narrow reading of known column scales, reasons and all."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from sqlglot import exp

import pingfen
import sqlhelp
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.sql import exact, to_sql_tree

TEXT = """rubric "宽乘积" {
  total 100
}
input a: number
input b: number
indicator 乘 50 {
  score = a * 1.2345678901 - b * 0.000123456789012
}
indicator 整步 25 {
  deduct 1 per 0.065536 of a above 0 counting whole
}
indicator 比例 25 {
  deduct 0.5 per 0.065536 of b below 30
}
"""
RUBRIC = pingfen.loads(TEXT, "宽乘积.rule", tests=False)
VALUES = ["99999999999999.999999", "-99999999999999.999999", "12345678.123456", "10000000", "1000000", "40.5",
          "23.123457", "30", "0.065536", "0.065535", "0.000001", "-5.5", "0"]  # fmt: skip
RECORDS: list[dict[str, object]] = [{"a": Decimal(a), "b": Decimal(b)} for a, b in itertools.product(VALUES, VALUES)]


def scored(scales: dict[str, int]) -> dict[int, dict[str, object]]:
    """Each record's row of the query without reasons, on DECIMAL(38, 6) columns, by id."""
    con = duckdb.connect()
    con.execute("CREATE TABLE records (id INTEGER, a DECIMAL(38, 6), b DECIMAL(38, 6))")
    con.executemany("INSERT INTO records VALUES (?, ?, ?)", [[i, r["a"], r["b"]] for i, r in enumerate(RECORDS)])
    cursor = con.execute(to_sql_tree(RUBRIC, "duckdb", "records", reasons=False, scales=scales).sql(dialect="duckdb"))
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


@needs_duckdb
@pytest.mark.parametrize("scales", [{}, {"a": 6, "b": 6}], ids=["unknown", "known"])
def test_a_product_by_a_constant_of_many_digits_scores_as_evaluate_at_the_inputs_limit(scales: dict[str, int]) -> None:
    rows = scored(scales)
    assert len(rows) == len(RECORDS)
    for i, record in enumerate(RECORDS):
        result = RUBRIC.evaluate(record)
        row = rows[i]
        assert (row["refusal"], row["total"], row["grade"]) == (None, result.total, result.grade), (record, row)
        for name, score in result.scores().items():
            got = row[name]
            assert isinstance(got, Decimal)
            assert abs(got - score) <= Decimal("1e-18"), (name, got, score, record)
    # the rows past the old limit were there, and scored something other than nothing
    assert any(isinstance(a := r["a"], Decimal) and a >= 10**7 for r in RECORDS)
    assert len({rows[i]["乘"] for i in range(len(RECORDS))}) > 10


@needs_duckdb
def test_the_query_with_reasons_scores_and_explains_them_as_evaluate() -> None:
    rows = sqlhelp.score(duckdb.connect(), RUBRIC, RECORDS)
    for record, row in zip(RECORDS, rows, strict=True):
        sqlhelp.agree(RUBRIC, record, row)


def test_a_product_by_a_whole_constant_stays_one_product_and_one_of_too_many_digits_is_refused() -> None:
    a = exp.column("a")
    plain = exact.times_literal(a, Decimal(50))
    assert plain is not None and "times" not in plain.meta and plain.sql().count("*") == 1
    split = exact.times_literal(a, Decimal("15.2587890625"))
    assert split is not None and split.meta["times"][1] == Decimal("15.2587890625") and split.sql().count("*") == 2
    assert exact.times_literal(a, Decimal("1.234567890123456789")) is None  # 19 digits: the fraction's product would not fit

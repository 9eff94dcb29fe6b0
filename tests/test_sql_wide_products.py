"""A value times a constant of many digits, in the general query (exact.times_literal): the
engine multiplies the digits of both factors, so `a × 15.2587890625` (a step of 0.065536)
written plainly held 34 + 12 digits for a = 10^14 and overflowed past 38 — DuckDB stopped the
whole file on one row, from a = 10^7 on. Now the integer part and the fraction of `a` are
multiplied apart: every row scores as evaluate() does, at the inputs' limit too, with and
without the narrow reading of known column scales, reasons and all."""

from __future__ import annotations

import itertools
from collections import Counter
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


def _one(score: str, lets: str = "") -> pingfen.Rubric:
    return pingfen.loads(f'rubric "r" {{ total 100 }}\ninput a: number\n{lets}indicator x 100 {{\n  score = {score}\n}}\n', "r.rule", tests=False)


@pytest.mark.parametrize("dialect", ["duckdb", "spark", "postgres"])
def test_products_of_products_by_constants_grow_the_query_by_a_column_each(dialect: str) -> None:
    """Each split product reads its operand seven times: an operand that is itself a product
    was copied sevenfold, a chain of six 9.75 MB and minutes to write. It is bound to a
    column first: the query grows linearly with the chain, four products less than twice two."""

    def size(factors: int) -> int:
        return len(to_sql_tree(_one("a" + " * 1.1" * factors), dialect, reasons=False).sql(dialect=dialect))

    assert size(4) < 2 * size(2)


def test_a_constants_trailing_zeros_are_no_digits() -> None:
    """1.500000000000000000 is 1.5: its 19 digits were counted, the product refused and taken
    as one of two computed values (not rounded once, not narrowed); 50.0 is a whole constant."""
    a = exp.column("a")
    padded, short = exact.times_literal(a, Decimal("1.500000000000000000")), exact.times_literal(a, Decimal("1.5"))
    assert padded is not None and short is not None and padded.sql() == short.sql()
    fifty = exact.times_literal(a, Decimal("50.0"))
    assert fifty is not None and "times" not in fifty.meta and fifty.sql().count("*") == 1


@needs_duckdb
def test_a_batch_median_of_values_past_10_to_the_17_scores_as_evaluate() -> None:
    """The midpoint (a + b) × 0.5 was written plainly, its digits × 5 past 38 for a sum past
    2·10^17: DuckDB stopped the file. It is a split product now, exact for every sum NUM holds."""
    rubric = _one("if m > 0 then 100 else 0", "let m = batch median(a * 10000)\n")
    records: list[dict[str, object]] = [{"a": Decimal("30000000000000")}, {"a": Decimal("40000000000000")}]
    rows = sqlhelp.score(duckdb.connect(), rubric, records)
    for record, row in zip(sqlhelp.batched(rubric, records), rows, strict=True):
        sqlhelp.agree(rubric, record, row)
    assert [row["total"] for row in rows] == [100, 100]


@needs_duckdb
def test_a_product_by_a_constant_in_a_branch_not_taken_is_not_worked_out() -> None:
    """Binding every operand of a split product to a column worked `a × 100000` out on every row,
    the branch's own too: 9·10^18 past NUM stopped the file, where evaluate() never reaches it.
    Only an operand holding a split product (a chain) is bound now."""
    rubric = _one("if a < 1000 then (a * 100000) * 1.5 else 0")
    records: list[dict[str, object]] = [{"a": Decimal("90000000000000")}, {"a": Decimal("5")}]
    rows = sqlhelp.score(duckdb.connect(), rubric, records)
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(rubric, record, row)
    assert [row["total"] for row in rows] == [0, 100]


@pytest.mark.parametrize("dialect", ["duckdb", "spark", "postgres"])
@pytest.mark.parametrize("score", ["(a + 1) * 1.234567890123456789", "(a + 1) * 1.5 * 1.5"])
def test_every_column_a_product_binds_is_read(dialect: str, score: str) -> None:
    """A constant the split product does not take (19 digits) had its operand bound first and
    then bound again by the product of two values: one column of the query never read."""
    tree = to_sql_tree(_one(score), dialect, reasons=False)
    bound = [a.alias for a in tree.find_all(exp.Alias) if a.alias.startswith("_pf_")]
    reads = Counter(c.name for c in tree.find_all(exp.Column))
    assert all(reads[name] >= 1 for name in bound), [n for n in bound if not reads[n]]

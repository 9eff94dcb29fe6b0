"""The constructions that make the DuckDB query fast (issue 11), each held to what it replaces:
a clamp as one CASE (no GREATEST/LEAST, which sqlglot writes for DuckDB with a NULL test that
repeats its operand), NULL kept NULL where a score or a twin is missing."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from sqlglot import exp

import pingfen
from pingfen.sql import exact, to_sql, to_sql_tree
from real_parts import real_part

try:
    import duckdb
except ImportError:  # a developer's machine without it: real_part skips
    duckdb = None

needs_duckdb = real_part("duckdb", duckdb is not None, "pip install '.[test]'")
ROOT = Path(__file__).resolve().parent.parent
TWENTY = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule", tests=False)


def _one(e: exp.Expr, value: str | None) -> object:
    """`e` over a one-row relation whose column x holds `value` (NULL for None), on DuckDB."""
    x = "NULL" if value is None else value
    query = exp.select(e).from_(exp.select(exact.cast(exp.Literal.number(x) if value is not None else exp.Null(), exact.NUM).as_("x")).subquery())
    return duckdb.connect().execute(query.sql(dialect="duckdb")).fetchall()[0][0]


@needs_duckdb
def test_a_clamp_keeps_a_score_within_its_bounds_and_a_null_null() -> None:
    clamp = exact.within(exp.column("x"), exact.literal(Decimal(0)), exact.literal(Decimal(5)))
    assert _one(clamp, "-0.00000000000000000001") == 0
    assert _one(clamp, "5.00000000000000000001") == 5
    assert _one(clamp, "3.25") == Decimal("3.25")
    assert _one(clamp, "0") == 0 and _one(clamp, "5") == 5
    assert _one(clamp, None) is None  # GREATEST(LEAST(NULL, 5), 0) would be 0 with DuckDB's own, NULL-skipping GREATEST
    at_least = exact.at_least(exp.column("x"), exact.literal(Decimal(0)))
    assert _one(at_least, "-7") == 0 and _one(at_least, "7") == 7 and _one(at_least, None) is None


def test_the_2021_query_writes_no_greatest_nor_least() -> None:
    for dialect in ("duckdb", "spark"):
        text = to_sql(TWENTY, dialect, reasons=False)
        assert not re.search(r"\b(GREATEST|LEAST)\(", text), dialect  # each clamp one CASE, its operand read in it


def test_the_tree_is_built_without_copying_it_whole_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each layer's expressions are built for their one place: wrapping them in the SELECTs
    copies none (sqlglot's alias_ and select copy by default: the 2021 query copied 2.7 times
    its size, 0.25 s of the run)."""
    copied = [0]
    original = exp.Expression.copy

    def counting(self: exp.Expression) -> exp.Expression:
        new = original(self)
        copied[0] += sum(1 for _ in new.walk())
        return new

    monkeypatch.setattr(exp.Expression, "copy", counting)
    tree = to_sql_tree(TWENTY, "duckdb", reasons=False)
    monkeypatch.undo()
    assert copied[0] < 1.5 * sum(1 for _ in tree.walk())

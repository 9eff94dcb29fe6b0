"""The DuckDB engine's fixed cost (benchmarks/README.md, "DuckDB, fifth round"): the query is
built and planned before a row is read, so it holds nothing the engine would plan for nothing —
no cast of a cast that changes nothing, no internal column bound for the one place that reads
it — and every such simplification leaves each row's every column exactly as it was."""

from __future__ import annotations

import importlib.util
import re
from decimal import Decimal
from pathlib import Path

import pytest
import sqlglot
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlglot import exp

import pingfen
import sqlhelp
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.engine import column_scales
from pingfen.sql import SqlRefusal, compiler, exact, to_sql
from pingfen.sql.compiler import PREFIX
from pingfen.sql.newforms import FormsCompiler
from strategies import loaded, random_rubrics

RULESET = Path(__file__).resolve().parent.parent / "rulesets" / "dept-overall-2021.rule"


def bench_columns() -> object:
    """benchmarks/sql.py's column(): an input drawn as the benchmark draws it."""
    spec = importlib.util.spec_from_file_location("bench_sql", RULESET.parent.parent / "benchmarks" / "sql.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.column


def warehouse(rows: int, seed: int = 7) -> tuple[object, pingfen.Rubric]:
    """A DuckDB table `records` of the 2021 rubric's inputs typed as the benchmark's warehouse
    file types them (counts BIGINT, the rest DECIMAL(18, s)), and the rubric."""
    rubric = pingfen.load(RULESET, tests=False)
    column = bench_columns()
    columns = ", ".join(column(s, seed + i, warehouse=True) for i, s in enumerate(rubric.inputs))  # type: ignore[operator]  # sql.py's column()
    con = duckdb.connect()
    con.execute(f"CREATE TABLE records AS SELECT i AS id, {columns} FROM range({rows}) t(i)")
    return con, rubric


def query_2021(con: object, rubric: pingfen.Rubric) -> str:
    """The query the engine runs for the warehouse file (engine.score_with_duckdb's)."""
    tree = compiler.to_sql_tree(rubric, "duckdb", "records", reasons=False, kind=FormsCompiler, scales=column_scales(con))
    return tree.sql(dialect="duckdb", copy=False)


# ---------------------------------------------------------------- casts
D = exact.decimal_type


def test_a_cast_to_the_type_a_value_has_is_no_second_cast() -> None:
    inner = exact.cast(exp.column("x"), D(14, 0))
    assert exact.cast(inner, D(14, 0)) is inner
    tried = exp.TryCast(this=exp.column("x"), to=D(14, 0), safe=True)
    assert exact.cast(tried, D(14, 0)) is tried  # TRY_CAST then CAST to the same type: the same value
    assert exact.cast(inner, D(15, 1)).sql("duckdb") == "CAST(CAST(x AS DECIMAL(14, 0)) AS DECIMAL(15, 1))"


def test_a_constant_is_cast_once_where_both_casts_hold_it_exactly() -> None:
    zero = exact.cast(exp.Literal.number("0"), D(1, 0))
    assert exact.cast(zero, exact.NUM).sql("duckdb") == "CAST(0 AS DECIMAL(38, 20))"
    half = exact.cast(exp.Literal.number("0.5"), D(1, 1))
    assert exact.cast(half, D(2, 1)).sql("duckdb") == "CAST(0.5 AS DECIMAL(2, 1))"
    # the inner cast rounds 0.55 to 0.6, or the outer one would: both kept
    rounded = exact.cast(exp.Literal.number("0.55"), D(2, 1))
    assert exact.cast(rounded, D(3, 2)).sql("duckdb") == "CAST(CAST(0.55 AS DECIMAL(2, 1)) AS DECIMAL(3, 2))"
    exact_ = exact.cast(exp.Literal.number("0.55"), D(3, 2))
    assert exact.cast(exact_, D(2, 1)).sql("duckdb") == "CAST(CAST(0.55 AS DECIMAL(3, 2)) AS DECIMAL(2, 1))"
    big = exact.cast(exp.Literal.number("123"), D(5, 0))
    assert exact.cast(big, D(3, 1)).sql("duckdb") == "CAST(CAST(123 AS DECIMAL(5, 0)) AS DECIMAL(3, 1))"  # 123 overflows it


@needs_duckdb
def test_what_the_kept_casts_keep_is_a_different_number() -> None:
    # why the rule above needs both casts exact: DuckDB's answers differ where one is not
    con = duckdb.connect()
    assert con.execute("SELECT CAST(CAST(0.55 AS DECIMAL(2, 1)) AS DECIMAL(3, 2)), CAST(0.55 AS DECIMAL(3, 2))").fetchone() == (Decimal("0.60"), Decimal("0.55"))


def test_types_made_directly_are_the_parsers() -> None:
    for text in ("DECIMAL(38, 20)", "DECIMAL(1, 0)", "DECIMAL(21, 20)"):
        p, s = (int(n) for n in re.findall(r"\d+", text))
        assert D(p, s) == exp.DataType.build(text)
    for text in ("DECIMAL(38, 20)", "INT128", "BIGINT", "TEXT", "BOOLEAN", "DATE", "INT"):
        built = exp.DataType.build(text)
        made = exact.fresh(built)
        assert made == built and made is not built
        assert made.sql("spark") == built.sql("spark") and made.sql("postgres") == built.sql("postgres")
    listed = exp.DataType.build("TEXT[]", dialect="duckdb")
    assert exact.fresh(listed).sql("duckdb") == "TEXT[]"


# ---------------------------------------------------------------- the 2021 query
@needs_duckdb
def test_the_2021_query_holds_no_cast_that_changes_nothing() -> None:
    con, rubric = warehouse(0)
    tree = compiler.to_sql_tree(rubric, "duckdb", "records", reasons=False, kind=FormsCompiler, scales=column_scales(con))
    for cast in tree.find_all(exp.Cast):
        inner = cast.this
        if isinstance(inner, exp.Cast):
            assert inner.to != cast.to, cast.sql("duckdb")
            assert not isinstance(inner.this, exp.Literal), cast.sql("duckdb")
    assert not re.search(r"CAST\(CAST\(-?[0-9.]+ AS DECIMAL\(\d+, \d+\)\) AS", tree.sql(dialect="duckdb"))


def test_nodes_walks_what_find_all_walks() -> None:
    tree = compiler.to_sql_tree(pingfen.load(RULESET, tests=False), "duckdb", "records", reasons=True)
    assert sorted(map(id, exact.nodes(tree))) == sorted(map(id, tree.find_all(exp.Expr)))
    assert sorted(map(id, exact.columns(tree))) == sorted(map(id, tree.find_all(exp.Column)))


@needs_duckdb
def test_the_2021_query_binds_no_column_read_in_one_place_only() -> None:
    query = query_2021(*warehouse(0))
    bound = re.findall(rf'AS "({PREFIX}[0-9a-z]+)"', query)
    for name in bound:
        assert query.count(f'"{name}"') >= 3, name  # bound once, read at least twice
    # before the fifth round: 276 internal columns in 26 layers, 55,289 bytes; the sixth added 10
    # columns and 1.9 KB, each quotient's two ends and masked steps (Compiler.ends); the guards of
    # values past the query's digits (PF801, sql/sizes.py) 6 columns, a layer and 3.4 KB: each
    # quotient's, and its 0.5-per-1pp product's
    assert len(bound) <= 200 and query.count(" AS (SELECT ") <= 25 and len(query) <= 54_500, (len(bound), len(query))


# ---------------------------------------------------------------- the same rows
@needs_duckdb
@settings(max_examples=20, deadline=None)
@given(st.data())
def test_inlining_changes_no_column_of_any_row(data: st.DataObject) -> None:
    # every column of every row, compared exactly, with and without the columns read once inlined
    gen, rubric = loaded(data, random_rubrics(loose=True, applies=False, newer=False, outside=False, vetoes=False))
    try:
        inlined = to_sql(rubric)
    except SqlRefusal:
        assume(False)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(compiler.Compiler, "inline", lambda self, final: None)
        bound = to_sql(rubric)
    drawn = data.draw(st.lists(gen.any_records, min_size=1, max_size=12), label="records")
    records = [t for t in (sqlhelp.typed(rubric, r) for r in drawn) if t is not None]
    assume(records)
    con = duckdb.connect()
    sqlhelp.table(con, rubric, records)
    got = []
    for query in (inlined, bound):  # one at a time: DuckDB's execute() gives the connection's one cursor
        cursor = con.execute(query + " ORDER BY id")
        got.append(([d[0] for d in cursor.description], cursor.fetchall()))
    assert got[0] == got[1] and len(got[0][1]) == len(records)


@needs_duckdb
def test_the_2021_rows_are_the_same_inlined_or_not() -> None:
    con, rubric = warehouse(3000)
    inlined = query_2021(con, rubric)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(compiler.Compiler, "inline", lambda self, final: None)
        bound = query_2021(con, rubric)
    assert len(bound) > len(inlined)
    rows = [con.execute(f"SELECT * FROM ({q}) ORDER BY id").fetchall() for q in (inlined, bound)]  # type: ignore[attr-defined]  # duckdb's connection
    assert rows[0] == rows[1] and len(rows[0]) == 3000


# ---------------------------------------------------------------- the benchmark's exact baseline
@needs_duckdb
def test_the_exact_hand_written_baseline_is_exact_and_agrees_with_the_engine() -> None:
    """benchmarks/hand2021_exact.sql is the baseline benchmarks/README.md measures the engine
    against as "exact, checked": it must divide nothing as DuckDB divides a DECIMAL (into a
    DOUBLE), name no float type, and give the engine's every total, grade and refused row on
    the benchmark's records — or the ratio it reports compares the engine with a wrong query."""
    text = (RULESET.parent.parent / "benchmarks" / "hand2021_exact.sql").read_text(encoding="utf-8")
    tree = sqlglot.parse_one(text, read="duckdb")
    assert not list(tree.find_all(exp.Div)), "a / in DuckDB makes a DOUBLE of two DECIMALs"
    floats = {exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT}
    assert not [t for t in tree.find_all(exp.DataType) if t.this in floats]
    con, rubric = warehouse(20_000)
    con.execute(f"CREATE TABLE engine AS {query_2021(con, rubric)}")  # type: ignore[attr-defined]
    con.execute(f"CREATE TABLE hand AS {text}")  # type: ignore[attr-defined]
    differ = con.execute(  # type: ignore[attr-defined]
        "SELECT count(*) FILTER (WHERE e.total IS DISTINCT FROM h.total), count(*) FILTER (WHERE e.grade IS DISTINCT FROM h.grade), "
        "count(*) FILTER (WHERE (e.refusal IS NULL) != (h.refusal IS NULL)), count(*) FILTER (WHERE h.s1 NOT IN (0, 5)), count(*) "
        "FROM engine e JOIN hand h USING (id)"
    ).fetchone()
    assert differ[4] == 20_000
    assert differ[:3] == (0, 0, 0)
    assert differ[3] > 0  # some rows between a quotient's ends: its division is put to the test

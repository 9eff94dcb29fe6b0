"""The direct query (src/pingfen/sql/direct.py): what `pingfen eval --engine duckdb` runs for a
Parquet file of typed columns and a rubric of the common forms. It must say what the general
query says and what evaluate() says, row for row: every refusal (code and input, the first in
evaluate()'s order), every node's score exactly, every total and grade; it writes no float.
Held so on the 2021 rubric's boundary, random and broken records, and on generated rubrics."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlglot import exp

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.engine import _kind, column_scales, described, score_with_duckdb
from pingfen.sql import SqlRefusal, compiler, direct
from pingfen.sql.spelt import MISALIGNED
from pingfen.testing import boundary_values
from strategies import loaded, random_rubrics

RULESET = Path(__file__).parent.parent / "rulesets" / "dept-overall-2021.rule"
RUBRIC = pingfen.load(RULESET)
# a warehouse's types for the 2021 rubric's inputs: counts BIGINT, amounts to the cent, ratios to 4 places
# (amounts in a DECIMAL(38, 2): it holds the huge ones the query must refuse)
WAREHOUSE = {"count": "BIGINT", "amount": "DECIMAL(38, 2)", "percent": "DECIMAL(18, 4)", "score": "DECIMAL(18, 2)", "bool": "BOOLEAN"}
# values evaluate() refuses, or that the query must refuse for their size (10^14 and more; 10^18
# and more, which the general query's DECIMAL(38, 20) cannot hold), each in what its column holds
BROKEN: dict[str, list[object]] = {
    "count": [None, -1, 0, 10**14 - 1, 10**14, 10**17, 10**18 + 1, -(10**18) - 1],
    "amount": [None, Decimal("-0.01"), 0, 10**14, Decimal("99999999999999.99"), 10**17, 10**20, -(10**19),
               Decimal("999999999999999999999999999999999999.99"), Decimal("-999999999999999999999999999999999999.99")],
    "percent": [None, -1, Decimal("-0.0001"), 0, Decimal("1.0001"), Decimal("99999999999999.9999")],
    "score": [None, Decimal("-0.01"), 10**14, Decimal("5.01"), Decimal("9999999999999999.99")],
    "bool": [None],
}


def _records(n: int, seed: int) -> list[dict[str, object]]:
    """Boundary values of the 2021 rubric, random ones, and now and then a broken one."""
    rng = random.Random(seed)
    near = boundary_values(RUBRIC)
    out = []
    for _ in range(n):
        record: dict[str, object] = {}
        for s in RUBRIC.inputs:
            values = list(near.get(s.name) or [])
            roll = rng.random()
            if roll < 0.01:
                record[s.name] = rng.choice(BROKEN[s.type])
            elif s.type == "bool":
                record[s.name] = rng.random() < 0.7
            elif values and roll < 0.5:
                record[s.name] = rng.choice(values)
            elif s.type == "count":
                record[s.name] = rng.randint(0, 1200)
            elif s.type == "percent":
                record[s.name] = Decimal(rng.randint(0, 12_000)) / 10_000
            elif s.type == "amount":
                record[s.name] = Decimal(rng.randint(0, 10**8)) / 100
            else:
                top = max(b for op, b in s.bounds if op == "<=")
                record[s.name] = Decimal(rng.randint(0, int(top * 100) + 2)) / 100
        out.append(record)
    return out


def _table(con: object, rubric: pingfen.Rubric, records: list[dict[str, object]], types: dict[str, str]) -> list[dict[str, object]]:
    """The records in the relation `records` the engine reads (with its MISALIGNED column), each
    input in its column type; the records as the table holds them (a value rounded to the
    column's decimals is held rounded), in order."""
    columns = "".join(f', "{name}" {kind}' for name, kind in types.items())
    con.execute(f'CREATE OR REPLACE TABLE "records" (id INTEGER, {MISALIGNED} BOOLEAN{columns})')  # type: ignore[attr-defined]
    rows = [(i, False, *(None if r.get(n) is None else str(r[n]).lower() if isinstance(r[n], bool) else str(r[n]) for n in types))
            for i, r in enumerate(records)]  # fmt: skip
    con.executemany(f'INSERT INTO "records" VALUES ({", ".join("?" * (len(types) + 2))})', rows)  # type: ignore[attr-defined]
    cursor = con.execute(f'SELECT id {"".join(", " + chr(34) + n + chr(34) for n in types)} FROM "records" ORDER BY id')  # type: ignore[attr-defined]
    return [dict(zip(types, row[1:], strict=True)) for row in cursor.fetchall()]


def _rows(con: object, tree: exp.Select) -> list[dict[str, object]]:
    cursor = con.execute(f"SELECT * FROM ({tree.sql(dialect='duckdb')}) ORDER BY id")  # type: ignore[attr-defined]
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _general(con: object, rubric: pingfen.Rubric) -> exp.Select:
    """The general query the engine would run over the same relation."""
    return compiler.to_sql_tree(rubric, "duckdb", "records", reasons=False, kind=_kind(con, rubric, "parquet"), scales=column_scales(con))


def _agree(rubric: pingfen.Rubric, record: dict[str, object], row: dict[str, object]) -> None:
    """The row says what evaluate() says of the record as the table holds it: the first
    refusal's code and input, else the total and the grade, and every node's score. Not
    for a record of a value of 10^14 or more, which every query refuses (PF800, docs/scale.md)
    and evaluate() does not: those rows are held to the general query's."""
    if any(isinstance(v, (int, Decimal)) and not isinstance(v, bool) and abs(v) >= compiler.RANGE for v in record.values()):
        return
    try:
        result = rubric.evaluate(record, ratios=True)
    except pingfen.DataError as refused:
        first = refused.problems[0]
        assert (row["refusal"], row["refusal_input"]) == (first.code, first.input), (record, row)
        assert row["total"] is None and row["grade"] is None
        assert all(row[n.name] is None for top in rubric.tree for n in top.walk())  # a refused row has no score
        return
    assert (row["refusal"], row["refusal_input"]) == (None, None), (record, row)
    assert (row["total"], row["grade"]) == (result.total, result.grade), (record, row)
    for node in result.nodes():
        got = row[node.name]  # exact, but for a quotient's 20 decimals (docs/scale.md: within 1e-18)
        assert isinstance(got, Decimal) and abs(got - node.score) <= Decimal("1e-18"), (node.name, got, node.score, record)


def _warehouse(con: object, records: list[dict[str, object]]) -> list[dict[str, object]]:
    return _table(con, RUBRIC, records, {s.name: WAREHOUSE[s.type] for s in RUBRIC.inputs})


def _direct_2021(n: int, seed: int) -> tuple[object, list[dict[str, object]], exp.Select]:
    """A connection holding n records of the 2021 rubric in a warehouse's types, the records as
    held, and the direct query over them (typed columns and the common forms: written straight)."""
    con = duckdb.connect()
    held = _warehouse(con, _records(n, seed))
    tree = direct.query(RUBRIC, described(con, '"records"'))
    assert tree is not None
    return con, held, tree


@needs_duckdb
def test_the_2021_rubric_scores_directly_as_evaluate_and_the_general_query_do() -> None:
    con, held, tree = _direct_2021(4000, seed=2021)
    rows = _rows(con, tree)
    assert len(rows) == len(held)
    for record, row in zip(held, rows, strict=True):
        _agree(RUBRIC, record, row)
    refused = {row["refusal"] for row in rows} - {None}
    assert {"PF501", "PF503", "PF800"} <= refused  # the broken values reached each refusal the 2021 rubric can make
    assert rows == _rows(con, _general(con, RUBRIC))  # every column the general query's, value for value


@needs_duckdb
def test_its_refusals_are_the_general_querys_site_for_site() -> None:
    con, _held, tree = _direct_2021(1, seed=1)
    sites = direct.sites_of(tree)
    assert sites == direct.sites_of(_general(con, RUBRIC))
    assert len(sites) > 100 and sites[0] == ("PF520", None) and ("PF504", "编制人数") in sites


@needs_duckdb
def test_it_writes_no_float_and_each_score_in_the_decimals_it_has() -> None:
    con, _held, tree = _direct_2021(50, seed=3)
    kinds = {t.this for t in tree.find_all(exp.DataType)}
    assert not kinds & {exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT}
    written = described(con, f"({tree.sql(dialect='duckdb')})")
    assert not any("DOUBLE" in k or "FLOAT" in k for k in written.values())
    # a band of whole points, a judgment to the cent, a step per 1pp of a ratio to 4 places, a quotient's
    assert [written[n] for n in ("重点支出安排率", "经济效益", "政府采购执行率", "财政供养人员控制率", "total")] == [
        "DECIMAL(18,0)", "DECIMAL(18,2)", "DECIMAL(18,4)", "DECIMAL(38,20)", "DECIMAL(38,2)"]  # fmt: skip


@needs_duckdb
@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"在职人数": "DECIMAL(38, 20)"}, "more decimals than the direct query reads"),
        ({"在职人数": "DOUBLE"}, "a float column (the engine reads it as its text)"),
        ({"满意度": "VARCHAR"}, "a column of text"),
        ({"已制定预算管理制度": "INTEGER"}, "a bool held as a number"),
        ({"在职人数": "HUGEINT"}, "an integer wider than 64 bits"),
    ],
)
def test_a_column_it_does_not_read_leaves_the_general_query(change: dict[str, str], why: str) -> None:
    types = {s.name: WAREHOUSE[s.type] for s in RUBRIC.inputs} | {MISALIGNED: "BOOLEAN"}
    assert direct.query(RUBRIC, types) is not None
    assert direct.query(RUBRIC, types | change) is None, why


FORMS_LEFT = [
    ("group 空 0 { }\nindicator 甲 10 {\n  score = 分\n}", "an empty group"),
    ("indicator 甲 10 {\n  score = 分 / 3\n}", "a quotient read by a formula"),
    ("indicator 甲 10 {\n  round 1\n  score = 分 * 0.25\n}", "a node's round"),
    ("indicator 甲 10 {\n  bands 分 { >= 5 -> 10\n else -> 0 } if 分 < 9\n}", "a rule's if"),
    ("indicator 甲 10 {\n  deduct 1 per 0.3 of 分 above 1 counting whole\n}", "steps of 1/0.3, no decimal"),
]


@needs_duckdb
@pytest.mark.parametrize(("indicator", "why"), FORMS_LEFT)
def test_a_form_it_does_not_write_leaves_the_general_query(indicator: str, why: str) -> None:
    rubric = pingfen.loads(f'rubric "r" {{ total 10 }}\ninput 分: number >= 0 and <= 10\n{indicator}\n')
    assert direct.query(rubric, {"分": "DECIMAL(18, 2)", MISALIGNED: "BOOLEAN"}) is None, why


@needs_duckdb
def test_the_engine_runs_it_for_a_parquet_file_and_agrees_with_evaluate(tmp_path: Path) -> None:
    con = duckdb.connect()
    held = _warehouse(con, _records(600, seed=7))
    data, out = tmp_path / "填报.parquet", tmp_path / "结果.parquet"
    con.execute(f"COPY (SELECT * EXCLUDE ({MISALIGNED}) FROM records ORDER BY id) TO '{data}' (FORMAT parquet)")
    scored = score_with_duckdb(RUBRIC, str(data), str(out), ruleset=str(RULESET))
    assert scored.rows == len(held)
    cursor = con.execute(f"SELECT * FROM read_parquet('{out}') ORDER BY id")
    names = [d[0] for d in cursor.description]
    for record, row in zip(held, cursor.fetchall(), strict=True):
        _agree(RUBRIC, record, dict(zip(names, row, strict=True)))
    # the direct query's types (the general query writes this step's score as a DECIMAL(38, 20))
    assert described(con, f"SELECT * FROM read_parquet('{out}')")["政府采购执行率"] == "DECIMAL(18,4)"


def _column_type(spec: pingfen.InputSpec, values: list[object]) -> str:
    """A warehouse's type for the input's drawn values: INTEGER or BIGINT for whole numbers, else
    a DECIMAL of their decimals (a DECIMAL(38, s) holds the rare huge one)."""
    if spec.type == "bool":
        return "BOOLEAN"
    numbers = [Decimal(str(v)) for v in values if v is not None]
    places = max((max(0, -n.normalize().as_tuple().exponent) for n in numbers), default=0)  # type: ignore[operator]
    if places == 0 and all(abs(n) < 2**31 - 1 for n in numbers):
        return "INTEGER"  # read as a BIGINT: DuckDB's 32-bit sums would overflow
    if places == 0 and all(abs(n) < 2**62 for n in numbers):
        return "BIGINT"
    return f"DECIMAL(38, {places})" if places <= 18 else "DECIMAL(38, 20)"


@needs_duckdb
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
def test_generated_rubrics_score_directly_as_evaluate_does(data: st.DataObject) -> None:
    drawn = random_rubrics(loose=True, applies=False, newer=False, outside=False, vetoes=False)
    gen, rubric = loaded(data, drawn)
    import sqlhelp

    records = [t for t in (sqlhelp.typed(rubric, r) for r in data.draw(st.lists(gen.any_records, min_size=1, max_size=12), label="records")) if t is not None]
    if not records or any(s.type in ("label", "date") or s.is_list or s.batch is not None for s in rubric.inputs):
        event("not typed as a warehouse types")
        return
    types = {s.name: _column_type(s, [r.get(s.name) for r in records]) for s in rubric.inputs}
    con = duckdb.connect()
    held = _table(con, rubric, records, types)
    try:
        tree = direct.query(rubric, described(con, '"records"'))
    except SqlRefusal as refused:  # as the general query refuses it: a node named `total` …
        assert refused.code in ("PF805", "PF809", "PF810")
        return
    event("written straight" if tree is not None else "the general query")
    if tree is None:
        return
    rows = _rows(con, tree)
    for record, row in zip(held, rows, strict=True):
        _agree(rubric, record, row)
    assert direct.sites_of(tree) == direct.sites_of(_general(con, rubric))
    general = _rows(con, _general(con, rubric))
    assert rows == general


QUOTIENT = "input n: count\ninput m: count > 0\nlet q = n / m\nindicator x 5 {\n  deduct 1 per 1pp of q above 100%\n}\n"


def _header(total: str, places: int = 2, mode: str = "half_up") -> str:
    return f'rubric "r" {{ total {total}\n round total {places} {mode} }}\n'


# Rows a review found the direct query wrong on, or failing where the general query scores: each
# (rule text, column types, records), held to the general query's rows (and evaluate()'s)
FOUND = {
    "a refused row of ended indicators only has no total": (
        _header("10") + "input a: amount\ninput b: amount > 0\nlet q = a / b\nindicator x 10 {\n  deduct 1 per 1pp of q below 95%\n}\n",
        {"a": "DECIMAL(18, 2)", "b": "DECIMAL(18, 2)"},
        [{"a": -1, "b": 1}, {"a": None, "b": 1}, {"a": 1, "b": 2}],
    ),
    "a refused row's huge value is never multiplied for the total": (
        _header("10") + "input a: amount\ninput b: amount > 0\nlet q = a / b\nindicator x 10 {\n  deduct 1 per 1pp of q below 95%\n}\n",
        {"a": "DECIMAL(18, 2)", "b": "DECIMAL(18, 2)"},
        [{"a": Decimal("9999999999999999.99"), "b": 1}],
    ),
    "an unsigned column's difference": (
        _header("10") + "input a: number\ninput b: number\nindicator x 10 {\n  deduct 1 per 1 of a above b\n}\n",
        {"a": "UINTEGER", "b": "UINTEGER"},
        [{"a": 1, "b": 5}, {"a": 7, "b": 5}],
    ),
    "a 32-bit column's sum": (
        _header("10") + "input a: number\ninput b: number\nindicator x 10 {\n  award 10 if a + b > 5\n}\n",
        {"a": "INTEGER", "b": "INTEGER"},
        [{"a": 2000000000, "b": 2000000000}],
    ),
    "abs and minus at a small integer's end": (
        _header("10") + "input a: number\ninput b: number\nindicator x 10 {\n  award 10 if abs(a) > 5 and -b > 5\n}\n",
        {"a": "TINYINT", "b": "SMALLINT"},
        [{"a": -128, "b": -32768}],
    ),
    "a score of 17 decimals is settled before the total is rounded": (
        _header("5.5") + "input a: number >= 0\n" + QUOTIENT + "indicator y 0.5 {\n  score = a * 0.00000000005\n}\n",
        {"a": "DECIMAL(18, 6)", "n": "BIGINT", "m": "BIGINT"},
        [{"a": Decimal("99999999.999999"), "n": 1, "m": 1}],
    ),
    "rounding down a narrow total on 128 bits": (
        _header("5", 3, "down") + "input a: number >= 0 and <= 5\nindicator y 5 {\n  score = a * 1.0000000001\n}\n",
        {"a": "DECIMAL(18, 6)"},
        [{"a": Decimal("4.999999")}],
    ),
    "a total of 10^12 rounded up to 10 places": (
        'rubric "r" { total 1000000000000\n round total 10 up }\ninput a: number >= 0 and <= 1000000000000\n'
        "indicator y 1000000000000 {\n  score = a\n}\n",
        {"a": "DECIMAL(18, 2)"},
        [{"a": Decimal("1.5")}, {"a": 10**12}],
    ),
    "a score of more decimals than its max has digits": (
        _header("0.05") + "input a: number >= 0 and <= 1\nindicator y 0.05 {\n  score = a * 0.000000000001\n}\n",
        {"a": "DECIMAL(18, 6)"},
        [{"a": 1}],
    ),
}


@needs_duckdb
@pytest.mark.parametrize("case", list(FOUND))
def test_rows_a_review_found_score_as_the_general_query_does(case: str) -> None:
    text, types, records = FOUND[case]
    rubric = pingfen.loads(text)
    con = duckdb.connect()
    held = _table(con, rubric, records, types)
    tree = direct.query(rubric, described(con, '"records"'))
    assert tree is not None  # written straight: else there is nothing to hold
    rows = _rows(con, tree)
    assert rows == _rows(con, _general(con, rubric)), case
    for record, row in zip(held, rows, strict=True):
        _agree(rubric, record, row)


@needs_duckdb
def test_a_rubric_without_grades_writes_its_grade_as_text() -> None:
    rubric = pingfen.loads('rubric "r" { total 5 }\ninput a: number >= 0 and <= 5\nindicator y 5 {\n  score = a\n}\n')
    con = duckdb.connect()
    _table(con, rubric, [{"a": 1}], {"a": "DECIMAL(18, 2)"})
    tree = direct.query(rubric, described(con, '"records"'))
    assert tree is not None
    # a NULL-typed column would be written to Parquet as no type at all, where the general query's is text
    assert described(con, f"({tree.sql(dialect='duckdb')})")["grade"] == described(con, f"({_general(con, rubric).sql(dialect='duckdb')})")["grade"] == "VARCHAR"


@needs_duckdb
def test_a_rubric_of_no_rows_leaves_the_general_query() -> None:
    assert direct.query(pingfen.loads('rubric "r" { total 0 }\n'), {MISALIGNED: "BOOLEAN"}) is None

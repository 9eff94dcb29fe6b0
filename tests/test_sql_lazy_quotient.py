"""A quotient worked out only where its score reads it (Compiler.ends, DuckDB without reasons):
a step deduction `deduct R per S of Q above|below T` of a let `Q = a / b`, its indicator's one
rule, is told at its two ends (none lost, the max lost) by cross-multiplying the 64-bit twins,
and there the quotient's 64-bit steps are skipped. The scores are evaluate()'s on rows exactly
at each end, a hair inside and outside, for a negative divisor, a zero one (refused, PF504), a
negative quotient, an end that is no finite decimal (0 + 5/30), and values too large for a
twin (the long division); and the 2021 query, as the engine compiles it, takes the short cut
for its three quotients."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pingfen
import sqlhelp
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.evaluate.rubric import Rubric
from pingfen.loader import loads_unsound
from pingfen.sql import compiler
from pingfen.sql.newforms import FormsCompiler

ENDS = """
rubric "ends" {
  total 16
  round total 2
}
input a: number
input b: number
let q1 = a / b
let q2 = a / b
let q3 = a / b
indicator 超出 5 { deduct 0.5 per 0.01 of q1 above 1 counting proportional }
indicator 不足 6 { deduct 1 per 0.01 of q2 below 0.5 }
indicator 变动 5 { deduct 0.3 per 0.01 of q3 above 0 counting proportional }
"""

RUBRIC = loads_unsound(ENDS)[0]  # b may be 0 (PF410): such a record is refused
NODES = ("超出", "不足", "变动")

# the ends of each: q = 1 and 1.1; q = 0.5 and 0.44; q = 0 and 1/6 (no finite decimal)
HAIR = Decimal("0.000001")
DIVISORS = [Decimal(10), Decimal(-10), Decimal(3), Decimal(-7), Decimal("0.000001"), Decimal("999999.999999"), Decimal(0)]
ENDS_AT = [Decimal(1), Decimal("1.1"), Decimal("0.5"), Decimal("0.44"), Decimal(0)]


QUERIES: dict[bool, str] = {}


def rows_of(records: list[dict[str, object]], reasons: bool = False) -> list[dict[str, object]]:
    """The query's rows for the records, compiled as the engine compiles it (no reasons)."""
    if reasons not in QUERIES:
        QUERIES[reasons] = compiler.to_sql_tree(RUBRIC, "duckdb", "records", reasons=reasons, kind=FormsCompiler).sql("duckdb")
    con = duckdb.connect()
    sqlhelp.table(con, RUBRIC, records)
    cursor = con.execute(QUERIES[reasons] + " ORDER BY id")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def agree(record: dict[str, object], row: dict[str, object]) -> None:
    try:
        result = RUBRIC.evaluate(record, ratios=True)
    except pingfen.DataError as refused:
        assert (row["refusal"], row["refusal_input"]) == (refused.problems[0].code, refused.problems[0].input), (record, row)
        return
    assert row["refusal"] is None, (record, row)
    assert (row["total"], row["grade"]) == (result.total, result.grade), (record, row)
    for node in result.nodes():
        assert abs(row[node.name] - node.score) <= Decimal("1e-18"), (node.name, row[node.name], node.score, record)


def boundary_records() -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for b in DIVISORS:
        for t in ENDS_AT:
            for shift in (-HAIR, Decimal(0), HAIR):
                a = t * b + shift
                if abs(a) < 10**6 and a == a.quantize(HAIR):
                    records.append({"a": a, "b": b})
    # 1/6 and around it: the third indicator's far end, 0 + 5/30
    records += [{"a": Decimal(1), "b": Decimal(6)}, {"a": Decimal(1), "b": Decimal("6.000001")}, {"a": Decimal(1), "b": Decimal("5.999999")},
                {"a": Decimal("-1"), "b": Decimal("-6")}, {"a": Decimal("-1"), "b": Decimal("-5.999999")}]  # fmt: skip
    # too large for a twin: the long division answers, the ends unknown on 64 bits
    records += [{"a": Decimal(2 * 10**6), "b": Decimal(2 * 10**6)}, {"a": Decimal("2200000"), "b": Decimal(2 * 10**6)},
                {"a": Decimal("1050000.5"), "b": Decimal(10**6)}, {"a": Decimal("0.1234567"), "b": Decimal("0.1")}]  # fmt: skip
    return records


def test_the_engines_2021_query_takes_the_short_cut_for_its_three_quotients() -> None:
    rubric = pingfen.load(Path(__file__).resolve().parents[1] / "rulesets" / "dept-overall-2021.rule", tests=False)
    engine = FormsCompiler(rubric, "records", "duckdb", False)
    engine.tree()
    assert engine.lazy == ["财政供养人员控制率", "“三公经费”变动率", "“三公经费”控制率"]
    with_reasons = FormsCompiler(rubric, "records", "duckdb", True)  # the reasons read each quotient's value: whole
    with_reasons.tree()
    assert with_reasons.lazy == []


def test_the_rubric_here_takes_it_for_each_indicator() -> None:
    engine = FormsCompiler(RUBRIC, "records", "duckdb", False)
    engine.tree()
    assert engine.lazy == list(NODES)


@needs_duckdb
def test_scores_at_and_around_each_end_are_evaluates() -> None:
    records = boundary_records()
    assert len(records) > 80
    rows = rows_of(records)
    for record, row in zip(records, rows, strict=True):
        agree(record, row)
    # and as the query that works every quotient out: not digit for digit where an end is no
    # finite decimal (its quotient rounded to 20 places may leave 10⁻²⁰ short of the end)
    whole = rows_of(records, reasons=True)
    for row, other in zip(rows, whole, strict=True):
        assert [row[n] for n in ("total", "grade", "refusal")] == [other[n] for n in ("total", "grade", "refusal")]
        for n in NODES:
            assert row[n] is None if other[n] is None else abs(row[n] - other[n]) <= Decimal("1e-18"), (n, row, other)


NEAR = [*ENDS_AT, Decimal(1) / 6, Decimal(2)]  # each end, and a quotient far past them all


@needs_duckdb
@given(st.lists(st.tuples(st.integers(-3 * 10**6, 3 * 10**6), st.sampled_from(NEAR), st.integers(-50, 50)), min_size=1, max_size=40))
def test_random_quotients_near_the_ends_are_evaluates(draws: list[tuple[int, Decimal, int]]) -> None:
    """b drawn to 3 decimals, a = b × an end (to 3 decimals) plus a few thousandths either side."""
    records: list[dict[str, object]] = []
    for b, end, delta in draws:
        divisor = Decimal(b).scaleb(-3)
        records.append({"a": (divisor * end).quantize(Decimal("0.001")) + Decimal(delta).scaleb(-3), "b": divisor})
    for record, row in zip(records, rows_of(records), strict=True):
        agree(record, row)


READ_ELSEWHERE = {
    "another step": "indicator 乙 10 { deduct 0.2 per 0.01 of q above 1.1 counting proportional }",
    "bands": "indicator 乙 10 {\n  bands q {\n    >= 1 -> 10\n    [0.5, 1) -> 5\n    < 0.5 -> 0\n  }\n}",
    "a let": "let r = q * 2\nindicator 乙 10 { deduct 0.2 per 0.01 of r above 1 counting proportional }",
    "a condition": "indicator 乙 10 { score = 10 if q > 1 }",
}


@pytest.mark.parametrize("other", list(READ_ELSEWHERE))
def test_a_quotient_read_elsewhere_too_is_made_once_whole(other: str) -> None:
    """A second reader makes the whole quotient anyway: a masked copy would cost, not save."""
    text = ('rubric "x" {\n  total 20\n  round total 2\n}\ninput a: number\ninput b: number\nlet q = a / b\n'
            "indicator 甲 10 { deduct 0.5 per 0.01 of q above 1 counting proportional }\n")  # fmt: skip
    alone = FormsCompiler(loads_unsound(text.replace("total 20", "total 10"))[0], "records", "duckdb", False)
    alone.tree()
    assert alone.lazy == ["甲"]
    engine = FormsCompiler(loads_unsound(text + READ_ELSEWHERE[other] + "\n")[0], "records", "duckdb", False)
    engine.tree()
    assert engine.lazy == []


def far_end(threshold: int) -> Rubric:
    """q below `threshold`: each end's cross-product, n·b with b's twin up to 10¹², near 2⁶³."""
    text = f'rubric "o" {{\n  total 10\n  round total 2\n}}\ninput a: number\ninput b: number\nlet q = a / b\nindicator 远 10 {{ deduct 1 per 1 of q below {threshold} }}\n'
    return loads_unsound(text)[0]


def test_an_end_whose_cross_product_might_not_fit_in_64_bits_is_not_taken() -> None:
    fits, over = (FormsCompiler(far_end(t), "records", "duckdb", False) for t in (9_223_372, 9_223_373))
    fits.tree()
    over.tree()
    assert fits.lazy == ["远"] and over.lazy == []


@needs_duckdb
@pytest.mark.parametrize("threshold", [9_223_372, 9_223_373, 10_000_000])
def test_the_largest_twins_at_an_end_near_64_bits_are_evaluates(threshold: int) -> None:
    rubric = far_end(threshold)
    query = compiler.to_sql_tree(rubric, "duckdb", "records", reasons=False, kind=FormsCompiler).sql("duckdb")
    large, small = Decimal("999999.999999"), Decimal("0.000001")
    records = [{"id": i, "a": a, "b": b} for i, (a, b) in enumerate(
        (a, b) for a in (Decimal(1), -large, large, small, Decimal(threshold).scaleb(-6), Decimal(threshold - 5).scaleb(-6))
        for b in (large, -large, small, -small, Decimal(1)))]  # fmt: skip  # q at each end, with b = 10⁻⁶
    con = duckdb.connect()
    sqlhelp.table(con, rubric, records)
    cursor = con.execute(query + " ORDER BY id")
    names = [d[0] for d in cursor.description]
    for record, values in zip(records, cursor.fetchall(), strict=True):
        row = dict(zip(names, values, strict=True))
        result = rubric.evaluate({"a": record["a"], "b": record["b"]}, ratios=True)
        assert (row["total"], row["远"]) == (result.total, result.score("远")), (record, row)

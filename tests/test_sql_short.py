"""The 64-bit short cut of the SQL's quotients on DuckDB (pingfen.sql.exact's twins): a row
whose operands have at most 6 decimals and are below 10^6 divides in 64-bit steps, any other
row by the long division on 128-bit integers, in the same query. Both give the quotient to
20 decimals rounded half-even, digit for digit: on ties, on signs, on a sum of inputs, on a
let over lets, on values far beyond 64 bits and with 20 decimals, and next to a zero divisor."""

from __future__ import annotations

import decimal
import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import pingfen
import sqlhelp
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.loader import loads_unsound
from pingfen.sql import to_sql

WIDE = decimal.Context(prec=100, rounding=decimal.ROUND_HALF_EVEN)
TOP = 10**15  # the total's 5 × 10^15, × 100 to round, stays within the query's 10^18

# Every quotient is an indicator's score shifted into [0, max], so that the row shows it whole.
QUOTIENTS = f"""
rubric "quotients" {{
  total {5 * TOP}
  round total 2 half_even
}}
input a: number
input b: number
input c: number
let q = a / b
let d = a - c
let r = d / (b + c)
let s = r + 1
indicator 商 {TOP} {{ score = q + {TOP // 2} }}
indicator 差商 {TOP} {{ score = (a - c) / (b + 3) + {TOP // 2} }}
indicator 比 {TOP} {{ score = r + {TOP // 2} }}
indicator 再商 {TOP} {{ score = s / 7 + {TOP // 2} }}
indicator 嵌套 {TOP} {{ score = (a - (b - c)) / 3 + {TOP // 2} }}
"""


def rubric() -> pingfen.Rubric:
    return loads_unsound(QUOTIENTS)[0]  # divisors may be 0 (PF410): such a record is refused


RUBRIC = rubric()


def exact(a: Decimal, b: Decimal) -> Decimal:
    return WIDE.divide(a, b).quantize(Decimal("1e-20"), context=WIDE)


def expected(record: dict[str, Decimal]) -> dict[str, Decimal] | None:
    a, b, c = record["a"], record["b"], record["c"]
    if b == 0 or b + 3 == 0 or b + c == 0:
        return None
    half = Decimal(TOP // 2)
    r = exact(WIDE.subtract(a, c), WIDE.add(b, c))
    quotients = {"商": exact(a, b), "差商": exact(WIDE.subtract(a, c), WIDE.add(b, 3)), "比": r, "再商": exact(WIDE.add(r, 1), Decimal(7)),
                 "嵌套": exact(WIDE.subtract(a, WIDE.subtract(b, c)), Decimal(3))}
    return {name: WIDE.add(q, half) for name, q in quotients.items()}


def fits(record: dict[str, Decimal]) -> bool:
    """Whether every quotient stays within the scores' room (a larger one stops the query)."""
    want = expected(record)
    return want is None or all(abs(v - TOP // 2) < TOP // 4 for v in want.values())


def check(records: list[dict[str, Decimal]]) -> None:
    records = [r for r in records if fits(r)]
    rows = sqlhelp.score(duckdb.connect(), RUBRIC, list(records))
    for record, row in zip(records, rows, strict=True):
        want = expected(record)
        if want is None:
            assert row["refusal"] == "PF504", record
            continue
        assert row["refusal"] is None, (record, row["refusal"])
        for name, value in want.items():
            assert row[name] == value, (name, record, row[name], value)


SHORT = st.decimals(min_value=-(10**6) + 1, max_value=10**6 - 1, places=6, allow_nan=False, allow_infinity=False)
LONG = st.one_of(
    st.decimals(min_value=-(10**13), max_value=10**13, places=20, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=-(10**13), max_value=10**13, places=0, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal(10**6), Decimal(-(10**6)), Decimal("0.0000001"), Decimal("999999.9999999")]),
)


@needs_duckdb
def test_the_2021_quotients_read_twins_of_their_inputs_on_duckdb_only() -> None:
    twenty = pingfen.load(sqlhelp.__file__.replace("tests/sqlhelp.py", "rulesets/dept-overall-2021.rule"), tests=False)
    duck, spark = to_sql(twenty, "duckdb"), to_sql(twenty, "spark")
    # an input's column, not the query's own (`_pf_…`: a text column's reading, folded away for a typed one)
    twinned = set(re.findall(r'TRY_CAST\("((?!_pf_)[^"]+)" AS DECIMAL\(18, 6\)\)', duck))
    counts = {spec.name for spec in twenty.inputs if spec.type == "count"}  # a count's twin tells a fraction cheaply
    assert twinned == {"在职人数", "编制人数", "本年三公经费", "上年三公经费", "三公经费预算数"} | counts  # no other input's
    assert "DECIMAL(18, 6)" not in spark and "BIGINT" not in spark


@needs_duckdb
@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(SHORT, SHORT, SHORT), min_size=40, max_size=40))
def test_short_rows_divide_to_twenty_decimals_half_even(triples: list[tuple[Decimal, Decimal, Decimal]]) -> None:
    check([{"a": a, "b": b, "c": c} for a, b, c in triples])


@needs_duckdb
@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.one_of(SHORT, LONG), st.one_of(SHORT, LONG), st.one_of(SHORT, LONG)), min_size=40, max_size=40))
def test_short_and_long_rows_in_one_query_divide_alike(triples: list[tuple[Decimal, Decimal, Decimal]]) -> None:
    check([{"a": a, "b": b, "c": c} for a, b, c in triples])


@needs_duckdb
def test_ties_round_half_even_and_signs_are_kept() -> None:
    # k / 2^21 has 21 decimals ending in 5 for odd k: a tie at the 20th decimal
    two21 = Decimal(2**21).scaleb(-6)  # 2.097152: a twin of 2^21
    records = []
    for k in (1, 3, 5, 7, 999_999):
        for sa, sb in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
            records.append({"a": sa * Decimal(k).scaleb(-6), "b": sb * two21, "c": Decimal(0)})
    records.append({"a": Decimal(0), "b": Decimal(-5), "c": Decimal(0)})
    records.append({"a": Decimal("999999.999999"), "b": Decimal("0.000001"), "c": Decimal(0)})  # the largest short quotient
    check(records)
    assert exact(Decimal("0.000003"), two21) == Decimal("0.00000143051147460938")  # the tie went up to even


@needs_duckdb
def test_beyond_64_bits_and_next_to_a_zero_divisor_the_long_division_answers() -> None:
    big = Decimal(10**13) - Decimal("0.00000000000000000001")
    records = [
        {"a": big, "b": Decimal("0.00000000000000000003"), "c": Decimal(0)},  # a quotient beyond 10^18: see below
        {"a": big, "b": Decimal(3), "c": Decimal(1)},
        {"a": Decimal(-(10**13) + 1), "b": Decimal("99999.999999"), "c": Decimal("0.0000001")},
        {"a": Decimal(1), "b": Decimal(0), "c": Decimal(2)},  # PF504, on the short path
        {"a": Decimal("1.0000001"), "b": Decimal(0), "c": Decimal(2)},  # PF504, on the long one
        {"a": Decimal(5), "b": Decimal(-3), "c": Decimal(3)},  # b + c = 0: PF504 at the let
    ]
    check(records[1:])
    assert not fits(records[0])
    try:  # a quotient that does not fit the query's numbers stops the query, never a wrong score
        rows = sqlhelp.score(duckdb.connect(), RUBRIC, records[:1])
        assert rows[0]["商"] is None, rows
    except duckdb.Error as error:
        assert "Overflow" in str(error) or "out of range" in str(error).lower()
    else:
        pass  # (the query may refuse the quotient's row instead; it never scores it)


COUNTS = """
rubric "counts" {
  total 10
}
input n: count
indicator 次数 10 { deduct 1 per n }
"""


@needs_duckdb
def test_a_counts_fraction_is_refused_with_a_twin_or_without() -> None:
    counts = pingfen.loads(COUNTS)
    values = ["3", "3.000000", "1.5", "0.000001", "1.0000001", "2000000", "2000000.5", "999999.999999", "0", "-2"]
    records: list[dict[str, object]] = [{"n": Decimal(v)} for v in values]
    rows = sqlhelp.score(duckdb.connect(), counts, records)
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(counts, record, row)
    assert [row["refusal"] for row in rows] == [None, None, "PF503", "PF503", "PF503", None, "PF503", "PF503", None, "PF503"]


STEPS = """
rubric "steps" {
  total 40
  round total 2 half_up
}
input n: count
input x: number
input y: number
indicator 件数 10 { deduct 0.5 per n }
indicator 高出 10 { deduct 0.5 per 2 of x above y counting proportional }
indicator 低于 10 { deduct 0.05 per 1 of x below y - 1 counting proportional }
indicator 偏离 10 { deduct 0.25 per 1 of x from 3 counting proportional }
"""


@needs_duckdb
@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.one_of(SHORT, LONG), st.one_of(SHORT, LONG)), min_size=30, max_size=30))
def test_a_step_of_a_fraction_per_unit_is_exact_with_a_twin_or_without(triples: list[tuple[int, Decimal, Decimal]]) -> None:
    steps = pingfen.loads(STEPS)
    records: list[dict[str, object]] = [{"n": Decimal(n), "x": x, "y": y} for n, x, y in triples]
    records = [r for r in records if abs(r["x"]) < 10**9 and abs(r["y"]) < 10**9]  # type: ignore[arg-type]  # Decimals
    rows = sqlhelp.score(duckdb.connect(), steps, records)
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(steps, record, row)  # (evaluate() keeps 28 digits: a 29-digit value's score is within 1e-18)

"""A value a row works out past the query's 18 integer digits costs only that row (PF801).

Every number of the general query is a `DECIMAL(38, 20)`; an input is below 10^14, but what a
rubric works out from inputs need not be: 99999999999999 / 0.00001 is 10^19, 10^13 × 10^6
too. Before, the engine's overflow error stopped the whole query — every other row of the
file unscored. Now each sum, product and quotient that could pass NUM (sql/sizes.py) is
guarded: on a row where it reaches 10^18 − 1 it is NULL, never worked out, and the row is
refused with PF801 where evaluate() reaches it (so is a quotient by a worked-out divisor of
10^14 or more whose remainders pass the long division's room); every other row scores as
evaluate() does. On Spark, whose DIV wraps a whole
part past 2^63, a quotient past it was even scored wrong (0 for 5), silently.
Each form has its own rubric, so that its guard is the first (and only) one a row meets."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

import pingfen
import sqlhelp
from data_helpers import RULESET
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.sql import sizes, to_sql_tree

HEAD = 'rubric "大数" { total 5 }\ninput a: number\ninput b: number > 0\ninput c: number\nlet q = a / b\n'
BIG = "99999999999999"

# each form: the indicator that works it out, and records (a, b, c, refused?): True, False, or
# REASONS, refused only by the query with reasons (the engine's tells the deduction's ends apart)
REASONS = "with reasons"
FORMS: dict[str, tuple[str, list[tuple[str, str, str, bool | str]]]] = {
    "quotient": ("indicator x 5 { score = min(5, max(0, q)) }", [
        (BIG, "0.00001", "0", True), ("-" + BIG, "0.00001", "0", True),  # ±10^19
        (BIG, "0.0001", "0", False),  # 999999999999990000: below 10^18 − 1, scored
        ("3", "2", "0", False)]),
    "a quotient past 2^64": ("indicator x 5 { score = if q > 100 then 5 else 0 }", [
        # Spark's DIV wrapped its whole part, 18446744073709551…, to a small number: it scored 0 where evaluate() scores 5
        (BIG, "0.00000542101086242752", "0", True), ("300", "2", "0", False)]),
    "a divisor of 10^14": ("indicator x 5 { score = min(5, max(0, (a * 1000) / (b * b))) }", [
        # a divisor of 10^16 + 2·10^8 + 1, a remainder of ~10^36 digits: × 10^4, past 10^38
        ("99999999999999", "100000001", "0", True),
        ("10000000000000", "100000000", "0", False),  # a divisor of 10^16, no remainder: scored
        ("3", "9999999", "0", False)]),  # a divisor below 10^14: each remainder small enough
    "a quotient of 64-bit steps": ("indicator x 5 { score = min(5, max(0, (a + 999999999999) / b)) }", [
        # a constant's twin is below 10^18: the 64-bit steps gave 10^24 (the whole query stopped)
        ("999999", "0.000001", "0", True), ("1", "2", "0", False)]),
    "a step count the points read": ("indicator x 5 { deduct 0.12345678901234567 per 0.0064 of q above 0 counting proportional }", [
        # rate ÷ step has too many decimals to be one product: the steps (1.5625·10^19) are read
        ("10000000000000", "0.0001", "0", True), ("1.5", "1", "0", False)]),
    "an adjust row's deductions": ("indicator y 5 { score = 5 }\nadjust x -2 .. +2 {\n  deduct 5 per 1 of q above 1\n  deduct 5 per 1 of q above 0\n}", [
        ("15000000000000", "0.0001", "0", True), ("9000000000000", "0.0001", "0", False), ("1.5", "1", "0", False)]),
    "an adjust row less its deductions": ("indicator y 5 { score = 5 }\nadjust x -2 .. +2 {\n  score = q\n  deduct 1 per 1 of q below 0\n}", [
        ("-60000000000000", "0.0001", "0", True), ("-49999999999999", "0.0001", "0", False), ("1", "1", "0", False)]),
    "sum": ("indicator x 5 { score = min(5, max(0, q + q - c)) }", [
        ("60000000000000", "0.0001", "0", True),  # 1.2·10^18
        ("49999999999999", "0.0001", "-9999", False),  # 999999999999980000 + 9999: just below
        ("49999999999999", "0.0001", "-99999999", True)]),
    "product of inputs": ("indicator x 5 { score = min(5, max(0, a * c)) }", [
        ("1000000000", "1", "1000000000", True), ("-10000000000000", "1", "1000000", True),  # 10^18, −10^19
        ("999999999", "1", "999999999", False),  # 999999998000000001
        # fractions of .99999999999999999995 or more rounded to 1 at 19 decimals, and their
        # product, a DECIMAL(38, 38), overflowed: the whole query stopped on a value below 1
        ("-0.99999999999999999999", "1", "0.99999999999999999999", False),
        ("3", "1", "2", False)]),
    "product of worked-out values": ("indicator x 5 { score = min(5, max(0, q * q)) }", [
        ("1000000000", "1", "0", True),  # 10^18
        ("999999999.5", "1", "0", False),  # 999999999000000000.25
        ("-999999999999.5", "0.5", "0", True), ("1.5", "1", "0", False)]),
    "product by a constant": ("indicator x 5 { score = min(5, max(0, q * 50)) }", [
        ("20000000000000", "0.001", "0", True),  # 10^18
        ("19999999999999.99", "0.001", "0", False)]),  # 999999999999999500
    "round": ("indicator x 5 { score = min(5, max(0, round(q, 2))) }", [
        ("10000000000000", "0.001", "0", True),  # 10^16: its cents past NUM's digits
        ("9999999999999.99999", "0.001", "0", False)]),  # 9999999999999999.99: its cents within them
    "a branch reached": ("indicator x 5 { score = min(5, max(0, if c > 0 then a * c else 0)) }", [
        ("10000000000000", "1", "1000000", True),
        ("10000000000000", "1", "-1000000", False)]),  # −10^19 in the branch not taken: evaluate() never works it out
    "a step deduction": ("indicator x 5 { deduct 0.5 per 0.01 of q above 1 }", [
        # 50 × (2.1·10^16 − 1) lost, a quotient of 10^19: the engine's query tells both past the
        # deduction's end (a·10 ≥ 11·b: score 0, as evaluate()'s) and works neither out
        ("21000000000000", "0.001", "0", REASONS), (BIG, "0.00001", "0", REASONS),
        ("9999999999999.999", "0.001", "0", False),  # its 9.99…·10^17 steps of 0.01 (a reason's number) and half as many points
        ("1.2", "1", "0", False), ("0.5", "1", "0", False)]),
    "two deductions": ("indicator x 5 {\n  deduct 5 per 1 of q above 1\n  deduct 5 per 1 of q above 0\n}", [
        ("15000000000000", "0.0001", "0", True),  # each 7.5·10^17, both 1.5·10^18
        ("9000000000000", "0.0001", "0", False), ("1.5", "1", "0", False)]),
    "a score less its deductions": ("indicator x 5 {\n  score = q\n  deduct 1 per 1 of q below 0\n}", [
        ("-60000000000000", "0.0001", "0", True),  # q − |q| = −1.2·10^18
        ("-49999999999999", "0.0001", "0", False), ("2", "1", "0", False)]),
}


def rubric_of(form: str) -> pingfen.Rubric:
    return pingfen.loads(HEAD + FORMS[form][0] + "\n", "大数.rule", tests=False)


def records_of(form: str) -> list[dict[str, object]]:
    return [{"a": Decimal(a), "b": Decimal(b), "c": Decimal(c)} for a, b, c, _refused in FORMS[form][1]]


def check(form: str, rows: list[dict[str, object]], reasons: bool = True) -> None:
    """Each row refused PF801 where the form's value passes the query's digits (evaluate()
    scores it: the limit is the query's own), else as evaluate() says."""
    rubric = rubric_of(form)
    records = records_of(form)
    assert len(rows) == len(records)
    for record, row, (*_values, refused) in zip(records, rows, FORMS[form][1], strict=True):
        if refused is True or (refused == REASONS and reasons):
            assert (row["refusal"], row["refusal_input"], row["total"], row["x"]) == ("PF801", None, None, None), (record, row)
            assert rubric.evaluate(record).total is not None
        elif reasons:
            sqlhelp.agree(rubric, record, row)
        else:
            result = rubric.evaluate(record)
            assert (row["refusal"], row["total"], row["grade"]) == (None, result.total, result.grade), (record, row)
            got = row["x"]
            assert isinstance(got, Decimal) and abs(got - result.scores()["x"]) <= Decimal("1e-18"), (record, row)  # the contract's


@needs_duckdb
@pytest.mark.parametrize("form", list(FORMS))
def test_a_value_past_the_querys_digits_refuses_its_row_and_no_other_on_duckdb(form: str) -> None:
    check(form, sqlhelp.score(duckdb.connect(), rubric_of(form), records_of(form)))


@needs_duckdb
@pytest.mark.parametrize("form", list(FORMS))
def test_the_engines_query_without_reasons_refuses_the_same_rows(form: str) -> None:
    """The query `pingfen eval --engine duckdb` runs on a file it cannot write directly: no
    reasons, and a step deduction's quotient read only between its two ends (compiler.ends)."""
    con = duckdb.connect()
    rubric = rubric_of(form)
    sqlhelp.table(con, rubric, records_of(form))
    cursor = con.execute(to_sql_tree(rubric, "duckdb", "records", reasons=False).sql(dialect="duckdb") + " ORDER BY id")
    names = [d[0] for d in cursor.description]
    check(form, [dict(zip(names, row, strict=True)) for row in cursor.fetchall()], reasons=False)


@needs_duckdb
def test_a_row_refused_for_its_bounds_first_is_refused_for_them() -> None:
    """PF801 takes its place in evaluate()'s order: an input outside its bounds (b ≤ 0, PF503)
    is found first, as evaluate() finds it, though the quotient it gives is past the digits."""
    rubric = rubric_of("quotient")
    records: list[dict[str, object]] = [{"a": Decimal(BIG), "b": Decimal("-0.00001"), "c": Decimal(0)}]
    (row,) = sqlhelp.score(duckdb.connect(), rubric, records)
    sqlhelp.agree(rubric, records[0], row)
    assert row["refusal"] == "PF503"


def test_a_form_whose_values_fit_is_written_as_before() -> None:
    """No guard where nothing can pass the digits: inputs below 10^14, and their sums and
    products by small constants, are written plainly (the 2021 rubric's bands and awards)."""
    rubric = pingfen.loads('rubric "小" { total 5 }\ninput a: number\ninput c: number\n'
                           "indicator x 5 { score = min(5, max(0, a + c * 3 - 2)) }\n", "小.rule", tests=False)  # fmt: skip
    assert "PF801" not in to_sql_tree(rubric).sql(dialect="duckdb")
    assert "PF801" in to_sql_tree(rubric_of("sum")).sql(dialect="duckdb")


def test_each_value_is_bounded_as_the_compiler_guards_it() -> None:
    """sql/sizes.py's spans: an input below 10^14 in size; a quotient guarded, so within
    10^18 − 1; a sum of two such may pass NUM (so it is guarded); a quotient less 1 may not (so
    it is not); a product of inputs may, and is guarded, so within NUM."""
    rubric = pingfen.loads(HEAD + "let s = q + q\nlet d = q - 1\nlet p = a * c * 3\nindicator x 5 { score = min(5, max(0, s + d + p)) }\n",
                           "大数.rule", tests=False)  # fmt: skip
    found = sizes.Sizes({spec.name: spec for spec in rubric.inputs}, {let.name.text: let for let in rubric.module.lets})
    assert found.of_name("a") == sizes.Span.around(Decimal("99999999999999.99999999999999999999"))
    assert found.of_name("q") == sizes.Span.around(sizes.KEPT) and sizes.KEPT == Decimal("999999999999999998.99999999999999999999")
    assert not sizes.plus(found.of_name("q"), found.of_name("q")).fits and found.of_name("s") == sizes.Span.around(sizes.KEPT)
    assert found.of_name("d") == sizes.Span(Decimal("-999999999999999999.99999999999999999999"), Decimal("999999999999999997.99999999999999999999"))
    assert found.of_name("d").fits
    assert found.of_name("p") == sizes.Span.around(Decimal("999999999999999999.99999999999999999999"))  # (a × c) × 3: past 10^28, guarded
    assert sizes.below_grid(Fraction(sizes.LIMIT) / 50) == Decimal("19999999999999999.97999999999999999999")


def test_the_2021_query_guards_its_quotients_and_their_step_deductions_only() -> None:
    """The 2021 rubric's three quotients may pass the digits (a divisor near 0), and so may each
    deduction's steps of 1pp (× 100, a reason's number) and points lost (× 50, × 100): nine
    guards in the query with reasons. The engine's query (no reasons) tells each deduction's
    ends apart on every row and works its quotient out only between them, where it is small:
    no guard at all, as the direct query. Bands, awards, sums of scores, `max − lost`: none."""
    rubric = pingfen.load(RULESET, tests=False)
    assert to_sql_tree(rubric, "duckdb", "records", reasons=False).sql(dialect="duckdb").count("'PF801'") == 0
    assert to_sql_tree(rubric, "duckdb", "records", reasons=True).sql(dialect="duckdb").count("'PF801'") == 9


BATCH = """rubric "批" { total 5 }
input 完成数: number
input 计划数: number > 0
let 平均完成率 = batch mean(完成数 / 计划数)
indicator 完成 5 { score = if 完成数 / 计划数 >= 平均完成率 then 5 else 0 }
"""


@needs_duckdb
@pytest.mark.parametrize("reasons", [True, False], ids=["reasons", "engine"])
def test_a_batch_value_of_quotients_counts_every_row_as_evaluate_does(reasons: bool) -> None:
    """A batch value's expression is not guarded: a guard's site there (NULL on a row whose
    quotient took DuckDB's 64-bit steps) left every such row out of the batch, and all were
    refused PF541 (the review's find). A value too large there stops the query (below)."""
    rubric = pingfen.loads(BATCH, "批.rule", tests=False)
    records: list[dict[str, object]] = [{"完成数": Decimal(a), "计划数": Decimal(b)} for a, b in (("3", "1"), ("2", "1"), ("1", "1"), ("1234567.5", "1000000"))]
    con = duckdb.connect()
    sqlhelp.table(con, rubric, records)
    cursor = con.execute(to_sql_tree(rubric, "duckdb", "records", reasons=reasons).sql(dialect="duckdb") + " ORDER BY id")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    expected = [rubric.evaluate(r).total for r in sqlhelp.batched(rubric, records)]
    assert [row["refusal"] for row in rows] == [None] * 4
    assert [row["total"] for row in rows] == expected == [Decimal("5.00"), Decimal("5.00"), Decimal("0.00"), Decimal("0.00")]


@needs_duckdb
def test_a_batch_value_past_the_digits_stops_the_query_rather_than_leave_a_row_out() -> None:
    """`batch max(a * c)` of 10^19 on one row: evaluate() counts it, so the batch value is
    10^19 and every row scores 5. Left out, the other row would score 0 unrefused; the query
    stops instead, as for any batch value past the digits (docs/scale.md)."""
    rubric = pingfen.loads('rubric "批" { total 5 }\ninput a: number\ninput c: number\nlet m = batch max(a * c)\n'
                           "indicator x 5 { score = if m > 100 then 5 else 0 }\n", "批.rule", tests=False)  # fmt: skip
    records: list[dict[str, object]] = [{"a": Decimal(10**9), "c": Decimal(10**10)}, {"a": Decimal(1), "c": Decimal(1)}]
    with pytest.raises(duckdb.Error):
        sqlhelp.score(duckdb.connect(), rubric, records)


@needs_duckdb
def test_a_batch_values_guards_leave_no_other_site_unread() -> None:
    """The sites a batch expression made are dropped once its rows are told; a guard's number
    kept then named another site, which `unguard` dropped: a missing `d` went unrefused, every
    score NULL (the review's find). Each guard now carries its own token."""
    rubric = pingfen.loads('rubric "t" { total 5 }\ninput a: number\ninput c: number\nlet m = batch max(a * c + a * c)\n'
                           "input d: number > 0\nindicator x 5 { score = min(5, max(0, d)) }\n", "t.rule", tests=False)  # fmt: skip
    records: list[dict[str, object]] = [{"a": Decimal(1), "c": Decimal(1)}, {"a": Decimal(1), "c": Decimal(1), "d": Decimal(3)}]
    con = duckdb.connect()
    sqlhelp.table(con, rubric, records)
    cursor = con.execute(to_sql_tree(rubric, "duckdb", "records", reasons=False).sql(dialect="duckdb") + " ORDER BY id")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    assert [(row["refusal"], row["refusal_input"], row["x"]) for row in rows] == [("PF501", "d", None), (None, None, Decimal(3))]


# What evaluate() never works out may be past the digits: the query must not stop on it either.
# Each: the rubric (inputs a, b, c) and its records (a, b, c, the query's own refusal or None).
NEVER_WORKED_OUT: dict[str, tuple[str, list[tuple[str, str, str, str | None]]]] = {
    # the row is refused for its bounds (b ≤ 0), so left out of the batch; its quotient, −10^19,
    # stopped the whole query (a batch value's expression is worked out on every row)
    "a batch quotient of a row left out": (
        'input a: number\ninput b: number > 0\ninput c: number\nlet m = batch max(a / b)\n'
        "indicator x 5 { score = if a / b >= m then 5 else 0 }\n",
        [(BIG, "-0.00001", "0", None), ("3", "1", "0", None), ("2", "1", "0", None)]),
    # c ≤ 0: evaluate() takes the other arm; the quotient of 10^19 stopped the query
    "a batch quotient in an arm not taken": (
        'input a: number\ninput b: number > 0\ninput c: number\nlet m = batch max(if c > 0 then a / b else 0)\n'
        "indicator x 5 { score = if m > 2 then 5 else 0 }\n",
        [(BIG, "0.00001", "-1", None), ("3", "1", "1", None)]),
    # a cell of 10^17 is refused as past the query's range (PF800); rounding it to its precision
    # first, its cents (10^19) stopped the query
    "an input at a precision": (
        'input a: number precision 0.01\ninput b: number\ninput c: number\nindicator x 5 { score = min(5, max(0, a)) }\n',
        [("100000000000000000", "1", "0", "PF800"), ("-100000000000000000", "1", "0", "PF800"), ("3.456", "1", "0", None),
         ("99999999999999.994", "1", "0", None)]),
}


def never_rubric(case: str) -> pingfen.Rubric:
    return pingfen.loads('rubric "大数" { total 5 }\n' + NEVER_WORKED_OUT[case][0], "大数.rule", tests=False)


def never_records(case: str) -> list[dict[str, object]]:
    return [{"a": Decimal(a), "b": Decimal(b), "c": Decimal(c)} for a, b, c, _code in NEVER_WORKED_OUT[case][1]]


def check_never(case: str, rows: list[dict[str, object]]) -> None:
    """Every row as evaluate() scores it in its batch, but one the query refuses for its range."""
    rubric, records = never_rubric(case), never_records(case)
    assert len(rows) == len(records)
    for record, row, (*_values, code) in zip(sqlhelp.batched(rubric, records), rows, NEVER_WORKED_OUT[case][1], strict=True):
        if code is None:
            sqlhelp.agree(rubric, record, row)
        else:
            assert (row["refusal"], row["refusal_input"], row["total"]) == (code, "a", None), (record, row)


@needs_duckdb
@pytest.mark.parametrize("case", list(NEVER_WORKED_OUT))
def test_a_value_evaluate_never_works_out_does_not_stop_the_query(case: str) -> None:
    check_never(case, sqlhelp.score(duckdb.connect(), never_rubric(case), never_records(case)))

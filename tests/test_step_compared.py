"""A deduction per step compares its value with the reference first and works out the
excess only when something is over (issue 11): `a <= b` is `a - b <= 0`, and the two can
differ only where `a - b` overflows, so the comparison is used only where the generator
bounds both sides far below 10^Emax (`rulegen._magnitude`). Here: that bound is sound on
random expressions and inputs as large and as small as a record may give, the compared form
is written where it may be and not where it may not, and both score as the walker does."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import pingfen
from pingfen.check.passes import check
from pingfen.evaluate import walker as oracle
from pingfen.evaluate.rulegen import _magnitude
from pingfen.syntax.parser import parse

# values a record may hold: |x| < 10^101, and 0 or |x| >= 10^-100 (`values.coerce`)
EXTREMES = ["9.999999999999999999999999999999E+100", "-9.99E+100", "1E-100", "-1E-100", "0", "-0", "1", "0.5",
            "123456789012345678901234567890.123", "7E+50", "-3E-60"]  # fmt: skip
POSITIVE = [v for v in EXTREMES if Decimal(v) > 0]  # c, the divisor

leaves = st.sampled_from(["a", "b", "c", "2", "0.001", "100000", "30000.5"])


def expressions(depth: int = 3) -> st.SearchStrategy[str]:
    if depth == 0:
        return leaves
    inner = expressions(depth - 1)
    return st.one_of(
        leaves,
        st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, st.sampled_from(["c", "2", "0.001", "30000.5"])).map(lambda t: f"({t[0]} / {t[1]})"),
        inner.map(lambda e: f"(-{e})"),
        st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        inner.map(lambda e: f"abs({e})"),
        inner.map(lambda e: f"round({e}, 2)"),
        st.tuples(inner, inner).map(lambda t: f"(if a > b then {t[0]} else {t[1]})"),
    )


def rubric_text(expr: str) -> str:
    return (
        'rubric "界" { total 5 }\ninput a: number\ninput b: number\ninput c: number > 0\n'
        f"let v = {expr}\n"
        "indicator 步 5 { deduct 1 per 1 of v above 0 }\n"
    )


@given(expressions(), st.lists(st.sampled_from(EXTREMES), min_size=3, max_size=3))
def test_the_bound_holds_for_every_value_a_record_may_give(expr: str, values: list[str]) -> None:
    text = rubric_text(expr)
    module, _ = parse(text)
    assert module is not None
    checked = check(module)
    lets = {let.name.text: let.expr for let in module.lets}
    inputs = {i.name.text: i for i in module.inputs}
    bound = _magnitude(lets["v"], lets, inputs)
    rubric = pingfen.loads(text)
    record = dict(zip("abc", map(Decimal, values), strict=True))
    if record["c"] <= 0:
        record["c"] = Decimal(POSITIVE[len(values[0]) % len(POSITIVE)])
    try:
        value = rubric.walker().expression(lets["v"], rubric.coerce(record))
    except pingfen.DataError:  # a zero divisor: refused, no value to bound
        return
    if bound is not None:
        assert value.copy_abs() <= Decimal(1).scaleb(bound), (expr, record, value, bound)
    del checked


def run_of(rubric: pingfen.Rubric) -> str:
    source = rubric.program.source
    return source[source.index("def run") :]


COMPARED = re.compile(r"\n +if [xyc]\d+ <= [xyc]\d+:\n.*\n +else:\n +m\d+ = ")


def test_the_compared_form_where_the_values_are_bounded_and_the_difference_first_elsewhere() -> None:
    bounded = pingfen.loads(rubric_text("(a - b) / c"))
    assert COMPARED.search(run_of(bounded))
    # a panel's mean: no bound claimed, so the difference first, as the rule reads
    panel = pingfen.loads(
        'rubric "面板" { total 5 }\ninput 评分: list of 3 number\nlet v = mean(评分)\n'
        "indicator 步 5 { deduct 1 per 1 of v above 0 }\n"
    )
    run = run_of(panel)
    assert not COMPARED.search(run) and re.search(r"\n +m\d+ = y0 - c\d+\n +if m\d+ <= c0:", run)
    record = {"评分": [Decimal("0.5"), Decimal(1), Decimal("-2")]}
    assert panel.evaluate(record).scores() == {"步": Decimal("5")}
    assert panel.evaluate({"评分": [Decimal(3), Decimal(1), Decimal(2)]}).scores() == {"步": Decimal("3")}


@given(expressions(2), st.lists(st.sampled_from(EXTREMES), min_size=3, max_size=3),
       st.sampled_from(["above 0", "below 0", "above 100%", "below 50%"]))  # fmt: skip
def test_compared_steps_score_as_the_walker(expr: str, values: list[str], direction: str) -> None:
    text = (
        'rubric "界" { total 5 }\ninput a: number\ninput b: number\ninput c: number > 0\n'
        f"let v = {expr}\n"
        f"indicator 步 5 {{ deduct 0.5 per 0.25 of v {direction} }}\n"
    )
    rubric = pingfen.loads(text)
    module, _ = parse(text)
    assert module is not None
    record = dict(zip("abc", map(Decimal, values), strict=True))
    if record["c"] <= 0:
        record["c"] = Decimal(POSITIVE[len(values[0]) % len(POSITIVE)])
    try:
        expected = oracle.evaluate(module, check(module), text, rubric.coerce(record))
    except pingfen.DataError as refused:
        try:
            rubric.evaluate(record)
        except pingfen.DataError as error:
            assert [p.code for p in error.problems] == [p.code for p in refused.problems]
            return
        raise AssertionError(f"the walker refused {record}, the compiled code did not") from None
    result = rubric.evaluate(record)
    assert result.scores() == expected.scores() and str(result.total) == str(expected.total)
    assert str(result.raw_total) == str(expected.raw_total)

"""The generated code reads each input with one type test and its bounds as one chained
comparison of constants (issue 11): the declared bounds, the kind's (a count or an amount
is not negative) and `values.coerce`'s limits (0, or 10^-100 ≤ |x| < 10^101) merged into
the tightest pair. It takes exactly what the general path would take as it is, and hands
everything else to it (returns None): the outcome is the general path's, value by value."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation, getcontext, setcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pingfen
from pingfen.errors import DataError
from pingfen.evaluate.codegen import _interval
from pingfen.values import CONTEXT

RULE = """rubric "边界" { total 60 }
input 人数: count
input 金额: amount
input 比率: percent >= 0 and <= 100%
input 严格: number > 0 and < 5
input 双重: number > 2 and >= 2
input 负数: number >= -3 and <= -1
input 自由: number
input 精度: number precision 0.01 >= 0
group 组 60 {
  indicator 甲 10 { deduct 1 per 人数 }
  indicator 乙 10 { deduct 0.001 per 金额 }
  indicator 丙 10 { deduct 1 per 1pp of 比率 below 100% }
  indicator 丁 10 { score = min(严格 + 双重 - 负数, 10) }
  indicator 戊 10 { score = min(abs(自由), 10) }
  indicator 己 10 { score = min(精度, 10) }
}
"""
RUBRIC = pingfen.loads(RULE)
GOOD: dict[str, object] = {"人数": 1, "金额": Decimal("2.5"), "比率": Decimal("0.95"), "严格": Decimal(1),
                           "双重": Decimal(3), "负数": Decimal(-2), "自由": Decimal(0), "精度": Decimal("1.234")}  # fmt: skip

EDGES: list[object] = [
    0, 1, -1, 10**100, 10**101, -(10**101), True, None, "1", 1.5,
    Decimal(0), Decimal("-0"), Decimal("0E+5"), Decimal("0.000"), Decimal(1), Decimal(-1), Decimal("2.0"),
    Decimal("1E-100"), Decimal("9.99E-101"), Decimal("-1E-100"), Decimal("-9.99E-101"), Decimal("1E-101"),
    Decimal("9.999E+100"), Decimal("1E+101"), Decimal("-9.999E+100"), Decimal("-1E+101"),
    Decimal("Infinity"), Decimal("-Infinity"), Decimal("NaN"), Decimal("sNaN"), Decimal("-NaN"),
    Decimal(5), Decimal("4.999"), Decimal(2), Decimal("2.0001"), Decimal(-3), Decimal(-1), Decimal("-0.5"),
    Decimal("0.5"), Decimal("1.0000001"), Decimal("1.005"), Decimal("1.1E+3"),
]  # fmt: skip


def fast(record: dict[str, object]) -> object:
    """The generated code's fast path alone: a Result, or None for the general path."""
    saved = getcontext()
    setcontext(CONTEXT)
    try:
        return RUBRIC._run(record, "zh")
    except InvalidOperation:  # a NaN met a comparison: `evaluate` takes the general path
        return None
    finally:
        setcontext(saved)


def general(record: dict[str, object]) -> object:
    """The general path: every input coerced, then the same scoring."""
    try:
        values = RUBRIC._coerce(record, None)
    except DataError as error:
        return [(p.code, p.input) for p in error.problems]
    saved = getcontext()
    setcontext(CONTEXT)
    try:
        return RUBRIC._score(*values, "zh")
    finally:
        setcontext(saved)


@pytest.mark.parametrize("name", list(GOOD))
@pytest.mark.parametrize("value", EDGES, ids=repr)
def test_the_fast_path_takes_what_the_general_path_takes_as_it_is(name: str, value: object) -> None:
    record = {**GOOD, name: value}
    expected = general(record)
    got = fast(record)
    if got is not None:  # taken: only what the general path scores, and to the same result
        assert isinstance(expected, pingfen.Result)
        assert got == expected and got.scores() == expected.scores()
        assert [str(s) for s in got._scores] == [str(s) for s in expected._scores]
    elif isinstance(expected, pingfen.Result):  # handed on although scored: only what coerce reads (text, floats)
        assert isinstance(value, (str, float)), (name, value)


def test_a_plain_record_takes_the_fast_path() -> None:
    assert isinstance(fast(GOOD), pingfen.Result)
    assert fast({**GOOD, "人数": Decimal(3), "金额": 7, "自由": -4}) is not None


@given(st.decimals(allow_nan=True, allow_infinity=True), st.sampled_from(list(GOOD)))
def test_any_decimal_scores_or_is_refused_as_on_the_general_path(value: Decimal, name: str) -> None:
    record = {**GOOD, name: value}
    try:
        expected: object = RUBRIC.evaluate(record)  # the fast path when it takes the record
    except DataError as error:
        expected = [(p.code, p.input) for p in error.problems]
    assert expected == general(record)


def test_the_tightest_bounds_are_kept() -> None:
    two, zero = Decimal(2), Decimal(0)
    assert _interval(((">", two), (">=", two)), "number")[0][0] == ("<", two)
    assert _interval(((">=", two), (">", two)), "number")[0][0] == ("<", two)
    assert _interval(((">=", -two),), "amount")[0][0] == ("<=", zero)  # an amount is never negative
    assert _interval((("<=", two), ("<", Decimal(3))), "number")[0][1] == ("<=", two)
    assert _interval((("!=", two),), "number")[1] == (("!=", two),)


def test_a_tiny_value_is_refused_before_it_is_rounded() -> None:
    """`values.coerce` refuses 9.99E-101 (PF503) before rounding it to a precision; the fast
    path once rounded it to 0.00 first and scored the record."""
    with pytest.raises(DataError) as refused:
        RUBRIC.evaluate({**GOOD, "精度": Decimal("9.99E-101")})
    assert [(p.code, p.input) for p in refused.value.problems] == [("PF503", "精度")]

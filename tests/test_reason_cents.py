"""A quotient's digits in a reason, rounded to cents in C (issue 11): `display.cents` (a quantize
half up in a context with room for every digit, its zeros dropped) says what rounding the
digits of its text says (`display.rounded`), on every shape of number written without an
exponent — ties, carries through 9s, -0, 20 digits and more before the point, 28 after it; and a
step's gap in percentage points is the same words whether worked out or kept by its text."""

from __future__ import annotations

import decimal
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from pingfen import reasons
from pingfen.display import cents, number, rounded

plain_values = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
    st.integers(0, 30).flatmap(lambda places: st.decimals(min_value=-(10**6), max_value=10**6, places=places)),
    st.builds(lambda n, e: Decimal(n).scaleb(e), st.integers(-(10**40), 10**40), st.integers(-35, 0)),
).filter(lambda value: "E" not in str(value))


@given(plain_values)
@example(Decimal("0.995"))
@example(Decimal("-0.995"))
@example(Decimal("9.995"))
@example(Decimal("99999999999999999999999.995"))
@example(Decimal("-0.004"))
@example(Decimal("-0.0000"))
@example(Decimal("4.1666666666666666666666666667"))
@example(Decimal("0.04961832061068702290076335878"))
@example(Decimal("123456789012345678901234567890.125"))
def test_cents_in_c_are_the_digits_rounded(value: Decimal) -> None:
    assert cents(value) == rounded(str(value), 2)
    assert number(value) == rounded(str(value), 2)


@given(plain_values)
def test_cents_ignore_the_reader_s_context(value: Decimal) -> None:
    expected = rounded(str(value), 2)
    with decimal.localcontext(decimal.Context(prec=2, rounding=decimal.ROUND_FLOOR, traps=[decimal.Inexact])):
        assert cents(value) == expected


@given(st.one_of(plain_values, st.sampled_from([Decimal("1E+2"), Decimal("-1E-9"), Decimal("Infinity")])))
def test_a_gap_in_percentage_points_is_its_hundredfold_for_a_reader(excess: Decimal) -> None:
    expected = reasons.shown(excess.scaleb(2, reasons._WIDE)) if excess.is_finite() else reasons.shown(excess)
    for zh, words in ((True, " 个百分点"), (False, " percentage points")):
        said = reasons._POINTS_APART[zh]
        assert said(excess) == expected + words
        assert said(Decimal(str(excess))) == expected + words  # a fresh Decimal of the same digits: kept


def test_a_short_gap_is_worded_once() -> None:
    first = reasons._POINTS_APART[True](Decimal("0.1392"))
    assert first == "13.92 个百分点" and reasons._POINTS_APART[True](Decimal("0.1392")) is first

"""The numbers of a reason and of a report, worked out on their digits (issue 11): `display.number`
and `reasons.shown` round by integer arithmetic on str() of the value where they used a quantize
in a context of their own. The former code is kept here as the reference, and both are read on
every kind of Decimal: short and long, negative, -0, exponents up and down, huge and tiny, ties."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from hypothesis import example, given
from hypothesis import strategies as st

import pingfen
from pingfen import reasons
from pingfen.display import number, plain, rounded
from pingfen.values import CONTEXT

_CENT = Decimal("0.01")
_ROOM = Context(prec=28, rounding=ROUND_HALF_UP)
_SHORT = Decimal("0.000001")


def old_number(value: Decimal) -> str:
    if not value.is_finite():
        return str(value)
    adjusted = value.adjusted()
    room = _ROOM if adjusted < 24 else Context(prec=adjusted + 4, rounding=ROUND_HALF_UP)
    return plain(value.quantize(_CENT, context=room))


def old_shown(value: Decimal) -> str:
    if value.is_finite() and value == value.quantize(_SHORT, context=CONTEXT) if abs(value.adjusted()) < 20 else False:
        return plain(value)
    if value.is_finite() and abs(value.adjusted()) < 20:
        return old_number(value.quantize(_CENT, context=_ROOM))
    return old_number(value)


# Values as reasons meet them: quotients of 28 digits, percents, scores with their zeros,
# and the edges: ties at the third and seventh decimal, -0, exponents, 20 digits and more.
EDGES = [
    "0", "-0", "-0.000", "0E+2", "-0E+2", "1E+2", "-1E+2", "2.5E+3", "1E-7", "-1E-7", "1.5E-6", "0.000001",
    "0.0000005", "0.0000015", "-0.0000015", "0.005", "-0.005", "0.015", "-0.015", "0.994", "0.995", "-0.995",
    "9.995", "-9.995", "99.995", "1.0000000", "4.1666666666666666666666666667", "-4.1666666666666666666666666667",
    "0.4970178926441351888667992048", "12345678901234567890", "12345678901234567890.125", "-12345678901234567890.5",
    "123456789012345678901", "123456789012345678901.005", "-123456789012345678901.995", "1E+39", "1E+40", "1E+60",
    "1.23456789E+25", "1E-30", "Infinity", "-Infinity", "NaN", "-NaN", "NaN12",
]  # fmt: skip

values = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.integers(0, 9).flatmap(lambda places: st.decimals(min_value=-1000, max_value=1000, places=places)),
    st.builds(lambda n, e: Decimal(n).scaleb(e), st.integers(-(10**30), 10**30), st.integers(-40, 40)),
    st.sampled_from([Decimal(e) for e in EDGES]),
)


@given(values)
@example(Decimal("0.995"))
@example(Decimal("-0.0000015"))
def test_number_rounds_as_the_quantize_did(value: Decimal) -> None:
    assert number(value) == old_number(value)


@given(values)
@example(Decimal("12345678901234567890.125"))
@example(Decimal("-12345678901234567890.125"))
@example(Decimal("1E+2"))
def test_shown_says_what_it_said(value: Decimal) -> None:
    assert reasons.shown(value) == old_shown(value)


@given(values)
def test_a_percent_and_a_gap_say_what_they_said(value: Decimal) -> None:
    hundredfold = reasons._hundredfold(value)
    assert reasons.quantity(value, "percent") == old_shown(hundredfold) + "%"
    assert reasons._cents(value) == old_shown(value)  # a gap as the points it costs: shown, not cut to cents


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None), st.integers(0, 8))
def test_rounded_is_a_half_up_quantize(value: Decimal, places: int) -> None:
    text = str(value)
    if "E" in text:
        text = format(value, "f")  # rounded() reads digits written without an exponent
    quantum = Decimal(1).scaleb(-places)
    room = Context(prec=max(28, value.adjusted() + places + 4), rounding=ROUND_HALF_UP)
    assert rounded(text, places) == plain(Decimal(text).quantize(quantum, context=room))


def test_the_edges_by_hand() -> None:
    assert [number(Decimal(t)) for t in ("0.995", "-0.995", "-0.004", "2.50", "1E+2", "4.1666")] == [
        "1", "-1", "0", "2.5", "100", "4.17"]  # fmt: skip
    assert [reasons.shown(Decimal(t)) for t in ("0.005", "4.1666666", "1.0000000", "-0.000", "1E+2", "0E+2")] == [
        "0.005", "4.17", "1", "0", "100", "0"]  # fmt: skip


def test_every_edge_as_before() -> None:
    for text in EDGES:
        value = Decimal(text)
        assert number(value) == old_number(value), text
        assert reasons.shown(value) == old_shown(value), text
        assert reasons.quantity(value, "percent") == old_shown(reasons._hundredfold(value)) + "%", text


def test_a_gap_is_shown_with_the_digits_of_the_points_it_costs() -> None:
    """The gap was cut to 2 decimals while the points beside it kept 3: "1.24 个百分点，每个百分点扣
    1 分，扣 1.235 分" did not add up."""
    rubric = pingfen.loads('rubric "r" { total 5 }\ninput p: percent\n'
                           "indicator b 5 { deduct 1 per 1pp of p below 100% counting proportional }\n")
    assert rubric.evaluate({"p": Decimal("0.98765")})["b"].reasons == [
        "p 98.765% 低于 100% 1.235 个百分点，每个百分点扣 1 分，扣 1.235 分"]
    assert rubric.evaluate({"p": Decimal("0.98765432109")})["b"].reasons == [
        "p 98.77% 低于 100% 1.23 个百分点，每个百分点扣 1 分，扣 1.23 分"]  # a longer one: 2 decimals on both

"""canonical() and canonicals() in a clamped context (normalize and plus, each in C) give
the digits the former ways gave: by taking the digits apart (the reference below), and by
normalizing then adding 0 in a context of every digit (issue 11's second pass)."""

from __future__ import annotations

from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal

from hypothesis import given
from hypothesis import strategies as st

from pingfen.display import canonical, canonicals

_EVERY_DIGIT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def by_digits(value: Decimal) -> Decimal:
    """The canonical form by its definition: zeros after the point dropped, no exponent above 0, no -0."""
    if not value.is_finite():
        return value
    if value.is_zero():
        return Decimal()
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent > 0:
        return Decimal((sign, digits + (0,) * exponent, 0))
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    if exponent < 0 and digits == (0,):  # pragma: no cover - a zero was handled above
        return Decimal()
    return Decimal((sign, digits, exponent))


def added(value: Decimal) -> Decimal:
    """canonicals() as the second pass wrote it."""
    if not value.is_finite():
        return value
    return _EVERY_DIGIT.add(_EVERY_DIGIT.normalize(value), 0)


EDGES = [
    "0", "-0", "0.000", "-0.000", "0E+5", "-0E+5", "0E-30", "2E+1", "-2E+3", "1.2300E+5", "20.00", "3.10",
    "3", "-3.5", "0.5", "1E-150", "-1E-150", "9.99E-101", "1E+100", "1E+101", "87.00",
    "123456789012345678901234567890123E+4", "1.000000000000000000000000000000000000000",
    "0.1000000000000000000000000000001", "-99999999999999999999999999999999999.9900",
    "NaN", "-NaN", "NaN123", "Infinity", "-Infinity",
]  # fmt: skip


def same(a: Decimal, b: Decimal) -> bool:
    return a.as_tuple() == b.as_tuple() and a.is_nan() == b.is_nan()


def test_the_edges() -> None:
    values = [Decimal(text) for text in EDGES]
    for value, got in zip(values, canonicals(values), strict=True):
        assert same(got, by_digits(value)), value
        assert same(canonical(value), by_digits(value)), value
        assert same(got, added(value)), value


def test_a_signalling_nan_is_given_back_as_it_is() -> None:
    values = [Decimal("1.50"), Decimal("sNaN7"), Decimal("-0")]
    got = canonicals(values)
    assert str(got[0]) == "1.5" and str(got[1]) == "sNaN7" and str(got[2]) == "0"
    assert str(canonical(Decimal("-sNaN"))) == "-sNaN"


decimals = st.builds(
    lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
    st.integers(0, 1), st.lists(st.integers(0, 9), min_size=1, max_size=60), st.integers(-130, 130),
)  # fmt: skip


@given(st.lists(decimals | st.decimals(allow_nan=True, allow_infinity=True), max_size=40))
def test_random_values_as_by_their_digits(values: list[Decimal]) -> None:
    got = canonicals(values)
    assert all(same(g, by_digits(v)) for g, v in zip(got, values, strict=True))
    assert all(same(canonical(v), by_digits(v)) for v in values)

"""Interval arithmetic is sound: the result of an operation on intervals contains the
operation's result on every pair of points drawn from them, ends included."""

from __future__ import annotations

import decimal
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pingfen.check import intervals as iv
from pingfen.check.intervals import INF, NEG_INF, Interval, IntervalSet

small = st.decimals(-50, 50, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    lo = draw(st.none() | small)
    hi = draw(st.none() | small)
    lo_v, hi_v = (NEG_INF if lo is None else lo), (INF if hi is None else hi)
    assume(lo_v <= hi_v)
    interval = Interval.make(lo_v, hi_v, draw(st.booleans()), draw(st.booleans()), whole=draw(st.booleans()))
    assume(not interval.empty)
    return interval


@st.composite
def member(draw: st.DrawFn, interval: Interval) -> Decimal:
    """A point of the interval: one of its closed ends, or a point drawn inside it."""
    candidates = [e for e, closed in ((interval.lo, interval.lo_closed), (interval.hi, interval.hi_closed)) if closed]
    lo = interval.lo if interval.lo.is_finite() else Decimal(-1000)
    hi = interval.hi if interval.hi.is_finite() else Decimal(1000)
    if interval.whole:
        candidates.append(
            Decimal(
                draw(
                    st.integers(
                        int(lo.to_integral_value(decimal.ROUND_CEILING)), int(hi.to_integral_value(decimal.ROUND_FLOOR))
                    )
                )
            )
        )
    else:
        candidates.append(draw(st.decimals(lo, hi, places=4, allow_nan=False, allow_infinity=False)))
    x = draw(st.sampled_from(candidates))
    assume(interval.contains(x))
    return x


def exact(op, x: Decimal, y: Decimal) -> Decimal:  # type: ignore[no-untyped-def]
    with decimal.localcontext(decimal.Context(prec=60)):
        return op(x, y)


@given(intervals(), intervals(), st.data())
def test_add_sub_mul_contain_every_pointwise_result(a: Interval, b: Interval, data: st.DataObject) -> None:
    x, y = data.draw(member(a)), data.draw(member(b))
    assert iv.add(a, b).contains(exact(lambda p, q: p + q, x, y))
    assert iv.sub(a, b).contains(exact(lambda p, q: p - q, x, y))
    assert iv.mul(a, b).contains(exact(lambda p, q: p * q, x, y)), (a, b, x, y)


# Hypothesis draws from the literals of the modules loaded so far, so how many divisors it
# must reject (those containing 0) depends on what other tests imported: not a failure.
@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(intervals(), intervals(), st.data())
def test_division_contains_every_quotient(a: Interval, b: Interval, data: st.DataObject) -> None:
    assume(not b.contains(Decimal(0)))
    x, y = data.draw(member(a)), data.draw(member(b))
    with decimal.localcontext(decimal.Context(prec=28)):  # what evaluation computes
        quotient = x / y
    assert iv.div(a, b).contains(quotient), (a, b, x, y, quotient)


@given(intervals(), intervals(), st.data())
def test_abs_min_max(a: Interval, b: Interval, data: st.DataObject) -> None:
    x, y = data.draw(member(a)), data.draw(member(b))
    assert iv.absolute(a).contains(abs(x))
    assert iv.minimum([a, b]).contains(min(x, y))
    assert iv.maximum([a, b]).contains(max(x, y))


def test_zero_times_anything_is_an_attained_zero() -> None:
    zero = Interval.point(Decimal(0))
    assert iv.mul(zero, iv.EVERYTHING).contains(Decimal(0))
    count = Interval.make(Decimal(0), INF, True, False, whole=True)
    positive = Interval.make(Decimal(0), INF, False, False)
    assert iv.mul(count, positive).contains(Decimal(0))


def test_division_rounds_outward() -> None:
    """3/[3, 6] reaches exactly 1: a quotient rounded to 28 digits must not hide it."""
    a = Interval.make(Decimal(0), Decimal(3), True, True)
    b = Interval.make(Decimal(3), Decimal(6), True, True)
    assert iv.div(a, b).contains(Decimal(1))


@given(intervals(), intervals(), st.data())
def test_set_difference(a: Interval, b: Interval, data: st.DataObject) -> None:
    assume(not b.whole or a.whole)
    x = data.draw(member(a))
    rest = IntervalSet.of(a).minus(IntervalSet.of(b))
    assert rest.contains(x) == (not b.contains(x))

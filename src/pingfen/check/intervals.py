"""Exact interval arithmetic over Decimals, and sets of intervals.

The checker uses these to know every value a rubric can compare: an input's domain,
what `let` arithmetic makes of it, which values a band takes and which it leaves.
Infinite ends are Decimal infinities; nothing here ever goes through float.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal

from attrs import frozen

INF = Decimal("Infinity")
NEG_INF = Decimal("-Infinity")
UNTRAPPED = decimal.Context(prec=28, traps=[])  # inf - inf gives NaN, handled below
# Ends are rounded outward, so a 28-digit rounding can never shrink an interval.
_DOWN = decimal.Context(prec=28, rounding=decimal.ROUND_FLOOR, traps=[])
_UP = decimal.Context(prec=28, rounding=decimal.ROUND_CEILING, traps=[])
_GRID = decimal.Context(prec=200, traps=[decimal.InvalidOperation])  # multiples of a quantum: a few digits each


@frozen
class Interval:
    """Values between lo and hi; an infinite end is never closed. `whole` keeps only integers."""

    lo: Decimal = NEG_INF
    hi: Decimal = INF
    lo_closed: bool = False
    hi_closed: bool = False
    whole: bool = False

    @classmethod
    def point(cls, value: Decimal) -> Interval:
        return cls(value, value, True, True)

    @classmethod
    def make(cls, lo: Decimal, hi: Decimal, lo_closed: bool, hi_closed: bool, whole: bool = False) -> Interval:
        """An interval with infinite ends open and, for integers, ends tightened to integers."""
        lo_closed = lo_closed and lo.is_finite()
        hi_closed = hi_closed and hi.is_finite()
        if whole:
            if lo.is_finite():
                up = lo.to_integral_value(rounding=decimal.ROUND_CEILING)
                lo, lo_closed = (up, True) if up != lo or lo_closed else (up + 1, True)
            if hi.is_finite():
                down = hi.to_integral_value(rounding=decimal.ROUND_FLOOR)
                hi, hi_closed = (down, True) if down != hi or hi_closed else (down - 1, True)
        return cls(lo, hi, lo_closed, hi_closed, whole)

    @property
    def empty(self) -> bool:
        if self.lo > self.hi:
            return True
        return self.lo == self.hi and not (self.lo_closed and self.hi_closed)

    def contains(self, x: Decimal) -> bool:
        if self.whole and x != x.to_integral_value():
            return False
        above = x > self.lo or (self.lo_closed and x == self.lo)
        below = x < self.hi or (self.hi_closed and x == self.hi)
        return above and below

    def intersect(self, other: Interval) -> Interval:
        if self.lo > other.lo or (self.lo == other.lo and not self.lo_closed):
            lo, lo_closed = self.lo, self.lo_closed
        else:
            lo, lo_closed = other.lo, other.lo_closed
        if self.hi < other.hi or (self.hi == other.hi and not self.hi_closed):
            hi, hi_closed = self.hi, self.hi_closed
        else:
            hi, hi_closed = other.hi, other.hi_closed
        return Interval.make(lo, hi, lo_closed, hi_closed, self.whole or other.whole)

    def witness(self, step: Decimal = Decimal(1)) -> Decimal:
        """A value inside a non-empty interval, as plain as possible: a closed end; one
        step inside an open end facing infinity; else the midpoint (89.995% between
        89.99% and 90%)."""
        assert not self.empty
        if self.lo_closed:
            return self.lo
        if self.hi_closed:
            return self.hi
        if not self.lo.is_finite() and not self.hi.is_finite():
            return Decimal(0)
        if not self.lo.is_finite():
            return self.hi - (1 if self.whole else step)
        if not self.hi.is_finite():
            return self.lo + (1 if self.whole else step)
        with decimal.localcontext(UNTRAPPED):
            middle = (self.lo + self.hi) / 2
            return middle.to_integral_value(decimal.ROUND_FLOOR) if self.whole else middle

    def __str__(self) -> str:
        lo = "-∞" if not self.lo.is_finite() else format(self.lo, "f")
        hi = "∞" if not self.hi.is_finite() else format(self.hi, "f")
        return f"{'[' if self.lo_closed else '('}{lo}, {hi}{']' if self.hi_closed else ')'}"


EVERYTHING = Interval()


# ---------------------------------------------------------------- arithmetic


def _nan_to(value: Decimal, fallback: Decimal) -> Decimal:
    return fallback if value.is_nan() else value


def add(a: Interval, b: Interval) -> Interval:
    lo = _nan_to(_DOWN.add(a.lo, b.lo), NEG_INF)
    hi = _nan_to(_UP.add(a.hi, b.hi), INF)
    return Interval.make(lo, hi, a.lo_closed and b.lo_closed, a.hi_closed and b.hi_closed, a.whole and b.whole)


def neg(a: Interval) -> Interval:
    return Interval.make(-a.hi, -a.lo, a.hi_closed, a.lo_closed, a.whole)


def sub(a: Interval, b: Interval) -> Interval:
    return add(a, neg(b))


def mul(a: Interval, b: Interval) -> Interval:
    """The hull of the endpoint products, rounded outward. A product is attained when both
    ends are, or when one end is an attained 0 (0 times anything is 0)."""
    ends = [
        (x, y, (xc and yc) or (xc and x == 0) or (yc and y == 0))
        for x, xc in ((a.lo, a.lo_closed), (a.hi, a.hi_closed))
        for y, yc in ((b.lo, b.lo_closed), (b.hi, b.hi_closed))
    ]
    low = [(_nan_to(_DOWN.multiply(x, y), Decimal(0)), c) for x, y, c in ends]
    high = [(_nan_to(_UP.multiply(x, y), Decimal(0)), c) for x, y, c in ends]
    lo = min(p for p, _ in low)
    hi = max(p for p, _ in high)
    lo_closed = any(c for p, c in low if p == lo)
    hi_closed = any(c for p, c in high if p == hi)
    return Interval.make(lo, hi, lo_closed, hi_closed, a.whole and b.whole)


def div(a: Interval, b: Interval) -> Interval:
    """a / b for a divisor that excludes 0 (the caller reports one that does not)."""
    if b.contains(Decimal(0)) or (b.lo < 0 < b.hi):
        return EVERYTHING
    lo = Decimal(0) if not b.hi.is_finite() else _DOWN.divide(1, b.hi)
    hi = Decimal(0) if not b.lo.is_finite() else _UP.divide(1, b.lo)
    if b.lo == 0:  # (0, hi]: the reciprocal grows without bound
        hi = INF
    if b.hi == 0:
        lo = NEG_INF
    reciprocal = Interval.make(lo, hi, b.hi_closed, b.lo_closed)
    return mul(a, reciprocal)


def absolute(a: Interval) -> Interval:
    if a.lo >= 0:
        return a
    if a.hi <= 0:
        return neg(a)
    if -a.lo == a.hi:
        hi, hi_closed = a.hi, a.lo_closed or a.hi_closed
    else:
        hi, hi_closed = (-a.lo, a.lo_closed) if -a.lo > a.hi else (a.hi, a.hi_closed)
    return Interval.make(Decimal(0), hi, True, hi_closed, a.whole)


def minimum(items: Iterable[Interval]) -> Interval:
    items = list(items)
    lo = min(items, key=lambda i: (i.lo, not i.lo_closed))
    hi = min(items, key=lambda i: (i.hi, i.hi_closed))
    return Interval.make(lo.lo, hi.hi, lo.lo_closed, hi.hi_closed, all(i.whole for i in items))


def maximum(items: Iterable[Interval]) -> Interval:
    items = list(items)
    lo = max(items, key=lambda i: (i.lo, not i.lo_closed))
    hi = max(items, key=lambda i: (i.hi, i.hi_closed))
    return Interval.make(lo.lo, hi.hi, lo.lo_closed, hi.hi_closed, all(i.whole for i in items))


# ---------------------------------------------------------------- sets of intervals


@frozen
class IntervalSet:
    """A union of disjoint intervals, sorted."""

    parts: tuple[Interval, ...] = ()

    @classmethod
    def of(cls, *intervals: Interval) -> IntervalSet:
        return cls(tuple(i for i in intervals if not i.empty)).normalized()

    def normalized(self) -> IntervalSet:
        return IntervalSet(tuple(i for i in self.parts if not i.empty))

    @property
    def empty(self) -> bool:
        return not self.parts

    def union(self, other: IntervalSet) -> IntervalSet:
        """Sorted, with overlapping and touching intervals merged: a union of a thousand
        adjoining bands stays one interval, so what is tested against it stays cheap."""
        return IntervalSet(_merged(sorted(self.parts + other.parts, key=_order))).normalized()

    def intersect(self, other: IntervalSet) -> IntervalSet:
        pairs = (a.intersect(b) for a in self.parts for b in other.parts if _may_meet(a, b))
        return IntervalSet(tuple(pairs)).normalized()

    def minus(self, other: IntervalSet) -> IntervalSet:
        result = self
        for cut in other.parts:
            if not any(_may_meet(part, cut) for part in result.parts):
                continue  # nothing to cut: skipped with a comparison, not a new set
            result = IntervalSet(tuple(piece for part in result.parts for piece in _cut(part, cut))).normalized()
        return result

    def complement(self) -> IntervalSet:
        return IntervalSet.of(EVERYTHING).minus(self)

    def contains(self, x: Decimal) -> bool:
        return any(p.contains(x) for p in self.parts)

    def witness(self, step: Decimal = Decimal(1)) -> Decimal:
        assert self.parts, "no witness in an empty set"
        return self.parts[0].witness(step)

    def on_grid(self, quantum: Decimal) -> IntervalSet:
        """The multiples of `quantum` in the set (a total rounded to its places takes no other
        value), each part narrowed to its first and last multiple, closed; a part with none goes.
        What lies between those ends is not all multiples: the result says whether the set holds
        one (`empty`) and gives one (`witness`), nothing more."""
        out = []
        for part in self.parts:
            if part.whole and quantum <= 1:  # a power of ten: every whole number is a multiple of it
                out.append(part)
                continue
            # each end moved inward to a multiple of the quantum by a quantize, which has the
            # quantum's exponent: however many digits a grade's threshold has (250 raised Inexact
            # in a division), the multiple has as few as a total has
            lo, hi = part.lo, part.hi
            if lo.is_finite():
                lo = lo.quantize(quantum, rounding=decimal.ROUND_CEILING, context=_GRID)
                lo = _GRID.add(lo, quantum) if lo == part.lo and not part.lo_closed else lo
            if hi.is_finite():
                hi = hi.quantize(quantum, rounding=decimal.ROUND_FLOOR, context=_GRID)
                hi = _GRID.subtract(hi, quantum) if hi == part.hi and not part.hi_closed else hi
            out.append(Interval.make(lo, hi, True, True))
        return IntervalSet.of(*out)


def _order(i: Interval) -> tuple[Decimal, bool]:
    return i.lo, not i.lo_closed


def _may_meet(a: Interval, b: Interval) -> bool:
    """False when a and b surely have no value in common (a quick test on their ends)."""
    return a.lo <= b.hi and b.lo <= a.hi


def _merged(parts: list[Interval]) -> tuple[Interval, ...]:
    """Sorted intervals with each run of overlapping or touching ones made one. Whole-number
    intervals are kept as they are: a union of integers and reals is no interval."""
    out: list[Interval] = []
    for part in parts:
        last = out[-1] if out else None
        if last is None or last.whole or part.whole or part.empty or last.empty:
            out.append(part)
            continue
        if part.lo < last.hi or (part.lo == last.hi and (last.hi_closed or part.lo_closed)):
            if part.hi > last.hi or (part.hi == last.hi and part.hi_closed):
                out[-1] = Interval.make(last.lo, part.hi, last.lo_closed, part.hi_closed)
            continue
        out.append(part)
    return tuple(out)


def _cut(part: Interval, cut: Interval) -> list[Interval]:
    """part minus cut: up to two pieces. A whole-number cut would leave the non-integers
    between its ends, which two pieces cannot say; no caller cuts with one."""
    assert not cut.whole or part.whole, "cannot cut a whole-number interval out of a continuous one"
    if part.intersect(cut).empty:
        return [part]
    left = Interval.make(part.lo, cut.lo, part.lo_closed, not cut.lo_closed, part.whole)
    right = Interval.make(cut.hi, part.hi, not cut.hi_closed, part.hi_closed, part.whole)
    left = left.intersect(part) if cut.lo.is_finite() else Interval.make(INF, NEG_INF, False, False)
    right = right.intersect(part) if cut.hi.is_finite() else Interval.make(INF, NEG_INF, False, False)
    return [p for p in (left, right) if not p.empty]


def compare_set(op: str, value: Decimal) -> IntervalSet:
    """The values x for which `x op value` holds."""
    if op == ">=":
        return IntervalSet.of(Interval.make(value, INF, True, False))
    if op == ">":
        return IntervalSet.of(Interval.make(value, INF, False, False))
    if op == "<=":
        return IntervalSet.of(Interval.make(NEG_INF, value, False, True))
    if op == "<":
        return IntervalSet.of(Interval.make(NEG_INF, value, False, False))
    if op == "=":
        return IntervalSet.of(Interval.point(value))
    assert op == "!="
    return IntervalSet.of(Interval.point(value)).complement()

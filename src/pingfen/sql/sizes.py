"""How large a value of the query can be, known before a row is read: where a sum, product or
quotient might leave NUM's 18 integer digits, and so is written guarded.

Every number of the query is a `DECIMAL(38, 20)` (NUM): below 10^18 in size. An input is below
10^14 (a larger one is NULL, refused PF800), so most of what a rubric works out has room to
spare. Where a value's bound here passes NUM's largest, the compiler writes the operation
guarded (exact.fits_sum, fits_product, below): on a row where the value would reach 10^18 − 1
(LIMIT) it is NULL instead, the engine never works it out, and the row is refused (PF801) —
the row costs only itself, where the engine's overflow error stopped the whole query.

A span is the least and most a value can be, on the 20-decimal grid (a guarded value's: within
LIMIT). A rule's declared bounds are not used: a row outside them (PF503) is still worked out,
and only then refused; an input is anywhere below 10^14 in size.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import assert_never

from attrs import frozen

from pingfen import ast
from pingfen.evaluate.rubric import InputSpec

_EXACT = decimal.Context(prec=100)
UNIT = Decimal(1).scaleb(-20)  # NUM's last decimal
TOP = Decimal(10) ** 18  # no value of the query reaches it
LARGEST = _EXACT.subtract(TOP, UNIT)  # NUM's largest value (the default context would round it to TOP)
LIMIT = TOP - 1  # a guarded value of this size or more refuses its row (PF801)
KEPT = _EXACT.subtract(LIMIT, UNIT)  # the largest a guarded value can be
INPUT = _EXACT.subtract(Decimal(10) ** 14, UNIT)  # an input's largest (compiler.RANGE refuses 10^14)
DIVISOR = Decimal(10) ** 14  # a long division by a divisor below it needs no test of its remainders (compiler.long_division)


def on_grid(bound: Fraction | Decimal) -> Decimal:
    """The least 20-decimal number at or above `bound` (a value on NUM's grid below it is below this)."""
    return _units(math.ceil(Fraction(bound) / Fraction(UNIT)))


def below_grid(bound: Fraction) -> Decimal:
    """The largest 20-decimal number strictly below `bound` (> 0)."""
    return _units(math.ceil(bound / Fraction(UNIT)) - 1)


def _units(units: int) -> Decimal:
    """`units` 10^-20s as a Decimal, every digit kept (the default context keeps 28)."""
    return Decimal(units).scaleb(-20, _EXACT)


def add(*bounds: Decimal) -> Decimal:
    """The numbers' sum, every digit kept (the default context keeps 28; a bound has 38)."""
    total = Decimal(0)
    for bound in bounds:
        total = _EXACT.add(total, bound)
    return total


@frozen
class Span:
    """The least and most a value can be, on NUM's grid. Its numbers have 38 digits: each
    operation on them keeps every one (copy_negate, add), never the default context's 28."""

    lo: Decimal
    hi: Decimal

    @classmethod
    def point(cls, value: Decimal) -> Span:
        return cls(value, value)

    @classmethod
    def around(cls, size: Decimal) -> Span:
        return cls(size.copy_negate(), size)

    @property
    def size(self) -> Decimal:
        return max(self.lo.copy_negate(), self.hi)

    @property
    def fits(self) -> bool:
        """Whether NUM holds every value of it: an operation giving it needs no guard."""
        return LARGEST.copy_negate() <= self.lo and self.hi <= LARGEST

    def hull(self, other: Span) -> Span:
        return Span(min(self.lo, other.lo), max(self.hi, other.hi))

    def negated(self) -> Span:
        return Span(self.hi.copy_negate(), self.lo.copy_negate())

    def at_least(self, low: Decimal) -> Span:
        return Span(max(self.lo, low), max(self.hi, low))

    def absolute(self) -> Span:
        if self.lo >= 0:
            return self
        return Span(Decimal(0) if self.hi >= 0 else self.hi.copy_negate(), self.size)

    def clipped(self, size: Decimal) -> Span:
        return Span(max(self.lo, size.copy_negate()), min(self.hi, size))


EVERYTHING = Span.around(LARGEST)  # what NUM holds: a value nothing smaller is known of
INPUT_SPAN = Span.around(INPUT)
QUOTIENT = Span.around(KEPT)  # a quotient is always guarded (its divisor may be near 0)


def plus(a: Span, b: Span) -> Span:
    """a + b, as it is: where it does not fit NUM (`fits`), the sum is written guarded."""
    return Span(add(a.lo, b.lo), add(a.hi, b.hi))


def times(a: Span, b: Span) -> Span:
    """a × b, as it is, each end on the grid outward: where it does not fit, guarded."""
    ends = [Fraction(x) * Fraction(y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    return Span(on_grid(-min(ends)).copy_negate(), on_grid(max(ends)))


def summed(a: Span, b: Span) -> Span:
    """a + b as the query has it: guarded where it may not fit (exact.fits_sum), a value of one
    sign then below LIMIT, of two no larger than either."""
    raw = plus(a, b)
    return raw if raw.fits else raw.clipped(max(KEPT, a.size, b.size))


def multiplied(a: Span, b: Span) -> Span:
    """a × b as the query has it: guarded where it may not fit, then within NUM."""
    raw = times(a, b)
    return raw if raw.fits else raw.clipped(LARGEST)


class Sizes:
    """Each expression's span, as the compiler writes it (guarded where these say so)."""

    def __init__(self, inputs: Mapping[str, InputSpec], lets: Mapping[str, ast.Let]) -> None:
        self.inputs = inputs
        self.lets = lets
        self.known: dict[str, Span] = {}

    def of(self, e: ast.Expr) -> Span:
        match e:
            case ast.Number():
                return Span.point(e.value)
            case ast.Ref():
                return self.of_name(e.name.text)
            case ast.Neg():
                return self.of(e.operand).negated()
            case ast.Call():
                if e.func not in ("abs", "min", "max") or any(self.is_panel(a) for a in e.args):
                    return EVERYTHING  # a panel's count or mean, dates apart: nothing smaller is known
                spans = [self.of(a) for a in e.args]
                if e.func == "abs":
                    return spans[0].absolute()
                pick = min if e.func == "min" else max
                return Span(pick(s.lo for s in spans), pick(s.hi for s in spans))
            case ast.Binary():
                a, b = self.of(e.left), self.of(e.right)
                if e.op in ("+", "-"):
                    return summed(a, b if e.op == "+" else b.negated())
                if e.op == "*":
                    return multiplied(a, b)
                return QUOTIENT
            case ast.IfElse():
                return self.of(e.then).hull(self.of(e.otherwise))
            case ast.Round():  # rounded at most to the next whole number out (guarded past its digits)
                inner = self.of(e.value)
                return Span(Decimal(math.floor(inner.lo)), Decimal(math.ceil(inner.hi))).clipped(LARGEST)
            case ast.Bool() | ast.Compare() | ast.And() | ast.Or() | ast.Not():
                return Span.point(Decimal(0))  # truth values: no number
            case _:
                assert_never(e)

    def of_name(self, name: str) -> Span:
        spec = self.inputs.get(name)
        if spec is not None:
            if spec.type in ("bool", "label", "date"):
                return Span.point(Decimal(0))
            return EVERYTHING if spec.is_list or spec.batch is not None else INPUT_SPAN
        if name not in self.known:
            let = self.lets.get(name)
            self.known[name] = self.of(let.expr) if let is not None else Span.point(Decimal(0))  # else a label named bare
        return self.known[name]

    def is_panel(self, e: ast.Expr) -> bool:
        return isinstance(e, ast.Ref) and (spec := self.inputs.get(e.name.text)) is not None and spec.is_list

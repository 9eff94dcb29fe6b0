"""DuckDB only: a node's score written as a 64-bit `DECIMAL(18, s)` where its decimals are known.

Every score of the query is worked out as a `DECIMAL(38, 20)` (exact.NUM): 16 bytes a value,
and writing 35 of them a row to Parquet costs about as much as the whole scoring. Most scores
have few decimals: a band's, an award's, a judgment of an input of 2 decimals. A node whose
expression is built of constants, inputs of known decimals (a count, or a column whose type
fixes them: a Parquet `DECIMAL(p, 2)`), sums, CASEs and products by constants is worked out a
second time in 64-bit decimals — each a `DECIMAL(p, s)` with p <= 18, p found from the value's
bound, so that DuckDB keeps it in 64 bits (`DECIMAL(18, s) + DECIMAL(18, s)` would be a 128-bit
`DECIMAL(19, s)`: every sum is cast back to the width its bound needs) — and written from it as
a `DECIMAL(18, s)`, s the most decimals it can have on any row: the same number, exactly. An
input is read up to 10^14 (a larger one is refused, PF800), so a scored row always has the
narrow value; one whose bound would need more than 17 digits is not narrowed. A quotient, a
rounding, a panel, an input with a `precision`, anything else keeps the node wide. The wide
column of a narrowed node then reads the narrow value, widened (compiler.widened), and the
wide pieces nothing else reads are dropped (compiler.sweep).

A DECIMAL(38, 20) cannot be narrowed by a cast on every row: DuckDB rescales a 128-bit decimal
down by a 128-bit division, bit by bit, about 0.25 µs a value. The narrow value is built from
the same pieces instead, in 64-bit sums and CASEs; each one's bound is known before it is
written, so none can overflow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from attrs import frozen
from sqlglot import exp

from pingfen.sql import exact
from pingfen.sql.exact import NUM, SCALE, case, cast, decimal_type

MOST_DIGITS = 17  # a narrow value's width: two of them add up to at most 18 digits, 64 bits
INPUT_BELOW = 10**14  # an input below this size has a narrow form (compiler.RANGE: a larger one is refused)
NUM_PARAMS = exact.decimal_params(NUM)


@frozen
class Units:
    """A value as a 64-bit decimal: `sql` a DECIMAL(width(bound, places), places), NULL on a
    row where it has none; |value| × 10^places <= bound on every row; `scale` the most decimals
    the value itself has on any row (SCALE when not known); `depth` the layer it can be read in."""

    sql: exp.Expr
    depth: int
    places: int
    bound: int
    scale: int


def width(bound: int, places: int) -> int:
    return max(len(str(bound)), places, 1)


def typed(u: Units) -> exp.DataType:
    return decimal_type(width(u.bound, u.places), u.places)


class Narrower:
    """Finds the narrow form of the compiler's columns, binding a column for each it needs.

    `bound` maps each column the compiler bound to its expression and depth; `inputs` maps an
    input's value column to its narrow form (or None); `alike` holds the ids of CASEs whose
    every branch is the same value (a step's 64-bit short cut beside its product)."""

    def __init__(self, bound: Mapping[str, tuple[exp.Expr, int]], bind: Callable[[exp.Expr, int], exp.Column],
                 inputs: Mapping[str, Callable[[], Units | None]], alike: set[int]) -> None:  # fmt: skip
        self.bound = bound
        self.bind = bind
        self.inputs = inputs
        self.alike = alike
        self.memo: dict[str, Units | None] = {}

    def column(self, name: str) -> Units | None:
        if name in self.memo:
            return self.memo[name]
        self.memo[name] = None  # a column never reads itself; this only stops a second try
        found: Units | None = None
        if name in self.inputs:
            found = self.inputs[name]()
        elif name in self.bound:
            inner = self.units(self.bound[name][0])
            if inner is not None:
                found = inner if isinstance(inner.sql, exp.Column) else Units(self.bind(inner.sql, inner.depth), inner.depth + 1, inner.places, inner.bound, inner.scale)
        self.memo[name] = found
        return found

    def units(self, e: exp.Expr) -> Units | None:
        """The narrow form of a wide expression the compiler wrote, or None where it is not known
        to be exact (a division, a floor, a cast from text, …): that value stays wide."""
        if id(e) in self.alike:
            return self.units(e.args["default"])
        if (times := e.meta.get("times")) is not None:  # exact.times_literal's product by parts: one product here
            a, value = times
            return self.times_constant(exp.Mul(this=exact.cast(a.copy(), NUM), expression=exact.typed_literal(value)[0]))
        if isinstance(e, exp.Paren):
            return self.units(e.this)
        if type(e) is exp.Cast and exact.decimal_params(e.to) == NUM_PARAMS:  # not TryCast: that reads text
            if isinstance(e.this, exp.Literal) and not e.this.is_string:
                return constant(Decimal(e.this.this))
            return self.units(e.this)
        if isinstance(e, exp.Literal) and not e.is_string and e.is_int:
            return constant(Decimal(e.this))
        if isinstance(e, exp.Column):
            return self.column(e.name)
        if isinstance(e, exp.Add | exp.Sub):
            return self.sum(e)
        if isinstance(e, exp.Neg | exp.Abs):
            inner = self.units(e.this)
            if inner is None:
                return None
            kind = exp.Neg if isinstance(e, exp.Neg) else exp.Abs
            return Units(kind(this=exact.paren(inner.sql)), inner.depth, inner.places, inner.bound, inner.scale)
        if isinstance(e, exp.Case):
            return self.case(e)
        if isinstance(e, exp.Mul):
            return self.times_constant(e)
        return None

    def sum(self, e: exp.Add | exp.Sub) -> Units | None:
        """a ± b, cast back to the width its bound needs (DuckDB widens every sum by a digit)."""
        a, b = self.units(e.this), self.units(e.expression)
        if a is None or b is None:
            return None
        places = max(a.places, b.places)
        bound = a.bound * 10 ** (places - a.places) + b.bound * 10 ** (places - b.places)
        engine = max(width(a.bound, a.places) - a.places, width(b.bound, b.places) - b.places) + places + 1  # DuckDB's type of a ± b
        if engine > 18 or width(bound, places) > MOST_DIGITS:
            return None
        op = exp.Add if isinstance(e, exp.Add) else exp.Sub
        result = Units(op(this=exact.paren(a.sql), expression=exact.paren(b.sql)), max(a.depth, b.depth), places, bound, max(a.scale, b.scale))
        return Units(cast(result.sql, typed(result)), result.depth, places, bound, result.scale)

    def case(self, e: exp.Case) -> Units | None:
        """A CASE: each value cast to one type, the most places among them; its conditions'
        comparisons made on the narrow values where both sides have them (`test`), so that the
        wide values a clamp compares need not be worked out; any other condition as it is."""
        ifs: list[exp.If] = e.args.get("ifs") or []
        values = [self.units(i.args["true"]) for i in ifs]
        default = e.args.get("default")
        otherwise = self.units(default) if default is not None else None
        found = [v for v in values if v is not None] + ([otherwise] if otherwise is not None else [])
        if len(found) != len(values) + (default is not None) or not found:
            return None
        places = max(v.places for v in found)
        bound = max(v.bound * 10 ** (places - v.places) for v in found)
        if width(bound, places) > MOST_DIGITS:
            return None
        tests = [self.test(i.this) for i in ifs]
        depth = max([v.depth for v in found] + [d for _t, d in tests])
        scale = max(v.scale for v in found)
        kind = decimal_type(width(bound, places), places)
        whens = [(t, cast(v.sql, kind)) for (t, _d), v in zip(tests, found, strict=False)]
        built = case(*whens, default=cast(found[-1].sql, kind) if otherwise is not None else None)
        return Units(built, depth, places, bound, scale)

    def test(self, e: exp.Expr) -> tuple[exp.Expr, int]:
        """A condition and the layer it can be read in: its comparisons of values that both have
        narrow forms made on those (the same numbers, exactly: DuckDB compares two decimals in a
        type that holds both), its ANDs, ORs and NOTs of such; else as it is, on the wide columns."""
        narrowed = self.narrow_test(e)
        return narrowed if narrowed is not None else (e.copy(), depth_of(e, self.bound))

    def narrow_test(self, e: exp.Expr) -> tuple[exp.Expr, int] | None:
        if isinstance(e, exp.Paren):
            inner = self.narrow_test(e.this)
            return None if inner is None else (exact.paren(inner[0]), inner[1])
        if isinstance(e, exp.Not):
            inner = self.narrow_test(e.this)
            return None if inner is None else (exp.Not(this=exact.paren(inner[0])), inner[1])
        if isinstance(e, exp.And | exp.Or | exp.LT | exp.GT | exp.LTE | exp.GTE | exp.EQ | exp.NEQ):
            if isinstance(e, exp.And | exp.Or):
                left, right = self.narrow_test(e.this), self.narrow_test(e.expression)
                parts = None if left is None or right is None else (left[0], right[0], max(left[1], right[1]))
            elif self.whole(e.this) and self.whole(e.expression):
                return None  # an arm's index against its number: already a small integer's test
            else:
                a, b = self.units(e.this), self.units(e.expression)
                parts = None if a is None or b is None else (exact.paren(a.sql), exact.paren(b.sql), max(a.depth, b.depth))
            if parts is None:
                return None
            return type(e)(this=parts[0], expression=parts[1]), parts[2]
        return None

    def whole(self, e: exp.Expr) -> bool:
        """An integer constant, or a column of a CASE of them (the index of a band's arm)."""
        if isinstance(e, exp.Column) and e.name in self.bound:
            e = self.bound[e.name][0]
            if isinstance(e, exp.Case):
                values = [i.args["true"] for i in e.args.get("ifs") or []] + ([e.args["default"]] if e.args.get("default") else [])
                return all(isinstance(v, exp.Literal) and v.is_int for v in values)
        return isinstance(e, exp.Literal) and e.is_int

    def times_constant(self, e: exp.Mul) -> Units | None:
        """exact.times_literal's product: CAST(a AS NUM) × a typed constant."""
        factor = e.expression
        if not (type(factor) is exp.Cast and isinstance(factor.this, exp.Literal) and not factor.this.is_string):
            return None
        a = self.units(e.this)
        by = constant(Decimal(factor.this.this))
        if a is None or by is None:
            return None
        places, bound = a.places + by.places, a.bound * by.bound
        if width(a.bound, a.places) + width(by.bound, by.places) > 18 or width(bound, places) > MOST_DIGITS:
            return None  # DuckDB's product has the two widths added: it must stay 64-bit
        product = exp.Mul(this=exact.paren(a.sql), expression=by.sql)
        return Units(cast(product, decimal_type(width(bound, places), places)), a.depth, places, bound, min(SCALE, a.scale + by.scale))


def depth_of(e: exp.Expr, bound: Mapping[str, tuple[exp.Expr, int]]) -> int:
    """The layer a condition can be read in: after every column it reads."""
    return max((bound[c.name][1] + 1 for c in exact.columns(e) if c.name in bound), default=0)


def constant(value: Decimal) -> Units | None:
    places = exact.decimals(value)
    digits = abs(int(value.scaleb(places)))
    if width(digits, places) > MOST_DIGITS:
        return None
    return Units(cast(exp.Literal.number(format(value, "f")), decimal_type(width(digits, places), places)), 0, places, digits, places)


def read(raw: exp.Expr, depth: int, places: int, scale: int) -> Units | None:
    """An input's narrow form, read from its column (whose type has `places` decimals, or a
    count's text, 0) by a same-scale cast, no division; `scale` the decimals its value has on a
    row that is scored (a count's: none). Every value below 10^14 in size is read (a larger one
    is refused, PF800), so it is NULL only where the wide value is."""
    bound = INPUT_BELOW * 10**places - 1
    if width(bound, places) > MOST_DIGITS:
        return None
    kind = decimal_type(width(bound, places), places)
    return Units(exp.TryCast(this=raw.copy(), to=kind, safe=True), depth, places, bound, scale)


def written(u: Units, most: Decimal) -> exp.Expr | None:
    """The node's score as a DECIMAL(18, s), s its scale: its value has no more decimals on any
    row, so the 64-bit cast drops only zeros. `most` bounds the score's size (the node's max);
    None when DECIMAL(18, s) cannot hold it."""
    s = u.scale
    if s > u.places or most * Decimal(10) ** s >= Decimal(10) ** 18:
        return None
    return cast(u.sql.copy(), decimal_type(18, s))

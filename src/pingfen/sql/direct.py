"""DuckDB only: the engine's query for a Parquet file of typed columns, written straight.

The general query (sql/compiler.py) serves every rubric, dialect and column type: it reads
each number as a DECIMAL(38, 20), carries a quotient's long division in columns of 64-bit
steps, and keeps every score on 128 bits. A warehouse's file needs less — counts are integers,
amounts, ratios and scores DECIMAL(p, s), flags BOOLEAN — and on it the general query cost
about twice what the same rubric written by hand in DuckDB costs (benchmarks/duckdb_hand.py).
`query` writes the rubric in the hand-written query's shape instead: each rule one expression
over the typed columns in DuckDB's own exact DECIMAL arithmetic, sized from the inputs' limit
(10^14, larger values refused) so that no sum or product overflows; a quotient divided once, on
128-bit integers, only on a row between the two ends of the deduction that reads it; the total
on 64 bits where every quotient is at an end. `engine.score_with_duckdb` runs it for a Parquet
file where `query` gives one; else (a CSV, a sheet, a column of another type, another form, the
`reasons` column) the general query.

What it says is the general query's, row for row: the same refusals, site for site in
evaluate()'s order (each input missing, outside its domain, too large; a zero divisor; a value
no arm takes), so the same `refusal` and `refusal_input`; the same totals and grades; every
score the same number (a quotient rounded to 20 decimals half-even, as exact.py's long division
rounds it); no float. Scores of known decimals are written as 64-bit DECIMAL(18, s), as
sql/narrow.py writes them (a few more of them than there: every one whose decimals are known).
tests/test_engine_direct.py holds the two queries and evaluate() to each other; docs/scale.md
("A Parquet file of typed columns: the direct query") states it for users.

The forms: bands; when … else; award if and deduct if; judgment; `score =` an expression of
inputs, constants, +, −, a product by a constant, abs, min and max; `deduct R per S of X
above|below|from T`, proportional, whole or started, of such an expression, or of a `let` of
one division where it is its indicator's one rule; groups; grades by threshold; the total in any
rounding mode. Not here: labels, dates, panels, batch values, an input's precision, a quotient
read anywhere else, a rule's `if`, a node's `round`, applies, vetoes, rows outside the tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import assert_never

import attrs
from sqlglot import exp

from pingfen import ast
from pingfen.check.intervals import INF, NEG_INF
from pingfen.evaluate.rubric import InputSpec, Rubric
from pingfen.sql import exact
from pingfen.sql.compiler import (
    GRADE,
    PREFIX,
    RANGE,
    REFUSAL,
    REFUSAL_INPUT,
    TOTAL,
    Compiler,
    compare,
    relation,
    threshold_grades,
)
from pingfen.sql.exact import case, cast, decimal_type, integer
from pingfen.sql.forms import refuse_untranslated
from pingfen.sql.spelt import MISALIGNED
from pingfen.values import SETTLE, SETTLE_PLACES

# The column types whose values are read here as they are: DuckDB's integers and decimals.
INTEGER_TYPES = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"})
MOST_PLACES = 6  # a DECIMAL column with more decimals is left to the general query
HUGEINT_LIMIT = 2**127  # a 128-bit integer's bound
DIGITS = 38  # DuckDB's widest DECIMAL
QUOTIENT_PLACES = exact.SCALE  # a quotient's decimals (exact.py's long division: 20, half-even)
BIG = exact.BIG
HELD = Decimal(10) ** (38 - exact.SCALE)  # a DECIMAL(38, 20) holds less than this
REFUSED = f"{PREFIX}direct_refused"
QUOTIENTS = 1  # the layer of a quotient's division (0: the refusal)
INDICATORS = 2  # the layer of indicators' scores


@attrs.frozen
class Num:
    """A number as SQL: its decimals and a bound on its size (|value| < bound) on every row scored."""

    sql: exp.Expr
    scale: int
    bound: Decimal

    @property
    def digits(self) -> int:
        """The digits a DECIMAL needs to hold it at its scale: its digits are an integer below
        bound × 10^scale, so at most that rounded up, less 1."""
        most = int(self.bound.scaleb(self.scale).to_integral_value(rounding="ROUND_CEILING")) - 1
        return max(1, len(str(most)))


class Unwritable(Exception):
    """A form, an input or a size this module does not write: the general query's is kept."""


def literal(value: Decimal) -> Num:
    typed, scale = exact.typed_literal(value)
    return Num(typed, scale, abs(value) + 1)


def widened(n: Num, digits: int) -> exp.Expr:
    """`n` as a DECIMAL wide enough that an operation needing `digits` is done on 128 bits:
    DuckDB keeps a product of two DECIMALs of 18 digits or fewer on 64 bits, and fails on overflow."""
    if digits > DIGITS:
        raise Unwritable("too wide")
    if digits <= 18:
        return n.sql.copy()
    return cast(n.sql.copy(), decimal_type(DIGITS, n.scale))


def add(a: Num, b: Num, op: type[exp.Add] | type[exp.Sub]) -> Num:
    scale = max(a.scale, b.scale)
    out = Num(exp.Paren(this=op(this=a.sql.copy(), expression=b.sql.copy())), scale, a.bound + b.bound)
    if out.digits > DIGITS:  # DuckDB widens a sum by a digit, up to 38: one that might not fit is not written here
        raise Unwritable("too wide")
    return out


def times(a: Num, b: Num) -> Num:
    scale = a.scale + b.scale
    if scale > QUOTIENT_PLACES:
        raise Unwritable("too many decimals")  # the general query rounds such a product to 20
    digits = Num(exp.Null(), scale, a.bound * b.bound).digits  # the product's, before it is written
    return Num(exp.Paren(this=exp.Mul(this=widened(a, digits), expression=b.sql.copy())), scale, a.bound * b.bound)


def clamped(raw: Num, top: Decimal, reach: tuple[Decimal, Decimal] = (NEG_INF, INF)) -> Num:
    """[0, top], as values.clamp keeps a score: each end only where `reach` (the score's least
    and most before the clamp, check/soundness.unclamped) shows it can bite."""
    zero, high = literal(Decimal(0)), literal(top)
    sql = raw.sql.copy()
    if reach[1] > top:
        sql = exp.Anonymous(this="least", expressions=[sql, high.sql])
    if reach[0] < 0:
        sql = _greatest(zero.sql, sql)
    return Num(sql, max(raw.scale, high.scale), max(raw.bound, high.bound))


def _greatest(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """DuckDB's own greatest(a, b), each read once: sqlglot writes exp.Greatest with a NULL test
    that repeats both (nested in a clamp, four times). It skips a NULL, which is no matter
    here: every value is read on a row scored, where none is NULL."""
    return exp.Anonymous(this="greatest", expressions=[a, b])


class Writer:
    """The direct expressions of one rubric over a relation of typed columns (`types`: each
    column's DuckDB type), every score NULL on a row refused."""

    def __init__(self, rubric: Rubric, types: Mapping[str, str], general: Compiler) -> None:
        self.rubric = rubric
        self.module = rubric.module
        self.refused = exp.column(REFUSED, quoted=True)  # the index of the row's first refusal (layer 0), else NULL
        # a row refused, as a comparison: DuckDB tells a comparison's rows apart in one vectorised
        # pass, where IS NULL and a bare BOOLEAN take its slower general path (about 16
        # instructions a row, for each of the 40 columns it guards)
        self.refused_row = exp.GTE(this=self.refused.copy(), expression=integer(0))
        self.inputs: dict[str, Num | exp.Expr] = {}
        # evaluate()'s refusals in its order, as sql/compiler.py makes its sites: (failing, code,
        # input, whether a row whose inputs are all fine can fail it); `fine`: those inputs' tests
        self.sites: list[tuple[exp.Expr, str, str | None, bool]] = [(exp.column(MISALIGNED, quoted=True), "PF520", None, False)]
        self.fine: list[exp.Expr] = []
        for spec in rubric.inputs:
            self.read(spec, types.get(spec.name, ""))
        self.lets = {let.name.text: let for let in self.module.lets}
        if not general.checked.ok:
            raise Unwritable("unchecked")
        self.reach = general.unclamped  # each row's score before its clamp, least and most
        for let in general.checked.let_order:
            self.divided(let.expr, let.name.text)
        self.layers: list[list[tuple[str, exp.Expr]]] = [[]]  # the refusal, the quotients' divisions, the indicators, the groups by height, the total
        self.written: dict[str, exp.Column] = {}  # each node's score, by name, as the final select reads it
        self.places: dict[str, int] = {}  # the decimals each node's score is written with (20: a DECIMAL(38, 20))
        # an indicator of a quotient's ends (ended): its division's column, NULL at either end,
        # and its test of the end that gives the max
        self.ends: dict[str, tuple[exp.Column, exp.Expr]] = {}

    def read(self, spec: InputSpec, kind: str) -> None:
        """An input read from its typed column, and its refusals (sql/compiler.Compiler.input)."""
        if spec.is_list or spec.batch is not None or spec.precision is not None:
            raise Unwritable(spec.name)
        x = exp.column(spec.name, quoted=True)
        missing = exp.Is(this=x.copy(), expression=exp.Null())
        there = exp.Not(this=missing.copy())
        if spec.type == "bool":
            if kind != "BOOLEAN":
                raise Unwritable(spec.name)
            self.inputs[spec.name] = x
            # a BOOLEAN column is always read: its PF502 never fails, but keeps its place
            self.sites += [(missing, "PF501", spec.name, True), (exp.false(), "PF502", spec.name, True)]
            self.fine.append(there)
            return
        places = 0 if kind in INTEGER_TYPES else _places(kind)
        if spec.type in ("label", "date") or places is None or places > MOST_PLACES:
            raise Unwritable(spec.name)
        # an integer column narrower than BIGINT (or unsigned) as a BIGINT: DuckDB keeps a sum,
        # difference, negation or abs in the column's own type, which a value below 10^14 overflows
        read = cast(x.copy(), exact.BIGINT) if kind in INTEGER_TYPES and kind != "BIGINT" else x.copy()
        number = Num(read, places, RANGE)
        self.inputs[spec.name] = number
        domain: list[exp.Expr] = []
        zero = literal(Decimal(0)).sql
        if spec.type == "count":
            if places > 0:
                domain.append(exp.NEQ(this=x.copy(), expression=exp.Floor(this=x.copy())))
            domain.append(exp.LT(this=x.copy(), expression=zero.copy()))
        if spec.type == "amount":
            domain.append(exp.LT(this=x.copy(), expression=zero.copy()))
        for op, bound in spec.bounds:
            domain.append(exp.Not(this=compare(op, x.copy(), literal(bound).sql)))
        large = exp.or_(exp.GTE(this=x.copy(), expression=literal(RANGE).sql), exp.LTE(this=x.copy(), expression=literal(-RANGE).sql))
        self.sites.append((missing, "PF501", spec.name, True))
        if domain:
            # the general query reads a value of 10^18 or more as NULL (its DECIMAL(38, 20) cannot
            # hold it), which no domain test fails: it is refused for its size (PF800), as here
            held = exp.and_(exp.GT(this=x.copy(), expression=literal(-HELD).sql), exp.LT(this=x.copy(), expression=literal(HELD).sql))
            self.sites.append((exp.and_(held, exp.Paren(this=exp.or_(*domain))), "PF503", spec.name, True))
        self.sites.append((large, "PF800", spec.name, True))
        self.fine.append(exp.and_(there, exp.Not(this=exp.Paren(this=large.copy())), *(exp.Not(this=exp.Paren(this=d.copy())) for d in domain)))

    def divided(self, e: ast.Expr, name: str) -> None:
        """A let's refusal of a division by 0 (PF504), where it divides once, at its top, with
        operands written here; a let that divides anywhere else is not written here."""
        if isinstance(e, ast.Binary) and e.op == "/":
            if _divides(e.left) or _divides(e.right):
                raise Unwritable(name)
            try:
                divisor = self.number(e.right)
            except Unwritable:
                raise Unwritable(name) from None
            on = e.right.name.text if isinstance(e.right, ast.Ref) else None
            self.sites.append((exp.EQ(this=divisor.sql.copy(), expression=literal(Decimal(0)).sql), "PF504", on, False))
        elif _divides(e):
            raise Unwritable(name)

    def refusal(self) -> exp.Expr:
        """The index of the first site that fails, else NULL (sql/compiler.Compiler.refusal):
        a row whose inputs are all fine (the common one) tries only the sites they do not cover."""
        every = case(*((failing.copy(), integer(i)) for i, (failing, _c, _n, _covered) in enumerate(self.sites)))
        rest = [(failing.copy(), integer(i)) for i, (failing, _c, _n, covered) in enumerate(self.sites) if not covered]
        left = case(*rest) if rest else exp.Null()
        return case((exp.and_(*(f.copy() for f in self.fine)), left), default=every) if self.fine else every

    def bind(self, layer: int, e: exp.Expr) -> exp.Column:
        while len(self.layers) <= layer:
            self.layers.append([])
        name = f"{PREFIX}direct{sum(map(len, self.layers))}"
        self.layers[layer].append((name, e))
        return exp.column(name, quoted=True)

    # ---------------------------------------------------------------- expressions
    def number(self, e: ast.Expr) -> Num:
        match e:
            case ast.Number():
                return literal(e.value)
            case ast.Ref():
                name = e.name.text
                if name in self.lets:
                    return self.number(self.lets[name].expr)
                found = self.inputs.get(name)
                if isinstance(found, Num):
                    return attrs.evolve(found, sql=found.sql.copy())
                raise Unwritable(name)
            case ast.Call() if e.func in ("abs", "min", "max"):
                args = [self.number(a) for a in e.args]
                scale, bound = max(a.scale for a in args), max(a.bound for a in args)
                if e.func == "abs":
                    return Num(exp.Abs(this=args[0].sql), scale, bound)
                if len(args) == 1:
                    return args[0]
                # DuckDB's own least and greatest (see _greatest): no argument is NULL on a row scored
                return Num(exp.Anonymous(this="least" if e.func == "min" else "greatest", expressions=[a.sql for a in args]), scale, bound)
            case ast.Neg():
                inner = self.number(e.operand)
                return attrs.evolve(inner, sql=exp.Neg(this=exp.Paren(this=inner.sql.copy())))
            case ast.Binary() if e.op in ("+", "-"):
                return add(self.number(e.left), self.number(e.right), exp.Add if e.op == "+" else exp.Sub)
            case ast.Binary() if e.op == "*" and (ast.constant(e.left) is not None or ast.constant(e.right) is not None):
                return times(self.number(e.left), self.number(e.right))
            case _:
                raise Unwritable(type(e).__name__ + (" " + e.op if isinstance(e, ast.Binary) else ""))

    def test(self, e: ast.Expr) -> exp.Expr:
        match e:
            case ast.Bool():
                return exp.true() if e.value else exp.false()
            case ast.Ref() if e.name.text in self.lets:
                return self.test(self.lets[e.name.text].expr)
            case ast.Ref():
                found = self.inputs.get(e.name.text)
                if isinstance(found, exp.Expr):
                    return found.copy()
                raise Unwritable(e.name.text)
            case ast.Not():
                return exp.Not(this=exp.Paren(this=self.test(e.operand)))
            case ast.And() | ast.Or():
                op: type[exp.Binary] = exp.And if isinstance(e, ast.And) else exp.Or
                return exp.Paren(this=op(this=exp.Paren(this=self.test(e.left)), expression=exp.Paren(this=self.test(e.right))))
            case ast.Compare() if e.op in ("=", "!=") and (self.is_flag(e.left) or self.is_flag(e.right)):
                return compare(e.op, exp.Paren(this=self.test(e.left)), exp.Paren(this=self.test(e.right)))
            case ast.Compare():
                return compare(e.op, self.number(e.left).sql, self.number(e.right).sql)
            case _:
                raise Unwritable(type(e).__name__ + (" " + e.op if isinstance(e, ast.Binary) else ""))

    def is_flag(self, e: ast.Expr) -> bool:
        """Whether `e` is a bool: `true`, `false`, or a bool input (`有项目 = false`)."""
        return isinstance(e, ast.Bool) or (isinstance(e, ast.Ref) and isinstance(self.inputs.get(e.name.text), exp.Expr))

    # ---------------------------------------------------------------- nodes
    def node(self, n: ast.Node) -> exp.Column:
        """The node's score as a column of its layer (an indicator's after the quotients' parts,
        a group's after its parts'), NULL on a row refused, written as a DECIMAL(18, s) where it
        has at most s decimals on any row (sql/narrow.py's width), else as a DECIMAL(38, 20)."""
        top = n.max.value
        match n:
            case ast.Indicator():
                score, layer = self.indicator(n), INDICATORS
            case ast.Group():
                if n.applies is not None or n.round_places is not None or not n.children:  # an empty group: the general query's
                    raise Unwritable(n.name.text)
                parts: list[exp.Expr] = [self.node(c) for c in n.children]
                places = max(self.places[c.name.text] for c in n.children)
                score = clamped(Num(exp.Paren(this=_balanced(parts)), places, Decimal(0)), top, self.reach.get(n.name.text, (NEG_INF, INF)))
                layer = INDICATORS + _height(n)
            case _:
                assert_never(n)
        # narrow where its decimals are known, settled already (16 or fewer: values.settled) and
        # the max fits 17 digits; else as the general query writes a score, a DECIMAL(38, 20)
        places = score.scale if score.scale <= SETTLE_PLACES and top.scaleb(score.scale) < 10**17 else QUOTIENT_PLACES
        self.places[n.name.text] = places
        # a narrow score in the width its max needs: sums of them stay on 64 bits (_balanced)
        kind = decimal_type(_width(top, places), places) if places < QUOTIENT_PLACES else exact.NUM
        column = self.bind(layer, case((self.refused_row.copy(), exp.Null()), default=cast(score.sql, kind)))
        self.written[n.name.text] = column
        return column.copy()

    def indicator(self, node: ast.Indicator) -> Num:
        """The indicator's score (sql/compiler.Compiler.indicator, its forms): base or awards,
        less the deductions, kept in [0, max]."""
        if node.applies is not None or node.round_places is not None or node.low is not None or node.pending is not None:
            raise Unwritable(node.name.text)
        top = node.max.value
        if len(node.rules) == 1 and isinstance(node.rules[0], ast.DeductStep) and self.quotient_of(node.rules[0]) is not None:
            return self.ended(node, node.rules[0])
        base: ast.BaseRule | None = None
        awards: list[Num] = []
        lost: list[Num] = []
        for rule in node.rules:
            if ast.guard_of(rule) is not None:
                raise Unwritable("if")
            match rule:
                case ast.Bands() | ast.WhenChain() | ast.Match() | ast.Judgment() | ast.Formula():
                    base = base or rule
                case ast.AwardIf():
                    awards.append(self.points_if(rule.condition, rule.points.value))
                case ast.DeductIf():
                    lost.append(self.points_if(rule.condition, rule.points.value))
                case ast.DeductStep():
                    lost.append(self.step(rule))
                case _:  # a form this module does not know: the general query, which every form has (not assert_never)
                    raise Unwritable(type(rule).__name__)
        if base is not None:
            start = self.base(base, node)
        elif awards:
            start = _sum(awards)
        else:
            start = literal(top)
        raw = add(start, _sum(lost), exp.Sub) if lost else start
        return clamped(raw, top, self.reach.get(node.name.text, (NEG_INF, INF)))

    def points_if(self, condition: ast.Expr, points: Decimal) -> Num:
        given, zero = literal(points), literal(Decimal(0))
        return Num(case((self.test(condition), given.sql), default=zero.sql), given.scale, given.bound)

    def base(self, rule: ast.BaseRule, node: ast.Indicator) -> Num:
        match rule:
            case ast.Judgment():
                return self.number(ast.Ref(rule.input or node.name))
            case ast.Bands():
                subject = self.number(rule.subject)
                arms = [(_in_band(band, subject.sql), band.points.value) for band in rule.bands]
                self.taken(arms, False)  # a band `else` too: its test is TRUE, and the general query keeps the site
                return _arms(arms)
            case ast.WhenChain():
                whens: list[tuple[exp.Expr, Decimal]] = []
                for arm in rule.arms:
                    whens.append((exp.true() if arm.condition is None else self.test(arm.condition), arm.points.value))
                    if arm.condition is None:
                        break
                self.taken(whens, any(arm.condition is None for arm in rule.arms))
                return _arms(whens)
            case ast.Formula() if not isinstance(rule.expr, ast.IfElse):
                return self.number(rule.expr)
            case _:
                raise Unwritable(type(rule).__name__)  # a form it does not know: the general query's (not assert_never)

    def taken(self, arms: list[tuple[exp.Expr, Decimal]], otherwise: bool) -> None:
        """With no `else`, a row no arm takes is refused (PF505, sql/compiler.Compiler.chosen)."""
        if not otherwise:
            self.sites.append((exp.Not(this=exp.Paren(this=exp.or_(*(exp.Paren(this=t.copy()) for t, _p in arms)))), "PF505", None, False))

    def step(self, rule: ast.DeductStep) -> Num:
        """What `deduct R per S of X …` takes (sql/compiler.deduct_step): the excess times R/S,
        or its steps (excess × 1/S) counted whole or started times R — each exact."""
        value = self.number(rule.value)
        reference = self.number(rule.reference) if rule.reference is not None else literal(Decimal(0))
        zero = literal(Decimal(0))
        excess: Num
        match rule.direction:
            case "above":
                d = add(value, reference, exp.Sub)
                excess = attrs.evolve(d, sql=_greatest(zero.sql, d.sql))
            case "below":
                d = add(reference, value, exp.Sub)
                excess = attrs.evolve(d, sql=_greatest(zero.sql, d.sql))
            case "from":
                d = add(value, reference, exp.Sub)
                excess = attrs.evolve(d, sql=exp.Abs(this=d.sql))
            case _:
                assert_never(rule.direction)
        per = exact.ratio(rule.rate.value, rule.step.value)
        inverse = exact.ratio(Decimal(1), rule.step.value)
        match rule.counting:
            case "proportional" | None:
                if per is None:
                    raise Unwritable("per")
                return times(excess, literal(per))
            case "whole" | "started":
                if inverse is None:
                    raise Unwritable("per")
                steps = times(excess, literal(inverse))
                if steps.scale > SETTLE_PLACES:
                    raise Unwritable("steps")
                # the steps are settled to 16 decimals first (values.counted): a number of at most
                # 16 decimals is its own settled value, so floor (whole) and ceiling (started) it is
                counted = exp.Floor(this=steps.sql) if rule.counting == "whole" else exp.Ceil(this=steps.sql)
                return times(Num(counted, 0, steps.bound + 1), literal(rule.rate.value))
            case _:
                assert_never(rule.counting)

    def positive(self, e: ast.Expr) -> bool:
        """Whether `e` is an input whose declared bounds keep it above 0 on every row scored."""
        spec = next((s for s in self.rubric.inputs if isinstance(e, ast.Ref) and s.name == e.name.text), None)
        return spec is not None and any((op == ">" and v >= 0) or (op == ">=" and v > 0) for op, v in spec.bounds)

    def quotient_of(self, rule: ast.DeductStep) -> ast.Binary | None:
        """The let `a / b` a step deduction reads, where it reads one."""
        if not isinstance(rule.value, ast.Ref) or rule.value.name.text not in self.lets:
            return None
        e = self.lets[rule.value.name.text].expr
        return e if isinstance(e, ast.Binary) and e.op == "/" else None

    def ended(self, node: ast.Indicator, rule: ast.DeductStep) -> Num:
        """`deduct R per S of Q above|below T`, Q a let `a / b`, the indicator's one rule: the
        max at or short of T, 0 at or past T ± max·S/R (told by cross-multiplying, in the
        columns' own DECIMAL arithmetic), and only between them Q divided, on 128-bit integers,
        to 20 decimals half-even (sql/compiler.ends)."""
        quotient = self.quotient_of(rule)
        assert quotient is not None
        if ast.guard_of(rule) is not None or rule.counting not in ("proportional", None) or rule.direction == "from":
            raise Unwritable("step")
        per = exact.ratio(rule.rate.value, rule.step.value)
        reference = Decimal(0) if rule.reference is None else ast.constant(rule.reference)
        top = node.max.value
        if per is None or reference is None or per <= 0 or top <= 0 or exact.decimals(per) > 0:
            raise Unwritable("step")  # a product with decimals the general query rounds to 20: its own
        a, b = self.number(quotient.left), self.number(quotient.right)
        places = max(a.scale, b.scale)
        if a.bound.scaleb(places) * 10**QUOTIENT_PLACES >= HUGEINT_LIMIT // 2:
            raise Unwritable("quotient")
        far = Fraction(reference) + (1 if rule.direction == "above" else -1) * Fraction(top) / Fraction(per)
        zero = literal(Decimal(0))

        positive = self.positive(quotient.right)

        def versus(t: Fraction, op: str) -> exp.Expr:  # Q op t: a·d op n·b where b > 0, flipped where b < 0 (b = 0 is refused)
            left = a.sql.copy() if t.denominator == 1 else times(a, literal(Decimal(t.denominator))).sql
            right = literal(Decimal(0)).sql if t.numerator == 0 else b.sql.copy() if t.numerator == 1 else times(b, literal(Decimal(t.numerator))).sql
            if positive:  # a row with b ≤ 0 is refused (its bound, PF503)
                return exp.Paren(this=compare(op, left, right))
            positive_b = exp.and_(exp.GT(this=b.sql.copy(), expression=zero.sql.copy()), compare(op, left.copy(), right.copy()))
            negative = exp.and_(exp.LT(this=b.sql.copy(), expression=zero.sql.copy()), compare(_CONVERSE[op], left, right))
            return exp.Paren(this=exp.or_(positive_b, negative))

        if rule.direction == "above":
            tests = versus(Fraction(reference), "<="), versus(far, ">=")
        else:
            tests = versus(Fraction(reference), ">="), versus(far, "<=")
        full, none = tests
        # t = ⌊2·|a|·10^20 / |b|⌋ on 128-bit integers (|a|, |b| × 10^places): one division, only
        # between the ends, on a row scored (a refused row's values, 10^14 and more, never multiplied)
        n2 = exp.Mul(this=exp.Abs(this=_whole(a, places)), expression=cast(integer(2 * 10**QUOTIENT_PLACES), BIG))
        d = exp.Abs(this=_whole(b, places))
        skipped = (self.refused_row.copy(), exp.Null())
        t = self.bind(QUOTIENTS, case(skipped, (full.copy(), exp.Null()), (none.copy(), exp.Null()),
                                      default=exp.IntDiv(this=n2.copy(), expression=d.copy())))  # fmt: skip
        self.ends[node.name.text] = (t, full.copy())
        # |a|/|b| to 20 decimals half-even: q = t >> 1 and up by one where t is odd (the rest at
        # least half) but not on a tie (2n = t·d: exactly half) of an even q
        one = integer(1)
        q = exp.BitwiseRightShift(this=t.copy(), expression=one.copy())
        odd = exp.EQ(this=exp.BitwiseAnd(this=t.copy(), expression=one.copy()), expression=one.copy())
        tie_even = exp.and_(exp.EQ(this=n2, expression=exp.Mul(this=t.copy(), expression=d)),
                            exp.EQ(this=exp.BitwiseAnd(this=q.copy(), expression=one.copy()), expression=integer(0)))  # fmt: skip
        up = exp.and_(odd, exp.Not(this=exp.Paren(this=tie_even)))
        rounded = exp.Add(this=exp.Paren(this=q), expression=case((up, integer(1)), default=integer(0)))
        negative = exp.NEQ(this=exp.Paren(this=exp.LT(this=a.sql.copy(), expression=zero.sql.copy())),
                           expression=exp.Paren(this=exp.LT(this=b.sql.copy(), expression=zero.sql.copy())))  # fmt: skip
        signed = exp.Mul(this=exp.Paren(this=rounded), expression=case((negative, integer(-1)), default=integer(1)))
        value = exact.from_unscaled(signed)  # a DECIMAL(38, 20)
        ref = literal(reference)
        excess = exp.Sub(this=value, expression=ref.sql) if rule.direction == "above" else exp.Sub(this=ref.sql, expression=value)
        lost = exp.Mul(this=exp.Paren(this=excess), expression=literal(per).sql)
        high = literal(top)
        middle = _greatest(zero.sql.copy(), exp.Sub(this=high.sql.copy(), expression=exp.Paren(this=lost)))
        score = case((full, high.sql.copy()), (none, zero.sql.copy()), default=middle)
        return Num(score, QUOTIENT_PLACES, max(high.bound, Decimal(1)))


_CONVERSE = {"<=": ">=", ">=": "<=", "<": ">", ">": "<", "=": "=", "!=": "!="}


def _places(kind: str) -> int | None:
    if kind.startswith("DECIMAL(") and kind.endswith(")"):
        return int(kind[len("DECIMAL(") : -1].split(",")[1])
    return None


def _whole(n: Num, places: int) -> exp.Expr:
    """`n` × 10^places as a 128-bit integer (exact: n has no more decimals), on 64 bits
    until the last cast where it fits them (a DECIMAL(38, s) is scaled by a 128-bit division)."""
    shifted = times(n, literal(Decimal(10) ** places))
    kind = exp.DataType.build("BIGINT") if shifted.digits <= 18 else BIG
    return cast(cast(shifted.sql, kind), BIG)


def _sum(parts: list[Num]) -> Num:
    total = parts[0]
    for part in parts[1:]:
        total = add(total, part, exp.Add)
    return total


def _arms(arms: list[tuple[exp.Expr, Decimal]]) -> Num:
    """The points of the first test that holds (none: NULL, a row the general query refuses, PF505)."""
    points = [literal(p) for _t, p in arms]
    return Num(case(*((t, p.sql) for (t, _p), p in zip(arms, points, strict=True))),
               max(p.scale for p in points), max(p.bound for p in points))  # fmt: skip


def _in_band(band: ast.Band, subject: exp.Expr) -> exp.Expr:
    """The walker's `in_band`, on the typed value."""
    tests: list[exp.Expr] = []
    if band.low is not None:
        tests.append(compare(">=" if band.low_closed else ">", subject.copy(), literal(band.low.value).sql))
    if band.high is not None:
        tests.append(compare("<=" if band.high_closed else "<", subject.copy(), literal(band.high.value).sql))
    return exp.and_(*tests) if tests and not band.is_else else exp.true()


# ---------------------------------------------------------------- the query
def query(rubric: Rubric, types: Mapping[str, str], table: str = "records") -> exp.Select | None:
    """The direct query of `rubric` over the engine's relation `table` (its columns' DuckDB
    types `types`, MISALIGNED among them), with the general query's columns and refusals; None
    where the rubric or a column is not one this module writes: the general query is used."""
    module = rubric.module
    header = module.header
    assert header is not None
    if not module.top or module.vetoes or module.outside or any(g.condition is not None for g in header.grades):
        return None  # a rubric of no rows, a veto, a row outside the tree, a grade's condition: the general query's
    # what the general query refuses before it writes anything, refused alike (PF807, PF808, PF805 …)
    source = relation(table)
    refuse_untranslated(module)
    general = Compiler(rubric, table, "duckdb", reasons=False)
    general.refuse_names()
    try:
        writer = Writer(rubric, types, general)
        scores = {n.name.text: writer.node(n) for n in module.top}
    except Unwritable:
        return None
    places = int(header.round_places.value) if header.round_places else 2
    assert places < SETTLE_PLACES  # the checker keeps it within 0–10 (PF307)
    raw: exp.Expr = scores[module.top[0].name.text].copy()
    for top in module.top[1:]:
        raw = exp.Add(this=raw, expression=scores[top.name.text].copy())
    # settled to 16 decimals half up, then rounded as the header says (values.rounded). Half up
    # in one rounding (one 128-bit division a row, not two): half up at N places of the raw
    # total plus half a unit of the 16th decimal, which crosses a tie at N exactly where
    # settling would reach it. DuckDB's round of a DECIMAL is half away from zero, and a total
    # is never negative (each top node is at least 0)
    mode = header.round_mode
    if mode == "half_up":
        lifted = exp.Add(this=exp.Paren(this=raw), expression=exact.typed_literal(SETTLE / 2)[0])
        wide = cast(exp.Round(this=lifted, decimals=integer(places)), decimal_type(38, places))
    else:
        settled = exp.Round(this=exp.Paren(this=raw), decimals=integer(SETTLE_PLACES))
        wide = cast(_rounded(settled, places, mode), decimal_type(38, places))
    short = _short_total(writer, module, places, mode)
    # NULL on a row refused, first: the short total's tests read inputs sized for a row scored
    refused = (writer.refused_row.copy(), exp.Null())
    total = writer.bind(len(writer.layers), case(refused, default=wide) if short is None else case(refused, short, default=wide))
    whens = threshold_grades(header, total, lambda value: literal(value).sql)
    writer.layers[0].append((REFUSED, writer.refusal()))
    ctes: list[exp.CTE] = []
    names: list[str] = []
    for i, layer in enumerate(layer for layer in writer.layers if layer):
        name = f"{PREFIX}layer{i}"
        body = exp.select(exp.Star(), *(exp.alias_(e, column, quoted=True, copy=False) for column, e in layer), copy=False).from_(source, copy=False)
        ctes.append(exp.CTE(this=body, alias=exp.TableAlias(this=exp.to_identifier(name, quoted=True))))
        source = exp.to_table(name, quoted=True)
        names += [column for column, _e in layer]
    dropped = [spec.name for spec in rubric.inputs] + [MISALIGNED] + names
    final: list[exp.Expr] = [exp.Star(except_=[exp.to_identifier(n, quoted=True) for n in dropped])]
    for n, _depth in ast.walk_nodes(module.top):  # a score is NULL on a row refused already: no test here
        places = writer.places[n.name.text]  # written as sql/narrow.py writes a narrow score, a 64-bit DECIMAL(18, s)
        value = writer.written[n.name.text] if places == QUOTIENT_PLACES else cast(writer.written[n.name.text], decimal_type(18, places))
        final.append(exp.alias_(value, n.name.text, quoted=True, copy=False))
    final.append(exp.alias_(total, TOTAL, quoted=True, copy=False))
    grade = case((writer.refused_row.copy(), exp.Null()), default=case(*whens) if whens else exp.Null())
    final.append(exp.alias_(cast(grade, exp.DataType.build("TEXT")), GRADE, quoted=True, copy=False))  # text, given or not, as the general query's
    for alias, field in ((REFUSAL, 1), (REFUSAL_INPUT, 2)):
        # each refusal's code and input, looked up by its index in one list (1-based; NULL on a
        # row scored): one step a row, where a CASE would test every index on every row
        said = [exp.Literal.string(str(site[field])) if site[field] is not None else exp.Null() for site in writer.sites]
        index = exp.Add(this=writer.refused.copy(), expression=integer(1))
        looked = exp.Bracket(this=exp.Array(expressions=said), expressions=[index]) if said else exp.Null()
        final.append(exp.alias_(cast(looked, exp.DataType.build("TEXT")), alias, quoted=True, copy=False))
    tree = exp.select(*final, copy=False).from_(source, copy=False)
    tree.set("with_", exp.With(expressions=ctes))
    return tree


def _short_total(writer: Writer, module: ast.Module, places: int, mode: ast.RoundingMode) -> tuple[exp.Expr, exp.Expr] | None:
    """The total on 64 bits where it can be: a row whose every quotient is at an end (most
    rows: its division was not made) has no score of more decimals than its columns', so its
    total is the sum of its indicators' scores as DECIMAL(p, s) of the width each sum needs
    (DuckDB would widen a sum of two 18-digit decimals to 128 bits), rounded on 64 bits or not
    at all. The test that holds there, and that total; None where a group's clamp might change
    a sum (the total is then not its indicators') or a score is not narrow."""
    groups = [n for n, _d in ast.walk_nodes(module.top) if isinstance(n, ast.Group)]
    if any(not (0 <= writer.reach.get(g.name.text, (NEG_INF, INF))[0] and writer.reach.get(g.name.text, (NEG_INF, INF))[1] <= g.max.value)
           for g in groups) or not writer.ends:  # fmt: skip
        return None
    parts: list[exp.Expr] = []

    def frontier(n: ast.Node) -> bool:  # the narrow scores that make up the total where every quotient is at an end
        name = n.name.text
        if name in writer.ends:  # its max or 0
            parts.append(case((writer.ends[name][1].copy(), literal(n.max.value).sql), default=literal(Decimal(0)).sql))
            return True
        if writer.places[name] < QUOTIENT_PLACES:
            parts.append(writer.written[name].copy())
            return True
        return isinstance(n, ast.Group) and all(frontier(c) for c in n.children)

    if not all(frontier(n) for n in module.top):
        return None
    total = _balanced(parts)
    ended = exp.and_(*(exp.Is(this=t.copy(), expression=exp.Null()) for t, _full in writer.ends.values()))
    scale = max((0 if name in writer.ends else p) for name, p in writer.places.items() if p < QUOTIENT_PLACES or name in writer.ends)
    short = total if scale <= places else _rounded(total, places, mode)  # of 16 decimals or fewer: settled already
    return ended, cast(short, decimal_type(38, places))


def _rounded(x: exp.Expr, places: int, mode: ast.RoundingMode) -> exp.Expr:
    """`x` (never negative) rounded to `places` as `mode` says, exactly: DuckDB's round (half
    away from zero) and round_even, else its whole part plus the floor or ceiling of its
    fraction × 10^places, scaled back by a product (no division)."""
    shift, unit = literal(Decimal(10) ** places).sql, literal(Decimal(1).scaleb(-places)).sql
    if mode == "half_up":
        return exp.Round(this=x, decimals=integer(places))
    if mode == "half_even":
        return exp.Anonymous(this="round_even", expressions=[x, integer(places)])
    # the whole part kept, only the fraction rounded: x has 16 decimals or fewer (settled, or
    # narrow), so as a DECIMAL(38, 16) its fraction times 10^places stays far inside 38 digits
    # (the whole total times 10^places would not: a total of 10^12 to 10 places)
    wide = cast(x, decimal_type(38, SETTLE_PLACES))
    whole = exp.Floor(this=wide.copy())
    scaled = exp.Mul(this=exp.Paren(this=exp.Sub(this=wide, expression=whole.copy())), expression=shift)
    match mode:
        case "down" | "floor":
            part: exp.Expr = exp.Floor(this=scaled)
        case "up" | "ceiling":
            part = exp.Ceil(this=scaled)
        case "half_down":
            part = exp.Ceil(this=exp.Sub(this=scaled, expression=literal(Decimal("0.5")).sql))
        case _:
            assert_never(mode)
    return exp.Add(this=whole, expression=exp.Mul(this=part, expression=unit))


def _width(top: Decimal, places: int) -> int:
    """The digits a DECIMAL of `places` decimals needs to hold every value in [0, top] (at
    least its decimals: DuckDB's DECIMAL(p, s) needs p ≥ s)."""
    return max(1, places, len(str(int(top.scaleb(places)))))


def _balanced(parts: list[exp.Expr]) -> exp.Expr:
    """The sum of `parts` as a balanced tree of additions: DuckDB widens a sum by one digit, so
    n narrow scores summed so widen by log2(n) digits, not n, and stay on 64 bits."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return exp.Paren(this=exp.Add(this=_balanced(parts[:half]), expression=_balanced(parts[half:])))


def sites_of(tree: exp.Select) -> list[tuple[str, str | None]]:
    """The refusals of a query, in order: each site's code and input, read off its `refusal`
    and `refusal_input` columns — the general query's CASE … WHEN index = i THEN …, the direct
    one's list. The tests hold the direct query's to the general one's with it."""
    finals = {e.alias: e.this for e in tree.expressions if isinstance(e, exp.Alias)}
    found: dict[int, list[str | None]] = {}
    for alias, field in ((REFUSAL, 0), (REFUSAL_INPUT, 1)):
        said = finals[alias].this if isinstance(finals[alias], exp.Cast) else finals[alias]
        if isinstance(said, exp.Bracket) and isinstance(said.this, exp.Array):
            pairs = [(k, e) for k, e in enumerate(said.this.expressions)]
        elif isinstance(said, exp.Case):
            pairs = [(int(w.this.expression.this), w.args["true"]) for w in said.args["ifs"]
                     if isinstance(w.this, exp.EQ) and isinstance(w.this.expression, exp.Literal)]  # fmt: skip
        else:
            pairs = []
        for k, e in pairs:
            found.setdefault(k, [None, None])[field] = e.this if isinstance(e, exp.Literal) else None
    return [(str(found[k][0]), found[k][1]) for k in sorted(found)]


def _divides(e: ast.Expr) -> bool:
    return any(isinstance(x, ast.Binary) and x.op == "/" for x in ast.walk_expressions(e))


def _height(n: ast.Node) -> int:
    return 0 if isinstance(n, ast.Indicator) else 1 + max(map(_height, n.children))

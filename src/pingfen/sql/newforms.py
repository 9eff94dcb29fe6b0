"""Issue 10's forms in SQL: the hooks of sql/compiler.py's Compiler, filled in.

Each follows the walker (evaluate/walker.py) as the rest of the compiler does: in its order
(so the first refusal of a record is evaluate()'s), exact (every rounding by its digits, on
scaled integers, never by an engine's ROUND), with the reasons the walker gives. What is
still refused is named by sql/forms.py before any SQL is written (docs/scale.md lists both).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import assert_never

from sqlglot import exp

from pingfen import ast
from pingfen.absent import NA_WORDS
from pingfen.evaluate.applies import plan
from pingfen.evaluate.rubric import InputSpec, Rubric
from pingfen.reasons import Site as ReasonSite
from pingfen.sql import compiler, dates, exact, panels, sizes
from pingfen.sql.compiler import OWN, PREFIX, Compiler, Entry, Frag, clamp, compare, folding, join, reserved, sum_of
from pingfen.sql.exact import NUM, WHOLE, SqlRefusal, case, cast, integer, literal
from pingfen.values import EPOCH as EPOCH_DAY
from pingfen.values import (
    FIRST_DAY,
    LAST_DAY,
    MAX_LIST,
    SETTLE,
    pinned,
    ratio_limits,
)

__all__ = ["FormsCompiler", "round_expr", "to_sql", "to_sql_tree"]


def _true() -> Frag:
    return Frag(exp.true(), 0)


def _not(f: Frag) -> Frag:
    return Frag(exp.Not(this=exact.paren(f.sql.copy())), f.depth)


def _and(a: Frag, b: Frag) -> Frag:
    """a AND b, leaving out a TRUE (so that a chain of conditions stays short)."""
    return b if a.sql == exp.true() else join(exp.And, a, b)


def _any(parts: list[Frag]) -> Frag:
    joined = exp.or_(*(exact.paren(p.sql.copy()) for p in parts))
    return Frag(joined, max(p.depth for p in parts))


def _changed(rounded: exp.Expr, score: exp.Expr) -> exp.Expr:
    """Whether rounding changed the score (both columns): settled, the score is not its rounding
    (values.settled, half up: within half of 10^-16 of it, the far end by its sign). A quotient's
    hair off the rounded score is no change of it, so no `rounded` reason, as evaluate() words it."""
    half = literal(SETTLE / 2)
    below = literal(-SETTLE / 2)
    gap = exp.Sub(this=score.copy(), expression=rounded.copy())
    positive_same = exp.and_(exp.GTE(this=gap.copy(), expression=below.copy()), exp.LT(this=gap.copy(), expression=half.copy()))
    negative_same = exp.and_(exp.GT(this=gap.copy(), expression=below), exp.LTE(this=gap, expression=half))
    same = case((exp.LT(this=score.copy(), expression=integer(0)), negative_same), default=positive_same)
    return exp.not_(exact.paren(same))


def round_expr(v: exp.Expr, places: int, mode: ast.RoundingMode, settle: bool = True) -> exp.Expr:
    """`v` (a NUM, read several times: a column or a cheap expression) rounded to `places`
    decimals in `mode`, as values.rounded rounds (settled first, unless `settle` is False: an
    input's `precision`, which Decimal.quantize rounds as read): on its digits, |v| × 10^places
    split into a whole part and a fraction, the whole part raised by one where the mode says
    (exact.rounds_up), the sign put back. Exact; never the engine's ROUND, whose mode differs
    from engine to engine."""
    negative = exp.LT(this=v.copy(), expression=integer(0))
    magnitude = exp.Abs(this=v.copy())
    scaled = exact.times_literal(magnitude, Decimal(1).scaleb(places))
    if scaled is None:  # more than 18 places: the checker keeps them far fewer (PF307)
        raise SqlRefusal("PF802", {"form": f"round(…, {places})"})
    floor = cast(exp.Floor(this=scaled.copy()), WHOLE)
    fraction = exp.Sub(this=scaled.copy(), expression=floor.copy())
    half = exact.literal(Decimal("0.5"))
    some = exp.GT(this=fraction.copy(), expression=exact.literal(Decimal(0)))
    # the whole part is odd: floor − 2·floor(floor / 2), as the compiler's total rounding finds it
    halved = exp.Floor(this=exp.Mul(this=floor.copy(), expression=exact.typed_literal(Decimal("0.5"))[0]))
    odd = exp.EQ(this=exp.Sub(this=floor.copy(), expression=exp.Mul(this=integer(2), expression=halved)), expression=integer(1))
    up: exp.Expr
    if settle:
        up = exact.rounds_up(fraction, places, mode, odd, negative)
    else:
        match mode:
            case "half_up":
                up = exp.GTE(this=fraction, expression=half)
            case "half_down":
                up = exp.GT(this=fraction, expression=half)
            case "half_even":
                up = exp.or_(exp.GT(this=fraction, expression=half), exp.and_(exp.EQ(this=fraction.copy(), expression=half.copy()), odd))
            case "up":
                up = some
            case "down":
                up = exp.false()
            case "ceiling":
                up = exp.and_(some, exp.not_(negative.copy()))
            case "floor":
                up = exp.and_(some, negative.copy())
            case _:
                assert_never(mode)
    units = cast(exp.Add(this=floor.copy(), expression=case((up, integer(1)), default=integer(0))), WHOLE)
    unit = exact.typed_literal(Decimal(1).scaleb(-places))[0]
    kept = cast(exp.Mul(this=units, expression=unit), NUM)
    return case((negative, cast(exp.Neg(this=exact.paren(kept.copy())), NUM)), default=kept)


DATE = exp.DataType.build("DATE")
EPOCH = cast(exp.Literal.string(EPOCH_DAY.isoformat()), DATE)  # day 0 of a date's day number (values.EPOCH)
# the days a Python date holds (datetime.date.min … max): DuckDB's DATE also holds `infinity`, BC days and years past 9999
DAYS = tuple(cast(exp.Literal.string(d.isoformat()), DATE) for d in (datetime.date.min, datetime.date.max))


def day(raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
    """A `date` input: a DATE column (or ISO text, `2024-03-31`) read as its day number, as
    Excel counts (values.to_date); no value PF501, one that is not a date PF502: nor a day no
    Python date is (`infinity`, whose day number is NULL, was scored as though the rule's test failed)."""
    date = exp.TryCast(this=raw.sql.copy(), to=DATE.copy(), safe=True)
    real = exp.Between(this=date.copy(), low=DAYS[0].copy(), high=DAYS[1].copy())
    missing = exp.Is(this=raw.sql.copy(), expression=exp.Null())
    unread = exp.and_(exp.not_(missing.copy()), exp.not_(exp.Coalesce(this=real.copy(), expressions=[exp.false()])))
    number = case((real, cast(days_between(EPOCH, date), NUM)))
    at = raw.depth  # 0: the records relation's column (sql/spelt.py gives a column worked from it)
    return Frag(number, at), [(Frag(missing, at), "PF501"), (Frag(unread, at), "PF502")]


def day_of_number(raw: Frag, places: int) -> tuple[Frag, list[tuple[Frag, str]]]:
    """A `date` input's column of numbers (an integer, a DECIMAL: a type `scales` fixes the decimals
    of) read as values.to_date reads an int or a Decimal: a whole day number from FIRST_DAY to
    LAST_DAY, else not a date (PF502). No cast to DATE reads a number: each was refused."""
    inside = exp.Between(this=raw.sql.copy(), low=integer(FIRST_DAY), high=integer(LAST_DAY))
    whole = [] if places == 0 else [exp.EQ(this=raw.sql.copy(), expression=exp.Floor(this=raw.sql.copy()))]  # 45382.5 is no day
    number = case((exp.and_(inside, *whole), cast(raw.sql.copy(), NUM)))
    missing = exp.Is(this=raw.sql.copy(), expression=exp.Null())
    unread = exp.and_(exp.not_(missing.copy()), exp.Is(this=number.copy(), expression=exp.Null()))
    return Frag(number, raw.depth), [(Frag(missing, raw.depth), "PF501"), (Frag(unread, raw.depth), "PF502")]


# whose query reads an optional input's 不适用 without all that str.strip() takes away, not TRIM's
# spaces only (DuckDB's text is stripped already: sql/spelt.py)
STRIPPED = frozenset({"spark", "postgres"})
# a date's columns read by their cast, not their text: typeof's names, and PostgreSQL's types as regtype reads them
# (a timestamptz by its day in the session's TimeZone, as its cast and a client's datetime give it)
DATED = {"spark": ("date", "timestamp", "timestamp_ntz"), "postgres": ("date", "timestamp", "timestamptz")}
# the day of a DATE's, a TIMESTAMP's or a TIMESTAMPTZ's JSON text on PostgreSQL; none BC (` BC` after it) or past 9999
JSON_DAY = "^([0-9]{4}-[0-9]{2}-[0-9]{2})(T[^ ]*)?$"


def days_between(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """b − a in days, two DATEs."""
    return exp.DateDiff(this=b.copy(), expression=a.copy(), unit=exp.var("DAY"))


def date_of(number: exp.Expr) -> exp.Expr:
    """The DATE of a day number."""
    return cast(exp.DateAdd(this=EPOCH.copy(), expression=cast(number, exp.DataType.build("INT")), unit=exp.var("DAY")), DATE)


def shifted(day: exp.Expr, months: exp.Expr) -> exp.Expr:
    """values._shifted: the same day `months` later, or that month's last day (both engines
    clamp so: DuckDB's `+ INTERVAL n MONTH`, Spark's ADD_MONTHS)."""
    return cast(exp.DateAdd(this=day.copy(), expression=cast(months.copy(), exp.DataType.build("INT")), unit=exp.var("MONTH")), DATE)


def places_of(quantum: Decimal) -> int:
    """The decimals a quantum keeps, as Decimal.quantize reads it (its exponent): 0.001 → 3."""
    exponent = quantum.as_tuple().exponent
    assert isinstance(exponent, int)  # a rubric's numbers are finite
    return -exponent


class FormsCompiler(Compiler):
    """The compiler with issue 10's forms translated (see the module's docstring)."""

    def __init__(self, rubric: Rubric, table: str, dialect: str, reasons: bool = True) -> None:
        super().__init__(rubric, table, dialect, reasons)
        self.fired: list[Frag] = []  # each veto's condition, in the rubric's order
        self.plan = plan(rubric.module, self.checked)  # the rows that may not apply, and what they read
        self.marked: dict[str, Frag] = {}  # an optional input: its column says 不适用
        self.missing: dict[str, Frag] = {}  # an optional input: no value (refused where a row that applies reads it)
        self.dropped: dict[str, Frag] = {}  # a row that drops out of its parent's sum (不适用, rescale)
        self.panels = {i.name.text: i.type for i in rubric.module.inputs if i.is_list}  # each panel's values' type
        self.let_exprs = {let.name.text: let.expr for let in rubric.module.lets}
        self.rule_now: ast.Rule | None = None  # the rule being compiled: what its reasons read of panels

    # ---------------------------------------------------------------- 不适用
    def reads(self, spec: InputSpec) -> bool:
        return not (spec.is_list or spec.batch is not None)  # a date too (`input`, below)

    def newer_input(self, spec: InputSpec, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        """`let 基准价 = batch min(报价)`: worked out over the whole relation (the batch), as a
        window (`MIN(…) OVER ()`), from the records whose inputs it reads are valid and whose
        expression can be worked out (Rubric.batch_values); none such: PF541. The relation
        needs no column of its name (nor may it have one: the value is the query's)."""
        if spec.is_list:
            return self.panel(spec, raw)
        decl = next(i for i in self.rubric.module.inputs if i.name.text == spec.name)
        assert decl.batch is not None  # `reads` leaves out only panels and batch values
        batch = decl.batch
        reads = ast.names_read(batch.expr)
        if not reads <= self.env.keys():  # an input declared after it: read in a later layer than this one
            raise SqlRefusal("PF807", {"form": f"let {spec.name} = batch …, before {', '.join(sorted(reads - self.env.keys()))}"})
        # a record whose inputs are at fault, or whose cells do not line up (PF520, sql/spelt.py),
        # is left out: the Python batch refuses that row before reading it
        faulty = [site.condition for site in self.sites if site.input in reads or (site.input is None and site.code == "PF520")]
        mark = len(self.sites)
        # unguarded (sql/sizes.py): a record's value too large would leave it out of the batch
        # where evaluate() counts it, and so change every other row's score; it stops the whole
        # query instead, as a batch value past the digits does (docs/scale.md). What it reads
        # is NULL on a row left out (`Compiler.value`): only the rows counted are worked out
        self.counted = self.column(_not(_any(faulty))) if faulty else _true()
        try:
            each = self.column(self.value(batch.expr, spec.name, _true()))
        finally:
            self.counted = None
        failing = [site.condition for site in self.sites[mark:]] + faulty  # and one whose expression refuses
        del self.sites[mark:]
        known = self.column(Frag(case((_not(_any(failing)).sql, each.sql.copy())), each.depth) if failing else each)
        if batch.func in ("min", "max", "count"):
            kind: type[exp.Func] = {"min": exp.Min, "max": exp.Max, "count": exp.Count}[batch.func]
            value = Frag(cast(exp.Window(this=kind(this=known.sql.copy()), over="OVER"), NUM), known.depth)
            if batch.func == "count":  # no record known: 0, as AGGREGATES["count"] counts none … but then there is no batch
                value = Frag(case((exp.GT(this=value.sql.copy(), expression=integer(0)), value.sql.copy())), value.depth)
        elif batch.func == "mean":
            total = self.bind(Frag(cast(exp.Window(this=exp.Sum(this=known.sql.copy()), over="OVER"), NUM), known.depth))
            count = self.bind(Frag(cast(exp.Window(this=exp.Count(this=known.sql.copy()), over="OVER"), NUM), known.depth))
            # NULL where none is known (a zero count); within its values' hull, so within NUM: no guard
            value = self.divide(total, count, guard=False)
        elif batch.func == "median":
            value = self.median(known)
        elif batch.func == "rank":  # 1 for the highest; equal values share the better rank
            value = self.rank(known)
        else:
            raise SqlRefusal("PF807", {"form": f"let {spec.name} = batch {batch.func}(…)"})
        value = self.bind(value, spec.name)  # under its own name: the query's columns end without it, as without an input's
        # never absent, even when only rows that may not apply read it: none such refuses (PF541)
        self.marked[spec.name] = self.missing[spec.name] = Frag(exp.false(), 0)
        return value, [(Frag(exp.Is(this=value.sql.copy(), expression=exp.Null()), value.depth), "PF541")]

    # ---------------------------------------------------------------- panels of experts
    def inputs(self) -> None:
        super().inputs()
        for name in self.panels:  # a panel is no number: it has no 64-bit twin
            self.numbers.pop(name, None)

    def panel(self, spec: InputSpec, raw: Frag, bare: Frag | None = None) -> tuple[Frag, list[tuple[Frag, str]]]:
        """`input 专家评分: list of score`: a list column (DuckDB `DECIMAL(38, 20)[]`, Spark
        `ARRAY<DECIMAL(38, 20)>`), read as values.coerce_list and Rubric._panel_bounds read it,
        in their order: none or an empty list PF501, more than 1,000 values PF503, then the
        first value refused (NULL PF501, not a number PF502, outside its type PF503), then a
        value outside the bounds PF503 (a bare value of text `bare` beyond a percent's ratio limits
        too); and the query's own PF800 for one of 10^14 or more.
        A list column cannot say 不适用: a panel only rows that may not apply read is read so."""
        if self.dialect not in panels.DIALECTS:
            raise SqlRefusal("PF820", {"input": spec.name, "dialect": self.dialect})
        text = self.bind(Frag(exp.TryCast(this=raw.sql.copy(), to=exp.DataType.build("TEXT[]", dialect="duckdb"), safe=True), 0))
        v = self.bind(Frag(panels.values(raw.sql, self.dialect), 0))
        x = panels.var(panels.X)
        own: list[exp.Expr] = []  # what values.coerce refuses of a number of the panel's type
        if spec.type == "count":
            own += [exp.NEQ(this=x.copy(), expression=exp.Floor(this=x.copy())), exp.LT(this=x.copy(), expression=integer(0))]
        if spec.type == "amount":
            own.append(exp.LT(this=x.copy(), expression=integer(0)))
        problem = case((exp.or_(*own), exp.Literal.string("PF503"))) if own else exp.Null()
        blank = exp.or_(exp.Is(this=x.copy(), expression=exp.Null()), exp.EQ(this=exp.Trim(this=x.copy()), expression=exp.Literal.string("")))
        texts = exp.Transform(this=text.sql.copy(), expression=panels.lam(case((blank, exp.Null()), default=x.copy()), panels.X))  # a blank value is none
        first = panels.first_code(texts, v.sql, problem, self.dialect)
        outside = [exp.not_(compare(op, x.copy(), literal(bound))) for op, bound in spec.bounds]
        # a percent's ratio limits hold for a bare number of text only (`bare`: the list, each value
        # written with `%` made NULL), as Rubric._panel_bounds; a typed list is read as ratios
        limits = ratio_limits(spec.bounds) if spec.type == "percent" and bare is not None else ()
        beyond = [exp.not_(compare(op, x.copy(), literal(bound))) for op, bound in limits]
        unmarked = exp.TryCast(this=bare.sql.copy(), to=panels.LIST.copy(), safe=True) if bare is not None else None
        n = panels.size(v.sql)
        code = case(
            (exp.Is(this=raw.sql.copy(), expression=exp.Null()), exp.Literal.string("PF501")),
            (exp.Is(this=v.sql.copy(), expression=exp.Null()), exp.Literal.string("PF502")),
            (exp.EQ(this=n.copy(), expression=integer(0)), exp.Literal.string("PF501")),
            (exp.GT(this=n.copy(), expression=integer(MAX_LIST)), exp.Literal.string("PF503")),
            (exp.Not(this=exp.Is(this=first.copy(), expression=exp.Null())), first.copy()),
            *([(panels.any_value(v.sql, exp.or_(*outside)), exp.Literal.string("PF503"))] if outside else []),
            *([(panels.any_value(unmarked, exp.or_(*beyond)), exp.Literal.string("PF503"))] if unmarked is not None and beyond else []),
            (panels.any_value(v.sql, exp.GTE(this=exp.Abs(this=x.copy()), expression=literal(compiler.RANGE))), exp.Literal.string("PF800")),
        )
        refused = self.bind(Frag(code, max(text.depth, v.depth)))
        problems = [(Frag(exp.EQ(this=refused.sql.copy(), expression=exp.Literal.string(c)), refused.depth), c) for c in ("PF501", "PF502", "PF503", "PF800")]
        self.marked[spec.name] = self.missing[spec.name] = Frag(exp.false(), 0)
        return Frag(case((exp.Is(this=refused.sql.copy(), expression=exp.Null()), v.sql.copy())), refused.depth), problems

    def value(self, e: ast.Expr, where: str, reached: Frag) -> Frag:
        if isinstance(e, ast.Call) and len(e.args) == 1 and isinstance(e.args[0], ast.Ref) and e.args[0].name.text in self.panels:
            return self.aggregate(e, e.args[0].name.text, reached)
        return super().value(e, where, reached)

    def aggregate(self, e: ast.Call, name: str, reached: Frag) -> Frag:
        """A panel read by one of its functions (values.AGGREGATES), exact: the count, the
        least and the greatest as they are; a mean the exact sum ÷ the count by the long
        division; the median the middle value of the sorted list, or half the sum of the two
        middle ones; trimmed_mean (sum − least − greatest) ÷ (count − 2), refused (PF540)
        where it is reached with fewer than 3 values."""
        v = self.env[name]
        n = Frag(panels.size(v.sql), v.depth)
        match e.func:
            case "count":
                return Frag(cast(n.sql, NUM), n.depth)
            case "min":
                return Frag(panels.least(v.sql), v.depth)
            case "max":
                return Frag(panels.greatest(v.sql), v.depth)
            case "mean":
                # a mean lies within the panel's values, each within NUM: no guard of its whole part
                return self.divide(self.column(Frag(panels.total(v.sql, self.dialect), v.depth)), self.column(Frag(cast(n.sql, NUM), n.depth)), guard=False)
            case "trimmed_mean":
                self.refuse(reached, Frag(exp.LT(this=n.sql.copy(), expression=integer(3)), n.depth), "PF540", name)
                kept = exp.Sub(this=exp.Sub(this=panels.total(v.sql, self.dialect), expression=panels.least(v.sql)), expression=panels.greatest(v.sql))
                count = cast(exp.Sub(this=n.sql.copy(), expression=integer(2)), NUM)
                return self.divide(self.column(Frag(cast(kept, NUM), v.depth)), self.column(Frag(count, n.depth)), guard=False)
            case "median":
                ordered = self.column(Frag(panels.ordered(v.sql), v.depth))
                low = exp.IntDiv(this=exact.paren(exp.Add(this=n.sql.copy(), expression=integer(1))), expression=integer(2))
                high = exp.Add(this=exp.IntDiv(this=n.sql.copy(), expression=integer(2)), expression=integer(1))
                a, b = (cast(panels.element(ordered.sql, k, self.dialect), NUM) for k in (low, high))
                return self.halved(Frag(exp.Add(this=a, expression=b), ordered.depth))
            case _:
                raise SqlRefusal("PF807", {"form": self.walker.source_of(e)})

    def base(self, rule: ast.BaseRule, node: ast.Indicator) -> Frag:
        self.rule_now = rule
        return super().base(rule, node)

    def deduct_step(self, rule: ast.DeductStep, node: ast.Indicator) -> Frag:
        self.rule_now = rule
        return super().deduct_step(rule, node)

    def explain(self, node: ast.Indicator, when: Frag, kind: str, facts: dict[str, object],
                fields: list[tuple[str, Frag | None, str]], template: str | None, plain: bool = False) -> None:  # fmt: skip
        """The walker's `panelled`: a reason for a value read from panels (a formula, a band's
        subject, a `when` condition, a step's value or reference, through lets too) shows each
        panel's values, unless an author's template says what it says."""
        roots = self.panel_roots(kind, facts) if template is None and self.panels else ()
        read = ast.panels_read(roots, self.panels, self.let_exprs) if roots else ()
        if read:
            e = roots[0]
            alone = len(roots) == 1 and isinstance(e, ast.Call) and len(e.args) == 1 and isinstance(e.args[0], ast.Ref) and e.args[0].name.text in self.panels
            facts = {**facts, "panels": read, "alone": alone}
            parts: list[exp.Expr] = []
            for _func, name, _unit in read:
                parts += [exp.Literal.string(","), panels.as_json(self.env[name].sql)]
            values = exp.Concat(expressions=[exp.Literal.string("["), *parts[1:], exp.Literal.string("]")])
            fields = [*fields, ("panel_values", Frag(values, max(self.env[n].depth for _f, n, _u in read)), "panels")]
        super().explain(node, when, kind, facts, fields, template, plain)

    def template_value(self, name: str) -> tuple[Frag | None, str]:
        """A panel an author's template names is its values, as a JSON list (the walker's tuple)."""
        if name in self.panels:
            return Frag(panels.as_json(self.env[name].sql), self.env[name].depth), "panel"
        return super().template_value(name)

    def panel_roots(self, kind: str, facts: dict[str, object]) -> tuple[ast.Expr, ...]:
        """What the walker's `panelled` reads for this reason of the rule being compiled."""
        rule = self.rule_now
        match rule:
            case ast.Formula() if kind in ("formula", "formula_if"):
                return (rule.expr,)
            case ast.Bands() if kind == "band":
                return (rule.subject,)
            case ast.WhenChain() if kind == "when":
                return tuple(a.condition for a in rule.arms if a.condition is not None and self.walker.source_of(a.condition) == facts["condition"])[:1]
            case ast.WhenChain() if kind == "when_else":
                return tuple(a.condition for a in rule.arms if a.condition is not None)
            case ast.DeductStep() if kind == "step":
                return (rule.value,) if rule.reference is None else (rule.value, rule.reference)
            case _:
                return ()

    def median(self, known: Frag) -> Frag:
        """The middle value of those known, or the mean of the two middle ones (values._median):
        each record's place among them, then the values at the middle places over the whole."""
        absent = exp.Is(this=known.sql.copy(), expression=exp.Null())
        order = exp.Order(expressions=[exp.Ordered(this=known.sql.copy())])
        place = self.bind(Frag(exp.Window(this=exp.RowNumber(), partition_by=[absent], order=order, over="OVER"), known.depth))
        count = self.bind(Frag(exp.Window(this=exp.Count(this=known.sql.copy()), over="OVER"), known.depth))
        here = exp.not_(absent.copy())
        low = exp.IntDiv(this=exact.paren(exp.Add(this=count.sql.copy(), expression=integer(1))), expression=integer(2))
        high = exp.Add(this=exp.IntDiv(this=count.sql.copy(), expression=integer(2)), expression=integer(1))
        depth = max(place.depth, count.depth)

        def at(where: exp.Expr) -> Frag:
            chosen = case((exp.and_(here.copy(), exp.EQ(this=place.sql.copy(), expression=where)), known.sql.copy()))
            return self.bind(Frag(cast(exp.Window(this=exp.Max(this=chosen), over="OVER"), NUM), depth))

        a, b = at(low), at(high)
        return self.halved(Frag(exp.Add(this=a.sql.copy(), expression=b.sql.copy()), max(a.depth, b.depth)))

    def halved(self, both: Frag) -> Frag:
        """A median's midpoint, (a + b) × 0.5, of a sum bound to a column (the product reads it
        several times): exact for every sum NUM holds, a median of values past 10^17 too."""
        both = self.column(both)
        half = exact.times_literal(both.sql, Decimal("0.5"))
        assert half is not None  # one digit, one decimal
        return Frag(half, both.depth)

    def rank(self, known: Frag) -> Frag:
        absent = exp.Is(this=known.sql.copy(), expression=exp.Null())
        order = exp.Order(expressions=[exp.Ordered(this=known.sql.copy(), desc=True)])
        ranked = exp.Window(this=exp.Anonymous(this="RANK"), partition_by=[absent], order=order, over="OVER")
        return Frag(case((exp.not_(absent.copy()), cast(ranked, NUM))), known.depth)

    def input(self, spec: InputSpec, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        """A date (see `day`); an optional input (read only by rows that may not apply) as `Rubric.coerce` reads
        it: the text 不适用 (N/A, NA, 无此项) marks it; no value is missing, refused only where
        a row that applies reads it (PF501); any other value is read and checked as ever."""
        places = self.known_places(spec.name, raw) if spec.type == "date" else None
        if places is not None:  # a column of numbers: day numbers
            value, problems = day_of_number(raw, places)
        elif spec.type == "date" and self.dialect in dates.DIALECTS:
            value, problems = self.read_date(raw)
        else:
            value, problems = day(raw) if spec.type == "date" else super().input(spec, raw)
        if spec.name not in self.plan.optional:
            return value, problems
        def trimmed() -> exp.Expr:  # on Spark and PostgreSQL as str.strip() (`\u3000不适用`); DuckDB's text is stripped already
            text = cast(raw.sql.copy(), exp.DataType.build("TEXT"))
            return exp.Trim(this=text, expression=exp.Literal.string(exact.SPACES), position="BOTH") if self.dialect in STRIPPED else exp.Trim(this=text)

        said = exp.Lower(this=trimmed())
        said_so: exp.Expr = exp.In(this=said, expressions=[exp.Literal.string(w) for w in sorted(NA_WORDS)])
        named = [label for label in spec.labels if label.strip().casefold() in NA_WORDS] if spec.type == "label" else []
        if named:  # a label declared `NA` or `不适用` is that label, as evaluate() reads it, not the mark
            text = trimmed()
            said_so = exp.and_(said_so, exp.not_(exp.In(this=text, expressions=[exp.Literal.string(label) for label in named])))
        marked = self.bind(Frag(exp.Coalesce(this=said_so, expressions=[exp.false()]), raw.depth))  # never NULL: a NULL is missing
        missing = next(p for p, code in problems if code == "PF501")
        # marked read as the layer's own alias, as DuckDB and Spark allow; PostgreSQL does not: a layer later
        at = marked.depth if self.dialect == "postgres" else raw.depth
        missing = self.bind(Frag(exp.and_(exp.not_(exact.paren(marked.sql.copy())), exact.paren(missing.sql.copy())), at))
        self.marked[spec.name], self.missing[spec.name] = marked, missing
        read = _not(_any([marked, missing]))
        kept = [(join(exp.And, read, p), code) for p, code in problems if code != "PF501"]
        at = max(value.depth, read.depth) if self.dialect == "postgres" else value.depth  # as `missing` above
        return Frag(case((read.sql, value.sql.copy())), at), kept

    def read_date(self, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        """A `date` input on Spark and PostgreSQL (dates.DIALECTS), read from its column's text
        whatever its type, as values.to_date reads a str, a date, a datetime, an int or a Decimal
        (sql/dates.py: a DATE's or a TIMESTAMP's text is such, an integer's or a DECIMAL's a day
        number); a double's never (evaluate() reads no float as a date). Blank is missing (PF501),
        anything else not a date (PF502).
        A DATE or TIMESTAMP column is read by its cast, as before (`typed_day`): the text is read
        only where the column's type is another, so the branch on its type gives a DATE column's
        text NULL and every step after it costs nothing (Spark folds it away whole)."""
        spark, s = self.dialect == "spark", exp.Literal.string
        dated_kind = self.dated_kind(raw)
        steps: list[list[tuple[str, exp.Expr]]] = []  # PostgreSQL: the layers of the text's own subquery

        def bind(frag: Frag) -> Frag:
            if spark:  # Spark folds the branch on typeof: the query's own layers
                return self.bind(frag)
            name = f"{PREFIX}{self.count}"
            self.count += 1
            while len(steps) <= frag.depth:
                steps.append([])
            steps[frag.depth].append((name, frag.sql))
            return Frag(compiler.quoted(name), frag.depth + 1)

        trimmed = case((exp.not_(dated_kind.copy()), exp.Trim(this=cast(raw.sql.copy(), exp.DataType.build("TEXT")), expression=s(exact.SPACES), position="BOTH")))
        text = bind(Frag(trimmed, raw.depth))
        digits, number = dates.digits(text, bind)
        day_text = dates.calendar(digits, bind, spark)
        day_number = dates.day_number(number, bind, spark)
        dated = days_between(EPOCH, exp.TryCast(this=day_text.sql.copy(), to=DATE.copy(), safe=True))
        inside = exp.Between(this=day_number.sql.copy(), low=integer(FIRST_DAY), high=integer(LAST_DAY))
        read: exp.Expr = case((dates.floating(raw.sql, self.dialect), exp.Null()),
                              (exp.not_(exp.Is(this=day_text.sql.copy(), expression=exp.Null())), dated),
                              (inside, day_number.sql.copy()))  # fmt: skip
        at = max(day_text.depth, day_number.depth)
        if not spark:  # PostgreSQL reads no column's type when it plans: a subquery that a DATE column's row never runs
            read, at = self.subquery(steps, read), raw.depth
            text = Frag(trimmed, raw.depth)
        value = self.bind(Frag(case((dated_kind.copy(), self.typed_day(raw)), default=cast(read, NUM)), at))
        missing = exp.or_(exp.Is(this=text.sql.copy(), expression=exp.Null()), exp.EQ(this=text.sql.copy(), expression=s("")))
        missing = case((dated_kind.copy(), exp.Is(this=raw.sql.copy(), expression=exp.Null())), default=missing)
        unread = exp.and_(exp.not_(exact.paren(missing.copy())), exp.Is(this=value.sql.copy(), expression=exp.Null()))
        return value, [(Frag(missing, text.depth), "PF501"), (Frag(unread, value.depth), "PF502")]

    @staticmethod
    def subquery(steps: list[list[tuple[str, exp.Expr]]], value: exp.Expr) -> exp.Expr:
        """The value as a scalar subquery of its steps, each layer a derived table over the one
        before (OFFSET 0: not inlined, where each use of a step would work it out again); the row's
        columns read from the query around it. PostgreSQL's CASE runs it only in the branch taken."""
        query: exp.Select | None = None
        for i, layer in enumerate(steps):
            columns = [exp.alias_(e, name, quoted=True) for name, e in layer]
            query = exp.select(*columns) if query is None else exp.select(exp.Star(), *columns).from_(query.offset(0).subquery(f"{PREFIX}step{i}"))
        assert query is not None
        return exp.Subquery(this=exp.select(value).from_(query.offset(0).subquery(f"{PREFIX}steps")))


    def dated_kind(self, raw: Frag) -> exp.Expr:
        """Whether the column is a DATE or a TIMESTAMP (on PostgreSQL a TIMESTAMPTZ too: `DATED`). Spark folds its typeof
        when it plans the query; PostgreSQL's pg_typeof is compared by OID (each `'date'::regtype`
        is a constant once parsed), not by the text of its name."""
        if self.dialect == "spark":
            return exp.In(this=exp.Anonymous(this="TYPEOF", expressions=[raw.sql.copy()]), expressions=[exp.Literal.string(k) for k in DATED["spark"]])
        regtype = exp.DataType.build("REGTYPE", dialect="postgres", udt=True)
        kinds = [exp.Cast(this=exp.Literal.string(k), to=regtype.copy()) for k in DATED["postgres"]]
        return exp.In(this=exp.Anonymous(this="PG_TYPEOF", expressions=[raw.sql.copy()]), expressions=kinds)

    def typed_day(self, raw: Frag) -> exp.Expr:
        """A DATE or TIMESTAMP column's day, by the engine's cast as before (`day`): on PostgreSQL a
        day its DATE writes as ISO (a BC one, or past 9999, PF502, as evaluate() is given none). Cast
        from the column's text, for a cast of a number's column to DATE is an error of the query
        even in the branch not taken; a TIMESTAMP's text is its day and time, which the cast reads,
        a TIMESTAMPTZ's those in the session's TimeZone (its offset after them, which the cast leaves):
        the day a client in that session is given, whose datetime's day evaluate() takes.
        PostgreSQL writes a DATE's text in the session's DateStyle (`05/03/2021` under `SQL, DMY`),
        which the ISO test of the cast (exact.postgres_casts) refused: there the day is read from
        its JSON text instead, ISO whatever the DateStyle (`2021-03-05`, `2021-03-05T10:00:00+08:00`
        in the session's TimeZone, `0001-03-05 BC` not read); to_json takes a column of any type."""
        text = cast(raw.sql.copy(), exp.DataType.build("TEXT"))
        if self.dialect == "spark":
            return day(Frag(exp.TryCast(this=text, to=DATE.copy()), raw.depth))[0].sql
        json = exp.Trim(this=cast(exp.Anonymous(this="TO_JSON", expressions=[raw.sql.copy()]), exp.DataType.build("TEXT")),
                        expression=exp.Literal.string('"'), position="BOTH")  # fmt: skip
        iso = exp.Anonymous(this="SUBSTRING", expressions=[json, exp.Literal.string(JSON_DAY)])
        return day(Frag(iso, raw.depth))[0].sql

    def absent(self, names: tuple[str, ...]) -> Frag | None:
        """Whether any of these optional inputs has no value (marked or missing)."""
        return _any([self.marked[n] for n in names] + [self.missing[n] for n in names]) if names else None

    def let_value(self, let: ast.Let) -> Frag:
        """A let over optional inputs is not worked out where one is absent (the walker's
        `let`): its refusals are reached only where all are there."""
        absent = self.absent(self.plan.lets.get(let.name.text, ()))
        if absent is None:
            return super().let_value(let)
        outer = self.under
        self.under = _and(outer, _not(absent))
        try:
            return super().let_value(let)
        finally:
            self.under = outer

    def applicable(self, node: ast.Node, scored: Callable[[ast.Node], Frag]) -> Frag:
        """`applies [if COND] else full|zero|rescale`, as the walker's `scored`: the row does
        not apply where an input it reads is marked 不适用 or COND fails; then it and every part
        under it count their max (full) or 0, and with rescale it drops out of its parent's
        sum. Where it applies, an input it reads that is missing refuses the record (PF501)."""
        name = node.name.text
        guard = self.plan.guards.get(name)
        if guard is None:
            return scored(node)
        names = tuple(dict.fromkeys(guard.condition + guard.body))
        marked = _any([self.marked[n] for n in names]) if names else Frag(exp.false(), 0)
        unmarked = self.column(_not(marked))
        for n in guard.condition:
            self.site(_and(unmarked, self.missing[n]), "PF501", n)
        applies = unmarked
        condition = guard.applies.condition
        if condition is not None:
            outer = self.under
            self.under = _and(outer, unmarked)
            try:
                holds = self.value(condition, name, _true())
            finally:
                self.under = outer
            applies = _and(unmarked, holds)
        applies = self.column(applies)
        for n in guard.body:
            self.site(_and(applies, self.missing[n]), "PF501", n)
        outer = self.under
        self.under = _and(outer, applies)
        try:
            scored(node)  # binds its score and its parts' (self.scores), put under `applies` below
        finally:
            self.under = outer
        mode = guard.applies.mode
        for part, _depth in ast.walk_nodes((node,)):  # the row and every part under it: counted as the mode says
            counted = literal(part.max.value if mode == "full" else Decimal(0))
            own = self.scores[part.name.text]
            self.scores[part.name.text] = self.bind(Frag(case((applies.sql.copy(), own.sql.copy()), default=counted), max(applies.depth, own.depth)))
        inside = self.dropped.get(name)  # a group all of whose parts dropped out
        dropped = [_not(applies)] if mode == "rescale" else []
        dropped += [_and(applies, inside)] if inside is not None else []
        if dropped:
            self.dropped[name] = self.column(_any(dropped))
        # the reason: the first input marked 不适用 (as JSON), or none when COND failed
        first = case(*((self.marked[n].sql.copy(), exp.Literal.string(json.dumps(n))) for n in names), default=exp.Literal.string("null")) if names else exp.Literal.string("null")
        text = self.walker.source_of(condition) if condition is not None else None
        site = ReasonSite("not_applicable", {"condition": text, "mode": mode, "max": node.max.value}, ("marked",))
        self.reason_of(name, site, _not(applies), [(Frag(first, marked.depth), "json")])
        return self.scores[name]

    def reason_of(self, name: str, site: ReasonSite, when: Frag, numbers: list[tuple[Frag | None, str]]) -> None:
        """A reason of a row (group or indicator) the walker gives apart from its rules'."""
        self.catalogue.append(Entry(name, site, tuple(k for _f, k in numbers)))
        self.explained.append((name, [(_and(self.under, when), len(self.catalogue) - 1, numbers)]))

    def group_score(self, node: ast.Group, parts: list[Frag]) -> Frag:
        """折算: where parts dropped out, the sum of the rest × max ÷ their maxima (exact, by
        the compiler's long division); where every part dropped out, so does the group."""
        drops = [(c, self.dropped.get(c.name.text)) for c in node.children]
        if all(d is None for _c, d in drops):
            return super().group_score(node, parts)
        top = node.max.value
        kept, applicable, dropped = self.rescale(parts, drops)
        divisor = sizes.add(*(abs(c.max.value) for c in node.children))  # the maxima of the parts that apply
        rescaled = self.divide(self.multiply(kept, Frag(literal(top), 0), None, top), applicable, divisor_bound=divisor)
        score = Frag(case((_not(dropped).sql, clamp(kept, top).sql),
                          (exp.EQ(this=applicable.sql.copy(), expression=integer(0)), literal(Decimal(0))),
                          default=clamp(rescaled, top).sql), max(kept.depth, applicable.depth, dropped.depth, rescaled.depth))  # fmt: skip
        none_left = join(exp.And, dropped, Frag(exp.EQ(this=applicable.sql.copy(), expression=integer(0)), applicable.depth))
        self.dropped[node.name.text] = self.column(none_left)
        some_left = join(exp.And, dropped, Frag(exp.NEQ(this=applicable.sql.copy(), expression=integer(0)), applicable.depth))
        self.reason_of(node.name.text, ReasonSite("rescaled", {"max": top}, ("raw", "applicable")), some_left,
                       [(kept, "decimal"), (applicable, "decimal")])  # fmt: skip
        return score

    def rescale(self, parts: list[Frag], drops: list[tuple[ast.Node, Frag | None]]) -> tuple[Frag, Frag, Frag]:
        """The parts' sum, the maxima of those that apply, and whether any dropped out."""
        kept = self.column(sum_of(parts))
        maxima = [Frag(case((d.sql.copy(), literal(Decimal(0))), default=literal(c.max.value)), d.depth) if d is not None
                  else Frag(literal(c.max.value), 0) for c, d in drops]  # fmt: skip
        applicable = self.column(sum_of(maxima))
        dropped = self.column(_any([d for _c, d in drops if d is not None]))
        return kept, applicable, dropped

    # ---------------------------------------------------------------- expressions
    def newer(self, e: ast.Expr, where: str, reached: Frag) -> Frag:
        match e:
            case ast.Ref():  # `类型 = 大型会议`: a label the checker read as one
                assert e.name.text in self.checked.label_literals, e.name.text
                return Frag(exp.Literal.string(e.name.text), 0)
            case ast.IfElse():  # lazily, as the walker: an arm's refusals only where it is chosen
                holds = self.column(self.value(e.condition, where, reached))
                then = self.value(e.then, where, _and(reached, holds))
                otherwise = self.value(e.otherwise, where, _and(reached, _not(holds)))
                depth = max(holds.depth, then.depth, otherwise.depth)
                return Frag(case((holds.sql.copy(), then.sql.copy()), default=otherwise.sql.copy()), depth)
            case ast.Round():
                value = self.column(self.value(e.value, where, reached))
                places = int(e.places.value)
                rounded = Frag(round_expr(value.sql, places, e.mode), value.depth)
                # its digits |v| × 10^places must fit NUM (below 10^18; the whole part raised by
                # one is a DECIMAL(38, 0)), and so must the value rounded (to 0 places, below
                # LIMIT, so that one more is not 10^18): guarded where they may not
                bound = Fraction(sizes.TOP) / 10**places if places > 0 else Fraction(sizes.LIMIT)
                if Fraction(self.sizes.of(e.value).size) < bound:
                    return rounded
                return self.guarded(rounded, Frag(exact.below(value.sql, bound), value.depth), reached)
            case ast.Call() if e.func == "days":  # b − a, in days: a date is its day number
                a, b = (self.value(arg, where, reached) for arg in e.args)
                return Frag(cast(exp.Sub(this=b.sql.copy(), expression=a.sql.copy()), NUM), max(a.depth, b.depth))
            case ast.Call() if e.func == "months":
                a, b = (self.column(self.value(arg, where, reached)) for arg in e.args)
                return self.months(a, b)
            case _:
                raise SqlRefusal("PF807", {"form": self.walker.source_of(e)})

    def months(self, a: Frag, b: Frag) -> Frag:
        """values._months: calendar months from a to b — whole months (the same day of a later
        month, or its last day), then the days left over as a fraction of the month they fall
        in, by exact long division; negative when b is before a."""
        backwards = Frag(exp.LT(this=b.sql.copy(), expression=a.sql.copy()), max(a.depth, b.depth))
        start = self.bind(Frag(date_of(exp.Least(this=a.sql.copy(), expressions=[b.sql.copy()])), backwards.depth))
        end = self.bind(Frag(date_of(exp.Greatest(this=a.sql.copy(), expressions=[b.sql.copy()])), backwards.depth))
        years = exp.Sub(this=exp.Year(this=end.sql.copy()), expression=exp.Year(this=start.sql.copy()))
        months = exp.Sub(this=exp.Month(this=end.sql.copy()), expression=exp.Month(this=start.sql.copy()))
        guess = self.bind(Frag(exp.Add(this=exp.Mul(this=exact.paren(years), expression=integer(12)), expression=months), end.depth))
        over = exp.GT(this=shifted(start.sql, guess.sql), expression=end.sql.copy())
        whole = self.bind(Frag(exp.Sub(this=guess.sql.copy(), expression=case((over, integer(1)), default=integer(0))), guess.depth))
        here = self.bind(Frag(shifted(start.sql, whole.sql), whole.depth))
        there = shifted(start.sql, exp.Add(this=whole.sql.copy(), expression=integer(1)))
        left = Frag(cast(days_between(here.sql, end.sql), NUM), here.depth)
        month = Frag(cast(days_between(here.sql, there), NUM), here.depth)
        fraction = self.divide(left, month, guard=False, divisor_bound=Decimal(31))  # below 1: the days of a month
        total = self.column(Frag(cast(exp.Add(this=cast(whole.sql.copy(), NUM), expression=fraction.sql.copy()), NUM), max(whole.depth, fraction.depth)))
        negated = cast(exp.Neg(this=exact.paren(total.sql.copy())), NUM)
        return Frag(case((backwards.sql.copy(), negated), default=total.sql.copy()), max(total.depth, backwards.depth))

    def at_precision(self, spec: InputSpec, value: Frag) -> Frag:
        """`input 率: percent precision 0.01%`: rounded half up when read, before its domain
        is checked, as `Rubric.coerce` does (within 10^14 no value has more digits than 28).
        A value of 10^14 or more is left as it is, for the query's range to refuse (PF800): its
        digits at that precision may not fit NUM, and the query would stop."""
        if spec.precision is None:
            return value
        inside = exp.LT(this=exp.Abs(this=value.sql.copy()), expression=literal(compiler.RANGE))
        held = self.bind(Frag(case((inside, value.sql.copy())), value.depth))
        rounded = round_expr(held.sql, places_of(spec.precision), "half_up", settle=False)
        return Frag(exp.Coalesce(this=rounded, expressions=[value.sql.copy()]), held.depth)

    # ---------------------------------------------------------------- rules
    def switched(self, rule: ast.Rule, node: ast.Indicator, compile: Callable[[], Frag]) -> Frag:
        """A rule with a trailing `if COND`: its points where COND holds, else 0; what it reads
        is reached (may refuse) only there. A base rule switched off says so (guard_off)."""
        guard = ast.guard_of(rule)
        if guard is None:
            return compile()
        top = node.max.value
        on = self.column(self.value(guard, node.name.text, _true()))
        if ast.is_base(rule) and top > 0:
            held = self.walker.source_of(guard.operand) if isinstance(guard, ast.Not) else None
            facts: dict[str, object] = {"condition": self.walker.source_of(guard), "held": held, "max": top, "lost": top}
            self.explain(node, _not(on), "guard_off", facts, [], None, plain=True)
        outer = self.under
        self.under = _and(outer, on)
        try:
            points = compile()
        finally:
            self.under = outer
        return Frag(case((on.sql.copy(), points.sql.copy()), default=literal(Decimal(0))), max(on.depth, points.depth))

    def formula_if(self, e: ast.IfElse, node: ast.Indicator) -> Frag:
        """`score = if C1 then A1 else if C2 then A2 else B`: the arm chosen, and a reason that
        names the condition that held and those that failed (formula_if)."""
        name, top = node.name.text, node.max.value
        conditions, arms = ast.if_chain(e)
        failed_so_far = _true()
        reached: list[Frag] = []
        tests: list[Frag] = []
        for condition in conditions:
            holds = self.column(self.value(condition, name, failed_so_far))
            tests.append(holds)
            reached.append(_and(failed_so_far, holds))
            failed_so_far = _and(failed_so_far, _not(holds))
        reached.append(failed_so_far)
        depth = max(t.depth for t in tests)
        index = self.bind(Frag(case(*((t.sql.copy(), integer(j)) for j, t in enumerate(tests)), default=integer(len(conditions))), depth))
        values = [self.value(arm, name, reached[j]) for j, arm in enumerate(arms)]
        chosen = [Frag(exp.EQ(this=index.sql.copy(), expression=integer(j)), index.depth) for j in range(len(arms))]
        points = self.column(Frag(case(*((c.sql, v.sql.copy()) for c, v in zip(chosen, values, strict=True))),
                                  max(index.depth, *(v.depth for v in values))))  # fmt: skip
        # said when not the max: short of it, or past it (deductions after it may bring it back)
        short = Frag(exp.NEQ(this=points.sql.copy(), expression=literal(top)), points.depth)
        for j, arm in enumerate(arms):
            held = self.walker.source_of(conditions[j]) if j < len(conditions) else None
            facts: dict[str, object] = {"held": held, "failed": tuple(self.walker.source_of(c) for c in conditions[:j]),
                     "formula": self.walker.source_of(arm), "max": top}  # fmt: skip
            self.explain(node, join(exp.And, chosen[j], short), "formula_if", facts, [("points", points, "decimal")], None, plain=True)
        return points

    def rounded_score(self, node: ast.Indicator, score: Frag) -> Frag:
        """`round N [MODE]`: the score, clamped, rounded so; a reason when that changes it."""
        if node.round_places is None:
            return score
        score = self.column(score)
        rounded = self.bind(Frag(round_expr(score.sql, int(node.round_places.value), node.round_mode), score.depth))
        changed = Frag(_changed(rounded.sql, score.sql), rounded.depth)
        facts = {"places": node.round_places.text, "max": node.max.value}
        self.explain(node, changed, "rounded", facts, [("raw", score, "decimal"), ("rounded", rounded, "decimal")], None, plain=True)
        return rounded

    def rounded_group(self, node: ast.Group, score: Frag) -> Frag:
        """A group's `round N [MODE]`: its score after 折算 and the clamp, rounded by the
        digits (round_expr), with the `rounded` reason where that changes it (the walker's
        `_rounded`, after the group's 折算 reason)."""
        if node.round_places is None:
            return score
        score = self.column(score)
        rounded = self.bind(Frag(round_expr(score.sql, int(node.round_places.value), node.round_mode), score.depth))
        changed = Frag(_changed(rounded.sql, score.sql), rounded.depth)
        site = ReasonSite("rounded", {"places": node.round_places.text, "max": node.max.value}, ("raw", "rounded"))
        self.reason_of(node.name.text, site, changed, [(score, "decimal"), (rounded, "decimal")])
        return rounded

    # ---------------------------------------------------------------- 加减分项
    def scored(self, node: ast.Node) -> Frag:
        if not (isinstance(node, ast.Indicator) and node.low is not None):
            return super().scored(node)
        bound = self.bind(self.adjusted(node, node.low.value), f"{PREFIX}node{len(self.scores)}")
        self.scores[node.name.text] = bound
        return bound

    def adjusted(self, node: ast.Indicator, low: Decimal) -> Frag:
        """`adjust NAME -A .. +B`, as the walker's `indicator` scores it: from 0 (or its base
        rule), its held awards added and said (award_held; a missed one says nothing), its
        deductions taken, the sum kept in [low, max] and where it was held said; no
        `round N`, no 扣完为止 at 0. The score is signed: the total counts it as it is."""
        top, name = node.max.value, node.name.text
        base = next((r for r in node.rules if ast.is_base(r)), None)
        awards = [r for r in node.rules if isinstance(r, ast.AwardIf)]
        deductions = [r for r in node.rules if isinstance(r, ast.DeductStep | ast.DeductIf)]
        self.lost_here = []
        if base is not None:
            start = self.column(self.switched(base, node, partial(self.base, base, node)))
        else:
            start = self.column(sum_of([self.award_held(a, node) for a in awards]))  # none: 0
        lost, difference = self.less_lost(start, base, awards, deductions, node)
        raw = self.column(difference)
        ends: dict[str, object] = {"low": low, "max": top}
        numbers: list[tuple[str, Frag | None, str]] = [("start", start, "decimal"), ("lost", lost, "decimal")]
        self.explain(node, Frag(exp.LT(this=raw.sql.copy(), expression=literal(low)), raw.depth), "adjust_low", ends, numbers, None, plain=True)
        self.explain(node, Frag(exp.GT(this=raw.sql.copy(), expression=literal(top)), raw.depth), "adjust_high", ends, numbers, None, plain=True)
        self.explained.append((name, self.lost_here))
        inner = exp.Least(this=raw.sql.copy(), expressions=[literal(top)])
        return Frag(exp.Greatest(this=inner, expressions=[literal(low)]), raw.depth)

    def award_held(self, rule: ast.AwardIf, node: ast.Indicator) -> Frag:
        """An adjust row's award: its points where it holds, and a reason that says so."""
        holds = self.column(self.value(rule.condition, node.name.text, _true()))
        facts = {"condition": self.walker.source_of(rule.condition), "points": rule.points.value}
        self.explain(node, holds, "award_held", facts, [], rule.reason)
        return Frag(case((holds.sql.copy(), literal(rule.points.value)), default=literal(Decimal(0))), holds.depth)

    # ---------------------------------------------------------------- the total and the grade
    def raw_total(self, tops: list[Frag]) -> Frag:
        """The tree's sum, then the rows outside it (values.settle: a bonus adds its score, a
        penalty takes what it lost; never below 0, never above `cap total`), then the vetoes'
        conditions, each read for every record, a `-> zero` one taking the total to 0."""
        module = self.rubric.module
        header = module.header
        assert header is not None  # the checker guarantees a header
        for row in module.outside:  # their columns too are named as they are
            if reserved(row.row.name.text, folding(self.dialect)):
                raise SqlRefusal("PF805", {"name": row.row.name.text, "columns": ", ".join(OWN)})
        raw = super().raw_total(tops)
        drops = [(n, self.dropped.get(n.name.text)) for n in module.top]
        if any(d is not None for _n, d in drops):  # rows dropped out of the rubric: the total 折算 too
            rubric_max = header.total.value if header.total else sum((n.max.value for n in module.top), Decimal(0))
            kept, applicable, dropped = self.rescale(tops, drops)
            none_left = join(exp.And, dropped, Frag(exp.EQ(this=applicable.sql.copy(), expression=integer(0)), applicable.depth))
            self.site(none_left, "PF535", None)
            divisor = sizes.add(*(abs(n.max.value) for n in module.top))
            rescaled = self.divide(self.multiply(kept, Frag(literal(rubric_max), 0), None, rubric_max), applicable, divisor_bound=divisor)
            raw = Frag(case((dropped.sql.copy(), rescaled.sql.copy()), default=kept.sql.copy()), max(dropped.depth, rescaled.depth))
        if module.outside:
            counted = [raw]
            for row in module.outside:
                score = self.node(row.row)
                counted.append(score if row.kind != "penalty" else Frag(cast(exp.Sub(this=score.sql.copy(), expression=literal(row.row.max.value)), NUM), score.depth))
            summed = self.column(sum_of(counted))
            whens: list[tuple[exp.Expr, exp.Expr]] = [(exp.LT(this=summed.sql.copy(), expression=integer(0)), literal(Decimal(0)))]
            if header.cap is not None:
                whens.append((exp.GT(this=summed.sql.copy(), expression=literal(header.cap.value)), literal(header.cap.value)))
            raw = Frag(case(*whens, default=summed.sql.copy()), summed.depth)
        self.fired = [self.column(self.value(v.condition, v.name.text, _true())) for v in module.vetoes]
        zero = [f for v, f in zip(module.vetoes, self.fired, strict=True) if v.action == "zero"]
        if zero:
            vetoed = _any(zero)
            raw = Frag(case((vetoed.sql, literal(Decimal(0))), default=raw.sql.copy()), max(vetoed.depth, raw.depth))
        return raw

    def graded(self, total: Frag, header: ast.Header) -> Frag:
        """values.graded: a forced grade first; else the first grade the total reaches whose
        condition holds, after those a `below` veto bars (that grade and every one above)."""
        module = self.rubric.module
        names = [g.name.text for g in header.grades]
        whens: list[tuple[exp.Expr, exp.Expr]] = []
        depth = total.depth
        for veto, fired in zip(module.vetoes, self.fired, strict=True):
            if veto.action == "grade" and veto.grade is not None:
                whens.append((fired.sql.copy(), exp.Literal.string(veto.grade.text)))
                depth = max(depth, fired.depth)
        holds = [self.column(self.value(g.condition, "", _true())) if g.condition is not None else None for g in header.grades]
        for i, g in enumerate(header.grades):
            tests: list[Frag] = []
            if g.op is not None and g.threshold is not None:
                tests.append(Frag(compare(g.op, total.sql.copy(), literal(g.threshold.value)), total.depth))
            held = holds[i]
            if held is not None:
                tests.append(held)
            barred = [f for v, f in zip(module.vetoes, self.fired, strict=True)
                      if v.action == "below" and v.grade is not None and names.index(v.grade.text) >= i]  # fmt: skip
            if barred:
                tests.append(_not(_any(barred)))
            depth = max(depth, *(t.depth for t in tests)) if tests else depth
            whens.append((exp.and_(*(exact.paren(t.sql.copy()) for t in tests)) if tests else exp.true(), exp.Literal.string(g.name.text)))
        if not whens:
            return Frag(cast(exp.Null(), exp.DataType.build("TEXT")), 0)
        return Frag(case(*whens), depth)


@pinned  # the caller's decimal context never reaches the literals and scales the query is built of
def to_sql_tree(rubric: Rubric, dialect: str = "duckdb", table: str = "records", *, reasons: bool = True,
                scales: Mapping[str, int] | None = None, keep: Sequence[str] | None = None) -> exp.Select:  # fmt: skip
    """The scoring query as a sqlglot tree, issue 10's forms translated (sql/compiler.py);
    `scales`: the decimals of the relation's columns, where known (DuckDB: sql/narrow.py).
    A dialect not in `VERIFIED` is refused (PF804): its query is not checked on its engine."""
    exact.refuse_unverified(dialect)
    return compiler.to_sql_tree(rubric, dialect, table, reasons=reasons, kind=FormsCompiler, scales=scales, keep=keep)


@pinned
def to_sql(rubric: Rubric, dialect: str = "duckdb", table: str = "records", *, reasons: bool = True,
           keep: Sequence[str] | None = None) -> str:  # fmt: skip
    """The scoring query in `dialect` (duckdb, spark or postgres: `VERIFIED`): one row per record of `table`."""
    exact.refuse_unverified(dialect)
    return compiler.to_sql(rubric, dialect, table, reasons=reasons, kind=FormsCompiler, keep=keep)

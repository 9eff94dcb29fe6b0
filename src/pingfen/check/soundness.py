"""Is the rubric sound over its declared domains? Gaps, overlaps, dead arms, score ranges,
zero divisors, grade coverage and ambiguous step counting — each with a witness.

Runs after the name and type checks succeed: every name resolves and every unit is known.
Values are tracked as exact intervals (`intervals.py`); a finding names a concrete value
(`89.995% matches no band of 重点支出安排率`) that a reader can try with `pingfen eval`.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import assert_never

import attrs

from pingfen import ast
from pingfen.check.intervals import (
    EVERYTHING,
    INF,
    NEG_INF,
    UNTRAPPED,
    Interval,
    IntervalSet,
    absolute,
    add,
    compare_set,
    div,
    maximum,
    minimum,
    mul,
    neg,
    sub,
)
from pingfen.diagnostics import Diagnostic, Severity, Span
from pingfen.display import number, plain
from pingfen.reasons import quantity
from pingfen.values import CONVERSE, COUNTING, PLACES, ROUNDING, ZERO, counted, settled


def analyze(module: ast.Module, units: Mapping[ast.Expr, str], let_order: Sequence[ast.Let]) -> list[Diagnostic]:
    """Every soundness finding for a module whose names and units already check;
    let_order has each `let` after the lets it reads."""
    return _Analysis(module, units, let_order).run()


def clamping(module: ast.Module, units: Mapping[ast.Expr, str], let_order: Sequence[ast.Let]) -> set[str]:
    """The indicators whose deductions can take more than their base gives, so that some
    record ends at 0 (扣完为止), judged over the declared domains."""
    analysis = _Analysis(module, units, let_order)
    for let in let_order:
        analysis.domains[let.name.text] = analysis.interval(let.expr)
    found = set()
    for node, _depth in ast.walk_nodes(module.rows):
        if isinstance(node, ast.Indicator):
            base, _lost_lo, lost_hi = analysis.ranges(node)
            with decimal.localcontext(UNTRAPPED):
                if lost_hi > 0 and lost_hi > base[0]:
                    found.add(node.name.text)
    return found


def let_ranges(module: ast.Module, units: Mapping[ast.Expr, str], let_order: Sequence[ast.Let]) -> dict[str, str]:
    """Each `let`'s values over the declared domains, shown in its unit (`[0, 100%]`), as
    the soundness checks judge them: what an editor shows on hovering over a `let`."""
    analysis = _Analysis(module, units, let_order)
    shown = {}
    for let in let_order:
        analysis.domains[let.name.text] = values = analysis.interval(let.expr)
        shown[let.name.text] = analysis.show_interval(values, let.expr)
    return shown


def unclamped(module: ast.Module, units: Mapping[ast.Expr, str], let_order: Sequence[ast.Let]) -> dict[str, tuple[Decimal, Decimal]]:
    """Each row's score before its clamp to [0, max], least and most over the declared
    domains: an indicator's base less its deductions, a group's the sum of its parts as they
    count in it (±Infinity where unbounded). Where they lie within [0, max] the clamp cannot
    change a score: the SQL compiler (sql/compiler.py) then writes none."""
    analysis = _Analysis(module, units, let_order)
    analysis.run()  # every let's and indicator's range, as the checks above judge them
    found: dict[str, tuple[Decimal, Decimal]] = {}
    with decimal.localcontext(UNTRAPPED):
        for node, _depth in ast.walk_nodes(module.rows):
            if isinstance(node, ast.Indicator):
                base, lost_lo, lost_hi = analysis.ranges(node)
                low, high = base[0] - lost_hi, base[1] - lost_lo
            else:
                parts = [analysis.node_range(child) for child in node.children]
                low, high = sum((p[0] for p in parts), ZERO), sum((p[1] for p in parts), ZERO)
            found[node.name.text] = (NEG_INF if low.is_nan() else low, INF if high.is_nan() else high)  # ∞ − ∞ says nothing
    return found


def domain_of(decl: ast.Input, judged_max: Decimal | None = None) -> Interval:
    """The values an input can take: its type's range narrowed by its declared bounds."""

    base = {
        "count": Interval.make(ZERO, INF, True, False, whole=True),
        "amount": Interval.make(ZERO, INF, True, False),
        "score": Interval.make(ZERO, judged_max if judged_max is not None else INF, True, judged_max is not None),
    }.get(decl.type, EVERYTHING)
    for bound in decl.bounds:
        (part,) = compare_set(bound.op, bound.value.value).parts or (Interval.make(INF, NEG_INF, False, False),)
        base = base.intersect(part)
    return base


def outside_range(
    low: Decimal, high: Decimal, rows: Sequence[ast.Outside], ranges: Mapping[str, tuple[Decimal, Decimal]],
    cap: ast.Number | None,
) -> tuple[Decimal, Decimal]:
    """The least and most total once the bonus rows are added and the penalty rows taken, the
    tree's total lying in [low, high]: never below 0, never above the cap."""
    with decimal.localcontext(UNTRAPPED):
        for row in rows:
            lo, hi = ranges.get(row.row.name.text, (ZERO, row.row.max.value))
            low, high = low + row.counted(lo), high + row.counted(hi)
        low, high = max(low, ZERO), max(high, ZERO)
        if cap is not None:
            low, high = min(low, cap.value), min(high, cap.value)
    return low, high


class _Analysis:
    def __init__(self, module: ast.Module, units: Mapping[ast.Expr, str], let_order: Sequence[ast.Let]) -> None:
        self.module = module
        self.units = units
        self.let_order = let_order
        self.out: list[Diagnostic] = []
        self.judged = ast.judged_maxima(module)
        self.domains: dict[str, Interval] = {
            i.name.text: domain_of(i, self.judged.get(i.name.text))
            for i in module.inputs
            if i.type not in ("bool", "label")
        }
        self.input_types = {i.name.text: i.type for i in module.inputs}
        self.labels = {i.name.text: tuple(lb.text for lb in i.labels) for i in module.inputs if i.type == "label"}
        self._reported_divisors: set[tuple[int, int]] = set()  # (file, offset)
        self.ranges_of: dict[str, tuple[Decimal, Decimal]] = {}  # each indicator's least and most score

    def report(
        self, code: str, span: Span, hint: str | None = None, severity: Severity = "error", **args: object
    ) -> None:
        self.out.append(Diagnostic(code, span, args, severity, hint))

    def run(self) -> list[Diagnostic]:
        for decl in self.module.inputs:  # a value across a batch lies where its records' values lie
            if decl.batch is not None:
                whole = decl.batch.func in ("count", "rank")
                domain = Interval.make(Decimal(1), INF, True, False, whole=True) if whole else self.interval(decl.batch.expr)
                self.domains[decl.name.text] = domain
        for decl in self.module.inputs:
            if decl.name.text in self.domains and self.domains[decl.name.text].empty:
                self.report("PF415", decl.name.span, "fix_bounds", name=decl.name.text)
        for let in self.let_order:
            self.domains[let.name.text] = self.interval(let.expr)
            self.divisions(let.expr, {})  # lets are computed for every record: nothing guards them
        for node, _depth in ast.walk_nodes(self.module.rows):  # the tree, then the bonus and penalty rows
            if isinstance(node, ast.Indicator):
                self.indicator(node)
            if node.applies is not None and node.applies.condition is not None:
                self.divisions(node.applies.condition, {})
        header = self.module.header
        # a grade's condition and a veto's are computed for every record: nothing guards them
        for grade in header.grades if header is not None else ():
            if grade.condition is not None:
                self.divisions(grade.condition, {})
        for veto in self.module.vetoes:
            self.divisions(veto.condition, {})
        if header is not None and self.module.top and self.level_range(self.module.top, ZERO)[2]:
            self.report("PF430", header.span, "top_may_drop", "warning")
        self.grades()
        return self.out

    # ---------------------------------------------------------------- 不适用 and re-scaling
    def node_range(self, node: ast.Node) -> tuple[Decimal, Decimal, bool]:
        """The least and most a row counts for in its parent, and whether it may drop out of
        it (`applies … else rescale`, or a group all of whose parts of points may)."""
        top = node.max.value
        if isinstance(node, ast.Indicator):
            low, high = self.ranges_of.get(node.name.text, (ZERO, top))
            drops = False
        else:
            low, high, drops = self.level_range(node.children, top)
            if node.round_places is not None:  # `round N` after the clamp: the ends, rounded, bound it
                rounded = _rounded(Interval.make(low, high, True, True), node.round_places.value, node.round_mode)
                if rounded.lo.is_finite() and rounded.hi.is_finite():
                    low, high = rounded.lo, rounded.hi
        if node.applies is not None:
            mode = node.applies.mode
            low, high = (low, top) if mode == "full" else (ZERO, high)
            drops = drops or mode == "rescale"
        return low, high, drops

    def level_range(self, parts: tuple[ast.Node, ...], top: Decimal) -> tuple[Decimal, Decimal, bool]:
        """The least and most a level's score can be, re-scaling included, and whether all its
        parts may drop out. Re-scaled, the score is top × Σ scores ÷ Σ maxima over the parts
        that apply: a mean of their ratios score ÷ max weighted by the maxima, so it lies
        between the least and the most ratio any part can reach, times top."""
        ranges = [self.node_range(p) for p in parts]
        with decimal.localcontext(UNTRAPPED):
            low = min(sum((r[0] for r in ranges), ZERO), top)
            high = min(sum((r[1] for r in ranges), ZERO), top)
            if any(r[2] for r in ranges):
                ratios = [(r[0] / p.max.value, r[1] / p.max.value) for p, r in zip(parts, ranges, strict=True) if p.max.value]
                if ratios:
                    low = min(low, min(lo for lo, _ in ratios) * top)
                    high = max(high, max(hi for _, hi in ratios) * top)
        # all may drop: every part that carries points (a part of max 0 leaves nothing to re-scale by)
        drops = any(r[2] for r in ranges) and all(r[2] or p.max.value == 0 for p, r in zip(parts, ranges, strict=True))
        return low, high, drops

    def totals(self, total: Decimal) -> IntervalSet:
        """The totals a record can reach: [0, total], and, where rows may drop out, every
        re-scaled total (proved within [0, total] by `level_range`)."""
        low, high, _all_drop = self.level_range(self.module.top, total)
        header = self.module.header
        if self.module.outside and header is not None:  # 加分项 and 扣分项, then the total kept in [0, cap]
            low, high = outside_range(low, high, self.module.outside, self.ranges_of, header.cap)
        return IntervalSet.of(Interval.make(min(low, ZERO), max(high, total), True, True))

    # ---------------------------------------------------------------- values
    def interval(self, e: ast.Expr) -> Interval:
        """Every value e can take over the declared domains (EVERYTHING when unknown)."""
        match e:
            case ast.Number():
                return Interval.point(e.value)
            case ast.Ref():
                return self.domains.get(e.name.text, EVERYTHING)
            case ast.Neg():
                return neg(self.interval(e.operand))
            case ast.Call():
                args = [self.interval(a) for a in e.args]
                if e.func in ast.DURATIONS:  # any two dates
                    return EVERYTHING
                if e.func == "count":  # a panel holds one value at least
                    return Interval.make(Decimal(1), INF, True, False, whole=True)
                if e.func in ast.AGGREGATES:  # a mean, a median: within the hull of the panel's values
                    return args[0]
                if e.func == "abs":
                    return absolute(args[0])
                return minimum(args) if e.func == "min" else maximum(args)
            case ast.Binary():
                left, right = self.interval(e.left), self.interval(e.right)
                if e.op == "+":
                    return add(left, right)
                if e.op == "-":
                    return sub(left, right)
                if e.op == "*":
                    return mul(left, right)
                return EVERYTHING if right.contains(ZERO) else div(left, right)  # `divisions` reports the 0
            case ast.Round():  # every mode is monotone: the ends, rounded, bound the rounded values
                return _rounded(self.interval(e.value), e.places.value, e.mode)
            case ast.IfElse():  # either arm: the hull of both
                # each arm worked out once: twice (for the least, then the most) doubled the work
                # at each `else if`, and a chain of 22 took the checker 46 s (the editor froze)
                arms = [self.interval(e.then), self.interval(e.otherwise)]
                low, high = minimum(arms), maximum(arms)
                return Interval.make(low.lo, high.hi, low.lo_closed, high.hi_closed, low.whole and high.whole)
            case ast.Bool() | ast.Compare() | ast.And() | ast.Or() | ast.Not():
                return EVERYTHING  # truth values: not numbers
            case _:
                assert_never(e)

    def rule_divisions(self, rule: ast.Rule) -> None:
        """Check every division a rule computes. A `when` arm is tried only when the arms
        before it failed, so their conditions guard it (`when 上年 = 0 -> 5` then `… / 上年`)."""
        guard = ast.guard_of(rule)
        held: dict[object, IntervalSet] = {}  # a guarded rule is computed only where its guard holds
        if guard is not None:
            self.divisions(guard, {})
            known = self.condition(guard)
            held = {} if known is None else _assume({}, known[0], known[1])
        if not isinstance(rule, ast.WhenChain):  # any other rule computes all its expressions
            for expr in rule.expressions():
                if expr is not guard:
                    self.divisions(expr, held)
            return
        failed: dict[object, IntervalSet] = held
        for arm in rule.arms:
            if arm.condition is None:
                continue
            self.divisions(arm.condition, failed)
            known = self.condition(arm.condition)
            if known is not None:
                failed = _assume(failed, known[0], known[1].complement())

    def divisions(self, e: ast.Expr, assume: Mapping[object, IntervalSet]) -> None:
        """Report a divisor that can be 0 where it is computed, given what holds there
        (`and` and `or` evaluate their right side only after their left side)."""
        if isinstance(e, (ast.And, ast.Or)):
            self.divisions(e.left, assume)
            known = self.condition(e.left)
            if known is not None:
                subject, values = known
                assume = _assume(assume, subject, values if isinstance(e, ast.And) else values.complement())
            self.divisions(e.right, assume)
            return
        if isinstance(e, ast.IfElse):  # each arm is computed only where the condition says
            self.divisions(e.condition, assume)
            known = self.condition(e.condition)
            then, otherwise = assume, assume
            if known is not None:
                then = _assume(assume, known[0], known[1])
                otherwise = _assume(assume, known[0], known[1].complement())
            self.divisions(e.then, then)
            self.divisions(e.otherwise, otherwise)
            return
        if isinstance(e, ast.Binary) and e.op == "/":
            values = IntervalSet.of(self.interval(e.right)).intersect(assume.get(_Subject(e.right), _ALL))
            if values.contains(ZERO):
                self.zero_divisor(e.right, self.interval(e.right))
        for child in e.children():
            self.divisions(child, assume)

    def zero_divisor(self, divisor: ast.Expr, values: Interval) -> None:
        if (divisor.span.file, divisor.span.start) in self._reported_divisors:
            return
        self._reported_divisors.add((divisor.span.file, divisor.span.start))
        text = _text(divisor)
        kind = self.input_types.get(text) if isinstance(divisor, ast.Ref) else None
        hint = "declare_positive" if kind is not None else "guard_divisor"
        self.report("PF410", divisor.span, hint, divisor=text, type=kind, domain=self.show_interval(values, divisor))

    def unit(self, e: ast.Expr | _Subject) -> str:
        e = _key(e)
        if e not in self.units and isinstance(e, ast.Binary):  # `a - b` made from `a <= b`
            return self.unit(e.left)
        return self.units.get(e, "number")

    def show(self, value: Decimal, e: ast.Expr | _Subject) -> str:
        return quantity(value, self.unit(e)) if value.is_finite() else str(value)

    def show_interval(self, i: Interval, e: ast.Expr | _Subject) -> str:
        lo = "-∞" if not i.lo.is_finite() else self.show(i.lo, e)
        hi = "∞" if not i.hi.is_finite() else self.show(i.hi, e)
        return f"{'[' if i.lo_closed else '('}{lo}, {hi}{']' if i.hi_closed else ')'}"

    def witness(self, values: IntervalSet, e: ast.Expr | _Subject) -> str:
        """A value of the set, one data step inside an open end: 0.01% for percents,
        1 for counts, 0.01 otherwise; shown exactly in e's unit."""
        unit = self.unit(e)
        step = Decimal("0.0001") if unit == "percent" else Decimal(1) if unit == "count" else Decimal("0.01")
        return self.exact(values.parts[0].witness(step), e)

    def exact(self, value: Decimal, e: ast.Expr | _Subject) -> str:
        """A witness shown exactly (no rounding), in the subject's unit."""
        if self.unit(e) == "percent":
            return plain(value * 100) + "%"
        return plain(value)

    # ---------------------------------------------------------------- indicators
    def indicator(self, ind: ast.Indicator) -> None:
        top = ind.max.value
        floor = ind.low.value if ind.low is not None else ZERO  # an adjust row's: its lower end
        base, lost_lo, lost_hi = self.ranges(ind)
        with decimal.localcontext(UNTRAPPED):
            low = min(max(base[0] - lost_hi, floor), top)
            high = min(max(base[1] - lost_lo, floor), top)
        # ∞ − ∞ (an unbounded base less an unbounded deduction) says nothing: the clamp's [floor, max]
        low, high = (floor if low.is_nan() else low), (top if high.is_nan() else high)
        if ind.round_places is not None:  # `round N`: the ends, rounded, bound the rounded scores
            rounded = _rounded(Interval.make(low, high, True, True), ind.round_places.value, ind.round_mode)
            low, high = (rounded.lo, rounded.hi) if rounded.lo.is_finite() and rounded.hi.is_finite() else (low, high)
        self.ranges_of[ind.name.text] = (low, high)
        if not ind.rules:
            return  # PF305 already says so
        if high < top:
            self.report(
                "PF408", ind.name.span, "full_marks", "warning", name=ind.name.text, high=number(high), max=number(top)
            )
        elif low == high and not _fixed_formula(ind):
            self.report("PF409", ind.name.span, "constant_score", "warning", name=ind.name.text, value=number(low))

    def ranges(self, ind: ast.Indicator) -> tuple[tuple[Decimal, Decimal], Decimal, Decimal]:
        """The least and most the base rule gives, and the least and most the deductions take."""
        top = ind.max.value
        start = top if ind.low is None else ZERO  # an adjust row's rules add and take from 0
        base: tuple[Decimal, Decimal] = (start, start)
        awards = [r for r in ind.rules if ast.is_award(r)]
        if awards:
            base = (ZERO, sum((a.points.value for a in awards), ZERO))
        lost_lo, lost_hi = ZERO, ZERO
        for rule in ind.rules:
            self.rule_divisions(rule)
            lost_before = lost_lo
            match rule:
                case ast.Bands():
                    base = self.bands(rule)
                case ast.WhenChain():
                    base = self.when(rule)
                case ast.Match():
                    base = self.match(rule)
                case ast.Judgment():
                    base = (ZERO, top)
                case ast.Formula():
                    values = self.interval(rule.expr)
                    base = (values.lo, values.hi)
                case ast.DeductStep():
                    lo, hi = self.step(rule)
                    lost_lo, lost_hi = lost_lo + lo, lost_hi + hi
                case ast.DeductIf():
                    lost_hi += rule.points.value
                case ast.AwardIf():
                    pass  # the awards, all together, are the base above
                case _:
                    assert_never(rule)
            if ast.guard_of(rule) is not None:  # switched off, a base gives 0 and a deduction takes 0
                if ast.is_base(rule):
                    base = (min(base[0], ZERO), max(base[1], ZERO))
                else:
                    lost_lo = lost_before
        return base, lost_lo, lost_hi

    def step(self, rule: ast.DeductStep) -> tuple[Decimal, Decimal]:
        """The least and most a per-step deduction can take."""
        value = self.interval(rule.value)
        reference = (
            self.interval(rule.reference)
            if rule.reference is not None
            else Interval.make(ZERO, ZERO, True, True, whole=True)
        )
        whole_steps = value.whole and reference.whole and rule.step.value == 1
        if rule.counting is None and not whole_steps:  # counts of whole cases leave nothing to round
            self.report("PF413", rule.span, "counting", "note", subject=_text(rule.value))
        if rule.direction == "above":
            excess = sub(value, reference)
        elif rule.direction == "below":
            excess = sub(reference, value)
        else:
            excess = absolute(sub(value, reference))
        with decimal.localcontext(UNTRAPPED):
            lo = max(excess.lo, ZERO) / rule.step.value
            hi = max(excess.hi, ZERO) / rule.step.value
            rounding = COUNTING.get(rule.counting or "")  # proportional counting is not rounded
            if rounding is not None:
                lo, hi = counted(lo, rounding), counted(hi, rounding)  # as evaluated: settled, monotone
            return rule.rate.value * lo, rule.rate.value * hi

    def bands(self, rule: ast.Bands) -> tuple[Decimal, Decimal]:
        subject = rule.subject
        domain = IntervalSet.of(self.interval(subject))
        taken = IntervalSet()
        reachable: list[Decimal] = []
        sets = [(band, _band_set(band)) for band in rule.bands]
        earlier_bands = IntervalSet()  # every band before this one but `else`, as one set
        for i, (band, values) in enumerate(sets):
            if band.is_else:
                self.else_arm(band.span, band.points.value, domain, taken, subject, reachable)
                taken = domain
                continue
            # which earlier bands it overlaps is looked for only when it overlaps some: linear, not
            # quadratic, in the number of bands of a sound rubric
            overlapping = sets[:i] if not values.intersect(earlier_bands).intersect(domain).empty else []
            for earlier, earlier_values in overlapping:
                if earlier.is_else:
                    continue
                both = values.intersect(earlier_values).intersect(domain)
                if not both.empty:
                    fix = _opened(both, band, earlier)
                    self.report(
                        "PF402", band.span, "open_end" if fix else "overlap_range", "error",
                        witness=self.witness(both, subject),
                        band=ast.band_text(band), other=ast.band_text(earlier), subject=_text(subject),
                        **(fix or {}),
                    )  # fmt: skip
            earlier_bands = earlier_bands.union(values)
            inside = values.intersect(domain)
            if inside.empty:
                self.report(
                    "PF403",
                    band.span,
                    "outside_domain",
                    "warning",
                    band=ast.band_text(band),
                    subject=_text(subject),
                    domain=self.show_domain(domain, subject),
                )
            elif not inside.minus(taken).empty:
                reachable.append(band.points.value)
            taken = taken.union(values)
        gap = domain.minus(taken)
        if not gap.empty:
            self.report("PF401", subject.span, "add_band", witness=self.witness(gap, subject), subject=_text(subject))
        return (min(reachable), max(reachable)) if reachable else (ZERO, ZERO)

    def else_arm(self, span: Span, points: Decimal, domain: IntervalSet, taken: IntervalSet,
                 subject: ast.Expr | _Subject, reachable: list[Decimal]) -> None:  # fmt: skip
        """An `else` arm gives its points when the arms before it leave part of the domain;
        when they leave none, it is never taken (PF404)."""
        if domain.minus(taken).empty:
            self.report("PF404", span, "remove_else", "note", subject=_text(subject),
                        domain=self.show_domain(domain, subject))  # fmt: skip
        else:
            reachable.append(points)

    def show_domain(self, domain: IntervalSet, subject: ast.Expr | _Subject) -> str:
        return " ∪ ".join(self.show_interval(p, subject) for p in domain.parts) or "∅"

    def when(self, rule: ast.WhenChain) -> tuple[Decimal, Decimal]:
        points = [a.points.value for a in rule.arms]
        analysed = [self.condition(a.condition) for a in rule.arms if a.condition is not None]
        has_else = rule.arms[-1].condition is None
        subjects = {s for s, _ in (x for x in analysed if x is not None)}
        if not analysed or None in analysed or len(subjects) != 1:
            self.structural_when(rule, has_else)
            return min(points), max(points)
        (subject,) = subjects
        domain = IntervalSet.of(self.interval(subject.expr))
        taken = IntervalSet()
        reachable: list[Decimal] = []
        for arm in rule.arms:
            if arm.condition is None:
                self.else_arm(arm.span, arm.points.value, domain, taken, subject, reachable)
                break
            found = self.condition(arm.condition)
            assert found is not None  # every arm's condition was analysed above
            _, values = found
            fresh = values.intersect(domain).minus(taken)
            if fresh.empty:
                why = "never_in_domain" if values.intersect(domain).empty else "earlier_arms"
                self.report(
                    "PF405", arm.span, why, "warning", subject=_text(subject), domain=self.show_domain(domain, subject)
                )
            else:
                reachable.append(arm.points.value)
            taken = taken.union(values)
        if not has_else:
            gap = domain.minus(taken)
            if not gap.empty:
                self.report("PF406", rule.span, "add_else", witness=self.witness(gap, subject), subject=_text(subject))
        return (min(reachable), max(reachable)) if reachable else (ZERO, ZERO)

    def structural_when(self, rule: ast.WhenChain, has_else: bool) -> None:
        """Conditions over several values: flag arms repeating an earlier condition, and no else."""
        seen: set[object] = set()  # conditions compare by structure, spans aside
        for arm in rule.arms:
            if arm.condition is None:
                continue
            if _key(arm.condition) in seen:
                self.report("PF405", arm.span, "same_condition", "warning", subject=_text(arm.condition), domain="")
            seen.add(_key(arm.condition))
        if not has_else:
            self.report("PF407", rule.span, "add_else", "warning", witness="", subject="")

    def condition(self, cond: ast.Expr) -> tuple[_Subject, IntervalSet] | None:
        """(subject, the set of its values for which cond holds), for conditions about one value."""
        match cond:
            case ast.Compare():
                left, right = ast.constant(cond.left), ast.constant(cond.right)
                if self.unit(cond.left) in ("bool", "label") or self.unit(cond.right) in ("bool", "label"):
                    return None
                if right is not None and left is None:
                    return _Subject(cond.left), compare_set(cond.op, right)
                if left is not None and right is None:
                    return _Subject(cond.right), compare_set(CONVERSE[cond.op], left)
                if left is None and right is None:
                    difference = ast.Binary("-", cond.left, cond.right, cond.span)
                    return _Subject(difference), compare_set(cond.op, ZERO)
                return None
            case ast.And() | ast.Or():
                a, b = self.condition(cond.left), self.condition(cond.right)
                if a is None or b is None or a[0] != b[0]:
                    return None
                return a[0], a[1].intersect(b[1]) if isinstance(cond, ast.And) else a[1].union(b[1])
            case ast.Not():
                inner = self.condition(cond.operand)
                return None if inner is None else (inner[0], inner[1].complement())
            case ast.Number() | ast.Ref() | ast.Bool() | ast.Neg() | ast.Binary() | ast.Call() | ast.IfElse() | ast.Round():
                return None  # not a condition about the values of one subject
            case _:
                assert_never(cond)

    def match(self, rule: ast.Match) -> tuple[Decimal, Decimal]:
        assert isinstance(rule.subject, ast.Ref)
        labels = self.labels.get(rule.subject.name.text, ())
        named = {a.label.text for a in rule.arms if a.label is not None}
        missing = [label for label in labels if label not in named]
        otherwise = next((a for a in rule.arms if a.label is None), None)
        if missing and otherwise is None:
            self.report("PF414", rule.span, "add_else", label=missing[0], input=rule.subject.name.text)
        if not missing and otherwise is not None:
            self.report(
                "PF404", otherwise.span, "remove_else", "note", subject=rule.subject.name.text, domain="、".join(labels)
            )
        points = [a.points.value for a in rule.arms if a.label is not None or missing]
        return (min(points), max(points)) if points else (ZERO, ZERO)

    # ---------------------------------------------------------------- grades
    def grades(self) -> None:
        header = self.module.header
        if header is None or not header.grades:
            return
        total = header.total.value if header.total else sum((n.max.value for n in self.module.top), ZERO)
        # a grade is given on the total rounded as the header says: only multiples of its quantum
        places = header.round_places.value if header.round_places is not None else Decimal(PLACES)
        quantum = Decimal(1).scaleb(-int(places))
        totals = IntervalSet.of(*(_rounded(part, places, header.round_mode) for part in self.totals(total).parts))
        taken = IntervalSet()
        earlier: list[tuple[str, IntervalSet]] = []
        for grade in header.grades:
            if grade.op is None or grade.threshold is None:
                values = totals
            else:
                values = compare_set(grade.op, grade.threshold.value).intersect(totals)
            name = grade.name.text
            given, left = values.on_grid(quantum), values.minus(taken)
            if given.empty:
                self.report("PF412", grade.span, "grade_above_total", "warning", name=name, total=number(total))
            elif left.on_grid(quantum).empty:
                witness = given.witness()
                first = next(other for other, its in earlier if its.contains(witness))
                # its totals before rounding are not all taken: it is the rounding that leaves it none
                hint = "grade_order" if left.empty else "grade_rounded"
                self.report("PF412", grade.span, hint, "warning", name=name, witness=plain(witness), other=first, places=plain(places))
            if grade.condition is None:  # a grade with a condition may be refused: its totals stay open
                taken = taken.union(values)
            earlier.append((name, values))
        gap = totals.minus(taken).on_grid(quantum)
        if not gap.empty:
            self.report("PF411", header.span, "grade_otherwise", witness=plain(gap.witness()))


class _Subject:
    """An expression compared by structure, not position."""

    def __init__(self, expr: ast.Expr) -> None:
        self.expr = expr

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Subject) and _key(self.expr) == _key(other.expr)

    def __hash__(self) -> int:
        return hash(_key(self.expr))


def _key(e: ast.Expr | _Subject) -> ast.Expr:
    """Expressions are frozen attrs with spans excluded from equality: the node is its own key."""
    return e.expr if isinstance(e, _Subject) else e


def _text(e: ast.Expr | _Subject) -> str:
    """A subject as findings show it; a condition is shown as `…`."""
    if isinstance(e, _Subject):
        e = e.expr
    match e:
        case ast.Ref():
            return e.name.text
        case ast.Number():
            return e.text
        case ast.Binary():
            return f"{_text(e.left)} {e.op} {_text(e.right)}"
        case ast.Neg():
            return f"-{_text(e.operand)}"
        case ast.Call():
            return f"{e.func}({', '.join(_text(a) for a in e.args)})"
        case ast.Round():
            return f"round({_text(e.value)}, {e.places.text})"
        case ast.Bool() | ast.Compare() | ast.And() | ast.Or() | ast.Not() | ast.IfElse():
            return "…"
        case _:
            assert_never(e)


_ALL = IntervalSet.of(EVERYTHING)


def _rounded(values: Interval, places: Decimal, mode: str) -> Interval:
    """The values of `round(x, places, mode)` for x in values: the ends settled and rounded, as
    evaluated (values.rounded: settling is monotone too), closed."""
    quantum = Decimal(1).scaleb(-int(places))
    room = decimal.Context(prec=200, rounding=ROUNDING[mode], traps=[decimal.InvalidOperation])
    try:
        lo = settled(values.lo).quantize(quantum, context=room) if values.lo.is_finite() else values.lo
        hi = settled(values.hi).quantize(quantum, context=room) if values.hi.is_finite() else values.hi
    except decimal.InvalidOperation:
        return EVERYTHING
    return Interval.make(lo, hi, True, True, values.whole)


def _assume(known: Mapping[object, IntervalSet], subject: object, values: IntervalSet) -> dict[object, IntervalSet]:
    """What holds after also learning that subject lies in values."""
    out = dict(known)
    out[subject] = out.get(subject, _ALL).intersect(values)
    return out


def _fixed_formula(ind: ast.Indicator) -> bool:
    """`score = 5`: a fixed score written on purpose, not a rule that fails to vary."""
    return any(
        isinstance(r, ast.Formula) and not any(isinstance(e, ast.Ref) for e in ast.walk_expressions(r.expr))
        for r in ind.rules
    )


def _opened(both: IntervalSet, band: ast.Band, earlier: ast.Band) -> dict[str, str] | None:
    """When two bands share one value only, the user's own band rewritten with that end
    open (the later band's, if it has such an end): {"changed": …, "fixed": …}."""
    if len(both.parts) != 1 or both.parts[0].lo != both.parts[0].hi:
        return None
    point = both.parts[0].lo
    for one in (band, earlier):
        if one.low is not None and one.low_closed and one.low.value == point and one.op != "=":
            fixed = attrs.evolve(one, low_closed=False, op=">" if one.op == ">=" else one.op)
        elif one.high is not None and one.high_closed and one.high.value == point and one.op != "=":
            fixed = attrs.evolve(one, high_closed=False, op="<" if one.op == "<=" else one.op)
        else:
            continue
        return {"changed": ast.band_text(one), "fixed": ast.band_text(fixed)}
    return None


def _band_set(band: ast.Band) -> IntervalSet:
    if band.is_else:
        return IntervalSet.of(EVERYTHING)
    lo = band.low.value if band.low is not None else NEG_INF
    hi = band.high.value if band.high is not None else INF
    return IntervalSet.of(Interval.make(lo, hi, band.low_closed, band.high_closed))

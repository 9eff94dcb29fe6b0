"""The code of one indicator, for `codegen`: its base rule or awards, its deductions,
its clamping, and the reason records it keeps.

An indicator's score mirrors the plain reading of the rules exactly, digit for digit:
start (the base rule, the awards, or the max), less `0 + lost + lost …`, clamped to
[0, max]. What can be known at load is worked out at load: the score of an arm when
nothing is deducted, a deduction's loss when nothing is over, and which side of the
clamp can happen at all. A reason is recorded as (Site, numbers) — a rule's fixed facts
and the few numbers of the record — and put into words only when read.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from decimal import Context, Decimal, DecimalException, Inexact, InvalidOperation, Overflow, Rounded
from typing import Any, Protocol, assert_never

from pingfen import ast
from pingfen.display import canonical, canonical_unsigned
from pingfen.evaluate.refusals import no_arm, no_band, no_label
from pingfen.reasons import Site, placeholders
from pingfen.values import (
    COMPARE,
    CONTEXT,
    COUNTING,
    LIMIT,
    NEGATION,
    ZERO,
    clamp,
    counted,
    rounded,
    settled,
    total_rounding,
)

# Each comparison of the language as Python source spells it (a new operator in
# `values.COMPARE` without a spelling here stops the import).
_SPELLING = {
    operator.eq: "==", operator.ne: "!=", operator.lt: "<", operator.le: "<=", operator.gt: ">", operator.ge: ">=",
}  # fmt: skip
PYTHON_COMPARE = {op: _SPELLING[meaning] for op, meaning in COMPARE.items()}


# A judgment's score, `+x` in the pinned context then made canonical (`display.canonical`), in
# one call: rounded as the context rounds, trailing zeros dropped, and (with `clamp`, Emax one
# less than the digits) no exponent above 0, so 2E+1 is 20. The same for every x with |x| below
# 10^27 but a zero, which stays signed (the code writes `or 0`): `test_judged_canonical`.
_JUDGED = Context(prec=CONTEXT.prec, rounding=CONTEXT.rounding, Emin=CONTEXT.Emin, Emax=CONTEXT.prec - 1, clamp=1,
                  traps=[InvalidOperation, Overflow])  # fmt: skip
_JUDGED_BELOW = Decimal(10) ** (CONTEXT.prec - 1)
_JUDGED_CANONICAL = _JUDGED.normalize  # one constant of every rubric's code


def _judged_within(bounds: tuple[tuple[str, Decimal], ...]) -> bool:
    """Whether an input's bounds keep it strictly between -10^27 and 10^27."""
    above = any(op in (">", ">=") and bound > -_JUDGED_BELOW for op, bound in bounds)
    below = any(op in ("<", "<=") and bound < _JUDGED_BELOW for op, bound in bounds)
    return above and below


class Generator(Protocol):
    """What an indicator's code is written through: codegen._Generator, which imports this
    module (so it is described here, not imported)."""

    @property
    def out(self) -> Callable[[str], None]: ...
    @property
    def names(self) -> Mapping[str, str]: ...
    @property
    def units(self) -> Mapping[str, str]: ...
    @property
    def zero(self) -> str: ...
    @property
    def explaining(self) -> bool: ...
    @property
    def module(self) -> ast.Module: ...
    @property
    def bounds(self) -> Mapping[str, tuple[tuple[str, Decimal], ...]]: ...
    def const(self, value: object) -> str: ...
    def fresh(self, prefix: str) -> str: ...
    def indent(self, by: int) -> None: ...
    def expr(self, e: ast.Expr, where: str) -> str: ...
    def source_of(self, node: Any) -> str: ...
    def unit(self, e: ast.Expr) -> str: ...
    def assign_sum(self, name: str, terms: list[str]) -> None: ...
    def clamp(self, raw: str, score: str, clamp: str, top: Decimal, low: bool, high: bool, floor: Decimal = ZERO) -> str: ...


class IndicatorCode:
    """Writes the code of one indicator through the generator `gen`."""

    def __init__(self, gen: Generator, ind: ast.Indicator, index: int) -> None:
        self.g = gen
        self.ind = ind
        self.index = index
        self.name = ind.name.text
        self.top = ind.max.value
        self.emit: list[str] = []  # lines recording reasons, written once the score is known
        self.reasons = f"e{index}"
        # Scoring: whether every score the code can give is in its canonical form (`display`),
        # so that reading it needs no normalizing (codegen: Layout.canonical)
        self.canonical = False

    def write(self) -> tuple[str, str, str]:
        """Write the code; return the names of the score, the reason records and the clamp
        (the last two constants when scoring only, or when nothing can be recorded)."""
        g, top, rules = self.g, self.top, self.ind.rules
        base = next((r for r in rules if ast.is_base(r)), None)
        awards = [r for r in rules if ast.is_award(r)]
        deductions = [r for r in rules if ast.is_deduction(r)]
        only = deductions[0] if len(deductions) == 1 else None
        if not g.explaining and base is None and not awards and isinstance(only, ast.DeductStep) and self.ind.low is None:
            if only.direction != "from" and only.guard is None and self.ind.round_places is None:
                return self.single_step(only), g.const(()), "None"
        if g.explaining and base is None and not awards and isinstance(only, ast.DeductStep) and self.ind.low is None:
            if only.direction != "from" and only.guard is None and self.ind.round_places is None:
                folded = self.explained_step(only)
                if folded is not None:
                    return folded
        if not g.explaining and base is None and awards and not deductions and self.ind.low is None:
            if self.ind.round_places is None and len(awards) <= _TABLED_AWARDS:
                return self.award_table(awards), g.const(()), "None"
        # arms that give fixed points, nothing deducted: each arm's score is known at load
        arms = base.arm_points() if base is not None else ()
        self.fixed = not deductions and bool(arms) and all(ZERO <= p.value <= top for p in arms)
        if base is not None and ast.guard_of(base) is not None:
            self.fixed = False  # switched off, the score is 0, not one of the arms
        if base is not None:
            start, negative, over = self.guarded(base, lambda: self.base(base))
        elif awards:
            start, negative, over = self.awards(awards), False, sum((a.points.value for a in awards), ZERO) > top
        elif self.ind.low is not None:  # an adjust row's rules add and take from 0
            start, negative, over = g.zero, False, False
        else:
            start, negative, over = g.const(top), False, False
        score, clamp = f"s{self.index}", "None"
        judged: str | None = None
        if self.ind.low is not None:
            return self.adjusted(start, deductions)
        if not self.fixed:
            lost = [self.deduction(r) for r in deductions]
            all_lost = g.zero
            if lost:
                all_lost = g.fresh("d")
                g.assign_sum(all_lost, [g.zero, *lost])
            low = bool(deductions) or negative
            # Scoring, nothing deducted: the value of `start - 0` (rounded to 28 digits), but 0 for
            # a -0 start (a judgment of -0), so no score is -0 (codegen: Layout.unsigned). `+start`
            # is that (`plus` makes -0 0), and quicker than adding 0.
            less = f"{start} - {all_lost}" if lost or g.explaining else f"(+{start})"
            if not (lost or low or over or g.explaining or base is None or self.ind.round_places is not None):
                judged = self.judged(base)
            less = less if judged is None else judged
            if not g.explaining and not low and not over:  # nothing to clamp: the difference is the score
                g.out(f"{score} = {less}")
            else:
                raw = g.fresh("g")
                g.out(f"{raw} = {less}")
                clamp = g.clamp(raw, score, f"k{self.index}", top, low, over)
            if low:
                site = Site("clamped_low", {"max": top}, ("start", "lost"))
                self.keep(f"{clamp} is {g.const('low')}", f"({g.const(site)}, ({start}, {all_lost}))")
        if self.ind.round_places is not None:
            self.rounded(score)
        else:  # fixed arms, written canonical (`arm`), and a judgment (`judged`)
            self.canonical = (self.fixed or judged is not None) and not g.explaining
        return self.kept(score, clamp)

    def judged(self, base: ast.BaseRule) -> str | None:
        """The score of a judgment by its input alone, written canonical: `+x` (which rounds
        to the context's digits and makes -0 0) then normalized, in one C call (`_JUDGED`),
        where the input's bounds keep it below 10^27; None for any other rule."""
        if not isinstance(base, ast.Judgment) or ast.guard_of(base) is not None:
            return None
        name = (base.input or self.ind.name).text
        bounds = self.g.bounds.get(name)
        if bounds is None or not _judged_within(bounds):
            return None
        return f"({self.g.const(_JUDGED_CANONICAL)}({self.g.names[name]}) or {self.g.const(ZERO)})"

    def kept(self, score: str, clamp: str) -> tuple[str, str, str]:
        """Write the lines recording reasons, now that the score is known; return the names of
        the score, the reason records (a constant () when none can be kept) and the clamp."""
        g = self.g
        if not self.emit:
            return score, g.const(()), clamp
        lines, add = self.emit, f"    {self.reasons} += "
        if lines[0].startswith("if ") and lines[1].startswith(add) and (len(lines) == 2 or lines[2][0] != " "):
            # the first record kept as the tuple itself, not added to an empty one: a tuple fewer
            g.out(f"{self.reasons} = {lines[1][len(add):]} if {lines[0][3:-1]} else {g.const(())}")
            lines = lines[2:]
        else:
            g.out(f"{self.reasons} = {g.const(())}")
        for line in lines:
            g.out(line)
        return score, self.reasons, clamp

    def adjusted(self, start: str, deductions: list[ast.Deduction]) -> tuple[str, str, str]:
        """An adjust row (加减分项): what its rules add less what they take, kept in [low, max],
        with a reason when it is held at either end."""
        g, top = self.g, self.top
        assert self.ind.low is not None
        floor = self.ind.low.value
        lost = [self.deduction(r) for r in deductions]
        all_lost = g.zero
        if lost:
            all_lost = g.fresh("d")
            g.assign_sum(all_lost, [g.zero, *lost])
        raw, score = g.fresh("g"), f"s{self.index}"
        g.out(f"{raw} = {start} - {all_lost}")
        clamp = g.clamp(raw, score, f"k{self.index}", top, True, True, floor)
        for side in ("low", "high"):
            site = Site(f"adjust_{side}", {"low": floor, "max": top}, ("start", "lost"))
            self.keep(f"{clamp} is {g.const(side)}", f"({g.const(site)}, ({start}, {all_lost}))")
        return self.kept(score, clamp)

    def rounded(self, score: str) -> None:
        """`round N`: the clamped score rounded as the rubric says, with a reason when that
        changes a digit (the reason shows both numbers)."""
        g, places = self.g, self.ind.round_places
        assert places is not None
        quantum, rounding = total_rounding(places.value, self.ind.round_mode)
        raw = g.fresh("o")
        g.out(f"{raw} = {score}")
        g.out(f"{score} = {g.const(rounded)}({raw}, {g.const(quantum)}, {g.const(rounding)})")
        site = Site("rounded", {"places": places.text, "max": self.top}, ("raw", "rounded"))
        self.keep(f"{score} != {g.const(settled)}({raw})", self.record(site, [raw, score]))  # a hair off is no change

    def single_step(self, rule: ast.DeductStep) -> str:
        """Scoring only, the max less one deduction per step above or below: when nothing is
        over, the score is worked out at load."""
        g, top = self.g, self.top
        value = self.operand(rule.value, "v")
        reference = self.operand(rule.reference, "r") if rule.reference is not None else g.zero
        excess, steps, lost, score = g.fresh("m"), g.fresh("u"), g.fresh("l"), f"s{self.index}"
        a, b = (value, reference) if rule.direction == "above" else (reference, value)
        # Nothing over, or exactly on the reference: what that loses is known at load. Any
        # zero excess (0.00, -0) loses the same value as 0 itself, and only values reach a
        # result (every score is read in its canonical form, the total rounded).
        nothing, _ = clamp(CONTEXT.subtract(top, CONTEXT.add(ZERO, _none_over(rule))), top)
        nothing = canonical(nothing)  # every score it gives is canonical: this, 0, or one normalized
        self.canonical = True
        lets = {let.name.text: let.expr for let in g.module.lets}
        inputs = {i.name.text: i for i in g.module.inputs}
        bounded = all(_magnitude(e, lets, inputs) is not None for e in (rule.value, rule.reference) if e is not None)
        if bounded:
            # `a <= b` is `a - b <= 0` (a rounded difference keeps its sign), and a - b of values
            # this small cannot overflow: the subtraction is made only when something is over
            g.out(f"if {a} <= {b}:")
            g.out(f"    {score} = {g.const(nothing)}")
            g.out("else:")
            g.out(f"    {excess} = {a} - {b}")
        else:  # a value that may be near 10^Emax: the difference first, as the rule reads, which may overflow
            g.out(f"{excess} = {a} - {b}")
            g.out(f"if {excess} <= {g.zero}:")
            g.out(f"    {score} = {g.const(nothing)}")
            g.out("else:")
        quotient = f"{excess} / {g.const(rule.step.value)}"
        rounding = COUNTING.get(rule.counting or "")
        if rounding is not None:
            g.out(f"    {steps} = {g.const(counted)}({quotient}, {g.const(rounding)})")
            quotient = steps
        per_unit = _per_unit(rule) if bounded and rounding is None else None
        if per_unit is not None:  # `rate × (excess / step)` with the exact quotient folded: one division fewer
            taken = f"{excess} * {g.const(per_unit)}"
        else:
            taken = f"{g.const(rule.rate.value)} * ({quotient})"
        # `top - (0 + taken)` is `top - taken`: the product has at most 28 digits, so adding 0
        # changes at most a -0 into 0, and top less either zero is the same (unless top is -0).
        if top.is_zero() and top.is_signed():
            taken = f"({g.zero} + {taken})"
        g.out(f"    {lost} = {g.const(top)} - {taken}")
        g.out(f"    if {lost} < {g.zero}:")
        g.out(f"        {score} = {g.zero}")
        g.out("    else:")  # normalized: lost > 0 here, or +0 (top less an equal taken), never -0 unless top is
        canonical_of = canonical if top.is_zero() and top.is_signed() else canonical_unsigned
        g.out(f"        {score} = {g.const(canonical_of)}({lost})")
        return score

    def explained_step(self, rule: ast.DeductStep) -> tuple[str, str, str] | None:
        """Explaining, the max less one deduction per step above or below, and nothing else:
        when nothing is over, what the general code keeps (no reason, no clamp, the score) is
        worked out at load, so only a value past its reference is explained. None (the
        general code) should nothing over ever lose points or go below 0."""
        g, top = self.g, self.top
        none_over = _none_over(rule)
        nothing = CONTEXT.subtract(top, CONTEXT.add(ZERO, none_over))  # top - (0 + lost), as the code has it
        if none_over > ZERO or nothing < ZERO:
            return None
        value = self.operand(rule.value, "v")
        reference = self.operand(rule.reference, "r") if rule.reference is not None else g.zero
        excess, steps, lost, all_lost, raw = g.fresh("m"), g.fresh("u"), g.fresh("l"), g.fresh("d"), g.fresh("g")
        score, clamp = f"s{self.index}", f"k{self.index}"
        a, b = (value, reference) if rule.direction == "above" else (reference, value)
        g.out(f"{excess} = {a} - {b}")
        g.out(f"if {excess} < {g.zero}:")  # nothing over: as the general code would leave it
        g.out(f"    {score} = {g.const(nothing)}")
        g.out(f"    {clamp} = None")
        g.out(f"    {self.reasons} = {g.const(())}")
        g.out("else:")
        g.indent(1)
        g.out(f"{steps} = {excess} / {g.const(rule.step.value)}")
        rounding = COUNTING.get(rule.counting or "")
        if rounding is not None:
            g.out(f"{steps} = {g.const(counted)}({steps}, {g.const(rounding)})")
        g.out(f"{lost} = {g.const(rule.rate.value)} * {steps}")
        g.out(f"{all_lost} = {g.zero} + {lost}")
        g.out(f"{raw} = {g.const(top)} - {all_lost}")
        g.clamp(raw, score, clamp, top, True, False)
        record = self.step_record(rule, value, reference, excess, steps, lost)
        g.out(f"{self.reasons} = ({record},) if {lost} > {g.zero} else {g.const(())}")
        low = Site("clamped_low", {"max": top}, ("start", "lost"))
        g.out(f"if {clamp} is {g.const('low')}:")
        g.out(f"    {self.reasons} += (({g.const(low)}, ({g.const(top)}, {all_lost})),)")
        g.indent(-1)
        return score, self.reasons, clamp

    def award_table(self, awards: list[ast.AwardIf]) -> str:
        """Scoring only, a checklist of a few awards and nothing else: its score for each
        combination of conditions held is worked out at load, as the code would (0, plus
        each award's points or 0 in turn, less 0, held at the max), and the code picks one
        by testing each condition once, with no arithmetic."""
        g, top = self.g, self.top
        flags = [self.operand(a.condition, "w") for a in awards]
        over = sum((a.points.value for a in awards), ZERO) > top

        def score(held: tuple[bool, ...]) -> Decimal:
            start = ZERO
            for award, on in zip(awards, held, strict=True):
                start = CONTEXT.add(start, award.points.value if on else ZERO)
            raw = CONTEXT.subtract(start, ZERO)
            return top if over and raw > top else raw

        def pick(held: tuple[bool, ...]) -> str:
            if len(held) == len(flags):
                return g.const(canonical(score(held)))  # each canonical: read as it is
            return f"({pick((*held, True))} if {flags[len(held)]} else {pick((*held, False))})"

        g.out(f"s{self.index} = {pick(())}")
        self.canonical = True
        return f"s{self.index}"

    def pick(self) -> str:
        """Where an arm's points go: straight into the score when they are the score."""
        return f"s{self.index}" if self.fixed else self.g.fresh("p")

    def operand(self, e: ast.Expr, prefix: str) -> str:
        """The name holding e's value: an input, let or constant as it is, else a new local."""
        code = self.g.expr(e, self.name)
        if isinstance(e, (ast.Ref, ast.Number, ast.Bool)):
            return code
        name = self.g.fresh(prefix)
        self.g.out(f"{name} = {code}")
        return name

    # ---------------------------------------------------------------- reasons
    def site(
        self, kind: str, facts: dict[str, object], fields: tuple[str, ...], template: str | None
    ) -> tuple[Site, list[str]]:
        """The Site of a rule, and the names of the values its template reads."""
        if template is None:
            return Site(kind, facts, fields), []
        named = [n for n in placeholders(template) if n in self.g.names]
        units = tuple((n, self.g.units[n]) for n in named)
        return Site(kind, facts | {"max": self.top}, fields, template, units), [self.g.names[n] for n in named]

    def record(self, site: Site, numbers: list[str]) -> str:
        """A reason record, (site, (numbers…)), as an expression."""
        return f"({self.g.const(site)}, (" + "".join(f"{n}, " for n in numbers) + "))"

    def keep(self, condition: str, record: str) -> None:
        """Explaining: when condition holds, record a reason."""
        if self.g.explaining:
            self.emit.append(f"if {condition}:")
            self.emit.append(f"    {self.reasons} += ({record},)")

    # ---------------------------------------------------------------- base rules
    def base(self, rule: ast.BaseRule) -> tuple[str, bool, bool]:
        """Write the base rule; return the name of its points, and whether they can be
        below 0 or above the max."""
        over = any(p.value > self.top for p in rule.arm_points())
        match rule:
            case ast.Bands():
                return self.bands(rule), False, over
            case ast.WhenChain():
                return self.when(rule), False, over
            case ast.Match():
                return self.match(rule), False, over
            case ast.Judgment():  # a score input lies in [0, the smallest max judging it]
                if not self.g.explaining and ast.guard_of(rule) is None:  # the input itself, no reason kept
                    return self.g.names[(rule.input or self.ind.name).text], False, False
                points = self.g.fresh("p")
                self.g.out(f"{points} = {self.g.names[(rule.input or self.ind.name).text]}")
                self.computed("judgment", {}, points)
                return points, False, False
            case ast.Formula():
                points = self.g.fresh("p")
                self.g.out(f"{points} = {self.g.expr(rule.expr, self.name)}")
                if isinstance(rule.expr, ast.IfElse):
                    self.chosen(rule.expr, points)
                else:
                    self.computed("formula", {"formula": self.g.source_of(rule.expr)}, points, rule.expr)
                return points, True, True
            case _:
                assert_never(rule)

    def chosen(self, e: ast.IfElse, points: str) -> None:
        """Explaining, a formula `if C then A else B`: its reason names the condition that
        chose the arm (which arm is worked out again, for the record only)."""
        g, top = self.g, self.top
        if not g.explaining:
            return
        conditions, arms = ast.if_chain(e)
        sites = tuple(
            Site("formula_if", {"held": g.source_of(conditions[j]) if j < len(conditions) else None,
                                "failed": tuple(g.source_of(c) for c in conditions[:j]),
                                "formula": g.source_of(arm), "max": top}, ("points",))
            for j, arm in enumerate(arms)
        )  # fmt: skip
        read = [self.panelled(one, [points], e) for one in sites]  # the same panels whichever arm chose
        sites, numbers = tuple(one for one, _ in read), read[0][1]
        site = g.fresh("j")
        g.out(f"{site} = " + "".join(f"{g.const(sites[k])} if {g.expr(c, self.name)} else " for k, c in enumerate(conditions))
              + g.const(sites[-1]))  # fmt: skip
        # a value past the max is said too: deductions after it may bring it back to full marks
        self.keep(f"{points} != {g.const(top)}", f"({site}, (" + "".join(f"{n}, " for n in numbers) + "))")

    def computed(self, kind: str, facts: dict[str, object], points: str, reads: ast.Expr | None = None) -> None:
        """Explaining, a reason when computed points are not the max: short of it, or (a
        formula's) past it, which deductions after it may bring back to full marks."""
        top = self.top
        site = Site(kind, facts | {"max": top}, ("points",))
        site, numbers = self.panelled(site, [points], *(() if reads is None else (reads,)))
        self.keep(f"{points} != {self.g.const(top)}", self.record(site, numbers))

    def panelled(self, site: Site, numbers: list[str], *roots: ast.Expr) -> tuple[Site, list[str]]:
        """A reason for a value read from panels (`trimmed_mean(专家评分)`): it shows each
        panel's values too (an author's template says what it says)."""
        module = self.g.module
        panels = {i.name.text: i.type for i in module.inputs if i.is_list}
        read = ast.panels_read(roots, panels, {let.name.text: let.expr for let in module.lets}) if panels else ()
        if not read or site.template is not None:
            return site, numbers
        e = roots[0]
        alone = len(roots) == 1 and isinstance(e, ast.Call) and len(e.args) == 1 and isinstance(e.args[0], ast.Ref) and e.args[0].name.text in panels
        facts = {**site.facts, "panels": read, "alone": alone}
        values = "(" + "".join(f"{self.g.names[name]}, " for _, name, _ in read) + ")"
        return Site(site.kind, facts, (*site.fields, "panel_values")), [*numbers, values]

    def arm(self, points: Decimal, site: Site | None, numbers: list[str], pick: str, kept: str) -> None:
        """Inside an arm: the points it gives (its score, when worked out at load) and its record."""
        g = self.g
        if self.fixed:
            points, _ = clamp(CONTEXT.subtract(points, ZERO), self.top)
            if not g.explaining:  # the score itself, written canonical (only values reach a result)
                points = canonical(points)
        g.out(f"    {pick} = {g.const(points)}")
        if not g.explaining:
            return
        if site is None:
            g.out(f"    {kept} = None")
        elif numbers:
            g.out(f"    {kept} = {self.record(site, numbers)}")
        else:
            g.out(f"    {kept} = {g.const((site, ()))}")

    def arm_site(self, kind: str, facts: dict[str, object], fields: tuple[str, ...], points: Decimal,
                 template: str | None, numbers: list[str]) -> tuple[Site | None, list[str]]:  # fmt: skip
        """An arm's Site and numbers: a reason only when it gives less than the max."""
        if points >= self.top:
            return None, []
        facts = facts | {"points": points, "max": self.top, "lost": CONTEXT.subtract(self.top, points)}
        site, named = self.site(kind, facts, fields, template)
        return site, [*numbers, *named]

    def end_arms(self, kept: str) -> None:
        self.keep(f"{kept} is not None", kept)

    def bands(self, rule: ast.Bands) -> str:
        g = self.g
        pick, kept = self.pick(), g.fresh("q")
        value = self.operand(rule.subject, "v")
        subject, unit = g.source_of(rule.subject), g.unit(rule.subject)
        known: set[tuple[str, Decimal]] = set()  # what the bands passed over prove about the value
        keyword = "if"
        for band in rule.bands:
            facts: dict[str, object] = {"subject": subject, "unit": unit, "band": ast.band_text(band)}
            site, numbers = self.arm_site("band", facts, ("value",), band.points.value, band.reason, [value])
            if site is not None:
                site, numbers = self.panelled(site, numbers, rule.subject)
            tests = [t for t in _band_tests(band) if t not in known]
            if band.is_else or not tests:
                g.out("else:" if keyword == "elif" else "if True:")
                self.arm(band.points.value, site, numbers, pick, kept)
                break
            shown = " and ".join(f"{value} {PYTHON_COMPARE[op]} {g.const(end)}" for op, end in tests)
            g.out(f"{keyword} {shown}:")
            self.arm(band.points.value, site, numbers, pick, kept)
            keyword = "elif"
            if len(tests) == 1:  # it failed: the value is on the other side
                op, end = tests[0]
                known.add((NEGATION[op], end))
        else:
            g.out("else:")
            g.out(f"    {g.const(no_band)}({g.const(self.name)}, {value}, {g.const(unit)})")
        self.end_arms(kept)
        return pick

    def when(self, rule: ast.WhenChain) -> str:
        g = self.g
        pick, kept = self.pick(), g.fresh("q")
        keyword = "if"
        for arm in rule.arms:
            text = g.source_of(arm.condition) if arm.condition is not None else None
            kind = "when" if text is not None else "when_else"
            facts: dict[str, object] = {"condition": text}
            if text is None:  # `else`: the reason names the conditions that failed
                facts["failed"] = tuple(g.source_of(a.condition) for a in rule.arms if a.condition is not None)
            site, numbers = self.arm_site(kind, facts, (), arm.points.value, arm.reason, [])
            if site is not None:
                said = (arm.condition,) if arm.condition is not None else tuple(a.condition for a in rule.arms if a.condition)
                site, numbers = self.panelled(site, numbers, *said)
            if arm.condition is None:
                g.out("else:")
            else:
                g.out(f"{keyword} {g.expr(arm.condition, self.name)}:")
            self.arm(arm.points.value, site, numbers, pick, kept)
            keyword = "elif"
            if arm.condition is None:
                break
        else:
            g.out("else:")
            names = [
                r.name.text
                for a in rule.arms
                if a.condition
                for r in ast.walk_expressions(a.condition)
                if isinstance(r, ast.Ref) and r.name.text in g.names
            ]
            shown = "".join(f"({g.const(n)}, {g.names[n]}, {g.const(g.units[n])}), " for n in dict.fromkeys(names))
            g.out(f"    {g.const(no_arm)}({g.const(self.name)}, ({shown}))")
        self.end_arms(kept)
        return pick

    def match(self, rule: ast.Match) -> str:
        g = self.g
        pick, kept = self.pick(), g.fresh("q")
        label = self.operand(rule.subject, "v")
        subject = g.source_of(rule.subject)
        table = {a.label.text: a for a in rule.arms if a.label is not None}  # the last arm of a label wins
        fallback = next((a for a in rule.arms if a.label is None), None)
        keyword = "if"
        for text, arm in table.items():
            site, numbers = self.arm_site("match", {"subject": subject}, ("label",), arm.points.value, arm.reason,
                                          [label])  # fmt: skip
            g.out(f"{keyword} {label} == {g.const(text)}:")
            self.arm(arm.points.value, site, numbers, pick, kept)
            keyword = "elif"
        g.out("else:" if keyword == "elif" else "if True:")
        if fallback is None:
            g.out(f"    {g.const(no_label)}({g.const(self.name)}, {label})")
        else:
            site, numbers = self.arm_site("match", {"subject": subject}, ("label",), fallback.points.value,
                                          fallback.reason, [label])  # fmt: skip
            self.arm(fallback.points.value, site, numbers, pick, kept)
        self.end_arms(kept)
        return pick

    def awards(self, awards: list[ast.AwardIf]) -> str:
        g = self.g
        held = []
        for award in awards:
            flag = self.operand(award.condition, "w")
            held.append(f"({g.const(award.points.value)} if {flag} else {g.zero})")
            if self.ind.low is not None:  # an adjust row says what it adds, not what it missed
                facts = {"condition": g.source_of(award.condition), "points": award.points.value}
                site, named = self.site("award_held", facts, (), award.reason)
                self.keep(flag, self.record(site, named))
                continue
            facts = {"condition": g.source_of(award.condition), "lost": award.points.value}
            site, named = self.site("award_missed", facts, (), award.reason)
            self.keep(f"not {flag}", self.record(site, named))
        start = g.fresh("p")
        g.assign_sum(start, [g.zero, *held])
        return start

    # ---------------------------------------------------------------- deductions
    def deduction(self, rule: ast.Deduction) -> str:
        """Write a deduction; return the name of the points it takes."""
        lost = self.g.fresh("l")

        def write() -> tuple[str, bool, bool]:
            match rule:
                case ast.DeductIf():
                    self.deduct_if(rule, lost)
                case ast.DeductStep():
                    self.step(rule, lost)
                case _:
                    assert_never(rule)
            return lost, False, False

        return self.guarded(rule, write)[0]

    def guarded(self, rule: ast.Rule, write: Callable[[], tuple[str, bool, bool]]) -> tuple[str, bool, bool]:
        """A rule with a trailing `if COND`: its code runs only where COND holds, and gives
        (or takes) 0 elsewhere; a base rule switched off records why its points are 0."""
        guard = ast.guard_of(rule)
        if guard is None:
            return write()
        g = self.g
        flag = self.operand(guard, "w")
        g.out(f"if {flag}:")
        g.indent(1)
        since = len(self.emit)
        points, negative, over = write()
        g.indent(-1)
        g.out("else:")
        g.out(f"    {points} = {g.zero}")
        if len(self.emit) > since:  # its reasons are kept only where it ran
            self.emit[since:] = [f"if {flag}:", *("    " + line for line in self.emit[since:])]
        if ast.is_base(rule) and self.top > 0:
            held = g.source_of(guard.operand) if isinstance(guard, ast.Not) else None
            facts = {"condition": g.source_of(guard), "held": held, "max": self.top, "lost": self.top}
            self.keep(f"not {flag}", g.const((Site("guard_off", facts, ()), ())))
        return points, negative, over

    def deduct_if(self, rule: ast.DeductIf, lost: str) -> None:
        g = self.g
        flag = self.operand(rule.condition, "w")
        g.out(f"{lost} = {g.const(rule.points.value)} if {flag} else {g.zero}")
        facts = {"condition": g.source_of(rule.condition), "lost": rule.points.value}
        site, named = self.site("deduct_if", facts, (), rule.reason)
        self.keep(flag, self.record(site, named))

    def step(self, rule: ast.DeductStep, lost: str) -> None:
        g = self.g
        excess, steps = g.fresh("m"), g.fresh("u")
        value = self.operand(rule.value, "v")
        reference = self.operand(rule.reference, "r") if rule.reference is not None else g.zero
        step, rate = g.const(rule.step.value), g.const(rule.rate.value)
        rounding = COUNTING.get(rule.counting or "")
        if rule.direction == "from":
            g.out(f"{excess} = {g.const(abs)}({value} - {reference})")
            inner = ""
        else:
            a, b = (value, reference) if rule.direction == "above" else (reference, value)
            g.out(f"{excess} = {a} - {b}")
            # nothing over: the excess counts as 0, and what that loses is known at load
            g.out(f"if {excess} < {g.zero}:")
            g.out(f"    {lost} = {g.const(_none_over(rule))}")
            g.out("else:")
            inner = "    "
        g.out(f"{inner}{steps} = {excess} / {step}")
        if rounding is not None:
            g.out(f"{inner}{steps} = {g.const(counted)}({steps}, {g.const(rounding)})")
        g.out(f"{inner}{lost} = {rate} * {steps}")
        self.keep(f"{lost} > {g.zero}", self.step_record(rule, value, reference, excess, steps, lost))

    def step_record(self, rule: ast.DeductStep, value: str, reference: str, excess: str, steps: str, lost: str) -> str:
        """The reason record of a deduction per step, as an expression of the names holding its numbers."""
        g = self.g
        facts = {"subject": g.source_of(rule.value), "unit": g.unit(rule.value), "direction": rule.direction,
                 "step": rule.step.value, "rate": rule.rate.value, "counting": rule.counting}  # fmt: skip
        site, named = self.site("step", facts, ("value", "reference", "excess", "steps", "lost"), rule.reason)
        shown_reference = reference if rule.reference is not None else "None"
        both = (rule.value,) if rule.reference is None else (rule.value, rule.reference)
        site, numbers = self.panelled(site, [value, shown_reference, excess, steps, lost, *named], *both)
        return self.record(site, numbers)


# A checklist of at most this many awards is scored from a table of its 2^n scores.
_TABLED_AWARDS = 5


# A bound on the decimal exponent of a value (|v| <= 10^E) far enough below CONTEXT's Emax
# that a difference of two such values cannot overflow.
_SMALL_EXPONENT = 1000
_INPUT_EXPONENT = LIMIT + 1  # every number read is below 10^(LIMIT+1), as `values.coerce` holds it
_DEPTH = 40  # lets followed this deep at most; past that, no bound is claimed


def _magnitude(e: ast.Expr, lets: Mapping[str, ast.Expr], inputs: Mapping[str, ast.Input], depth: int = 0) -> int | None:
    """E with |e| <= 10^E for every record the scoring code runs on, when E <= _SMALL_EXPONENT
    can be shown from the expression alone (inputs, constants, + - * /, min, max, abs, round,
    if); None otherwise. Rounding to 28 digits never takes a value past a power of ten, so
    only a sum or difference (twice the larger) and a rounded value add 1."""
    if depth > _DEPTH:
        return None
    found: int | None
    match e:
        case ast.Number():
            found = e.value.adjusted() + 1 if e.value else 0  # below 10^(adjusted + 1)
        case ast.Ref():
            name = e.name.text
            if name in lets:
                found = _magnitude(lets[name], lets, inputs, depth + 1)
            else:
                decl = inputs.get(name)
                numeric = decl is not None and not decl.is_list and decl.type not in ("bool", "label", "date")
                found = _INPUT_EXPONENT if numeric else None
        case ast.Neg():
            found = _magnitude(e.operand, lets, inputs, depth + 1)
        case ast.Binary():
            left = _magnitude(e.left, lets, inputs, depth + 1)
            if e.op == "/":  # a nonzero divisor is at least 10^-LIMIT (an input) or its own value (a constant)
                if isinstance(e.right, ast.Number) and e.right.value:
                    least: int | None = e.right.value.adjusted()
                elif isinstance(e.right, ast.Ref) and e.right.name.text not in lets and e.right.name.text in inputs:
                    least = -LIMIT - 1  # (rounded to a precision, a value may end a little lower)
                else:
                    least = None
                found = None if left is None or least is None else left - least
            else:
                right = _magnitude(e.right, lets, inputs, depth + 1)
                if left is None or right is None:
                    found = None
                else:
                    found = left + right if e.op == "*" else max(left, right) + 1
        case ast.Call():  # min, max, abs of values (not of a panel: an aggregate, no bound claimed)
            panel = any(isinstance(a, ast.Ref) and a.name.text in inputs and inputs[a.name.text].is_list for a in e.args)
            each = [_magnitude(a, lets, inputs, depth + 1) for a in e.args]
            plain = e.func in ("min", "max", "abs") and not panel and each and all(m is not None for m in each)
            found = max(m for m in each if m is not None) if plain else None
        case ast.Round():
            inner = _magnitude(e.value, lets, inputs, depth + 1)
            found = None if inner is None else inner + 1
        case ast.IfElse():
            arms = (_magnitude(e.then, lets, inputs, depth + 1), _magnitude(e.otherwise, lets, inputs, depth + 1))
            found = None if arms[0] is None or arms[1] is None else max(arms[0], arms[1])
        case ast.Bool() | ast.Not() | ast.And() | ast.Or() | ast.Compare():  # no number
            found = None
        case _:
            assert_never(e)
    return found if found is not None and found <= _SMALL_EXPONENT else None


# The least step folded (`_per_unit`): excess / step then shifts the exponent by at most 100.
_LEAST_FOLDED_STEP = Decimal(1).scaleb(-100)


def _per_unit(rule: ast.DeductStep) -> Decimal | None:
    """rate / step, when `rate × (excess / step)` is `excess × (rate / step)` for every excess
    of a bounded step (`_magnitude`): a step that is a power of ten from 10^-100 to 1 divides
    exactly (the excess's digits, its exponent raised by at most 100, far from any limit),
    and rate / step is then exact too, so both forms round the one exact product once: the
    same value, and the same overflow. None for any other step."""
    step, rate = rule.step.value, rule.rate.value
    if not (_LEAST_FOLDED_STEP <= step <= 1) or step.normalize(CONTEXT).as_tuple().digits != (1,):
        return None
    exact = CONTEXT.copy()
    exact.traps[Inexact] = exact.traps[Rounded] = True
    try:
        return exact.divide(rate, step)
    except DecimalException:  # inexact, or past the limits: not folded
        return None


def _none_over(rule: ast.DeductStep) -> Decimal:
    """What a deduction per step takes when nothing is over: rate × (0 / step), as evaluated."""
    return _lost_at(rule, ZERO)


def _lost_at(rule: ast.DeductStep, excess: Decimal) -> Decimal:
    """What a deduction per step takes for this excess, worked out as the generated code does."""
    steps = CONTEXT.divide(excess, rule.step.value)
    rounding = COUNTING.get(rule.counting or "")
    if rounding is not None:
        steps = counted(steps, rounding)
    return CONTEXT.multiply(rule.rate.value, steps)


def _band_tests(band: ast.Band) -> list[tuple[str, Decimal]]:
    """The comparisons a value must pass to lie in a band (`= x` is one test)."""
    tests = []
    if band.low is not None and band.high is not None and band.low_closed and band.high_closed:
        if band.low.value == band.high.value:
            return [("=", band.low.value)]
    if band.low is not None:
        tests.append((">=" if band.low_closed else ">", band.low.value))
    if band.high is not None:
        tests.append(("<=" if band.high_closed else "<", band.high.value))
    return tests

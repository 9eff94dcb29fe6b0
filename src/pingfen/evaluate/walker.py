"""A plain tree-walking evaluator of the AST: the reference the compiled scorer is tested
against (tests/test_oracle.py), the scorer of one node from partial inputs
(`Rubric.score_node`), and the tracer of branches for coverage.

Slow and obvious on purpose: every record walks the syntax tree, looks names up in a
dict, and builds the result tree node by node. It shares nothing with `codegen` and
`rulegen` but the AST, the result and reason types, and the Refusal it raises; it reads
values already coerced by `Rubric.coerce`, the one reader of input values.

Given a sink, the walker also reports each branch it takes as an Event:
(indicator name, what happened), where what happened is one of
  ("band", rule, band) ("arm", rule, arm) ("judged", rule) ("formula", rule)
  ("held"|"missed", rule) ("triggered"|"not triggered", rule)
  ("within"|"over"|"under"|"at", rule) — a per-step deduction against its reference
  ("clamped",) — deductions took more than the rules gave (扣完为止)
  ("applies",) ("not applicable", "condition"|"marked") — a row with `applies` (by its name)
and, for the whole rubric, ("", ("grade", NAME)), ("", ("grade condition", NAME, HELD)),
("", ("veto", NAME, HELD)) and ("", ("if", FILE, OFFSET, HELD)) for each `if … then … else`
(by its place in the source). Rules and arms are counted from 0.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, assert_never

from pingfen import ast
from pingfen.absent import Absent
from pingfen.check.passes import Checked
from pingfen.diagnostics import excerpt
from pingfen.errors import DataError, Problem
from pingfen.evaluate.applies import Guard, first_marked, plan, require
from pingfen.evaluate.refusals import Refusal
from pingfen.lang import Lang
from pingfen.reasons import Reason, Site, placeholders, quantity
from pingfen.result import NodeResult, Result
from pingfen.values import (
    AGGREGATE_LEAST,
    AGGREGATES,
    COMPARE,
    CONTEXT,
    COUNTING,
    DURATIONS,
    ZERO,
    clamp,
    counted,
    graded,
    rounded,
    settle,
    settled,
    total_rounding,
)

Event = tuple[str, tuple[Any, ...]]
Sink = Callable[[Event], None]


class Walker:
    """Walks one rubric's tree over one record's values at a time. `sink`, when given,
    receives each branch taken (coverage); None on the scoring path."""

    def __init__(self, module: ast.Module, checked: Checked, text: str | Sequence[str], sink: Sink | None = None) -> None:
        self.module = module
        self.checked = checked
        self.text = text
        self.sink = sink
        self.lets = {let.name.text: let for let in module.lets}
        self.env: dict[str, Any] = {}
        self.plan = plan(module, checked)
        self.panels = {i.name.text: i.type for i in module.inputs if i.is_list}  # a reason shows a panel's values
        self.let_exprs = {let.name.text: let.expr for let in module.lets}

    def source_of(self, node: Any) -> str:
        return excerpt(self.text, node.span)  # in the file the node came from

    def hit(self, name: str, *what: Any) -> None:
        if self.sink is not None:
            self.sink((name, what))

    # ---------------------------------------------------------------- whole records
    def evaluate(self, values: Mapping[str, object], lang: Lang = "zh") -> Result:
        """Score one record from its inputs as `Rubric.coerce` gives them. Raises DataError
        as `Rubric.evaluate` does."""
        self.env = dict(values)
        module = self.module
        with decimal.localcontext(CONTEXT):
            try:
                for let in self.checked.let_order:
                    self.env[let.name.text] = self.let(let)
                parts = [self.scored(n, lang) for n in module.top]
                children = tuple(r for r, _ in parts)
                header = module.header
                assert header is not None
                raw_total = sum((c.score for c in children), ZERO)
                top_sum = sum((n.max.value for n in module.top), ZERO)
                rubric_max = header.total.value if header.total else top_sum
                rescaled: tuple[Decimal, Decimal] | None = None
                if any(dropped for _, dropped in parts):
                    applicable = self.applicable(module.top, parts)
                    if not applicable:
                        raise Refusal(Problem("PF535", None, {}))
                    rescaled = (raw_total, applicable)  # the total's reason: 折算
                    raw_total = raw_total * rubric_max / applicable
                outside = tuple((o.kind, self.indicator(o.row, lang)) for o in module.outside)
                if outside:  # 加分项 and 扣分项, after the tree
                    counted = tuple(o.counted(n.score) for o, (_, n) in zip(module.outside, outside, strict=True))
                    raw_total = settle(raw_total, counted, header.cap.value if header.cap else None)
                # 一票否决, then the grades' own conditions: each read for every record
                fired = tuple(bool(self.value(v.condition, v.name.text)) for v in module.vetoes)
                if any(f and v.action == "zero" for v, f in zip(module.vetoes, fired, strict=True)):
                    raw_total = ZERO
                holds = tuple(g.condition is None or bool(self.value(g.condition, "")) for g in header.grades)
                if self.sink is not None:
                    for v, f in zip(module.vetoes, fired, strict=True):
                        self.hit("", "veto", v.name.text, f)
                    for g, h in zip(header.grades, holds, strict=True):
                        if g.condition is not None:
                            self.hit("", "grade condition", g.name.text, h)
            except Refusal as refused:
                raise DataError([refused.problem]) from None
            except decimal.DecimalException as error:  # e.g. an overflow far beyond any real figure
                raise DataError([Problem("PF507", None, {"detail": type(error).__name__})]) from None
            places = header.round_places.value if header.round_places else None
            quantum, rounding = total_rounding(places, header.round_mode)
            total = rounded(raw_total, quantum, rounding)
        grade, lows = None, module.lows
        if module.vetoes or not all(holds):  # a veto or a grade's condition decides too
            bands = tuple((g.name.text, g.op, g.threshold.value if g.threshold else None) for g in header.grades)
            lines = tuple(v.line([g[0] for g in bands]) for v in module.vetoes)
            below = tuple(ln.grade if f and ln.action == "below" else None for ln, f in zip(lines, fired, strict=True))
            forced = tuple(ln.grade if f and ln.action == "grade" else None for ln, f in zip(lines, fired, strict=True))
            grade = graded(total, bands, holds, below, forced)
            if grade is not None:
                self.hit("", "grade", grade)
            vetoes = tuple(ln if f else None for ln, f in zip(lines, fired, strict=True))
            return Result(header.title, rubric_max, total, raw_total, grade, children, lang, outside, vetoes, lows, rescaled)
        for g in header.grades:
            if g.op is None or g.threshold is None or COMPARE[g.op](total, g.threshold.value):
                grade = g.name.text
                self.hit("", "grade", grade)
                break
        return Result(header.title, rubric_max, total, raw_total, grade, children, lang, outside, (), lows, rescaled)

    def expression(self, e: ast.Expr, values: Mapping[str, object]) -> Any:
        """One expression (a property's condition) over inputs as `Rubric.coerce` gives them;
        the `let` values it reads are worked out as it reads them. Raises DataError."""
        self.env = dict(values)
        try:
            with decimal.localcontext(CONTEXT):
                return self.value(e, "")
        except Refusal as refused:
            raise DataError([refused.problem]) from None
        except decimal.DecimalException as error:
            raise DataError([Problem("PF507", None, {"detail": type(error).__name__})]) from None

    # ---------------------------------------------------------------- expressions
    def lookup(self, name: str) -> Any:
        if name not in self.env:  # a let not yet worked out (only when one expression is asked for)
            self.env[name] = self.value(self.lets[name].expr, name)
        return self.env[name]

    def value(self, e: ast.Expr, where: str) -> Any:
        match e:
            case ast.Number() | ast.Bool():
                return e.value
            case ast.Ref():
                if e.name.text in self.checked.label_literals:
                    return e.name.text
                return self.lookup(e.name.text)
            case ast.Neg():
                return -self.value(e.operand, where)
            case ast.Not():
                return not self.value(e.operand, where)
            case ast.And():
                return self.value(e.left, where) and self.value(e.right, where)
            case ast.Or():
                return self.value(e.left, where) or self.value(e.right, where)
            case ast.Compare():
                return COMPARE[e.op](self.value(e.left, where), self.value(e.right, where))
            case ast.Call():
                args = [self.value(a, where) for a in e.args]
                if e.func in ast.DURATIONS:
                    return DURATIONS[e.func](args[0], args[1])
                if isinstance(args[0], tuple):  # a panel's values
                    return self.aggregate(e, args[0], where)
                if e.func == "abs":
                    return abs(args[0])
                return min(args) if e.func == "min" else max(args)
            case ast.Binary():
                return self.binary(e, where)
            case ast.IfElse():
                held = bool(self.value(e.condition, where))
                self.hit("", "if", e.span.file, e.span.start, held)
                return self.value(e.then if held else e.otherwise, where)
            case ast.Round():
                quantum, rounding = total_rounding(e.places.value, e.mode)
                return rounded(self.value(e.value, where), quantum, rounding)
            case _:
                assert_never(e)

    def aggregate(self, e: ast.Call, panel: tuple[Decimal, ...], where: str) -> Decimal:
        least = AGGREGATE_LEAST.get(e.func, 1)
        if len(panel) < least:
            problem = Problem("PF540", self.source_of(e.args[0]), {"where": where, "call": self.source_of(e), "least": least})
            raise Refusal(problem)
        return AGGREGATES[e.func](panel)

    def binary(self, e: ast.Binary, where: str) -> Any:
        if e.op == "/":
            divisor = self.value(e.right, where)  # the divisor first: a zero refuses before the rest is read
            if divisor == 0:
                name = e.right.name.text if isinstance(e.right, ast.Ref) else None
                raise Refusal(Problem("PF504", name, {"where": where, "divisor": self.source_of(e.right)}))
            return self.value(e.left, where) / divisor
        left, right = self.value(e.left, where), self.value(e.right, where)
        return left + right if e.op == "+" else left - right if e.op == "-" else left * right

    def let(self, let: ast.Let) -> Any:
        """A let's value; over inputs a record left out or marked 不适用, the first such (never read)."""
        optional = self.plan.lets.get(let.name.text, ())
        absent = next((self.env[n] for n in optional if isinstance(self.env[n], Absent)), None)
        return absent if absent is not None else self.value(let.expr, let.name.text)

    # ---------------------------------------------------------------- the tree
    def node(self, node: ast.Node, lang: Lang) -> NodeResult:
        return self.scored(node, lang)[0]

    def scored(self, node: ast.Node, lang: Lang) -> tuple[NodeResult, bool]:
        """A row's result, and whether it drops out of its parent's sum (不适用, re-scaled)."""
        guard = self.plan.guards.get(node.name.text)
        if guard is not None:
            off = self.off(node.name.text, guard)
            if off is not None:
                self.hit(node.name.text, "not applicable", "condition" if off[0] is None else "marked")
                return self.inapplicable(node, guard, off[0], lang), guard.applies.mode == "rescale"
            self.hit(node.name.text, "applies")
            require(*(self.env[n] for n in guard.body))
        match node:
            case ast.Group():
                parts = [self.scored(c, lang) for c in node.children]
                children = tuple(r for r, _ in parts)
                top = node.max.value
                raw = sum((c.score for c in children), ZERO)
                records: list[tuple[Site, tuple[object, ...]]] = []
                if any(dropped for _, dropped in parts):
                    applicable = self.applicable(node.children, parts)
                    if not applicable:  # every part dropped out: so does the group
                        result = NodeResult(node.name.text, top, ZERO, children, (), None, True, lang, False)
                        return result, True
                    site = Site("rescaled", {"max": top}, ("raw", "applicable"))
                    kept, raw = raw, raw * top / applicable
                    records.append((site, (kept, applicable)))
                score, clamped = clamp(raw, top)
                score = _rounded(node, score, records)  # `round N`: after the re-scaling and the clamp
                reasons = tuple(Reason(site, numbers, score) for site, numbers in records)
                return NodeResult(node.name.text, top, score, children, reasons, clamped, True, lang), False
            case ast.Indicator():
                return self.indicator(node, lang), False
            case _:
                assert_never(node)

    def off(self, name: str, guard: Guard) -> tuple[str | None] | None:
        """Whether row `name` does not apply: (the input the data marks 不适用, or None where
        its condition fails), or None when it applies. An input not in `env` is not marked
        (`Rubric.score_node` reads only some)."""
        names = tuple(dict.fromkeys(guard.condition + guard.body))
        marked = first_marked(names, tuple(self.env.get(n) for n in names))
        if marked is not None:
            return (marked,)
        if guard.applies.condition is not None:
            require(*(self.env[n] for n in guard.condition))
            if not self.value(guard.applies.condition, name):
                return (None,)
        return None

    @staticmethod
    def applicable(nodes: Sequence[ast.Node], parts: Sequence[tuple[NodeResult, bool]]) -> Decimal:
        """The maxima of the parts that did not drop out, added as the generated code adds them."""
        return sum((ZERO if dropped else n.max.value for n, (_, dropped) in zip(nodes, parts, strict=True)), ZERO)

    def inapplicable(self, node: ast.Node, guard: Guard, marked: str | None, lang: Lang) -> NodeResult:
        """A row that does not apply, and every part under it: 不适用, counted as the mode says."""
        mode = guard.applies.mode
        condition = guard.applies.condition
        text = self.source_of(condition) if condition is not None else None
        site = Site("not_applicable", {"condition": text, "mode": mode, "max": node.max.value}, ("marked",))

        def counted(n: ast.Node, reasons: tuple[Reason, ...]) -> NodeResult:
            score = n.max.value if mode == "full" else ZERO
            parts = tuple(counted(c, ()) for c in n.children) if isinstance(n, ast.Group) else ()
            return NodeResult(n.name.text, n.max.value, score, parts, reasons, None, isinstance(n, ast.Group), lang, False)

        score = node.max.value if mode == "full" else ZERO
        return counted(node, (Reason(site, (marked,), score),))

    def indicator(self, node: ast.Indicator, lang: Lang) -> NodeResult:
        top, name = node.max.value, node.name.text
        if node.pending is not None:  # criteria not yet set: no record is scored by them
            raise Refusal(Problem("PF542", None, {"name": name, "text": node.pending}))
        base: tuple[int, ast.BaseRule] | None = None
        awards: list[tuple[int, ast.AwardIf]] = []
        deductions: list[tuple[int, ast.Deduction]] = []
        for i, rule in enumerate(node.rules):
            match rule:
                case ast.Bands() | ast.WhenChain() | ast.Match() | ast.Judgment() | ast.Formula():
                    base = base or (i, rule)
                case ast.AwardIf():
                    awards.append((i, rule))
                case ast.DeductStep() | ast.DeductIf():
                    deductions.append((i, rule))
                case _:
                    assert_never(rule)
        reasons: list[tuple[Site, tuple[object, ...]]] = []
        if base is not None:
            start = self.base(*base, node, reasons) if self.switched_on(*base, node, reasons) else ZERO
        elif awards:
            start = sum((self.award(i, a, node, reasons) for i, a in awards), ZERO)
        else:
            start = top if node.low is None else ZERO  # an adjust row's rules add and take from 0
        lost = sum((self.deduction(i, r, node, reasons) for i, r in deductions if self.switched_on(i, r, node, reasons)), ZERO)
        if node.low is not None:  # 加减分项: the sum kept in [low, max], each side said
            score, clamped = clamp(start - lost, top, node.low.value)
            if clamped is not None:
                self.hit(name, "clamped")
                ends = {"low": node.low.value, "max": top}
                reasons.append((Site(f"adjust_{clamped}", ends, ("start", "lost")), (start, lost)))
            explained = tuple(Reason(site, numbers, score) for site, numbers in reasons)
            return NodeResult(name, top, score, (), explained, clamped, False, lang)
        score, clamped = clamp(start - lost, top)
        if clamped == "low":
            self.hit(name, "clamped")
            reasons.append((Site("clamped_low", {"max": top}, ("start", "lost")), (start, lost)))
        score = _rounded(node, score, reasons)  # `round N`: the score as the rubric keeps it
        explained = tuple(Reason(site, numbers, score) for site, numbers in reasons)
        return NodeResult(name, top, score, (), explained, clamped, False, lang)

    def switched_on(self, i: int, rule: ast.Rule, ind: ast.Indicator, reasons: list[Any]) -> bool:
        """A rule with a trailing `if COND` counts only where COND holds; a base rule switched
        off gives 0 points, and the reason names the condition that failed."""
        guard = ast.guard_of(rule)
        if guard is None or self.value(guard, ind.name.text):
            return True
        self.hit(ind.name.text, "off", i)
        if ast.is_base(rule) and ind.max.value > 0:
            held = self.source_of(guard.operand) if isinstance(guard, ast.Not) else None
            facts = {"condition": self.source_of(guard), "held": held, "max": ind.max.value, "lost": ind.max.value}
            reasons.append((Site("guard_off", facts, ()), ()))
        return False

    def reason(self, kind: str, facts: dict[str, object], fields: dict[str, object], template: str | None,
               top: Decimal) -> tuple[Site, tuple[object, ...]]:  # fmt: skip
        """A reason record: the rule's facts, this record's numbers, and the values its template names."""
        if template is None:
            return Site(kind, facts, tuple(fields)), tuple(fields.values())
        named = [n for n in placeholders(template) if n in self.checked.symbols]
        units = tuple((n, self.checked.symbols[n].unit) for n in named)
        site = Site(kind, facts | {"max": top}, tuple(fields), template, units)
        return site, (*fields.values(), *(self.env[n] for n in named))

    def base(self, i: int, rule: ast.BaseRule, ind: ast.Indicator, reasons: list[Any]) -> Decimal:
        top, name = ind.max.value, ind.name.text
        match rule:
            case ast.Judgment():
                self.hit(name, "judged", i)
                points: Decimal = self.env[(rule.input or ind.name).text]
                if points < top:
                    reasons.append((Site("judgment", {"max": top}, ("points",)), (points,)))
                return points
            case ast.Formula():
                self.hit(name, "formula", i)
                points = self.value(rule.expr, name)
                # said when not the max: short of it, or past it (deductions after it may bring it back)
                if points != top and isinstance(rule.expr, ast.IfElse):  # the reason names what chose it
                    conditions, arms = ast.if_chain(rule.expr)
                    j = next((k for k, c in enumerate(conditions) if self.value(c, name)), len(conditions))
                    held = self.source_of(conditions[j]) if j < len(conditions) else None
                    facts = {"held": held, "failed": tuple(self.source_of(c) for c in conditions[:j]),
                             "formula": self.source_of(arms[j]), "max": top}  # fmt: skip
                    reasons.append(self.panelled(Site("formula_if", facts, ("points",)), (points,), rule.expr))
                elif points != top:
                    facts = {"formula": self.source_of(rule.expr), "max": top}
                    reasons.append(self.panelled(Site("formula", facts, ("points",)), (points,), rule.expr))
                return points
            case ast.Bands():
                return self.bands(i, rule, ind, reasons)
            case ast.WhenChain():
                return self.when(i, rule, ind, reasons)
            case ast.Match():
                return self.match(i, rule, ind, reasons)
            case _:
                assert_never(rule)

    def bands(self, i: int, rule: ast.Bands, ind: ast.Indicator, reasons: list[Any]) -> Decimal:
        top, name = ind.max.value, ind.name.text
        value = self.value(rule.subject, name)
        unit = self.checked.units.get(rule.subject, "number")
        for j, band in enumerate(rule.bands):
            if in_band(band, value):
                self.hit(name, "band", i, j)
                if band.points.value < top:
                    facts: dict[str, object] = {
                        "subject": self.source_of(rule.subject), "unit": unit, "band": ast.band_text(band)
                    }  # fmt: skip
                    site, numbers = self.arm("band", facts, {"value": value}, band.points.value, band.reason, top)
                    reasons.append(self.panelled(site, numbers, rule.subject))
                return band.points.value
        raise Refusal(Problem("PF505", None, {"name": name, "value": quantity(value, unit)}))

    def when(self, i: int, rule: ast.WhenChain, ind: ast.Indicator, reasons: list[Any]) -> Decimal:
        top, name = ind.max.value, ind.name.text
        for j, arm in enumerate(rule.arms):
            if arm.condition is None or self.value(arm.condition, name):
                self.hit(name, "arm", i, j)
                if arm.points.value < top:
                    condition = self.source_of(arm.condition) if arm.condition is not None else None
                    kind = "when" if condition is not None else "when_else"
                    facts: dict[str, object] = {"condition": condition}
                    if condition is None:  # `else`: the reason names the conditions that failed
                        facts["failed"] = tuple(self.source_of(a.condition) for a in rule.arms if a.condition is not None)
                    said = (arm.condition,) if arm.condition is not None else tuple(a.condition for a in rule.arms if a.condition)
                    reasons.append(self.panelled(*self.arm(kind, facts, {}, arm.points.value, arm.reason, top), *said))
                return arm.points.value
        names = [
            r.name.text for a in rule.arms if a.condition for r in ast.walk_expressions(a.condition)
            if isinstance(r, ast.Ref) and r.name.text in self.checked.symbols
        ]  # fmt: skip
        shown = ", ".join(f"{n} = {quantity(self.env[n], self.checked.symbols[n].unit)}" for n in dict.fromkeys(names))
        raise Refusal(Problem("PF505", None, {"name": name, "value": shown}))

    def match(self, i: int, rule: ast.Match, ind: ast.Indicator, reasons: list[Any]) -> Decimal:
        top, name = ind.max.value, ind.name.text
        label = self.value(rule.subject, name)
        chosen: int | None = None
        for j, arm in enumerate(rule.arms):  # the last arm naming the label; else the first `else`
            if arm.label is not None and arm.label.text == label:
                chosen = j
        if chosen is None:
            chosen = next((j for j, a in enumerate(rule.arms) if a.label is None), None)
        if chosen is None:
            raise Refusal(Problem("PF505", None, {"name": name, "value": label}))
        self.hit(name, "arm", i, chosen)
        arm = rule.arms[chosen]
        if arm.points.value < top:
            facts: dict[str, object] = {"subject": self.source_of(rule.subject)}
            reasons.append(self.arm("match", facts, {"label": label}, arm.points.value, arm.reason, top))
        return arm.points.value

    def arm(self, kind: str, facts: dict[str, object], fields: dict[str, object], points: Decimal,
            template: str | None, top: Decimal) -> tuple[Site, tuple[object, ...]]:  # fmt: skip
        facts = facts | {"points": points, "max": top, "lost": top - points}
        return self.reason(kind, facts, fields, template, top)

    def award(self, i: int, rule: ast.AwardIf, ind: ast.Indicator, reasons: list[Any]) -> Decimal:
        if self.value(rule.condition, ind.name.text):
            self.hit(ind.name.text, "held", i)
            if ind.low is not None:  # an adjust row says what it adds, not what it missed
                facts = {"condition": self.source_of(rule.condition), "points": rule.points.value}
                reasons.append(self.reason("award_held", facts, {}, rule.reason, ind.max.value))
            return rule.points.value
        self.hit(ind.name.text, "missed", i)
        if ind.low is not None:
            return ZERO
        facts = {"condition": self.source_of(rule.condition), "lost": rule.points.value}
        reasons.append(self.reason("award_missed", facts, {}, rule.reason, ind.max.value))
        return ZERO

    def deduction(self, i: int, rule: ast.Deduction, ind: ast.Indicator, reasons: list[Any]) -> Decimal:
        match rule:
            case ast.DeductIf():
                return self.deduct_if(i, rule, ind, reasons)
            case ast.DeductStep():
                return self.deduct_step(i, rule, ind, reasons)
            case _:
                assert_never(rule)

    def deduct_if(self, i: int, rule: ast.DeductIf, ind: ast.Indicator, reasons: list[Any]) -> Decimal:
        name, top = ind.name.text, ind.max.value
        if not self.value(rule.condition, name):
            self.hit(name, "not triggered", i)
            return ZERO
        self.hit(name, "triggered", i)
        facts = {"condition": self.source_of(rule.condition), "lost": rule.points.value}
        reasons.append(self.reason("deduct_if", facts, {}, rule.reason, top))
        return rule.points.value

    def deduct_step(self, i: int, rule: ast.DeductStep, ind: ast.Indicator, reasons: list[Any]) -> Decimal:
        name, top = ind.name.text, ind.max.value
        value = self.value(rule.value, name)
        reference = self.value(rule.reference, name) if rule.reference is not None else ZERO
        self.hit(name, side(rule.direction, value, reference), i)
        if rule.direction == "above":
            excess = max(value - reference, ZERO)
        elif rule.direction == "below":
            excess = max(reference - value, ZERO)
        else:
            excess = abs(value - reference)
        steps = excess / rule.step.value
        rounding = COUNTING.get(rule.counting or "")  # proportional counting is not rounded
        if rounding is not None:
            steps = counted(steps, rounding)
        lost: Decimal = rule.rate.value * steps
        if lost > 0:
            unit = self.checked.units.get(rule.value, "number")
            facts = {"subject": self.source_of(rule.value), "unit": unit, "direction": rule.direction,
                     "step": rule.step.value, "rate": rule.rate.value, "counting": rule.counting}  # fmt: skip
            fields = {"value": value, "reference": reference if rule.reference is not None else None,
                      "excess": excess, "steps": steps, "lost": lost}  # fmt: skip
            site, numbers = self.reason("step", facts, fields, rule.reason, top)
            both = (rule.value,) if rule.reference is None else (rule.value, rule.reference)
            reasons.append(self.panelled(site, numbers, *both))
        return lost

    def panelled(self, site: Site, numbers: tuple[object, ...], *roots: ast.Expr) -> tuple[Site, tuple[object, ...]]:
        """A reason for a value read from panels (`trimmed_mean(专家评分)`): it shows each
        panel's values too (an author's template says what it says)."""
        read = ast.panels_read(roots, self.panels, self.let_exprs)
        if not read or site.template is not None:
            return site, numbers
        e = roots[0]
        alone = len(roots) == 1 and isinstance(e, ast.Call) and len(e.args) == 1 and isinstance(e.args[0], ast.Ref) and e.args[0].name.text in self.panels
        facts = {**site.facts, "panels": read, "alone": alone}
        values = tuple(self.lookup(name) for _, name, _ in read)
        return Site(site.kind, facts, (*site.fields, "panel_values")), (*numbers, values)


def evaluate(module: ast.Module, checked: Checked, text: str | Sequence[str], values: Mapping[str, object], lang: Lang = "zh",
             sink: Sink | None = None) -> Result:  # fmt: skip
    """Score one record, its inputs as `Rubric.coerce` gives them, by walking the tree."""
    return Walker(module, checked, text, sink).evaluate(values, lang)


def side(direction: str, value: Decimal, reference: Decimal) -> str:
    """Where a value lies against a deduction's reference: `within` (nothing to deduct),
    `over` / `under` (deducted), or `at` for a two-sided (`from`) deduction."""
    if direction == "above":
        return "over" if value > reference else "within"
    if direction == "below":
        return "under" if value < reference else "within"
    return "over" if value > reference else "under" if value < reference else "at"


def in_band(band: ast.Band, value: Decimal) -> bool:
    if band.is_else:
        return True
    if band.low is not None and not (value >= band.low.value if band.low_closed else value > band.low.value):
        return False
    return band.high is None or (value <= band.high.value if band.high_closed else value < band.high.value)


def _rounded(node: ast.Node, score: Decimal, reasons: list[tuple[Site, tuple[object, ...]]]) -> Decimal:
    """A row's score after its `round N` (an indicator's or a group's), the `rounded` reason
    added to `reasons` where the rounding changed it; without `round N`, the score."""
    if node.round_places is None:
        return score
    quantum, rounding = total_rounding(node.round_places.value, node.round_mode)
    after = rounded(score, quantum, rounding)
    if after != settled(score):  # a quotient's hair off the rounded score is no change of it
        facts = {"places": node.round_places.text, "max": node.max.value}
        reasons.append((Site("rounded", facts, ("raw", "rounded")), (score, after)))
    return after

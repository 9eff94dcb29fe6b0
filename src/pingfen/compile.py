"""Checked AST → Rubric: an immutable object that scores records.

Every name is resolved to a slot and every rule to a closure once, at load; scoring a
record then runs the closures inside a pinned decimal context, with no lookups by
name and no re-validation of the rubric.
"""

from __future__ import annotations

import decimal
import difflib
import operator
from collections.abc import Callable, Collection, Iterator, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from attrs import frozen

from pingfen import ast
from pingfen.check import Checked
from pingfen.diagnostics import Diagnostic, Lang, Source
from pingfen.errors import DataError, Problem
from pingfen.explain import Reason, quantity
from pingfen.reads import PLACEHOLDER, node_reads
from pingfen.result import NodeResult, Result
from pingfen.values import coerce, show

Env = list[Any]
Fn = Callable[[Env], Any]
Scorer = Callable[[Env, Lang], NodeResult]

# Quotients carry 28 significant digits; anything invalid is an error, never NaN.
CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

ROUNDING = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_down": decimal.ROUND_HALF_DOWN,
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "ceiling": decimal.ROUND_CEILING,
    "floor": decimal.ROUND_FLOOR,
}

_COMPARE = {
    "=": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}  # fmt: skip
_ZERO = Decimal(0)


@frozen
class InputSpec:
    """A declared input, as a data-entry template or an embedder sees it."""

    name: str
    type: str
    description: str | None
    bounds: tuple[tuple[str, Decimal], ...]
    labels: tuple[str, ...]


@frozen
class NodeSpec:
    """A group or indicator as the rubric declares it, before any record is scored.

    `inputs` names every input the node's rules read, directly or through `let`
    values (and reason templates), in declaration order; a group reads its parts' inputs.
    """

    name: str
    max: Decimal
    is_group: bool
    children: tuple[NodeSpec, ...]
    inputs: tuple[str, ...]

    def walk(self) -> Iterator[NodeSpec]:
        yield self
        for child in self.children:
            yield from child.walk()


class _Refusal(Exception):
    """Raised inside a closure; carries the Problem up to `evaluate`."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class Rubric:
    """A loaded, checked rubric. Build it with `pingfen.load` or `pingfen.loads`."""

    def __init__(self, module: ast.Module, checked: Checked, source: Source) -> None:
        header = module.header
        assert header is not None, "the checker guarantees a header"
        self.module = module
        self.source = source
        self.name = header.title
        self.year = int(header.year.value) if header.year else None
        top_sum = sum((n.max.value for n in module.top), _ZERO)
        self.max = header.total.value if header.total else top_sum
        self.warnings: tuple[Diagnostic, ...] = tuple(d.with_source(source) for d in checked.diagnostics)
        places = header.round_places.value if header.round_places else Decimal(2)
        self._quantum = Decimal(1).scaleb(-int(places))
        self._rounding = ROUNDING[header.round_mode]
        self.grades: tuple[tuple[str, str | None, Decimal | None], ...] = tuple(
            (g.name.text, g.op, g.threshold.value if g.threshold else None) for g in header.grades
        )
        """The grade bands, first match wins: (name, operator, threshold); `otherwise` has (name, None, None)."""
        self._grades = tuple((name, _COMPARE[op] if op else None, t) for name, op, t in self.grades)
        self._units = checked.units
        self._symbol_units = {name: symbol.unit for name, symbol in checked.symbols.items()}
        slots = {name: i for i, name in enumerate(checked.symbols)}
        judged_max = ast.judged_maxima(module)
        self._slots = slots
        self.inputs = tuple(
            InputSpec(
                i.name.text, i.type, i.description,
                _bounds(i, judged_max.get(i.name.text)), tuple(lb.text for lb in i.labels),
            )
            for i in module.inputs
            if checked.symbols.get(i.name.text) and checked.symbols[i.name.text].decl is i
        )  # fmt: skip
        self._input_slots = tuple(slots[i.name] for i in self.inputs)
        self._let_names = tuple(let.name.text for let in checked.let_order)
        self._lets = tuple((slots[let.name.text], self._expr(let.expr, let.name.text)) for let in checked.let_order)
        self._scorers: dict[str, Scorer] = {}
        self._top: tuple[Scorer, ...] = tuple(self._node(n) for n in module.top)
        reads = node_reads(module, checked)
        self._reads = {name: inputs for name, (inputs, _) in reads.items()}
        self._reads_lets = {name: lets for name, (_, lets) in reads.items()}
        self.tree: tuple[NodeSpec, ...] = tuple(self._spec(n) for n in module.top)
        """The rubric's groups and indicators, in order, with their maxima and the inputs they read."""
        self._specs = {spec.name: spec for top in self.tree for spec in top.walk()}

    def __repr__(self) -> str:
        return f"<Rubric {self.name!r} max={self.max} inputs={len(self.inputs)}>"

    def _spec(self, node: ast.Node) -> NodeSpec:
        children = tuple(self._spec(c) for c in node.children) if isinstance(node, ast.Group) else ()
        return NodeSpec(
            node.name.text, node.max.value, isinstance(node, ast.Group), children, self._reads[node.name.text]
        )

    def node(self, name: str) -> NodeSpec:
        """The group or indicator called `name`, as the rubric writes it."""
        try:
            return self._specs[name]
        except KeyError:
            raise KeyError(f"no group or indicator named {name!r}") from None

    def grade_for(self, total: Decimal) -> str | None:
        """The grade the rubric gives a (rounded) total, or None when no band takes it."""
        return self._grade(total)

    def round_total(self, raw: Decimal) -> Decimal:
        """A raw total rounded as the rubric's header says (default 2 places, half up)."""
        return raw.quantize(self._quantum, rounding=self._rounding)

    # ---------------------------------------------------------------- evaluation
    def evaluate(self, data: Mapping[str, object], *, lang: Lang = "zh", record: str | None = None) -> Result:
        """Score one record (input name → value). Raises DataError naming the input at fault."""
        env: Env = [None] * len(self._slots)
        problems = self._coerce_into(env, data, None)
        if problems:
            raise DataError(problems, record)
        try:
            with decimal.localcontext(CONTEXT):
                for slot, fn in self._lets:
                    env[slot] = fn(env)
                children = tuple(score(env, lang) for score in self._top)
                raw_total = sum((c.score for c in children), _ZERO)
                total = raw_total.quantize(self._quantum, rounding=self._rounding)
        except _Refusal as refusal:
            raise DataError([refusal.problem], record) from None
        except decimal.DecimalException as error:  # e.g. an overflow far beyond any real figure
            raise DataError([Problem("PF507", None, {"detail": type(error).__name__})], record) from None
        return Result(self.name, self.max, total, raw_total, self._grade(total), children, lang)

    def score_node(
        self, name: str, data: Mapping[str, object], *, lang: Lang = "zh", record: str | None = None
    ) -> NodeResult:
        """Score one group or indicator from the inputs it reads (`node(name).inputs`) alone.

        Other inputs may be absent. The closures are those `evaluate` runs, so the score is
        the one a full evaluation gives; raises DataError when an input it reads is at fault.
        """
        spec = self.node(name)
        env: Env = [None] * len(self._slots)
        problems = self._coerce_into(env, data, frozenset(spec.inputs))
        if problems:
            raise DataError(problems, record)
        needed = self._needed_lets(spec)
        try:
            with decimal.localcontext(CONTEXT):
                for (slot, fn), let in zip(self._lets, self._let_names, strict=True):
                    if let in needed:
                        env[slot] = fn(env)
                return self._scorers[name](env, lang)
        except _Refusal as refusal:
            raise DataError([refusal.problem], record) from None
        except decimal.DecimalException as error:  # e.g. an overflow far beyond any real figure
            raise DataError([Problem("PF507", None, {"detail": type(error).__name__})], record) from None

    def coerce(
        self, data: Mapping[str, object], names: Collection[str] | None = None, *, record: str | None = None
    ) -> dict[str, Decimal | bool | str]:
        """The named inputs (default: all) as evaluation sees them: exact, typed and within their
        domains. Raises DataError naming every input at fault."""
        env: Env = [None] * len(self._slots)
        only = None if names is None else frozenset(names)
        problems = self._coerce_into(env, data, only)
        if problems:
            raise DataError(problems, record)
        return {s.name: env[slot] for s, slot in zip(self.inputs, self._input_slots, strict=True)
                if only is None or s.name in only}  # fmt: skip

    def _needed_lets(self, spec: NodeSpec) -> frozenset[str]:
        return self._reads_lets[spec.name]

    def _coerce_into(self, env: Env, data: Mapping[str, object], only: frozenset[str] | None) -> list[Problem]:
        """Coerce and domain-check the inputs (all, or those in `only`) into env; the problems found."""
        problems = []
        for spec, slot in zip(self.inputs, self._input_slots, strict=True):
            if only is not None and spec.name not in only:
                continue
            value = coerce(spec.name, spec.type, data.get(spec.name), spec.labels)
            if isinstance(value, Problem):
                problems.append(_with_suggestion(value, data))
                continue
            for op, bound in spec.bounds:
                if not _COMPARE[op](value, bound):
                    domain = f"{op} {quantity(bound, spec.type)}"
                    problems.append(
                        Problem(
                            "PF503",
                            spec.name,
                            {"input": spec.name, "value": show(data.get(spec.name)), "domain": domain},
                        )
                    )
                    break
            env[slot] = value
        return problems

    def _grade(self, total: Decimal) -> str | None:
        for name, test, threshold in self._grades:
            if test is None or test(total, threshold):
                return name
        return None

    # ---------------------------------------------------------------- expressions
    def _text(self, node: Any) -> str:
        return self.source.text[node.span.start : node.span.end]

    def _expr(self, e: ast.Expr, where: str) -> Fn:
        """A closure computing e; `where` names the let or indicator for error messages."""
        if isinstance(e, ast.Number):
            value = e.value
            return lambda env: value
        if isinstance(e, ast.Bool):
            flag = e.value
            return lambda env: flag
        if isinstance(e, ast.Ref):
            slot = self._slots[e.name.text]
            return lambda env: env[slot]
        if isinstance(e, ast.Neg):
            inner = self._expr(e.operand, where)
            return lambda env: -inner(env)
        if isinstance(e, ast.Not):
            inner = self._expr(e.operand, where)
            return lambda env: not inner(env)
        if isinstance(e, ast.And):
            a, b = self._expr(e.left, where), self._expr(e.right, where)
            return lambda env: a(env) and b(env)
        if isinstance(e, ast.Or):
            a, b = self._expr(e.left, where), self._expr(e.right, where)
            return lambda env: a(env) or b(env)
        if isinstance(e, ast.Compare):
            test = _COMPARE[e.op]
            a, b = self._expr(e.left, where), self._expr(e.right, where)
            return lambda env: test(a(env), b(env))
        if isinstance(e, ast.Call):
            args = tuple(self._expr(x, where) for x in e.args)
            if e.func == "abs":
                only = args[0]
                return lambda env: abs(only(env))
            pick = min if e.func == "min" else max
            return lambda env: pick(f(env) for f in args)
        if isinstance(e, ast.Binary):
            return self._binary(e, where)
        raise AssertionError(f"unknown expression {e!r}")  # pragma: no cover

    def _binary(self, e: ast.Binary, where: str) -> Fn:
        a, b = self._expr(e.left, where), self._expr(e.right, where)
        if e.op == "+":
            return lambda env: a(env) + b(env)
        if e.op == "-":
            return lambda env: a(env) - b(env)
        if e.op == "*":
            return lambda env: a(env) * b(env)
        divisor_text = self._text(e.right)
        divisor_input = e.right.name.text if isinstance(e.right, ast.Ref) else None

        def divide(env: Env) -> Decimal:
            d = b(env)
            if d == 0:
                args = {"where": where, "divisor": divisor_text}
                raise _Refusal(Problem("PF504", divisor_input, args))
            return a(env) / d

        return divide

    def _unit(self, e: ast.Expr) -> str:
        return self._units.get(e, "number")

    # ---------------------------------------------------------------- the tree
    def _node(self, node: ast.Node) -> Scorer:
        scorer = self._group(node) if isinstance(node, ast.Group) else self._indicator(node)
        self._scorers[node.name.text] = scorer
        return scorer

    def _group(self, group: ast.Group) -> Scorer:
        name, top = group.name.text, group.max.value
        parts = tuple(self._node(c) for c in group.children)

        def score(env: Env, lang: Lang) -> NodeResult:
            children = tuple(p(env, lang) for p in parts)
            raw = sum((c.score for c in children), _ZERO)
            value, clamped = _clamp(raw, top)
            return NodeResult(name, top, value, children, (), clamped, True, lang)

        return score

    def _indicator(self, ind: ast.Indicator) -> Scorer:
        name, top = ind.name.text, ind.max.value
        base_rules = [r for r in ind.rules if isinstance(r, ast.BASE_RULES)]
        awards = [self._award(r, name) for r in ind.rules if isinstance(r, ast.AwardIf)]
        deductions = [self._deduction(r, name) for r in ind.rules if isinstance(r, (ast.DeductStep, ast.DeductIf))]
        base = self._base(base_rules[0], ind) if base_rules else None

        def score(env: Env, lang: Lang) -> NodeResult:
            reasons: list[Reason] = []
            if base is not None:
                start = base(env, reasons)
            elif awards:
                start = sum((award(env, reasons) for award in awards), _ZERO)
            else:
                start = top
            lost = sum((deduct(env, reasons) for deduct in deductions), _ZERO)
            value, clamped = _clamp(start - lost, top)
            for reason in reasons:  # an author's template may name the final score
                if reason.template is not None:
                    reason.params.update(score=value, max=top)  # type: ignore[attr-defined]
            if clamped == "low":
                reasons.append(Reason("clamped_low", {"start": start, "lost": lost, "max": top}))
            return NodeResult(name, top, value, (), tuple(reasons), clamped, False, lang)

        return score

    def _reason(self, kind: str, params: dict[str, object], template: str | None, env: Env) -> Reason:
        if template is not None:
            names = [n for n in PLACEHOLDER.findall(template) if n in self._slots]
            units = {n: self._symbol_units[n] for n in names}
            params["values"] = {n: (env[self._slots[n]], units[n]) for n in names}
        return Reason(kind, params, template)

    def _award(self, rule: ast.AwardIf, where: str) -> Callable[[Env, list[Reason]], Decimal]:
        test, points, text = self._expr(rule.condition, where), rule.points.value, self._text(rule.condition)

        def award(env: Env, reasons: list[Reason]) -> Decimal:
            if test(env):
                return points
            reasons.append(self._reason("award_missed", {"condition": text, "lost": points}, rule.reason, env))
            return _ZERO

        return award

    def _deduction(self, rule: ast.DeductStep | ast.DeductIf, where: str) -> Callable[[Env, list[Reason]], Decimal]:
        if isinstance(rule, ast.DeductIf):
            test, points, text = self._expr(rule.condition, where), rule.points.value, self._text(rule.condition)

            def deduct_if(env: Env, reasons: list[Reason]) -> Decimal:
                if not test(env):
                    return _ZERO
                reasons.append(self._reason("deduct_if", {"condition": text, "lost": points}, rule.reason, env))
                return points

            return deduct_if
        return self._step(rule, where)

    def _step(self, rule: ast.DeductStep, where: str) -> Callable[[Env, list[Reason]], Decimal]:
        value_fn = self._expr(rule.value, where)
        ref_fn = self._expr(rule.reference, where) if rule.reference is not None else (lambda env: _ZERO)
        rate, step, direction, counting = rule.rate.value, rule.step.value, rule.direction, rule.counting
        unit = self._unit(rule.value)
        subject = self._text(rule.value)

        def deduct(env: Env, reasons: list[Reason]) -> Decimal:
            value, reference = value_fn(env), ref_fn(env)
            if direction == "above":
                excess = max(value - reference, _ZERO)
            elif direction == "below":
                excess = max(reference - value, _ZERO)
            else:
                excess = abs(value - reference)
            steps = excess / step
            if counting == "whole":
                steps = steps.to_integral_value(rounding=ROUND_FLOOR)
            elif counting == "started":
                steps = steps.to_integral_value(rounding=ROUND_CEILING)
            lost = rate * steps
            if lost > 0:
                params: dict[str, object] = {
                    "subject": subject, "unit": unit, "shown_value": quantity(value, unit),
                    "reference": reference if rule.reference is not None else None,
                    "shown_reference": quantity(reference, unit), "direction": direction,
                    "excess": excess, "step": step, "rate": rate, "steps": steps,
                    "counting": counting, "lost": lost,
                }  # fmt: skip
                reasons.append(self._reason("step", params, rule.reason, env))
            return lost

        return deduct

    def _base(self, rule: ast.Rule, ind: ast.Indicator) -> Callable[[Env, list[Reason]], Decimal]:
        name, top = ind.name.text, ind.max.value
        if isinstance(rule, ast.Bands):
            return self._bands(rule, name, top)
        if isinstance(rule, ast.WhenChain):
            return self._when(rule, name, top)
        if isinstance(rule, ast.Match):
            return self._match(rule, name, top)
        if isinstance(rule, ast.Judgment):
            return self._judgment(rule, ind)
        assert isinstance(rule, ast.Formula)
        formula, text = self._expr(rule.expr, name), self._text(rule.expr)

        def compute(env: Env, reasons: list[Reason]) -> Decimal:
            points = formula(env)
            if points < top:
                reasons.append(Reason("formula", {"formula": text, "points": points, "max": top}))
            return points

        return compute

    def _bands(self, rule: ast.Bands, name: str, top: Decimal) -> Callable[[Env, list[Reason]], Decimal]:
        subject_fn, subject, unit = self._expr(rule.subject, name), self._text(rule.subject), self._unit(rule.subject)
        bands = tuple((_band_test(b), b.points.value, ast.band_text(b), b.reason) for b in rule.bands)

        def pick(env: Env, reasons: list[Reason]) -> Decimal:
            value = subject_fn(env)
            for test, points, text, template in bands:
                if test(value):
                    if points < top:
                        params = {"subject": subject, "shown_value": quantity(value, unit), "band": text,
                                  "points": points, "max": top, "lost": top - points}  # fmt: skip
                        reasons.append(self._reason("band", params, template, env))
                    return points
            raise _Refusal(Problem("PF505", None, {"name": name, "value": quantity(value, unit)}))

        return pick

    def _when(self, rule: ast.WhenChain, name: str, top: Decimal) -> Callable[[Env, list[Reason]], Decimal]:
        arms = tuple(
            (self._expr(a.condition, name) if a.condition else None, a.points.value,
             self._text(a.condition) if a.condition else None, a.reason)
            for a in rule.arms
        )  # fmt: skip

        def pick(env: Env, reasons: list[Reason]) -> Decimal:
            for test, points, text, template in arms:
                if test is None or test(env):
                    if points < top:
                        kind = "when" if text is not None else "when_else"
                        params = {"condition": text, "points": points, "max": top, "lost": top - points}
                        reasons.append(self._reason(kind, params, template, env))
                    return points
            names = [
                r.name.text
                for a in rule.arms
                if a.condition
                for r in ast.sub_expressions(a.condition)
                if isinstance(r, ast.Ref)
            ]
            shown = ", ".join(
                f"{n} = {quantity(env[self._slots[n]], self._symbol_units[n])}" for n in dict.fromkeys(names)
            )
            raise _Refusal(Problem("PF505", None, {"name": name, "value": shown}))

        return pick

    def _match(self, rule: ast.Match, name: str, top: Decimal) -> Callable[[Env, list[Reason]], Decimal]:
        subject_fn, subject = self._expr(rule.subject, name), self._text(rule.subject)
        table = {a.label.text: (a.points.value, a.reason) for a in rule.arms if a.label is not None}
        fallback = next(((a.points.value, a.reason) for a in rule.arms if a.label is None), None)

        def pick(env: Env, reasons: list[Reason]) -> Decimal:
            label = subject_fn(env)
            found = table.get(label, fallback)
            if found is None:
                raise _Refusal(Problem("PF505", None, {"name": name, "value": label}))
            points, template = found
            if points < top:
                params = {"subject": subject, "label": label, "points": points, "max": top, "lost": top - points}
                reasons.append(self._reason("match", params, template, env))
            return points

        return pick

    def _judgment(self, rule: ast.Judgment, ind: ast.Indicator) -> Callable[[Env, list[Reason]], Decimal]:
        target = (rule.input or ind.name).text
        slot, top = self._slots[target], ind.max.value

        def judged(env: Env, reasons: list[Reason]) -> Decimal:
            points = env[slot]  # within [0, max]: checked with the other inputs
            if points < top:
                reasons.append(Reason("judgment", {"points": points, "max": top, "lost": top - points}))
            return points

        return judged


def _bounds(decl: ast.Input, judged_max: Decimal | None) -> tuple[tuple[str, Decimal], ...]:
    """Declared bounds; a score also lies in [0, the max of the indicator judging it]."""
    bounds = tuple((b.op, b.value.value) for b in decl.bounds)
    if decl.type == "score":
        bounds = ((">=", _ZERO), *bounds)
        if judged_max is not None:
            bounds = (*bounds, ("<=", judged_max))
    return bounds


def _clamp(raw: Decimal, top: Decimal) -> tuple[Decimal, str | None]:
    if raw < 0:
        return _ZERO, "low"
    if raw > top:
        return top, "high"
    return raw, None


def _band_test(band: ast.Band) -> Callable[[Decimal], bool]:
    if band.is_else:
        return lambda v: True
    low, high = band.low.value if band.low else None, band.high.value if band.high else None
    low_ok = (operator.ge if band.low_closed else operator.gt) if low is not None else None
    high_ok = (operator.le if band.high_closed else operator.lt) if high is not None else None
    return lambda v: (low_ok is None or low_ok(v, low)) and (high_ok is None or high_ok(v, high))


def _with_suggestion(problem: Problem, data: Mapping[str, object]) -> Problem:
    """For a missing input, suggest a key of the record that looks like a misspelling."""
    if problem.code != "PF501" or problem.input is None:
        return problem
    close = difflib.get_close_matches(problem.input, [str(k) for k in data], n=1, cutoff=0.6)
    if not close or close[0] == problem.input:
        return problem
    return Problem(problem.code, problem.input, dict(problem.args) | {"suggestion": close[0]}, "did_you_mean_key")

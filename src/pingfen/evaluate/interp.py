"""A plain tree-walking interpreter of the AST that says which branch every rule took.

The compiled Rubric (compile.py) is what scores records; it turns the rubric into
Python source once (codegen) and records nothing it does not need. Coverage (`pingfen test --coverage`)
and the boundary strategies (`pingfen.testing`) need to know more: which band held, which
`when` arm, whether a deduction found the value over or under its reference, whether the
indicator was clamped. This module walks the AST directly and reports those branches as
events. It is a second implementation of the same semantics, kept small, and it is held
to the first: `trace` scores the record with the compiled rubric as well and refuses to
report a trace whose scores differ (tests/test_interp.py compares the two over generated
rubrics and records).

Values are exact Decimals in the compiled rubric's decimal context; a record is coerced
and bounded by the compiled rubric itself, so both see the same inputs.
"""

from __future__ import annotations

import decimal
import operator
from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from attrs import define, field

from pingfen import ast
from pingfen.errors import DataError, InternalError, Problem
from pingfen.evaluate.refusals import Refusal
from pingfen.evaluate.rubric import CONTEXT, ROUNDING, Rubric
from pingfen.result import Result
from pingfen.values import coerce

_ZERO = Decimal(0)
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}  # fmt: skip

# An event: (indicator name, what happened). What happened is one of
#   ("band", rule, band) ("arm", rule, arm) ("judged", rule) ("formula", rule)
#   ("held"|"missed", rule) ("triggered"|"not triggered", rule)
#   ("within"|"over"|"under"|"at", rule) — a per-step deduction against its reference
#   ("clamped",) — deductions took more than the rules gave (扣完为止)
# and, for the whole rubric, ("", ("grade", NAME)).
Event = tuple[str, tuple[Any, ...]]


# Still an AssertionError, as before it was a PingfenError: it is a failed self-check, code
# that caught it as one keeps working, and pytest shows it as a failed check. (Hypothesis
# would count any exception as a failure; it does not need this base.)
class Disagreement(InternalError, AssertionError):
    """The interpreter and the compiled rubric scored a record differently: a bug in pingfen."""


@define
class Trace:
    """What one evaluation did: the events, and the scores the interpreter computed."""

    events: list[Event] = field(factory=list)
    scores: dict[str, Decimal] = field(factory=dict)
    raw_total: Decimal = _ZERO
    total: Decimal = _ZERO
    grade: str | None = None


def inputs(rubric: Rubric, record: Mapping[str, object]) -> dict[str, object]:
    """The record's values coerced and bounded as `Rubric.evaluate` does; raises DataError."""
    env: dict[str, object] = {}
    problems = []
    for spec in rubric.inputs:
        value = coerce(spec.name, spec.type, record.get(spec.name), spec.labels)
        if isinstance(value, Problem):
            problems.append(value)
            continue
        for op, bound in spec.bounds:
            if not _COMPARE[op](value, bound):
                problems.append(Problem("PF503", spec.name, {"input": spec.name, "value": str(value), "domain": op}))
                break
        env[spec.name] = value
    if problems:
        raise DataError(problems)
    return env


class Interpreter:
    """Evaluates expressions and scores over one record's values."""

    def __init__(self, rubric: Rubric, values: Mapping[str, object]) -> None:
        self.rubric = rubric
        self.module = rubric.module
        self.values = dict(values)
        self.lets = {let.name.text: let for let in self.module.lets}
        self.events: list[Event] = []

    # ---------------------------------------------------------------- values
    def value(self, name: str) -> Any:
        if name not in self.values:  # a let, computed once on first use
            self.values[name] = self.expr(self.lets[name].expr, name)
        return self.values[name]

    def expr(self, e: ast.Expr, where: str = "") -> Any:
        with decimal.localcontext(CONTEXT):
            return self._expr(e, where)

    def _expr(self, e: ast.Expr, where: str) -> Any:
        if isinstance(e, ast.Number):
            return e.value
        if isinstance(e, ast.Bool):
            return e.value
        if isinstance(e, ast.Ref):
            return self.value(e.name.text)
        if isinstance(e, ast.Neg):
            return -self._expr(e.operand, where)
        if isinstance(e, ast.Not):
            return not self._expr(e.operand, where)
        if isinstance(e, ast.And):
            return self._expr(e.left, where) and self._expr(e.right, where)
        if isinstance(e, ast.Or):
            return self._expr(e.left, where) or self._expr(e.right, where)
        if isinstance(e, ast.Compare):
            return _COMPARE[e.op](self._expr(e.left, where), self._expr(e.right, where))
        if isinstance(e, ast.Call):
            args = [self._expr(a, where) for a in e.args]
            if e.func == "abs":
                return abs(args[0])
            return min(args) if e.func == "min" else max(args)
        if isinstance(e, ast.Binary):
            a, b = self._expr(e.left, where), self._expr(e.right, where)
            if e.op == "+":
                return a + b
            if e.op == "-":
                return a - b
            if e.op == "*":
                return a * b
            if b == 0:
                divisor = e.right.name.text if isinstance(e.right, ast.Ref) else None
                raise Refusal(Problem("PF504", divisor, {"where": where, "divisor": divisor or "…"}))
            return a / b
        raise AssertionError(f"unknown expression {e!r}")  # pragma: no cover

    # ---------------------------------------------------------------- scores
    def run(self) -> Trace:
        """Score the record, recording events; raises DataError as evaluation would."""
        trace = Trace(self.events)
        try:
            with decimal.localcontext(CONTEXT):
                for let in self.module.lets:
                    self.value(let.name.text)
                raw = sum((self.node(n, trace.scores) for n in self.module.top), _ZERO)
        except Refusal as refused:
            raise DataError([refused.problem]) from None
        header = self.module.header
        assert header is not None
        places = header.round_places.value if header.round_places else Decimal(2)
        trace.raw_total = raw
        trace.total = raw.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUNDING[header.round_mode])
        for grade in header.grades:
            if grade.op is None or grade.threshold is None or _COMPARE[grade.op](trace.total, grade.threshold.value):
                trace.grade = grade.name.text
                self.events.append(("", ("grade", grade.name.text)))
                break
        return trace

    def node(self, node: ast.Node, scores: dict[str, Decimal]) -> Decimal:
        if isinstance(node, ast.Group):
            raw = sum((self.node(c, scores) for c in node.children), _ZERO)
            score = min(max(raw, _ZERO), node.max.value)
        else:
            score = self.indicator(node)
        scores[node.name.text] = score
        return score

    def indicator(self, ind: ast.Indicator) -> Decimal:
        name, top = ind.name.text, ind.max.value

        def hit(*what: Any) -> None:
            self.events.append((name, what))

        base = next(((i, r) for i, r in enumerate(ind.rules) if isinstance(r, ast.BASE_RULES)), None)
        awards = [(i, r) for i, r in enumerate(ind.rules) if isinstance(r, ast.AwardIf)]
        if base is not None:
            start = self.base(base[0], base[1], ind, hit)
        elif awards:
            start = _ZERO
            for i, award in awards:
                held = bool(self._expr(award.condition, name))
                hit("held" if held else "missed", i)
                start += award.points.value if held else _ZERO
        else:
            start = top
        lost = _ZERO
        for i, rule in enumerate(ind.rules):
            if isinstance(rule, ast.DeductIf):
                triggered = bool(self._expr(rule.condition, name))
                hit("triggered" if triggered else "not triggered", i)
                lost += rule.points.value if triggered else _ZERO
            elif isinstance(rule, ast.DeductStep):
                lost += self.step(i, rule, name, hit)
        raw = start - lost
        if raw < 0:
            hit("clamped")
            return _ZERO
        return min(raw, top)

    def base(self, i: int, rule: ast.Rule, ind: ast.Indicator, hit: Callable[..., None]) -> Decimal:
        name = ind.name.text
        if isinstance(rule, ast.Bands):
            value = self._expr(rule.subject, name)
            for j, band in enumerate(rule.bands):
                if band_holds(band, value):
                    hit("band", i, j)
                    return band.points.value
            raise Refusal(Problem("PF505", None, {"name": name, "value": str(value)}))
        if isinstance(rule, ast.WhenChain):
            for j, arm in enumerate(rule.arms):
                if arm.condition is None or self._expr(arm.condition, name):
                    hit("arm", i, j)
                    return arm.points.value
            raise Refusal(Problem("PF505", None, {"name": name, "value": "—"}))
        if isinstance(rule, ast.Match):
            label = self._expr(rule.subject, name)
            arms = [j for j, a in enumerate(rule.arms) if a.label is not None and a.label.text == label]
            arms = arms or [j for j, a in enumerate(rule.arms) if a.label is None]
            if not arms:
                raise Refusal(Problem("PF505", None, {"name": name, "value": str(label)}))
            hit("arm", i, arms[0])
            return rule.arms[arms[0]].points.value
        if isinstance(rule, ast.Judgment):
            hit("judged", i)
            return self.value((rule.input or ind.name).text)  # type: ignore[no-any-return]
        assert isinstance(rule, ast.Formula)
        hit("formula", i)
        return self._expr(rule.expr, name)  # type: ignore[no-any-return]

    def step(self, i: int, rule: ast.DeductStep, name: str, hit: Callable[..., None]) -> Decimal:
        value = self._expr(rule.value, name)
        reference = self._expr(rule.reference, name) if rule.reference is not None else _ZERO
        hit(side(rule.direction, value, reference), i)
        if rule.direction == "above":
            excess = max(value - reference, _ZERO)
        elif rule.direction == "below":
            excess = max(reference - value, _ZERO)
        else:
            excess = abs(value - reference)
        steps = excess / rule.step.value
        if rule.counting == "whole":
            steps = steps.to_integral_value(rounding=ROUND_FLOOR)
        elif rule.counting == "started":
            steps = steps.to_integral_value(rounding=ROUND_CEILING)
        return rule.rate.value * steps  # type: ignore[no-any-return]


def side(direction: str, value: Decimal, reference: Decimal) -> str:
    """Where a value lies against a deduction's reference: `within` (nothing to deduct),
    `over` / `under` (deducted), or `at` for a two-sided (`from`) deduction."""
    if direction == "above":
        return "over" if value > reference else "within"
    if direction == "below":
        return "under" if value < reference else "within"
    return "over" if value > reference else "under" if value < reference else "at"


def band_holds(band: ast.Band, value: Decimal) -> bool:
    if band.is_else:
        return True
    if band.low is not None and not (value > band.low.value or (band.low_closed and value == band.low.value)):
        return False
    return band.high is None or value < band.high.value or (band.high_closed and value == band.high.value)


def trace(rubric: Rubric, record: Mapping[str, object]) -> tuple[Result, Trace]:
    """Score a record with the compiled rubric and with the interpreter, and return both.
    Raises DataError when the record is refused, Disagreement if the two differ."""
    result = rubric.evaluate(record)
    walked = Interpreter(rubric, inputs(rubric, record)).run()
    compiled = {n.name: n.score for n in result.nodes()}
    if compiled != walked.scores or (result.raw_total, result.total, result.grade) != (
        walked.raw_total,
        walked.total,
        walked.grade,
    ):
        wrong = [n for n in compiled if compiled[n] != walked.scores.get(n)]
        raise Disagreement(f"the interpreter and the evaluator disagree on {wrong or 'the total'} for {dict(record)}")
    return result, walked


def evaluate_expr(rubric: Rubric, values: Mapping[str, object], e: ast.Expr) -> Any:
    """An expression (a property's condition) over coerced input values; raises DataError."""
    try:
        return Interpreter(rubric, values).expr(e)
    except Refusal as refused:
        raise DataError([refused.problem]) from None

"""A plain tree-walking evaluator of the AST: the reference the compiled scorer is tested
against (tests/test_oracle.py), and a second opinion when one is wanted.

Slow and obvious on purpose: every record walks the syntax tree, looks names up in a
dict, and builds the result tree node by node. It shares nothing with `codegen` and
`compile` but the AST, the coercion of input values, and the result and reason types.
"""

from __future__ import annotations

import decimal
import operator
import re
from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from pingfen import ast
from pingfen.check.passes import Checked
from pingfen.errors import DataError, Problem
from pingfen.evaluate.refusals import Refusal
from pingfen.lang import Lang
from pingfen.reasons import Reason, Site, quantity
from pingfen.result import NodeResult, Result
from pingfen.values import CONTEXT, coerce, show

ZERO = Decimal(0)
COMPARE = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
ROUNDING = {
    "half_up": decimal.ROUND_HALF_UP, "half_even": decimal.ROUND_HALF_EVEN, "half_down": decimal.ROUND_HALF_DOWN,
    "up": decimal.ROUND_UP, "down": decimal.ROUND_DOWN, "ceiling": decimal.ROUND_CEILING, "floor": decimal.ROUND_FLOOR,
}  # fmt: skip
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def evaluate(module: ast.Module, checked: Checked, text: str, data: Mapping[str, object], lang: Lang = "zh") -> Result:
    """Score one record by walking the tree. Raises DataError as `Rubric.evaluate` does."""
    with decimal.localcontext(CONTEXT):
        walker = Walker(module, checked, text)
        walker.read_inputs(data)
        try:
            for let in checked.let_order:
                walker.env[let.name.text] = walker.value(let.expr, let.name.text)
            children = tuple(walker.node(n, lang) for n in module.top)
        except Refusal as refused:
            raise DataError([refused.problem]) from None
        except decimal.DecimalException as error:  # e.g. an overflow far beyond any real figure
            raise DataError([Problem("PF507", None, {"detail": type(error).__name__})]) from None
        header = module.header
        assert header is not None
        raw_total = sum((c.score for c in children), ZERO)
        places = header.round_places.value if header.round_places else Decimal(2)
        total = raw_total.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUNDING[header.round_mode])
        grade = None
        for g in header.grades:
            if g.op is None or g.threshold is None or COMPARE[g.op](total, g.threshold.value):
                grade = g.name.text
                break
        top_sum = sum((n.max.value for n in module.top), ZERO)
        rubric_max = header.total.value if header.total else top_sum
        return Result(header.title, rubric_max, total, raw_total, grade, children, lang)


class Walker:
    def __init__(self, module: ast.Module, checked: Checked, text: str) -> None:
        self.module = module
        self.checked = checked
        self.text = text
        self.env: dict[str, Any] = {}

    def source_of(self, node: Any) -> str:
        return self.text[node.span.start : node.span.end]

    # ---------------------------------------------------------------- inputs
    def read_inputs(self, data: Mapping[str, object]) -> None:
        judged: dict[str, Decimal] = {}
        for node, _depth in ast.walk_nodes(self.module.top):
            if isinstance(node, ast.Indicator):
                for rule in node.rules:
                    if isinstance(rule, ast.Judgment):
                        name = (rule.input or node.name).text
                        judged[name] = min(judged.get(name, node.max.value), node.max.value)
        problems = []
        for decl in self.module.inputs:
            name = decl.name.text
            if self.checked.symbols[name].decl is not decl:
                continue
            value = coerce(name, decl.type, data.get(name), tuple(lb.text for lb in decl.labels))
            if isinstance(value, Problem):
                problems.append(value)
                continue
            bounds = [(b.op, b.value.value) for b in decl.bounds]
            if decl.type == "score":
                bounds = [(">=", ZERO), *bounds] + ([("<=", judged[name])] if name in judged else [])
            for op, bound in bounds:
                if not COMPARE[op](value, bound):
                    domain = f"{op} {quantity(bound, decl.type)}"
                    problems.append(
                        Problem("PF503", name, {"input": name, "value": show(data.get(name)), "domain": domain})
                    )
                    break
            self.env[name] = value
        if problems:
            raise DataError(problems)

    # ---------------------------------------------------------------- expressions
    def value(self, e: ast.Expr, where: str) -> Any:
        if isinstance(e, ast.Number):
            return e.value
        if isinstance(e, ast.Bool):
            return e.value
        if isinstance(e, ast.Ref):
            return self.env[e.name.text]
        if isinstance(e, ast.Neg):
            return -self.value(e.operand, where)
        if isinstance(e, ast.Not):
            return not self.value(e.operand, where)
        if isinstance(e, ast.And):
            return self.value(e.left, where) and self.value(e.right, where)
        if isinstance(e, ast.Or):
            return self.value(e.left, where) or self.value(e.right, where)
        if isinstance(e, ast.Compare):
            return COMPARE[e.op](self.value(e.left, where), self.value(e.right, where))
        if isinstance(e, ast.Call):
            args = [self.value(a, where) for a in e.args]
            if e.func == "abs":
                return abs(args[0])
            return min(args) if e.func == "min" else max(args)
        assert isinstance(e, ast.Binary)
        if e.op == "/":
            divisor = self.value(e.right, where)  # the divisor first: a zero refuses before the rest is read
            if divisor == 0:
                name = e.right.name.text if isinstance(e.right, ast.Ref) else None
                raise Refusal(Problem("PF504", name, {"where": where, "divisor": self.source_of(e.right)}))
            return self.value(e.left, where) / divisor
        left, right = self.value(e.left, where), self.value(e.right, where)
        return left + right if e.op == "+" else left - right if e.op == "-" else left * right

    # ---------------------------------------------------------------- the tree
    def node(self, node: ast.Node, lang: Lang) -> NodeResult:
        top = node.max.value
        if isinstance(node, ast.Group):
            children = tuple(self.node(c, lang) for c in node.children)
            score, clamped = clamp(sum((c.score for c in children), ZERO), top)
            return NodeResult(node.name.text, top, score, children, (), clamped, True, lang)
        reasons: list[tuple[Site, tuple[object, ...]]] = []
        base = [r for r in node.rules if isinstance(r, ast.BASE_RULES)]
        awards = [r for r in node.rules if isinstance(r, ast.AwardIf)]
        if base:
            start = self.base(base[0], node, reasons)
        elif awards:
            start = sum((self.award(a, node, reasons) for a in awards), ZERO)
        else:
            start = top
        deductions = [r for r in node.rules if isinstance(r, (ast.DeductStep, ast.DeductIf))]
        lost = sum((self.deduction(r, node, reasons) for r in deductions), ZERO)
        score, clamped = clamp(start - lost, top)
        if clamped == "low":
            reasons.append((Site("clamped_low", {"max": top}, ("start", "lost")), (start, lost)))
        explained = tuple(Reason(site, numbers, score) for site, numbers in reasons)
        return NodeResult(node.name.text, top, score, (), explained, clamped, False, lang)

    def reason(self, kind: str, facts: dict[str, object], fields: dict[str, object], template: str | None,
               top: Decimal) -> tuple[Site, tuple[object, ...]]:  # fmt: skip
        """A reason record: the rule's facts, this record's numbers, and the values its template names."""
        if template is None:
            return Site(kind, facts, tuple(fields)), tuple(fields.values())
        named = [n for n in dict.fromkeys(PLACEHOLDER.findall(template)) if n in self.checked.symbols]
        units = tuple((n, self.checked.symbols[n].unit) for n in named)
        site = Site(kind, facts | {"max": top}, tuple(fields), template, units)
        return site, (*fields.values(), *(self.env[n] for n in named))

    def base(self, rule: ast.Rule, ind: ast.Indicator, reasons: list[Any]) -> Decimal:
        top, name = ind.max.value, ind.name.text
        if isinstance(rule, ast.Judgment):
            points = self.env[(rule.input or ind.name).text]
            if points < top:
                reasons.append((Site("judgment", {"max": top}, ("points",)), (points,)))
            return points  # type: ignore[no-any-return]
        if isinstance(rule, ast.Formula):
            points = self.value(rule.expr, name)
            if points < top:
                facts = {"formula": self.source_of(rule.expr), "max": top}
                reasons.append((Site("formula", facts, ("points",)), (points,)))
            return points  # type: ignore[no-any-return]
        if isinstance(rule, ast.Bands):
            value = self.value(rule.subject, name)
            unit = self.checked.units.get(rule.subject, "number")
            for band in rule.bands:
                if in_band(band, value):
                    if band.points.value < top:
                        facts = {"subject": self.source_of(rule.subject), "unit": unit, "band": ast.band_text(band)}
                        reasons.append(self.arm("band", facts, {"value": value}, band.points.value, band.reason, top))
                    return band.points.value
            raise Refusal(Problem("PF505", None, {"name": name, "value": quantity(value, unit)}))
        if isinstance(rule, ast.WhenChain):
            for arm in rule.arms:
                if arm.condition is None or self.value(arm.condition, name):
                    if arm.points.value < top:
                        condition = self.source_of(arm.condition) if arm.condition is not None else None
                        kind = "when" if condition is not None else "when_else"
                        reasons.append(self.arm(kind, {"condition": condition}, {}, arm.points.value, arm.reason, top))
                    return arm.points.value
            names = [
                r.name.text
                for a in rule.arms
                if a.condition
                for r in ast.sub_expressions(a.condition)
                if isinstance(r, ast.Ref)
            ]
            shown = ", ".join(
                f"{n} = {quantity(self.env[n], self.checked.symbols[n].unit)}" for n in dict.fromkeys(names)
            )
            raise Refusal(Problem("PF505", None, {"name": name, "value": shown}))
        assert isinstance(rule, ast.Match)
        label = self.value(rule.subject, name)
        chosen = None
        for arm in rule.arms:  # the last arm naming the label; else the first `else`
            if arm.label is not None and arm.label.text == label:
                chosen = arm
        if chosen is None:
            chosen = next((a for a in rule.arms if a.label is None), None)
        if chosen is None:
            raise Refusal(Problem("PF505", None, {"name": name, "value": label}))
        if chosen.points.value < top:
            facts = {"subject": self.source_of(rule.subject)}
            reasons.append(self.arm("match", facts, {"label": label}, chosen.points.value, chosen.reason, top))
        return chosen.points.value

    def arm(self, kind: str, facts: dict[str, object], fields: dict[str, object], points: Decimal,
            template: str | None, top: Decimal) -> tuple[Site, tuple[object, ...]]:  # fmt: skip
        facts = facts | {"points": points, "max": top, "lost": top - points}
        return self.reason(kind, facts, fields, template, top)

    def award(self, rule: ast.AwardIf, ind: ast.Indicator, reasons: list[Any]) -> Decimal:
        if self.value(rule.condition, ind.name.text):
            return rule.points.value
        facts = {"condition": self.source_of(rule.condition), "lost": rule.points.value}
        reasons.append(self.reason("award_missed", facts, {}, rule.reason, ind.max.value))
        return ZERO

    def deduction(self, rule: ast.DeductStep | ast.DeductIf, ind: ast.Indicator, reasons: list[Any]) -> Decimal:
        name, top = ind.name.text, ind.max.value
        if isinstance(rule, ast.DeductIf):
            if not self.value(rule.condition, name):
                return ZERO
            facts = {"condition": self.source_of(rule.condition), "lost": rule.points.value}
            reasons.append(self.reason("deduct_if", facts, {}, rule.reason, top))
            return rule.points.value
        value = self.value(rule.value, name)
        reference = self.value(rule.reference, name) if rule.reference is not None else ZERO
        if rule.direction == "above":
            excess = max(value - reference, ZERO)
        elif rule.direction == "below":
            excess = max(reference - value, ZERO)
        else:
            excess = abs(value - reference)
        steps = excess / rule.step.value
        if rule.counting == "whole":
            steps = steps.to_integral_value(rounding=ROUND_FLOOR)
        elif rule.counting == "started":
            steps = steps.to_integral_value(rounding=ROUND_CEILING)
        lost = rule.rate.value * steps
        if lost > 0:
            unit = self.checked.units.get(rule.value, "number")
            facts = {"subject": self.source_of(rule.value), "unit": unit, "direction": rule.direction,
                     "step": rule.step.value, "rate": rule.rate.value, "counting": rule.counting}  # fmt: skip
            fields = {"value": value, "reference": reference if rule.reference is not None else None,
                      "excess": excess, "steps": steps, "lost": lost}  # fmt: skip
            reasons.append(self.reason("step", facts, fields, rule.reason, top))
        return lost  # type: ignore[no-any-return]


def clamp(raw: Decimal, top: Decimal) -> tuple[Decimal, str | None]:
    if raw < 0:
        return ZERO, "low"
    if raw > top:
        return top, "high"
    return raw, None


def in_band(band: ast.Band, value: Decimal) -> bool:
    if band.is_else:
        return True
    if band.low is not None and not (value >= band.low.value if band.low_closed else value > band.low.value):
        return False
    return band.high is None or (value <= band.high.value if band.high_closed else value < band.high.value)

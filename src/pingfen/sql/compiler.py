"""A rubric → one SQL `SELECT` (a sqlglot tree) that scores a relation of records, one row each.

The query is a chain of CTEs, each `SELECT *, new columns FROM the one before`: a value read
more than once (a let, a band's subject, the operands of a long division, a node's score) is
bound to a column in one layer and read by name in the next, so nothing is written twice and
the query grows with the rubric, not with its nesting. The records relation's own columns pass
through; the inputs are read into typed columns; then every let, every node, the total, the
grade. A record that evaluate() refuses is refused here too, as columns: the first refusal in
evaluate()'s order, its code and its input, and NULL scores — so a bad row costs only itself.

The compiler follows the walker (evaluate/walker.py) step by step, in its order: inputs as
`Rubric.coerce` reads them, the lets in order, then the nodes depth first; a refusal site
(a zero divisor, no band or arm, a bad input) is guarded by whether evaluate() would reach it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from typing import assert_never

from attrs import frozen
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from pingfen import ast
from pingfen.check.passes import Checked, check
from pingfen.evaluate.rubric import InputSpec, Rubric
from pingfen.reasons import Site as ReasonSite
from pingfen.reasons import placeholders
from pingfen.sql import exact
from pingfen.sql.exact import NUM, SqlRefusal, case, cast, integer, literal
from pingfen.sql.forms import refuse_untranslated

# The names of the columns a scored row ends with, after its nodes.
TOTAL, GRADE, REASONS, REFUSAL, REFUSAL_INPUT = "total", "grade", "reasons", "refusal", "refusal_input"
OWN = (TOTAL, GRADE, REASONS, REFUSAL, REFUSAL_INPUT)
PREFIX = "_pf_"  # internal columns, dropped at the end
RANGE = Decimal(10) ** 14  # inputs beyond this are refused (PF800): the query's numbers have 18 integer digits


@frozen
class Entry:
    """A reason the rubric may give: the indicator, the Site (as the walker makes it), and the
    kind of each number a row supplies for it ("decimal", "text", "bool")."""

    node: str
    site: ReasonSite
    kinds: tuple[str, ...]


_KINDS = {"bool": "bool", "label": "text"}  # a template's named value by its unit; else a decimal


@frozen
class Frag:
    """A piece of SQL and the layer from which it can be computed (0: the records relation)."""

    sql: exp.Expr
    depth: int

    @property
    def is_column(self) -> bool:
        return isinstance(self.sql, exp.Column)


def _true() -> Frag:
    return Frag(exp.true(), 0)


def join(op: type[exp.Binary], a: Frag, b: Frag) -> Frag:
    return Frag(op(this=a.sql.copy(), expression=b.sql.copy()), max(a.depth, b.depth))


def quoted(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


@frozen
class Site:
    """Where evaluate() may refuse a record: the condition (reached and failing), code, input."""

    condition: Frag
    code: str
    input: str | None


class Compiler:
    def __init__(self, rubric: Rubric, table: str, dialect: str, reasons: bool = True) -> None:
        self.with_reasons = reasons
        self.big = exact.big_type(dialect)
        self.dialect = dialect
        self.rubric = rubric
        self.table = table
        self.checked: Checked = check(rubric.module)
        self.layers: list[list[tuple[str, exp.Expr]]] = []
        self.count = 0
        self.env: dict[str, Frag] = {}
        self.sites: list[Site] = []
        self.scores: dict[str, Frag] = {}  # each node's column, in the order they are bound
        self.walker = rubric.walker()  # for a rule's text as the walker quotes it in reasons
        self.catalogue: list[Entry] = []  # every reason the rubric may give, by number
        self.explained: list[tuple[str, list[Explained]]] = []  # per indicator: when, which, numbers
        self.lost_here: list[Explained] = []
        self.labels: set[str] = {spec.name for spec in rubric.inputs if spec.type == "label"}
        self.under = _true()  # where evaluate() reaches what is compiled now (a rule's `if COND`, a row that applies)

    # ---------------------------------------------------------------- layers
    def bind(self, frag: Frag, name: str | None = None) -> Frag:
        """The value as a column of the next layer, read by name from then on."""
        if name is None:
            name = f"{PREFIX}{self.count}"
            self.count += 1
        while len(self.layers) <= frag.depth:
            self.layers.append([])
        self.layers[frag.depth].append((name, frag.sql))
        return Frag(quoted(name), frag.depth + 1)

    def column(self, frag: Frag) -> Frag:
        return frag if frag.is_column else self.bind(frag)

    def refuse(self, reached: Frag, failing: Frag, code: str, input: str | None) -> None:
        self.site(join(exp.And, reached, failing) if reached.sql != exp.true() else failing, code, input)

    def site(self, failing: Frag, code: str, input: str | None) -> None:
        """A refusal where evaluate() reaches it: within `self.under`."""
        self.sites.append(Site(join(exp.And, self.under, failing) if self.under.sql != exp.true() else failing, code, input))

    # ---------------------------------------------------------------- inputs
    def inputs(self) -> None:
        for spec in self.rubric.inputs:
            raw = Frag(quoted(spec.name), 0)
            value, problems = self.input(spec, raw) if self.reads(spec) else self.newer_input(spec, raw)
            bound = self.bind(value)
            self.env[spec.name] = bound
            for condition, code in problems:
                self.sites.append(Site(condition, code, spec.name))

    def input(self, spec: InputSpec, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        """The typed value of an input and its refusals, in `values.coerce`'s order."""
        missing = exp.Is(this=raw.sql.copy(), expression=exp.Null())
        if spec.type == "bool":
            value: exp.Expr = exp.TryCast(this=raw.sql.copy(), to=exp.DataType.build("BOOLEAN"), safe=True)  # safe: Spark writes TRY_CAST
            unread = exp.and_(exp.not_(missing), exp.Is(this=value.copy(), expression=exp.Null()))
            return Frag(value, 0), [(Frag(missing, 0), "PF501"), (Frag(unread, 0), "PF502")]
        if spec.type == "label":
            text = exp.Trim(this=cast(raw.sql.copy(), exp.DataType.build("TEXT")))
            empty = exp.or_(missing, exp.EQ(this=text.copy(), expression=exp.Literal.string("")))
            known = exp.In(this=text.copy(), expressions=[exp.Literal.string(label) for label in spec.labels])
            return Frag(text, 0), [(Frag(empty, 0), "PF501"), (Frag(exp.not_(known), 0), "PF506")]
        value = exp.TryCast(this=raw.sql.copy(), to=NUM, safe=True)  # safe: else sqlglot writes CAST for Spark, an error on "abc"
        unread = exp.and_(exp.not_(missing), exp.Is(this=value.copy(), expression=exp.Null()))
        value = self.at_precision(spec, value)
        problems: list[tuple[Frag, str]] = [(Frag(missing, 0), "PF501"), (Frag(unread, 0), "PF502")]
        domain: list[exp.Expr] = []
        if spec.type == "count":
            domain.append(exp.NEQ(this=value.copy(), expression=exp.Floor(this=value.copy())))
            domain.append(exp.LT(this=value.copy(), expression=integer(0)))
        if spec.type == "amount":
            domain.append(exp.LT(this=value.copy(), expression=integer(0)))
        for op, bound in spec.bounds:
            domain.append(exp.not_(compare(op, value.copy(), literal(bound))))
        if domain:
            problems.append((Frag(exp.or_(*domain), 0), "PF503"))
        problems.append((Frag(exp.GTE(this=exp.Abs(this=value.copy()), expression=literal(RANGE)), 0), "PF800"))
        inside = exp.LT(this=exp.Abs(this=value.copy()), expression=literal(RANGE))  # else NULL: nothing downstream overflows
        return Frag(case((inside, value.copy())), 0), problems

    # ---------------------------------------------------------------- expressions
    def value(self, e: ast.Expr, where: str, reached: Frag) -> Frag:
        """The SQL of an expression; refusal sites inside it are guarded by `reached`."""
        match e:
            case ast.Number():
                return Frag(literal(e.value), 0)
            case ast.Bool():
                return Frag(exp.true() if e.value else exp.false(), 0)
            case ast.Ref():
                return self.env[e.name.text] if e.name.text in self.env else self.newer(e, where, reached)  # else a label named bare
            case ast.Neg():
                operand = self.value(e.operand, where, reached)
                return Frag(cast(exp.Neg(this=paren(operand)), NUM), operand.depth)
            case ast.Not():
                inner = self.value(e.operand, where, reached)
                return Frag(exp.Not(this=exact.paren(inner.sql)), inner.depth)
            case ast.And() | ast.Or():
                left = self.value(e.left, where, reached)
                holds = left if isinstance(e, ast.And) else Frag(exp.Not(this=exact.paren(left.sql.copy())), left.depth)
                right = self.value(e.right, where, join(exp.And, reached, holds))
                op: type[exp.Binary] = exp.And if isinstance(e, ast.And) else exp.Or
                return Frag(op(this=exact.paren(left.sql.copy()), expression=exact.paren(right.sql.copy())), max(left.depth, right.depth))
            case ast.Compare():
                left, right = self.value(e.left, where, reached), self.value(e.right, where, reached)
                return Frag(compare(e.op, left.sql.copy(), right.sql.copy()), max(left.depth, right.depth))
            case ast.Call():
                if e.func in ast.AGGREGATES or e.func in ast.DURATIONS:
                    return self.newer(e, where, reached)
                args = [self.value(a, where, reached) for a in e.args]
                depth = max(a.depth for a in args)
                if e.func == "abs":
                    return Frag(exp.Abs(this=args[0].sql.copy()), depth)
                kind: type[exp.Func] = exp.Least if e.func == "min" else exp.Greatest
                if len(args) == 1:
                    return args[0]
                return Frag(kind(this=args[0].sql.copy(), expressions=[a.sql.copy() for a in args[1:]]), depth)
            case ast.Binary():
                return self.binary(e, where, reached)
            case ast.IfElse() | ast.Round():
                return self.newer(e, where, reached)
            case _:
                assert_never(e)

    def binary(self, e: ast.Binary, where: str, reached: Frag) -> Frag:
        if e.op == "/":
            divisor = self.value(e.right, where, reached)  # read first, as the walker does
            name = e.right.name.text if isinstance(e.right, ast.Ref) else None
            zero = Frag(exp.EQ(this=divisor.sql.copy(), expression=integer(0)), divisor.depth)
            self.refuse(reached, zero, "PF504", name)
            dividend = self.value(e.left, where, reached)
            return self.divide(dividend, divisor)
        left, right = self.value(e.left, where, reached), self.value(e.right, where, reached)
        if e.op == "+":
            return Frag(cast(exp.Add(this=left.sql.copy(), expression=right.sql.copy()), NUM), max(left.depth, right.depth))
        if e.op == "-":
            return Frag(cast(exp.Sub(this=left.sql.copy(), expression=right.sql.copy()), NUM), max(left.depth, right.depth))
        return self.multiply(left, right, ast.constant(e.left), ast.constant(e.right))

    def multiply(self, left: Frag, right: Frag, left_constant: Decimal | None, right_constant: Decimal | None) -> Frag:
        if right_constant is not None:
            product = exact.times_literal(left.sql.copy(), right_constant)
            if product is not None:
                return Frag(product, left.depth)
        if left_constant is not None:
            product = exact.times_literal(right.sql.copy(), left_constant)
            if product is not None:
                return Frag(product, right.depth)
        a, b = self.column(left), self.column(right)
        return Frag(exact.times(a.sql, b.sql), max(a.depth, b.depth))

    def divide(self, dividend: Frag, divisor: Frag) -> Frag:
        """dividend / divisor to SCALE decimals, half-even, by long division on integers
        (NULL when the divisor is 0: that record is refused, PF504)."""
        a, b = self.column(dividend), self.column(divisor)
        ua = self.bind(Frag(exact.unscaled(a.sql, self.big), a.depth))
        ub = self.bind(Frag(exact.unscaled(b.sql, self.big), b.depth))
        negative = self.bind(Frag(exp.NEQ(this=exact.paren(exp.LT(this=ua.sql.copy(), expression=integer(0))),
                                          expression=exact.paren(exp.LT(this=ub.sql.copy(), expression=integer(0)))),
                                  max(ua.depth, ub.depth)))  # fmt: skip
        na = Frag(exp.Abs(this=ua.sql.copy()), ua.depth)
        nb = self.bind(Frag(exp.Nullif(this=exp.Abs(this=ub.sql.copy()), expression=integer(0)), ub.depth))
        digits: list[Frag] = [self.bind(self.int_div(na, nb))]
        rest = self.bind(join(exp.Mod, na, nb))
        steps = exact.SCALE // exact.CHUNK  # SCALE is a multiple of CHUNK
        for _ in range(steps):
            shifted = Frag(exp.Mul(this=rest.sql.copy(), expression=integer(10**exact.CHUNK)), rest.depth)
            digits.append(self.bind(self.int_div(shifted, nb)))
            rest = self.bind(join(exp.Mod, shifted, nb))
        # the quotient's digits: q0·10^(CHUNK·steps) + q1·10^(CHUNK·(steps-1)) + … (no literal beyond 10^CHUNK)
        total: exp.Expr = digits[0].sql.copy()
        for digit in digits[1:]:
            total = exp.Add(this=exp.Mul(this=exact.paren(total), expression=integer(10**exact.CHUNK)), expression=digit.sql.copy())
        kept = self.bind(Frag(total, max(d.depth for d in digits)))
        dropped, half = rest.sql.copy(), nb.sql.copy()  # round half-even on what is left over
        twice = exp.Mul(this=integer(2), expression=exact.paren(dropped))
        up = exp.or_(
            exp.GT(this=twice.copy(), expression=half.copy()),
            exp.and_(exp.EQ(this=twice.copy(), expression=half.copy()), exp.EQ(this=exp.Mod(this=kept.sql.copy(), expression=integer(2)), expression=integer(1))),
        )
        rounded = exp.Add(this=kept.sql.copy(), expression=case((up, integer(1)), default=integer(0)))
        signed = exp.Mul(this=exact.paren(rounded), expression=case((negative.sql.copy(), integer(-1)), default=integer(1)))
        return Frag(exact.from_unscaled(signed), max(kept.depth, negative.depth, rest.depth))

    def int_div(self, a: Frag, b: Frag) -> Frag:
        """a DIV b. Spark's DIV is a 64-bit integer, and the quotient's digits are shifted
        past 10^19 next: there it is widened back to the 38-digit integer type."""
        quotient = join(exp.IntDiv, a, b)
        return quotient if self.dialect == "duckdb" else Frag(exact.cast(quotient.sql, self.big), quotient.depth)

    # ---------------------------------------------------------------- the tree
    def node(self, node: ast.Node) -> Frag:
        return self.applicable(node, self.scored)

    def scored(self, node: ast.Node) -> Frag:
        match node:
            case ast.Group():
                score = self.group_score(node, [self.node(c) for c in node.children])
            case ast.Indicator():
                score = self.rounded_score(node, clamp(self.indicator(node), node.max.value))
            case _:
                assert_never(node)
        bound = self.bind(score, f"{PREFIX}node{len(self.scores)}")
        self.scores[node.name.text] = bound
        return bound

    def indicator(self, node: ast.Indicator) -> Frag:
        top, name = node.max.value, node.name.text
        base: ast.BaseRule | None = None
        awards: list[ast.AwardIf] = []
        deductions: list[ast.Deduction] = []
        for rule in node.rules:
            match rule:
                case ast.Bands() | ast.WhenChain() | ast.Match() | ast.Judgment() | ast.Formula():
                    base = base or rule
                case ast.AwardIf():
                    awards.append(rule)
                case ast.DeductStep() | ast.DeductIf():
                    deductions.append(rule)
                case _:
                    assert_never(rule)
        self.lost_here = []  # this indicator's reasons, in the walker's order
        if base is not None:
            start = self.column(self.switched(base, node, partial(self.base, base, node)))
        elif awards:
            start = self.column(sum_of([self.award(a, node) for a in awards]))
        else:
            start = Frag(literal(top), 0)
        lost = self.column(sum_of([self.switched(r, node, partial(self.deduction, r, node)) for r in deductions]))
        raw = Frag(cast(exp.Sub(this=start.sql.copy(), expression=lost.sql.copy()), NUM), max(start.depth, lost.depth))
        below = Frag(exp.LT(this=raw.sql.copy(), expression=integer(0)), raw.depth)
        self.explain(node, below, "clamped_low", {"max": top}, [("start", start, "decimal"), ("lost", lost, "decimal")], None, plain=True)
        self.explained.append((name, self.lost_here))
        return raw

    # ---------------------------------------------------------------- issue 10's forms
    # Each a hook: here the form is refused (PF807, as sql/forms.py names it first);
    # sql/newforms.py translates them.
    def newer(self, e: ast.Expr, where: str, reached: Frag) -> Frag:
        """if … then … else, round(…), a label named bare, a panel's or dates' function."""
        raise SqlRefusal("PF807", {"form": type(e).__name__})

    def reads(self, spec: InputSpec) -> bool:
        """Whether `input` reads this input: a number, bool or label, one value a record."""
        return not (spec.is_list or spec.type == "date" or spec.batch is not None)

    def newer_input(self, spec: InputSpec, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        raise SqlRefusal("PF807", {"form": f"input {spec.name}"})

    def at_precision(self, spec: InputSpec, value: exp.Expr) -> exp.Expr:
        if spec.precision is not None:
            raise SqlRefusal("PF807", {"form": f"input {spec.name}: … precision"})
        return value

    def switched(self, rule: ast.Rule, node: ast.Indicator, compile: Callable[[], Frag]) -> Frag:
        """A rule's points, where its trailing `if COND` (if any) holds."""
        if ast.guard_of(rule) is not None:
            raise SqlRefusal("PF807", {"form": f"{node.name.text}: … if COND"})
        return compile()

    def formula_if(self, e: ast.IfElse, node: ast.Indicator) -> Frag:
        raise SqlRefusal("PF807", {"form": "if … then … else …"})

    def rounded_score(self, node: ast.Indicator, score: Frag) -> Frag:
        if node.round_places is not None:
            raise SqlRefusal("PF807", {"form": f"{node.name.text}: round"})
        return score

    def let_value(self, let: ast.Let) -> Frag:
        return self.bind(self.value(let.expr, let.name.text, _true()))

    def applicable(self, node: ast.Node, scored: Callable[[ast.Node], Frag]) -> Frag:
        """A row's score, where an `applies` line (不适用) decides whether it counts."""
        if node.applies is not None:
            raise SqlRefusal("PF807", {"form": f"{node.name.text}: applies"})
        return scored(node)

    def group_score(self, node: ast.Group, parts: list[Frag]) -> Frag:
        return clamp(sum_of(parts), node.max.value)

    def raw_total(self, tops: list[Frag]) -> Frag:
        """The total before rounding."""
        return sum_of(tops)

    def graded(self, total: Frag, header: ast.Header) -> Frag:
        raise SqlRefusal("PF807", {"form": "veto"})

    # ---------------------------------------------------------------- reasons
    def explain(self, node: ast.Indicator, when: Frag, kind: str, facts: dict[str, object],
                fields: list[tuple[str, Frag | None, str]], template: str | None, plain: bool = False) -> None:  # fmt: skip
        """A reason the indicator gives when `when` holds: its Site (as the walker's `reason`
        makes it) goes into the catalogue, its numbers into the row's `reasons` column."""
        top = node.max.value
        numbers = [(frag, kind_) for _name, frag, kind_ in fields]
        if template is None or plain:
            site = ReasonSite(kind, facts, tuple(n for n, _f, _k in fields))
        else:
            named = [n for n in placeholders(template) if n in self.checked.symbols]
            units = tuple((n, self.checked.symbols[n].unit) for n in named)
            site = ReasonSite(kind, facts | {"max": top}, tuple(n for n, _f, _k in fields), template, units)
            numbers += [(self.env[n], _KINDS.get(self.checked.symbols[n].unit, "decimal")) for n in named]
        self.catalogue.append(Entry(node.name.text, site, tuple(k for _f, k in numbers)))
        self.lost_here.append((join(exp.And, self.under, when) if self.under.sql != exp.true() else when, len(self.catalogue) - 1, numbers))

    def arm(self, node: ast.Indicator, when: Frag, kind: str, facts: dict[str, object], fields: list[tuple[str, Frag | None, str]],
            points: Decimal, template: str | None) -> None:  # fmt: skip
        """The walker's `arm`: an arm's reason, with its points, the max and what it lost."""
        top = node.max.value
        if points < top:
            self.explain(node, when, kind, facts | {"points": points, "max": top, "lost": top - points}, fields, template)

    def base(self, rule: ast.BaseRule, node: ast.Indicator) -> Frag:
        name, top = node.name.text, node.max.value
        match rule:
            case ast.Judgment():
                points = self.env[(rule.input or node.name).text]
                short = Frag(exp.LT(this=points.sql.copy(), expression=literal(top)), points.depth)
                self.explain(node, short, "judgment", {"max": top}, [("points", points, "decimal")], None, plain=True)
                return points
            case ast.Formula():
                if isinstance(rule.expr, ast.IfElse):  # its reason names the arm chosen
                    return self.formula_if(rule.expr, node)
                points = self.column(self.value(rule.expr, name, _true()))
                short = Frag(exp.LT(this=points.sql.copy(), expression=literal(top)), points.depth)
                facts = {"formula": self.walker.source_of(rule.expr), "max": top}
                self.explain(node, short, "formula", facts, [("points", points, "decimal")], None, plain=True)
                return points
            case ast.Bands():
                subject = self.column(self.value(rule.subject, name, _true()))
                index = self.chosen([in_band(band, subject.sql) for band in rule.bands], subject.depth, None)
                unit = self.checked.units.get(rule.subject, "number")
                for j, band in enumerate(rule.bands):
                    band_facts: dict[str, object] = {"subject": self.walker.source_of(rule.subject), "unit": unit, "band": ast.band_text(band)}
                    self.arm(node, chosen_is(index, j), "band", band_facts, [("value", subject, "decimal")], band.points.value, band.reason)
                return points_of(index, [b.points.value for b in rule.bands])
            case ast.WhenChain():
                reached = _true()
                tests: list[exp.Expr] = []
                depth, otherwise = 0, None
                for j, arm in enumerate(rule.arms):
                    if arm.condition is None:
                        otherwise = j
                        break
                    holds = self.value(arm.condition, name, reached)
                    depth = max(depth, holds.depth)
                    tests.append(holds.sql.copy())
                    reached = join(exp.And, reached, Frag(exp.Not(this=exact.paren(holds.sql.copy())), holds.depth))
                index = self.chosen(tests, depth, otherwise)
                failed = tuple(self.walker.source_of(a.condition) for a in rule.arms if a.condition is not None)
                for j, arm in enumerate(rule.arms[: len(tests) + (otherwise is not None)]):
                    condition = self.walker.source_of(arm.condition) if arm.condition is not None else None
                    arm_facts: dict[str, object] = {"condition": condition} | ({"failed": failed} if condition is None else {})
                    self.arm(node, chosen_is(index, j), "when" if condition is not None else "when_else", arm_facts, [], arm.points.value, arm.reason)
                return points_of(index, [a.points.value for a in rule.arms])
            case ast.Match():
                subject = self.column(self.value(rule.subject, name, _true()))
                last: dict[str, int] = {}
                for j, choice in enumerate(rule.arms):
                    if choice.label is not None:
                        last[choice.label.text] = j
                otherwise = next((j for j, a in enumerate(rule.arms) if a.label is None), None)
                labels = list(last)
                index = self.chosen([exp.EQ(this=subject.sql.copy(), expression=exp.Literal.string(label)) for label in labels], subject.depth,
                                    None if otherwise is None else -1)  # fmt: skip
                arm_of = Frag(case(*((chosen_is(index, k).sql, integer(last[label])) for k, label in enumerate(labels)),
                                   default=integer(otherwise) if otherwise is not None else None), index.depth)  # fmt: skip
                arm_of = self.column(arm_of)
                for j, choice in enumerate(rule.arms):
                    match_facts: dict[str, object] = {"subject": self.walker.source_of(rule.subject)}
                    self.arm(node, chosen_is(arm_of, j), "match", match_facts, [("label", subject, "text")], choice.points.value, choice.reason)
                return points_of(arm_of, [a.points.value for a in rule.arms])
            case _:
                assert_never(rule)

    def chosen(self, tests: Sequence[exp.Expr], depth: int, otherwise: int | None) -> Frag:
        """The index of the first test that holds (else `otherwise`), as a column; with no
        `otherwise`, a record no test takes is refused (PF505)."""
        index = self.bind(Frag(case(*((t, integer(j)) for j, t in enumerate(tests)), default=None if otherwise is None else integer(otherwise)), depth))
        if otherwise is None:
            self.site(Frag(exp.Is(this=index.sql.copy(), expression=exp.Null()), index.depth), "PF505", None)
        return index

    def award(self, rule: ast.AwardIf, node: ast.Indicator) -> Frag:
        holds = self.value(rule.condition, node.name.text, _true())
        facts = {"condition": self.walker.source_of(rule.condition), "lost": rule.points.value}
        self.explain(node, Frag(exp.Not(this=exact.paren(holds.sql.copy())), holds.depth), "award_missed", facts, [], rule.reason)
        return Frag(case((holds.sql.copy(), literal(rule.points.value)), default=literal(Decimal(0))), holds.depth)

    def deduction(self, rule: ast.Deduction, node: ast.Indicator) -> Frag:
        match rule:
            case ast.DeductIf():
                holds = self.value(rule.condition, node.name.text, _true())
                facts = {"condition": self.walker.source_of(rule.condition), "lost": rule.points.value}
                self.explain(node, holds, "deduct_if", facts, [], rule.reason)
                return Frag(case((holds.sql.copy(), literal(rule.points.value)), default=literal(Decimal(0))), holds.depth)
            case ast.DeductStep():
                return self.deduct_step(rule, node)
            case _:
                assert_never(rule)

    def deduct_step(self, rule: ast.DeductStep, node: ast.Indicator) -> Frag:
        name = node.name.text
        value = self.column(self.value(rule.value, name, _true()))
        reference = self.column(self.value(rule.reference, name, _true())) if rule.reference is not None else Frag(literal(Decimal(0)), 0)
        difference = join(exp.Sub, value, reference)
        zero = literal(Decimal(0))
        match rule.direction:
            case "above":
                excess = Frag(exp.Greatest(this=cast(difference.sql, NUM), expressions=[zero]), difference.depth)
            case "below":
                excess = Frag(exp.Greatest(this=cast(join(exp.Sub, reference, value).sql, NUM), expressions=[zero]), difference.depth)
            case "from":
                excess = Frag(cast(exp.Abs(this=difference.sql), NUM), difference.depth)
            case _:
                assert_never(rule.direction)
        excess = self.column(excess)
        step, rate = rule.step.value, rule.rate.value
        inverse = exact.ratio(Decimal(1), step)
        scaled = exact.times_literal(excess.sql, inverse) if inverse is not None else None
        steps = Frag(scaled, excess.depth) if scaled is not None else self.divide(excess, Frag(literal(step), 0))
        match rule.counting:
            case "whole":
                steps = Frag(cast(exp.Floor(this=steps.sql), NUM), steps.depth)
            case "started":
                steps = Frag(cast(exp.Ceil(this=steps.sql), NUM), steps.depth)
            case "proportional" | None:
                pass
            case _:
                assert_never(rule.counting)
        lost = self.multiply(steps, Frag(literal(rate), 0), None, rate)
        per = exact.ratio(rate, step) if rule.counting in ("proportional", None) else None
        product = exact.times_literal(excess.sql, per) if per is not None else None
        if product is not None:  # rate × excess / step at once (0.5 per 1pp: × 50), one product, no division
            lost = Frag(product, excess.depth)
        lost = self.column(lost)
        unit = self.checked.units.get(rule.value, "number")
        facts = {"subject": self.walker.source_of(rule.value), "unit": unit, "direction": rule.direction,
                 "step": step, "rate": rate, "counting": rule.counting}  # fmt: skip
        fields: list[tuple[str, Frag | None, str]] = [
            ("value", value, "decimal"), ("reference", reference if rule.reference is not None else None, "decimal"),
            ("excess", excess, "decimal"), ("steps", steps, "decimal"), ("lost", lost, "decimal"),
        ]  # fmt: skip
        self.explain(node, Frag(exp.GT(this=lost.sql.copy(), expression=integer(0)), lost.depth), "step", facts, fields, rule.reason)
        return lost

    # ---------------------------------------------------------------- the whole query
    def tree(self) -> exp.Select:
        module = self.rubric.module
        header = module.header
        assert header is not None  # the checker guarantees a header
        for node, _depth in ast.walk_nodes(module.top):
            if node.name.text in OWN or node.name.text.startswith(PREFIX):
                raise SqlRefusal("PF805", {"name": node.name.text, "columns": ", ".join(OWN)})
        self.inputs()
        for let in self.checked.let_order:
            self.env[let.name.text] = self.let_value(let)
        tops = [self.node(top) for top in module.top]
        raw = self.bind(self.raw_total(tops))
        scores = {n.name.text: self.scores[n.name.text] for n, _depth in ast.walk_nodes(module.top)}
        scores |= {o.row.name.text: self.scores[o.row.name.text] for o in module.outside}  # after the tree, as evaluate() lists them
        total = self.bind(self.round_total(raw, header))
        grade = self.grade(total, header)
        refusal = self.bind(Frag(case(*((s.condition.sql.copy(), integer(i)) for i, s in enumerate(self.sites))), max(s.condition.depth for s in self.sites)) if self.sites else Frag(exp.Null(), 0))
        return self.select(scores, total, grade, refusal)

    def round_total(self, raw: Frag, header: ast.Header) -> Frag:
        places = int(header.round_places.value) if header.round_places else 2
        assert 0 <= places <= 18  # the checker keeps it within 0–10 (PF307); times_literal needs <= 18
        scaled = self.bind(Frag(exact.times_literal(raw.sql.copy(), Decimal(10) ** places) or raw.sql, raw.depth))
        floor = Frag(cast(exp.Floor(this=scaled.sql.copy()), exact.WHOLE), scaled.depth)
        floor = self.bind(floor)
        fraction = exp.Sub(this=scaled.sql.copy(), expression=floor.sql.copy())
        half = literal(Decimal("0.5"))
        odd = exp.EQ(this=exp.Sub(this=floor.sql.copy(), expression=exp.Mul(this=integer(2), expression=exp.Floor(this=exp.Mul(this=floor.sql.copy(), expression=exact.typed_literal(Decimal("0.5"))[0])))), expression=integer(1))
        up: exp.Expr
        match header.round_mode:  # the raw total is never negative: every top node is clamped at 0
            case "half_up":
                up = exp.GTE(this=fraction, expression=half)
            case "half_down":
                up = exp.GT(this=fraction, expression=half)
            case "half_even":
                up = exp.or_(exp.GT(this=fraction, expression=half), exp.and_(exp.EQ(this=fraction.copy(), expression=half.copy()), odd))
            case "up" | "ceiling":
                up = exp.GT(this=fraction, expression=literal(Decimal(0)))
            case "down" | "floor":
                up = exp.false()
            case _:
                assert_never(header.round_mode)
        units = exp.Add(this=floor.sql.copy(), expression=case((up, integer(1)), default=integer(0)))
        unit = exact.typed_literal(Decimal(1).scaleb(-places))[0]
        value = cast(exp.Mul(this=cast(units, exact.WHOLE), expression=unit), exact.decimal_type(38, places))
        return Frag(value, max(floor.depth, scaled.depth))

    def grade(self, total: Frag, header: ast.Header) -> Frag:
        if self.rubric.module.vetoes or any(g.condition is not None for g in header.grades):
            return self.graded(total, header)
        whens: list[tuple[exp.Expr, exp.Expr]] = []
        for g in header.grades:
            label = exp.Literal.string(g.name.text)
            if g.op is None or g.threshold is None:
                whens.append((exp.true(), label))
                break
            whens.append((compare(g.op, total.sql.copy(), literal(g.threshold.value)), label))
        if not whens:
            return Frag(cast(exp.Null(), exp.DataType.build("TEXT")), 0)
        return Frag(case(*whens), total.depth)

    def reasons_column(self) -> Frag:
        """Every point lost, as JSON: `[[k, n1, n2, …], …]`, k the catalogue's number of the
        reason, then its numbers (decimals as strings, every digit kept). `explain` words them."""
        labels = sorted({label for spec in self.rubric.inputs for label in spec.labels})
        items: list[exp.Expr] = []
        depth = 0
        for _name, explained in self.explained:
            for when, k, numbers in explained:
                parts: list[exp.Expr] = [exp.Literal.string(f"[{k}")]
                for frag, kind in numbers:
                    parts.append(exp.Literal.string(","))
                    parts.append(json_text(frag, kind, labels))
                    depth = max(depth, frag.depth if frag is not None else 0)
                parts.append(exp.Literal.string("]"))
                # each item ", [k, …]" or "": joined, then the first comma dropped (no CONCAT_WS,
                # whose NULLs the engines treat each their own way)
                items.append(case((when.sql.copy(), exp.Concat(expressions=[exp.Literal.string(","), *parts])), default=exp.Literal.string("")))
                depth = max(depth, when.depth)
        joined: exp.Expr = exp.Concat(expressions=items) if items else exp.Literal.string("")
        inner = exp.Substring(this=joined, start=integer(2))
        return self.bind(Frag(exp.Concat(expressions=[exp.Literal.string("["), inner, exp.Literal.string("]")]), depth))

    def select(self, scores: dict[str, Frag], total: Frag, grade: Frag, refusal: Frag) -> exp.Select:
        ok = exp.Is(this=refusal.sql.copy(), expression=exp.Null())
        final: list[exp.Expr] = []
        for name, frag in scores.items():
            final.append(exp.alias_(case((ok.copy(), frag.sql.copy())), name, quoted=True))
        final.append(exp.alias_(case((ok.copy(), total.sql.copy())), TOTAL, quoted=True))
        final.append(exp.alias_(case((ok.copy(), grade.sql.copy())), GRADE, quoted=True))
        codes = [(exp.EQ(this=refusal.sql.copy(), expression=integer(i)), exp.Literal.string(s.code)) for i, s in enumerate(self.sites)]
        names = [(exp.EQ(this=refusal.sql.copy(), expression=integer(i)), exp.Literal.string(s.input)) for i, s in enumerate(self.sites) if s.input is not None]
        if self.with_reasons:
            final.append(exp.alias_(case((ok.copy(), self.reasons_column().sql)), REASONS, quoted=True))
        final.append(exp.alias_(case(*codes) if codes else exp.Null(), REFUSAL, quoted=True))
        final.append(exp.alias_(case(*names) if names else exp.Null(), REFUSAL_INPUT, quoted=True))
        columns = [spec.name for spec in self.rubric.inputs] + [n for layer in self.layers for n, _ in layer]
        dropped = [quoted(n) for n in dict.fromkeys(columns)]  # once each: a batch value is bound under its name
        # (the reasons column was bound above: every layer is complete here)
        depth = max(len(self.layers), grade.depth, refusal.depth)
        while len(self.layers) < depth:
            self.layers.append([])
        ctes: list[exp.CTE] = []
        source: exp.Expr = exp.to_table(self.table, quoted=True) if "." not in self.table else exp.to_table(self.table)
        for i, layer in enumerate(self.layers):
            name = f"{PREFIX}layer{i}"
            body = exp.select(exp.Star(), *(exp.alias_(sql, column, quoted=True) for column, sql in layer)).from_(source.copy())
            ctes.append(exp.CTE(this=body, alias=exp.TableAlias(this=exp.to_identifier(name, quoted=True))))
            source = exp.to_table(name, quoted=True)
        query = exp.select(exp.Star(except_=dropped), *final).from_(source)
        query.set("with_", exp.With(expressions=ctes))
        return query


def compare(op: str, a: exp.Expr, b: exp.Expr) -> exp.Expr:
    kinds: dict[str, type[exp.Binary]] = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}
    return kinds[op](this=a, expression=b)


Explained = tuple[Frag, int, list[tuple[Frag | None, str]]]  # when it holds, the catalogue's number, the numbers


def json_text(frag: Frag | None, kind: str, labels: list[str]) -> exp.Expr:
    """A number of a reason as JSON text: a decimal as a string of its digits, a bool, a label."""
    if frag is None:
        return exp.Literal.string("null")
    if kind == "json":  # already JSON text (a name, sql/newforms.py)
        return frag.sql.copy()
    if kind == "bool":
        return case((frag.sql.copy(), exp.Literal.string("true")), default=exp.Literal.string("false"))
    if kind == "text":  # a label: one of the declared ones, or the record was refused
        return case(*((exp.EQ(this=frag.sql.copy(), expression=exp.Literal.string(x)), exp.Literal.string(json.dumps(x))) for x in labels),
                    default=exp.Literal.string("null"))  # fmt: skip
    return exp.Concat(expressions=[exp.Literal.string('"'), cast(frag.sql.copy(), exp.DataType.build("TEXT")), exp.Literal.string('"')])


def chosen_is(index: Frag, j: int) -> Frag:
    return Frag(exp.EQ(this=index.sql.copy(), expression=integer(j)), index.depth)


def points_of(index: Frag, points: list[Decimal]) -> Frag:
    """The points of the arm an index column names."""
    return Frag(case(*((chosen_is(index, j).sql, literal(p)) for j, p in enumerate(points))), index.depth)


def paren(f: Frag) -> exp.Expr:
    return exact.paren(f.sql.copy())


def sum_of(parts: Sequence[Frag]) -> Frag:
    if not parts:
        return Frag(literal(Decimal(0)), 0)
    total = parts[0].sql.copy()
    for p in parts[1:]:
        total = exp.Add(this=total, expression=p.sql.copy())
    return Frag(cast(total, NUM), max(p.depth for p in parts))


def clamp(score: Frag, top: Decimal) -> Frag:
    """[0, top], as values.clamp keeps a score."""
    inner = exp.Least(this=score.sql.copy(), expressions=[literal(top)])
    return Frag(exp.Greatest(this=inner, expressions=[literal(Decimal(0))]), score.depth)


def in_band(band: ast.Band, subject: exp.Expr) -> exp.Expr:
    """The walker's `in_band`."""
    if band.is_else:
        return exp.true()
    tests: list[exp.Expr] = []
    if band.low is not None:
        tests.append(compare(">=" if band.low_closed else ">", subject.copy(), literal(band.low.value)))
    if band.high is not None:
        tests.append(compare("<=" if band.high_closed else "<", subject.copy(), literal(band.high.value)))
    return exp.and_(*tests) if tests else exp.true()


def to_sql_tree(rubric: Rubric, dialect: str = "duckdb", table: str = "records", *, reasons: bool = True,
                kind: type[Compiler] = Compiler) -> exp.Select:  # fmt: skip
    """The scoring query as a sqlglot tree (see the module's docstring); `reasons=False`
    leaves out the `reasons` column, which costs more than the scores. `kind`: the compiler
    (pingfen.sql's entry points give sql/newforms.py's, which translates issue 10's forms)."""
    if Dialect.get(dialect) is None:
        raise SqlRefusal("PF803", {"dialect": dialect, "dialects": ", ".join(sorted(d for d in Dialect.classes if d))})
    refuse_untranslated(rubric.module)
    return kind(rubric, table, dialect, reasons).tree()


def to_sql(rubric: Rubric, dialect: str = "duckdb", table: str = "records", *, reasons: bool = True,
           kind: type[Compiler] = Compiler) -> str:  # fmt: skip
    """The scoring query in `dialect` (any sqlglot writes): one row per record of `table`."""
    return to_sql_tree(rubric, dialect, table, reasons=reasons, kind=kind).sql(dialect=dialect, pretty=True)

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

from collections.abc import Sequence
from decimal import Decimal
from typing import assert_never

from attrs import frozen
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from pingfen import ast
from pingfen.check.passes import Checked, check
from pingfen.evaluate.rubric import InputSpec, Rubric
from pingfen.sql import exact
from pingfen.sql.exact import NUM, SqlRefusal, case, cast, integer, literal

# The names of the columns a scored row ends with, after its nodes.
TOTAL, GRADE, REFUSAL, REFUSAL_INPUT = "total", "grade", "refusal", "refusal_input"
OWN = (TOTAL, GRADE, REFUSAL, REFUSAL_INPUT)
PREFIX = "_pf_"  # internal columns, dropped at the end
RANGE = Decimal(10) ** 14  # inputs beyond this are refused (PF800): the query's numbers have 18 integer digits


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
    def __init__(self, rubric: Rubric, table: str, dialect: str) -> None:
        self.big = exact.big_type(dialect)
        self.rubric = rubric
        self.table = table
        self.checked: Checked = check(rubric.module)
        self.layers: list[list[tuple[str, exp.Expr]]] = []
        self.count = 0
        self.env: dict[str, Frag] = {}
        self.sites: list[Site] = []
        self.scores: dict[str, Frag] = {}  # each node's column, in the order they are bound
        self.labels: set[str] = {spec.name for spec in rubric.inputs if spec.type == "label"}

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
        self.sites.append(Site(join(exp.And, reached, failing) if reached.sql != exp.true() else failing, code, input))

    # ---------------------------------------------------------------- inputs
    def inputs(self) -> None:
        for spec in self.rubric.inputs:
            raw = Frag(quoted(spec.name), 0)
            value, problems = self.input(spec, raw)
            bound = self.bind(value)
            self.env[spec.name] = bound
            for condition, code in problems:
                self.sites.append(Site(condition, code, spec.name))

    def input(self, spec: InputSpec, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        """The typed value of an input and its refusals, in `values.coerce`'s order."""
        missing = exp.Is(this=raw.sql.copy(), expression=exp.Null())
        if spec.type == "bool":
            value = exp.TryCast(this=raw.sql.copy(), to=exp.DataType.build("BOOLEAN"))
            unread = exp.and_(exp.not_(missing), exp.Is(this=value.copy(), expression=exp.Null()))
            return Frag(value, 0), [(Frag(missing, 0), "PF501"), (Frag(unread, 0), "PF502")]
        if spec.type == "label":
            text = exp.Trim(this=cast(raw.sql.copy(), exp.DataType.build("TEXT")))
            empty = exp.or_(missing, exp.EQ(this=text.copy(), expression=exp.Literal.string("")))
            known = exp.In(this=text.copy(), expressions=[exp.Literal.string(label) for label in spec.labels])
            return Frag(text, 0), [(Frag(empty, 0), "PF501"), (Frag(exp.not_(known), 0), "PF506")]
        value = exp.TryCast(this=raw.sql.copy(), to=NUM)
        unread = exp.and_(exp.not_(missing), exp.Is(this=value.copy(), expression=exp.Null()))
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
                return self.env[e.name.text]
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
        digits: list[Frag] = [self.bind(join(exp.IntDiv, na, nb))]
        rest = self.bind(join(exp.Mod, na, nb))
        steps = exact.SCALE // exact.CHUNK  # SCALE is a multiple of CHUNK
        for _ in range(steps):
            shifted = Frag(exp.Mul(this=rest.sql.copy(), expression=integer(10**exact.CHUNK)), rest.depth)
            digits.append(self.bind(join(exp.IntDiv, shifted, nb)))
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

    # ---------------------------------------------------------------- the tree
    def node(self, node: ast.Node) -> Frag:
        match node:
            case ast.Group():
                score = clamp(sum_of([self.node(c) for c in node.children]), node.max.value)
            case ast.Indicator():
                score = clamp(self.indicator(node), node.max.value)
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
        if base is not None:
            start = self.base(base, node)
        elif awards:
            start = sum_of([self.award(a, name) for a in awards])
        else:
            start = Frag(literal(top), 0)
        lost = [self.deduction(r, name) for r in deductions]
        if not lost:
            return start
        return Frag(cast(exp.Sub(this=start.sql.copy(), expression=exact.paren(sum_of(lost).sql)), NUM), max(start.depth, *(d.depth for d in lost)))

    def base(self, rule: ast.BaseRule, node: ast.Indicator) -> Frag:
        name = node.name.text
        match rule:
            case ast.Judgment():
                return self.env[(rule.input or node.name).text]
            case ast.Formula():
                return self.value(rule.expr, name, _true())
            case ast.Bands():
                subject = self.column(self.value(rule.subject, name, _true()))
                whens = [(in_band(band, subject.sql), literal(band.points.value)) for band in rule.bands]
                return self.chosen(whens, subject.depth, None)
            case ast.WhenChain():
                reached = _true()
                arms: list[tuple[exp.Expr, exp.Expr]] = []
                depth, default = 0, None
                for arm in rule.arms:
                    if arm.condition is None:
                        default = literal(arm.points.value)
                        break
                    holds = self.value(arm.condition, name, reached)
                    depth = max(depth, holds.depth)
                    arms.append((holds.sql.copy(), literal(arm.points.value)))
                    reached = join(exp.And, reached, Frag(exp.Not(this=exact.paren(holds.sql.copy())), holds.depth))
                return self.chosen(arms, depth, default)
            case ast.Match():
                subject = self.value(rule.subject, name, _true())
                last: dict[str, Decimal] = {}
                for choice in rule.arms:
                    if choice.label is not None:
                        last[choice.label.text] = choice.points.value
                otherwise = next((a.points.value for a in rule.arms if a.label is None), None)
                whens = [(exp.EQ(this=subject.sql.copy(), expression=exp.Literal.string(label)), literal(points)) for label, points in last.items()]
                return self.chosen(whens, subject.depth, literal(otherwise) if otherwise is not None else None)
            case _:
                assert_never(rule)

    def chosen(self, whens: Sequence[tuple[exp.Expr, exp.Expr]], depth: int, default: exp.Expr | None) -> Frag:
        """The points of the first arm that holds; with no default, a record no arm takes is refused (PF505)."""
        if not whens:
            assert default is not None
            return Frag(default, 0)
        points = Frag(case(*whens, default=default), depth)
        if default is not None:
            return points
        bound = self.bind(points)
        self.sites.append(Site(Frag(exp.Is(this=bound.sql.copy(), expression=exp.Null()), bound.depth), "PF505", None))
        return bound

    def award(self, rule: ast.AwardIf, name: str) -> Frag:
        holds = self.value(rule.condition, name, _true())
        return Frag(case((holds.sql.copy(), literal(rule.points.value)), default=literal(Decimal(0))), holds.depth)

    def deduction(self, rule: ast.Deduction, name: str) -> Frag:
        match rule:
            case ast.DeductIf():
                holds = self.value(rule.condition, name, _true())
                return Frag(case((holds.sql.copy(), literal(rule.points.value)), default=literal(Decimal(0))), holds.depth)
            case ast.DeductStep():
                return self.deduct_step(rule, name)
            case _:
                assert_never(rule)

    def deduct_step(self, rule: ast.DeductStep, name: str) -> Frag:
        value = self.value(rule.value, name, _true())
        reference = self.value(rule.reference, name, _true()) if rule.reference is not None else Frag(literal(Decimal(0)), 0)
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
        step, rate = rule.step.value, rule.rate.value
        if rule.counting in ("proportional", None):
            # rate × excess / step at once, when rate / step is a short decimal (0.5 per 1pp: × 50):
            # one product, no division; the walker's steps × rate is the same number
            per = exact.ratio(rate, step)
            if per is not None:
                product = exact.times_literal(excess.sql, per)
                if product is not None:
                    return Frag(product, excess.depth)
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
        return self.multiply(steps, Frag(literal(rate), 0), None, rate)

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
            self.env[let.name.text] = self.bind(self.value(let.expr, let.name.text, _true()))
        tops = [self.node(top) for top in module.top]
        scores = {n.name.text: self.scores[n.name.text] for n, _depth in ast.walk_nodes(module.top)}
        raw = self.bind(sum_of(tops))
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

    def select(self, scores: dict[str, Frag], total: Frag, grade: Frag, refusal: Frag) -> exp.Select:
        ok = exp.Is(this=refusal.sql.copy(), expression=exp.Null())
        final: list[exp.Expr] = []
        for name, frag in scores.items():
            final.append(exp.alias_(case((ok.copy(), frag.sql.copy())), name, quoted=True))
        final.append(exp.alias_(case((ok.copy(), total.sql.copy())), TOTAL, quoted=True))
        final.append(exp.alias_(case((ok.copy(), grade.sql.copy())), GRADE, quoted=True))
        codes = [(exp.EQ(this=refusal.sql.copy(), expression=integer(i)), exp.Literal.string(s.code)) for i, s in enumerate(self.sites)]
        names = [(exp.EQ(this=refusal.sql.copy(), expression=integer(i)), exp.Literal.string(s.input)) for i, s in enumerate(self.sites) if s.input is not None]
        final.append(exp.alias_(case(*codes) if codes else exp.Null(), REFUSAL, quoted=True))
        final.append(exp.alias_(case(*names) if names else exp.Null(), REFUSAL_INPUT, quoted=True))
        dropped = [quoted(spec.name) for spec in self.rubric.inputs]
        dropped += [quoted(n) for layer in self.layers for n, _ in layer]
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
        query.set("with_", exp.With(expressions=ctes)) if "with_" in exp.Select.arg_types else query.set("with", exp.With(expressions=ctes))
        return query


def compare(op: str, a: exp.Expr, b: exp.Expr) -> exp.Expr:
    kinds: dict[str, type[exp.Binary]] = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}
    return kinds[op](this=a, expression=b)


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


def to_sql_tree(rubric: Rubric, dialect: str = "duckdb", table: str = "records") -> exp.Select:
    """The scoring query as a sqlglot tree (see the module's docstring)."""
    if Dialect.get(dialect) is None:
        raise SqlRefusal("PF803", {"dialect": dialect, "dialects": ", ".join(sorted(d for d in Dialect.classes if d))})
    return Compiler(rubric, table, dialect).tree()


def to_sql(rubric: Rubric, dialect: str = "duckdb", table: str = "records") -> str:
    """The scoring query in `dialect` (any sqlglot writes): one row per record of `table`."""
    return to_sql_tree(rubric, dialect, table).sql(dialect=dialect, pretty=True)

"""The syntax tree of a rubric: frozen attrs nodes, each carrying its source span.

Spans are excluded from equality, so two trees compare equal whatever their
positions; this is what lets a formatter prove it kept the meaning of a file.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal as Lit

from attrs import field, frozen

from pingfen.diagnostics import Span

_NO_SPAN = Span.unknown()


def _span():  # type: ignore[no-untyped-def]
    return field(default=_NO_SPAN, eq=False, repr=False)


# ---------------------------------------------------------------- names and literals


@frozen
class Name:
    """A name as written (quotes and book-title marks kept), with its position."""

    text: str
    span: Span = _span()

    def __str__(self) -> str:
        return self.text


Unit = Lit["number", "percent", "pp"]


@frozen
class Number:
    """A numeric literal. `90%` is stored as 0.9 with unit percent, `5pp` as 0.05 with unit pp."""

    value: Decimal
    unit: Unit = "number"
    text: str = field(default="", eq=False)
    span: Span = _span()


# ---------------------------------------------------------------- expressions


@frozen
class Ref:
    """A reference to an input or a `let` value."""

    name: Name
    span: Span = _span()


@frozen
class Bool:
    value: bool
    span: Span = _span()


@frozen
class Neg:
    operand: Expr
    span: Span = _span()


@frozen
class Binary:
    """Arithmetic: op is one of + - * /."""

    op: str
    left: Expr
    right: Expr
    span: Span = _span()


@frozen
class Compare:
    """A comparison: op is one of = != < <= > >=."""

    op: str
    left: Expr
    right: Expr
    span: Span = _span()


@frozen
class And:
    left: Expr
    right: Expr
    span: Span = _span()


@frozen
class Or:
    left: Expr
    right: Expr
    span: Span = _span()


@frozen
class Not:
    operand: Expr
    span: Span = _span()


@frozen
class Call:
    """A call of a built-in function: min, max or abs."""

    func: str
    args: tuple[Expr, ...]
    span: Span = _span()


Expr = Number | Ref | Bool | Neg | Binary | Compare | And | Or | Not | Call


# ---------------------------------------------------------------- declarations


@frozen
class Bound:
    """One side of a domain or a band: `> 0`, `<= 100%`."""

    op: str
    value: Number
    span: Span = _span()


InputType = Lit["percent", "amount", "count", "bool", "score", "number", "label"]


@frozen
class Input:
    """`input NAME: TYPE [bounds] ["description"]`."""

    name: Name
    type: InputType
    bounds: tuple[Bound, ...] = ()
    labels: tuple[Name, ...] = ()
    description: str | None = None
    span: Span = _span()


@frozen
class Let:
    """`let NAME = EXPR`: a derived value."""

    name: Name
    expr: Expr
    span: Span = _span()


@frozen
class Grade:
    """`grade NAME >= 90`, or `grade NAME otherwise` (op and threshold None)."""

    name: Name
    op: str | None = None
    threshold: Number | None = None
    span: Span = _span()


RoundingMode = Lit["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]


@frozen
class Header:
    """The `rubric "title" { … }` block."""

    title: str
    year: Number | None = None
    total: Number | None = None
    round_places: Number | None = None
    round_mode: RoundingMode = "half_up"
    grades: tuple[Grade, ...] = ()
    span: Span = _span()


# ---------------------------------------------------------------- scoring rules


Direction = Lit["above", "below", "from"]
Counting = Lit["proportional", "whole", "started"]


@frozen
class DeductStep:
    """`deduct RATE per STEP of VALUE [above|below|from REF] [counting MODE]`.

    `deduct RATE per VALUE` is the counted form: step 1, above 0.
    """

    rate: Number
    step: Number
    value: Expr
    direction: Direction = "above"
    reference: Expr | None = None
    counting: Counting | None = None
    reason: str | None = None
    span: Span = _span()


@frozen
class DeductIf:
    """`deduct POINTS if COND`: one item of a deductive checklist."""

    points: Number
    condition: Expr
    reason: str | None = None
    span: Span = _span()


@frozen
class AwardIf:
    """`award POINTS if COND`: one item of an additive checklist."""

    points: Number
    condition: Expr
    reason: str | None = None
    span: Span = _span()


@frozen
class Band:
    """One band. low/high None mean unbounded; both None with is_else for `else`."""

    points: Number
    low: Number | None = None
    high: Number | None = None
    low_closed: bool = False
    high_closed: bool = False
    is_else: bool = False
    op: str | None = None  # the comparison as written (`>= 90%`), None for `[a, b)`
    reason: str | None = None
    span: Span = _span()


@frozen
class Bands:
    """`bands SUBJECT { band… }`: the first band containing the value gives the points."""

    subject: Expr
    bands: tuple[Band, ...]
    span: Span = _span()


@frozen
class WhenArm:
    """`when COND -> POINTS`; condition None is the closing `else`."""

    points: Number
    condition: Expr | None = None
    reason: str | None = None
    span: Span = _span()


@frozen
class WhenChain:
    """Consecutive `when` arms with an optional `else`: the first that holds wins."""

    arms: tuple[WhenArm, ...]
    span: Span = _span()


@frozen
class MatchArm:
    """`LABEL -> POINTS`; label None is `else`."""

    points: Number
    label: Name | None = None
    reason: str | None = None
    span: Span = _span()


@frozen
class Match:
    """`match SUBJECT { label -> points … }` over a label input."""

    subject: Expr
    arms: tuple[MatchArm, ...]
    span: Span = _span()


@frozen
class Judgment:
    """`judgment [INPUT]`: the evaluator's score; the input defaults to the indicator's name."""

    input: Name | None = None
    span: Span = _span()


@frozen
class Formula:
    """`score = EXPR`: the score is computed."""

    expr: Expr
    span: Span = _span()


Rule = DeductStep | DeductIf | AwardIf | Bands | WhenChain | Match | Judgment | Formula

# Rules that give the starting score; deductions subtract from it (or from the max).
BASE_RULES = (Bands, WhenChain, Match, Judgment, Formula)


# ---------------------------------------------------------------- the tree


@frozen
class Indicator:
    name: Name
    max: Number
    rules: tuple[Rule, ...]
    span: Span = _span()


@frozen
class Group:
    name: Name
    max: Number
    children: tuple[Node, ...]
    span: Span = _span()


Node = Group | Indicator


# ---------------------------------------------------------------- examples and properties


GivenKind = Lit["number", "percent", "pp", "word", "text"]


@frozen
class GivenValue:
    """A value in a `given` block, as written (ASCII forms): `12`, `95%`, `是`, `true`, or the
    contents of a "text". It reaches the rubric through the same coercion as a data file."""

    kind: GivenKind
    text: str
    span: Span = _span()

    @property
    def raw(self) -> object:
        """What a data file would hold: a Decimal for a plain number, else the text."""
        return Decimal(self.text) if self.kind == "number" else self.text


@frozen
class Given:
    """`NAME: VALUE` in a `given` block."""

    name: Name
    value: GivenValue
    span: Span = _span()


@frozen
class ExpectScore:
    """`expect NODE = 5`, `expect total = 95.83`, `expect NODE ~= 4.17` (target None is the total).
    `~=` compares the score rounded half up to as many decimals as the number has."""

    target: Name | None
    op: Lit["=", "~="]
    value: Number
    span: Span = _span()


@frozen
class ExpectGrade:
    """`expect grade = 优秀`."""

    grade: Name
    span: Span = _span()


@frozen
class ExpectError:
    """`expect error [PF503] [on INPUT]`: the record is refused."""

    code: str | None = None
    input: Name | None = None
    span: Span = _span()


Expectation = ExpectScore | ExpectGrade | ExpectError


@frozen
class Example:
    """`example "name" [from "base"] { given { … } expect … }`: a record and what it must score."""

    name: str
    base: str | None
    givens: tuple[Given, ...]
    expects: tuple[Expectation, ...]
    span: Span = _span()
    name_span: Span = _span()
    base_span: Span = _span()
    given_span: Span = _span()


@frozen
class Monotone:
    """`property monotone INPUT increasing|decreasing [for NODE]`: raising the input never
    lowers (increasing) or never raises (decreasing) the node's score; target None is the total."""

    input: Name
    direction: Lit["increasing", "decreasing"]
    target: Name | None = None
    span: Span = _span()


@frozen
class Claim:
    """`property NODE = 5 [when COND]`: on every record where COND holds, the node's score
    (target None: the total) compares with the value as stated."""

    target: Name | None
    op: str
    value: Number
    condition: Expr | None = None
    span: Span = _span()


Property = Monotone | Claim


@frozen
class Comment:
    """A `# …` comment and where it was; kept for the formatter, never part of the meaning."""

    text: str
    span: Span = _span()


Item = Header | Input | Let | Group | Indicator | Example | Property


@frozen
class Module:
    """A whole `.rule` file, in source order. Comments are kept but ignored by equality."""

    items: tuple[Item, ...]
    span: Span = _span()
    comments: tuple[Comment, ...] = field(default=(), eq=False, repr=False)

    @property
    def headers(self) -> tuple[Header, ...]:
        return tuple(i for i in self.items if isinstance(i, Header))

    @property
    def header(self) -> Header | None:
        headers = self.headers
        return headers[0] if headers else None

    @property
    def inputs(self) -> tuple[Input, ...]:
        return tuple(i for i in self.items if isinstance(i, Input))

    @property
    def lets(self) -> tuple[Let, ...]:
        return tuple(i for i in self.items if isinstance(i, Let))

    @property
    def top(self) -> tuple[Node, ...]:
        return tuple(i for i in self.items if isinstance(i, (Group, Indicator)))

    @property
    def examples(self) -> tuple[Example, ...]:
        return tuple(i for i in self.items if isinstance(i, Example))

    @property
    def properties(self) -> tuple[Property, ...]:
        return tuple(i for i in self.items if isinstance(i, (Monotone, Claim)))


def walk_nodes(nodes: tuple[Node, ...]):  # type: ignore[no-untyped-def]
    """Yield (node, depth) for every group and indicator, depth-first, in order."""
    stack = [(n, 0) for n in reversed(nodes)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        if isinstance(node, Group):
            stack.extend((c, depth + 1) for c in reversed(node.children))


def sub_expressions(expr: Expr):  # type: ignore[no-untyped-def]
    """Yield expr and every expression inside it."""
    yield expr
    if isinstance(expr, (Neg, Not)):
        yield from sub_expressions(expr.operand)
    elif isinstance(expr, (Binary, Compare, And, Or)):
        yield from sub_expressions(expr.left)
        yield from sub_expressions(expr.right)
    elif isinstance(expr, Call):
        for arg in expr.args:
            yield from sub_expressions(arg)


def rule_expressions(rule: Rule) -> tuple[Expr, ...]:
    """The top-level expressions a rule reads."""
    if isinstance(rule, DeductStep):
        return (rule.value,) + ((rule.reference,) if rule.reference is not None else ())
    if isinstance(rule, (DeductIf, AwardIf)):
        return (rule.condition,)
    if isinstance(rule, (Bands, Match)):
        return (rule.subject,)
    if isinstance(rule, WhenChain):
        return tuple(a.condition for a in rule.arms if a.condition is not None)
    if isinstance(rule, Formula):
        return (rule.expr,)
    return ()


def reason_items(rule: Rule) -> tuple[DeductStep | DeductIf | AwardIf | Band | WhenArm | MatchArm, ...]:
    """The parts of a rule that may carry an author's `reason "…"` template."""
    if isinstance(rule, (DeductStep, DeductIf, AwardIf)):
        return (rule,)
    if isinstance(rule, Bands):
        return rule.bands
    if isinstance(rule, (WhenChain, Match)):
        return rule.arms
    return ()


def judged_maxima(module: Module) -> dict[str, Decimal]:
    """For each score input, the smallest max among the indicators that judge by it."""
    maxima: dict[str, Decimal] = {}
    for node, _depth in walk_nodes(module.top):
        if isinstance(node, Indicator):
            for rule in node.rules:
                if isinstance(rule, Judgment):
                    name = (rule.input or node.name).text
                    maxima[name] = min(maxima.get(name, node.max.value), node.max.value)
    return maxima


def constant(e: Expr) -> Decimal | None:
    """The value of a literal or a negated literal (`-5`), else None."""
    if isinstance(e, Number):
        return e.value
    if isinstance(e, Neg) and isinstance(e.operand, Number):
        return -e.operand.value
    return None


def band_text(band: Band) -> str:
    """A band as written: `>= 90%`, `[80%, 90%)`, `else`."""
    if band.is_else:
        return "else"
    if band.op is not None:
        end = band.low if band.low is not None else band.high
        return f"{band.op} {end.text}"  # type: ignore[union-attr]
    assert band.low is not None and band.high is not None
    return f"{'[' if band.low_closed else '('}{band.low.text}, {band.high.text}{']' if band.high_closed else ')'}"

"""The syntax tree of a rubric: frozen attrs nodes, each carrying its source span.

Spans are excluded from equality, so two trees compare equal whatever their
positions; this is what lets a formatter prove it kept the meaning of a file.

Every class is `@frozen(repr=False)` and shares one `__repr__` (`_repr`, at the end), which
writes what attrs' would: attrs compiles a `__repr__` for each class, and for these 51 that
was 6 of the 19 ms of CPU that building them costs at every start-up (a third; issue 11,
benchmarks/README.md "fifth pass"). The other options stay attrs' defaults, each for a use
or for nothing to gain: `eq` and the hash it brings (the formatter's proof; the checker's
units are a dict keyed by expression), `match_args`, the `__weakref__` slot and
`__getstate__`/`__setstate__` (no `match` by position, no weak reference, no pickle: turning
the three off saved no measurable time, under 0.5 ms together).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeAlias, TypeGuard
from typing import Literal as Lit

import attrs
from attrs import field, frozen

from pingfen.diagnostics import Span
from pingfen.result import VetoLine

_NO_SPAN = Span.unknown()


def _span() -> Span:
    return field(default=_NO_SPAN, eq=False, repr=False)


# ---------------------------------------------------------------- names and literals


@frozen(repr=False)
class Name:
    """A name as written (quotes and book-title marks kept), with its position."""

    text: str
    span: Span = _span()

    def __str__(self) -> str:
        return self.text


Unit = Lit["number", "percent", "pp"]


@frozen(repr=False)
class Number:
    """A numeric literal. `90%` is stored as 0.9 with unit percent, `5pp` as 0.05 with unit pp."""

    value: Decimal
    unit: Unit = "number"
    text: str = field(default="", eq=False)
    span: Span = _span()

    def children(self) -> tuple[Expr, ...]:
        return ()  # a literal is an expression with no operands


# ---------------------------------------------------------------- expressions
# Each expression (Number too) states its operands once, in `children()`; the walks over
# them are written once, at the end of this module.


@frozen(repr=False)
class Ref:
    """A reference to an input or a `let` value."""

    name: Name
    span: Span = _span()

    def children(self) -> tuple[Expr, ...]:
        return ()


@frozen(repr=False)
class Bool:
    value: bool
    span: Span = _span()

    def children(self) -> tuple[Expr, ...]:
        return ()


@frozen(repr=False)
class Neg:
    operand: Expr
    span: Span = _span()

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@frozen(repr=False)
class Binary:
    """Arithmetic: op is one of + - * /."""

    op: str
    left: Expr
    right: Expr
    span: Span = _span()

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@frozen(repr=False)
class Compare:
    """A comparison: op is one of = != < <= > >=."""

    op: str
    left: Expr
    right: Expr
    span: Span = _span()

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@frozen(repr=False)
class And:
    left: Expr
    right: Expr
    span: Span = _span()

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@frozen(repr=False)
class Or:
    left: Expr
    right: Expr
    span: Span = _span()

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@frozen(repr=False)
class Not:
    operand: Expr
    span: Span = _span()

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


# The functions that read a panel's list of values (`min` and `max` read one too).
AGGREGATES = ("mean", "median", "trimmed_mean", "count")
# The functions of two dates: the days, or the calendar months, from the first to the second.
DURATIONS = ("days", "months")


@frozen(repr=False)
class Call:
    """A call of a built-in function: min, max or abs; or one of AGGREGATES (or min or max)
    over a list input, its one argument."""

    func: str
    args: tuple[Expr, ...]
    span: Span = _span()

    def children(self) -> tuple[Expr, ...]:
        return self.args


@frozen(repr=False)
class IfElse:
    """`if COND then A else B`: a value chosen by a condition (`else if` chains them)."""

    condition: Expr
    then: Expr
    otherwise: Expr
    span: Span = _span()

    def children(self) -> tuple[Expr, ...]:
        return (self.condition, self.then, self.otherwise)


@frozen(repr=False)
class Round:
    """`round(VALUE, PLACES[, MODE])`: a value rounded where the rubric says (保留两位小数)."""

    value: Expr
    places: Number
    mode: RoundingMode = "half_up"
    span: Span = _span()

    def children(self) -> tuple[Expr, ...]:
        return (self.value,)


Expr: TypeAlias = Number | Ref | Bool | Neg | Binary | Compare | And | Or | Not | Call | IfElse | Round


# ---------------------------------------------------------------- declarations


@frozen(repr=False)
class Bound:
    """One side of a domain or a band: `> 0`, `<= 100%`."""

    op: str
    value: Number
    span: Span = _span()


InputType = Lit["percent", "amount", "count", "bool", "score", "number", "label", "date"]


@frozen(repr=False)
class Batch:
    """`batch FUNC(EXPR)`: EXPR (over inputs) worked out for every record of a batch, then
    summed up as one value (min, max, mean, median, count), or each record's rank (1 = highest)."""

    func: str
    expr: Expr
    span: Span = _span()


BATCH_FUNCS = ("min", "max", "mean", "median", "count", "rank")


@frozen(repr=False)
class Input:
    """`input NAME: TYPE [precision P] [bounds] ["description"]`. `input NAME: list of [N] TYPE`
    is a panel: several values of TYPE (each within the bounds), read through `mean`, `median`, … ;
    `size` is how many the data-entry template has columns for."""

    name: Name
    type: InputType
    bounds: tuple[Bound, ...] = ()
    labels: tuple[Name, ...] = ()
    description: str | None = None
    span: Span = _span()
    is_list: bool = False
    size: Number | None = None
    # `let NAME = batch FUNC(EXPR)`: a value across a batch, which reaches a record as an input
    # would (a batch fills it in; a record scored alone must carry it). Its `type` is a
    # placeholder: the checker works out its unit from EXPR.
    batch: Batch | None = None
    precision: Number | None = None  # `precision 0.01%`: values are rounded to it when read


@frozen(repr=False)
class Let:
    """`let NAME = EXPR`: a derived value."""

    name: Name
    expr: Expr
    span: Span = _span()


@frozen(repr=False)
class Grade:
    """`grade NAME >= 90`, or `grade NAME otherwise` (op and threshold None)."""

    name: Name
    op: str | None = None
    threshold: Number | None = None
    span: Span = _span()
    # `grade 优秀 >= 90 if 无否决项 and 满意度 >= 90%`: given only when the condition holds too
    condition: Expr | None = None


RoundingMode = Lit["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]


@frozen(repr=False)
class Header:
    """The `rubric "title" { … }` block."""

    title: str
    year: Number | None = None
    total: Number | None = None
    round_places: Number | None = None
    round_mode: RoundingMode = "half_up"
    grades: tuple[Grade, ...] = ()
    span: Span = _span()
    # `cap total 100` (加分后总分不超过100分): the most the total may reach once bonus rows are added
    cap: Number | None = None


# ---------------------------------------------------------------- scoring rules
# Each rule states its own parts once, and nothing else needs to know its shape to find them:
#   role            "base" (gives the starting score), "award" (adds to a start of 0) or
#                   "deduction" (takes from the start, or from the max);
#   switch()        its trailing `if COND`, when it counts only where COND holds (else None);
#   expressions()   the expressions it reads, at the top (walk_expressions goes inside them);
#   reason_items()  the parts that may carry an author's `reason "…"` template;
#   arm_points()    the fixed points it gives, arm by arm: empty when its points are computed
#                   (judgment, formula) or taken (deductions);
#   branches()      the ways through it that coverage counts, as the walker reports them;
#   thresholds(top) where its score may change, for the test generators (top: the max of
#                   its indicator, where a deduction has taken every point).
# A branch on the kind of rule is a `match` ending in assert_never, so that a new class in
# the unions below makes mypy name every place that must handle it.

Role = Lit["base", "award", "deduction"]

Direction = Lit["above", "below", "from"]
Counting = Lit["proportional", "whole", "started"]


@frozen(repr=False)
class DeductStep:
    """`deduct RATE per STEP of VALUE [above|below|from REF] [counting MODE]`.

    `deduct RATE per VALUE` is the counted form: step 1, above 0.
    """

    role: ClassVar[Role] = "deduction"

    rate: Number
    step: Number
    value: Expr
    direction: Direction = "above"
    reference: Expr | None = None
    counting: Counting | None = None
    reason: str | None = None
    span: Span = _span()
    guard: Expr | None = None  # a trailing `if COND`: the rule takes nothing unless COND holds

    def switch(self) -> Expr | None:
        return self.guard

    def expressions(self) -> tuple[Expr, ...]:
        own = (self.value,) if self.reference is None else (self.value, self.reference)
        return _guarded(own, self.guard)

    def reason_items(self) -> tuple[Reasoned, ...]:
        return (self,)

    def arm_points(self) -> tuple[Number, ...]:
        return ()

    def branches(self) -> tuple[Branch, ...]:
        if self.reference is None:
            text: tuple[Piece, ...] = ("deduct ", self.rate, " per ", self.value)
        else:
            text = ("deduct ", self.rate, " per ", self.step, " of ", self.value, f" {self.direction} ", self.reference)
        sides: dict[Direction, tuple[Status, ...]] = {
            "above": ("within", "over"),
            "below": ("within", "under"),
            "from": ("under", "at", "over"),
        }
        found = tuple(Branch(side, text, self.span, status=True) for side in sides[self.direction])
        return found + _off(self.guard, self.span)

    def thresholds(self, top: Decimal) -> tuple[Threshold, ...]:
        # the reference, one step past it, and where the deduction has taken every point
        reference = constant(self.reference) if self.reference is not None else Decimal(0)
        if reference is None:  # a reference that is itself computed: the difference reaches 0
            assert self.reference is not None
            value: Expr = Binary("-", self.value, self.reference)
            reference = Decimal(0)
        else:
            value = self.value
        found = [Threshold("deduction", value, reference)]
        with decimal.localcontext(decimal.Context(prec=28)):
            spent = top / self.rate.value * self.step.value if self.rate.value > 0 else None
            for sign in {"above": (1,), "below": (-1,), "from": (1, -1)}[self.direction]:
                found.append(Threshold("deduction", value, reference + sign * self.step.value))
                if spent is not None:
                    found.append(Threshold("deduction", value, reference + sign * spent))
        return tuple(found)


@frozen(repr=False)
class DeductIf:
    """`deduct POINTS if COND`: one item of a deductive checklist."""

    role: ClassVar[Role] = "deduction"

    points: Number
    condition: Expr
    reason: str | None = None
    span: Span = _span()

    def switch(self) -> Expr | None:
        return None  # its own condition is its switch

    def expressions(self) -> tuple[Expr, ...]:
        return (self.condition,)

    def reason_items(self) -> tuple[Reasoned, ...]:
        return (self,)

    def arm_points(self) -> tuple[Number, ...]:
        return ()  # it takes its points, it gives none

    def branches(self) -> tuple[Branch, ...]:
        text = ("deduct ", self.points, " if ", self.condition)
        return (Branch("triggered", text, self.span, status=True), Branch("not triggered", text, self.span, status=True))

    def thresholds(self, top: Decimal) -> tuple[Threshold, ...]:
        return (Threshold("checklist", self.condition),)


@frozen(repr=False)
class AwardIf:
    """`award POINTS if COND`: one item of an additive checklist."""

    role: ClassVar[Role] = "award"

    points: Number
    condition: Expr
    reason: str | None = None
    span: Span = _span()

    def switch(self) -> Expr | None:
        return None  # its own condition is its switch

    def expressions(self) -> tuple[Expr, ...]:
        return (self.condition,)

    def reason_items(self) -> tuple[Reasoned, ...]:
        return (self,)

    def arm_points(self) -> tuple[Number, ...]:
        return (self.points,)

    def branches(self) -> tuple[Branch, ...]:
        text = ("award ", self.points, " if ", self.condition)
        return (Branch("held", text, self.span, status=True), Branch("missed", text, self.span, status=True))

    def thresholds(self, top: Decimal) -> tuple[Threshold, ...]:
        return (Threshold("checklist", self.condition),)


@frozen(repr=False)
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


@frozen(repr=False)
class Bands:
    """`bands SUBJECT { band… }`: the first band containing the value gives the points."""

    role: ClassVar[Role] = "base"

    subject: Expr
    bands: tuple[Band, ...]
    span: Span = _span()
    guard: Expr | None = None  # a trailing `if COND`: the rule gives nothing unless COND holds

    def switch(self) -> Expr | None:
        return self.guard

    def expressions(self) -> tuple[Expr, ...]:
        return _guarded((self.subject,), self.guard)

    def reason_items(self) -> tuple[Reasoned, ...]:
        return self.bands

    def arm_points(self) -> tuple[Number, ...]:
        return tuple(b.points for b in self.bands)

    def branches(self) -> tuple[Branch, ...]:
        found = tuple(Branch("band", (b, " -> ", b.points), b.span, arm=j) for j, b in enumerate(self.bands))
        return found + _off(self.guard, self.span)

    def thresholds(self, top: Decimal) -> tuple[Threshold, ...]:
        ends = (end for b in self.bands for end in (b.low, b.high) if end is not None)
        return tuple(Threshold("band", self.subject, end.value) for end in ends)


@frozen(repr=False)
class WhenArm:
    """`when COND -> POINTS`; condition None is the closing `else`."""

    points: Number
    condition: Expr | None = None
    reason: str | None = None
    span: Span = _span()


@frozen(repr=False)
class WhenChain:
    """Consecutive `when` arms with an optional `else`: the first that holds wins."""

    role: ClassVar[Role] = "base"

    arms: tuple[WhenArm, ...]
    span: Span = _span()
    guard: Expr | None = None

    def switch(self) -> Expr | None:
        return self.guard

    def expressions(self) -> tuple[Expr, ...]:
        return _guarded(tuple(a.condition for a in self.arms if a.condition is not None), self.guard)

    def reason_items(self) -> tuple[Reasoned, ...]:
        return self.arms

    def arm_points(self) -> tuple[Number, ...]:
        return tuple(a.points for a in self.arms)

    def branches(self) -> tuple[Branch, ...]:
        return tuple(
            Branch("arm", (("else",) if a.condition is None else ("when ", a.condition)) + (" -> ", a.points), a.span, arm=j)
            for j, a in enumerate(self.arms)
        ) + _off(self.guard, self.span)

    def thresholds(self, top: Decimal) -> tuple[Threshold, ...]:
        return tuple(Threshold("when arm", a.condition) for a in self.arms if a.condition is not None)


@frozen(repr=False)
class MatchArm:
    """`LABEL -> POINTS`; label None is `else`."""

    points: Number
    label: Name | None = None
    reason: str | None = None
    span: Span = _span()


@frozen(repr=False)
class Match:
    """`match SUBJECT { label -> points … }` over a label input."""

    role: ClassVar[Role] = "base"

    subject: Expr
    arms: tuple[MatchArm, ...]
    span: Span = _span()
    guard: Expr | None = None

    def switch(self) -> Expr | None:
        return self.guard

    def expressions(self) -> tuple[Expr, ...]:
        return _guarded((self.subject,), self.guard)

    def reason_items(self) -> tuple[Reasoned, ...]:
        return self.arms

    def arm_points(self) -> tuple[Number, ...]:
        return tuple(a.points for a in self.arms)

    def branches(self) -> tuple[Branch, ...]:
        return tuple(
            Branch("arm", ("else" if a.label is None else a.label, " -> ", a.points), a.span, arm=j)
            for j, a in enumerate(self.arms)
        ) + _off(self.guard, self.span)

    def thresholds(self, top: Decimal) -> tuple[Threshold, ...]:
        return ()  # labels: nothing to sit beside


@frozen(repr=False)
class Judgment:
    """`judgment [INPUT]`: the evaluator's score; the input defaults to the indicator's name."""

    role: ClassVar[Role] = "base"

    input: Name | None = None
    span: Span = _span()
    guard: Expr | None = None

    def switch(self) -> Expr | None:
        return self.guard

    def expressions(self) -> tuple[Expr, ...]:
        return _guarded((), self.guard)

    def reason_items(self) -> tuple[Reasoned, ...]:
        return ()

    def arm_points(self) -> tuple[Number, ...]:
        return ()

    def branches(self) -> tuple[Branch, ...]:
        return (Branch("judged", ("judgment",), self.span),) + _off(self.guard, self.span)

    def thresholds(self, top: Decimal) -> tuple[Threshold, ...]:
        return ()  # a judged score: any value of its domain


@frozen(repr=False)
class Formula:
    """`score = EXPR`: the score is computed."""

    role: ClassVar[Role] = "base"

    expr: Expr
    span: Span = _span()
    guard: Expr | None = None

    def switch(self) -> Expr | None:
        return self.guard

    def expressions(self) -> tuple[Expr, ...]:
        return _guarded((self.expr,), self.guard)

    def reason_items(self) -> tuple[Reasoned, ...]:
        return ()

    def arm_points(self) -> tuple[Number, ...]:
        return ()

    def branches(self) -> tuple[Branch, ...]:
        return (Branch("formula", ("score = ", self.expr), self.span),) + _off(self.guard, self.span)

    def thresholds(self, top: Decimal) -> tuple[Threshold, ...]:
        return ()  # a computed score changes everywhere, no edge to sit on


def _guarded(own: tuple[Expr, ...], guard: Expr | None) -> tuple[Expr, ...]:
    return own if guard is None else (*own, guard)


def _off(guard: Expr | None, span: Span) -> tuple[Branch, ...]:
    """A rule switched by a trailing `if COND` has one more way through: switched off."""
    return () if guard is None else (Branch("off", ("if ", guard), span, status=True),)


# The rules by role, and all of them; each class's `role` says the same (tests/test_node_parts.py).
Deduction: TypeAlias = DeductStep | DeductIf
Award: TypeAlias = AwardIf
BaseRule: TypeAlias = Bands | WhenChain | Match | Judgment | Formula
Rule: TypeAlias = Deduction | Award | BaseRule

# The parts of a rule that may carry a `reason "…"` template.
Reasoned: TypeAlias = DeductStep | DeductIf | AwardIf | Band | WhenArm | MatchArm

# A branch's text, in pieces the formatter writes as they are written: words as they are,
# an expression, a band's condition (`>= 90%`), a match label.
Piece: TypeAlias = str | Expr | Band | Name

# The outcomes of a rule that gives or takes its points by a test, each counted as a branch.
Status = Lit["held", "missed", "triggered", "not triggered", "within", "over", "under", "at", "off"]


@frozen(repr=False)
class Branch:
    """One way through a rule, as coverage counts it (`pingfen test --coverage`). `event` is
    the walker's word for taking it: "band", "arm" (with `arm`, its index), "judged",
    "formula", or, when `status` is set, an outcome (`Status`) shown after the text."""

    event: str
    text: tuple[Piece, ...]
    span: Span
    arm: int | None = None
    status: bool = False


@frozen(repr=False)
class Threshold:
    """Where a rule's score may change, for the test generators (pingfen.testing): `value`
    reaching `at`; with `at` None, `value` is a condition and each comparison in it is one.
    `what` names what gives it, for reports: "band", "when arm", "checklist", "deduction"."""

    what: str
    value: Expr
    at: Decimal | None = None


class RuleParts(Protocol):
    """The parts every rule states (see the list above the rule classes)."""

    role: ClassVar[Role]

    def switch(self) -> Expr | None: ...
    def expressions(self) -> tuple[Expr, ...]: ...
    def reason_items(self) -> tuple[Reasoned, ...]: ...
    def arm_points(self) -> tuple[Number, ...]: ...
    def branches(self) -> tuple[Branch, ...]: ...
    def thresholds(self, top: Decimal) -> tuple[Threshold, ...]: ...


if TYPE_CHECKING:  # a rule class that leaves out a part is named here by mypy, not at each use

    def _states_its_parts(rule: Rule) -> RuleParts:
        return rule


def guard_of(rule: Rule) -> Expr | None:
    """A rule's trailing `if COND` (its `switch()`); a checklist item has none."""
    return rule.switch()


def is_base(rule: Rule) -> TypeGuard[BaseRule]:
    return rule.role == "base"


def is_award(rule: Rule) -> TypeGuard[Award]:
    return rule.role == "award"


def is_deduction(rule: Rule) -> TypeGuard[Deduction]:
    return rule.role == "deduction"


# ---------------------------------------------------------------- the tree

# What a row that does not apply counts as: its max (按满分计算), 0, or nothing, its
# parent's score re-scaled over the rows that apply (折算: 得分 ÷ 适用分值 × 分值).
AppliesMode = Lit["full", "zero", "rescale"]


@frozen(repr=False)
class Applies:
    """`applies [if COND] else MODE`: the row applies when COND holds (no COND: always) and
    no input it reads is marked 不适用 in the data; else it counts as MODE says."""

    mode: AppliesMode
    condition: Expr | None = None
    span: Span = _span()


@frozen(repr=False)
class Indicator:
    name: Name
    max: Number
    rules: tuple[Rule, ...]
    span: Span = _span()
    # `{ pending "由各省自行制定" }`: criteria not yet set, with the text that says so. No record
    # is scored by such a rubric (PF542) until a file that `extends` it writes the row.
    pending: str | None = None
    applies: Applies | None = None
    round_places: Number | None = None  # `round 2 [MODE]`: the score, clamped, is rounded so
    round_mode: RoundingMode = "half_up"
    # An adjust row's lower end (加减分项, `adjust NAME -2 .. +2`): its rules start from 0 and its
    # score is kept in [low, max], signed. None for every other row: from its max, in [0, max].
    low: Number | None = None


@frozen(repr=False)
class Group:
    name: Name
    max: Number
    children: tuple[Node, ...]
    span: Span = _span()
    applies: Applies | None = None
    round_places: Number | None = None  # `round 2 [MODE]`: the sum, re-scaled and clamped, is rounded so
    round_mode: RoundingMode = "half_up"


Node = Group | Indicator

# A row outside the tree (加分项 / 扣分项): scored as an indicator in [0, max], then a bonus
# adds its score to the total and a penalty takes its lost points (max − score) from it.
OutsideKind = Lit["bonus", "penalty", "adjust"]


@frozen(repr=False)
class Outside:
    """`bonus NAME N { rules }`, `penalty NAME N { rules }` or `adjust NAME -A .. +B { rules }`, after the tree."""

    kind: OutsideKind
    row: Indicator
    span: Span = _span()

    def counted(self, score: Decimal) -> Decimal:
        """What the row adds to the total (a penalty: a negative number) given its row's score."""
        return score - self.row.max.value if self.kind == "penalty" else score  # an adjust row's is signed


# 一票否决: `veto NAME if COND -> zero | below GRADE | grade GRADE`.
VetoAction = Lit["zero", "below", "grade"]


@frozen(repr=False)
class Veto:
    """When `condition` holds: the total is 0 (zero), no grade from the first down to `grade`
    is given (below: 不得评为优秀), or the grade is `grade` (grade)."""

    name: Name
    condition: Expr
    action: VetoAction
    grade: Name | None = None
    span: Span = _span()

    def line(self, grades: Sequence[str]) -> VetoLine:
        """The veto as a result's reason and the published table say it, given the grades' names,
        the highest first: the one place that reads it off the tree (VetoLine sits below the AST)."""
        return VetoLine.of(self.name.text, self.action, self.grade.text if self.grade else None, grades)


# ---------------------------------------------------------------- examples and properties


GivenKind = Lit["number", "percent", "pp", "word", "text"]


@frozen(repr=False)
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


@frozen(repr=False)
class Given:
    """`NAME: VALUE` in a `given` block."""

    name: Name
    value: GivenValue
    span: Span = _span()


@frozen(repr=False)
class ExpectScore:
    """`expect NODE = 5`, `expect total = 95.83`, `expect NODE ~= 4.17` (target None is the total).
    `~=` compares the score rounded half up to as many decimals as the number has."""

    target: Name | None
    op: Lit["=", "~="]
    value: Number
    span: Span = _span()


@frozen(repr=False)
class ExpectGrade:
    """`expect grade = 优秀`."""

    grade: Name
    span: Span = _span()


@frozen(repr=False)
class ExpectError:
    """`expect error [PF503] [on INPUT]`: the record is refused."""

    code: str | None = None
    input: Name | None = None
    span: Span = _span()


Expectation = ExpectScore | ExpectGrade | ExpectError


@frozen(repr=False)
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


@frozen(repr=False)
class Monotone:
    """`property monotone INPUT increasing|decreasing [for NODE]`: raising the input never
    lowers (increasing) or never raises (decreasing) the node's score; target None is the total."""

    input: Name
    direction: Lit["increasing", "decreasing"]
    target: Name | None = None
    span: Span = _span()


@frozen(repr=False)
class Claim:
    """`property NODE = 5 [when COND]`: on every record where COND holds, the node's score
    (target None: the total) compares with the value as stated."""

    target: Name | None
    op: str
    value: Number
    condition: Expr | None = None
    span: Span = _span()


Property = Monotone | Claim


@frozen(repr=False)
class Comment:
    """A `# …` comment and where it was; kept for the formatter, never part of the meaning."""

    text: str
    span: Span = _span()


# ---------------------------------------------------------------- extending another file
# A file that starts `extends "PATH"` is the file at PATH changed by what follows; the
# loader resolves it (syntax/extends.py) into one ordinary Module, with none of these left.


@frozen(repr=False)
class Extends:
    """`extends "PATH"`: PATH is relative to the file that says it."""

    path: str
    span: Span = _span()


@frozen(repr=False)
class Remove:
    """`remove NAME` (a group or indicator) or `remove input NAME` (an input or `let`)."""

    name: Name
    input: bool = False
    span: Span = _span()


@frozen(repr=False)
class AddTo:
    """`add to GROUP { … }`: rows added at the end of a group of the base file."""

    group: Name
    children: tuple[Node, ...]
    span: Span = _span()


@frozen(repr=False)
class SetMax:
    """`max NAME N`: the max of a group or indicator of the base file, changed."""

    name: Name
    max: Number
    span: Span = _span()


Change = Extends | Remove | AddTo | SetMax

Item = Header | Input | Let | Group | Indicator | Outside | Veto | Example | Property | Change


@frozen(repr=False)
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
    def applies_modes(self) -> dict[str, AppliesMode]:
        """What each group or indicator with an `applies` counts as when it does not apply, by name."""
        return {node.name.text: node.applies.mode for node, _ in walk_nodes(self.top) if node.applies}

    @property
    def outside(self) -> tuple[Outside, ...]:
        """The bonus and penalty rows, in source order."""
        return tuple(i for i in self.items if isinstance(i, Outside))

    @property
    def lows(self) -> tuple[tuple[str, Decimal], ...]:
        """Each adjust row's lower end, by its name (加减分项: its score is signed)."""
        return tuple((o.row.name.text, o.row.low.value) for o in self.outside if o.row.low is not None)

    @property
    def vetoes(self) -> tuple[Veto, ...]:
        """The 一票否决 lines, in source order."""
        return tuple(i for i in self.items if isinstance(i, Veto))

    @property
    def rows(self) -> tuple[Node, ...]:
        """The top of the tree, then the rows of the bonus and penalty lines: every row a name is given to."""
        return (*self.top, *(o.row for o in self.outside))

    @property
    def examples(self) -> tuple[Example, ...]:
        return tuple(i for i in self.items if isinstance(i, Example))

    @property
    def properties(self) -> tuple[Property, ...]:
        return tuple(i for i in self.items if isinstance(i, (Monotone, Claim)))

    @property
    def changes(self) -> tuple[Change, ...]:
        """`extends` and the changes to the base file: empty in a file that extends none."""
        return tuple(i for i in self.items if isinstance(i, (Extends, Remove, AddTo, SetMax)))


def walk_nodes(nodes: tuple[Node, ...]) -> Iterator[tuple[Node, int]]:
    """Yield (node, depth) for every group and indicator, depth-first, in order."""
    stack: list[tuple[Node, int]] = [(n, 0) for n in reversed(nodes)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        if isinstance(node, Group):
            stack.extend((c, depth + 1) for c in reversed(node.children))


def walk_expressions(*roots: Expr) -> Iterator[Expr]:
    """Yield each root and every expression inside it, each before its operands, in source
    order. Iterative: a deeply nested expression costs no recursion. For a rule's, pass
    `*rule.expressions()`."""
    stack = list(reversed(roots))
    while stack:
        e = stack.pop()
        yield e
        stack.extend(reversed(e.children()))



def judged_maxima(module: Module) -> dict[str, Decimal]:
    """For each score input, the smallest max among the indicators that judge by it."""
    maxima: dict[str, Decimal] = {}
    for node, _depth in walk_nodes(module.rows):
        if isinstance(node, Indicator):
            for rule in node.rules:
                if isinstance(rule, Judgment):
                    name = (rule.input or node.name).text
                    maxima[name] = min(maxima.get(name, node.max.value), node.max.value)
    return maxima


PanelRead = tuple[str, str, str]  # (function, panel input, the type of its values)


def panels_read(roots: tuple[Expr, ...], panels: Mapping[str, str], lets: Mapping[str, Expr]) -> tuple[PanelRead, ...]:
    """The panels the expressions read through a function (`trimmed_mean(专家评分)`), through
    their lets too, each (function, panel, type) once, in the order met: what a reason shows
    of them. `panels` maps each list input to its values' type, `lets` each let to its expression."""
    found: dict[PanelRead, None] = {}
    seen: set[str] = set()
    stack = list(reversed(roots))
    while stack:
        for x in walk_expressions(stack.pop()):
            if isinstance(x, Call) and len(x.args) == 1 and isinstance(x.args[0], Ref) and x.args[0].name.text in panels:
                name = x.args[0].name.text
                found.setdefault((x.func, name, panels[name]), None)
            elif isinstance(x, Ref) and x.name.text in lets and x.name.text not in seen:
                seen.add(x.name.text)
                stack.append(lets[x.name.text])
    return tuple(found)


def if_chain(e: IfElse) -> tuple[tuple[Expr, ...], tuple[Expr, ...]]:
    """`if C1 then A1 else if C2 then A2 else B` as its conditions (C1, C2) and its arms
    (A1, A2, B): the arm after the first condition that holds, else the last, is the value."""
    conditions: list[Expr] = []
    arms: list[Expr] = []
    current: Expr = e
    while isinstance(current, IfElse):
        conditions.append(current.condition)
        arms.append(current.then)
        current = current.otherwise
    return tuple(conditions), (*arms, current)


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
        assert end is not None  # a band with an operator has its one end
        return f"{band.op} {end.text}"
    assert band.low is not None and band.high is not None
    return f"{'[' if band.low_closed else '('}{band.low.text}, {band.high.text}{']' if band.high_closed else ')'}"


def names_read(*exprs: Expr) -> set[str]:
    """Every name the expressions read (inputs, lets, labels named bare)."""
    return {e.name.text for e in walk_expressions(*exprs) if isinstance(e, Ref)}


def closure(names: set[str], needs: Mapping[str, set[str]]) -> set[str]:
    """The names and, through lets (`needs`: a let → the names it reads), every name they
    need. Walked for each use rather than kept for each let: a chain of n lets would keep n²/2."""
    found = set(names)
    pending = [n for n in names if n in needs]
    while pending:
        for read in needs[pending.pop()]:
            if read not in found:
                found.add(read)
                if read in needs:
                    pending.append(read)
    return found


def rebuild(value: object, replace: Callable[[object], object | None]) -> object:
    """`value` (a module or any part of one) with each part that `replace` answers replaced by
    its answer (and not looked into); every other attrs node and tuple rebuilt around them.
    Recursion is bounded by the parser's MAX_DEPTH."""
    new = replace(value)
    if new is not None:
        return new
    if isinstance(value, tuple):
        return tuple(rebuild(v, replace) for v in value)
    cls = type(value)
    if attrs.has(cls):
        return cls(**{f.alias: rebuild(getattr(value, f.name), replace) for f in attrs.fields(cls)})
    return value  # str, Decimal, bool, None


def _repr(node: attrs.AttrsInstance) -> str:
    """attrs' repr of a node: its class, then each field shown (`repr=True`) by name, in order."""
    shown = ", ".join(f"{f.name}={getattr(node, f.name)!r}" for f in attrs.fields(type(node)) if f.repr)
    return f"{type(node).__qualname__}({shown})"


for _cls in tuple(globals().values()):
    if isinstance(_cls, type) and attrs.has(_cls) and _cls.__module__ == __name__:
        # (setattr: mypy refuses a method assigned to a class)
        setattr(_cls, "__repr__", _repr)  # noqa: B010
del _cls  # the loop's name, not part of the module

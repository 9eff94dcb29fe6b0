"""Hypothesis strategies for a rubric's records, for embedders' own tests (docs/testing.md).

    from hypothesis import given
    from pingfen.testing import inputs, boundary_inputs

    rubric = pingfen.load("rulesets/dept-overall-2021.rule")

    @given(boundary_inputs(rubric))
    def test_never_refused(record):
        rubric.evaluate(record, ratios=True)

`inputs(rubric)` draws whole records that honour every declared type and domain: counts
are whole and >= 0, amounts >= 0, scores in [0, the max of the indicator judging them],
declared bounds hold, labels are the declared ones; an input the data may mark 不适用 is
sometimes so marked (half the records mark nothing; the others each such input one time in
four). `boundary_inputs(rubric)` draws records
of the same kind, then moves some inputs so that the record sits at, or one data step either
side of, a threshold the rubric contains: a band end, a comparison in a `when` arm, a
checklist item, a property or a domain bound, a deduction's reference and the value at which
the deduction takes every point, and a grade boundary of the rounded total. The thresholds
are read from the syntax tree; a threshold on a computed value (`在职人数 / 编制人数 > 100%`,
`结余 <= 上年结转`, the total) is reached by solving for one input, by bisection over its
data steps.

Data steps: 0.01 percentage point for percents, 1 for counts, 0.01 for amounts, scores
and numbers, or an input's `precision` where it is coarser. Percents are drawn as exact ratios (0.95 for 95%, 1.5 for 150%), counts as
ints, other numbers as exact Decimals; score them with `evaluate(record, ratios=True)`,
which takes a ratio above 100% as it is (a data file writes it `"150%"`). Requires hypothesis (`pip install pingfen[testing]`).
Every helper computes in pingfen's own decimal context (`values.pinned`), whatever the caller's.
"""

from __future__ import annotations

import decimal
import weakref
from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from attrs import evolve, frozen
from hypothesis import strategies as st

from pingfen import ast
from pingfen.absent import Absent
from pingfen.check.passes import check
from pingfen.errors import DataError, EmptyDomain
from pingfen.evaluate.rubric import InputSpec, Rubric, given_rubric
from pingfen.values import at_precision, pinned

__all__ = ["STEPS", "Target", "boundary_inputs", "boundary_records", "boundary_values", "drawn_specs", "input_values", "inputs", "targets"]

STEPS: dict[str, Decimal] = {
    "percent": Decimal("0.0001"),
    "count": Decimal(1),
    "amount": Decimal("0.01"),
    "score": Decimal("0.01"),
    "number": Decimal("0.01"),
    "date": Decimal(1),  # a day (`values.to_date`: a date is its day number)
}
# Where a domain with no declared end stops, in the input's own unit.
_DEFAULT_RANGE: dict[str, tuple[Decimal, Decimal]] = {
    "percent": (Decimal(-1), Decimal(3)),
    "count": (Decimal(0), Decimal(1000)),
    "amount": (Decimal(0), Decimal(100000)),
    "score": (Decimal(0), Decimal(100)),
    "number": (Decimal(-10000), Decimal(10000)),
    "date": (Decimal(43831), Decimal(47483)),  # 2020-01-01 … 2029-12-31
}
# A coarser grid drawn half the time, so that records look like real ones (95%, 12.00).
_COARSE: dict[str, int] = {"percent": 100, "count": 1, "amount": 100, "score": 50, "number": 100, "date": 30}


# ---------------------------------------------------------------- one input


def data_step(spec: InputSpec) -> Decimal:
    """The input's data step: its kind's (STEPS), or its `precision` where that is coarser,
    since a value between two of its steps is read as one of them (89.99% as 90% under
    `precision 1%`), and the value beside a threshold would be read as on it."""
    step = STEPS[spec.type]
    return spec.precision if spec.precision is not None and spec.precision > step else step


@pinned
def grid_range(spec: InputSpec) -> tuple[int, int]:
    """The input's domain as [lo, hi] in whole data steps (default ends where undeclared)."""
    step = data_step(spec)
    lo_value, hi_value = _DEFAULT_RANGE[spec.type]
    lo, hi = int(lo_value / step), int(hi_value / step)
    for op, bound in spec.bounds:
        at = bound / step
        if op == ">=":
            lo = max(lo, int(at.to_integral_value(ROUND_CEILING)))
        elif op == ">":
            lo = max(lo, int(at.to_integral_value(ROUND_FLOOR)) + 1)
        elif op == "<=":
            hi = min(hi, int(at.to_integral_value(ROUND_FLOOR)))
        elif op == "<":
            hi = min(hi, int(at.to_integral_value(ROUND_CEILING)) - 1)
    if spec.type in ("count", "amount", "score"):
        lo = max(lo, 0)
    if lo > hi:
        raise EmptyDomain(spec.name)
    return lo, hi


@pinned
def from_grid(spec: InputSpec, n: int) -> object:
    """The value n data steps from zero, as a record holds it."""
    if spec.type == "count":  # a count has no precision (PF210): its step is 1
        return n
    exponent = data_step(spec).adjusted()  # a step is a power of ten (a precision too: PF210)
    return Decimal(n * 10**exponent) if exponent > 0 else Decimal(n).scaleb(exponent)


@pinned
def to_grid(spec: InputSpec, value: object) -> int:
    return int((Decimal(value) / data_step(spec)).to_integral_value(ROUND_FLOOR))  # type: ignore[arg-type]  # a record's number: int or Decimal


@pinned
def input_values(spec: InputSpec) -> st.SearchStrategy[object]:
    """Every value of one input's domain, on its data steps."""
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "label":
        return st.sampled_from(spec.labels)
    if spec.is_list:  # a panel: three experts or more, each on the data steps
        one = input_values(evolve(spec, is_list=False))
        return st.lists(one, min_size=3, max_size=max(3, spec.size or 5))
    lo, hi = grid_range(spec)
    k = max(1, int(_COARSE[spec.type] * STEPS[spec.type] / data_step(spec)))  # as coarse as without a precision
    fine = st.integers(lo, hi)
    coarse_lo, coarse_hi = -(-lo // k), hi // k
    grid = st.one_of(st.integers(coarse_lo, coarse_hi).map(lambda n: n * k), fine) if coarse_lo <= coarse_hi else fine
    return grid.map(lambda n: from_grid(spec, n))


_DRAWN: weakref.WeakKeyDictionary[Rubric, tuple[InputSpec, ...]] = weakref.WeakKeyDictionary()
# The functions whose value over a batch lies within the values' own bounds (a mean and a median too)
_WITHIN = frozenset({"min", "max", "mean", "median"})


def drawn_specs(rubric: Rubric) -> tuple[InputSpec, ...]:
    """The rubric's inputs as records are drawn from them: a value across the batch (`let 基准价
    = batch min(报价)`, which a record may carry) within what the batch can give, as the checker
    reads it — the least of bids `> 0` is above 0, a count or a rank at least 1 — where it was drawn
    from 0, so that `pingfen fuzz` found the division by it the checker had proved safe to fail."""
    found = _DRAWN.get(rubric)
    if found is not None:
        return found
    specs = {spec.name: spec for spec in rubric.inputs}
    batches = {decl.name.text: decl.batch for decl in rubric.module.inputs if decl.batch is not None}
    out = []
    for spec in rubric.inputs:
        batch = batches.get(spec.name)
        if batch is not None and batch.func in ("count", "rank"):
            spec = evolve(spec, bounds=((">=", Decimal(1)),))
        elif batch is not None and batch.func in _WITHIN and isinstance(batch.expr, ast.Ref):
            read = specs.get(batch.expr.name.text)  # an input read alone: its bounds bound the value
            if read is not None and not read.is_list:
                spec = evolve(spec, bounds=read.bounds)
        out.append(spec)
    _DRAWN[rubric] = found = tuple(out)
    return found


# How a record marks an input 不适用, as a data file writes it: the text, which `Rubric.coerce`
# reads to `absent.NOT_APPLICABLE`, the value scoring sees.
NOT_APPLICABLE_TEXT = "不适用"


# Whether a record that marks inputs marks this one: one time in four, False first so that
# shrinking moves towards the row applying.
_MARK = st.sampled_from((False, False, False, True))


def _records(rubric: Rubric, fields: dict[str, st.SearchStrategy[object]]) -> st.SearchStrategy[dict[str, object]]:
    """Records of the fields' values, where an input only rows that may not apply read
    (`applies`) may be marked 不适用 instead (the row then does not apply): half the records
    mark nothing, the others mark each such input one time in four. A share per record, not a
    choice per input alone, so that records where every row applies stay common however many
    inputs the data may mark (with a choice per input they grow rarer with each one)."""
    if not rubric.optional & fields.keys():
        return st.fixed_dictionaries(fields)

    @st.composite
    def records(draw: st.DrawFn) -> dict[str, object]:
        marking = draw(st.booleans())  # False first: shrinks to a record where every row applies
        return {
            name: NOT_APPLICABLE_TEXT if marking and name in rubric.optional and draw(_MARK) else draw(values)
            for name, values in fields.items()
        }

    return records()


def inputs(rubric: Rubric) -> st.SearchStrategy[dict[str, object]]:
    """Whole records for the rubric, every input present and in its domain (or marked 不适用
    where the rubric lets the data say so, as often as `_records` says)."""
    given_rubric(rubric, "pingfen.testing.inputs")
    return _records(rubric, {spec.name: input_values(spec) for spec in drawn_specs(rubric)})


# ---------------------------------------------------------------- thresholds


@frozen
class Target:
    """A threshold to sit on: `value` (an expression over inputs and lets, or None for the
    rounded total) reaching `at`. `what` says where it comes from, for reports."""

    value: ast.Expr | None
    at: Decimal
    what: str


@pinned
def targets(rubric: Rubric) -> list[Target]:
    """Every threshold the rubric contains, read from its syntax tree, without repeats."""
    given_rubric(rubric, "pingfen.testing.targets")
    module = rubric.module
    units = check(module).units
    found: dict[tuple[object, Decimal], Target] = {}

    def add(value: ast.Expr | None, at: Decimal, what: str) -> None:
        key = (value, at)
        if key not in found and at.is_finite():
            found[key] = Target(value, at, what)

    def conditions(e: ast.Expr, what: str) -> None:
        for sub in ast.walk_expressions(e):
            if not isinstance(sub, ast.Compare):
                continue
            if "bool" in (units.get(sub.left), units.get(sub.right)) or "label" in (
                units.get(sub.left),
                units.get(sub.right),
            ):
                continue
            left, right = ast.constant(sub.left), ast.constant(sub.right)
            if right is not None and left is None:
                add(sub.left, right, what)
            elif left is not None and right is None:
                add(sub.right, left, what)
            elif left is None and right is None:
                add(ast.Binary("-", sub.left, sub.right), Decimal(0), what)

    for decl in module.inputs:
        for bound in decl.bounds:
            add(ast.Ref(decl.name), bound.value.value, f"domain of {decl.name.text}")
    for node, _depth in ast.walk_nodes(module.rows):
        if not isinstance(node, ast.Indicator):
            continue
        where = node.name.text
        for rule in node.rules:
            for threshold in rule.thresholds(node.max.value):  # a part of each rule, ast.Threshold
                what = f"{threshold.what} of {where}"
                if threshold.at is None:
                    conditions(threshold.value, what)
                else:
                    add(threshold.value, threshold.at, what)
    for prop in module.properties:
        if isinstance(prop, ast.Claim) and prop.condition is not None:
            conditions(prop.condition, "property")
    header = module.header
    if header is not None:
        for grade in header.grades:
            if grade.threshold is not None:
                add(None, grade.threshold.value, f"grade {grade.name.text}")
    return list(found.values())


# ---------------------------------------------------------------- reaching a threshold


def _free_inputs(rubric: Rubric, e: ast.Expr | None) -> list[str]:
    """The numeric inputs an expression depends on (through lets); every one for the total."""
    numeric = [s.name for s in rubric.inputs if s.type in STEPS and not s.is_list]  # a panel is drawn, not moved
    if e is None:
        return numeric
    lets = {let.name.text: let for let in rubric.module.lets}
    found: list[str] = []

    def visit(expr: ast.Expr, seen: frozenset[str]) -> None:
        for sub in ast.walk_expressions(expr):
            if isinstance(sub, ast.Ref):
                name = sub.name.text
                if name in lets and name not in seen:
                    visit(lets[name].expr, seen | {name})
                elif name in numeric and name not in found:
                    found.append(name)

    visit(e, frozenset())
    return found


def _predicate(rubric: Rubric, record: dict[str, object], target: Target, name: str) -> Callable[[object], bool | None]:
    """x ↦ whether the target's value reaches its threshold when input `name` is x
    (None when the record is then refused)."""
    if target.value is None:

        def total_reaches(x: object) -> bool | None:
            try:
                return rubric.evaluate({**record, name: x}, ratios=True).total >= target.at
            except DataError:
                return None

        return total_reaches
    try:
        values = rubric.coerce(record, ratios=True)
    except DataError:
        return lambda x: None
    expr = target.value
    if reads_marked(rubric, expr, {k: v for k, v in values.items() if k != name}):
        return lambda x: None  # an input it reads is 不适用: no value to move onto the threshold
    walker = rubric.walker()

    def reaches(x: object) -> bool | None:
        try:
            value = walker.expression(expr, {**values, name: Decimal(x)})  # type: ignore[arg-type]  # x: a grid value, int or Decimal
        except (DataError, decimal.DecimalException):
            return None
        return bool(value >= target.at)

    return reaches


# Per rubric, each let's reads: asked for each record and property (fuzz), built once. Weak, so
# that a rubric made for one test (generated ones) is not kept for the rest of the run.
_LET_READS: weakref.WeakKeyDictionary[Rubric, dict[str, set[str]]] = weakref.WeakKeyDictionary()


def _let_reads(rubric: Rubric) -> dict[str, set[str]]:
    needs = _LET_READS.get(rubric)
    if needs is None:
        needs = _LET_READS[rubric] = {let.name.text: ast.names_read(let.expr) for let in rubric.module.lets}
    return needs


def reads_marked(rubric: Rubric, e: ast.Expr, values: Mapping[str, object]) -> bool:
    """Whether the expression reads, through lets too, an input the record marks 不适用 or
    leaves out (an `Absent` among `Rubric.coerce`'s values): it has no value then."""
    return any(isinstance(values.get(n), Absent) for n in ast.closure(ast.names_read(e), _let_reads(rubric)))


def crossing(lo: int, hi: int, test: Callable[[int], bool | None]) -> int | None:
    """The first n in (lo, hi] whose test differs from test(lo), if test(hi) differs: found by
    bisection, which assumes one crossing (true of the monotone values rubrics compare)."""
    first, last = test(lo), test(hi)
    if first is None or last is None or first == last:
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        found = test(mid)
        if found is None:
            return None
        if found == first:
            lo = mid
        else:
            hi = mid
    return hi


@pinned
def reach(
    rubric: Rubric, record: dict[str, object], target: Target, name: str, offset: int
) -> dict[str, object] | None:
    """The record with input `name` moved to where the target's value crosses its threshold,
    `offset` data steps from the first value past it (-2 … 1), kept inside the domain;
    None when the threshold cannot be reached by moving that input."""
    spec = next(s for s in drawn_specs(rubric) if s.name == name)
    lo, hi = grid_range(spec)
    if isinstance(target.value, ast.Ref) and target.value.name.text == name:
        n = int((target.at / data_step(spec)).to_integral_value(ROUND_CEILING))  # the input itself
    else:
        test = _predicate(rubric, record, target, name)
        found = crossing(lo, hi, lambda k: test(from_grid(spec, k)))
        if found is None:
            return None
        n = found
    n = min(max(n + offset, lo), hi)
    return {**record, name: from_grid(spec, n)}


# ---------------------------------------------------------------- reaching a grade boundary

# Weak, as _LET_READS: a rubric made for one test is not kept for the rest of the run.
_EXTREMES: weakref.WeakKeyDictionary[Rubric, tuple[dict[str, object], dict[str, object]]] = weakref.WeakKeyDictionary()


def _total(rubric: Rubric, record: dict[str, object]) -> Decimal | None:
    try:
        return rubric.evaluate(record, ratios=True).total
    except DataError:
        return None


@pinned
def extremes(rubric: Rubric) -> tuple[dict[str, object], dict[str, object]]:
    """A record of a low total and one of a high total, found by trying each input at its
    domain ends and its thresholds, two passes over the inputs (cached per rubric)."""
    cached = _EXTREMES.get(rubric)
    if cached is not None:
        return cached
    points = boundary_values(rubric)
    choices: dict[str, list[object]] = {}
    for spec in drawn_specs(rubric):
        if spec.type == "bool":
            choices[spec.name] = [False, True]
        elif spec.type == "label":
            choices[spec.name] = list(spec.labels)
        elif spec.is_list:  # a panel of three experts agreeing, at either end and at its thresholds
            lo, hi = grid_range(spec)
            choices[spec.name] = [[from_grid(spec, lo)] * 3, *points.get(spec.name, []), [from_grid(spec, hi)] * 3]
        else:
            lo, hi = grid_range(spec)
            choices[spec.name] = [from_grid(spec, lo), *points.get(spec.name, []), from_grid(spec, hi)]
    found = []
    for sign in (-1, 1):
        record = {name: values[0] for name, values in choices.items()}
        for _ in range(2):
            for name, values in choices.items():
                scored = [(t, v) for v in values if (t := _total(rubric, {**record, name: v})) is not None]
                if scored:
                    record[name] = max(scored, key=lambda tv: sign * tv[0])[1]
        found.append(record)
    _EXTREMES[rubric] = (found[0], found[1])
    return found[0], found[1]


@pinned
def reach_total(rubric: Rubric, record: dict[str, object], at: Decimal, offset: int) -> dict[str, object] | None:
    """The record moved so that its rounded total crosses `at`: inputs are taken one by one
    from a record on the other side (extremes) until the total crosses, then the input
    that made it cross is bisected over its data steps (a panel's as three experts agreeing:
    `_reach_agreed`); `offset` steps from the first value
    past the threshold. None when no record of the rubric crosses it."""
    low, high = extremes(rubric)

    def reaches(r: dict[str, object]) -> bool | None:
        total = _total(rubric, r)
        return None if total is None else total >= at

    here = reaches(record)
    if here is None:
        return None
    other = low if here else high
    order = [name for name in other if other[name] != record.get(name)]

    def mixed(k: int) -> dict[str, object]:
        return {**record, **{name: other[name] for name in order[:k]}}

    k = crossing(0, len(order), lambda n: reaches(mixed(n)))
    if k is None:
        return None
    before, name = mixed(k - 1), order[k - 1]
    spec = next(s for s in drawn_specs(rubric) if s.name == name)
    marked = NOT_APPLICABLE_TEXT in (before[name], other[name])
    if spec.is_list and spec.type in STEPS and not marked:
        agreed = _reach_agreed(before, evolve(spec, is_list=False), reaches, offset)
        if agreed is not None:
            return agreed
    if spec.type not in STEPS or spec.is_list or marked:
        return before if offset < 0 else mixed(k)  # a label, a bool, 不适用, a panel no agreement moves across
    a, b = to_grid(spec, before[name]), to_grid(spec, other[name])
    direction = 1 if b >= a else -1
    n = crossing(0, abs(b - a), lambda j: reaches({**before, name: from_grid(spec, a + direction * j)}))
    if n is None:
        return None
    lo, hi = grid_range(spec)
    # offsets count towards the threshold's far side when the input rises, else mirrored
    moved = min(max(a + direction * (n + offset), lo), hi)
    return {**before, name: from_grid(spec, moved)}


def _reach_agreed(
    record: dict[str, object], one: InputSpec, reaches: Callable[[dict[str, object]], bool | None], offset: int
) -> dict[str, object] | None:
    """The record with the panel `one` (its experts' spec) moved to three experts agreeing
    where the total crosses (`reaches`), by bisection over its data steps from its low end,
    `offset` steps from the first value past the threshold seen from the record's side; None
    when no agreement crosses. Agreeing, their mean, median, trimmed mean, min and max are all
    that value (as `boundary_values`)."""
    lo, hi = grid_range(one)

    def agreed(n: int) -> dict[str, object]:
        return {**record, one.name: [from_grid(one, n)] * 3}

    n = crossing(lo, hi, lambda j: reaches(agreed(j)))
    if n is None:
        return None
    # offsets count from the record's side to the far one, as reach_total's: mirrored when the
    # record is on the side the panel's high end gives (a total that falls as the experts rise)
    moved = n + offset if reaches(record) == reaches(agreed(lo)) else n - 1 - offset
    return agreed(min(max(moved, lo), hi))


@pinned
def boundary_values(rubric: Rubric) -> dict[str, list[object]]:
    """For each numeric input, the values of its data grid at, and one step either side of,
    every threshold written directly on it, the threshold itself where it lies between two
    steps (`>= 89.995%`), and the ends of its domain. For a panel, whose thresholds are on
    what a function makes of it (`median(方案评分) >= 9`), three experts agreeing on each value."""
    given_rubric(rubric, "pingfen.testing.boundary_values")
    specs = {s.name: evolve(s, is_list=False) if s.is_list else s for s in drawn_specs(rubric) if s.type in STEPS}
    panels = {s.name for s in rubric.inputs if s.is_list}
    found: dict[str, set[int]] = {name: set() for name in specs}
    between: dict[str, set[Decimal]] = {name: set() for name in specs}
    lets = {let.name.text: let.expr for let in rubric.module.lets}
    for target in targets(rubric):
        name = _subject(target.value, panels, lets)
        if name in specs:
            spec = specs[name]
            at = target.at / data_step(spec)
            below, above = int(at.to_integral_value(ROUND_FLOOR)), int(at.to_integral_value(ROUND_CEILING))
            found[spec.name].update({below - 1, below, above, above + 1})
            if below != above and _written_between(spec, target.at, at):
                between[spec.name].add(target.at)
    out: dict[str, list[object]] = {}
    for name, points in found.items():
        lo, hi = grid_range(specs[name])
        inside = sorted({p for p in points if lo <= p <= hi} | {lo} | ({hi} if hi - lo < 10**9 else set()))
        values = [from_grid(specs[name], p) for p in inside]
        exact = [v for v in between[name] if lo < v / data_step(specs[name]) < hi]
        ordered = sorted([*values, *exact], key=Decimal)  # type: ignore[arg-type]  # numbers: int or Decimal
        out[name] = [[v] * 3 for v in ordered] if name in panels else ordered
    return out


# What a panel's value is read through, where three experts agreeing on v make it v.
_AGREED = ("mean", "median", "trimmed_mean", "min", "max")


def _subject(value: ast.Expr | None, panels: set[str], lets: dict[str, ast.Expr]) -> str | None:
    """The input a threshold is on as it stands: an input itself, or a panel through one of
    _AGREED (`trimmed_mean(专家评分)`, or a let that is one); None for any other value."""
    if isinstance(value, ast.Ref) and value.name.text in lets:
        value = lets[value.name.text]
        if isinstance(value, ast.Ref):
            return None  # a let naming an input: moved by solving for it, as any computed value
    if isinstance(value, ast.Ref):
        return value.name.text
    if isinstance(value, ast.Call) and value.func in _AGREED and len(value.args) == 1:
        [arg] = value.args
        if isinstance(arg, ast.Ref) and arg.name.text in panels:
            return arg.name.text
    return None


def _written_between(spec: InputSpec, threshold: Decimal, steps: Decimal) -> bool:
    """Whether a record can hold the threshold that lies between two of the input's data steps
    as it is: not a count or a date (whole), not rounded away by the input's precision, and
    written with a few more decimals (89.995%), not a quotient's 28 digits, which no one types."""
    if spec.type in ("count", "date") or (spec.precision is not None and at_precision(threshold, spec.precision) != threshold):
        return False
    fine = steps.scaleb(6)
    return fine == fine.to_integral_value()


# Round values, tried in turn for each numeric input of `round_record`: a quotient of two of them
# lands exactly on a threshold (9 of 10 is 90%), which a record of odd values never does.
_ROUND = (Decimal(100), Decimal(10), Decimal(1), Decimal(1000), Decimal(50), Decimal(5), Decimal("0.5"), Decimal(0))


@pinned
def round_record(rubric: Rubric) -> dict[str, object]:
    """A valid record of round values: each numeric input the first of 100, 10, 1, … its
    domain holds (a percent 100%, 10%, …), every other input as the low-total record has it."""
    low, _high = extremes(rubric)
    record = dict(low)
    for spec in drawn_specs(rubric):
        if spec.type not in STEPS or spec.is_list or spec.type == "date":
            continue
        lo, hi = grid_range(spec)
        scale = Decimal("0.01") if spec.type == "percent" else Decimal(1)
        for value in _ROUND:
            n = value * scale / data_step(spec)
            if n == n.to_integral_value() and lo <= int(n) <= hi:
                record[spec.name] = from_grid(spec, int(n))
                break
    return record if _total(rubric, record) is not None else low


@pinned
def boundary_records(rubric: Rubric) -> list[dict[str, object]]:
    """Records at, and one data step either side of, every threshold of the rubric, made
    without chance: a record of round values (`round_record`) with each numeric input set to
    each of its own thresholds' values (`boundary_values`), then moved by one input each onto
    every threshold of a computed value (a let, a comparison, a quotient: 9 of 10 is 90%) and
    of the rounded total against each grade. `pingfen fuzz` tries them all before it draws
    records at random; a test can too (`@example`, or a loop)."""
    given_rubric(rubric, "pingfen.testing.boundary_records")
    base = round_record(rubric)
    found: dict[str, dict[str, object]] = {}

    def keep(record: dict[str, object] | None) -> None:
        if record is not None:
            found.setdefault(repr(sorted(record.items(), key=lambda kv: kv[0])), record)

    keep(base)
    for name, values in boundary_values(rubric).items():
        for value in values:
            keep({**base, name: value})
    for name in sorted(rubric.optional):  # each input the data may mark 不适用, marked
        keep({**base, name: NOT_APPLICABLE_TEXT})
    points = boundary_values(rubric)
    for target in targets(rubric):
        if isinstance(target.value, ast.Ref) and target.value.name.text in points:
            continue  # an input's own threshold: above
        for offset in (0, -1, 1):
            if target.value is None:
                keep(reach_total(rubric, base, target.at, offset))
                continue
            for name in _free_inputs(rubric, target.value):
                keep(reach(rubric, base, target, name, offset))
    return list(found.values())


def boundary_inputs(rubric: Rubric) -> st.SearchStrategy[dict[str, object]]:
    """Records that sit at, or one data step either side of, the rubric's thresholds: each
    numeric input is, half the time, on one of its own thresholds (boundary_values); then
    up to two thresholds on computed values (a let, a comparison of two inputs, the
    rounded total against a grade) are reached by moving one input each."""
    given_rubric(rubric, "pingfen.testing.boundary_inputs")
    points = boundary_values(rubric)
    fields: dict[str, st.SearchStrategy[object]] = {}
    for spec in drawn_specs(rubric):
        values = input_values(spec)
        near = points.get(spec.name)
        fields[spec.name] = st.one_of(st.sampled_from(near), values) if near else values
    base = _records(rubric, fields)
    computed = [
        t for t in targets(rubric)
        if not (isinstance(t.value, ast.Ref) and t.value.name.text in points)
        and (t.value is None or _free_inputs(rubric, t.value))  # the total: reached through any input, a panel too
    ]  # fmt: skip
    if not computed:
        return base

    @st.composite
    def records(draw: st.DrawFn) -> dict[str, object]:
        record = draw(base)
        moves = draw(st.lists(st.tuples(st.sampled_from(computed), st.sampled_from((0, -1, 1, -2))), max_size=2))
        for target, offset in sorted(moves, key=lambda m: m[0].value is None):  # the total last
            if target.value is None:
                moved = reach_total(rubric, record, target.at, offset)
            else:
                name = draw(st.sampled_from(_free_inputs(rubric, target.value)))
                moved = reach(rubric, record, target, name, offset)
            if moved is not None:
                record = moved
        return record

    return records()

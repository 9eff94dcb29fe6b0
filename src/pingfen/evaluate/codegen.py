"""Checked AST → the Python source of one rubric's scorer, and the constants it reads.

The source is written from validated AST values only: every input, `let`, node and
temporary becomes a generated name (`x3`, `y0`, `s12`, `t5`), every constant — each
Decimal, name, label, Site and helper function — is an entry of a constants table
passed in as the arguments `c0, c1, …`, and every operator comes from a fixed table.
No text of the rule file reaches the source: `check_source` verifies it holds no quote,
bracket or comment, and `check_code` that the compiled code holds no literal and reads no
global or attribute but `data.get`; it then runs with no builtins at all.

The scoring module defines `factory(c0, …)`, returning two functions:
- `run(data, lang)`: reads each input from the record on a fast path (a Decimal, an
  int, a bool or a label already as the rubric wants it, inside its bounds), then scores;
  it returns None as soon as an input needs the general path, which `compile` takes.
- `score(x0, …, lang)`: the rubric, straight-line: lets, then every node depth-first,
  then the total and the grade; it returns `Result.scored(…)`, holding the record's
  exact inputs and the rubric's Explainer.
The explaining module's `explain(x0, …)` is the same rubric returning each node's reason
records and clamp, without what only the scores need (`live`: scoring has them); it is
compiled when first needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter
from types import CodeType
from typing import Any, assert_never

from pingfen import ast
from pingfen.check.passes import Checked
from pingfen.diagnostics import excerpt
from pingfen.display import canonical_unsigned
from pingfen.errors import Problem
from pingfen.evaluate.applies import Guard, first_marked, plan, present, require
from pingfen.evaluate.refusals import refuse
from pingfen.evaluate.rulegen import PYTHON_COMPARE, IndicatorCode
from pingfen.reasons import Site
from pingfen.result import Layout, Result, Shape, scored
from pingfen.values import (
    AGGREGATE_LEAST,
    AGGREGATES,
    COMPARE,
    DURATIONS,
    LIMIT,
    SETTLE,
    SETTLING,
    ZERO,
    as_decimals,
    graded,
    rounded,
    settle,
    settled,
    total_rounding,
)

_ARITHMETIC = {"+": "+", "-": "-", "*": "*"}
SUM_CHUNK = 100  # terms of a sum written in one statement


class Program:
    """The generated sources, their constants, and the layout of the results they build."""

    def __init__(
        self, source: str, explain_source: str, constants: list[object], layout: Layout, labels: dict[int, str]
    ) -> None:
        self.source = source
        self.explain_source = explain_source
        self.constants = constants
        self.layout = layout
        self.labels = labels  # what each line of `run` is for, by line number: for profiles

    def functions(self, name: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
        """Compile the scoring source and return (run, score), the constants bound in."""
        run, score = build(self.source, name, self.constants)  # the factory returns the two functions
        return run, score


class Explainer:
    """A rubric's explaining code, compiled the first time a result's tree is read: a
    program that only scores never pays for it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.program: Program | None = None
        self._explain: Callable[..., Any] | None = None

    def __call__(self, *values: object) -> Any:
        return self.compiled()(*as_decimals(values))

    def compiled(self) -> Callable[..., Any]:
        """The explaining function itself: a result calls it with the record's inputs without
        going through `__call__` (a call and its tuple of 35 arguments fewer)."""
        if self._explain is None:
            assert self.program is not None
            self._explain = build(self.program.explain_source, self.name, self.program.constants)
        return self._explain


def build(source: str, name: str, constants: list[object]) -> Any:
    """Compile generated source, check what it can reach, and call its factory with the constants."""
    check_source(source)
    code = compile(source, f"<pingfen {name}>", "exec")
    check_code(code)
    namespace: dict[str, Any] = {"__builtins__": {}}
    exec(code, namespace)  # noqa: S102 - generated from a checked AST, checked above, no builtins
    return namespace["factory"](*constants)


_ALLOWED_CHARS = re.compile(r"[A-Za-z0-9_ \n():=<>!+\-*/,.]*")


def check_source(source: str) -> None:
    """Refuse source holding anything but ASCII names, digits, spaces and operators: no quote
    (so no string), no bracket, no comment, no backslash."""
    if not _ALLOWED_CHARS.fullmatch(source):
        raise ValueError("generated source holds a character it must not")


def check_code(code: CodeType, top: bool = True) -> None:
    """Refuse compiled code that could reach anything but what it is given: every constant
    None, a bool, a tuple of those or a function's code; no global or attribute but the
    module's own `factory` and the record's `data.get`."""
    allowed = {"factory"} if top else {"get"}
    if not set(code.co_names) <= allowed:
        raise ValueError(f"generated code reads {sorted(set(code.co_names) - allowed)}")
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            check_code(constant, top=False)
        elif not _plain(constant):
            raise ValueError(f"generated code holds a literal: {constant!r}")


# A statement of the explaining code's body (not inside a block) that only adds, takes or
# picks values already computed: nothing it can do but compute a value.
_PURE_STORE = re.compile(r" {8}([a-z][0-9]+) = ((?:[a-z][0-9]+|if|else|not|[ ()+-])+)")
_CALL = re.compile(r"[a-z0-9]\(")
_NAME = re.compile(r"[a-z][0-9]+")


def live(lines: list[str]) -> list[str]:
    """The explaining code without the statements whose value nothing after them reads: a
    group's plain sum, an indicator's score that no clamp or reason needs (the scoring code
    has them all). Only pure stores (sums, differences, `a if b else c` of names) at the
    body's own level go; every other line, and any name it mentions, is kept."""
    read: set[str] = set()
    kept: list[str] = []
    for line in reversed(lines):
        pure = _PURE_STORE.fullmatch(line)
        if pure is not None and not _CALL.search(pure[2]) and pure[1] not in read:
            continue  # nothing later reads it
        read.update(_NAME.findall(line))
        kept.append(line)
    kept.reverse()
    return kept


def _plain(constant: object) -> bool:
    if isinstance(constant, tuple):
        return all(_plain(c) for c in constant)
    return constant is None or constant is True or constant is False


# Beyond these a value is a typo, which `values.coerce` refuses (PF503): |x| < 10^(LIMIT+1),
# that is adjusted() <= LIMIT, and |x| >= 10^-LIMIT unless x is 0.
_HUGE = Decimal(1).scaleb(LIMIT + 1)
_TINY = Decimal(1).scaleb(-LIMIT)
# The Decimal of each small whole number: a count given as an int is looked up, not converted.
_SMALL = {n: Decimal(n) for n in range(1, 256)}.get  # 0 too would be false: `or` converts it
_SIDES = {">": "<", ">=": "<=", "<": "<", "<=": "<="}  # each bound as written left of the value
_GIVEN = "given"  # `run`'s name for the tuple of the record's values, as taken
# CPython builds a display of more than 30 items (its STACK_USE_GUIDELINE) as a list grown
# item by item, then copied to a tuple: a 35-tuple of scores cost 260 ns, two joined 150.
_DISPLAYED = 30


def displayed(items: Sequence[str]) -> str:
    """The source of a tuple of these expressions, in parts of at most 30 joined by `+`."""
    parts = [items[i : i + _DISPLAYED] for i in range(0, len(items), _DISPLAYED)] or [[]]
    return " + ".join("(" + "".join(f"{item}, " for item in part) + ")" for part in parts)
_DECIMAL = Decimal


def _interval(bounds: Bounds, kind: str) -> tuple[tuple[tuple[str, Decimal], tuple[str, Decimal]], Bounds]:
    """The tightest lower and upper bound of an input's fast path, each as (operator written
    left of the value, bound), from its declared bounds, its kind and the limits of
    `values.coerce`; and the bounds of other operators, checked apart."""
    low, high = ("<", -_HUGE), ("<", _HUGE)
    if kind in ("count", "amount"):
        low = ("<=", ZERO)
    others: list[tuple[str, Decimal]] = []
    for op, bound in bounds:
        if op in (">", ">="):  # x > b: b < x
            if bound > low[1] or (bound == low[1] and op == ">"):
                low = (_SIDES[op], bound)
        elif op in ("<", "<="):
            if bound < high[1] or (bound == high[1] and op == "<"):
                high = (_SIDES[op], bound)
        else:
            others.append((op, bound))
    return (low, high), tuple(others)


_FEW = 256  # the whole numbers 0 … 255 an int input is looked up among
_TABLES = 16  # tables of them per rubric, one per interval, at most
_NO_TABLE = dict[int, Decimal]().get


def _whole_within(low: tuple[str, Decimal], high: tuple[str, Decimal]) -> dict[int, Decimal]:
    """The Decimal of each whole number of a few inside an input's interval (`_interval`: every
    whole number but 0 is beyond 10^-LIMIT, and 0 passes where the bounds take it)."""
    (low_op, low_value), (high_op, high_value) = low, high
    return {
        n: Decimal(n) for n in range(_FEW)
        if COMPARE[low_op](low_value, Decimal(n)) and COMPARE[high_op](Decimal(n), high_value)
    }


def _may_be_negative_zero(node: ast.Node) -> bool:
    """Whether a node's score can be -0: an indicator whose base gives points that are not
    fixed arms, a judgment or a formula (an input `-0`, or `-x` of 0); a group's sum keeps its
    leading 0 exactly when all its parts can, so it never is. Saying yes is always safe:
    the sum then starts from 0, which changes no digit."""
    return isinstance(node, ast.Indicator) and any(ast.is_base(r) and not r.arm_points() for r in node.rules)


def _may_hold_negative_zero(node: ast.Node) -> bool:
    """Whether the scoring code can leave a node's score -0, which reading it canonical must
    turn into 0. A computed start with nothing deducted is `start + 0` there (rulegen), so
    -0 stays only as start less deductions, or from an arm, a max (a row not applying
    counts it) or an adjust row written -0; a group only if all its parts can. Yes is safe."""
    if node.max.value.is_zero() and node.max.value.is_signed():
        return True
    if isinstance(node, ast.Group):  # an empty group's sum is 0, never -0
        return bool(node.children) and all(_may_hold_negative_zero(c) for c in node.children)
    arms = (p.value for rule in node.rules if ast.is_base(rule) for p in rule.arm_points())
    deducts = any(ast.is_deduction(rule) for rule in node.rules)
    return (
        (_may_be_negative_zero(node) and deducts) or node.low is not None
        or any(v.is_zero() and v.is_signed() for v in arms)
    )  # fmt: skip


def _every_node(nodes: Sequence[ast.Node]) -> Iterator[ast.Node]:
    for node in nodes:
        yield node
        if isinstance(node, ast.Group):
            yield from _every_node(node.children)


class _Writer:
    """Lines of code at a depth, each with a label saying what it is for (for profiles)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.labels: list[str] = []
        self.label = ""
        self.depth = 0

    def __call__(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)
        self.labels.append(self.label)


Bounds = tuple[tuple[str, Decimal], ...]


def generate(
    module: ast.Module, checked: Checked, text: str | Sequence[str], inputs: tuple[ast.Input, ...],
    bounds: tuple[Bounds, ...],
) -> Program:
    """The scorer of a checked module; `inputs` are the declarations read, in order, and
    `bounds` the domain of each (a score's [0, max] included)."""
    return _Generator(module, checked, text, inputs, bounds).program()


class _Generator:
    def __init__(
        self, module: ast.Module, checked: Checked, text: str | Sequence[str], inputs: tuple[ast.Input, ...],
        bounds: tuple[Bounds, ...],
    ) -> None:
        self.module = module
        self.checked = checked
        self.text = text
        self.inputs = inputs
        self.bounds = dict(zip((i.name.text for i in inputs), bounds, strict=True))
        self.constants: list[object] = []
        self._constant_names: dict[object, str] = {}
        self.names = {decl.name.text: f"x{i}" for i, decl in enumerate(inputs)}
        self.names.update({let.name.text: f"y{j}" for j, let in enumerate(checked.let_order)})
        self.units = {name: symbol.unit for name, symbol in checked.symbols.items()}
        self._fresh = 0
        self.out = _Writer()
        self.shapes: list[Shape] = []
        self.per_node: list[tuple[str, str, str]] = []  # each node's score, reasons and clamp, as names
        self.zero = self.const(ZERO)
        self.explaining = False
        rows = (*module.top, *(o.row for o in module.outside))
        self.unsigned = not any(map(_may_hold_negative_zero, _every_node(rows)))  # no score is ever -0
        self.top: list[int] = []
        self.outside: list[tuple[str, int]] = []  # the bonus and penalty rows: kind, layout position
        # 一票否决, and whether a veto or a grade's own condition decides the grade besides the total
        header = module.header
        grades = [g.name.text for g in header.grades] if header is not None else []
        self.vetoes = tuple(v.line(grades) for v in module.vetoes)
        self.graded = bool(module.vetoes) or (header is not None and any(g.condition for g in header.grades))
        self.plan = plan(module, checked)
        # Per layout position, for rows that may not apply (不适用): the tests that say a row
        # does not apply (its own and its groups'), whether it drops out of its parent's sum
        # (None: never), and the variables its code sets that a row not applying must set too.
        self.absent: dict[int, list[str]] = {}
        self.dropped: dict[int, str] = {}
        self.defaults: dict[int, list[tuple[str, str]]] = {}
        self.total_rescaled = False  # whether a top-level row may drop out: a4, what the total was re-scaled by
        self._wholes: dict[tuple[tuple[str, Decimal], tuple[str, Decimal]], str] = {}  # `read_number`'s tables
        self.canonical: list[int] = []  # the positions of scores the scoring code writes canonical

    # ---------------------------------------------------------------- names
    def const(self, value: object) -> str:
        """The name of a constant; equal Decimals with different digits stay apart."""
        if isinstance(value, (Decimal, str, bool, int, tuple)) or value is None:
            key: object = (type(value), repr(value))
        else:
            key = ("id", id(value))
        name = self._constant_names.get(key)
        if name is None:
            name = f"c{len(self.constants)}"
            self.constants.append(value)
            self._constant_names[key] = name
        return name

    def indent(self, by: int) -> None:
        self.out.depth += by

    def fresh(self, prefix: str) -> str:
        self._fresh += 1
        return f"{prefix}{self._fresh}"

    def source_of(self, node: Any) -> str:
        return excerpt(self.text, node.span)  # in the file the node came from

    def unit(self, e: ast.Expr) -> str:
        return self.checked.units.get(e, "number")

    # ---------------------------------------------------------------- program
    def program(self) -> Program:
        header = self.module.header
        assert header is not None, "the checker guarantees a header"
        params = "".join(f"{self.names[i.name.text]}, " for i in self.inputs)
        explain = self.body(header, explaining=True)
        scores = displayed([node[0] for node in self.per_node])
        reasons = "(" + "".join(f"{node[1]}, " for node in self.per_node) + ")"
        clamps = "(" + "".join(f"{node[2]}, " for node in self.per_node) + ")"
        explain.append(f"        return {reasons}, {clamps}")
        explain = live(explain)  # the scores are the scoring code's: only what reasons and clamps read
        score = self.body(header, explaining=False)
        score_labels = self.out.labels
        top_sum = sum((n.max.value for n in self.module.top), ZERO)
        layout = Layout(
            header.title, header.total.value if header.total else top_sum, tuple(self.shapes), tuple(self.top),
            tuple(self.outside), self.module.lows, self.unsigned,
            () if self.plan.guards else tuple(self.canonical),  # a row not applying counts its max as written
        )
        explainer = Explainer(header.title)
        # most rubrics: rows that all apply, no veto; else the class method, which also keeps those
        plain = not self.plan.guards and not self.graded
        maker = self.const(scored if plain else Result.scored)
        self.out.label = "making the Result"
        kept = self.kept()
        given = displayed([self.names[i.name.text] for i in self.inputs])
        for values in (given, kept or given):  # `score`'s, then `run`'s
            make = f"{maker}({self.const(layout)}, a1, a0, a2, {scores}, {values}, {self.const(explainer)}"
            if self.plan.guards:  # which rows do not apply, by position
                flags = displayed([f"({' or '.join(self.absent.get(i, [])) or 'False'})" for i in range(len(self.shapes))])
                # positional: a keyword would put its name among the code's constants
                vetoes = ", a3" if self.graded else ", ()" if self.total_rescaled else ""
                self.out(f"return {make}, lang, {flags}{vetoes}{', a4' if self.total_rescaled else ''})")
            elif self.graded:
                self.out(f"return {make}, lang, (), a3)")
            else:
                self.out(f"return {make}, lang)")
        made_by_run = self.out.lines.pop()
        self.out.labels.pop()
        score = self.out.lines

        self.out = w = _Writer()
        w.depth = 2
        w.label = "reading the inputs"
        if self.fetch_inputs():
            for decl in self.inputs:
                self.read_input(decl)
        factory = "def factory(" + ", ".join(f"c{i}" for i in range(len(self.constants))) + "):"
        lines = [
            factory,
            f"    def score({params}lang):",
            *score,
            "    def run(data, lang):",
            *w.lines,
            *score[:-1],  # the same straight-line scoring, without a call
            made_by_run,
            "    return run, score",
        ]
        first = 3 + len(score) + 1  # where run's lines start, counting from 1
        labels = dict(enumerate([*w.labels, *score_labels], start=first))
        explaining = [factory, f"    def explain({params}):", *explain, "    return explain"]
        program = Program("\n".join(lines) + "\n", "\n".join(explaining) + "\n", self.constants, layout, labels)
        explainer.program = program
        return program

    def body(self, header: ast.Header, explaining: bool) -> list[str]:
        """The straight-line code of the rubric: lets, every node, then (for scoring) the total
        and the grade. Explaining, it also keeps each node's reason records and clamp."""
        self.explaining = explaining
        self.shapes, self.per_node = [], []
        self.canonical = []
        self.absent, self.dropped, self.defaults = {}, {}, {}
        self.total_rescaled = False
        self.out = w = _Writer()
        w.depth = 2
        for let in self.checked.let_order:
            w.label = f"let {let.name.text}"
            value = self.expr(let.expr, let.name.text)
            optional = self.plan.lets.get(let.name.text)
            if optional:  # over inputs a record may leave out: worked out only when all are given
                value = f"{value} if {self.const(present)}({', '.join(self.names[n] for n in optional)}) else None"
            w(f"{self.names[let.name.text]} = {value}")
        self.top = top = [self.node(n) for n in self.module.top]
        self.outside = [(o.kind, self.node(o.row)) for o in self.module.outside]
        if not explaining:
            w.label = "total and grade"
            self.assign_sum("a0", self.sum(top, self.module.top))
            header_total = header.total.value if header.total else sum((n.max.value for n in self.module.top), ZERO)
            self.rescale("a0", top, header_total, None)
            if self.outside:  # 加分项 and 扣分项, after the tree, the total then kept in [0, cap]
                counted = "".join(
                    f"{self.per_node[at][0]} - {self.const(o.row.max.value)}, " if o.kind == "penalty" else f"{self.per_node[at][0]}, "
                    for o, (_, at) in zip(self.module.outside, self.outside, strict=True)
                )
                cap = self.const(header.cap.value if header.cap else None)
                w(f"a0 = {self.const(settle)}(a0, ({counted}), {cap})")
            for j, veto in enumerate(self.module.vetoes):  # 一票否决: v0, v1, … whether each holds
                w(f"v{j} = {self.expr(veto.condition, veto.name.text)}")
            zeros = [f"v{j}" for j, veto in enumerate(self.module.vetoes) if veto.action == "zero"]
            if zeros:
                w(f"if {' or '.join(zeros)}:")
                w(f"    a0 = {self.zero}")
            self.total_and_grade(header)
        return w.lines

    def total_and_grade(self, header: ast.Header) -> None:
        """a1, the total rounded as the header says; a2, the first grade it reaches."""
        w = self.out
        places = header.round_places.value if header.round_places else None
        quantum, rounding = total_rounding(places, header.round_mode)
        # settled first, inline (values.rounded): a total is within its max, so the wide quantize never fails
        settle = f"{self.const(Decimal.quantize)}(a0, {self.const(SETTLE)}, None, {self.const(SETTLING)})"
        w(f"a1 = {self.const(Decimal.quantize)}({settle}, {self.const(quantum)}, {self.const(rounding)})")
        if self.graded:  # conditions and vetoes decide with the total: `values.graded`
            bands = tuple((g.name.text, g.op, g.threshold.value if g.threshold else None) for g in header.grades)
            holds = "".join(f"{self.expr(g.condition, '')}, " if g.condition else "True, " for g in header.grades)

            def fired(action: str) -> str:
                return "".join(
                    f"({self.const(line.grade)} if v{j} else None), " if line.action == action else "None, "
                    for j, line in enumerate(self.vetoes)
                )

            w(f"a2 = {self.const(graded)}(a1, {self.const(bands)}, ({holds}), ({fired('below')}), ({fired('grade')}))")
            w("a3 = (" + "".join(f"({self.const(line)} if v{j} else None), " for j, line in enumerate(self.vetoes)) + ")")
            return
        keyword = "if"
        for grade in header.grades:
            if grade.op is None or grade.threshold is None:
                w("else:" if keyword == "elif" else "if True:")
                w(f"    a2 = {self.const(grade.name.text)}")
                return
            w(f"{keyword} a1 {PYTHON_COMPARE[grade.op]} {self.const(grade.threshold.value)}:")
            w(f"    a2 = {self.const(grade.name.text)}")
            keyword = "elif"
        w("else:" if keyword == "elif" else "if True:")
        w("    a2 = None")

    # ---------------------------------------------------------------- inputs
    def fetch_inputs(self) -> bool:
        """Every input's value at once: from a dict by one itemgetter (a key missing: None, the
        general path, which says so), from any other mapping by its `get`, as before. False
        when the fast path takes no record of the rubric: a panel is gathered from its
        columns, a date read, by `Rubric.coerce`."""
        w = self.out
        taken = not any(decl.is_list or decl.type == "date" for decl in self.inputs)
        if not taken:  # what follows still makes each input a local of `run`, never read
            w("return None")
        names = tuple(decl.name.text for decl in self.inputs)
        targets = "".join(f"{self.names[name]}, " for name in names)
        if len(names) < 2:  # itemgetter of one name gives its value, not a tuple
            for name in names:
                w(f"{self.names[name]} = data.get({self.const(name)})")
            return taken
        w(f"if {self.const(type)}(data) is {self.const(dict)}:")
        w("    try:")
        w(f"        {_GIVEN} = {self.const(itemgetter(*names))}(data)")
        w(f"    except {self.const(KeyError)}:")
        w("        return None")
        w("else:")
        w(f"    {_GIVEN} = {self.const(tuple)}({self.const(map)}(data.get, {self.const(names)}))")
        w(f"{targets}= {_GIVEN}")
        return taken

    def kept(self) -> str | None:
        """The name of the tuple of values `run` took from the record, when the Result may keep
        it as it is (no input is rounded to a precision: `run` changes none but an int made its
        Decimal, which the Explainer makes again); else None, and the Result keeps a new tuple."""
        if len(self.inputs) < 2 or any(decl.precision is not None for decl in self.inputs):
            return None
        if any(decl.is_list or decl.type == "date" for decl in self.inputs):  # `run` takes no record
            return None
        return _GIVEN

    def read_input(self, decl: ast.Input) -> None:
        """The fast path of one input: the values `values.coerce` passes unchanged (or turns
        from int to Decimal), inside the input's bounds; anything else returns None."""
        w = self.out
        x = self.names[decl.name.text]
        # a batch value (`let 基准价 = batch min(报价)`) given by the record is of its expression's
        # kind, as `Rubric.coerce` reads it: a minimum of amounts is an amount, never negative
        kind = self.checked.symbols[decl.name.text].unit if decl.batch is not None else decl.type
        if kind == "bool":
            w(f"if {x} is not True and {x} is not False:")
            w("    return None")
            return
        if kind == "label":
            labels = frozenset(lb.text for lb in decl.labels if lb.text == lb.text.strip())
            w(f"if {self.const(type)}({x}) is not {self.const(str)} or {x} not in {self.const(labels)}:")
            w("    return None")
            return
        t = self.fresh("t")
        dec = self.const(Decimal)
        (low, high), others = _interval(self.bounds[decl.name.text], kind)
        # One type test: a Decimal as it is (a count's checked whole), an int made one.
        w(f"{t} = {self.const(type)}({x})")
        if decl.precision is None:
            self.read_number(x, t, kind, low, high)
            for op, bound in others:
                w(f"if not {x} {PYTHON_COMPARE[op]} {self.const(bound)}:")
                w("    return None")
            return
        if kind == "count":  # a NaN is not whole either; a signalling one raises: the general path
            w(f"if {t} is {dec}:")
            w(f"    if {x} != {self.const(Decimal.to_integral_value)}({x}):")
            w("        return None")
            w(f"elif {t} is {self.const(int)}:")  # a count of a few: its Decimal made once, at import
            w(f"    {x} = {self.const(_SMALL)}({x}) or {dec}({x})")
            w("else:")
            w("    return None")
        else:
            w(f"if {t} is not {dec}:")
            w(f"    if {t} is not {self.const(int)}:")
            w("        return None")
            w(f"    {x} = {dec}({x})")
        # The bounds, the kind's (a count or amount is not negative) and the limits of
        # `values.coerce` (a value is 0 or within 10^±LIMIT) as one chained comparison of
        # constants: an infinity fails it, and a NaN raises InvalidOperation there, which
        # sends the record down the general path.
        if decl.precision is not None:  # the limits hold for the value as given, the bounds once rounded
            self.in_bounds(x, ("<", -_HUGE), ("<", _HUGE), kind)
            # rounded as the rubric says; too many digits raise: the general path
            w(f"{x} = {self.const(Decimal.quantize)}({x}, {self.const(decl.precision.value)}, {self.const(ROUND_HALF_UP)})")
            w(f"if not {self.const(low[1])} {low[0]} {x} {high[0]} {self.const(high[1])}:")
            w("    return None")
        else:
            self.in_bounds(x, low, high, kind)
        for op, bound in others:
            w(f"if not {x} {PYTHON_COMPARE[op]} {self.const(bound)}:")
            w("    return None")

    def read_number(self, x: str, t: str, kind: str, low: tuple[str, Decimal], high: tuple[str, Decimal]) -> None:
        """A number without a precision: a Decimal checked (whole, for a count) and compared with
        its bounds; an int of a few looked up among the Decimals of the whole numbers inside the
        bounds, made once per rubric (no comparison), any other int converted and compared."""
        w = self.out
        dec = self.const(Decimal)
        key = (low, high)
        if key not in self._wholes and len(self._wholes) < _TABLES:
            self._wholes[key] = self.const(_whole_within(low, high).get)
        inside = self._wholes.get(key)
        if inside is None:  # a rubric of many different bounds: ints converted and compared
            inside = self.const(_NO_TABLE)
        if kind == "count":  # a NaN is not whole either; a signalling one raises: the general path
            w(f"if {t} is {dec}:")
            w(f"    if {x} != {self.const(Decimal.to_integral_value)}({x}):")
            w("        return None")
        else:
            w(f"if {t} is {dec}:")
        w.depth += 1
        self.in_bounds(x, low, high, kind)
        w.depth -= 1
        w(f"elif {t} is {self.const(int)}:")
        z = self.fresh("z")
        w(f"    {z} = {inside}({x})")
        w(f"    if {z} is None:")
        w(f"        {x} = {dec}({x})")
        w.depth += 2
        self.in_bounds(x, low, high, kind)
        w.depth -= 2
        w("    else:")
        w(f"        {x} = {z}")
        w("else:")
        w("    return None")

    def in_bounds(self, x: str, low: tuple[str, Decimal], high: tuple[str, Decimal], kind: str) -> None:
        """Return None unless low < x < high (or <=, as each says) and x is 0 or not below 10^-LIMIT."""
        w = self.out
        within = f"{self.const(low[1])} {low[0]} {x} {high[0]} {self.const(high[1])}"
        if kind == "count" or low[1] >= _TINY or high[1] <= -_TINY:  # a whole number is never tiny
            w(f"if not {within}:")
            w("    return None")
        elif low[1] >= ZERO:  # not negative: 10^-LIMIT is the lower bound, one comparison for both
            w(f"if not {self.const(_TINY)} <= {x} {high[0]} {self.const(high[1])}:")
            if low[1] > ZERO or low[0] == "<":  # and 0 is outside the bounds
                w("    return None")
            else:  # 0 itself (either sign) passes, if the bounds take it
                w(f"    if {x} or not {within}:")
                w("        return None")
        else:
            w(f"if not {within}:")
            w("    return None")
            w(f"if {x} and {self.const(-_TINY)} < {x} < {self.const(_TINY)}:")
            w("    return None")

    # ---------------------------------------------------------------- expressions
    def expr(self, e: ast.Expr, where: str) -> str:
        """A Python expression computing e; `where` names the let or indicator for errors."""
        match e:
            case ast.Number():
                return self.const(e.value)
            case ast.Bool():
                return "True" if e.value else "False"
            case ast.Ref():
                if e.name.text in self.checked.label_literals:
                    return self.const(e.name.text)
                return self.names[e.name.text]
            case ast.Neg():
                return f"(-{self.expr(e.operand, where)})"
            case ast.Not():
                return f"(not {self.expr(e.operand, where)})"
            case ast.And():
                return f"({self.expr(e.left, where)} and {self.expr(e.right, where)})"
            case ast.Or():
                return f"({self.expr(e.left, where)} or {self.expr(e.right, where)})"
            case ast.Compare():
                return f"({self.expr(e.left, where)} {PYTHON_COMPARE[e.op]} {self.expr(e.right, where)})"
            case ast.Call():
                args = [self.expr(a, where) for a in e.args]
                if e.func in ast.DURATIONS:
                    return f"{self.const(DURATIONS[e.func])}({args[0]}, {args[1]})"
                if isinstance(e.args[0], ast.Ref) and self.units.get(e.args[0].name.text) == "list":
                    return self.aggregate(e, args[0], where)
                if e.func == "abs":
                    return f"{self.const(abs)}({args[0]})"
                if len(args) == 1:
                    return args[0]
                pick = self.const(min if e.func == "min" else max)
                return f"{pick}({', '.join(args)})"
            case ast.Binary():
                return self.binary(e, where)
            case ast.Round():
                quantum, rounding = total_rounding(e.places.value, e.mode)
                value = self.expr(e.value, where)
                return f"{self.const(rounded)}({value}, {self.const(quantum)}, {self.const(rounding)})"
            case ast.IfElse():
                test = self.expr(e.condition, where)
                return f"({self.expr(e.then, where)} if {test} else {self.expr(e.otherwise, where)})"
            case _:
                assert_never(e)

    def aggregate(self, e: ast.Call, panel: str, where: str) -> str:
        """`mean(专家评分)` and the like over a panel's values; too few for the function refuse (PF540)."""
        least = AGGREGATE_LEAST.get(e.func, 1)
        call = f"{self.const(AGGREGATES[e.func])}({panel})"
        if least == 1:  # a panel holds one value at least (`values.coerce_list`)
            return call
        problem = Problem("PF540", self.source_of(e.args[0]), {"where": where, "call": self.source_of(e), "least": least})
        return f"({call} if {self.const(len)}({panel}) >= {self.const(least)} else {self.const(refuse)}({self.const(problem)}))"

    def binary(self, e: ast.Binary, where: str) -> str:
        left, right = self.expr(e.left, where), self.expr(e.right, where)
        if e.op in _ARITHMETIC:
            return f"({left} {_ARITHMETIC[e.op]} {right})"
        assert e.op == "/", e.op
        divisor = e.right.name.text if isinstance(e.right, ast.Ref) else None
        problem = Problem("PF504", divisor, {"where": where, "divisor": self.source_of(e.right)})
        # the divisor first: `a / b` refuses a zero b before it reads a
        if isinstance(e.right, (ast.Ref, ast.Number)):  # a name: read twice, no temporary
            return f"({left} / {right} if {right} else {self.const(refuse)}({self.const(problem)}))"
        t = self.fresh("t")
        return f"({left} / {t} if ({t} := {right}) else {self.const(refuse)}({self.const(problem)}))"

    # ---------------------------------------------------------------- the tree
    def node(self, node: ast.Node) -> int:
        """Write the code scoring node; return its position in the layout."""
        index = len(self.shapes)
        self.shapes.append(Shape(node.name.text, node.max.value, isinstance(node, ast.Group)))
        self.per_node.append(("", "", ""))
        guard = self.plan.guards.get(node.name.text)
        if guard is not None:
            return self.guarded(node, index, guard)
        return self.scored(node, index)

    def scored(self, node: ast.Node, index: int) -> int:
        if isinstance(node, ast.Indicator):
            self.out.label = f"indicator {node.name.text}"
            if node.pending is not None:  # criteria not yet set: no record is scored by them
                problem = Problem("PF542", None, {"name": node.name.text, "text": node.pending})
                self.out(f"{self.const(refuse)}({self.const(problem)})")
            code = IndicatorCode(self, node, index)
            self.per_node[index] = code.write()
            if code.canonical:
                self.canonical.append(index)
            self.defaults[index] = self.variables(index)
            return index
        children = [self.node(c) for c in node.children]
        self.out.label = "group sums"
        self.shapes[index] = Shape(node.name.text, node.max.value, True, tuple(children))
        total = self.sum(children, node.children)
        top = node.max.value
        score = f"s{index}"
        within = sum((c.max.value for c in node.children), ZERO) <= top  # children within their maxima: no clamp
        plain = node.round_places is None and not any(c in self.dropped for c in children)
        if within and plain:  # the plain sum, straight into the score
            self.plain_sum(score, total, children, index)
            self.per_node[index] = (score, self.const(()), "None")
            self.defaults[index] = [d for c in children for d in self.defaults[c]]
            return index
        raw = self.fresh("g")
        self.assign_sum(raw, total)
        reasons = self.rescale(raw, children, top, index)
        if within:
            self.out(f"{score} = {raw}")
            self.per_node[index] = (score, reasons, "None")
        else:
            clamp = self.clamp(raw, score, f"k{index}", top, low=False, high=True)
            self.per_node[index] = (score, reasons, clamp)
        if node.round_places is not None:
            self.group_rounded(node, index)
        self.defaults[index] = self.variables(index) + [d for c in children for d in self.defaults[c]]
        return index

    def group_rounded(self, node: ast.Group, index: int) -> None:
        """`round N` on a group: its score, re-scaled and clamped, rounded as the rubric says;
        explaining, a reason with both numbers when that changes a digit."""
        places = node.round_places
        assert places is not None
        w = self.out
        score, reasons, clamp = self.per_node[index]
        quantum, rounding = total_rounding(places.value, node.round_mode)
        raw = self.fresh("o")
        w(f"{raw} = {score}")
        w(f"{score} = {self.const(rounded)}({raw}, {self.const(quantum)}, {self.const(rounding)})")
        if self.explaining:
            site = Site("rounded", {"places": places.text, "max": node.max.value}, ("raw", "rounded"))
            kept = self.fresh("r")
            w(f"{kept} = {reasons}")
            w(f"if {score} != {self.const(settled)}({raw}):")  # a hair off the rounded score is not a change of it
            w(f"    {kept} = {kept} + (({self.const(site)}, ({raw}, {score})),)")
            reasons = kept
        self.per_node[index] = (score, reasons, clamp)

    def variables(self, index: int) -> list[tuple[str, str]]:
        """The variables a row's code sets (beyond its score), each with what it is when the row does not apply."""
        _score, reasons, clamp = self.per_node[index]
        found = [(clamp, "None")] if clamp != "None" else []
        if not reasons.startswith("c"):
            found.append((reasons, self.const(())))
        if index in self.dropped and self.dropped[index].startswith("z"):
            found.append((self.dropped[index], "False"))
        return found

    def guarded(self, node: ast.Node, index: int, guard: Guard) -> int:
        """A row with `applies`: scored when it applies; else 不适用, counted as its mode says."""
        w = self.out
        w.label = f"applies {node.name.text}"
        flag = f"f{index}"
        names = tuple(dict.fromkeys(guard.condition + guard.body))
        values = "".join(f"{self.names[n]}, " for n in names)
        w(f"{flag} = {self.const(first_marked)}({self.const(names)}, ({values}))")
        condition = guard.applies.condition
        if condition is not None:
            w(f"if {flag} is None:")
            if guard.condition:
                w(f"    {self.const(require)}({', '.join(self.names[n] for n in guard.condition)})")
            w(f"    if not {self.expr(condition, node.name.text)}:")
            w(f"        {flag} = False")
        w(f"if {flag} is None:")
        w.depth += 1
        if guard.body:
            w(f"{self.const(require)}({', '.join(self.names[n] for n in guard.body)})")
        self.scored(node, index)
        score, reasons, clamp = self.per_node[index]
        kept = reasons
        if self.explaining:
            kept = self.fresh("r")
            w(f"{kept} = {reasons}")
        w.depth -= 1
        w.label = f"not applicable {node.name.text}"
        w("else:")
        w.depth += 1
        mode = guard.applies.mode
        for position in self.within(index):
            top = self.shapes[position].max
            w(f"s{position} = {self.const(top if mode == 'full' else ZERO)}")
            self.absent.setdefault(position, []).append(f"{flag} is not None")
        for variable, default in self.defaults[index]:
            w(f"{variable} = {default}")
        if self.explaining:
            text = self.source_of(condition) if condition is not None else None
            site = Site("not_applicable", {"condition": text, "mode": mode, "max": node.max.value}, ("marked",))
            w(f"{kept} = (({self.const(site)}, ({flag} or None,)),)")
        w.depth -= 1
        if mode == "rescale":
            own = self.dropped.get(index)
            self.dropped[index] = f"{flag} is not None" + (f" or {own}" if own else "")
        self.per_node[index] = (score, kept, clamp)
        self.defaults[index] = [*self.defaults[index], (flag, "None")] + ([(kept, self.const(()))] if self.explaining else [])
        return index

    def within(self, index: int) -> list[int]:
        """A row's position and those of every part under it."""
        found, pending = [], [index]
        while pending:
            position = pending.pop()
            found.append(position)
            pending.extend(self.shapes[position].children)
        return found

    def rescale(self, raw: str, children: list[int], top: Decimal, index: int | None) -> str:
        """When parts may drop out (不适用 … else rescale): raw re-scaled to the parts that apply,
        raw × top ÷ their maxima (折算). A group all of whose parts drop out drops out too; for
        the total (index None) that refuses the record. Returns the group's reason records."""
        may = [c for c in children if c in self.dropped]
        if not may:
            return self.const(())
        w = self.out
        any_dropped = " or ".join(f"({self.dropped[c]})" for c in may)
        applicable, kept, gone = self.fresh("e"), self.fresh("h"), f"z{index}"
        reasons = self.fresh("r") if self.explaining and index is not None else self.const(())
        maxima = [
            f"({self.zero} if {self.dropped[c]} else {self.const(self.shapes[c].max)})" if c in self.dropped
            else self.const(self.shapes[c].max)
            for c in children
        ]  # fmt: skip
        if index is not None:
            w(f"{gone} = False")
        else:  # the total's reason (折算): what it was re-scaled by, or None (`Result.explanations`)
            w("a4 = None")
        if reasons != self.const(()):
            w(f"{reasons} = {self.const(())}")
        w(f"if {any_dropped}:")
        w.depth += 1
        w(f"{applicable} = {' + '.join([self.zero, *maxima])}")
        w(f"if {applicable}:")
        w(f"    {kept} = {raw}")
        w(f"    {raw} = {raw} * {self.const(top)} / {applicable}")
        if reasons != self.const(()):
            site = Site("rescaled", {"max": top}, ("raw", "applicable"))
            w(f"    {reasons} = (({self.const(site)}, ({kept}, {applicable})),)")
        if index is None:
            self.total_rescaled = True
            w(f"    a4 = ({kept}, {applicable})")
        w("else:")
        if index is None:
            w(f"    {self.const(refuse)}({self.const(Problem('PF535', None, {}))})")
        else:
            w(f"    {raw} = {self.zero}")
            w(f"    {gone} = True")
        w.depth -= 1
        if index is not None:
            self.dropped[index] = gone
            self.absent.setdefault(index, []).append(gone)
        return reasons

    def plain_sum(self, score: str, terms: list[str], children: list[int], index: int) -> None:
        """A group's plain sum, its score; scoring a rubric whose scores are never -0 and whose
        rows all apply, written canonical (normalized in C where `scores()` and the tree would
        normalize it when read, 20 ns more in scoring), so every score of such a rubric is."""
        if self.explaining or self.plan.guards or not self.unsigned:
            self.assign_sum(score, terms)
            return
        if len(terms) == 1 and children and children[0] in self.canonical and terms[0] == self.per_node[children[0]][0]:
            self.out(f"{score} = {terms[0]}")  # one child written canonical: its score as it is
        elif len(terms) <= SUM_CHUNK:
            self.out(f"{score} = {self.const(canonical_unsigned)}({' + '.join(terms)})")
        else:
            self.assign_sum(score, terms)
            self.out(f"{score} = {self.const(canonical_unsigned)}({score})")
        self.canonical.append(index)

    def assign_sum(self, name: str, terms: list[str]) -> None:
        """name = terms[0] + terms[1] + …, a statement per SUM_CHUNK terms: one expression of
        thousands of terms nests as deep, past what Python's compiler can take. Added left
        to right either way, so the result is the same digit for digit."""
        self.out(f"{name} = {' + '.join(terms[:SUM_CHUNK])}")
        for at in range(SUM_CHUNK, len(terms), SUM_CHUNK):
            self.out(f"{name} = {' + '.join([name, *terms[at : at + SUM_CHUNK]])}")

    def sum(self, positions: list[int], nodes: tuple[ast.Node, ...]) -> list[str]:
        """The terms of the sum of these nodes' scores, as sum(scores, Decimal(0)) gives it, digit for digit.

        Every score comes out of a decimal operation or a clamp to 0 or the node's max, so
        it has no positive exponent, and at most 28 digits when the max has: adding 0 first
        then changes nothing, unless every score can be -0 (0 + -0 is 0). Only a judgment or
        a formula can give -0 (from an input `-0`, or `-x` of 0); then the 0 stays."""
        scores = [self.per_node[i][0] for i in positions]
        long_max = any(len(n.max.value.as_tuple().digits) > 28 for n in nodes)
        if not scores or long_max or all(_may_be_negative_zero(n) for n in nodes):
            scores.insert(0, self.zero)
        return scores

    def clamp(self, raw: str, score: str, clamp: str, top: Decimal, low: bool, high: bool, floor: Decimal = ZERO) -> str:
        """score = raw clamped to [floor, top] (floor 0 but for an adjust row), on the sides that
        can happen; explaining, also clamp = "low", "high" or None. Returns the name of the clamp (or None)."""
        w = self.out
        keep = self.explaining and (low or high)
        keyword = "if"
        bottom = self.const(floor) if floor else self.zero
        for side, test, value in (("low", low, bottom), ("high", high, self.const(top))):
            if test:
                w(f"{keyword} {raw} {'<' if side == 'low' else '>'} {value}:")
                w(f"    {score} = {value}")
                if keep:
                    w(f"    {clamp} = {self.const(side)}")
                keyword = "elif"
        if keyword == "if":
            w(f"{score} = {raw}")
            return "None"
        w("else:")
        w(f"    {score} = {raw}")
        if keep:
            w(f"    {clamp} = None")
        return clamp if keep else "None"

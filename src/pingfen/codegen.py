"""Checked AST → the Python source of one rubric's scorer, and the constants it reads.

The source is written from validated AST values only: every input, `let`, node and
temporary becomes a generated name (`x3`, `y0`, `s12`, `t5`), every constant — each
Decimal, name, label, Site and helper function — is an entry of a constants table
passed in as the arguments `c0, c1, …`, and every operator comes from a fixed table.
No text of the rule file reaches the source, which `check_source` verifies before it is
compiled; the code then runs with no builtins at all.

The generated module defines `factory(c0, …)`, returning two functions:
- `run(data, lang)`: reads each input from the record on a fast path (a Decimal, an
  int, a bool or a label already as the rubric wants it, inside its bounds), then scores;
  it returns None as soon as an input needs the general path, which `compile` takes.
- `score(x0, …, lang)`: the rubric, straight-line: lets, then every node depth-first,
  then the total and the grade; it returns `Result.scored(…)`.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from pingfen import ast
from pingfen.check import Checked
from pingfen.errors import Problem
from pingfen.explain import Reason, Site, quantity
from pingfen.result import Layout, Result, Shape
from pingfen.values import CONTEXT

ZERO = Decimal(0)
ROUNDING = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_down": decimal.ROUND_HALF_DOWN,
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "ceiling": decimal.ROUND_CEILING,
    "floor": decimal.ROUND_FLOOR,
}
_COMPARE = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_ARITHMETIC = {"+": "+", "-": "-", "*": "*"}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class Refusal(Exception):
    """Raised by generated code when a record cannot be scored; carries the Problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _refuse(problem: Problem) -> None:
    raise Refusal(problem)


def _no_band(name: str, value: Decimal, unit: str) -> None:
    raise Refusal(Problem("PF505", None, {"name": name, "value": quantity(value, unit)}))


def _no_label(name: str, label: str) -> None:
    raise Refusal(Problem("PF505", None, {"name": name, "value": label}))


def _clamp(raw: Decimal, top: Decimal) -> tuple[Decimal, str | None]:
    if raw < 0:
        return ZERO, "low"
    if raw > top:
        return top, "high"
    return raw, None


class Program:
    """The generated source, its constants, and the layout of the results it builds."""

    def __init__(self, source: str, constants: list[object], layout: Layout, inputs: int) -> None:
        self.source = source
        self.constants = constants
        self.layout = layout
        self.inputs = inputs

    def functions(self, filename: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
        """Compile the source and return (run, score), the constants bound in."""
        check_source(self.source)
        namespace: dict[str, Any] = {"__builtins__": {}}
        exec(compile(self.source, filename, "exec"), namespace)  # noqa: S102 - checked generated source
        return namespace["factory"](*self.constants)  # type: ignore[no-any-return]


# Every word the generator writes that is not a generated name.
_WORDS = frozenset("def return if elif else not and or is in None True False factory run score data get lang".split())
_GENERATED = re.compile(r"[a-z]\d+")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_ALLOWED_CHARS = re.compile(r"[A-Za-z0-9_ \n():=<>!+\-*/,.]*")


def check_source(source: str) -> None:
    """Refuse source that could hold anything but generated names, fixed words and operators:
    no quotes (so no strings), no digits outside names (so no literals), no brackets, no
    attribute other than `data.get`."""
    if not _ALLOWED_CHARS.fullmatch(source):
        raise ValueError("generated source holds a character it must not")
    for word in _IDENTIFIER.findall(source):
        if word not in _WORDS and not _GENERATED.fullmatch(word):
            raise ValueError(f"generated source holds an unknown name: {word!r}")
    if re.search(r"(?<![A-Za-z0-9_])\d", source):
        raise ValueError("generated source holds a literal")
    if source.count(".") != source.count("data.get"):
        raise ValueError("generated source reads an attribute")


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def __call__(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)


Bounds = tuple[tuple[str, Decimal], ...]


def generate(
    module: ast.Module, checked: Checked, text: str, inputs: tuple[ast.Input, ...], bounds: tuple[Bounds, ...]
) -> Program:
    """The scorer of a checked module; `inputs` are the declarations read, in order, and
    `bounds` the domain of each (a score's [0, max] included)."""
    return _Generator(module, checked, text, inputs, bounds).program()


class _Generator:
    def __init__(
        self, module: ast.Module, checked: Checked, text: str, inputs: tuple[ast.Input, ...], bounds: tuple[Bounds, ...]
    ) -> None:
        self.module = module
        self.bounds = dict(zip((i.name.text for i in inputs), bounds, strict=True))
        self.checked = checked
        self.text = text
        self.inputs = inputs
        self.constants: list[object] = []
        self._constant_names: dict[object, str] = {}
        self.names = {decl.name.text: f"x{i}" for i, decl in enumerate(inputs)}
        self.names.update({let.name.text: f"y{j}" for j, let in enumerate(checked.let_order)})
        self.units = {name: symbol.unit for name, symbol in checked.symbols.items()}
        self._fresh = 0
        self.out = _Writer()
        self.shapes: list[Shape] = []
        self.zero = self.const(ZERO)
        self.fixed = False  # within an indicator whose arms' scores are worked out at load

    # ---------------------------------------------------------------- names
    def const(self, value: object) -> str:
        """The name of a constant; equal Decimals with different digits stay apart."""
        if isinstance(value, (Decimal, str, bool, int)) or value is None or isinstance(value, tuple):
            key: object = (type(value), repr(value))
        else:
            key = ("id", id(value))
        name = self._constant_names.get(key)
        if name is None:
            name = f"c{len(self.constants)}"
            self.constants.append(value)
            self._constant_names[key] = name
        return name

    def fresh(self, prefix: str = "t") -> str:
        self._fresh += 1
        return f"{prefix}{self._fresh}"

    def source_of(self, node: Any) -> str:
        return self.text[node.span.start : node.span.end]

    def unit(self, e: ast.Expr) -> str:
        return self.checked.units.get(e, "number")

    # ---------------------------------------------------------------- program
    def program(self) -> Program:
        header = self.module.header
        assert header is not None, "the checker guarantees a header"
        w = self.out
        w.depth = 2
        for let in self.checked.let_order:
            w(f"{self.names[let.name.text]} = {self.expr(let.expr, let.name.text)}")
        top = [self.node(n) for n in self.module.top]
        w(f"a0 = {self.sum(top)}")
        self.total_and_grade(header)
        count = range(len(self.shapes))
        top_sum = sum((n.max.value for n in self.module.top), ZERO)
        layout = Layout(header.title, header.total.value if header.total else top_sum, tuple(self.shapes), tuple(top))
        scores, reasons, clamps = ("(" + "".join(f"{kind}{i}, " for i in count) + ")" for kind in "sek")
        make = f"{self.const(Result.scored)}({self.const(layout)}, a1, a0, a2"
        w(f"return {make}, {scores}, {reasons}, {clamps}, lang)")
        score_body = w.lines

        self.out = w = _Writer()
        w.depth = 2
        w("get = data.get")
        for decl in self.inputs:
            self.read_input(decl)
        params = "".join(f"{self.names[i.name.text]}, " for i in self.inputs)
        w(f"return score({params}lang)")
        run_body = w.lines

        lines = [
            "def factory(" + ", ".join(f"c{i}" for i in range(len(self.constants))) + "):",
            f"    def score({params}lang):",
            *score_body,
            "    def run(data, lang):",
            *run_body,
            "    return run, score",
        ]
        return Program("\n".join(lines) + "\n", self.constants, layout, len(self.inputs))

    def total_and_grade(self, header: ast.Header) -> None:
        """a1, the total rounded as the header says; a2, the first grade it reaches."""
        w = self.out
        places = header.round_places.value if header.round_places else Decimal(2)
        quantum = Decimal(1).scaleb(-int(places))
        rounding = self.const(ROUNDING[header.round_mode])
        w(f"a1 = {self.const(Decimal.quantize)}(a0, {self.const(quantum)}, {rounding})")
        keyword = "if"
        for grade in header.grades:
            if grade.op is None or grade.threshold is None:
                w("else:" if keyword == "elif" else "if True:")
                w(f"    a2 = {self.const(grade.name.text)}")
                return
            w(f"{keyword} a1 {_COMPARE[grade.op]} {self.const(grade.threshold.value)}:")
            w(f"    a2 = {self.const(grade.name.text)}")
            keyword = "elif"
        w("else:" if keyword == "elif" else "if True:")
        w("    a2 = None")

    # ---------------------------------------------------------------- inputs
    def read_input(self, decl: ast.Input) -> None:
        """The fast path of one input: exactly the values `values.coerce` passes unchanged
        (or turns from int to Decimal), inside the declared bounds; else return None."""
        w = self.out
        x = self.names[decl.name.text]
        w(f"{x} = get({self.const(decl.name.text)})")
        kind = decl.type
        if kind == "bool":
            w(f"if {x} is not True and {x} is not False:")
            w("    return None")
            return
        if kind == "label":
            labels = frozenset(lb.text for lb in decl.labels if lb.text == lb.text.strip())
            w(f"if {self.const(type)}({x}) is not {self.const(str)} or {x} not in {self.const(labels)}:")
            w("    return None")
            return
        t = self.fresh()
        typ, dec, integer = self.const(type), self.const(Decimal), self.const(int)
        w(f"{t} = {typ}({x})")
        w(f"if {t} is {integer}:")
        if kind in ("count", "amount"):
            w(f"    if {x} < {self.const(0)}:")
            w("        return None")
        w(f"    {x} = {dec}({x})")
        w(f"elif {t} is {dec}:")
        w(f"    if not {self.const(Decimal.is_finite)}({x}):")
        w("        return None")
        if kind in ("count", "amount"):
            w(f"    if {x} < {self.zero}:")
            w("        return None")
        if kind == "count":
            w(f"    if {x} != {self.const(Decimal.to_integral_value)}({x}):")
            w("        return None")
        w("else:")
        w("    return None")
        for op, bound in self.bounds[decl.name.text]:
            w(f"if not {x} {_COMPARE[op]} {self.const(bound)}:")
            w("    return None")

    # ---------------------------------------------------------------- expressions
    def expr(self, e: ast.Expr, where: str) -> str:
        """A Python expression computing e; `where` names the let or indicator for errors."""
        if isinstance(e, ast.Number):
            return self.const(e.value)
        if isinstance(e, ast.Bool):
            return "True" if e.value else "False"
        if isinstance(e, ast.Ref):
            return self.names[e.name.text]
        if isinstance(e, ast.Neg):
            return f"(-{self.expr(e.operand, where)})"
        if isinstance(e, ast.Not):
            return f"(not {self.expr(e.operand, where)})"
        if isinstance(e, ast.And):
            return f"({self.expr(e.left, where)} and {self.expr(e.right, where)})"
        if isinstance(e, ast.Or):
            return f"({self.expr(e.left, where)} or {self.expr(e.right, where)})"
        if isinstance(e, ast.Compare):
            return f"({self.expr(e.left, where)} {_COMPARE[e.op]} {self.expr(e.right, where)})"
        if isinstance(e, ast.Call):
            args = [self.expr(a, where) for a in e.args]
            if e.func == "abs":
                return f"{self.const(abs)}({args[0]})"
            if len(args) == 1:
                return args[0]
            pick = self.const(min if e.func == "min" else max)
            return f"{pick}({', '.join(args)})"
        if isinstance(e, ast.Binary):
            left, right = self.expr(e.left, where), self.expr(e.right, where)
            if e.op in _ARITHMETIC:
                return f"({left} {_ARITHMETIC[e.op]} {right})"
            assert e.op == "/", e.op
            divisor = e.right.name.text if isinstance(e.right, ast.Ref) else None
            problem = Problem("PF504", divisor, {"where": where, "divisor": self.source_of(e.right)})
            t = self.fresh()
            # the divisor first, as a reader expects: `a / b` refuses a zero b before reading a
            return f"({left} / {t} if ({t} := {right}) else {self.const(_refuse)}({self.const(problem)}))"
        raise AssertionError(f"unknown expression {e!r}")  # pragma: no cover

    def sum(self, names: list[int]) -> str:
        """`0 + a + b …`, as Python's sum(…, Decimal(0)) adds: the same digits, the same exponent."""
        return " + ".join([self.zero, *(f"s{i}" for i in names)])

    # ---------------------------------------------------------------- the tree
    def node(self, node: ast.Node) -> int:
        index = len(self.shapes)
        if isinstance(node, ast.Indicator):
            self.shapes.append(Shape(node.name.text, node.max.value, False))
            self.indicator(node, index)
            return index
        self.shapes.append(Shape(node.name.text, node.max.value, True))
        children = [self.node(c) for c in node.children]
        self.shapes[index] = Shape(node.name.text, node.max.value, True, tuple(children))
        w = self.out
        raw = self.fresh("g")
        w(f"{raw} = {self.sum(children)}")
        w(f"e{index} = {self.const(())}")
        self.clamp(raw, index, self.const(node.max.value))
        return index

    def clamp(self, raw: str, index: int, top: str) -> None:
        w = self.out
        w(f"if {raw} < {self.zero}:")
        w(f"    s{index} = {self.zero}")
        w(f"    k{index} = {self.const('low')}")
        w(f"elif {raw} > {top}:")
        w(f"    s{index} = {top}")
        w(f"    k{index} = {self.const('high')}")
        w("else:")
        w(f"    s{index} = {raw}")
        w(f"    k{index} = None")

    def indicator(self, ind: ast.Indicator, index: int) -> None:
        w = self.out
        top, rules = ind.max.value, ind.rules
        base = next((r for r in rules if isinstance(r, ast.BASE_RULES)), None)
        awards = [r for r in rules if isinstance(r, ast.AwardIf)]
        deductions = [r for r in rules if isinstance(r, (ast.DeductStep, ast.DeductIf))]
        emit: list[str] = []  # reason lines, written once the score is known
        self.fixed = not deductions and isinstance(base, (ast.Bands, ast.WhenChain, ast.Match))
        self.fixed = self.fixed and all(ZERO <= points <= top for points, _ in _arm_points(base))
        if base is not None:
            start = self.base(base, ind, emit)
        elif awards:
            start = self.awards(awards, ind, emit)
        else:
            start = self.const(top)
        if self.fixed:
            self.fixed_points(start, index, emit)
            return
        lost = [self.deduction(r, ind, emit) for r in deductions]
        all_lost = self.fresh("d")
        w(f"{all_lost} = {' + '.join([self.zero, *lost])}")
        raw = self.fresh("g")
        w(f"{raw} = {start} - {all_lost}")
        self.clamp(raw, index, self.const(top))
        clamped = Site("clamped_low", {"max": top}, ("start", "lost"))
        emit.append(f"if k{index} is {self.const('low')}:")
        emit.append(f"    e{index} += ({self.const(Reason)}({self.const(clamped)}, ({start}, {all_lost}), s{index}),)")
        self.reasons(index, emit)

    def fixed_points(self, start: str, index: int, emit: list[str]) -> None:
        """A picked constant with nothing deducted: its score and clamping were worked out at load."""
        w = self.out
        w(f"s{index} = {start}")
        w(f"k{index} = None")
        self.reasons(index, emit)

    def reasons(self, index: int, emit: list[str]) -> None:
        w = self.out
        w(f"e{index} = {self.const(())}")
        for line in emit:
            w(line.replace("@S", f"s{index}").replace("@E", f"e{index}"))

    def reason(self, site: Site, numbers: list[str]) -> str:
        """`e += (Reason(site, (numbers…), score),)`, with @E and @S for the node's names."""
        packed = "(" + "".join(f"{n}, " for n in numbers) + ")"
        return f"@E += ({self.const(Reason)}({self.const(site)}, {packed}, @S),)"

    def site(self, kind: str, facts: dict[str, object], fields: tuple[str, ...], template: str | None,
             top: Decimal) -> tuple[Site, list[str]]:  # fmt: skip
        """The Site of a rule, and the names of the values its template reads."""
        if template is None:
            return Site(kind, facts, fields), []
        named = list(dict.fromkeys(n for n in _PLACEHOLDER.findall(template) if n in self.names))
        site = Site(kind, facts | {"max": top}, fields, template, tuple((n, self.units[n]) for n in named))
        return site, [self.names[n] for n in named]

    def lost(self, top: Decimal, points: Decimal) -> Decimal:
        return CONTEXT.subtract(top, points)

    # ---------------------------------------------------------------- base rules
    def base(self, rule: ast.Rule, ind: ast.Indicator, emit: list[str]) -> str:
        if isinstance(rule, ast.Bands):
            return self.bands(rule, ind, emit)
        if isinstance(rule, ast.WhenChain):
            return self.when(rule, ind, emit)
        if isinstance(rule, ast.Match):
            return self.match(rule, ind, emit)
        w = self.out
        top = ind.max.value
        points = self.fresh("p")
        if isinstance(rule, ast.Judgment):
            w(f"{points} = {self.names[(rule.input or ind.name).text]}")
            site = Site("judgment", {"max": top}, ("points", "lost"))
            emit.append(f"if {points} < {self.const(top)}:")
            emit.append("    " + self.reason(site, [points, f"{self.const(top)} - {points}"]))
            return points
        assert isinstance(rule, ast.Formula)
        w(f"{points} = {self.expr(rule.expr, ind.name.text)}")
        site = Site("formula", {"formula": self.source_of(rule.expr), "max": top}, ("points",))
        emit.append(f"if {points} < {self.const(top)}:")
        emit.append("    " + self.reason(site, [points]))
        return points

    def picked(self, points: Decimal, site: Site | None, numbers: list[str], pick: str, q: str, n: str) -> None:
        """Inside an arm: the points it gives (worked out as `points - 0`, clamped, at load) and its Site."""
        w = self.out
        w.depth += 1
        w(f"{pick} = {self.const(points)}")
        w(f"{q} = {self.const(site) if site is not None else 'None'}")
        if site is not None:
            w(f"{n} = (" + "".join(f"{x}, " for x in numbers) + ")")
        w.depth -= 1

    def arms_end(self, q: str, n: str, emit: list[str]) -> None:
        emit.append(f"if {q} is not None:")
        emit.append(f"    @E += ({self.const(Reason)}({q}, {n}, @S),)")

    def score_of(self, points: Decimal, top: Decimal) -> Decimal:
        """What an arm's points score with nothing deducted: `points - 0`, clamped."""
        return _clamp(CONTEXT.subtract(points, ZERO), top)[0]

    def bands(self, rule: ast.Bands, ind: ast.Indicator, emit: list[str]) -> str:
        w = self.out
        top = ind.max.value
        value, pick, q, n = self.fresh("v"), self.fresh("p"), self.fresh("q"), self.fresh("n")
        w(f"{value} = {self.expr(rule.subject, ind.name.text)}")
        subject, unit = self.source_of(rule.subject), self.unit(rule.subject)
        first = True
        for band in rule.bands:
            site = None
            names: list[str] = []
            if band.points.value < top:
                facts = {"subject": subject, "unit": unit, "band": _band_text(band), "points": band.points.value,
                         "max": top, "lost": self.lost(top, band.points.value)}  # fmt: skip
                site, names = self.site("band", facts, ("value",), band.reason, top)
            test = self.band_test(band, value)
            w(("if True:" if first else "else:") if band.is_else else f"{'if' if first else 'elif'} {test}:")
            points = self.score_of(band.points.value, top) if self.fixed else band.points.value
            self.picked(points, site, [value, *names], pick, q, n)
            first = False
            if band.is_else:
                break
        else:
            w("else:")
            fail = self.const(_no_band)
            w(f"    {fail}({self.const(ind.name.text)}, {value}, {self.const(unit)})")
        self.arms_end(q, n, emit)
        return pick

    def band_test(self, band: ast.Band, value: str) -> str:
        tests = []
        if band.low is not None:
            tests.append(f"{value} {'>=' if band.low_closed else '>'} {self.const(band.low.value)}")
        if band.high is not None:
            tests.append(f"{value} {'<=' if band.high_closed else '<'} {self.const(band.high.value)}")
        return " and ".join(tests) or "True"

    def when(self, rule: ast.WhenChain, ind: ast.Indicator, emit: list[str]) -> str:
        w = self.out
        top, name = ind.max.value, ind.name.text
        pick, q, n = self.fresh("p"), self.fresh("q"), self.fresh("n")
        first = True
        for arm in rule.arms:
            site = None
            names: list[str] = []
            if arm.points.value < top:
                text = self.source_of(arm.condition) if arm.condition is not None else None
                facts = {"condition": text, "points": arm.points.value, "max": top,
                         "lost": self.lost(top, arm.points.value)}  # fmt: skip
                site, names = self.site("when" if text is not None else "when_else", facts, (), arm.reason, top)
            if arm.condition is None:
                w("else:")
            else:
                w(f"{'if' if first else 'elif'} {self.expr(arm.condition, name)}:")
            points = self.score_of(arm.points.value, top) if self.fixed else arm.points.value
            self.picked(points, site, names, pick, q, n)
            first = False
            if arm.condition is None:
                break
        else:
            w("else:")
            problem = Problem("PF505", None, {"name": name, "value": "—"})
            w(f"    {self.const(_refuse)}({self.const(problem)})")
        self.arms_end(q, n, emit)
        return pick

    def match(self, rule: ast.Match, ind: ast.Indicator, emit: list[str]) -> str:
        w = self.out
        top, name = ind.max.value, ind.name.text
        label, pick, q, n = self.fresh("v"), self.fresh("p"), self.fresh("q"), self.fresh("n")
        w(f"{label} = {self.expr(rule.subject, name)}")
        subject = self.source_of(rule.subject)
        table = {a.label.text: a for a in rule.arms if a.label is not None}  # the last arm of a label wins
        fallback = next((a for a in rule.arms if a.label is None), None)
        keyword = "if"
        for arm in [*table.values(), fallback]:
            if arm is None:
                w("else:" if keyword == "elif" else "if True:")
                w(f"    {self.const(_no_label)}({self.const(name)}, {label})")
                break
            site = None
            names: list[str] = []
            if arm.points.value < top:
                facts = {"subject": subject, "points": arm.points.value, "max": top,
                         "lost": self.lost(top, arm.points.value)}  # fmt: skip
                site, names = self.site("match", facts, ("label",), arm.reason, top)
            if arm.label is None:
                w("else:" if keyword == "elif" else "if True:")
            else:
                w(f"{keyword} {label} == {self.const(arm.label.text)}:")
            points = self.score_of(arm.points.value, top) if self.fixed else arm.points.value
            self.picked(points, site, [label, *names], pick, q, n)
            keyword = "elif"
        self.arms_end(q, n, emit)
        return pick

    def awards(self, awards: list[ast.AwardIf], ind: ast.Indicator, emit: list[str]) -> str:
        w = self.out
        top, name = ind.max.value, ind.name.text
        held = []
        for award in awards:
            flag = self.fresh("w")
            w(f"{flag} = {self.expr(award.condition, name)}")
            held.append(f"({self.const(award.points.value)} if {flag} else {self.zero})")
            facts = {"condition": self.source_of(award.condition), "lost": award.points.value}
            site, names = self.site("award_missed", facts, (), award.reason, top)
            emit.append(f"if not {flag}:")
            emit.append("    " + self.reason(site, names))
        start = self.fresh("p")
        w(f"{start} = {' + '.join([self.zero, *held])}")
        return start

    # ---------------------------------------------------------------- deductions
    def deduction(self, rule: ast.DeductStep | ast.DeductIf, ind: ast.Indicator, emit: list[str]) -> str:
        w = self.out
        top, name = ind.max.value, ind.name.text
        lost = self.fresh("l")
        if isinstance(rule, ast.DeductIf):
            flag = self.fresh("w")
            w(f"{flag} = {self.expr(rule.condition, name)}")
            w(f"{lost} = {self.const(rule.points.value)} if {flag} else {self.zero}")
            facts = {"condition": self.source_of(rule.condition), "lost": rule.points.value}
            site, names = self.site("deduct_if", facts, (), rule.reason, top)
            emit.append(f"if {flag}:")
            emit.append("    " + self.reason(site, names))
            return lost
        value, reference, excess, steps = self.fresh("v"), self.fresh("r"), self.fresh("m"), self.fresh("u")
        w(f"{value} = {self.expr(rule.value, name)}")
        if rule.reference is not None:
            w(f"{reference} = {self.expr(rule.reference, name)}")
        else:
            w(f"{reference} = {self.zero}")
        if rule.direction == "from":
            w(f"{excess} = {self.const(abs)}({value} - {reference})")
        else:
            a, b = (value, reference) if rule.direction == "above" else (reference, value)
            w(f"{excess} = {a} - {b}")
            w(f"if {excess} < {self.zero}:")
            w(f"    {excess} = {self.zero}")
        w(f"{steps} = {excess} / {self.const(rule.step.value)}")
        if rule.counting in ("whole", "started"):
            rounding = ROUND_FLOOR if rule.counting == "whole" else ROUND_CEILING
            w(f"{steps} = {self.const(Decimal.to_integral_value)}({steps}, {self.const(rounding)})")
        w(f"{lost} = {self.const(rule.rate.value)} * {steps}")
        unit = self.unit(rule.value)
        facts = {"subject": self.source_of(rule.value), "unit": unit, "direction": rule.direction,
                 "step": rule.step.value, "rate": rule.rate.value, "counting": rule.counting}  # fmt: skip
        site, names = self.site("step", facts, ("value", "reference", "excess", "steps", "lost"), rule.reason, top)
        shown_reference = reference if rule.reference is not None else "None"
        emit.append(f"if {lost} > {self.zero}:")
        emit.append("    " + self.reason(site, [value, shown_reference, excess, steps, lost, *names]))
        return lost


def _band_text(band: ast.Band) -> str:
    if band.is_else:
        return "else"
    if band.op is not None:
        end = band.low if band.low is not None else band.high
        return f"{band.op} {end.text}"  # type: ignore[union-attr]
    assert band.low is not None and band.high is not None
    return f"{'[' if band.low_closed else '('}{band.low.text}, {band.high.text}{']' if band.high_closed else ')'}"


def _arm_points(rule: ast.Rule | None) -> list[tuple[Decimal, object]]:
    if isinstance(rule, ast.Bands):
        return [(b.points.value, b) for b in rule.bands]
    if isinstance(rule, (ast.WhenChain, ast.Match)):
        return [(a.points.value, a) for a in rule.arms]
    return []

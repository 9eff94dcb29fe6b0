"""Compiled evaluation equals the plain tree-walking oracle (`pingfen.evaluate.walker`), on random
rubrics and random records: every node's score (digit for digit), its clamping and its
reason records, the total, the grade — and, for a refused record, the same problems.

The rubrics use every rule form: bands, when chains (with and without else), deductions
per step with each counting and direction, counted deductions, awards, deduct-if, match
on labels, judgment, formulas, and lets with + - * / min max abs; some rules carry a
reason template. Records are mostly exact values (the fast path), sometimes strings,
floats and ints (the general path), now and then missing or out of their domain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

import pingfen
from pingfen.check.passes import check
from pingfen.evaluate import walker as oracle
from pingfen.evaluate.codegen import check_source
from pingfen.syntax.parser import parse

D = Decimal
HALVES = [D(n) / 2 for n in range(0, 21)]


def fmt(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def pct(ratio: Decimal) -> str:
    return fmt(ratio * 100) + "%"


@dataclass
class Input:
    name: str
    type: str
    decl: str  # bounds and labels after the type
    exact: st.SearchStrategy[object]  # values as the rubric wants them: the fast path
    spelt: st.SearchStrategy[object] | None = None  # other spellings of them: the general path


@dataclass
class Gen:
    """What a generated rubric declares, while it is being drawn."""

    draw: st.DrawFn
    inputs: list[Input] = field(default_factory=list)
    lets: list[str] = field(default_factory=list)
    n: int = 0

    def fresh(self, stem: str) -> str:
        self.n += 1
        return f"{stem}{self.n}"

    def new(self, type_: str, decl: str, exact: st.SearchStrategy[object], spelt: st.SearchStrategy[object] | None = None,
            name: str | None = None) -> str:  # fmt: skip
        name = name or self.fresh({"percent": "率", "number": "数", "count": "个数", "amount": "金额", "bool": "是否",
                                   "label": "等级", "score": "评分"}[type_])  # fmt: skip
        self.inputs.append(Input(name, type_, decl, exact, spelt))
        return name

    def pick(self, type_: str, decl: str, exact: st.SearchStrategy[object], spelt: st.SearchStrategy[object]) -> str:
        """An input of this type and domain already declared, or a new one."""
        same = [i.name for i in self.inputs if i.type == type_ and i.decl == decl]
        if same and self.draw(st.booleans()):
            return self.draw(st.sampled_from(same))
        return self.new(type_, decl, exact, spelt)

    # ---- each type's exact values, and other spellings of them
    def percent(self) -> str:
        # on the band ends and thresholds (multiples of 5%) as often as between them
        ratio = st.one_of(
            st.integers(0, 30).map(lambda n: D(n) / 20), st.integers(0, 15_000).map(lambda n: D(n).scaleb(-4))
        )
        return self.pick("percent", ">= 0", ratio, st.one_of(ratio.map(pct), ratio.map(float), ratio.map(str)))

    def number(self) -> str:
        exact = st.one_of(
            st.integers(-20, 20).map(lambda n: D(n) / 2), st.integers(-2000, 2000).map(lambda n: D(n).scaleb(-2)),
            st.integers(-20, 20), st.sampled_from([D("-0"), D("1E+1"), D("-0.00")]),
        )  # fmt: skip
        return self.pick("number", "", exact, exact.map(str))

    def positive(self) -> str:
        exact = st.one_of(st.integers(1, 2000).map(lambda n: D(n).scaleb(-2)), st.integers(1, 20))
        return self.pick("number", "> 0", exact, exact.map(float))

    def count(self) -> str:
        n = st.integers(0, 12)
        return self.pick(
            "count", "", st.one_of(n, n.map(D)), st.one_of(n.map(str), n.map(lambda i: D(i).scaleb(-1) * 10))
        )

    def flag(self) -> str:
        return self.pick("bool", "", st.booleans(), st.sampled_from(["是", "否", "true", "0", 1]))

    # ---- expressions
    def numeric(self, depth: int = 0) -> str:
        """A number-valued expression over number inputs and lets: + - * / min max abs."""
        draw = self.draw
        if depth >= 2 or draw(st.integers(0, 2)) == 0:
            return draw(st.sampled_from([self.number(), fmt(draw(st.sampled_from(HALVES))), *self.number_lets()]))
        op = draw(st.sampled_from(["+", "-", "*", "/", "min", "max", "abs", "neg"]))
        a = self.numeric(depth + 1)
        if op == "/":
            divisor = draw(st.sampled_from([self.positive(), fmt(draw(st.sampled_from(HALVES[1:])))]))
            return f"({a} / {divisor})"
        if op == "abs":
            return f"abs({a})"
        if op == "neg":
            return f"-({a})"
        b = self.numeric(depth + 1)
        return f"{op}({a}, {b})" if op in ("min", "max") else f"({a} {op} {b})"

    def number_lets(self) -> list[str]:
        return [line.split()[1] for line in self.lets if "# number" in line]

    def let_number(self) -> str:
        name = self.fresh("算")
        self.lets.append(f"let {name} = {self.numeric()}  # number")
        return name

    def let_ratio(self) -> str:
        """A percent let, as 在职人数 / 编制人数."""
        a = self.count()
        b = self.new("count", "> 0", st.integers(1, 12), st.integers(1, 12).map(str))
        name = self.fresh("比")
        self.lets.append(f"let {name} = {a} / {b}")
        return name

    def condition(self, depth: int = 0) -> str:
        draw = self.draw
        kind = draw(
            st.sampled_from(["flag", "flag", "cmp_pct", "cmp_num", "not", "and", "or"] if depth < 2 else ["flag"])
        )
        if kind == "flag":
            return self.flag()
        if kind == "cmp_pct":
            op = draw(st.sampled_from([">=", ">", "<", "<=", "=", "!="]))
            return f"{self.percent()} {op} {pct(D(draw(st.integers(0, 30))) / 20)}"
        if kind == "cmp_num":
            op = draw(st.sampled_from([">=", ">", "<", "<=", "=", "!="]))
            return f"{self.numeric(1)} {op} {fmt(draw(st.sampled_from(HALVES)))}"
        if kind == "not":
            return f"not ({self.condition(depth + 1)})"
        return f"({self.condition(depth + 1)}) {kind} ({self.condition(depth + 1)})"

    def template(self) -> str:
        """Now and then an author's reason, naming fields and inputs."""
        if self.draw(st.integers(0, 3)) > 0:
            return ""
        names = [i.name for i in self.inputs[-3:]] + ["score", "max", "lost", "value"]
        chosen = self.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3))
        return ' reason "说明：' + "，".join(f"{{{n}}}" for n in chosen) + '"'


def points(draw: st.DrawFn, top: Decimal) -> Decimal:
    return draw(st.sampled_from([p for p in HALVES if p <= top]))


def base_rule(gen: Gen, name: str, top: Decimal) -> list[str]:
    draw = gen.draw
    kind = draw(st.sampled_from(["bands", "bands_let", "when", "when_open", "match", "judgment", "formula",
                                 "awards", "none"]))  # fmt: skip
    if kind in ("bands", "bands_let"):
        if kind == "bands":
            subject, ends = (
                gen.percent(),
                sorted({D(c) / 20 for c in draw(st.lists(st.integers(1, 30), min_size=1, max_size=4))}),
            )
            show = pct
        else:
            subject, ends = (
                gen.let_number(),
                sorted({D(c) / 2 for c in draw(st.lists(st.integers(-10, 10), min_size=1, max_size=4))}),
            )
            show = fmt
        closed = draw(st.booleans())
        lines = [f"{'>=' if closed else '>'} {show(ends[-1])} -> {fmt(points(draw, top))}{gen.template()}"]
        for low, high in zip(reversed(ends[:-1]), reversed(ends[1:]), strict=True):
            band = f"[{show(low)}, {show(high)})" if closed else f"({show(low)}, {show(high)}]"
            lines.append(f"{band} -> {fmt(points(draw, top))}{gen.template()}")
        last = "else" if draw(st.booleans()) else f"{'<' if closed else '<='} {show(ends[0])}"
        lines.append(f"{last} -> {fmt(points(draw, top))}")
        return [f"bands {subject} {{ " + "  ".join(lines) + " }"]
    if kind in ("when", "when_open"):
        arms = [
            f"when {gen.condition()} -> {fmt(points(draw, top))}{gen.template()}"
            for _ in range(draw(st.integers(1, 3)))
        ]
        if kind == "when":
            arms.append(f"else -> {fmt(points(draw, top))}{gen.template()}")
        return arms
    if kind == "match":
        labels = ["优", "良", "中", "差"][: draw(st.integers(2, 4))]
        subject = gen.new("label", "{ " + ", ".join(labels) + " }", st.sampled_from(labels),
                          st.sampled_from(labels).map(lambda s: f" {s} "))  # fmt: skip
        covered = draw(st.lists(st.sampled_from(labels), min_size=1, unique=True))
        arms = [f"{label} -> {fmt(points(draw, top))}{gen.template()}" for label in covered]
        if set(covered) != set(labels) or draw(st.booleans()):
            arms.append(f"else -> {fmt(points(draw, top))}")
        return [f"match {subject} {{ " + "  ".join(arms) + " }"]
    if kind == "judgment":
        score = st.one_of(st.integers(0, int(top * 100)).map(lambda n: D(n).scaleb(-2)), st.just(D("-0")))
        if draw(st.booleans()):
            gen.new("score", "", score, score.map(str), name=name)
            return ["judgment"]
        return [f"judgment {gen.new('score', '', score, score.map(float))}"]
    if kind == "formula":  # a number input in it, so that it goes below 0 and above the max
        return [f"score = {gen.number()} {draw(st.sampled_from(['+', '-', '*']))} {gen.numeric(1)}"]
    if kind == "awards":
        shares, left = [], top
        while left > 0 and len(shares) < 3:
            share = points(draw, left)
            if share == 0:
                break
            shares.append(share)
            left -= share
        return [f"award {fmt(p)} if {gen.condition()}{gen.template()}" for p in shares]
    return []


def deductions(gen: Gen) -> list[str]:
    draw = gen.draw
    out = []
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["step_pct", "step_ratio", "step_num", "counted", "deduct_if"]))
        rate = draw(st.sampled_from(["0.1", "0.2", "0.5", "1", "2"]))
        direction = draw(st.sampled_from(["above", "below", "from"]))
        counting = draw(st.sampled_from(["", " counting proportional", " counting whole", " counting started"]))
        if kind in ("step_pct", "step_ratio"):
            subject = gen.percent() if kind == "step_pct" else gen.let_ratio()
            step = draw(st.sampled_from(["1pp", "0.5pp", "5pp", "2%"]))
            reference = pct(D(draw(st.integers(0, 30))) / 20) if draw(st.integers(0, 3)) else gen.percent()
            out.append(f"deduct {rate} per {step} of {subject} {direction} {reference}{counting}{gen.template()}")
        elif kind == "step_num":
            step = draw(st.sampled_from(["1", "0.5", "3"]))
            reference = fmt(draw(st.sampled_from(HALVES))) if draw(st.booleans()) else gen.number()
            out.append(
                f"deduct {rate} per {step} of {gen.numeric(1)} {direction} {reference}{counting}{gen.template()}"
            )
        elif kind == "counted":
            out.append(f"deduct {rate} per {draw(st.sampled_from([gen.count(), gen.number()]))}{gen.template()}")
        else:
            out.append(f"deduct {fmt(draw(st.sampled_from(HALVES[1:6])))} if {gen.condition()}{gen.template()}")
    return out


def indicator(gen: Gen) -> tuple[str, Decimal]:
    draw = gen.draw
    name = gen.fresh(draw(st.sampled_from(["指标", "“指标”", "《指标》"])))
    top = draw(st.sampled_from([D(1), D(2), D(3), D(5), D(10), D("2.5"), D("0.5")]))
    rules = base_rule(gen, name, top) + deductions(gen)
    body = "\n    ".join(rules)
    return f"  indicator {name} {fmt(top)} {{\n    {body}\n  }}", top


def group(gen: Gen, depth: int) -> tuple[str, Decimal]:
    draw = gen.draw
    parts = [
        group(gen, depth + 1) if depth < 1 and draw(st.integers(0, 3)) == 0 else indicator(gen)
        for _ in range(draw(st.integers(1, 4)))
    ]
    top = sum((p[1] for p in parts), D(0))
    body = "\n".join(p[0] for p in parts)
    return f"group {gen.fresh('组')} {fmt(top)} {{\n{body}\n}}", top


@st.composite
def rubrics(draw: st.DrawFn) -> tuple[str, st.SearchStrategy[dict[str, object]]]:
    gen = Gen(draw)
    groups = [group(gen, 0) for _ in range(draw(st.integers(1, 3)))]
    total = sum((g[1] for g in groups), D(0))
    places = draw(st.integers(0, 3))
    mode = draw(st.sampled_from(["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]))
    grades = sorted({draw(st.sampled_from(HALVES)) * total / 10 for _ in range(draw(st.integers(0, 2)))}, reverse=True)
    header = f'rubric "随机" {{\n  total {fmt(total)}\n  round total {places} {mode}\n'
    header += "".join(f"  grade 等{i} >= {fmt(t)}\n" for i, t in enumerate(grades)) + "  grade 末等 otherwise\n}"
    decls = [f"input {i.name}: {'label ' if i.type == 'label' else i.type} {i.decl}".rstrip() for i in gen.inputs]
    decls = [d.replace("label  {", "label {") for d in decls]
    lets = [line.split("  #")[0] for line in gen.lets]
    text = "\n".join([header, *decls, *lets, *(g[0] for g in groups)]) + "\n"
    exact = st.fixed_dictionaries({i.name: i.exact for i in gen.inputs})
    mixed = st.fixed_dictionaries(
        {i.name: st.one_of(i.exact, i.spelt) if i.spelt is not None else i.exact for i in gen.inputs}
    )
    names = [i.name for i in gen.inputs]
    return text, st.one_of(exact, mixed).flatmap(lambda record: spoil(record, names))


BROKEN = [None, "", "abc", D(-1), D("1e400"), D("NaN"), D("-Infinity"), "Infinity", True, "120%"]


def spoil(record: dict[str, object], names: list[str]) -> st.SearchStrategy[dict[str, object]]:
    """Mostly the record as drawn; one time in ten, one value missing or out of its domain."""
    if not names:
        return st.just(record)
    broken = st.tuples(st.sampled_from(names), st.sampled_from(BROKEN)).map(lambda nv: record | {nv[0]: nv[1]})
    return st.integers(0, 9).flatmap(lambda n: broken if n == 0 else st.just(record))


def scored(result: pingfen.Result) -> list[tuple[object, ...]]:
    """Everything a result says, digits included."""
    return [
        (n.name, str(n.score), n.clamped, n.explanations, n.reasons_in("zh"), n.reasons_in("en"))
        for n in result.nodes()
    ] + [(str(result.total), str(result.raw_total), result.grade)]


@given(st.data())
def test_compiled_evaluation_equals_the_oracle(data: st.DataObject) -> None:
    text, records = data.draw(rubrics(), label="rubric")
    try:
        rubric = pingfen.loads(text)
    except pingfen.RubricError:
        assume(False)
        return
    check_source(rubric.program.source)
    module, _ = parse(text)
    assert module is not None
    checked = check(module)
    for _ in range(8):
        record = data.draw(records, label="record")
        try:
            expected = oracle.evaluate(module, checked, text, rubric.coerce(record))
        except pingfen.DataError as refused:
            try:
                rubric.evaluate(record)
            except pingfen.DataError as error:
                assert [(p.code, p.input) for p in error.problems] == [(p.code, p.input) for p in refused.problems]
            else:
                raise AssertionError(f"the oracle refused {record}: {refused}; the compiled scorer did not")
            continue
        result = rubric.evaluate(record)
        assert result == expected
        assert scored(result) == scored(expected)
        (batch,) = rubric.evaluate_many([record])
        assert batch == expected

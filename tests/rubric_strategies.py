"""Hypothesis strategies that build random valid rubrics as ASTs (no text, no spans).

`rubrics()` draws an `ast.Module` with nested groups whose maxima add up, every indicator
form (bands, per-step and counted deductions, checklists, `when` chains, `match`, judgment,
formula), `let` values, grades, examples and properties, with names that need backquotes
and texts that need escapes. The formatter prints it; the property tests parse it back and
evaluate it. Every rubric drawn passes the checker with no error (warnings may remain).

Kept apart from `tests/strategies.py` (records and rubric texts from the main branch) so
that the two merge without touching each other.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from pingfen import ast

D = Decimal
HALVES = [D(n) / 2 for n in range(0, 21)]  # 0, 0.5, … 10

# Stems for names: CJK, quoted display names, ASCII, names that need backquotes.
NODE_STEMS = ["指标", "“三公经费”变动率", "《政府工作报告》完成情况", "ind_", "投入（一）", "a b", "分组"]
INPUT_STEMS = ["在职人数", "率", "x_", "数据 (万元)", "“数”", "金额"]
KEYWORD_NAMES = ["total", "grade", "example", "percent", "error", "when"]
TEXT = st.lists(st.sampled_from(list('abc 评分表"\\“”（）%：,#{}') + ["\\\\", '\\"']), max_size=8).map("".join)
REASONS = st.sampled_from(["按规定扣分", "未达“标准”，得 {score} 分", "{value} 超出", 'a \\"b\\" c', "差 {lost} 分"])


def _pct(value: Decimal) -> ast.Number:
    return ast.Number(value, "percent")


def _num(value: Decimal | int | str) -> ast.Number:
    return ast.Number(D(value))


def _ref(name: str) -> ast.Ref:
    return ast.Ref(ast.Name(name))


class _Builder:
    """Draws the parts of one rubric, keeping names unique and the checker satisfied."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.used: set[str] = set()
        self.n = 0
        self.inputs: list[ast.Input] = []
        self.lets: list[ast.Let] = []
        self.indicators: list[ast.Indicator] = []

    def fresh(self, stems: list[str]) -> str:
        if self.draw(st.integers(0, 9)) == 0:
            word = self.draw(st.sampled_from(KEYWORD_NAMES))
            if word not in self.used:
                self.used.add(word)
                return word
        self.n += 1
        text = f"{self.draw(st.sampled_from(stems))}{self.n}"
        self.used.add(text)
        return text

    def new_input(self, type_: str, bounds: tuple[ast.Bound, ...] = (), labels: tuple[str, ...] = ()) -> str:
        name = self.fresh(INPUT_STEMS)
        description = self.draw(st.none() | TEXT)
        self.inputs.append(
            ast.Input(ast.Name(name), type_, bounds, tuple(ast.Name(lb) for lb in labels), description)  # type: ignore[arg-type]
        )
        return name

    def points(self, top: Decimal) -> ast.Number:
        return _num(self.draw(st.sampled_from([h for h in HALVES if h <= top])))

    def reason(self) -> str | None:
        return self.draw(st.none() | REASONS)

    # ---- indicators
    def indicator(self, top: Decimal) -> ast.Indicator:
        name = self.fresh(NODE_STEMS)
        kind = self.draw(
            st.sampled_from(["bands", "step", "ratio", "counted", "awards", "when", "match", "judgment", "formula"])
        )
        rules: list[ast.Rule] = getattr(self, "rule_" + kind)(name, top)
        if kind in ("bands", "when", "match", "awards") and self.draw(st.booleans()):
            rules.append(self.deduct_if(top) if self.draw(st.booleans()) else self.counted(top))
        indicator = ast.Indicator(ast.Name(name), _num(top), tuple(rules))
        self.indicators.append(indicator)
        return indicator

    def rule_bands(self, name: str, top: Decimal) -> list[ast.Rule]:
        subject = self.new_input("percent", (ast.Bound(">=", _pct(D(0))),))
        cuts = sorted(self.draw(st.sets(st.integers(1, 300), min_size=1, max_size=4)))
        ends = [_pct(D(c) / 200) for c in cuts]
        closed_low = self.draw(st.booleans())
        bands = [
            ast.Band(self.points(top), low=ends[-1], low_closed=closed_low, op=">=" if closed_low else ">",
                     reason=self.reason())
        ]  # fmt: skip
        for low, high in zip(reversed(ends[:-1]), reversed(ends[1:]), strict=True):
            bands.append(ast.Band(self.points(top), low, high, closed_low, not closed_low, reason=self.reason()))
        last = self.draw(st.sampled_from(["compare", "else", "equal"]))
        if last == "else":
            bands.append(ast.Band(self.points(top), is_else=True))
        elif last == "equal" and not closed_low:  # `(0, x]` above, then `= 0`, then `< 0` cannot occur (>= 0)
            bands.append(ast.Band(self.points(top), low=ends[0], high=ends[0], low_closed=True, high_closed=True,
                                  op="="))  # fmt: skip
            bands.append(ast.Band(self.points(top), high=ends[0], op="<"))
        else:
            bands.append(ast.Band(self.points(top), high=ends[0], high_closed=not closed_low,
                                  op="<" if closed_low else "<="))  # fmt: skip
        if last != "else":  # disjoint bands score the same in any order
            bands = self.draw(st.permutations(bands))
        return [ast.Bands(_ref(subject), tuple(bands))]

    def rule_step(self, name: str, top: Decimal) -> list[ast.Rule]:
        subject = self.new_input("percent")
        direction = self.draw(st.sampled_from(["above", "below", "from"]))
        reference = _pct(D(self.draw(st.integers(0, 40))) / 20)
        rate = _num(self.draw(st.sampled_from(["0.1", "0.2", "0.5", "1"])))
        step = ast.Number(D(self.draw(st.sampled_from(["1", "0.5", "5"]))) / 100, "pp")
        counting = self.draw(st.sampled_from([None, "proportional", "whole", "started"]))
        value: ast.Expr = _ref(subject)
        if self.draw(st.booleans()):  # an expression, to exercise parentheses
            value = ast.Binary("*", ast.Binary("+", _ref(subject), _pct(D("0.05"))), _num(1))
        return [ast.DeductStep(rate, step, value, direction, reference, counting, self.reason())]

    def rule_ratio(self, name: str, top: Decimal) -> list[ast.Rule]:
        num = self.new_input("count")
        den = self.new_input("count", (ast.Bound(">", _num(0)),))
        let = self.fresh(["比率", "rate_"])
        self.lets.append(ast.Let(ast.Name(let), ast.Binary("/", _ref(num), _ref(den))))
        rate = _num(self.draw(st.sampled_from(["0.1", "0.5", "1"])))
        return [ast.DeductStep(rate, ast.Number(D("0.01"), "pp"), _ref(let), "above", _pct(D(1)), "proportional")]

    def counted(self, top: Decimal) -> ast.DeductStep:
        n = self.new_input("count")
        rate = _num(self.draw(st.sampled_from(["0.5", "1", "0.2"])))
        return ast.DeductStep(rate, _num(1), _ref(n), reason=self.reason())

    def rule_counted(self, name: str, top: Decimal) -> list[ast.Rule]:
        return [self.counted(top)]

    def deduct_if(self, top: Decimal) -> ast.DeductIf:
        b = self.new_input("bool")
        return ast.DeductIf(self.points(top), self.condition(b), self.reason())

    def condition(self, b: str) -> ast.Expr:
        """A condition on a bool input, in one of several shapes."""
        shape = self.draw(st.sampled_from(["bare", "eq", "notnot", "or", "and"]))
        ref = _ref(b)
        if shape == "eq":
            return ast.Compare("=", ref, ast.Bool(True))
        if shape == "notnot":
            return ast.Not(ast.Not(ref))
        if shape == "or":
            return ast.Or(ref, ast.And(ref, ast.Bool(False)))
        if shape == "and":
            return ast.And(ast.Or(ref, ref), ast.Not(ast.Bool(False)))
        return ref

    def rule_awards(self, name: str, top: Decimal) -> list[ast.Rule]:
        shares, left = [], top
        for _ in range(self.draw(st.integers(0, 3))):
            share = self.points(left).value
            if share in (0, left):
                break
            shares.append(share)
            left -= share
        shares.append(left)
        return [ast.AwardIf(_num(p), self.condition(self.new_input("bool")), self.reason()) for p in shares]

    def rule_when(self, name: str, top: Decimal) -> list[ast.Rule]:
        a = self.new_input("amount")
        b = self.new_input("amount")
        arms = [
            ast.WhenArm(_num(top), ast.Compare("=", _ref(a), _num(0))),
            ast.WhenArm(self.points(top), ast.Compare("<=", _ref(a), _ref(b)), self.reason()),
            ast.WhenArm(self.points(top), ast.Compare(">", ast.Binary("-", _ref(a), _ref(b)), _num(100))),
            ast.WhenArm(self.points(top), None, self.reason()),
        ]
        return [ast.WhenChain(tuple(arms))]

    def rule_match(self, name: str, top: Decimal) -> list[ast.Rule]:
        labels = self.draw(
            st.lists(st.sampled_from(["健全", "基本健全", "不健全", "好", "a b", "up", "较差"]), min_size=1, max_size=4,
                     unique=True)
        )  # fmt: skip
        subject = self.new_input("label", labels=tuple(labels))
        named = labels if self.draw(st.booleans()) else labels[: self.draw(st.integers(1, len(labels)))]
        arms = [ast.MatchArm(self.points(top), ast.Name(lb), self.reason()) for lb in named]
        if len(named) < len(labels) or self.draw(st.booleans()):
            arms.append(ast.MatchArm(self.points(top), None))
        return [ast.Match(_ref(subject), tuple(arms))]

    def rule_judgment(self, name: str, top: Decimal) -> list[ast.Rule]:
        if self.draw(st.booleans()):
            self.inputs.append(ast.Input(ast.Name(name), "score"))
            return [ast.Judgment()]
        return [ast.Judgment(ast.Name(self.new_input("score")))]

    def rule_formula(self, name: str, top: Decimal) -> list[ast.Rule]:
        a = self.new_input("amount")
        scaled = ast.Binary("/", ast.Binary("*", _ref(a), _num(top)), _num(100))
        return [ast.Formula(ast.Call("min", (_num(top), ast.Neg(ast.Neg(scaled)))))]

    # ---- the tree
    def node(self, depth: int, top: Decimal) -> ast.Node:
        if depth >= 2 or top < 1 or self.draw(st.integers(0, 2)) == 0:
            return self.indicator(top)
        parts = self.split(top)
        return ast.Group(ast.Name(self.fresh(NODE_STEMS)), _num(top), tuple(self.node(depth + 1, p) for p in parts))

    def split(self, top: Decimal) -> list[Decimal]:
        """top as 1 to 3 positive parts in halves."""
        parts, left = [], top
        for _ in range(self.draw(st.integers(0, 2))):
            part = self.draw(st.sampled_from([h for h in HALVES if 0 < h < left] or [left]))
            if part == left:
                break
            parts.append(part)
            left -= part
        return [*parts, left]

    # ---- examples and properties
    def given_value(self, decl: ast.Input) -> ast.GivenValue:
        draw = self.draw
        if decl.type == "bool":
            return ast.GivenValue("word", draw(st.sampled_from(["是", "否", "true", "false"])))
        if decl.type == "label":
            word = draw(st.sampled_from([lb.text for lb in decl.labels]))
            return ast.GivenValue(draw(st.sampled_from(["word", "text"])), word)
        if decl.type == "percent":
            return ast.GivenValue("percent", f"{draw(st.integers(0, 150))}%")
        if decl.type == "score":
            return ast.GivenValue("number", "0")
        if decl.type == "count" and decl.bounds:
            return ast.GivenValue("number", str(draw(st.integers(1, 20))))
        return ast.GivenValue("number", str(draw(st.integers(0, 20))))

    def examples(self, total: Decimal, grades: tuple[ast.Grade, ...]) -> list[ast.Example]:
        out: list[ast.Example] = []
        for i in range(self.draw(st.integers(0, 2))):
            base = out[-1].name if out and self.draw(st.booleans()) else None
            decls = self.inputs if base is None else self.draw(st.lists(st.sampled_from(self.inputs), max_size=2))
            givens = {d.name.text: ast.Given(d.name, self.given_value(d)) for d in decls}
            expects: list[ast.Expectation] = [
                ast.ExpectScore(None, "=", _num(self.draw(st.sampled_from([h for h in HALVES if h <= total]))))
            ]
            if self.indicators and self.draw(st.booleans()):
                ind = self.draw(st.sampled_from(self.indicators))
                expects.append(ast.ExpectScore(ind.name, "~=", ast.Number(D("0.50"), "number", "0.50")))
            if grades and self.draw(st.booleans()):
                expects.append(ast.ExpectGrade(self.draw(st.sampled_from(grades)).name))
            out.append(ast.Example(f"例{i}" + self.draw(TEXT), base, tuple(givens.values()), tuple(expects)))
        return out

    def properties(self) -> list[ast.Property]:
        out: list[ast.Property] = []
        numeric = [i for i in self.inputs if i.type in ("percent", "amount", "count", "score")]
        if numeric and self.draw(st.booleans()):
            subject = self.draw(st.sampled_from(numeric)).name
            target = self.draw(st.none() | st.sampled_from([i.name for i in self.indicators]))
            out.append(ast.Monotone(subject, self.draw(st.sampled_from(["increasing", "decreasing"])), target))
        if self.indicators and self.draw(st.booleans()):
            ind = self.draw(st.sampled_from(self.indicators))
            bools = [i for i in self.inputs if i.type == "bool"]
            condition = self.condition(bools[0].name.text) if bools and self.draw(st.booleans()) else None
            out.append(ast.Claim(ind.name, "<=", ind.max, condition))
        return out


@st.composite
def rubrics(draw: st.DrawFn) -> ast.Module:
    """A random valid rubric as an AST."""
    b = _Builder(draw)
    tops = b.split(D(draw(st.integers(2, 20))))
    nodes = [b.node(0, top) for top in tops]
    total = sum((t for t in tops), D(0))
    grades: tuple[ast.Grade, ...] = ()
    if draw(st.booleans()):
        cuts = sorted(draw(st.sets(st.integers(1, int(total)), max_size=3)), reverse=True)
        ops = [draw(st.sampled_from([">=", ">"])) for _ in cuts]
        names = ["优秀", "良好", "中", "差"]
        grades = tuple(
            ast.Grade(ast.Name(names[i]), op, _num(c)) for i, (op, c) in enumerate(zip(ops, cuts, strict=True))
        )
        grades += (ast.Grade(ast.Name(names[len(cuts)])),)
    places = draw(st.none() | st.integers(0, 4))
    header = ast.Header(
        draw(TEXT),
        year=draw(st.none() | st.sampled_from([_num(2021), _num(2024)])),
        total=_num(total),
        round_places=_num(places) if places is not None else None,
        round_mode=draw(st.sampled_from(["half_up", "half_even", "down", "floor"]))
        if places is not None
        else "half_up",
        grades=grades,
    )
    examples = b.examples(total, grades)
    properties = b.properties()
    items: list[ast.Item] = [header, *b.inputs, *b.lets, *nodes, *examples, *properties]
    return ast.Module(tuple(items))


# ---------------------------------------------------------------- messy texts

_FULL_WIDTH = {
    ">=": "≥",
    "<=": "≤",
    "->": "→",
    "(": "（",
    ")": "）",
    "[": "［",
    "]": "］",
    "%": "％",
    ",": "，",
    ":": "：",
}


@st.composite
def messy_texts(draw: st.DrawFn, text: str) -> str:
    """`text` as a careless author might have typed it: lines re-indented, blank lines added,
    spaces doubled, full-width forms, and comments on lines of their own and after code."""
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        if draw(st.integers(0, 9)) == 0:
            out.append(" " * draw(st.integers(0, 6)) + "# " + draw(TEXT).replace("\n", " "))
        if draw(st.integers(0, 9)) == 0:
            out.append("")
        if stripped and not stripped.startswith("#") and '"' not in stripped and draw(st.booleans()):
            for ascii_form, full in _FULL_WIDTH.items():
                if draw(st.integers(0, 3)) == 0:
                    stripped = stripped.replace(ascii_form, full)
            stripped = stripped.replace(" ", "  ") if draw(st.integers(0, 4)) == 0 else stripped
        if stripped and not stripped.startswith("#") and draw(st.integers(0, 7)) == 0:
            stripped += "  # " + draw(TEXT)
        out.append(" " * draw(st.integers(0, 8)) + stripped)
    return "\n".join(out)

"""Hypothesis strategies for pingfen's tests: the one random-rubric generator, and records.

- `records_2021()`: valid records for rulesets/dept-overall-2021.rule.
- `random_rubrics()`: a random rubric (`GenRubric`): its AST (`module`), its text as the
  formatter prints it (`text`), strategies of records that fit it (`records`: exact values
  inside their domains; `any_records`: other spellings too, and one time in ten a value
  missing or out of its domain), and what the property tests need to know about it.
  Every rule form: bands (on percents and on `let` numbers, with `=` bands, `else`, in any
  order), `when` chains, `match` on labels, judgment, formulas, awards, per-step deductions
  (each direction and counting, on inputs, expressions and ratios), counted deductions,
  `deduct … if`; `let` values with + - * / min max abs; conditions with not, and, or and
  comparisons; reason templates; nested groups; grades; examples and properties; names that
  need quotes or backquotes and texts that need escapes. Every rubric drawn passes the
  checker, scores every record inside its domains and explains every point lost; with
  `loose=True` (for the oracle test) it may also hold `when` chains without `else` that
  leave a record unscored (or that the checker refuses: PF406), and checklists whose
  points fall short of the max.
- `rubrics()`: the AST alone.
- `messy_texts(text)`: `text` as a careless author types it.
- `rule_texts()`: arbitrary text for the parser: random unicode, token soup spliced from
  the grammar's keywords and punctuation, and mutations of the 2021 ruleset.

Values are exact Decimals throughout (percents as ratios).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from pathlib import Path

import attrs
from hypothesis import reject
from hypothesis import strategies as st

import pingfen
from pingfen import ast
from pingfen.syntax.formatter import format_module

D = Decimal
_DAY0 = date(1899, 12, 30)  # day 0 of Excel's (and pingfen's) day numbers
# labels a condition compares with (`类型 = 大型会议`): plain names, no input or keyword among them
CONDITION_LABELS = ["大型会议", "小型会议", "健全", "不健全", "较差"]
ROOT = Path(__file__).resolve().parents[1]
RULESET_2021 = ROOT / "rulesets" / "dept-overall-2021.rule"


# ---------------------------------------------------------------- value strategies


def percents(max_ratio: int = 2) -> st.SearchStrategy[Decimal]:
    """Ratios in [0, max_ratio] with 4 decimals: 0.0001 = 0.01 percentage points."""
    return st.integers(0, max_ratio * 10_000).map(lambda n: D(n).scaleb(-4))


def amounts(min_cents: int = 0, max_cents: int = 100_000) -> st.SearchStrategy[Decimal]:
    """Money in 万元 with 2 decimals."""
    return st.integers(min_cents, max_cents).map(lambda n: D(n).scaleb(-2))


def scores(top: Decimal) -> st.SearchStrategy[Decimal]:
    """A judgment score in [0, top] with 2 decimals."""
    return st.integers(0, int(top * 100)).map(lambda n: D(n).scaleb(-2))


def counts(low: int = 0, high: int = 30) -> st.SearchStrategy[int]:
    return st.integers(low, high)


# ---------------------------------------------------------------- the 2021 ruleset

JUDGMENTS_2021: dict[str, Decimal] = {
    "推进全面小康建设指标任务完成情况": D(5),
    "建设湖南新增极目标任务完成情况": D(7),
    "《政府工作报告》目标任务完成情况": D(5),
    "省市区民生实事完成情况": D(2),
    "省市区重点工程和重大项目建设完成情况": D(2),
    "其他工作实绩指标完成情况": D(4),
    "经济效益": D(5),
    "社会效益": D(5),
    "生态效益": D(5),
}
PERCENTS_2021 = ["重点支出安排率", "预算调整率", "政府采购执行率", "公务卡刷卡率", "固定资产利用率", "满意度"]
COUNTS_2021 = ["在职人数", "未按进度下达专项数", "资金使用不合规例数", "资产管理不合规例数"]
BOOLS_2021 = [
    "已制定预算管理制度", "预算管理制度合法合规", "预算管理制度有效执行",
    "按规定内容公开", "按规定时限公开", "基础数据真实", "基础数据完整", "基础数据准确",
    "资产管理制度健全", "资产管理制度有效执行",
]  # fmt: skip


def records_2021() -> st.SearchStrategy[dict[str, object]]:
    """A valid record for the 2021 ruleset: every input present and in its domain."""
    fields: dict[str, st.SearchStrategy[object]] = {}
    for name in COUNTS_2021:
        fields[name] = counts(0, 30)
    fields["编制人数"] = counts(1, 30)
    fields["本年三公经费"] = amounts()
    fields["上年三公经费"] = amounts(min_cents=1)
    fields["三公经费预算数"] = amounts(min_cents=1)
    fields["结余"] = st.one_of(st.just(D(0)), amounts())
    fields["上年结转"] = st.one_of(st.just(D(0)), amounts())
    for name in PERCENTS_2021:
        fields[name] = percents(1 if name == "满意度" else 2)
    for name in BOOLS_2021:
        fields[name] = st.booleans()
    for name, top in JUDGMENTS_2021.items():
        fields[name] = scores(top)
    return st.fixed_dictionaries(fields)


# ---------------------------------------------------------------- random rubrics

HALVES = [D(n) / 2 for n in range(0, 21)]  # 0, 0.5, … 10

# Stems for names: CJK, quoted display names, ASCII, names that need backquotes.
# issue 10's forms beside 不适用, outside rows and vetoes, each a name `random_rubrics(newer=…)` may pick
NEWER_FORMS = frozenset({"precision", "if", "round", "labels", "guards", "panel", "dates", "batch", "group_round"})
NODE_STEMS = ["指标", "“三公经费”变动率", "《政府工作报告》完成情况", "ind_", "投入（一）", "a b", "分组", "《指标》"]
INPUT_STEMS = ["在职人数", "率", "x_", "数据 (万元)", "“数”", "金额"]
KEYWORD_NAMES = ["total", "grade", "example", "percent", "error", "when"]
TEXT = st.lists(st.sampled_from(list('abc 评分表"\\“”（）%：,#{}') + ["\\\\", '\\"']), max_size=8).map("".join)
REASONS = st.sampled_from(["按规定扣分", "未达“标准”，得 {score} 分", "{value} 超出", 'a \\"b\\" c', "差 {lost} 分"])
PLAIN = re.compile(r"^\w+$")  # a name a reason template can name as it is
BROKEN = [None, "", "abc", D(-1), D("1e400"), D("NaN"), D("-Infinity"), "Infinity", True, "120%"]


@dataclass
class GenInput:
    name: str
    type: str  # percent, number, count, amount, bool, label, score
    values: st.SearchStrategy[object]  # exact values inside the domain: the compiled fast path
    spelt: st.SearchStrategy[object] | None = None  # other spellings of them: the general path
    shared: bool = True  # may be read by several rules; False: by one rule only
    domain: str = ""  # the bounds, to find another input of the same domain


@dataclass
class GenRubric:
    """A generated rubric and what the property tests need to know about it."""

    module: ast.Module
    inputs: list[GenInput]
    total: Decimal
    grades: tuple[tuple[str, str | None, Decimal | None], ...]  # (name, operator, threshold), first match wins
    places: int  # the total is rounded to so many places
    rounding: str  # in this mode of the decimal module (ROUND_HALF_UP, …)
    # (indicator, input, direction, reference ratio): a per-step deduction on a percent input no other rule reads
    steps: list[tuple[str, str, str, Decimal]] = field(default_factory=list)
    # (indicator, count input): `deduct R per n`, n read by no other rule
    counted: list[tuple[str, str]] = field(default_factory=list)
    # `cap total`: the most the total reaches with bonus rows (None: no cap)
    cap: Decimal | None = None

    @cached_property
    def text(self) -> str:
        return format_module(self.module)

    @property
    def records(self) -> st.SearchStrategy[dict[str, object]]:
        return st.fixed_dictionaries({i.name: i.values for i in self.inputs})

    @property
    def any_records(self) -> st.SearchStrategy[dict[str, object]]:
        """Mostly exact or other spellings; one time in ten, one value missing or out of its domain."""
        mixed = st.fixed_dictionaries(
            {i.name: st.one_of(i.values, i.spelt) if i.spelt is not None else i.values for i in self.inputs}
        )
        names = [i.name for i in self.inputs]
        spoilt = st.one_of(self.records, mixed).flatmap(lambda record: _spoil(record, names))
        if not any(node.applies for node, _ in ast.walk_nodes(self.module.top)):
            return spoilt
        return spoilt.flatmap(lambda record: _not_applicable(record, names))

    @property
    def percent_inputs(self) -> list[str]:
        return [i.name for i in self.inputs if i.type == "percent"]

    def __repr__(self) -> str:  # hypothesis prints this on failure: show the text
        return f"GenRubric(text=\n{self.text}\n)"


def _spoil(record: dict[str, object], names: list[str]) -> st.SearchStrategy[dict[str, object]]:
    if not names:
        return st.just(record)
    broken = st.tuples(st.sampled_from(names), st.sampled_from(BROKEN)).map(lambda nv: record | {nv[0]: nv[1]})
    return st.integers(0, 9).flatmap(lambda n: broken if n == 0 else st.just(record))


def _not_applicable(record: dict[str, object], names: list[str]) -> st.SearchStrategy[dict[str, object]]:
    """One time in three, an input marked 不适用 (or N/A) or left out: refused unless only rows
    that may not apply read it."""
    if not names:
        return st.just(record)
    marked = st.tuples(st.sampled_from(names), st.sampled_from(["不适用", "N/A", None])).map(
        lambda nv: {k: v for k, v in record.items() if k != nv[0]} | ({nv[0]: nv[1]} if nv[1] else {})
    )
    return st.integers(0, 2).flatmap(lambda n: marked if n == 0 else st.just(record))


def _fmt(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pct_text(ratio: Decimal) -> str:
    return _fmt(ratio * 100) + "%"


def _pct(value: Decimal) -> ast.Number:
    return ast.Number(value, "percent")


def _num(value: Decimal | int | str) -> ast.Number:
    return ast.Number(D(value))


def _ref(name: str) -> ast.Ref:
    return ast.Ref(ast.Name(name))


_AT_LEAST_0 = (ast.Bound(">=", _pct(D(0))),)
_ABOVE_0 = (ast.Bound(">", _num(0)),)


class _Builder:
    """Draws the parts of one rubric, keeping names unique and the checker satisfied."""

    def __init__(self, draw: st.DrawFn, loose: bool) -> None:
        self.draw = draw
        self.loose = loose
        self.used: set[str] = set()
        self.n = 0
        self.inputs: list[ast.Input] = []
        self.gen: list[GenInput] = []
        self.lets: list[ast.Let] = []
        self.number_lets: list[str] = []
        self.indicators: list[ast.Indicator] = []
        self.steps: list[tuple[str, str, str, Decimal]] = []
        self.counted: list[tuple[str, str]] = []
        self.may_not_apply = True
        self.newer = True  # issue 10's forms: guards, rounding, if-else, label conditions, panels, dates, batches
        self.forms = NEWER_FORMS  # which of them may appear
        self.left_out: frozenset[str] = frozenset()  # forms not drawn, outside rows' "adjust" too

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

    # ---- inputs, each with its values
    def new_input(self, type_: str, values: st.SearchStrategy[object], spelt: st.SearchStrategy[object] | None = None,
                  bounds: tuple[ast.Bound, ...] = (), labels: tuple[str, ...] = (), *, shared: bool = True,
                  name: str | None = None, precision: ast.Number | None = None) -> str:  # fmt: skip
        name = name or self.fresh(INPUT_STEMS)
        description = self.draw(st.none() | TEXT)
        labelled = tuple(ast.Name(lb) for lb in labels)
        self.inputs.append(ast.Input(ast.Name(name), type_, bounds, labelled, description,  # type: ignore[arg-type]
                                     precision=precision))  # fmt: skip
        domain = " ".join(f"{b.op}{b.value.value}" for b in bounds)
        self.gen.append(GenInput(name, type_, values, spelt, shared, domain))
        return name

    def pick(self, type_: str, bounds: tuple[ast.Bound, ...], values: st.SearchStrategy[object],
             spelt: st.SearchStrategy[object]) -> str:  # fmt: skip
        """An input of this type and domain already declared, or a new one."""
        domain = " ".join(f"{b.op}{b.value.value}" for b in bounds)
        same = [i.name for i in self.gen if i.shared and i.type == type_ and i.domain == domain]
        if same and self.draw(st.booleans()):
            return self.draw(st.sampled_from(same))
        return self.new_input(type_, values, spelt, bounds)

    def percent(self, *, shared: bool = True) -> str:
        # on the band ends and thresholds (multiples of 5%) as often as between them
        ratio = st.one_of(
            st.integers(0, 30).map(lambda n: D(n) / 20), st.integers(0, 20_000).map(lambda n: D(n).scaleb(-4))
        )
        spelt = st.one_of(ratio.map(_pct_text), ratio.map(float), ratio.map(str))
        if not shared:
            return self.new_input("percent", ratio, spelt, shared=False)
        if "precision" in self.forms and self.draw(st.integers(0, 3)) == 0:  # values rounded to a declared precision when read (issue 10 item 4)
            precision = ast.Number(D("0.001"), "percent", "0.1%")
            return self.new_input("percent", ratio, spelt, _AT_LEAST_0, precision=precision)
        return self.pick("percent", _AT_LEAST_0, ratio, spelt)

    def number(self) -> str:
        exact = st.one_of(
            st.integers(-20, 20).map(lambda n: D(n) / 2), st.integers(-2000, 2000).map(lambda n: D(n).scaleb(-2)),
            st.integers(-20, 20), st.sampled_from([D("-0"), D("1E+1"), D("-0.00")]),
        )  # fmt: skip
        return self.pick("number", (), exact, exact.map(str))

    def positive(self) -> str:
        exact = st.one_of(st.integers(1, 2000).map(lambda n: D(n).scaleb(-2)), st.integers(1, 20))
        return self.pick("number", _ABOVE_0, exact, exact.map(float))

    def count(self, low: int = 0, *, shared: bool = True) -> str:
        n = st.integers(low, 30)
        exact = st.one_of(n, n.map(D))
        spelt = st.one_of(n.map(str), n.map(lambda i: D(i).scaleb(-1) * 10))
        bounds = _ABOVE_0 if low else ()
        return self.pick("count", bounds, exact, spelt) if shared else self.new_input("count", exact, spelt, shared=False)

    def amount(self) -> str:
        exact = st.one_of(st.just(D(0)), st.integers(0, 1000).map(lambda n: D(n).scaleb(-2)))
        return self.new_input("amount", exact, exact.map(str))

    def flag(self) -> str:
        return self.pick("bool", (), st.booleans(), st.sampled_from(["是", "否", "true", "0", 1]))

    def points(self, top: Decimal) -> ast.Number:
        return _num(self.draw(st.sampled_from([h for h in HALVES if h <= top])))

    def reason(self) -> str | None:
        """Now and then an author's reason, naming fields, inputs and lets."""
        kind = self.draw(st.integers(0, 5))
        if kind < 3:
            return None
        if kind < 5:
            return self.draw(REASONS)
        names = [i.name.text for i in self.inputs[-3:] if PLAIN.match(i.name.text) and i.name.text not in KEYWORD_NAMES]
        chosen = self.draw(st.lists(st.sampled_from([*names, "score", "max", "lost", "value"]), min_size=1, max_size=3))
        return "说明：" + "，".join(f"{{{n}}}" for n in chosen)

    # ---- expressions
    def numeric(self, depth: int = 0) -> ast.Expr:
        """A number-valued expression over number inputs and lets: + - * / min max abs."""
        draw = self.draw
        if depth >= 2 or draw(st.integers(0, 2)) == 0:
            leaves: list[ast.Expr] = [_ref(self.number()), _num(draw(st.sampled_from(HALVES)))]
            leaves += [_ref(n) for n in self.number_lets]
            return draw(st.sampled_from(leaves))
        ops = ["+", "-", "*", "/", "min", "max", "abs", "neg"] + (["if", "if"] if "if" in self.forms else []) + (
            ["round"] if "round" in self.forms else [])  # fmt: skip
        op = draw(st.sampled_from(ops))
        a = self.numeric(depth + 1)
        if op == "round":  # rounded where the text says (issue 10 item 4)
            mode = draw(st.sampled_from(["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]))
            return ast.Round(a, _num(draw(st.integers(0, 3))), mode)
        if op == "if":  # a value chosen by a condition (issue 10 item 2)
            return ast.IfElse(self.condition(1), a, self.numeric(depth + 1))
        if op == "/":
            divisor = _ref(self.positive()) if draw(st.booleans()) else _num(draw(st.sampled_from(HALVES[1:])))
            return ast.Binary("/", a, divisor)
        if op == "abs":
            return ast.Call("abs", (a,))
        if op == "neg":
            return ast.Neg(a)
        b = self.numeric(depth + 1)
        return ast.Call(op, (a, b)) if op in ("min", "max") else ast.Binary(op, a, b)

    def let_number(self) -> str:
        name = self.fresh(["算", "calc_"])
        self.lets.append(ast.Let(ast.Name(name), self.numeric()))
        self.number_lets.append(name)
        return name

    def let_ratio(self) -> str:
        """A percent let, as 在职人数 / 编制人数."""
        a, b = self.count(), self.count(1)
        name = self.fresh(["比率", "rate_"])
        self.lets.append(ast.Let(ast.Name(name), ast.Binary("/", _ref(a), _ref(b))))
        return name

    def condition(self, depth: int = 0) -> ast.Expr:
        draw = self.draw
        labels_too = ["label", "label"] if "labels" in self.forms else []
        kinds = ["bool", "bool", "cmp_pct", "cmp_num", "not", "and", "or", *labels_too]
        kind = draw(st.sampled_from(kinds if depth < 2 else ["bool", *labels_too[:1]]))
        if kind == "bool":
            return self.on_bool(self.flag())
        if kind == "label":  # `类型 = 大型会议`: a label input against one of its labels
            labels = draw(st.lists(st.sampled_from(CONDITION_LABELS), min_size=1, max_size=3, unique=True))
            subject = self.new_input("label", st.sampled_from(labels), labels=tuple(labels))
            label = _ref(draw(st.sampled_from(labels)))
            compared = ast.Compare(draw(st.sampled_from(["=", "!="])), _ref(subject), label)
            return compared if draw(st.booleans()) else ast.Compare(compared.op, label, _ref(subject))
        ops = [">=", ">", "<", "<=", "=", "!="]
        if kind == "cmp_pct":
            return ast.Compare(draw(st.sampled_from(ops)), _ref(self.percent()), _pct(D(draw(st.integers(0, 30))) / 20))
        if kind == "cmp_num":
            return ast.Compare(draw(st.sampled_from(ops)), self.numeric(1), _num(draw(st.sampled_from(HALVES))))
        if kind == "not":
            return ast.Not(self.condition(depth + 1))
        joined = ast.And if kind == "and" else ast.Or
        return joined(self.condition(depth + 1), self.condition(depth + 1))

    def on_bool(self, b: str) -> ast.Expr:
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

    # ---- indicators
    def indicator(self, top: Decimal) -> ast.Indicator:
        name = self.fresh(NODE_STEMS)
        kinds = ["bands", "bands_let", "step", "ratio", "counted", "awards", "when", "when_cond", "when_pct", "match",
                 "judgment", "formula", *(f for f in ("panel", "dates", "batch") if f in self.forms), "none"]  # fmt: skip
        kind = self.draw(st.sampled_from(kinds + (["when_open"] if self.loose else [])))
        rules: list[ast.Rule] = getattr(self, "rule_" + kind)(name, top)
        for _ in range(self.draw(st.integers(0, 2))):  # deductions after the rule that gives the start
            rules.append(self.deduction(name, top))
        # now and then a rule switched on by a trailing `if COND` (issue 10 item 2)
        rules = [attrs.evolve(r, guard=self.condition(1)) if not isinstance(r, (ast.AwardIf, ast.DeductIf))
                 and "guards" in self.forms and self.draw(st.integers(0, 4)) == 0 else r for r in rules]  # fmt: skip
        indicator = ast.Indicator(ast.Name(name), _num(top), tuple(rules))
        exact = any(s[0] == name for s in self.steps) or any(c[0] == name for c in self.counted)
        if not exact and "round" in self.forms and self.draw(st.integers(0, 5)) == 0:  # `round N [MODE]` on its score (issue 10 item 4)
            mode = self.draw(st.sampled_from(["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]))
            indicator = attrs.evolve(indicator, round_places=_num(self.draw(st.integers(1, 2))), round_mode=mode)
        self.indicators.append(indicator)
        return indicator

    def vetoes(self, grades: tuple[ast.Grade, ...]) -> list[ast.Veto]:
        """0 to 2 一票否决 lines: the total to 0, or, given grades, one barred or forced."""
        out = []
        for _ in range(self.draw(st.integers(0, 2))):
            actions = ["zero", "below", "grade"] if len(grades) > 1 else ["zero", "grade"] if grades else ["zero"]
            action = self.draw(st.sampled_from(actions))
            barred = grades[:-1] if action == "below" else grades  # nothing is below the lowest grade (PF227)
            grade = self.draw(st.sampled_from([g.name for g in barred])) if action != "zero" else None
            out.append(ast.Veto(ast.Name(self.fresh(NODE_STEMS)), self.condition(), action, grade))
        return out

    def outside(self) -> list[ast.Outside]:
        """0 to 2 rows after the tree: a bonus scored as any indicator, a penalty of deductions only."""
        rows = []
        for _ in range(self.draw(st.integers(0, 2))):
            top = D(self.draw(st.integers(1, 10)))
            if "adjust" not in self.left_out and self.draw(st.integers(0, 3)) == 0:  # 加减分项: awards and deductions from 0, kept in [-low, +top]
                rows.append(self.adjust(top))
                continue
            if self.draw(st.booleans()):
                row = self.indicator(top)
                if row.round_places is not None:  # `round N` belongs to the tree's indicators, not to an outside row
                    self.indicators[-1] = row = attrs.evolve(row, round_places=None, round_mode="half_up")
                rows.append(ast.Outside("bonus", row))
                continue
            name = self.fresh(NODE_STEMS)
            rules = tuple(self.deduction(name, top) for _ in range(self.draw(st.integers(1, 2))))
            row = ast.Indicator(ast.Name(name), _num(top), rules)
            self.indicators.append(row)
            rows.append(ast.Outside("penalty", row))
        return rows

    def adjust(self, top: Decimal) -> ast.Outside:
        """`adjust NAME -low .. +top { award … if … deduct … }`: a signed row after the tree."""
        name = self.fresh(NODE_STEMS)
        low = D(self.draw(st.integers(1, 5)))
        awards = [ast.AwardIf(self.points(top), self.condition(), self.reason())
                  for _ in range(self.draw(st.integers(0, 3)))]  # fmt: skip
        rules = [*awards, *(self.deduction(name, low) for _ in range(self.draw(st.integers(0 if awards else 1, 2))))]
        row = ast.Indicator(ast.Name(name), _num(top), tuple(rules), low=ast.Number(-low, "number", f"-{low}"))
        return ast.Outside("adjust", row)

    def bands(self, subject: str, ends: list[ast.Number], top: Decimal) -> ast.Bands:
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
        elif last == "equal" and not closed_low:
            bands.append(ast.Band(self.points(top), low=ends[0], high=ends[0], low_closed=True, high_closed=True,
                                  op="="))  # fmt: skip
            bands.append(ast.Band(self.points(top), high=ends[0], op="<"))
        else:
            bands.append(ast.Band(self.points(top), high=ends[0], high_closed=not closed_low,
                                  op="<" if closed_low else "<="))  # fmt: skip
        if last != "else":  # disjoint bands score the same in any order
            bands = self.draw(st.permutations(bands))
        return ast.Bands(_ref(subject), tuple(bands))

    def rule_bands(self, name: str, top: Decimal) -> list[ast.Rule]:
        cuts = sorted(self.draw(st.sets(st.integers(1, 300), min_size=1, max_size=4)))
        return [self.bands(self.percent(), [_pct(D(c) / 200) for c in cuts], top)]

    def rule_bands_let(self, name: str, top: Decimal) -> list[ast.Rule]:
        cuts = sorted(self.draw(st.sets(st.integers(-10, 10), min_size=1, max_size=4)))
        return [self.bands(self.let_number(), [_num(D(c) / 2) for c in cuts], top)]

    def rule_step(self, name: str, top: Decimal) -> list[ast.Rule]:
        return [self.step_pct(name)]

    def step_pct(self, name: str) -> ast.DeductStep:
        draw = self.draw
        subject = self.percent(shared=False)
        direction = draw(st.sampled_from(["above", "below", "from"]))
        ratio = D(draw(st.integers(0, 40))) / 20  # 0% … 200% in 5% steps
        reference: ast.Expr = _pct(ratio) if draw(st.integers(0, 3)) else _ref(self.percent())
        rate = _num(draw(st.sampled_from(["0.1", "0.2", "0.5", "1", "2"])))
        step = draw(st.sampled_from([ast.Number(D("0.01"), "pp"), ast.Number(D("0.005"), "pp"),
                                     ast.Number(D("0.05"), "pp"), _pct(D("0.02"))]))  # fmt: skip
        counting = draw(st.sampled_from([None, "proportional", "whole", "started"]))
        value: ast.Expr = _ref(subject)
        if draw(st.integers(0, 3)) == 0:  # an expression, to exercise parentheses
            value = ast.Binary("*", ast.Binary("+", _ref(subject), _pct(D("0.05"))), _num(1))
        elif isinstance(reference, ast.Number):
            self.steps.append((name, subject, direction, ratio))
        return ast.DeductStep(rate, step, value, direction, reference, counting, self.reason())  # type: ignore[arg-type]

    def step_num(self) -> ast.DeductStep:
        draw = self.draw
        reference = _num(draw(st.sampled_from(HALVES))) if draw(st.booleans()) else _ref(self.number())
        return ast.DeductStep(
            _num(draw(st.sampled_from(["0.1", "0.2", "0.5", "1", "2"]))), _num(draw(st.sampled_from(["1", "0.5", "3"]))),
            self.numeric(1), draw(st.sampled_from(["above", "below", "from"])), reference,
            draw(st.sampled_from([None, "proportional", "whole", "started"])), self.reason(),
        )  # fmt: skip

    def rule_ratio(self, name: str, top: Decimal) -> list[ast.Rule]:
        rate = _num(self.draw(st.sampled_from(["0.1", "0.5", "1"])))
        return [ast.DeductStep(rate, ast.Number(D("0.01"), "pp"), _ref(self.let_ratio()), "above", _pct(D(1)),
                               "proportional")]  # fmt: skip

    def counted_rule(self, name: str) -> ast.DeductStep:
        """`deduct R per n`: on a count no other rule reads (recorded), on a shared count, or on a number."""
        draw = self.draw
        rate = _num(draw(st.sampled_from(["0.5", "1", "0.2", "2"])))
        which = draw(st.sampled_from(["own", "own", "shared", "number"]))
        if which == "own":
            n = self.count(shared=False)
            self.counted.append((name, n))
        else:
            n = self.count() if which == "shared" else self.number()
        return ast.DeductStep(rate, _num(1), _ref(n), reason=self.reason())

    def rule_counted(self, name: str, top: Decimal) -> list[ast.Rule]:
        return [self.counted_rule(name)]

    def deduction(self, name: str, top: Decimal) -> ast.Rule:
        kind = self.draw(st.sampled_from(["step_pct", "step_ratio", "step_num", "counted", "counted", "deduct_if"]))
        if kind == "step_pct":
            return self.step_pct(name)
        if kind == "step_ratio":
            return self.rule_ratio(name, top)[0]
        if kind == "step_num":
            return self.step_num()
        if kind == "counted":
            return self.counted_rule(name)
        return ast.DeductIf(_num(self.draw(st.sampled_from(HALVES[1:6]))), self.condition(), self.reason())

    def rule_awards(self, name: str, top: Decimal) -> list[ast.Rule]:
        """Checklist items; their points add up to the max (loose: or now and then fall short of it)."""
        shares, left = [], top
        for _ in range(self.draw(st.integers(0, 3))):
            share = self.points(left).value
            if share in (0, left):
                break
            shares.append(share)
            left -= share
        if not self.loose or self.draw(st.integers(0, 3)):
            shares.append(left)
        return [ast.AwardIf(_num(p), self.condition(), self.reason()) for p in shares or [top]]

    def rule_when(self, name: str, top: Decimal) -> list[ast.Rule]:
        """Like 资金结余: = 0 → top; <= other → some; else → less."""
        a, b = self.amount(), self.amount()
        arms = [
            ast.WhenArm(_num(top), ast.Compare("=", _ref(a), _num(0))),
            ast.WhenArm(self.points(top), ast.Compare("<=", _ref(a), _ref(b)), self.reason()),
            ast.WhenArm(self.points(top), ast.Compare(">", ast.Binary("-", _ref(a), _ref(b)), _num(100))),
            ast.WhenArm(self.points(top), None, self.reason()),
        ]
        return [ast.WhenChain(tuple(arms))]

    def rule_when_cond(self, name: str, top: Decimal, *, otherwise: bool = True) -> list[ast.Rule]:
        arms = [ast.WhenArm(self.points(top), self.condition(), self.reason()) for _ in range(self.draw(st.integers(1, 3)))]
        if otherwise:
            arms.append(ast.WhenArm(self.points(top), None, self.reason()))
        return [ast.WhenChain(tuple(arms))]

    def rule_when_open(self, name: str, top: Decimal) -> list[ast.Rule]:
        return self.rule_when_cond(name, top, otherwise=False)

    def rule_when_pct(self, name: str, top: Decimal) -> list[ast.Rule]:
        """Two arms and no `else`, which between them hold for every record."""
        p, q = self.percent(), self.flag()
        cut = _pct(D(self.draw(st.integers(0, 40))) / 20)
        arms = [
            ast.WhenArm(self.points(top), ast.And(ast.Compare(">=", _ref(p), cut), _ref(q))),
            ast.WhenArm(self.points(top), ast.Or(ast.Not(_ref(q)), ast.Compare("<", _ref(p), cut))),
        ]
        return [ast.WhenChain(tuple(arms))]

    def rule_match(self, name: str, top: Decimal) -> list[ast.Rule]:
        labels = self.draw(
            st.lists(st.sampled_from(["健全", "基本健全", "不健全", "好", "a b", "up", "较差", "优", "良", "中", "差"]),
                     min_size=1, max_size=4, unique=True)
        )  # fmt: skip
        subject = self.new_input("label", st.sampled_from(labels), st.sampled_from(labels).map(lambda s: f" {s} "),
                                 labels=tuple(labels))  # fmt: skip
        named = labels if self.draw(st.booleans()) else labels[: self.draw(st.integers(1, len(labels)))]
        arms = [ast.MatchArm(self.points(top), ast.Name(lb), self.reason()) for lb in named]
        if len(named) < len(labels) or self.draw(st.booleans()):
            arms.append(ast.MatchArm(self.points(top), None))
        return [ast.Match(_ref(subject), tuple(arms))]

    def rule_judgment(self, name: str, top: Decimal) -> list[ast.Rule]:
        score = st.one_of(st.integers(0, int(top * 100)).map(lambda n: D(n).scaleb(-2)), st.just(D("-0")))
        if self.draw(st.booleans()):
            self.new_input("score", score, score.map(str), name=name)
            return [ast.Judgment()]
        return [ast.Judgment(ast.Name(self.new_input("score", score, score.map(float))))]

    def rule_formula(self, name: str, top: Decimal) -> list[ast.Rule]:
        if self.draw(st.booleans()):  # a number input in it, so that it goes below 0 and above the max
            op = self.draw(st.sampled_from(["+", "-", "*"]))
            return [ast.Formula(ast.Binary(op, _ref(self.number()), self.numeric(1)))]
        scaled = ast.Binary("/", ast.Binary("*", _ref(self.amount()), _num(top)), _num(100))
        return [ast.Formula(ast.Call("min", (_num(top), ast.Neg(ast.Neg(scaled)))))]

    def rule_panel(self, name: str, top: Decimal) -> list[ast.Rule]:
        """A panel of experts' scores within [0, top], read by one of its functions."""
        func = self.draw(st.sampled_from(["mean", "median", "trimmed_mean", "min", "max"]))
        one = st.integers(0, int(top * 10)).map(lambda n: D(n).scaleb(-1))
        values = st.lists(one, min_size=3, max_size=7)
        spelt = values.map(lambda xs: "、".join(_fmt(x) for x in xs))
        bounds = (ast.Bound(">=", _num(0)), ast.Bound("<=", _num(top)))
        # named past its number (在职人数1组): a panel 在职人数1 would number the input 在职人数10 (PF114)
        panel = self.new_input("score", values, spelt, bounds, shared=False, name=self.fresh(INPUT_STEMS) + "组")
        self.inputs[-1] = attrs.evolve(self.inputs[-1], is_list=True, size=_num(self.draw(st.integers(3, 7))))
        return [ast.Formula(ast.Call(func, (_ref(panel),)))]

    def date(self) -> str:
        """A date input: its day number (Excel's), or spelt as people write it."""
        # now and then the first and last days a date may be (9999-12-31: "no end date" in many databases)
        day = st.one_of(st.integers(45000, 46500), st.sampled_from([1, 2, 2958434, 2958465]))
        spelt = day.map(lambda n: _DAY0 + timedelta(days=n)).flatmap(
            lambda d: st.sampled_from([d, d.isoformat(), f"{d.year}年{d.month}月{d.day}日", f"{d.year}/{d.month}/{d.day}"])
        )
        return self.new_input("date", day, spelt, shared=False)

    def rule_dates(self, name: str, top: Decimal) -> list[ast.Rule]:
        """A deduction per period between two dates: 每延迟一个月扣1分, 每滞留半个月扣0.5分."""
        func = self.draw(st.sampled_from(["days", "months"]))
        span = ast.Call(func, (_ref(self.date()), _ref(self.date())))
        step = self.draw(st.sampled_from(["0.5", "1", "15"] if func == "days" else ["0.5", "1"]))
        counting = self.draw(st.sampled_from([None, "whole", "started"]))
        rate = self.points(top)
        return [ast.DeductStep(rate, _num(step), span, "above", _num(0), counting, self.reason())]

    def rule_batch(self, name: str, top: Decimal) -> list[ast.Rule]:
        """以最低报价为基准价: `let 基准 = batch min(报价)`, which a record scored alone carries."""
        price = st.integers(1, 100_000).map(lambda n: D(n).scaleb(-2))
        bid = self.new_input("amount", price, price.map(str), _ABOVE_0, shared=False)
        base = self.fresh(["基准", "base_"])
        func = self.draw(st.sampled_from(["min", "max", "mean", "median", "count", "rank"]))
        if func in ("count", "rank"):  # 家数, 名次: whole numbers, read by any rule (an award, a deduction, score =)
            return self.rule_counted_batch(base, func, bid, top)
        self.inputs.append(ast.Input(ast.Name(base), "number", batch=ast.Batch(func, _ref(bid))))
        self.gen.append(GenInput(base, "amount", price, price.map(str), shared=False))
        ratio = ast.Call("min", (ast.Binary("/", _ref(base), _ref(bid)), _pct(D(1))))
        return [ast.Formula(ast.Binary("*", ratio, _num(top)))]

    def rule_counted_batch(self, base: str, func: str, bid: str, top: Decimal) -> list[ast.Rule]:
        """`let 家数 = batch count(报价)` or `batch rank(报价)`, read by an award, a deduction
        (if, per) or `score =`: a whole number of the query's own window, no column of the
        relation (before, the query read it as one: PF831)."""
        whole = st.integers(1, 12).map(D)
        self.inputs.append(ast.Input(ast.Name(base), "number", batch=ast.Batch(func, _ref(bid))))
        self.gen.append(GenInput(base, "count", whole, whole.map(str), shared=False))
        at = _num(self.draw(st.integers(1, 4)))
        points = self.points(top)
        match self.draw(st.sampled_from(["award", "deduct_if", "deduct_per", "score"])):
            case "award":
                return [ast.AwardIf(points, ast.Compare(">=", _ref(base), at), self.reason())]
            case "deduct_if":
                return [ast.DeductIf(points, ast.Compare("<", _ref(base), at), self.reason())]
            case "deduct_per":
                return [ast.DeductStep(points, _num(1), _ref(base), "above", _num(0), None, self.reason())]
            case _:
                return [ast.Formula(ast.Call("min", (_ref(base), _num(top))))]

    def rule_none(self, name: str, top: Decimal) -> list[ast.Rule]:
        return []

    # ---- the tree
    def node(self, depth: int, top: Decimal, keep: bool = False) -> ast.Node:
        """A group or indicator; `keep`: never one that may drop out (else rescale), so that
        some row always applies and every record has a total."""
        if depth >= 2 or top < 1 or self.draw(st.integers(0, 2)) == 0:
            return self.applies(self.indicator(top), keep)
        parts = self.split(top)
        children = tuple(self.node(depth + 1, p, keep and i == 0) for i, p in enumerate(parts))
        group = ast.Group(ast.Name(self.fresh(NODE_STEMS)), _num(top), children)
        if "group_round" in self.forms and self.draw(st.integers(0, 5)) == 0:  # `round N [MODE]` on the group's score (issue 10 item 4)
            mode = self.draw(st.sampled_from(["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]))
            group = attrs.evolve(group, round_places=_num(self.draw(st.integers(1, 2))), round_mode=mode)
        return self.applies(group, keep)

    def applies(self, node: ast.Node, keep: bool) -> ast.Node:
        """One row in five applies only when a condition holds, or while the data does not
        mark an input it reads 不适用 (a group, or an indicator that reads one)."""
        if not self.may_not_apply or self.draw(st.integers(0, 4)) != 0:
            return node
        mode = self.draw(st.sampled_from(["full", "zero"] if keep else ["full", "zero", "rescale"]))
        reads = isinstance(node, ast.Group) or any(
            isinstance(r, ast.Judgment) or any(isinstance(e, ast.Ref) for e in ast.walk_expressions(*r.expressions()))
            for r in node.rules
        )
        condition = self.condition() if not reads or self.draw(st.booleans()) else None
        return attrs.evolve(node, applies=ast.Applies(mode, condition))

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

    def grades(self, total: Decimal) -> tuple[ast.Grade, ...]:
        draw = self.draw
        style = draw(st.sampled_from(["none", "whole", "fractions"]))
        if style == "none":
            return ()
        if style == "whole":
            cuts = sorted(draw(st.sets(st.integers(1, int(total)), max_size=3)), reverse=True)
            names = ["优秀", "良好", "中", "差"]
            grades = tuple(
                ast.Grade(ast.Name(names[i]), draw(st.sampled_from([">=", ">"])), _num(c)) for i, c in enumerate(cuts)
            )
            return (*grades, ast.Grade(ast.Name(names[len(cuts)])))
        fractions = sorted({draw(st.sampled_from(HALVES)) * total / 10 for _ in range(draw(st.integers(0, 2)))},
                           reverse=True)  # fmt: skip
        grades = tuple(ast.Grade(ast.Name(f"等{i}"), ">=", _num(t)) for i, t in enumerate(fractions))
        return (*grades, ast.Grade(ast.Name("末等")))

    # ---- examples and properties
    def given_value(self, decl: ast.Input) -> ast.GivenValue:
        draw = self.draw
        if decl.is_list:  # a panel, as a text of scores
            return ast.GivenValue("text", "、".join(["0"] * draw(st.integers(3, 5))))
        if decl.type == "date":
            return ast.GivenValue("text", draw(st.sampled_from(["2024-03-31", "2024年1月10日"])))
        if decl.type == "bool":
            return ast.GivenValue("word", draw(st.sampled_from(["是", "否", "true", "false"])))
        if decl.type == "label":
            word = draw(st.sampled_from([lb.text for lb in decl.labels]))
            return ast.GivenValue(draw(st.sampled_from(["word", "text"])), word)
        if decl.type == "percent":
            return ast.GivenValue("percent", f"{draw(st.integers(0, 150))}%")
        if decl.type == "score":
            return ast.GivenValue("number", "0")
        if decl.bounds:
            return ast.GivenValue("number", str(draw(st.integers(1, 20))))
        return ast.GivenValue("number", str(draw(st.integers(0, 20))))

    def examples(self, total: Decimal, grades: tuple[ast.Grade, ...]) -> list[ast.Example]:
        out: list[ast.Example] = []
        for i in range(self.draw(st.integers(0, 2))):
            base = out[-1].name if out and self.draw(st.booleans()) else None
            # A rubric may have no inputs at all (every row a constant): then an example gives none.
            some = st.lists(st.sampled_from(self.inputs), max_size=2) if self.inputs else st.just([])
            decls = self.inputs if base is None else self.draw(some)
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
        numeric = [i for i in self.inputs if i.type in ("percent", "amount", "count", "score") and not i.is_list]
        if numeric and self.draw(st.booleans()):
            subject = self.draw(st.sampled_from(numeric)).name
            named = st.sampled_from([i.name for i in self.indicators]) if self.indicators else st.nothing()
            target = self.draw(st.none() | named)
            out.append(ast.Monotone(subject, self.draw(st.sampled_from(["increasing", "decreasing"])), target))
        if self.indicators and self.draw(st.booleans()):
            ind = self.draw(st.sampled_from(self.indicators))
            bools = [i for i in self.inputs if i.type == "bool"]
            condition = self.on_bool(bools[0].name.text) if bools and self.draw(st.booleans()) else None
            out.append(ast.Claim(ind.name, "<=", ind.max, condition))
        return out


@st.composite
def random_rubrics(
    draw: st.DrawFn, loose: bool = False, applies: bool = True, newer: bool | frozenset[str] = True,
    outside: bool = True, vetoes: bool = True, left_out: frozenset[str] = frozenset(),
) -> GenRubric:
    """A random rubric with the strategies of records that fit it (see the module's doc);
    `applies`: some rows may not apply (不适用); `newer`: issue 10's other forms appear too (or, given
    a set, those of NEWER_FORMS it names);
    `outside`: bonus and penalty rows after the tree; `vetoes`: 一票否决 lines and grades with conditions;
    `left_out`: forms not drawn all the same (of NEWER_FORMS, or "adjust": no 加减分项 after the tree)."""
    b = _Builder(draw, loose)
    b.may_not_apply, b.newer, b.left_out = applies, bool(newer), left_out
    b.forms = (NEWER_FORMS if newer is True else frozenset(newer or ())) - left_out
    tops = b.split(D(draw(st.integers(2, 20))))
    nodes = [b.node(0, top, keep=i == 0) for i, top in enumerate(tops)]
    total = sum(tops, D(0))
    rows = b.outside() if outside else []  # 加分项 and 扣分项 after the tree
    cap = draw(st.none() | st.integers(0, 5).map(lambda n: total + n)) if rows else None
    grades = b.grades(total)
    lines = b.vetoes(grades) if vetoes else []
    if vetoes and len(grades) > 1 and draw(st.booleans()):  # a grade that needs more than its total
        at = draw(st.integers(0, len(grades) - 2))
        grades = (*grades[:at], attrs.evolve(grades[at], condition=b.condition()), *grades[at + 1 :])
    places = draw(st.none() | st.integers(0, 4))
    modes = ["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]
    header = ast.Header(
        draw(TEXT),
        year=draw(st.none() | st.sampled_from([_num(2021), _num(2024)])),
        total=_num(total),
        round_places=_num(places) if places is not None else None,
        round_mode=draw(st.sampled_from(modes)) if places is not None else "half_up",  # the mode needs the places
        grades=grades,
        cap=_num(cap) if cap is not None else None,
    )
    items: list[ast.Item] = [header, *b.inputs, *b.lets, *nodes, *rows, *lines, *b.examples(total, grades), *b.properties()]
    shown = tuple((g.name.text, g.op, g.threshold.value if g.threshold else None) for g in grades)
    rounding = "ROUND_" + header.round_mode.upper()
    module = ast.Module(tuple(items))
    return GenRubric(module, b.gen, total, shown, 2 if places is None else places, rounding, b.steps, b.counted, cap)


def loaded(data: st.DataObject, drawn: st.SearchStrategy[GenRubric]) -> tuple[GenRubric, pingfen.Rubric]:
    """A rubric drawn from `drawn` (labelled "rubric") and loaded; a draw the checker refuses
    (a `loose` rubric may be refused) is rejected."""
    gen = data.draw(drawn, label="rubric")
    try:
        return gen, pingfen.loads(gen.text)
    except pingfen.RubricError:
        reject()


def rubrics() -> st.SearchStrategy[ast.Module]:
    """A random valid rubric as an AST."""
    return random_rubrics().map(lambda gen: gen.module)


# ---------------------------------------------------------------- arbitrary text for the parser

KEYWORDS = [
    "rubric", "year", "total", "round", "grade", "otherwise", "input", "let", "group", "indicator",
    "deduct", "per", "of", "above", "below", "from", "counting", "proportional", "whole", "started",
    "reason", "award", "if", "bands", "when", "else", "match", "judgment", "score", "and", "or", "not",
    "true", "false", "min", "max", "abs", "label", "percent", "amount", "count", "bool", "number",
    "half_up", "half_even", "floor",
]  # fmt: skip
PUNCTUATION = [
    "{", "}", "(", ")", "[", "]", "（", "）", "［", "］", ",", "，", ":", "：", "->", "→", "=", "==", "＝",
    ">=", "<=", ">", "<", "≥", "≤", "≧", "≦", "＞", "＜", "!=", "≠", "+", "-", "*", "/", "＋", "－", "×", "÷",
    "%", "％", '"', "`", "#", "\n", " ", "“", "”", "《", "》", "\\", "\t", "\r", "\ufeff", "\u3000",
]  # fmt: skip
WORDS = [
    "甲", "乙", "“三公经费”变动率", "《政府工作报告》目标任务完成情况", "在职人数", "x", "`带 空格`",
    '"标题"', '"未闭合', "0", "1", "0.5", "90%", "90％", "1pp", "100", "2021", "1.5", "-1",
    "99999999999999999999999999999999999999", "0.0000000000000000000000000000001", "1e5", "٣",
    "１２", "Ⅻ", "_", "é", "ß",
]  # fmt: skip


def _ruleset_2021() -> str:
    return RULESET_2021.read_text(encoding="utf-8")


@st.composite
def _mutated_2021(draw: st.DrawFn) -> str:
    text = _ruleset_2021()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 40)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate", "replace"]))
        piece = draw(st.sampled_from(KEYWORDS + PUNCTUATION + WORDS))
        if action == "delete":
            text = text[:i] + text[j:]
        elif action == "insert":
            text = text[:i] + piece + text[i:]
        elif action == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + piece + text[j:]
    return text


def rule_texts() -> st.SearchStrategy[str]:
    """Any text: unicode noise, token soup from the grammar, and broken 2021 rulesets."""
    token = st.one_of(
        st.sampled_from(KEYWORDS),
        st.sampled_from(PUNCTUATION),
        st.sampled_from(WORDS),
        st.text(max_size=4),
        st.text(alphabet="一二三四五六七八九十评分指标组（）【】「」『』·、。；！？", max_size=4),
    )
    soup = st.lists(token, max_size=40).map(lambda parts: " ".join(parts))
    tight = st.lists(token, max_size=40).map(lambda parts: "".join(parts))
    return st.one_of(st.text(), soup, tight, _mutated_2021())


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

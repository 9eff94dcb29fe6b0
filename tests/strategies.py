"""Hypothesis strategies for pingfen's tests.

- `records_2021()`: valid records for rulesets/dept-overall-2021.rule.
- `random_rubrics()`: small valid rubric texts (`GenRubric`), each with the strategy of
  records that fit it (`GenRubric.records`) and what the properties need to know about it.
- `rule_texts()`: arbitrary text for the parser: random unicode, token soup spliced from
  the grammar's keywords and punctuation, and mutations of the 2021 ruleset.

Values are exact Decimals throughout (percents as ratios with 4 decimals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from hypothesis import strategies as st

D = Decimal
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


@dataclass
class GenInput:
    name: str
    type: str  # percent, count, amount, bool, score
    values: st.SearchStrategy[object]
    bounds: str = ""


@dataclass
class GenRubric:
    """A generated rubric: its text and what the property tests need to know about it."""

    text: str
    inputs: list[GenInput]
    total: Decimal
    # (indicator, input, direction, reference ratio): a per-point deduction on a percent
    steps: list[tuple[str, str, str, Decimal]] = field(default_factory=list)
    # (indicator, count input): `deduct R per n`
    counted: list[tuple[str, str]] = field(default_factory=list)

    @property
    def records(self) -> st.SearchStrategy[dict[str, object]]:
        return st.fixed_dictionaries({i.name: i.values for i in self.inputs})

    @property
    def percent_inputs(self) -> list[str]:
        return [i.name for i in self.inputs if i.type == "percent"]

    def __repr__(self) -> str:  # hypothesis prints this on failure: show the text
        return f"GenRubric(text=\n{self.text}\n)"


def _fmt(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pct(value: Decimal) -> str:
    """A ratio as a percent literal: 0.855 → `85.5%`."""
    return _fmt(value * 100) + "%"


HALVES = st.integers(0, 20).map(lambda n: D(n) / 2)  # 0, 0.5, … 10


class _Builder:
    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.n = 0
        self.inputs: list[GenInput] = []
        self.lets: list[str] = []
        self.steps: list[tuple[str, str, str, Decimal]] = []
        self.counted: list[tuple[str, str]] = []

    def fresh(self, stem: str) -> str:
        self.n += 1
        return f"{stem}{self.n}"

    def new_input(
        self, type_: str, values: st.SearchStrategy[object], bounds: str = "", stem: str | None = None
    ) -> str:
        name = self.fresh(stem or self.draw(st.sampled_from(["输入", "x_", "率", "“数”"])))
        self.inputs.append(GenInput(name, type_, values, bounds))
        return name

    def points(self, top: Decimal) -> Decimal:
        """Points in [0, top], in halves."""
        return self.draw(HALVES.filter(lambda p: p <= top)) if top >= D("0.5") else D(0)

    # ---- indicators
    def indicator(self) -> tuple[str, Decimal]:
        draw = self.draw
        name = self.fresh(draw(st.sampled_from(["指标", "“指标”", "《指标》", "ind_"])))
        top = draw(st.sampled_from([D(1), D(2), D(3), D(4), D(5), D(6), D(10), D("2.5"), D("0.5")]))
        kind = draw(st.sampled_from(["bands", "step", "ratio", "counted", "awards", "when", "when_pct", "judgment"]))
        rules = getattr(self, "rule_" + kind)(name, top)
        if kind not in ("judgment",) and draw(st.booleans()):
            # an extra counted deduction, so that 扣完为止 clamping happens often
            rate = draw(st.sampled_from(["0.5", "1", "2"]))
            n = self.new_input("count", counts(0, 5), stem="例数")
            rules.append(f"deduct {rate} per {n}")
            self.counted.append((name, n))
        body = "\n    ".join(rules)
        return f"indicator {name} {_fmt(top)} {{\n    {body}\n  }}", top

    def rule_bands(self, name: str, top: Decimal) -> list[str]:
        draw = self.draw
        p = self.new_input("percent", percents(2), ">= 0")
        cuts = sorted(draw(st.sets(st.integers(1, 300), min_size=1, max_size=4)))
        ends = [D(c) / 200 for c in cuts]  # ratios 0.005 … 1.5
        closed_low = draw(st.booleans())  # [low, high) style, else (low, high]
        pts = [self.points(top) for _ in range(len(ends) + 1)]
        lines = [f"{'>=' if closed_low else '>'} {_pct(ends[-1])} -> {_fmt(pts[0])}"]
        for i in range(len(ends) - 1, 0, -1):
            low, high = _pct(ends[i - 1]), _pct(ends[i])
            lines.append(
                f"{'[' if closed_low else '('}{low}, {high}{')' if closed_low else ']'} -> {_fmt(pts[len(ends) - i])}"
            )
        lines.append(f"{'<' if closed_low else '<='} {_pct(ends[0])} -> {_fmt(pts[-1])}")
        return [f"bands {p} {{ " + "  ".join(lines) + " }"]

    def rule_step(self, name: str, top: Decimal) -> list[str]:
        draw = self.draw
        p = self.new_input("percent", percents(2))
        direction = draw(st.sampled_from(["above", "below", "from"]))
        reference = D(draw(st.integers(0, 40))) / 20  # 0% … 200% in 5% steps
        rate = draw(st.sampled_from(["0.1", "0.2", "0.5", "1"]))
        step = draw(st.sampled_from(["1pp", "0.5pp", "5pp"]))
        counting = draw(st.sampled_from(["", " counting proportional", " counting whole", " counting started"]))
        self.steps.append((name, p, direction, reference))
        return [f"deduct {rate} per {step} of {p} {direction} {_pct(reference)}{counting}"]

    def rule_ratio(self, name: str, top: Decimal) -> list[str]:
        """Like 财政供养人员控制率: a let quotient of two counts, deducted above 100%."""
        num = self.new_input("count", counts(0, 30), stem="在职")
        den = self.new_input("count", counts(1, 30), "> 0", stem="编制")
        rate = self.fresh("比率")
        self.lets.append(f"let {rate} = {num} / {den}")
        per = self.draw(st.sampled_from(["0.1", "0.5", "1"]))
        return [f"deduct {per} per 1pp of {rate} above 100% counting proportional"]

    def rule_counted(self, name: str, top: Decimal) -> list[str]:
        n = self.new_input("count", counts(0, 30))
        rate = self.draw(st.sampled_from(["0.5", "1", "0.2"]))
        self.counted.append((name, n))
        return [f"deduct {rate} per {n}"]

    def rule_awards(self, name: str, top: Decimal) -> list[str]:
        """Like 管理制度健全性: points for each bool that holds, adding up to the max."""
        draw = self.draw
        shares, left = [], top
        for _ in range(draw(st.integers(0, 3))):
            pts = self.points(left)
            if pts == 0 or pts == left:
                break
            shares.append(pts)
            left -= pts
        shares.append(left)
        rules = []
        for pts in shares:
            b = self.new_input("bool", st.booleans())
            condition = draw(st.sampled_from([b, f"{b} = true", f"not not {b}"]))
            rules.append(f"award {_fmt(pts)} if {condition}")
        return rules

    def rule_when(self, name: str, top: Decimal) -> list[str]:
        """Like 资金结余: = 0 → top; <= other → some; else → less."""
        a = self.new_input("amount", st.one_of(st.just(D(0)), amounts(0, 1000)))
        b = self.new_input("amount", st.one_of(st.just(D(0)), amounts(0, 1000)))
        return [
            f"when {a} = 0 -> {_fmt(top)}",
            f"when {a} <= {b} -> {_fmt(self.points(top))}",
            f"else -> {_fmt(self.points(top))}",
        ]

    def rule_when_pct(self, name: str, top: Decimal) -> list[str]:
        p = self.new_input("percent", percents(2))
        q = self.new_input("bool", st.booleans())
        cut = D(self.draw(st.integers(0, 40))) / 20
        return [
            f"when {p} >= {_pct(cut)} and {q} -> {_fmt(self.points(top))}",
            f"when not {q} or {p} < {_pct(cut)} -> {_fmt(self.points(top))}",
        ]

    def rule_judgment(self, name: str, top: Decimal) -> list[str]:
        self.inputs.append(GenInput(name, "score", scores(top)))
        return ["judgment"]

    # ---- groups
    def group(self, depth: int) -> tuple[str, Decimal]:
        draw = self.draw
        name = self.fresh(draw(st.sampled_from(["组", "group_", "“组”"])))
        parts = []
        for _ in range(draw(st.integers(1, 3))):
            if depth < 2 and draw(st.integers(0, 3)) == 0:
                parts.append(self.group(depth + 1))
            else:
                parts.append(self.indicator())
        top = sum((p[1] for p in parts), D(0))
        body = "\n".join(p[0] for p in parts)
        return f"group {name} {_fmt(top)} {{\n{body}\n}}", top


@st.composite
def random_rubrics(draw: st.DrawFn) -> GenRubric:
    """A small valid rubric text, with a strategy of records that fit it."""
    builder = _Builder(draw)
    groups = [builder.group(0) for _ in range(draw(st.integers(1, 3)))]
    total = sum((g[1] for g in groups), D(0))
    header = (
        f'rubric "随机评分表" {{\n  year 2021\n  total {_fmt(total)}\n  round total 2 half_up\n'
        f"  grade 优秀 >= {_fmt(total * D('0.9'))}\n  grade 合格 >= {_fmt(total * D('0.6'))}\n  grade 差 otherwise\n}}"
    )
    decls = [f"input {i.name}: {i.type}{(' ' + i.bounds) if i.bounds else ''}" for i in builder.inputs]
    text = "\n".join([header, *decls, *builder.lets, *(g[0] for g in groups)]) + "\n"
    return GenRubric(text, builder.inputs, total, builder.steps, builder.counted)


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

"""Each indicator's 评分标准 written back from its rules, in 中文 or English.

The published table is generated from the checked file, so its words must state exactly
what the rules score: thresholds, rates, how partial steps count, caps. The Chinese uses
the phrases rubric tables use ("以100%为基准……每超过一个百分点扣0.5分，扣完为止",
"80%（含）-90%，计4分", "①…，1分；②…，0.5分", "由评价人员酌情打分") so that a table importer
reads the table back. Constants are written exactly, every digit kept (`reasons.exact`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import assert_never

from pingfen import ast
from pingfen.lang import Lang, counted
from pingfen.reasons import exact
from pingfen.syntax.formatter import _prec  # the language's binding strengths, stated once there
from pingfen.values import CONTEXT

# A panel's functions as the table says them: 专家评分的平均值, the mean of 专家评分.
_PANEL_WORDS = {
    "mean": ("的平均值", "the mean of"),
    "median": ("的中位数", "the median of"),
    "trimmed_mean": ("去掉一个最高分和一个最低分后的平均值", "the mean, without the highest and the lowest, of"),
    "min": ("的最低值", "the lowest of"),
    "max": ("的最高值", "the highest of"),
    "count": ("的个数", "the number of"),
}

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"  # a checklist's marks ① … ⑳, as render writes them and import reads them
_ZH_OPS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_EN_OPS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_ROUNDING = {
    "half_up": ("四舍五入", "rounded half up"),
    "half_even": ("四舍六入五成双", "rounded half to even"),
    "half_down": ("五舍六入", "rounded half down"),
    "up": ("非零即进", "rounded away from zero"),
    "down": ("直接舍去", "truncated"),
    "ceiling": ("向上取整", "rounded up"),
    "floor": ("向下取整", "rounded down"),
}

# An input's type as the 指标数据说明 states it (zh, en); a `let` is a 计算值.
TYPE_WORDS = {
    "percent": ("百分比", "percent"), "amount": ("金额", "amount"), "count": ("计数", "count"),
    "bool": ("是否", "yes/no"), "score": ("评价得分", "score"), "number": ("数值", "number"),
    "label": ("等级", "label"), "date": ("日期", "date"),
}  # fmt: skip
DERIVED = ("计算值", "derived")


class Words:
    """What the rubric declares that the criteria mention: inputs (descriptions, types) and lets."""

    def __init__(self, module: ast.Module, lang: Lang) -> None:
        self.lang = lang
        self.zh = lang == "zh"
        self.inputs = {i.name.text: i for i in module.inputs}
        self.lets = {let.name.text: let for let in module.lets}
        self.vetoes = module.vetoes
        self.grade_names = [g.name.text for g in module.header.grades] if module.header is not None else []
        # Something declared starting ① ② …: import reads ①X whole when it names something, so a
        # checklist's own marks are then (1) (2) … (`_marks`).
        words = [*self.inputs, *self.lets, *(lb.text for i in module.inputs for lb in i.labels),
                 *(i.description or "" for i in module.inputs)]  # fmt: skip
        self.circled = any(starts_circled(w.strip()) for w in words)

    # ------------------------------------------------------------ numbers and expressions

    def literal(self, n: ast.Number) -> str:
        """A constant exactly: 90%, 0.5, 一个百分点 / 5 percentage points."""
        if n.unit == "number":
            return exact(n.value)
        hundred = exact(n.value.scaleb(2, CONTEXT))
        if n.unit == "percent":
            return hundred + "%"
        if self.zh:
            return "一个百分点" if hundred == "1" else f"{hundred}个百分点"
        return "one percentage point" if hundred == "1" else f"{hundred} percentage points"

    def expr(self, e: ast.Expr, at_least: int = 0) -> str:
        text = self._expr(e)
        if _prec(e) < at_least:
            return f"（{text}）" if self.zh else f"({text})"
        return text

    def _expr(self, e: ast.Expr) -> str:
        zh = self.zh
        match e:
            case ast.Number():
                return self.literal(e)
            case ast.Ref():
                return e.name.text
            case ast.Bool():
                return ("是" if e.value else "否") if zh else ("true" if e.value else "false")
            case ast.Neg():
                return "-" + self.expr(e.operand, 7)
            case ast.Not():
                return f"“{self.expr(e.operand)}”不成立" if zh else f"not {self.expr(e.operand, 3)}"
            case ast.Or():
                return f"{self.expr(e.left, 1)}{'或' if zh else ' or '}{self.expr(e.right, 2)}"
            case ast.And():
                return f"{self.expr(e.left, 2)}{'且' if zh else ' and '}{self.expr(e.right, 3)}"
            case ast.Compare():
                op = (_ZH_OPS if zh else _EN_OPS)[e.op]
                gap = "" if zh else " "
                return f"{self.expr(e.left, 5)}{gap}{op}{gap}{self.expr(e.right, 5)}"
            case ast.Binary():
                level = 5 if e.op in "+-" else 6
                op = {"+": "+", "-": "-", "*": "×", "/": "÷"}[e.op]
                gap = "" if zh else " "
                return f"{self.expr(e.left, level)}{gap}{op}{gap}{self.expr(e.right, level + 1)}"
            case ast.Call():
                panel = e.args[0]
                if isinstance(panel, ast.Ref) and (decl := self.inputs.get(panel.name.text)) is not None and decl.is_list:
                    zh_word, en_word = _PANEL_WORDS[e.func]
                    return f"{panel.name.text}{zh_word}" if zh else f"{en_word} {panel.name.text}"
                if e.func in ast.DURATIONS and len(e.args) == 2:  # 自提交日期至完成日期的天数
                    a, b = (self.expr(x) for x in e.args)
                    unit = {"days": ("天数", "days"), "months": ("月数", "months")}[e.func]
                    return f"自{a}至{b}的{unit[0]}" if zh else f"the {unit[1]} from {a} to {b}"
                return f"{e.func}({', '.join(self.expr(a) for a in e.args)})"
            case ast.Round():  # the value bracketed unless it is one name, number or call; a mode but 四舍五入 said
                places = exact(e.places.value)
                mode = _ROUNDING[e.mode][0 if zh else 1] if e.mode != "half_up" else ""
                value = self.expr(e.value, 8)
                return f"{value}（{mode}保留{places}位小数）" if zh else f"{value} ({mode or 'rounded'} to {counted(places, 'place')})"
            case ast.IfElse():  # a condition or a first value that is itself an `if` bracketed: one reading only
                if zh:
                    return f"{self.expr(e.condition, 1)}时为{self.expr(e.then, 1)}，否则为{self.expr(e.otherwise)}"
                return f"{self.expr(e.then, 1)} if {self.expr(e.condition, 1)}, else {self.expr(e.otherwise)}"
            case _:
                assert_never(e)

    def condition(self, e: ast.Expr) -> str:
        """A checklist item: a yes/no input stands for its description, as the table states it,
        when no other yes/no input has the same one (else the table could not say which)."""
        if isinstance(e, ast.Ref):
            declared = self.inputs.get(e.name.text)
            if declared is not None and declared.type == "bool" and declared.description and declared.description.strip():
                alike = [i for i in self.inputs.values() if i.type == "bool" and i.description == declared.description]
                if len(alike) == 1 and declared.description not in self.inputs and declared.description not in self.lets:
                    return declared.description
        return self.expr(e)

    def points(self, n: ast.Number, verb: str = "计") -> str:
        """计5分 / 不得分 (zh), 5 points (en)."""
        if self.zh:
            return "不得分" if n.value == 0 else f"{verb}{exact(n.value)}分"
        return counted(exact(n.value), "point")

    # ------------------------------------------------------------ rules

    def band(self, band: ast.Band) -> str:
        if band.is_else:
            return "其他情况" if self.zh else "otherwise"
        if band.op is not None:
            end = band.low if band.low is not None else band.high
            assert end is not None  # a band with an operator has its one end
            value = self.literal(end)
            if self.zh:
                return {"<": f"低于{value}", ">": f"高于{value}"}.get(band.op, _ZH_OPS[band.op] + value)
            return f"{_EN_OPS[band.op]} {value}"
        assert band.low is not None and band.high is not None
        low, high = self.literal(band.low), self.literal(band.high)
        if self.zh:  # the way tables mark ends: （含） closed, （不含） open, both said when neither is closed
            if not band.low_closed and not band.high_closed:
                return f"{low}（不含）-{high}（不含）"
            return f"{low}{'（含）' if band.low_closed else ''}-{high}{'（含）' if band.high_closed else ''}"
        return f"{'[' if band.low_closed else '('}{low}, {high}{']' if band.high_closed else ')'}"

    def bands(self, rule: ast.Bands) -> str:
        subject = self.expr(rule.subject)
        parts = []
        for j, band in enumerate(rule.bands):
            condition = self.band(band)
            if self.zh:
                lead = subject if j == 0 and not band.is_else else ""
                if lead and band.op is None:  # 执行率：80%（含）-90%: a range's number must not run into the name
                    lead += "："
                parts.append(f"{lead}{condition}，{self.points(band.points)}")
            else:
                parts.append(f"{subject + ' ' if j == 0 and not band.is_else else ''}{condition}: {self.points(band.points)}")
        return self._list(parts)

    def when(self, rule: ast.WhenChain) -> str:
        parts = []
        for arm in rule.arms:
            if arm.condition is None:
                parts.append(f"其他情况，{self.points(arm.points)}" if self.zh else f"otherwise: {self.points(arm.points)}")
            elif self.zh:
                parts.append(f"{self.expr(arm.condition)}的，{self.points(arm.points)}")
            else:
                parts.append(f"if {self.expr(arm.condition)}: {self.points(arm.points)}")
        if rule.arms[-1].condition is None:
            return self._list(parts)
        # no `else`: a record that meets no condition is refused, not scored 0
        return self._list([*parts, "不符合以上任一条件的，不予评分" if self.zh else "any other case cannot be scored"])

    def match(self, rule: ast.Match) -> str:
        subject = self.expr(rule.subject)
        parts = []
        for arm in rule.arms:
            if self.zh:
                label = "其他情况" if arm.label is None else f"{arm.label.text}的"
                parts.append(f"{label}，{self.points(arm.points, '得')}")
            else:
                label = "otherwise" if arm.label is None else f"“{arm.label.text}”"
                parts.append(f"{label}: {self.points(arm.points)}")
        return f"{subject}{'：' if self.zh else ' — '}" + self._list(parts)

    def checklist(self, items: list[ast.AwardIf | ast.DeductIf], added: bool = False) -> str:
        """A checklist's items; `added`: an adjust row's awards, which add to what it counts (加0.5分)."""
        parts = []
        whats = [self.condition(item.condition) for item in items]
        for item, what, mark in zip(items, whats, _marks(whats, self.circled), strict=True):
            if isinstance(item, ast.AwardIf):
                parts.append(f"{mark}{what}，{'加' if added else ''}{exact(item.points.value)}分" if self.zh
                             else f"{mark} {what}: {self.points(item.points)}".strip())  # fmt: skip
            elif self.zh:
                parts.append(f"{mark}{what}的，扣{exact(item.points.value)}分")
            else:
                parts.append(f"{mark} {what}: minus {self.points(item.points)}".strip())
        return self._list(parts)

    def step(self, rule: ast.DeductStep, top: Decimal | None, *, penalty: bool = False) -> str:
        """A deduction per step; with `top`, the indicator starts from it and has this one rule,
        so full marks within the reference are stated too: for a 扣分项 (`penalty`), whose points
        are what it takes, that nothing is deducted there (计3分 would read as "take 3")."""
        zh = self.zh
        subject = self.expr(rule.value)
        rate = exact(rule.rate.value)
        step = self.literal(rule.step)
        whole_count = isinstance(rule.value, ast.Ref) and self._type(rule.value) == "count"
        counting = rule.counting or "proportional"
        if rule.counting is None and whole_count and rule.step.value == 1:
            partial = ""  # a count is whole: partial steps do not arise
        elif zh:
            partial = {
                "proportional": f"，不足{step}的按比例扣分",
                "whole": f"，不足{step}的部分不扣分",
                "started": f"，不足{step}的按{step}计算",
            }[counting]
        else:
            partial = {
                "proportional": ", part of a step in proportion",
                "whole": ", only whole steps count",
                "started": ", a part of a step counts as a whole step",
            }[counting]
        if rule.reference is None:  # the counted form: per case
            if zh:
                each = "每出现一例" if whole_count and rule.step.value == 1 else f"每{step}"
                return f"{subject}{each}扣{rate}分{partial}"
            each = "per case" if whole_count and rule.step.value == 1 else f"per {step}"
            return f"{rate} deducted {each} of {subject}{partial}"
        reference = self.expr(rule.reference)
        if zh:
            word = {"above": "超过", "below": "低于", "from": "相差"}[rule.direction]
            full = ""
            if top is not None:
                within = {"above": "≤", "below": "≥", "from": "等于"}[rule.direction]
                full = f"{subject}{within}{reference}的，{'不扣分' if penalty else f'计{exact(top)}分'}；"
            return f"以{reference}为基准，{full}{'' if full else subject}每{word}{step}扣{rate}分{partial}"
        word = {"above": "above", "below": "below", "from": "away from"}[rule.direction]
        full = ""
        if top is not None:
            within = {"above": "≤", "below": "≥", "from": "="}[rule.direction]
            full = f"{subject} {within} {reference}: {'nothing deducted' if penalty else counted(exact(top), 'point')}; "
        return f"{full}{rate} deducted per {step} of {subject} {word} {reference}{partial}"

    def _type(self, ref: ast.Ref) -> str | None:
        declared = self.inputs.get(ref.name.text)
        return declared.type if declared is not None else None

    def _list(self, parts: list[str]) -> str:
        return ("；" if self.zh else "; ").join(parts)

    # ------------------------------------------------------------ an indicator

    def criterion(self, indicator: ast.Indicator, *, penalty: bool = False) -> str:
        """The whole 评分标准 of an indicator, as one sentence group ending in 。 (zh) or . (en);
        `penalty`: the row is a 扣分项, which takes its lost points from the total."""
        if indicator.pending is not None:  # 由各省自行制定: the text as written, the only criterion there is
            text = indicator.pending.rstrip()
            return text if text.endswith(("。", ".", "！", "？")) else text + ("。" if self.zh else ".")
        zh = self.zh
        top = indicator.max.value
        bases = [r for r in indicator.rules if ast.is_base(r)]
        awards = [r for r in indicator.rules if isinstance(r, ast.AwardIf)]
        deductions = [r for r in indicator.rules if ast.is_deduction(r)]
        sentences: list[str] = []
        for base in bases:
            sentences.append(self.switched(base, self._base(base, top, indicator.name.text), True))
        adjust = indicator.low
        if awards:
            sentences.append(self.checklist(list(awards), adjust is not None))
        if deductions:
            lone = top if not bases and not awards and len(deductions) == 1 else None
            items = [r for r in deductions if isinstance(r, ast.DeductIf)]
            taken = [self.switched(r, self.step(r, lone, penalty=penalty), False)
                     for r in deductions if isinstance(r, ast.DeductStep)]
            if items:
                taken.append(self.checklist(list(items)))
            lead = ("在此基础上，" if zh else "then ") if sentences else ""
            sentences.append(lead + self._list(taken) + ("" if adjust is not None else "，扣完为止" if zh else ", down to 0"))
        if not indicator.rules and penalty:  # it takes nothing: 计5分 read as "take 5"
            sentences.append("不扣分" if zh else "nothing deducted")
        elif not indicator.rules:  # its score: an adjust row starts at 0, any other row at its max
            start = Decimal(0) if adjust is not None else top
            sentences.append(f"计{exact(start)}分" if zh else counted(exact(start), "point"))
        if adjust is not None:  # 加减分项: the sum kept in its range, said last
            low, high = exact(adjust.value), exact(top)
            sentences.append(f"合计在{low}至+{high}分之间" if zh else f"in all between {low} and +{high}")
        if indicator.round_places is not None:  # the mode said when it is not the usual 四舍五入
            places = exact(indicator.round_places.value)
            mode = _ROUNDING[indicator.round_mode][0 if zh else 1] if indicator.round_mode != "half_up" else ""
            sentences.append(f"得分{mode}保留{places}位小数" if zh else f"the score is {mode or 'rounded'} to {counted(places, 'place')}")
        if indicator.applies is not None:
            sentences.append(self.applies(indicator.applies))
        end = "。" if zh else "."
        return ("；" if zh else "; ").join(sentences) + end

    def group_rounding(self, group: ast.Group) -> str | None:
        """`round N [MODE]` on a group, as its cell states it: 得分四舍五入保留1位小数."""
        if group.round_places is None:
            return None
        places, mode = exact(group.round_places.value), _ROUNDING[group.round_mode][0 if self.zh else 1]
        return f"得分{mode}保留{places}位小数" if self.zh else f"the score {mode} to {counted(places, 'place')}"

    def group_note(self, group: ast.Group) -> str | None:
        """What a group's cell says besides its 分值: its rounding, then when it applies
        (得分四舍五入保留1位小数，仅在有项目时适用，不适用的不得分); None when neither is set."""
        said = [self.group_rounding(group), None if group.applies is None else self.applies(group.applies)]
        kept = [text for text in said if text is not None]
        return ("，" if self.zh else "; ").join(kept) if kept else None

    def applies(self, applies: ast.Applies) -> str:
        """When the row applies (不适用), and what it counts for when it does not."""
        counted = {
            "full": ("不适用的按满分计算", "when not applicable, full marks"),
            "zero": ("不适用的不得分", "when not applicable, 0 points"),
            "rescale": ("不适用的不计入，按适用分值折算", "when not applicable, left out and the rest re-scaled"),
        }[applies.mode][0 if self.zh else 1]
        if applies.condition is not None:
            when = f"仅在{self.expr(applies.condition)}时适用" if self.zh else f"applies only when {self.expr(applies.condition)}"
        else:
            when = "数据可填“不适用”" if self.zh else "the data may say N/A"
        return f"{when}，{counted}" if self.zh else f"{when}; {counted}"

    def switched(self, rule: ast.Rule, text: str, base: bool) -> str:
        """A rule with a trailing `if COND` as the table states it: 有项目时，…（否则不得分）."""
        guard = ast.guard_of(rule)
        if guard is None:
            return text
        if self.zh:
            return f"{self.condition(guard)}时，{text}" + ("；否则不得分" if base else "")
        return f"where {self.condition(guard)}, {text}" + ("; otherwise 0 points" if base else "")

    def _base(self, rule: ast.BaseRule, top: Decimal, indicator: str) -> str:
        zh = self.zh
        match rule:
            case ast.Bands():
                return self.bands(rule)
            case ast.WhenChain():
                return self.when(rule)
            case ast.Match():
                return self.match(rule)
            case ast.Judgment():
                # the score's input named when it is not the indicator's own, so that an import declares it
                name = rule.input.text if rule.input is not None else indicator
                into = "" if name == indicator else (f"（记为{name}）" if zh else f" (as {name})")
                return f"由评价人员酌情打分{into}，最高{exact(top)}分" if zh else f"judged by the evaluators{into}, 0 to {counted(exact(top), 'point')}"
            case ast.Formula():
                if zh:
                    return f"得分={self.expr(rule.expr)}，最高{exact(top)}分，低于0分的按0分计"
                return f"score = {self.expr(rule.expr)}, at most {exact(top)}, at least 0"
            case _:
                assert_never(rule)

    def explanation(self, indicator: ast.Indicator) -> str:
        """指标解释: the derived values the rules read, each as its formula, in declaration order."""
        wanted: set[str] = set()
        stack = [e for rule in indicator.rules for e in rule.expressions()]
        while stack:
            for e in ast.walk_expressions(stack.pop()):
                if isinstance(e, ast.Ref) and e.name.text in self.lets and e.name.text not in wanted:
                    wanted.add(e.name.text)
                    stack.append(self.lets[e.name.text].expr)
        lines = [f"{name}={self.expr(let.expr)}" if self.zh else f"{name} = {self.expr(let.expr)}"
                 for name, let in self.lets.items() if name in wanted]  # fmt: skip
        read = {e.name.text for rule in indicator.rules for x in rule.expressions()
                for e in ast.walk_expressions(x) if isinstance(e, ast.Ref)}  # fmt: skip
        lines += [self.batch(name, decl.batch) for name, decl in self.inputs.items() if decl.batch and name in read]
        return ("；" if self.zh else "; ").join(lines) + (("。" if self.zh else ".") if lines else "")

    def batch(self, name: str, batch: ast.Batch) -> str:
        """基准价为同批各记录报价的最小值 / 基准价 = the lowest 报价 of the batch's records."""
        subject = self.expr(batch.expr)
        if self.zh:
            what = {"min": "最小值", "max": "最大值", "mean": "平均值", "median": "中位数", "count": "记录数",
                    "rank": "由高到低的名次"}[batch.func]  # fmt: skip
            return f"{name}为同批各记录{subject}的{what}"
        what = {"min": "the lowest", "max": "the highest", "mean": "the mean", "median": "the median",
                "count": "the number of records with", "rank": "the place (highest first) by"}[batch.func]  # fmt: skip
        return f"{name} = {what} {subject} of the batch's records"

    # ------------------------------------------------------------ the data items

    def data_items(self) -> list[tuple[str, str, str, str]]:
        """指标数据说明: each input (name, type, its range or labels, description) and each derived
        value (name, 计算值, its formula, ""), in declaration order — what an importer declares."""
        out = []
        for i in self.inputs.values():
            if i.batch is not None:  # a value across the batch: derived, as its sentence says
                out.append((i.name.text, DERIVED[0 if self.zh else 1], self.batch(i.name.text, i.batch), ""))
                continue
            if i.type == "label":
                values = ("、" if self.zh else ", ").join(label.text for label in i.labels)
            else:
                values = ("且" if self.zh else " and ").join(
                    f"{_ZH_OPS[b.op] if self.zh else _EN_OPS[b.op]}{self.literal(b.value)}" for b in i.bounds)
            if i.precision is not None:  # values are rounded to it when read
                values += f"，精确到{self.literal(i.precision)}" if self.zh else f", to {self.literal(i.precision)}"
            kind = TYPE_WORDS[i.type][0 if self.zh else 1]
            if i.is_list:  # a panel of experts' scores, and how many when the rubric says
                many = exact(i.size.value) if i.size is not None else ("多" if self.zh else "")
                kind = f"{kind}（{many}位专家）" if self.zh else f"{kind} (a panel{' of ' + many if many else ''})"
            out.append((i.name.text, kind, values, i.description or ""))
        for name, let in self.lets.items():
            out.append((name, DERIVED[0 if self.zh else 1], self.expr(let.expr), ""))
        return out

    # ------------------------------------------------------------ the grades

    def veto(self, veto: ast.Veto) -> str:
        """一票否决：发生重大违规（重大违规）的，总分计0分."""
        when = self.condition(veto.condition)
        said = veto.line(self.grade_names).said(self.lang)  # as a result's reason says it
        if self.zh:
            return f"一票否决：{veto.name.text}（{when}）的，{said}"
        return f"veto {veto.name.text} ({when}): {said}"

    def grades(self, header: ast.Header) -> str:
        """90分（含）以上为优秀；80分（含）-90分为良好；…；60分以下为差 — and how the total is rounded."""
        zh = self.zh
        places = exact(header.round_places.value) if header.round_places is not None else "2"
        mode = _ROUNDING[header.round_mode][0 if zh else 1]
        rounding = (f"总分{mode}保留{places}位小数后评定等次" if zh
                    else f"The total is {mode} to {counted(places, 'decimal')} before grading")  # fmt: skip
        vetoes = [self.veto(v) for v in self.vetoes]
        if header.cap is not None:  # 加分后总分不超过100分: said before the vetoes, which may set it to 0
            top = exact(header.cap.value)
            vetoes.insert(0, f"加分后总分不超过{top}分" if zh else f"with the bonus rows the total is at most {top}")
        if not header.grades:  # said, with the rounding, so that `pingfen import` reads no grades back rather than guess
            rounding = f"总分{mode}保留{places}位小数" if zh else f"the total is {mode} to {counted(places, 'decimal')}"
            return ("；" if zh else "; ").join(["不评定等次" if zh else "No grades", rounding, *vetoes]) + ("。" if zh else ".")
        parts: list[str] = []
        previous: ast.Grade | None = None
        descending = _descending(header.grades)
        for grade in header.grades:
            name = grade.name.text
            if grade.threshold is None:
                if previous is not None and previous.threshold is not None and descending:
                    value = self.literal(previous.threshold)
                    below = f"{value}分以下" if previous.op == ">=" else f"{value}分（含）以下"
                    parts.append(f"{below}为{name}" if zh else f"{name}: below {value}" if previous.op == ">="
                                 else f"{name}: {value} or less")  # fmt: skip
                else:
                    parts.append(f"其他为{name}" if zh else f"{name}: otherwise")
            else:
                value = self.literal(grade.threshold)
                if descending and grade.op in (">=", ">"):
                    low = f"{value}分（含）" if grade.op == ">=" else f"{value}分（不含）"
                    if previous is None or previous.threshold is None:
                        parts.append(f"{low}以上为{name}" if zh else f"{name}: {_EN_OPS[grade.op]} {value}")
                    else:
                        upper = self.literal(previous.threshold)
                        upper_zh = f"{upper}分" if previous.op == ">=" else f"{upper}分（含）"
                        parts.append(f"{low}-{upper_zh}为{name}" if zh else
                                     f"{name}: {_EN_OPS[grade.op]} {value} and {'<' if previous.op == '>=' else '≤'} {upper}")  # fmt: skip
                else:  # any other order: first match wins, said as such
                    op = (_ZH_OPS if zh else _EN_OPS)[grade.op or "="]
                    parts.append(f"总分{op}{value}为{name}" if zh else f"{name}: total {op} {value}")
            if grade.condition is not None:  # 优秀须满意度 ≥ 90%: said beside its band
                parts[-1] += f"（且{self.expr(grade.condition)}）" if zh else f" (and {self.expr(grade.condition)})"
            previous = grade
        if vetoes:  # the cap and 一票否决, after the grades
            rounding += ("。" if zh else ". ") + ("；" if zh else "; ").join(vetoes)
        if not descending:
            lead = "等次按以下顺序取首个符合的：" if zh else "the first that holds: "
            return lead + self._list(parts) + ("。" if zh else ". ") + rounding + ("。" if zh else ".")
        return self._list(parts) + ("。" if zh else ". ") + rounding + ("。" if zh else ".")




def _descending(grades: tuple[ast.Grade, ...]) -> bool:
    """Grades written as `>=`/`>` thresholds from the highest down, `otherwise` last: each
    then takes the band between its threshold and the one above."""
    thresholds = [g for g in grades if g.threshold is not None]
    if any(g.op not in (">=", ">") for g in thresholds):
        return False
    if any(g.threshold is None for g in grades[: len(thresholds)]):
        return False
    values = [g.threshold.value for g in thresholds if g.threshold is not None]
    return all(a > b for a, b in zip(values, values[1:], strict=False))


def _marks(whats: list[str], declared: bool) -> list[str]:
    """A checklist's marks, ① ② … (past ⑳, (21) …); none for one item alone. Items whose own words
    start ① ② … in order (a name such as ①制度健全) are numbered by them: render's mark before them
    said the number twice (①①制度健全). Where only some start with a circled number, or not in
    order, or `declared` (a name, label or description starts with one), the marks are (1) (2) …:
    import (`stated._item`) reads ①制度健全 as a name that starts ① when one does, and ① as a mark
    only otherwise."""
    if len(whats) == 1 or (len(whats) <= len(CIRCLED) and all(w.startswith(CIRCLED[j]) for j, w in enumerate(whats))):
        return [""] * len(whats)
    circled = declared or any(starts_circled(w) for w in whats)
    return [CIRCLED[j] if j < len(CIRCLED) and not circled else f"({j + 1})" for j in range(len(whats))]


def starts_circled(word: str) -> bool:
    """Whether `word` starts with a circled mark (`CIRCLED`): the one test of render's and import's
    contract. Render never writes a ① that could start a declared word: it marks (1) (2) … then
    (`_marks`); so import tries an item's whole text, ① and all, before the text without its ①
    (`stated._item`)."""
    return word[:1] != "" and word[0] in CIRCLED

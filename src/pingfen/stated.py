"""Reading back the 评分标准 `pingfen render` writes, every rule form, as rule text.

A table render made carries its 指标数据说明: every input with its type, range and
description, and every derived value with its formula. With those names known, a criterion
in render's own wording (`report.criteria`) is read whole: expressions ("（本年-上年）÷上年",
"“甲且乙”不成立"), `when` arms ("…的，计3分", 其他情况), bands (negative ends too), labels,
checklists, judgments, formulas ("得分=…，最高5分") and the deductions after 在此基础上.
A text that strays from that wording is not guessed at: the reader returns None and
`phrases` tries its own readers. Nothing here runs what it reads: it writes rule text, which
the parser then reads as any rule file.
"""

from __future__ import annotations

import re
from decimal import Decimal

from attrs import frozen

from pingfen.ast import Name
from pingfen.errors import PingfenError
from pingfen.phrases import InputDecl, Reading, plain
from pingfen.report.criteria import CIRCLED, starts_circled
from pingfen.syntax.formatter import label, name

# ---------------------------------------------------------------- the data items

# An input's type as render states it (中文 and English), and the word for a derived value.
TYPES = {"百分比": "percent", "金额": "amount", "计数": "count", "是否": "bool", "评价得分": "score", "数值": "number",
         "等级": "label", "日期": "date", "percent": "percent", "amount": "amount", "count": "count", "yes/no": "bool",
         "score": "score", "number": "number", "label": "label", "date": "date"}  # fmt: skip
# A panel's type: 评价得分（多位专家）, or 评价得分（5位专家） when the rubric says how many.
_PANEL_TYPE = re.compile(r"(?P<type>.+)（(?:多|(?P<n>\d+))位专家）")
# A value across the batch, as render's 指标数据说明 states it (`criteria.Words.batch`).
_BATCH = {"最小值": "min", "最大值": "max", "平均值": "mean", "中位数": "median", "记录数": "count", "由高到低的名次": "rank"}
DERIVED = ("计算值", "derived")
DATA_HEAD = ("数据项", "类型")  # the first two heads of the 指标数据说明 table


@frozen
class Known:
    """What the data items declare: inputs, derived values (name → rule expression) in order."""

    inputs: tuple[InputDecl, ...] = ()
    lets: tuple[tuple[str, str], ...] = ()

    @property
    def names(self) -> list[str]:
        """Every name, longest first: the reader takes the longest name a text starts with."""
        return sorted([i.name for i in self.inputs] + [n for n, _ in self.lets], key=len, reverse=True)

    def typed(self, wanted: str) -> InputDecl | None:
        return next((i for i in self.inputs if i.name == wanted), None)


def read_items(rows: list[list[str]]) -> Known | None:
    """The data items from the rows of a 指标数据说明 table (its head row first); None when
    a row cannot be read (the table is then not render's, and nothing is taken from it)."""
    inputs: list[InputDecl] = []
    derived: list[tuple[str, str]] = []
    names: list[str] = []
    for row in rows[1:]:
        cells = [*row, "", "", "", ""][:4]
        item, kind, values, description = (c.strip() for c in cells)
        if not item:
            continue
        names.append(item)
        panel = _PANEL_TYPE.fullmatch(kind)
        if panel is not None and panel["type"] in TYPES:  # `list of [N] TYPE`
            kind_text = f"list of {panel['n'] + ' ' if panel['n'] else ''}{TYPES[panel['type']]}"
        else:
            kind_text = TYPES.get(kind, "")
        if kind in DERIVED:
            derived.append((item, values))
        elif kind_text and (declared := _input(item, kind_text, values, description)) is not None:
            inputs.append(declared)
        else:
            return None
    known = Known(tuple(inputs), ())
    lets = []
    for item, formula in derived:  # a formula may name any item, derived ones too
        names_known = Known(known.inputs, tuple((n, "") for n, _ in derived))
        batch = re.fullmatch(rf"{re.escape(item)}为同批各记录(?P<e>.+)的(?P<f>{'|'.join(_BATCH)})", formula)
        text = expression(batch["e"] if batch else formula, names_known)
        if text is None:
            return None
        lets.append((item, f"batch {_BATCH[batch['f']]}({text})" if batch else text))
    return Known(tuple(inputs), tuple(lets))


_BOUND = re.compile(r"^(≥|≤|>|<|=|≠)(.+)$")
_BOUND_OPS = {"≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "=", "≠": "!="}


def _input(item: str, kind: str, values: str, description: str) -> InputDecl | None:
    if kind == "label":
        return InputDecl(item, kind, labels=tuple(v for v in values.split("、") if v), description=description)
    values, _, precise = values.partition("，精确到")  # `precision P`, written after the bounds
    precision = literal_text(precise) if precise else None
    if precise and precision is None:
        return None
    bounds = [f"precision {precision}"] if precision else []
    for part in re.split(r"且| and ", values) if values else []:
        found = _BOUND.match(part.strip())
        literal = literal_text(found[2]) if found else None
        if found is None or literal is None:
            return None  # a range render would not write: not guessed at
        bounds.append(f"{_BOUND_OPS[found[1]]} {literal}")
    head, rest = (bounds[:1], bounds[1:]) if precision else ([], bounds)
    return InputDecl(item, kind, " ".join([*head, " and ".join(rest)]).strip(), description=description)


# ---------------------------------------------------------------- literals and expressions

_NUMBER = r"-?\d+(?:\.\d+)?"
_LITERAL = re.compile(rf"^(?:(?P<n>{_NUMBER})(?P<unit>%|个百分点)?|(?P<one>一)个百分点)$")


def literal_text(text: str) -> str | None:
    """A constant as render writes it (90%, 0.5, 一个百分点, 5个百分点) as rule text."""
    found = _LITERAL.match(text)
    if found is None:
        return None
    if found["one"]:
        return "1pp"
    unit = {"%": "%", "个百分点": "pp", None: ""}[found["unit"]]
    return found["n"] + unit


_TOKEN = re.compile(
    r"(?P<then>时为)|(?P<else>，否则为)|(?P<since>自)|(?P<until>至)|(?P<span>的天数|的月数)"
    r"|(?P<num>\d+(?:\.\d+)?(?:%|个百分点)?|一个百分点)|(?P<op>≥|≤|≠|<|>|=|\+|-|×|÷|（|）|\(|\)|,|且|或|是|否)"
    r"|(?P<call>(?:min|max|abs|mean|median|trimmed_mean|count)\()"
)
# A panel read by one of its functions, as render words it after the panel's name.
_PANEL = {"去掉一个最高分和一个最低分后的平均值": "trimmed_mean", "的平均值": "mean", "的中位数": "median",
          "的最低值": "min", "的最高值": "max", "的个数": "count"}  # fmt: skip
_ROUND_WORDS = {"四舍六入五成双": "half_even", "五舍六入": "half_down", "非零即进": "up", "直接舍去": "down",
                "向上取整": "ceiling", "向下取整": "floor"}  # fmt: skip
_ROUNDED_VALUE = re.compile(rf"（(?P<mode>{'|'.join(_ROUND_WORDS)})?保留(?P<n>\d+)位小数）")
_OPS = {"≥": ">=", "≤": "<=", "≠": "!=", "×": "*", "÷": "/", "（": "(", "）": ")", "且": "and", "或": "or",
        "是": "true", "否": "false", ",": ","}  # fmt: skip


def expression(text: str, known: Known) -> str | None:
    """An expression as render writes it (`criteria.Words.expr`) as rule text, or None. Names
    are the known ones, the longest first; “…”不成立 is `not (…)`; “A时为B，否则为C” is
    `if A then B else C`; “X（保留2位小数）” is `round(X, 2)`; a panel's name with its function's
    words (专家评分的平均值) is `mean(专家评分)`; “自A至B的天数” is `days(A, B)`; a label of a
    declared label input is itself."""
    names = known.names
    panels = {i.name for i in known.inputs if i.type.startswith("list of ")}
    labels = sorted({lb for i in known.inputs if i.type == "label" for lb in i.labels}, key=len, reverse=True)
    out: list[str] = []
    starts = [0]  # where the innermost bracket's current part starts: an `if` is put there
    spans: list[list[int]] = []  # each 自…至… duration open: its place, and whether 至 was read
    i, open_nots = 0, 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        whole = next((n for n in names if text.startswith(n, i)), None)
        if whole is not None:
            i += len(whole)
            words = next((w for w in _PANEL if text.startswith(w, i)), None) if whole in panels else None
            out.extend([f"{_PANEL[words]}(", name(whole), ")"] if words else [name(whole)])
            i += len(words or "")
            continue
        if text.startswith("”不成立", i) and open_nots:
            out.append(")")
            open_nots -= 1
            starts.pop()
            i += len("”不成立")
            continue
        if text[i] == "“":
            out.append("not (")
            starts.append(len(out))
            open_nots += 1
            i += 1
            continue
        if rounded := _ROUNDED_VALUE.match(text, i):  # the value just read, rounded
            if not out:
                return None
            out.insert(_atom_start(out), "round(")
            mode = [",", _ROUND_WORDS[rounded["mode"]]] if rounded["mode"] else []
            out.extend([",", rounded["n"], *mode, ")"])
            i = rounded.end()
            continue
        label = next((lb for lb in labels if text.startswith(lb, i)), None)
        if label is not None:
            out.append(label_text(label))
            i += len(label)
            continue
        found = _TOKEN.match(text, i)
        if found is None:
            return None
        if found["num"]:
            literal = literal_text(found["num"])
            if literal is None:
                return None
            out.append(literal)
        elif found["then"]:
            out.insert(starts[-1], "if")
            out.append("then")
        elif found["else"]:
            out.append("else")
            starts[-1] = len(out)
        elif found["since"]:
            spans.append([len(out), 0])
            out.append("days(")  # or months(: said at its end
            starts.append(len(out))
        elif found["until"] or found["op"] == ",":
            if found["until"]:
                if not spans or spans[-1][1]:
                    return None
                spans[-1][1] = 1
            out.append(",")
            starts[-1] = len(out)
        elif found["span"]:
            if not spans or not spans[-1][1] or len(starts) < 2:
                return None
            out[spans.pop()[0]] = "days(" if found["span"] == "的天数" else "months("
            out.append(")")
            starts.pop()
        elif found["call"]:
            out.append(found["call"])
            starts.append(len(out))
        elif found["op"] in ("(", "（"):
            out.append("(")
            starts.append(len(out))
        elif found["op"] in (")", "）"):
            if len(starts) < 2:
                return None
            out.append(")")
            starts.pop()
        else:
            out.append(_OPS.get(found["op"], found["op"]))
        i = found.end()
    if open_nots or spans or not out:
        return None
    text_out = out[0]
    for before, token in zip(out, out[1:], strict=False):  # a space between tokens, none inside ( ) or before ,
        text_out += token if before.endswith("(") or token in (")", ",") else " " + token
    return text_out


def _atom_start(out: list[str]) -> int:
    """Where the last value of `out` starts: a name or literal, or a bracket and what it holds."""
    depth = 0
    for k in range(len(out) - 1, -1, -1):
        depth += (out[k] == ")") - out[k].endswith("(")
        if depth <= 0:
            return k
    return 0


# ---------------------------------------------------------------- a criterion

_POINTS = rf"(?:计(?P<n>{_NUMBER})分|不得分)"
_MARK = rf"[{CIRCLED}]|\(\d+\)"  # a checklist item's mark: ① …, or (1) … (`criteria._marks`)


def _given(found: re.Match[str], key: str = "n") -> str:
    return found[key] if found[key] is not None else "0"


@frozen
class _Context:
    known: Known
    indicator: str
    top: Decimal
    adjust: bool = False  # a 加减分项: its awards say 加N分, its deductions stop at its range, not at 0
    penalty: bool = False  # a 扣分项: with no rules it says 不扣分

    def expr(self, text: str) -> str:
        found = expression(text, self.known)
        if found is None:
            raise _Unread
        return found


class _Unread(PingfenError):
    """The text strays from render's wording: caught in this module, never seen outside it."""


def read_stated(text: str, indicator: str, top: Decimal, known: Known, *, adjust: bool = False,
                penalty: bool = False) -> Reading | None:
    """The reading of a criterion render wrote (kind "stated"), or None when it is not in
    render's wording. Its inputs are those it reads that `known` lacks: a judgment's score.
    `adjust`: the row is a 加减分项, whose text ends in its range (合计在-2至+2分之间); the
    reading's first line is then that range (`-2 .. +2`). `penalty`: the row is a 扣分项, which
    with no rules says 不扣分."""
    text = text.strip()
    if not text.endswith("。"):
        return None
    parts = text[:-1].split("；")
    context = _Context(known, indicator, top, adjust, penalty)
    ranged = _ADJUST_RANGE.fullmatch(parts[-1]) if adjust else None
    if adjust:
        if ranged is None or Decimal(ranged["high"]) != top:
            return None
        parts = parts[:-1]
    try:
        head, parts = _row_sentences(parts, known)
        lines = _criterion(parts, context)
    except _Unread:
        return None
    if lines is None:
        return None
    lines = (*head, *lines)
    if ranged is not None:
        lines = (f"{ranged['low']} .. +{ranged['high']}", *lines)
    judged = re.fullmatch(r"(?:.+?时，)?由评价人员酌情打分(?:（记为(?P<input>.+)）)?，最高.+", parts[0])
    scored = (judged["input"] or indicator) if judged is not None else None
    if scored is None or known.typed(scored) is not None:
        return Reading("stated", (), lines)
    return Reading("stated", (InputDecl(scored, "score", description=f"评价得分（0–{plain(top)}）"),), lines)


# What render says last of a 加减分项 (`criteria.Words.criterion`): the range its sum is kept in.
_ADJUST_RANGE = re.compile(r"合计在(?P<low>-\d+(?:\.\d+)?|0)至\+(?P<high>\d+(?:\.\d+)?)分之间")
# What render says last of a row (`criteria.Words.criterion`): its rounding, then when it applies.
_APPLIES_MODES = {"不适用的按满分计算": "full", "不适用的不得分": "zero", "不适用的不计入，按适用分值折算": "rescale"}
_APPLIES = re.compile(rf"(?:仅在(?P<cond>.+)时适用|数据可填“不适用”)，(?P<mode>{'|'.join(_APPLIES_MODES)})")
# The rounding modes as render words them (the usual 四舍五入 unsaid of an indicator, said of a
# group: 产出（10分，得分四舍五入保留1位小数）), the longest first.
_ROUND_MODES = {"四舍六入五成双": "half_even", "五舍六入": "half_down", "非零即进": "up", "直接舍去": "down",
                "向上取整": "ceiling", "向下取整": "floor", "四舍五入": "half_up"}  # fmt: skip
_ROUNDED = re.compile(rf"得分(?P<mode>{'|'.join(_ROUND_MODES)})?保留(?P<n>\d+)位小数")


def rounded(sentence: str) -> str | None:
    """`得分四舍六入五成双保留1位小数` (render's words for `round N MODE`) as that line, else None."""
    found = _ROUNDED.fullmatch(sentence)
    if found is None:
        return None
    return f"round {found['n']} {_ROUND_MODES[found['mode']] if found['mode'] else 'half_up'}"


def says_applies(sentence: str) -> bool:
    """Whether the sentence is render's words for an `applies` line (`criteria.Words.applies`)."""
    return _APPLIES.fullmatch(sentence) is not None


def applies_line(sentence: str, known: Known) -> str | None:
    """`仅在有项目时适用，不适用的不得分` (render's words for `applies if 有项目 else zero`, on an
    indicator or a group) as that line; None when it is not that, or its condition does not read."""
    found = _APPLIES.fullmatch(sentence)
    if found is None:
        return None
    mode = _APPLIES_MODES[found["mode"]]
    if found["cond"] is None:
        return f"applies else {mode}"
    read = expression(found["cond"], known)
    return None if read is None else f"applies if {read} else {mode}"


def _row_sentences(parts: list[str], known: Known) -> tuple[list[str], list[str]]:
    """The row's `applies` and `round` lines, from its last sentences, and the sentences before them."""
    head: list[str] = []
    if parts and says_applies(parts[-1]):
        line = applies_line(parts[-1], known)
        if line is None:
            raise _Unread
        head.append(line)
        parts = parts[:-1]
    if parts and (line := rounded(parts[-1])) is not None:
        head.append(line)
        parts = parts[:-1]
    return head, parts


def _criterion(parts: list[str], c: _Context) -> tuple[str, ...] | None:
    if parts == [f"计{plain(Decimal(0) if c.adjust else c.top)}分"] or (c.penalty and parts == ["不扣分"]):
        return ()  # no rules: full marks (an adjust row's 0, where it starts; a penalty row's, nothing taken)
    lines: list[str] = []
    i = 0
    for base in (_judgment, _formula, _match, _bands, _when):
        try:
            found = base(parts, i, c)
        except _Unread:  # not this form: 以100%为基准，…的，计5分 reads as a `when` arm until its condition
            found = None
        if found is not None:
            lines, i = found
            break
    if not lines and i < len(parts):
        guarded = _guarded_base(parts, i, c)
        if guarded is not None:
            lines, i = guarded
    awards = _checklist(parts, i, c, deduct=False)
    if awards is not None:
        lines += awards[0]
        i = awards[1]
    if i < len(parts):
        taken = _deductions(parts, i, c, lone=not lines)
        if taken is None:
            return None
        lines += taken
        i = len(parts)
    return tuple(lines) if i == len(parts) and lines else None


_GUARD = re.compile(r"(?P<cond>.+?)时，(?P<rest>.+)")


def _guard(part: str, c: _Context) -> tuple[str, str] | None:
    """A rule switched on by a condition, as render states it: “G时，…” → (G as rule text, the rest)."""
    found = _GUARD.fullmatch(part)
    if found is None:
        return None
    read = condition(found["cond"], c.known)
    return (read, found["rest"]) if read is not None else None


def _guarded_base(parts: list[str], i: int, c: _Context) -> tuple[list[str], int] | None:
    """G时，<a base rule>；否则不得分 → the base rule ending in `if G`."""
    guard = _guard(parts[i], c)
    if guard is None:
        return None
    trial = [*parts[:i], guard[1], *parts[i + 1 :]]
    for base in (_judgment, _formula, _match, _bands, _when):
        try:
            found = base(trial, i, c)
        except _Unread:
            found = None
        if found is not None and found[1] < len(trial) and trial[found[1]] == "否则不得分":
            lines, j = found
            return [*lines[:-1], f"{lines[-1]} if {guard[0]}"], j + 1
    return None


def _judgment(parts: list[str], i: int, c: _Context) -> tuple[list[str], int] | None:
    found = re.fullmatch(rf"由评价人员酌情打分(?:（记为(?P<input>.+)）)?，最高{_NUMBER}分", parts[i])
    if found is None:
        return None
    return ([f"judgment {name(found['input'])}" if found["input"] else "judgment"], i + 1)


def _formula(parts: list[str], i: int, c: _Context) -> tuple[list[str], int] | None:
    found = re.fullmatch(rf"得分=(?P<e>.+)，最高{_NUMBER}分，低于0分的按0分计", parts[i])
    if found is None:
        return None
    return [f"score = {c.expr(found['e'])}"], i + 1


def _match(parts: list[str], i: int, c: _Context) -> tuple[list[str], int] | None:
    head, sep, first = parts[i].partition("：")
    subject = c.known.typed(head)
    if not sep or subject is None or subject.type != "label":
        return None
    arms, j, rest = [], i, first
    while j < len(parts):
        found = re.fullmatch(rf"(?:(?P<other>其他情况)|(?P<label>.+)的)，(?:得(?P<n>{_NUMBER})分|不得分)", rest)
        if found is None or (found["label"] is not None and found["label"] not in subject.labels):
            break
        arm = "else" if found["label"] is None else label_text(found["label"])
        arms.append(f"  {arm} -> {_given(found)}")
        j += 1
        rest = parts[j] if j < len(parts) else ""
        if found["other"]:
            break
    if not arms:
        return None
    return [f"match {name(head)} {{", *arms, "}"], j


def label_text(text: str) -> str:
    return label(Name(text))


_RANGE = re.compile(rf"(?P<lo>{_NUMBER}%?)(?P<lo_in>（不?含）)?-(?P<hi>{_NUMBER}%?)(?P<hi_in>（不?含）)?")
_COMPARE = re.compile(rf"(?P<op>低于|高于|≥|≤|=)(?P<v>{_NUMBER}%?)")
_BAND_OPS = {"低于": "<", "高于": ">", "≥": ">=", "≤": "<=", "=": "="}


def _band(condition: str) -> str | None:
    if condition == "其他情况":
        return "else"
    if found := _RANGE.fullmatch(condition):
        if found["lo_in"] == "（不含）" and found["hi_in"] != "（不含）":
            return None
        lo, hi = literal_text(found["lo"]), literal_text(found["hi"])
        return f"{'[' if found['lo_in'] == '（含）' else '('}{lo}, {hi}{']' if found['hi_in'] == '（含）' else ')'}"
    if found := _COMPARE.fullmatch(condition):
        return f"{_BAND_OPS[found['op']]} {literal_text(found['v'])}"
    return None


def _bands(parts: list[str], i: int, c: _Context) -> tuple[list[str], int] | None:
    first = re.fullmatch(rf"(?P<rest>.+)，{_POINTS}", parts[i])
    if first is None:
        return None
    subject, condition = "", first["rest"]
    if found := re.fullmatch(rf"(?P<s>.+)：(?P<c>{_RANGE.pattern})", condition):
        subject, condition = found["s"], found["c"]
    elif found := re.fullmatch(rf"(?P<s>.+?)(?P<c>{_COMPARE.pattern})", condition):
        subject, condition = found["s"], found["c"]
    band = _band(condition)
    if not subject or band is None or band == "else":
        return None
    lines = [f"  {band} -> {_given(first)}"]
    j = i + 1
    while j < len(parts):
        found = re.fullmatch(rf"(?P<c>.+)，{_POINTS}", parts[j])
        band = _band(found["c"]) if found is not None else None
        if found is None or band is None:
            break
        lines.append(f"  {band} -> {_given(found)}")
        j += 1
        if band == "else":
            break
    return [f"bands {c.expr(subject)} {{", *lines, "}"], j


def _when(parts: list[str], i: int, c: _Context) -> tuple[list[str], int] | None:
    lines: list[str] = []
    j = i
    while j < len(parts):
        if parts[j] == "不符合以上任一条件的，不予评分" and lines:
            return lines, j + 1
        found = re.fullmatch(rf"(?:(?P<other>其他情况)|(?P<e>.+)的)，{_POINTS}", parts[j])
        if found is None or (found["other"] and not lines):
            break
        lines.append(f"else -> {_given(found)}" if found["other"] else f"when {c.expr(found['e'])} -> {_given(found)}")
        j += 1
        if found["other"]:
            return lines, j
    return None  # a chain ends in 其他情况 or says a record outside it is refused


def condition(text: str, known: Known) -> str | None:
    """A condition as render states it (`criteria.Words.condition`): a yes/no input's
    description, else an expression; None when it is neither."""
    described = [i for i in known.inputs if i.type == "bool" and i.description.strip() == text.strip()]
    if len(described) == 1:
        return name(described[0].name)
    return expression(text, known)


def _item(mark: str | None, text: str, c: _Context) -> str:
    """A checklist item: a yes/no input's description, else an expression. A circled number
    before it is the start of the item's own words (①制度健全: render adds no mark) when the
    whole reads, else render's mark: render marks (1) (2) … where anything declared starts with
    one (`criteria._marks`), so its ① never starts something that reads (`criteria.starts_circled`)."""
    found = condition(f"{mark}{text}", c.known) if mark is not None and starts_circled(mark) else None
    if found is None:
        found = condition(text, c.known)
    if found is None:
        raise _Unread
    return found


def _checklist(parts: list[str], i: int, c: _Context, *, deduct: bool) -> tuple[list[str], int] | None:
    lines, j = [], i
    pattern = rf"(?P<mark>{_MARK})?(?P<what>.+)的，扣(?P<n>{_NUMBER})分" if deduct else \
        rf"(?P<mark>{_MARK})?(?P<what>.+)，{'加' if c.adjust else ''}(?P<n>{_NUMBER})分"  # fmt: skip
    while j < len(parts):
        found = re.fullmatch(pattern, parts[j])
        if found is None or found["what"].startswith("在此基础上，"):
            break
        if j > i and found["mark"] is None:
            break  # one item alone has no mark; several have ① ② …
        lines.append(f"{'deduct' if deduct else 'award'} {found['n']} if {_item(found['mark'], found['what'], c)}")
        j += 1
        if found["mark"] is None:
            break
    return (lines, j) if lines else None


_DIRECTION = {"超过": "above", "低于": "below", "相差": "from"}
_WITHIN = {"above": "≤", "below": "≥", "from": "等于"}
_STEP = re.compile(
    rf"(?P<e>.*)每(?P<dir>超过|低于|相差)(?P<step>一个百分点|{_NUMBER}个百分点|{_NUMBER}%|{_NUMBER})扣(?P<rate>{_NUMBER})分"
    r"(?P<partial>，不足.+)?"
)
_COUNTED = re.compile(rf"(?P<e>.+?)每(?:(?P<case>出现一例)|(?P<step>一个百分点|{_NUMBER}个百分点|{_NUMBER}%|{_NUMBER}))"
                      rf"扣(?P<rate>{_NUMBER})分(?P<partial>，不足.+)?")  # fmt: skip


def _counting(partial: str | None, step: str) -> str | None:
    if partial is None:
        return None
    for counting, words in (("proportional", f"，不足{step}的按比例扣分"), ("whole", f"，不足{step}的部分不扣分"),
                            ("started", f"，不足{step}的按{step}计算")):  # fmt: skip
        if partial == words:
            return counting
    raise _Unread


def _deductions(parts: list[str], i: int, c: _Context, *, lone: bool) -> list[str] | None:
    parts = list(parts)
    if not lone:
        if not parts[i].startswith("在此基础上，"):
            return None
        parts[i] = parts[i].removeprefix("在此基础上，")
    if not c.adjust:  # an adjust row's deductions stop at its range, said after them
        if not parts[-1].endswith("，扣完为止"):
            return None
        parts[-1] = parts[-1].removesuffix("，扣完为止")
    lines: list[str] = []
    j = i
    while j < len(parts):
        part = parts[j]
        guard = _guard(part, c)  # G时，<a deduction>: the deduction ends in `if G` (a checklist item has none)
        switched = ""
        if guard is not None and (re.match(r"以.+?为基准，", guard[1]) or _COUNTED.fullmatch(guard[1])):
            parts[j] = part = guard[1]
            switched = f" if {guard[0]}"
        if based := re.fullmatch(r"以(?P<ref>.+?)为基准，(?P<rest>.+)", part):
            reference, rest = based["ref"], based["rest"]
            step = _STEP.fullmatch(rest)
            subject = step["e"] if step is not None else ""
            if step is None:  # 以R为基准，X≤R的，计5分；每超过…: the full marks first, then the step
                # a 扣分项 takes nothing there: 不扣分, or 计N分 (its max) as render wrote it before
                said = ("不扣分", f"计{plain(c.top)}分") if c.penalty else (f"计{plain(c.top)}分",)
                marks, full = next(((m, rest.removesuffix(f"{w}{reference}的，{m}")) for m in said for w in _WITHIN.values()
                                    if rest.endswith(f"{w}{reference}的，{m}")), (said[0], None))  # fmt: skip
                j += 1
                step = _STEP.fullmatch(parts[j]) if full is not None and j < len(parts) else None
                if step is None or step["e"] or full is None:
                    return None
                if rest != f"{full}{_WITHIN[_DIRECTION[step['dir']]]}{reference}的，{marks}":
                    return None
                subject = full
            lines.append(_step_line(step, subject, reference, c) + switched)
            j += 1
            continue
        if counted := _COUNTED.fullmatch(part):
            step_text = literal_text(counted["step"]) if counted["step"] else "1"
            counting = _counting(counted["partial"], counted["step"] or "1")
            if counting is None and step_text == "1":
                lines.append(f"deduct {counted['rate']} per {c.expr(counted['e'])}{switched}")
            else:
                lines.append(f"deduct {counted['rate']} per {step_text} of {c.expr(counted['e'])} counting "
                             f"{counting or 'proportional'}{switched}")  # fmt: skip
            j += 1
            continue
        items = _checklist(parts, j, c, deduct=True)
        if items is None:
            return None
        lines += items[0]
        j = items[1]
    return lines


def _step_line(step: re.Match[str], subject: str, reference: str, c: _Context) -> str:
    literal = literal_text(step["step"])
    if literal is None:
        raise _Unread
    counting = _counting(step["partial"], step["step"]) or "proportional"
    return (f"deduct {step['rate']} per {literal} of {c.expr(subject)} {_DIRECTION[step['dir']]} "
            f"{c.expr(reference)} counting {counting}")  # fmt: skip



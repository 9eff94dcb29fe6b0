"""Reading a rubric's 评分标准 text as rules: pingfen's own small recogniser.

Each kind of phrase staff write has one reader here, tried in order: per-point
deductions (每超过一个百分点扣0.5分), bands (≥95%，计4分；…), counted deductions
(每出现一例扣1分), checklists (①…，1分；②…), labels (健全的得10分，…) and judgment
(酌情扣分, 视情况). A text none of them reads is left to a person: `Reading.recognised`
is False and the rule is a `judgment`. Rules come back as rule text, inputs as
declarations; `importer` places them in the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from attrs import frozen

from pingfen.syntax.formatter import string
from pingfen.syntax.parser import is_bare_name


@frozen
class InputDecl:
    """An input a rule reads: name, type (`percent`, `count`, `bool`, `score`, `label`),
    bounds as written after the type, the labels of a `label`, and its description."""

    name: str
    type: str
    bounds: str = ""
    labels: tuple[str, ...] = ()
    description: str = ""

    def text(self) -> str:
        kind = f"label {{ {', '.join(map(name_text, self.labels))} }}" if self.type == "label" else self.type
        bounds = f" {self.bounds}" if self.bounds else ""
        described = f" {string_text(self.description)}" if self.description else ""
        return f"input {name_text(self.name)}: {kind}{bounds}{described}"


# The notes a reading may carry, and their English for a draft imported with --lang en.
_ASSUMED_PROPORTIONAL = "原文未说明不足一个百分点如何计算，按比例计算（proportional）"
_ASSUMED_ENDS = "原文未写明分档端点归属，按含下限、不含上限处理，请核对"
NOTES_EN = {
    _ASSUMED_PROPORTIONAL: "the text does not say how part of a point is counted: counted proportionally (proportional)",
    _ASSUMED_ENDS: "the text does not say which band each end belongs to: each band taken to include its lower end, "
    "not its upper one; please confirm",
}


@frozen
class Reading:
    """What a criterion says: its kind, the inputs it reads, the rule lines of its indicator."""

    kind: str  # step, bands, count, checklist, labels, judgment; "todo" when not read
    inputs: tuple[InputDecl, ...]
    rules: tuple[str, ...]
    notes: tuple[str, ...] = ()  # comments for a person: what was assumed

    @property
    def recognised(self) -> bool:
        return self.kind != "todo"


# A namer makes an input's name unique in the file: given a wished-for name, the name to use.
Namer = Callable[[str], str]

# ---------------------------------------------------------------- normalising

# Full-width ASCII (！ to ～) to half-width, the comparison signs staff type to ASCII.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SIGNS = {"≦": "<=", "≤": "<=", "≧": ">=", "≥": ">=", "〈": "<", "〉": ">", "—": "-", "–": "-", "~": "-",
          "－": "-", "−": "-", "～": "-", "﹪": "%", "：": ":"}  # fmt: skip


def normalise(text: str) -> str:
    """The text as the readers see it: half-width punctuation, ASCII comparison signs, and no
    whitespace at all (stray line breaks inside a cell split words, not sentences)."""
    text = text.translate(_WIDTH)
    for sign, ascii_form in _SIGNS.items():
        text = text.replace(sign, ascii_form)
    text = re.sub(r"-+", "-", text)
    return re.sub(r"\s+", "", text)


def one_line(text: str) -> str:
    """The original text as one line, for a comment: line breaks inside a cell dropped."""
    return "".join(part.strip() for part in text.splitlines()).strip()


_NUMERALS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
NUMBER = r"\d+(?:\.\d+)?"


def number(text: str) -> Decimal:
    """A number as written: digits, or a small Chinese numeral (一个百分点)."""
    return Decimal(_NUMERALS[text]) if text in _NUMERALS else Decimal(text)


def plain(value: Decimal) -> str:
    """A Decimal in plain notation with no trailing zeros: 0.50 → 0.5, 1E+1 → 10."""
    text = format(value.normalize(), "f")
    return text


def percent_text(value: Decimal) -> str:
    return "0" if value == 0 else f"{plain(value)}%"


def name_text(name: str) -> str:
    """A name as rule text: bare when it can be, else in backticks."""
    return name if is_bare_name(name) else f"`{name.replace('`', '')}`"


def string_text(text: str) -> str:
    """A description or title as a rule string, every character kept (escaped as the formatter does)."""
    return string(text)


# ---------------------------------------------------------------- the readers


def read_criterion(text: str, indicator: str, points: Decimal, namer: Namer) -> Reading:
    """The reading of one indicator's 评分标准 `text` (its max is `points`); a text no
    reader takes is a `judgment` with recognised False."""
    clean = normalise(text)
    if _MIXED.search(clean) or len(_PER.findall(clean)) > 1 or len(_TAKES.findall(clean)) > 1:
        return _todo(indicator, points, namer)  # one reader reads one phrase: a second would be lost
    for reader in _READERS:
        found = reader(clean, indicator, points, namer)
        if found is not None:
            return found
    return _todo(indicator, points, namer)


# A criterion of several parts (bands, then 在此基础上 deductions) or two per-step deductions.
_MIXED = re.compile(r"在此基础上")
_PER = re.compile(r"每[^;。]*?扣")
_TAKES = re.compile(rf"扣(?:减)?{NUMBER}分")  # each deduction states its points once


def unread(indicator: str, points: Decimal, namer: Namer) -> Reading:
    """What a row nothing reads becomes: a `judgment` on a score input, not recognised."""
    return _todo(indicator, points, namer)


def _todo(indicator: str, points: Decimal, namer: Namer) -> Reading:
    name = namer(indicator)
    return Reading("todo", (InputDecl(name, "score", description=f"评价得分（0–{plain(points)}）"),),
                   (_judgment(indicator, name),))  # fmt: skip


def _judgment(indicator: str, name: str) -> str:
    return "judgment" if name == indicator else f"judgment {name_text(name)}"


# -- per-point deductions: 每超过一个百分点扣0.5分, 每低于100%一个百分点扣0.1分, 每相差3%扣1分

_DIRECTIONS = {"超过": "above", "超出": "above", "高于": "above", "增加": "above", "上升": "above",
               "低于": "below", "减少": "below", "下降": "below", "少于": "below", "相差": "from",
               "偏离": "from", "偏差": "from"}  # fmt: skip
_STEP = re.compile(
    r"每(?P<dir>" + "|".join(_DIRECTIONS) + rf")(?P<ref>{NUMBER}%)?(?P<step>{NUMBER}|[一两二三四五六七八九十])?个?"
    rf"(?:百分点|%),?扣(?:减)?(?P<rate>{NUMBER})分"
)
# How a part of a step counts: 不足一个百分点的按一个百分点计算 (started), 满一个百分点 or
# 不足一个百分点的（部分）不扣分 (whole), 不足一个百分点的按比例扣分 (proportional); the step may be
# any size (不足0.5个百分点…, 不足2%…), as `pingfen render` writes it.
_STEP_SIZE = rf"(?:{NUMBER}|[一两二三四五六七八九十])个?(?:百分点|%)"
_STARTED = re.compile(rf"不足{_STEP_SIZE}的?(?:按|以){_STEP_SIZE}(?:计算|计)")
_WHOLE = re.compile(rf"满(?:一|1)个?百分点|不足{_STEP_SIZE}的?(?:部分)?不扣")
_PROPORTIONAL = re.compile(rf"不足{_STEP_SIZE}的?(?:部分)?按比例")
_REFERENCE = re.compile(rf"以(?P<a>{NUMBER}%)为(?:标准|目标|基准)|(?P<b>{NUMBER}%)|(?:<=|>=|=|<|>|等于)(?P<c>0)(?![\d.%])")
_NAMED_REFERENCE = re.compile(r"以(?P<ref>[^,;。:]+?)为(?:标准|目标|基准)")
# A subject: a name just before a comparison, at the start of a clause.
_NAME = r"[\w“”‘’《》〈〉「」『』·]+"
_SUBJECT = re.compile(rf"(?:^|[。;,:])(?P<name>{_NAME}?)(?:<=|>=|=|<|>|等于|达到|达|不低于|不超过|不高于|大于|小于|高于|低于)")


def _step(text: str, indicator: str, points: Decimal, namer: Namer) -> Reading | None:
    found = _STEP.search(text)
    if found is None:
        return None
    direction = _DIRECTIONS[found["dir"]]
    named = _NAMED_REFERENCE.search(text)
    if named is not None and not re.fullmatch(rf"{NUMBER}%|0", named["ref"]):
        return None  # a reference that is another quantity (以上年执行率为基准): left to a person
    # how a part of a step counts, and where the text says it (left out of what must not score)
    said, how = next(((kind, m) for kind, rx in (("started", _STARTED), ("whole", _WHOLE), ("proportional", _PROPORTIONAL))
                      if (m := rx.search(text)) is not None), (None, None))  # fmt: skip
    if found["ref"]:
        reference = Decimal(found["ref"][:-1])
    else:
        taken = [m.span() for m in (found, how) if m is not None]  # the step's own sizes are no reference
        refs = {_reference(m) for m in _REFERENCE.finditer(text)
                if not _in_formula(text, m.start()) and not any(a <= m.start() < b for a, b in taken)}  # fmt: skip
        if len(refs) != 1:  # none, or two (执行率达到100%…，低于60%不得分): which one the steps count from is a person's to say
            return None
        reference = refs.pop()
    step = number(found["step"]) if found["step"] else Decimal(1)
    counting = said or "proportional"
    if _scores_more(_less(text, found, how, named), points, reference):
        return None
    before = re.search(rf"(?:^|[。;,:])(?P<name>{_NAME})每(?:{'|'.join(_DIRECTIONS)})", text)
    subject = before["name"] if before is not None else _subject(text, indicator)  # 以100%为基准,X每超过…
    name = namer(subject)
    line = (f"deduct {plain(Decimal(found['rate']))} per {plain(step)}pp of {name_text(name)} {direction} "
            f"{percent_text(reference)} counting {counting}")  # fmt: skip
    notes = (_ASSUMED_PROPORTIONAL,) if said is None else ()
    return Reading("step", (_percent_input(name),), (line,), notes)


def _reference(found: re.Match[str]) -> Decimal:
    return Decimal((found["a"] or found["b"] or "0%").rstrip("%"))


def _in_formula(text: str, at: int) -> bool:
    """Whether the number at `at` multiplies a formula (完成率=实际完成数/计划数×100%)."""
    return bool(re.search(r"(?:×|\*|x|乘以)$", text[:at]))


def _less(text: str, *found: re.Match[str] | None) -> str:
    """The text without what a reader took from it."""
    spans = sorted(m.span() for m in found if m is not None)
    kept, start = [], 0
    for begin, end in spans:
        kept.append(text[start:max(begin, start)])
        start = max(start, end)
    return "".join(kept) + text[start:]


# What a reader left of a text must not score: a floor (低于60%不得分), a cap on what is taken
# (扣分上限为2分), a case that takes everything (存在重大错误的，该项不得分), other points or thresholds.
# A draft reads such a text as a person must: a judgment to write (docs/yearly-round.md).
_MORE = re.compile(r"不得分|不计分|零分|上限|封顶|最多|至多|最高扣|扣分不超过|不超过\d+(?:\.\d+)?分|加分|另扣|再扣")
# A clause that says when the rule holds (适用时，发生违规时，涉及政府采购时，): a rule read without it
# would apply on every row. Only such heads: 检查时，统计时，超时，同时 say no condition.
_WHEN = re.compile(r"(?:^|[。;,:])(?:如|若|当)?(?:适用|发生|出现|存在|涉及|有)[^。;,:]{0,12}时,")
_POINTS_LEFT = re.compile(rf"(?P<n>{NUMBER})分")
_PERCENT_LEFT = re.compile(rf"(?P<n>{NUMBER})%")


def _scores_more(rest: str, points: Decimal, reference: Decimal | None) -> bool:
    """Whether `rest`, what a reader left, says more about the score than the reader wrote:
    only the max (得10分) may be left, and for steps over a percent the reference (达到100%);
    never a condition (适用时，), which the rule read would drop.
    A count's text may describe its cases with percents (春节前下达全部专项资金的50%)."""
    if _MORE.search(rest) or _WHEN.search(rest):
        return True
    if any(Decimal(m["n"]) != points for m in _POINTS_LEFT.finditer(rest)):
        return True
    if reference is None:
        return False
    return any(not _in_formula(rest, m.start()) and Decimal(m["n"]) != reference for m in _PERCENT_LEFT.finditer(rest))


def _subject(text: str, indicator: str) -> str:
    """The name the text compares (在职人员控制率≦100%), else the indicator's."""
    for found in _SUBJECT.finditer(text):
        name = found["name"]
        if 2 <= len(name) <= 30 and not re.fullmatch(r"[\d.]+", name) and not name.startswith(("以", "每")):
            return name
    return indicator


def _percent_input(name: str) -> InputDecl:
    """A percent input, bounded as the quantity it names can be: a 变动率 may be negative,
    a 满意度 is at most 100%, any other rate is not below 0."""
    if re.search(r"变动率|增长率|变化率|增幅|降幅|增减", name):
        bounds = ""
    elif "满意度" in name:
        bounds = ">= 0 and <= 100%"
    else:
        bounds = ">= 0"
    return InputDecl(name, "percent", bounds)


# -- bands: ≥95%，计4分；85%（含）-95%，计3分；低于75%不得分

# Points a clause gives (计4分, 得3分, 3分, 不得分); not the points a deduction takes (扣1分).
_POINTS = re.compile(rf"(?:不得分|不计分|(?<![\d.扣减])(?:计|得|为|记|给)?(?P<n>{NUMBER})分)")
# A range's ends are joined by a dash or by 至 (80%（含）至90%), as tables write it.
_RANGE = re.compile(rf"^(?P<lo>{NUMBER}%?)(?P<lo_in>\(不?含\))?(?:-|至)(?P<hi>{NUMBER}%?)(?P<hi_in>\(不?含\))?$")
_OTHERWISE = re.compile(r"^(?:其他情况|其他|其余情况|其余)$")
_ABOVE = re.compile(rf"^(?P<v>{NUMBER}%?)(?P<in>\(含\))?(?:以上|及以上)$")
_BELOW = re.compile(rf"^(?P<v>{NUMBER}%?)(?P<in>\(含\))?(?:以下|及以下)$")
_COMPARED = re.compile(rf"^(?P<op><=|>=|=|<|>|大于等于|小于等于|不低于|不高于|不超过|大于|小于|高于|低于|超过|不足|等于|达到|达)(?P<v>{NUMBER}%?)(?:以上)?$")  # fmt: skip
_OPS = {"<=": "<=", ">=": ">=", "=": "=", "<": "<", ">": ">", "大于等于": ">=", "小于等于": "<=", "不低于": ">=",
        "不高于": "<=", "不超过": "<=", "大于": ">", "小于": "<", "高于": ">", "低于": "<", "超过": ">", "不足": "<",
        "等于": "=", "达到": ">=", "达": ">="}  # fmt: skip


def _clauses(text: str) -> list[tuple[str, Decimal]] | None:
    """The (condition, points) clauses of a text that gives points clause by clause, each
    condition the text between one points phrase and the next; None when text is left over."""
    out, start = [], 0
    for found in _POINTS.finditer(text):
        condition = text[start : found.start()]
        condition = re.split(r"[;。]", condition)[-1] if re.search(r"[;。]", condition.rstrip(";。,")) else condition
        out.append((condition.strip(";。,:"), Decimal(found["n"]) if found["n"] else Decimal(0)))
        start = found.end()
    if not out or text[start:].strip(";。,.") or any(not c for c, _ in out):
        return None
    return out


def _bands(text: str, indicator: str, points: Decimal, namer: Namer) -> Reading | None:
    clauses = _clauses(text)
    if clauses is None or len(clauses) < 2:
        return None
    named = re.match(rf"^(?P<subject>{_NAME}):", text)  # 执行率：80%(含)-90%,计4分;…
    if named is not None:
        clauses[0] = (clauses[0][0][named.end() :], clauses[0][1])
    subject = named["subject"] if named is not None else _subject(text, indicator)
    lines, percent, assumed = [], "%" in text, False
    before: tuple[str, Decimal] | None = None  # the band above's one side (≥90%), for ≥80% below it
    for condition, given in clauses:
        condition = re.sub(r"(?:的|时)$", "", condition.removeprefix(subject))
        band = _band(condition, percent)
        if band is None:
            return None
        text_of_band, guessed = band
        side = _side(text_of_band)
        text_of_band = _below_the_last(side, before, percent) or text_of_band
        before = side
        assumed = assumed or guessed
        lines.append(f"  {text_of_band} -> {plain(given)}")
    name = namer(subject)
    decl = _percent_input(name) if percent else InputDecl(name, "number")
    notes = (_ASSUMED_ENDS,) if assumed else ()
    return Reading("bands", (decl,), (f"bands {name_text(name)} {{", *lines, "}"), notes)


def _side(band: str) -> tuple[str, Decimal] | None:
    """A one-sided band's comparison and number (`>= 90%` → (">=", 90)); None for another band."""
    found = re.fullmatch(rf"(?P<op>>=|<=|>|<) (?P<v>{NUMBER})%?", band)
    return (found["op"], Decimal(found["v"])) if found is not None else None


def _below_the_last(side: tuple[str, Decimal] | None, last: tuple[str, Decimal] | None, percent: bool) -> str | None:
    """Bands written cumulatively, each from its own end (≥90%计5分；≥80%计4分；<80%不得分), as the
    ordered bands they mean: ≥80% below ≥90% is [80%, 90%); ≤10% after ≤5% is (5%, 10%]. None
    when the band is not such a one."""
    if side is None or last is None:
        return None
    (op, value), (last_op, last_value) = side, last

    def end(number_: Decimal) -> str:
        return percent_text(number_) if percent else plain(number_)

    if op in (">=", ">") and last_op in (">=", ">") and value < last_value:
        return f"{'[' if op == '>=' else '('}{end(value)}, {end(last_value)}{')' if last_op == '>=' else ']'}"
    if op in ("<=", "<") and last_op in ("<=", "<") and value > last_value:
        return f"{'(' if last_op == '<=' else '['}{end(last_value)}, {end(value)}{']' if op == '<=' else ')'}"
    return None


def _band(condition: str, percent: bool) -> tuple[str, bool] | None:
    """A band as rule text, and whether the ends were guessed (a range marks neither)."""

    def end(value: str) -> str:
        number_ = Decimal(value.rstrip("%"))
        return percent_text(number_) if percent else plain(number_)

    if found := _RANGE.match(condition):
        lo_in, hi_in = found["lo_in"] == "(含)", found["hi_in"] == "(含)"
        guessed = not found["lo_in"] and not found["hi_in"]  # （不含） on both marks both open
        lo_in = lo_in or guessed
        return f"{'[' if lo_in else '('}{end(found['lo'])}, {end(found['hi'])}{']' if hi_in else ')'}", guessed
    if _OTHERWISE.match(condition):
        return "else", False
    if found := _ABOVE.match(condition):  # 以上 includes its number, as the law reads it
        return f">= {end(found['v'])}", False
    if found := _BELOW.match(condition):
        return f"<= {end(found['v'])}", False
    if found := _COMPARED.match(condition):
        return f"{_OPS[found['op']]} {end(found['v'])}", False
    return None


# -- counted deductions: 每出现一例扣1分, 每出现一个专项未按进度完成资金下达扣0.5分

_COUNT = re.compile(rf"每(?:出现|发现|有|存在|发生)?(?:一|1)(?P<unit>例|个|次|项|处|笔|起|件)(?P<what>[^,;。扣]*?)的?,?扣(?P<rate>{NUMBER})分")  # fmt: skip
_UNITS = {"例": "例数", "个": "个数", "次": "次数", "项": "项数", "处": "处数", "笔": "笔数", "起": "起数", "件": "件数"}


def _count(text: str, indicator: str, points: Decimal, namer: Namer) -> Reading | None:
    found = _COUNT.search(text)
    if found is None or _scores_more(_less(text, found), points, None):
        return None
    what = found["what"]
    before = re.search(rf"(?:^|[。;,:])(?P<subject>{_NAME})$", text[: found.start()])
    if before is not None and not what:  # 资金使用不合规例数每出现一例扣1分: the count is named
        name = namer(before["subject"])
        return Reading("count", (InputDecl(name, "count", description=before["subject"]),),
                       (f"deduct {plain(Decimal(found['rate']))} per {name_text(name)}",))  # fmt: skip
    # A case with no subject of its own (不符合要求的) is named for its indicator.
    stem = what if what and not what.startswith(("不", "未", "无", "没有")) else indicator + (what or "问题")
    name = namer(_name_from(stem + _UNITS[found["unit"]]))
    described = f"{what or '问题'}的{found['unit']}数" if what else f"{indicator}问题的{found['unit']}数"
    return Reading("count", (InputDecl(name, "count", description=described),),
                   (f"deduct {plain(Decimal(found['rate']))} per {name_text(name)}",))  # fmt: skip


# -- checklists: ①已制定…，1分；②…，1分  or  ①…②…，每项得1分

_MARKS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_EACH = re.compile(rf"每项(?:得|计|加)?(?P<n>{NUMBER})分")
_ITEM_POINTS = re.compile(rf",?(?:的,?)?(?:得|计|加)?(?P<n>{NUMBER})分[;。,]?$")


# What a checklist may close with: that an item not met scores nothing (未公开的不得分, 否则不得分).
_CLOSING = re.compile(r"^(?:(?P<other>其他情况|其他|其余情况|其余|否则|以上均不符合|均不符合)|均?(?:未|没有|无|不)(?P<what>[^,;。]+?))"
                      r"(?:的|者)?,?均?(?:不得分|不计分|得0分|计0分)$")  # fmt: skip


def _checklist(text: str, indicator: str, points: Decimal, namer: Namer) -> Reading | None:
    parts = re.split(f"[{_MARKS}]", text)
    items = [p for p in parts[1:]]
    if len(items) < 2 or parts[0].strip(";。,:"):
        return None
    items[-1] = _without_closing(items[-1], items)
    each = _EACH.search(items[-1])
    if each is not None:
        items[-1] = items[-1][: each.start()]
    inputs, lines = [], []
    for item in items:
        item = item.strip(";。,")
        if "扣" in item:  # ①…的，扣1分: a deduction, not an award
            return None
        own = _ITEM_POINTS.search(item)
        if own is None and each is None:
            return None
        given = Decimal(own["n"]) if own is not None else Decimal(each["n"]) if each is not None else Decimal(0)
        wording = (item[: own.start()] if own is not None else item).strip(";。,")
        if not wording:
            return None
        name = namer(_name_from(re.split(r"[,;:]", wording)[0]))
        inputs.append(InputDecl(name, "bool", description=wording))
        lines.append(f"award {plain(given)} if {name_text(name)}")
    return Reading("checklist", tuple(inputs), tuple(lines))


def _without_closing(last: str, items: list[str]) -> str:
    """The last item without a closing sentence that says only what an item not met gives: 0
    (①按规定内容公开，1分；②按规定时限公开，1分。未公开的不得分). A sentence about something no item
    names (未按时报送材料的不得分) is another rule, and stays to be refused."""
    head, _, tail = last.rstrip(";。").rpartition("。") if "。" in last.rstrip(";。") else last.rstrip(";。").rpartition(";")
    found = _CLOSING.match(tail)
    if not head or found is None:
        return last
    named = found["what"]
    if named is not None and not any(named in item or named[-2:] in item for item in [*items[:-1], head]):
        return last
    return head


# -- labels: 健全的得10分，基本健全的得6分，不健全的不得分

def _labels(text: str, indicator: str, points: Decimal, namer: Namer) -> Reading | None:
    if re.search(f"[{_MARKS}]", text):  # ①…②…: items of a checklist, never labels
        return None
    clauses = _clauses(text)
    # 制度情况：健全的，得10分；…: the label's name before the colon (as `pingfen render` writes it)
    named = re.match(rf"^(?P<subject>{_NAME}):", clauses[0][0]) if clauses else None
    if clauses is None or len(clauses) < (1 if named else 2):  # one label alone only when named
        return None
    if named is None and max(given for _, given in clauses) != points:
        # one of several labels, the best full marks; else items that add up (建立制度的得2分；执行的得2分).
        # Render's wording (制度情况：…) is the rule itself, whatever its arms give.
        return None
    if named is not None:
        clauses[0] = (clauses[0][0][named.end() :], clauses[0][1])
    labels: list[str] = []
    for j, (condition, _) in enumerate(clauses):
        if j == len(clauses) - 1 and j and _OTHERWISE.match(condition.strip(",")):
            labels.append("")  # 其他情况: the arm for every other label
            continue
        label = _name_from(re.sub(r"(?:的|时)?,?(?:得|计)?$", "", condition))
        if quoted := re.fullmatch(r"[^“”]*“(?P<label>[^“”]+)”", label):  # 评价为“优秀”的: the label is what the quotes hold
            label = quoted["label"]
        if not label or re.search(r"\d", label) or label in labels:
            return None
        labels.append(label)
    name = namer(named["subject"] if named is not None else indicator + "情况")
    arms = [f"  {name_text(label) if label else 'else'} -> {plain(given)}"
            for label, (_, given) in zip(labels, clauses, strict=True)]  # fmt: skip
    if labels[-1] == "":
        labels.pop()
    decl = InputDecl(name, "label", labels=tuple(labels), description=f"{indicator}的情况")
    return Reading("labels", (decl,), (f"match {name_text(name)} {{", *arms, "}"))


# -- judgment: 酌情扣分, 视情况, 根据部门实际…细化成个性化指标

_JUDGED = re.compile(r"酌情|视情况|视其|视.{1,12}?情况|根据.{0,30}?实际|个性化指标|自行(?:制定|设置|确定)|综合(?:评定|评价|评分)|专家评")


def _judged(text: str, indicator: str, points: Decimal, namer: Namer) -> Reading | None:
    if not _JUDGED.search(text):
        return None
    name = namer(indicator)
    decl = InputDecl(name, "score", description=f"评价得分（0–{plain(points)}）")
    return Reading("judgment", (decl,), (_judgment(indicator, name),))


def _name_from(text: str) -> str:
    """A name from words: punctuation dropped (、 joins a list: 合法、合规 → 合法合规), at most
    20 characters, no trailing 的."""
    name = re.sub(r"[^\w“”‘’《》〈〉「」『』·]", "", text).removesuffix("的")
    return name[:20]


_READERS: tuple[Callable[[str, str, Decimal, Namer], Reading | None], ...] = (
    _step, _bands, _count, _checklist, _labels, _judged,
)  # fmt: skip

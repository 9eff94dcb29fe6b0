"""The grades and rounding line of a rubric table, read into the rubric header.

Tables state them below the total, as staff write them and as `pingfen render` does:
"90分（含）以上为优秀；80分（含）-90分为良好；60分（含）-80分为中；60分以下为差",
"总分四舍五入保留2位小数后评定等次", "保留两位小数", with what staff put before them (评价结果：,
注：, 总分85分以上为优秀) and clauses split at ；or ，. A line whose grade clauses are not all
read gives no grades (the importer then writes the usual ones under a `# TODO` when the line
`states_grades`); the rounding is read on its own. Render's words for the rest of the header and the lines after the tree are
read too, on the names the table declares: a grade's condition ("90分（含）以上为优秀（且满意度
≥90%）"), the cap on the total ("加分后总分不超过100分") and each 一票否决 ("一票否决：发生重大违规
（重大违规）的，总分计0分" / 不得评为优秀 / 不得评为良好及以上 / 评为差).
"""

from __future__ import annotations

import re
from decimal import Decimal

from attrs import frozen

from pingfen.phrases import NUMBER, normalise, number, plain
from pingfen.stated import Known, condition

# Rounding modes as render words them (report/criteria.py), and the usual 四舍五入.
MODES = {"四舍五入": "half_up", "四舍六入五成双": "half_even", "五舍六入": "half_down", "非零即进": "up",
         "直接舍去": "down", "向上取整": "ceiling", "向下取整": "floor"}  # fmt: skip


@frozen
class GradeLine:
    """The grades (name, operator, threshold; the last may be `otherwise`: operator None)
    and the rounding (places, mode), each None when the line does not state it."""

    grades: tuple[tuple[str, str | None, Decimal | None], ...] = ()
    places: int | None = None
    mode: str = "half_up"
    cap: Decimal | None = None  # `cap total`: 加分后总分不超过…分
    conditions: tuple[tuple[str, str], ...] = ()  # a grade's name and its condition, as rule text
    vetoes: tuple[tuple[str, str | None], ...] = ()  # each `veto` line, and the grade it names (or None)
    unread_vetoes: tuple[str, ...] = ()  # each sentence that reads as a 一票否决 but is not read: left to a person
    none: bool = False  # the line says no grades are given (不评定等次): render's words for a rubric without grades

    def lines(self) -> list[str]:
        """The header's lines for what was read."""
        from pingfen.phrases import name_text

        out = [f"round total {self.places} {self.mode}"] if self.places is not None else []
        if self.cap is not None:
            out.append(f"cap total {plain(self.cap)}")
        conditions = dict(self.conditions)
        for grade, op, threshold in self.grades:
            line = f"grade {name_text(grade)} otherwise" if op is None else f"grade {name_text(grade)} {op} {plain(threshold or Decimal(0))}"
            out.append(line + (f" if {conditions[grade]}" if grade in conditions else ""))
        return out


_PLACES = re.compile(rf"(?P<mode>{'|'.join(sorted(MODES, key=len, reverse=True))})?保留(?P<n>\d+|[一两二三四五六七八九十])位小数")
_ABOVE = re.compile(rf"^(?P<v>{NUMBER})分?(?:\((?P<inc>不?含)\))?(?:以上|及以上)(?:的)?为(?P<name>.+)$")
_RANGE = re.compile(rf"^(?P<v>{NUMBER})分?(?:\((?P<inc>不?含)\))?(?:-|至){NUMBER}分?(?:\(不?含\))?(?:的)?为(?P<name>.+)$")
_BELOW = re.compile(rf"^(?:{NUMBER}分?(?:\(不?含\))?(?:以下|及以下)|其他|其余)(?:的)?为(?P<name>.+)$")
_TOTAL = re.compile(rf"^总分(?P<op>>=|<=|>|<|=)(?P<v>{NUMBER})分?为(?P<name>.+)$")
# What a line puts before its grades: a note's mark (注：, 说明：), a heading (评价等次：, 评价结果：,
# 绩效等级划分：), or render's words for grades in another order.
_WORDS = r"(?:注|说明|备注|附注)\d*[:.、]|(?:评价|评定|考核|绩效|综合)?(?:等次|等级|结果|结论)(?:划分|分为|标准)?[:,]"
_LEAD = re.compile(rf"^(?:{_WORDS})+|^等次按以下顺序取首个符合的:")
# A clause's own subject before its number: 总分85分以上为优秀, 得分在60分以下为差.
_SUBJECT = re.compile(r"^(?:综合|自评|评价|考核)?(?:总分|得分|总得分|分数|分值)(?:在|达到|达)?(?=\d)")
# Words that say a line states grades: a grade's name and a score, a band or a comparison.
_GRADE_WORD = re.compile(r"优秀|良好|合格|及格|中等|较好|一般|较差|差|[A-E]级|[甲乙丙丁]等|等次|等级")
_SCORE = re.compile(rf"{NUMBER}分|{NUMBER}-{NUMBER}|(?:>=|<=|>|<)\s*{NUMBER}|以上|以下")


def read_grade_line(text: str, known: Known | None = None) -> GradeLine | None:
    """The grades, rounding, cap and vetoes a line states, or None when it states none of them;
    conditions are read on the names `known` declares."""
    none = any(_NO_GRADES.match(normalise(_RAW_LEAD.sub("", part.strip()))) for part in re.split(r"[；。;]", text))
    text, cap, conditions, vetoes, unread = _beside_the_grades(text, known or Known())
    clean = normalise(text)
    if not re.search(r"为|保留", clean):
        if cap is None and not vetoes and not unread and not none:
            return None
        return GradeLine(cap=cap, vetoes=vetoes, unread_vetoes=unread, none=none)
    found = _PLACES.search(clean)
    places = int(number(found["n"])) if found is not None else None
    mode = MODES[found["mode"]] if found is not None and found["mode"] else "half_up"
    body = _LEAD.sub("", clean)
    clauses = [c for c in re.split(r"[;。,，、]", body) if c and not _PLACES.search(c)]
    grades: list[tuple[str, str | None, Decimal | None]] = []
    for clause in clauses:
        grade = _grade(clause)
        if grade is None:
            grades = []
            break
        grades.append(grade)
    if grades and any(op is None for _, op, _ in grades[:-1]):
        grades = []  # only the last grade may be "the rest"
    if not grades and places is None and cap is None and not vetoes and not unread and not none:
        return None
    named = {name for name, _, _ in grades}
    kept = tuple((name, cond) for name, cond in conditions if name in named)
    return GradeLine(tuple(grades), places, mode, cap, kept, vetoes, unread, none and not grades)


# A table that grades no one says so (render writes 不评定等次 for a rubric without grades).
_NO_GRADES = re.compile(r"^(?:不评定|不评|不划分|不设)(?:等次|等级)$")
_CAP = re.compile(rf"^(?:加分后)?总分(?:最高)?(?:不得?超过|最高为|以)(?P<v>{NUMBER})分(?:为限)?$")
_RAW_LEAD = re.compile(r"^(?:(?:注|说明|备注|附注)\d*[:：.、]|(?:评价|评定|考核|绩效|综合)?(?:等次|等级|结果|结论)(?:划分|分为|标准)?[:：,，])+")
_CONDITIONED = re.compile(r"^(?P<band>.+?)（且(?P<cond>.+)）$")
# 不得评为良好及以上 is render's `-> below 良好` (不得评为优秀 of the highest grade, as tables say it)
# Words that say a sentence bars a unit or lowers its grade, as a 一票否决 does: one not read as a veto is
# left to a person, never dropped (发生重大违纪问题的，评价等级降一档).
_VETO_LIKE = re.compile(r"否决|不得评为|(?:直接|一律)(?:评|定)为|降[一二两三]?个?(?:档|等|级)|总分(?:计|记|为)0分")
_VETO_ACTION = re.compile(r"^(?:(?P<zero>总分计0分)|不得评为(?P<below>.+?)(?:及以上(?:等次)?)?|评为(?P<grade>.+))$")


def _beside_the_grades(
    text: str, known: Known
) -> tuple[str, Decimal | None, list[tuple[str, str]], tuple[tuple[str, str | None], ...], tuple[str, ...]]:
    """The line without what render adds beside its grade clauses — the cap, each veto, and a
    grade's （且…） condition — and those, read; and the sentences that read as a veto but are
    not read. A sentence is split at ； and 。 only: a condition may hold a comma (…时为…，否则为…)."""
    kept: list[str] = []
    cap: Decimal | None = None
    conditions: list[tuple[str, str]] = []
    vetoes: list[tuple[str, str | None]] = []
    unread: list[str] = []
    for written in re.split(r"[；。;]", text):
        part = _RAW_LEAD.sub("", written.strip())
        if (found := _CAP.match(normalise(part))) is not None:
            cap = Decimal(found["v"])
            continue
        if (veto := _veto(part, known)) is not None:
            vetoes.append(veto)
            continue
        if _VETO_LIKE.search(normalise(part)):
            unread.append(written.strip())
            continue
        if (found := _CONDITIONED.match(part)) is not None and (read := condition(found["cond"], known)) is not None:
            grade = _grade(_LEAD.sub("", normalise(found["band"])))
            if grade is not None:
                conditions.append((grade[0], read))
                part = found["band"]
        kept.append(part)
    return "；".join(kept), cap, conditions, tuple(vetoes), tuple(unread)


def _veto(text: str, known: Known) -> tuple[str, str | None] | None:
    """一票否决：NAME（COND）的，总分计0分 / 不得评为G[及以上] / 评为G as a `veto` line and the grade it
    names. The name may hold brackets: every split is tried until the condition reads."""
    from pingfen.phrases import name_text

    if not text.startswith("一票否决："):
        return None
    body = text.removeprefix("一票否决：")
    end = body.rfind("）的，")
    action = _VETO_ACTION.match(body[end + 3 :]) if end > 0 else None
    if action is None:
        return None
    head = body[:end]
    for at in (i for i, char in enumerate(head) if char == "（" and i > 0):
        read = condition(head[at + 1 :], known)
        if read is None:
            continue
        line = f"veto {name_text(head[:at])} if {read} -> "
        if action["zero"]:
            return line + "zero", None
        grade = action["below"] or action["grade"]
        return f"{line}{'below' if action['below'] else 'grade'} {name_text(grade)}", grade
    return None


def states_grades(text: str, known: Known | None = None) -> bool:
    """Whether a line reads as stating grades — a grade's name or 等次 beside a score, a band or
    a comparison, once the cap and the vetoes it states are read — so that grades not read from
    it are left to a person, not assumed."""
    clean = normalise(_beside_the_grades(text, known or Known())[0])
    parts = [part for part in re.split(r"[;。]", clean) if not part.startswith("一票否决")]  # a veto is no grade
    return any(_GRADE_WORD.search(part) and _SCORE.search(part) for part in parts)


def _grade(clause: str) -> tuple[str, str | None, Decimal | None] | None:
    clause = _SUBJECT.sub("", clause)
    grade: tuple[str, str | None, Decimal | None] | None = None
    for pattern in (_ABOVE, _RANGE):
        if grade is None and (found := pattern.match(clause)):
            grade = found["name"], ">" if found["inc"] == "不含" else ">=", Decimal(found["v"])
    if grade is None and (found := _BELOW.match(clause)):
        grade = found["name"], None, None
    if grade is None and (found := _TOTAL.match(clause)):
        grade = found["name"], found["op"], Decimal(found["v"])
    if grade is None:
        return None
    quoted = _QUOTED.match(grade[0])
    name = next(part for part in quoted.groups() if part) if quoted is not None else grade[0]
    if _NOT_A_NAME.search(name):
        return None  # more than a name: 优秀（含90分）, 优秀（且满意度≥90%） on names not declared (a digit is a name's: 等1)
    return name, grade[1], grade[2]


# Quotes a table puts around a grade's name (90分以上为“优秀”): the name is what they hold.
_QUOTED = re.compile(r'^(?:“(?P<a>[^“”]+)”|‘(?P<b>[^‘’]+)’|"(?P<c>[^"]+)"|「(?P<d>[^「」]+)」|『(?P<e>[^『』]+)』)$')
_NOT_A_NAME = re.compile(r"[()%<>=“”‘’\"「」『』]")

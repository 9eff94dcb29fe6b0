"""The grades and rounding line of a rubric table, read into the rubric header.

Tables state them below the total, as staff write them and as `pingfen render` does:
"90分（含）以上为优秀；80分（含）-90分为良好；60分（含）-80分为中；60分以下为差",
"总分四舍五入保留2位小数后评定等次", "保留两位小数". A line whose grade clauses are not all
read gives no grades (the importer then writes the usual ones and says so); the rounding is
read on its own.
"""

from __future__ import annotations

import re
from decimal import Decimal

from attrs import frozen

from pingfen.phrases import NUMBER, normalise, number, plain

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

    def lines(self) -> list[str]:
        """The header's lines for what was read."""
        from pingfen.phrases import name_text

        out = [f"round total {self.places} {self.mode}"] if self.places is not None else []
        for grade, op, threshold in self.grades:
            out.append(f"grade {name_text(grade)} otherwise" if op is None else f"grade {name_text(grade)} {op} {plain(threshold or Decimal(0))}")
        return out


_PLACES = re.compile(rf"(?P<mode>{'|'.join(sorted(MODES, key=len, reverse=True))})?保留(?P<n>\d+|[一两二三四五六七八九十])位小数")
_ABOVE = re.compile(rf"^(?P<v>{NUMBER})分?(?:\((?P<inc>不?含)\))?(?:以上|及以上)(?:的)?为(?P<name>.+)$")
_RANGE = re.compile(rf"^(?P<v>{NUMBER})分?(?:\((?P<inc>不?含)\))?-{NUMBER}分?(?:\(不?含\))?(?:的)?为(?P<name>.+)$")
_BELOW = re.compile(rf"^(?:{NUMBER}分?(?:\(不?含\))?(?:以下|及以下)|其他|其余)(?:的)?为(?P<name>.+)$")
_TOTAL = re.compile(rf"^总分(?P<op>>=|<=|>|<|=)(?P<v>{NUMBER})为(?P<name>.+)$")
_LEAD = re.compile(r"^(?:评价等次|等次|评价等级|等级)(?:划分)?:|^等次按以下顺序取首个符合的:")


def read_grade_line(text: str) -> GradeLine | None:
    """The grades and rounding a line states, or None when it states neither."""
    clean = normalise(text)
    if not re.search(r"为|保留", clean):
        return None
    found = _PLACES.search(clean)
    places = int(number(found["n"])) if found is not None else None
    mode = MODES[found["mode"]] if found is not None and found["mode"] else "half_up"
    body = _LEAD.sub("", _LEAD.sub("", clean))
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
    if not grades and places is None:
        return None
    return GradeLine(tuple(grades), places, mode)


def _grade(clause: str) -> tuple[str, str | None, Decimal | None] | None:
    for pattern in (_ABOVE, _RANGE):
        if found := pattern.match(clause):
            return found["name"], ">" if found["inc"] == "不含" else ">=", Decimal(found["v"])
    if found := _BELOW.match(clause):
        return found["name"], None, None
    if found := _TOTAL.match(clause):
        return found["name"], found["op"], Decimal(found["v"])
    return None

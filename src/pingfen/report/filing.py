"""What makes a report fit for filing: the year, the unit, the evaluation date, the lines to
sign by hand, and the official typefaces (宋体 for tables, 仿宋 for text) with fallbacks.

Every report format (Markdown, HTML, XLSX, DOCX, and PDF through the HTML) takes a
`Filing` and renders the same words from here, so that they cannot disagree.
"""

from __future__ import annotations

import datetime
import re

from attrs import frozen

from pingfen.lang import Lang


@frozen
class Filing:
    """The header and footer of a report to file: `year` (2021), the evaluated `unit`'s name,
    the evaluation `date`. Each is left out when None; the signature lines are always there."""

    year: int | None = None
    unit: str | None = None
    date: datetime.date | None = None


# Typefaces. Official tables are set in 宋体 and text in 仿宋; where those are missing
# (Linux, a CI machine) the Noto CJK families show the same characters.
SONG_CSS = ('"SimSun", "宋体", "Songti SC", "STSong", "Noto Serif CJK SC", "Source Han Serif SC", '
            '"Noto Sans CJK SC", "Source Han Sans SC", serif')  # fmt: skip
FANG_CSS = ('"FangSong", "仿宋", "仿宋_GB2312", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", '
            '"Noto Sans CJK SC", "Source Han Sans SC", serif')  # fmt: skip
SONG, FANG = "宋体", "仿宋"  # DOCX and XLSX name one font; the reader's office suite substitutes its own

_SIGNATURES = {
    "zh": ("评价单位（盖章）", "填报人", "审核人", "日期"),
    "en": ("Evaluating body (seal)", "Prepared by", "Reviewed by", "Date"),
}
BLANK = "＿" * 8  # a line to sign on; full-width, so that it is as wide in every font
DATE_BLANK = {"zh": "　　　　年　　月　　日", "en": "____-__-__"}


def date_text(date: datetime.date, lang: Lang) -> str:
    """2026年11月30日, or 2026-11-30."""
    return f"{date.year}年{date.month}月{date.day}日" if lang == "zh" else date.isoformat()


_DATE = re.compile(r"\s*(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?\s*")


def parse_date(text: str) -> datetime.date | None:
    """2026-11-30, 2026/11/30, 2026.11.30 or 2026年11月30日; None when it is none of these or no such day."""
    found = _DATE.fullmatch(text)
    if found is None:
        return None
    try:
        return datetime.date(*(int(g) for g in found.groups()))
    except ValueError:  # 2026-02-30
        return None


def meta_lines(filing: Filing, lang: Lang) -> list[tuple[str, str]]:
    """The header lines under the title, as (label, value): 单位, 年度, 评价日期."""
    lines = []
    if filing.unit:
        lines.append(("单位" if lang == "zh" else "department", filing.unit))
    if filing.year is not None:
        lines.append(("年度" if lang == "zh" else "year", f"{filing.year}年度" if lang == "zh" else str(filing.year)))
    if filing.date is not None:
        lines.append(("评价日期" if lang == "zh" else "evaluated on", date_text(filing.date, lang)))
    return lines


def signature_lines(lang: Lang) -> list[tuple[str, str]]:
    """The lines to sign by hand, as (label, blank): 评价单位（盖章）, 填报人, 审核人, 日期."""
    *people, day = _SIGNATURES[lang]
    return [*((p, BLANK) for p in people), (day, DATE_BLANK[lang])]


# Characters XML 1.0 cannot hold (C0 controls but tab, LF and CR; surrogates; U+FFFE/FFFF):
# an id from a CSV file may carry one, and a DOCX or XLSX file must still be written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` with each character XML cannot hold written as an escape (`\\x1b`)."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def colon(lang: Lang) -> str:
    return "：" if lang == "zh" else ": "


def heading(filing: Filing | None, department: str | None, lang: Lang) -> list[tuple[str, str]]:
    """The lines under the title: the filing's, else the department's id alone (as before filing)."""
    if filing is not None:
        return meta_lines(filing, lang)
    return [("单位" if lang == "zh" else "department", department)] if department else []

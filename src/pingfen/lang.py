"""The two languages of every message, table and page, and which one a run speaks."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, for `pingfen --help`
if TYPE_CHECKING:
    from typing import Literal, TypeAlias

    Lang: TypeAlias = Literal["zh", "en"]
else:  # annotations are not evaluated (`from __future__ import annotations` everywhere)
    Lang = str


LANGS = frozenset({"zh", "en"})


def checked(lang: object) -> Lang:
    """`lang` if it is one of the two languages; else ValueError. Anything else ("zh-CN", "EN")
    would be taken for English where a message asks `lang == "zh"`: said at the call instead."""
    if not isinstance(lang, str) or lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang  # type: ignore[return-value]  # one of LANGS


def counted(count: str, noun: str) -> str:
    """`1 point`, `2 points`, `0.5 points`: English counts one alone in the singular."""
    return f"{count} {noun}" if count == "1" else f"{count} {noun}s"


def default_lang() -> Lang:
    """中文, unless PINGFEN_LANG or the locale (LC_ALL, LC_MESSAGES, LANG) asks for English.

    The users are Chinese finance staff: servers often run with `C.UTF-8` and Windows
    usually sets no LANG at all, so only an explicit English locale gives English."""
    for var in ("PINGFEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"

"""Diagnostics as values, and their rendering.

A Diagnostic is data: a stable code, a severity, a span and the arguments of its
message. Words are chosen only when it is rendered, in Chinese or English, from the
catalogue in `messages.py`. Rendering follows rustc/ruff: `--> file:line:col`, the
source line in a gutter, carets under the span, `help:` with the fix.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Literal

import attrs
from attrs import field, frozen

from pingfen.display import width
from pingfen.lang import Lang, checked
from pingfen.messages import hint, message
from pingfen.terminal import INVISIBLE

Severity = Literal["error", "warning", "note"]


@frozen
class Span:
    """A region of source text: offsets [start, end) and 1-based line/column of both ends.
    `file` says which file of a load it is in: 0 the file loaded, 1… the files it extends
    (the order of the loader's sources), so a diagnostic shows the file its node came from."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    file: int = 0

    @classmethod
    def unknown(cls) -> Span:
        return cls(0, 0, 0, 0, 0, 0)

    @classmethod
    def at(cls, text: str, start: int, end: int) -> Span:
        """The span of text[start:end], computing lines and columns."""
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        end_line = text.count("\n", 0, end) + 1
        end_column = end - (text.rfind("\n", 0, end) + 1) + 1
        return cls(start, end, line, column, end_line, end_column)

    @property
    def known(self) -> bool:
        return self.line > 0


@frozen
class Source:
    """The text a span points into, and the name to show for it."""

    path: str
    text: str

    def line(self, number: int) -> str:
        lines = _lines(self.text)
        return lines[number - 1].rstrip("\r") if 0 < number <= len(lines) else ""


@functools.lru_cache(maxsize=4)
def _lines(text: str) -> tuple[str, ...]:
    """The lines of a text, split once however many diagnostics point into it (a string
    keeps its hash, so finding the entry again is cheap)."""
    return tuple(text.split("\n"))  # as the parser counts lines; splitlines() also breaks at \x0c, U+2028, …


@frozen
class Diagnostic:
    """One finding: code (`PF102`), severity, where, and the values its message names."""

    code: str
    span: Span
    args: Mapping[str, object] = field(factory=dict, hash=False)
    severity: Severity = "error"
    hint: str | None = None  # key of a hint in the catalogue, e.g. "did_you_mean"
    source: Source | None = field(default=None, eq=False, hash=False)

    def message(self, lang: Lang = "en") -> str:

        return message(self.code, lang, self.args)

    def help(self, lang: Lang = "en") -> str | None:
        checked(lang)  # with no hint too: "zh-CN" is refused as message's is, not None
        return hint(self.hint, lang, self.args) if self.hint else None

    def with_source(self, source: Source | Sequence[Source]) -> Diagnostic:
        """This diagnostic shown in source; given the sources of a load (the file and the
        files it extends), in the one its span is in."""
        if not isinstance(source, Source):
            source = source[self.span.file] if 0 <= self.span.file < len(source) else source[0]
        return Diagnostic(self.code, self.span, self.args, self.severity, self.hint, source)

    def in_file(self, file: int) -> Diagnostic:
        """This diagnostic with its span moved to file number `file` of a load."""
        return Diagnostic(self.code, attrs.evolve(self.span, file=file), self.args, self.severity, self.hint, self.source)

    def location(self) -> str:
        path = self.source.path if self.source else "<rule>"
        return f"{path}:{self.span.line}:{self.span.column}" if self.span.known else path

    def render(self, lang: Lang = "en") -> str:
        """The full human form: header, location, source line with carets, help."""
        label = {"zh": {"error": "错误", "warning": "警告", "note": "提示"}}.get(lang, {})
        head = f"{label.get(self.severity, self.severity)}[{self.code}]: {self.message(lang)}"
        gutter = " " * (len(str(self.span.line)) if self.span.known else 1)
        out = [head, f"{gutter}--> {self.location()}"]
        if self.source is not None and self.span.known:
            out.extend(_snippet(self.source, self.span))
        help_text = self.help(lang)
        if help_text:
            out.append(f"{gutter} = {'帮助' if lang == 'zh' else 'help'}: {help_text}")
        return "\n".join(out)


# Control characters (C0 but tab, DEL, C1, bidi overrides and isolates) as a picture of
# one character each, so that a shown line keeps its columns and cannot drive the terminal;
# invisible ones (U+200B, …) as one too, so that a caret under one points at something.
_PICTURES = (
    {c: 0x2400 + c for c in range(32) if c != 9}
    | {0x7F: 0x2421}
    | dict.fromkeys([*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)], 0xFFFD)
    | dict.fromkeys(map(ord, INVISIBLE), 0xFFFD)
)


def visible(text: str) -> str:
    """text with its control characters shown as pictures (␀, ␛, …), one for one."""
    return text.translate(_PICTURES)


# A source line longer than _LONG is shown as a window around the span, so that a line of
# megabytes (a generated file, a runaway of spaces) gives a message of a few hundred characters.
_LONG, _WINDOW = 400, 160


def _snippet(source: Source, span: Span) -> list[str]:
    text = source.line(span.line)
    number = str(span.line)
    pad = " " * len(number)
    start = span.column - 1
    end = span.end_column - 1 if span.end_line == span.line else len(text)
    end = max(end, start + 1)
    if len(text) > _LONG:
        text, start, end = _window(text, start, end)
    # pictures one for one, of the window alone: 4,000 diagnostics on one line of 100 KB
    # translated the whole line each, 17 s
    text = visible(text)
    # Under the span; a tab before it stays a tab, so the carets line up however tabs are shown.
    lead = "".join("\t" if ch == "\t" else " " * width(ch) for ch in text[:start])
    carets = lead + "^" * max(1, width(text[start:end]))
    return [f"{pad} |", f"{number} | {text}", f"{pad} | {carets}"]


def _window(text: str, start: int, end: int) -> tuple[str, int, int]:
    """At most _WINDOW characters either side of [start, end) (and of the span itself), with
    `…` where the line goes on; returns the shown text and the span's place in it."""
    end = min(end, start + _WINDOW)
    left, right = max(start - _WINDOW, 0), min(end + _WINDOW, len(text))
    head = "…" if left > 0 else ""
    tail = "…" if right < len(text) else ""
    return head + text[left:right] + tail, start - left + len(head), end - left + len(head)


def excerpt(texts: str | Sequence[str], span: Span) -> str:
    """The text a span covers; given the texts of a load (the file and those it extends),
    in the one the span is in."""
    text = texts if isinstance(texts, str) else texts[span.file] if 0 <= span.file < len(texts) else ""
    return text[span.start : span.end]


def sort_key(d: Diagnostic) -> tuple[int, int, str]:
    return (d.span.line, d.span.column, d.code)

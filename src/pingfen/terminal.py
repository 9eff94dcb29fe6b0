"""Text for a terminal: control characters from data shown escaped, never obeyed.

An id, a value or a file name can hold ESC sequences that recolour, retitle or clear the
terminal, or bidi overrides that show text in another order than it is. Everything
`pingfen` prints for people passes through `Printable`, which writes them as `\\x1b`,
`\\u202e`, … Tabs and line breaks stay (a CR only before LF, as in CSV's CRLF).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TextIO

# C0 controls but tab and LF, a CR not before LF, DEL, C1 controls; the bidi embeddings,
# overrides, isolates and marks; the Unicode line and paragraph separators.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|\r(?!\n)")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character a terminal would act on written as an escape."""
    return _CONTROLS.sub(_escape, text)


class Printable:
    """A text stream that escapes control characters (`printable`) in what is written to it.
    `raw` is the stream underneath, for the progress bar's own carriage returns."""

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(printable(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, …
        return getattr(self.raw, name)


# Characters that show as nothing: zero-width ones, the soft hyphen, a BOM past the start of
# a text, and the bidi marks, embeddings, overrides and isolates. Pasted from Word or Excel into
# a name they make `投入` and `投\u200b入` two names that look the same; each is named in
# messages by code point and name (`U+200B 零宽空格`), in Chinese here.
INVISIBLE: dict[str, str] = {
    "\u00ad": "软连字符",
    "\u180e": "蒙古文元音分隔符",
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u200e": "从左至右标记",
    "\u200f": "从右至左标记",
    "\u202a": "从左至右嵌入",
    "\u202b": "从右至左嵌入",
    "\u202c": "嵌入结束",
    "\u202d": "从左至右覆盖",
    "\u202e": "从右至左覆盖",
    "\u2060": "字连接符",
    "\u2066": "从左至右隔离",
    "\u2067": "从右至左隔离",
    "\u2068": "首强隔离",
    "\u2069": "隔离结束",
    "\ufeff": "零宽不换行空格",
}
INVISIBLE_PATTERN = re.compile(f"[{''.join(INVISIBLE)}]")


def invisible_name(char: str, lang: str) -> str:
    """An invisible character as a message names it: `U+200B 零宽空格`, `U+200B ZERO WIDTH SPACE`."""
    name = INVISIBLE[char] if lang == "zh" else unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def without_invisible(text: str) -> str:
    """`text` as it looks: its invisible characters left out."""
    return INVISIBLE_PATTERN.sub("", text)


def invisible_escaped(text: str) -> str:
    """`text` with its invisible characters written as escapes (`投入\\u200b`), so that a message
    quoting it shows what sets it apart."""
    return INVISIBLE_PATTERN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

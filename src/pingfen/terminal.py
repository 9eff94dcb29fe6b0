"""Text for a terminal: control characters from data shown escaped, never obeyed.

An id, a value or a file name can hold ESC sequences that recolour, retitle or clear the
terminal, or bidi overrides that show text in another order than it is. Everything
`pingfen` prints for people passes through `Printable`, which writes them as `\\x1b`,
`\\u202e`, … Tabs and line breaks stay (a CR only before LF, as in CSV's CRLF).
"""

from __future__ import annotations

import re
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

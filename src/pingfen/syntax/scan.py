"""Scanning rule text without parsing it: braces, top-level items, and the text that
scoring needs. No lark here, so that loading a rubric from the cache never imports it."""

from __future__ import annotations

import re

# Limits on size, so that every file is refused or checked within a second or two. A real
# rubric is far below them: the 2021 one is 9,000 characters, with at most 7 arms to a rule.
MAX_CHARS = 500_000
# Enough bytes for MAX_CHARS characters of four bytes each and a BOM: a longer file is
# refused by its length, so the rest of it is never read (the loader's, the editor's reads).
MAX_RULE_BYTES = 4 * MAX_CHARS + 3

# The only characters the scans act on; the text between them is skipped in one step
# (a character at a time, megabytes of it took seconds).
_BRACES = re.compile(r'[#"`{}“「]')
# A text in Chinese quotes is skipped as a "text" is, when it closes on its line (else the
# quote mark begins a name: “三公经费”变动率).
_CLOSING = {"“": "”", "「": "」"}


def _skip_quoted(text: str, i: int, unclosed: dict[str, int]) -> int:
    """Where scanning goes on after the quote mark at i. `unclosed` holds, for a Chinese
    quote mark, the end of a line known to hold no closing mark after an earlier one, so
    that a line of many open marks is still scanned once, not once per mark."""
    ch = text[i]
    if ch not in _CLOSING:
        end = text.find(ch, i + 1)
        return len(text) if end < 0 else end + 1
    if i < unclosed.get(ch, -1):
        return i + 1
    nl = text.find("\n", i + 1)
    line_end = len(text) if nl < 0 else nl
    end = text.find(_CLOSING[ch], i + 1, line_end)
    if end < 0:
        unclosed[ch] = line_end
        return i + 1
    return end + 1


def unclosed_brace(text: str) -> int | None:
    """Offset of the last `{` left open, skipping strings and comments."""
    stack = open_braces(text)
    return stack[-1] if stack else None


def open_braces(text: str) -> list[int]:
    """Offsets of the `{`s left open, outermost first, skipping strings and comments."""
    stack: list[int] = []
    unclosed: dict[str, int] = {}
    i = 0
    while (found := _BRACES.search(text, i)) is not None:
        i = found.start()
        ch = text[i]
        if ch == "#":
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl
            continue
        if ch in '"`“「':  # a string or a `quoted name` may hold # { }
            i = _skip_quoted(text, i, unclosed)
            continue
        if ch == "{":
            stack.append(i)
        elif ch == "}" and stack:
            stack.pop()
        i += 1
    return stack


# Every word that starts an item of the grammar's `item` (grammar/pingfen.lark): one left out
# ran the item before it on over its own, and `without_tests` blanked a veto or bonus row
# written after an example with the example.
TOP_KEYWORDS = (
    "rubric", "input", "let", "group", "indicator", "bonus", "penalty", "adjust", "veto",
    "example", "property", "extends", "remove", "add", "max",
)  # fmt: skip
_ITEMS = re.compile(r'[#"`{}“「]|' + "|".join(TOP_KEYWORDS))
_CALL = re.compile(r"\s*[(（]")  # `max (a, b)` in an expression: a call, not `max NAME N`


def top_level_items(text: str) -> list[tuple[int, int]]:
    """[start, end) of each top-level item: a top keyword at brace depth 0 starts one.
    Strings and comments are skipped; an unclosed `{` runs its item to the end."""
    starts: list[int] = []
    depth, i, n = 0, 0, len(text)
    unclosed: dict[str, int] = {}
    while (found := _ITEMS.search(text, i)) is not None:
        i = found.start()
        ch = text[i]
        if ch == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        if ch in '"`“「':  # a string or a `quoted name` may hold # { }
            i = _skip_quoted(text, i, unclosed)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and (i == 0 or text[i - 1].isspace() or text[i - 1] == "}"):
            for word in TOP_KEYWORDS:
                after = i + len(word)
                if text.startswith(word, i) and (after >= n or text[after].isspace()) and not (
                    word == "max" and _CALL.match(text, after)
                ):
                    starts.append(i)
                    i = after
                    break
            else:
                i += 1
            continue
        i += 1
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return list(zip(starts, [*starts[1:], n], strict=True))


_TEST_ITEMS = ("example", "property")
_NOT_NEWLINE = re.compile(r"[^\n]")


def without_tests(text: str) -> str:
    """The text with its `example` and `property` items blanked out (newlines kept, so every
    position stays where it was): all that scoring needs, parsed in about half the time.
    If any such item's braces do not balance, the text is returned whole, so that a
    broken example can never swallow the groups after it."""
    pieces: list[str] = []
    for start, end in top_level_items(text):
        item = text[start:end]
        if item.startswith(_TEST_ITEMS):
            if unclosed_brace(item) is not None or item.count("}") < item.count("{"):
                return text
            item = _NOT_NEWLINE.sub(" ", item)
        pieces.append(item)
    return "".join(pieces)

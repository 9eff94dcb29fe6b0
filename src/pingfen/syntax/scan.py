"""Scanning rule text without parsing it: braces, top-level items, and the text that
scoring needs. No lark here, so that loading a rubric from the cache never imports it."""

from __future__ import annotations

import re

# Limits on size, so that every file is refused or checked within a second or two. A real
# rubric is far below them: the 2021 one is 9,000 characters, with at most 7 arms to a rule.
MAX_CHARS = 500_000

# The only characters the scans act on; the text between them is skipped in one step
# (a character at a time, megabytes of it took seconds).
_BRACES = re.compile(r'[#"`{}]')


def unclosed_brace(text: str) -> int | None:
    """Offset of the last `{` left open, skipping strings and comments."""
    stack: list[int] = []
    i = 0
    while (found := _BRACES.search(text, i)) is not None:
        i = found.start()
        ch = text[i]
        if ch == "#":
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl
            continue
        if ch in '"`':  # a string or a `quoted name` may hold # { }
            end = text.find(ch, i + 1)
            i = len(text) if end < 0 else end + 1
            continue
        if ch == "{":
            stack.append(i)
        elif ch == "}" and stack:
            stack.pop()
        i += 1
    return stack[-1] if stack else None


TOP_KEYWORDS = ("rubric", "input", "let", "group", "indicator", "example", "property")
_ITEMS = re.compile(r'[#"`{}]|' + "|".join(TOP_KEYWORDS))


def top_level_items(text: str) -> list[tuple[int, int]]:
    """[start, end) of each top-level item: a top keyword at brace depth 0 starts one.
    Strings and comments are skipped; an unclosed `{` runs its item to the end."""
    starts: list[int] = []
    depth, i, n = 0, 0, len(text)
    while (found := _ITEMS.search(text, i)) is not None:
        i = found.start()
        ch = text[i]
        if ch == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        if ch in '"`':  # a string or a `quoted name` may hold # { }
            end = text.find(ch, i + 1)
            i = n if end < 0 else end + 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and (i == 0 or text[i - 1].isspace() or text[i - 1] == "}"):
            for word in TOP_KEYWORDS:
                after = i + len(word)
                if text.startswith(word, i) and (after >= n or text[after].isspace()):
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

"""The language server turns an editor's (line, character) into a place in the text, in the
code units the editor counts (UTF-16 by default): every character counted once, so a hover at
the end of a long line of 汉字 costs the line's length, not its square (it took 50 s at
480,000 characters), and the place is the one the character-by-character count gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types as lsp

from pingfen.editor.server import PingfenServer


def reference(server: PingfenServer, text: str, position: lsp.Position) -> int:
    """The count as it was made: the prefix re-measured for every column."""
    lines = text.split("\n")
    row = min(position.line, len(lines) - 1)
    start = sum(len(line) + 1 for line in lines[:row])
    line, column = lines[row], 0
    while column < len(line) and server.units(line[: column + 1]) <= position.character:
        column += 1
    return start + column


class Utf16Server(PingfenServer):
    """The server as an editor counting UTF-16 units (the default) has set it up."""

    def units(self, text: str) -> int:
        return len(text.encode("utf-16-le")) // 2


SERVER = Utf16Server()
TEXTS = st.text(st.sampled_from(["a", "汉", "𠀀", "😀", " ", "\n", "é"]), max_size=40)


@given(TEXTS, st.integers(0, 5), st.integers(0, 90))
def test_a_position_is_the_place_the_character_count_gives(text: str, line: int, character: int) -> None:
    position = lsp.Position(line=line, character=character)
    assert SERVER.offset(text, position) == reference(SERVER, text, position)


def test_a_position_within_a_long_line_of_astral_characters() -> None:
    line = "𠀀" * 200_000  # two UTF-16 units each
    assert SERVER.offset(line, lsp.Position(line=0, character=399_999)) == 199_999
    assert SERVER.offset(line, lsp.Position(line=0, character=400_000)) == 200_000

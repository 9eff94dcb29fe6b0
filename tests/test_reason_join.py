"""A prepared sentence is its fixed texts and the record's numbers joined (issue 11: `str.join`
of a tuple, where `%` on a format string of 中文 text took twice as long): for any number of
numbers, unrolled or not, any text between them (a `%`, braces, 中文, nothing), it says what the
former format string said (kept here as the reference)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pingfen import reasons
from pingfen.reasons import ALL, Part


def old_sentence(*parts: Part) -> Callable[[tuple[object, ...], Decimal | None], str]:
    """reasons._sentence as it was: one format string filled by `%`."""
    pieces: list[str] = []
    getters: list[tuple[Callable[[Any], str], int | slice]] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(part.replace("%", "%%"))
        else:
            pieces.append("%s")
            getters.append(part)
    text = "".join(pieces)
    return lambda numbers, score: text % tuple([f(numbers[i]) for f, i in getters])


texts = st.lists(st.sampled_from([*"扣分％% {}ab1.", "满分", "%s", "%%", "个百分点"]), max_size=6).map("".join)


@st.composite
def sentences(draw: st.DrawFn) -> tuple[list[Part], tuple[object, ...]]:
    numbers = tuple(draw(st.lists(st.decimals(allow_nan=False, allow_infinity=False), min_size=1, max_size=5)))
    parts: list[Part] = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            parts.append(draw(texts))
        elif draw(st.integers(0, 5)) == 0:  # a part of all the numbers
            parts.append((lambda every: "/".join(map(str, every)), ALL))
        else:
            parts.append((reasons.shown, draw(st.integers(0, len(numbers) - 1))))
    return parts, numbers


@given(sentences())
def test_a_joined_sentence_says_what_the_format_string_said(drawn: tuple[list[Part], tuple[object, ...]]) -> None:
    parts, numbers = drawn
    assert reasons._sentence(*parts)(numbers, None) == old_sentence(*parts)(numbers, None)


def test_a_percent_sign_in_the_rule_s_words_stays_as_written() -> None:
    said = reasons._sentence("达到 ", (reasons.shown, 0), "%（100%）", (reasons.shown, 1), " 分")
    assert said((Decimal("95.50"), Decimal(2)), None) == "达到 95.5%（100%）2 分"

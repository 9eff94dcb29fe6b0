"""A sentence of one recorded number (a judgment's points, a band's value) looks up the words its
function keeps by the Decimal's str() itself (issue 11: a call fewer for a number seen before),
and asks the function for any other number; either way the words are the function's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pingfen import reasons
from pingfen.reasons import Site


def test_kept_words_are_read_without_a_call_and_others_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[object] = []

    def words(value: object) -> str:
        asked.append(value)
        return f"<{value}>"

    monkeypatch.setitem(reasons._KEPT_BY, words, {"4.50": "四点五"})
    said = reasons._sentence("得 ", (words, 0), " 分")
    assert said((Decimal("4.50"),), None) == "得 四点五 分" and asked == []
    assert said((Decimal("4.5"),), None) == "得 <4.5> 分" and asked == [Decimal("4.5")]
    assert said(("4.50",), None) == "得 <4.50> 分"  # not a Decimal: asked, whatever its text


@given(st.decimals(allow_nan=True, allow_infinity=True, places=None), st.booleans())
def test_a_judgment_and_a_band_say_what_their_numbers_words_are(value: Decimal, zh: bool) -> None:
    judged = Site("judgment", {"max": Decimal(5)}, ("points",)).said(zh)
    banded = Site("band", {"subject": "率", "unit": "percent", "band": "< 60%", "points": Decimal(0), "max": Decimal(5)},
                  ("value",)).said(zh)  # fmt: skip
    for _ in range(2):  # worked out, then kept
        assert judged((value,), None) == (
            f"评价得分 {reasons.shown(value)} 分（满分 5）" if zh else f"judged {reasons.shown(value)} of 5"
        )
        said = reasons.quantity(value, "percent")
        assert banded((value,), None) == (
            f"率 {said} 属于 < 60% 档，得 0 分（满分 5）" if zh else f"率 {said} is in < 60%: 0 of 5"
        )

"""A rule or data value of hundreds of thousands of digits was quoted whole by every message
that named it (PF403's band, PF303's total and its help, PF301's points…): a diagnostic of a
megabyte. Now every message and hint (messages.message / messages.hint, the one place values
are worded) quotes a number of more than 40 digits by its ends and its count of digits."""

from __future__ import annotations

from pingfen import diagnose
from pingfen.messages import hint, message

BIG = "1" + "0" * 100_000


def test_a_band_of_a_huge_number_is_quoted_by_its_ends() -> None:
    text = f'rubric "t" {{ total 10 }}\ninput x: number >= 0 and <= 100\nindicator 甲 10 {{ bands x {{ >= {BIG} -> 10  else -> 0 }} }}\n'
    (band,) = [d for d in diagnose(text) if d.code == "PF403"]
    assert (
        band.message("en") == "band `>= 100000000000…000000 (100001 digits)` can never match: `x` only takes [0, 100]"
    )
    assert "100000000000…000000（共 100001 位）" in band.message("zh")


def test_a_huge_total_in_message_and_help() -> None:
    text = f'rubric "t" {{ total {BIG} }}\ninput x: number >= 0 and <= 100\nindicator 甲 10 {{ bands x {{ >= 50 -> 10  else -> 0 }} }}\n'
    for d in diagnose(text):
        for lang in ("zh", "en"):
            assert len(d.message(lang)) < 200 and len(d.help(lang) or "") < 200  # type: ignore[arg-type]
            assert len(d.render(lang)) < 2000  # type: ignore[arg-type]


def test_decimals_count_too() -> None:
    points = "10." + "0" * 50_000 + "1"
    text = f'rubric "t" {{ total 10 }}\ninput x: number >= 0 and <= 100\nindicator 甲 10 {{ bands x {{ >= 50 -> {points}  else -> 0 }} }}\n'
    (over,) = [d for d in diagnose(text) if d.code == "PF301"]
    assert over.message("en") == "10.000000000…000001 (50003 digits) points is more than the max 10 of `甲`"


def test_forty_digits_are_quoted_whole() -> None:
    forty, more = "9" * 40, "9" * 41
    assert message("PF409", "en", {"name": "甲", "value": forty}) == f"`甲` always scores {forty}"
    assert message("PF409", "en", {"name": "甲", "value": more}) == "`甲` always scores 999999999999…999999 (41 digits)"
    assert hint("fix_sum", "zh", {"max": more}) == "调整下级分值，使其合计为 999999999999…999999（共 41 位）"

"""English messages said "1 places" (PF130, PF307, PF131, PF132), "1 points exceed" (PF301),
"1 cells" (PF520), "at least 1 values" (PF540): each message that puts a number before a noun
now counts one in the singular (`{places:place}` in the template, messages._Counting), as
render and reasons do (lang.counted)."""

from __future__ import annotations

import pytest

from pingfen import diagnose
from pingfen.messages import MESSAGES, hint, message
from pingfen.report.findings import _outline

# code, its arguments but the count, the count's key, the English said of 1 and of 2
COUNTED = [
    ("PF005", {}, "limit", "nested more than 1 level deep", "nested more than 2 levels deep"),
    ("PF122", {}, "limit", "more than 1 file extend one another", "more than 2 files extend one another"),
    ("PF130", {}, "places", "cannot round to 1 place", "cannot round to 2 places"),
    ("PF131", {"name": "甲", "max": "2.55"}, "places", "`甲` is rounded to 1 place, but its max 2.55 has more",
     "`甲` is rounded to 2 places, but its max 2.55 has more"),
    ("PF132", {"name": "甲"}, "places", "`甲` is rounded to 1 place, but its parts never have more: "
     "the rounding changes nothing", "`甲` is rounded to 2 places, but its parts never have more: the rounding changes nothing"),
    ("PF301", {"max": "0.5", "name": "甲"}, "points", "1 point is more than the max 0.5 of `甲`",
     "2 points is more than the max 0.5 of `甲`"),
    ("PF307", {}, "places", "cannot round the total to 1 place", "cannot round the total to 2 places"),
    ("PF540", {"where": "甲", "call": "mean(x)"}, "least", "`甲`: `mean(x)` needs at least 1 value",
     "`甲`: `mean(x)` needs at least 2 values"),
    ("PF515", {"path": "a.csv"}, "count", "`a.csv` holds 1 record; name one with `--id`",
     "`a.csv` holds 2 records; name one with `--id`"),
    ("PF525", {"path": "a.csv", "id": "x", "rows": "2"}, "count", "`a.csv` has 1 record with id `x` (rows 2)",
     "`a.csv` has 2 records with id `x` (rows 2)"),
    ("PF520", {"path": "a.csv", "row": 3, "expected": 4}, "found", "`a.csv`, row 3: 1 cell, but the header has 4",
     "`a.csv`, row 3: 2 cells, but the header has 4"),
    ("PF728", {"data": "a.csv", "line": 3}, "past", "a.csv, line 3: more than 1 cell past the header",
     "a.csv, line 3: more than 2 cells past the header"),
    ("PF852", {"what": "the file", "size": ""}, "limit", "the file is larger than the limit of 1 byte",
     "the file is larger than the limit of 2 bytes"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "args", "key", "one", "two"), COUNTED, ids=[c[0] for c in COUNTED])
def test_english_counts_one_in_the_singular(code: str, args: dict[str, object], key: str, one: str, two: str) -> None:
    for count, said in ((1, one), ("1", one), (2, two), ("2", two)):  # params come as numbers or text
        assert message(code, "en", {**args, key: count}).startswith(said), (code, count)
    zh = message(code, "zh", {**args, key: "1"})
    assert "1" in zh and "place" not in zh and "point" not in zh


def test_hints_count_too() -> None:
    assert hint("places_range", "en", {"limit": 1}) == "round to between 0 and 1 place"
    assert hint("places_range", "en", {"limit": 10}) == "round to between 0 and 10 places"
    assert hint("total_digits", "en", {"digits": 1}).startswith("the total and its decimals must fit in 1 digit:")
    assert hint("total_digits", "en", {"digits": 28}).startswith("the total and its decimals must fit in 28 digits:")


def test_check_says_one_point_and_one_place() -> None:
    text = 'rubric "t" { total 0.5 }\ninput x: bool\nindicator 甲 0.5 { award 1 if x }\n'
    said = {d.message("en") for d in diagnose(text) if d.code == "PF301"}  # the award and the awards' sum
    assert said == {"1 point is more than the max 0.5 of `甲`"}
    text = 'rubric "t" { total 2.55 }\ninput x: score\nindicator 甲 2.55 {\n  round 1\n  judgment x\n}\n'
    (rounded,) = [d for d in diagnose(text) if d.code == "PF131"]
    assert rounded.message("en") == "`甲` is rounded to 1 place, but its max 2.55 has more"


def test_the_outline_keeps_the_noun() -> None:
    """SARIF's short description of a code: each field `…`, a counted one with its noun."""
    assert _outline(MESSAGES["PF130"][0]) == "cannot round to … places"
    assert _outline(MESSAGES["PF301"][0]) == "… points is more than the max … of `…`"

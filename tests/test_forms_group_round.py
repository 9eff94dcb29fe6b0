"""`round N [MODE]` on a group's score (issue 10 item 4): the sum of its parts, re-scaled where
parts do not apply and clamped, then rounded; both evaluators agree, fmt keeps it, the
checker's codes and ranges know it, and the tools around the tree say it."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pingfen
from pingfen.check.passes import check
from pingfen.check.soundness import _Analysis
from pingfen.diff import diff
from pingfen.evaluate import walker as oracle
from pingfen.fuzz import fuzz, group_score
from pingfen.loader import diagnose, loads
from pingfen.report.rubric_table import build_table, render_markdown
from pingfen.sql import to_sql
from pingfen.syntax.formatter import format_module
from pingfen.syntax.parser import parse

HEAD = 'rubric "t" {{ total {total} }}\n'
TWO = HEAD + """input a: percent >= 0% and <= 100%
input b: percent >= 0% and <= 100%
group G 10 {{
  round {round}
  indicator A 5 {{ score = a * 5 }}
  indicator B 5 {{ score = b * 5 }}
}}
"""


def _both(text: str, record: dict[str, object]) -> pingfen.Result:
    """The compiled result, held to the walker's digit for digit (scores, reasons, clamps)."""
    rubric = loads(text)
    compiled = rubric.evaluate(record)
    module, _ = parse(text)
    assert module is not None
    walked = oracle.evaluate(module, check(module), text, rubric.coerce(record))
    assert compiled == walked
    seen = [(n.name, str(n.score), n.clamped, n.explanations, n.reasons_in("zh"), n.reasons_in("en")) for n in compiled.nodes()]
    assert seen == [(n.name, str(n.score), n.clamped, n.explanations, n.reasons_in("zh"), n.reasons_in("en"))
                    for n in walked.nodes()]  # fmt: skip
    assert (str(compiled.total), str(compiled.raw_total)) == (str(walked.total), str(walked.raw_total))
    return compiled


@pytest.mark.parametrize(
    ("mode", "a", "b", "score"),
    [
        ("", "91%", "88%", "9.0"),  # 4.55 + 4.4 = 8.95: half up
        ("half_even", "91%", "88%", "9.0"),  # 8.95: the 9 is odd, so up to 9.0
        ("half_even", "90%", "87%", "8.8"),  # 8.85: the 8 is even, so down
        ("half_down", "91%", "88%", "8.9"),
        ("down", "91%", "88.8%", "8.9"),  # 8.99 cut to 8.9
        ("up", "90.2%", "80%", "8.6"),  # 8.51 away from 0
        ("ceiling", "90.2%", "80%", "8.6"),
        ("floor", "91%", "88.8%", "8.9"),
    ],
)
def test_the_group_score_is_rounded_in_its_mode(mode: str, a: str, b: str, score: str) -> None:
    text = TWO.format(total=10, round=f"1 {mode}".strip())
    result = _both(text, {"a": a, "b": b})
    assert result["G"].score == Decimal(score)
    assert result.raw_total == Decimal(score)  # the parent adds the rounded score


def test_the_reason_shows_both_numbers_in_each_language() -> None:
    result = _both(TWO.format(total=10, round="1"), {"a": "91%", "b": "88%"})
    assert result["G"].reasons_in("zh") == ["得分 8.95 保留 1 位小数，计 9 分"]
    assert result["G"].reasons_in("en") == ["8.95 rounded to 1 place: 9"]
    assert result["A"].score == Decimal("4.55")  # the parts stay exact
    unchanged = _both(TWO.format(total=10, round="1"), {"a": "90%", "b": "80%"})
    assert unchanged["G"].score == Decimal("8.5") and unchanged["G"].reasons == []  # no digit changed: no reason


def test_rounding_comes_after_the_rescaling() -> None:
    text = HEAD.format(total=10) + """input a: percent >= 0% and <= 100%
input b: percent >= 0% and <= 100%
input c: percent >= 0% and <= 100%
input 有培训: bool
group G 10 {
  round 2
  indicator A 3 { score = a * 3 }
  indicator B 3 { score = b * 3 }
  indicator C 4 {
    applies if 有培训 else rescale
    score = c * 4
  }
}
"""
    result = _both(text, {"a": "90%", "b": "81%", "有培训": False})
    # (2.7 + 2.43) × 10 ÷ 6 = 8.55, exactly; with b 80%: 5.1 × 10 ÷ 6 = 8.5 exactly
    assert result["G"].score == Decimal("8.55")
    thirds = _both(text, {"a": "90%", "b": "80.1%", "有培训": False})
    # (2.7 + 2.403) × 10 ÷ 6 = 8.505 → 8.51 (half up): re-scaled first, then rounded
    assert thirds["G"].score == Decimal("8.51")
    assert thirds["G"].reasons_in("zh")[-1] == "得分 8.505 保留 2 位小数，计 8.51 分"
    assert len(thirds["G"].reasons) == 2  # the re-scaling, then the rounding


def test_rounding_comes_after_the_clamp_and_a_full_score_stays_full() -> None:
    # the parts' maxima add up to the group's (PF302), so the clamp holds the sum in [0, max]
    # and the rounding after it keeps a full score full and 0 at 0 (PF131 keeps the max whole)
    text = HEAD.format(total=10) + """input a: percent >= 0% and <= 100%
group G 10 {
  round 0 up
  indicator A 5 { score = a * 5 }
  indicator B 5 { score = a * 5 }
}
"""
    full = _both(text, {"a": "100%"})
    assert full["G"].score == 10 and full["G"].clamped is None and full["G"].reasons == []
    zero = _both(text, {"a": "0%"})
    assert zero["G"].score == 0 and zero["G"].reasons == []
    below = _both(text, {"a": "90.1%"})  # 9.01, away from 0: 10
    assert below["G"].score == 10
    assert below["G"].reasons_in("en") == ["9.01 rounded to 0 places: 10"]


def test_a_group_that_does_not_apply_counts_unrounded() -> None:
    text = HEAD.format(total=10) + """input a: percent >= 0% and <= 100%
input 有项目: bool
group G 5 {
  applies if 有项目 else full
  round 0
  indicator A 5 { score = a * 5 }
}
indicator H 5 { score = a * 5 }
"""
    assert _both(text, {"a": "91%", "有项目": False})["G"].score == 5
    assert _both(text, {"a": "91%", "有项目": True})["G"].score == 5  # 4.55 → 5
    assert _both(text, {"a": "89%", "有项目": True})["G"].score == 4  # 4.45 → 4


def test_nested_groups_round_at_each_level() -> None:
    text = HEAD.format(total=10) + """input a: percent >= 0% and <= 100%
group Top 10 {
  round 0
  group Inner 5 {
    round 1
    indicator A 5 { score = a * 5 }
  }
  indicator B 5 { score = a * 5 }
}
"""
    result = _both(text, {"a": "90.9%"})  # 4.545 → 4.5; + 4.545 = 9.045 → 9
    assert result["Inner"].score == Decimal("4.5")
    assert result["Top"].score == 9
    assert group_score(Decimal("9.045"), Decimal(10), None) == Decimal("9.045")


def test_fmt_round_trips_the_group_rounding() -> None:
    text = TWO.format(total=10, round="1 half_even")
    module, _ = parse(text)
    assert module is not None
    out = format_module(module)
    assert "group G 10 {\n  round 1 half_even\n  indicator A 5" in out
    again, _ = parse(out)
    assert again == module
    assert format_module(again) == out
    plain = format_module(parse(TWO.format(total=10, round="2 half_up"))[0])  # type: ignore[arg-type]  # parses
    assert "  round 2\n" in plain  # the default mode left unsaid


def _codes(text: str) -> list[str]:
    return [d.code for d in diagnose(text)]


def test_the_checker_holds_places_and_max() -> None:
    assert _codes(TWO.format(total=10, round="1")) == []
    assert "PF130" in _codes(TWO.format(total=10, round="11"))
    group = HEAD.format(total=2.5) + """input a: percent >= 0% and <= 100%
group G 2.5 {
  round 0
  indicator A 2.5 { score = a * 2.5 }
}
"""
    assert "PF131" in _codes(group)
    (found,) = [d for d in diagnose(group) if d.code == "PF131"]
    assert found.span.line == 4 and found.args["name"] == "G"


@pytest.mark.parametrize(("mode", "high"), [("floor", "9"), ("up", "10"), ("half_up", "10")])
def test_the_checker_ranges_are_the_rounded_ones(mode: str, high: str) -> None:
    # A scores 0 to 9.9: the group, rounded to whole points, reaches 9 (floor) or 10
    text = HEAD.format(total=10) + f"""input a: percent >= 0% and <= 99%
group G 10 {{{{
  round 0 {mode}
  indicator A 10 {{{{ score = a * 10 }}}}
}}}}
""".format()
    module, _ = parse(text)
    assert module is not None
    checked = check(module)
    analysis = _Analysis(module, checked.units, checked.let_order)
    analysis.run()
    group = module.top[0]
    assert analysis.node_range(group)[:2] == (Decimal(0), Decimal(high))
    assert loads(text, tests=False).evaluate({"a": "99%"})["G"].score == Decimal(high)  # reached


def test_the_sums_invariant_knows_the_rounding() -> None:
    # parent = round(sum of its parts): fuzz's `sums` check holds on a rounding group
    report = fuzz(loads(TWO.format(total=10, round="1"), tests=False), max_examples=40, seed=3)
    assert report.passed, [f.check for f in report.failures]
    assert group_score(Decimal("8.95"), Decimal(10), loads(TWO.format(total=10, round="1")).module.top[0]) == Decimal("9.0")  # type: ignore[arg-type]  # a group


def test_the_published_table_states_it() -> None:
    rubric = loads(TWO.format(total=10, round="1 half_even"))
    zh = render_markdown(build_table(rubric, "zh"))
    assert "G（10分，得分四舍六入五成双保留1位小数）" in zh
    en = render_markdown(build_table(rubric, "en"))
    assert "G (10; the score rounded half to even to 1 place)" in en


def test_sql_compiles_it() -> None:
    # issue 11: `pingfen sql` rounds a group's score (tests/test_sql_forms_last.py scores it on DuckDB)
    rubric = loads(TWO.format(total=10, round="1"), tests=False)
    for dialect in ("duckdb", "spark"):
        assert '"G"' in to_sql(rubric, dialect) or "`G`" in to_sql(rubric, dialect)


def test_diff_names_a_changed_group_rounding() -> None:
    before = loads(TWO.format(total=10, round="1"), tests=False)
    after = loads(TWO.format(total=10, round="2"), tests=False)
    changes = diff(before, after).changes
    assert [(c.node, c.part, c.old, c.new) for c in changes if c.part == ("rounding",)] == [
        ("G", ("rounding",), "round 1 half_up", "round 2 half_up")
    ]


def test_a_group_rounding_that_changes_nothing_is_noted() -> None:
    # every part already kept to at most the group's places: the sum never has more (PF132)
    parts = """input a: percent >= 0% and <= 100%
group G 10 {{
  round {group}
  indicator A 5 {{
    round 1
    score = a * 5
  }}
  indicator B 5 {{
    {b}
    score = a * 5
  }}
}}
"""
    head = HEAD.format(total=10)
    warned = [d for d in diagnose(head + parts.format(group=2, b="round 0")) if d.code == "PF132"]
    assert [(d.severity, d.span.line, d.args["name"]) for d in warned] == [("warning", 4, "G")]
    assert "PF132" not in _codes(head + parts.format(group=0, b="round 0"))  # A keeps 1 place: 4.5 + 4 → 9 (rounded)
    assert "PF132" not in _codes(head + parts.format(group=2, b=""))  # B unrounded: 4.545 and so on
    rescaled = head + parts.format(group=2, b="round 0").replace("    round 1\n", "    applies if a > 50% else rescale\n    round 1\n")
    assert "PF132" not in _codes(rescaled)  # a re-scaled sum divides

"""A declared score agrees with the rule's when it is that score as a self-evaluation writes it:
rounded half up to the rubric's total places, or to the declared number's own decimals where it
has more. 16.33 against the rule's exact 16.333… was a disagreement; 16 against it still is."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pingfen
from pingfen.audit import audit
from pingfen.report.audit import finding_text

RUBRIC = pingfen.loads(
    'rubric "舍入" {\n  total 20\n}\n'
    "input 分: list of score >= 0 and <= 10\n"
    "input 问题率: percent >= 0 and <= 100%\n"
    "input 乙: score\n"
    "group 组 20 {\n"
    "  indicator 甲 10 { score = mean(分) }\n"  # 8, 8, 9: 8.333…
    "  indicator 乙 10 { judgment }\n"
    "}\n"
    "adjust 加减 -2 .. +2 { deduct 1 per 3pp of 问题率 counting proportional }\n"  # 5%: -1.666…
)
PANEL = {"分": [8, 8, 9]}


def texts(declared: dict[str, object], inputs: dict[str, object] | None = None) -> list[str]:
    return [finding_text(f, "zh") for f in audit(RUBRIC, declared, inputs).findings]


@pytest.mark.parametrize("declared", ["8.33", "8.333", "8.3333", "8.333333333333333333"])
def test_agreed_at_the_declared_digits(declared: str) -> None:
    found = audit(RUBRIC, {"甲": declared}, PANEL)
    assert found.ok and found.agreed == ("甲",)


@pytest.mark.parametrize(("declared", "shown"), [("8.34", "8.34"), ("8.32", "8.32"), ("8.334", "8.334")])
def test_one_cent_off_is_a_finding_with_both_numbers(declared: str, shown: str) -> None:
    assert texts({"甲": declared}, PANEL) == [f"`甲`：自评 {shown} 分，按评分规则应得 8.33… 分（分 8、8、9）"]


@pytest.mark.parametrize("declared", ["8", "8.3"])
def test_fewer_decimals_than_the_total_s_places_are_compared_at_those_places(declared: str) -> None:
    """An integer (or one decimal) against a fraction: 8 is not 8.33, the rubric's two places."""
    assert texts({"甲": declared}, PANEL) == [f"`甲`：自评 {declared} 分，按评分规则应得 8.33… 分（分 8、8、9）"]


def test_a_workbook_s_trailing_zero_lost_is_no_finding() -> None:
    """A cell showing 8.50 arrives as 8.5, one decimal: the rule's 8.4999999666… is 8.50 all the same."""
    rubric = pingfen.loads('rubric "x" {\n  total 10\n}\ninput 分: list of score\nindicator 甲 10 { score = mean(分) }\n')
    assert audit(rubric, {"甲": Decimal("8.5")}, {"分": [Decimal("8.4999999"), Decimal("8.5"), Decimal("8.5")]}).ok


@pytest.mark.parametrize(("declared", "agrees"), [("-1.67", True), ("-1.667", True), ("-1.66", False), ("-1.7", False), ("-2", False)])
def test_a_negative_score_rounds_half_up_away_from_zero(declared: str, agrees: bool) -> None:
    found = audit(RUBRIC, {"加减": declared}, {"问题率": "5%"})
    assert found.ok is agrees, found.findings


@pytest.mark.parametrize(("declared", "rate", "agrees"), [("0", "0%", True), ("0", "0.004%", True), ("0.00", "0.004%", True),
                                                          ("0.01", "0.004%", False), ("0", "0.03%", False)])  # fmt: skip
def test_zero(declared: str, rate: str, agrees: bool) -> None:
    """0.004% takes 0.00133… points: 0 as written; 0.03% takes 0.01."""
    found = audit(RUBRIC, {"加减": declared}, {"问题率": rate})
    assert found.ok is agrees, found.findings


def test_a_group_s_sum_is_compared_alike() -> None:
    parts = {"甲": "3.333", "乙": "3.333"}  # 6.666
    assert audit(RUBRIC, {**parts, "组": "6.67"}).ok
    assert texts({**parts, "组": "6.66"}) == ["`组`：自评 6.66 分，下级指标得分合计 6.666 分（甲 3.333 + 乙 3.333）"]
    assert texts({**parts, "组": "7"}) == ["`组`：自评 7 分，下级指标得分合计 6.666 分（甲 3.333 + 乙 3.333）"]


@pytest.mark.parametrize(("total", "agrees"), [("6.67", True), ("6.670", True), ("6.666", False), ("6.7", False), ("7", False)])
def test_the_total_is_compared_as_the_rubric_rounds_it(total: str, agrees: bool) -> None:
    """The total was already rounded by the rubric (6.666 to 6.67): a total of other digits is a finding, as before."""
    found = audit(RUBRIC, {"甲": "3.333", "乙": "3.333", "加减": "0", "total": total})
    assert [f.kind for f in found.findings] == ([] if agrees else ["total"])


WHOLE = pingfen.loads(
    'rubric "整数" {\n  total 20\n  round total 0\n}\n'
    "input 率: percent >= 0 and <= 100%\ninput 乙: score\n"
    "indicator 甲 10 { score = 率 * 10 }\n"
    "indicator 乙 10 { judgment }\n"
)


def test_more_decimals_must_round_alike_at_the_total_s_places() -> None:
    """8.5 is 8.49 written to its own one decimal, but the rubric's whole places make 8.49 8 and
    8.5 9: no agreement (the total 14, the declared parts' sum, was let through with it)."""
    found = audit(WHOLE, {"甲": "8.5", "乙": "5", "total": "14"}, {"率": "84.9%", "乙": 5})
    assert [(f.kind, f.name) for f in found.findings] == [("rule", "甲")]


def test_a_third_decimal_that_tips_the_second_is_a_finding() -> None:
    rubric = pingfen.loads('rubric "x" {\n  total 20\n}\ninput 率: percent >= 0 and <= 100%\nindicator 甲 20 { score = 率 * 20 }\n')
    found = audit(rubric, {"甲": "16.335", "total": "16.34"}, {"率": "81.6745%"})  # 16.3349
    assert [(f.kind, f.name) for f in found.findings] == [("rule", "甲")]
    assert audit(rubric, {"甲": "16.3349", "total": "16.33"}, {"率": "81.6745%"}).ok
    assert audit(rubric, {"甲": "16.33", "total": "16.33"}, {"率": "81.6745%"}).ok


def test_a_total_of_parts_each_forgiven_their_rounding_is_the_rubric_s() -> None:
    """8 and 8 are 8.4 and 8.4 at whole places, but the rubric's total is 16.8, 17: 16 is a finding."""
    rubric = pingfen.loads(
        'rubric "x" {\n  total 20\n  round total 0\n}\ninput 率: percent >= 0 and <= 100%\n'
        "indicator 甲 10 { score = 率 * 10 }\nindicator 乙 10 { score = 率 * 10 }\n"
    )
    inputs = {"率": "84%"}
    found = audit(rubric, {"甲": "8", "乙": "8", "total": "16"}, inputs)
    assert found.agreed == ("甲", "乙") and [f.kind for f in found.findings] == ["total"]
    assert audit(rubric, {"甲": "8", "乙": "8", "total": "17"}, inputs).ok


def test_a_group_that_agrees_counts_as_its_exact_sum() -> None:
    """Groups of 8.4 each written 8 agree at whole places; their total is the rubric's 17, not 16."""
    rubric = pingfen.loads(
        'rubric "x" {\n  total 20\n  round total 0\n}\ninput 率: percent >= 0 and <= 100%\n'
        "group 一 10 {\n  indicator 甲 10 { score = 率 * 10 }\n}\ngroup 二 10 {\n  indicator 乙 10 { score = 率 * 10 }\n}\n"
    )
    declared = {"甲": "8", "乙": "8", "一": "8", "二": "8"}
    assert [f.kind for f in audit(rubric, {**declared, "total": "16"}, {"率": "84%"}).findings] == ["total"]
    assert audit(rubric, {**declared, "total": "17"}, {"率": "84%"}).ok

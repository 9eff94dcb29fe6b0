"""Issue 10's gaps in the new forms: a `below` veto with no grade under it (PF227), and
divisions by zero in every condition the new forms bring (PF410)."""

from __future__ import annotations

import pytest

import pingfen

# ---------------------------------------------------------------- 1. below the lowest grade

VETO = """\
rubric "否决" {
  total 10
  grade 优秀 >= 9
  grade 良好 >= 8
  grade 合格 otherwise
}
input 评价分: score
input 造假: bool
indicator 评价分 10 { judgment }
veto 数据造假 if 造假 -> below 合格
"""


def test_a_veto_below_the_lowest_grade_is_refused_with_a_caret_and_hint() -> None:
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(VETO, "veto.rule")
    (found,) = info.value.diagnostics
    assert found.code == "PF227" and found.severity == "error"
    assert VETO[found.span.start : found.span.end] == "合格"
    zh, en = found.render("zh"), found.render("en")
    assert "最低等次" in zh and "-> grade 合格" in zh and "-> zero" in zh
    assert "the lowest grade" in en and "-> grade 合格" in en


@pytest.mark.parametrize("grade", ["优秀", "良好"])
def test_a_veto_below_a_higher_grade_leaves_a_grade(grade: str) -> None:
    rubric = pingfen.loads(VETO.replace("below 合格", f"below {grade}"))
    result = rubric.evaluate({"评价分": 10, "造假": True})
    assert result.grade == ("良好" if grade == "优秀" else "合格")
    assert result == rubric.walker().evaluate(rubric.coerce({"评价分": 10, "造假": True}))


def test_the_lowest_grade_is_the_last_one_declared_even_with_a_threshold() -> None:
    text = VETO.replace("grade 合格 otherwise", "grade 合格 >= 0")
    assert [d.code for d in pingfen.diagnose(text, "x.rule")] == ["PF227"]


def test_a_veto_naming_no_grade_is_still_pf222() -> None:
    assert [d.code for d in pingfen.diagnose(VETO.replace("below 合格", "below 不及格"), "x.rule")] == ["PF222"]


# ---------------------------------------------------------------- 2. division by zero in conditions

DIVIDE = """\
rubric "除" {{
  total 10
  grade 优秀 >= 9{grade}
  grade 合格 otherwise
}}
input 完成数: count
input 计划数: count
input 评价分: score
indicator 评价分 10 {{{applies} judgment{guard} }}
{after}
"""
PLACES = {
    "grade": {"grade": " if 完成数 / 计划数 >= 90%"},
    "veto": {"after": "veto 否决 if 完成数 / 计划数 < 50% -> zero"},
    "veto below": {"after": "veto 否决 if 完成数 / 计划数 < 50% -> below 优秀"},
    "guard": {"guard": " if 完成数 / 计划数 >= 100%"},
    "applies": {"applies": " applies if 完成数 / 计划数 > 0% else full"},
    "if-then-else": {"guard": " }\nindicator 完成 0 { score = if 完成数 / 计划数 > 0% then 0 else 0"},
    "bonus": {"after": "bonus 加分 2 { award 2 if 完成数 / 计划数 > 100% }"},
    "bonus guard": {"after": "bonus 加分 2 { score = 2 if 完成数 / 计划数 > 100% }"},
    "penalty": {"after": "penalty 扣分 2 { deduct 2 if 完成数 / 计划数 < 100% }"},
}


def _divide(**parts: str) -> str:
    return DIVIDE.format(**({"grade": "", "applies": "", "guard": "", "after": ""} | parts))


@pytest.mark.parametrize("place", PLACES)
def test_a_division_by_zero_in_a_condition_is_pf410_on_the_divisor(place: str) -> None:
    text = _divide(**PLACES[place])
    found = [d for d in pingfen.diagnose(text, "x.rule") if d.severity == "error"]
    assert [d.code for d in found] == ["PF410"], place
    assert text[found[0].span.start : found[0].span.end] == "计划数"
    assert "declare the input with `> 0`" in found[0].render("en")


@pytest.mark.parametrize("place", PLACES)
def test_a_positive_divisor_passes_in_every_place(place: str) -> None:
    text = _divide(**PLACES[place]).replace("input 计划数: count", "input 计划数: count > 0")
    assert [d.code for d in pingfen.diagnose(text, "x.rule") if d.severity == "error"] == []


@pytest.mark.parametrize("place", ["grade", "veto"])
def test_a_guard_on_the_left_of_and_protects_a_veto_or_grade_condition(place: str) -> None:
    guarded = PLACES[place] | {k: v.replace("完成数 / 计划数", "计划数 > 0 and 完成数 / 计划数") for k, v in PLACES[place].items()}
    assert [d.code for d in pingfen.diagnose(_divide(**guarded), "x.rule") if d.severity == "error"] == []

"""Auditing what the inputs given do not settle: a bonus, penalty or adjust row neither
declared nor scored bounds the total to a range, and a veto or grade condition whose inputs
are not given bounds the grade from above."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pingfen
from pingfen.audit import audit
from pingfen.report.audit import render_audit

HEAD = """rubric "审计" {
  total 20
  grade 优秀 >= 18
  grade 良好 >= 16
  grade 差   otherwise
  cap total 22
}

input 执行率: percent >= 0
input 评价: score
input 创新成果: bool
input 违规例数: count

group 投入 10 {
  indicator 执行率指标 10 {
    bands 执行率 {
      >= 90% -> 10
      else   -> 0
    }
  }
}
group 产出 10 {
  indicator 评价 10 { judgment }
}
"""
BONUS = HEAD + "\nbonus 创新 2 { award 2 if 创新成果 }\n"
PENALTY = HEAD + "\npenalty 违规扣分 3 { deduct 1 per 违规例数 }\n"
ADJUST = HEAD + "\nadjust 加减分 -1 .. +2 { award 2 if 创新成果 }\n"
PARTS = {"执行率指标": 10, "投入": 10, "评价": 9, "产出": 9}


def kinds(text: str, declared: dict[str, object], inputs: dict[str, object] | None = None) -> list[tuple[object, ...]]:
    result = audit(pingfen.loads(text), declared, inputs)
    return [(f.kind, f.name, f.declared, f.expected, f.high) for f in result.findings]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [(BONUS, 19, 21), (PENALTY, 16, 19), (ADJUST, 18, 21)],
)
def test_a_total_outside_what_an_undeclared_outside_row_allows(text: str, low: int, high: int) -> None:
    """投入 10 + 产出 9 and a bonus 0–2 cannot make 12: the total is checked against the range."""
    assert kinds(text, {**PARTS, "total": 12}) == [("total_range", "total", 12, low, high)]
    for inside in range(low, high + 1):
        assert kinds(text, {**PARTS, "total": inside}) == []
    assert kinds(text, {**PARTS, "total": high + 1})[0][:3] == ("total_range", "total", high + 1)


def test_the_range_in_words_and_as_data() -> None:
    result = audit(pingfen.loads(BONUS), {**PARTS, "total": 12})
    assert render_audit(result).splitlines()[1] == (
        "不一致 总分：自评 12 分，各项得分合计应在 19 至 21 分之间（投入 10 + 产出 9；未申报：创新 0 至 2 分）")
    assert render_audit(result, "en").splitlines()[1] == (
        "disagreement total: declared 12, but the scores add up to 19 to 21 (投入 10 + 产出 9; not declared: 创新 0 to 2)")
    data = result.findings[0].to_dict()
    assert (data["expected"], data["high"], data["undeclared"]) == (19, 21, {"创新": [0, 2]})


def test_an_outside_row_scored_from_its_inputs_still_gives_one_total() -> None:
    assert kinds(BONUS, {**PARTS, "total": 20}, {"创新成果": False}) == [("total", "total", 20, 19, None)]
    assert kinds(BONUS, {**PARTS, "total": 21}, {"创新成果": True}) == []


VETO = BONUS + "\ninput 重大违规: bool\nveto 重大违规否决 if 重大违规 -> zero\n"
FORCED = BONUS + "\ninput 重大违规: bool\nveto 重大违规否决 if 重大违规 -> grade 差\n"
CONDITIONED = BONUS.replace("grade 优秀 >= 18", "grade 优秀 >= 18 if 评价 >= 9")
LOW = {"执行率指标": 5, "投入": 5, "评价": 6, "产出": 6, "创新": 0, "total": 11}


@pytest.mark.parametrize("text", [VETO, FORCED, CONDITIONED])
def test_a_grade_above_what_the_total_allows_whatever_a_condition_says(text: str) -> None:
    """A veto or a grade's condition can only lower the grade: 11 is never 优秀."""
    assert kinds(text, {**LOW, "grade": "优秀"}) == [("grade_above", "grade", "优秀", "差", None)]
    assert kinds(text, {**LOW, "grade": "差"}) == []


def test_a_grade_lower_than_the_bands_give_may_be_a_condition_not_known() -> None:
    high = {"执行率指标": 10, "投入": 10, "评价": 9, "产出": 9, "创新": 0, "total": 19}
    for text in (VETO, FORCED, CONDITIONED):
        assert kinds(text, {**high, "grade": "差"}) == []
        assert kinds(text, {**high, "grade": "优秀"}) == []
    assert kinds(BONUS, {**high, "grade": "差"}) == [("grade", "grade", "差", "优秀", None)]  # nothing unknown


def test_a_grade_above_in_words() -> None:
    result = audit(pingfen.loads(VETO), {**LOW, "grade": "优秀"})
    assert render_audit(result).splitlines()[1] == (
        "不一致 评价等次：自评“优秀”，总分 11 分按评价等次至多为“差”（一票否决或等次条件的输入未全部给出）")
    assert render_audit(result, "en").splitlines()[1] == (
        "disagreement grade: declared 优秀, but a total of 11 is graded 差 at best "
        "(the inputs of a veto or grade condition are not all given)")


def test_a_zero_veto_not_known_may_explain_a_total_of_0() -> None:
    assert kinds(VETO, {**LOW, "total": 0, "grade": "差"}) == []
    assert kinds(VETO, {**LOW, "total": 0, "grade": "差"}, {"重大违规": False})[0][:4] == ("total", "total", 0, 11)
    assert kinds(VETO, {**LOW, "total": 11, "grade": "差"}, {"重大违规": True})[0][:4] == ("total", "total", 11, 0)


def test_the_range_is_exact() -> None:
    assert kinds(BONUS, {**PARTS, "total": Decimal("18.99")})[0][:3] == ("total_range", "total", Decimal("18.99"))
    assert kinds(BONUS, {**PARTS, "total": Decimal("20.5")}) == []


UNGRADED = HEAD.replace("  grade 优秀 >= 18\n  grade 良好 >= 16\n  grade 差   otherwise\n", "")


def test_a_grade_declared_where_the_rubric_has_no_grades_is_not_checked_and_said_so() -> None:
    """A rubric without grade bands grades nothing: a declared 评价等次 is no disagreement (it
    said 总分按评价等次应为“None”), but the audit says it did not check it."""
    assert "grade" not in UNGRADED
    result = audit(pingfen.loads(UNGRADED), {**PARTS, "total": 19, "grade": "90"})
    assert result.ok and result.ungraded == "90"
    assert render_audit(result).splitlines()[1:] == [
        "评价等次未复核：评分表未设评价等次（自评“90”）",
        "自评得分与评分表一致；按规则复核 0 项指标（0 项一致），2 项缺少输入未复核（缺少输入项 执行率、评价）",
    ]
    assert render_audit(result, "en").splitlines()[1] == "grade not checked: the rubric has no grades (declared 90)"
    assert result.to_dict()["grade_not_checked"] == "90"
    assert "grade_not_checked" not in audit(pingfen.loads(UNGRADED), PARTS).to_dict()
    assert kinds(UNGRADED, {**PARTS, "total": 12, "grade": "优秀"}) == [("total", "total", 12, 19, None)]

"""The published table states a 一票否决 even when the rubric has no grades (a `-> zero` veto
needs none): it used to go unstated, with the empty grades sentence."""

from __future__ import annotations

import io
from pathlib import Path

from pingfen.cli import main

RULE = """rubric "否决" {
  total 10
}

input 率: percent >= 0 and <= 100%
input 重大违规: bool

indicator 完成率 10 {
  score = 率 * 10
}

veto 发生重大违规 if 重大违规 -> zero
"""


def test_a_zero_veto_without_grades_is_stated_in_the_table(tmp_path: Path) -> None:
    rule = tmp_path / "r.rule"
    rule.write_text(RULE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["render", str(rule), "--format", "md"], out, err) == 0, err.getvalue()
    assert "一票否决：发生重大违规" in out.getvalue()
    assert "总分计0分" in out.getvalue()


# ---------------------------------------------------------------- -> below: that grade and those above

BELOW = """rubric "否决" {
  total 10
  grade 优秀 >= 9
  grade 良好 >= 8
  grade 差   otherwise
}

input 率: percent >= 0 and <= 100%
input 未整改: bool
input 重大违规: bool

indicator 完成率 10 {
  score = 率 * 10
}

veto 存在未整改问题 if 未整改 -> below 良好
veto 发生重大违规 if 重大违规 -> below 优秀
"""


def test_a_below_veto_says_the_grades_above_are_barred_too(tmp_path: Path) -> None:
    """`-> below 良好` bars 优秀 too: 不得评为良好 said 优秀 was still open to the unit, as the
    English (not graded 良好 or above) did not. Of the highest grade, as tables say it."""
    import pingfen
    from pingfen.report.rubric_table import build_table

    rubric = pingfen.loads(BELOW, "below.rule", tests=False)
    grades = build_table(rubric, "zh").grades
    assert "一票否决：存在未整改问题（未整改）的，不得评为良好及以上" in grades
    assert "一票否决：发生重大违规（重大违规）的，不得评为优秀。" in grades
    assert "veto 存在未整改问题 (未整改): not graded 良好 or above" in build_table(rubric, "en").grades
    result = rubric.evaluate({"率": 1, "未整改": True, "重大违规": False})
    assert (result.total, result.grade) == (10, "差")
    assert [v.text("zh") for v in result.vetoes()] == ["一票否决：存在未整改问题，不得评为良好及以上"]
    assert [v.text("en") for v in result.vetoes()] == ["veto: 存在未整改问题: not graded 良好 or above"]
    both = rubric.evaluate({"率": 1, "未整改": True, "重大违规": True})
    assert [v.text("zh") for v in both.vetoes()][1] == "一票否决：发生重大违规，不得评为优秀"


def test_the_words_read_back_as_the_same_veto(tmp_path: Path) -> None:
    from pingfen.gradeline import _VETO_ACTION

    for said, grade in (("不得评为良好及以上", "良好"), ("不得评为优秀", "优秀"), ("不得评为良好及以上等次", "良好")):
        found = _VETO_ACTION.match(said)
        assert found is not None and found["below"] == grade

"""`pingfen test`, a total that fails: the line naming where the points went listed a row
that does not apply (re-scaled away, it lost nothing) as `项目完成 0/5` and a 扣分项 that took
2 points as `违规扣分 8/10`. Now each row is named by what it gave of what full marks mean
for it: 不适用 (N/A) re-scaled away, `0/5（不适用）` counted as 0, a 扣分项 `-2`, a 加分项 or
加减分项 that did not give its most `0/2`; a group that does not apply once."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
from pingfen.lang import Lang
from pingfen.testrun import render_failures, run_examples

RULE = """rubric "示例" { total 10 }
input 有项目: bool
input 完成率: percent >= 0
input 满意度: percent >= 0 and <= 100%
input 问题数: count
input 创新: bool

group 管理 10 {
  indicator 项目完成 5 {
    applies if 有项目 else rescale
    deduct 1 per 10pp of 完成率 below 100% counting proportional
  }
  indicator 满意 5 { score = 满意度 * 5 }
}

bonus 创新加分 2 { award 1 if 创新 }
penalty 违规扣分 10 { deduct 2 per 问题数 }

example "无项目" {
  given { 有项目: 否, 完成率: 50%, 满意度: 80%, 问题数: 1, 创新: 否 }
  expect total = 1
}
"""


@pytest.mark.parametrize(("lang", "line"), [
    ("zh", "      失分的指标：项目完成 不适用，满意 4/5，创新加分 0/2，违规扣分 -2"),
    ("en", "      below full marks: 项目完成 N/A, 满意 4/5, 创新加分 0/2, 违规扣分 -2"),
])  # fmt: skip
def test_rows_that_do_not_apply_and_penalties(tmp_path: Path, lang: Lang, line: str) -> None:
    path = tmp_path / "a.rule"
    path.write_text(RULE, encoding="utf-8")
    run = run_examples(pingfen.load(str(path)), lang=lang)
    [outcome] = run.failed
    [failure] = outcome.failures
    assert failure.actual == "6"  # 4 of 5 re-scaled to 8 of 10, less the 扣分项's 2
    assert line in render_failures(run, lang).splitlines()


@pytest.mark.parametrize(("lang", "line"), [
    ("zh", "  记录被拒绝：PF540: `甲`：`trimmed_mean(评分)` 至少需要 3 个评分"),
    ("en", "  the record was refused: PF540: `甲`: `trimmed_mean(评分)` needs at least 3 values"),
])  # fmt: skip
def test_a_refused_record_in_the_run_language(tmp_path: Path, lang: Lang, line: str) -> None:
    """The Chinese line was `记录被拒绝: PF540…`, an ASCII colon after Chinese words."""
    path = tmp_path / "r.rule"
    path.write_text(
        'rubric "r" { total 10 }\ninput 评分: list of score <= 10\nindicator 甲 10 { score = trimmed_mean(评分) }\n'
        'example "e" {\n  given { 评分: "8, 9" }\n  expect 甲 = 5\n}\n',
        encoding="utf-8",
    )
    run = run_examples(pingfen.load(str(path)), lang=lang)
    assert line in render_failures(run, lang).splitlines()


ROWS = """rubric "示例" { total 20 }
input 有项目: bool
input 有子项: bool
input 满意度: percent >= 0 and <= 100%
input 问题数: count
input 创新: bool
input 加: count
input 减: count

group 管理 10 {
  indicator 项目完成 5 {
    applies if 有项目 else zero
    score = 5
  }
  indicator 满意 5 { score = 满意度 * 5 }
}
group 子 10 {
  applies if 有子项 else rescale
  indicator 子一 5 { score = 5 }
  indicator 子二 5 { score = 满意度 * 5 }
}

bonus 创新加分 2 { award 1 if 创新 }
penalty 违规扣分 10 { deduct 2 per 问题数 }
adjust 加减分 -3 .. +3 { award 1 if 加 > 0  deduct 1 per 减 }

example "全" {
  given { 有项目: 否, 有子项: 否, 满意度: 80%, 问题数: 0, 创新: 是, 加: 1, 减: 0 }
  expect total = 1
  expect 管理 = 1
}
example "减" {
  given { 有项目: 是, 有子项: 是, 满意度: 80%, 问题数: 1, 创新: 否, 加: 0, 减: 2 }
  expect total = 1
}
"""


def _lines(tmp_path: Path, text: str, run_lang: Lang, lang: Lang) -> list[str]:
    path = tmp_path / "a.rule"
    path.write_text(text, encoding="utf-8")
    return render_failures(run_examples(pingfen.load(str(path)), lang=run_lang), lang).splitlines()


@pytest.mark.parametrize(("lang", "total", "group", "signed"), [
    ("zh", "      失分的指标：项目完成 0/5（不适用），满意 4/5，子 不适用，创新加分 +1/2，加减分 +1/3",
     "      失分的指标：项目完成 0/5（不适用），满意 4/5",
     "      失分的指标：满意 4/5，子二 4/5，创新加分 0/2，违规扣分 -2，加减分 -2/3"),
    ("en", "      below full marks: 项目完成 0/5 (N/A), 满意 4/5, 子 N/A, 创新加分 +1/2, 加减分 +1/3",
     "      below full marks: 项目完成 0/5 (N/A), 满意 4/5",
     "      below full marks: 满意 4/5, 子二 4/5, 创新加分 0/2, 违规扣分 -2, 加减分 -2/3"),
])  # fmt: skip
def test_each_row_by_what_it_gave(tmp_path: Path, lang: Lang, total: str, group: str, signed: str) -> None:
    """`else zero` lost its 5 (it was shown as 不适用 alone), a group re-scaled away is named once
    (it was each of its parts), a 加分项 or 加减分项 short of its most is named (it was left out)."""
    lines = _lines(tmp_path, ROWS, lang, lang)
    assert total in lines and group in lines and signed in lines


@pytest.mark.parametrize(("lang", "line"), [("zh", "      失分的指标：创新加分 0/2"), ("en", "      below full marks: 创新加分 0/2")])
def test_a_bonus_alone_is_named_not_called_a_deduction(tmp_path: Path, lang: Lang, line: str) -> None:
    """With only a 加分项 short, the block fell back to `扣分原因：创新加分: 未满足…`: a bonus
    called 扣分, with an ASCII colon in Chinese."""
    text = """rubric "示例" { total 10 }
input 满意度: percent >= 0 and <= 100%
input 创新: bool
indicator 满意 10 { bands 满意度 { >= 90% -> 10 else -> 0 } }
bonus 创新加分 2 { award 2 if 创新 }
example "e" {
  given { 满意度: 95%, 创新: 否 }
  expect total = 12
}
"""
    lines = _lines(tmp_path, text, lang, lang)
    assert line in lines
    assert not [x for x in lines if "扣分原因" in x or "reason:" in x]


@pytest.mark.parametrize(("lang", "line"), [("zh", "      失分的指标：无"), ("en", "      below full marks: none")])
def test_a_total_at_full_marks_says_none_lost(tmp_path: Path, lang: Lang, line: str) -> None:
    text = 'rubric "示例" { total 10 }\ninput 创新: bool\nindicator 甲 10 { award 10 if 创新 }\n'
    text += 'example "e" {\n  given { 创新: 是 }\n  expect total = 9\n}\n'
    assert line in _lines(tmp_path, text, lang, lang)


def test_rendered_in_its_own_language_whatever_the_run_language(tmp_path: Path) -> None:
    """A run in 中文 rendered in English showed `项目完成 不适用`: the word was fixed at the run."""
    lines = _lines(tmp_path, RULE, "zh", "en")
    assert "      below full marks: 项目完成 N/A, 满意 4/5, 创新加分 0/2, 违规扣分 -2" in lines
    assert "      失分的指标：项目完成 不适用，满意 4/5，创新加分 0/2，违规扣分 -2" in _lines(tmp_path, RULE, "en", "zh")


VETOED = """rubric "示例" {
  total 10
  grade 优秀 >= 9
  grade 合格 otherwise
}
input 满意度: percent >= 0 and <= 100%
input 违规: bool

indicator 满意 10 { score = 满意度 * 10 }

veto 重大违规 if 违规 -> zero

example "违规" {
  given { 满意度: 100%, 违规: 是 }
  expect total = 10
  expect grade = 优秀
}
"""


@pytest.mark.parametrize(("lang", "veto", "none"), [
    ("zh", "      一票否决：重大违规，总分计0分", "失分的指标：无"),
    ("en", "      veto: 重大违规: the total is 0", "below full marks: none"),
])  # fmt: skip
def test_a_total_a_veto_took_names_the_veto_not_none_lost(tmp_path: Path, lang: Lang, veto: str, none: str) -> None:
    # A zero veto took every point while each row lost none: "none lost" said the opposite
    # of what happened. The veto that held is named, under the total and under the grade.
    path = tmp_path / "v.rule"
    path.write_text(VETOED, encoding="utf-8")
    run = run_examples(pingfen.load(str(path)), lang=lang)
    lines = render_failures(run, lang).splitlines()
    assert lines.count(veto) == 2, lines  # once for the total, once for the grade
    assert not any(none in line for line in lines), lines


BARRED = VETOED.replace("veto 重大违规 if 违规 -> zero", "veto 重大违规 if 违规 -> below 优秀").replace(
    "expect total = 10", "expect total = 9")


def test_a_veto_of_the_grade_is_named_under_the_grade_alone(tmp_path: Path) -> None:
    """A `below` veto leaves the total as it is: under a failing total it is not named, and the
    line of rows below full marks is said as ever (`无`); under the grade it is."""
    path = tmp_path / "b.rule"
    path.write_text(BARRED, encoding="utf-8")
    run = run_examples(pingfen.load(str(path)), lang="zh")
    lines = render_failures(run, "zh").splitlines()
    at = next(i for i, line in enumerate(lines) if "总分：预期 9" in line)
    assert lines[at + 1] == "      失分的指标：无", lines
    grade = next(i for i, line in enumerate(lines) if "评价等次：预期 优秀" in line)
    assert lines[grade + 1] == "      一票否决：重大违规，不得评为优秀", lines


@pytest.mark.parametrize(("lang", "reason"), [("zh", "一票否决：重大违规，总分计0分"), ("en", "veto: 重大违规: the total is 0")])
def test_the_json_names_the_veto_the_text_names(tmp_path: Path, lang: Lang, reason: str) -> None:
    """`pingfen test --format json` had no veto: a total of 0 against 10 with no reason and no
    row short. Each failure now carries `vetoes`, those the text names under it."""
    path = tmp_path / "v.rule"
    path.write_text(VETOED, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["test", "--format", "json", "--lang", lang, str(path)], out, err) == 1
    total, grade = json.loads(out.getvalue())["files"][0]["examples"][0]["failures"]
    veto = {"name": "重大违规", "action": "zero", "grade": None, "reason": reason}
    assert total["vetoes"] == [veto] and grade["vetoes"] == [veto]


def test_the_json_of_a_grade_veto_is_under_the_grade_alone(tmp_path: Path) -> None:
    path = tmp_path / "b.rule"
    path.write_text(BARRED, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["test", "--format", "json", str(path)], out, err) == 1
    total, grade = json.loads(out.getvalue())["files"][0]["examples"][0]["failures"]
    assert total["vetoes"] == []  # a `below` veto leaves the total as it is
    assert grade["vetoes"] == [{"name": "重大违规", "action": "below", "grade": "优秀", "reason": "一票否决：重大违规，不得评为优秀"}]


NEUTRAL = """rubric "示例" { total 10 }
input 满意度: percent >= 0 and <= 100%
input 加: count
input 减: count
indicator 满意 10 { score = 满意度 * 10 }
adjust 加减分 -3 .. +3 { award 1 if 加 > 0  deduct 1 per 减 }
example "e" {
  given { 满意度: 80%, 加: 0, 减: 0 }
  expect total = 9
}
"""


@pytest.mark.parametrize(("lang", "line"), [("zh", "      失分的指标：满意 8/10"), ("en", "      below full marks: 满意 8/10")])
def test_a_neutral_adjust_row_is_not_named(tmp_path: Path, lang: Lang, line: str) -> None:
    """An adjust row that gave and took nothing was listed as `加减分 0/3`: it lost nothing."""
    lines = _lines(tmp_path, NEUTRAL, lang, lang)
    assert line in lines, lines
    assert not [x for x in lines if "加减分" in x], lines


def test_a_failing_row_of_a_group_that_does_not_apply_is_told_why() -> None:
    """`第 N 行 项目完成：预期 5，实际 0` and nothing more: the row's own reasons are none, the
    group above it does not apply. The group's reason is said under it now."""
    text = """rubric "示例" { total 10 }
input 有项目: bool
input 完成率: percent >= 0
input 满意度: percent >= 0 and <= 100%
group 项目 5 {
  applies if 有项目 else zero
  indicator 项目完成 5 { deduct 1 per 10pp of 完成率 below 100% counting proportional }
}
indicator 满意 5 { score = 满意度 * 5 }
example "无项目" {
  given { 有项目: 否, 完成率: 100%, 满意度: 100% }
  expect 项目完成 = 5
}
"""
    found = run_examples(pingfen.loads(text, "t.rule"), lang="zh")
    ((failure,),) = [o.failures for o in found.failed]
    assert failure.actual == "0" and failure.reasons and failure.reasons[0].startswith("项目：不适用")
    assert "项目：不适用" in render_failures(found, "zh")
    english = run_examples(pingfen.loads(text, "t.rule"), lang="en").failed[0].failures[0]
    assert english.reasons[0].startswith("项目: ")

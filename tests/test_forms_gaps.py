"""Issue 10's gaps in the new forms: a `below` veto with no grade under it (PF227);
divisions by zero in every condition the new forms bring (PF410); the fuzz grade check
with vetoes and grades' own conditions; coverage of 不适用, vetoes, grade conditions and
if-then-else; reasons that show each expert's score."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen import fuzz, values
from pingfen.coverage import Coverage, parts, render_text, to_json, trace
from pingfen.report.docx import write_docx
from pingfen.report.html import render_html
from pingfen.report.markdown import render_markdown
from pingfen.report.table import render_table
from pingfen.report.xlsx import write_xlsx
from pingfen.result import Result
from test_forms_outside import VETOES

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


# ---------------------------------------------------------------- 3. fuzz: the grade with vetoes and conditions

# test_forms_outside's 一票否决 rubric with the unrectified-problems veto barring 良好 and above
GRADED = VETOES.replace("-> below 优秀", "-> below 良好")
assert GRADED != VETOES


def _ignores(action: str) -> Callable[..., str | None]:
    """`values.graded` with one kind of veto forgotten: the planted bug."""

    def wrong(total: Decimal, grades: tuple, holds: tuple, below: tuple, forced: tuple) -> str | None:  # type: ignore[type-arg]
        if action == "below":
            below = tuple(None for _ in below)
        elif action == "grade":
            forced = tuple(None for _ in forced)
        else:  # the grade's own conditions
            holds = tuple(True for _ in holds)
        return values.graded(total, grades, holds, below, forced)

    return wrong


def test_fuzz_holds_a_rubric_with_vetoes_and_grade_conditions_to_its_grades() -> None:
    report = fuzz.fuzz(pingfen.loads(GRADED), max_examples=60)
    assert report.passed and "grade" in report.checks


@pytest.mark.parametrize("action", ["below", "grade", "condition"])
@pytest.mark.parametrize("evaluator", ["codegen", "walker"])
def test_fuzz_finds_a_wrong_grade_step_in_either_evaluator(
    monkeypatch: pytest.MonkeyPatch, evaluator: str, action: str
) -> None:
    monkeypatch.setattr(f"pingfen.evaluate.{evaluator}.graded", _ignores(action))
    rubric = pingfen.loads(GRADED)  # compiled after the patch: the generated code holds the wrong step
    report = fuzz.fuzz(rubric, max_examples=100)
    assert [f.check for f in report.failures] == ["grade"]
    failure = report.failures[0]
    who = "compiled" if evaluator == "codegen" else "walker"
    assert f"({who};" in failure.message
    (record,) = failure.records
    shown = rubric.evaluate(record) if evaluator == "codegen" else rubric.walker().evaluate(rubric.coerce(record))
    assert shown.grade != fuzz.expected_grade(rubric.module.header.grades, shown.total, fuzz._decided(rubric, record))  # type: ignore[arg-type,union-attr]


def test_fuzz_finds_a_zero_veto_the_evaluator_forgot(monkeypatch: pytest.MonkeyPatch) -> None:
    """A veto that is not listed (and whose zero is not applied) is caught by the sums and grade checks."""
    rubric = pingfen.loads(GRADED)
    real = rubric.evaluate

    def forgetful(record: dict[str, object], **kw: object) -> Result:
        return real({**record, "重大违规": False}, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(rubric, "evaluate", forgetful)
    found = [f.check for f in fuzz.fuzz(rubric, max_examples=60).failures]
    assert "sums" in found and "grade" in found


def test_the_expected_grade_reads_the_words() -> None:
    header = pingfen.loads(GRADED).module.header
    assert header is not None
    veto = {v.name.text: v for v in pingfen.loads(GRADED).module.vetoes}
    none = fuzz._Decided((), (True, True, True, True))
    assert fuzz.expected_grade(header.grades, Decimal(95), none) == "优秀"
    assert fuzz.expected_grade(header.grades, Decimal(95), fuzz._Decided((), (False, True, True, True))) == "良好"
    below = fuzz._Decided((veto["存在未整改问题"],), (True,) * 4)
    assert fuzz.expected_grade(header.grades, Decimal(95), below) == "合格"
    forced = fuzz._Decided((veto["存在未整改问题"], veto["数据造假"]), (True,) * 4)
    assert fuzz.expected_grade(header.grades, Decimal(95), forced) == "不合格"


# ---------------------------------------------------------------- 4. coverage of the new forms

APPLIES = """\
rubric "项目" {
  total 20
}
input 有项目: bool
input 完成率: percent >= 0 and <= 100%
input 到位率: percent >= 0 and <= 100%
input 会议类型: label { 大型会议, 小型会议 }
let 权重 = if 会议类型 = 大型会议 then 2 else 1
group 项目管理 10 {
  applies if 有项目 else full
  indicator 项目完成率 10 {
    applies else rescale
    score = 完成率 * 10
  }
}
indicator 到位 10 {
  score = min(到位率 * 5 * 权重, 10)
}
"""
APPLIES_RECORD = {"有项目": True, "完成率": "95%", "到位率": "90%", "会议类型": "大型会议"}


def _coverage(text: str, records: list[dict[str, object]]) -> Coverage:
    rubric = pingfen.loads(text, "gaps.rule")
    return Coverage.of(rubric, [trace(rubric, record)[1] for record in records])


def _branches(cov: Coverage) -> dict[tuple[str, str], int]:
    """(part title, branch label in English) → hits."""
    return {(p.title(), it.label()): cov.count(p.name, it.key) for p in cov.parts for it in p.items}


def test_coverage_counts_each_way_a_row_may_apply_or_not() -> None:
    cov = _coverage(APPLIES, [APPLIES_RECORD])
    found = _branches(cov)
    assert found[("项目管理", "applies if 有项目: applies")] == 1
    assert found[("项目管理", "applies if 有项目: does not apply: its condition fails")] == 0
    # the group reads no input the data may mark (有项目 is read outside it too): no such branch
    assert ("项目管理", "applies if 有项目: does not apply: marked 不适用 in the data") not in found
    assert found[("项目完成率", "applies: applies")] == 1
    assert found[("项目完成率", "applies: does not apply: marked 不适用 in the data")] == 0
    assert ("项目完成率", "applies: does not apply: its condition fails") not in found  # it has no condition
    assert [p.kind for p in cov.parts if p.name == "项目管理"] == ["group"]
    more = [APPLIES_RECORD | {"有项目": False}, APPLIES_RECORD | {"完成率": "不适用"}]
    found = _branches(_coverage(APPLIES, [APPLIES_RECORD, *more]))
    assert found[("项目管理", "applies if 有项目: does not apply: its condition fails")] == 1
    assert found[("项目完成率", "applies: does not apply: marked 不适用 in the data")] == 1
    assert found[("项目完成率", "applies: applies")] == 1  # where 有项目 fails, the group's part is not walked


def test_coverage_reports_the_row_not_covered_in_both_languages() -> None:
    cov = _coverage(APPLIES, [APPLIES_RECORD])
    en, zh = render_text([cov], "en"), render_text([cov], "zh")
    assert "not covered: line 10  applies if 有项目: does not apply: its condition fails" in en
    assert "未覆盖: 第10行  applies if 有项目: 不适用：适用条件不成立" in zh
    assert "未覆盖: 第12行  applies: 不适用：数据标为不适用" in zh
    data = to_json([cov])
    kinds = {p["name"]: p["kind"] for p in data["files"][0]["parts"]}
    assert kinds["项目管理"] == "group" and kinds["到位"] == "indicator" and kinds[None] == "conditions"


def test_coverage_counts_if_then_else_both_ways_even_in_a_let() -> None:
    cov = _coverage(APPLIES, [APPLIES_RECORD])
    found = _branches(cov)
    key = "if … then … else"
    assert found[(key, "if 会议类型 = 大型会议 then 2 else 1: then (the condition holds)")] == 1
    assert found[(key, "if 会议类型 = 大型会议 then 2 else 1: else (the condition fails)")] == 0
    assert "未覆盖: 第8行  if 会议类型 = 大型会议 then 2 else 1: 条件不成立（取 else）" in render_text([cov], "zh")
    cov = _coverage(APPLIES, [APPLIES_RECORD, APPLIES_RECORD | {"会议类型": "小型会议"}])
    assert _branches(cov)[(key, "if 会议类型 = 大型会议 then 2 else 1: else (the condition fails)")] == 1


def test_coverage_counts_vetoes_and_grade_conditions() -> None:
    clean = {"完成率": "95%", "满意度": "95%", "重大违规": False, "未整改问题数": 0, "数据造假": False}
    cov = _coverage(GRADED, [clean])
    found = _branches(cov)
    assert found[("grades", "grade 优秀 if 满意度 >= 90%: its condition holds")] == 1
    assert found[("grades", "grade 优秀 if 满意度 >= 90%: its condition fails")] == 0
    assert found[("vetoes", "veto 发生重大违规 if 重大违规: does not hold")] == 1
    assert found[("vetoes", "veto 发生重大违规 if 重大违规: holds (vetoed)")] == 0
    zh = render_text([cov], "zh")
    assert "一票否决" in zh and "未覆盖: 第19行  veto 发生重大违规 if 重大违规: 成立（否决）" in zh
    assert "grade 优秀 if 满意度 >= 90%: 条件不成立" in zh
    everything = [clean | {"满意度": "80%", "重大违规": True, "未整改问题数": 1, "数据造假": True}, clean]
    cov = _coverage(GRADED, everything)
    assert all(n for (title, _), n in _branches(cov).items() if title == "vetoes")


@pytest.mark.parametrize("text", [APPLIES, GRADED])
def test_every_event_the_walker_reports_is_a_branch(text: str) -> None:
    """A branch whose key the walker never reports would be counted as never taken, and an
    event with no branch would be lost: the new events and the branches match."""
    rubric = pingfen.loads(text)
    keys = {(p.name, it.key) for p in parts(rubric) for it in p.items}
    records = (
        [APPLIES_RECORD, APPLIES_RECORD | {"有项目": False}, APPLIES_RECORD | {"完成率": "不适用", "会议类型": "小型会议"}]
        if text is APPLIES
        else [{"完成率": "95%", "满意度": s, "重大违规": b, "未整改问题数": n, "数据造假": b}
              for s, b, n in (("95%", False, 0), ("50%", True, 2))]
    )  # fmt: skip
    events = {event for record in records for event in trace(rubric, record)[1]}
    assert events <= keys
    if text is GRADED:  # the two records take every veto and grade condition both ways
        assert {key for key in keys - events if key[1][0] != "grade"} == set()


# ---------------------------------------------------------------- 5. reasons show each expert's score

PANELS = """\
rubric "专家评审" {
  total 40
}

input 专家评分: list of 5 score >= 0 and <= 10
input 方案评分: list of score >= 0 and <= 10
input 满意度: list of percent >= 0 and <= 100%

let 评审均分 = mean(方案评分)

indicator 专家评审 10 {
  score = trimmed_mean(专家评分)
}

indicator 方案论证 10 {
  bands median(方案评分) {
    >= 9   -> 10
    [6, 9) -> 6
    else   -> 0
  }
}

indicator 加权 10 {
  score = min(评审均分 * 2, 10)
}

indicator 满意度 10 {
  deduct 1 per 1pp of max(满意度) below 100%
}
"""
EXPERTS = {"专家评分": [8, 9, 7, 10, 9], "方案评分": [5, 6], "满意度": ["97%", "95%"]}


@pytest.fixture(scope="module")
def panels() -> pingfen.Rubric:
    return pingfen.loads(PANELS, "panels.rule")


def _said(rubric: pingfen.Rubric, record: dict[str, object], lang: str) -> dict[str, list[str]]:
    compiled = rubric.evaluate(record)
    walked = rubric.walker().evaluate(rubric.coerce(record))
    assert compiled == walked  # the generated code and the walker give the same reasons
    return {n.name: n.reasons_in(lang) for n in compiled.nodes()}  # type: ignore[arg-type]


def test_a_trimmed_mean_names_every_score_and_what_was_dropped(panels: pingfen.Rubric) -> None:
    zh, en = _said(panels, EXPERTS, "zh"), _said(panels, EXPERTS, "en")
    assert zh["专家评审"] == ["专家评分 8、9、7、10、9，去掉最高分 10 和最低分 7，平均 8.67，得 8.67 分（满分 10）"]
    assert en["专家评审"] == ["专家评分 8, 9, 7, 10, 9: without the highest 10 and the lowest 7, the mean is 8.67: 8.67 of 10"]


def test_every_digit_up_to_six_places_as_for_other_values(panels: pingfen.Rubric) -> None:
    zh = _said(panels, EXPERTS | {"专家评分": ["8.5", "9.125", "7", "10"]}, "zh")
    assert zh["专家评审"] == ["专家评分 8.5、9.125、7、10，去掉最高分 10 和最低分 7，平均 8.8125，得 8.8125 分（满分 10）"]
    zh = _said(panels, EXPERTS | {"专家评分": ["8.5", "9.25", "7", "10", "9.125"]}, "zh")  # 26.875 ÷ 3: 2 places
    assert zh["专家评审"] == ["专家评分 8.5、9.25、7、10、9.125，去掉最高分 10 和最低分 7，平均 8.96，得 8.96 分（满分 10）"]


def test_a_median_band_names_the_scores(panels: pingfen.Rubric) -> None:
    assert _said(panels, EXPERTS, "zh")["方案论证"] == ["方案评分 5、6，中位数 5.5，属于其他档，得 0 分（满分 10）"]
    assert _said(panels, EXPERTS, "en")["方案论证"] == ["方案评分 5, 6: the median is 5.5, in none of the bands: 0 of 10"]


def test_a_panel_read_through_a_let_is_shown_before_the_formula(panels: pingfen.Rubric) -> None:
    assert _said(panels, EXPERTS, "zh")["加权"] == []  # full marks: no reason to give
    said = _said(panels, EXPERTS | {"方案评分": [3, 4]}, "zh")["加权"]
    assert said == ["方案评分 3、4，平均 3.5；按 min(评审均分 * 2, 10) 计得 7 分（满分 10）"]
    en = _said(panels, EXPERTS | {"方案评分": [3, 4]}, "en")["加权"]
    assert en == ["方案评分 3, 4: the mean is 3.5; min(评审均分 * 2, 10) gives 7 of 10"]


def test_a_deduction_from_a_panel_shows_percents_as_percents(panels: pingfen.Rubric) -> None:
    said = _said(panels, EXPERTS, "zh")["满意度"]
    assert said == ["满意度 97%、95%，最高分 97%；max(满意度) 97% 低于 100% 3 个百分点，每个百分点扣 1 分，扣 3 分"]


def test_an_authors_template_is_left_as_written() -> None:
    text = PANELS.replace("    else   -> 0\n", '    else   -> 0 reason "评审意见分歧，中位数不足 6 分（{方案评分}）"\n')
    rubric = pingfen.loads(text)
    assert _said(rubric, EXPERTS, "zh")["方案论证"] == ["评审意见分歧，中位数不足 6 分（5、6）"]


def test_every_report_shows_the_experts(panels: pingfen.Rubric, tmp_path: Path) -> None:
    result = panels.evaluate(EXPERTS)
    sentence = "专家评分 8、9、7、10、9，去掉最高分 10 和最低分 7，平均 8.67"
    for text in (render_table(result), render_markdown(result), render_html(result)):
        assert sentence in text
    assert sentence in json.dumps(json.loads(result.to_json()), ensure_ascii=False)
    english = json.loads(result.to_json(lang="en"))
    assert "without the highest 10 and the lowest 7" in json.dumps(english, ensure_ascii=False)
    from docx import Document
    from openpyxl import load_workbook

    write_xlsx(result, tmp_path / "r.xlsx")
    cells = [str(c.value) for row in load_workbook(tmp_path / "r.xlsx").active.iter_rows() for c in row]
    assert any(sentence in cell for cell in cells)
    write_docx(result, tmp_path / "r.docx")
    texts = [c.text for t in Document(str(tmp_path / "r.docx")).tables for row in t.rows for c in row.cells]
    assert any(sentence in text for text in texts)


CHOSEN = """\
rubric "专家评审" {
  total 20
}

input 专家评分: list of score >= 0 and <= 10

indicator 评审 10 {
  score = if count(专家评分) >= 3 then trimmed_mean(专家评分) else mean(专家评分)
}

indicator 意见一致 10 {
  when max(专家评分) - min(专家评分) <= 2 -> 10
  else -> 4
}
"""


def test_a_choice_or_a_when_chain_over_a_panel_shows_the_scores() -> None:
    rubric = pingfen.loads(CHOSEN)
    zh = _said(rubric, {"专家评分": [8, 9, 5]}, "zh")
    # each panel once, with what each function read of it made of its scores
    assert zh["评审"] == ["专家评分 8、9、5，共 3 个，去掉最高分 9 和最低分 5，平均 8，全部平均 7.33；"
                        "“count(专家评分) >= 3”成立，按 trimmed_mean(专家评分) 计得 8 分（满分 10）"]
    assert zh["意见一致"] == ["专家评分 8、9、5，最高分 9，最低分 5；“max(专家评分) - min(专家评分) <= 2”不成立，得 4 分（满分 10）"]
    en = _said(rubric, {"专家评分": [8, 9]}, "en")  # too few to trim: the mean of all
    assert en["评审"] == ['专家评分 8, 9: 2 values, the mean of all is 8.5; "count(专家评分) >= 3" does not hold: '
                        "mean(专家评分) gives 8.5 of 10"]

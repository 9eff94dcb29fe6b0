"""Outside [0, max] (issue 10, item 3): bonus rows (加分项) and penalty rows (扣分项) after the
tree, the total kept in [0, `cap total`]; on both evaluators, in the checker's range proof, in
JSON and in every report."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen.report.docx import write_docx
from pingfen.report.html import render_html
from pingfen.report.markdown import render_markdown
from pingfen.report.table import render_table
from pingfen.report.xlsx import write_xlsx
from pingfen.syntax.formatter import format_text

RUBRIC = """\
rubric "加分与扣分" {
  total 100
  cap total 100
  grade 优秀 >= 90
  grade 合格 otherwise
}

input 完成率: percent >= 0 and <= 100%
input 创新项目数: count
input 违规问题数: count

indicator 完成率 100 {
  score = 完成率 * 100
}

bonus 创新加分 3 {
  award 1 if 创新项目数 >= 1
  award 2 if 创新项目数 >= 3
}

penalty 违规扣分 10 {
  deduct 2 per 违规问题数
}
"""

RECORDS = [
    ({"完成率": "95%", "创新项目数": 3, "违规问题数": 1}, "96.00"),  # 95 + 3 − 2
    ({"完成率": "99%", "创新项目数": 3, "违规问题数": 0}, "100.00"),  # 102, held at the cap
    ({"完成率": "5%", "创新项目数": 0, "违规问题数": 7}, "0.00"),  # 5 − 10 (at most 10 taken), never below 0
    ({"完成率": "80%", "创新项目数": 1, "违规问题数": 2}, "77.00"),
]


@pytest.fixture(scope="module")
def rubric() -> pingfen.Rubric:
    return pingfen.loads(RUBRIC, "outside.rule")


@pytest.mark.parametrize(("record", "total"), RECORDS)
def test_both_evaluators_count_the_rows_after_the_tree(rubric: pingfen.Rubric, record: dict, total: str) -> None:
    compiled = rubric.evaluate(record)
    walked = rubric.walker().evaluate(rubric.coerce(record))
    assert str(compiled.total) == total
    assert compiled == walked
    assert [(line.kind, line.node.name) for line in walked.outside()] == [("bonus", "创新加分"), ("penalty", "违规扣分")]


def test_without_a_cap_a_bonus_goes_past_the_total() -> None:
    rubric = pingfen.loads(RUBRIC.replace("  cap total 100\n", ""))
    record = RECORDS[1][0]
    assert rubric.evaluate(record).total == Decimal("102.00")
    assert rubric.walker().evaluate(rubric.coerce(record)).total == Decimal("102.00")


def test_the_lines_and_what_each_counts_for(rubric: pingfen.Rubric) -> None:
    result = rubric.evaluate(RECORDS[0][0])
    bonus, penalty = result.outside()
    assert (bonus.points, penalty.points) == (3, -2)
    assert penalty.node.reasons == ["违规问题数为 1，每项扣 2 分，扣 2 分"]
    assert result.score("违规扣分") == 8  # the row's own score: 10 − 2
    assert [c.name for c in result.children] == ["完成率"]  # the tree holds no outside row


def test_json_shows_the_lines_after_the_tree(rubric: pingfen.Rubric) -> None:
    data = json.loads(rubric.evaluate(RECORDS[0][0]).to_json())
    assert [c["name"] for c in data["children"]] == ["完成率"]
    assert data["outside"] == [
        {"kind": "bonus", "name": "创新加分", "max": 3, "points": 3, "reasons": []},
        {"kind": "penalty", "name": "违规扣分", "max": 10, "points": -2, "reasons": ["违规问题数为 1，每项扣 2 分，扣 2 分"]},
    ]


def test_a_rubric_without_outside_rows_keeps_its_json() -> None:
    plain = pingfen.loads(RUBRIC.split("bonus")[0].replace("input 创新项目数: count\ninput 违规问题数: count\n", ""))
    assert "outside" not in plain.evaluate({"完成率": "90%"}).to_dict()


def test_text_reports_show_the_lines_after_the_tree(rubric: pingfen.Rubric) -> None:
    result = rubric.evaluate(RECORDS[0][0])
    for text in (render_table(result), render_markdown(result), render_html(result)):
        tree, bonus, penalty = text.index("完成率"), text.index("加分项：创新加分"), text.index("扣分项：违规扣分")
        assert tree < bonus < penalty < text.rindex("96.00")
        assert "+3" in text and "-2" in text
    assert "bonus: 创新加分" in render_table(result, "en")


def test_office_reports_show_the_lines(rubric: pingfen.Rubric, tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    result = rubric.evaluate(RECORDS[0][0])
    write_xlsx(result, tmp_path / "r.xlsx")
    cells = [c.value for row in load_workbook(tmp_path / "r.xlsx").active.iter_rows() for c in row]
    assert "加分项：创新加分" in cells and "+3" in cells and "扣分项：违规扣分" in cells and "-2" in cells
    write_docx(result, tmp_path / "r.docx")
    texts = [c.text for t in Document(str(tmp_path / "r.docx")).tables for row in t.rows for c in row.cells]
    assert "扣分项：违规扣分" in texts and "-2" in texts


def test_a_penalty_row_only_deducts() -> None:
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(RUBRIC.replace("deduct 2 per 违规问题数", "award 2 if 违规问题数 >= 1"))
    assert [d.code for d in info.value.diagnostics] == ["PF220"]


def test_a_cap_below_the_total_is_refused() -> None:
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(RUBRIC.replace("cap total 100", "cap total 90"))
    assert [d.code for d in info.value.diagnostics] == ["PF221"]


def test_the_range_proof_counts_the_bonus() -> None:
    """A grade only a bonus reaches is given (no PF412), and a cap makes it unreachable again."""
    above = RUBRIC.replace("  cap total 100\n", "").replace("grade 优秀 >= 90", "grade 卓越 >= 102\n  grade 优秀 >= 90")
    assert "PF412" not in [w.code for w in pingfen.loads(above).warnings]
    capped = above.replace("total 100\n", "total 100\n  cap total 101\n", 1)
    assert "PF412" in [w.code for w in pingfen.loads(capped).warnings]


def test_the_range_proof_counts_the_penalty() -> None:
    """A tree that always scores 100 can still fall to 90 by the penalty: `优秀 >= 100` alone leaves a gap."""
    text = RUBRIC.replace("score = 完成率 * 100", "score = 100").replace("input 完成率: percent >= 0 and <= 100%\n", "")
    text = text.replace("grade 合格 otherwise", "")
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(text.replace("grade 优秀 >= 90", "grade 优秀 >= 100"))
    assert "PF411" in [d.code for d in info.value.diagnostics]


def test_fmt_keeps_the_rows_and_the_cap() -> None:
    once = format_text(RUBRIC)
    assert "bonus 创新加分 3 {" in once and "penalty 违规扣分 10 {" in once and "cap total 100" in once
    assert format_text(once) == once
    assert pingfen.loads(once).evaluate(RECORDS[0][0]).total == Decimal("96.00")


def test_audit_finds_a_total_that_left_out_the_bonus_or_the_penalty(rubric: pingfen.Rubric) -> None:
    from pingfen.audit import audit

    inputs = RECORDS[0][0]
    ignored = audit(rubric, {"完成率": 95, "总分": 95}, inputs)  # the tree alone: bonus +3 and penalty −2 left out
    [finding] = ignored.findings
    assert (finding.kind, finding.declared, finding.expected) == ("total", 95, Decimal("96.00"))
    assert dict(finding.parts) == {"完成率": 95, "创新加分": 3, "违规扣分": -2}
    assert audit(rubric, {"完成率": 95, "总分": 96}, inputs).findings == ()
    wrong_bonus = audit(rubric, {"完成率": 95, "创新加分": 1, "总分": 96}, inputs)
    assert [(f.kind, f.name, f.expected) for f in wrong_bonus.findings] == [
        ("rule", "创新加分", 3), ("total", "total", Decimal("94.00"))
    ]


VETOES = """\
rubric "否决" {
  total 100
  grade 优秀 >= 90 if 满意度 >= 90%
  grade 良好 >= 80
  grade 合格 >= 60
  grade 不合格 otherwise
}

input 完成率: percent >= 0 and <= 100%
input 满意度: percent >= 0 and <= 100%
input 重大违规: bool
input 未整改问题数: count
input 数据造假: bool

indicator 完成率 100 {
  score = 完成率 * 100
}

veto 发生重大违规 if 重大违规 -> zero
veto 存在未整改问题 if 未整改问题数 > 0 -> below 优秀
veto 数据造假 if 数据造假 -> grade 不合格
"""
CLEAN = {"完成率": "95%", "满意度": "95%", "重大违规": False, "未整改问题数": 0, "数据造假": False}


@pytest.fixture(scope="module")
def vetoed() -> pingfen.Rubric:
    return pingfen.loads(VETOES, "veto.rule")


@pytest.mark.parametrize(
    ("change", "total", "grade", "said"),
    [
        ({}, "95.00", "优秀", []),
        ({"满意度": "85%"}, "95.00", "良好", []),  # 优秀 needs 满意度 >= 90% besides the total
        ({"重大违规": True}, "0.00", "不合格", ["一票否决：发生重大违规，总分计0分"]),
        ({"未整改问题数": 2}, "95.00", "良好", ["一票否决：存在未整改问题，不得评为优秀"]),
        ({"数据造假": True}, "95.00", "不合格", ["一票否决：数据造假，评为不合格"]),
        ({"重大违规": True, "未整改问题数": 1}, "0.00", "不合格",
         ["一票否决：发生重大违规，总分计0分", "一票否决：存在未整改问题，不得评为优秀"]),
    ],
)  # fmt: skip
def test_vetoes_and_grade_conditions_on_both_evaluators(
    vetoed: pingfen.Rubric, change: dict, total: str, grade: str, said: list[str]
) -> None:
    record = CLEAN | change
    compiled = vetoed.evaluate(record)
    walked = vetoed.walker().evaluate(vetoed.coerce(record))
    assert (str(compiled.total), compiled.grade) == (total, grade)
    assert [v.text("zh") for v in compiled.vetoes()] == said
    assert compiled == walked


def test_vetoes_in_json_and_reports(vetoed: pingfen.Rubric) -> None:
    result = vetoed.evaluate(CLEAN | {"重大违规": True})
    assert json.loads(result.to_json())["vetoes"] == [
        {"name": "发生重大违规", "action": "zero", "grade": None, "reason": "一票否决：发生重大违规，总分计0分"}
    ]
    assert json.loads(result.to_json(lang="en"))["vetoes"][0]["reason"] == "veto: 发生重大违规: the total is 0"
    for text in (render_table(result), render_markdown(result), render_html(result)):
        assert text.index("完成率") < text.index("一票否决：发生重大违规，总分计0分")
    assert "vetoes" not in vetoed.evaluate(CLEAN).to_dict()


def test_a_veto_names_a_grade_of_the_rubric() -> None:
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(VETOES.replace("-> grade 不合格", "-> grade 不及格"))
    assert [d.code for d in info.value.diagnostics] == ["PF222"]


def test_a_grade_with_a_condition_does_not_take_its_totals() -> None:
    """`优秀 >= 90 if …` may be refused: a later `良好 >= 90` is then given (no PF412), and
    without the condition it never is."""
    text = VETOES.replace("grade 良好 >= 80", "grade 良好 >= 90")
    assert "PF412" not in [w.code for w in pingfen.loads(text).warnings]
    plain = text.replace(" if 满意度 >= 90%", "").replace("input 满意度: percent >= 0 and <= 100%\n", "")
    assert "PF412" in [w.code for w in pingfen.loads(plain).warnings]


def test_fmt_keeps_vetoes_and_conditions() -> None:
    once = format_text(VETOES)
    assert "veto 存在未整改问题 if 未整改问题数 > 0 -> below 优秀" in once and "if 满意度 >= 90%" in once
    assert format_text(once) == once


def test_audit_finds_a_total_or_grade_that_ignored_a_veto(vetoed: pingfen.Rubric) -> None:
    from pingfen.audit import audit

    ignored = audit(vetoed, {"完成率": 95, "总分": 95, "评价等次": "优秀"}, CLEAN | {"重大违规": True})
    assert [(f.kind, f.expected) for f in ignored.findings] == [("total", Decimal("0.00")), ("grade", "不合格")]
    capped = audit(vetoed, {"完成率": 95, "总分": 95, "评价等次": "优秀"}, CLEAN | {"未整改问题数": 1})
    assert [(f.kind, f.expected) for f in capped.findings] == [("grade", "良好")]
    assert audit(vetoed, {"完成率": 95, "总分": 95, "评价等次": "优秀"}, CLEAN).findings == ()


def test_the_published_table_states_the_rows_vetoes_and_conditions(vetoed: pingfen.Rubric) -> None:
    from pingfen.report.rubric_table import build_table
    from pingfen.report.rubric_table import render_markdown as table_markdown

    table = table_markdown(build_table(pingfen.loads(RUBRIC)))
    assert "| 加分项：创新加分 | 3 |" in table and "| 扣分项：违规扣分 | 10 |" in table
    assert table.index("扣分项：违规扣分") < table.index("**总分**")
    grades = build_table(vetoed).grades
    assert "90分（含）以上为优秀（且满意度≥90%）" in grades
    assert "一票否决：发生重大违规（重大违规）的，总分计0分" in grades
    assert "一票否决：存在未整改问题（未整改问题数>0）的，不得评为优秀" in grades
    assert "veto 数据造假 (数据造假): graded 不合格" in build_table(vetoed, "en").grades


EMPTY_ROWS = """rubric "空行" { total 10 }
input 甲: score
indicator 甲 10 { judgment }
adjust 调整 -2 .. +2 {}
penalty 违规 5 {}
bonus 创新 3 {}
"""


def test_an_empty_row_after_the_tree_is_told_as_what_it_does() -> None:
    """PF305 said every empty row "always gets full marks", with a hint of bands and judgments:
    an empty adjust row counts 0, an empty penalty row takes nothing and may hold only
    deductions (bands there are PF220)."""
    said = {d.message("zh"): d.help("zh") for d in pingfen.diagnose(EMPTY_ROWS) if d.code == "PF305"}
    assert said == {
        "加减分项 `调整` 没有评分规则，总是计 0 分": "添加加分和扣分规则：`award … if …`、`deduct … if …` 或 `deduct … per …`",
        "扣分项 `违规` 没有评分规则，从不扣分": "添加评分表规定的扣分规则：`deduct … if …` 或 `deduct … per …`",
        "加分项 `创新` 没有评分规则，总是加满分": "添加评分规则，例如 `bands`、`deduct` 或 `judgment`；固定满分请写 `score = 3`",
    }
    english = sorted(d.message("en") for d in pingfen.diagnose(EMPTY_ROWS) if d.code == "PF305")
    assert english == ["adjust row `调整` has no scoring rule and always counts 0",
                       "bonus row `创新` has no scoring rule and always adds its full points",
                       "penalty row `违规` has no scoring rule and never takes any points"]  # fmt: skip
    result = pingfen.loads(EMPTY_ROWS).evaluate({"甲": 5})
    assert [(row.node.name, row.points) for row in result.outside()] == [("调整", 0), ("违规", 0), ("创新", 3)]
    indicator = pingfen.diagnose('rubric "x" { total 5 }\nindicator 乙 5 {}\n')
    assert [d.message("zh") for d in indicator] == ["指标 `乙` 没有评分规则，总是得满分"]

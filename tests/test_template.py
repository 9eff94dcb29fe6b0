"""Data-entry templates: questions, the CSV and YAML forms, XLSX validation and the rubric sheet."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

import pingfen
from data_helpers import RUBRIC
from pingfen.template import question, render_template, write_template

SPEC = {s.name: s for s in RUBRIC.inputs}


@pytest.mark.parametrize(
    ("name", "lang", "expected"),
    [
        ("编制人数", "zh", "核定编制人数（人）（整数，> 0）"),
        ("满意度", "zh", "社会公众或服务对象满意度（百分比，如 95%，≥ 0%，≤ 100%）"),
        ("已制定预算管理制度", "en", "已制定或具有预算资金管理办法、内部财务管理制度、会计核算制度等管理制度 (是 or 否)"),
        ("经济效益", "en", "评价得分（0–5） (score, ≥ 0, ≤ 5)"),
        ("结余", "en", "本年结余（万元） (amount)"),
    ],
)
def test_question(name: str, lang: str, expected: str) -> None:
    assert question(SPEC[name], lang) == expected  # type: ignore[arg-type]


def test_labels_and_no_description() -> None:
    rubric = pingfen.loads(
        'rubric "x" { total 10 }\ninput 程度: label { 健全, 基本健全, 不健全 }\n'
        "group 甲 10 { indicator 乙 10 { match 程度 { 健全 -> 10 基本健全 -> 6 不健全 -> 0 } } }"
    )
    assert question(rubric.inputs[0], "zh") == "可选：健全、基本健全、不健全"
    assert question(rubric.inputs[0], "en") == "one of: 健全, 基本健全, 不健全"


def test_csv_template_is_a_header_and_a_comment_row() -> None:
    text = render_template(RUBRIC, "csv", "zh")
    header, questions = text.splitlines()
    assert header == "id," + ",".join(s.name for s in RUBRIC.inputs)
    assert questions.startswith("# 填写说明（本行不计分）")


def test_csv_template_file_has_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_template(RUBRIC, "csv", path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid,")


def test_yaml_template_has_every_input_as_an_empty_key() -> None:
    text = render_template(RUBRIC, "yaml", "en")
    data = yaml.safe_load(text)
    assert list(data) == ["id", *(s.name for s in RUBRIC.inputs)]
    assert set(data.values()) == {None}
    assert "# 核定编制人数（人） (whole number, > 0)\n编制人数:\n" in text


def test_yaml_keys_that_need_quotes() -> None:
    rubric = pingfen.loads(
        'rubric "x" { total 5 }\ninput `a: b`: count\ninput `#注`: count\ninput on: count\ninput 例数: count\n'
        "group 甲 5 { indicator 乙 5 { deduct 1 per `a: b` deduct 1 per `#注` deduct 1 per on deduct 1 per 例数 } }"
    )
    text = render_template(rubric, "yaml", "zh")
    assert list(yaml.safe_load(text)) == ["id", "a: b", "#注", "on", "例数"]  # YAML would read a bare `on` as true
    assert '\n"on":\n' in text and "\n例数:\n" in text


def test_xlsx_template(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(RUBRIC, "xlsx", path, lang="zh")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["数据", "评分表"]
    data = book["数据"]
    header = [c.value for c in data[1]]
    assert header == ["id", *(s.name for s in RUBRIC.inputs)]
    assert data.cell(2, 1).value.startswith("#")  # the question row is a comment row
    assert data.cell(2, header.index("编制人数") + 1).value == "核定编制人数（人）（整数，> 0）"
    assert data.freeze_panes == "B3"

    def rule_for(name: str):  # type: ignore[no-untyped-def]
        letter = openpyxl.utils.get_column_letter(header.index(name) + 1)
        found = [dv for dv in data.data_validations.dataValidation if f"{letter}3:{letter}1002" in str(dv.sqref)]
        assert len(found) == 1, name
        return found[0]

    bool_rule = rule_for("已制定预算管理制度")
    assert (bool_rule.type, bool_rule.formula1) == ("list", '"是,否"')
    pct = rule_for("满意度")
    assert (pct.type, pct.operator, pct.formula1, pct.formula2) == ("decimal", "between", "0", "1")
    assert (rule_for("重点支出安排率").operator, rule_for("重点支出安排率").formula1) == ("greaterThanOrEqual", "0")
    staff = rule_for("编制人数")
    assert (staff.type, staff.operator, staff.formula1) == ("whole", "greaterThanOrEqual", "1")
    assert (rule_for("在职人数").type, rule_for("在职人数").formula1) == ("whole", "0")
    score = rule_for("建设湖南新增极目标任务完成情况")
    assert (score.type, score.operator, score.formula1, score.formula2) == ("decimal", "between", "0", "7")
    assert data.cell(3, header.index("满意度") + 1).number_format == "0.00%"

    sheet = book["评分表"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("一级指标", "二级指标", "三级指标", "分值", "输入项", "自评得分")
    assert rows[1][:4] == ("投入", None, None, 15)
    assert rows[3] == (None, None, "财政供养人员控制率", 5, "在职人数、编制人数", None)
    assert rows[-2][:4] == ("总分", None, None, 100)
    assert rows[-1][0] == "评价等次" and rows[-1][4] == "优秀 ≥ 90；良好 ≥ 80；中 ≥ 60；差 其他"
    names = [next(c for c in r[:3] if c) for r in rows[1:-2]]
    assert names == [n.name for top in RUBRIC.tree for n in top.walk()]


def test_xlsx_needs_a_path_and_formats_are_checked() -> None:
    with pytest.raises(ValueError, match="file name"):
        write_template(RUBRIC, "xlsx", out=io.StringIO())
    with pytest.raises(ValueError, match="unknown template format"):
        write_template(RUBRIC, "docx", out=io.StringIO())


def test_template_bounds_are_decimal_text() -> None:
    assert SPEC["满意度"].bounds == ((">=", Decimal(0)), ("<=", Decimal(1)))


def test_a_label_with_a_comma_is_one_choice_of_the_drop_down(tmp_path: Path) -> None:
    """`健全,完整` was offered as two choices, 健全 and 完整 (PF506 when picked), and the label
    itself was refused by the validation. Long lists past Excel's 255 characters too."""
    many = ", ".join(f"`第{i}类：{'很长的说明' * 3}`" for i in range(20))
    rubric = pingfen.loads(
        'rubric "标签" { total 5 }\ninput 状况: label { `健全,完整`, 不健全 }\n'
        f"input 类别: label {{ {many} }}\ninput 达标: bool\n"
        "indicator 制度 5 { match 状况 { `健全,完整` -> 5\n 不健全 -> 0 } }\n"
    )
    path = tmp_path / "模板.xlsx"
    write_template(rubric, "xlsx", path)
    book = openpyxl.load_workbook(path)
    data, lists = book["数据"], book["选项"]
    assert lists.sheet_state == "hidden" and book.worksheets[0] is data
    found = {}
    for validation in data.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        found[data[f"{column}1"].value] = validation.formula1
    assert found["达标"] == '"是,否"'  # short, comma-free lists stay inline
    for name, labels in (("状况", ["健全,完整", "不健全"]), ("类别", [f"第{i}类：{'很长的说明' * 3}" for i in range(20)])):
        sheet_name, cells = found[name].split("!")
        first, last = cells.replace("$", "").split(":")
        assert sheet_name.strip("'") == "选项" and [c.value for row in lists[first:last] for c in row] == labels
    data["A3"], data["B3"], data["C3"], data["D3"] = "甲", "健全,完整", "第3类：" + "很长的说明" * 3, "是"  # as picked
    book.save(path)
    [record] = list(pingfen.read_records(path))
    assert rubric.evaluate(record).total == 5


def test_a_scores_bounds_are_asked_once_and_checked_at_the_tightest(tmp_path: Path) -> None:
    """A score's bounds are its own >= 0, the declared ones and its indicator's max: the
    question asked `≥ 0，≥ 1，≤ 5，≤ 10`, and the XLSX validation took the last bound of each
    side, so it let 5 to 10 through for a score declared `<= 5` (which eval refuses, PF503)."""
    rubric = pingfen.loads(
        'rubric "x" { total 10 }\ninput 评分: score >= 1 and <= 5\ninput 专家: list of 3 score >= 0 and <= 10\n'
        "indicator 甲 10 { judgment 评分 }\n"
        "indicator 乙 0 { score = mean(专家) }\n"  # a panel: its own >= 0 beside the declared one
    )
    spec = {s.name: s for s in rubric.inputs}
    assert question(spec["评分"], "zh") == "评价得分，≥ 1，≤ 5"
    assert question(spec["专家"], "en") == "each expert's score, ≥ 0, ≤ 10"
    path = tmp_path / "t.xlsx"
    write_template(rubric, "xlsx", path, lang="zh")
    data = openpyxl.load_workbook(path)["数据"]
    (rule,) = [dv for dv in data.data_validations.dataValidation if "B3:B1002" in str(dv.sqref)]
    assert (rule.operator, rule.formula1, rule.formula2) == ("between", "1", "5")

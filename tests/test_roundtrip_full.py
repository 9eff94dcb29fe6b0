"""`pingfen.stated`, phrase by phrase: render's own wording of every rule form read back as
rule text, on the names the table's 指标数据说明 declares; and the data items themselves."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen.importer import import_table
from pingfen.phrases import InputDecl
from pingfen.render import render_table
from pingfen.report.criteria import Words
from pingfen.stated import Known, expression, read_items, read_stated

KNOWN = Known(
    (
        InputDecl("结余", "amount"), InputDecl("上年结转", "amount"), InputDecl("执行率", "percent", ">= 0"),
        InputDecl("合规", "bool", description="资金使用合规"), InputDecl("a b", "number"),
        InputDecl("“数”1", "number"), InputDecl("数据 (万元)3", "number"), InputDecl("制度情况", "label", labels=("健全", "基本健全")),
        InputDecl("完成情况评分", "score"),
    ),
    (("算1", "a b + 1"),),
)  # fmt: skip


def lines(text: str, top: str = "5") -> tuple[str, ...] | None:
    reading = read_stated(text, "指标", Decimal(top), KNOWN)
    return None if reading is None else reading.rules


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("（结余-上年结转）÷上年结转", "(结余 - 上年结转) / 上年结转"),
        ("a b×2+“数”1", "`a b` * 2 + “数”1"),  # names with a space or quotes: the known ones, longest first
        ("“合规且执行率≥45%”不成立", "not (合规 and 执行率 >= 45%)"),
        ("“数”1≠-2.5或合规=是", "“数”1 != - 2.5 or 合规 = true"),
        ("min(a b, abs(-算1))", "min(`a b`, abs(- 算1))"),
        ("执行率+一个百分点", "执行率 + 1pp"),
        ("min(数据 (万元)3, 2)÷（a b）", "min(`数据 (万元)3`, 2) / (`a b`)"),  # a name's own brackets kept
    ],
)
def test_expressions_as_render_writes_them(text: str, rule: str) -> None:
    assert expression(text, KNOWN) == rule


def test_an_unknown_name_is_not_an_expression() -> None:
    assert expression("结余+上年结余", KNOWN) is None
    assert expression("“合规", KNOWN) is None  # a 不成立 never closed


def test_when_chain_with_and_without_otherwise() -> None:
    assert lines("结余=0的，计3分；结余≤上年结转的，计2分；其他情况，不得分。") == (
        "when 结余 = 0 -> 3", "when 结余 <= 上年结转 -> 2", "else -> 0")  # fmt: skip
    assert lines("结余≤上年结转的，计3分；不符合以上任一条件的，不予评分。") == ("when 结余 <= 上年结转 -> 3",)


def test_formula_and_full_marks() -> None:
    assert lines("得分=a b×2，最高5分，低于0分的按0分计。") == ("score = `a b` * 2",)
    assert lines("计5分。") == ()


def test_negative_bands_and_open_ranges() -> None:
    assert lines("算1：-5（含）--2.5，计3分；≥-2.5，计5分；其他情况，计1分。") == (
        "bands 算1 {", "  [-5, -2.5) -> 3", "  >= -2.5 -> 5", "  else -> 1", "}")  # fmt: skip
    assert lines("执行率：5%（不含）-10%（不含），计3分；低于5%，不得分。") == (
        "bands 执行率 {", "  (5%, 10%) -> 3", "  < 5% -> 0", "}")  # fmt: skip


def test_labels_of_a_declared_label_input() -> None:
    assert lines("制度情况：健全的，得5分；其他情况，不得分。") == ("match 制度情况 {", "  健全 -> 5", "  else -> 0", "}")
    assert lines("制度情况：完善的，得5分。") is None  # not one of its labels


def test_judgment_names_its_input_and_declares_an_unknown_one() -> None:
    assert lines("由评价人员酌情打分（记为完成情况评分），最高7分。", "7") == ("judgment 完成情况评分",)
    reading = read_stated("由评价人员酌情打分，最高7分。", "指标", Decimal(7), KNOWN)
    assert reading is not None and reading.inputs == (InputDecl("指标", "score", description="评价得分（0–7）"),)


def test_a_combined_criterion_awards_then_deductions_on_expressions() -> None:
    text = ("①资金使用合规，4分；②“合规”不成立，1分；在此基础上，以100%为基准，（执行率+5%）×1每超过一个百分点扣0.5分，"
            "不足一个百分点的部分不扣分；“数”1每3扣1分，不足3的按3计算；结余每出现一例扣2分；结余>0的，扣1分，扣完为止。")  # fmt: skip
    assert lines(text) == (
        "award 4 if 合规", "award 1 if not (合规)",
        "deduct 0.5 per 1pp of (执行率 + 5%) * 1 above 100% counting whole",
        "deduct 1 per 3 of “数”1 counting started", "deduct 2 per 结余", "deduct 1 if 结余 > 0",
    )  # fmt: skip


def test_a_lone_step_states_its_full_marks_first() -> None:
    text = "以100%为基准，执行率≤100%的，计5分；每超过0.5个百分点扣1分，不足0.5个百分点的按比例扣分，扣完为止。"
    assert lines(text) == ("deduct 1 per 0.5pp of 执行率 above 100% counting proportional",)
    assert lines(text.replace("≤100%的", "≥100%的")) is None  # the full marks must agree with the direction


@pytest.mark.parametrize(
    "text",
    [
        "结余=0的，计3分；结余≤上年结转的，计2分。",  # a chain that neither ends in 其他情况 nor says it refuses
        "以上年执行率为基准，执行率每低于一个百分点扣0.5分，扣完为止。",  # a name the table does not declare
        "执行率≥90%，计5分；在此基础上，结余每出现一例扣1分。",  # deductions without 扣完为止
        "酌情扣分。",
    ],
)
def test_what_strays_from_render_wording_is_left_to_phrases(text: str) -> None:
    assert lines(text) is None


def test_data_items_read_back() -> None:
    rows = [["数据项", "类型", "取值或计算公式", "说明"], ["执行率", "百分比", "≥0%且≤200%", "预算执行率"],
            ["制度情况", "等级", "健全、a b", ""], ["算1", "计算值", "执行率×2", ""], ["", "", "", ""]]  # fmt: skip
    known = read_items(rows)
    assert known is not None
    assert known.inputs == (InputDecl("执行率", "percent", ">= 0% and <= 200%", description="预算执行率"),
                            InputDecl("制度情况", "label", labels=("健全", "a b")))  # fmt: skip
    assert known.lets == (("算1", "执行率 * 2"),)
    assert read_items([rows[0], ["执行率", "时间", "", ""]]) is None  # a type render does not write
    assert read_items([rows[0], ["算1", "计算值", "未知×2", ""]]) is None


def test_render_states_each_input_and_let(tmp_path: Path) -> None:
    rubric = pingfen.load(Path(__file__).resolve().parents[1] / "rulesets" / "dept-overall-2021.rule")
    items = Words(rubric.module, "zh").data_items()
    assert ("满意度", "百分比", "≥0且≤100%", "社会公众或服务对象满意度") in items
    assert ("在职人员控制率", "计算值", "在职人数÷编制人数", "") in items
    for fmt in ("xlsx", "docx"):
        render_table(rubric, fmt, tmp_path / f"t.{fmt}")
        text = import_table(tmp_path / f"t.{fmt}").text
        assert "let 在职人员控制率 = 在职人数 / 编制人数" in text
        assert "# TODO" not in text

"""import reads back the two forms added beside it: an adjust row (加减分项, its range from
render's 合计在-2至+2分之间) and a group's rounding (产出（10分，得分四舍五入保留1位小数）). Both
fail on an importer that does not know them: the adjust row came back a TODO judgment in the
tree, the group's rounding part of the group's name. A penalty or adjust row not read is left
empty, and the summary says so."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

import attrs
import pytest
from openpyxl import Workbook

import pingfen
from pingfen import ast
from pingfen.importer import import_table
from pingfen.report.rubric_office import write_docx, write_xlsx
from pingfen.report.rubric_table import build_table
from test_roundtrip import round_trip

ADJUST = """rubric "示例" { total 10 }
input 评价分: score
input 违规问题数: count
input 获表彰: bool
indicator 评价分 10 { judgment }
adjust 加减分 -2 .. +2 {
  award 0.5 if 获表彰
  deduct 0.5 per 违规问题数
}
"""

GROUP = """rubric "示例" { total 10 }
input 评价分: score
input 率: percent
group 产出 10 {
  round 1 half_even
  indicator 评价分 5 { judgment }
  indicator 完成 5 { score = 率 * 5 }
}
"""


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_an_adjust_row_reads_back_with_its_range(fmt: str) -> None:
    original = pingfen.loads(ADJUST, "a.rule", tests=False)
    imported, recognised = round_trip(original, fmt)
    assert all(recognised), imported.source.text
    [row] = imported.module.outside
    assert row.kind == "adjust" and row.row.name.text == "加减分"
    assert row.row.low is not None and row.row.low.value == Decimal(-2) and row.row.max.value == 2
    for record in ({"评价分": 9, "违规问题数": 7, "获表彰": True}, {"评价分": 5, "违规问题数": 0, "获表彰": True},
                   {"评价分": 10, "违规问题数": 1, "获表彰": False}):  # fmt: skip
        want, got = original.evaluate(record), imported.evaluate(record)
        assert (got.raw_total, [o.points for o in got.outside()]) == (want.raw_total, [o.points for o in want.outside()])


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_an_empty_adjust_row_is_published_as_counting_0_and_reads_back(fmt: str) -> None:
    """Render published an adjust row with no rules as 合计在-2至+2分之间；计2分 (it counts 0:
    it starts at 0), which import then left a TODO."""
    original = pingfen.loads(ADJUST.replace(ADJUST[ADJUST.index("adjust") :], "adjust 加减分 -2 .. +2 {}\n"),
                             "a.rule", tests=False)  # fmt: skip
    [row] = build_table(original, "zh").rows[-1:]
    assert row.criterion == "计0分；合计在-2至+2分之间。"
    assert build_table(original, "en").rows[-1].criterion == "0 points; in all between -2 and +2."
    imported, recognised = round_trip(original, fmt)
    assert all(recognised), imported.source.text
    [line] = imported.evaluate({"评价分": 9, "违规问题数": 7, "获表彰": True}).outside()
    assert line.kind == "adjust" and line.points == 0


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_an_empty_penalty_row_is_published_as_taking_nothing_and_reads_back(fmt: str) -> None:
    """Render published a penalty row with no rules as 计5分, which reads as "deduct 5": it
    takes nothing. It now says 不扣分, and import reads that back as the empty row it is."""
    text = ADJUST.replace(ADJUST[ADJUST.index("adjust") :], "penalty 违规 5 {}\n")
    original = pingfen.loads(text, "p.rule", tests=False)
    assert build_table(original, "zh").rows[-1].criterion == "不扣分。"
    assert build_table(original, "en").rows[-1].criterion == "nothing deducted."
    imported, recognised = round_trip(original, fmt)
    assert all(recognised), imported.source.text
    [row] = imported.module.outside
    assert (row.kind, row.row.name.text, row.row.max.value, row.row.rules) == ("penalty", "违规", 5, ())
    [line] = imported.evaluate({"评价分": 9, "违规问题数": 7, "获表彰": True}).outside()
    assert line.kind == "penalty" and line.points == 0


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_groups_rounding_reads_back(fmt: str) -> None:
    original = pingfen.loads(GROUP, "g.rule", tests=False)
    imported, _ = round_trip(original, fmt)
    [group] = [n for n, _ in ast.walk_nodes(imported.module.top) if isinstance(n, ast.Group)]
    assert group.name.text == "产出" and group.round_places is not None
    assert (group.round_places.value, group.round_mode) == (1, "half_even")
    record = {"评价分": Decimal("3.25"), "率": Decimal("0.99")}  # 3.25 + 4.95 = 8.2; 3.25 + 4.9 …
    for value in ("3.25", "3.3", "2.05"):
        record["评价分"] = Decimal(value)
        assert imported.evaluate(record)["产出"].score == original.evaluate(record)["产出"].score


def test_a_hand_made_adjust_heading_is_left_to_a_person(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["一级指标", "二级指标", "分值", "评分标准"], ["产出", "数量", 10, "由评价人员酌情打分，最高10分。"],
                ["加减分项", "表彰与违规", 2, "获市级以上表彰的加1分，发现违规的每项扣0.5分"], ["总分", "", 10, ""]):  # fmt: skip
        sheet.append(row)
    path = tmp_path / "t.xlsx"
    book.save(path)
    text = import_table(path).text
    assert "adjust 表彰与违规 -2 .. +2 {" in text and "# TODO: 未能识别加减分项" in text
    pingfen.loads(text, "draft.rule", tests=False)  # the draft checks: the person fills the row in


def test_a_penalty_row_not_read_is_said_to_take_nothing_not_to_be_a_judgment(tmp_path: Path) -> None:
    """The summary said a 扣分项 not read was "暂写为评价分（judgment）", as an indicator is; the
    draft leaves it empty (a penalty row holds deductions only), taking nothing."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["一级指标", "二级指标", "分值", "评分标准"], ["产出", "数量", 10, "由评价人员酌情打分，最高10分。"],
                ["扣分项", "违规问题", 5, "每发现一例违规问题扣1分，最多扣5分。"],
                ["加减分项", "表彰与违规", 2, "获市级以上表彰的加1分，发现违规的每项扣0.5分"], ["总分", "", 10, ""]):  # fmt: skip
        sheet.append(row)
    path = tmp_path / "t.xlsx"
    book.save(path)
    imported = import_table(path)
    assert "penalty 违规问题 5 {}" in imported.text
    assert "  第 3 行 违规问题：未能识别，暂不扣分，已标 TODO" in imported.summary("zh")
    assert "  row 3 违规问题: not recognised, nothing taken for now, marked TODO" in imported.summary("en")
    assert "  第 4 行 表彰与违规：未能识别，暂不加减分，已标 TODO" in imported.summary("zh")


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_penalty_rows_lone_step_with_a_reference_says_nothing_is_deducted_within_it(fmt: str) -> None:
    """A penalty row whose one rule is a step from a reference was published 超支率≤5%的，计3分, which
    reads "take 3" where it takes nothing (an indicator's 计5分 is its full marks; a penalty row's
    points are what it takes). It now says 不扣分 there, as an empty penalty row does, and reads back."""
    text = ADJUST.replace(ADJUST[ADJUST.index("adjust") :], "penalty 超支 3 {\n  deduct 1 per 1% of 超支率 above 5%\n}\n")
    text = text.replace("input 获表彰: bool\n", "input 超支率: percent\n").replace("input 违规问题数: count\n", "")
    original = pingfen.loads(text, "p.rule", tests=False)
    assert build_table(original, "zh").rows[-1].criterion == "以5%为基准，超支率≤5%的，不扣分；每超过1%扣1分，不足1%的按比例扣分，扣完为止。"
    assert build_table(original, "en").rows[-1].criterion.startswith("超支率 ≤ 5%: nothing deducted; 1 deducted per 1%")
    indicator = pingfen.loads(text.replace("penalty 超支 3", "indicator 超支 3").replace("total 10", "total 13"), "i.rule",
                              tests=False)  # fmt: skip
    assert "超支率≤5%的，计3分；" in build_table(indicator, "zh").rows[-1].criterion  # an indicator's full marks, as before
    imported, recognised = round_trip(original, fmt)
    assert all(recognised), imported.source.text
    [row] = imported.module.outside
    assert (row.kind, row.row.name.text, row.row.max.value, len(row.row.rules)) == ("penalty", "超支", 3, 1)
    for rate in ("0.04", "0.05", "0.065", "0.2"):
        record = {"评价分": 9, "超支率": Decimal(rate)}
        want, got = original.evaluate(record), imported.evaluate(record)
        assert (got.raw_total, [o.points for o in got.outside()]) == (want.raw_total, [o.points for o in want.outside()])


OLD_STEPS = ["deduct 1 per 1pp of 超支率 above 5% counting proportional", "deduct 1 per 2 of 问题数 above 3",
             "deduct 0.5 per 1 of 问题数 from 4 counting whole", "deduct 1 per 10 of 金额 above 100 counting started",
             "deduct 1 per 1pp of 超支率 above 5% counting proportional if 适用"]  # fmt: skip


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.parametrize("rule", OLD_STEPS)
def test_a_penalty_rows_lone_step_published_with_its_max_as_before_is_still_read(fmt: str, rule: str) -> None:
    """Last year's table, rendered before render said 不扣分 there, reads …≤5%的，计3分 (the row's
    max) on such a penalty row, which pingfen wrote for exactly this rule: import reads it so, as
    it did, not as a TODO (a count's or an amount's step) nor without its condition (适用时，…)."""
    text = (f'rubric "示例" {{ total 10 }}\ninput 评价分: score\ninput 超支率: percent\ninput 问题数: count\n'
            f"input 金额: amount\ninput 适用: bool\nindicator 评价分 10 {{ judgment }}\npenalty 超支 3 {{\n  {rule}\n}}\n")
    original = pingfen.loads(text, "p.rule", tests=False)
    table = build_table(original, "zh")
    old = table.rows[-1].criterion.replace("的，不扣分；", "的，计3分；")
    assert old != table.rows[-1].criterion
    table = attrs.evolve(table, rows=[*table.rows[:-1], attrs.evolve(table.rows[-1], criterion=old)])
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / f"表.{fmt}"
        (write_xlsx if fmt == "xlsx" else write_docx)(table, path)
        draft = import_table(path)
    assert all(r.recognised for r in draft.rows), draft.text
    imported = pingfen.loads(draft.text, "imported.rule", tests=False)
    [row] = imported.module.outside
    assert (row.kind, row.row.name.text, row.row.max.value, len(row.row.rules)) == ("penalty", "超支", 3, 1)
    for rate in ("0.04", "0.05", "0.065", "0.2", "0.45", "0.9"):
        record = {"评价分": 9, "超支率": Decimal(rate), "问题数": int(Decimal(rate) * 20), "金额": Decimal(rate) * 400,
                  "适用": Decimal(rate) < Decimal("0.5")}  # fmt: skip
        assert original.evaluate(record).raw_total == imported.evaluate(record).raw_total, (rate, draft.text)

"""`pingfen import` of tables as offices save them: the sheet Excel shows (not a hidden one
before it), Word rows that start late or end early, a title under an annex label, notes
below a table without a 总分 row, and a 分值 formula Excel never computed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pingfen.cli import main
from pingfen.importer import import_table

ROWS = [
    ("投入（10分）", "预算配置", "执行率", "5", "执行率≥90%，计5分；80%（含）-90%，计4分；低于80%，不得分"),
    ("", "", "调整率", "5", "预算调整率=0，得5分；每增加1%扣0.5分，不足1%的按比例扣分，扣完为止"),
    ("产出（10分）", "预算管理", "制度", "5", "健全的得5分，基本健全的得2分，不健全的不得分"),
    ("", "", "违规", "5", "每发现一例违规扣1分，扣完为止"),
]
HEADER = ("一级指标", "二级指标", "三级指标", "分值", "评分标准")
GRADES = "90分（含）以上为优秀；80分（含）-90分为良好；60分（含）-80分为中；60分以下为差。"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- which sheet


def sheets(path: Path, *, hide_first: bool, active: int | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    old = book.active
    assert old is not None
    old.title = "旧表"
    old.append(["去年的评分表"])
    old.append(["一级指标", "二级指标", "分值", "评分标准"])
    old.append(["旧", "旧指标", 99, "酌情打分"])
    if hide_first:
        old.sheet_state = "hidden"
    notes = book.create_sheet("说明")
    notes.append(["填表说明：本表由评价单位填写"])
    new = book.create_sheet("评分表")
    new.append(["2022年部门整体支出绩效评价评分表"])
    new.append(list(HEADER))
    for row in ROWS:
        new.append([*row[:3], int(row[3]), row[4]])
    new.append(["总分", "", "", 20, ""])
    book.active = active if active is not None else 2
    book.save(path)
    return path


@pytest.mark.parametrize("hide_first", [True, False])
def test_the_sheet_excel_shows_is_imported(tmp_path: Path, hide_first: bool) -> None:
    """A hidden 旧表 first was imported instead of the active, visible 评分表."""
    result = import_table(sheets(tmp_path / "t.xlsx", hide_first=hide_first))
    assert "旧指标" not in result.text and "indicator 执行率 5" in result.text
    assert 'rubric "2022年部门整体支出绩效评价评分表"' in result.text


def test_a_hidden_active_sheet_gives_way_to_the_first_visible(tmp_path: Path) -> None:
    path = sheets(tmp_path / "t.xlsx", hide_first=False, active=0)
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["旧表"].sheet_state = "hidden"
    book["说明"].sheet_state = "hidden"
    book.active = 0
    book.save(path)
    assert "indicator 执行率 5" in import_table(path).text


def test_data_readers_read_the_active_sheet_too(tmp_path: Path) -> None:
    """`eval` and the importer read the same sheet of a workbook: the one Excel shows."""
    from openpyxl import Workbook

    from pingfen.io import read_rows

    book = Workbook()
    first = book.active
    assert first is not None
    first.append(["说明"])
    first.append(["本表由评价单位填写"])
    data = book.create_sheet("数据")
    data.append(["id", "在职人数"])
    data.append(["A", 14])
    book.active = 1
    path = tmp_path / "d.xlsx"
    book.save(path)
    assert [(r.id, dict(r.values)) for r in read_rows(path)] == [("A", {"id": "A", "在职人数": 14})]

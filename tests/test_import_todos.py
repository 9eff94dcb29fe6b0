"""`pingfen import` reads nothing silently wrong: what the table states and the importer cannot
read becomes a `# TODO` in the draft and a row not recognised — a 一票否决 below the table in
words it does not know, a row with a 分值 and no name, and grades the table never states."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pingfen.cli import main
from pingfen.importer import import_table
from pingfen.loader import diagnose
from test_import_layouts import docx_table
from test_import_more import GRADES, TITLED, build_xlsx
from xlsx_helpers import sheet_of

# ---------------------------------------------------------------- 一票否决 not read

UNREAD_VETOES = [
    "一票否决：发生重大违纪问题的，评价等级降一档",
    "一票否决：发生重大违规（重大违规）的，总分计0分",  # render's words, on a name the table does not declare
    "存在虚报冒领财政资金问题的，直接评为差",
]


@pytest.mark.parametrize("veto", UNREAD_VETOES)
@pytest.mark.parametrize("same_line", [False, True])
def test_a_veto_not_read_is_a_todo_that_counts(tmp_path: Path, veto: str, same_line: bool) -> None:
    """The line vanished from the draft and the import said 100%; on the grades line it hid the grades too."""
    path = build_xlsx(tmp_path / "表.xlsx", GRADES + veto) if same_line else build_xlsx(tmp_path / "表.xlsx", GRADES, veto)
    imported = import_table(path)
    assert imported.recognised == 2 and len(imported.rows) == 3
    assert f"# TODO: 未能识别一票否决“{veto}”" in imported.text
    assert f"  一票否决：未能识别“{veto}”，未写入否决规则，已标 TODO" in imported.summary("zh")
    assert f"  veto: “{veto}” not recognised, no veto written, marked TODO" in imported.summary("en")
    assert "grade 优秀 >= 9" in imported.text and "通用的划分" not in imported.text  # the grades still read
    assert [d.code for d in diagnose(imported.text) if d.severity == "error"] == []
    assert any(veto in str(d.args["text"]) for d in diagnose(imported.text) if d.code == "PF119")
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", str(path)], out, err) == 1
    assert "已识别 2/3 行评分标准（67%）" in err.getvalue()


def test_a_veto_not_read_below_a_word_table(tmp_path: Path) -> None:
    veto = UNREAD_VETOES[0]
    imported = import_table(docx_table(tmp_path / "t.docx", after=(GRADES.replace("9分", "18分"), veto)))
    assert f"# TODO: 未能识别一票否决“{veto}”" in imported.text
    assert imported.recognised == len(imported.rows) - 1


def with_items(path: Path) -> Path:
    """The table with a 指标数据说明 below it that declares 重大违规."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    for row in (["指标数据说明"], ["数据项", "类型", "取值或计算公式", "说明"], ["重大违规", "是否", None, "是否存在一票否决事项"]):
        sheet.append(row)
    book.save(path)
    return path


def test_a_veto_read_below_the_grades_line_is_kept(tmp_path: Path) -> None:
    """A veto on a line of its own after the grades line was never looked at."""
    imported = import_table(with_items(build_xlsx(tmp_path / "表.xlsx", GRADES, UNREAD_VETOES[1])))
    assert "veto 发生重大违规 if 重大违规 -> zero" in imported.text
    assert "# TODO:" not in imported.text and imported.recognised == len(imported.rows)  # a description is no veto


def test_a_veto_naming_a_grade_the_draft_lacks_counts(tmp_path: Path) -> None:
    """Its TODO was written, but the import said 100%."""
    veto = "一票否决：发生重大违规（重大违规）的，评为差"
    imported = import_table(with_items(build_xlsx(tmp_path / "表.xlsx", "评价结果：9分以上为优秀，其他为合格。保留一位小数", veto)))
    assert "# TODO: 等次“差”未能识别：veto 发生重大违规 if 重大违规 -> grade 差" in imported.text
    assert imported.recognised == 2 and len(imported.rows) == 3
    assert "  一票否决：等次“差”不是草稿的评价等次，已标 TODO" in imported.summary("zh")
    assert "  veto: the grade “差” is not one of the draft's grades, marked TODO" in imported.summary("en")


def test_notes_that_state_no_veto_are_no_todo(tmp_path: Path) -> None:
    imported = import_table(build_xlsx(tmp_path / "表.xlsx", GRADES, "注：数据以决算报表为准。"))
    assert "# TODO:" not in imported.text and imported.recognised == len(imported.rows) == 2


# ---------------------------------------------------------------- a 分值 without a name

NAMELESS = [
    ["投入", "执行率", 5, "执行率≥90%，计5分；低于90%，不得分"],
    [None, None, 3, "每发现一例违规扣1分，扣完为止"],
    ["产出", "制度", 2, "健全的得2分，不健全的不得分"],
]


def nameless_xlsx(path: Path, group_merged: bool) -> Path:
    """A row with 3 points and a criterion, its 二级指标 blank (its 一级指标 blank too, or merged with the row above)."""
    sheet = sheet_of([*TITLED, *NAMELESS, [GRADES]])
    if group_merged:
        sheet.merge_cells("A3:A4")
    sheet.parent.save(path)
    return path


@pytest.mark.parametrize("group_merged", [False, True])
def test_a_row_with_points_and_no_name_is_a_todo_that_counts(tmp_path: Path, group_merged: bool) -> None:
    """The row was skipped: its 3 points left the total (7) and the import said 100%."""
    path = nameless_xlsx(tmp_path / "t.xlsx", group_merged)
    imported = import_table(path)
    assert "total 10" in imported.text and "group 投入 8 {" in imported.text
    assert "indicator `未命名指标（第4行）` 3 { judgment }" in imported.text
    assert "# TODO: 原表第 4 行有分值 3 分，但没有指标名称" in imported.text
    assert imported.recognised == 2 and len(imported.rows) == 3
    assert "  第 4 行：有分值 3 分，但没有指标名称，暂写为评价分（judgment），已标 TODO" in imported.summary("zh")
    assert "  row 4: a 分值 of 3 but no indicator name, written as a judgment marked TODO" in imported.summary("en")
    assert [d.code for d in diagnose(imported.text) if d.severity == "error"] == []
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", str(path)], out, err) == 1


@pytest.mark.parametrize("cell", ["-3", "约3分", "3-5"])
def test_a_row_with_no_name_and_a_bad_points_cell_says_both(tmp_path: Path, cell: str) -> None:
    """A nameless row whose 分值 held -3 was reported as a bad 分值 alone (第 4 行 未命名指标（第4行）：
    分值单元格为…), its missing name unsaid, and its TODO said 有分值 0 分 where the cell held -3.
    Now one TODO and one summary line say the row, what its cell held, and that it has no name."""
    sheet = sheet_of([*TITLED, *[[*row[:2], cell, row[3]] if row[0] is None else row for row in NAMELESS], [GRADES]])
    path = tmp_path / "t.xlsx"
    sheet.parent.save(path)
    imported = import_table(path)
    assert "indicator `未命名指标（第4行）` 0 { judgment }" in imported.text, imported.text
    assert (f"# TODO: 原表第 4 行没有指标名称，分值单元格为“{cell}”，不是分值（不小于 0 的数）：暂命名为“未命名指标（第4行）”、"
            "暂记 0 分并按评价分（judgment）处理") in imported.text, imported.text
    assert "有分值 0 分" not in imported.text and imported.text.count(f"“{cell}”") == 1
    assert [r.kind for r in imported.rows if r.row == 4] == ["unnamed_points"]
    assert (f"  第 4 行：没有指标名称，分值单元格为“{cell}”，不是分值（不小于 0 的数），暂记 0 分，暂写为评价分（judgment），"
            "已标 TODO") in imported.summary("zh")
    assert (f"  row 4: no indicator name, and its 分值 cell holds “{cell}”, not a number of points (0 or more): 0 points "
            "for now, written as a judgment marked TODO") in imported.summary("en")
    assert [d.code for d in diagnose(imported.text) if d.severity == "error"] == []


@pytest.mark.parametrize("group_merged", [False, True])
@pytest.mark.parametrize("cell", ["十", "若干", "3～5分"])
def test_a_row_with_no_name_and_words_in_its_points_cell_is_not_lost(tmp_path: Path, cell: str, group_merged: bool) -> None:
    """A nameless row whose 分值 cell held no digit (十, 若干) was joined to the indicator above as
    more of its criterion, its 分值 lost unsaid; a cell with a digit (3～5分) was reported. Both now
    are a row of their own, its cell quoted in a TODO and in the summary."""
    sheet = sheet_of([*TITLED, *[[*row[:2], cell, row[3]] if row[0] is None else row for row in NAMELESS], [GRADES]])
    if group_merged:
        sheet.merge_cells("A3:A4")
    path = tmp_path / "t.xlsx"
    sheet.parent.save(path)
    imported = import_table(path)
    assert "indicator `未命名指标（第4行）` 0 { judgment }" in imported.text, imported.text
    assert f"# TODO: 原表第 4 行没有指标名称，分值单元格为“{cell}”" in imported.text, imported.text
    assert "每发现一例违规扣1分" not in imported.text.split("未命名指标")[0]  # not the 执行率 row's criterion
    assert [r.kind for r in imported.rows if r.row == 4] == ["unnamed_points"]
    assert any(line.startswith(f"  第 4 行：没有指标名称，分值单元格为“{cell}”，不是分值") for line in imported.summary("zh"))
    assert any(line.startswith(f"  row 4: no indicator name, and its 分值 cell holds “{cell}”, not a number of points")
               for line in imported.summary("en"))
    assert [d.code for d in diagnose(imported.text) if d.severity == "error"] == []


@pytest.mark.parametrize("points", [None, "merged"])
def test_a_nameless_row_with_no_points_of_its_own_goes_on(tmp_path: Path, points: str | None) -> None:
    """A row with no name and an empty (or merged) 分值 cell is the indicator above going on."""
    sheet = sheet_of([*TITLED, *[[*row[:2], None, row[3]] if row[0] is None else row for row in NAMELESS], [GRADES]])
    if points == "merged":
        sheet.merge_cells("C3:C4")
    path = tmp_path / "t.xlsx"
    sheet.parent.save(path)
    imported = import_table(path)
    assert "未命名指标" not in imported.text and [r.kind for r in imported.rows if r.row == 4] == []
    assert "执行率≥90%，计5分；低于90%，不得分" in imported.text and "每发现一例违规扣1分，扣完为止" in imported.text


@pytest.mark.parametrize("cell", ["/", "—", "-", "－", "同上", "续", "（续）"])
def test_a_nameless_row_with_a_placeholder_in_its_points_cell_goes_on(tmp_path: Path, cell: str) -> None:
    """A row with no name and a placeholder for its 分值 (/, —, 同上, 续) was an indicator of its own,
    未命名指标（第4行）, its criterion split from the one above; it is the indicator above going on."""
    sheet = sheet_of([*TITLED, *[[*row[:2], cell, row[3]] if row[0] is None else row for row in NAMELESS], [GRADES]])
    path = tmp_path / "t.xlsx"
    sheet.parent.save(path)
    imported = import_table(path)
    assert "未命名指标" not in imported.text and [r.kind for r in imported.rows if r.row == 4] == [], imported.text
    assert "# 评分标准：执行率≥90%，计5分；低于90%，不得分每发现一例违规扣1分，扣完为止" in imported.text  # one criterion
    assert "total 7" in imported.text and "group 投入 5 {" in imported.text


def test_a_word_row_with_points_and_no_name(tmp_path: Path) -> None:
    def blank_name(table: object) -> None:
        cells = table.rows[2].cells  # type: ignore[attr-defined]  # 调整率's row
        cells[1].text = cells[2].text = ""

    imported = import_table(docx_table(tmp_path / "t.docx", blank_name))
    assert "indicator `未命名指标（第3行）` 5 { judgment }" in imported.text and "total 20" in imported.text
    assert imported.recognised == len(imported.rows) - 2  # and the rounding, not stated


# ---------------------------------------------------------------- a 评分标准 split over two rows

SPLIT = [
    ["投入", "执行率", 5, "执行率≥90%，计5分；80%（含）-90%，计4分；"],
    [None, None, None, "低于80%，不得分"],  # the 评分标准 going on, no name and no 分值
    ["产出", "制度", 5, "健全的得5分，不健全的不得分"],
]


def split_xlsx(path: Path, merged: str, rest: str = "低于80%，不得分") -> Path:
    """A criterion split over two rows: the names and 分值 blank in the second, or those of the
    `merged` columns merged down into it."""
    sheet = sheet_of([*TITLED, *(row if row[3] != SPLIT[1][3] else [*row[:3], rest] for row in SPLIT), [GRADES]])
    for column in merged:
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.parent.save(path)
    return path


@pytest.mark.parametrize("merged", ["", "AC", "ABC"])  # blank, the group and 分值 merged, all merged
def test_a_criterion_going_on_in_the_next_row_is_read_whole(tmp_path: Path, merged: str) -> None:
    """The second row was skipped (or, its group merged into it, given to the group): its text
    lost, the first half refused (0% in no band), nothing said of it."""
    imported = import_table(split_xlsx(tmp_path / "t.xlsx", merged))
    assert "# 评分标准：执行率≥90%，计5分；80%（含）-90%，计4分；低于80%，不得分" in imported.text
    assert "< 80%      -> 0" in imported.text
    assert "# TODO: 识别" not in imported.text and imported.recognised == 2


@pytest.mark.parametrize("merged", ["", "AC", "ABC"])  # blank, the group and 分值 merged, all merged
def test_a_criterion_going_on_that_is_not_read_is_quoted_and_counted(tmp_path: Path, merged: str) -> None:
    imported = import_table(split_xlsx(tmp_path / "t.xlsx", merged, "低于80%的，按实际情况另行商定"))
    assert "低于80%的，按实际情况另行商定" in imported.text
    assert "# TODO: " in imported.text and imported.recognised == 1
    assert "  第 3 行 执行率：" in "\n".join(imported.summary("zh"))


def test_a_word_criterion_going_on_in_the_next_row(tmp_path: Path) -> None:
    """Word splits 执行率's 评分标准 over two rows; the second's 分值 merged down from the first."""

    def split(table: object) -> None:
        import copy

        first = table.rows[1]  # type: ignore[attr-defined]  # 执行率's row
        first.cells[4].text = "执行率≥90%，计5分；80%（含）-90%，计4分；"
        tr = copy.deepcopy(first._tr)
        first._tr.addnext(tr)
        second = table.rows[2]  # type: ignore[attr-defined]
        for c in range(4):
            second.cells[c].text = ""
        second.cells[4].text = "低于80%，不得分"
        first.cells[3].merge(second.cells[3]).text = "5"

    imported = import_table(docx_table(tmp_path / "t.docx", split))
    assert "# 评分标准：执行率≥90%，计5分；80%（含）-90%，计4分；低于80%，不得分" in imported.text
    assert "total 20" in imported.text and imported.recognised == len(imported.rows) - 1  # the rounding not stated


def test_the_grades_line_in_the_criterion_column_closes_the_table(tmp_path: Path) -> None:
    """Below a table without a total, the grades line written in the 评分标准 column is no criterion going on."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["一级指标", "二级指标", "分值", "评分标准"])
    sheet.append(SPLIT[2])
    sheet.append([None, None, None, "评价等次：4分（含）以上为优秀，4分以下为差。总分保留一位小数。"])
    book.save(tmp_path / "t.xlsx")
    imported = import_table(tmp_path / "t.xlsx")
    assert "# 评分标准：健全的得5分，不健全的不得分\n" in imported.text and "grade 优秀 >= 4\n" in imported.text
    assert "通用的划分" not in imported.text and imported.recognised == len(imported.rows) == 1


# ---------------------------------------------------------------- a rounding the table does not state


def test_a_rounding_the_table_does_not_state_is_a_todo_that_counts(tmp_path: Path) -> None:
    """`round total 2 half_up` was written as if the table said it, and the import said 100%."""
    path = build_xlsx(tmp_path / "表.xlsx", "评价等次：9分（含）以上为优秀，9分以下为合格。")
    imported = import_table(path)
    head = imported.text.split("}")[0]
    assert "  # TODO: 评分表未写明总分的保留位数，暂按四舍五入保留 2 位小数写入；" in head
    assert head.index("保留位数") < head.index("round total 2 half_up") and "grade 优秀 >= 9" in head
    assert imported.recognised == 2 and [r.kind for r in imported.rows if not r.recognised] == ["rounding"]
    assert imported.summary("zh")[1:] == ["  保留位数：评分表未写明，暂按总分四舍五入保留 2 位小数写入，已标 TODO"]
    assert imported.summary("en")[1:] == ["  rounding: the table states none, the total rounded half up to 2 places written, marked TODO"]
    assert any("保留位数" in str(d.args["text"]) for d in diagnose(imported.text) if d.code == "PF119")
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", str(path)], out, err) == 1 and "已识别 2/3 行评分标准（67%）" in err.getvalue()
    stated = import_table(build_xlsx(tmp_path / "保留.xlsx", "评价等次：9分（含）以上为优秀，9分以下为合格。总分保留两位小数。"))
    assert "round total 2 half_up" in stated.text and "# TODO" not in stated.text
    assert stated.recognised == len(stated.rows) == 2


@pytest.mark.parametrize("merged", ["", "AC"])
def test_a_note_row_below_an_indicator_is_no_rule_of_it(tmp_path: Path, merged: str) -> None:
    """A row of only 注：… in the 评分标准 column is a note, not the criterion going on: it was read
    into 执行率's rule (`input 注: label`, counted as recognised); it is left out, as before."""
    imported = import_table(split_xlsx(tmp_path / "t.xlsx", merged, "注：不涉及政府采购的，该项不得分。"))
    assert "input 注" not in imported.text and "match 注" not in imported.text
    if not merged:  # left out, as before
        assert "# 评分标准：执行率≥90%，计5分；80%（含）-90%，计4分；\n" in imported.text
    else:  # 投入 and the 分值 merged down into it: quoted with the criterion, under a TODO
        assert "该项不得分。\n  # TODO: " in imported.text
    assert "indicator 制度 5" in imported.text  # the rows after it are read


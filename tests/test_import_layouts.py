"""`pingfen import` of tables as offices save them: the sheet Excel shows (not a hidden one
before it), Word rows that start late or end early, a title under an annex label, notes
below a table without a 总分 row, a 分值 formula Excel never computed or no number at all, invisible
characters pasted from a web page, and a Word table split over two pages, and Word cells merged after
each was filled."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from pingfen.cli import main
from pingfen.importer import import_table
from pingfen.loader import diagnose

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


def errors(text: str) -> list[str]:
    return [d.code for d in diagnose(text) if d.severity == "error"]


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


@pytest.mark.parametrize("hide_first", [True, False])
def test_a_workbook_saved_on_another_sheet_names_the_table_sheet(tmp_path: Path, hide_first: bool) -> None:
    """Saved showing 说明, the table was refused PF508 找不到评分表 with no word of the sheet
    that holds it, where eval's PF531 names the sheet of the data; the hint names 评分表 now
    (the visible one: a hidden 旧表 is last year's, passed over as the reader passes it over)."""
    path = sheets(tmp_path / "t.xlsx", hide_first=hide_first, active=1)
    code, out, err = run("import", str(path))
    assert (code, out) == (2, "")
    named = "`评分表`" if hide_first else "`旧表`、`评分表`"  # 旧表 visible too: both are named, for the user to choose
    assert err.splitlines() == [
        f"错误[PF508]: 无法读取 `{path}`：找不到评分表：没有一行表头同时含有“指标”列和“分值”或“评分标准”列",
        f"  = 帮助: 工作表 {named} 中有评分表，而工作簿打开时显示的是另一个工作表（pingfen 读取的是它）：请在 Excel 中切换到要导入的工作表后保存",
    ]  # fmt: skip
    code, _, err = run("--lang", "en", "import", str(path))
    # English counts them: "on the sheet(s)" was singular before two names too
    said = "a rubric table is on the sheet `评分表`" if hide_first else "rubric tables are on the sheets `旧表`, `评分表`"
    assert code == 2 and f"help: {said}, but the workbook opens on another" in err


def test_a_workbook_with_no_table_on_any_sheet_has_no_sheet_hint(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["填表说明：本表由评价单位填写"])
    book.create_sheet("空表").append(["单位", "金额"])
    book.save(tmp_path / "t.xlsx")
    code, _, err = run("import", str(tmp_path / "t.xlsx"))
    assert code == 2 and "找不到评分表" in err and "帮助" not in err


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


# ---------------------------------------------------------------- Word rows of other widths


def docx_table(path: Path, change: Callable[[Any], None] | None = None, *, before: tuple[str, ...] = (),
               after: tuple[str, ...] = (GRADES,), total: bool = True) -> Path:  # fmt: skip
    import docx

    document = docx.Document()
    for text in before or ("2022年部门整体支出绩效评价评分表",):
        document.add_paragraph(text)
    rows = [HEADER, *ROWS, *([("总分", "", "", "20", "")] if total else [])]
    table = document.add_table(rows=len(rows), cols=len(HEADER))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    if change is not None:
        change(table)
    for text in after:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def _grid(tr: Any, name: str, value: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(name)
    element.set(qn("w:val"), str(value))
    tr.get_or_add_trPr().insert(0, element)


def grid_before(table: Any) -> None:
    """Row 3 starts a column late: its first cell (blank, under 投入) is left out, as Word does."""
    tr = table.rows[2]._tr
    tr.remove(tr.tc_lst[0])
    _grid(tr, "w:gridBefore", 1)


def grid_after(table: Any) -> None:
    """The 总分 row ends two columns early."""
    tr = table.rows[5]._tr
    for tc in tr.tc_lst[-2:]:
        tr.remove(tc)
    _grid(tr, "w:gridAfter", 2)


def short_row(table: Any) -> None:
    """Row 5 just has a cell fewer (its 评分标准), with no gridAfter saying so."""
    tr = table.rows[4]._tr
    tr.remove(tr.tc_lst[-1])


@pytest.mark.parametrize("change", [grid_before, grid_after])
def test_word_rows_that_start_late_or_end_early_read_as_the_full_table(tmp_path: Path, change: Any) -> None:
    """An IndexError (exit 2, 'internal error') on any row shorter than the grid."""
    plain = import_table(docx_table(tmp_path / "plain.docx"))
    odd = import_table(docx_table(tmp_path / "odd.docx", change))
    assert odd.text.split("\n", 2)[2] == plain.text.split("\n", 2)[2]
    assert odd.recognised == len(odd.rows) - 1 == 4  # the rounding, not stated, under a TODO


def test_a_row_with_a_cell_fewer_leaves_that_cell_empty(tmp_path: Path) -> None:
    code, out, err = run("import", str(docx_table(tmp_path / "short.docx", short_row)))
    assert code == 1, err
    assert "第 5 行 违规：未能识别" in err and "internal error" not in err
    assert "indicator 违规 5 { judgment }" in out


def merged_full(table: Any) -> None:
    """Cells merged after each was filled, as staff merge them: 投入（10分） typed on both its rows
    then merged down, 违规 typed in 二级 and 三级指标 then merged across, and 制度's criterion
    typed on its row and the next then merged down. Merging keeps each cell's text."""
    table.cell(2, 0).text = "投入（10分）"
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(4, 1).text = table.cell(4, 2).text = "违规"
    table.cell(4, 1).merge(table.cell(4, 2))
    table.cell(4, 4).text = table.cell(3, 4).text
    table.cell(3, 4).merge(table.cell(4, 4))


def test_merged_word_cells_that_each_held_the_text_read_it_once(tmp_path: Path) -> None:
    """投入（10分） merged over its two rows read as the group 投入（10分）投入, 违规 as 违规违规."""
    imported = import_table(docx_table(tmp_path / "merged.docx", merged_full))
    assert "group 投入 10 {" in imported.text and "indicator 违规 5 {" in imported.text
    assert "投入投入" not in imported.text and "违规违规" not in imported.text and "10分）投入" not in imported.text
    rules = imported.text.split("indicator 制度 5 {")[1].split("}")[0]
    assert "match" in rules and rules.count("基本健全") == 1, imported.text  # its criterion read once, as one rule


def test_a_merged_word_cell_keeps_text_that_differs(tmp_path: Path) -> None:
    def merged(table: Any) -> None:
        table.cell(2, 0).text = "预算执行"
        table.cell(1, 0).merge(table.cell(2, 0))

    assert "group `投入（10分）预算执行` 10 {" in import_table(docx_table(tmp_path / "m.docx", merged)).text


# ---------------------------------------------------------------- the title, and the table's end


def xlsx_table(path: Path, above: tuple[str, ...], below: tuple[str, ...] = (), *, total: bool = True) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for text in above:
        sheet.append([text])
    sheet.append(list(HEADER))
    for row in ROWS:
        sheet.append([*row[:3], int(row[3]), row[4]])
    if total:
        sheet.append(["总分", "", "", 20, ""])
    for text in below:
        sheet.append([text])
    book.save(path)
    return path


@pytest.mark.parametrize(
    "above",
    [
        ("附件2-2", "2021年度部门整体支出绩效评价评分表"),
        ("附件2-2：", "2021年度部门整体支出绩效评价评分表", "单位：分"),
        ("附件 2021年度部门整体支出绩效评价评分表",),  # the label's number is no year
    ],
)
def test_the_title_under_an_annex_label_keeps_its_year(tmp_path: Path, above: tuple[str, ...]) -> None:
    """附件2-2 on its own line above the title: the rubric was named after the file, `year` lost."""
    text = import_table(xlsx_table(tmp_path / "t.xlsx", above)).text
    assert 'rubric "2021年度部门整体支出绩效评价评分表" {' in text and "  year 2021" in text


def test_a_word_title_is_the_last_paragraph_before_the_table(tmp_path: Path) -> None:
    """The first paragraph was taken (a notice's heading, 附件2), as the docstring said it was not."""
    before = ("关于开展2020年度绩效自评工作的通知", "请于3月底前报送。", "附件2", "2021年度部门整体支出绩效评价评分表")
    text = import_table(docx_table(tmp_path / "t.docx", before=before)).text
    assert 'rubric "2021年度部门整体支出绩效评价评分表" {' in text and "  year 2021" in text


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_notes_below_a_table_without_a_total_are_no_indicators(tmp_path: Path, suffix: str) -> None:
    """附件2 and the notes became 0-point TODO indicators; the grades line below was not read."""
    below = ("注：1.评价结果分为优秀、良好、中、差四个等次；2.数据以决算报表为准。", "评价结果：18分以上为优秀，其他为合格")
    path = (xlsx_table(tmp_path / "t.xlsx", ("附件2", "2022年评分表"), below, total=False) if suffix == ".xlsx" else
            docx_table(tmp_path / "t.docx", before=("附件2", "2022年评分表"), after=below, total=False))  # fmt: skip
    imported = import_table(path)
    assert [r.indicator for r in imported.rows] == ["执行率", "调整率", "制度", "违规", "保留位数"]  # no rounding stated
    assert imported.recognised == 4
    assert "注" not in "".join(r.indicator for r in imported.rows) and "附件2" not in imported.text.split("}")[0]
    assert "grade 优秀 >= 18" in imported.text and "total 20" in imported.text
    assert errors(imported.text) == []


# ---------------------------------------------------------------- a formula never computed


def formula_table(path: Path, cell: object = "=2+3", total: object = 20) -> Path:
    """分值 as a formula, saved by a program: openpyxl writes no result for Excel to show."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2022年评分表"])
    sheet.append(list(HEADER))
    for i, row in enumerate(ROWS):
        sheet.append([*row[:3], cell if i == 0 else int(row[3]), row[4]])
    sheet.append(["总分", "", "", total, ""])
    book.save(path)
    return path


def test_a_points_formula_with_no_saved_result_is_a_todo_naming_the_cell(tmp_path: Path) -> None:
    """It read as max 0, 100% recognised, exit 0."""
    path = formula_table(tmp_path / "f.xlsx")
    imported = import_table(path)
    first = imported.rows[0]
    assert (first.indicator, first.kind, first.recognised, first.detail) == ("执行率", "formula", False, "D3（=2+3）")
    assert "  第 3 行 执行率：分值单元格 D3（=2+3）是没有保存计算结果的公式，已标 TODO（请在 Excel 中打开并保存后重新导入）" in (
        imported.summary("zh"))
    assert ("  row 3 执行率: its 分值 cell D3 (=2+3) is a formula with no saved result, marked TODO "
            "(open and save the file in Excel, then import it again)") in imported.summary("en")
    assert "# TODO: 分值单元格 D3（=2+3）是公式，没有保存的计算结果" in imported.text
    assert "indicator 执行率 0 { judgment }" in imported.text
    # 投入（10分） over rows of 0 and 5: the draft fails the checks, and says so
    assert [r.kind for r in imported.rows[1:]] == ["step", "labels", "count", "grades", "rounding", "draft"]  # no grades line
    assert imported.rows[-1].detail.startswith("PF302：`投入` 下级指标分值合计 5，与其分值 10 不符")
    assert "  the draft fails the checks (PF302: " in "\n".join(imported.summary("en"))
    code, _, err = run("import", str(path))
    assert code == 1 and "已识别 3/7 行评分标准（43%）" in err


def test_a_formula_with_its_result_saved_reads_as_its_result(tmp_path: Path) -> None:
    path = formula_table(tmp_path / "f.xlsx", total="=SUM(D3:D6)")  # the total's formula: the rows' sum is used
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.active["D3"] = 5  # as Excel saves it: the value shown, the formula gone from the data-only view
    book.save(path)
    imported = import_table(path)
    assert imported.recognised == 4 and [r.kind for r in imported.rows if not r.recognised] == ["grades", "rounding"]  # none stated
    assert "total 20" in imported.text and errors(imported.text) == []


@pytest.mark.parametrize(("cell", "shown"), [
    (datetime(2021, 3, 5), "2021-03-05 00:00:00"),  # a 分值 typed where Excel takes it for a date
    (-3, "-3"),
    ("-3分", "-3分"),
    ("约5分", "约5分"),
    ("5-8", "5-8"),
])  # fmt: skip
def test_a_points_cell_that_is_no_number_of_points_is_a_todo(tmp_path: Path, cell: object, shown: str) -> None:
    """Its first digits were the row's points — a date gave 2021, -3 gave 3 — and the row
    counted as recognised."""
    path = formula_table(tmp_path / "p.xlsx", cell=cell)
    imported = import_table(path)
    first = imported.rows[0]
    assert (first.indicator, first.kind, first.recognised, first.detail) == ("执行率", "points", False, shown)
    assert f"  第 3 行 执行率：分值单元格为“{shown}”，不是分值（不小于 0 的数），暂记 0 分，已标 TODO" in imported.summary("zh")
    assert (f"  row 3 执行率: its 分值 cell holds “{shown}”, not a number of points (0 or more): 0 points for now, "
            "marked TODO") in imported.summary("en")
    assert f"# TODO: 分值单元格为“{shown}”，不是分值（不小于 0 的数），暂记 0 分；请填写分值后删去本行" in imported.text
    assert "indicator 执行率 0 { judgment }" in imported.text and "2021" not in imported.text.split("执行率")[1]
    code, _, err = run("import", str(path))
    assert code == 1 and "已识别 3/7 行评分标准（43%）" in err


@pytest.mark.parametrize("cell", ["５", "5 分", "5分", "５.0", "（5分）", "(5)", "5分。", "5（分）"])
def test_a_points_cell_as_staff_type_it_is_its_number(tmp_path: Path, cell: str) -> None:
    imported = import_table(formula_table(tmp_path / "p.xlsx", cell=cell))
    assert imported.rows[0].recognised and "indicator 执行率 5 {" in imported.text


def test_a_word_points_cell_that_is_no_number_of_points_is_a_todo(tmp_path: Path) -> None:
    def negative(table: Any) -> None:
        table.cell(1, 3).text = "-5"

    imported = import_table(docx_table(tmp_path / "p.docx", negative))
    assert [(r.indicator, r.kind, r.detail) for r in imported.rows if not r.recognised][0] == ("执行率", "points", "-5")
    assert "indicator 执行率 0 { judgment }" in imported.text


# ---------------------------------------------------------------- text pasted from a web page


def _pasted(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The rows with the invisible characters a web page's table brings when pasted: a
    zero-width space inside a name and a criterion, a BOM before a name, a word joiner after one."""
    out = [list(row) for row in rows]
    out[0][2] = "执\u200b行率"
    out[1][2] = "\ufeff调整率"
    out[2][2] = "制度\u2060"
    out[0][4] = out[0][4].replace("计4分", "计\u200b4分")
    return [tuple(row) for row in out]


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_invisible_characters_pasted_into_cells_are_dropped(tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A zero-width space or a BOM in a cell went into the draft's names: each such row became
    a TODO judgment (its rule failed PF007) and the draft failed `pingfen check`."""
    monkeypatch.setattr(f"{__name__}.ROWS", _pasted(ROWS))
    path = (xlsx_table(tmp_path / "t.xlsx", ("2022年评分表",), (GRADES + "\u200b保留两位小数。",)) if suffix == ".xlsx" else
            docx_table(tmp_path / "t.docx", after=("\ufeff" + GRADES + "保留两位\u200b小数。",)))  # fmt: skip
    imported = import_table(path)
    assert imported.recognised == len(imported.rows) == 4, imported.summary()
    assert "indicator 执行率 5" in imported.text and "indicator 调整率 5" in imported.text
    assert "indicator 制度 5" in imported.text and "grade 优秀 >= 90" in imported.text
    assert "round total 2 half_up" in imported.text and "TODO:" not in imported.text
    assert errors(imported.text) == []


# ---------------------------------------------------------------- a Word table split over two pages


def split_docx(path: Path, between: str | None, *, repeat_header: bool) -> Path:
    """The rows as two Word tables, as a table split at a page (or pasted in two parts) is: a
    page break, or a 续表 label, between them, and the header repeated on the second or not."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph("2022年部门整体支出绩效评价评分表")
    parts = [[HEADER, *ROWS[:2]], [*([HEADER] if repeat_header else []), *ROWS[2:], ("总分", "", "", "20", "")]]
    for n, rows in enumerate(parts):
        if n:
            paragraph = document.add_paragraph(between or "")
            if between is None:
                paragraph.add_run().add_break(WD_BREAK.PAGE)
        table = document.add_table(rows=len(rows), cols=len(HEADER))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    document.add_paragraph(GRADES + "保留两位小数。")
    document.save(str(path))
    return path


@pytest.mark.parametrize(("between", "repeat_header"), [(None, True), (None, False), ("续表", True), ("（续表）", False)])
def test_a_word_table_split_over_two_pages_is_read_whole(tmp_path: Path, between: str | None, repeat_header: bool) -> None:
    """Only the first part was read: the rows of the second were lost, and the import said
    2/2 rows recognised, exit 0, total 10 of the table's 20."""
    imported = import_table(split_docx(tmp_path / "t.docx", between, repeat_header=repeat_header))
    assert [r.indicator for r in imported.rows] == ["执行率", "调整率", "制度", "违规"], imported.summary()
    assert imported.recognised == 4 and "total 20" in imported.text and "grade 优秀 >= 90" in imported.text
    assert "group 产出 10 {" in imported.text and "indicator 违规 5 {" in imported.text
    assert errors(imported.text) == []


def test_a_table_after_the_grades_line_is_not_part_of_the_rubric(tmp_path: Path) -> None:
    """Only a table with nothing but a page break or a 续表 label before it goes on with the rubric's."""
    imported = import_table(split_docx(tmp_path / "t.docx", "附表：其他指标", repeat_header=True))
    assert [r.indicator for r in imported.rows] == ["执行率", "调整率"]


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_the_header_repeated_inside_the_table_is_no_row(tmp_path: Path, suffix: str) -> None:
    """A table printed over two pages and pasted back as one holds its header twice: the second
    became a group 一级指标 of 0 points holding a TODO judgment 三级指标."""

    def again(table: Any) -> None:
        row = table.rows[2]._tr
        row.addnext(copy.deepcopy(table.rows[0]._tr))

    if suffix == ".xlsx":
        path = xlsx_table(tmp_path / "t.xlsx", ("2022年评分表",), (GRADES + "保留两位小数。",))
        from openpyxl import load_workbook

        book = load_workbook(path)
        sheet = book.active
        assert sheet is not None
        sheet.insert_rows(5)
        for c, text in enumerate(HEADER, start=1):
            sheet.cell(5, c, text)
        book.save(path)
    else:
        path = docx_table(tmp_path / "t.docx", again, after=(GRADES + "保留两位小数。",))
    imported = import_table(path)
    assert [r.indicator for r in imported.rows] == ["执行率", "调整率", "制度", "违规"], imported.summary()
    assert "一级指标" not in imported.text and "total 20" in imported.text and errors(imported.text) == []


def test_the_data_table_after_the_rubrics_with_no_heading_between_is_not_its_next_page(tmp_path: Path) -> None:
    """A DOCX render wrote, its 指标数据说明 heading deleted (the grades line moved below): the
    数据项 | 类型 table, as wide as a one-level rubric's, was read as the rubric's second page —
    every row a TODO judgment, 识别 0/4 of 2 rows, the inputs and 不评定等次 lost."""
    import docx

    import pingfen
    from pingfen.render import render_table

    rule = (
        'rubric "计量" { total 20 }\n'
        "input 逾期天数: count >= 0\n"
        "input 宽限天数: count >= 0\n"
        "indicator 及时性 10 { deduct 1 per 10 of 逾期天数 }\n"
        "indicator 超期 10 { deduct 1 per 1 of 逾期天数 above 宽限天数 }\n"
    )
    path = tmp_path / "r.docx"
    render_table(pingfen.loads(rule, "m.rule"), "docx", str(path))
    document = docx.Document(str(path))
    between = [e for e in document.element.body.iterchildren() if e.tag.endswith("}p")][1:3]
    for element in between:
        for t in element.iter():
            if t.tag.endswith("}t"):
                t.text = ""
    document.add_paragraph("评价等次：不评定等次；总分四舍五入保留2位小数。")
    document.save(str(path))
    imported = import_table(path)
    assert [r.indicator for r in imported.rows] == ["及时性", "超期"], imported.summary()
    assert imported.recognised == 2 and "input 逾期天数: count" in imported.text and errors(imported.text) == []


def test_a_signature_table_as_wide_right_after_the_rubric_is_not_its_next_page(tmp_path: Path) -> None:
    """评分人 | … | 复核人 | … under a rubric with no 总分 row, a page break between: no rubric
    row, though as wide (a 总分 row closes the table, and what follows it is not read)."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph("2022年部门整体支出绩效评价评分表")
    rows = [HEADER, *ROWS]
    table = document.add_table(rows=len(rows), cols=len(HEADER))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("").add_run().add_break(WD_BREAK.PAGE)
    signatures = document.add_table(rows=1, cols=len(HEADER))
    for c, text in enumerate(("评分人：", "张三", "复核人：", "李四（签字）", "2022年3月1日")):
        signatures.cell(0, c).text = text
    document.add_paragraph(GRADES + "保留两位小数。")
    path = tmp_path / "t.docx"
    document.save(str(path))
    imported = import_table(path)
    assert [r.indicator for r in imported.rows] == ["执行率", "调整率", "制度", "违规"], imported.summary()
    assert imported.recognised == 4 and "评分人" not in imported.text and "张三" not in imported.text


@pytest.mark.parametrize("retyped", [("分值", "分值（分）"), ("评分标准", "评分要点")])
def test_a_second_page_whose_header_is_typed_again_otherwise_goes_on(tmp_path: Path, retyped: tuple[str, str]) -> None:
    """Page 2's header retyped (分值（分） for 分值): the page was taken for another table and
    dropped — 2/2 rows, 100%, total 10 of the table's 20."""
    import docx

    path = split_docx(tmp_path / "t.docx", None, repeat_header=True)
    document = docx.Document(str(path))
    column = HEADER.index(retyped[0])
    document.tables[1].cell(0, column).text = retyped[1]
    document.save(str(path))
    imported = import_table(path)
    assert [r.indicator for r in imported.rows] == ["执行率", "调整率", "制度", "违规"], imported.summary()
    assert imported.recognised == 4 and "total 20" in imported.text and errors(imported.text) == []


@pytest.mark.parametrize("total", ["-100", "约100分", "2021-03-05"])
def test_a_total_cell_that_is_no_number_of_points_is_the_rows_sum_under_a_todo(tmp_path: Path, total: str) -> None:
    """The 总分 row's first digits were the total: -100 gave 100, 约100分 100, a date 2021."""
    imported = import_table(formula_table(tmp_path / "t.xlsx", cell=5, total=total))
    assert "  total 20\n" in imported.text and "total 100" not in imported.text and "total 2021" not in imported.text
    assert "# TODO: 总分单元格为“" in imported.text and "不是分值；暂按各行分值之和写入" in imported.text, imported.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_summary_counts_the_todo_of_a_total_cell_that_is_no_number_of_points(tmp_path: Path, lang: str) -> None:
    """The draft had a TODO for the 总分 cell, and the summary said nothing of it: 识别 4/4
    (100%) and exit 0 for a table whose grades and rounding are stated."""
    from openpyxl import load_workbook

    path = formula_table(tmp_path / "t.xlsx", cell=5, total="-100")
    book = load_workbook(path)
    book.active.append([GRADES + "保留两位小数。"])  # grades and rounding stated: no TODO of theirs
    book.save(path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["--lang", lang, "import", str(path)], out, err) == 1
    said = {"zh": ["已识别 4/5 行评分标准（80%）",
                   "  第 7 行 总分：分值单元格为“-100”，不是分值，暂按各行分值之和写入，已标 TODO"],
            "en": ["recognised 4 of 5 rows' criteria (80%)",
                   "  row 7 总分: its 分值 cell holds “-100”, not a number of points: the rows' points added up for now, "
                   "marked TODO"]}  # fmt: skip
    assert err.getvalue().splitlines() == said[lang]
    first = out.getvalue().splitlines()[0]
    assert first.endswith("识别 4/5 行评分标准。" if lang == "zh" else "4 of 5 rows' criteria recognised."), first
    assert out.getvalue().count("# TODO") == 1  # the one the summary names


@pytest.mark.parametrize("total", [20, "20分", "（20分）"])
def test_a_total_cell_as_staff_type_it_is_the_total(tmp_path: Path, total: object) -> None:
    imported = import_table(formula_table(tmp_path / "t.xlsx", cell=5, total=total))
    assert "  total 20\n" in imported.text and "总分单元格" not in imported.text


def test_a_data_items_cell_merged_across_columns_is_read_once(tmp_path: Path) -> None:
    """The 指标数据说明 of a DOCX render, a row's 取值 merged with its empty 说明 (as staff tidy a
    table): python-docx gives the merged cell in each column it spans, so 好、差 was read as the
    labels and as the description too, ≥0 as the range and as the description. A merged cell is
    read once, in its first column: the import is the one of the table as rendered."""
    import docx

    import pingfen
    from pingfen.render import render_table

    rule = (
        'rubric "计量" { total 20 }\n'
        "input 等级: label { 好, 差 }\n"
        "input 率: percent >= 0\n"
        "indicator 等 10 { match 等级 { 好 -> 10 差 -> 0 } }\n"
        "indicator 完成 10 { score = 率 * 10 }\n"
    )
    path = tmp_path / "r.docx"
    render_table(pingfen.loads(rule, "m.rule"), "docx", str(path))
    rendered = import_table(path).text
    document = docx.Document(str(path))
    items = document.tables[-1]
    assert [[c.text for c in row.cells][:3] for row in items.rows[1:]] == [["等级", "等级", "好、差"], ["率", "百分比", "≥0"]]
    for row in items.rows[1:]:
        assert row.cells[3].text == ""
        row.cells[2].merge(row.cells[3])
    document.save(str(path))
    assert all(row.cells[2].text.strip() == row.cells[3].text.strip() != "" for row in docx.Document(str(path)).tables[-1].rows[1:])
    imported = import_table(path).text.replace("r.docx", "")
    assert imported == rendered.replace("r.docx", ""), imported
    assert "好、差" not in imported and "≥0" not in imported

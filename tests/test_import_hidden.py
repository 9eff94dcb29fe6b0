"""`pingfen import` of a workbook whose table hides a row (often an indicator the staff took out)
or a column: each was read as if shown, without a word. It is still imported — nothing is lost —
but said: a line per hidden row in the summary naming its indicator, a `# TODO` above its rule in
the draft (which `pingfen check` lists, PF119), and a line for a hidden column the table is read from."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pingfen.cli import main
from pingfen.importer import import_table
from pingfen.loader import diagnose
from xlsx_helpers import sheet_of

ROWS: list[list[object]] = [
    ["2022年评分表"],
    ["一级指标", "二级指标", "分值", "评分标准", "备注"],
    ["投入", "执行率", 5, "执行率≥90%，计5分；≥80%，计4分；＜80%，不得分", "上年沿用"],
    ["", "信息公开", 2, "①按规定内容公开，1分；②按规定时限公开，1分。未公开的不得分", ""],
    ["", "资产管理", 3, "①制度健全，1分；②账实相符，2分。", ""],
    ["总分", "", 10, ""],
    ["评价等次：6分（含）以上为合格，6分以下为不合格。总分保留一位小数。"],
]


def _table(tmp_path: Path, rows: tuple[int, ...] = (), columns: tuple[str, ...] = ()) -> Path:
    sheet = sheet_of(ROWS)
    for r in rows:
        sheet.row_dimensions[r].hidden = True
    for c in columns:
        sheet.column_dimensions[c].hidden = True
    path = tmp_path / "去年.xlsx"
    sheet.parent.save(path)
    return path


def test_a_hidden_row_is_imported_and_said_to_be_hidden(tmp_path: Path) -> None:
    imported = import_table(_table(tmp_path, rows=(4,)))
    assert imported.recognised == len(imported.rows) == 3  # nothing lost, and nothing counted unread for it
    assert "indicator 信息公开 2 {" in imported.text
    todo = "# TODO: 原表第 4 行在 Excel 中是隐藏行，已照常导入；如该指标已不再使用，请删去它，否则删去本行"
    lines = imported.text.splitlines()
    assert lines[lines.index("  indicator 信息公开 2 {") - 1] == f"  {todo}"
    assert imported.text.count("隐藏") == 1  # the rows shown are said nothing of
    assert imported.summary("zh")[1:] == ["  第 4 行是隐藏行，已照常导入：信息公开；如该指标已不再使用，请在草稿中删去它"]
    assert imported.summary("en")[1:] == ["  row 4 is hidden in Excel and was imported as any other: 信息公开; "
                                          "if the indicator is no longer used, delete it from the draft"]  # fmt: skip
    found = diagnose(imported.text)
    assert [d.code for d in found if d.severity == "error"] == []
    assert any("隐藏行" in str(d.args["text"]) for d in found if d.code == "PF119")  # `pingfen check` lists it


def test_the_command_says_it_and_still_succeeds(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", str(_table(tmp_path, rows=(5,)))], out, err) == 0  # every row recognised
    assert "第 5 行是隐藏行，已照常导入：资产管理" in err.getvalue()
    assert "原表第 5 行在 Excel 中是隐藏行" in out.getvalue()
    english = import_table(_table(tmp_path, rows=(5,)), lang="en").text
    assert "# TODO: row 5 of the table is hidden in Excel and was imported as any other" in english


@pytest.mark.parametrize(("column", "said"), [("D", "评分标准"), ("C", "分值")])
def test_a_hidden_column_read_is_said_to_be_hidden(tmp_path: Path, column: str, said: str) -> None:
    imported = import_table(_table(tmp_path, columns=(column,)))
    assert imported.recognised == 3
    assert imported.summary("zh")[1:] == [f"  第 {column} 列（{said}）是隐藏列，已照常读取"]
    assert imported.summary("en")[1:] == [f"  column {column} ({said}) is hidden in Excel and was read as any other"]
    assert f"# 原表第 {column} 列（{said}）在 Excel 中是隐藏列，已照常读取。" in imported.text


def test_what_is_not_read_or_not_hidden_is_said_nothing_of(tmp_path: Path) -> None:
    hidden = import_table(_table(tmp_path, rows=(1,), columns=("E",)))  # the title row, and 备注, which is not read
    shown = import_table(_table(tmp_path))
    assert hidden.hidden == shown.hidden == ()
    assert hidden.text == shown.text and hidden.summary("zh") == shown.summary("zh")


def test_the_hidden_total_row_is_no_indicators(tmp_path: Path) -> None:
    """Row 6 is 总分: it was blamed on 资产管理 above it, with a TODO to delete that indicator."""
    imported = import_table(_table(tmp_path, rows=(6,)))
    assert "隐藏" not in imported.text  # no TODO on any indicator
    assert imported.summary("zh")[1:] == ["  第 6 行（总分）是隐藏行，已照常读取"]
    assert imported.summary("en")[1:] == ["  row 6 (总分) is hidden in Excel and was read as any other"]


def test_a_hidden_grades_line_after_the_table_is_named(tmp_path: Path) -> None:
    imported = import_table(_table(tmp_path, rows=(7,)))
    assert "隐藏" not in imported.text
    assert imported.summary("zh")[1:] == ["  第 7 行（评价等次：6分（含）以上为合格，6分以…）是隐藏行，已照常读取"]


def test_hidden_rows_not_read_for_an_indicator_are_not_blamed_on_one(tmp_path: Path) -> None:
    """A repeated header and a row with text in 备注 alone were blamed on the indicator above."""
    sheet = sheet_of([*ROWS[:4], ["一级指标", "二级指标", "分值", "评分标准", "备注"], ["", "", "", "", "附表另见"],
                      *ROWS[4:]])  # fmt: skip
    sheet.row_dimensions[5].hidden = True  # the header again
    sheet.row_dimensions[6].hidden = True  # 备注 alone
    sheet.row_dimensions[7].hidden = True  # 资产管理 itself
    path = tmp_path / "去年.xlsx"
    sheet.parent.save(path)
    imported = import_table(path)
    assert imported.recognised == 3
    assert imported.summary("zh")[1:] == ["  第 7 行是隐藏行，已照常导入：资产管理；如该指标已不再使用，请在草稿中删去它"]
    lines = imported.text.splitlines()
    assert lines[lines.index("  indicator 信息公开 2 {") - 1] != "" and "隐藏" not in lines[lines.index("  indicator 信息公开 2 {") - 1]
    assert imported.text.count("原表第 7 行在 Excel 中是隐藏行") == 1 and imported.text.count("隐藏") == 1


def test_a_row_of_no_height_is_hidden(tmp_path: Path) -> None:
    """A row Excel shows at no height (ht="0" customHeight="1", as WPS hides one) was imported unsaid."""
    sheet = sheet_of(ROWS)
    sheet.row_dimensions[4].height = 10  # openpyxl writes no height of 0: set to 0 in the XML below
    saved = tmp_path / "shown.xlsx"
    sheet.parent.save(saved)
    path = tmp_path / "去年.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b' ht="10"' in data
                data = data.replace(b' ht="10"', b' ht="0"')
            target.writestr(item, data)
    imported = import_table(path)
    assert imported.summary("zh")[1:] == ["  第 4 行是隐藏行，已照常导入：信息公开；如该指标已不再使用，请在草稿中删去它"]
    assert "原表第 4 行在 Excel 中是隐藏行" in imported.text


def test_an_empty_hidden_row_under_a_merged_group_is_said_nothing_of(tmp_path: Path) -> None:
    """Row 5 is blank but for the group's merged name (A3:A6) over it: it was blamed on 信息公开
    above it (the merged text is copied into every row of the range), with a TODO to delete it."""
    sheet = sheet_of([*ROWS[:4], [], *ROWS[4:]])
    sheet["A3"] = "投入（10分）"
    sheet.merge_cells("A3:A6")
    sheet.row_dimensions[5].hidden = True
    path = tmp_path / "去年.xlsx"
    sheet.parent.save(path)
    imported = import_table(path)
    assert imported.recognised == 3
    assert imported.hidden == ()
    assert "隐藏" not in imported.text
    sheet.row_dimensions[5].hidden = False  # and all else as if it were shown
    sheet.parent.save(path)
    shown = import_table(path)
    assert imported.text == shown.text and imported.summary("zh") == shown.summary("zh")


def test_cells_only_formatted_past_the_table_are_no_table(tmp_path: Path) -> None:
    """Borders drawn down to row 2,100, or one bold empty cell in column 60, made the sheet's
    extent (openpyxl's max_row, max_column) pass the table's limits: the table was refused, PF508
    表格超过 2000 行或 50 列. The limits are the table's: its cells with a value."""
    from openpyxl.styles import Border, Font, Side

    thin = Side(style="thin")
    for padded in ("rows", "column"):
        sheet = sheet_of(ROWS)
        if padded == "rows":
            for r in range(len(ROWS) + 1, 2101):
                sheet.cell(row=r, column=2).border = Border(left=thin, right=thin, top=thin, bottom=thin)
        else:
            sheet.cell(row=3, column=60).font = Font(bold=True)
        path = tmp_path / f"{padded}.xlsx"
        sheet.parent.save(path)
        assert import_table(path).recognised == 3, padded
    # a table of more than 2,000 rows of values is still past the limit
    sheet = sheet_of(ROWS)
    sheet.cell(row=2100, column=1, value="附注")
    path = tmp_path / "long.xlsx"
    sheet.parent.save(path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", str(path)], out, err) == 2 and "PF508" in err.getvalue()

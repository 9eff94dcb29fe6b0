"""`pingfen import` of a workbook whose table hides a row (often an indicator the staff took out)
or a column: each was read as if shown, without a word. It is still imported — nothing is lost —
but said: a line per hidden row in the summary naming its indicator, a `# TODO` above its rule in
the draft (which `pingfen check` lists, PF119), and a line for a hidden column the table is read from."""

from __future__ import annotations

import io
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

"""`pingfen check 评分表.xlsx` — the Excel table given where the rule file goes (or the data file
first): PF006's help said to save the file as UTF-8 in Notepad, which no workbook becomes a rule
by. Now it says this is an Excel or Word file, to import with `pingfen import`, or to give after
the rule file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from pingfen.cli import main


@pytest.mark.parametrize("head", [b"", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])
def test_a_workbook_given_as_the_rule_file_is_named(tmp_path: Path, head: bytes) -> None:
    table = tmp_path / "评分表.xlsx"
    if head:
        table.write_bytes(head + bytes(100))  # an old .xls, as OLE files start
    else:
        Workbook().save(table)
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(table)], out, err) == 2
    said = out.getvalue() + err.getvalue()
    assert "PF006" in said and "这是 Excel 或 Word 文件，不是规则文件（.rule）" in said and "pingfen import" in said, said
    assert "记事本" not in said


def test_a_gbk_rule_file_is_still_told_to_save_as_utf8(tmp_path: Path) -> None:
    rule = tmp_path / "r.rule"
    rule.write_bytes('rubric "示例" { total 5 }\n'.encode("gbk"))
    out = io.StringIO()
    assert main(["check", str(rule)], out, io.StringIO()) == 2
    assert "请将文件另存为 UTF-8 编码" in out.getvalue()

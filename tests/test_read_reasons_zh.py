"""A file pingfen cannot read for a reason of its own (not the operating system's) says why in
the message's language: 中文 by default, English with --lang en. Before, these reasons were
English inside the Chinese message (`无法读取 `a.csv`：the column `a` appears more than once in
the header`). Each through the real CLI on a real file."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from pingfen.cli import main

ROOT = Path(__file__).resolve().parents[1]
RULESET = str(ROOT / "rulesets" / "dept-overall-2021.rule")


def both(*argv: str) -> tuple[str, str]:
    """The command's output in 中文 (the default) and in English; both refuse the file."""
    said = []
    for lang in ("zh", "en"):
        out, err = io.StringIO(), io.StringIO()
        assert main(["--lang", lang, *argv], out=out, err=err) == 2
        said.append(out.getvalue() + err.getvalue())
    return said[0], said[1]


def test_a_column_named_twice(tmp_path: Path) -> None:
    data = tmp_path / "填报.csv"
    data.write_text("id,在职人数,在职人数\n1,2,3\n", encoding="utf-8")
    zh, en = both("eval", RULESET, str(data))
    assert "PF508" in zh and "表头中 `在职人数` 列出现了不止一次" in zh and "appears" not in zh
    assert "the column `在职人数` appears more than once in the header" in en


def test_an_empty_csv(tmp_path: Path) -> None:
    data = tmp_path / "空.csv"
    data.write_bytes(b"")
    zh, en = both("eval", RULESET, str(data))
    assert "文件是空的：第一行应写明各列的列名" in zh and "the file" not in zh
    assert "the file is empty: the first row must name the columns" in en


def test_a_sheet_without_a_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([None])
    sheet.append([1])
    data = tmp_path / "无表头.xlsx"
    book.save(data)
    zh, en = both("eval", RULESET, str(data))
    assert "第一个工作表的第一行应写明各列的列名" in zh and "first sheet" not in zh
    assert "the first row of the first sheet must name the columns" in en


def test_an_unknown_encoding(tmp_path: Path) -> None:
    data = tmp_path / "填报.csv"
    data.write_text("id,在职人数\n1,2\n", encoding="utf-8")
    zh, en = both("eval", "--encoding", "no-such-codec", RULESET, str(data))
    assert "未知的编码 'no-such-codec'" in zh and "unknown encoding" not in zh
    assert "unknown encoding 'no-such-codec'" in en


def test_a_record_that_is_not_a_mapping(tmp_path: Path) -> None:
    data = tmp_path / "记录.yaml"
    data.write_text("- 1\n- 2\n", encoding="utf-8")
    zh, en = both("eval", RULESET, str(data))
    assert "应为输入名到取值的映射" in zh and "expected" not in zh
    assert "expected a mapping of input names to values" in en


def test_a_filled_self_evaluation_whose_inputs_are_not_a_mapping(tmp_path: Path) -> None:
    data = tmp_path / "自评.yaml"
    data.write_text("declared:\n  投入: 10\ninputs:\n  - 1\n", encoding="utf-8")
    zh, en = both("audit", RULESET, str(data))
    assert "`inputs:` 应为输入名到取值的映射" in zh and "must be" not in zh
    assert "`inputs:` must be a mapping of input names to values" in en


def test_a_cell_past_the_csv_modules_limit(tmp_path: Path) -> None:
    data = tmp_path / "填报.csv"
    half = "x" * 1_100_000  # a cell may be as long as a line: past it only over lines (tests/test_long_cells.py)
    data.write_text(f'id,在职人数\n1,"{half}\n{half}"\n', encoding="utf-8")
    zh, en = both("eval", RULESET, str(data))
    assert "单元格超过 2,097,152 个字符的上限" in zh and "field" not in zh
    assert "field larger than field limit (2097152)" in en

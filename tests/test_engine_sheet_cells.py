"""`pingfen eval --engine duckdb` reads each cell of an XLSX sheet as `pingfen eval` reads it
(io.tables.cell_value): a number formatted as a percentage (1.5 shown as `150%`) is that
percentage, not the bare 1.5 the engine once wrote and then refused (PF523); a date is its
day, a bool, a number typed as text, a blank cell and a float are read alike on both paths."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl

import pingfen
from pingfen.cli import main
from sqlhelp import python_rows
from test_engine_duckdb import needs_duckdb

RUBRIC_TEXT = """rubric "单元格" {
  total 100
}
input 率: percent
input 起: date
input 止: date
input 有: bool
input 数: number
input 钱: amount

indicator 甲 40 {
  deduct 1 per 1% of 率 above 100%
}
indicator 乙 20 {
  deduct 0.01 per 1 of days(起, 止) above 0
}
indicator 丙 10 {
  when 有 -> 10
  else -> 3
}
indicator 丁 20 {
  deduct 1 per 1 of 数 above 10
}
indicator 戊 10 {
  deduct 0.1 per 0.1 of 钱 above 0
}
"""
RUBRIC = pingfen.loads(RUBRIC_TEXT, "a.rule", tests=False)
HEADER = ["id", "率", "起", "止", "有", "数", "钱"]
DAY = datetime.datetime(2021, 1, 1)
# each cell: a value, or (value, number format)
ROWS: list[list[object]] = [
    ["甲", (1.5, "0%"), DAY, datetime.datetime(2021, 3, 1), True, " 12 ", 0.1],
    ["乙", (1.2345, "0.00%"), DAY, datetime.date(2021, 1, 31), False, 12, (0.30000000000000004, "0.00")],
    ["丙", "95%", "2021-01-01", "2021年3月1日", "是", None, 3.3],
    ["丁", (0.3, "0%"), DAY, DAY, "否", "11", 1e-7],
    ["戊", (1, "0%"), DAY, datetime.datetime(2021, 1, 2, 0, 0), True, 10.5, 2],
    ["己", 0.95, DAY, DAY, True, 10, 1],  # a bare number for a percent, unformatted
    ["庚", (90, '0"%"'), DAY, DAY, True, 10, 1],  # a percent sign written by the format: shows 90%
    ["辛", (90, '0"%"'), DAY, DAY, True, (12, '0.00"%"'), (3, '0"%"')],  # a number and an amount: 12 and 3, as shown less the %
    ["壬", (95, '0"%";-0"%";"-"'), DAY, DAY, True, 10, 1],  # a dash for zero: 95% all the same
    ["癸", (-5, '0"%";;'), DAY, DAY, True, 10, 1],  # an empty negative section shows nothing: -5%, never a blank
]


def _sheet(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for r, row in enumerate(ROWS, start=2):
        for c, cell in enumerate(row, start=1):
            value, shown = cell if isinstance(cell, tuple) else (cell, None)
            written = sheet.cell(row=r, column=c, value=value)
            if shown is not None:
                written.number_format = shown
    book.save(path)




@needs_duckdb
def test_every_cell_kind_of_a_sheet_is_read_as_pingfen_eval_reads_it(tmp_path: Path) -> None:
    data, rule, out = tmp_path / "d.xlsx", tmp_path / "a.rule", tmp_path / "o.csv"
    _sheet(data)
    rule.write_text(RUBRIC_TEXT, encoding="utf-8")
    err = io.StringIO()
    main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = [(g["id"], g["refusal"] or None, Decimal(g["total"]) if g["total"] else None) for g in csv.DictReader(f)]
    expected = python_rows(RUBRIC, data)
    assert got == expected, err.getvalue()
    by_id = {i: (code, total) for i, code, total in expected}
    assert by_id["甲"] == (None, Decimal("57.31"))  # 150%: all 40 points off 甲, 59 days, 2 off 丁, 0.1 off 戊
    assert by_id["丁"][0] is None  # 30%, read as a percentage
    assert by_id["庚"][0] is None  # 90%, as the format shows it
    assert by_id["壬"] == (None, Decimal(99)) and by_id["癸"] == (None, Decimal(99))
    assert by_id["辛"] == (None, Decimal(95))  # 12: 2 off 丁; 3: 3 off 戊 (not "12%", not a number: PF502)


ADJUSTED = """rubric "n" { total 10 }
input 调整率: percent >= -100% and <= 100%
indicator a 10 { score = 10 + 调整率 * 10 }
"""


@needs_duckdb
def test_a_number_in_an_empty_section_of_a_percent_format_is_in_percent(tmp_path: Path) -> None:
    """−0.5 in `0.0"%";;` (shown blank) is −0.5%, as `0.0"%";0.0"%"` reads it, on both engines;
    it was the bare −0.5, which a percent input took for the ratio −50% (inside ±100%: no PF523)."""
    data, rule, out = tmp_path / "n.xlsx", tmp_path / "n.rule", tmp_path / "o.csv"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["编号", "调整率"])
    for r, style in enumerate(['0.0"%";;', '0.0"%";0.0"%"'], start=2):
        sheet.append([f"u{r}", -0.5])
        sheet.cell(r, 2).number_format = style
    book.save(data)
    rule.write_text(ADJUSTED, encoding="utf-8")
    err = io.StringIO()
    main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = [(g["编号"], g["refusal"] or None, Decimal(g["total"]) if g["total"] else None) for g in csv.DictReader(f)]
    expected = python_rows(pingfen.loads(ADJUSTED, "n.rule", tests=False), data)
    assert expected == [("u2", None, Decimal("9.95")), ("u3", None, Decimal("9.95"))]
    assert got == expected, err.getvalue()


BESIDE = """rubric "p" { total 30 }
input 评分: percent >= 0 and <= 200%
input 评分1: number >= 0 and <= 200
input 完成率: list of 2 percent >= 0 and <= 200%
indicator a 10 { score = 评分 * 5 }
indicator b 10 { score = 评分1 / 20 }
indicator c 10 { score = mean(完成率) * 5 }
"""


@needs_duckdb
def test_a_written_percent_is_a_panels_only_in_its_numbered_columns(tmp_path: Path) -> None:
    """评分1 = 90 in `0"%"` beside `input 评分: percent` is the number input 评分1's 90 on both
    engines (the engine read it as "90%" and refused PF502); a panel's 完成率1 is still 90%."""
    data, rule, out = tmp_path / "q.xlsx", tmp_path / "q.rule", tmp_path / "o.csv"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["编号", "评分", "评分1", "完成率1", "完成率2"])
    sheet.append(["甲", "80%", 90, 90, 110])
    for column in "CDE":
        sheet[f"{column}2"].number_format = '0"%"'
    book.save(data)
    rule.write_text(BESIDE, encoding="utf-8")
    err = io.StringIO()
    main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = [(g["编号"], g["refusal"] or None, Decimal(g["total"]) if g["total"] else None) for g in csv.DictReader(f)]
    expected = python_rows(pingfen.loads(BESIDE, "q.rule", tests=False), data)
    assert expected == [("甲", None, Decimal("13.5"))]  # 4 + 4.5 + 5
    assert got == expected, err.getvalue()

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
import pytest

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from sqlhelp import python_rows

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


SHOWN_TEXT = """rubric "s" { total 30 }
input 档次: label {优, 良}
input 起: date
input 有: bool
indicator a 10 { match 档次 { 优 -> 10  良 -> 5 } }
indicator b 10 { deduct 0.01 per 1 of days(起, 起) above 0 }
indicator c 10 { when 有 -> 10 else -> 3 }
"""


@needs_duckdb
def test_a_label_a_date_and_a_bool_read_a_written_percent_as_the_sheet_shows_it(tmp_path: Path) -> None:
    """A `0"%"` cell showing 45382% under a date input was the day 45382, 2024-03-31, scored
    without a word; 1% under a bool was true. Each is now read as shown, and refused for it
    (PF502), and a label names "90%" (PF506), not 90, on both engines."""
    data, rule, out = tmp_path / "s.xlsx", tmp_path / "s.rule", tmp_path / "o.csv"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["编号", "档次", "起", "有"])
    sheet.append(["甲", 90, "2024-03-31", True])
    sheet.append(["乙", "良", 45382, True])
    sheet.append(["丙", "良", 45382, 1])
    sheet.append(["丁", "优", 45382, True])  # the same cells, no format: read as ever
    for cell in ("B2", "C3", "D4"):
        sheet[cell].number_format = '0"%"'
    book.save(data)
    rule.write_text(SHOWN_TEXT, encoding="utf-8")
    rubric = pingfen.loads(SHOWN_TEXT, "s.rule", tests=False)
    expected = python_rows(rubric, data)
    assert expected == [("甲", "PF506", None), ("乙", "PF502", None), ("丙", "PF502", None), ("丁", None, Decimal(30))]
    said = {}
    for row in pingfen.read_records(data):
        assert isinstance(row, dict)
        try:
            rubric.evaluate(row)
        except pingfen.DataError as refused:
            said[row["编号"]] = refused.problems[0].args["value"]
    assert said == {"甲": '"90%"', "乙": '"45382%"', "丙": '"1%"'}  # as the sheet shows them
    err = io.StringIO()
    main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = [(g["编号"], g["refusal"] or None, Decimal(g["total"]) if g["total"] else None) for g in csv.DictReader(f)]
    assert got == expected, err.getvalue()


BATCH = """rubric "b" { total 10 }
input 报价: amount > 0
input 完成率: percent >= -100% and <= 100%
let 基准价 = batch min(报价)
let 平均完成率 = batch mean(完成率)
indicator 价格分 5 { score = min(基准价 / 报价, 100%) * 5 }
indicator 完成情况 5 {
  when 完成率 >= 平均完成率 -> 5
  else                      -> 2
}
"""


@needs_duckdb
def test_values_across_a_batch_read_written_percents_alike_on_both_engines(tmp_path: Path) -> None:
    """`let 平均完成率 = batch mean(完成率)` over cells in `0"%";-0"%";;` (a zero and text shown as
    nothing), which were read as the bare 90 and refused (PF523) on both engines, its empty fourth
    section taken for a fourth number section: the mean is of 90%, 95%, 0% and −6%, each read as
    its own row reads it; a row's own 平均完成率
    in `0"%"` is that percent, one hidden by `;;` its number in percent as any input reads it
    (docs/data.md), and an amount's 基准价 in `0"%"` its number."""
    data, rule, out = tmp_path / "b.xlsx", tmp_path / "b.rule", tmp_path / "o.csv"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["编号", "报价", "完成率", "平均完成率", "基准价"])
    for row in (["A", 100, 90, 95, None], ["B", 80, 95, None, 50], ["C", 120, 0, 0, None], ["D", 90, -6, None, None]):
        sheet.append(row)
    for r in range(2, 6):
        sheet.cell(r, 3).number_format = '0"%";-0"%";;'
    sheet["D2"].number_format, sheet["D4"].number_format, sheet["E3"].number_format = '0"%"', '0"%";-0"%";;', '0"%"'
    book.save(data)
    rule.write_text(BATCH, encoding="utf-8")
    rubric = pingfen.loads(BATCH, "b.rule", tests=False)
    records = list(pingfen.read_records(data))
    expected = [(str(r["编号"]), o.code, None) if isinstance(o, pingfen.DataError) else (str(r["编号"]), None, o.total)
                for r, o in zip(records, rubric.evaluate_many(records), strict=True)]  # fmt: skip
    # 基准价 80, the mean (90 + 95 + 0 − 6) / 4 = 44.75%: A's own 95% is above its 90%; B's own
    # 基准价 is 50 (50/80 of 5); C's own 0% (shown as nothing) is reached; D's −6% is below the mean
    assert expected == [("A", None, Decimal(6)), ("B", None, Decimal("8.13")), ("C", None, Decimal("8.33")),
                        ("D", None, Decimal("6.44"))]  # fmt: skip
    err = io.StringIO()
    main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = [(g["编号"], g["refusal"] or None, Decimal(g["total"]) if g["total"] else None) for g in csv.DictReader(f)]
    assert got == expected, err.getvalue()


OWN_COLUMN = """rubric "o" { total 20 }
input 评分: list of 2 percent >= 0 and <= 200%
input 评分1: number >= 0 and <= 200
indicator b 10 { score = 评分1 / 20 }
indicator c 10 { score = mean(评分) * 5 }
"""


@needs_duckdb
@pytest.mark.parametrize("engine", [[], ["--engine", "duckdb"]])
def test_a_column_named_for_an_input_and_numbered_by_a_panel_is_refused(tmp_path: Path, engine: list[str]) -> None:
    """评分1, an input of its own (a number) and a numbered column of the panel 评分: both engines
    read the column as the input's number for the panel too (90 in `0"%"` was 90, not 90%). The
    rubric is refused before any record is read (PF114), on both paths, and nothing is written."""
    data, rule, out = tmp_path / "c.xlsx", tmp_path / "c.rule", tmp_path / "o.csv"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["编号", "评分1", "评分2"])
    sheet.append(["甲", 90, 110])
    sheet["B2"].number_format = sheet["C2"].number_format = '0"%"'
    book.save(data)
    rule.write_text(OWN_COLUMN, encoding="utf-8")
    err = io.StringIO()
    code = main(["eval", *engine, str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    assert code != 0 and "PF114" in err.getvalue() and "评分1" in err.getvalue(), err.getvalue()
    assert not out.exists()

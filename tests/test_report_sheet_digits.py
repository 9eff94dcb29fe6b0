"""Workbooks show a score with the digits the other reports print (reviewer's defect: 汇总.xlsx
formatted every score 0.00, so 2.995 showed as 3.00 and 1.125 as 1.13, and unit B read
1.13 + 1.13 against a total of 2.25; the report's XLSX left 5 ÷ 6 in General format as
0.8333333333333334 where the others print 0.83). A cell stays a number: the exact score
where it has at most 6 decimals, formatted to its own places; a quotient, to 2."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import pingfen
from pingfen.batchreport import report_folder
from pingfen.report import write_report
from pingfen.report.layout import sheet_number, total_format

THREE = """rubric "三位小数" {
  total 10
  round total 2 half_up
  grade 好 >= 5
  grade 差 otherwise
}
input 甲分: score
input 乙分: score
group 甲 5 { indicator 甲项 5 { judgment 甲分 } }
group 乙 5 { indicator 乙项 5 { judgment 乙分 } }
"""

QUOTIENT = """rubric "商" {
  total 10
  round total 3 half_up
}
input a: number
input b: number > 0
group 甲 10 {
  indicator 子 5 { score = a / b }
  indicator 丑 5 { score = min(a, 5) }
}
"""


@pytest.mark.parametrize(
    ("score", "held", "shape"),
    [
        (Decimal("2.995"), Decimal("2.995"), "0.000"),
        (Decimal("1.125"), Decimal("1.125"), "0.000"),
        (Decimal("3.50"), Decimal("3.5"), "0.0"),
        (Decimal("57"), Decimal("57"), "0"),
        (Decimal("0.000001"), Decimal("0.000001"), "0.000000"),
        (Decimal("1.500999999999999999999999999"), Decimal("1.501"), "0.000"),  # settled, as shown
        (Decimal(5) / Decimal(6), Decimal(5) / Decimal(6), "0.00"),  # a quotient: held whole, shown to 2
    ],
)
def test_sheet_number(score: Decimal, held: Decimal, shape: str) -> None:
    assert sheet_number(score) == (held, shape)
    assert str(sheet_number(score)[0]) == str(held)  # digit for digit, not merely equal


def test_total_format_keeps_the_rounded_places() -> None:
    assert [total_format(Decimal(t)) for t in ("87.00", "2.334", "96", "1E+2")] == ["0.00", "0.000", "0", "0"]


def _cells(path: Path, sheet: str | None = None) -> dict[str, tuple[object, str]]:
    book = openpyxl.load_workbook(path)
    ws = book[sheet] if sheet else book.active
    return {c.coordinate: (c.value, c.number_format) for row in ws.iter_rows() for c in row if c.value is not None}


def test_the_summary_shows_every_digit(tmp_path: Path) -> None:
    data = tmp_path / "t3.csv"
    data.write_text("id,甲分,乙分\nA,2.995,2.995\nB,1.125,1.125\n", encoding="utf-8")
    report_folder(pingfen.loads(THREE), data, tmp_path / "out", "md")
    cells = _cells(tmp_path / "out" / "汇总.xlsx", "汇总")
    assert [cells[c] for c in ("C3", "E3", "F3")] == [(5.99, "0.00"), (2.995, "0.000"), (2.995, "0.000")]
    assert [cells[c] for c in ("C4", "E4", "F4")] == [(2.25, "0.00"), (1.125, "0.000"), (1.125, "0.000")]


def test_the_report_workbook_shows_what_the_others_print(tmp_path: Path) -> None:
    result = pingfen.loads(QUOTIENT).evaluate({"a": 5, "b": 6})
    path = tmp_path / "q.xlsx"
    write_report(result, "xlsx", path)
    cells = _cells(path)
    value, shape = cells["D3"]  # 子: 5 ÷ 6, as the other reports print it, 0.83
    assert isinstance(value, float) and shape == "0.00" and abs(value - 5 / 6) < 1e-15
    assert cells["D4"] == (5, "0")  # 丑
    assert cells["D5"] == (5.833, "0.000")  # the total, rounded to 3 places as the rubric says


def test_the_report_workbook_keeps_three_places(tmp_path: Path) -> None:
    result = pingfen.loads(THREE).evaluate({"甲分": "2.995", "乙分": "1.125"})
    path = tmp_path / "t3.xlsx"
    write_report(result, "xlsx", path)
    cells = _cells(path)
    assert [cells[c] for c in ("D3", "D4", "D5")] == [(2.995, "0.000"), (1.125, "0.000"), (4.12, "0.00")]

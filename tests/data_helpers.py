"""Shared helpers for the data-file tests: the 2021 rubric, a full-marks record, and
filling templates the way a person in Excel would."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pingfen
from pingfen.io import read_record

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
RUBRIC = pingfen.load(RULESET)
FULL: dict[str, Any] = read_record(ROOT / "examples" / "dept-overall-2021" / "full-marks.json")


def excel_value(value: object) -> object:
    """What Excel stores when a person types the value: 95% → 0.95 (a float), bools as 是/否."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str) and value.endswith("%"):
        return float(value[:-1]) / 100
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def fill_xlsx(template: Path, target: Path, records: list[dict[str, object]]) -> None:
    """Fill the template's data sheet from row 3 on, one record per row, as typed in Excel."""
    import openpyxl

    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for offset, record in enumerate(records):
        for column, name in enumerate(header, start=1):
            if name in record:
                sheet.cell(3 + offset, column).value = excel_value(record[name])
    book.save(target)


def csv_text(template_text: str, records: list[dict[str, object]]) -> str:
    """The CSV template with records appended under its header and question rows."""
    rows = list(csv.reader(io.StringIO(template_text.lstrip("\ufeff"))))
    header = rows[0]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    for record in records:
        writer.writerow([_csv_cell(record.get(name)) for name in header])
    return out.getvalue()


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def as_text(value: object) -> str:
    """A record's value as a CSV cell's text: bools as 是/否, decimals as written."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A CSV file of `rows` under `header`, UTF-8, as the csv module quotes them."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path

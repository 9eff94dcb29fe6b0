"""A bool input given as the full-width １ or ０ a Chinese input method types: both engines
refused it (PF502 "不是是/否值") while full-width digits were read as numbers everywhere
(values.FULL_WIDTH). Now it is read as 1 and 0 are, yes and no, on every path alike."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen.cli import main

RULE = """rubric "t" { total 10 }
input 有制度: bool
indicator 制度 10 { award 10 if 有制度 }
"""
ROWS = [("A", "１"), ("B", "０"), ("C", " １ "), ("D", "1"), ("E", "是")]
TOTALS = [("A", "10.00"), ("B", "0.00"), ("C", "10.00"), ("D", "10.00"), ("E", "10.00")]


def test_a_record_reads_full_width_one_and_zero_as_yes_and_no() -> None:
    rubric = pingfen.loads(RULE)
    assert [rubric.evaluate({"有制度": value}).total for _id, value in ROWS] == [10, 0, 10, 10, 10]


@needs_duckdb
@pytest.mark.parametrize("engine", [(), ("--engine", "duckdb")])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_both_engines_read_them_alike(tmp_path: Path, engine: tuple[str, ...], suffix: str) -> None:
    rule, data, out = tmp_path / "r.rule", tmp_path / f"d{suffix}", tmp_path / "o.csv"
    rule.write_text(RULE, encoding="utf-8")
    if suffix == ".csv":
        data.write_text("id,有制度\n" + "".join(f"{i},{v}\n" for i, v in ROWS), encoding="utf-8")
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in [("id", "有制度"), *ROWS]:
            sheet.append(row)
        book.save(data)
    err = io.StringIO()
    assert main(["eval", *engine, str(rule), str(data), "-o", str(out)], io.StringIO(), err) == 0, err.getvalue()
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = "total" if engine else "总分"
    assert [(next(iter(r.values())), r[total]) for r in rows] == TOTALS

"""`pingfen eval --engine duckdb` writes a batch rubric's rows in the file's order. Values across
the batch (`let 基准价 = batch min(报价)`) are windows, and DuckDB's parallel window hands its
rows back in an order of its own: the output's ids came out 832, 363, … Now each row takes its
place in the file before any window and the output is ordered by it (the place not written):
CSV, XLSX and Parquet, with and without an id column, each row as `pingfen eval` scores it."""

from __future__ import annotations

import csv
import io
import random
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen.batch import indicator_names
from pingfen.cli import main
from pingfen.engine import ROW, score_with_duckdb

GOLDEN = Path(__file__).parent / "golden" / "forms" / "batch.rule"
OWN = """rubric "均值与中位数" {
  total 20
}
input 报价: amount > 0
input 完成率: percent >= 0 and <= 100%
let 平均报价 = batch mean(报价)
let 中位完成率 = batch median(完成率)
let 家数 = batch count(报价)
let 最高价 = batch max(报价)
indicator 报价分 10 {
  score = min(平均报价 / 报价, 100%) * 10
}
indicator 完成分 6 {
  when 完成率 >= 中位完成率 -> 6
  else                      -> 3
}
indicator 规模分 4 {
  score = min(家数, 1000) / 1000 * 2 + 报价 / 最高价 * 2
}
"""
ROWS = 4003  # enough that DuckDB's parallel window reorders them (on four threads)
BAD = {17: ("0", "80%"), 503: ("", "90%"), 1999: ("-5", "70%"), 2600: ("125", "101%")}  # refused in their rows
# prices whose quotients end, and 4000 valid ones to average: every score exact on both paths,
# so they are compared digit for digit (the engine's quotients keep 20 decimals)
PRICES = [50, 64, 80, 100, 125, 128, 160, 200, 250]


def _rows(with_id: bool) -> tuple[list[str], list[list[str]]]:
    """The file's header and rows: a unique note in each (the order shows without an id)."""
    rng = random.Random(1)
    rows = []
    for i in range(ROWS):
        price, rate = BAD.get(i, (str(rng.choice(PRICES) if i else 50), f"{rng.randint(50, 100)}%"))
        rows.append(([f"D{i:04d}"] if with_id else []) + [price, rate, f"第{i}行"])
    return (["id"] if with_id else []) + ["报价", "完成率", "备注"], rows


def _write(folder: Path, kind: str, with_id: bool) -> tuple[Path, Path]:
    """The rows as a file of `kind`, and as the CSV `pingfen eval` reads (the same rows)."""
    header, rows = _rows(with_id)
    text = folder / "d.csv"
    with text.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    if kind == "csv":
        return text, text
    data = folder / f"d.{kind}"
    if kind == "xlsx":
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        for row in [header, *rows]:
            sheet.append(row)
        book.save(data)
    else:  # Parquet of typed columns, a percent as its ratio, a blank cell NULL
        import duckdb

        typed = 'CAST("报价" AS DECIMAL(38, 20)) AS "报价", CAST(rtrim("完成率", \'%\') AS DECIMAL(38, 20)) / 100 AS "完成率"'
        with duckdb.connect() as con:
            con.execute(f"COPY (SELECT * REPLACE ({typed}) FROM read_csv('{text}', all_varchar = true)) TO '{data}' (FORMAT parquet)")
    return data, text


def _python(folder: Path, rule: Path, text: Path, with_id: bool) -> list[tuple[str | None, tuple[Decimal | None, ...], str | None]]:
    """`pingfen eval`'s rows: (id, the indicators' scores and the total, the refusal's code)."""
    out = folder / "py.csv"
    assert main(["eval", str(rule), str(text), "-o", str(out)], io.StringIO(), io.StringIO()) == 1  # the bad rows
    with out.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    said = []
    for line in lines[1:]:
        found = re.search(r"PF\d{3}", line[-1])
        said.append((line[0] if with_id else None, tuple(Decimal(c) if c else None for c in line[1:-2]), found and found.group()))
    return said


def _engine(folder: Path, rubric: pingfen.Rubric, rule: Path, data: Path, indicators: list[str], with_id: bool
            ) -> list[tuple[str | None, tuple[Decimal | None, ...], str | None]]:  # fmt: skip
    out = folder / "engine.csv"
    score_with_duckdb(rubric, str(data), str(out), ruleset=str(rule), threads=4)
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = list(csv.DictReader(f))
    assert ROW not in got[0] and [g["备注"] for g in got] == [f"第{i}行" for i in range(ROWS)]  # the file's order
    return [(g["id"] if with_id else None, tuple(Decimal(g[n]) if g[n] else None for n in [*indicators, "total"]), g["refusal"] or None)
            for g in got]  # fmt: skip


@needs_duckdb
@pytest.mark.parametrize("with_id", [True, False], ids=["id", "no-id"])
@pytest.mark.parametrize("kind", ["csv", "xlsx", "parquet"])
@pytest.mark.parametrize("which", ["golden", "own"])
def test_a_batch_rubric_s_rows_come_out_in_the_file_s_order(tmp_path: Path, which: str, kind: str, with_id: bool) -> None:
    rule = GOLDEN if which == "golden" else tmp_path / "own.rule"
    if which == "own":
        rule.write_text(OWN, encoding="utf-8")
    rubric = pingfen.load(rule, tests=False)
    indicators = list(indicator_names(rubric))
    data, text = _write(tmp_path, kind, with_id)
    engine, python = _engine(tmp_path, rubric, rule, data, indicators, with_id), _python(tmp_path, rule, text, with_id)
    assert len(engine) == len(python) == ROWS
    for i, (got, want) in enumerate(zip(engine, python, strict=True)):
        assert got == want, (i, got, want)
    assert {i for i, row in enumerate(engine) if row[2]} == set(BAD)

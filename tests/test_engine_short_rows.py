"""`pingfen eval --engine duckdb` refuses a CSV row whose cells do not line up with the header
in that row alone (PF520), as `pingfen eval` does, and scores the others: a short row (fewer
cells), a long one whose cells past the header are not blank. Before, a short row stopped the
whole file (PF831: DuckDB's sniffer could not read it), and a long one could make the sniffer
drop other rows. Rows that line up (a trailing comma's blank cell included) come out as they
did: the file is read with DuckDB's null_padding, a padded cell told from a blank one."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from pingfen.engine import PAST
from pingfen.io.tables import read_rows
from sqlhelp import python_rows

RUBRIC_TEXT = """rubric "对齐" {
  total 20
}
input 率: percent
input 数: number
input 备注: label { 无, 有 }

indicator 甲 10 {
  bands 率 {
    >= 90% -> 10
    else   -> 5
  }
}
indicator 乙 10 {
  when 数 >= 10 -> 10
  else          -> 2
}
indicator 丙 0 {
  match 备注 {
    无 -> 0
    有 -> 0
  }
}
"""
RUBRIC = pingfen.loads(RUBRIC_TEXT, "a.rule", tests=False)
HEADER = ["id", "率", "数", "备注"]
GOOD = [["甲", "95%", "12", "无"], ["乙", "80%", "3", "有"], ["丙", "", "12", "无"], ["丁", "99%", "", ""]]
BAD = [
    ["短1", "95%"],  # short
    ["短2", "95%", "12"],  # short by one: its last cell missing, not blank
    ["长", "95%", "12", "无", "多出来的"],  # a cell past the header
    ["长空", "95%", "12", "无", "", " "],  # blank past the header: it lines up (a trailing comma)
    ["  "],  # one cell of spaces: not a blank row
    ["", ""],  # a blank row, short: left out on both paths
    ["# 说明"],  # a comment row, short: left out on both paths
    ["长很多", "95%", "12", "无", *(["x"] * PAST)],
]


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])


def _engine(tmp_path: Path, data: Path) -> tuple[int, list[dict[str, str]], str]:
    rule, out = tmp_path / "a.rule", tmp_path / f"{data.stem}.out.csv"
    rule.write_text(RUBRIC_TEXT, encoding="utf-8")
    err = io.StringIO()
    code = main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    if code == 2:
        return code, [], err.getvalue()
    with out.open(encoding="utf-8-sig", newline="") as f:
        return code, list(csv.DictReader(f)), out.read_text(encoding="utf-8-sig")




@needs_duckdb
def test_a_row_that_does_not_line_up_is_refused_alone_as_pingfen_eval_refuses_it(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    _write(data, [GOOD[0], BAD[0], GOOD[1], *BAD[1:], GOOD[2], GOOD[3]])
    code, got, _ = _engine(tmp_path, data)
    assert code == 1
    said = [(g["id"].strip() or None, g["refusal"] or None, Decimal(g["total"]) if g["total"] else None) for g in got]
    assert said == python_rows(RUBRIC, data)
    refused = {g["id"].strip() or "(spaces)": g["refusal"] for g in got if g["refusal"]}
    assert refused == {"短1": "PF520", "短2": "PF520", "长": "PF520", "(spaces)": "PF520", "长很多": "PF520", "丙": "PF501", "丁": "PF501"}
    assert all(g["refusal_input"] == "" for g in got if g["refusal"] == "PF520")
    assert "_pf_misaligned" not in got[0]  # the reader's own column is not written


@needs_duckdb
def test_the_rows_that_line_up_come_out_as_they_did(tmp_path: Path) -> None:
    clean, mixed = tmp_path / "clean.csv", tmp_path / "mixed.csv"
    _write(clean, GOOD)
    _write(mixed, [BAD[0], GOOD[0], BAD[2], GOOD[1], GOOD[2], BAD[1], GOOD[3]])
    _, _, alone = _engine(tmp_path, clean)
    _, _, among = _engine(tmp_path, mixed)
    assert [line for line in among.splitlines() if ",PF520," not in line] == alone.splitlines()


@needs_duckdb
def test_a_cell_that_spans_lines_with_a_short_row_below(tmp_path: Path) -> None:
    """DuckDB pads rows in parallel only where no quoted cell holds a newline: the file is then
    read on one thread, and the rows are the same."""
    data = tmp_path / "lines.csv"
    _write(data, [["甲", "95%", "12", "无"], ["第一行\n第二行", "80%", "3", "有"], ["短", "1"], ["乙", "92%", "10", "有"]])
    code, got, _ = _engine(tmp_path, data)
    assert code == 1
    said = [(g["id"], g["refusal"] or None, Decimal(g["total"]) if g["total"] else None) for g in got]
    assert said == python_rows(RUBRIC, data)
    assert said[1][0] == "第一行\n第二行" and said[2][1] == "PF520"


@needs_duckdb
def test_a_row_far_longer_than_the_header_stops_the_engine_naming_its_line(tmp_path: Path) -> None:
    data = tmp_path / "long.csv"
    _write(data, [GOOD[0], GOOD[1], ["长", *(["x"] * (len(HEADER) + PAST))]])
    code, _, said = _engine(tmp_path, data)
    assert said.startswith("警告[PF409]: `丙` 的得分恒为 0")  # the rubric's warning, then why the engine stopped
    assert code == 2 and said.strip().rsplit("\n\n", 1)[1] == (f"pingfen eval: PF728: {data} 第 4 行的单元格比表头多出 {PAST} 个以上，引擎在此停止："
                                          "去掉 `--engine duckdb` 运行，可逐行看到单元格与表头不对应的行"), said
    english = io.StringIO()
    assert main(["--lang", "en", "eval", "--engine", "duckdb", str(tmp_path / "a.rule"), str(data), "-o", str(tmp_path / "o.csv")],
                io.StringIO(), english) == 2  # fmt: skip
    assert f"PF728: {data}, line 4: more than {PAST} cells past the header" in english.getvalue()
    assert ("PF520", 4) in [(r.problem.code, r.number) for r in read_rows(data) if r.problem]  # the row pingfen eval names
    assert not (tmp_path / "o.csv").exists()  # nothing written


@needs_duckdb
@pytest.mark.parametrize("width", [2, 4, 6])
def test_a_sheet_row_is_read_as_wide_as_its_header(tmp_path: Path, width: int) -> None:
    """A sheet's row is as wide as the header, whatever cells it holds (io.tables reads a sheet
    so): no row of a workbook is misaligned."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, GOOD[0], ["宽", "95%", "12", "有", "x", "y"][:width], GOOD[1]]:
        sheet.append(row)
    data = tmp_path / "d.xlsx"
    book.save(data)
    code, got, _ = _engine(tmp_path, data)
    said = [(g["id"], g["refusal"] or None, Decimal(g["total"]) if g["total"] else None) for g in got]
    assert said == python_rows(RUBRIC, data)
    assert code == (1 if width < 4 else 0)


BATCH_TEXT = """rubric "报价" {
  total 40
}
input 报价: amount > 0
input 完成率: percent >= 0 and <= 100%
let 基准价 = batch min(报价)
let 平均完成率 = batch mean(完成率)
let 名次 = batch rank(完成率)
indicator 价格分 30 {
  score = min(基准价 / 报价, 100%) * 30
}
indicator 完成情况 5 {
  when 完成率 >= 平均完成率 -> 5
  else                      -> 2
}
indicator 排名 5 {
  bands 名次 {
    <= 1   -> 5
    (1, 3] -> 3
    else   -> 0
  }
}
"""


@needs_duckdb
def test_a_row_that_does_not_line_up_counts_in_no_batch_value(tmp_path: Path) -> None:
    """Row 丙 has a cell past the header: both paths refuse it (PF520), and neither counts its
    报价 1 in the batch min nor its 2% in the mean and rank. Before, the engine's 基准价 was 1:
    甲's 价格分 0.3 and total 8.30, where `pingfen eval` gives 24 and 29.00."""
    rule, data, out = tmp_path / "b.rule", tmp_path / "b.csv", tmp_path / "o.csv"
    rule.write_text(BATCH_TEXT, encoding="utf-8")
    data.write_text("id,报价,完成率\n甲,100,90%\n乙,80,95%\n丙,1,2%,3\n", encoding="utf-8")
    printed = io.StringIO()
    assert main(["eval", str(rule), str(data), "--format", "json"], printed, io.StringIO()) == 1
    python = {r["id"]: (r["error"] is not None, r["价格分"], r["完成情况"], r["排名"], r["total"])
              for r in json.loads(printed.getvalue(), parse_float=Decimal)}  # fmt: skip
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) == 1
    with out.open(encoding="utf-8-sig", newline="") as f:
        engine = {r["id"]: (r["refusal"] == "PF520", *(Decimal(r[k]) if r[k] else None for k in ("价格分", "完成情况", "排名", "total")))
                  for r in csv.DictReader(f)}  # fmt: skip
    assert python["甲"][1:] == (24, 2, 3, Decimal("29.00"))
    assert engine == python

"""`pingfen eval --engine duckdb` writes a bonus, penalty or adjust row's column as the Python
batch writes it (docs/data.md, batch.score_columns): what the row adds to the total, `-2` for a
penalty of max 10 that took 2 points. Before, the engine wrote the penalty's own score (8)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from duckdb_helpers import duckdb, needs_duckdb
from pingfen.cli import main

RULE = """rubric "加扣" {
  total 100
  cap total 100
}
input 完成率: percent >= 0 and <= 100%
input 违规问题数: count
indicator 完成率 100 { score = 完成率 * 100 }
bonus 创新 5 { award 3 if 违规问题数 == 0 }
penalty 违规扣分 10 { deduct 2 per 违规问题数 }
penalty 小罚 1.5 { deduct 0.25 per 违规问题数 }
adjust 调整 -2 .. +2 {
  award 1 if 完成率 >= 90%
  deduct 0.5 per 违规问题数
}
"""
COLUMNS = ["完成率", "创新", "违规扣分", "小罚", "调整"]


@needs_duckdb
@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_bonus_penalty_and_adjust_columns_are_what_the_python_batch_writes(tmp_path: Path, suffix: str) -> None:
    rule, data = tmp_path / "a.rule", tmp_path / "d.csv"
    rule.write_text(RULE, encoding="utf-8")
    data.write_text("id,完成率,违规问题数\nA,95%,1\nB,50%,0\nC,80%,3\nD,100%,20\n", encoding="utf-8")
    printed = io.StringIO()
    assert main(["--lang", "en", "eval", str(rule), str(data), "--format", "csv"], printed, io.StringIO()) == 0
    python = [[Decimal(r[c]) for c in [*COLUMNS, "total"]] for r in csv.DictReader(io.StringIO(printed.getvalue().lstrip("\ufeff")))]
    assert [row[2] for row in python] == [-2, 0, -6, -10]  # points taken, as docs/data.md says
    out = tmp_path / f"o.{suffix}"
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) == 0
    if suffix == "csv":
        with out.open(encoding="utf-8-sig", newline="") as handle:
            engine = [[Decimal(r[c]) for c in [*COLUMNS, "total"]] for r in csv.DictReader(handle)]
    else:
        names = ", ".join(f'"{c}"' for c in [*COLUMNS, "total"])
        engine = [[Decimal(str(v)) for v in row] for row in duckdb.connect().execute(f"SELECT {names} FROM read_parquet(?)", [str(out)]).fetchall()]
    assert engine == python

"""`pingfen eval --engine duckdb` on a Parquet file reads each column as `evaluate(record,
ratios=True)` reads the Python value it holds: a DOUBLE as the float it is (`Decimal(str(x))`,
its shortest digits: 0.35, never 0.34999999999999997…), a VARCHAR as `pingfen eval` reads a
cell's text (sql/spelt.py: `1_2`, `t` refused, `健全\\t` a label, a number beyond the query's
20 places refused rather than rounded across a band)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.cli import main

RULE = """rubric "r" { total 30 }
input 满意度: percent >= 0 and <= 100%
input 分: number >= 0 and <= 10
input 状况: label { 健全, 不健全 }
input 有: bool
indicator 甲 10 { bands 满意度 { >= 35% -> 10
  else -> 0 } }
indicator 乙 10 { score = 分 }
indicator 丙 5 { match 状况 { 健全 -> 5
  不健全 -> 0 } }
indicator 丁 5 { award 5 if 有 }
"""


def _score(tmp_path: Path, ddl: str, rows: list[tuple[object, ...]]) -> dict[str, dict[str, str]]:
    rule, data, out = tmp_path / "r.rule", tmp_path / "in.parquet", tmp_path / "out.csv"
    rule.write_text(RULE, encoding="utf-8")
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t ({ddl})")
    con.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(rows[0]))})", rows)
    con.execute(f"COPY (SELECT * FROM t ORDER BY id) TO '{data}' (FORMAT parquet)")
    con.close()
    code = main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO())
    assert code in (0, 1)
    with out.open(encoding="utf-8-sig", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


@pytest.fixture
def rubric(tmp_path: Path) -> pingfen.Rubric:
    path = tmp_path / "r.rule"
    path.write_text(RULE, encoding="utf-8")
    return pingfen.load(path)


def _evaluate(rubric: pingfen.Rubric, record: dict[str, object]) -> tuple[str, str]:
    try:
        result = rubric.evaluate(record, ratios=True)
    except pingfen.DataError as error:
        return "", error.problems[0].code
    return f"{result.total:.2f}", ""


@needs_duckdb
def test_a_double_column_is_read_as_evaluate_reads_the_float(tmp_path: Path, rubric: pingfen.Rubric) -> None:
    """Every two-decimal ratio 0.00 … 1.00 and score 0.00 … 9.99 in DOUBLE columns: TRY_CAST to
    DECIMAL read 0.35 as 0.3499999999999999778, below 35% (0 points where evaluate gives 10)."""
    rows = [(i, i / 100, (i * 37 % 1000) / 100, "健全", True) for i in range(101)]
    got = _score(tmp_path, 'id INT, "满意度" DOUBLE, "分" DOUBLE, "状况" VARCHAR, "有" BOOLEAN', rows)
    assert got["35"]["total"] == f"{Decimal('20') + Decimal(str(rows[35][2])):.2f}"
    for i, rate, score, label, flag in rows:
        expected = _evaluate(rubric, {"满意度": rate, "分": score, "状况": label, "有": flag})
        assert (got[str(i)]["total"], got[str(i)]["refusal"]) == expected, (rate, score)


@needs_duckdb
def test_a_float_column_is_read_as_the_double_it_widens_to(tmp_path: Path, rubric: pingfen.Rubric) -> None:
    rows = [(i, v, 5.5, "健全", True) for i, v in enumerate([0.25, 0.5, 0.75, 1.0, 0.0])]
    got = _score(tmp_path, 'id INT, "满意度" FLOAT, "分" FLOAT, "状况" VARCHAR, "有" BOOLEAN', rows)
    for i, rate, score, label, flag in rows:
        assert (got[str(i)]["total"], got[str(i)]["refusal"]) == _evaluate(rubric, {"满意度": rate, "分": score, "状况": label, "有": flag})


@needs_duckdb
def test_a_varchar_column_is_read_as_pingfen_eval_reads_text(tmp_path: Path, rubric: pingfen.Rubric) -> None:
    rows = [
        (0, "0.35", "1_2", "健全", "true"),  # 1_2 a typo, not 12 (PF502)
        (1, "0.8999999999999999999999", "5", "健全", "true"),  # never rounded to 0.9
        (2, "0.5", "5", "健全", "t"),  # `t` no bool word (PF502)
        (3, "0.5", "5", "健全\t", "是"),  # a label's spaces off, as str.strip
        (4, "0.5", "５", "健全\r", "否"),
        (5, "35%", "1,000", "健全", "yes"),
        (6, " 0.35 ", "9.5", "不健全", "1"),
    ]
    got = _score(tmp_path, 'id INT, "满意度" VARCHAR, "分" VARCHAR, "状况" VARCHAR, "有" VARCHAR', rows)
    for i, rate, score, label, flag in rows:
        total, code = _evaluate(rubric, {"满意度": rate, "分": score, "状况": label, "有": flag})
        if i == 1:  # 20 places or fewer the query holds: more is refused, never scored as 0.9
            assert got["1"]["total"] == "" and got["1"]["refusal"] in ("PF503", "PF800")
            continue
        assert (got[str(i)]["total"], got[str(i)]["refusal"]) == (total, code), rows[i]
    assert got["0"]["refusal"] == "PF502" and got["2"]["refusal"] == "PF502"
    assert got["3"]["refusal"] == "" and got["4"]["refusal"] == ""

"""A reason for `round N` shows the score before rounding to at most 12 places (half even),
so the warehouse's reasons column, worded back, says what evaluate() says. evaluate() once
showed all 28 digits of a quotient that never ends (0.0004233700254022015241320914479) and the
DuckDB query its 20; then both 20 places, where a score made of quotients still differed in
its last digits (1.7142857142857142855 against 1.71428571428571428571: the engines agree to
10^-18); both found by the oracle of tests/test_sql_forms.py."""

from __future__ import annotations

from decimal import Decimal as D

import pingfen
import sqlhelp
from duckdb_helpers import duckdb, needs_duckdb

RUBRIC = """rubric "示例" {
  total 1
}

input 基准: amount
input 报价: amount > 0

indicator 价格 1 {
  round 1 up
  score = min(基准 / 报价, 100%) * 1
}
"""
RECORD = {"基准": D("0.01"), "报价": D("23.62")}


def test_the_unrounded_score_is_shown_to_12_places() -> None:
    rubric = pingfen.loads(RUBRIC, "r.rule", tests=False)
    reasons = rubric.evaluate(RECORD)["价格"].reasons_in("zh")
    assert "得分 0.000423370025 保留 1 位小数，计 0.1 分" in reasons, reasons
    short = rubric.evaluate({"基准": D("0.5"), "报价": D("8")})["价格"].reasons_in("en")
    assert "0.0625 rounded to 1 place: 0.1" in short, short  # an ending value keeps its own digits


@needs_duckdb
def test_the_warehouse_reason_of_a_rounding_reads_as_evaluates() -> None:
    rubric = pingfen.loads(RUBRIC, "r.rule", tests=False)
    [row] = sqlhelp.score(duckdb.connect(), rubric, [RECORD])
    sqlhelp.agree(rubric, RECORD, row)


QUOTIENTS = """rubric "示例" {
  total 3.5
}

input 完成数: amount > 0
input 计划数: amount > 0
let 完成率 = 完成数 / 计划数

indicator 完成 3.5 {
  round 1 up
  deduct 0.5 per 1% of 完成率 above 100%
}
"""


@needs_duckdb
def test_a_score_made_of_quotients_reads_alike_from_the_warehouse() -> None:
    # 29 / 28 = 103.571428…%: 1.785714… lost, 1.714285… left; the query keeps 20 decimals of
    # each quotient and product (…28550), evaluate() 28 digits (…28571…)
    rubric = pingfen.loads(QUOTIENTS, "q.rule", tests=False)
    record = {"完成数": D(29), "计划数": D(28)}
    assert "得分 1.714285714286 保留 1 位小数，计 1.8 分" in rubric.evaluate(record)["完成"].reasons_in("zh")
    [row] = sqlhelp.score(duckdb.connect(), rubric, [record])
    sqlhelp.agree(rubric, record, row)

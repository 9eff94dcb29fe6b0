"""A reason for `round N` shows the score before rounding to at most 20 places (half even):
the places every engine keeps, so the warehouse's reasons column, worded back, says what
evaluate() says. Before, evaluate() showed all 28 digits of a quotient that never ends
(0.0004233700254022015241320914479) and the DuckDB query's 20 (found by the oracle of
tests/test_sql_forms.py)."""

from __future__ import annotations

from decimal import Decimal as D

import pingfen
import sqlhelp
from real_parts import real_part

try:
    import duckdb
except ImportError:  # a developer's machine without it: real_part skips
    duckdb = None

needs_duckdb = real_part("duckdb", duckdb is not None, "pip install '.[test]'")

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


def test_the_unrounded_score_is_shown_to_20_places() -> None:
    rubric = pingfen.loads(RUBRIC, "r.rule", tests=False)
    reasons = rubric.evaluate(RECORD)["价格"].reasons_in("zh")
    assert "得分 0.00042337002540220152 保留 1 位小数，计 0.1 分" in reasons, reasons
    short = rubric.evaluate({"基准": D("0.5"), "报价": D("8")})["价格"].reasons_in("en")
    assert "0.0625 rounded to 1 places: 0.1" in short, short  # an ending value keeps its own digits


@needs_duckdb
def test_the_warehouse_reason_of_a_rounding_reads_as_evaluates() -> None:
    rubric = pingfen.loads(RUBRIC, "r.rule", tests=False)
    [row] = sqlhelp.score(duckdb.connect(), rubric, [RECORD])
    sqlhelp.agree(rubric, RECORD, row)

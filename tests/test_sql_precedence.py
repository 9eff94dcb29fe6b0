"""The query reads as it was built, whatever the operators' precedence: sqlglot writes a tree's
operands as they stand, so `marked AND (a OR b)` built without a Paren came out as
`marked AND a OR b`, and a row whose data said 不适用 counted as applying whenever `b` held
(found by the generated-rubric oracle; the total differed: 5 against evaluate()'s 7)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlglot import exp

import pingfen
import sqlhelp
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.sql import to_sql_tree
from pingfen.sql.compiler import parenthesized

RUBRIC = """rubric "示例" {
  total 10
}

input 完成率: percent
input 类型: label { 小型会议, 大型会议 }
input 评价分: score
input 问题数: count
input 分母: count > 0
input 开: bool

let 比率 = 问题数 / 分母

indicator 评价分 5 { judgment }

indicator 会议管理 5 {
  applies if 完成率 <= 150% or 类型 = 大型会议 else rescale
  deduct 0.1 per 1pp of 比率 above 100% if 开
}
"""


def test_an_operation_inside_another_is_written_in_parentheses() -> None:
    a, b, c = (exp.column(n) for n in "abc")
    tree = exp.select(exp.And(this=a, expression=exp.Or(this=b, expression=c)).as_("x"))
    assert parenthesized(tree).sql() == "SELECT a AND (b OR c) AS x"
    minus = exp.select(exp.Sub(this=a, expression=exp.Sub(this=b, expression=c)).as_("y"))
    assert parenthesized(minus).sql() == "SELECT a - (b - c) AS y"


@pytest.mark.parametrize("dialect", ["duckdb", "spark"])
def test_no_operation_is_written_bare_inside_another(dialect: str) -> None:
    tree = to_sql_tree(pingfen.loads(RUBRIC, "r.rule", tests=False), dialect)
    operators = (exp.And, exp.Or, exp.Add, exp.Sub, exp.Mul, exp.Div, exp.EQ, exp.LTE, exp.Not)
    for node in tree.find_all(*operators):
        for key in ("this", "expression"):
            assert not isinstance(node.args.get(key), operators), node.sql(dialect=dialect)


@needs_duckdb
def test_a_row_marked_not_applicable_with_an_or_condition_scores_as_evaluate() -> None:
    rubric = pingfen.loads(RUBRIC, "r.rule", tests=False)
    records = [
        {"完成率": D("0.45"), "类型": "小型会议", "评价分": D(4), "问题数": "不适用", "分母": D(19), "开": False},
        {"完成率": D("2"), "类型": "大型会议", "评价分": D(4), "问题数": "N/A", "分母": D(19), "开": True},
        {"完成率": D("2"), "类型": "小型会议", "评价分": D(4), "问题数": D(30), "分母": D(19), "开": True},
        {"完成率": D("0.45"), "类型": "大型会议", "评价分": D(4), "问题数": D(30), "分母": D(19), "开": True},
    ]
    rows = sqlhelp.score(duckdb.connect(), rubric, records)
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(rubric, record, row)
    assert [row["total"] for row in rows] == [rubric.evaluate(r, ratios=True).total for r in records]

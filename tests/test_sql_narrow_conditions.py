"""A narrow score's conditions on narrow values (sql/narrow.py, `Narrower.test`): the clamp of a
deduction (扣完为止) compares its 64-bit value, not the DECIMAL(38, 20) it was built beside, so
on DuckDB a score of known decimals reads nothing wide — and stays exactly evaluate()'s at
both ends of its clamp."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlglot import exp

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.loader import loads_unsound
from pingfen.sql import to_sql_tree
from test_engine_duckdb import RULESET

RUBRIC = """
rubric "扣完为止" {
  total 30
}
input 件数: count
input 金额: amount
input 次数: count
indicator 件 5 { deduct 1 per 件数 }
indicator 金 10 { deduct 0.5 per 1 of 金额 above 100 counting proportional }
indicator 次 15 {
  deduct 0.5 per 次数
  deduct 2 if 件数 > 3
}
"""
SCALES = {"件数": 0, "金额": 2, "次数": 0}


def _reads(name: str, tree: dict[str, str]) -> set[str]:
    """Every internal column `name` reads, directly or through others."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        for read in re.findall(r'"(_pf_\w+)"', tree.get(todo.pop(), "")):
            if read not in seen:
                seen.add(read)
                todo.append(read)
    return seen


def _wide_reads(tree: exp.Select, name: str) -> list[str]:
    """The internal columns the narrow score `name` reads, directly or not, that are DECIMAL(38, 20)."""
    definitions = {a.alias: a.this.sql(dialect="duckdb") for cte in tree.args["with_"].expressions for a in cte.this.expressions[1:]}
    written = next(e for e in tree.expressions if e.alias == name).this  # CASE WHEN refusal IS NULL THEN CAST(narrow AS DECIMAL(18, s)) END
    cast = written.args["ifs"][0].args["true"]
    assert isinstance(cast, exp.Cast) and cast.to.sql(dialect="duckdb").startswith("DECIMAL(18, "), written.sql(dialect="duckdb")
    column = cast.this.name
    return [r for r in _reads(column, definitions) | {column} if "DECIMAL(38, 20)" in definitions.get(r, "")]


def test_a_narrow_deductions_clamp_reads_nothing_wide() -> None:
    rubric = loads_unsound(RUBRIC)[0]
    tree = to_sql_tree(rubric, "duckdb", "records", reasons=False, scales=SCALES)
    for name in ("件", "金", "次"):
        assert not _wide_reads(tree, name), name


@needs_duckdb
@pytest.mark.parametrize("count", [0, 1, 3, 4, 5, 6, 29, 30, 31, 10**13])
@pytest.mark.parametrize("amount", ["0", "100", "100.01", "104.99", "105", "119.99", "120", "120.01", "99999999.99"])
def test_at_both_ends_of_the_clamp_the_scores_are_evaluates_exactly(count: int, amount: str) -> None:
    rubric = loads_unsound(RUBRIC)[0]
    con = duckdb.connect()
    con.execute("CREATE TABLE records (件数 BIGINT, 金额 DECIMAL(18, 2), 次数 DECIMAL(38, 0))")
    con.execute("INSERT INTO records VALUES (?, ?, ?)", [count, Decimal(amount), Decimal(count * 2)])
    cursor = con.execute(to_sql_tree(rubric, "duckdb", "records", reasons=False, scales=SCALES).sql(dialect="duckdb"))
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone() or (), strict=True))
    result = rubric.evaluate({"件数": Decimal(count), "金额": Decimal(amount), "次数": Decimal(count * 2)})
    assert (row["refusal"], row["total"]) == (None, result.total)
    for node in result.nodes():
        assert row[node.name] == node.score, (node.name, row[node.name], node.score)  # exact


def test_the_2021_rubrics_count_deductions_read_nothing_wide() -> None:
    rubric = pingfen.load(RULESET)
    scales = {s.name: {"count": 0, "percent": 4, "bool": 0}.get(s.type, 2) for s in rubric.inputs}
    tree = to_sql_tree(rubric, "duckdb", "records", reasons=False, scales=scales)
    for name in ("支付进度", "资金使用合规性", "资产管理安全性", "管理制度健全性", "推进全面小康建设指标任务完成情况"):
        assert not _wide_reads(tree, name), name

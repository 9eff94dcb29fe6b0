"""Inputs whose column type fixes their decimals (the engine's `scales`: a BIGINT count, an
amount's DECIMAL(18, 2)) on DuckDB: a count of whole numbers needs no fraction test (PF503), and
a twin (value × 10^6 as a BIGINT, exact.small_known) is read at the column's own scale in 64
bits, with no reading back. Every quotient, step and refusal stays evaluate()'s, at the twins'
edge (10^6), past it, negative, and for a column of more decimals than the short cut takes."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.loader import loads_unsound
from pingfen.sql import to_sql_tree

RUBRIC = """
rubric "标度" {
  total 40
}
input 人数: count
input 编制: count > 0
input 支出: amount
input 预算: amount > 0
input 差额: number
input 细数: number
let 比 = 人数 / 编制
let 率 = 支出 / 预算
let 差 = 差额 / 细数
indicator 人 10 { deduct 0.5 per 1pp of 比 above 100% counting proportional }
indicator 钱 10 { deduct 1 per 1pp of 率 above 100% counting proportional }
indicator 件 10 { deduct 0.5 per 人数 }
indicator 差 10 {
  bands 差 {
    >= 1 -> 10
    else -> 4
  }
}
"""
TYPES = {"人数": "BIGINT", "编制": "DECIMAL(38, 0)", "支出": "DECIMAL(18, 2)", "预算": "DECIMAL(18, 5)", "差额": "DECIMAL(18, 6)", "细数": "DECIMAL(18, 3)"}
SCALES = {"人数": 0, "编制": 0, "支出": 2, "预算": 5, "差额": 6, "细数": 3}

ROWS = [
    (3, 3, "120.5", "100.00001", "1.000001", "0.001"),
    (999_999, 1, "999999.99", "0.00001", "-999999.999999", "999999.999"),
    (1_000_000, 999_999, "1000000.00", "1000000", "1000000", "-1000000"),
    (7, 1_000_001, "-0.01", "3", "0.5", "0.5"),
    (0, 1, "0", "0.00001", "0", "-0.001"),
    (12, 0, "1", "1", "1", "0"),  # a zero divisor: 编制 refused first (count > 0), then 细数
    (-1, 5, "1", "1", "1", "1"),  # a negative count
    (10**13, 3, "99999999999999.99", "7", "2", "3"),
]


@needs_duckdb
@pytest.mark.parametrize("scales", [SCALES, {}], ids=["known", "unknown"])
def test_inputs_of_known_scale_score_as_evaluate(scales: dict[str, int]) -> None:
    rubric = loads_unsound(RUBRIC)[0]
    con = duckdb.connect()
    columns = ", ".join(f'"{n}" {t}' for n, t in TYPES.items())
    con.execute(f"CREATE TABLE records (id INTEGER, {columns})")
    con.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", [[i, *(Decimal(str(v)) for v in row)] for i, row in enumerate(ROWS)])
    cursor = con.execute(to_sql_tree(rubric, "duckdb", "records", reasons=False, scales=scales).sql(dialect="duckdb"))
    names = [d[0] for d in cursor.description]
    got = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    scored = 0
    for i, values in enumerate(ROWS):
        row = got[i]
        record = {n: Decimal(str(v)) for n, v in zip(TYPES, values, strict=True)}
        if max(abs(v) for v in record.values()) >= 10**14:
            continue  # the query's own limit (PF800): not evaluate()'s
        try:
            result = rubric.evaluate(record)
        except pingfen.DataError as error:  # the same first refusal
            first = error.problems[0]
            assert (row["refusal"], row["refusal_input"], row["total"]) == (first.code, first.input, None), (i, row)
            continue
        assert (row["refusal"], row["total"]) == (None, result.total), (i, row)
        scored += 1
        for node in result.nodes():
            assert abs(row[node.name] - node.score) <= Decimal("1e-18"), (i, node.name, row[node.name], node.score)
    assert scored >= 4


def test_a_column_of_known_scale_takes_the_64_bit_twin_and_a_whole_count_no_fraction_test() -> None:
    rubric = loads_unsound(RUBRIC)[0]
    known = to_sql_tree(rubric, "duckdb", "records", reasons=False, scales=SCALES).sql(dialect="duckdb")
    unknown = to_sql_tree(rubric, "duckdb", "records", reasons=False).sql(dialect="duckdb")
    for name in ("人数", "编制", "支出", "预算"):  # read back at 6 places only where the scale is not known
        assert f'TRY_CAST("{name}" AS DECIMAL(18, 6))' in unknown and f'TRY_CAST("{name}" AS DECIMAL(18, 6))' not in known
    assert 'TRY_CAST("差额" AS DECIMAL(18, 6))' in known  # 6 places: more than the short cut takes
    assert 'TRY_CAST("支出" AS DECIMAL(15, 2))' in known
    assert known.count("FLOOR(") < unknown.count("FLOOR(")  # the counts' fraction tests


@needs_duckdb
def test_column_scales_reads_a_relations_types_as_the_engine_does() -> None:
    """`pingfen.engine.column_scales`, public (the benchmarks and test_sql_plan_cost compile the
    engine's query with it): a column's decimals where its type fixes them, of any relation."""
    from pingfen.engine import column_scales

    con = duckdb.connect()
    con.execute('CREATE TABLE "我的 表" (人数 BIGINT, 支出 DECIMAL(18, 2), 细数 DECIMAL(38, 20), 差额 DOUBLE, 名 VARCHAR, 小 UTINYINT)')
    assert column_scales(con, "我的 表") == {"人数": 0, "支出": 2, "细数": 20, "小": 0}
    con.execute('CREATE VIEW records AS SELECT 支出 FROM "我的 表"')
    assert column_scales(con) == {"支出": 2}

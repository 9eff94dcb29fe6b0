"""Scores of known decimals in 64 bits on DuckDB (pingfen.sql.narrow): a node whose value has at
most s decimals on every row (bands, awards, judgments and steps of inputs whose column type
fixes their decimals, counts, groups of them) is worked out in 64-bit decimals and written as
a DECIMAL(18, s) — exactly evaluate()'s number, not merely within 1e-18 — while a quotient, or
a value whose bound needs more than 17 digits, keeps the wide DECIMAL(38, 20) path, exactly.
Spark's query is not narrowed."""

from __future__ import annotations

import random
import re
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.engine import score_with_duckdb
from pingfen.loader import loads_unsound
from pingfen.sql import newforms, to_sql, to_sql_tree
from pingfen.testing import boundary_values
from test_engine_duckdb import RULESET

RUBRIC = pingfen.load(RULESET)
# the column types of a typical export: amounts and scores to the cent, ratios to 4 places
TYPES = {"bool": "BOOLEAN", "count": "DECIMAL(38, 0)", "percent": "DECIMAL(38, 4)"}


def _records(n: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    near = boundary_values(RUBRIC)
    out: list[dict[str, object]] = []
    for _ in range(n):
        record: dict[str, object] = {}
        for s in RUBRIC.inputs:
            values = [v for v in near.get(s.name) or [] if isinstance(v, Decimal) and v == v.quantize(Decimal("0.0001"))]
            if rng.random() < 0.003:
                record[s.name] = None
            elif s.type == "bool":
                record[s.name] = rng.random() < 0.7
            elif values and rng.random() < 0.5:
                record[s.name] = rng.choice(values)
            elif s.type == "count":
                record[s.name] = Decimal(rng.choice([0, 1, 2, 3, 7, 1200, 10**13]))
            elif s.type == "percent":
                record[s.name] = Decimal(rng.randint(0, 12_000)) / 10_000
            elif s.type == "amount":
                record[s.name] = Decimal(rng.randint(0, 10**8)) / 100
            else:
                top = max(b for op, b in s.bounds if op == "<=")
                record[s.name] = Decimal(rng.randint(-10, int(top * 100) + 10)) / 100  # a few outside: refused
            if s.type in ("amount", "score") and isinstance(record[s.name], Decimal):
                record[s.name] = Decimal(record[s.name]).quantize(Decimal("0.01"))  # type: ignore[arg-type]  # a Decimal here
        out.append(record)
    return out


def _parquet(path: Path, records: list[dict[str, object]]) -> None:
    con = duckdb.connect()
    types = [TYPES.get(s.type, "DECIMAL(38, 2)") for s in RUBRIC.inputs]
    columns = ", ".join(f'"{s.name}" {t}' for s, t in zip(RUBRIC.inputs, types, strict=True))
    con.execute(f"CREATE TABLE r (id VARCHAR, {columns})")
    con.executemany(f"INSERT INTO r VALUES (?{', ?' * len(types)})", [[f"单位{i}", *(r[s.name] for s in RUBRIC.inputs)] for i, r in enumerate(records)])
    con.execute(f"COPY r TO '{path}' (FORMAT parquet)")


@needs_duckdb
def test_a_parquet_file_of_typed_columns_gets_narrow_scores_equal_to_evaluate(tmp_path: Path) -> None:
    records = _records(2500, seed=2021)
    data, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    _parquet(data, records)
    score_with_duckdb(RUBRIC, str(data), str(out), ruleset=str(RULESET), threads=2)
    con = duckdb.connect()
    types = {name: kind for name, kind, *_ in con.execute(f"DESCRIBE SELECT * FROM '{out}'").fetchall()}
    # judgments of inputs to the cent, to the cent; bands and awards of whole points, whole;
    # a deduction per count in halves, to 1 place; what reads a quotient (a let), wide
    assert types["推进全面小康建设指标任务完成情况"] == types["职责履行"] == types["产出"] == "DECIMAL(18,2)"
    assert types["重点支出安排率"] == types["管理制度健全性"] == types["资金使用合规性"] == "DECIMAL(18,0)"
    assert types["支付进度"] == types["预决算信息公开性和完善性"] == "DECIMAL(18,1)"
    assert types["财政供养人员控制率"] == types["投入"] == "DECIMAL(38,20)"
    narrow = {name for name, kind in types.items() if kind.startswith("DECIMAL(18,")}
    assert len(narrow) >= 20
    cursor = con.execute(f"SELECT * FROM '{out}'")
    names = [d[0] for d in cursor.description]
    rows = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    scored = 0
    for i, record in enumerate(records):
        row = rows[f"单位{i}"]
        try:
            result = RUBRIC.evaluate(record, ratios=True)
        except pingfen.DataError as refused:
            assert (row["refusal"], row["refusal_input"], row["total"]) == (refused.problems[0].code, refused.problems[0].input, None)
            continue
        scored += 1
        assert (row["refusal"], row["total"], row["grade"]) == (None, result.total, result.grade)
        for node in result.nodes():
            if node.name in narrow:
                assert row[node.name] == node.score, (node.name, row[node.name], node.score)  # exact, not within 1e-18
            else:
                assert abs(row[node.name] - node.score) <= Decimal("1e-18"), (node.name, row[node.name], node.score)
    assert scored > 1000


HUGE = """
rubric "大数" {
  total 50
}
input 件数: count
input 金额: amount
input 细额: amount
input 分值: score <= 10
indicator 件 10 { deduct 1 per 件数 }
indicator 金 10 { deduct 0.5 per 1 of 金额 above 0 counting proportional }
indicator 细 10 { deduct 1 per 1 of 细额 above 0 counting proportional }
indicator 分 10 { judgment 分值 }
indicator 档 10 {
  bands 金额 {
    >= 1000 -> 10
    else    -> 9.0000000000000000001
  }
}
"""


@needs_duckdb
@pytest.mark.parametrize(
    ("count", "amount", "fine"),
    [
        (Decimal(10**14 - 1), Decimal("99999999999999.999"), Decimal("99999999999999.99")),
        (Decimal(0), Decimal("0.001"), Decimal("0.01")),
        (Decimal(3), Decimal("19.999"), Decimal("9.99")),
        (Decimal(10**14), Decimal("1"), Decimal("1")),  # 10^14: refused (PF800), not an overflow
        (Decimal(1), Decimal(10**14), Decimal("1")),
    ],
)
def test_huge_bounds_take_the_wide_path_exactly(count: Decimal, amount: Decimal, fine: Decimal) -> None:
    rubric = loads_unsound(HUGE)[0]
    con = duckdb.connect()
    con.execute("CREATE TABLE records (件数 DECIMAL(38, 0), 金额 DECIMAL(38, 3), 细额 DECIMAL(38, 2), 分值 DECIMAL(38, 2))")
    con.execute("INSERT INTO records VALUES (?, ?, ?, ?)", [count, amount, fine, Decimal("7.25")])
    scales = {"件数": 0, "金额": 3, "细额": 2, "分值": 2}
    query = to_sql_tree(rubric, "duckdb", "records", reasons=False, scales=scales).sql(dialect="duckdb")
    cursor = con.execute(query)
    kinds = {d[0]: str(d[1]) for d in cursor.description}
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone() or (), strict=True))
    # a count read to 10^14 and a step of whole points fit 17 digits; an amount of 3 places
    # times 0.5 would need 18 (14 + 3 + 1), and a band's 19 decimals more: those stay wide
    types = {name: kinds[name] for name in ("件", "细", "分", "金", "档")}
    assert "DECIMAL(38,20)" not in {types["件"], types["细"], types["分"]} and types["金"] == types["档"] == "DECIMAL(38,20)", types
    record = {"件数": count, "金额": amount, "细额": fine, "分值": Decimal("7.25")}
    if max(count, amount, fine) >= 10**14:  # the query's own limit (docs/scale.md): evaluate() would score it
        assert (row["refusal"], row["total"]) == ("PF800", None)
        return
    try:
        result = rubric.evaluate(record)
    except pingfen.DataError as refused:
        assert (row["refusal"], row["total"]) == (refused.problems[0].code, None)
        return
    assert (row["refusal"], row["total"]) == (None, result.total)
    for node in result.nodes():
        assert row[node.name] == node.score, (node.name, row[node.name], node.score)


def test_other_dialects_are_not_narrowed() -> None:
    scales = {s.name: 2 for s in RUBRIC.inputs}
    narrowed = re.compile(r"DECIMAL\(18, \d\)\) END AS .重点支出安排率.")  # a band's score, written narrow
    assert narrowed.search(to_sql_tree(RUBRIC, "duckdb", "records", reasons=False).sql(dialect="duckdb"))
    for dialect in ("spark", "postgres"):
        plain = newforms.to_sql_tree(RUBRIC, dialect, "records", reasons=False).sql(dialect=dialect)
        given = newforms.to_sql_tree(RUBRIC, dialect, "records", reasons=False, scales=scales).sql(dialect=dialect)
        assert plain == given
        assert not narrowed.search(plain)
        # the warehouse query (pingfen sql), told every column's type, reads each as typed: the same query
        assert to_sql_tree(RUBRIC, dialect, "records", reasons=False, scales=scales).sql(dialect=dialect) == given


def test_the_narrowed_query_keeps_no_column_it_does_not_read() -> None:
    scales = {s.name: {"count": 0, "percent": 4, "bool": 0}.get(s.type, 2) for s in RUBRIC.inputs}
    for reasons in (False, True):
        query = to_sql(RUBRIC, "duckdb", "records", reasons=reasons) if reasons else to_sql_tree(RUBRIC, "duckdb", "records", reasons=False, scales=scales).sql(dialect="duckdb")
        defined = re.findall(r'AS "(_pf_\d+)"', query)
        read = re.sub(r"EXCLUDE \([^)]*\)", "", query)  # the final SELECT's list of what it drops
        assert defined
        for name in defined:
            assert read.count(f'"{name}"') >= 2, name  # defined, and read somewhere


POINTS = """
rubric "分" {
  total 20
  round total PLACES half_even
}
input 例数: count
input 公开: bool
input 评分: score <= 10
indicator 甲 10 { deduct 0.5 per 例数 }
indicator 乙 10 {
  judgment 评分
}
"""


@needs_duckdb
@pytest.mark.parametrize("places", [2, 1, 0])
def test_a_total_of_known_decimals_is_not_rounded_by_a_floor(places: int) -> None:
    """Halves and cents to 2 places need no rounding: the narrow total, widened. To 1 place or
    none they do (8.5 + 7.25, half even), by the exact rounding of the wide total."""
    rubric = loads_unsound(POINTS.replace("PLACES", str(places)))[0]
    scales = {"例数": 0, "评分": 2}
    query = to_sql_tree(rubric, "duckdb", "records", reasons=False, scales=scales).sql(dialect="duckdb")
    rounded = to_sql_tree(loads_unsound(POINTS.replace("PLACES", "0"))[0], "duckdb", "records", reasons=False, scales=scales).sql(dialect="duckdb")
    floors = query.upper().count("FLOOR(")  # a count's fraction check has one too, for a row with no twin
    assert (floors < rounded.upper().count("FLOOR(")) == (places == 2)
    con = duckdb.connect()
    con.execute("CREATE TABLE records (例数 DECIMAL(38, 0), 公开 BOOLEAN, 评分 DECIMAL(38, 2))")
    rows = [(Decimal(n), True, Decimal(s) / 100) for n in (0, 1, 3, 5, 19, 20, 21, 10**13) for s in (0, 1, 25, 50, 725, 750, 999, 1000)]
    con.executemany("INSERT INTO records VALUES (?, ?, ?)", rows)
    for (count, _shown, score), got in zip(rows, con.execute(query).fetchall(), strict=True):
        result = rubric.evaluate({"例数": count, "公开": True, "评分": score})
        scores = {node.name: node.score for node in result.nodes()}
        assert (got[0], got[1], got[2]) == (scores["甲"], scores["乙"], result.total), (count, score, got)

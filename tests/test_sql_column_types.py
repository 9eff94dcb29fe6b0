"""The warehouse query (`pingfen sql`) is not told its columns' types: a number's DOUBLE or FLOAT
column is read by its shortest digits, as evaluate() reads a Python float, and a text column as
`pingfen eval` reads a cell's text (sql/warehouse.py) — on a real DuckDB, each row held to
evaluate(record, ratios=True) of the values the table gives back. Before, both were cast
straight to DECIMAL: a DOUBLE 0.35 was 0.34999999999999997779… and missed `>= 35%`, and text
was read as DuckDB casts it (`1_2` was 12, `t` was true, `1,000` refused)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import pingfen
import sqlhelp
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.sql import to_sql

TEXT = """rubric "列的类型" {
  total 100
  round total 4
}
input 执行率: percent
input 家数: count
input 金额: amount
input 达标: bool
input 类型: label { 甲, 乙 }
indicator 执行 40 {
  bands 执行率 {
    >= 35% -> 40
    [10%, 35%) -> 20
    else -> 0
  }
}
indicator 数量 20 {
  bands 家数 {
    >= 1000 -> 20
    [12, 1000) -> 10
    else -> 0
  }
}
indicator 资金 20 {
  score = min(金额, 20)
}
indicator 达成 10 {
  award 10 if 达标
}
indicator 分类 10 {
  award 10 if 类型 = 甲
}
"""
RUBRIC = pingfen.loads(TEXT, "r.rule", tests=False)
NAMES = ("执行率", "家数", "金额", "达标", "类型")

DOUBLES = [0.35, 0.1, 1 / 3, 1e-7, 0.34999999999999997, 0.0, -0.0, 20.000000000000004, 12.000000000000002, 1e-25, float("nan"), float("inf")]
NUMBER_TEXTS = ["12", " 12 ", "\u300012\t", "1,000", "1,00", "１２", "１，０００", "1_2", "", "   ", "12.5", "12.0", "95%", "1e3", "abc",
                "0.899999999999999999999999", "不适用", "+12", ".5", "12."]  # fmt: skip
PERCENT_TEXTS = ["95%", "35%", "９５％", " 35 % ", "0.35", "35", "0.0999999999999999999999", "34.99999999999999999999%", "", "%", "是"]
BOOL_TEXTS = ["是", "否", "yes", "No", "t", "f", "1", "0", "√", "×", "", " 是 ", "true", "真"]
LABEL_TEXTS = ["甲", " 甲 ", "甲\u3000", "丙", "", "乙"]
BASE = {"执行率": 0.5, "家数": "3", "金额": 100.0, "达标": "是", "类型": "甲"}


def _scored(con: Any, kinds: str, rows: list[tuple[object, ...]]) -> list[tuple[dict[str, object], dict[str, object]]]:
    """Each row of a table of these column types, as the table gives it back, beside the
    query's row for it."""
    con.execute(f"CREATE OR REPLACE TABLE records (n INTEGER, {kinds})")
    marks = ", ".join("?" * (len(NAMES) + 1))
    con.executemany(f"INSERT INTO records VALUES ({marks})", [(i, *row) for i, row in enumerate(rows)])
    given = con.execute("SELECT * FROM records ORDER BY n").fetchall()
    cursor = con.execute(f"SELECT * FROM ({to_sql(RUBRIC)}) ORDER BY n")
    columns = [d[0] for d in cursor.description]
    out = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return [(dict(zip(NAMES, g[1:], strict=True)), o) for g, o in zip(given, out, strict=True)]


def _varied(values: dict[str, list[object]]) -> list[tuple[object, ...]]:
    return [tuple((BASE | {name: v})[n] for n in NAMES) for name, vs in values.items() for v in vs]


# evaluate() scores these; the query refuses them (docs/scale.md, where the contract stops: a
# digit past the 20th decimal, a value of 10^14 or more), never reads them rounded
BEYOND = {1e-25, "1e-25", "0.0999999999999999999999", "34.99999999999999999999%", "0.899999999999999999999999", 1e22, "1E13"}


def _agree(record: dict[str, object], row: dict[str, object]) -> None:
    beyond = [name for name, v in record.items() if v in BEYOND and not (name == "金额" and v == "1E13")]
    try:
        RUBRIC.evaluate(record, ratios=True)
    except pingfen.DataError:
        beyond = []  # refused on both sides alike
    if beyond:
        assert (row["refusal"], row["refusal_input"]) == ("PF800", beyond[0]), (record, row)
        return
    sqlhelp.agree(RUBRIC, record, row)


@needs_duckdb
def test_double_and_text_columns_score_as_evaluate_reads_their_values() -> None:
    con = duckdb.connect()
    kinds = "执行率 DOUBLE, 家数 VARCHAR, 金额 DOUBLE, 达标 VARCHAR, 类型 VARCHAR"
    rows = _varied({"执行率": [*DOUBLES, 1e22], "家数": NUMBER_TEXTS, "金额": [*DOUBLES, 1e22, 1e13], "达标": BOOL_TEXTS, "类型": LABEL_TEXTS})
    pairs = _scored(con, kinds, rows)
    for record, row in pairs:
        _agree(record, row)
    assert sum(row["refusal"] is None for _, row in pairs) > len(pairs) // 2  # most are scored
    first = pairs[0]  # a DOUBLE 0.35 meets >= 35%, as evaluate()'s 0.35 does
    assert first[0]["执行率"] == 0.35 and first[1]["执行"] == 40


@needs_duckdb
def test_other_columns_as_text_and_doubles_and_a_float() -> None:
    con = duckdb.connect()
    kinds = "执行率 VARCHAR, 家数 DOUBLE, 金额 VARCHAR, 达标 BOOLEAN, 类型 VARCHAR"
    base = {"执行率": "50%", "家数": 3.0, "金额": "100", "达标": True}
    rows = [tuple((BASE | base | {name: v})[n] for n in NAMES) for name, vs in {
        "执行率": PERCENT_TEXTS, "家数": [12.0, 11.999999999999998, 2.5, 1000.0, 1e22, float("nan")],
        "金额": [*NUMBER_TEXTS, "1e-25", "1E13"], "达标": [True, False, None]}.items() for v in vs]  # fmt: skip
    for record, row in _scored(con, kinds, rows):
        _agree(record, row)
    kinds = "执行率 FLOAT, 家数 BIGINT, 金额 DECIMAL(18, 2), 达标 BOOLEAN, 类型 VARCHAR"
    rows = [(0.35, 12, Decimal("19.99"), True, "甲"), (0.5, 1000, Decimal("20.01"), False, "乙")]
    pairs = _scored(con, kinds, rows)
    for record, row in pairs:
        _agree(record, row)
    assert pairs[0][0]["执行率"] == 0.3499999940395355 and pairs[0][1]["执行"] == 20  # the FLOAT's own value: the double it widens to


@needs_duckdb
def test_typed_columns_pay_nothing_for_the_branch() -> None:
    """DuckDB works `typeof` out when it binds the query and folds the CASE on it: the plan of a
    table of typed numbers reads no text of them (the text path's patterns are gone)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE records (执行率 DECIMAL(38, 20), 家数 BIGINT, 金额 DECIMAL(18, 2), 达标 BOOLEAN, 类型 VARCHAR)")
    con.execute("PRAGMA explain_output = 'optimized_only'")
    plan = "\n".join(str(r[1]) for r in con.execute(f"EXPLAIN (FORMAT json) {to_sql(RUBRIC, reasons=False)}").fetchall()).lower()
    assert "typeof" not in plan and "regexp" not in plan
    con.execute("CREATE OR REPLACE TABLE records (执行率 DOUBLE, 家数 VARCHAR, 金额 DECIMAL(18, 2), 达标 BOOLEAN, 类型 VARCHAR)")
    plan = "\n".join(str(r[1]) for r in con.execute(f"EXPLAIN (FORMAT json) {to_sql(RUBRIC, reasons=False)}").fetchall()).lower()
    assert "typeof" not in plan and "regexp" in plan  # the text's reading, where the column is text


@needs_duckdb
def test_a_bool_from_a_number_column_is_1_or_0_as_evaluate_reads_it() -> None:
    # A bool input's INTEGER, DECIMAL or DOUBLE column was cast to BOOLEAN: 2, -1, 0.5 and a NaN
    # all scored as true, where evaluate() refuses each (PF502); and evaluate() refused a float
    # 1.0 that it reads as the number 1 (Decimal("1.0") was taken).
    con = duckdb.connect()
    columns = {"INTEGER": [1, 0, 2, -1], "DECIMAL(3, 1)": [Decimal("1.0"), Decimal("0.5"), Decimal("0.0")],
               "DOUBLE": [1.0, 0.0, -0.0, 0.5, float("nan"), float("inf"), 1e-300]}  # fmt: skip
    read = []
    for kind, values in columns.items():
        kinds = f"执行率 DOUBLE, 家数 VARCHAR, 金额 DOUBLE, 达标 {kind}, 类型 VARCHAR"
        for record, row in _scored(con, kinds, _varied({"达标": values})):
            _agree(record, row)
            read.append((record["达标"], row["达成"], row["refusal"]))
    assert (2, None, "PF502") in read and (1.0, 10, None) in read and (-0.0, 0, None) in read
    # the engine's query, told the column holds an integer (its scale), reads it alike
    from pingfen.engine import column_scales
    from pingfen.sql import to_sql_tree

    con.execute("CREATE OR REPLACE TABLE records AS SELECT 0.5 AS 执行率, 3 AS 家数, 100 AS 金额, 2 AS 达标, '甲' AS 类型")
    sql = to_sql_tree(RUBRIC, "duckdb", scales=column_scales(con), reasons=False).sql("duckdb")
    row = con.execute(f"SELECT refusal, refusal_input FROM ({sql})").fetchone()
    assert row == ("PF502", "达标")


DAYS = """rubric "日期的列" {
  total 10
}
input 起: date
input 止: date
input 类型: label { 甲, True, 是 }
indicator 时效 6 {
  deduct 0.00001 per 1 of days(起, 止) above 0
}
indicator 分类 4 {
  award 4 if 类型 = True
}
"""
DAY_RUBRIC = pingfen.loads(DAYS, "d.rule", tests=False)


def _both_paths(con: Any, rubric: pingfen.Rubric, folder: Any, text: str = DAYS) -> list[tuple[dict[str, object], dict[str, object]]]:
    """Each row of `records` as the table gives it back beside the warehouse query's row for it
    (`pingfen sql`: its columns' types not told), then each row of the table written as Parquet,
    as the file gives it back, beside the engine's (`pingfen eval --engine duckdb`)."""
    from pingfen.engine import score_with_duckdb

    def rows(sql: str) -> list[dict[str, object]]:
        cursor = con.execute(sql)
        return [dict(zip([d[0] for d in cursor.description], row, strict=True)) for row in cursor.fetchall()]

    names = [s.name for s in rubric.inputs]
    given = rows("SELECT * FROM records ORDER BY n")
    pairs = list(zip(given, rows(f"SELECT * FROM ({to_sql(rubric)}) ORDER BY n"), strict=True))
    data, out, rule = folder / "d.parquet", folder / "o.parquet", folder / "d.rule"
    rule.write_text(text, encoding="utf-8")
    con.execute(f"COPY (SELECT * FROM records ORDER BY n) TO '{data}' (FORMAT parquet)")
    score_with_duckdb(rubric, str(data), str(out), ruleset=str(rule), reasons=True)
    pairs += zip(rows(f"SELECT * FROM read_parquet('{data}') ORDER BY n"), rows(f"SELECT * FROM read_parquet('{out}') ORDER BY n"), strict=True)
    return [({n: g[n] for n in names}, row) for g, row in pairs]


@needs_duckdb
def test_a_date_from_a_column_of_numbers_is_its_day_number_as_evaluate_reads_it(tmp_path: Any) -> None:
    # A date input's INTEGER or DECIMAL column was cast to DATE, which reads no number: every row
    # refused (PF502), where evaluate() reads an int or a Decimal as a day number (Excel's, whole,
    # from 1 to 2958465). A DOUBLE's float it refuses, as the query does.
    con = duckdb.connect()
    columns = {"INTEGER": [45382, 45381, 1, 2958465, 0, -1], "BIGINT": [45382, 2958466], "HUGEINT": [45382],
               "USMALLINT": [45382], "DECIMAL(10, 1)": [Decimal("45382.0"), Decimal("45382.5"), Decimal("0.0")],
               "DECIMAL(38, 25)": [Decimal("45382"), Decimal("45382.0000000000000000000001")],
               "DOUBLE": [45382.0, 45382.5], "DATE": [datetime.date(2024, 3, 31)]}  # fmt: skip
    read = []
    for kind, days in columns.items():
        con.execute(f"CREATE OR REPLACE TABLE records (n INTEGER, 起 DATE, 止 {kind}, 类型 VARCHAR)")
        con.executemany("INSERT INTO records VALUES (?, DATE '1899-12-31', ?, '甲')", list(enumerate(days)))
        for record, row in _both_paths(con, DAY_RUBRIC, tmp_path):
            sqlhelp.agree(DAY_RUBRIC, record, row)
            read.append((kind, record["止"], row["refusal"]))
    assert ("INTEGER", 45382, None) in read and ("DECIMAL(10, 1)", Decimal("45382.0"), None) in read
    assert ("DECIMAL(38, 25)", Decimal("45382.0000000000000000000001"), "PF502") in read and ("DOUBLE", 45382.0, "PF502") in read


@needs_duckdb
def test_a_date_from_a_timestamptz_column_is_its_day_in_the_session_time_zone() -> None:
    """The DuckDB query over a TIMESTAMPTZ column takes the day it falls on in the session's
    TimeZone (DuckDB's cast to DATE), as on PostgreSQL, and as evaluate() takes the day of the
    datetime the session gives a client (aware, in that zone): one instant, different days."""
    con = duckdb.connect()
    con.execute("CREATE TABLE records (n INTEGER, 起 DATE, 止 TIMESTAMPTZ, 类型 VARCHAR)")
    con.execute("INSERT INTO records VALUES (0, DATE '1899-12-31', TIMESTAMPTZ '2024-03-31 00:30:00+08', '甲'), "
                "(1, DATE '1899-12-31', TIMESTAMPTZ '2024-03-31 23:30:00+00', '甲'), (2, DATE '1899-12-31', NULL, '甲')")  # fmt: skip
    days = set()
    for zone in ("UTC", "Asia/Shanghai", "America/New_York"):
        con.execute(f"SET TimeZone = '{zone}'")
        cursor = con.execute(f"SELECT r.止, q.* FROM records AS r JOIN ({to_sql(DAY_RUBRIC)}) AS q USING (n) ORDER BY n")
        names = [d[0] for d in cursor.description]
        for given, *rest in cursor.fetchall():
            row = dict(zip(names[1:], rest, strict=True))
            sqlhelp.agree(DAY_RUBRIC, {"起": "1899-12-31", "止": given, "类型": "甲"}, row)
            days.add(given.date() if given is not None else None)
            assert given is None or given.utcoffset() == given.astimezone(ZoneInfo(zone)).utcoffset()
    assert len(days) > 3  # an instant's day depends on the session's zone


# A date's text as values.to_date reads it or refuses it, and blanks (PF501): each engine's query
# reads them alike (tests/test_sql_postgres.py, tests/test_spark_column_types.py take them too).
DATE_TEXTS = ["2021-03-05", "2021/3/5", "2021年3月5日", "2021.3.5", "2021-3-5", " 2021-03-05\u3000", "2021-03-05 12:30",
              "2021-03-05T12:30:00", "2021-03-05 12:30:00.5", "2021 - 3 - 5", "2021年 3月 5日", "２０２１-０３-０５", "٢٠٢١-٠٣-٠٥",
              "44256", "44256.0", "０４４２５６", "4.4256E4", "442560E-1", "+44256", "2958465", "2021", "2020-02-29", "0001-01-01",
              "9999-12-31", "2021-3-5日", "2021年3月5", "2021-03-05 24:00", "4.4256E0004",  # read
              "44256.5", "0", "-1", "2958466", "1E400", "٤٤٢٥٦", "2021-02-29", "2021-02-30", "0000-01-01", "2021-13-01",
              "20210305", "2021-03", "2021-03-05Z", "2021-03-05 junk", "2021-03-05T12", "12021-03-05", "abc", "不适用",  # refused
              "", "  ", "\u3000", "\t"]  # fmt: skip


@needs_duckdb
def test_a_date_text_is_read_as_evaluate_reads_it() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE records (n INTEGER, 起 VARCHAR, 止 VARCHAR, 类型 VARCHAR)")
    con.executemany("INSERT INTO records VALUES (?, '1899-12-31', ?, '甲')", list(enumerate(DATE_TEXTS)))
    cursor = con.execute(f"SELECT * FROM ({to_sql(DAY_RUBRIC)}) ORDER BY n")
    rows = [dict(zip([d[0] for d in cursor.description], row, strict=True)) for row in cursor.fetchall()]
    for text, row in zip(DATE_TEXTS, rows, strict=True):
        sqlhelp.agree(DAY_RUBRIC, {"起": "1899-12-31", "止": text, "类型": "甲"}, row)
    assert [row["refusal"] for row in rows].count(None) == 28


# Inputs read only where a row applies: 不适用 marks them with whatever str.strip() takes away around it
NA_RUBRIC = pingfen.loads("""rubric "可选" {
  total 10
}
input 有: bool
input 数: number
input 期: date
indicator 甲 10 {
  applies if 有 else zero
  award 5 if 数 > 1
  award 5 if days(期, 期) = 0
}
""", "o.rule", tests=False)
NA_RECORDS = [{"有": flag, "数": "2", "期": "2021-01-01"} | {name: said} for flag in ("是", "否") for name in ("数", "期")
              for said in ("\u3000不适用", "\t不适用 ", " NA\u3000", "不适用", "")]  # fmt: skip


@needs_duckdb
def test_a_text_that_marks_an_input_not_applicable_is_read_as_evaluate_reads_it() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE records (n INTEGER, 有 VARCHAR, 数 VARCHAR, 期 VARCHAR)")
    con.executemany("INSERT INTO records VALUES (?, ?, ?, ?)", [(i, r["有"], r["数"], r["期"]) for i, r in enumerate(NA_RECORDS)])
    cursor = con.execute(f"SELECT * FROM ({to_sql(NA_RUBRIC)}) ORDER BY n")
    for record, row in zip(NA_RECORDS, cursor.fetchall(), strict=True):
        sqlhelp.agree(NA_RUBRIC, record, dict(zip([d[0] for d in cursor.description], row, strict=True)))


@needs_duckdb
def test_a_label_from_a_boolean_column_is_true_or_false_as_python_writes_it(tmp_path: Any) -> None:
    # evaluate() reads a label as str(value).strip(): a bool is `True` or `False`. The query cast
    # a BOOLEAN column to text, `true`: a label declared `True` was refused (PF506), and one
    # declared `true` taken where evaluate() refuses it. A text column's `true` is `true`.
    con = duckdb.connect()
    read = []
    for labels in ("甲, True", "甲, true"):
        text = f'rubric "标签" {{\n  total 10\n}}\ninput 类型: label {{ {labels} }}\nindicator 分类 10 {{\n  award 10 if 类型 = 甲\n}}\n'
        rubric = pingfen.loads(text, "l.rule", tests=False)
        for kind, flags in (("BOOLEAN", [True, False, None]), ("VARCHAR", ["true", "True", " 甲 "])):
            con.execute(f"CREATE OR REPLACE TABLE records (n INTEGER, 类型 {kind})")
            con.executemany("INSERT INTO records VALUES (?, ?)", list(enumerate(flags)))
            for record, row in _both_paths(con, rubric, tmp_path, text):
                sqlhelp.agree(rubric, record, row)
                read.append((labels, record["类型"], row["refusal"]))
    assert ("甲, True", True, None) in read and ("甲, true", True, "PF506") in read and ("甲, true", "true", None) in read


def _date_column_reads(dialect: str) -> list[str]:
    """Each definition DAY_RUBRIC's query needs once its date inputs' columns are known as DATE,
    each branch on their type folded as Spark folds typeof (PostgreSQL's CASE takes one branch
    a row): the query's columns that the scores and refusals read, transitively."""
    from sqlglot import exp
    from sqlglot.optimizer.simplify import simplify

    from pingfen.sql import to_sql_tree

    tree = to_sql_tree(DAY_RUBRIC, dialect)
    for node in list(tree.find_all(exp.In)):
        kind = node.this
        if isinstance(kind, exp.Anonymous) and kind.name.upper() in ("TYPEOF", "PG_TYPEOF") and kind.expressions[0].name in ("起", "止"):
            node.replace(exp.true() if "date" in node.sql(dialect) else exp.false())
    defined: dict[str, exp.Expr] = {}
    for select in tree.find_all(exp.Select):
        for column in select.expressions:
            if isinstance(column, exp.Alias):
                defined[column.alias] = simplify(column.this.copy())
    outer = [simplify(c.copy()) for c in tree.expressions if not isinstance(c, exp.Star)]  # Spark's `* EXCEPT (…)` reads none
    needed: list[exp.Expr] = []
    todo = outer
    seen: set[str] = set()
    while todo:
        e = todo.pop()
        needed.append(e)
        for column in e.find_all(exp.Column):
            if column.name in defined and column.name not in seen:
                seen.add(column.name)
                todo.append(defined[column.name])
    return [e.sql(dialect) for e in needed]


@pytest.mark.parametrize("dialect", ["spark", "postgres"])
def test_a_date_column_reads_none_of_the_text_path(dialect: str) -> None:
    """A date input read from its text (values.to_date's patterns, TRANSLATE of digits) made a DATE
    column pay for it too: 20 of them, PostgreSQL 20k rows 2 s → 18 s, Spark 17 s → 204 s. A DATE
    or TIMESTAMP column is its cast, as before: once its type is known none of that is read."""
    from pingfen.sql.dates import DATE_GROUPS, NUMBER_PATTERN

    reads = "\n".join(_date_column_reads(dialect))
    assert "DATE" in reads
    for machinery in (*DATE_GROUPS, NUMBER_PATTERN, "TRANSLATE", "LPAD"):
        assert machinery not in reads, machinery


def test_a_date_columns_text_path_on_postgres_is_a_subquery_its_case_runs_only_for_text() -> None:
    """PostgreSQL plans no branch on pg_typeof away, and each column of a layer is worked out and
    carried through every later layer: the text path's dozen steps, NULL for a DATE column, still
    cost it 4-9 times main's time. Its steps are now a subquery in the CASE's branch for other types."""
    from sqlglot import exp

    from pingfen.sql import to_sql_tree
    from pingfen.sql.dates import DATE_GROUPS, NUMBER_PATTERN

    tree = to_sql_tree(DAY_RUBRIC, "postgres")
    layers = tree.args["with_"].expressions
    assert layers
    for layer in layers:
        for column in layer.this.expressions:
            outside = column.copy()
            for sub in list(outside.find_all(exp.Subquery)):
                sub.replace(exp.Null())
            for machinery in (*DATE_GROUPS, NUMBER_PATTERN, "TRANSLATE"):
                assert machinery not in outside.sql("postgres"), (column.alias, machinery)


@needs_duckdb
def test_a_boolean_column_is_no_number_and_a_huge_integer_is_beyond_not_unread(tmp_path: Any) -> None:
    # A BOOLEAN column for a percent, count or amount was cast to DECIMAL: true scored as 1 (100%,
    # one, 1 元), where evaluate() refuses a bool for a number (PF502). An integer column of 10^18
    # or more (a BIGINT, a DECIMAL(38, 0)) failed the cast to DECIMAL(38, 20) and was refused as
    # no number (PF502, "is not an amount") where a cell of the same digits is too large for
    # the query (PF800) or out of bounds (PF503), as docs/scale.md says.
    from pingfen.engine import column_scales, score_with_duckdb
    from pingfen.sql import to_sql_tree

    con = duckdb.connect()
    cases = [("执行率", "BOOLEAN", "true", "PF502"), ("家数", "BOOLEAN", "false", "PF502"), ("金额", "BOOLEAN", "true", "PF502"),
             ("家数", "BIGINT", "2000000000000000000", "PF800"), ("金额", "DECIMAL(38, 0)", "100000000000000000000", "PF800"),
             ("金额", "HUGEINT", "-100000000000000000000", "PF503"), ("执行率", "UBIGINT", "18446744073709551615", "PF800")]  # fmt: skip
    for name, kind, value, code in cases:
        base = {"执行率": "0.5", "家数": "3", "金额": "100", "达标": "true", "类型": "'甲'"} | {name: f"CAST({value} AS {kind})"}
        con.execute("CREATE OR REPLACE TABLE records AS SELECT " + ", ".join(f"{v} AS {n}" for n, v in base.items()))
        for sql in (to_sql(RUBRIC, reasons=False), to_sql_tree(RUBRIC, "duckdb", scales=column_scales(con), reasons=False).sql("duckdb")):
            got = con.execute(f"SELECT refusal, refusal_input FROM ({sql})").fetchone()
            # the engine's query, told the column is of numbers, says PF800 of any too large for it
            assert got in ((code, name), ("PF800" if code == "PF503" else code, name)), (name, kind, value, got)
        if kind == "BOOLEAN":  # as evaluate() reads the value a row gives
            with pytest.raises(pingfen.DataError) as refused:
                RUBRIC.evaluate({"执行率": 0.5, "家数": 3, "金额": 100, "达标": True, "类型": "甲", name: value == "true"}, ratios=True)
            assert (refused.value.problems[0].code, refused.value.problems[0].input) == (code, name)
        data, out, rule = tmp_path / "d.parquet", tmp_path / "o.csv", tmp_path / "r.rule"
        rule.write_text(TEXT, encoding="utf-8")
        con.execute(f"COPY records TO '{data}' (FORMAT parquet)")
        score_with_duckdb(RUBRIC, str(data), str(out), ruleset=str(rule))
        assert con.execute(f"SELECT refusal, refusal_input FROM read_csv('{out}', all_varchar = true)").fetchone() in ((code, name), ("PF800", name))


@needs_duckdb
def test_a_date_column_past_the_days_a_python_date_holds_is_no_date(tmp_path: Any) -> None:
    # DuckDB's DATE holds `infinity`, BC days and years past 9999, which no Python date is (and
    # its client hands `infinity` back as 9999-12-31). `infinity` has no day number: the rule's
    # test of it was NULL, and the row scored as though the test had failed (0 of 6 on time); a
    # day past 9999 or BC was scored by a day number evaluate() is never given. Each is PF502.
    from pingfen.engine import score_with_duckdb

    con = duckdb.connect()
    days = {"'infinity'": "PF502", "'-infinity'": "PF502", "'10000-01-01'": "PF502", "'0001-01-01 (BC)'": "PF502",
            "'0001-01-01'": None, "'9999-12-31'": None}  # fmt: skip
    for kind in ("DATE", "TIMESTAMP"):
        con.execute("CREATE OR REPLACE TABLE records AS SELECT " + " UNION ALL SELECT ".join(
            f"{n} AS n, CAST({d} AS {kind}) AS 起, DATE '2024-03-31' AS 止, '甲' AS 类型" for n, d in enumerate(days)))  # fmt: skip
        data, out, rule = tmp_path / "d.parquet", tmp_path / "o.parquet", tmp_path / "d.rule"
        rule.write_text(DAYS, encoding="utf-8")
        con.execute(f"COPY records TO '{data}' (FORMAT parquet)")
        score_with_duckdb(DAY_RUBRIC, str(data), str(out), ruleset=str(rule))
        for sql in (f"SELECT * FROM ({to_sql(DAY_RUBRIC)})", f"SELECT * FROM read_parquet('{out}')"):
            got = dict(con.execute(f"SELECT n, refusal FROM ({sql}) ORDER BY n").fetchall())
            assert got == dict(enumerate(days.values())), (kind, sql[:30], got)
    first = DAY_RUBRIC.evaluate({"起": datetime.date.min, "止": datetime.date(2024, 3, 31), "类型": "甲"})
    assert con.execute(f"SELECT 时效 FROM ({to_sql(DAY_RUBRIC)}) WHERE n = 4").fetchone() == (first.score("时效"),)

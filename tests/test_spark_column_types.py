"""The warehouse query on a real Spark (pingfen.spark), its columns' types not told: a DOUBLE
column read by its shortest digits (Java's text of it), a FLOAT as the double it widens to, a
text column read where its text is plainly a number, bool words as `values.to_bool` reads
them, a label without what `str.strip` takes away; any other text refused with PF813, never
read otherwise. Each row held to evaluate(record, ratios=True) of the values the frame gives
back. One session and one frame per kind of table: Spark is slow to start."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator

import pytest

import pingfen
import sqlhelp
from pingfen.spark import score
from real_parts import real_part, spark_session
from test_sql_column_types import (
    BASE,
    BEYOND,
    BOOL_TEXTS,
    DOUBLES,
    LABEL_TEXTS,
    NAMES,
    NUMBER_TEXTS,
    PERCENT_TEXTS,
    RUBRIC,
)

try:
    import pyspark
    from pyspark.sql import SparkSession
except ImportError:  # a developer's machine without it: real_part skips
    pyspark = None

needs_spark = real_part("pyspark and Java", pyspark is not None and shutil.which("java") is not None,
                        "pip install '.[spark]' and apt-get install default-jre-headless")  # fmt: skip


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    yield from spark_session("pingfen-test")


def _scored(spark: SparkSession, kinds: str, rows: list[tuple[object, ...]]) -> list[tuple[dict[str, object], dict[str, object]]]:
    frame = spark.createDataFrame([(i, *row) for i, row in enumerate(rows)], f"n INT, {kinds}")
    given = sorted(frame.collect(), key=lambda r: r["n"])
    out = sorted((r.asDict() for r in score(frame, RUBRIC).collect()), key=lambda r: r["n"])
    return [(dict(zip(NAMES, tuple(g)[1:], strict=True)), o) for g, o in zip(given, out, strict=True)]


def _plain(value: object) -> bool:
    """Text the Spark query reads: the one form of a number, in ASCII, spaces around it (a
    double's NaN and Infinity are not: `evaluate()` refuses them, the query with PF813)."""
    if isinstance(value, float):
        return math.isfinite(value)
    return not isinstance(value, str) or sqlhelp.plain_number(value)


def _agree(record: dict[str, object], row: dict[str, object], numbers: tuple[str, ...]) -> None:
    try:
        RUBRIC.evaluate(record, ratios=True)
        refused = None
    except pingfen.DataError as error:
        refused = error.problems[0]
    if row["refusal"] == "PF813":  # where the query cannot read the text as evaluate() does: never scored otherwise
        name = row["refusal_input"]
        assert name in numbers and not _plain(record[name]), (record, row)
        return
    beyond = [name for name, v in record.items() if v in BEYOND and not (name == "金额" and v == "1E13")]
    if beyond and refused is None:
        assert (row["refusal"], row["refusal_input"]) == ("PF800", beyond[0]), (record, row)
        return
    sqlhelp.agree(RUBRIC, record, row)


@needs_spark
def test_double_float_and_text_columns_on_spark(spark: SparkSession) -> None:
    kinds = "`执行率` DOUBLE, `家数` STRING, `金额` DOUBLE, `达标` STRING, `类型` STRING"
    rows = [tuple((BASE | {name: v})[n] for n in NAMES) for name, vs in {
        "执行率": [*DOUBLES, 1e22], "家数": NUMBER_TEXTS, "金额": [*DOUBLES, 1e22, 1e13], "达标": BOOL_TEXTS, "类型": LABEL_TEXTS}.items()
        for v in vs]  # fmt: skip
    pairs = _scored(spark, kinds, rows)
    kinds = "`执行率` STRING, `家数` DOUBLE, `金额` STRING, `达标` BOOLEAN, `类型` STRING"
    base = {"执行率": "0.5", "家数": 3.0, "金额": "100", "达标": True}
    rows = [tuple((BASE | base | {name: v})[n] for n in NAMES) for name, vs in {
        "执行率": PERCENT_TEXTS, "家数": [12.0, 11.999999999999998, 2.5, 1000.0, 1e22],
        "金额": [*NUMBER_TEXTS, "1e-25", "1E13"], "达标": [True, False, None]}.items() for v in vs]  # fmt: skip
    pairs += _scored(spark, kinds, rows)
    pairs += _scored(spark, "`执行率` FLOAT, `家数` BIGINT, `金额` DECIMAL(18, 2), `达标` BOOLEAN, `类型` STRING",
                     [(0.35, 12, sqlhelp.Decimal("19.99"), True, "甲"), (0.5, 1000, sqlhelp.Decimal("20.01"), False, "乙")])  # fmt: skip
    flags = [1.0, 0.0, 0.5, 2.0, float("nan"), 1e-300]  # a bool in a DOUBLE column: 1 or 0, else PF502, as evaluate() reads it
    pairs += _scored(spark, "`执行率` DOUBLE, `家数` STRING, `金额` DOUBLE, `达标` DOUBLE, `类型` STRING",
                     [tuple((BASE | {"达标": v})[n] for n in NAMES) for v in flags])  # fmt: skip
    pairs += _scored(spark, "`执行率` DOUBLE, `家数` STRING, `金额` DOUBLE, `达标` BIGINT, `类型` STRING",
                     [tuple((BASE | {"达标": v})[n] for n in NAMES) for v in (1, 0, 2, -1)])  # fmt: skip
    for record, row in pairs:
        _agree(record, row, ("执行率", "家数", "金额"))
    assert pairs[0][0]["执行率"] == 0.35 and pairs[0][1]["执行"] == 40  # a DOUBLE 0.35 meets >= 35%
    assert pairs[-12][0]["执行率"] == 0.3499999940395355 and pairs[-12][1]["执行"] == 20  # a FLOAT: the double it widens to
    assert sum(row["refusal"] == "PF813" for _, row in pairs) >= 5  # 95%, 1,000, １２ …: refused, not read otherwise


@needs_spark
def test_a_label_from_a_boolean_column_on_spark(spark: SparkSession) -> None:
    """A BOOLEAN column's label is `True` or `False`, as evaluate() reads a bool (str): Spark's
    cast wrote `true`, so a label declared `True` was refused and one declared `true` taken."""
    for labels in ("甲, True", "甲, true"):
        text = f'rubric "标签" {{\n  total 10\n}}\ninput 类型: label {{ {labels} }}\nindicator 分类 10 {{\n  award 10 if 类型 = 甲\n}}\n'
        rubric = pingfen.loads(text, "l.rule", tests=False)
        frame = spark.createDataFrame([(0, True), (1, False), (2, None)], "n INT, `类型` BOOLEAN")
        given = sorted(frame.collect(), key=lambda r: r["n"])
        out = sorted((r.asDict() for r in score(frame, rubric).collect()), key=lambda r: r["n"])
        for g, row in zip(given, out, strict=True):
            sqlhelp.agree(rubric, {"类型": g["类型"]}, row)
        assert (out[0]["refusal"] is None) == (labels == "甲, True")


@needs_spark
def test_a_date_from_text_or_a_column_of_numbers_and_marks_of_na_on_spark(spark: SparkSession) -> None:
    """A date input was Spark's cast of the column to DATE: a column of numbers stopped the query
    (`cannot cast "INT" to "DATE"`), and text was read as Spark reads it — `2021` and `2021-03`
    taken, `2021/3/5`, `2021年3月5日`, `44256` and a blank refused (PF502), `2958465` an
    overflow of the whole query. Each is read as values.to_date reads it, as on DuckDB."""
    from decimal import Decimal

    from test_sql_column_types import DATE_TEXTS, DAY_RUBRIC, NA_RECORDS, NA_RUBRIC

    columns: dict[str, list[object]] = {
        "STRING": list(DATE_TEXTS), "INT": [45382, 1, 2958465, 0, -1], "DECIMAL(10, 1)": [Decimal("45382.0"), Decimal("45382.5")],
        "DECIMAL(38, 25)": [Decimal("45382.0000000000000000000001")], "DOUBLE": [45382.0],
    }  # fmt: skip
    read = []
    for kind, days in columns.items():
        frame = spark.createDataFrame([(i, "1899-12-31", day, "甲") for i, day in enumerate(days)], f"n INT, `起` STRING, `止` {kind}, `类型` STRING")
        given = sorted(frame.collect(), key=lambda r: r["n"])
        out = sorted((r.asDict() for r in score(frame, DAY_RUBRIC).collect()), key=lambda r: r["n"])
        for g, row in zip(given, out, strict=True):
            sqlhelp.agree(DAY_RUBRIC, {"起": g["起"], "止": g["止"], "类型": g["类型"]}, row)
            read.append((kind, g["止"], row["refusal"]))
    # `\u3000不适用` marks an input 不适用, as evaluate() strips a text: the query trimmed spaces only (PF502)
    frame = spark.createDataFrame([(i, r["有"], r["数"], r["期"]) for i, r in enumerate(NA_RECORDS)], "n INT, `有` STRING, `数` STRING, `期` STRING")
    out = sorted((r.asDict() for r in score(frame, NA_RUBRIC).collect()), key=lambda r: r["n"])
    for record, row in zip(NA_RECORDS, out, strict=True):
        sqlhelp.agree(NA_RUBRIC, record, row)
    assert sum(refusal is None for kind, _, refusal in read if kind == "STRING") == 28
    assert ("INT", 45382, None) in read and ("DECIMAL(10, 1)", Decimal("45382.0"), None) in read and ("DOUBLE", 45382.0, "PF502") in read


@needs_spark
def test_a_date_from_a_timestamp_column_is_its_day_in_the_session_time_zone(spark: SparkSession) -> None:
    """Spark's TIMESTAMP is an instant (with local time zone): the query takes the day it falls on
    in `spark.sql.session.timeZone`, as PostgreSQL's takes a TIMESTAMPTZ's in its TimeZone
    (docs/scale.md). PySpark's collect() gives it in the Python process's zone instead, so the
    instant is put in the session's zone here, as a client in that zone sees it."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from test_sql_column_types import DAY_RUBRIC

    moments = [datetime(2024, 3, 30, 16, 30, tzinfo=UTC), datetime(2024, 3, 31, 23, 30, tzinfo=UTC)]
    before = spark.conf.get("spark.sql.session.timeZone")
    try:
        for zone in ("UTC", "Asia/Shanghai"):
            spark.conf.set("spark.sql.session.timeZone", zone)
            frame = spark.createDataFrame([(i, "1899-12-31", m, "甲") for i, m in enumerate(moments)], "n INT, `起` STRING, `止` TIMESTAMP, `类型` STRING")
            out = sorted((r.asDict() for r in score(frame, DAY_RUBRIC).collect()), key=lambda r: r["n"])
            for moment, row in zip(moments, out, strict=True):
                sqlhelp.agree(DAY_RUBRIC, {"起": "1899-12-31", "止": moment.astimezone(ZoneInfo(zone)), "类型": "甲"}, row)
    finally:
        spark.conf.set("spark.sql.session.timeZone", before)


@needs_spark
def test_a_boolean_column_is_no_number_and_a_huge_integer_is_beyond_on_spark(spark: SparkSession) -> None:
    """A BOOLEAN column for a percent, count or amount: Spark's cast read true as 1, where
    evaluate() refuses a bool for a number (PF502); a BIGINT of 10^18 or more failed the cast
    and was refused as no number, not as too large for the query (PF800, or its bounds' PF503)."""
    def refusals(kinds: str, rows: list[tuple[object, ...]]) -> list[tuple[str, str]]:
        frame = spark.createDataFrame([(i, *row) for i, row in enumerate(rows)], f"n INT, {kinds}")
        return [(r["refusal"], r["refusal_input"]) for r in sorted((r.asDict() for r in score(frame, RUBRIC).collect()), key=lambda r: r["n"])]

    assert refusals("`执行率` BOOLEAN, `家数` BIGINT, `金额` DOUBLE, `达标` STRING, `类型` STRING",
                    [(True, 3, 100.0, "是", "甲"), (False, 3, 100.0, "是", "甲")]) == [("PF502", "执行率")] * 2  # fmt: skip
    assert refusals("`执行率` DOUBLE, `家数` BIGINT, `金额` BOOLEAN, `达标` STRING, `类型` STRING",
                    [(0.5, 3, True, "是", "甲"), (0.5, 2 * 10**18, False, "是", "甲"), (0.5, -(9 * 10**18), False, "是", "甲")]
                    ) == [("PF502", "金额"), ("PF800", "家数"), ("PF503", "家数")]  # fmt: skip

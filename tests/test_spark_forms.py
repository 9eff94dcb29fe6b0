"""Issue 10's forms, written in Spark SQL, run by a real Spark in local mode (pingfen.spark):
a rubric of if-then-else, labels named bare, guards, round(), `round N`, precision, rows that
may not apply (不适用 in text columns, 折算), bonus and penalty rows, cap, vetoes and grade
conditions scores every record as evaluate() does, its reasons worded back the same."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from decimal import Decimal

import pytest

import pingfen
import sqlhelp
from pingfen.spark import score
from real_parts import real_part, spark_session

try:
    import pyspark
    from pyspark.sql import SparkSession
    from pyspark.sql import types as T
except ImportError:  # a developer's machine without it: real_part skips
    pyspark = None

needs_spark = real_part("pyspark and Java", pyspark is not None and shutil.which("java") is not None,
                        "pip install '.[spark]' and apt-get install default-jre-headless")  # fmt: skip

TEXT = """rubric "新形式" {
  total 20
  round total 1 half_even
  cap total 21
  grade 优秀 >= 18 if 满意
  grade 良好 >= 12
  grade 差 otherwise
}
input 有项目: bool
input 满意: bool
input 类型: label { 大型会议, 小型会议 }
input 率: percent precision 0.1%
input 值: number
input 次数: count
group 管理 12 {
  indicator 甲 6 {
    round 1 floor
    score = if 类型 = 大型会议 then round(率 * 6, 2, half_even) else if 有项目 then 4 else 3
  }
  indicator 乙 3 {
    applies if 有项目 else rescale
    bands 率 {
      >= 90% -> 3
      else -> 1
    } if 类型 != 小型会议
    deduct 1 per 次数
  }
  indicator 丙 3 {
    score = min(3, max(0, round(值, 0, ceiling)))
  }
}
indicator 丁 8 {
  score = 率 * 8
}
bonus 创新 2 {
  award 2 if 率 >= 95%
}
penalty 事故 3 {
  deduct 1 per 1 of 值 above 2
}
veto 重大违规 if 值 < -4 -> zero
veto 瞒报 if not 满意 and 类型 = 小型会议 -> below 良好
"""
RUBRIC = pingfen.loads(TEXT, "新形式.rule", tests=False)
D = Decimal


def _records() -> list[dict[str, object]]:
    rates = [D("0.9995"), D("0.96449"), D("0.9"), D("0.125"), None]
    values = [D("-5"), D("-0.5"), D("1.5"), D("2.75"), D("3")]
    counts: list[object] = [D(0), D(2), "不适用", None]
    out = []
    for project, happy, kind, rate, value, count in itertools.product(
        (True, False), (True, False), ("大型会议", "小型会议"), rates, values, counts
    ):
        out.append({"有项目": project, "满意": happy, "类型": kind, "率": rate, "值": value, "次数": count})
    return out


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    yield from spark_session("pingfen-test-forms")


def _text(value: object) -> str | None:
    return None if value is None else str(value).lower() if isinstance(value, bool) else str(value)


@needs_spark
def test_spark_scores_issue_10s_forms_as_evaluate_does(spark: SparkSession) -> None:
    records = _records()
    names = [s.name for s in RUBRIC.inputs]
    schema = T.StructType([T.StructField("id", T.IntegerType()), *(T.StructField(n, T.StringType()) for n in names)])
    frame = spark.createDataFrame([[i, *(_text(r[n]) for n in names)] for i, r in enumerate(records)], schema)
    rows = sorted((row.asDict() for row in score(frame, RUBRIC).collect()), key=lambda row: row["id"])
    assert len(rows) == len(records)
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(RUBRIC, record, row)
    refused = sum(row["refusal"] is not None for row in rows)
    assert 0 < refused < len(rows)  # both paths were exercised
    assert {row["grade"] for row in rows} >= {"良好", "差"}


@needs_spark
def test_spark_scores_a_product_by_a_constant_of_many_digits_as_evaluate_at_the_inputs_limit(spark: SparkSession) -> None:
    import test_sql_wide_products as wide

    schema = T.StructType([T.StructField("id", T.IntegerType()), T.StructField("a", T.DecimalType(38, 6)), T.StructField("b", T.DecimalType(38, 6))])
    frame = spark.createDataFrame([[i, r["a"], r["b"]] for i, r in enumerate(wide.RECORDS)], schema)
    rows = sorted((row.asDict() for row in score(frame, wide.RUBRIC).collect()), key=lambda row: row["id"])
    assert len(rows) == len(wide.RECORDS)
    for record, row in zip(wide.RECORDS, rows, strict=True):
        sqlhelp.agree(wide.RUBRIC, record, row)


@needs_spark
def test_spark_refuses_a_row_whose_value_passes_the_querys_digits_and_no_other(spark: SparkSession) -> None:
    """tests/test_sql_row_overflow.py's forms on Spark: ANSI mode (pingfen.spark.EXACT_CONF)
    stopped the whole query on an overflow; now that row alone is refused (PF801)."""
    import test_sql_row_overflow as overflow

    for form in overflow.FORMS:
        overflow.check(form, _abc_rows(spark, overflow.rubric_of(form), overflow.records_of(form)))


def _abc_rows(spark: SparkSession, rubric: pingfen.Rubric, records: list[dict[str, object]]) -> list[dict[str, object]]:
    """The rows Spark scores of records of inputs a, b and c, by id, loaded as DECIMAL(38, 20):
    every digit of the values kept (0.99999999999999999999 too)."""
    schema = T.StructType([T.StructField("id", T.IntegerType())] + [T.StructField(n, T.DecimalType(38, 20)) for n in ("a", "b", "c")])
    frame = spark.createDataFrame([[i, r["a"], r["b"], r["c"]] for i, r in enumerate(records)], schema)
    return sorted((row.asDict() for row in score(frame, rubric).collect()), key=lambda row: row["id"])


@needs_spark
def test_spark_does_not_stop_on_a_value_evaluate_never_works_out(spark: SparkSession) -> None:
    """tests/test_sql_row_overflow.py's NEVER_WORKED_OUT on Spark: a batch quotient of a row left
    out of the batch or in an arm not taken, an input of 10^17 at a precision."""
    import test_sql_row_overflow as overflow

    for case in overflow.NEVER_WORKED_OUT:
        overflow.check_never(case, _abc_rows(spark, overflow.never_rubric(case), overflow.never_records(case)))


@needs_spark
def test_spark_stops_on_a_batch_quotient_past_its_div_rather_than_score_it_wrong(spark: SparkSession) -> None:
    """A batch value's expression is not guarded (a row left out of the batch would change every
    other row's score): past the digits the query stops. On Spark `DIV` wrapped a whole part past
    2^63 instead — `batch max(a / b)` of 1.8·10^19 became a small number, and both rows scored 0
    where evaluate() scores 5 (the second review's find): now RAISE_ERROR stops the query."""
    from pyspark.errors import PySparkException

    rubric = pingfen.loads('rubric "t" { total 5 }\ninput a: number\ninput b: number > 0\nlet m = batch max(a / b)\n'
                           "indicator x 5 { score = if m > 100 then 5 else 0 }\n", "t.rule", tests=False)  # fmt: skip
    schema = T.StructType([T.StructField("id", T.IntegerType()), T.StructField("a", T.DecimalType(38, 20)), T.StructField("b", T.DecimalType(38, 20))])
    frame = spark.createDataFrame([[0, Decimal("99999999999999"), Decimal("0.00000542101086242752")], [1, Decimal(3), Decimal(2)]], schema)
    with pytest.raises(PySparkException, match="beyond the 18 integer digits"):
        score(frame, rubric).collect()
    small = spark.createDataFrame([[0, Decimal(300), Decimal(2)], [1, Decimal(3), Decimal(2)]], schema)
    assert [row["total"] for row in sorted(score(small, rubric).collect(), key=lambda r: r["id"])] == [Decimal("5.00"), Decimal("5.00")]

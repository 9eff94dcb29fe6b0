"""The last forms `pingfen sql` compiles (issue 11) — a group's `round N [MODE]`, `adjust` rows
and panels of experts, a panel an `ARRAY<DECIMAL(38, 20)>` column — written in Spark SQL and
run by a real Spark in local mode (pingfen.spark): every record scored as evaluate() scores
it, its refusal the same, its reasons worded back the same."""

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

TEXT = """rubric "最后的形式" {
  total 30
  round total 2 half_even
  cap total 30
  grade 优秀 >= 25
  grade 合格 >= 15
  grade 差 otherwise
}
input 专家评分: list of 5 score >= 0 and <= 10
input 方案评分: list of score >= 0 and <= 10
input 有项目: bool
input 问题数: count
group 评审 20 {
  round 1 {mode}
  indicator 专家评审 10 {
    score = trimmed_mean(专家评分)
  }
  indicator 方案论证 10 {
    applies if 有项目 else rescale
    bands median(方案评分) {
      >= 9   -> 10
      [6, 9) -> 6
      else   -> 0
    }
  }
}
indicator 管理 10 {
  score = mean(方案评分) - min(专家评分) + max(专家评分) - count(方案评分)
}
adjust 加减分 -2 .. +1.5 {
  award 1 if 有项目
  award 1 if max(专家评分) >= 9.5
  deduct 0.5 per 问题数
}
"""
D = Decimal


def _records() -> list[dict[str, object]]:
    experts: list[object] = [[D("8"), D("9"), D("7"), D("10"), D("6.5")], [D("10"), D("10"), D("0"), D("0")], [D("3.3"), D("3.4"), D("3.3")],
                             [D("8"), D("9")], None]  # fmt: skip
    plans: list[object] = [[D("9"), D("8"), D("9.5")], [D("6"), D("9")], [D("2")], [D("1"), D("11")]]
    out = []
    for mode, expert, plan, project, problems in itertools.product(("half_up", "floor"), experts, plans, (True, False), (0, 1, 7)):
        out.append({"mode": mode, "专家评分": expert, "方案评分": plan, "有项目": project, "问题数": D(problems)})
    return out


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    yield from spark_session("pingfen-test-last-forms")


@needs_spark
@pytest.mark.parametrize("mode", ["half_up", "floor"])
def test_spark_scores_panels_a_groups_round_and_adjust_rows_as_evaluate_does(spark: SparkSession, mode: str) -> None:
    rubric = pingfen.loads(TEXT.replace("{mode}", mode), "最后.rule", tests=False)
    records = [{k: v for k, v in r.items() if k != "mode"} for r in _records() if r["mode"] == mode]
    panel = T.ArrayType(T.DecimalType(38, 20))
    schema = T.StructType([
        T.StructField("id", T.IntegerType()), T.StructField("专家评分", panel), T.StructField("方案评分", panel),
        T.StructField("有项目", T.BooleanType()), T.StructField("问题数", T.DecimalType(38, 20)),
    ])  # fmt: skip
    frame = spark.createDataFrame([[i, r["专家评分"], r["方案评分"], r["有项目"], r["问题数"]] for i, r in enumerate(records)], schema)
    rows = sorted((row.asDict() for row in score(frame, rubric).collect()), key=lambda row: row["id"])
    assert len(rows) == len(records)
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(rubric, record, row)
    codes = {row["refusal"] for row in rows}
    assert {None, "PF540", "PF501", "PF503"} <= codes  # scored, and refused in each way
    assert {row["加减分"] for row in rows if row["refusal"] is None} >= {D(-2), D("1.5")}  # both ends reached


FLOATS = """rubric "满意度" { total 20 }
input 单精度: list of percent >= 0 and <= 100%
input 双精度: list of percent >= 0 and <= 100%
indicator 单 10 {
  bands mean(单精度) {
    >= 35% -> 10
    else   -> 0
  }
}
indicator 双 10 {
  bands mean(双精度) {
    >= 35% -> 10
    else   -> 0
  }
}
"""


@needs_spark
def test_spark_reads_a_panel_of_floats_as_the_doubles_they_widen_to(spark: SparkSession) -> None:
    """docs/scale.md: an `ARRAY<FLOAT>` is read by the shortest digits of the double each value
    widens to, as a Python client is given it (0.35 is 0.3499999940395355, below 35%); an
    `ARRAY<DOUBLE>` by each value's own (0.35 meets it)."""
    rubric = pingfen.loads(FLOATS, "满意度.rule", tests=False)
    schema = T.StructType([T.StructField("id", T.IntegerType()), T.StructField("单精度", T.ArrayType(T.FloatType())),
                           T.StructField("双精度", T.ArrayType(T.DoubleType()))])  # fmt: skip
    frame = spark.createDataFrame([[1, [0.35, 0.35], [0.35, 0.35]]], schema)
    given = frame.collect()[0]
    record = {"单精度": given["单精度"], "双精度": given["双精度"]}
    assert record == {"单精度": [0.3499999940395355] * 2, "双精度": [0.35] * 2}
    (row,) = (r.asDict() for r in score(frame, rubric).collect())
    sqlhelp.agree(rubric, record, row)
    assert (row["单"], row["双"]) == (0, 10)

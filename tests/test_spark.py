"""The 2021 ruleset's query, written in Spark SQL, run by a real Spark in local mode through
pingfen.spark: on 100,000 random and boundary records it scores as evaluate() does (totals,
grades and refusals identical, node scores within 1e-18, reasons worded back the same on a
sample). Spark needs Java and pyspark (the `spark` extra, in `test`): real_part skips without
them on a developer's machine and fails in CI."""

from __future__ import annotations

import csv
import io
import random
import shutil
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlglot import exp

import pingfen
import sqlhelp
import test_spark_forms
from pingfen.cli import main
from pingfen.spark import EXACT_CONF, score
from pingfen.sql import to_sql, to_sql_tree
from pingfen.sql.compiler import NESTED
from pingfen.testing import boundary_values
from real_parts import real_part, spark_session

try:
    import pyspark
    from pyspark.sql import SparkSession
    from pyspark.sql import types as T
except ImportError:  # a developer's machine without it: real_part skips
    pyspark = None

needs_spark = real_part("pyspark and Java", pyspark is not None and shutil.which("java") is not None,
                        "pip install '.[spark]' and apt-get install default-jre-headless")  # fmt: skip
RULESET = Path(__file__).parent.parent / "rulesets" / "dept-overall-2021.rule"
RUBRIC = pingfen.load(RULESET)
RECORDS = int(__import__("os").environ.get("PF_SPARK_RECORDS", "100000"))


def _records(n: int, seed: int = 2021) -> Iterator[dict[str, object]]:
    rng = random.Random(seed)
    near = boundary_values(RUBRIC)
    for _ in range(n):
        yield {s.name: sqlhelp.random_value(rng, s.type, s.bounds, list(near.get(s.name) or [])) for s in RUBRIC.inputs}


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    yield from spark_session("pingfen-test")


def _frame(spark: SparkSession, records: list[dict[str, object]], folder: Path) -> object:
    """The records as Spark reads a file of them: typed as the SQL contract says, with an id."""
    path = folder / "records.csv"
    fields = [T.StructField("id", T.IntegerType())]
    for s in RUBRIC.inputs:
        fields.append(T.StructField(s.name, T.BooleanType() if s.type == "bool" else T.DecimalType(38, 20)))
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([f.name for f in fields])
        for i, record in enumerate(records):
            writer.writerow(
                [i, *("" if record[s.name] is None else str(record[s.name]).lower() for s in RUBRIC.inputs)]
            )
    return spark.read.csv(str(path), header=True, schema=T.StructType(fields), enforceSchema=False)


@needs_spark
def test_spark_scores_100000_records_as_evaluate_does(spark: SparkSession, tmp_path: Path) -> None:
    records = list(_records(RECORDS))
    # sorted here, not by Spark: an orderBy would run the query twice (once to sample the ids)
    rows = sorted(score(_frame(spark, records, tmp_path), RUBRIC).collect(), key=lambda row: row["id"])
    assert len(rows) == RECORDS
    for i, (record, spark_row) in enumerate(zip(records, rows, strict=True)):
        row = spark_row.asDict()
        assert row["id"] == i
        if i < 1_000:  # everything, reasons worded back in both languages included
            sqlhelp.agree(RUBRIC, record, row)
            continue
        try:
            result = RUBRIC.evaluate(record, ratios=True)
        except pingfen.DataError as problem:
            first = problem.problems[0]
            assert (row["refusal"], row["refusal_input"], row["total"]) == (first.code, first.input, None), (
                record,
                row,
            )
            continue
        assert row["refusal"] is None, (record, row)
        assert (row["total"], row["grade"]) == (result.total, result.grade), (record, row)
        for node in result.nodes():
            assert abs(row[node.name] - node.score) <= Decimal("1e-18"), (node.name, row[node.name], node.score, record)
    refused = sum(row["refusal"] is not None for row in rows)
    assert 0 < refused < RECORDS // 4  # both paths were exercised


@needs_spark
def test_the_session_is_set_for_exact_decimals(spark: SparkSession) -> None:
    frame = spark.createDataFrame([], "x DECIMAL(38, 20)")
    score(frame.selectExpr(*(f"CAST(NULL AS DECIMAL(38, 20)) AS `{s.name}`" for s in RUBRIC.inputs)), RUBRIC)
    for key, value in EXACT_CONF.items():
        assert spark.conf.get(key) == value


def test_the_spark_query_has_no_duckdb_only_types() -> None:
    text = to_sql(RUBRIC, "spark")
    assert "INT128" not in text and "HUGEINT" not in text
    assert not sqlhelp.worked_types(to_sql_tree(RUBRIC, "spark")) & sqlhelp.FLOATS  # a DOUBLE only to read a FLOAT column's digits


@needs_spark
def test_text_columns_are_typed_by_the_query_and_a_bad_value_costs_only_its_row(spark: SparkSession) -> None:
    good = next(_records(1, seed=7))
    while any(v is None for v in good.values()):
        good = next(_records(1, seed=hash(str(good)) % 1000))
    texts = [{k: None if v is None else str(v).lower() for k, v in good.items()}]
    texts.append(texts[0] | {"结余": "abc"})  # PF813 (text Spark's query reads only where plainly a number), that row only
    schema = T.StructType([T.StructField(s.name, T.StringType()) for s in RUBRIC.inputs])
    rows = score(
        spark.createDataFrame([[t[s.name] for s in RUBRIC.inputs] for t in texts], schema), RUBRIC, reasons=False
    ).collect()
    expected = RUBRIC.evaluate(good, ratios=True)
    by_refusal = sorted(rows, key=lambda row: row["refusal"] or "")
    assert (by_refusal[0]["total"], by_refusal[0]["grade"], by_refusal[0]["refusal"]) == (
        expected.total,
        expected.grade,
        None,
    )
    assert (by_refusal[1]["refusal"], by_refusal[1]["refusal_input"], by_refusal[1]["total"]) == ("PF813", "结余", None)
    assert "reasons" not in rows[0].asDict()


def test_the_spark_query_nests_its_layers_and_binds_only_columns_read_twice() -> None:
    """Spark's analyzer walks a chain of CTEs over and again (InlineCTE, CTE resolution): the
    layers are nested subqueries there, and an internal column read once is written where read."""
    tree = to_sql_tree(RUBRIC, "spark")
    assert tree.args.get("with_") is None
    layers = list(tree.find_all(exp.Subquery))
    assert [s.alias for s in layers] == [f"_pf_layer{i}" for i in reversed(range(len(layers)))]
    assert len(layers) > 3
    bound = [a.alias for a in tree.find_all(exp.Alias) if a.alias.startswith("_pf_")]
    reads = Counter(c.name for c in tree.find_all(exp.Column))
    assert bound and all(reads[name] >= 2 for name in bound), [n for n in bound if reads[n] < 2]


def test_a_deep_rubrics_spark_query_nests_its_layers_a_few_dozen_deep_at_most() -> None:
    """sqlglot writes a subquery by recursion: 80 chained lets (one layer each) nested in one
    another ran out of Python's stack; every NESTED layers is a CTE instead."""
    lets = "".join(f"let v{i} = round(v{i - 1} * 2 - a, 4)\n" for i in range(1, 80))
    text = 'rubric "d" { total 10 }\ninput a: number\nlet v0 = a + 1\n' + lets
    deep = pingfen.loads(text + "indicator 甲 10 { bands v79 { >= 1 -> 10  else -> 0 } }\n", "深.rule", tests=False)
    tree = to_sql_tree(deep, "spark")
    ctes = tree.args["with_"].expressions
    assert len(ctes) >= 2 and to_sql(deep, "spark").startswith("WITH")
    for cte in ctes:  # each CTE holds at most NESTED - 1 layers nested in one another
        assert len(list(cte.this.find_all(exp.Subquery))) <= NESTED - 1


@pytest.mark.parametrize("rubric", [RUBRIC, test_spark_forms.RUBRIC], ids=["2021", "forms"])
def test_the_spark_query_is_written_as_sqlglots_spark_writes_it(rubric: pingfen.Rubric) -> None:
    """pingfen writes it without the SELECT rewrites, which walk every nested layer again and
    change nothing here (no QUALIFY, DISTINCT ON, UNNEST or ANY in the query)."""
    assert to_sql(rubric, "spark") == to_sql_tree(rubric, "spark").sql(dialect="spark", pretty=True)


def test_pingfen_sql_for_spark_names_the_settings_it_needs() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["sql", str(RULESET), "--dialect", "spark", "--lang", "en"], out=out, err=err) == 0
    assert out.getvalue().startswith("SELECT")
    assert "PF830" in err.getvalue() and "PF804" not in err.getvalue()
    for key, value in EXACT_CONF.items():
        assert f"{key}={value}" in err.getvalue()
    err = io.StringIO()
    assert main(["sql", str(RULESET), "--dialect", "spark"], out=io.StringIO(), err=err) == 0
    assert "PF830" in err.getvalue() and "会话" in err.getvalue()

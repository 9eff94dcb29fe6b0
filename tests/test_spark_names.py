"""Names as Spark compares them (spark.sql.caseSensitive off, its default), checked on a real
Spark: `Ä` and `ä`, `Σ` and `σ`, the Kelvin sign and `k`, `ß` and `ẞ` are one column to it,
`Σ` and `ς`, `ſ` and `s`, `İ` and `i` are two (`pingfen.sql.compiler.spark_fold`). Before,
`pingfen sql --dialect spark` and `pingfen.spark.score` folded as DuckDB does (ASCII letters
only) and let a rubric of the nodes `Ä` and `ä` through: Spark then stopped on a reference it
calls ambiguous. Now such a rubric is refused by name (PF809, PF805, PF810), and one whose
names Spark tells apart is scored, each node in its column."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from decimal import Decimal

import pytest

import pingfen
from pingfen.cli import main
from pingfen.spark import score
from pingfen.sql import SqlRefusal, to_sql
from pingfen.sql.compiler import spark_fold
from real_parts import real_part, spark_session

try:
    import pyspark
    from pyspark.sql import SparkSession
except ImportError:  # a developer's machine without it: real_part skips
    pyspark = None

needs_spark = real_part("pyspark and Java", pyspark is not None and shutil.which("java") is not None,
                        "pip install '.[spark]' and apt-get install default-jre-headless")  # fmt: skip

KELVIN = "\u212a"
# (first, second, one column to Spark)
PAIRS = [("A", "a", True), ("Ä", "ä", True), ("Σ", "σ", True), ("ǅ", "ǆ", True), ("ǅ", "Ǆ", True), (KELVIN, "k", True),
         ("ß", "ẞ", True), ("Ａ", "ａ", True), ("Ω", "ω", True), ("\u2126", "ω", True), ("ᾳ", "ᾼ", True), ("𐐀", "𐐨", True),
         ("ΑΣ", "ας", True), ("Σ", "ς", False), ("ΑΣ", "ασ", False), ("İ", "i", False), ("İ", "I", False), ("ı", "i", False),
         ("İ", "i\u0307", False), ("ß", "ss", False), ("ſ", "s", False), ("ϐ", "β", False), ("é", "e\u0301", False),
         ("ﬀ", "FF", False)]  # fmt: skip
ONE = [(a, b) for a, b, same in PAIRS if same and a.upper() != b.upper() or (a, b) == ("Ä", "ä")]
TWO = [(a, b) for a, b, same in PAIRS if not same and "\u0307" not in a + b and "\u0301" not in a + b]


def _rule(first: str, second: str, rate: str = "rate") -> str:
    return ('rubric "名" {\n  total 20\n}\n' f"input {rate}: percent\n"
            f"indicator {first} 10 {{\n  bands {rate} {{\n    >= 90% -> 10\n    else -> 0\n  }}\n}}\n"
            f"indicator {second} 10 {{ award 10 if {rate} > 0 }}\n")  # fmt: skip


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    yield from spark_session("pingfen-test-names", cores=1)


def test_spark_fold_says_which_names_are_one() -> None:
    for first, second, same in PAIRS:
        assert (spark_fold(first) == spark_fold(second)) is same, (first, second)


@needs_spark
def test_spark_fold_is_sparks(spark: SparkSession) -> None:
    """`spark_fold` says two names are one exactly where Spark binds the one to the other, both ways."""
    from pyspark.errors import AnalysisException

    for first, second, same in PAIRS:
        for a, b in [(first, second), (second, first)]:
            try:
                spark.sql(f"SELECT `{b}` FROM (SELECT 1 AS `{a}`)")
                bound = True
            except AnalysisException:
                bound = False
            assert bound is same, (a, b)


@pytest.mark.parametrize(("first", "second"), ONE)
def test_names_spark_takes_as_one_are_refused_for_spark_only(first: str, second: str) -> None:
    rubric = pingfen.loads(_rule(first, second), "a.rule", tests=False)
    with pytest.raises(SqlRefusal) as refused:
        to_sql(rubric, "spark")
    assert refused.value.code == "PF809" and "spark" in refused.value.message("en")
    if first.upper() != second.upper() or not first.isascii():
        to_sql(rubric, "duckdb")  # two names to DuckDB
    with pytest.raises(SqlRefusal):
        to_sql(pingfen.loads(_rule("甲", "乙", first) + f"input {second}: count\n", "a.rule", tests=False), "spark")


@pytest.mark.parametrize(("first", "second", "code"), [
    ("TOTAL", "乙", "PF805"), ("ＴＯＴＡＬ", "乙", None), ("Grâde", "乙", None), ("_Pf_x", "乙", "PF805"), ("_ｐｆ_x", "乙", None),
])  # fmt: skip
def test_the_querys_own_names_as_spark_compares_them(first: str, second: str, code: str | None) -> None:
    """No letter beyond ASCII is one of the query's own names' to Spark: `ＴＯＴＡＬ` lowers to `ｔｏｔａｌ`."""
    rubric = pingfen.loads(_rule(first, second), "a.rule", tests=False)
    if code is None:
        to_sql(rubric, "spark")
        return
    with pytest.raises(SqlRefusal) as refused:
        to_sql(rubric, "spark")
    assert refused.value.code == code


def test_pingfen_sql_refuses_them(tmp_path: object) -> None:
    from pathlib import Path

    rule = Path(str(tmp_path)) / "a.rule"
    rule.write_text(_rule("Ä", "ä"), encoding="utf-8")
    err = io.StringIO()
    assert main(["--lang", "en", "sql", "--dialect", "spark", str(rule)], io.StringIO(), err) == 2
    assert "PF809" in err.getvalue() and "`ä`" in err.getvalue()
    assert main(["sql", str(rule)], io.StringIO(), io.StringIO()) == 0  # DuckDB tells them apart


@needs_spark
@pytest.mark.parametrize(("first", "second"), [("Ä", "ä"), (KELVIN, "k"), ("ß", "ẞ")])
def test_pingfen_spark_refuses_them(spark: SparkSession, first: str, second: str) -> None:
    frame = spark.createDataFrame([(1, Decimal("0.95"))], "id INT, rate DECIMAL(10, 4)")
    with pytest.raises(SqlRefusal) as refused:
        score(frame, pingfen.loads(_rule(first, second), "a.rule", tests=False)).collect()
    assert refused.value.code == "PF809"


@needs_spark
def test_names_spark_tells_apart_are_scored_each_in_its_column(spark: SparkSession) -> None:
    frame = spark.createDataFrame([(1, Decimal("0.95")), (2, Decimal("0.5"))], "id INT, rate DECIMAL(10, 4)")
    for first, second in TWO:
        rubric = pingfen.loads(_rule(first, second), "a.rule", tests=False)
        rows = sorted(score(frame, rubric, reasons=False).collect(), key=lambda r: r["id"])
        got = [(r[first], r[second], r["total"]) for r in rows]
        assert got == [(Decimal(10), Decimal(10), Decimal(20)), (Decimal(0), Decimal(10), Decimal(10))], (first, second)

"""The Spark query's cost: nested layers (what pingfen writes) against the same layers as a
chain of CTEs (what it wrote before), in one warm Spark session:

    python benchmarks/spark_plan.py [--records 20000] [--rounds 2]

The 2021 rubric's records (tests/test_spark.py draws them) cached in a local[2] session; each
round plans (`spark.sql`: parsing and analysis) and runs (`collect`: optimizing, planning and
running) each form of the query in turn, timing the wall clock and the JVM's CPU (all its
threads, from /proc: the JIT and the collector included). The first round warms the JVM; the
answers of both forms (id, total, grade, refusal) are compared. Needs pyspark and Java.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from sqlglot import exp  # noqa: E402

from pingfen.spark import DEPTH_CONF, EXACT_CONF  # noqa: E402
from pingfen.sql.compiler import spark_writer  # noqa: E402
from pingfen.sql.warehouse import to_sql_tree  # noqa: E402


def as_ctes(tree: exp.Select) -> exp.Select:
    """The nested layers of `tree` as the chain of CTEs they were: each subquery named as its alias."""
    ctes: list[exp.CTE] = []
    select = tree
    while isinstance(layer := select.args["from_"].this, exp.Subquery):
        ctes.append(exp.CTE(this=layer.this, alias=exp.TableAlias(this=exp.to_identifier(layer.alias, quoted=True))))
        select.args["from_"].set("this", exp.to_table(layer.alias, quoted=True))
        select = layer.this
    tree.set("with_", exp.With(expressions=list(reversed(ctes))))
    return tree


def jvm_cpu(pid: str) -> float:
    """The JVM's CPU seconds so far, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("PF_SPARK_RECORDS", "0")
    from pyspark.sql import SparkSession

    import test_spark  # the records and the frame as the Spark test makes them

    spark = (SparkSession.builder.master("local[2]").appName("spark_plan").config("spark.sql.shuffle.partitions", "2")
             .config("spark.ui.enabled", "false").config("spark.driver.memory", "1g").getOrCreate())  # fmt: skip
    spark.sparkContext.setLogLevel("OFF")
    for key, value in (EXACT_CONF | DEPTH_CONF).items():
        spark.conf.set(key, value)
    rubric = test_spark.RUBRIC
    frame: Any = test_spark._frame(spark, list(test_spark._records(args.records)), Path(tempfile.mkdtemp()))
    frame = frame.cache()
    frame.count()
    frame.createOrReplaceTempView("records")
    pid = next(p for p in os.listdir("/proc") if p.isdigit() and f"PPid:\t{os.getpid()}\n" in Path(f"/proc/{p}/status").read_text())
    writer = spark_writer()
    forms = {
        "nested (pingfen)": lambda: to_sql_tree(rubric, "spark", reasons=False).sql(dialect=writer, pretty=True),
        "chain of CTEs": lambda: as_ctes(to_sql_tree(rubric, "spark", reasons=False)).sql(dialect=writer, pretty=True),
    }
    print(f"{args.records} records of the 2021 rubric, Spark local[2]; wall s / JVM CPU-s")
    answers: dict[str, list[Any]] = {}
    for round_ in range(args.rounds):
        for name, text in forms.items():
            query = text()
            c0, t0 = jvm_cpu(pid), time.perf_counter()
            frame_out = spark.sql(query)
            c1, t1 = jvm_cpu(pid), time.perf_counter()
            rows = frame_out.collect()
            c2, t2 = jvm_cpu(pid), time.perf_counter()
            answers[name] = sorted((r["id"], r["total"], r["grade"], r["refusal"]) for r in rows)
            print(f"  round {round_ + 1}  {name:18} plan {t1 - t0:5.1f} s / {c1 - c0:5.1f}   "
                  f"run {t2 - t1:5.1f} s / {c2 - c1:5.1f}   both {c2 - c0:5.1f} CPU-s", flush=True)  # fmt: skip
    first, *others = answers.values()
    print("the same answers:", all(other == first for other in others))
    spark.stop()


if __name__ == "__main__":
    main()

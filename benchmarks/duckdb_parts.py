"""Where the DuckDB engine's scoring goes, part by part (issue 11, sixth round):

    python benchmarks/duckdb_parts.py [--records 1000000] [--repeats 5] [--threads 2] [--file both]

The 2021 rubric's records (drawn as benchmarks/duckdb_eval.py draws them: every number a
DECIMAL(38, s), or typed as a warehouse table types them) in a table in memory, so that no
file is read or written; the query compiled for that table as the engine compiles it. For
each column of the query's output (every node's score, the total, the grade, the refusal),
the CPU time of all DuckDB's threads to work out that column alone (`SELECT max(…)` over the
query's last layer, the least of `--repeats`), less what a `count(*)` of the same layers
costs: what the column costs with everything it reads (the inputs, quotients, lets). Parts
share what they read, so they do not add up; the whole query into a table is given beside
them. Also the total before its rounding (the rounding's floor is a 128-bit division) and
the three quotients of the rubric's `let`s alone.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

import duckdb  # noqa: E402
from sqlglot import exp  # noqa: E402

import pingfen  # noqa: E402
from pingfen.engine import column_scales  # noqa: E402
from pingfen.sql import compiler  # noqa: E402
from pingfen.sql.newforms import FormsCompiler  # noqa: E402

sys.path.insert(0, str(HERE))
from duckdb_eval import bench_sql  # noqa: E402

RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--file", choices=("wide", "warehouse", "both"), default="both")
    args = parser.parse_args()
    rubric = pingfen.load(RULESET, tests=False)
    module = bench_sql()
    rng = random.Random(2021)  # the seeds duckdb_eval.py draws with: the same records
    seeds = [rng.randrange(1 << 30) for _spec in rubric.inputs]
    files = ("wide", "warehouse") if args.file == "both" else (args.file,)
    print(f"DuckDB {duckdb.__version__}, {args.threads} threads, {args.records:,} records of the 2021 rubric, CPU-s, least of {args.repeats}")
    for file in files:
        columns = ", ".join(module.column(s, seed, warehouse=file == "warehouse") for s, seed in zip(rubric.inputs, seeds, strict=True))
        con = duckdb.connect(config={"threads": args.threads})
        con.execute(f"CREATE TABLE records AS SELECT i AS id, {columns} FROM range({args.records}) t(i)")
        tree = compiler.to_sql_tree(rubric, "duckdb", "records", reasons=False, kind=FormsCompiler, scales=column_scales(con))
        parts = _parts(tree)
        layers, last = tree.args["with_"].sql("duckdb"), tree.args["from_"].this.sql("duckdb")

        def cost(sql: str, con: duckdb.DuckDBPyConnection = con) -> float:
            spent = []
            for _ in range(args.repeats):
                cpu = time.process_time()
                con.execute(sql).fetchall()
                spent.append(time.process_time() - cpu)
            return min(spent)

        nothing = cost(f"{layers} SELECT count(*) FROM {last}")
        whole = cost(f"CREATE OR REPLACE TABLE scored AS {tree.sql('duckdb')}")
        said = "DECIMAL(38, s)" if file == "wide" else "BIGINT / DECIMAL(18, s)"
        print(f"\n{said}: the whole query into a table {whole:.2f}; its layers counted, nothing worked out, {nothing:.2f}")
        found = [(name, cost(f"{layers} SELECT count(*), max({sql}) FROM {last}") - nothing) for name, sql in parts]
        for name, spent in sorted(found, key=lambda f: -f[1]):
            print(f"  {spent:+.3f}  {name}")


def _parts(tree: exp.Select) -> list[tuple[str, str]]:
    """Each output column's expression over the last layer (its `refusal IS NULL` guard left
    out), and the total's pieces: its raw sum and the quotients, found by their shape."""
    parts: list[tuple[str, str]] = []
    for e in tree.expressions[1:]:
        value = e.this
        ifs = value.args.get("ifs") if isinstance(value, exp.Case) else None
        if ifs and len(ifs) == 1 and value.args.get("default") is None and isinstance(ifs[0].this, exp.Is):
            value = ifs[0].args["true"]  # the output's guard, CASE WHEN refusal IS NULL THEN … END: left out
        parts.append((e.alias_or_name, value.sql("duckdb")))
    aliases = {a.alias: a.this for a in tree.find_all(exp.Alias)}
    floor = next((a for a in aliases.values() if isinstance(a, exp.Cast) and isinstance(a.this, exp.Floor)), None)
    if floor is not None:  # the total's raw sum, × 10^places, and its floor (a 128-bit division)
        raw = floor.this.this
        parts.append(("the total before rounding (its sum × 10^places)", raw.sql("duckdb")))
        parts.append(("the total's floor alone (of the sum above)", floor.sql("duckdb")))
    # a quotient: CASE WHEN short THEN its 64-bit steps put together ELSE its long division END
    quotients = [name for name, value in aliases.items() if isinstance(value, exp.Case) and value.args.get("default") is not None
                 and value.args["ifs"][0].args["true"].find(exp.IntDiv) and value.args["default"].find(exp.Mul)]  # fmt: skip
    if quotients:
        parts.append((f"the {len(quotients)} quotients (64-bit steps and long division)", " + ".join(f'"{q}"' for q in quotients)))
    return parts


if __name__ == "__main__":
    main()

"""The DuckDB engine's fixed cost, before a row is read (issue 11, fifth round):

    python benchmarks/duckdb_plan.py [--repeats 7] [--profile]

(a) building the 2021 rubric's query as a sqlglot tree (`compiler.to_sql_tree`, as the engine
builds it for a Parquet file), (b) writing it (`.sql("duckdb")`), (c) DuckDB parsing, binding,
optimizing and planning it (`EXPLAIN` over an empty `records` table of the warehouse file's
column types; also its parsing alone, and the query run over the empty table, which is what
the engine's COPY spends before its first row). CPU time of each, the least of `--repeats`, and the query's size. `--profile`:
cProfile of (a) and (b), and DuckDB's own phases of (c) (`EXPLAIN ANALYZE`'s profile).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

import duckdb  # noqa: E402

import pingfen  # noqa: E402
from pingfen.engine import column_scales  # noqa: E402
from pingfen.sql import compiler  # noqa: E402
from pingfen.sql.newforms import FormsCompiler  # noqa: E402

sys.path.insert(0, str(HERE))
from duckdb_eval import bench_sql  # noqa: E402

RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"


def least(repeats: int, run: Callable[[], object]) -> float:
    """The least CPU time of `repeats` runs, in ms."""
    spent = []
    for _ in range(repeats):
        cpu = time.process_time()
        run()
        spent.append(time.process_time() - cpu)
    return min(spent) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    rubric = pingfen.load(RULESET, tests=False)
    module = bench_sql()
    typed = ", ".join(module.column(s, 1, warehouse=True) for s in rubric.inputs)
    con = duckdb.connect(config={"threads": 2})
    con.execute(f"CREATE TABLE records AS SELECT i AS id, {typed} FROM range(0) t(i)")
    scales = column_scales(con)

    def build() -> object:
        return compiler.to_sql_tree(rubric, "duckdb", "records", reasons=False, kind=FormsCompiler, scales=scales)

    query = build().sql(dialect="duckdb", copy=False)  # type: ignore[attr-defined]  # a Select
    trees = [build() for _ in range(args.repeats)]
    a = least(args.repeats, build)
    b = least(args.repeats, lambda: trees.pop().sql(dialect="duckdb", copy=False))  # type: ignore[attr-defined]  # a Select
    c = least(args.repeats, lambda: con.execute(f"EXPLAIN {query}").fetchall())
    parse = least(args.repeats, lambda: con.extract_statements(query))
    empty = least(args.repeats, lambda: con.execute(query).fetchall())  # all the engine plans, no EXPLAIN text
    ctes = query.count(" AS (SELECT ")
    print(f"query: {len(query):,} bytes, {ctes} layers, {query.count('CAST(')} CASTs, {query.count('CASE ')} CASEs")
    print(f"(a) building the tree {a:.1f} ms, (b) writing it {b:.1f} ms, (c) DuckDB planning it {c:.1f} ms (CPU, least of {args.repeats})")
    print(f"    of (c): parsing {parse:.1f} ms; the query run over the empty table (no EXPLAIN text) {empty:.1f} ms")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        build().sql(dialect="duckdb", copy=False)  # type: ignore[attr-defined]  # a Select
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        with tempfile.TemporaryDirectory() as folder:  # DuckDB's own phases of planning it
            out = Path(folder) / "profile.json"
            con.execute("PRAGMA enable_profiling = 'json'")
            con.execute("SET profiling_mode = 'detailed'")
            con.execute(f"PRAGMA profiling_output = '{out}'")
            con.execute(query).fetchall()
            con.execute("PRAGMA disable_profiling")
            found = json.loads(out.read_text())
        for phase in ("planner", "optimizer", "physical_planner"):
            parts = sorted(((k, v) for k, v in found.get(phase, {}).items() if isinstance(v, float) and v > 0.001), key=lambda kv: -kv[1])
            print(f"  {phase}: " + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in parts))

if __name__ == "__main__":
    main()

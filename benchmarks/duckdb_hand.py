"""The DuckDB engine against a hand-written query of the 2021 rubric, file to file, in one run:

    python benchmarks/duckdb_hand.py [--records 1000000] [--rounds 3] [--threads 2]

The issue's DuckDB target (≥ 10⁶ records/s on this 2-core machine) is absolute; this gives it a
baseline measured in the same run, as the Python targets have one (the hand-written scorers):
`hand2021.sql`, the 2021 rubric written as an analyst would write it in DuckDB — each rule one
expression over the columns, quotients and deductions in DuckDB's own arithmetic (a DECIMAL
divided by a DECIMAL is a DOUBLE there), no input checks, no refusals, the total `round(…, 2)`.
And a second: `hand2021_exact.sql`, the same rubric by hand but exact and checked (no float: a
quotient's score told at its ends on the integers and divided at 20 decimals between them, the
inputs checked and a refused row marked), to tell what exactness and checks cost from what the
engine's query costs beyond them. The engine runs its direct query on this file (typed columns,
the common forms: src/pingfen/sql/direct.py); the general one, which every other file and rubric
gets, is timed beside it.

1. N records drawn as `duckdb_eval.py` draws its warehouse file (counts BIGINT, the rest
   DECIMAL(18, s)), written to Parquet (not timed);
2. rounds, interleaved: `score_with_duckdb` (what `pingfen eval --engine duckdb` runs), the two
   hand-written queries, the floor (the input copied to a file, nothing scored) and the engine
   with its general query, each from the file to a Parquet file: wall and CPU seconds (all of
   DuckDB's threads), the least of the rounds;
3. the ratio of the engine's CPU to each hand-written query's, and how many of the N totals and
   grades each hand-written query gets otherwise than the engine (the float one: its floats).

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import duckdb  # noqa: E402
from duckdb_eval import RULESET, bench_sql  # noqa: E402

import pingfen  # noqa: E402
import pingfen.engine as engine_module  # noqa: E402
from pingfen.engine import score_with_duckdb  # noqa: E402

HAND = (HERE / "hand2021.sql").read_text(encoding="utf-8")
EXACT = (HERE / "hand2021_exact.sql").read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    rubric = pingfen.load(RULESET, tests=False)
    column = bench_sql().column
    rng = random.Random(2021)  # the same seeds as duckdb_eval.py: the same records
    seeds = [rng.randrange(1 << 30) for _spec in rubric.inputs]
    typed = ", ".join(column(spec, seed, warehouse=True) for spec, seed in zip(rubric.inputs, seeds, strict=True))
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        source = base / "warehouse.parquet"
        con = duckdb.connect(config={"threads": args.threads})
        con.execute(f"COPY (SELECT i AS id, {typed} FROM range({args.records}) t(i)) TO '{source}' (FORMAT parquet)")
        hand = HAND.replace("FROM records", f"FROM read_parquet('{source}')")
        exact = EXACT.replace("FROM records", f"FROM read_parquet('{source}')")

        def engine() -> None:
            score_with_duckdb(rubric, str(source), str(base / "engine.parquet"), ruleset=str(RULESET), threads=args.threads)

        def general() -> None:  # the general query, as for a file the direct one does not read (sql/direct.py)
            kept = engine_module.direct.query
            engine_module.direct.query = lambda *_args, **_kw: None  # type: ignore[assignment]
            try:
                score_with_duckdb(rubric, str(source), str(base / "general.parquet"), ruleset=str(RULESET), threads=args.threads)
            finally:
                engine_module.direct.query = kept  # type: ignore[assignment]

        def written() -> None:
            con.execute(f"COPY ({hand}) TO '{base / 'hand.parquet'}' (FORMAT parquet)")

        def exactly() -> None:
            con.execute(f"COPY ({exact}) TO '{base / 'exact.parquet'}' (FORMAT parquet)")

        def floor() -> None:
            con.execute(f"COPY (SELECT * FROM read_parquet('{source}')) TO '{base / 'floor.parquet'}' (FORMAT parquet)")

        runs = {"pingfen eval --engine duckdb": engine, "hand-written query (floats, no checks)": written,
                "hand-written query (exact, checked)": exactly, "floor: the input copied, nothing scored": floor,
                "the same, the general query (not direct)": general}  # fmt: skip
        spent: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        print(f"DuckDB {duckdb.__version__}, {args.threads} threads, {args.records:,} records of the 2021 rubric, Parquet to Parquet")
        for _round in range(args.rounds):
            for name, run in runs.items():
                started, cpu = time.perf_counter(), time.process_time()
                run()
                spent[name].append((time.perf_counter() - started, time.process_time() - cpu))
            print(f"  round {_round + 1} done, load average {os.getloadavg()[0]:.1f}", flush=True)
        for name, times in spent.items():
            wall, cpu = min(t[0] for t in times), min(t[1] for t in times)
            print(f"  {name:<42} {wall:.2f} s wall ({args.records / wall:,.0f} records/s), {cpu:.2f} CPU-s (least of {args.rounds})")
        ours, theirs, exact_cpu = (min(t[1] for t in spent[name]) for name in list(runs)[:3])
        print(f"  the engine's CPU is {ours / theirs:.2f}× the hand-written float query's, {ours / exact_cpu:.2f}× the exact one's")
        for name, file in (("float", "hand.parquet"), ("exact", "exact.parquet")):
            wrong = con.execute(
                f"SELECT count(*) FILTER (WHERE e.total IS DISTINCT FROM CAST(h.total AS DECIMAL(38, 2))), "
                f"count(*) FILTER (WHERE e.grade IS DISTINCT FROM h.grade), count(*) FILTER (WHERE e.refusal IS NOT NULL) "
                f"FROM read_parquet('{base / 'engine.parquet'}') e JOIN read_parquet('{base / file}') h USING (id)"
            ).fetchone()
            assert wrong is not None
            print(f"  the {name} hand-written query against the engine: {wrong[0]:,} totals and {wrong[1]:,} grades differ "
                  f"({wrong[2]:,} rows the engine refuses)")  # fmt: skip
        differ = con.execute(f"SELECT count(*) FROM (SELECT * FROM read_parquet('{base / 'engine.parquet'}') "
                             f"EXCEPT ALL SELECT * FROM read_parquet('{base / 'general.parquet'}'))").fetchone()  # fmt: skip
        assert differ is not None
        general_cpu = min(t[1] for t in spent["the same, the general query (not direct)"])
        print(f"  the direct query against the general one: {differ[0]:,} rows differ; its CPU {ours / general_cpu:.2f}× the general query's")


if __name__ == "__main__":
    main()

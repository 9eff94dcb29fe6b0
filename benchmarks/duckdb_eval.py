"""`pingfen eval --engine duckdb` against the Python path, file to file, in one run:

    python benchmarks/duckdb_eval.py [--records 1000000] [--sample 20000] [--threads 2]

1. N random records of the 2021 rubric (drawn inside DuckDB as benchmarks/sql.py draws them)
   written to two Parquet files and a CSV file (not timed): every number a DECIMAL(38, s), and
   the same values typed as a warehouse table types them (counts BIGINT, amounts, scores and
   ratios DECIMAL(18, s));
2. `score_with_duckdb` (what `pingfen eval --engine duckdb` runs) from each file to a file
   of the same kind: records per second, end to end (reading, scoring, writing);
3. the first `--sample` rows of the CSV through the Python batch (`pingfen eval DATA.csv -o
   OUT.csv`, evaluate() per row): records per second, and the ratio;
4. agreement: the sample's totals, grades and refusals from the DuckDB output equal evaluate()'s;
5. with `--floor`, what a run costs with no scoring at all, for each Parquet file: reading
   every input column, and writing the engine's output of it (its rows, already made, from
   memory) to Parquet — the least any engine of this file to that file can spend.

Not part of the test suite (tests/test_engine_duckdb.py holds the engine to evaluate()).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

import duckdb  # noqa: E402

import pingfen  # noqa: E402
from pingfen.ast import walk_nodes  # noqa: E402
from pingfen.cli import main as cli  # noqa: E402
from pingfen.engine import score_with_duckdb  # noqa: E402

RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"


def bench_sql() -> Any:
    """benchmarks/sql.py, loaded by its path (as `sql` it would be taken for another module):
    `column` draws the records' columns; duckdb_parts.py and duckdb_plan.py use it too."""
    spec = importlib.util.spec_from_file_location("bench_sql", HERE / "sql.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _draws() -> object:
    return bench_sql().column


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1, help="times each file is scored (the machine may be shared)")
    parser.add_argument("--floor", action="store_true", help="also time reading the input and writing the output, no scoring")
    args = parser.parse_args()
    rubric = pingfen.load(RULESET, tests=False)
    column = _draws()
    rng = random.Random(2021)
    seeds = [rng.randrange(1 << 30) for _spec in rubric.inputs]
    columns = ", ".join(column(spec, seed) for spec, seed in zip(rubric.inputs, seeds, strict=True))  # type: ignore[operator]  # sql.py's column()
    typed = ", ".join(column(spec, seed, warehouse=True) for spec, seed in zip(rubric.inputs, seeds, strict=True))  # type: ignore[operator]  # sql.py's column()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        con = duckdb.connect()
        con.execute(f"CREATE TABLE records AS SELECT i AS id, {columns} FROM range({args.records}) t(i)")
        con.execute(f"COPY records TO '{base / 'in.parquet'}' (FORMAT parquet)")
        con.execute(f"COPY (SELECT i AS id, {typed} FROM range({args.records}) t(i)) TO '{base / 'warehouse.parquet'}' (FORMAT parquet)")
        # a CSV as a spreadsheet writes it, read as `pingfen eval` reads it (sql/spelt.py): a
        # percent with its sign (a bare 1.5 would be ambiguous there, PF523, and refused)
        spelt = ", ".join(f"CAST(\"{s.name}\" * 100 AS VARCHAR) || '%' AS \"{s.name}\"" if s.type == "percent" else f'"{s.name}"'
                          for s in rubric.inputs)  # fmt: skip
        con.execute(f"COPY (SELECT id, {spelt} FROM records) TO '{base / 'in.csv'}' (FORMAT csv, HEADER true)")
        con.execute(f"COPY (SELECT id, {spelt} FROM records ORDER BY id LIMIT {args.sample}) TO '{base / 'sample.csv'}' (FORMAT csv, HEADER true)")
        print(f"DuckDB {duckdb.__version__}, {args.threads} threads, {args.records:,} records of the 2021 rubric")
        runs = (("in.parquet", "out.parquet", "parquet (DECIMAL(38, s)) to parquet"),
                ("warehouse.parquet", "warehouse-out.parquet", "parquet (BIGINT, DECIMAL(18, s)) to parquet"),
                ("in.csv", "out.csv", "csv to csv"))  # fmt: skip
        for source, target, said in runs:
            for _round in range(args.rounds):
                started, cpu = time.perf_counter(), time.process_time()
                scored = score_with_duckdb(rubric, str(base / source), str(base / target), ruleset=str(RULESET), threads=args.threads)
                spent, cpu = time.perf_counter() - started, time.process_time() - cpu
                # the CPU time of all of DuckDB's threads: what the run costs when others share the cores
                print(f"  --engine duckdb, {said}: {spent:.2f} s, {scored.rows / spent:,.0f} records/s "
                      f"({scored.refused:,} refused); CPU {cpu:.2f} s, {scored.rows / cpu:,.0f} records per CPU-second; "
                      f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        if args.floor:
            for source, target, said in runs[:2]:
                _floor(base / source, base / target, said, args.threads, args.rounds)
        started = time.perf_counter()
        cli(["eval", str(RULESET), str(base / "sample.csv"), "-o", str(base / "python.csv")], out=io.StringIO(), err=io.StringIO())
        python = time.perf_counter() - started
        print(f"  Python batch (evaluate()), csv to csv: {python:.2f} s for {args.sample:,}, {args.sample / python:,.0f} records/s")
        names = [s.name for s in rubric.inputs]
        quoted = ", ".join('"' + n + '"' for n in names)
        sample = con.execute(f"SELECT {quoted} FROM records ORDER BY id LIMIT {args.sample}").fetchall()
        got = con.execute(f"SELECT total, grade, refusal FROM read_parquet('{base / 'out.parquet'}') ORDER BY id LIMIT {args.sample}").fetchall()
        disagree = 0
        for values, (total, grade, refusal) in zip(sample, got, strict=True):
            try:
                result = rubric.evaluate(dict(zip(names, values, strict=True)), ratios=True)
                disagree += (total, grade, refusal) != (result.total, result.grade, None)
            except pingfen.DataError as error:
                disagree += refusal != error.problems[0].code
        # the warehouse-typed file holds the same values: every score, total, grade and refusal the same
        nodes = ", ".join(f'"{n.name.text}"' for n, _depth in walk_nodes(rubric.module.top))
        differ = con.execute(f"SELECT count(*) FROM (SELECT id, {nodes}, total, grade, refusal FROM read_parquet('{base / 'out.parquet'}') "
                             f"EXCEPT SELECT id, {nodes}, total, grade, refusal FROM read_parquet('{base / 'warehouse-out.parquet'}'))").fetchone()  # fmt: skip
        print(f"  the warehouse-typed file's rows that differ from the other's: {differ[0] if differ else '?'}")
        duck = args.records / spent
        print(f"  ratio: --engine duckdb (csv) is {duck / (args.sample / python):.1f}× the Python batch; "
              f"disagreements in the sample: {disagree}")  # fmt: skip


def _floor(source: Path, scored: Path, said: str, threads: int, rounds: int) -> None:
    """Reading every column of the input, and writing the output's rows (from memory) to Parquet:
    the two ends of a Parquet-to-Parquet run, with nothing scored between them."""
    con = duckdb.connect(config={"threads": threads})
    con.execute(f"CREATE TABLE scored AS SELECT * FROM read_parquet('{scored}')")
    print(f"  {said}:")
    for _round in range(rounds):
        parts = []
        for label, sql in (("reading the input", f"SELECT max(COLUMNS(*)) FROM read_parquet('{source}')"),
                           ("writing the output", f"COPY scored TO '{source.parent / 'floor.parquet'}' (FORMAT parquet)")):  # fmt: skip
            started, cpu = time.perf_counter(), time.process_time()
            con.execute(sql).fetchall()
            parts.append((label, time.perf_counter() - started, time.process_time() - cpu))
        wall, cpu = sum(p[1] for p in parts), sum(p[2] for p in parts)
        spent = "; ".join(f"{label} {w:.2f} s ({c:.2f} CPU-s)" for label, w, c in parts)
        print(f"    floor, no scoring: {spent}; together {wall:.2f} s, {cpu:.2f} CPU-s; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

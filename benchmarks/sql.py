"""The 2021 rubric scored by its generated SQL in DuckDB, against evaluate(), in one run:

    python benchmarks/sql.py [--records 1000000] [--sample 20000] [--threads 2]

1. N random records are made inside DuckDB, each input on its data grid (pingfen.testing's:
   grid_range and STEPS), so the query, not the loading, is what is timed;
2. the scoring query (`pingfen.sql.to_sql`) over all of them into a table: records per second;
3. a sample of them fetched and scored by `rubric.evaluate(record, ratios=True)`: µs per
   record, and agreement with the query (totals, grades and refusals identical, node scores
   within 1e-18);
4. the ratio of the two speeds.

Not part of the test suite (tests/test_sql*.py hold the query to evaluate()).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(1, str(ROOT / "tests"))

import duckdb  # noqa: E402

import pingfen  # noqa: E402
from pingfen.sql import Explainer, to_sql  # noqa: E402
from pingfen.testing import STEPS, grid_range  # noqa: E402


def column(spec: pingfen.InputSpec, seed: int, warehouse: bool = False) -> str:
    """A DuckDB expression drawing the input's values (the draw only: the scoring has no float):
    each number a DECIMAL(38, s), s its grid's places; with `warehouse`, typed as a warehouse
    table types them — counts BIGINT, amounts, scores and ratios DECIMAL(18, s) — the same values."""
    name = '"' + spec.name.replace('"', '""') + '"'
    if spec.type == "bool":
        return f"hash(i, {seed}) % 2 = 0 AS {name}"
    if spec.type == "label":
        labels = ", ".join("'" + label.replace("'", "''") + "'" for label in spec.labels)
        return f"[{labels}][1 + hash(i, {seed}) % {len(spec.labels)}] AS {name}"
    lo, hi = grid_range(spec)
    step = STEPS[spec.type]
    places = max(0, -int(step.as_tuple().exponent))
    n = f"({lo} + (hash(i, {seed}) % {hi - lo + 1})::BIGINT)"
    value = f"CAST({n} AS DECIMAL(38, 0)) * CAST({step} AS DECIMAL({places + 1}, {places}))"
    if warehouse:
        return f"CAST({n} AS BIGINT) AS {name}" if spec.type == "count" else f"CAST({value} AS DECIMAL(18, {places})) AS {name}"
    return f"{value} AS {name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    rubric = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule", tests=False)
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    rng = random.Random(2021)
    columns = ", ".join(column(spec, rng.randrange(1 << 30)) for spec in rubric.inputs)
    started = time.perf_counter()
    con.execute(f"CREATE TABLE records AS SELECT i AS id, {columns} FROM range({args.records}) t(i)")
    made = time.perf_counter() - started
    started = time.perf_counter()
    con.execute(f"CREATE TABLE bare AS {to_sql(rubric, reasons=False)}")
    bare = time.perf_counter() - started
    started = time.perf_counter()
    con.execute(f"CREATE TABLE scored AS {to_sql(rubric)}")
    scored = time.perf_counter() - started
    refused = con.execute("SELECT count(*) FROM scored WHERE refusal IS NOT NULL").fetchone()
    print(f"DuckDB {duckdb.__version__}, {args.threads} threads, {args.records:,} records (made in {made:.1f} s)")
    print(f"  SQL, scores only: {bare:.2f} s, {args.records / bare:,.0f} records/s, {bare / args.records * 1e6:.2f} µs/record")
    print(f"  SQL, and reasons: {scored:.2f} s, {args.records / scored:,.0f} records/s, "
          f"{scored / args.records * 1e6:.2f} µs/record; refused: {refused[0] if refused else '?'}")  # fmt: skip

    names = [s.name for s in rubric.inputs]
    quoted = ", ".join('"' + n + '"' for n in names)
    sample = con.execute(f"SELECT id, {quoted} FROM records ORDER BY id LIMIT {args.sample}").fetchall()
    records = [dict(zip(names, row[1:], strict=True)) for row in sample]
    rows = con.execute(f"SELECT * FROM scored ORDER BY id LIMIT {args.sample}")
    header = [d[0] for d in rows.description]
    results = [dict(zip(header, row, strict=True)) for row in rows.fetchall()]
    started = time.perf_counter()
    for record in records:
        try:
            rubric.evaluate(record, ratios=True)
        except pingfen.DataError:
            pass
    python = (time.perf_counter() - started) / len(records)
    disagree = 0
    explainer = Explainer(rubric)
    for record, row in zip(records, results, strict=True):
        try:
            result = rubric.evaluate(record, ratios=True)
        except pingfen.DataError as error:
            disagree += (row["refusal"], row["refusal_input"]) != (error.problems[0].code, error.problems[0].input)
            continue
        same = (row["total"], row["grade"]) == (result.total, result.grade) and all(
            abs(row[n.name] - n.score) <= Decimal("1e-18") for n in result.nodes()
        ) and explainer.explain(row) == {n.name: n.reasons_in("zh") for n in result.nodes() if n.explanations}
        disagree += not same
    per_sql = scored / args.records
    print(f"  evaluate(): {python * 1e6:.2f} µs/record over {len(records):,} of them, {1 / python:,.0f} records/s")
    print(f"  ratio: SQL is {python / (bare / args.records):.1f}× evaluate() for scores, {python / per_sql:.1f}× with reasons; "
          f"disagreements in the sample (reasons too): {disagree}")  # fmt: skip


if __name__ == "__main__":
    main()

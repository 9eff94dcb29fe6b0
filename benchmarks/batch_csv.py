"""Batch scoring speed: a generated CSV of N departments (default 10,000) scored with the
2021 ruleset, read → score → write, timed end to end and as evaluation alone.

    python benchmarks/batch_csv.py [--rows N] [--repeat R] [--xlsx]

Rows are drawn by `pingfen.sample.sample_record` (valid values on a grid), written as
text the way a spreadsheet exports them (是/否, plain decimals); the CSV output goes to a
temporary directory. `--xlsx` also times the same rows read from and written to XLSX.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from pathlib import Path

import pingfen
from pingfen.batch import score_file
from pingfen.sample import sample_record

RULESET = Path(__file__).resolve().parents[1] / "rulesets" / "dept-overall-2021.rule"


def text(value: object) -> str:
    return ("是" if value else "否") if isinstance(value, bool) else str(value)


def write_csv(path: Path, rubric: pingfen.Rubric, rows: int) -> list[dict[str, object]]:
    rng = random.Random(2021)
    names = [s.name for s in rubric.inputs]
    records = [sample_record(rubric, rng) for _ in range(rows)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", *names])
        for i, record in enumerate(records):
            writer.writerow([f"D{i:06d}", *(text(record[n]) for n in names)])
    return records  # type: ignore[return-value]


def write_xlsx(path: Path, source: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    book.save(path)


def best_of(repeat: int, run) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000, help="departments in the file (default 10,000)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each (default 3; the median is shown)")
    ap.add_argument("--xlsx", action="store_true", help="also time XLSX in and out")
    args = ap.parse_args()
    rubric = pingfen.load(RULESET)
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "data.csv", Path(tmp) / "scores.csv"
        records = write_csv(data, rubric, args.rows)
        size = data.stat().st_size

        def batch() -> None:
            summary = score_file(rubric, data, out, "csv")
            assert summary.rows == args.rows and summary.ok

        def evaluate_only() -> None:
            for record in records:
                rubric.evaluate(record)

        print(f"ruleset: {RULESET.name} ({len(rubric.inputs)} inputs, "
              f"{sum(1 for t in rubric.tree for n in t.walk() if not n.is_group)} indicators)")  # fmt: skip
        print(f"data:    {args.rows:,} rows, {size / 1e6:.1f} MB CSV")
        lines = [("csv → score → csv", batch), ("evaluate only", evaluate_only)]
        if args.xlsx:
            book, book_out = Path(tmp) / "data.xlsx", Path(tmp) / "scores.xlsx"
            write_xlsx(book, data)

            def xlsx() -> None:
                assert score_file(rubric, book, book_out, "xlsx").ok

            lines.append(("xlsx → score → xlsx", xlsx))
        for label, run in lines:
            times = best_of(args.repeat, run)
            median = statistics.median(times)
            print(f"{label:20} {median:7.2f} s  {args.rows / median:9,.0f} rows/s  (median of {args.repeat})")


if __name__ == "__main__":
    main()

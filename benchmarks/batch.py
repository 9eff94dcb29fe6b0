"""Score a CSV of records with the 2021 rubric, end to end, and report what it took:

    python benchmarks/batch.py RECORDS.csv [--trace]

Reads with the standard csv module, scores through `Rubric.evaluate_many`, writes each
row's 单位, total, grade (or the refusal) to a CSV beside the input, one row at a time.
Prints one JSON line: rows, seconds (load, read, score and write), rows per second,
the process's peak resident memory (VmHWM on Linux: unlike ru_maxrss it does not count
the parent the process was forked from; ru_maxrss elsewhere), and with --trace the peak
of Python's own allocations while scoring (tracemalloc, which slows the run down).
"""

from __future__ import annotations

import csv
import itertools
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import pingfen

RULESET = Path(__file__).resolve().parents[1] / "rulesets" / "dept-overall-2021.rule"


def run(source: Path, target: Path) -> int:
    rubric = pingfen.load(RULESET)
    count = 0
    with source.open(encoding="utf-8", newline="") as incoming, target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["单位", "总分", "评价等次", "问题"])
        rows, scored = itertools.tee(csv.DictReader(incoming))  # in step: the tee holds one row
        for row, result in zip(rows, rubric.evaluate_many(scored, key="单位"), strict=True):
            if isinstance(result, pingfen.DataError):
                writer.writerow([row["单位"], "", "", result.describe("zh")])
            else:
                writer.writerow([row["单位"], result.total, result.grade, ""])
            count += 1
    return count


def peak_rss_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS


def main() -> None:
    source = Path(sys.argv[1])
    trace = "--trace" in sys.argv[2:]
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    rows = run(source, source.with_suffix(".scored.csv"))
    seconds = time.perf_counter() - start
    report = {
        "rows": rows,
        "seconds": seconds,
        "rows_per_second": rows / seconds,
        "maxrss_kib": peak_rss_kib(),
    }
    if trace:
        report["traced_peak_kib"] = tracemalloc.get_traced_memory()[1] / 1024
    print(json.dumps(report))


if __name__ == "__main__":
    main()

"""Issue 11's per-record rows, before and after a change, interleaved in one run:

    python benchmarks/ab.py --before /path/to/old/src [--after src] [--rounds 3] [--records 2000]

Each round runs the rows in a new process for each source tree in turn (before, after,
before, …), so both see the same machine; the figures are CPU time per record
(`time.process_time`), which a machine loaded by other work disturbs far less than wall
time, and each row is also given as a ratio to the tuned hand-written scorer returning
every indicator's and group's score (`hand_tuned.score_every`), measured in the same process.
The old tree is only read: its package is imported from `--before` with bytecode kept elsewhere.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rows(records: int, repeat: int) -> dict[str, float]:
    """µs of CPU per record of each row, the least of `repeat` runs (run in the child)."""
    sys.path.insert(0, str(HERE))
    import hand_tuned
    import records2021

    import pingfen

    rubric = pingfen.loads(records2021.RULESET.read_text(encoding="utf-8"), "dept-overall-2021.rule")
    data = records2021.records(records)
    evaluate = rubric.evaluate

    def nodes(record: dict[str, object]) -> object:
        result = evaluate(record)
        return result.total, result.grade, [node.score for node in result.nodes()]

    def scores(record: dict[str, object]) -> object:
        result = evaluate(record)
        return result.total, result.grade, result.scores()

    def reasons(record: dict[str, object]) -> object:
        result = evaluate(record)
        return [node.reasons for node in result.nodes()]

    found: dict[str, Callable[[dict[str, object]], object]] = {
        "hand-written, every score": hand_tuned.score_every, "evaluate()": evaluate,
        "evaluate(), every score via nodes()": nodes, "evaluate(), every score via scores()": scores,
        "all reasons of one record": reasons,
    }  # fmt: skip
    out: dict[str, float] = {}
    for name, fn in found.items():
        for record in data[:200]:  # warm: caches, prepared sentences
            fn(record)
        best = float("inf")
        for _ in range(repeat):
            start = time.process_time()
            for record in data:
                fn(record)
            best = min(best, time.process_time() - start)
        out[name] = best / len(data) * 1e6
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="the old tree's src/ folder")
    ap.add_argument("--after", default=str(HERE.parent / "src"), help="the new tree's src/ folder (this checkout's)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(rows(args.records, args.repeat)))
        return
    with tempfile.TemporaryDirectory() as cache:
        for n in range(args.rounds):
            for label, src in (("before", args.before), ("after", args.after)):
                env = {**os.environ, "PYTHONPATH": str(Path(src).resolve()), "PYTHONPYCACHEPREFIX": cache}
                command = [sys.executable, str(Path(__file__).resolve()), "--child", "--before", args.before,
                           "--records", str(args.records), "--repeat", str(args.repeat)]  # fmt: skip
                found = json.loads(subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout)
                hand = found["hand-written, every score"]
                print(f"round {n + 1} {label:6s} load {os.getloadavg()[0]:4.1f}", flush=True)
                for name, value in found.items():
                    print(f"  {name:38s} {value:8.2f} µs  {value / hand:6.2f}×")


if __name__ == "__main__":
    main()

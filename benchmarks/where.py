"""Where pingfen's time per record goes, by the part of the 2021 rubric's generated code
it is spent in, sampled with py-spy (`pip install py-spy`):

    python benchmarks/where.py [--seconds 20]

Each sample's innermost Python line is put down to what it is for: reading the inputs,
a let, an indicator, the group sums, the total and grade, making the Result (codegen's
labels of the generated lines), or the evaluate wrapper around them.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(ROOT / "src"))

import records2021  # noqa: E402

import pingfen  # noqa: E402

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>.*):(?P<line>\d+)\)$")


def target(seconds: float) -> None:
    """The sampled process: evaluate the records over and over; print µs per record."""
    rubric = pingfen.load(records2021.RULESET)
    records = records2021.records(10_000)
    evaluate, count, start = rubric.evaluate, 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for record in records:
            evaluate(record)
        count += len(records)
    print(f"{(time.perf_counter() - start) / count * 1e6:.2f}")


def attribute(raw: str, labels: dict[int, str]) -> collections.Counter[str]:
    """Samples per part, from py-spy's raw (collapsed) stacks."""
    parts: collections.Counter[str] = collections.Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [m for f in stack.split(";") if (m := _FRAME.match(f))]
        if not frames or not any(f["function"].endswith("evaluate") for f in frames):
            continue  # loading, generating the records
        leaf = frames[-1]
        if leaf["file"].startswith("<pingfen"):
            label = labels.get(int(leaf["line"]), "generated code")
        elif leaf["function"].endswith("Result.scored"):
            label = "making the Result"
        elif leaf["function"].endswith("Rubric.evaluate"):
            label = "evaluate: decimal context, choosing the path"
        else:
            label = f"{leaf['function']} ({Path(leaf['file']).name})"
        parts[label] += int(count)
    return parts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--target", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.target:
        target(args.seconds)
        return
    spy = shutil.which("py-spy")
    if spy is None:
        raise SystemExit("py-spy is not installed: pip install py-spy")
    labels = pingfen.load(records2021.RULESET).program.labels
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "stacks.txt"
        run = subprocess.run(
            [spy, "record", "--format", "raw", "--rate", "1000", "-o", str(out), "--",
             sys.executable, __file__, "--target", "--seconds", str(args.seconds)],
            capture_output=True, text=True, check=True, env=os.environ | {"PYTHONPATH": str(ROOT / "src")},
        )  # fmt: skip
        per_record = float(next(line for line in run.stdout.splitlines() if re.fullmatch(r"[\d.]+", line)))
        parts = attribute(out.read_text(encoding="utf-8"), labels)
    total = sum(parts.values())
    groups: collections.Counter[str] = collections.Counter()
    for label, samples in parts.items():
        groups["indicators (all 25)" if label.startswith("indicator ") else label] += samples
    print(f"pingfen evaluate: {per_record:.2f} µs per record; {total} samples of the scoring loop\n")
    print(f"  {'part':48s} {'share':>7s} {'µs/record':>10s}")
    for label, samples in groups.most_common():
        print(f"  {label:48s} {samples / total:7.1%} {samples / total * per_record:10.2f}")
    print("\n  the indicators one by one:")
    for label, samples in parts.most_common():
        if label.startswith("indicator "):
            print(f"    {label[10:]:46s} {samples / total:7.1%} {samples / total * per_record:10.2f}")


if __name__ == "__main__":
    main()

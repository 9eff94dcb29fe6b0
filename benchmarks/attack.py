"""The attack suite of issue #15, run long: `python benchmarks/attack.py --minutes 10 --seed N`.

The generators of tests/attack_cases.py (mutated and truncated rule files, rule files of
many parts, odd records, data files, the command line) run in rounds, each case in a forked
child with a time limit and a memory cap, until the minutes are up. Every distinct failure
is printed once, with the smallest case that showed it as a paste-able reproduction; the
exit code is 1 when there was any. The seed is random unless given, and printed, so that a
run can be repeated.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import seed as seeded  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import attack_cases  # noqa: E402
from attack_cases import Case, Failures  # noqa: E402

STRATEGIES: dict[str, st.SearchStrategy[Case]] = {
    "rule": attack_cases.rule_cases(),
    "big": attack_cases.big_rule_cases(sizes=(1, 30, 300, 1000, 3000, 10000)),
    "record": attack_cases.record_cases(),
    "file": attack_cases.file_cases(),
    "cli": attack_cases.cli_cases(),
}


def round_of(strategy: st.SearchStrategy[Case], failures: Failures, examples: int, seed: int, deadline: float,
             seconds: float) -> int:  # fmt: skip
    """Run up to `examples` cases of one generator; returns how many ran."""
    ran = 0

    @seeded(seed)
    @settings(
        max_examples=examples, phases=(Phase.generate,), database=None, deadline=None, derandomize=False,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(strategy)
    def search(case: Case) -> None:
        nonlocal ran
        if time.monotonic() < deadline:
            ran += 1
            failures.check(case, seconds)

    search()
    return ran


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10, help="how long to run (default 10)")
    parser.add_argument("--seed", type=int, default=None, help="the random seed (default: a random one, printed)")
    parser.add_argument("--only", choices=sorted(STRATEGIES), action="append", help="run only these generators")
    parser.add_argument("--round", type=int, default=50, metavar="N", help="cases per generator per round")
    parser.add_argument("--seconds", type=float, default=attack_cases.SECONDS, help="time limit per case")
    args = parser.parse_args(argv)
    base = args.seed if args.seed is not None else random.randrange(2**32)
    names = args.only or list(STRATEGIES)
    print(f"attack: seed {base}, {args.minutes:g} min, generators {', '.join(names)}", flush=True)
    failures = Failures()
    deadline = time.monotonic() + args.minutes * 60
    ran, number = 0, 0
    while time.monotonic() < deadline:
        for name in names:
            if time.monotonic() >= deadline:
                break
            ran += round_of(STRATEGIES[name], failures, args.round, base + number, deadline, args.seconds)
            number += 1
        print(f"  {ran} cases, {failures.count} failing, {len(failures.found)} distinct", flush=True)
    if failures.found:
        print(failures.report())
        print(f"\nattack: {len(failures.found)} distinct failures in {ran} cases (seed {base})")
        return 1
    print(f"attack: no failure in {ran} cases (seed {base})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

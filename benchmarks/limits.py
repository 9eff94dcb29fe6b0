"""Does the time grow with a rule file's size, not with its square? Each attack of issue 15
(items 14 and 20) at a size n and at 10n, timed in one run; a ratio near 10 is linear, near
100 quadratic. Then the largest files the limits allow (PF008), and refusal of a larger one.

    python benchmarks/limits.py [--scale S]

--scale multiplies every n (default 1). Each time is the least of three runs. `when` arms of one
value each are the one case still quadratic (the soundness check compares each arm with the
values before it); MAX_ARMS bounds them.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]  # a checkout, installed or not; the rule makers

from big_rules import HEADER, awards, bands, blanks, errors, indicators, lets, whens  # noqa: E402
from pingfen.loader import diagnose, loads  # noqa: E402
from pingfen.syntax import parser as syntax  # noqa: E402
from pingfen.syntax.parser import MAX_ARMS, MAX_CHARS, parser  # noqa: E402
from pingfen.syntax.scan import without_tests  # noqa: E402


def check(text: str) -> object:
    return diagnose(text, "x.rule")


def render(text: str) -> object:
    return "\n\n".join(d.render("en") for d in diagnose(text, "x.rule"))


def load_and_score(text: str) -> object:
    return loads(text, "x.rule", tests=False).evaluate({"x": 3, "b": True})


CASES: list[tuple[str, Callable[[int], str], Callable[[str], object], int]] = [
    ("bands, check", bands, check, 30),
    ("`when` arms, check", whens, check, 30),
    ("awards in one indicator, load + score", awards, load_and_score, 300),
    ("chained lets, load + score", lets, load_and_score, 300),
    ("indicators, check", indicators, check, 1000),
    ("undefined names, check + render", errors, render, 1000),
    ("blanks before a syntax error, check + render", blanks, render, 40_000),
    ("blanks, scan for scoring (without_tests)", lambda n: " " * n, without_tests, 1_000_000),
]


def timed(fn: Callable[[str], object], text: str, repeat: int = 3) -> float:
    """The least of `repeat` runs: other work on the machine only ever adds time."""
    best = float("inf")
    for _ in range(repeat):
        syntax._kept = ()  # parse keeps its last answers: each run parses the text
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every size by this (default 1)")
    args = ap.parse_args()
    parser()  # the LALR tables once, as a long-lived process has them
    print(f"{'case':46} {'n':>9} {'time':>9} {'10n':>9} {'time':>9} {'ratio':>7}")
    for name, make, fn, n in CASES:
        n = max(int(n * args.scale), 2)
        big = min(10 * n, MAX_ARMS) if make in (bands, whens) else 10 * n
        small = big // 10
        a, b = timed(fn, make(small)), timed(fn, make(big))
        print(f"{name:46} {small:>9} {a:>8.3f}s {big:>9} {b:>8.3f}s {b / a:>6.1f}×")
    print()
    print("at the limits:")
    dense = indicators(MAX_CHARS // 40)
    while len(dense) > MAX_CHARS:
        dense = dense[: dense.rindex("indicator")]
    print(f"  {dense.count('indicator'):,} indicators in {len(dense):,} characters, check: {timed(check, dense):.2f}s")
    print(f"  {MAX_ARMS} `when` arms of one value each, check:  {timed(check, whens(MAX_ARMS)):.2f}s")
    huge = HEADER + " " * 10_000_000 + "}"
    print(f"  {len(huge):,} characters, refused (PF008) in {timed(render, huge) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()

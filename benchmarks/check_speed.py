"""How much does checking add to parsing? Parse alone vs parse + check (names, units and
the soundness analysis) of the 2021 ruleset, timed in one run and reported as a ratio; then
how checking grows with an `if … else if …` chain: 22 arms against 11, which should cost about
twice as much (each arm was worked out twice, and 22 arms took 46 s: 2026-12-03).

    python benchmarks/check_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # a checkout, installed or not

from pingfen.check.passes import check  # noqa: E402
from pingfen.syntax import parser as syntax  # noqa: E402
from pingfen.syntax.parser import parse, parser  # noqa: E402

RULESET = Path(__file__).resolve().parents[1] / "rulesets" / "dept-overall-2021.rule"


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=200, help="timed runs of each (default 200)")
    args = ap.parse_args()
    text = RULESET.read_text(encoding="utf-8")
    parser()  # build the LALR tables once, as a long-lived process does

    def parse_only() -> object:
        syntax._kept = ()  # parse keeps its last answers: each run parses the text
        module, diagnostics = parse(text)
        assert module is not None and not diagnostics
        return module

    def parse_and_check() -> object:
        checked = check(parse_only())  # type: ignore[arg-type]
        assert checked.ok and not checked.diagnostics
        return checked

    for fn in (parse_only, parse_and_check):  # warm up
        fn()
    a = timed(parse_only, args.repeat)
    b = timed(parse_and_check, args.repeat)
    pa, pb = statistics.median(a), statistics.median(b)
    print(f"ruleset: {RULESET.name} ({len(text.splitlines())} lines)")
    print(f"parse           {pa * 1e3:8.2f} ms (median of {args.repeat}; min {min(a) * 1e3:.2f})")
    print(f"parse + check   {pb * 1e3:8.2f} ms (median of {args.repeat}; min {min(b) * 1e3:.2f})")
    print(f"ratio           {pb / pa:8.2f}x parse alone")

    def chain(arms: int) -> Callable[[], object]:
        rules = " ".join(f"if 率 >= {100 - i}% then {10 - i * 0.25} else" for i in range(arms))
        source = f'rubric "x" {{ total 10 }}\ninput 率: percent >= 0 and <= 100%\nindicator 甲 10 {{ score = {rules} 0 }}\n'

        def run() -> object:
            syntax._kept = ()
            module, _ = parse(source)
            assert module is not None
            return check(module)

        return run

    short, long = chain(11), chain(22)
    short(), long()
    ts, tl = (statistics.median(timed(fn, max(args.repeat // 10, 5))) for fn in (short, long))
    print(f"if chain        {tl * 1e3:8.2f} ms for 22 arms, {ts * 1e3:.2f} for 11: {tl / ts:.2f}x (linear: about 2)")


if __name__ == "__main__":
    main()

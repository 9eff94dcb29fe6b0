"""`pingfen --help` against `python -c pass`, in new processes, measured in the same run.

Issue 14, item 13: help should cost little more than starting Python (under 25 ms where
`python -c pass` takes 9 ms, a ratio of about 2.8). Which modules help imports is a test
(tests/test_user_lang.py); this measures the time.

    python benchmarks/help_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 25 / 9  # 25 ms where `python -c pass` takes 9 ms


def times(repeat: int) -> dict[str, list[float]]:
    """Wall time (ms) of each command, interleaved, after a warming run (byte code)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    main = "import sys; from pingfen.cli import main; sys.exit(main())"  # what the `pingfen` script runs
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "pingfen --help": [sys.executable, "-c", main, "--help"],
        "pingfen eval --help": [sys.executable, "-c", main, "eval", "--help"],
        "pingfen --help --lang en": [sys.executable, "-c", main, "--help", "--lang", "en"],
    }
    found: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as pycache:
        env["PYTHONPYCACHEPREFIX"] = pycache
        for command in commands.values():
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        for _ in range(repeat):
            for name, command in commands.items():
                start = time.perf_counter()
                subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
                found[name].append((time.perf_counter() - start) * 1e3)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    repeat = parser.parse_args().repeat
    found = times(repeat)
    bare = statistics.median(found["python -c pass"])
    print(f"new process, wall time (ms, median and least of {repeat}):")
    for name, values in found.items():
        median = statistics.median(values)
        print(f"  {name:28s} {median:6.1f} ms  (least {min(values):5.1f})   {median / bare:.2f}× python -c pass")
    ratio = statistics.median(found["pingfen --help"]) / bare
    print(f"\n  pingfen --help ≤ {TARGET:.1f}× python -c pass: {ratio:.2f}×  {'met' if ratio <= TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()

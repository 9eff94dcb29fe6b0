"""The code is typed and linted: `mypy --strict` and ruff run with the tests, so the README's
test command (and CI, which runs exactly it) enforces both."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


def test_mypy_strict_passes_on_src() -> None:
    done = run("mypy", "--strict", "--no-incremental", "src/pingfen")
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]


def test_ruff_passes() -> None:
    done = run("ruff", "check", "--no-cache", "src", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]

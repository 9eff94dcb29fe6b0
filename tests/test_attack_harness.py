"""The attack suite's own harness (tests/attack_cases.py `isolated`): a case that computes past
its limit is stopped by its CPU time, a case that only waits — as every case does on a loaded
machine — is not failed for it, and a case that hangs without computing is killed by the
wall-clock backstop."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

import attack_cases
from attack_cases import Case, isolated

CASE = Case("rule", "harness", rule=b"")


def _spin(case: Case, folder: Path | None = None) -> None:
    while True:
        pass


def _wait(seconds: float) -> Callable[[Case, Path | None], None]:
    def wait(case: Case, folder: Path | None = None) -> None:
        time.sleep(seconds)

    return wait


def test_a_case_that_computes_past_its_limit_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attack_cases, "run_case", _spin)  # the forked child runs the patched module
    started = time.monotonic()
    text = isolated(CASE, seconds=0.3)
    assert text is not None and "took over 0.3 s of CPU" in text
    assert time.monotonic() - started < 0.3 * attack_cases.WALL + 3


def test_waiting_does_not_count_against_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # 0.8 s of waiting under a 0.3 s limit: a wall-clock limit failed this, as it failed big
    # cases on a machine whose cores were busy with other work
    monkeypatch.setattr(attack_cases, "run_case", _wait(0.8))
    assert isolated(CASE, seconds=0.3) is None


def test_a_case_that_hangs_without_computing_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attack_cases, "run_case", _wait(3600))
    started = time.monotonic()
    text = isolated(CASE, seconds=0.2)
    spent = time.monotonic() - started
    assert text is not None and text.startswith("no answer within") and "(killed)" in text
    assert spent < 0.2 * attack_cases.WALL + 3 + 2

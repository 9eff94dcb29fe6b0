"""Shared test setup: hypothesis profiles, and a cache of the session's own.

    HYPOTHESIS_PROFILE=ci|dev|fuzz   picks a profile explicitly; otherwise `ci`.

`ci` is derandomized (the same examples on every run, with or without the CI variable) and
prints the blob needed to reproduce a failure; `dev` (random, more examples) and `fuzz`
(long local runs hunting for bugs) only when asked for.

The suite's parser tables and syntax trees go to a temporary XDG_CACHE_HOME, set before
collection (which already loads rubrics) and inherited by subprocesses, so that a test run
leaves nothing in the user's `~/.cache/pingfen`.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# `tests/strategies.py` is imported as a plain module by the property tests.
sys.path.insert(0, str(Path(__file__).resolve().parent))

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=50,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "fuzz",
    max_examples=5000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "ci")


def pytest_configure(config: pytest.Config) -> None:
    """A fresh cache directory for the whole session; the user's setting comes back after.
    And Ctrl-C as a terminal gives it: a run started in the background by a shell without job
    control (`cmd &` in a script, nohup) ignores SIGINT, and so would every process the tests
    start, where the Ctrl-C tests need it to interrupt (`pytest_configure` runs in each xdist
    worker too)."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a child started by exec gets SIG_DFL
    folder = tempfile.mkdtemp(prefix="pingfen-tests-cache-")
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = folder

    def restore() -> None:
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved
        shutil.rmtree(folder, ignore_errors=True)

    config.add_cleanup(restore)

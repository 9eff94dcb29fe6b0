"""Shared test setup: hypothesis profiles, a cache of the session's own, and the order xdist
hands the files out in (the longest first, the Spark files in one worker).

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
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


# The units of work that take longest, longest first (each file measured alone with
# --durations). Under the README's `-n auto --dist loadfile` they start first, while the many
# short files fill in beside them on the other core; xdist's own order (most tests first)
# started these files of one to sixteen tests last, each then finishing alone on one core.
LONGEST = (
    "spark",
    "test_sql_oracle.py",
    "test_properties.py",
    "test_engine_duckdb.py",
    "test_sql_postgres.py",
    "test_serve_browser.py",
    "test_lint.py",
    "test_sql_plan_cost.py",
    "test_oracle.py",
)
# The files that start a Spark session, run by one worker one after another (one unit, "spark"):
# the JVM the first starts serves the others' sessions, warm; a second worker's JVM would cost
# its start and warm-up again (about a minute of a file's time).
SPARK = (
    "test_spark.py",
    "test_spark_column_types.py",
    "test_spark_forms.py",
    "test_spark_forms_last.py",
    "test_spark_names.py",
)


def _unit(name: str) -> str:
    """The unit of work a test file belongs to: its own name, or "spark"."""
    return "spark" if name in SPARK else name


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest units first; then, as xdist would order them, the files with most tests.
    A file's own tests keep their order (the sort is stable), and a unit's files stay together."""
    counts: dict[str, int] = {}
    for item in items:
        counts[_unit(item.path.name)] = counts.get(_unit(item.path.name), 0) + 1
    first = {unit: place for place, unit in enumerate(LONGEST)}

    def place(item: pytest.Item) -> tuple[int, int, str]:
        unit = _unit(item.path.name)
        return first.get(unit, len(LONGEST)), -counts[unit], unit

    items.sort(key=place)


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadfile` with the Spark files as one unit, handed out in collection order."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return "spark" if Path(scope).name in SPARK else scope

    config.option.loadscopereorder = False  # else xdist sends the units with most tests first
    return Scheduling(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After the last of a run of Spark files, their JVM is shut down: its gateway's thread kept
    the worker's process threaded, and a later file's batch would not fork there (a batch forks
    only a process of one thread: test_batch_parallel failed, in whichever worker ran it next)."""
    result = yield
    if _unit(item.path.name) == "spark" and (nextitem is None or _unit(nextitem.path.name) != "spark"):
        _shut_down_spark()
    return result


def _shut_down_spark() -> None:
    """Stop the JVM the Spark sessions of this process shared, and its gateway's thread."""
    pyspark = sys.modules.get("pyspark")
    if pyspark is None:
        return
    context = pyspark.SparkContext
    gateway = context._gateway
    if gateway is None:
        return
    if context._active_spark_context is not None:
        context._active_spark_context.stop()
    threads = [t for t in threading.enumerate() if t is not threading.main_thread()]
    gateway.shutdown()
    process = getattr(gateway, "proc", None)
    if process is not None:  # the JVM ends when its standard input closes
        process.stdin.close()
        process.wait(timeout=60)
    context._gateway = None
    context._jvm = None
    for thread in threads:  # the gateway's thread ends a moment after: the next file must not start first
        thread.join(timeout=30)

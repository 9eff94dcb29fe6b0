"""Tests that meet a real system (a browser, fonts, …) use the real thing.

On a developer's machine without it such a test is skipped, saying how to install it; in CI
(the CI variable set) its absence fails the test, because `.ci/run` installs every part.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

F = TypeVar("F", bound=Callable[..., Any])


def real_part(name: str, present: bool, install: str) -> Callable[[F], F]:
    """Mark tests that need `name`: run them where it is, skip or (in CI) fail where it is not."""

    def mark(test: F) -> F:
        if present:
            return test
        if not os.environ.get("CI"):
            return pytest.mark.skip(reason=_not_installed(name, install))(test)

        @functools.wraps(test)
        def missing(*args: Any, **kwargs: Any) -> None:
            require(name, present, install)

        return missing  # type: ignore[return-value]  # same signature, via functools.wraps

    return mark


def require(name: str, present: bool, install: str) -> None:
    """Within a test, before its part that needs `name`: go on where it is; else skip the rest,
    or (in CI) fail, as `real_part` does for a whole test."""
    if present:
        return
    if not os.environ.get("CI"):
        pytest.skip(_not_installed(name, install))
    pytest.fail(f"{name} is missing in CI: .ci/run must install it ({install})")


def _not_installed(name: str, install: str) -> str:
    return f"{name} is not installed ({install})"


JVM_OPTIONS = "-XX:TieredStopAtLevel=1"  # the tests' JVM: C1 only, no C2 (not the product's setting)


def spark_session(name: str, cores: int = 2) -> Iterator[Any]:
    """A local Spark session for one test module (its `spark` fixture yields from this), stopped
    after it: `cores` threads and as many shuffle partitions, no web UI, quiet logs. Its JVM
    (started by the first session of a worker, kept by the next) compiles with the quick
    compiler only: the tests' queries run too briefly to repay the optimizing one, which cost
    about a quarter of the JVM's CPU in the 100,000-record test (`JVM_OPTIONS`)."""
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master(f"local[{cores}]").appName(name)
               .config("spark.sql.shuffle.partitions", str(cores)).config("spark.ui.enabled", "false")
               .config("spark.driver.memory", "1g").config("spark.driver.extraJavaOptions", JVM_OPTIONS)
               .getOrCreate())  # fmt: skip
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()

"""The suite's own schedule (tests/conftest.py): the files it names exist, and every file that
starts a Spark session is in the one Spark unit, so that a new one shares the warm JVM."""

from __future__ import annotations

import re
from pathlib import Path

import conftest

TESTS = Path(__file__).parent


def test_the_longest_units_are_files_of_the_suite() -> None:
    for unit in conftest.LONGEST:
        assert unit == "spark" or (TESTS / unit).is_file(), unit
    for name in conftest.SPARK:
        assert (TESTS / name).is_file(), name


def test_every_file_that_starts_spark_is_in_the_spark_unit() -> None:
    imports = re.compile(r"^from real_parts import .*\bspark_session\b", re.MULTILINE)
    starting = {path.name for path in TESTS.glob("test_*.py") if imports.search(path.read_text(encoding="utf-8"))}
    assert starting == set(conftest.SPARK)

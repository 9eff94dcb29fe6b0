"""DuckDB's tests take it from one place, `duckdb_helpers`: about nineteen files had each its own
`needs_duckdb`, others took it from test_engine_duckdb, and a few skipped with
`pytest.importorskip("duckdb")` or `find_spec` — which skipped in CI too, where a DuckDB missing
must fail the run (`real_parts`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from real_parts import real_part, require

TESTS = Path(__file__).resolve().parent
# Ways of asking for DuckDB other than duckdb_helpers' own
ASIDE = re.compile(r"""needs_duckdb\s*=|real_part\(\s*["']duckdb|importorskip\(\s*["']duckdb|find_spec\(\s*["']duckdb"""
                   r"""|from test_engine_duckdb import[^\n]*\b(?:duckdb|needs_duckdb)\b""")  # fmt: skip


def test_every_test_file_takes_duckdb_from_one_place() -> None:
    aside = sorted(p.name for p in TESTS.glob("*.py")
                   if p.name not in ("duckdb_helpers.py", Path(__file__).name) and ASIDE.search(p.read_text(encoding="utf-8")))  # fmt: skip
    assert aside == []
    users = [p for p in TESTS.glob("test_*.py") if "@needs_duckdb" in p.read_text(encoding="utf-8")]
    assert len(users) > 40 and all("from duckdb_helpers import" in p.read_text(encoding="utf-8") for p in users)


def test_a_part_missing_fails_in_ci_and_is_skipped_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="missing in CI"):
        require("duckdb", False, "pip install '.[test]'")
    with pytest.raises(pytest.fail.Exception, match="missing in CI"):
        real_part("duckdb", False, "pip install '.[test]'")(lambda: None)()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        require("duckdb", False, "pip install '.[test]'")

    def a_test() -> None:  # (a lambda is no test function to pytest's marks)
        pass

    skipped = real_part("duckdb", False, "pip install '.[test]'")(a_test)
    assert [m.name for m in getattr(skipped, "pytestmark", [])] == ["skip"]
    require("duckdb", True, "")  # present: the test goes on
    assert real_part("duckdb", True, "")(len) is len

"""What tests of DuckDB share, the one place every test file takes it from: DuckDB where it is
installed (`needs_duckdb` runs a test there, and skips or, in CI, fails it elsewhere;
`require_duckdb()` does so for the rest of a test), and a rubric of one input (`RULE`) that
`pingfen eval` scores alike with and without `--engine duckdb`."""

from __future__ import annotations

from typing import Any

from real_parts import real_part, require

try:
    import duckdb
except ImportError:  # a developer's machine without it: real_part skips
    duckdb = None

INSTALL = "pip install '.[test]'"
needs_duckdb = real_part("duckdb", duckdb is not None, INSTALL)


def require_duckdb() -> Any:
    """DuckDB for the rest of the test: skipped where it is not installed, failed in CI."""
    require("duckdb", duckdb is not None, INSTALL)
    return duckdb


RULE = """rubric "t" { total 10 }
input 满意度: percent >= 0 and <= 100%
indicator 满意 10 { score = 满意度 * 10 }
"""

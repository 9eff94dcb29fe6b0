"""What small tests of both engines share: DuckDB where it is installed (`needs_duckdb` runs a
test there, and skips or, in CI, fails it elsewhere), and a rubric of one input (`RULE`) that
`pingfen eval` scores alike with and without `--engine duckdb`."""

from __future__ import annotations

from real_parts import real_part

try:
    import duckdb
except ImportError:  # a developer's machine without it: real_part skips
    duckdb = None

needs_duckdb = real_part("duckdb", duckdb is not None, "pip install '.[test]'")

RULE = """rubric "t" { total 10 }
input 满意度: percent >= 0 and <= 100%
indicator 满意 10 { score = 满意度 * 10 }
"""

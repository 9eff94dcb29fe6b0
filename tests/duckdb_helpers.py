"""What tests of DuckDB share, the one place every test file takes it from: DuckDB where it is
installed (`needs_duckdb` runs a test there, and skips or, in CI, fails it elsewhere;
`require_duckdb()` does so for the rest of a test), a rubric of one input (`RULE`) that
`pingfen eval` scores alike with and without `--engine duckdb`, and files of ids each scored 7
by `SCORE_RULE` (`ids_parquet`, `ids_csv`), to tell which file a run read."""

from __future__ import annotations

from pathlib import Path
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


SCORE_RULE = """rubric "r" { total 10 }
input 分: number >= 0 and <= 10
indicator 甲 10 { score = 分 }
"""


def ids_parquet(path: Path, ids: list[str]) -> None:
    """A Parquet file of these ids, each with 分 = 7 (a DECIMAL)."""
    con = require_duckdb().connect()
    con.execute("CREATE TABLE t (id VARCHAR, 分 DECIMAL(18, 2))")
    con.executemany("INSERT INTO t VALUES (?, 7)", [(i,) for i in ids])
    con.execute(f"COPY t TO '{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
    con.close()


def ids_csv(path: Path, ids: list[str]) -> None:
    """A CSV file of these ids, each with 分 = 7."""
    path.write_text("id,分\n" + "".join(f"{i},7\n" for i in ids), encoding="utf-8")

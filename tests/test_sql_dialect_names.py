"""The query's names checked (PF805, PF809, PF810) as the dialect it is written in compares them
(`pingfen.sql.compiler.folding`): DuckDB and SQLite fold ASCII letters only, Spark folds all of
Unicode (tests/test_spark_names.py), PostgreSQL compares a quoted name exactly but reads its first
63 bytes only; a dialect not verified is held to `str.casefold`, a refusal rather than a wrong
column. Before, every dialect was checked as DuckDB: `A` and `a` were refused for PostgreSQL,
where the query's quoted names are two columns, and two names alike in their first 63 bytes,
one column there, were let through."""

from __future__ import annotations

import sqlite3

import pytest

import pingfen
from pingfen.sql import SqlRefusal, compiler
from pingfen.sql.compiler import fold, folding
from pingfen.sql.newforms import FormsCompiler

LONG = "甲" * 21  # 63 bytes in UTF-8


def _rule(first: str, second: str, rate: str = "rate") -> str:
    return ('rubric "名" {\n  total 20\n}\n' f"input {rate}: percent\n"
            f"indicator {first} 10 {{\n  bands {rate} {{\n    >= 90% -> 10\n    else -> 0\n  }}\n}}\n"
            f"indicator {second} 10 {{ award 10 if {rate} > 0 }}\n")  # fmt: skip


def _refused(first: str, second: str, dialect: str, rate: str = "rate") -> str | None:
    try:
        # the compiler itself: pingfen.sql writes duckdb and spark only (PF804), its checks hold for any
        compiler.to_sql_tree(pingfen.loads(_rule(first, second, rate), "a.rule", tests=False), dialect, kind=FormsCompiler)
    except SqlRefusal as refused:
        return refused.code
    return None


@pytest.mark.parametrize(("first", "second", "dialect", "code"), [
    ("A", "a", "duckdb", "PF809"), ("Ä", "ä", "duckdb", None), ("TOTAL", "乙", "duckdb", "PF805"),
    ("A", "a", "sqlite", "PF809"), ("Ä", "ä", "sqlite", None),
    ("A", "a", "postgres", None), ("Ä", "ä", "postgres", None), ("TOTAL", "乙", "postgres", None),
    ("_PF_x", "乙", "postgres", None), ("_pf_x", "乙", "postgres", "PF805"), ("total", "乙", "postgres", "PF805"),
    (LONG + "乙", LONG + "丙", "postgres", "PF809"), (LONG + "乙", LONG, "postgres", "PF809"), ("a" * 62 + "é", "a" * 62, "postgres", "PF809"),
    (LONG + "乙", LONG + "丙", "duckdb", None),
    ("Ä", "ä", "snowflake", "PF809"), ("ß", "ss", "snowflake", "PF809"), ("A", "a", "snowflake", "PF809"), ("甲", "乙", "snowflake", None),
])  # fmt: skip
def test_names_are_refused_as_the_dialect_compares_them(first: str, second: str, dialect: str, code: str | None) -> None:
    assert _refused(first, second, dialect) == code


@pytest.mark.parametrize(("rate", "dialect", "code"), [("_PF_rate", "duckdb", "PF810"), ("_PF_rate", "postgres", None), ("_pf_rate", "postgres", "PF810")])
def test_an_input_named_as_an_internal_column_as_the_dialect_compares_names(rate: str, dialect: str, code: str | None) -> None:
    assert _refused("甲", "乙", dialect, rate) == code


@pytest.mark.parametrize(("first", "second"), [("A", "a"), ("Ab", "aB"), ("Ä", "ä"), ("Σ", "σ"), ("\u212a", "k"), ("Ａ", "ａ"), ("ß", "ẞ")])
def test_sqlites_fold_is_sqlites(first: str, second: str) -> None:
    """SQLite binds a quoted name to another exactly where `folding("sqlite")` says they are one
    (a qualified name: an unqualified one it does not find would be read as a string)."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute(f'SELECT t."{second}" FROM (SELECT 1 AS "{first}") t').fetchall()
        bound = True
    except sqlite3.OperationalError:
        bound = False
    assert folding("sqlite") is fold and bound is (fold(first) == fold(second))

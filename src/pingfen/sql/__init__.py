"""The rubric compiled to SQL: one `SELECT` that scores a relation of records in a warehouse
(DuckDB, Spark, …), built as a sqlglot tree and written in each engine's dialect.
See docs/scale.md for the contract: totals and grades as evaluate() gives them."""

from pingfen.sql.exact import VERIFIED, SqlRefusal
from pingfen.sql.explain import Explainer, explain
from pingfen.sql.warehouse import to_sql, to_sql_tree

__all__ = ["VERIFIED", "Explainer", "SqlRefusal", "explain", "to_sql", "to_sql_tree"]

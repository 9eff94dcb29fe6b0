"""The generated SQL scores as evaluate() does, on random rubrics and records, on a real DuckDB:
the generated-rubric oracle (tests/test_oracle.py holds the compiled Python to the walker) run
against the SQL compiler. Every rule form the generator draws; the same refusal (first problem's
code and input) for a record evaluate() refuses; else the same total and grade, and each node's
score within 1e-18 (docs/scale.md)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import sqlhelp
from duckdb_helpers import duckdb, needs_duckdb
from strategies import random_rubrics


@needs_duckdb
@settings(max_examples=25, deadline=None)
@given(st.data())
def test_generated_rubrics_score_in_duckdb_as_evaluate_does(data: st.DataObject) -> None:
    # issue 10's and 11's forms: tests/test_sql_forms.py draws them
    drawn = random_rubrics(loose=True, applies=False, newer=False, outside=False, vetoes=False)
    sqlhelp.oracle(data, drawn, duckdb.connect())

"""Compiled evaluation equals the plain tree-walking oracle (`pingfen.evaluate.walker`), on random
rubrics and random records: every node's score (digit for digit), its clamping and its
reason records, the total, the grade — and, for a refused record, the same problems.

The rubrics come from the one generator (`tests/strategies.py`, with `when` chains that may
leave a record unscored) and use every rule form: bands, when chains (with and without
else), deductions per step with each counting and direction, counted deductions, awards,
deduct-if, match on labels, judgment, formulas, and lets with + - * / min max abs; some
rules carry a reason template. Records are mostly exact values (the fast path), sometimes
strings, floats and ints (the general path), now and then missing or out of their domain.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import pingfen
from oracle_check import walked
from pingfen.check.passes import check
from pingfen.evaluate.codegen import check_source
from pingfen.syntax.parser import parse
from strategies import loaded, random_rubrics


def scored(result: pingfen.Result) -> list[tuple[object, ...]]:
    """Everything a result says, digits included."""
    return [
        (n.name, str(n.score), n.clamped, n.explanations, n.reasons_in("zh"), n.reasons_in("en"))
        for n in result.nodes()
    ] + [(str(result.total), str(result.raw_total), result.grade)]


@given(st.data())
def test_compiled_evaluation_equals_the_oracle(data: st.DataObject) -> None:
    gen, rubric = loaded(data, random_rubrics(loose=True))
    text = gen.text
    check_source(rubric.program.source)
    module, _ = parse(text)
    assert module is not None
    checked = check(module)
    for _ in range(8):
        record = data.draw(gen.any_records, label="record")
        expected = walked(rubric, module, checked, text, record)
        if expected is None:  # refused by both alike
            continue
        result = rubric.evaluate(record)
        assert result == expected
        assert scored(result) == scored(expected)
        (batch,) = rubric.evaluate_many([record])
        assert batch == expected

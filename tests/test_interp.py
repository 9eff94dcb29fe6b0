"""The tracing interpreter against the compiled evaluator: the same scores for every
record of every generated rubric, and branch events that say what happened."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pingfen
from pingfen import ast
from pingfen.evaluate.interp import Disagreement, trace
from pingfen.syntax.formatter import format_module
from pingfen.testing import boundary_inputs, inputs
from rubric_strategies import rubrics

ROOT = Path(__file__).resolve().parents[1]
RUBRIC_2021 = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule")
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(rubrics().flatmap(lambda m: st.tuples(st.just(m), st.data())))
def test_interpreter_agrees_with_the_evaluator_on_generated_rubrics(drawn) -> None:  # type: ignore[no-untyped-def]
    module, data = drawn
    rubric = pingfen.loads(format_module(module))
    for _ in range(3):
        record = data.draw(boundary_inputs(rubric) if data.draw(st.booleans()) else inputs(rubric))
        trace(rubric, record)  # raises Disagreement on any difference


@SETTINGS
@given(boundary_inputs(RUBRIC_2021))
def test_interpreter_agrees_with_the_evaluator_on_the_2021_rubric(record: dict[str, object]) -> None:
    trace(RUBRIC_2021, record)


RUBRIC = """rubric "x" {
  total 10
  grade 好 >= 8
  grade 差 otherwise
}

input n: count
input p: percent >= 0
input ok: bool

group g 10 {
  indicator a 4 {
    deduct 1 per n
  }
  indicator b 3 {
    bands p {
      >= 90% -> 3
      < 90%  -> 1
    }
  }
  indicator c 3 {
    award 2 if ok
    award 1 if not ok
  }
}
"""


def events(record: dict[str, object]) -> set[tuple[str, tuple[object, ...]]]:
    rubric = pingfen.loads(RUBRIC)
    return set(trace(rubric, record)[1].events)


def test_events_name_the_branch_taken() -> None:
    assert events({"n": 0, "p": "95%", "ok": True}) == {
        ("a", ("within", 0)),
        ("b", ("band", 0, 0)),
        ("c", ("held", 0)),
        ("c", ("missed", 1)),
        ("", ("grade", "好")),
    }
    found = events({"n": 5, "p": "50%", "ok": False})
    assert {("a", ("over", 0)), ("a", ("clamped",)), ("b", ("band", 0, 1)), ("", ("grade", "差"))} <= found


def test_a_disagreement_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    rubric = pingfen.loads(RUBRIC)
    monkeypatch.setattr(ast.Band, "points", property(lambda self: ast.Number(Decimal(2))), raising=False)
    with pytest.raises(Disagreement):
        trace(rubric, {"n": 0, "p": "95%", "ok": True})

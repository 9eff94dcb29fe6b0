"""The one tree walker (`pingfen.evaluate.walker`): traced against the compiled evaluator, the
same scores for every record of every generated rubric and branch events that say what
happened; and every path that reads a record's inputs reads them as `Rubric.coerce` does."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pingfen
from pingfen import ast
from pingfen.coverage import Disagreement, trace
from pingfen.syntax.formatter import format_module
from pingfen.testing import boundary_inputs, inputs
from strategies import rubrics

ROOT = Path(__file__).resolve().parents[1]
RUBRIC_2021 = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule")
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(rubrics().flatmap(lambda m: st.tuples(st.just(m), st.data())))
def test_walker_agrees_with_the_evaluator_on_generated_rubrics(drawn) -> None:  # type: ignore[no-untyped-def]
    module, data = drawn
    rubric = pingfen.loads(format_module(module))
    for _ in range(3):
        record = data.draw(boundary_inputs(rubric) if data.draw(st.booleans()) else inputs(rubric))
        trace(rubric, record, ratios=True)  # raises Disagreement on any difference


@SETTINGS
@given(boundary_inputs(RUBRIC_2021))
def test_walker_agrees_with_the_evaluator_on_the_2021_rubric(record: dict[str, object]) -> None:
    trace(RUBRIC_2021, record, ratios=True)


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
    return set(trace(rubric, record)[1])


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


# ---------------------------------------------------------------- one input reader

DOMAIN = """rubric "x" { total 10 }
input p: percent >= 0 and <= 100%
input ok: bool
input a: count
input b: count > 0
let q = a / b
indicator i 10 {
  bands p { >= 90% -> 10  else -> 0 }
  deduct 2 if not ok
}
property i >= 0 when ok
"""


def test_fuzz_and_testing_read_inputs_as_evaluate_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """The property check of `pingfen fuzz` and the boundary search of `pingfen.testing` read a
    record through `Rubric.coerce`: an out-of-domain value is worded as `evaluate` words it,
    PF503 with the bound (the old reader of these paths said only `>=`)."""
    from pingfen import fuzz, testing
    from pingfen.errors import DataError
    from pingfen.evaluate.rubric import Rubric

    rubric = pingfen.loads(DOMAIN)
    bad = {"p": "120%", "ok": True, "a": 1, "b": 1}
    with pytest.raises(DataError) as evaluated:
        rubric.evaluate(bad)
    assert "(<= 100%)" in evaluated.value.describe("en")
    said: list[str] = []
    coerce = Rubric.coerce

    def spy(self: Rubric, data: object, names: object = None, *, record: str | None = None, ratios: bool = False) -> object:
        try:
            return coerce(self, data, names, record=record, ratios=ratios)  # type: ignore[arg-type]
        except DataError as error:
            said.append(error.describe("en"))
            raise

    monkeypatch.setattr(Rubric, "coerce", spy)
    claim = rubric.module.properties[0]
    assert isinstance(claim, ast.Claim)
    result = rubric.evaluate({**bad, "p": "95%"})
    fuzz._claim(rubric, bad, result, claim, "property")  # refused: the claim is not judged
    target = testing.Target(ast.Ref(ast.Name("q")), Decimal(1), "q")
    assert testing._predicate(rubric, bad, target, "a")(1) is None
    assert said == [evaluated.value.describe("en")] * 2


def test_an_expression_reads_only_the_lets_it_needs() -> None:
    """An expression is worked out over the inputs alone (the boundary search sets one input to
    values of its own, here b = 0): a `let` it does not read is never computed, and one it
    reads refuses with PF504 worded as evaluation words it, naming the divisor."""
    from pingfen.errors import DataError

    rubric = pingfen.loads(DOMAIN)
    values = rubric.coerce({"p": "95%", "ok": True, "a": 1, "b": 1}) | {"b": Decimal(0)}
    walker = rubric.walker()
    assert walker.expression(ast.Ref(ast.Name("ok")), values) is True
    with pytest.raises(DataError) as refused:
        walker.expression(ast.Compare(">", ast.Ref(ast.Name("q")), ast.Number(Decimal(1))), values)
    assert refused.value.problems[0].code == "PF504"
    assert refused.value.problems[0].args["divisor"] == "b"


# ---------------------------------------------------------------- no silent skip


def test_a_rule_of_an_unknown_kind_is_never_skipped() -> None:
    """Every branch of the walker on a kind of rule is exhaustive: a rule it does not know
    stops it (mypy names the site first, through assert_never) instead of scoring without it."""
    rubric = pingfen.loads(RUBRIC)
    indicator = next(n for n in rubric.module.top[0].children if n.name.text == "a")  # type: ignore[union-attr]
    strange = ast.Indicator(indicator.name, indicator.max, (object(),))  # type: ignore[arg-type]
    with pytest.raises(AssertionError):
        rubric.walker().node(strange, "en")


def test_without_a_sink_the_walker_scores_the_same() -> None:
    rubric = pingfen.loads(RUBRIC)
    record = {"n": 2, "p": "50%", "ok": False}
    events: list[object] = []
    traced = rubric.walker(events.append).evaluate(rubric.coerce(record))
    assert events and rubric.walker().evaluate(rubric.coerce(record)) == traced == rubric.evaluate(record)

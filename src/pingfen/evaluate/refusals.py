"""How an evaluator refuses a record it cannot score: a Refusal carrying the Problem,
turned into a DataError by the evaluator's entry point. The generated code, the tree
walker and the interpreter all raise this one class."""

from __future__ import annotations

from decimal import Decimal

from pingfen.errors import PingfenError, Problem
from pingfen.reasons import quantity


class Refusal(PingfenError):
    """Raised while scoring when a record cannot be scored; carries the Problem. Callers of
    `Rubric.evaluate` never see it: they get the DataError made from it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.problem.code}: {self.problem.message('en')}"


def refuse(problem: Problem) -> None:
    raise Refusal(problem)


def no_band(name: str, value: Decimal, unit: str) -> None:
    raise Refusal(Problem("PF505", None, {"name": name, "value": quantity(value, unit)}))


def no_label(name: str, label: str) -> None:
    raise Refusal(Problem("PF505", None, {"name": name, "value": label}))


def no_arm(name: str, shown: tuple[tuple[str, object, str], ...]) -> None:
    """No arm of a `when` chain holds: name the values its arms read."""
    value = ", ".join(f"{n} = {quantity(v, unit)}" for n, v, unit in shown)
    raise Refusal(Problem("PF505", None, {"name": name, "value": value}))

"""How generated code refuses a record it cannot score: a Refusal carrying the Problem,
turned into a DataError by the evaluator."""

from __future__ import annotations

from decimal import Decimal

from pingfen.errors import Problem
from pingfen.reasons import quantity


class Refusal(Exception):
    """Raised by generated code when a record cannot be scored; carries the Problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


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

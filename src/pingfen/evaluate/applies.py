"""What a scorer does with rows that may not apply (不适用): the checks the generated code
and the walker both make, on values `Rubric.coerce` gives (an `Absent` for an input left
out or marked). Which rows and inputs these are is worked out in `check.applies`.
"""

from __future__ import annotations

from pingfen import ast
from pingfen.absent import Absent
from pingfen.check.applies import Guard, Plan
from pingfen.check.applies import plan as _plan
from pingfen.check.passes import Checked
from pingfen.evaluate.refusals import Refusal

__all__ = ["Guard", "Plan", "first_marked", "plan", "present", "require"]


def plan(module: ast.Module, checked: Checked) -> Plan:
    return _plan(module, checked.symbols, checked.let_order)


def first_marked(names: tuple[str, ...], values: tuple[object, ...]) -> str | None:
    """The name of the first of these inputs whose value the data marks 不适用."""
    for name, value in zip(names, values, strict=True):
        if isinstance(value, Absent) and value.marked:
            return name
    return None


def require(*values: object) -> None:
    """Refuse the record with the problem of the first of these values that is missing."""
    for value in values:
        if isinstance(value, Absent) and value.problem is not None:
            raise Refusal(value.problem)


def present(*values: object) -> bool:
    """Whether none of these values is absent (a `let` over them can be worked out)."""
    return not any(isinstance(v, Absent) for v in values)

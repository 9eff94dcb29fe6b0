"""A value a record does not give for an input read only by rows that may not apply (不适用).

Such an input may be left out, or say `不适用` / `N/A`; it then reaches scoring as an
`Absent`: marked (the data says the row does not apply) or missing (with the problem a
missing value is refused with, raised only if a row that applies reads it).
"""

from __future__ import annotations

from pingfen.errors import Problem

# What a cell may say for "not applicable": compared stripped and case-folded.
NA_WORDS = frozenset({"不适用", "n/a", "na", "无此项"})


def says_not_applicable(raw: object) -> bool:
    """Whether a raw cell value marks its row not applicable."""
    return isinstance(raw, str) and raw.strip().casefold() in NA_WORDS


class Absent:
    """No value: `problem` None when the data marks it 不适用, else why it is missing."""

    __slots__ = ("problem",)

    def __init__(self, problem: Problem | None) -> None:
        self.problem = problem

    @property
    def marked(self) -> bool:
        return self.problem is None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Absent) and other.problem == self.problem

    def __hash__(self) -> int:
        return hash(self.problem)

    def __repr__(self) -> str:
        return "Absent(不适用)" if self.problem is None else f"Absent({self.problem.code})"


NOT_APPLICABLE = Absent(None)

"""A value a record does not give for an input read only by rows that may not apply (不适用).

Such an input may be left out, or say `不适用` / `N/A`; it then reaches scoring as an
`Absent`: marked (the data says the row does not apply) or missing (with the problem a
missing value is refused with, raised only if a row that applies reads it).
"""

from __future__ import annotations

from collections.abc import Mapping

from pingfen.errors import DataError, Problem

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


class SheetRecord(dict[str, object]):
    """A workbook's row as a record (a dict like any other) that knows which of its blank cells
    hold a formula with no saved result: `formulas`, column → (file, sheet, cell). Wherever it is
    scored (`Rubric.evaluate`, and so `evaluate_many`, `pingfen report`) or audited, a refusal
    of it for such an input is said to be one (`refused`): PF534, as `pingfen eval` says it."""

    __slots__ = ("formulas",)

    def __init__(self, values: Mapping[str, object], formulas: Mapping[str, tuple[str, str, str]]) -> None:
        super().__init__(values)
        self.formulas = formulas

    def refused(self, error: DataError) -> DataError:
        return uncomputed(error, self.formulas)

    def copy(self) -> SheetRecord:  # dict.copy would be a plain dict, its formulas lost
        return SheetRecord(self, self.formulas)

    def __reduce__(self) -> tuple[type[SheetRecord], tuple[dict[str, object], Mapping[str, tuple[str, str, str]]]]:
        # pickled at any protocol as what it is made of, its formulas kept: protocols 0 and 1
        # refuse a class with __slots__ and no __getstate__
        return SheetRecord, (dict(self), self.formulas)


def uncomputed(error: DataError, formulas: Mapping[str, tuple[str, str, str]]) -> DataError:
    """`error` as the refusal of a row whose cells `formulas` hold formulas with no saved result
    (read as blank): a missing input (PF501) whose cell is one is said to be one (PF534),
    naming the file, the sheet and the cell. The one wording of it, for every reader of such a row."""
    if not formulas:
        return error
    problems = [_uncomputed(p, formulas[p.input]) if p.code == "PF501" and p.input is not None and p.input in formulas
                else p for p in error.problems]  # fmt: skip
    return DataError(problems, error.record)


def _uncomputed(missing: Problem, where: tuple[str, str, str]) -> Problem:
    path, sheet, cell = where
    args = {"input": missing.input, "path": path, "sheet": sheet, "cell": cell}
    return Problem("PF534", missing.input, args, "uncomputed_formula")

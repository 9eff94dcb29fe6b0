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


# A blank cell in merged cells: (sheet, cell, range, the range's first cell, the hint's key:
# `merged_cell`, or `merged_header` for a range that begins in the header row).
Merged = tuple[str, str, str, str, str]


class SheetRecord(dict[str, object]):
    """A workbook's row as a record (a dict like any other) that knows which of its blank cells
    hold a formula with no saved result: `formulas`, column → (file, sheet, cell); and which lie
    in merged cells below or right of the one that holds the value: `merged`, column → (sheet,
    cell, range, first cell). Wherever it is scored (`Rubric.evaluate`, and so `evaluate_many`,
    `pingfen report`) or audited, a refusal of it for such an input says so (`refused`): PF534,
    and PF501 with the merge as its hint, as `pingfen eval` says them."""

    __slots__ = ("formulas", "merged")

    def __init__(
        self, values: Mapping[str, object], formulas: Mapping[str, tuple[str, str, str]],
        merged: Mapping[str, Merged] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(values)
        self.formulas = formulas
        self.merged = {} if merged is None else merged  # a sheet's row's: worked out only if asked (`io.tables.RowMerges`)

    def refused(self, error: DataError) -> DataError:
        return in_merged(uncomputed(error, self.formulas), self.merged)

    def copy(self) -> SheetRecord:  # dict.copy would be a plain dict, its formulas lost
        return SheetRecord(self, self.formulas, self.merged)

    def __reduce__(self) -> tuple[type[SheetRecord], tuple[object, ...]]:
        # pickled at any protocol as what it is made of, its formulas kept: protocols 0 and 1
        # refuse a class with __slots__ and no __getstate__
        return SheetRecord, (dict(self), self.formulas, dict(self.merged))


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


def in_merged(error: DataError, merged: Mapping[str, Merged]) -> DataError:
    """`error` as the refusal of a row whose blank cells `merged` lie in merged cells, whose first
    cell alone can hold the value (a figure merged down over several rows): a missing input
    (PF501) whose cell is one says so in its hint, naming the cells, and how to mend them."""
    if not any(p.code == "PF501" for p in error.problems):  # a row's merged cells are looked up only for a missing input
        return error
    problems = [_in_merged(p, merged[p.input]) if p.code == "PF501" and p.input is not None and p.input in merged
                else p for p in error.problems]  # fmt: skip
    if all(new is old for new, old in zip(problems, error.problems, strict=True)):
        return error  # no input of it merged (nearly every row): not a second error for each
    return DataError(problems, error.record)


def _in_merged(missing: Problem, where: Merged) -> Problem:
    sheet, cell, span, first, hint = where
    return Problem("PF501", missing.input, {**missing.args, "sheet": sheet, "cell": cell, "range": span,
                                            "first": first}, hint)  # fmt: skip

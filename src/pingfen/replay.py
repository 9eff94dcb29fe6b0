"""Last year's data under two versions of a rubric: who changes score and grade, and why.

Every record is scored under both, as `pingfen eval` scores the file (`batch.score_rows`:
values across the batch worked out over every record first); a unit whose total or grade
differs is kept with the indicators whose scores differ (a renamed indicator is compared
with its old self, as the semantic diff pairs them), and so is a unit that one version
refuses and the other scores (an input only the new version reads, say). Units both
versions score alike are counted, not kept, so a long file costs little memory (unless a
version reads the whole batch first, as eval does then).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Literal, TextIO, TypeAlias

from attrs import define, field, frozen

from pingfen.ast import AppliesMode, Header, OutsideKind
from pingfen.batch import Scored, indicator_names, score_rows
from pingfen.diff import diff
from pingfen.errors import DataError, Problem
from pingfen.evaluate.rubric import Rubric
from pingfen.io.headers import unnamed_header
from pingfen.io.records import read_department
from pingfen.io.tables import Row, is_table, read_rows
from pingfen.lang import Lang
from pingfen.progress import Progress
from pingfen.reasons import shown
from pingfen.result import NodeResult, Result, VetoLine
from pingfen.values import PLACES

Direction = Literal["up", "down", "other"]
HeaderPart = Literal["grades", "cap", "rounding"]


@frozen
class RowChange:
    """An indicator whose score differs: its name (the new one; the old one if it is gone),
    its old name when it was renamed, and both scores (None where the rubric lacks it). A
    bonus, penalty or adjust row (加分项, 扣分项, 加减分项) has its `kind`, and what it adds to
    the total for its scores (a penalty: the points it takes, -2), as eval's columns show it.
    `old_applies`/`new_applies` are False where the row does not apply (不适用): its score is
    then what it counts as, and it is shown 不适用, as eval shows it. Where it applies under
    neither version, `old_mode`/`new_mode` say what it counts as under each (its own `applies`
    mode, or the one of the row it is left out with): a change of mode alone (rescale → zero)
    moves the total with both scores 0."""

    name: str
    old: Decimal | None
    new: Decimal | None
    old_name: str | None = None
    kind: OutsideKind | None = None
    old_applies: bool = True
    new_applies: bool = True
    old_mode: AppliesMode | None = None
    new_mode: AppliesMode | None = None

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "old_name": self.old_name, "kind": self.kind, "old": self.old, "new": self.new,
                "old_applies": self.old_applies, "new_applies": self.new_applies,
                "old_mode": self.old_mode, "new_mode": self.new_mode}  # fmt: skip


@frozen
class VetoChange:
    """A 一票否决 line that held for a unit under one version and not the other, or that held
    under both and does another thing: its name and what it did under each (None: it did not hold)."""

    name: str
    old: VetoLine | None
    new: VetoLine | None

    def to_dict(self) -> dict[str, object]:
        def did(line: VetoLine | None) -> dict[str, object] | None:
            return None if line is None else {"action": line.action, "grade": line.grade}

        return {"name": self.name, "old": did(self.old), "new": did(self.new)}


@frozen
class HeaderChange:
    """A change of the rubric header that moved a unit with no row or veto of its own to show
    for it: the grades (`part` "grades", both sides None: the lines are the rubric's), the cap
    (`cap total`, None where there is none) or the total's rounding (places and mode)."""

    part: HeaderPart
    old: str | None = None
    new: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"part": self.part, "old": self.old, "new": self.new}


@frozen
class Outcome:
    """What one version made of a unit: its total and grade, or the error that refused it."""

    total: Decimal | None
    grade: str | None
    error: DataError | None = None

    def to_dict(self, lang: Lang) -> dict[str, object]:
        error = None if self.error is None else self.error.describe(lang)
        return {"total": self.total, "grade": self.grade, "error": error}


@frozen
class Unit:
    """A unit whose outcome changed: its id (or row label), row number, both outcomes, the
    rows that caused it (indicators, then bonus, penalty and adjust rows), which way its grade
    went (None when it kept it), the vetoes that held under one version only, or did
    another thing, and the header's changes that moved it (the grades, the cap, the rounding)."""

    id: str
    row: int
    old: Outcome
    new: Outcome
    rows: tuple[RowChange, ...]
    direction: Direction | None
    vetoes: tuple[VetoChange, ...] = ()
    header: tuple[HeaderChange, ...] = ()

    @property
    def refused(self) -> bool:
        """Refused by one version and scored by the other."""
        return (self.old.error is None) != (self.new.error is None)

    def to_dict(self, lang: Lang) -> dict[str, object]:
        return {
            "id": self.id, "row": self.row, "old": self.old.to_dict(lang), "new": self.new.to_dict(lang),
            "grade": self.direction, "rows": [r.to_dict() for r in self.rows],
            "vetoes": [v.to_dict() for v in self.vetoes], "header": [h.to_dict() for h in self.header],
        }  # fmt: skip


@define
class Replay:
    """Every record's outcome under both versions, counted; the units that changed, kept."""

    records: int = 0
    units: list[Unit] = field(factory=list)
    score_changed: int = 0
    grade_changed: int = 0
    down: int = 0
    up: int = 0
    other: int = 0  # a grade renamed, or otherwise neither higher nor lower
    refused_old_only: int = 0
    refused_new_only: int = 0
    refused_both: int = 0
    # the first unit both versions refuse, and why (the new version's words): shown when no
    # unit is scored by either, so that the run says why nothing was compared
    first_refused: tuple[str, DataError] | None = None

    @property
    def grades_differ(self) -> bool:
        """A unit's grade changed, or one version grades a unit the other refuses: for CI, exit 1."""
        return bool(self.grade_changed or self.refused_old_only or self.refused_new_only)

    @property
    def compared_none(self) -> bool:
        """No unit was scored by either version (no records, or every one refused by both): the
        run compared nothing, which a check must not take for "no grade changes" (exit 1)."""
        return self.records == self.refused_both

    def summary(self, lang: Lang) -> str:
        """`140 个单位中 12 个等次变化：8 个降低，4 个提高`, then what else changed."""
        if lang == "zh":
            text = f"{self.records} 个单位中 {self.grade_changed} 个等次变化：{self.down} 个降低，{self.up} 个提高"
            extra = [
                (self.other, "{} 个等次名称变化"), (self.score_changed, "{} 个得分变化"),
                (self.refused_new_only, "{} 个新版无法评分"), (self.refused_old_only, "{} 个原版无法评分"),
                (self.refused_both, "{} 个两版均无法评分"),
            ]  # fmt: skip
            sep = "；"
        else:
            text = f"{self.grade_changed} of {self.records} units change grade: {self.down} down, {self.up} up"
            extra = [
                (self.other, "{} renamed"), (self.score_changed, "{} change score"),
                (self.refused_new_only, "{} refused by the new version only"),
                (self.refused_old_only, "{} refused by the old version only"),
                (self.refused_both, "{} refused by both"),
            ]  # fmt: skip
            sep = "; "
        if self.other:
            text += ("，" if lang == "zh" else ", ") + extra[0][1].format(self.other)
        return sep.join([text, *(words.format(n) for n, words in extra[1:] if n)])

    def to_dict(self, lang: Lang) -> dict[str, object]:
        counts = {
            "records": self.records, "score_changed": self.score_changed, "grade_changed": self.grade_changed,
            "down": self.down, "up": self.up, "other": self.other, "refused_old_only": self.refused_old_only,
            "refused_new_only": self.refused_new_only, "refused_both": self.refused_both,
            "compared": self.records - self.refused_both,  # units scored by one version at least: 0 exits 1
        }  # fmt: skip
        return {**counts, "summary": self.summary(lang), "units": [u.to_dict(lang) for u in self.units]}


def replay(
    old: Rubric, new: Rubric, rows: Iterable[Row], *, lang: Lang = "zh", progress: TextIO | None = None,
    total: int | None = None,
) -> Replay:  # fmt: skip
    """Score every row under both rubrics and gather what changed. `progress` is where a bar
    is drawn for long runs (a terminal only), `total` the rows expected, if known."""
    pairs = dict(diff(old, new).rows)
    compared = _compared(old, new, pairs)
    ranks = _Ranks(old, new)
    header = _Header(old, new)
    found = Replay()
    bar = Progress(progress, total, lang=lang)
    # Each version scores the rows as `pingfen eval` does (`score_rows`): with the values across
    # the batch (`let 基准价 = batch min(报价)`) worked out over every row first, where it has any.
    # The two read one stream, a row apart at most (all of it where one reads the batch first).
    mine, theirs = itertools.tee(rows)
    try:
        for a, b in zip(score_rows(old, mine, lang), score_rows(new, theirs, lang), strict=True):
            bar.step()
            found.records += 1
            row, before, after = a.row, _outcome_of(a), _outcome_of(b)
            if isinstance(before, DataError) and isinstance(after, DataError):
                found.refused_both += 1
                if found.first_refused is None:
                    found.first_refused = (row.label(lang), after)
                continue
            unit = _unit(row, before, after, compared, ranks, header, lang)
            if unit is not None:
                _count(found, unit)
                found.units.append(unit)
    finally:
        bar.close()
    return found


def replay_file(
    old: Rubric, new: Rubric, data: str | Path, *, lang: Lang = "zh", encoding: str | None = None,
    id_column: str | None = None, progress: TextIO | None = None,
) -> Replay:  # fmt: skip
    """`replay` over any data file `pingfen eval` reads: a JSON/YAML record, or a
    CSV/XLSX/JSONL batch. Raises DataError when the file cannot be read at all."""
    if is_table(data):
        table = read_rows(data, encoding=encoding, id_column=id_column)
        unnamed = unnamed_header(new, table)  # PF531, as eval: a header naming no input of either version
        if unnamed is not None and (before := unnamed_header(old, table)) is not None:
            if (before.code, before.message("en")) == (unnamed.code, unnamed.message("en")):
                raise DataError([unnamed])
            # Each version's own refusal, named (the new one's PF531 was shown where the old one's was PF532)
            args = {"path": str(data), "old": old.source.path, "new": new.source.path,
                    "old_code": before.code, "new_code": unnamed.code}  # fmt: skip
            raise DataError([Problem("PF533", None, args), before, unnamed])
        return replay(old, new, table, lang=lang, progress=progress, total=table.total)
    department, record = read_department(data, id_column=id_column, command="diff --replay")
    return replay(old, new, [Row(1, department, record)], lang=lang)


def _outcome_of(scored: Scored) -> Result | DataError:
    if scored.result is not None:
        return scored.result
    assert scored.error is not None  # a row is scored or refused
    return scored.error


# An indicator as (old name, new name), or a row after the tree as (old name, new name, its kind).
_Compared: TypeAlias = tuple[str | None, str | None, OutsideKind | None]


def _compared(old: Rubric, new: Rubric, pairs: dict[str, str]) -> tuple[_Compared, ...]:
    """Each indicator as (old name, new name, None): matched ones together, then those in one
    only; then each row after the tree (加分项, 扣分项, 加减分项) by its name, with its kind."""
    kept_new = indicator_names(new)
    back = {n: o for o, n in pairs.items()}
    found: list[_Compared] = [(back.get(n), n, None) for n in kept_new]
    found += [(o, None, None) for o in indicator_names(old) if o not in pairs or pairs[o] not in kept_new]
    before = {spec.name: kind for kind, spec in old.outside}
    after = {spec.name: kind for kind, spec in new.outside}
    found += [(n if n in before else None, n, kind) for n, kind in after.items()]
    found += [(n, None, kind) for n, kind in before.items() if n not in after]
    return tuple(found)


def _unit(
    row: Row, before: Result | DataError, after: Result | DataError, compared: tuple[_Compared, ...],
    ranks: _Ranks, header: _Header, lang: Lang,
) -> Unit | None:  # fmt: skip
    old, new = _outcome(before), _outcome(after)
    if old.error is None and new.error is None and (old.total, old.grade) == (new.total, new.grade):
        return None
    rows: tuple[RowChange, ...] = ()
    vetoes: tuple[VetoChange, ...] = ()
    moved: tuple[HeaderChange, ...] = ()
    if isinstance(before, Result) and isinstance(after, Result):
        rows = tuple(_rows(before, after, compared))
        vetoes = tuple(_vetoes(before, after))
        moved = header.changes(before, after, explained=bool(rows or vetoes))
    scored = old.error is None and new.error is None
    direction = ranks.direction(old, new) if scored and old.grade != new.grade else None
    return Unit(row.label(lang), row.number, old, new, rows, direction, vetoes, moved)


def _outcome(scored: Result | DataError) -> Outcome:
    if isinstance(scored, DataError):
        return Outcome(None, None, scored)
    return Outcome(scored.total, scored.grade)


def _rows(before: Result, after: Result, compared: tuple[_Compared, ...]) -> Iterator[RowChange]:
    a, b = before.scores(), after.scores()
    # a row after the tree counts for what it adds to the total (a penalty: minus what it took)
    outside_a = {line.node.name: line.points for line in before.outside()}
    outside_b = {line.node.name: line.points for line in after.outside()}
    modes: tuple[dict[str, AppliesMode], dict[str, AppliesMode]] | None = None  # read only where needed: explains both
    for old_name, new_name, kind in compared:
        x = None if old_name is None else (a if kind is None else outside_a)[old_name]
        y = None if new_name is None else (b if kind is None else outside_b)[new_name]
        # a row that does not apply counts as its max or 0: shown 不适用, and a change as well
        # when only that differs (a 0 that applied, a 0 left out of a re-scaled sum)
        ax = old_name is None or kind is not None or before.applies(old_name)
        ay = new_name is None or kind is not None or after.applies(new_name)
        mx = my = None
        if not ax and not ay:  # under neither: what it counts as may change with both scores alike
            assert old_name is not None and new_name is not None
            modes = modes or (_modes(before), _modes(after))
            mx, my = modes[0][old_name], modes[1][new_name]
        if x != y or ax != ay or mx != my:
            shown = new_name if new_name is not None else old_name
            assert shown is not None
            renamed = old_name if old_name is not None and new_name is not None and old_name != new_name else None
            yield RowChange(shown, x, y, renamed, kind, ax, ay, mx, my)


_MODES: dict[object, AppliesMode] = {"full": "full", "zero": "zero", "rescale": "rescale"}  # a reason's mode, typed


def _modes(result: Result) -> dict[str, AppliesMode]:
    """What each row that does not apply counts as: the mode of the row whose `applies` left it
    out (itself or a group above it: its reason says which), or rescale where it dropped out
    because none of its parts applies."""
    found: dict[str, AppliesMode] = {}
    stack: list[tuple[NodeResult, AppliesMode | None]] = [(n, None) for n in result.children]
    while stack:
        node, above = stack.pop()
        if node.applies:
            stack += [(c, None) for c in node.children]
            continue
        said = next((_MODES[r.site.facts["mode"]] for r in node.explanations if r.kind == "not_applicable"), None) if above is None else above
        found[node.name] = said or "rescale"
        stack += [(c, said) for c in node.children]
    return found


def _vetoes(before: Result, after: Result) -> Iterator[VetoChange]:
    """The vetoes that held under one version only, or held under both and did another thing
    (`-> zero` become `-> grade 差`), in the order of the old rubric, then of the new."""
    a = {line.name: line for line in before.vetoes()}
    b = {line.name: line for line in after.vetoes()}
    for name in dict.fromkeys([*a, *b]):
        x, y = a.get(name), b.get(name)
        if (x is None) != (y is None) or (x is not None and y is not None and (x.action, x.grade) != (y.action, y.grade)):
            yield VetoChange(name, x, y)


def _count(found: Replay, unit: Unit) -> None:
    old, new = unit.old, unit.new
    if old.error is not None:
        found.refused_old_only += 1
    elif new.error is not None:
        found.refused_new_only += 1
    else:
        if old.total != new.total:
            found.score_changed += 1
        if unit.direction is not None:
            found.grade_changed += 1
            setattr(found, unit.direction, getattr(found, unit.direction) + 1)


class _Header:
    """Which of the header's changes moved a unit: the rounding when the two round its total
    apart, the cap when its total is at the cap of either version, the grades when the two
    grade its new total apart (or, their lines changed, when nothing else says why its grade did)."""

    def __init__(self, old: Rubric, new: Rubric) -> None:
        self.old, self.new = old, new
        a, b = old.module.header or Header(""), new.module.header or Header("")
        self.grades = a.grades != b.grades  # their conditions too: nodes compare without spans
        self.cap = None if old.cap == new.cap else HeaderChange("cap", _text(old.cap), _text(new.cap))
        places = [_text(h.round_places.value) if h.round_places else str(PLACES) for h in (a, b)]
        self.rounding = None
        if (places[0], a.round_mode) != (places[1], b.round_mode):
            same = a.round_mode == b.round_mode  # then the places alone are shown
            self.rounding = HeaderChange("rounding", places[0] if same else f"{places[0]} {a.round_mode}",
                                         places[1] if same else f"{places[1]} {b.round_mode}")  # fmt: skip

    def changes(self, before: Result, after: Result, *, explained: bool) -> tuple[HeaderChange, ...]:
        found: list[HeaderChange] = []
        if self.rounding is not None and any(
            self.old.round_total(raw) != self.new.round_total(raw) for raw in (before.raw_total, after.raw_total)
        ):
            found.append(self.rounding)
        if self.cap is not None and (before.raw_total == self.old.cap or after.raw_total == self.new.cap):
            found.append(self.cap)
        if self.grades and before.grade != after.grade and (
            self.old.grade_for(after.total) != self.new.grade_for(after.total) or not (explained or found)
        ):
            found.insert(0, HeaderChange("grades"))
        return tuple(found)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else shown(value)


class _Ranks:
    """Which way a grade went: by the grades' order in the new header (the first, highest),
    else in the old one; grades of different names at the same rank went neither way."""

    def __init__(self, old: Rubric, new: Rubric) -> None:
        self.old = {g[0]: i for i, g in enumerate(old.grades)}
        self.new = {g[0]: i for i, g in enumerate(new.grades)}

    def direction(self, old: Outcome, new: Outcome) -> Direction:
        a, b = old.grade, new.grade
        if a is None or b is None:
            return self._by_total(old, new)
        for ranks in (self.new, self.old):
            if a in ranks and b in ranks:
                return "down" if ranks[b] > ranks[a] else "up"
        if a in self.old and b in self.new and self.old[a] != self.new[b]:
            return "down" if self.new[b] > self.old[a] else "up"
        return self._by_total(old, new)

    @staticmethod
    def _by_total(old: Outcome, new: Outcome) -> Direction:
        if old.total is None or new.total is None or old.total == new.total:
            return "other"
        return "down" if new.total < old.total else "up"

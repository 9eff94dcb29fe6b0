"""Reports for a whole batch: one report per unit in a folder, and the summary workbook.

`pingfen report RULESET departments.xlsx -o 报告/` runs `report_folder`. The folder is checked
first (`io.write.writable_folder`); then the data is read twice. The first reading scores each row
(`batch.score_rows`) and names its report from its id (`file_name`), keeping only the names, and
every file the run will write is checked (`io.write.refuse_target`: a read-only one, a folder in
the way), so a refusal leaves the folder as it was. The second scores each row again and writes
its report at once, atomically; it must read the same file (`io.tables.identity`) and the same
rows, else PF537. A row that cannot be scored gets no report but a line in the summary's error
column. The summary (汇总.xlsx) ranks the units that were scored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from attrs import evolve, frozen

from pingfen.batch import Summary, score_rows
from pingfen.errors import DataError, OutputError, Problem
from pingfen.evaluate.rubric import Rubric
from pingfen.io.headers import header_problem
from pingfen.io.records import read_department, several
from pingfen.io.tables import Row, identity, is_table, read_rows, renamed
from pingfen.io.write import refuse_inputs, refuse_target, writable_folder
from pingfen.lang import Lang, counted
from pingfen.oserrors import OSReason
from pingfen.progress import Progress
from pingfen.report import FORMATS, Filing, write_report
from pingfen.report.summary import UnitLine, write_summary
from pingfen.result import not_applicable

SUMMARY = {"zh": "汇总.xlsx", "en": "summary.xlsx"}
MAX_NAME_BYTES = 120  # well under the 255 bytes file systems allow, suffix and "-2" included

# Path separators, controls (C0, DEL, C1), what Windows forbids in a name, and bidi controls
# that would show a name in another order than it is.
_UNSAFE = re.compile('[\x00-\x1f\x7f-\x9f/\\\\:*?"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}


def file_name(unit: str, suffix: str, used: set[str], fallback: str = "unit") -> str:
    """A file name for `unit`'s report that no other in `used` has (compared as a case-blind file
    system would): no path separators or controls, no leading dot, at most MAX_NAME_BYTES bytes.
    The name is added to `used`."""
    stem = _UNSAFE.sub("_", unit).strip().lstrip(".").rstrip(". ")  # Windows drops trailing dots and spaces
    if not stem:
        stem = fallback
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    while len(stem.encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    name, n = f"{stem}.{suffix}", 2
    while name.casefold() in used:
        name, n = f"{stem}-{n}.{suffix}", n + 1
    used.add(name.casefold())
    return name


def _identity(data: str | Path) -> tuple[int, ...] | None:
    """The data file as it is now (`io.tables.identity`: device, inode, size, time of change), so
    that the rows written are those checked; None when it cannot be opened (gone, say)."""
    try:
        with Path(data).open("rb") as handle:
            return identity(handle.fileno())
    except OSError:
        return None


def _changed(data: str | Path, reports: int) -> DataError:
    """PF537: the data file changed between the pass that checked the run and the one writing it,
    `reports` reports written before it was seen (kept: each is whole, of the rows it read)."""
    if reports == 0:
        written = {"written": "no file was written", "written_zh": "未写出任何文件"}
    else:
        were = f"{counted(str(reports), 'report')} {'was' if reports == 1 else 'were'} written"
        written = {"written": f"{were}; the summary was not", "written_zh": f"已写出 {reports} 份报告，未写出汇总"}
    return DataError([Problem("PF537", None, {"path": str(data), **written})])


def _made(folder: Path, made: list[Path]) -> None:
    """`folder.mkdir(parents=True, exist_ok=True)`, step for step as pathlib does it, each folder
    its own mkdir made put in `made` (deepest first): not one that was there, nor one another
    process made meanwhile, nor the `b` of `a/../b` that was there while `a` was not."""
    try:
        folder.mkdir()
    except FileNotFoundError:
        if folder.parent == folder:
            raise
        _made(folder.parent, made)
        try:
            folder.mkdir()
        except FileExistsError:
            if not folder.is_dir():
                raise
            return
    except FileExistsError:
        if not folder.is_dir():
            raise
        return
    made.insert(0, folder)


def _unmade(folders: Sequence[Path]) -> None:
    """Remove `folders` (deepest first) that this run made and wrote nothing into: each only
    while it is empty (rmdir), so nothing another hand put there meanwhile is lost."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def ranks(totals: Sequence[Decimal]) -> list[int]:
    """Each total's rank, highest first; equal totals share a rank and the next is skipped (1, 2, 2, 4)."""
    ordered = sorted(totals, reverse=True)
    first: dict[Decimal, int] = {}
    for place, total in enumerate(ordered, start=1):
        first.setdefault(total, place)
    return [first[t] for t in totals]


@frozen
class Written:
    """What a folder run did: the rows (`summary`, with the refused ones), and the files written."""

    summary: Summary
    reports: int
    summary_path: Path


def report_folder(
    rubric: Rubric, data: str | Path, folder: str | Path, fmt: str = "docx", *, lang: Lang = "zh",
    filing: Filing | None = None, encoding: str | None = None, id_column: str | None = None,
    progress: TextIO | None = None, inputs: Iterable[str | Path] = (), shown: str | None = None,
) -> Written:  # fmt: skip
    """Score every row of `data` and write one `fmt` report per unit into `folder` (made if
    missing), then the summary workbook. `filing` gives the year and the evaluation date; each
    report names its own unit. `inputs` (the rule file) are never written over, nor is `data`.
    `shown` is the name a row's problem gives `data` (the workbench's upload: the name chosen)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = Path(folder)
    if fmt == "pdf":  # PF710 before anything is read
        from pingfen.report.pdf import require_chromium

        require_chromium(out)
    if out.exists() and not out.is_dir():
        raise OutputError("PF704", str(out), {"reason": "it is a file, not a folder",
                                              "reason_zh": "它是文件，不是文件夹"})  # fmt: skip
    guarded = [data, *inputs]
    summary_path = out / SUMMARY[lang]
    # the folder and the summary checked before a row is read, as a run of any length would want
    writable_folder(out)
    refuse_inputs(summary_path, guarded)
    refuse_target(summary_path)
    rows: Callable[[], Iterable[Row]]
    if is_table(data):
        table = read_rows(data, encoding=encoding, id_column=id_column)
        total = table.total
        unnamed = header_problem(rubric, table)  # PF527, PF531, as eval
        if unnamed is not None:
            raise DataError([unnamed])
        rows = (lambda: iter(table)) if shown is None else (lambda: renamed(table, str(data), shown))
    else:  # one JSON/YAML record: a batch of one
        department, record = read_department(data, id_column=id_column, command="report")
        one_row = [Row(1, department, record)]
        rows, total = (lambda: one_row), 1
    filing = filing or Filing()
    used = {SUMMARY[lang].casefold()}
    for given in guarded:  # an input inside the folder keeps its name: the report beside it is named -2
        if Path(given).resolve().parent == out.resolve():
            used.add(Path(given).name.casefold())
    # Two passes, so that no unit's Result is kept (8 KB each): the first scores every row and
    # names its report, and every file the run writes is checked (a read-only 汇总.xlsx was once
    # refused after every report was written over); the second scores the rows again and writes
    # each report as it comes, from the same file, its rows the same.
    opened = _identity(data)
    planned: list[tuple[int, str | None, str | None]] = []  # each row's number, id and report name (None: refused)
    checking = Progress(progress, total, threshold=0, lang=lang, label=("检查中", "checking"))  # a bar of its own: as long a wait
    try:
        for one in score_rows(rubric, rows(), lang):
            name = None
            if one.result is not None:  # an id that leaves no name (`.`, `..`) is named by its row, in the reader's language
                row = f"第 {one.row.number} 行" if lang == "zh" else f"row-{one.row.number}"
                name = file_name(one.row.label(lang), fmt, used, fallback=row)
            planned.append((one.row.number, one.row.id, name))
            checking.step()
    finally:
        checking.close()
    if not planned:  # a header alone (a template not filled in): PF526, as for one report, before the folder is made
        raise several(data if shown is None else shown, None, ())
    for _, _, name in planned:
        if name is not None:
            refuse_inputs(out / name, guarded)
            refuse_target(out / name)
    if _identity(data) != opened:  # changed already: refused before the folder is made
        raise _changed(data if shown is None else shown, 0)
    made: list[Path] = []  # the folders this run's own mkdir made, deepest first
    try:
        _made(out, made)
    except OSError as error:
        raise OutputError("PF704", str(out), {"reason": OSReason.of(error)}) from None
    summary = Summary()
    scored: list[UnitLine] = []
    refused: list[UnitLine] = []
    bar = Progress(progress, total, threshold=0, lang=lang)  # a report takes long enough to show each
    try:
        expected = iter(planned)
        for one in score_rows(rubric, rows(), lang):
            number, unit_id, name = next(expected, (0, None, None))
            if (one.row.number, one.row.id, one.result is None) != (number, unit_id, name is None):
                raise _changed(data if shown is None else shown, len(scored))
            summary.rows += 1
            unit = one.row.label(lang)
            if one.result is None or name is None:
                assert one.error is not None
                summary.fail(one)
                refused.append(UnitLine(unit, None, None, None, None, error=one.error.describe(lang, filed=True)))
            else:
                write_report(one.result, fmt, out / name, lang=lang, department=one.row.id,
                             filing=evolve(filing, unit=unit))  # fmt: skip
                # a 一级指标 that does not apply says so, as its report does: not the 0 it counts as
                tops = tuple(top.score if top.applies else not_applicable(lang) for top in one.result.children)
                scored.append(UnitLine(unit, name, one.result.total, one.result.grade, None, tops))
            bar.step()
        if next(expected, None) is not None or _identity(data) != opened:  # rows gone, or the file changed since
            raise _changed(data if shown is None else shown, len(scored))
    except DataError:  # PF537 ("no file was written"): the folders this run made go, as they were
        if not scored:
            _unmade(made)
        raise
    finally:
        bar.close()
    places = ranks([line.total for line in scored if line.total is not None])
    ranked = sorted((evolve(line, rank=place) for line, place in zip(scored, places, strict=True)),
                    key=lambda line: line.rank or 0)  # fmt: skip  # stable: ties keep the data's order
    year = "" if filing.year is None else f"{filing.year}年度" if lang == "zh" else f" {filing.year}"
    title = f"{year}{rubric.name}汇总" if lang == "zh" else f"{rubric.name}{year}: summary"
    heads = [(top.name, top.max) for top in rubric.tree]
    write_summary([*ranked, *refused], title, heads, [g[0] for g in rubric.grades], summary_path, lang)
    return Written(summary, len(scored), summary_path)

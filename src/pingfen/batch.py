"""Scoring many departments: read a row, score it, write it.

`score_rows` scores rows lazily; a row with bad data yields its DataError and the
next row is still scored. `score_file` joins reader, scorer, progress bar and writer:
it is what `pingfen eval RULESET DATA.csv` runs.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, DecimalException, getcontext, setcontext
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from attrs import define, evolve, field, frozen

from pingfen.display import canonical
from pingfen.errors import DataError
from pingfen.evaluate.refusals import Refusal
from pingfen.evaluate.rubric import Rubric, with_batch
from pingfen.evaluate.texts import cell_reader
from pingfen.io.headers import header_problem
from pingfen.io.records import read_batch, read_department
from pingfen.io.tables import Row, Rows, is_table, read_rows
from pingfen.io.write import Line, csv_line, refuse_inputs, write_results
from pingfen.lang import Lang
from pingfen.progress import Progress
from pingfen.result import Result, not_applicable
from pingfen.values import CONTEXT, shorten

if TYPE_CHECKING:  # the reports are imported by `report_file` only: a batch to CSV never needs them
    from pingfen.parallel import Send, Workers  # and the workers only when a batch forks some
    from pingfen.report import Filing


@frozen
class Scored:
    """A row and its result, or the error that kept it from being scored."""

    row: Row
    result: Result | None
    error: DataError | None

    def line(self, indicators: tuple[str, ...], lang: Lang, penalties: Penalties = ()) -> Line:
        """The row as the batch outputs write it."""
        if self.result is None:
            assert self.error is not None
            return self.row.id, [None] * len(indicators), None, None, self.error.describe(lang, filed=True)
        return line_of(self.row.id, self.result, indicators, lang, penalties)


# The penalty rows among a batch's columns (扣分项): each one's place and max, for what it
# takes from the total (its score less its max: -2), as the table of one department shows it.
Penalties = tuple[tuple[int, Decimal], ...]


def line_of(
    row_id: str | None, result: Result, indicators: tuple[str, ...], lang: Lang, penalties: Penalties = ()
) -> Line:
    """A scored row as the batch outputs write it."""
    scores: Sequence[Decimal | str | None] = result.scores_of(indicators)  # no reasons: the batch writes none
    if not result.all_apply:  # 不适用 (N/A) where a row does not apply
        scores = [not_applicable(lang) if not result.applies(n) else s for n, s in zip(indicators, scores, strict=True)]
    if penalties:
        scores = list(scores)
        for at, top in penalties:
            score = scores[at]
            if isinstance(score, Decimal):
                scores[at] = canonical(CONTEXT.subtract(score, top))  # not in the caller's context
    return row_id, scores, result.total, result.grade, None


KEPT = 20  # failed rows a Summary keeps: the error column of the output has every one


@define
class Summary:
    """What a batch run did: rows scored, how many failed, and the first KEPT of those
    (with their errors); memory stays flat however many rows fail."""

    rows: int = 0
    failures: int = 0
    failed: list[Scored] = field(factory=list)
    forked: int = 0  # rows a worker process scored (`--jobs`); counted in `rows` too

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail(self, scored: Scored) -> None:
        """Count a failed row, keeping it only if it is among the first KEPT."""
        self.failures += 1
        if len(self.failed) < KEPT:
            self.failed.append(scored)

    def describe(self, data: str | Path, lang: Lang = "en", shown: int = 20) -> list[str]:
        """Lines for standard error: each failed row (the first `shown`) with its problems, then a
        count; for a file of no records (a template handed back unfilled), that it holds none."""
        if not self.rows:  # the results hold no unit (a header alone, `[]`): said, not left silent (exit 0 still)
            return [f"{data} 中没有任何记录：结果中没有单位" if lang == "zh" else f"{data} holds no record: the results hold no unit"]
        lines = []
        for scored in self.failed[:shown]:
            row = scored.row
            assert scored.error is not None
            problems = scored.error.problems
            named = all(p.args.get("path") == str(data) for p in problems)  # PF534 starts with the file itself
            prefix = "" if named else f"{data} " if lang == "zh" else f"{data}, "
            where = f"{prefix}第 {row.number} 行" if lang == "zh" else f"{prefix}row {row.number}"
            if row.id:
                where += f" [{shorten(row.id)}]"
            lines.append(f"{where}: " + "; ".join(p.brief(lang) for p in problems))
        if not self.failures:
            return lines
        shown = min(shown, len(self.failed))
        if self.failures > shown:
            more = self.failures - shown
            lines.append(f"… 另有 {more} 行" if lang == "zh" else f"... and {more} more")
        if lang == "zh":
            lines.append(f"{self.rows} 行中有 {self.failures} 行无法评分（见“错误”列）")
        else:
            lines.append(f"{self.failures} of {self.rows} rows could not be scored (see the error column)")
        return lines


def indicator_names(rubric: Rubric) -> tuple[str, ...]:
    """Every indicator, in rubric order."""
    return tuple(n.name for top in rubric.tree for n in top.walk() if not n.is_group)


def score_columns(rubric: Rubric) -> tuple[tuple[str, ...], Penalties]:
    """The batch outputs' score columns: every indicator, then every bonus, penalty and adjust
    row (加分项, 扣分项) with what it adds to the total, so that a row's figures add up to its
    total; and the penalty rows among them (`line_of`)."""
    indicators = indicator_names(rubric)
    names = (*indicators, *(spec.name for _, spec in rubric.outside))
    penalties = tuple((len(indicators) + i, spec.max) for i, (kind, spec) in enumerate(rubric.outside) if kind == "penalty")
    return names, penalties


def score_rows(rubric: Rubric, rows: Iterable[Row], lang: Lang = "zh") -> Iterator[Scored]:
    """Score each row as it is read; bad rows yield their error instead of a result. A rubric
    with values across the batch (`let 基准价 = batch min(报价)`) reads every row first."""
    extra: Iterator[dict[str, Decimal]] | None = None
    if any(spec.batch for spec in rubric.inputs):
        rows = list(rows)
        extra = iter(rubric.batch_values([r.values for r in rows if r.problem is None]))
    for row in rows:
        record = row.label(lang)
        if row.problem is not None:
            yield Scored(row, None, DataError([row.problem], record))
            continue
        values = row.values if extra is None else with_batch(row.values, next(extra))
        try:
            yield Scored(row, rubric.evaluate(values, lang=lang, record=record), None)
        except DataError as error:  # a missing input whose cell is a formula never calculated: PF534
            yield Scored(row, None, row.refused(error))


def _in_its_batch(
    rubric: Rubric, data: str | Path, department: str | None, record: dict[str, object], encoding: str | None,
    id_column: str | None,
) -> dict[str, object]:  # fmt: skip
    """The record of the row `read_department` picked, with the values across its file's rows
    (`let 基准价 = batch min(报价)`) as `pingfen eval` of the file works them out (`score_rows`)."""
    rows = [row for row in read_rows(data, encoding=encoding, id_column=id_column) if row.problem is None]
    for row, values in zip(rows, rubric.batch_values([row.values for row in rows]), strict=True):
        if row.id == department:  # the row picked by its id, or the file's only one
            return with_batch(record, values)
    return record


def plain_lines(
    rubric: Rubric, table: Rows, indicators: tuple[str, ...], lang: Lang
) -> Callable[[list[str]], Line | None] | None:
    """A CSV row's cells scored straight, as its output line; None for a row that must take
    the general path. None instead of the function when the rubric or the header cannot.

    A row of plainly written cells (`texts.cell_reader`) goes straight from the csv module's
    cells to the compiled scorer, as `Rubric.evaluate` takes a record's text on its text path,
    with no Row or record made for it; any other row (a blank, a comment, odd text, a value the
    scorer sends down the general path, a refusal) is left to `score_rows`, exactly as before."""
    read = cell_reader(tuple((s.name, s.type, s.labels) for s in rubric.inputs), table.columns)
    if read is None or any(spec.batch for spec in rubric.inputs):
        return None
    width = len(table.columns)
    at = table.columns.index(table.id_column) if table.id_column else None
    penalties = score_columns(rubric)[1]
    run = rubric._run  # the compiled scorer's entry, as `evaluate` calls it with a record's text read

    def line(cells: list[str]) -> Line | None:
        # Not decided here: a row of another width, or whose first cell starts with `#` (after
        # spaces), goes to the general path, whose io.tables.comment_row says whether it is a
        # comment (`# 填写说明` is; `#1 分厂` beside values is scored). `in` first: most ids hold no `#`.
        if len(cells) != width or ("#" in cells[0] and cells[0].lstrip().startswith("#")):
            return None
        values = read(cells)
        if values is None:
            return None
        saved = getcontext()
        setcontext(CONTEXT)
        try:
            result = run(values, lang)
        except (Refusal, DecimalException):  # the general path refuses it, in its words
            return None
        finally:
            setcontext(saved)
        if result is None:
            return None
        return line_of(cells[at].strip() or None if at is not None else None, result, indicators, lang, penalties)

    return line


def _csv_rows(rubric: Rubric, table: Rows, indicators: tuple[str, ...], lang: Lang) -> Iterator[Line | Scored]:
    """A CSV file's rows scored, each as its output line (`plain_lines`), or as Scored when
    it took the general path."""
    plain = plain_lines(rubric, table, indicators, lang)
    if plain is None:
        yield from score_rows(rubric, table, lang)
        return
    yield from _scored(rubric, table, lang, plain, table.cells())


def _scored(
    rubric: Rubric, table: Rows, lang: Lang, plain: Callable[[list[str]], Line | None], items: Iterable[tuple[int, list[str]]],
) -> Iterator[Line | Scored]:  # fmt: skip
    """Rows' cells scored in this process: a plain row straight (`plain_lines`), any other by `score_rows`."""
    for number, cells in items:
        line = plain(cells)
        if line is not None:
            yield line
        elif (row := table.row(number, cells)) is not None:
            yield from score_rows(rubric, [row], lang)


# The second core (`--jobs`): a CSV file of at least LEAST rows, written as CSV, is scored by
# this process and forked workers, CHUNK rows at a time, round-robin (benchmarks/README.md,
# "sixth pass"). MAX_JOBS caps the processes chosen automatically; the CPUs, or MAX_JOBS if more,
# cap any number asked for.
LEAST = 1000
CHUNK = 128
MAX_JOBS = 4
# How long this process waits for a worker's chunk before scoring it itself: a few rows' time.
# A worker keeping up sends a chunk before this process has written its own; one that is late
# (the machine busy with other work) is not waited for.
WAIT = 0.002


def cpus() -> int:
    """The CPUs this process may run on, fewer where a control group's quota (a container's
    `--cpus`) gives it less time than that."""
    from pingfen.parallel import cpu_quota  # read only for a file large enough to fork for

    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    quota = cpu_quota()
    return count if quota is None else min(count, quota)


def busy() -> int:
    """Tasks running or ready to run on the machine now, besides this process: the `running`
    of Linux's /proc/loadavg (`running/total`) less one; 0 where it cannot be told. A core
    that other work keeps busy is no help: a worker there made a run slower, not faster."""
    try:
        with open("/proc/loadavg", "rb") as handle:  # noqa: PTH123 - a few bytes, read once
            running = handle.read(256).split()[3].split(b"/")[0]
        return max(int(running) - 1, 0)
    except (OSError, IndexError, ValueError):
        return 0


def _processes(rubric: Rubric, rows: Iterable[Row], fmt: str, jobs: int | None, chunk: int, least: int) -> int:
    """How many processes score `rows`: 1 (this one alone) unless forking pays and is safe."""
    if jobs == 1 or fmt != "csv" or not isinstance(rows, Rows) or rows.kind != "csv":
        return 1
    if rows.total is None or rows.total < least or any(spec.batch for spec in rubric.inputs):
        return 1  # a value across the batch needs every row in one process
    if not hasattr(os, "fork") or threading.active_count() != 1:  # forking a threaded process is unsafe
        return 1
    if jobs is None:  # the CPUs free now, at most MAX_JOBS
        jobs = min(cpus() - busy(), MAX_JOBS)
    jobs = min(jobs, max(cpus(), MAX_JOBS))  # more processes than CPUs only take turns (and the user's process slots)
    return max(1, min(jobs, -(-rows.total // chunk)))  # no worker without a chunk of its own


def _split_rows(
    rubric: Rubric, table: Rows, indicators: tuple[str, ...], lang: Lang, plain: Callable[[list[str]], Line | None],
    processes: int, chunk: int, workers: Workers, wait: float | None,
) -> Iterator[Line | Scored | str]:  # fmt: skip
    """`_csv_rows` with workers: chunk `i` of the file's rows is this process's when `i %
    processes` is 0, else worker `i % processes - 1`'s, which sends each row's CSV text or
    null (`_work`). This process reads every row too, so it scores a row a worker left, and a
    dead worker's chunks, itself: the same lines, in the file's order."""

    read: list[int] = []  # the file this process reads (`identity`): a worker's must be the same
    rows = table.cells(opened=read.extend)
    for index in itertools.count():
        items = list(itertools.islice(rows, chunk))
        if not items:
            return
        worker = index % processes - 1
        texts = None if worker < 0 else _received(workers, worker, index, items, wait, processes, read)
        if texts is None:
            yield from _scored(rubric, table, lang, plain, items)
            continue
        for (number, cells), text in zip(items, texts, strict=True):
            if text is not None:
                yield text
            elif (row := table.row(number, cells)) is not None:
                yield from score_rows(rubric, [row], lang)


def _received(
    workers: Workers, worker: int, index: int, items: list[tuple[int, list[str]]], wait: float | None,
    processes: int, read: list[int],
) -> list[str | None] | None:  # fmt: skip
    """The worker's texts for chunk `index`, or None: this process scores the chunk itself, as
    when the worker is late (the chunk is then claimed, with the worker's next one, so that it
    gets ahead again: the worker skips them), has died, or sent what is not that chunk's or read
    another file than `read` (one saved over the input since: it is stopped). A frame of a chunk
    claimed before is passed over."""
    if index <= workers.claimed(worker):
        return None
    while True:
        if wait is not None and not workers.ready(worker, wait):
            workers.claim(worker, index + processes)
            return None
        frame = workers.receive(worker)
        sent = _texts(frame)
        if sent is None or sent[2] != read:
            workers.stop(worker)  # malformed, dead, or another file: its chunks are this process's now
            return None
        first, texts, _ = sent
        if first == items[0][0]:
            if texts is None:  # too large to send: this process scores it
                return None
            if len(texts) == len(items):
                return texts
        elif first < items[0][0]:  # a chunk claimed since: scored here already
            continue
        workers.stop(worker)  # not this chunk's: its chunks are this process's now
        return None


def _texts(frame: bytes | None) -> tuple[int, list[str | None] | None, list[int]] | None:
    """A worker's frame: [the first row's number, a text or null per row (or null for the
    chunk), the `identity` of the file it read]; None when it is not that."""
    if frame is None:
        return None
    try:
        sent = json.loads(frame.decode("utf-8", "surrogatepass"))
    except ValueError:
        return None
    if not (isinstance(sent, list) and len(sent) == 3 and type(sent[0]) is int):
        return None
    first, texts, read = sent
    if not (isinstance(read, list) and all(type(n) is int for n in read)):
        return None
    if texts is None:
        return first, None, read
    if not (isinstance(texts, list) and all(t is None or type(t) is str for t in texts)):
        return None
    return first, texts, read


def _work(
    table: Rows, plain: Callable[[list[str]], Line | None], processes: int, chunk: int, worker: int, send: Send,
    claimed: Callable[[], int],
) -> None:  # fmt: skip
    """A worker's part: it reads the file again itself (`cells` opens it by path: nothing of
    the parent's is shared) and sends, for each of its chunks, [the first row's number, each
    row's CSV text (`csv_line`, what the writer would write) or null where it left the row,
    the `identity` of the file it read]."""
    from pingfen.parallel import MAX_FRAME  # imported already: the worker was forked by it

    texts: list[str | None] = []
    made: list[str] = []
    write = csv_line(made.append)
    read: list[int] = []
    rows = table.cells(opened=read.extend)
    for index in itertools.count():
        items = list(itertools.islice(rows, chunk))
        if not items:
            return
        if index % processes != worker + 1 or claimed() >= index:  # another's, or scored by the parent
            continue
        texts.clear()
        for _, cells in items:
            line = plain(cells)
            if line is not None:
                write(line)
                texts.append("".join(made) if len(made) > 1 else made[0])
                made.clear()
            else:
                texts.append(None)
        frame = json.dumps([items[0][0], texts, read], ensure_ascii=False).encode("utf-8", "surrogatepass")
        if len(frame) > MAX_FRAME:  # over the parent's bound: it scores the chunk itself
            frame = json.dumps([items[0][0], None, read]).encode()
        send(frame)


def score_file(
    rubric: Rubric, data: str | Path, output: str | Path | None = None, fmt: str = "csv", *,
    lang: Lang = "zh", encoding: str | None = None, id_column: str | None = None,
    out: TextIO | None = None, progress: TextIO | None = None, jobs: int | None = None, chunk: int = CHUNK,
    least: int = LEAST, wait: float | None = WAIT,
) -> Summary:  # fmt: skip
    """Score every row of `data` (.csv, .xlsx, .jsonl; or one .json/.yaml record) into `output`
    (atomically) or `out`.

    A CSV file of at least `least` rows written as CSV is scored by `jobs` processes (default:
    the CPUs available and not `busy`, at most MAX_JOBS; 1: this one alone), `chunk` rows at a time: the same
    output, in the file's order (`_split_rows`). A worker's chunk not sent within `wait` seconds
    is scored here (None: wait for it, as tests do to know who scored what).

    Raises DataError when the file cannot be read at all; rows with bad data are
    written with their `error` column filled and listed in the returned Summary.
    `progress` is where a bar is drawn for runs over 1,000 rows, if it is a terminal.
    """
    refuse_inputs(output, [data])  # PF701: the results would replace the data they come from
    rows = read_batch(data, encoding=encoding, id_column=id_column)  # one JSON/YAML record: a one-row batch
    total = rows.total if isinstance(rows, Rows) else 1
    hidden = None if not isinstance(rows, Rows) else header_problem(rubric, rows)
    if hidden is not None:  # PF527, PF531: every row would miss an input, and not say why
        raise DataError([hidden])
    indicators, penalties = score_columns(rubric)
    summary = Summary()
    processes = _processes(rubric, rows, fmt, jobs, chunk, least)
    plain = plain_lines(rubric, rows, indicators, lang) if processes > 1 and isinstance(rows, Rows) else None
    workers: Workers | None = None
    bar = Progress(progress, total, lang=lang)

    def lines() -> Iterator[Line | str]:
        each: Iterable[Line | Scored | str] = score_rows(rubric, rows, lang)
        if isinstance(rows, Rows) and plain is not None and workers is not None:
            each = _split_rows(rubric, rows, indicators, lang, plain, processes, chunk, workers, wait)
        elif isinstance(rows, Rows) and rows.kind == "csv":
            each = _csv_rows(rubric, rows, indicators, lang)
        step = bar.step if bar.stream is not None else None  # no bar (not a terminal): no call per row
        count = forked = 0
        try:
            for scored in each:
                count += 1
                if isinstance(scored, Scored):
                    if scored.error is not None:
                        summary.fail(scored)
                    scored = scored.line(indicators, lang, penalties)
                elif type(scored) is str:
                    forked += 1
                if step is not None:
                    step()
                yield scored
        finally:
            summary.rows += count
            summary.forked += forked

    try:
        if plain is not None and isinstance(rows, Rows):  # forked before the output file is opened
            from pingfen import parallel

            try:
                workers = parallel.fork_workers(processes - 1, functools.partial(_work, rows, plain, processes, chunk))
            except OSError:  # no process or pipe to be had (EAGAIN, EMFILE): this process alone
                workers = None
        write_results(lines(), indicators, fmt, output, out, lang)
    finally:
        if workers is not None:
            workers.close()
        bar.close()
    return summary


def report_file(
    rubric: Rubric, data: str | Path, fmt: str, path: str | Path | None = None, *, lang: Lang = "zh",
    id: str | None = None, encoding: str | None = None, id_column: str | None = None, out: TextIO | None = None,
    filing: Filing | None = None,
) -> Result:  # fmt: skip
    """Score one department read from `data` (a JSON/YAML record, or one row of a CSV/XLSX/JSONL
    file, picked by `id` when there are several) and write its report. Returns the result.
    A `filing` without a unit names the department by its id."""
    refuse_inputs(path, [data])  # PF701: the report would replace the data it comes from
    if fmt == "pdf":  # PF710 before anything is read
        from pingfen.report.pdf import require_chromium

        require_chromium(path or "-")
    from pingfen.report import write_report

    department, record = read_department(data, id=id, encoding=encoding, id_column=id_column, command="report")
    if any(spec.batch for spec in rubric.inputs) and is_table(data):  # PF541 for a row of a whole batch
        record = _in_its_batch(rubric, data, department, record, encoding, id_column)
    result = rubric.evaluate(record, lang=lang, record=department)
    if filing is not None and filing.unit is None:
        filing = evolve(filing, unit=department)
    write_report(result, fmt, path, lang=lang, department=department, out=out, filing=filing)
    return result

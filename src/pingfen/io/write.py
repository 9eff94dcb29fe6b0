"""Writing files atomically, and batch results as CSV, XLSX, JSON Lines or JSON.

Every file is written to a temporary file in the same directory and moved over the
target with `os.replace` only when complete: a failed or interrupted run never leaves a
half-written file, and an existing one stays as it was.

A batch result has one row per department: `id`, one column per indicator named as the
rubric names it, `total`, `grade` and `error` (empty when the row was scored). Rows are
written as they come, so a batch streams from reader to writer.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, TextIO

from pingfen.result import dumps
from pingfen.values import to_decimal

FORMATS = ("csv", "xlsx", "jsonl", "json")
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}

# A batch row: id, the indicators' scores in rubric order (None when not scored), total, grade, error.
Line = tuple[str | None, Sequence[Decimal | None], Decimal | None, str | None, str | None]


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside `path`; it replaces `path` when the block succeeds, else is removed."""
    target = Path(path)
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:  # name the file asked for, not the temporary one
        raise OSError(error.errno, error.strerror, str(target)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


@contextmanager
def atomic_open(path: str | Path, mode: str = "w", *, encoding: str | None = "utf-8", newline: str | None = None
                ) -> Iterator[IO[Any]]:  # fmt: skip
    """Open a temporary file beside `path` for writing; on success it is synced and moved over `path`."""
    with atomic_path(path) as tmp:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": newline}
        with open(tmp, mode, **kwargs) as handle:  # noqa: PTH123
            yield handle
            handle.flush()
            os.fsync(handle.fileno())


def write_text(path: str | Path, text: str, *, bom: bool = False) -> None:
    """Write text atomically; `bom` adds the UTF-8 byte order mark Excel looks for."""
    with atomic_open(path, encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        handle.write(text)


def format_for(path: str | Path | None, default: str) -> str:
    """The output format a file name implies (`.csv`, `.xlsx`, `.jsonl`, `.json`), else `default`."""
    if path is None:
        return default
    return SUFFIXES.get(Path(path).suffix.lower(), default)


def write_results(
    lines: Iterable[Line], columns: Sequence[str], fmt: str, path: str | Path | None = None,
    out: TextIO | None = None,
) -> int:  # fmt: skip
    """Write batch rows as they come; to `path` (atomically) or, except XLSX, to `out`.

    `columns` names the indicators, in the order of each line's scores. CSV files get a
    UTF-8 BOM so that Excel reads the Chinese names. Returns the number of rows written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    header = ["id", *columns, "total", "grade", "error"]
    if fmt == "xlsx":
        if path is None:
            raise ValueError("XLSX output needs a file name")
        return _xlsx(lines, header, path)
    writer = {"csv": _csv, "jsonl": _jsonl, "json": _json}[fmt]
    if path is None:
        assert out is not None, "write to a path or to `out`"
        return writer(lines, header, out)
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with atomic_open(path, encoding=encoding, newline="") as handle:
        return writer(lines, header, handle)


def plain(value: Decimal | None) -> str:
    """A Decimal digit for digit, never in exponent form; '' for None."""
    if value is None:
        return ""
    return format(abs(value) if value.is_zero() else value, "f")


def _cells(line: Line) -> list[Any]:
    row_id, scores, total, grade, error = line
    return [row_id or "", *scores, total, grade or "", error or ""]


def _csv(lines: Iterable[Line], header: list[str], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for line in lines:
        writer.writerow([plain(c) if isinstance(c, Decimal) or c is None else csv_text(str(c)) for c in _cells(line)])
        count += 1
    return count


def _record(header: list[str], line: Line) -> dict[str, Any]:
    row_id, scores, total, grade, error = line
    return dict(zip(header, [row_id, *scores, total, grade, error], strict=True))


def _jsonl(lines: Iterable[Line], header: list[str], out: IO[str]) -> int:
    count = 0
    for line in lines:
        out.write(dumps(_record(header, line), indent=None) + "\n")
        count += 1
    return count


def _json(lines: Iterable[Line], header: list[str], out: IO[str]) -> int:
    count = 0
    out.write("[")
    for line in lines:
        out.write(("," if count else "") + "\n  " + dumps(_record(header, line), indent=None))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _xlsx(lines: Iterable[Line], header: list[str], path: str | Path) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("results")
    sheet.freeze_panes = "B2"
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    count = 0
    for line in lines:
        sheet.append(_xlsx_cells(sheet, _cells(line)))
        count += 1
    with atomic_path(path) as tmp:
        book.save(tmp)
    return count


def _xlsx_cells(sheet: Any, cells: list[Any]) -> list[Any]:
    """Decimals stay numbers (Excel holds doubles; the CSV and JSON outputs keep every digit); None is empty;
    text stays text even when it begins with `=` (an id or a message is never a formula)."""
    from openpyxl.cell import WriteOnlyCell

    out: list[Any] = []
    for c in cells:
        if isinstance(c, str) and c.startswith("="):
            cell = WriteOnlyCell(sheet, value=c)
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(None if c == "" else c)
    return out


def no_formulas(book: Any) -> None:
    """Make every formula cell text: whatever reached a workbook came from data or a rule
    file, and `=HYPERLINK(…)` typed into an id must not run when the report is opened."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """Text as a CSV cell that Excel will not read as a formula (OWASP's leading quote)."""
    if value.startswith(_CSV_TRIGGERS) and to_decimal(value) is None:
        return "'" + value
    return value


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 less the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask

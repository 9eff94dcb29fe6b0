"""Rows of a batch file — CSV, XLSX or JSON Lines — one department per row, read lazily.

The first row of a CSV or XLSX file names the columns; the column `id` (or the one named
by `id_column`) names each row. Blank rows and comment rows are skipped (`comment_row`: a
first cell `# …`, as the templates' question row, or a `#…` cell alone on its row); empty
cells are missing values. A row whose first cell is `#1 分厂` or an Excel error (`#N/A`) and
holds values is read, never dropped unseen.

XLSX cells arrive as openpyxl gives them and are made exact here: ints stay whole, a float
is read to the 15 significant digits Excel keeps and shows (`as_excel_shows`; a 95% cell holds
0.95), never `Decimal(float)`; bools stay bools. A formula with no saved result reads as
blank; its row keeps the cell (`Row.formulas`), to name it if the row is refused for it (PF534).
CSV may be UTF-8 with or without a BOM, UTF-16 or UTF-32 with a BOM, or GBK/GB18030
(Excel's default for Chinese), sniffed from the bytes unless `encoding` is given; bytes
that are none of these (Big5, say) are refused rather than read as nonsense.

Every reader is bounded (see `bounds`): a line, a workbook's unpacked size and cells,
how deep a JSON line nests. A CSV row whose cells do not line up with the header is
refused, not read with its values under the wrong columns.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import csv
import datetime
import functools
import itertools
import os
import re
import stat
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TextIO, overload

from attrs import evolve, field, frozen

from pingfen.absent import Merged, SheetRecord, in_merged, uncomputed
from pingfen.display import plain
from pingfen.errors import DataError, Problem
from pingfen.io.bounds import (
    LINE_READ,
    MAX_LINE_CHARS,
    TooBig,
    csv_cells,
    details,
    line_too_long,
    loads_json,
    no_duplicates,
    too_long,
)
from pingfen.io.guard import note_input
from pingfen.io.write import csv_unquote
from pingfen.lang import Lang
from pingfen.oserrors import reason
from pingfen.terminal import INVISIBLE_PATTERN, invisible_escaped, invisible_name, without_invisible
from pingfen.values import SheetPercent

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is read: it costs startup time
    from openpyxl import Workbook

KINDS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_CHUNK = 1 << 20
_BOM = b"\xef\xbb\xbf"
# Longest first: UTF-32-LE's BOM begins with UTF-16-LE's.
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
         (b"\xfe\xff", "utf-16"))  # fmt: skip
# A double-byte character of GBK text, and one of GB2312's, which nearly all Chinese text
# keeps to: Big5 read as GBK lands mostly outside it.
_DOUBLE = re.compile(rb"[\x81-\xfe][\x40-\x7e\x80-\xfe]")
_GB2312 = re.compile(rb"[\xb0-\xf7][\xa1-\xfe]|[\xa1-\xa9][\xa1-\xfe]")
# An XLSX file is a zip: what it may unpack to, and how many cells a sheet may declare.
MAX_XLSX_BYTES = 200 * 1024 * 1024
MAX_XLSX_MEMBERS = 1000
MAX_XLSX_RATIO = 100  # unpacked / packed, for a member over 1 MB: real sheets pack 5-20 fold
MAX_XLSX_CELLS = 20_000_000
MAX_XLSX_ROWS = 1_048_576  # Excel's own; a row numbered beyond it ends the sheet, not a billion blank rows
MAX_XLSX_COLUMNS = 2000


@frozen
class Row:
    """One department: its row number in the file (the header is row 1; a JSONL line),
    its id if the file gives one, its values by column name, and the problem that kept
    it from being read, if any."""

    number: int
    id: str | None
    values: Mapping[str, object]
    problem: Problem | None = None
    # A sheet's columns whose cell in this row holds a formula with no saved result (read as
    # blank, as openpyxl reads it): column → (file, sheet, cell). None for nearly every row.
    formulas: Mapping[str, tuple[str, str, str]] | None = None
    # A sheet's columns whose cell in this row is blank for lying in merged cells, below or right
    # of the one that holds the value: column → (sheet, cell, range, first cell). None for nearly every row.
    merged: Mapping[str, Merged] | None = field(default=None, eq=False, repr=False)  # read when asked

    def refused(self, error: DataError) -> DataError:
        """`error` as this row's refusal: a missing input (PF501) whose cell is a formula with no
        saved result is said to be one (PF534), naming the sheet and the cell (`absent.uncomputed`);
        one whose cell lies in merged cells says so in its hint (`absent.in_merged`)."""
        if self.formulas:
            error = uncomputed(error, self.formulas)
        return in_merged(error, self.merged) if self.merged is not None else error

    def record(self) -> dict[str, object]:
        """The row's values as a record of their own: one that says PF534 (or names the merged
        cells) where this row would (`absent.SheetRecord`)."""
        if self.formulas or self.merged is not None:
            return SheetRecord(self.values, self.formulas or {}, self.merged)
        return dict(self.values)

    def label(self, lang: Lang = "en") -> str:
        """The id, or the row number when the row has none."""
        if self.id:
            return self.id
        return f"第 {self.number} 行" if lang == "zh" else f"row {self.number}"


def identity(fd: int) -> tuple[int, ...]:
    """What tells an open file from another, or from itself changed: its device and inode,
    size and time of change. Processes reading one file by its path (`--jobs`) compare it."""
    stat = os.fstat(fd)
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


class Rows:
    """The rows of a batch file. Each iteration reads the file again, one row at a time.

    `total` estimates the number of rows (for a progress bar; None when unknown),
    `columns` lists the header, `encoding` is the one used for a CSV file.
    """

    def __init__(
        self, path: Path, kind: str, encoding: str | None, id_column: str | None,
        columns: tuple[str, ...], total: int | None, sheet: str | None = None,
    ) -> None:  # fmt: skip
        self.path, self.kind, self.encoding = path, kind, encoding
        self.id_column, self.columns, self.total, self.sheet = id_column, columns, total, sheet

    def __iter__(self) -> Iterator[Row]:
        if self.kind == "csv":
            return self._csv()
        if self.kind == "xlsx":
            return self._xlsx()
        return self._jsonl()

    def _csv(self) -> Iterator[Row]:
        for number, cells in self.cells():
            row = self.row(number, cells)
            if row is not None:
                yield row

    def cells(self, opened: Callable[[tuple[int, ...]], None] | None = None) -> Iterator[tuple[int, list[str]]]:
        """A CSV file's rows as the csv module reads them, after the header: (row number,
        cells). `row` makes one a Row; a batch's fast path reads plain cells straight.
        `opened` is told which file was opened (`identity`), before the first row."""
        assert self.kind == "csv" and self.encoding is not None
        number = 1
        try:
            with self.path.open(encoding=self.encoding, newline="") as handle:
                if opened is not None:
                    opened(identity(handle.fileno()))
                delimiter = _delimiter(handle.readline(LINE_READ))
                lines = _lines(handle)
                for line in lines:
                    # A line with no quote mark is its cells split at the delimiter, as the csv
                    # module reads it but quicker (no cell of it is longer than MAX_CELL_CHARS: the
                    # line is not); the csv module reads a line with a quote mark (and the lines
                    # its quoted cell runs on to), csv_cells holding each cell to MAX_CELL_CHARS.
                    if '"' not in line:
                        body = line.rstrip("\r\n")  # one line ending at most: `_lines` ends a line at each
                        cells = body.split(delimiter) if body else []
                    else:
                        cells = csv_cells(line, lines, delimiter)
                    number += 1
                    yield number, cells
        except UnicodeError:  # a decoding error, or UTF-16's own (no BOM) when the user named that encoding
            raise DataError([Problem("PF512", None, {"path": str(self.path), "encoding": self.encoding,
                                                     "row": number + 1})]) from None  # fmt: skip
        except TooBig as error:
            raise _unreadable(self.path, error) from None
        except OSError as error:
            raise _unreadable(self.path, error) from None
        except csv.Error as error:
            raise _unreadable(self.path, str(error)) from None

    def row(self, number: int, cells: Sequence[str]) -> Row | None:
        """A CSV row's cells as a Row: None for a blank or comment row, PF520 when its
        cells do not line up with the header."""
        row = self._row(number, cells)
        if row is not None and len(cells) != len(self.columns) and not _fits(cells, self.columns):
            row = Row(number, row.id, {}, Problem("PF520", None, {
                "path": str(self.path), "row": number, "found": len(cells),
                "expected": len(self.columns)}))  # fmt: skip
        return row

    def _xlsx(self) -> Iterator[Row]:
        from openpyxl.cell.read_only import EMPTY_CELL
        from openpyxl.utils import get_column_letter

        book = open_workbook(self.path)
        try:
            with xlsx_errors(self.path):  # a bad sheet shows only as its rows are read
                sheet = sheet_of(book, self.path, self.sheet)
                rows = SheetRows(sheet, min_row=2, max_row=MAX_XLSX_ROWS, max_col=max(len(self.columns), 1))
                uncomputed = rows.uncomputed
                merges = SheetMerges(self.path, sheet.title, len(self.columns))
                full = len({c for c in self.columns if c})  # the values a full row has
                gap: object = None  # the one tuple openpyxl gives for each row the sheet leaves out
                for number, cells in enumerate(rows, start=2):  # cells, not values: a percent's format is read too
                    marked = uncomputed.pop(number, None) if uncomputed else None  # (columns past the header's too)
                    if cells is gap:  # a 3 KB sheet with a cell in row 1,048,576 took minutes, cell by cell
                        continue
                    if all(c is EMPTY_CELL for c in cells):
                        gap = cells
                        continue
                    row = self._row(number, [input_cell(c) for c in cells])  # such a formula reads as blank
                    if row is not None and marked:
                        named = {self.columns[c - 1]: (str(self.path), sheet.title, f"{get_column_letter(c)}{number}")
                                 for c in marked if c <= len(self.columns) and self.columns[c - 1]}  # fmt: skip
                        row = evolve(row, formulas=named or None)
                    if row is not None and (None in row.values.values() or len(row.values) < full):
                        # a row with a blank cell: its merged cells looked up only if it is refused for one
                        # (a full row stays a plain dict, as quick to score and to dump as any)
                        row = evolve(row, merged=RowMerges(merges, number, row.values, self.columns))
                    if row is not None:
                        yield row
        finally:
            book.close()

    def _row(self, number: int, cells: Sequence[object]) -> Row | None:
        if not any(c is not None and c != "" for c in cells):
            return None
        if comment_row(cells):
            return None
        values = {  # _blank_to_none, inline: it runs for every cell
            name: (cell.strip() or None) if type(cell) is str else cell  # a SheetPercent as it is: stripped already
            for name, cell in zip(self.columns, cells, strict=False) if name
        }  # fmt: skip
        return Row(number, id_text(values.get(self.id_column)) if self.id_column else None, values)

    def _jsonl(self) -> Iterator[Row]:
        try:
            # bytes that are not UTF-8 (a line saved as GBK) kept as escapes: that line alone is refused
            with self.path.open(encoding="utf-8-sig", errors="surrogateescape") as handle:
                for number, line in enumerate(_lines(handle, refuse=False), start=1):
                    if line is None:
                        yield self._bad_line(number, TooBig(
                            f"the line is longer than {MAX_LINE_CHARS:,} characters",
                            f"该行超过 {MAX_LINE_CHARS:,} 个字符"))  # fmt: skip
                    elif (escaped := _NOT_UTF8.search(line)) is not None:
                        at = len(line[: escaped.start()].encode("utf-8", "surrogateescape"))
                        yield self._bad_line(number, TooBig(f"not UTF-8 text (at byte {at} of the line)",
                                                            f"不是 UTF-8 编码的文本（该行第 {at} 字节处）"), "save_utf8")  # fmt: skip
                    elif line.strip():
                        yield self._json_row(number, line)
        except UnicodeError as error:
            raise _unreadable(self.path, str(error)) from None
        except OSError as error:
            raise _unreadable(self.path, error) from None

    def _json_row(self, number: int, line: str) -> Row:
        try:  # numbers, depth and keys bounded: a bad line is that row's error, the rest go on
            data = loads_json(line, object_pairs_hook=no_duplicates)
        except ValueError as error:
            return self._bad_line(number, error)
        if not isinstance(data, dict):
            return self._bad_line(number, TooBig("expected a JSON object of input names to values",
                                                 "应为 JSON 对象（输入项名称与值）"))  # fmt: skip
        named = default_id(data, self.id_column)
        if named is None and (hidden := hidden_id(str(self.path), data, self.id_column)) is not None:
            return Row(number, None, {}, hidden)  # PF528 for this line, as for a CSV's header: its id would be lost
        try:
            return Row(number, id_text(named), {str(k): v for k, v in data.items()})
        except TooBig as error:  # a list or mapping for an id: this line's error, the rest go on
            return self._bad_line(number, error)

    def _bad_line(self, number: int, error: Exception, hint: str | None = None) -> Row:
        return Row(number, None, {}, Problem("PF510", None, {"path": str(self.path), "line": number,
                                                            **details(error)}, hint))  # fmt: skip


_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # a byte UTF-8 could not read, as surrogateescape keeps it

MAX_MERGED = 10_000  # merged ranges a data sheet's rows are looked up in: past them, no hint, never a refusal
# `<mergeCell ref="B3:B5"/>`, prefixed or not: the attribute is in the tag's first 200 bytes
_MERGE_CELL = re.compile(rb"<(?:[\w.-]{1,40}:)?mergeCell\s[^>]{0,200}?\bref\s*=\s*[\"']([^\"'<>]{1,40})[\"']")
_MERGE_TAIL = 512  # more than such a tag's length: one cut between two chunks is found in the next


def merged_ranges(sheet: Sheet) -> list[tuple[int, int, int, int]]:
    """A read-only sheet's merged ranges (min row, min column, max row, max column), of more than
    one cell, at most MAX_MERGED: the `<mergeCell>`s at the end of its XML, which openpyxl's
    read-only sheet does not read, found by a search of the bytes (in C), chunk by chunk."""
    from openpyxl.utils.cell import range_boundaries

    source = getattr(sheet, "_get_source", None)  # a ReadOnlyWorksheet's: another kind has none to read
    found: list[tuple[int, int, int, int]] = []
    if source is None:
        return found
    with source() as xml:
        buffer = b""
        while len(found) < MAX_MERGED:
            chunk = xml.read(_CHUNK)
            buffer += chunk
            limit = max(len(buffer) - (_MERGE_TAIL if chunk else 0), 0)  # a tag starting past it may be cut: the next read finds it
            end = 0
            for match in _MERGE_CELL.finditer(buffer, 0, len(buffer)):
                if match.start() >= limit or len(found) >= MAX_MERGED:
                    break
                end = match.end()
                try:  # `B3:B5`, `$B$3:$B$5`; a whole column or row (`B:B`) or a range written wrong merges no row's cell
                    left, top, right, bottom = range_boundaries(match.group(1).decode("ascii"))
                except (ValueError, TypeError, UnicodeError):
                    continue
                if left is None or top is None or right is None or bottom is None or (left, top) == (right, bottom):
                    continue
                found.append((top, left, bottom, right))
            if not chunk:
                break
            buffer = buffer[max(end, limit) :]
    return found


class SheetMerges:
    """A data sheet's merged ranges, read only when a row is refused for a blank cell (`RowMerges`):
    the merges are at the end of the sheet's XML, after every row, and a sheet whose rows are all
    scored is read once, as openpyxl reads it. Read again, by the same bounded reader; a workbook
    that cannot be read again (changed, gone) merges nothing: this is a hint, never a refusal."""

    def __init__(self, path: Path, sheet: str, width: int) -> None:
        self.path, self.sheet, self.width = path, sheet, width
        # each column's ranges by their top row, and those tops: a cell's range found by bisection
        self._by_column: dict[int, tuple[list[int], list[tuple[int, int, int, int]]]] | None = None

    def over(self, number: int, column: int) -> tuple[int, int, int, int] | None:
        """The range (min row, min column, max row, max column) over the cell, if any."""
        if self._by_column is None:
            spread: dict[int, list[tuple[int, int, int, int]]] = {}
            for span in self._read():
                for c in range(span[1], min(span[3], self.width) + 1):
                    spread.setdefault(c, []).append(span)
            self._by_column = {}
            for c, spans in spread.items():
                spans.sort()
                self._by_column[c] = ([span[0] for span in spans], spans)
        found = self._by_column.get(column)
        return None if found is None else span_over(found[0], found[1], number)

    def _read(self) -> list[tuple[int, int, int, int]]:
        try:
            book = open_workbook(self.path)
            try:
                with xlsx_errors(self.path):
                    return merged_ranges(sheet_of(book, self.path, self.sheet))
            finally:
                book.close()
        except (DataError, OSError):
            return []


def span_over(tops: Sequence[int], spans: Sequence[tuple[int, int, int, int]], number: int) -> tuple[int, int, int, int] | None:
    """Of one column's merged ranges, sorted by their top row (`tops`, in order), the one over row
    `number`: the last to begin at or above it, if it reaches it. Merged ranges never overlap, so
    no other can; found in O(log n) looks (a scan of every range per blank cell made 10k merges
    over 100k rows take a minute). A damaged workbook's overlapping ranges can only lose a hint
    (a longer range above the last one begun is not seen): never a value, nor a refusal."""
    i = bisect.bisect_right(tops, number) - 1
    return spans[i] if i >= 0 and spans[i][2] >= number else None


class RowMerges(Mapping[str, Merged]):
    """`Row.merged` of a sheet's row: its blank cells that lie in merged cells, not the first
    (which alone can hold the value): column → `absent.Merged`, the range's hint `merged_header`
    when it begins in the header (row 1). Worked out when first asked, so that only a refused row
    costs the sheet's merges."""

    __slots__ = ("_found", "columns", "merges", "number", "read")

    def __init__(self, merges: SheetMerges, number: int, values: Mapping[str, object], columns: Sequence[str]) -> None:
        self.merges, self.number, self.read, self.columns = merges, number, values, columns
        self._found: dict[str, Merged] | None = None

    def _cells(self) -> dict[str, Merged]:
        if self._found is None:
            from openpyxl.utils import get_column_letter

            self._found = {}
            for column, name in enumerate(self.columns, start=1):
                if not name or self.read.get(name) is not None:
                    continue
                span = self.merges.over(self.number, column)
                if span is None or (self.number, column) == (span[0], span[1]):
                    continue
                top, left, bottom, right = span
                first = f"{get_column_letter(left)}{top}"
                self._found[name] = (self.merges.sheet, f"{get_column_letter(column)}{self.number}",
                                     f"{first}:{get_column_letter(right)}{bottom}", first,
                                     "merged_header" if top == 1 else "merged_cell")  # fmt: skip
        return self._found

    def __getitem__(self, key: str) -> Merged:
        return self._cells()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._cells())

    def __len__(self) -> int:
        return len(self._cells())


class SheetRows:
    """A read-only sheet's rows of cells, as its `iter_rows(values_only=False)` gives them, and
    the cells seen so far that hold a formula with no saved result (a workbook written by a
    program, never opened in Excel, which saves each formula's result): `uncomputed`, row
    number → columns (an array formula's range too, written on its first cell alone). openpyxl
    reads such a cell as blank, as a blank it stays; only a row with a formula in it (or in such
    a range) is looked at again, and only in a sheet whose bytes hold one
    (`_Probe`), so a sheet of none costs a search of its bytes and nothing more."""

    def __init__(self, sheet: Sheet, min_row: int = 1, max_row: int | None = None, max_col: int | None = None) -> None:
        self.sheet, self.min_row, self.asked = sheet, min_row, (max_row, max_col)
        self.max_row, self.max_col = max_row or sheet.max_row, max_col or sheet.max_column
        self.uncomputed: dict[int, list[int]] = {}

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        if not _marks(self.sheet):  # an openpyxl other than the one this reads: no cell is marked
            max_row, max_col = self.asked
            yield from self.sheet.iter_rows(min_row=self.min_row, max_row=max_row, max_col=max_col, values_only=False)
            return
        # openpyxl's ReadOnlyWorksheet._cells_by_row, with a parser that marks such cells
        from openpyxl.cell.read_only import EMPTY_CELL

        sheet: Any = self.sheet  # a ReadOnlyWorksheet: its source, workbook and row builder are read
        max_col, max_row = self.max_col, self.max_row
        empty_row = (EMPTY_CELL,) * max_col if max_col is not None else ()
        counter = self.min_row
        idx = 1
        book = sheet.parent
        with sheet._get_source() as source:
            probe = _Probe(source)
            parser = _marking_parser()(probe, sheet._shared_strings, data_only=book.data_only, epoch=book.epoch,
                                       date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)  # fmt: skip
            parser.uncomputed, parser.probe, parser.arrays = self.uncomputed, probe, {}
            parser.width = min(max_col or MAX_XLSX_COLUMNS, MAX_XLSX_COLUMNS)  # an array's range is looked at no wider
            for idx, row in parser.parse():
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):  # rows the sheet leaves out
                    counter += 1
                    yield empty_row
                if counter <= idx:
                    counter += 1
                    yield sheet._get_row(row, 1, max_col)
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row


# An element named f, closed or not, prefixed or not (`<f>`, `</f>`, `<f t="shared" …/>`, `<x:f/>`):
# one pass of the regular expression engine, far quicker than a search for each form.
_FORMULA_TAG = re.compile(rb"f[\s>/]")  # `<f\nt="shared" …/>` too


class _Probe:
    """A sheet's XML as the parser reads it, chunk by chunk, and whether a formula's element
    (`<f …>`, `</f>`, `<x:f/>`) may be in what was read: a search of the bytes, in C. The
    parser reads a row's bytes before it hands the row over, so no row with one is missed."""

    def __init__(self, source: Any) -> None:
        self.source, self.seen, self.tail = source, False, b""

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self.source.read(size)
        if not self.seen:
            self.seen = _FORMULA_TAG.search(self.tail + chunk) is not None  # the tail: a tag cut between two chunks
            self.tail = chunk[-1:]
        return chunk


@functools.cache
def _marking_parser() -> type[Any]:
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    parse_row = WorkSheetParser.parse_row

    class Marking(WorkSheetParser):
        uncomputed: dict[int, list[int]]
        probe: _Probe
        arrays: dict[int, int]  # the columns of array formulas never calculated → the last row of each
        width: int

        def parse_row(self, row: Any) -> tuple[int, list[dict[str, Any]]]:
            number, cells = parse_row(self, row)
            # only once the sheet's bytes may hold a formula is a row searched for one
            if self.probe.seen and (self.arrays or next(row.iter(FORMULA_TAG), None) is not None):
                try:
                    marked = _formula_cells(row, cells, FORMULA_TAG, self.arrays, self.width)
                    if self.arrays:
                        marked = sorted({*marked, *_in_arrays(number, row, cells, FORMULA_TAG, self.arrays)})
                except (KeyError, AttributeError, TypeError):  # cells not as openpyxl 3.1 gives them: none marked
                    marked = []
                if marked:
                    self.uncomputed[number] = marked
            return number, cells

    return Marking


def _marks(sheet: Any) -> bool:
    """Whether this openpyxl is one whose private reading SheetRows hooks (3.1's): else the
    sheet is read as it reads it, a formula with no saved result a blank, never a broken file."""
    import inspect

    try:
        parser = _marking_parser()
        wanted = {"src", "shared_strings", "data_only", "epoch", "date_formats", "timedelta_formats"}
        takes = set(inspect.signature(parser.__init__).parameters)
    except (ImportError, AttributeError, TypeError, ValueError):
        return False
    return wanted <= takes and all(hasattr(sheet, name) for name in ("_get_source", "_get_row", "_shared_strings", "parent"))


def _formula_cells(row: Any, cells: list[dict[str, Any]], formula: str, arrays: dict[int, int], width: int) -> list[int]:
    """The columns of a row's cells (its XML and as openpyxl read them) that hold a formula and
    read as blank: no result saved. One saved as the empty text (`t="str"`: Excel's result of
    `=IF(…,"",…)`, `<v></v>`) is a blank; one of `t="str"` with no `<v>` at all has none. An
    array formula's range (`<f t="array" ref="C2:C4">`, on its first cell alone) is kept in
    `arrays`, its columns up to `width`: the range's other cells hold no formula of their own."""
    found = [(cell["column"], f) for element, cell in zip(row, cells, strict=False)
             if cell["value"] is None and (f := element.find(formula)) is not None
             and not _saved_empty_text(element, formula)]  # fmt: skip
    for _, f in found:
        if f.get("t") == "array" and f.get("ref"):
            from openpyxl.utils.cell import range_boundaries

            try:  # `C2:C4`, `$C$2:$D$4`; a whole column or row (`C:C`, `2:4`) has no bound of its own
                first, _, last, bottom = range_boundaries(f.get("ref"))
            except ValueError:  # a range no cell reference names: the formula's own cell alone
                continue
            for column in range(first or 1, min(last or width, width) + 1):
                arrays[column] = max(arrays.get(column, 0), min(bottom or MAX_XLSX_ROWS, MAX_XLSX_ROWS))
    return [column for column, _ in found]


def _in_arrays(number: int, row: Any, cells: list[dict[str, Any]], formula: str, arrays: dict[int, int]) -> list[int]:
    """The columns of row `number` inside the range of an array formula never calculated
    (`arrays`) whose cell has no result saved: left out of the row's XML, or there with none.
    A range ended above the row is dropped."""
    for column in [c for c, last in arrays.items() if last < number]:
        del arrays[column]
    saved = {cell["column"] for element, cell in zip(row, cells, strict=False)
             if cell["value"] is not None or _saved_empty_text(element, formula)}  # fmt: skip
    return [c for c in arrays if c not in saved]


def _saved_empty_text(element: Any, formula: str) -> bool:
    """Whether a cell's XML holds Excel's saved empty text (`t="str"` with a `<v>`, even `<v></v>`:
    the result of `=IF(…,"",…)`), which openpyxl reads as blank but is a result saved, not a
    formula never calculated. `formula` is the formula's tag: the result's is in its namespace."""
    return element.get("t") == "str" and element.find(formula[:-1] + "v") is not None


def comment_row(cells: Sequence[object]) -> bool:
    """Whether a (non-blank) row of a CSV or sheet is a comment, skipped: its first cell starts
    with `#` (after spaces) and either a space or nothing follows the `#` (`# 填写说明…`, the
    templates' question row) or the row holds nothing else. A row whose first cell is an id
    `#1 分厂` or an Excel error `#N/A` and which holds values is not one: it is scored, or
    refused in its own words, rather than lost without a word."""
    first = cells[0] if cells else None
    if not isinstance(first, str) or "#" not in first:
        return False
    text = first.lstrip()
    if not text.startswith("#"):
        return False
    return len(text) == 1 or text[1].isspace() or not any(c is not None and c != "" for c in cells[1:])


def read_rows(
    path: str | Path, encoding: str | None = None, id_column: str | None = None, *, sheet: str | None = None
) -> Rows:
    """Open a batch file (.csv, .xlsx, .jsonl). The header is checked now; rows are read when iterated.

    `encoding` applies to CSV (default: sniffed, UTF-8 with or without BOM, else GB18030,
    which reads GBK). `id_column` names the id column (default `id` in any case, else `编号`,
    if there is one).
    `sheet` picks an XLSX sheet by name (default: the sheet Excel shows); given for another
    kind of file, or as '', it is refused (ValueError), not ignored.
    Raises DataError: PF508 unreadable, PF509 no such id column, PF511 not a batch file.
    """
    path = Path(path)
    checked_sheet(sheet, path)
    note_input(path)  # no output of the command reading it may replace it
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise DataError([Problem("PF511", None, {"path": str(path), "what": "batch file", "what_zh": "批量数据",
                                                 "formats": ".csv, .xlsx, .jsonl"})])  # fmt: skip
    refuse_unregular(path)
    if kind == "jsonl":
        return Rows(path, kind, "utf-8", id_column, (), _sniff(path)[1])
    if kind == "csv":
        sniffed, lines = _sniff(path, refuse=encoding is None)
        encoding = encoding or sniffed
        header = _csv_header(path, encoding)
        total = None if lines is None else max(lines - 1, 0)
    else:
        header, total = _xlsx_header(path, sheet)
    columns = tuple(header)
    _refuse_repeated(path, columns)
    return Rows(path, kind, encoding, _id_column(path, columns, id_column), columns, total, sheet)


def checked_sheet(sheet: object, path: Path) -> None:
    """`sheet` (None, or a sheet's name) refused where it would not pick a sheet: not text
    (TypeError), empty (`''` said the workbook had no worksheet) or given for a file with no
    sheets, a CSV, JSON Lines or record file, which ignored it (ValueError)."""
    if sheet is None:
        return
    if not isinstance(sheet, str):
        raise TypeError(f"sheet takes a sheet's name, a str, not {type(sheet).__name__}: {sheet!r}")
    if KINDS.get(path.suffix.lower()) != "xlsx":  # .xlsm is a workbook too
        raise ValueError(f"sheet picks a sheet of an .xlsx workbook, and `{path.name}` is none: leave sheet out")
    if not sheet:
        raise ValueError("sheet takes a sheet's name, not '': leave sheet out to read the sheet Excel shows")


def _refuse_repeated(path: Path, columns: tuple[str, ...]) -> None:
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:  # the last of two same-named columns would silently win
        raise _unreadable(path, f"the column `{repeated[0]}` appears more than once in the header",
                         f"表头中 `{repeated[0]}` 列出现了不止一次")


def csv_columns(path: Path, encoding: str, shown: str) -> tuple[str, ...]:
    """A CSV file's header as `read_rows` reads it (stripped, without a BOM, a template's quoting
    undone), a name given twice refused as it refuses it (PF508); the DuckDB engine names its
    columns so. `shown` is the file named in a refusal (the engine reads a UTF-8 copy)."""
    try:
        columns = tuple(_csv_header(path, encoding))
        _refuse_repeated(path, columns)
    except DataError as error:
        raise DataError([Problem(p.code, p.input, {**p.args, "path": shown}, p.hint) for p in error.problems]) from None
    return columns


def is_table(path: str | Path) -> bool:
    """Whether `path` names a batch file (CSV, XLSX, JSON Lines) rather than one record."""
    return Path(path).suffix.lower() in KINDS


def input_cell(cell: Any) -> object:
    """A read-only cell's value as a batch's input reads it (a percent's format too: the format
    is looked up only for a number); an audit's data sheet laid out down the page is read alike."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return cell_value(value, getattr(cell, "number_format", None))
    return cell_value(value)


# A number format's parts: "text", \x (a character as written), [Red] or [>100] (a colour, a
# condition), _x and *x (a space as wide as x, a fill), a section's end `;`, any other character
_TOKEN = re.compile(r'"[^"]*"?|\\.?|\[[^\]]*\]?|[_*].?|.', re.DOTALL)
_DIGIT = frozenset("0#?.,")  # the number's own places
# the number and a written %, perhaps a minus before, or in brackets as accounts show a negative: (5%)
_SHOWS_PERCENT = re.compile(" *(?:-|(\\()?) *\0+ *% *(?(1)\\)) *")


@functools.lru_cache(maxsize=256)  # every cell of a format with a `%` asks: a sheet has a few formats
def _percent(number_format: str) -> bool:
    r"""Whether Excel multiplies the value by 100 to show it: a `%` that is not shown as written
    (`0.00"%"` and `0\%` show the value 5 as 5.00%: it is 5, not 500%)."""
    return any("%" in token and token[0] not in '"\\' for token in _TOKEN.findall(number_format))


def _sections(number_format: str) -> list[list[str]]:
    """A format's sections, as Excel splits them (positive;negative;zero;text), empty ones kept."""
    sections: list[list[str]] = [[]]
    for token in _TOKEN.findall(number_format):
        if token == ";":
            sections.append([])
        else:
            sections[-1].append(token)
    return sections


def _shown_percent(number_format: str, number: Decimal) -> str | None:
    r"""`number` as a percent (`"90%"`, `"-5%"`) when the format's section for it writes the
    number then a literal `%` (`0"%"`, `0\%`, `0.00"% "`), or shows nothing in a format whose
    other number sections do (`0"%";;`); None for any other (a zero shown as `-`: read as the
    number it is). The format says the number is in percent; its sign and its presence are the
    cell's own: a section that hides a minus (`0"%";0"%"`) or the whole number (`0"%";;`) never
    makes −5 a 5% or a blank, nor the bare −5 that a percent input would read as −500%."""
    way = _percent_ways(number_format)[0 if number > 0 else 1 if number < 0 else 2]
    return None if not way else f"{plain(number)}%"


@functools.lru_cache(maxsize=64)  # a sheet has a few formats, a column's cells one
def _percent_ways(number_format: str) -> tuple[bool, bool, bool]:
    """Whether a positive, a negative and a zero number are in percent in the format: shown as
    the number then a written `%`, or in an empty section (shown as nothing) when every number
    section that shows something shows so; the format's percent is then the hidden number's too."""
    sections = _sections(number_format)
    if len(sections) == 4 or (len(sections) > 1 and "@" in sections[-1]):
        sections.pop()  # the text section (`0.0"%";@`; a fourth, even empty: `0"%";-0"%";;`): a number takes one before it
    if len(sections) > 3 or any(t[:2] in ("[<", "[>", "[=") for s in sections for t in s):
        return False, False, False  # a condition ([>100]) chooses the section: not read here
    chosen = [sections[place] if place < len(sections) else sections[0] for place in range(3)]
    shown = [_shows_percent(section) for section in chosen if section]
    in_percent = bool(shown) and all(shown)  # a section writing anything else (`"-"`) says otherwise
    ways = [_shows_percent(section) if section else in_percent for section in chosen]
    return ways[0], ways[1], ways[2]


def _shows_percent(section: list[str]) -> bool:
    """Whether a section shows the number then a written `%`, with or without a minus (`-0"%"`,
    or `(0"%")` as accounts write a negative); an empty section shows nothing."""
    shape, digits = [], ""
    for token in section:
        if token[0] == '"':
            shape.append(token[1:].removesuffix('"'))
        elif token[0] == "\\":
            shape.append(token[1:])
        elif token[0] in "[_*":  # a colour, a width or a fill: nothing written
            continue
        elif token in _DIGIT:
            shape.append("\0")
            digits += token
        else:
            shape.append(token)
    # `0,"%"` shows thousands
    return bool(section) and _SHOWS_PERCENT.fullmatch("".join(shape)) is not None and not digits.endswith(",")


def as_excel_shows(value: float) -> Decimal:
    """A number cell's value to the 15 significant digits Excel keeps and shows (no typed
    value has more): a formula's `=11.7/13`, stored as 0.89999999999999991 and shown as
    0.9 (90.00%), is 0.9, not 0.8999999999999999 on the other side of a 90% band."""
    return Decimal(format(value, ".15g"))


def cell_value(value: object, number_format: str | None = None) -> object:
    """An XLSX cell's value, exact: a float as Excel shows it, dates as ISO text, blank text as None.
    A number in a cell formatted as a percentage is a percentage, as Excel shows it: a cell
    showing 120% (holding 1.2) is `"120%"`, never a bare number one could misread (PF523); so is
    one whose format writes a literal `%` after it (`0"%"` holding 90 shows 90%: `"90%"`)."""
    # `%` first: a cell of any other format (General, 0.00) is read with no Decimal made twice
    if number_format and "%" in number_format and isinstance(value, (int, float)) and not isinstance(value, bool):
        exact = as_excel_shows(value) if isinstance(value, float) else Decimal(value)
        if exact.is_finite() and _percent(number_format):
            sign, digits, exponent = exact.as_tuple()
            return f"{plain(Decimal((sign, digits, int(exponent) + 2)))}%"
        if exact.is_finite() and (shown := _shown_percent(number_format, exact)) is not None:
            return SheetPercent(shown, value if isinstance(value, int) else exact)  # a percent input's text; the number else
    if isinstance(value, float):
        return as_excel_shows(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, str):
        text = xlsx_text(value).strip()
        return text or None
    return value


# ECMA-376's ST_Xstring: a character XML cannot hold (a control character) is stored as
# `_xHHHH_`, and a `_x` that is text as `_x005F_x`; openpyxl hands both back as stored.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xlsx_text(stored: str) -> str:
    """A workbook's string as Excel shows it: each `_xHHHH_` the character it stands for (a
    surrogate, no character alone, is left as written)."""
    if "_x" not in stored:
        return stored
    return _ESCAPE.sub(_unescaped, stored)


def _unescaped(escape: re.Match[str]) -> str:
    code = int(escape.group(1), 16)
    return escape.group() if 0xD800 <= code < 0xE000 else chr(code)


def header_name(value: object) -> str:
    """A header cell's column name: its text as Excel shows it, stripped."""
    return "" if value is None else xlsx_text(str(value)).strip()


def _sniff(path: Path, refuse: bool = False) -> tuple[str, int | None]:
    """The encoding of a text file (utf-8-sig, utf-8, utf-16, utf-32 or gb18030) and its
    number of lines (None for UTF-16/32). With `refuse`, bytes that are neither UTF-8 nor
    plausibly GBK/GB18030 are a DataError (PF521) rather than a guess."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding, lines, last = "utf-8", 0, b""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                if not lines and not last:
                    wide = next((name for bom, name in _BOMS if chunk.startswith(bom)), None)
                    if wide is not None:  # the codec reads (and drops) the BOM; lines are not bytes
                        return wide, None
                    if chunk.startswith(_BOM):
                        encoding = "utf-8-sig"
                lines += chunk.count(b"\n")
                last = chunk[-1:]
                if encoding != "gb18030":
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        encoding = "gb18030"
            if encoding != "gb18030":
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    encoding = "gb18030"
    except OSError as error:
        raise _unreadable(path, error) from None
    if refuse and encoding == "gb18030" and not _gbk_like(path):
        big5 = _looks_big5(path)
        guess = {"guess": " (it reads as Big5: `--encoding big5`)" if big5 else "",
                 "guess_zh": "（按 Big5 可读：`--encoding big5`）" if big5 else ""}  # fmt: skip
        raise DataError([Problem("PF521", None, {"path": str(path), **guess})])
    return encoding, lines + (1 if last and last != b"\n" else 0)


def csv_encoding(path: Path) -> str:
    """The encoding `pingfen eval` reads a CSV file in (the DuckDB engine copies a file that is not
    UTF-8 into UTF-8 by it): UTF-8 with or without BOM, UTF-16/32 with a BOM, else GBK/GB18030;
    PF521 for bytes that are none of these."""
    return _sniff(path, refuse=True)[0]


def csv_delimiter(path: Path, encoding: str) -> str:
    """The delimiter `pingfen eval` reads a CSV file with, from its header line."""
    return _delimiter(_csv_header_line(path, encoding))


def _gbk_like(path: Path) -> bool:
    """Whether a file that is not UTF-8 reads as GBK text: most of its double-byte characters
    are GB2312's. Counted only for such a file: for UTF-8 (nearly every file) the bytes are
    read once, by `_sniff`."""
    double = common = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                if not chunk.isascii():
                    double += len(_DOUBLE.findall(chunk))
                    common += len(_GB2312.findall(chunk))
    except OSError as error:
        raise _unreadable(path, error) from None
    return common >= 0.8 * double


def reads_as_gbk(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are GBK text, as `_gbk_like` judges a file: they read as
    GB18030, most of their double-byte characters GB2312's, and few read as UTF-8 (a UTF-8 file
    with a stray byte in it is not GBK)."""
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    as_utf8 = data.decode("utf-8", errors="replace")
    if sum(not c.isascii() for c in as_utf8) > 2 * as_utf8.count("\ufffd"):
        return False
    return len(_GB2312.findall(data)) >= 0.8 * len(_DOUBLE.findall(data))


def _looks_big5(path: Path) -> bool:
    """Whether the file's start reads as Big5: what to suggest for `--encoding`."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_CHUNK)
        head[: head.rfind(b"\n") + 1 or None].decode("big5")  # whole lines: a chunk may end mid-character
    except (OSError, UnicodeDecodeError):
        return False
    return True


def _lines(handle: TextIO, refuse: bool = True) -> Iterator[Any]:
    """The lines of a text file, each of at most MAX_LINE_CHARS characters besides its end
    (`too_long`, as `--engine duckdb` counts them). A longer line is TooBig (with `refuse`),
    else None in its place; it is never read whole."""
    read = handle.readline
    while line := read(LINE_READ):
        if not too_long(line):
            yield line
            continue
        if refuse:
            raise line_too_long()
        if not line.endswith(("\n", "\r")):  # the rest of it, unread
            while (rest := read(MAX_LINE_CHARS)) and not rest.endswith("\n"):
                pass
        yield None


def _fits(cells: Sequence[str], columns: Sequence[str]) -> bool:
    """Whether a row with more cells than the header has only blank ones beyond it
    (a trailing comma), which shift nothing."""
    return len(cells) > len(columns) and not any(c.strip() for c in cells[len(columns):])


def _csv_header_line(path: Path, encoding: str) -> str:
    try:
        with path.open(encoding=encoding, newline="") as handle:
            first = handle.readline(LINE_READ)
    except LookupError:
        raise _unreadable(path, f"unknown encoding {encoding!r}", f"未知的编码 {encoding!r}") from None
    except UnicodeError:  # UTF-16 named without a BOM raises the plain UnicodeError
        raise DataError([Problem("PF512", None, {"path": str(path), "encoding": encoding, "row": 1})]) from None
    except OSError as error:
        raise _unreadable(path, error) from None
    if too_long(first):
        raise _unreadable(path, TooBig(f"the header is longer than {MAX_LINE_CHARS:,} characters",
                                       f"表头超过 {MAX_LINE_CHARS:,} 个字符"))  # fmt: skip
    return first


def _csv_header(path: Path, encoding: str) -> list[str]:
    first = _csv_header_line(path, encoding)
    cells = csv_cells(first, iter(()), _delimiter(first))
    if not cells:
        raise _unreadable(path, "the file is empty: the first row must name the columns", "文件是空的：第一行应写明各列的列名")
    return [csv_unquote(c.strip().lstrip("\ufeff")) for c in cells]  # as pingfen's own templates wrote them


def _xlsx_header(path: Path, name: str | None) -> tuple[list[str], int | None]:
    book = open_workbook(path)
    try:
        with xlsx_errors(path):
            sheet = sheet_of(book, path, name)
            first = next(sheet.iter_rows(max_row=1, values_only=True), ())
            rows = sheet.max_row
    finally:
        book.close()
    header = [header_name(c) for c in first]
    while header and not header[-1]:  # a sheet's stated width may run far past its last column
        header.pop()
    if not header:
        raise _unreadable(path, "the first row of the first sheet must name the columns", "第一个工作表的第一行应写明各列的列名")
    if len(header) > MAX_XLSX_COLUMNS or (rows or 0) * len(header) > MAX_XLSX_CELLS:
        raise _unreadable(path, TooBig(
            f"the sheet has more than {MAX_XLSX_CELLS:,} cells or {MAX_XLSX_COLUMNS:,} columns",
            f"工作表超过 {MAX_XLSX_CELLS:,} 个单元格或 {MAX_XLSX_COLUMNS:,} 列"))  # fmt: skip
    return header, rows - 1 if rows else None


HEADER_SEARCH = 20  # rows looked through for a header pushed down by a title, as `pingfen import` looks


def header_below(table: Rows, names: Collection[str]) -> int | None:
    """The first row, 2 to HEADER_SEARCH, with a cell that is one of `names`: the real header of
    a file whose first row is a title above it. Only a hint for an error, so a file that cannot
    be read this far gives None (the error it would give is the batch's own)."""
    rows: Iterable[Sequence[object]]
    try:
        if table.kind == "csv":
            assert table.encoding is not None
            with table.path.open(encoding=table.encoding, newline="") as handle:
                lines = list(itertools.islice(_lines(handle, refuse=False), HEADER_SEARCH))
            read = [line or "" for line in lines]
            # each line split by its own delimiter: the title row above has none to tell
            rows = [csv_cells(line, iter(()), _delimiter(line)) for line in read[1:]]
            return _named_row(rows, names)
        if table.kind != "xlsx":
            return None
        book = open_workbook(table.path)
        try:
            with xlsx_errors(table.path):
                sheet = sheet_of(book, table.path, table.sheet)
                rows = sheet.iter_rows(min_row=2, max_row=HEADER_SEARCH, max_col=MAX_XLSX_COLUMNS, values_only=True)
                return _named_row(rows, names)
        finally:
            book.close()
    except (DataError, OSError, UnicodeError, csv.Error, TooBig):
        return None


def sheet_naming(table: Rows, names: Collection[str]) -> str | None:
    """Another worksheet of an XLSX table, not the one read, whose first row has a cell that is
    one of `names`: the data, in a workbook saved showing another sheet. A hint, as `header_below`."""
    if table.kind != "xlsx" or table.sheet is not None:
        return None
    try:
        book = open_workbook(table.path)
        try:
            with xlsx_errors(table.path):
                sheets = book.worksheets
                read = shown_sheet(book)
                for index, sheet in enumerate(sheets):
                    first = next(sheet.iter_rows(max_row=1, max_col=MAX_XLSX_COLUMNS, values_only=True), ())
                    if index != read and _named_row([first], names) is not None:
                        return str(sheet.title)
        finally:
            book.close()
    except (DataError, OSError):
        return None
    return None


def _named_row(rows: Iterable[Sequence[object]], names: Collection[str]) -> int | None:
    for number, cells in enumerate(rows, start=2):
        if any(header_name(c) in names for c in cells if c is not None):
            return number
    return None


class Sheet(Protocol):
    """What pingfen reads of a worksheet opened read-only. (openpyxl's stubs give ReadOnlyWorksheet
    the methods of Worksheet, which mypy will not call on it; this states what is used.)"""

    @property
    def title(self) -> str: ...
    @property
    def max_row(self) -> int | None: ...
    @property
    def max_column(self) -> int | None: ...
    @overload
    def iter_rows(self, min_row: int | None = None, max_row: int | None = None, min_col: int | None = None,
                  max_col: int | None = None, *, values_only: Literal[True]) -> Iterator[tuple[object, ...]]: ...  # fmt: skip
    @overload
    def iter_rows(self, min_row: int | None = None, max_row: int | None = None, min_col: int | None = None,
                  max_col: int | None = None, *, values_only: Literal[False]) -> Iterator[tuple[Any, ...]]: ...  # fmt: skip


def sheet_of(book: Workbook, path: Path, name: str | None) -> Sheet:
    """The sheet called `name`, or the sheet shown (`shown_sheet`); PF508 if there is none."""
    sheets = book.worksheets
    if name is None and sheets:
        return sheets[shown_sheet(book)]
    found = [s for s in sheets if s.title == name]
    if not found:
        detail = (f"the workbook has no worksheet `{name}`", f"工作簿中没有名为 `{name}` 的工作表") if name else (
            "the workbook has no worksheet", "工作簿中没有工作表")  # fmt: skip
        raise _unreadable(path, TooBig(*detail))
    return found[0]


def shown_sheet(book: Workbook) -> int:
    """Which of `book.worksheets` Excel shows on opening the workbook: the active one when it is
    a visible worksheet, else the first visible one (a hidden one first, of lookups or last
    year's table, was read instead of the data), else the first. The workbook has a worksheet."""
    sheets = book.worksheets
    visible = [i for i, s in enumerate(sheets) if getattr(s, "sheet_state", "visible") == "visible"]
    active = book.active
    return next((i for i in visible if sheets[i] is active), visible[0] if visible else 0)


def open_workbook(path: Path) -> Workbook:
    """An XLSX workbook, read-only, with formulas' cached values; DataError (PF508) if unreadable
    or if it would unpack to more than the limits allow (checked before anything is unpacked)."""
    import openpyxl

    refuse_unregular(path)
    _check_zip(path)
    with xlsx_errors(path):
        return openpyxl.load_workbook(path, read_only=True, data_only=True)


def _check_zip(path: Path) -> None:
    """Refuse a zip bomb from its directory alone: too many parts, too large unpacked, or
    packed far tighter than a spreadsheet packs. Reading a part never yields more than the
    directory says (zipfile stops there, and the CRC then fails)."""
    import zipfile  # a workbook's only: a CSV batch never needs it

    with xlsx_errors(path), zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    if len(members) > MAX_XLSX_MEMBERS:
        raise _unreadable(path, TooBig(f"the workbook has more than {MAX_XLSX_MEMBERS:,} parts",
                                       f"工作簿的组成部分超过 {MAX_XLSX_MEMBERS:,} 个"))  # fmt: skip
    mb = MAX_XLSX_BYTES // (1024 * 1024)
    if sum(m.file_size for m in members) > MAX_XLSX_BYTES:
        raise _unreadable(path, TooBig(f"the workbook would unpack to more than {mb} MB",
                                       f"工作簿解压后超过 {mb} MB"))  # fmt: skip
    for m in members:
        if m.file_size > _CHUNK and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1):
            raise _unreadable(path, TooBig(
                f"`{m.filename[:60]}` in the workbook is packed more than {MAX_XLSX_RATIO}-fold, as a zip bomb is",
                f"工作簿中的 `{m.filename[:60]}` 压缩比超过 {MAX_XLSX_RATIO} 倍（疑为“压缩炸弹”）"))  # fmt: skip


@contextlib.contextmanager
def xlsx_errors(path: Path) -> Iterator[None]:
    """Whatever a malformed workbook makes zipfile or openpyxl raise, as PF508; a limit the
    reading met (TooBig) in its own words."""
    try:
        yield
    except TooBig as error:  # a limit of pingfen's (a cell too long), in its own words
        raise _unreadable(path, error) from None
    except _xlsx_errors() as error:
        if isinstance(error, OSError):  # the system's reason, in both languages
            text, text_zh = reason(error, "en"), reason(error, "zh")
        else:
            text = text_zh = (str(error).splitlines()[0:1] or [type(error).__name__])[0]
        raise _unreadable(path, TooBig(f"not a readable .xlsx workbook ({text[:200]})",
                                       f"不是可读取的 .xlsx 工作簿（{text_zh[:200]}）")) from None  # fmt: skip


# The id column when none is named: `id` (any case), else `编号`, the head pingfen's own
# Chinese output gives it, so a file written by `pingfen eval` is read back with its ids.
DEFAULT_IDS = ("id", "编号")


def default_id(record: dict[str, Any], wanted: str | None) -> object:
    """A record's id: the value of `wanted`, else of the first of DEFAULT_IDS it has."""
    if wanted:
        return record.get(wanted)
    return next((record[key] for key in DEFAULT_IDS if key in record), None)


def _id_column(path: Path, columns: tuple[str, ...], wanted: str | None) -> str | None:
    for name in (wanted,) if wanted else DEFAULT_IDS:
        for column in columns:
            if column == name:
                return column
        for column in columns:
            if column.lower() == name.lower():
                return column
    hidden = hidden_id(str(path), columns, wanted)
    if hidden is not None:  # PF528: every row would have no id, and nothing would say why
        raise DataError([hidden])
    if wanted is None:
        return None
    shown = ", ".join(invisible_escaped(c) for c in columns if c) or "—"  # `编号\u200b`: not 编号
    raise DataError([Problem("PF509", None, {"path": str(path), "column": wanted, "columns": shown})])


def renamed(rows: Iterable[Row], path: str, shown: str) -> Iterator[Row]:
    """The rows, a row's problem that names the file `path` (PF520: a row that does not fit the
    header) naming it as `shown` instead, and its cells of formulas never calculated (PF534):
    the workbench's upload by the name the user chose, not by its private copy."""
    for row in rows:
        problem = row.problem
        if problem is not None and problem.args.get("path") == path:
            row = evolve(row, problem=evolve(problem, args={**problem.args, "path": shown}))
        if row.formulas:
            row = evolve(row, formulas={k: (shown if at == path else at, sheet, cell)
                                        for k, (at, sheet, cell) in row.formulas.items()})  # fmt: skip
        yield row


def hidden_id(path: str, columns: Iterable[str], wanted: str | None) -> Problem | None:
    """PF528: the id column (`wanted`, else `id` or `编号`) is in the header only with an
    invisible character in its name (`id\u200b`, pasted from Word or Excel). Called where no
    column is the id as written; `pingfen eval` and `--engine duckdb` refuse the file alike."""
    columns = list(columns)
    if INVISIBLE_PATTERN.search("".join(map(str, columns))) is None:  # one search, not one per column: each JSON Lines line asks
        return None
    for name in (wanted,) if wanted else DEFAULT_IDS:
        for column in columns:
            char = INVISIBLE_PATTERN.search(column)
            if char is not None and without_invisible(column).lower() == name.lower():
                args = {"path": path, "column": invisible_escaped(column), "id": without_invisible(column),
                        "char": invisible_name(char.group(), "en"), "char_zh": invisible_name(char.group(), "zh")}  # fmt: skip
                return Problem("PF528", None, args, "invisible_column")
    return None


def _delimiter(first_line: str) -> str:
    """Comma, unless the header has none and uses tabs or semicolons instead."""
    if "," in first_line:
        return ","
    return max("\t;", key=first_line.count) if any(d in first_line for d in "\t;") else ","


def _blank_to_none(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    return value


def id_text(value: object) -> str | None:
    """A row's id as both engines write it: TRUE (an XLSX cell, a JSON `true`) is `true`, as
    `--engine duckdb` writes it (it was blank, and DuckDB's `true`). TooBig for a list or
    mapping (a JSON `["x"]`): an id is one text or number, not Python's `['x']`."""
    if type(value) is SheetPercent:  # `0"%"` holding 90 names the unit 90, as --engine duckdb names it
        value = value.number
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        kind, kind_zh = ("a list", "列表") if isinstance(value, list) else ("a mapping", "映射")
        raise TooBig(f"the id is {kind}: an id is one text or number", f"编号是{kind_zh}：编号应为一个文字或数值")
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(value.to_integral_value())
    text = str(value).strip()
    return text or None


def refuse_unregular(path: Path) -> None:
    """PF508 for a data file that is a device or a pipe (`数据.csv` a link to /dev/zero): a table
    is read twice (its encoding and lines counted, then its rows) and a workbook is a zip read
    by seeking, so such a file was read for ever, or until memory ran out. A file not there is
    left to the reader, which says so."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise _unreadable(path, "it is not a regular file but a device or a pipe: save the data to a file first",
                          "它不是普通文件，而是设备或管道：请先将数据保存为文件")  # fmt: skip


def _unreadable(path: Path, detail: str | Exception, zh: str | None = None) -> DataError:
    args = details(detail) if isinstance(detail, Exception) else {"detail": detail, "detail_zh": zh or detail}
    return DataError([Problem("PF508", None, {"path": str(path), **args})])


@functools.cache
def _xlsx_errors() -> tuple[type[BaseException], ...]:
    import zipfile
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.exceptions import InvalidFileException

    # SyntaxError covers the XML parsers' errors (ElementTree's ParseError, lxml's).
    return (OSError, EOFError, zipfile.BadZipFile, zlib.error, InvalidFileException, ParseError, SyntaxError,
            KeyError, IndexError, ValueError, TypeError, AttributeError, NotImplementedError, RuntimeError)


"""Rows of a batch file — CSV, XLSX or JSON Lines — one department per row, read lazily.

The first row of a CSV or XLSX file names the columns; the column `id` (or the one named
by `id_column`) names each row. Rows whose first cell starts with `#` are comments (the
templates' question row) and blank rows are skipped; empty cells are missing values.

XLSX cells arrive as openpyxl gives them and are made exact here: ints stay whole, a float
goes through `str` (a 95% cell holds 0.95), never `Decimal(float)`; bools stay bools.
CSV may be UTF-8 with or without a BOM, or GBK/GB18030 (Excel's default for Chinese),
sniffed from the bytes unless `encoding` is given.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import json
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import frozen

from pingfen.errors import DataError, Problem
from pingfen.io.records import no_duplicates
from pingfen.io.write import csv_unquote
from pingfen.lang import Lang

KINDS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_CHUNK = 1 << 20
_BOM = b"\xef\xbb\xbf"


@frozen
class Row:
    """One department: its row number in the file (the header is row 1; a JSONL line),
    its id if the file gives one, its values by column name, and the problem that kept
    it from being read, if any."""

    number: int
    id: str | None
    values: Mapping[str, object]
    problem: Problem | None = None

    def label(self, lang: Lang = "en") -> str:
        """The id, or the row number when the row has none."""
        if self.id:
            return self.id
        return f"第 {self.number} 行" if lang == "zh" else f"row {self.number}"


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
        assert self.encoding is not None
        number = 1
        try:
            with self.path.open(encoding=self.encoding, newline="") as handle:
                reader = csv.reader(handle, delimiter=_delimiter(handle.readline()))
                for number, cells in enumerate(reader, start=2):
                    row = self._row(number, cells)
                    if row is not None:
                        yield row
        except UnicodeDecodeError:
            raise DataError([Problem("PF512", None, {"path": str(self.path), "encoding": self.encoding,
                                                     "row": number + 1})]) from None  # fmt: skip
        except (OSError, csv.Error) as error:
            raise _unreadable(self.path, str(error)) from None

    def _xlsx(self) -> Iterator[Row]:
        book = open_workbook(self.path)
        try:
            rows = _sheet(book, self.sheet).iter_rows(values_only=True)
            next(rows, None)
            for number, cells in enumerate(rows, start=2):
                row = self._row(number, [cell_value(c) for c in cells])
                if row is not None:
                    yield row
        finally:
            book.close()

    def _row(self, number: int, cells: Sequence[object]) -> Row | None:
        if not any(c is not None and c != "" for c in cells):
            return None
        first = cells[0] if cells else None
        if isinstance(first, str) and first.lstrip().startswith("#"):
            return None
        values = {name: _blank_to_none(cell) for name, cell in zip(self.columns, cells, strict=False) if name}
        return Row(number, _id(values.get(self.id_column)) if self.id_column else None, values)

    def _jsonl(self) -> Iterator[Row]:
        try:
            with self.path.open(encoding="utf-8-sig") as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        yield self._json_row(number, line)
        except UnicodeDecodeError as error:
            raise _unreadable(self.path, str(error)) from None
        except OSError as error:
            raise _unreadable(self.path, error.strerror or str(error)) from None

    def _json_row(self, number: int, line: str) -> Row:
        try:
            data = json.loads(line, parse_float=Decimal, parse_int=Decimal, object_pairs_hook=no_duplicates)
        except ValueError as error:
            return Row(number, None, {}, Problem("PF510", None, {"path": str(self.path), "line": number,
                                                                "detail": str(error)}))  # fmt: skip
        if not isinstance(data, dict):
            detail = "expected a JSON object of input names to values"
            return Row(number, None, {}, Problem("PF510", None, {"path": str(self.path), "line": number,
                                                                "detail": detail}))  # fmt: skip
        key = self.id_column or "id"
        return Row(number, _id(data.get(key)), {str(k): v for k, v in data.items()})


def read_rows(
    path: str | Path, encoding: str | None = None, id_column: str | None = None, *, sheet: str | None = None
) -> Rows:
    """Open a batch file (.csv, .xlsx, .jsonl). The header is checked now; rows are read when iterated.

    `encoding` applies to CSV (default: sniffed, UTF-8 with or without BOM, else GB18030,
    which reads GBK). `id_column` names the id column (default `id`, if there is one).
    `sheet` picks an XLSX sheet by name (default: the first).
    Raises DataError: PF508 unreadable, PF509 no such id column, PF511 not a batch file.
    """
    path = Path(path)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise DataError([Problem("PF511", None, {"path": str(path), "what": "batch file", "what_zh": "批量数据",
                                                 "formats": ".csv, .xlsx, .jsonl"})])  # fmt: skip
    if kind == "jsonl":
        return Rows(path, kind, "utf-8", id_column, (), _sniff(path)[1])
    if kind == "csv":
        sniffed, lines = _sniff(path)
        encoding = encoding or sniffed
        header = _csv_header(path, encoding)
        total = max(lines - 1, 0)
    else:
        header, total = _xlsx_header(path, sheet)
    columns = tuple(header)
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:  # the last of two same-named columns would silently win
        raise _unreadable(path, f"the column `{repeated[0]}` appears more than once in the header")
    return Rows(path, kind, encoding, _id_column(path, columns, id_column), columns, total, sheet)


def is_table(path: str | Path) -> bool:
    """Whether `path` names a batch file (CSV, XLSX, JSON Lines) rather than one record."""
    return Path(path).suffix.lower() in KINDS


def cell_value(value: object) -> object:
    """An XLSX cell's value, exact: float through str, dates as ISO text, blank text as None."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        return text or None
    return value


def _sniff(path: Path) -> tuple[str, int]:
    """The encoding of a text file (utf-8-sig, utf-8 or gb18030) and its number of lines."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding, lines, last = "utf-8", 0, b""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                if not lines and not last and chunk.startswith(_BOM):
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
        raise _unreadable(path, error.strerror or str(error)) from None
    return encoding, lines + (1 if last and last != b"\n" else 0)


def _csv_header(path: Path, encoding: str) -> list[str]:
    try:
        with path.open(encoding=encoding, newline="") as handle:
            first = handle.readline()
    except LookupError:
        raise _unreadable(path, f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError:
        raise DataError([Problem("PF512", None, {"path": str(path), "encoding": encoding, "row": 1})]) from None
    except OSError as error:
        raise _unreadable(path, error.strerror or str(error)) from None
    cells = next(csv.reader([first], delimiter=_delimiter(first)), [])
    if not cells:
        raise _unreadable(path, "the file is empty: the first row must name the columns")
    return [csv_unquote(c.strip().lstrip("\ufeff")) for c in cells]  # as pingfen's own templates wrote them


def _xlsx_header(path: Path, name: str | None) -> tuple[list[str], int | None]:
    book = open_workbook(path)
    try:
        sheet = _sheet(book, name)
        first = next(sheet.iter_rows(max_row=1, values_only=True), ())
        total = sheet.max_row - 1 if sheet.max_row else None
    finally:
        book.close()
    header = ["" if c is None else str(c).strip() for c in first]
    if not any(header):
        raise _unreadable(path, "the first row of the first sheet must name the columns")
    return header, total


def _sheet(book: Any, name: str | None) -> Any:
    return book.worksheets[0] if name is None else book[name]


def open_workbook(path: Path) -> Any:
    """An XLSX workbook, read-only, with formulas' cached values; DataError (PF508) if unreadable."""
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as error:
        detail = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise _unreadable(path, f"not a readable .xlsx workbook ({detail})") from None


def _id_column(path: Path, columns: tuple[str, ...], wanted: str | None) -> str | None:
    name = wanted or "id"
    for column in columns:
        if column == name:
            return column
    for column in columns:
        if column.lower() == name.lower():
            return column
    if wanted is None:
        return None
    shown = ", ".join(c for c in columns if c) or "—"
    raise DataError([Problem("PF509", None, {"path": str(path), "column": wanted, "columns": shown})])


def _delimiter(first_line: str) -> str:
    """Comma, unless the header has none and uses tabs or semicolons instead."""
    if "," in first_line:
        return ","
    return max("\t;", key=first_line.count) if any(d in first_line for d in "\t;") else ","


def _blank_to_none(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _id(value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(value.to_integral_value())
    text = str(value).strip()
    return text or None


def _unreadable(path: Path, detail: str) -> DataError:
    return DataError([Problem("PF508", None, {"path": str(path), "detail": detail})])

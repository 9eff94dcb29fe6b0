"""Workbooks the tests build: one sheet of the rows given, as openpyxl writes it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def sheet_of(rows: Iterable[Sequence[object]]) -> Worksheet:
    """A new workbook's one sheet holding `rows`, each appended as it is (a string starting
    with `=` is a formula, saved with no result, as a program writes one). Its workbook is
    `sheet.parent`, to save once any cells are merged."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    return sheet

"""The CSV results writer hands rows to its file a few hundred at a time: the file is the
same as when each row was written as it came, and rows written before something stops the
run (a row that cannot be read, an interruption) still reach the file, as they did."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest

from pingfen.io import write
from pingfen.io.write import Line, csv_text, plain

HEADER = ["编号", "甲", "乙", "总分", "评价等次", "错误"]


def _lines(n: int) -> list[Line]:
    out: list[Line] = []
    for i in range(n):
        scores: list[Decimal | str | None] = [Decimal(i) / 7, Decimal(-i) if i % 5 == 0 else Decimal("1E+1")]
        if i % 11 == 0:
            scores = [None, "不适用"]
        total = (Decimal(i), Decimal(-i), Decimal("1E+2"), Decimal("-0"), None)[i % 5]
        grade = ("优", None, "=1+1", "-5", "@x", "+")[i % 6]  # text a spreadsheet would run, and a number
        out.append((f"=D{i}" if i % 13 == 0 else f"D{i}", scores, total, grade,
                    "PF501: 坏" if i % 17 == 0 else None))  # fmt: skip
    return out


def _row_by_row(lines: list[Line]) -> str:
    """What the writer wrote before it kept rows in chunks: each row straight to the file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_text(name) for name in HEADER])
    for row_id, scores, total, grade, error in lines:
        texts = [plain(c) if type(c) is Decimal or c is None else csv_text(str(c)) for c in scores]
        writer.writerow([csv_text(row_id) if row_id else "", *texts, plain(total), csv_text(grade) if grade else "",
                         csv_text(error) if error else ""])  # fmt: skip
    return out.getvalue()


@pytest.mark.parametrize("n", [0, 1, write._CHUNK_ROWS - 1, write._CHUNK_ROWS, write._CHUNK_ROWS + 1, 1000])
def test_the_file_is_the_same_as_row_by_row(n: int) -> None:
    out = io.StringIO()
    assert write._csv(iter(_lines(n)), HEADER, out) == n
    assert out.getvalue() == _row_by_row(_lines(n))


class Stop(Exception):
    pass


def test_rows_before_a_stop_reach_the_file() -> None:
    lines = _lines(700)

    def stopping() -> Iterator[Line]:
        yield from lines[:300]
        raise Stop

    out = io.StringIO()
    with pytest.raises(Stop):
        write._csv(stopping(), HEADER, out)
    assert out.getvalue() == _row_by_row(lines[:300])


def test_a_failed_write_is_not_written_twice() -> None:
    class Full(io.StringIO):
        failed = False

        def write(self, text: str) -> int:
            if not self.failed and text:
                self.failed = True
                raise OSError("disk full")
            return super().write(text)

    out = Full()
    with pytest.raises(OSError, match="disk full"):
        write._csv(iter(_lines(600)), HEADER, out)
    assert out.getvalue() == ""  # the chunk that failed, and nothing after it, as a row-by-row writer stops

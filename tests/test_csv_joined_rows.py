"""The CSV results writer joins a row of plain scores itself, without the csv module's
`writerow`: the file is byte for byte what `writerow` wrote for every row, whatever the
ids, grades, errors and scores (cells the csv module quotes, formula-like text, signs,
exponents, -0, None, text scores, a text score holding a comma, no indicators at all)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pingfen.io import write
from pingfen.io.write import Line, csv_text, plain

# Texts a cell may hold: quoted by the csv module (`,` `"` CR LF), run by a spreadsheet, plain.
TEXT = st.one_of(
    st.sampled_from(["D1", "单位000001", "a,b", 'say "hi"', "x\ry", "x\nn", "=1+1", "-5", "+", "@x", "\tx", "优秀", "", " "]),
    st.text(alphabet=st.sampled_from('a,"\r\n=-+@ 0.5优'), max_size=6),
)
DECIMAL = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-100, max_value=100),
    st.sampled_from([Decimal("-0"), Decimal("1E+1"), Decimal("2.50"), Decimal("0E-3"), Decimal("5"), Decimal("0.125")]),
)
SCORE = st.one_of(DECIMAL, DECIMAL, st.none(), st.sampled_from(["不适用", "N/A", "1,2", "12", "=1"]))


def _reference(lines: list[Line], header: list[str]) -> str:
    """Every row through `writerow`, each cell as `plain` and `csv_text` write it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_text(name) for name in header])
    for row_id, scores, total, grade, error in lines:
        texts = [plain(c) if type(c) is Decimal or c is None else csv_text(str(c)) for c in scores]
        writer.writerow([csv_text(row_id) if row_id else "", *texts, plain(total), csv_text(grade) if grade else "",
                         csv_text(error) if error else ""])  # fmt: skip
    return out.getvalue()


@given(
    width=st.integers(0, 4),
    rows=st.lists(
        st.tuples(st.one_of(st.none(), TEXT), st.lists(SCORE, min_size=4, max_size=4), st.one_of(st.none(), DECIMAL),
                  st.one_of(st.none(), TEXT), st.one_of(st.none(), TEXT)),  # fmt: skip
        max_size=8,
    ),
)
def test_the_file_is_what_writerow_wrote(width: int, rows: list[tuple[Any, ...]]) -> None:
    header = ["编号", *(f"指标{i}" for i in range(width)), "总分", "评价等次", "错误"]
    lines: list[Line] = [(i, s[:width], t, g, e) for i, s, t, g, e in rows]
    out = io.StringIO()
    assert write._csv(iter(lines), header, out) == len(lines)
    assert out.getvalue() == _reference(lines, header)


def test_a_row_of_plain_scores_is_joined_and_others_are_not() -> None:
    header = ["编号", "甲", "乙", "总分", "评价等次", "错误"]
    lines: list[Line] = [
        ("D1", [Decimal("4.5"), Decimal(5)], Decimal("9.5"), "优秀", None),
        ("D,2", [Decimal("4.5"), Decimal(5)], Decimal("9.5"), "优秀", None),  # quoted id
        ("D3", [Decimal("-1"), Decimal("1E+1")], Decimal("-1"), None, None),  # a sign, an exponent
        ("D4", [None, None], None, None, "PF501: 坏"),
        ("D5", ["1,2", Decimal(1)], Decimal(1), None, None),  # a text score holding a comma: quoted
    ]
    out = io.StringIO()
    write._csv(iter(lines), header, out)
    assert out.getvalue().split("\r\n")[1:-1] == [
        "D1,4.5,5,9.5,优秀,",
        '"D,2",4.5,5,9.5,优秀,',
        "D3,-1,10,-1,,",
        "D4,,,,,PF501: 坏",
        'D5,"1,2",1,1,,',
    ]


def test_writerow_is_left_to_the_rows_that_need_it(monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[list[str]] = []
    real = csv.writer

    class Counting:
        def __init__(self, file: Any, lineterminator: str) -> None:
            self.writer = real(file, lineterminator=lineterminator)

        def writerow(self, row: list[str]) -> object:
            written.append(row)
            return self.writer.writerow(row)

    monkeypatch.setattr(csv, "writer", Counting)
    plain_row: Line = ("D1", [Decimal("4.5"), Decimal(5)], Decimal("9.5"), "优秀", None)
    failed: Line = ("D2", [None, None], None, None, "PF501: 坏")
    write._csv(iter([plain_row] * 300 + [failed]), ["编号", "甲", "乙", "总分", "评价等次", "错误"], io.StringIO())
    assert [row[0] for row in written] == ["编号", "D2"]  # the header and the failed row only

"""The CSV cell reader written out per rubric (`texts.cell_reader`) reads every cell as the
record reader (`texts.reader`) reads the same text, whatever the names, labels and texts;
nothing of a name or label is ever written into its code."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pingfen.evaluate import texts

KINDS = ("score", "count", "amount", "percent", "bool", "label")
ODD = ("是", "否", "Yes", "TRUE", "true", "True", "y", "N", "1", "0", "", " 1", "1 ", "5.00", "-3.5", "95%", "95.5%",
       "1e3", "1,000", "１２", "%", "-0", "0.0", "大型", "大型 ", "中型", "x'] or __import__('os')", "\n")  # fmt: skip
# Names and labels a code generator could trip on: quotes, brackets, newlines, code.
NAMES = ("得分", "a'b", 'a"b', "k0", "v1", "]\nimport os\n", "__import__('os').system('false')", "c[0]", "return")


def _record(names: Sequence[str], cells: Sequence[str]) -> dict[str, object]:
    """The row made a record as the general path makes it: blank cells missing."""
    return {n: c for n, c in zip(names, cells, strict=True) if c != ""}


@given(
    kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=len(NAMES)),
    rows=st.lists(st.lists(st.sampled_from(ODD), min_size=len(NAMES), max_size=len(NAMES)), min_size=1, max_size=6),
    labels=st.lists(st.sampled_from(("大型", "中型", " 小型", "a'b", "]\nx")), max_size=3),
)
def test_cells_are_read_as_the_record_reader_reads_them(
    kinds: list[str], rows: list[list[str]], labels: list[str]
) -> None:
    names = NAMES[: len(kinds)]
    inputs = tuple((n, k, tuple(labels) if k == "label" else ()) for n, k in zip(names, kinds, strict=True))
    columns = ("id", *reversed(names))  # not in the inputs' order: each input finds its column
    read = texts.cell_reader(inputs, columns)
    plain = texts.reader(inputs)
    assert read is not None
    for row in rows:
        cells = ["D1", *reversed(row[: len(names)])]
        expected = plain(_record(columns, cells)) if all(c.strip() == c for c in row[: len(names)]) else None
        got = read(cells)
        if got is None:  # the general path reads it: a text with spaces around is never plain here
            assert expected is None or any(c != c.strip() for c in cells)
            continue
        assert got == expected and list(got) == list(names)
        assert all(type(got[n]) is type(expected[n]) for n in names)  # type: ignore[index]  # not None: compared


def test_a_cell_the_fast_reader_takes_is_taken_by_the_record_reader_too() -> None:
    inputs = (("甲", "score", ()), ("乙", "bool", ()), ("丙", "percent", ()), ("丁", "label", ("大型", "中型")))
    read = texts.cell_reader(inputs, ("id", "甲", "乙", "丙", "丁"))
    assert read is not None
    assert read(["x", "5.00", "TRUE", "95%", "大型"]) == texts.reader(inputs)({"甲": "5.00", "乙": "TRUE", "丙": "95%", "丁": "大型"})
    for odd in (["x", "5.00 ", "是", "1", "大型"], ["x", "1", "maybe", "1", "大型"], ["x", "1", "是", "1", "小型"],
                ["x", "1e3", "是", "1", "大型"], ["x", "1", "是", "", "大型"]):  # fmt: skip
        assert read(odd) is None


def test_the_reader_keeps_no_more_texts_than_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(texts, "_KEPT", 5)
    read = texts.cell_reader((("甲", "score", ()),), ("甲",))
    assert read is not None
    for i in range(50):
        assert read([str(i)]) == {"甲": texts.Decimal(i)}
    kept = [cell for cell in read.__code__.co_names]  # the reader names only its scope's tables
    assert all(n.startswith(("k", "t", "l", "v")) for n in kept), kept
    table = read.__globals__["t0"]
    assert len(table) == 5


def test_no_name_or_label_is_written_into_the_code() -> None:
    names = ("]\nimport os", *(n for n in NAMES if n == n.strip()))  # a label with spaces around is never plain
    inputs = tuple((n, "label", (n,)) for n in names)
    read = texts.cell_reader(inputs, names)
    assert read is not None
    assert read(list(names)) == {n: n for n in names}
    assert not any(n in read.__code__.co_consts for n in names)

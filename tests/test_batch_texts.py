"""The CSV batch's two tables of texts (issue 11): the cells' values, read in C from a table
per kind of input (`texts.cell_reader`), and each score's CSV text kept by the score's own
text (`batch._ScoreTexts`). Both are bounded, and neither changes a byte of the output:
tests/test_batch_fast.py compares whole files with the Row-by-Row path; here the edges."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen import batch
from pingfen.batch import Summary, indicator_names, score_file, score_rows
from pingfen.display import canonical
from pingfen.evaluate import texts
from pingfen.evaluate.texts import cell_reader, reader
from pingfen.io.tables import read_rows
from pingfen.io.write import plain, write_results

# Every kind of input: a number, a percent, a flag and a label; the scores come out as
# computed (-n, n - 0.50: trailing zeros and signs), which the CSV writes canonically.
TEXT = (
    'rubric "文本" { total 20 }\n'
    "input n: number\ninput p: percent\ninput f: bool\ninput k: label { 甲, 乙 }\n"
    "group 组 20 {\n"
    "  indicator 负 5 { score = -n }\n"
    "  indicator 差 5 { score = n - 0.50 }\n"
    "  indicator 率 5 { score = p * 5 }\n"
    "  indicator 标 5 { score = if f and k = 甲 then 5 else 2.50 }\n"
    "}\n"
)
RUBRIC = pingfen.loads(TEXT)
INPUTS = tuple((s.name, s.type, s.labels) for s in RUBRIC.inputs)
COLUMNS = ["id", "n", "p", "f", "k"]


def _rows(count: int) -> list[list[str]]:
    flags = ["是", "否", "YES", "no", "True", "N"]
    return [[f"D{i}", f"{i % 7}.{i:03d}", f"{i % 100}%", flags[i % len(flags)], "甲乙"[i % 2]] for i in range(count)]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([COLUMNS, *rows])
    return path


def _general(data: Path) -> str:
    """The file the Row-by-Row path writes: every row made a Row, scored, written canonically."""
    indicators = indicator_names(RUBRIC)
    out = io.StringIO()
    lines = (s.line(indicators, "zh") for s in score_rows(RUBRIC, read_rows(data, id_column="id")))
    write_results(lines, indicators, "csv", out=out, lang="zh")
    return out.getvalue()


def _fast(data: Path) -> tuple[str, Summary]:
    out = io.StringIO()
    summary = score_file(RUBRIC, data, out=out, id_column="id")
    return out.getvalue(), summary


def test_the_cells_read_as_the_record_is_read() -> None:
    """Each row's values are those `reader` gives the same row as a record, flags in any case included."""
    read, whole = cell_reader(INPUTS, COLUMNS), reader(INPUTS)
    assert read is not None
    for cells in [*_rows(40), ["x", "1", "5%", "TRUE", "乙"], ["x", "-0", "-0.5%", "0", "甲"]]:
        assert read(cells) == whole(dict(zip(COLUMNS, cells, strict=True)))
    for odd in (["x", " 1", "5%", "是", "甲"], ["x", "1", "", "是", "甲"], ["x", "1", "5%", "maybe", "甲"],
                ["x", "1", "5%", "是", "丙"], ["x", "1", "5%", "是", " 甲"], ["x", "1e3", "5%", "是", "甲"]):  # fmt: skip
        assert read(odd) is None  # not plain: the general path reads it, or refuses it


def test_a_table_keeps_no_more_texts_than_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(texts, "_KEPT", 5)
    read = cell_reader(INPUTS, COLUMNS)
    assert read is not None
    rows = _rows(60)
    values = [read(cells) for cells in rows]
    tables = {id(t): t for cell in read.__closure__ or () for t in _tables(cell.cell_contents)}
    assert tables and all(len(t) <= max(5, len(texts._BOOL)) for t in tables.values())
    # beyond the bound each new text is still read, the same way
    assert values == [reader(INPUTS)(dict(zip(COLUMNS, cells, strict=True))) for cells in rows]


def _tables(contents: object) -> list[dict[str, object]]:
    if isinstance(contents, list):
        return [t for t in contents if isinstance(t, dict)]
    return []


def test_a_file_beyond_the_bounds_is_written_as_the_general_path_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _csv(tmp_path / "data.csv", _rows(80))
    want = _general(data)
    assert _fast(data)[0] == want
    monkeypatch.setattr(texts, "_KEPT", 3)
    monkeypatch.setattr(batch, "_KNOWN", 3)
    got, summary = _fast(data)
    assert got == want and summary.rows == 80 and summary.ok


@pytest.mark.parametrize(
    ("computed", "text"),
    [("3.0", "3"), ("2.50", "2.5"), ("2E+1", "20"), ("1.20E+2", "120"), ("-0", "0"), ("0.00", "0"),
     ("-0E-3", "0"), ("-2.50", "-2.5"), ("0.125", "0.125"), ("5", "5"), ("1E-7", "0.0000001")],
)  # fmt: skip
def test_a_score_is_written_as_its_canonical_form(computed: str, text: str) -> None:
    assert batch._ScoreTexts()[computed] == text == plain(canonical(Decimal(computed)))


@pytest.mark.parametrize("computed", ["NaN", "-NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_score_that_is_not_finite_is_left_to_the_general_line(computed: str) -> None:
    known = batch._ScoreTexts()
    with pytest.raises(KeyError):
        known[computed]
    assert not known


def test_score_texts_are_kept_up_to_their_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "_KNOWN", 4)
    known = batch._ScoreTexts()
    assert [known[f"{i}.0"] for i in range(10)] == [str(i) for i in range(10)]
    assert len(known) == 4

"""`pingfen eval` of a batch on its fast paths gives exactly what the general ones gave.

- A CSV row of plainly written cells goes from the csv module straight to the compiled
  scorer (`batch._csv_rows`): every file is written byte for byte as the Row-by-Row path
  writes it, bad rows refused with the same codes, blank and comment rows skipped.
- The XLSX results sheet is written as XML straight into the zip (`io/sheet.py`): openpyxl
  reads back what it read from openpyxl's own writer (values, types, styles, frozen panes),
  and text keeps every character, including those openpyxl refused to write.
"""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pingfen
from data_helpers import as_text, write_csv
from pingfen.batch import Summary, score_columns, score_file, score_rows
from pingfen.evaluate.rubric import Rubric
from pingfen.io.records import read_record
from pingfen.io.sheet import _number, column_letters, text_xml
from pingfen.io.tables import read_rows
from pingfen.io.write import Line, csv_text, formula_like, plain, safe_cell, write_results
from strategies import random_rubrics, records_2021

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
RUBRIC = pingfen.load(RULESET)
FULL = read_record(ROOT / "examples" / "dept-overall-2021" / "full-marks.json")
NAMES = [spec.name for spec in RUBRIC.inputs]


def general(rubric: Rubric, data: Path, id_column: str | None, lang: str = "zh") -> tuple[str, list[Any]]:
    """The file and refusals the path before the fast one gave: every row made a Row, then scored."""
    indicators, penalties = score_columns(rubric)
    summary = Summary()

    def lines():  # type: ignore[no-untyped-def]
        for scored in score_rows(rubric, read_rows(data, id_column=id_column), lang):  # type: ignore[arg-type]
            summary.rows += 1
            if scored.error is not None:
                summary.fail(scored)
            yield scored.line(indicators, lang, penalties)  # type: ignore[arg-type]

    out = io.StringIO()
    write_results(lines(), indicators, "csv", out=out, lang=lang)  # type: ignore[arg-type]
    return out.getvalue(), failures(summary)


def failures(summary: Summary) -> list[Any]:
    return [summary.rows, summary.failures,
            [(s.row.number, s.row.id, [p.code for p in s.error.problems]) for s in summary.failed if s.error]]  # fmt: skip


def fast(rubric: Rubric, data: Path, id_column: str | None, lang: str = "zh") -> tuple[str, list[Any]]:
    out = io.StringIO()
    summary = score_file(rubric, data, out=out, id_column=id_column, lang=lang)  # type: ignore[arg-type]
    return out.getvalue(), failures(summary)


# Spellings around the fast path's edges, each in every input: the same file either way.
ODD = ["", " ", "+5", " 5", "5 ", "1,000", "５", "1e3", ".5", "-0", "3.0", "-3", "150%", "55", "0.5%", "５５％",
       "1" + "0" * 101, "NaN", "true", "TRUE", "Yes", " 是", "1", "0", "2", "√", "abc", "优", " 优", "不适用"]  # fmt: skip


def test_odd_rows_are_written_as_the_general_path_writes_them(tmp_path: Path) -> None:
    plain = [as_text(FULL[n]) for n in NAMES]
    rows = [["单位0", *plain], ["  单位1  ", *plain], ["=HYPERLINK(1)", *plain], ["", *plain]]
    rows += [[f"单位{i}-{j}", *plain[:i], text, *plain[i + 1 :]] for i in range(len(NAMES)) for j, text in enumerate(ODD)]
    rows += [["# 注释", *plain], ["", *([""] * len(NAMES))], ["短行", "1"], ["多一列", *plain, ""], ["多两列", *plain, "x", ""]]
    data = write_csv(tmp_path / "data.csv", ["单位", *NAMES], rows)
    for lang in ("zh", "en"):
        got, want = fast(RUBRIC, data, "单位", lang), general(RUBRIC, data, "单位", lang)
        assert got == want
    assert want[1][1] > len(NAMES)  # many rows refused, each as before


def test_plain_rows_never_take_the_general_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = [as_text(FULL[n]) for n in NAMES]
    rows = [[f"D{i}", *plain] for i in range(50)] + [["坏行", *([" 1,0 "] * len(NAMES))]]
    data = write_csv(tmp_path / "data.csv", ["id", *NAMES], rows)
    calls = []
    evaluate = Rubric.evaluate

    def counted(self: Rubric, *args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("record"))
        return evaluate(self, *args, **kwargs)

    monkeypatch.setattr(Rubric, "evaluate", counted)
    text, summary = fast(RUBRIC, data, None)
    assert calls == ["坏行"]  # only the row that is not plain
    assert summary[:2] == [51, 1] and text.count("\r\n") == 52


@given(st.lists(records_2021(), min_size=1, max_size=8))
def test_random_records_write_the_same_file(records: list[dict[str, object]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        rows = [[f"D{i}", *(as_text(r[n]) for n in NAMES)] for i, r in enumerate(records)]
        data = write_csv(Path(folder) / "data.csv", ["id", *NAMES], rows)
        assert fast(RUBRIC, data, None) == general(RUBRIC, data, None)


@given(st.data())
def test_random_rubrics_write_the_same_file(data: st.DataObject) -> None:
    import tempfile

    gen = data.draw(random_rubrics(), label="rubric")
    rubric = pingfen.loads(gen.text)
    records = data.draw(st.lists(st.one_of(gen.records, gen.any_records), min_size=1, max_size=5), label="records")
    names = [spec.name for spec in rubric.inputs]
    with tempfile.TemporaryDirectory() as folder:
        rows = [[f"R{i}", *(as_text(r.get(n, "")) for n in names)] for i, r in enumerate(records)]
        path = write_csv(Path(folder) / "data.csv", ["id", *names], rows)
        assert fast(rubric, path, None) == general(rubric, path, None)


# ---------------------------------------------------------------- the XLSX sheet


def openpyxl_sheet(lines: list[Line], header: list[str], path: Path) -> None:
    """The writer before issue 11's: openpyxl's write-only workbook, cell by cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("评分结果")  # the Chinese sheet, as the header above
    sheet.freeze_panes = "B2"

    def cells(values: list[Any], every: bool = False) -> list[Any]:
        out: list[Any] = []
        for c in values:
            if every or (isinstance(c, str) and c.startswith(("=", "+", "-", "@", "\t", "\r"))):
                cell = WriteOnlyCell(sheet, value=c)
                safe_cell(cell)
                if every:
                    cell.font = Font(bold=True)
                out.append(cell)
            else:
                out.append(None if c == "" else c)
        return out

    sheet.append(cells(header, every=True))
    for row_id, scores, total, grade, error in lines:
        sheet.append(cells([row_id or "", *scores, total, grade or "", error or ""]))
    book.save(path)


def seen(path: Path) -> list[list[Any]]:
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet.title in ("results", "评分结果") and sheet.freeze_panes == "B2"  # its name in English or 中文
    return [[(c.value, c.data_type, c.quotePrefix, bool(c.font.b)) for c in row] for row in sheet.iter_rows()]


# Text openpyxl could write (it refuses control characters): the reference for what is read back.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("=+-@\t&<>_x0041 "), max_size=12)
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=None) | st.sampled_from(
    [Decimal("4.1666666666666666666666666667"), Decimal("0E-28"), Decimal("1E+2"), Decimal("-0"), Decimal("87.00")]
)
LINES = st.lists(
    st.tuples(st.none() | TEXT, st.lists(st.none() | DECIMALS | st.just("不适用") | TEXT, min_size=2, max_size=2),
              st.none() | DECIMALS, st.none() | TEXT, st.none() | TEXT),  # fmt: skip
    max_size=6,
)


# a rubric names every indicator, once, and none as an output's own column (PF705)
@given(LINES, st.lists(TEXT.filter(lambda t: t not in ("", "编号", "总分", "评价等次", "错误")), min_size=2, max_size=2,
                       unique=True))  # fmt: skip
def test_the_sheet_reads_back_as_openpyxls_did(lines: list[Line], names: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        ours, theirs = Path(folder) / "ours.xlsx", Path(folder) / "theirs.xlsx"
        write_results(lines, names, "xlsx", ours, lang="zh")
        openpyxl_sheet(lines, ["编号", *names, "总分", "评价等次", "错误"], theirs)
        assert seen(ours) == seen(theirs)
        assert openpyxl.load_workbook(ours).active.title == "评分结果"


def test_formula_like_text_is_quoted_and_never_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_results([("=1+1", [Decimal(-5), "@x"], Decimal("9.17"), "-", "+1")], ["=SUM(A1)", "甲"], "xlsx", path)
    rows = seen(path)
    assert rows[0][1] == ("=SUM(A1)", "s", True, True)
    assert rows[1][:3] == [("=1+1", "s", True, False), (-5, "n", False, False), ("@x", "s", True, False)]
    assert rows[1][4:] == [("-", "s", True, False), ("+1", "s", False, False)]  # "+1" is a number as text
    assert formula_like("-") and not formula_like("+1")


def test_every_character_is_kept(tmp_path: Path) -> None:
    """What XML cannot hold is written as Excel's escapes; a literal escape stays literal."""
    path = tmp_path / "out.xlsx"
    text = "a\x01b\x1b[2J\rc&<>_x0041_ d "
    write_results([(text, [Decimal(1)], Decimal(1), None, None)], ["甲"], "xlsx", path)
    assert text_xml(text) == "a_x0001_b_x001B_[2J&#13;c&amp;&lt;&gt;_x005F_x0041_ d "
    with zipfile.ZipFile(path) as book:
        assert book.testzip() is None
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert f'<t xml:space="preserve">{text_xml(text)}</t>' in sheet
    cell = openpyxl.load_workbook(path).active["A2"].value  # openpyxl does not decode Excel's escapes
    assert cell == "a_x0001_b_x001B_[2J\rc&<>_x005F_x0041_ d "


def test_column_letters() -> None:
    assert [column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702, 16383)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]  # fmt: skip


@given(st.decimals(allow_nan=False, allow_infinity=False) | st.decimals(allow_nan=False, allow_infinity=False, places=3))
def test_numbers_are_written_as_openpyxl_writes_them(value: Decimal) -> None:
    expected = "%.16g" % value  # noqa: UP031 - openpyxl's own formatting, as it is
    assert _number(value) == ("" if expected in ("inf", "-inf") else expected)
    canonical = Decimal(plain(value))  # the scores a batch writes
    assert _number(canonical) == "%.16g" % canonical  # noqa: UP031


@pytest.mark.parametrize("text", ["0", "-0", "3", "3.0", "87.00", "0.0001", "0.00001", "-0.00001", "1E+2", "1E-7",
                                  "123456789012345", "1234567890123456", "0.1", "4.1666666666666666666666666667",
                                  "99999999999999.9", "-1.5", "1e15", "1e16"])  # fmt: skip
def test_number_edges(text: str) -> None:
    assert _number(Decimal(text)) == "%.16g" % Decimal(text)  # noqa: UP031


def test_a_csv_batch_imports_no_reports_nor_openpyxl(tmp_path: Path) -> None:
    """Start-up: `pingfen eval RULESET DATA.csv -o OUT.csv|xlsx` imports neither the report
    renderers nor openpyxl (the XLSX results are written without it)."""
    import os
    import subprocess
    import sys

    data = write_csv(tmp_path / "data.csv", ["id", *NAMES], [["D1", *(as_text(FULL[n]) for n in NAMES)]])
    code = ("import sys; from pingfen.cli import main; "
            f"main(['eval', {str(RULESET)!r}, {str(data)!r}, '-o', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.startswith(('pingfen.report', 'openpyxl'))))")  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for out in ("out.csv", "out.xlsx"):
        run = subprocess.run([sys.executable, "-c", code, str(tmp_path / out)], env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == "[]"
    assert openpyxl.load_workbook(tmp_path / "out.xlsx").active["A2"].value == "D1"


@given(st.lists(st.none() | DECIMALS | st.sampled_from(["不适用", "N/A", "5", "-5", "=1"]) | TEXT, max_size=5))
def test_a_csv_row_of_scores_is_written_cell_by_cell(scores: list[Any]) -> None:
    """The writer checks a row's scores at once (digits and points only); any other row is
    written cell by cell, and both give each cell as `plain` and `csv_text` write it."""
    out = io.StringIO()
    write_results([("D1", scores, Decimal("87.00"), "优秀", None)], [f"s{i}" for i in range(len(scores))], "csv", out=out)
    cells = list(csv.reader(io.StringIO(out.getvalue(), newline="")))[1]
    want = [plain(c) if isinstance(c, Decimal) or c is None else csv_text(c) for c in scores]
    assert cells == ["D1", *want, "87.00", "优秀", ""]


def test_a_total_shows_the_places_it_was_rounded_to(tmp_path: Path) -> None:
    """The batch workbook showed a total of 87.00 as 87 (General), where the CSV says 87.00."""
    path = tmp_path / "out.xlsx"
    lines = [("甲", [Decimal(5)], Decimal("87.00"), "良好", None), ("乙", [Decimal("2.5")], Decimal("90.5"), "优秀", None),
             ("丙", [None], None, None, "PF501")]  # fmt: skip
    write_results(lines, ["指标"], "xlsx", path)
    sheet = openpyxl.load_workbook(path).active
    assert [(c.value, c.number_format) for c in sheet["C"][1:]] == [(87, "0.00"), (90.5, "0.0"), (None, "General")]
    assert sheet["B2"].number_format == "General"  # scores as they are

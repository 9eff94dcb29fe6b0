"""Reading batch files: CSV encodings, Excel's own cells, ids, comments, bad files."""

from __future__ import annotations

import datetime
import io
import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from data_helpers import RULESET
from pingfen.cli import main
from pingfen.errors import DataError
from pingfen.io import read_rows
from pingfen.io.records import read_department
from pingfen.io.tables import cell_value

HEADER = "id,在职人数,满意度,已制定预算管理制度\r\n"
BODY = "A01,14,95%,是\r\nA02,12,0.9,否\r\n"


def rows_of(path: Path, **kwargs: object) -> list[tuple[int, str | None, dict[str, object]]]:
    return [(r.number, r.id, dict(r.values)) for r in read_rows(path, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("encoding", "sniffed"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030")]
)
def test_csv_encodings_are_sniffed(tmp_path: Path, encoding: str, sniffed: str) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes((HEADER + BODY).encode(encoding))
    rows = read_rows(path)
    assert rows.encoding == sniffed
    assert rows.columns == ("id", "在职人数", "满意度", "已制定预算管理制度")
    assert [(r.id, dict(r.values)) for r in rows] == [
        ("A01", {"id": "A01", "在职人数": "14", "满意度": "95%", "已制定预算管理制度": "是"}),
        ("A02", {"id": "A02", "在职人数": "12", "满意度": "0.9", "已制定预算管理制度": "否"}),
    ]


def test_gbk_beyond_the_first_chunk_is_still_sniffed(tmp_path: Path) -> None:
    """The sniffer reads the whole file: a GBK character far down is still found."""
    ascii_rows = "".join(f"R{i},1,0.5,1\r\n" for i in range(60_000))
    path = tmp_path / "late.csv"
    path.write_bytes((HEADER.replace("在职人数", "a").replace("满意度", "b").replace("已制定预算管理制度", "c")
                      + ascii_rows + "末行,1,0.5,是\r\n").encode("gbk"))  # fmt: skip
    rows = read_rows(path)
    assert rows.encoding == "gb18030"
    assert list(rows)[-1].id == "末行"


def test_utf16_named_for_a_file_without_a_bom_is_pf512(tmp_path: Path) -> None:
    """Python's UTF-16 codec raises a plain UnicodeError (not a decoding error) for a file
    with no byte-order mark: it was an internal error."""
    path = tmp_path / "data.csv"
    path.write_bytes((HEADER + BODY).encode("utf-8"))
    for encoding in ("utf-16", "utf-32"):
        with pytest.raises(DataError) as info:
            list(read_rows(path, encoding=encoding))
        assert info.value.code == "PF512", encoding


def test_explicit_encoding_wins_and_a_wrong_one_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes((HEADER + BODY).encode("gbk"))
    assert rows_of(path, encoding="gbk")[0][1] == "A01"
    with pytest.raises(DataError) as info:
        list(read_rows(path, encoding="utf-8"))
    assert info.value.code == "PF512"
    assert "cannot read" in info.value.describe("en") and "--encoding" in info.value.describe("en")


def test_comment_and_blank_rows_are_skipped_and_empty_cells_are_missing(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(HEADER + "# 填写说明,实有在职人数,满意度,是/否\r\n,,,\r\nA01,,95%,\r\n", encoding="utf-8")
    assert rows_of(path) == [(4, "A01", {"id": "A01", "在职人数": None, "满意度": "95%", "已制定预算管理制度": None})]


def test_semicolon_csv(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("id;在职人数\nA01;14\n", encoding="utf-8")
    assert rows_of(path) == [(2, "A01", {"id": "A01", "在职人数": "14"})]


def test_id_column(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("单位,在职人数\nX-1,14\n,12\n", encoding="utf-8")
    assert [r.id for r in read_rows(path)] == [None, None]  # no `id` column: rows go by number
    assert [r.label("en") for r in read_rows(path)] == ["row 2", "row 3"]
    assert [r.label("zh") for r in read_rows(path)] == ["第 2 行", "第 3 行"]
    assert [r.id for r in read_rows(path, id_column="单位")] == ["X-1", None]
    with pytest.raises(DataError) as info:
        read_rows(path, id_column="编号")
    assert info.value.code == "PF509"
    assert info.value.describe("en") == f"PF509: `{path}` has no column `编号` (its columns: 单位, 在职人数)"


@pytest.mark.parametrize(("head", "ids"), [
    ("编号,在职人数", ["X-1", None]),  # pingfen's Chinese output heads its ids so
    ("ID,编号,在职人数", ["X-1", None]),  # `id` (any case) first
    ("编号,id,在职人数", ["Y-1", "Y-2"]),
])  # fmt: skip
def test_default_id_column(tmp_path: Path, head: str, ids: list[str | None]) -> None:
    """A file pingfen wrote in Chinese heads its ids `编号`: read back, they named no row."""
    path = tmp_path / "data.csv"
    rows = ["X-1,Y-1,14", ",Y-2,12"] if head.count(",") == 2 else ["X-1,14", ",12"]
    path.write_text(head + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert [r.id for r in read_rows(path)] == ids
    jsonl = tmp_path / "data.jsonl"
    jsonl.write_text('{"编号": "J-1", "在职人数": 1}\n{"在职人数": 2}\n', encoding="utf-8")
    assert [r.id for r in read_rows(jsonl)] == ["J-1", None]


def test_xlsx_cells_as_excel_stores_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "满意度", "在职人数", "本年三公经费", "已制定预算管理制度", "按规定内容公开", "结余", "日期"])
    sheet.append([1001, 0.95, 14, 2.69, "是", True, None, datetime.date(2021, 12, 31)])
    sheet["B2"].number_format = "0%"  # shown as 95% in Excel; the cell holds 0.95
    sheet.append([None, None, None, None, None, None, None, None])  # formatted but empty: skipped
    sheet.append(["# a note", 1, 2, 3, 4, 5, 6, 7])
    path = tmp_path / "data.xlsx"
    book.save(path)
    rows = list(read_rows(path))
    assert len(rows) == 1
    row = rows[0]
    assert (row.number, row.id) == (2, "1001")
    values = dict(row.values)
    assert values["满意度"] == "95%"  # a percent-formatted cell reads as Excel shows it
    assert values["在职人数"] == 14 and type(values["在职人数"]) is int
    assert values["本年三公经费"] == Decimal("2.69")  # not Decimal(2.69) = 2.689999…
    assert values["已制定预算管理制度"] == "是" and values["按规定内容公开"] is True
    assert values["结余"] is None and values["日期"] == "2021-12-31"


def test_cell_value_is_what_excel_shows() -> None:
    """A formula's float noise was read as a value: `=11.7/13`, shown as 90.00%, scored as
    89.99…%, on the other side of a 90% band; a computed count 2.0000000000000004 was PF503."""
    assert cell_value(11.7 / 13, "0.00%") == "90%" and 11.7 / 13 < 0.9
    assert cell_value(15.77 / 16.6, "0.00%") == "95%"
    assert cell_value(0.1 + 0.2) == Decimal("0.3")
    assert cell_value(2.0000000000000004) == Decimal("2")
    assert cell_value(1 / 3) == Decimal("0.333333333333333")  # the 15 digits Excel keeps
    assert cell_value(1.1) == Decimal("1.1") != Decimal(1.1)
    assert cell_value(123456789012345.0) == Decimal("123456789012345")
    assert cell_value(1.5e-20) == Decimal("1.5E-20")
    assert cell_value(45, "0%") == "4500%" and cell_value(0.45, "0%") == "45%"
    # a `%` shown as written: the cell holds 5 and shows 5.00%; it was read as 500%, then as a bare 5 (PF523)
    assert cell_value(5, '0.00"%"') == "5%" and cell_value(45.0, "0\\%") == "45%"
    assert cell_value(90, '0"%";-0"%"') == "90%" and cell_value(-0.5, '0.0" %"') == "-0.5%"
    assert cell_value(90, '0"% 完成"') == 90 and cell_value(90, '"%"0') == 90  # not the number then a % alone
    assert cell_value(0.05, '"率："0.00%') == "5%"
    assert cell_value("  ") is None


def test_a_cell_of_a_format_without_percent_reads_no_format(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every number cell of a template (formats `0`, `0.00`, General) was made a Decimal and its
    format matched against the percent patterns, 1.7 → 8 µs a cell: only a format with `%` is read."""
    from pingfen.io import tables

    def looked_at(number_format: str) -> bool:
        raise AssertionError(f"the format {number_format!r} holds no %")

    monkeypatch.setattr(tables, "_percent", looked_at)
    monkeypatch.setattr(tables, "_shown_percent", looked_at, raising=False)
    assert cell_value(2.69, "0.00") == Decimal("2.69") and cell_value(14, "0") == 14
    assert type(cell_value(14, "General")) is int


def test_a_written_percent_is_a_percent_inputs_reading_alone() -> None:
    """`0"%"` holding 12 is 12% for a percent input, 12 for any other (it was "12%": PF502)."""
    import pickle

    from pingfen.values import coerce

    read = cell_value(12, '0"%"')
    assert read == "12%" and coerce("率", "percent", read) == Decimal("0.12")
    assert coerce("数", "number", read) == 12 and coerce("人", "count", read) == 12
    assert coerce("数", "number", cell_value(2.5, '0.00"%"')) == Decimal("2.5")
    again = pickle.loads(pickle.dumps(read))  # a batch's worker reads the row alike
    assert coerce("数", "number", again) == 12 and coerce("率", "percent", again) == Decimal("0.12")


def test_a_written_percent_is_what_a_label_a_date_and_a_bool_read() -> None:
    """A label, a date or a bool reads a `0"%"` cell as the sheet shows it: 45382% was the day
    45382 (2024-03-31) and 1% was true, neither shown; now each is refused with what is shown."""
    from pingfen.errors import Problem
    from pingfen.values import coerce

    day, flag = coerce("起", "date", cell_value(45382, '0"%"')), coerce("有", "bool", cell_value(1, '0"%"'))
    grade = coerce("档次", "label", cell_value(90, '0"%"'), ("优", "良"))
    assert isinstance(day, Problem) and day.code == "PF502" and day.args["value"] == '"45382%"'
    assert isinstance(flag, Problem) and flag.code == "PF502" and flag.args["value"] == '"1%"'
    assert isinstance(grade, Problem) and grade.code == "PF506" and grade.args["value"] == '"90%"'
    assert coerce("起", "date", cell_value(45382, "0")) == 45382  # a day's number with no `%` reads as ever


@pytest.mark.parametrize(
    ("value", "style", "shown"),
    [
        (90, '0"%";-0"%";"-"', "90%"),  # a dash for zero: the format was not recognised, 90 read bare (PF523)
        (-5, '0"%";-0"%";"-"', "-5%"),
        (0, '0"%";-0"%";"-"', None),  # shows "-": a zero, read as the 0 it is
        (5, '0.00"% "', "5%"),  # a space in the quotes
        (-5, '0.00"% "', "-5%"),
        (95.5, '0.0"%";@', "95.5%"),  # the text section is no number's
        (-5.5, '0.0"%";@', "-5.5%"),  # one number section: a negative takes a minus
        (-5, '0"%";0"%"', "-5%"),  # the negative section writes no minus (Excel shows 5%): the sign is the cell's
        (90, '0"%";;', "90%"),  # empty sections were dropped, the sections counted out of place
        (-5, '0"%";;', "-5%"),  # an empty section shows nothing: in percent as the others, never a blank
        (0, '0"%";;', "0%"),
        (-0.5, '0.0"%";;', "-0.5%"),  # not the bare -0.5, which a percent input reads as -50%
        (90, '0"%";-0"%";;', "90%"),  # an empty fourth section is the text's: it was counted a number's, 90 read bare (PF523)
        (-5, '0"%";-0"%";;', "-5%"),
        (0, '0"%";-0"%";;', "0%"),  # a zero shown as nothing: in percent as the others
        (-5, '0"%";;;"n/a"', "-5%"),  # the fourth section is the text's, with or without @
        (-5, '0"%";"-";', None),  # a section writes "-": the format's sections do not agree, read bare
        (0, '0"%";"-";0"%"', "0%"),  # the zero section is the third, not the second
        (-5, '0"%";"-";0"%"', None),  # shows "-" for a negative: not a percent
        (-0.5, '0.0"%";(0.0"%")', "-0.5%"),  # in brackets, as accounts show a negative: not the ratio -0.5
        (-5, '0.0"%";(0.0"%"', None),  # a bracket not closed: not a percent shown
        (90, '[Red]0"%"', "90%"),  # a colour writes nothing
        (90, '[>50]0"%";0', None),  # a condition chooses the section: not read here
        (5000, '0,"%"', None),  # shows thousands
    ],
)
def test_a_written_percent_format_is_read_by_its_sections(value: int | float, style: str, shown: str | None) -> None:
    """Excel's sections (positive;negative;zero;text, an empty one showing nothing) pick what a
    cell shows; the percent a percent input reads is that (a number input reads the number)."""
    read = cell_value(value, style)
    if shown is None:
        assert read == cell_value(value) and type(read) is not str
    else:
        assert read == shown and getattr(read, "number", None) == cell_value(value)


def test_a_formula_cell_reads_as_shown(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "率", "数"])
    sheet.append(["A", 11.7 / 13, 2.0000000000000004])  # the values a formula leaves cached
    sheet["B2"].number_format = "0.00%"
    path = tmp_path / "data.xlsx"
    book.save(path)
    assert [dict(r.values) for r in read_rows(path)] == [{"id": "A", "率": "90%", "数": Decimal(2)}]


def test_jsonl_with_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text('{"id": "A01", "满意度": 0.95}\n\n{not json\n[1, 2]\n{"id": 7}\n', encoding="utf-8")
    rows = list(read_rows(path))
    assert [(r.number, r.id) for r in rows] == [(1, "A01"), (3, None), (4, None), (5, "7")]
    assert rows[0].values["满意度"] == Decimal("0.95")
    assert rows[1].problem is not None and rows[1].problem.code == "PF510"
    assert rows[2].problem is not None and "JSON object" in rows[2].problem.message("en")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [("data.txt", b"x", "PF511"), ("data.xlsx", b"not a zip", "PF508"), ("empty.csv", b"", "PF508")],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as info:
        list(read_rows(path))
    assert info.value.code == code and str(path) in info.value.describe("en")


@pytest.mark.parametrize("name", ["old.xls", "表.ET", "data.ods"])
def test_a_workbook_pingfen_does_not_read_is_pf511_not_yaml(tmp_path: Path, name: str) -> None:
    """An old .xls (or WPS's .et) was read as YAML: 'not UTF-8 text (at byte 0)'."""
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)  # an OLE2 file's start
    out, err_stream = io.StringIO(), io.StringIO()
    code, err = main(["eval", str(RULESET), str(path)], out, err_stream), err_stream.getvalue()
    assert code == 2 and "PF511" in err and ".xlsx" in err and "UTF-8" not in err


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        read_rows(tmp_path / "nope.csv")
    assert info.value.code == "PF508"


def test_rows_are_read_lazily(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("id,a\n" + "".join(f"R{i},{i}\n" for i in range(100)), encoding="utf-8")
    rows = iter(read_rows(path))
    assert next(rows).id == "R0"  # one row read, the rest still in the file
    assert read_rows(path).total == 100


def test_default_id_of_a_record(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text("编号: 区财政局\n在职人数: 14\n", encoding="utf-8")
    assert read_department(path) == ("区财政局", {"编号": "区财政局", "在职人数": 14})
    assert read_department(path, id_column="在职人数")[0] == "14"


def _far_sheet(tmp_path: Path) -> Path:
    """A header of 50 columns, one row, and one cell far below: the rows between are not in the file."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "率", *(f"c{i}" for i in range(48))])
    sheet.append(["A", 0.5])
    sheet.cell(row=100_000, column=1, value="B")
    path = tmp_path / "far.xlsx"
    book.save(path)
    return path


def test_rows_a_sheet_leaves_out_are_not_read_cell_by_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 3 KB sheet with a cell in row 1,048,576 took minutes: every cell of every row between."""
    from pingfen.io import tables

    read: list[object] = []
    cell = tables.input_cell
    monkeypatch.setattr(tables, "input_cell", lambda c: read.append(c) or cell(c))
    rows = list(read_rows(_far_sheet(tmp_path)))
    assert [(r.number, r.id) for r in rows] == [(2, "A"), (100_000, "B")]
    assert len(read) == 2 * 50  # the two rows with cells, not 99,999


def test_the_duckdb_engine_writes_no_row_a_sheet_leaves_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same sheet through --engine duckdb: each left-out row was written as a line of
    commas (a 12 KB file of 2,000 columns became 2 GB)."""
    from pingfen import engine

    engine._xlsx_to_csv(str(_far_sheet(tmp_path)), str(tmp_path / "far.csv"))
    lines = (tmp_path / "far.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[:2] for line in lines] == [["id", "率"], ["A", "0.5"], ["B", ""]]


def test_a_hidden_first_sheet_is_passed_over(tmp_path: Path) -> None:
    """A hidden sheet of lookups before the data was read instead: every row 'missing input'."""
    book = openpyxl.Workbook()
    lookups = book.active
    lookups.title = "参数"
    lookups.append(["名称", "值"])
    lookups.sheet_state = "hidden"
    data = book.create_sheet("数据")
    data.append(["id", "在职人数"])
    data.append(["A", 14])
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    assert [(r.id, dict(r.values)) for r in read_rows(path)] == [("A", {"id": "A", "在职人数": 14})]
    from pingfen import engine

    engine._xlsx_to_csv(str(path), str(tmp_path / "out.csv"))
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines() == ["id,在职人数", "A,14"]


def test_openpyxls_warnings_do_not_reach_the_user(tmp_path: Path) -> None:
    """A list validation Excel keeps as an extension (one pointing into another sheet) made
    openpyxl print an English UserWarning naming its own source file."""
    import subprocess
    import sys
    import zipfile

    book = openpyxl.Workbook()
    book.active.append(["id", "在职人数"])
    book.active.append(["A", 14])
    whole = tmp_path / "whole.xlsx"
    book.save(whole)
    path = tmp_path / "validated.xlsx"
    extension = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list" allowBlank="1">'
        "<x14:formula1><xm:f>Sheet2!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>B2:B100</xm:sqref>"
        "</x14:dataValidation></x14:dataValidations></ext></extLst>"
    )
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", extension.encode() + b"</worksheet>")
            target.writestr(item, data)
    done = subprocess.run([sys.executable, "-m", "pingfen", "eval", str(RULESET), str(path)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": ""})  # fmt: skip
    assert done.returncode == 1 and "PF501" in done.stderr  # read and scored: the row lacks inputs
    assert "UserWarning" not in done.stderr and "site-packages" not in done.stderr, done.stderr


def test_an_id_in_a_written_percent_format_is_its_number(tmp_path: Path) -> None:
    """An id cell holding 90 in `0"%"` names the unit 90, as --engine duckdb names it (it was
    "90%", so `pingfen report --id 90` found no such row: PF516)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["编号", "数"])
    sheet.append([90, 1])
    sheet.append([90.5, 2])
    sheet["A2"].number_format = '0"%"'
    sheet["A3"].number_format = '0.0"%"'
    path = tmp_path / "d.xlsx"
    book.save(path)
    assert [r.id for r in read_rows(path)] == ["90", "90.5"]
    rule = tmp_path / "r.rule"
    rule.write_text('rubric "r" { total 10 }\ninput 数: number >= 0 and <= 10\nindicator a 10 { score = 数 }\n', encoding="utf-8")
    err = io.StringIO()
    assert main(["report", str(rule), str(path), "--id", "90", "-o", str(tmp_path / "o.md")], io.StringIO(), err) == 0, err.getvalue()

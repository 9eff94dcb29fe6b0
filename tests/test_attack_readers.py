"""Issue #15's attacks on reading data and on the evaluate API, kept as regression tests:
ragged CSV rows, the caller's decimal context, lenient numbers, XLSX zip bombs and
malformed workbooks, tiny inputs with huge messages, deep and odd JSON/YAML, rows that
are not mappings, a batch summary that grew with its failures, and encodings.

"At once" is held in CPU time (`time.process_time`), which other work on the machine barely
moves: the bounds catch a reader that does far too much, not a machine that is busy."""

from __future__ import annotations

import datetime
import decimal
import io
import re
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import pingfen
from data_helpers import FULL, RUBRIC, RULESET
from pingfen.batch import KEPT, Scored, Summary, score_file
from pingfen.errors import DataError
from pingfen.io import read_record, read_rows
from pingfen.io.filled import read_filled
from pingfen.io.records import Unreadable, load_yaml
from pingfen.io.tables import Row
from pingfen.values import coerce, show, to_decimal

SMALL = pingfen.loads(
    'rubric "小" {\n  total 10\n}\n\ninput x: number\ninput n: count\n\n'
    "indicator X 5 {\n  when x >= 0 -> 5\n  else -> 0\n}\n\n"
    "indicator N 5 {\n  when n <= 3 -> 5\n  else -> 0\n}\n",
    "small.rule",
    tests=False,
)
SATISFACTION = "社会公众或服务对象满意度"


def codes(error: DataError) -> list[str]:
    return [p.code for p in error.problems]


def refused(call: Callable[[], object]) -> DataError:
    with pytest.raises(DataError) as info:
        call()
    return info.value


def quick(call: Callable[[], object], seconds: float = 2.0) -> None:
    start = time.process_time()
    call()
    assert time.process_time() - start < seconds


# ---------------------------------------------------------------- 4. ragged CSV rows
def _csv(path: Path, rows: list[str]) -> Path:
    header = ",".join(["id", *FULL])
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _cells(record: dict[str, object]) -> str:
    return ",".join(str(v) for v in record.values())


def test_a_ragged_csv_row_is_refused_not_read_shifted(tmp_path: Path) -> None:
    """生态效益 typed `3,0` unquoted: 满意度 was read as "0" and scored 93, not 98."""
    ragged = _cells(FULL).replace(f",{FULL['生态效益']},", ",3,0,", 1)
    assert ragged.count(",") == _cells(FULL).count(",") + 1
    path = _csv(tmp_path / "d.csv", [f"A01,{_cells(FULL)}", f"A02,{ragged}", f"A03,{_cells(FULL)},,"])
    rows = list(read_rows(path))
    assert [r.id for r in rows] == ["A01", "A02", "A03"]
    problem = rows[1].problem
    assert problem is not None and problem.code == "PF520"
    expected = len(FULL) + 1
    assert problem.args["row"] == 3 and problem.args["found"] == expected + 1 and problem.args["expected"] == expected
    assert "row 3" in problem.message("en") and "第 3 行" in problem.message("zh")
    assert rows[0].problem is None and rows[2].problem is None  # a trailing comma shifts nothing
    out = io.StringIO()
    summary = score_file(RUBRIC, path, out=out, lang="en")
    assert summary.failures == 1 and summary.rows == 3
    lines = out.getvalue().splitlines()
    assert "PF520" in lines[2] and lines[1].split(",")[-3] == "100.00" and lines[3].split(",")[-3] == "100.00"


def test_a_short_csv_row_is_refused(tmp_path: Path) -> None:
    path = _csv(tmp_path / "d.csv", [f"A01,{_cells(FULL)}".rsplit(",", 1)[0]])
    (row,) = read_rows(path)
    assert row.problem is not None and row.problem.code == "PF520"


# ---------------------------------------------------------------- 5. the caller's decimal context
def test_every_entry_point_ignores_the_callers_decimal_context() -> None:
    record = dict(FULL, 满意度="94.99%")
    wanted = RUBRIC.evaluate(record)
    with decimal.localcontext(prec=3, traps=[decimal.Inexact, decimal.Rounded]):
        assert RUBRIC.coerce(record)["满意度"] == Decimal("0.9499")
        assert RUBRIC.score_node(SATISFACTION, {"满意度": "94.99%"}).score == wanted[SATISFACTION].score == 3
        assert RUBRIC.evaluate(record).total == wanted.total
        assert [r.total for r in RUBRIC.evaluate_many([record])] == [wanted.total]  # type: ignore[union-attr]
        assert RUBRIC.round_total(Decimal("95.125")) == Decimal("95.13")
        assert pingfen.load(RULESET).max == 100
        assert pingfen.run_examples(pingfen.load(RULESET)).outcomes
        assert coerce("满意度", "percent", "94.99%") == Decimal("0.9499")


# ---------------------------------------------------------------- 6. lenient numbers
@pytest.mark.parametrize(
    ("text", "expected"),
    [("1_2", None), ("1,4", None), ("1_000", "1000"), ("1,000", "1000"), ("１２", "12"), (" 12 ", "12"),
     ("١٢", None), ("12_", None), ("_12", None), ("1e5", "1E+5"), ("Infinity", None), ("1__000", None)],
)  # fmt: skip
def test_numbers_in_text_have_one_form(text: str, expected: str | None) -> None:
    assert to_decimal(text) == (None if expected is None else Decimal(expected))


def test_1_2_is_not_the_count_12() -> None:
    problem = coerce("n", "count", "1_2")
    assert not isinstance(problem, Decimal) and problem.code == "PF502"  # type: ignore[union-attr]


def test_yaml_underscores_are_read_like_commas(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text("a: 1_2\nb: 1_000\nc: 1_0.5\n", encoding="utf-8")
    assert read_record(tmp_path / "r.yaml") == {"a": "1_2", "b": 1000, "c": "1_0.5"}


# ---------------------------------------------------------------- 8. XLSX zip bombs
def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _replace(path: Path, target: Path, parts: dict[str, bytes | None]) -> Path:
    """A copy of the workbook at `path` with some parts replaced (or removed, for None)."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename in parts:
                if parts[item.filename] is not None:
                    out.writestr(item.filename, parts[item.filename])  # type: ignore[arg-type]
            else:
                out.writestr(item, source.read(item))
    return target


SHEET = "xl/worksheets/sheet1.xml"


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path: Path) -> None:
    good = _workbook(tmp_path / "good.xlsx", [["id", "x", "n"], ["A", 1, 1]])
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>A</t></is></c></row>'
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    bomb = _replace(good, tmp_path / "bomb.xlsx", {SHEET: sheet + row * 600_000 + b"</sheetData></worksheet>"})
    assert bomb.stat().st_size < 1024 * 1024
    for read in (lambda: list(read_rows(bomb)), lambda: read_filled(bomb, ["X"], ["x"])):
        start = time.process_time()
        error = refused(read)
        assert time.process_time() - start < 1
        assert codes(error) == ["PF508"] and "zip bomb" in error.describe("en") and "压缩炸弹" in error.describe("zh")


def test_a_workbook_too_large_unpacked_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pingfen.io import tables

    good = _workbook(tmp_path / "good.xlsx", [["id", "x", "n"], ["A", 1, 1]])
    monkeypatch.setattr(tables, "MAX_XLSX_BYTES", 1024)
    error = refused(lambda: read_rows(good))
    assert codes(error) == ["PF508"] and "unpack to more than" in error.describe("en")


# openpyxl writes `<dimension ref="A1:C2" />`, or without the space when lxml is installed.
DIMENSION = re.compile(rb'<dimension ref="A1:C2"\s*/>')


def test_a_sheet_stating_too_many_cells_is_refused(tmp_path: Path) -> None:
    good = _workbook(tmp_path / "good.xlsx", [["id", "x", "n"], ["A", 1, 1]])
    with zipfile.ZipFile(good) as z:
        xml = DIMENSION.sub(b'<dimension ref="A1:C99999999"/>', z.read(SHEET))
    assert b"A1:C99999999" in xml
    error = refused(lambda: read_rows(_replace(good, tmp_path / "wide.xlsx", {SHEET: xml})))
    assert codes(error) == ["PF508"] and "cells" in error.describe("en")


def test_a_row_numbered_far_down_does_not_make_a_billion_blank_rows(tmp_path: Path) -> None:
    good = _workbook(tmp_path / "good.xlsx", [["id", "x", "n"], ["A", 1, 1]])
    with zipfile.ZipFile(good) as z:
        xml = DIMENSION.sub(b"", z.read(SHEET))
    assert b"<dimension" not in xml
    far = b'<row r="99999999999"><c r="A99999999999" t="inlineStr"><is><t>B</t></is></c></row>'
    xml = xml.replace(b"</sheetData>", far + b"</sheetData>")
    path = _replace(good, tmp_path / "far.xlsx", {SHEET: xml})
    quick(lambda: [r.id for r in read_rows(path)], seconds=10)


# ---------------------------------------------------------------- 16. malformed workbooks
CONTENT_TYPES = "[Content_Types].xml"


def _malformed(tmp_path: Path) -> dict[str, Path]:
    good = _workbook(tmp_path / "good.xlsx", [["id", "x", "n"], ["A", 1, 1]])
    with zipfile.ZipFile(good) as z:
        sheet = z.read(SHEET)
    entity = sheet.replace(b"<sheetData>", b"<sheetData>&undefined;", 1)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    (tmp_path / "text.xlsx").write_text("id,x\nA,1\n", encoding="utf-8")
    chart = openpyxl.Workbook()
    chart.create_chartsheet()
    chart.remove(chart.active)
    chart.save(tmp_path / "chart.xlsx")
    return {
        "bad sheet XML": _replace(good, tmp_path / "bad.xlsx", {SHEET: sheet[: len(sheet) // 2]}),
        "undefined entity": _replace(good, tmp_path / "entity.xlsx", {SHEET: entity}),
        "no sheet part": _replace(good, tmp_path / "nosheet.xlsx", {SHEET: None}),
        "no workbook part": _replace(good, tmp_path / "nobook.xlsx", {"xl/workbook.xml": None}),
        "chartsheet only": tmp_path / "chart.xlsx",
        "not a zip": tmp_path / "text.xlsx",
        "truncated zip": truncated,
    }


def test_every_malformed_workbook_is_pf508(tmp_path: Path) -> None:
    for what, path in _malformed(tmp_path).items():
        for read in (lambda: list(read_rows(path)), lambda: read_filled(path, ["X"], ["x"])):  # noqa: B023
            error = refused(read)
            assert codes(error) == ["PF508"], what
            assert "workbook" in error.describe("en") and "工作簿" in error.describe("zh"), what


def test_a_missing_sheet_name_is_pf508(tmp_path: Path) -> None:
    good = _workbook(tmp_path / "good.xlsx", [["id", "x", "n"], ["A", 1, 1]])
    assert codes(refused(lambda: read_rows(good, sheet="无此表"))) == ["PF508"]


# ---------------------------------------------------------------- 9. tiny inputs, huge messages
def test_a_tiny_exponent_is_refused_with_a_short_message(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text('{"x": 1e-999999999, "n": 1}', encoding="utf-8")
    record = read_record(tmp_path / "r.json")
    start = time.process_time()
    error = refused(lambda: SMALL.evaluate(record))
    assert time.process_time() - start < 1
    assert codes(error) == ["PF503"] and len(error.describe("en")) < 200 and "1E-999999999" in error.describe("en")


def test_a_29_byte_jsonl_line_makes_a_short_error_cell(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"x": 1e99999999, "n": 1}\n{"x": 1, "n": 1}\n', encoding="utf-8")
    out = io.StringIO()
    summary = score_file(SMALL, path, out=out, lang="en")
    assert summary.failures == 1 and len(out.getvalue()) < 400
    assert "PF503" in out.getvalue().splitlines()[1]


def test_long_numbers_are_refused_and_shown_shortened(tmp_path: Path) -> None:
    digits = "9" * 100_000
    problem = coerce("x", "number", digits)
    assert not isinstance(problem, Decimal) and len(problem.message("en")) < 120  # type: ignore[union-attr]
    path = tmp_path / "d.jsonl"
    path.write_text(f'{{"x": {digits}, "n": 1}}\n{{"x": 1, "n": 1}}\n', encoding="utf-8")
    rows = list(read_rows(path))
    assert rows[0].problem is not None and rows[0].problem.code == "PF510"
    assert len(rows[0].problem.message("en")) < 300 and rows[1].problem is None


def test_a_huge_yaml_integer_says_nothing_of_python(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(f"x: {'1' * 5000}\nn: 1\n", encoding="utf-8")
    record = read_record(tmp_path / "r.yaml")
    error = refused(lambda: SMALL.evaluate(record))
    assert "set_int_max_str_digits" not in error.describe("en") and len(error.describe("en")) < 200


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 9):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    lines.append("x: *i")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size < 400
    start = time.process_time()
    error = refused(lambda: read_record(path))
    assert time.process_time() - start < 1
    assert codes(error) == ["PF508"] and "alias" in error.describe("en") and "别名" in error.describe("zh")


def test_a_yaml_record_of_too_many_values_is_refused_as_it_is_read(tmp_path: Path) -> None:
    """10 MB of `b: [a, a, …]`, within the size limit, took 8 minutes and 3.5 GB: a node each."""
    from pingfen.io.bounds import MAX_YAML_VALUES

    path = tmp_path / "many.yaml"
    path.write_text("b: [" + ", ".join(["a"] * (MAX_YAML_VALUES + 10)) + "]\n", encoding="utf-8")
    error = refused(lambda: read_record(path))
    assert codes(error) == ["PF508"] and "50,000" in error.describe("zh") and "values" in error.describe("en")
    path.write_text("b: [" + ", ".join(["a"] * (MAX_YAML_VALUES - 10)) + "]\n", encoding="utf-8")
    assert len(read_record(path)["b"]) == MAX_YAML_VALUES - 10


def test_an_alias_for_a_plain_value_is_fine(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text("x: &v 3\nn: *v\n", encoding="utf-8")
    assert read_record(tmp_path / "r.yaml") == {"x": 3, "n": 3}


def test_a_record_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b'{"x": "' + b"a" * (11 * 1024 * 1024) + b'"}')
    error = refused(lambda: read_record(path))
    assert codes(error) == ["PF508"] and "10 MB" in error.describe("en") and "10 MB" in error.describe("zh")


def test_a_jsonl_line_over_the_limit_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"x": "' + "a" * (2 * 1024 * 1024) + '"}\n{"x": 1, "n": 1}\n', encoding="utf-8")
    rows = list(read_rows(path))
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].problem is not None and rows[0].problem.code == "PF510" and rows[1].problem is None


# ---------------------------------------------------------------- 15. deep and odd JSON/YAML
@pytest.mark.parametrize(
    ("name", "text"),
    [("deep.json", '{"x": ' + "[" * 100_000 + "]" * 100_000 + "}"),
     ("deep21.json", '{"x": ' + "[" * 21 + "]" * 21 + "}"),
     ("deep.yaml", "x: " + "[" * 100_000 + "]" * 100_000 + "\n"),
     ("key.yaml", "? [a]\n: 1\n"),
     ("mapkey.yaml", "{a: 1}: 2\n"),
     ("tag.yaml", "x: !!python/object/apply:os.system ['id']\n"),
     ("syntax.yaml", "x: 1\n  y: [\n"),
     ("date.yaml", None)],
)  # fmt: skip
def test_odd_records_are_pf508_in_pingfens_words(tmp_path: Path, name: str, text: str | None) -> None:
    path = tmp_path / name
    if text is None:  # an impossible date is text, not a crash
        path.write_text("x: 2021-02-30\n", encoding="utf-8")
        assert read_record(path) == {"x": "2021-02-30"}
        return
    path.write_text(text, encoding="utf-8")
    error = refused(lambda: read_record(path))
    assert codes(error) == ["PF508"]
    for lang in ("en", "zh"):
        shown = error.describe(lang)  # type: ignore[arg-type]
        assert len(shown) < 300
        assert not any(word in shown for word in ("constructor", "could not determine", "mapping values", "hashable"))
    if name.endswith(".yaml"):
        assert "line" in error.describe("en") and "行" in error.describe("zh")


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        ("", "the file is empty: it holds no JSON value", "文件是空的，没有 JSON 值"),
        ('{"a": 1,}', "column 9: Expecting property name enclosed in double quotes", "第 9 列：此处应为用英文双引号括起的名称"),
        ('{"a" 1}', "column 6: Expecting ':' delimiter", "第 6 列：此处缺少英文冒号"),
        ("[1] [2]", "column 5: Extra data", "第 5 列：多余的内容：一个 JSON 文件只能有一个值"),
        ('{"a":\n 1,}', "line 2, column 4: Expecting property name", "第 2 行第 4 列：此处应为用英文双引号括起的名称"),
    ],
)
def test_json_that_is_not_json_says_why_in_the_readers_language(tmp_path: Path, text: str, en: str, zh: str) -> None:
    """The json module's English ("Expecting value: line 1 column 1 (char 0)") was shown in
    Chinese messages too."""
    path = tmp_path / "d.json"
    path.write_text(text, encoding="utf-8")
    error = refused(lambda: read_record(path))
    assert codes(error) == ["PF508"]
    assert en in error.describe("en") and zh in error.describe("zh")


def test_a_yaml_tag_is_named_as_written() -> None:
    """`!custom` was called a `!!` tag."""
    for text in ("x: !custom 1\n", "x: !!python/object/apply:os.system ['id']\n"):
        with pytest.raises(Unreadable) as info:
            load_yaml(text)
        assert "a tag: `!…` or `!!…`" in info.value.en and "类型标签" in info.value.zh


@pytest.mark.parametrize(("text", "en", "zh"), [
    ("a: 1\n---\nb: 2\n", "line 2, column 1: a second document (`---`) begins here: a record file holds one record",
     "第 2 行第 1 列：此处开始了第二个文档（`---`）：一个记录文件只能有一条记录"),
    ("a: &x 1\nb: &x 2\n", "line 2, column 4: an anchor (`&name`) given a second time", "第 2 行第 4 列：锚点（`&名称`）重复定义"),
    ("a: *x\n", "line 1, column 4: an alias (`*name`) with no anchor (`&name`) before it",
     "第 1 行第 4 列：别名（`*名称`）之前没有对应的锚点（`&名称`）"),
])  # fmt: skip
def test_a_yaml_record_that_cannot_be_composed_says_why(tmp_path: Path, text: str, en: str, zh: str) -> None:
    """A second document (`---`) and an anchor given twice were both refused as
    "别名（`*名称`）之前没有对应的锚点（`&名称`）", an alias the file does not have."""
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    error = refused(lambda: read_record(path))
    assert codes(error) == ["PF508"]
    assert f"cannot read `{path}`: {en}" in error.describe("en") and f"无法读取 `{path}`：{zh}" in error.describe("zh")


def test_a_deep_jsonl_line_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    deep = '{"x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_text(f'{{"x": 1, "n": 1}}\n{deep}\n{{"x": 2, "n": 1}}\n', encoding="utf-8")
    out = io.StringIO()
    summary = score_file(SMALL, path, out=out, lang="en")
    assert summary.rows == 3 and summary.failures == 1
    assert "PF510" in out.getvalue().splitlines()[2]


def test_filled_files_are_bounded_too(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("declared: &d {X: 1}\nagain: *d\n", encoding="utf-8")
    assert codes(refused(lambda: read_filled(path, ["X"], ["x"]))) == ["PF508"]


# ---------------------------------------------------------------- 19. rows that are not mappings
def test_evaluate_many_refuses_a_row_that_is_not_a_mapping_and_goes_on() -> None:
    rows: list[object] = [{"x": 1, "n": 1}, [1, 2], "x", None, {"x": 1, "n": 9}]
    out = list(SMALL.evaluate_many(rows, key="id"))  # type: ignore[arg-type]
    assert len(out) == 5
    assert [type(o).__name__ for o in out] == ["Result", "DataError", "DataError", "DataError", "Result"]
    assert [codes(o) for o in out[1:4]] == [["PF522"]] * 3  # type: ignore[arg-type]
    assert out[1].record == "2" and "list" in out[1].describe("en")  # type: ignore[union-attr]
    assert codes(refused(lambda: SMALL.evaluate([1]))) == ["PF522"]  # type: ignore[arg-type]
    assert codes(refused(lambda: SMALL.coerce("x"))) == ["PF522"]  # type: ignore[arg-type]


# ---------------------------------------------------------------- 21. the summary stays small
def test_a_summary_keeps_counts_and_the_first_few_failures() -> None:
    summary = Summary()
    for number in range(1, 1001):
        summary.rows += 1
        summary.fail(Scored(Row(number, None, {}), None, DataError([], None)))
    assert summary.failures == 1000 and len(summary.failed) == KEPT <= 20 and not summary.ok
    lines = summary.describe("d.csv", "en")
    assert lines[-1] == "1000 of 1000 rows could not be scored (see the error column)"
    assert lines[-2] == f"... and {1000 - KEPT} more"


def test_a_batch_of_failing_rows_keeps_only_the_first_few(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"x": "bad", "n": 1}\n' * 1000, encoding="utf-8")
    summary = score_file(SMALL, path, out=io.StringIO())
    assert summary.failures == 1000 and len(summary.failed) <= 20


# ---------------------------------------------------------------- 23. encodings, YAML words, small steps
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_bom_are_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "d.csv"
    text = "id,满意度,上升\nA01,95%,是\n"
    bom = "" if encoding in ("utf-16", "utf-32") else "\ufeff"
    path.write_bytes((bom + text).encode(encoding))
    rows = list(read_rows(path))
    assert [(r.id, dict(r.values)) for r in rows] == [("A01", {"id": "A01", "满意度": "95%", "上升": "是"})]


def test_a_big5_csv_is_refused_naming_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes("id,滿意度,單位名稱\nA01,95%,財政廳\nA02,90%,教育廳\n".encode("big5"))
    error = refused(lambda: read_rows(path))
    assert codes(error) == ["PF521"] and "--encoding big5" in error.describe("en") and "Big5" in error.describe("zh")
    rows = list(read_rows(path, encoding="big5"))
    assert rows[0].values["滿意度"] == "95%"


def test_gbk_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes("id,满意度,单位名称\nA01,95%,财政厅\n".encode("gbk"))
    assert list(read_rows(path))[0].values["满意度"] == "95%"


def test_a_step_below_a_hundredth_is_shown_exactly() -> None:
    rubric = pingfen.loads(
        'rubric "精度" {\n  total 5\n}\n\ninput 执行率: percent\n\n'
        "indicator 精度 5 { deduct 0.005 per 0.001pp of 执行率 below 100% counting proportional }\n",
        "p.rule",
        tests=False,
    )
    result = rubric.evaluate({"执行率": "99.99%"}, lang="en")
    (reason,) = result["精度"].reasons
    assert "0.005 per 0.001 percentage points" in str(reason)
    (reason,) = rubric.evaluate({"执行率": "99.99%"}, lang="zh")["精度"].reasons
    assert "每 0.001 个百分点扣 0.005 分" in str(reason)


def test_suggestions_for_missing_inputs_are_bounded() -> None:
    """Thousands of missing inputs beside thousands of wrong keys: refused at once, not after a
    fuzzy match of every pair (found by the attack suite: 3,000 items took over 5 s)."""
    names = [f"输入项{n}" for n in range(3000)]
    text = 'rubric "大" { total 3000 }\n' + "".join(f"input {n}: bool\n" for n in names)
    text += "group 组 3000 {\n" + "".join(f"  indicator 指标{i} 1 {{ award 1 if {n} }}\n" for i, n in enumerate(names)) + "}\n"
    rubric = pingfen.loads(text)
    record = {f"输入{n}": True for n in range(3000)}  # every key a near miss
    started = time.process_time()
    with pytest.raises(pingfen.DataError) as refused:
        rubric.evaluate(record)
    assert time.process_time() - started < 2
    problems = refused.value.problems
    assert len(problems) == 3000 and all(p.code == "PF501" for p in problems)
    suggested = [p for p in problems if p.hint == "did_you_mean_key"]
    assert 0 < len(suggested) <= 20


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (True, "true"),  # YAML's `yes`: was "True 不是数量"
        (False, "false"),
        (datetime.timedelta(days=2), "2 days, 0:00:00"),  # a sheet's duration cell: was datetime.timedelta(days=2)
        (datetime.datetime(2024, 3, 1, 9, 30), "2024-03-01 09:30:00"),
        (datetime.date(2024, 3, 1), "2024-03-01"),
        (12, "12"),
        ("十五", '"十五"'),
    ],
)
def test_a_value_in_a_message_is_shown_as_its_reader_wrote_it_not_as_python_does(raw: object, shown: str) -> None:
    assert show(raw) == shown
    rubric = pingfen.loads('rubric "r" { total 5 }\ninput 人数: count\nindicator 甲 5 { deduct 1 per 人数 }\n')
    if raw != 12:
        with pytest.raises(DataError) as info:
            rubric.evaluate({"人数": raw})
        assert f"：{shown} 不是" in info.value.describe("zh")

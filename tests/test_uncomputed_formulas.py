"""A workbook written by a program and never opened in Excel holds formulas with no saved
result; openpyxl reads such a cell as blank, and its row was refused "缺少输入项" (PF501),
though the cell is not blank. A row refused so for an input whose cell is such a formula is
refused PF534 instead, naming the sheet and cell, in `pingfen eval`, `--engine duckdb`,
`pingfen report`, `diff --replay` and the public `read_records`/`read_department` alike;
`pingfen audit` refuses such an input where eval does. The cell stays a blank otherwise: a row of nothing else is skipped, an input that may
be left out is left out. Only a row holding a formula is looked at again."""

from __future__ import annotations

import csv
import io
import pickle
from pathlib import Path

import pytest

from duckdb_helpers import require_duckdb
from pingfen.cli import main
from pingfen.io import tables
from xlsx_helpers import sheet_of

RULE = """rubric "t" { total 10 }
input 有项目: bool
input 投入: percent
input 产出: percent
indicator 甲 5 { bands 投入 { >= 90% -> 5  else -> 0 } }
indicator 乙 5 {
  applies if 有项目 else rescale
  bands 产出 { >= 90% -> 5  else -> 0 }
}
"""
HEAD = ["id", "有项目", "投入", "产出", "备注"]
HINT_ZH = "公式没有保存的计算结果：请在 Excel 或 WPS 中打开并保存后再试"


def _said(path: Path | str, cell: str, name: str = "投入") -> str:
    """PF534's message: where first, the file too, as PF536's."""
    return f"`{path}` 工作表 `填报` 单元格 {cell}：输入项 `{name}` 是从未计算过的公式"


def _said_en(path: Path | str, cell: str, name: str = "投入") -> str:
    return f"`{path}`, sheet `填报`, cell {cell}: input `{name}` holds a formula that was never calculated"


def _book(path: Path, rows: list[list[object]]) -> Path:
    sheet = sheet_of([HEAD, *rows])
    sheet.title = "填报"
    sheet.parent.save(path)
    return path


def _eval(tmp_path: Path, data: Path, *options: str) -> tuple[int, str]:
    rule = tmp_path / "r.rule"
    rule.write_text(RULE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main([*options[:2], "eval", str(rule), str(data), *options[2:]], out, err)
    return code, out.getvalue() + err.getvalue()


def _duckdb(tmp_path: Path, data: Path) -> tuple[int, list[dict[str, str]]]:
    require_duckdb()
    output = tmp_path / "duckdb.csv"
    code, said = _eval(tmp_path, data, "--lang", "zh", "--engine", "duckdb", "-o", str(output))
    assert code in (0, 1), said
    with output.open(encoding="utf-8-sig", newline="") as handle:
        return code, list(csv.DictReader(handle))


def test_a_needed_input_whose_formula_has_no_saved_result_is_named(tmp_path: Path) -> None:
    data = _book(tmp_path / "各单位.xlsx", [["a", "是", "=0.95", "95%"], ["b", "是", 0.5, "=C3"],
                                           ["c", "是", "95%", "95%"], ["d", "是", None, "95%"]])  # fmt: skip
    code, out = _eval(tmp_path, data)
    lines = out.splitlines()
    assert code == 1, out
    assert lines[1] == f"a,,,,,[a] PF534: {_said(data.name, 'C2')}（{HINT_ZH}）"
    assert lines[2].endswith(f"[b] PF534: {_said(data.name, 'D3', '产出')}（{HINT_ZH}）")
    assert lines[3].startswith("c,5,5,10.00") and lines[4].endswith("[d] PF501: 缺少输入项 `投入`")  # a blank cell is missing
    _, out = _eval(tmp_path, data, "--lang", "en")
    assert (f"PF534: {_said_en(data, 'C2')} (the formula has no "
            "saved result: open the workbook in Excel or WPS, save it and try again)") in out
    code, rows = _duckdb(tmp_path, data)  # the DuckDB engine refuses the same rows for the same inputs
    assert code == 1
    assert [(r["编号"] if "编号" in r else r["id"], r["refusal"], r["refusal_input"]) for r in rows] == [
        ("a", "PF534", "投入"), ("b", "PF534", "产出"), ("c", "", ""), ("d", "PF501", "投入")]


def test_a_formula_saved_as_empty_text_is_blank_and_a_saved_value_is_read(tmp_path: Path) -> None:
    import zipfile

    data = _book(tmp_path / "各单位.xlsx", [["a", "是", "=0.95", "95%"], ["b", "是", "=0.5", "95%"]])
    with zipfile.ZipFile(data) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    sheet = sheet.replace(b'<c r="C2"><f>0.95</f><v></v></c>', b'<c r="C2" t="str"><f>""</f><v></v></c>')  # Excel's ""
    sheet = sheet.replace(b'<c r="C3"><f>0.5</f><v></v></c>', b'<c r="C3"><f>0.5</f><v>0.95</v></c>')  # calculated
    assert b'<c r="C2" t="str">' in sheet and b"<v>0.95</v>" in sheet, sheet
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(data, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    code, out = _eval(tmp_path, data)
    lines = out.splitlines()
    assert code == 1 and lines[1].endswith("[a] PF501: 缺少输入项 `投入`") and lines[2].startswith("b,5,5,10.00"), out


def test_a_row_of_formulas_filled_down_past_the_data_is_skipped(tmp_path: Path) -> None:
    """备注, no input, is a formula filled down below the last department: those rows hold
    nothing else and are blank rows, skipped, as they always were (exit 0, not 1)."""
    rows: list[list[object]] = [["a", "是", "95%", "95%", "=C2*2"], ["b", "否", 0.95, None, "=C3*2"]]
    rows += [[None, None, None, None, f"=C{n}*2"] for n in range(4, 30)]
    data = _book(tmp_path / "各单位.xlsx", rows)
    code, out = _eval(tmp_path, data)
    assert code == 0 and len(out.splitlines()) == 3, out
    code, scored = _duckdb(tmp_path, data)
    assert code == 0 and len(scored) == 2


def test_an_input_that_may_be_left_out_is_left_out_by_both_engines(tmp_path: Path) -> None:
    """产出 is read only where 有项目: a row without a project does not read it, so its
    uncalculated formula is a blank, left out as a blank is (乙 不适用), not a refusal; a row with
    a project reads it and is refused PF534. Both engines agree, after rows neither scores."""
    data = _book(tmp_path / "各单位.xlsx", [["# 填写说明"], [None, None, None, None, "=C2*2"],
                                           ["a", "否", "95%", "=0.95"], ["b", "是", "95%", "=0.95"]])  # fmt: skip
    code, out = _eval(tmp_path, data)
    lines = out.splitlines()
    assert code == 1 and lines[1].startswith("a,5,不适用,10.00"), out
    assert lines[2].endswith(f"[b] PF534: {_said(data.name, 'D5', '产出')}（{HINT_ZH}）")
    _, rows = _duckdb(tmp_path, data)
    assert [(r["refusal"], r["refusal_input"], r["total"]) for r in rows] == [("", "", "10.00"), ("PF534", "产出", "")]


def test_a_sheet_without_formulas_is_read_once_and_no_row_looked_at_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pingfen's own template holds blank cells (formatted, with validation) below and beside
    the data: none is a formula, and none costs a second reading of the sheet or a look at
    its cells' XML."""
    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    rule = tmp_path / "r.rule"
    rule.write_text(RULE, encoding="utf-8")
    template = tmp_path / "模板.xlsx"
    assert main(["template", str(rule), "-o", str(template)], io.StringIO(), io.StringIO()) == 0
    book = load_workbook(template)
    for n, values in enumerate([["a", "否", 0.95, None], ["b", "是", 0.9, 0.95]], start=3):
        for column, value in enumerate(values, start=1):
            book.worksheets[0].cell(n, column, value)
    filled = tmp_path / "填好.xlsx"
    book.save(filled)

    opened: list[object] = []
    source = ReadOnlyWorksheet._get_source
    monkeypatch.setattr(ReadOnlyWorksheet, "_get_source", lambda self: opened.append(self) or source(self))
    table = tables.read_rows(filled)
    opened.clear()
    assert len(list(table)) == 2
    read = len(opened)
    opened.clear()
    workbook = tables.open_workbook(filled)  # openpyxl's own reading of the rows, for the count
    assert len(list(tables.sheet_of(workbook, filled, None).iter_rows(min_row=2, values_only=True))) > 2
    workbook.close()
    assert read == len(opened)  # the sheet read once, as openpyxl reads it: its blank cells cost no second reading
    looked: list[object] = []
    monkeypatch.setattr(tables, "_formula_cells", lambda *args: looked.append(args) or [])
    monkeypatch.setattr(tables, "_in_arrays", lambda *args: looked.append(args) or [])
    assert len(list(table)) == 2 and looked == []
    with_formula = _book(tmp_path / "f.xlsx", [["a", "否", "=0.95", None], ["b", "否", 0.95, None]])
    assert len(list(tables.read_rows(with_formula))) == 2 and len(looked) == 1  # the row with one, only


def test_the_workbench_upload_names_the_formula_too(tmp_path: Path) -> None:
    """An uploaded workbook is read and scored as `pingfen eval` reads it (batch.score_rows)."""
    import base64
    import warnings

    pytest.importorskip("starlette")
    with warnings.catch_warnings():  # Starlette 1.x would have httpx2 under its TestClient; httpx works as well
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from pingfen.serve.app import make_app

    folder = tmp_path / "served"
    folder.mkdir()
    data = _book(tmp_path / "各单位.xlsx", [["a", "是", "=0.95", "95%"], ["b", "是", "95%", "95%"]])
    client = TestClient(make_app(folder, "t0ken"), headers={"X-Pingfen-Token": "t0ken"})
    body = {"text": RULE, "name": "r.rule", "file_name": "各单位.xlsx", "data": base64.b64encode(data.read_bytes()).decode()}
    response = client.post("/api/batch", json=body)
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    # the upload by the name the user gave it, not its private copy's
    assert rows[0]["error"] == f"[a] PF534: {_said('各单位.xlsx', 'C2')}（{HINT_ZH}）"
    assert rows[1]["error"] is None and rows[1]["total"] == "10.00"


def _probed(chunks: list[bytes]) -> bool:
    """Whether `_Probe` sees a formula in XML read as these chunks."""
    left = iter([*chunks, b""])

    class Source:
        def read(self, size: int = -1) -> bytes:
            return next(left)

    probe = tables._Probe(Source())
    while probe.read(16):
        pass
    return probe.seen


@pytest.mark.parametrize("xml", [b'<c r="B2"><f>A2</f></c>', b'<c r="B2"><x:f t="shared" si="0"/></c>', b'<c r="B2"><f/></c>'])
def test_a_formula_is_seen_in_the_bytes_wherever_the_chunks_are_cut(xml: bytes) -> None:
    assert all(_probed([xml[:cut], xml[cut:]]) for cut in range(1, len(xml)))
    assert not _probed([b'<c r="B2" s="1"/><c r="C2"><v>1</v></c>'])


@pytest.mark.parametrize("broken", ["parser", "cells"])
def test_an_openpyxl_whose_private_reading_differs_reads_such_a_cell_as_blank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    """The marking hooks openpyxl 3.1's private sheet parser; another openpyxl (its parser gone,
    its cells shaped otherwise) must read the workbook as before, not call it broken (PF508)."""

    def gone(*args: object) -> None:
        raise ImportError("openpyxl.worksheet._reader changed") if broken == "parser" else KeyError("column")

    monkeypatch.setattr(tables, "_marking_parser" if broken == "parser" else "_formula_cells", gone)
    data = _book(tmp_path / "各单位.xlsx", [["a", "是", "=0.95", "95%"], ["c", "是", "95%", "95%"]])
    code, out = _eval(tmp_path, data)
    lines = out.splitlines()
    assert code == 1 and "PF508" not in out, out
    assert lines[1].endswith("[a] PF501: 缺少输入项 `投入`") and lines[2].startswith("c,5,5,10.00"), out


@pytest.mark.parametrize(
    "cell",
    [b'<c r="C2" t="str"><f>0.95</f></c>', b'<c r="C2"><f\nt="shared" si="0"/></c>'],
    ids=["str-without-v", "self-closing-after-a-newline"],
)
def test_a_formula_with_no_result_in_other_spellings_is_named(tmp_path: Path, cell: bytes) -> None:
    """A `t="str"` formula with no `<v>` at all has no saved result (only `<v></v>` is the empty
    text); a sheet whose one formula tag is `<f` then a newline is still looked at."""
    import zipfile

    data = _book(tmp_path / "各单位.xlsx", [["a", "是", "=0.95", "95%"], ["c", "是", "95%", "95%"]])
    with zipfile.ZipFile(data) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].replace(b'<c r="C2"><f>0.95</f><v></v></c>', cell)
    assert cell in sheet and sheet.count(b"<f") == 1
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(data, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    code, out = _eval(tmp_path, data)
    assert code == 1 and f"[a] PF534: {_said(data.name, 'C2')}" in out, out


def _run(*argv: str, apart: bool = False) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue() if apart else out.getvalue() + err.getvalue()




def test_a_report_of_one_row_names_the_formula(tmp_path: Path) -> None:
    """`pingfen report` of one row reads it by `read_department`, not through the batch: it
    said "缺少输入项" (PF501) where eval says PF534."""
    rule = tmp_path / "r.rule"
    rule.write_text(RULE, encoding="utf-8")
    one = _book(tmp_path / "一个.xlsx", [["a", "是", "=0.95", "95%"]])
    code, said = _run("report", str(rule), str(one))
    assert code == 2 and f"PF534]: {_said(one, 'C2')}" in said and HINT_ZH in said and "PF501" not in said, said
    two = _book(tmp_path / "两个.xlsx", [["a", "是", "=0.95", "95%"], ["b", "是", "95%", "95%"]])
    code, said = _run("--lang", "en", "report", str(rule), str(two), "--id", "a")
    assert code == 2 and f"PF534]: {_said_en(two, 'C2')}" in said
    code, said = _run("report", str(rule), str(two), "--id", "b")
    assert code == 0 and "10.00" in said, said


def test_read_records_and_read_department_name_the_formula(tmp_path: Path) -> None:
    """The public API reads a row as a record that says PF534 when scored, as eval does: by
    `evaluate_many` (a rubric with values across the batch too) and by `evaluate`."""
    import pingfen
    from pingfen.errors import DataError
    from pingfen.io import read_department

    data = _book(tmp_path / "各单位.xlsx", [["a", "是", "=0.95", "95%"], ["b", "是", "95%", "95%"]])
    across = RULE.replace("bands 投入 { >= 90% -> 5  else -> 0 }", "when 投入 >= 最低 -> 5  else -> 0")
    across = across.replace("indicator 甲", "let 最低 = batch min(产出)\nindicator 甲")
    assert across.count("最低") == 2
    for text in (RULE, across):
        outcomes = list(pingfen.loads(text).evaluate_many(pingfen.read_records(data), key="id"))
        assert isinstance(outcomes[0], DataError) and not isinstance(outcomes[1], DataError), outcomes
        assert (outcomes[0].code, outcomes[0].record) == ("PF534", "a")
        assert outcomes[0].problems[0].args == {"input": "投入", "path": str(data), "sheet": "填报", "cell": "C2"}
    department, record = read_department(data, id="a")
    assert department == "a" and record == {"id": "a", "有项目": "是", "投入": None, "产出": "95%", "备注": None}
    with pytest.raises(DataError) as refused:
        pingfen.loads(RULE).evaluate(record, record=department)
    assert refused.value.describe("zh") == f"[a] PF534: {_said(data, 'C2')}（{HINT_ZH}）"
    assert pingfen.loads(RULE).evaluate(read_department(data, id="b")[1]).total == 10


def test_an_audit_whose_input_is_a_formula_never_calculated_is_refused(tmp_path: Path) -> None:
    """`pingfen audit` reads the inputs of a filled template's data sheet: such a cell was a
    blank, and the indicator it feeds 'not recomputed (inputs missing)', with exit 0."""
    rule = tmp_path / "r.rule"
    rule.write_text(RULE, encoding="utf-8")
    sheet = sheet_of([("一级指标", "自评得分"), ("甲", 5), ("乙", 5), ("总分", 10)])
    sheet.title = "评分表"
    data = sheet.parent.create_sheet("填报")
    for row in (HEAD, ["a", "是", "=0.95", "95%", "=1+1"]):  # 备注, no input, is no matter
        data.append(row)
    filled = tmp_path / "自评.xlsx"
    sheet.parent.save(filled)
    code, said = _run("audit", str(rule), str(filled))
    assert code == 2 and f"PF534]: {_said(filled, 'C2')}" in said and HINT_ZH in said, said
    data["C2"] = 0.95  # a value: the audit runs and agrees
    sheet.parent.save(filled)
    code, said = _run("audit", str(rule), str(filled))
    assert code == 0 and "2 项指标（2 项一致）" in said, said


def _filled(tmp_path: Path, project: str, declared: object) -> Path:
    """r.rule, and a self-evaluation declaring 甲 5, 乙 `declared`, 总分 10, its 填报 sheet's
    产出 a formula never calculated (=0.9) beside 有项目 `project`."""
    (tmp_path / "r.rule").write_text(RULE, encoding="utf-8")
    sheet = sheet_of([("一级指标", "自评得分"), ("甲", 5), ("乙", declared), ("总分", 10)])
    sheet.title = "评分表"
    data = sheet.parent.create_sheet("填报")
    for row in (HEAD, ["a", project, 0.95, "=0.9"]):
        data.append(row)
    filled = tmp_path / "自评.xlsx"
    sheet.parent.save(filled)
    return filled


@pytest.mark.parametrize("project", ["否", "是"])
def test_an_audit_leaves_out_such_an_input_where_eval_does(tmp_path: Path, project: str) -> None:
    """产出 is read only where 有项目: with no project eval scores the row (乙 不适用) and the
    audit agrees, as with a blank cell; it was refused PF534, exit 2. With a project 乙 reads
    it, and both refuse it."""
    filled = _filled(tmp_path, project, "不适用")
    code, said = _run("audit", str(tmp_path / "r.rule"), str(filled))
    evaluated, scored = _eval(tmp_path, _book(tmp_path / "各单位.xlsx", [["a", project, 0.95, "=0.9"]]))
    if project == "否":
        assert code == 0 and "2 项指标（2 项一致）" in said, said
        assert evaluated == 0 and "a,5,不适用,10.00" in scored, scored
    else:
        assert code == 2 and f"PF534]: {_said(filled, 'D2', '产出')}" in said, said
        assert evaluated == 1 and f"[a] PF534: {_said('各单位.xlsx', 'D2', '产出')}" in scored, scored


@pytest.mark.parametrize(("project", "declared"), [("是", None), ("是", 5), ("否", None)])
def test_an_audit_refuses_such_an_input_whatever_is_declared(tmp_path: Path, project: str, declared: object) -> None:
    """产出's cell is a formula never calculated and 乙 reads it where 有项目: refused PF534 when
    乙 was declared, but with 乙 left blank the audit went on as if the cell were blank, exit 0
    and "自评得分与评分表一致". Now a row that applies reading it refuses it, declared or not;
    with no project no row reads it, and it is left out as eval leaves it."""
    filled = _filled(tmp_path, project, declared)
    code, said = _run("audit", str(tmp_path / "r.rule"), str(filled))
    if project == "否":
        assert code == 0 and "PF534" not in said, said
        return
    assert code == 2 and f"PF534]: {_said(filled, 'D2', '产出')}" in said and HINT_ZH in said, said
    code, said = _run("--lang", "en", "audit", str(tmp_path / "r.rule"), str(filled))
    assert code == 2 and f"PF534]: {_said_en(filled, 'D2', '产出')}" in said
    assert "open the workbook in Excel or WPS, save it and try again" in said, said


def test_diff_replay_names_the_formula(tmp_path: Path) -> None:
    """`pingfen diff --replay` scores an XLSX file as eval does: a unit the old version refuses
    for such a cell (and the new, which does not read it, scores) is refused PF534."""
    import json

    old, new = tmp_path / "old.rule", tmp_path / "new.rule"
    old.write_text(RULE, encoding="utf-8")
    new.write_text(RULE.replace("bands 投入 {", "bands 产出 {").replace("input 投入: percent\n", ""), encoding="utf-8")
    data = _book(tmp_path / "各单位.xlsx", [["a", "是", "=0.95", "95%"], ["b", "是", "95%", "95%"]])
    code, said = _run("diff", str(old), str(new), "--replay", str(data), "--format", "json", apart=True)
    units = json.loads(said)["replay"]["units"]
    assert code == 1 and [u["id"] for u in units] == ["a"], said
    assert units[0]["old"]["error"] == f"[a] PF534: {_said(data, 'C2')}（{HINT_ZH}）"


def test_the_cells_of_an_array_formula_never_calculated_are_named(tmp_path: Path) -> None:
    """An array formula is written on its range's first cell alone (`<f t="array" ref="C2:C4">`);
    the range's other cells hold no formula of their own, and, never calculated, no value: they
    were blanks (PF501). Each one in the range with no saved result is named, by both engines;
    a cell in it with a value, or below it, is read as it is."""
    from openpyxl.worksheet.formula import ArrayFormula

    sheet = sheet_of([HEAD, ["a", "是", None, "95%"], ["b", "是", None, "95%"], ["c", "是", None, "95%"],
                      ["d", "是", "95%", "95%"], ["e", "是", None, None]])  # fmt: skip
    sheet.title = "填报"
    sheet["C2"] = ArrayFormula("C2:C4", "=D2:D4")
    sheet["D6"] = ArrayFormula("D6:E6", "=D5:E5")  # across a row: 产出 (D6) and 备注 (E6)
    data = tmp_path / "各单位.xlsx"
    sheet.parent.save(data)
    code, out = _eval(tmp_path, data)
    lines = out.splitlines()
    assert code == 1, out
    for line, (unit, cell) in zip(lines[1:4], [("a", "C2"), ("b", "C3"), ("c", "C4")], strict=True):
        assert line.endswith(f"[{unit}] PF534: {_said(data.name, cell)}（{HINT_ZH}）"), out
    assert lines[4].startswith("d,5,5,10.00"), out
    assert "[e] PF501: 缺少输入项 `投入`" in lines[5] and "PF534" not in lines[5], out  # C6 is outside every range
    code, rows = _duckdb(tmp_path, data)
    assert [(r["refusal"], r["refusal_input"]) for r in rows] == [("PF534", "投入")] * 3 + [("", ""), ("PF501", "投入")]
    sheet["C6"] = "95%"
    sheet.parent.save(data)
    code, out = _eval(tmp_path, data)
    assert f"[e] PF534: {_said(data.name, 'D6', '产出')}" in out.splitlines()[5], out


@pytest.mark.parametrize(("ref", "named"), [("C2:C3", ["C2", "C3"]), ("$C$2:$C$9", ["C2", "C3"]), ("C:C", ["C2", "C3"]),
                                            ("C2", ["C2"]), ("not a range", ["C2"])])  # fmt: skip
def test_an_array_formulas_range_as_written(tmp_path: Path, ref: str, named: list[str]) -> None:
    """The range as Excel may write it (absolute, whole columns); one that names no cells is the
    formula's own cell alone, never a broken file."""
    import zipfile

    data = _book(tmp_path / "各单位.xlsx", [["a", "是", "=0.95", "95%"], ["b", "是", None, "95%"]])
    with zipfile.ZipFile(data) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    old = b'<c r="C2"><f>0.95</f><v></v></c>'
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(old, f'<c r="C2"><f t="array" ref="{ref}">0.95</f></c>'.encode())
    with zipfile.ZipFile(data, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    code, out = _eval(tmp_path, data)
    assert code == 1 and [c for c in ("C2", "C3") if _said(data, c) in out] == named, out


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_a_sheet_record_keeps_its_formulas_when_pickled_or_copied(protocol: int) -> None:
    """Protocols 0 and 1 refused the record (a dict with `__slots__`), and `copy()` gave a
    plain dict, its formulas lost: scored, it said PF501 again."""
    from pingfen.absent import SheetRecord

    record = SheetRecord({"id": "a", "投入": None}, {"投入": ("各单位.xlsx", "填报", "C2")})
    again = pickle.loads(pickle.dumps(record, protocol))
    assert type(again) is SheetRecord and again == record and again.formulas == record.formulas
    copied = record.copy()
    assert type(copied) is SheetRecord and copied == record and copied.formulas == record.formulas
    copied["投入"] = "95%"
    assert record["投入"] is None  # a copy, not the record itself


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_standard_error_names_the_file_once(tmp_path: Path, lang: str) -> None:
    """PF534 starts with the file: the line before it named it too (`各单位.xlsx 第 2 行 [a]: PF534: `各单位.xlsx` …`)."""
    data = _book(tmp_path / "各单位.xlsx", [["a", "是", "=0.95", "95%"], ["b", "是", "95%", "x"]])
    rule = tmp_path / "r.rule"
    rule.write_text(RULE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--lang", lang, "eval", str(rule), str(data)], out, err) == 1
    lines = err.getvalue().splitlines()
    assert sum(str(data) in line for line in lines[:2]) == 2, lines  # each line names it, the PF534 one once
    assert all(line.count(str(data)) == 1 for line in lines[:2]), lines
    assert lines[0].startswith("第 2 行 [a]: PF534: " if lang == "zh" else "row 2 [a]: PF534: "), lines


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl"])
def test_an_output_names_the_workbook_by_its_name_alone(tmp_path: Path, suffix: str) -> None:
    """The error column of `pingfen eval -o` held PF534 with the path as the command line gave it:
    `/home/张三/评价/各单位.xlsx` in a file handed to others. An output names the file alone; standard
    error, the user's own, keeps the path as given."""
    data = _book(tmp_path / "各单位.xlsx", [["a", "是", "=0.95", "95%"], ["b", "是", "95%", "95%"]])
    assert data.is_absolute()
    output = tmp_path / f"结果{suffix}"
    code, said = _eval(tmp_path, data, "--lang", "zh", "-o", str(output))
    assert code == 1 and f"第 2 行 [a]: PF534: {_said(data, 'C2')}" in said, said
    if suffix == ".xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(output, read_only=True).worksheets[0]
        cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    else:
        cells = output.read_text(encoding="utf-8-sig").splitlines()
    refused = [c for c in cells if "PF534" in c]
    assert len(refused) == 1 and f"PF534: {_said('各单位.xlsx', 'C2')}" in refused[0], cells
    assert not any(str(tmp_path) in c for c in cells), cells


def test_a_reports_summary_names_the_workbook_by_its_name_alone(tmp_path: Path) -> None:
    """`pingfen report DATA -o 文件夹/`: its 汇总.xlsx wrote the refused row's PF534 with the path as given."""
    import openpyxl

    rule = tmp_path / "r.rule"
    rule.write_text(RULE, encoding="utf-8")
    data = _book(tmp_path / "各单位.xlsx", [["a", "是", "=0.95", "95%"], ["b", "是", "95%", "95%"]])
    code, said = _run("report", str(rule), str(data), "-o", f"{tmp_path / '报告'}/")
    assert code == 1 and str(data) in said, said
    book = openpyxl.load_workbook(tmp_path / "报告" / "汇总.xlsx", read_only=True)
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert [c for c in cells if "PF534" in c] == [f"[a] PF534: {_said('各单位.xlsx', 'C2')}（{HINT_ZH}）"], cells
    assert not any(str(tmp_path) in c for c in cells), cells

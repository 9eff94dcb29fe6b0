"""A workbook written by a program and never opened in Excel has no saved result for its
formulas; openpyxl reads such a cell as blank, and the row was refused "缺少输入项" (PF501),
though the cell is not blank. Now the row is refused with PF534, naming the cell and saying
to open and save the workbook in Excel/WPS. The sheet is looked into only when a cell reads
as blank: a workbook of filled cells is read as before, once."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

import pingfen
from pingfen.cli import main
from pingfen.io import tables

RULE = """rubric "t" { total 10 }
input 投入: percent
input 产出: percent
indicator 甲 5 { bands 投入 { >= 90% -> 5  else -> 0 } }
indicator 乙 5 { bands 产出 { >= 90% -> 5  else -> 0 } }
"""


def _book(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "投入", "产出"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _run(tmp_path: Path, data: Path, *lang: str) -> tuple[int, str, str]:
    rule = tmp_path / "r.rule"
    rule.write_text(RULE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main([*lang, "eval", str(rule), str(data)], out, err)
    return code, out.getvalue(), err.getvalue()


def test_a_formula_with_no_saved_result_is_named(tmp_path: Path) -> None:
    data = _book(tmp_path / "各单位.xlsx", [["a", "=0.95", "95%"], ["b", 0.5, "=B2"], ["c", "95%", "95%"], ["d", None, "95%"]])
    code, out, err = _run(tmp_path, data)
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == "a,,,,,[a] PF534: 输入项 `投入`：单元格 B2 的公式没有保存的计算结果：请在 Excel/WPS 中打开并保存后再试"
    assert lines[2].endswith("[b] PF534: 输入项 `产出`：单元格 C3 的公式没有保存的计算结果：请在 Excel/WPS 中打开并保存后再试")
    assert lines[3].startswith("c,5,5,10.00") and lines[4].endswith("[d] PF501: 缺少输入项 `投入`")  # a blank cell is missing
    code, out, _ = _run(tmp_path, data, "--lang", "en")
    assert "PF534: input `投入`: the formula in cell B2 has no saved result: open the workbook in Excel/WPS" in out
    rubric = pingfen.load(tmp_path / "r.rule")
    record = next(iter(pingfen.read_records(data)))
    assert isinstance(record, dict)
    with pytest.raises(pingfen.DataError) as refused:
        rubric.evaluate(record)
    assert [(p.code, p.args["cell"]) for p in refused.value.problems] == [("PF534", "B2")]


def test_a_formula_saved_as_empty_text_is_blank_and_a_saved_value_is_read(tmp_path: Path) -> None:
    data = _book(tmp_path / "各单位.xlsx", [["a", "=0.95", "95%"], ["b", "=0.5", "95%"]])
    with zipfile.ZipFile(data) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    sheet = sheet.replace(b'<c r="B2"><f>0.95</f><v></v></c>', b'<c r="B2" t="str"><f>""</f><v></v></c>')  # Excel's ""
    sheet = sheet.replace(b'<c r="B3"><f>0.5</f><v></v></c>', b'<c r="B3"><f>0.5</f><v>0.95</v></c>')  # calculated
    assert sheet != parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(data, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    code, out, _ = _run(tmp_path, data)
    lines = out.splitlines()
    assert code == 1 and lines[1].endswith("[a] PF501: 缺少输入项 `投入`") and lines[2].startswith("b,5,5,10.00"), out


def test_the_sheet_is_looked_into_only_for_a_blank_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    looked = tables._uncomputed
    monkeypatch.setattr(tables, "_uncomputed", lambda sheet: calls.append(sheet) or looked(sheet))
    filled = _book(tmp_path / "满.xlsx", [["a", "95%", "95%"], ["b", 0.5, 0.95]])
    assert _run(tmp_path, filled)[0] == 0 and calls == []
    blanks = _book(tmp_path / "空.xlsx", [["a", "=0.95", "95%"], ["b", "=0.5", "95%"], ["c", "=1", "=2"]])
    assert _run(tmp_path, blanks)[0] == 1 and len(calls) == 1  # once for the file, however many blank cells

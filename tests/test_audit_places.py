"""`pingfen audit` of a workbook: a declared score that is a formula never calculated is refused
as such (PF536), not counted as undeclared in silence."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from data_helpers import RULESET
from pingfen.cli import main

R = str(RULESET)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _sheet(path: Path, *rows: list[object]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "自评"
    sheet.append(["一级指标", "二级指标", "三级指标", "分值", "自评得分"])
    for row in rows:
        sheet.append(row)
    book.save(path)  # openpyxl saves a formula with no result: as a script writes it
    return path


def test_a_declared_score_that_is_a_formula_never_calculated_is_refused_as_such(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "s.xlsx", ["投入", "预算配置", "重点支出安排率", 5, 5],
                  ["投入", "预算配置", "财政供养人员控制率", 5, "=2+2"], ["总  分", None, None, 100, "=SUM(E2:E3)"])  # fmt: skip
    code, out, err = run("audit", R, str(path))
    assert (code, out) == (2, "")
    assert "错误[PF536]: `财政供养人员控制率` 的自评得分：工作表 `自评` 的单元格 E3 是从未计算过的公式" in err
    assert "错误[PF536]: `总分` 的自评得分：工作表 `自评` 的单元格 E4 是从未计算过的公式" in err
    assert "请在 Excel 或 WPS 中打开并保存后再试" in err
    code, _, err = run("audit", "--lang", "en", R, str(path))
    assert code == 2
    assert "error[PF536]: declared `总分`: cell E4 of sheet `自评` holds a formula that was never calculated" in err
    assert "open the workbook in Excel or WPS, save it and try again" in err


def test_a_formula_with_its_result_saved_is_read_as_its_result(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "s.xlsx", ["投入", "预算配置", "重点支出安排率", 5, 5])
    book = openpyxl.load_workbook(path)
    book.active["E2"] = "=2+3"
    book.save(path)
    # what Excel saves: the formula and its result
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = parts[name].replace(b"<f>2+3</f><v></v>", b"<f>2+3</f><v>5</v>").replace(b"<f>2+3</f><v/>", b"<f>2+3</f><v>5</v>")
    assert b"<v>5</v>" in parts[name], parts[name]
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    code, out, err = run("audit", "--lang", "en", R, str(path))
    assert code == 0 and "PF536" not in err, err

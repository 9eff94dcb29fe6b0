"""`pingfen audit` of a workbook: a declared score that is a formula never calculated is refused
as such (PF536), not counted as undeclared in silence; and a declared score refused (PF513,
PF514, PF524, PF519) says where it is: the file, and in a workbook the sheet, row and cell."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from data_helpers import RUBRIC, RULESET
from pingfen.audit import audit, audit_file
from pingfen.cli import main
from pingfen.errors import DataError
from pingfen.io.filled import Cell, read_filled

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
    assert f"错误[PF536]: `{path}` 工作表 `自评` 第 3 行（单元格 E3）：`财政供养人员控制率` 的自评得分是从未计算过的公式" in err
    assert f"错误[PF536]: `{path}` 工作表 `自评` 第 4 行（单元格 E4）：`总分` 的自评得分是从未计算过的公式" in err
    assert "请在 Excel 或 WPS 中打开并保存后再试" in err
    code, _, err = run("audit", "--lang", "en", R, str(path))
    assert code == 2
    # named as PF514 names it, with the file, sheet, row and cell as PF513/514/524 and PF519 give them
    assert f"error[PF536]: `{path}`, sheet `自评`, row 4 (cell E4): declared `total`: the cell holds a formula" in err
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


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_declared_score_names_its_file_row_and_cell(tmp_path: Path, lang: str) -> None:
    path = _sheet(tmp_path / "s.xlsx", ["投入", "预算配置", "重点支出安排率", 5, 5],
                  ["投入", "预算配置", "预算执行率指标", 5, 4], ["投入", "预算配置", "财政供养人员控制率", 5, "五"],
                  ["投入", "预算配置", "“三公经费”变动率", 5, "1e999999"])  # fmt: skip
    code, _, err = run("--lang", lang, "audit", R, str(path))
    assert code == 2
    if lang == "zh":
        assert f"错误[PF513]: `{path}` 工作表 `自评` 第 3 行（单元格 E3）：`预算执行率指标` 不是评分表中的分组或指标" in err
        assert f"错误[PF514]: `{path}` 工作表 `自评` 第 4 行（单元格 E4）：`财政供养人员控制率` 的自评得分" in err
        assert f"错误[PF524]: `{path}` 工作表 `自评` 第 5 行（单元格 E5）：`“三公经费”变动率` 的自评得分" in err
    else:
        assert f"error[PF513]: `{path}`, sheet `自评`, row 3 (cell E3): `预算执行率指标` is not a group" in err
        assert f"error[PF514]: `{path}`, sheet `自评`, row 4 (cell E4): declared `财政供养人员控制率`" in err
        assert f"error[PF524]: `{path}`, sheet `自评`, row 5 (cell E5): declared `“三公经费”变动率`" in err


@pytest.mark.parametrize(("lang", "total"), [("zh", "总分"), ("en", "total")])
def test_the_total_is_named_alike_by_every_refusal(tmp_path: Path, lang: str, total: str) -> None:
    """PF514 and PF524 named the total's row `total` in 中文 too, PF536 `总分` in English too."""
    bad = _sheet(tmp_path / "bad.xlsx", ["投入", "预算配置", "重点支出安排率", 5, 5], ["合  计", None, None, 100, "九十"])
    code, _, err = run("--lang", lang, "audit", R, str(bad))
    assert code == 2 and f"`{total}`" in err and "PF514" in err, err
    huge = _sheet(tmp_path / "huge.xlsx", ["投入", "预算配置", "重点支出安排率", 5, 5], ["总分", None, None, 100, "1e999999"])
    code, _, err = run("--lang", lang, "audit", R, str(huge))
    assert code == 2 and f"`{total}`" in err and "PF524" in err, err
    never = _sheet(tmp_path / "never.xlsx", ["投入", "预算配置", "重点支出安排率", 5, 5], ["总分", None, None, 100, "=E2"])
    code, _, err = run("--lang", lang, "audit", R, str(never))
    assert code == 2 and f"`{total}`" in err and f"`{never}`" in err and "PF536" in err, err


def test_a_yaml_file_is_named_and_a_mapping_alone_names_nothing(tmp_path: Path) -> None:
    filled = tmp_path / "s.yaml"
    filled.write_text("declared:\n  预算执行率指标: 3\n  总分: x\n", encoding="utf-8")
    code, _, err = run("audit", "--lang", "en", R, str(filled))
    assert code == 2
    assert f"error[PF513]: `{filled}`: `预算执行率指标` is not a group or indicator of the rubric" in err
    assert f"error[PF514]: `{filled}`: declared `total`: \"x\" is not a number" in err  # 总分 in 中文, as PF536 says it
    with pytest.raises(DataError) as refused:
        audit(RUBRIC, {"预算执行率指标": 3})
    assert refused.value.problems[0].message("en") == "`预算执行率指标` is not a group or indicator of the rubric"


def test_a_name_declared_twice_names_the_file_and_sheet(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "s.xlsx", ["过程", "预算管理", "管理制度健全性", 3, 3], ["过程", "资产管理", "管理制度健全性", 3, 2])
    code, _, err = run("audit", "--lang", "en", R, str(path))
    assert code == 2
    assert f"error[PF519]: `{path}`, sheet `自评`: `管理制度健全性` is declared on more than one row (2, 3)" in err


@pytest.mark.parametrize("written", ["优 秀", "优\u3000秀", " 优秀 "])
def test_a_grade_spaced_as_a_form_spaces_it_is_the_rubrics_grade(tmp_path: Path, written: str) -> None:
    """A form writes two characters spaced apart (总  分, 优 秀); the total's row was read so,
    but a declared grade 优 秀 was a finding: "自评“优 秀”，总分 100 分按评价等次应为“优秀”"."""
    tops = [[top.name, None, None, top.max, top.max] for top in RUBRIC.tree]
    path = _sheet(tmp_path / "s.xlsx", *tops, ["总  分", None, None, 100, 100], ["评价等次", None, None, None, written])
    code, out, err = run("audit", R, str(path))
    assert (code, err) == (0, ""), out + err
    assert "评价等次" not in out and "一致" in out, out
    assert [f.kind for f in audit(RUBRIC, {"total": 100, "grade": written}).findings] == []
    assert [f.kind for f in audit(RUBRIC, {"total": 100, "grade": "良 好"}).findings] == ["grade"]


@pytest.mark.parametrize(("state", "kept"), [("hidden", "自评"), ("veryHidden", "自评"), ("hidden", "数据")])
def test_a_hidden_sheet_before_the_one_shown_is_not_read(tmp_path: Path, state: str, kept: str) -> None:
    """A workbook keeps last year's sheet hidden before this year's: the audit read the hidden
    自评 or 数据, and reported scores or inputs nobody sees in Excel. The sheets shown come first."""
    book = openpyxl.Workbook()
    old, shown, data = book.active, book.create_sheet("自评"), book.create_sheet("数据")
    assert old is not None
    old.title = f"上年{kept}"
    scored, given = (old, shown), (data,)
    if kept == "数据":
        scored, given = (shown,), (old, data)
    for sheet in scored:  # 0 where 95% gives 5: a finding, read from the hidden sheet
        sheet.append(["一级指标", "二级指标", "三级指标", "分值", "自评得分"])
        sheet.append(["效果", "满意度", "社会公众或服务对象满意度", 5, 0 if sheet is old else 5])
    for sheet in given:  # 50% gives 0, not the 5 declared
        sheet.append(["id", "满意度"])
        sheet.append(["区厂协", "50%" if sheet is old else "95%"])
    old.sheet_state = state
    book.active = 1
    book.save(path := tmp_path / "s.xlsx")
    code, out, err = run("audit", R, str(path))
    assert (code, err) == (0, ""), out + err
    assert "1 项指标（1 项一致）" in out, out


def test_a_header_in_its_unit_and_a_total_labelled_with_a_colon_are_read(tmp_path: Path) -> None:
    """A form heads the column 自评得分（分） and labels the total 合计：; the first was PF518 (no
    column headed 自评得分), the second PF513 (合计： is not a group or indicator)."""
    tops = [[top.name, None, None, top.max, top.max] for top in RUBRIC.tree]
    for header, total in (("自评得分（分）", "合计"), ("自评得分", "合计："), ("自评得分\n(分)", "总 分:")):
        path = _sheet(tmp_path / "s.xlsx", *tops, [total, None, None, 100, 99])
        book = openpyxl.load_workbook(path)
        book["自评"]["E1"] = header
        book.save(path)
        code, out, err = run("audit", R, str(path))
        assert code == 1 and "不一致 总分：自评 99 分，各项得分合计 100 分" in out, (header, total, out + err)
    path = _sheet(tmp_path / "s.xlsx", *tops)  # another year's column is not this one's
    book = openpyxl.load_workbook(path)
    book["自评"]["E1"] = "自评得分（上年）"
    book.save(path)
    assert "PF518" in run("audit", R, str(path))[2]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_row_adding_others_up_under_a_name_not_read_says_what_to_name_it(tmp_path: Path, lang: str) -> None:
    """得分合计 or 小计 was PF513 with help to look the row up with `pingfen diff` as renamed:
    the help now says how the total's row is named, or where a group's subtotal goes."""
    path = _sheet(tmp_path / "s.xlsx", ["投入", "预算配置", "重点支出安排率", 5, 5], ["投入", "小计", None, 15, 14],
                  ["得分合计", None, None, 100, 90], ["自评等级", None, None, None, "良好"])  # fmt: skip
    code, _, err = run("--lang", lang, "audit", R, str(path))
    assert code == 2, err
    if lang == "zh":
        assert "第 3 行（单元格 E3）：`小计` 不是评分表中的分组或指标\n  = 帮助: 分组的小计应填在该分组自己的行" in err, err
        assert "第 4 行（单元格 E4）：`得分合计` 不是评分表中的分组或指标\n  = 帮助: 如该行是总分，请将名称写作 总分、合计、" in err, err
        assert "第 5 行（单元格 E5）：`自评等级` 不是评分表中的分组或指标\n  = 帮助: 如该行是评价等次，请将名称写作 评价等次、等次、等级 之一" in err
    else:
        assert "row 3 (cell E3): `小计` is not a group or indicator of the rubric\n  = help: a group's subtotal is declared" in err
        assert "`得分合计` is not a group or indicator of the rubric\n  = help: if this row is the total, name it" in err, err
        assert "`自评等级` is not a group or indicator of the rubric\n  = help: if this row is the grade, name it" in err, err
    assert "pingfen diff" not in err, err


@pytest.mark.parametrize(("lang", "help_"), [("zh", ["请只写数值，不带“分”字：5", "请只写数值，不带“分”字：88.5",
                                                      "该单元格是电子表格的错误值", "得分以分计"]),
                                             ("en", ["write the number alone, without 分: 5",
                                                     "write the number alone, without 分: 88.5",
                                                     "the cell holds a spreadsheet's error value", "scores are points"])])  # fmt: skip
def test_a_declared_score_not_a_number_by_a_forms_habit_says_what_to_write(tmp_path: Path, lang: str, help_: list[str]) -> None:
    """5分, 88.5 分, #DIV/0! and 95% were PF514 with no help: each now says what is wanted."""
    path = _sheet(tmp_path / "s.xlsx", ["投入", "预算配置", "重点支出安排率", 5, "5分"], ["投入", "预算配置", "“三公经费”变动率", 5, "#DIV/0!"],
                  ["效果", "满意度", "社会公众或服务对象满意度", 5, "95%"], ["总分", None, None, 100, "88.5 分"])  # fmt: skip
    code, _, err = run("--lang", lang, "audit", R, str(path))
    assert code == 2 and err.count("PF514") == 4, err
    helps = [line for line in err.splitlines() if line.startswith(("  = 帮助: ", "  = help: "))]
    assert len(helps) == 4, err
    for line, want in zip(helps, [help_[0], help_[2], help_[3], help_[1]], strict=True):
        assert want in line, err


@pytest.mark.parametrize("names", ["merged", "repeated"])
def test_a_score_merged_over_a_groups_rows_is_the_groups(tmp_path: Path, names: str) -> None:
    """预算配置's 14 written once, its cell merged down over its three indicators' rows, was read as
    the first indicator's: "`财政供养人员控制率`：自评 14 分，超过分值 5 分". It is the group's,
    whose name the rows share (merged down, or written again on each); an indicator's score
    merged over its own two rows stays the indicator's."""
    leaves = ["财政供养人员控制率", "“三公经费”变动率", "重点支出安排率"]
    path = _sheet(tmp_path / "s.xlsx", *[["投入", "预算配置", leaf, 5, 14 if i == 0 else None] for i, leaf in enumerate(leaves)],
                  ["效果", "满意度", "社会公众或服务对象满意度", 5, 5], [None, None, None, None, None], ["总分", None, None, 100, 19])  # fmt: skip
    book = openpyxl.load_workbook(path)
    sheet = book["自评"]
    sheet.merge_cells("E2:E4")
    if names == "merged":
        sheet.merge_cells("A2:A4")
        sheet.merge_cells("B2:B4")
    else:
        for row in (3, 4):
            sheet[f"A{row}"], sheet[f"B{row}"] = "投入", "预算配置"
    sheet.merge_cells("C5:C6")  # 满意度's criteria over two rows, its score merged alike
    sheet.merge_cells("E5:E6")
    book.save(path)
    nodes = [n.name for top in RUBRIC.tree for n in top.walk()]
    filled = read_filled(path, nodes, [s.name for s in RUBRIC.inputs])
    assert filled.declared == {"预算配置": 14, "社会公众或服务对象满意度": 5, "total": 19}
    assert filled.places["预算配置"] == Cell("自评", 2, "E2")
    found = audit_file(RUBRIC, path)
    assert [(f.kind, f.name) for f in found.findings] == [], found.findings
    code, out, err = run("audit", R, str(path))
    assert code == 0 and "超过分值" not in out, out + err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_declared_dash_or_not_applicable_says_what_the_row_may_hold(tmp_path: Path, lang: str) -> None:
    """A form writes / or 不适用 where nothing is declared: PF514 said only that it is not a
    number. The help says to write 不适用 where the row may not apply, else that the row always
    applies: its score, or a blank."""
    rule = tmp_path / "r.rule"
    rule.write_text('rubric "t" { total 10 }\ninput 有项目: bool\ninput 产出: percent\n'
                    "indicator 甲 5 { bands 产出 { >= 90% -> 5  else -> 0 } }\n"
                    "indicator 乙 5 {\n  applies if 有项目 else rescale\n  bands 产出 { >= 90% -> 5  else -> 0 }\n}\n",
                    encoding="utf-8")  # fmt: skip
    path = _sheet(tmp_path / "s.xlsx", ["甲", None, None, 5, "不适用"], ["乙", None, None, 5, "／"])
    code, _, err = run("--lang", lang, "audit", str(rule), str(path))
    assert code == 2 and err.count("PF514") == 2, err
    always, na = ("该行始终适用", "如该项不适用，请填写“不适用”") if lang == "zh" else ("the row always applies", "if it does not apply, write")
    helps = [line for line in err.splitlines() if line.startswith(("  = 帮助: ", "  = help: "))]
    assert len(helps) == 2 and always in helps[0] and na in helps[1], err


@pytest.mark.parametrize(("column", "lang", "said"), [
    ("满意 度", "zh", "错误[PF517]: `满意 度` 不是评分表的输入项 (记录 区厂协)\n  = 帮助: 是否应为 `满意度`？"),
    ("满意度（%）", "en", "error[PF517]: `满意度（%）` is not an input of the rubric (record 区厂协)\n  = help: did you mean `满意度`?"),
    ("满意度\u200b", "en", "error[PF517]: `满意度\\u200b` is not an input of the rubric (record 区厂协)\n  = help: delete the character"),
])  # fmt: skip
def test_an_input_column_written_otherwise_is_refused_not_dropped(tmp_path: Path, column: str, lang: str, said: str) -> None:
    """A data sheet's column 满意 度 (spaced, with its unit, an invisible character) was dropped
    in silence: the indicator it feeds counted among those not recomputed, exit 0. Refused, as a
    YAML file's `inputs:` key is (PF517), with the input meant; eval says so too (PF501)."""
    path = _sheet(tmp_path / "s.xlsx", ["效果", "满意度", "社会公众或服务对象满意度", 5, 3])
    book = openpyxl.load_workbook(path)
    data = book.create_sheet("数据")
    data.append(["id", column, "备注"])  # 备注, named as no input, is no matter
    data.append(["区厂协", "95%", "无"])
    book.save(path)
    code, out, err = run("--lang", lang, "audit", R, str(path))
    assert (code, out) == (2, "") and said in err, err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_declared_score_on_a_hidden_row_says_it_is_hidden(tmp_path: Path, lang: str) -> None:
    """Last year's row kept hidden under this year's: "declared on more than one row (2, 3)" and
    "row 4 (cell E4)" named rows Excel does not show, and the user looked for them in vain."""
    path = _sheet(tmp_path / "s.xlsx", ["过程", "预算管理", "管理制度健全性", 3, 3], ["过程", "预算管理", "管理制度健全性", 3, 2],
                  ["投入", "预算配置", "重点支出安排率", 5, "五"])  # fmt: skip
    book = openpyxl.load_workbook(path)
    book["自评"].row_dimensions[3].hidden = True
    book.save(path)
    code, _, err = run("--lang", lang, "audit", R, str(path))
    assert code == 2
    if lang == "zh":
        assert "`管理制度健全性` 在多行（第 2, 3 行，其中第 3 行为隐藏行）都有自评得分" in err, err
    else:
        assert "`管理制度健全性` is declared on more than one row (2, 3; row 3 is hidden)" in err, err
    book["自评"].delete_rows(2)  # the first gone: the hidden one is the only one, and the 五 below it is refused
    book["自评"].row_dimensions[3].hidden = True
    book["自评"].row_dimensions[2].hidden = False
    book.save(path)
    code, _, err = run("--lang", lang, "audit", R, str(path))
    assert code == 2 and "PF514" in err, err
    want = "第 3 行（单元格 E3，隐藏行）：`重点支出安排率`" if lang == "zh" else "row 3 (cell E3, hidden): declared `重点支出安排率`"
    assert want in err, err


@pytest.mark.parametrize("label", ["投入小计", "投入 合计", "投入合计："])
def test_a_groups_subtotal_row_is_the_groups_score(tmp_path: Path, label: str) -> None:
    """A form closes each group with its subtotal, 投入小计 or 投入合计: it was PF513 (not a group
    or indicator). In a workbook it is 投入's declared score."""
    path = _sheet(tmp_path / "s.xlsx", ["投入", "预算配置", "重点支出安排率", 5, 5], [label, None, None, 15, 14])
    nodes = [n.name for top in RUBRIC.tree for n in top.walk()]
    assert read_filled(path, nodes, []).declared == {"重点支出安排率": 5, "投入": 14}
    with pytest.raises(DataError) as refused:  # a YAML file's key is the rubric's name: the one meant is said
        audit(RUBRIC, {"投入合计": 14})
    assert (refused.value.problems[0].hint, refused.value.problems[0].args["suggestion"]) == ("did_you_mean", "投入")


def test_a_yaml_files_total_and_grade_spaced_as_a_form_writes_them_are_read(tmp_path: Path) -> None:
    """`总 分:` and `评价 等次:`, copied from a form that spaces them, were PF513 (not a group or
    indicator) with help about renamed rows, while a workbook's row 总 分 is the total."""
    filled = tmp_path / "s.yaml"
    filled.write_text("declared:\n  投入: 15\n  过程: 40\n  产出: 25\n  效果: 20\n  总 分: 99\n  评价\u3000等次: 优秀\n", encoding="utf-8")
    code, out, err = run("audit", R, str(filled))
    assert (code, err) == (1, ""), out + err
    assert "不一致 总分：自评 99 分，各项得分合计 100 分" in out and "评价等次" not in out, out
    filled.write_text("declared:\n  总 分: x\n", encoding="utf-8")
    assert "`总分` 的自评得分 \"x\" 不是数值" in run("audit", R, str(filled))[2]

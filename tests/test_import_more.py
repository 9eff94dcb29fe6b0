"""`pingfen import`, continued: a header over two rows (指标 merged across the level
columns, 一级/二级/三级指标 below it; 分值 and 评分标准 merged down both rows), and the
grades and rounding line below the table read into the rubric header — phrase by phrase,
then in XLSX and DOCX tables."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
from pingfen.gradeline import GradeLine, read_grade_line
from pingfen.importer import import_table
from pingfen.loader import diagnose
from xlsx_helpers import sheet_of

D = Decimal


@pytest.mark.parametrize(
    ("text", "grades", "places", "mode"),
    [
        ("评价等次：90分（含）以上为优秀；80分（含）-90分为良好；60分（含）-80分为中；60分以下为差。"
         "总分四舍五入保留2位小数后评定等次。",
         (("优秀", ">=", D(90)), ("良好", ">=", D(80)), ("中", ">=", D(60)), ("差", None, None)), 2, "half_up"),
        ("90分以上为优秀，80（含）-90分为良好，60(含)～80分为合格，其他为不合格", (("优秀", ">=", D(90)),
         ("良好", ">=", D(80)), ("合格", ">=", D(60)), ("不合格", None, None)), None, "half_up"),
        ("85.5分（不含）以上为A；85.5分（含）以下为B。总分直接舍去保留0位小数后评定等次。",
         (("A", ">", D("85.5")), ("B", None, None)), 0, "down"),
        ("等次按以下顺序取首个符合的：总分≥10为甲；总分=5为乙；其他为丙。总分四舍六入五成双保留1位小数后评定等次。",
         (("甲", ">=", D(10)), ("乙", "=", D(5)), ("丙", None, None)), 1, "half_even"),
        # a lead-in before the grades (评价结果：, 注：, 绩效等级划分：, 总分 before a clause), split at ； or ，
        ("评价结果：85分以上为优秀；70-85分为良好；60-70分为合格；60分以下为不合格。", (("优秀", ">=", D(85)),
         ("良好", ">=", D(70)), ("合格", ">=", D(60)), ("不合格", None, None)), None, "half_up"),
        ("评价结果：85分以上为优秀，70-85分为良好，60-70分为合格，60分以下为不合格。", (("优秀", ">=", D(85)),
         ("良好", ">=", D(70)), ("合格", ">=", D(60)), ("不合格", None, None)), None, "half_up"),
        ("注：总分85分以上为优秀；总分在60分以下为差", (("优秀", ">=", D(85)), ("差", None, None)), None, "half_up"),
        ("注：评价等次：85分以上为优秀，其他为差。保留一位小数", (("优秀", ">=", D(85)), ("差", None, None)), 1, "half_up"),
        ("绩效等级划分：总分≥85分为优秀；其余为合格", (("优秀", ">=", D(85)), ("合格", None, None)), None, "half_up"),
        # a range's ends joined by 至, as tables often write it (it was a TODO)
        ("评价等级：总分90分（含）以上为优秀，80分（含）至90分为良好，60分（含）至80分为中，60分以下为差。",
         (("优秀", ">=", D(90)), ("良好", ">=", D(80)), ("中", ">=", D(60)), ("差", None, None)), None, "half_up"),
        # a grade's name in quotes, as notices write it: the name is what they hold (it was “优秀”, quotes and all)
        ("90分（含）以上为“优秀”，80分（含）-90分为“良好”，60分（含）-80分为「中」，60分以下为\"差\"。",
         (("优秀", ">=", D(90)), ("良好", ">=", D(80)), ("中", ">=", D(60)), ("差", None, None)), None, "half_up"),
        # more than a name after 为: not read, left to a person (it was a grade named 优秀(含90分))
        ("90分以上为优秀（含90分），80-90分为良好（含80分），60分以下为差。保留两位小数", (), 2, "half_up"),
        ("90分（含）以上为优秀（且满意度≥90%）；其他为差。保留两位小数", (), 2, "half_up"),
        ("得分保留两位小数", (), 2, "half_up"),  # the rounding alone
        ("90分以上为优秀；由评价组综合评定为其他等次；保留三位小数", (), 3, "half_up"),  # a grade not read: none taken
    ],
)  # fmt: skip
def test_grade_lines(text: str, grades: tuple[tuple[str, str | None, Decimal | None], ...], places: int | None,
                     mode: str) -> None:  # fmt: skip
    assert read_grade_line(text) == GradeLine(grades, places, mode)


@pytest.mark.parametrize("text", ["部门整体支出绩效评价评分表（2021年度）", "填表说明：本表由评价单位填写", ""])
def test_lines_that_state_no_grades(text: str) -> None:
    assert read_grade_line(text) is None


def test_the_header_lines_of_a_grade_line() -> None:
    line = GradeLine((("优秀", ">=", D(90)), ("差", None, None)), 1, "half_even")
    assert line.lines() == ["round total 1 half_even", "grade 优秀 >= 90", "grade 差 otherwise"]


# ---------------------------------------------------------------- tables

ROWS = [
    ["投入（10分）", "预算配置（10分）", "重点支出安排率", 5, "重点支出安排率≥90%，计5分；80%（含）-90%，计3分；低于80%，不得分。"],
    ["", "", "资金使用合规性", 5, "每出现一例扣1分，扣完为止。"],
]
GRADES = "评价等次：9分（含）以上为优秀，8（含）-9分为良好，6（含）-8分为中，6分以下为差。总分保留一位小数。"


def build_xlsx(path: Path, grades: str = GRADES, *more: str) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["附件 2022年项目评分表"])
    sheet.append(["指标", None, None, "分值", "评分标准"])
    sheet.append(["一级指标", "二级指标", "三级指标", None, None])
    sheet.merge_cells("A2:C2")
    sheet.merge_cells("D2:D3")
    sheet.merge_cells("E2:E3")
    for row in ROWS:
        sheet.append(row)
    sheet.merge_cells("A4:A5")
    sheet.merge_cells("B4:B5")
    sheet.append(["合计", None, None, 10, None])
    sheet.append([grades])
    for line in more:
        sheet.append([line])
    book.save(path)
    return path


def build_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("2022年项目评分表")
    table = document.add_table(rows=2 + len(ROWS) + 1, cols=5)
    head = table.cell(0, 0).merge(table.cell(0, 2))
    head.text = "指标"
    for column, text in ((3, "分值"), (4, "评分标准")):
        table.cell(0, column).merge(table.cell(1, column)).text = text
    for column, text in enumerate(["一级指标", "二级指标", "三级指标"]):
        table.cell(1, column).text = text
    for r, row in enumerate(ROWS, start=2):
        for c, value in enumerate(row):
            if value != "":
                table.cell(r, c).text = str(value)
    for column in (0, 1):
        merged = table.cell(2, column).merge(table.cell(3, column))
        merged.text = str(ROWS[0][column])
    table.cell(4, 0).text = "合计"
    table.cell(4, 3).text = "10"
    document.add_paragraph(GRADES)
    document.save(str(path))
    return path


@pytest.mark.parametrize("build", [build_xlsx, build_docx])
def test_a_header_over_two_rows_and_the_grades_line(build: object, tmp_path: Path) -> None:
    assert callable(build)
    suffix = ".xlsx" if build is build_xlsx else ".docx"
    imported = import_table(build(tmp_path / f"表{suffix}"))
    assert [(r.indicator, r.recognised) for r in imported.rows] == [("重点支出安排率", True), ("资金使用合规性", True)]
    rubric = pingfen.loads(imported.text, "draft.rule", tests=False)
    header = rubric.module.header
    assert header is not None
    assert [(g.name.text, g.op, g.threshold.value if g.threshold else None) for g in header.grades] == [
        ("优秀", ">=", D(9)), ("良好", ">=", D(8)), ("中", ">=", D(6)), ("差", None, None)]  # fmt: skip
    assert header.round_places is not None and header.round_places.value == 1
    assert "通用的划分" not in imported.text  # the table's own grades, not the usual ones
    groups = [n.name.text for n in rubric.module.top]
    assert groups == ["投入"]  # three levels: 投入 / 预算配置 / the indicators
    result = rubric.evaluate({"重点支出安排率": D("0.85"), "资金使用合规性问题例数": 1}, ratios=True)
    assert (result.total, result.grade) == (D(7), "中")


def test_without_a_grades_line_the_usual_grades_are_written_under_a_todo(tmp_path: Path) -> None:
    """They were written under a plain comment, and the import said 100%: a guess that looked like a reading."""
    note = "注：1.评价结果分为优秀、良好、中、差四个等次；2.数据以决算报表为准。"  # no score: no grades stated
    for name, line in (("表", "填表说明：本表由评价单位填写"), ("注", note)):
        path = build_xlsx(tmp_path / f"{name}.xlsx", line)
        imported = import_table(path)
        assert "round total 2 half_up" in imported.text and "grade 优秀 >= 9" in imported.text
        assert "  # TODO: 评分表未写明评价等次，暂按财政绩效评价通用的划分（总分的 90%、80%、60%）写入；" in imported.text
        assert imported.recognised == 2 and len(imported.rows) == 4  # the grades and the rounding, both guessed
        assert imported.summary("zh")[1:2] == ["  评价等次：评分表未写明，暂按通用的划分写入，已标 TODO"]
        assert imported.summary("en")[1:2] == ["  grades: the table states none, the usual grades written, marked TODO"]
        assert any("评价等次" in str(d.args["text"]) for d in diagnose(imported.text) if d.code == "PF119")
        out, err = io.StringIO(), io.StringIO()
        assert main(["import", str(path)], out, err) == 1
        assert "已识别 2/4 行评分标准（50%）" in err.getvalue()


def test_a_rounding_line_before_the_grades_line_is_kept(tmp_path: Path) -> None:
    """The first line read was taken whole: a rounding line alone hid the grades below it."""
    imported = import_table(build_xlsx(tmp_path / "表.xlsx", "总分保留一位小数。", "评价结果：8.5分以上为优秀，其他为合格"))
    assert "round total 1 half_up" in imported.text and "grade 优秀 >= 8.5" in imported.text
    assert imported.recognised == len(imported.rows) == 2


@pytest.mark.parametrize("line", [
    "评价结果：9分以上为优秀；由评价组综合评定其他等次",
    "优秀：9分以上；良好：8-9分；合格：6-8分",
])  # fmt: skip
def test_grades_stated_but_not_read_are_a_todo_that_counts(tmp_path: Path, line: str) -> None:
    """The usual grades were written under a plain comment and the import said 100%, exit 0."""
    path = build_xlsx(tmp_path / "表.xlsx", line)
    imported = import_table(path)
    assert imported.recognised == 2 and len(imported.rows) == 4  # the rounding not stated either
    assert f"  评价等次：未能识别“{line}”，暂按通用的划分写入，已标 TODO" in imported.summary("zh")
    assert f"  grades: “{line}” not recognised, the usual grades written, marked TODO" in imported.summary("en")
    assert f"# TODO: 未能识别评分表的评价等次“{line}”" in imported.text
    assert "grade 优秀 >= 9" in imported.text and "grade 差   otherwise" in imported.text
    found = [d for d in diagnose(imported.text) if d.code == "PF119"]
    assert any("评价等次" in str(d.args["text"]) for d in found)
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", str(path)], out, err) == 1
    assert "已识别 2/4 行评分标准（50%）" in err.getvalue()


def test_render_heading_year_goes_to_year_not_the_title(tmp_path: Path) -> None:
    from pingfen.render import render_table
    from strategies import RULESET_2021

    original = pingfen.load(RULESET_2021)
    render_table(original, "xlsx", tmp_path / "表.xlsx")
    imported = pingfen.loads(import_table(tmp_path / "表.xlsx").text, "draft.rule", tests=False)
    assert (imported.name, imported.year) == (original.name, 2021)


REPEATED = [
    ("过程（10分）", "预算执行（6分）", "执行率", 3, "执行率≥95%，计3分；85%（含）-95%，计2分；低于85%不得分。"),
    ("过程（10分）", "预算执行（6分）", "调整率", 3, "调整率≤5%，计3分；5%-10%（含），计1分；高于10%不得分。"),
    ("过程（10分）", "预算管理（4分）", "公开", 4, "①按规定内容公开，2分；②按规定时限公开，2分。"),
    ("产出（5分）", "数量（5分）", "完成率", 5, "完成率≥100%，计5分；90%（含）-100%，计3分；低于90%不得分。"),
]


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_group_written_again_on_each_row_is_one_group(tmp_path: Path, kind: str) -> None:
    """Staff who fill every cell instead of merging got 过程, 过程（续）, 过程（续）（续）, each
    with the parent's points, and a draft that failed its checks (PF303)."""
    header = ("一级指标", "二级指标", "三级指标", "分值", "评分标准")
    rows = [header, *[tuple(str(c) for c in row) for row in REPEATED], ("总分", "", "", "15", "")]
    path = tmp_path / f"表.{kind}"
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(list(row))
        book.save(path)
    else:
        import docx

        document = docx.Document()
        table = document.add_table(rows=len(rows), cols=len(header))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        document.save(str(path))
    imported = import_table(path)
    rubric = pingfen.loads(imported.text, "imported.rule")
    assert [(top.name, top.max, [(g.name, g.max, [i.name for i in g.children]) for g in top.children]) for top in rubric.tree] == [
        ("过程", 10, [("预算执行", 6, ["执行率", "调整率"]), ("预算管理", 4, ["公开"])]),
        ("产出", 5, [("数量", 5, ["完成率"])]),
    ]
    assert "（续）" not in imported.text


def test_two_indicators_named_alike_stay_two(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["一级指标", "二级指标", "分值", "评分标准"])
    sheet.append(["管理", "制度", 2, "①有制度，1分；②制度执行，1分。"])
    sheet.append(["管理", "制度", 2, "①有制度，1分；②制度执行，1分。"])
    sheet.append(["总分", "", 4, ""])
    book.save(tmp_path / "表.xlsx")
    rubric = pingfen.loads(import_table(tmp_path / "表.xlsx").text, "imported.rule")
    assert [(g.name, len(g.children)) for g in rubric.tree] == [("管理", 2)]  # the second renamed (管理制度)


def test_points_shared_by_three_that_no_decimal_holds_are_split_in_cents_for_a_person_to_confirm(tmp_path: Path) -> None:
    """One 分值 of 10 merged over three indicators gave each 3.333333333333333333333333333 and
    the group 9.999999999999999999999999999, with no word to check it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["一级指标", "二级指标", "分值", "评分标准"])
    for name in ("经济效益", "社会效益", "生态效益"):
        sheet.append(["效果", name, 10 if name == "经济效益" else None, "由评价组评定。"])
    sheet.merge_cells("C2:C4")
    sheet.append(["总分", "", 10, ""])
    book.save(tmp_path / "表.xlsx")
    text = import_table(tmp_path / "表.xlsx").text
    rubric = pingfen.loads(text, "imported.rule")
    assert [(i.name, i.max) for i in rubric.tree[0].children] == [("经济效益", D("3.33")), ("社会效益", D("3.33")),
                                                                  ("生态效益", D("3.34"))]  # fmt: skip
    assert rubric.tree[0].max == 10
    assert text.count("# TODO: 原表 3 项共 10 分，不能平均分为有限位小数，暂按 3.33、3.33、3.34 分配；请核对后删去本行") == 3


# ---------------------------------------------------------------- the draft checked


# A rubric table's title and header, above its rows
TITLED: list[list[object]] = [["2022年评分表"], ["一级指标", "二级指标", "分值", "评分标准"]]


def _rows_table(path: Path, rows: list[list[object]]) -> Path:
    sheet_of([*TITLED, *rows]).parent.save(path)
    return path


def test_a_checklist_with_a_closing_sentence_and_cumulative_bands_import_clean(tmp_path: Path) -> None:
    """The reviewer's table: a `match` with max 1 of 2, and overlapping bands (PF402) at 100%, exit 0."""
    path = _rows_table(tmp_path / "a.xlsx", [
        ["投入", "执行率", 5, "执行率≥90%，计5分；≥80%，计4分；＜80%，不得分"],
        ["", "信息公开", 2, "①按规定内容公开，1分；②按规定时限公开，1分。未公开的不得分"],
        ["总分", "", 7, ""],
        ["评价等次：6分（含）以上为合格，6分以下为不合格。总分保留一位小数。"],
    ])  # fmt: skip
    imported = import_table(path)
    assert imported.recognised == len(imported.rows) == 2
    assert [d.code for d in diagnose(imported.text) if d.severity != "note"] == []
    rubric = pingfen.loads(imported.text, tests=False)
    result = rubric.evaluate({"执行率": D("0.85"), "按规定内容公开": True, "按规定时限公开": True}, ratios=True)
    assert (result.score("执行率"), result.score("信息公开")) == (D(4), D(2))


def test_a_rule_the_checks_refuse_is_a_todo_never_recognised(tmp_path: Path) -> None:
    """Bands ≥80% then ≥90% overlap whichever way they are read: the import said 100% while
    `check` failed PF402. The row is now a judgment under a TODO naming the error."""
    path = _rows_table(tmp_path / "b.xlsx", [
        ["投入", "执行率", 5, "执行率≥80%，计4分；≥90%，计5分；＜80%，不得分"],
        ["", "制度", 5, "健全的得5分，基本健全的得2分，不健全的不得分"],
        ["总分", "", 10, ""],
        ["评价等次：6分（含）以上为合格，6分以下为不合格。总分保留一位小数。"],
    ])  # fmt: skip
    imported = import_table(path)
    assert [(r.indicator, r.kind, r.recognised, r.detail) for r in imported.rows] == [
        ("执行率", "checked", False, "PF402"), ("制度", "labels", True, "")]  # fmt: skip
    assert "  第 3 行 执行率：识别出的规则未通过检查（PF402），已标 TODO" in imported.summary("zh")
    assert "  row 3 执行率: the rule read fails the checks (PF402), marked TODO" in imported.summary("en")
    assert "# TODO: 识别出的规则未通过检查（PF402：" in imported.text
    assert "#   bands 执行率 {" in imported.text and "indicator 执行率 5 { judgment }" in imported.text
    assert [d.code for d in diagnose(imported.text) if d.severity == "error"] == []
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", str(path)], out, err) == 1
    assert "已识别 1/2 行评分标准（50%）" in err.getvalue()


def test_a_rule_refused_for_two_errors_lists_them_in_each_language(tmp_path: Path) -> None:
    """The English summary listed a row's codes joined with 、: "fails the checks (PF301、PF306)"."""
    path = _rows_table(tmp_path / "c.xlsx", [
        ["投入", "执行率", 5, "完成率达到90%以上的得6分，70%-90%（含）得3分，90%-70%的得2分，70%以下不得分"],
        ["总分", "", 5, ""],
        ["评价等次：3分（含）以上为合格，3分以下为不合格。"],
    ])  # fmt: skip
    imported = import_table(path)
    assert "  row 3 执行率: the rule read fails the checks (PF301, PF306), marked TODO" in imported.summary("en")
    assert "  第 3 行 执行率：识别出的规则未通过检查（PF301、PF306），已标 TODO" in imported.summary("zh")

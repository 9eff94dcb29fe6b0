"""`pingfen render`: the rubric as the official table, its 评分标准 written from the rules."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

import pingfen
from data_helpers import ROOT, RUBRIC, RULESET
from pingfen.cli import main
from pingfen.render import FORMATS, render_table
from pingfen.report.rubric_table import build_table, render_html, render_markdown

FORMS = sorted((ROOT / "tests" / "golden" / "forms").glob("*.rule"))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def criteria(rubric: pingfen.Rubric, lang: str = "zh") -> dict[str, str]:
    return {row.name: row.criterion for row in build_table(rubric, lang).rows}  # type: ignore[arg-type]  # "zh" | "en"


# ---------------------------------------------------------------- the 2021 rows, checked by hand
# Each written against docs/reference-2021.md's annex text: the same thresholds, rates,
# step counting (proportional, as that page fixes) and caps (扣完为止), in the table's phrases.

_PER_POINT = "每{word}一个百分点扣{rate}分，不足一个百分点的按比例扣分，扣完为止。"
_JUDGED = "由评价人员酌情打分，最高{}分。"
EXPECTED_2021 = {
    "财政供养人员控制率": "以100%为基准，在职人员控制率≤100%的，计5分；" + _PER_POINT.format(word="超过", rate="0.5"),
    "“三公经费”变动率": "以0%为基准，“三公经费”变动率≤0%的，计5分；" + _PER_POINT.format(word="超过", rate="0.5"),
    "重点支出安排率": "重点支出安排率≥90%，计5分；80%（含）-90%，计4分；70%（含）-80%，计3分；"
    "60%（含）-70%，计2分；低于60%，不得分。",
    "预算调整率": "预算调整率=0，计3分；0-10%（含），计2分；10%-20%（含），计1分；20%-30%（含），计0.5分；"
    "高于30%，不得分。",
    "支付进度": "未按进度下达专项数每出现一例扣0.5分，扣完为止。",
    "资金结余": "结余=0的，计3分；结余≤上年结转的，计2分；其他情况，不得分。",
    "“三公经费”控制率": "以100%为基准，三公经费控制率≤100%的，计6分；" + _PER_POINT.format(word="超过", rate="1"),
    "管理制度健全性": "①已制定或具有预算资金管理办法、内部财务管理制度、会计核算制度等管理制度，1分；"
    "②相关管理制度合法、合规、完整，1分；③相关管理制度得到有效执行，1分。",
    "资金使用合规性": "资金使用不合规例数每出现一例扣1分，扣完为止。",
    "预决算信息公开性和完善性": "①按规定内容公开预决算信息，1分；②按规定时限公开预决算信息，0.5分；"
    "③基础数据信息和会计信息资料真实，0.5分；④基础数据信息和会计信息资料完整，0.5分；"
    "⑤基础数据信息和汇集信息资料准确，0.5分。",
    "政府采购执行率": "以100%为基准，政府采购执行率≥100%的，计3分；" + _PER_POINT.format(word="低于", rate="0.2"),
    "公务卡刷卡率": "以50%为基准，公务卡刷卡率≥50%的，计3分；" + _PER_POINT.format(word="低于", rate="0.2"),
    "资产管理制度健全性": "①已制定或具有资产管理制度，且相关资产管理制度合法、合规、完整，2分；"
    "②相关资产管理制度得到有效执行，1分。",
    "资产管理安全性": "资产管理不合规例数每出现一例扣1分，扣完为止。",
    "固定资产利用率": "以100%为基准，固定资产利用率≥100%的，计3分；" + _PER_POINT.format(word="低于", rate="0.1"),
    "推进全面小康建设指标任务完成情况": _JUDGED.format(5),
    "建设湖南新增极目标任务完成情况": _JUDGED.format(7),
    "《政府工作报告》目标任务完成情况": _JUDGED.format(5),
    "省市区民生实事完成情况": _JUDGED.format(2),
    "省市区重点工程和重大项目建设完成情况": _JUDGED.format(2),
    "其他工作实绩指标完成情况": _JUDGED.format(4),
    "经济效益": _JUDGED.format(5),
    "社会效益": _JUDGED.format(5),
    "生态效益": _JUDGED.format(5),
    "社会公众或服务对象满意度": "满意度≥95%，计5分；85%（含）-95%，计3分；75%（含）-85%，计1分；低于75%，不得分。",
}


def test_every_2021_row_states_its_rule() -> None:
    assert criteria(RUBRIC) == EXPECTED_2021


def test_2021_table_layout_grades_and_explanations() -> None:
    table = build_table(RUBRIC, "zh")
    assert table.header == ("一级指标", "二级指标", "三级指标", "分值", "指标解释", "评分标准")
    assert len(table.rows) == 25 and table.total == 100
    assert table.heading == "部门整体支出绩效评价评分表（2021年度）"
    first = table.rows[0]
    assert [table.group_text(c) for c in first.levels] == ["投入（15分）", "预算配置（15分）"]  # type: ignore[arg-type]
    assert first.explanation == "在职人员控制率=在职人数÷编制人数。"
    assert table.rows[1].explanation == "“三公经费”变动率=（本年三公经费-上年三公经费）÷上年三公经费。"
    assert table.grades == (
        "90分（含）以上为优秀；80分（含）-90分为良好；60分（含）-80分为中；60分以下为差。总分四舍五入保留2位小数后评定等次。"
    )


def test_2021_rows_in_english() -> None:
    found = criteria(RUBRIC, "en")
    assert found["财政供养人员控制率"] == (
        "在职人员控制率 ≤ 100%: 5 points; 0.5 deducted per one percentage point of 在职人员控制率 above 100%, "
        "part of a step in proportion, down to 0."
    )
    assert found["预算调整率"] == (
        "预算调整率 = 0: 3 points; (0, 10%]: 2 points; (10%, 20%]: 1 point; (20%, 30%]: 0.5 points; > 30%: 0 points."
    )
    assert found["经济效益"] == "judged by the evaluators, 0 to 5 points."
    assert build_table(RUBRIC, "en").grades.startswith("优秀: ≥ 90; 良好: ≥ 90 and < 90".replace("≥ 90 and", "≥ 80 and"))


# ---------------------------------------------------------------- every rule form

EXPECTED_FORMS = {
    ("deduct-counting", "按比例"): "以100%为基准，执行率≥100%的，计10分；每低于5个百分点扣2分，不足5个百分点的按比例扣分，扣完为止。",
    ("deduct-counting", "整步"): "以100%为基准，执行率≥100%的，计10分；每低于5个百分点扣2分，不足5个百分点的部分不扣分，扣完为止。",
    ("deduct-counting", "起步"): "以100%为基准，执行率≥100%的，计10分；每低于5个百分点扣2分，不足5个百分点的按5个百分点计算，扣完为止。",
    ("deduct-two-sided", "预算编制准确率"): "以目标值为基准，实际值等于目标值的，计6分；每相差3个百分点扣1分，"
    "不足3个百分点的按3个百分点计算，扣完为止。",
    ("counted-amount-and-fixed-score", "超支扣分"): "超支每1扣1分，不足1的部分不扣分，扣完为止。",
    ("counted-amount-and-fixed-score", "固定分"): "得分=3，最高3分，低于0分的按0分计。",
    ("labels", "制度建设"): "制度健全程度：健全的，得10分；基本健全的，得6分；不健全的，不得分。",
    ("checklists", "资金使用合规性"): "①截留挪用的，扣2分；②虚列支出的，扣3分，扣完为止。",
    ("clamp-reasons", "加分后扣分"): "①合规，4分；②“合规”不成立，6分；在此基础上，违规的，扣11分，扣完为止。",
    ("formula", "价格分"): "得分=评标基准价÷投标报价×价格权值×100，最高30分，低于0分的按0分计。",
    ("when-no-else", "资金结余"): "结余≤上年结转的，计3分；结余>上年结转×2的，不得分；不符合以上任一条件的，不予评分。",
    ("guarded-division", "变动率"): "上年=0的，计5分；（本年-上年）÷上年≤0的，计5分；（本年-上年）÷上年≤10%的，计3分；"
    "其他情况，不得分。",
    ("fullwidth-and-names", "“三公经费”变动率"): "比率≥90%，计5分；80%（含）-90%，计4分；0（不含）-80%（不含），计2分；"
    "≤0，不得分。",
    ("judgment", "《政府工作报告》目标任务完成情况"): "由评价人员酌情打分（记为完成情况评分），最高7分。",
}


def _load(path: Path) -> pingfen.Rubric:
    return pingfen.loads(path.read_text(encoding="utf-8"), str(path))


def test_rule_forms_are_worded_as_written_by_hand() -> None:
    for (form, indicator), text in EXPECTED_FORMS.items():
        assert criteria(_load(ROOT / "tests" / "golden" / "forms" / f"{form}.rule"))[indicator] == text, form


@pytest.mark.parametrize("path", FORMS, ids=[p.stem for p in FORMS])
def test_every_form_renders_in_every_format_and_language(path: Path, tmp_path: Path) -> None:
    rubric = _load(path)
    for lang in ("zh", "en"):
        for text in criteria(rubric, lang).values():
            assert text and text[-1] in "。."
        for fmt in FORMATS:
            render_table(rubric, fmt, tmp_path / f"{lang}.{fmt}", lang=lang)  # type: ignore[arg-type]
            assert (tmp_path / f"{lang}.{fmt}").stat().st_size > 0


def test_band_ranges_read_back_as_the_same_bands() -> None:
    """A range is written the way the language itself reads tables (`80%（含）-90%`), so each
    one, put back into a `bands` block, parses to the very band it came from."""
    from pingfen import ast
    from pingfen.report.criteria import Words
    from pingfen.syntax.parser import parse

    seen = 0
    for path in [*FORMS, RULESET]:
        module = _load(path).module
        words = Words(module, "zh")
        for node, _ in ast.walk_nodes(module.top):
            for rule in node.rules if isinstance(node, ast.Indicator) else ():
                if not isinstance(rule, ast.Bands):
                    continue
                for band in rule.bands:
                    if band.op is not None or band.is_else:
                        continue
                    text = f'rubric "x" {{ total 9 }}\ninput v: percent\nindicator i 9 {{ bands v {{ {words.band(band)} -> {band.points.text} }} }}'
                    parsed, problems = parse(text)
                    assert parsed is not None and problems == [], words.band(band)
                    (top,) = parsed.top
                    assert isinstance(top, ast.Indicator) and isinstance(top.rules[0], ast.Bands)
                    again = top.rules[0]
                    read = again.bands[0]
                    assert (read.low, read.high, read.low_closed, read.high_closed) == (
                        band.low, band.high, band.low_closed, band.high_closed), words.band(band)  # fmt: skip
                    seen += 1
    assert seen >= 10


def test_grades_not_in_descending_order_are_said_as_first_match() -> None:
    rubric = pingfen.loads(  # 优 can never be given (a warning, PF412): the table still says what is scored
        'rubric "x" {\n total 10\n grade 良 >= 6\n grade 优 > 9\n grade 差 otherwise\n}\n'
        "input a: score\nindicator i 10 { judgment a }\n"
    )
    assert build_table(rubric, "zh").grades == (
        "等次按以下顺序取首个符合的：总分≥6为良；总分>9为优；其他为差。总分四舍五入保留2位小数后评定等次。"
    )


# ---------------------------------------------------------------- the files


def test_docx_is_a_real_word_table(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "评分表.docx"
    render_table(RUBRIC, "docx", path)
    document = docx.Document(str(path))
    table, items = document.tables  # the rubric, then its 指标数据说明
    assert [c.text for c in items.rows[0].cells] == ["数据项", "类型", "取值或计算公式", "说明"]
    assert len(table.rows) == 1 + 25 + 1
    assert [c.text for c in table.rows[0].cells] == ["一级指标", "二级指标", "三级指标", "分值", "指标解释", "评分标准"]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[1][:4] == ["投入（15分）", "预算配置（15分）", "财政供养人员控制率", "5"]
    assert rows[3][:3] == ["投入（15分）", "预算配置（15分）", "重点支出安排率"]  # merged: the cell above
    assert rows[1][5] == EXPECTED_2021["财政供养人员控制率"]
    assert rows[-1][0] == "总分" and rows[-1][3] == "100"
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert xml.count('w:vMerge w:val="restart"') == 4 + 6  # 4 top groups and 6 second-level groups
    assert "<w:tblHeader" in xml  # the header row repeats on every page
    assert 'w:eastAsia="宋体"' in xml
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="仿宋"' in styles
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    assert "90分（含）以上为优秀" in document.paragraphs[-2].text
    assert document.paragraphs[-1].text == "指标数据说明"


def test_xlsx_merges_groups_wraps_and_holds_no_formulas(tmp_path: Path) -> None:
    rubric = pingfen.loads(
        'rubric "x" { total 3 }\ninput 合规: bool "=HYPERLINK(\\"http://example.invalid\\")"\n'
        "group 甲 3 { indicator 乙 3 { award 3 if 合规 } }"
    )
    path = tmp_path / "x.xlsx"
    render_table(rubric, "xlsx", path)
    sheet = openpyxl.load_workbook(path).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.cell(3, 5).value == '=HYPERLINK("http://example.invalid")，3分。'
    assert sheet.cell(3, 5).quotePrefix
    path = tmp_path / "2021.xlsx"
    render_table(RUBRIC, "xlsx", path)
    sheet = openpyxl.load_workbook(path).active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A3:A5", "B3:B5", "A6:A17", "B6:B9"} <= merged
    assert sheet.cell(3, 6).value == EXPECTED_2021["财政供养人员控制率"]
    assert sheet.cell(3, 6).alignment.wrap_text
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.column_dimensions["F"].width == 60


def test_html_and_markdown_escape_what_the_file_says(tmp_path: Path) -> None:
    rubric = pingfen.loads(
        'rubric "<b>x</b>" { total 3 }\ninput 合规: bool "<script>alert(1)</script> [a](javascript:x) |"\n'
        "group 甲 3 { indicator 乙 3 { award 3 if 合规 } }"
    )
    page = render_html(build_table(rubric))
    assert "<script>" not in page and "<b>" not in page and "&lt;script&gt;" in page
    text = render_markdown(build_table(rubric))
    assert "<script>" not in text and r"\[a\](javascript:x) \|" in text


def test_items_named_with_a_circled_number_are_not_numbered_twice(tmp_path: Path) -> None:
    """A checklist of inputs named ①制度健全, ②执行有效 was written ①①制度健全，5分；②②执行有效，5分 in every
    format: render put its own ① ② before names that number themselves. Names that start with ① ②
    … in order are the numbering; where some start with a circled number and not in order, the
    marks are (1) (2) …; and the table still reads back as the rules (`pingfen import`)."""
    from pingfen.importer import import_table

    rubric = pingfen.loads(
        'rubric "制度" { total 10 }\ninput ①制度健全: bool\ninput ②执行有效: bool\n'
        "input ②违规: bool\ninput 超支: bool\n"
        "indicator 制度建设 6 { award 3 if ①制度健全\n award 3 if ②执行有效 }\n"
        "indicator 资金管理 4 { deduct 2 if ②违规\n deduct 2 if 超支 }\n"
    )
    said = "①制度健全，3分；②执行有效，3分。"
    assert criteria(rubric)["制度建设"] == said
    assert criteria(rubric, "en")["制度建设"] == "①制度健全: 3 points; ②执行有效: 3 points."
    assert criteria(rubric)["资金管理"] == "(1)②违规的，扣2分；(2)超支的，扣2分，扣完为止。"
    assert said in render_markdown(build_table(rubric)) and said in render_html(build_table(rubric))
    for fmt in ("xlsx", "docx"):
        path = tmp_path / f"表.{fmt}"
        render_table(rubric, fmt, path)
        if fmt == "xlsx":
            cells = [str(c.value) for row in openpyxl.load_workbook(path).active.iter_rows() for c in row]
            assert said in cells
        else:
            assert said in zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
        imported = import_table(path)
        assert all(r.recognised for r in imported.rows), imported.text
        assert "award 3 if ①制度健全\n  award 3 if ②执行有效" in imported.text
        assert "deduct 2 if ②违规\n  deduct 2 if 超支" in imported.text


def test_a_circled_number_is_read_back_as_render_meant_it(tmp_path: Path) -> None:
    """With inputs ①制度健全 and 制度健全 both declared, render wrote `award 3 if ①制度健全` as
    ①制度健全，3分 (its own number, no mark) and `award 3 if 制度健全` the same way (render's mark ①),
    and import read both as 制度健全: the rule changed silently. Import now takes the whole text
    when it names something; render marks items (1) (2) … where something declared starts with a
    circled number, so its ① is never taken for the start of a name. A lone item too."""
    from pingfen.importer import import_table

    rubric = pingfen.loads(
        'rubric "制度" { total 20 }\ninput ①制度健全: bool\ninput ②执行有效: bool\n'
        "input 制度健全: bool\ninput 执行有效: bool\ninput 超支: bool\n"
        "indicator 制度建设 6 { award 3 if ①制度健全\n award 3 if ②执行有效 }\n"
        "indicator 制度执行 6 { award 3 if 制度健全\n award 3 if 执行有效 }\n"
        "indicator 单项 4 { award 4 if ①制度健全 }\n"
        "indicator 资金管理 4 { deduct 2 if 制度健全\n deduct 2 if 超支 }\n"
    )
    said = criteria(rubric)
    assert said["制度建设"] == "①制度健全，3分；②执行有效，3分。"
    assert said["制度执行"] == "(1)制度健全，3分；(2)执行有效，3分。"
    assert said["资金管理"] == "(1)制度健全的，扣2分；(2)超支的，扣2分，扣完为止。"
    for fmt in ("xlsx", "docx"):
        path = tmp_path / f"表.{fmt}"
        render_table(rubric, fmt, path)
        imported = import_table(path)
        assert all(r.recognised for r in imported.rows), imported.text
        assert "award 3 if ①制度健全\n  award 3 if ②执行有效" in imported.text
        assert "award 3 if 制度健全\n  award 3 if 执行有效" in imported.text
        assert "award 4 if ①制度健全" in imported.text
        assert "deduct 2 if 制度健全\n  deduct 2 if 超支" in imported.text


# ---------------------------------------------------------------- the command


def test_cli_writes_each_format_and_markdown_to_standard_output(tmp_path: Path) -> None:
    code, out, err = run("render", str(RULESET))
    assert (code, err) == (0, "") and out.startswith("# 部门整体支出绩效评价评分表（2021年度）")
    for fmt in FORMATS:
        target = tmp_path / f"评分表.{fmt}"
        assert run("render", str(RULESET), "-o", str(target))[0] == 0
        assert target.stat().st_size > 0
    code, out, _ = run("render", "--lang", "en", "--format", "html", str(RULESET))
    assert code == 0 and "scoring criterion" in out


def test_cli_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    code, _, err = run("render", str(RULESET), "--format", "docx")
    assert code == 2 and "docx 格式须写入文件" in err
    copy = tmp_path / "r.rule"
    copy.write_bytes(RULESET.read_bytes())
    code, _, err = run("render", str(copy), "-o", str(copy), "--format", "md")
    assert code == 2 and "PF701" in err and copy.read_bytes() == RULESET.read_bytes()
    bad = tmp_path / "bad.rule"
    bad.write_text('rubric "x" { total 5 }\nindicator i 5 { judgment 未声明 }\n', encoding="utf-8")
    target = tmp_path / "out.docx"
    code, _, err = run("render", str(bad), "-o", str(target))
    assert code == 2 and re.search(r"PF\d{3}", err) and not target.exists()


# ---------------------------------------------------------------- in a real browser, with CJK fonts

from test_report import CHROMIUM, console_messages, needs_chromium  # noqa: E402
from test_report import render as screenshot  # noqa: E402


@needs_chromium
def test_html_table_renders_chinese_glyphs_in_chromium(tmp_path: Path) -> None:
    """The table page draws, and its Chinese is drawn in real glyphs, not tofu: with the
    table's own fonts, distinct characters give distinct pictures, while characters no font
    has (private use) all draw the same missing-glyph box, as the control shows."""
    from pingfen.report.rubric_table import CSS

    assert CHROMIUM is not None
    page = tmp_path / "table.html"
    render_table(RUBRIC, "html", page)
    shot = tmp_path / "table.png"
    log = screenshot(page, shot, tmp_path / "profile")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", log[-2000:]
    assert console_messages(log) == []
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    screenshot(blank, tmp_path / "blank.png", tmp_path / "profile-blank")
    assert shot.stat().st_size > 4 * (tmp_path / "blank.png").stat().st_size

    def glyph(text: str, name: str) -> bytes:
        one = tmp_path / f"{name}.html"
        one.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{CSS} td {{ font-size: 120px; }}"
                       f"</style></head><body><table><tr><td>{text}</td></tr></table></body></html>", encoding="utf-8")  # fmt: skip
        picture = tmp_path / f"{name}.png"
        screenshot(one, picture, tmp_path / f"profile-{name}")
        return picture.read_bytes()

    real = [glyph(ch, f"cjk{i}") for i, ch in enumerate("评分标准")]
    assert len(set(real)) == 4  # four characters, four pictures
    tofu = [glyph(ch, f"pua{i}") for i, ch in enumerate("\U000f0001\U000f0002")]
    assert tofu[0] == tofu[1]  # the control: missing glyphs are indistinguishable

"""What `pingfen audit` said too little of, or did not read, in a filled self-evaluation:
an input written 5分 (PF502 with no help); a workbook whose declared scores and inputs are
both formulas never calculated (PF536, then PF534 only on a second run); PF534 naming no
file; inputs laid out down the data sheet (name, value) read as none, in silence; and the
text report counting the indicators not recomputed without naming the inputs they lack."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from pingfen.cli import main
from pingfen.errors import Problem
from pingfen.values import coerce

RULE = """rubric "t" { total 10 }
input 评价分: score <= 5
input 人数: number
input 满意度: percent
indicator 甲 5 {
  when 评价分 >= 4 and 人数 > 0 -> 5
  else -> 0
}
indicator 乙 5 { bands 满意度 { >= 90% -> 5  else -> 0 } }
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def rule(tmp_path: Path) -> Path:
    path = tmp_path / "t.rule"
    path.write_text(RULE, encoding="utf-8")
    return path


@pytest.mark.parametrize(("kind", "raw", "number"), [("score", "5分", "5"), ("number", "88.5 分", "88.5"),
                                                     ("count", "3 分", "3")])  # fmt: skip
def test_a_number_input_written_with_fen_says_to_write_the_number_alone(kind: str, raw: str, number: str) -> None:
    refused = coerce("评价分", kind, raw)
    assert isinstance(refused, Problem) and (refused.code, refused.hint) == ("PF502", "number_alone")
    assert refused.help("zh") == f"请只写数值，不带“分”字：{number}"
    assert refused.help("en") == f"write the number alone, without 分: {number}"


def test_eval_of_a_score_written_5_fen_says_so_in_both_languages(tmp_path: Path, rule: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text("评价分: 5分\n人数: 3\n满意度: 95%\n", encoding="utf-8")
    code, _, err = run("eval", str(rule), str(data))
    assert code == 2 and "PF502" in err and "请只写数值，不带“分”字：5" in err, err
    code, _, err = run("--lang", "en", "eval", str(rule), str(data))
    assert code == 2 and "write the number alone, without 分: 5" in err, err
    batch = tmp_path / "d.csv"  # a batch's error column shows one line: the help goes with it
    batch.write_text("id,评价分,人数,满意度\na,4.5 分,3,95%\n", encoding="utf-8")
    code, out, err = run("eval", str(rule), str(batch))
    assert code == 1 and "PF502" in out and "请只写数值，不带“分”字：4.5" in out, out + err


def test_the_text_names_the_inputs_missing_few_of_them_whole(tmp_path: Path, rule: Path) -> None:
    """Two indicators not recomputed: their three inputs named, with no count of more."""
    filled = tmp_path / "f.yaml"
    filled.write_text("declared:\n  甲: 5\n  乙: 5\n  total: 10\n", encoding="utf-8")
    code, out, _ = run("audit", str(rule), str(filled))
    assert code == 0 and out.rstrip().endswith("2 项缺少输入未复核（缺少输入项 评价分、人数、满意度）"), out
    code, out, _ = run("--lang", "en", "audit", str(rule), str(filled))
    assert out.rstrip().endswith("2 not recomputed (inputs missing: 评价分, 人数, 满意度)"), out


def _workbook(path: Path, scores: list[tuple[str, object]], inputs: list[tuple[str, object]], *, down: bool = False) -> Path:
    """A filled self-evaluation: a 自评 sheet of declared scores, and a 数据 sheet of inputs,
    across (a header row, then the department's row) or `down` (name, then value, on each row)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "自评"
    sheet.append(["指标", "自评得分"])
    for row in scores:
        sheet.append(list(row))
    data = book.create_sheet("数据")
    if down:
        for row in inputs:
            data.append(list(row))
    else:
        data.append([name for name, _ in inputs])
        data.append([value for _, value in inputs])
    book.save(path)  # openpyxl saves a formula with no result: as a script writes it
    return path


def test_declared_and_input_formulas_never_calculated_are_refused_together(tmp_path: Path, rule: Path) -> None:
    """The total's formula (PF536) was refused first, the input's (PF534) only once it was
    fixed: one open-and-save in Excel calculates both, so both are said at once."""
    path = _workbook(tmp_path / "自评.xlsx", [("甲", 5), ("乙", 5), ("总分", "=SUM(B2:B3)")],
                     [("评价分", "=2+2"), ("人数", 3), ("满意度", 0.95)])  # fmt: skip
    code, out, err = run("audit", str(rule), str(path))
    assert (code, out) == (2, "")
    assert f"错误[PF536]: `{path}` 工作表 `自评` 第 4 行（单元格 B4）：`总分` 的自评得分是从未计算过的公式" in err, err
    assert f"错误[PF534]: `{path}` 工作表 `数据` 单元格 A2：输入项 `评价分` 是从未计算过的公式" in err, err
    code, _, err = run("--lang", "en", "audit", str(rule), str(path))
    assert code == 2 and "error[PF536]" in err, err
    assert f"error[PF534]: `{path}`, sheet `数据`, cell A2: input `评价分` holds a formula that was never calculated" in err, err


def test_empty_rows_of_borders_past_the_self_evaluation_are_passed_over(tmp_path: Path, rule: Path) -> None:
    """A self-evaluation with borders drawn down to row 12,000 was refused, 自评表的工作表超过
    10,000 行, though it holds a few rows; rows of values past 10,000 still are."""
    from openpyxl.styles import Border, Side

    path = _workbook(tmp_path / "自评.xlsx", [("甲", 5), ("乙", 5), ("总分", 10)], [("评价分", 5), ("人数", 3), ("满意度", 0.95)])
    book = openpyxl.load_workbook(path)
    thin = Side(style="thin")
    for r in range(5, 12001):
        book["自评"].cell(row=r, column=1).border = Border(left=thin, right=thin, top=thin, bottom=thin)
    book.save(path)
    code, out, err = run("audit", str(rule), str(path))
    assert code == 0 and "10,000" not in err, (out, err)
    book["自评"].cell(row=11000, column=1, value="附注")
    book.save(path)
    code, out, err = run("audit", str(rule), str(path))
    assert code == 2 and "自评表的工作表超过 10,000 行" in err, err


def test_inputs_laid_out_down_the_data_sheet_are_read(tmp_path: Path, rule: Path) -> None:
    """Name in column A, value in B: no data sheet was found, and every indicator was 'not
    recomputed' with no word why. A title and a header row above are passed over; a percent
    cell reads as a batch's does."""
    path = _workbook(tmp_path / "自评.xlsx", [("甲", 5), ("乙", 0), ("总分", 5)],
                     [("填报数据",), ("输入项", "填报值"), ("评价分", 4.5), ("人数", 3), ("满意度", 0.95), ("编号", "区厂协")],
                     down=True)  # fmt: skip
    book = openpyxl.load_workbook(path)
    book["数据"]["B5"].number_format = "0%"
    book.save(path)
    code, out, err = run("audit", str(rule), str(path))
    assert code == 1, out + err
    assert out.splitlines()[0] == "t：自评复核（区厂协）", out
    assert "不一致 `乙`：自评 0 分，按评分规则应得 5 分（满意度 95%）" in out, out
    assert "按规则复核 2 项指标（1 项一致），0 项缺少输入未复核" in out, out


def test_an_input_down_the_sheet_that_is_a_formula_never_calculated_is_pf534(tmp_path: Path, rule: Path) -> None:
    path = _workbook(tmp_path / "自评.xlsx", [("甲", 5), ("乙", 5), ("总分", 10)],
                     [("评价分", "=2+3"), ("人数", 3), ("满意度", 0.95)], down=True)  # fmt: skip
    code, _, err = run("audit", str(rule), str(path))
    assert code == 2 and f"`{path}` 工作表 `数据` 单元格 B1：输入项 `评价分` 是从未计算过的公式" in err, err


def test_an_input_down_the_sheet_twice_or_misnamed_is_refused(tmp_path: Path, rule: Path) -> None:
    twice = _workbook(tmp_path / "twice.xlsx", [("甲", 5)], [("评价分", 5), ("人数", 3), ("评价分", 4)], down=True)
    code, _, err = run("audit", str(rule), str(twice))
    assert code == 2 and "PF508" in err and "输入项 `评价分` 出现在多行（第 1, 3 行）" in err, err
    spaced = _workbook(tmp_path / "spaced.xlsx", [("甲", 5)], [("评价 分", 5), ("人数", 3)], down=True)
    code, _, err = run("audit", str(rule), str(spaced))
    assert code == 2 and "PF517" in err and "评价分" in err, err


def test_a_sheet_across_is_read_as_before(tmp_path: Path, rule: Path) -> None:
    """Its header names the inputs: read across, as the template's 数据 sheet is, never down."""
    path = _workbook(tmp_path / "自评.xlsx", [("甲", 5), ("乙", 5), ("总分", 10)],
                     [("评价分", 4.5), ("人数", 3), ("满意度", "95%")])  # fmt: skip
    code, out, err = run("audit", str(rule), str(path))
    assert code == 0 and "按规则复核 2 项指标（2 项一致）" in out, out + err


def test_a_sheet_of_notes_down_the_page_before_the_data_across_is_not_read(tmp_path: Path, rule: Path) -> None:
    """A 说明 sheet naming each input with its meaning, before the template's data sheet: the data
    sheet across is read, as it was before sheets down the page were."""
    path = _workbook(tmp_path / "自评.xlsx", [("甲", 5), ("乙", 5), ("总分", 10)],
                     [("评价分", 4.5), ("人数", 3), ("满意度", "95%")])  # fmt: skip
    book = openpyxl.load_workbook(path)
    notes = book.create_sheet("说明", 1)
    for row in (("评价分", "工作实绩评价得分"), ("人数", "编制人数"), ("满意度", "问卷满意度")):
        notes.append(row)
    book.save(path)
    code, out, err = run("audit", str(rule), str(path))
    assert code == 0 and "按规则复核 2 项指标（2 项一致）" in out, out + err


RULE_SAME_NAMES = """rubric "s" { total 10 }
input 人数: count >= 0
input 次数: count >= 0
indicator 人数 6 { bands 人数 { >= 10 -> 6  else -> 0 } }
indicator 次数 4 { bands 次数 { >= 2 -> 4  else -> 0 } }
"""


@pytest.mark.parametrize("hidden", [False, True])
def test_a_rubric_sheet_whose_indicators_are_named_as_inputs_is_no_data_down_the_page(tmp_path: Path, hidden: bool) -> None:
    """A first sheet 评分标准 (指标 | 分值 | 评分标准, rows 人数 | 6 | …) was read as the inputs laid
    down the page: 人数 = 6, its points, and a disagreement reported, exit 1; so was a hidden
    sheet of last year's (its heading cleared here, so only its being hidden keeps it out)."""
    rule = tmp_path / "s.rule"
    rule.write_text(RULE_SAME_NAMES, encoding="utf-8")
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "评分标准"
    for row in ([None if hidden else "指标", None if hidden else "分值", "说明"], ["人数", 6, "≥10人"], ["次数", 4, "≥2次"]):
        first.append(row)
    if hidden:
        first.sheet_state = "hidden"
    declared = book.create_sheet("自评")
    for row in (["指标", "自评得分"], ["人数", 6], ["次数", 4], ["总分", 10]):
        declared.append(row)
    path = tmp_path / "自评.xlsx"
    book.save(path)
    code, out, err = run("audit", str(rule), str(path))
    assert code == 0 and "不一致" not in out and "2 项缺少输入未复核" in out, out + err


def test_an_xlsm_self_evaluation_with_a_data_sheet_is_read(tmp_path: Path, rule: Path) -> None:
    """An .xlsm is a workbook as an .xlsx is: its data sheet was refused as `sheet=` given for no
    workbook, an internal error."""
    path = _workbook(tmp_path / "自评.xlsm", [("甲", 5), ("乙", 5), ("总分", 10)],
                     [("评价分", 4.5), ("人数", 3), ("满意度", "95%")])  # fmt: skip
    code, out, err = run("audit", str(rule), str(path))
    assert code == 0 and "按规则复核 2 项指标（2 项一致）" in out, out + err


def test_a_true_id_down_the_sheet_is_true_as_a_batchs(tmp_path: Path, rule: Path) -> None:
    path = _workbook(tmp_path / "自评.xlsx", [("甲", 5), ("乙", 5), ("总分", 10)],
                     [("评价分", 4.5), ("人数", 3), ("满意度", 0.95), ("编号", True)], down=True)  # fmt: skip
    code, out, err = run("audit", str(rule), str(path), "--id", "true")
    assert code == 0 and "（true）" in out.splitlines()[0], out + err

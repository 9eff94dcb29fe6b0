"""Words in one language only: in 中文 mode `eval -o x.xlsx` named its sheet `results`; the
English template's rubric sheet joined the inputs an indicator reads with `、`; `str()` of a
RubricError, a FormatError or an OutputError was English whatever the language, while a
DataError's followed it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
from pingfen.errors import OutputError
from pingfen.syntax.formatter import FormatError, format_text

ROOT = Path(__file__).resolve().parent.parent
RULESET = str(ROOT / "rulesets" / "dept-overall-2021.rule")
DEPARTMENTS = str(ROOT / "examples" / "dept-overall-2021" / "departments.csv")
LOCALE = ("PINGFEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for var in LOCALE:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


@pytest.mark.parametrize(("lang", "sheet"), [("zh", "评分结果"), ("en", "results")])
def test_the_results_sheet_is_named_in_the_language(tmp_path: Path, lang: str, sheet: str) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "结果.xlsx"
    assert main(["--lang", lang, "eval", RULESET, DEPARTMENTS, "-o", str(target)], io.StringIO(), io.StringIO()) in (0, 1)
    book = load_workbook(target, read_only=True)
    assert book.sheetnames == [sheet]
    assert pingfen.read_records(target) is not None and len(list(pingfen.read_records(target))) > 0  # read back


def test_the_english_template_lists_inputs_with_commas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    for lang, joined in (("en", "在职人数, 编制人数"), ("zh", "在职人数、编制人数")):
        target = tmp_path / f"{lang}.xlsx"
        assert main(["--lang", lang, "template", RULESET, "-o", str(target)], io.StringIO(), io.StringIO()) == 0
        cells = [str(c) for row in load_workbook(target).worksheets[1].iter_rows(values_only=True) for c in row if c]
        assert joined in cells
        assert not any("、" in c for c in cells) if lang == "en" else True


def test_str_of_errors_follows_the_language(zh: pytest.MonkeyPatch) -> None:
    with pytest.raises(pingfen.RubricError) as rubric:
        pingfen.loads('rubric "x" { total 9 }\ngroup 甲 5 { indicator 乙 6 { judgment 丙 } }', "t.rule")
    with pytest.raises(FormatError) as formatted:
        format_text('rubric "x" { total 9 ')
    output = OutputError("PF702", "某目录")
    assert str(rubric.value).startswith("t.rule:1:20: PF303") and str(rubric.value).endswith("（另有 2 个错误）")
    assert str(rubric.value) == rubric.value.describe("zh") != rubric.value.describe("en")
    assert str(formatted.value) == formatted.value.diagnostics[0].message("zh") == "文件意外结束"
    assert str(output) == "PF702: 无法写入 `某目录`：它是一个目录"
    zh.setenv("PINGFEN_LANG", "en")
    assert str(rubric.value).startswith("t.rule:1:20: PF303") and "and 2 more" in str(rubric.value)
    assert str(formatted.value) == "unexpected end of file"
    assert str(output) == "PF702: cannot write `某目录`: it is a directory"

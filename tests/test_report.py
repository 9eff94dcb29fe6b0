"""One department's report as Markdown, HTML (rendered in headless Chromium) and XLSX."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from data_helpers import ROOT, RUBRIC
from pingfen.batch import report_file
from pingfen.io import read_record
from pingfen.report import write_report
from pingfen.report.html import render_html
from pingfen.report.layout import BLANK, COVERED, GroupCell, grid
from pingfen.report.markdown import render_markdown
from real_parts import real_part

SEED = ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml"
RESULT = RUBRIC.evaluate(read_record(SEED), lang="zh")


def test_grid_merges_groups_over_their_indicators() -> None:
    rows = grid(RESULT.children)
    assert len(rows) == 25
    first = rows[0].levels
    assert isinstance(first[0], GroupCell) and (first[0].node.name, first[0].rows) == ("投入", 3)
    assert isinstance(first[1], GroupCell) and (first[1].node.name, first[1].rows) == ("预算配置", 3)
    assert rows[1].levels == (COVERED, COVERED)
    assert isinstance(rows[7].levels[1], GroupCell) and rows[7].levels[0] == COVERED  # 预算管理 under 过程


def test_grid_with_an_indicator_directly_under_a_top_group() -> None:
    import pingfen

    rubric = pingfen.loads(
        'rubric "x" { total 10 }\ninput a: score\ninput b: score\n'
        "group 甲 5 { indicator 子 5 { judgment a } }\ngroup 乙 5 { group 丙 5 { indicator 丁 5 { judgment b } } }"
    )
    rows = grid(rubric.evaluate({"a": 5, "b": 4}).children)
    assert [r.node.name for r in rows] == ["子", "丁"]
    assert isinstance(rows[0].levels[0], GroupCell) and rows[0].levels[1] == BLANK
    assert all(isinstance(c, GroupCell) for c in rows[1].levels)


def test_markdown() -> None:
    text = render_markdown(RESULT, "zh", department="区厂协")
    assert text.startswith("# 部门整体支出绩效评价评分表\n\n单位：区厂协\n")
    assert "| 一级指标 | 二级指标 | 三级指标 | 分值 | 得分 | 扣分原因 |" in text
    assert ("| 投入（分值 15，得分 10） | 预算配置（分值 15，得分 10） | 财政供养人员控制率 | 5 | 0 | 在职人员控制率 116.67% "
            "超过 100% 16.67 个百分点，每个百分点扣 0.5 分，扣 8.33 分<br>合计应扣 8.33 分") in text  # fmt: skip
    assert "|  |  | “三公经费”变动率 | 5 | 5 |  |" in text
    assert "| **总分** |  |  | **100** | **87.00** |  |" in text
    assert "**评价等次**：良好" in text
    english = render_markdown(RESULT, "en")
    assert "| level 1 | level 2 | level 3 | max | score | reasons |" in english and "**grade**: 良好" in english


def test_markdown_escapes_pipes() -> None:
    import pingfen

    rubric = pingfen.loads('rubric "a|b" { total 5 }\ninput x: score\ngroup 甲 5 { indicator 乙 5 { judgment x } }')
    assert "# a\\|b" in render_markdown(rubric.evaluate({"x": 5}))


def test_html_is_self_contained() -> None:
    html = render_html(RESULT, "zh", department="区厂协")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html
    assert "<script" not in html and "@import" not in html and "url(" not in html
    assert not re.search(r"\b(src|href)\s*=", html)
    assert re.findall(r"https?://[^\s\"']+", html) == ["http://www.w3.org/2000/svg"]  # the SVG namespace only
    assert "@media print" in html and "<svg" in html
    assert '<td class="group" rowspan="12">过程（分值 40，得分 36）</td>' in html
    assert html.count("<rect") == 8  # max and score, for each of the four top groups
    assert "<strong>87.00</strong>" in html and "<strong>良好</strong>" in html


def test_html_escapes_names() -> None:
    import pingfen

    rubric = pingfen.loads(
        'rubric "<b>x</b>" { total 5 }\ninput x: score\ngroup 甲 5 { indicator 乙 5 { judgment x } }'
    )
    html = render_html(rubric.evaluate({"x": 5}))
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_xlsx_keeps_the_merged_layout(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    write_report(RESULT, "xlsx", path, lang="zh", department="区厂协")
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "部门整体支出绩效评价评分表" and rows[1][0] == "单位：区厂协"
    assert rows[2] == ("一级指标", "二级指标", "三级指标", "分值", "得分", "扣分原因")
    assert rows[3][:5] == ("投入（分值 15，得分 10）", "预算配置（分值 15，得分 10）", "财政供养人员控制率", 5, 0)
    assert rows[3][5].startswith("在职人员控制率 116.67%") and "\n合计应扣 8.33 分" in rows[3][5]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A4:A6", "B4:B6", "A7:A18", "B7:B10", "B11:B15", "B16:B18", "A19:A24", "A25:A28"} <= merged
    assert rows[-2][:5] == ("总分", None, None, 100, 87) and rows[-1][:4] == ("评价等次", None, None, "良好")
    assert len(rows) == 3 + 25 + 2


def test_report_file_picks_a_row(tmp_path: Path) -> None:
    data = tmp_path / "two.csv"
    names = [s.name for s in RUBRIC.inputs]
    record = read_record(SEED)
    line = ",".join(str(record[n]) for n in names)
    data.write_text("id," + ",".join(names) + f"\nA,{line}\nB,{line}\n", encoding="utf-8")
    out = tmp_path / "B.md"
    result = report_file(RUBRIC, data, "md", out, lang="en", id="B")
    assert result.total == RESULT.total and "department: B" in out.read_text(encoding="utf-8")
    from pingfen.errors import DataError

    with pytest.raises(DataError) as info:
        report_file(RUBRIC, data, "md", out, lang="en")
    assert info.value.code == "PF515"
    assert info.value.describe("en") == f"PF515: `{data}` holds 2 records; name one with `--id`"
    with pytest.raises(DataError) as info:
        report_file(RUBRIC, data, "md", out, lang="en", id="C")
    assert info.value.code == "PF516"


# ---------------------------------------------------------------- headless Chromium

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
needs_chromium = real_part("Chromium", CHROMIUM is not None, "apt-get install -y chromium")


def render(page: Path, shot: Path, profile: Path) -> str:
    """Screenshot a local page with no network; return Chromium's log (console messages included)."""
    assert CHROMIUM is not None
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
         "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return run.stderr


def console_messages(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line]


@needs_chromium
def test_html_report_renders_in_chromium(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    write_report(RESULT, "html", page, lang="zh", department="区厂协")
    shot = tmp_path / "report.png"
    log = render(page, shot, tmp_path / "profile")
    assert shot.exists(), log[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert console_messages(log) == []
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    render(blank, tmp_path / "blank.png", tmp_path / "profile-blank")
    # an empty page of the same size compresses to a few KB; the table, chart and text do not
    assert shot.stat().st_size > 4 * (tmp_path / "blank.png").stat().st_size


@needs_chromium
def test_console_errors_would_be_caught(tmp_path: Path) -> None:
    """The check above can fail: a page with a console error is seen as such."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom')</script>", encoding="utf-8")
    log = render(page, tmp_path / "bad.png", tmp_path / "profile")
    assert any("boom" in line for line in console_messages(log))


def test_report_and_template_workbooks_hold_no_formulas(tmp_path: Path) -> None:
    """Text from a rule file (a reason template, a description) stays text in a workbook."""
    import openpyxl

    import pingfen
    from pingfen.report.xlsx import write_xlsx
    from pingfen.template import write_template

    rubric = pingfen.loads(
        'rubric "x" { total 3 }\ninput 例数: count "=1+1"\n'
        'group 甲 3 { indicator 乙 3 { deduct 1 per 例数 reason "=HYPERLINK(\\"http://example.invalid\\")" } }'
    )
    report = tmp_path / "report.xlsx"
    write_xlsx(rubric.evaluate({"例数": 1}), report, "zh")
    template = tmp_path / "template.xlsx"
    write_template(rubric, "xlsx", template, lang="zh")
    for path in (report, template):
        for sheet in openpyxl.load_workbook(path).worksheets:
            assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), path

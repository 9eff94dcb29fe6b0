"""A 一级指标 that does not apply says 不适用 (N/A) wherever a report shows top groups: the
HTML report's chart and the summary workbook of a folder of reports, as the table does
(reviewer's defect: the chart said 乙 0 / 40 and 汇总.xlsx wrote 0 beside a table of 不适用)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

import pingfen
from pingfen.batchreport import report_folder
from pingfen.report.html import chart, render_html

RUBRIC = """rubric "加分与扣分" {
  total 100
  round total 2 half_up
}
input 完成率: percent >= 0 and <= 100%
input 有项目: bool
input 项目完成率: percent >= 0
group 甲 60 {
  indicator 完成率 60 {
    score = 完成率 * 60
  }
}
group 乙 40 {
  applies if 有项目 else rescale
  indicator 项目完成率 40 {
    deduct 1 per 10pp of 项目完成率 below 100% counting proportional
  }
}
"""


@pytest.fixture(scope="module")
def rubric() -> pingfen.Rubric:
    return pingfen.loads(RUBRIC)


def _labels(svg: str) -> list[str]:
    return re.findall(r"<text [^>]*>([^<]*)</text>", svg)


def test_the_chart_says_not_applicable(rubric: pingfen.Rubric) -> None:
    result = rubric.evaluate({"完成率": "95%", "有项目": False})
    assert not result["乙"].applies and result["乙"].score == 0
    svg = chart(result, "zh")
    assert _labels(svg) == ["甲", "57 / 60", "乙", "不适用 / 40"]
    assert svg.count('class="bar-score"') == 1  # 甲's alone: 乙 has no score to draw
    assert _labels(chart(result, "en"))[-1] == "N/A / 40"
    assert "不适用 / 40" in render_html(result, "zh")


def test_the_chart_of_groups_that_apply_is_as_it_was(rubric: pingfen.Rubric) -> None:
    result = rubric.evaluate({"完成率": "95%", "有项目": True, "项目完成率": "85%"})
    svg = chart(result, "zh")
    assert _labels(svg) == ["甲", "57 / 60", "乙", "38.5 / 40"]
    assert svg.count('class="bar-score"') == 2


def test_the_summary_says_not_applicable(rubric: pingfen.Rubric, tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    data.write_text("id,完成率,有项目,项目完成率\nA,95%,否,不适用\nB,90%,是,85%\n", encoding="utf-8")
    folder = tmp_path / "reports"
    report_folder(rubric, data, folder, "md", lang="zh")
    rows = {r[1]: r for r in openpyxl.load_workbook(folder / "汇总.xlsx")["汇总"].iter_rows(min_row=3, values_only=True)}
    assert rows["A"][4:6] == (57, "不适用") and rows["B"][4:6] == (54, 38.5)
    report_folder(rubric, data, tmp_path / "en", "md", lang="en")
    sheet = openpyxl.load_workbook(tmp_path / "en" / "summary.xlsx")["summary"]
    assert [r[5] for r in sheet.iter_rows(min_row=3, values_only=True)] == ["N/A", 38.5]

"""Dates and durations (issue 10, item 6): `date` inputs read from every way a date is
written, `days(a, b)` and `months(a, b)`, steps per month and half-month."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pingfen
from oracle_check import both
from pingfen import ast
from pingfen.cli import main
from pingfen.report.rubric_table import build_table
from pingfen.syntax.formatter import format_text
from pingfen.template import render_template
from pingfen.values import CONTEXT, day_number, to_date

DATES = """\
rubric "时效" {
  total 30
}

input 计划完成日期: date
input 实际完成日期: date
input 资金到账日期: date
input 资金拨付日期: date

indicator 完成及时性 10 {
  deduct 1 per 1 of months(计划完成日期, 实际完成日期) above 0 counting started
}

indicator 资金拨付 10 {
  deduct 0.5 per 0.5 of days(资金到账日期, 资金拨付日期) / 30 above 1 counting started
}

indicator 按期完成 10 {
  when 实际完成日期 <= 计划完成日期 -> 10
  else                              -> 0
}
"""


@pytest.fixture(scope="module")
def rubric() -> pingfen.Rubric:
    return pingfen.loads(DATES, "dates.rule")


@pytest.mark.parametrize(
    "written",
    ["2024-03-31", "2024/3/31", "2024.3.31", "2024年3月31日", " 2024 年 3 月 31 日 ", "2024-03-31T00:00:00",
     "2024-03-31 10:30", datetime.date(2024, 3, 31), datetime.datetime(2024, 3, 31, 9), 45382, Decimal(45382),
     "45382"],
)  # fmt: skip
def test_every_way_of_writing_a_date_is_the_same_day(written: object) -> None:
    assert to_date(written) == Decimal(45382) == day_number(datetime.date(2024, 3, 31))


@pytest.mark.parametrize("bad", ["2024-02-30", "2024-13-01", "三月", "2024-03", "45382.5", 0, -3, True, "2024-03-31x"])
def test_what_is_not_a_date_is_refused(rubric: pingfen.Rubric, bad: object) -> None:
    record = {"计划完成日期": bad, "实际完成日期": "2024-03-31", "资金到账日期": "2024-01-01", "资金拨付日期": "2024-01-02"}
    with pytest.raises(pingfen.DataError) as info:
        rubric.evaluate(record)
    assert [(p.code, p.input) for p in info.value.problems] == [("PF502", "计划完成日期")]
    assert "is not a date" in info.value.problems[0].message("en")


@pytest.mark.parametrize(
    ("start", "end", "whole", "days", "of"),
    [
        ("2024-03-31", "2024-03-31", 0, 0, 1),
        ("2024-01-31", "2024-02-29", 1, 0, 1),  # the shorter month's last day is a whole month
        ("2024-03-15", "2024-04-30", 1, 15, 30),  # 04-15 → 04-30: 15 of the 30 days to 05-15
        ("2024-01-10", "2024-03-01", 1, 20, 29),  # 02-10 → 03-01: 20 of the 29 days to 03-10
        ("2024-05-15", "2024-03-31", -1, -15, 31),  # backwards: 03-31 → 04-30, then 15 of 31 days
        ("2023-12-31", "2024-12-31", 12, 0, 1),
        # the last year a date may have ("no end date" in many databases): no month after it is needed
        ("9999-11-30", "9999-12-31", 1, 1, 31),
        ("9999-12-31", "9999-11-30", -1, -1, 31),
        ("9999-12-01", "9999-12-31", 0, 30, 31),
        ("1900-01-01", "9999-12-31", 8099 * 12 + 11, 30, 31),
    ],
)
def test_months_are_calendar_months(rubric: pingfen.Rubric, start: str, end: str, whole: int, days: int, of: int) -> None:
    e = ast.Call("months", (ast.Ref(ast.Name("资金到账日期")), ast.Ref(ast.Name("资金拨付日期"))))
    values = rubric.coerce({"资金到账日期": start, "资金拨付日期": end}, ["资金到账日期", "资金拨付日期"])
    assert rubric.walker().expression(e, values) == whole + CONTEXT.divide(Decimal(days), Decimal(of))


def test_a_date_of_9999_is_scored_by_both_evaluators(rubric: pingfen.Rubric) -> None:
    record = {"计划完成日期": "2024-03-31", "实际完成日期": "9999-12-31", "资金到账日期": "2024-01-01",
              "资金拨付日期": "9999-12-31"}  # fmt: skip
    result = both(rubric, record)
    assert (result["完成及时性"].score, result["资金拨付"].score, result["按期完成"].score) == (0, 0, 0)


def test_steps_per_month_and_per_half_month(rubric: pingfen.Rubric) -> None:
    record = {"计划完成日期": "2024-03-31", "实际完成日期": "2024年5月15日", "资金到账日期": "2024/1/10",
              "资金拨付日期": "2024-03-01"}  # fmt: skip
    result = both(rubric, record)
    assert result["完成及时性"].score == 8  # 1 + 15/31 months, two begun
    assert result["资金拨付"].score == 9  # 51 days = 1.7 months of 30 days; 0.7 over: two half-months begun
    assert result["按期完成"].score == 0
    on_time = both(rubric, record | {"实际完成日期": "2024-03-31"})
    assert on_time["完成及时性"].score == 10 and on_time["按期完成"].score == 10
    assert on_time["完成及时性"].reasons == []


def test_a_date_cell_of_a_workbook(rubric: pingfen.Rubric, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "计划完成日期", "实际完成日期", "资金到账日期", "资金拨付日期"])
    sheet.append(["县A", datetime.date(2024, 3, 31), datetime.datetime(2024, 5, 15), "2024年1月10日", 45352])
    path = tmp_path / "dates.xlsx"
    book.save(path)
    rule = tmp_path / "dates.rule"
    rule.write_text(DATES, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["eval", "--format", "json", str(rule), str(path)], out, err) == 0, err.getvalue()
    assert '"完成及时性": 8' in out.getvalue() and '"资金拨付": 9' in out.getvalue(), out.getvalue()


@given(st.dates(datetime.date(2000, 1, 1), datetime.date(2040, 12, 31)),
       st.dates(datetime.date(2000, 1, 1), datetime.date(2040, 12, 31)))  # fmt: skip
def test_compiled_equals_walker_on_any_dates(a: datetime.date, b: datetime.date) -> None:
    rubric = pingfen.loads(DATES, "dates.rule")
    result = both(rubric, {"计划完成日期": a, "实际完成日期": b, "资金到账日期": a.isoformat(), "资金拨付日期": b})
    assert 0 <= result.total <= 30
    assert (result["按期完成"].score == 10) == (b <= a)


@pytest.mark.parametrize(
    ("expr", "code"),
    [("days(计划完成日期)", "PF230"), ("days(计划完成日期, 5)", "PF230"), ("months(份数, 计划完成日期)", "PF230"),
     ("计划完成日期", "PF203"), ("计划完成日期 + 1", "PF203")],
)  # fmt: skip
def test_a_date_is_read_through_days_and_months(expr: str, code: str) -> None:
    text = f'rubric "r" {{ total 10 }}\ninput 计划完成日期: date\ninput 份数: count\n' \
           f"indicator 及时 10 {{ deduct 1 per {expr} }}\nindicator 份 0 {{ deduct 1 per 份数 }}\n"  # fmt: skip
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(text, "bad.rule")
    assert code in [d.code for d in info.value.diagnostics if d.severity == "error"]


@pytest.mark.parametrize("condition", ["计划完成日期 <= 45382", "计划完成日期 = 份数", "计划完成日期 > 50%"])
def test_a_date_is_compared_only_with_a_date(condition: str) -> None:
    text = f'rubric "r" {{ total 10 }}\ninput 计划完成日期: date\ninput 份数: count\n' \
           f"indicator 及时 10 {{ award 10 if {condition} }}\n"  # fmt: skip
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(text, "bad.rule")
    assert [d.code for d in info.value.diagnostics if d.severity == "error"] == ["PF231"]


def test_fmt_template_and_criteria(rubric: pingfen.Rubric) -> None:
    assert format_text(DATES) == DATES
    header, questions = render_template(rubric, "csv").splitlines()[:2]
    assert header.split(",")[1] == "计划完成日期" and "日期，如 2024-03-31" in questions
    rows = {row.name: row.criterion for row in build_table(rubric, "zh").rows}
    assert "自计划完成日期至实际完成日期的月数" in rows["完成及时性"]
    assert "自资金到账日期至资金拨付日期的天数" in rows["资金拨付"]


def test_a_reason_shows_a_date_as_a_date() -> None:
    text = DATES.replace("when 实际完成日期 <= 计划完成日期 -> 10", 'when 实际完成日期 <= 计划完成日期 -> 10 reason "x"').replace(
        "  else                              -> 0\n", '  else -> 0 reason "{实际完成日期} 晚于计划 {计划完成日期}"\n'
    )
    rubric = pingfen.loads(text, "dates.rule")
    record = {"计划完成日期": "2024-03-31", "实际完成日期": 45427, "资金到账日期": "2024-01-01", "资金拨付日期": "2024-01-02"}
    assert "2024-05-15 晚于计划 2024-03-31" in both(rubric, record)["按期完成"].reasons

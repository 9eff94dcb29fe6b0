"""Panels of experts (issue 10, item 5): `input 专家评分: list of [N] score`, read through
mean, median, trimmed_mean, min, max and count — exact, per-element bounds, lists in
JSON/YAML, numbered columns in CSV/XLSX, a column per expert in the template."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pingfen
from oracle_check import both
from pingfen.cli import main
from pingfen.report.rubric_table import build_table
from pingfen.syntax.formatter import format_text
from pingfen.template import render_template, write_template
from pingfen.values import CONTEXT

PANEL = """\
rubric "专家评审" {
  total 40
}

input 专家评分: list of 5 score >= 0 and <= 10
input 方案评分: list of score >= 0 and <= 10

indicator 去掉最高最低 10 {
  score = trimmed_mean(专家评分)
}

indicator 平均 10 {
  score = mean(方案评分)
}

indicator 中位数 10 {
  bands median(方案评分) {
    >= 9   -> 10
    [6, 9) -> 6
    else   -> 0
  }
}

indicator 评委人数 10 {
  when count(方案评分) >= 3 and min(方案评分) >= 6 and max(方案评分) <= 10 -> 10
  else -> 0
}
"""


@pytest.fixture(scope="module")
def rubric() -> pingfen.Rubric:
    return pingfen.loads(PANEL, "panel.rule")


def test_the_functions_are_exact(rubric: pingfen.Rubric) -> None:
    result = both(rubric, {"专家评分": [8, 9, 9, 10, 6], "方案评分": [8, 9, 9]})
    # 去掉 10 和 6: (8 + 9 + 9) / 3, to 28 significant digits, not a float's 8.666666666666666
    assert result["去掉最高最低"].score == Decimal("8.666666666666666666666666667")
    assert result["平均"].score == Decimal("8.666666666666666666666666667")
    assert result["中位数"].score == 10  # the middle of 8, 9, 9
    assert result["评委人数"].score == 10


def test_median_of_an_even_panel_is_the_mean_of_the_middle_two(rubric: pingfen.Rubric) -> None:
    result = both(rubric, {"专家评分": [8, 9, 7], "方案评分": [5, 9, 6, 10]})
    assert result["去掉最高最低"].score == 8
    assert result["中位数"].score == 6  # (6 + 9) / 2 = 7.5, in [6, 9)
    assert result["评委人数"].score == 0  # min 5 < 6


def test_a_panel_in_a_table_is_its_numbered_columns(rubric: pingfen.Rubric) -> None:
    record = {"专家评分1": 8, "专家评分3": 7, "专家评分2": 9, "专家评分4": "", "方案评分[2]": 6, "方案评分[1]": 9}
    values = rubric.coerce(record)
    assert values["专家评分"] == (Decimal(8), Decimal(9), Decimal(7))  # by number, the blank left out
    assert values["方案评分"] == (Decimal(9), Decimal(6))
    assert both(rubric, record)["去掉最高最低"].score == 8


def test_a_panel_may_be_a_text_of_scores(rubric: pingfen.Rubric) -> None:
    values = rubric.coerce({"专家评分": "8、9，7; 10 6.5", "方案评分": "9"})
    assert values["专家评分"] == tuple(Decimal(x) for x in ("8", "9", "7", "10", "6.5"))
    assert values["方案评分"] == (Decimal(9),)


def test_bounds_hold_for_each_score(rubric: pingfen.Rubric) -> None:
    with pytest.raises(pingfen.DataError) as info:
        rubric.evaluate({"专家评分": [8, 9, 10.5], "方案评分": [9, -1]})
    assert {(p.code, p.input) for p in info.value.problems} == {("PF503", "方案评分"), ("PF503", "专家评分")}


def test_an_empty_or_missing_panel_is_refused(rubric: pingfen.Rubric) -> None:
    with pytest.raises(pingfen.DataError) as info:
        rubric.evaluate({"专家评分": [], "方案评分1": ""})
    assert {(p.code, p.input) for p in info.value.problems} == {("PF501", "专家评分"), ("PF501", "方案评分")}


def test_trimmed_mean_needs_three_scores_on_both_paths(rubric: pingfen.Rubric) -> None:
    record = {"专家评分": [8, 9], "方案评分": [9]}
    with pytest.raises(pingfen.DataError) as compiled:
        rubric.evaluate(record)
    with pytest.raises(pingfen.DataError) as walked:
        rubric.walker().evaluate(rubric.coerce(record))
    assert [p.code for p in compiled.value.problems] == [p.code for p in walked.value.problems] == ["PF540"]
    assert "trimmed_mean(专家评分)" in compiled.value.problems[0].message("zh")


@given(
    st.lists(st.decimals(min_value=0, max_value=10, places=2), min_size=3, max_size=9),
    st.lists(st.decimals(min_value=0, max_value=10, places=1), min_size=1, max_size=9),
)
def test_compiled_equals_walker_and_stays_in_range(experts: list[Decimal], panel: list[Decimal]) -> None:
    rubric = pingfen.loads(PANEL, "panel.rule")
    result = both(rubric, {"专家评分": experts, "方案评分": panel})
    ordered = sorted(experts)
    assert ordered[1] <= result["去掉最高最低"].score <= ordered[-2]
    assert min(panel) <= result["平均"].score <= max(panel)
    assert result["平均"].score == CONTEXT.divide(sum(panel), len(panel))  # one division, 28 digits
    assert 0 <= result.total <= 40


def test_the_checker_knows_a_mean_stays_in_the_scores_range(rubric: pingfen.Rubric) -> None:
    assert rubric.warnings == ()  # no PF40x: full marks reachable, nothing out of range


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("score = 专家评分", "PF150"),  # a panel used as one number
        ("when 专家评分 > 5 -> 10\nelse -> 0", "PF150"),
        ("score = mean(专家评分, 专家评分)", "PF150"),
        ("score = mean(单项)", "PF150"),  # mean of a plain input
        ("judgment 专家评分", "PF108"),
    ],
)
def test_a_panel_is_read_only_through_its_functions(body: str, code: str) -> None:
    text = f'rubric "r" {{ total 10 }}\ninput 专家评分: list of score <= 10\ninput 单项: score\n' \
           f"indicator 评审 10 {{\n{body}\n}}\nindicator 单项 0 {{ judgment }}\n"  # fmt: skip
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(text, "bad.rule")
    assert code in [d.code for d in info.value.diagnostics if d.severity == "error"]


def test_a_let_of_a_panel_is_refused() -> None:
    text = 'rubric "r" { total 10 }\ninput 专家评分: list of score <= 10\nlet 全部 = 专家评分\n' \
           "indicator 评审 10 { score = mean(专家评分) }\n"  # fmt: skip
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(text, "bad.rule")
    assert "PF150" in [d.code for d in info.value.diagnostics]


@pytest.mark.parametrize(("decl", "code"), [("list of bool", "PF151"), ("list of 0 score", "PF152"),
                                            ("list of 2.5 score", "PF152"), ("list of 101 score", "PF152")])  # fmt: skip
def test_a_panel_is_of_numbers_and_its_size_whole(decl: str, code: str) -> None:
    text = f'rubric "r" {{ total 10 }}\ninput 专家评分: {decl}\nindicator 评审 10 {{ score = count(专家评分) }}\n'
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(text, "bad.rule")
    assert [d.code for d in info.value.diagnostics if d.severity == "error"] == [code]


def test_fmt_keeps_the_panel() -> None:
    text = PANEL.replace("list of 5 score", "list  of  5   score")
    formatted = format_text(text)
    assert "input 专家评分: list of 5 score >= 0 and <= 10" in formatted
    assert "input 方案评分: list of score >= 0 and <= 10" in formatted
    assert format_text(formatted) == formatted


def test_template_has_a_column_per_expert(rubric: pingfen.Rubric, tmp_path: Path) -> None:
    header = render_template(rubric, "csv").splitlines()[0].split(",")
    assert header == ["id", *(f"专家评分{k}" for k in range(1, 6)), *(f"方案评分{k}" for k in range(1, 6))]
    assert "专家评分: []" in render_template(rubric, "yaml")
    path = tmp_path / "t.xlsx"
    write_template(rubric, "xlsx", path)
    sheet = openpyxl.load_workbook(path)["数据"]
    assert [c.value for c in sheet[1]][:4] == ["id", "专家评分1", "专家评分2", "专家评分3"]
    # filled in as Excel would be, the template scores as it is
    sheet.append(["县A", 8, 9, 9, 10, 6, 8, 9, 9, None, None])
    sheet.parent.save(path)
    out, err = io.StringIO(), io.StringIO()
    rule = tmp_path / "panel.rule"
    rule.write_text(PANEL, encoding="utf-8")
    assert main(["eval", "--format", "json", str(rule), str(path)], out, err) == 0, err.getvalue()
    text = out.getvalue()  # 8.666… (去掉 10 和 6) + 8.666… + 10 (median 9) + 10
    assert '"去掉最高最低": 8.666666666666666666666666667' in text and '"total": 37.33' in text, text


def test_criteria_say_what_the_function_does(rubric: pingfen.Rubric) -> None:
    rows = {row.name: row.criterion for row in build_table(rubric, "zh").rows}
    assert "专家评分去掉一个最高分和一个最低分后的平均值" in rows["去掉最高最低"]
    assert "方案评分的中位数" in rows["中位数"]
    rows_en = {row.name: row.criterion for row in build_table(rubric, "en").rows}
    assert "the mean of 方案评分" in rows_en["平均"]


def test_examples_give_a_panel_as_a_text() -> None:
    text = PANEL + '\nexample "五位评委" {\n  given { 专家评分: "8, 9, 9, 10, 6", 方案评分: "8、9、9" }\n' \
        "  expect 去掉最高最低 ~= 8.67\n  expect 中位数 = 10\n}\n"  # fmt: skip
    rubric = pingfen.loads(text, "panel.rule")
    assert rubric.warnings == ()
    bad = text.replace('"8, 9, 9, 10, 6"', '"8, 19"')
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(bad, "panel.rule")
    assert "PF605" in [d.code for d in info.value.diagnostics]


def test_a_panel_of_percents_is_capped_only_where_a_bare_number_is_ambiguous() -> None:
    """`list of percent >= 0` refused ["0%", "0%", "101%"] as outside "<= 100%" (PF503), a cap
    the language never states (a percent's values above 100% are legal), so `pingfen check`
    passed the rubric and `pingfen fuzz` then found a false domain failure. The ±100% limit is
    a bare number's, as for a percent input alone; under `ratios` every value is a ratio."""
    from pingfen import fuzz

    rubric = pingfen.loads('rubric "k" { total 5 }\ninput 完成率: list of 3 percent >= 0\n'
                           "indicator 完成 5 { bands mean(完成率) { >= 90% -> 5  else -> 0 } }\n")
    assert rubric.evaluate({"完成率": ["0%", "0%", "101%"]}).total == 0
    assert rubric.evaluate({"完成率": "300%, 0.9, 1%"}).total == 5
    assert rubric.coerce({"完成率": [Decimal(0), Decimal(0), Decimal("1.01")]}, ratios=True)["完成率"][2] == Decimal("1.01")
    with pytest.raises(pingfen.DataError) as refused:
        rubric.evaluate({"完成率": "0, 0, 1.5"})  # 1.5 or 1.5%? still said
    assert refused.value.code == "PF503"
    assert not fuzz.fuzz(rubric, max_examples=50).failures


NAMED_AS_COLUMN = """rubric "o" {{ total 20 }}
input 评分: list of 2 percent >= 0 and <= 200%
input {name}: number >= 0 and <= 200
indicator b 10 {{ score = {name} / 20 }}
indicator c 10 {{ score = mean(评分) * 5 }}
"""


@pytest.mark.parametrize("name", ["评分1", "评分12", "评分0003", "评分2023"])  # a year too: a table's panel read it as a score
def test_an_input_named_as_a_panels_numbered_column_is_refused(name: str) -> None:
    """`input 评分1` beside `input 评分: list of percent`: a table's column 评分1 was both, read as the
    input's number for the panel too (90 would be 9000% under wide enough bounds). PF114, at the input."""
    found = [d for d in pingfen.diagnose(NAMED_AS_COLUMN.format(name=name)) if d.code == "PF114"]
    assert [(d.severity, d.span.line, d.span.column) for d in found] == [("error", 3, 7)]
    assert found[0].message("zh") == f"输入项 `{name}` 与评委打分 `评分` 的编号列同名：数据表中的 `{name}` 列将同时被两者读取"
    assert found[0].message("en").startswith(f"input `{name}` is named as a numbered column of the panel `评分`")
    assert "第 2 行" in (found[0].help("zh") or "") and "line 2" in (found[0].help("en") or "")
    with pytest.raises(pingfen.RubricError, match="PF114"):
        pingfen.loads(NAMED_AS_COLUMN.format(name=name), "o.rule", tests=False)


@pytest.mark.parametrize("name", ["评分率", "评分一", "总评分1"])
def test_a_name_a_panel_does_not_number_is_its_own(name: str) -> None:
    codes = {d.code for d in pingfen.diagnose(NAMED_AS_COLUMN.format(name=name))}
    assert "PF114" not in codes and not any(c.startswith("PF1") and c != "PF104" for c in codes), codes
    assert pingfen.loads(NAMED_AS_COLUMN.format(name=name), "o.rule", tests=False).column_kind(name) == "number"


"""The checker on examples and properties, beyond the golden files: what it excuses,
what it inherits through `from`, and what it leaves to the other checks."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

import pingfen
from pingfen import ast
from pingfen.check.examples import records
from pingfen.check.passes import check
from pingfen.syntax.formatter import format_module
from pingfen.syntax.parser import parse
from strategies import rubrics

RUBRIC = """rubric "x" {
  total 8
}

input 在职人数: count
input 编制人数: count > 0
input 满意度: percent >= 0 and <= 100%
input 评价: score
let 控制率 = 在职人数 / 编制人数

group 总 8 {
  indicator 控制 5 {
    deduct 0.5 per 1pp of 控制率 above 100% counting proportional
  }
  indicator 满意 3 {
    judgment 评价
  }
}

example "全部达标" {
  given {
    在职人数: 12,
    编制人数: 12,
    满意度: 95%,
    评价: 3,
  }
  expect total = 8
}
"""


def codes(text: str) -> list[str]:
    return [d.code for d in pingfen.diagnose(RUBRIC + text)]


def test_a_clean_example_gives_no_finding() -> None:
    assert codes("") == ["PF104"]  # 满意度 is declared for the examples' sake only


def test_an_expected_refusal_excuses_the_input_it_names() -> None:
    assert codes('example "零" from "全部达标" { given { 编制人数: 0 } expect error on 编制人数 }') == ["PF104"]
    assert codes('example "零" from "全部达标" { given { 编制人数: 0 } expect error PF503 }') == ["PF104"]
    assert codes('example "零" from "全部达标" { given { 编制人数: 0 } expect error on 在职人数 }')[-1] == "PF605"
    assert codes('example "零" from "全部达标" { given { 编制人数: 0 } expect error PF505 }')[-1] == "PF605"


def test_a_refusal_for_a_missing_input_excuses_its_absence() -> None:
    missing = 'example "缺" { given { 在职人数: 1, 满意度: 95%, 评价: 1 } expect error on 编制人数 }'
    assert codes(missing) == ["PF104"]
    assert codes(missing.replace("expect error on 编制人数", "expect total = 0"))[-1] == "PF608"


def test_a_score_is_checked_against_the_max_of_its_indicator() -> None:
    assert codes('example "高" from "全部达标" { given { 评价: 3.5 } expect total = 8 }')[-1] == "PF605"


def test_records_lay_an_example_over_its_base() -> None:
    module, _ = parse(RUBRIC + 'example "低" from "全部达标" { given { 满意度: 80% } }\nexample "更低" from "低" { }')
    assert module is not None
    found = {name: {k: g.value.text for k, g in r.items()} for name, r in records(module).items()}
    assert found["低"] == {"在职人数": "12", "编制人数": "12", "满意度": "80%", "评价": "3"}
    assert found["更低"] == found["低"]


def test_property_conditions_are_checked_like_rules_but_use_nothing() -> None:
    assert codes("property 控制 = 5 when 在职人数 <= 编制人次") == ["PF104", "PF102"]
    assert codes("property 控制 = 5 when 在职人数 <= 90%") == ["PF104", "PF201"]
    assert codes("property 控制 = 5 when 满意度 >= 90%") == ["PF104"]  # still unused by any score
    assert codes("property monotone 控制率 decreasing") == ["PF104", "PF601"]  # a let, not an input


def test_example_errors_do_not_hide_soundness_findings() -> None:
    gap = RUBRIC.replace("judgment 评价", "bands 满意度 { >= 90% -> 3  < 80% -> 0 }")
    found = [d.code for d in pingfen.diagnose(gap + 'example "x" from "无" { }')]
    assert "PF401" in found and "PF603" in found


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubrics())
def test_generated_rubrics_check_without_errors(module: ast.Module) -> None:
    text = format_module(module)
    checked = check(module)
    assert checked.ok, (text, [d.render() for d in checked.diagnostics if d.severity == "error"])
    assert pingfen.loads(text).max == sum((n.max.value for n in module.top), 0)


def test_an_unknown_base_does_not_hide_the_examples_own_values() -> None:
    # `from` misspelt (PF603): the values the example writes itself are still checked, so
    # the author sees every finding at once, not one more after the name is put right.
    found = codes('example "比值" from "全部达标x" { given { 满意度: 0.7, 评价: 是 } expect total = 8 }')
    assert found == ["PF104", "PF603", "PF204", "PF605"]
    # two examples of one name (PF604): the second's own values are checked too
    assert codes('example "全部达标" { given { 满意度: 95 } expect total = 8 }')[1:] == ["PF604", "PF204"]

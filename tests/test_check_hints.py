"""Every PF201, PF203 and PF310 the checker reports has a hint. A bool in arithmetic, a
label compared with `<`, `match` on a percent, a `%` against an amount, bounds on a bool,
`then` and `else` of different kinds and a repeated `match` arm were shown with the message
and the caret alone, leaving the author to guess what to write instead."""

from __future__ import annotations

import pytest

import pingfen

HEAD = """rubric "示例" { total 10 }
input 金额: amount
input 健全: bool
input 状况: label { 好, 差 }
input 率: percent
input 起: date
input 止: date
"""

CASES = [
    # (indicator body, code, words the Chinese hint must hold)
    ("score = if 健全 then 10 else 健全", "PF201", "`then` 与 `else`"),
    ("when 健全 = 5 -> 10 else -> 0", "PF201", "是/否值只能与"),
    ("deduct 1 per 1 of 金额 above 5% counting whole", "PF201", "去掉 `%`"),
    ("score = 健全 * 10", "PF203", "作为条件"),
    ("score = 状况 * 10", "PF203", "`match`"),
    ("score = 起 * 10", "PF203", "days("),
    ("when 率 + 5% -> 10 else -> 0", "PF203", "比较式"),
    ("match 率 { 好 -> 10 else -> 0 }", "PF203", "选项型输入项"),
    ("when 状况 > 好 -> 10 else -> 0", "PF203", "没有大小之分"),
    ("when 健全 >= true -> 10 else -> 0", "PF203", "没有大小之分"),
    ("score = abs(率, 率) * 10", "PF203", "只接受一个值"),
    ("match 状况 { 好 -> 10  好 -> 8  else -> 0 }", "PF310", "删除重复"),
]


@pytest.mark.parametrize(("body", "code", "words"), CASES)
def test_each_has_a_hint(body: str, code: str, words: str) -> None:
    found = [d for d in pingfen.diagnose(HEAD + f"indicator 指标 10 {{ {body} }}\n") if d.code == code]
    assert found, code
    for d in found:
        zh, en = d.help("zh"), d.help("en")
        assert zh is not None and words in zh, (body, zh)
        assert en is not None and en != zh


def test_bounds_on_a_bool() -> None:
    text = HEAD.replace("input 健全: bool", "input 健全: bool > 0") + "indicator 指标 10 { award 10 if 健全 }\n"
    [d] = [d for d in pingfen.diagnose(text) if d.code == "PF203"]
    assert d.help("zh") == "是/否型和选项型输入项不能限定取值范围：请删去"
    assert d.help("en") == "yes/no and label inputs take no bounds: delete them"


def test_a_panel_column_in_an_example() -> None:
    """`专家评分1: 8` in `given`, as a table's column is named: the hint was `did you mean
    专家评分?`, and `专家评分: 8` gives the panel one score. It shows the panel's text instead,
    and that text is what the example then takes."""
    text = """rubric "示例" { total 10 }
input 专家评分: list of score <= 10
indicator 专家评审 10 { score = mean(专家评分) }
example "评审" {
  given { `专家评分[2]`: 9, 专家评分1: 8 }
  expect 专家评审 = 8.5
}
"""
    found = [d for d in pingfen.diagnose(text) if d.code == "PF601"]
    assert [d.args["name"] for d in found] == ["专家评分[2]", "专家评分1"]
    assert {d.help("zh") for d in found} == {'示例中一组值写作一个文本：`专家评分: "8, 9"`'}
    assert {d.help("en") for d in found} == {"an example gives a list's values in one text: `专家评分: \"8, 9\"`"}
    fixed = text.replace("`专家评分[2]`: 9, 专家评分1: 8", '专家评分: "8, 9"')
    assert pingfen.diagnose(fixed) == []


PERCENTS = """rubric "示例" { total 10 }
input 季度执行率: list of percent <= 100%
indicator 执行 10 { bands mean(季度执行率) { >= 90% -> 10 else -> 0 } }
example "e" {
  given { 季度执行率1: 95%, 季度执行率2: 92% }
  expect 执行 = 10
}
"""


def test_a_panel_of_percents_is_shown_its_own_values() -> None:
    """`季度执行率1: 95%` was told `季度执行率: "8, 9, 7.5"` (评委打分), scores over 100% that
    then failed PF605. The hint gives the example's own values, and following it passes."""
    found = [d for d in pingfen.diagnose(PERCENTS) if d.code == "PF601"]
    assert len(found) == 2
    assert {d.help("zh") for d in found} == {'示例中一组值写作一个文本：`季度执行率: "95%, 92%"`'}
    fixed = PERCENTS.replace("季度执行率1: 95%, 季度执行率2: 92%", '季度执行率: "95%, 92%"')
    assert pingfen.diagnose(fixed) == []

"""Every PF201, PF203 and PF310 the checker reports has a hint. A bool in arithmetic, a
label compared with `<`, `match` on a percent, a `%` against an amount, bounds on a bool,
`then` and `else` of different kinds and a repeated `match` arm were shown with the message
and the caret alone, leaving the author to guess what to write instead. Each hint speaks of
the kind of value involved (a date's bounds were told about yes/no and labels)."""

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
    # (indicator body, code, words the Chinese hint must hold, words the English one must)
    ("score = if 健全 then 10 else 健全", "PF201", "`then` 与 `else`", "`then` and `else`"),
    ("when 健全 = 5 -> 10 else -> 0", "PF201", "是/否值只能与", "compare a yes/no value"),
    ("when 状况 = 5 -> 10 else -> 0", "PF201", "选项只能与它的选项", "compare a label"),
    ("deduct 1 per 1 of 金额 above 5% counting whole", "PF201", "去掉 `%`", "without `%`"),
    ("score = 健全 * 10", "PF203", "作为条件", "as a condition"),
    ("score = 状况 * 10", "PF203", "`match`", "`match`"),
    ("score = 起 * 10", "PF203", "days(", "days("),
    ("when 率 + 5% -> 10 else -> 0", "PF203", "比较式", "a comparison"),
    ("match 率 { 好 -> 10 else -> 0 }", "PF203", "数值请用 `bands`", "score a number with `bands`"),
    ("match 健全 { 好 -> 10 else -> 0 }", "PF203", "`award 分数 if 健全`", "`award N if 健全`"),
    ("match 起 { 好 -> 10 else -> 0 }", "PF203", "`bands days(起, 截止日期)", "`bands days(起, TO)"),
    ("when 状况 > 好 -> 10 else -> 0", "PF203", "没有大小之分", "has no order"),
    ("when 健全 >= true -> 10 else -> 0", "PF203", "没有大小之分", "has no order"),
    ("score = abs(率, 率) * 10", "PF203", "只接受一个值", "takes one value"),
    ("match 状况 { 好 -> 10  好 -> 8  else -> 0 }", "PF310", "删除重复", "remove the repeated"),
]


@pytest.mark.parametrize(("body", "code", "zh_words", "en_words"), CASES)
def test_each_has_a_hint(body: str, code: str, zh_words: str, en_words: str) -> None:
    found = [d for d in pingfen.diagnose(HEAD + f"indicator 指标 10 {{ {body} }}\n") if d.code == code]
    assert found, code
    for d in found:
        zh, en = d.help("zh"), d.help("en")
        assert zh is not None and zh_words in zh, (body, zh)
        assert en is not None and en_words in en, (body, en)


@pytest.mark.parametrize(("body", "wrong"), [
    ("when 健全 = 5 -> 10 else -> 0", "选项"),
    ("when 状况 = 5 -> 10 else -> 0", "是/否值"),
    ("match 健全 { 好 -> 10 else -> 0 }", "数值请用"),
    ("match 起 { 好 -> 10 else -> 0 }", "数值请用"),
])  # fmt: skip
def test_a_hint_speaks_of_the_kind_involved(body: str, wrong: str) -> None:
    """`match 健全` was told 数值请用 bands/when, a yes/no compared with 5 was told about labels too."""
    [d] = [d for d in pingfen.diagnose(HEAD + f"indicator 指标 10 {{ {body} }}\n") if d.code in ("PF201", "PF203")]
    assert wrong not in (d.help("zh") or "")


@pytest.mark.parametrize(("decl", "bounded"), [
    ("input 健全: bool", "input 健全: bool > 0"),
    ("input 起: date", "input 起: date > 0"),
    ("input 状况: label { 好, 差 }", "input 状况: label { 好, 差 } >= 1"),
])  # fmt: skip
def test_bounds_on_what_is_no_number(decl: str, bounded: str) -> None:
    """A date's bounds were told 是/否型和选项型输入项不能限定取值范围."""
    text = HEAD.replace(decl, bounded) + "indicator 指标 10 { score = 10 }\n"
    found = [d for d in pingfen.diagnose(text) if d.code == "PF203"]
    assert found, text
    for d in found:
        assert d.help("zh") == "只有数值型输入项可以限定取值范围：请删去"
        assert d.help("en") == "only a number input takes bounds: delete them"


def test_an_unknown_name_compared_adds_nothing() -> None:
    """`when 未知 < 健全` after PF102 was also PF203 `实际为?` with the help `?没有大小之分`."""
    found = pingfen.diagnose(HEAD + "indicator 指标 10 { when 未知 < 健全 -> 10 else -> 0 }\n")
    assert [d.code for d in found if d.severity == "error"] == ["PF102"]


def test_a_percent_bound_on_an_amount_is_told_to_declare_a_percent() -> None:
    """`input 金额: amount >= 0 and <= 100%` was told to remove the `%`, as in a comparison;
    a bound in % most likely means the input is a ratio."""
    text = HEAD.replace("input 金额: amount", "input 金额: amount >= 0 and <= 100%") + "indicator 指标 10 { score = 10 }\n"
    [d] = [d for d in pingfen.diagnose(text) if d.code == "PF201"]
    assert "`input 金额: percent`" in (d.help("zh") or "") and "`input 金额: percent`" in (d.help("en") or "")
    fixed = text.replace("input 金额: amount >= 0", "input 金额: percent >= 0")
    assert [d.code for d in pingfen.diagnose(fixed) if d.severity == "error"] == []


def test_a_percent_bound_on_a_panel_is_told_to_declare_a_list_of_percents() -> None:
    """`input 季度: list of amount <= 100%` was told to declare `input 季度: percent`, which
    makes the panel one value; it is told `list of percent`, and that passes."""
    text = HEAD + "input 季度: list of amount <= 100%\nindicator 指标 10 { score = mean(季度) * 10 }\n"
    [d] = [d for d in pingfen.diagnose(text) if d.code == "PF201"]
    assert "`input 季度: list of percent`" in (d.help("zh") or "") and "`input 季度: list of percent`" in (d.help("en") or "")
    fixed = text.replace("list of amount", "list of percent")
    assert [d.code for d in pingfen.diagnose(fixed) if d.severity == "error"] == []


def test_match_on_a_let_of_a_label_is_told_to_match_the_input() -> None:
    """`let 签 = 状况` then `match 签 {…}` was told to score a number with `bands` or `when`;
    a label compared through a let is refused too, so it is told to match the input itself."""
    text = HEAD + "let 签 = 状况\nindicator 指标 10 { match 签 { 好 -> 10 else -> 0 } }\n"
    [d] = [d for d in pingfen.diagnose(text) if d.code == "PF203"]
    assert "`match 状况 {…}`" in (d.help("zh") or "") and "`match 状况 {…}`" in (d.help("en") or "")
    assert "bands" not in (d.help("zh") or "")
    fixed = text.replace("match 签 {", "match 状况 {")
    assert [d.code for d in pingfen.diagnose(fixed) if d.severity == "error"] == []
    # through a let of a let, the input itself, not the let between (which would fail again)
    twice = HEAD + "let 甲 = 状况\nlet 签 = 甲\nindicator 指标 10 { match 签 { 好 -> 10 else -> 0 } }\n"
    [d] = [d for d in pingfen.diagnose(twice) if d.code == "PF203"]
    assert "`match 状况 {…}`" in (d.help("zh") or "")
    # worked out (an `if`): no one input to name, and no `match … {…}` that names none
    worked = HEAD + "let 签 = if 健全 then 状况 else 状况\nindicator 指标 10 { match 签 { 好 -> 10 else -> 0 } }\n"
    [d] = [d for d in pingfen.diagnose(worked) if d.code == "PF203"]
    assert "…" not in (d.help("zh") or "…") and "选项型输入项分别写 `match`" in (d.help("zh") or "")


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

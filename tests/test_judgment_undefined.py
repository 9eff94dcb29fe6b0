"""`indicator 打分 5 { judgment }` with no input 打分: PF102's help said "先声明该输入项，例如
`input 打分: percent`", and a person who did so got PF108 (a judgment reads a `score` input).
It also offered a close name of any type (`资金结余` → `结余`, an amount). Now the help says to
declare it `score`, and suggests only score inputs."""

from __future__ import annotations

import pingfen


def test_a_judgment_s_missing_input_is_asked_for_as_a_score() -> None:
    (found,) = pingfen.diagnose('rubric "t" { total 5 }\nindicator 打分 5 { judgment }\n', "t.rule")
    assert found.code == "PF102"
    assert found.help("zh") == "声明为 `input 打分: score`"
    assert found.help("en") == "declare it as `input 打分: score`"


def test_a_named_judgment_input_likewise() -> None:
    (found,) = pingfen.diagnose('rubric "t" { total 5 }\nindicator 甲 5 { judgment 专家打分 }\n', "t.rule")
    assert found.help("zh") == "声明为 `input 专家打分: score`"


def test_only_a_score_input_is_suggested() -> None:
    text = 'rubric "t" { total 5 }\ninput 结余: amount\nindicator 资金结余 5 { judgment }\nindicator 乙 0 { award 0 if 结余 = 0 }\n'
    found = [d for d in pingfen.diagnose(text, "t.rule") if d.code == "PF102"]
    assert [d.help("zh") for d in found] == ["声明为 `input 资金结余: score`"]


def test_a_misspelt_score_input_is_still_suggested() -> None:
    text = 'rubric "t" { total 5 }\ninput 打分: score\nindicator 甲 5 { judgment 打份 }\n'
    found = [d for d in pingfen.diagnose(text, "t.rule") if d.code == "PF102"]
    assert [d.help("zh") for d in found] == ["是否应为 `打分`？"]

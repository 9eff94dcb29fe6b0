"""`award 1 if 制度有效执行 = 是` — a yes written in a rule as the data file writes it: PF102's
help said "先声明该输入项，例如 `input 是: percent`", an input named 是. Now it says that a rule
writes yes and no as `true` and `false`, or the input alone as the condition."""

from __future__ import annotations

import pytest

import pingfen

RULE = """rubric "t" {{ total 5 }}
input 制度有效执行: bool
indicator 制度 5 {{ award 5 if 制度有效执行 = {word} }}
"""


@pytest.mark.parametrize(("word", "value"), [("是", "true"), ("否", "false"), ("Y", "true"), ("no", "false")])
def test_a_yes_or_no_word_is_told_how_a_rule_writes_it(word: str, value: str) -> None:
    (found,) = pingfen.diagnose(RULE.format(word=word), "t.rule")
    assert found.code == "PF102"
    help_zh, help_en = found.help("zh"), found.help("en")
    assert help_zh is not None and f"请写 `= {value}`" in help_zh and "if not 名称" in help_zh
    assert help_en is not None and f"write `= {value}`" in help_en and "declare" not in help_en


def test_true_is_the_rule_s_word() -> None:
    assert pingfen.diagnose(RULE.format(word="true"), "t.rule") == []


def test_another_undefined_name_is_still_asked_to_be_declared() -> None:
    (found,) = pingfen.diagnose(RULE.format(word="达标"), "t.rule")
    assert found.help("zh") == "先声明该输入项，例如 `input 达标: percent`"

"""Invisible characters pasted from Word or Excel (U+200B 零宽空格, U+00AD, a BOM inside a
line, …). In a backquoted name one was accepted, so `投入` and `投\\u200b入` were two names,
and the "did you mean" of a misspelt reference showed a name that looked the same as the
one written; a BOM between words was a space. Now each is PF007 wherever it stands but in a
comment, with the caret on it, naming it by code point and name."""

from __future__ import annotations

import pytest

from pingfen import diagnose, loads

BASE = 'rubric "t" {{ total 10 }}\ninput 投入: percent\nindicator 指标 10 {{\n  bands {name} {{ >= 90% -> 10  else -> 0 }}\n}}\n'
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f"]


@pytest.mark.parametrize("char", INVISIBLE)
@pytest.mark.parametrize("written", ["投{}入", "`投{}入`"])
def test_an_invisible_character_in_a_name_is_pf007(char: str, written: str) -> None:
    text = BASE.format(name=written.format(char))
    found = diagnose(text)
    assert [d.code for d in found] == ["PF007"], [d.render("en") for d in found]
    d = found[0]
    assert text[d.span.start : d.span.end] == char  # the caret on the character itself
    assert d.severity == "error"
    assert f"U+{ord(char):04X}" in d.message("zh") and f"U+{ord(char):04X}" in d.message("en")
    assert "删除" in d.render("zh") and "delete" in d.render("en")


def test_the_message_names_it_in_the_users_language() -> None:
    (d,) = diagnose(BASE.format(name="`投\u200b入`"))
    assert d.message("zh") == "不可见字符 `U+200B 零宽空格`"
    assert d.message("en") == "invisible character `U+200B ZERO WIDTH SPACE`"
    assert "投\ufffd入" in d.render("zh")  # shown as something, so the caret points at it


def test_in_a_text_in_quotes_too() -> None:
    text = 'rubric "t" { total 10 }\ninput 等级: label { "优\u200b秀", 差 }\nindicator 甲 10 { match 等级 { 差 -> 0 else -> 10 } }\n'
    assert [d.code for d in diagnose(text)] == ["PF007"]


def test_not_in_a_comment_nor_a_leading_bom() -> None:
    text = "\ufeff" + BASE.format(name="投入").replace("}\n}", '} # 注释\u200b，# 和 "引号\u200b\n}')
    assert diagnose(text) == []
    loads(text)


def test_a_hash_in_a_text_starts_no_comment() -> None:
    text = BASE.format(name="投入").replace("-> 0 }", '-> 0 }\n  reason "第#1\u200b项"')
    assert [d.code for d in diagnose(text)] == ["PF007"]

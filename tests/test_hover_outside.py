"""Hovering over a row after the tree — a bonus (加分项), a penalty (扣分项) or an adjust row
(加减分项) — shows what it is, its range, its criteria as the published table words them and
the cap on the total, in 中文 by default and in English on request."""

from __future__ import annotations

import pytest

from pingfen.editor.analysis import analyse
from pingfen.editor.hover import hover
from pingfen.lang import Lang

TEXT = """\
rubric "加减分" {
  total 10
  cap total 10
}

input 完成率: percent >= 0 and <= 100%
input 获表彰: bool
input 问题数: count

indicator 完成率 10 {
  score = 完成率 * 10
}

bonus 创新加分 2 {
  award 1 if 获表彰
}

penalty 违规扣分 3 {
  deduct 1 per 问题数
}

adjust 加减分 -2 .. +2 {
  award 0.5 if 获表彰
  deduct 0.5 per 问题数
}
"""


def _hover_over(name: str, lang: Lang, text: str = TEXT) -> str:
    a = analyse(text, "/nonexistent/x.rule")
    assert a.module is not None and a.index is not None and not [d for d in a.diagnostics if d.severity == "error"]
    o = a.index.at(text.index(f"{name} "))
    assert o is not None and o.declaration
    words = hover(a.module, a.text, o, lang, a.let_ranges)
    assert words is not None
    return words


@pytest.mark.parametrize(
    ("name", "kind", "span", "criterion"),
    [
        ("创新加分", "加分项", "分值：2", "获表彰"),
        ("违规扣分", "扣分项", "分值：3", "问题数"),
        ("加减分", "加减分项", "分值：-2 至 +2", "合计在-2至+2分之间"),
    ],
)
def test_a_row_after_the_tree_says_what_it_is(name: str, kind: str, span: str, criterion: str) -> None:
    words = _hover_over(name, "zh")
    assert "类别：" + kind in words and span in words
    assert "评分标准：" in words and criterion in words
    assert "加分后总分不超过10分" in words


def test_in_english_on_request() -> None:
    words = _hover_over("加减分", "en")
    assert "kind: an adjust row" in words and "max: -2 to +2" in words and "in all between -2 and +2" in words
    assert "the total is at most 10" in words


@pytest.mark.parametrize(("lang", "said"), [("zh", "评分标准：不扣分。"), ("en", "criteria: nothing deducted.")])
def test_an_empty_penalty_row_says_it_takes_nothing(lang: Lang, said: str) -> None:
    """It said 计3分, as the published table did: read as "deduct 3", where it takes nothing."""
    empty = TEXT.replace("deduct 1 per 问题数\n}\n\nadjust", "}\n\nadjust")
    assert empty != TEXT and said in _hover_over("违规扣分", lang, empty)


def test_a_row_of_the_tree_is_not_taken_for_one_after_it() -> None:
    a = analyse(TEXT, "/nonexistent/x.rule")
    assert a.module is not None and a.index is not None
    o = a.index.at(TEXT.index("indicator 完成率") + len("indicator "))
    assert o is not None and o.kind == "indicator"
    words = hover(a.module, a.text, o, "zh", a.let_ranges)
    assert words is not None and "位置：完成率" in words and "类别：" not in words


def test_a_hover_is_a_few_lines_whatever_the_values_of_a_let() -> None:
    """A `let` squared again and again has bounds of a million digits: its hover was ~1 MB
    (every digit of both bounds). Long numbers are shown to 4 significant digits."""
    lets = "".join(f"let a{n} = a{n - 1} * a{n - 1}\n" for n in range(1, 60))
    text = (f'rubric "平方" {{ total 10 }}\ninput a0: number >= 2 and <= 3 "{"长" * 3000}"\n{lets}'
            "indicator i 10 { when a59 > 5 -> 10 else -> 0 }\n")  # fmt: skip
    a = analyse(text, "/nonexistent/x.rule")
    assert a.module is not None and a.index is not None
    sizes = {}
    for name in ("a5", "a10", "a30", "a59", "a0"):
        o = a.index.at(text.index(f"let {name} " if name != "a0" else "input a0") + len("let " if name != "a0" else "input "))
        assert o is not None and o.text == name
        words = hover(a.module, a.text, o, "zh", a.let_ranges)
        assert words is not None
        sizes[name] = len(words)
        if name == "a5":
            assert "取值范围：[4294967296, 1853020188851841]" in words  # short numbers exactly
        if name == "a10":
            assert "取值范围：[≈1.798×10^308, ≈3.734×10^488]" in words
    assert max(sizes.values()) < 4000, sizes  # the source cut at 2000 characters, a line at 1000

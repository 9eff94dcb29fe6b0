"""A description whose closing quote is missing (`bool "是否已制定制度`): the help said
"删除该字符，或将文字放在英文双引号内" — delete the quote, or use quotes, which it already did;
with `“` it said the text held a `“` or `”` inside, which it did not. Now both say the
closing quote is missing on that line, and which one to add."""

from __future__ import annotations

import pytest

import pingfen

RULE = """rubric "t" {{ total 5 }}
input 已制定: bool {description}
indicator 制度 5 {{ award 5 if 已制定 }}
"""


@pytest.mark.parametrize(
    ("description", "code", "close"),
    [('"是否已制定制度', "PF001", '"'), ("“是否已制定制度", "PF002", "”"), ("「是否已制定制度", "PF002", "」")],
)
def test_the_missing_close_is_named(description: str, code: str, close: str) -> None:
    (found,) = [d for d in pingfen.diagnose(RULE.format(description=description), "t.rule") if d.severity == "error"]
    assert found.code == code and found.span.line == 2
    assert found.help("zh") == f"引号内的文字在本行没有结尾的 `{close}`：请在文字结束处补上（引号内的文字不能跨行）"
    help_en = found.help("en")
    assert help_en is not None and f"no closing `{close}` on this line" in help_en


def test_quotes_in_quotes_keep_their_help() -> None:
    (found,) = pingfen.diagnose(RULE.format(description="“是否“已制定”制度”"), "t.rule")
    help_zh = found.help("zh")
    assert help_zh is not None and "不能再含有" in help_zh

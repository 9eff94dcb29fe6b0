"""A full-width point `．` between digits is a decimal point, as full-width digits are digits:
`０．５` is 0.5, written `0.5` by `pingfen fmt`. A full stop `。` (or a `．` not between digits)
is PF001 whose help says to write `.`: the old help, "删除该字符", turned `０．５` into `０５`,
and a deduction of 0.5 a point into one of 5."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pingfen import diagnose, format_text, loads

FULL = """rubric "全角" { total １０ grade 好 ≥ ８ grade 差 otherwise }
input 率：percent ≥ ０ and ≤ １５０．５％
input 例数：count
group 甲 １０ {
  indicator 乙 ５ { deduct ０．５ per １．０pp of 率 above １００％ counting proportional }
  indicator 丙 ５ { deduct ０.５ per 例数 }
}
"""


def test_a_full_width_point_between_digits_is_a_decimal_point() -> None:
    rubric = loads(FULL)
    result = rubric.evaluate({"率": "110%", "例数": 1})
    assert result.score("乙") == 0  # 10 points over at 0.5 each: 5 lost (０５ would have lost 50, clamped)
    assert rubric.evaluate({"率": "102%", "例数": 0}).score("乙") == 4  # 2 points over: 1 lost, not 10
    assert rubric.evaluate({"率": "150.5%", "例数": 0}).total == Decimal("5.00")
    assert rubric.evaluate({"率": "102%", "例数": 2}).score("丙") == 4


def test_fmt_writes_it_in_ascii() -> None:
    text = format_text(FULL)
    assert "deduct 0.5 per 1.0pp of 率 above 100%" in text and "<= 150.5%" in text and "．" not in text
    assert format_text(text) == text


@pytest.mark.parametrize("number", ["０。５", "5。5", "５．", "．５"])
def test_a_stray_point_says_to_write_a_decimal_point(number: str) -> None:
    text = f'rubric "x" {{ total 10 }}\nindicator a 10 {{ deduct {number} if true }}\n'
    [found] = [d for d in diagnose(text) if d.code == "PF001"]
    assert "`.`" in (found.help("zh") or "") and "小数点" in (found.help("zh") or "")
    assert "decimal point as `.`" in (found.help("en") or "")
    assert "删除该字符，或" not in (found.help("zh") or "")

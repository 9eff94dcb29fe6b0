"""A rubric with its header and no rows passed `check` silently, and every record scored 0
of its `total 100`. Now PF311, a warning: the file still loads (a header alone is what a
rubric begun and not yet written looks like), but the user is told it scores nothing."""

from __future__ import annotations

from decimal import Decimal

from pingfen import diagnose, loads


def test_a_header_with_no_rows_is_told() -> None:
    found = diagnose('rubric "空" { total 100 }\n')
    assert [(d.code, d.severity) for d in found] == [("PF311", "warning")]
    assert "0 of its total 100" in found[0].message("en")
    assert "总分 100" in found[0].message("zh")
    assert found[0].span.line == 1 and found[0].span.column == 20  # the caret on `100`


def test_it_still_loads_and_scores_0() -> None:
    assert loads('rubric "空" { total 100 }\n').evaluate({}).total == Decimal("0.00")


def test_bonus_rows_alone_are_no_rows_either() -> None:
    text = 'rubric "空" { total 100 }\ninput 获奖: bool\nbonus 表彰 2 { award 2 if 获奖 }\n'
    assert "PF311" in {d.code for d in diagnose(text)}


def test_a_rubric_with_rows_is_not_told() -> None:
    text = 'rubric "有" { total 5 }\ninput 率: percent\nindicator 执行 5 { bands 率 { >= 90% -> 5  else -> 0 } }\n'
    assert diagnose(text) == []

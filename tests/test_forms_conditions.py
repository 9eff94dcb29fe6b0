"""Conditions as values (issue 10 item 2): `if C then A else B`, a label compared with one
of its labels, a bool as a condition, and any rule switched on by a trailing `if COND`."""

from __future__ import annotations

from decimal import Decimal

import pingfen
from oracle_check import both
from pingfen.loader import diagnose, loads
from pingfen.report.criteria import Words
from pingfen.syntax.formatter import format_text
from pingfen.syntax.parser import parse

HEAD = """rubric "t" { total 10 }
input 有项目: bool
input 类型: label { 大型会议, 小型会议 }
input 率: percent >= 0% and <= 100%
input 上年: amount >= 0
input 本年: amount >= 0
"""


def _codes(text: str) -> list[str]:
    return [d.code for d in diagnose(text) if d.severity == "error"]


def test_an_if_expression_chooses_a_value_and_its_reason_names_the_condition() -> None:
    rubric = loads(HEAD + """
indicator 会议 5 { score = if 类型 = 大型会议 then 5 else if 有项目 then 4 else 3 }
indicator 余下 5 { judgment 余下 }
input 余下: score
""")
    base = {"率": "90%", "上年": 1, "本年": 1, "余下": 5}
    big = both(rubric, base | {"类型": "大型会议", "有项目": False})
    assert big["会议"].score == 5 and big["会议"].reasons == []
    held = both(rubric, base | {"类型": "小型会议", "有项目": True})
    assert held["会议"].score == 4
    assert held["会议"].reasons == ["“有项目”成立，得 4 分（满分 5）"]
    neither = both(rubric, base | {"类型": "小型会议", "有项目": False})
    assert neither["会议"].score == 3
    assert neither["会议"].reasons == ["“类型 = 大型会议”、“有项目”均不成立，得 3 分（满分 5）"]
    english = rubric.evaluate(base | {"类型": "小型会议", "有项目": False}, lang="en")
    assert english["会议"].reasons == ['none of "类型 = 大型会议", "有项目" holds: 3 of 5']


def test_a_computed_arm_is_shown_with_its_formula() -> None:
    rubric = loads(HEAD + "indicator 增幅 10 { score = if 上年 = 0 then 10 else min(本年 / 上年 * 5, 10) }\n")
    result = both(rubric, {"有项目": True, "类型": "大型会议", "率": "1%", "上年": 4, "本年": 2})
    assert result["增幅"].score == Decimal("2.5")
    assert result["增幅"].reasons == ["“上年 = 0”不成立，按 min(本年 / 上年 * 5, 10) 计得 2.5 分（满分 10）"]
    assert both(rubric, {"有项目": True, "类型": "大型会议", "率": "1%", "上年": 0, "本年": 2})["增幅"].score == 10


def test_an_if_expression_guards_its_division() -> None:
    guarded = HEAD + "indicator 增幅 10 { score = if 上年 = 0 then 10 else min(本年 / 上年 * 10, 10) }\n"
    assert "PF410" not in [d.code for d in diagnose(guarded)]
    unguarded = HEAD + "indicator 增幅 10 { score = min(本年 / 上年 * 10, 10) }\n"
    assert "PF410" in [d.code for d in diagnose(unguarded)]


def test_the_arms_of_an_if_must_be_of_one_kind() -> None:
    assert "PF201" in _codes(HEAD + "indicator A 10 { score = if 有项目 then 率 else 有项目 }\n")
    assert "PF203" in _codes(HEAD + "indicator A 10 { score = if 率 then 5 else 3 }\n")
    # a bare number beside a percent is most likely a percent written without its sign
    assert "PF204" in [d.code for d in diagnose(HEAD + "let r = if 有项目 then 率 else 1\n"
                                                       "indicator A 10 { bands r { >= 90% -> 10\n else -> 0 } }\n")]


def test_a_label_is_compared_by_name_and_an_unknown_one_gets_a_suggestion() -> None:
    found = [d for d in diagnose(HEAD + "indicator A 10 { when 类型 = 大形会议 -> 10\n else -> 0 }\n")
             if d.code == "PF107"]
    assert len(found) == 1
    assert "大型会议" in found[0].render("en")
    assert _codes(HEAD + "indicator A 10 { when 大型会议 = 类型 -> 10\n else -> 0 }\n") == []
    assert "PF203" in _codes(HEAD + "indicator A 10 { when 类型 > 大型会议 -> 10\n else -> 0 }\n")
    # a name that is neither declared nor compared with a label input is still undefined
    assert "PF102" in _codes(HEAD + "indicator A 10 { when 有项目 = 大型会议 -> 10\n else -> 0 }\n")


def test_a_bool_is_a_condition_anywhere() -> None:
    rubric = loads(HEAD + "indicator A 10 { when not 有项目 -> 10\n else -> 4 }\n")
    assert both(rubric, {"有项目": False, "类型": "大型会议", "率": "1%", "上年": 0, "本年": 0})["A"].score == 10
    assert both(rubric, {"有项目": True, "类型": "大型会议", "率": "1%", "上年": 0, "本年": 0})["A"].score == 4


def test_a_switched_deduction_takes_nothing_when_off() -> None:
    rubric = loads(HEAD + "indicator A 10 { deduct 0.5 per 1pp of 率 below 100% counting whole if 有项目 }\n")
    on = both(rubric, {"有项目": True, "类型": "大型会议", "率": "96%", "上年": 0, "本年": 0})
    assert on["A"].score == 8
    off = both(rubric, {"有项目": False, "类型": "大型会议", "率": "96%", "上年": 0, "本年": 0})
    assert off["A"].score == 10 and off["A"].reasons == []


def test_a_switched_count_deduction_and_bands() -> None:
    rubric = loads(HEAD + """input 问题数: count
indicator A 5 { deduct 1 per 问题数 if 类型 = 大型会议 }
indicator B 5 { bands 率 { >= 90% -> 5
  else -> 1 } if not 有项目 }
""")
    record = {"有项目": True, "类型": "小型会议", "率": "50%", "上年": 0, "本年": 0, "问题数": 3}
    result = both(rubric, record)
    assert result["A"].score == 5
    assert result["B"].score == 0 and result["B"].reasons == ["“有项目”成立，本项不计分（满分 5）"]
    english = rubric.evaluate(record, lang="en")
    assert english["B"].reasons == ['"有项目" holds: 0 of 5']
    result = both(rubric, record | {"有项目": False, "类型": "大型会议"})
    assert (result["A"].score, result["B"].score) == (2, 1)


def test_coverage_counts_a_switch_turned_off() -> None:
    rubric = loads(HEAD + "indicator A 10 { deduct 1 per 1pp of 率 below 100% if 有项目 }\n")
    events: list[object] = []
    rubric.walker(events.append).evaluate(
        rubric.coerce({"有项目": False, "类型": "大型会议", "率": "96%", "上年": 0, "本年": 0}))
    assert ("A", ("off", 0)) in events


def test_switch_and_if_survive_formatting() -> None:
    text = HEAD + """indicator A 5 { deduct 0.5 per 1pp of 率 below 100% if 有项目 }
indicator B 5 { score = if 类型 = 大型会议 then 5 else if 有项目 then 4 else 3 }
"""
    formatted = format_text(text)
    assert "deduct 0.5 per 1pp of 率 below 100% if 有项目" in formatted
    assert "score = if 类型 = 大型会议 then 5 else if 有项目 then 4 else 3" in formatted
    assert parse(formatted)[0] == parse(text)[0]
    assert format_text(formatted) == formatted


def test_the_published_table_says_when_a_rule_applies() -> None:
    module, _ = parse(HEAD + """indicator A 5 { deduct 0.5 per 1pp of 率 below 100% if 有项目 }
indicator B 5 { score = if 类型 = 大型会议 then 5 else 3 }
""")
    assert module is not None
    zh, en = Words(module, "zh"), Words(module, "en")
    a, b = module.top
    assert isinstance(a, pingfen.ast.Indicator) and isinstance(b, pingfen.ast.Indicator)
    assert zh.criterion(a).startswith("在此基础上，有项目时，") or "有项目时，" in zh.criterion(a)
    assert "where 有项目, " in en.criterion(a)
    assert "类型=大型会议时为5，否则为3" in zh.criterion(b)


def test_pingfen_diff_names_a_changed_switch() -> None:
    from pingfen.diff import diff_modules
    from pingfen.diffview import part_text

    old, _ = parse(HEAD + "indicator A 10 { deduct 1 per 1pp of 率 below 100% if 有项目 }\n")
    new, _ = parse(HEAD + "indicator A 10 { deduct 1 per 1pp of 率 below 100% if not 有项目 }\n")
    assert old is not None and new is not None
    [change] = diff_modules(old, new).changes
    assert (change.old, change.new) == ("有项目", "not 有项目")
    assert part_text(change.part, "zh") == "适用条件"

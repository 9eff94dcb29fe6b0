"""English lists are joined with ", ", 中文 ones with "、": PF506 said "is not one of 健全、不健全"
in English, as did PF222's hint, the editor's hover and the rendered table's data items."""

from __future__ import annotations

import pingfen
from pingfen.editor.analysis import analyse
from pingfen.editor.hover import hover
from pingfen.errors import Problem
from pingfen.loader import diagnose
from pingfen.report.rubric_table import build_table
from pingfen.values import coerce

RULE = """rubric "列表" {
  total 10
  grade 优秀 >= 9
  grade 合格 otherwise
}

input 制度状况: label { 健全, 基本健全, 不健全 }

group 管理 10 {
  indicator 制度 10 {
    match 制度状况 {
      健全     -> 10
      基本健全 -> 6
      不健全   -> 0
    }
  }
}
"""


def test_pf506_lists_the_labels_in_each_language() -> None:
    problem = coerce("制度状况", "label", "较健全", ("健全", "基本健全", "不健全"))
    assert isinstance(problem, Problem) and problem.code == "PF506"
    assert problem.message("en") == 'input `制度状况`: "较健全" is not one of 健全, 基本健全, 不健全'
    assert problem.message("zh") == '输入项 `制度状况`："较健全" 不在可选项 健全、基本健全、不健全 中'


def test_pf222_hint_lists_the_grades_in_each_language() -> None:
    text = RULE + "\ninput 造假: bool\n\nveto 数据造假 if 造假 -> grade 不及格\n"
    (found,) = [d for d in diagnose(text) if d.code == "PF222"]
    assert found.help("en") == "the header's grades are: 优秀, 合格"
    assert found.help("zh") == "标题块中的评价等次为：优秀、合格"


def test_the_hover_and_the_table_list_in_english() -> None:
    a = analyse(RULE, "/nonexistent/x.rule")
    assert a.module is not None and a.index is not None
    for name, said_en, said_zh in (("制度状况:", "choices: 健全, 基本健全, 不健全", "可选值：健全、基本健全、不健全"),
                                   ("管理 ", "contains: 制度", "下级：制度"),
                                   ("基本健全 ->", "a choice of `制度状况`", "可选值，属于 `制度状况`")):  # fmt: skip
        o = a.index.at(RULE.index(name))
        assert o is not None
        assert said_en in (hover(a.module, a.text, o, "en", a.let_ranges) or ""), name
        assert said_zh in (hover(a.module, a.text, o, "zh", a.let_ranges) or ""), name
    rubric = pingfen.loads(RULE, "l.rule", tests=False)
    assert ("制度状况", "label", "健全, 基本健全, 不健全", "") in build_table(rubric, "en").data
    assert ("制度状况", "等级", "健全、基本健全、不健全", "") in build_table(rubric, "zh").data


def test_fuzz_lists_the_vetoes_in_each_language() -> None:
    """The fuzzer's grade check said "vetoes that hold: 造假、违规" in English."""
    from pingfen.fuzz import Violation, _check_grade, _Decided

    text = RULE + "\ninput 造假: bool\ninput 违规: bool\n\nveto 数据造假 if 造假 -> zero\nveto 严重违规 if 违规 -> zero\n"
    rubric = pingfen.loads(text, "l.rule", tests=False)
    record = {"制度状况": "健全", "造假": True, "违规": True}
    result = rubric.evaluate(record)
    assert [v.name for v in result.vetoes()] == ["数据造假", "严重违规"]
    header = rubric.module.header
    assert header is not None
    told = _Decided(fired=(), holds=tuple(True for _ in header.grades))  # as if neither held: a violation
    try:
        _check_grade(rubric, record, result, told, "compiled")
    except Violation as violation:
        assert "vetoes listed: 数据造假, 严重违规)" in str(violation)
        assert "列出的否决项：数据造假、严重违规）" in violation.zh
    else:
        raise AssertionError("no violation")

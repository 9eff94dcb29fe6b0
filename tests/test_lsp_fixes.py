"""The editor's pieces below the protocol (pingfen.editor): the quick fixes each diagnostic
with a named change gets, the names a file declares and uses, and the hover words. Each fix
is applied and the text checked again: the diagnostic it answers must be gone."""

from __future__ import annotations

import pytest

from pingfen.editor.analysis import analyse
from pingfen.editor.fixes import Fix, fixes
from pingfen.editor.hover import hover
from pingfen.loader import diagnose


def applied(text: str, fix: Fix) -> str:
    for edit in sorted(fix.edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.new + text[edit.end :]
    return text


def only_fixes(text: str, code: str) -> list[Fix]:
    a = analyse(text, "/nonexistent/x.rule")
    [d] = [d for d in a.diagnostics if d.code == code]
    return fixes(d, a.module, a.text, "zh")


HEAD = 'rubric "x" { total 10 }\ninput 等级: label { 优, 良 }\ninput 执行率: percent >= 0 and <= 100%\ninput 次数: count\n'

CASES = [
    # (code, the file, the fix chosen, what the fixed text holds)
    ("PF107", HEAD + "indicator 甲 10 { match 等级 { 优 -> 10  良好 -> 3 } }\n", 0, "良 -> 3"),
    ("PF102", HEAD + "indicator 甲 10 { bands 执行律 { >= 90% -> 10 else -> 0 } }\n", 0, "bands 执行率 {"),
    ("PF204", HEAD + "indicator 甲 10 { bands 执行率 { >= 0.9 -> 10 else -> 0 } }\n", 0, ">= 90% -> 10"),
    ("PF406", HEAD + "indicator 甲 10 {\n  when 执行率 >= 90% -> 10\n  when 执行率 >= 60% -> 6\n}\n", 0,
     "  when 执行率 >= 60% -> 6\n  else -> 0\n}"),
    ("PF406", HEAD + "indicator 甲 10 { when 执行率 >= 90% -> 10 }\n", 0, "{ when 执行率 >= 90% -> 10 else -> 0 }"),
    ("PF407", HEAD + "indicator 甲 10 {\n  when 次数 > 2 and 执行率 > 50% -> 10\n}\n", 0,
     "  when 次数 > 2 and 执行率 > 50% -> 10\n  else -> 0\n}"),
    ("PF414", HEAD + "indicator 甲 10 {\n  match 等级 {\n    优 -> 10\n  }\n}\n", 0, "    优 -> 10\n    else -> 0\n  }"),
    ("PF414", HEAD + "indicator 甲 10 { match 等级 { 优 -> 10 } }\n", 0, "{ 优 -> 10 else -> 0 } }"),
    ("PF413", HEAD + 'indicator 甲 10 { deduct 1 per 0.5 of 次数 above 1 reason "r" }\n', 2,
     'deduct 1 per 0.5 of 次数 above 1 counting started reason "r"'),
    ("PF413", HEAD + "indicator 甲 10 { deduct 1 per 10% of 执行率 }\n", 1, "deduct 1 per 10% of 执行率 counting whole }"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "text", "choice", "fixed"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_fix_removes_its_diagnostic(code: str, text: str, choice: int, fixed: str) -> None:
    offered = only_fixes(text, code)
    after = applied(text, offered[choice])
    assert fixed in after
    assert code not in {d.code for d in diagnose(after)}
    assert not [d for d in diagnose(after) if d.severity == "error"]


def test_an_example_named_from_gets_its_quotes() -> None:
    text = HEAD + ("indicator 甲 10 { bands 执行率 { >= 90% -> 10 else -> 0 } }\n"
                   'example "基础" { given { 等级: 优, 执行率: 95%, 次数: 0 } expect 甲 = 10 }\n'
                   'example "二" from "基楚" { given { 执行率: 80% } expect 甲 = 0 }\n')  # fmt: skip
    [fix] = only_fixes(text, "PF603")
    assert fix.preferred and fix.title == '改为 `"基础"`'
    after = diagnose(applied(text, fix))
    assert 'from "基础"' in applied(text, fix) and not [d for d in after if d.severity == "error"]


def test_a_name_that_needs_backquotes_gets_them() -> None:
    text = HEAD.replace("input 执行率: percent", "input `total rate`: percent") + (
        "indicator 甲 10 { bands `total rat` { >= 90% -> 10 else -> 0 } }\n"
    )
    [fix] = only_fixes(text, "PF102")
    assert fix.edits[0].new == "`total rate`"


def test_no_fix_where_the_checker_names_no_change() -> None:
    text = HEAD + "indicator 甲 10 { bands 执行率 { >= 90% -> 10 else -> 0 } }\nindicator 甲 0 { }\n"
    a = analyse(text, "/nonexistent/x.rule")
    assert a.diagnostics and all(fixes(d, a.module, a.text, "zh") == [] for d in a.diagnostics)


def test_names_declarations_and_references() -> None:
    text = HEAD + ("let 超 = 次数 - 2\n"
                   "group 管 10 { indicator 甲 10 { match 等级 { 优 -> 10 良 -> 0 } deduct 1 if 超 > 0 } }\n"
                   'example "e" { given { 等级: 优, 执行率: 1%, 次数: 0 } expect 甲 = 10 }\n')  # fmt: skip
    a = analyse(text, "/nonexistent/x.rule")
    assert a.index is not None and a.module is not None
    where = {(o.text, o.kind, o.declaration) for o in a.index.occurrences}
    assert {("等级", "input", True), ("等级", "input", False), ("优", "label", True), ("优", "label", False),
            ("超", "let", True), ("超", "let", False), ("甲", "indicator", True), ("甲", "indicator", False),
            ("次数", "input", False), ("管", "group", True)} <= where  # fmt: skip
    o = a.index.at(text.index("超 > 0"))
    assert o is not None and o.kind == "let"
    assert [text[s.start : s.end] for s in a.index.references(o)] == ["超", "超"]
    assert a.index.definition(o) is not None and a.index.definition(o) == a.index.references(o)[0]
    assert a.let_ranges == {"超": "[-2, ∞)"}
    words = hover(a.module, a.text, o, "en", a.let_ranges)
    assert words is not None and "values: [-2, ∞)" in words and "derived value (let)" in words
    indicator = a.index.at(text.index("甲 10"))
    assert indicator is not None
    words = hover(a.module, a.text, indicator, "en", a.let_ranges)
    assert words is not None and "path: 管 › 甲" in words and "max: 10" in words and "criteria: " in words


def test_a_file_that_does_not_parse_has_diagnostics_and_no_names() -> None:
    a = analyse(HEAD + "indicator 甲 10 { bands 执行率 { >= 90% -> } }\n", "/nonexistent/x.rule")
    assert [d.code for d in a.diagnostics] == ["PF002"] and a.module is None and a.index is None

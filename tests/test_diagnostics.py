"""Rendering diagnostics: location, source line, carets under CJK text, help, language."""

from __future__ import annotations

import pytest

import pingfen
from pingfen.diagnostics import Diagnostic, Source, Span
from pingfen.lang import default_lang

TEXT = "line one\n  deduct 1 per 在职人次 above 0\n"


def diagnostic(severity: str = "error") -> Diagnostic:
    start = TEXT.index("在职人次")
    span = Span.at(TEXT, start, start + 4)
    args = {"name": "在职人次", "suggestion": "在职人数"}
    return Diagnostic("PF102", span, args, severity, "did_you_mean", Source("a.rule", TEXT))  # type: ignore[arg-type]


def test_span_at_counts_lines_and_columns() -> None:
    span = diagnostic().span
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 16, 2, 20)


def test_render_english() -> None:
    assert diagnostic().render("en").splitlines() == [
        "error[PF102]: undefined name `在职人次`",
        " --> a.rule:2:16",
        "  |",
        "2 |   deduct 1 per 在职人次 above 0",
        "  |                ^^^^^^^^",  # CJK characters are two columns wide
        "  = help: did you mean `在职人数`?",
    ]


def test_render_chinese() -> None:
    lines = diagnostic("warning").render("zh").splitlines()
    assert lines[0] == "警告[PF102]: 未定义的名称 `在职人次`"
    assert lines[-1] == "  = 帮助: 是否应为 `在职人数`？"


def test_gutter_widens_with_the_line_number() -> None:
    text = "\n" * 11 + "abc\n"
    d = Diagnostic("PF104", Span.at(text, 11, 14), {"name": "abc"}, "warning", "remove_unused", Source("f", text))
    lines = d.render("en").splitlines()
    assert lines[1] == "  --> f:12:1"
    assert lines[3] == "12 | abc" and lines[4] == "   | ^^^"
    assert lines[5].startswith("   = help:")


def test_default_lang_from_locale(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for var in ("PINGFEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert default_lang() == "zh"  # no locale at all (Windows): 中文
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert default_lang() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert default_lang() == "zh"
    monkeypatch.setenv("LC_ALL", "C")
    assert default_lang() == "zh"  # C, C.UTF-8, POSIX (servers): 中文, as only English is asked for


def test_carets_keep_tabs() -> None:
    text = "\t\tbands 率x {\n"
    start = text.index("率x")
    d = Diagnostic("PF102", Span.at(text, start, start + 2), {"name": "率x"}, "error", None, Source("f", text))
    assert d.render("en").splitlines()[4] == "  | \t\t      ^^^"


def test_source_lines_split_only_at_newlines() -> None:
    text = "# a\u2028b\nsecond\n"
    assert Source("f", text).line(2) == "second"


@pytest.mark.parametrize("name", ["收入（万元）", "支出(含)增长", "收入（万 元）", "专家评分[2]", "收入[万元]", "收入［万元］"])
def test_a_name_with_brackets_is_told_to_take_backquotes(name: str) -> None:
    """`input 收入（万元）: amount` was told to write `:` before the type; `input 专家评分[2]: score`
    still was, after `given { 专家评分[2]: 9 }` was told to backquote."""
    text = f'rubric "r" {{ total 5 }}\ninput {name}: amount\nindicator 甲 5 {{ score = 5 }}\n'
    [found] = pingfen.diagnose(text)
    assert found.code == "PF002" and found.hint == "bracket_name"
    assert f"`{name}`" in found.render("zh") and "反引号" in found.render("zh")
    assert [d.code for d in pingfen.diagnose(text.replace(f"input {name}", f"input `{name}`"))] == ["PF104"]  # unused


_GIVEN = """rubric "r" { total 10 }
input 专家评分: list of score <= 10
input 人数: count
indicator 评审 10 { score = mean(专家评分) - 人数 * 0 }
example "e" {
  given { 人数: 1, ENTRY }
  expect 评审 = 8.5
}
"""


@pytest.mark.parametrize("entry", ["专家评分[2]: 9", "专家评分［2］: 9", "专家评分（二）: 9"])
def test_a_bracket_in_a_given_name_is_not_told_about_input_types(entry: str) -> None:
    """`given { 专家评分[2]: 9 }` was told `write : before the type, e.g. input 名称: percent`,
    which is about declaring an input. It is told to backquote the name, as it must be."""
    [found] = pingfen.diagnose(_GIVEN.replace("ENTRY", entry))
    assert found.code == "PF002" and found.hint == "bracket_name", found.render("zh")
    name = entry.split(":")[0]
    assert f"`{name}`" in found.render("zh") and "input 名称" not in found.render("zh")
    backquoted = pingfen.diagnose(_GIVEN.replace("ENTRY", f"`{name}`: 9"))
    assert "PF002" not in [d.code for d in backquoted]


def test_a_given_entry_without_its_colon_is_told_to_write_one() -> None:
    [found] = pingfen.diagnose(_GIVEN.replace("ENTRY", "专家评分 9"))
    assert found.code == "PF002" and found.help("zh") == "此处应为：`:`" and found.help("en") == "expected `:`"

"""The parser: AST shape, spans, full-width forms, and errors as diagnostics."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pingfen import ast
from pingfen.syntax.parser import parse

HEAD = 'rubric "x" { total 5 }\n'


def module(text: str) -> ast.Module:
    parsed, diagnostics = parse(text)
    assert parsed is not None and diagnostics == [], diagnostics
    return parsed


def only_rule(text: str) -> ast.Rule:
    (group,) = module(HEAD + f"group 甲 5 {{ indicator 乙 5 {{ {text} }} }}").top
    assert isinstance(group, ast.Group)
    (indicator,) = group.children
    assert isinstance(indicator, ast.Indicator)
    (rule,) = indicator.rules
    return rule


def test_deduction_ast() -> None:
    rule = only_rule("deduct 0.5 per 1pp of 控制率 above 100% counting whole")
    assert rule == ast.DeductStep(
        rate=ast.Number(Decimal("0.5")),
        step=ast.Number(Decimal("0.01"), "pp"),
        value=ast.Ref(ast.Name("控制率")),
        direction="above",
        reference=ast.Number(Decimal("1"), "percent"),
        counting="whole",
    )


def test_counted_deduction_is_step_one_above_zero() -> None:
    rule = only_rule("deduct 1 per 例数")
    assert isinstance(rule, ast.DeductStep)
    assert (rule.step.value, rule.direction, rule.reference, rule.counting) == (1, "above", None, None)


def test_band_ends() -> None:
    rule = only_rule("bands x { [80%, 90%) -> 4  (0, 10%] -> 2  = 0 -> 3  > 30% -> 0  else -> 1 }")
    assert isinstance(rule, ast.Bands)
    closed = [(b.low_closed, b.high_closed) for b in rule.bands]
    assert closed == [(True, False), (False, True), (True, True), (False, False), (False, False)]
    assert rule.bands[3].high is None and rule.bands[4].is_else


def test_when_chain_groups_arms_with_else() -> None:
    rule = only_rule("when a = 0 -> 3  when a <= b -> 2  else -> 0")
    assert isinstance(rule, ast.WhenChain)
    assert [a.condition is None for a in rule.arms] == [False, False, True]


def test_precedence() -> None:
    (let,) = module(HEAD + "let v = a + b * c - d / e").lets
    assert let.expr == ast.Binary(
        "-",
        ast.Binary("+", ast.Ref(ast.Name("a")), ast.Binary("*", ast.Ref(ast.Name("b")), ast.Ref(ast.Name("c")))),
        ast.Binary("/", ast.Ref(ast.Name("d")), ast.Ref(ast.Name("e"))),
    )
    (cond,) = module(HEAD + "let w = not a and b or c").lets
    assert isinstance(cond.expr, ast.Or) and isinstance(cond.expr.left, ast.And)


def test_full_width_forms_give_the_same_tree() -> None:
    ascii_text = (
        HEAD
        + "input 率: percent >= 0\ngroup 甲 5 { indicator 乙 5 { bands 率 { >= 90% -> 5 [80%, 90%) -> 4 (0, 80%) -> 2 <= 0 -> 0 } } }"
    )
    wide_text = (
        HEAD
        + "input 率：percent ≥ 0\ngroup 甲 5 { indicator 乙 5 { bands 率 { ≧ 90％ → 5 ［80％， 90％） → 4 （0， 80％） → 2 ≦ 0 → 0 } } }"
    )
    assert module(ascii_text) == module(wide_text)


def test_names_as_printed() -> None:
    parsed = module(
        HEAD
        + "input `数据 (万元)`: amount\ngroup “三公经费”变动率 5 { indicator 《政府工作报告》目标任务完成情况 5 { judgment } }"
    )
    assert parsed.inputs[0].name.text == "数据 (万元)"
    group = parsed.top[0]
    assert isinstance(group, ast.Group) and group.name.text == "“三公经费”变动率"
    assert group.children[0].name.text == "《政府工作报告》目标任务完成情况"


def test_spans_point_at_the_source() -> None:
    text = HEAD + "input 在职人数: count\n"
    (inp,) = module(text).inputs
    assert (inp.name.span.line, inp.name.span.column) == (2, 7)
    assert text[inp.name.span.start : inp.name.span.end] == "在职人数"
    assert text[inp.span.start : inp.span.end] == "input 在职人数: count"


def test_equality_ignores_positions() -> None:
    assert module(HEAD + "let a = 1") == module("\n\n" + HEAD + "   let   a =\n 1")


def test_comments_and_strings() -> None:
    parsed = module(HEAD + '# 注释\ninput a: count "说明 # 不是注释"  # 行尾注释\n')
    assert parsed.inputs[0].description == "说明 # 不是注释"


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ("group 甲 {", "PF002", 2, 9),
        ("input 甲 count", "PF002", 2, 9),
        ("input 甲: money", "PF002", 2, 10),
        ("group 甲 5 { indicator 乙 5 { judgment }", "PF003", 2, 11),
        ("let a = 1 $ 2", "PF001", 2, 11),
    ],
)
def test_syntax_errors_point_at_the_fault(text: str, code: str, line: int, column: int) -> None:
    parsed, diagnostics = parse(HEAD + text)
    assert parsed is None
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [(code, line, column)]


def test_one_syntax_error_per_top_level_item() -> None:
    _, diagnostics = parse(HEAD + "input 甲 count\ninput 乙: count\ngroup 丙 {\n}\nlet 丁 = (1\n")
    assert [(d.code, d.span.line) for d in diagnostics] == [("PF002", 2), ("PF002", 4), ("PF003", 6)]


def test_scoring_text_blanks_tests_and_keeps_positions() -> None:
    from pingfen.syntax.scan import without_tests

    text = HEAD + 'input a: count\nexample "x" {\n  given { a: 1 }\n  expect total = 5\n}\nproperty total >= 0\nlet b = a\n'
    blank = without_tests(text)
    assert len(blank) == len(text) and blank.count("\n") == text.count("\n")
    assert "example" not in blank and "property" not in blank and blank.endswith("let b = a\n")
    parsed = module(blank)
    assert not parsed.examples and not parsed.properties and parsed.lets[0].name.span.line == 8


def test_a_broken_example_is_never_cut_out() -> None:
    """An example whose braces do not balance could swallow what follows: keep the text whole."""
    from pingfen.syntax.scan import without_tests

    text = HEAD + 'example "x" { given { a: 1 }\ngroup 甲 5 { indicator 乙 5 { judgment 分 } }\n'
    assert without_tests(text) == text

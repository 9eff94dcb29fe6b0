"""The parser on examples, properties and comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pingfen import ast
from pingfen.syntax.parser import is_bare_name, keywords, parse

HEAD = 'rubric "x" { total 5 }\n'


def module(text: str) -> ast.Module:
    parsed, diagnostics = parse(HEAD + text)
    assert parsed is not None and diagnostics == [], diagnostics
    return parsed


def test_example_with_givens_and_expectations() -> None:
    (example,) = module(
        'example "全部达标" { given { 在职人数: 12, 满意度: 95%, 已制定: 是, 程度: "健全", 真: true, 负: -1.5, } '
        "expect 财政供养人员控制率 = 5  expect total = 100  expect grade = 优秀  expect 甲 ~= 4.17 }"
    ).examples
    assert example.name == "全部达标" and example.base is None
    values = {g.name.text: (g.value.kind, g.value.text, g.value.raw) for g in example.givens}
    assert values == {
        "在职人数": ("number", "12", Decimal(12)),
        "满意度": ("percent", "95%", "95%"),
        "已制定": ("word", "是", "是"),
        "程度": ("text", "健全", "健全"),
        "真": ("word", "true", "true"),
        "负": ("number", "-1.5", Decimal("-1.5")),
    }
    assert example.expects == (
        ast.ExpectScore(ast.Name("财政供养人员控制率"), "=", ast.Number(Decimal(5))),
        ast.ExpectScore(None, "=", ast.Number(Decimal(100))),
        ast.ExpectGrade(ast.Name("优秀")),
        ast.ExpectScore(ast.Name("甲"), "~=", ast.Number(Decimal("4.17"))),
    )


def test_example_from_another_and_expected_errors() -> None:
    (example,) = module(
        'example "超编" from "全部达标" { given { 编制人数: 0 } expect error on 编制人数  expect error PF505  expect error }'
    ).examples
    assert example.base == "全部达标"
    assert example.expects == (
        ast.ExpectError(None, ast.Name("编制人数")),
        ast.ExpectError("PF505", None),
        ast.ExpectError(None, None),
    )


def test_full_width_forms_in_examples_are_read_as_ascii() -> None:
    (example,) = module('example "全角" { given { 满意度：９５％， 人数：１２ } expect total ≈ ９０ }').examples
    assert [(g.value.kind, g.value.text) for g in example.givens] == [("percent", "95%"), ("number", "12")]
    (expect,) = example.expects
    assert isinstance(expect, ast.ExpectScore) and expect.op == "~=" and expect.value.text == "90"


def test_example_without_given_or_expectations() -> None:
    (a, b) = module('example "a" { }\nexample "b" from "a" { given { } }').examples
    assert a.givens == () and a.expects == () and b.givens == ()


def test_properties() -> None:
    props = module(
        "property monotone 满意度 increasing\n"
        "property monotone 在职人数 decreasing for 财政供养人员控制率\n"
        "property 财政供养人员控制率 = 5 when 在职人数 <= 编制人数\n"
        "property total >= 60\n"
    ).properties
    assert props == (
        ast.Monotone(ast.Name("满意度"), "increasing"),
        ast.Monotone(ast.Name("在职人数"), "decreasing", ast.Name("财政供养人员控制率")),
        ast.Claim(
            ast.Name("财政供养人员控制率"),
            "=",
            ast.Number(Decimal(5)),
            ast.Compare("<=", ast.Ref(ast.Name("在职人数")), ast.Ref(ast.Name("编制人数"))),
        ),
        ast.Claim(None, ">=", ast.Number(Decimal(60))),
    )


def test_new_keywords_are_still_names_where_a_name_is_expected() -> None:
    m = module(
        "input total: count\ninput error: count\nlet grade = total + error\n"
        "group example 1 { indicator property 1 { deduct 1 per grade } }\n"
        'example "e" { given { total: 1, error: 0 } expect `total` = 0 expect total = 0 }'
    )
    assert [i.name.text for i in m.inputs] == ["total", "error"]
    (example,) = m.examples
    assert [e.target for e in example.expects] == [ast.Name("total"), None]  # type: ignore[union-attr]


def test_comments_are_kept_with_their_spans() -> None:
    text = '# first\nrubric "x" { total 5 }  # after the header\n# last'
    parsed, _ = parse(text)
    assert parsed is not None
    assert [(c.text, c.span.line, c.span.column) for c in parsed.comments] == [
        ("# first", 1, 1),
        ("# after the header", 2, 25),
        ("# last", 3, 1),
    ]
    again, _ = parse('rubric "x" { total 5 }')
    assert again == parsed  # comments are not part of the meaning
    assert again is not None and again.comments == ()


@pytest.mark.parametrize(
    ("source", "value"),
    [(r'"a\"b"', 'a"b'), (r'"a\\"', "a\\"), (r'"x\ny"', r"x\ny"), (r'"\\\""', '\\"')],
)
def test_string_escapes(source: str, value: str) -> None:
    parsed, _ = parse(f"rubric {source} {{ }}")
    assert parsed is not None and parsed.header is not None and parsed.header.title == value


def test_keywords_and_bare_names() -> None:
    assert {"total", "grade", "example", "expect", "property", "monotone", "count", "half_up"} <= keywords()
    assert is_bare_name("“三公经费”变动率") and is_bare_name("x_1")
    assert not is_bare_name("total") and not is_bare_name("数据 (万元)") and not is_bare_name("1a")


def test_a_syntax_error_in_an_example_does_not_hide_the_next_item() -> None:
    parsed, diagnostics = parse(HEAD + 'example "a" { given { x 1 } }\nproperty monotone x sideways\n')
    assert parsed is None
    assert [(d.code, d.span.line) for d in diagnostics] == [("PF002", 2), ("PF002", 3)]

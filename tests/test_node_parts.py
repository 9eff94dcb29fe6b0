"""Each rule and expression states its own parts once, and every branch on their kind is
exhaustive (issue #9, items 2 and 3).

The tables below are written from the language, not from the code: a new class in
`ast.Rule` or `ast.Expr` fails here until it is given a row, and every dispatch over the
kinds is called with each of them — and with a kind it has never seen, which must raise
rather than be skipped in silence.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import ClassVar

import attrs
import pytest

from pingfen import ast
from pingfen.check.checker import RuleChecker
from pingfen.check.passes import check
from pingfen.check.soundness import _Analysis, _text
from pingfen.coverage import _rule_items, parts
from pingfen.diagnostics import Span
from pingfen.evaluate import codegen
from pingfen.evaluate.rulegen import IndicatorCode
from pingfen.loader import loads
from pingfen.syntax import formatter
from pingfen.syntax.parser import parse
from pingfen.testing import targets

RULES = typing.get_args(ast.Rule)
EXPRS = typing.get_args(ast.Expr)


def num(v: str) -> ast.Number:
    return ast.Number(Decimal(v), text=v)


def ref(name: str) -> ast.Ref:
    return ast.Ref(ast.Name(name))


P1, P2 = num("1"), num("2")

# Each rule kind with every expression slot filled with `e` and every reason slot with "r".
MAKE: dict[type, Callable[[ast.Expr], ast.Rule]] = {
    ast.DeductStep: lambda e: ast.DeductStep(P1, P1, e, reference=e, reason="r"),
    ast.DeductIf: lambda e: ast.DeductIf(P1, e, reason="r"),
    ast.AwardIf: lambda e: ast.AwardIf(P1, e, reason="r"),
    ast.Bands: lambda e: ast.Bands(
        e, (ast.Band(P1, low=num("0"), low_closed=True, op=">=", reason="r"), ast.Band(P2, is_else=True, reason="r"))
    ),
    ast.WhenChain: lambda e: ast.WhenChain((ast.WhenArm(P1, e, "r"), ast.WhenArm(P2, None, "r"))),
    ast.Match: lambda e: ast.Match(e, (ast.MatchArm(P1, ast.Name("好"), "r"), ast.MatchArm(P2, None, "r"))),
    ast.Judgment: lambda e: ast.Judgment(e.name if isinstance(e, ast.Ref) else None),
    ast.Formula: lambda e: ast.Formula(e),
}

# What each kind is, from the language: its role, how many expressions it reads, how many
# parts may carry a reason, and the fixed points it gives.
SPEC: dict[type, tuple[str, int, int, tuple[Decimal, ...]]] = {
    ast.DeductStep: ("deduction", 2, 1, ()),
    ast.DeductIf: ("deduction", 1, 1, ()),
    ast.AwardIf: ("award", 1, 1, (Decimal(1),)),
    ast.Bands: ("base", 1, 2, (Decimal(1), Decimal(2))),
    ast.WhenChain: ("base", 1, 2, (Decimal(1), Decimal(2))),
    ast.Match: ("base", 1, 2, (Decimal(1), Decimal(2))),
    ast.Judgment: ("base", 0, 0, ()),
    ast.Formula: ("base", 1, 0, ()),
}

# One indicator of each kind, in a rubric that checks clean.
HEAD = """rubric "t" { total 10 }
input x: number >= 0 and <= 100
input ok: bool
input kind: label { 好, 差 }
input judged: score
"""
SOURCE = {
    ast.DeductStep: "deduct 1 per 1 of x above 5 counting whole",
    ast.DeductIf: "deduct 2 if ok",
    ast.AwardIf: "award 10 if ok",
    ast.Bands: "bands x { >= 5 -> 10\n else -> 0 }",
    ast.WhenChain: "when x > 5 -> 10\n else -> 0",
    ast.Match: "match kind { 好 -> 10\n else -> 0 }",
    ast.Judgment: "judgment judged",
    ast.Formula: "score = min(x, 10)",
}
RECORD = {"x": Decimal(7), "ok": True, "kind": "差", "judged": Decimal(4)}

# Each expression kind, with its operands in order.
A, B = ref("a"), ref("b")
EXPR_MAKE: dict[type, tuple[ast.Expr, tuple[ast.Expr, ...]]] = {
    ast.Number: (num("3"), ()),
    ast.Ref: (A, ()),
    ast.Bool: (ast.Bool(True), ()),
    ast.Neg: (ast.Neg(A), (A,)),
    ast.Binary: (ast.Binary("+", A, B), (A, B)),
    ast.Compare: (ast.Compare("<", A, B), (A, B)),
    ast.And: (ast.And(A, B), (A, B)),
    ast.Or: (ast.Or(A, B), (A, B)),
    ast.Not: (ast.Not(A), (A,)),
    ast.Call: (ast.Call("min", (A, B, num("1"))), (A, B, num("1"))),
}


def test_every_kind_has_a_row() -> None:
    for table in (MAKE, SPEC, SOURCE):
        assert set(table) == set(RULES)
    assert set(EXPR_MAKE) == set(EXPRS)


# ---------------------------------------------------------------- the parts of each rule


def _fields(obj: object) -> Iterator[tuple[bool, object]]:
    """Every value inside an attrs node, through tuples and arms but not into expressions,
    each with whether its field is declared to hold expressions (`Expr`, `tuple[Expr, ...]`)."""
    for f in attrs.fields(type(obj)):
        value = getattr(obj, f.name)
        holds_exprs = "Expr" in str(f.type)
        for v in value if isinstance(value, tuple) else (value,):
            yield holds_exprs, v
            if attrs.has(type(v)) and not holds_exprs:
                yield from _fields(v)


def _expressions(obj: object) -> list[object]:
    return [v for holds_exprs, v in _fields(obj) if holds_exprs and v is not None]


@pytest.mark.parametrize("kind", RULES, ids=lambda k: k.__name__)
def test_rule_states_its_parts(kind: type) -> None:
    role, n_exprs, n_reasons, points = SPEC[kind]
    rule = MAKE[kind](ref("x"))
    assert kind.role == role
    # expressions(): every expression anywhere in the rule's fields, found without the method
    found = _expressions(rule)
    assert list(rule.expressions()) == found
    assert len(found) == n_exprs
    # reason_items(): every part that carries a reason
    reasoned = [rule] if "reason" in attrs.fields_dict(kind) else []
    reasoned += [v for _, v in _fields(rule) if attrs.has(type(v)) and "reason" in attrs.fields_dict(type(v))]
    assert list(rule.reason_items()) == reasoned
    assert len(reasoned) == n_reasons
    assert tuple(p.value for p in rule.arm_points()) == points


@pytest.mark.parametrize("kind", RULES, ids=lambda k: k.__name__)
def test_role_and_role_unions_agree(kind: type) -> None:
    unions = {"base": ast.BaseRule, "award": ast.Award, "deduction": ast.Deduction}
    assert kind.role in typing.get_args(ast.Role)
    for role, union in unions.items():
        members = typing.get_args(union) or (union,)
        assert (kind in members) == (kind.role == role)
    rule = MAKE[kind](ref("x"))
    assert [ast.is_base(rule), ast.is_award(rule), ast.is_deduction(rule)] == [
        kind.role == r for r in ("base", "award", "deduction")
    ]
    assert (kind in ast.BASE_RULES) == (kind.role == "base")


@pytest.mark.parametrize("kind", EXPRS, ids=lambda k: k.__name__)
def test_expression_states_its_children(kind: type) -> None:
    e, operands = EXPR_MAKE[kind]
    assert e.children() == operands
    assert _expressions(e) == list(operands)


def test_walk_is_preorder_in_source_order() -> None:
    e = ast.Or(ast.Compare("<", ast.Neg(A), num("1")), ast.Call("abs", (B,)))
    walked = list(ast.walk_expressions(e))
    assert walked == [e, e.left, e.left.left, A, num("1"), e.right, B]
    rule = MAKE[ast.DeductStep](ast.Binary("-", A, B))
    assert [type(x) for x in ast.walk_expressions(*rule.expressions())] == [ast.Binary, ast.Ref, ast.Ref] * 2


def test_walk_does_not_recurse_on_depth() -> None:
    e: ast.Expr = A
    for _ in range(20_000):  # far past the interpreter's recursion limit
        e = ast.Not(e)
    assert sum(1 for _ in ast.walk_expressions(e)) == 20_001


# ---------------------------------------------------------------- every dispatch, every kind


def _indicator(*rules: ast.Rule) -> ast.Indicator:
    return ast.Indicator(ast.Name("甲"), num("10"), rules)


@pytest.mark.parametrize("kind", RULES, ids=lambda k: k.__name__)
def test_checker_reads_the_names_of_every_kind(kind: type) -> None:
    # the checker once had no `else`: a new form's names were never checked
    rule = MAKE[kind](ref("没有"))
    checker = RuleChecker(ast.Module(()))
    checker.check_rule(_indicator(rule), rule)
    assert "PF102" in {d.code for d in checker.out}


@pytest.mark.parametrize("kind", RULES, ids=lambda k: k.__name__)
def test_every_kind_through_the_pipeline(kind: type) -> None:
    text = f"{HEAD}\nindicator A 10 {{\n{SOURCE[kind]}\n}}\n"
    module, diagnostics = parse(text)
    assert module is not None and not diagnostics
    (ind,) = module.top
    assert isinstance(ind, ast.Indicator) and [type(r) for r in ind.rules] == [kind]
    checked = check(module)
    assert checked.ok, checked.diagnostics
    # the formatter writes it back to the same tree
    again, _ = parse(formatter.format_module(module))
    assert again == module
    # scored, and explained
    rubric = loads(text)
    result = rubric.evaluate(RECORD)
    assert 0 <= result["A"].score <= 10
    # its branches are counted, and the test generator reads its thresholds
    (part,) = [p for p in parts(rubric) if p.name == "A"]
    assert part.items
    targets(rubric)
    # soundness gives the range of its score
    analysis = _Analysis(module, checked.units, checked.let_order)
    base, lost_lo, lost_hi = analysis.ranges(ind)
    assert base[0] <= base[1] and lost_lo <= lost_hi
    assert _rule_items(0, ind.rules[0])


@pytest.mark.parametrize("kind", RULES, ids=lambda k: k.__name__)
def test_which_rules_can_score_negative_zero(kind: type) -> None:
    # read or computed points (a judgment's `-0`, a formula's `-x` of 0): the sum keeps its 0
    rule = MAKE[kind](ref("x"))
    assert codegen._may_be_negative_zero(_indicator(rule)) == (kind in (ast.Judgment, ast.Formula))


# ---------------------------------------------------------------- a kind nobody handles


@attrs.frozen
class Veto:
    """A rule form the dispatchers have never seen, with all its parts stated."""

    role: ClassVar[str] = "deduction"
    span: Span = Span.unknown()

    def expressions(self) -> tuple[ast.Expr, ...]:
        return ()

    def reason_items(self) -> tuple[ast.Reasoned, ...]:
        return ()

    def arm_points(self) -> tuple[ast.Number, ...]:
        return ()


@attrs.frozen
class Nothing:
    """An expression kind the dispatchers have never seen."""

    span: Span = Span.unknown()

    def children(self) -> tuple[ast.Expr, ...]:
        return ()


def _generator() -> codegen._Generator:
    module = ast.Module(())
    return codegen._Generator(module, check(module), "", (), ())


UNKNOWN_RULE: dict[str, Callable[[typing.Any], object]] = {
    "checker.check_rule": lambda r: RuleChecker(ast.Module(())).check_rule(_indicator(r), r),
    "soundness.ranges": lambda r: _Analysis(ast.Module(()), {}, []).ranges(_indicator(r)),
    "coverage._rule_items": lambda r: _rule_items(0, r),
    "rulegen.base": lambda r: IndicatorCode(_generator(), _indicator(r), 0).base(r),
    "rulegen.deduction": lambda r: IndicatorCode(_generator(), _indicator(r), 0).deduction(r),
    "formatter.rule": lambda r: formatter._Printer(None, ()).rule(r, 0),
}

UNKNOWN_EXPR: dict[str, Callable[[typing.Any], object]] = {
    "checker.unit_of": lambda e: RuleChecker(ast.Module(())).unit_of(e),
    "soundness.interval": lambda e: _Analysis(ast.Module(()), {}, []).interval(e),
    "soundness.condition": lambda e: _Analysis(ast.Module(()), {}, []).condition(e),
    "soundness._text": lambda e: _text(e),
    "codegen.expr": lambda e: _generator().expr(e, "甲"),
    "formatter._expr": lambda e: formatter._expr(e),
    "formatter._prec": lambda e: formatter._prec(e),
}


@pytest.mark.parametrize("site", UNKNOWN_RULE)
def test_an_unknown_rule_kind_is_never_skipped(site: str) -> None:
    with pytest.raises(AssertionError):
        UNKNOWN_RULE[site](Veto())


@pytest.mark.parametrize("site", UNKNOWN_EXPR)
def test_an_unknown_expression_kind_is_never_skipped(site: str) -> None:
    with pytest.raises(AssertionError):
        UNKNOWN_EXPR[site](Nothing())


@pytest.mark.parametrize("kind", EXPRS, ids=lambda k: k.__name__)
@pytest.mark.parametrize("site", ["soundness.interval", "soundness.condition", "soundness._text",
                                  "formatter._expr", "formatter._prec"])  # fmt: skip
def test_every_expression_kind_is_handled(site: str, kind: type) -> None:
    UNKNOWN_EXPR[site](EXPR_MAKE[kind][0])  # no AssertionError

"""Each rule and expression states its own parts once, and every branch on their kind is
exhaustive (issue #9, items 2 and 3); what is a part of a rule (its coverage branches, its
thresholds) is stated on the rule, so a new form is named by mypy in few files (item 8).

The tables below are written from the language, not from the code: a new class in
`ast.Rule` or `ast.Expr` fails here until it is given a row, and every dispatch over the
kinds is called with each of them — and with a kind it has never seen, which must raise
rather than be skipped in silence.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import attrs
import pytest

from pingfen import ast
from pingfen.check.checker import RuleChecker
from pingfen.check.passes import check
from pingfen.check.soundness import _Analysis, _text
from pingfen.coverage import _STATUS, _rule_items, parts, trace
from pingfen.diagnostics import Span
from pingfen.evaluate import codegen
from pingfen.evaluate.rulegen import IndicatorCode
from pingfen.loader import loads
from pingfen.syntax import formatter
from pingfen.syntax.parser import parse
from pingfen.testing import Target, targets

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
    ast.IfElse: (ast.IfElse(ast.Compare("<", A, B), A, B), (ast.Compare("<", A, B), A, B)),
    ast.Round: (ast.Round(A, num("2")), (A,)),
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


# ---------------------------------------------------------------- branches and thresholds

# What coverage counts for each kind made by MAKE with `x`, from the language: each branch's
# key among the walker's events (the rule being number 0), its text, its status; and where
# its score may change inside an indicator of max 10 (what, value, at; at None: a condition).
X = ref("x")
BRANCHES: dict[type, list[tuple[tuple[object, ...], str, str | None]]] = {
    ast.DeductStep: [(("within", 0), "deduct 1 per 1 of x above x", "within"),
                     (("over", 0), "deduct 1 per 1 of x above x", "over")],
    ast.DeductIf: [(("triggered", 0), "deduct 1 if x", "triggered"),
                   (("not triggered", 0), "deduct 1 if x", "not triggered")],
    ast.AwardIf: [(("held", 0), "award 1 if x", "held"), (("missed", 0), "award 1 if x", "missed")],
    ast.Bands: [(("band", 0, 0), ">= 0 -> 1", None), (("band", 0, 1), "else -> 2", None)],
    ast.WhenChain: [(("arm", 0, 0), "when x -> 1", None), (("arm", 0, 1), "else -> 2", None)],
    ast.Match: [(("arm", 0, 0), "好 -> 1", None), (("arm", 0, 1), "else -> 2", None)],
    ast.Judgment: [(("judged", 0), "judgment", None)],
    ast.Formula: [(("formula", 0), "score = x", None)],
}  # fmt: skip
THRESHOLDS: dict[type, list[tuple[str, ast.Expr, Decimal | None]]] = {
    # a reference that is computed: the difference reaches 0, one step past it, all 10 points taken
    ast.DeductStep: [("deduction", ast.Binary("-", X, X), Decimal(at)) for at in (0, 1, 10)],
    ast.DeductIf: [("checklist", X, None)],
    ast.AwardIf: [("checklist", X, None)],
    ast.Bands: [("band", X, Decimal(0))],
    ast.WhenChain: [("when arm", X, None)],
    ast.Match: [],
    ast.Judgment: [],
    ast.Formula: [],
}


def test_every_kind_has_its_branches_and_thresholds() -> None:
    assert set(BRANCHES) == set(THRESHOLDS) == set(RULES)


@pytest.mark.parametrize("kind", RULES, ids=lambda k: k.__name__)
def test_rule_states_its_branches(kind: type) -> None:
    rule = MAKE[kind](X)
    items = _rule_items(0, rule)
    assert [(it.key, it.text, it.status) for it in items] == BRANCHES[kind]
    assert all(it.status in _STATUS for it in items if it.status is not None)  # worded in both languages


@pytest.mark.parametrize("kind", RULES, ids=lambda k: k.__name__)
def test_rule_states_its_thresholds(kind: type) -> None:
    rule = MAKE[kind](X)
    assert [(t.what, t.value, t.at) for t in rule.thresholds(Decimal(10))] == THRESHOLDS[kind]


def test_every_status_is_worded() -> None:
    assert set(typing.get_args(ast.Status)) == set(_STATUS) - {"clamped"}


def test_step_thresholds_by_direction() -> None:
    # a constant reference is sat on directly; `from` gives both sides; a rate of 0 takes nothing
    five = num("5")
    above = ast.DeductStep(num("0.5"), num("0.1"), X, "above", five)
    assert [t.at for t in above.thresholds(Decimal(5))] == [5, Decimal("5.1"), 6]  # 5 points at 0.5 per 0.1: all gone 1 over
    assert {t.value for t in above.thresholds(Decimal(5))} == {X}
    below = ast.DeductStep(num("2"), P1, X, "below", five)
    assert [t.at for t in below.thresholds(Decimal(5))] == [5, 4, Decimal("2.5")]
    both = ast.DeductStep(num("0"), P1, X, "from", five)
    assert [t.at for t in both.thresholds(Decimal(5))] == [5, 6, 4]
    counted = ast.DeductStep(P1, P1, X)  # `deduct 1 per x`: from 0, upwards
    assert [t.at for t in counted.thresholds(Decimal(3))] == [0, 1, 3]


@pytest.mark.parametrize("kind", RULES, ids=lambda k: k.__name__)
def test_branch_keys_are_the_walkers_events(kind: type) -> None:
    # a branch whose key the walker never reports would be counted as never taken
    rubric = loads(f"{HEAD}\nindicator A 10 {{\n{SOURCE[kind]}\n}}\n")
    (part,) = [p for p in parts(rubric) if p.name == "A"]
    keys = {it.key for it in part.items}
    taken = {key for name, key in trace(rubric, RECORD)[1] if name == "A"}
    assert taken and taken <= keys


def test_thresholds_reach_the_test_generator() -> None:
    rubric = loads(f"{HEAD}\nindicator A 10 {{\n{SOURCE[ast.DeductStep]}\nwhen x > 50 -> 10\n else -> 0\n}}\n")
    found = {(t.what, t.value, t.at) for t in targets(rubric)}
    step = {("deduction of A", X, Decimal(at)) for at in (5, 6, 15)}
    assert step | {("when arm of A", X, Decimal(50))} <= found
    assert all(isinstance(t, Target) for t in targets(rubric))


def test_a_new_kind_with_its_parts_needs_no_change_in_coverage_or_testing() -> None:
    # coverage and the test generators read a rule's parts, they do not branch on its kind
    items = _rule_items(3, Veto())
    assert [(it.key, it.text, it.status) for it in items] == [(("over", 3), "veto x", "over")]
    assert Veto().thresholds(Decimal(1))[0].value == X


# The files mypy names when a class joins a rule union, besides ast.py itself
# (docs/architecture.md, "Adding a rule form", step 4, lists the same).
NAMED_BY_MYPY = {
    "check/checker.py", "check/soundness.py", "evaluate/rulegen.py", "evaluate/walker.py", "syntax/formatter.py",
    "report/criteria.py",  # a base rule's 评分标准 in the published table (`pingfen render`)
    "sql/compiler.py",  # the rule in SQL (`pingfen sql`): compiled exactly, or refused (SqlRefusal)
}  # fmt: skip
ALWAYS = {"ast.py", "syntax/parser.py", "reasons.py"}  # the node, its parse, its reasons' words
DUMMY = '''
@frozen
class Dummy{n}:
    role: ClassVar[Role] = "{role}"
    span: Span = _span()

    def switch(self) -> Expr | None:
        return None

    def expressions(self) -> tuple[Expr, ...]:
        return ()

    def reason_items(self) -> tuple[Reasoned, ...]:
        return ()

    def arm_points(self) -> tuple[Number, ...]:
        return ()

    def branches(self) -> tuple[Branch, ...]:
        return ()

    def thresholds(self, top: Decimal) -> tuple[Threshold, ...]:
        return ()

'''


def test_a_new_form_is_named_by_mypy_in_few_files(tmp_path: Path) -> None:
    # the experiment of issue #9 item 8, redone on every run: one new class in each role union
    root = Path(__file__).resolve().parents[1]
    copy = tmp_path / "pingfen"
    shutil.copytree(root / "src" / "pingfen", copy, ignore=shutil.ignore_patterns("__pycache__"))
    text = (copy / "ast.py").read_text(encoding="utf-8")
    marker = "# The rules by role, and all of them"
    unions = {"BaseRule": "base", "Award": "award", "Deduction": "deduction"}
    assert marker in text
    text = text.replace(marker, "".join(DUMMY.format(n=n, role=r) for n, r in enumerate(unions.values())) + marker)
    for n, union in enumerate(unions):
        text, found = re.subn(rf"^({union}: TypeAlias = .*)$", rf"\1 | Dummy{n}", text, count=1, flags=re.M)
        assert found == 1
    (copy / "ast.py").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), "pingfen"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    named = {m.removeprefix("pingfen/") for m in re.findall(r"^(pingfen/[\w/]+\.py):\d+: error", done.stdout, re.M)}
    assert named == NAMED_BY_MYPY, done.stdout[-4000:]
    assert len(named | ALWAYS) <= 10
    checklist = (root / "docs" / "architecture.md").read_text(encoding="utf-8").split("\n4. ", 1)[1].split("\n5. ")[0]
    assert {f for f in re.findall(r"`([\w/]+\.py)`", checklist) if not f.startswith("tests/")} == NAMED_BY_MYPY


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
    assert all(t.what.endswith(" of A") for t in targets(rubric) if t.what != "domain of x")
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

    def switch(self) -> ast.Expr | None:
        return None

    def expressions(self) -> tuple[ast.Expr, ...]:
        return ()

    def reason_items(self) -> tuple[ast.Reasoned, ...]:
        return ()

    def arm_points(self) -> tuple[ast.Number, ...]:
        return ()

    def branches(self) -> tuple[ast.Branch, ...]:
        return (ast.Branch("over", ("veto ", X), self.span, status=True),)

    def thresholds(self, top: Decimal) -> tuple[ast.Threshold, ...]:
        return (ast.Threshold("veto", X),)


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

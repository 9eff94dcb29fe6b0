"""`pingfen fuzz`: test a rubric over generated records for what must hold of every rubric,
and for the properties its author declared.

Every record drawn lies in the declared domains (pingfen.testing: boundary records first,
then records drawn across the domains). For each one:

- domain: the record is scored, not refused (no band or arm missing, no zero divisor);
- crash: scoring raises nothing but a refusal;
- range: every group and indicator scores within [0, its max];
- sums: a group scores the sum of its parts, the raw total the sum of the top groups; where
  parts are 不适用 and left out (`else rescale`), that sum × max ÷ the maxima that apply;
- rounding: the total is the raw total rounded as the header says;
- grade: the grade is the first whose threshold the rounded total meets (and there is one);
  with vetoes and grades' own conditions, the one the rubric's words give (a forced grade,
  else the first not barred whose threshold and condition hold), each condition read from
  the record apart from the evaluators' grade step, and both evaluators are held to it;
- each `property NODE OP N when COND`: on every record where COND holds;
- each `property monotone INPUT increasing|decreasing [for NODE]`: raising the input from
  one value of its domain to another never lowers (never raises) the score.

A failure is shrunk by hypothesis to a small record and reported once per check, with
the record written as YAML that `pingfen eval` accepts. A given seed gives the same run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import field, frozen
from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from pingfen import ast
from pingfen.diagnostics import Diagnostic
from pingfen.display import digits, plain
from pingfen.errors import DataError, PingfenError
from pingfen.evaluate.rubric import Rubric
from pingfen.lang import Lang, checked
from pingfen.result import NodeResult, Result
from pingfen.syntax.formatter import expr as show_expr
from pingfen.syntax.formatter import name as show_name
from pingfen.syntax.formatter import number as show_number
from pingfen.syntax.formatter import string as show_string
from pingfen.testing import (
    NOT_APPLICABLE_TEXT,
    STEPS,
    boundary_inputs,
    boundary_records,
    boundary_values,
    crossing,
    from_grid,
    input_values,
    inputs,
    reads_marked,
    to_grid,
)
from pingfen.values import COMPARE, CONTEXT, calendar_day, pinned, rounded, total_rounding

DEFAULT_MAX_EXAMPLES = 200

_CHECKS: dict[str, tuple[str, str]] = {
    "domain": ("every record in the declared domains is scored", "取值范围内的每条记录都能评分"),
    "crash": ("scoring never fails on a record in the declared domains", "评分过程不会出错"),
    "range": ("every group and indicator scores within [0, its max]", "每个分组和指标的得分都在 0 与分值之间"),
    "sums": ("each group scores the sum of its parts; the total, the sum of the top groups (re-scaled where 不适用)",
             "分组得分等于下级得分之和，总分等于一级指标得分之和（有不适用项时按适用分值折算）"),
    "rounding": ("the total is the raw total rounded as the rubric says", "总分按评分表规定的方式舍入"),
    "grade": ("each total gets the grade its thresholds give", "每个总分都得到分数线规定的评价等次"),
}  # fmt: skip


class Violation(PingfenError):
    """A check failed on a record; `records` reproduce it (two for a monotone property).
    The message is given in English and in Chinese; `expect` is what the check holds as an
    example's expectation (`expect 重点支出安排率 = 5`), None where none says it."""

    def __init__(
        self, check: str, message: str, records: Sequence[Mapping[str, object]], zh: str = "", expect: str | None = None
    ) -> None:
        super().__init__(message)
        self.check = check
        self.message = message
        self.zh = zh or message
        self.records = tuple(dict(r) for r in records)
        self.expect = expect


@frozen
class Failure:
    """A check that failed, why, and the shrunk records that show it; `where` is the check's
    name, or the line of the property that failed."""

    check: str
    title: str
    message: str
    records: tuple[dict[str, object], ...]
    where: str = ""
    expect: str | None = None  # the check as an example's `expect` line, where one says it


@frozen
class FuzzReport:
    """What `fuzz` found: failures, and the checker's findings it ran despite."""

    rubric: Rubric
    checks: tuple[str, ...]
    failures: tuple[Failure, ...]
    seed: int
    max_examples: int
    findings: tuple[Diagnostic, ...] = field(factory=tuple)

    @property
    def passed(self) -> bool:
        return not self.failures


# ---------------------------------------------------------------- checks


def _grade_of(rubric: Rubric, total: Decimal) -> str | None:
    header = rubric.module.header
    assert header is not None
    for grade in header.grades:
        if grade.op is None or grade.threshold is None:
            return grade.name.text
        t = grade.threshold.value
        if (grade.op == ">=" and total >= t) or (grade.op == ">" and total > t):
            return grade.name.text
    return None


@frozen
class _Decided:
    """What decides the grade besides the total, read from the record apart from either
    evaluator's grade step: the vetoes that hold and the grades whose conditions hold."""

    fired: tuple[ast.Veto, ...]
    holds: tuple[bool, ...]


def _decided(rubric: Rubric, record: Mapping[str, object]) -> _Decided | None:
    """Each veto's and each grade's condition, read on its own (None if the record is refused)."""
    header = rubric.module.header
    assert header is not None
    walker, values = rubric.walker(), rubric.coerce(record, ratios=True)
    try:
        fired = tuple(v for v in rubric.module.vetoes if walker.expression(v.condition, values))
        holds = tuple(g.condition is None or bool(walker.expression(g.condition, values)) for g in header.grades)
    except DataError:
        return None
    return _Decided(fired, holds)


def expected_grade(grades: Sequence[ast.Grade], total: Decimal, decided: _Decided) -> str | None:
    """The grade the rubric's words give: a veto's forced grade (the first that holds); else
    the first grade, below each grade a `below` veto bars and every grade above it, whose
    threshold the total meets and whose own condition holds."""
    for veto in decided.fired:
        if veto.action == "grade" and veto.grade is not None:
            return veto.grade.text
    names = [g.name.text for g in grades]
    barred = {veto.grade.text for veto in decided.fired if veto.action == "below" and veto.grade is not None}
    lowest_barred = max((names.index(name) for name in barred if name in names), default=-1)
    for i, (grade, ok) in enumerate(zip(grades, decided.holds, strict=True)):
        if i <= lowest_barred or not ok:
            continue
        if grade.op is None or grade.threshold is None or COMPARE[grade.op](total, grade.threshold.value):
            return grade.name.text
    return None


def _check_grade(rubric: Rubric, record: Mapping[str, object], result: Result, decided: _Decided, who: str) -> None:
    """The grade `result` (from the evaluator `who`) has, and the vetoes it lists, against the
    rubric's words given the conditions that hold."""
    header = rubric.module.header
    assert header is not None
    want = expected_grade(header.grades, result.total, decided)
    listed = [v.name for v in result.vetoes()]
    held = [v.name.text for v in decided.fired]
    if result.grade != want or result.grade is None or listed != held:
        wrong = want is not None and result.grade != want  # else the grade is right and the vetoes listed are not
        raise Violation("grade", f"a total of {result.total} gets grade {result.grade or '—'}"
                        + (f", not {want}" if wrong else "") + f" ({who}; vetoes that hold: {', '.join(held) or '—'};"
                        f" vetoes listed: {', '.join(listed) or '—'})", [record],
                        f"总分 {result.total} 的评价等次为 {result.grade or '—'}" + (f"，应为 {want}" if wrong else "")
                        + f"（{'生成代码' if who == 'compiled' else '解释器'}；成立的否决项：{'、'.join(held) or '—'}；"
                        f"列出的否决项：{'、'.join(listed) or '—'}）",
                        # the grade said as an expectation only when it is what is wrong: a wrong
                        # veto list beside the right grade would paste as an example that passes
                        _expect_grade(want) if result.grade != want else None)  # fmt: skip


def _score(rubric: Rubric, record: Mapping[str, object], check: str) -> Result:
    try:
        return rubric.evaluate(record, ratios=True)
    except DataError as error:
        raise Violation("domain", error.describe("en"), [record], error.describe("zh")) from None
    except Exception as error:  # noqa: BLE001 - a crash is exactly what this looks for
        crash = f"{type(error).__name__}: {error}"
        raise Violation("crash", crash, [record], f"评分出错：{crash}") from None


def dropped(node: NodeResult) -> bool:
    """Whether a row drops out of its parent's sum: 不适用 and counted as `rescale`, or a
    group all of whose parts dropped out."""
    if node.applies:
        return False
    for reason in node.explanations:
        if reason.kind == "not_applicable":
            return reason.params["mode"] == "rescale"
    return node.is_group and bool(node.children) and all(dropped(c) for c in node.children)


def level_sum(parts: Sequence[NodeResult], top: Decimal) -> Decimal | None:
    """What a level's parts add up to: their sum, or, when some drop out (不适用, rescale),
    the sum re-scaled to the parts that apply (× top ÷ their maxima); None when all drop out."""
    raw = sum((c.score for c in parts), Decimal(0))
    if not any(dropped(c) for c in parts):
        return raw
    applicable = sum((Decimal(0) if dropped(c) else c.max for c in parts), Decimal(0))
    if not applicable:
        return None
    return CONTEXT.divide(CONTEXT.multiply(raw, top), applicable)


def group_score(parts: Decimal, top: Decimal, group: ast.Group | None) -> Decimal:
    """A group's score from what its parts add up to: clamped to [0, top], then rounded where
    the group says `round N` (parent = round(sum of its parts))."""
    score = min(max(parts, Decimal(0)), top)
    if group is None or group.round_places is None:
        return score
    quantum, rounding = total_rounding(group.round_places.value, group.round_mode)
    return rounded(score, quantum, rounding)


def _invariants(rubric: Rubric, record: Mapping[str, object], result: Result, active: set[str]) -> None:
    header = rubric.module.header
    assert header is not None
    graded = bool(rubric.module.vetoes) or any(g.condition for g in header.grades)
    decided = _decided(rubric, record) if graded and active & {"sums", "grade"} else None
    if "range" in active:
        lows = dict(rubric.module.lows)  # 加减分项: in [low, max], signed
        for node in result.nodes():
            low = lows.get(node.name, Decimal(0))
            if not low <= node.score <= node.max:
                raise Violation("range", f"`{node.name}` scores {node.score}, outside [{low}, {node.max}]", [record],
                                f"`{node.name}` 得 {node.score} 分，不在 {low} 与 {node.max} 之间")  # fmt: skip
    if "sums" in active:
        rounds = {g.name.text: g for g, _ in ast.walk_nodes(rubric.module.top) if isinstance(g, ast.Group) and g.round_places}
        for node in result.nodes():
            if node.is_group and node.applies:  # one that does not apply counts as its mode says
                parts = level_sum(node.children, node.max)
                if parts is None or node.score != (want := group_score(parts, node.max, rounds.get(node.name))):
                    expect = None if parts is None else f"expect {show_name(node.name)} = {plain(want)}"
                    raise Violation("sums", f"`{node.name}` scores {node.score}, its parts add up to {parts}",
                                    [record], f"`{node.name}` 得 {node.score} 分，下级得分之和为 {parts}", expect)  # fmt: skip
        top = level_sum(result.children, result.max)
        if top is not None and result.outside():  # 加分项 and 扣分项: counted after the tree, in [0, cap]
            top = max(top + sum((line.points for line in result.outside()), Decimal(0)), Decimal(0))
            top = min(top, header.cap.value) if header.cap is not None else top
        # 一票否决: the total is 0 — where a veto holds as read apart from the evaluator
        actions = [v.action for v in decided.fired] if decided is not None else [v.action for v in result.vetoes()]
        if "zero" in actions:
            top = Decimal(0)
        if result.raw_total != top:
            raise Violation("sums", f"the raw total is {result.raw_total}, the top groups add up to {top}", [record],
                            f"未舍入的总分为 {result.raw_total}，一级指标得分之和为 {top}")  # fmt: skip
    if "rounding" in active:
        places = header.round_places.value if header.round_places else None
        quantum, rounding = total_rounding(places, header.round_mode)
        expected = rounded(result.raw_total, quantum, rounding)
        if result.total != expected:
            raise Violation("rounding", f"the raw total {result.raw_total} is shown as {result.total}, not {expected}",
                            [record], f"总分 {result.raw_total} 舍入为 {result.total}，应为 {expected}",
                            f"expect total = {plain(expected)}")  # fmt: skip
    if "grade" in active and header.grades and graded:
        if decided is not None:  # vetoes and conditions: both evaluators, each against the rubric's words
            _check_grade(rubric, record, result, decided, "compiled")
            _check_grade(rubric, record, rubric.walker().evaluate(rubric.coerce(record, ratios=True)), decided, "walker")
    elif "grade" in active and header.grades:
        expected_grade = _grade_of(rubric, result.total)
        if result.grade != expected_grade or result.grade is None:
            raise Violation("grade", f"a total of {result.total} gets grade {result.grade or '—'}"
                            + (f", not {expected_grade}" if expected_grade else ""), [record],
                            f"总分 {result.total} 的评价等次为 {result.grade or '—'}"
                            + (f"，应为 {expected_grade}" if expected_grade else ""), _expect_grade(expected_grade))  # fmt: skip


def _expect_grade(grade: str | None) -> str | None:
    """The grade check as an expectation: none when the check finds no grade the total should get."""
    return None if grade is None else f"expect grade = {show_name(grade)}"


def _node_score(result: Result, target: ast.Name | None) -> Decimal:
    return result.raw_total if target is None else result.score(target.text)


def _target_text(target: ast.Name | None) -> str:
    return "the total" if target is None else f"`{target.text}`"


def property_text(prop: ast.Property) -> str:
    """A property as written in the rubric (canonical form)."""
    if isinstance(prop, ast.Monotone):
        target = f" for {show_name(prop.target)}" if prop.target is not None else ""
        return f"property monotone {show_name(prop.input)} {prop.direction}{target}"
    target = "total" if prop.target is None else show_name(prop.target)
    when = f" when {show_expr(prop.condition)}" if prop.condition is not None else ""
    return f"property {target} {prop.op} {show_number(prop.value)}{when}"


def _claim(rubric: Rubric, record: Mapping[str, object], result: Result, prop: ast.Claim, key: str) -> None:
    if prop.condition is not None:
        try:
            values = rubric.coerce(record, ratios=True)
            # a condition on an input the record marks 不适用 is not checked there: a marked value
            # has no truth and no order (a yes/no one read as true, `!=` holding), so any answer
            # would be a guess, and a failure reported from it a false one
            if reads_marked(rubric, prop.condition, values):
                return
            holds = rubric.walker().expression(prop.condition, values)
        except DataError:
            return
        if not holds:
            return
    score = result.total if prop.target is None else result.score(prop.target.text)
    if not COMPARE[prop.op](score, prop.value.value):
        zh = "总分" if prop.target is None else f"`{prop.target.text}`"
        # `expect` says `=` alone; `>= 90` and the like stay a comment
        expect = f"expect {'total' if prop.target is None else show_name(prop.target)} = {show_number(prop.value)}"
        raise Violation(key, f"{_target_text(prop.target)} scores {score}", [record], f"{zh} 得 {score} 分",
                        expect if prop.op == "=" else None)  # fmt: skip


def _monotone(
    rubric: Rubric, record: Mapping[str, object], result: Result, alternative: object, prop: ast.Monotone, key: str
) -> None:
    name = prop.input.text
    value = record[name]
    if value == alternative or value == NOT_APPLICABLE_TEXT:  # 不适用 is no value to raise
        return
    other = {**record, name: alternative}
    moved = _score(rubric, other, key)
    if value < alternative:  # type: ignore[operator]  # both are the same input's values: numbers of one unit
        (low, before), (high, after) = (dict(record), result), (other, moved)
    else:
        (low, before), (high, after) = (other, moved), (dict(record), result)
    was, now = _node_score(before, prop.target), _node_score(after, prop.target)
    if now < was if prop.direction == "increasing" else now > was:
        target = "总分" if prop.target is None else f"`{prop.target.text}`"
        kind = rubric_kind(rubric, name)
        lowest, highest = _show(low[name], kind), _show(high[name], kind)
        (was_en, was_zh), (now_en, now_zh) = _score_shown(before, was, prop.target), _score_shown(after, now, prop.target)
        raise Violation(
            key,
            f"raising `{name}` from {lowest} to {highest} {'lowers' if now < was else 'raises'} "
            f"{_target_text(prop.target)} from {was_en} to {now_en}",
            [low, high],
            f"`{name}` 从 {lowest} 提高到 {highest}，{target}从 {was_zh}{'降' if now < was else '升'}到 {now_zh}",
        )


def rubric_kind(rubric: Rubric, name: str) -> str | None:
    """The declared type of input `name`, None when there is no such input."""
    return next((s.type for s in rubric.inputs if s.name == name), None)


def _score_shown(result: Result, score: Decimal, target: ast.Name | None) -> tuple[str, str]:
    """A score as `eval` shows it (en, zh): a total rounded as the rubric rounds it, the
    unrounded sum beside it when the two differ (the check compares the sums)."""
    if target is not None:
        return plain(score), f"{plain(score)} 分"
    shown = digits(result.total)
    if result.total == score:
        return shown, f"{shown} 分"
    return f"{shown} ({plain(score)} before rounding)", f"{shown} 分（取整前 {plain(score)} 分）"


def _show(value: object, kind: str | None = None) -> str:
    """A value as the user writes it in a record: a percent as `100.01%`, a date as `2020-01-01`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):  # a panel's scores, as its text writes them: `8、9、7.5` (not Python's repr)
        return "、".join(_show(v, kind) for v in value)
    if kind == "percent" and isinstance(value, Decimal):
        return f"{plain(value * 100)}%"
    if kind == "date" and isinstance(value, (Decimal, int)):
        return calendar_day(Decimal(value)).isoformat()
    return plain(value) if isinstance(value, Decimal) else str(value)


# ---------------------------------------------------------------- the search


def _keys(rubric: Rubric) -> dict[str, str]:
    """Every check's key → its title (en)."""
    keys = {k: v[0] for k, v in _CHECKS.items()}
    for i, prop in enumerate(rubric.module.properties):
        keys[f"property {i}"] = property_text(prop)
    return keys


def _strategy(rubric: Rubric, boundary: bool) -> st.SearchStrategy[tuple[dict[str, object], dict[str, object]]]:
    """A record, and for each monotone property's input another value of that input."""
    specs = {s.name: s for s in rubric.inputs}
    points = boundary_values(rubric) if boundary else {}
    others: dict[str, st.SearchStrategy[object]] = {}
    for prop in rubric.module.properties:
        if isinstance(prop, ast.Monotone) and prop.input.text in specs:
            spec = specs[prop.input.text]
            near = points.get(spec.name)
            values = input_values(spec)
            others[spec.name] = st.one_of(st.sampled_from(near), values) if near else values
    records = boundary_inputs(rubric) if boundary else inputs(rubric)
    return st.tuples(records, st.fixed_dictionaries(others))


def _search(
    rubric: Rubric, strategy: st.SearchStrategy[Any], active: set[str], max_examples: int, seed_value: int,
    explicit: Sequence[dict[str, object]] = (),
) -> Violation | None:
    props = [(f"property {i}", p) for i, p in enumerate(rubric.module.properties) if f"property {i}" in active]
    last: list[Violation] = []

    def check(drawn: tuple[dict[str, object], dict[str, object]]) -> None:
        record, others = drawn
        try:
            if "domain" in active or "crash" in active:
                result = _score(rubric, record, "domain")
            else:
                try:
                    result = rubric.evaluate(record, ratios=True)
                except Exception:  # noqa: BLE001 - reported by the domain check, already failed
                    return
            _invariants(rubric, record, result, active)
            for key, prop in props:
                if isinstance(prop, ast.Claim):
                    _claim(rubric, record, result, prop, key)
                elif prop.input.text in others:
                    _monotone(rubric, record, result, others[prop.input.text], prop, key)
        except Violation as violation:
            if violation.check not in active:  # e.g. a refusal met while checking a property
                return
            last.append(violation)
            raise

    search = settings(
        max_examples=max_examples, database=None, deadline=None, derandomize=False, print_blob=False,
        report_multiple_bugs=False, verbosity=Verbosity.quiet, suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
    )(seed(seed_value)(given(strategy)(check)))  # fmt: skip
    try:
        search()
    except Violation:
        return last[-1]  # hypothesis replays the shrunk example last
    except HypothesisException:  # pragma: no cover - e.g. an unsatisfiable strategy
        return None
    # Then every threshold, without chance (testing.boundary_records): what the draws missed
    # (9 of 10 is 90% only where the divisor is round) is not missed, whatever the seed.
    for record in explicit:
        try:
            check((record, {}))
        except Violation:
            return last[-1]
    return None


@pinned  # records are drawn, scored and checked in pingfen's decimal context, whatever the caller's
def fuzz(
    rubric: Rubric,
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    seed: int = 0,
    findings: Sequence[Diagnostic] = (),
    lang: Lang = "en",
) -> FuzzReport:
    """Search for records that break a check: boundary records first, then records drawn
    across the domains; each failed check is reported once, with its shrunk records."""
    titles = _keys(rubric)
    if lang == "zh":
        titles.update({k: v[1] for k, v in _CHECKS.items()})
    active = set(titles)
    failures: list[Failure] = []
    at_thresholds = boundary_records(rubric)
    for n, boundary in enumerate((True, False)):
        strategy = _strategy(rubric, boundary)
        while active:
            violation = _search(rubric, strategy, active, max_examples, seed * 2 + n, at_thresholds if boundary else ())
            if violation is None:
                break
            active.discard(violation.check)
            violation = _tighten(rubric, violation)
            where = violation.check
            if where.startswith("property "):
                prop = rubric.module.properties[int(where.split()[1])]
                where = (f"第 {prop.span.line} 行" if lang == "zh" else f"line {prop.span.line}") if prop.span.known else where
            message = violation.zh if lang == "zh" else violation.message
            failures.append(
                Failure(violation.check, titles[violation.check], message, violation.records, where, violation.expect)
            )
    return FuzzReport(rubric, tuple(titles), tuple(failures), seed, max_examples, tuple(findings))


def _tighten(rubric: Rubric, violation: Violation) -> Violation:
    """For a monotone property broken between two values of a numeric input, the two
    neighbouring values (one data step apart) between them where it breaks, found by
    bisection; hypothesis shrinks each value towards simple ones, not towards each other."""
    if not violation.check.startswith("property ") or len(violation.records) != 2:
        return violation
    prop = rubric.module.properties[int(violation.check.split()[1])]
    assert isinstance(prop, ast.Monotone)
    spec = next(s for s in rubric.inputs if s.name == prop.input.text)
    if spec.type not in STEPS or spec.is_list:
        return violation
    low, high = violation.records
    a, b = to_grid(spec, low[spec.name]), to_grid(spec, high[spec.name])

    def score(n: int) -> Decimal | None:
        try:
            return _node_score(rubric.evaluate({**low, spec.name: from_grid(spec, n)}, ratios=True), prop.target)
        except DataError:
            return None

    start = score(a)
    if start is None:
        return violation
    def worse(v: Decimal) -> bool:
        return v < start if prop.direction == "increasing" else v > start

    c = crossing(a, b, lambda n: None if (v := score(n)) is None else worse(v))
    if c is None:
        return violation
    try:
        _monotone(rubric, {**low, spec.name: from_grid(spec, c - 1)}, rubric.evaluate({**low, spec.name:
                  from_grid(spec, c - 1)}, ratios=True), from_grid(spec, c), prop, violation.check)  # fmt: skip
    except Violation as tighter:
        return tighter
    return violation


# ---------------------------------------------------------------- counterexamples as data


# A key left plain must read back as itself: not one YAML reads as a number (`01`, `1_000`,
# `+1`, `.5`) or as a merge or value key (`<<`, `=`), whose first character says so.
# Nor one with a control character or a line break YAML reads as one (NEL, U+2028, U+2029): a
# name may hold them inside backticks, and a plain key with a tab in it was no YAML at all.
_PLAIN_KEY = re.compile(
    r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9+.<=~][^:#\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]*[^\s:]$"
    r"|^[^\s\-?:,\[\]{}#&*!|>'\"%@`:#0-9+.<=~\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]$"
)
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
# In a double-quoted YAML text these are line breaks (folded to a space): written as escapes
_YAML_BREAKS = str.maketrans({"\x85": "\\x85", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _yaml_quoted(text: str) -> str:
    """`text` as a double-quoted YAML scalar that reads back as itself (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False).translate(_YAML_BREAKS)


@pinned
def to_yaml(record: Mapping[str, object], rubric: Rubric, comment: str | None = None) -> str:
    """A record as a YAML data file: percents as `"95%"`, exact decimals, labels quoted."""
    specs = {s.name: s for s in rubric.inputs}
    lines = [f"# {line}" for line in (comment or "").splitlines()]
    for name, value in record.items():
        spec = specs.get(name)
        key = (
            name if _PLAIN_KEY.match(name) and name.lower() not in _YAML_WORDS else _yaml_quoted(name)
        )
        lines.append(f"{key}: {_yaml_value(value, spec.type if spec else None)}")
    return "\n".join(lines) + "\n"


def _yaml_value(value: object, kind: str | None) -> str:
    if isinstance(value, (list, tuple)):  # a panel's scores
        return "[" + ", ".join(_yaml_value(v, kind) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind == "percent" and isinstance(value, Decimal):
        return json.dumps(plain(value * 100) + "%")
    if kind == "date" and isinstance(value, (Decimal, int)):  # a day number: written as the date it is
        return json.dumps(calendar_day(Decimal(value)).isoformat())
    if isinstance(value, (Decimal, int)):
        return plain(value) if isinstance(value, Decimal) else str(value)
    return _yaml_quoted(str(value))


# ---------------------------------------------------------------- counterexamples as examples

_SHORT_ZH = {"domain": "取值范围", "crash": "评分出错", "range": "得分范围", "sums": "求和", "rounding": "舍入",
             "grade": "评价等次"}  # fmt: skip


def _given_value(value: object, kind: str | None) -> str:
    """A value as an example's `given` writes it: `95%`, `是`/`否`, a label or a date as a "text",
    a panel's scores as the text `8、9、7.5`."""
    if isinstance(value, (list, tuple)):  # a percent panel's as percents: 0.9 would read back alike, less plainly
        return show_string("、".join(f"{plain(Decimal(v) * 100)}%" if kind == "percent" else plain(Decimal(v)) for v in value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind == "percent" and isinstance(value, Decimal):
        return f"{plain(value * 100)}%"
    if kind == "date" and isinstance(value, (Decimal, int)):
        return show_string(calendar_day(Decimal(value)).isoformat())
    if isinstance(value, (Decimal, int)):
        return plain(Decimal(value))
    return show_string(str(value))  # a label: quoted, so that no label reads as 是, true or 不适用


@pinned
def to_example(failure: Failure, number: int, rubric: Rubric, lang: Lang = "zh") -> str:
    """The failure as `example` blocks to paste into the rule file: every input given, and the
    check's `expect` where it can say it, else a comment naming what must hold. A monotone
    property's two records are two examples, the second `from` the first."""
    zh = checked(lang) == "zh"  # "zh-CN" refused, not taken for English
    kinds = {spec.name: spec.type for spec in rubric.inputs}
    where = failure.where if failure.where != failure.check else _SHORT_ZH[failure.check] if zh else failure.check
    message = " ".join(failure.message.split())
    said = [f"# 期望：{failure.title}", f"# 实际：{message}"] if zh else [f"# expected: {failure.title}", f"# found: {message}"]
    if failure.check in ("domain", "crash"):  # `pingfen test` fails on a record it cannot score, no expect needed
        said.append("# 记录不能评分时 pingfen test 即报失败；修正后请写下应得的分数" if zh
                    else "# pingfen test fails while the record cannot be scored; once fixed, write the scores it should get")  # fmt: skip
    elif failure.expect is None:  # an honest comment, never a made-up score
        said.append("# 这项检查写不成 expect：请按评分表写下应得的分数" if zh
                    else "# no expect states this check: write the scores the rubric text gives")  # fmt: skip
    blocks: list[str] = []
    base: str | None = None
    shown: dict[str, str] = {}  # the previous example's givens, which a `from` takes over
    for j, record in enumerate(failure.records):
        tag = f"{number}{'ab'[j]}" if len(failure.records) > 1 else str(number)
        name = f"fuzz 反例 {tag}（{where}）" if zh else f"fuzz counterexample {tag} ({where})"
        givens = {k: _given_value(v, kinds.get(k)) for k, v in record.items()}
        own = {k: v for k, v in givens.items() if shown.get(k) != v}  # after `from`, what differs
        lines = [f"example {show_string(name)}" + (f" from {show_string(base)}" if base else "") + " {"]
        if base is not None and len(own) == 1:
            [(key, value)] = own.items()
            lines.append(f"  given {{ {show_name(key)}: {value} }}")
        else:
            lines += ["  given {", *(f"    {show_name(k)}: {v}," for k, v in own.items()), "  }"]
        last = j == len(failure.records) - 1
        if not last:  # the record before the change: what it must score, the next example says
            lines.append("  # 原记录，见下一示例" if zh else "  # the record before the change: see the next example")
        else:
            lines += [f"  {line}" for line in said]
            if failure.expect is not None:
                lines.append(f"  {failure.expect}")
        lines.append("}")
        blocks.append("\n".join(lines))
        base, shown = name, givens
    return "\n\n".join(blocks) + "\n"


@pinned
def render(report: FuzzReport, lang: Lang = "en", path: str | None = None) -> str:
    """The report as text: each failure with its counterexample(s) as YAML."""
    zh = checked(lang) == "zh"  # "zh-CN" refused, not taken for English
    rubric_path = path or report.rubric.source.path
    out = []
    for d in report.findings:
        out.append(d.render(lang))
        out.append("")
    for i, f in enumerate(report.failures, 1):
        out.append(f"{'失败' if zh else 'FAIL'} [{f.where or f.check}] {f.title}")
        out.append(f"  {f.message}")
        for j, record in enumerate(f.records):
            tag = f"{i}{'ab'[j]}" if len(f.records) > 1 else str(i)
            what = ("原记录" if j == 0 else "提高后") if len(f.records) > 1 and zh else (
                ("before" if j == 0 else "after") if len(f.records) > 1 else None)  # fmt: skip
            head = f"{'反例' if zh else 'counterexample'} {tag}" + (f" ({what})" if what else "")
            unsound = " --allow-unsound" if any(d.severity == "error" for d in report.findings) else ""
            hint = f"pingfen eval{unsound} {rubric_path} counterexample-{tag}.yaml"
            out.append(f"--- # {head}: {hint}")
            out.append(to_yaml(record, report.rubric).rstrip("\n"))
        out.append(f"--- # 回归示例，可粘贴到 {rubric_path}：" if zh else f"--- # as an example to paste into {rubric_path}:")
        out.append(to_example(f, i, report.rubric, lang).rstrip("\n"))
        out.append("")
    passed = len(report.checks) - len(report.failures)
    if zh:
        out.append(f"{rubric_path}：{'通过' if report.passed else '未通过'}（{len(report.checks)} 项检查，{passed} 项通过，"
                   f"种子 {report.seed}，每轮最多 {report.max_examples} 条记录）")  # fmt: skip
    else:
        out.append(f"{rubric_path}: {'ok' if report.passed else 'FAILED'} ({len(report.checks)} checks, {passed} passed; "
                   f"seed {report.seed}, at most {report.max_examples} records per search)")  # fmt: skip
    return "\n".join(out)


@pinned
def counterexample_files(report: FuzzReport) -> dict[str, str]:
    """File name → YAML text, for `--save DIR`: counterexample-1.yaml, -2a.yaml, -2b.yaml, …"""
    files = {}
    for i, f in enumerate(report.failures, 1):
        for j, record in enumerate(f.records):
            tag = f"{i}{'ab'[j]}" if len(f.records) > 1 else str(i)
            comment = f"[{f.where or f.check}] {f.title}\n{f.message}"
            files[f"counterexample-{tag}.yaml"] = to_yaml(record, report.rubric, comment)
    return files

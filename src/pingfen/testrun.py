"""Running a rubric's examples (`pingfen test`): each example's record is scored and
compared with what it expects; a failure keeps the expected value, the actual one and the
actual reasons. With coverage, each example is also walked (evaluate/walker.py) and the
branches it took are counted (coverage.py)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from attrs import frozen

from pingfen import ast
from pingfen.check.examples import places, raw_record, records
from pingfen.coverage import Coverage, trace
from pingfen.display import digits, number, plain
from pingfen.errors import DataError
from pingfen.evaluate.rubric import Rubric, given_rubric
from pingfen.evaluate.walker import Event
from pingfen.lang import Lang, checked
from pingfen.result import NodeResult, Result, not_applicable
from pingfen.values import pinned, rounded


@frozen
class Failure:
    """One expectation that did not hold."""

    expectation: ast.Expectation | None  # None: the record was refused, unexpectedly
    node: str | None  # the group or indicator expected, None for the total, grade, or a refusal
    expected: str
    actual: str
    reasons: tuple[str, ...] = ()
    # For a group or the total: its indicators below full marks, "name score/max", so that
    # `pingfen test` can name where the points went in one line instead of every reason.
    short: tuple[str, ...] = ()
    # An error expected and the record scored: `actual` is the total, a number alone, and the
    # word (总分/total) is added where it is rendered, in the report's language, not the run's.
    scored: bool = False


@frozen
class Outcome:
    """One example and its failures (none: it passed)."""

    example: ast.Example
    failures: tuple[Failure, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


@frozen
class TestRun:
    """The examples of one rubric, run; coverage when it was asked for."""

    __test__ = False  # not a pytest test class

    rubric: Rubric
    outcomes: tuple[Outcome, ...]
    coverage: Coverage | None = None

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]


@pinned  # examples are scored and compared in pingfen's context, whatever the caller's
def run_examples(rubric: Rubric, *, coverage: bool = False, lang: Lang = "zh") -> TestRun:
    """Run every example of the rubric; reasons in failures are in `lang`."""
    given_rubric(rubric, "pingfen.run_examples")
    resolved = records(rubric.module)
    outcomes = []
    traces: list[list[Event]] = []
    for ex in rubric.module.examples:
        record = raw_record(resolved.get(ex.name, {}))
        try:
            if coverage:
                result, events = trace(rubric, record)
                traces.append(events)
            else:
                result = rubric.evaluate(record, lang=lang)
        except DataError as error:
            outcomes.append(Outcome(ex, _refused(ex, error, lang)))
            continue
        outcomes.append(Outcome(ex, tuple(_compare(ex, result, lang))))
    cov = Coverage.of(rubric, traces) if coverage else None
    return TestRun(rubric, tuple(outcomes), cov)


def _refused(ex: ast.Example, error: DataError, lang: Lang) -> tuple[Failure, ...]:
    wanted = [e for e in ex.expects if isinstance(e, ast.ExpectError)]
    if wanted:
        want = wanted[0]
        for p in error.problems:
            if (want.code is None or p.code == want.code) and (want.input is None or p.input == want.input.text):
                return ()
        return (Failure(want, None, _error_text(want), error.describe(lang)),)
    return (Failure(None, None, "", error.describe(lang)),)


def _error_text(e: ast.ExpectError) -> str:
    text = "error"
    if e.code is not None:
        text += f" {e.code}"
    if e.input is not None:
        text += f" on {e.input.text}"
    return text


def _compare(ex: ast.Example, result: Result, lang: Lang) -> list[Failure]:
    failures = []
    for e in ex.expects:
        if isinstance(e, ast.ExpectError):
            failures.append(Failure(e, None, _error_text(e), digits(result.total), scored=True))
        elif isinstance(e, ast.ExpectGrade):
            if result.grade != e.grade.text:
                failures.append(Failure(e, None, e.grade.text, result.grade or "—"))
        else:
            # The score alone; the reasons (the explained tree) only for a failure.
            target = e.target.text if e.target is not None else None
            actual = result.score(target) if target is not None else result.total
            if not holds(e, actual):
                node = result[target] if target is not None else None
                reasons = tuple(node.reasons_in(lang)) if node is not None else _all_reasons(result, lang)
                below = _below_full(node.walk() if node is not None else iter(result.indicators()), result, lang)
                short = below if node is None or node.is_group else ()
                # `=` compares exactly, so the exact value is shown; `~=` the value it rounds to.
                shown = _plain(actual) if e.op == "=" else f"{_short(actual)} (≈ {_rounded(actual, e.value)})"
                # `~=` rounds to the places the expectation is written with: shown with them (0.830, not 0.83)
                wanted = format(e.value.value, "f") if e.op != "=" else _plain(e.value.value)
                failures.append(Failure(e, target, wanted, shown, reasons, short))
    return failures


def holds(e: ast.ExpectScore, actual: Decimal) -> bool:
    """`=` is exact; `~=` rounds the actual score half up to the places the number has."""
    if e.op == "=":
        return actual == e.value.value
    return _rounded(actual, e.value) == e.value.value


def _rounded(actual: Decimal, wanted: ast.Number) -> Decimal:
    """The actual score to the expectation's places, half up, as the language rounds (settled first:
    a score of 6.2499… that is 6.25 is ≈ 6.3)."""
    return rounded(actual, Decimal(1).scaleb(-places(wanted)), ROUND_HALF_UP)


def _all_reasons(result: Result, lang: Lang) -> tuple[str, ...]:
    return tuple(f"{n.name}: {r}" for n in result.indicators() for r in n.reasons_in(lang))


def _below_full(nodes: Iterator[NodeResult], result: Result, lang: Lang) -> tuple[str, ...]:
    """`name score/max` for each indicator below full marks; a row that does not apply says
    so (a re-scaled one lost nothing), and a 扣分项 or 加减分项 shows what it took from the
    total (-2), as the table does; a 加分项 takes nothing."""
    taken = {line.node.name: line.points for line in result.outside()}
    out = []
    for n in nodes:
        if n.is_group or n.lost <= 0:
            continue
        if n.name in taken:
            if taken[n.name] < 0:
                out.append(f"{n.name} {number(taken[n.name])}")
        elif not n.applies:
            out.append(f"{n.name} {not_applicable(lang)}")
        else:
            out.append(f"{n.name} {number(n.score)}/{number(n.max)}")
    return tuple(out)


def _short(value: Decimal) -> str:
    text = format(value, "f")
    return f"{number(value)}…" if "." in text and len(text.split(".")[1]) > 6 else text


def _plain(value: Decimal) -> str:
    text = plain(value)
    if "." in text and len(text.split(".")[1]) > 6:
        return f"{number(value)}… ({text})"
    return text


# ---------------------------------------------------------------- words


def render_failures(run: TestRun, lang: Lang = "en") -> str:
    """One block per failing example: where it is, then each expectation that does not hold
    with the expected and actual score and the reasons. The example's text is not repeated
    (its line is named), and a group or the total names only its indicators below full marks."""
    zh = checked(lang) == "zh"  # "zh-CN" refused, not taken for English
    out = []
    for outcome in run.failed:
        ex = outcome.example
        where = f"{run.rubric.source.path}:{ex.span.line}"
        base = "" if ex.base is None else (f"，基于“{ex.base}”" if zh else f', from "{ex.base}"')
        out.append(f"失败 示例“{ex.name}”（{where}{base}）" if zh else f'FAIL example "{ex.name}" ({where}{base})')
        for f in outcome.failures:
            if f.expectation is None:
                out.append(f"  记录被拒绝：{f.actual}" if zh else f"  the record was refused: {f.actual}")
                continue
            line = f.expectation.span.line
            subject = _subject(f, lang)
            actual = f"{'总分' if zh else 'total'} {f.actual}" if f.scored else f.actual
            if zh:
                out.append(f"  第 {line} 行 {subject}：预期 {f.expected}，实际 {actual}")
            else:
                out.append(f"  line {line}, {subject}: expected {f.expected}, got {actual}")
            if f.short:
                joined = "，".join(f.short) if zh else ", ".join(f.short)
                out.append(f"      失分的指标：{joined}" if zh else f"      below full marks: {joined}")
                continue
            for reason in f.reasons:
                out.append(f"      扣分原因：{reason}" if zh else f"      reason: {reason}")
        out.append("")
    return "\n".join(out)


def _subject(f: Failure, lang: Lang = "en") -> str:
    e = f.expectation
    zh = lang == "zh"
    if isinstance(e, ast.ExpectGrade):
        return "评价等次" if zh else "grade"
    if isinstance(e, ast.ExpectError):
        return "出错" if zh else "error"
    assert isinstance(e, ast.ExpectScore)
    return e.target.text if e.target is not None else ("总分" if zh else "total")


def summary(run: TestRun, lang: Lang = "en") -> str:
    total, failed = len(run.outcomes), len(run.failed)
    path = run.rubric.source.path
    if lang == "zh":
        verdict = "通过" if not failed else "未通过"
        return f"{path}：{verdict}（{total} 个示例，{total - failed} 个通过，{failed} 个失败）"
    plural = "s" if total != 1 else ""
    return f"{path}: {'ok' if not failed else 'FAILED'} ({total} example{plural}, {total - failed} passed, {failed} failed)"

"""Running a rubric's examples (`pingfen test`): each example's record is scored and
compared with what it expects; a failure keeps the expected value, the actual one and the
actual reasons. With coverage, each example is also walked (evaluate/walker.py) and the
branches it took are counted (coverage.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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
from pingfen.report.layout import signed
from pingfen.result import NodeResult, OutsideLine, Result, VetoLine, not_applicable
from pingfen.values import pinned, rounded


@frozen
class Below:
    """A row that did not give what full marks mean for it, as a failing group or total names
    it: `points` in no language (`4/5`; a 加分项 `0/2` as it gave of its most; a 扣分项 `-2`;
    empty for a row re-scaled away), `not_applicable` worded where it is rendered."""

    name: str
    points: str
    not_applicable: bool = False

    def text(self, lang: Lang) -> str:
        if not self.not_applicable:
            return f"{self.name} {self.points}"
        na = not_applicable(lang)
        if not self.points:  # re-scaled away: it counts for nothing, the rows that apply for all
            return f"{self.name} {na}"
        return f"{self.name} {self.points}（{na}）" if lang == "zh" else f"{self.name} {self.points} ({na})"


@frozen
class Failure:
    """One expectation that did not hold."""

    expectation: ast.Expectation | None  # None: the record was refused, unexpectedly
    node: str | None  # the group or indicator expected, None for the total, grade, or a refusal
    expected: str
    actual: str
    reasons: tuple[str, ...] = ()
    # For a group or the total (None for the rest): its rows below full marks, so that
    # `pingfen test` can name where the points went in one line instead of every reason.
    short: tuple[Below, ...] | None = None
    # An error expected and the record scored: `actual` is the total, a number alone, and the
    # word (总分/total) is added where it is rendered, in the report's language, not the run's.
    scored: bool = False
    # The 一票否决 lines that held: under the total, one that zeroed it (it took every point and
    # the rows lost none); under the grade, every one (why the grade is what it is). Worded where rendered.
    vetoes: tuple[VetoLine, ...] = ()
    # A score's value alone, every digit (`actual` may shorten it for reading: `0.83… (0.8333…)`):
    # what `pingfen test --format json` gives; None where `actual` is the value alone already.
    value: str | None = None


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
        outcomes.append(Outcome(ex, tuple(_compare(ex, result, lang, rubric.module.applies_modes))))
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


def _compare(ex: ast.Example, result: Result, lang: Lang, modes: Mapping[str, ast.AppliesMode]) -> list[Failure]:
    failures = []
    for e in ex.expects:
        if isinstance(e, ast.ExpectError):
            failures.append(Failure(e, None, _error_text(e), digits(result.total), scored=True))
        elif isinstance(e, ast.ExpectGrade):
            if result.grade != e.grade.text:
                failures.append(Failure(e, None, e.grade.text, result.grade or "—", vetoes=result.vetoes()))
        else:
            # The score alone; the reasons (the explained tree) only for a failure.
            target = e.target.text if e.target is not None else None
            actual = result.score(target) if target is not None else result.total
            if not holds(e, actual):
                node = result[target] if target is not None else None
                reasons = tuple(node.reasons_in(lang)) if node is not None else _all_reasons(result, lang)
                if node is not None and not reasons:  # a row of a group that does not apply: the group says why
                    reasons = _not_applying_above(result, node, lang)
                short = None
                if node is None:
                    short = _below_full(result.children, modes) + _outside_below(result.outside())
                elif node.is_group:
                    short = _below_full((node,), modes)
                # `=` compares exactly, so the exact value is shown; `~=` the value it rounds to.
                shown = _plain(actual) if e.op == "=" else f"{_short(actual)} (≈ {_rounded(actual, e.value)})"
                # `~=` rounds to the places the expectation is written with: shown with them (0.830, not 0.83)
                wanted = format(e.value.value, "f") if e.op != "=" else _plain(e.value.value)
                # under the total, a veto that zeroed it (one of a grade leaves the total as it is)
                vetoes = tuple(v for v in result.vetoes() if v.action == "zero") if target is None else ()
                failures.append(Failure(e, target, wanted, shown, reasons, short, vetoes=vetoes, value=plain(actual)))
    return failures


def _not_applying_above(result: Result, node: NodeResult, lang: Lang) -> tuple[str, ...]:
    """The reasons of the innermost group above `node` that does not apply (`项目：不适用：…`):
    a failing row's own are none there, and `实际 0` said nothing of why."""
    def path(nodes: Sequence[NodeResult]) -> list[NodeResult] | None:
        for n in nodes:
            if n is node:
                return [n]
            below = path(n.children)
            if below is not None:
                return [n, *below]
        return None

    for group in reversed((path(result.children) or [])[:-1]):
        if not group.applies:
            return tuple(f"{group.name}：{r}" if lang == "zh" else f"{group.name}: {r}" for r in group.reasons_in(lang))
    return ()


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


def _below_full(roots: Iterable[NodeResult], modes: Mapping[str, ast.AppliesMode]) -> tuple[Below, ...]:
    """Each indicator below full marks, `score/max`. A row that does not apply is named once (not
    each part under it): re-scaled away it lost nothing, so 不适用 alone; counted as 0 it lost
    its points, so `0/5 (不适用)`; counted as full it lost nothing and is not named."""
    out: list[Below] = []
    stack = list(reversed(tuple(roots)))
    while stack:
        n = stack.pop()
        if not n.applies:
            if modes.get(n.name) == "rescale":
                out.append(Below(n.name, "", not_applicable=True))
            elif n.lost > 0:
                out.append(Below(n.name, f"{number(n.score)}/{number(n.max)}", not_applicable=True))
        elif n.is_group:
            stack.extend(reversed(n.children))
        elif n.lost > 0:
            out.append(Below(n.name, f"{number(n.score)}/{number(n.max)}"))
    return tuple(out)


def _outside_below(lines: Iterable[OutsideLine]) -> tuple[Below, ...]:
    """The 加分项 and 加减分项 that did not give their most, by what they gave of it (`0/2`, as the
    table signs it), and each 扣分项 that took points, by what it took (`-2`). A 加减分项 that
    gave and took nothing (0) lost nothing from the total, and is not named."""
    out: list[Below] = []
    for line in lines:
        if line.kind == "penalty":
            if line.points < 0:
                out.append(Below(line.node.name, number(line.points)))
        elif line.kind == "adjust" and line.points == 0:
            continue  # neutral: the total is what it would be without the row
        elif line.node.lost > 0:
            out.append(Below(line.node.name, f"{signed(line.points)}/{number(line.node.max)}"))
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
            out.extend(f"      {veto.text('zh' if zh else 'en')}" for veto in f.vetoes)
            if f.short is not None:  # a group or the total: where its points went, in one line
                shown = [b.text("zh" if zh else "en") for b in f.short]
                if shown or not f.vetoes:  # a veto that held says where the points went: not "none" lost
                    joined = ("，".join(shown) or "无") if zh else (", ".join(shown) or "none")
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
    # an example that expects nothing passes whenever its record is scored (PF611, which only
    # `pingfen check` said): a counterexample pasted from `pingfen fuzz` before its scores are written in
    empty = sum(not o.example.expects for o in run.outcomes)
    if lang == "zh":
        verdict = "通过" if not failed else "未通过"
        idle = f"，其中 {empty} 个没有 expect，只检查能否评分" if empty else ""
        return f"{path}：{verdict}（{total} 个示例，{total - failed} 个通过，{failed} 个失败{idle}）"
    plural = "s" if total != 1 else ""
    idle = f"; {empty} of them expect{'s' if empty == 1 else ''} nothing but a score" if empty else ""
    return f"{path}: {'ok' if not failed else 'FAILED'} ({total} example{plural}, {total - failed} passed, {failed} failed{idle})"

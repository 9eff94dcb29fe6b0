"""Checked AST → Rubric: an immutable object that scores records.

At load the rubric is turned into Python source (see `codegen`) and compiled once:
every name is a slot, every constant a ready Decimal, every rule straight-line code.
Scoring a record runs that code inside the pinned decimal context, with no lookups by
name, no dispatch on node types and no re-validation of the rubric. A record whose
values are not already exact (strings, floats, missing or out-of-domain inputs) takes
the general path, which coerces every input and reports every problem. Scoring one
node from partial inputs (`score_node`, for audits) walks the tree with `walker`.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Collection, Iterable, Iterator, Mapping
from decimal import Decimal, DecimalException, InvalidOperation, getcontext, localcontext, setcontext

from attrs import frozen

from pingfen import ast
from pingfen.check.passes import Checked
from pingfen.diagnostics import Diagnostic, Source
from pingfen.errors import DataError, Problem
from pingfen.evaluate.codegen import Program, generate
from pingfen.evaluate.reads import node_reads
from pingfen.evaluate.refusals import Refusal
from pingfen.evaluate.walker import Sink, Walker
from pingfen.lang import Lang
from pingfen.reasons import quantity
from pingfen.result import NodeResult, Result
from pingfen.values import (
    COMPARE,
    CONTEXT,
    ZERO,
    ambiguous_percent,
    at_precision,
    coerce,
    has_percent_sign,
    ratio_limits,
    show,
    total_rounding,
)

__all__ = ["CONTEXT", "InputSpec", "NodeSpec", "Rubric"]

@frozen
class InputSpec:
    """A declared input, as a data-entry template or an embedder sees it."""

    name: str
    type: str
    description: str | None
    bounds: tuple[tuple[str, Decimal], ...]
    labels: tuple[str, ...]
    precision: Decimal | None = None  # values are rounded (half up) to it when read


@frozen
class NodeSpec:
    """A group or indicator as the rubric declares it, before any record is scored.

    `inputs` names every input the node's rules read, directly or through `let`
    values (and reason templates), in declaration order; a group reads its parts' inputs.
    """

    name: str
    max: Decimal
    is_group: bool
    children: tuple[NodeSpec, ...]
    inputs: tuple[str, ...]

    def walk(self) -> Iterator[NodeSpec]:
        yield self
        for child in self.children:
            yield from child.walk()


class Rubric:
    """A loaded, checked rubric. Build it with `pingfen.load` or `pingfen.loads`."""

    def __init__(
        self, module: ast.Module, checked: Checked, source: Source, sources: tuple[Source, ...] = ()
    ) -> None:
        header = module.header
        assert header is not None, "the checker guarantees a header"
        self.module = module
        self.source = source
        # The file and those it extends, in the order of each span's `file`.
        self.sources: tuple[Source, ...] = sources or (source,)
        texts = tuple(s.text for s in self.sources)
        self.name = header.title
        self.year = int(header.year.value) if header.year else None
        top_sum = sum((n.max.value for n in module.top), ZERO)
        self.max = header.total.value if header.total else top_sum
        self.warnings: tuple[Diagnostic, ...] = tuple(d.with_source(self.sources) for d in checked.diagnostics)
        judged_max = ast.judged_maxima(module)
        declared = tuple(
            i for i in module.inputs if checked.symbols.get(i.name.text) and checked.symbols[i.name.text].decl is i
        )
        self.inputs = tuple(
            InputSpec(
                i.name.text, i.type, i.description,
                _bounds(i, judged_max.get(i.name.text)), tuple(lb.text for lb in i.labels),
                i.precision.value if i.precision is not None else None,
            )
            for i in declared
        )  # fmt: skip
        self._names = frozenset(spec.name for spec in self.inputs)
        # A bare number for a percent input keeps to ±100% unless the bounds say otherwise
        # (`values.ratio_limits`): beyond, the fast path leaves it to `coerce`, which refuses it.
        self._ratio_limits = {s.name: ratio_limits(s.bounds) for s in self.inputs if s.type == "percent"}
        bounds = tuple((*spec.bounds, *self._ratio_limits.get(spec.name, ())) for spec in self.inputs)
        self.program: Program = generate(module, checked, texts, declared, bounds)
        self._run, self._score = self.program.functions(self.name)
        self._checked = checked
        places = header.round_places.value if header.round_places else None
        self._quantum, self._rounding = total_rounding(places, header.round_mode)
        self.grades: tuple[tuple[str, str | None, Decimal | None], ...] = tuple(
            (g.name.text, g.op, g.threshold.value if g.threshold else None) for g in header.grades
        )
        """The grade bands, first match wins: (name, operator, threshold); `otherwise` has (name, None, None)."""
        self._grades = tuple((name, COMPARE[op] if op else None, t) for name, op, t in self.grades)
        reads = node_reads(module, checked)
        self._reads = {name: inputs for name, (inputs, _) in reads.items()}
        self._reads_lets = {name: lets for name, (_, lets) in reads.items()}
        self._ast_nodes = {node.name.text: node for node, _depth in ast.walk_nodes(module.top)}
        self.tree: tuple[NodeSpec, ...] = tuple(self._spec(n) for n in module.top)
        """The rubric's groups and indicators, in order, with their maxima and the inputs they read."""
        self._specs = {spec.name: spec for top in self.tree for spec in top.walk()}

    def __repr__(self) -> str:
        return f"<Rubric {self.name!r} max={self.max} inputs={len(self.inputs)}>"

    def _spec(self, node: ast.Node) -> NodeSpec:
        children = tuple(self._spec(c) for c in node.children) if isinstance(node, ast.Group) else ()
        return NodeSpec(
            node.name.text, node.max.value, isinstance(node, ast.Group), children, self._reads[node.name.text]
        )

    def node(self, name: str) -> NodeSpec:
        """The group or indicator called `name`, as the rubric writes it."""
        try:
            return self._specs[name]
        except KeyError:
            raise KeyError(f"no group or indicator named {name!r}") from None

    def grade_for(self, total: Decimal) -> str | None:
        """The grade the rubric gives a (rounded) total, or None when no band takes it."""
        for name, test, threshold in self._grades:
            if test is None or (threshold is not None and test(total, threshold)):
                return name
        return None

    def round_total(self, raw: Decimal) -> Decimal:
        """A raw total rounded as the rubric's header says (default 2 places, half up)."""
        return raw.quantize(self._quantum, rounding=self._rounding, context=CONTEXT)  # not the caller's precision

    # ---------------------------------------------------------------- evaluation
    def evaluate(
        self, data: Mapping[str, object], *, lang: Lang = "zh", record: str | None = None, ratios: bool = False
    ) -> Result:
        """Score one record (input name → value). Raises DataError naming the input at fault.

        A percent input's bare number beyond ±1 (55 for 55%?) is refused (PF523) unless
        its bounds reach that far; `ratios=True` says every bare number is a ratio already
        (a program's exact values: 1.5 is 150%)."""
        # The pinned context is set and the caller's put back: localcontext() would copy it
        # for every record, half a microsecond, a twentieth of scoring one.
        saved = getcontext()
        setcontext(CONTEXT)
        result: Result | None
        try:
            try:
                result = self._run(data, lang)
            except InvalidOperation:  # a NaN met a bound: the general path says which input
                result = None
            if result is None:  # some input is not yet an exact value: coerce them all
                result = self._score(*self._coerce(data, record, ratios), lang)
            return result
        except Refusal as refusal:
            raise DataError([refusal.problem], record) from None
        except DecimalException as error:  # e.g. an overflow far beyond any real figure
            raise DataError([_arithmetic(error)], record) from None
        except (AttributeError, TypeError):  # asked of a record only once it failed: no cost when it is fine
            if isinstance(data, Mapping):
                raise
            raise DataError([not_a_mapping(data)], record) from None
        finally:
            setcontext(saved)

    def evaluate_many(
        self, rows: Iterable[Mapping[str, object] | DataError], *, lang: Lang = "zh", key: str | None = None,
        start: int = 1,
    ) -> Iterator[Result | DataError]:  # fmt: skip
        """Score rows one at a time, yielding each row's Result, or the DataError that refused it
        (its `record` is the row's `key` value if given, else the row's number counted from `start`).
        A row that is not a mapping yields its PF522 DataError like any other refusal; a row
        `pingfen.read_records` could not read arrives as its DataError and is yielded as it is.
        Nothing is kept between rows: memory stays flat however many there are."""
        evaluate = self.evaluate
        for number, row in zip(itertools.count(start), rows):
            if isinstance(row, DataError):
                yield row
                continue
            try:
                result: Result | DataError = evaluate(row, lang=lang)
            except DataError as error:  # a row that is no mapping is refused too, and the stream goes on
                result = DataError(error.problems, _record_id(row, key, number))
            yield result

    def score_node(
        self, name: str, data: Mapping[str, object], *, lang: Lang = "zh", record: str | None = None,
        ratios: bool = False,
    ) -> NodeResult:  # fmt: skip
        """Score one group or indicator from the inputs it reads (`node(name).inputs`) alone.

        Other inputs may be absent. The node is scored by the plain tree walker (`walker`),
        which the compiled code is tested against, so the score and reasons are those a
        full evaluation gives; raises DataError when an input it reads is at fault.
        """
        spec = self.node(name)
        values = self.coerce(data, spec.inputs, record=record, ratios=ratios)
        needed = self._reads_lets[name]
        walker = self.walker()
        walker.env.update(values)
        try:
            with localcontext(CONTEXT):  # the caller's context never reaches a number
                for let in self._checked.let_order:
                    if let.name.text in needed:
                        walker.env[let.name.text] = walker.value(let.expr, let.name.text)
                return walker.node(self._ast_nodes[name], lang)
        except Refusal as refusal:
            raise DataError([refusal.problem], record) from None
        except DecimalException as error:  # e.g. an overflow far beyond any real figure
            raise DataError([_arithmetic(error)], record) from None

    def walker(self, sink: Sink | None = None) -> Walker:
        """The plain tree walker over this rubric (`evaluate.walker`): it scores as the compiled
        code does, slowly, and with a `sink` reports each branch it takes (for coverage).
        It reads inputs as `coerce` gives them: `rubric.walker().evaluate(rubric.coerce(data))`."""
        return Walker(self.module, self._checked, tuple(s.text for s in self.sources), sink)

    def coerce(
        self, data: Mapping[str, object], names: Collection[str] | None = None, *, record: str | None = None,
        ratios: bool = False,
    ) -> dict[str, Decimal | bool | str]:  # fmt: skip
        """The named inputs (default: all) as evaluation sees them: exact, typed and within their
        domains. Raises DataError naming every input at fault. `ratios` as for `evaluate`."""
        only = None if names is None else frozenset(names)
        if not isinstance(data, Mapping):
            raise DataError([not_a_mapping(data)], record)
        with localcontext(CONTEXT):  # `"94.99%"` is 0.9499 whatever the caller's precision
            values, problems = self._coerce_some(data, only, ratios)
        if problems:
            raise DataError(problems, record)
        return values

    def _coerce(self, data: Mapping[str, object], record: str | None, ratios: bool = False) -> list[object]:
        """Every input's value, or DataError listing every input that has none."""
        values, problems = self._coerce_some(data, None, ratios)
        if problems:
            raise DataError(problems, record)
        return list(values.values())

    def _coerce_some(
        self, data: Mapping[str, object], only: frozenset[str] | None, ratios: bool = False
    ) -> tuple[dict[str, Decimal | bool | str], list[Problem]]:
        """The inputs (all, or those in `only`) coerced and domain-checked, and the problems found."""
        values: dict[str, Decimal | bool | str] = {}
        problems: list[Problem] = []
        unknown: list[str] | None = None  # the record's keys that name no input: where typos are
        for spec in self.inputs:
            if only is not None and spec.name not in only:
                continue
            value = coerce(spec.name, spec.type, data.get(spec.name), spec.labels)
            if isinstance(value, Problem):
                if value.code == "PF501" and len(problems) < _SUGGESTED:
                    if unknown is None:
                        unknown = [str(k) for k in data if k not in self._names][:_SUGGESTED_FROM]
                    value = _with_suggestion(value, unknown)
                problems.append(value)
                continue
            if spec.precision is not None and isinstance(value, Decimal):  # rounded as the rubric says
                rounded = at_precision(value, spec.precision)
                if rounded is None:
                    args = {"input": spec.name, "value": show(data.get(spec.name)), "precision": quantity(spec.precision, spec.type)}
                    problems.append(Problem("PF530", spec.name, args))
                    continue
                value = rounded
            limits = None if ratios else self._ratio_limits.get(spec.name)
            if limits and isinstance(value, Decimal) and not has_percent_sign(data.get(spec.name)):
                if not all(COMPARE[op](value, limit) for op, limit in limits):
                    problems.append(ambiguous_percent(spec.name, data.get(spec.name), value))
                    continue
            for op, bound in spec.bounds:
                if not COMPARE[op](value, bound):
                    domain = f"{op} {quantity(bound, spec.type)}"
                    args = {"input": spec.name, "value": show(data.get(spec.name)), "domain": domain}
                    problems.append(Problem("PF503", spec.name, args))
                    break
            values[spec.name] = value
        return values, problems


def _arithmetic(error: DecimalException) -> Problem:
    return Problem("PF507", None, {"detail": type(error).__name__})


def not_a_mapping(data: object) -> Problem:
    """PF522: a record that is a list, a string or None rather than a mapping of names to values."""
    return Problem("PF522", None, {"kind": type(data).__name__})


def _record_id(row: object, key: str | None, number: int) -> str:
    if key is not None and isinstance(row, Mapping) and row.get(key) is not None:
        return str(row.get(key))
    return str(number)


def _bounds(decl: ast.Input, judged_max: Decimal | None) -> tuple[tuple[str, Decimal], ...]:
    """Declared bounds; a score also lies in [0, the max of the indicator judging it]."""
    bounds = tuple((b.op, b.value.value) for b in decl.bounds)
    if decl.type == "score":
        bounds = ((">=", ZERO), *bounds)
        if judged_max is not None:
            bounds = (*bounds, ("<=", judged_max))
    return bounds


# Suggestions cost a fuzzy match per pair: bounded, so that a record with thousands of
# wrong keys is refused as fast as any other.
_SUGGESTED, _SUGGESTED_FROM = 20, 200


def _with_suggestion(problem: Problem, unknown: list[str]) -> Problem:
    """For a missing input, suggest a key of the record (one naming no input) that looks like a misspelling."""
    if problem.input is None:
        return problem
    close = difflib.get_close_matches(problem.input, unknown, n=1, cutoff=0.6)
    if not close:
        return problem
    return Problem(problem.code, problem.input, dict(problem.args) | {"suggestion": close[0]}, "did_you_mean_key")

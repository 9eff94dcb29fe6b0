"""Checked AST → Rubric: an immutable object that scores records.

At load the rubric is turned into Python source (see `codegen`) and compiled once:
every name is a slot, every constant a ready Decimal, every rule straight-line code.
Scoring a record runs that code inside the pinned decimal context, with no lookups by
name, no dispatch on node types and no re-validation of the rubric. Plainly written
text (a CSV's `12`, `95%`, `是`) is read to exact values first (`texts`). A record whose
values are not exact even then (floats, odd text, missing or out-of-domain inputs) takes
the general path, which coerces every input and reports every problem. Scoring one
node from partial inputs (`score_node`, for audits) walks the tree with `walker`.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, DecimalException, InvalidOperation, getcontext, localcontext, setcontext
from typing import TYPE_CHECKING

from attrs import evolve, frozen

from pingfen import ast
from pingfen.absent import NOT_APPLICABLE, Absent, SheetRecord, says_not_applicable
from pingfen.check.passes import Checked
from pingfen.diagnostics import Diagnostic, Source, excerpt
from pingfen.errors import DataError, Problem
from pingfen.evaluate.applies import plan
from pingfen.evaluate.codegen import Program, generate
from pingfen.evaluate.reads import node_reads
from pingfen.evaluate.refusals import Refusal
from pingfen.evaluate.texts import reader
from pingfen.lang import Lang, checked
from pingfen.reasons import quantity
from pingfen.result import NodeResult, Result
from pingfen.terminal import INVISIBLE_PATTERN, invisible_escaped, invisible_name, without_invisible
from pingfen.values import (
    AGGREGATES,
    COMPARE,
    CONTEXT,
    ZERO,
    SheetPercent,
    ambiguous_percent,
    as_read,
    at_precision,
    coerce,
    coerce_list,
    has_percent_sign,
    list_items,
    numbered_columns,
    ratio_limits,
    settled,
    show,
    total_rounding,
)

if TYPE_CHECKING:  # the walker is imported when an audit or coverage asks for one
    from typing import NoReturn, Self, SupportsIndex

    from pingfen.evaluate.walker import Sink, Walker

__all__ = ["CONTEXT", "InputSpec", "NodeSpec", "Rubric"]

@frozen
class InputSpec:
    """A declared input, as a data-entry template or an embedder sees it."""

    name: str
    type: str
    description: str | None
    bounds: tuple[tuple[str, Decimal], ...]
    labels: tuple[str, ...]
    is_list: bool = False  # a panel (`list of score`): several values, each within the bounds
    size: int | None = None  # how many the rubric says the panel has, if it says
    batch: str | None = None  # `let NAME = batch min(报价)`: the text after `=`; a batch fills it in
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
                i.name.text, checked.symbols[i.name.text].unit if i.batch else i.type, i.description,
                _bounds(i, judged_max.get(i.name.text)), tuple(lb.text for lb in i.labels),
                i.is_list, int(i.size.value) if i.size is not None else None,
                None if i.batch is None else f"batch {i.batch.func}({excerpt(texts, i.batch.expr.span)})",
                i.precision.value if i.precision is not None else None,
            )
            for i in declared
        )  # fmt: skip
        self._batch = tuple((i, i.batch) for i in declared if i.batch is not None)
        self._names = frozenset(spec.name for spec in self.inputs)
        self._kinds = {spec.name: spec.type for spec in self.inputs}
        self._panels = tuple(spec.name for spec in self.inputs if spec.is_list)
        # Read only by rows that may not apply: a record may leave these out or mark them 不适用.
        self.optional: frozenset[str] = plan(module, checked).optional
        # A bare number for a percent input keeps to ±100% unless the bounds say otherwise
        # (`values.ratio_limits`): beyond, the fast path leaves it to `coerce`, which refuses it.
        self._ratio_limits = {s.name: ratio_limits(s.bounds) for s in self.inputs if s.type == "percent"}
        self._texts = reader(tuple((s.name, s.type, s.labels) for s in self.inputs))  # a CSV's cells, read fast
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
        self._ast_nodes = {node.name.text: node for node, _depth in ast.walk_nodes(module.rows)}
        self._around = _enclosing(module.rows)
        self.tree: tuple[NodeSpec, ...] = tuple(self._spec(n) for n in module.top)
        """The rubric's groups and indicators, in order, with their maxima and the inputs they read."""
        self.outside: tuple[tuple[ast.OutsideKind, NodeSpec], ...] = tuple((o.kind, self._spec(o.row)) for o in module.outside)
        """The bonus and penalty rows (加分项, 扣分项), counted after the tree: (kind, row)."""
        self.cap = header.cap.value if header.cap else None
        """The most the total reaches once bonus rows are added (`cap total`), or None."""
        self._specs = {spec.name: spec for top in self.tree for spec in top.walk()}
        self._specs.update((spec.name, spec) for _, spec in self.outside)

    def __repr__(self) -> str:
        return f"<Rubric {self.name!r} max={self.max} inputs={len(self.inputs)}>"

    def __reduce_ex__(self, protocol: SupportsIndex) -> NoReturn:
        # Its code is compiled at load, and pickle named a local function deep inside
        # (AttributeError "Can't pickle local object 'reader.<locals>.read'"): say what to do.
        raise TypeError("a pingfen Rubric does not pickle (its code is compiled at load): "
                        "load it in each process with pingfen.load(path), and send records and Results")  # fmt: skip

    def __copy__(self) -> Self:  # copy.copy and deepcopy as they were before __reduce_ex__
        new = object.__new__(type(self))  # a subclass's copy is of the subclass
        new.__dict__.update(self.__dict__)
        return new

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        import copy

        new = object.__new__(type(self))
        memo[id(self)] = new
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new

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

    def grade_for(self, total: Decimal | int) -> str | None:
        """The grade the header's bands give a (rounded) total, or None when no band takes it.
        A grade's own condition (`grade 优秀 >= 90 if 满意度 >= 90%`) and the vetoes are a
        record's, not a total's: they are not looked at here; `Result.grade` has them.
        A float or text is refused (TypeError), as by `round_total`."""
        total = _exact(total, "grade_for")
        for name, test, threshold in self._grades:
            if test is None or (threshold is not None and test(total, threshold)):
                return name
        return None

    def round_total(self, raw: Decimal | int) -> Decimal:
        """A raw total rounded as the rubric's header says (default 2 places, half up)."""
        return settled(_exact(raw, "round_total")).quantize(self._quantum, rounding=self._rounding, context=CONTEXT)  # not the caller's precision

    # ---------------------------------------------------------------- evaluation
    def evaluate(
        self, data: Mapping[str, object], *, lang: Lang = "zh", record: str | None = None, ratios: bool = False
    ) -> Result:
        """Score one record (input name → value). Raises DataError naming the input at fault.

        A percent input's bare number beyond ±1 (55 for 55%?) is refused (PF523) unless
        its bounds reach that far; `ratios=True` says every bare number is a ratio already
        (a program's exact values: 1.5 is 150%)."""
        if lang != "zh" or ratios is not False:  # one more identity test on the common path
            checked(lang)
            _flag(ratios)
        # The pinned context is set and the caller's put back: localcontext() would copy it
        # for every record, half a microsecond, a twentieth of scoring one.
        saved = getcontext()
        setcontext(CONTEXT)
        result: Result | None
        try:
            try:
                result = self._run(data, lang)
                if result is None and (plain := self._texts(data)) is not None:  # text cells, plainly written
                    result = self._run(plain, lang)
            except InvalidOperation:  # a NaN met a bound: the general path says which input
                result = None
            if result is None:  # some input is not yet an exact value: coerce them all
                result = self._score(*self._coerce(data, record, ratios), lang)
            return result
        except Refusal as refusal:
            raise _refused(data, DataError([refusal.problem], record)) from None
        except DataError as error:  # a workbook's row missing an input whose cell is a formula never calculated: PF534
            raise _refused(data, error) from None
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
        Nothing is kept between rows: memory stays flat however many there are.
        A path, or one record, is refused (TypeError) when called, not read as rows: a path's
        characters, or a record's names, were each a row refused PF522."""
        if isinstance(rows, str | bytes | os.PathLike):
            raise TypeError(f"evaluate_many takes records, not a file's path: evaluate_many(pingfen.read_records({rows!r}))")
        if isinstance(rows, Mapping):
            raise TypeError("evaluate_many takes records, not one record: evaluate(record), or evaluate_many([record])")
        if isinstance(start, bool) or not isinstance(start, int):
            raise TypeError(f"evaluate_many's start is the first row's number, an int, not {type(start).__name__}: {start!r}")
        checked(lang)
        return self._evaluated(rows, lang, key, start)

    def _evaluated(
        self, rows: Iterable[Mapping[str, object] | DataError], lang: Lang, key: str | None, start: int
    ) -> Iterator[Result | DataError]:  # fmt: skip
        evaluate = self.evaluate
        if self._batch:  # values across the batch first: the rows are kept, to be scored against them
            rows = list(rows)
            found = iter(self.batch_values([r for r in rows if isinstance(r, Mapping)]))
            rows = [with_batch(r, next(found)) if isinstance(r, Mapping) else r for r in rows]
        for number, row in zip(itertools.count(start), rows):
            if isinstance(row, DataError):
                yield row
                continue
            try:
                result: Result | DataError = evaluate(row, lang=lang)
            except DataError as error:  # a row that is no mapping is refused too, and the stream goes on
                result = DataError(error.problems, _record_id(row, key, number))
            yield result

    def batch_values(self, records: Sequence[Mapping[str, object]]) -> list[dict[str, Decimal]]:
        """For each record, the values across the batch of `records` that the rubric declares
        (`let 基准价 = batch min(报价)`): each worked out over the records whose inputs it reads are
        valid and applicable (others are left out: refused when scored, or, where the data marks
        an input 不适用, scored without it). A rank is 1 for the highest value;
        equal values share the better rank. Empty dicts for a rubric that declares none."""
        out: list[dict[str, Decimal]] = [{} for _ in records]
        walker = self.walker()
        for decl, batch in self._batch:
            refs = [e.name.text for e in ast.walk_expressions(batch.expr) if isinstance(e, ast.Ref)]
            reads = [name for name in refs if name in self._names]  # its inputs: coerce refuses any other name
            each: list[Decimal | None] = []
            for record in records:
                try:
                    given = self.coerce(record, reads)
                except DataError:
                    each.append(None)
                    continue
                # an input the record leaves out or marks 不适用 has no value to count: left out too
                if any(isinstance(v, Absent) for v in given.values()):
                    each.append(None)
                    continue
                try:
                    each.append(walker.expression(batch.expr, given))
                except DataError:  # EXPR refuses this record (a panel too short, a value beyond rounding): left out
                    each.append(None)
            known = tuple(v for v in each if v is not None)
            if not known:
                continue
            with localcontext(CONTEXT):
                if batch.func == "rank":
                    for values, v in zip(out, each, strict=True):
                        if v is not None:
                            values[decl.name.text] = Decimal(1 + sum(1 for w in known if w > v))
                    continue
                value = AGGREGATES[batch.func](known)
            for values in out:
                values[decl.name.text] = value
        return out

    def score_node(
        self, name: str, data: Mapping[str, object], *, lang: Lang = "zh", record: str | None = None,
        ratios: bool = False,
    ) -> NodeResult:  # fmt: skip
        """Score one group or indicator from the inputs it reads (`node(name).inputs`) alone.

        Other inputs may be absent. The node is scored by the plain tree walker (`walker`),
        which the compiled code is tested against, so the score and reasons are those a
        full evaluation gives; raises DataError when an input it reads is at fault.
        """
        checked(lang)
        _flag(ratios)
        spec = self.node(name)
        walker = self.walker()
        around = self._around[name]
        # An input that a group around it reads, given and marked 不适用, takes the group out,
        # and the node with it; one not given is not marked.
        marking = {n for g in around if (guard := walker.plan.guards.get(g.name.text)) for n in guard.body if n in data}
        names = spec.inputs + tuple(s.name for s in self.inputs if s.name in marking and s.name not in spec.inputs)
        values = self.coerce(data, names, record=record, ratios=ratios)
        needed = self._reads_lets[name]
        walker.env.update(values)
        try:
            with localcontext(CONTEXT):  # the caller's context never reaches a number
                for let in self._checked.let_order:
                    if let.name.text in needed:
                        walker.env[let.name.text] = walker.let(let)  # not over inputs left out
                for group in around:  # a group that does not apply: so does every row in it
                    guard = walker.plan.guards.get(group.name.text)
                    if guard is not None and (off := walker.off(group.name.text, guard)) is not None:
                        return _find(walker.inapplicable(group, guard, off[0], lang), name)
                return walker.node(self._ast_nodes[name], lang)
        except Refusal as refusal:
            raise DataError([refusal.problem], record) from None
        except DecimalException as error:  # e.g. an overflow far beyond any real figure
            raise DataError([_arithmetic(error)], record) from None

    def column_kind(self, column: str) -> str | None:
        """The type a table's column is read as, which decides how a sheet's `0"%"` cell reads
        (values.as_read: 90% or 90): the type of the input the column names; else of the panel
        whose numbered column it is (评分1 of `input 评分: list of percent`); else None, a column
        no input reads (an id). One rule: `pingfen eval` reads a record's cells by it, and
        --engine duckdb writes its copy of a sheet by it."""
        kind = self._kinds.get(column)
        if kind is None:
            kind = next((self._kinds[p] for p in self._panels if numbered_columns(p, (column,))), None)
        return kind

    def walker(self, sink: Sink | None = None) -> Walker:
        """The plain tree walker over this rubric (`evaluate.walker`): it scores as the compiled
        code does, slowly, and with a `sink` reports each branch it takes (for coverage).
        It reads inputs as `coerce` gives them: `rubric.walker().evaluate(rubric.coerce(data))`."""
        from pingfen.evaluate.walker import Walker  # scoring runs the generated code: audits and coverage walk

        return Walker(self.module, self._checked, tuple(s.text for s in self.sources), sink)

    def coerce(
        self, data: Mapping[str, object], names: Collection[str] | None = None, *, record: str | None = None,
        ratios: bool = False,
    ) -> dict[str, Decimal | bool | str | tuple[Decimal, ...] | Absent]:  # fmt: skip
        """The named inputs (default: all) as evaluation sees them: exact, typed and within their
        domains; an optional input left out or marked 不适用 is an `Absent`. Raises DataError
        naming every input at fault. `ratios` as for `evaluate`. One name alone is refused
        (TypeError), not read as its characters, which named no input and gave {}."""
        if isinstance(names, str):
            raise TypeError(f"coerce takes a list of input names, not one name: coerce(data, [{names!r}])")
        _flag(ratios)
        only = None
        if names is not None:
            listed = list(names)  # once: `names` may be a generator
            only = frozenset(listed)
            if not only <= self._names:  # `['nope']` gave {} without a word
                raise KeyError(self._no_input(next(n for n in listed if n not in self._names)))
        if not isinstance(data, Mapping):
            raise DataError([not_a_mapping(data)], record)
        with localcontext(CONTEXT):  # `"94.99%"` is 0.9499 whatever the caller's precision
            values, problems = self._coerce_some(data, only, ratios)
        if problems:
            raise DataError(problems, record)
        return values

    def _no_input(self, name: object) -> str:
        """What a KeyError for `name`, no input of the rubric, says: the input it is likely
        misspelt for, if one is close."""
        import difflib  # only for a name that names no input

        said = f"no input named {name!r}"
        close = difflib.get_close_matches(name, [s.name for s in self.inputs], n=1, cutoff=0.6) if isinstance(name, str) else []
        return f"{said}: did you mean {close[0]!r}?" if close else said

    def _coerce(self, data: Mapping[str, object], record: str | None, ratios: bool = False) -> list[object]:
        """Every input's value, or DataError listing every input that has none."""
        values, problems = self._coerce_some(data, None, ratios)
        if problems:
            raise DataError(problems, record)
        return list(values.values())

    def _coerce_some(
        self, data: Mapping[str, object], only: frozenset[str] | None, ratios: bool = False
    ) -> tuple[dict[str, Decimal | bool | str | tuple[Decimal, ...] | Absent], list[Problem]]:
        """The inputs (all, or those in `only`) coerced and domain-checked, and the problems found."""
        values: dict[str, Decimal | bool | str | tuple[Decimal, ...] | Absent] = {}
        problems: list[Problem] = []
        unknown: list[str] | None = None  # the record's keys that name no input: where typos are
        hidden: dict[str, str] | None = None  # its keys with an invisible character, by how they look
        for spec in self.inputs:
            if only is not None and spec.name not in only:
                continue
            if spec.name in self.optional and says_not_applicable(raw := data.get(spec.name)) and not _a_label(spec, raw):
                values[spec.name] = NOT_APPLICABLE
                continue
            if spec.batch is not None and _blank(data.get(spec.name)):  # scored alone, not in its batch
                problems.append(Problem("PF541", spec.name, {"input": spec.name, "batch": spec.batch}))
                continue
            if spec.is_list:
                raw_panel = panel_value(data, spec.name, self.column_kind)
                panel = coerce_list(spec.name, spec.type, raw_panel)
                if not isinstance(panel, Problem):
                    panel = self._panel_bounds(spec, panel, list_items(raw_panel, spec.type), ratios)
                if isinstance(panel, Problem):
                    problems.append(panel)
                else:
                    values[spec.name] = panel
                continue
            given = as_read(data.get(spec.name), spec.type)  # a sheet's `0"%"` cell: 90% for a percent, 90 else
            value = coerce(spec.name, spec.type, given, spec.labels)
            if isinstance(value, Problem) and value.code == "PF502" and value.hint is None and spec.name in self.optional:
                value = evolve(value, hint="may_be_na")  # `不涉及`, `／`: say the words this input may hold instead
            if isinstance(value, Problem) and value.code == "PF501" and spec.name not in data:
                if hidden is None:
                    hidden = hidden_names(data)
                if spec.name in hidden:  # told even where the input may be left out: the user meant it
                    problems.append(hidden_input(spec.name, hidden[spec.name]))
                    continue
            if isinstance(value, Problem) and value.code == "PF501" and spec.name in self.optional:
                values[spec.name] = Absent(value)  # refused only if a row that applies reads it
                continue
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
                    args = {"input": spec.name, "value": show(given), "precision": quantity(spec.precision, spec.type)}
                    problems.append(Problem("PF530", spec.name, args))
                    continue
                value = rounded
            limits = None if ratios else self._ratio_limits.get(spec.name)
            if limits and isinstance(value, Decimal) and not has_percent_sign(given):
                if not all(COMPARE[op](value, limit) for op, limit in limits):
                    problems.append(ambiguous_percent(spec.name, given, value))
                    continue
            for op, bound in spec.bounds:
                if not COMPARE[op](value, bound):
                    domain = f"{op} {quantity(bound, spec.type)}"
                    args = {"input": spec.name, "value": show(given), "domain": domain}
                    problems.append(Problem("PF503", spec.name, args))
                    break
            values[spec.name] = value
        return values, problems

    def _panel_bounds(
        self, spec: InputSpec, panel: tuple[Decimal, ...], items: list[object], ratios: bool
    ) -> tuple[Decimal, ...] | Problem:
        """A panel's values, each within the input's bounds, or the first that is not (PF503).
        A percent's ratio limits (±100%) hold only for a bare number, as for a percent input
        alone: `101%` is a legal percent, and under `ratios` every value is a ratio already."""
        limits = () if ratios else self._ratio_limits.get(spec.name, ())
        for value, item in zip(panel, items, strict=True):
            bare = limits if not has_percent_sign(as_read(item, spec.type)) else ()
            for op, bound in (*spec.bounds, *bare):
                if not COMPARE[op](value, bound):
                    domain = f"{op} {quantity(bound, spec.type)}"
                    return Problem("PF503", spec.name, {"input": spec.name, "value": show(value), "domain": domain})
        return panel


def with_batch(record: Mapping[str, object], batch: Mapping[str, Decimal]) -> dict[str, object]:
    """A record with its batch's values, except those it gives itself (a value known to whoever
    sent the record wins over the one worked out from the rows at hand); a workbook's row keeps
    its formulas never calculated and merged cells (`SheetRecord`)."""
    joined = {**record, **{name: value for name, value in batch.items() if _blank(record.get(name))}}
    return SheetRecord(joined, record.formulas, record.merged) if isinstance(record, SheetRecord) else joined


def _refused(data: object, error: DataError) -> DataError:
    """`error`, or, for a workbook's row, as its refusal says it (PF534 for a formula never calculated)."""
    return data.refused(error) if isinstance(data, SheetRecord) else error


def _enclosing(rows: Sequence[ast.Node]) -> dict[str, tuple[ast.Group, ...]]:
    """Each row's groups, outermost first."""
    found: dict[str, tuple[ast.Group, ...]] = {}

    def visit(node: ast.Node, around: tuple[ast.Group, ...]) -> None:
        found[node.name.text] = around
        if isinstance(node, ast.Group):
            for child in node.children:
                visit(child, (*around, node))

    for row in rows:
        visit(row, ())
    return found


def _find(node: NodeResult, name: str) -> NodeResult:
    """The row called `name` in `node`'s tree (a rubric's names are unique)."""
    pending = [node]
    while pending:
        found = pending.pop()
        if found.name == name:
            return found
        pending.extend(found.children)
    raise KeyError(name)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())




def panel_value(data: Mapping[str, object], name: str, kind_of: Callable[[str], str | None] | None = None) -> object:
    """A panel's raw values: the record's value under its name (a list, or a text `8, 9, 7`), or
    else its numbered columns as a table writes them, `专家评分1`, `专家评分2`, … or
    `专家评分[1]`, … in the order of their numbers; blank cells are left out. A sheet's `0"%"`
    cell is read as its column is (`kind_of`, Rubric.column_kind); no input is named as one of
    these columns (the checker's PF114)."""
    if data.get(name) is not None:
        return data.get(name)
    keys = numbered_columns(name, data)
    values = [data[key] for key in keys]
    if kind_of is not None and SheetPercent in map(type, values):  # a sheet's `0"%"` cell: rare
        values = [as_read(v, kind_of(key)) for key, v in zip(keys, values, strict=True)]
    return [value for value in values if value is not None and not (isinstance(value, str) and not value.strip())] or None


def _exact(value: object, who: str) -> Decimal:
    """`value`, a total, as a Decimal: an int is exact; a float (its binary digits, not the
    figure's), a bool or text (`'95'` failed inside a comparison) is a TypeError."""
    if type(value) is int:
        return Decimal(value)
    if not isinstance(value, Decimal):
        said = f"{who} takes a Decimal (or an int), not {type(value).__name__}"
        if isinstance(value, str):
            said += f": Decimal({value!r})"
        elif isinstance(value, float):
            said += ": Decimal(str(x)) keeps a float's digits"
        raise TypeError(said)
    return value


def _flag(ratios: object) -> None:
    """`ratios` is True or False: anything else ("yes", 0, None) was read for its truth alone."""
    if ratios is not True and ratios is not False:
        raise TypeError(f"ratios takes True or False, not {type(ratios).__name__}: {ratios!r}")


def _arithmetic(error: DecimalException) -> Problem:
    return Problem("PF507", None, {"detail": type(error).__name__})


def not_a_mapping(data: object) -> Problem:
    """PF522: a record that is a list, a string or None rather than a mapping of names to values."""
    return Problem("PF522", None, {"kind": type(data).__name__})


def _record_id(row: object, key: str | None, number: int) -> str:
    if key is not None and isinstance(row, Mapping) and isinstance(row.get(key), bool):  # as `pingfen eval` writes it, not `True`
        return "true" if row.get(key) else "false"
    if key is not None and isinstance(row, Mapping) and row.get(key) is not None:
        try:
            return str(row.get(key))
        except ValueError:  # an int past 4300 digits has no str()
            return show(row.get(key))
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


def given_rubric(value: object, who: str) -> None:
    """TypeError unless `value` is a loaded Rubric: a path given instead failed deep inside
    (AttributeError "'str' object has no attribute 'module'")."""
    if not isinstance(value, Rubric):
        raise TypeError(f"{who} takes a loaded Rubric, not {type(value).__name__}: pingfen.load(path) loads one")


def hidden_names(keys: Iterable[object]) -> dict[str, str]:
    """The names (a record's keys, a file's columns) with an invisible character in them, by
    how they look: `{"投入": "投入\u200b"}`."""
    return {without_invisible(k): k for k in keys if isinstance(k, str) and INVISIBLE_PATTERN.search(k)}


def hidden_input(name: str, column: str) -> Problem:
    """PF527: the data names the input `name` only as `column`, with an invisible character in
    it (pasted from Word or Excel). Told, not read as the input: the user learns that the file
    holds the character, and both engines say so alike."""
    char = INVISIBLE_PATTERN.search(column)
    assert char is not None
    args = {"input": name, "column": invisible_escaped(column),
            "char": invisible_name(char.group(), "en"), "char_zh": invisible_name(char.group(), "zh")}  # fmt: skip
    return Problem("PF527", name, args, "invisible_column")


def hidden_column(rubric: Rubric, columns: Collection[str]) -> Problem | None:
    """PF527 for the first input a file's header names only with an invisible character."""
    hidden = hidden_names(columns)
    for spec in rubric.inputs:
        if spec.name in hidden and spec.name not in columns:
            return hidden_input(spec.name, hidden[spec.name])
    return None


_UNIT_AFTER = re.compile(r"\s*[(（\[［【][^()（）]*[)）\]］】]\s*")


def _with_suggestion(problem: Problem, unknown: list[str]) -> Problem:
    """For a missing input, suggest a key of the record (one naming no input) that looks like a misspelling."""
    if problem.input is None:
        return problem
    # ` 满意度 `, `满意度\u00a0`, `满 意 度`: the name with spaces, which difflib passed over for a short
    # one (` 分 `) and called a misspelling where no letter is wrong
    bare = _unspaced(problem.input)
    spaced = [k for k in unknown if _unspaced(k) == bare]
    if spaced:
        return Problem(problem.code, problem.input, dict(problem.args) | {"suggestion": invisible_escaped(spaced[0])}, "spaced_key")
    import difflib  # only for a record with a misspelt input

    # The name with a unit after it (`投入(%)`, `结余（万元）`), as tables head their columns:
    # too far from a short name for difflib, and the likeliest misspelling of all.
    close = [k for k in unknown if k.startswith(problem.input) and _UNIT_AFTER.fullmatch(k[len(problem.input) :])]
    close = close or difflib.get_close_matches(problem.input, unknown, n=1, cutoff=0.6)
    if not close:
        return problem
    return Problem(problem.code, problem.input, dict(problem.args) | {"suggestion": close[0]}, "did_you_mean_key")


def _unspaced(name: str) -> str:
    """`name` without its spaces (any, an NBSP or full-width one too) and invisible characters."""
    return "".join(without_invisible(name).split())


def _a_label(spec: InputSpec, raw: object) -> bool:
    """Whether a cell that says 不适用 is one of a label input's declared labels (`label { 甲, NA }`):
    read as that label, as the compiled path reads it, not as the mark."""
    return spec.type == "label" and isinstance(raw, str) and raw.strip() in spec.labels

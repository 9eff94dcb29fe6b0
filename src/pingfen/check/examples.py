"""Examples and properties: what they mean (the record an example gives, after `from`) and
the static checks on them (PF6xx), run by the checker with the rest.

An example's record is its base's record (recursively) with its own `given` entries laid
over it. Values stay as written; they reach the rubric through `values.coerce`, as a data
file's values do. The checker coerces them too, so a value that does not fit its input is
reported at load, where it is written, not when the example runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from pingfen import ast
from pingfen.absent import says_not_applicable
from pingfen.check.applies import plan
from pingfen.check.checker import RuleChecker
from pingfen.check.soundness import domain_of
from pingfen.display import plain
from pingfen.errors import Problem
from pingfen.values import ZERO, coerce, coerce_list, numbered_columns

# Data errors an example may expect; PF508 (an unreadable file) cannot happen to an example.
DATA_CODES = ("PF501", "PF502", "PF503", "PF504", "PF505", "PF506")


def records(module: ast.Module) -> dict[str, dict[str, ast.Given]]:
    """Each example's givens by input name, its base's included; a missing base or a cycle
    of `from`s contributes nothing (the checker reports both)."""
    by_name: dict[str, ast.Example] = {}
    for ex in module.examples:
        by_name.setdefault(ex.name, ex)
    resolved: dict[str, dict[str, ast.Given]] = {}

    def resolve(name: str, seen: tuple[str, ...]) -> dict[str, ast.Given]:
        if name in resolved:
            return resolved[name]
        ex = by_name[name]
        record: dict[str, ast.Given] = {}
        if ex.base is not None and ex.base in by_name and ex.base not in seen:
            record.update(resolve(ex.base, (*seen, name)))
        record.update({g.name.text: g for g in ex.givens})
        resolved[name] = record
        return record

    for name in by_name:
        resolve(name, ())
    return resolved


def raw_record(givens: Mapping[str, ast.Given]) -> dict[str, object]:
    """The record as a data file would hold it."""
    return {name: g.value.raw for name, g in givens.items()}


def places(n: ast.Number) -> int:
    """Decimal places written in a literal: `4.17` has 2, `5` has 0."""
    exponent = n.value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0




class ExampleChecks:
    """The PF6xx checks, reporting through the checker that runs them."""

    def __init__(self, checker: RuleChecker) -> None:
        self.checker = checker
        self.module = checker.module
        self.report: Callable[..., None] = checker.report
        self.inputs = {i.name.text: i for i in self.module.inputs}
        self.nodes = {n.name.text: n for n, _ in ast.walk_nodes(self.module.rows)}
        header = self.module.header
        self.total = (
            header.total.value
            if header is not None and header.total is not None
            else sum((n.max.value for n in self.module.top), ZERO)
        )
        if header is not None and self.module.outside:  # the most a total reaches with the bonus rows
            # the bonus rows' and the adjust rows' upper ends
            bonus = sum((o.row.max.value for o in self.module.outside if o.kind != "penalty"), ZERO)
            self.total = header.cap.value if header.cap is not None else self.total + bonus
        self.grades = [g.name.text for g in header.grades] if header is not None else []
        self.judged = ast.judged_maxima(self.module)
        self.missing: dict[str, list[str]] = {}  # whole examples' missing inputs, by example name
        self.bases: dict[str, str | None] = {}  # each example's `from`, by example name
        # read only by rows that may not apply: an example may leave these out or say 不适用
        self.optional = plan(self.module, checker.symbols, checker.let_order).optional

    def run(self) -> None:
        self.examples()
        for prop in self.module.properties:
            self.property(prop)

    # ---------------------------------------------------------------- examples
    def examples(self) -> None:
        first: dict[str, ast.Example] = {}
        for ex in self.module.examples:
            if ex.name in first:
                self.report("PF604", ex.name_span, "first_defined", name=ex.name, line=first[ex.name].span.line)
            else:
                first[ex.name] = ex
        for ex in first.values():
            if ex.base is not None:
                if ex.base not in first:
                    suggestion = self.checker.suggestions.closest(ex.base, first)
                    hint = "did_you_mean" if suggestion else "example_names"
                    self.report("PF603", ex.base_span, hint, name=ex.base, suggestion=suggestion,
                                names=", ".join(f'"{n}"' for n in first) or "—")  # fmt: skip
                elif self.cycle(ex, first):
                    self.report("PF609", ex.base_span, "break_from", name=ex.name)
        resolved = records(self.module)
        broken = {ex.name for ex in first.values() if ex.base is not None and (ex.base not in first or
                                                                              self.cycle(ex, first))}  # fmt: skip
        wholes = [ex for ex in self.module.examples
                  if first.get(ex.name) is ex and not self.leads_to(ex, broken, first)]  # fmt: skip
        self.missing = {ex.name: self.missing_inputs(ex, resolved.get(ex.name, {})) for ex in wholes}
        self.bases = {name: ex.base for name, ex in first.items()}
        for ex in self.module.examples:
            self.example(ex, resolved.get(ex.name, {}) if ex in wholes else None)

    @staticmethod
    def leads_to(ex: ast.Example, broken: set[str], by_name: Mapping[str, ast.Example]) -> bool:
        """Whether ex, or an example it starts from, has a base that cannot be resolved."""
        seen: set[str] = set()
        name: str | None = ex.name
        while name is not None and name in by_name and name not in seen:
            if name in broken:
                return True
            seen.add(name)
            name = by_name[name].base
        return False

    @staticmethod
    def cycle(ex: ast.Example, by_name: Mapping[str, ast.Example]) -> bool:
        seen = {ex.name}
        base = ex.base
        while base is not None and base in by_name:
            if base in seen:
                return True
            seen.add(base)
            base = by_name[base].base
        return False

    def example(self, ex: ast.Example, record: Mapping[str, ast.Given] | None) -> None:
        """record: the example's givens with its base's, None when they cannot be known
        (a missing or circular base, a repeated name) and were reported so."""
        seen: dict[str, ast.Given] = {}
        for g in ex.givens:
            name = g.name.text
            if name in seen:
                self.report("PF610", g.name.span, "first_defined", name=name, line=seen[name].span.line)
            seen[name] = g
            if name not in self.inputs:
                self.unknown_input(g.name, ex.givens)
        errors = [e for e in ex.expects if isinstance(e, ast.ExpectError)]
        scores = [e for e in ex.expects if not isinstance(e, ast.ExpectError)]
        if not ex.expects:
            self.report("PF611", ex.name_span, "add_expect", "warning", name=ex.name)
        if errors and scores:
            self.report("PF612", scores[0].span, "split_example", name=ex.name)
        if len(errors) > 1:
            self.report("PF612", errors[1].span, "split_example", name=ex.name)
        if record is not None:
            self.givens_fit(ex, record, errors[0] if errors else None)
        else:  # its base is unknown (reported): the values it writes itself are checked all the same
            self.givens_fit(ex, {g.name.text: g for g in ex.givens}, errors[0] if errors else None, whole=False)
        for e in ex.expects:
            self.expectation(e)

    def givens_fit(
        self, ex: ast.Example, record: Mapping[str, ast.Given], refused: ast.ExpectError | None, whole: bool = True
    ) -> None:
        """Every input given (when the record is `whole`), every value of its input's type and
        domain, percents as percents; an expected refusal excuses the input it names (or, named
        by code alone, the kind)."""
        excused = refused.input.text if refused is not None and refused.input is not None else None
        bare = refused is not None and refused.input is None
        code = refused.code if refused is not None else None
        if whole:
            self.missing_reported(ex)
        if bare and code in (None, "PF502", "PF503", "PF506"):
            return
        for name, given in record.items():
            decl = self.inputs.get(name)
            if decl is None or name == excused:
                continue
            own = given in ex.givens
            if name in self.optional and says_not_applicable(given.value.raw):
                continue
            if decl.type == "percent" and given.value.kind == "number" and given.value.raw != 0:
                if own:  # written as a ratio: PF204, as a bare number beside a percent anywhere
                    lit = ast.Number(Decimal(given.value.text), "number", given.value.text, given.value.span)
                    self.checker.expect_fits("percent", lit)
                continue
            problem = self.misfit(decl, given.value)
            if problem is not None:
                if own:  # an inherited value is reported where it is written
                    self.report(
                        "PF605", given.value.span, "given_fit", example=ex.name,
                        detail=problem.message("en"), detail_zh=problem.message("zh"),
                    )  # fmt: skip

    def missing_inputs(self, ex: ast.Example, record: Mapping[str, ast.Given]) -> list[str]:
        """The inputs the example's record lacks, less those its expected refusal excuses."""
        refused = next((e for e in ex.expects if isinstance(e, ast.ExpectError)), None)
        if refused is not None and refused.input is None and refused.code in (None, "PF501"):
            return []
        excused = refused.input.text if refused is not None and refused.input is not None else None
        return [name for name in self.inputs if name not in record and name != excused and name not in self.optional]

    def missing_reported(self, ex: ast.Example) -> None:
        """PF608 once, where an input first goes missing: the examples built on this one that
        lack it only through `from` are named in the same diagnostic, not reported again."""
        own = [n for n in self.missing[ex.name] if not self.inherits(ex.name, n)]
        if not own:
            return
        heirs = [e.name for e in self.module.examples
                 if e.name != ex.name and e.name in self.missing
                 and any(self.origin(e.name, n) == ex.name for n in own)]  # fmt: skip
        quoted = [f'"{h}"' for h in heirs]
        self.report(
            "PF608", ex.name_span, "give_inputs", example=ex.name,
            names=", ".join(f"`{n}`" for n in own), names_zh="、".join(f"`{n}`" for n in own),
            heirs=f"; nor do the {len(heirs)} examples built on it: {', '.join(quoted)}" if len(heirs) > 1
            else f"; nor does {quoted[0]}, built on it" if heirs else "",
            heirs_zh=f"；以它为基础的 {len(heirs)} 个示例同样缺少：{'、'.join(f'“{h}”' for h in heirs)}"
            if heirs else "",
        )  # fmt: skip

    def inherits(self, name: str, missing: str) -> bool:
        """The example lacks the input only because its base lacks it too."""
        base = self.base_of(name)
        return base is not None and missing in self.missing.get(base, ())

    def origin(self, name: str, missing: str) -> str | None:
        """The example where `missing` first goes missing on the `from` chain up from `name`."""
        if missing not in self.missing.get(name, ()):
            return None
        while self.inherits(name, missing):
            base = self.base_of(name)
            assert base is not None  # inherits() found it
            name = base
        return name

    def base_of(self, name: str) -> str | None:
        return self.bases.get(name)

    def misfit(self, decl: ast.Input, value: ast.GivenValue) -> Problem | None:
        labels = tuple(lb.text for lb in decl.labels)
        if decl.is_list:  # a panel, given as a text: "8, 9, 7.5"
            panel = coerce_list(decl.name.text, decl.type, value.raw)
            if isinstance(panel, Problem):
                return panel
            values: tuple[object, ...] = panel
        else:
            values = (coerce(decl.name.text, decl.type, value.raw, labels),)
        for coerced in values:
            if isinstance(coerced, Problem):
                return coerced
            if not isinstance(coerced, Decimal):
                continue
            domain = domain_of(decl, self.judged.get(decl.name.text))
            if not domain.contains(coerced):
                shown = f'"{value.text}"' if value.kind != "number" else value.text
                domain_text = _domain_text(decl, self.judged.get(decl.name.text))
                return Problem(
                    "PF503", decl.name.text, {"input": decl.name.text, "value": shown, "domain": domain_text}
                )
        return None

    def unknown_input(self, name: ast.Name, givens: tuple[ast.Given, ...] = ()) -> None:
        symbol = self.checker.symbols.get(name.text)
        if symbol is not None and isinstance(symbol.decl, ast.Let):
            self.report("PF601", name.span, "not_a_let", name=name.text)
            return
        # `专家评分1`, a panel's column in a table: `did you mean 专家评分?` led to `专家评分: 8`, one score
        panel = next((i for i in self.inputs.values() if i.is_list and numbered_columns(i.name.text, [name.text])), None)
        if panel is not None:
            self.report("PF601", name.span, "panel_in_example", name=name.text, given=_panel_given(panel, givens))
            return
        suggestion = self.checker.suggestions.closest(name.text, self.inputs)
        if suggestion:
            self.report("PF601", name.span, "did_you_mean", name=name.text, suggestion=suggestion)
        else:
            self.report("PF601", name.span, "declare_input", name=name.text)

    def node(self, name: ast.Name | None) -> Decimal | None:
        """The max of the named node (None: the total); None after reporting an unknown name."""
        if name is None:
            return self.total
        node = self.nodes.get(name.text)
        if node is None:
            suggestion = self.checker.suggestions.closest(name.text, self.nodes)
            hint = "did_you_mean" if suggestion else "node_or_total"
            self.report("PF602", name.span, hint, name=name.text, suggestion=suggestion)
            return None
        return node.max.value

    def points(self, target: ast.Name | None, op: str, value: ast.Number) -> None:
        top = self.node(target)
        row = self.nodes.get(target.text) if target is not None else None
        low = row.low.value if isinstance(row, ast.Indicator) and row.low is not None else ZERO  # an adjust row: signed
        if value.unit != "number":
            self.report("PF201", value.span, "score_points", action="compare", left="score", right="percent")
        elif top is not None and op in ("=", "~=") and not low <= value.value <= top:
            shown = "total" if target is None else target.text
            self.report("PF607", value.span, "score_range", name=shown, value=value.text or str(value.value),
                        max=plain(top))  # fmt: skip

    def expectation(self, e: ast.Expectation) -> None:
        if isinstance(e, ast.ExpectScore):
            self.points(e.target, e.op, e.value)
        elif isinstance(e, ast.ExpectGrade):
            if e.grade.text not in self.grades:
                suggestion = self.checker.suggestions.closest(e.grade.text, self.grades)
                hint = "did_you_mean" if suggestion else "grades"
                self.report("PF606", e.grade.span, hint, name=e.grade.text, suggestion=suggestion,
                            grades=", ".join(self.grades) or "—")  # fmt: skip
        else:
            if e.code is not None and e.code not in DATA_CODES:
                self.report("PF614", e.span, "data_codes", given_code=e.code, codes=", ".join(DATA_CODES))
            if e.input is not None and e.input.text not in self.inputs:
                self.unknown_input(e.input)

    # ---------------------------------------------------------------- properties
    def property(self, prop: ast.Property) -> None:
        if isinstance(prop, ast.Monotone):
            decl = self.inputs.get(prop.input.text)
            if decl is None:
                self.unknown_input(prop.input)
            elif decl.is_list:  # a panel: lists compared as Python does (element by element) meant nothing
                self.report("PF613", prop.input.span, "monotone_panel", name=prop.input.text, kind="a panel (a list of scores)",
                            kind_zh="评分列表（多位专家的评分）")  # fmt: skip
            elif decl.type == "label":
                self.report("PF613", prop.input.span, "monotone_input", name=prop.input.text, kind="a label", kind_zh="选项型输入")
            if prop.target is not None:
                self.node(prop.target)
            return
        self.points(prop.target, prop.op, prop.value)
        if prop.op not in ("=", "!=", "<", "<=", ">", ">="):  # pragma: no cover - the grammar admits no other
            return
        if prop.condition is not None:
            self.checker.condition_unmarked(prop.condition)


def _panel_given(panel: ast.Input, givens: tuple[ast.Given, ...]) -> str:
    """The `given` entry that gives a panel the values its numbered entries give one by one,
    in the order of their numbers (`专家评分: "8, 9"` for `专家评分1: 8, 专家评分2: 9`)."""
    texts = {g.name.text: g.value.text for g in givens}
    values = [texts[key] for key in numbered_columns(panel.name.text, texts)]
    return f'{panel.name.text}: "{", ".join(values) or "…"}"'  # named in an `expect`: no values to show


def _domain_text(decl: ast.Input, judged: Decimal | None) -> str:
    parts = [f"{b.op} {b.value.text}" for b in decl.bounds]
    if decl.type == "score":
        parts = [">= 0", *([f"<= {plain(judged)}"] if judged is not None else []), *parts]
    return " and ".join(parts)

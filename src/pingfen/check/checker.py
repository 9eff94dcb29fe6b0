"""Static checks of a parsed rubric: names, types and units, points and maxima.

Pure: AST in, diagnostics and a symbol table out. Every problem is collected; the
compiler runs only on a module with no errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import assert_never

from attrs import define

from pingfen import ast
from pingfen.check.suggest import Suggestions
from pingfen.diagnostics import Diagnostic, Severity, Span
from pingfen.display import plain
from pingfen.reasons import placeholders, template_pieces
from pingfen.values import FALSE_WORDS, TRUE_WORDS, ZERO, numbered_columns

DIGITS = 28  # significant digits of the evaluation context
MAX_PLACES = 10  # a total rounded finer than this is a typo, and would outgrow 28 digits
NUMERIC = {"percent", "amount", "count", "number", "score"}
REASON_FIELDS = ("score", "max", "lost", "value")
# PF203's hint where a number is needed: what to do with the kind of value found instead
_NOT_NUMBER = {"bool": "bool_number", "label": "label_number", "date": "date_number"}
# PF203's hint where `match` reads no label: how a value of the kind found is scored instead
_NOT_LABEL = {"bool": "match_bool", "date": "match_date"}
MAX_PANEL = 100  # columns a panel's template may have


def template_problem(template: str) -> tuple[str, str] | None:
    """What makes a reason template unusable, in English and Chinese: an unmatched
    brace, or a placeholder with a format (`{lost:.1f}`)."""
    pieces = template_pieces(template)
    if pieces is None:
        return "a `{` or `}` has no partner", "有未配对的 `{` 或 `}`"
    for _, name, spec in pieces:
        if name is not None and spec:
            return f"`{{{name}}}` carries a format", f"`{{{name}}}` 带有格式说明"
    return None


def _literal(e: ast.Expr) -> ast.Number | None:
    """A literal, or a negated one (`-5`), as one Number."""
    if isinstance(e, ast.Number):
        return e
    if isinstance(e, ast.Neg) and isinstance(e.operand, ast.Number):
        n = e.operand
        return ast.Number(-n.value, n.unit, "-" + n.text, e.span)
    return None


@define
class Symbol:
    """An input or a `let` value, with the unit its values carry."""

    name: str
    unit: str
    decl: ast.Input | ast.Let


# What a row with no rules does, by its kind (None: an indicator), as PF305 says it: the hint,
# then the row's kind and its fate in English and Chinese. An adjust row starts at 0, so an
# empty one counts 0; a penalty row's rules are deductions only (PF220), so its hint says those.
_EMPTY: dict[ast.OutsideKind | None, tuple[str, str, str, str, str]] = {
    None: ("add_rule", "", "指标 ", "always gets full marks", "总是得满分"),
    "bonus": ("add_rule", "bonus row ", "加分项 ", "always adds its full points", "总是加满分"),
    "penalty": ("add_deduction", "penalty row ", "扣分项 ", "never takes any points", "从不扣分"),
    "adjust": ("add_adjustment", "adjust row ", "加减分项 ", "always counts 0", "总是计 0 分"),
}


class RuleChecker:
    def __init__(self, module: ast.Module) -> None:
        self.module = module
        self.out: list[Diagnostic] = []
        self.symbols: dict[str, Symbol] = {}
        self.let_order: list[ast.Let] = []
        self.used: set[str] = set()
        self.misspelt: dict[str, ast.Name] = {}  # a declared name -> the first undefined name close to it
        self.suggestions = Suggestions()
        self._let_units: dict[str, str] = {}
        self._marking = True
        self.units: dict[ast.Expr, str] = {}
        self.label_literals: set[str] = set()  # undeclared names read as a label (`类型 = 大型会议`)
        self._score_max: str | None = None  # inside a formula's arithmetic: the points it may give

    def report(
        self, code: str, span: Span, hint: str | None = None, severity: Severity = "error", **args: object
    ) -> None:
        self.out.append(Diagnostic(code, span, args, severity, hint))

    # ---------------------------------------------------------------- driver
    def run(self) -> None:
        self.check_header()
        self.declare_symbols()
        self.order_lets()
        for inp in self.module.inputs:
            if inp.batch is not None and self.symbols.get(inp.name.text) is not None:
                self.check_batch(inp, inp.batch)
        self._marking = False  # a let's own references count only once the let is used
        for let in self.let_order:
            self._let_units[let.name.text] = self.unit_of(let.expr)
            if self._let_units[let.name.text] == "list":  # `let x = 专家评分`: a panel is read by mean(…), …
                self.report("PF150", let.expr.span, "panel_read", name=self.module_text(let.expr))
                self._let_units[let.name.text] = "?"
            self.symbols[let.name.text].unit = self._let_units[let.name.text]
        self._marking = True
        for inp in self.module.inputs:
            self.check_bounds(inp)
        self.check_tree()
        for inp in self.module.inputs:
            if inp.name.text not in self.used:
                self.report_unused("PF104", inp.name)
        for let in self.module.lets:
            if let.name.text not in self.used and self.symbols[let.name.text].decl is let:
                self.report_unused("PF111", let.name)

    def report_unused(self, code: str, name: ast.Name) -> None:
        """An unused input or value. When an undefined name is close to it, the unused
        declaration is most likely a symptom of that typo (PF102): the hint says so, rather
        than inviting the user to delete what the rubric needs."""
        typo = self.misspelt.get(name.text)
        if typo is None and name.span.file > 0:  # declared in a file this one extends: not to be deleted there
            self.report(code, name.span, "remove_base_input", "warning", name=name.text)
        elif typo is None:
            self.report(code, name.span, "remove_unused", "warning", name=name.text)
        else:
            args = {"name": name.text, "typo": typo.text, "line": typo.span.line}
            self.report(code, name.span, "misspelt_use", "warning", **args)

    # ---------------------------------------------------------------- header
    def check_header(self) -> None:
        headers = self.module.headers
        if not headers:
            self.report("PF105", self.module.span if self.module.span.known else Span(0, 0, 1, 1, 1, 1), "header")
            return
        for extra in headers[1:]:
            self.report("PF109", extra.span, "one_header")
        header = headers[0]
        places = header.round_places
        if places is not None and not 0 <= places.value <= MAX_PLACES:
            self.report("PF307", places.span, "places_range", places=places.text, limit=MAX_PLACES)
        elif header.total is not None:  # the rounded total must fit in 28 digits
            wanted = (places.value if places is not None else 2) + max(header.total.value.adjusted() + 1, 1)
            if wanted > DIGITS:
                where = places.span if places is not None else header.total.span
                self.report("PF307", where, "total_digits", places=places.text if places else "2", digits=DIGITS)

        for grade in header.grades:
            if grade.op is not None and grade.op not in (">=", ">"):
                self.report("PF206", grade.span, "grade_comparison", op=grade.op)
            if grade.threshold is not None and grade.threshold.unit != "number":
                self.report(
                    "PF201", grade.threshold.span, "grade_points", action="compare", left="score", right="percent"
                )
        top_sum = sum((n.max.value for n in self.module.top), ZERO)
        if not self.module.top:  # loads, but every record would score 0 of the total
            total_of = plain(header.total.value) if header.total is not None else "0"
            self.report("PF311", (header.total or header).span, "add_rows", "warning", total=total_of)
        if header.total is not None and self.module.top and top_sum != header.total.value:
            self.report("PF303", header.total.span, "fix_sum", sum=plain(top_sum), max=plain(header.total.value))
        total = header.total.value if header.total is not None else top_sum
        if header.cap is not None and header.cap.value < total:
            self.report("PF221", header.cap.span, "raise_cap", cap=plain(header.cap.value), total=plain(total))
        for outside in self.module.outside:
            row = outside.row
            if row.low is not None:  # an adjust row: at most 0 .. at least 0, not both 0
                for end, number in (("lower", row.low), ("upper", row.max)):
                    if (number.value > 0) if end == "lower" else (number.value < 0):
                        self.report("PF223", number.span, "adjust_sign", name=row.name.text, end=end,
                                    end_zh="下" if end == "lower" else "上", value=number.text)  # fmt: skip
                if row.low.value == 0 and row.max.value == 0:
                    self.report("PF224", row.name.span, "adjust_range", name=row.name.text)
            if outside.kind == "penalty":  # its lost points are what it takes: only deductions say that
                for rule in outside.row.rules:
                    if not ast.is_deduction(rule):
                        self.report("PF220", rule.span, "penalty_deducts", name=outside.row.name.text)

    # ---------------------------------------------------------------- symbols
    def declare_symbols(self) -> None:
        first: dict[str, ast.Input | ast.Let] = {}
        decls: tuple[ast.Input | ast.Let, ...] = (*self.module.inputs, *self.module.lets)
        for decl in decls:
            name = decl.name.text
            if name in first:
                self.report("PF103", decl.name.span, "first_defined", name=name, line=first[name].name.span.line)
                continue
            first[name] = decl
            unit: str = decl.type if isinstance(decl, ast.Input) else "number"
            if isinstance(decl, ast.Input) and decl.is_list:
                unit = "list"  # read only through mean(…), median(…), …: `call` gives the element's unit
                self.check_panel(decl)
            self.symbols[name] = Symbol(name, unit, decl)
        self.check_panel_columns()

    def check_panel_columns(self) -> None:
        """An input named as a panel's numbered column (`评分1` beside `input 评分: list of percent`):
        a table's column `评分1` would be both that input's and the panel's first score, read as one
        type for both, so a panel of percents could take 90 as 9000% (PF114, an error as PF103 is)."""
        panels = [decl for decl in self.module.inputs if decl.is_list]
        names = {decl.name.text: decl for decl in reversed(self.module.inputs)}  # each name's first
        for panel in panels:
            for column in numbered_columns(panel.name.text, names):
                clash = names[column]
                self.report("PF114", clash.name.span, "rename_panel_column", name=column, panel=panel.name.text,
                            line=panel.name.span.line)  # fmt: skip

    def check_batch(self, decl: ast.Input, batch: ast.Batch) -> None:
        """A value across a batch reads inputs only (PF153: a `let` or another batch value is
        worked out per record, after the batch), and numbers; its unit follows its function."""
        for e in ast.walk_expressions(batch.expr):
            if isinstance(e, ast.Ref) and (symbol := self.symbols.get(e.name.text)) is not None:
                if isinstance(symbol.decl, ast.Let) or symbol.decl.batch is not None:
                    self.report("PF153", e.span, "batch_inputs", name=e.name.text)
                    self.symbols[decl.name.text].unit = "?"
                    self.mark_used(e.name.text)  # reported once, as PF153, not also as unused
                    return
        unit = self.numeric(batch.expr)
        if batch.func in ("count", "rank"):
            unit = "count"
        elif batch.func in ("mean", "median") and unit == "count":
            unit = "number"  # the mean of counts need not be whole
        self.symbols[decl.name.text].unit = unit

    def check_panel(self, decl: ast.Input) -> None:
        """A panel holds numbers (PF151), and says how many as a whole number of at least one (PF152)."""
        if decl.type not in NUMERIC:
            self.report("PF151", decl.name.span, "panel_numeric", name=decl.name.text, type=decl.type)
        size = decl.size
        if size is not None and (size.value != size.value.to_integral_value() or not 1 <= size.value <= MAX_PANEL):
            self.report("PF152", size.span, "panel_size", text=size.text, limit=MAX_PANEL)

    def order_lets(self) -> None:
        """Topological order of `let`s; a cycle is reported once per let in it. Depth-first
        with a stack of its own, not recursion: a chain of lets can be thousands long."""
        lets = {n: s.decl for n, s in self.symbols.items() if isinstance(s.decl, ast.Let)}
        state: dict[str, int] = {}  # 1 visiting, 2 done

        def reads(let: ast.Let) -> Iterator[str]:
            return (e.name.text for e in ast.walk_expressions(let.expr) if isinstance(e, ast.Ref) and e.name.text in lets)

        for start in lets:
            if start in state:
                continue
            state[start] = 1
            stack = [(lets[start], reads(lets[start]))]
            while stack:
                let, deps = stack[-1]
                for dep in deps:
                    if state.get(dep) == 1:
                        self.report("PF106", let.name.span, "break_cycle", name=let.name.text)
                    elif dep not in state:
                        state[dep] = 1
                        stack.append((lets[dep], reads(lets[dep])))
                        break
                else:
                    stack.pop()
                    state[let.name.text] = 2
                    self.let_order.append(let)

    # ---------------------------------------------------------------- units
    def resolve(self, name: ast.Name) -> Symbol | None:
        symbol = self.symbols.get(name.text)
        if symbol is None:
            self.undefined(name, self.symbols)
            return None
        if self._marking:
            self.mark_used(name.text)
        return symbol

    def mark_used(self, name: str) -> None:
        """Mark a symbol used, and through a `let`, everything it reads (with a stack, not
        recursion: a chain of a thousand lets is as deep)."""
        pending = [name]
        while pending:
            name = pending.pop()
            if name in self.used or name not in self.symbols:
                continue
            self.used.add(name)
            decl = self.symbols[name].decl
            if isinstance(decl, ast.Let):
                pending.extend(e.name.text for e in ast.walk_expressions(decl.expr) if isinstance(e, ast.Ref))

    def undefined(self, name: ast.Name, known: Iterable[str], declare: str = "declare_input") -> None:
        close = self.suggestions.closest(name.text, known)
        if close:
            self.misspelt.setdefault(close, name)
            self.report("PF102", name.span, "did_you_mean", name=name.text, suggestion=close)
        elif name.text.lower() in TRUE_WORDS | FALSE_WORDS:  # `= 是`: a data file's yes, not a rule's
            value = "true" if name.text.lower() in TRUE_WORDS else "false"
            self.report("PF102", name.span, "bool_word", name=name.text, value=value)
        else:
            self.report("PF102", name.span, declare, name=name.text)

    def unit_of(self, e: ast.Expr) -> str:
        """The unit of an expression's value, reporting misuse; "?" once already reported."""
        unit = self._infer(e)
        self.units[e] = unit
        return unit

    def _infer(self, e: ast.Expr) -> str:
        match e:
            case ast.Number():
                return "percent" if e.unit in ("percent", "pp") else "number"
            case ast.Bool():
                return "bool"
            case ast.Ref():
                symbol = self.resolve(e.name)
                if symbol is None:
                    return "?"
                if isinstance(symbol.decl, ast.Let):
                    return self._let_units.get(symbol.name, "?")
                return symbol.unit
            case ast.Neg():
                return self.numeric(e.operand)
            case ast.And() | ast.Or():
                self.condition(e.left)
                self.condition(e.right)
                return "bool"
            case ast.Not():
                self.condition(e.operand)
                return "bool"
            case ast.Compare():
                self.compare(e.op, e.left, e.right, e.span)
                return "bool"
            case ast.Call():
                return self.call(e)
            case ast.Binary():
                return self.binary(e)
            case ast.IfElse():
                return self.if_else(e)
            case ast.Round():
                if not 0 <= e.places.value <= MAX_PLACES:
                    self.report("PF130", e.places.span, "places_range", places=e.places.text, limit=MAX_PLACES)
                return self.numeric(e.value)
            case _:
                assert_never(e)

    def panel(self, e: ast.Expr) -> ast.Input | None:
        """The panel input `e` names, if it names one."""
        if isinstance(e, ast.Ref) and (symbol := self.symbols.get(e.name.text)) is not None:
            decl = symbol.decl
            if isinstance(decl, ast.Input) and decl.is_list:
                return decl
        return None

    def if_else(self, e: ast.IfElse) -> str:
        """`if C then A else B`: C a condition; A and B of one kind, plain numbers adapting."""
        self.condition(e.condition)
        then, other = self.unit_of(e.then), self.unit_of(e.otherwise)
        if "?" in (then, other):
            return "?"
        if then in NUMERIC and other in NUMERIC:
            self.bare_against_percent(e.then, other)
            self.bare_against_percent(e.otherwise, then)
            return self.join([then, other], [e.then, e.otherwise], "combine", e.span)
        if then != other:
            self.report("PF201", e.span, "same_branches", action="combine", left=then, right=other)
            return "?"
        return then

    def call(self, e: ast.Call) -> str:
        if e.func in ast.DURATIONS:
            return self.duration(e)
        panel = self.panel(e.args[0])
        if e.func in ast.AGGREGATES or panel is not None:
            return self.aggregate(e, panel)
        units = [self.numeric(a) for a in e.args]
        if e.func == "abs":
            if len(e.args) != 1:
                n = len(e.args)
                self.report(
                    "PF203",
                    e.span,
                    "one_value",
                    expected="one value",
                    expected_zh="一个数值",
                    found=f"{n} values",
                    found_zh=f"{n} 个数值",
                )
            return units[0]
        joined = self.join(units, e.args, "compare", e.span)
        for arg in e.args:
            self.bare_against_percent(arg, joined, arithmetic=True)
        return joined

    def duration(self, e: ast.Call) -> str:
        """`days(a, b)`, `months(a, b)`: two dates (PF230), a plain number."""
        units = [self.unit_of(a) for a in e.args]
        if len(e.args) != 2 or any(u not in ("date", "?") for u in units):
            self.report("PF230", e.span, "two_dates", func=e.func)
        return "number"

    def aggregate(self, e: ast.Call, panel: ast.Input | None) -> str:
        """`mean(专家评分)`: one argument, a panel (PF150); the element's unit, a plain number for `count`."""
        if panel is None or len(e.args) != 1:
            for arg in e.args:
                if self.panel(arg) is None:
                    self.unit_of(arg)  # its own mistakes, and its names marked used
            self.report("PF150", e.span, "panel_call", func=e.func)
            return "?"
        self.unit_of(e.args[0])
        return "number" if e.func == "count" or panel.type not in NUMERIC else panel.type

    def binary(self, e: ast.Binary) -> str:
        left, right = self.numeric(e.left), self.numeric(e.right)
        if e.op in "+-":
            self.pp_check(e.left, right)
            self.pp_check(e.right, left)
            self.bare_against_percent(e.left, right, arithmetic=True)
            self.bare_against_percent(e.right, left, arithmetic=True)
            return self.join([left, right], [e.left, e.right], "add", e.span)
        return self.product(e.op, left, right)

    @staticmethod
    def module_text(e: ast.Expr) -> str:
        return e.name.text if isinstance(e, ast.Ref) else "…"

    def product(self, op: str, left: str, right: str) -> str:
        if "?" in (left, right):
            return "?"
        if op == "/" and left == right:
            return "percent" if left != "number" else "number"
        if op == "*" and {left, right} == {"percent", "number"} and self._score_max is not None:
            return "number"  # in a score, a ratio times points is points: 基准价 / 报价 * 30
        if right in ("number", "percent"):
            return left
        if op == "*" and left in ("number", "percent"):
            return right
        return "number"

    def join(self, units: list[str], exprs: Iterable[ast.Expr], action: str, span: Span) -> str:
        """Values added or compared must share a unit; plain numbers adapt to the other side."""
        known = [u for u in units if u not in ("?", "number")]
        if len(set(known)) > 1:
            self.report("PF201", span, "same_unit", action=action, left=known[0], right=known[1])
            return "?"
        if "?" in units:
            return "?"
        return known[0] if known else "number"

    def numeric(self, e: ast.Expr) -> str:
        unit = self.unit_of(e)
        if unit == "list":
            self.report("PF150", e.span, "panel_read", name=self.module_text(e))
            return "?"
        if unit not in NUMERIC and unit != "?":
            self.report("PF203", e.span, _NOT_NUMBER.get(unit), expected="number", found=unit)
            return "?"
        return unit

    def condition_unmarked(self, e: ast.Expr) -> None:
        """A condition that reads values without using them for a score (a property's)."""
        marking, self._marking = self._marking, False
        try:
            self.condition(e)
        finally:
            self._marking = marking

    def condition(self, e: ast.Expr) -> None:
        unit = self.unit_of(e)
        if unit == "list":
            self.report("PF150", e.span, "panel_read", name=self.module_text(e))
        elif unit in NUMERIC and isinstance(e, ast.Ref):
            self.report("PF203", e.span, "make_condition", expected="bool", found=unit, text=e.name.text)
        elif unit not in ("bool", "?"):
            self.report("PF203", e.span, "need_condition", expected="bool", found=unit)

    def bare_against_percent(self, e: ast.Expr, other: str, arithmetic: bool = False) -> None:
        lit = _literal(e)
        if other == "percent" and lit is not None:
            if arithmetic and self._score_max is not None and lit.unit == "number" and lit.value != 0:
                # in a score's arithmetic a bare number is most likely points: `30%` there would
                # cap the score at 0.3 (PF408), so the hint turns the percent into points
                self.report("PF204", lit.span, "percent_points", text=lit.text, max=self._score_max)
                return
            self.expect_fits("percent", lit)

    def pp_check(self, e: ast.Expr, other: str) -> None:
        if isinstance(e, ast.Number) and e.unit == "pp" and other not in ("percent", "?"):
            self.report("PF202", e.span, "pp_only_percent", text=e.text, unit=other)

    def label_literal(self, side: ast.Expr, other: ast.Expr) -> bool:
        """`类型 = 大型会议`: an undeclared name compared with a label input stands for one of
        its labels; one it does not have is reported with the labels it has (PF107)."""
        if not (isinstance(side, ast.Ref) and isinstance(other, ast.Ref)) or side.name.text in self.symbols:
            return False
        symbol = self.symbols.get(other.name.text)
        if symbol is None or not isinstance(symbol.decl, ast.Input) or symbol.decl.type != "label":
            return False
        self.units[side] = "label"
        labels = [lb.text for lb in symbol.decl.labels]
        if side.name.text in labels:
            self.label_literals.add(side.name.text)
        else:
            self.unknown_label(side.name, symbol.name, labels)
        return True

    def unknown_label(self, label: ast.Name, input_name: str, labels: list[str]) -> None:
        close = self.suggestions.closest(label.text, labels)
        if close:
            self.report("PF107", label.span, "did_you_mean", label=label.text, input=input_name, suggestion=close)
        else:
            self.report("PF107", label.span, "labels", label=label.text, input=input_name, labels=", ".join(labels))

    def compare(self, op: str, left: ast.Expr, right: ast.Expr, span: Span) -> None:
        score_max, self._score_max = self._score_max, None  # a comparison's literals are values, not points
        try:
            self.compare_values(op, left, right, span)
        finally:
            self._score_max = score_max

    def compare_values(self, op: str, left: ast.Expr, right: ast.Expr, span: Span) -> None:
        if self.label_literal(right, left) or self.label_literal(left, right):
            self.unit_of(left if isinstance(right, ast.Ref) and right.name.text not in self.symbols else right)
            if op not in ("=", "!="):
                self.report("PF203", span, "no_order", expected="number", found="label")
            return
        lu, ru = self.unit_of(left), self.unit_of(right)
        if "date" in (lu, ru) and lu != ru and "?" not in (lu, ru):  # a date is compared with a date only
            self.report("PF231", span, "date_compare", left=lu, right=ru)
            return
        if "list" in (lu, ru):
            panel = left if lu == "list" else right
            self.report("PF150", panel.span, "panel_read", name=self.module_text(panel))
            return
        if "bool" in (lu, ru) or "label" in (lu, ru):
            if "?" in (lu, ru):  # the unknown side is reported already (PF102): nothing new to say
                return
            if lu != ru:
                kind = lu if lu in ("bool", "label") else ru
                self.report("PF201", span, f"same_kind_{kind}", action="compare", left=lu, right=ru)
            elif op not in ("=", "!="):
                self.report("PF203", span, "no_order", expected="number", found=lu)
            return
        self.pp_check(left, ru)
        self.pp_check(right, lu)
        self.bare_against_percent(left, ru)
        self.bare_against_percent(right, lu)
        self.join([lu, ru], [left, right], "compare", span)

    def expect_fits(self, unit: str, lit: ast.Number, bounded: ast.Name | None = None, listed: bool = False) -> None:
        """A literal against a value of `unit`: percents want `90%`, percentage points
        only go with percents, a plain `number` takes any literal, others a plain number.
        `bounded`: the input whose bound the literal is, where a `%` most likely means a
        ratio declared with the wrong type (`listed`: a panel's, `list of …`)."""
        if unit == "percent" and lit.unit == "number" and lit.value != 0:
            # `> 90` most likely meant 90%; `<= 1` most likely meant 100%
            shown = lit.value if abs(lit.value) > 1 else lit.value * 100
            self.report("PF204", lit.span, "percent_literal", text=lit.text, suggestion=f"{plain(shown)}%")
        elif lit.unit == "pp" and unit not in ("percent", "?"):
            self.report("PF202", lit.span, "pp_only_percent", text=lit.text, unit=unit)
        elif unit not in ("percent", "number", "?") and lit.unit == "percent":
            hint = "plain_number" if bounded is None else "declare_percent"
            name = bounded.text if bounded is not None else None
            kind = "list of percent" if listed else "percent"  # a panel stays one: `list of percent`
            self.report("PF201", lit.span, hint, action="compare", left=unit, right="percent", name=name, kind=kind)

    def check_precision(self, inp: ast.Input) -> None:
        """`precision 0.01%`: a power of ten, in the unit of the input's values."""
        p = inp.precision
        if p is None:
            return
        unit = "percent" if inp.type == "percent" else "number"
        power = p.value > 0 and p.value.as_tuple().digits == (1,)
        if inp.type not in ("percent", "amount", "number", "score") or not power or (p.unit != "number") != (unit == "percent"):
            self.report("PF210", p.span, "precision_unit", text=p.text, unit=inp.type)

    def check_bounds(self, inp: ast.Input) -> None:
        self.check_precision(inp)
        seen: set[str] = set()
        for label in inp.labels:
            if label.text in seen:
                self.report("PF113", label.span, "remove_repeat", name=label.text)
            elif label.text != label.text.strip():  # a cell's or a record's text is read stripped: no data could give it
                self.report("PF115", label.span, "label_spaces", name=label.text, stripped=label.text.strip())
            seen.add(label.text)
        for bound in inp.bounds:
            if inp.type not in NUMERIC:
                self.report("PF203", bound.span, "no_bounds", expected="number", found=inp.type)
                continue
            if bound.op not in (">=", ">", "<=", "<"):
                self.report("PF206", bound.span, "bound_comparison", op=bound.op)
            self.expect_fits(inp.type, bound.value, inp.name, inp.is_list)

    # ---------------------------------------------------------------- the tree
    def check_tree(self) -> None:
        seen: dict[str, ast.Name] = {}
        for node, _depth in ast.walk_nodes(self.module.rows):  # the tree, then the bonus and penalty rows
            name = node.name
            if name.text in seen:
                self.report("PF101", name.span, "first_defined", name=name.text, line=seen[name.text].span.line)
            else:
                seen[name.text] = name
            if isinstance(node, ast.Indicator) and node.pending is not None:  # 由各省自行制定
                self.report("PF154", node.span, "write_pending", "warning", name=name.text, text=node.pending)
            if node.applies is not None:
                self.check_applies(node)
            if isinstance(node, ast.Group):
                self.check_rounding(node)
                parts = sum((c.max.value for c in node.children), ZERO)
                if parts != node.max.value:
                    self.report(
                        "PF302", node.max.span, "fix_sum", name=name.text, sum=plain(parts), max=plain(node.max.value)
                    )
            else:
                self.check_indicator(node)
        self.check_vetoes()

    def check_vetoes(self) -> None:
        """一票否决 and the grades' own conditions: conditions on the inputs; a grade named is one
        of the header's (PF222), and one a `below` veto leaves some grade under (PF227)."""
        header = self.module.header
        grades = [g.name.text for g in header.grades] if header is not None else []
        self.once([g.name for g in header.grades] if header is not None else [])
        self.once([v.name for v in self.module.vetoes])  # a result lists the vetoes that held by name
        for grade in header.grades if header is not None else ():
            if grade.condition is not None:
                self.condition(grade.condition)
        for veto in self.module.vetoes:
            self.condition(veto.condition)
            if veto.grade is not None and veto.grade.text not in grades:
                self.report("PF222", veto.grade.span, "veto_grade", name=veto.grade.text, grades=", ".join(grades) or "—",
                            grades_zh="、".join(grades) or "—")
            elif veto.action == "below" and veto.grade is not None and veto.grade.text == grades[-1]:
                # nothing is below the lowest grade: a record it fires on would get no grade at all
                self.report("PF227", veto.grade.span, "veto_lowest", name=veto.grade.text, veto=veto.name.text)

    def once(self, names: list[ast.Name]) -> None:
        """PF101 at each name written again: two grades, or two vetoes, of one name."""
        seen: dict[str, ast.Name] = {}
        for name in names:
            if name.text in seen:
                self.report("PF101", name.span, "first_defined", name=name.text, line=seen[name.text].span.line)
            else:
                seen[name.text] = name

    def check_applies(self, node: ast.Node) -> None:
        """`applies [if COND] else MODE`: COND is a condition; without one, the row must read an
        input the data could mark 不适用, or it always applies (PF140)."""
        applies = node.applies
        assert applies is not None
        if applies.condition is not None:
            self.condition(applies.condition)
        elif isinstance(node, ast.Indicator) and not any(
            isinstance(r, ast.Judgment) or any(isinstance(e, ast.Ref) for e in ast.walk_expressions(*r.expressions()))
            for r in node.rules
        ):
            self.report("PF140", applies.span, "applies_needs_input", "warning", name=node.name.text)

    def check_rounding(self, ind: ast.Node) -> None:
        """`round N` on an indicator or a group: 0 to MAX_PLACES places, and a max it keeps
        whole (rounding a score in [0, max] then stays in [0, max])."""
        places = ind.round_places
        if places is None:
            return
        if not 0 <= places.value <= MAX_PLACES:
            self.report("PF130", places.span, "places_range", places=places.text, limit=MAX_PLACES)
        elif ind.max.value != ind.max.value.quantize(ZERO.scaleb(-int(places.value))):
            self.report("PF131", places.span, "round_max", name=ind.name.text, max=plain(ind.max.value),
                        places=places.text)  # fmt: skip
        elif isinstance(ind, ast.Group) and ind.children and all(_kept_to(c, places.value) for c in ind.children):
            self.report("PF132", places.span, "round_useless", "warning", name=ind.name.text, places=places.text)

    def check_indicator(self, ind: ast.Indicator) -> None:
        self.check_rounding(ind)
        name, top = ind.name.text, ind.max.value
        if not ind.rules and ind.pending is None:  # a pending row says so itself (PF154)
            kind = next((o.kind for o in self.module.outside if o.row is ind), None)
            hint, *words = _EMPTY[kind]
            what = dict(zip(("kind", "kind_zh", "fate", "fate_zh"), words, strict=True))
            self.report("PF305", ind.name.span, hint, "warning", name=name, max=plain(top), **what)
        bases = [r for r in ind.rules if ast.is_base(r)]
        awards = [r for r in ind.rules if ast.is_award(r)]
        if len(bases) > 1 or (bases and awards):
            extra = bases[1] if len(bases) > 1 else awards[0]
            self.report("PF304", extra.span, "one_base", name=name)
        award_sum = sum((a.points.value for a in awards), ZERO)
        # an adjust row's awards are kept to its range; one award past the max is said once, below
        if award_sum > top and ind.low is None and all(a.points.value <= top for a in awards):
            self.report("PF301", awards[-1].span, "fix_points", points=plain(award_sum), max=plain(top), name=name)
        for rule in ind.rules:
            for points in rule.arm_points():
                if points.value > top and ind.low is None:  # an adjust row's are kept to its range
                    self.report(
                        "PF301", points.span, "fix_points", points=plain(points.value), max=plain(top), name=name
                    )
            if isinstance(rule, ast.Formula) and ind.low is None:  # `score = 12` in a row of 5: clamped to 5
                fixed = ast.constant(rule.expr)
                if fixed is not None and fixed > top:
                    self.report("PF301", rule.expr.span, "fix_points", points=plain(fixed), max=plain(top), name=name)
            self.check_rule(ind, rule)
            for item in rule.reason_items():
                if item.reason is not None:
                    self.check_placeholders(item.reason, item.span)

    def check_placeholders(self, template: str, span: Span) -> None:
        allowed = [*REASON_FIELDS, *self.symbols]
        problem = template_problem(template)
        if problem is not None:
            self.report("PF312", span, "template_braces", problem=problem[0], problem_zh=problem[1])
            return
        for found in placeholders(template):
            if found not in allowed:
                self.report(
                    "PF308", span, "placeholders", placeholder=found, names=", ".join(f"{{{f}}}" for f in REASON_FIELDS)
                )
            elif found in self.symbols:
                self.mark_used(found)

    def check_rule(self, ind: ast.Indicator, rule: ast.Rule) -> None:
        guard = ast.guard_of(rule)
        if guard is not None:
            self.condition(guard)
        match rule:
            case ast.DeductStep():
                self.check_step(rule)
            case ast.DeductIf() | ast.AwardIf():
                self.condition(rule.condition)
            case ast.WhenChain():
                for arm in rule.arms:
                    if arm.condition is not None:
                        self.condition(arm.condition)
            case ast.Bands():
                self.check_bands(rule)
            case ast.Match():
                self.check_match(rule)
            case ast.Judgment():
                target = rule.input or ind.name
                symbol = self.symbols.get(target.text)
                if symbol is None:
                    # Only a score input can be judged: suggest no other, nor a percent to declare.
                    scores = [n for n, s in self.symbols.items() if s.unit == "score" and isinstance(s.decl, ast.Input)]
                    self.undefined(target, scores, "declare_score")
                else:
                    self.mark_used(target.text)
                    if symbol.unit != "score" or not isinstance(symbol.decl, ast.Input):
                        self.report("PF108", target.span if rule.input else rule.span, "declare_score", name=target.text)
            case ast.Formula():
                self._score_max = plain(ind.max.value)
                try:
                    self.numeric(rule.expr)
                finally:
                    self._score_max = None
            case _:
                assert_never(rule)

    def check_step(self, rule: ast.DeductStep) -> None:
        unit = self.numeric(rule.value)
        if rule.reference is not None:
            ref_unit = self.numeric(rule.reference)
            if isinstance(rule.reference, ast.Number):
                self.expect_fits(unit, rule.reference)
            else:
                self.join([unit, ref_unit], [rule.value, rule.reference], "compare", rule.span)
        step = rule.step
        if step.value <= 0:
            self.report("PF309", step.span)
        if unit == "percent" and step.unit == "number" and not step.span.known:  # `deduct R per 率`
            self.report(
                "PF205",
                rule.value.span,
                "counted_percent",
                text="1 (implied)",
                unit=unit,
                name=self.module_text(rule.value),
            )
        elif unit == "percent" and step.unit == "number":
            self.report("PF205", step.span, "percent_literal", text=step.text, unit=unit, suggestion=f"{step.text}pp")
        elif unit not in ("percent", "?") and step.unit != "number":
            if step.unit == "pp":
                self.report("PF202", step.span, "pp_only_percent", text=step.text, unit=unit)
            else:
                self.report("PF205", step.span, "pp_only_percent", text=step.text, unit=unit)

    def check_bands(self, rule: ast.Bands) -> None:
        unit = self.numeric(rule.subject)
        for band in rule.bands:
            if band.op == "!=":
                self.report("PF206", band.span, "use_comparison", op=band.op)
                continue
            ends = {id(e): e for e in (band.low, band.high) if e is not None}  # `= x` has one end twice
            for end in ends.values():
                self.expect_fits(unit, end)
            if band.op is None and band.low is not None and band.high is not None:
                if band.low.value >= band.high.value and not (
                    band.low.value == band.high.value and band.low_closed and band.high_closed
                ):
                    self.report("PF306", band.span, "band_order")

    def label_source(self, let: ast.Let) -> str:
        """The label input a `let` passes on, through lets of lets (`let 甲 = 状况`, `let 签 = 甲`:
        状况); `…` where it is worked out otherwise (an `if`), no one input to name."""
        seen: set[str] = set()
        source = let.expr
        while isinstance(source, ast.Ref) and source.name.text not in seen:
            seen.add(source.name.text)
            found = self.symbols.get(source.name.text)
            if found is None or not isinstance(found.decl, ast.Let):
                return source.name.text
            source = found.decl.expr
        return "…"

    def check_match(self, rule: ast.Match) -> None:
        subject = rule.subject
        symbol = self.resolve(subject.name) if isinstance(subject, ast.Ref) else None
        if not isinstance(subject, ast.Ref):
            found = self.unit_of(subject)
            if found != "?":
                hint = _NOT_LABEL.get(found, "match_label")
                self.report("PF203", subject.span, hint, expected="label", found=found, name="…")
            return
        if symbol is None:
            return
        if not isinstance(symbol.decl, ast.Input) or symbol.decl.type != "label":
            hint, name = _NOT_LABEL.get(symbol.unit, "match_label"), subject.name.text
            if isinstance(symbol.decl, ast.Let):
                if symbol.unit == "label":  # a label a let passes on: `match` the input it comes from
                    name = self.label_source(symbol.decl)
                    hint = "match_let_label" if name != "…" else "match_let_worked"
                self.report(
                    "PF203", subject.span, hint, expected="label", found="a `let` value", found_zh="计算值", name=name
                )
            else:
                self.report("PF203", subject.span, hint, expected="label", found=symbol.unit, name=name)
            return
        labels = [lb.text for lb in symbol.decl.labels]
        seen: set[str] = set()
        for arm in rule.arms:
            if arm.label is None:
                continue
            if arm.label.text in seen:
                self.report("PF310", arm.label.span, "remove_repeat", name=arm.label.text)
            seen.add(arm.label.text)
            if arm.label.text not in labels:
                close = self.suggestions.closest(arm.label.text, labels)
                if close:
                    self.report(
                        "PF107",
                        arm.label.span,
                        "did_you_mean",
                        label=arm.label.text,
                        input=symbol.name,
                        suggestion=close,
                    )
                else:
                    self.report(
                        "PF107",
                        arm.label.span,
                        "labels",
                        label=arm.label.text,
                        input=symbol.name,
                        labels=", ".join(labels),
                    )


def _kept_to(node: ast.Node, places: Decimal) -> bool:
    """Whether a part's score never has more than `places` decimals: it says `round M` with
    M ≤ places and cannot drop out of its group's sum (a re-scaled sum divides)."""
    if node.applies is not None and node.applies.mode == "rescale":
        return False
    return node.round_places is not None and node.round_places.value <= places

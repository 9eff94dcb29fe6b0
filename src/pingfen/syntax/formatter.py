"""The formatter: a module (and its comments) → the one canonical layout of a `.rule` file.

Layout rules (docs/format.md): two-space indentation, one statement per line, `{` at the
end of the line that opens a block and `}` alone on its own line; ASCII forms for every
operator and bracket; single spaces around operators and `->`; the `->` of bands, `when`
arms and `match` arms, the `if` of checklist items and the threshold of grades aligned in a
column (CJK characters count two columns); an indicator scored by `judgment` alone on one
line; blank lines kept where the author left one (at most one), and always around a
top-level block. Comments are re-attached by position: a comment on a line of its own
stays before the statement that followed it, a comment after code stays at the end of
that statement's line.

The printer works on the AST alone, so a generated AST (no spans, no comments) prints too;
`parse(format(x)) == parse(x)` holds, spans aside.
"""

from __future__ import annotations

import re
from typing import assert_never

import attrs
from attrs import define, field

from pingfen import ast
from pingfen.diagnostics import Diagnostic, Span
from pingfen.display import plain, width
from pingfen.errors import PingfenError
from pingfen.lang import default_lang
from pingfen.syntax.parser import is_bare_name, parse
from pingfen.values import pinned

INDENT = "  "


class FormatError(PingfenError):
    """The text does not parse; `.diagnostics` says why."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__(diagnostics[0].message("en") if diagnostics else "cannot parse")

    def __str__(self) -> str:  # in the run's language, as DataError's
        lang = default_lang()
        return self.diagnostics[0].message(lang) if self.diagnostics else ("无法解析" if lang == "zh" else "cannot parse")


@pinned
def format_text(text: str) -> str:
    """Rule text in the canonical layout. Raises FormatError when it does not parse
    (or has a literal problem the parser reports, such as a setting given twice). Line
    endings are read as the loader reads them: a lone CR ends a line (and the comment on it).
    Raises TypeError when `text` is not a str, as `pingfen.loads` does."""
    if not isinstance(text, str):  # bytes gave "a bytes-like object is required, not 'str'", None an AttributeError
        raise TypeError(f"pingfen.format_text takes the rule's text as str, not {type(text).__name__}"
                        + ("; decode it first" if isinstance(text, (bytes, bytearray)) else ""))  # fmt: skip
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    module, diagnostics = parse(text)
    errors = [d for d in diagnostics if d.severity == "error"]
    if module is None or errors:
        raise FormatError(errors or diagnostics)
    return format_module(module, text)


def format_module(module: ast.Module, source: str | None = None) -> str:
    """A module in the canonical layout; `source` is the text it was parsed from, which
    places its comments and blank lines (without it there are neither)."""
    printer = _Printer(source, module.comments if source is not None else ())
    printer.module(module)
    return printer.render()


_RULE_FENCE = re.compile(r"^(```+)[ \t]*(rule(?:-warning)?)[ \t]*$")
# Any fenced code block (CommonMark): up to three spaces, then three or more backticks or tildes.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


SKIP = "# fmt: skip"


def _closes(line: str, fence: str) -> bool:
    """Whether `line` closes a block opened by `fence`: the same character, at least as many, nothing after."""
    stripped = line.strip(" \t")
    return len(line) - len(line.lstrip(" ")) <= 3 and len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def format_markdown(text: str) -> str:
    """Markdown with every ```rule and ```rule-warning block formatted, in the file's own
    line endings (CRLF too); any other fenced block is left as it is, with a ```rule block
    shown inside it (a ````markdown example). Everything outside the blocks is left as it is,
    and so is a block whose first line is `# fmt: skip`. Raises FormatError, its spans in the
    Markdown file, when a block does not parse: nothing is formatted then, as for a .rule file."""
    lines = text.split("\n")
    out: list[str] = []
    errors: list[Diagnostic] = []
    i = 0
    while i < len(lines):
        line = lines[i].removesuffix("\r")
        out.append(lines[i])
        i += 1
        fence = _FENCE.match(line)
        if fence is None:
            continue
        opened = fence.group(1)
        rule = _RULE_FENCE.match(line)
        if opened[0] == "`" and "`" in line[fence.end():]:  # ``` `code` ``` is inline code, no block
            continue
        first = i
        while i < len(lines) and not _closes(lines[i].removesuffix("\r"), opened):
            i += 1
        raw = lines[first:i]
        block = "\n".join(r.removesuffix("\r") for r in raw) + "\n"
        if rule is None or not block.strip() or block.startswith(SKIP):
            out.extend(raw)  # another language's block, whatever it shows; an empty one; one shown as typed
        else:
            crlf = lines[first - 1].endswith("\r")
            try:
                block = format_text(block)
            except FormatError as error:
                errors.extend(_moved(d, text, first) for d in error.diagnostics)
            out.extend(b + "\r" if crlf else b for b in block.rstrip("\n").split("\n"))
        if i < len(lines):  # the closing fence
            out.append(lines[i])
            i += 1
    if errors:
        raise FormatError(errors)
    return "\n".join(out)


def _moved(diagnostic: Diagnostic, text: str, first: int) -> Diagnostic:
    """A block's diagnostic with its span in the Markdown file: the block starts on line `first` + 1."""
    span = diagnostic.span
    if not span.known:
        return diagnostic
    offset = sum(len(line) + 1 for line in text.split("\n")[:first])
    moved = attrs.evolve(span, start=span.start + offset, end=span.end + offset, line=span.line + first,
                         end_line=span.end_line + first)  # fmt: skip
    return Diagnostic(diagnostic.code, moved, diagnostic.args, diagnostic.severity, diagnostic.hint)


# ---------------------------------------------------------------- words


def name(n: ast.Name | str) -> str:
    text = n.text if isinstance(n, ast.Name) else n
    return text if is_bare_name(text) else f"`{text}`"


def label(n: ast.Name) -> str:
    """A match label: bare when it can be, else a quoted text."""
    return n.text if is_bare_name(n.text) else string(n.text)


def string(text: str) -> str:
    """A "text": a backslash is doubled only where it would otherwise escape (before `"`,
    before another backslash, at the end); `"` is escaped."""
    text = re.sub(r'\\(?=["\\]|$)', r"\\\\", text)
    return '"' + text.replace('"', '\\"') + '"'


def number(n: ast.Number) -> str:
    """A literal as written (ASCII); a generated literal from its value and unit."""
    if n.text:
        return n.text
    if n.unit == "percent":
        return plain(n.value * 100) + "%"
    if n.unit == "pp":
        return plain(n.value * 100) + "pp"
    return plain(n.value)


# Binding strength, loosest first: or, and, not, comparison, + -, * /, unary minus, atoms.
def _prec(e: ast.Expr) -> int:
    match e:
        case ast.IfElse():
            return 0
        case ast.Or():
            return 1
        case ast.And():
            return 2
        case ast.Not():
            return 3
        case ast.Compare():
            return 4
        case ast.Binary():
            return 5 if e.op in "+-" else 6
        case ast.Neg():
            return 7
        case ast.Number():
            return 7 if e.value < 0 else 8
        case ast.Ref() | ast.Bool() | ast.Call() | ast.Round():
            return 8
        case _:
            assert_never(e)


def expr(e: ast.Expr, at_least: int = 0) -> str:
    """An expression with just the parentheses its structure needs."""
    text = _expr(e)
    return f"({text})" if _prec(e) < at_least else text


def _expr(e: ast.Expr) -> str:
    match e:
        case ast.Number():
            return number(e)
        case ast.Ref():
            return name(e.name)
        case ast.Bool():
            return "true" if e.value else "false"
        case ast.Neg():
            return "-" + expr(e.operand, 7)
        case ast.Not():
            return "not " + expr(e.operand, 3)
        case ast.Or():
            return f"{expr(e.left, 1)} or {expr(e.right, 2)}"
        case ast.And():
            return f"{expr(e.left, 2)} and {expr(e.right, 3)}"
        case ast.Compare():
            return f"{expr(e.left, 5)} {e.op} {expr(e.right, 5)}"  # the parser keeps ops in ASCII
        case ast.Binary():
            level = 5 if e.op in "+-" else 6
            return f"{expr(e.left, level)} {e.op} {expr(e.right, level + 1)}"
        case ast.Call():
            return f"{e.func}({', '.join(expr(a) for a in e.args)})"
        case ast.IfElse():
            return f"if {expr(e.condition)} then {expr(e.then)} else {expr(e.otherwise, 0)}"
        case ast.Round():
            mode = "" if e.mode == "half_up" else f", {e.mode}"
            return f"round({expr(e.value)}, {number(e.places)}{mode})"
        case _:
            assert_never(e)


def _guard(rule: ast.Rule) -> str:
    guard = ast.guard_of(rule)
    return "" if guard is None else f" if {expr(guard)}"


def _reason(text: str | None) -> str:
    return f" reason {string(text)}" if text is not None else ""


def _target(target: ast.Name | None) -> str:
    return "total" if target is None else name(target)


def given_value(v: ast.GivenValue) -> str:
    if v.kind == "text":
        return string(v.text)
    if v.kind == "word":
        return v.text if v.text in ("true", "false") else name(v.text)
    return v.text or "0"


def _arrow(points: ast.Number, reason: str | None) -> str:
    return f"-> {number(points)}{_reason(reason)}"


def _checklist_row(item: ast.AwardIf | ast.DeductIf) -> tuple[str, str, Span]:
    """`award 2` | `if COND reason "…"`: a checklist item as two aligned columns."""
    word = "award" if isinstance(item, ast.AwardIf) else "deduct"
    return f"{word} {number(item.points)}", f"if {expr(item.condition)}{_reason(item.reason)}", item.span


def band_condition(band: ast.Band) -> str:
    if band.is_else:
        return "else"
    if band.op is not None:
        end = band.high if band.op in ("<", "<=") else band.low
        assert end is not None
        return f"{band.op} {number(end)}"
    assert band.low is not None and band.high is not None
    return f"{'[' if band.low_closed else '('}{number(band.low)}, {number(band.high)}{']' if band.high_closed else ')'}"


# ---------------------------------------------------------------- lines


@define
class _Line:
    depth: int
    text: str
    start: int = -1  # the source text this line stands for: [start, end)
    end: int = -1
    kind: str = "stmt"  # stmt, open (ends with `{`), close (`}`), blank (a forced blank line)
    trailing: str | None = None
    leading: list[ast.Comment] = field(factory=list)


class _Printer:
    def __init__(self, source: str | None, comments: tuple[ast.Comment, ...]) -> None:
        self.source = source
        self.comments = comments
        self.lines: list[_Line] = []

    # ---- helpers
    def known(self, span: Span) -> bool:
        return self.source is not None and span.known

    def add(self, depth: int, text: str, span: Span | None = None, kind: str = "stmt") -> _Line:
        line = _Line(depth, text, kind=kind)
        if span is not None and self.known(span):
            line.start, line.end = span.start, span.end
        self.lines.append(line)
        return line

    def open(self, depth: int, text: str, span: Span, after: int | None = None) -> None:
        """`text {`: the line stands for the source from the block's start to its `{`."""
        line = self.add(depth, text + " {", kind="open")
        if self.known(span) and self.source is not None:
            brace = self.source.find("{", after if after is not None else span.start, span.end)
            line.start, line.end = span.start, (brace + 1 if brace >= 0 else span.start + 1)

    def close(self, depth: int, span: Span, suffix: str = "") -> None:
        line = self.add(depth, "}" + suffix, kind="close")
        if self.known(span):
            line.start, line.end = span.end - 1, span.end

    def comment_inside(self, span: Span) -> bool:
        return self.known(span) and any(span.start <= c.span.start < span.end for c in self.comments)

    def aligned(self, depth: int, rows: list[tuple[str, str, Span]]) -> None:
        """Lines `left right`, the right parts starting in one column."""
        column = max((width(left) for left, _, _ in rows), default=0)
        for left, right, span in rows:
            self.add(depth, left + " " * (column - width(left) + 1) + right, span)

    # ---- the file
    def module(self, module: ast.Module) -> None:
        previous_block = False
        for i, item in enumerate(module.items):
            before = len(self.lines)
            self.item(item)
            block = len(self.lines) - before > 1
            if i > 0 and (block or previous_block):
                self.lines.insert(before, _Line(0, "", kind="blank"))
            previous_block = block

    def item(self, item: ast.Item) -> None:
        if isinstance(item, ast.Header):
            self.header(item)
        elif isinstance(item, ast.Input):
            self.input(item)
        elif isinstance(item, ast.Let):
            self.add(0, f"let {name(item.name)} = {expr(item.expr)}", item.span)
        elif isinstance(item, (ast.Group, ast.Indicator)):
            self.node(item, 0)
        elif isinstance(item, ast.Outside):
            self.node(item.row, 0, item.kind)
        elif isinstance(item, ast.Veto):
            action = item.action if item.grade is None else f"{item.action} {name(item.grade)}"
            self.add(0, f"veto {name(item.name)} if {expr(item.condition)} -> {action}", item.span)
        elif isinstance(item, ast.Example):
            self.example(item)
        elif isinstance(item, ast.Monotone):
            target = f" for {_target(item.target)}" if item.target is not None else ""
            self.add(0, f"property monotone {name(item.input)} {item.direction}{target}", item.span)
        elif isinstance(item, ast.Claim):
            when = f" when {expr(item.condition)}" if item.condition is not None else ""
            text = f"property {_target(item.target)} {item.op} {number(item.value)}{when}"
            self.add(0, text, item.span)
        elif isinstance(item, (ast.Extends, ast.Remove, ast.AddTo, ast.SetMax)):
            self.change(item)
        else:  # pragma: no cover
            raise AssertionError(f"unknown item {item!r}")

    def change(self, item: ast.Change) -> None:
        """A line of a file that extends another (each file is formatted on its own)."""
        match item:
            case ast.Extends():
                self.add(0, f"extends {string(item.path)}", item.span)
            case ast.Remove():
                self.add(0, f"remove {'input ' if item.input else ''}{name(item.name)}", item.span)
            case ast.SetMax():
                self.add(0, f"max {name(item.name)} {number(item.max)}", item.span)
            case ast.AddTo():
                head = f"add to {name(item.group)}"
                if not item.children:
                    self.add(0, head + " {}", item.span)
                    return
                self.open(0, head, item.span, item.group.span.end if self.known(item.group.span) else None)
                for child in item.children:
                    self.node(child, 1)
                self.close(0, item.span)
            case _:
                assert_never(item)

    def header(self, h: ast.Header) -> None:
        settings: list[tuple[str, Span]] = []
        if h.year is not None:
            settings.append((f"year {number(h.year)}", h.year.span))
        if h.total is not None:
            settings.append((f"total {number(h.total)}", h.total.span))
        if h.round_places is not None:
            settings.append((f"round total {number(h.round_places)} {h.round_mode}", h.round_places.span))
        if h.cap is not None:
            settings.append((f"cap total {number(h.cap)}", h.cap.span))
        title = f"rubric {string(h.title)}"
        if not settings and not h.grades:
            self.add(0, title + " {}", h.span)
            return
        self.open(0, title, h.span, self.after_strings(h.span, 1))
        for text, span in settings:
            self.add(1, text, span)
        rows = []
        for g in h.grades:
            left = f"grade {name(g.name)}"
            right = "otherwise" if g.op is None or g.threshold is None else f"{g.op} {number(g.threshold)}"
            if g.condition is not None:
                right += f" if {expr(g.condition)}"
            rows.append((left, right, g.span))
        self.aligned(1, rows)
        self.close(0, h.span)

    def after_strings(self, span: Span, count: int) -> int | None:
        """The offset just after the first `count` "texts" of an item, where its `{` is sought."""
        if not self.known(span) or self.source is None:
            return None
        at = span.start
        for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"', self.source[span.start : span.end]):
            at = span.start + m.end()
            count -= 1
            if count == 0:
                break
        return at

    def input(self, i: ast.Input) -> None:
        if i.batch is not None:  # a value across a batch, written as the `let` it reads like
            self.add(0, f"let {name(i.name)} = batch {i.batch.func}({expr(i.batch.expr)})", i.span)
            return
        kind = i.type if i.type != "label" else "label { " + ", ".join(name(lb) for lb in i.labels) + " }"
        if i.is_list:
            kind = f"list of {number(i.size)} {kind}" if i.size is not None else f"list of {kind}"
        bounds = " and ".join(f"{b.op} {number(b.value)}" for b in i.bounds)
        text = f"input {name(i.name)}: {kind}"
        if i.precision is not None:
            text += f" precision {number(i.precision)}"
        if bounds:
            text += " " + bounds
        if i.description is not None:
            text += " " + string(i.description)
        self.add(0, text, i.span)

    # ---- the tree
    def rounding(self, node: ast.Node, depth: int) -> None:
        """`round N [MODE]`, first in a row after `applies` (half_up, the default, left unsaid)."""
        if node.round_places is not None:
            mode = "" if node.round_mode == "half_up" else f" {node.round_mode}"
            self.add(depth, f"round {number(node.round_places)}{mode}", node.round_places.span)

    def node(self, node: ast.Node, depth: int, keyword: str = "indicator") -> None:
        """A group or indicator; `keyword` says `bonus`, `penalty` or `adjust` for a row outside the tree."""
        if isinstance(node, ast.Group):
            head = f"group {name(node.name)} {number(node.max)}"
            if not node.children and node.applies is None and node.round_places is None:
                self.add(depth, head + " {}", node.span)
                return
            self.open(depth, head, node.span, node.max.span.end if self.known(node.max.span) else None)
            self.applies(node.applies, depth + 1)
            self.rounding(node, depth + 1)
            for child in node.children:
                self.node(child, depth + 1)
            self.close(depth, node.span)
            return
        head = f"{keyword} {name(node.name)} {number(node.max)}"
        if node.low is not None:  # an adjust row: its range, the upper end signed (`-2 .. +2`)
            high = number(node.max)
            head = f"{keyword} {name(node.name)} {number(node.low)} .. {high if high[0] in '+-' else '+' + high}"
        if node.pending is not None:
            self.add(depth, f"{head} {{ pending {string(node.pending)} }}", node.span)
            return
        if not node.rules and node.applies is None and node.round_places is None:
            self.add(depth, head + " {}", node.span)
            return
        only = node.rules[0] if len(node.rules) == 1 and node.round_places is None else None
        if isinstance(only, ast.Judgment) and node.applies is None and not self.comment_inside(node.span):
            self.add(depth, f"{head} {{ {self.judgment(only)}{_guard(only)} }}", node.span)
            return
        self.open(depth, head, node.span, node.max.span.end if self.known(node.max.span) else None)
        self.applies(node.applies, depth + 1)
        self.rounding(node, depth + 1)
        rules = list(node.rules)
        i = 0
        while i < len(rules):
            rule = rules[i]
            if isinstance(rule, (ast.AwardIf, ast.DeductIf)):  # a checklist: align the `if`s
                j = i
                while j < len(rules) and isinstance(rules[j], (ast.AwardIf, ast.DeductIf)):
                    j += 1
                run = rules[i:j]
                self.aligned(depth + 1, [_checklist_row(r) for r in run if isinstance(r, (ast.AwardIf, ast.DeductIf))])
                i = j
                continue
            self.rule(rule, depth + 1)
            i += 1
        self.close(depth, node.span)

    def applies(self, applies: ast.Applies | None, depth: int) -> None:
        """`applies [if COND] else MODE`, first in its block."""
        if applies is not None:
            condition = f"if {expr(applies.condition)} " if applies.condition is not None else ""
            self.add(depth, f"applies {condition}else {applies.mode}", applies.span)

    @staticmethod
    def judgment(rule: ast.Judgment) -> str:
        return "judgment" + (f" {name(rule.input)}" if rule.input is not None else "")

    def rule(self, rule: ast.Rule, depth: int) -> None:
        match rule:
            case ast.DeductStep():
                self.add(depth, self.step(rule) + _guard(rule), rule.span)
            case ast.Bands():
                self.open(depth, f"bands {expr(rule.subject)}", rule.span, self.end_of(rule.subject))
                rows = [(band_condition(b), f"-> {number(b.points)}{_reason(b.reason)}", b.span) for b in rule.bands]
                self.aligned(depth + 1, rows)
                self.close(depth, rule.span, _guard(rule))
            case ast.WhenChain():
                rows = [
                    ("else" if a.condition is None else f"when {expr(a.condition)}", _arrow(a.points, a.reason), a.span)
                    for a in rule.arms
                ]
                if rule.guard is not None:  # the guard closes the chain, after its last arm
                    left, right, span = rows[-1]
                    rows[-1] = (left, right + _guard(rule), span)
                self.aligned(depth, rows)
            case ast.Match():
                self.open(depth, f"match {expr(rule.subject)}", rule.span, self.end_of(rule.subject))
                rows = [
                    ("else" if a.label is None else label(a.label), _arrow(a.points, a.reason), a.span)
                    for a in rule.arms
                ]
                self.aligned(depth + 1, rows)
                self.close(depth, rule.span, _guard(rule))
            case ast.Judgment():
                self.add(depth, self.judgment(rule) + _guard(rule), rule.span)
            case ast.Formula():
                self.add(depth, f"score = {expr(rule.expr)}" + _guard(rule), rule.span)
            case ast.AwardIf() | ast.DeductIf():  # node() aligns a run of them; alone, a run of one
                self.aligned(depth, [_checklist_row(rule)])
            case _:
                assert_never(rule)

    def end_of(self, e: ast.Expr) -> int | None:
        return e.span.end if self.known(e.span) else None

    @staticmethod
    def step(rule: ast.DeductStep) -> str:
        counted = (
            rule.step.value == 1 and rule.step.unit == "number" and rule.reference is None
            and rule.direction == "above"
        )  # fmt: skip
        if counted:  # `deduct R per VALUE [counting …]` (§9.2), kept as the author wrote it
            text = f"deduct {number(rule.rate)} per {expr(rule.value)}"
        else:
            text = f"deduct {number(rule.rate)} per {number(rule.step)} of {expr(rule.value)}"
        if rule.reference is not None:
            text += f" {rule.direction} {expr(rule.reference)}"
        if rule.counting is not None:
            text += f" counting {rule.counting}"
        return text + _reason(rule.reason)

    # ---- examples
    def example(self, ex: ast.Example) -> None:
        head = f"example {string(ex.name)}"
        if ex.base is not None:
            head += f" from {string(ex.base)}"
        if not ex.givens and not ex.expects:
            self.add(0, head + " {}", ex.span)
            return
        self.open(0, head, ex.span, self.after_strings(ex.span, 1 if ex.base is None else 2))
        if ex.givens:
            entries = [(f"{name(g.name)}: {given_value(g.value)}", g.span) for g in ex.givens]
            if len(entries) == 1 and not self.comment_inside(ex.given_span):
                self.add(1, f"given {{ {entries[0][0]} }}", ex.given_span)
            else:
                self.open(1, "given", ex.given_span)
                for text, span in entries:
                    self.add(2, text + ",", span)
                self.close(1, ex.given_span)
        for e in ex.expects:
            self.add(1, self.expectation(e), e.span)
        self.close(0, ex.span)

    @staticmethod
    def expectation(e: ast.Expectation) -> str:
        if isinstance(e, ast.ExpectScore):
            return f"expect {_target(e.target)} {e.op} {number(e.value)}"
        if isinstance(e, ast.ExpectGrade):
            return f"expect grade = {name(e.grade)}"
        text = "expect error"
        if e.code is not None:
            text += f" {e.code}"
        if e.input is not None:
            text += f" on {name(e.input)}"
        return text

    # ---- comments, blank lines, text
    def attach(self) -> None:
        """Give each comment its line: after code on its source line, at the end of the line
        that stands for that code; on a line of its own, before the line that follows it."""
        if self.source is None:
            return
        placed = [ln for ln in self.lines if ln.start >= 0]
        tail: list[ast.Comment] = []
        for c in self.comments:
            line_start = self.source.rfind("\n", 0, c.span.start) + 1
            code = self.source[line_start : c.span.start].rstrip()
            if code:
                at = line_start + len(code) - 1
                owners = [ln for ln in placed if ln.start <= at]
                if owners:
                    owner = max(owners, key=lambda ln: ln.start)
                    if owner.trailing is None:
                        owner.trailing = c.text
                        owner.end = max(owner.end, c.span.end)
                        continue
            after = [ln for ln in placed if ln.start >= c.span.start]
            if after:
                min(after, key=lambda ln: ln.start).leading.append(c)
            else:
                tail.append(c)
        if tail:
            self.lines.append(_Line(0, "", kind="tail", leading=tail))

    def blank_between(self, end: int, start: int) -> bool:
        assert self.source is not None
        return end >= 0 and start > end and re.search(r"\n[ \t\r]*\n", self.source[end:start]) is not None

    def render(self) -> str:
        self.attach()
        out: list[str] = []
        last_end = -1  # source end of what was written last
        last_kind = "open"
        for line in self.lines:
            if line.kind == "blank":
                if out and out[-1] != "":
                    out.append("")
                continue
            depth = line.depth + (1 if line.kind == "close" else 0)
            for c in line.leading:
                if self.blank_between(last_end, c.span.start) and last_kind != "open" and out and out[-1] != "":
                    out.append("")
                out.append(INDENT * depth + c.text)
                last_end, last_kind = c.span.end, "comment"
            if line.kind == "tail":
                continue
            if (
                self.source is not None and line.start >= 0 and line.kind != "close" and last_kind != "open"
                and self.blank_between(last_end, line.start) and out and out[-1] != ""
            ):  # fmt: skip
                out.append("")
            text = INDENT * line.depth + line.text
            if line.trailing is not None:
                text += "  " + line.trailing
            out.append(text)
            if line.start >= 0:
                last_end = line.end
            last_kind = line.kind
        while out and out[-1] == "":
            out.pop()
        return "\n".join(out) + "\n" if out else ""

"""Text → AST. The only module that imports lark.

The parser is built once per process (LALR, positions on) from the grammar shipped in
the package, and its tables are kept between processes in the user's cache directory
(see `cache`: authenticated JSON, no pickle), under a name holding the grammar's hash;
when that directory cannot be used the parser is simply built. The transformer runs as a
separate pass so that every node gets its span, and parse errors are translated here into
diagnostics with human wording.
"""

from __future__ import annotations

import contextvars
import copy
import functools
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import lark
from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError
from lark.grammar import Rule
from lark.lexer import TerminalDef
from lark.tree import Meta

from pingfen import ast
from pingfen.cache import decode, digest, directory, encode, load, store
from pingfen.diagnostics import Diagnostic, Span
from pingfen.syntax.grammar import grammar_text
from pingfen.syntax.scan import MAX_CHARS, open_braces, top_level_items, unclosed_brace
from pingfen.terminal import INVISIBLE_PATTERN, invisible_name
from pingfen.values import pinned

__all__ = ["build_parser", "cache_file", "grammar_text", "parse", "parser"]

_OPS = {
    "≥": ">=", "≧": ">=", "≤": "<=", "≦": "<=", "＞": ">", "＜": "<",
    "＝": "=", "==": "=", "≠": "!=",
    "＋": "+", "－": "-", "−": "-", "×": "*", "÷": "/",
}  # fmt: skip


_OPTIONS = {
    "parser": "lalr",
    "propagate_positions": True,
    "maybe_placeholders": True,
    "lexer_callbacks": {"COMMENT": lambda token: _keep_comment(token)},
}
# The options lark takes when loading stored tables (functions among them); the rest are
# stored with the tables.
_LOAD_ALLOWED_OPTIONS: frozenset[str] = frozenset(
    getattr(lark.lark, "_LOAD_ALLOWED_OPTIONS", ("lexer_callbacks", "propagate_positions", "postlex", "transformer"))
)
_LOAD_OPTIONS = {k: v for k, v in _OPTIONS.items() if k in _LOAD_ALLOWED_OPTIONS}


def cache_file(grammar: str) -> Path | None:
    """Where the parse tables of this grammar are kept between runs, or None when there is no
    usable cache directory. The name holds the grammar's hash and the lark and Python
    versions, so a changed grammar or an upgrade never reads stale tables."""
    folder = directory()
    if folder is None:
        return None
    version = f"lark{lark.__version__}-py{sys.version_info[0]}{sys.version_info[1]}"
    return folder / f"grammar-{digest(grammar)[:20]}-{version}.json"


# Comments are ignored by the grammar; the lexer hands each one to this callback, which
# keeps it for the formatter in the list of the parse in progress (one per context).
_COMMENTS: contextvars.ContextVar[list[Token] | None] = contextvars.ContextVar("comments", default=None)


def _keep_comment(token: Token) -> Token:
    found = _COMMENTS.get()
    if found is not None:
        found.append(token)
    return token


@functools.cache
def parser() -> Lark:
    """The LALR parser of this process."""
    grammar = grammar_text()
    return build_parser(grammar, cache_file(grammar))


def build_parser(grammar: str, cache: Path | None) -> Lark:
    """A parser whose tables are read from `cache` when they are there and authentic (see
    `pingfen.cache`: JSON with an HMAC, never a pickle); else built, and written back when
    it can be, quietly giving up when it cannot. Lark's own `cache=` option is not used: it
    unpickles whatever file it finds."""
    check = digest(grammar, lark.__version__, *map(str, sys.version_info[:2]))
    if cache is not None:
        payload = load(cache)
        if payload is not None:
            try:
                stored = decode(payload)
                if isinstance(stored, dict) and stored["grammar"] == check:
                    # (lark's loader of a dict is untyped; its public `load` unpickles a file)
                    loaded: Lark = Lark._load_from_dict(  # type: ignore[no-untyped-call]  # see above
                        stored["data"], stored["memo"], **_LOAD_OPTIONS
                    )
                    return loaded
            except Exception:  # noqa: BLE001, S110 - authentic but unusable: build it
                pass
    built = Lark(grammar, **_OPTIONS)
    if cache is not None:
        data, memo = built.memo_serialize([TerminalDef, Rule])
        data["options"] = {k: v for k, v in data["options"].items() if k not in _LOAD_ALLOWED_OPTIONS}
        try:
            store(cache, encode({"grammar": check, "data": data, "memo": memo}))
        except (TypeError, RecursionError):  # tables the format does not hold: not kept
            pass
    return built


# The last texts parsed and their answers, newest first. One text is often parsed by several
# entry points in a row (`pingfen.load`, `diagnose`, `format_text`, `loads`; the editor's diagnose
# and its own names), and a 90 KB file takes most of a second. Safe to share: the answer depends on
# the text alone (parse runs in pingfen's decimal context), the module is frozen attrs of tuples and
# Decimals, and each caller gets its own list of the (frozen) diagnostics. A few entries, not one:
# a file's whole text and its text without tests (what scoring reads) take turns in the workbench
# (check, score, check), and an editor shows a file and the one it extends; a few trees held (a
# 12,000-character rubric's is 0.3 MB, the largest file allowed's about 12 MB), the least recently
# used let go, whatever a long-lived process parses.
_KEEP = 4
_kept: tuple[tuple[str, ast.Module | None, tuple[Diagnostic, ...]], ...] = ()


@pinned  # a percent's `/ 100` in the caller's context would make the answer depend on the caller
def parse(text: str, *, every_error: bool = True) -> tuple[ast.Module | None, list[Diagnostic]]:
    """Parse rule text. Returns the module, or None and the syntax diagnostics.
    The module's `comments` holds every `# …` comment with its span. With every_error=False
    a syntax error is answered by the first one alone, for a caller that only asks whether
    the text parses (the items after it are not parsed again to find the rest)."""
    global _kept  # the memo above, replaced whole: another thread reads the old one or the new
    kept = _kept
    for at, entry in enumerate(kept):
        if entry[0] == text:
            if at:  # the text in use moves to the front: the least recently used is the one let go
                _kept = (entry, *kept[:at], *kept[at + 1 :])
            return entry[1], list(entry[2])
    module, diagnostics = _parse(text, every_error)
    if module is not None or every_error:  # a first error alone is no answer for the next caller
        _kept = ((text, module, tuple(diagnostics)), *_kept[: _KEEP - 1])
    return module, diagnostics


def _parse(text: str, every_error: bool) -> tuple[ast.Module | None, list[Diagnostic]]:
    if len(text) > MAX_CHARS:  # refused before any work: parsing is linear, but not fast
        at = Span.at(text, MAX_CHARS, MAX_CHARS + 1)
        args = {"what": "characters in the file", "what_zh": "文件字符数", "count": len(text), "limit": MAX_CHARS}
        return None, [Diagnostic("PF008", at, args, hint="too_large")]
    controls = _control_characters(text) or _invisible_characters(text)
    if controls:
        return None, controls
    comments: list[Token] = []
    reset = _COMMENTS.set(comments)
    try:
        tree = parser().parse(text)
    except UnexpectedInput as error:
        return None, _all_syntax_errors(text) if every_error else [_syntax_diagnostic(text, error)]
    finally:
        _COMMENTS.reset(reset)
    too_deep = _too_deep(tree, text)
    if too_deep is not None:
        return None, [too_deep]
    builder = _Builder(text)
    try:
        module = builder.transform(tree)
    except VisitError as error:  # show the real fault, not lark's wrapper
        raise error.orig_exc from None
    too_many = _too_many_arms(module)
    if too_many is not None:
        return None, [too_many]
    kept = tuple(ast.Comment(str(c).rstrip(), _span(c)) for c in comments)
    return ast.Module(module.items, module.span, kept), builder.diagnostics


# C0 controls but tab, line feed, carriage return and form feed (whitespace to the grammar),
# DEL, C1, and the bidirectional overrides and isolates that make text read otherwise than
# it parses ("Trojan Source"). Anywhere in the text: in a name or a string they reach file
# names and reports (a NUL crashed them), in a comment they hide what the rule says.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MAX_CONTROLS = 20  # reported; a binary file would otherwise give one per byte


def _control_characters(text: str) -> list[Diagnostic]:
    """PF001 for each control character in the text, shown escaped (`\\x00`)."""
    found = []
    for match in _CONTROL.finditer(text):
        char = match.group()
        escaped = f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
        args = {"char": _visible(char), "escaped": escaped}
        found.append(Diagnostic("PF001", Span.at(text, match.start(), match.end()), args, hint="control_char"))
        if len(found) == _MAX_CONTROLS:
            break
    return found


# What the lexer reads as a unit: a text in quotes or a backquoted name, searched for invisible
# characters like the rest; a comment, which is not (a `#` inside a text starts none).
_UNITS = re.compile(r'"(?:[^"\\\n]|\\.)*"|“[^“”\n]*”|「[^「」\n]*」|`[^`\n]+`|#[^\n]*')


def _invisible_characters(text: str) -> list[Diagnostic]:
    """PF007 for each invisible character (U+200B, a BOM past the start, …) outside comments:
    in a name it makes two names that look alike (`投入`, `投\u200b入`), in a text a label or
    an example's name that matches nothing typed."""
    if INVISIBLE_PATTERN.search(text, 1) is None:
        return []
    found = []
    for unit in re.finditer(f"{_UNITS.pattern}|{INVISIBLE_PATTERN.pattern}", text):
        if unit.group().startswith("#"):
            continue
        for match in INVISIBLE_PATTERN.finditer(text, unit.start(), unit.end()):
            if match.start() == 0:  # a byte-order mark: the loader strips it, parse() accepts it
                continue
            char = match.group()
            args = {"char": invisible_name(char, "en"), "char_zh": invisible_name(char, "zh")}
            found.append(Diagnostic("PF007", Span.at(text, match.start(), match.end()), args, hint="invisible_char"))
            if len(found) == _MAX_CONTROLS:
                return found
    return found


@functools.cache
def keywords() -> frozenset[str]:
    """Every keyword of the grammar that a bare name could be mistaken for; the formatter
    writes such names in backquotes."""
    name = _name_pattern()
    words = set()
    for terminal in parser().terminals:
        pattern = terminal.pattern
        if pattern.type == "str" and name.fullmatch(pattern.value):
            words.add(pattern.value)
        elif pattern.type == "re" and re.fullmatch(r"\(\?:[a-z_|]+\)", pattern.value):  # TYPE_NAME, ROUND_MODE, …
            words.update(pattern.value[3:-1].split("|"))
    return frozenset(words)


@functools.cache
def _name_pattern() -> re.Pattern[str]:
    return re.compile(parser().get_terminal("NAME").pattern.value)


def is_bare_name(text: str) -> bool:
    """Whether a name can be written without backquotes: it lexes as a NAME and is no keyword."""
    return _name_pattern().fullmatch(text) is not None and text not in keywords()


def ascii_number(text: str) -> str:
    """A numeric literal's text in ASCII: full-width digits, `．` and `％` as `0-9`, `.` and `%`."""
    out = []
    for ch in text:
        if ch == "％":
            out.append("%")
        elif ch == "．":
            out.append(".")
        elif ch.isdigit() and not ch.isascii():
            out.append(str(unicodedata.digit(ch)))
        else:
            out.append(ch)
    return "".join(out)


# Deeper trees would exhaust Python's recursion in the passes that walk them; no real
# rubric comes close (the 2021 one is 9 levels deep).
MAX_DEPTH = 120


def _too_deep(tree: Tree[Token], text: str) -> Diagnostic | None:
    """PF005 at the first node nested deeper than MAX_DEPTH, found without recursion."""
    stack: list[tuple[Tree[Token], int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return Diagnostic("PF005", _span(node.meta), {"limit": MAX_DEPTH}, hint="flatten")
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return None


MAX_ARMS = 300  # bands, `when` arms, `match` arms or grades: checking them is quadratic in the worst case


def _too_many_arms(module: ast.Module) -> Diagnostic | None:
    """PF008 at the first rule (or header) with more than MAX_ARMS arms (or grades)."""
    for item in module.items:
        if isinstance(item, ast.Header) and len(item.grades) > MAX_ARMS:
            return _arms(item.span, len(item.grades), "grades in the header", "评价等次数")
    for node, _depth in ast.walk_nodes(module.rows):
        for rule in node.rules if isinstance(node, ast.Indicator) else ():
            arms = rule.bands if isinstance(rule, ast.Bands) else getattr(rule, "arms", ())
            if len(arms) > MAX_ARMS:
                return _arms(rule.span, len(arms), "arms in one rule", "同一规则的分档或条件数")
    return None


def _arms(span: Span, count: int, what: str, what_zh: str) -> Diagnostic:
    args = {"what": what, "what_zh": what_zh, "count": count, "limit": MAX_ARMS}
    return Diagnostic("PF008", span, args, hint="too_many")


# ---------------------------------------------------------------- tree → AST


def _span(m: Token | Meta) -> Span:
    if isinstance(m, Token):
        if m.start_pos is None or m.end_pos is None or m.line is None or m.column is None or m.end_line is None \
                or m.end_column is None:  # fmt: skip
            return Span.unknown()  # a token lark made up; the lexer's have every position
        return Span(m.start_pos, m.end_pos, m.line, m.column, m.end_line, m.end_column)
    if getattr(m, "empty", True):
        return Span.unknown()
    return Span(m.start_pos, m.end_pos, m.line, m.column, m.end_line, m.end_column)


def _join(first: Span, last: Span) -> Span:
    return Span(first.start, last.end, first.line, first.column, last.end_line, last.end_column)


_ESCAPE = re.compile(r'\\(["\\\\])')


def _text(s: Token) -> str:
    """The contents of a STRING token: `\\"` is a quote and `\\\\` a backslash; any other
    backslash stays as written. A text in Chinese quotes (CN_STRING) escapes nothing."""
    if s.type == "CN_STRING":
        return str(s)[1:-1]
    return _ESCAPE.sub(r"\1", str(s)[1:-1])


_TOTAL = object()  # `total` where a node name could stand
_Setting = tuple[str, dict[str, object]]  # ("setting", {header field: value}) for the header to gather


def _target(target: object) -> ast.Name | None:
    return target if isinstance(target, ast.Name) else None  # else `total` (or nothing): None


@v_args(meta=True)
class _Builder(Transformer[Token, ast.Module]):
    """One method per grammar alias; literal problems are collected, not raised."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.diagnostics: list[Diagnostic] = []

    def _decimal(self, token: Token, strip: tuple[str, ...] = ()) -> Decimal:
        raw = str(token).replace("．", ".")
        for suffix in strip:
            raw = raw.removesuffix(suffix)
        try:
            return Decimal(raw)
        except InvalidOperation:  # pragma: no cover - the lexer admits only digits
            self.diagnostics.append(Diagnostic("PF004", _span(token), {"text": str(token)}))
            return Decimal(0)

    def _whole(self, number: ast.Number, what: str) -> ast.Number:
        if number.value != number.value.to_integral_value():
            self.diagnostics.append(
                Diagnostic("PF004", number.span, {"text": number.text, "what": what}, hint="whole_number")
            )
        return number

    def _num(self, token: Token) -> ast.Number:
        return ast.Number(self._decimal(token), "number", ascii_number(str(token)), _span(token))

    # ---- literals and names
    def number(self, meta: Meta, c: list[Any]) -> ast.Number:
        return self._num(c[0])

    def percent(self, meta: Meta, c: list[Any]) -> ast.Number:
        value = self._decimal(c[0], ("%", "％")) / 100
        return ast.Number(value, "percent", ascii_number(str(c[0])), _span(c[0]))

    def pp(self, meta: Meta, c: list[Any]) -> ast.Number:
        value = self._decimal(c[0], ("pp",)) / 100
        return ast.Number(value, "pp", ascii_number(str(c[0])), _span(c[0]))

    def negative(self, meta: Meta, c: list[Any]) -> ast.Number:
        n = c[1]
        return ast.Number(-n.value, n.unit, "-" + n.text, _span(meta))

    def name(self, meta: Meta, c: list[Any]) -> ast.Name:
        tok = c[0]
        text = str(tok)[1:-1] if tok.type == "QUOTED_NAME" else str(tok)
        return ast.Name(text, _span(tok))

    def cmp_op(self, meta: Meta, c: list[Any]) -> str:
        return _OPS.get(str(c[0]), str(c[0]))

    def open_end(self, meta: Meta, c: list[Token]) -> bool:
        return c[0].type == "LSQB"

    def close_end(self, meta: Meta, c: list[Token]) -> bool:
        return c[0].type == "RSQB"

    def quoted(self, meta: Meta, c: list[Token]) -> Token:
        return c[0]  # a STRING or a CN_STRING: `_text` reads either

    def reason(self, meta: Meta, c: list[Any]) -> str:
        return _text(c[0])

    def description(self, meta: Meta, c: list[Any]) -> str:
        return _text(c[0])

    def counting(self, meta: Meta, c: list[Any]) -> str:
        return str(c[0])

    # ---- header
    def start(self, meta: Meta, c: list[Any]) -> ast.Module:
        return ast.Module(tuple(c), _span(meta))

    def rubric(self, meta: Meta, c: list[Any]) -> ast.Header:
        settings: dict[str, Any] = {}  # each setting's own type: Number, or the rounding mode
        grades = []
        for kind, value in c[1:]:
            if kind == "grade":
                grades.append(value)
                continue
            for key, number in value.items():
                if key in settings and isinstance(number, ast.Number):
                    word = {"round_places": "round total", "round_mode": "round total"}.get(key, key)
                    self.diagnostics.append(Diagnostic("PF110", number.span, {"setting": word}, hint="keep_one"))
            settings.update(value)
        return ast.Header(_text(c[0]), grades=tuple(grades), span=_span(meta), **settings)

    def year(self, meta: Meta, c: list[Any]) -> _Setting:
        return "setting", {"year": self._whole(self._num(c[0]), "year")}

    def total_max(self, meta: Meta, c: list[Any]) -> _Setting:
        return "setting", {"total": self._num(c[0])}

    def cap_total(self, meta: Meta, c: list[Any]) -> _Setting:
        return "setting", {"cap": self._num(c[0])}

    def round_total(self, meta: Meta, c: list[Any]) -> _Setting:
        places = self._whole(self._num(c[0]), "places")
        setting: dict[str, object] = {"round_places": places}
        if c[1] is not None:
            setting["round_mode"] = str(c[1])
        return "setting", setting

    def grade_band(self, meta: Meta, c: list[Any]) -> tuple[str, ast.Grade]:
        return "grade", ast.Grade(c[0], c[1], c[2], _span(meta), condition=c[3])

    def grade_otherwise(self, meta: Meta, c: list[Any]) -> tuple[str, ast.Grade]:
        return "grade", ast.Grade(c[0], span=_span(meta))

    # ---- declarations
    def input_decl(self, meta: Meta, c: list[Any]) -> ast.Input:
        name, (kind, labels), precision, bounds, description = c
        if isinstance(kind, tuple):  # `list of [N] TYPE`: a panel's scores
            element, size = kind
            return ast.Input(
                name, element, bounds, labels, description, _span(meta), precision=precision, is_list=True, size=size
            )
        return ast.Input(name, kind, bounds, labels, description, _span(meta), precision=precision)

    def precision(self, meta: Meta, c: list[Any]) -> ast.Number:
        found: ast.Number = c[0]
        return found

    def simple_type(self, meta: Meta, c: list[Any]) -> tuple[str, tuple[ast.Name, ...]]:
        return str(c[0]), ()

    def label_type(self, meta: Meta, c: list[Any]) -> tuple[str, tuple[ast.Name, ...]]:
        return "label", tuple(c)

    def list_type(self, meta: Meta, c: list[Any]) -> tuple[tuple[str, ast.Number | None], tuple[ast.Name, ...]]:
        size, kind = c
        return (str(kind), None if size is None else self._num(size)), ()

    def bounds(self, meta: Meta, c: list[Any]) -> tuple[ast.Bound, ...]:
        return tuple(c)

    def bound(self, meta: Meta, c: list[Any]) -> ast.Bound:
        return ast.Bound(c[0], c[1], _span(meta))

    def batch_let(self, meta: Meta, c: list[Any]) -> ast.Input:
        name, _eq, func, _lpar, expr, _rpar = c
        return ast.Input(name, "number", span=_span(meta), batch=ast.Batch(func, expr, _span(meta)))

    def batch_func(self, meta: Meta, c: list[Any]) -> str:
        return str(c[0])

    def let_decl(self, meta: Meta, c: list[Any]) -> ast.Let:
        name, _eq, expr = c
        return ast.Let(name, expr, _span(meta))

    # ---- extending another file
    def extends(self, meta: Meta, c: list[Any]) -> ast.Extends:
        return ast.Extends(_text(c[0]), _span(meta))

    def remove_node(self, meta: Meta, c: list[Any]) -> ast.Remove:
        return ast.Remove(c[0], False, _span(meta))

    def remove_input(self, meta: Meta, c: list[Any]) -> ast.Remove:
        return ast.Remove(c[0], True, _span(meta))

    def add_to(self, meta: Meta, c: list[Any]) -> ast.AddTo:
        return ast.AddTo(c[0], tuple(c[1:]), _span(meta))

    def set_max(self, meta: Meta, c: list[Any]) -> ast.SetMax:
        return ast.SetMax(c[1], self._num(c[2]), _span(meta))

    # ---- tree
    def group(self, meta: Meta, c: list[Any]) -> ast.Group:
        name, top, *rest = c
        applies = rest.pop(0) if rest and isinstance(rest[0], ast.Applies) else None
        rounding, *parts = rest
        places, mode = rounding if rounding is not None else (None, "half_up")
        return ast.Group(
            name, self._num(top), tuple(parts), _span(meta), applies, round_places=places,
            round_mode=mode,  # type: ignore[arg-type]  # ROUND_MODE holds only the modes
        )

    def indicator(self, meta: Meta, c: list[Any]) -> ast.Indicator:
        name, top, *rest = c
        applies = rest.pop(0) if rest and isinstance(rest[0], ast.Applies) else None
        rounding, *rules = rest
        places, mode = rounding if rounding is not None else (None, "half_up")
        return ast.Indicator(
            name, self._num(top), tuple(rules), _span(meta), applies=applies, round_places=places,
            round_mode=mode,  # type: ignore[arg-type]  # ROUND_MODE holds only the modes
        )

    def applies(self, meta: Meta, c: list[Any]) -> ast.Applies:
        condition, mode = c
        modes: dict[str, ast.AppliesMode] = {"full": "full", "zero": "zero", "rescale": "rescale"}
        return ast.Applies(modes[str(mode)], condition, _span(meta))

    def bonus(self, meta: Meta, c: list[Any]) -> ast.Outside:
        return ast.Outside("bonus", ast.Indicator(c[0], self._num(c[1]), tuple(c[2:]), _span(meta)), _span(meta))

    def penalty(self, meta: Meta, c: list[Any]) -> ast.Outside:
        return ast.Outside("penalty", ast.Indicator(c[0], self._num(c[1]), tuple(c[2:]), _span(meta)), _span(meta))

    def adjust(self, meta: Meta, c: list[Any]) -> ast.Outside:
        name, low, high, *rules = c
        row = ast.Indicator(name, high, tuple(rules), _span(meta), low=low)
        return ast.Outside("adjust", row, _span(meta))

    def adjust_end(self, meta: Meta, c: list[Any]) -> ast.Number:
        """An end of an adjust row's range, signed as written: `-2`, `+2`, `2`."""
        sign, token = c
        n = self._num(token)
        if sign is None:
            return n
        minus = str(sign) != "+" and str(sign) != "＋"
        return ast.Number(-n.value if minus else n.value, "number", ("-" if minus else "+") + n.text, _span(meta))

    def veto_zero(self, meta: Meta, c: list[Any]) -> ast.Veto:
        return ast.Veto(c[0], c[1], "zero", None, _span(meta))

    def veto_below(self, meta: Meta, c: list[Any]) -> ast.Veto:
        return ast.Veto(c[0], c[1], "below", c[2], _span(meta))

    def veto_grade(self, meta: Meta, c: list[Any]) -> ast.Veto:
        return ast.Veto(c[0], c[1], "grade", c[2], _span(meta))

    def pending_indicator(self, meta: Meta, c: list[Any]) -> ast.Indicator:
        name, top, text = c
        return ast.Indicator(name, self._num(top), (), _span(meta), pending=_text(text))

    def node_round(self, meta: Meta, c: list[Any]) -> tuple[ast.Number, str]:
        return self._whole(self._num(c[0]), "places"), str(c[1]) if c[1] is not None else "half_up"

    # ---- rules
    def deduct_step(self, meta: Meta, c: list[Any]) -> ast.DeductStep:
        rate, step, value, direction, counting, reason, guard = c
        kind: ast.Direction = "above"
        reference: ast.Expr | None = None
        if direction is not None:
            kind, reference = direction
        return ast.DeductStep(self._num(rate), step, value, kind, reference, counting, reason, _span(meta), guard)

    def deduct_count(self, meta: Meta, c: list[Any]) -> ast.DeductStep:
        rate, value, counting, reason, guard = c
        one = ast.Number(Decimal(1), "number", "1")
        return ast.DeductStep(self._num(rate), one, value, "above", None, counting, reason, _span(meta), guard)

    def above(self, meta: Meta, c: list[Any]) -> tuple[ast.Direction, ast.Expr]:
        return "above", c[0]

    def below(self, meta: Meta, c: list[Any]) -> tuple[ast.Direction, ast.Expr]:
        return "below", c[0]

    def from_(self, meta: Meta, c: list[Any]) -> tuple[ast.Direction, ast.Expr]:
        return "from", c[0]

    def guard(self, meta: Meta, c: list[Any]) -> ast.Expr:
        found: ast.Expr = c[0]
        return found

    def deduct_if(self, meta: Meta, c: list[Any]) -> ast.DeductIf:
        return ast.DeductIf(self._num(c[0]), c[1], c[2], _span(meta))

    def award_if(self, meta: Meta, c: list[Any]) -> ast.AwardIf:
        return ast.AwardIf(self._num(c[0]), c[1], c[2], _span(meta))

    def bands(self, meta: Meta, c: list[Any]) -> ast.Bands:
        return ast.Bands(c[0], tuple(c[1:-1]), _span(meta), c[-1])

    def band_compare(self, meta: Meta, c: list[Any]) -> ast.Band:
        op, value, points, reason = c
        low = high = None
        low_closed = high_closed = False
        if op in (">", ">="):
            low, low_closed = value, op == ">="
        elif op in ("<", "<="):
            high, high_closed = value, op == "<="
        else:  # "=" (and "!=", which the checker refuses)
            low = high = value
            low_closed = high_closed = True
        return ast.Band(self._num(points), low, high, low_closed, high_closed, False, op, reason, _span(meta))

    def band_range(self, meta: Meta, c: list[Any]) -> ast.Band:
        low_closed, low, high, high_closed, points, reason = c
        return ast.Band(self._num(points), low, high, low_closed, high_closed, False, None, reason, _span(meta))

    def band_else(self, meta: Meta, c: list[Any]) -> ast.Band:
        return ast.Band(self._num(c[0]), is_else=True, reason=c[1], span=_span(meta))

    def band_span(self, meta: Meta, c: list[Any]) -> ast.Band:
        """`80%（含）－90%`, as printed in source documents: an end marked （含） is closed and
        one marked （不含） open; an unmarked end beside a （含） is open, the reading of
        every such table (a boundary belongs to one band). Any other band is refused
        with its exact rewrite: which end it includes is not said."""
        low, low_mark, _dash, high, high_mark, points, reason = c
        if low_mark is None and high_mark is None or (low_mark is False and high_mark is None) \
                or (low_mark is None and high_mark is False):  # fmt: skip
            args = {"low": low.text, "high": high.text}
            self.diagnostics.append(Diagnostic("PF009", _join(low.span, high.span), args, hint="mark_included"))
        low_closed = bool(low_mark) if low_mark is not None else not high_mark
        high_closed = bool(high_mark) if high_mark is not None else not low_mark
        return ast.Band(self._num(points), low, high, low_closed, high_closed, False, None, reason, _span(meta))

    def end_mark(self, meta: Meta, c: list[Token]) -> bool:
        return c[0].type == "INCLUDED"

    def band_dash(self, meta: Meta, c: list[Token]) -> None:
        return None

    def when_chain(self, meta: Meta, c: list[Any]) -> ast.WhenChain:
        return ast.WhenChain(tuple(arm for arm in c[:-1] if arm is not None), _span(meta), c[-1])

    def when_arm(self, meta: Meta, c: list[Any]) -> ast.WhenArm:
        return ast.WhenArm(self._num(c[1]), c[0], c[2], _span(meta))

    def otherwise(self, meta: Meta, c: list[Any]) -> ast.WhenArm:
        return ast.WhenArm(self._num(c[0]), None, c[1], _span(meta))

    def match(self, meta: Meta, c: list[Any]) -> ast.Match:
        return ast.Match(c[0], tuple(c[1:-1]), _span(meta), c[-1])

    def match_label(self, meta: Meta, c: list[Any]) -> ast.MatchArm:
        label = c[0]
        if isinstance(label, Token):  # a "quoted" label
            label = ast.Name(_text(label), _span(label))
        return ast.MatchArm(self._num(c[1]), label, c[2], _span(meta))

    def match_else(self, meta: Meta, c: list[Any]) -> ast.MatchArm:
        return ast.MatchArm(self._num(c[0]), None, c[1], _span(meta))

    def judgment(self, meta: Meta, c: list[Any]) -> ast.Judgment:
        return ast.Judgment(c[0], _span(meta), c[1])

    def formula(self, meta: Meta, c: list[Any]) -> ast.Formula:
        return ast.Formula(c[1], _span(meta), c[2])

    # ---- examples and properties
    def example(self, meta: Meta, c: list[Any]) -> ast.Example:
        title, base, given, *expects = c
        givens, given_span = given if given is not None else ((), Span.unknown())
        return ast.Example(
            _text(title), _text(base) if base is not None else None, givens, tuple(expects),
            _span(meta), _span(title), _span(base) if base is not None else Span.unknown(), given_span,
        )  # fmt: skip

    def given(self, meta: Meta, c: list[Any]) -> tuple[tuple[ast.Given, ...], Span]:
        return tuple(entry for entry in c if entry is not None), _span(meta)

    def given_entry(self, meta: Meta, c: list[Any]) -> ast.Given:
        return ast.Given(c[0], c[1], _span(meta))

    def given_number(self, meta: Meta, c: list[Any]) -> ast.GivenValue:
        number = c[0]
        return ast.GivenValue(number.unit, number.text, number.span)

    def given_text(self, meta: Meta, c: list[Any]) -> ast.GivenValue:
        return ast.GivenValue("text", _text(c[0]), _span(c[0]))

    def given_word(self, meta: Meta, c: list[Any]) -> ast.GivenValue:
        return ast.GivenValue("word", c[0].text, c[0].span)

    def given_true(self, meta: Meta, c: list[Any]) -> ast.GivenValue:
        return ast.GivenValue("word", "true", _span(meta))

    def given_false(self, meta: Meta, c: list[Any]) -> ast.GivenValue:
        return ast.GivenValue("word", "false", _span(meta))

    def total_target(self, meta: Meta, c: list[Any]) -> object:
        return _TOTAL

    def node_target(self, meta: Meta, c: list[ast.Name]) -> ast.Name:
        return c[0]

    def expect_op(self, meta: Meta, c: list[Any]) -> str:
        return "~=" if c[0].type == "APPROX" else "="

    def expect_score(self, meta: Meta, c: list[Any]) -> ast.ExpectScore:
        target, op, value = c
        return ast.ExpectScore(_target(target), op, value, _span(meta))

    def expect_grade(self, meta: Meta, c: list[Any]) -> ast.ExpectGrade:
        return ast.ExpectGrade(c[1], _span(meta))

    def expect_error(self, meta: Meta, c: list[Any]) -> ast.ExpectError:
        code, name = c
        return ast.ExpectError(str(code) if code is not None else None, name, _span(meta))

    def property_monotone(self, meta: Meta, c: list[Any]) -> ast.Monotone:
        name, direction, target = c
        way: Literal["increasing", "decreasing"] = "decreasing" if str(direction) == "decreasing" else "increasing"
        return ast.Monotone(name, way, _target(target), _span(meta))

    def property_claim(self, meta: Meta, c: list[Any]) -> ast.Claim:
        target, op, value, condition = c
        return ast.Claim(_target(target), op, value, condition, _span(meta))

    # ---- expressions
    def or_(self, meta: Meta, c: list[Any]) -> ast.Or:
        return ast.Or(c[0], c[1], _span(meta))

    def and_(self, meta: Meta, c: list[Any]) -> ast.And:
        return ast.And(c[0], c[1], _span(meta))

    def if_else(self, meta: Meta, c: list[Any]) -> ast.IfElse:
        return ast.IfElse(c[0], c[1], c[2], _span(meta))

    def not_(self, meta: Meta, c: list[Any]) -> ast.Not:
        return ast.Not(c[0], _span(meta))

    def compare(self, meta: Meta, c: list[Any]) -> ast.Compare:
        return ast.Compare(c[1], c[0], c[2], _span(meta))

    def binary(self, meta: Meta, c: list[Any]) -> ast.Binary:
        op = str(c[1])
        return ast.Binary(_OPS.get(op, op), c[0], c[2], _span(meta))

    def neg(self, meta: Meta, c: list[Any]) -> ast.Neg:
        return ast.Neg(c[1], _span(meta))

    def ref(self, meta: Meta, c: list[Any]) -> ast.Ref:
        return ast.Ref(c[0], _span(meta))

    def true(self, meta: Meta, c: list[Any]) -> ast.Bool:
        return ast.Bool(True, _span(meta))

    def false(self, meta: Meta, c: list[Any]) -> ast.Bool:
        return ast.Bool(False, _span(meta))

    def call(self, meta: Meta, c: list[Any]) -> ast.Call:
        func = str(c[0].children[0]) if isinstance(c[0], Tree) else str(c[0])
        args = tuple(x for x in c[1:] if not isinstance(x, Token))
        return ast.Call(func, args, _span(meta))

    def round_(self, meta: Meta, c: list[Any]) -> ast.Round:
        value, places, mode = (x for x in c if not (isinstance(x, Token) and x.type in ("LPAR", "RPAR")))
        return ast.Round(value, self._whole(self._num(places), "places"), str(mode) if mode is not None else "half_up", _span(meta))  # type: ignore[arg-type]  # ROUND_MODE holds only the modes

    def func(self, meta: Meta, c: list[Any]) -> str:
        return str(c[0])

    def paren(self, meta: Meta, c: list[Any]) -> ast.Expr:
        inner: ast.Expr = c[1]  # between the two parenthesis tokens
        return inner


# ---------------------------------------------------------------- parse errors

# What a user calls each terminal that is not a keyword, in English and Chinese; a keyword
# is shown as written. tests/test_user_syntax.py checks that every terminal has its words,
# so no internal name (`__ANON_0`, `LBRACE`) reaches a user.
_TERMINAL_WORDS: dict[str, tuple[str, str]] = {
    "NUMBER": ("a number", "数字"),
    "PERCENT": ("a percentage like `90%`", "百分比（如 `90%`）"),
    "PP": ("percentage points like `5pp`", "百分点（如 `5pp`）"),
    "NAME": ("a name", "名称"),
    "QUOTED_NAME": ("a name", "名称"),
    "STRING": ('a text in quotes like `"说明"`', '引号内的文字（如 `"说明"`）'),
    "CN_STRING": ('a text in quotes like `"说明"`', '引号内的文字（如 `"说明"`）'),
    "EQ": ("`=`", "`=`"),
    "REL": ("a comparison (`>=`, `<`, …)", "比较符号（`>=`、`<` 等）"),
    "LPAR": ("`(`", "`(`"), "RPAR": ("`)`", "`)`"), "LSQB": ("`[`", "`[`"), "RSQB": ("`]`", "`]`"),
    "_ARROW": ("`->`", "`->`"), "_COLON": ("`:`", "`:`"), "_COMMA": ("`,`", "`,`"),
    "MINUS": ("`-`", "`-`"), "PLUS": ("`+`", "`+`"), "TIMES": ("`*`", "`*`"), "DIVIDE": ("`/`", "`/`"),
    "DASH": ("`-`", "`-`"), "APPROX": ("`~=`", "`~=`"),
    "INCLUDED": ("`（含）`", "`（含）`"), "EXCLUDED": ("`（不含）`", "`（不含）`"),
    "TYPE_NAME": (
        "a type (percent, amount, count, bool, score, number)",
        "类型（percent、amount、count、bool、score、number）",
    ),
    "ROUND_MODE": ("a rounding mode like `half_up`", "舍入方式（如 `half_up`）"),
    "COUNTING": ("proportional, whole or started", "proportional、whole 或 started"),
    "APPLIES_MODE": ("full, zero or rescale", "full、zero 或 rescale"),
    "ERROR_CODE": ("a code like `PF503`", "错误代码（如 `PF503`）"),
    "MONOTONY": ("increasing or decreasing", "increasing 或 decreasing"),
    "$END": ("end of file", "文件结尾"),
}  # fmt: skip
_UNSHOWN = frozenset({"COMMENT", "WS"})  # ignored by the grammar: never what is missing
_MAX_WORDS = 8


@functools.cache
def terminal_words() -> dict[str, tuple[str, str]]:
    """Every terminal of the parser → its (English, Chinese) words."""
    words = dict(_TERMINAL_WORDS)
    for terminal in parser().terminals:
        if terminal.pattern.type == "str" and terminal.name not in words:  # a keyword, or `{`
            shown = f"`{terminal.pattern.value}`"
            words[terminal.name] = (shown, shown)
    return words


def _words(expected: set[str]) -> tuple[str, str]:
    """What may stand here, listed in English and in Chinese."""
    table = terminal_words()
    pairs = sorted({table.get(t, ("something else", "其他内容")) for t in expected if t not in _UNSHOWN})
    if len(pairs) > _MAX_WORDS:
        pairs = [*pairs[:_MAX_WORDS], ("…", "…")]
    return ", ".join(en for en, _ in pairs), "、".join(zh for _, zh in pairs)


# Known bad inputs, each labelled with what is wrong (lark's UnexpectedInput.match_examples).
_EXAMPLES = {
    "missing_max": [
        "group 甲 {",
        "indicator 甲 {",
        "group 甲 { group 乙 { }",
        "group 甲 }",
    ],
    "missing_arrow": [
        "indicator 甲 1 { bands x { >= 1 1 } }",
        "indicator 甲 1 { bands x { >= 1% 1 } }",
        "indicator 甲 1 { bands x { [1, 2) 1 } }",
        "indicator 甲 1 { when x 1 }",
        "indicator 甲 1 { bands x { else 1 } }",
        "indicator 甲 1 { when x else 1 }",
    ],
    "missing_colon": ["input 甲 count", "input 甲 percent"],
    "unknown_type": ["input 甲: money", "input 甲: 百分比"],
    "missing_points": [
        "indicator 甲 1 { bands x { >= 1 -> } }",
        "indicator 甲 1 { when x -> }",
        "indicator 甲 1 { bands x { >= 1 -> x } }",
        "indicator 甲 1 { when x -> else -> 1 }",
    ],
}  # fmt: skip


@functools.cache
def _example_states() -> dict[object, str]:
    """Parser state → label, from the known bad inputs. Like lark's match_examples with
    use_accepts, but without comparing stack depth, so an example matches at any nesting."""
    states: dict[object, str] = {}
    for label, examples in _EXAMPLES.items():
        for example in examples:
            try:
                parser().parse(example)
            except UnexpectedToken as error:
                if error.token.type != "$END":
                    states.setdefault(_state_key(error), label)
            except UnexpectedInput:
                pass
    return states


def _state_key(error: UnexpectedToken) -> tuple[object, frozenset[str]]:
    position = error.state.position if error.state is not None else None
    return position, frozenset(error.accepts or ())


def _all_syntax_errors(text: str) -> list[Diagnostic]:
    """The first syntax error of every top-level item, so one stray `}` does not hide the rest."""
    found: list[Diagnostic] = []
    items = top_level_items(text)
    for index, (start, end) in enumerate(items):
        try:
            parser().parse(text[start:end])
        except UnexpectedInput as error:
            last = index == len(items) - 1
            found.append(_syntax_diagnostic(text, error, start, None if last else end))
    if not found:  # pragma: no cover - the items parse alone but not together
        try:
            parser().parse(text)
        except UnexpectedInput as error:
            found.append(_syntax_diagnostic(text, error))
    return found


_CLOSERS = {'"': '"', "“": "”", "「": "」"}  # a string's opening quote and its close (grammar: STRING, CN_STRING)


def _visible(char: str) -> str:
    """A character as a reader can see it: invisible ones by code point and name."""
    if char.isprintable() and not char.isspace():
        return char
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()


def _syntax_diagnostic(text: str, error: UnexpectedInput, offset: int = 0, next_item: int | None = None) -> Diagnostic:
    """A diagnostic for an error found parsing text[offset:…]; next_item is where the
    following top-level item starts when the fragment is not the last."""
    if isinstance(error, UnexpectedCharacters):
        pos = (error.pos_in_stream or 0) + offset  # (always set for this error; lark's type allows None)
        char = text[pos] if pos < len(text) else ""
        hint = "decimal_point" if char in "．。" else "unexpected_char"  # deleting it makes ０．５ 05
        if char in _CLOSERS:  # a quote starts a string only when the line closes it: the close is missing
            hint = "unclosed_string"
        shown = {"char": _visible(char), "close": _CLOSERS.get(char, "")}
        return Diagnostic("PF001", Span.at(text, pos, pos + 1), shown, hint=hint)
    is_eof = isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END")
    if is_eof and next_item is not None:  # the item stops short where the next one begins
        word = text[next_item:].split(None, 1)[0]
        span = Span.at(text, next_item, next_item + len(word))
        en, zh = _words(set(getattr(error, "expected", ()) or ()))
        args: dict[str, object] = {"token": word, "expected": en, "expected_zh": zh, "what": "generic"}
        return Diagnostic("PF002", span, args, hint="expected")
    if is_eof:
        brace = unclosed_brace(text)
        if brace is not None:
            where = {"block": _block(text, brace), "line": Span.at(text, brace, brace).line}
            return Diagnostic("PF003", Span.at(text, brace, brace + 1), where, hint="close_brace")
        end = len(text.rstrip())
        return Diagnostic("PF003", Span.at(text, max(end - 1, 0), max(end, 1)), {}, hint="incomplete")
    assert isinstance(error, UnexpectedToken)
    token = error.token
    start = (token.start_pos or 0) + offset
    span = Span.at(text, start, start + max(len(str(token)), 1))
    label = _example_states().get(_state_key(error))
    en, zh = _words(set(error.accepts or error.expected))
    args = {"token": str(token), "expected": en, "expected_zh": zh}
    unclosed = _unclosed(text, error, offset, start)
    if unclosed is not None:
        key = "unclosed" if unclosed["count"] == 1 else "unclosed_many"
        return Diagnostic("PF002", span, args | {"what": "unclosed"} | unclosed, hint=key)
    accepts = error.accepts or error.expected
    if token.type == "NAME" and str(token)[0] in "“「" and "CN_STRING" in accepts:
        close = _CLOSERS[str(token)[0]]
        end = text.find("\n", start)
        if close not in text[start : end if end >= 0 else len(text)]:  # “a with no ” on its line: not closed
            return Diagnostic("PF002", span, args | {"what": "unclosed_string", "close": close}, hint="unclosed_string")
    if token.type == "NAME" and str(token)[0] in "“「" and "CN_STRING" in accepts:  # “a “b” c”: quotes in quotes
        inner = str(token)[1:-1] if str(token)[-1] in "”」" else str(token)[1:]
        suggestion = '"' + inner.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return Diagnostic("PF002", span, args | {"what": "nested_quotes", "suggestion": suggestion}, hint="nested_quotes")
    points = _POINTS.search(text, text.rfind("\n", 0, start) + 1, start) if str(token) == "分" else None
    if token.type == "NAME" and points is not None:  # `4分`, as the table writes points
        return Diagnostic("PF002", span, args | {"what": "points_word", "number": points.group(1)}, hint="points_word")
    if label == "missing_colon":
        # A bracket in a name, as tables write units and a panel's columns: an input's
        # (`input 收入（万元）: amount`, `input 专家评分[2]: score`) or an example's `given`
        # entry's (`专家评分[2]: 9`), which shares the state.
        line = text.rfind("\n", 0, start) + 1
        name = _NAME_BEFORE.search(text, line, start) if str(token)[:1] in "([（［" else None
        rest = _NAME_REST.match(text, start)
        if name is not None and rest is not None:
            suggestion = f"`{name.group(1)}{rest.group(1)}`"
            return Diagnostic("PF002", span, args | {"what": "bracket_name", "suggestion": suggestion}, hint="bracket_name")
        if not _INPUT_LINE.match(text, line):  # `专家评分 9` in `given` is no `input 名称: percent`
            label = None
    if label:
        return Diagnostic("PF002", span, args | {"what": label}, hint=label)
    return Diagnostic("PF002", span, args | {"what": "generic"}, hint="expected")


# A line declaring an input, where `missing_colon`'s help (`input 名称: percent`) is meant.
_INPUT_LINE = re.compile(r"[ \t]*input\b")
# A name up to a bracket where it stops (`专家评分` of `专家评分[2]: 9`), and the rest to its `:`.
_NAME_BEFORE = re.compile(r"([^\s,，{`:：]+)$")
_NAME_REST = re.compile(r"([^\s,，{}`:：][^\n,，{}`:：]*?)[ \t]*[:：]")  # `（万 元）` keeps its space


# A number just before a token (`4` of `4分`).
_POINTS = re.compile(r"(?<![\w.])([0-9０-９]+(?:[.．][0-9０-９]+)?)[ \t]*$")



# Keywords that start a statement or a block: met where they cannot stand, they most often
# mean that a block before them was not closed.
_STARTS = frozenset({
    "RUBRIC", "INPUT", "LET", "GROUP", "INDICATOR", "EXAMPLE", "PROPERTY",
    "DEDUCT", "AWARD", "BANDS", "WHEN", "MATCH", "JUDGMENT",
})  # fmt: skip


def _unclosed(text: str, error: UnexpectedToken, offset: int, start: int) -> dict[str, object] | None:
    """When closing the open blocks before a statement's keyword would let the parse go
    on, the block left open (the innermost) and how many `}` are missing; else None."""
    if error.token.type not in _STARTS or error.interactive_parser is None:
        return None
    opened = open_braces(text[offset:start])
    machine = copy.copy(error.interactive_parser)  # (lark's own `copy` is unannotated)
    for missing in range(1, len(opened) + 1):
        try:
            machine.feed_token(Token("RBRACE", "}"))
        except UnexpectedInput:
            return None
        accepted: set[str] = machine.accepts()  # type: ignore[no-untyped-call]  # lark's accepts() is unannotated
        if error.token.type in accepted:
            brace = offset + opened[-1]
            line = Span.at(text, brace, brace).line
            return {"block": _block(text, brace), "line": line, "count": missing}
    return None


_OPENERS = re.compile(r"\b(?:rubric|group|indicator|bands|match|example|given|label)\b")


def _block(text: str, brace: int) -> str:
    """The words that open the block of the `{` at `brace`, as written: `indicator 乙 5`."""
    before = text[max(brace - 200, 0) : brace]
    found = list(_OPENERS.finditer(before))
    head = before[found[-1].start() :] if found else before.rsplit("\n", 1)[-1]
    words = " ".join(head.split())
    return words if len(words) <= 60 else words[:59] + "…"

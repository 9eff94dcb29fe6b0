"""Quick fixes: the diagnostics whose hint says exactly what to write, as edits of the text.

A fix is only offered where the checker named the change (a suggestion in its arguments,
`else -> 0` where arms leave values unscored, a `counting` clause a step lacks); the
edit is made on the text, so nothing else of the file moves."""

from __future__ import annotations

from attrs import frozen

from pingfen import ast
from pingfen.diagnostics import Diagnostic
from pingfen.lang import Lang
from pingfen.syntax.formatter import name as written_name
from pingfen.syntax.formatter import string


@frozen
class Edit:
    start: int
    end: int
    new: str


@frozen
class Fix:
    title: str
    diagnostic: Diagnostic
    edits: tuple[Edit, ...]
    preferred: bool = False


def fixes(diagnostic: Diagnostic, module: ast.Module | None, text: str, lang: Lang) -> list[Fix]:
    """The fixes for one diagnostic of the file `text` (none for one in a file it extends)."""
    zh = lang == "zh"
    span = diagnostic.span
    if not span.known or span.file != 0:
        return []
    if diagnostic.hint in ("did_you_mean", "percent_literal") and "suggestion" in diagnostic.args:
        suggestion = str(diagnostic.args["suggestion"])
        written = text[span.start : span.end]
        if diagnostic.hint == "percent_literal":
            new = suggestion
        elif written.startswith(('"', "“", "「")):
            new = string(suggestion)
        else:
            new = written_name(suggestion)
        title = f"改为 `{new}`" if zh else f"change to `{new}`"
        return [Fix(title, diagnostic, (Edit(span.start, span.end, new),), preferred=True)]
    if diagnostic.hint == "add_else":
        title = "在末尾增加 `else -> 0`" if zh else "add `else -> 0` at the end"
        return [Fix(title, diagnostic, (_add_else(text, span.start, span.end),))]
    if diagnostic.hint == "counting" and module is not None:
        step = _step_at(module, span.start)
        if step is None:
            return []
        after = (step.reference or step.value).span.end
        out = []
        for way in ("proportional", "whole", "started"):
            title = f"增加 `counting {way}`" if zh else f"add `counting {way}`"
            out.append(Fix(title, diagnostic, (Edit(after, after, f" counting {way}"),)))
        return out
    return []


def _indent(text: str, offset: int) -> str:
    line = text[text.rfind("\n", 0, offset) + 1 :]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _add_else(text: str, start: int, end: int) -> Edit:
    """`else -> 0` as the last arm: inside the braces of `bands`/`match`, after a `when` chain."""
    written = text[start:end].rstrip()
    if written.endswith("}"):
        brace = start + len(written) - 1
        inner = _indent(text, brace) + "  "
        before = text[:brace].rstrip(" \t")
        if before.endswith("\n"):  # the brace on a line of its own: a new line above it
            at = len(before)
            return Edit(at, at, f"{inner}else -> 0\n")
        return Edit(brace, brace, "else -> 0 " if text[brace - 1] in " \t" else " else -> 0 ")
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():  # the chain shares its line (`{ when … -> 10 }`): so does the arm
        return Edit(end, end, " else -> 0")
    return Edit(end, end, f"\n{_indent(text, start)}else -> 0")


def _step_at(module: ast.Module, offset: int) -> ast.DeductStep | None:
    for node, _depth in ast.walk_nodes(module.top):
        if isinstance(node, ast.Indicator):
            for rule in node.rules:
                if isinstance(rule, ast.DeductStep) and rule.span.start == offset:
                    return rule
    return None

"""The front door: rule text → checked, compiled Rubric, or every diagnostic found."""

from __future__ import annotations

from pathlib import Path

from pingfen.check import check
from pingfen.compile import Rubric
from pingfen.diagnostics import Diagnostic, Source, Span
from pingfen.errors import RubricError
from pingfen.syntax import parse


def diagnose(text: str, path: str = "<string>") -> list[Diagnostic]:
    """Every diagnostic for rule text (errors, warnings, notes), in source order."""
    return _build(text, path)[1]


def loads(text: str, path: str = "<string>") -> Rubric:
    """Load a rubric from its text. Raises RubricError listing every problem."""
    rubric, diagnostics = _build(text, path)
    if rubric is None:
        raise RubricError(diagnostics)
    return rubric


def load(path: str | Path) -> Rubric:
    """Load a rubric from a `.rule` file (UTF-8, with or without BOM). A file that is not
    UTF-8 (say GBK, as Windows editors often save) raises RubricError (PF006)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        at = Span(error.start, error.start + 1, 0, 0, 0, 0)
        raise RubricError(
            [Diagnostic("PF006", at, {"byte": error.start}, hint="save_utf8", source=Source(str(path), ""))]
        ) from None
    return loads(text, str(path))


def loads_unsound(text: str, path: str = "<string>") -> tuple[Rubric, list[Diagnostic]]:
    """Load a rubric even if the soundness checks (PF4xx) find errors in it, as `pingfen fuzz`
    does to show what those errors do to real records; returns it with every diagnostic.
    Raises RubricError when there is any other error (syntax, names, types, examples)."""
    source = Source(path, text)
    module, diagnostics = parse(text)
    if module is None or any(d.severity == "error" for d in diagnostics):
        raise RubricError([d.with_source(source) for d in diagnostics])
    checked = check(module)
    found = [d.with_source(source) for d in [*diagnostics, *checked.diagnostics]]
    if any(d.severity == "error" and not d.code.startswith("PF4") for d in found):
        raise RubricError(found)
    return Rubric(module, checked, source), found


def _build(text: str, path: str) -> tuple[Rubric | None, list[Diagnostic]]:
    # One line ending, as the parser counts lines: "\r\n" and a lone "\r" become "\n".
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    source = Source(path, text)
    module, diagnostics = parse(text)
    if module is None or any(d.severity == "error" for d in diagnostics):
        return None, [d.with_source(source) for d in diagnostics]
    checked = check(module)
    found = [d.with_source(source) for d in [*diagnostics, *checked.diagnostics]]
    if not checked.ok:
        return None, found
    return Rubric(module, checked, source), found

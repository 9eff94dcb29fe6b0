"""The front door: rule text → checked, compiled Rubric, or every diagnostic found."""

from __future__ import annotations

from pathlib import Path

from pingfen import cache
from pingfen.check import check
from pingfen.compile import Rubric
from pingfen.diagnostics import Diagnostic, Source
from pingfen.errors import RubricError


def diagnose(text: str, path: str = "<string>") -> list[Diagnostic]:
    """Every diagnostic for rule text (errors, warnings, notes), in source order."""
    return _build(text, path, executable=False)[1]


def loads(text: str, path: str = "<string>") -> Rubric:
    """Load a rubric from its text. Raises RubricError listing every problem."""
    rubric, diagnostics = _build(text, path)
    if rubric is None:
        raise RubricError(diagnostics)
    return rubric


def load(path: str | Path) -> Rubric:
    """Load a rubric from a `.rule` file (UTF-8, with or without BOM). Its syntax tree is
    kept in the user's cache directory, so loading the file again skips the parser."""
    text = Path(path).read_text(encoding="utf-8-sig")
    rubric, diagnostics = _build(text, str(path), Path(path))
    if rubric is None:
        raise RubricError(diagnostics)
    return rubric


def _build(
    text: str, path: str, file: Path | None = None, executable: bool = True
) -> tuple[Rubric | None, list[Diagnostic]]:
    """Parse, check and (when `executable`) compile; the rubric is None when there are errors."""
    source = Source(path, text)
    if file is not None:
        module, diagnostics = cache.parsed(file, text)
    else:
        from pingfen.syntax import parse

        module, diagnostics = parse(text)
    if module is None or any(d.severity == "error" for d in diagnostics):
        return None, [d.with_source(source) for d in diagnostics]
    checked = check(module)
    found = [d.with_source(source) for d in [*diagnostics, *checked.diagnostics]]
    if not checked.ok or not executable:
        return None, found
    return Rubric(module, checked, source), found

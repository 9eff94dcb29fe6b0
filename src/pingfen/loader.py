"""The front door: rule text → checked, compiled Rubric, or every diagnostic found."""

from __future__ import annotations

from pathlib import Path

from pingfen import cache
from pingfen.check import check
from pingfen.compile import Rubric
from pingfen.diagnostics import Diagnostic, Source, Span
from pingfen.errors import RubricError
from pingfen.values import pinned


@pinned  # the caller's decimal context never reaches the checker's arithmetic
def diagnose(text: str, path: str = "<string>") -> list[Diagnostic]:
    """Every diagnostic for rule text (errors, warnings, notes), in source order."""
    return _build(text, path, executable=False)[1]


@pinned
def loads(text: str, path: str = "<string>", *, tests: bool = True) -> Rubric:
    """Load a rubric from its text. Raises RubricError listing every problem.
    With tests=False its `example` and `property` blocks are skipped: enough to score by."""
    rubric, diagnostics = _build(text, path, tests=tests)
    if rubric is None:
        raise RubricError(diagnostics)
    return rubric


@pinned
def load(path: str | Path, *, tests: bool = True) -> Rubric:
    """Load a rubric from a `.rule` file (UTF-8, with or without BOM). A file that is not
    UTF-8 (say GBK, as Windows editors often save) raises RubricError (PF006). Its syntax
    tree is kept in the user's cache directory, so loading the file again skips the parser.
    With tests=False its `example` and `property` blocks are skipped: enough to score by."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        at = Span(error.start, error.start + 1, 0, 0, 0, 0)
        raise RubricError(
            [Diagnostic("PF006", at, {"byte": error.start}, hint="save_utf8", source=Source(str(path), ""))]
        ) from None
    rubric, diagnostics = _build(text, str(path), Path(path), tests=tests)
    if rubric is None:
        raise RubricError(diagnostics)
    return rubric


def loads_unsound(text: str, path: str = "<string>") -> tuple[Rubric, list[Diagnostic]]:
    """Load a rubric even if the soundness checks (PF4xx) find errors in it, as `pingfen fuzz`
    does to show what those errors do to real records; returns it with every diagnostic.
    Raises RubricError when there is any other error (syntax, names, types, examples)."""
    from pingfen.syntax import parse

    source = Source(path, text)
    module, diagnostics = parse(text)
    if module is None or any(d.severity == "error" for d in diagnostics):
        raise RubricError([d.with_source(source) for d in diagnostics])
    checked = check(module)
    found = [d.with_source(source) for d in [*diagnostics, *checked.diagnostics]]
    if any(d.severity == "error" and not d.code.startswith("PF4") for d in found):
        raise RubricError(found)
    return Rubric(module, checked, source), found


def _build(
    text: str, path: str, file: Path | None = None, executable: bool = True, tests: bool = True
) -> tuple[Rubric | None, list[Diagnostic]]:
    """Parse, check and (when `executable`) compile; the rubric is None when there are errors."""
    # One line ending, as the parser counts lines: "\r\n" and a lone "\r" become "\n".
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    source = Source(path, text)  # diagnostics show the file as written, tests included
    if not tests:
        from pingfen.scan import without_tests

        text = without_tests(text)
    if file is not None:
        module, diagnostics = cache.parsed(file, text, "scoring" if not tests else "")
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

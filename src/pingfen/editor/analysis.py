"""One rule file as an editor sees it: its diagnostics (from the loader, as `pingfen check`
finds them, `extends` resolved beside the file), its syntax tree and names, and the
values the checker found each `let` can take."""

from __future__ import annotations

from pathlib import Path

from attrs import frozen

from pingfen import ast
from pingfen.check.passes import check
from pingfen.check.soundness import let_ranges
from pingfen.diagnostics import Diagnostic
from pingfen.editor.index import Index, build, normalized
from pingfen.errors import RubricError
from pingfen.loader import diagnose, read_rule
from pingfen.syntax.parser import parse


@frozen
class Analysis:
    text: str  # as the loader reads it: spans index this text
    path: str
    bom: bool  # the editor's text begins with a BOM, which the loader dropped: line 0's places count it
    diagnostics: tuple[Diagnostic, ...]
    module: ast.Module | None
    index: Index | None
    let_ranges: dict[str, str]

    def extends(self) -> ast.Extends | None:
        if self.module is None:
            return None
        return next((i for i in self.module.items if isinstance(i, ast.Extends)), None)


def analyse(text: str, path: str) -> Analysis:
    bom = text.startswith("\ufeff")
    text = normalized(text)
    diagnostics = tuple(diagnose(text, path))
    module, _syntax = parse(text)
    if module is None:
        return Analysis(text, path, bom, diagnostics, None, None, {})
    ranges: dict[str, str] = {}
    if not module.changes:  # a file that extends another is checked only as merged, by diagnose
        checked = check(module)
        if not any(d.severity == "error" and d.code < "PF400" for d in checked.diagnostics):
            ranges = let_ranges(module, checked.units, checked.let_order)  # as soundness reads them
    return Analysis(text, path, bom, diagnostics, module, build(module), ranges)


def base_file(analysis: Analysis) -> tuple[str, str, Index] | None:
    """The file this one extends (its path, its text and its names), for a definition found there."""
    extends = analysis.extends()
    if extends is None:
        return None
    where = Path(analysis.path).parent / extends.path
    try:
        text = normalized(read_rule(where))
    except (OSError, RubricError):  # missing or not UTF-8: diagnose has said so, at the `extends`
        return None
    module, _found = parse(text)
    return (str(where), text, build(module)) if module is not None else None

"""One rule file as an editor sees it: its diagnostics (from the loader, as `pingfen check`
finds them, `extends` resolved beside the file), its syntax tree and names, and the
values the checker found each `let` can take."""

from __future__ import annotations

import functools
from pathlib import Path

from attrs import frozen

from pingfen import ast
from pingfen.check.passes import check
from pingfen.check.soundness import let_ranges
from pingfen.diagnostics import Diagnostic
from pingfen.editor.index import Index, Kind, build, normalized
from pingfen.errors import RubricError
from pingfen.loader import diagnose, read_regular_rule
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
    return Analysis(text, path, bom, diagnostics, module, build(module), _let_ranges(module))


def _let_ranges(module: ast.Module) -> dict[str, str]:
    if module.changes:  # a file that extends another is checked only as merged, by diagnose
        return {}
    checked = check(module)
    if any(d.severity == "error" and d.code < "PF400" for d in checked.diagnostics):
        return {}
    return let_ranges(module, checked.units, checked.let_order)  # as soundness reads them


@frozen
class Base:
    """A file a document extends (directly or through another base), as hover, completion,
    definition and rename read its names."""

    path: str
    text: str  # as the loader reads it: spans index this text
    module: ast.Module
    index: Index
    let_ranges: dict[str, str]


DEPTH = 8  # as the loader follows `extends` (PF122)


def bases(analysis: Analysis) -> list[Base]:
    """The files this one extends, the nearest first; a base that cannot be read or parsed
    ends the chain (diagnose has said why, at the `extends`), and so does a cycle."""
    found: list[Base] = []
    extends, folder = analysis.extends(), Path(analysis.path).parent
    seen = {str(Path(analysis.path).resolve())}
    while extends is not None and len(found) < DEPTH:
        where = folder / extends.path
        try:
            text = normalized(read_regular_rule(where))  # never a FIFO's wait for ever (diagnose says PF120)
            key = str(where.resolve())
        except (OSError, ValueError, RubricError):  # missing, no regular file, not UTF-8, a name no path can have
            break
        if key in seen:
            break
        seen.add(key)
        base = _base(str(where), text)
        if base is None:
            break
        found.append(base)
        extends = next((i for i in base.module.items if isinstance(i, ast.Extends)), None)
        folder = where.parent
    return found


@functools.lru_cache(maxsize=16)
def _base(path: str, text: str) -> Base | None:
    """A base file's names, worked out once for each text (hover and completion ask often)."""
    module, _found = parse(text)
    return Base(path, text, module, build(module), _let_ranges(module)) if module is not None else None


# The kinds a name of a base file is looked for in, in the order a definition picks one.
BASE_KINDS: tuple[Kind, ...] = ("input", "let", "group", "indicator", "label", "grade")


def in_bases(found: list[Base], text: str) -> tuple[Base, Kind] | None:
    """The nearest base file that declares a name, and what it declares it as."""
    for base in found:
        for kind in BASE_KINDS:
            if (kind, text) in base.index.declarations:
                return base, kind
    return None

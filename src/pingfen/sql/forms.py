"""The forms of the language `pingfen sql` does not translate, found before any SQL is
written: a rubric that uses one is refused (PF807) naming it, never given a query that
scores differently. Only `pending` rows are left: evaluate() scores no record by them
either (PF542). The compiler branches on every expression kind as well, so a new kind
is named by mypy there; the forms it translates beyond the first are in sql/newforms.py."""

from __future__ import annotations

from collections.abc import Iterator

from pingfen import ast
from pingfen.sql.exact import SqlRefusal


def refuse_untranslated(module: ast.Module) -> None:
    """Raise SqlRefusal (PF807) for the first form the SQL compiler does not translate."""
    form = next(_untranslated(module), None)
    if form is not None:
        raise SqlRefusal("PF807", {"form": form})


def _untranslated(module: ast.Module) -> Iterator[str]:
    rows = [o.row for o in module.outside]
    rows += [node for node, _depth in ast.walk_nodes(module.top) if isinstance(node, ast.Indicator)]
    for row in rows:
        if row.pending is not None:  # 由各省自行制定: no criteria to score by
            yield f"{row.name.text}: pending"

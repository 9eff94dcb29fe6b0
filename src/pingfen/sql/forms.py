"""The forms of the language `pingfen sql` does not translate yet, found before any SQL is
written: a rubric that uses one is refused (PF807) naming it, never given a query that
scores differently. The compiler branches on every expression kind as well, so a new kind
is named by mypy there; issue 10's forms it translates are in sql/newforms.py."""

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
    for decl in module.inputs:
        if decl.is_list:
            yield f"input {decl.name.text}: list of …"
    roots: list[ast.Expr] = [let.expr for let in module.lets]
    roots += [v.condition for v in module.vetoes]
    header = module.header
    roots += [g.condition for g in header.grades if g.condition is not None] if header is not None else []
    rows = [o.row for o in module.outside]
    for node, _depth in ast.walk_nodes(module.top):
        if node.applies is not None and node.applies.condition is not None:
            roots.append(node.applies.condition)
        if isinstance(node, ast.Indicator):
            rows.append(node)
    for row in rows:
        if row.pending is not None:
            yield f"{row.name.text}: pending"
        for rule in row.rules:
            roots.extend(rule.expressions())
    for e in ast.walk_expressions(*roots):
        if isinstance(e, ast.Call) and e.func in ast.AGGREGATES:
            yield f"{e.func}(…)"

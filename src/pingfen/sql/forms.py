"""The forms of the language `pingfen sql` does not translate yet, found before any SQL is
written: a rubric that uses one is refused (PF807) naming it, never given a query that
scores differently. The compiler branches on every expression kind as well, so a new kind
is named by mypy there."""

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
    names = {i.name.text for i in module.inputs} | {let.name.text for let in module.lets}
    for decl in module.inputs:
        if decl.batch is not None:
            yield f"let {decl.name.text} = batch {decl.batch.func}(…)"
        if decl.is_list:
            yield f"input {decl.name.text}: list of …"
        if decl.type == "date":
            yield f"input {decl.name.text}: date"
        if decl.precision is not None:
            yield f"input {decl.name.text}: … precision {decl.precision.text}"
    header = module.header
    if header is not None and header.cap is not None:
        yield f"cap total {header.cap.text}"
    if header is not None and any(g.condition is not None for g in header.grades):
        yield "grade … if COND"
    for row in module.outside:
        yield f"{row.kind} {row.row.name.text}"
    for veto in module.vetoes:
        yield f"veto {veto.name.text}"
    roots: list[ast.Expr] = [let.expr for let in module.lets]
    for node, _depth in ast.walk_nodes(module.top):
        if node.applies is not None:
            yield f"{node.name.text}: applies … else {node.applies.mode}"
            if node.applies.condition is not None:
                roots.append(node.applies.condition)
        if node.round_places is not None:  # on an indicator's score or a group's
            yield f"{node.name.text}: round {node.round_places.text}"
        if isinstance(node, ast.Indicator):
            if node.pending is not None:
                yield f"{node.name.text}: pending"
            for rule in node.rules:
                if rule.switch() is not None:
                    yield f"{node.name.text}: … if COND"
                roots.extend(rule.expressions())
    for e in ast.walk_expressions(*roots):
        if isinstance(e, ast.IfElse):
            yield "if … then … else …"
        elif isinstance(e, ast.Round):
            yield "round(…)"
        elif isinstance(e, ast.Call) and (e.func in ast.AGGREGATES or e.func in ast.DURATIONS):
            yield f"{e.func}(…)"
        elif isinstance(e, ast.Ref) and e.name.text not in names:  # `类型 = 大型会议`: a label named bare
            yield f"… = {e.name.text}"

"""The names of one rule file: where each is declared, where it is used, which is under a cursor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import attrs
from attrs import frozen

from pingfen import ast
from pingfen.diagnostics import Span

Kind = Literal["input", "let", "group", "indicator", "label", "grade", "example"]


@frozen
class Occurrence:
    """A name as written in the file: what it names, and whether this is its declaration."""

    text: str
    kind: Kind | None  # None: a name the file uses but does not declare (a typo, or from a base file)
    span: Span
    declaration: bool


def normalized(text: str) -> str:
    """The text as the loader reads it, so spans index it: no BOM, one line ending."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _declared(module: ast.Module) -> Iterator[tuple[ast.Name, Kind]]:
    for item in module.items:
        if isinstance(item, ast.Input):
            yield item.name, "input"
            for label in item.labels:
                yield label, "label"
        elif isinstance(item, ast.Let):
            yield item.name, "let"
        elif isinstance(item, ast.Header):
            for grade in item.grades:
                yield grade.name, "grade"
    for change in module.items:
        if isinstance(change, ast.AddTo):
            for node, _depth in ast.walk_nodes(change.children):
                yield node.name, "group" if isinstance(node, ast.Group) else "indicator"
    for node, _depth in ast.walk_nodes(module.rows):
        yield node.name, "group" if isinstance(node, ast.Group) else "indicator"


def _names(root: object) -> Iterator[tuple[ast.Name, object]]:
    """Every Name inside an attrs tree, with the node holding it (through tuples of them);
    iterative, as deep expressions cost no recursion."""
    stack: list[tuple[object, object]] = [(root, root)]
    while stack:
        node, owner = stack.pop()
        if isinstance(node, tuple):
            items: list[object] = list(node)
        elif attrs.has(type(node)):
            owner = node
            items = [getattr(node, f.name) for f in attrs.fields(type(node))]  # type: ignore[arg-type]  # attrs.has() said it is an attrs class
        else:
            continue
        for item in reversed(items):
            if isinstance(item, ast.Name):
                yield item, owner
            else:
                stack.append((item, owner))


@frozen
class Index:
    """Every name of a module: its declarations by kind and text, and every occurrence."""

    declarations: dict[tuple[Kind, str], Span]
    occurrences: tuple[Occurrence, ...]

    def at(self, offset: int) -> Occurrence | None:
        """The name whose span holds offset (its end included, where a cursor stops after typing)."""
        for o in self.occurrences:
            if o.span.file == 0 and o.span.start <= offset <= o.span.end:
                return o
        return None

    def definition(self, o: Occurrence) -> Span | None:
        return self.declarations.get((o.kind, o.text)) if o.kind is not None else None

    def references(self, o: Occurrence, *, declaration: bool = True) -> list[Span]:
        """Every place the name of o, with its meaning, is written."""
        return [
            p.span for p in self.occurrences
            if p.kind == o.kind and p.text == o.text and (declaration or not p.declaration)
        ]  # fmt: skip

    def names(self, kind: Kind) -> list[str]:
        return [text for k, text in self.declarations if k == kind]


def build(module: ast.Module) -> Index:
    declarations: dict[tuple[Kind, str], Span] = {}
    decl_spans: set[tuple[int, int]] = set()
    for name, kind in _declared(module):
        declarations.setdefault((kind, name.text), name.span)
        decl_spans.add((name.span.start, name.span.end))
    nodes: dict[str, Kind] = {text: kind for kind, text in declarations if kind in ("group", "indicator")}
    labels = {text for kind, text in declarations if kind == "label"}
    grades = {text for kind, text in declarations if kind == "grade"}
    found: list[Occurrence] = []
    for item in module.items:
        for name, holder in _names(item):
            declaration = (name.span.start, name.span.end) in decl_spans
            meaning = _kind(name, holder, nodes, labels, grades, declarations)
            found.append(Occurrence(name.text, meaning, name.span, declaration))
    return Index(declarations, tuple(sorted(found, key=lambda o: o.span.start)))


def _kind(
    name: ast.Name, holder: object, nodes: dict[str, Kind], labels: set[str], grades: set[str],
    declarations: dict[tuple[Kind, str], Span],
) -> Kind | None:  # fmt: skip
    """What a name means where it is written: its place in the tree first, then its text."""
    text = name.text
    if isinstance(holder, ast.Input) and name is not holder.name:
        return "label"
    if isinstance(holder, ast.MatchArm):
        return "label" if text in labels else None
    if isinstance(holder, (ast.Grade, ast.ExpectGrade)):
        return "grade" if text in grades or isinstance(holder, ast.Grade) else None
    if isinstance(holder, ast.Veto):  # its own name is referred to by no other; `below 良好` names a grade
        return "grade" if name is holder.grade and text in grades else None
    if isinstance(holder, ast.Monotone) and name is holder.target:
        return nodes.get(text)
    if isinstance(holder, ast.Remove) and not holder.input:
        return nodes.get(text)
    if isinstance(holder, (ast.Group, ast.Indicator, ast.ExpectScore, ast.Claim, ast.AddTo, ast.SetMax)):
        return nodes.get(text)
    if ("input", text) in declarations:
        return "input"
    if ("let", text) in declarations:
        return "let"
    if isinstance(holder, ast.Ref):
        return None  # a value the file does not declare (PF102): no node either
    return nodes.get(text)

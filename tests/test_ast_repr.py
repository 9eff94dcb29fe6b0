"""The syntax tree's classes share one `__repr__` instead of attrs compiling one per class
(start-up, issue 11): each node still shows exactly what attrs' own repr would. Checked
against a twin class attrs makes with the same fields, for every node of every rule file here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from pingfen import ast
from pingfen.syntax.parser import parse

ROOT = Path(__file__).resolve().parents[1]


def _nodes(value: object) -> list[Any]:
    found: list[Any] = []
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, tuple):
            stack.extend(v)
        elif attrs.has(type(v)):
            found.append(v)
            stack.extend(getattr(v, f.name) for f in attrs.fields(type(v)))
    return found


def _attrs_repr(node: Any) -> str:
    """What attrs' generated repr writes for this node: a twin class with attrs' own `__repr__`."""
    cls = type(node)
    fields = attrs.fields(cls)
    twin = attrs.make_class(cls.__name__, {f.name: attrs.field(repr=f.repr) for f in fields}, frozen=True)
    return repr(twin(*(getattr(node, f.name) for f in fields)))


def test_every_node_of_every_rule_file_shows_as_attrs_shows_it() -> None:
    files = sorted(p for p in ROOT.glob("*/**/*.rule") if ".cache" not in p.parts)
    assert len(files) > 100
    seen: set[type] = set()
    for path in files:
        module, _diagnostics = parse(path.read_text(encoding="utf-8"))
        for node in _nodes(module):
            seen.add(type(node))
            if type(node).__module__ == ast.__name__:
                assert repr(node) == _attrs_repr(node), path
    classes = {c for c in vars(ast).values() if isinstance(c, type) and attrs.has(c) and c.__module__ == ast.__name__}
    assert len(classes & seen) >= 45  # nearly all the tree's 51 classes met in the files


def test_every_class_of_the_tree_has_a_repr_of_its_fields() -> None:
    classes = {c for c in vars(ast).values() if isinstance(c, type) and attrs.has(c) and c.__module__ == ast.__name__}
    assert len(classes) == 51
    for cls in classes:
        assert cls.__repr__ is not object.__repr__, cls
    # One function for all: attrs compiled none of them (a third of building the classes).
    assert len({cls.__repr__ for cls in classes}) == 1
    name = ast.Name("甲")
    assert repr(ast.Ref(name)) == "Ref(name=Name(text='甲'))"  # the span is never shown
    assert repr(ast.Module((), comments=(ast.Comment("x"),))) == "Module(items=())"

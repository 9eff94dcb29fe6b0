"""What a file that `extends` another changes of its base, item by item, for `pingfen diff`.

A loaded rubric is the merged module: the base with the changes applied. The changes
themselves are read again from the extending file's own text (the first of the rubric's
sources), and each is told apart against the names its base files declare: a row written
with a base row's name replaces it, with a new name adds one; `remove`, `add to` and `max`
say what they do. The order is the file's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, assert_never, get_args

from attrs import frozen

from pingfen import ast
from pingfen.evaluate.rubric import Rubric
from pingfen.syntax.formatter import number
from pingfen.syntax.parser import parse

OverrideKind = Literal[
    "header_set", "row_replaced", "row_added", "row_removed", "rows_added_to", "max_set",
    "input_replaced", "input_added", "input_removed", "veto_replaced", "veto_added", "veto_removed",
]  # fmt: skip
OVERRIDE_KINDS: tuple[OverrideKind, ...] = get_args(OverrideKind)


@frozen
class Override:
    """One change the extending file makes: its kind, the row, input or group it names (None
    for the header), the base's and the file's values where a value changes, and its line."""

    kind: OverrideKind
    name: str | None
    old: str | None = None
    new: str | None = None
    line: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "node": self.name, "old": self.old, "new": self.new, "line": self.line}


@frozen
class Extension:
    """A file that extends `base` (its path as the file writes it), and its overrides."""

    path: str
    base: str
    overrides: tuple[Override, ...]

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "base": self.base, "overrides": [o.to_dict() for o in self.overrides]}


def extension(rubric: Rubric) -> Extension | None:
    """The overrides of a rubric loaded from a file that extends another; None for one that
    extends none."""
    if len(rubric.sources) < 2:
        return None
    own, _ = parse(rubric.sources[0].text)
    if own is None:  # pragma: no cover - the file was loaded, so it parses
        return None
    rows: dict[str, ast.Node] = {}
    outside: dict[str, ast.Node] = {}  # the base's rows after the tree (bonus, penalty, adjust)
    vetoes: set[str] = set()
    declared: set[str] = set()
    for source in rubric.sources[1:]:
        base, _ = parse(source.text)
        if base is None:  # pragma: no cover - as above
            continue
        for item in base.items:
            if isinstance(item, (ast.Input, ast.Let)):
                declared.add(item.name.text)
            elif isinstance(item, ast.Outside):
                outside.setdefault(item.row.name.text, item.row)
            elif isinstance(item, ast.Veto):
                vetoes.add(item.name.text)
            nodes: tuple[ast.Node, ...] = ()
            if isinstance(item, ast.AddTo):
                nodes = item.children
            elif isinstance(item, (ast.Group, ast.Indicator)):
                nodes = (item,)
            for node, _ in ast.walk_nodes(nodes):
                rows.setdefault(node.name.text, node)
    extends = next(i for i in own.items if isinstance(i, ast.Extends))
    return Extension(rubric.sources[0].path, extends.path, tuple(_overrides(own, rows, outside, vetoes, declared)))


def _overrides(
    own: ast.Module, rows: dict[str, ast.Node], outside: dict[str, ast.Node], vetoes: set[str], declared: set[str]
) -> Iterator[Override]:
    for item in own.items:
        line = item.span.line
        match item:
            case ast.Header():
                settings = [f"year {number(item.year)}" if item.year else "", f"total {number(item.total)}" if item.total else "",
                            f"round total {number(item.round_places)} {item.round_mode}" if item.round_places else "",
                            f"cap total {number(item.cap)}" if item.cap else "",
                            f"{len(item.grades)} grades" if item.grades else ""]  # fmt: skip
                yield Override("header_set", None, None, "; ".join(s for s in [f'"{item.title}"', *settings] if s), line)
            case ast.Input() | ast.Let():
                kind: OverrideKind = "input_replaced" if item.name.text in declared else "input_added"
                yield Override(kind, item.name.text, line=line)
            case ast.Group() | ast.Indicator():
                base = rows.get(item.name.text)
                if base is None:
                    yield Override("row_added", item.name.text, None, number(item.max), line)
                else:
                    yield Override("row_replaced", item.name.text, number(base.max), number(item.max), line)
            case ast.Remove(input=True):
                yield Override("input_removed", item.name.text, line=line)
            case ast.Remove():
                base = rows.get(item.name.text) or outside.get(item.name.text)
                if base is None and item.name.text in vetoes:  # `remove` takes a veto too (merge)
                    yield Override("veto_removed", item.name.text, line=line)
                else:
                    yield Override("row_removed", item.name.text, number(base.max) if base else None, None, line)
            case ast.AddTo():
                added = ", ".join(child.name.text for child in item.children)
                yield Override("rows_added_to", item.group.text, None, added, line)
            case ast.SetMax():
                base = rows.get(item.name.text)
                yield Override("max_set", item.name.text, number(base.max) if base else None, number(item.max), line)
            case ast.Outside():
                base_row = outside.get(item.row.name.text)  # it replaces the base's row after the tree
                if base_row is None:
                    yield Override("row_added", item.row.name.text, None, number(item.row.max), line)
                else:
                    yield Override("row_replaced", item.row.name.text, number(base_row.max), number(item.row.max), line)
            case ast.Veto():  # a veto, not a row: it replaces the base's of its name, else is added
                yield Override("veto_replaced" if item.name.text in vetoes else "veto_added", item.name.text, line=line)
            case ast.Extends() | ast.Example() | ast.Monotone() | ast.Claim():
                pass  # the base named, and the file's own tests: not changes to the base
            case _:
                assert_never(item)


"""`extends`: a base module and the changes of the file that extends it → one Module.

Pure: modules in, a module and diagnostics out; the loader reads the files. The rules
(docs/language.md §18), applied in the order the extending file writes them:
- `rubric { … }` replaces the base's title; each setting it writes (year, total, round)
  replaces the base's; grades written replace the base's whole ladder.
- `input`/`let` with a base name replaces that declaration in place; a new one is added
  after the base's declarations.
- `group`/`indicator` with the name of a base row (at any depth) replaces it in place; a
  new one is added at the end of the tree.
- `remove NAME` drops a row, `remove input NAME` an input or `let`; `add to GROUP { … }`
  appends rows to a group; `max NAME N` changes a row's max.
- The base's examples and properties are not inherited: they state the base's scores.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, assert_never, cast

import attrs

from pingfen import ast
from pingfen.diagnostics import Diagnostic, Span

MAX_EXTENDS = 8  # files in a chain of `extends` beyond the first: a real round needs two or three

_T = TypeVar("_T")


def in_file(value: _T, file: int) -> _T:
    """value (a module or any part of one) with every span marked as in file number `file`
    of the load. Recursion is bounded by the parser's MAX_DEPTH."""
    return cast("_T", _marked(value, file))


def _marked(value: object, file: int) -> object:
    return ast.rebuild(value, lambda v: attrs.evolve(v, file=file) if isinstance(v, Span) else None)


def misplaced(module: ast.Module) -> list[Diagnostic]:
    """PF123 for an `extends` that is not the file's first item or not its only one; PF126
    for each change in a file that extends nothing; PF109 for a second `rubric` header in a
    file that extends another (each would replace the base's settings in turn, the last
    silently winning)."""
    found = []
    for index, item in enumerate(module.items):
        if isinstance(item, ast.Extends) and index > 0:
            found.append(Diagnostic("PF123", item.span, {}, hint="extends_first"))
    if any(isinstance(i, ast.Extends) for i in module.items):
        found += [Diagnostic("PF109", extra.span, {}, hint="one_header") for extra in module.headers[1:]]
    if not any(isinstance(i, ast.Extends) for i in module.items):
        for item in module.changes:
            word = {ast.Remove: "remove", ast.AddTo: "add to", ast.SetMax: "max"}.get(type(item), "")
            found.append(Diagnostic("PF126", item.span, {"word": word}, hint="add_extends"))
    return found


_Change = Callable[[ast.Node], tuple[ast.Node, ...]]


def merge(base: ast.Module, changes: ast.Module) -> tuple[ast.Module, list[Diagnostic]]:
    """The base with the extending file's items applied, as one module; PF124/PF125 for a
    change that names nothing of the base, or a row that is no group."""
    items: list[ast.Item] = [i for i in base.items if not isinstance(i, (ast.Example, ast.Monotone, ast.Claim))]
    out: list[Diagnostic] = []

    def edit(name: ast.Name, change: _Change) -> bool:
        nonlocal items
        items, found = _edit_items(items, name.text, change)
        return found

    written: dict[tuple[str, str], ast.Name] = {}  # what this file wrote, by kind and name: written twice is PF101/PF103
    removed: dict[tuple[bool, str], ast.Name] = {}  # what its `remove`s took out, by (input?, name)
    # PF124s, each with the names its kind had there: one is suggested only if it is still there
    # once every change is made (a name the file removes later is no fix)
    pending: list[tuple[int, ast.Name, str, list[str]]] = []

    def missing(name: ast.Name, kind: str) -> None:
        gone = removed.get((kind == "input", name.text))
        if gone is not None:  # removed already by this file: said so, not answered with another name
            args = _kind_args(name, kind) | {"line": gone.span.line}
            out.append(Diagnostic("PF124", name.span, args, hint="removed_before"))
            return
        many = sum(d.code == "PF124" for d in out) >= _SUGGESTED
        pending.append((len(out), name, kind, [] if many else _names(items, kind)))
        out.append(_missing(name, kind, []))

    def again(kind: str, name: ast.Name, code: str) -> None:
        first = written.setdefault((kind, name.text), name)
        if first is not name:
            args = {"name": name.text, "line": first.span.line}
            out.append(Diagnostic(code, name.span, args, hint="first_defined"))

    for item in changes.items:
        match item:
            case ast.Input() | ast.Let():
                again("declaration", item.name, "PF103")
            case ast.Group() | ast.Indicator():
                again("row", item.name, "PF101")
            case ast.Outside():
                again("row", item.row.name, "PF101")
            case ast.Veto():
                again("veto", item.name, "PF101")
            case _:
                pass
        match item:
            case ast.Extends():
                pass  # resolved by the loader
            case ast.Header():
                items = _header(items, item)
            case ast.Input() | ast.Let():
                items = _declare(items, item)
            case ast.Group() | ast.Indicator():
                if not edit(item.name, _to(item)):
                    items.append(item)  # a new row at the end of the tree
            case ast.Remove(input=True):
                kept = [i for i in items if not (isinstance(i, (ast.Input, ast.Let)) and i.name.text == item.name.text)]
                if len(kept) == len(items):
                    missing(item.name, "input")
                else:
                    removed[True, item.name.text] = item.name
                items = kept
            case ast.Remove():
                found = edit(item.name, _to(None))
                if not found:
                    kept = [i for i in items if _after_tree(i) != item.name.text]
                    found = len(kept) < len(items)
                    items = kept
                if found:
                    removed[False, item.name.text] = item.name
                else:
                    missing(item.name, "removable")
            case ast.AddTo():
                if not edit(item.group, _adding(item, out)):
                    missing(item.group, "group")
            case ast.SetMax():
                if not edit(item.name, _with_max(item.max)):
                    missing(item.name, "row")
            case ast.Outside() | ast.Veto():  # the base's of that name replaced in place, else added
                at = next((i for i, old in enumerate(items) if _after_tree(old) == _after_tree(item)
                           and type(old) is type(item)), None)  # fmt: skip
                if at is None:
                    items.append(item)
                else:
                    items[at] = item
            case ast.Example() | ast.Monotone() | ast.Claim():
                items.append(item)
            case _:
                assert_never(item)
    final: dict[str, set[str]] = {}
    for at, name, kind, there in pending:
        if kind not in final:
            final[kind] = set(_names(items, kind))
        out[at] = _missing(name, kind, [n for n in there if n in final[kind]])
    return ast.Module(tuple(items), changes.span), out


def _after_tree(item: ast.Item) -> str | None:
    """The name of a bonus, penalty or adjust row, or of a veto; None for any other item."""
    if isinstance(item, ast.Outside):
        return item.row.name.text
    return item.name.text if isinstance(item, ast.Veto) else None


_SUGGESTED = 50  # as check/suggest.py: a misspelt name's suggestion for the first 50 only


def _kind_args(name: ast.Name, kind: str) -> dict[str, object]:
    kinds = {"input": "input or value", "row": "group or indicator", "group": "group",
             "removable": "group, indicator, bonus or penalty row, or veto"}
    kinds_zh = {"input": "输入项或计算值", "row": "分组或指标", "group": "分组",
                "removable": "分组、指标、加分或扣分项、一票否决项"}
    return {"name": name.text, "kind": kinds[kind], "kind_zh": kinds_zh[kind]}


def _missing(name: ast.Name, kind: str, names: list[str]) -> Diagnostic:
    """PF124 for a change naming nothing of `kind`. A misspelt name is the likeliest cause: the
    closest of `names` is named, as PF102 does (and the language server offers it as a fix)."""
    args = _kind_args(name, kind)
    if names:
        import difflib  # only for a change that names nothing of the base

        found = difflib.get_close_matches(name.text, names, n=1, cutoff=0.5)
        if found:
            return Diagnostic("PF124", name.span, args | {"suggestion": found[0]}, hint="did_you_mean")
    return Diagnostic("PF124", name.span, args, hint="base_names")


def _names(items: list[ast.Item], kind: str) -> list[str]:
    """The names of the merged items a change of `kind` may name."""
    if kind == "input":
        return [i.name.text for i in items if isinstance(i, (ast.Input, ast.Let))]
    rows = tuple(i for i in items if isinstance(i, (ast.Group, ast.Indicator)))
    nodes = [n.name.text for n, _ in ast.walk_nodes(rows) if kind != "group" or isinstance(n, ast.Group)]
    after = [n for n in map(_after_tree, items) if n is not None] if kind == "removable" else []
    return nodes + after


def _to(new: ast.Node | None) -> _Change:
    """A row replaced by `new`, or removed (None)."""
    return lambda _old: () if new is None else (new,)


def _with_max(new: ast.Number) -> _Change:
    return lambda old: (attrs.evolve(old, max=new),)


def _adding(add: ast.AddTo, out: list[Diagnostic]) -> _Change:
    """Rows added at the end of a group; PF125 when the row named is an indicator."""

    def change(old: ast.Node) -> tuple[ast.Node, ...]:
        if isinstance(old, ast.Indicator):
            out.append(Diagnostic("PF125", add.group.span, {"name": add.group.text}, hint="add_to_group"))
            return (old,)
        return (attrs.evolve(old, children=(*old.children, *add.children)),)

    return change


def _edit_items(items: list[ast.Item], name: str, change: _Change) -> tuple[list[ast.Item], bool]:
    """items with the first row named `name` (at any depth) replaced by what `change` makes of it."""
    out: list[ast.Item] = []
    found = False
    for item in items:
        if not found and isinstance(item, (ast.Group, ast.Indicator)):
            nodes, found = _edit_nodes((item,), name, change)
            out.extend(nodes)
        else:
            out.append(item)
    return out, found


def _edit_nodes(nodes: tuple[ast.Node, ...], name: str, change: _Change) -> tuple[tuple[ast.Node, ...], bool]:
    out: list[ast.Node] = []
    found = False
    for node in nodes:
        if found:
            out.append(node)
        elif node.name.text == name:
            out.extend(change(node))
            found = True
        elif isinstance(node, ast.Group):
            children, found = _edit_nodes(node.children, name, change)
            out.append(attrs.evolve(node, children=children) if found else node)
        else:
            out.append(node)
    return tuple(out), found


def _header(items: list[ast.Item], new: ast.Header) -> list[ast.Item]:
    """The base's header with the settings the extending file writes."""
    for index, old in enumerate(items):
        if isinstance(old, ast.Header):
            rounds = new.round_places is not None
            merged = ast.Header(
                new.title,
                new.year or old.year,
                new.total or old.total,
                new.round_places if rounds else old.round_places,
                new.round_mode if rounds else old.round_mode,
                new.grades or old.grades,
                new.span,
                new.cap or old.cap,  # 加分后总分不超过: it was dropped, and bonus rows took the total past it
            )
            return [*items[:index], merged, *items[index + 1 :]]
    return [new, *items]


def _declare(items: list[ast.Item], new: ast.Input | ast.Let) -> list[ast.Item]:
    """An input or `let` replacing the base's of its name in place, else after the last one."""
    last = 0
    for index, old in enumerate(items):
        if isinstance(old, (ast.Input, ast.Let)):
            if old.name.text == new.name.text:
                return [*items[:index], new, *items[index + 1 :]]
            last = index + 1
        elif isinstance(old, ast.Header) and last == 0:
            last = index + 1
    return [*items[:last], new, *items[last:]]

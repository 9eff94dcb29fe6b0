"""A semantic diff of two rubrics: what changed in what they score, not in their text.

Rows (groups and indicators) are matched by name; a removed row and an added one are then
paired as a rename when they have the same content (max and rules) or a close name in the
same place. Each matched row reports its rename, its move, its max, its `applies` and
rounding and, rule by rule, every parameter that changed. Inputs, `let` values (those across
a batch too), the 一票否决 lines and the header (total, cap, rounding, grades with their
conditions) are compared by name. Comments, layout, and `example`/`property` blocks are not
part of the meaning and are not compared; every other field of the tree is
(tests/test_diff_complete.py changes each one alone and sees it reported). Values are shown
as the rule file writes them, so a change reads the same in both languages.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Literal, TypeAlias, TypeVar, cast, get_args

import attrs
from attrs import frozen

from pingfen import ast
from pingfen.evaluate.rubric import Rubric
from pingfen.syntax.formatter import band_condition, expr, format_module, label, name, number, string

Kind = Literal[
    "header_changed", "grade_added", "grade_removed", "grade_changed",
    "input_added", "input_removed", "input_changed", "input_renamed", "let_added", "let_removed", "let_changed",
    "row_added", "row_removed", "row_renamed", "row_moved", "max_changed",
    "rule_added", "rule_removed", "rule_changed", "veto_added", "veto_removed", "veto_changed",
]  # fmt: skip
KINDS: tuple[Kind, ...] = get_args(Kind)

# Where in a row, input or header a change is: words of a fixed vocabulary (diffview words
# them in both languages) and 1-based positions, e.g. ("band", 2, "points").
Part: TypeAlias = tuple[str | int, ...]

# Names closer than this (difflib's ratio) may be one row renamed, when in the same place.
CLOSE = 0.6


@frozen
class Change:
    """One difference. `node` names the row, input, value or grade (its new name when it has
    one), None for the rubric's header; `old`/`new` are the texts, None where absent."""

    kind: Kind
    node: str | None
    part: Part = ()
    old: str | None = None
    new: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "node": self.node, "part": list(self.part), "old": self.old, "new": self.new}


@frozen
class RubricDiff:
    """Every change from `old` to `new`, in table order; `rows` maps each old row's name to
    its new name, for every row found in both (renamed or not)."""

    changes: tuple[Change, ...]
    rows: Mapping[str, str]

    @property
    def empty(self) -> bool:
        return not self.changes

    def to_dict(self) -> dict[str, object]:
        return {"changes": [c.to_dict() for c in self.changes]}


def diff(old: Rubric, new: Rubric) -> RubricDiff:
    """The semantic diff of two loaded rubrics."""
    return diff_modules(old.module, new.module)


def diff_modules(old: ast.Module, new: ast.Module) -> RubricDiff:
    """The semantic diff of two checked syntax trees."""
    before, after = _places(old.top), _places(new.top)
    renamed = _renamed_inputs(old, new, _match(before, after))
    if renamed:  # the rest is compared as if the old file had used the new names
        old = _with_names(old, renamed)
        before = _places(old.top)
    renames = [Change("input_renamed", n, (), o, n) for o, n in renamed.items()]
    changes = [*_header(old, new), *renames, *_inputs(old, new), *_lets(old, new)]
    pairs = _match(before, after)
    changes += _rows(before, after, pairs)
    changes += _outside(old, new)
    changes += _vetoes(old.vetoes, new.vetoes)
    return RubricDiff(tuple(changes), pairs)


def _outside_head(row: ast.Outside) -> str:
    """`bonus 创新 2`, `penalty 违规 10`, `adjust 加减分 -2 .. +2`."""
    ind = row.row
    if ind.low is None:
        return f"{row.kind} {name(ind.name)} {number(ind.max)}"
    high = number(ind.max)
    return f"{row.kind} {name(ind.name)} {number(ind.low)} .. {high if high[0] in '+-' else '+' + high}"


def _outside(old: ast.Module, new: ast.Module) -> Iterator[Change]:
    """The rows after the tree (加分项, 扣分项, 加减分项) by name: added, removed, their kind or
    range changed, and their rules as an indicator's."""
    before = {o.row.name.text: o for o in old.outside}
    after = {o.row.name.text: o for o in new.outside}
    for key, row in after.items():
        was = before.get(key)
        if was is None:
            yield Change("row_added", key, (), None, _outside_head(row))
            continue
        if _outside_head(was) != _outside_head(row):
            yield Change("max_changed", key, (), _outside_head(was), _outside_head(row))
        yield from _indicator(was.row, row.row)
    for key, row in before.items():
        if key not in after:
            yield Change("row_removed", key, (), _outside_head(row), None)


# ---------------------------------------------------------------- the header


def _header(old: ast.Module, new: ast.Module) -> Iterator[Change]:
    a, b = old.header, new.header
    assert a is not None and b is not None  # the checker guarantees a header
    if a.title != b.title:
        yield Change("header_changed", None, ("title",), string(a.title), string(b.title))
    year_a, year_b = (number(h.year) if h.year else None for h in (a, b))
    if year_a != year_b:
        yield Change("header_changed", None, ("year",), year_a, year_b)
    total_a, total_b = _total(old), _total(new)
    if total_a != total_b:
        yield Change("header_changed", None, ("total",), _plain(total_a), _plain(total_b))
    rounding_a, rounding_b = _rounding(a), _rounding(b)
    if rounding_a != rounding_b:
        yield Change("header_changed", None, ("rounding",), rounding_a, rounding_b)
    if _value(a.cap) != _value(b.cap):  # `cap total N`: the most the total reaches with bonus rows
        yield Change("header_changed", None, ("cap",), *(None if h.cap is None else number(h.cap) for h in (a, b)))
    yield from _grades(a.grades, b.grades)


def _total(module: ast.Module) -> Decimal:
    """The rubric's max: its `total`, else the sum of its top rows."""
    header = module.header
    assert header is not None
    return header.total.value if header.total else sum((n.max.value for n in module.top), Decimal(0))


def _rounding(header: ast.Header) -> str:
    places = number(header.round_places) if header.round_places else "2"  # the language's default
    return f"{places} {header.round_mode}"


def _grade_text(grade: ast.Grade) -> str:
    """`优秀 >= 90 if 满意度 >= 90%`, as the header writes it."""
    text = f"{name(grade.name)} otherwise" if grade.op is None or grade.threshold is None else (
        f"{name(grade.name)} {grade.op} {number(grade.threshold)}")  # fmt: skip
    return text if grade.condition is None else f"{text} if {expr(grade.condition)}"


def _grades(old: tuple[ast.Grade, ...], new: tuple[ast.Grade, ...]) -> Iterator[Change]:
    before = {g.name.text: g for g in old}
    after = {g.name.text: g for g in new}
    for g in new:
        was = before.get(g.name.text)
        if was is None:
            yield Change("grade_added", g.name.text, (), None, _grade_text(g))
            continue
        parts = (*(("threshold",) if (was.op, _value(was.threshold)) != (g.op, _value(g.threshold)) else ()),
                 *(("condition",) if not _same(was.condition, g.condition) else ()))  # fmt: skip
        if parts:
            yield Change("grade_changed", g.name.text, parts, _grade_text(was), _grade_text(g))
    for g in old:
        if g.name.text not in after:
            yield Change("grade_removed", g.name.text, (), _grade_text(g), None)
    kept_a = [g.name.text for g in old if g.name.text in after]
    kept_b = [g.name.text for g in new if g.name.text in before]
    if kept_a != kept_b:  # the first grade that holds wins: the order is part of the meaning
        yield Change("grade_changed", None, ("order",), ", ".join(kept_a), ", ".join(kept_b))


def _value(n: ast.Number | None) -> Decimal | None:
    return None if n is None else n.value


# ---------------------------------------------------------------- inputs and values


def _input_text(i: ast.Input) -> str:
    kind = i.type if i.type != "label" else "label { " + ", ".join(name(lb) for lb in i.labels) + " }"
    if i.is_list:
        kind = _kind(i) if i.type != "label" else f"list of {kind}"
    return f"input {name(i.name)}: {kind}" + (f" {_bounds(i)}" if i.bounds else "")


def _kind(i: ast.Input) -> str:
    """An input's type as declared: `score`, or a panel's `list of 5 score`."""
    if not i.is_list:
        return i.type
    return f"list of {number(i.size)} {i.type}" if i.size is not None else f"list of {i.type}"


def _declared(module: ast.Module) -> tuple[ast.Input, ...]:
    """The inputs a record gives: not the values across a batch, which are `let`s to the reader."""
    return tuple(i for i in module.inputs if i.batch is None)


def _bounds(i: ast.Input) -> str:
    return " and ".join(f"{b.op} {number(b.value)}" for b in i.bounds)


def _inputs(old: ast.Module, new: ast.Module) -> Iterator[Change]:
    before = {i.name.text: i for i in _declared(old)}
    after = {i.name.text: i for i in _declared(new)}
    for i in _declared(new):
        was = before.get(i.name.text)
        if was is None:
            yield Change("input_added", i.name.text, (), None, _input_text(i))
            continue
        if _kind(was) != _kind(i):
            yield Change("input_changed", i.name.text, ("type",), _kind(was), _kind(i))
        if [(b.op, b.value) for b in was.bounds] != [(b.op, b.value) for b in i.bounds]:
            yield Change("input_changed", i.name.text, ("bounds",), _bounds(was) or None, _bounds(i) or None)
        if was.labels != i.labels:
            shown = (", ".join(name(lb) for lb in x.labels) or None for x in (was, i))
            yield Change("input_changed", i.name.text, ("labels",), *shown)
        if _value(was.precision) != _value(i.precision):
            shown = (None if x.precision is None else number(x.precision) for x in (was, i))
            yield Change("input_changed", i.name.text, ("precision",), *shown)
        if was.description != i.description:
            described = (None if x.description is None else string(x.description) for x in (was, i))
            yield Change("input_changed", i.name.text, ("description",), *described)
    for i in _declared(old):
        if i.name.text not in after:
            yield Change("input_removed", i.name.text, (), _input_text(i), None)


def _renamed_inputs(old: ast.Module, new: ast.Module, pairs: Mapping[str, str]) -> dict[str, str]:
    """Old input name → new, for an input that went away while one came with the same type,
    bounds, labels and description, read at the same places (the same rules of the same
    rows, the same `let`s, rows' `applies`, grades' conditions and vetoes): one input renamed,
    not one removed and another added."""
    gone = [i for i in _declared(old) if i.name.text not in {j.name.text for j in new.inputs}]
    came = [j for j in _declared(new) if j.name.text not in {i.name.text for i in old.inputs}]
    used_before, used_after = _uses(old, pairs), _uses(new, {})
    found: dict[str, str] = {}
    for i in gone:
        alike = [j for j in came if j.name.text not in found.values() and _declared_alike(i, j)
                 and used_before.get(i.name.text) and used_before.get(i.name.text) == used_after.get(j.name.text)]  # fmt: skip
        if len(alike) == 1:
            found[i.name.text] = alike[0].name.text
    return found


def _declared_alike(a: ast.Input, b: ast.Input) -> bool:
    return (a.type, [(x.op, x.value.value, x.value.unit) for x in a.bounds], [x.text for x in a.labels], a.description) == (
        b.type, [(x.op, x.value.value, x.value.unit) for x in b.bounds], [x.text for x in b.labels], b.description)  # fmt: skip


def _uses(module: ast.Module, pairs: Mapping[str, str]) -> dict[str, frozenset[tuple[str, int]]]:
    """Each name read → where: (row, rule's place; 0 for its `applies`) with the row by its new
    name, ("let NAME", 0) (a value across a batch too), ("grade NAME", 0) or ("veto NAME", 0)."""
    found: dict[str, set[tuple[str, int]]] = {}
    header = module.header
    read_by = [
        *(("let " + let.name.text, let.expr) for let in module.lets),
        *(("let " + i.name.text, i.batch.expr) for i in module.inputs if i.batch is not None),
        *(("grade " + g.name.text, g.condition) for g in (header.grades if header else ()) if g.condition is not None),
        *(("veto " + v.name.text, v.condition) for v in module.vetoes),
    ]  # fmt: skip
    for node, _ in ast.walk_nodes(module.rows):
        if node.applies is not None and node.applies.condition is not None:
            read_by.append((pairs.get(node.name.text, node.name.text), node.applies.condition))
    for where, condition in read_by:
        for e in ast.walk_expressions(condition):
            if isinstance(e, ast.Ref):
                found.setdefault(e.name.text, set()).add((where, 0))
    for node, _ in ast.walk_nodes(module.rows):
        if not isinstance(node, ast.Indicator):
            continue
        row = pairs.get(node.name.text, node.name.text)
        for place, rule in enumerate(node.rules, 1):
            read = {e.name.text for e in ast.walk_expressions(*rule.expressions()) if isinstance(e, ast.Ref)}
            if isinstance(rule, ast.Judgment) and rule.input is not None:
                read.add(rule.input.text)
            for n in read:
                found.setdefault(n, set()).add((row, place))
    return {n: frozenset(places) for n, places in found.items()}


def _with_names(value: _T, names: Mapping[str, str]) -> _T:
    """`value` (a module or any part of one) with the inputs in `names` renamed: where they are
    declared, read, and judged into. Rows keep their names. Bounded by the parser's MAX_DEPTH."""
    return cast("_T", _renaming(value, names))


def _renaming(value: object, names: Mapping[str, str]) -> object:
    def new(n: ast.Name) -> ast.Name:
        return attrs.evolve(n, text=names[n.text]) if n.text in names else n

    def renamed(v: object) -> object | None:
        if isinstance(v, ast.Ref):
            return attrs.evolve(v, name=new(v.name))
        if isinstance(v, ast.Input):
            return attrs.evolve(v, name=new(v.name))
        if isinstance(v, ast.Judgment):
            return v if v.input is None else attrs.evolve(v, input=new(v.input))
        return None  # looked into: its parts may hold names

    return ast.rebuild(value, renamed)


# A `let`'s value: its expression, or, across a batch, the function and the expression it sums up.
_Value: TypeAlias = ast.Expr | ast.Batch


def _values(module: ast.Module) -> dict[str, _Value]:
    """Every `let` by name, in source order: `let 基准价 = batch min(报价)` too (kept as an input)."""
    found: dict[str, _Value] = {}
    for item in module.items:
        if isinstance(item, ast.Let):
            found[item.name.text] = item.expr
        elif isinstance(item, ast.Input) and item.batch is not None:
            found[item.name.text] = item.batch
    return found


def _value_text(value: _Value) -> str:
    if isinstance(value, ast.Batch):
        return f"batch {value.func}({expr(value.expr)})"
    return expr(value)


def _same_value(a: _Value, b: _Value) -> bool:
    if isinstance(a, ast.Batch) or isinstance(b, ast.Batch):
        return isinstance(a, ast.Batch) and isinstance(b, ast.Batch) and a.func == b.func and _same(a.expr, b.expr)
    return _same(a, b)


def _lets(old: ast.Module, new: ast.Module) -> Iterator[Change]:
    before, after = _values(old), _values(new)
    for key, value in after.items():
        was = before.get(key)
        if was is None:
            yield Change("let_added", key, (), None, _value_text(value))
        elif not _same_value(was, value):
            yield Change("let_changed", key, (), _value_text(was), _value_text(value))
    for key, value in before.items():
        if key not in after:
            yield Change("let_removed", key, (), _value_text(value), None)


# ---------------------------------------------------------------- 一票否决


def _veto_text(veto: ast.Veto) -> str:
    """`veto 重大违规 if 重大违规 -> below 优秀`, as the rule file writes it."""
    action = veto.action if veto.grade is None else f"{veto.action} {name(veto.grade)}"
    return f"veto {name(veto.name)} if {expr(veto.condition)} -> {action}"


def _vetoes(old: tuple[ast.Veto, ...], new: tuple[ast.Veto, ...]) -> Iterator[Change]:
    """The 一票否决 lines by name: added, removed, or their condition or action changed; and the
    order of those that set a grade (`-> grade 差`), where the first that holds wins."""
    before = {v.name.text: v for v in old}
    after = {v.name.text: v for v in new}
    for v in new:
        was = before.get(v.name.text)
        if was is None:
            yield Change("veto_added", v.name.text, (), None, _veto_text(v))
            continue
        parts = (*(("condition",) if not _same(was.condition, v.condition) else ()),
                 *(("action",) if (was.action, _grade_of(was)) != (v.action, _grade_of(v)) else ()))  # fmt: skip
        if parts:
            yield Change("veto_changed", v.name.text, parts, _veto_text(was), _veto_text(v))
    for v in old:
        if v.name.text not in after:
            yield Change("veto_removed", v.name.text, (), _veto_text(v), None)
    kept_a = [v.name.text for v in old if v.action == "grade" and (w := after.get(v.name.text)) and w.action == "grade"]
    kept_b = [v.name.text for v in new if v.action == "grade" and v.name.text in kept_a]
    if kept_a != kept_b:
        yield Change("veto_changed", None, ("order",), ", ".join(kept_a), ", ".join(kept_b))


def _grade_of(veto: ast.Veto) -> str | None:
    return None if veto.grade is None else veto.grade.text


# ---------------------------------------------------------------- rows: matching


@frozen
class _Place:
    """A row, the names of the groups above it, and its 1-based position in each."""

    node: ast.Node
    path: tuple[str, ...]
    position: tuple[int, ...]

    @property
    def parent(self) -> str | None:
        return self.path[-1] if self.path else None

    def where(self) -> str:
        """`投入/预算配置 #2`: the groups above it and its place among their rows."""
        return "/".join(self.path) + f" #{self.position[-1]}" if self.path else f"#{self.position[-1]}"


def _places(top: tuple[ast.Node, ...]) -> dict[str, _Place]:
    """Every row by name, depth-first in table order (names are unique across the tree)."""
    found: dict[str, _Place] = {}
    stack: list[_Place] = [_Place(n, (), (i,)) for i, n in reversed(list(enumerate(top, 1)))]
    while stack:
        place = stack.pop()
        found[place.node.name.text] = place
        node = place.node
        if isinstance(node, ast.Group):
            path = (*place.path, node.name.text)
            kids = list(enumerate(node.children, 1))
            stack.extend(_Place(c, path, (*place.position, i)) for i, c in reversed(kids))
    return found


def _match(before: dict[str, _Place], after: dict[str, _Place]) -> dict[str, str]:
    """Old row name → new row name: same names first, then renames (indicators before the
    groups holding them, so that a group's content can name its matched children). The
    candidates for a rename are looked up, by content and by place, never searched for."""
    pairs = {n: n for n, p in before.items() if n in after and type(after[n].node) is type(p.node)}
    taken = set(pairs.values())
    by_content: dict[tuple[object, ...], list[str]] = {}
    for n, p in after.items():
        if n not in taken:
            by_content.setdefault(_content(p.node, None), []).append(n)
    by_place = {p.position: n for n, p in after.items() if n not in taken}
    gone = sorted(
        (n for n in before if n not in pairs),
        key=lambda n: (isinstance(before[n].node, ast.Group), -len(before[n].path)),
    )
    for old in gone:
        place = before[old]
        same_content = by_content.get(_content(place.node, pairs), [])
        here = by_place.get(place.position)
        best: tuple[tuple[bool, bool, float], str] | None = None
        for new in [*same_content, *([here] if here is not None else [])]:
            if new in taken or type(after[new].node) is not type(place.node):
                continue
            ratio = difflib.SequenceMatcher(None, old, new).ratio()
            key = (new in same_content, new == here, ratio)
            if not key[0] and ratio < CLOSE:
                continue
            if best is None or key > best[0]:
                best = key, new
        if best is not None:
            pairs[old] = best[1]
            taken.add(best[1])
    return pairs


def _content(node: ast.Node, pairs: Mapping[str, str] | None) -> tuple[object, ...]:
    """What a row is, its name aside: max and rules; a group's rows by their (new) names."""
    if isinstance(node, ast.Indicator):
        return (node.max.value, _rules_of(node))
    children = tuple(c.name.text for c in node.children)
    if pairs is not None:
        children = tuple(pairs.get(c, c) for c in children)
    return (node.max.value, children)


def _rules_of(node: ast.Indicator) -> tuple[ast.Rule, ...]:
    """The rules as they score: a `judgment` with no input reads the input named as its row."""
    return tuple(
        ast.Judgment(node.name) if isinstance(r, ast.Judgment) and r.input is None else r for r in node.rules
    )


# ---------------------------------------------------------------- rows: changes


def _head(node: ast.Node) -> str:
    word = "group" if isinstance(node, ast.Group) else "indicator"
    return f"{word} {name(node.name)} {number(node.max)}"


def _rows(before: dict[str, _Place], after: dict[str, _Place], pairs: dict[str, str]) -> Iterator[Change]:
    back = {new: old for old, new in pairs.items()}
    moved = _reordered(before, after, pairs, back)
    for new, there in after.items():
        old = back.get(new)
        if old is None:
            yield Change("row_added", new, (), None, _head(there.node))
            continue
        place = before[old]
        if old != new:
            yield Change("row_renamed", new, (), old, new)
        if not _same_group(place, there, pairs) or new in moved:
            yield Change("row_moved", new, (), place.where(), there.where())
        if place.node.max.value != there.node.max.value:
            yield Change("max_changed", new, (), number(place.node.max), number(there.node.max))
        a, b = place.node, there.node
        if isinstance(a, ast.Indicator) and isinstance(b, ast.Indicator):
            yield from _indicator(a, b)
        elif isinstance(a, ast.Group) and isinstance(b, ast.Group):
            yield from _row_applies(a, b)
            yield from _row_rounding(a, b)
    for old, place in before.items():
        if old not in pairs:
            yield Change("row_removed", old, (), _head(place.node), None)


def _same_group(place: _Place, there: _Place, pairs: dict[str, str]) -> bool:
    """Both at the top, or the old group is the new one (a group that is gone is no other)."""
    if place.parent is None:
        return there.parent is None
    return place.parent in pairs and pairs[place.parent] == there.parent


def _reordered(
    before: dict[str, _Place], after: dict[str, _Place], pairs: dict[str, str], back: dict[str, str]
) -> set[str]:
    """The rows (new names) that kept their group but changed places among the rows that
    did too: those outside the longest run left in order."""
    moved: set[str] = set()
    parents: list[str | None] = [None, *(n for n, p in after.items() if isinstance(p.node, ast.Group))]
    for parent in parents:
        old_parent = None if parent is None else back.get(parent)
        if parent is not None and old_parent is None:
            continue  # a new group: its rows moved into it, reported as such
        stayed_old = [
            pairs[n] for n, p in before.items()
            if p.parent == old_parent and n in pairs and after[pairs[n]].parent == parent
        ]  # fmt: skip
        stayed_new = [n for n, p in after.items() if p.parent == parent and n in back and before[back[n]].parent == old_parent]
        matcher = difflib.SequenceMatcher(None, stayed_old, stayed_new, autojunk=False)
        kept = {stayed_new[b.b + k] for b in matcher.get_matching_blocks() for k in range(b.size)}
        moved.update(n for n in stayed_new if n not in kept)
    return moved


_T = TypeVar("_T")


def _align(
    old: Sequence[_T], new: Sequence[_T], pairable: Callable[[_T, _T], bool], anywhere: bool = False
) -> Iterator[tuple[int | None, _T | None, int | None, _T | None]]:
    """The items that differ, aligned: (old position, old item, new position, new item),
    1-based; equal runs are skipped, a changed item is paired with one it may be compared with
    in the same stretch, and an item with none is alone (removed: new None; added: old None).
    With `anywhere` order does not count: an item equal to one on the other side is no change
    wherever it stands, and the rest pair up across the whole sequence (match arms, by label)."""
    stretches: list[tuple[list[int], list[int]]]
    if anywhere:
        free = list(range(len(new)))
        left = []
        for i, item in enumerate(old):
            j = next((j for j in free if new[j] == item), None)
            if j is None:
                left.append(i)
            else:
                free.remove(j)
        stretches = [(left, free)]
    else:
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        stretches = [
            (list(range(i1, i2)), list(range(j1, j2)))
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        ]
    for olds, news in stretches:
        for i in olds:
            j = next((j for j in news if pairable(old[i], new[j])), None)
            if j is None:
                yield i + 1, old[i], None, None
            else:
                news.remove(j)
                yield i + 1, old[i], j + 1, new[j]
        for j in news:
            yield None, None, j + 1, new[j]


def _row_rounding(a: ast.Node, b: ast.Node) -> Iterator[Change]:
    """`round N [MODE]` on a row's score (an indicator's or a group's), changed."""
    rounding = [None if x.round_places is None else f"round {number(x.round_places)} {x.round_mode}" for x in (a, b)]
    if rounding[0] != rounding[1]:
        yield Change("rule_changed", b.name.text, ("rounding",), rounding[0], rounding[1])


def _applies_text(applies: ast.Applies | None) -> str | None:
    if applies is None:
        return None
    condition = "" if applies.condition is None else f"if {expr(applies.condition)} "
    return f"applies {condition}else {applies.mode}"


def _row_applies(a: ast.Node, b: ast.Node) -> Iterator[Change]:
    """`applies [if COND] else MODE` on a row (a group's or an indicator's), changed."""
    x, y = a.applies, b.applies
    same = (x is None and y is None) or (
        x is not None and y is not None and x.mode == y.mode and _same(x.condition, y.condition))  # fmt: skip
    if not same:
        yield Change("rule_changed", b.name.text, ("applies",), _applies_text(x), _applies_text(y))


def _indicator(a: ast.Indicator, b: ast.Indicator) -> Iterator[Change]:
    old, new = _rules_of(a), _rules_of(b)
    many = len(old) > 1 or len(new) > 1
    row = b.name.text
    if a.pending != b.pending:  # `pending "…"`: criteria not set yet, no record scored
        yield Change("rule_changed", row, ("pending",), *(None if x.pending is None else string(x.pending) for x in (a, b)))
    yield from _row_applies(a, b)
    yield from _row_rounding(a, b)
    for i, x, j, y in _align(old, new, lambda p, q: type(p) is type(q)):
        if y is None:
            assert x is not None and i is not None
            yield Change("rule_removed", row, _rule_part(x, i, many), rule_text(x), None)
        elif x is None:
            assert j is not None
            yield Change("rule_added", row, _rule_part(y, j, many), None, rule_text(y))
        else:
            assert j is not None
            for part, before, after in _rule_changes(x, y):
                yield Change("rule_changed", row, _rule_part(y, j, many) + part, before, after)


def _rule_part(rule: ast.Rule, position: int, many: bool) -> Part:
    """A rule's place among its row's rules, when there is more than one: a checklist's are items."""
    if not many:
        return ()
    return ("item" if isinstance(rule, (ast.AwardIf, ast.DeductIf)) else "rule", position)


# ---------------------------------------------------------------- rules: parameters
# A rule is compared field by field, as attrs declares them: every rule class is compared
# whole, one added later too, with no branch on its kind (tests/test_diff.py checks that
# each field of each class has its words). Its bands or arms are aligned and shown whole.

_Found: TypeAlias = Iterator[tuple[Part, str | None, str | None]]

_ZERO = ast.Number(Decimal(0))
# What a field left out means, so that writing the default out is no change.
_DEFAULTS: dict[tuple[type, str], object] = {
    (ast.DeductStep, "reference"): _ZERO,  # `deduct R per X`: above 0
    (ast.DeductStep, "counting"): "proportional",
}
# A band's ends, however written (`>= 90%` or `[90%, …`): one aspect, its edges.
_EDGES = {"low", "high", "low_closed", "high_closed", "is_else"}
_AS_WRITTEN = {"op", "span"}  # how a band was spelled, where it stands: not its meaning
# Collections of arms: the word for one of them.
ARMS = {"bands": "band", "arms": "arm"}


def _fields(item: object) -> list[str]:
    kind = type(item)
    assert attrs.has(kind)  # every node of the tree is an attrs class
    return [f.name for f in attrs.fields(kind) if f.name not in _AS_WRITTEN]


def _get(item: object, field: str) -> object:
    value = getattr(item, field)
    return _DEFAULTS.get((type(item), field), value) if value is None else value


def _same(a: object, b: object) -> bool:
    """Equal in meaning: numbers by value (`100%` and `1`, `5` and `5.0`), names by text."""
    if a == b:
        return True
    if isinstance(a, ast.Expr) and isinstance(b, ast.Expr):
        x, y = ast.constant(a), ast.constant(b)
        return x is not None and x == y
    return False


def _text(field: str, value: object) -> str | None:
    """A field's value as the rule file writes it."""
    if value is None:
        return None
    if isinstance(value, ast.Expr):
        return expr(value)
    if isinstance(value, ast.Name):
        return name(value)
    if isinstance(value, str):
        return string(value) if field == "reason" else value
    return str(value)


def _rule_changes(x: ast.Rule, y: ast.Rule) -> _Found:
    """Each field of two rules of one class that differs, with both texts."""
    for field in _fields(x):
        a, b = _get(x, field), _get(y, field)
        if isinstance(a, tuple) and isinstance(b, tuple):
            yield from _arms(ARMS.get(field, field), a, b)
        elif not _same(a, b):
            yield (field,), _text(field, a), _text(field, b)


def _arms(word: str, old: tuple[object, ...], new: tuple[object, ...]) -> _Found:
    """Bands or arms added, removed or changed: each at its position (with what changed in
    it) and its whole line before and after. Arms with labels are known by their label
    wherever they stand; bands and `when` arms by their place."""
    labelled = any(hasattr(item, "label") for item in (*old, *new))
    pairable = (lambda p, q: getattr(p, "label") == getattr(q, "label")) if labelled else (lambda p, q: True)  # noqa: B009
    for i, a, j, b in _align(old, new, pairable, anywhere=labelled):
        if b is None:
            assert i is not None
            yield (word, i), _arm_text(a), None
        elif a is None:
            assert j is not None
            yield (word, j), None, _arm_text(b)
        else:
            assert j is not None
            aspects: list[str] = []
            for field in _fields(a):
                if not _same(_get(a, field), _get(b, field)):
                    aspect = "edges" if field in _EDGES else field
                    if aspect not in aspects:
                        aspects.append(aspect)
            if aspects:  # `>= 0.9` for `>= 90%` is no change
                yield (word, j, *aspects), _arm_text(a), _arm_text(b)


def _arrow(points: ast.Number, reason: str | None) -> str:
    return f"-> {number(points)}" + (f" reason {string(reason)}" if reason is not None else "")


def _arm_text(arm: object) -> str | None:
    """A band or arm on one line, as the rule file writes it."""
    if isinstance(arm, ast.Band):
        return f"{band_condition(arm)} {_arrow(arm.points, arm.reason)}"
    if isinstance(arm, ast.WhenArm):
        head = "else" if arm.condition is None else f"when {expr(arm.condition)}"
        return f"{head} {_arrow(arm.points, arm.reason)}"
    if isinstance(arm, ast.MatchArm):
        return f"{'else' if arm.label is None else label(arm.label)} {_arrow(arm.points, arm.reason)}"
    return None if arm is None else repr(arm)  # an arm of a rule form added later: still shown


_PADDING = re.compile(r"(?<=\S) {2,}(?=-> |if )")


def rule_text(rule: ast.Rule) -> str:
    """A rule on one line, as `pingfen fmt` writes it: `bands 执行率 { >= 90% -> 5; < 90% -> 0 }`."""
    layout = format_module(ast.Module((ast.Indicator(ast.Name("x"), _ZERO, (rule,)),)))
    lines = [_PADDING.sub(" ", line.strip()) for line in layout.strip().split("\n")]
    if len(lines) == 1:  # `indicator x 0 { judgment }`
        return lines[0].split("{", 1)[1].rsplit("}", 1)[0].strip()
    text = ""
    for line in lines[1:-1]:
        text += ("" if not text else " " if text.endswith("{") or line == "}" else "; ") + line
    return text


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text

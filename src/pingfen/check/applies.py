"""Which rows may not apply (不适用), and what each such row reads.

A row with `applies [if COND] else MODE` is not applicable when COND fails or an input it
reads itself is marked 不适用 in the data. An input read only inside such rows is optional:
a record (or an example) may leave it out or mark it, and it reaches scoring as an
`Absent`. The checker, both evaluators and the reader of values ask this module the same
questions, so they agree on what is read where.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from attrs import frozen

from pingfen import ast
from pingfen.reasons import placeholders


@frozen
class Guard:
    """A row's `applies`: the optional inputs its condition reads, and those its own rules
    read (a group's: its parts' up to the next row with an `applies` of its own)."""

    applies: ast.Applies
    condition: tuple[str, ...]
    body: tuple[str, ...]


@frozen
class Plan:
    """The rubric's optional inputs, the guard of each row that has one, and the optional
    inputs behind each `let` that reads any."""

    optional: frozenset[str]
    guards: Mapping[str, Guard]
    lets: Mapping[str, tuple[str, ...]]


def plan(module: ast.Module, symbols: Mapping[str, object], let_order: Sequence[ast.Let]) -> Plan:
    """The plan of a module whose names check: `symbols` its inputs and lets, `let_order`
    each let after those it reads."""
    if not any(node.applies is not None for node, _ in ast.walk_nodes(module.top)):
        return Plan(frozenset(), {}, {})  # every row applies: nothing to work out, at no cost
    needs = {let.name.text: ast.names_read(let.expr) for let in let_order}
    inputs = [i.name.text for i in module.inputs]
    required: set[str] = set()
    guarded: set[str] = set()
    raw: dict[str, tuple[ast.Applies, set[str], set[str]]] = {}

    def own(node: ast.Node) -> set[str]:
        """The names a row's rules read, not entering a part with an `applies` of its own."""
        match node:
            case ast.Indicator():
                direct: set[str] = set()
                for rule in node.rules:
                    direct |= ast.names_read(*rule.expressions())
                    if isinstance(rule, ast.Judgment):
                        direct.add((rule.input or node.name).text)
                    for item in rule.reason_items():
                        direct |= {n for n in placeholders(item.reason or "") if n in symbols}
                return ast.closure(direct, needs)
            case ast.Group():
                return set().union(*(own(c) for c in node.children if c.applies is None))
            case _:
                return set()

    def visit(node: ast.Node, under: bool) -> None:
        if node.applies is not None:
            cond = ast.closure(ast.names_read(node.applies.condition), needs) if node.applies.condition is not None else set()
            (guarded if under else required).update(cond)
            body = own(node)
            guarded.update(body)
            raw[node.name.text] = (node.applies, cond, body)
            under = True
        elif isinstance(node, ast.Indicator):
            (guarded if under else required).update(own(node))
        if isinstance(node, ast.Group):
            for child in node.children:
                visit(child, under)

    for top in module.rows:  # the tree, then the bonus and penalty rows (which always apply)
        visit(top, False)
    header = module.header  # 一票否决 and the grades' conditions are read for every record
    conditions: list[ast.Expr] = [v.condition for v in module.vetoes]
    conditions += [g.condition for g in header.grades if g.condition is not None] if header else []
    required.update(ast.closure(ast.names_read(*conditions), needs))
    optional = frozenset(n for n in inputs if n in guarded and n not in required)
    order = {n: i for i, n in enumerate(inputs)}

    def pick(names: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted((n for n in names if n in optional), key=order.__getitem__))

    guards = {name: Guard(a, pick(c), pick(b)) for name, (a, c, b) in raw.items()}
    behind: dict[str, set[str]] = {}  # each let's optional inputs, its lets' included: in let order, once each
    for let in let_order:
        reads = needs[let.name.text]
        found = {n for n in reads if n in optional}
        for read in reads:
            found |= behind.get(read, set())
        behind[let.name.text] = found
    return Plan(optional, guards, {name: pick(found) for name, found in behind.items() if found})



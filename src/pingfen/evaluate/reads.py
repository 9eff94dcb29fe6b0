"""What each group and indicator reads: the inputs behind its score, through `let` values.

`Rubric.node(name).inputs` and `Rubric.score_node` rest on this: an indicator can be
scored from the inputs it reads alone, and an audit recomputes it only when all are given.
Reason templates count as reads, since their placeholders show input values.
"""

from __future__ import annotations

from pingfen import ast
from pingfen.check.passes import Checked
from pingfen.reasons import placeholders


def node_reads(module: ast.Module, checked: Checked) -> dict[str, tuple[tuple[str, ...], frozenset[str]]]:
    """For each group and indicator: the inputs it reads, in declaration order, and the `let`s it needs."""
    inputs = [
        i.name.text
        for i in module.inputs
        if checked.symbols.get(i.name.text) and checked.symbols[i.name.text].decl is i
    ]
    needs = {let.name.text: ast.names_read(let.expr) for let in checked.let_order}  # a let → the symbols it reads
    out: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}

    def visit(node: ast.Node, around: frozenset[str] = frozenset()) -> set[str]:
        """The names `node` reads; kept for it with `around`, what the `applies if` conditions
        of the groups around it read (whether it applies at all hangs on them)."""
        if isinstance(node, ast.Group):
            condition: set[str] = set()
            if node.applies is not None and node.applies.condition is not None:
                condition = ast.closure(ast.names_read(node.applies.condition), needs)
            names = set().union(*(visit(c, around | condition) for c in node.children)) | condition
        else:
            direct: set[str] = set()
            for rule in node.rules:
                direct |= ast.names_read(*rule.expressions())
                if isinstance(rule, ast.Judgment):  # the one rule reading a name outside an expression
                    direct.add((rule.input or node.name).text)
                for item in rule.reason_items():
                    direct |= {n for n in placeholders(item.reason or "") if n in checked.symbols}
            if node.applies is not None and node.applies.condition is not None:  # whether it applies
                direct |= ast.names_read(node.applies.condition)
            names = ast.closure(direct, needs)
        kept = names | around
        out[node.name.text] = (tuple(i for i in inputs if i in kept), frozenset(n for n in kept if n in needs))
        return names

    for top in module.rows:  # the tree, then the bonus and penalty rows
        visit(top)
    return out



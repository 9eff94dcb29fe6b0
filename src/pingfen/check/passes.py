"""The checker's passes in order: names, units and rules; the rubric's own examples;
then, when every name and unit is sound, the soundness analysis over intervals."""

from __future__ import annotations

import re

from attrs import define, field

from pingfen import ast
from pingfen.check.checker import RuleChecker, Symbol
from pingfen.check.examples import ExampleChecks
from pingfen.check.soundness import analyze
from pingfen.diagnostics import Diagnostic, sort_key


@define
class Checked:
    """What the checker learned: diagnostics, symbols, and `let`s in evaluation order."""

    diagnostics: list[Diagnostic]
    symbols: dict[str, Symbol] = field(factory=dict)
    units: dict[ast.Expr, str] = field(factory=dict)
    let_order: list[ast.Let] = field(factory=list)
    label_literals: frozenset[str] = frozenset()  # names that stand for a label (`类型 = 大型会议`)

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


def check(module: ast.Module) -> Checked:
    checker = RuleChecker(module)
    checker.run()
    sound = not any(d.severity == "error" for d in checker.out)  # soundness needs every name and unit
    ExampleChecks(checker).run()
    if sound:
        checker.out.extend(analyze(module, checker.units, checker.let_order))
    checker.out.extend(todo_notes(module))
    checked = Checked(sorted(checker.out, key=sort_key), checker.symbols, checker.units, checker.let_order,
                      frozenset(checker.label_literals))  # fmt: skip
    return checked


# A comment that starts `# TODO` marks work left for a person (`pingfen import` writes one
# above each row it could not read): the checker lists each, so none is forgotten.
_TODO = re.compile(r"#+\s*TODO\b[\s:：,，-]*(?P<text>.*)")


def todo_notes(module: ast.Module) -> list[Diagnostic]:
    """A note (PF119) for each `# TODO` comment, at the comment."""
    out = []
    for comment in module.comments:
        found = _TODO.match(comment.text)
        if found is not None:
            out.append(Diagnostic("PF119", comment.span, {"text": found["text"].strip() or "TODO"}, "note", "todo"))
    return out

"""Which branches of a rubric its examples exercised (`pingfen test --coverage`).

A rubric's branches, read from its syntax tree: every band, every `when` and `match` arm,
each checklist item both ways (held and missed, triggered and not), each per-step
deduction on either side of its reference (within it, and over or under it — both for a
two-sided one, and exactly at it), a rule's trailing `if COND` switched off, an indicator
clamped at 0 (扣完为止) where its deductions can take more than its rules give, each
judgment and formula, and each grade; a row with `applies` applying and not (its condition
failed, an input it reads marked 不适用 in the data); a grade's own condition held and
failed; each 一票否决 held and not; each `if … then … else` both ways.
An example covers the branches that evaluation actually took, as reported by the tree
walker (evaluate/walker.py) through its sink; `trace` holds the walker to the same scores
as the compiled rubric.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from attrs import frozen

from pingfen import ast
from pingfen.check.passes import check
from pingfen.check.soundness import clamping
from pingfen.display import plain, width
from pingfen.errors import InternalError
from pingfen.evaluate.applies import Guard, plan
from pingfen.evaluate.rubric import Rubric
from pingfen.evaluate.walker import Event
from pingfen.lang import Lang
from pingfen.result import Result
from pingfen.syntax.formatter import band_condition, expr, label

_STATUS = {
    "held": ("held", "满足"),
    "missed": ("missed", "未满足"),
    "triggered": ("triggered", "触发"),
    "not triggered": ("not triggered", "未触发"),
    "within": ("within the reference", "未超出参照值"),
    "over": ("over the reference", "高于参照值"),
    "under": ("under the reference", "低于参照值"),
    "at": ("at the reference", "等于参照值"),
    "off": ("switched off", "条件不成立，未启用"),
    "clamped": ("clamped at 0 (扣完为止)", "扣完为止（得 0 分）"),
}
# The outcomes of what is not a rule: 不适用, a veto, a grade's condition, an if-then-else.
_OUTCOMES = {
    "applies": ("applies", "适用"),
    "condition fails": ("does not apply: its condition fails", "不适用：适用条件不成立"),
    "marked": ("does not apply: marked 不适用 in the data", "不适用：数据标为不适用"),
    "condition holds": ("its condition holds", "条件成立"),
    "condition not held": ("its condition fails", "条件不成立"),
    "vetoed": ("holds (vetoed)", "成立（否决）"),
    "not vetoed": ("does not hold", "不成立（未否决）"),
    "then": ("then (the condition holds)", "条件成立（取 then）"),
    "else": ("else (the condition fails)", "条件不成立（取 else）"),
}
_WORDS = {**_STATUS, **_OUTCOMES}
# What each kind of part is called where it has no name of its own.
_TITLES = {
    "grades": ("grades", "评价等次"),
    "vetoes": ("vetoes", "一票否决"),
    "conditions": ("if … then … else", "条件取值"),
}

# Still an AssertionError, as before it was a PingfenError: it is a failed self-check, code
# that caught it as one keeps working, and pytest shows it as a failed check.
class Disagreement(InternalError, AssertionError):
    """The tree walker and the compiled rubric scored a record differently: a bug in pingfen."""


def trace(rubric: Rubric, record: Mapping[str, object], *, ratios: bool = False) -> tuple[Result, list[Event]]:
    """Score a record with the compiled rubric, and walk it to learn the branches taken.
    Raises DataError when the record is refused, Disagreement if the two score it differently.
    `ratios` as for `Rubric.evaluate`."""
    result = rubric.evaluate(record, ratios=ratios)
    events: list[Event] = []
    walked = rubric.walker(events.append).evaluate(rubric.coerce(record, ratios=ratios))
    compiled = {n.name: n.score for n in result.nodes()}
    scores = {n.name: n.score for n in walked.nodes()}
    if compiled != scores or (result.raw_total, result.total, result.grade) != (
        walked.raw_total,
        walked.total,
        walked.grade,
    ):
        wrong = [n for n in compiled if compiled[n] != scores.get(n)]
        raise Disagreement(f"the walker and the evaluator disagree on {wrong or 'the total'} for {dict(record)}")
    return result, events


@frozen
class Item:
    """One branch: its key in the walker's events, how to show it, where it is."""

    key: tuple[Any, ...]
    text: str
    status: str | None
    line: int

    def label(self, lang: Lang = "en") -> str:
        if self.status is None:
            return self.text
        word = _WORDS[self.status][1 if lang == "zh" else 0]
        return f"{self.text}: {word}" if self.text else word


@frozen
class Part:
    """The branches of one indicator or group (name), or of the grades, the vetoes or the
    if-then-else expressions (name "", `kind` says which)."""

    name: str
    line: int
    items: tuple[Item, ...]
    kind: str = "indicator"  # "indicator", "group", "grades", "vetoes", "conditions"

    def title(self, lang: Lang = "en") -> str:
        return self.name or _TITLES[self.kind][1 if lang == "zh" else 0]


def parts(rubric: Rubric) -> list[Part]:
    """Every branch of the rubric, row by row, then the grades, the vetoes and the
    if-then-else expressions."""
    module = rubric.module
    checked = check(module)
    can_clamp = clamping(module, checked.units, checked.let_order)
    guards = plan(module, checked).guards
    out = []
    for node, _depth in ast.walk_nodes(module.rows):
        found = _applies_items(node, guards.get(node.name.text))
        if isinstance(node, ast.Indicator):
            found += [item for i, rule in enumerate(node.rules) for item in _rule_items(i, rule)]
            if node.name.text in can_clamp:
                found.append(Item(("clamped",), "", "clamped", node.span.line))
            out.append(Part(node.name.text, node.name.span.line, tuple(found)))
        elif found:
            out.append(Part(node.name.text, node.name.span.line, tuple(found), "group"))
    header = module.header
    if header is not None and header.grades:
        grades: list[Item] = []
        for g in header.grades:
            grades.append(Item(("grade", g.name.text), f"grade {g.name.text}", None, g.span.line))
            if g.condition is not None:
                text = f"grade {g.name.text} if {expr(g.condition)}"
                grades.append(Item(("grade condition", g.name.text, True), text, "condition holds", g.span.line))
                grades.append(Item(("grade condition", g.name.text, False), text, "condition not held", g.span.line))
        out.append(Part("", header.span.line, tuple(grades), "grades"))
    if module.vetoes:
        vetoes = [
            Item(("veto", v.name.text, held), f"veto {v.name.text} if {expr(v.condition)}", word, v.span.line)
            for v in module.vetoes
            for held, word in ((True, "vetoed"), (False, "not vetoed"))
        ]
        out.append(Part("", module.vetoes[0].span.line, tuple(vetoes), "vetoes"))
    choices = _choices(module)
    if choices:
        out.append(Part("", choices[0].line, tuple(choices), "conditions"))
    return out


def _applies_items(node: ast.Node, guard: Guard | None) -> list[Item]:
    """A row with `applies`: it applies; it does not, by its condition; it does not, marked
    不适用 in the data (when it reads an input the data may mark)."""
    applies = node.applies
    if applies is None:
        return []
    text = "applies" + (f" if {expr(applies.condition)}" if applies.condition is not None else "")
    found = [Item(("applies",), text, "applies", applies.span.line)]
    if applies.condition is not None:
        found.append(Item(("not applicable", "condition"), text, "condition fails", applies.span.line))
    if guard is not None and (guard.condition or guard.body):
        found.append(Item(("not applicable", "marked"), text, "marked", applies.span.line))
    return found


def _choices(module: ast.Module) -> list[Item]:
    """Each `if … then … else` of the rubric, wherever it is, both ways, in source order."""
    header = module.header
    roots: list[ast.Expr] = [let.expr for let in module.lets]
    for node, _depth in ast.walk_nodes(module.rows):
        if node.applies is not None and node.applies.condition is not None:
            roots.append(node.applies.condition)
        if isinstance(node, ast.Indicator):
            roots += [e for rule in node.rules for e in rule.expressions()]
    roots += [g.condition for g in (header.grades if header is not None else ()) if g.condition is not None]
    roots += [v.condition for v in module.vetoes]
    seen: dict[tuple[int, int], ast.IfElse] = {}
    for e in ast.walk_expressions(*roots):
        if isinstance(e, ast.IfElse):
            seen.setdefault((e.span.file, e.span.start), e)
    found = []
    for (file, start), e in sorted(seen.items()):
        text = f"if {expr(e.condition)} then {expr(e.then)} else {expr(e.otherwise)}"
        found += [Item(("if", file, start, held), text, word, e.span.line) for held, word in ((True, "then"), (False, "else"))]
    return found


def _rule_items(i: int, rule: ast.Rule) -> list[Item]:
    """The rule's branches (a part of each rule, ast.Branch) as items keyed like the walker's
    events: (event, rule) or (event, rule, arm)."""
    return [
        Item((b.event, i) if b.arm is None else (b.event, i, b.arm), _text(b.text), b.event if b.status else None,
             b.span.line)
        for b in rule.branches()
    ]  # fmt: skip


def _text(pieces: tuple[ast.Piece, ...]) -> str:
    out = []
    for piece in pieces:
        match piece:
            case str():
                out.append(piece)
            case ast.Band():
                out.append(band_condition(piece))
            case ast.Name():
                out.append(label(piece))
            case _:
                out.append(expr(piece))
    return "".join(out)


@frozen
class Coverage:
    """The branches of one rubric and how often the examples took each."""

    path: str
    parts: tuple[Part, ...]
    hits: tuple[tuple[str, tuple[Any, ...], int], ...]  # (part name, item key, count)

    @classmethod
    def of(cls, rubric: Rubric, traces: Iterable[Iterable[Event]]) -> Coverage:
        counts: Counter[tuple[str, tuple[Any, ...]]] = Counter()
        for events in traces:
            counts.update(set(events))  # an example covers a branch once
        found = parts(rubric)
        hits = tuple((p.name, it.key, counts[(p.name, it.key)]) for p in found for it in p.items)
        return cls(rubric.source.path, tuple(found), hits)

    def count(self, part: str, key: tuple[Any, ...]) -> int:
        for name, k, n in self.hits:
            if name == part and k == key:
                return n
        return 0

    def covered(self, part: Part | None = None) -> tuple[int, int]:
        """(branches taken, branches) for a part, or for the whole rubric."""
        chosen = [part] if part is not None else list(self.parts)
        total = sum(len(p.items) for p in chosen)
        taken = sum(1 for p in chosen for it in p.items if self.count(p.name, it.key))
        return taken, total

    def missed(self) -> list[tuple[Part, Item]]:
        return [(p, it) for p in self.parts for it in p.items if not self.count(p.name, it.key)]


def percent(taken: int, total: int) -> Decimal:
    return Decimal(100) if total == 0 else (Decimal(100) * taken / total).quantize(Decimal("0.1"))


def _show(value: Decimal) -> str:
    return plain(value)


def render_text(reports: list[Coverage], lang: Lang = "en") -> str:
    """Per indicator: branches taken of branches, then each branch not taken; a total line."""
    zh = lang == "zh"
    out = []
    for cov in reports:
        out.append(f"{'覆盖率' if zh else 'coverage of'} {cov.path}")
        rows: list[tuple[str, int, int, Part | None]] = []
        for part in cov.parts:
            taken, total = cov.covered(part)
            rows.append((part.title(lang), taken, total, part))
        taken, total = cov.covered()
        rows.append(("合计" if zh else "total", taken, total, None))
        column = max(width(r[0]) for r in rows)
        for name, taken, total, row_part in rows:
            fraction = f"{taken}/{total}"
            out.append(f"  {name}{' ' * (column - width(name))}  {fraction:>7}  {_show(percent(taken, total)):>5}%")
            if row_part is None:  # the total's row
                continue
            for it in row_part.items:
                if not cov.count(row_part.name, it.key):
                    out.append(f"      {'未覆盖' if zh else 'not covered'}: {'第' if zh else 'line '}{it.line}"
                               f"{'行' if zh else ''}  {it.label(lang)}")  # fmt: skip
    if len(reports) > 1:
        taken = sum(c.covered()[0] for c in reports)
        total = sum(c.covered()[1] for c in reports)
        out.append(f"{'全部合计' if zh else 'all files'}: {taken}/{total}  {_show(percent(taken, total))}%")
    return "\n".join(out)


def to_json(reports: list[Coverage], lang: Lang = "en") -> dict[str, Any]:
    """Plain data, like `opa test --coverage --format json`: per file, per indicator, per branch."""
    files = []
    for cov in reports:
        parts_out = []
        for part in cov.parts:
            taken, total = cov.covered(part)
            parts_out.append({
                "name": part.name or None,
                "kind": part.kind,
                "line": part.line,
                "covered": taken,
                "total": total,
                "percent": percent(taken, total),
                "branches": [
                    {"branch": it.label(lang), "line": it.line, "hits": cov.count(part.name, it.key)}
                    for it in part.items
                ],
            })  # fmt: skip
        taken, total = cov.covered()
        files.append({"file": cov.path, "covered": taken, "total": total, "percent": percent(taken, total),
                      "parts": parts_out})  # fmt: skip
    taken = sum(c.covered()[0] for c in reports)
    total = sum(c.covered()[1] for c in reports)
    return {"files": files, "covered": taken, "total": total, "percent": percent(taken, total)}

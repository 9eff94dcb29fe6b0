"""Recomputing a filled-in self-evaluation: where do the declared scores disagree?

Given the scores a department declared (groups, indicators, total, grade) and the
inputs it reported, `audit` finds, each with its numbers:

- declared scores above their max or below zero;
- groups, and the total, that are not the sum of their declared parts (a part not
  declared itself counts as the sum of its own parts, when those are all declared);
- a grade that is not the one the rubric's grade bands give the declared total;
- indicators whose inputs are ALL given and whose declared score differs from the
  rule's (`Rubric.score_node`, the same rules and reasons a full evaluation gives), with the rule's reasons.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from pingfen.errors import DataError, Problem
from pingfen.evaluate.rubric import NodeSpec, Rubric
from pingfen.io.filled import GRADE_NAMES, TOTAL_NAMES, read_filled
from pingfen.lang import Lang
from pingfen.reasons import quantity
from pingfen.report.audit import Audit, Finding
from pingfen.values import show, to_decimal

TOTAL, GRADE = "total", "grade"


def audit(
    rubric: Rubric, declared: Mapping[str, object], inputs: Mapping[str, object] | None = None, *,
    lang: Lang = "zh", department: str | None = None,
) -> Audit:  # fmt: skip
    """Compare declared scores with their parts, the grade bands and the rules.

    `declared` maps group and indicator names (and `total`/总分, `grade`/评价等次) to what the
    department reported; `inputs` holds the input values it gave. Raises DataError for an
    unknown name, a declared value that is not a number, or an input value that is bad.
    """
    scores, total, grade = _declared(rubric, declared)
    given = {k: v for k, v in (inputs or {}).items() if not _blank(v)}
    unknown = [Problem("PF517", k, {"name": k}) for k in given if k not in {s.name for s in rubric.inputs}]
    if unknown:
        raise DataError(unknown, department)
    values = rubric.coerce(given, list(given), record=department)
    types = {s.name: s.type for s in rubric.inputs}

    findings: list[Finding] = []
    agreed: list[str] = []
    unchecked: list[tuple[str, tuple[str, ...]]] = []
    effective: dict[str, Decimal | None] = {}

    def visit(node: NodeSpec) -> Decimal | None:
        parts = [(c.name, visit(c)) for c in node.children]
        mine = scores.get(node.name)
        if mine is not None:
            findings.extend(_range(node.name, mine, node.max))
        if node.is_group:
            known = all(v is not None for _, v in parts)
            added = sum((v for _, v in parts if v is not None), Decimal(0))
            if mine is not None and known and added != mine:
                findings.append(
                    Finding("sum", node.name, mine, added, tuple((n, v) for n, v in parts if v is not None))
                )
            effective[node.name] = mine if mine is not None else (added if known and parts else None)
            return effective[node.name]
        if mine is not None:
            missing = tuple(i for i in node.inputs if i not in values)
            if missing:
                unchecked.append((node.name, missing))
            else:
                result = rubric.score_node(node.name, values, lang=lang, record=department)
                if result.score == mine:
                    agreed.append(node.name)
                else:
                    shown = tuple((i, quantity(values[i], types[i])) for i in node.inputs)
                    findings.append(Finding("rule", node.name, mine, result.score, inputs=shown,
                                            reasons=tuple(result.reasons_in(lang))))  # fmt: skip
        effective[node.name] = mine
        return mine

    tops = [(top.name, visit(top)) for top in rubric.tree]
    implied = None
    if all(v is not None for _, v in tops):
        implied = rubric.round_total(sum((v for _, v in tops if v is not None), Decimal(0)))
    if total is not None:
        findings.extend(_range(TOTAL, total, rubric.max))
        if implied is not None and implied != total:
            findings.append(Finding("total", TOTAL, total, implied, tuple((n, v) for n, v in tops if v is not None)))
    graded = total if total is not None else implied
    if grade is not None and graded is not None:
        expected = rubric.grade_for(graded)
        if expected != grade:
            findings.append(Finding("grade", GRADE, grade, expected, total=graded))
    return Audit(rubric.name, department, tuple(findings), tuple(agreed), tuple(unchecked))


def audit_file(rubric: Rubric, path: str | Path, *, lang: Lang = "zh", id: str | None = None) -> Audit:
    """Read a filled-in self-evaluation (YAML, JSON or XLSX; see `pingfen.io.filled`) and audit it."""
    nodes = [n.name for top in rubric.tree for n in top.walk()]
    filled = read_filled(path, nodes, [s.name for s in rubric.inputs], id=id)
    return audit(rubric, filled.declared, filled.inputs, lang=lang, department=filled.department)


def _declared(rubric: Rubric, declared: Mapping[str, object]) -> tuple[dict[str, Decimal], Decimal | None, str | None]:
    nodes = [n.name for top in rubric.tree for n in top.walk()]
    scores: dict[str, Decimal] = {}
    total: Decimal | None = None
    grade: str | None = None
    problems = []
    for key, raw in declared.items():
        if _blank(raw):
            continue
        if key in GRADE_NAMES:
            grade = str(raw).strip()
            continue
        if key not in nodes and key not in TOTAL_NAMES:
            close = difflib.get_close_matches(key, nodes, n=1, cutoff=0.6)
            args = {"name": key, "suggestion": close[0]} if close else {"name": key}
            problems.append(Problem("PF513", key, args, "did_you_mean" if close else None))
            continue
        value = to_decimal(raw)
        if value is None:
            problems.append(Problem("PF514", key, {"name": key, "value": show(raw)}))
        elif key in TOTAL_NAMES:
            total = value
        else:
            scores[key] = value
    if problems:
        raise DataError(problems)
    return scores, total, grade


def _range(name: str, value: Decimal, top: Decimal) -> list[Finding]:
    if value > top:
        return [Finding("above_max", name, value, top)]
    if value < 0:
        return [Finding("below_zero", name, value, Decimal(0))]
    return []


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())

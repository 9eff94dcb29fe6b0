"""The rubric's own table layout, shared by the reports and the template's rubric sheet.

Annex 附件2-2 lays a rubric out one indicator per row, with a column per level
(一级/二级/三级指标): a group's cell spans the rows of its indicators. `grid` gives that
layout for a tree of groups and indicators (a `Result`'s nodes or a `Rubric.tree`).
An indicator shallower than the deepest one sits in the last level column, and the
level cells between are blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from attrs import frozen

from pingfen.display import number
from pingfen.lang import Lang
from pingfen.reasons import shown
from pingfen.result import NodeResult, Result, not_applicable
from pingfen.values import settled

_LEVELS_ZH = "一二三四五六七八九"

WORDS = {
    "zh": {
        "max": "分值", "score": "得分", "reasons": "扣分原因", "total": "总分", "grade": "评价等次",
        "inputs": "输入项", "declared": "自评得分", "id": "单位",
    },
    "en": {
        "max": "max", "score": "score", "reasons": "reasons", "total": "total", "grade": "grade",
        "inputs": "inputs", "declared": "declared", "id": "department",
    },
}  # fmt: skip


class Node(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def max(self) -> Decimal: ...
    @property
    def is_group(self) -> bool: ...
    @property
    def children(self) -> Sequence[Node]: ...


@frozen
class GroupCell:
    """A group's cell: it starts on this row and spans `rows` rows."""

    node: Node
    rows: int


COVERED = "covered"  # the cell belongs to a group cell started on a row above
BLANK = "blank"  # no group at this level for this row

LevelCell = GroupCell | str


@frozen
class GridRow:
    """One indicator and, for each level column before the last, what that cell holds;
    `closes` are the groups whose last indicator it is, innermost first."""

    levels: tuple[LevelCell, ...]
    node: Node
    closes: tuple[Node, ...] = ()


def depth(nodes: Sequence[Node]) -> int:
    """The number of level columns: the deepest path from a top node to an indicator."""
    return max((1 + depth(n.children) if n.is_group else 1 for n in nodes), default=1)


def level_names(levels: int, lang: Lang) -> list[str]:
    """一级指标, 二级指标, … (or level 1, level 2, …)."""
    if lang == "zh":
        return [f"{_LEVELS_ZH[i] if i < len(_LEVELS_ZH) else i + 1}级指标" for i in range(levels)]
    return [f"level {i + 1}" for i in range(levels)]


def leaves(node: Node) -> int:
    return sum(leaves(c) for c in node.children) if node.is_group else 1


def grid(nodes: Sequence[Node]) -> list[GridRow]:
    """One row per indicator, in rubric order, with the group cells each row opens or continues."""
    levels = depth(nodes)
    rows: list[tuple[tuple[LevelCell, ...], Node]] = []
    closes: list[list[Node]] = []  # by row: the groups whose last indicator it is, innermost first

    def visit(node: Node, ancestors: list[tuple[Node, bool]]) -> None:
        if node.is_group:
            start = len(rows)
            for i, child in enumerate(node.children):
                visit(child, [*ancestors, (node, i == 0)])
            if len(rows) > start:  # a group without indicators has no row to close
                closes[-1].append(node)
            return
        cells: list[LevelCell] = []
        for k, (group, _) in enumerate(ancestors):
            opens = all(first for _, first in ancestors[k:])  # this is the group's first indicator
            cells.append(GroupCell(group, leaves(group)) if opens else COVERED)
        cells.extend([BLANK] * (levels - 1 - len(cells)))
        rows.append((tuple(cells), node))
        closes.append([])

    for top in nodes:
        visit(top, [])
    return [GridRow(cells, node, tuple(ends)) for (cells, node), ends in zip(rows, closes, strict=True)]


def group_label(node: Node, lang: Lang, score: Decimal | None = None) -> str:
    """投入（15分）, or with its score: 投入（分值 15，得分 12）."""
    top = number(node.max)
    if score is None:
        return f"{node.name}（{top}分）" if lang == "zh" else f"{node.name} ({top})"
    if lang == "zh":
        return f"{node.name}（分值 {top}，得分 {shown(score)}）"
    return f"{node.name} (max {top}, score {shown(score)})"


def scored_label(node: Node, lang: Lang) -> str:
    """A group's label with its score, for the grid of a `Result` (whose nodes are NodeResults)."""
    if not isinstance(node, NodeResult):
        raise TypeError(f"a scored label needs a NodeResult, not {type(node).__name__}")
    if not node.applies:
        na = not_applicable(lang)
        return f"{node.name}（分值 {number(node.max)}，{na}）" if lang == "zh" else f"{node.name} (max {number(node.max)}, {na})"
    return group_label(node, lang, node.score)


def score_text(node: NodeResult, lang: Lang) -> str:
    """A row's score as a report shows it: the number as its reasons show numbers (every digit
    up to 6 decimals, so that printed rows add up to their group: 2.995, not 3), or 不适用 (N/A)
    for a row that does not apply."""
    return shown(node.score) if node.applies else not_applicable(lang)


def group_reasons(node: NodeResult, lang: Lang) -> list[str]:
    """A group's own reasons (折算 over the rows that apply, its `round N`, a clamp, 不适用),
    each named by the group: 项目管理：有不适用的项，折算：得分 3 ÷ 适用分值 6 × 10."""
    sep = "：" if lang == "zh" else ": "
    return [f"{node.name}{sep}{reason}" for reason in node.reasons_in(lang)]


def row_reasons(row: GridRow, lang: Lang) -> list[str]:
    """What a row's 扣分原因 cell says: its indicator's reasons, then those of each group it
    is the last indicator of (`group_reasons`, innermost first), as a group's score is worked
    out from the rows above it."""
    node = row.node
    if not isinstance(node, NodeResult):
        raise TypeError(f"a row's reasons need a NodeResult, not {type(node).__name__}")
    reasons = [*node.reasons_in(lang)]
    for group in row.closes:
        assert isinstance(group, NodeResult)
        reasons += group_reasons(group, lang)
    return reasons


def sheet_number(score: Decimal) -> tuple[Decimal, str]:
    """A score as a workbook cell holds it, kept a number: the value and the number format
    that show what the other reports print (`score_text`). Where that is every digit of the
    score, the cell holds it exactly, formatted to its own places (2.995 as 0.000, never 3.00);
    a quotient's digits (5 ÷ 6) are held as they are, formatted as shown, to 2 places."""
    text = shown(score)
    said = Decimal(text)
    held = said if said == score or said == settled(score) else score  # settled: 1.500999…9 × 3 ÷ 3 is 1.501
    return held, places_format(len(text.partition(".")[2]))


def total_format(total: Decimal) -> str:
    """The number format of a total, as the reports print it (`digits`): its places, zeros kept (87.00)."""
    exponent = total.as_tuple().exponent
    return places_format(-exponent if isinstance(exponent, int) and exponent < 0 else 0)


def places_format(places: int) -> str:
    """A cell's number format with this many decimals: 0, 0.0, 0.00, …"""
    return "0." + "0" * places if places else "0"


def grade_bands(grades: Sequence[tuple[str, str | None, Decimal | None]], lang: Lang) -> str:
    """优秀 ≥ 90；良好 ≥ 80；…；差 其他."""
    signs = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
    parts = [
        f"{name} {signs.get(op, op)} {number(t)}"
        if op and t is not None
        else f"{name} {'其他' if lang == 'zh' else 'otherwise'}"
        for name, op, t in grades
    ]
    return ("；" if lang == "zh" else "; ").join(parts)


def signed(points: Decimal) -> str:
    """What a bonus or penalty row counts for, with its sign: +3, -2, 0."""
    return f"+{number(points)}" if points > 0 else number(points)


def outside_rows(result: Result, lang: Lang) -> list[tuple[str, str, str, list[str]]]:
    """The rows after the tree (the total's re-scaling when a top-level row dropped out, 加分项,
    扣分项, then each 一票否决 that held): label, max, signed points and reasons, in the order
    the total is worked out."""
    sep = "：" if lang == "zh" else ": "
    rescaled = result.reasons_in(lang)  # 折算 first: the bonus and penalty rows count after it
    rows = [("总分折算" if lang == "zh" else "total re-scaled", "", "", rescaled)] if rescaled else []
    rows += [
        (f"{line.label(lang)}{sep}{line.node.name}", line.range_text(lang), signed(line.points), line.node.reasons_in(lang))
        for line in result.outside()
    ]
    veto = "一票否决" if lang == "zh" else "veto"
    rows += [(f"{veto}{sep}{v.name}", "", "", [v.text(lang)]) for v in result.vetoes()]
    return rows

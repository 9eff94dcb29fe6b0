"""A result as a terminal table in the rubric's own layout:
一级/二级/三级指标, 分值, 得分, 扣分原因, then the total and the grade."""

from __future__ import annotations

from pingfen.display import digits, number, width
from pingfen.lang import Lang
from pingfen.report.layout import group_reasons, outside_rows, score_text
from pingfen.result import NodeResult, Result

_LEVELS_ZH = "一二三四五六七八九"
_WORDS = {
    "zh": {
        "max": "分值",
        "score": "得分",
        "reasons": "扣分原因",
        "total": "总分",
        "grade": "评价等次",
        "level": "{}级指标",
        "unit": "单位：{}",
    },
    "en": {
        "max": "max",
        "score": "score",
        "reasons": "reasons",
        "total": "total",
        "grade": "grade",
        "level": "level {}",
        "unit": "unit: {}",
    },
}


def _pad(text: str, cols: int, right: bool = False) -> str:
    gap = " " * max(cols - width(text), 0)
    return gap + text if right else text + gap


def _depth(node: NodeResult) -> int:
    return 1 + max((_depth(c) for c in node.children), default=0)


def _rows(node: NodeResult, level: int, levels: int, lang: Lang, prefix: list[str]) -> list[list[str]]:
    if node.is_group:
        label = f"{node.name} {score_text(node, lang)}/{number(node.max)}"
        rows: list[list[str]] = []
        for child in node.children:
            cells = prefix + [label] if not rows else [""] * (level + 1)
            rows.extend(_rows(child, level + 1, levels, lang, cells))
        if not rows:
            rows = [prefix + [label] + [""] * (levels - level - 1) + ["", "", ""]]
        own = group_reasons(node, lang)  # after its rows, as it is worked out from them
        if own and not rows[-1][-1]:  # the last row says nothing yet: the first goes there
            rows[-1][-1] = own.pop(0)
        rows.extend([""] * (levels + 2) + [r] for r in own)
        return rows
    # in its own level's column: a top-level indicator after a group, set in the last one, read
    # as that group's last part (its cells above blank, as a group's continuing rows are)
    cells = prefix + [node.name] + [""] * (levels - 1 - len(prefix)) + [number(node.max), score_text(node, lang)]
    reasons = node.reasons_in(lang)
    first = [*cells, reasons[0] if reasons else ""]
    more = [[""] * (levels + 2) + [r] for r in reasons[1:]]
    return [first, *more]


def render_table(result: Result, lang: Lang = "zh", unit: str | None = None) -> str:
    """The whole result as aligned text; `unit`, the record's id, named under the rubric's name."""
    words = _WORDS[lang]
    levels = max((_depth(c) for c in result.children), default=1)
    level_names = [
        words["level"].format(_LEVELS_ZH[i] if lang == "zh" and i < len(_LEVELS_ZH) else i + 1) for i in range(levels)
    ]
    header = [*level_names, words["max"], words["score"], words["reasons"]]
    body = [row for top in result.children for row in _rows(top, 0, levels, lang, [])]
    for label, top, points, reasons in outside_rows(result, lang):  # 加分项, 扣分项: after the tree
        body.append([label, *[""] * (levels - 1), top, points, reasons[0] if reasons else ""])
        body.extend([""] * (levels + 2) + [r] for r in reasons[1:])
    cols = [max(width(r[i]) for r in [header, *body]) for i in range(len(header) - 1)]
    numeric = {levels, levels + 1}

    def line(row: list[str]) -> str:
        cells = [_pad(c, cols[i], i in numeric) for i, c in enumerate(row[:-1])]
        return "  ".join([*cells, row[-1]]).rstrip()

    rule = "─" * (sum(cols) + 2 * len(cols) + max(width(header[-1]), 8))
    named = [words["unit"].format(unit)] if unit is not None else []
    out = [result.rubric, *named, rule, line(header), rule, *(line(r) for r in body), rule]
    grade = result.grade if result.grade is not None else "—"
    out.append(f"{words['total']} {number(result.max)}  {words['score']} {digits(result.total)}  {words['grade']} {grade}")
    return "\n".join(out)

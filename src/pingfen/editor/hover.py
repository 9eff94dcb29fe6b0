"""What an editor shows on hovering over a name: an input's type, bounds and description;
a node's place in the tree, its max and its rules in the words of the published table
(a bonus, penalty or adjust row after the tree: what it is, its range, how it counts);
a `let`'s formula and the values the checker found it can take."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pingfen import ast
from pingfen.check.intervals import Interval
from pingfen.check.soundness import domain_of
from pingfen.diagnostics import Span
from pingfen.editor.index import Occurrence
from pingfen.lang import Lang
from pingfen.messages import UNIT_WORDS
from pingfen.reasons import exact, quantity
from pingfen.report.criteria import Words

_KIND_WORDS = {
    "input": ("input", "输入项"),
    "let": ("derived value (let)", "派生值（let）"),
    "group": ("group", "指标组"),
    "indicator": ("indicator", "指标"),
    "label": ("label", "选项"),
    "grade": ("grade", "评价等次"),
    "example": ("example", "示例"),
}


# A hover is a few lines: a number of more digits than this is shown to 4 significant
# digits (a `let` squared again and again has bounds of a million digits), source longer
# than _SOURCE characters is cut, and each line is at most _LINE characters.
_DIGITS, _SOURCE, _LINE = 20, 2000, 1000
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _short_number(match: re.Match[str]) -> str:
    digits = match.group()
    if len(digits) <= _DIGITS:
        return digits
    try:
        return "≈" + f"{Decimal(digits):.3E}".replace("E+", "×10^").replace("E-", "×10^-")
    except (InvalidOperation, ValueError):  # pragma: no cover - the pattern matches decimals only
        return digits[:_DIGITS] + "…"


def _bounded(line: str, *, numbers: bool = False) -> str:
    """A line of a hover cut at _LINE characters; with `numbers` (a range of values), its
    long numbers shortened first."""
    if numbers:
        line = _NUMBER.sub(_short_number, line)
    return line if len(line) <= _LINE else line[:_LINE] + "…"


def hover(module: ast.Module, text: str, o: Occurrence, lang: Lang, let_ranges: dict[str, str]) -> str | None:
    """Markdown for the name o, or None for a name the file does not declare."""
    zh = lang == "zh"
    if o.kind is None:
        return None
    head = f"**{_KIND_WORDS[o.kind][1 if zh else 0]}** `{o.text}`"
    lines = [head]
    match o.kind:
        case "input":
            decl = next(i for i in module.inputs if i.name.text == o.text)
            lines += [_code(text, decl.span), *_input(decl, zh)]
        case "let":
            let = next(v for v in module.lets if v.name.text == o.text)
            lines.append(_code(text, let.span))
            if o.text in let_ranges:
                lines.append(_bounded(("取值范围：" if zh else "values: ") + let_ranges[o.text], numbers=True))
        case "group" | "indicator":
            lines += _node(module, o.text, lang) or _outside(module, o.text, lang)
        case "label":
            owners = [i.name.text for i in module.inputs if any(lb.text == o.text for lb in i.labels)]
            lines.append(("可选值，属于 " if zh else "a choice of ") + ("、" if zh else ", ").join(f"`{n}`" for n in owners))
        case "grade" | "example":
            pass
    return "\n\n".join(line if line.startswith("```") else _bounded(line) for line in lines)


def _code(text: str, span: Span) -> str:
    code = text[span.start : min(span.end, span.start + _SOURCE + 1)].strip()
    if len(code) > _SOURCE:
        code = code[:_SOURCE] + " …"
    return "```rule\n" + code + "\n```"


def _input(decl: ast.Input, zh: bool) -> list[str]:
    kind = UNIT_WORDS[decl.type][1 if zh else 0]
    out = [f"类型：{decl.type}（{kind}）" if zh else f"type: {decl.type} ({kind})"]
    if decl.type == "label":
        out.append(("可选值：" if zh else "choices: ") + ("、" if zh else ", ").join(lb.text for lb in decl.labels))
    elif decl.type != "bool":
        out.append(_bounded(("取值范围：" if zh else "values: ") + _interval(domain_of(decl), decl.type), numbers=True))
    if decl.description:
        out.append(("说明：" if zh else "description: ") + decl.description)
    return out


def _interval(i: Interval, unit: str) -> str:
    def show(value: Decimal, infinite: str) -> str:
        return quantity(value, unit) if value.is_finite() else infinite

    return f"{'[' if i.lo_closed else '('}{show(i.lo, '-∞')}, {show(i.hi, '∞')}{']' if i.hi_closed else ')'}"


# What each row after the tree is, and how it counts (the order is the evaluator's).
_OUTSIDE_WORDS: dict[ast.OutsideKind, tuple[str, str]] = {
    "bonus": ("a bonus row (加分项), after the tree: its score is added to the total",
              "加分项，在指标树之后：得分加入总分"),
    "penalty": ("a penalty row (扣分项), after the tree: the points it loses are taken from the total",
                "扣分项，在指标树之后：所扣分数从总分中扣除"),
    "adjust": ("an adjust row (加减分项), after the tree: its signed score is added to the total",
               "加减分项，在指标树之后：得分（可正可负）计入总分"),
}  # fmt: skip


def _outside(module: ast.Module, name: str, lang: Lang) -> list[str]:
    """A bonus, penalty or adjust row: what it is, its range and its criteria as published."""
    zh = lang == "zh"
    line = next((o for o in module.outside if o.row.name.text == name), None)
    if line is None:
        return []
    row = line.row
    top = exact(row.max.value)
    span = f"{exact(row.low.value)} {'至' if zh else 'to'} +{top}" if row.low is not None else top
    out = [("类别：" if zh else "kind: ") + _OUTSIDE_WORDS[line.kind][1 if zh else 0],
           ("分值：" if zh else "max: ") + span,
           ("评分标准：" if zh else "criteria: ") + Words(module, lang).criterion(row, penalty=line.kind == "penalty")]  # fmt: skip
    if module.header is not None and module.header.cap is not None:
        cap = exact(module.header.cap.value)
        out.append(f"加分后总分不超过{cap}分" if zh else f"with the rows after the tree the total is at most {cap}")
    return out


def _node(module: ast.Module, name: str, lang: Lang) -> list[str]:
    zh = lang == "zh"
    path: list[ast.Node] = []
    for node, depth in ast.walk_nodes(module.top):
        del path[depth:]
        path.append(node)
        if node.name.text == name:
            break
    else:
        return []
    node = path[-1]
    out = [("位置：" if zh else "path: ") + " › ".join(n.name.text for n in path),
           ("分值：" if zh else "max: ") + exact(node.max.value)]  # fmt: skip
    if isinstance(node, ast.Indicator):
        words = Words(module, lang)
        out.append(("评分标准：" if zh else "criteria: ") + words.criterion(node))
        explained = words.explanation(node)
        if explained:
            out.append(("指标解释：" if zh else "definitions: ") + explained)
    else:
        out.append(("下级：" if zh else "contains: ") + ("、" if zh else ", ").join(c.name.text for c in node.children))
        rounding = Words(module, lang).group_rounding(node)
        if rounding is not None:  # `round N` on the group, as the table states it
            out.append(("计分：" if zh else "scoring: ") + rounding)
    return out

"""A result as Markdown: the rubric's own table (一级/二级/三级指标, 分值, 得分, 扣分原因),
then the total and the grade. Markdown cannot merge cells, so a group's cell is written
on its first indicator's row and left empty below, as in the terminal table."""

from __future__ import annotations

import html
import re

from pingfen.display import digits, number
from pingfen.lang import Lang
from pingfen.report.filing import Filing, colon, heading, signature_lines
from pingfen.report.layout import (
    WORDS,
    GroupCell,
    depth,
    grid,
    level_names,
    outside_rows,
    row_reasons,
    score_text,
    scored_label,
)
from pingfen.result import NodeResult, Result

# Characters that start Markdown markup anywhere in a line: emphasis, code, links and images
# (`[x](javascript:…)`, `![](http://…)`), table cells, strikethrough, and the escape itself.
_MARKUP = re.compile(r"([\\`*_\[\]|~])")


def _cell(text: str) -> str:
    """Text from a rule file or data as inert Markdown: HTML (`<script>`, `<img onerror>`,
    `<http://…>`) as entities, markup characters escaped, line breaks as `<br>`."""
    text = _MARKUP.sub(r"\\\1", html.escape(text, quote=False))
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def render_markdown(
    result: Result, lang: Lang = "zh", department: str | None = None, filing: Filing | None = None
) -> str:
    """The whole result as a Markdown document."""
    words = WORDS[lang]
    levels = depth(result.children)
    header = [*level_names(levels, lang), words["max"], words["score"], words["reasons"]]
    lines = [f"# {_cell(result.rubric)}", ""]
    for label, value in heading(filing, department, lang):  # a paragraph each
        lines += [f"{label}{colon(lang)}{_cell(value)}", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * levels + "--:|--:|---|")
    for row in grid(result.children):
        node = row.node
        assert isinstance(node, NodeResult)
        cells = [
            _cell(scored_label(c.node, lang)) if isinstance(c, GroupCell) else ""
            for c in row.levels
        ]
        reasons = "<br>".join(_cell(r) for r in row_reasons(row, lang))
        cells += [_cell(node.name), number(node.max), score_text(node, lang), reasons]
        lines.append("| " + " | ".join(cells) + " |")
    blanks = [""] * (levels - 1)
    for label, top, points, why in outside_rows(result, lang):  # 加分项, 扣分项: after the tree
        line = [_cell(label), *blanks, top, points, "<br>".join(_cell(r) for r in why)]
        lines.append("| " + " | ".join(line) + " |")
    lines.append(f"| **{words['total']}** | " + " | ".join([*blanks, f"**{number(result.max)}**",
                 f"**{digits(result.total)}**", ""]) + " |")  # fmt: skip
    grade = _cell(result.grade) if result.grade is not None else "—"
    sep = "：" if lang == "zh" else ": "
    gap = "　" if lang == "zh" else " · "
    lines += [
        "",
        f"**{words['total']}**{sep}{digits(result.total)} / {number(result.max)}{gap}**{words['grade']}**{sep}{grade}",
        "",
    ]
    if filing is not None:  # the lines to sign by hand, one paragraph
        lines += ["　　".join(f"{label}{colon(lang)}{blank}" for label, blank in signature_lines(lang)), ""]
    return "\n".join(lines)

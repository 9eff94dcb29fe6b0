"""A result as one self-contained HTML page: no network, no scripts, no fonts to fetch.

The rubric's own table with merged group cells (rowspan), the total and the grade, and
an inline SVG bar chart of each top group's score against its max. Inline CSS only,
with `@media print` rules so that the page prints on A4 as the table it is. Given a
`Filing`, the page carries the year, the unit and the evaluation date under the title,
and the lines to sign by hand below the table; text is set in 仿宋, the table in 宋体.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from pingfen.display import digits, number
from pingfen.lang import Lang
from pingfen.report.filing import FANG_CSS, SONG_CSS, Filing, colon, heading, signature_lines
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

_CSS = (
    """
:root { color-scheme: light; }
body { font-family: FANG;
       margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1f2328; line-height: 1.5; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.department { color: #57606a; margin: 0 0 1rem; }
.summary { display: flex; gap: 2rem; margin: 1rem 0; font-size: 1.1rem; }
.summary strong { font-size: 1.6rem; }
figure { margin: 1rem 0 1.5rem; }
figcaption { color: #57606a; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; font-family: SONG; }
.meta p { margin: .15rem 0; }
.signatures { display: flex; flex-wrap: wrap; gap: .5rem 2.5rem; margin: 2.5rem 0 0; break-inside: avoid; }
.signatures span { white-space: nowrap; }
th, td { border: 1px solid #8c959f; padding: .35rem .5rem; vertical-align: top; text-align: left; }
th { background: #eaeef2; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.group { font-weight: 600; background: #f6f8fa; }
td.lost { color: #cf222e; }
tr.total td { font-weight: 700; background: #eaeef2; }
ul.reasons { margin: 0; padding-left: 1.1rem; }
.bar-max { fill: #d0d7de; }
.bar-score { fill: #2f81f7; }
svg text { font-size: 13px; fill: #1f2328; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  th, td { border-color: #000; }
  th, tr.total td, td.group { background: none; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  figure { break-inside: avoid; }
  .bar-max, .bar-score { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
""".replace("FANG", FANG_CSS).replace("SONG", SONG_CSS)
)

_BAR_WIDTH = Decimal(600)
_LABEL_WIDTH = Decimal(160)
_ROW = 30


def _px(value: Decimal) -> str:
    return number(value)


def chart(result: Result, lang: Lang = "zh") -> str:
    """An inline SVG: one bar per top group, its max in grey and its score in blue. A group
    that does not apply has no blue bar and says 不适用 (N/A), as the table does, not 0."""
    tops = result.children
    widest = max((t.max for t in tops), default=Decimal(1)) or Decimal(1)
    height = _ROW * len(tops) + 10
    width = _LABEL_WIDTH + _BAR_WIDTH + 90
    title = "各一级指标得分与分值" if lang == "zh" else "score against max, per top group"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{_px(width)}" height="{height}" '
        f'viewBox="0 0 {_px(width)} {height}"><title>{escape(title)}</title>'
    ]
    for i, top in enumerate(tops):
        y = 5 + i * _ROW
        full = _BAR_WIDTH * top.max / widest
        got = (
            f'<rect class="bar-score" x="{_px(_LABEL_WIDTH)}" y="{y}" width="{_px(_BAR_WIDTH * top.score / widest)}" '
            'height="22" rx="3"/>'
            if top.applies
            else ""
        )
        parts.append(
            f'<text x="0" y="{y + 17}">{escape(top.name)}</text>'
            f'<rect class="bar-max" x="{_px(_LABEL_WIDTH)}" y="{y}" width="{_px(full)}" height="22" rx="3"/>{got}'
            f'<text x="{_px(_LABEL_WIDTH + full + 8)}" y="{y + 17}">{escape(score_text(top, lang))} / {number(top.max)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(
    result: Result, lang: Lang = "zh", department: str | None = None, filing: Filing | None = None
) -> str:
    """The whole result as one HTML document."""
    words = WORDS[lang]
    levels = depth(result.children)
    header = [*level_names(levels, lang), words["max"], words["score"], words["reasons"]]
    body = []
    for row in grid(result.children):
        node = row.node
        assert isinstance(node, NodeResult)
        cells = []
        for cell in row.levels:
            if isinstance(cell, GroupCell):
                label = escape(scored_label(cell.node, lang))
                cells.append(f'<td class="group" rowspan="{cell.rows}">{label}</td>')
            elif cell == "blank":
                cells.append("<td></td>")
        reasons = row_reasons(row, lang)
        listed = '<ul class="reasons">' + "".join(f"<li>{escape(r)}</li>" for r in reasons) + "</ul>" if reasons else ""
        lost = " lost" if node.applies and node.score < node.max else ""
        cells += [f"<td>{escape(node.name)}</td>", f'<td class="num">{number(node.max)}</td>',
                  f'<td class="num{lost}">{escape(score_text(node, lang))}</td>', f"<td>{listed}</td>"]  # fmt: skip
        body.append("<tr>" + "".join(cells) + "</tr>")
    for label, top, points, reasons in outside_rows(result, lang):  # 加分项, 扣分项: after the tree
        listed = '<ul class="reasons">' + "".join(f"<li>{escape(r)}</li>" for r in reasons) + "</ul>" if reasons else ""
        body.append(f'<tr class="outside"><td colspan="{levels}">{escape(label)}</td><td class="num">{top}</td>'
                    f'<td class="num">{points}</td><td>{listed}</td></tr>')  # fmt: skip
    grade = escape(result.grade) if result.grade is not None else "—"
    body.append(
        f'<tr class="total"><td colspan="{levels}">{words["total"]}</td><td class="num">{number(result.max)}</td>'
        f'<td class="num">{digits(result.total)}</td><td>{words["grade"]}{"：" if lang == "zh" else ": "}{grade}</td></tr>'
    )
    unit = filing.unit if filing is not None else department
    title = escape(result.rubric) + (f" — {escape(unit)}" if unit else "")
    head = heading(filing, department, lang)
    department_line = (
        '<div class="meta department">'
        + "".join(f"<p>{escape(label)}{colon(lang)}{escape(value)}</p>" for label, value in head)
        + "</div>"
        if head
        else ""
    )
    signatures = (
        '<div class="signatures">'
        + "".join(f"<span>{escape(label)}{colon(lang)}{blank}</span>" for label, blank in signature_lines(lang))
        + "</div>"
        if filing is not None
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if lang == "zh" else "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pingfen">
<title>{title}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{escape(result.rubric)}</h1>
{department_line}
<div class="summary"><div>{words["total"]} <strong>{digits(result.total)}</strong> / {number(result.max)}</div>
<div>{words["grade"]} <strong>{grade}</strong></div></div>
<figure>{chart(result, lang)}<figcaption>{"各一级指标得分（蓝）与分值（灰）" if lang == "zh" else "score (blue) against max (grey), per top group"}</figcaption></figure>
<table>
<thead><tr>{"".join(f"<th>{escape(h)}</th>" for h in header)}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
{signatures}
</body>
</html>
"""

"""The rubric itself as the official table (评分表), built from the checked file.

One row per indicator, as annex 附件2-2 lays it out: a column per level (一级/二级/三级指标,
a group's cell spanning its indicators, its 分值 in its name: 投入（15分）), 分值, 指标解释
and 评分标准 (written from the rules by `criteria`), then the total and the grades. This
module holds the table and its Markdown and HTML; `rubric_office` writes XLSX and DOCX.
Rendering only: nothing here scores.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from attrs import frozen

from pingfen import ast
from pingfen.display import number
from pingfen.lang import Lang
from pingfen.report.criteria import Words
from pingfen.report.layout import BLANK, GroupCell, LevelCell, depth, grid, group_label, level_names
from pingfen.report.markdown import _cell as markdown_cell  # one way to make text inert Markdown

if TYPE_CHECKING:
    from pingfen.evaluate.rubric import Rubric

HEADS = {
    "zh": {"max": "分值", "explanation": "指标解释", "criterion": "评分标准", "total": "总分", "grades": "评价等次",
           "year": "年度"},
    "en": {"max": "max", "explanation": "explanation", "criterion": "scoring criterion", "total": "total",
           "grades": "grades", "year": "year"},
}  # fmt: skip
# The data items below the table (指标数据说明): its heading and its columns.
DATA_HEADS = {
    "zh": ("指标数据说明", ("数据项", "类型", "取值或计算公式", "说明")),
    "en": ("data items", ("data item", "type", "values or formula", "description")),
}


@frozen
class TableRow:
    """One indicator: what each level column before its own holds (a group cell that starts
    here, `layout.COVERED` or `layout.BLANK`), its name, 分值, 指标解释 and 评分标准."""

    levels: tuple[LevelCell, ...]
    name: str
    max: Decimal
    explanation: str
    criterion: str


@frozen
class RubricTable:
    title: str
    year: int | None
    lang: Lang
    header: tuple[str, ...]  # the level columns, then 分值, 指标解释, 评分标准
    levels: int
    rows: tuple[TableRow, ...]
    total: Decimal
    grades: str  # the grades and the total's rounding, one sentence ("" when none)
    # 指标数据说明: (name, type, values or formula, description) of each input and derived value
    data: tuple[tuple[str, str, str, str], ...] = ()
    # what a group's cell says besides its 分值 (`round N` and `applies` on it), by the group's name
    notes: tuple[tuple[str, str], ...] = ()

    def group_text(self, cell: GroupCell) -> str:
        """投入（15分）: the way a table states a group's 分值 inside its name; a group that
        rounds its score or may not apply says so there too: 产出（10分，得分四舍五入保留1位小数，
        仅在有项目时适用，不适用的不得分）."""
        note = dict(self.notes).get(cell.node.name)
        if note is None:
            return group_label(cell.node, self.lang)
        top = number(cell.node.max)
        return f"{cell.node.name}（{top}分，{note}）" if self.lang == "zh" else f"{cell.node.name} ({top}; {note})"

    @property
    def heading(self) -> str:
        if self.year is None:
            return self.title
        return f"{self.title}（{self.year}年度）" if self.lang == "zh" else f"{self.title} ({self.year})"


def build_table(rubric: Rubric, lang: Lang = "zh") -> RubricTable:
    """The table of `rubric` in `lang`: every criterion written from the rules."""
    module = rubric.module
    words = Words(module, lang)
    indicators = {n.name.text: n for n, _ in ast.walk_nodes(module.top) if isinstance(n, ast.Indicator)}
    levels = depth(rubric.tree)
    heads = HEADS[lang]
    rows = []
    for row in grid(rubric.tree):
        indicator = indicators[row.node.name]
        rows.append(
            TableRow(row.levels, row.node.name, row.node.max, words.explanation(indicator), words.criterion(indicator))
        )
    sep = "：" if lang == "zh" else ": "
    for outside in module.outside:  # 加分项, 扣分项: after the tree, their name spanning the level columns
        kind = {"bonus": ("加分项", "bonus"), "penalty": ("扣分项", "penalty"), "adjust": ("加减分项", "adjust")}[outside.kind][
            0 if lang == "zh" else 1
        ]
        row_ = outside.row
        rows.append(TableRow((BLANK,) * (levels - 1), f"{kind}{sep}{row_.name.text}", row_.max.value,
                             words.explanation(row_), words.criterion(row_, penalty=outside.kind == "penalty")))  # fmt: skip
    header = module.header
    assert header is not None  # a checked rubric has its header
    return RubricTable(
        rubric.name, rubric.year, lang,
        (*level_names(levels, lang), heads["max"], heads["explanation"], heads["criterion"]),
        levels, tuple(rows), rubric.max, words.grades(header), tuple(words.data_items()),
        tuple((g.name.text, note) for g, _ in ast.walk_nodes(module.top)
              if isinstance(g, ast.Group) and (note := words.group_note(g)) is not None),
    )  # fmt: skip


# ---------------------------------------------------------------- Markdown


def render_markdown(table: RubricTable) -> str:
    """Markdown cannot merge cells: a group's cell is written on its first row, empty below."""
    heads = HEADS[table.lang]
    lines = [f"# {markdown_cell(table.heading)}", ""]
    lines.append("| " + " | ".join(table.header) + " |")
    lines.append("|" + "---|" * table.levels + "--:|---|---|")
    for row in table.rows:
        cells = [markdown_cell(table.group_text(c)) if isinstance(c, GroupCell) else "" for c in row.levels]
        cells += [markdown_cell(row.name), number(row.max), markdown_cell(row.explanation), markdown_cell(row.criterion)]
        lines.append("| " + " | ".join(cells) + " |")
    blanks = [""] * (table.levels - 1)
    lines.append(f"| **{heads['total']}** | " + " | ".join([*blanks, f"**{number(table.total)}**", "", ""]) + " |")
    if table.grades:
        sep = "：" if table.lang == "zh" else ": "
        lines += ["", f"**{heads['grades']}**{sep}{markdown_cell(table.grades)}"]
    if table.data:
        lines += ["", f"## {DATA_HEADS[table.lang][0]}", "", "| " + " | ".join(DATA_HEADS[table.lang][1]) + " |", "|---|---|---|---|"]
        lines += ["| " + " | ".join(markdown_cell(c) for c in item) + " |" for item in table.data]
    lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- HTML

# 宋体 for the table, 仿宋 for the text, with the fonts each system has; Noto CJK last, for Linux.
SONG = '"SimSun", "宋体", "Songti SC", "STSong", "Noto Serif CJK SC", "Source Han Serif SC", serif'
FANG = '"FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", "Noto Serif CJK SC", serif'

CSS = f"""
:root {{ color-scheme: light; }}
body {{ font-family: {FANG}; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #000; line-height: 1.5; }}
h1 {{ font-family: {SONG}; font-size: 1.6rem; text-align: center; margin: 0 0 1rem; }}
h2 {{ font-family: {SONG}; font-size: 1.2rem; margin: 1.5rem 0 .5rem; }}
table {{ border-collapse: collapse; width: 100%; font-family: {SONG}; font-size: 10.5pt; }}
th, td {{ border: 1px solid #000; padding: .3rem .45rem; vertical-align: middle; }}
th {{ font-weight: 700; text-align: center; background: #f2f2f2; }}
td.level {{ text-align: center; }}
td.num {{ text-align: center; white-space: nowrap; }}
td.text {{ text-align: left; }}
tr.total td {{ font-weight: 700; }}
p.grades {{ margin: 1rem 0; }}
@media print {{
  @page {{ size: A4 landscape; margin: 15mm 12mm; }}
  body {{ margin: 0; max-width: none; padding: 0; }}
  th {{ background: none; }}
  thead {{ display: table-header-group; }}
  tr {{ break-inside: avoid; page-break-inside: avoid; }}
}}
"""


def render_html(table: RubricTable) -> str:
    """One self-contained page: the table with merged group cells, its header repeated on
    every printed page, then the grades. Every text escaped."""
    heads = HEADS[table.lang]
    body = []
    for row in table.rows:
        cells = []
        for cell in row.levels:
            if isinstance(cell, GroupCell):
                cells.append(f'<td class="level" rowspan="{cell.rows}">{escape(table.group_text(cell))}</td>')
        blanks = sum(cell == "blank" for cell in row.levels)  # the name spans the levels it has no group in
        span = f' colspan="{blanks + 1}"' if blanks else ""
        cells += [f'<td class="level"{span}>{escape(row.name)}</td>', f'<td class="num">{number(row.max)}</td>',
                  f'<td class="text">{escape(row.explanation)}</td>', f'<td class="text">{escape(row.criterion)}</td>']  # fmt: skip
        body.append("<tr>" + "".join(cells) + "</tr>")
    body.append(f'<tr class="total"><td class="level" colspan="{table.levels}">{escape(heads["total"])}</td>'
                f'<td class="num">{number(table.total)}</td><td></td><td></td></tr>')  # fmt: skip
    sep = "：" if table.lang == "zh" else ": "
    grades = f'<p class="grades"><strong>{escape(heads["grades"])}</strong>{sep}{escape(table.grades)}</p>' if table.grades else ""
    if table.data:  # the data items: what each criterion's names stand for
        rows = "".join("<tr>" + "".join(f'<td class="text">{escape(c)}</td>' for c in item) + "</tr>" for item in table.data)
        grades += (f'\n<h2>{escape(DATA_HEADS[table.lang][0])}</h2>\n<table class="data"><thead><tr>'
                   + "".join(f"<th>{escape(h)}</th>" for h in DATA_HEADS[table.lang][1]) + f"</tr></thead><tbody>{rows}</tbody></table>")
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if table.lang == "zh" else "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pingfen">
<title>{escape(table.heading)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{escape(table.heading)}</h1>
<table>
<thead><tr>{"".join(f"<th>{escape(h)}</th>" for h in table.header)}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
{grades}
</body>
</html>
"""

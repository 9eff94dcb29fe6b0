"""A result as an XLSX workbook in the layout of annex 附件2-2: a title, the header
一级/二级/三级指标, 分值, 得分, 扣分原因, one indicator per row with each group's cell
merged over its rows, then the total and the grade. Given a `Filing`: the year, unit and
evaluation date under the title and the lines to sign below; always 宋体, A4, the header
row printed on every page, one page wide."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from pingfen.io.write import atomic_path, no_formulas, worksheet
from pingfen.lang import Lang
from pingfen.report.filing import SONG, Filing, colon, heading, signature_lines, xml_safe
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
    sheet_number,
    total_format,
)
from pingfen.result import NodeResult, Result


def write_xlsx(
    result: Result, path: str | Path, lang: Lang = "zh", department: str | None = None, filing: Filing | None = None
) -> None:
    """Write the report workbook to `path`, atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    words = WORDS[lang]
    levels = depth(result.children)
    header = [*level_names(levels, lang), words["max"], words["score"], words["reasons"]]
    width = len(header)
    book = Workbook()
    sheet = worksheet(book)
    sheet.title = "评分表" if lang == "zh" else "scores"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    sheet.append([result.rubric])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font, sheet.cell(1, 1).alignment = Font(bold=True, size=14), centre
    for label, value in heading(filing, department, lang):
        sheet.append([xml_safe(f"{label}{colon(lang)}{value}")])  # an id or --unit may hold a control character
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
    sheet.append(header)
    head_row = sheet.max_row
    for cell in sheet[head_row]:
        cell.font, cell.alignment = Font(bold=True), centre
        cell.fill = PatternFill("solid", fgColor="D9D9D9")

    merges: list[tuple[int, int, int]] = []
    for grid_row in grid(result.children):
        node = grid_row.node
        assert isinstance(node, NodeResult)
        line: list[str | Decimal | None] = [None] * width
        for column, level in enumerate(grid_row.levels):
            if isinstance(level, GroupCell):
                line[column] = scored_label(level.node, lang)
        score, shape = sheet_number(node.score) if node.applies else (score_text(node, lang), "General")
        line[levels - 1 : width] = [node.name, node.max, score, "\n".join(row_reasons(grid_row, lang)) or None]
        sheet.append(line)
        row = sheet.max_row
        sheet.cell(row, levels + 2).number_format = shape  # the places the other reports print
        for column, level in enumerate(grid_row.levels, start=1):
            if isinstance(level, GroupCell):
                sheet.cell(row, column).alignment = centre
                merges.append((row, column, level.rows))
    first_body, last_body = head_row + 1, sheet.max_row
    for row, column, rows in merges:  # merged after appending: a merge moves `append`'s next row
        if rows > 1:
            sheet.merge_cells(start_row=row, start_column=column, end_row=row + rows - 1, end_column=column)

    for label, top, points, reasons in outside_rows(result, lang):  # 加分项, 扣分项: after the tree
        sheet.append([label, *[None] * (levels - 1), top, points, "\n".join(reasons) or None])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=levels)
    total: list[str | Decimal | None] = [words["total"], *[None] * (levels - 1), result.max, result.total, None]
    sheet.append(total)
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=levels)
    sheet.cell(sheet.max_row, levels + 2).number_format = total_format(result.total)
    grade = [words["grade"], *[None] * (levels - 1), result.grade or "—"]
    sheet.append(grade)
    sheet.merge_cells(start_row=sheet.max_row, start_column=levels + 1, end_row=sheet.max_row, end_column=width)
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=levels)
    for row in (sheet.max_row - 1, sheet.max_row):
        for column in range(1, width + 1):
            sheet.cell(row, column).font = Font(bold=True)
        sheet.cell(row, 1).alignment = centre

    table_end = sheet.max_row
    if filing is not None:  # the lines to sign by hand, two to a row, below a blank row
        signs = [f"{label}{colon(lang)}{blank}" for label, blank in signature_lines(lang)]
        sheet.append([])
        for pair in (signs[:2], signs[2:]):
            sheet.append([pair[0], *[None] * (levels - 1), pair[1]])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=levels)
            sheet.merge_cells(start_row=sheet.max_row, start_column=levels + 1, end_row=sheet.max_row, end_column=width)
    for row_cells in sheet.iter_rows(max_col=width):  # 宋体 throughout, keeping each cell's weight and size
        for cell in row_cells:
            cell.font = Font(name=SONG, bold=cell.font.b, size=cell.font.sz)
    for number, cells in enumerate(sheet.iter_rows(min_row=head_row, max_row=table_end, max_col=width), head_row):
        for cell in cells:
            cell.border = border
            if first_body <= number <= last_body and cell.alignment != centre:
                cell.alignment = wrap
    for column in range(1, levels + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 22
    sheet.column_dimensions[get_column_letter(levels + 1)].width = 8
    sheet.column_dimensions[get_column_letter(levels + 2)].width = 8
    sheet.column_dimensions[get_column_letter(width)].width = 60
    sheet.freeze_panes = sheet.cell(head_row + 1, 1).coordinate
    sheet.print_title_rows = f"{head_row}:{head_row}"
    save_a4_wide(book, sheet, path)


def save_a4_wide(book: Any, sheet: Any, path: str | Path) -> None:
    """Print the sheet on A4 landscape, one page wide; then write the book atomically, its
    cells neutralised (no formulas)."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    properties = sheet.sheet_properties
    if properties.pageSetUpPr is None:  # openpyxl always makes one; its stubs allow none
        properties.pageSetUpPr = PageSetupProperties()
    properties.pageSetUpPr.fitToPage = True
    with atomic_path(path) as tmp:
        no_formulas(book)
        book.save(tmp)

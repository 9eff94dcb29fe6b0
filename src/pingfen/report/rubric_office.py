"""The rubric table (`rubric_table.RubricTable`) as an XLSX workbook and a Word document.

Both keep the layout a table importer reads back: one header row (一级/二级/三级指标, 分值,
指标解释, 评分标准), one row per indicator, each group's cell merged over its indicators with
its 分值 in its name, then the total row; the grades below. Both print on A4 landscape with
the header row repeated on every page. Writes are atomic (`io.write.atomic_path`), and every
workbook cell goes through the formula-neutralising writer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pingfen.io.write import atomic_path, worksheet
from pingfen.reasons import exact
from pingfen.report.layout import BLANK, GroupCell, LevelCell
from pingfen.report.rubric_table import DATA_HEADS, HEADS, RubricTable
from pingfen.report.xlsx import save_a4_wide

if TYPE_CHECKING:
    from docx.table import _Cell

SONG, FANG = "宋体", "仿宋"  # the fonts of official tables; Word substitutes where they are missing


def write_xlsx(table: RubricTable, path: str | Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    heads = HEADS[table.lang]
    width = len(table.header)
    book = Workbook()
    sheet = worksheet(book)
    sheet.title = "评分表" if table.lang == "zh" else "rubric"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    font = Font(name=SONG, size=10.5)

    sheet.append([table.heading])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font, sheet.cell(1, 1).alignment = Font(name=SONG, bold=True, size=16), centre
    sheet.row_dimensions[1].height = 30
    sheet.append(list(table.header))
    head_row = sheet.max_row
    for cell in sheet[head_row]:
        cell.font, cell.alignment = Font(name=SONG, bold=True, size=10.5), centre
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    merges: list[tuple[int, int, int]] = []
    names: list[tuple[int, int]] = []  # (row, first column) of a name merged across the levels it lacks
    for row in table.rows:
        line: list[object] = [table.group_text(c) if isinstance(c, GroupCell) else None for c in row.levels]
        line += [row.name, row.max, row.explanation or None, row.criterion]
        start = name_start(row.levels)
        if start < len(row.levels):
            line[start], line[len(row.levels)] = row.name, None
        sheet.append(line)
        at = sheet.max_row
        merges += [(at, column, c.rows) for column, c in enumerate(row.levels, 1) if isinstance(c, GroupCell)]
        if start < len(row.levels):
            names.append((at, start + 1))
    last_body = sheet.max_row
    for at, column, rows in merges:  # merged after appending: a merge moves `append`'s next row
        if rows > 1:
            sheet.merge_cells(start_row=at, start_column=column, end_row=at + rows - 1, end_column=column)
    for at, column in names:
        sheet.merge_cells(start_row=at, start_column=column, end_row=at, end_column=table.levels)
    sheet.append([heads["total"], *[None] * (table.levels - 1), table.total])
    total_row = sheet.max_row
    sheet.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=table.levels)
    for number, cells in enumerate(sheet.iter_rows(min_row=head_row + 1, max_row=total_row, max_col=width), head_row + 1):
        for column, cell in enumerate(cells, 1):
            cell.border = border
            cell.font = Font(name=SONG, size=10.5, bold=number == total_row)
            cell.alignment = left if column > table.levels + 1 and number <= last_body else centre
    for cell in sheet[head_row]:
        cell.border = border
    if table.grades:
        sheet.append([f"{heads['grades']}{'：' if table.lang == 'zh' else ': '}{table.grades}"])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
        sheet.cell(sheet.max_row, 1).font, sheet.cell(sheet.max_row, 1).alignment = font, left
        sheet.row_dimensions[sheet.max_row].height = 32
    if table.data:  # 指标数据说明: a titled block of four columns below the grades
        heading, columns = DATA_HEADS[table.lang]
        sheet.append([])
        sheet.append([heading])
        sheet.cell(sheet.max_row, 1).font = Font(name=SONG, bold=True, size=12)
        sheet.append(list(columns))
        for cell in sheet[sheet.max_row]:
            cell.font, cell.alignment, cell.border = Font(name=SONG, bold=True, size=10.5), centre, border
        for item in table.data:
            sheet.append([text or None for text in item])
            for cell in sheet[sheet.max_row][:4]:
                cell.font, cell.alignment, cell.border = font, left, border
    for column in range(1, table.levels + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 18
    sheet.column_dimensions[get_column_letter(table.levels + 1)].width = 7
    sheet.column_dimensions[get_column_letter(table.levels + 2)].width = 30
    sheet.column_dimensions[get_column_letter(width)].width = 60
    sheet.freeze_panes = sheet.cell(head_row + 1, 1).coordinate
    sheet.print_title_rows = f"{head_row}:{head_row}"
    save_a4_wide(book, sheet, path)


def write_docx(table: RubricTable, path: str | Path) -> None:
    """A real Word table: merged group cells, the header row repeated on each page, 宋体 in
    the table and 仿宋 in the text, each set as the East Asian font too."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    heads = HEADS[table.lang]
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)  # A4 landscape
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(1.8)
    normal = document.styles["Normal"]
    _fonts(normal.element, FANG)
    normal.font.size = Pt(12)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(table.heading)
    run.bold = True
    run.font.size = Pt(16)
    _fonts(run._element, SONG)

    grid = document.add_table(rows=1 + len(table.rows) + 1, cols=len(table.header))
    grid.style = "Table Grid"
    header_row = grid.rows[0]
    flag = OxmlElement("w:tblHeader")  # repeat this row at the top of every page
    flag.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(flag)
    for cell, text in zip(header_row.cells, table.header, strict=True):
        _write(cell, text, bold=True, centre=True)
    widths = [Cm(3.0)] * table.levels + [Cm(1.4), Cm(5.5), Cm(11.0)]
    for index, row in enumerate(table.rows, start=1):
        cells = grid.rows[index].cells
        for column, level in enumerate(row.levels):
            if isinstance(level, GroupCell):
                target = cells[column]
                if level.rows > 1:
                    target = target.merge(grid.cell(index + level.rows - 1, column))
                _write(target, table.group_text(level), centre=True)
        name_column = table.levels - 1
        start = name_start(row.levels)
        name_cell = cells[start].merge(cells[name_column]) if start < name_column else cells[name_column]
        _write(name_cell, row.name, centre=True)
        _write(cells[name_column + 1], exact(row.max), centre=True)
        _write(cells[name_column + 2], row.explanation)
        _write(cells[name_column + 3], row.criterion)
    last = grid.rows[len(table.rows) + 1].cells
    total = last[0].merge(last[table.levels - 1]) if table.levels > 1 else last[0]
    _write(total, heads["total"], bold=True, centre=True)
    _write(last[table.levels], exact(table.total), bold=True, centre=True)
    for row_cells in grid.rows:
        for column, cell in enumerate(row_cells.cells):
            cell.width = widths[column]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if table.grades:
        paragraph = document.add_paragraph()
        lead = paragraph.add_run(f"{heads['grades']}{'：' if table.lang == 'zh' else ': '}")
        lead.bold = True
        paragraph.add_run(table.grades)
        for piece in paragraph.runs:
            _fonts(piece._element, FANG)
    if table.data:  # 指标数据说明: a second table, after its heading
        heading, columns = DATA_HEADS[table.lang]
        title_run = document.add_paragraph().add_run(heading)
        title_run.bold = True
        _fonts(title_run._element, SONG)
        items = document.add_table(rows=1 + len(table.data), cols=4)
        items.style = "Table Grid"
        for cell, text in zip(items.rows[0].cells, columns, strict=True):
            _write(cell, text, bold=True, centre=True)
        for index, item in enumerate(table.data, start=1):
            for cell, text in zip(items.rows[index].cells, item, strict=True):
                _write(cell, text)
    with atomic_path(path) as tmp:
        document.save(tmp)  # type: ignore[arg-type]  # typed as str, but it hands the path to zipfile, which takes a Path


def name_start(levels: tuple[LevelCell, ...]) -> int:
    """The column an indicator's name starts in: an indicator above the deepest level has its
    name merged across the level columns it has no group in, as tables lay it out, so that a
    blank level cell always means "the group above goes on"."""
    start = len(levels)
    while start > 0 and levels[start - 1] == BLANK:
        start -= 1
    return start


def _write(cell: _Cell, text: str, *, bold: bool = False, centre: bool = False) -> None:
    """A cell's text in 宋体, 10.5pt (五号); a merged cell is written once, after merging."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:  # a merge leaves one empty paragraph per merged cell
        extra._element.getparent().remove(extra._element)
    paragraph.text = ""
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(10.5)
    _fonts(run._element, SONG)
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _fonts(element: Any, name: str) -> None:
    """Set every font slot of a run or a style, East Asian included: python-docx's `font.name`
    sets the Latin slots only, and Word then shows Chinese in its default font."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = element.get_or_add_rPr()  # a run's <w:r> and a style's <w:style> both have one
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)

"""A result as a Word document to file: the title, the year, unit and evaluation date, the
rubric's table in the layout of annex 附件2-2 (a group's cell merged down over its
indicators, the header row repeated on every page), the total and grade, and the lines to
sign by hand. A4 portrait; the table in 宋体, the text in 仿宋, set as East-Asian fonts so
that Word and WPS use them for Chinese characters.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pingfen.display import number
from pingfen.io.write import atomic_path
from pingfen.lang import Lang
from pingfen.report.filing import FANG, SONG, Filing, colon, heading, signature_lines, xml_safe
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

if TYPE_CHECKING:  # python-docx is imported only when a document is written
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

def _font(run: Run, name: str, *, size: float | None = None, bold: bool = False) -> None:
    """Set `name` for Latin and East-Asian text alike (python-docx sets only the Latin one)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.bold = bold or None
    if size is not None:
        run.font.size = Pt(size)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _write(paragraph: Paragraph, text: str, font: str, *, size: float | None = None, bold: bool = False) -> None:
    lines = xml_safe(text).split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        _font(run, font, size=size, bold=bold)
        if i < len(lines) - 1:
            run.add_break()


def _cell(cell: _Cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = cell.paragraphs[0]
    _write(paragraph, text, SONG, size=10.5, bold=bold)  # 五号
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def write_docx(
    result: Result, path: str | Path, lang: Lang = "zh", department: str | None = None, filing: Filing | None = None
) -> None:
    """Write the report document to `path`, atomically."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    words = WORDS[lang]
    levels = depth(result.children)
    header = [*level_names(levels, lang), words["max"], words["score"], words["reasons"]]
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    normal = document.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    normal.set(qn("w:eastAsia"), FANG)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _write(title, result.rubric, SONG, size=16, bold=True)  # 三号
    for label, value in heading(filing, department, lang):
        _write(document.add_paragraph(), f"{label}{colon(lang)}{value}", FANG, size=14)  # 四号

    rows = grid(result.children)
    extra = outside_rows(result, lang)  # 加分项, 扣分项: after the tree
    table = document.add_table(rows=1 + len(rows) + len(extra) + 2, cols=len(header))
    table.style = "Table Grid"
    head = table.rows[0]
    marker = OxmlElement("w:tblHeader")  # repeat this row at the top of every page
    marker.set(qn("w:val"), "true")
    head._tr.get_or_add_trPr().append(marker)
    for column, text in enumerate(header):
        _cell(head.cells[column], text, bold=True)
        head.cells[column].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, grid_row in enumerate(rows, start=1):
        node = grid_row.node
        assert isinstance(node, NodeResult)
        cells = table.rows[index].cells
        for column, level in enumerate(grid_row.levels):
            if isinstance(level, GroupCell):
                if level.rows > 1:
                    cells[column].merge(table.rows[index + level.rows - 1].cells[column])
                cells[column].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                _cell(cells[column], scored_label(level.node, lang))
        _cell(cells[levels - 1], node.name)
        _cell(cells[levels], number(node.max), right=True)
        _cell(cells[levels + 1], score_text(node, lang), right=True)
        _cell(cells[levels + 2], "\n".join(row_reasons(grid_row, lang)))
    for index, (label, top, points, reasons) in enumerate(extra, start=1 + len(rows)):
        cells = table.rows[index].cells
        cells[0].merge(cells[levels - 1])
        _cell(cells[0], label)
        _cell(cells[levels], top, right=True)
        _cell(cells[levels + 1], points, right=True)
        _cell(cells[levels + 2], "\n".join(reasons))
    total, grade = table.rows[-2].cells, table.rows[-1].cells
    total[0].merge(total[levels - 1])
    _cell(total[0], words["total"], bold=True)
    _cell(total[levels], number(result.max), bold=True, right=True)
    _cell(total[levels + 1], str(result.total), bold=True, right=True)
    grade[0].merge(grade[levels - 1])
    grade[levels].merge(grade[levels + 2])
    _cell(grade[0], words["grade"], bold=True)
    _cell(grade[levels], result.grade or "—", bold=True)

    if filing is not None:  # the lines to sign by hand, two to a line
        document.add_paragraph()
        signs = [f"{label}{colon(lang)}{blank}" for label, blank in signature_lines(lang)]
        for pair in (signs[:2], signs[2:]):
            _write(document.add_paragraph(), "　　".join(pair), FANG, size=14)
    with atomic_path(path) as temporary:
        tmp = str(temporary)  # python-docx is typed for a str path
        document.save(tmp)

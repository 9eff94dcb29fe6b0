"""The summary workbook of a batch of reports (汇总.xlsx): one row per unit — rank, unit,
total, grade, each 一级指标's score, the report's file, and the error that kept a unit from
being scored — then, on a second sheet, how many units got each grade, as a bar chart."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from attrs import frozen

from pingfen.display import number
from pingfen.io.write import atomic_path, no_formulas, worksheet
from pingfen.lang import Lang
from pingfen.report.filing import SONG, xml_safe
from pingfen.report.layout import sheet_number, total_format


@frozen
class UnitLine:
    """One unit of the batch: scored (total, grade, rank, top scores) or refused (error). A top
    group that does not apply has 不适用 (N/A) for its score."""

    unit: str
    file: str | None
    total: Decimal | None
    grade: str | None
    rank: int | None
    tops: tuple[Decimal | str, ...] = ()
    error: str | None = None


_WORDS = {
    "zh": {"sheet": "汇总", "rank": "排名", "unit": "单位", "total": "总分", "grade": "评价等次", "file": "报告文件",
           "error": "错误", "grades": "等次分布", "count": "单位数", "chart": "评价等次分布", "none": "未评分"},
    "en": {"sheet": "summary", "rank": "rank", "unit": "unit", "total": "total", "grade": "grade", "file": "report",
           "error": "error", "grades": "grades", "count": "units", "chart": "units per grade", "none": "not scored"},
}  # fmt: skip


def write_summary(
    lines: Sequence[UnitLine], title: str, tops: Sequence[tuple[str, Decimal]], grades: Sequence[str],
    path: str | Path, lang: Lang = "zh",
) -> None:  # fmt: skip
    """Write the summary to `path`, atomically: `tops` are the 一级指标 (name, max) in rubric
    order, `grades` the rubric's grades, best first; lines come ranked, refused ones last."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    words = _WORDS[lang]
    book = Workbook()
    sheet = worksheet(book)
    sheet.title = words["sheet"]
    top_heads = [f"{name}（{number(m)}分）" if lang == "zh" else f"{name} ({number(m)})" for name, m in tops]
    header = [words["rank"], words["unit"], words["total"], words["grade"], *top_heads, words["file"], words["error"]]
    sheet.append([xml_safe(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for line in lines:
        # each number with the places the reports print: 2.995, not 3.00; a total as rounded
        cells: list[tuple[Decimal | str | None, str | None]] = [(v, None) if isinstance(v, str) else sheet_number(v)
                                                                 for v in line.tops] or [(None, None)] * len(tops)
        sheet.append([line.rank, xml_safe(line.unit), line.total, line.grade, *(v for v, _ in cells),
                      line.file, xml_safe(line.error) if line.error else None])  # fmt: skip
        row = sheet.max_row
        if line.total is not None:
            sheet.cell(row, 3).number_format = total_format(line.total)
        for column, (value, shape) in enumerate(cells, start=5):
            if shape is not None:
                sheet.cell(row, column).number_format = shape
            elif value is not None:  # 不适用, in a column of scores
                sheet.cell(row, column).alignment = Alignment(horizontal="right")
    for row_cells in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=len(header)):
        for cell in row_cells:
            row_number = cell.row or 0  # openpyxl types it optional; a cell of a sheet has one
            cell.font = Font(name=SONG, bold=row_number <= 2, size=14 if row_number == 1 else 11)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.column_dimensions["B"].width = 24
    for column in range(5, 5 + len(tops)):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.column_dimensions[get_column_letter(len(header) - 1)].width = 24
    sheet.column_dimensions[get_column_letter(len(header))].width = 60
    sheet.freeze_panes = "C3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4

    counts = book.create_sheet(words["grades"])
    counts.append([words["grade"], words["count"]])
    for grade in grades:
        counts.append([grade, sum(line.grade == grade for line in lines)])
    refused = sum(line.error is not None for line in lines)
    chart = BarChart()
    chart.type, chart.style, chart.title = "col", 10, words["chart"]
    chart.y_axis.title, chart.x_axis.title = words["count"], words["grade"]
    chart.legend = None
    chart.add_data(Reference(counts, min_col=2, min_row=1, max_row=1 + len(grades)), titles_from_data=True)
    chart.set_categories(Reference(counts, min_col=1, min_row=2, max_row=1 + len(grades)))
    counts.add_chart(chart, "D2")
    if refused:  # listed, not charted: the chart is of grades
        counts.append([])
        counts.append([words["none"], refused])
    with atomic_path(path) as tmp:
        no_formulas(book)
        book.save(tmp)

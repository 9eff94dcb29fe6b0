"""The annex 附件2-2 table of docs/reference-2021.md as staff keep it: an XLSX and a DOCX
with 3 levels of 指标 in merged cells, a 分值 column, the 评分标准 as printed, a self-score
column the importer must ignore, a title above and a 总分 row below. Built in the tests
from the page's own text, so nothing outside the repository is read."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = ("一级指标", "二级指标", "三级指标", "评分\n标准", "分值", "自评得分")  # a stray line break in a heading
TITLE = "附件2-2 部门整体支出绩效评价评分表（2021年）"


def annex_rows() -> list[list[str]]:
    """The 25 indicator rows and the 总分 row as the page prints them; "" where the table
    merges the cell with the one above ("(as above)", the blank levels, the shared 15)."""
    text = (ROOT / "docs" / "reference-2021.md").read_text(encoding="utf-8")
    section = text.split("## Annex 附件2-2", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| 一级指标") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[3] == "(as above)":
            cells[3] = ""
        cells[4] = cells[4].split(" ")[0]  # "15 (the three together)"
        rows.append(cells)
    assert len(rows) == 26, len(rows)
    return rows


def with_variants(rows: list[list[str]]) -> list[list[str]]:
    """Line breaks inside cells, as typed in Word and Excel."""
    out = [list(r) for r in rows]
    out[0][3] = out[0][3].replace("；", "；\n")  # 财政供养人员控制率
    out[2][3] = out[2][3].replace("，计4分", "，\n计4分")  # 重点支出安排率
    return out


def merges(rows: list[list[str]], column: int) -> list[tuple[int, int]]:
    """(first, last) row indexes of the runs to merge in a column: a cell and the blanks below it."""
    runs, start = [], None
    for i, row in enumerate(rows):
        if row[column] or row[0] == "总分":
            if start is not None and i - 1 > start:
                runs.append((start, i - 1))
            start = i if row[0] != "总分" else None
    if start is not None and len(rows) - 1 > start:
        runs.append((start, len(rows) - 1))
    return runs


def build_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    rows = with_variants(annex_rows())
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(list(HEADER))
    for row in rows:
        cells: list[object] = list(row)
        for i in (4,):
            if row[i]:
                cells[i] = float(row[i]) if "." in row[i] else int(row[i])
        sheet.append(cells)
    for column in (0, 1, 3, 4):
        for first, last in merges(rows, column):
            sheet.merge_cells(start_row=first + 3, start_column=column + 1, end_row=last + 3, end_column=column + 1)
    book.save(path)
    return path


def build_docx(path: Path) -> Path:
    import docx

    rows = with_variants(annex_rows())
    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=len(rows) + 1, cols=len(HEADER))
    for c, head in enumerate(HEADER):
        table.cell(0, c).text = head
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    for column in (0, 1, 3, 4):
        for first, last in merges(rows, column):
            top = table.cell(first + 1, column)
            text = top.text
            merged = top.merge(table.cell(last + 1, column))
            merged.text = text  # merging joins the texts of the cells: keep the first
    document.save(str(path))
    return path

"""`pingfen import`: last year's 评分表 (XLSX or DOCX) as a draft `.rule` file.

The table is read as staff keep it: 2 to 4 levels of 指标 in merged cells, 分值 in its own
column or in the name (预算执行（15分）), 评分标准 and 指标解释 columns found by their header
words. Each 评分标准 is read by `phrases`; the original text stays as a comment above its
rule, and a row nothing reads becomes a `judgment` under a `# TODO` comment, which
`pingfen check` lists (PF119). Both readers are bounded: a DOCX is a zip, and its parts'
sizes are checked before anything is unpacked, as for XLSX.
"""

from __future__ import annotations

import errno
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import define, evolve, field, frozen

from pingfen.errors import DataError, Problem
from pingfen.gradeline import GradeLine, read_grade_line, states_grades
from pingfen.io.bounds import TooBig, details
from pingfen.io.tables import MAX_XLSX_MEMBERS, MAX_XLSX_RATIO, refuse_unregular, shown_sheet, xlsx_errors
from pingfen.lang import Lang
from pingfen.oserrors import reason
from pingfen.phrases import (
    NOTES_EN,
    InputDecl,
    Reading,
    name_text,
    normalise,
    one_line,
    plain,
    read_criterion,
    string_text,
    unread,
)
from pingfen.stated import DATA_HEAD, Known, applies_line, read_items, read_stated, rounded, says_applies
from pingfen.terminal import without_invisible

if TYPE_CHECKING:
    from openpyxl import Workbook

    from pingfen.diagnostics import Diagnostic

# A rubric table is a page or two: these bounds are far above any real one.
MAX_TABLE_BYTES = 50 * 1024 * 1024  # what the file may unpack to
MAX_TABLE_ROWS = 2000
MAX_TABLE_COLUMNS = 50
_CHUNK = 1024 * 1024


@frozen
class RowReport:
    """How one indicator row was read: its table row, name, the reading's kind, and whether
    a rule was recognised (else it is a `judgment` marked TODO). The grades are reported too
    when the table states none or states grades that are not read (kind `grades`, `detail`
    the line's text or empty): the draft then has the usual grades under a TODO. So is a
    一票否决 not read (kind `veto`), one naming a grade the draft lacks (`veto_grade`), a
    row with a 分值 and no name (`unnamed`), one whose 分值 cell holds no number of points
    (`points`, `detail` its text: a date, -3; `unnamed_points` with no name either), a 总分 cell
    that holds none either (`total`: the draft's total is the rows' points added up, under a
    TODO), and a total whose rounding the table does not state (`rounding`: the draft's
    `round total 2 half_up` is under a TODO)."""

    row: int
    indicator: str
    kind: str
    recognised: bool
    detail: str = ""
    detail_en: str = ""  # the detail in English, where it is words
    outside: str = ""  # "penalty" or "adjust": a row after the tree, left empty rather than a judgment

    def said(self, lang: Lang) -> str:
        """Why the row is left to a person, as the summary says it."""
        detail = self.detail_en if lang == "en" and self.detail_en else self.detail
        instead_zh, instead_en = _LEFT.get(self.outside, _LEFT[""])
        shown = detail if len(detail) <= 60 or self.kind == "draft" else detail[:59] + "…"
        if self.kind == "hidden_row":
            return (f"  第 {self.row} 行是隐藏行，已照常导入：{self.indicator}；如该指标已不再使用，请在草稿中删去它" if lang == "zh"
                    else f"  row {self.row} is hidden in Excel and was imported as any other: {self.indicator}; "
                    "if the indicator is no longer used, delete it from the draft")  # fmt: skip
        if self.kind == "hidden_read":
            return (f"  第 {self.row} 行（{self.indicator}）是隐藏行，已照常读取" if lang == "zh"
                    else f"  row {self.row} ({self.indicator}) is hidden in Excel and was read as any other")  # fmt: skip
        if self.kind == "hidden_column":
            return (f"  第 {self.indicator} 列（{shown}）是隐藏列，已照常读取" if lang == "zh"
                    else f"  column {self.indicator} ({shown}) is hidden in Excel and was read as any other")  # fmt: skip
        if self.kind == "grades" and not detail:
            return ("  评价等次：评分表未写明，暂按通用的划分写入，已标 TODO" if lang == "zh" else
                    "  grades: the table states none, the usual grades written, marked TODO")  # fmt: skip
        if self.kind == "grades":
            return (f"  评价等次：未能识别“{shown}”，暂按通用的划分写入，已标 TODO" if lang == "zh" else
                    f"  grades: “{shown}” not recognised, the usual grades written, marked TODO")  # fmt: skip
        if self.kind == "total":
            return (f"  第 {self.row} 行 总分：分值单元格为“{shown}”，不是分值，暂按各行分值之和写入，已标 TODO" if lang == "zh"
                    else f"  row {self.row} 总分: its 分值 cell holds “{shown}”, not a number of points: the rows' points "
                    "added up for now, marked TODO")  # fmt: skip
        if self.kind == "rounding":
            return ("  保留位数：评分表未写明，暂按总分四舍五入保留 2 位小数写入，已标 TODO" if lang == "zh" else
                    "  rounding: the table states none, the total rounded half up to 2 places written, marked TODO")  # fmt: skip
        if self.kind == "veto":
            return (f"  一票否决：未能识别“{shown}”，未写入否决规则，已标 TODO" if lang == "zh" else
                    f"  veto: “{shown}” not recognised, no veto written, marked TODO")  # fmt: skip
        if self.kind == "veto_grade":
            return (f"  一票否决：等次“{self.indicator}”不是草稿的评价等次，已标 TODO" if lang == "zh" else
                    f"  veto: the grade “{self.indicator}” is not one of the draft's grades, marked TODO")  # fmt: skip
        if self.kind == "unnamed":
            return (f"  第 {self.row} 行：有分值 {shown} 分，但没有指标名称，{instead_zh}" if lang == "zh"
                    else f"  row {self.row}: a 分值 of {shown} but no indicator name, {instead_en}")  # fmt: skip
        if self.kind == "unnamed_points":
            return (f"  第 {self.row} 行：没有指标名称，分值单元格为“{shown}”，不是分值（不小于 0 的数），暂记 0 分，{instead_zh}"
                    if lang == "zh" else f"  row {self.row}: no indicator name, and its 分值 cell holds “{shown}”, not a "
                    f"number of points (0 or more): 0 points for now, {instead_en}")  # fmt: skip
        if self.kind == "formula":
            return (f"  第 {self.row} 行 {self.indicator}：分值单元格 {shown}是没有保存计算结果的公式，已标 TODO"
                    "（请在 Excel 中打开并保存后重新导入）" if lang == "zh" else
                    f"  row {self.row} {self.indicator}: its 分值 cell {shown.replace('（', ' (').replace('）', ')')} is a "
                    "formula with no saved result, "
                    "marked TODO (open and save the file in Excel, then import it again)")  # fmt: skip
        if self.kind == "points":
            return (f"  第 {self.row} 行 {self.indicator}：分值单元格为“{shown}”，不是分值（不小于 0 的数），暂记 0 分，已标 TODO"
                    if lang == "zh" else f"  row {self.row} {self.indicator}: its 分值 cell holds “{shown}”, not a number "
                    "of points (0 or more): 0 points for now, marked TODO")  # fmt: skip
        if self.kind == "draft":
            return (f"  草稿未通过检查（{shown}），请按 `pingfen check` 的提示修改" if lang == "zh" else
                    f"  the draft fails the checks ({shown}): see `pingfen check`")  # fmt: skip
        if self.kind == "checked":
            return (f"  第 {self.row} 行 {self.indicator}：识别出的规则未通过检查（{shown}），已标 TODO" if lang == "zh"
                    else f"  row {self.row} {self.indicator}: the rule read fails the checks ({shown}), marked TODO")  # fmt: skip
        if lang == "zh":
            return f"  第 {self.row} 行 {self.indicator}：未能识别，{instead_zh}"
        return f"  row {self.row} {self.indicator}: not recognised, {instead_en}"


# What a row not read is written as, by its kind, as the summary says it: a judgment, but a
# penalty row (deductions only, PF220) and an adjust row are left empty, taking nothing.
_LEFT = {"": ("暂写为评价分（judgment），已标 TODO", "written as a judgment marked TODO"),
         "penalty": ("暂不扣分，已标 TODO", "nothing taken for now, marked TODO"),
         "adjust": ("暂不加减分，已标 TODO", "nothing added or taken for now, marked TODO")}  # fmt: skip


@frozen
class Imported:
    """An imported table: the draft rule text, how each indicator row was read, and what was read
    that Excel hides (`hidden`: a hidden row read into an indicator, kind `hidden_row`, naming it;
    one read for no indicator, `hidden_read`, naming what it holds (总分, the grades line); a
    hidden column the table is read from, `hidden_column`), said by `summary` though recognised."""

    text: str
    rows: tuple[RowReport, ...]
    hidden: tuple[RowReport, ...] = ()

    @property
    def recognised(self) -> int:
        return sum(r.recognised for r in self.rows)

    def summary(self, lang: Lang = "zh") -> list[str]:
        """What share of the rows was recognised, which were not, and what was read that Excel hides."""
        total = len(self.rows)
        share = f"{100 * self.recognised / total:.0f}%" if total else "—"
        if lang == "zh":
            lines = [f"已识别 {self.recognised}/{total} 行评分标准（{share}）"]
        else:
            lines = [f"recognised {self.recognised} of {total} rows' criteria ({share})"]
        return lines + [r.said(lang) for r in self.rows if not r.recognised] + [r.said(lang) for r in self.hidden]


def import_table(path: str | Path, lang: Lang = "zh") -> Imported:
    """Read a rubric table (.xlsx or .docx) into draft rule text, its comments in `lang` (the
    table's own text quoted as it is). Raises DataError: PF508 when the file cannot be read or
    holds no rubric table, PF511 for another format."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():  # a folder: said so, as eval says it, not "must be .xlsx or .docx"
        raise _folder(path)
    hidden = Hidden()
    if suffix == ".xlsx":
        title, grid, hidden = _xlsx_grid(path)
        end = len(grid)
    elif suffix == ".docx":  # a Word table hides no row or column
        title, grid, end = _docx_grid(path)
    else:
        raise DataError([Problem("PF511", None, {"path": str(path), "what": "rubric table", "what_zh": "评分表",
                                                 "formats": ".xlsx, .docx"})])  # fmt: skip
    return _Builder(path, title, grid, end, lang, hidden).build()


# ---------------------------------------------------------------- reading the grid


def _shown(text: str) -> str:
    """A cell's text as it shows: no invisible characters, no spaces around it."""
    return without_invisible(text).strip()


@frozen
class Cell:
    """A cell's text and where its merged range starts (its own place when not merged); and
    its formula when Excel never saved a result for it (a file written by a program, not
    opened and saved in Excel since), whose text is then empty. The text is as it shows: a
    table pasted from a web page brings zero-width spaces and BOMs (`重点支出\\u200b安排率`),
    which would make a name `pingfen check` refuses (PF007)."""

    text: str = field(converter=_shown)
    origin: tuple[int, int]
    formula: str = ""


Grid = list[list[Cell]]


@frozen
class Hidden:
    """The rows and columns of a sheet that Excel hides, by their index in the grid (from 0). A
    hidden row is often an indicator the staff took out: it is imported all the same, never lost
    without a word, and said to be hidden, in the summary and above its rule in the draft."""

    rows: frozenset[int] = frozenset()
    columns: frozenset[int] = frozenset()


def _unreadable(path: Path, en: str, zh: str, hint: tuple[str, dict[str, object]] | None = None) -> DataError:
    args = {"path": str(path), **details(TooBig(en, zh)), **(hint[1] if hint else {})}
    return DataError([Problem("PF508", None, args, hint[0] if hint else None)])


def _folder(path: Path) -> DataError:
    """PF508 for a folder given as the table: the system's reason, and the tables in it named,
    as PF010 names the rule files of a folder given as a rule file."""
    from pingfen.loader import files_listed

    args = {"path": str(path), **details(IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path)))}
    tables = files_listed(str(path), (".xlsx", ".docx"))
    return DataError([Problem("PF508", None, args | tables, "table_files" if tables else None)])


def _check_archive(path: Path) -> None:
    """Refuse a zip bomb from the directory alone, before any part is unpacked (and a device or
    a pipe, which is no zip to seek in, before it is read)."""
    refuse_unregular(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except OSError as error:  # the system's reason alone, in both languages
        raise _unreadable(path, reason(error, "en"), reason(error, "zh")) from None
    except (zipfile.BadZipFile, ValueError):  # an old .doc or .xls, or any file, under a new name
        kind = path.suffix.lower()
        raise _unreadable(path, f"it is not a {kind} file (a zip archive): an older format saved under this name?",
                          f"不是 {kind} 文件（应为 zip 压缩包）：是否为改了扩展名的旧格式文件？") from None  # fmt: skip
    mb = MAX_TABLE_BYTES // (1024 * 1024)
    if len(members) > MAX_XLSX_MEMBERS or sum(m.file_size for m in members) > MAX_TABLE_BYTES:
        raise _unreadable(path, f"the file would unpack to more than {mb} MB or {MAX_XLSX_MEMBERS} parts",
                          f"文件解压后超过 {mb} MB 或 {MAX_XLSX_MEMBERS} 个组成部分")  # fmt: skip
    for m in members:
        if m.file_size > _CHUNK and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1):
            raise _unreadable(path, f"`{m.filename[:60]}` is packed more than {MAX_XLSX_RATIO}-fold, as a zip bomb is",
                              f"`{m.filename[:60]}` 压缩比超过 {MAX_XLSX_RATIO} 倍（疑为“压缩炸弹”）")  # fmt: skip


def _too_large(path: Path) -> DataError:
    return _unreadable(path, f"the table has more than {MAX_TABLE_ROWS} rows or {MAX_TABLE_COLUMNS} columns",
                       f"表格超过 {MAX_TABLE_ROWS} 行或 {MAX_TABLE_COLUMNS} 列")  # fmt: skip


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):  # the number Excel shows: its shortest form, never the binary one
        return plain(Decimal(repr(value)))
    return str(value).strip()


def _xlsx_grid(path: Path) -> tuple[str, Grid, Hidden]:
    """The cells of the sheet Excel shows (`shown_sheet`: a hidden one, of last year's table
    say, is passed over), merged ranges filled from their first cell; the sheet's title; and
    the rows and columns it hides, read as any other (`Hidden`)."""
    import openpyxl

    _check_archive(path)
    with xlsx_errors(path):
        # Not read-only: merged ranges are known only to a full worksheet; the archive is bounded above.
        book = openpyxl.load_workbook(path, data_only=True)
        if not book.worksheets:
            raise _no_table(path, [])
        shown = shown_sheet(book)
        sheet = book.worksheets[shown]
        rows, columns = _used(sheet)
        if rows > MAX_TABLE_ROWS or columns > MAX_TABLE_COLUMNS:
            raise _too_large(path)
        values = [[_cell_text(v) for v in row] for row in sheet.iter_rows(max_row=rows, max_col=columns, values_only=True)] if rows else []
        formulas = _unsaved_formulas(path, shown, values)
        grid = [[Cell(v, (r, c), formulas.get((r, c), "")) for c, v in enumerate(row)] for r, row in enumerate(values)]
        for merged in sheet.merged_cells.ranges:
            top, left = merged.min_row - 1, merged.min_col - 1
            for r in range(top, min(merged.max_row, rows)):
                for c in range(left, min(merged.max_col, columns)):
                    grid[r][c] = Cell(grid[top][left].text, (top, left), grid[top][left].formula)
        if _header(grid) is None and (others := _table_sheets(book, shown)):
            raise _no_table(path, [grid], others)
        # hidden, or of no height (ht="0" customHeight): either way Excel shows nothing of it
        hidden_rows = frozenset(r - 1 for r, d in sheet.row_dimensions.items()
                                if (d.hidden or (d.customHeight and d.ht == 0)) and 1 <= r <= rows)  # fmt: skip
        hidden_columns = frozenset(c - 1 for d in sheet.column_dimensions.values() if d.hidden and d.min and d.max
                                   for c in range(d.min, min(d.max, columns) + 1))  # fmt: skip
        return "", grid, Hidden(hidden_rows, hidden_columns)


def _used(sheet: Any) -> tuple[int, int]:
    """The rows and columns a sheet's table takes: to its last cell with a value and the end of
    each merged range that starts within them. Excel's own extent (`max_row`) counts cells only
    formatted too — borders drawn down to row 12,000, one bold cell in column 60 — which are no
    table, and were refused as one past the limits."""
    filled = [key for key, cell in sheet._cells.items() if cell.value is not None and cell.value != ""]  # openpyxl keeps the cells it read by (row, column)
    rows = max((r for r, _ in filled), default=0)
    columns = max((c for _, c in filled), default=0)
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= rows and merged.min_col <= columns:
            rows, columns = max(rows, merged.max_row), max(columns, merged.max_col)
    return rows, columns


def _table_sheets(book: Workbook, shown: int) -> list[str]:
    """The other visible worksheets whose first rows head a rubric table: the table, in a workbook
    saved showing another sheet (a 填表说明 first, say). Their names are the hint, as eval's PF531 gives one."""
    found = []
    for index, sheet in enumerate(book.worksheets):
        if index == shown or sheet.sheet_state != "visible":
            continue
        rows = sheet.iter_rows(max_row=20, max_col=min(sheet.max_column, MAX_TABLE_COLUMNS), values_only=True)
        if _header([[Cell(_cell_text(v), (r, c)) for c, v in enumerate(row)] for r, row in enumerate(rows)]):
            found.append(f"`{sheet.title}`")
    return found


def _unsaved_formulas(path: Path, index: int, values: list[list[str]]) -> dict[tuple[int, int], str]:
    """The formulas of the cells that have no saved result (their value read empty), by place."""
    import openpyxl

    found: dict[tuple[int, int], str] = {}
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        rows = book.worksheets[index].iter_rows(max_row=len(values), max_col=max(map(len, values), default=1), values_only=True)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                text = value if isinstance(value, str) else getattr(value, "text", None)  # an array formula's
                if isinstance(text, str) and text.startswith("=") and c < len(values[r]) and not values[r][c]:
                    found[(r, c)] = text
    finally:
        book.close()
    return found


# What python-docx's errors on a bad file mean to the person who chose it.
_DOCX_WHY = {
    "KeyError": ("the archive holds no Word document", "压缩包中没有 Word 文档内容"),
    "BadZipFile": ("it is not a .docx archive: a .doc saved under this name?", "不是 .docx 压缩包：是否为改了扩展名的 .doc？"),
    "PackageNotFoundError": ("it is not a .docx archive: a .doc saved under this name?", "不是 .docx 压缩包：是否为改了扩展名的 .doc？"),
    "XMLSyntaxError": ("its XML is damaged", "其中的 XML 已损坏"),
    "ValueError": ("it is not a Word document: another kind of Office file?", "不是 Word 文档：是否为其他类型的 Office 文件？"),
}


def _docx_grid(path: Path) -> tuple[str, Grid, int]:
    """The first table holding rubric headers, vertical and horizontal merges resolved
    (`_docx_table`), with the tables that go on with it (`_continued`), then the paragraphs
    after it (the grades line among them) as rows, and how many rows are the table's; the
    title is the last paragraph before the table that is not an annex's label (附件2-2) or a
    unit line."""
    import docx

    _check_archive(path)
    try:
        document = docx.Document(str(path))
    except Exception as error:  # noqa: BLE001 - python-docx and lxml raise many kinds on a bad file
        en, zh = _DOCX_WHY.get(type(error).__name__, (type(error).__name__, type(error).__name__))
        raise _unreadable(path, f"not a readable .docx document ({en})", f"不是可读取的 .docx 文档（{zh}）") from None
    for table in document.tables:
        grid = _docx_table(path, table)
        columns = len(grid[0]) if grid else 0
        if (found := _header(grid)) is not None:
            before, _ = _paragraphs_around(document, table)
            header = [[normalise(c.text) for c in row] for row in grid[: found.header + 1]]
            for more, part in _continued(path, document, table, header, found):  # the same table, split over a page
                retyped = 1 if _retyped(part, found) else 0  # 分值（分） for 分值: the header all the same
                skip = next((k for k, row in enumerate(part) if k >= retyped and [normalise(c.text) for c in row] not in header), len(part))
                shift = len(grid) - skip  # its header repeated is left out; its cells' places follow on
                grid += [[evolve(c, origin=(c.origin[0] + shift, c.origin[1])) for c in row] for row in part[skip:]]
                if len(grid) > MAX_TABLE_ROWS:
                    raise _too_large(path)
                table = more
            _, after = _paragraphs_around(document, table)
            title = next((text for text in reversed(before) if not _NOT_TITLE.match(normalise(text))), "")
            notes = [[Cell(text, (0, 0)), *[Cell("", (0, 0))] * (columns - 1)] for text in after]
            return title, grid + notes + _docx_items(path, document.tables, table, columns), len(grid)
    raise _no_table(path, [_docx_table(path, table) for table in document.tables])


# A 分值 cell that holds no points of its own (normalised: — and － read as -): empty, a dash
# or slash, 同上 (as above), 续/（续） (goes on).
_NO_POINTS = re.compile(r"(?:[-/]*|同上|[(]?续[)]?)")

# A label between the two parts of a table split over pages: 续表, 续表1, （续）.
_GOES_ON = re.compile(r"^(?:[(]?续表?\d*[)]?|[(]?续[)]?)[:]?$")


def _continued(path: Path, document: Any, table: Any, header: list[list[str]], columns: Columns) -> list[tuple[Any, Grid]]:
    """The tables that go on with `table`, each with its grid: each following it with nothing
    between but blank paragraphs (a page break) or a 续表 label, as wide, and starting as a part
    of it would (`_goes_on`). A table staff split over two pages, or pasted in two parts, is one table: its
    second part's rows were lost without a word."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    found: list[tuple[Any, Grid]] = []
    after = labelled = False
    for element in document.element.body.iterchildren():
        if element is table._tbl:
            after = True
        elif not after:
            continue
        elif element.tag.endswith("}p"):
            text = normalise(_shown(Paragraph(element, document).text))
            if text and not _GOES_ON.match(text):
                break
            labelled = labelled or bool(text)
        elif element.tag.endswith("}tbl"):
            more = Table(element, document)
            part = _docx_table(path, more)
            if not part or len(part[0]) != len(header[0]) or not _goes_on(part, header, columns, labelled):
                break
            found.append((more, part))
            labelled = False
    return found


def _retyped(part: Grid, columns: Columns) -> bool:
    """Whether a part starts with the rubric's header typed again a little otherwise (分值（分）
    for 分值, 评分要点 for 评分标准): a header `_header` reads there, with the rubric's 分值 column
    and as many level columns."""
    found = _header(part[:1])
    return found is not None and found.points == columns.points and len(found.levels) == len(columns.levels)


def _goes_on(part: Grid, header: list[list[str]], columns: Columns, labelled: bool) -> bool:
    """Whether a table as wide as the rubric's, right after it, is its next page: its header
    repeated (or typed again a little otherwise, `_retyped`), a 续表 label before it, or a first
    row a rubric row may be — not another table's header (指标数据说明's 数据项 | 类型, or any row
    `_header` reads), and in the 分值 column a number or nothing (a signature table's 评分人 is none)."""
    first = [normalise(c.text) for c in part[0]]
    if first in header or labelled or _retyped(part, columns):
        return True
    if tuple(first[:2]) == DATA_HEAD or _header(part[:1]) is not None:
        return False
    points = columns.points
    return points is None or not first[points] or _points(first[points]) is not None


def _paragraphs_around(document: Any, table: Any) -> tuple[list[str], list[str]]:
    """The text of the document's paragraphs before a table and after it, in order, blank ones left out."""
    from docx.text.paragraph import Paragraph

    before: list[str] = []
    after: list[str] = []
    side = before
    for element in document.element.body.iterchildren():
        if element is table._tbl:
            side = after
        elif element.tag.endswith("}p"):
            text = _shown(Paragraph(element, document).text)
            if text:
                side.append(text)
    return before, after


def _docx_table(path: Path, table: Any) -> Grid:
    """A Word table's cells by row and grid column. A cell spanning columns (gridSpan) is the
    same cell in each, one merged down (vMerge) is the cell above it; a row that starts late or
    ends early (gridBefore, gridAfter: Word writes them, and a row may just have fewer cells)
    has empty cells there, each its own. A merged cell's text is read once (`_once`)."""
    from docx.table import _Cell

    rows = table._tbl.tr_lst
    if len(rows) > MAX_TABLE_ROWS:
        raise _too_large(path)
    grid: Grid = []
    for r, tr in enumerate(rows):
        before = tr.grid_before
        if before > MAX_TABLE_COLUMNS:
            raise _too_large(path)
        line = [Cell("", (r, c)) for c in range(before)]
        for tc in tr.tc_lst:
            c, span = len(line), max(tc.grid_span, 1)
            if c + span > MAX_TABLE_COLUMNS:
                raise _too_large(path)
            above = grid[r - 1][c] if r and c < len(grid[r - 1]) else None
            if tc.vMerge == "continue" and above is not None:
                line.extend([above] * span)
            else:
                text = _Cell(tc, table).text.strip()
                merged = span > 1 or tc.vMerge == "restart"
                line.extend([Cell(_once(text) if merged else text, (r, c))] * span)
        grid.append(line)
    width = max([len(table._tbl.tblGrid.gridCol_lst), *(len(line) for line in grid)])
    if width > MAX_TABLE_COLUMNS:
        raise _too_large(path)
    for r, line in enumerate(grid):
        line.extend(Cell("", (r, c)) for c in range(len(line), width))
    return grid


def _once(text: str) -> str:
    """A merged Word cell's text, read once: merging keeps every merged cell's paragraphs (Word's
    merge and python-docx's), so cells that each held 投入 hold 投入, 投入 — read as 投入投入. The
    paragraphs repeated whole (a block of them, as often as it goes) are read as one block."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for size in range(1, len(lines) // 2 + 1):
        if len(lines) % size == 0 and lines == lines[:size] * (len(lines) // size):
            return "\n".join(lines[:size])
    return text


def _docx_items(path: Path, tables: list[Any], rubric: Any, width: int) -> Grid:
    """The rows of the 指标数据说明 table after the rubric's (render writes one), as grid rows
    below the rubric's own, where an XLSX sheet has them: a cell merged across columns in its
    first column alone, as a sheet's merged cell is (python-docx gives it in each column, so a
    取值 merged with its 说明 was read as the description too)."""
    after = False
    for table in tables:
        if table._tbl is rubric._tbl:
            after = True
            continue
        if not after or len(table.rows) > MAX_TABLE_ROWS or len(table.columns) > MAX_TABLE_COLUMNS:
            continue
        rows = [[cell.text if c == 0 or cell.origin != line[c - 1].origin else "" for c, cell in enumerate(line)]
                for line in _docx_table(path, table)]  # fmt: skip
        if rows and tuple(normalise(c) for c in rows[0][:2]) == DATA_HEAD:
            return [[Cell(text, (0, 0)) for text in [*row, *[""] * width][:max(width, len(row))]] for row in rows]
    return []


def _no_table(path: Path, grids: list[Grid], sheets: Sequence[str] = ()) -> DataError:
    if any(_ENGLISH_HEAD <= {c.text.lower() for c in row} for grid in grids for row in grid[:20]):
        return _unreadable(path, "the table is in English, as `pingfen render --lang en` writes it: import reads "
                           "a table in Chinese (一级指标, 分值, 评分标准); render it again without --lang en",
                           "表格为英文（`pingfen render --lang en` 所写）：导入只读取中文表格（一级指标、分值、"
                           "评分标准），请不加 --lang en 重新生成")  # fmt: skip
    return _unreadable(path, "no rubric table: no row heads 指标 columns and a 分值 or 评分标准 column",
                       "找不到评分表：没有一行表头同时含有“指标”列和“分值”或“评分标准”列",
                       ("table_sheet" if len(sheets) == 1 else "table_sheets", {"sheets": ", ".join(sheets), "sheets_zh": "、".join(sheets)})
                       if sheets else None)  # fmt: skip


# The header of a table `pingfen render --lang en` wrote (report/rubric_table.py HEADS): the
# reader knows only the Chinese one, and says so rather than "no rubric table".
_ENGLISH_HEAD = {"level 1", "max", "scoring criterion"}


# ---------------------------------------------------------------- the header


@frozen
class Columns:
    header: int  # the header's row
    levels: tuple[int, ...]  # 一级, 二级, 三级 … 指标, outermost first
    points: int | None
    criterion: int | None
    explanation: int | None


_CRITERION = re.compile(r"评分标准|评分细则|评分方法|评分办法|计分方法|考核标准|评价标准|评分规则")
_POINTS_HEAD = re.compile(r"分值|权重|标准分|满分")
_EXPLAIN = re.compile(r"指标解释|指标说明|指标内涵|解释|说明")
_LEVEL = re.compile(r"[一二三四五]级|指标")
_NOT_LEVEL = re.compile(r"解释|说明|内涵|标准|分值|权重|得分|方法|细则|依据|来源|原因")


def _header(grid: Grid) -> Columns | None:
    for r, row in enumerate(grid[:20]):
        heads = [normalise(c.text) for c in row]
        points = next((i for i, h in enumerate(heads) if _POINTS_HEAD.search(h) and "得分" not in h), None)
        criterion = next((i for i, h in enumerate(heads) if _CRITERION.search(h)), None)
        explain = next((i for i, h in enumerate(heads) if i != criterion and _EXPLAIN.search(h)), None)
        levels = _levels(grid, r)
        if levels and (points is not None or criterion is not None):
            # a header over two rows: 指标 merged across the level columns, 一级/二级/三级指标 below it
            below = _levels(grid, r + 1) if r + 1 < len(grid) else []
            if len(below) > len(levels) and all(grid[r + 1][i].origin[0] == r + 1 for i in below):
                return Columns(r + 1, tuple(below), points, criterion, explain)
            return Columns(r, tuple(levels), points, criterion, explain)
    return None


def _levels(grid: Grid, r: int) -> list[int]:
    """The level columns a row heads: 一级指标, 二级指标 … (a heading merged across columns counts once)."""
    row = grid[r]
    heads = [normalise(c.text) for c in row]
    levels = [i for i, h in enumerate(heads) if _LEVEL.search(h) and not _NOT_LEVEL.search(h)]
    return [i for i in levels if row[i].origin == (r, i)]


# ---------------------------------------------------------------- the tree


_CENT = Decimal("0.01")  # a share of points that no decimal holds is split in cents


@define
class Node:
    name: str
    points: Decimal | None
    row: int = 0
    children: list[Node] = field(factory=list)
    criterion: str = ""
    explanation: str = ""
    notes: list[str] = field(factory=list)
    reading: Reading | None = None
    origin: tuple[int, int] = (0, 0)
    rounding: str | None = None  # a group's `round N MODE`, as render puts it beside its points
    applies: str | None = None  # when a group applies, in render's words beside its points (read later)
    text: str = ""  # its cell's text, as written
    formula: str = ""  # its 分值 cell and formula, when Excel never saved the formula's result
    odd_points: str = ""  # its 分值 cell's text, when that is no number of points (a date, -3)
    refused: str = ""  # the check's error on the rule read, when it refused it
    refused_rules: tuple[str, ...] = ()  # that rule
    unnamed: bool = False  # a row with a 分值 of its own and no name: a judgment under a placeholder name
    hidden_rows: list[int] = field(factory=list)  # its rows (from 1) that Excel hides, said above its rule
    read: list[int] = field(factory=list)  # the grid rows its name, criterion or explanation were read from

    @property
    def indicator(self) -> bool:
        return not self.children

    def total(self) -> Decimal:
        if self.points is not None:
            return self.points
        return sum((c.total() for c in self.children), Decimal(0))


# The rows a table counts outside its total: 加分项 added to it, 扣分项 taken from it.
_OUTSIDE_KIND = {"加分项": "bonus", "加分": "bonus", "加分指标": "bonus", "扣分项": "penalty", "扣分": "penalty",
                 "扣分指标": "penalty", "加减分项": "adjust", "加减分": "adjust"}  # fmt: skip
# 本项目不涉及政府采购的，该项按满分计算 (不得分, 按适用分值折算): a row that may not apply.
_APPLIES_MODE = {"按满分计算": "full", "计满分": "full", "得满分": "full", "不得分": "zero", "按适用分值折算": "rescale",
                 "不计入": "rescale"}  # fmt: skip
_NOT_APPLICABLE = re.compile(
    r"^(?:本项目|项目|本单位|单位)?(?P<what>不涉及|未涉及|未开展|没有|无)(?P<thing>[^，,；;。的]+)的[，,]"
    rf"(?:该项|本项|此项)?(?:不适用[，,])?(?P<mode>{'|'.join(_APPLIES_MODE)})[；;。，,]?(?P<rest>.*)$", re.S
)
_PENDING = re.compile(r"自行制定|另行制定|尚未制定")
_OUTSIDE_ROW = re.compile(r"^(?P<kind>加分项|扣分项|加减分项)[:：](?P<name>.+)$")
_ADJUST_LOW = re.compile(r"合计在(?P<low>-\d+(?:\.\d+)?)至")  # 加减分项: the most it takes, as render says it
_NAME_POINTS = re.compile(r"^(?P<name>.+?)\(?(?P<n>\d+(?:\.\d+)?)分\)?$")
_NAME_POINTS_KEPT = re.compile(r"^(?P<name>.+?)[(（](?P<n>\d+(?:\.\d+)?)分[)）]$")
_TOTAL_ROW = re.compile(r"^(?:总分|合计|总计|分值合计)$")
# Text above a table that is no title: an annex's label (附件2-2, 附件：), a unit or date line.
_NOT_TITLE = re.compile(r"^(?:附件\d{0,2}(?:[-.]\d{1,2})*:?|[(]?(?:单位|金额单位|计量单位|填报单位|评价单位|填表单位|填表日期|日期):.*)$")
# A note below a table: 注：, 说明：, 备注, 填表说明, 评价等次/评价结果 (the grades line).
_NOTE = re.compile(r"^(?:注|说明|备注|附注|填表说明|填报说明|评价等次|评价结果|等次|等级)")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_USUAL_GRADES = ("优秀", "良好", "中", "差")  # the grades a draft is given when the table's are not read


_GROUP_NOTE = re.compile(r"(?P<head>.+?\d+(?:\.\d+)?分)[，,](?P<said>.+)(?P<close>[)）])")
_GROUP_ROUNDING = re.compile(r"得分\S*?保留\d+位小数")


def _group_notes(text: str) -> tuple[str, str | None, str | None]:
    """产出（10分，得分四舍五入保留1位小数，仅在有项目时适用，不适用的不得分） → (产出（10分）,
    `round 1 half_up`, 仅在有项目时适用，不适用的不得分): a group's rounding and when it applies, as
    render writes them beside its points (the second read once the data items are known);
    any other text as it is, with neither."""
    found = _GROUP_NOTE.fullmatch(text.strip())
    if found is None:
        return text, None, None
    said, line = found["said"], None
    if (rounding := _GROUP_ROUNDING.match(said)) is not None:
        line = rounded(rounding.group())
        said = said[rounding.end() :]
        if line is None or (said and said[0] not in "，,"):
            return text, None, None
        said = said[1:]
    if said and not says_applies(said):
        return text, None, None
    return found["head"] + found["close"], line, said or None


def _split_points(text: str) -> tuple[str, Decimal | None]:
    """预算执行（15分） → (预算执行, 15); a name without points → (name, None)."""
    found = _NAME_POINTS_KEPT.match(_clean_name(text))  # the name as written, spaces between words kept
    if found is not None:
        return found["name"], Decimal(found["n"])
    clean = normalise(text)
    found = _NAME_POINTS.match(clean)
    if found is None:
        return _clean_name(text), None
    return _clean_name(found["name"]), Decimal(found["n"])


def _clean_name(text: str) -> str:
    """A name as the table prints it: a line break inside it (a cell's wrapping) and a space
    between Chinese characters dropped; a space between other words kept (`a b`)."""
    text = re.sub(r"\s*\n\s*", "", text.strip())
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    return re.sub(r"\s+", " ", text)


def _points(text: str) -> Decimal | None:
    """A 分值 cell's points: a plain number of 0 or more, full-width, spaced or with 分 as
    staff type it (１０, 10 分); None for anything else, never its first digits: a date
    (2021-03-05) is no 2021 points, nor -3 three."""
    found = _POINTS_CELL.fullmatch(normalise(text))
    return Decimal(found.group(1)) if found is not None else None


# 5, 5分, (5分), (5), 5(分), 5分。 — a number of points as staff type it, brackets and a full stop
# about it (normalise has made full-width ones plain); nothing else about the number.
_POINTS_CELL = re.compile(r"\(?(\d+(?:\.\d+)?)(?:分|\(分\))?\)?[。.]?")


class _Builder:
    def __init__(self, path: Path, title: str, grid: Grid, end: int, lang: Lang = "zh", hidden: Hidden | None = None) -> None:
        self.path, self.title, self.grid, self.end = path, title, grid, end  # rows up to `end` are the table's
        self.hidden = hidden or Hidden()
        self.hidden_columns: list[RowReport] = []  # the hidden columns read, said at the draft's head too
        self.lang = lang  # the language of the draft's comments
        self.roots: list[Node] = []
        self.total: Decimal | None = None
        self.unread_total = ""  # the 总分 row's 分值 cell, when it holds no number of points
        self.total_row = 0  # the 总分 row's number, where the table has one
        self.inputs: list[InputDecl] = []
        self.input_names: set[str] = set()
        self.node_names: set[str] = set()
        self.known = Known()  # the data items a table render made states (指标数据说明)
        self.closed = len(grid)  # the first row after the indicators: the total row, a note, the table's end
        self.outside: list[tuple[str, Node]] = []  # 加分项 and 扣分项 rows: ("bonus" | "penalty", row)
        self.stated = GradeLine()  # the grades line below the table, as read
        self.unread_grades = ""  # its text, when it states grades that are not read
        self.unread_vetoes: list[tuple[int, str]] = []  # the row and text of each 一票否决 not read

    def _say(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def build(self) -> Imported:
        columns = _header(self.grid)
        if columns is None:
            raise _no_table(self.path, [self.grid])
        above = [c.text for row in self.grid[: columns.header] for c in row if c.text]
        # a sheet's title is the text above its header, less an annex's label (附件2-2) on its own line
        self.title = self.title or next((t for t in above if not _NOT_TITLE.match(normalise(t))), "")
        self._tree(columns)
        self._split_shared_points(columns)
        self._unique_names(self.roots, None)
        self._take_outside()
        self.known = self._items(columns) or Known()
        self.inputs = list(self.known.inputs)
        declared = set(self.known.names)
        reports: list[RowReport] = []
        penalties = {id(node) for kind, node in self.outside if kind == "penalty"}
        adjusts = {id(node) for kind, node in self.outside if kind == "adjust"}
        tree = {id(leaf) for leaf in self._leaves(self.roots)}  # an outside row has no 不适用

        def empty(leaf: Node) -> str:  # a row left empty when not read, not a judgment
            return "penalty" if id(leaf) in penalties else "adjust" if id(leaf) in adjusts else ""

        for leaf in [*self._leaves(self.roots), *(node for _, node in self.outside)]:
            if leaf.formula:  # its 分值 a formula Excel never computed: no max to read the rules against
                leaf.reading = (Reading("todo", (), ()) if id(leaf) in penalties or id(leaf) in adjusts else
                                unread(leaf.name, leaf.total(), self._namer))  # fmt: skip
                declared |= {i.name for i in leaf.reading.inputs}
                self.input_names |= declared
                reports.append(RowReport(leaf.row + 1, leaf.name, "formula", False, leaf.formula))
                continue
            if leaf.odd_points:  # its 分值 no number of points: no max to read the rules against either
                leaf.reading = (Reading("todo", (), ()) if id(leaf) in penalties or id(leaf) in adjusts else
                                unread(leaf.name, leaf.total(), self._namer))  # fmt: skip
                declared |= {i.name for i in leaf.reading.inputs}
                self.input_names |= declared
                kind = "unnamed_points" if leaf.unnamed else "points"  # no name either: said with its row and cell
                reports.append(RowReport(leaf.row + 1, leaf.name, kind, False, leaf.odd_points, outside=empty(leaf)))
                continue
            if leaf.unnamed:  # no name: whatever its criterion says, a person names it and writes its rule
                leaf.reading = (Reading("todo", (), ()) if id(leaf) in penalties or id(leaf) in adjusts else
                                unread(leaf.name, leaf.total(), self._namer))  # fmt: skip
                declared |= {i.name for i in leaf.reading.inputs}
                self.input_names |= declared
                reports.append(RowReport(leaf.row + 1, leaf.name, "unnamed", False, plain(leaf.total()), outside=empty(leaf)))
                continue
            # 本项目不涉及政府采购的，该项按满分计算；涉及的，…: the row's 不适用, then the rest read as usual
            absent = _NOT_APPLICABLE.match(leaf.criterion.strip()) if id(leaf) in tree else None
            criterion = re.sub(r"^(?:涉及|开展|有)的[，,]", "", absent["rest"]) if absent else leaf.criterion
            # render's own wording first, read whole on the names its 指标数据说明 declares
            reading = read_stated(criterion, leaf.name, leaf.total(), self.known, adjust=id(leaf) in adjusts,
                                  penalty=id(leaf) in penalties)  # fmt: skip
            if absent is None and id(leaf) in tree and _PENDING.search(criterion) and not re.search(r"\d", criterion):
                reading = Reading("pending", (), ())  # 由各省自行制定: no criteria yet, so no score (PF542)
            if reading is None and id(leaf) in adjusts:
                reading = Reading("todo", (), ())  # a 加减分项 in other words than render's: left to a person
            if reading is None:
                reading = read_criterion(criterion, leaf.name, leaf.total(), self._namer)
            if absent is not None:
                reading = self._applies(absent, reading)
            if id(leaf) in penalties and not all(rule.startswith("deduct ") for rule in reading.rules):
                reading = Reading("todo", (), ())  # a 扣分项 holds deductions only (PF220): left to a person
            leaf.reading = reading
            declared |= {i.name for i in reading.inputs}
            self.input_names |= declared  # a name a later row wishes for is then told apart
            reports.append(RowReport(leaf.row + 1, leaf.name, reading.kind, reading.recognised, outside=empty(leaf)))
        self._declare_inputs()
        if self.unread_total:  # the rows' points added up for a total: a guess, left to a person
            reports.append(RowReport(self.total_row, "总分", "total", False, self.unread_total))
        self.stated, unread_line = self._grade_line()
        if unread_line is not None and not self.stated.grades:  # grades the table states, not read: left to a person
            self.unread_grades = unread_line[1]
            reports.append(RowReport(unread_line[0], "评价等次", "grades", False, unread_line[1]))
        elif not self.stated.grades and not self.stated.none:  # no grades stated: the usual ones are a guess, left to a person too
            reports.append(RowReport(0, "评价等次", "grades", False))
        if self.stated.places is None:  # no rounding stated: `round total 2 half_up` is a guess, left to a person too
            reports.append(RowReport(0, "保留位数", "rounding", False))
        self.unread_vetoes = list(dict.fromkeys(self.unread_vetoes))
        reports.extend(RowReport(r, "一票否决", "veto", False, text) for r, text in self.unread_vetoes)
        graded = {grade for grade, _, _ in self.stated.grades} if self.stated.grades or self.stated.none else set(_USUAL_GRADES)
        reports.extend(RowReport(0, grade, "veto_grade", False, veto)
                       for veto, grade in self.stated.vetoes if grade is not None and grade not in graded)  # fmt: skip
        hidden = self._hidden(columns)  # before the text: each indicator's hidden rows are said above its rule
        return Imported(self._checked(columns, reports), tuple(reports), hidden)

    def _hidden(self, columns: Columns) -> tuple[RowReport, ...]:
        """The hidden rows read, each with the indicator it was read into (only a row `_fill`
        read for it: never the 总分 row or a note below), or on a line of its own (the 总分 row,
        the grades line, a group's row); and the hidden columns the table is read from."""
        from openpyxl.utils import get_column_letter

        into: dict[int, Node] = {}
        stack = [*self.roots, *(node for _, node in self.outside)]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            into.update((r, node) for r in node.read if r in self.hidden.rows)
        said: list[RowReport] = []
        for r in sorted(self.hidden.rows):
            texts = [c.text for c in self.grid[r] if c.text] if r < len(self.grid) else []
            held = into.get(r)
            if held is not None and held.indicator:
                held.hidden_rows.append(r + 1)
                said.append(RowReport(r + 1, held.name, "hidden_row", True))
            elif held is not None or (texts and (r + 1 == self.total_row or r >= self.closed)):
                # read, though no indicator's: the 总分 row, the grades line, 指标数据说明, a group's row
                shown = held.name if held is not None else one_line(texts[0])
                said.append(RowReport(r + 1, shown if len(shown) <= 20 else shown[:19] + "…", "hidden_read", True))
        read = {*columns.levels, columns.points, columns.criterion, columns.explanation}
        for c in sorted(self.hidden.columns & {i for i in read if i is not None}):
            head = self.grid[columns.header][c].text if c < len(self.grid[columns.header]) else ""
            self.hidden_columns.append(RowReport(0, get_column_letter(c + 1), "hidden_column", True, one_line(head)))
        return (*said, *self.hidden_columns)

    def _declare_inputs(self) -> None:
        """The inputs: the 指标数据说明's, then each row's reading's, once each, in row order."""
        self.inputs = list(self.known.inputs)
        declared = set(self.known.names)
        for leaf in self._all_leaves():
            assert leaf.reading is not None
            self.inputs.extend(i for i in leaf.reading.inputs if i.name not in declared)
            declared |= {i.name for i in leaf.reading.inputs}

    def _all_leaves(self) -> list[Node]:
        """The rows that hold rules: the tree's indicators, then the outside rows, in the draft's order."""
        return [*self._leaves(self.roots), *(node for _, node in self.outside)]

    def _checked(self, columns: Columns, reports: list[RowReport]) -> str:
        """The draft text, after `pingfen check`: a row whose rule it refuses (bands that overlap,
        say) becomes a judgment under a TODO naming the error, with the rule read as a comment,
        and its report is not recognised; an error no row holds is reported for the whole draft.
        A draft the import calls recognised always checks clean."""
        from pingfen.loader import diagnose

        leaves = self._all_leaves()
        text = self._text(columns, reports)
        for _ in range(len(leaves) + 1):
            errors = [d for d in diagnose(text, self.path.name) if d.severity == "error"]
            if not errors:
                break
            held = self._holders(text, leaves)
            refused: dict[int, list[Diagnostic]] = {}
            for error in errors:
                at = held.get(error.span.line)
                if at is not None and leaves[at].refused == "":
                    refused.setdefault(at, []).append(error)
            if not refused:
                zh = "；".join(sorted({f"{d.code}：{d.message('zh')}" for d in errors}))
                en = "; ".join(sorted({f"{d.code}: {d.message('en')}" for d in errors}))
                reports.append(RowReport(0, "", "draft", False, zh, en))
                return self._text(columns, reports)
            for at, found in refused.items():
                self._refuse(leaves[at], found)
                old = reports[at]
                codes = sorted({d.code for d in found})
                reports[at] = RowReport(old.row, old.indicator, "checked", False, "、".join(codes), ", ".join(codes))
            self._declare_inputs()
            text = self._text(columns, reports)
        return text

    def _holders(self, text: str, leaves: list[Node]) -> dict[int, int]:
        """Which row (its index in `leaves`) each line of the draft belongs to: a row's block, and
        the declaration of an input only its reading reads."""
        readers: dict[str, int] = {}
        for at, leaf in enumerate(leaves):
            for decl in leaf.reading.inputs if leaf.reading is not None else ():
                readers.setdefault(decl.name, at)
        starts = {f"input {name_text(name)}:": at for name, at in readers.items()}
        held: dict[int, int] = {}
        lines = text.split("\n")
        rows = iter(range(len(leaves)))
        number = 0
        while number < len(lines):
            line = lines[number]
            stripped = line.strip()
            found = next((at for start, at in starts.items() if stripped.startswith(start)), None)
            if found is not None:
                held[number + 1] = found
            if re.match(r"(?:indicator|bonus|penalty|adjust)\s", stripped):
                row = next(rows, None)
                if row is None:
                    break
                end = number
                if stripped.endswith("{"):  # to its closing brace, as the formatter indents it
                    close = line[: len(line) - len(line.lstrip())] + "}"
                    end = next((k for k in range(number + 1, len(lines)) if lines[k] == close), len(lines) - 1)
                for k in range(number, end + 1):
                    held[k + 1] = row
                number = end
            number += 1
        return held

    def _refuse(self, leaf: Node, errors: list[Diagnostic]) -> None:
        """A row whose rule the checks refuse, left to a person: a judgment (a penalty or adjust row
        empty), the rule read kept as a comment, the first error named in its TODO."""
        assert leaf.reading is not None
        first = errors[0]
        leaf.refused = self._say(f"{first.code}：{first.message('zh')}", f"{first.code}: {first.message('en')}")
        leaf.refused_rules = leaf.reading.rules
        others = {i.name for node in self._all_leaves() if node is not leaf and node.reading for i in node.reading.inputs}
        self.input_names -= {i.name for i in leaf.reading.inputs} - others - set(self.known.names)
        kind = next((k for k, node in self.outside if node is leaf), "indicator")
        leaf.reading = (Reading("todo", (), ()) if kind in ("penalty", "adjust") else
                        unread(leaf.name, leaf.total(), self._namer))  # fmt: skip

    def _tree(self, columns: Columns) -> None:
        path: list[Node] = []  # the open node at each level
        self.closed = self.end
        # The header's rows (the one above it too, for a header over two rows), as a row repeats them.
        heads = {tuple(normalise(c.text) for c in self.grid[k]) for k in range(max(columns.header - 1, 0), columns.header + 1)}
        for r in range(columns.header + 1, self.end):
            row = self.grid[r]
            if any(c.text for c in row) and tuple(normalise(c.text) for c in row) in heads:
                continue  # the header again: a table printed over two pages and pasted back as one
            cells = [row[i] for i in columns.levels]
            if not any(c.text for c in cells):
                if self._own_points(row, r, columns):  # its points would vanish from the total
                    self._unnamed(path, r, row, columns)
                elif (said := self._own_text(row, r, columns)) and _NOTE.match(said):
                    if states_grades(said):
                        self.closed = r
                        break  # the grades line (评价等次：…) in the 评分标准 column: the table is closed
                    # a note (注：…, 说明：…) is no criterion going on: left out, the rows after it read
                elif said and path and path[-1].indicator:
                    # the indicator's 评分标准 split over two rows, as Word tables often do: it goes on
                    self._fill(path[-1], row, r, columns)
                continue
            if any(_TOTAL_ROW.match(normalise(c.text)) for c in cells):
                if columns.points is not None and (shown := row[columns.points].text.strip()):
                    self.total = _points(shown)  # never a cell's first digits: -100 is no total of 100
                    self.unread_total = shown if self.total is None else ""
                self.closed = self.total_row = r + 1
                break  # the total closes the table: what follows (评价等次, notes) is no indicator
            if path and self._note(row, cells, columns):
                self.closed = r
                break  # a note below a table without a total (注：…, the grades line) closes it too
            depth = max(i for i, c in enumerate(cells) if c.text)  # the row's indicator is its deepest level
            while depth and cells[depth].origin == cells[depth - 1].origin:  # a name merged across levels
                depth -= 1
            going_on = True  # every level above this one is the previous row's
            created = False
            for level in range(depth + 1):
                cell = cells[level]
                if not cell.text:  # a level left blank under a merged or earlier cell: the open one goes on
                    if level < len(path):
                        continue
                    cell = Cell("（未命名）", (r, columns.levels[level]))
                if level < len(path) and path[level].origin == cell.origin:
                    continue
                # A group's name written again on each of its rows, where another table merges the
                # cells, is the same group: never an indicator's (two rows named alike are two).
                if going_on and level < depth and level < len(path) and path[level].text == cell.text.strip():
                    continue
                going_on = False
                text, rounding, applies = _group_notes(cell.text)
                name, points = _split_points(text)
                node = Node(name, points, r, origin=cell.origin, rounding=rounding, applies=applies, text=cell.text.strip())
                (path[level - 1].children if level else self.roots).append(node)
                del path[level:]
                path.append(node)
                created = True
            if not created and self._own_points(row, r, columns):  # no new name, but a 分值 of its own
                del path[depth + 1 :]
                self._unnamed(path, r, row, columns)
                continue
            if not created and len(path) > depth + 1:  # only its groups' merged names: the open indicator goes on
                self._fill(path[-1], row, r, columns)
                continue
            leaf = path[depth]
            del path[depth + 1 :]
            self._fill(leaf, row, r, columns)

    @staticmethod
    def _own_points(row: list[Cell], r: int, columns: Columns) -> bool:
        """Whether a row has a 分值 cell of its own (not merged from a row above) that is not
        empty: a number, or words that are none (十, 若干), never lost with the row as more text.
        A placeholder (/, —, 同上, 续) is empty: the row goes on with the indicator above."""
        p = columns.points
        return p is not None and row[p].origin == (r, p) and not _NO_POINTS.fullmatch(normalise(row[p].text))

    @staticmethod
    def _own_text(row: list[Cell], r: int, columns: Columns) -> str:
        """A row's text in its 评分标准 and 指标解释 cells of its own (not merged from a row above)."""
        return " ".join(normalise(row[i].text) for i in (columns.criterion, columns.explanation)
                        if i is not None and row[i].origin == (r, i) and row[i].text)  # fmt: skip

    def _unnamed(self, path: list[Node], r: int, row: list[Cell], columns: Columns) -> None:
        """A row with a 分值 and no indicator name of its own, as an indicator named for its row:
        under the open group, or beside the open indicator; left to a person (`build`)."""
        if path and path[-1].indicator:
            path.pop()  # beside the previous indicator, not inside it
        node = Node(f"未命名指标（第{r + 1}行）", None, r, origin=(r, columns.levels[-1]), unnamed=True)
        (path[-1].children if path else self.roots).append(node)
        path.append(node)
        self._fill(node, row, r, columns)

    @staticmethod
    def _note(row: list[Cell], cells: list[Cell], columns: Columns) -> bool:
        """Whether a row below the indicators is a note, not an indicator: nothing in its 分值 and
        评分标准 columns, and its text a note's (注：, 说明：, the grades line) or a sentence."""
        if any(row[i].text for i in (columns.points, columns.criterion) if i is not None):
            return False
        text = normalise(next(c.text for c in cells if c.text))
        return bool(_NOTE.match(text)) or states_grades(text) or len(text) > 40 or bool(re.search(r"[。;]", text))

    def _applies(self, absent: re.Match[str], reading: Reading) -> Reading:
        """The row applies while a yes/no input, named for what the text says may be absent
        (不涉及政府采购 → 涉及政府采购), holds; else it counts as the text says."""
        stem = {"不涉及": "涉及", "未涉及": "涉及", "未开展": "开展", "没有": "有", "无": "有"}[absent["what"]]
        wished = f"{stem}{absent['thing']}"
        declared = self._namer(wished)
        decl = InputDecl(declared, "bool", description=f"是否{wished}")
        mode = _APPLIES_MODE[absent["mode"]]
        return Reading(reading.kind, (decl, *reading.inputs), (f"applies if {name_text(declared)} else {mode}", *reading.rules),
                       reading.notes)  # fmt: skip

    def _take_outside(self) -> None:
        """加分项 and 扣分项 out of the tree: a row render names `加分项：创新加分`, or every row
        under a first-level 加分项 / 扣分项 heading, as tables often group them."""
        kept = []
        for node in self.roots:
            named = _OUTSIDE_ROW.match(node.name)
            if named is not None and node.indicator:
                node.name = named["name"]
                self.outside.append((_OUTSIDE_KIND[named["kind"]], node))
            elif node.name in _OUTSIDE_KIND:
                self.outside.extend((_OUTSIDE_KIND[node.name], leaf) for leaf in self._leaves([node]))
            else:
                kept.append(node)
        self.roots = kept

    def _fill(self, leaf: Node, row: list[Cell], r: int, columns: Columns) -> None:
        """The indicator's criterion and explanation, joined when it spans several rows; row `r`
        noted as one it was read from (a hidden one is said of it, `_hidden`) when it gives the
        indicator something of its own: a merged cell's text is copied into every row it covers, so
        a row blank but under a group's merged name holds nothing, and is no row of the indicator's."""
        if any(c.text and c.origin[0] == r for c in row):
            leaf.read.append(r)
        for column, attr in ((columns.criterion, "criterion"), (columns.explanation, "explanation")):
            if column is None:
                continue
            text = row[column].text
            if text and text not in getattr(leaf, attr):
                setattr(leaf, attr, f"{getattr(leaf, attr)}\n{text}".strip())

    def _split_shared_points(self, columns: Columns) -> None:
        """分值 from its column; one 分值 merged across k indicators is shared evenly
        (效益 rows: "15" for three), and says so in a comment."""
        if columns.points is None:
            return
        holders: dict[tuple[int, int], list[Node]] = {}
        for leaf in self._leaves(self.roots):
            cell = self.grid[leaf.row][columns.points]
            if _points(cell.text) is not None:
                holders.setdefault(cell.origin, []).append(leaf)
            elif cell.formula and leaf.points is None:  # =2+3 never computed: no 分值 to read (it read 0)
                from openpyxl.utils import get_column_letter

                leaf.formula = f"{get_column_letter(cell.origin[1] + 1)}{cell.origin[0] + 1}（{cell.formula}）"
            elif cell.text and leaf.points is None:  # a date, -3, 约5: no points read, left to a person
                leaf.odd_points = one_line(cell.text)
        for origin, leaves in holders.items():
            value = _points(self.grid[origin[0]][origin[1]].text)
            assert value is not None
            share = value / len(leaves)
            if len(leaves) > 1 and share != share.quantize(_CENT, rounding=ROUND_DOWN):
                # 10 over 3 is no decimal: shared in cents, the rest on the last, for a person to confirm
                cents = share.quantize(_CENT, rounding=ROUND_DOWN)
                parts = [cents] * (len(leaves) - 1) + [value - cents * (len(leaves) - 1)]
                said = "、".join(plain(p) for p in parts)
                for leaf, part in zip(leaves, parts, strict=True):
                    leaf.points = part
                    leaf.notes.append(self._say(
                        f"TODO: 原表 {len(leaves)} 项共 {plain(value)} 分，不能平均分为有限位小数，暂按 {said} 分配；请核对后删去本行",
                        f"TODO: the table gives {len(leaves)} rows {plain(value)} points together, which no finite "
                        f"decimal shares evenly: shared as {said.replace('、', ', ')}; check it, then delete this line"))  # fmt: skip
                continue
            for leaf in leaves:
                leaf.points = share
                if len(leaves) > 1:
                    leaf.notes.append(self._say(
                        f"原表 {len(leaves)} 项共 {plain(value)} 分，平均分配，每项 {plain(leaf.points)} 分",
                        f"the table gives {len(leaves)} rows {plain(value)} points together: shared evenly, "
                        f"{plain(leaf.points)} each"))  # fmt: skip

    def _unique_names(self, nodes: list[Node], parent: Node | None) -> None:
        """Group and indicator names must differ: a repeated one is named for its group
        (资产管理 + 管理制度健全性 → 资产管理制度健全性)."""
        for node in nodes:
            if node.name in self.node_names and parent is not None:
                original = node.name
                node.name = _qualified(parent.name, original)
                node.notes.append(self._say(f"原表名为“{original}”，与前面的指标重名，按所属指标改名",
                                            f"named “{original}” in the table, as an earlier row is: renamed for its group"))
            while node.name in self.node_names:
                node.name += "（续）"
            self.node_names.add(node.name)
            self._unique_names(node.children, node)

    def _grade_line(self) -> tuple[GradeLine, tuple[int, str] | None]:
        """The grades and rounding stated below the total (评价等次：90分（含）以上为优秀；…): the
        first line whose grades are read, with the rounding and cap of the other lines when it
        states none and the vetoes of every line (one below the grades line too); and the row and
        text of a line before it that states grades not read. The 指标数据说明 ends the lines: a
        description is no veto."""
        seen: set[str] = set()
        lines: list[GradeLine] = []
        unread: tuple[int, str] | None = None
        graded: GradeLine | None = None
        for r, row in enumerate(self.grid[self.closed :], start=self.closed):
            if tuple(normalise(c.text) for c in row[:2]) == DATA_HEAD:
                break
            for cell in row:
                if cell.text and cell.text not in seen:
                    seen.add(cell.text)
                    found = read_grade_line(cell.text, self.known)
                    if found is not None:
                        lines.append(found)
                        self.unread_vetoes.extend((r + 1, one_line(v)) for v in found.unread_vetoes)
                    if graded is not None:
                        continue
                    if (found is None or not (found.grades or found.none)) and unread is None and states_grades(cell.text, self.known):
                        unread = (r + 1, one_line(cell.text))
                    if found is not None and found.grades:
                        graded = found
        if graded is not None:
            return self._with_rest(graded, lines), None
        return (self._with_rest(lines[0], lines) if lines else GradeLine()), unread

    @staticmethod
    def _with_rest(line: GradeLine, lines: list[GradeLine]) -> GradeLine:
        """The grades line with the rounding and cap another line states and it does not, and
        the vetoes of all of them, in order, each once."""
        vetoes = list(line.vetoes)
        for other in lines:
            if line.places is None and other.places is not None:
                line = evolve(line, places=other.places, mode=other.mode)
            if line.cap is None and other.cap is not None:
                line = evolve(line, cap=other.cap)
            vetoes.extend(v for v in other.vetoes if v not in vetoes)
        none = not line.grades and any(other.none for other in lines)  # 不评定等次 on a line of its own
        return evolve(line, vetoes=tuple(vetoes), none=none)

    def _items(self, columns: Columns) -> Known | None:
        """The 指标数据说明 below the table, when it has one: a head row 数据项 | 类型 | …"""
        for r in range(columns.header + 1, len(self.grid)):
            if tuple(normalise(c.text) for c in self.grid[r][:2]) == DATA_HEAD:
                return read_items([[c.text for c in row[:4]] for row in self.grid[r:]])
        return None

    def _namer(self, wished: str) -> str:
        if wished in self.known.names:
            return wished  # a declared input: every row that reads it reads the same one
        name = wished or "输入项"
        count = 1
        while name in self.input_names:
            count += 1
            name = f"{wished}{count}"
        self.input_names.add(name)
        return name

    def _leaves(self, nodes: list[Node]) -> Iterator[Node]:
        for node in nodes:
            if node.indicator:
                yield node
            else:
                yield from self._leaves(node.children)

    # ------------------------------------------------------------ the text

    def _text(self, columns: Columns, reports: list[RowReport]) -> str:
        # 附件2-2 before the title on its line goes; a year after it (附件 2022年…) stays
        title = _clean_name(re.sub(r"^附件\s*(?:\d{1,2}(?:[-－—.]\d{1,2})*(?!\d))?[:：]?\s*", "", _clean_name(self.title)))
        title = title or self.path.stem
        stated = self.stated
        year = _YEAR.search(f"{self.title} {self.path.stem}")
        if year is not None:  # render's heading: the title, then （2021年度）, which `year` states
            title = title.removesuffix(f"（{year.group(1)}年度）") or title
        total = self.total if self.total is not None else sum((n.total() for n in self.roots), Decimal(0))
        recognised = sum(r.recognised for r in reports)
        say = self._say
        out = [
            say(f"# 由 `pingfen import` 从 {self.path.name} 导入的草稿：识别 {recognised}/{len(reports)} 行评分标准。",
                f"# A draft imported by `pingfen import` from {self.path.name}: "
                f"{recognised} of {len(reports)} rows' criteria recognised."),
            say("# 每条规则上方的注释是原表的评分标准；标有 TODO 的行未能识别，`pingfen check` 会逐条列出。",
                "# The comment above each rule is the table's criterion; rows marked TODO were not recognised, "
                "and `pingfen check` lists each one."),
            *(say(f"# 原表第 {c.indicator} 列（{c.detail}）在 Excel 中是隐藏列，已照常读取。",
                  f"# Column {c.indicator} ({c.detail}) of the table is hidden in Excel and was read as any other.")
              for c in self.hidden_columns),
            "",
            f"rubric {string_text(title)} {{",
            *([f"  year {year.group(1)}"] if year else []),
            *([say(f"  # TODO: 总分单元格为“{self.unread_total}”，不是分值；暂按各行分值之和写入，请核对后删去本行",
                   f"  # TODO: the 总分 cell holds “{self.unread_total}”, not a number of points: the rows' points "
                   "added up for now; check it, then delete this line")] if self.unread_total else []),
            f"  total {plain(total)}",
            *([] if stated.places is not None else [  # a guess, as the usual grades are: left to a person
                say("  # TODO: 评分表未写明总分的保留位数，暂按四舍五入保留 2 位小数写入；请按评价方案核对或改写后删去本行",
                    "  # TODO: the table does not state the total's rounding: rounded half up to 2 places for now; "
                    "check it against the evaluation plan, then delete this line"),
                "  round total 2 half_up",
            ]),
            *(f"  {line}" for line in stated.lines()),
            *([say("  # 评分表不评定等次", "  # the table gives no grades")] if stated.none else [] if stated.grades else [
                say(f"  # TODO: 未能识别评分表的评价等次“{self.unread_grades}”，暂按通用的划分（总分的 90%、80%、60%）写入；"
                    "请按原表改写后删去本行",
                    f"  # TODO: the table's grades “{self.unread_grades}” were not recognised: the usual grades "
                    "(90%, 80% and 60% of the total) written for now; rewrite them as the table has them, then delete this line")
                if self.unread_grades else
                say("  # TODO: 评分表未写明评价等次，暂按财政绩效评价通用的划分（总分的 90%、80%、60%）写入；"
                    "请按评价方案核对或改写后删去本行",
                    "  # TODO: the table states no grades: the usual grades of a spending evaluation (90%, 80% and "
                    "60% of the total) written for now; check them against the evaluation plan, then delete this line"),
                *(f"  grade {grade} >= {plain(total * share / 100)}" for grade, share in (("优秀", 90), ("良好", 80), ("中", 60))),
                "  grade 差 otherwise",
            ]),
            "}",
            "",
            *(decl.text() for decl in self.inputs),
            "",
            *(f"let {name_text(n)} = {formula}" for n, formula in self.known.lets),
            *([""] if self.known.lets else []),
        ]
        for node in self.roots:
            out.extend(self._node(node, 0))
        for kind, node in self.outside:  # after the tree, as the table has them
            out.extend(["", *self._node(node, 0, kind)])
        graded = {grade for grade, _, _ in stated.grades} if stated.grades or stated.none else set(_USUAL_GRADES)
        for veto, grade in stated.vetoes:  # a veto naming a grade the draft lacks is left to a person
            out.extend(["", veto] if grade is None or grade in graded else
                       ["", say(f"# TODO: 等次“{grade}”未能识别：{veto}", f"# TODO: the grade “{grade}” was not recognised: {veto}")])  # fmt: skip
        for _, line in self.unread_vetoes:  # a 一票否决 in words not read: quoted, for a person to write
            out.extend(["", say(f"# TODO: 未能识别一票否决“{line}”，未写入否决规则；请改写为 veto 行后删去本行",
                                f"# TODO: the 一票否决 “{line}” was not recognised, and no veto is written; "
                                "write it as a veto line, then delete this line")])  # fmt: skip
        return _formatted("\n".join(out) + "\n")

    def _node(self, node: Node, depth: int, keyword: str = "indicator") -> list[str]:
        pad = "  " * depth
        say = self._say
        lines = [f"{pad}# {note}" for note in node.notes]
        if not node.indicator:
            head = f"{pad}group {name_text(node.name)} {plain(node.total())} {{"
            applies = applies_line(node.applies, self.known) if node.applies else None
            if node.applies and applies is None:  # a condition on names the data items do not declare
                lines.append(pad + say(f"# TODO: 未能识别分组的适用条件“{one_line(node.applies)}”，暂按始终适用处理；请改写为 applies 行",
                                       f"# TODO: the group's condition “{one_line(node.applies)}” was not recognised: "
                                       "the group always applies for now; write it as an applies line"))  # fmt: skip
            lines.append(head)
            lines.extend([f"{pad}  {applies}"] if applies else [])
            lines.extend([f"{pad}  {node.rounding}"] if node.rounding else [])
            for child in node.children:
                lines.extend(self._node(child, depth + 1))
            return [*lines, f"{pad}}}", ""]
        reading = node.reading
        assert reading is not None
        if node.explanation:
            lines.append(f"{pad}# {say('指标解释：', 'explanation: ')}{one_line(node.explanation)}")
        if node.criterion:
            lines.append(f"{pad}# {say('评分标准：', 'criterion: ')}{one_line(node.criterion)}")
        lines.extend(f"{pad}# {say(note, NOTES_EN.get(note, note))}" for note in reading.notes)
        if node.hidden_rows:  # imported as any other row, but maybe taken out: a person decides
            rows = "、".join(map(str, node.hidden_rows))
            lines.append(pad + say(f"# TODO: 原表第 {rows} 行在 Excel 中是隐藏行，已照常导入；如该指标已不再使用，请删去它，否则删去本行",
                                   f"# TODO: row {rows.replace('、', ', ')} of the table is hidden in Excel and was imported as any "
                                   "other; if the indicator is no longer used, delete it, else delete this line"))  # fmt: skip
        if node.formula:
            formula = node.formula.replace("（", " (").replace("）", ")")
            lines.append(pad + say(f"# TODO: 分值单元格 {node.formula}是公式，没有保存的计算结果，暂记 0 分；"
                                   "请在 Excel 中打开并保存后重新导入，或填写分值后删去本行",
                                   f"# TODO: the 分值 cell {formula} is a formula with no saved result: 0 points "
                                   "for now; open and save the file in Excel and import it again, or write the "
                                   "points, then delete this line"))  # fmt: skip
        if node.odd_points and not node.unnamed:
            lines.append(pad + say(f"# TODO: 分值单元格为“{node.odd_points}”，不是分值（不小于 0 的数），暂记 0 分；"
                                   "请填写分值后删去本行",
                                   f"# TODO: the 分值 cell holds “{node.odd_points}”, not a number of points (0 or "
                                   "more): 0 points for now; write the points, then delete this line"))  # fmt: skip
        if node.unnamed and node.odd_points:  # its 分值 no number of points either: the cell as it is, once
            lines.append(pad + say(f"# TODO: 原表第 {node.row + 1} 行没有指标名称，分值单元格为“{node.odd_points}”，不是分值"
                                   f"（不小于 0 的数）：暂命名为“{node.name}”、暂记 0 分并按评价分（judgment）处理；"
                                   "请补上名称和分值、改写为规则后删去本行",
                                   f"# TODO: row {node.row + 1} of the table has no indicator name, and its 分值 cell "
                                   f"holds “{node.odd_points}”, not a number of points (0 or more): named “{node.name}”, "
                                   "0 points and written as a judgment for now; name it, write its points and its "
                                   "rule, then delete this line"))  # fmt: skip
        elif node.unnamed:
            lines.append(pad + say(f"# TODO: 原表第 {node.row + 1} 行有分值 {plain(node.total())} 分，但没有指标名称，"
                                   f"暂命名为“{node.name}”并按评价分（judgment）处理；请补上名称、改写为规则后删去本行",
                                   f"# TODO: row {node.row + 1} of the table has a 分值 of {plain(node.total())} but no "
                                   f"indicator name: named “{node.name}” and written as a judgment for now; name it "
                                   "and write its rule, then delete this line"))  # fmt: skip
        if node.refused:  # read, but refused by the checks: the rule as a comment, and a judgment to write
            if self.lang == "zh":
                instead = {"penalty": "暂不扣分", "adjust": "暂不加减分"}.get(keyword, "暂按评价分（judgment）处理")
                lines.append(f"{pad}# TODO: 识别出的规则未通过检查（{node.refused}），{instead}；请改写为规则后删去本行")
            else:
                instead = {"penalty": "nothing taken", "adjust": "nothing added or taken"}.get(keyword, "written as a judgment")
                lines.append(f"{pad}# TODO: the rule read fails the checks ({node.refused}): {instead} for now; "
                             "write its rule, then delete this line")  # fmt: skip
            lines.extend(f"{pad}#   {rule}" for rule in node.refused_rules)
        if reading.kind == "pending":  # the text as the table has it, less render's closing 。
            text = string_text(one_line(node.criterion).removesuffix("。"))
            return [*lines, f"{pad}{keyword} {name_text(node.name)} {plain(node.total())} {{ pending {text} }}"]
        if keyword == "adjust":  # 加减分项: its range first (`-2 .. +2`), as read, or unread as wide as its points
            rules = list(reading.rules)
            if reading.recognised:
                head = rules.pop(0)
            else:
                low = _ADJUST_LOW.search(node.criterion)
                head = f"{low['low'] if low else '-' + plain(node.total())} .. +{plain(node.total())}"
                if not node.refused and not node.formula and not node.odd_points and not node.unnamed:
                    lines.append(pad + say("# TODO: 未能识别加减分项的评分标准，暂不加减分；请改写为规则后删去本行",
                                           "# TODO: the 加减分项's criterion was not recognised: nothing added or taken "
                                           "for now; write its rule, then delete this line"))  # fmt: skip
            return [*lines, f"{pad}adjust {name_text(node.name)} {head} {{", *(f"{pad}  {r}" for r in rules), f"{pad}}}"]
        if node.refused or node.formula or node.odd_points or node.unnamed:
            pass
        elif not reading.recognised and keyword == "penalty":
            lines.append(pad + say("# TODO: 未能识别扣分项的评分标准，暂不扣分；请改写为扣分规则（deduct）后删去本行",
                                   "# TODO: the 扣分项's criterion was not recognised: nothing taken for now; write "
                                   "it as deductions (deduct), then delete this line"))  # fmt: skip
        elif not reading.recognised:
            lines.append(pad + say("# TODO: 未能识别评分标准，暂按评价分（judgment）处理；请改写为规则后删去本行",
                                   "# TODO: the criterion was not recognised: written as a judgment for now; write "
                                   "its rule, then delete this line"))  # fmt: skip
        lines.append(f"{pad}{keyword} {name_text(node.name)} {plain(node.total())} {{")
        lines.extend(f"{pad}  {rule}" for rule in reading.rules)
        return [*lines, f"{pad}}}"]


def _qualified(group: str, name: str) -> str:
    """The name prefixed with its group's, their overlap written once: 资产管理 and
    管理制度健全性 make 资产管理制度健全性."""
    for k in range(min(len(group), len(name)), 0, -1):
        if group.endswith(name[:k]):
            return group + name[k:]
    return group + name


def _formatted(text: str) -> str:
    """The text in the canonical layout, or as built when the formatter cannot take it
    (then `pingfen check` shows why)."""
    from pingfen.syntax.formatter import FormatError, format_text

    try:
        return format_text(text)
    except FormatError:
        return text

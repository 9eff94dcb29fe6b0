"""A filled-in self-evaluation for `pingfen audit`: the scores a department declared
and, optionally, the input values it reported.

YAML or JSON: a mapping with `declared:` (group and indicator names, `total` and `grade`
→ the declared values) and optionally `inputs:` (input names → values) and `id:`.

XLSX: a sheet with a declared-score column (headed 自评得分 or `declared`), where each row
names a group or indicator (or 总分/total, 评价等次/grade) in a cell to its left — the
template's rubric sheet, or a table laid out like annex 附件2-2; the deepest name in the
columns headed as levels (一级指标 …) is the row's, kept as written when the rubric has no such
name, so that the audit refuses it (PF513); a score merged down over several rows is the name's
they share (a group's, over its indicators' rows); and optionally a sheet whose
header row names inputs (the template's data sheet), with one department's row (or pick
one with `id`), or, where none does, one laid out down the page: input names in its first
column, each value in the cell to its right. The sheets shown are searched before the hidden ones.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path

from attrs import field, frozen

from pingfen.absent import SheetRecord
from pingfen.errors import DataError, Problem
from pingfen.io.bounds import TooBig, details
from pingfen.io.records import read_mapping, several
from pingfen.io.tables import (
    DEFAULT_IDS,
    Sheet,
    SheetRows,
    cell_value,
    id_text,
    input_cell,
    open_workbook,
    read_rows,
    sheet_of,
    xlsx_errors,
)
from pingfen.terminal import without_invisible

DECLARED_HEADERS = ("自评得分", "自评分", "申报得分", "declared", "declared score")
# 绩效自评综合得分 is the total's label in the self-evaluation annex (docs/reference-2021.md).
TOTAL_NAMES = ("total", "总分", "合计", "总计", "总得分", "综合得分", "自评综合得分", "绩效自评综合得分")
GRADE_NAMES = ("grade", "评价等次", "等次", "等级")
_SPACE = re.compile(r"\s+")
_SUFFIX = re.compile(r"[（(][^（）()]*[）)]$")
_POINTS = re.compile(r"[（(]分[）)]$")
SUBTOTAL = "小计"  # a group's sum, on a row of its own: 投入小计 (or 投入合计) is 投入's
_SUBTOTALED = re.compile(rf"(?<=.)({SUBTOTAL}|合计)[:：]?$")
MAX_FILLED_ROWS = 10_000  # a rubric's rows, or a sheet of departments' inputs
MAX_FILLED_COLUMNS = 1_000


@frozen
class Cell:
    """Where a declared score is in a workbook: the sheet, the row's number and the cell, and
    whether the row is hidden (where Excel shows no such row, a message says why)."""

    sheet: str
    row: int
    cell: str
    hidden: bool = False


@frozen
class Filled:
    """What a department declared (raw values by name; `total` and `grade` under those keys),
    the inputs it reported (a `SheetRecord` when a cell of them holds a formula never
    calculated), and its id if the file gives one. From a workbook, where each declared
    score is (`places`), and the declared cells that hold a formula never calculated
    (`formulas`: read as blank, so counted as no score at all were they not named)."""

    declared: dict[str, object]
    inputs: dict[str, object]
    department: str | None = None
    places: dict[str, Cell] = field(factory=dict)
    formulas: dict[str, Cell] = field(factory=dict)


def read_filled(path: str | Path, nodes: Collection[str], inputs: Collection[str], *, id: str | None = None) -> Filled:
    """Read a filled-in self-evaluation. `nodes` and `inputs` are the rubric's names, which an
    XLSX file is searched for. Raises DataError (PF508, PF515, PF516, PF518) if unreadable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path, nodes, inputs, id)
    if suffix not in (".yaml", ".yml", ".json") and not path.is_dir():  # a folder: 是一个目录, as eval says, from the read
        hint = "parquet_audit" if suffix == ".parquet" else None  # the data `eval --engine duckdb` scores, given to audit
        raise DataError([Problem("PF511", None, {"path": str(path), "what": "filled-in self-evaluation",
                                                 "what_zh": "自评表", "formats": ".yaml, .yml, .json, .xlsx"}, hint)])  # fmt: skip
    return _mapping(path)


def _mapping(path: Path) -> Filled:
    data = read_mapping(path)  # bounded in size, depth and numbers; PF508 if unreadable
    if not isinstance(data, dict) or not isinstance(data.get("declared"), dict):
        raise DataError([Problem("PF518", None, {"path": str(path), "detail": "expected a mapping `declared:` of "
                        "names to scores", "detail_zh": "应有 `declared:`，其下为名称与自评得分"})])  # fmt: skip
    given = data.get("inputs") or {}
    if not isinstance(given, dict):
        raise _unreadable(path, "`inputs:` must be a mapping of input names to values", "`inputs:` 应为输入名到取值的映射")
    department = data.get("id")
    return Filled(
        {str(k): v for k, v in data["declared"].items()},
        {str(k): v for k, v in given.items()},
        None if department is None else str(department),
    )


def normalize(text: str) -> str:
    """A cell's text as a name: without spaces and line breaks (附件2-2 wraps names)."""
    return _SPACE.sub("", text.replace("\u3000", ""))


def _xlsx(path: Path, nodes: Collection[str], inputs: Collection[str], id: str | None) -> Filled:
    names = {normalize(n): n for n in nodes}
    for alias in TOTAL_NAMES:  # a row named as the rubric names a node is that node's, not the total
        names.setdefault(normalize(alias), "total")
    for alias in GRADE_NAMES:
        names.setdefault(normalize(alias), "grade")
    headers = {normalize(h).lower() for h in DECLARED_HEADERS}
    book = open_workbook(path)
    declared: Declared | None = None
    input_sheet = None
    down: Filled | None = None  # the inputs of a sheet laid out down the page
    try:
        sheet_of(book, path, None)  # PF508 for a workbook with no worksheet at all
        # the sheets shown first: a hidden one before them (last year's 自评表, kept) was read instead
        shown = sorted(book.worksheets, key=lambda s: getattr(s, "sheet_state", "visible") != "visible")
        for sheet in shown:
            rows, uncomputed, seconds = _rows(path, sheet)
            if declared is None:
                declared = _declared(rows, names, headers, (path, sheet, uncomputed))
                if declared is not None:
                    continue
            if input_sheet is not None or not rows:
                continue
            across = sum(_names_input(c, inputs) for c in rows[0])
            downward = sum(_names_input(line[0] if line else None, inputs) for line in rows)
            if downward > across:  # 编制人数 | 12, row by row; or a rubric's or notes' sheet, never data across
                # read only where no sheet names inputs across: a sheet of notes on them does not hide the data's
                if _may_be_data(sheet, rows):
                    down = down or _down(path, sheet.title, rows, seconds, uncomputed, inputs)
            elif across:
                input_sheet = sheet.title
    finally:
        book.close()
    if declared is None:
        raise DataError([Problem("PF518", None, {"path": str(path), "detail": "no sheet has a column headed "
                        "自评得分 or `declared`", "detail_zh": "没有表头为“自评得分”或 declared 的列"})])  # fmt: skip
    if down is not None and input_sheet is None:
        if id is not None and down.department != id:
            raise DataError([Problem("PF516", None, {"path": str(path), "id": id})])
        return Filled(declared.values, down.inputs, down.department, declared.places, declared.formulas)
    if input_sheet is None:
        return Filled(declared.values, {}, None, declared.places, declared.formulas)
    found = [row for row in read_rows(path, sheet=input_sheet) if id is None or row.id == id]
    if id is not None and not found:
        raise DataError([Problem("PF516", None, {"path": str(path), "id": id})])
    if len(found) > 1:
        raise several(path, id, found)
    if not found:
        return Filled(declared.values, {}, None, declared.places, declared.formulas)
    row = found[0]
    return Filled(declared.values, _inputs(row.values, row.formulas or {}, inputs), row.id, declared.places, declared.formulas)


def _inputs(
    values: Mapping[str, object], formulas: Mapping[str, tuple[str, str, str]], inputs: Collection[str]
) -> dict[str, object]:  # fmt: skip
    """A data sheet's values of the rubric's inputs: a column (or row) meant for an input but
    written otherwise is kept for the audit to refuse (PF517), not dropped; the inputs' cells of
    formulas never calculated go with them (a SheetRecord: PF534)."""
    missing = [name for name in inputs if name not in values]
    given = {k: v for k, v in values.items() if k in inputs or input_meant(k, missing) is not None}
    kept = {k: v for k, v in formulas.items() if k in inputs}
    return SheetRecord(given, kept) if kept else given


def input_meant(column: str, inputs: Collection[str]) -> str | None:
    """The input of `inputs` a column that names none is written for: spaced (编制 人数), with its
    unit (结余（万元）) or with an invisible character; else None."""
    text = normalize(without_invisible(column))
    for candidate in (text, _SUFFIX.sub("", text)):
        if candidate != column and candidate in inputs:
            return candidate
    return None


def _rows(path: Path, sheet: Sheet) -> tuple[list[tuple[object, ...]], dict[int, list[int]], list[object]]:
    """A sheet's rows, read whole: a self-evaluation is a page or two, so more is refused; its
    cells that hold a formula never calculated (row number → columns, from 1); and its second
    column read as an input's cell is (a percent's format too), for a data sheet laid out down."""
    with xlsx_errors(path):
        cells = SheetRows(sheet, max_col=MAX_FILLED_COLUMNS)
        rows: list[tuple[object, ...]] = []
        seconds: list[object] = []
        for row in cells:
            if len(rows) < MAX_FILLED_ROWS:
                rows.append(tuple(cell_value(c.value) for c in row))
                seconds.append(input_cell(row[1]) if len(row) > 1 else None)
            elif any(c.value not in (None, "") for c in row):  # empty rows of borders past the table are passed over, unkept
                raise _unreadable(path, TooBig(f"a sheet of a self-evaluation has more than {MAX_FILLED_ROWS:,} rows",
                                               f"自评表的工作表超过 {MAX_FILLED_ROWS:,} 行"))  # fmt: skip
    return rows, cells.uncomputed, seconds


# A heading only a rubric or a self-evaluation has: a sheet holding one near its top is no data
# laid out down the page, though an indicator named as an input (人数 | 6 | …) starts a row there.
_NOT_DATA_HEADS = re.compile(r"分值|评分标准|评分要点|评分依据|自评得分|得分|满分|权重")


def _may_be_data(sheet: Sheet, rows: list[tuple[object, ...]]) -> bool:
    """Whether a sheet whose first column names inputs may be the data laid out down the page:
    shown (a hidden one is last year's, kept), and with no rubric's heading in its first rows."""
    if getattr(sheet, "sheet_state", "visible") != "visible":
        return False
    return not any(isinstance(c, str) and _NOT_DATA_HEADS.search(c) for line in rows[:5] for c in line)


def _names_input(cell: object, inputs: Collection[str]) -> bool:
    return isinstance(cell, str) and (cell in inputs or input_meant(cell, inputs) is not None)


def _down(
    path: Path, sheet: str, rows: list[tuple[object, ...]], seconds: list[object], uncomputed: dict[int, list[int]],
    inputs: Collection[str],
) -> Filled:  # fmt: skip
    """The inputs of a data sheet laid out down the page: a row whose first cell names an input
    (or `id`/编号, the department) gives its value in the second; other rows (a title, a header
    输入项 | 填报值) are passed over. A name written otherwise (满意度（%）) is kept for the audit to
    refuse (PF517), where the input itself is not given; a name on two rows is refused (PF508)."""
    found: dict[str, list[int]] = {}
    values: dict[str, object] = {}
    formulas: dict[str, tuple[str, str, str]] = {}
    department = None
    for number, line in enumerate(rows, start=1):
        name = line[0].strip() if line and isinstance(line[0], str) else ""
        value = seconds[number - 1]
        value = (value.strip() or None) if type(value) is str else value  # a SheetPercent as it is, as a batch's row
        if name in DEFAULT_IDS or name.lower() in DEFAULT_IDS:
            department = id_text(value)  # TRUE is `true`, as a batch's id
        elif _names_input(name, inputs):
            found.setdefault(name, []).append(number)
            values[name] = value
            if value is None and 2 in uncomputed.get(number, ()):  # a formula never calculated: PF534 if read
                formulas[name] = (str(path), sheet, f"B{number}")
    twice = next(((name, at) for name, at in found.items() if len(at) > 1), None)
    if twice is not None:  # the last would win in silence
        rows_at = ", ".join(map(str, twice[1]))
        raise _unreadable(path, f"sheet `{sheet}`: the input `{twice[0]}` is on more than one row ({rows_at})",
                          f"工作表 `{sheet}`：输入项 `{twice[0]}` 出现在多行（第 {rows_at} 行）")  # fmt: skip
    return Filled({}, _inputs(values, formulas, inputs), department)


@frozen
class Declared:
    """A sheet's declared scores by name, where each is, and those that are formulas never calculated."""

    values: dict[str, object]
    places: dict[str, Cell]
    formulas: dict[str, Cell]


def _declared(
    rows: list[tuple[object, ...]], names: dict[str, str], headers: set[str],
    where: tuple[Path, Sheet, dict[int, list[int]]],
) -> Declared | None:  # fmt: skip
    """The declared column's values by name, if this sheet has a declared-score header. A row's
    name is the deepest one in its name columns; one that is not the rubric's is kept as written,
    for the audit to refuse (PF513) rather than drop its score or give it to the group beside it.
    A declared cell merged down over several rows is the score of the name they share (a group's
    score over its indicators' rows). A blank declared cell holding a formula never calculated
    (`uncomputed`, of the sheet's rows) is kept apart, to be refused."""
    from openpyxl.utils import get_column_letter

    path, worksheet, uncomputed = where
    sheet = worksheet.title
    for top, row in enumerate(rows[:10]):
        column = next((i for i, c in enumerate(row) if _header(c) in headers), None)
        if column is None:
            continue
        columns = _name_columns(rows, top, column, names)
        with xlsx_errors(path):
            down, hidden = _layout(worksheet, column + 1)
        out = Declared({}, {}, {})
        seen: dict[str, list[int]] = {}
        for number, line in enumerate(rows[top + 1 :], start=top + 2):
            value = line[column] if column < len(line) else None
            place = Cell(sheet, number, f"{get_column_letter(column + 1)}{number}", number in hidden)
            if value is None and column + 1 in uncomputed.get(number, ()):
                name = _row_name(line, columns, names)
                if name is not None:  # the total's and grade's rows as `total` and `grade`, worded by the audit
                    out.formulas[name] = place
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            last = down.get(number)
            name = _row_name(line, columns, names) if last is None else _shared_name(rows[number - 1 : last], columns, names)
            if name is not None:
                out.values[name] = value
                out.places.setdefault(name, place)
                seen.setdefault(name, []).append(number)
        twice = [Problem("PF519", name, {"name": name, "rows": ", ".join(map(str, at)), "path": str(path), "sheet": sheet,
                                         **_hidden_among(at, hidden)})
                 for name, at in seen.items() if len(at) > 1]  # fmt: skip
        if twice:
            raise DataError(twice)
        return out
    return None


def _hidden_among(rows: list[int], hidden: set[int]) -> dict[str, str]:
    """PF519's words for the rows of `rows` that are hidden, which Excel does not show: none, or
    "; row 3 is hidden" (其中第 3 行为隐藏行)."""
    among = [str(n) for n in rows if n in hidden]
    if not among:
        return {"hidden": "", "hidden_zh": ""}
    en = f"; row {among[0]} is hidden" if len(among) == 1 else f"; rows {', '.join(among)} are hidden"
    return {"hidden": en, "hidden_zh": f"，其中第 {', '.join(among)} 行为隐藏行"}


def _layout(sheet: Sheet, column: int) -> tuple[dict[int, int], set[int]]:
    """The cells of `column` (from 1) merged down over more rows (first row → last), and the
    rows hidden. A sheet opened read-only knows neither, so its XML is read for them: each
    `<mergeCell ref="E3:E5"/>` and `<row r="7" hidden="1">`."""
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.xml.functions import iterparse

    source = getattr(sheet, "_get_source", None)  # a ReadOnlyWorksheet's: another kind has none to read
    down: dict[int, int] = {}
    hidden: set[int] = set()
    if source is None:
        return down, hidden
    with source() as xml:
        for _, element in iterparse(xml):
            tag = element.tag
            if tag.endswith("}row") and element.get("hidden") in ("1", "true") and (number := element.get("r", "")).isdigit():
                hidden.add(int(number))
            ref = element.get("ref") if tag.endswith("}mergeCell") else None
            element.clear()  # a sheet's cells are not kept, only the merges and hidden rows
            try:
                span = CellRange(ref) if ref else None
            except ValueError:  # a range written wrong merges nothing
                continue
            if span is not None and span.min_col <= column <= span.max_col and span.max_row > span.min_row:
                down[span.min_row] = span.max_row
    return down, hidden


def _shared_name(lines: list[tuple[object, ...]], columns: list[int], names: dict[str, str]) -> str | None:
    """The name of a score merged down over `lines`: the deepest one that every line has, written
    on the first and blank (merged) or the same below. With none shared, the first line's, as a
    cell not merged is read."""
    def text(line: tuple[object, ...], i: int) -> str:
        cell = line[i] if i < len(line) else None
        return normalize(cell) if isinstance(cell, str) else ""

    for i in reversed(columns):
        first = text(lines[0], i)
        if first and all(text(line, i) in ("", first) for line in lines[1:]):
            return _row_name(lines[0], [i], names)
    return _row_name(lines[0], columns, names)


# The columns that name a row: 一级指标, 二级指标 … (指标 merged over them, or level 1, level 2 …),
# not 评分标准, 分值, 输入项 and the like, which may hold a name too (an input named as its indicator).
_LEVEL = re.compile(r"指标|^level\d*$|^名称$|^name$|^indicator|^group")
_NOT_LEVEL = re.compile(r"解释|说明|内涵|标准|分值|权重|得分|方法|细则|依据|来源|原因|输入|^inputs?$|^max|score|reason")


def _name_columns(rows: list[tuple[object, ...]], top: int, column: int, names: dict[str, str]) -> list[int]:
    """The columns left of the declared one that hold names: those headed as levels (in the
    header row or the row below it, for a header over two rows) and those headed by nothing
    that hold a rubric name somewhere; with no level heading, every column holding one."""

    def head(r: int, i: int) -> str:
        cell = rows[r][i] if r < len(rows) and i < len(rows[r]) else None
        return normalize(cell).lower() if isinstance(cell, str) else ""

    heads = [(head(top, i), head(top + 1, i)) for i in range(column)]
    named = {i for line in rows[top + 1 :] for i, cell in enumerate(line[:column]) if _known(cell, names) is not None}
    levels = [i for i, pair in enumerate(heads) if any(_LEVEL.search(h) and not _NOT_LEVEL.search(h) for h in pair)]
    if not levels:
        return sorted(i for i in named if not any(_NOT_LEVEL.search(h) for h in heads[i]))
    return sorted({*levels, *(i for i in named if heads[i] == ("", ""))})


def _row_name(line: tuple[object, ...], columns: list[int], names: dict[str, str]) -> str | None:
    """The deepest name on a row (an indicator's cell is right of its groups' cells): the rubric's
    name for it, or the text as written when the rubric has no such name; None when the row names nothing."""
    for i in reversed(columns):
        cell = line[i] if i < len(line) else None
        if not isinstance(cell, str) or not normalize(cell):
            continue
        known = _known(cell, names)
        return known if known is not None else _SUFFIX.sub("", normalize(cell)) or normalize(cell)
    return None


def _header(cell: object) -> str:
    """A header cell's text as compared with DECLARED_HEADERS: 自评得分（分） is 自评得分, in its
    unit; not 自评得分（上年）, another year's."""
    return _POINTS.sub("", normalize(cell)).lower() if isinstance(cell, str) else ""


def _known(cell: object, names: dict[str, str]) -> str | None:
    """The rubric name a cell gives (spaces, line breaks, a trailing （15分） and a label's colon,
    合计：, aside), if any; a group's subtotal row, 投入小计 or 投入合计, is the group's."""
    if not isinstance(cell, str):
        return None
    text = normalize(cell)
    for candidate in (text, _SUFFIX.sub("", text), text.rstrip(":：")):
        if candidate in names:
            return names[candidate]
        if candidate.lower() in names:
            return names[candidate.lower()]
    group = _SUBTOTALED.sub("", text)
    return names[group] if group != text and names.get(group) not in (None, "total", "grade") else None


def _unreadable(path: Path, detail: str | Exception, zh: str | None = None) -> DataError:
    args = details(detail) if isinstance(detail, Exception) else {"detail": detail, "detail_zh": zh or detail}
    return DataError([Problem("PF508", None, {"path": str(path), **args})])

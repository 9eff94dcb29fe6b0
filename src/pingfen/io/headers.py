"""What a table's header says wrong before any row is scored: an input it names only with an
invisible character (PF527), none of the inputs (a title row above it, PF531), or a heading over
two rows (PF532). `pingfen eval`, its reports and the workbench refuse a file for these alike."""

from __future__ import annotations

from pingfen.errors import Problem
from pingfen.evaluate.rubric import Rubric, hidden_column
from pingfen.io.tables import Rows, header_below, sheet_naming
from pingfen.values import numbered_columns, shorten


def header_problem(rubric: Rubric, table: Rows) -> Problem | None:
    """PF527, PF531 or PF532: every row would miss an input, and not say why."""
    return hidden_column(rubric, table.columns) or unnamed_header(rubric, table)


def unnamed_header(rubric: Rubric, table: Rows) -> Problem | None:
    """PF531: a CSV or XLSX file whose header names none of the inputs the rows must give (a title
    row above it, say). Every row would be refused "missing input" once per input, and not say
    why; the hint names the row below that names inputs, if one does. PF532 when it names some,
    and a row below names the others (`_split_header`)."""
    names = [spec.name for spec in rubric.inputs if spec.batch is None]  # a batch value is no column
    if table.kind == "jsonl" or all(name in rubric.optional for name in names):
        return None
    columns, panels = set(table.columns), {spec.name for spec in rubric.inputs if spec.is_list}
    named = {n for n in names if n in columns or (n in panels and numbered_columns(n, table.columns))}
    if named:
        return _split_header(rubric, table, [name for name in names if name not in named])
    shown = [shorten(c, 20) for c in table.columns[:3] if c] + (["…"] if len(table.columns) > 3 else [])
    args = {"path": str(table.path), "header": ", ".join(shown), "header_zh": "、".join(shown), "example": names[0]}
    row = header_below(table, names)
    if row is not None:
        return Problem("PF531", None, args | {"row": row}, "header_below")
    sheet = sheet_naming(table, names)
    if sheet is not None:
        return Problem("PF531", None, args | {"sheet": sheet}, "header_sheet")
    return Problem("PF531", None, args, "header_names")


def _split_header(rubric: Rubric, table: Rows, unnamed: list[str]) -> Problem | None:
    """PF532: a header over two rows (a heading merged over the columns below it, 管理制度 over
    已制定管理制度, 制度有效执行): the inputs every row must give that row 1 lacks and a row
    below names. Every row would be refused "missing input" for each, with the column in sight."""
    missing = [name for name in unnamed if name not in rubric.optional]
    row = header_below(table, missing) if missing else None
    if row is None:
        return None
    shown = [f"`{shorten(name, 20)}`" for name in missing[:3]]
    more = len(missing) - len(shown)
    args = {"path": str(table.path), "row": row,
            "inputs": ", ".join(shown) + (f" and {more} more" if more else ""),
            "inputs_zh": "、".join(shown) + (f" 等 {len(missing)} 个输入项" if more else "")}  # fmt: skip
    return Problem("PF532", None, args, "header_one_row")

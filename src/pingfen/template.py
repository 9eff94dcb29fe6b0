"""Data-entry templates for a rubric: XLSX, CSV or YAML, one column (or key) per input.

Each input is headed by its name and asked by its question: the description the rubric
gives it, with its type and domain. An `id` column names each department. The question
row starts with `#`, so a filled template scores as it is (`pingfen eval RULESET FILE`).
The XLSX template adds Excel data validation (是/否 lists for bools, ranges for percents,
counts, amounts and scores, lists for labels) and a second sheet with the rubric's tree,
its maxima, the inputs each node reads and a 自评得分 column that `pingfen audit` reads.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

import yaml

from pingfen.evaluate.rubric import InputSpec, Rubric
from pingfen.io.write import atomic_path, csv_text, no_formulas, refuse_twice, worksheet, write_text
from pingfen.lang import Lang
from pingfen.reasons import quantity
from pingfen.report.layout import WORDS, depth, grade_bands, level_names

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is written: it costs startup time
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

FORMATS = ("xlsx", "csv", "yaml")
DATA_ROWS = 1000  # rows of the XLSX data sheet that carry validation

_TYPES = {
    "percent": ("百分比，如 95%", "percent, e.g. 95%"),
    "amount": ("金额", "amount"),
    "count": ("整数", "whole number"),
    "bool": ("是/否", "是 or 否"),
    "score": ("评价得分", "score"),
    "number": ("数值", "number"),
    "date": ("日期，如 2024-03-31", "date, e.g. 2024-03-31"),
}
_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}
_WORDS = {
    "zh": {"id": "单位名称或编号", "comment": "# 填写说明（本行不计分）", "data": "数据", "rubric": "评分表",
           "one_of": "可选：", "title": "数据填报模板", "then": "填写后评分："},
    "en": {"id": "department name or code", "comment": "# what to enter (this row is skipped)", "data": "data",
           "rubric": "rubric", "one_of": "one of: ", "title": "data-entry template", "then": "score it with: "},
}  # fmt: skip


PANEL_COLUMNS = 5  # columns of a panel (`list of score`) that does not say how many experts


def columns(rubric: Rubric) -> list[tuple[str, InputSpec]]:
    """The template's columns after `id`: one per input, and for a panel one per expert,
    `专家评分1`, `专家评分2`, … (as many as `list of N score` says, else PANEL_COLUMNS)."""
    out: list[tuple[str, InputSpec]] = []
    for spec in rubric.inputs:
        if spec.batch is not None:  # worked out over the batch, not filled in
            continue
        if spec.is_list:
            out.extend((f"{spec.name}{k}", spec) for k in range(1, (spec.size or PANEL_COLUMNS) + 1))
        else:
            out.append((spec.name, spec))
    return out


def question(spec: InputSpec, lang: Lang = "zh") -> str:
    """What to enter for an input: its description, then its type and domain."""
    if spec.type == "label":
        kind = _WORDS[lang]["one_of"] + ("、" if lang == "zh" else ", ").join(spec.labels)
    else:
        kind = _TYPES[spec.type][0 if lang == "zh" else 1]
    bounds = [f"{_SIGNS[b[0]]} {quantity(b[1], spec.type)}" for b in _tightest(spec.bounds) if b is not None]
    if spec.is_list:  # each column or list item is one expert's
        kind = ("每位评委的" if lang == "zh" else "each expert's ") + kind
    detail = ("，" if lang == "zh" else ", ").join([kind, *bounds])
    if spec.description is None:
        return detail
    return f"{spec.description}（{detail}）" if lang == "zh" else f"{spec.description} ({detail})"


_Bound = tuple[str, Decimal]


def _tightest(bounds: Sequence[_Bound]) -> tuple[_Bound | None, _Bound | None]:
    """The lower and the upper bound that hold all the others. A score's bounds are its own
    `>= 0`, the declared ones and its indicator's max: asked once each, and the tightest of
    them, not the last written (`score <= 5` judged out of 10 is at most 5)."""
    low: _Bound | None = None
    high: _Bound | None = None
    for op, value in bounds:
        if op in (">", ">="):
            if low is None or value > low[1] or (value == low[1] and op == ">"):
                low = (op, value)
        elif high is None or value < high[1] or (value == high[1] and op == "<"):
            high = (op, value)
    return low, high


def render_template(rubric: Rubric, fmt: str, lang: Lang = "zh") -> str:
    """The CSV or YAML template as text (XLSX is binary: use `write_template`)."""
    if fmt == "csv":
        return _csv(rubric, lang)
    if fmt == "yaml":
        return _yaml(rubric, lang)
    raise ValueError(f"render_template makes csv or yaml, not {fmt!r}")


def write_template(
    rubric: Rubric, fmt: str, path: str | Path | None = None, *, lang: Lang = "zh", out: TextIO | None = None
) -> None:
    """Write the template to `path` (atomically; CSV with a UTF-8 BOM for Excel) or, for CSV and YAML, to `out`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown template format {fmt!r}; use one of {', '.join(FORMATS)}")
    refuse_twice(["id", *(name for name, _ in columns(rubric))], path, lang, "input", "输入项")
    if fmt == "xlsx":
        if path is None:
            raise ValueError("an XLSX template needs a file name")
        _xlsx(rubric, path, lang)  # as given: Path() would drop a trailing `/` that atomic_path refuses
        return
    text = render_template(rubric, fmt, lang)
    if path is None:
        if out is None:
            raise ValueError("no output given: a file name to write to, or `out`, an open text file")
        out.write(text)
    else:
        write_text(path, text, bom=fmt == "csv")


# ---------------------------------------------------------------- CSV and YAML
def _csv(rubric: Rubric, lang: Lang) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    heads = columns(rubric)
    writer.writerow(["id", *(csv_text(name) for name, _ in heads)])  # a name may begin with `=`
    writer.writerow(
        [f"{_WORDS[lang]['comment']} id: {_WORDS[lang]['id']}", *(csv_text(question(s, lang)) for _, s in heads)]
    )
    return buffer.getvalue()


def _yaml(rubric: Rubric, lang: Lang) -> str:
    words = _WORDS[lang]
    lines = [f"# {rubric.name} — {words['title']}", f"# {words['then']}pingfen eval RULESET FILE.yaml", ""]
    lines.append(f"id:  # {words['id']}")
    for spec in rubric.inputs:
        if spec.batch is not None:
            continue
        lines.append(f"# {question(spec, lang)}")
        if spec.is_list:  # a panel: a list, one item per expert
            lines.append(f"{_yaml_key(spec.name)}: []  # [" + ", ".join("…" for _ in range(spec.size or PANEL_COLUMNS)) + "]")
            continue
        lines.append(f"{_yaml_key(spec.name)}:")
    return "\n".join(lines) + "\n"


def _yaml_key(name: str) -> str:
    """The name as a YAML key: plain when YAML reads it back as itself, else double-quoted."""
    try:
        if yaml.safe_load(f"{name}: 1") == {name: 1}:
            return name
    except yaml.YAMLError:
        pass
    return json.dumps(name, ensure_ascii=False)


# ---------------------------------------------------------------- XLSX
def _xlsx(rubric: Rubric, path: str | Path, lang: Lang) -> None:
    from openpyxl import Workbook

    book = Workbook()
    data = worksheet(book)
    data.title = _WORDS[lang]["data"]
    _data_sheet(data, rubric, lang)
    _rubric_sheet(book.create_sheet(_WORDS[lang]["rubric"]), rubric, lang)
    with atomic_path(path) as tmp:
        no_formulas(book)
        book.save(tmp)


def _data_sheet(sheet: Worksheet, rubric: Rubric, lang: Lang) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    head_fill = PatternFill("solid", fgColor="DDEBF7")
    heads = columns(rubric)
    sheet.append(["id", *(name for name, _ in heads)])
    sheet.append([f"{_WORDS[lang]['comment']} id: {_WORDS[lang]['id']}", *(question(s, lang) for _, s in heads)])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), head_fill
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="666666")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].height = 60
    sheet.freeze_panes = "B3"
    sheet.column_dimensions["A"].width = 22
    last = 2 + DATA_ROWS
    for index, (_, spec) in enumerate(heads, start=2):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 16
        sheet.cell(1, index).comment = Comment(question(spec, lang), "pingfen")
        validation = _validation(spec, lang, lambda choices: _listed(sheet, choices, lang))
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"{letter}3:{letter}{last}")
        style = {"percent": "0.00%", "amount": "0.00", "count": "0", "date": "yyyy-mm-dd"}.get(spec.type)
        if style:
            for row in range(3, last + 1):
                sheet.cell(row, index).number_format = style


# The kinds of check and the comparisons this template asks Excel's data validation for.
_Kind = Literal["whole", "decimal", "list"]
_Operator = Literal["between", "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual"]


def _listed(sheet: Worksheet, choices: Sequence[str], lang: Lang) -> str:
    """A drop-down's choices in a column of a hidden sheet (选项), and the range that names them."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    book = sheet.parent
    assert book is not None, "a sheet of the template's workbook"
    title = "选项" if lang == "zh" else "choices"
    lists = book[title] if title in book.sheetnames else book.create_sheet(title)
    lists.sheet_state = "hidden"
    column = (lists.max_column + 1) if lists["A1"].value is not None else 1
    for row, choice in enumerate(choices, start=1):
        lists.cell(row, column, choice)
    letter = get_column_letter(column)
    return f"{quote_sheetname(title)}!${letter}$1:${letter}${len(choices)}"


# Excel's own limit on a list written into a drop-down's formula, and what it cannot hold:
# a choice with a comma was offered as two choices.
_INLINE_LIST = 255


def _validation(spec: InputSpec, lang: Lang, listed: Callable[[Sequence[str]], str]) -> DataValidation | None:
    from openpyxl.worksheet.datavalidation import DataValidation

    prompt = question(spec, lang)[:250]

    def rule(kind: _Kind, formula1: str, operator: _Operator | None = None, formula2: str | None = None
             ) -> DataValidation:  # fmt: skip
        return DataValidation(type=kind, operator=operator, formula1=formula1, formula2=formula2,
                              allow_blank=True, showErrorMessage=True, showInputMessage=True,
                              promptTitle=spec.name[:32], prompt=prompt, errorTitle=spec.name[:32], error=prompt)  # fmt: skip

    if spec.type in ("bool", "label"):
        choices = ("是", "否") if spec.type == "bool" else spec.labels
        inline = ",".join(choices)
        if len(inline) + 2 > _INLINE_LIST or any("," in c or '"' in c for c in choices):
            return rule("list", listed(choices))  # a label `健全,完整`, or many long ones
        return rule("list", f'"{inline}"')
    if spec.type not in ("percent", "count", "amount", "score"):
        return None
    kind: _Kind = "whole" if spec.type == "count" else "decimal"
    implied: tuple[_Bound, ...] = ((">=", Decimal(0)),) if spec.type != "percent" else ()
    lower, upper = _tightest((*implied, *spec.bounds))
    low: tuple[_Operator, Decimal] | None = None
    high: tuple[_Operator, Decimal] | None = None
    if lower is not None:
        op, bound = lower
        strict = op == ">"
        if kind == "whole" and strict:
            low = ("greaterThanOrEqual", bound + 1)
        else:
            low = ("greaterThan" if strict else "greaterThanOrEqual", bound)
    if upper is not None:
        high = ("lessThan" if upper[0] == "<" else "lessThanOrEqual", upper[1])
    if low and high:
        return rule(kind, _f(low[1]), "between", _f(high[1]))
    one = low or high
    if one:
        return rule(kind, _f(one[1]), one[0])
    return None


def _f(value: Decimal) -> str:
    return format(value, "f")


def _rubric_sheet(sheet: Worksheet, rubric: Rubric, lang: Lang) -> None:
    """The rubric's tree, one node per row, with maxima, inputs read, and a 自评得分 column to fill."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    words = WORDS[lang]
    levels = depth(rubric.tree)
    header = [*level_names(levels, lang), words["max"], words["inputs"], words["declared"]]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for top in rubric.tree:
        stack = [(top, 0)]
        while stack:
            node, level = stack.pop()
            column = level if node.is_group else levels - 1
            line: list[str | Decimal | None] = [None] * len(header)
            line[column], line[levels] = node.name, node.max
            line[levels + 1] = None if node.is_group else ("、" if lang == "zh" else ", ").join(node.inputs)
            sheet.append(line)
            if node.is_group:
                sheet.cell(sheet.max_row, column + 1).font = Font(bold=True)
                stack.extend((c, level + 1) for c in reversed(node.children))
    total: list[str | Decimal | None] = [None] * len(header)
    total[0], total[levels] = words["total"], rubric.max
    grade: list[str | None] = [None] * len(header)
    grade[0], grade[levels + 1] = words["grade"], grade_bands(rubric.grades, lang)
    sheet.append(total)
    sheet.append(grade)
    for row in sheet.iter_rows(min_row=2):
        row[levels + 1].alignment = Alignment(wrap_text=True, vertical="top")
    for index in range(levels):
        sheet.column_dimensions[get_column_letter(index + 1)].width = 24
    sheet.column_dimensions[get_column_letter(levels + 2)].width = 40
    sheet.column_dimensions[get_column_letter(levels + 3)].width = 12
    sheet.freeze_panes = "A2"

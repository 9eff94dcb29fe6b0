"""Human reports of a Result: the terminal table, Markdown, HTML and XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from pingfen.compile import Rubric
from pingfen.diagnostics import Lang
from pingfen.report.table import render_table
from pingfen.result import Result

FORMATS = ("md", "html", "xlsx")

__all__ = ["FORMATS", "render_table", "report_file", "write_report"]


def write_report(
    result: Result, fmt: str, path: str | Path | None = None, *, lang: Lang = "zh",
    department: str | None = None, out: TextIO | None = None,
) -> None:  # fmt: skip
    """Write a one-department report as `md`, `html` or `xlsx` to `path` (atomically) or, except XLSX, to `out`."""
    from pingfen.io.write import write_text

    if fmt == "xlsx":
        from pingfen.report.xlsx import write_xlsx

        if path is None:
            raise ValueError("an XLSX report needs a file name")
        write_xlsx(result, path, lang, department)
        return
    if fmt == "md":
        from pingfen.report.markdown import render_markdown

        text = render_markdown(result, lang, department)
    elif fmt == "html":
        from pingfen.report.html import render_html

        text = render_html(result, lang, department)
    else:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    if path is None:
        assert out is not None, "write to a path or to `out`"
        out.write(text)
    else:
        write_text(path, text)


def report_file(
    rubric: Rubric, data: str | Path, fmt: str, path: str | Path | None = None, *, lang: Lang = "zh",
    id: str | None = None, encoding: str | None = None, id_column: str | None = None, out: TextIO | None = None,
) -> Result:  # fmt: skip
    """Score one department read from `data` (a JSON/YAML record, or one row of a CSV/XLSX/JSONL
    file, picked by `id` when there are several) and write its report. Returns the result."""
    from pingfen.io.records import read_department
    from pingfen.io.write import refuse_inputs

    refuse_inputs(path, [data])  # PF701: the report would replace the data it comes from
    department, record = read_department(data, id=id, encoding=encoding, id_column=id_column)
    result = rubric.evaluate(record, lang=lang, record=department)
    write_report(result, fmt, path, lang=lang, department=department, out=out)
    return result

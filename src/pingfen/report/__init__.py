"""Human reports of a Result: the terminal table, Markdown, HTML and XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from pingfen.lang import Lang
from pingfen.report.table import render_table
from pingfen.result import Result

FORMATS = ("md", "html", "xlsx")

__all__ = ["FORMATS", "render_table", "write_report"]


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

"""Human reports of a Result: the terminal table, Markdown, HTML, XLSX, DOCX and PDF (the HTML, printed)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from pingfen.lang import Lang, checked
from pingfen.report.filing import Filing
from pingfen.report.table import render_table
from pingfen.result import Result
from pingfen.values import pinned

FORMATS = ("md", "html", "xlsx", "docx", "pdf")
BINARY = ("xlsx", "docx", "pdf")  # formats written only to a file

__all__ = ["BINARY", "FORMATS", "Filing", "render_table", "write_report"]


@pinned  # a chart's bars and a penalty's points in pingfen's context, not the caller's
def write_report(
    result: Result, fmt: str, path: str | Path | None = None, *, lang: Lang = "zh",
    department: str | None = None, out: TextIO | None = None, filing: Filing | None = None,
) -> None:  # fmt: skip
    """Write a one-department report as `md`, `html`, `xlsx`, `docx` or `pdf` to `path` (atomically)
    or, for md and html, to `out`. With a `filing`, it carries the year, unit, evaluation date
    and the lines to sign by hand."""
    from pingfen.io.write import write_text

    checked(lang)
    if fmt in BINARY and path is None:
        raise ValueError(f"a {fmt.upper()} report needs a file name")
    if fmt == "xlsx":
        from pingfen.report.xlsx import write_xlsx

        assert path is not None
        write_xlsx(result, path, lang, department, filing)
        return
    if fmt == "docx":
        from pingfen.report.docx import write_docx

        assert path is not None
        write_docx(result, path, lang, department, filing)
        return
    if fmt == "md":
        from pingfen.report.markdown import render_markdown

        text = render_markdown(result, lang, department, filing)
    elif fmt in ("html", "pdf"):
        from pingfen.report.html import render_html

        text = render_html(result, lang, department, filing)
        if fmt == "pdf":
            from pingfen.report.pdf import write_pdf

            assert path is not None
            write_pdf(text, path)
            return
    else:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    if path is None:
        if out is None:
            raise ValueError("no output given: a file name to write to, or `out`, an open text file")
        out.write(text)
    else:
        write_text(path, text)

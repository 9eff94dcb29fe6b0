"""`pingfen render`: the rubric itself as the official table (评分表), in Word, Excel, HTML
or Markdown, generated from the checked file so that it can never disagree with the scoring."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pingfen.lang import Lang

if TYPE_CHECKING:
    from pingfen.evaluate.rubric import Rubric

FORMATS = ("docx", "xlsx", "html", "md")
SUFFIXES = {".docx": "docx", ".xlsx": "xlsx", ".html": "html", ".htm": "html", ".md": "md"}


def render_table(
    rubric: Rubric, fmt: str, path: str | Path | None = None, *, lang: Lang = "zh", out: TextIO | None = None
) -> None:
    """Write the rubric's table as `fmt` (docx, xlsx, html, md) to `path`, atomically, or, for
    HTML and Markdown, to `out`. The 评分标准 of each row is written from its rules."""
    from pingfen.report.rubric_table import build_table, render_html, render_markdown

    if fmt not in FORMATS:
        raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(FORMATS)}")
    table = build_table(rubric, lang)
    if fmt in ("docx", "xlsx"):
        if path is None:
            raise ValueError(f"a {fmt.upper()} table needs a file name")
        from pingfen.report.rubric_office import write_docx, write_xlsx

        (write_docx if fmt == "docx" else write_xlsx)(table, path)
        return
    text = render_html(table) if fmt == "html" else render_markdown(table)
    if path is None:
        if out is None:
            raise ValueError("no output given: a file name to write to, or `out`, an open text file")
        out.write(text)
    else:
        from pingfen.io.write import write_text

        write_text(path, text)

"""What each button of the workbench does, as plain data for the page.

Every answer comes from the library the command line uses (`loader.diagnose_loads`/`loads`,
`Rubric.evaluate`, `report.rubric_table`, `testrun`, `coverage`, `fuzz`, `batch`,
`batchreport`, `template`): the workbench has no checker or evaluator of its own.
"""

from __future__ import annotations

import importlib
import tempfile
import zipfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import frozen

from pingfen.batch import Scored, indicator_names, score_rows
from pingfen.batchreport import report_folder
from pingfen.coverage import render_text
from pingfen.diagnostics import Diagnostic, Source
from pingfen.errors import DataError, EmptyDomain, Problem, RubricError
from pingfen.evaluate.rubric import NodeSpec, Rubric
from pingfen.io.headers import header_problem
from pingfen.io.records import read_batch
from pingfen.io.tables import Rows, renamed
from pingfen.io.write import atomic_open, plain, write_results
from pingfen.lang import Lang
from pingfen.loader import diagnose_loads, loads, loads_unsound
from pingfen.report.rubric_table import build_table, render_html
from pingfen.result import NodeResult
from pingfen.serve.folder import Denied, Place, Worded
from pingfen.syntax.formatter import FormatError, format_text
from pingfen.template import question, render_template, write_template
from pingfen.testrun import render_failures, run_examples, summary

FUZZ_EXAMPLES = 30  # a short run, for a button: `pingfen fuzz` searches longer


def _diagnostic(d: Diagnostic, text: str, at: Place, lang: Lang) -> dict[str, Any]:
    """A diagnostic for the page: shown in the file its span is in (the loader gave it that
    file's text: a base file this one extends, say), named as the folder names it."""
    span = d.span
    source = d.source if d.source is not None else Source(at.name, text)
    shown = Source(at.folder.shown(source.path), source.text)
    # The loader dropped a BOM the editor holds (and shows) before line 1: its underline counts it.
    bom = 1 if span.file == 0 and text.startswith("\ufeff") else 0
    return {
        "code": d.code, "severity": d.severity, "message": d.message(lang), "hint": d.help(lang),
        "line": span.line, "column": span.column + (bom if span.line == 1 else 0),
        "end_line": span.end_line, "end_column": span.end_column + (bom if span.end_line == 1 else 0),
        "in_file": span.file == 0,  # a finding in a base file this one extends is listed, not marked
        "file": shown.path, "text": d.with_source(shown).render(lang),
    }  # fmt: skip


def check(text: str, at: Place, lang: Lang) -> dict[str, Any]:
    """Diagnostics for the text, and, when it loads, the official table and the form's inputs."""
    whole, diagnostics = diagnose_loads(text, at.name, resolver=at.folder.base)
    answer: dict[str, Any] = {"diagnostics": [_diagnostic(d, text, at, lang) for d in diagnostics]}
    # a failing example or property leaves what scoring reads loading: its table is shown still
    rubric = whole if whole is not None else _loaded(text, at)
    if rubric is not None:
        answer["table"] = render_html(build_table(rubric, lang))
        answer["inputs"] = [_input(spec, lang) for spec in rubric.inputs]
        answer["name"], answer["max"] = rubric.name, plain(rubric.max)
    return answer


def _loaded(text: str, at: Place, *, tests: bool = False) -> Rubric | None:
    """The rubric, or None when the text has errors. Every file it extends is opened only
    when the folder allows it (Denied, PF850, else), by the loader itself, as it reads it."""
    try:
        return loads(text, at.name, tests=tests, resolver=at.folder.base)
    except RubricError:
        return None


def rubric_of(text: str, at: Place, *, tests: bool = False) -> Rubric:
    """The rubric, or Denied (PF856) when the text has errors: the editor lists them."""
    rubric = _loaded(text, at, tests=tests)
    if rubric is None:
        raise Denied("PF856", 409)
    return rubric


def _input(spec: Any, lang: Lang) -> dict[str, Any]:
    return {
        "name": spec.name, "type": spec.type, "description": spec.description, "question": question(spec, lang),
        "bounds": [[op, plain(value)] for op, value in spec.bounds], "labels": list(spec.labels),
    }  # fmt: skip


def score(text: str, at: Place, values: Mapping[str, object], lang: Lang) -> dict[str, Any]:
    """The form's record scored: total, grade, every node with its reasons; or each input at fault."""
    rubric = rubric_of(text, at)
    record = {k: v for k, v in values.items() if v not in ("", None)}  # an empty field is a missing input
    try:
        result = rubric.evaluate(record, lang=lang)
    except DataError as error:
        return _partial(rubric, record, error, lang)
    return {
        "total": plain(result.total), "max": plain(result.max), "grade": result.grade,
        "nodes": [row for top in result.children for row in _nodes(top, 0)],
    }


def _partial(rubric: Rubric, record: Mapping[str, object], error: DataError, lang: Lang) -> dict[str, Any]:
    """A record not yet complete: each node whose inputs are all given and valid is scored
    alone (`Rubric.score_node`, the walker the compiled code is tested against); the others,
    the total and the grade wait. Problems other than a missing input are listed."""
    faulty = {p.input for p in error.problems}
    rows: list[dict[str, Any]] = []

    def visit(spec: NodeSpec, depth: int) -> None:
        row: dict[str, Any] = {"name": spec.name, "max": plain(spec.max), "score": None, "group": spec.is_group,
                               "depth": depth, "reasons": []}  # fmt: skip
        if not faulty.intersection(spec.inputs):
            try:
                node = rubric.score_node(spec.name, record, lang=lang)
            except DataError:  # say, a divisor that is 0: the whole record's problems say so
                pass
            else:
                row["score"] = plain(node.score)
                row["reasons"] = [] if node.is_group else node.reasons_in(lang)
        rows.append(row)
        for child in spec.children:
            visit(child, depth + 1)

    for top in rubric.tree:
        visit(top, 0)
    return {
        "problems": [_problem(p, lang) for p in error.problems if p.code != "PF501"],
        "missing": [p.input for p in error.problems if p.code == "PF501"],
        "nodes": rows, "max": plain(rubric.max),
    }  # fmt: skip


def _problem(p: Problem, lang: Lang) -> dict[str, Any]:
    return {"code": p.code, "input": p.input, "message": p.message(lang), "hint": p.help(lang)}


def _nodes(node: NodeResult, depth: int) -> list[dict[str, Any]]:
    """The node and those below it, in order, each with its level (0 for a top group)."""
    row = {"name": node.name, "max": plain(node.max), "score": plain(node.score), "group": node.is_group,
           "depth": depth, "reasons": [] if node.is_group else node.reasons_in(node.lang)}  # fmt: skip
    return [row, *(r for child in node.children for r in _nodes(child, depth + 1))]


def examples(text: str, at: Place, lang: Lang) -> dict[str, Any]:
    """The rubric's own examples run, with coverage, as `pingfen test --coverage` prints them."""
    rubric = rubric_of(text, at, tests=True)
    run = run_examples(rubric, coverage=True, lang=lang)
    return {
        "passed": run.passed,
        "examples": [{"name": o.example.name, "line": o.example.span.line, "passed": o.passed} for o in run.outcomes],
        "failures": _shown(render_failures(run, lang), at), "summary": _shown(summary(run, lang), at),
        "coverage": _shown(render_text([run.coverage], lang), at) if run.coverage is not None else "",
    }  # fmt: skip


def _shown(said: str, at: Place) -> str:
    """A report of the command line's, the file named as the page names it (relative to the
    folder, as a diagnostic names it), not by the full path the library was given."""
    return said.replace(at.name, at.folder.shown(at.name))


def fuzz(text: str, at: Place, lang: Lang) -> dict[str, Any]:
    """A short fuzz run (`pingfen fuzz`, fewer records), soundness findings allowed as there."""
    try:
        fuzzing = importlib.import_module("pingfen.fuzz")
    except ImportError:  # hypothesis is optional
        need = "需要 hypothesis：pip install 'pingfen[testing]'" if lang == "zh" else "needs hypothesis: pip install 'pingfen[testing]'"
        return {"passed": False, "text": need}
    try:
        rubric, diagnostics = loads_unsound(text, at.name, resolver=at.folder.base)
    except RubricError:
        raise Denied("PF856", 409) from None
    findings = [d for d in diagnostics if d.severity == "error"]
    try:
        report = fuzzing.fuzz(rubric, max_examples=FUZZ_EXAMPLES, seed=0, findings=findings, lang=lang)
    except EmptyDomain as empty:  # no record can be drawn: why, and the checker's finding (PF415) under it
        texts: dict[Lang, str] = {}
        for language in ("zh", "en"):
            shown = [_diagnostic(d, text, at, language)["text"] for d in findings if d.code == "PF415"]
            texts[language] = "\n\n".join([empty.message(language), *shown])
        raise Worded("PF415", 422, texts) from None
    return {"passed": report.passed, "text": _shown(fuzzing.render(report, lang), at)}


def formatted(text: str, at: Place, lang: Lang) -> dict[str, Any]:
    """The canonical layout (`pingfen fmt`), or the diagnostics that keep the text from being parsed."""
    try:
        return {"text": format_text(text)}
    except FormatError as error:
        return {"diagnostics": [_diagnostic(d, text, at, lang) for d in error.diagnostics]}


@frozen
class Batch:
    """A scored upload: the table to show, the results to download, and the rubric that
    scored it (the reports, made when first asked for, come from it and no other)."""

    table: dict[str, Any]
    files: dict[str, tuple[bytes, str]]  # download name → (bytes, media type)
    rubric: Rubric


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


def batch(text: str, at: Place, upload: Path, lang: Lang, shown: str | None = None) -> Batch:
    """Score an uploaded data file (a batch file, or one record as a batch of one): every row
    with its scores or its error, and the results as CSV and XLSX, as `pingfen eval` writes them.
    A row's error names the file as `shown` (the name the user chose), not the private copy."""
    rubric = rubric_of(text, at)
    rows = read_batch(upload)
    # As `pingfen eval` (score_file): a file whose header names no input (a title row above it)
    # or hides one is refused whole, not every row refused "missing input" without saying why.
    hidden = None if not isinstance(rows, Rows) else header_problem(rubric, rows)
    if hidden is not None:
        raise DataError([hidden])
    indicators = indicator_names(rubric)
    scored: list[Scored] = list(score_rows(rubric, renamed(rows, str(upload), shown or upload.name), lang))
    lines = [s.line(indicators, lang) for s in scored]
    table = {
        "columns": ["id", *indicators, "total", "grade", "error"],
        "rows": [
            {"number": s.row.number, "id": s.row.label(lang), "scores": [_cell(v) for v in line[1]],
             "total": _cell(line[2]), "grade": line[3], "error": line[4]}
            for s, line in zip(scored, lines, strict=True)
        ],
        "failed": sum(s.error is not None for s in scored),
    }  # fmt: skip
    files: dict[str, tuple[bytes, str]] = {}
    with tempfile.TemporaryDirectory(prefix="pingfen-serve-") as scratch:
        for fmt, media in (("csv", "text/csv; charset=utf-8"), ("xlsx", XLSX)):
            target = Path(scratch) / f"results.{fmt}"
            write_results(lines, indicators, fmt, target, lang=lang)
            files[_download("results", fmt, lang)] = (target.read_bytes(), media)
    return Batch(table, files, rubric)


def reports_name(lang: Lang) -> str:
    return _download("reports", "zip", lang)


def reports(rubric: Rubric, upload: Path, lang: Lang, shown: str | None = None) -> tuple[bytes, str]:
    """One report per unit (DOCX, as `pingfen report RULE DATA -o 报告/` writes them) and the
    summary workbook, zipped. Made when asked for (a large batch takes a while), from the
    rubric that scored the batch: no file is read again, so what it extends may have changed."""
    with tempfile.TemporaryDirectory(prefix="pingfen-serve-") as scratch:
        folder = Path(scratch) / "reports"
        report_folder(rubric, upload, folder, "docx", lang=lang, shown=shown or upload.name)
        archive = Path(scratch) / "reports.zip"
        with atomic_open(archive, "wb") as file, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(folder.iterdir()):
                zipped.write(path, path.name)
        return archive.read_bytes(), ZIP


_NAMES = {"results": ("评分结果", "results"), "reports": ("评价报告", "reports"), "template": ("填报模板", "template")}


def _download(kind: str, suffix: str, lang: Lang) -> str:
    return f"{_NAMES[kind][0 if lang == 'zh' else 1]}.{suffix}"


def _cell(value: Decimal | str | None) -> str | None:
    """A score as the table shows it; a row that does not apply is already its text (不适用)."""
    return value if value is None or isinstance(value, str) else plain(value)


def template(text: str, at: Place, fmt: str, lang: Lang) -> tuple[str, bytes, str]:
    """The data-entry template (`pingfen template`): file name, bytes, media type."""
    rubric = rubric_of(text, at)
    if fmt == "xlsx":
        with tempfile.TemporaryDirectory(prefix="pingfen-serve-") as scratch:
            target = Path(scratch) / "template.xlsx"
            write_template(rubric, "xlsx", target, lang=lang)
            return _download("template", "xlsx", lang), target.read_bytes(), XLSX
    data = render_template(rubric, "csv", lang).encode("utf-8-sig")  # as `pingfen template`: Excel reads the BOM
    return _download("template", "csv", lang), data, "text/csv; charset=utf-8"

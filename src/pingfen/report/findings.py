"""Diagnostics for tools: plain JSON, and SARIF 2.1.0 for code scanning and editors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pingfen.diagnostics import Diagnostic
from pingfen.lang import Lang
from pingfen.messages import MESSAGES
from pingfen.reasons import template_pieces

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "note": "note"}

Checked = Sequence[tuple[str, Sequence[Diagnostic]]]  # (path, its diagnostics)


def _where(path: str, d: Diagnostic) -> str:
    """The file a finding is in: the one checked, or a file it extends (`Span.file`)."""
    return d.source.path if d.source is not None and d.span.file > 0 else path


def _finding(path: str, d: Diagnostic, lang: Lang) -> dict[str, Any]:
    """A finding; its place null where it has none in the file (a file that cannot be read, PF010)."""
    span = d.span
    place = (span.line, span.column, span.end_line, span.end_column) if span.known else (None, None, None, None)
    return {
        "file": _where(path, d), "code": d.code, "severity": d.severity, "message": d.message(lang), "help": d.help(lang),
        **dict(zip(("line", "column", "end_line", "end_column"), place, strict=True)),
    }  # fmt: skip


def _outline(message: str) -> str:
    """A message with `…` for each placeholder, read as it is filled (str.format: `{{` is a brace)."""
    pieces = template_pieces(message)
    if pieces is None:  # pragma: no cover - every message is a valid format string
        return message
    # a counted field (`{places:place}`, messages._Counting) keeps its noun: `… places`
    return "".join(text if name is None else text + "…" + (f" {spec}s" if spec.isalpha() else "") for text, name, spec in pieces)


def to_json(files: Checked, lang: Lang = "en") -> dict[str, Any]:
    """Every finding as a flat list, positions 1-based, columns in characters."""
    return {"diagnostics": [_finding(path, d, lang) for path, found in files for d in found]}


def to_sarif(files: Checked, version: str, lang: Lang = "en") -> dict[str, Any]:
    """One SARIF run: a rule per code used, a result per finding."""
    codes = sorted({d.code for _, found in files for d in found})
    index = {code: i for i, code in enumerate(codes)}
    rules = [
        {
            "id": code,
            "name": code,
            "shortDescription": {"text": _outline(MESSAGES[code][0 if lang == "en" else 1])},
        }
        for code in codes
    ]
    results = []
    for path, found in files:
        for d in found:
            result: dict[str, Any] = {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": _LEVEL[d.severity],
                "message": {"text": d.message(lang) + (f" ({d.help(lang)})" if d.help(lang) else "")},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": _where(path, d)}}}],
            }
            if d.span.known:
                result["locations"][0]["physicalLocation"]["region"] = {
                    "startLine": d.span.line, "startColumn": d.span.column,
                    "endLine": d.span.end_line, "endColumn": max(d.span.end_column, d.span.column + 1),
                }  # fmt: skip
            results.append(result)
    driver = {"name": "pingfen", "version": version, "rules": rules}
    run = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}

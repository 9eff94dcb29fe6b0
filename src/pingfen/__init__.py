"""pingfen (评分): a language and interpreter for scoring rubrics.

import pingfen
rubric = pingfen.load("rulesets/dept-overall-2021.rule")
result = rubric.evaluate({"在职人数": 12, "编制人数": 12, ...})
result.total, result.grade, result["财政供养人员控制率"].reasons
rubric.evaluate_many(pingfen.read_records("data.csv"), key="id")  # a batch, row by row
pingfen.run_examples(rubric, coverage=True)     # the rubric's own examples
pingfen.format_text(text)                       # the canonical layout

The names below are imported when first used, so that `import pingfen` (and the
command line's `--help`) stays quick; `from pingfen import Rubric` works as usual.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, for `pingfen --help`

__version__ = "0.1.0"

_HOMES = {
    "DataError": "pingfen.errors",
    "Diagnostic": "pingfen.diagnostics",
    "FormatError": "pingfen.syntax.formatter",
    "InputSpec": "pingfen.evaluate.rubric",
    "NodeResult": "pingfen.result",
    "PingfenError": "pingfen.errors",
    "Problem": "pingfen.errors",
    "Result": "pingfen.result",
    "Rubric": "pingfen.evaluate.rubric",
    "RubricError": "pingfen.errors",
    "Span": "pingfen.diagnostics",
    "TestRun": "pingfen.testrun",
    "diagnose": "pingfen.loader",
    "format_text": "pingfen.syntax.formatter",
    "load": "pingfen.loader",
    "loads": "pingfen.loader",
    "read_records": "pingfen.io.records",
    "run_examples": "pingfen.testrun",
}
__all__ = [
    "DataError",
    "Diagnostic",
    "FormatError",
    "InputSpec",
    "NodeResult",
    "PingfenError",
    "Problem",
    "Result",
    "Rubric",
    "RubricError",
    "Span",
    "TestRun",
    "diagnose",
    "format_text",
    "load",
    "loads",
    "read_records",
    "run_examples",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'pingfen' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


if TYPE_CHECKING:
    from typing import Any

    from pingfen.diagnostics import Diagnostic, Span
    from pingfen.errors import DataError, PingfenError, Problem, RubricError
    from pingfen.evaluate.rubric import InputSpec, Rubric
    from pingfen.io.records import read_records
    from pingfen.loader import diagnose, load, loads
    from pingfen.result import NodeResult, Result
    from pingfen.syntax.formatter import FormatError, format_text
    from pingfen.testrun import TestRun, run_examples

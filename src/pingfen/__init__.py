"""pingfen (评分): a language and interpreter for scoring rubrics.

import pingfen
rubric = pingfen.load("rulesets/dept-overall-2021.rule")
result = rubric.evaluate({"在职人数": 12, "编制人数": 12, ...})
result.total, result.grade, result["财政供养人员控制率"].reasons
pingfen.run_examples(rubric, coverage=True)     # the rubric's own examples
pingfen.format_text(text)                       # the canonical layout
"""

from pingfen.compile import InputSpec, Rubric
from pingfen.diagnostics import Diagnostic, Span
from pingfen.errors import DataError, PingfenError, Problem, RubricError
from pingfen.fmt import FormatError, format_text
from pingfen.loader import diagnose, load, loads
from pingfen.result import NodeResult, Result
from pingfen.testrun import TestRun, run_examples

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
    "run_examples",
]
__version__ = "0.1.0"

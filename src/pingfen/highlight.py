"""A Pygments lexer for `.rule` files, registered as the entry point `pingfen` of
`pygments.lexers`: whatever renders with Pygments (Sphinx, MkDocs, `pygmentize`, Markdown
renderers) highlights ```rule code once pingfen is installed.

The words are the grammar's own (grammar/pingfen.lark); tests/test_highlight.py holds these
lists to it, so a keyword added there and not here fails the tests. Rule text is only
read here, never run."""

from __future__ import annotations

from typing import ClassVar

from pygments.lexer import RegexLexer, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text

# Statements and the words between their parts.
STATEMENTS = (
    "rubric", "year", "total", "round", "grade", "otherwise", "input", "let", "group", "indicator",
    "deduct", "per", "of", "above", "below", "from", "counting", "reason", "award", "if", "bands",
    "when", "else", "match", "judgment", "score", "example", "given", "expect", "error", "on",
    "property", "monotone", "for", "extends", "remove", "add", "to", "applies", "pending", "then", "batch", "precision",
    "bonus", "penalty", "adjust", "cap", "veto",
)  # fmt: skip
TYPES = ("percent", "amount", "count", "bool", "number", "label", "date", "list")  # `score` is a statement too
CONSTANTS = (
    "true", "false", "proportional", "whole", "started", "increasing", "decreasing",
    "half_up", "half_even", "half_down", "up", "down", "ceiling", "floor", "full", "zero", "rescale",
)  # fmt: skip
OPERATOR_WORDS = ("and", "or", "not")
FUNCTIONS = ("min", "max", "abs", "mean", "median", "trimmed_mean", "days", "months", "rank")  # `max NAME N` in a file that extends another, too

# What a name may hold besides letters and digits (grammar: NAME), so that a keyword is
# only a keyword as a whole word: `score` in `score分` is part of a name.
_NAME_CHARS = r"\w“”‘’《》〈〉「」『』·"
_BEFORE = rf"(?<![{_NAME_CHARS}])"
_AFTER = rf"(?![{_NAME_CHARS}])"
_NUMBER = r"\d+(?:[.．]\d+)?"

Percent = Number.Percent
Points = Number.Pp


class PingfenLexer(RegexLexer):
    name = "pingfen"
    aliases: ClassVar[list[str]] = ["pingfen", "rule"]  # ```rule in Markdown
    filenames: ClassVar[list[str]] = ["*.rule"]
    mimetypes: ClassVar[list[str]] = ["text/x-pingfen"]

    tokens = {
        "root": [
            (r"[ \t\f\r\n\u00a0\u3000\ufeff]+", Text.Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"(?:[^"\\\n]|\\.)*"', String.Double),
            (r"`[^`\n]+`", Name.Variable),
            (rf"{_NUMBER}[%％]", Percent),
            (rf"{_NUMBER}pp{_AFTER}", Points),
            (rf"{_NUMBER}", Number),
            (r"[（(][ \u3000]*不?含[ \u3000]*[）)]", Keyword.Pseudo),  # 80%（含）－90%
            (words(STATEMENTS, prefix=_BEFORE, suffix=_AFTER), Keyword),
            (words(TYPES, prefix=_BEFORE, suffix=_AFTER), Keyword.Type),
            (words(CONSTANTS, prefix=_BEFORE, suffix=_AFTER), Keyword.Constant),
            (words(OPERATOR_WORDS, prefix=_BEFORE, suffix=_AFTER), Operator.Word),
            (words(FUNCTIONS, prefix=_BEFORE, suffix=_AFTER), Name.Builtin),
            (rf"PF\d{{3}}{_AFTER}", Name.Exception),  # `expect error PF503`
            (r"“[^“”\n]*”(?![\w])|「[^「」\n]*」(?![\w])", String.Double),  # a text in Chinese quotes
            (rf"(?:[^\W\d]|[“‘《〈「『])[{_NAME_CHARS}]*", Name),
            (r"\.\.|->|→|==|>=|<=|!=|~=|[=＝>＜<＞≥≤≧≦≠≈+＋\-－−*×/÷]", Operator),  # `..`: an adjust row's range
            (r"—+|–|～|~", Operator),  # the dash of `80%－90%` as printed
            (r"[{}()\[\]（）［］,，:：]", Punctuation),
        ],
    }

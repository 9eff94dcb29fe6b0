"""The Pygments lexer (pingfen.highlight): every rule text of the project lexes without an
error token, its words are the grammar's, and it is registered for Pygments to find."""

from __future__ import annotations

import re
import tomllib
from importlib import import_module
from pathlib import Path

import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.token import Comment, Error, Keyword, Name, Number, Operator, String

from pingfen import highlight as rule_highlight
from pingfen.highlight import PingfenLexer
from pingfen.syntax.parser import parse

ROOT = Path(__file__).resolve().parents[1]
GRAMMAR = (ROOT / "grammar" / "pingfen.lark").read_text(encoding="utf-8")
FENCE = re.compile(r"^(```+)[ \t]*(rule(?:-warning|-error)?)[ \t]*\n(.*?)^\1[ \t]*$", re.S | re.M)


def doc_blocks() -> list[tuple[str, str]]:
    out = []
    for path in sorted([*(ROOT / "docs").rglob("*.md"), ROOT / "README.md"]):
        for i, m in enumerate(FENCE.finditer(path.read_text(encoding="utf-8"))):
            if m.group(2) != "rule-error" or parse(m.group(3))[0] is not None:  # a syntax error may show its fault
                out.append((f"{path.relative_to(ROOT)}#{i + 1}", m.group(3)))
    return out


def rule_files() -> list[Path]:
    return sorted([*(ROOT / "rulesets").glob("*.rule"), *(ROOT / "tests" / "golden").rglob("*.rule"),
                   *(ROOT / "examples").rglob("*.rule")])  # fmt: skip


def errors(text: str) -> list[str]:
    return [value for token, value in PingfenLexer().get_tokens(text) if token in Error]


DOCS = doc_blocks()


def test_the_docs_have_rule_examples() -> None:
    assert len(DOCS) >= 40 and len(rule_files()) >= 40  # the lists below are not empty by mistake


@pytest.mark.parametrize(("where", "text"), DOCS, ids=[w for w, _ in DOCS])
def test_every_rule_example_in_the_docs_lexes_without_error(where: str, text: str) -> None:
    assert errors(text) == []


@pytest.mark.parametrize("path", rule_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_rule_file_the_parser_reads_lexes_without_error(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    module, _diagnostics = parse(text)
    if module is None:  # a golden file of a syntax error (an `@` where none may be) may show it
        return
    assert errors(text) == []


def test_the_keywords_are_the_grammars() -> None:
    grammar = set(re.findall(r'"([a-z_]+)"', GRAMMAR))
    lists = [rule_highlight.STATEMENTS, rule_highlight.TYPES, rule_highlight.CONSTANTS,
             rule_highlight.OPERATOR_WORDS, rule_highlight.FUNCTIONS]  # fmt: skip
    lexed = [w for words in lists for w in words]
    assert len(lexed) == len(set(lexed))  # each word in one list
    assert set(lexed) == grammar


def kinds(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in PingfenLexer().get_tokens(text) if not v.isspace()]


def test_what_each_piece_is() -> None:
    text = 'indicator 执行率得分 5 {  # 注释\n  bands 执行率 { >= 90% -> 5  80%（含）－90% -> 4  else -> 0 reason "x" }\n}\n'
    found = kinds(text)
    assert found[:3] == [(Keyword, "indicator"), (Name, "执行率得分"), (Number, "5")]
    assert (Comment.Single, "# 注释") in found
    assert (Number.Percent, "90%") in found and (Keyword.Pseudo, "（含）") in found
    assert (Operator, "->") in found and (Operator, "－") in found
    assert (String.Double, '"x"') in found and (Keyword, "else") in found
    # A keyword is a keyword only as a whole word; names may hold one, in any script.
    assert kinds("score分 + scored - `max`") == [
        (Name, "score分"), (Operator, "+"), (Name, "scored"), (Operator, "-"), (Name.Variable, "`max`")
    ]
    assert kinds("max(a, 5pp) and not true")[0] == (Name.Builtin, "max")
    assert (Number.Pp, "5pp") in kinds("max(a, 5pp)") and (Keyword.Constant, "true") in kinds("not true")
    assert (Name.Exception, "PF503") in kinds("expect error PF503 on 调整率")
    assert errors("input a: percent @") == ["@"]  # what the grammar does not know is marked


def test_registered_as_a_pygments_entry_point() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    target = project["project"]["entry-points"]["pygments.lexers"]["pingfen"]
    module, _, name = target.partition(":")
    assert getattr(import_module(module), name) is PingfenLexer
    assert "rule" in PingfenLexer.aliases and "*.rule" in PingfenLexer.filenames
    html = highlight('rubric "x" { total 5 }\n', PingfenLexer(), HtmlFormatter())
    assert '<span class="k">rubric</span>' in html and '<span class="m">5</span>' in html


INSTALLED = not Path(rule_highlight.__file__).resolve().is_relative_to(ROOT / "src")


@pytest.mark.skipif(not INSTALLED, reason="pingfen imported from the source tree, not installed (CI installs it)")
def test_pygments_finds_the_lexer_once_installed() -> None:
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename

    assert isinstance(get_lexer_by_name("rule"), PingfenLexer)
    assert isinstance(get_lexer_by_name("pingfen"), PingfenLexer)
    assert isinstance(get_lexer_for_filename("评分表.rule"), PingfenLexer)

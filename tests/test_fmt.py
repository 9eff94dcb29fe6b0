"""The formatter, tested three ways (style habit 11):

1. input/expected pairs: tests/golden/fmt/<case>.input.rule formats to <case>.expected.rule
   (regenerate with PINGFEN_UPDATE_GOLDEN=1 and review the diff);
2. formatted files come back unchanged: the rulesets, the expected files, the docs' rule blocks;
3. properties: printing a generated AST parses back to it; formatting is idempotent, keeps
   the AST and keeps every comment, on generated rubrics and on messy retypings of real ones.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pingfen import ast
from pingfen.syntax.formatter import SKIP, FormatError, format_markdown, format_module, format_text
from pingfen.syntax.parser import parse
from strategies import messy_texts, rubrics

ROOT = Path(__file__).resolve().parents[1]
FMT = ROOT / "tests" / "golden" / "fmt"
INPUTS = sorted(FMT.glob("*.input.rule"))
CANONICAL = [
    *sorted((ROOT / "rulesets").glob("*.rule")),
    *sorted(FMT.glob("*.expected.rule")),
    *sorted((ROOT / "tests" / "golden" / "faults").glob("*.rule")),
]
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example, HealthCheck.data_too_large],
)


def parsed(text: str) -> ast.Module:
    module, diagnostics = parse(text)
    assert module is not None, diagnostics
    return module


def comments(text: str) -> Counter[str]:
    return Counter(c.text for c in parsed(text).comments)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name.removesuffix(".input.rule"))
def test_golden_pair(path: Path) -> None:
    expected = path.with_name(path.name.replace(".input.rule", ".expected.rule"))
    text = path.read_text(encoding="utf-8")
    formatted = format_text(text)
    if os.environ.get("PINGFEN_UPDATE_GOLDEN"):
        expected.write_text(formatted, encoding="utf-8")
    assert expected.exists(), f"no {expected.name}: run with PINGFEN_UPDATE_GOLDEN=1"
    assert formatted == expected.read_text(encoding="utf-8")
    assert parsed(formatted) == parsed(text)
    assert comments(formatted) == comments(text)


@pytest.mark.parametrize("path", CANONICAL, ids=lambda p: p.name)
def test_formatted_files_are_unchanged(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text


def _doc_rule_blocks() -> list[tuple[str, str]]:
    blocks = []
    for path in sorted((ROOT / "docs").glob("*.md")):
        for m in re.finditer(r"^```(rule|rule-warning)\n(.*?)^```$", path.read_text(encoding="utf-8"), re.S | re.M):
            line = path.read_text(encoding="utf-8")[: m.start()].count("\n") + 1
            if not m.group(2).startswith(SKIP):
                blocks.append((f"{path.name}:{line}", m.group(2)))
    return blocks


@pytest.mark.parametrize(("where", "block"), _doc_rule_blocks(), ids=lambda x: x if ":" in str(x) else "")
def test_docs_rule_blocks_are_formatted(where: str, block: str) -> None:
    assert format_text(block) == block, where


def test_markdown_formats_rule_blocks_only() -> None:
    text = '# Title\n\n```rule\nrubric "x" { total 1 }\n```\n\n```text\nrubric   "x"\n```\n'
    assert format_markdown(text) == text.replace('rubric "x" { total 1 }', 'rubric "x" {\n  total 1\n}')
    assert format_markdown(format_markdown(text)) == format_markdown(text)
    with pytest.raises(FormatError):  # a rule block that does not parse: exit 2, as docs/format.md says
        format_markdown(text + "\n```rule\nnot a rule\n```\n")


def test_syntax_errors_are_refused() -> None:
    with pytest.raises(FormatError) as info:
        format_text('rubric "x" { total 1 }\ngroup 甲 {\n}\n')
    assert info.value.diagnostics[0].code == "PF002"
    with pytest.raises(FormatError):  # a setting given twice would lose one of them
        format_text('rubric "x" { total 1 total 2 }')


def test_full_width_forms_become_ascii() -> None:
    text = 'rubric "x" { total 5 }\ninput 率：percent ≥ 0\ngroup 甲 5 { indicator 乙 5 { bands 率 { ≧ 90％ → 5 ［0％， 90％）→ 1 } } }\n'
    formatted = format_text(text)
    assert not set("：≥≧％→［）（，") & set(formatted)
    assert ">= 90%    -> 5" in formatted and "[0%, 90%) -> 1" in formatted


def test_alignment_counts_cjk_as_two_columns() -> None:
    text = 'rubric "x" {\n  total 5\n  grade 优秀 >= 4\n  grade a otherwise\n}\n'
    lines = format_text(text).splitlines()
    assert lines[2:4] == ["  grade 优秀 >= 4", "  grade a    otherwise"]


def test_an_indicator_with_a_comment_inside_stays_open() -> None:
    text = 'rubric "x" { total 1 }\ninput s: score\nindicator s 1 {\n  # judged by the panel\n  judgment\n}\n'
    formatted = format_text(text)
    assert "  # judged by the panel\n  judgment\n}" in formatted
    assert format_text(text.replace("  # judged by the panel\n", "")).endswith("indicator s 1 { judgment }\n")


@SETTINGS
@given(rubrics())
def test_printing_a_generated_rubric_parses_back_to_it(module: ast.Module) -> None:
    text = format_module(module)
    assert parsed(text) == module, text
    assert format_text(text) == text


_SOURCES = [ROOT / "rulesets" / "dept-overall-2021.rule", *INPUTS]


@SETTINGS
@given(st.sampled_from(_SOURCES).flatmap(lambda p: messy_texts(p.read_text(encoding="utf-8"))))
def test_formatting_messy_text_is_idempotent_and_keeps_meaning_and_comments(text: str) -> None:
    once = format_text(text)
    assert format_text(once) == once
    assert parsed(once) == parsed(text)
    assert comments(once) == comments(text)

"""A rule text is parsed by lark once, however many entry points read it in a row: loading a
file, checking it, formatting it and `pingfen.loads` share the last parses (syntax.parser's
memo of a few), as the attack suite's rule cases and the editor's analysis do. A 90 KB file
takes most of a second to parse."""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from pathlib import Path

import pytest

import pingfen
from pingfen.editor.analysis import analyse
from pingfen.syntax import parser as syntax

RULESET = Path(__file__).resolve().parents[1] / "rulesets" / "dept-overall-2021.rule"
# The examples and properties blanked, for scoring: the one text of the file that `load(tests=False)`
# parses apart from the whole (a file without them is the same text, and parsed once in all).
TEXT = RULESET.read_text(encoding="utf-8")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[int]]:
    """The length of each text lark's parser is given, from a fresh memo and a fresh cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # no tree of an earlier run
    monkeypatch.setattr(syntax, "_kept", ())  # nothing kept from an earlier test
    lark = syntax.parser()
    real = lark.parse
    given: list[int] = []

    def counted(text: str, *args: object, **kwargs: object) -> object:
        given.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(lark, "parse", counted)
    yield given


def test_entry_points_in_a_row_parse_the_text_once(parses: list[int], tmp_path: Path) -> None:
    path = tmp_path / "rubric.rule"
    path.write_text(TEXT, encoding="utf-8")
    pingfen.load(path)
    pingfen.diagnose(TEXT, str(path))
    pingfen.format_text(TEXT)
    pingfen.loads(TEXT, str(path))
    assert parses == [len(TEXT)]


def test_a_file_without_examples_is_parsed_once_for_scoring_too(parses: list[int], tmp_path: Path) -> None:
    text = TEXT[: TEXT.index("\nexample ")] + "\n"  # the 2021 file before its examples and properties
    path = tmp_path / "rubric.rule"
    path.write_text(text, encoding="utf-8")
    pingfen.load(path, tests=False)
    pingfen.load(path)
    pingfen.diagnose(text, str(path))
    pingfen.loads(text, str(path))
    assert parses == [len(text)]


def test_a_text_and_its_text_for_scoring_in_turn_are_parsed_once_each(parses: list[int]) -> None:
    """The workbench checks the whole text and scores by the text without its tests, in turn:
    with one text kept, each parse put the other out, and every request parsed again."""
    for _ in range(3):
        pingfen.diagnose(TEXT)
        pingfen.loads(TEXT, tests=False)
    assert len(parses) == 2  # (the tests are blanked with spaces: both the same length)


def test_the_text_in_use_is_kept_while_others_come_and_go(parses: list[int]) -> None:
    """The memo lets go of the text used least lately, not the one parsed first: a text read again
    between others stays kept (A, B, C, D, A, E keeps A)."""
    texts = [f"# {i}\n{TEXT}" for i in range(5)]  # A … E: five texts, one more than are kept
    for text in [*texts[:4], texts[0], texts[4], texts[0]]:
        syntax.parse(text)
    assert len(parses) == 5  # A was read again before E came: E put B out, not A


def test_the_editor_parses_a_text_once(parses: list[int]) -> None:
    analysis = analyse(TEXT, str(RULESET))
    assert analysis.module is not None and not analysis.diagnostics
    assert parses == [len(TEXT)]


def test_a_text_that_does_not_parse_is_parsed_once(parses: list[int]) -> None:
    text = TEXT.replace(" per ", " pr ", 1)
    first = pingfen.diagnose(text)
    once = len(parses)  # the whole text, then each top-level item alone (every error is found)
    again = pingfen.diagnose(text)
    with pytest.raises(pingfen.FormatError):
        pingfen.format_text(text)
    assert [d.code for d in first] == [d.code for d in again] == ["PF002"]
    assert len(parses) == once


def test_the_shared_answer_is_each_callers_own_and_the_callers_context_is_not_its(parses: list[int]) -> None:
    text = 'rubric "甲" { total 1 }\ninput 比率: percent\nindicator 乙 1 { award 1 if 比率 >= 33.3333333333333333333333333333333% }\n'
    with decimal.localcontext(decimal.Context(prec=3)):  # a caller's odd context: the answer is not its
        module, found = syntax.parse(text)
    found.append("a caller's own list")  # type: ignore[arg-type]  # a list the caller may change
    again, kept = syntax.parse(text)
    assert again is module and kept == []
    assert len(parses) == 1
    syntax._kept = ()  # forgotten: parsed again (`_last` named the memo before it kept several, and so forgot nothing)
    fresh, _ = syntax.parse(text)
    assert fresh is not module and fresh == module  # what a parse in pingfen's own context gives
    assert len(parses) == 2


def test_a_text_for_scoring_that_does_not_parse_is_parsed_for_its_errors_once(
    parses: list[int], tmp_path: Path
) -> None:
    # The error is before the examples: the text without them (parsed for scoring) does not
    # parse either, and the whole text's errors are the ones shown.
    text = TEXT.replace(" per ", " pr ", 1)
    shown = [(d.code, d.span) for d in pingfen.diagnose(text)]
    whole = len(parses)  # the whole text, then each top-level item alone
    syntax._kept = ()  # (monkeypatch restores it)
    path = tmp_path / "rubric.rule"
    path.write_text(text, encoding="utf-8")
    parses.clear()
    with pytest.raises(pingfen.RubricError) as raised:
        pingfen.load(path, tests=False)
    assert [(d.code, d.span) for d in raised.value.diagnostics] == shown
    assert len(parses) == 1 + whole  # the blanked text up to its error, then the whole as diagnose parses it

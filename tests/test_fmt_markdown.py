"""`pingfen fmt` on Markdown: a CRLF file's ```rule blocks are formatted (they were skipped:
`--check` passed a CRLF file whose LF copy failed), in CRLF; a ```rule block shown inside
another fenced block (````markdown) is left as it is (it was rewritten); a block that does
not parse is exit 2 with the error at its line in the .md (it was skipped, exit 0)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pingfen.cli import main
from pingfen.syntax.formatter import FormatError, format_markdown

MESSY = 'rubric "w"{total 5}'
TIDY = 'rubric "w" {\n  total 5\n}'


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_a_crlf_file_is_formatted_in_crlf(tmp_path: Path) -> None:
    text = f"# 文档\r\n\r\n```rule\r\n{MESSY}\r\n```\r\n\r\n正文\r\n"
    assert format_markdown(text) == text.replace(MESSY, TIDY.replace("\n", "\r\n"))
    doc = tmp_path / "crlf.md"
    doc.write_bytes(text.encode())
    assert _run("fmt", "--check", str(doc))[0] == 1
    assert _run("fmt", str(doc))[0] == 0
    written = doc.read_bytes().decode()
    assert "\n" not in written.replace("\r\n", "") and TIDY.replace("\n", "\r\n") in written
    assert _run("fmt", "--check", str(doc))[0] == 0


@pytest.mark.parametrize("outer", ["````markdown", "````", "~~~md", "```text"])
def test_a_rule_block_shown_inside_another_block_is_left(outer: str) -> None:
    close = outer[0] * (len(outer) - len(outer.lstrip(outer[0])))
    inner = f"```rule\n{MESSY}\n```" if outer.startswith(("````", "~")) else MESSY
    text = f"{outer}\n{inner}\n{close}\n\n```rule\n{MESSY}\n```\n"
    assert format_markdown(text) == f"{outer}\n{inner}\n{close}\n\n```rule\n{TIDY}\n```\n"


def test_other_blocks_and_longer_fences() -> None:
    text = f"````rule\n{MESSY}\n````\n\n~~~rule\n{MESSY}\n~~~\n\n```rule-warning\n{MESSY}\n`````\nafter\n"
    formatted = format_markdown(text)
    assert formatted.count(TIDY) == 2 and "~~~rule\n" + MESSY in formatted  # a ~~~rule block is not ```rule
    assert formatted.endswith("`````\nafter\n")
    assert format_markdown(formatted) == formatted


def test_a_block_that_does_not_parse_is_an_error_at_its_line(tmp_path: Path) -> None:
    text = f"# 文档\n\n```rule\n{MESSY}\n```\n\n```rule\nrubric \"w\" {{ total 5\n```\n"
    with pytest.raises(FormatError) as raised:
        format_markdown(text)
    assert raised.value.diagnostics[0].span.line == 8
    doc = tmp_path / "broken.md"
    doc.write_text(text, encoding="utf-8")
    for argv in (("fmt", "--check", str(doc)), ("fmt", str(doc))):
        code, _, err = _run(*argv)
        assert code == 2 and "错误[PF003]" in err and f"{doc}:8:" in err
    assert doc.read_text(encoding="utf-8") == text  # unchanged: the good block is not rewritten either


def test_skip_and_empty_blocks_stay() -> None:
    text = f"```rule\n# fmt: skip\n{MESSY}\n```\n\n```rule\n```\n"
    assert format_markdown(text) == text

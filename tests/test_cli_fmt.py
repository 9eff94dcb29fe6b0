"""`pingfen fmt`, run in-process through `main(argv)`."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest

from pingfen.cli import main

MESSY = 'rubric "x" { total 5 }\ninput 率：percent ≥ 0   # the rate\ngroup 甲 5 { indicator 乙 5 { bands 率 { ≧ 90％ → 5  else → 0 } } }\n'
TIDY = (
    'rubric "x" {\n  total 5\n}\n\ninput 率: percent >= 0  # the rate\n\n'
    "group 甲 5 {\n  indicator 乙 5 {\n    bands 率 {\n      >= 90% -> 5\n      else   -> 0\n    }\n  }\n}\n"
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_fmt_rewrites_in_place(tmp_path: Path) -> None:
    path = tmp_path / "a.rule"
    path.write_text(MESSY, encoding="utf-8")
    code, _, err = run("fmt", "--lang", "en", str(path))
    assert code == 0 and f"reformatted {path}" in err
    assert path.read_text(encoding="utf-8") == TIDY
    code, _, err = run("fmt", str(path))  # already formatted: nothing to say
    assert code == 0 and err == ""


def test_fmt_check_and_diff_change_nothing(tmp_path: Path) -> None:
    messy, tidy = tmp_path / "messy.rule", tmp_path / "tidy.rule"
    messy.write_text(MESSY, encoding="utf-8")
    tidy.write_text(TIDY, encoding="utf-8")
    code, _, err = run("fmt", "--check", "--lang", "en", str(messy), str(tidy))
    assert code == 1 and err.strip() == f"would reformat {messy}"
    assert run("fmt", "--check", str(tidy))[0] == 0
    code, out, _ = run("fmt", "--diff", str(messy))
    assert code == 0
    assert "-input 率：percent ≥ 0   # the rate" in out and "+input 率: percent >= 0  # the rate" in out
    assert messy.read_text(encoding="utf-8") == MESSY


def test_fmt_markdown_blocks(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(f"Intro.\n\n```rule\n{MESSY}```\n", encoding="utf-8")
    assert run("fmt", "--check", str(doc))[0] == 1
    assert run("fmt", str(doc))[0] == 0
    assert doc.read_text(encoding="utf-8") == f"Intro.\n\n```rule\n{TIDY}```\n"


def test_fmt_syntax_error_exits_2_with_a_diagnostic(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rule"
    bad.write_text('rubric "x" { total 5 }\ngroup 甲 {\n}\n', encoding="utf-8")
    code, _, err = run("fmt", "--lang", "en", str(bad))
    assert code == 2 and "error[PF002]" in err and f"{bad}:2:" in err
    assert run("fmt", str(tmp_path / "missing.rule"))[0] == 2


def test_fmt_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(MESSY))
    code, out, _ = run("fmt", "-")
    assert code == 0 and out == TIDY


def test_a_file_with_lone_carriage_returns_is_formatted_whole(tmp_path: Path) -> None:
    """A lone CR ends a line for the loader, but the formatter read the rest of the file after
    `# c1` as that comment: never formatted, and `fmt --check` passed it."""
    path = tmp_path / "cr.rule"
    path.write_bytes('rubric "cr" {\r  total 5\r}\r\rinput x: count # c1\r\rindicator    甲 5 {deduct 1 per 1 of x}\r'.encode())
    assert main(["fmt", str(path)], io.StringIO(), io.StringIO()) == 0
    text = path.read_text(encoding="utf-8")
    assert "\r" not in text and "input x: count  # c1\n" in text and "indicator 甲 5 {\n  deduct 1 per x\n}\n" in text
    assert main(["fmt", "--check", str(path)], io.StringIO(), io.StringIO()) == 0


def test_fmt_keeps_a_files_line_ends_and_bom(tmp_path: Path) -> None:
    """A Windows user's file (CRLF, and a BOM from Notepad) came back LF without its BOM: every
    line showed changed; and a formatted CRLF file was always "would reformat" for --check."""
    path = tmp_path / "win.rule"
    path.write_bytes(b"\xef\xbb\xbf" + MESSY.replace("\n", "\r\n").encode())
    assert run("fmt", str(path))[0] == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + TIDY.replace("\n", "\r\n").encode()
    assert run("fmt", "--check", str(path))[0] == 0
    # Mixed line ends: the more common of the two.
    mixed = tmp_path / "mixed.rule"
    mixed.write_bytes(MESSY.replace("\n", "\r\n", 2).encode())
    assert run("fmt", str(mixed))[0] == 0 and mixed.read_bytes() == TIDY.replace("\n", "\r\n").encode()
    mixed.write_bytes(MESSY.replace("\n", "\r\n", 1).encode())
    assert run("fmt", str(mixed))[0] == 0 and mixed.read_bytes() == TIDY.encode()
    # A Markdown file keeps its BOM; its blocks keep their fences' line ends, as before.
    doc = tmp_path / "doc.md"
    doc.write_bytes(b"\xef\xbb\xbf" + f"Intro.\n\n```rule\n{MESSY}```\n".replace("\n", "\r\n").encode())
    assert run("fmt", str(doc))[0] == 0
    assert doc.read_bytes() == b"\xef\xbb\xbf" + f"Intro.\n\n```rule\n{TIDY}```\n".replace("\n", "\r\n").encode()


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf" + MESSY.replace("\n", "\r\n").encode(), MESSY.encode()])
def test_fmt_reads_each_file_once(tmp_path: Path, content: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """`fmt` read each file twice: once for its text, once more for its line ends and BOM."""
    path = tmp_path / "once.rule"
    path.write_bytes(content)
    opens: list[str] = []
    real_open = Path.open

    def counted(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == path.name and "r" in (args[0] if args else kwargs.get("mode", "r")):
            opens.append(str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counted)
    assert run("fmt", "--check", str(path))[0] == 1
    monkeypatch.undo()
    assert len(opens) == 1
    assert run("fmt", str(path))[0] == 0  # written back in the file's own style
    crlf = b"\r\n" in content
    assert path.read_bytes() == content[: 3 if crlf else 0] + (TIDY.replace("\n", "\r\n") if crlf else TIDY).encode()

"""The examples in docs/data.md and the README's console blocks are real: every `$` command is
run and its output compared, and every Python block of docs/data.md is run and its printed
output compared with the text block after it.

Commands run in a scratch directory holding `rulesets/` and `examples/`, with `pingfen`
on the PATH (the source tree's package). A `...` line in expected output matches any lines.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "data.md"
README = ROOT / "README.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def blocks(page: Path = DOC) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(page.read_text(encoding="utf-8"))]


def sessions(page: Path = DOC) -> list[tuple[str, str]]:
    """(command, expected output) for every `$` line of the console blocks, in order."""
    out: list[tuple[str, str]] = []
    for kind, body in blocks(page):
        if kind != "console":
            continue
        for chunk in re.split(r"^\$ ", body, flags=re.M)[1:]:
            command, _, expected = chunk.partition("\n")
            out.append((command, expected))
    return out


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    where = tmp_path_factory.mktemp("docs")
    shutil.copytree(ROOT / "rulesets", where / "rulesets")
    shutil.copytree(ROOT / "examples", where / "examples")
    bin_dir = where / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "pingfen"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pingfen.cli "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
               PYTHONPATH=str(ROOT / "src"), PINGFEN_LANG="en")  # fmt: skip
    return where, env


def matches(expected: str, actual: str) -> bool:
    pattern = "".join(".*?\n" if line == "..." else re.escape(line) + "\n" for line in expected.splitlines())
    return re.fullmatch(pattern, actual, re.S) is not None


def test_the_page_has_examples() -> None:
    assert len(sessions()) >= 8 and sum(kind == "python" for kind, _ in blocks()) >= 2


@pytest.mark.parametrize("page", [DOC, README], ids=["docs/data.md", "README.md"])
def test_console_examples(scratch: tuple[Path, dict[str, str]], page: Path) -> None:
    where, env = scratch
    status = 0
    assert sessions(page), f"{page.name} has no console example"
    for command, expected in sessions(page):
        if command == "echo $?":
            assert f"{status}\n" == expected, f"exit code of the command before `echo $?`: {status}"
            continue
        run = subprocess.run(["/bin/sh", "-c", command], cwd=where, env=env, capture_output=True, text=True,
                             timeout=120, check=False)  # fmt: skip
        status = run.returncode
        actual = run.stdout + run.stderr
        assert matches(expected, actual), f"$ {command}\n--- expected\n{expected}--- got\n{actual}"
    assert (where / "template.xlsx").exists()


def test_python_examples(scratch: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    where, _ = scratch
    monkeypatch.chdir(where)
    found = blocks()
    ran = 0
    for i, (kind, body) in enumerate(found):
        if kind != "python":
            continue
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(body, f"{DOC.name} block {i}", "exec"), {})  # noqa: S102 - the page's own examples
        following = found[i + 1]
        assert following[0] == "text", "a Python example is followed by its output"
        assert printed.getvalue() == following[1]
        ran += 1
    assert ran >= 2

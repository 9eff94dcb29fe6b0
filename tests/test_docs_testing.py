"""The docs of examples, properties, fmt, test and fuzz, run: their rule blocks load as
they say, the outputs they show are what the tool prints, and the embedding example runs.

Fenced blocks follow the docs' convention: ```rule loads with no diagnostic at all;
```rule-error / ```rule-warning start with `# expect: PFxxx, …` listing exactly the errors /
warnings, and test_docs.py checks them on every page. A ```text block preceded by
`<!-- output: pingfen ARGS -->` is what that command prints, run in a folder holding the
nearest ```rule block above as example.rule.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
from pingfen.messages import MESSAGES

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "docs" / name for name in ("testing.md", "format.md")]
_FENCE = re.compile(r"^(```+)\s*([^\s`]*)\s*$")


def blocks(path: Path) -> list[tuple[int, str, str, str]]:
    """(line, tag, text, the line before the fence) of every fenced block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, body = i, []
        i += 1
        while i < len(lines) and lines[i].strip() != m.group(1):
            body.append(lines[i])
            i += 1
        found.append((start + 1, m.group(2), "\n".join(body) + "\n", lines[start - 1] if start else ""))
        i += 1
    return found


ALL = [(path, *b) for path in DOCS for b in blocks(path)]


def _ids(items: list[tuple[Path, int, str, str, str]]) -> list[str]:
    return [f"{p.name}:{line}" for p, line, *_ in items]


RULES = [b for b in ALL if b[2] == "rule"]


@pytest.mark.parametrize(("path", "line", "tag", "text", "before"), RULES, ids=_ids(RULES))
def test_rule_blocks_load_cleanly(path: Path, line: int, tag: str, text: str, before: str) -> None:
    assert pingfen.diagnose(text) == []


# rule-error and rule-warning blocks of these pages are run by test_docs.py with every page's;
# the failure `pingfen test` prints, shown in testing.md, by test_user_tests.py.


def test_every_example_code_has_a_section() -> None:
    text = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^## (PF\d{3})$", text, re.M))
    assert {c for c in sections if c.startswith("PF6")} == {c for c in MESSAGES if c.startswith("PF6")}


OUTPUTS = [b for b in ALL if b[2] == "text" and b[4].startswith("<!-- output: ")]


@pytest.mark.parametrize(("path", "line", "tag", "text", "before"), OUTPUTS, ids=_ids(OUTPUTS))
def test_shown_output_is_what_the_command_prints(
    path: Path, line: int, tag: str, text: str, before: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = before.removeprefix("<!-- output: pingfen ").removesuffix(" -->").split()
    rule = [b for b in ALL if b[0] == path and b[1] < line and b[2] == "rule"][-1]
    (tmp_path / "example.rule").write_text(rule[3], encoding="utf-8")
    for arg in args:
        if (ROOT / arg).is_file():
            (tmp_path / arg).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / arg, tmp_path / arg)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    main(args, out, io.StringIO())
    assert out.getvalue() == text


def test_the_embedding_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    (code,) = [b[3] for b in ALL if b[2] == "python"]
    monkeypatch.chdir(ROOT)
    # A name no file has: inspect must not read docs/testing.md itself as this code's source.
    exec(compile(code, "<docs/testing.md example>", "exec"), {"__name__": "docs_example"})  # noqa: S102

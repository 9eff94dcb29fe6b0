"""The workbench's page and assets: the .rule mode knows the grammar's keywords, the editor
component is vendored with its licence, the page loads nothing from the network, and every
word of the interface is there in both languages."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "pingfen" / "serve" / "static"


def _js_list(text: str, name: str) -> list[str]:
    found = re.search(rf"var {name} = \[(.*?)\];", text, re.S)
    assert found, name
    return re.findall(r'"([^"]+)"', found.group(1))


def test_the_rule_mode_highlights_every_keyword_of_the_grammar() -> None:
    grammar = (ROOT / "grammar" / "pingfen.lark").read_text(encoding="utf-8")
    keywords = set(re.findall(r'"([a-z_]+)"', grammar))
    mode = (STATIC / "rule-mode.js").read_text(encoding="utf-8")
    assert set(_js_list(mode, "KEYWORDS")) == keywords


def test_codemirror_is_vendored_with_its_licence() -> None:
    licence = (STATIC / "codemirror" / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Marijn Haverbeke" in licence
    script = (STATIC / "codemirror" / "codemirror.js").read_text(encoding="utf-8")
    assert "CodeMirror.version = \"5." in script
    assert (STATIC / "codemirror" / "simple.js").read_text(encoding="utf-8").count("defineSimpleMode") >= 1


def test_the_page_loads_nothing_from_the_network() -> None:
    for path in STATIC.glob("*.*"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), path.name
        assert "fetch(\"http" not in text, path.name
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    for asset in re.findall(r'(?:src|href)="/static/([^"?]+)\?token=\{\{token\}\}"', page):
        assert (STATIC / asset).is_file(), asset
    assert len(re.findall(r"/static/", page)) == len(re.findall(r"/static/[^\"]+\?token=\{\{token\}\}", page))


TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:)?|([A-Za-z_]+)\s*:')


def _keys(block: str) -> set[str]:
    """The keys of a JS object literal's text: quoted or bare names before a colon, not words inside strings."""
    keys = set()
    for quoted, colon, bare in TOKEN.findall(block):
        if bare:
            keys.add(bare)
        elif colon:
            keys.add(quoted)
    return keys


def test_every_word_of_the_interface_is_in_both_languages() -> None:
    script = (STATIC / "workbench.js").read_text(encoding="utf-8")
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    blocks = re.search(r"var WORDS = \{\s*zh: \{(.*?)\n    \},\s*en: \{(.*?)\n    \}\n  \};", script, re.S)
    assert blocks
    zh, en = (_keys(block) for block in blocks.groups())
    assert zh == en
    used = set(re.findall(r'data-t="([a-z_]+)"', page)) | set(re.findall(r'\bw\("([a-z_]+)"\)', script))
    assert used - zh == set()


def test_the_package_ships_its_page() -> None:
    """Where pingfen is installed (CI installs the wheel), the page and the editor come with it."""
    from pingfen.serve.app import STATIC as shipped

    for name in ("index.html", "workbench.js", "workbench.css", "rule-mode.js", "codemirror/codemirror.js",
                 "codemirror/codemirror.css", "codemirror/simple.js", "codemirror/LICENSE"):  # fmt: skip
        assert (shipped / name).is_file(), name


def test_the_rule_mode_highlights_every_number_the_grammar_reads() -> None:
    mode = (STATIC / "rule-mode.js").read_text(encoding="utf-8")
    found = re.search(r'\{ regex: /(.+?)/, token: "number" \}', mode)
    assert found
    number = re.compile(found.group(1), re.ASCII)  # JavaScript's \d is ASCII digits only
    for text in ("12", "0.5", "95%", "０．５", "９５％", "9.5％", "１２"):
        assert number.fullmatch(text), text

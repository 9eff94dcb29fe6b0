"""Editor support files under editors/: the TextMate grammar (VS Code, Sublime, JetBrains via
TextMate bundles, GitHub's Linguist) and the VS Code extension that starts `pingfen lsp`.

The grammar is read here as TextMate reads it — line by line, at each place the pattern whose
match starts first (the earlier pattern on a tie) — over every rule example of the docs and
every rule file, and must leave no character but spaces without a scope."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pingfen.syntax.parser import parse

ROOT = Path(__file__).resolve().parents[1]
EDITORS = ROOT / "editors"
TM = EDITORS / "textmate" / "pingfen.tmLanguage.json"
VSCODE = EDITORS / "vscode"
GRAMMAR_WORDS = set(re.findall(r'"([a-z_]+)"', (ROOT / "grammar" / "pingfen.lark").read_text(encoding="utf-8")))
FENCE = re.compile(r"^(```+)[ \t]*(rule(?:-warning|-error)?)[ \t]*\n(.*?)^\1[ \t]*$", re.S | re.M)


def load(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def patterns() -> list[tuple[str, re.Pattern[str]]]:
    grammar = load(TM)
    found = grammar["patterns"]
    assert isinstance(found, list)
    return [(p["name"], re.compile(p["match"])) for p in found]


def scopes(line: str) -> list[tuple[str | None, str]]:
    """(scope, text) pieces of one line; None for text no pattern matched."""
    compiled = patterns()
    out: list[tuple[str | None, str]] = []
    pos = 0
    while pos < len(line):
        best: tuple[int, int, str] | None = None
        for name, pattern in compiled:
            m = pattern.search(line, pos)
            if m and m.end() > m.start() and (best is None or m.start() < best[0]):
                best = (m.start(), m.end(), name)
        if best is None:
            out.append((None, line[pos:]))
            break
        if best[0] > pos:
            out.append((None, line[pos : best[0]]))
        out.append((best[2], line[best[0] : best[1]]))
        pos = best[1]
    return out


def unscoped(text: str) -> list[str]:
    return [piece.strip() for line in text.split("\n") for scope, piece in scopes(line) if scope is None and piece.strip()]


def test_the_grammar_is_json_with_a_scope_for_each_kind() -> None:
    grammar = load(TM)
    assert grammar["scopeName"] == "source.pingfen" and grammar["fileTypes"] == ["rule"]
    names = [name for name, _ in patterns()]
    for kind in ("keyword.control", "constant.numeric.pingfen", "constant.numeric.percent", "string.quoted",
                 "comment.line", "storage.type", "constant.language", "keyword.operator"):  # fmt: skip
        assert any(n.startswith(kind) for n in names), kind
    assert all(n.endswith(".pingfen") for n in names)


def test_every_keyword_of_the_grammar_is_covered() -> None:
    words = {"keyword", "storage.type", "constant.language", "support.function"}
    for word in sorted(GRAMMAR_WORDS):
        assert any(p.fullmatch(word) for n, p in patterns() if any(n.startswith(w) for w in words)), word
        assert scopes(word)[0][0] != "variable.other.pingfen", word


def test_what_each_piece_is() -> None:
    line = 'indicator 执行率得分 5 { bands 率 { >= 90% -> 5  80%（含）－90% -> 4  else -> 0 reason "x" } } # 注'
    found = dict((text, scope) for scope, text in scopes(line))
    assert found["indicator"] == "keyword.control.pingfen" and found["执行率得分"] == "variable.other.pingfen"
    assert found["90%"] == "constant.numeric.percent.pingfen" and found["5"] == "constant.numeric.pingfen"
    assert found["（含）"] == "keyword.other.inclusion.pingfen" and found['"x"'] == "string.quoted.double.pingfen"
    assert found["# 注"] == "comment.line.number-sign.pingfen"
    assert [s for s, t in scopes("score分 scored `max` max(5pp)") if t.strip()] == [
        "variable.other.pingfen", "variable.other.pingfen", "variable.other.quoted.pingfen",
        "support.function.pingfen", "punctuation.other.pingfen", "constant.numeric.pp.pingfen",
        "punctuation.other.pingfen",
    ]  # fmt: skip
    assert unscoped("input a: percent @") == ["@"]


def rule_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted([*(ROOT / "docs").rglob("*.md"), ROOT / "README.md"]):
        for i, m in enumerate(FENCE.finditer(path.read_text(encoding="utf-8"))):
            if m.group(2) != "rule-error" or parse(m.group(3))[0] is not None:  # a syntax error may show its fault
                out.append((f"{path.relative_to(ROOT)}#{i + 1}", m.group(3)))
    for path in sorted([*(ROOT / "rulesets").glob("*.rule"), *(ROOT / "tests" / "golden" / "forms").glob("*.rule")]):
        out.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    return out


TEXTS = rule_texts()


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[w for w, _ in TEXTS])
def test_every_example_is_scoped(where: str, text: str) -> None:
    assert unscoped(text) == []


def test_the_vscode_extension() -> None:
    package = load(VSCODE / "package.json")
    assert package["main"] == "./extension.js" and (VSCODE / "extension.js").is_file()
    contributes = package["contributes"]
    assert isinstance(contributes, dict)
    [language] = contributes["languages"]
    assert language["id"] == "pingfen" and language["extensions"] == [".rule"]
    load(VSCODE / language["configuration"])  # valid JSON
    grammar, markdown = contributes["grammars"]
    assert grammar["language"] == "pingfen" and grammar["scopeName"] == load(TM)["scopeName"]
    # ```rule blocks in Markdown: an injection that embeds the grammar.
    injected = load(VSCODE / markdown["path"])
    assert markdown["injectTo"] == ["text.html.markdown"] and injected["scopeName"] == markdown["scopeName"]
    block = injected["repository"]["pingfen-code-block"]  # type: ignore[index]  # JSON, checked by the test
    opening = re.compile(block["begin"].replace("\\G", ""))
    assert opening.match("```rule") and opening.match("```rule-warning") and not opening.match("```python")
    assert block["patterns"][0]["patterns"] == [{"include": load(TM)["scopeName"]}]
    # The extension ships a copy of the one grammar (a package holds only its own folder).
    assert (VSCODE / grammar["path"]).read_bytes() == TM.read_bytes()
    dependencies = package["dependencies"]
    assert isinstance(dependencies, dict) and "vscode-languageclient" in dependencies
    script = (VSCODE / "extension.js").read_text(encoding="utf-8")
    assert 'require("vscode-languageclient/node")' in script
    settings = contributes["configuration"]["properties"]
    assert settings["pingfen.server.command"]["default"] == ["pingfen", "lsp"]
    for key in re.findall(r'config\.get\("([\w.]+)"', script):
        assert f"pingfen.{key}" in settings, key


def test_the_language_configuration() -> None:
    config = load(VSCODE / "language-configuration.json")
    assert config["comments"] == {"lineComment": "#"}
    closing = config["autoClosingPairs"]
    assert isinstance(closing, list)
    pairs = {(p["open"], p["close"]) for p in closing}
    assert {("{", "}"), ("（", "）"), ('"', '"'), ("`", "`")} <= pairs
    word = re.compile(str(config["wordPattern"]))
    assert [m.group() for m in word.finditer("let 差额 = 100% - `执行率` + “三公经费”变动率")] == [
        "let", "差额", "执行率", "“三公经费”变动率"
    ]  # fmt: skip


def test_the_chinese_editors_doc_says_formatting_keeps_the_line_ends() -> None:
    """docs/editors.md said in Chinese that formatting turns a document LF, where the English
    and the formatting edit keep its CRLF and its BOM."""
    lines = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8").splitlines()
    said = [line for line in lines if "**格式化**" in line]
    assert len(said) == 1 and "统一为 LF" not in said[0] and "CRLF" in said[0] and "BOM 保留" in said[0], said

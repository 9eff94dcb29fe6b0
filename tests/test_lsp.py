"""`pingfen lsp` through a real LSP client: pygls's own LanguageClient starts
`python -m pingfen lsp` as a subprocess and speaks JSON-RPC to it over stdio."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

from pingfen.syntax.formatter import format_text

SRC = Path(__file__).resolve().parents[1] / "src"
TIMEOUT = 20  # seconds: the machine may be shared and slow

RUBRIC = """\
rubric "示例" { total 20 }
input 执行率: percent >= 0 and <= 100% "预算执行率"
input 问题数: count
input 评价: label { 好, 中, 差 }
let 差额 = 100% - 执行率
group 管理 20 {
  indicator 预算执行 10 {
    when 执行率 >= 90% -> 10
    when 执行率 >= 60% -> 6
  }
  indicator 整改 5 {
    deduct 1 per 0.5 of 问题数 reason "问题"
    deduct 1 if 差额 > 50%
  }
  indicator 评级 5 {
    match 评价 {
      好 -> 5
      中 -> 3
    }
  }
}
"""

CLEAN = """\
rubric "示例" { total 15 }
input 执行率: percent >= 0 and <= 100% "预算执行率"
input 评价: label { 好, 差 }
let 差额 = 100% - 执行率
group 管理 15 {
  indicator 预算执行 10 {
    score = 10 * 执行率
    deduct 2 if 差额 > 50%
  }
  indicator 评级 5 {
    match 评价 {
      好 -> 5
      差 -> 0
    }
  }
}
"""


class Session:
    """A client and the server it started; diagnostics as they are published, by uri."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: dict[str, list[lsp.PublishDiagnosticsParams]] = {}
        self.arrived = asyncio.Event()
        self.versions: dict[str, int] = {}
        self.capabilities: lsp.ServerCapabilities | None = None  # as the server's answer to initialize said

    async def diagnostics(self, uri: str, count: int) -> list[lsp.Diagnostic]:
        """The diagnostics of the count-th publication for uri (1 for the first)."""
        while len(self.published.get(uri, [])) < count:
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), TIMEOUT)
        return list(self.published[uri][count - 1].diagnostics)

    def open(self, path: Path, text: str) -> str:
        uri = path.resolve().as_uri()
        self.versions[uri] = 1
        item = lsp.TextDocumentItem(uri=uri, language_id="pingfen", version=1, text=text)
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(item))
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        document = lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri])
        whole = lsp.TextDocumentContentChangeWholeDocument(text=text)
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(document, [whole]))


def run(scenario: Callable[[Session], Awaitable[None]], *, env: dict[str, str] | None = None,
        options: Any = None, log: Path, capabilities: lsp.ClientCapabilities | None = None) -> None:  # fmt: skip
    """Start `python -m pingfen lsp`, initialize it, play the scenario, shut it down. The
    server's standard error goes to log (a pipe nobody reads would fill and stop it)."""

    async def main() -> None:
        client = LanguageClient("pingfen-tests", "1")
        session = Session(client)

        @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            session.published.setdefault(params.uri, []).append(params)
            session.arrived.set()

        environment = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
        command = 'exec "$0" -m pingfen lsp 2>"$1"'
        await client.start_io("/bin/sh", "-c", command, sys.executable, str(log), env=environment)
        try:
            params = lsp.InitializeParams(capabilities=capabilities or lsp.ClientCapabilities(), initialization_options=options)
            result = await asyncio.wait_for(client.initialize_async(params), TIMEOUT)
            session.capabilities = result.capabilities
            assert result.server_info is not None and result.server_info.name == "pingfen"
            client.initialized(lsp.InitializedParams())
            await scenario(session)
        finally:  # the server stops when told to; one that does not within the timeout is killed
            try:
                await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
                client.exit(None)
                await asyncio.wait_for(client._server.wait(), TIMEOUT)  # type: ignore[union-attr]  # started above
            finally:
                if client._server is not None and client._server.returncode is None:
                    client._server.kill()
                await client.stop()

    try:
        asyncio.run(main())
    except BaseException:
        print(log.read_text(encoding="utf-8", errors="replace")[-5000:], file=sys.stderr)
        raise


async def ask(request: Awaitable[Any]) -> Any:
    return await asyncio.wait_for(request, TIMEOUT)


def offset(text: str, position: lsp.Position) -> int:
    """An LSP position (UTF-16 code units, the protocol's default) as an index into text."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: position.line])
    line, units, i = lines[position.line], 0, 0
    while i < len(line) and units < position.character:
        units += len(line[i].encode("utf-16-le")) // 2
        i += 1
    return start + i


def position(text: str, index: int) -> lsp.Position:
    before = text[:index]
    column = before[before.rfind("\n") + 1 :]
    return lsp.Position(before.count("\n"), len(column.encode("utf-16-le")) // 2)


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(text, edit.range.start)] + edit.new_text + text[offset(text, edit.range.end) :]
    return text


def at(text: str, needle: str, nth: int = 0, inside: int = 1) -> lsp.Position:
    """The position `inside` characters into the nth occurrence of needle."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    return position(text, index + inside)


def spanned(text: str, r: lsp.Range) -> str:
    return text[offset(text, r.start) : offset(text, r.end)]


async def actions(session: Session, uri: str, diagnostic: lsp.Diagnostic) -> list[lsp.CodeAction]:
    params = lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(uri), diagnostic.range, lsp.CodeActionContext([diagnostic])
    )
    found = await asyncio.wait_for(session.client.text_document_code_action_async(params), TIMEOUT)
    return [a for a in found or [] if isinstance(a, lsp.CodeAction)]


def edits_of(action: lsp.CodeAction, uri: str) -> list[lsp.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    return [e for e in action.edit.changes[uri] if isinstance(e, lsp.TextEdit)]


# ---------------------------------------------------------------- diagnostics and quick fixes


def test_diagnostics_on_open_and_change_and_every_quick_fix(tmp_path: Path) -> None:
    async def scenario(s: Session) -> None:
        uri = s.open(tmp_path / "a.rule", RUBRIC)
        found = {d.code: d for d in await s.diagnostics(uri, 1)}
        assert set(found) == {"PF406", "PF413", "PF414"}
        gap = found["PF406"]
        assert gap.severity == lsp.DiagnosticSeverity.Error and gap.source == "pingfen"
        assert "当 `执行率` 为 0% 时没有任何条件成立" in str(gap.message)  # 中文 by default, with the hint
        assert "帮助：" in str(gap.message)
        assert spanned(RUBRIC, gap.range).startswith("when 执行率 >= 90%")
        assert found["PF413"].severity == lsp.DiagnosticSeverity.Information

        # Each fix as an editor takes it: apply the edit, send the text, read the new diagnostics.
        [fix] = await actions(s, uri, gap)
        assert fix.title == "在末尾增加 `else -> 0`" and fix.kind == lsp.CodeActionKind.QuickFix
        text = apply(RUBRIC, edits_of(fix, uri))
        assert "    when 执行率 >= 60% -> 6\n    else -> 0\n  }" in text
        s.change(uri, text)
        found = {d.code: d for d in await s.diagnostics(uri, 2)}
        assert set(found) == {"PF413", "PF414"}

        counting = await actions(s, uri, found["PF413"])
        assert [a.title for a in counting] == [f"增加 `counting {w}`" for w in ("proportional", "whole", "started")]
        text = apply(text, edits_of(counting[1], uri))
        assert 'deduct 1 per 0.5 of 问题数 counting whole reason "问题"' in text
        s.change(uri, text)
        [left] = await s.diagnostics(uri, 3)
        assert left.code == "PF414"

        [match_fix] = await actions(s, uri, left)
        text = apply(text, edits_of(match_fix, uri))
        assert "      中 -> 3\n      else -> 0\n    }" in text  # inside the braces, as an arm
        s.change(uri, text)
        assert await s.diagnostics(uri, 4) == []  # every fix taken: nothing left

        # The did-you-mean rename.
        typed = text.replace("when 执行率 >= 60%", "when 执行律 >= 60%")
        s.change(uri, typed)
        [typo] = await s.diagnostics(uri, 5)
        assert typo.code == "PF102" and "是否应为 `执行率`" in str(typo.message)
        assert spanned(typed, typo.range) == "执行律"
        [rename] = await actions(s, uri, typo)
        assert rename.is_preferred and rename.title == "改为 `执行率`"
        assert apply(typed, edits_of(rename, uri)) == text
        s.change(uri, apply(typed, edits_of(rename, uri)))
        assert await s.diagnostics(uri, 6) == []

    run(scenario, log=tmp_path / "server.log")


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["CRLF", "lone CR"])
def test_a_quick_fix_ends_its_lines_as_the_document_does(tmp_path: Path, ending: str) -> None:
    """`else -> 0` on a line of its own was inserted after a bare LF: a CRLF document (and, after
    that was mended, one of lone CRs) came out with mixed line ends in an editor that applies
    the text as given (formatting already kept them)."""
    document = RUBRIC.replace("\n", ending)

    async def scenario(s: Session) -> None:
        uri = s.open(tmp_path / "a.rule", document)
        found = {d.code: d for d in await s.diagnostics(uri, 1)}
        for code, expected in (("PF406", "    when 执行率 >= 60% -> 6\n    else -> 0\n  }"),
                               ("PF414", "      中 -> 3\n      else -> 0\n    }")):  # fmt: skip
            [fix] = await actions(s, uri, found[code])
            text = document
            for edit in sorted(edits_of(fix, uri), key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
                text = text[: lsp_offset(text, edit.range.start)] + edit.new_text + text[lsp_offset(text, edit.range.end) :]
            assert expected.replace("\n", ending) in text, (code, text)
            assert set(re.findall(r"\r\n|\r|\n", text)) == {ending}, (code, text)

    run(scenario, log=tmp_path / "server.log")


# ---------------------------------------------------------------- reading a rubric


def hover_text(h: lsp.Hover | None) -> str:
    assert h is not None and isinstance(h.contents, lsp.MarkupContent)
    return h.contents.value


def test_hover_definition_references_completion_symbols_and_formatting(tmp_path: Path) -> None:
    async def scenario(s: Session) -> None:
        c = s.client
        uri = s.open(tmp_path / "clean.rule", CLEAN)
        assert await s.diagnostics(uri, 1) == []
        doc = lsp.TextDocumentIdentifier(uri)

        async def hover(pos: lsp.Position) -> lsp.Hover | None:
            return await asyncio.wait_for(c.text_document_hover_async(lsp.HoverParams(doc, pos)), TIMEOUT)

        # An input where it is used: its type, values and description.
        h = await hover(at(CLEAN, "- 执行率", inside=3))
        words = hover_text(h)
        assert "**输入项** `执行率`" in words and "类型：percent（百分比）" in words
        assert "取值范围：[0%, 100%]" in words and "说明：预算执行率" in words
        assert h is not None and h.range is not None and spanned(CLEAN, h.range) == "执行率"
        # A let: its formula and the values the checker found it takes.
        words = hover_text(await hover(at(CLEAN, "if 差额", inside=4)))
        assert "let 差额 = 100% - 执行率" in words and "取值范围：[0%, 100%]" in words
        # An indicator: its path, max and rules in the words of the published table.
        words = hover_text(await hover(at(CLEAN, "indicator 预算执行", inside=11)))
        assert "位置：管理 › 预算执行" in words and "分值：10" in words
        assert "评分标准：" in words and "扣2分" in words
        assert "指标解释：差额=100%-执行率" in words
        assert await hover(at(CLEAN, "rubric", inside=2)) is None  # a keyword is no name

        # Go to definition and find references.
        definition = await ask(c.text_document_definition_async(lsp.DefinitionParams(doc, at(CLEAN, "10 * 执行率", inside=6))))
        assert isinstance(definition, lsp.Location) and definition.uri == uri
        assert definition.range.start == at(CLEAN, "input 执行率", inside=6)
        refs = await ask(c.text_document_references_async(
            lsp.ReferenceParams(lsp.ReferenceContext(include_declaration=True), doc, at(CLEAN, "match 评价", inside=7))
        ))
        assert refs is not None and [spanned(CLEAN, r.range) for r in refs] == ["评价", "评价"]
        assert [r.range.start.line for r in refs] == [2, 10]
        labels = await ask(c.text_document_references_async(
            lsp.ReferenceParams(lsp.ReferenceContext(include_declaration=True), doc, at(CLEAN, "好 -> 5", inside=0))
        ))
        assert labels is not None and [r.range.start.line for r in labels] == [2, 11]  # the label, declared and used

        # Completion: the file's names, its labels and the keywords.
        listed = await ask(c.text_document_completion_async(lsp.CompletionParams(doc, lsp.Position(6, 14))))
        items = listed if isinstance(listed, list) else listed.items if listed is not None else []
        kinds = {i.label: i.kind for i in items}
        assert kinds["执行率"] == lsp.CompletionItemKind.Variable
        assert kinds["差额"] == lsp.CompletionItemKind.Constant
        assert kinds["预算执行"] == lsp.CompletionItemKind.Field and kinds["管理"] == lsp.CompletionItemKind.Module
        assert kinds["好"] == lsp.CompletionItemKind.EnumMember
        assert {"indicator", "deduct", "bands", "counting", "percent"} <= {
            k for k, v in kinds.items() if v == lsp.CompletionItemKind.Keyword
        }

        # The rubric tree as document symbols.
        symbols = await ask(c.text_document_document_symbol_async(lsp.DocumentSymbolParams(doc)))
        assert symbols is not None
        tree = [(x.name, [y.name for y in x.children or []]) for x in symbols if isinstance(x, lsp.DocumentSymbol)]
        assert tree == [("示例", []), ("执行率", []), ("评价", []), ("差额", []), ("管理", ["预算执行", "评级"])]

        # Formatting, as `pingfen fmt` lays it out.
        messy = CLEAN.replace("  indicator 评级 5 {", "indicator   评级   5{").replace("差 -> 0", "差→0")
        s.change(uri, messy)
        await s.diagnostics(uri, 2)
        options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
        edits = await ask(c.text_document_formatting_async(lsp.DocumentFormattingParams(doc, options)))
        assert edits and apply(messy, list(edits)) == format_text(messy)
        assert "  indicator 评级 5 {" in apply(messy, list(edits))

    run(scenario, log=tmp_path / "server.log")


def test_english_by_environment_or_initialization_options(tmp_path: Path) -> None:
    broken = RUBRIC.replace("when 执行率 >= 60%", "when 执行律 >= 60%")

    def scenario_for(expected: str) -> Callable[[Session], Awaitable[None]]:
        async def scenario(s: Session) -> None:
            uri = s.open(tmp_path / "a.rule", broken)
            [typo] = [d for d in await s.diagnostics(uri, 1) if d.code == "PF102"]
            assert expected in str(typo.message)

        return scenario

    log = tmp_path / "server.log"
    run(scenario_for("did you mean `执行率`?"), env={"PINGFEN_LANG": "en"}, log=log)
    run(scenario_for("did you mean `执行率`?"), env={"PINGFEN_LANG": "zh"}, options={"lang": "en"}, log=log)
    run(scenario_for("是否应为 `执行率`？"), env={"PINGFEN_LANG": "zh"}, log=log)


BASE = """rubric "基础" { total 10 }
input 执行率: percent >= 0 and <= 100%
group 管理 10 {
  indicator 预算执行 10 {
    score = 10 * 执行率
  }
}
"""


def test_extends_resolves_beside_the_document(tmp_path: Path) -> None:
    folder = tmp_path / "地方"
    folder.mkdir()
    (folder / "base.rule").write_text(BASE, encoding="utf-8")
    child = 'extends "base.rule"\nmax 预算执行 8\n'

    async def scenario(s: Session) -> None:
        uri = s.open(folder / "child.rule", child)
        [wrong] = await s.diagnostics(uri, 1)  # the group's 10 no longer adds up: found through the base file
        assert wrong.code.startswith("PF") and wrong.severity == lsp.DiagnosticSeverity.Error
        # A name of the base file: its definition is there.
        doc = lsp.TextDocumentIdentifier(uri)
        definition = await ask(s.client.text_document_definition_async(lsp.DefinitionParams(doc, at(child, "预算执行"))))
        assert isinstance(definition, lsp.Location)
        assert definition.uri == (folder / "base.rule").resolve().as_uri()
        assert definition.range.start == at(BASE, "预算执行", inside=0)
        # A problem inside the base file is shown at the `extends`, naming the file and line.
        (folder / "base.rule").write_text(BASE.replace("score = 10 * 执行率", "score = 10 * 执行"), encoding="utf-8")
        s.client.text_document_did_save(lsp.DidSaveTextDocumentParams(doc))
        found = await s.diagnostics(uri, 2)
        assert any(d.code == "PF102" and "base.rule:5:" in str(d.message) and d.range.start.line == 0 for d in found)
        # Found relative to the document, not to where the server was started.
        s.open(tmp_path / "elsewhere.rule", child)
        [missing] = await s.diagnostics((tmp_path / "elsewhere.rule").resolve().as_uri(), 1)
        assert missing.code == "PF120"

    run(scenario, env={"PWD": str(folder)}, log=tmp_path / "server.log")


def test_a_broken_file_and_positions_in_utf16(tmp_path: Path) -> None:
    broken = CLEAN.replace("差 -> 0", "差 ->")
    astral = CLEAN.replace("let 差额 = 100% - 执行率", "let 𠀀差 = 100% - 执行律\nlet 差额 = 100% - 执行率")

    async def scenario(s: Session) -> None:
        uri = s.open(tmp_path / "broken.rule", broken)
        [syntax] = await s.diagnostics(uri, 1)
        assert syntax.code == "PF002" and spanned(broken, syntax.range) == "}"
        doc = lsp.TextDocumentIdentifier(uri)
        assert await ask(s.client.text_document_hover_async(lsp.HoverParams(doc, at(broken, "执行率")))) is None
        assert await ask(s.client.text_document_document_symbol_async(lsp.DocumentSymbolParams(doc))) in ([], None)
        options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
        assert await ask(s.client.text_document_formatting_async(lsp.DocumentFormattingParams(doc, options))) is None
        listed = await ask(s.client.text_document_completion_async(lsp.CompletionParams(doc, lsp.Position(0, 0))))
        items = listed if isinstance(listed, list) else listed.items
        assert items and all(i.kind == lsp.CompletionItemKind.Keyword for i in items)

        # A character outside the BMP counts two UTF-16 units: ranges after it still fit.
        s.change(uri, astral)
        found = {d.code: d for d in await s.diagnostics(uri, 2)}
        assert spanned(astral, found["PF102"].range) == "执行律"
        assert found["PF102"].range.start == lsp.Position(3, len("let 𠀀差 = 100% - ".encode("utf-16-le")) // 2)
        assert spanned(astral, found["PF111"].range) == "𠀀差"
        [rename] = await actions(s, uri, found["PF102"])
        assert "let 𠀀差 = 100% - 执行率\n" in apply(astral, edits_of(rename, uri))

    run(scenario, log=tmp_path / "server.log")


def test_a_document_not_opened_and_not_on_disk_is_answered_not_a_traceback(tmp_path: Path) -> None:
    """An `untitled:` buffer, or a file gone from disk, asked about before it is opened: the
    server answered −32603 with FileNotFoundError and a Python traceback in its data."""

    async def scenario(s: Session) -> None:
        for uri in ("untitled:Untitled-1", (tmp_path / "没有.rule").as_uri()):
            doc = lsp.TextDocumentIdentifier(uri)
            origin = lsp.Position(line=0, character=0)
            assert await ask(s.client.text_document_hover_async(lsp.HoverParams(doc, origin))) is None
            assert await ask(s.client.text_document_definition_async(lsp.DefinitionParams(doc, origin))) is None
            # Formatting read the document itself, and answered −32603 FileNotFoundError with the traceback logged.
            options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
            assert not await ask(s.client.text_document_formatting_async(lsp.DocumentFormattingParams(doc, options)))
        assert "Traceback" not in (tmp_path / "server.log").read_text(encoding="utf-8")

    run(scenario, log=tmp_path / "server.log")


def test_a_document_not_opened_is_read_from_disk_only_as_a_rule_file(tmp_path: Path) -> None:
    """A file not opened is read from disk, but only a regular file and only so far as a rule
    file may go: pygls read it whole, and a hover on a FIFO held the server for ever (and on
    /dev/zero filled its memory)."""
    from pingfen.loader import MAX_RULE_BYTES

    fifo = tmp_path / "管道.rule"
    os.mkfifo(fifo)
    zeros = tmp_path / "零.rule"
    zeros.symlink_to("/dev/zero")
    huge = tmp_path / "巨大.rule"
    with huge.open("wb") as file:
        file.truncate(MAX_RULE_BYTES * 50)  # sparse: large on paper, nothing on disk
    on_disk = tmp_path / "磁盘.rule"
    on_disk.write_text(CLEAN, encoding="utf-8")

    async def scenario(s: Session) -> None:
        origin = lsp.Position(line=0, character=0)
        for odd in (fifo, zeros, huge):  # each answered within the timeout: nothing to hover (too long: PF008)
            asked = lsp.HoverParams(lsp.TextDocumentIdentifier(odd.as_uri()), origin)
            assert await ask(s.client.text_document_hover_async(asked)) is None, odd
        where = at(CLEAN, "10 * 执行率", 0, inside=6)  # a file on disk, not opened, is still read
        found = await ask(s.client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(on_disk.as_uri()), where)))
        assert found is not None and "预算执行率" in found.contents.value

    run(scenario, log=tmp_path / "server.log")


def test_a_base_that_is_a_fifo_does_not_hold_the_server(tmp_path: Path) -> None:
    """`extends "管道.rule"`, a FIFO: the check said PF120, but a hover on a name the base
    might declare read the base to find it, and the server waited on the FIFO for ever."""
    os.mkfifo(tmp_path / "管道.rule")
    child = 'extends "管道.rule"\nmax 预算执行 8\n'

    async def scenario(s: Session) -> None:
        uri = s.open(tmp_path / "child.rule", child)
        [refused] = await s.diagnostics(uri, 1)
        assert refused.code == "PF120" and "不是普通文件" in refused.message
        doc = lsp.TextDocumentIdentifier(uri)
        assert await ask(s.client.text_document_hover_async(lsp.HoverParams(doc, at(child, "预算执行")))) is None
        assert await ask(s.client.text_document_definition_async(lsp.DefinitionParams(doc, at(child, "预算执行")))) is None
        symbols = await ask(s.client.text_document_document_symbol_async(lsp.DocumentSymbolParams(doc)))
        assert symbols is not None  # a later request is served too

    run(scenario, log=tmp_path / "server.log")


def lsp_offset(text: str, position: lsp.Position) -> int:
    """An LSP position as an index into text whose lines end as LSP ends them: "\\r\\n", "\\r" or "\\n"."""
    starts = [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]
    if position.line >= len(starts):
        return len(text)
    start = starts[position.line]
    end = starts[position.line + 1] if position.line + 1 < len(starts) else len(text)
    line = text[start:end].rstrip("\r\n")
    units, i = 0, 0
    while i < len(line) and units < position.character:
        units += len(line[i].encode("utf-16-le")) // 2
        i += 1
    return start + i


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
def test_formatting_replaces_the_whole_document_whatever_its_line_endings(tmp_path: Path, ending: str) -> None:
    """With lines ended by a lone CR (classic Mac) the edit's end was counted in "\\n" lines:
    (0, the whole length), so an editor applying it kept all the old text after the new."""
    messy = 'rubric "x" {\n  total 10\n}\ninput 𠀀a: count\nindicator i 10 {   deduct 1 per 𠀀a }\n'.replace("\n", ending)

    async def scenario(s: Session) -> None:
        uri = s.open(tmp_path / "mac.rule", messy)
        await s.diagnostics(uri, 1)
        doc = lsp.TextDocumentIdentifier(uri)
        options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
        [edit] = await ask(s.client.text_document_formatting_async(lsp.DocumentFormattingParams(doc, options)))
        assert edit.range.start == lsp.Position(0, 0)
        assert lsp_offset(messy, edit.range.end) == len(messy)
        # in the document's line ends: CRLF kept, so that a CRLF document does not end up mixed (or all LF)
        assert edit.new_text == format_text(messy.replace(ending, "\n")).replace("\n", "\r\n" if ending == "\r\n" else "\n")
        s.change(uri, edit.new_text)  # formatted already: nothing to change
        assert await ask(s.client.text_document_formatting_async(lsp.DocumentFormattingParams(doc, options))) in ([], ())
        assert messy[: lsp_offset(messy, edit.range.start)] + edit.new_text + messy[lsp_offset(messy, edit.range.end) :] == edit.new_text

    run(scenario, log=tmp_path / "server.log")


def test_a_folder_name_with_a_percent_sign_is_unescaped_once(tmp_path: Path) -> None:
    """The document's path was unescaped twice: `file:///…/a%2541/child.rule` (a folder named
    `a%41`) became `…/aA/child.rule`, where `extends "base.rule"` found no file (PF120)."""
    folder = tmp_path / "a%41"
    folder.mkdir()
    (folder / "base.rule").write_text(BASE, encoding="utf-8")
    child = 'extends "base.rule"\n'

    async def scenario(s: Session) -> None:
        uri = s.open(folder / "child.rule", child)
        assert "%2541" in uri
        assert await s.diagnostics(uri, 1) == []

    run(scenario, log=tmp_path / "server.log")


def test_places_on_the_first_line_count_the_bom_the_editor_keeps(tmp_path: Path) -> None:
    """An editor that keeps a file's BOM counts it as line 0's first character; the loader
    drops it, and every place on that line (a diagnostic, a hover, a definition) was one short."""
    broken = '\ufeffinput 执行率: percent "预算执行率" zz\n'
    lines = CLEAN.splitlines(keepends=True)
    moved = "\ufeff" + lines[1] + lines[0] + "".join(lines[2:])  # a name declared on line 0

    async def scenario(s: Session) -> None:
        uri = s.open(tmp_path / "a.rule", broken)
        found = [d for d in await s.diagnostics(uri, 1) if d.range.start.line == 0]
        assert found and spanned(broken, found[0].range) == "zz", found
        uri = s.open(tmp_path / "b.rule", moved)
        await s.diagnostics(uri, 1)
        doc = lsp.TextDocumentIdentifier(uri)
        hovered = await ask(s.client.text_document_hover_async(lsp.HoverParams(doc, at(moved, "执行率", inside=0))))
        assert hovered is not None and spanned(moved, hovered.range) == "执行率"
        definition = await ask(s.client.text_document_definition_async(lsp.DefinitionParams(doc, at(moved, "10 * 执行率", inside=6))))
        assert isinstance(definition, lsp.Location) and definition.range.start.line == 0
        assert spanned(moved, definition.range) == "执行率"

    run(scenario, log=tmp_path / "server.log")


def test_a_definition_in_a_base_file_with_a_bom_counts_it(tmp_path: Path) -> None:
    """Go-to-definition into the file a document extends placed a name on the base file's line 0
    one character short when that file begins with a BOM, which the client holds as its first
    character there (the document's own BOM was counted; the base file's was not)."""
    base = '\ufeffgroup 管理 10 { indicator 预算执行 10 { score = 10 * 执行率 } }\nrubric "基础" { total 10 }\n'
    base += "input 执行率: percent >= 0 and <= 100%\n"
    (tmp_path / "base.rule").write_text(base, encoding="utf-8")
    child = 'extends "base.rule"\nmax 预算执行 10\n'

    async def scenario(s: Session) -> None:
        uri = s.open(tmp_path / "child.rule", child)
        assert await s.diagnostics(uri, 1) == []
        doc = lsp.TextDocumentIdentifier(uri)
        definition = await ask(s.client.text_document_definition_async(lsp.DefinitionParams(doc, at(child, "预算执行"))))
        assert isinstance(definition, lsp.Location)
        assert definition.uri == (tmp_path / "base.rule").resolve().as_uri()
        assert definition.range.start.line == 0 and spanned(base, definition.range) == "预算执行"

    run(scenario, log=tmp_path / "server.log")


def test_a_burst_of_changes_is_checked_once_for_the_last_text(tmp_path: Path) -> None:
    """Each keystroke's change was checked in turn: on a large file (seconds a check) the
    diagnostics fell ever further behind the typing. Now a burst is checked once, as it ends."""
    typed = "indicator 新 1 { award 1 if 未定义 }\n"

    async def scenario(s: Session) -> None:
        uri = s.open(tmp_path / "typing.rule", CLEAN)
        assert await s.diagnostics(uri, 1) == []
        for n in range(1, len(typed) + 1):  # typed a character at a time, as an editor sends it
            s.change(uri, CLEAN + typed[:n])
        found = await s.diagnostics(uri, 2)
        await asyncio.sleep(1)  # nothing more comes
        assert len(s.published[uri]) == 2
        assert {d.code for d in found} >= {"PF102"}  # the last text's: `未定义` is no name

    run(scenario, log=tmp_path / "server.log")

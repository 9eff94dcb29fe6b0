"""`pingfen lsp` through a real LSP client: pygls's own LanguageClient starts
`python -m pingfen lsp` as a subprocess and speaks JSON-RPC to it over stdio."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the extra `lsp` (pip install 'pingfen[lsp]')")

from lsprotocol import types as lsp  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"
TIMEOUT = 60  # seconds: the machine may be shared and slow

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
        options: Any = None) -> None:  # fmt: skip
    async def main() -> None:
        client = LanguageClient("pingfen-tests", "1")
        session = Session(client)

        @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            session.published.setdefault(params.uri, []).append(params)
            session.arrived.set()

        environment = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
        await client.start_io(sys.executable, "-m", "pingfen", "lsp", env=environment)
        try:
            capabilities = lsp.ClientCapabilities()
            params = lsp.InitializeParams(capabilities=capabilities, initialization_options=options)
            result = await asyncio.wait_for(client.initialize_async(params), TIMEOUT)
            assert result.server_info is not None and result.server_info.name == "pingfen"
            client.initialized(lsp.InitializedParams())
            await scenario(session)
        finally:  # the server stops when told to; one that does not within the timeout is killed
            try:
                await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
                client.exit(None)
                await asyncio.wait_for(client._server.wait(), TIMEOUT)  # type: ignore[union-attr]
            finally:
                if client._server is not None and client._server.returncode is None:
                    client._server.kill()
                await client.stop()

    asyncio.run(main())


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

    run(scenario)

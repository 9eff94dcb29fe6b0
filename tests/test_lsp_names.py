"""`pingfen lsp` on names beyond the document: hover and completion of the names a file
declares in the files it extends (go-to-definition already found them there). A real server
process, through pygls's client, as in test_lsp."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types as lsp

from test_lsp import TIMEOUT, Session, ask, at, hover_text, run, spanned

BASE = """rubric "基础" { total 10 }
input 执行率: percent >= 0 and <= 100% "预算执行率"
let 差额 = 100% - 执行率
group 管理 10 {
  indicator 预算执行 10 {
    score = 10 * 执行率
  }
}
"""

CHANGES = """input 问题数: count "问题个数"
indicator 预算执行 10 {
  score = 10 * 执行率
  deduct 1 per 问题数
  deduct 1 if 差额 > 50%
}
"""


async def hover_at(s: Session, uri: str, pos: lsp.Position) -> lsp.Hover | None:
    params = lsp.HoverParams(lsp.TextDocumentIdentifier(uri), pos)
    return await asyncio.wait_for(s.client.text_document_hover_async(params), TIMEOUT)


async def completion(s: Session, uri: str) -> dict[str, lsp.CompletionItem]:
    params = lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(3, 14))
    listed = await ask(s.client.text_document_completion_async(params))
    items = listed if isinstance(listed, list) else listed.items if listed is not None else []
    return {i.label: i for i in items}


def test_hover_and_completion_know_the_names_of_the_files_extended(tmp_path: Path) -> None:
    """A name declared in the base file showed no hover and was not offered by completion;
    now both know it, as for a name of the document, saying which file declares it. Through a
    file that extends another in turn too."""
    (tmp_path / "base.rule").write_text(BASE, encoding="utf-8")
    (tmp_path / "中间").mkdir()
    (tmp_path / "中间" / "mid.rule").write_text('extends "../base.rule"\nmax 预算执行 10\n', encoding="utf-8")
    child = 'extends "base.rule"\n' + CHANGES
    grandchild = 'extends "中间/mid.rule"\n' + CHANGES

    async def scenario(s: Session) -> None:
        uri = s.open(tmp_path / "child.rule", child)
        assert await s.diagnostics(uri, 1) == []
        # An input of the base file: its type, values and description, and the file.
        h = await hover_at(s, uri, at(child, "10 * 执行率", inside=6))
        words = hover_text(h)
        assert "**输入项** `执行率`" in words and "类型：percent（百分比）" in words
        assert "取值范围：[0%, 100%]" in words and "说明：预算执行率" in words
        assert "定义于 `base.rule`" in words
        assert h is not None and h.range is not None and spanned(child, h.range) == "执行率"
        # A let of the base file: its formula and the values the checker found it takes there.
        words = hover_text(await hover_at(s, uri, at(child, "if 差额", inside=4)))
        assert "let 差额 = 100% - 执行率" in words and "取值范围：[0%, 100%]" in words and "`base.rule`" in words
        # The document's own names as before, without a file named.
        words = hover_text(await hover_at(s, uri, at(child, "per 问题数", inside=5)))
        assert "**输入项** `问题数`" in words and "定义于" not in words
        # Completion offers the base file's names, saying where each is from.
        items = await completion(s, uri)
        assert items["执行率"].kind == lsp.CompletionItemKind.Variable and items["执行率"].detail == "input · base.rule"
        assert items["差额"].kind == lsp.CompletionItemKind.Constant
        assert items["管理"].kind == lsp.CompletionItemKind.Module
        assert items["问题数"].detail == "input" and items["预算执行"].kind == lsp.CompletionItemKind.Field

        # Through a base that extends another: the file that declares the name is named.
        uri = s.open(tmp_path / "grandchild.rule", grandchild)
        await s.diagnostics(uri, 1)
        words = hover_text(await hover_at(s, uri, at(grandchild, "10 * 执行率", inside=6)))
        assert "**输入项** `执行率`" in words and "定义于 `base.rule`" in words
        definition = await ask(s.client.text_document_definition_async(
            lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), at(grandchild, "if 差额", inside=4))
        ))  # fmt: skip
        assert isinstance(definition, lsp.Location) and definition.uri == (tmp_path / "base.rule").resolve().as_uri()
        assert "差额" in await completion(s, uri)

    run(scenario, log=tmp_path / "server.log")


def test_a_missing_or_broken_base_leaves_the_documents_own_names(tmp_path: Path) -> None:
    (tmp_path / "broken.rule").write_text('rubric "坏" { total 10 }\ninput 执行率: percent {{{\n', encoding="utf-8")
    (tmp_path / "huge.rule").write_bytes(b"#" * (3 << 20))  # over the loader's limit (PF008)

    async def scenario(s: Session) -> None:
        for base in ("nowhere.rule", "broken.rule", "huge.rule", "folder/../nowhere.rule"):
            text = f'extends "{base}"\n' + CHANGES
            uri = s.open(tmp_path / f"on-{base.replace('/', '_')}.rule", text)
            assert await s.diagnostics(uri, 1)  # the base is reported at the `extends`
            words = hover_text(await hover_at(s, uri, at(text, "per 问题数", inside=5)))
            assert "**输入项** `问题数`" in words
            assert await hover_at(s, uri, at(text, "10 * 执行率", inside=6)) is None
            items = await completion(s, uri)
            assert "问题数" in items and "执行率" not in items and "indicator" in items

    run(scenario, log=tmp_path / "server.log")
    assert "Traceback" not in (tmp_path / "server.log").read_text(encoding="utf-8")

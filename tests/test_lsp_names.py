"""`pingfen lsp` on names beyond the document: hover and completion of the names a file
declares in the files it extends (go-to-definition already found them there). A real server
process, through pygls's client, as in test_lsp."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from pingfen.loader import diagnose
from test_lsp import TIMEOUT, Session, apply, ask, at, hover_text, run, spanned

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


# ---------------------------------------------------------------- rename

RULESET = Path(__file__).resolve().parents[1] / "rulesets" / "dept-overall-2021.rule"
RENAMING = lsp.ClientCapabilities(
    text_document=lsp.TextDocumentClientCapabilities(rename=lsp.RenameClientCapabilities(prepare_support=True))
)


async def renamed(s: Session, uri: str, text: str, pos: lsp.Position, new: str) -> str:
    """The text with the server's rename at pos applied."""
    params = lsp.RenameParams(lsp.TextDocumentIdentifier(uri), pos, new)
    edit = await ask(s.client.text_document_rename_async(params))
    assert edit is not None and edit.changes is not None and set(edit.changes) == {uri}
    return apply(text, [e for e in edit.changes[uri] if isinstance(e, lsp.TextEdit)])


async def refused(s: Session, uri: str, pos: lsp.Position, new: str | None = None) -> str:
    """The message of the error the server answers a rename (or, new None, a prepareRename) with."""
    document = lsp.TextDocumentIdentifier(uri)
    try:
        if new is None:
            await ask(s.client.text_document_prepare_rename_async(lsp.PrepareRenameParams(document, pos)))
        else:
            await ask(s.client.text_document_rename_async(lsp.RenameParams(document, pos, new)))
    except JsonRpcException as error:
        assert error.code == lsp.LSPErrorCodes.RequestFailed
        return error.message
    raise AssertionError("not refused")


def errors(text: str, path: Path) -> list[str]:
    """What `pingfen check` finds wrong with text, its own examples' scores included."""
    return [f"{d.code} {d.message('en')}" for d in diagnose(text, str(path)) if d.severity == "error"]


def test_rename_every_reference_and_the_declaration_and_nothing_else(tmp_path: Path) -> None:
    """The 2021 ruleset's names: a `let` and an indicator both named “三公经费”变动率 (and the
    words in its comment), an input and an indicator both named 重点支出安排率, an input that
    an indicator's `judgment` reads by its name. The renamed file checks clean, its examples
    scoring as before."""
    text = RULESET.read_text(encoding="utf-8")
    path = tmp_path / "部门整体.rule"
    path.write_text(text, encoding="utf-8")

    async def scenario(s: Session) -> None:
        caps = s.capabilities
        assert caps is not None and caps.rename_provider == lsp.RenameOptions(prepare_provider=True)
        uri = s.open(path, text)
        assert await s.diagnostics(uri, 1) == []
        used = at(text, "of “三公经费”变动率", inside=4)
        prepared = await ask(s.client.text_document_prepare_rename_async(
            lsp.PrepareRenameParams(lsp.TextDocumentIdentifier(uri), used)
        ))  # fmt: skip
        assert isinstance(prepared, lsp.PrepareRenamePlaceholder) and prepared.placeholder == "“三公经费”变动率"
        assert spanned(text, prepared.range) == "“三公经费”变动率"

        # The let: its declaration and its one use; the indicator of that name and the comment stay.
        new = await renamed(s, uri, text, used, "三公经费增长率")
        assert "let 三公经费增长率 = (本年三公经费 - 上年三公经费) / 上年三公经费" in new
        assert "deduct 0.5 per 1pp of 三公经费增长率 above 0% counting proportional" in new
        assert "indicator “三公经费”变动率 5 {" in new and "# “三公经费”变动率≦0" in new
        assert new.count("三公经费增长率") == 2 and errors(new, path) == []
        # The input 重点支出安排率, not the indicator of that name.
        new = await renamed(s, uri, text, at(text, "input 重点支出安排率", inside=7), "重点支出占比")
        assert "bands 重点支出占比 {" in new and "indicator 重点支出安排率 5 {" in new
        assert errors(new, path) == []
        # An input an indicator's `judgment` reads by the indicator's name: the judgment names it now.
        declared = at(text, "input 《政府工作报告》", inside=6)
        new = await renamed(s, uri, text, declared, "《报告》任务")
        assert "indicator 《政府工作报告》目标任务完成情况 5 { judgment 《报告》任务 }" in new
        assert "input 《报告》任务: score" in new and "property monotone 《报告》任务 increasing" in new
        assert "《政府工作报告》目标任务完成情况:" not in new and errors(new, path) == []
        # And the indicator: its judgment keeps reading the input.
        new = await renamed(s, uri, text, at(text, "indicator 《政府工作报告》", inside=11), "报告任务")
        assert "indicator 报告任务 5 { judgment 《政府工作报告》目标任务完成情况 }" in new
        assert errors(new, path) == []
        # A group, in the examples' expectations too; a name that is no bare name, in backquotes.
        new = await renamed(s, uri, text, at(text, "group 投入", inside=7), "投入 指标")
        assert "group `投入 指标` 15 {" in new and "expect `投入 指标` = 15" in new and errors(new, path) == []

        # Refused, with why.
        assert "已有声明（第 26 行）" in await refused(s, uri, at(text, "input 结余", inside=7), "上年结转")
        assert "关键字" in await refused(s, uri, at(text, "input 结余", inside=7), "group")
        assert "不是有效的名称" in await refused(s, uri, at(text, "input 结余", inside=7), "a`b")
        assert "不是有效的名称" in await refused(s, uri, at(text, "input 结余", inside=7), "")
        assert "没有可以重命名的名称" in await refused(s, uri, at(text, "group 投入", inside=1))  # a keyword
        assert "没有可以重命名的名称" in await refused(s, uri, at(text, "“三公经费”变动率≦0", inside=2))  # a comment

    log = tmp_path / "server.log"
    run(scenario, log=log, capabilities=RENAMING)
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_rename_refuses_a_name_of_the_base_file_in_the_clients_language(tmp_path: Path) -> None:
    (tmp_path / "基础.rule").write_text(BASE, encoding="utf-8")
    child = 'extends "基础.rule"\n' + CHANGES

    def scenario_for(lang: str) -> Callable[[Session], Awaitable[None]]:
        async def scenario(s: Session) -> None:
            uri = s.open(tmp_path / "child.rule", child)
            assert await s.diagnostics(uri, 1) == []
            used, replaced = at(child, "10 * 执行率", inside=6), at(child, "indicator 预算执行", inside=11)
            said = [await refused(s, uri, used), await refused(s, uri, used, "完成率"), await refused(s, uri, replaced, "执行")]
            if lang == "zh":
                assert all("声明于本文件所继承的 `基础.rule`，请在该文件中重命名" in m for m in said), said
                assert "已有声明（基础.rule）" in await refused(s, uri, at(child, "per 问题数", inside=5), "差额")
            else:
                assert all("declared in `基础.rule`, the file this one extends: rename it there" in m for m in said), said
                assert "`差额` is already declared (基础.rule)" in await refused(s, uri, at(child, "per 问题数", inside=5), "差额")
            # The document's own input is renamed.
            new = await renamed(s, uri, child, at(child, "per 问题数", inside=5), "整改问题数")
            assert new == child.replace("问题数", "整改问题数")

        return scenario

    log = tmp_path / "server.log"
    run(scenario_for("zh"), log=log, capabilities=RENAMING)
    run(scenario_for("en"), log=log, capabilities=RENAMING, options={"lang": "en"})


VETOED = """rubric "一票否决" {
  total 10
  grade 优秀 >= 9
  grade 合格 >= 6
  grade 不合格 otherwise
}
input 安全事故: bool
input 执行率: percent >= 0 and <= 100%
indicator 预算执行 10 { score = 10 * 执行率 }
veto 安全事故 if 安全事故 -> below 优秀
example "满分" {
  given { 安全事故: false, 执行率: 100% }
  expect grade = 优秀
}
"""


def test_rename_reads_a_veto_as_the_checker_does(tmp_path: Path) -> None:
    """A veto's own name is referred to by nothing: it was taken for the input of its name
    (renamed with it), and the grade it names (`below 优秀`) for no grade (left behind)."""
    path = tmp_path / "veto.rule"
    assert errors(VETOED, path) == []

    async def scenario(s: Session) -> None:
        uri = s.open(path, VETOED)
        await s.diagnostics(uri, 1)
        new = await renamed(s, uri, VETOED, at(VETOED, "grade 优秀", inside=7), "卓越")
        assert "-> below 卓越" in new and "expect grade = 卓越" in new and errors(new, path) == []
        new = await renamed(s, uri, VETOED, at(VETOED, "input 安全事故", inside=7), "事故")
        assert "veto 安全事故 if 事故 -> below 优秀" in new and "given { 事故: false" in new and errors(new, path) == []
        assert "没有可以重命名的名称" in await refused(s, uri, at(VETOED, "veto 安全事故", inside=6))  # the veto's own

    run(scenario, log=tmp_path / "server.log", capabilities=RENAMING)

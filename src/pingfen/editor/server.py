"""`pingfen lsp`: the Language Server Protocol over stdio, on the library's own parser,
checker, formatter and table words (pygls speaks the protocol)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any, BinaryIO, assert_never
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

import attrs
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInternalError, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

from pingfen import ast
from pingfen.diagnostics import Diagnostic, Span
from pingfen.editor.analysis import Analysis, Base, analyse, bases, in_bases
from pingfen.editor.fixes import fixes
from pingfen.editor.hover import hover
from pingfen.editor.rename import NotRenamed, rename
from pingfen.editor.rename import target as rename_target
from pingfen.errors import PingfenError, RubricError
from pingfen.io.write import line_end, line_style
from pingfen.lang import Lang, default_lang
from pingfen.loader import read_regular_rule
from pingfen.syntax.formatter import FormatError, format_text
from pingfen.syntax.parser import keywords

_SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
             "note": lsp.DiagnosticSeverity.Information}  # fmt: skip
_COMPLETION_KIND = {
    "input": lsp.CompletionItemKind.Variable, "let": lsp.CompletionItemKind.Constant,
    "group": lsp.CompletionItemKind.Module, "indicator": lsp.CompletionItemKind.Field,
    "label": lsp.CompletionItemKind.EnumMember, "grade": lsp.CompletionItemKind.EnumMember,
}  # fmt: skip


_LINE_END = re.compile(r"\r\n|\r|\n")
_BOM = "\ufeff"

# A frame's length header, found anywhere in a line: after a frame that could not be read (no
# length, a length that is no number, too short), its body runs into the next frame's header
# on one line, and that header is where reading picks up again. No JSON body holds it: a line
# end inside a JSON string is escaped.
_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*(\S*)[ \t]*\r?\n\Z", re.IGNORECASE)
# Above any frame a client sends (a rule text is at most MAX_CHARS characters, 12 bytes each
# escaped as JSON: 6 MB): a larger length is a corrupt header, not a body to wait for and hold.
# (At 64 MB a header of 20 MB had the server hold its input for a body that never came.)
MAX_FRAME = 16 << 20
# The next frame's header inside a body that is no JSON: where reading starts again.
_NEXT = re.compile(rb"content-length[ \t]*:[ \t]*\d+[ \t]*\r?\n", re.IGNORECASE)
logger = logging.getLogger("pingfen.lsp")
SETTLE = 0.15  # seconds without a further change before a document's diagnostics are worked out


class PingfenServer(LanguageServer):
    def __init__(self) -> None:
        from pingfen import __version__

        super().__init__("pingfen", __version__)
        self.lang: Lang = default_lang()
        self.analyses: dict[str, Analysis] = {}
        self.changes: dict[str, int] = {}  # changes received, by document: the latest is the one checked

    def source(self, uri: str) -> str:
        """A document's text as the client holds it; one not opened is read from disk, BOM kept."""
        opened = self.workspace.text_documents.get(unquote(uri))  # keyed as pygls keys them
        if opened is not None:
            return str(opened.source)
        return _on_disk(uri)

    def analysis(self, uri: str, source: str | None = None) -> Analysis:
        """The document's analysis; `source`: its text, where the caller has it already (read once)."""
        source = self.source(uri) if source is None else source
        found = self.analyses.get(uri)
        if found is None or found.text != _normal(source) or found.bom != source.startswith(_BOM):
            found = self.analyses[uri] = analyse(source, _path(uri))
        return found

    # ------------------------------------------------------------ positions
    def units(self, text: str) -> int:
        """The length of text in the code units the client counts positions in."""
        encoding = str(self.workspace.position_encoding or "utf-16")
        if "8" in encoding:
            return len(text.encode("utf-8"))
        if "32" in encoding:
            return len(text)
        return len(text.encode("utf-16-le")) // 2

    def position(self, text: str, offset: int, bom: bool = False) -> lsp.Position:
        """The client's place of an offset of the text as the loader reads it; `bom`: the
        client's text begins with a BOM, which the loader dropped and the client counts on line 0."""
        line_start = text.rfind("\n", 0, offset) + 1
        line = text.count("\n", 0, offset)
        return lsp.Position(line, self.units(text[line_start:offset]) + (self.units(_BOM) if bom and line == 0 else 0))

    def end(self, text: str) -> lsp.Position:
        """The position of the end of a document as the client holds it, lines ended as LSP
        ends them ("\r\n", a lone "\r", "\n"): the range of an edit that replaces it all."""
        lines = _LINE_END.split(text)
        return lsp.Position(len(lines) - 1, self.units(lines[-1]))

    def range(self, text: str, span: Span, bom: bool = False) -> lsp.Range:
        return lsp.Range(self.position(text, span.start, bom), self.position(text, span.end, bom))

    def offset(self, text: str, position: lsp.Position, bom: bool = False) -> int:
        """The offset in the text as the loader reads it of a client's place (`bom` as for `position`)."""
        lines = text.split("\n")
        row = min(position.line, len(lines) - 1)
        start = sum(len(line) + 1 for line in lines[:row])
        character = max(position.character - self.units(_BOM), 0) if bom and row == 0 else position.character
        line, column, counted = lines[row], 0, 0
        while column < len(line):  # each character counted once: a long line costs its length, not its square
            counted += self.units(line[column])
            if counted > character:
                break
            column += 1
        return start + column

    # ------------------------------------------------------------ diagnostics
    def diagnostic(self, a: Analysis, d: Diagnostic) -> lsp.Diagnostic:
        message = d.message(self.lang)
        help_text = d.help(self.lang)
        if help_text:
            message += ("\n帮助：" if self.lang == "zh" else "\nhelp: ") + help_text
        if d.span.file == 0 and d.span.known:
            where = self.range(a.text, d.span, a.bom)
        else:  # in the file this one extends (or nowhere): shown at the `extends`, saying where
            extends = a.extends()
            where = self.range(a.text, extends.span, a.bom) if extends is not None else lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
            message = f"{d.location()}: {message}"
        return lsp.Diagnostic(where, message, _SEVERITY[d.severity], d.code, source="pingfen")

    def publish(self, uri: str) -> None:
        a = self.analysis(uri)
        found = [self.diagnostic(a, d) for d in a.diagnostics]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, found))

    def location(self, uri: str, text: str, span: Span, bom: bool = False) -> lsp.Location:
        return lsp.Location(uri, self.range(text, span, bom))

    # ------------------------------------------------------------ framing
    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve over stdio as pygls does, but with pingfen's reading of frames (`frames`):
        pygls's loop lost every frame after one without a readable Content-Length, and died
        on a huge one (it allocated the length it was told)."""
        self._stop_event = threading.Event()
        self.protocol.set_writer(_Writer(stdout or sys.stdout.buffer, self._stop_event))
        try:
            asyncio.run(self.frames(_Input(stdin or sys.stdin.buffer)))
        except BrokenPipeError:
            logger.error("pingfen lsp: the client has gone; stopping")
        except (KeyboardInterrupt, SystemExit):  # `exit` ends the loop by SystemExit, as under pygls
            pass
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]  # pygls's own, unannotated

    async def frames(self, stdin: _Input) -> None:
        """Read frames (headers, a blank line, a body of Content-Length bytes) and handle each,
        until the input ends or the server stops. A frame that cannot be read is logged and
        skipped; a body that is no JSON is answered with the parse error (-32700, id null),
        and a frame it took the start of (its length was too long) is read again from there."""
        loop = asyncio.get_running_loop()
        length: int | None = None
        headers = False
        while self._stop_event is not None and not self._stop_event.is_set():
            line = await loop.run_in_executor(self.thread_pool, stdin.readline)
            if not line:
                return
            if line.strip():  # a header (or what is left of a frame that could not be read)
                found = _LENGTH.search(line)
                if found is not None:
                    value = found.group(1)
                    length = int(value) if value.isdigit() and int(value) <= MAX_FRAME else None
                    if length is None:  # said once: the headers' end says nothing more of it
                        logger.warning("pingfen lsp: skipped a frame with Content-Length %r", value[:40])
                headers = length is not None or found is None
                continue
            if length is None:  # the headers' end, and no length to read a body by
                if headers:
                    logger.warning("pingfen lsp: skipped a frame without a readable Content-Length")
                headers = False
                continue
            body = await loop.run_in_executor(self.thread_pool, stdin.read, length)
            if len(body) < length:
                return
            length, headers = None, False
            if not self.handle(body):
                taken = _NEXT.search(body)
                if taken is not None:
                    stdin.kept = body[taken.start() :] + stdin.kept

    def handle(self, body: bytes) -> bool:
        """Handle one frame's body; False when it is no JSON."""
        try:
            data = json.loads(body)  # all of it parsed before any of it is read as a message
        except (json.JSONDecodeError, UnicodeDecodeError):  # JSON-RPC's parse error, for no request's id
            logger.warning("pingfen lsp: a frame's body is not JSON: %r", body[:80])
            error = JsonRpcParseError()  # `"id": null` written out, as JSON-RPC asks (pygls's converter drops a None)
            self.protocol._send_data({"jsonrpc": "2.0", "id": None, "error": {"code": error.code, "message": error.message}})
            return False
        except RecursionError:  # nested too deep to be a message
            logger.warning("pingfen lsp: a frame's body is nested too deep: skipped")
            return True
        try:
            message = self.protocol.structure_message(data) if isinstance(data, dict) else data
        except Exception as error:  # a message of unknown shape: logged, as pygls logs it, and skipped
            logger.exception("pingfen lsp: unable to read a message")
            self.refuse(data, error)
            return True
        try:
            self.protocol.handle_message(message)
        except Exception:
            logger.exception("pingfen lsp: unable to handle a message")
        return True

    def refuse(self, data: object, error: Exception) -> None:
        """Answer a request that could not be read, or its client waits for ever: with the error
        (Invalid params, -32602) under its id, which JSON-RPC allows to be a string, a number or
        null, as pygls answers one it reads; one of no such kind (`true`, an object) is an
        Invalid Request (-32600) under id null, as JSON-RPC says. A notification (no id) and a
        response (a `result` or an `error`, whatever else it holds) are never answered."""
        if not isinstance(data, dict) or "method" not in data or "id" not in data or "result" in data or "error" in data:
            return
        asked = data["id"]
        said: JsonRpcException
        if isinstance(asked, bool) or not isinstance(asked, int | float | str | None):  # bool is an int: not an id
            asked, said = None, JsonRpcInvalidRequest()
        else:
            said = error if isinstance(error, JsonRpcException) else JsonRpcInternalError()
        # `"id": null` written out, as JSON-RPC asks (pygls's converter drops a None)
        self.protocol._send_data({"jsonrpc": "2.0", "id": asked, "error": {"code": said.code, "message": said.message}})


class _Writer(StdoutWriter):
    """pygls's writer to standard output, but a client that has gone (its end of the pipe
    closed, as when it ends or dies mid-frame) stops the server quietly: pygls logged each
    answer it could not send with a traceback, and raised again in a future's callback."""

    def __init__(self, stdout: BinaryIO, stop: threading.Event) -> None:
        super().__init__(stdout)
        self.stop, self.gone = stop, False

    def write(self, data: bytes) -> None:
        if self.gone:
            return
        try:
            super().write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.gone = True
            logger.error("pingfen lsp: the client has gone; stopping")
            self.stop.set()  # the reading loop ends at its next line, or at the input's end


class _Input:
    """Standard input, with bytes put back in front (`kept`): what a body whose length was
    too long took of the frames after it. Lines are read no longer than MAX_FRAME."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream, self.kept = stream, b""

    def readline(self) -> bytes:
        end = self.kept.find(b"\n") + 1
        if end:
            line, self.kept = self.kept[:end], self.kept[end:]
            return line
        line, self.kept = self.kept, b""
        return line + self.stream.readline(MAX_FRAME)

    def read(self, size: int) -> bytes:
        taken, self.kept = self.kept[:size], self.kept[size:]
        return taken + self.stream.read(size - len(taken)) if len(taken) < size else taken


def _normal(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _on_disk(uri: str) -> str:
    """The text of a file not opened, BOM kept, read as the loader reads an `extends`: only a
    regular file, and only so far as a rule file may go (pygls read it whole: a FIFO held the
    server for ever, /dev/zero filled its memory). Nothing to analyse (no file, not a regular
    file, not UTF-8) is ""."""
    if urlparse(uri).scheme != "file":  # an `untitled:` buffer not opened
        return ""
    try:
        return read_regular_rule(_path(uri), bom=True)
    except (OSError, ValueError, RubricError):  # no file, no regular file, not UTF-8 (PF006)
        return ""


def _path(uri: str) -> str:
    """The file a document is, so that `extends "base.rule"` is found beside it."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return url2pathname(parsed.path)  # which undoes the %-escapes: once, not twice
    return os.path.join(os.getcwd(), "untitled.rule")


def _uri(path: str) -> str:
    return Path(path).resolve().as_uri()


server = PingfenServer()


@server.feature(lsp.INITIALIZE)
def _initialize(ls: PingfenServer, params: lsp.InitializeParams) -> None:
    options: Any = params.initialization_options
    if isinstance(options, dict) and options.get("lang") in ("zh", "en"):
        ls.lang = "zh" if options["lang"] == "zh" else "en"


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def _opened(ls: PingfenServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
async def _changed(ls: PingfenServer, params: lsp.DidChangeTextDocumentParams) -> None:
    # An editor sends a change per keystroke: each was checked in turn, and on a large file
    # (seconds a check) the diagnostics, hovers and completions fell ever further behind the
    # typing. A change is checked once no later one has come for a moment; only the last is.
    uri = params.text_document.uri
    ls.changes[uri] = change = ls.changes.get(uri, 0) + 1
    await asyncio.sleep(SETTLE)
    if ls.changes.get(uri) == change:
        ls.publish(uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def _saved(ls: PingfenServer, params: lsp.DidSaveTextDocumentParams) -> None:
    ls.analyses.pop(params.text_document.uri, None)  # a base file it extends may have changed
    ls.publish(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def _closed(ls: PingfenServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.analyses.pop(params.text_document.uri, None)
    ls.changes.pop(params.text_document.uri, None)  # a change still settling is not published for a closed file
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(params.text_document.uri, []))


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def _hover(ls: PingfenServer, params: lsp.HoverParams) -> lsp.Hover | None:
    a = ls.analysis(params.text_document.uri)
    if a.index is None or a.module is None:
        return None
    o = a.index.at(ls.offset(a.text, params.position, a.bom))
    if o is None:
        return None
    words = hover(a.module, a.text, o, ls.lang, a.let_ranges)
    if words is None and o.kind is None:  # a name of a file this one extends: shown as there, saying which
        found = in_bases(bases(a), o.text)
        if found is not None:
            base, kind = found
            words = hover(base.module, base.text, attrs.evolve(o, kind=kind), ls.lang, base.let_ranges)
            if words is not None:
                shown = os.path.relpath(base.path, os.path.dirname(a.path))
                words += f"\n\n{'定义于' if ls.lang == 'zh' else 'declared in'} `{shown}`"
    if words is None:
        return None
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, words), ls.range(a.text, o.span, a.bom))


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def _definition(ls: PingfenServer, params: lsp.DefinitionParams) -> lsp.Location | None:
    uri = params.text_document.uri
    a = ls.analysis(uri)
    if a.index is None:
        return None
    o = a.index.at(ls.offset(a.text, params.position, a.bom))
    if o is None:
        return None
    span = a.index.definition(o)
    if span is not None:
        return ls.location(uri, a.text, span, a.bom)
    found = in_bases(bases(a), o.text)  # a name of a file this one extends
    if found is not None:
        base, kind = found
        span = base.index.declarations[(kind, o.text)]
        # the base file's BOM, if it has one, counts on its line 0 as the document's does
        return ls.location(_uri(base.path), base.text, span, ls.source(_uri(base.path)).startswith(_BOM))
    return None


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def _references(ls: PingfenServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    uri = params.text_document.uri
    a = ls.analysis(uri)
    if a.index is None:
        return []
    o = a.index.at(ls.offset(a.text, params.position, a.bom))
    if o is None or o.kind is None:
        return []
    spans = a.index.references(o, declaration=params.context.include_declaration)
    return [ls.location(uri, a.text, s, a.bom) for s in spans]


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["`"]))
def _complete(ls: PingfenServer, params: lsp.CompletionParams) -> list[lsp.CompletionItem]:
    a = ls.analysis(params.text_document.uri)
    items: list[lsp.CompletionItem] = []
    seen: set[str] = set()
    if a.index is not None:
        for (kind, text) in a.index.declarations:
            if kind in _COMPLETION_KIND and text not in seen:
                seen.add(text)
                items.append(lsp.CompletionItem(text, kind=_COMPLETION_KIND[kind], detail=kind, sort_text="0" + text))
    for base in bases(a):  # the names of the files this one extends, nearest first
        shown = os.path.relpath(base.path, os.path.dirname(a.path))
        for (kind, text) in base.index.declarations:
            if kind in _COMPLETION_KIND and text not in seen:
                seen.add(text)
                items.append(lsp.CompletionItem(text, kind=_COMPLETION_KIND[kind], detail=f"{kind} · {shown}", sort_text="0" + text))
    for word in sorted(keywords()):
        if word not in seen:
            items.append(lsp.CompletionItem(word, kind=lsp.CompletionItemKind.Keyword, sort_text="1" + word))
    return items


class _RenameFailed(JsonRpcException, PingfenError):
    """A rename refused, with why (RequestFailed: the client shows the message)."""

    CODE = lsp.LSPErrorCodes.RequestFailed.value


class _Quiet(logging.Filter):
    """pygls logs a handler's exception with its traceback: a rename refused is no fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], _RenameFailed))


logging.getLogger("pygls.protocol.json_rpc").addFilter(_Quiet())


def _renaming(ls: PingfenServer, uri: str, position: lsp.Position) -> tuple[Analysis, list[Base], int, dict[str, str]]:
    a = ls.analysis(uri)
    found = bases(a)
    shown = {b.path: os.path.relpath(b.path, os.path.dirname(a.path)) for b in found}
    return a, found, ls.offset(a.text, position, a.bom), shown


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
def _prepare_rename(ls: PingfenServer, params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder:
    a, found, at, shown = _renaming(ls, params.text_document.uri, params.position)
    try:
        o = rename_target(a, found, at, ls.lang, shown)
    except NotRenamed as why:
        raise _RenameFailed(str(why)) from None
    return lsp.PrepareRenamePlaceholder(ls.range(a.text, o.span, a.bom), o.text)


@server.feature(lsp.TEXT_DOCUMENT_RENAME)
def _rename(ls: PingfenServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit:
    uri = params.text_document.uri
    a, found, at, shown = _renaming(ls, uri, params.position)
    try:
        edits = rename(a, found, at, params.new_name, ls.lang, shown)
    except NotRenamed as why:
        raise _RenameFailed(str(why)) from None
    return lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(ls.range(a.text, span, a.bom), text) for span, text in edits]})


@server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
def _format(ls: PingfenServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
    source = ls.source(params.text_document.uri)  # "" for a document neither opened nor on disk: no traceback
    try:
        # in the document's own line ends (editors apply the text as given: LF lines in a CRLF
        # document would change every line) and with its BOM, which the edit's range covers
        style = line_style(source)
        formatted = ("\ufeff" if style.bom else "") + style.lines(format_text(_normal(source)))
    except FormatError:  # the diagnostics already say why it does not parse
        return None
    if formatted == source:
        return []
    return [lsp.TextEdit(lsp.Range(lsp.Position(0, 0), ls.end(source)), formatted)]


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def _symbols(ls: PingfenServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
    a = ls.analysis(params.text_document.uri)
    if a.module is None:
        return []
    text = a.text

    def symbol(name: str, kind: lsp.SymbolKind, whole: Span, chosen: Span, detail: str | None = None,
               children: list[lsp.DocumentSymbol] | None = None) -> lsp.DocumentSymbol:  # fmt: skip
        return lsp.DocumentSymbol(name, kind, ls.range(text, whole, a.bom), ls.range(text, chosen, a.bom), detail=detail,
                                  children=children)  # fmt: skip

    def node(n: ast.Node) -> lsp.DocumentSymbol:
        if isinstance(n, ast.Group):
            inside = [node(c) for c in n.children]
            return symbol(n.name.text, lsp.SymbolKind.Namespace, n.span, n.name.span, str(n.max.text or n.max.value), inside)
        return symbol(n.name.text, lsp.SymbolKind.Field, n.span, n.name.span, str(n.max.text or n.max.value))

    out: list[lsp.DocumentSymbol] = []
    for item in a.module.items:
        if item.span.file != 0 or not item.span.known:
            continue
        match item:
            case ast.Header():
                out.append(symbol(item.title, lsp.SymbolKind.File, item.span, item.span))
            case ast.Input():
                out.append(symbol(item.name.text, lsp.SymbolKind.Variable, item.span, item.name.span, item.type))
            case ast.Let():
                out.append(symbol(item.name.text, lsp.SymbolKind.Constant, item.span, item.name.span, "let"))
            case ast.Group() | ast.Indicator():
                out.append(node(item))
            case ast.Outside():
                out.append(node(item.row))
            case ast.Example():
                out.append(symbol(item.name, lsp.SymbolKind.Event, item.span, item.name_span, "example"))
            case ast.AddTo():
                inside = [node(c) for c in item.children]
                out.append(symbol(item.group.text, lsp.SymbolKind.Namespace, item.span, item.group.span, "add to", inside))
            case ast.Monotone() | ast.Claim() | ast.Extends() | ast.Remove() | ast.SetMax() | ast.Veto():
                pass
            case _:
                assert_never(item)
    return out


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
def _actions(ls: PingfenServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    source = ls.source(uri)  # once: a document not opened is read from disk
    a = ls.analysis(uri, source)
    asked = params.context.diagnostics
    end = line_end(source)  # a fix's new lines end as the document's do (a lone CR too): none come out mixed
    out = []
    for d in a.diagnostics:
        shown = ls.diagnostic(a, d)
        wanted = [g for g in asked if g.code == shown.code and g.range == shown.range] if asked else []
        if not wanted and not _overlaps(shown.range, params.range):
            continue
        for fix in fixes(d, a.module, a.text, ls.lang):
            edits = [lsp.TextEdit(ls.range(a.text, Span.at(a.text, e.start, e.end), a.bom), e.new.replace("\n", end)) for e in fix.edits]
            out.append(lsp.CodeAction(
                fix.title, kind=lsp.CodeActionKind.QuickFix, diagnostics=wanted or [shown],
                edit=lsp.WorkspaceEdit(changes={uri: edits}), is_preferred=fix.preferred or None,
            ))  # fmt: skip
    return out


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    def key(p: lsp.Position) -> tuple[int, int]:
        return p.line, p.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def serve(lang: Lang) -> None:
    """Serve one client over standard input and output until it says exit; messages in
    lang unless the client's initializationOptions ask for another."""
    server.lang = lang
    server.start_io()

"""The workbench's web application (Starlette): the page, its assets and a small JSON API.

Every request must carry the token made at start (`?token=` or the `X-Pingfen-Token`
header), so that another page open in the same browser cannot use the workbench; on the
loopback address the Host header must name it too (no DNS rebinding). Bodies are read
with a size limit; names of files go through `Folder.resolve`; the one write, saving a
.rule file, goes through `io.write.atomic_open`, in the file's own line ends and BOM; a file is
read through `Folder.open` (its name checked again after opening) and saved into a folder checked again before the rename.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import os
import secrets
import sys
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from attrs import evolve
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse as StarletteJSON
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pingfen.diagnostics import Source
from pingfen.errors import DataError, OutputError, PingfenError, Problem, RubricError
from pingfen.evaluate.rubric import Rubric
from pingfen.io.records import DATA_SUFFIXES
from pingfen.io.write import LineStyle, atomic_open, style_of
from pingfen.lang import Lang
from pingfen.loader import as_parsed, diagnose, read_rule, read_rule_styled
from pingfen.messages import message
from pingfen.serve import work
from pingfen.serve.folder import RULE_SUFFIX, Denied, Folder, Place
from pingfen.syntax.scan import MAX_CHARS

STATIC = Path(__file__).parent / "static"
MAX_UPLOAD = 10 * 1024 * 1024  # a batch file: tens of thousands of rows
MAX_BODY = MAX_UPLOAD * 4 // 3 + 4 * MAX_CHARS + 65536  # base64 of an upload, the rule text (4 bytes a char), JSON
UNNAMED = "未命名.rule"  # the name of text not yet saved to a file
KEPT_DOWNLOADS = 16  # results of the latest runs, held in memory for their download links

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Download = tuple[bytes, str] | Callable[[], tuple[bytes, str]]  # (content, media type), or its maker

# The page loads only its own scripts; the rubric table (inline styles) shows in a srcdoc frame.
HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; frame-src 'self' about:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"),
    (b"referrer-policy", b"no-referrer"),  # the token is in the URL: never send it on
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
]  # fmt: skip


class JSONResponse(StarletteJSON):
    """Starlette's JSON answer, but text the page sent with a lone surrogate (a JavaScript string
    may hold one, and JSON escapes it) is answered escaped, as it came: UTF-8 cannot hold it,
    and the check of such a text, which names the character, was a 500."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def _lang(value: object, default: Lang) -> Lang:
    if value == "en":
        return "en"
    return "zh" if value == "zh" else default


class Guard:
    """ASGI middleware: the token on every request, the Host header on loopback, safe headers on every answer."""

    def __init__(self, app: ASGIApp, token: str, hosts: frozenset[str] | None, lang: Lang) -> None:
        self.app, self.token, self.hosts, self.lang = app, token, hosts, lang

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":  # the workbench has none: nothing passes without the token
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":  # lifespan
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = headers.get("x-pingfen-token") or (query.get("token") or [""])[0]
        lang = _lang((query.get("lang") or [""])[0], self.lang)
        host_ok = self.hosts is None or headers.get("host", "") in self.hosts
        if not (host_ok and secrets.compare_digest(given.encode(), self.token.encode())):
            answer = JSONResponse(Denied("PF853", 403).to_json(lang), status_code=403)
            await answer(scope, receive, self._guarded(send))
            return
        started: list[bool] = []
        try:
            await self.app(scope, receive, self._guarded(send, started))
        except Exception as error:  # a bug of pingfen's: one line on the terminal, a plain answer on the page
            if os.environ.get("PINGFEN_DEBUG"):
                raise
            print(f"pingfen: internal error: {error!r}; please report it (PINGFEN_DEBUG=1 shows the traceback)",
                  file=sys.stderr)  # fmt: skip
            if not started:
                words = "内部错误，请报告" if lang == "zh" else "internal error: please report it"
                answer = JSONResponse({"code": "internal", "message": f"pingfen: {words} ({type(error).__name__})"}, 500)
                await answer(scope, receive, self._guarded(send, started))

    @staticmethod
    def _guarded(send: Send, started: list[bool] | None = None) -> Send:
        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
                if started is not None:
                    started.append(True)
            await send(message)

        return guarded


class Workbench:
    """The routes over one folder."""

    def __init__(self, folder: Folder, token: str, lang: Lang) -> None:
        self.folder, self.token, self.lang = folder, token, lang
        # run → download name → the file, or how to make it when first asked for (the reports)
        self.downloads: OrderedDict[str, dict[str, Download]] = OrderedDict()
        self._saving = threading.Lock()

    def routes(self) -> list[Route | Mount]:
        return [
            Route("/", self.page),
            Route("/api/files", self.files),
            Route("/api/file", self.read, methods=["GET"]),
            Route("/api/file", self.save, methods=["PUT"]),
            Route("/api/check", self.post(work.check), methods=["POST"]),
            Route("/api/format", self.post(work.formatted), methods=["POST"]),
            Route("/api/examples", self.post(work.examples), methods=["POST"]),
            Route("/api/fuzz", self.post(work.fuzz), methods=["POST"]),
            Route("/api/score", self.score, methods=["POST"]),
            Route("/api/batch", self.batch, methods=["POST"]),
            Route("/api/template", self.template, methods=["POST"]),
            Route("/api/download/{run}/{name}", self.download),
            Mount("/static", StaticFiles(directory=STATIC)),
        ]

    async def page(self, request: Request) -> Response:
        html = (STATIC / "index.html").read_text(encoding="utf-8")
        lang = _lang(request.query_params.get("lang"), self.lang)
        html = html.replace("{{token}}", quote(self.token, safe="")).replace("{{lang}}", lang)
        html = html.replace("{{data_suffixes}}", ",".join(DATA_SUFFIXES))  # what the file chooser offers
        html = html.replace("{{max_upload}}", str(MAX_UPLOAD))  # a larger file is refused before it is read
        return Response(html, media_type="text/html; charset=utf-8")

    async def files(self, request: Request) -> Response:
        listing = await run_in_threadpool(self.folder.listing)
        return JSONResponse({"folder": self.folder.root.name, **listing})

    async def read(self, request: Request) -> Response:
        lang = _lang(request.query_params.get("lang"), self.lang)
        try:
            name = request.query_params.get("path", "")
            path, file = self.folder.open(name)  # checked again after opening: not one swapped in since
            with file:
                if path.suffix != RULE_SUFFIX:
                    raise Denied("PF854", 400, path=name)
                text, style = read_rule_styled(path, file)  # the style: what a save writes the text back in
            if len(as_parsed(text)) > MAX_CHARS:  # too long to load (PF008), counted as the loader counts: never shown cut
                raise RubricError(diagnose(text, str(path)))
        except Denied as denied:
            return _denied(denied, lang)
        except RubricError as error:  # not UTF-8, too long: the finding, as `pingfen check` gives it
            return self._findings(error, lang)
        except OSError:  # not readable
            return _denied(Denied("PF851", 404, path=request.query_params.get("path", "")), lang)
        # the page asks for the style again when it saves the text under another name
        return JSONResponse({"path": request.query_params["path"], "text": text, "version": _version(text),
                             "crlf": style.crlf, "bom": style.bom})  # fmt: skip

    async def save(self, request: Request) -> Response:
        lang = _lang(request.query_params.get("lang"), self.lang)
        name = request.query_params.get("path", "")
        try:
            body = await _body(request, 4 * MAX_CHARS, "save")
            path = self.folder.resolve(name, exists=False)
            if path.suffix != RULE_SUFFIX:
                raise Denied("PF854", 400, path=name)
            try:
                if not path.parent.is_dir():
                    raise Denied("PF851", 404, path=str(Path(name).parent))
                if path.exists() and not path.is_file() and not path.is_dir():  # a FIFO would block the save for ever
                    raise Denied("PF859", 400, path=name)
            except OSError:  # a name too long for the system
                raise Denied("PF851", 404, path=name) from None
            text = body.decode("utf-8")
            # The version the page opened ("" for a new file): a file changed on disk since, by
            # someone else or another tab, is not overwritten. A client that sends none saves as asked.
            expected = request.query_params.get("version")
            # The line ends and BOM of a new file: those the page asks for (the file it was saved
            # from, for Save as), else LF without a BOM. A file already there keeps its own.
            asked = LineStyle(request.query_params.get("crlf") == "1", request.query_params.get("bom") == "1")
            written = await run_in_threadpool(self._save, path, text, False if expected is None else expected or None,
                                              name, asked)  # fmt: skip
        except Denied as denied:
            return _denied(denied, lang)
        except UnicodeDecodeError:
            return JSONResponse({"code": "PF006", "message": message("PF006", lang, {"byte": "?"})}, status_code=400)
        except OutputError as error:  # a folder by that name, no space left, not writable (PF702-PF704)
            return JSONResponse({"code": error.code, "message": error.message(lang)}, status_code=409)
        except RubricError as error:  # longer than a rule file may be (PF008): nothing written
            return self._findings(error, lang)
        return JSONResponse({"path": name, "saved": len(text), "version": _version(written)})

    def _findings(self, error: RubricError, lang: Lang) -> Response:
        """A file refused as a rule file (not UTF-8, too long), as `pingfen check` words it, the
        file named as the page names it (relative to the folder), not by its full path."""
        shown = [d if d.source is None else d.with_source(Source(self.folder.shown(d.source.path), d.source.text))
                 for d in error.diagnostics]  # fmt: skip
        message = "\n\n".join(d.render(lang) for d in shown)
        return JSONResponse({"code": error.diagnostics[0].code, "message": message}, status_code=422)

    def _save(self, path: Path, text: str, expected: str | None | bool, name: str, asked: LineStyle) -> str:
        """Write `text` (atomically: a failed save leaves the file as it was), if the file is
        still at the version `expected` (None: not there; False: whatever it is), in the file's
        own line ends and BOM (`asked` for a new file); the text written, as read_rule reads it.
        One save at a time: two tabs saving from the same version both passed the check before
        either wrote, and the second overwrote the first."""
        with self._saving:
            if expected is not False and _version_of(path) != expected:
                raise Denied("PF858", 409, path=name)
            style = style_of(path) if path.is_file() else asked
            written = style.lines(text)
            if len(as_parsed(written)) > MAX_CHARS:  # it could not be opened again (PF008): refused, the file as it was
                raise RubricError(diagnose(written, str(path)))
            # write_text's write, and right before the rename the folder checked again: a folder of
            # the path swapped for a link out since `resolve` is refused, the temporary file removed
            with atomic_open(path, encoding="utf-8-sig" if style.bom else "utf-8", newline="") as handle:
                handle.write(written)
                self.folder.saved_in(handle.name, name)
            return written

    def post(self, job: Callable[[str, Place, Lang], Mapping[str, Any]]) -> Callable[[Request], Awaitable[Response]]:
        """An endpoint that runs `job` on the posted rule text."""

        async def endpoint(request: Request) -> Response:
            lang = _lang(request.query_params.get("lang"), self.lang)  # until the body says (a refusal of the body itself)
            try:
                text, at, lang, _ = await self._posted(request)
                return JSONResponse(await run_in_threadpool(job, text, at, lang))
            except Denied as denied:  # in the body's language once it is read (PF856 was in the URL's: 中文 by default)
                return _denied(denied, lang)

        return endpoint

    async def score(self, request: Request) -> Response:
        lang = _lang(request.query_params.get("lang"), self.lang)
        try:
            text, at, lang, data = await self._posted(request)
            values = data.get("values")
            if not isinstance(values, dict):
                values = {}
            return JSONResponse(await run_in_threadpool(work.score, text, at, values, lang))
        except Denied as denied:
            return _denied(denied, lang)

    async def batch(self, request: Request) -> Response:
        lang = _lang(request.query_params.get("lang"), self.lang)
        try:
            text, at, lang, data = await self._posted(request, MAX_BODY, "upload")
            source = data.get("path")
            # A data file of the folder is read as what its own name says, and only a data file
            # `pingfen eval` reads: never a .env or a .rule read as CSV, its lines echoed in the rows' errors.
            named = source if isinstance(source, str) else ""
            found = self.folder.resolve(named) if named else None
            upload = named if found is not None else str(data.get("file_name", ""))
            suffix = Path(upload).suffix.lower()
            if suffix not in DATA_SUFFIXES or (found is not None and found.suffix.lower() != suffix):
                raise _not_data(upload)
            if found is not None:  # a data file of the folder itself, the one checked (Folder.open)
                with self.folder.open(named)[1] as file:
                    content = file.read(MAX_UPLOAD + 1)
            else:
                try:
                    content = base64.b64decode(str(data.get("data", "")), validate=True)
                except (binascii.Error, ValueError):
                    raise _not_data(upload) from None
            if len(content) > MAX_UPLOAD:
                raise _too_large("upload", MAX_UPLOAD, len(content))
            result = await run_in_threadpool(self._scored, text, at, content, suffix, lang, upload)
        except Denied as denied:
            return _denied(denied, lang)
        except DataError as error:  # the file itself cannot be read (PF508, PF509…): its message, without the prefix
            return JSONResponse({"code": error.code, "message": "；".join(_read_error(p, lang) for p in error.problems)
                                 if lang == "zh" else "; ".join(_read_error(p, lang) for p in error.problems)}, status_code=422)  # fmt: skip
        except PingfenError as error:
            return JSONResponse({"code": getattr(error, "code", "PF509"), "message": _worded(error, lang)}, status_code=422)
        files: dict[str, Download] = dict(result.files)
        if result.table["rows"]:  # no rows (a header alone): no reports to make, the link's download a bare PF526
            files[work.reports_name(lang)] = functools.partial(self._reports, result.rubric, content, suffix, lang, upload)
        run = self._keep(files)
        links = {n: f"/api/download/{run}/{quote(n)}" for n in files}
        return JSONResponse({**result.table, "downloads": links})

    @staticmethod
    def _scored(text: str, at: Place, content: bytes, suffix: str, lang: Lang, upload: str) -> work.Batch:
        # The upload is scored from a private temporary file, never from (or into) the folder;
        # a message names the file the user chose, not that one.
        with tempfile.TemporaryDirectory(prefix="pingfen-upload-") as scratch:
            private = _uploaded(Path(scratch), suffix, content)
            try:
                return work.batch(text, at, private, lang, upload)
            except DataError as error:
                named = [evolve(p, args={**p.args, "path": upload}) if p.args.get("path") == str(private) else p
                         for p in error.problems]  # fmt: skip
                raise DataError(named, error.record) from None

    @staticmethod
    def _reports(rubric: Rubric, content: bytes, suffix: str, lang: Lang, upload: str) -> tuple[bytes, str]:
        with tempfile.TemporaryDirectory(prefix="pingfen-upload-") as scratch:
            return work.reports(rubric, _uploaded(Path(scratch), suffix, content), lang, upload)

    async def template(self, request: Request) -> Response:
        lang = _lang(request.query_params.get("lang"), self.lang)
        try:
            text, at, lang, data = await self._posted(request)
            fmt = "xlsx" if data.get("format") != "csv" else "csv"
            file_name, content, media = await run_in_threadpool(work.template, text, at, fmt, lang)
        except Denied as denied:
            return _denied(denied, lang)
        run = self._keep({file_name: (content, media)})
        return JSONResponse({"downloads": {file_name: f"/api/download/{run}/{quote(file_name)}"}})

    async def download(self, request: Request) -> Response:
        files = self.downloads.get(request.path_params["run"], {})
        name = request.path_params["name"]
        if name not in files:
            return _denied(Denied("PF851", 404, path=name), _lang(request.query_params.get("lang"), self.lang))
        found = files[name]
        if callable(found):  # made once, when first asked for, from what the run read then (its rubric, its data)
            lang = _lang(request.query_params.get("lang"), self.lang)
            try:
                made = await run_in_threadpool(found)
            except Denied as denied:
                return _denied(denied, lang)
            except PingfenError as error:  # say, a row a report cannot be written for: the message, never a 500
                return JSONResponse({"code": getattr(error, "code", "PF509"), "message": _worded(error, lang)}, 422)
            except OSError as error:  # no space left for the scratch folder
                from pingfen.oserrors import reason

                words = "无法生成下载文件：" if lang == "zh" else "the download could not be made: "
                return JSONResponse({"code": "PF704", "message": words + reason(error, lang)}, 503)
            files[name] = made
        else:
            made = found
        content, media = made
        disposition = f"attachment; filename*=UTF-8''{quote(name)}"
        return Response(content, media_type=media, headers={"content-disposition": disposition})

    def _keep(self, files: dict[str, Download]) -> str:
        run = secrets.token_urlsafe(12)
        self.downloads[run] = files
        while len(self.downloads) > KEPT_DOWNLOADS:
            self.downloads.popitem(last=False)
        return run

    async def _posted(self, request: Request, limit: int = 4 * MAX_CHARS + 65536,
                      what: str = "request") -> tuple[str, Place, Lang, dict[str, Any]]:  # fmt: skip
        """The JSON body of a request: the rule text, its file's place in the folder, the language, and the rest."""
        body = await _body(request, limit, what)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("text", ""), str):  # answered, never read as ""
            raise Denied("PF860", 400)
        lang = _lang(data.get("lang"), self.lang)
        given_text, given_name = data.get("text"), data.get("name")
        text = given_text if isinstance(given_text, str) else ""
        name = given_name if isinstance(given_name, str) and given_name else UNNAMED
        # The library is given the file's place in the folder: `extends` is read beside it, and
        # the loader asks the folder before it opens any file the text extends, at any depth
        # (Folder.base): nothing outside the folder, nor hidden, is read (PF850).
        return text, Place(self.folder, self.folder.resolve(name, exists=False)), lang, data


def _version(text: str) -> str:
    """What a save compares: the text's digest, as read_rule gives it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _version_of(path: Path) -> str | None:
    """The version of the file at `path` now; None when there is none. A file that cannot be
    read as a rule file has a version no page holds."""
    if not path.exists():
        return None
    try:
        return _version(read_rule(path))
    except (OSError, RubricError):
        return "unreadable"


async def _body(request: Request, limit: int, what: str = "request") -> bytes:
    """The request body, refused (PF852) as soon as it passes `limit` bytes; `what` it holds
    ("request", "upload", "save") names it in the message."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(what, limit, int(declared))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:  # read no further: how much more there is, is not known
            raise _too_large(what, limit)
        chunks.append(chunk)
    return b"".join(chunks)


_WHAT = {"request": ("the request", "请求"), "upload": ("the uploaded file", "上传的文件"),
         "save": ("the text to save", "要保存的文本")}  # fmt: skip


def _too_large(what: str, limit: int, size: int | None = None) -> Denied:
    """PF852: a body over its limit, naming its size only when it is known (declared, or read whole)."""
    en, zh = _WHAT[what]
    return Denied("PF852", 413, what=en, what_zh=zh, limit=limit,
                  size="" if size is None else f" ({size} bytes)", size_zh="" if size is None else f"（{size} 字节）")  # fmt: skip


def _not_data(name: str) -> Denied:
    """PF857: a file the batch does not score, naming the kinds it does."""
    return Denied("PF857", 400, name=name, formats=", ".join(DATA_SUFFIXES), formats_zh="、".join(DATA_SUFFIXES))


def _uploaded(scratch: Path, suffix: str, content: bytes) -> Path:
    """The upload as a file in a private scratch folder, written as every file is (io.write)."""
    upload = scratch / f"upload{suffix}"
    with atomic_open(upload, "wb") as file:
        file.write(content)
    return upload


# A batch file in an encoding that is not read: the page has no `--encoding` to give, as the
# command line's message asks; what to do there instead.
_ENCODINGS = {
    "PF512": ("cannot read `{path}` as {encoding} (near row {row}): save it as CSV UTF-8 and upload it again",
              "无法按 {encoding} 编码读取 `{path}`（约第 {row} 行）：请另存为“CSV UTF-8”后再上传"),
    "PF521": ("cannot read `{path}`: it is not UTF-8 and does not look like GBK/GB18030 either{guess}; "
              "save it as CSV UTF-8 and upload it again",
              "无法读取 `{path}`：它不是 UTF-8 编码，看起来也不是 GBK/GB18030{guess}；请另存为“CSV UTF-8”后再上传"),
}  # fmt: skip


def _read_error(problem: Problem, lang: Lang) -> str:
    """A problem reading a batch file, as the page words it."""
    worded = _ENCODINGS.get(problem.code)
    if worded is None:  # with its hint: what to do (PF531: delete the title row above the header)
        hint = problem.help(lang)
        return problem.message(lang) + ("" if not hint else f"。{hint}" if lang == "zh" else f". {hint[:1].upper()}{hint[1:]}")
    big5 = bool(problem.args.get("guess"))
    guess = ("（看起来是 Big5 编码）" if lang == "zh" else " (it reads as Big5)") if big5 else ""
    args = {"path": "", "encoding": "", "row": "?", **problem.args, "guess": guess}
    return worded[0 if lang == "en" else 1].format(**args)


def _denied(denied: Denied, lang: Lang) -> JSONResponse:
    return JSONResponse(denied.to_json(lang), status_code=denied.status)


def _worded(error: PingfenError, lang: Lang) -> str:
    render = getattr(error, "render", None)
    return str(render(lang)) if callable(render) else str(error)


def make_app(folder: str | Path, token: str, *, lang: Lang = "zh", hosts: frozenset[str] | None = None) -> ASGIApp:
    """The workbench over `folder`, answering only requests with `token` (and, unless `hosts`
    is None, whose Host header is one of `hosts`)."""
    bench = Workbench(Folder(folder), token, lang)

    async def bug(request: Request, error: Exception) -> Response:  # the Guard prints the one line
        words = "内部错误，请报告" if lang == "zh" else "internal error: please report it"
        return JSONResponse({"code": "internal", "message": f"pingfen: {words} ({type(error).__name__})"}, 500)

    app = Starlette(routes=bench.routes(), exception_handlers={Exception: bug})
    return Guard(app, token, hosts, lang)

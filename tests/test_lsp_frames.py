"""`pingfen lsp` keeps serving after a frame it cannot read: the frames are written to its
standard input byte by byte as a client (or a broken one) would, and the request that follows
a bad frame is answered. pygls's own loop lost every frame after one without a readable
Content-Length (the body ran into the next header), and died on a huge length. A length too
long takes the start of the next frame: it is read again from its header. (One longer than
all that follows waits for more bytes, as any reader of frames must; at the input's end the
server exits.)"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
TIMEOUT = 20  # seconds: the machine may be shared and slow
BODY = b'{"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover"}'


def frame(message: dict[str, Any] | bytes) -> bytes:
    body = message if isinstance(message, bytes) else json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


async def answers(bad: bytes, log: Path) -> tuple[list[dict[str, Any]], int | None]:
    """The server's answers to: initialize, the bad bytes, a request (id 2); and whether it
    was still running when that answer came (None) or its exit code."""
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "pingfen", "lsp", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=log.open("wb"), env={**os.environ, "PYTHONPATH": str(SRC)},
    )  # fmt: skip
    assert server.stdin is not None and server.stdout is not None
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    server.stdin.write(frame(initialize) + bad + frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
    await server.stdin.drain()
    got: list[dict[str, Any]] = []

    async def read() -> None:
        while not any(m.get("id") == 2 for m in got):
            length = 0
            while (line := await server.stdout.readline()).strip():  # type: ignore[union-attr]
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:  # the server has stopped
                return
            got.append(json.loads(await server.stdout.readexactly(length)))  # type: ignore[union-attr]

    try:
        await asyncio.wait_for(read(), TIMEOUT)
    except (TimeoutError, asyncio.IncompleteReadError):
        pass
    running = server.returncode
    if running is None:
        server.kill()
    server.stdin.close()
    await server.wait()
    return got, running


BAD = {
    "a length that is no number": b"Content-Length: abc\r\n\r\n" + BODY,
    "a length too short": b"Content-Length: 5\r\n\r\n" + BODY,
    "a length too long": b"Content-Length: %d\r\n\r\n" % (len(BODY) + 30) + BODY,  # takes the next header
    "a huge length": b"Content-Length: 99999999999999999999\r\n\r\n" + BODY,
    "a length above the limit": b"Content-Length: %d\r\n\r\n" % (20 << 20) + BODY,  # 20 MB: not waited for
    "no length header": b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + BODY,
    "a body that is no JSON": frame(b"{not json"),
    "a body that is not UTF-8": frame(b'{"a": "\xff"}'),
    "a line of noise": b"garbage\r\n",
}


@pytest.mark.parametrize("bad", list(BAD.values()), ids=list(BAD))
def test_a_bad_frame_is_skipped_and_the_next_request_answered(bad: bytes, tmp_path: Path) -> None:
    got, exited = asyncio.run(answers(bad, tmp_path / "stderr.log"))
    said = (tmp_path / "stderr.log").read_text(encoding="utf-8", errors="replace")
    assert any(m.get("id") == 2 and "result" in m for m in got), said
    assert exited is None, said
    assert "Traceback" not in said and "pingfen lsp:" in said or bad == BAD["a line of noise"], said
    assert not any(m.get("id") == 7 for m in got)  # the bad frame's own request is not guessed at


@pytest.mark.parametrize("name", ["a length too short", "a length too long", "a body that is no JSON", "a body that is not UTF-8"])
def test_a_body_that_is_no_json_is_answered_with_the_parse_error(name: str, tmp_path: Path) -> None:
    got, _ = asyncio.run(answers(BAD[name], tmp_path / "stderr.log"))
    errors = [m for m in got if "error" in m]
    assert [(m["id"], m["error"]["code"]) for m in errors] == [(None, -32700)]


INVALID = {
    "a negative position": {"textDocument": {"uri": "file:///x.rule"}, "position": {"line": -1, "character": 0}},
    "no position": {"textDocument": {"uri": "file:///x.rule"}},
}


@pytest.mark.parametrize("params", list(INVALID.values()), ids=list(INVALID))
def test_a_request_with_invalid_params_is_answered_with_its_error(params: dict[str, Any], tmp_path: Path) -> None:
    """A request whose params do not fit its method is answered with JSON-RPC's Invalid params
    (-32602) under its own id: it was logged and dropped, and its client waited for ever."""
    bad = frame({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": params})
    got, exited = asyncio.run(answers(bad, tmp_path / "stderr.log"))
    assert [(m["id"], m["error"]["code"]) for m in got if "error" in m] == [(7, -32602)]
    assert any(m.get("id") == 2 and "result" in m for m in got) and exited is None


NOT_ANSWERED = {
    "a notification with bad params": {"method": "textDocument/didOpen", "params": {"textDocument": {"uri": 3}}},
    "a notification with no params": {"method": "textDocument/didChange"},
    "a response with an error and a method": {"id": 7, "method": "textDocument/hover", "error": "boom"},
    "a response with a result and a method": {"id": 7, "method": "textDocument/hover", "params": {}, "result": 1},
}


@pytest.mark.parametrize("message", list(NOT_ANSWERED.values()), ids=list(NOT_ANSWERED))
def test_a_notification_or_a_response_that_cannot_be_read_is_not_answered(message: dict[str, Any], tmp_path: Path) -> None:
    """Only a request is answered: a response that also named a method was answered -32602, as
    if it were one, and a client may take that for the answer to a request of its own."""
    got, exited = asyncio.run(answers(frame({"jsonrpc": "2.0", **message}), tmp_path / "stderr.log"))
    assert [m for m in got if "error" in m] == [] and any(m.get("id") == 2 and "result" in m for m in got) and exited is None


ODD_IDS = {
    "true": (True, None, -32600),  # a bool is no id (Python's bool is an int): Invalid Request, id null
    "an object": ({"n": 1}, None, -32600),
    "a fraction": (1.5, 1.5, -32602),  # a number JSON-RPC allows (LSP asks for an integer): answered under it
    "null": (None, None, -32602),
}


@pytest.mark.parametrize("sent", list(ODD_IDS.values()), ids=list(ODD_IDS))
def test_a_request_with_invalid_params_and_an_odd_id_is_answered_as_json_rpc_says(sent: tuple[Any, Any, int], tmp_path: Path) -> None:
    """`"id": true` was answered under id true with Invalid params, as if it were an int; an id
    1.5 was not answered at all, and its client waited for ever."""
    asked, answered, code = sent
    bad = frame({"jsonrpc": "2.0", "id": asked, "method": "textDocument/hover", "params": {}})
    got, exited = asyncio.run(answers(bad, tmp_path / "stderr.log"))
    assert [(m["id"], m["error"]["code"]) for m in got if "error" in m] == [(answered, code)]
    assert any(m.get("id") == 2 and "result" in m for m in got) and exited is None


@pytest.mark.parametrize("gone", [False, True], ids=["stdin closed", "stdin and stdout closed"])
def test_the_input_ending_mid_frame_stops_the_server_cleanly(gone: bool, tmp_path: Path) -> None:
    """A client that closes its end mid-frame (a body shorter than its Content-Length, as when
    it dies while writing): the server exits 0 without a traceback. One that had closed the
    server's output too made pygls log each answer it could not send with a traceback."""
    import subprocess
    import threading

    log = tmp_path / "stderr.log"
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    with log.open("wb") as stderr:
        server = subprocess.Popen([sys.executable, "-m", "pingfen", "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=stderr, env={**os.environ, "PYTHONPATH": str(SRC)})  # fmt: skip
    output = server.stdout
    assert server.stdin is not None and output is not None
    said: list[bytes] = []
    if gone:
        output.close()
    else:
        reader = threading.Thread(target=lambda: said.append(output.read()), daemon=True)
        reader.start()
    server.stdin.write(frame(initialize) + b'Content-Length: 1000\r\n\r\n{"jsonrpc": "2.0", "id": 2')
    server.stdin.close()
    try:
        code = server.wait(TIMEOUT)
    finally:
        if server.returncode is None:
            server.kill()
            server.wait()
    errors = log.read_text(encoding="utf-8", errors="replace")
    assert code == 0 and "Traceback" not in errors, errors
    if gone:
        assert "the client has gone" in errors
    else:
        reader.join(TIMEOUT)
        assert said and said[0].count(b"Content-Length") == 1  # initialize answered, the cut frame not


def test_the_limit_of_a_frame_holds_the_longest_rule_text() -> None:
    """A frame is refused above 16 MB: a rule text of MAX_CHARS characters, each escaped as
    JSON in 12 bytes (an astral character's two \\u escapes), still fits, with room for the rest."""
    from pingfen.editor.server import MAX_FRAME
    from pingfen.syntax.scan import MAX_CHARS

    longest = json.dumps({"text": "\U0001f600" * MAX_CHARS})
    assert len(longest) + 4096 < MAX_FRAME <= 16 << 20

"""`pingfen serve`'s API and security rules, through Starlette's TestClient (the real
application, in process): the token, the Host header, the folder's bounds, upload limits,
and that each answer is the library's own (checked against the library, not hard-coded)."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

with warnings.catch_warnings():  # Starlette 1.x would have httpx2 under its TestClient; httpx works as well
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import pingfen  # noqa: E402
from pingfen.batch import score_file  # noqa: E402
from pingfen.errors import DataError, Problem  # noqa: E402
from pingfen.io.write import style_of  # noqa: E402
from pingfen.loader import read_rule  # noqa: E402
from pingfen.serve import app as serve_app  # noqa: E402
from pingfen.serve import is_loopback  # noqa: E402
from pingfen.serve.app import make_app  # noqa: E402
from pingfen.serve.folder import Folder  # noqa: E402
from pingfen.syntax.formatter import format_text  # noqa: E402
from pingfen.template import render_template  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "t0ken-for-tests"
RULE = """\
rubric "部门评分" {
  total 10
  grade 好 >= 8
  grade 差 otherwise
}

input 错误数: count "发现的错误个数"
input 已公开: bool "按规定公开"
input 等级: label { 甲, 乙 } "自评等级"

group 管理 10 {
  indicator 差错 6 { deduct 2 per 错误数 reason "发现{错误数}个错误" }
  indicator 公开 2 { award 2 if 已公开 }
  indicator 自评 2 {
    match 等级 {
      甲 -> 2
      乙 -> 1
    }
  }
}

example "满分" {
  given { 错误数: 0, 已公开: true, 等级: 甲 }
  expect total = 10
}
"""
BROKEN = RULE.replace("per 错误数 reason", "per 错误个数 reason")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    served = tmp_path / "served"
    served.mkdir()
    (served / "部门.rule").write_text(RULE, encoding="utf-8")
    (served / "data.csv").write_text("id,错误数,已公开,等级\nA,1,是,甲\n", encoding="utf-8")
    (tmp_path / "secret.rule").write_text("机密内容", encoding="utf-8")
    return served


@pytest.fixture
def client(folder: Path) -> TestClient:
    return TestClient(make_app(folder, TOKEN), headers={"X-Pingfen-Token": TOKEN})


def post(client: TestClient, url: str, **body: object) -> dict[str, object]:
    response = client.post(url, json={"text": RULE, "name": "部门.rule", **body})
    assert response.status_code == 200, response.text
    data = response.json()
    assert isinstance(data, dict)
    return data


# ---------------------------------------------------------------- the token and the host


@pytest.mark.parametrize("path", ["/", "/api/files", "/api/file?path=部门.rule", "/static/workbench.js"])
def test_every_request_needs_the_token(folder: Path, path: str) -> None:
    bare = TestClient(make_app(folder, TOKEN))
    for headers in ({}, {"X-Pingfen-Token": "wrong"}):
        response = bare.get(path, headers=headers)
        assert response.status_code == 403
        assert response.json()["code"] == "PF853"
        assert "令牌" in response.json()["message"]  # 中文 by default
    sep = "&" if "?" in path else "?"
    assert bare.get(f"{path}{sep}token={TOKEN}").status_code == 200
    assert bare.get(path, headers={"X-Pingfen-Token": TOKEN}).status_code == 200


def test_posts_need_the_token_too(folder: Path) -> None:
    bare = TestClient(make_app(folder, TOKEN))
    response = bare.post("/api/check?lang=en", json={"text": RULE})
    assert response.status_code == 403
    assert "token" in response.json()["message"]
    assert bare.put("/api/file?path=new.rule", content=b"x").status_code == 403
    assert not (folder / "new.rule").exists()


def test_on_loopback_the_host_header_must_name_the_server(folder: Path) -> None:
    """Against DNS rebinding: a page of evil.example resolving to 127.0.0.1 is refused."""
    guarded = TestClient(make_app(folder, TOKEN, hosts=frozenset({"127.0.0.1:8123"})))
    headers = {"X-Pingfen-Token": TOKEN}
    assert guarded.get("/api/files", headers={**headers, "Host": "evil.example:8123"}).status_code == 403
    assert guarded.get("/api/files", headers={**headers, "Host": "127.0.0.1:8123"}).status_code == 200


def test_the_page_carries_the_token_and_safe_headers(client: TestClient) -> None:
    response = client.get("/")
    assert f'content="{TOKEN}"' in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "no-referrer"  # the token never leaves in a Referer


# ---------------------------------------------------------------- nothing outside the folder


@pytest.mark.parametrize("name", ["../secret.rule", "/etc/passwd", "sub/../../secret.rule", "..", "a\x00.rule"])
def test_names_outside_the_folder_are_refused(client: TestClient, folder: Path, name: str) -> None:
    response = client.get("/api/file", params={"path": name})
    assert response.status_code == 403
    assert response.json()["code"] == "PF850"
    response = client.put("/api/file", params={"path": name}, content=b"changed")
    assert response.status_code == 403
    assert (folder.parent / "secret.rule").read_text(encoding="utf-8") == "机密内容"


@pytest.mark.parametrize("params", [{}, {"path": ""}])
def test_a_request_that_names_no_file_says_a_name_is_needed(client: TestClient, params: dict[str, str]) -> None:
    """`/api/file` with no path said "`` is outside the folder" (PF850): no file was named at all."""
    for lang, said in (("zh", "请求未给出文件名：请在 `path` 中给出文件名"), ("en", "the request names no file: give its name as `path`")):
        response = client.get("/api/file", params={**params, "lang": lang})
        assert response.status_code == 400 and response.json() == {"code": "PF861", "message": said}
        response = client.put("/api/file", params={**params, "lang": lang}, content=b"# x\n")
        assert response.status_code == 400 and response.json() == {"code": "PF861", "message": said}


def test_a_name_through_dotdot_that_stays_inside_is_the_file_it_leads_to(client: TestClient, folder: Path) -> None:
    """`sub/../部门.rule` was refused as "outside the folder", which it is not: it is the folder's
    部门.rule, read and saved as that. Where `..` leads is taken as the system takes it, after
    the link before it: through a link out of the folder it is still refused."""
    (folder / "sub").mkdir()
    response = client.get("/api/file", params={"path": "sub/../部门.rule"})
    assert response.status_code == 200 and response.json()["text"] == RULE
    changed = RULE.replace("total 10", "total 10  # 改")
    response = client.put("/api/file", params={"path": "sub/../部门.rule", "version": response.json()["version"]},
                          content=changed.encode())  # fmt: skip
    assert response.status_code == 200, response.text
    assert (folder / "部门.rule").read_text(encoding="utf-8") == changed
    (folder.parent / "elsewhere").mkdir()
    (folder / "away").symlink_to(folder.parent / "elsewhere", target_is_directory=True)
    for name in ("away/../secret.rule", "sub/../../secret.rule"):  # spelt inside, leading out
        assert client.get("/api/file", params={"path": name}).json()["code"] == "PF850", name
        assert client.put("/api/file", params={"path": name}, content=b"x").status_code == 403, name
    assert (folder.parent / "secret.rule").read_text(encoding="utf-8") == "机密内容"
    response = client.get("/api/file", params={"path": "sub/..", "lang": "en"})  # the folder itself: no file
    assert response.status_code == 404 and response.json()["code"] == "PF851"


def test_an_absolute_path_into_the_folder_is_refused_too(client: TestClient, folder: Path) -> None:
    response = client.get("/api/file", params={"path": str(folder / "部门.rule")})
    assert response.status_code == 403


def test_links_out_of_the_folder_are_neither_listed_read_nor_written(client: TestClient, folder: Path) -> None:
    (folder / "link.rule").symlink_to(folder.parent / "secret.rule")
    (folder / "out").symlink_to(folder.parent, target_is_directory=True)
    assert client.get("/api/file", params={"path": "link.rule"}).status_code == 403
    assert client.get("/api/file", params={"path": "out/secret.rule"}).status_code == 403
    assert client.put("/api/file", params={"path": "link.rule"}, content=b"x").status_code == 403
    assert client.put("/api/file", params={"path": "out/new.rule"}, content=b"x").status_code == 403
    assert (folder.parent / "secret.rule").read_text(encoding="utf-8") == "机密内容"
    assert not (folder.parent / "new.rule").exists()
    listing = client.get("/api/files").json()
    assert listing["rules"] == ["部门.rule"]
    assert listing["data"] == ["data.csv"]


def test_a_link_inside_the_folder_is_followed(client: TestClient, folder: Path) -> None:
    (folder / "same.rule").symlink_to(folder / "部门.rule")
    assert client.get("/api/file", params={"path": "same.rule"}).json()["text"] == RULE


def test_hidden_files_are_not_listed(client: TestClient, folder: Path) -> None:
    (folder / ".hidden.rule").write_text(RULE, encoding="utf-8")
    assert ".hidden.rule" not in client.get("/api/files").json()["rules"]


def test_hidden_files_are_neither_read_nor_written(client: TestClient, folder: Path) -> None:
    """Not listed, but opened and written when named: `.hidden.rule`, `.git/hooks.rule`."""
    (folder / ".hidden.rule").write_text(RULE, encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / "sub").mkdir()
    (folder / "明.rule").symlink_to(folder / ".hidden.rule")  # nor through a link that is not hidden
    for name in (".hidden.rule", ".git/hooks.rule", "sub/.x.rule", "明.rule", "./.hidden.rule"):
        response = client.get("/api/file", params={"path": name})
        assert response.status_code == 403 and response.json()["code"] == "PF850", name
        response = client.put("/api/file", params={"path": name, "version": ""}, content=b"# x\n")
        assert response.status_code == 403 and response.json()["code"] == "PF850", name
        response = client.post("/api/check", json={"text": RULE, "name": name})
        assert response.status_code == 403, name
    assert not (folder / ".git" / "hooks.rule").exists() and not (folder / "sub" / ".x.rule").exists()
    assert (folder / ".hidden.rule").read_text(encoding="utf-8") == RULE
    assert "明.rule" not in client.get("/api/files").json()["rules"]


def test_a_missing_file_is_404(client: TestClient) -> None:
    response = client.get("/api/file", params={"path": "没有.rule", "lang": "en"})
    assert response.status_code == 404
    assert response.json() == {"code": "PF851", "message": "there is no file `没有.rule` in the folder"}


def test_only_rule_files_are_opened_and_saved(client: TestClient, folder: Path) -> None:
    assert client.get("/api/file", params={"path": "data.csv"}).json()["code"] == "PF854"
    response = client.put("/api/file", params={"path": "data.csv"}, content=b"id\n")
    assert response.status_code == 400
    assert response.json()["code"] == "PF854"
    assert (folder / "data.csv").read_text(encoding="utf-8").startswith("id,错误数")


def test_save_writes_the_text_and_new_files(client: TestClient, folder: Path) -> None:
    changed = RULE.replace("total 10", "total  10")
    assert client.put("/api/file", params={"path": "部门.rule"}, content=changed.encode()).status_code == 200
    assert (folder / "部门.rule").read_text(encoding="utf-8") == changed
    (folder / "sub").mkdir()
    assert client.put("/api/file", params={"path": "sub/新.rule"}, content=b"# x\n").status_code == 200
    assert (folder / "sub" / "新.rule").read_text(encoding="utf-8") == "# x\n"
    assert client.put("/api/file", params={"path": "nowhere/新.rule"}, content=b"# x\n").status_code == 404
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_save_is_atomic_through_io_write(client: TestClient, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save that fails leaves the file as it was: it goes through io.write.write_text."""
    from pingfen.io import write

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.os, "fsync", full)
    response = client.put("/api/file", params={"path": "部门.rule"}, content=b"half")
    assert response.status_code == 409 and response.json()["code"] == "PF704"
    assert (folder / "部门.rule").read_text(encoding="utf-8") == RULE
    assert sorted(p.name for p in folder.iterdir()) == ["data.csv", "部门.rule"]


def test_saving_onto_a_folder_is_an_answer(client: TestClient, folder: Path) -> None:
    (folder / "目录.rule").mkdir()
    response = client.put("/api/file", params={"path": "目录.rule"}, content=b"# x\n")
    assert response.status_code == 409 and response.json()["code"] == "PF702"


def test_a_bug_is_one_line_and_a_plain_answer(folder: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    def broken(*args: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(serve_app.work, "check", broken)
    monkeypatch.delenv("PINGFEN_DEBUG", raising=False)
    client = TestClient(make_app(folder, TOKEN), headers={"X-Pingfen-Token": TOKEN}, raise_server_exceptions=False)
    response = client.post("/api/check", json={"text": RULE})
    assert response.status_code == 500 and response.json()["code"] == "internal"
    assert "Traceback" not in response.text
    assert "internal error: ZeroDivisionError('a bug')" in capsys.readouterr().err


def test_bodies_over_the_limit_are_refused(client: TestClient, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve_app, "MAX_UPLOAD", 100)
    big = base64.b64encode(b"id,x\n" + b"a,1\n" * 100).decode()
    response = client.post("/api/batch", json={"text": RULE, "file_name": "d.csv", "data": big})
    assert response.status_code == 413
    assert response.json()["code"] == "PF852"
    assert response.json()["message"] == "上传的文件超过上限 100 字节（405 字节）"  # the file, decoded
    huge = b"x" * (4 * serve_app.MAX_CHARS + 10)
    response = client.put("/api/file", params={"path": "部门.rule", "lang": "en"}, content=huge)
    assert response.status_code == 413
    assert response.json()["message"] == f"the text to save is larger than the limit of {4 * serve_app.MAX_CHARS} bytes ({len(huge)} bytes)"
    assert (folder / "部门.rule").read_text(encoding="utf-8") == RULE


def test_a_body_sent_without_its_length_is_refused_without_a_size_guessed(folder: Path) -> None:
    """Sent in pieces with no Content-Length, a body is refused as soon as it passes the limit:
    the message gave the bytes read so far as the body's size (and called a save an upload)."""
    import asyncio

    app = make_app(folder, TOKEN)
    pieces = [b"x" * 100_000] * 30  # 3,000,000 bytes
    answer: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": pieces.pop(0) if pieces else b"", "more_body": bool(pieces)}

    async def send(message: dict[str, object]) -> None:
        answer.append(message)

    scope = {"type": "http", "method": "PUT", "path": "/api/file", "raw_path": b"/api/file", "root_path": "",
             "query_string": "path=部门.rule&lang=zh".encode(), "headers": [(b"x-pingfen-token", TOKEN.encode())],
             "scheme": "http", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1), "http_version": "1.1"}  # fmt: skip
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    assert answer[0]["status"] == 413
    body = b"".join(m.get("body", b"") for m in answer if m["type"] == "http.response.body")  # type: ignore[misc]
    assert body.decode() == f'{{"code":"PF852","message":"要保存的文本超过上限 {4 * serve_app.MAX_CHARS} 字节"}}'
    assert (folder / "部门.rule").read_text(encoding="utf-8") == RULE


# ---------------------------------------------------------------- the library's answers


def test_check_gives_each_diagnostic_with_its_caret_and_hint(client: TestClient) -> None:
    data = client.post("/api/check", json={"text": BROKEN, "name": "部门.rule"}).json()
    expected = pingfen.diagnose(BROKEN, "部门.rule")
    assert [d["code"] for d in data["diagnostics"]] == [d.code for d in expected]
    first = data["diagnostics"][0]
    assert first["code"] == "PF102"
    assert (first["line"], first["column"]) == (expected[0].span.line, expected[0].span.column)
    assert "^^^^" in first["text"] and "帮助" in first["text"]  # the caret under the span, the hint, in 中文
    assert "table" not in data  # a rubric with errors has no table
    english = client.post("/api/check", json={"text": BROKEN, "lang": "en"}).json()
    assert "undefined name" in english["diagnostics"][0]["message"]


def test_an_underline_on_line_1_counts_the_bom_the_editor_holds(client: TestClient) -> None:
    """Text that begins with a BOM (pasted, or a file saved with two) shows it in the editor as
    line 1's first character; the loader drops it, and the underline fell one character short."""
    line = 'input 甲: count "说明" zz'
    for text in ("\ufeff" + line + "\n" + RULE, "\ufeff" + RULE.replace("\n", " zz\n", 1)):
        [d] = [d for d in client.post("/api/check", json={"text": text}).json()["diagnostics"] if d["line"] == 1]
        first = text.split("\n")[0]
        assert first[d["column"] - 1 : d["end_column"] - 1] == "zz", (d, first)
    plain = client.post("/api/check", json={"text": line + "\n" + RULE}).json()["diagnostics"][0]
    assert line[plain["column"] - 1 : plain["end_column"] - 1] == "zz"


def test_check_of_a_good_rubric_gives_the_table_and_the_form(client: TestClient) -> None:
    data = post(client, "/api/check")
    assert data["diagnostics"] == []
    assert "差错" in str(data["table"]) and "<table>" in str(data["table"])
    inputs = {i["name"]: i for i in data["inputs"]}
    assert inputs["等级"]["labels"] == ["甲", "乙"]
    assert inputs["已公开"]["type"] == "bool"
    assert "发现的错误个数" in inputs["错误数"]["question"]


def test_check_parses_and_checks_the_text_once(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A check was `diagnose` then `loads` without the tests: the text parsed twice (whole, then
    blanked) and checked twice. A rubric whose example is wrong still shows its table and form."""
    import pingfen.loader
    import pingfen.syntax.parser

    parsed: list[str] = []
    checked: list[object] = []
    parse, check = pingfen.syntax.parser._parse, pingfen.loader.check
    monkeypatch.setattr(pingfen.syntax.parser, "_kept", ())  # nothing kept from another test
    monkeypatch.setattr(pingfen.syntax.parser, "_parse", lambda text, *a: parsed.append(text) or parse(text, *a))
    monkeypatch.setattr(pingfen.loader, "check", lambda module: checked.append(module) or check(module))
    data = post(client, "/api/check")
    assert parsed == [RULE] and len(checked) == 1
    assert data["diagnostics"] == [] and "<table>" in str(data["table"]) and len(data["inputs"]) == 3
    wrong = RULE.replace("expect total = 10", "expect total = 11")  # above the total: PF607
    data = client.post("/api/check", json={"text": wrong}).json()
    assert [d["code"] for d in data["diagnostics"]] == [d.code for d in pingfen.diagnose(wrong)] == ["PF607"]
    assert "<table>" in str(data["table"]) and len(data["inputs"]) == 3


def test_score_is_the_library_evaluation(client: TestClient) -> None:
    values = {"错误数": "2", "已公开": False, "等级": "乙"}
    data = post(client, "/api/score", values=values)
    result = pingfen.loads(RULE).evaluate(values)
    assert data["total"] == str(result.total) and data["grade"] == result.grade
    nodes = {n["name"]: n for n in data["nodes"]}
    assert nodes["差错"]["score"] == str(result.score("差错"))
    assert nodes["差错"]["reasons"] == result["差错"].reasons
    assert nodes["管理"]["depth"] == 0 and nodes["差错"]["depth"] == 1


def test_score_names_each_input_at_fault(client: TestClient) -> None:
    values = {"错误数": "-1", "等级": "丙"}
    data = post(client, "/api/score", values=values)
    problems = {p["input"]: p["code"] for p in data["problems"]}
    with pytest.raises(DataError) as refused:
        pingfen.loads(RULE).evaluate(values)
    expected = refused.value.problems
    assert problems == {p.input: p.code for p in expected if p.code != "PF501"}
    assert set(problems) == {"错误数", "等级"}  # every input at fault, not only the first
    assert data["missing"] == [p.input for p in expected if p.code == "PF501"] == ["已公开"]
    assert "total" not in data


def test_a_form_half_filled_scores_what_it_can(client: TestClient) -> None:
    """As one types: each indicator whose inputs are given is scored, as the library scores it alone."""
    data = post(client, "/api/score", values={"错误数": "1"})
    nodes = {n["name"]: n for n in data["nodes"]}
    alone = pingfen.loads(RULE).score_node("差错", {"错误数": 1})
    assert nodes["差错"]["score"] == str(alone.score) and nodes["差错"]["reasons"] == alone.reasons
    assert nodes["公开"]["score"] is None and nodes["自评"]["score"] is None and nodes["管理"]["score"] is None
    assert data["missing"] == ["已公开", "等级"] and data["problems"] == [] and "total" not in data


def test_scoring_a_broken_rubric_is_refused_with_a_code(client: TestClient) -> None:
    response = client.post("/api/score", json={"text": BROKEN, "values": {}})
    assert response.status_code == 409
    assert response.json()["code"] == "PF856"


@pytest.mark.parametrize("route", ["/api/score", "/api/examples", "/api/fuzz", "/api/template"])
def test_a_refusal_is_in_the_language_the_body_asks_for(client: TestClient, route: str) -> None:
    """`"lang": "en"` in the body, none in the URL: /api/score, /api/examples and /api/fuzz
    answered PF856 in 中文 (the URL's default), /api/template in English."""
    response = client.post(route, json={"text": BROKEN, "values": {}, "lang": "en"})
    assert response.json() == {"code": "PF856", "message": "the rubric has errors: fix them first"}, response.json()
    response = client.post(route, json={"text": BROKEN, "values": {}})
    assert response.json()["message"] == "评分表有错误：请先修改"


def test_fuzz_of_an_input_that_can_take_no_value_is_a_worded_answer(client: TestClient) -> None:
    """It was a 500, `internal error (ValueError)`: no record can be drawn for the input."""
    text = 'rubric "x" { total 3 }\ninput 结余: amount > 5 and < 1\nindicator 乙 3 { deduct 1 per 结余 counting whole }\n'
    for lang, words in (("zh", "输入项 `结余` 在数据步长上没有可取的值"), ("en", "input `结余` has no value on its data steps")):
        response = client.post(f"/api/fuzz?lang={lang}", json={"text": text, "name": "空.rule", "lang": lang})
        assert response.status_code == 422 and response.json()["code"] == "PF415"
        message = response.json()["message"]
        assert message.startswith(words)
        assert "--> 空.rule:2:7" in message and "input 结余: amount > 5 and < 1" in message  # the finding, as check shows it


def test_a_finding_in_a_base_file_is_shown_in_that_file(client: TestClient, folder: Path) -> None:
    """It was shown as if in the open file, under the server's absolute path, with an empty
    line: `--> /tmp/…/served/child.rule:4:32`. `pingfen check` shows `--> base.rule:4:32`."""
    (folder / "sub").mkdir()
    (folder / "base.rule").write_text('rubric "基础" { total 10 }\ninput 数: count\n\n'
                                      "indicator 指标 10 { deduct 1 per 错名 }\n", encoding="utf-8")  # fmt: skip
    child = 'extends "../base.rule"\n\n# 子文件\n'
    data = client.post("/api/check", json={"text": child, "name": "sub/child.rule"}).json()
    found = {d["code"]: d for d in data["diagnostics"]}
    expected = {d.code: d for d in pingfen.diagnose(child, str(folder / "sub" / "child.rule"))}
    assert set(found) == set(expected) == {"PF102", "PF104"}
    wrong = found["PF102"]
    assert (wrong["line"], wrong["column"], wrong["in_file"], wrong["file"]) == (4, 32, False, "base.rule")
    assert "--> base.rule:4:32" in wrong["text"]
    assert "4 | indicator 指标 10 { deduct 1 per 错名 }" in wrong["text"] and "^^^^" in wrong["text"]
    assert str(folder) not in str(data)  # no path of the server's
    # A finding in the open file is named as the folder names it, too.
    data = client.post("/api/check", json={"text": BROKEN, "name": "sub/child.rule"}).json()
    assert "--> sub/child.rule:" in data["diagnostics"][0]["text"] and str(folder) not in str(data)
    assert data["diagnostics"][0]["file"] == "sub/child.rule" and data["diagnostics"][0]["in_file"]


def test_format_is_pingfen_fmt(client: TestClient) -> None:
    messy = RULE.replace("total 10", "total     10")
    data = client.post("/api/format", json={"text": messy}).json()
    assert data["text"] == format_text(messy)



def test_a_lone_surrogate_in_the_text_or_name_is_answered_not_a_500(client: TestClient) -> None:
    """A JavaScript string may hold a lone surrogate, and JSON.stringify sends it escaped
    (`\\ud800`): the check names it (PF001) and the answer, which UTF-8 cannot hold, was a 500."""
    text = RULE.replace('"部门评分"', '"部门\ud800评分"').replace("input 错误数", "input 错\ud800误数")
    body = json.dumps({"text": text, "name": "部门.rule"}).encode("ascii")
    headers = {"content-type": "application/json"}
    checked = client.post("/api/check", content=body, headers=headers)
    assert checked.status_code == 200, checked.text
    expected = pingfen.diagnose(text, "部门.rule")
    assert [d["code"] for d in checked.json()["diagnostics"]] == [d.code for d in expected] and expected
    assert "U+D800" in checked.json()["diagnostics"][0]["message"]
    titled = RULE.replace("部门评分", "\ud800")
    formatted = client.post("/api/format", content=json.dumps({"text": titled}).encode(), headers=headers)
    assert formatted.status_code == 200, formatted.text
    assert formatted.json()["text"] == format_text(titled)
    named = client.post("/api/check", content=json.dumps({"text": RULE, "name": "部门\ud800.rule"}).encode(), headers=headers)
    assert named.status_code == 404 and named.json()["code"] == "PF851"  # no file can have that name


def test_a_lone_surrogate_in_an_extends_path_is_pf120_not_a_500(client: TestClient) -> None:
    """`extends "x\\ud800.rule"`: following the name (UnicodeEncodeError) was a 500."""
    headers = {"content-type": "application/json"}
    for written in ("x\ud800.rule", "子\ud800/base.rule"):
        body = json.dumps({"text": f'extends "{written}"\nrubric "今年" {{ year 2024 }}\n', "name": "今年.rule"})
        checked = client.post("/api/check", content=body.encode("ascii"), headers=headers)
        assert checked.status_code == 200, checked.text
        [refused] = checked.json()["diagnostics"]
        assert refused["code"] == "PF120" and "文件名中有文件名不能含有的字符" in refused["message"], refused


def test_examples_and_coverage(client: TestClient) -> None:
    data = post(client, "/api/examples")
    assert data["passed"] is True
    assert data["examples"] == [{"name": "满分", "line": RULE[: RULE.index('example "满分"')].count("\n") + 1, "passed": True}]
    assert "%" in str(data["coverage"])
    failing = RULE.replace("expect total = 10", "expect total = 9")
    data = client.post("/api/examples", json={"text": failing}).json()
    assert data["passed"] is False and "满分" in data["failures"]
    # The file named as the page names it, not by its full path on the machine.
    data = client.post("/api/examples", json={"text": failing, "name": "部门.rule"}).json()
    assert "（部门.rule:" in data["failures"] and data["summary"].startswith("部门.rule")
    assert "served" not in data["failures"] + data["summary"] + data["coverage"]


def test_fuzz_runs_a_short_search(client: TestClient) -> None:
    pytest.importorskip("hypothesis")
    data = post(client, "/api/fuzz")
    assert data["passed"] is True
    assert str(data["text"]).startswith("部门.rule：")  # named as the page names it, not by its full path


def test_batch_scores_flags_bad_rows_and_offers_downloads(client: TestClient, tmp_path: Path) -> None:
    table = "id,错误数,已公开,等级\n甲单位,1,是,甲\n乙单位,x,否,乙\n丙单位,0,否,乙\n"
    upload = base64.b64encode(table.encode("utf-8")).decode()
    data = post(client, "/api/batch", file_name="d.csv", data=upload)
    rows = data["rows"]
    assert [r["id"] for r in rows] == ["甲单位", "乙单位", "丙单位"]
    assert [bool(r["error"]) for r in rows] == [False, True, False]
    assert data["failed"] == 1
    links = data["downloads"]
    assert set(links) == {"评分结果.csv", "评分结果.xlsx", "评价报告.zip"}
    # The CSV is what `pingfen eval RULE d.csv -o results.csv` writes.
    (tmp_path / "d.csv").write_text(table, encoding="utf-8")
    score_file(pingfen.loads(RULE), tmp_path / "d.csv", tmp_path / "cli.csv", "csv")
    assert client.get(links["评分结果.csv"]).content == (tmp_path / "cli.csv").read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(client.get(links["评分结果.xlsx"]).content))
    assert book.active is not None and book.active.max_row == 4
    reports = zipfile.ZipFile(io.BytesIO(client.get(links["评价报告.zip"]).content))
    assert {"甲单位.docx", "丙单位.docx", "汇总.xlsx"} <= set(reports.namelist())
    download = client.get(links["评分结果.csv"])
    assert download.headers["content-disposition"].startswith("attachment;")


@pytest.mark.parametrize(("name", "text"), [("d.csv", "id,错误数,已公开,等级\n"), ("d.jsonl", "")])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_batch_of_no_rows_offers_no_reports(client: TestClient, name: str, text: str, lang: str) -> None:
    # A header alone (a template handed back unfilled) still offered 评价报告.zip, whose
    # download failed with a bare 422 PF526: the page's plain link showed a failed download.
    upload = base64.b64encode(text.encode("utf-8")).decode()
    data = post(client, f"/api/batch?lang={lang}", file_name=name, data=upload, lang=lang)
    assert (data["rows"], data["failed"]) == ([], 0)
    results = {"zh": {"评分结果.csv", "评分结果.xlsx"}, "en": {"results.csv", "results.xlsx"}}[lang]
    assert set(data["downloads"]) == results
    assert all(client.get(f"{link}?lang={lang}").status_code == 200 for link in data["downloads"].values())
    # A row, even one that cannot be scored, still has its reports (the summary names its error).
    upload = base64.b64encode("id,错误数,已公开,等级\n乙单位,x,否,乙\n".encode()).decode()
    links = post(client, f"/api/batch?lang={lang}", file_name="d.csv", data=upload, lang=lang)["downloads"]
    reports = {"zh": "评价报告.zip", "en": "reports.zip"}[lang]
    assert client.get(f"{links[reports]}?lang={lang}").status_code == 200


def test_the_reports_come_from_the_rubric_the_batch_used(client: TestClient, folder: Path) -> None:
    """The reports were made when their link was first followed, from the text loaded again:
    a base file edited in between gave a 500 (Denied uncaught), or reports of another rubric
    than the results table's."""
    (folder / "base.rule").write_text(RULE, encoding="utf-8")
    child = 'extends "base.rule"\n'
    data = post(client, "/api/batch", text=child, name="child.rule", file_name="data.csv", path="data.csv")
    links = data["downloads"]
    results = client.get(links["评分结果.csv"]).content.decode("utf-8-sig")
    for edit in ("这不是评分表\n", RULE.replace("deduct 2 per", "deduct 3 per"), 'extends "../secret.rule"\n'):
        (folder / "base.rule").write_text(edit, encoding="utf-8")
        response = client.get(links["评价报告.zip"])
        assert response.status_code == 200, response.text
        summary = zipfile.ZipFile(io.BytesIO(response.content)).read("汇总.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(summary)).active
        assert sheet is not None
        cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, (int, float))]
        total = pingfen.loads(RULE).evaluate({"错误数": 1, "已公开": True, "等级": "甲"}).total  # the base as it was
        assert total in cells and f",{total}," in results


def test_a_download_that_cannot_be_made_is_an_answer(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    links = post(client, "/api/batch", file_name="data.csv", path="data.csv")["downloads"]

    def fails(*args: object) -> tuple[bytes, str]:
        raise DataError([Problem("PF501", "错误数", {"input": "错误数"})], "A")

    monkeypatch.setattr(serve_app.work, "reports", fails)
    response = client.get(links["评价报告.zip"])
    assert response.status_code == 422 and "缺少输入项 `错误数`" in response.json()["message"]

    def full(*args: object) -> tuple[bytes, str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(serve_app.work, "reports", full)
    response = client.get(links["评价报告.zip"] + "?lang=en")
    assert response.status_code == 503 and response.json()["message"].startswith("the download could not be made")


def test_batch_from_a_data_file_of_the_folder(client: TestClient) -> None:
    data = post(client, "/api/batch", file_name="data.csv", path="data.csv")
    assert [r["total"] for r in data["rows"]] == [str(pingfen.loads(RULE).evaluate({"错误数": 1, "已公开": True, "等级": "甲"}).total)]
    response = client.post("/api/batch", json={"text": RULE, "file_name": "x.csv", "path": "../secret.rule"})
    assert response.status_code == 403


def test_batch_reads_only_batch_files_of_the_folder(client: TestClient, folder: Path) -> None:
    """The suffix checked was the upload name's (`x.csv`), not the file's: `.env`, a .rule, a
    .txt were read as CSV and their lines echoed in the rows' errors (PF502)."""
    (folder / "notes.txt").write_text("id,错误数\nsk-live-123456,很多\n", encoding="utf-8")
    (folder / "部门.toml").write_text('id = "sk-live-123456"', encoding="utf-8")
    for path in ("notes.txt", "部门.rule", "部门.toml", "notes.txt/"):
        response = client.post("/api/batch", json={"text": RULE, "file_name": "x.csv", "path": path})
        # `notes.txt/` names a folder, which is not there (PF851, test_a_file_named_as_a_folder_is_not_that_file)
        assert (response.status_code, response.json()["code"]) == ((404, "PF851") if path.endswith("/") else (400, "PF857")), path
        assert "sk-live" not in response.text and "total 10" not in response.text
    (folder / ".env").write_text("id,错误数\nsk-live-123456,很多\n", encoding="utf-8")
    for path in (".env", ".env.csv"):
        (folder / ".env.csv").write_text("id,错误数\nsk-live-123456,很多\n", encoding="utf-8")
        response = client.post("/api/batch", json={"text": RULE, "file_name": "x.csv", "path": path})
        assert response.status_code in (400, 403) and "sk-live" not in response.text, path
    # A batch file is read as what it is, whatever the upload name says.
    data = post(client, "/api/batch", file_name="x.xlsx", path="data.csv")
    assert data["rows"][0]["id"] == "A" and not data["rows"][0]["error"]


def test_batch_reads_every_data_file_eval_reads(client: TestClient, folder: Path, tmp_path: Path) -> None:
    """Only .csv and .xlsx were scored (PF857): a JSON Lines file, an .xlsm workbook, one JSON
    or YAML record, which `pingfen eval` scores, were refused, uploaded or in the folder."""
    record = {"id": "A", "错误数": 1, "已公开": True, "等级": "甲"}
    expected = str(pingfen.loads(RULE).evaluate(record).total)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(record))
    sheet.append(list(record.values()))
    book.save(tmp_path / "b.xlsx")
    files = {
        "各单位.jsonl": '{"id": "A", "错误数": 1, "已公开": true, "等级": "甲"}\n'.encode(),
        "各单位.NDJSON": '{"id": "A", "错误数": 1, "已公开": true, "等级": "甲"}\n'.encode(),
        "各单位.xlsm": (tmp_path / "b.xlsx").read_bytes(),
        "甲单位.json": '{"id": "A", "错误数": 1, "已公开": true, "等级": "甲"}'.encode(),
        "甲单位.yaml": "id: A\n错误数: 1\n已公开: 是\n等级: 甲\n".encode(),
        "甲单位.yml": "id: A\n错误数: 1\n已公开: 是\n等级: 甲\n".encode(),
    }
    for name, content in files.items():
        uploaded = post(client, "/api/batch", file_name=name, data=base64.b64encode(content).decode())
        (folder / name).write_bytes(content)
        listed = client.get("/api/files").json()["data"]
        of_folder = post(client, "/api/batch", file_name=name, path=name)
        for data in (uploaded, of_folder):
            assert [(r["id"], r["total"], r["error"]) for r in data["rows"]] == [("A", expected, None)], name  # type: ignore[index, union-attr]
        assert name in listed, name
    response = client.post("/api/batch", json={"text": RULE, "file_name": "d.txt", "data": "", "lang": "en"})
    said = response.json()["message"]
    assert response.status_code == 400 and ".jsonl" in said and ".yaml" in said and ".xlsm" in said


def test_batch_refuses_other_files(client: TestClient) -> None:
    response = client.post("/api/batch", json={"text": RULE, "file_name": "d.exe", "data": ""})
    assert response.status_code == 400 and response.json()["code"] == "PF857"
    response = client.post("/api/batch", json={"text": RULE, "file_name": "d.csv", "data": "!!not base64!!"})
    assert response.status_code == 400


def test_an_unreadable_batch_file_is_an_answer_not_a_crash(client: TestClient) -> None:
    upload = base64.b64encode(b"PK\x03\x04 not really a workbook").decode()
    response = client.post("/api/batch", json={"text": RULE, "file_name": "各单位.xlsx", "data": upload})
    assert response.status_code == 422
    assert response.json()["code"].startswith("PF5")
    said = response.json()["message"]  # the file the user chose, not the private copy, and no "错误[…]:" again
    assert "`各单位.xlsx`" in said and "pingfen-upload" not in said and not said.startswith("错误")


def test_a_batch_in_an_unread_encoding_is_told_what_the_page_can_do(client: TestClient) -> None:
    """The message said `请用 --encoding 指定正确的编码`: the workbench has no such option."""
    upload = base64.b64encode("id,錯誤數\nA01,1\n".encode("big5")).decode()
    for lang, words in (("zh", "请另存为“CSV UTF-8”后再上传"), ("en", "save it as CSV UTF-8 and upload it again")):
        response = client.post("/api/batch", json={"text": RULE, "file_name": "各单位.csv", "data": upload, "lang": lang})
        assert response.status_code == 422 and response.json()["code"] == "PF521"
        said = response.json()["message"]
        assert said.endswith(words) and "`各单位.csv`" in said and "Big5" in said and "--encoding" not in said


def test_a_title_row_above_the_header_is_refused_as_eval_refuses_it(client: TestClient) -> None:
    """The workbench scored every row "missing input" (PF501 once per input) where `pingfen eval`
    refuses the file whole (PF531) and says the header is row 2: now the same refusal, with its hint."""
    upload = base64.b64encode("2024年各单位数据\nid,错误数,已公开,等级\nA,1,是,甲\n".encode()).decode()
    response = client.post("/api/batch", json={"text": RULE, "file_name": "各 单位.csv", "data": upload})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "PF531"
    said = response.json()["message"]
    assert "`各 单位.csv`" in said and "第 2 行" in said and "pingfen-upload" not in said
    response = client.post("/api/batch", json={"text": RULE, "file_name": "各 单位.csv", "data": upload, "lang": "en"})
    said = response.json()["message"]
    assert ". " in said and said.split(". ", 1)[1][:1].isupper(), said  # the hint begins a sentence


def test_a_rows_error_names_the_uploaded_file_not_the_private_copy(client: TestClient) -> None:
    """A row that does not fit the header (PF520) named `/tmp/pingfen-upload-…/upload.csv`."""
    upload = base64.b64encode("id,错误数,已公开,等级\nA,1,是,甲,多余\n".encode()).decode()
    rows = post(client, "/api/batch", file_name="各 单位.csv", data=upload)["rows"]
    assert isinstance(rows, list)
    error = rows[0]["error"]
    assert "PF520" in error and "`各 单位.csv`" in error and "pingfen-upload" not in error


def test_the_reports_summary_names_the_uploaded_file_not_the_private_copy(client: TestClient) -> None:
    """The results named the file chosen, but 评价报告.zip's 汇总.xlsx still said
    `/tmp/pingfen-upload-…/upload.csv` for a row that does not fit the header (found by review)."""
    upload = base64.b64encode("id,错误数,已公开,等级\nA,1,是,甲\nB,1,是,甲,多余\n".encode()).decode()
    links = post(client, "/api/batch", file_name="各 单位.csv", data=upload)["downloads"]
    assert isinstance(links, dict)
    reports = zipfile.ZipFile(io.BytesIO(client.get(links["评价报告.zip"]).content))
    sheet = openpyxl.load_workbook(io.BytesIO(reports.read("汇总.xlsx")), read_only=True)
    said = " ".join(str(cell) for row in sheet.active.iter_rows(values_only=True) for cell in row if cell)
    assert "PF520" in said and "`各 单位.csv`" in said and "pingfen-upload" not in said, said


def test_a_rule_file_not_in_utf8_is_named_as_the_folder_names_it(client: TestClient, folder: Path) -> None:
    """PF006 when opening a GBK rule file named it by its full path on the machine
    (`--> /home/…/served/旧 表.rule:1:9`), where every other finding is named relative to the folder."""
    (folder / "旧 表.rule").write_bytes('rubric "测试" { total 10 }\n'.encode("gbk"))
    response = client.get("/api/file", params={"path": "旧 表.rule"})
    assert response.status_code == 422 and response.json()["code"] == "PF006"
    said = response.json()["message"]
    assert "--> 旧 表.rule:1:" in said and str(folder) not in said and "GBK" in said


def test_templates(client: TestClient) -> None:
    links = post(client, "/api/template", format="csv")["downloads"]
    content = client.get(links["填报模板.csv"]).content
    assert content.decode("utf-8-sig") == render_template(pingfen.loads(RULE), "csv")
    links = post(client, "/api/template", format="xlsx")["downloads"]
    book = openpyxl.load_workbook(io.BytesIO(client.get(links["填报模板.xlsx"]).content))
    first = next(csv.reader(io.StringIO(render_template(pingfen.loads(RULE), "csv"))))
    assert [c.value for c in book.worksheets[0][1]][: len(first)] == first


def test_unknown_downloads_are_404(client: TestClient) -> None:
    assert client.get("/api/download/nope/x.csv").status_code == 404


def test_bad_json_is_an_answer(client: TestClient) -> None:
    response = client.post("/api/check", content=b"{not json")
    assert response.status_code == 400  # not read as an empty text (PF105, as it was)
    assert response.json()["code"] == "PF860" and "JSON" in response.json()["message"]


# ---------------------------------------------------------------- the command


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")


def _pingfen(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from pingfen.cli import main; sys.exit(main())", *args]


def test_remote_binding_needs_a_flag(folder: Path) -> None:
    run = subprocess.run(_pingfen("serve", str(folder), "--host", "0.0.0.0", "--no-browser"),
                         capture_output=True, text=True, timeout=60, env={**os.environ, "PINGFEN_LANG": "zh"})  # fmt: skip
    assert run.returncode == 2
    assert "--allow-remote" in run.stderr


def test_remote_binding_with_the_flag_warns(folder: Path) -> None:
    with subprocess.Popen(_pingfen("serve", str(folder), "--host", "0.0.0.0", "--allow-remote", "--no-browser"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as server:  # fmt: skip
        try:
            assert server.stderr is not None and server.stdout is not None
            warning = server.stderr.readline()
            address = server.stdout.readline()
        finally:
            server.terminate()
    assert "PF855" in warning
    assert "0.0.0.0" in address and "token=" in address


def test_serve_needs_a_folder(tmp_path: Path) -> None:
    run = subprocess.run(_pingfen("serve", str(tmp_path / "nope"), "--no-browser"), capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_the_guard_lets_no_websocket_through() -> None:
    """Even in front of an application that would accept one (the workbench has none)."""
    from starlette.applications import Starlette
    from starlette.routing import WebSocketRoute
    from starlette.websockets import WebSocket, WebSocketDisconnect

    async def hello(socket: WebSocket) -> None:
        await socket.accept()
        await socket.send_text("hello")

    guarded = serve_app.Guard(Starlette(routes=[WebSocketRoute("/ws", hello)]), TOKEN, None, "zh")
    with pytest.raises(WebSocketDisconnect), TestClient(guarded).websocket_connect("/ws") as socket:
        socket.receive_text()


def test_ctrl_c_stops_the_server_without_a_traceback(folder: Path) -> None:
    with subprocess.Popen(_pingfen("serve", str(folder), "--no-browser"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as server:  # fmt: skip
        assert server.stdout is not None
        assert "127.0.0.1" in server.stdout.readline()
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert server.returncode == 130
    assert "Traceback" not in err


# ---------------------------------------------------------------- extends stays in the folder


def test_extends_is_read_beside_the_file_in_the_folder(client: TestClient, folder: Path) -> None:
    """Not beside the server's working directory: the library is given the file's place."""
    (folder / "sub").mkdir()
    data = client.post("/api/check", json={"text": 'extends "../部门.rule"\n', "name": "sub/今年.rule"}).json()
    assert data["diagnostics"] == [] and "差错" in data["table"]


@pytest.mark.parametrize("base", ["../secret.rule", "/etc/passwd", "link.rule"])
def test_extends_may_not_lead_out_of_the_folder(client: TestClient, folder: Path, base: str) -> None:
    (folder / "link.rule").symlink_to(folder.parent / "secret.rule")
    for path in ("/api/check", "/api/score", "/api/examples", "/api/template"):
        response = client.post(path, json={"text": f'extends "{base}"\n', "name": "今年.rule"})
        assert response.status_code == 403, path
        assert response.json()["code"] == "PF850"
        assert "机密内容" not in response.text  # the base's text is never shown


@pytest.mark.parametrize("text", ['# 说明\rextends "../secret.rule"\n', '#\rextends "/etc/passwd"\n',
                                  '\ufeff# 说明\r\nextends "../secret.rule"\n'])
def test_a_lone_carriage_return_does_not_hide_an_extends_from_the_check(client: TestClient, folder: Path, text: str) -> None:
    """The check parsed the raw text, where a lone CR is no line break, so the extends stayed
    inside the comment; the loader, which makes every CR a line break, then read the file
    outside the folder and showed its inputs, its table, or its first word."""
    for path in ("/api/check", "/api/score", "/api/examples", "/api/template"):
        response = client.post(path, json={"text": text, "name": "今年.rule"})
        assert response.status_code == 403, path
        assert response.json()["code"] == "PF850"
        assert "机密内容" not in response.text and "root" not in response.text


def test_a_base_in_the_folder_with_a_lone_carriage_return_may_not_lead_out(client: TestClient, folder: Path) -> None:
    (folder / "中间.rule").write_bytes('# 说明\rextends "../secret.rule"\n'.encode())
    response = client.post("/api/check", json={"text": 'extends "中间.rule"\n', "name": "今年.rule"})
    assert response.status_code == 403 and response.json()["code"] == "PF850"


def test_a_base_in_the_folder_may_not_extend_one_outside(client: TestClient, folder: Path) -> None:
    (folder / "中间.rule").write_text('extends "../secret.rule"\n', encoding="utf-8")
    response = client.post("/api/check", json={"text": 'extends "中间.rule"\n', "name": "今年.rule"})
    assert response.status_code == 403 and response.json()["code"] == "PF850"


def test_the_text_may_not_claim_a_name_outside_the_folder(client: TestClient) -> None:
    response = client.post("/api/check", json={"text": 'extends "secret.rule"\n', "name": "../x.rule"})
    assert response.status_code == 403 and response.json()["code"] == "PF850"


# ---------------------------------------------------------------- saving what was opened, and no more


@pytest.mark.parametrize("crlf", [False, True])
def test_a_save_longer_than_a_rule_file_may_be_is_refused_and_the_file_kept(client: TestClient, folder: Path, crlf: bool) -> None:
    """A save of more characters than a rule file may have was written, and the file could not be
    opened again (PF008). It is refused up front, as opening it would be, the file left as it was,
    whatever its line ends."""
    if crlf:
        (folder / "部门.rule").write_bytes(RULE.replace("\n", "\r\n").encode())
    before = (folder / "部门.rule").read_bytes()
    text = "#" * serve_app.MAX_CHARS + "\n"
    response = client.put("/api/file", params={"path": "部门.rule", "lang": "en"}, content=text.encode())
    assert response.status_code == 422 and response.json()["code"] == "PF008", response.text
    assert response.json()["message"].startswith("error[PF008]: characters in the file: ")
    assert "--> 部门.rule:" in response.json()["message"]  # named as the page names it
    assert (folder / "部门.rule").read_bytes() == before
    response = client.put("/api/file", params={"path": "新.rule", "version": ""}, content=text.encode())
    assert response.status_code == 422 and not (folder / "新.rule").exists()


def test_a_file_of_crlf_lines_within_the_limit_is_saved_and_opened_again(client: TestClient, folder: Path) -> None:
    """The limit counts characters as the loader does, a line end as one: a file of CRLF lines
    that `pingfen check` loads was refused by the workbench (its \\r counted), and one saved
    within the limit could not be opened again."""
    (folder / "部门.rule").write_bytes(RULE.replace("\n", "\r\n").encode())
    text = RULE + "#\n" * (serve_app.MAX_CHARS // 2 - len(RULE))  # within the limit, past it with each \\r counted
    version = client.get("/api/file", params={"path": "部门.rule"}).json()["version"]
    response = client.put("/api/file", params={"path": "部门.rule", "version": version}, content=text.encode())
    assert response.status_code == 200, response.text
    written = (folder / "部门.rule").read_bytes().decode("utf-8")  # as it is, \r and all
    assert len(written) > serve_app.MAX_CHARS and written.count("\r\n") == text.count("\n")
    assert not [d for d in pingfen.diagnose(written, "部门.rule") if d.code == "PF008"]
    response = client.get("/api/file", params={"path": "部门.rule"})
    assert response.status_code == 200, response.text
    assert response.json()["crlf"] is True and response.json()["text"] == written


def test_a_file_too_long_to_load_is_refused_not_opened_cut(client: TestClient, folder: Path) -> None:
    """It was opened cut at the reader's limit, and saving it cut the file's tail off."""
    (folder / "长.rule").write_text(RULE + "# " + "长" * 1_000_000 + "\n", encoding="utf-8")
    response = client.get("/api/file", params={"path": "长.rule"})
    assert response.status_code == 422 and response.json()["code"] == "PF008"
    assert len((folder / "长.rule").read_text(encoding="utf-8")) > 1_000_000


def test_a_save_over_a_file_changed_since_it_was_opened_is_refused(client: TestClient, folder: Path) -> None:
    opened = client.get("/api/file", params={"path": "部门.rule"}).json()
    (folder / "部门.rule").write_text(RULE + "# 同事的修改\n", encoding="utf-8")  # another tab, a colleague
    response = client.put("/api/file", params={"path": "部门.rule", "version": opened["version"]}, content=b"# mine\n")
    assert response.status_code == 409 and response.json()["code"] == "PF858"
    assert "重新载入" in response.json()["message"]
    assert (folder / "部门.rule").read_text(encoding="utf-8").endswith("# 同事的修改\n")  # nothing lost
    fresh = client.get("/api/file", params={"path": "部门.rule"}).json()
    saved = client.put("/api/file", params={"path": "部门.rule", "version": fresh["version"]}, content=b"# mine\n")
    assert saved.status_code == 200
    again = client.put("/api/file", params={"path": "部门.rule", "version": saved.json()["version"]}, content=b"# again\n")
    assert again.status_code == 200 and (folder / "部门.rule").read_text(encoding="utf-8") == "# again\n"


def test_two_saves_from_one_version_keep_the_first(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two tabs saving at once from the version they opened: both passed the version check
    before either wrote, and the second save overwrote the first."""
    slow = threading.Event()

    def write_slowly(self: Folder, temporary: str, name: str) -> None:  # the first save still writing when the second checks
        slow.set()
        time.sleep(0.3)
        written(self, temporary, name)

    written = Folder.saved_in  # the last step of a save's write, before its rename
    monkeypatch.setattr(Folder, "saved_in", write_slowly)
    with TestClient(make_app(folder, TOKEN), headers={"X-Pingfen-Token": TOKEN}) as client:
        version = client.get("/api/file", params={"path": "部门.rule"}).json()["version"]
        answers: dict[str, int] = {}

        def save(text: str) -> None:
            answers[text] = client.put("/api/file", params={"path": "部门.rule", "version": version},
                                       content=text.encode()).status_code  # fmt: skip

        first = threading.Thread(target=save, args=("# 甲\n",))
        first.start()
        assert slow.wait(10)
        second = threading.Thread(target=save, args=("# 乙\n",))
        second.start()
        first.join(10)
        second.join(10)
    assert answers == {"# 甲\n": 200, "# 乙\n": 409}
    assert (folder / "部门.rule").read_text(encoding="utf-8") == "# 甲\n"


def test_a_new_file_does_not_replace_one_made_meanwhile(client: TestClient, folder: Path) -> None:
    assert client.put("/api/file", params={"path": "新.rule", "version": ""}, content=b"# first\n").status_code == 200
    response = client.put("/api/file", params={"path": "新.rule", "version": ""}, content=b"# second\n")
    assert response.status_code == 409 and response.json()["code"] == "PF858"
    assert (folder / "新.rule").read_text(encoding="utf-8") == "# first\n"


def test_a_save_onto_a_named_pipe_is_refused_not_blocked(client: TestClient, folder: Path) -> None:
    os.mkfifo(folder / "管道.rule")
    response = client.put("/api/file", params={"path": "管道.rule"}, content=b"x")
    assert response.status_code == 400 and response.json()["code"] == "PF859"


def test_a_loop_of_links_and_a_name_too_long_are_no_internal_errors(client: TestClient, folder: Path) -> None:
    (folder / "loopA.rule").symlink_to(folder / "loopB.rule")
    (folder / "loopB.rule").symlink_to(folder / "loopA.rule")
    listing = client.get("/api/files")
    assert listing.status_code == 200 and "loopA.rule" not in listing.json()["rules"]
    for name in ("loopA.rule", "长" * 300 + ".rule"):
        assert client.get("/api/file", params={"path": name}).status_code == 404
        assert client.put("/api/file", params={"path": name}, content=b"x").status_code in (403, 404)
    response = client.post("/api/check", json={"text": 'extends "loopA.rule"\n', "name": "今年.rule"})
    assert response.status_code == 200 and response.json()["diagnostics"][0]["code"] == "PF120"


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"text": 5}', b'"text"'])
def test_a_body_that_is_not_the_expected_object_is_refused_not_read_as_empty(client: TestClient, body: bytes) -> None:
    """/api/format answered {"text": ""} for it, which the page would have put in the editor."""
    for path in ("/api/check", "/api/format", "/api/score"):
        response = client.post(path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400 and response.json()["code"] == "PF860", path


# ---------------------------------------------------------------- extends checked where the loader opens it

HALF_TYPED = '\nexample "x" { 1 2 3 }\n'  # an example half typed: the whole text does not parse


@pytest.mark.parametrize("base", ["../secret.rule", "/etc/passwd", ".hidden.rule", ".git/x.rule"])
def test_an_example_that_does_not_parse_does_not_let_an_extends_out(client: TestClient, folder: Path, base: str) -> None:
    """The check parsed the whole text, found no `extends` in text that does not parse, and let
    it through; the loader, which reads a rubric with its examples blanked, then read the file
    outside the folder and answered with its table and its inputs."""
    (folder.parent / "secret.rule").write_text('rubric "机密内容" { total 1 }\ninput 机密输入: count\n'
                                               'indicator 外部 1 { deduct 1 per 机密输入 }\n', encoding="utf-8")  # fmt: skip
    (folder / ".hidden.rule").write_text('rubric "机密内容" { total 1 }\n', encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.rule").write_text('rubric "机密内容" { total 1 }\n', encoding="utf-8")
    for path in ("/api/check", "/api/score", "/api/examples", "/api/template", "/api/fuzz", "/api/batch"):
        body = {"text": f'extends "{base}"{HALF_TYPED}', "name": "今年.rule", "file_name": "data.csv", "path": "data.csv"}
        response = client.post(path, json=body)
        # The examples and fuzz read the whole text, which does not parse (PF856): nothing extended is read.
        expected = ("PF856", 409) if path in ("/api/examples", "/api/fuzz") else ("PF850", 403)
        assert (response.json()["code"], response.status_code) == expected, (path, response.text)
        assert "机密" not in response.text and "root" not in response.text


def test_a_base_in_the_folder_with_an_example_that_does_not_parse_may_not_lead_out(client: TestClient, folder: Path) -> None:
    """The same, one file further: the base in the folder hid the file it extends, whose
    content the loader's PF120/PF001 diagnostics then quoted."""
    (folder.parent / "passwords.txt").write_text("db_password = hunter2\n", encoding="utf-8")
    (folder / "base.rule").write_text(f'extends "../passwords.txt"{HALF_TYPED}', encoding="utf-8")
    for path in ("/api/check", "/api/score", "/api/examples", "/api/fuzz"):
        response = client.post(path, json={"text": 'extends "base.rule"\n', "name": "今年.rule"})
        assert response.status_code == 403 and response.json()["code"] == "PF850", path
        assert "hunter2" not in response.text and "db_password" not in response.text


def test_the_loader_asks_the_resolver_before_it_opens_each_base(tmp_path: Path) -> None:
    """Library level: every base of a chain goes through the resolver, as written and beside
    the file that extends it, before anything of it is read; what it raises stops the load."""
    (tmp_path / "a.rule").write_text('extends "sub/b.rule"\nexample "x" { 1 2 3 }\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.rule").write_text(f'extends "../c.rule"{HALF_TYPED}', encoding="utf-8")
    (tmp_path / "c.rule").write_text(RULE, encoding="utf-8")
    asked: list[tuple[Path, str]] = []

    def resolver(where: Path, written: str) -> Path:
        asked.append((where, written))
        return where

    child = 'extends "a.rule"\n'
    assert pingfen.loads(child, str(tmp_path / "今年.rule"), tests=False, resolver=resolver).max == 10
    assert asked == [(tmp_path / "a.rule", "a.rule"), (tmp_path / "sub" / "b.rule", "sub/b.rule"),
                     (tmp_path / "sub" / "../c.rule", "../c.rule")]  # fmt: skip

    class Refused(Exception):
        pass

    def refuse(where: Path, written: str) -> Path:
        if written == "../c.rule":
            raise Refused(written)
        return where

    for load in (lambda: pingfen.diagnose(child, str(tmp_path / "今年.rule"), resolver=refuse),
                 lambda: pingfen.loads(child, str(tmp_path / "今年.rule"), resolver=refuse)):  # fmt: skip
        with pytest.raises(Refused):
            load()


def test_a_save_keeps_the_files_line_ends_and_bom(client: TestClient, folder: Path) -> None:
    """A Windows user's file (CRLF, a BOM from Notepad) came back LF without a BOM from a save:
    every line showed changed. The page sends LF lines (CodeMirror); the file keeps its own style,
    and the version answered is the one the next save must give."""
    windows = "\ufeff" + RULE.replace("\n", "\r\n")
    (folder / "部门.rule").write_bytes(windows.encode("utf-8"))
    opened = client.get("/api/file", params={"path": "部门.rule"}).json()
    assert (opened["crlf"], opened["bom"]) == (True, True)
    changed = RULE.replace("total 10", "total  10")
    saved = client.put("/api/file", params={"path": "部门.rule", "version": opened["version"]}, content=changed.encode())
    assert saved.status_code == 200
    assert (folder / "部门.rule").read_bytes() == ("\ufeff" + changed.replace("\n", "\r\n")).encode("utf-8")
    again = client.put("/api/file", params={"path": "部门.rule", "version": saved.json()["version"]}, content=b"# x\n")
    assert again.status_code == 200 and (folder / "部门.rule").read_bytes() == b"\xef\xbb\xbf# x\r\n"
    # Mixed line ends: the most common; a new file: LF, no BOM, unless the page asks for the
    # style of the file it is saved from (Save as).
    (folder / "混.rule").write_bytes(b"# a\r\n# b\n# c\n")
    assert client.put("/api/file", params={"path": "混.rule"}, content=b"# a\r\n# b\n").status_code == 200
    assert (folder / "混.rule").read_bytes() == b"# a\n# b\n"
    assert client.put("/api/file", params={"path": "新.rule", "version": ""}, content=b"# x\n").status_code == 200
    assert (folder / "新.rule").read_bytes() == b"# x\n"
    copy = client.put("/api/file", params={"path": "副本.rule", "version": "", "crlf": "1", "bom": "1"}, content=b"# x\n")
    assert copy.status_code == 200 and (folder / "副本.rule").read_bytes() == b"\xef\xbb\xbf# x\r\n"
    assert client.get("/api/file", params={"path": "副本.rule"}).json()["version"] == copy.json()["version"]


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf# a\r\n# b\r\n", b"# a\n# b\n", b"# a\r\n# b\n# c\n", b"\xef\xbb\xbf# a\n", b""])
def test_a_file_opened_is_read_once_for_its_text_and_its_style(
    client: TestClient, folder: Path, content: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a file read it twice: once for its text, once more for its line ends and BOM. One
    read now gives both, and the style is the one `style_of` gives the file."""
    path = folder / "部门.rule"
    path.write_bytes(content)
    opens: list[str] = []
    real_open, real_os_open = Path.open, os.open

    def counted(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == path.name:
            opens.append(str(self))
        return real_open(self, *args, **kwargs)

    def os_counted(name: Any, *args: Any, **kwargs: Any) -> Any:  # how the workbench opens it (Folder.open)
        if Path(name).name == path.name:
            opens.append(str(name))
        return real_os_open(name, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counted)
    monkeypatch.setattr(os, "open", os_counted)
    opened = client.get("/api/file", params={"path": "部门.rule"}).json()
    monkeypatch.undo()
    assert len(opens) == 1
    assert opened["text"] == read_rule(path)
    assert (opened["crlf"], opened["bom"]) == style_of(path)


# ---------------------------------------------------------------- hidden names, `..`, and swaps


@pytest.mark.parametrize("name", [".git/../部门.rule", ".env", "sub/.x.rule", "明.rule"])
def test_a_hidden_name_is_refused_as_hidden_not_as_outside(client: TestClient, folder: Path, name: str) -> None:
    """`.git/../部门.rule` (and a link to a hidden file) was refused PF850 "outside the folder the
    workbench serves", which it is not: still refused, PF850, but its message says it is hidden."""
    (folder / ".env").write_text("SECRET=1", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / "sub").mkdir()
    (folder / "明.rule").symlink_to(folder / ".env")
    said = {"zh": f"`{name}` 指向隐藏文件或隐藏文件夹（名称以 `.` 开头）：工作台不打开此类文件",
            "en": f"`{name}` names a hidden file or folder (a name starting with `.`): the workbench opens none"}  # fmt: skip
    for lang in ("zh", "en"):
        response = client.get("/api/file", params={"path": name, "lang": lang})
        assert response.status_code == 403 and response.json() == {"code": "PF850", "message": said[lang]}
        response = client.put("/api/file", params={"path": name, "lang": lang}, content=b"# x\n")
        assert response.status_code == 403 and response.json() == {"code": "PF850", "message": said[lang]}
    response = client.get("/api/file", params={"path": "../secret.rule", "lang": "en"})  # outside: said so still
    assert response.json()["message"] == "`../secret.rule` is outside the folder the workbench serves"


def test_a_second_wording_is_chosen_by_no_value_any_message_names() -> None:
    """A first attempt chose PF850's second wording by a `form` value: PF802 and PF807 name
    `{form}` in their own text, and every `pingfen sql` refusal became a KeyError. The wording
    is `message`'s own argument; no template names it, and each has the same values in both
    languages as the message it stands for."""
    import re
    import string

    from pingfen.messages import HINTS, MESSAGES, WORDINGS, message

    def names(template: str) -> set[str]:
        return {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f}

    used = {n for table in (MESSAGES, HINTS, WORDINGS) for pair in table.values() for t in pair for n in names(t)}
    assert "wording" not in used and "form" in used  # `form` is a value PF802 names: never a selector
    for (code, _), (en, zh) in WORDINGS.items():
        assert names(en) == names(zh) == names(MESSAGES[code][0])
    pf802 = message("PF802", "en", {"form": "x", **{n: "v" for n in names(MESSAGES["PF802"][0]) - {"form"}}})
    assert re.search(r"\bx\b", pf802)


@pytest.mark.parametrize(("name", "missing"), [("nosuch/../部门.rule", "nosuch"), ("部门.rule/../部门.rule", "部门.rule"),
                                               ("sub/nosuch/../../部门.rule", "sub/nosuch")])  # fmt: skip
def test_a_folder_before_dotdot_must_be_there_and_a_folder(client: TestClient, folder: Path, name: str, missing: str) -> None:
    """`nosuch/../部门.rule` and `部门.rule/../部门.rule` were read as `部门.rule` by their spelling
    (pathlib's resolve), where the system answers ENOENT and ENOTDIR, and a PUT wrote through
    them. Now PF851 names the folder that is not there, as a folder (it said "no file `nosuch`");
    nothing is read or written."""
    (folder / "sub").mkdir()
    before = (folder / "部门.rule").read_bytes()
    for lang, said in (("zh", f"文件夹中没有子文件夹 `{missing}`"), ("en", f"there is no folder `{missing}` in the folder")):
        response = client.get("/api/file", params={"path": name, "lang": lang})
        assert response.status_code == 404 and response.json() == {"code": "PF851", "message": said}
        response = client.put("/api/file", params={"path": name, "lang": lang}, content=b"# changed\n")
        assert response.status_code == 404 and response.json() == {"code": "PF851", "message": said}
    assert (folder / "部门.rule").read_bytes() == before
    assert not (folder / "nosuch").exists()


@pytest.mark.parametrize("name", ["部门.rule/", "部门.rule/.", "部门.rule\\", "部门.rule/./", "sub/部门.rule/."])
def test_a_file_named_as_a_folder_is_not_that_file(client: TestClient, folder: Path, name: str) -> None:
    """`部门.rule/.` was read, and a PUT written, as `部门.rule` (pathlib drops a trailing `/` and
    `.`), where the system opens no file of that name (ENOTDIR). Now PF851: no such folder."""
    (folder / "sub").mkdir()
    (folder / "sub" / "部门.rule").write_text(RULE, encoding="utf-8")
    before = (folder / "部门.rule").read_bytes()
    shown = name.replace("\\", "/").rstrip("/").removesuffix("/.").rstrip("/")
    for lang, said in (("zh", f"文件夹中没有子文件夹 `{shown}`"), ("en", f"there is no folder `{shown}` in the folder")):
        response = client.get("/api/file", params={"path": name, "lang": lang})
        assert response.status_code == 404 and response.json() == {"code": "PF851", "message": said}, response.json()
        response = client.put("/api/file", params={"path": name, "lang": lang}, content=b"# changed\n")
        assert response.status_code == 404 and response.json() == {"code": "PF851", "message": said}
    assert (folder / "部门.rule").read_bytes() == before and (folder / "sub" / "部门.rule").read_text(encoding="utf-8") == RULE
    # a folder so named is no file either, as before
    response = client.get("/api/file", params={"path": "sub/", "lang": "en"})
    assert response.status_code == 404 and response.json() == {"code": "PF851", "message": "there is no file `sub` in the folder"}


def test_a_new_file_in_a_folder_not_made_yet_is_still_checked(client: TestClient, folder: Path) -> None:
    """Only a name with `..` needs its folders: the page checks and scores text whose file is to
    be `新目录/x.rule`, a folder not made yet, and answers with the name as asked."""
    assert post(client, "/api/check", name="新目录/x.rule")["diagnostics"] == []
    (folder / "real.rule").write_text(RULE, encoding="utf-8")
    (folder / "link.rule").symlink_to(folder / "real.rule")
    response = client.get("/api/file", params={"path": "link.rule"})
    assert response.status_code == 200 and response.json()["path"] == "link.rule"  # the name asked, not the target's
    assert client.put("/api/file", params={"path": "link.rule"}, content=RULE.encode()).json()["path"] == "link.rule"


def _swap_after(monkeypatch: pytest.MonkeyPatch, swap: Callable[[], None]) -> None:
    """Run `swap` right after the workbench checks a name (Folder.checked), before it opens or
    writes the file: a writer in the served folder racing the workbench could do this between
    the two, but no test can make a real race happen at that moment, so the check is wrapped."""
    checked = Folder.checked

    def racing(self: Folder, name: str, *, exists: bool = True) -> tuple[Path, os.stat_result | None]:
        found = checked(self, name, exists=exists)
        swap()
        return found

    monkeypatch.setattr(Folder, "checked", racing)


def _folder_for_a_link_out(folder: Path) -> Callable[[], None]:
    """`sub` (holding 表.rule) and, outside, `outside` (holding its own 表.rule): the swap moves
    `sub` away and puts a link to `outside` in its place."""
    (folder / "sub").mkdir()
    (folder / "sub" / "表.rule").write_text(RULE, encoding="utf-8")
    outside = folder.parent / "outside"
    outside.mkdir()
    (outside / "表.rule").write_text("机密内容", encoding="utf-8")

    def swap() -> None:
        if (folder / "sub").is_symlink():  # swapped already: once is the race
            return
        (folder / "sub").rename(folder.parent / "moved")
        (folder / "sub").symlink_to(outside, target_is_directory=True)

    return swap


def test_a_folder_swapped_for_a_link_out_after_the_check_is_not_read(client: TestClient, folder: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The file was checked, then opened by its name: a folder of the path swapped for a link out
    in between had the workbench read the file outside. Now the file opened is compared with the
    one checked (device and inode): PF850, nothing of it shown."""
    _swap_after(monkeypatch, _folder_for_a_link_out(folder))
    response = client.get("/api/file", params={"path": "sub/表.rule", "lang": "en"})
    assert response.status_code == 403 and response.json()["code"] == "PF850"
    assert "机密内容" not in response.text


def test_a_folder_swapped_for_a_link_out_after_the_check_is_not_written(client: TestClient, folder: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """A save was checked, then written by its name: through a folder swapped for a link out in
    between it replaced the file outside. Now the folder its temporary file is in is checked
    again right before the rename: PF850, the file outside as it was, no temporary file left."""
    _swap_after(monkeypatch, _folder_for_a_link_out(folder))
    response = client.put("/api/file", params={"path": "sub/表.rule", "lang": "en"}, content=b"# changed\n")
    assert response.status_code == 403 and response.json()["code"] == "PF850"
    outside = folder.parent / "outside"
    assert (outside / "表.rule").read_text(encoding="utf-8") == "机密内容"
    assert sorted(p.name for p in outside.iterdir()) == ["表.rule"]


@pytest.mark.parametrize(("written", "reason"), [("nosuch/../部门.rule", "不存在"), ("部门.rule/../部门.rule", "不是目录")])
def test_an_extends_through_a_folder_not_there_is_pf120_as_in_the_cli(client: TestClient, folder: Path, written: str, reason: str) -> None:
    """`extends "nosuch/../a.rule"` loaded a.rule in the workbench (its resolve read the
    spelling), where `pingfen check` of the same file says PF120: the system opens no such path.
    Now the workbench says the CLI's PF120, in its words, and reads nothing of the base."""
    from pingfen.loader import diagnose

    text = f'extends "{written}"\n'
    (folder / "今年.rule").write_text(text, encoding="utf-8")
    [cli] = diagnose(text, str(folder / "今年.rule"))
    assert cli.code == "PF120" and reason in cli.render("zh")
    for lang in ("zh", "en"):
        answer = client.post("/api/check", json={"text": text, "name": "今年.rule", "lang": lang})
        assert answer.status_code == 200, answer.text
        [refused] = answer.json()["diagnostics"]
        assert refused["code"] == "PF120" and refused["message"] == cli.message(lang), refused
        assert "差错" not in answer.text  # nothing of 部门.rule was read


def test_a_folder_outside_before_dotdot_is_not_asked_whether_it_is_there(client: TestClient, folder: Path) -> None:
    """`../nope/../served/部门.rule` was PF851 naming `../nope`, `../probe/../served/部门.rule`
    the file, when `probe` was there: an answer that told whether a folder outside exists.
    Both are now PF850 (outside), by name and by an `extends`, nothing outside asked."""
    (folder.parent / "probe").mkdir()
    answers = []
    for outside in ("nope", "probe"):
        name = f"../{outside}/../served/部门.rule"
        response = client.get("/api/file", params={"path": name, "lang": "en"})
        assert response.status_code == 403, response.text
        answers.append(response.json()["message"].replace(outside, "…"))
        assert response.json() == {"code": "PF850", "message": f"`{name}` is outside the folder the workbench serves"}
        checked = client.post("/api/check", json={"text": f'extends "{name}"\n', "name": "今年.rule"})
        assert checked.status_code == 403 and checked.json()["code"] == "PF850"
    assert answers[0] == answers[1]


def test_a_hidden_name_outside_is_said_to_be_outside(client: TestClient, folder: Path) -> None:
    """`../.env` was worded hidden, as if it were in the folder: it leads out, and that is said first."""
    (folder.parent / ".env").write_text("SECRET=1", encoding="utf-8")
    for name in ("../.env", "sub/../../.env"):
        response = client.get("/api/file", params={"path": name, "lang": "en"})
        assert response.status_code == 403
        assert response.json() == {"code": "PF850", "message": f"`{name}` is outside the folder the workbench serves"}


def test_a_folder_swapped_between_the_resolve_and_the_stat_is_not_read(client: TestClient, folder: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The device and inode the file opened was compared with were taken by name after the
    resolve: `sub` swapped for a link out between the two had both the stat and the open find
    the file outside, alike, and the workbench showed it. Now the name is checked again after
    the open (where it leads, and what is there): PF850, nothing of it shown."""
    from pingfen.serve import folder as served

    swap, stat_ = _folder_for_a_link_out(folder), served._stat

    def racing(path: Path) -> os.stat_result | None:
        if path.name == "表.rule":  # the file's stat, right after its path was resolved inside
            swap()
        return stat_(path)

    monkeypatch.setattr(served, "_stat", racing)
    response = client.get("/api/file", params={"path": "sub/表.rule", "lang": "en"})
    assert response.status_code == 403 and response.json()["code"] == "PF850"
    assert "机密内容" not in response.text


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="the system keeps no name of an open file (/proc)")
def test_a_file_opened_outside_is_refused_by_the_name_the_system_keeps(client: TestClient, folder: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Two swaps beat the check after the open: `sub` a link out for the open, back in place
    for the name's resolve, a link out again for its stat. On Linux the system's own name of the
    file opened (/proc/self/fd) is asked too, and it lies outside: PF850, nothing of it shown."""
    from pingfen.serve import folder as served

    (folder / "sub").mkdir()
    (folder / "sub" / "表.rule").write_text(RULE, encoding="utf-8")
    outside = folder.parent / "outside"
    outside.mkdir()
    (outside / "表.rule").write_text("机密内容", encoding="utf-8")

    def link_out() -> None:
        (folder / "sub").rename(folder.parent / "moved")
        (folder / "sub").symlink_to(outside, target_is_directory=True)

    def back() -> None:
        (folder / "sub").unlink()
        (folder.parent / "moved").rename(folder / "sub")

    stat_, fstat = served._stat, os.fstat
    stats: list[Path] = []

    def racing_stat(path: Path) -> os.stat_result | None:
        if path.name == "表.rule":
            stats.append(path)
            if not (folder / "sub").is_symlink():  # before the open, and again before the second stat
                link_out()
        return stat_(path)

    def racing_fstat(fd: int) -> os.stat_result:
        if (folder / "sub").is_symlink():  # after the open: back in place for the second resolve
            back()
        return fstat(fd)

    monkeypatch.setattr(served, "_stat", racing_stat)
    monkeypatch.setattr(os, "fstat", racing_fstat)
    response = client.get("/api/file", params={"path": "sub/表.rule", "lang": "en"})
    monkeypatch.undo()
    assert len(stats) == 2  # both stats found the file outside, alike: the system's name of it refused it
    assert response.status_code == 403 and response.json()["code"] == "PF850"
    assert "机密内容" not in response.text

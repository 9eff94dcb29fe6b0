"""`pingfen serve`'s options refused in words, before anything starts: `--port 99999` and
`--port -1` were an internal error (the socket's OverflowError); `--host nonexistent.invalid`
printed the resolver's English "Name or service not known" alone, in Chinese mode too."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import pytest

from pingfen.cli import main


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, err.getvalue()


@pytest.mark.parametrize("port", ["99999", "-1", "65536", "abc", "1.5"])
def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path, port: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["serve", "--no-browser", f"--port={port}", str(tmp_path)])
    err += capsys.readouterr().err  # argparse's usage errors go to the process's standard error
    assert code == 2 and "参数 --port：端口须为 1 到 65535 之间的整数（0 表示任选一个空闲端口）：" in err and repr(port) in err
    assert "internal error" not in err and "内部错误" not in err
    code, err = _run(["serve", "--lang", "en", "--no-browser", f"--port={port}", str(tmp_path)])
    err += capsys.readouterr().err
    assert code == 2 and "argument --port: a port is a whole number from 1 to 65535 (0: a free one): " in err


def test_a_host_that_does_not_resolve_is_worded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("uvicorn")
    pytest.importorskip("starlette")

    def unknown(host: str, *args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    code, err = _run(["serve", "--no-browser", "--host", "nonexistent.invalid", "--allow-remote", str(tmp_path)])
    assert code == 2
    assert err.startswith("pingfen serve: --host nonexistent.invalid：找不到该地址，主机名无法解析（Name or service not known）")
    code, err = _run(["serve", "--lang", "en", "--no-browser", "--host", "nonexistent.invalid", str(tmp_path)])
    assert code == 2 and "--host nonexistent.invalid: no such address: the name does not resolve" in err


def test_a_port_in_use_or_an_address_not_of_this_machine_is_worded(tmp_path: Path) -> None:
    """Binding failed with the system's English alone ("pingfen：Address already in use"), in
    Chinese mode too."""
    pytest.importorskip("uvicorn")
    pytest.importorskip("starlette")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        code, err = _run(["serve", "--no-browser", "--port", port, str(tmp_path)])
        assert code == 2 and f"127.0.0.1 的端口 {port} 已被占用" in err and "Address already in use" not in err, err
        code, err = _run(["serve", "--lang", "en", "--no-browser", "--port", port, str(tmp_path)])
        assert code == 2 and f"port {port} of 127.0.0.1 is already in use" in err, err
    # 192.0.2.1 (TEST-NET-1, RFC 5737) is no address of this machine
    code, err = _run(["serve", "--no-browser", "--host", "192.0.2.1", "--allow-remote", str(tmp_path)])
    assert code == 2 and "--host 192.0.2.1 不是本机的地址" in err and "Cannot assign" not in err, err

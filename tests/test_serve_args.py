"""`pingfen serve`'s options refused in words, before anything starts: `--port 99999` and
`--port -1` were an internal error (the socket's OverflowError); `--host nonexistent.invalid`
printed the resolver's English "Name or service not known" alone, in Chinese mode too."""

from __future__ import annotations

import errno
import io
import socket
from pathlib import Path
from typing import Any

import pytest

import pingfen.serve
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


@pytest.mark.parametrize("failure", [errno.EACCES, errno.ENOBUFS], ids=["EACCES", "another"])
def test_a_port_not_allowed_or_another_failure_is_worded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: int) -> None:
    """A port below 1024 (EACCES) was refused with no advice; any other failure said 端口 0
    when no --port was given."""
    pytest.importorskip("uvicorn")
    pytest.importorskip("starlette")

    def refused(host: str, port: int) -> socket.socket:
        raise OSError(failure, "refused")

    monkeypatch.setattr(pingfen.serve, "bind", refused)
    code, err = _run(["serve", "--no-browser", "--port", "80", str(tmp_path)])
    if failure == errno.EACCES:
        assert code == 2 and "无法在 127.0.0.1 的端口 80 上监听：没有权限" in err and "请用不小于 1024 的端口，或不写 --port" in err, err
        code, err = _run(["serve", "--lang", "en", "--no-browser", "--port", "80", str(tmp_path)])
        assert code == 2 and "use a port ≥ 1024, or leave --port out" in err, err
    else:
        assert code == 2 and "无法在 127.0.0.1 的端口 80 上监听" in err, err
    code, err = _run(["serve", "--no-browser", str(tmp_path)])  # no --port: the system's pick, which has no number yet
    assert code == 2 and "无法在 127.0.0.1 上监听" in err and "端口" not in err, err
    code, err = _run(["serve", "--lang", "en", "--no-browser", str(tmp_path)])
    assert code == 2 and "cannot listen on 127.0.0.1: " in err and "port 0" not in err, err


@pytest.mark.parametrize("windows", [False, True], ids=["POSIX", "Windows"])
def test_a_port_in_use_is_not_shared_where_reuse_would_share_it(monkeypatch: pytest.MonkeyPatch, windows: bool) -> None:
    """On Windows SO_REUSEADDR lets a second socket bind a port in use: there, where
    SO_EXCLUSIVEADDRUSE exists, it is asked for instead (POSIX keeps SO_REUSEADDR, which does not share)."""
    exclusive = ~socket.SO_REUSEADDR  # its value on Windows; here a stand-in the socket below does not pass on
    if windows:
        monkeypatch.setattr(socket, "SO_EXCLUSIVEADDRUSE", exclusive, raising=False)
    else:
        monkeypatch.delattr(socket, "SO_EXCLUSIVEADDRUSE", raising=False)
    asked: list[int] = []

    class Recording(socket.socket):
        def setsockopt(self, level: int, option: int, value: Any, *more: Any) -> None:
            asked.append(option)
            if option != exclusive:
                super().setsockopt(level, option, value, *more)

    monkeypatch.setattr(socket, "socket", Recording)
    with pingfen.serve.bind("127.0.0.1", 0) as sock:
        assert sock.getsockname()[1] > 0
    assert asked == ([exclusive] if windows else [socket.SO_REUSEADDR])

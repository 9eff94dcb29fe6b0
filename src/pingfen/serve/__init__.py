"""`pingfen serve`: the workbench, a local web page over the rule and data files of one folder.

`folder` resolves names inside the folder (nothing outside it is read or written), `work`
runs the library for each button, `app` is the Starlette application with its token guard,
and `static/` holds the page, its script, the .rule mode and CodeMirror 5 (MIT, from npm).
This module starts uvicorn on a free port of 127.0.0.1 and prints the address.
"""

from __future__ import annotations

import errno
import ipaddress
import secrets
import socket
import threading
import webbrowser
from pathlib import Path
from typing import TextIO

from pingfen.errors import UsageError
from pingfen.lang import Lang
from pingfen.messages import message
from pingfen.oserrors import reason

LOOPBACK = "127.0.0.1"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one the system picks)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    exclusive = getattr(socket, "SO_EXCLUSIVEADDRUSE", None)
    if exclusive is not None:  # Windows, where SO_REUSEADDR lets a second server bind a port in use
        sock.setsockopt(socket.SOL_SOCKET, exclusive, 1)
    else:  # POSIX: a port left in TIME_WAIT by a server just stopped is taken again, one in use is not
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(64)
    return sock


def _not_bound(error: OSError, host: str, port: int) -> UsageError:
    """Why the workbench cannot listen on host:port, in both languages: the system's English
    ("Address already in use") was all a Chinese user was told."""
    if error.errno == errno.EADDRINUSE:
        return UsageError(f"port {port} of {host} is already in use (another workbench?): choose another with --port, "
                          "or leave --port out for a free one",
                          f"{host} 的端口 {port} 已被占用（也许另一个工作台正在运行）：请用 --port 换一个端口，或不写 --port 由系统任选空闲端口")  # fmt: skip
    if error.errno == errno.EADDRNOTAVAIL:
        return UsageError(f"--host {host} is not an address of this machine: give one of its own, such as 127.0.0.1",
                          f"--host {host} 不是本机的地址：请写本机的地址，如 127.0.0.1")  # fmt: skip
    if error.errno == errno.EACCES and 0 < port < 1024:  # a port below 1024 is the administrator's
        return UsageError(f"cannot listen on port {port} of {host}: {reason(error, 'en')}: use a port ≥ 1024, "
                          "or leave --port out for a free one",
                          f"无法在 {host} 的端口 {port} 上监听：{reason(error, 'zh')}（1024 以下的端口须有管理员权限）："
                          "请用不小于 1024 的端口，或不写 --port 由系统任选空闲端口")  # fmt: skip
    place, place_zh = (f"port {port} of {host}", f"{host} 的端口 {port}") if port else (host, host)  # no --port: no "port 0"
    return UsageError(f"cannot listen on {place}: {reason(error, 'en')}",
                      f"无法在 {place_zh} 上监听：{reason(error, 'zh')}")  # fmt: skip


def serve(
    folder: str | Path, *, host: str = LOOPBACK, port: int = 0, allow_remote: bool = False,
    open_browser: bool = True, lang: Lang = "zh", out: TextIO, err: TextIO,
) -> None:  # fmt: skip
    """Serve the workbench over `folder` until stopped (Ctrl-C). A host other than the
    loopback is refused unless `allow_remote`, and then warned about (PF855)."""
    import uvicorn

    from pingfen.serve.app import make_app

    root = Path(folder)
    if not root.is_dir():
        raise UsageError(f"{folder} is not a folder", f"{folder} 不是文件夹")
    local = is_loopback(host)
    if not local and not allow_remote:
        raise UsageError(
            f"--host {host} would let other machines reach the workbench: add --allow-remote if that is meant",
            f"--host {host} 会让其他计算机访问工作台：如确需如此，请加 --allow-remote",
        )
    if not local:
        print(("警告[PF855]：" if lang == "zh" else "warning[PF855]: ") + message("PF855", lang, {"host": host}), file=err)
    try:
        sock = bind(host, port)
    except OSError as error:
        raise _not_bound(error, host, port) from None
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    token = secrets.token_urlsafe(24)
    hosts = frozenset({f"{shown}:{bound}", f"localhost:{bound}"}) if local else None
    url = f"http://{shown}:{bound}/?token={token}"

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            # The address once the server answers (and Ctrl-C is the server's to handle).
            print(("工作台：" if lang == "zh" else "workbench: ") + url, file=out, flush=True)
            print("按 Ctrl-C 停止" if lang == "zh" else "press Ctrl-C to stop", file=out, flush=True)
            if open_browser:
                threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    config = uvicorn.Config(make_app(root, token, lang=lang, hosts=hosts), log_level="warning", lifespan="off")
    Server(config).run(sockets=[sock])

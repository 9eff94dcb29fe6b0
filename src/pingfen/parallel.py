"""Worker processes: forked copies of this one, each sending frames back on a pipe of its own.

The pipes go one way, worker to parent, so a worker can neither block nor confuse the parent
by reading. A frame is a length (4 bytes, big-endian) and that many bytes; the parent reads at
most MAX_FRAME of one. A worker that dies, ends early, or sends a frame too large to take is
stopped, and `receive` says None: the caller does that worker's part itself. A worker never
returns into the caller's code: it ends with `os._exit`, so no atexit handler runs and no buffer
of the parent's (standard output, an output file) is flushed twice.

The parent tells each worker one number, through a word of shared memory it alone writes:
the last piece of work it `claim`ed from that worker, because the worker was late (a busy
machine); the worker asks `claimed()` and skips such pieces.
"""

from __future__ import annotations

import functools
import mmap
import os
import select
import signal
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

MAX_FRAME = 32 << 20  # bytes in one frame; a batch sends a few hundred rows' text in each
_HEAD = struct.Struct(">I")
_CLAIMED = struct.Struct("q")  # one aligned 64-bit word: written whole
_PIPE_BYTES = 1 << 20  # Linux's default ceiling for a pipe: a worker runs further ahead before it waits

Send = Callable[[bytes], None]
Work = Callable[[int, Send, Callable[[], int]], None]  # (worker, send, claimed)

# For tests only: in a worker, called with (frames sent so far, the frame) before each frame is
# sent; what it returns is sent (a test makes a worker die, or send a malformed frame).
before_send: Callable[[int, bytes], bytes] | None = None


class Workers:
    """The forked workers, by index: their pids, and their pipes while they are listened to."""

    def __init__(self) -> None:
        self.pids: list[int] = []
        self._pipes: list[int | None] = []  # the read ends' descriptors
        self._claimed: mmap.mmap | None = None  # a word a worker, shared with the workers

    def claim(self, worker: int, piece: int) -> None:
        """Say that this process does worker `worker`'s pieces up to `piece` itself."""
        assert self._claimed is not None
        _CLAIMED.pack_into(self._claimed, worker * _CLAIMED.size, piece)

    def claimed(self, worker: int) -> int:
        """The last piece claimed from worker `worker` (-1: none)."""
        if self._claimed is None:
            return -1
        return int(_CLAIMED.unpack_from(self._claimed, worker * _CLAIMED.size)[0])

    def ready(self, worker: int, timeout: float) -> bool:
        """Whether worker `worker` has a frame to read (or has ended), waiting up to `timeout` s."""
        fd = self._pipes[worker]
        if fd is None:
            return True
        poller = select.poll()  # not select(): it fails on a descriptor numbered 1024 or more
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(max(0, round(timeout * 1000))))

    def receive(self, worker: int) -> bytes | None:
        """Worker `worker`'s next frame; None when it has died, ended, or sent a frame over
        MAX_FRAME: it is then stopped, and says None from then on."""
        fd = self._pipes[worker]
        if fd is None:
            return None
        with suppress(OSError):
            head = _read(fd, _HEAD.size)
            if len(head) == _HEAD.size:
                (size,) = _HEAD.unpack(head)
                if size <= MAX_FRAME:
                    body = _read(fd, size)
                    if len(body) == size:
                        return body
        self.stop(worker)
        return None

    def stop(self, worker: int) -> None:
        """Kill a worker and reap it (no zombie), and close its pipe."""
        fd, self._pipes[worker] = self._pipes[worker], None
        pid = self.pids[worker]
        if pid:
            self.pids[worker] = 0
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with suppress(ChildProcessError):
                os.waitpid(pid, 0)
        if fd is not None:
            with suppress(OSError):
                os.close(fd)

    def close(self) -> None:
        """Stop every worker: done, or not (the parent stopped early). A Ctrl-C meanwhile (the
        user's second) is held until every worker is stopped and reaped, then raised."""
        with _signals_held():
            for worker in range(len(self.pids)):
                self.stop(worker)
        if self._claimed is not None:
            self._claimed.close()
            self._claimed = None


# Where Linux shows control groups: the mounts, and the groups this process is in.
CGROUPS = Path("/sys/fs/cgroup")
OWN_CGROUPS = Path("/proc/self/cgroup")


def cpu_quota(root: Path | None = None, own: Path | None = None) -> int | None:
    """The whole CPUs a control group's quota lets this process use (a container's `--cpus`:
    1.5 gives 1, at least 1), the least of its group's and every enclosing group's; None where
    no quota is set or none can be read (not Linux). A quota is time, not cores: two processes
    on one CPU's worth of time only take turns."""
    root, own = root or CGROUPS, own or OWN_CGROUPS
    try:
        with own.open("rb") as handle:  # a few lines: read no more than a page's worth of them
            lines = handle.read(65536).decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    found: list[int] = []
    for line in lines:  # `id:controllers:path`; cgroup v2 is `0::path`
        parts = line.split(":", 2)
        if len(parts) != 3 or not parts[2].startswith("/"):
            continue
        controllers, path = parts[1].split(","), parts[2]
        if parts[1] == "":
            found += _quotas(root, "", path, _v2_quota)
        elif "cpu" in controllers:
            found += _quotas(root, parts[1], path, _v1_quota)
    return max(1, min(found)) if found else None


def _quotas(root: Path, mount: str, path: str, read: Callable[[Path], int | None]) -> list[int]:
    """The quotas of a group and of each group enclosing it, under the mount of its controllers.
    Inside a container the mount is the container's own group, whatever the path says."""
    base = root / mount if mount else root
    if not base.is_dir() and mount:  # `cpu,cpuacct` may be mounted as `cpu` alone
        base = root / mount.split(",")[0]
    groups = [base.joinpath(*path.strip("/").split("/")) if path.strip("/") else base]
    groups += list(groups[0].parents)
    return [quota for group in groups if group.is_relative_to(base) and (quota := read(group)) is not None]


def _head(path: Path) -> bytes:
    """A control file's first bytes: one number or two."""
    with path.open("rb") as handle:
        return handle.read(256)


def _v2_quota(group: Path) -> int | None:
    """cgroup v2's `cpu.max`: `QUOTA PERIOD` in µs, or `max PERIOD` for none."""
    try:
        quota, period = _head(group / "cpu.max").split()[:2]
        return int(quota) // int(period) if quota != b"max" and int(period) > 0 else None
    except (OSError, ValueError):
        return None


def _v1_quota(group: Path) -> int | None:
    """cgroup v1's `cpu.cfs_quota_us` over `cpu.cfs_period_us`; a quota of -1 is none."""
    try:
        quota = int(_head(group / "cpu.cfs_quota_us"))
        period = int(_head(group / "cpu.cfs_period_us"))
        return quota // period if quota > 0 and period > 0 else None
    except (OSError, ValueError):
        return None


@contextmanager
def _signals_held() -> Iterator[Callable[[], None]]:
    """Hold SIGINT, SIGTERM and SIGHUP back for the block; it is given what lets them through
    again. A worker never leaves the block: it calls that itself, inside `_work`'s `try`, so
    that a signal which arrived in between cannot raise in the caller's code.

    The mask holds a signal back from this thread only. In a program with other threads (a
    notebook's kernel, a server) the kernel hands the signal to one of them, and Python runs
    its handler in the main thread all the same: so the main thread's handlers are swapped
    too, for one that notes the signal, and each noted signal is raised again after."""
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    noted: list[int] = []
    handlers: dict[signal.Signals, Callable[[int, FrameType | None], Any] | int | None] = {}
    if threading.current_thread() is threading.main_thread():
        for number in held:
            handler = signal.getsignal(number)
            if handler not in (signal.SIG_IGN, None):  # None: set outside Python; left as it is
                handlers[number] = handler
                signal.signal(number, lambda number, _frame: noted.append(number))
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held) if hasattr(signal, "pthread_sigmask") else None

    def let_through() -> None:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    try:
        yield let_through
    finally:
        let_through()
        for again in dict.fromkeys(noted):  # each once, as a blocked signal is delivered once
            signal.raise_signal(again)


def _read(fd: int, size: int) -> bytes:
    """`size` bytes from `fd`, fewer only at its end."""
    got = os.read(fd, size)
    while len(got) < size and (more := os.read(fd, size - len(got))):
        got += more
    return got


def fork_workers(count: int, work: Work) -> Workers:
    """Fork `count` workers; worker `i` runs `work(i, send, claimed)` and ends (0 when it
    returned, 1 when it raised). The caller must `close` the Workers, in a `finally`."""
    workers = Workers()
    workers._claimed = mmap.mmap(-1, _CLAIMED.size * max(count, 1))
    for index in range(count):
        workers.claim(index, -1)
    try:
        for index in range(count):
            read, write = os.pipe()
            workers.pids.append(0)  # none yet; `stop` closes the pipe whatever happens next
            workers._pipes.append(read)
            try:
                with suppress(AttributeError, OSError):  # Linux only; a smaller pipe only slows a worker
                    import fcntl

                    fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
                with _signals_held() as let_through:  # a Ctrl-C between the fork and noting its pid would lose the worker
                    pid = os.fork()
                    if pid == 0:  # the worker: it ends in `_work`, never returning here
                        _work(index, write, work, functools.partial(workers.claimed, index), let_through, workers._pipes)
                    workers.pids[index] = pid
            finally:
                os.close(write)  # the worker's to write
    except BaseException:
        workers.close()
        raise
    return workers


def _work(
    index: int, fd: int, work: Work, claimed: Callable[[], int], let_through: Callable[[], None],
    parents: list[int | None],
) -> NoReturn:  # fmt: skip
    """A worker's life, from the fork to `os._exit`: whatever happens, even a signal the moment
    it is let through, it never returns into the caller's code."""
    code = 1
    try:
        for read in parents:  # its own pipe's read end and the earlier workers' are the parent's
            if read is not None:
                os.close(read)
        let_through()  # the caller's handlers and mask: a Ctrl-C now ends this worker
        sent = 0

        def send(frame: bytes) -> None:
            nonlocal sent
            if before_send is not None:
                frame = before_send(sent, frame)
            data = memoryview(_HEAD.pack(len(frame)) + frame)
            while data:  # a pipe may take part of a write
                data = data[os.write(fd, data) :]
            sent += 1

        work(index, send, claimed)
        os.close(fd)
        code = 0
    except BaseException:  # noqa: S110 - whatever it was, the parent does this worker's part itself
        pass
    finally:
        os._exit(code)

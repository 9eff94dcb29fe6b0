"""Worker processes: forked copies of this one, each sending frames back on a pipe of its own.

The pipes go one way, worker to parent, so a worker can neither block nor confuse the parent
by reading. A frame is a length (4 bytes, big-endian) and that many bytes; the parent reads at
most MAX_FRAME of one. A worker that dies, ends early, or sends a frame too large to take is
stopped, and `receive` says None: the caller does that worker's part itself. A worker never
returns into the caller's code: it ends with `os._exit`, so no atexit handler runs and no buffer
of the parent's (standard output, an output file) is flushed twice.
"""

from __future__ import annotations

import os
import signal
import struct
from collections.abc import Callable
from contextlib import suppress
from typing import BinaryIO, NoReturn

MAX_FRAME = 32 << 20  # bytes in one frame; a batch sends a few hundred rows' text in each
_HEAD = struct.Struct(">I")
_PIPE_BYTES = 1 << 20  # Linux's default ceiling for a pipe: a worker runs further ahead before it waits

Send = Callable[[bytes], None]

# For tests only: in a worker, called with (frames sent so far, the frame) before each frame is
# sent; what it returns is sent (a test makes a worker die, or send a malformed frame).
before_send: Callable[[int, bytes], bytes] | None = None


class Workers:
    """The forked workers, by index: their pids, and their pipes while they are listened to."""

    def __init__(self) -> None:
        self.pids: list[int] = []
        self._pipes: list[BinaryIO | None] = []

    def receive(self, worker: int) -> bytes | None:
        """Worker `worker`'s next frame; None when it has died, ended, or sent a frame over
        MAX_FRAME: it is then stopped, and says None from then on."""
        pipe = self._pipes[worker]
        if pipe is None:
            return None
        with suppress(OSError):
            head = pipe.read(_HEAD.size)
            if len(head) == _HEAD.size:
                (size,) = _HEAD.unpack(head)
                if size <= MAX_FRAME:
                    body = pipe.read(size)
                    if len(body) == size:
                        return body
        self.stop(worker)
        return None

    def stop(self, worker: int) -> None:
        """Kill a worker and reap it (no zombie), and close its pipe."""
        pipe, self._pipes[worker] = self._pipes[worker], None
        pid = self.pids[worker]
        if pid:
            self.pids[worker] = 0
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with suppress(ChildProcessError):
                os.waitpid(pid, 0)
        if pipe is not None:
            with suppress(OSError):
                pipe.close()

    def close(self) -> None:
        """Stop every worker: done, or not (the parent stopped early)."""
        for worker in range(len(self.pids)):
            self.stop(worker)


def fork_workers(count: int, work: Callable[[int, Send], None]) -> Workers:
    """Fork `count` workers; worker `i` runs `work(i, send)` and ends (0 when it returned, 1
    when it raised). The caller must `close` the Workers, in a `finally`."""
    workers = Workers()
    try:
        for index in range(count):
            read, write = os.pipe()
            with suppress(AttributeError, OSError):  # Linux only; a smaller pipe only slows a worker
                import fcntl

                fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
            pid = os.fork()
            if pid == 0:  # the worker
                os.close(read)
                for pipe in workers._pipes:  # the earlier workers' pipes are the parent's to read
                    if pipe is not None:
                        os.close(pipe.fileno())
                _work(index, write, work)
            os.close(write)
            workers.pids.append(pid)
            workers._pipes.append(open(read, "rb"))  # noqa: PTH123, SIM115 - a pipe, closed by `stop`
    except BaseException:
        workers.close()
        raise
    return workers


def _work(index: int, fd: int, work: Callable[[int, Send], None]) -> NoReturn:
    code = 1
    try:
        pipe = open(fd, "wb")  # noqa: PTH123, SIM115 - the process ends with os._exit, which closes it
        sent = 0

        def send(frame: bytes) -> None:
            nonlocal sent
            if before_send is not None:
                frame = before_send(sent, frame)
            pipe.write(_HEAD.pack(len(frame)))
            pipe.write(frame)
            pipe.flush()
            sent += 1

        work(index, send)
        pipe.close()
        code = 0
    except BaseException:  # noqa: S110 - whatever it was, the parent does this worker's part itself
        pass
    finally:
        os._exit(code)

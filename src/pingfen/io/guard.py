"""The files a command reads, kept from being written over by its outputs.

A command names its own inputs before it reads anything (`write.refuse_inputs`); this also
keeps the files it comes to read on the way, such as the bases a rule file extends, which
`-o` could otherwise replace. Outside a command (the workbench saving the file it opened,
`pingfen fmt` rewriting one) nothing is kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path

from pingfen.errors import OutputError

# While a command runs: each file read, by device and inode, with the name it was read by.
_READ: ContextVar[dict[tuple[int, int], str] | None] = ContextVar("pingfen_inputs_read", default=None)


def note_input(path: str | Path) -> None:
    """Remember that the running command reads `path`, so that no output replaces it."""
    read = _READ.get()
    if read is not None:
        with suppress(OSError):
            found = os.stat(path)
            read.setdefault((found.st_dev, found.st_ino), str(path))


@contextmanager
def inputs_guarded() -> Iterator[None]:
    """Within the block, every file noted as read is kept from being written over."""
    token = _READ.set({})
    try:
        yield
    finally:
        _READ.reset(token)


def refuse_read(output: str) -> None:
    """Raise PF701 when `output` is a file the running command has read, by any name or link."""
    read = _READ.get()
    if not read:
        return
    given = None
    with suppress(OSError):  # an output that does not exist yet is no input
        found = os.stat(output)
        given = read.get((found.st_dev, found.st_ino))
    if given is not None:
        raise OutputError("PF701", output, {"input": given})

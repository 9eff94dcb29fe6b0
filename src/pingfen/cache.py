"""What pingfen keeps between runs, in the user's cache directory: `$XDG_CACHE_HOME/pingfen`,
by default `~/.cache/pingfen`. Nothing here is needed: when the directory cannot be made
or written, or an entry cannot be read, the work is simply done again.

- the parser's LALR tables (`syntax.parser`), named after the grammar's hash;
- each rule file's syntax tree, named after the file's path and holding the hash of the
  text, the grammar and pingfen's version, so that `pingfen eval` of an unchanged file
  neither imports nor runs the parser.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from pingfen.syntax.grammar import grammar_text

if TYPE_CHECKING:
    from pingfen import ast
    from pingfen.diagnostics import Diagnostic

_VERSION = "2"  # bump when the AST classes change shape


def directory() -> Path | None:
    """The cache directory, made if need be; None when it cannot be."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
        folder = root / "pingfen"
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home directory to speak of
        return None
    return folder


def digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:24]


def parsed(path: Path, text: str, kind: str = "") -> tuple[ast.Module | None, list[Diagnostic]]:
    """`syntax.parse(text)` for the rule file at path, from the cache when the same text was
    parsed before by the same grammar and pingfen; `kind` keeps apart the entries of
    different readings of one file (whole, or without its tests)."""
    from pingfen import __version__

    folder = directory()
    key = digest(text, grammar_text(), __version__, _VERSION)
    entry = folder / f"parsed-{digest(str(path.resolve()), kind)}.pickle" if folder is not None else None
    if entry is not None:
        try:
            with entry.open("rb") as handle:
                stored, module, diagnostics = pickle.load(handle)  # noqa: S301 - our own cache, like lark's
            if stored == key:
                return module, diagnostics
        except Exception:  # noqa: BLE001, S110 - missing, stale or unreadable: parse again
            pass
    from pingfen.syntax.parser import parse

    module, diagnostics = parse(text)
    if entry is not None and module is not None:
        _write(entry, pickle.dumps((key, module, diagnostics), protocol=pickle.HIGHEST_PROTOCOL))
    return module, diagnostics


def _write(entry: Path, data: bytes) -> None:
    """Write whole or not at all: a reader never sees half a file."""
    partial = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    try:
        partial.write_bytes(data)
        os.replace(partial, entry)
    except OSError:
        partial.unlink(missing_ok=True)

"""What pingfen keeps between runs, in the user's cache directory: `$XDG_CACHE_HOME/pingfen`,
by default `~/.cache/pingfen`. Nothing here is needed: when the directory cannot be made,
is not private, or an entry cannot be read or is not authentic, the work is simply done again.

- the parser's LALR tables (`syntax.parser`), named after the grammar's hash;
- each rule file's syntax tree, named after the file's path and holding the hash of the
  text, the grammar and pingfen's version, so that `pingfen eval` of an unchanged file
  neither imports nor runs the parser.

The cache never runs what it did not write. Entries are JSON (no pickle), and each carries
an HMAC-SHA256 made with a per-user secret (`key`, 0600); an entry whose HMAC does not
match is ignored. The directory is used only when it is the user's own and not writable by
others (made 0700); files are written 0600, and only regular files are read, within a
size bound, without following links or blocking on a FIFO.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from decimal import Decimal
from pathlib import Path

FORMAT = "3"  # bump when the AST classes or the entry format change shape
_MAGIC = b"pingfen-cache 3\n"
_LIMIT = 32 * 1024 * 1024  # bytes: no entry pingfen writes comes near this
_KEY_NAME = "key"
_KEY_SIZE = 32
_POSIX = hasattr(os, "geteuid")  # elsewhere (Windows) the user's profile directory is private already


def directory() -> Path | None:
    """The cache directory, made (0700) if need be; None when it cannot be or is not private."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
        folder = root / "pingfen"
        root.mkdir(parents=True, exist_ok=True)
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
    except (OSError, RuntimeError):  # RuntimeError: no home directory to speak of
        return None
    return folder if _private(folder) else None


def _private(folder: Path) -> bool:
    """The folder is a real directory of this user that no one else can write to. One that
    others can only read (as earlier versions made it) is closed to them on the way."""
    try:
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode):
            return False  # a symlink, or not a directory
        if not _POSIX:
            return True
        if info.st_uid != os.geteuid() or info.st_mode & 0o022:
            return False
        if info.st_mode & 0o077:
            os.chmod(folder, 0o700)
    except OSError:
        return False
    return True


def digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:24]


# ---------------------------------------------------------------- authenticated entries


def load(entry: Path) -> bytes | None:
    """The payload stored at entry, or None when it is missing, not a regular file of this
    user, too large, or its HMAC does not match the user's key."""
    secret = _key(entry.parent, create=False)
    data = _read(entry, _LIMIT + len(_MAGIC) + 32) if secret is not None else None
    if secret is None or data is None or not data.startswith(_MAGIC):
        return None
    mac, payload = data[len(_MAGIC) : len(_MAGIC) + 32], data[len(_MAGIC) + 32 :]
    if not hmac.compare_digest(mac, _mac(secret, entry.name, payload)):
        return None
    return payload


def store(entry: Path, payload: bytes) -> None:
    """Write payload at entry with its HMAC, whole or not at all; quietly nothing on failure."""
    secret = _key(entry.parent, create=True)
    if secret is None or len(payload) > _LIMIT:
        return
    _write(entry, _MAGIC + _mac(secret, entry.name, payload) + payload)


def _mac(secret: bytes, name: str, payload: bytes) -> bytes:
    # The entry's name is signed too, so an entry cannot be passed off under another name.
    return hmac.new(secret, name.encode("utf-8") + b"\0" + payload, hashlib.sha256).digest()


def _key(folder: Path, create: bool) -> bytes | None:
    """The user's secret in a private folder, made (0600) when asked and missing."""
    if not _private(folder):
        return None
    path = folder / _KEY_NAME
    secret = _read(path, _KEY_SIZE, private=True)
    if secret is not None and len(secret) == _KEY_SIZE:
        return secret
    if not create or secret is not None:
        return None  # a key file of the wrong size is left alone: the cache goes unused
    import secrets  # only to make a key or an entry: a cache hit reads

    # Made aside and linked into place, so two processes never see half a key or both win.
    partial = folder / f"{_KEY_NAME}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        _write_new(partial, secrets.token_bytes(_KEY_SIZE))
        try:
            os.link(partial, path)
            _prune_legacy(folder)  # the first run of this format here: what older ones left
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            partial.unlink(missing_ok=True)
    except OSError:
        return None
    secret = _read(path, _KEY_SIZE, private=True)
    return secret if secret is not None and len(secret) == _KEY_SIZE else None


# What versions before the signed format kept (pickles, which are never read again).
_LEGACY = ("parsed-*.pickle", "*.lark-cache", "*.pickle.*.tmp")


def _prune_legacy(folder: Path) -> None:
    """Remove the entries older versions wrote: regular files of this user, never followed links."""
    for pattern in _LEGACY:
        for entry in folder.glob(pattern):
            try:
                info = os.lstat(entry)
                if stat.S_ISREG(info.st_mode) and (not _POSIX or info.st_uid == os.geteuid()):
                    entry.unlink()
            except OSError:
                pass  # gone already, or not ours to remove: harmless either way


def _read(path: Path, limit: int, private: bool = False) -> bytes | None:
    """At most limit bytes of a regular file of this user (0600 when private), else None.
    O_NOFOLLOW refuses a link, O_NONBLOCK keeps a FIFO from hanging the open."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        if _POSIX and (info.st_uid != os.geteuid() or (private and info.st_mode & 0o077)):
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) if size <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_new(path: Path, data: bytes) -> None:
    """Create path (0600, never through a link or onto an existing file) holding data."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _write(entry: Path, data: bytes) -> None:
    """Write whole or not at all: a reader never sees half a file."""
    import secrets

    partial = entry.with_name(f"{entry.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        _write_new(partial, data)
        os.replace(partial, entry)
    except OSError:
        partial.unlink(missing_ok=True)


# ---------------------------------------------------------------- the format: tagged JSON

# Plain JSON holds str, int, bool, None, lists and str-keyed dicts as they are; anything else
# is a one-key object under a tag no name of pingfen's starts with. Classes are read back
# only from a fixed list (the syntax tree's and Diagnostic), never looked up by name at large.
_TUPLE, _DICT, _DECIMAL, _CLASS = "\0t", "\0m", "\0d", "\0c"
_TAGS = frozenset((_TUPLE, _DICT, _DECIMAL, _CLASS))


def encode(value: object) -> bytes:
    """value as tagged JSON; TypeError for anything the format does not hold."""
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(payload: bytes) -> object:
    """The value encode made; ValueError (or KeyError, TypeError) for anything else."""
    classes = _classes()

    def hook(obj: dict[str, object]) -> object:
        if len(obj) != 1:
            return obj
        ((tag, value),) = obj.items()
        if tag == _TUPLE and isinstance(value, list):
            return tuple(value)
        if tag == _DICT and isinstance(value, list):
            return {k: v for k, v in value}  # noqa: C416 - pairs arrive as lists
        if tag == _DECIMAL and isinstance(value, str):
            return Decimal(value)
        if tag == _CLASS and isinstance(value, list) and value:
            return classes[value[0]](*value[1:])
        if tag in _TAGS:
            raise ValueError(f"malformed {tag!r}")
        return obj

    return json.loads(payload.decode("utf-8"), object_hook=hook)


def _plain(value: object) -> object:
    if value is None or type(value) in (str, int, bool):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return {_TUPLE: [_plain(v) for v in value]}
    if isinstance(value, dict):
        if all(type(k) is str for k in value) and not _TAGS & value.keys():
            return {k: _plain(v) for k, v in value.items()}
        return {_DICT: [[_plain(k), _plain(v)] for k, v in value.items()]}
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    cls = type(value)
    name = cls.__name__
    if _classes().get(name) is cls:
        import attrs

        if attrs.has(cls):  # every class _classes names is; this tells the type checker so
            return {_CLASS: [name, *(_plain(getattr(value, f.name)) for f in attrs.fields(cls))]}
    raise TypeError(f"the cache does not hold {type(value).__name__}")


_CLASSES: dict[str, type] = {}


def _classes() -> dict[str, type]:
    """The classes an entry may hold: the syntax tree's, Span and Diagnostic."""
    if not _CLASSES:
        import attrs

        from pingfen import ast, diagnostics

        found = [v for v in vars(ast).values() if isinstance(v, type) and attrs.has(v)]
        _CLASSES.update({c.__name__: c for c in [*found, diagnostics.Span, diagnostics.Diagnostic]})
    return _CLASSES

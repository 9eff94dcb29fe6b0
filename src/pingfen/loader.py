"""The front door: rule text → checked, compiled Rubric, or every diagnostic found."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

import attrs

from pingfen import ast, cache
from pingfen.check.passes import check
from pingfen.diagnostics import Diagnostic, Source, Span
from pingfen.errors import RubricError
from pingfen.evaluate.rubric import Rubric
from pingfen.oserrors import OSReason
from pingfen.syntax.scan import MAX_CHARS, MAX_RULE_BYTES
from pingfen.values import pinned

if TYPE_CHECKING:
    from pingfen.io.write import LineStyle

# Where a base file may be read from: given the path an `extends` leads to (beside the file
# that extends it) and the path as written, the path to open, or an exception that stops the
# load. The workbench passes one that keeps every base, at any depth, inside its folder.
Resolver = Callable[[Path, str], Path]


@pinned  # the caller's decimal context never reaches the checker's arithmetic
def diagnose(text: str, path: str = "<string>", *, resolver: Resolver | None = None) -> list[Diagnostic]:
    """Every diagnostic for rule text (errors, warnings, notes), in source order.
    `resolver`, when given, is asked for each file an `extends` names before it is opened.
    Raises TypeError when `text` is not a str, as `loads` does."""
    if not isinstance(text, str):  # bytes gave "a bytes-like object is required, not 'str'", None an AttributeError
        raise TypeError(f"pingfen.diagnose takes the rule's text as str, not {type(text).__name__}"
                        + ("; decode it first" if isinstance(text, (bytes, bytearray)) else ""))  # fmt: skip
    return _build(text, path, executable=False, resolver=resolver)[1]


@pinned
def loads(text: str, path: str = "<string>", *, tests: bool = True, resolver: Resolver | None = None) -> Rubric:
    """Load a rubric from its text. Raises RubricError listing every problem.
    With tests=False its `example` and `property` blocks are skipped: enough to score by.
    `resolver`, when given, is asked for each file an `extends` names before it is opened.
    Raises TypeError when `text` is not a str (bytes: decode them, or `load` the file)."""
    if not isinstance(text, str):
        raise TypeError(f"pingfen.loads takes the rule's text as str, not {type(text).__name__}"
                        + ("; decode it, or pingfen.load(path)" if isinstance(text, (bytes, bytearray)) else ""))  # fmt: skip
    rubric, diagnostics = _build(text, path, tests=tests, resolver=resolver)
    if rubric is None:
        raise RubricError(diagnostics)
    return rubric


@pinned
def diagnose_loads(text: str, path: str = "<string>", *, resolver: Resolver | None = None) -> tuple[Rubric | None, list[Diagnostic]]:
    """`loads(text)` (None where it would raise) and `diagnose(text)` at once, the text parsed
    and checked once: the workbench shows both for each edit."""
    return _build(text, path, resolver=resolver)


@pinned
def load(path: str | Path | IO[bytes] | IO[str], *, tests: bool = True, resolver: Resolver | None = None) -> Rubric:
    """Load a rubric from a `.rule` file (UTF-8, with or without BOM), given by its path or,
    as `json.load` takes one, as a file opened in binary or text mode. A file that is not
    UTF-8 (say GBK, as Windows editors often save) raises RubricError (PF006). A file's
    syntax tree is kept in the user's cache directory, so loading it again skips the parser.
    With tests=False its `example` and `property` blocks are skipped: enough to score by.
    `resolver`, when given, is asked for each file an `extends` names before it is opened.
    Raises TypeError for anything else (bytes, None): the text of a rule is `loads`'s."""
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if isinstance(path, (bytes, bytearray, memoryview)):
        raise TypeError("pingfen.load takes a file's path as str or pathlib.Path, or an open file, not bytes; "
                        "for a rule's text, pingfen.loads(text)")  # fmt: skip
    if not isinstance(path, str) and not callable(getattr(path, "read", None)):
        raise TypeError(f"pingfen.load takes a file's path (str or pathlib.Path) or an open file, not {type(path).__name__}")
    if not isinstance(path, str):
        name = getattr(path, "name", None)  # for messages: an open file's name, else <file>
        shown = name if isinstance(name, str) else "<file>"
        rubric, diagnostics = _build(read_open_rule(path, shown), shown, tests=tests, resolver=resolver)
        if rubric is None:
            raise RubricError(diagnostics)
        return rubric
    text = read_rule(path)
    rubric, diagnostics = _build(text, str(path), Path(path), tests=tests, resolver=resolver)
    if rubric is None:
        raise RubricError(diagnostics)
    return rubric


def read_rule(path: str | Path) -> str:
    """The text of a rule file: every command reads rule files here. Raises RubricError
    (PF006) when the file is not UTF-8, (PF008) when it is longer than a rule file may be,
    OSError when it cannot be read."""
    return decode_rule(_rule_bytes(path), str(path))


def read_rule_styled(path: str | Path, file: IO[bytes] | None = None) -> tuple[str, LineStyle]:
    """`read_rule`'s text and the file's line ends and BOM (`io.write.style_of`'s answer) from
    one read of it: what an editor that saves the text back in the file's style opens. `file`:
    the file at `path` opened already (the workbench checks it opened the file it resolved)."""
    from pingfen.io.write import line_style  # here: loading a rule does not import io.write

    data = _rule_bytes(path) if file is None else _bounded(file, str(path))
    return decode_rule(data, str(path)), line_style(data)


def _rule_bytes(path: str | Path) -> bytes:
    from pingfen.io.guard import note_input

    with Path(path).open("rb") as file:
        note_input(path)  # no output of the command reading it may replace it
        return _bounded(file, str(path))


def _bounded(file: IO[bytes], path: str) -> bytes:
    """The bytes of an open rule file, read no further than a rule file may go: RubricError
    (PF008) for a longer one, the rest of it never read (a file of gigabytes is not read into memory)."""
    data = file.read(MAX_RULE_BYTES + 1)
    if len(data) > MAX_RULE_BYTES:
        raise _too_large(data, path, _size(file))
    return data


def _size(file: IO[bytes] | IO[str]) -> int | None:
    """The size of an open file in bytes, if it is a regular file (a pipe's or a stream's is not known)."""
    try:
        found = os.fstat(file.fileno())
    except (OSError, ValueError, AttributeError):  # no descriptor: an io.BytesIO, a closed stream
        return None
    return found.st_size if stat.S_ISREG(found.st_mode) and found.st_size > MAX_RULE_BYTES else None


def _too_large(data: bytes | str, path: str, size: int | None) -> RubricError:
    """PF008 for a file longer than the loader reads. What was read is not the file's length,
    so the message names the file's size in bytes where it is known, else what was read and
    the bound it passed (a count of characters in the part read would be no count of the file's).
    The caret marks where the part read passes the limit of characters, as the parser's does."""
    # counted as the parser counts (as_parsed: no BOM, a line end one character), so a CRLF
    # file's caret is where the same file's with LF ends is
    text = as_parsed(data if isinstance(data, str) else data.decode("utf-8", errors="replace"))
    if isinstance(data, str):  # a file opened as text: read by characters
        args: dict[str, object] = {"what": "characters read from the file", "what_zh": "已读取的字符数",
                                   "count": len(data), "limit": MAX_CHARS}  # fmt: skip
    elif size is not None:
        args = {"what": "bytes in the file", "what_zh": "文件字节数", "count": size, "limit": MAX_RULE_BYTES}
    else:
        args = {"what": "bytes read from the file", "what_zh": "已读取的字节数", "count": len(data), "limit": MAX_RULE_BYTES}
    at = Span.at(text, MAX_CHARS, MAX_CHARS + 1)
    # a count of bytes beside a limit of bytes: the hint says the limit users are told is of characters
    hint = "too_large" if isinstance(data, str) else "too_large_bytes"
    return RubricError([Diagnostic("PF008", at, args, hint=hint, source=Source(path, text))])


class NotRegularFile(OSError):
    """A rule file that is no regular file (a FIFO, a device such as /dev/zero), not read:
    reading one may wait for ever or never end."""


def read_regular_rule(path: str | Path, *, bom: bool = False) -> str:
    """`read_rule`'s text, but only of a regular file, for a reader that must never wait (an
    `extends`, the editor): the file is opened without blocking (a FIFO's open waits for a
    writer) and read only if it is a regular file, the one it opened (no race with a check
    by name). Raises NotRegularFile for any other kind, IsADirectoryError for a folder (as
    `read_rule` does), RubricError (PF006) when not UTF-8, (PF008) when too long, OSError when it cannot be read,
    ValueError for a name no file can have. `bom`: a BOM is kept, as an editor holds the text."""
    from pingfen.io.guard import note_input

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        kind = os.fstat(fd).st_mode
        if stat.S_ISDIR(kind):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(kind):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        file = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with file:
        note_input(path)  # no output of the command reading it may replace it
        data = _bounded(file, str(path))
    text = decode_rule(data, str(path))  # its BOM dropped
    return "\ufeff" + text if bom and data.startswith(b"\xef\xbb\xbf") else text


def unreadable(path: str, error: OSError) -> Diagnostic:
    """PF010: the rule file a command was given cannot be read (none there, a folder, no
    permission), coded as an unreadable data file is (PF508); the help lists the rule files
    of the folder it names or is in, where there are any."""
    folder = path if os.path.isdir(path) else os.path.dirname(path) or "."
    near = files_listed(folder, (".rule",))
    args: dict[str, object] = {"path": path, "reason": OSReason.of(error), **near}
    return Diagnostic("PF010", Span.unknown(), args, hint="rule_files" if near else "rule_path", source=Source(path, ""))


def files_listed(folder: str, suffixes: tuple[str, ...]) -> dict[str, object]:
    """The files of `folder` ending in one of `suffixes` (lower case), as a help names them: the
    first few (`files`), the folder (`folder`; `当前文件夹` for `.`, the folder pingfen runs in)
    and the prefix of a path into it (`within`); nothing when there are none. Office's lock
    files (`~$…`) hold no table and are left out."""
    try:
        found = sorted(e.name for e in os.scandir(folder) if e.name.lower().endswith(suffixes)
                       and not e.name.startswith("~$") and e.is_file())  # fmt: skip
    except OSError:
        return {}
    if not found:
        return {}
    more = len(found) > _LISTED
    here = folder == "."
    return {"folder": "this folder" if here else f"`{folder}`", "folder_zh": "当前文件夹" if here else f"`{folder}` ",
            "within": "" if here else f"{folder.rstrip(os.sep)}{os.sep}",
            "files": ", ".join(found[:_LISTED]) + (", …" if more else ""),
            "files_zh": "、".join(found[:_LISTED]) + ("等" if more else "")}  # fmt: skip


_LISTED = 8  # files named in a help (PF010's, import's of a folder)


def read_open_rule(file: IO[bytes] | IO[str], name: str) -> str:
    """The text of an open rule file, read no further than `read_rule` reads a path (PF008 past it)."""
    data = file.read(MAX_RULE_BYTES + 1)
    if len(data) > MAX_RULE_BYTES:
        raise _too_large(data, name, _size(file))
    if isinstance(data, str):
        return data
    return decode_rule(data, name)


def decode_rule(data: bytes, path: str) -> str:
    """Rule text from its bytes (UTF-8, with or without BOM); RubricError (PF006) if not UTF-8,
    pointing at the first bad byte by line and column."""
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise RubricError([_not_utf8(data, bom, bom + error.start, path)]) from None


_SHOWN = 40  # characters shown after the bad byte: the rest of the line may be the whole file


def _not_utf8(data: bytes, bom: int, bad: int, path: str) -> Diagnostic:
    from pingfen.io.tables import reads_as_gbk  # a file that is not UTF-8 only

    # A workbook or a Word file (a zip, or the old OLE kind) given as the rule file: no saving as
    # UTF-8 makes a table a rule file, `pingfen import` does.
    office = data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))
    # GBK (Notepad's "ANSI" on a Chinese Windows) is shown as GBK, from its first character
    # that is not ASCII (some GBK pairs are UTF-8 too): read as UTF-8 its line was mojibake
    # (`rubric "ʾ��"`).
    gbk = not office and reads_as_gbk(data[bom:])
    if gbk:
        bad = next(i for i in range(bom, bad + 1) if data[i] >= 0x80)
    before = data[bom:bad].decode("utf-8")  # valid up to the bad byte
    line = before.count("\n") + 1
    head = before[before.rfind("\n") + 1 :]
    if gbk:
        line_end = data.find(b"\n", bad)
        shown = data[bad : line_end if line_end >= 0 else len(data)].decode("gb18030")
        bad_char, tail = shown[:1], shown[1 : 1 + _SHOWN].rstrip("\r")
        hint = "save_utf8_gbk"
    else:
        bad_char = "\ufffd"
        tail = data[bad + 1 : bad + 1 + 4 * _SHOWN].decode("utf-8", errors="replace").split("\n", 1)[0][:_SHOWN]
        hint = "office_file" if office else "save_utf8"
    # Lines before the bad one are never shown: blank ones keep the line number right.
    text = "\n" * (line - 1) + head + bad_char + tail  # shown with control characters as pictures
    start, column = line - 1 + len(head), len(head) + 1
    at = Span(start, start + 1, line, column, line, column + 1)
    return Diagnostic("PF006", at, {"byte": bad}, hint=hint, source=Source(path, text))


def loads_unsound(
    text: str, path: str = "<string>", *, resolver: Resolver | None = None
) -> tuple[Rubric, list[Diagnostic]]:
    """Load a rubric even if the soundness checks (PF4xx) find errors in it, as `pingfen fuzz`
    does to show what those errors do to real records; returns it with every diagnostic.
    Raises RubricError when there is any other error (syntax, names, types, examples)."""
    from pingfen.syntax.parser import parse

    source = Source(path, text)
    sources = [source]
    module, diagnostics = parse(text)
    if module is not None and not _errors(diagnostics) and module.changes:
        module, more = _extended(module, path, sources, (_identity(path),), resolver)
        diagnostics = [*diagnostics, *more]
    if module is None or _errors(diagnostics):
        raise RubricError([d.with_source(sources) for d in diagnostics])
    checked = check(module)
    found = [d.with_source(sources) for d in [*diagnostics, *checked.diagnostics]]
    if any(d.severity == "error" and not d.code.startswith("PF4") for d in found):
        raise RubricError(found)
    return Rubric(module, checked, source, tuple(sources)), found


def _errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def as_parsed(text: str) -> str:
    """Rule text as the loader parses it: no BOM, and one line ending, as the parser counts
    lines ("\r\n" and a lone "\r" become "\n"): a lone "\r" ends a comment for the loader.
    (What may be read is decided where a base is opened, by a `Resolver`, not by a parse of its own.)"""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _build(
    text: str, path: str, file: Path | None = None, executable: bool = True, tests: bool = True,
    resolver: Resolver | None = None,
) -> tuple[Rubric | None, list[Diagnostic]]:
    """Parse, check and (when `executable`) compile; the rubric is None when there are errors."""
    text = as_parsed(text)
    source = Source(path, text)  # diagnostics show the file as written, tests included
    if not tests:
        module, diagnostics = _scoring(file, text)
    elif file is not None:
        module, diagnostics = _parsed(file, text)
    else:
        from pingfen.syntax.parser import parse

        module, diagnostics = parse(text)
    sources = [source]  # the file, then each file it extends: a span's `file` indexes them
    if module is not None and not _errors(diagnostics) and module.changes:
        module, more = _extended(module, path, sources, (_identity(path),), resolver)
        diagnostics = [*diagnostics, *more]
    if module is None or _errors(diagnostics):
        return None, [d.with_source(sources) for d in diagnostics]
    checked = check(module)
    found = [d.with_source(sources) for d in [*diagnostics, *checked.diagnostics]]
    if not checked.ok or not executable:
        return None, found
    return Rubric(module, checked, source, tuple(sources)), found


def _identity(path: str) -> str:
    """A file's identity in a chain of `extends`, whatever the path it was named by."""
    try:
        return os.path.normcase(str(Path(path).resolve()))
    except (OSError, RuntimeError, ValueError):  # a loop of links (RuntimeError before Python 3.13), a name no
        # file can have (a lone surrogate): reading it says why
        return os.path.normcase(os.path.abspath(path))


def _why(error: OSError) -> tuple[str | OSReason, str | OSReason]:
    """Why a file could not be read, in English and Chinese."""
    if isinstance(error, FileNotFoundError):
        return "there is no such file", "文件不存在"
    if isinstance(error, IsADirectoryError):
        return "it is a folder", "这是一个文件夹"
    if isinstance(error, PermissionError):
        return "permission denied", "没有读取权限"
    reason = OSReason.of(error)  # worded in the message's language when it is rendered
    return reason, reason


def _extended(
    module: ast.Module, path: str, sources: list[Source], chain: tuple[str, ...], resolver: Resolver | None = None
) -> tuple[ast.Module | None, list[Diagnostic]]:
    """A module that extends another (syntax/extends.py) as the one module it stands for.
    Each base file is read, parsed (through the cache, keyed on its own text) and marked
    with its place in `sources`, so that every diagnostic shows the file it is about.
    The `resolver` (when given) is asked for each base before anything of it is opened."""
    from pingfen.syntax.extends import MAX_EXTENDS, in_file, merge, misplaced

    wrong = misplaced(module)
    if wrong:
        return None, wrong
    extends = module.items[0]
    assert isinstance(extends, ast.Extends)  # misplaced() found none elsewhere
    where = Path(path).parent / extends.path
    shown = os.path.normpath(where)
    if len(chain) > MAX_EXTENDS:
        return None, [Diagnostic("PF122", extends.span, {"limit": MAX_EXTENDS}, hint="flatten_extends")]
    identity = _identity(str(where))
    if identity in chain:
        return None, [Diagnostic("PF121", extends.span, {"path": extends.path}, hint="extends_cycle")]
    file = len(sources)
    try:
        # the resolver here, however it was parsed; an OSError of its (a folder before a `..` not
        # there) is said as one of opening the file is (PF120), as where no resolver is asked
        opened = where if resolver is None else resolver(where, extends.path)
        text = read_regular_rule(opened)
    except NotRegularFile:  # a FIFO, /dev/stdin: a wait for ever
        odd = {"path": extends.path, "reason": "it is not a regular file", "reason_zh": "它不是普通文件"}
        return None, [Diagnostic("PF120", extends.span, odd, hint="extends_path")]
    except ValueError:  # a lone surrogate (a JavaScript string's) or NUL: no file has such a name
        odd = {"path": extends.path, "reason": "no file can have this name", "reason_zh": "文件名中有文件名不能含有的字符"}
        return None, [Diagnostic("PF120", extends.span, odd, hint="extends_path")]
    except RubricError as error:  # not UTF-8 (PF006): shown in the base file's own text, by the name it was given
        for d in error.diagnostics:
            sources.append(Source(shown, d.source.text if d.source else ""))
        return None, [d.in_file(file + i) for i, d in enumerate(error.diagnostics)]
    except OSError as error:
        reason, reason_zh = _why(error)
        args = {"path": extends.path, "reason": reason, "reason_zh": reason_zh}
        return None, [Diagnostic("PF120", extends.span, args, hint="extends_path")]
    text = as_parsed(text)
    sources.append(Source(shown, text))
    base, found = _scoring(where, text)  # a base's examples are not inherited
    found = [d.in_file(file) for d in found]
    if base is None or _errors(found):
        return None, found
    base = in_file(base, file)
    if base.changes:
        base, more = _extended(base, str(where), sources, (*chain, identity), resolver)
        found += more
        if base is None:
            return None, found
    merged, more = merge(base, module)
    return merged, found + more


def _scoring(file: Path | None, text: str) -> tuple[ast.Module | None, list[Diagnostic]]:
    """The module of what scoring reads: the text parsed with its `example` and `property`
    items blanked (`without_tests`, half the time), else — when the blanked text does not
    parse, as where a name spelt `example` was taken for one — the whole text, tests dropped."""
    from pingfen.syntax.scan import without_tests

    def parsed(text: str, kind: str = "", every_error: bool = True) -> tuple[ast.Module | None, list[Diagnostic]]:
        if file is not None:  # through the cache: a tree found there needs no parser (nor lark) imported
            return _parsed(file, text, kind, every_error)
        from pingfen.syntax.parser import parse

        return parse(text, every_error=every_error)

    blanked = without_tests(text)
    # When the blanked text is not the whole, its syntax errors are never shown (the whole
    # text's are): whether it parses is all that is asked, not every error in it.
    module, diagnostics = parsed(blanked, "scoring", every_error=blanked == text)
    if blanked == text or (module is not None and not _errors(diagnostics)):
        return module, diagnostics
    module, diagnostics = parsed(text)
    if module is None:
        return None, diagnostics
    tests = (ast.Example, ast.Monotone, ast.Claim)
    return attrs.evolve(module, items=tuple(i for i in module.items if not isinstance(i, tests))), diagnostics


def _parsed(
    path: Path, text: str, kind: str = "", every_error: bool = True
) -> tuple[ast.Module | None, list[Diagnostic]]:
    """`syntax.parse(text)` for the rule file at path, from the cache when the same text was
    parsed before by the same grammar and pingfen; `kind` keeps apart the entries of
    different readings of one file (whole, or without its tests). `every_error` is parse's."""
    from pingfen import __version__
    from pingfen.syntax.grammar import grammar_text

    folder = cache.directory()
    key = cache.digest(text, grammar_text(), __version__, cache.FORMAT)
    entry = folder / f"parsed-{cache.digest(str(path.resolve()), kind)}.json" if folder is not None else None
    if entry is not None:
        payload = cache.load(entry)
        if payload is not None:
            try:
                stored = cache.decode(payload)
                if isinstance(stored, dict) and stored["key"] == key:
                    return stored["module"], list(stored["diagnostics"])
            except Exception:  # noqa: BLE001, S110 - authentic but stale in shape: parse again
                pass
    from pingfen.syntax.parser import parse  # only now: a cached tree needs no parser

    module, diagnostics = parse(text, every_error=every_error)
    if entry is not None and module is not None:
        try:
            cache.store(entry, cache.encode({"key": key, "module": module, "diagnostics": diagnostics}))
        except (TypeError, RecursionError):  # something the format does not hold: not kept
            pass
    return module, diagnostics

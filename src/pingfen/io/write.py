"""Writing files atomically, and batch results as CSV, XLSX, JSON Lines or JSON.

Every file is written to a temporary file in the same directory and moved over the
target with `os.replace` only when complete: a failed or interrupted run never leaves a
half-written file, and an existing one stays as it was.

A batch result has one row per department: `id`, one column per indicator named as the
rubric names it, `total`, `grade` and `error` (empty when the row was scored); a CSV or XLSX
file for people reading 中文 heads them 编号, 总分, 评价等次 and 错误, while JSON keys stay
English for programs. Rows are written as they come, so a batch streams from reader to writer.
"""

from __future__ import annotations

import csv
import errno
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TextIO

from pingfen import display
from pingfen.errors import OutputError
from pingfen.io.guard import refuse_read
from pingfen.lang import Lang
from pingfen.oserrors import OSReason
from pingfen.result import dumps
from pingfen.syntax.scan import MAX_RULE_BYTES
from pingfen.values import to_decimal

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is written: it costs startup time
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

FORMATS = ("csv", "xlsx", "jsonl", "json")
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}

# A batch row: id, the indicators' scores in rubric order (None when not scored, 不适用 for a
# row that does not apply), total, grade, error.
Line = tuple[str | None, Sequence[Decimal | str | None], Decimal | None, str | None, str | None]


_SEPARATORS = "".join(sep for sep in {os.sep, os.altsep, "/"} if sep)


def folder_form(asked: str) -> tuple[str, str] | None:
    """(the name without it, the end) when `asked` is a folder's name by its form: ending in a
    separator (`结果/`) or in a last part `.` or `..` (`结果/.`), else None. The system drops that
    end (`Path`, `realpath`) and would write the file `结果`, or over `结果.csv` for `结果.csv/`.
    After a `..` no name is given: the folder above is meant, not a file."""
    name, up = asked, False
    while True:
        name = name.rstrip(_SEPARATORS)
        last = re.split(f"[{re.escape(_SEPARATORS)}]", name)[-1]
        if last not in (".", ".."):
            break
        name, up = name[: -len(last)], up or last == ".."
    if name == asked:
        return None
    return ("" if up else name), asked[len(name):]


def refuse_folder_name(asked: str, inputs: Iterable[str | Path | None] = ()) -> None:
    """PF704 when `asked` is a folder's name by its form (`folder_form`), PF702 when it is a
    folder; its hint gives the name without that end, unless that name is refused too (an input)."""
    form = folder_form(asked)
    if form is None:
        return
    if _kind(asked) == "directory":
        raise OutputError("PF702", asked)
    name, end = form
    words = {"end": end, "reason": f"the name ends in `{end}`, as a folder's does", "reason_zh": f"名称以 `{end}` 结尾，指的是文件夹"}
    if name and not _an_input(name, inputs):
        raise OutputError("PF704", asked, {**words, "name": name}, "folder_name")
    raise OutputError("PF704", asked, words, "folder_name_other")


def _an_input(name: str, inputs: Iterable[str | Path | None]) -> bool:
    """Whether writing `name` would be refused PF701: it is an input of the command."""
    try:
        refuse_inputs(name, inputs)
        refuse_read(name)
    except OutputError:
        return True
    return False


@contextmanager
def atomic_path(path: str | Path, *, direct: bool = False) -> Iterator[Path]:
    """A temporary path beside `path`; it replaces `path` when the block succeeds, else is removed.

    A symbolic link is written through: its target is replaced and the link kept. A device,
    FIFO or socket (`/dev/stdout`, a pipe) is never replaced: with `direct` the block writes
    straight into it, else into a private temporary file that is then copied into it (a
    workbook is a zip file, written with seeks that a pipe cannot take). Failures that concern
    the output raise OutputError (PF702-PF704, PF707 for a read-only file), naming `path`,
    never the temporary file.
    """
    asked = str(path)
    kind = refuse_target(asked)
    if kind == "stream":
        with _streamed(asked, direct) as tmp:
            yield tmp
        return
    target = Path(os.path.realpath(asked))  # through every link to the file itself
    remove_stale(target)
    made: Path | None = None
    try:
        with _signals_held():  # Ctrl-C between making the file and knowing its name would leave it behind
            made = _temporary(asked, target)
        yield made
        os.chmod(made, _mode_for(target))
        os.replace(made, target)
    except BaseException as error:  # also KeyboardInterrupt and Interrupted: never leave the temporary file
        if made is None:
            raise
        with suppress(OSError):
            made.unlink()
        if isinstance(error, OSError):
            raise _write_error(asked, error, (str(made), str(target))) from None
        raise


def refuse_target(path: str | Path) -> str:
    """What `atomic_path` refuses of `path` before it writes anything, raised now: a folder's
    name (PF704), a folder (PF702), a file this run read (PF701), a read-only file (PF707). A
    command that writes several files checks each first, so that one refused leaves the others
    as they were. Returns the target's kind (`_kind`): a `stream` is written into, never replaced."""
    asked = str(path)
    refuse_folder_name(asked)
    kind = _kind(asked)
    if kind == "directory":
        raise OutputError("PF702", asked)
    if kind == "stream":
        return kind
    refuse_read(asked)  # a file this run read, by any name (a base the rule file extends)
    refuse_read_only(asked, Path(os.path.realpath(asked)))  # through every link to the file itself
    return kind


def refuse_read_only(asked: str, target: Path) -> None:
    """PF707 for an existing file that is read-only: no one may write it (mode 444, as root too,
    whom the system would let), or this user may not. Moving a new file over it would replace
    it all the same, as the directory allows: a read-only file is its owner saying "leave it"."""
    try:
        found = os.stat(target)
    except OSError:  # none yet (or unreachable: the write says why)
        return
    if stat.S_ISREG(found.st_mode) and (found.st_mode & 0o222 == 0 or not os.access(target, os.W_OK)):
        raise OutputError("PF707", asked)


def _temporary(asked: str, target: Path) -> Path:
    """A new empty file beside `target`, named `.NAME.pingfen-PID.XXXXXXXX.tmp`."""
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}{TEMP_TAG}{os.getpid()}.", suffix=".tmp")
    except PermissionError:
        raise OutputError("PF703", asked, {"directory": str(target.parent)}) from None
    except OSError as error:  # a folder that does not exist, say: named as the file asked for, not the temporary one
        raise OutputError("PF704", asked, {"reason": OSReason.of(error)}) from None
    os.close(fd)
    return Path(name)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back for the block; they arrive when it ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def atomic_open(path: str | Path, mode: str = "w", *, encoding: str | None = "utf-8", newline: str | None = None
                ) -> Iterator[IO[Any]]:  # fmt: skip
    """Open a temporary file beside `path` for writing; on success it is synced and moved over `path`."""
    with atomic_path(path, direct=True) as tmp:
        if "b" in mode:
            encoding = newline = None  # a binary file takes neither
        with open(tmp, mode, encoding=encoding, newline=newline) as handle:  # noqa: PTH123
            yield handle
            handle.flush()
            if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # a pipe or a device cannot be synced
                os.fsync(handle.fileno())


@contextmanager
def _streamed(asked: str, direct: bool) -> Iterator[Path]:
    """The path to write for a device, FIFO or socket: itself, or a temporary file copied into it."""
    if direct:
        try:
            yield Path(asked)
        except OSError as error:
            raise _write_error(asked, error, (asked,)) from None
        return
    fd, name = tempfile.mkstemp(prefix=f"pingfen-{os.getpid()}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(name)
        with open(name, "rb") as source, open(asked, "wb") as sink:  # noqa: PTH123
            shutil.copyfileobj(source, sink)
    except OSError as error:
        raise _write_error(asked, error, (asked, name)) from None
    finally:
        with suppress(OSError):
            os.unlink(name)


TEMP_TAG = ".pingfen-"  # temporary files are `.NAME.pingfen-PID.XXXXXXXX.tmp`, beside NAME

# Errors of the device written to, whatever file they name: the output's, not an input's.
_DEVICE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}
_REASONS = {
    errno.ENOSPC: ("no space left on the device", "磁盘空间不足"),
    errno.EDQUOT: ("the disk quota is used up", "磁盘配额已用完"),
    errno.EFBIG: ("the file would be too large", "文件超过允许的大小"),
    errno.EROFS: ("the file system is read-only", "文件系统为只读"),
    errno.EIO: ("an input/output error on the device", "设备读写出错"),
    errno.EACCES: ("permission denied", "没有写入权限"),
    errno.EPERM: ("permission denied", "没有写入权限"),
}


def _kind(path: str) -> str:
    """`file` (or missing: it will be one), `directory`, or `stream` for anything else."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "file"
    if stat.S_ISDIR(mode):
        return "directory"
    return "file" if stat.S_ISREG(mode) else "stream"


def _write_error(asked: str, error: OSError, ours: tuple[str, ...]) -> OSError | OutputError:
    """The error as PF704 when it concerns the output; an error that names another file is
    left as it is (a batch reads its data file while the output is being written)."""
    if error.errno not in _DEVICE_ERRORS and error.filename not in (None, *ours):
        return error
    if error.errno in _REASONS:
        en, zh = _REASONS[error.errno]
        return OutputError("PF704", asked, {"reason": en, "reason_zh": zh})
    return OutputError("PF704", asked, {"reason": OSReason.of(error)})  # worded in the message's language


def remove_stale(target: Path) -> None:
    """Remove temporary files beside `target` that runs killed outright (SIGKILL, power loss)
    left behind: ours (same owner), regular files, of a process that is no longer running."""
    prefix = f".{target.name}{TEMP_TAG}"
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
            continue
        pid = entry.name[len(prefix) :].split(".", 1)[0]
        with suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if pid.isdigit() and stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and not _alive(int(pid)):
                os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def refuse_inputs(output: str | Path | None, inputs: Iterable[str | Path | None]) -> None:
    """Raise PF701 when `output` is one of `inputs`: the same file by any name, link or hard link."""
    if output is None:
        return
    for given in inputs:
        if given is None:
            continue
        with suppress(OSError):  # an output or input that does not exist yet is not the same file
            if os.path.samefile(output, given):
                raise OutputError("PF701", str(output), {"input": str(given)})


def writable_folder(given: str | Path) -> Path:
    """`given` as a folder files may be written into, checked without making it (a run that then
    writes nothing leaves nothing behind): PF704 when it, or the nearest part of it that exists,
    is not a folder, or the name cannot be (too long, a link to nothing on the way); PF703 when that folder refuses a file."""
    folder = existing = Path(given)
    try:
        while True:  # the nearest part that exists; stat says why where exists() would say only no
            try:  # (a name too long, a file on the way: "Not a directory")
                found = existing.stat()
                break
            except FileNotFoundError:
                if existing.is_symlink():  # a link to nothing: making the folder would fail, after the search
                    raise OutputError("PF704", str(folder), {"reason": "it is a link to a path that does not exist",
                                                             "reason_zh": "它是指向不存在路径的链接"}) from None  # fmt: skip
                if existing.parent == existing:
                    raise
                existing = existing.parent
        if not stat.S_ISDIR(found.st_mode):  # the folder itself: a part on the way would be ENOTDIR
            raise OutputError("PF704", str(folder), {"reason": "it is a file, not a folder",
                                                     "reason_zh": "它是文件，不是文件夹"})  # fmt: skip
        # root may write where the mode bits say no (os.access says yes for /sys): try a file
        _probe(existing)
    except PermissionError:
        raise OutputError("PF703", str(folder), {"directory": str(existing)}) from None
    except OSError as error:
        raise OutputError("PF704", str(folder), {"reason": OSReason.of(error)}) from None
    return folder


# A file with no name, where Linux and the file system make one: a run killed while probing leaves
# nothing in the user's folder, where a named probe file would stay behind
_NAMELESS = getattr(os, "O_TMPFILE", 0)
# the file system cannot (EOPNOTSUPP), or the kernel knows no O_TMPFILE (EISDIR, EINVAL)
_NO_NAMELESS = frozenset({errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL})


def _probe(folder: Path) -> None:
    """Make a file in `folder` and let it go, or raise the OSError that refused it."""
    if _NAMELESS:
        try:
            os.close(os.open(folder, _NAMELESS | os.O_WRONLY, 0o600))
            return
        except OSError as error:
            if error.errno not in _NO_NAMELESS:
                raise
    fd, probe = tempfile.mkstemp(dir=folder, prefix=f".pingfen-{os.getpid()}.", suffix=".tmp")
    os.close(fd)
    os.unlink(probe)


class Interrupted(BaseException):  # noqa: N818 - like KeyboardInterrupt, not caught by `except Exception`
    """SIGTERM or SIGHUP arrived: unwind, so that temporary files are removed, then exit."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise Interrupted (SIGINT already raises
    KeyboardInterrupt), so that an atomic write removes its temporary file before exiting."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:  # keep `nohup`'s SIG_IGN
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def write_text(path: str | Path, text: str, *, bom: bool = False) -> None:
    """Write text atomically; `bom` adds the UTF-8 byte order mark Excel looks for."""
    with atomic_open(path, encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        handle.write(text)


class LineStyle(NamedTuple):
    """How a text file ends its lines and whether it starts with a BOM: what a rewrite of it
    keeps, so that a Windows user's file (CRLF, and a BOM from Notepad) is not shown changed
    on every line. A new file is LF without a BOM."""

    crlf: bool = False
    bom: bool = False

    def lines(self, text: str) -> str:
        """`text` with every line ended in this style (a lone CR is left as it is)."""
        text = text.replace("\r\n", "\n")
        return text.replace("\n", "\r\n") if self.crlf else text


def line_style(content: str | bytes) -> LineStyle:
    """The style of a file's text or bytes: CRLF when most of its line ends are CRLF (a tie,
    or none: LF), a BOM when it starts with one."""
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    crlf = data.count(b"\r\n")
    return LineStyle(crlf > data.count(b"\n") - crlf, data.startswith(b"\xef\xbb\xbf"))


def line_end(text: str) -> str:
    """The line end most of a text's lines have, a lone CR counted too ("\\r\\n", "\\r" or
    "\\n"; a tie, or none: as `line_style` says): what a few lines inserted into the text end
    with, so that it does not come out mixed. `line_style` is for a whole text written anew,
    which a lone-CR file is in LF."""
    crlf = text.count("\r\n")
    if text.count("\r") - crlf > max(crlf, text.count("\n") - crlf):
        return "\r"
    return "\r\n" if line_style(text).crlf else "\n"


def style_of(path: str | Path) -> LineStyle:
    """The style of the file at `path`, read from its bytes (as far as a rule file may go); a file
    that is not there, or not readable, is new: LF, no BOM."""
    try:
        with Path(path).open("rb") as file:
            return line_style(file.read(MAX_RULE_BYTES + 1))  # as the loader reads a rule file
    except OSError:
        return LineStyle()


def format_for(path: str | Path | None, default: str) -> str:
    """The output format a file name implies (`.csv`, `.xlsx`, `.jsonl`, `.json`), else `default`."""
    if path is None:
        return default
    return SUFFIXES.get(Path(path).suffix.lower(), default)


def write_results(
    lines: Iterable[Line | str], columns: Sequence[str], fmt: str, path: str | Path | None = None,
    out: TextIO | None = None, lang: Lang = "en",
) -> int:  # fmt: skip
    """Write batch rows as they come; to `path` (atomically) or, except XLSX, to `out`.

    `columns` names the indicators, in the order of each line's scores; a str among CSV
    lines is a row's text made already by `csv_line` (only CSV takes one). CSV files get a
    UTF-8 BOM so that Excel reads the Chinese names. CSV and XLSX headers are in `lang`;
    JSON and JSON Lines keys are always English. Returns the number of rows written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    first, *last = _HEADERS["zh" if lang == "zh" and fmt in ("csv", "xlsx") else "en"]
    header = [first, *columns, *last]
    refuse_twice(header, path, lang, "group or indicator", "指标")
    if fmt == "xlsx":
        if path is None:
            raise ValueError("XLSX output needs a file name")
        return _xlsx(_no_texts(lines), header, path, lang)

    def write(handle: IO[str]) -> int:
        if fmt == "csv":
            return _csv(lines, header, handle)
        return (_jsonl if fmt == "jsonl" else _json)(_no_texts(lines), header, handle)

    if path is None:
        if out is None:  # score_file(rubric, data): both left out, an AssertionError gave no help
            raise ValueError("no output given: a file name to write to, or `out`, an open text file")
        return write(out)
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with atomic_open(path, encoding=encoding, newline="") as handle:
        return write(handle)


def refuse_twice(header: Sequence[str], path: str | Path | None, lang: Lang, what: str, what_zh: str) -> None:
    """PF705 when a name of the rubric's is one of the output's own columns (`id`, `grade` …):
    JSON keeps one of the two values, a CSV file with two such columns is not read back."""
    seen: set[str] = set()
    for column in header:
        if column in seen:
            shown = str(path) if path is not None else ("标准输出" if lang == "zh" else "standard output")
            raise OutputError("PF705", shown, {"column": column, "what": what, "what_zh": what_zh})
        seen.add(column)


def _no_texts(lines: Iterable[Line | str]) -> Iterator[Line]:
    """The lines, refusing a row's CSV text: only the CSV writer takes one."""
    for line in lines:
        if isinstance(line, str):
            raise TypeError("a row's CSV text is for the CSV writer only")
        yield line


# The columns around the indicators': id first; total, grade and error last.
_HEADERS = {"en": ("id", "total", "grade", "error"), "zh": ("编号", "总分", "评价等次", "错误")}


def plain(value: Decimal | None) -> str:
    """A Decimal digit for digit (`display.digits`: a Result's scores are canonical already,
    its total keeps the rubric's places); '' for None."""
    if value is None:
        return ""
    text = str(value)  # what `digits` writes, unless there is an exponent or a sign (-0 is 0)
    return text if "E" not in text and text[0] != "-" else display.digits(value)


def _csv(lines: Iterable[Line | str], header: list[str], out: IO[str]) -> int:
    # The csv module writes each row into a list, handed to `out` a few hundred rows at a
    # time: a text file's write (and its encoder) once per row cost more than the row's join.
    # A str among the lines is a row's text made already by `csv_line` (a batch's worker).
    chunk: list[str] = []
    append = chunk.append
    csv.writer(_Appender(append), lineterminator="\r\n").writerow([csv_text(name) for name in header])
    row, count = csv_line(append), 0
    try:
        for line in lines:
            if type(line) is str:
                append(line)
            else:
                row(line)  # type: ignore[arg-type]  # not a str: a Line (mypy does not narrow on `type(...) is`)
            count += 1
            if len(chunk) >= _CHUNK_ROWS:
                text = "".join(chunk)
                chunk.clear()  # before writing: a failed write is not tried again below
                out.write(text)
    finally:  # the rows written so far reach `out`, as they did row by row, whatever stops the loop
        text = "".join(chunk)
        chunk.clear()
        out.write(text)
    return count


def csv_line(append: Callable[[str], None]) -> Callable[[Line], None]:
    """A function that appends a batch row's CSV text (its cells, then CRLF) to `append`, in
    one piece: what `_csv` writes for each row, and what a batch's worker process sends
    (`batch`), so that the bytes are the same by construction."""
    write = csv.writer(_Appender(append), lineterminator="\r\n").writerow

    def line(row: Line) -> None:
        row_id, scores, total, grade, error = row  # each cell as its kind is written
        # `csv_text` and `plain`, each called only where its test may change the text
        shown = str(total) if total is not None else ""
        if "E" in shown or shown[:1] == "-":
            shown = plain(total)
        first = (csv_text(row_id) if row_id.startswith(_TRIGGERS) else row_id) if row_id else ""
        last = (csv_text(grade) if grade.startswith(_TRIGGERS) else grade) if grade else ""
        joined = ",".join(map(str, scores))
        digits = _DIGITS(joined) and joined.count(",") == len(scores) - 1
        if scores and digits and not error and not _QUOTED(first + last):
            # Every score written as `plain` writes it (digits and points; no text holding a
            # comma) and no cell the csv module would quote: the row is its cells joined, as
            # `writerow` joins them.
            append(f"{first},{joined},{shown},{last},\r\n")
        else:  # a sign, an exponent, None or text: each as `plain` and `csv_text` write it
            texts = [plain(c) if type(c) is Decimal or c is None else csv_text(str(c)) for c in scores]
            write([first, *texts, shown, last, csv_text(error) if error else ""])

    return line


_CHUNK_ROWS = 256


class _Appender:
    """A file for the csv module whose `write` appends to a list."""

    __slots__ = ("write",)

    def __init__(self, append: Callable[[str], None]) -> None:
        self.write = append


# Scores whose `str` is only digits and points are Decimals written as `plain` writes them
# (no sign, no exponent): a row of them, joined by commas, is checked at once, in C. None is
# "None", text is text. (A text score of digits alone, were there one, is written the same.)
_DIGITS = re.compile(r"[0-9.,]*").fullmatch
# What makes the csv module quote a cell (QUOTE_MINIMAL, `,` the delimiter, CRLF the line end).
_QUOTED = re.compile(r'[,"\r\n]').search


def _record(header: list[str], line: Line) -> dict[str, Any]:
    row_id, scores, total, grade, error = line
    return dict(zip(header, [row_id, *scores, total, grade, error], strict=True))


def _jsonl(lines: Iterable[Line], header: list[str], out: IO[str]) -> int:
    count = 0
    for line in lines:
        out.write(dumps(_record(header, line), indent=None) + "\n")
        count += 1
    return count


def _json(lines: Iterable[Line], header: list[str], out: IO[str]) -> int:
    count = 0
    out.write("[")
    for line in lines:
        out.write(("," if count else "") + "\n  " + dumps(_record(header, line), indent=None))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _xlsx(lines: Iterable[Line], header: list[str], path: str | Path, lang: Lang = "en") -> int:
    """The rows as a workbook, its sheet's XML written straight into the zip (`sheet`)."""
    import zipfile  # a workbook's only, as `sheet` is: a batch to CSV needs neither

    from pingfen.io.sheet import SHEET, parts, sheet_xml

    count = 0

    def counted() -> Iterator[Line]:
        nonlocal count
        for line in lines:
            count += 1
            yield line

    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in parts(lang).items():
            book.writestr(name, text)
        with book.open(SHEET, "w") as member:
            for chunk in sheet_xml(counted(), header, formula_like):
                member.write(chunk)
    return count


def worksheet(book: Workbook) -> Worksheet:
    """A new workbook's one worksheet. openpyxl types `book.active` as maybe a chart sheet or
    None, which a workbook made by `Workbook()` never holds; this says so once, checked."""
    from openpyxl.worksheet.worksheet import Worksheet

    sheet = book.active
    if not isinstance(sheet, Worksheet):
        raise TypeError(f"the workbook's active sheet is {type(sheet).__name__}, not a worksheet")
    return sheet


def no_formulas(book: Workbook) -> None:
    """Make every cell of a workbook safe (`safe_cell`): whatever reached it came from data or
    a rule file, and `=HYPERLINK(…)` typed into an id or a name must not run when it is opened."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                safe_cell(cell)


# What makes a spreadsheet read a cell as a formula (OWASP's list): `=`, `+`, `-`, `@`, tab, CR.
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TRIGGERS = _TRIGGERS  # for the DuckDB engine's query, which writes its CSV itself (engine._cells)


def formula_like(value: str) -> bool:
    """Text a spreadsheet would take for a formula; numbers such as `-5` stay numbers."""
    return value.startswith(_TRIGGERS) and to_decimal(value) is None


def csv_text(value: str) -> str:
    """Text as a CSV cell that Excel will not read as a formula (OWASP's leading quote).
    Every text cell pingfen writes to a CSV file goes through here, headers included."""
    return "'" + value if formula_like(value) else value


def safe_cell(cell: Cell | MergedCell) -> None:
    """An XLSX cell that cannot run: a formula becomes text, and text that looks like one gets
    Excel's quote prefix, so it shows as written and stays text when the cell is edited.
    Every workbook pingfen writes goes through here, cell by cell."""
    if cell.data_type == "f":
        cell.data_type = "s"
    if isinstance(cell.value, str) and formula_like(cell.value):
        cell.quotePrefix = True


def csv_unquote(value: str) -> str:
    """A header cell as `csv_text` wrote it, read back: a filled CSV template keeps its names."""
    return value[1:] if value.startswith("'") and formula_like(value[1:]) else value


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 less the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask

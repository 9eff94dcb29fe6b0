"""The one folder the workbench serves: every path a request names is resolved here.

A name is taken relative to the folder and resolved through every symbolic link, and `..`
as the system takes it (after the link before it); the result must still lie inside the
(resolved) folder, so `../x`, `sub/../../x`, `/etc/passwd` and a link that leads out are all
refused (PF850) before anything is opened, and so is a hidden file or folder (`.env`,
`.git/…`), by name or through a link (PF850's wording that says it is hidden). `sub/../a.rule`
is the folder's `a.rule`, but only as the system would open it: each folder before a `..` must
be there and be a folder (`nosuch/../a.rule` is PF851). Each file an `extends` names is
resolved by the same rule, by the loader itself, as it opens it (`Folder.base`).

A name is checked, then opened by name: a writer in the folder could swap a folder of the
path for a link out in between. So a file read is checked again after opening (`open`: where
the name leads now, that file's device and inode compared with the file opened, and on Linux
the system's name of the file opened), and a save checks, right before its rename, that the
folder its temporary file is in still lies inside (`saved_in`). Neither is proof against every
race: a writer who swaps at the right moments more than once can still win one.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from attrs import frozen

from pingfen.errors import PingfenError
from pingfen.io.records import DATA_SUFFIXES
from pingfen.lang import Lang
from pingfen.messages import message

RULE_SUFFIX = ".rule"
MAX_LISTED = 2000  # files listed; a folder of more is not a folder of rubrics
MAX_DEPTH = 4  # subfolders listed below the served one


class Denied(PingfenError):
    """A request the workbench will not do: a code (PF850…), the HTTP status to answer with,
    and the message's values."""

    def __init__(self, code: str, status: int, *, wording: str | None = None, **args: object) -> None:
        # `wording`: the code's second wording (messages.WORDINGS), kept out of the values
        self.code, self.status, self.args_, self.wording = code, status, args, wording
        super().__init__(message(code, "en", args, wording))

    def to_json(self, lang: Lang) -> dict[str, object]:
        return {"code": self.code, "message": message(self.code, lang, self.args_, self.wording)}


class Worded(Denied):
    """A request the workbench will not do, its message already worded in each language."""

    def __init__(self, code: str, status: int, texts: Mapping[Lang, str]) -> None:
        self.code, self.status, self.args_, self.texts, self.wording = code, status, {}, dict(texts), None
        PingfenError.__init__(self, self.texts["en"])

    def to_json(self, lang: Lang) -> dict[str, object]:
        return {"code": self.code, "message": self.texts[lang]}


class Folder:
    """The served folder: listing it and resolving names inside it."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve(strict=True)

    def resolve(self, name: str, *, exists: bool = True) -> Path:
        """The path of `name` (relative, `/`-separated) inside the folder, links followed.
        Raises Denied: PF861 when there is no name, PF850 when it leads outside or (its hidden
        wording) to a hidden file, PF851 when a folder before a `..` in it is none, or when
        `exists` and it is no file (the folder itself is none)."""
        return self.checked(name, exists=exists)[0]

    def checked(self, name: str, *, exists: bool = True) -> tuple[Path, os.stat_result | None]:
        """`resolve`'s path, and what the system said of the file when it was checked (None
        when it is not there), which `open` compares the file it opens with."""
        if not name:  # `` is outside the folder, it said: no file was named at all
            raise Denied("PF861", 400)
        relative = PurePosixPath(name.replace("\\", "/"))
        if "\x00" in name or relative.is_absolute():
            raise Denied("PF850", 403, path=name)
        try:
            # Through every link, and each `..` after the link before it, as the OS would open it:
            # where the name leads, not how it is spelt, is what must lie inside the folder.
            path = (self.root / relative).resolve()
            refused = None if path == self.root else self._refusal(path, name)
            if refused is None and _hidden(relative.parts):  # `.git/../a.rule`: inside, by a hidden name
                refused = Denied("PF850", 403, path=name, wording="hidden")
            if refused is not None:  # leading out is said first (`../.env`), whatever else is wrong with the name
                raise refused
            missing = self._not_folder(self.root, relative.parts, name)
            if missing is not None:
                raise Denied("PF851", 404, path=PurePosixPath(*relative.parts[: missing[0]]).as_posix(), wording="folder")
            if path == self.root:  # `sub/..`, `.`: the folder, inside it but no file
                raise Denied("PF851", 404, path=name)
            found = _stat(path)
            if _as_folder(name):  # `a.rule/`, `a.rule/.`: pathlib drops the end, the system answers ENOTDIR
                raise Denied("PF851", 404, path=relative.as_posix(), wording="folder" if found is None or not stat.S_ISDIR(found.st_mode) else None)
            if exists and (found is None or not stat.S_ISREG(found.st_mode)):
                raise Denied("PF851", 404, path=name)
        except (OSError, RuntimeError, ValueError):  # a name too long, a loop of links (RuntimeError before
            # Python 3.13), a name no file can have (a lone surrogate a page's JSON sent: a 500 before)
            raise Denied("PF851", 404, path=name) from None
        return path, found

    def _not_folder(self, start: Path, parts: tuple[str, ...], name: str) -> tuple[int, int] | None:
        """The first folder before a `..` of `parts` (below `start`) that is not there or is no
        folder, as how many parts lead to it and the system's answer (ENOENT, ENOTDIR), or None:
        the system refuses `nosuch/../a.rule` and `a.rule/../a.rule`, where the spelling alone
        (pathlib's resolve) read them as `a.rule`, and a save created it. PF850 when such a
        folder lies outside: nothing outside is asked whether it is there (`../nope/../x`).
        Names without `..` are not asked: a new file in a folder not made yet is checked and scored."""
        for at, part in enumerate(parts):
            if part != ".." or at == 0:
                continue
            before = start.joinpath(*parts[:at])
            inside = before.resolve()
            if inside != self.root and not inside.is_relative_to(self.root):
                raise Denied("PF850", 403, path=name)
            found = _stat(before)
            if found is None:
                return at, errno.ENOENT
            if not stat.S_ISDIR(found.st_mode):
                return at, errno.ENOTDIR
        return None

    def open(self, name: str) -> tuple[Path, BinaryIO]:
        """The file `name` names, opened for reading: Denied as `resolve`, and PF850 when the file
        opened is not the one the name leads to when checked again after opening (a folder of its
        path swapped for a link out in between): it takes two swaps at the right moments to beat
        that, and on Linux the system's own name of the file opened must lie inside too."""
        path, _ = self.checked(name)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)  # non-blocking: were it swapped for a FIFO, the open would wait for ever
        try:
            opened = os.fstat(fd)
            again, found = self.checked(name)  # after the open: where the name leads now (PF850 if out), what is there
            same = found is not None and (opened.st_dev, opened.st_ino) == (found.st_dev, found.st_ino)
            if again != path or not same or not self._opened_inside(fd):
                raise Denied("PF850", 403, path=name)
            return path, os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise

    def _opened_inside(self, fd: int) -> bool:
        """Whether the file open as `fd` lies inside the folder, not hidden, by the name the system
        keeps for it (Linux's /proc); True where the system keeps none to ask."""
        try:
            opened = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # no /proc (macOS, Windows, a container without it): the checks above stand
            return True
        return self._allowed(Path(opened))

    def saved_in(self, temporary: str, name: str) -> None:
        """Right before a save's rename: PF850 unless the folder its temporary file was made in
        (beside the target, as the system found it) still lies inside the folder, not hidden."""
        folder = Path(os.path.realpath(os.path.dirname(temporary)))
        if folder != self.root:
            refused = self._refusal(folder, name)
            if refused is not None:
                raise refused

    def base(self, where: Path, written: str) -> Path:
        """The loader's resolver (`loader.Resolver`): the file an `extends` names, to be opened,
        at whatever depth of a chain. Denied (PF850) when it leads outside the folder or to a
        hidden file: the loader would read it and show its lines in diagnostics. An OSError
        (ENOENT, ENOTDIR) when a folder before a `..` is not there or no folder, as `resolve`'s
        names: the loader says PF120, as where the system opens the file (`pingfen check`)."""
        try:
            resolved = where.resolve()
            refused = self._refusal(resolved, written)
            if refused is not None:
                raise refused
            # each folder before a `..` must be there, as where the system opens the file (the CLI):
            # an OSError, which the loader says as it says one of opening the file (PF120)
            missing = self._not_folder(Path(where.anchor), where.parts[1:], written)  # `where`: what the loader opens
        except (OSError, RuntimeError, ValueError):  # a loop of links, a name no file can have (a lone
            # surrogate, as `resolve` meets): the loader says why it cannot read it (PF120); a 500 before
            return where
        if missing is not None:
            raise OSError(missing[1], os.strerror(missing[1]), str(where))
        return resolved

    def shown(self, path: str) -> str:
        """A path of the folder as the page shows it: relative to the folder, `/`-separated."""
        try:
            return Path(os.path.normpath(path)).relative_to(self.root).as_posix()
        except ValueError:  # not a path of the folder (`<string>`): as it is
            return path

    def _allowed(self, resolved: Path) -> bool:
        """Whether a resolved path lies inside the folder, and is no hidden file nor in a hidden folder."""
        return self._refusal(resolved, "") is None

    def _refusal(self, resolved: Path, name: str) -> Denied | None:
        """Why a resolved path may not be opened (PF850: outside the folder, or hidden), or None."""
        if resolved == self.root or not resolved.is_relative_to(self.root):
            return Denied("PF850", 403, path=name)
        if _hidden(resolved.relative_to(self.root).parts):  # a link to `.env`: hidden, not outside
            return Denied("PF850", 403, path=name, wording="hidden")
        return None

    def listing(self) -> Mapping[str, list[str]]:
        """The rule files and data files, by relative name; hidden ones and links out left out."""
        rules: list[str] = []
        data: list[str] = []
        for path in self._walk(self.root, 0):
            name = path.relative_to(self.root).as_posix()
            if path.suffix == RULE_SUFFIX:
                rules.append(name)
            elif path.suffix.lower() in DATA_SUFFIXES:
                data.append(name)
            if len(rules) + len(data) >= MAX_LISTED:
                break
        return {"rules": sorted(rules), "data": sorted(data)}

    def _walk(self, folder: Path, depth: int) -> Iterator[Path]:
        try:
            entries = sorted(folder.iterdir())
        except OSError:  # unreadable subfolder: not listed
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                real = entry.resolve()
                if not self._allowed(real):  # a link out, or to a hidden file, is neither listed nor opened
                    continue
                if entry.is_dir() and not entry.is_symlink() and depth < MAX_DEPTH:
                    yield from self._walk(entry, depth + 1)
                elif entry.is_file():
                    yield entry
            except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13): not listed
                continue


def _stat(path: Path) -> os.stat_result | None:
    """What the system says of a path, through links; None when nothing is there (or a part of
    its folder is no folder)."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _hidden(parts: tuple[str, ...]) -> bool:
    """Whether a path (its parts, below the folder) names a hidden file or passes a hidden folder."""
    return any(part.startswith(".") and part not in (".", "..") for part in parts)


@frozen
class Place:
    """Where posted rule text stands: its file's path in the folder (it need not exist yet),
    and the folder, which the loader asks before it opens any file the text extends."""

    folder: Folder
    path: Path

    @property
    def name(self) -> str:
        """The file's path, as the loader is given it: `extends` is read beside it."""
        return str(self.path)


def _as_folder(name: str) -> bool:
    """Whether `name` is spelt as a folder's: ending in `/` or `/.` (either slash), which
    pathlib drops, so that `a.rule/.` read as `a.rule` where the system opens no file."""
    last = name.replace("\\", "/").rsplit("/", 1)
    return len(last) == 2 and last[1] in ("", ".")

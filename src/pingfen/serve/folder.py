"""The one folder the workbench serves: every path a request names is resolved here.

A name is taken relative to the folder and resolved through every symbolic link, and `..`
as the system takes it (after the link before it); the result must still lie inside the
(resolved) folder, so `../x`, `sub/../../x`, `/etc/passwd` and a link that leads out are all
refused (PF850) before anything is opened, and so is a hidden file or folder (`.env`,
`.git/…`), by name or through a link. `sub/../a.rule` is the folder's `a.rule`. Each file an `extends` names is
resolved by the same rule, by the loader itself, as it opens it (`Folder.base`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

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

    def __init__(self, code: str, status: int, **args: object) -> None:
        self.code, self.status, self.args_ = code, status, args
        super().__init__(message(code, "en", args))

    def to_json(self, lang: Lang) -> dict[str, object]:
        return {"code": self.code, "message": message(self.code, lang, self.args_)}


class Worded(Denied):
    """A request the workbench will not do, its message already worded in each language."""

    def __init__(self, code: str, status: int, texts: Mapping[Lang, str]) -> None:
        self.code, self.status, self.args_, self.texts = code, status, {}, dict(texts)
        PingfenError.__init__(self, self.texts["en"])

    def to_json(self, lang: Lang) -> dict[str, object]:
        return {"code": self.code, "message": self.texts[lang]}


class Folder:
    """The served folder: listing it and resolving names inside it."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve(strict=True)

    def resolve(self, name: str, *, exists: bool = True) -> Path:
        """The path of `name` (relative, `/`-separated) inside the folder, links followed.
        Raises Denied: PF861 when there is no name, PF850 when it leads outside or to a hidden
        file, PF851 when `exists` and it is no file (the folder itself is none)."""
        if not name:  # `` is outside the folder, it said: no file was named at all
            raise Denied("PF861", 400)
        relative = PurePosixPath(name.replace("\\", "/"))
        if "\x00" in name or relative.is_absolute() or _hidden(relative.parts):
            raise Denied("PF850", 403, path=name)
        try:
            # Through every link, and each `..` after the link before it, as the OS would open it:
            # where the name leads, not how it is spelt, is what must lie inside the folder.
            path = (self.root / relative).resolve()
            if path == self.root:  # `sub/..`, `.`: the folder, inside it but no file
                raise Denied("PF851", 404, path=name)
            if not self._allowed(path):
                raise Denied("PF850", 403, path=name)
            if exists and not path.is_file():
                raise Denied("PF851", 404, path=name)
        except (OSError, RuntimeError, ValueError):  # a name too long, a loop of links (RuntimeError before
            # Python 3.13), a name no file can have (a lone surrogate a page's JSON sent: a 500 before)
            raise Denied("PF851", 404, path=name) from None
        return path

    def base(self, where: Path, written: str) -> Path:
        """The loader's resolver (`loader.Resolver`): the file an `extends` names, to be opened,
        at whatever depth of a chain. Denied (PF850) when it leads outside the folder or to a
        hidden file: the loader would read it and show its lines in diagnostics."""
        try:
            resolved = where.resolve()
        except (OSError, RuntimeError, ValueError):  # a loop of links, a name no file can have (a lone
            # surrogate, as `resolve` meets): the loader says why it cannot read it (PF120); a 500 before
            return where
        if not self._allowed(resolved):
            raise Denied("PF850", 403, path=written)
        return resolved

    def shown(self, path: str) -> str:
        """A path of the folder as the page shows it: relative to the folder, `/`-separated."""
        try:
            return Path(os.path.normpath(path)).relative_to(self.root).as_posix()
        except ValueError:  # not a path of the folder (`<string>`): as it is
            return path

    def _allowed(self, resolved: Path) -> bool:
        """Whether a resolved path lies inside the folder, and is no hidden file nor in a hidden folder."""
        if resolved == self.root or not resolved.is_relative_to(self.root):
            return False
        return not _hidden(resolved.relative_to(self.root).parts)

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

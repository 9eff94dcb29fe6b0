"""The one folder the workbench serves: every path a request names is resolved here.

A name is taken relative to the folder and resolved through every symbolic link; the
result must still lie inside the (resolved) folder, so `../x`, `/etc/passwd` and a link
that leads out are all refused (PF850) before anything is opened.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from pingfen import ast
from pingfen.errors import PingfenError, RubricError
from pingfen.lang import Lang
from pingfen.loader import as_parsed, read_rule
from pingfen.messages import message
from pingfen.syntax.extends import MAX_EXTENDS
from pingfen.syntax.parser import parse

RULE_SUFFIX = ".rule"
DATA_SUFFIXES = (".csv", ".xlsx", ".json", ".jsonl", ".yaml", ".yml")
BATCH_SUFFIXES = (".csv", ".xlsx")
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


class Folder:
    """The served folder: listing it and resolving names inside it."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve(strict=True)

    def resolve(self, name: str, *, exists: bool = True) -> Path:
        """The path of `name` (relative, `/`-separated) inside the folder, links followed.
        Raises Denied: PF850 when it leads outside, PF851 when `exists` and it is no file."""
        relative = PurePosixPath(name.replace("\\", "/"))
        if not name or "\x00" in name or relative.is_absolute() or ".." in relative.parts:
            raise Denied("PF850", 403, path=name)
        try:
            path = (self.root / relative).resolve()  # through every link, as the OS would open it
            if path == self.root or not path.is_relative_to(self.root):
                raise Denied("PF850", 403, path=name)
            if exists and not path.is_file():
                raise Denied("PF851", 404, path=name)
        except (OSError, RuntimeError):  # a name too long, a loop of links (RuntimeError before Python 3.13)
            raise Denied("PF851", 404, path=name) from None
        return path

    def confine(self, text: str, path: Path) -> None:
        """Denied (PF850) when rule text at `path`, or a file it extends, extends a file outside
        the folder: the loader would read it, and show its lines in diagnostics."""
        for _ in range(MAX_EXTENDS + 1):
            if "extends" not in text:  # no parse for the common case, on every keystroke
                return
            module, _found = parse(as_parsed(text))  # as the loader will read it: a lone CR ends a comment
            bases = [item for item in module.items if isinstance(item, ast.Extends)] if module else []
            if not bases:
                return
            for base in bases[1:]:  # misplaced ones are errors the loader reports; none may lead out
                self._inside(path.parent / base.path, base.path)
            path = self._inside(path.parent / bases[0].path, bases[0].path)
            try:
                text = read_rule(path)
            except (OSError, RubricError):  # the loader says why (PF120, PF006)
                return

    def _inside(self, target: Path, written: str) -> Path:
        try:
            resolved = target.resolve()
        except (OSError, RuntimeError):  # a loop of links: the loader says why it cannot read it (PF120)
            return target
        if not resolved.is_relative_to(self.root):
            raise Denied("PF850", 403, path=written)
        return resolved

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
                if not real.is_relative_to(self.root):  # a link out is neither listed nor opened
                    continue
                if entry.is_dir() and not entry.is_symlink() and depth < MAX_DEPTH:
                    yield from self._walk(entry, depth + 1)
                elif entry.is_file():
                    yield entry
            except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13): not listed
                continue

"""The exceptions pingfen raises: one for bad rule files, one for bad data."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from attrs import field, frozen

from pingfen.diagnostics import Diagnostic
from pingfen.lang import Lang, checked, default_lang
from pingfen.messages import hint, message


class PingfenError(Exception):
    """Base of every error pingfen raises on purpose."""

    def __reduce__(self) -> tuple[object, ...]:
        # Exception's own reduce calls cls(*args): DataError(message) read the message as its
        # problems and failed, so an error could not come back from a process pool. Rebuilt
        # from its fields instead, without calling __init__.
        return (_rebuilt, (type(self), self.args, self.__dict__))


def _rebuilt(cls: type[PingfenError], args: tuple[object, ...], state: dict[str, object]) -> PingfenError:
    """An unpickled PingfenError: its args and fields as they were pickled."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class InternalError(PingfenError):
    """pingfen caught a bug in itself (two of its evaluators disagree): not the user's fault,
    so the command line reports it as any other bug, asking for a report."""


class UsageError(PingfenError):
    """A combination of command-line options that cannot work: the command exits 2 with the message."""

    def __init__(self, english: str, chinese: str) -> None:
        self.texts = {"en": english, "zh": chinese}
        super().__init__(english)

    def message(self, lang: Lang = "zh") -> str:
        return self.texts[checked(lang)]  # "zh-CN": a ValueError as everywhere, not a KeyError


class EmptyDomain(PingfenError, ValueError):
    """An input that can take no value on its data steps (the checker's PF415): records
    cannot be drawn for it, so `pingfen fuzz` has nothing to search. `.input` names it."""

    def __init__(self, input: str) -> None:
        self.input = input
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "zh") -> str:
        if checked(lang) == "zh":
            return f"输入项 `{self.input}` 在数据步长上没有可取的值（取值范围为空，PF415），无法随机检验：请先修正它的上下限"
        return (f"input `{self.input}` has no value on its data steps (its domain is empty, PF415), "
                "so no record can be drawn to fuzz: fix its bounds first")  # fmt: skip


class RubricError(PingfenError):
    """A rule file that cannot be loaded. `.diagnostics` lists every problem found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__(self.describe("en"))

    def describe(self, lang: Lang = "en") -> str:
        """The first error, where it is, and how many more: one line."""
        errors = [d for d in self.diagnostics if d.severity == "error"]
        first = errors[0] if errors else self.diagnostics[0]
        more = ""
        if len(errors) > 1:
            more = f"（另有 {len(errors) - 1} 个错误）" if lang == "zh" else f" ... and {len(errors) - 1} more"
        return f"{first.location()}: {first.code}: {first.message(lang)}{more}"

    def __str__(self) -> str:
        # In the run's language (中文 unless the locale asks for English), as DataError's.
        return self.describe(default_lang())

    def render(self, lang: Lang = "en") -> str:
        return "\n\n".join(d.render(lang) for d in self.diagnostics)


@frozen
class Problem:
    """One thing wrong with a record: a code, the input concerned, and the message's values."""

    code: str
    input: str | None
    args: Mapping[str, object] = field(factory=dict, hash=False)
    hint: str | None = None

    def message(self, lang: Lang = "en") -> str:
        return message(self.code, lang, self.args)

    def help(self, lang: Lang = "en") -> str | None:
        checked(lang)  # with no hint too: "zh-CN" is refused as message's is, not None
        return hint(self.hint, lang, self.args) if self.hint else None

    def filed(self) -> Problem:
        """This problem as an output writes it (a batch's error column, a summary workbook): a file
        it names (PF534's workbook) by its name alone, since an output is handed to others and the
        folders the command line gave are the user's own."""
        path = self.args.get("path")
        if not isinstance(path, str) or os.path.basename(path) in ("", path):
            return self
        return Problem(self.code, self.input, {**self.args, "path": os.path.basename(path)}, self.hint)

    def brief(self, lang: Lang = "en") -> str:
        """`CODE: message` on one line, as a batch's error column and standard error give it; with
        the column a missing input is likely misspelt as (or only spaced unlike), what to do with a
        formula never calculated or a cell merged, or the number alone for a `5分`, which those lines would otherwise drop."""
        said = f"{self.code}: {self.message(lang)}"
        if self.hint in ("did_you_mean_key", "spaced_key", "uncomputed_formula", "merged_cell", "merged_header", "may_be_na", "number_alone"):  # what to do, where only this line is shown
            said += f"（{self.help(lang)}）" if lang == "zh" else f" ({self.help(lang)})"
        return said


class RowLabel(str):
    """A refused record's label when it is a data file's row with no id: the row's number in
    the file (the header is row 1; a JSON Lines file's line). It is worded in the message's
    language (`第 3 行`, `row 3`); as a str, in English."""

    number: int

    def __new__(cls, number: int) -> RowLabel:
        label = super().__new__(cls, f"row {number}")
        label.number = number
        return label

    def __reduce__(self) -> tuple[type[RowLabel], tuple[int]]:  # str's would hand __new__ the text
        return RowLabel, (self.number,)

    def said(self, lang: Lang) -> str:
        return f"第 {self.number} 行" if lang == "zh" else f"row {self.number}"


def _label(record: str, lang: Lang) -> str:
    return record.said(lang) if isinstance(record, RowLabel) else record


class DataError(PingfenError):
    """A record that cannot be scored: missing, ill-typed or out-of-domain inputs,
    a zero divisor, or a value no band takes. `.problems` lists them; `.input` names
    the first input concerned; `.record` is the record's id when one is known."""

    def __init__(self, problems: Sequence[Problem], record: str | None = None) -> None:
        self.problems = list(problems)
        self.record = record
        super().__init__(self.describe("en"))

    def __str__(self) -> str:
        # In the run's language (中文 unless the locale asks for English), as its reasons are.
        return self.describe(default_lang())

    @property
    def input(self) -> str | None:
        return self.problems[0].input if self.problems else None

    @property
    def code(self) -> str:
        return self.problems[0].code

    def describe(self, lang: Lang = "en", *, filed: bool = False) -> str:
        """The problems on one line; `filed`, as an output writes them (`Problem.filed`)."""
        where = f"[{_label(self.record, lang)}] " if self.record is not None else ""
        return "; ".join(f"{where}{(p.filed() if filed else p).brief(lang)}" for p in self.problems)

    def render(self, lang: Lang = "en") -> str:
        lines = []
        word = "错误" if lang == "zh" else "error"
        for p in self.problems:
            record = ""
            if isinstance(self.record, RowLabel):  # "记录 第 3 行" would say it twice
                record = f" ({self.record.said(lang)})"
            elif self.record is not None:
                record = f" ({'记录' if lang == 'zh' else 'record'} {self.record})"
            lines.append(f"{word}[{p.code}]: {p.message(lang)}{record}")
            help_text = p.help(lang)
            if help_text:
                lines.append(f"  = {'帮助' if lang == 'zh' else 'help'}: {help_text}")
        return "\n".join(lines)


class OutputError(PingfenError):
    """An output pingfen will not or cannot write: it is one of the command's inputs, a
    directory, in a directory it may not write to, or the device is full. Nothing was written."""

    def __init__(self, code: str, path: str, values: Mapping[str, object] | None = None, hint: str | None = None) -> None:
        self.code = code
        self.path = path
        self.values: dict[str, object] = {"path": path, **(values or {})}
        self.hint = hint
        super().__init__(f"{code}: {self.message('en')}")

    def __str__(self) -> str:  # in the run's language, as DataError's
        return f"{self.code}: {self.message(default_lang())}"

    def message(self, lang: Lang = "en") -> str:
        from pingfen.messages import message

        return message(self.code, lang, self.values)

    def help(self, lang: Lang = "en") -> str | None:
        from pingfen.messages import hint

        checked(lang)  # with no hint too
        return hint(self.hint, lang, self.values) if self.hint else None

    def render(self, lang: Lang = "en") -> str:
        text = f"{'错误' if lang == 'zh' else 'error'}[{self.code}]: {self.message(lang)}"
        help_text = self.help(lang)
        return text if help_text is None else f"{text}\n  = {'帮助' if lang == 'zh' else 'help'}: {help_text}"

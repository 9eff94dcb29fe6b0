"""Text values (every cell of a CSV) read as exact values on a fast path.

A cell written plainly — `12`, `-3.5`, `95%`, `是`, a label exactly as declared — is read
here as `values.coerce` reads it; any other text (spaces, thousands separators, full-width
digits, exponents, a blank) gives None, and the record takes the general path, which reads
the same text the same way or reports the problem. Bounds, counts, ratio limits and the
exponent limit are then checked by the generated code, as for any exact value, which sends
a record it cannot take down the general path too: nothing is decided here that `coerce`
would decide otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from pingfen.values import _FALSE, _TRUE, CONTEXT, LIMIT, MAX_NUMBER_TEXT, hundredth

_HUNDRED = Decimal(100)

# A subset of what `values.number_text` accepts, read by Decimal() exactly as it reads it.
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch
_BOOL = {**dict.fromkeys(_FALSE, False), **dict.fromkeys(_TRUE, True)}

# How each input's text is read.
_NUMBER, _PERCENT, _FLAG, _LABEL = range(4)
_UNSEEN = object()
_KEPT = 20_000  # texts kept per kind of input by a batch's reader: a few MB at most

Reader = Callable[[Mapping[str, object]], dict[str, object] | None]
CellReader = Callable[[Sequence[str]], dict[str, object] | None]


def reader(inputs: tuple[tuple[str, str, tuple[str, ...]], ...]) -> Reader:
    """A function from a record to the same record with its plain text values read, or
    None when some value needs the general path. `inputs` are (name, type, labels)."""
    plan = tuple((name, *_kind(kind, labels)) for name, kind, labels in inputs)

    def read(data: Mapping[str, object]) -> dict[str, object] | None:
        out: dict[str, object] = {}
        get = data.get
        for name, kind, labels in plan:
            raw = get(name)
            if type(raw) is str:
                if kind == _NUMBER:  # the commonest, inline
                    if len(raw) > MAX_NUMBER_TEXT or not _PLAIN(raw):
                        return None
                    out[name] = Decimal(raw)
                    continue
                value = _read(raw, kind, labels)
                if value is None:
                    return None
                out[name] = value
            elif raw is None:  # missing: the general path says so
                return None
            else:  # a number or a bool already: the generated code reads it
                out[name] = raw
        return out

    return read


def cell_reader(inputs: tuple[tuple[str, str, tuple[str, ...]], ...], columns: Sequence[str]) -> CellReader | None:
    """`reader` for a CSV row as the csv module gives it, its cells in `columns` order (as
    many as there are columns): the same values `reader` reads from the row made a record
    (cells stripped, blanks missing), or None where it needs the general path. A cell with
    spaces around is not plain here and takes that path. None (no reader) when an input
    has no column of its own (a panel's numbered columns, or a missing input)."""
    at = {name: i for i, name in enumerate(columns) if name}
    if any(name not in at for name, _, _ in inputs):
        return None
    plan = tuple((name, at[name], *_kind(kind, labels)) for name, kind, labels in inputs)
    plan = tuple((name, i, kind, labels - {""}) for name, i, kind, labels in plan)  # a blank cell is missing

    # A column's cells repeat (0, 1, 5.00, 是): each text is read once, kept with its value
    # (None: not plain) per kind of input, up to _KEPT texts. Decimals are immutable.
    known = {_NUMBER: _Texts(_NUMBER), _PERCENT: _Texts(_PERCENT), _FLAG: _Texts(_FLAG)}
    known[_FLAG].update(_BOOL)  # 是/否 as written; another text as `_read` reads it (lower-cased)
    # The reader is written out for this plan, one input after another: no loop over the plan,
    # no test of each input's kind per cell. Its text holds only positions and fixed names:
    # the inputs' names and labels are values in its scope, never written into the code.
    scope: dict[str, object] = {}
    lines = ["def read(c):"]
    for j, (name, i, kind, labels) in enumerate(plan):
        scope[f"k{j}"] = name
        if kind == _LABEL:
            scope[f"l{j}"] = labels
            lines += [f" v{j} = c[{i}]", f" if v{j} not in l{j}: return None"]
        else:
            scope[f"t{j}"] = known[kind]
            lines += [f" v{j} = t{j}[c[{i}]]", f" if v{j} is None: return None"]
    lines.append(" return {" + ", ".join(f"k{j}: v{j}" for j in range(len(plan))) + "}")
    exec(compile("\n".join(lines), "<pingfen cell reader>", "exec"), scope)  # noqa: S102 - positions and fixed names only
    read: CellReader = scope["read"]  # type: ignore[assignment]  # the function just written
    return read


class _Texts(dict[str, object]):
    """A kind of input's texts read so far, each with its value (None: not plain); a text not
    seen is read as `_read` reads it, and kept while there are fewer than _KEPT."""

    def __init__(self, kind: int) -> None:
        super().__init__()
        self.kind = kind

    def __missing__(self, raw: str) -> object:
        value = _read(raw, self.kind, frozenset())
        if len(self) < _KEPT:
            self[raw] = value
        return value


def _kind(kind: str, labels: tuple[str, ...]) -> tuple[int, frozenset[str]]:
    if kind == "bool":
        return _FLAG, frozenset()
    if kind == "label":  # `coerce` strips the text first: only labels without spaces around match as they are
        return _LABEL, frozenset(label for label in labels if label == label.strip())
    return (_PERCENT if kind == "percent" else _NUMBER), frozenset()


def _read(raw: str, kind: int, labels: frozenset[str]) -> object:
    if kind == _NUMBER:
        return Decimal(raw) if len(raw) <= MAX_NUMBER_TEXT and _PLAIN(raw) else None
    if kind == _PERCENT:
        if raw[-1:] != "%":
            return Decimal(raw) if len(raw) <= MAX_NUMBER_TEXT and _PLAIN(raw) else None
        body = raw[:-1]
        if len(body) > MAX_NUMBER_TEXT or not _PLAIN(body):
            return None
        number = Decimal(body)
        if number and abs(number.adjusted()) > LIMIT:  # `to_percent` keeps it undivided, to refuse it
            return None
        # at most 28 characters, at most 28 digits: the plain division is exact (no as_tuple per cell)
        return CONTEXT.divide(number, _HUNDRED) if len(body) <= CONTEXT.prec else hundredth(number)
    if kind == _FLAG:  # `coerce` reads raw.strip().lower(): the same text when there is nothing to strip
        return _BOOL.get(raw.lower())
    return raw if raw in labels else None

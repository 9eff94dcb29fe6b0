"""How pingfen shows a number, and how wide text is in a terminal: one form everywhere.

A Decimal's exponent records how it was computed (5 - 2.0 is `3.0`, 0.5 × 4 is `2.0`),
not what it is worth, so equal scores could print as `3` and `3.0`. Every score pingfen
shows or returns is therefore in one canonical form (`canonical`, `plain`): every digit
kept, no trailing zeros after the point, never an exponent, never `-0`. `number` is that
form rounded to two decimals for a reader (tables, reasons); data outputs (CSV, JSON, XLSX)
keep every digit. The one number kept with its zeros is the total, which the rubric rounds
to a fixed number of places (`87.00`): `digits` writes it as it is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    InvalidOperation,
    Overflow,
)

__all__ = ["canonical", "canonical_unsigned", "canonicals", "cents", "digits", "normalized", "number", "plain", "rounded",
           "rounded_parts", "unsigned", "width"]


def canonical(value: Decimal) -> Decimal:
    """The same value with no trailing zeros after the point and no positive exponent:
    `3.0` → `3`, `2.50` → `2.5`, `2E+1` → `20`, `-0` → `0`. Exact: only zeros are dropped
    (unlike `normalize()` in a usual context, which rounds to its precision and writes `2E+1`)."""
    try:
        return _CANON.normalize(_CANON.plus(value))
    except DecimalException:  # a signalling NaN: as it is
        return _canonical(value)


def _canonical(value: Decimal) -> Decimal:
    """canonical() another way, kept for the tests: normalized in a context of every digit,
    an integer whose zeros became an exponent quantized back."""
    if not value.is_finite():
        return value
    shortest = value.normalize(_EXACT)  # trailing zeros dropped; 20 is then 2E+1
    if not shortest:
        return Decimal()  # 0, whatever the sign and exponent were
    # 10 or more: an integer may have had its zeros made an exponent, which str() then shows
    if shortest.adjusted() > 0 and "E" in str(shortest):
        return shortest.quantize(_ONE, context=_EXACT)
    return shortest


def canonicals(values: Sequence[Decimal]) -> list[Decimal]:
    """canonical() of each value (a result's scores), in C: two unary operations each, with no
    Python call per score (a context's unary methods take one argument; `add` parses a tuple,
    and cost twice as much as these two together)."""
    try:
        return list(map(_CANON.normalize, map(_CANON.plus, values)))
    except DecimalException:  # a signalling NaN: one at a time, as canonical() does
        return [canonical(value) for value in values]


def normalized(values: Sequence[Decimal]) -> list[Decimal]:
    """canonicals() of values none of which is -0 (a rubric's scores, when its code proves it:
    `Layout.unsigned`): normalizing alone, a third quicker."""
    try:
        return list(map(_CANON.normalize, values))
    except DecimalException:  # a signalling NaN: one at a time, as canonical() does
        return [canonical(value) for value in values]


_ONE = Decimal(1)
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
# Every digit kept (no score has that many), and an exponent of at most 0: with `clamp`, the
# largest exponent is Emax - prec + 1, so normalizing here writes 2E+1 as 20 at once, and
# `plus` writes -0 as 0. Only a signalling NaN traps; nothing else can (Emax is out of reach).
_CANON = Context(prec=MAX_PREC, Emax=MAX_PREC - 1, Emin=MIN_EMIN, clamp=1, traps=[InvalidOperation, Overflow])


# canonical() in one C call of a value that is not -0 (nor a signalling NaN): a score the
# scoring code works out where no -0 can arise, or any score of an unsigned layout
canonical_unsigned = _CANON.normalize
# -0 made 0, every other value as it is, in C: canonical_unsigned(unsigned(x)) is canonical(x)
unsigned = _CANON.plus


def digits(value: Decimal) -> str:
    """A Decimal digit for digit as it is, zeros kept (`87.00`), never an exponent, never `-0`."""
    if not value.is_finite():
        return str(value)
    return format(value.copy_abs() if value.is_zero() else value, "f")


def plain(value: Decimal) -> str:
    """A Decimal digit for digit in the canonical form: `3`, `2.5`, `0.125`, `20`, never `3.0`."""
    return digits(canonical(value))


_CENT = Decimal("0.01")
_ROOM = Context(prec=28, rounding=ROUND_HALF_UP)
_SHOWN: dict[Decimal, str] = {}  # number() of values already shown: it depends on the value alone


def number(value: Decimal) -> str:
    """For a reader: at most 2 decimals, half up, in the canonical form: 1.25, 4.17, 3."""
    if value.is_finite():
        text = str(value)  # in C; without an exponent, the digits as they are
        if "E" not in text:
            point = text.find(".")
            if point >= 0 and len(text) - point > 3:  # more than 2 decimals: rounded in C
                return cents(value)
            return rounded(text, 2)
    return _number(value)


# Half up, with room for every digit a value written without an exponent has (and two more).
_HALF_UP = Context(prec=MAX_PREC, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)


def cents(value: Decimal) -> str:
    """number() of a finite value that str() writes without an exponent: quantized half up
    in C and its zeros dropped, where rounding its digits in Python (`rounded`) costs
    three times as much for a quotient's 28 digits."""
    text = str(_HALF_UP.quantize(value, _CENT))  # two decimals: never an exponent
    text = text.rstrip("0").rstrip(".")  # the point stops the first strip: 10.00 is 10
    return "0" if text == "-0" else text


def rounded(text: str, places: int) -> str:
    """str() of a finite Decimal written without an exponent, rounded half up to at most
    `places` decimals and in the canonical form, by arithmetic on its digits: a quantize in
    a context of its own costs several times more."""
    head, _, tail = text.partition(".")
    return rounded_parts(head, tail, places)


def rounded_parts(head: str, tail: str, places: int) -> str:
    """rounded() of the digits before the point (with the sign) and after it."""
    if len(tail) <= places:  # nothing to round: the zeros dropped
        kept = tail.rstrip("0")
    else:
        kept = tail[:places]
        if tail[places] >= "5":  # half up: one more in the last place kept (away from 0)
            if kept.count("9") == places:  # …999 carries into the whole part: as one integer
                negative = head[0] == "-"
                whole = int(head[1:] if negative else head) * 10**places + int(kept or "0") + 1
                digits = str(whole).rjust(places + 1, "0")
                head = ("-" if negative else "") + digits[: len(digits) - places]
                kept = digits[len(digits) - places :]
            else:
                kept = str(int(kept) + 1).rjust(places, "0")
        kept = kept.rstrip("0")
    shown = head + "." + kept if kept else head
    return "0" if shown == "-0" else shown


def _number(value: Decimal) -> str:
    """number() of a value str() writes with an exponent (1E+2, 1E-7, huge or tiny), or not finite."""
    if not value.is_finite():
        return str(value)
    shown = _SHOWN.get(value)
    if shown is not None:
        return shown
    adjusted = value.adjusted()  # room for every digit of a huge value
    room = _ROOM if adjusted < 24 else Context(prec=adjusted + 4, rounding=ROUND_HALF_UP)
    shown = plain(value.quantize(_CENT, context=room))
    if len(_SHOWN) >= 4096:
        _SHOWN.clear()
    _SHOWN[value] = shown
    return shown


def width(text: str) -> int:
    """Display columns in a terminal: CJK (wide and full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

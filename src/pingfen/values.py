"""Input values → exact Decimals, bools and labels.

Conventions (see docs/language.md, "Data"): a number, or a string holding one, is a
ratio for a percent input; a string ending in `%` is a percent (`"95%"` is 0.95);
bools accept true/false, 是/否, yes/no and 1/0. A float is converted through its
shortest repr (`str`), never `Decimal(float)`.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal, InvalidOperation

from pingfen.errors import Problem

# The context scoring runs in: quotients carry 28 significant digits, and anything
# invalid is an error, never NaN.
CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
# Beyond this, a value is a typo (1e999999), and arithmetic on it would overflow.
LIMIT = 100  # decimal exponent

_TRUE = {"true", "yes", "y", "是", "对", "有", "1", "√", "✓"}
_FALSE = {"false", "no", "n", "否", "错", "无", "0", "×", "✗"}


def show(raw: object) -> str:
    """A value as it should appear in an error: strings quoted, numbers plain."""
    if isinstance(raw, str):
        return f'"{raw}"'
    if isinstance(raw, Decimal):
        return format(raw, "f")
    return repr(raw)


def to_decimal(raw: object) -> Decimal | None:
    """An exact Decimal for a number or numeric string, else None (bools are not numbers)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        value = Decimal(str(raw))
        return value if value.is_finite() else None
    if isinstance(raw, str):
        text = raw.strip().replace("，", ",")
        if "," in text:  # only well-formed thousands groups: "1,4" is a typo, not 14
            if not _THOUSANDS.fullmatch(text):
                return None
            text = text.replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None
        return value if value.is_finite() else None
    return None


def to_percent(raw: object) -> Decimal | None:
    """A ratio: `0.95`, `"0.95"` and `"95%"` all give 0.95."""
    if isinstance(raw, str):
        text = raw.strip()
        if text.endswith(("%", "％")):
            number = to_decimal(text[:-1])
            return None if number is None else number / 100
    return to_decimal(raw)


def to_bool(raw: object) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, Decimal) and not raw.is_finite():
        return None
    if isinstance(raw, (int, Decimal)) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    return None


def coerce(name: str, kind: str, raw: object, labels: tuple[str, ...] = ()) -> Decimal | bool | str | Problem:
    """The value of input `name` of type `kind`, or the Problem that stops it."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Problem("PF501", name, {"input": name})
    if kind == "bool":
        flag = to_bool(raw)
        if flag is None:
            return Problem("PF502", name, {"input": name, "value": show(raw), "expected": "bool"})
        return flag
    if kind == "label":
        text = str(raw).strip()
        if text not in labels:
            return Problem("PF506", name, {"input": name, "value": show(raw), "labels": "、".join(labels)})
        return text
    value = to_percent(raw) if kind == "percent" else to_decimal(raw)
    if value is None:
        return Problem("PF502", name, {"input": name, "value": show(raw), "expected": kind})
    if value and abs(value.adjusted()) > LIMIT:
        return Problem("PF503", name, {"input": name, "value": show(raw), "domain": f"10^-{LIMIT} … 10^{LIMIT}"})
    if kind == "count" and (value != value.to_integral_value() or value < 0):
        return Problem("PF503", name, {"input": name, "value": show(raw), "domain": "0, 1, 2, …"})
    if kind == "amount" and value < 0:
        return Problem("PF503", name, {"input": name, "value": show(raw), "domain": ">= 0"})
    return value

"""Input values → exact Decimals, bools and labels; and the language's arithmetic
(its context, comparisons, roundings and clamp), which every evaluator shares.

Conventions (see docs/language.md, "Data"): a number, or a string holding one, is a
ratio for a percent input; a string ending in `%` is a percent (`"95%"` is 0.95); a bare
number beyond ±1 is ambiguous there (`ratio_limits`, PF523);
bools accept true/false, 是/否, yes/no and 1/0. A float is converted through its
shortest repr (`str`), never `Decimal(float)`.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import operator
import re
import reprlib
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Literal, ParamSpec, TypeVar

from pingfen.display import plain
from pingfen.errors import Problem
from pingfen.terminal import invisible_escaped

# The context scoring runs in: quotients carry 28 significant digits, and anything
# invalid is an error, never NaN.
CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

# The language's arithmetic, stated once for both evaluators and the checker (which
# share these, and nothing else, so the oracle test keeps its value).
ZERO = Decimal(0)
# The comparisons, by their spelling in a rule; the code generator spells them in Python
# from this table. NEGATION: `not (a op b)` is `a NEGATION[op] b`; CONVERSE: `a op b` is
# `b CONVERSE[op] a`.
COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
NEGATION = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
CONVERSE = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
# `round total N places <mode>`: the header's word → the decimal rounding.
ROUNDING = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_down": decimal.ROUND_HALF_DOWN,
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "ceiling": decimal.ROUND_CEILING,
    "floor": decimal.ROUND_FLOOR,
}
PLACES = 2  # a total's decimals when the header says nothing
# `counting whole|started` of a deduction per step → how its count of steps is rounded
# (proportional, the default, is not rounded).
COUNTING = {"whole": decimal.ROUND_FLOOR, "started": decimal.ROUND_CEILING}

Clamp = Literal["low", "high"] | None


# A panel's values (`input 专家评分: list of score`) summed up, exactly: the quotient of a mean
# carries CONTEXT's 28 significant digits, like any division. `trimmed_mean` drops one highest
# and one lowest value (去掉一个最高分和一个最低分), so it needs three; the others one.
def _mean(xs: tuple[Decimal, ...]) -> Decimal:
    return CONTEXT.divide(sum(xs, ZERO), len(xs))


def _median(xs: tuple[Decimal, ...]) -> Decimal:
    ordered, half = sorted(xs), len(xs) // 2
    return ordered[half] if len(xs) % 2 else CONTEXT.divide(ordered[half - 1] + ordered[half], 2)


AGGREGATES: dict[str, Callable[[tuple[Decimal, ...]], Decimal]] = {
    "mean": _mean,
    "median": _median,
    "trimmed_mean": lambda xs: _mean(tuple(sorted(xs)[1:-1])),
    "count": lambda xs: Decimal(len(xs)),
    "min": min,
    "max": max,
}
AGGREGATE_LEAST = {"trimmed_mean": 3}  # the fewest values each needs, when more than one

# A date is its day number, as Excel counts (1900 date system): 2024-03-31 is 45382, so a
# date cell read as a number, a date read from text and one read from a datetime agree, and
# `days(a, b)` is b - a.
EPOCH = datetime.date(1899, 12, 30)
FIRST_DAY, LAST_DAY = 1, 2958465  # 1900-01-01 … 9999-12-31
_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)


def day_number(day: datetime.date) -> Decimal:
    return Decimal((day - EPOCH).days)


def calendar_day(number: Decimal) -> datetime.date:
    return EPOCH + datetime.timedelta(days=int(number))


def to_date(raw: object) -> Decimal | None:
    """A date's day number from `2024-03-31`, `2024/3/31`, `2024.3.31`, `2024年3月31日` (a time
    after it is ignored), a date or datetime (an XLSX date cell), or a whole day number."""
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        return day_number(raw)
    if isinstance(raw, str):
        m = _DATE_TEXT.fullmatch(raw.strip())
        if m is None:
            raw = to_decimal(raw) if number_text(raw.strip()) is not None else None
        else:
            try:
                return day_number(datetime.date(*(int(g) for g in m.groups())))
            except ValueError:  # 2024-02-30
                return None
    if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
        number = Decimal(raw)
        if number.is_finite() and number == number.to_integral_value() and FIRST_DAY <= number <= LAST_DAY:
            return number
    return None


def _months(a: Decimal, b: Decimal) -> Decimal:
    """Calendar months from date a to date b: whole months (the same day of a later month, or
    that month's last day when it is shorter), then the days left over as a fraction of the
    month they fall in (from the last whole month's date to the same day one month on).
    2024-01-31 → 2024-02-29 is 1; 2024-03-15 → 2024-04-30 is 1 + 15/30. Negative when b is before a."""
    if b < a:
        return -_months(b, a)
    start, end = calendar_day(a), calendar_day(b)
    if end.year == datetime.MAXYEAR:  # the month after 9999-12 has no date: the Gregorian calendar repeats every 400 years
        start, end = start.replace(year=start.year - 400), end.replace(year=end.year - 400)
    whole = (end.year - start.year) * 12 + end.month - start.month
    if _shifted(start, whole) > end:
        whole -= 1
    here, there = _shifted(start, whole), _shifted(start, whole + 1)
    return whole + CONTEXT.divide(Decimal((end - here).days), Decimal((there - here).days))


def _shifted(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the last day of that month when it has no such day."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    import calendar  # only `months` of a date: its own imports (locale) cost more than it

    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


DURATIONS: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "days": lambda a, b: b - a,
    "months": _months,
}


def total_rounding(places: Decimal | None, mode: str) -> tuple[Decimal, str]:
    """The quantum and rounding of a total: `places` decimals (PLACES when not given), in `mode`."""
    return Decimal(1).scaleb(-int(PLACES if places is None else places)), ROUNDING[mode]


# A quotient that does not end (50 ÷ 96) is carried to 28 significant digits (a query's to 20
# decimals), so a value made of one can lie a hair from the decimal it exactly is: min(50/96,
# 100%) × 30 is 15.625, carried as 15.62499…. Every rounding the language makes (a total, a
# `round N`, `round(x, N)`, a step count's `counting whole|started`) therefore first settles the
# value to SETTLE_PLACES decimals, half up, and then rounds it as the rubric says: a tie reached
# through a quotient rounds as the tie it is. docs/language.md §7 ("A tie reached through a quotient …") states it.
SETTLE_PLACES = 16
SETTLE = Decimal(1).scaleb(-SETTLE_PLACES)
# Room for any value a record can bring to a rounding (inputs are within 10^±100, LIMIT below).
SETTLING = decimal.Context(
    prec=1000,
    rounding=decimal.ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def settled(value: Decimal) -> Decimal:
    """`value` to SETTLE_PLACES decimals, half up: what a rounding rounds. A value too large for
    that (no digit of it lies there anyway: it holds 28 digits at most) is itself."""
    try:
        return value.quantize(SETTLE, context=SETTLING)
    except decimal.InvalidOperation:
        return value


def rounded(value: Decimal, quantum: Decimal, rounding: str) -> Decimal:
    """The language's rounding of `value` to `quantum` in `rounding` (from total_rounding): settled
    first, then rounded, with room for every digit up to the quantum: 10^25 to 4 places has 30,
    which the 28 digits of the scoring context would refuse (InvalidOperation, PF507)."""
    return settled(value).quantize(quantum, rounding=rounding, context=SETTLING)


def counted(steps: Decimal, rounding: str) -> Decimal:
    """A step count rounded to a whole number (`counting whole` floors it, `started` raises it),
    settled first."""
    return settled(steps).to_integral_value(rounding=rounding)


def at_precision(value: Decimal, precision: Decimal) -> Decimal | None:
    """A value rounded half up to an input's declared precision (`precision 0.01%`: to
    0.0001), so 0.9699999999999999 is 0.9700; None when it has more digits than 28 can
    hold at that precision."""
    try:
        return value.quantize(precision, rounding=decimal.ROUND_HALF_UP, context=CONTEXT)
    except decimal.InvalidOperation:
        return None


def clamp(raw: Decimal, top: Decimal, floor: Decimal = ZERO) -> tuple[Decimal, Clamp]:
    """A score kept within [floor, top] (扣完为止: floor 0; an adjust row's is its lower end, −2
    in `adjust 加减分 -2 .. +2`), and which side it was held at, if any."""
    if raw < floor:
        return floor, "low"
    if raw > top:
        return top, "high"
    return raw, None


def settle(total: Decimal, counted: tuple[Decimal, ...], cap: Decimal | None) -> Decimal:
    """The total once the rows outside the tree count (a bonus its score, a penalty minus its
    lost points): never below 0 (扣完为止), never above the cap (加分后总分不超过…)."""
    total = sum(counted, total)
    if total < 0:
        return ZERO
    return cap if cap is not None and total > cap else total


def graded(
    total: Decimal, grades: tuple[tuple[str, str | None, Decimal | None], ...], holds: tuple[bool, ...],
    below: tuple[str | None, ...], forced: tuple[str | None, ...],
) -> str | None:
    """The grade of a total where grades carry conditions (`holds`, one per grade) and vetoes
    fired: the first forced grade, else the first grade the total reaches whose condition
    holds, after every grade a `below` veto bars (不得评为优秀: that grade and those above)."""
    for name in forced:
        if name is not None:
            return name
    names = [g[0] for g in grades]
    floor = max((names.index(b) for b in below if b is not None), default=-1)
    for i, ((name, op, threshold), ok) in enumerate(zip(grades, holds, strict=True)):
        if i > floor and ok and (op is None or threshold is None or COMPARE[op](total, threshold)):
            return name
    return None


_THOUSANDS = {sep: re.compile(rf"[+-]?[0-9]{{1,3}}({sep}[0-9]{{3}})+(\.[0-9]+)?") for sep in ",_"}
# The one form of a number in text: ASCII digits (full-width ones are made ASCII first),
# a point, an exponent. Decimal() alone also takes `1_2`, `٣` and `Infinity`.
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋−", "0123456789.-+-")  # − is U+2212, the minus sign Word writes
# Beyond this, a value is a typo (1e999999), and arithmetic on it would overflow.
LIMIT = 100  # decimal exponent
# Longer number text is refused unread: no real figure has a hundred digits, and
# reading or showing a million of them is how a tiny file becomes a huge message.
MAX_NUMBER_TEXT = 100
SHOWN = 40  # characters of an offending value quoted in a message

_P = ParamSpec("_P")
_T = TypeVar("_T")


def pinned(function: Callable[_P, _T]) -> Callable[_P, _T]:
    """Run `function` in pingfen's own decimal context, whatever the caller's."""

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        with decimal.localcontext(CONTEXT):
            return function(*args, **kwargs)

    return run


def shorten(text: str, limit: int = SHOWN) -> str:
    """`text`, or its first `limit` characters and how many there were in all."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…"


def number_text(text: str) -> Decimal | None:
    """The exact Decimal a plain number's text writes (ASCII or full-width digits), else None."""
    text = text.strip().translate(_FULL_WIDTH)
    if len(text) > MAX_NUMBER_TEXT or not _NUMBER.fullmatch(text):
        return None
    return Decimal(text)


# １ and ０ too: a Chinese input method types full-width digits, read as numbers everywhere (_FULL_WIDTH)
_TRUE = {"true", "yes", "y", "是", "对", "有", "1", "１", "√", "✓"}
_FALSE = {"false", "no", "n", "否", "错", "无", "0", "０", "×", "✗"}
# How text is read, for the DuckDB engine's query to read a CSV's cells alike (sql/spelt.py).
TRUE_WORDS, FALSE_WORDS = frozenset(_TRUE), frozenset(_FALSE)
NUMBER_FORM, THOUSANDS, FULL_WIDTH = _NUMBER, _THOUSANDS, _FULL_WIDTH
DATE_FORM = _DATE_TEXT


_POINTS = re.compile(r"\s*分\s*$")


def points_number(raw: object) -> Decimal | None:
    """The number a text writes with 分 after it, as a form writes a score (`5分`, `88.5 分`),
    else None: a value refused for it is told to be written as that number alone."""
    if not isinstance(raw, str) or not _POINTS.search(raw):
        return None
    return to_decimal(_POINTS.sub("", raw))


def show(raw: object) -> str:
    """A value as it should appear in an error: strings quoted (a character that shows as nothing
    written as its escape, `"健全\\u200b"`: else the value looks like the label it is not), numbers plain."""
    if isinstance(raw, str):
        return f'"{shorten(invisible_escaped(raw))}"'
    if isinstance(raw, Decimal):  # plain unless the exponent would spell out a flood of zeros
        plain = raw.is_finite() and abs(raw.adjusted()) < SHOWN and -SHOWN < int(raw.as_tuple().exponent)
        return shorten(format(raw, "f") if plain else str(raw))
    if isinstance(raw, bool):  # as JSON and YAML write it (YAML's `yes` too), not Python's True
        return "true" if raw else "false"
    if isinstance(raw, int):
        return show(Decimal(raw))  # repr() of a huge int fails, and would be huge
    if isinstance(raw, datetime.date | datetime.time | datetime.timedelta):  # a sheet's date or duration cell
        return shorten(str(raw))  # 2024-03-31, 2 days, 0:00:00: not datetime.timedelta(days=2)
    return shorten(_BOUNDED.repr(raw))  # bounded however large or deep the value


class _Bounded(reprlib.Repr):
    """reprlib's bounded repr, with an int or a Decimal inside a list or a dict shown as `show`
    shows one: repr() of an int past 4300 digits raises ValueError, a Decimal's is `Decimal('3')`."""

    def repr_int(self, x: int, level: int) -> str:
        return show(Decimal(x))

    def repr_Decimal(self, x: Decimal, level: int) -> str:  # noqa: N802 - reprlib's name for the type's
        return show(x)  # [3], as the data wrote it: not [Decimal('3')]


_BOUNDED = _Bounded()


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
        text = raw.strip().replace("，", ",").translate(_FULL_WIDTH)
        for sep in ",_":  # only well-formed thousands groups: "1,4" and "1_2" are typos, not 14 and 12
            if sep in text:
                if not _THOUSANDS[sep].fullmatch(text):
                    return None
                text = text.replace(sep, "")
        return number_text(text)
    return None


def hundredth(number: Decimal) -> Decimal:
    """A percentage's number as a ratio, digit for digit (95 → 0.95): divided in pingfen's
    context, whatever the caller's, unless it has more digits than a quotient keeps; then
    its point is moved (99.9999999999999999999999999999 was rounded to 1, a full score)."""
    if len(number.as_tuple().digits) > CONTEXT.prec:
        sign, digits, exponent = number.as_tuple()
        return Decimal((sign, digits, int(exponent) - 2))
    return CONTEXT.divide(number, 100)


def to_percent(raw: object) -> Decimal | None:
    """A ratio: `0.95`, `"0.95"` and `"95%"` all give 0.95."""
    if isinstance(raw, str):
        text = raw.strip()
        if text.endswith(("%", "％")):
            number = to_decimal(text[:-1])
            if number is None or (number and abs(number.adjusted()) > LIMIT):
                return number  # out of every domain, as it is: dividing could underflow it to 0
            return hundredth(number)
    return to_decimal(raw)


# A percent input's value written without `%` is a ratio, and a person typing 55 for 55%
# would be read as 5500%: a bare number above 1 (or below -1) is refused unless the input's
# declared bounds reach beyond 100% (or -100%) on that side, which makes the ratio certain.
RATIO = Decimal(1)


def has_percent_sign(raw: object) -> bool:
    """Whether a value is written as a percentage (`"55%"`), rather than as a bare number."""
    return isinstance(raw, str) and raw.strip().endswith(("%", "％"))


def ratio_limits(bounds: tuple[tuple[str, Decimal], ...]) -> tuple[tuple[str, Decimal], ...]:
    """The limits a bare number for a percent input with these declared bounds must keep."""
    limits: list[tuple[str, Decimal]] = []
    if not any(op in ("<", "<=") and bound > RATIO for op, bound in bounds):
        limits.append(("<=", RATIO))
    if not any(op in (">", ">=") and bound < -RATIO for op, bound in bounds):
        limits.append((">=", -RATIO))
    return tuple(limits)


def ambiguous_percent(name: str, raw: object, value: Decimal) -> Problem:
    """PF523: a bare number beyond the ratio limits; the message shows both ways to write it."""
    sign, digits, exponent = value.as_tuple()
    hundredth = Decimal((sign, digits, int(exponent) - 2))  # exact, whatever the context
    hundredfold = Decimal((sign, digits, int(exponent) + 2))
    args = {"input": name, "value": show(raw), "percent": f"{plain(value)}%", "ratio": plain(hundredth),
            "read": f"{plain(hundredfold)}%"}  # fmt: skip
    return Problem("PF523", name, args, "bare_percent")


def to_bool(raw: object) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float):  # by its shortest digits, as every float: 1.0 is the number 1
        raw = to_decimal(raw)
    if isinstance(raw, Decimal) and not raw.is_finite():
        return None
    if isinstance(raw, (int, Decimal)) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    return None


# The error values a spreadsheet shows in a cell whose formula failed (`#N/A`, `#DIV/0!`, …):
# read as text from a CSV or as an error cell from a sheet, never a value.
_EXCEL_ERROR = re.compile(r"#(?:N/A|GETTING_DATA|[A-Z][A-Z0-9/_.]*[!?])", re.IGNORECASE)


def excel_error(raw: object) -> bool:
    """Whether a cell holds a spreadsheet's error value (`#N/A`, `#DIV/0!`, `#VALUE!`, `#REF!`, …)."""
    return isinstance(raw, str) and "#" in raw and _EXCEL_ERROR.fullmatch(raw.strip()) is not None


class SheetPercent(str):
    """A workbook's number cell whose format writes a literal `%` after the number (`0"%"`
    holding 90): the text the sheet shows, `"90%"`, which a percent input reads (and a label,
    a date or a bool: `READS_SHOWN`); a number input reads `number`, the cell's number as it
    reads without the format (`90`)."""

    number: object

    def __new__(cls, shown: str, number: object) -> SheetPercent:
        made = super().__new__(cls, shown)
        made.number = number
        return made

    def __reduce__(self) -> tuple[type[SheetPercent], tuple[str, object]]:  # a batch's worker gets both
        return SheetPercent, (str(self), self.number)


# The inputs that read a `SheetPercent` as the sheet shows it: a percent its percent; a label,
# a date or a bool its text, which `"90%"` may be (`label {"90%"}`) and no date or bool is (a
# refusal, never the 45382 behind `45382%` read as 2024-03-31). A number, a count, an amount, a
# score reads the number, the format's `%` being no part of its value (docs/data.md).
READS_SHOWN = frozenset({"percent", "label", "date", "bool"})


def as_read(raw: object, kind: str | None) -> object:
    """`raw` as an input of type `kind` reads it (None: a column no input reads, as the id): a
    `SheetPercent` is its text for a kind of READS_SHOWN, its number else."""
    if type(raw) is SheetPercent and kind not in READS_SHOWN:
        return raw.number
    return raw


def coerce(name: str, kind: str, raw: object, labels: tuple[str, ...] = ()) -> Decimal | bool | str | Problem:
    """The value of input `name` of type `kind`, or the Problem that stops it. A spreadsheet's
    error value (`#N/A`) is PF502 whatever the type, with a hint saying what it is."""
    raw = as_read(raw, kind)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Problem("PF501", name, {"input": name})
    if excel_error(raw):
        shown = show(raw)  # the message says what it is: the error column of a batch shows no hint
        args = {"input": name, "value": f"{shown} (a spreadsheet error value)", "value_zh": f"{shown}（电子表格错误值）",
                "expected": kind}  # fmt: skip
        return Problem("PF502", name, args, "excel_error")
    if kind == "bool":
        flag = to_bool(raw)
        if flag is None:
            return Problem("PF502", name, {"input": name, "value": show(raw), "expected": "bool"})
        return flag
    if kind == "date":
        day = to_date(raw)
        if day is None:
            return Problem("PF502", name, {"input": name, "value": show(raw), "expected": "date"})
        return day
    if kind == "label":
        try:
            text = str(raw).strip()
        except ValueError:  # an int past 4300 digits has no str(), and is no label
            text = ""
        if text not in labels:
            # a list as each language writes one: 甲、乙 / 甲, 乙
            return Problem("PF506", name, {"input": name, "value": show(raw), "labels": ", ".join(labels),
                                           "labels_zh": "、".join(labels)})  # fmt: skip
        return text
    value = to_percent(raw) if kind == "percent" else to_decimal(raw)
    if value is None:
        args = {"input": name, "value": show(raw), "expected": kind}
        number = points_number(raw) if kind != "percent" else None  # 5分: the number alone is wanted
        if number is not None:
            return Problem("PF502", name, {**args, "number": show(number)}, "number_alone")
        return Problem("PF502", name, args)
    if value and abs(value.adjusted()) > LIMIT:
        return Problem("PF503", name, {"input": name, "value": show(raw), "domain": f"10^-{LIMIT} … 10^{LIMIT}"})
    if kind == "count" and (value != value.to_integral_value() or value < 0):
        return Problem("PF503", name, {"input": name, "value": show(raw), "domain": "0, 1, 2, …"})
    if kind == "amount" and value < 0:
        return Problem("PF503", name, {"input": name, "value": show(raw), "domain": ">= 0"})
    return value


_LIST_SEPARATORS = re.compile(r"[,，、;；\s]+")
MAX_LIST = 1000  # values of one panel: beyond, a record is a typo or an attack


def list_text(raw: str) -> str:
    """A panel's text without its spaces and one enclosing pair of brackets (`[…]`, `［…］`): a
    list written as JSON or by the warehouse reads as the same list written plainly."""
    text = raw.strip()
    if len(text) >= 2 and text[0] in "[［" and text[-1] in "]］":
        text = text[1:-1].strip()
    return text


def coerce_list(name: str, kind: str, raw: object) -> tuple[Decimal, ...] | Problem:
    """The values of a panel input (`list of score`): a list, or a text `8, 9, 7.5` (separated by
    commas, 、, semicolons or spaces; in brackets `[8, 9, 7.5]` or not), or one value alone; each
    coerced as `kind`."""
    items = list_items(raw, kind)
    if not items:
        return Problem("PF501", name, {"input": name})
    if len(items) > MAX_LIST:
        return Problem("PF503", name, {"input": name, "value": f"{len(items)} values", "domain": f"<= {MAX_LIST}"})
    values: list[Decimal] = []
    for item in items:
        value = coerce(name, kind, item)
        if isinstance(value, Problem):
            return value
        assert isinstance(value, Decimal)  # a panel is of a numeric type (the checker sees to it)
        values.append(value)
    return tuple(values)


_PANEL_COLUMN = re.compile(r"(\d{1,4})|\[(\d{1,4})\]|［(\d{1,4})］")


def numbered_columns(name: str, columns: Iterable[object]) -> list[str]:
    """A panel's numbered columns among `columns` (`专家评分1`, `专家评分[2]`, `专家评分［3］`), in
    the order of their numbers (the DuckDB engine reads a table's panel by them too)."""
    numbered: list[tuple[int, str]] = []
    for key in columns:
        if isinstance(key, str) and key.startswith(name):
            m = _PANEL_COLUMN.fullmatch(key[len(name) :])
            if m is not None:
                numbered.append((int(next(g for g in m.groups() if g is not None)), key))
    return [key for _, key in sorted(numbered, key=lambda kv: kv[0])]


def list_items(raw: object, kind: str) -> list[object]:
    """A panel's values as given, one by one (`"8, 9%"` is `["8", "9%"]`), before each is read."""
    raw = as_read(raw, kind)  # one sheet cell: not split as text
    if isinstance(raw, (list, tuple)):
        return list(raw)
    if isinstance(raw, str):
        return [part for part in _LIST_SEPARATORS.split(list_text(raw)) if part]
    return [] if raw is None else [raw]


def as_decimals(values: tuple[object, ...]) -> tuple[object, ...]:
    """A record's inputs as the explaining code reads them: the compiled `run` keeps the values
    as the record gave them, and an int it read as its Decimal is made that Decimal again (no
    input is ever an int otherwise)."""
    if int not in map(type, values):  # the common case, in C
        return values
    return tuple(Decimal(v) if type(v) is int else v for v in values)

"""Exact decimal arithmetic as sqlglot trees: the constructions that keep a rubric's numbers
exact on an engine whose `DECIMAL / DECIMAL` is a float (DuckDB) or loses scale (Spark).

Every number of the query is a `DECIMAL(38, 20)` (`NUM`): 20 decimals, 18 integer digits.
Sums, differences, comparisons, min, max and abs are the engine's own and exact. A product
keeps what fits (a literal's few decimals exactly; two computed values by their integer and
fraction parts, within 1e-19). A quotient is worked out as long division on 128-bit integers
(the engine's integer division is exact), 20 decimals rounded half-even. docs/scale.md states
the contract these give.
"""

from __future__ import annotations

import decimal
import functools
import sys
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import assert_never

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from pingfen import ast
from pingfen.errors import PingfenError
from pingfen.lang import Lang
from pingfen.messages import message
from pingfen.sql import sizes
from pingfen.values import SETTLE_PLACES

SCALE = 20  # the decimals every number keeps
CHUNK = 4  # digits of a quotient found per step of the long division (SCALE is a multiple)
NUM = exp.DataType.build(f"DECIMAL(38, {SCALE})")
WHOLE = exp.DataType.build("DECIMAL(38, 0)")
BIG = exp.DataType.build("INT128")  # DuckDB's HUGEINT: the long division's integers
# Engines the differential tests run the query on (tests/test_sql*.py; Spark: tests/test_spark*.py,
# with pingfen.spark.EXACT_CONF; PostgreSQL: tests/test_sql_postgres.py): the only dialects
# pingfen.sql writes, for only there is the query known to score as evaluate() does.
VERIFIED = frozenset({"duckdb", "postgres", "spark"})


# PostgreSQL has no TRY_CAST: a cast of a text it cannot read is an error of the whole query.
# So a value is cast only where its text is one the cast reads (postgres_casts; numbers:
# compiler.postgres_number). Exponents of up to 3 digits: NUMERIC reads 1e999, not 1e99999.
NUMBER_TEXT = r"^[[:space:]]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]{1,3})?[[:space:]]*$"
BOOL_TEXT = r"^[[:space:]]*(true|false|t|f|yes|no|y|n|on|off|1|0)[[:space:]]*$"  # case aside (~*)
DATE_TEXT = r"^[[:space:]]*[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[[:space:]]*$"  # ISO: DATE's own text
# pg_typeof's names of the types a client reads as a number (an int, a Decimal, a float)
POSTGRES_NUMBERS = ("smallint", "integer", "bigint", "numeric", "real", "double precision")
SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())  # what str.strip() takes away


@functools.cache
def decimal_digits() -> tuple[str, str]:
    """Every decimal digit Python's \\d matches but 0-9, and its ASCII digit (for TRANSLATE)."""
    wide = [c for c in map(chr, range(128, sys.maxunicode + 1)) if c.isdecimal()]
    return "".join(wide), "".join(str(int(c)) for c in wide)


def postgres_casts(tree: exp.Expr) -> None:
    """Each TRY_CAST of the tree as PostgreSQL can write it: the cast only where the value's
    text reads as the type (above), else NULL — a BOOLEAN's text `true`, a DATE's ISO day. A day
    that is none (`2021-02-30`) still stops the query: a DATE column holds none such."""
    texts = {exp.DataType.Type.BOOLEAN: (exp.RegexpILike, BOOL_TEXT), exp.DataType.Type.DATE: (exp.RegexpLike, DATE_TEXT),
             exp.DataType.Type.DECIMAL: (exp.RegexpLike, NUMBER_TEXT)}  # fmt: skip
    for node in [n for n in nodes(tree) if isinstance(n, exp.TryCast)]:
        test, pattern = texts[node.to.this]  # no other TRY_CAST is written for PostgreSQL (panels are refused, PF820)
        text = exp.Cast(this=node.this.copy(), to=exp.DataType.build("TEXT"))
        node.replace(case((test(this=text, expression=exp.Literal.string(pattern)), exp.Cast(this=node.this, to=node.to))))


def refuse_unverified(dialect: object) -> None:
    """PF803 for what names no dialect, PF804 for one whose query no test runs on its engine."""
    if dialect in VERIFIED:
        return
    known = isinstance(dialect, str) and dialect != "" and Dialect.get(dialect) is not None  # "": sqlglot's generic one
    raise SqlRefusal("PF804" if known else "PF803", {"dialect": dialect, "dialects": ", ".join(sorted(VERIFIED))})


def big_type(dialect: str) -> exp.DataType:
    return BIG if dialect == "duckdb" else WHOLE


class SqlRefusal(PingfenError):
    """A rubric the SQL compiler cannot translate exactly: the form is named, no query is made."""

    def __init__(self, code: str, args: dict[str, object]) -> None:
        self.code = code
        self.details = args
        super().__init__(f"{code}: {message(code, 'en', args)}")

    def message(self, lang: Lang = "zh") -> str:
        return message(self.code, lang, self.details)


def decimal_type(precision: int, scale: int) -> exp.DataType:
    # the node DataType.build would parse, made directly: the query has hundreds (the parser cost ~15 ms)
    params = [exp.DataTypeParam(this=exp.Literal.number(precision)), exp.DataTypeParam(this=exp.Literal.number(scale))]
    return exp.DataType(this=exp.DataType.Type.DECIMAL, expressions=params, nested=False)


def decimal_params(to: exp.DataType) -> tuple[int, int] | None:
    """A DECIMAL(p, s)'s p and s; None for another type."""
    params = to.expressions
    if to.this != exp.DataType.Type.DECIMAL or len(params) != 2:
        return None
    return int(params[0].this.this), int(params[1].this.this)


def fresh(to: exp.DataType) -> exp.DataType:
    """A copy of a type, a plain one made directly (sqlglot's copy is a generic deepcopy:
    ~25 ms of the 2021 query's ~2,000 casts)."""
    found = decimal_params(to)
    if found is not None:
        return decimal_type(*found)
    if not to.expressions and to.args.keys() <= {"this", "nested", "expressions"}:
        return exp.DataType(this=to.this, nested=to.args.get("nested", False))
    return to.copy()


def nodes(e: exp.Expr) -> Iterator[exp.Expr]:
    """`e` and every node under it, depth first: what `find_all` walks, at a third of its cost
    (no generator per node, no breadth-first queue; the 2021 query has ~9,000 nodes)."""
    stack = [e]
    while stack:
        node = stack.pop()
        yield node
        for value in node.args.values():
            if isinstance(value, exp.Expr):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, exp.Expr))


def columns(e: exp.Expr) -> Iterator[exp.Column]:
    return (node for node in nodes(e) if isinstance(node, exp.Column))


def cast(e: exp.Expr, to: exp.DataType) -> exp.Cast:
    """`e` as `to`. Never a cast of a cast that changes nothing (the engine would plan both):
    `e` itself where it is already cast to `to`, and a constant's one cast where both would
    hold it exactly, `CAST(CAST(0 AS DECIMAL(1, 0)) AS NUM)` as `CAST(0 AS NUM)`."""
    if isinstance(e, exp.Cast) and not e.args.get("format"):  # a TryCast too: cast again, the same value
        if e.to == to:
            return e
        this = e.this
        if type(e) is exp.Cast and isinstance(this, exp.Literal) and not this.is_string and holds(e.to, this.this) and holds(to, this.this):
            return exp.Cast(this=this, to=fresh(to))
    return exp.Cast(this=e, to=fresh(to))


def holds(to: exp.DataType, number: str) -> bool:
    """Whether a DECIMAL(p, s) `to` holds the constant exactly (no rounding, no overflow)."""
    found = decimal_params(to)
    if found is None:
        return False
    precision, scale = found
    value = Decimal(number)
    return decimals(value) <= scale and abs(value) < Decimal(10) ** (precision - scale)


LARGEST = Decimal(10) ** (38 - SCALE)


def decimals(value: Decimal) -> int:
    """How many decimals a number needs (trailing zeros aside), whatever the context's precision."""
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a rubric's numbers are finite
    text = "".join(map(str, digits)).rstrip("0") or "0"
    return max(0, len(text) - len(digits) - exponent) if text != "0" else 0


def literal(value: Decimal) -> exp.Cast:
    """A constant, exact, as a NUM. A number of the rubric NUM cannot hold exactly is refused:
    the query would round it, and score differently."""
    if abs(value) >= LARGEST or decimals(value) > SCALE:
        raise SqlRefusal("PF802", {"form": format(value, "f")})
    return cast(exp.Literal.number(format(value, "f")), NUM)


_WIDE = decimal.Context(prec=100)  # normalizing a rubric's constant rounds none of its digits


def typed_literal(value: Decimal) -> tuple[exp.Cast, int]:
    """A constant in the smallest DECIMAL that holds it, and its scale: a product with it
    then needs no more decimals than it has."""
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a rubric's numbers are finite
    scale = max(0, -exponent)
    precision = max(1, len(digits) + exponent) + scale
    return cast(exp.Literal.number(format(value, "f")), decimal_type(min(38, precision), scale)), scale


def ratio(a: Decimal, b: Decimal) -> Decimal | None:
    """a / b exactly, when it is a decimal of at most 18 places (0.5 / 0.01 is 50); else None."""
    with decimal.localcontext(decimal.Context(prec=60)) as context:
        quotient = a / b
        if context.flags[decimal.Inexact] or decimals(quotient) > 18 or abs(quotient) >= LARGEST:
            return None
    return quotient


def integer(n: int) -> exp.Expr:
    return exp.Literal.number(str(n))


def paren(e: exp.Expr) -> exp.Paren:
    return exp.Paren(this=e)


def case(*whens: tuple[exp.Expr, exp.Expr], default: exp.Expr | None = None) -> exp.Case:
    node = exp.Case(ifs=[exp.If(this=c, true=v) for c, v in whens])
    if default is not None:
        node.set("default", default)
    return node


def at_least(a: exp.Expr, low: exp.Expr) -> exp.Expr:
    """max(a, low), NULL where `a` is NULL (as a refused or twinless value must stay), `low` a
    constant. A CASE, not GREATEST: DuckDB's GREATEST skips a NULL, so sqlglot writes it with a
    NULL test around it that repeats `a` — nested in a clamp, four times."""
    return case((exp.LT(this=a.copy(), expression=low.copy()), low.copy()), default=a)


def at_most(a: exp.Expr, high: exp.Expr) -> exp.Expr:
    """min(a, high), NULL where `a` is NULL, `high` a constant (see at_least)."""
    return case((exp.GT(this=a.copy(), expression=high.copy()), high.copy()), default=a)


def within(a: exp.Expr, low: exp.Expr, high: exp.Expr) -> exp.Expr:
    """`a` kept in [low, high] (constants, low <= high), NULL where `a` is NULL: one CASE."""
    return case((exp.GT(this=a.copy(), expression=high.copy()), high.copy()), (exp.LT(this=a.copy(), expression=low.copy()), low.copy()), default=a)


def trunc(a: exp.Expr) -> exp.Expr:
    """The integer part, towards zero, as DECIMAL(38, 0). `a` is a column (read twice)."""
    return cast(case((exp.LT(this=a.copy(), expression=integer(0)), exp.Ceil(this=a.copy())), default=exp.Floor(this=a.copy())), WHOLE)


def rounds_up(fraction: exp.Expr, places: int, mode: ast.RoundingMode, odd: exp.Expr, negative: exp.Expr | None) -> exp.Expr:
    """Whether a magnitude whose scaled value (|v| × 10^places) has this `fraction` past its whole
    part rounds that whole part up by one in `mode`, the value settled first as every evaluator
    settles it (values.settled: to SETTLE_PLACES decimals, half up). Settling moves the mode's
    thresholds by half a settled unit (`u`, 10^(places − 16) of the scaled value) and lifts a
    fraction within u/2 of 1 to the next whole number in every mode: the same digits as settling
    and then rounding, with no more arithmetic on the row. `odd`: the whole part is odd (half
    even); `negative`: the value is below 0 (ceiling and floor; None: never)."""
    half_unit = Decimal(1).scaleb(places - SETTLE_PLACES) / 2

    def at_least(threshold: Decimal) -> exp.Expr:
        return exp.GTE(this=fraction.copy(), expression=literal(threshold))

    some = at_least(half_unit)  # more than nothing once settled
    whole = at_least(1 - half_unit)  # settled, the next whole number: up in every mode
    below = negative.copy() if negative is not None else exp.false()
    match mode:
        case "half_up":
            return at_least(Decimal("0.5") - half_unit)
        case "half_down":
            return at_least(Decimal("0.5") + half_unit)
        case "half_even":
            return exp.or_(at_least(Decimal("0.5") + half_unit), exp.and_(at_least(Decimal("0.5") - half_unit), odd))
        case "up":
            return some
        case "down":
            return whole
        case "ceiling":
            return exp.or_(whole, exp.and_(some, exp.not_(below)))
        case "floor":
            return exp.or_(whole, exp.and_(some, below))
        case _:
            assert_never(mode)


def times_literal(a: exp.Expr, value: Decimal) -> exp.Expr | None:
    """`a × value` for a constant of at most 18 significant digits (None beyond): exact up to
    the last of NUM's decimals, where it is rounded, for every `a` whose product NUM holds.

    A whole constant multiplies NUM's digits as they are. One with decimals multiplies the
    integer part and the fraction of `a` apart (`a` is read seven times: pass a column): the
    engine multiplies the digits of both factors, so a × 15.2587890625 written plainly held
    34 + 12 digits for a = 10^14 and overflowed past 10^38 (the whole file stopped) where the
    product is a mere 1.5·10^15. The whole part's product is exact (the constant's decimals),
    the fraction's is rounded to NUM's; both have a's sign, so their sum is the plain product
    rounded once. `meta["times"]` keeps (a, value) for the narrow reading
    (`narrow.Narrowing.units`)."""
    value = value.normalize(_WIDE) if value else Decimal(0)  # 1.500 is 1.5: its trailing zeros are no digits
    if not multiplies(value):
        return None
    constant, scale = typed_literal(value)
    if scale == 0:
        return cast(exp.Mul(this=cast(a, NUM), expression=constant), NUM)
    wide = cast(a.copy(), NUM)
    whole = trunc(wide)
    fraction = cast(exp.Sub(this=wide.copy(), expression=whole.copy()), decimal_type(21, SCALE))
    product = cast(
        exp.Add(this=cast(exp.Mul(this=whole, expression=constant), NUM),
                expression=cast(exp.Mul(this=fraction, expression=constant.copy()), NUM)),
        NUM,
    )  # fmt: skip
    product.meta["times"] = (a.copy(), value)
    return product


def multiplies(value: Decimal) -> bool:
    """Whether `times_literal` takes the constant: at most 18 decimals, and at most 18
    significant digits where it has any (the fraction × the constant stays within 38)."""
    value = value.normalize(_WIDE) if value else Decimal(0)
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a rubric's numbers are finite
    return -exponent + SCALE <= 38 and (exponent >= 0 or len(digits) <= 18)


def times(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """`a × b` of two computed values (columns, each read several times), by parts:
    (ai + af)(bi + bf) with ai, bi integers and af, bf fractions. Only af × bf is rounded
    (each to 19 decimals, kept below 1: below_one), so its product fits: within about
    2·10^-19 of the exact product."""
    ai, af, bi, bf = *split(a), *split(b)
    small = cast(exp.Mul(this=below_one(af), expression=below_one(bf)), NUM)
    parts: list[exp.Expr] = [
        cast(exp.Mul(this=ai, expression=bi), NUM),
        cast(exp.Mul(this=ai.copy(), expression=bf), NUM),
        cast(exp.Mul(this=af, expression=bi.copy()), NUM),
        small,
    ]
    total = parts[0]
    for part in parts[1:]:
        total = exp.Add(this=total, expression=part)
    return cast(total, NUM)


def split(a: exp.Expr) -> tuple[exp.Expr, exp.Expr]:
    """A column's integer part (DECIMAL(38, 0), towards zero) and its fraction (DECIMAL(21, 20))."""
    return trunc(a), cast(exp.Sub(this=a.copy(), expression=trunc(a)), decimal_type(21, SCALE))


def fits_sum(a: exp.Expr, b: exp.Expr, subtract: bool) -> exp.Expr:
    """Whether a ± b keeps below LIMIT in size where both have one sign (of opposite signs it is
    no larger than either), told without working it out: a + b < LIMIT ⇔ a < LIMIT − b for
    b ≥ 0, and a + b > −LIMIT ⇔ a > −LIMIT − b for b < 0; neither side can overflow. `a` is
    read twice, `b` three times: pass columns."""
    limit = literal(sizes.LIMIT)
    if subtract:  # a − b: b's sign turned over
        return case((exp.LTE(this=b.copy(), expression=integer(0)), exp.LT(this=a.copy(), expression=exp.Add(this=limit.copy(), expression=b.copy()))),
                    default=exp.GT(this=a.copy(), expression=exp.Sub(this=b.copy(), expression=limit.copy())))  # fmt: skip
    return case((exp.GTE(this=b.copy(), expression=integer(0)), exp.LT(this=a.copy(), expression=exp.Sub(this=limit.copy(), expression=b.copy()))),
                default=exp.GT(this=a.copy(), expression=exp.Sub(this=exp.Neg(this=limit.copy()), expression=b.copy())))  # fmt: skip


def below(a: exp.Expr, bound: Fraction) -> exp.Expr:
    """Whether |a| < bound (> 0), on NUM's grid: |a| ≤ the largest 20-decimal number below it."""
    return exp.LTE(this=exp.Abs(this=a.copy()), expression=literal(sizes.below_grid(bound)))


def fits_product(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """Whether a × b of two computed values (`times`) is below LIMIT in size, give or take
    2·10^-10, told without working it out: its parts ai·bi, ai·bf, af·bi and af·bf (one sign
    all) summed in DECIMAL(38, 10), 28 integer digits, each rounded to 10 decimals; ai·bi alone
    first, a 38-digit integer, which the sum could not hold. Below LIMIT − 2·10^-10 it holds,
    from 10^18 it fails; where it holds, `times` stays below 10^18. `a` and `b`: columns."""
    ten = decimal_type(38, 10)
    ai, af, bi, bf = *split(a), *split(b)
    whole = exp.Abs(this=exp.Mul(this=ai, expression=bi))
    small = exp.Mul(this=below_one(af), expression=below_one(bf))
    parts = [whole.copy(), exp.Mul(this=ai.copy(), expression=bf), exp.Mul(this=af, expression=bi.copy()), small]
    total: exp.Expr = cast(exp.Abs(this=cast(parts[0], ten)), ten)
    for part in parts[1:]:
        total = cast(exp.Add(this=total, expression=exp.Abs(this=cast(part, ten))), ten)
    # each compared with LIMIT of its own type: against a NUM, the engine would cast a 38-digit integer to NUM first
    whole_limit, limit = cast(integer(int(sizes.LIMIT)), WHOLE), cast(integer(int(sizes.LIMIT)), ten)
    return case((exp.GTE(this=whole, expression=whole_limit), exp.false()), default=exp.LT(this=total, expression=limit))


def below_one(fraction: exp.Expr) -> exp.Expr:
    """A fraction (|f| < 1, 20 decimals) to 19 decimals, kept below 1 in size: the product of
    two such is a DECIMAL(38, 38), no integer digit, and .99999999999999999995 rounded to 1
    overflowed it (the whole query stopped on a = c = 0.99999999999999999999 in a × c).
    Within 10^-19 of the fraction either way."""
    top = cast(exp.Literal.number("0." + "9" * 19), decimal_type(20, 19))
    bottom = cast(exp.Literal.number("-0." + "9" * 19), decimal_type(20, 19))
    return within(cast(fraction.copy(), decimal_type(20, 19)), bottom, top)


def unscaled(a: exp.Expr, big: exp.DataType) -> exp.Expr:
    """A NUM column's digits as one 128-bit integer (a × 10^20), without an intermediate
    that overflows: the integer part times 10^20, plus the fraction's digits in two halves."""
    ten10 = cast(integer(10**10), decimal_type(11, 0))
    whole = exp.Mul(this=exp.Mul(this=cast(trunc(a), big), expression=integer(10**10)), expression=integer(10**10))
    fraction = cast(exp.Sub(this=a.copy(), expression=trunc(a)), decimal_type(21, SCALE))
    half = cast(exp.Mul(this=fraction, expression=ten10), decimal_type(38, SCALE // 2))
    return exp.Add(this=whole, expression=cast(exp.Mul(this=half, expression=ten10.copy()), big))


def from_unscaled(q: exp.Expr) -> exp.Expr:
    """A 128-bit integer of NUM's digits back as a NUM."""
    return cast(exp.Mul(this=cast(q, WHOLE), expression=cast(exp.Literal.number("0." + "0" * (SCALE - 1) + "1"), decimal_type(SCALE + 1, SCALE))), NUM)


# ---------------------------------------------------------------- DuckDB's 64-bit short cut
# A DECIMAL(38, 20)'s digits are a 128-bit integer, and DuckDB divides those bit by bit
# (about 0.3 µs a division, the cost of a scale-down cast or floor too): a quotient by long
# division took 12 of them. Most records' numbers have few digits: a value of at most 6
# decimals below 10^6 is also carried as its "twin", value × 10^6 as a BIGINT, and a quotient
# of two twins is divided in 64-bit steps, which the processor does at once. The result is
# digit for digit the long division's; a row without twins takes the long division.
TWIN_PLACES = 6
TWIN = decimal_type(18, TWIN_PLACES)
TWIN_INPUT_BELOW = 10**6  # an input has a twin below this size
SMALL_BOUND = TWIN_INPUT_BELOW * 10**TWIN_PLACES  # so its twin is below 10^12
BIGINT_LIMIT = 2**63  # a sum of twins must stay below it, or it has none
SHORT_DIVISOR = 10**12  # a remainder below it times 10^6 stays below 2^63
SHORT_STEPS = (6, 6, 6, 2)  # the quotient's 20 decimals, 6 digits a step (sums to SCALE)
BIGINT = exp.DataType.build("BIGINT")


def small_input(raw: exp.Expr, value: exp.Expr) -> exp.Expr:
    """An input's twin: read to 6 decimals (DuckDB rounds a longer one, so it is kept only
    when it reads back equal to the value) and scaled to a BIGINT, below 10^6 in size (DuckDB
    multiplies a DECIMAL(18, 6) on 64 bits: the scaled value must stay below 10^18); NULL
    otherwise. Scaling a wider DECIMAL instead costs a 128-bit division per row."""
    short = exp.TryCast(this=raw.copy(), to=TWIN.copy(), safe=True)
    same = exp.EQ(this=cast(short.copy(), NUM), expression=value.copy())
    within = exp.LT(this=exp.Abs(this=short.copy()), expression=cast(integer(TWIN_INPUT_BELOW), TWIN))
    scaled = cast(exp.Mul(this=short, expression=cast(integer(10**TWIN_PLACES), decimal_type(TWIN_PLACES + 1, 0))), BIGINT)
    return case((exp.and_(same, within), scaled))


KNOWN_PLACES = 5  # a column of at most this many decimals (its type's) has its twin in 64 bits all through


def small_known(raw: exp.Expr, places: int) -> exp.Expr:
    """The twin of a column whose type fixes its decimals (`places` <= KNOWN_PLACES: a count's
    BIGINT, an amount's DECIMAL(18, 2)): read at its own scale, which rounds nothing, so it needs
    no reading back; below 10^6 in size, its digits × 10^places as a 64-bit DECIMAL(18, places)
    made a BIGINT (a 64-bit division by 10^places, exact), scaled to 10^6. NULL otherwise."""
    assert 0 <= places <= KNOWN_PLACES
    short = exp.TryCast(this=raw.copy(), to=decimal_type(17 - places, places), safe=True)
    within = exp.LT(this=exp.Abs(this=short.copy()), expression=cast(integer(TWIN_INPUT_BELOW), decimal_type(7, 0)))
    digits = cast(exp.Mul(this=short, expression=cast(integer(10**places), decimal_type(places + 1, 0))), BIGINT)
    return case((within, exp.Mul(this=paren(digits), expression=integer(10 ** (TWIN_PLACES - places)))))


def small_literal(value: Decimal) -> int | None:
    """A constant's twin, when it has one (at most 6 decimals, below 10^12)."""
    if decimals(value) > TWIN_PLACES or abs(value) >= Decimal(10) ** (18 - TWIN_PLACES):
        return None
    return int(value.scaleb(TWIN_PLACES))


def is_short(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """Whether a row's quotient takes the 64-bit steps: both twins there, the divisor small."""
    present = exp.and_(exp.Not(this=exp.Is(this=a.copy(), expression=exp.Null())), exp.Not(this=exp.Is(this=b.copy(), expression=exp.Null())))
    return exp.and_(present, exp.LT(this=exp.Abs(this=b.copy()), expression=integer(SHORT_DIVISOR)))


def unless(condition: exp.Expr, e: exp.Expr) -> exp.Expr:
    """`e`, NULL where the condition holds (it never is NULL)."""
    if condition == exp.false():
        return e
    return case((exp.Not(this=paren(condition.copy())), e))


def assemble(whole: exp.Expr, digits: list[tuple[exp.Expr, int]], rest: exp.Expr, divisor: exp.Expr, negative: exp.Expr) -> exp.Expr:
    """The quotient from its 64-bit parts: the whole part, each step's digits and width, the
    last remainder (half the divisor or more rounds the last digit up, half-even on a tie),
    signed, as a NUM. The digits are put together on 128 bits (whole × 10^20 needs them)."""
    total: exp.Expr = cast(whole.copy(), BIG)
    for digit, width in digits:
        total = exp.Add(this=exp.Mul(this=paren(total), expression=integer(10**width)), expression=digit.copy())
    last = digits[-1][0]
    twice = exp.Mul(this=integer(2), expression=paren(rest.copy()))
    up = exp.or_(
        exp.GT(this=twice.copy(), expression=divisor.copy()),
        exp.and_(exp.EQ(this=twice.copy(), expression=divisor.copy()), exp.EQ(this=exp.Mod(this=last.copy(), expression=integer(2)), expression=integer(1))),
    )
    rounded = exp.Add(this=paren(total), expression=case((up, integer(1)), default=integer(0)))
    signed = exp.Mul(this=paren(rounded), expression=case((negative.copy(), integer(-1)), default=integer(1)))
    return from_unscaled(signed)


def from_digits(n: exp.Expr, places: int) -> exp.Expr:
    """A 64-bit integer `n` read as n × 10^-places (places <= SCALE), as a NUM: a product of
    128-bit decimals and a widening cast, exact, with no division."""
    unit = cast(exp.Literal.number("0." + "0" * (places - 1) + "1"), decimal_type(places + 1, places))
    return cast(exp.Mul(this=cast(n, WHOLE), expression=unit), NUM)

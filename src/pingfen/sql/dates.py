"""A `date` input's text read on Spark and PostgreSQL (`DIALECTS`), as values.to_date reads a
str: `2021-03-05`, `2021/3/5`, `2021年3月5日`, a time after it, any script's digits, or a whole
day number from FIRST_DAY to LAST_DAY (`45382`, `45382.0`, `4.5382E4`). No engine's cast reads
the text so: Spark's took `2021` and `2021-03-05 junk`, PostgreSQL's only ISO, and neither
reads a number. DuckDB's query reads a date's text in sql/spelt.py.

The steps here are expressions over the text; the compiler (sql/newforms.py, `read_date`)
chooses the columns whose text is read (not a DATE's) and binds each step (`Bind`): a column
of the query's own layers on Spark, of the text's own subquery on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from pingfen.sql import exact
from pingfen.sql.compiler import Frag
from pingfen.sql.exact import case, integer
from pingfen.values import DATE_FORM, FULL_WIDTH, MAX_NUMBER_TEXT

DIALECTS = frozenset({"spark", "postgres"})  # whose query reads a date's text here
Bind = Callable[[Frag], Frag]  # a step made a column, read by the steps after it

# values.to_date's pattern in Java's and PostgreSQL's regular expressions: its \d any script's
# digit made ASCII first (exact.decimal_digits), its \s the characters str.strip() takes away,
# written as they are (neither engine reads RE2's `\x{…}` alike); one pattern per group taken,
# the others not captured, for PostgreSQL's SUBSTRING gives the first group only.
_DATE = DATE_FORM.pattern.replace("\\d", "[0-9]").replace("\\s", f"[{exact.SPACES}]").replace("\\.", "[.]")
assert "\\" not in _DATE and _DATE.count("([0-9]") == 3, "a date pattern both engines read alike"
DATE_GROUPS = tuple("^" + "".join(part + ("([0-9]" if i == k else "(?:[0-9]") for i, part in enumerate(_DATE.split("([0-9]")[:-1]))
                    + _DATE.split("([0-9]")[-1] + "$" for k in range(3))  # fmt: skip
NUMBER_PATTERN = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"  # values._NUMBER, anchored
FLOATS = {"spark": ("double", "float"), "postgres": ("double precision", "real")}  # typeof's, pg_typeof's


def s(text: str) -> exp.Literal:
    return exp.Literal.string(text)


def cat(*parts: exp.Expr) -> exp.Expr:
    joined = parts[0]
    for part in parts[1:]:
        joined = exp.DPipe(this=joined, expression=part)
    return joined


def whole(x: exp.Expr, spark: bool) -> exp.Expr:
    """Digits' integer: PostgreSQL has no TRY_CAST, and reads only digits here."""
    kind = exp.DataType.build("INT")
    return exp.TryCast(this=x, to=kind, safe=True) if spark else exp.Cast(this=x, to=kind)


def group(x: Frag, pattern: str, where: exp.Expr, bind: Bind, spark: bool) -> Frag:
    """The pattern's group where `where` holds, '' for none."""
    found = exp.Anonymous(this="REGEXP_EXTRACT" if spark else "SUBSTRING", expressions=[x.sql.copy(), s(pattern)])
    return bind(Frag(case((where.copy(), exp.Coalesce(this=found, expressions=[s("")]))), x.depth))


def digits(text: Frag, bind: Bind) -> tuple[Frag, Frag]:
    """The text with any script's digits made ASCII (for a date), and with only the full-width
    ones (for a number, as values.to_decimal reads one); TRANSLATE only where needed."""
    foreign = exp.RegexpLike(this=text.sql.copy(), expression=s("[^ -~]"))
    wide, ascii_ = exact.decimal_digits()
    full = "".join(chr(k) for k in FULL_WIDTH), "".join(chr(v) for v in FULL_WIDTH.values())
    date_digits, number_digits = (bind(Frag(case((foreign.copy(), exp.Anonymous(this="TRANSLATE", expressions=[text.sql.copy(), s(a), s(b)])),
                                                  default=text.sql.copy()), text.depth))
                                  for a, b in ((wide, ascii_), full))  # fmt: skip
    return date_digits, number_digits


def calendar(digits: Frag, bind: Bind, spark: bool) -> Frag:
    """A date's year, month and day, one of the calendar (datetime.date's, from year 1), as ISO
    text (`2021-03-05`); NULL for none."""
    n = integer
    matched = exp.RegexpLike(this=digits.sql.copy(), expression=s(DATE_GROUPS[0]))
    y_t, m_t, d_t = (group(digits, p, matched, bind, spark) for p in DATE_GROUPS)
    y, m, d = (bind(Frag(whole(f.sql.copy(), spark), f.depth)) for f in (y_t, m_t, d_t))

    def divides(k: int) -> exp.Expr:
        return exp.EQ(this=exp.Mod(this=y.sql.copy(), expression=n(k)), expression=n(0))

    leap = exp.or_(exp.and_(divides(4), exp.not_(divides(100))), divides(400))
    last = case((exp.In(this=m.sql.copy(), expressions=[n(k) for k in (4, 6, 9, 11)]), n(30)),
                (exp.EQ(this=m.sql.copy(), expression=n(2)), case((leap, n(29)), default=n(28))), default=n(31))  # fmt: skip
    real = exp.and_(exp.GTE(this=y.sql.copy(), expression=n(1)), exp.Between(this=m.sql.copy(), low=n(1), high=n(12)),
                    exp.Between(this=d.sql.copy(), low=n(1), high=last))  # fmt: skip
    pad = [exp.Anonymous(this="LPAD", expressions=[f.sql.copy(), n(2), s("0")]) for f in (m_t, d_t)]
    return bind(Frag(case((real, cat(y_t.sql.copy(), s("-"), pad[0], s("-"), pad[1]))), y.depth))


def day_number(number: Frag, bind: Bind, spark: bool) -> Frag:
    """A number (values.number_text's one form) as a DECIMAL where it is a whole day as its digits
    say (a cast rounds `45382.0000000000000000000001`) and not negative; NULL else. An exponent of
    4 digits or more puts a number of MAX_NUMBER_TEXT characters far outside FIRST_DAY to LAST_DAY,
    or it is 0: not read."""
    n, text_type = integer, exp.DataType.build("TEXT")
    formed = exp.and_(exp.RegexpLike(this=number.sql.copy(), expression=s(NUMBER_PATTERN)),
                      exp.LTE(this=exp.Length(this=number.sql.copy()), expression=n(MAX_NUMBER_TEXT)))  # fmt: skip
    i_t, f_t, s_t, p_t = (group(number, p, formed, bind, spark) for p in ("^[+-]?([0-9]*)", "^[^eE.]*[.]([0-9]*)", "[eE]([+-]?)", "[eE][+-]?0*([0-9]*)$"))
    short = exp.LTE(this=exp.Length(this=p_t.sql.copy()), expression=n(3))
    power = bind(Frag(case((short, whole(cat(s_t.sql.copy(), exp.Coalesce(this=exp.Nullif(this=p_t.sql.copy(), expression=s("")),
                                                                                expressions=[s("0")])), spark))), p_t.depth))  # fmt: skip
    mantissa = cat(i_t.sql.copy(), f_t.sql.copy())
    zeros = exp.Sub(this=exp.Length(this=mantissa.copy()), expression=exp.Length(this=exp.Trim(this=mantissa, expression=s("0"), position="TRAILING")))
    shift = exp.Add(this=exp.Sub(this=power.sql.copy(), expression=exp.Length(this=f_t.sql.copy())), expression=zeros)
    plain = cat(exp.Coalesce(this=exp.Nullif(this=i_t.sql.copy(), expression=s("")), expressions=[s("0")]), s("."), f_t.sql.copy(),
                s("0E"), exact.cast(power.sql.copy(), text_type))  # `44256.0E0`: an exponent the cast reads on PostgreSQL too  # fmt: skip
    negative = exp.EQ(this=exp.Left(this=number.sql.copy(), expression=n(1)), expression=s("-"))
    counted = exp.and_(exp.not_(exp.Is(this=power.sql.copy(), expression=exp.Null())), exp.not_(negative), exp.GTE(this=shift, expression=n(0)))
    return bind(Frag(case((counted, exp.TryCast(this=plain, to=exp.DataType.build("DECIMAL"), safe=True))), power.depth))


def floating(raw: exp.Expr, dialect: str) -> exp.Expr:
    """Whether the column is a double's: its value is no date, whatever its text (evaluate()
    reads no float as a date)."""
    kind: exp.Expr = exp.Anonymous(this="TYPEOF", expressions=[raw.copy()])
    if dialect == "postgres":
        kind = exact.cast(exp.Anonymous(this="PG_TYPEOF", expressions=[raw.copy()]), exp.DataType.build("TEXT"))
    return exp.In(this=kind, expressions=[s(k) for k in FLOATS[dialect]])

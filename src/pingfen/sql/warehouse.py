"""The warehouse query (`pingfen sql`): each input read from a column whose type the query is
not told, as `evaluate(record, ratios=True)` reads the value a row gives.

A `DECIMAL`, an integer, a `BOOLEAN` or a `DATE` column is read as sql/newforms.py reads it. A
number's `DOUBLE` or `FLOAT` column is read by its shortest digits, as `evaluate` reads a
Python float (`Decimal(str(x))`: 0.35 is 0.35, not the 0.34999999999999997… the double holds;
a `FLOAT` is the double it widens to), and a text column as `pingfen eval` reads a cell's text
(sql/spelt.py), a bare number in a percent column a ratio: never as a cast to `DECIMAL` would.

The query branches on `typeof(column)`, which DuckDB and Spark work out when they bind the
query: the branch not taken is folded away, and a `DECIMAL` column costs nothing per row.

DuckDB reads text as sql/spelt.py does. On Spark the query reads only a number's text that it
can read exactly (`1200`, ` 0.95 `, `1.5E3`: the one form of a number, ASCII, within 20
decimals); any other text (`95%`, `1,200`, `１２`) refuses its row with PF813 rather than be
read otherwise, a bool's text by `values.to_bool`'s words, a label's without what `str.strip`
takes away, a date's as `values.to_date` reads it (sql/dates.py); a double by its Java text, the shortest for every value below 10^14 (Java 17's
`Double.toString` is not the shortest for some larger ones, which PF800 refuses anyway).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
from sqlglot import exp

from pingfen.absent import NA_WORDS
from pingfen.evaluate.rubric import InputSpec, Rubric
from pingfen.sql import compiler, exact, narrow
from pingfen.sql.compiler import Frag
from pingfen.sql.exact import NUM, SPACES, case, cast
from pingfen.sql.newforms import FormsCompiler
from pingfen.sql.spelt import TEXT, UNREAD, SpeltCompiler, fn, s
from pingfen.values import FALSE_WORDS, MAX_NUMBER_TEXT, TRUE_WORDS, pinned

DOUBLE = exp.DataType.build("DOUBLE")
NUMBERS = frozenset({"number", "amount", "count", "percent", "score"})
# typeof's names of a column read as text, and of a float, in each dialect
TEXTS = {"duckdb": ("VARCHAR",), "spark": ("string",)}
FLOATS = {"duckdb": ("DOUBLE", "FLOAT"), "spark": ("double", "float")}
BOOLEANS = {"duckdb": ("BOOLEAN",), "spark": ("boolean",)}
INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT")  # DuckDB's
# The one form of a number (values.NUMBER_FORM) in a pattern that reads alike in RE2 and Java's
# regular expressions, with no backslash (a string literal's escape on Spark)
PLAIN = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"


def typeof(raw: exp.Expr) -> exp.Expr:
    return fn("TYPEOF", raw.copy())


def one_of_types(raw: exp.Expr, kinds: tuple[str, ...]) -> exp.Expr:
    return exp.In(this=typeof(raw), expressions=[s(k) for k in kinds])


def held(number: exp.Expr, value: exp.Expr, fraction: bool) -> exp.Expr:
    """spelt.kept in functions both engines have, its patterns without a backslash: the text
    where the query holds its number exactly, else ±10^17 (refused by its bounds or PF800,
    never read rounded), a count's digit past the 20th decimal ½ (its fraction, PF503)."""
    huge = case((exp.EQ(this=exp.Left(this=number.copy(), expression=exp.Literal.number(1)), expression=s("-")), s("-1E17")), default=s("1E17"))
    fraction_digits = fn("REGEXP_EXTRACT", number.copy(), s("^[^eE.]*[.]([0-9]*?)0*([eE].*)?$"), exp.Literal.number(1))
    power = fn("REGEXP_EXTRACT", number.copy(), s("[eE]([+-]?[0-9]+)$"), exp.Literal.number(1))
    exponent = exp.Coalesce(this=exp.TryCast(this=power, to=exp.DataType.build("INT"), safe=True), expressions=[exp.Literal.number(0)])
    beyond = exp.GT(this=exp.Sub(this=exp.Length(this=fraction_digits), expression=exponent), expression=exp.Literal.number(exact.SCALE))
    unread = (exp.Is(this=number.copy(), expression=exp.Null()), exp.Null())
    null = exp.Is(this=value.copy(), expression=exp.Null())
    if fraction:
        return case(unread, (null, huge), (beyond, s("0.5")), default=number.copy())
    return case(unread, (exp.or_(null, beyond), huge), default=number.copy())


class Warehouse(SpeltCompiler):
    """The compiler of `pingfen sql`: each input a branch on its column's type (module docstring)."""

    ratios = True  # a bare percent is a ratio already, as evaluate(record, ratios=True) reads it

    def __init__(self, rubric: Rubric, table: str, dialect: str, reasons: bool = True) -> None:
        super().__init__(rubric, table, dialect, reasons)
        self.texty: dict[str, exp.Expr] = {}  # an input's column is read as text (typeof: a constant)

    def inputs(self) -> None:
        self.spelt = {}  # a number's twin is read from its column (exact.small_input keeps it only where equal)
        FormsCompiler.inputs(self)  # a table has no MISALIGNED column: no PF520 site

    def select(self, scores: dict[str, Frag], total: Frag, grade: Frag, refusal: Frag, narrowed: dict[str, exp.Expr]) -> exp.Select:
        return FormsCompiler.select(self, scores, total, grade, refusal, narrowed)

    def panel(self, spec: InputSpec, raw: Frag, bare: Frag | None = None) -> tuple[Frag, list[tuple[Frag, str]]]:
        return FormsCompiler.panel(self, spec, raw, bare)

    def newer_input(self, spec: InputSpec, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        return FormsCompiler.newer_input(self, spec, raw)

    def input(self, spec: InputSpec, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        """Both readings of the input, text and typed, each with its refusals, joined by a CASE
        on the column's type that the engine folds to one of them."""
        number = spec.type in NUMBERS
        kinds = TEXTS[self.dialect] + (FLOATS[self.dialect] if number else ())
        if self.dialect == "spark" and spec.type == "date":  # read from its text whatever its type (FormsCompiler.read_date)
            return FormsCompiler.input(self, spec, raw)
        if spec.name in self.scales:  # its type is known to fix its decimals (to_sql_tree's `scales`): no text
            return FormsCompiler.input(self, spec, raw)
        texty = self.texty[spec.name] = one_of_types(raw.sql, kinds)
        if spec.type == "date":  # a day number in a column of integers or DECIMAL read by its text, as a cell's: no cast to DATE reads it
            texty = self.texty[spec.name] = exp.or_(one_of_types(raw.sql, kinds + INTEGERS), exp.Like(this=typeof(raw.sql), expression=s("DECIMAL(%")))
        text: exp.Expr = cast(raw.sql.copy(), TEXT)
        if number:  # a FLOAT as the double it widens to, as a Python float holds it
            widened = exp.Cast(this=exp.TryCast(this=raw.sql.copy(), to=DOUBLE.copy(), safe=True), to=TEXT.copy())
            text = case((one_of_types(raw.sql, FLOATS[self.dialect]), widened), default=text)
        said = self.bind(Frag(text, raw.depth))  # one column: each step reads it several times
        if self.dialect == "duckdb":
            value_s, problems_s = SpeltCompiler.input(self, spec, said)
        else:
            value_s, problems_s = self.plain(spec, said)
        marks = {n: d[spec.name] for n, d in (("marked", self.marked), ("missing", self.missing)) if spec.name in d}
        self.small.pop(spec.name, None)
        value_t, problems_t = FormsCompiler.input(self, spec, raw)
        twin = self.small.get(spec.name)
        if twin is not None:  # a count's twin, read from its typed column (none where it is text: the long path)
            self.small[spec.name] = attrs.evolve(twin, frag=Frag(case((texty.copy(), exp.Null()), default=twin.frag.sql.copy()), twin.frag.depth))
        for name, mark in marks.items():  # a column each, read in many places: copied
            d = getattr(self, name)
            d[spec.name] = self.either(texty, Frag(mark.sql.copy(), mark.depth), Frag(d[spec.name].sql.copy(), d[spec.name].depth))
        codes = [code for _, code in problems_s]
        typed = dict((code, frag) for frag, code in problems_t)
        assert set(typed) <= set(codes), (codes, typed)
        never = Frag(exp.false(), 0)
        problems = [(self.either(texty, frag, typed.get(code, never)), code) for frag, code in problems_s]
        return self.either(texty, value_s, value_t), problems

    def flag(self, spec: InputSpec, raw: Frag) -> exp.Expr:
        """A bool's column or text as cast to BOOLEAN; any other column (a number's, of any type) by
        its text's number, as `values.to_bool` reads one: 1 or 0, else unread. The cast took 2, 0.5
        and a double's NaN for true."""
        if spec.name in self.scales:
            return FormsCompiler.flag(self, spec, raw)
        flagged = one_of_types(raw.sql, BOOLEANS[self.dialect] + TEXTS[self.dialect])
        text = cast(raw.sql.copy(), TEXT)
        kept = held(text, exp.TryCast(this=text.copy(), to=NUM.copy(), safe=True), fraction=False)  # 1e-300 is not 0
        number = exp.TryCast(this=kept, to=NUM.copy(), safe=True)
        return case((flagged, FormsCompiler.flag(self, spec, raw)), default=compiler.flag_of_number(number))

    def either(self, texty: exp.Expr, text: Frag, typed: Frag) -> Frag:
        """The text's reading where the column is text, else the typed one: each built for this
        one place, so taken as it is (a copy of the 2021 query's pieces cost a third of its build)."""
        return Frag(case((texty.copy(), text.sql), default=typed.sql), max(text.depth, typed.depth))

    def plain(self, spec: InputSpec, said: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        """Spark's reading of a column's text: what it cannot read exactly is PF813, first
        of the input's refusals but a missing value (PF501)."""
        text = self.bind(Frag(exp.Trim(this=said.sql.copy(), expression=s(SPACES), position="BOTH"), said.depth))
        blank = exp.or_(exp.Is(this=text.sql.copy(), expression=exp.Null()), exp.EQ(this=text.sql.copy(), expression=s("")))
        low = exp.Lower(this=text.sql.copy())
        na = exp.In(this=low.copy(), expressions=[s(w) for w in sorted(NA_WORDS)])
        if spec.type == "label":
            return FormsCompiler.input(self, spec, text)
        if spec.type == "bool":
            flag = case((blank, exp.Null()), (exp.In(this=low.copy(), expressions=[s(w) for w in sorted(TRUE_WORDS)]), s("true")),
                        (exp.In(this=low.copy(), expressions=[s(w) for w in sorted(FALSE_WORDS)]), s("false")),
                        (na, text.sql.copy()), default=UNREAD.copy())  # fmt: skip
            return FormsCompiler.input(self, spec, self.bind(Frag(flag, text.depth)))
        form = exp.and_(exp.RegexpLike(this=text.sql.copy(), expression=s(PLAIN)),
                        exp.LTE(this=exp.Length(this=text.sql.copy()), expression=exp.Literal.number(MAX_NUMBER_TEXT)))  # fmt: skip
        formed = self.bind(Frag(form, text.depth))
        digits = case((formed.sql.copy(), text.sql.copy()))
        value = exp.TryCast(this=digits.copy(), to=NUM.copy(), safe=True)
        read = self.bind(Frag(case((blank, exp.Null()), (formed.sql.copy(), held(digits, value, fraction=spec.type == "count")),
                                   (na, text.sql.copy()), default=UNREAD.copy()), formed.depth))  # fmt: skip
        value_s, problems = FormsCompiler.input(self, spec, read)
        foreign = Frag(exp.and_(exp.not_(blank), exp.not_(formed.sql.copy()), exp.not_(na)), formed.depth)
        at = next(i for i, (_, code) in enumerate(problems) if code == "PF502")
        problems.insert(at, (foreign, "PF813"))
        return value_s, problems

    def narrow_input(self, name: str) -> narrow.Units | None:
        """A count's 64-bit form read from its value where the column is text (`１２`, ` 12 `:
        no cast of the text reads it), from the column as ever where it is typed."""
        units = super().narrow_input(name)
        if units is None or name not in self.texty:
            return units
        _raw, value = self.numbers[name]
        kind = exact.decimal_type(narrow.width(units.bound, units.places), units.places)
        from_value = exp.TryCast(this=value.sql.copy(), to=kind, safe=True)
        return attrs.evolve(units, sql=case((self.texty[name].copy(), from_value), default=units.sql.copy()), depth=max(units.depth, value.depth))


def _kind(dialect: str) -> type[FormsCompiler]:
    """The warehouse reading where the dialect tells a column's type in the query (DuckDB,
    Spark: `typeof`); PostgreSQL's query checks a value's text before it casts it (sql/compiler.py)."""
    return Warehouse if dialect in TEXTS else FormsCompiler


@pinned  # the caller's decimal context never reaches the literals and scales the query is built of
def to_sql_tree(rubric: Rubric, dialect: str = "duckdb", table: str = "records", *, reasons: bool = True,
                scales: Mapping[str, int] | None = None, keep: Sequence[str] | None = None) -> exp.Select:  # fmt: skip
    """The scoring query as a sqlglot tree, issue 10's forms translated (sql/compiler.py), each
    input read whatever its column's type (above); `scales`: the decimals of the relation's
    columns, where known (DuckDB: sql/narrow.py), a column of a type that fixes them (`DECIMAL`,
    an integer), read as typed, without the branch; `keep`: the relation's columns passed
    through (compiler.to_sql_tree). A dialect not in `VERIFIED` is refused (PF804): its query
    is not checked on its engine."""
    exact.refuse_unverified(dialect)
    return compiler.to_sql_tree(rubric, dialect, table, reasons=reasons, kind=_kind(dialect), scales=scales, keep=keep)


@pinned
def to_sql(rubric: Rubric, dialect: str = "duckdb", table: str = "records", *, reasons: bool = True,
           keep: Sequence[str] | None = None) -> str:  # fmt: skip
    """The scoring query in `dialect` (duckdb, spark or postgres: `VERIFIED`): one row per record of `table`."""
    exact.refuse_unverified(dialect)
    return compiler.to_sql(rubric, dialect, table, reasons=reasons, kind=_kind(dialect), keep=keep)

"""A rubric → one SQL `SELECT` (a sqlglot tree) that scores a relation of records, one row each.

The query is a chain of CTEs, each `SELECT *, new columns FROM the one before`: a value read
more than once (a let, a band's subject, the operands of a long division, a node's score) is
bound to a column in one layer and read by name in the next, so nothing is written twice and
the query grows with the rubric, not with its nesting. The records relation's own columns pass
through; the inputs are read into typed columns; then every let, every node, the total, the
grade. A record that evaluate() refuses is refused here too, as columns: the first refusal in
evaluate()'s order, its code and its input, and NULL scores — so a bad row costs only itself.

The compiler follows the walker (evaluate/walker.py) step by step, in its order: inputs as
`Rubric.coerce` reads them, the lets in order, then the nodes depth first; a refusal site
(a zero divisor, no band or arm, a bad input) is guarded by whether evaluate() would reach it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import cache, partial
from typing import assert_never

import attrs
import sqlglot.errors
from attrs import frozen
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from pingfen import ast, values
from pingfen.check.intervals import INF, NEG_INF
from pingfen.check.passes import Checked, check
from pingfen.check.soundness import unclamped
from pingfen.evaluate.rubric import InputSpec, Rubric, given_rubric
from pingfen.reasons import Site as ReasonSite
from pingfen.reasons import placeholders
from pingfen.sql import exact, narrow, sizes
from pingfen.sql.exact import NUM, SqlRefusal, case, cast, integer, literal
from pingfen.sql.forms import refuse_untranslated

# The names of the columns a scored row ends with, after its nodes.
TOTAL, GRADE, REASONS, REFUSAL, REFUSAL_INPUT = "total", "grade", "reasons", "refusal", "refusal_input"
OWN = (TOTAL, GRADE, REASONS, REFUSAL, REFUSAL_INPUT)
PREFIX = "_pf_"  # internal columns, dropped at the end


def fold(name: str) -> str:
    """A column's name as DuckDB 2.0 compares it, for every name the engine and the query's checks
    compare: ASCII letters in either case are one (`Total` is `total`), every other character is
    itself (`Ä` and `ä`, `Σ` and `σ`, `ǅ` and `ǆ`, `K` and `k` are two columns; nothing is
    normalized). Not `str.lower()`: it folds all of Unicode, so a file's column `Ä` beside a node
    `ä` would be taken for the node's and left out (tests/test_engine_fold.py). Other dialects
    compare otherwise: `folding`."""
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def spark_fold(name: str) -> str:
    """A column's name as Spark compares it (spark.sql.caseSensitive off, its default): its
    analyzer looks a name up by its lower case in Java's Locale.ROOT (all of Unicode, as
    `str.lower()`: `Ä` is `ä`, the Kelvin sign `k`, `ẞ` `ß`; `Σ` at a word's end `ς`; `İ` is
    `i̇`) and keeps the columns `String.equalsIgnoreCase` takes for it (letter by letter, each as
    its upper case's lower case, so `İ` stays apart from `i̇`). Two names are one where both
    agree: `Σ` and `ς`, `ſ` and `s`, `İ` and `i` are two (tests/test_spark_names.py). Letters
    Unicode added after 13.0 (`Ꟁ`, Vithkuqi) are folded as Python's Unicode folds them, as Spark on
    a newer Java does: on Java 17 they are two names, and refused all the same."""
    return name.lower() + "\x00" + "".join(map(_letter, name))


def _letter(c: str) -> str:
    """A letter as Java's equalsIgnoreCase compares it: the lower case of its upper case, each
    Unicode's simple (one-letter) mapping, which `str.upper()`/`lower()` give but where theirs
    is longer (`ß`'s `SS`: `ß` itself; `İ`'s `i̇`: `i`)."""
    upper = c.upper()
    upper = upper if len(upper) == 1 else c
    lower = upper.lower()
    return lower if len(lower) == 1 else "i"  # İ, the one letter whose lower case is two


NAMEDATALEN = 63  # the bytes of a name PostgreSQL keeps (its NAMEDATALEN - 1)


def postgres_fold(name: str) -> str:
    """A quoted name as PostgreSQL compares it: exactly (the query quotes every column), but cut
    to its first 63 bytes (NAMEDATALEN - 1) of whole characters, as the server cuts every name."""
    return name.encode()[:NAMEDATALEN].decode("utf-8", "ignore")


# How each dialect's engine compares the query's quoted column names (PF805, PF809, PF810): where
# verified, exactly as it does (tests/test_sql_dialect_names.py, tests/test_spark_names.py);
# DuckDB's and SQLite's fold ASCII letters only. An engine not verified here is held to
# `str.casefold`, which folds what any of these folds and more: a refusal, not a wrong column.
FOLDS: dict[str, Callable[[str], str]] = {
    "duckdb": fold, "sqlite": fold, "spark": spark_fold, "spark2": spark_fold, "databricks": spark_fold,
    "postgres": postgres_fold,
}  # fmt: skip


def folding(dialect: str) -> Callable[[str], str]:
    """The names `dialect` takes as one share what this gives them."""
    return FOLDS.get(dialect, str.casefold)


def reserved(name: str, same: Callable[[str], str]) -> bool:
    """Whether the dialect that compares names by `same` takes `name` for one of the query's own
    columns (OWN) or internal ones (PREFIX)."""
    return same(name) in {same(o) for o in OWN} or same(name[: len(PREFIX)]) == same(PREFIX)


# Spark's words where a batch value's quotient would pass its DIV's 64 bits (long_division)
WRAPPED = "pingfen: a quotient worked out for a batch value is beyond the 18 integer digits the query's numbers hold"
RANGE = Decimal(10) ** 14  # inputs beyond this are refused (PF800): the query's numbers have 18 integer digits
HUGE = Decimal(10) ** 17  # what a value the query cannot hold exactly is read as: beyond RANGE, and every bound


@frozen
class Entry:
    """A reason the rubric may give: the indicator, the Site (as the walker makes it), and the
    kind of each number a row supplies for it ("decimal", "text", "bool")."""

    node: str
    site: ReasonSite
    kinds: tuple[str, ...]


_KINDS = {"bool": "bool", "label": "text"}  # a template's named value by its unit; else a decimal


@frozen
class Frag:
    """A piece of SQL and the layer from which it can be computed (0: the records relation)."""

    sql: exp.Expr
    depth: int

    @property
    def is_column(self) -> bool:
        return isinstance(self.sql, exp.Column)


def _true() -> Frag:
    return Frag(exp.true(), 0)


def join(op: type[exp.Binary], a: Frag, b: Frag) -> Frag:
    return Frag(op(this=a.sql.copy(), expression=b.sql.copy()), max(a.depth, b.depth))


def quoted(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


@frozen
class Small:
    """A value's 64-bit twin (DuckDB only): the value × 10^6 as a BIGINT column or expression,
    NULL on a row where the value has no such form; `bound` bounds its size, so that a sum
    of twins is known to fit 64 bits before it is written."""

    frag: Frag
    bound: int


@frozen
class Site:
    """Where evaluate() may refuse a record: the condition (reached and failing), code, input."""

    condition: Frag
    code: str
    input: str | None
    covered: bool = False  # false wherever the inputs' one test (Compiler.fine) holds
    guard: int | None = None  # PF801's: the token of the value it guards (Compiler.guarded, unguard)


class Compiler:
    def __init__(self, rubric: Rubric, table: str, dialect: str, reasons: bool = True) -> None:
        self.with_reasons = reasons
        self.keep: tuple[str, ...] | None = None  # the relation's columns passed through, where named (to_sql_tree)
        self.big = exact.big_type(dialect)
        self.dialect = dialect
        self.rubric = rubric
        self.table = table
        self.checked: Checked = check(rubric.module)
        # each row's score before its clamp, least and most (an unsound rubric: none known)
        self.unclamped = unclamped(rubric.module, self.checked.units, self.checked.let_order) if self.checked.ok else {}
        self.layers: list[list[tuple[str, exp.Expr]]] = []
        self.count = 0
        self.env: dict[str, Frag] = {}
        self.sites: list[Site] = []
        self.fine: list[Frag] = []  # each input's one test (fine_input), where it has one
        self.scores: dict[str, Frag] = {}  # each node's column, in the order they are bound
        self.walker = rubric.walker()  # for a rule's text as the walker quotes it in reasons
        self.catalogue: list[Entry] = []  # every reason the rubric may give, by number
        self.explained: list[tuple[str, list[Explained]]] = []  # per indicator: when, which, numbers
        self.lost_here: list[Explained] = []
        self.labels: set[str] = {spec.name for spec in rubric.inputs if spec.type == "label"}
        # DuckDB only: a value's 64-bit twin (Small) where its expression has one, by name
        self.small: dict[str, Small] = {}
        self.numbers: dict[str, tuple[Frag, Frag]] = {}  # a numeric input's raw column and its value
        self.lets: dict[str, ast.Let] = {}  # the lets compiled so far whose twin is not yet sought
        self.under = _true()  # where evaluate() reaches what is compiled now (a rule's `if COND`, a row that applies)
        # DuckDB only (sql/narrow.py): each bound column's expression; the CASEs whose branches
        # are one value; the decimals each column of the relation holds (its type), where known
        self.bound: dict[str, tuple[exp.Expr, int]] = {}
        self.alike: set[int] = set()
        self.scales: dict[str, int] = {}
        self.finder: narrow.Narrower | None = None
        self.name_reads: Counter[str] | None = None  # each name's reads in the module (`name_reads`), once needed
        self.lazy: list[str] = []  # DuckDB, no reasons: the indicators whose quotient is worked out only between their ends (ends)
        # how large each value can be (sql/sizes.py): where an operation may not fit NUM, it is guarded
        self.sizes = sizes.Sizes({spec.name: spec for spec in rubric.inputs}, {let.name.text: let for let in self.checked.let_order})
        # while a batch value's expression is compiled (newforms.newer_input): where a row counts
        # in the batch (its inputs valid); what it reads is NULL elsewhere (`value`)
        self.counted: Frag | None = None
        self.guarded_values: list[int] = []  # a token for each value guarded: its site's and its node's (unguard)
        self.lost_spans: dict[int, sizes.Span] = {}  # each step deduction's span (by the rule's id), for its indicator's sum

    @property
    def guarding(self) -> bool:
        """Whether a value too large is guarded (its row refused, PF801): not in a batch value's
        expression, where the row would leave the batch; there, past the digits, the query stops."""
        return self.counted is None

    # ---------------------------------------------------------------- layers
    def bind(self, frag: Frag, name: str | None = None) -> Frag:
        """The value as a column of the next layer, read by name from then on."""
        if name is None:
            name = f"{PREFIX}{self.count}"
            self.count += 1
        while len(self.layers) <= frag.depth:
            self.layers.append([])
        self.layers[frag.depth].append((name, frag.sql))
        self.bound[name] = (frag.sql, frag.depth)
        return Frag(quoted(name), frag.depth + 1)

    def column(self, frag: Frag) -> Frag:
        return frag if frag.is_column else self.bind(frag)

    def refuse(self, reached: Frag, failing: Frag, code: str, input: str | None) -> None:
        self.site(join(exp.And, reached, failing) if reached.sql != exp.true() else failing, code, input)

    def guarded(self, value: Frag, fits: Frag, reached: Frag, null: bool = False) -> Frag:
        """`value` where `fits` holds; else NULL, never worked out, and the row refused where
        evaluate() reaches it (PF801): a value NUM cannot hold costs only its row (sql/sizes.py).
        `null`: `value` is NULL already where `fits` fails (a long division's)."""
        if not self.guarding:
            return value
        self.refuse(reached, Frag(exp.Not(this=exact.paren(fits.sql.copy())), fits.depth), "PF801", None)
        kept = value if null else Frag(case((fits.sql.copy(), value.sql)), max(value.depth, fits.depth))
        token = len(self.guarded_values)
        self.guarded_values.append(token)
        self.sites[-1] = attrs.evolve(self.sites[-1], guard=token)
        kept.sql.meta["guard"] = token  # the site stays only where the value is read (unguard)
        return kept

    def readable(self, frag: Frag) -> Frag:
        """`frag` as what may be read several times: a column, or a constant as it is."""
        constant = isinstance(frag.sql, exp.Cast) and isinstance(frag.sql.this, exp.Literal)
        return frag if constant else self.column(frag)

    def plus(self, left: Frag, right: Frag, subtract: bool, spans: tuple[sizes.Span, sizes.Span], reached: Frag) -> Frag:
        """left ± right, guarded where their spans (sql/sizes.py) say it may not fit NUM."""
        op: type[exp.Binary] = exp.Sub if subtract else exp.Add
        if sizes.plus(spans[0], spans[1].negated() if subtract else spans[1]).fits:
            return Frag(cast(op(this=left.sql.copy(), expression=right.sql.copy()), NUM), max(left.depth, right.depth))
        a, b = self.readable(left), self.readable(right)
        fits = Frag(exact.fits_sum(a.sql, b.sql, subtract), max(a.depth, b.depth))
        return self.guarded(Frag(cast(op(this=a.sql.copy(), expression=b.sql.copy()), NUM), fits.depth), fits, reached)

    def site(self, failing: Frag, code: str, input: str | None) -> None:
        """A refusal where evaluate() reaches it: within `self.under`."""
        self.sites.append(Site(join(exp.And, self.under, failing) if self.under.sql != exp.true() else failing, code, input))

    # ---------------------------------------------------------------- inputs
    def inputs(self) -> None:
        for spec in self.rubric.inputs:
            raw = Frag(quoted(spec.name), 0)
            value, problems = self.input(spec, raw) if self.reads(spec) else self.newer_input(spec, raw)
            bound = self.bind(value)
            self.env[spec.name] = bound
            # a number read from its column: it may have a 64-bit twin. Not a batch value (`batch
            # count(…)`): the relation has no column of its name, its window is a later layer's
            if spec.type not in ("bool", "label", "date") and spec.batch is None:
                self.numbers[spec.name] = (raw, bound)
            fine = self.fine_input(spec, bound, problems) if self.reads(spec) else None
            for condition, code in problems:
                self.sites.append(Site(condition, code, spec.name, fine is not None and code in fine[1]))
            if fine is not None:
                self.fine.append(fine[0])

    def fine_input(self, spec: InputSpec, value: Frag, problems: list[tuple[Frag, str]]) -> tuple[Frag, frozenset[str]] | None:
        """One test that holds only where none of the input's refusals of these codes can: the
        refusal column tries it before the sites, so a row of good inputs (the common one) is
        not put to three or four tests an input. Its value column is NULL wherever the input
        is missing, unread or too large (PF501, PF502, PF800), so a number is fine where that
        column is there and its domain (PF503) holds; a bool where it is read; a label where it
        is one of those declared. NULL counts as not fine: the row takes every site in turn."""
        there = exp.Not(this=exp.Is(this=value.sql.copy(), expression=exp.Null()))
        match spec.type:
            case "bool":
                return Frag(there, value.depth), frozenset({"PF501", "PF502"})
            case "label":
                if "" in spec.labels:
                    return None
                known = exp.In(this=value.sql.copy(), expressions=[exp.Literal.string(label) for label in spec.labels])
                return Frag(known, value.depth), frozenset({"PF501", "PF506"})
            case "date":
                return None
        tests: list[exp.Expr] = [there]
        depth = value.depth
        for condition, code in problems:
            if code == "PF503":
                tests.extend(negated(condition.sql))
                depth = max(depth, condition.depth)
        return Frag(exp.and_(*tests), depth), frozenset({"PF501", "PF502", "PF503", "PF800"})

    def flag(self, spec: InputSpec, raw: Frag) -> exp.Expr:
        """A bool input's value from its column (NULL where unread: PF502); a number's column
        (DECIMAL, an integer: `scales`, the DuckDB engine's) is read as `values.to_bool` reads a number."""
        if self.dialect == "duckdb" and spec.name in self.scales:
            return flag_of_number(raw.sql)
        if self.dialect == "postgres":
            return postgres_flag(raw.sql)
        return exp.TryCast(this=raw.sql.copy(), to=exp.DataType.build("BOOLEAN"), safe=True)  # safe: Spark writes TRY_CAST

    def input(self, spec: InputSpec, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        """The typed value of an input and its refusals, in `values.coerce`'s order."""
        missing: exp.Expr = exp.Is(this=raw.sql.copy(), expression=exp.Null())
        if self.dialect == "postgres":  # a blank text is missing (PF501), as values.coerce reads it: this query reads no column's type
            missing = exp.or_(missing, blank_text(raw.sql))
        if spec.type == "bool":
            value = self.flag(spec, raw)
            unread = exp.and_(exp.not_(missing), exp.Is(this=value.copy(), expression=exp.Null()))
            at = raw.depth  # 0: the records relation's column (sql/spelt.py gives a column worked from it)
            return Frag(value, at), [(Frag(missing, at), "PF501"), (Frag(unread, at), "PF502")]
        if spec.type == "label":
            own = isinstance(raw.sql, exp.Column) and raw.depth == 0  # the relation's column, of any type; else text the query made
            text = label_text(raw.sql, self.dialect) if own else exp.Trim(this=cast(raw.sql.copy(), exp.DataType.build("TEXT")))
            empty = exp.or_(missing, exp.EQ(this=text.copy(), expression=exp.Literal.string("")))
            known = exp.In(this=text.copy(), expressions=[exp.Literal.string(label) for label in spec.labels])
            return Frag(text, raw.depth), [(Frag(empty, raw.depth), "PF501"), (Frag(exp.not_(known), raw.depth), "PF506")]
        # read once into a column: every check below reads the column, not the text again
        typed: exp.Expr = exp.TryCast(this=raw.sql.copy(), to=NUM, safe=True)  # safe: else sqlglot writes CAST for Spark, an error on "abc"
        if raw.is_column and raw.depth == 0 and (self.dialect == "spark" or (self.dialect == "duckdb" and spec.name not in self.scales)):
            typed = typed_number(raw.sql, typed, self.dialect)  # the relation's column, of a type not known (DuckDB's `scales` are numbers')
        at = raw.depth
        if self.dialect == "postgres":
            typed, at = self.postgres_number(raw)
        wide = self.scales.get(spec.name)
        if self.dialect == "duckdb" and wide is not None and wide > exact.SCALE:
            # a column of more decimals than the query's 20 (a Parquet DECIMAL(38, 25)): a value with
            # digits past the 20th is not read rounded but as ±10^17, which its bounds (PF503) or
            # range (PF800) refuse, as a cell's text with them is (sql/spelt.py, `kept`)
            lost = exp.NEQ(this=exp.Round(this=raw.sql.copy(), decimals=exp.Literal.number(exact.SCALE)), expression=raw.sql.copy())
            huge = case((exp.LT(this=raw.sql.copy(), expression=integer(0)), literal(-HUGE)), default=literal(HUGE))
            typed = case((lost, huge), default=typed)
        read = self.bind(Frag(typed, at))
        unread = exp.and_(exp.not_(missing), exp.Is(this=read.sql.copy(), expression=exp.Null()))
        problems: list[tuple[Frag, str]] = [(Frag(missing, raw.depth), "PF501")]
        # a column of numbers (an integer, a DECIMAL) fails the cast only where its value is too
        # large for NUM (a BIGINT of 10^18): beyond the query (PF800), never "not a number" (PF502)
        beyond = unread if self.dialect == "duckdb" and wide is not None else None
        if beyond is None:
            problems.append((Frag(unread, read.depth), "PF502"))
        if spec.precision is not None:  # rounded when read, before its domain is checked (as Rubric.coerce)
            read = self.bind(self.at_precision(spec, read))
        number: exp.Expr = read.sql
        domain: list[exp.Expr] = []
        depth = read.depth
        if spec.type == "count":
            domain.append(self.fraction(spec.name, raw, read))
            depth = max(depth, self.small[spec.name].frag.depth if spec.name in self.small else 0)
            domain.append(exp.LT(this=number.copy(), expression=integer(0)))
        if spec.type == "amount":
            domain.append(exp.LT(this=number.copy(), expression=integer(0)))
        for op, bound in spec.bounds:
            domain.append(exp.not_(compare(op, number.copy(), literal(bound))))
        if domain:
            problems.append((Frag(exp.or_(*domain), depth), "PF503"))
        large: exp.Expr = exp.GTE(this=exp.Abs(this=number.copy()), expression=literal(RANGE))
        problems.append((Frag(large if beyond is None else exp.or_(beyond, large), read.depth), "PF800"))
        inside = exp.LT(this=exp.Abs(this=number.copy()), expression=literal(RANGE))  # else NULL: nothing downstream overflows
        return Frag(case((inside, number.copy())), read.depth), problems

    def postgres_number(self, raw: Frag) -> tuple[exp.Expr, int]:
        """A number's column read on PostgreSQL, which has no TRY_CAST and whose cast to
        NUMERIC(38, 20) rounds digits past the 20th and fails from 10^18: its text is tested first
        (no number, `NaN`, `Infinity`: NULL, PF502), read exactly as NUMERIC, and a value with
        digits past the 20th or of 10^17 or more is read as ±10^17, which its bounds (PF503) or
        range (PF800) refuse, as on DuckDB — never rounded, never an error of the query."""
        text = cast(raw.sql.copy(), exp.DataType.build("TEXT"))  # a DOUBLE PRECISION's shortest digits, as evaluate() reads a float
        number = exp.RegexpLike(this=text.copy(), expression=exp.Literal.string(exact.NUMBER_TEXT))
        # the text cast, not the column: PostgreSQL casts a DOUBLE PRECISION to NUMERIC by 15 digits
        x = self.bind(Frag(case((number, cast(text, exp.DataType.build("DECIMAL")))), raw.depth)).sql
        lost = exp.or_(exp.GTE(this=exp.Abs(this=x.copy()), expression=literal(HUGE)),
                       exp.NEQ(this=exp.Round(this=x.copy(), decimals=exp.Literal.number(exact.SCALE)), expression=x.copy()))  # fmt: skip
        huge = case((exp.LT(this=x.copy(), expression=integer(0)), literal(-HUGE)), default=literal(HUGE))
        return case((lost, huge), default=cast(x.copy(), NUM)), raw.depth + 1

    def fraction(self, name: str, raw: Frag, read: Frag) -> exp.Expr:
        """Whether a count's value has a fraction. `floor` of a DECIMAL(38, 20) costs DuckDB a
        128-bit division per row: there the input's twin (exact.small_input) answers when it
        has one, `value × 10^6` not a whole million, and only a row without one is floored."""
        floored = exp.NEQ(this=read.sql.copy(), expression=exp.Floor(this=read.sql.copy()))
        if self.dialect != "duckdb":
            return floored
        if self.known_places(name, raw) == 0:  # a column of whole numbers (BIGINT, DECIMAL(p, 0)): none has a fraction
            return exp.false()
        twin = self.small[name] = Small(self.bind(Frag(self.small_input(name, raw, read), read.depth)), exact.SMALL_BOUND)
        whole = exp.NEQ(this=exp.Mod(this=twin.frag.sql.copy(), expression=integer(10**exact.TWIN_PLACES)), expression=integer(0))
        return case((exp.Not(this=exp.Is(this=twin.frag.sql.copy(), expression=exp.Null())), whole), default=floored)

    def known_places(self, name: str, raw: Frag) -> int | None:
        """The decimals of an input's every value where its column's type fixes them (`scales`)
        and the value is the column's own: the relation's column, no `precision` rounding it."""
        spec = next((s for s in self.rubric.inputs if s.name == name), None)
        own = isinstance(raw.sql, exp.Column) and raw.sql.name == name and raw.depth == 0
        return self.scales.get(name) if own and spec is not None and spec.precision is None else None

    def small_input(self, name: str, raw: Frag, value: Frag) -> exp.Expr:
        """An input's twin (exact.small_input), in 64 bits all through for a column of known scale."""
        places = self.known_places(name, raw)
        if places is not None and places <= exact.KNOWN_PLACES:
            return exact.small_known(raw.sql, places)
        return exact.small_input(raw.sql, value.sql)

    # ---------------------------------------------------------------- expressions
    def value(self, e: ast.Expr, where: str, reached: Frag) -> Frag:
        """The SQL of an expression; refusal sites inside it are guarded by `reached`."""
        match e:
            case ast.Number():
                return Frag(literal(e.value), 0)
            case ast.Bool():
                return Frag(exp.true() if e.value else exp.false(), 0)
            case ast.Ref():
                if e.name.text not in self.env:
                    return self.newer(e, where, reached)  # a label named bare
                found = self.env[e.name.text]
                if self.counted is None:
                    return found
                # a batch value's expression, unguarded, is worked out for every row of the query:
                # NULL where the row is left out of the batch or evaluate() does not reach it there
                # (an `if`'s other arm), so that no arithmetic evaluate() never does stops the query
                where_read = [f for f in (reached, self.counted) if f.sql != exp.true()]
                if not where_read:
                    return found
                mask = where_read[0] if len(where_read) == 1 else join(exp.And, *where_read)
                return Frag(case((mask.sql.copy(), found.sql.copy())), max(found.depth, mask.depth))
            case ast.Neg():
                operand = self.value(e.operand, where, reached)
                return Frag(cast(exp.Neg(this=paren(operand)), NUM), operand.depth)
            case ast.Not():
                inner = self.value(e.operand, where, reached)
                return Frag(exp.Not(this=exact.paren(inner.sql)), inner.depth)
            case ast.And() | ast.Or():
                left = self.value(e.left, where, reached)
                holds = left if isinstance(e, ast.And) else Frag(exp.Not(this=exact.paren(left.sql.copy())), left.depth)
                right = self.value(e.right, where, join(exp.And, reached, holds))
                op: type[exp.Binary] = exp.And if isinstance(e, ast.And) else exp.Or
                return Frag(op(this=exact.paren(left.sql.copy()), expression=exact.paren(right.sql.copy())), max(left.depth, right.depth))
            case ast.Compare():
                left, right = self.value(e.left, where, reached), self.value(e.right, where, reached)
                return Frag(compare(e.op, left.sql.copy(), right.sql.copy()), max(left.depth, right.depth))
            case ast.Call():
                if e.func in ast.AGGREGATES or e.func in ast.DURATIONS:
                    return self.newer(e, where, reached)
                args = [self.value(a, where, reached) for a in e.args]
                depth = max(a.depth for a in args)
                if e.func == "abs":
                    return Frag(exp.Abs(this=args[0].sql.copy()), depth)
                kind: type[exp.Func] = exp.Least if e.func == "min" else exp.Greatest
                if len(args) == 1:
                    return args[0]
                return Frag(kind(this=args[0].sql.copy(), expressions=[a.sql.copy() for a in args[1:]]), depth)
            case ast.Binary():
                return self.binary(e, where, reached)
            case ast.IfElse() | ast.Round():
                return self.newer(e, where, reached)
            case _:
                assert_never(e)

    def binary(self, e: ast.Binary, where: str, reached: Frag) -> Frag:
        if e.op == "/":
            divisor = self.value(e.right, where, reached)  # read first, as the walker does
            name = e.right.name.text if isinstance(e.right, ast.Ref) else None
            zero = Frag(exp.EQ(this=divisor.sql.copy(), expression=integer(0)), divisor.depth)
            self.refuse(reached, zero, "PF504", name)
            dividend = self.value(e.left, where, reached)
            bound = self.sizes.of(e.right).size
            if self.dialect != "duckdb":
                return self.divide(dividend, divisor, reached=reached, divisor_bound=bound)
            return self.divide(dividend, divisor, (self.twin(e.left), self.twin(e.right)), reached=reached, divisor_bound=bound)
        left, right = self.value(e.left, where, reached), self.value(e.right, where, reached)
        spans = (self.sizes.of(e.left), self.sizes.of(e.right))
        if e.op in ("+", "-"):
            return self.plus(left, right, e.op == "-", spans, reached)
        return self.multiply(left, right, ast.constant(e.left), ast.constant(e.right), spans, reached)

    def multiply(self, left: Frag, right: Frag, left_constant: Decimal | None, right_constant: Decimal | None,
                 spans: tuple[sizes.Span, sizes.Span] | None = None, reached: Frag | None = None) -> Frag:  # fmt: skip
        """left × right; guarded where the operands' `spans` (sql/sizes.py) say it may not fit
        NUM (None: the caller knows it fits, a score by the rubric's max)."""
        guard = spans is not None and not sizes.times(*spans).fits
        for operand, constant, span in ((left, right_constant, spans and spans[0]), (right, left_constant, spans and spans[1])):
            if constant is None or not exact.multiplies(constant):
                continue
            if guard or (exact.decimals(constant) > 0 and any("times" in e.meta for e in operand.sql.walk())):
                # a product by parts reads its operand seven times: one that holds such a product
                # is bound to a column, so a chain grows by a column a link, not sevenfold; any
                # other stays where it is written (in a branch, reached only where evaluate() does)
                operand = self.column(operand)
            product = exact.times_literal(operand.sql.copy(), constant)
            assert product is not None  # exact.multiplies said so
            if not guard or span is None:
                return Frag(product, operand.depth)
            return self.scaled(operand, Frag(product, operand.depth), span, constant, reached or _true())
        a, b = self.column(left), self.column(right)
        both = Frag(exact.times(a.sql, b.sql), max(a.depth, b.depth))
        if not guard:
            return both
        return self.guarded(both, Frag(exact.fits_product(a.sql, b.sql), both.depth), reached or _true())

    def twin(self, e: ast.Expr) -> Small | None:
        """The expression's 64-bit twin (its value × 10^6 as a BIGINT, NULL on a row where it
        has none), when it is built of inputs and short constants by + and -; else None."""
        match e:
            case ast.Number():
                scaled = exact.small_literal(e.value)
                return None if scaled is None else Small(Frag(cast(integer(scaled), exact.BIGINT), 0), abs(scaled))  # BIGINT: DuckDB types a short literal INTEGER
            case ast.Ref():
                name = e.name.text
                if name not in self.small and name in self.numbers:  # an input's twin, made when first divided
                    raw, value = self.numbers[name]
                    self.small[name] = Small(self.bind(Frag(self.small_input(name, raw, value), value.depth)), exact.SMALL_BOUND)
                if name not in self.small and name in self.lets:  # a let's: its expression's, once
                    found = self.twin(self.lets.pop(name).expr)
                    if found is not None:
                        self.small[name] = Small(self.column(found.frag), found.bound)
                return self.small.get(name)
            case ast.Neg():
                inner = self.twin(e.operand)
                return None if inner is None else Small(Frag(exp.Neg(this=exact.paren(inner.frag.sql.copy())), inner.frag.depth), inner.bound)
            case ast.Binary() if e.op in ("+", "-"):
                left, right = self.twin(e.left), self.twin(e.right)
                if left is None or right is None or left.bound + right.bound >= exact.BIGINT_LIMIT:
                    return None  # the sum might overflow 64 bits: no twin
                op: type[exp.Binary] = exp.Add if e.op == "+" else exp.Sub
                both = op(this=exact.paren(left.frag.sql.copy()), expression=exact.paren(right.frag.sql.copy()))  # sqlglot adds no parentheses
                return Small(Frag(both, max(left.frag.depth, right.frag.depth)), left.bound + right.bound)
            case _:
                return None

    def divide(self, dividend: Frag, divisor: Frag, twins: tuple[Small | None, Small | None] = (None, None),
               needed: Frag | None = None, reached: Frag | None = None, divisor_bound: Decimal = sizes.LARGEST,
               guard: bool = True) -> Frag:  # fmt: skip
        """dividend / divisor to SCALE decimals, half-even (NULL when the divisor is 0: that
        record is refused, PF504). On DuckDB, a row whose operands have 64-bit twins and a
        divisor under 10^12 divides them in 64-bit steps (exact.short_division); every other
        row by long division on 128-bit integers, whose every step is NULL on a short row.
        With `needed` (ends), a row where it does not hold gets NULL, its steps skipped.
        A quotient of LIMIT or more in size is NULL, its row refused where `reached` (PF801);
        `divisor_bound`: how large the divisor can be (sql/sizes.py); `guard` False: the
        caller knows the quotient is small (ends), only a divisor too large is refused."""
        a, b = self.column(dividend), self.column(divisor)
        reached = reached or _true()
        not_needed = Frag(exp.false(), 0) if needed is None else Frag(exp.Not(this=exact.paren(needed.sql.copy())), needed.depth)
        # the 64-bit steps give no whole part of LIMIT − 1 or more: the dividend's twin (its
        # value × 10^6) bounds the quotient, the divisor's being 1 at least
        if self.dialect != "duckdb" or twins[0] is None or twins[1] is None or twins[0].bound >= int(sizes.LIMIT) - 1:
            return self.long_division(a, b, not_needed, reached, divisor_bound, guard)
        twin_a, twin_b = self.column(twins[0].frag), self.column(twins[1].frag)
        small = self.bind(Frag(exact.is_short(twin_a.sql, twin_b.sql), max(twin_a.depth, twin_b.depth)))
        skipped = small if needed is None else join(exp.Or, small, not_needed)
        long = self.long_division(a, b, skipped, reached, divisor_bound, guard)
        steps = small if needed is None else self.bind(join(exp.And, small, needed))  # DuckDB skips a NULL's division
        short = self.short_division(twin_a, twin_b, steps)
        return Frag(case((small.sql.copy(), short.sql), default=long.sql), max(long.depth, short.depth, small.depth))

    def short_division(self, a: Frag, b: Frag, small: Frag) -> Frag:
        """a / b of two twins (scaled alike, so the quotient is theirs), b under 10^12: the
        integer part and 20 decimals in 64-bit steps of 6, 6, 6 and 2 digits (each remainder
        below 10^12, times 10^6 below 2^63), rounded half-even, as a NUM."""
        na = self.bind(Frag(case((small.sql.copy(), exp.Abs(this=a.sql.copy()))), max(a.depth, small.depth)))
        nb = self.bind(Frag(case((small.sql.copy(), exp.Nullif(this=exp.Abs(this=b.sql.copy()), expression=integer(0)))), max(b.depth, small.depth)))
        negative = self.bind(Frag(exp.NEQ(this=exact.paren(exp.LT(this=a.sql.copy(), expression=integer(0))),
                                          expression=exact.paren(exp.LT(this=b.sql.copy(), expression=integer(0)))),
                                  max(a.depth, b.depth)))  # fmt: skip
        whole = self.bind(join(exp.IntDiv, na, nb))
        rest = self.bind(join(exp.Mod, na, nb))
        digits: list[tuple[Frag, int]] = []
        for width in exact.SHORT_STEPS:
            shifted = Frag(exp.Mul(this=rest.sql.copy(), expression=integer(10**width)), rest.depth)
            digits.append((self.bind(join(exp.IntDiv, shifted, nb)), width))
            rest = self.bind(join(exp.Mod, shifted, nb))
        return Frag(exact.assemble(whole.sql, [(d.sql, w) for d, w in digits], rest.sql, nb.sql, negative.sql),
                    max(whole.depth, rest.depth, negative.depth, *(d.depth for d, _w in digits)))  # fmt: skip

    def long_division(self, a: Frag, b: Frag, small: Frag, reached: Frag, divisor_bound: Decimal, guard: bool = True) -> Frag:
        """a / b by long division on 128-bit integers, CHUNK digits a step; NULL on a row
        where `small` holds. The operands themselves are NULL there, first: DuckDB skips a
        NULL's arithmetic, and it would not skip a CASE's, whose repeated parts (the floors
        of `unscaled`) its optimizer computes beforehand for every row. A quotient of LIMIT or
        more in size (a divisor near 0) is NULL, its row refused where `reached` (PF801): its
        digits are not put together where the whole part is that large (they would not fit
        128 bits), nor made a NUM where rounding brings it there; and so is one by a divisor of
        sizes.DIVISOR or more, where `divisor_bound` (sql/sizes.py) allows one. `guard` False:
        the quotient is known small, its whole part is not tested."""
        if small.sql != exp.false():
            a = self.bind(Frag(exact.unless(small.sql, a.sql.copy()), max(a.depth, small.depth)))
            b = self.bind(Frag(exact.unless(small.sql, b.sql.copy()), max(b.depth, small.depth)))
        ua = self.bind(Frag(exact.unscaled(a.sql, self.big), a.depth))
        ub = self.bind(Frag(exact.unscaled(b.sql, self.big), b.depth))
        negative = self.bind(Frag(exp.NEQ(this=exact.paren(exp.LT(this=ua.sql.copy(), expression=integer(0))),
                                          expression=exact.paren(exp.LT(this=ub.sql.copy(), expression=integer(0)))),
                                  max(ua.depth, ub.depth)))  # fmt: skip
        na = Frag(exp.Abs(this=ua.sql.copy()), ua.depth)
        nb = self.bind(Frag(exp.Nullif(this=exp.Abs(this=ub.sql.copy()), expression=integer(0)), ub.depth))
        # A whole part of LIMIT − 1 or more is refused (so a quotient kept is within KEPT): its
        # digits would not be put together in 128 bits. Spark's DIV wraps a whole part past 2^63:
        # there it is told before it is divided (na < (LIMIT − 1)·nb; always where nb > 10^20).
        # Each remainder × 10^CHUNK must stay below 10^38: a remainder is below the divisor's
        # digits, so only a divisor of 10^14 or more (sizes.DIVISOR) can leave one too large —
        # there each is tested, and the row is refused where one is.
        depth = max(na.depth, nb.depth)
        guard = guard and self.guarding  # a batch value's expression: no test, an overflow stops the query
        wide = divisor_bound >= sizes.DIVISOR and self.guarding
        whole_limit = integer(int(sizes.LIMIT) - 1)
        tested: list[exp.Expr] = []
        if self.dialect == "spark" and (guard or not self.guarding):
            small_whole = exp.LT(this=na.sql.copy(), expression=exp.Mul(this=whole_limit, expression=nb.sql.copy()))
            told = self.bind(Frag(case((exp.GT(this=nb.sql.copy(), expression=integer(10**exact.SCALE)), exp.true()), default=small_whole), depth))
            divided = self.int_div(na, nb).sql
            if not self.guarding:  # a batch value's: never NULL where the value is not (a row would leave the batch): the query stops
                divided = case((exp.Not(this=exact.paren(told.sql.copy())), exp.Anonymous(this="raise_error", expressions=[exp.Literal.string(WRAPPED)])),
                               default=divided)  # fmt: skip
            digits: list[Frag] = [self.bind(Frag(case((told.sql.copy(), divided)) if self.guarding else divided, told.depth))]
            rest = self.bind(Frag(case((told.sql.copy(), join(exp.Mod, na, nb).sql)), told.depth))
            if guard:
                tested.append(told.sql.copy())
        else:
            digits = [self.bind(self.int_div(na, nb))]
            rest = self.bind(join(exp.Mod, na, nb))
            if guard:
                tested.append(exp.LT(this=digits[0].sql.copy(), expression=whole_limit))
        steps = exact.SCALE // exact.CHUNK  # SCALE is a multiple of CHUNK
        for _ in range(steps):
            shifted = Frag(exp.Mul(this=rest.sql.copy(), expression=integer(10**exact.CHUNK)), rest.depth)
            if wide:
                shifted = Frag(case((exp.LT(this=rest.sql.copy(), expression=integer(10 ** (38 - exact.CHUNK))), shifted.sql)), rest.depth)
            digits.append(self.bind(self.int_div(shifted, nb)))
            rest = self.bind(join(exp.Mod, shifted, nb))
        if wide:  # a remainder too large left the last one NULL (where the first digit is there)
            lost = exp.and_(exp.Not(this=exp.Is(this=digits[0].sql.copy(), expression=exp.Null())), exp.Is(this=rest.sql.copy(), expression=exp.Null()))
            tested.append(exp.Not(this=exact.paren(lost)))
        fits = exp.and_(*tested) if tested else None
        # the quotient's digits: q0·10^(CHUNK·steps) + q1·10^(CHUNK·(steps-1)) + … (no literal beyond 10^CHUNK)
        total: exp.Expr = digits[0].sql.copy()
        for digit in digits[1:]:
            total = exp.Add(this=exp.Mul(this=exact.paren(total), expression=integer(10**exact.CHUNK)), expression=digit.sql.copy())
        # NULL where it does not fit (a whole part too large: on Spark its digits are already)
        kept = self.bind(Frag(case((fits.copy(), total)) if fits is not None and self.dialect != "spark" else total, max(d.depth for d in digits)))
        dropped, half = rest.sql.copy(), nb.sql.copy()  # round half-even on what is left over
        twice = exp.Mul(this=integer(2), expression=exact.paren(dropped))
        up = exp.or_(
            exp.GT(this=twice.copy(), expression=half.copy()),
            exp.and_(exp.EQ(this=twice.copy(), expression=half.copy()), exp.EQ(this=exp.Mod(this=kept.sql.copy(), expression=integer(2)), expression=integer(1))),
        )
        rounded = exp.Add(this=kept.sql.copy(), expression=case((up, integer(1)), default=integer(0)))
        signed = exp.Mul(this=exact.paren(rounded), expression=case((negative.sql.copy(), integer(-1)), default=integer(1)))
        quotient = Frag(exact.from_unscaled(signed), max(kept.depth, negative.depth, rest.depth))
        return quotient if fits is None else self.guarded(quotient, Frag(fits, max(digits[0].depth, rest.depth)), reached, null=True)

    def int_div(self, a: Frag, b: Frag) -> Frag:
        """a DIV b. Spark's DIV is a 64-bit integer, and the quotient's digits are shifted
        past 10^19 next: there it is widened back to the 38-digit integer type."""
        quotient = join(exp.IntDiv, a, b)
        return quotient if self.dialect == "duckdb" else Frag(exact.cast(quotient.sql, self.big), quotient.depth)

    # ---------------------------------------------------------------- the tree
    def node(self, node: ast.Node) -> Frag:
        return self.applicable(node, self.scored)

    def scored(self, node: ast.Node) -> Frag:
        match node:
            case ast.Group():
                score = self.rounded_group(node, self.group_score(node, [self.node(c) for c in node.children]))
            case ast.Indicator():
                score = self.rounded_score(node, self.clamped(node, self.indicator(node)))
            case _:
                assert_never(node)
        bound = self.bind(score, f"{PREFIX}node{len(self.scores)}")
        self.scores[node.name.text] = bound
        return bound

    def indicator(self, node: ast.Indicator) -> Frag:
        top, name = node.max.value, node.name.text
        base: ast.BaseRule | None = None
        awards: list[ast.AwardIf] = []
        deductions: list[ast.Deduction] = []
        for rule in node.rules:
            match rule:
                case ast.Bands() | ast.WhenChain() | ast.Match() | ast.Judgment() | ast.Formula():
                    base = base or rule
                case ast.AwardIf():
                    awards.append(rule)
                case ast.DeductStep() | ast.DeductIf():
                    deductions.append(rule)
                case _:
                    assert_never(rule)
        self.lost_here = []  # this indicator's reasons, in the walker's order
        if base is not None:
            start = self.column(self.switched(base, node, partial(self.base, base, node)))
        elif awards:
            start = self.column(sum_of([self.award(a, node) for a in awards]))
        else:
            start = Frag(literal(top), 0)
        lost, raw = self.less_lost(start, base, awards, deductions, node)
        below = Frag(exp.LT(this=raw.sql.copy(), expression=integer(0)), raw.depth)
        self.explain(node, below, "clamped_low", {"max": top}, [("start", start, "decimal"), ("lost", lost, "decimal")], None, plain=True)
        self.explained.append((name, self.lost_here))
        return raw

    def less_lost(self, start: Frag, base: ast.BaseRule | None, awards: Sequence[ast.AwardIf], deductions: Sequence[ast.Deduction],
                  node: ast.Indicator) -> tuple[Frag, Frag]:  # fmt: skip
        """An indicator's (or adjust row's) deductions summed, as a column, and its start less
        them: each sum guarded where the spans say it may not fit NUM (sql/sizes.py)."""
        parts = [self.switched(r, node, partial(self.deduction, r, node)) for r in deductions]
        lost, lost_span = self.total_of(parts, [self.lost_span(r) for r in deductions])
        lost = self.column(lost)
        return lost, self.plus(start, lost, True, (self.start_span(base, awards, node), lost_span), _true())

    def lost_span(self, rule: ast.Deduction) -> sizes.Span:
        """What a deduction can take (sql/sizes.py): its points or none, or as deduct_step found."""
        if isinstance(rule, ast.DeductIf):
            return sizes.Span.point(rule.points.value).hull(sizes.Span.point(Decimal(0)))
        return self.lost_spans[id(rule)]

    def start_span(self, base: ast.BaseRule | None, awards: Sequence[ast.AwardIf], node: ast.Indicator) -> sizes.Span:
        """What an indicator's score before its deductions can be (sql/sizes.py)."""
        points: list[Decimal]
        match base:
            case ast.Formula():
                return self.sizes.of(base.expr)
            case ast.Judgment():
                return sizes.INPUT_SPAN
            case ast.Bands():
                points = [b.points.value for b in base.bands]
            case ast.WhenChain() | ast.Match():
                points = [a.points.value for a in base.arms]
            case None:
                if not awards:
                    return sizes.Span.point(node.max.value)
                return sizes.Span(sizes.add(*(min(a.points.value, Decimal(0)) for a in awards)), sizes.add(*(max(a.points.value, Decimal(0)) for a in awards)))
            case _:
                assert_never(base)
        return sizes.Span(min(points), max(points))

    def total_of(self, parts: Sequence[Frag], spans: Sequence[sizes.Span]) -> tuple[Frag, sizes.Span]:
        """The parts' sum, and its span: one sum where it fits NUM, else guarded a part at a time."""
        whole = spans[0] if spans else sizes.Span.point(Decimal(0))
        for more in spans[1:]:
            whole = sizes.plus(whole, more)
        if whole.fits:
            return sum_of(parts), whole
        total, span = parts[0], spans[0]
        for part, more in zip(parts[1:], spans[1:], strict=True):
            total = self.plus(total, part, False, (span, more), _true())
            span = sizes.summed(span, more)
        return total, span

    # ---------------------------------------------------------------- issue 10's forms
    # Each a hook: here the form is refused (PF807, as sql/forms.py names it first);
    # sql/newforms.py translates them.
    def newer(self, e: ast.Expr, where: str, reached: Frag) -> Frag:
        """if … then … else, round(…), a label named bare, a panel's or dates' function."""
        raise SqlRefusal("PF807", {"form": type(e).__name__})

    def reads(self, spec: InputSpec) -> bool:
        """Whether `input` reads this input: a number, bool or label, one value a record."""
        return not (spec.is_list or spec.type == "date" or spec.batch is not None)

    def newer_input(self, spec: InputSpec, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        raise SqlRefusal("PF807", {"form": f"input {spec.name}"})

    def at_precision(self, spec: InputSpec, value: Frag) -> Frag:
        if spec.precision is not None:
            raise SqlRefusal("PF807", {"form": f"input {spec.name}: … precision"})
        return value

    def switched(self, rule: ast.Rule, node: ast.Indicator, compile: Callable[[], Frag]) -> Frag:
        """A rule's points, where its trailing `if COND` (if any) holds."""
        if ast.guard_of(rule) is not None:
            raise SqlRefusal("PF807", {"form": f"{node.name.text}: … if COND"})
        return compile()

    def formula_if(self, e: ast.IfElse, node: ast.Indicator) -> Frag:
        raise SqlRefusal("PF807", {"form": "if … then … else …"})

    def rounded_score(self, node: ast.Indicator, score: Frag) -> Frag:
        if node.round_places is not None:
            raise SqlRefusal("PF807", {"form": f"{node.name.text}: round"})
        return score

    def rounded_group(self, node: ast.Group, score: Frag) -> Frag:
        """A group's `round N [MODE]`, after its 折算 and clamp (sql/newforms.py)."""
        if node.round_places is not None:
            raise SqlRefusal("PF807", {"form": f"{node.name.text}: round"})
        return score

    def let_value(self, let: ast.Let) -> Frag:
        return self.bind(self.value(let.expr, let.name.text, _true()))

    def applicable(self, node: ast.Node, scored: Callable[[ast.Node], Frag]) -> Frag:
        """A row's score, where an `applies` line (不适用) decides whether it counts."""
        if node.applies is not None:
            raise SqlRefusal("PF807", {"form": f"{node.name.text}: applies"})
        return scored(node)

    def group_score(self, node: ast.Group, parts: list[Frag]) -> Frag:
        return self.clamped(node, sum_of(parts))

    def clamped(self, node: ast.Node, raw: Frag) -> Frag:
        """The score kept in [0, max] (values.clamp), each end only where the checker's
        ranges (check/soundness.unclamped) show it can bite: a group whose parts' maxima sum
        to its own, an indicator of bands or awards within its max, a deduction from the max
        (only the 0 end) — each CASE left out is a few ns a row."""
        top = node.max.value
        if isinstance(node, ast.Indicator) and node.low is not None:  # an adjust row: its own lower end
            return clamp(raw, top)
        low, high = self.unclamped.get(node.name.text, (NEG_INF, INF))
        zero = literal(Decimal(0))
        if low >= 0 and high <= top:
            return raw
        if high <= top:
            return Frag(exact.at_least(raw.sql.copy(), zero), raw.depth)
        if low >= 0:
            return Frag(exact.at_most(raw.sql.copy(), literal(top)), raw.depth)
        return clamp(raw, top)

    def raw_total(self, tops: list[Frag]) -> Frag:
        """The total before rounding."""
        return sum_of(tops)

    def graded(self, total: Frag, header: ast.Header) -> Frag:
        raise SqlRefusal("PF807", {"form": "veto"})

    # ---------------------------------------------------------------- reasons
    def explain(self, node: ast.Indicator, when: Frag, kind: str, facts: dict[str, object],
                fields: list[tuple[str, Frag | None, str]], template: str | None, plain: bool = False) -> None:  # fmt: skip
        """A reason the indicator gives when `when` holds: its Site (as the walker's `reason`
        makes it) goes into the catalogue, its numbers into the row's `reasons` column."""
        top = node.max.value
        numbers = [(frag, kind_) for _name, frag, kind_ in fields]
        if template is None or plain:
            site = ReasonSite(kind, facts, tuple(n for n, _f, _k in fields))
        else:
            named = [n for n in placeholders(template) if n in self.checked.symbols]
            units = tuple((n, self.checked.symbols[n].unit) for n in named)
            site = ReasonSite(kind, facts | {"max": top}, tuple(n for n, _f, _k in fields), template, units)
            numbers += [self.template_value(n) for n in named]
        self.catalogue.append(Entry(node.name.text, site, tuple(k for _f, k in numbers)))
        self.lost_here.append((join(exp.And, self.under, when) if self.under.sql != exp.true() else when, len(self.catalogue) - 1, numbers))

    def template_value(self, name: str) -> tuple[Frag | None, str]:
        """A value an author's `reason "…{NAME}…"` names, and its kind in the reasons column."""
        return self.env[name], _KINDS.get(self.checked.symbols[name].unit, "decimal")

    def arm(self, node: ast.Indicator, when: Frag, kind: str, facts: dict[str, object], fields: list[tuple[str, Frag | None, str]],
            points: Decimal, template: str | None) -> None:  # fmt: skip
        """The walker's `arm`: an arm's reason, with its points, the max and what it lost."""
        top = node.max.value
        if points < top:
            self.explain(node, when, kind, facts | {"points": points, "max": top, "lost": top - points}, fields, template)

    def base(self, rule: ast.BaseRule, node: ast.Indicator) -> Frag:
        name, top = node.name.text, node.max.value
        match rule:
            case ast.Judgment():
                points = self.env[(rule.input or node.name).text]
                short = Frag(exp.LT(this=points.sql.copy(), expression=literal(top)), points.depth)
                self.explain(node, short, "judgment", {"max": top}, [("points", points, "decimal")], None, plain=True)
                return points
            case ast.Formula():
                if isinstance(rule.expr, ast.IfElse):  # its reason names the arm chosen
                    return self.formula_if(rule.expr, node)
                points = self.column(self.value(rule.expr, name, _true()))
                # said when not the max: short of it, or past it (deductions after it may bring it back)
                short = Frag(exp.NEQ(this=points.sql.copy(), expression=literal(top)), points.depth)
                facts = {"formula": self.walker.source_of(rule.expr), "max": top}
                self.explain(node, short, "formula", facts, [("points", points, "decimal")], None, plain=True)
                return points
            case ast.Bands():
                subject = self.column(self.value(rule.subject, name, _true()))
                index = self.chosen([in_band(band, subject.sql) for band in rule.bands], subject.depth, None)
                unit = self.checked.units.get(rule.subject, "number")
                for j, band in enumerate(rule.bands):
                    band_facts: dict[str, object] = {"subject": self.walker.source_of(rule.subject), "unit": unit, "band": ast.band_text(band)}
                    self.arm(node, chosen_is(index, j), "band", band_facts, [("value", subject, "decimal")], band.points.value, band.reason)
                return points_of(index, [b.points.value for b in rule.bands])
            case ast.WhenChain():
                reached = _true()
                tests: list[exp.Expr] = []
                depth, otherwise = 0, None
                for j, arm in enumerate(rule.arms):
                    if arm.condition is None:
                        otherwise = j
                        break
                    holds = self.value(arm.condition, name, reached)
                    depth = max(depth, holds.depth)
                    tests.append(holds.sql.copy())
                    reached = join(exp.And, reached, Frag(exp.Not(this=exact.paren(holds.sql.copy())), holds.depth))
                index = self.chosen(tests, depth, otherwise)
                failed = tuple(self.walker.source_of(a.condition) for a in rule.arms if a.condition is not None)
                for j, arm in enumerate(rule.arms[: len(tests) + (otherwise is not None)]):
                    condition = self.walker.source_of(arm.condition) if arm.condition is not None else None
                    arm_facts: dict[str, object] = {"condition": condition} | ({"failed": failed} if condition is None else {})
                    self.arm(node, chosen_is(index, j), "when" if condition is not None else "when_else", arm_facts, [], arm.points.value, arm.reason)
                return points_of(index, [a.points.value for a in rule.arms])
            case ast.Match():
                subject = self.column(self.value(rule.subject, name, _true()))
                last: dict[str, int] = {}
                for j, choice in enumerate(rule.arms):
                    if choice.label is not None:
                        last[choice.label.text] = j
                otherwise = next((j for j, a in enumerate(rule.arms) if a.label is None), None)
                labels = list(last)
                index = self.chosen([exp.EQ(this=subject.sql.copy(), expression=exp.Literal.string(label)) for label in labels], subject.depth,
                                    None if otherwise is None else -1)  # fmt: skip
                arm_of = Frag(case(*((chosen_is(index, k).sql, integer(last[label])) for k, label in enumerate(labels)),
                                   default=integer(otherwise) if otherwise is not None else None), index.depth)  # fmt: skip
                arm_of = self.column(arm_of)
                for j, choice in enumerate(rule.arms):
                    match_facts: dict[str, object] = {"subject": self.walker.source_of(rule.subject)}
                    self.arm(node, chosen_is(arm_of, j), "match", match_facts, [("label", subject, "text")], choice.points.value, choice.reason)
                return points_of(arm_of, [a.points.value for a in rule.arms])
            case _:
                assert_never(rule)

    def chosen(self, tests: Sequence[exp.Expr], depth: int, otherwise: int | None) -> Frag:
        """The index of the first test that holds (else `otherwise`), as a column; with no
        `otherwise`, a record no test takes is refused (PF505)."""
        index = self.bind(Frag(case(*((t, integer(j)) for j, t in enumerate(tests)), default=None if otherwise is None else integer(otherwise)), depth))
        if otherwise is None:
            self.site(Frag(exp.Is(this=index.sql.copy(), expression=exp.Null()), index.depth), "PF505", None)
        return index

    def award(self, rule: ast.AwardIf, node: ast.Indicator) -> Frag:
        holds = self.value(rule.condition, node.name.text, _true())
        facts = {"condition": self.walker.source_of(rule.condition), "lost": rule.points.value}
        self.explain(node, Frag(exp.Not(this=exact.paren(holds.sql.copy())), holds.depth), "award_missed", facts, [], rule.reason)
        return Frag(case((holds.sql.copy(), literal(rule.points.value)), default=literal(Decimal(0))), holds.depth)

    def deduction(self, rule: ast.Deduction, node: ast.Indicator) -> Frag:
        match rule:
            case ast.DeductIf():
                holds = self.value(rule.condition, node.name.text, _true())
                facts = {"condition": self.walker.source_of(rule.condition), "lost": rule.points.value}
                self.explain(node, holds, "deduct_if", facts, [], rule.reason)
                return Frag(case((holds.sql.copy(), literal(rule.points.value)), default=literal(Decimal(0))), holds.depth)
            case ast.DeductStep():
                return self.deduct_step(rule, node)
            case _:
                assert_never(rule)

    def deduct_step(self, rule: ast.DeductStep, node: ast.Indicator) -> Frag:
        name = node.name.text
        lazy = self.ends(rule, node)
        # where the value is read: everywhere, or between the ends (there an outsize value is no refusal)
        reached = _true() if lazy is None else lazy[3]
        value = lazy[0] if lazy is not None else self.column(self.value(rule.value, name, _true()))
        reference = self.column(self.value(rule.reference, name, _true())) if rule.reference is not None else Frag(literal(Decimal(0)), 0)
        told = lazy[4] if lazy is not None else None  # Q between its ends
        spans = (told or self.sizes.of(rule.value), self.sizes.of(rule.reference) if rule.reference is not None else sizes.Span.point(Decimal(0)))
        zero = literal(Decimal(0))
        depth = max(value.depth, reference.depth)
        match rule.direction:
            case "above":
                excess = Frag(exact.at_least(self.plus(value, reference, True, spans, reached).sql, zero), depth)
                span = sizes.summed(spans[0], spans[1].negated()).at_least(Decimal(0))
            case "below":
                excess = Frag(exact.at_least(self.plus(reference, value, True, spans[::-1], reached).sql, zero), depth)
                span = sizes.summed(spans[1], spans[0].negated()).at_least(Decimal(0))
            case "from":
                excess = Frag(cast(exp.Abs(this=self.plus(value, reference, True, spans, reached).sql), NUM), depth)
                span = sizes.summed(spans[0], spans[1].negated()).absolute()
            case _:
                assert_never(rule.direction)
        excess = self.column(excess)
        step, rate = rule.step.value, rule.rate.value
        inverse = exact.ratio(Decimal(1), step)
        scaled = exact.times_literal(excess.sql, inverse) if inverse is not None else None
        per = exact.ratio(rate, step) if rule.counting in ("proportional", None) else None
        product = exact.times_literal(excess.sql, per) if per is not None else None
        # steps are read by the count (whole, started), by the points lost where they are not
        # one product of the excess, or by a reason; else left out, and no row refused for them
        read = self.with_reasons or rule.counting in ("whole", "started") or product is None
        if scaled is not None and inverse is not None:
            steps = self.scaled(excess, Frag(scaled, excess.depth), span, inverse, reached) if read else Frag(scaled, excess.depth)
            steps_span = sizes.multiplied(span, sizes.Span.point(inverse))
        else:
            steps, steps_span = self.divide(excess, Frag(literal(step), 0), reached=reached, divisor_bound=abs(step)), sizes.QUOTIENT
        match rule.counting:
            # settled first, as every evaluator counts (values.counted); steps are never negative:
            # floor(settled s) = floor(s + u/2), ceil(settled s) = floor(s − u/2) + 1, u = 10^−16
            case "whole":
                lifted = exp.Add(this=steps.sql, expression=literal(values.SETTLE / 2))
                steps = Frag(cast(exp.Floor(this=lifted), NUM), steps.depth)
            case "started":
                lowered = exp.Sub(this=steps.sql, expression=literal(values.SETTLE / 2))
                steps = Frag(cast(exp.Add(this=exp.Floor(this=lowered), expression=integer(1)), NUM), steps.depth)
            case "proportional" | None:
                pass
            case _:
                assert_never(rule.counting)
        if rule.counting == "started":
            steps_span = sizes.summed(steps_span, sizes.Span.point(Decimal(1)))
        if product is not None and per is not None:  # rate × excess / step at once (0.5 per 1pp: × 50), one product, no division
            lost = self.scaled(excess, Frag(product, excess.depth), span, per, reached)
            lost_span = sizes.multiplied(span, sizes.Span.point(per))
            if exact.decimals(per) > 0:
                lost = self.short_product(rule, excess, lost, per)
        else:  # written only here: multiply may bind the steps to a column, never read were it not
            rate_span = sizes.Span.point(rate)
            lost = self.multiply(steps, Frag(literal(rate), 0), None, rate, (steps_span, rate_span), reached)
            lost_span = sizes.multiplied(steps_span, rate_span)
        if lazy is not None:  # at an end the quotient is not read: none lost, or all (the score is 0 either way past it)
            _value, low, high, _needed, _span = lazy
            ended = case((low.sql.copy(), literal(Decimal(0))), (high.sql.copy(), literal(node.max.value)), default=lost.sql.copy())
            lost = Frag(ended, max(lost.depth, low.depth, high.depth))
            lost_span = lost_span.hull(sizes.Span.point(Decimal(0))).hull(sizes.Span.point(node.max.value))
        self.lost_spans[id(rule)] = lost_span
        lost = self.column(lost)
        unit = self.checked.units.get(rule.value, "number")
        facts = {"subject": self.walker.source_of(rule.value), "unit": unit, "direction": rule.direction,
                 "step": step, "rate": rate, "counting": rule.counting}  # fmt: skip
        fields: list[tuple[str, Frag | None, str]] = [
            ("value", value, "decimal"), ("reference", reference if rule.reference is not None else None, "decimal"),
            ("excess", excess, "decimal"), ("steps", steps, "decimal"), ("lost", lost, "decimal"),
        ]  # fmt: skip
        self.explain(node, Frag(exp.GT(this=lost.sql.copy(), expression=integer(0)), lost.depth), "step", facts, fields, rule.reason)
        return lost

    def scaled(self, value: Frag, product: Frag, span: sizes.Span, constant: Decimal, reached: Frag) -> Frag:
        """`product`, value × constant (exact.times_literal of the column `value`), guarded
        where `span` (the value's, sql/sizes.py) says it may not fit NUM."""
        if sizes.times(span, sizes.Span.point(constant)).fits:
            return product
        fits = Frag(exact.below(value.sql, Fraction(sizes.LIMIT) / abs(Fraction(constant))), value.depth)
        return self.guarded(product, fits, reached)

    def ends(self, rule: ast.DeductStep, node: ast.Indicator) -> tuple[Frag, Frag, Frag, Frag, sizes.Span | None] | None:
        """On DuckDB without reasons, a step deduction `deduct R per S of Q above|below T
        [counting proportional]`, the indicator's one rule (its score max − lost, clamped at 0),
        Q a let `a / b` whose operands have 64-bit twins: the score reads Q's value only between
        its two ends, T and T ± max·S/R (in the 2021 rubric 2–5% of rows). Where a row is at
        or past an end, told on the twins by cross-multiplication in 64 bits (a/b ≤ t ⇔ a·d ≤ n·b
        for b > 0, t = n/d; flipped for b < 0; b = 0 is neither, and refused, PF504), the score
        is the max or 0 whatever Q is: there Q's 64-bit steps get NULL operands, and DuckDB skips
        their divisions. A row without twins (a value of 10^6 or more, of more than 6 decimals) is
        told on the values themselves, a·d ≤ n·b in NUM, where those products always fit: its long
        division is skipped at the ends too, so Q is worked out only between them and needs no
        guard (sql/sizes.py): it cannot pass the query's digits. Q itself, read anywhere else,
        stays whole. Q here (NULL at the ends), the test of the low end and of the high end, the
        test that Q is read (between the ends), and Q's span where it is told at the ends on
        every row (else None: a row without twins has its Q worked out, guarded); None where
        this does not apply or a cross-product might not fit in 64 bits."""
        if self.dialect != "duckdb" or self.with_reasons or len(node.rules) != 1 or node.rules[0] is not rule or node.low is not None:
            return None
        if rule.direction == "from" or rule.counting not in ("proportional", None) or not isinstance(rule.value, ast.Ref):
            return None
        if self.name_reads is None:
            self.name_reads = name_reads(self.rubric.module)
        if self.name_reads[rule.value.name.text] != 1:  # read elsewhere too: the whole quotient is made anyway
            return None
        let = next((x for x in self.checked.let_order if x.name.text == rule.value.name.text), None)
        reference = Decimal(0) if rule.reference is None else ast.constant(rule.reference)
        per = exact.ratio(rule.rate.value, rule.step.value)
        if let is None or not (isinstance(let.expr, ast.Binary) and let.expr.op == "/") or reference is None or per is None:
            return None
        top = node.max.value
        if per <= 0 or top <= 0:
            return None
        twin_a, twin_b = self.twin(let.expr.left), self.twin(let.expr.right)
        if twin_a is None or twin_b is None:
            return None
        far = Fraction(reference) + (1 if rule.direction == "above" else -1) * Fraction(top) / Fraction(per)
        pair = [Fraction(reference), far] if rule.direction == "above" else [far, Fraction(reference)]  # the two ends, lower first
        if any(abs(t.numerator) * twin_b.bound >= exact.BIGINT_LIMIT or t.denominator * twin_a.bound >= exact.BIGINT_LIMIT for t in pair):
            return None  # a cross-product might not fit in 64 bits
        a, b = self.column(twin_a.frag), self.column(twin_b.frag)
        name = let.name.text
        dividend = self.column(self.value(let.expr.left, name, _true()))
        divisor = self.column(self.value(let.expr.right, name, _true()))
        spans = (self.sizes.of(let.expr.left), self.sizes.of(let.expr.right))
        # on the values, where a·d and n·b fit NUM for every end (they are exact there)
        wide = all(sizes.times(spans[0], sizes.Span.point(Decimal(t.denominator))).fits
                   and sizes.times(spans[1], sizes.Span.point(Decimal(t.numerator))).fits for t in pair)  # fmt: skip

        def versus(t: Fraction, op: str) -> Frag:  # Q op t, told only where b ≠ 0: on the twins, else the values
            def told(x: exp.Expr, y: exp.Expr, left: exp.Expr, right: exp.Expr) -> exp.Expr:
                positive = exp.and_(exp.GT(this=y.copy(), expression=integer(0)), compare(op, left.copy(), right.copy()))
                negative = exp.and_(exp.LT(this=y.copy(), expression=integer(0)), compare(values.CONVERSE[op], left, right))
                return exp.or_(positive, negative)

            twins = told(a.sql, b.sql, exp.Mul(this=a.sql.copy(), expression=integer(t.denominator)),
                         exp.Mul(this=exact.paren(cast(integer(t.numerator), exact.BIGINT)), expression=b.sql.copy()))  # fmt: skip
            if not wide:
                return Frag(twins, max(a.depth, b.depth))
            scaled = [exact.times_literal(v.sql.copy(), Decimal(k)) for v, k in ((dividend, t.denominator), (divisor, t.numerator))]
            assert scaled[0] is not None and scaled[1] is not None  # whole constants: one product each
            values_ = told(dividend.sql, divisor.sql, scaled[0], scaled[1])
            # the twins' test is NULL only where a twin is: the values' test is worked out there alone
            return Frag(exp.Coalesce(this=twins, expressions=[values_]), max(a.depth, b.depth, dividend.depth, divisor.depth))

        if rule.direction == "above":  # excess = Q − T: none at Q ≤ T, the max or more at Q ≥ far
            low, high = versus(pair[0], "<="), versus(pair[1], ">=")
        else:  # excess = T − Q: none at Q ≥ T, the max or more at Q ≤ far
            low, high = versus(pair[1], ">="), versus(pair[0], "<=")
        low, high = self.bind(low), self.bind(high)
        # where Q is read: not told at an end (without `wide`, a row without twins is told at neither)
        ended = exp.or_(exp.Coalesce(this=low.sql.copy(), expressions=[exp.false()]), exp.Coalesce(this=high.sql.copy(), expressions=[exp.false()]))
        needed = self.bind(Frag(exp.Not(this=exact.paren(ended)), max(low.depth, high.depth)))  # read by the steps, the long division, a guard
        quotient = self.column(self.divide(dividend, divisor, (twin_a, twin_b), needed, reached=needed,
                                           divisor_bound=spans[1].size, guard=not wide))  # fmt: skip
        self.lazy.append(node.name.text)
        span = sizes.Span(sizes.on_grid(-min(pair)).copy_negate(), sizes.on_grid(max(pair))) if wide else None
        return quotient, low, high, needed, span

    def short_product(self, rule: ast.DeductStep, excess: Frag, product: Frag, per: Decimal) -> Frag:
        """excess × per, per with decimals (0.5 a case): DuckDB scales a DECIMAL(38, 20) × 0.5
        back to 20 decimals by a 128-bit division per row. On a row where the excess has a
        twin (its value and reference have: exact.small_input), the product of the twin and
        per's digits is a 64-bit integer, put back as a decimal with no division; every other
        row takes `product`. Both are exact: a twin has 6 decimals, the product 6 + per's."""
        places = exact.decimals(per)
        digits = int(per.scaleb(places))
        value = self.twin(rule.value) if self.dialect == "duckdb" else None
        reference = self.twin(rule.reference) if rule.reference is not None and self.dialect == "duckdb" else Small(Frag(exact.cast(integer(0), exact.BIGINT), 0), 0)
        if value is None or reference is None or exact.TWIN_PLACES + places > exact.SCALE:
            return product
        bound = value.bound + reference.bound
        if bound >= exact.BIGINT_LIMIT or bound * abs(digits) >= exact.BIGINT_LIMIT:
            return product  # the 64-bit product might overflow: no short cut
        difference = Frag(exp.Sub(this=exact.paren(value.frag.sql.copy()), expression=exact.paren(reference.frag.sql.copy())),
                          max(value.frag.depth, reference.frag.depth))  # fmt: skip
        zero = integer(0)
        twin: exp.Expr
        match rule.direction:
            case "above":
                twin = exact.at_least(difference.sql, zero)
            case "below":
                twin = exact.at_least(exp.Neg(this=exact.paren(difference.sql)), zero)
            case "from":
                twin = exp.Abs(this=difference.sql)
            case _:
                assert_never(rule.direction)
        twin_excess = self.bind(Frag(twin, difference.depth))
        scaled = exact.from_digits(exp.Mul(this=twin_excess.sql.copy(), expression=integer(digits)), exact.TWIN_PLACES + places)
        present = exp.Not(this=exp.Is(this=twin_excess.sql.copy(), expression=exp.Null()))
        both = case((present, scaled), default=product.sql)
        self.alike.add(id(both))  # either branch is the product: sql/narrow.py reads the plain one
        return Frag(both, max(twin_excess.depth, product.depth, excess.depth))

    # ---------------------------------------------------------------- the whole query
    def tree(self) -> exp.Select:
        module = self.rubric.module
        header = module.header
        assert header is not None  # the checker guarantees a header
        self.refuse_names()
        self.inputs()
        for let in self.checked.let_order:
            self.env[let.name.text] = self.let_value(let)
            self.lets[let.name.text] = let
        tops = [self.node(top) for top in module.top]
        raw = self.bind(self.raw_total(tops))
        scores = {n.name.text: self.scores[n.name.text] for n, _depth in ast.walk_nodes(module.top)}
        scores |= {o.row.name.text: self.scores[o.row.name.text] for o in module.outside}  # after the tree, as evaluate() lists them
        total = self.bind(self.short_total(raw, header) or self.round_total(raw, header))
        grade = self.grade(total, header)
        narrowed = self.narrowed(scores) if self.dialect == "duckdb" else {}
        self.unguard([narrowed.get(name, frag.sql) for name, frag in scores.items()] + [total.sql, grade.sql])
        refusal = self.bind(self.refusal()) if self.sites else Frag(exp.Null(), 0)
        return self.select(scores, total, grade, refusal, narrowed)

    def unguard(self, read: list[exp.Expr]) -> None:
        """Drop the PF801 sites of guarded values nothing of the output reads (scores, total,
        grade, reasons, another site): such a value is left out of the query, so it cannot
        overflow, and no row is refused for it (the 2021 rubric's lets of a quotient, which its
        step deductions divide again only between their ends: Compiler.ends)."""
        if not any(s.guard is not None for s in self.sites):
            return
        roots = list(read)
        if self.with_reasons:
            roots += [e.sql for _name, items in self.explained for when, _k, numbers in items for e in (when, *(f for f, _kind in numbers)) if e is not None]
        roots += [s.condition.sql for s in self.sites if s.guard is None]
        seen: set[str] = set()
        read_guards: set[int] = set()
        while roots:
            for node in exact.nodes(roots.pop()):
                if "guard" in node.meta:
                    read_guards.add(node.meta["guard"])
                if isinstance(node, exp.Column) and node.name not in seen and node.name in self.bound:
                    seen.add(node.name)
                    roots.append(self.bound[node.name][0])
        self.sites = [s for s in self.sites if s.guard is None or s.guard in read_guards]

    def refuse_names(self) -> None:
        """PF805 for a node named as one of the query's own columns, PF809 for two names the
        query's columns take that the dialect does not tell apart, PF810 for an input named as
        its internal columns are: each as the dialect compares names (`folding`: DuckDB folds
        ASCII letters only, `A` and `a`; Spark `Ä` and `ä` too; PostgreSQL none of a quoted
        name), and a clash would score into the wrong column, not refuse."""
        module = self.rubric.module
        same = folding(self.dialect)
        nodes = [n.name.text for n, _depth in ast.walk_nodes(module.top)] + [o.row.name.text for o in module.outside]
        for name in nodes:
            if reserved(name, same):
                raise SqlRefusal("PF805", {"name": name, "columns": ", ".join(OWN)})
        inputs = [spec.name for spec in self.rubric.inputs]
        for name in inputs:
            if same(name[: len(PREFIX)]) == same(PREFIX):
                raise SqlRefusal("PF810", {"name": name, "prefix": PREFIX})
        for names in (nodes, inputs):  # on DuckDB and Spark a node's column and an input's are never both in the output
            seen: dict[str, str] = {}
            for name in names:
                other = seen.setdefault(same(name), name)
                if other != name:
                    raise SqlRefusal("PF809", {"name": name, "other": other, "dialect": self.dialect})
        if self.dialect == "postgres":  # a longer name is cut in the output: the score would be written under another
            for name in nodes:
                if len(name.encode()) > NAMEDATALEN:
                    raise SqlRefusal("PF812", {"name": name, "dialect": self.dialect, "limit": NAMEDATALEN})
        written = {same(name): name for name in [*nodes, *OWN]}
        if any(not name.strip() for name in self.keep or ()):  # `--keep a,`: said so, not as a clash with `_pf_`
            raise SqlRefusal("PF814", {})
        for name in self.keep or ():  # a column named to pass through: never a second column of a name, nor an internal one's
            if same(name) in written or same(name[: len(PREFIX)]) == same(PREFIX):
                raise SqlRefusal("PF811", {"column": name, "name": written.get(same(name), PREFIX), "dialect": self.dialect})

    def refusal(self) -> Frag:
        """The number of the first site that fails, in evaluate()'s order, else NULL. Where every
        input is fine (fine_input: one test each, the common row) only the sites those tests do
        not cover are tried; any other row tries them all, so its first is the same."""
        every = Frag(case(*((s.condition.sql.copy(), integer(i)) for i, s in enumerate(self.sites))), max(s.condition.depth for s in self.sites))
        if not self.fine or not any(s.covered for s in self.sites):
            return every
        fine = self.bind(Frag(exp.and_(*(f.sql.copy() for f in self.fine)), max(f.depth for f in self.fine)))
        rest = [(s.condition.sql.copy(), integer(i)) for i, s in enumerate(self.sites) if not s.covered]
        left = case(*rest) if rest else exp.Null()
        depth = max([fine.depth, every.depth] + [s.condition.depth for s in self.sites if not s.covered])
        return Frag(case((fine.sql.copy(), left), default=every.sql), depth)

    def narrowed(self, scores: dict[str, Frag]) -> dict[str, exp.Expr]:
        """Each node's score as a 64-bit DECIMAL(18, s) where its decimals are known (sql/narrow.py).
        Its wide column is then worked out from the narrow value (an exact widening), so the wide
        pieces it was built of are left for the sweep (select) unless another column reads them."""
        finder = self.narrower()
        maxima = {n.name.text: max(abs(n.max.value), abs(n.low.value) if isinstance(n, ast.Indicator) and n.low is not None else Decimal(0))
                  for n, _depth in ast.walk_nodes(self.rubric.module.top)}  # fmt: skip
        maxima |= {o.row.name.text: max(abs(o.row.max.value), abs(o.row.low.value) if o.row.low is not None else Decimal(0)) for o in self.rubric.module.outside}
        found: dict[str, exp.Expr] = {}
        for name, frag in scores.items():
            units = finder.units(frag.sql) if frag.is_column else None
            value = narrow.written(units, maxima[name]) if units is not None else None
            if units is None or value is None:
                continue
            found[name] = value
            self.widened(frag.sql.name, units)
        return found

    def narrower(self) -> narrow.Narrower:
        """The one finder of narrow forms (it remembers the columns it bound)."""
        if self.finder is None:
            inputs = {value.sql.name: partial(self.narrow_input, name) for name, (_raw, value) in self.numbers.items()}
            self.finder = narrow.Narrower(self.bound, lambda sql, depth: self.bind(Frag(sql, depth)).sql, inputs, self.alike)  # type: ignore[arg-type, return-value]  # bind gives a Column
        return self.finder

    def short_total(self, raw: Frag, header: ast.Header) -> Frag | None:
        """On DuckDB, a total whose decimals are known and no more than the header rounds to
        (whole and half points, to 2 places) needs no rounding: its narrow value, widened — no
        128-bit floor on every row. None otherwise: round_total rounds it."""
        places = int(header.round_places.value) if header.round_places else 2
        units = self.narrower().units(raw.sql) if self.dialect == "duckdb" and raw.is_column else None
        if units is None or units.scale > places:
            return None
        return Frag(cast(units.sql.copy(), exact.decimal_type(38, places)), units.depth)

    def widened(self, name: str, units: narrow.Units) -> None:
        """The wide column `name` as its narrow value widened, where that can be read in its layer."""
        _sql, layer = self.bound[name]
        source = units.sql
        if units.depth > layer and isinstance(source, exp.Column):  # bound too late: its expression, inline
            source, depth = self.bound[source.name]
            if depth > layer:
                return
        elif units.depth > layer:
            return
        wide = cast(source.copy(), NUM)
        self.layers[layer] = [(n, wide if n == name else e) for n, e in self.layers[layer]]
        self.bound[name] = (wide, layer)

    def narrow_input(self, name: str) -> narrow.Units | None:
        """An input's 64-bit form (sql/narrow.py), where the decimals of its every value are
        known: its column's type's (`scales`), a count's none (a fraction is refused; its text
        is read as a whole number). An input with a `precision` is rounded when read: none."""
        raw, _value = self.numbers[name]
        spec = next(s for s in self.rubric.inputs if s.name == name)
        places = self.scales.get(name, 0 if spec.type == "count" else None)
        if places is None or spec.precision is not None:
            return None
        return narrow.read(raw.sql, raw.depth, places, 0 if spec.type == "count" else places)

    def round_total(self, raw: Frag, header: ast.Header) -> Frag:
        places = int(header.round_places.value) if header.round_places else 2
        assert 0 <= places <= 18  # the checker keeps it within 0–10 (PF307); times_literal needs <= 18
        scaled = self.bind(Frag(exact.times_literal(raw.sql.copy(), Decimal(10) ** places) or raw.sql, raw.depth))
        floor = Frag(cast(exp.Floor(this=scaled.sql.copy()), exact.WHOLE), scaled.depth)
        floor = self.bind(floor)
        fraction = exp.Sub(this=scaled.sql.copy(), expression=floor.sql.copy())
        odd = exp.EQ(this=exp.Sub(this=floor.sql.copy(), expression=exp.Mul(this=integer(2), expression=exp.Floor(this=exp.Mul(this=floor.sql.copy(), expression=exact.typed_literal(Decimal("0.5"))[0])))), expression=integer(1))
        # settled first, as every evaluator does (values.rounded); the raw total is never negative:
        # every top node is clamped at 0
        up = exact.rounds_up(fraction, places, header.round_mode, odd, None)
        units = exp.Add(this=floor.sql.copy(), expression=case((up, integer(1)), default=integer(0)))
        unit = exact.typed_literal(Decimal(1).scaleb(-places))[0]
        value = cast(exp.Mul(this=cast(units, exact.WHOLE), expression=unit), exact.decimal_type(38, places))
        return Frag(value, max(floor.depth, scaled.depth))

    def grade(self, total: Frag, header: ast.Header) -> Frag:
        if self.rubric.module.vetoes or any(g.condition is not None for g in header.grades):
            return self.graded(total, header)
        whens = threshold_grades(header, total.sql, literal)
        if not whens:
            return Frag(cast(exp.Null(), exp.DataType.build("TEXT")), 0)
        return Frag(case(*whens), total.depth)

    def reasons_column(self) -> Frag:
        """Every point lost, as JSON: `[[k, n1, n2, …], …]`, k the catalogue's number of the
        reason, then its numbers (decimals as strings, every digit kept). `explain` words them."""
        labels = sorted({label for spec in self.rubric.inputs for label in spec.labels})
        items: list[exp.Expr] = []
        depth = 0
        for _name, explained in self.explained:
            for when, k, numbers in explained:
                parts: list[exp.Expr] = [exp.Literal.string(f"[{k}")]
                for frag, kind in numbers:
                    parts.append(exp.Literal.string(","))
                    parts.append(json_text(frag, kind, labels))
                    depth = max(depth, frag.depth if frag is not None else 0)
                parts.append(exp.Literal.string("]"))
                # each item ", [k, …]" or "": joined, then the first comma dropped (no CONCAT_WS,
                # whose NULLs the engines treat each their own way)
                items.append(case((when.sql.copy(), exp.Concat(expressions=[exp.Literal.string(","), *parts])), default=exp.Literal.string("")))
                depth = max(depth, when.depth)
        joined: exp.Expr = exp.Concat(expressions=items) if items else exp.Literal.string("")
        inner = exp.Substring(this=joined, start=integer(2))
        return self.bind(Frag(exp.Concat(expressions=[exp.Literal.string("["), inner, exp.Literal.string("]")]), depth))

    def select(self, scores: dict[str, Frag], total: Frag, grade: Frag, refusal: Frag, narrowed: dict[str, exp.Expr]) -> exp.Select:
        ok = exp.Is(this=refusal.sql.copy(), expression=exp.Null())
        final: list[exp.Expr] = []
        for name, frag in scores.items():
            final.append(exp.alias_(case((ok.copy(), narrowed.get(name, frag.sql).copy())), name, quoted=True, copy=False))
        final.append(exp.alias_(case((ok.copy(), total.sql.copy())), TOTAL, quoted=True, copy=False))
        final.append(exp.alias_(case((ok.copy(), grade.sql.copy())), GRADE, quoted=True, copy=False))
        # a row scored (the common one) is settled by the first test, not by one per site: the
        # engine tries a CASE's tests in turn on every row none has taken yet
        scored = [(ok.copy(), exp.Null())]
        codes = scored + [(exp.EQ(this=refusal.sql.copy(), expression=integer(i)), exp.Literal.string(s.code)) for i, s in enumerate(self.sites)]
        names = scored + [(exp.EQ(this=refusal.sql.copy(), expression=integer(i)), exp.Literal.string(s.input)) for i, s in enumerate(self.sites) if s.input is not None]
        if self.with_reasons:
            final.append(exp.alias_(case((ok.copy(), self.reasons_column().sql)), REASONS, quoted=True, copy=False))
        final.append(exp.alias_(case(*codes) if len(codes) > 1 else exp.Null(), REFUSAL, quoted=True, copy=False))
        final.append(exp.alias_(case(*names) if len(names) > 1 else exp.Null(), REFUSAL_INPUT, quoted=True, copy=False))
        if narrowed:
            self.sweep(final)
        depth = max(len(self.layers), grade.depth, refusal.depth)
        while len(self.layers) < depth:
            self.layers.append([])
        if self.dialect in ("duckdb", "spark"):
            self.inline(final)
        columns = [spec.name for spec in self.rubric.inputs] + [n for layer in self.layers for n, _ in layer]
        dropped = [quoted(n) for n in dict.fromkeys(columns)]  # once each: a batch value is bound under its name
        # (the reasons column was bound above: every layer is complete here)
        ctes: list[exp.CTE] = []
        source: exp.Expr = relation(self.table, self.dialect)
        postgres = self.dialect == "postgres"
        for i, layer in enumerate(self.layers):
            name = f"{PREFIX}layer{i}"
            # copy=False: each expression is built for its one place (sqlglot would deep-copy it twice)
            body = exp.select(exp.Star(), *(exp.alias_(sql, column, quoted=True, copy=False) for column, sql in layer), copy=False).from_(source, copy=False)  # each source is read once: a table name, or the subquery of the layer below
            # MATERIALIZED on PostgreSQL: it inlines a CTE read once, and the layers inlined are
            # one expression tree of every column's expression over again, which ran it out of memory
            alias = exp.TableAlias(this=exp.to_identifier(name, quoted=True))
            if self.dialect == "spark" and (i + 1) % NESTED:
                # on Spark a layer is a subquery of the next, not a CTE: Spark's analyzer and its
                # InlineCTE rule walk a chain of CTEs over and again (benchmarks/spark_plan.py);
                # every NESTED layers a CTE, since sqlglot writes a subquery by recursion
                source = exp.Subquery(this=body, alias=alias)
                continue
            ctes.append(exp.CTE(this=body, alias=alias, materialized=postgres or None))
            source = exp.to_table(name, quoted=True)
        # the relation's columns: those named (`keep`), else every one but the inputs; PostgreSQL
        # has no `* EXCEPT`, so there only those named
        passed = [quoted(c) for c in self.keep] if self.keep is not None else [] if postgres else [exp.Star(except_=dropped)]
        query = exp.select(*passed, *final, copy=False).from_(source, copy=False)
        if ctes:
            query.set("with_", exp.With(expressions=ctes))
        return query


    def inline(self, final: list[exp.Expr]) -> None:
        """DuckDB and Spark: an internal column read in one place only is written there, not bound
        (the same value: a column bound is worked out from the same expression). Both engines plan
        every column of every layer, each layer's `*` with all before it: fewer columns and
        layers are fewer to bind and optimize. A column read inside a lambda (once per element)
        or holding a window stays bound."""
        reads: dict[str, int] = {}
        where: dict[str, tuple[exp.Expr, str, int | None]] = {}  # a column's last read: parent, arg, index
        windowed: set[str] = set()
        for name, e in [(n, sql) for layer in self.layers for n, sql in layer] + [(None, e) for e in final]:
            if isinstance(e, exp.Column) and not e.table:  # a column that is another's value: kept (not worth a parent)
                reads[e.name] = reads.get(e.name, 0) + 2
            stack: list[tuple[exp.Expr, bool]] = [(e, False)]
            while stack:
                node, lambda_ = stack.pop()
                if isinstance(node, exp.Window) and name is not None:
                    windowed.add(name)
                lambda_ = lambda_ or isinstance(node, exp.Lambda)
                for key, value in node.args.items():
                    for i, child in enumerate(value) if isinstance(value, list) else ((None, value),):
                        if isinstance(child, exp.Column) and not child.table:
                            reads[child.name] = reads.get(child.name, 0) + (2 if lambda_ else 1)  # in a lambda: never inlined
                            where[child.name] = (node, key, i)
                        elif isinstance(child, exp.Expr):
                            stack.append((child, lambda_))
        for layer in self.layers:
            for name, sql in layer:
                if name.startswith(PREFIX) and reads.get(name) == 1 and name not in windowed:
                    parent, key, i = where[name]
                    if i is None:
                        # read by a cast to its own type: one cast (exact.cast's rule)
                        same = type(sql) is exp.Cast and isinstance(parent, exp.Cast) and key == "this" and parent.to == sql.to
                        parent.set(key, sql.this if same else sql)
                    else:
                        parent.args[key][i] = sql
                        sql.parent, sql.arg_key, sql.index = parent, key, i
        self.layers = [kept for layer in self.layers if (kept := [(n, e) for n, e in layer if not (n.startswith(PREFIX) and reads.get(n) == 1 and n not in windowed)])]

    def sweep(self, final: list[exp.Expr]) -> None:
        """Drop the internal columns nothing reads (the wide pieces of a narrowed score): DuckDB
        would work them out for every row."""
        live = {c.name for e in final for c in exact.columns(e)}
        for layer in reversed(self.layers):
            for name, sql in layer:
                if name in live or not name.startswith(PREFIX):
                    live.update(c.name for c in exact.columns(sql))
        self.layers = [[(n, e) for n, e in layer if n in live or not n.startswith(PREFIX)] for layer in self.layers]


# On Spark, how many layers are nested in one another before one is a CTE: sqlglot's writer
# recurses through a subquery, and past about 70 (beside a layer's own depth) Python's stack ends.
NESTED = 32


def threshold_grades(header: ast.Header, total: exp.Expr, constant: Callable[[Decimal], exp.Expr]) -> list[tuple[exp.Expr, exp.Expr]]:
    """The grades by threshold as a CASE's arms, the first that holds (`otherwise`: TRUE, the
    last): the total compared with each threshold, written by `constant`."""
    whens: list[tuple[exp.Expr, exp.Expr]] = []
    for g in header.grades:
        label = exp.Literal.string(g.name.text)
        if g.op is None or g.threshold is None:
            whens.append((exp.true(), label))
            break
        whens.append((compare(g.op, total.copy(), constant(g.threshold.value)), label))
    return whens


def negated(e: exp.Expr) -> list[exp.Expr]:
    """Tests that all hold where `e` does not: NOT (NOT a OR NOT b) as a, b (each a test of its own)."""
    if isinstance(e, exp.Or):
        return [t for part in e.flatten() for t in negated(part)]
    if isinstance(e, exp.Paren):
        return negated(e.this)
    if isinstance(e, exp.Not):
        return [e.this.copy()]
    return [exp.Not(this=exact.paren(e.copy()))]


def compare(op: str, a: exp.Expr, b: exp.Expr) -> exp.Expr:
    kinds: dict[str, type[exp.Binary]] = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}
    return kinds[op](this=a, expression=b)


Explained = tuple[Frag, int, list[tuple[Frag | None, str]]]  # when it holds, the catalogue's number, the numbers


def json_text(frag: Frag | None, kind: str, labels: list[str]) -> exp.Expr:
    """A number of a reason as JSON text: a decimal as a string of its digits, a bool, a label."""
    if frag is None:
        return exp.Literal.string("null")
    if kind in ("json", "panels", "panel"):  # already JSON text (a name, panels' values: sql/newforms.py)
        return frag.sql.copy()
    if kind == "bool":
        return case((frag.sql.copy(), exp.Literal.string("true")), default=exp.Literal.string("false"))
    if kind == "text":  # a label: one of the declared ones, or the record was refused
        return case(*((exp.EQ(this=frag.sql.copy(), expression=exp.Literal.string(x)), exp.Literal.string(json.dumps(x))) for x in labels),
                    default=exp.Literal.string("null"))  # fmt: skip
    return exp.Concat(expressions=[exp.Literal.string('"'), cast(frag.sql.copy(), exp.DataType.build("TEXT")), exp.Literal.string('"')])


def chosen_is(index: Frag, j: int) -> Frag:
    return Frag(exp.EQ(this=index.sql.copy(), expression=integer(j)), index.depth)


def points_of(index: Frag, points: list[Decimal]) -> Frag:
    """The points of the arm an index column names."""
    return Frag(case(*((chosen_is(index, j).sql, literal(p)) for j, p in enumerate(points))), index.depth)


def paren(f: Frag) -> exp.Expr:
    return exact.paren(f.sql.copy())


def sum_of(parts: Sequence[Frag]) -> Frag:
    if not parts:
        return Frag(literal(Decimal(0)), 0)
    total = parts[0].sql.copy()
    for p in parts[1:]:
        total = exp.Add(this=total, expression=p.sql.copy())
    return Frag(cast(total, NUM), max(p.depth for p in parts))


def clamp(score: Frag, top: Decimal) -> Frag:
    """[0, top], as values.clamp keeps a score."""
    return Frag(exact.within(score.sql.copy(), literal(Decimal(0)), literal(top)), score.depth)


def in_band(band: ast.Band, subject: exp.Expr) -> exp.Expr:
    """The walker's `in_band`."""
    if band.is_else:
        return exp.true()
    tests: list[exp.Expr] = []
    if band.low is not None:
        tests.append(compare(">=" if band.low_closed else ">", subject.copy(), literal(band.low.value)))
    if band.high is not None:
        tests.append(compare("<=" if band.high_closed else "<", subject.copy(), literal(band.high.value)))
    return exp.and_(*tests) if tests else exp.true()


def to_sql_tree(rubric: Rubric, dialect: str = "duckdb", table: str = "records", *, reasons: bool = True,
                kind: type[Compiler] = Compiler, scales: Mapping[str, int] | None = None,
                keep: Sequence[str] | None = None) -> exp.Select:  # fmt: skip
    """The scoring query as a sqlglot tree (see the module's docstring); `reasons=False`
    leaves out the `reasons` column, which costs more than the scores. `kind`: the compiler
    (pingfen.sql's entry points give sql/newforms.py's, which translates issue 10's forms).
    `keep`: the relation's columns passed through, in this order (else every one but the
    inputs; on PostgreSQL, which cannot leave columns out of `*`, none)."""
    given_rubric(rubric, "pingfen.sql.to_sql_tree")
    if not dialect or Dialect.get(dialect) is None:  # "" is sqlglot's own generic dialect, not one to run
        raise SqlRefusal("PF803", {"dialect": dialect, "dialects": ", ".join(sorted(d for d in Dialect.classes if d))})
    relation(table, dialect)  # refused before any work: a name no dialect reads
    refuse_untranslated(rubric.module)
    compiler = kind(rubric, table, dialect, reasons)
    compiler.scales = dict(scales or {})
    if isinstance(keep, str):  # read as its letters, each a column
        raise TypeError(f"keep takes a list of column names, not one name: keep=[{keep!r}]")
    compiler.keep = tuple(dict.fromkeys(keep)) if keep is not None else None
    tree = compiler.tree()
    if dialect == "postgres":
        exact.postgres_casts(tree)
    return parenthesized(tree)


def relation(table: str, dialect: str = "duckdb") -> exp.Table:
    """The relation of records: a name (quoted: any characters but a double quote), or a
    dotted SCHEMA.NAME as SQL writes it (for Spark its backquotes too: `` `finance-db`.records ``).
    PF808 for what no dialect reads as a table. On Spark each part is written quoted: an
    unquoted name there is ASCII letters, digits and `_` only (`评分.记录` does not parse),
    and a quoted one is compared as an unquoted one is, so nothing else changes."""
    try:
        if dialect == "spark" and "`" in table:
            found = exp.to_table(table, dialect="spark")
        else:
            found = exp.to_table(table, quoted=True) if "." not in table else exp.to_table(table)
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError):
        found = None
    if not table.strip() or not isinstance(found, exp.Table) or not found.name:
        raise SqlRefusal("PF808", {"table": table})
    for part in found.parts:
        if dialect == "spark":
            part.set("quoted", True)
        elif dialect == "postgres" and not part.args.get("quoted") and part.name.lower() in _RESERVED:
            # sqlglot writes PostgreSQL's reserved words bare (`FROM order`: a syntax error; `FROM
            # user`, the current user's name); quoted as PostgreSQL folds an unquoted name
            part.set("this", part.name.lower())
            part.set("quoted", True)
    return found


# PostgreSQL's reserved words, as DuckDB (whose grammar is PostgreSQL's) lists them with a few
# of its own, which a quote in lower case leaves meaning what the bare name would; and two of
# PostgreSQL's functions DuckDB does not reserve (bare, `FROM current_schema` reads the function)
_RESERVED = frozenset(Dialect.get_or_raise("duckdb").generator_class.RESERVED_KEYWORDS) | {"current_schema", "system_user"}


# The operators whose operands sqlglot writes as they stand: it adds no parentheses for
# precedence, so `a AND (b OR c)` built as a tree would be written `a AND b OR c`.
_OPERATORS = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.IntDiv, exp.Mod, exp.And, exp.Or, exp.EQ, exp.NEQ, exp.GT,
              exp.GTE, exp.LT, exp.LTE, exp.Is, exp.Not, exp.Neg)  # fmt: skip


def parenthesized(tree: exp.Select) -> exp.Select:
    """The tree with every operand that is itself an operation in parentheses: written in
    any dialect, each operation reads as it was built, whatever the operators' precedence."""
    for node in [n for n in exact.nodes(tree) if isinstance(n, _OPERATORS)]:
        for key in ("this", "expression"):
            child = node.args.get(key)
            if isinstance(child, _OPERATORS):
                node.set(key, exp.Paren(this=child))
    return tree


def to_sql(rubric: Rubric, dialect: str = "duckdb", table: str = "records", *, reasons: bool = True,
           kind: type[Compiler] = Compiler, keep: Sequence[str] | None = None) -> str:  # fmt: skip
    """The scoring query in `dialect` (any sqlglot writes): one row per record of `table`."""
    given_rubric(rubric, "pingfen.sql.to_sql")  # named as called, not as to_sql_tree below
    tree = to_sql_tree(rubric, dialect, table, reasons=reasons, kind=kind, keep=keep)
    return tree.sql(dialect=spark_writer() if dialect == "spark" else dialect, pretty=True, copy=False)  # a tree of its own: no copy


@cache
def spark_writer() -> type[Dialect]:
    """Spark as sqlglot writes it, less its rewrites of a SELECT (QUALIFY, DISTINCT ON, UNNEST and
    ANY, none of which the query holds: tests/test_spark.py), each a walk of the SELECT's whole
    subtree: over the nested layers, every layer again (the 2021 query written in 1.5 s, not 0.5)."""
    from sqlglot.dialects.spark import Spark
    from sqlglot.generators.spark import SparkGenerator

    class Generator(SparkGenerator):
        TRANSFORMS = {k: v for k, v in SparkGenerator.TRANSFORMS.items() if k is not exp.Select}

    class PingfenSpark(Spark):
        generator_class = Generator  # what sqlglot writes with (its metaclass sets it from `Generator`)

    return PingfenSpark


def name_reads(module: ast.Module) -> Counter[str]:
    """How many times each name is read (ast.Ref) anywhere in the module: its rules, lets,
    conditions, grades, even its examples (a read too many only keeps Compiler.ends off)."""
    counts: Counter[str] = Counter()
    stack: list[object] = [module]
    while stack:  # iterative: a deeply nested expression costs no recursion
        node = stack.pop()
        if isinstance(node, ast.Ref):
            counts[node.name.text] += 1
        kind = type(node)
        if attrs.has(kind):
            stack.extend(getattr(node, f.name) for f in attrs.fields(kind))
        elif isinstance(node, tuple | list):
            stack.extend(node)
    return counts


def flag_of_number(number: exp.Expr) -> exp.Expr:
    """A bool read from a number, as `values.to_bool` reads one: true for 1, false for 0, else
    NULL (unread: PF502). A cast to BOOLEAN took any other number, 2, 0.5 or NaN, for true."""
    one, zero = (exp.EQ(this=number.copy(), expression=integer(k)) for k in (1, 0))
    return case((one, exp.true()), (zero, exp.false()), default=exp.Null())


# typeof's name of a BOOLEAN column in each dialect (PostgreSQL: pg_typeof's, as text)
BOOLEAN_TYPES = {"duckdb": "BOOLEAN", "spark": "boolean", "postgres": "boolean"}


def typed_number(raw: exp.Expr, typed: exp.Expr, dialect: str) -> exp.Expr:
    """A number read from a column whose type the query is not told (`typed`, its cast to NUM) as
    evaluate() reads the value a row gives: a BOOLEAN is no number (values.to_decimal: PF502),
    where the cast took true for 1; and a number too large for NUM (a BIGINT of 10^18 or more),
    whose cast is NULL and was refused as no number (PF502), is read as ±HUGE, which its bounds
    (PF503) or range (PF800) refuse, as a cell's text of it is. Both engines fold the branch on
    the type; the second cast runs only where the first gave NULL."""
    kind = exp.Anonymous(this="TYPEOF", expressions=[raw.copy()])
    whole = exp.TryCast(this=raw.copy(), to=exact.decimal_type(38, 0), safe=True)  # its sign: 10^37 is held
    too_large = case((exp.LT(this=whole.copy(), expression=integer(0)), literal(-HUGE)),
                     (exp.Not(this=exp.Is(this=whole, expression=exp.Null())), literal(HUGE)))  # fmt: skip
    return case((exp.EQ(this=kind, expression=exp.Literal.string(BOOLEAN_TYPES[dialect])), exp.Null()),
                default=exp.Coalesce(this=typed, expressions=[too_large]))  # fmt: skip


def label_text(raw: exp.Expr, dialect: str) -> exp.Expr:
    """A label's text as evaluate() reads the value a row gives, `str(value).strip()`: a BOOLEAN
    column's `True` or `False`, as Python writes a bool, where each engine writes `true` (a label
    declared `True` was refused, one declared `true` taken). DuckDB and Spark fold the branch."""
    text = cast(raw.copy(), exp.DataType.build("TEXT"))
    trimmed = exp.Trim(this=text)
    if dialect == "postgres":  # without all that str.strip() takes away (`\u3000甲`), not spaces alone
        trimmed = exp.Trim(this=text.copy(), expression=exp.Literal.string(exact.SPACES), position="BOTH")
    kind = BOOLEAN_TYPES.get(dialect)
    if kind is None:
        return trimmed
    typed: exp.Expr = exp.Anonymous(this="TYPEOF", expressions=[raw.copy()])
    if dialect == "postgres":
        typed = cast(exp.Anonymous(this="PG_TYPEOF", expressions=[raw.copy()]), exp.DataType.build("TEXT"))
    words = [(exp.EQ(this=text.copy(), expression=exp.Literal.string(str(b).lower())), exp.Literal.string(str(b))) for b in (True, False)]
    return case((exp.EQ(this=typed, expression=exp.Literal.string(kind)), case(*words)), default=trimmed)


def blank_text(raw: exp.Expr) -> exp.Expr:
    """Whether a value's text is blank, as `str.strip()` says (`''`, `'  '`, `'\u3000'`)."""
    text = cast(raw.copy(), exp.DataType.build("TEXT"))
    return exp.EQ(this=exp.Trim(this=text, expression=exp.Literal.string(exact.SPACES), position="BOTH"), expression=exp.Literal.string(""))


def postgres_flag(raw: exp.Expr) -> exp.Expr:
    """A bool on PostgreSQL, read from the column's text as `values.to_bool` reads the value a
    client is given: a number's column (pg_typeof) 1 or 0, a BOOLEAN's `true` or `false`, a
    text by to_bool's words (`是`, `√`; not `t` or `on`), else NULL (PF502). Never a cast of
    the column to BOOLEAN: PostgreSQL has none from NUMERIC, BIGINT or a double (an error of
    the whole query), and its cast of text reads `t` and `on`, which evaluate() refuses."""
    text = cast(raw.copy(), exp.DataType.build("TEXT"))
    kind = cast(exp.Anonymous(this="PG_TYPEOF", expressions=[raw.copy()]), exp.DataType.build("TEXT"))
    number = exp.TryCast(this=text.copy(), to=exp.DataType.build("DECIMAL"), safe=True)  # only where a number's text (exact.postgres_casts)
    word = exp.Lower(this=exp.Trim(this=text.copy(), expression=exp.Literal.string(exact.SPACES), position="BOTH"))
    words = {flag: [exp.Literal.string(w) for w in sorted(ws)] for flag, ws in ((True, values.TRUE_WORDS), (False, values.FALSE_WORDS))}
    return case((exp.In(this=kind, expressions=[exp.Literal.string(k) for k in exact.POSTGRES_NUMBERS]), flag_of_number(number)),
                (exp.In(this=word, expressions=words[True]), exp.true()),
                (exp.In(this=word.copy(), expressions=words[False]), exp.false()), default=exp.Null())  # fmt: skip

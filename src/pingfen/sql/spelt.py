"""The query over cells of text as a person typed them (a CSV's or a sheet's, in
`pingfen eval --engine duckdb`): each input read as `pingfen eval` reads the same cell
(`values.coerce` on text, without `ratios`), not as DuckDB's casts would read it.

The warehouse query (sql/compiler.py) reads typed columns as `evaluate(record, ratios=True)`
does. A CSV's cells are text, and read so a bare `95` in a percent column would be 9500%,
where `pingfen eval` refuses it as ambiguous (PF523); `95%`, `是`, `１,２００` would be refused
where `pingfen eval` reads them; `1_2` would be 12 where it is a typo. Here each cell is first
made the text the query reads exactly as `coerce` reads the cell:
- blank (as `str.strip` says) is missing (PF501);
- a number as `values.to_decimal` reads text: full-width digits and `，` made ASCII, only
  well-formed thousands groups (`1,200`), then the one form of a number (`_NUMBER`);
  anything else is not a number (PF502); one the query cannot hold exactly is refused;
- a percent's `95%` (or `95％`) is its ratio, exactly; a bare number beyond the ratio limits
  (`values.ratio_limits`) is PF523, after PF502 and before the bounds, as in `Rubric.coerce`;
- a bool's words are `values.to_bool`'s (是/否, yes/no, 1/0, √/× …);
- a date's text as `values.to_date` reads it (`2021年3月1日`, `2021/3/1`, `2021-3-1`, a time
  after it, any script's digits; a whole day number), made the ISO text the query casts;
  any other text is not a date (PF502);
- the words that mark 不适用 are left as they are, for the forms that read them;
- a row whose cells do not line up with the header (the relation's MISALIGNED column, which
  engine._csv_reader gives) is refused before anything else, as io.tables refuses it (PF520).
DuckDB only: the engine is the one that reads files.
"""

from __future__ import annotations

import collections.abc

import attrs
from sqlglot import exp

from pingfen.absent import NA_WORDS
from pingfen.evaluate.rubric import InputSpec
from pingfen.sql.compiler import PREFIX, Frag, compare
from pingfen.sql.exact import NUM, SPACES, case, cast, decimal_digits, literal
from pingfen.sql.newforms import DATE, EPOCH, FormsCompiler
from pingfen.values import (
    DATE_FORM,
    FALSE_WORDS,
    FIRST_DAY,
    FULL_WIDTH,
    LAST_DAY,
    MAX_NUMBER_TEXT,
    NUMBER_FORM,
    THOUSANDS,
    TRUE_WORDS,
    ratio_limits,
)

_CLASS = "".join(f"\\x{{{ord(c):04x}}}" for c in SPACES)  # the same, in a regular expression's [...]
TEXT = exp.DataType.build("TEXT")
RATIO = exp.DataType.build("DECIMAL(38, 18)")  # a percent's number: ÷ 100 it has the query's 20 places
UNREAD = exp.Literal.string("?")  # no cast reads it: the query says PF502


def s(text: str) -> exp.Literal:
    return exp.Literal.string(text)


def fn(name: str, *args: exp.Expr) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def stripped(raw: exp.Expr) -> exp.Expr:
    """The cell as text without what `str.strip()` takes away (TRIM with a set of characters
    is slow in DuckDB: only for a cell that begins or ends with one)."""
    text = cast(raw.copy(), TEXT)
    edged = fn("REGEXP_MATCHES", text.copy(), s(f"^[{_CLASS}]|[{_CLASS}]$"))
    return case((edged, fn("TRIM", text.copy(), s(SPACES))), default=text)


def one_of(text: exp.Expr, words: frozenset[str]) -> exp.Expr:
    return _in(fn("LOWER", text.copy()), words)


def _in(low: exp.Expr, words: frozenset[str]) -> exp.Expr:
    return exp.In(this=low.copy(), expressions=[s(w) for w in sorted(words)])


def ascii_number(text: exp.Expr) -> exp.Expr:
    """`values.to_decimal` of stripped text, up to its one form: full-width digits and `，` made
    ASCII, then only well-formed thousands groups kept, without their separators; NULL else."""
    keys, values = zip(*FULL_WIDTH.items(), strict=True)
    wide = fn("TRANSLATE", fn("REPLACE", text.copy(), s("，"), s(",")), s("".join(chr(k) for k in keys)), s("".join(chr(v) for v in values)))
    out: exp.Expr = case((fn("REGEXP_MATCHES", text.copy(), s("[^\\x00-\\x7f]")), wide), default=text.copy())  # TRANSLATE is slow: only where needed
    for sep in ",_":
        grouped = fn("REGEXP_FULL_MATCH", out.copy(), s(THOUSANDS[sep].pattern))
        out = case((fn("CONTAINS", out.copy(), s(sep)), case((grouped, fn("REPLACE", out.copy(), s(sep), s(""))))), default=out)
    return out


def one_form(digits: exp.Expr) -> exp.Expr:
    """The text, if it is a number's one form (`_NUMBER`, at most MAX_NUMBER_TEXT long); else NULL."""
    short = exp.LTE(this=fn("LENGTH", digits.copy()), expression=exp.Literal.number(MAX_NUMBER_TEXT))
    return case((exp.and_(short, fn("REGEXP_FULL_MATCH", digits.copy(), s(NUMBER_FORM.pattern))), digits.copy()))


def kept(number: exp.Expr, value: exp.Expr, places: int = 20, fraction: bool = False) -> exp.Expr:
    """A number's text, if the query keeps it exactly (its `value` cast, of `places` decimals),
    else, for one it cannot (beyond 10^18, or a digit other than 0 past the `places`th decimal:
    `1E999`, `1E-999`, `0.8999999999999999999999`), ±10^17, which the query refuses (its
    bounds' PF503, PF523 or its range's PF800) rather than read as NULL (PF502) or score as
    another number (0, 0.9). NULL for no number."""
    huge = case((fn("STARTS_WITH", number.copy(), s("-")), s(UNHELD[1])), default=s(UNHELD[0]))
    unread = (exp.Is(this=number.copy(), expression=exp.Null()), exp.Null())
    if fraction:  # a count's: a digit past the places is a fraction, refused as one (its PF503), read as ½
        return case(unread, (exp.Is(this=value.copy(), expression=exp.Null()), huge), (beyond(number, places), s("0.5")),
                    default=number.copy())  # fmt: skip
    lost = exp.or_(exp.Is(this=value.copy(), expression=exp.Null()), beyond(number, places))
    return case(unread, (lost, huge), default=number.copy())


UNHELD = ("1E17", "-1E17")  # what `kept` reads a number the query cannot hold exactly as


def unheld(text: exp.Expr, *more: exp.Expr) -> exp.Expr:
    """Whether a number's text is one `kept` gave for a number the query cannot hold (or one of `more`)."""
    return exp.In(this=text.copy(), expressions=[s(UNHELD[0]), s(UNHELD[1]), *more])


def beyond(number: exp.Expr, places: int) -> exp.Expr:
    """Whether a number's text (its one form: `one_form`) has a digit other than 0 past the
    `places`th decimal, its exponent counted: its fraction's digits to the last not 0, less the
    exponent, are more than `places`. (A whole part's trailing zeros under a negative exponent
    count too: `1230E-21` is refused though 1.23E-18 has 20 decimals; no cell is written so.)
    A zero has no such digit however it is written: `0E-30` is 0 (it was refused as past them)."""
    fraction = fn("REGEXP_EXTRACT", number.copy(), s(r"^[^eE.]*\.([0-9]*?)0*(?:[eE].*)?$"), exp.Literal.number(1))
    power = fn("REGEXP_EXTRACT", number.copy(), s("[eE]([+-]?[0-9]+)$"), exp.Literal.number(1))
    exponent = fn("COALESCE", exp.TryCast(this=power, to=exp.DataType.build("INTEGER"), safe=True), exp.Literal.number(0))
    past = exp.GT(this=exp.Sub(this=fn("LENGTH", fraction), expression=exponent), expression=exp.Literal.number(places))
    return exp.and_(fn("REGEXP_MATCHES", number.copy(), s("^[^eE]*[1-9]")), past)


CELL = "_pf_cell"  # a panel's value, in a lambda: no column has this name


def _blank(text: exp.Expr) -> exp.Expr:
    return exp.or_(exp.Is(this=text.copy(), expression=exp.Null()), exp.EQ(this=text.copy(), expression=s("")))


# values.to_date's pattern in RE2: Python's \d is any script's decimal digit (int() reads them),
# made ASCII first (`decimal_digits`); its \s is what str.strip() takes away.
DATE_PATTERN = DATE_FORM.pattern.replace("\\d", "[0-9]").replace("\\s", f"[{_CLASS}]")
assert "\\" not in DATE_PATTERN.replace("\\.", "").replace("\\x", ""), "an escape RE2 may read otherwise"


def percent_sign(text: exp.Expr) -> exp.Expr:
    return exp.or_(fn("ENDS_WITH", text.copy(), s("%")), fn("ENDS_WITH", text.copy(), s("％")))


# The relation's column (the engine's, engine._csv_reader) that says a row's cells do not line up
# with the header: fewer, or more that are not blank. Dropped from what the query gives.
MISALIGNED = f"{PREFIX}misaligned"
OWN = f"{PREFIX}own_"  # before a batch value's name: the relation's column of it, a row's own value


class SpeltCompiler(FormsCompiler):
    """The query of sql/newforms.py, its inputs read from text as `pingfen eval` reads a cell,
    from a relation with the column MISALIGNED: such a row is refused as `pingfen eval`
    refuses it (PF520, before anything else), the others as ever.

    `texts`: the inputs read so (None: every one, a CSV's or a sheet's); the others are typed
    columns, read as sql/newforms.py reads them. `ratios`: a bare percent is a ratio already,
    as `evaluate(record, ratios=True)` reads a typed record's (no PF523): a Parquet file's."""

    texts: frozenset[str] | None = None
    ratios = False
    own: frozenset[str] = frozenset()  # the batch values the relation has a column of (named OWN + the name)

    def inputs(self) -> None:
        self.spelt: dict[str, Frag] = {}  # a number's text as the query reads it
        self.site(Frag(exp.column(MISALIGNED, quoted=True), 0), "PF520", None)  # the first site: it wins
        super().inputs()
        for name, read in self.spelt.items():  # its 64-bit twin is read from that text, not the cell's
            if name in self.numbers:
                self.numbers[name] = (read, self.numbers[name][1])

    def input(self, spec: InputSpec, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        assert self.dialect == "duckdb"  # the engine's: its functions are DuckDB's
        if self.texts is not None and spec.name not in self.texts:  # a typed column
            return super().input(spec, raw)
        if spec.type == "date":
            return super().input(spec, self.date_text(raw))
        if spec.type == "label":  # read as the query reads it, without the cell's spaces
            return super().input(spec, Frag(stripped(raw.sql), raw.depth))
        if spec.type == "bool":
            text = self.bind(Frag(stripped(raw.sql), raw.depth))
            low = self.bind(Frag(fn("LOWER", text.sql.copy()), text.depth))
            flag = case((_blank(text.sql), exp.Null()), (_in(low.sql, TRUE_WORDS), s("true")), (_in(low.sql, FALSE_WORDS), s("false")),
                        (_in(low.sql, NA_WORDS), text.sql.copy()), default=UNREAD.copy())  # fmt: skip
            return super().input(spec, self.bind(Frag(flag, low.depth)))
        # Most cells are plainly written: DuckDB's cast reads them as coerce does (not `1_2`, not
        # a number that is 0 only at 20 places). Only the others take the steps below, each a
        # column that is NULL, and cheap, for a plain cell.
        direct = self.bind(Frag(exp.TryCast(this=raw.sql.copy(), to=NUM.copy(), safe=True), raw.depth))
        # A cell of 21 characters or fewer and no exponent has at most 20 decimals: the cast keeps
        # every digit of it. Any other goes the long way, where `kept` refuses one it would round.
        short = exp.LTE(this=fn("LENGTH", cast(raw.sql.copy(), TEXT)), expression=exp.Literal.number(21))
        no_power = exp.and_(exp.not_(fn("CONTAINS", cast(raw.sql.copy(), TEXT), s("e"))),
                            exp.not_(fn("CONTAINS", cast(raw.sql.copy(), TEXT), s("E"))))  # fmt: skip
        plain = exp.and_(exp.Not(this=exp.Is(this=direct.sql.copy(), expression=exp.Null())),
                         exp.not_(fn("CONTAINS", cast(raw.sql.copy(), TEXT), s("_"))), short, no_power)  # fmt: skip
        fast = self.bind(Frag(plain, direct.depth))
        text = self.bind(Frag(case((fast.sql.copy(), exp.Null()), default=stripped(raw.sql)), fast.depth))
        sign = spec.type == "percent"
        signed = self.bind(Frag(exp.and_(exp.Not(this=exp.Is(this=text.sql.copy(), expression=exp.Null())), percent_sign(text.sql)) if sign else exp.false(), text.depth))
        number = self.number(self.bind(Frag(case((signed.sql.copy(), exp.Null()), default=text.sql.copy()), signed.depth)) if sign else text, NUM,
                             count=spec.type == "count")  # fmt: skip
        read = self.bind(Frag(case((fast.sql.copy(), cast(raw.sql.copy(), TEXT)), (_blank(text.sql), exp.Null()),
                                   (exp.Not(this=exp.Is(this=number.sql.copy(), expression=exp.Null())), number.sql.copy()),
                                   (one_of(text.sql, NA_WORDS), text.sql.copy()), default=UNREAD.copy()), number.depth))  # fmt: skip
        if spec.type != "percent":
            self.spelt[spec.name] = read
            return super().input(spec, read)
        hundredths = fn("LEFT", text.sql.copy(), exp.Sub(this=fn("LENGTH", text.sql.copy()), expression=exp.Literal.number(1)))
        part = self.number(self.bind(Frag(case((signed.sql.copy(), stripped(hundredths))), signed.depth)), RATIO)
        huge = unheld(part.sql)
        ratio = case((huge, part.sql.copy()), default=cast(exp.Mul(this=cast(part.sql.copy(), RATIO), expression=exp.Literal.number("0.01")), TEXT))
        got = exp.Not(this=exp.Is(this=part.sql.copy(), expression=exp.Null()))
        read = self.bind(Frag(case((exp.and_(signed.sql.copy(), got), ratio), (signed.sql.copy(), UNREAD.copy()), default=read.sql.copy()),
                              max(part.depth, read.depth)))  # fmt: skip
        self.spelt[spec.name] = read
        value, problems = super().input(spec, read)
        limits = None if self.ratios else ratio_limits(spec.bounds)
        if limits:  # a bare number beyond ±1: 95 for 95%? (Rubric.coerce, after the precision)
            number_read = self.at_precision(spec, Frag(exp.TryCast(this=read.sql.copy(), to=NUM.copy(), safe=True), read.depth))
            beyond = exp.or_(*(exp.not_(compare(op, number_read.sql.copy(), literal(limit))) for op, limit in limits))
            # not a number the query cannot hold (`kept`'s ±10^17: 0.950000000000000000000001, a
            # digit past the 20th): its range refuses it (PF800), as it does the same written with `%`
            ambiguous = exp.and_(exp.not_(signed.sql.copy()), beyond, exp.not_(unheld(read.sql)))
            if spec.name in self.marked:  # an optional input: not where the cell says 不适用
                ambiguous = exp.and_(exp.not_(exp.Paren(this=self.marked[spec.name].sql.copy())), ambiguous)
            at = next(i for i, (_, code) in enumerate(problems) if code == "PF502") + 1
            marked = self.marked[spec.name].depth if spec.name in self.marked else 0
            problems.insert(at, (Frag(ambiguous, max(value.depth, number_read.depth, marked)), "PF523"))
        return value, problems

    def newer_input(self, spec: InputSpec, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        """A batch value (`let 基准价 = batch min(报价)`) the file has a column of: a row that gives
        the value itself keeps its own, read as `pingfen eval` reads the input's cell (PF502 …
        for one it cannot read); a blank cell gives none, and the row takes the batch's
        (`rubric.with_batch`). PF541 only where neither is there."""
        value, problems = super().newer_input(spec, raw)  # a PF520 row counts in no batch value (newforms)
        if spec.is_list or spec.name not in self.own:
            return value, problems
        given = attrs.evolve(spec, batch=None)
        mine, refused = self.input(given, Frag(exp.column(OWN + spec.name, quoted=True), 0))
        self.spelt.pop(spec.name, None)  # the 64-bit twin is the value's, not the cell's
        mine = self.bind(mine)
        blank = exp.Is(this=mine.sql.copy(), expression=exp.Null())
        kept = [(Frag(exp.and_(blank.copy(), frag.sql.copy()), max(frag.depth, mine.depth)), code) for frag, code in problems]
        read = [(frag, code) for frag, code in refused if code != "PF501"]  # a blank cell: the batch's value
        either = Frag(case((blank, value.sql.copy()), default=mine.sql.copy()), max(value.depth, mine.depth))
        return either, read + kept

    def panel(self, spec: InputSpec, raw: Frag, bare: Frag | None = None) -> tuple[Frag, list[tuple[Frag, str]]]:
        """A panel's values of text (a cell split by engine._split, or the template's numbered
        cells), each read as `values.coerce_list` reads it, by `coerce` on the text: `８`, `90%`,
        `９０％` read, `1_0` not a number (PF502); a typed list (a Parquet file's) as it is. The
        steps of `number`, each a TRANSFORM of the list (a lambda binds no column: one step's
        value is the next one's argument, so no step's text is written twice over); a percent's
        value marked `%` before its number until the last step makes it the ratio."""
        if self.texts is not None and spec.name not in self.texts:
            return super().panel(spec, raw, bare)
        sign = spec.type == "percent"
        to = RATIO if sign else NUM

        def first(x: exp.Expr) -> exp.Expr:
            text = stripped(x)
            blank = exp.or_(exp.Is(this=x.copy(), expression=exp.Null()), exp.EQ(this=text.copy(), expression=s("")))
            whole = fn("LEFT", text.copy(), exp.Sub(this=fn("LENGTH", text.copy()), expression=exp.Literal.number(1)))
            marked = exp.DPipe(this=s("%"), expression=stripped(whole))
            return case((blank, exp.Null()), (percent_sign(text), marked), default=text) if sign else case((blank, exp.Null()), default=text)

        def each(step: collections.abc.Callable[[exp.Expr, exp.DataType], exp.Expr]) -> collections.abc.Callable[[exp.Expr], exp.Expr]:
            def on(x: exp.Expr) -> exp.Expr:
                null = exp.Is(this=x.copy(), expression=exp.Null())
                if not sign:
                    return case((null, exp.Null()), default=step(x, NUM))
                rest = fn("SUBSTR", x.copy(), exp.Literal.number(2))
                return case((null, exp.Null()), (fn("STARTS_WITH", x.copy(), s("%")), exp.DPipe(this=s("%"), expression=step(rest, RATIO))),
                            default=step(x, to if not sign else NUM))  # fmt: skip
            return on

        def unread(x: exp.Expr, read: exp.Expr) -> exp.Expr:
            return case((exp.EQ(this=x.copy(), expression=UNREAD.copy()), UNREAD.copy()), default=fn("COALESCE", read, UNREAD.copy()))

        def wide(x: exp.Expr, _: exp.DataType) -> exp.Expr:
            keys, values = zip(*FULL_WIDTH.items(), strict=True)
            made = fn("TRANSLATE", fn("REPLACE", x.copy(), s("，"), s(",")), s("".join(chr(k) for k in keys)), s("".join(chr(v) for v in values)))
            return case((fn("REGEXP_MATCHES", x.copy(), s("[^\\x00-\\x7f]")), made), default=x.copy())

        def grouped(sep: str) -> collections.abc.Callable[[exp.Expr, exp.DataType], exp.Expr]:
            def step(x: exp.Expr, _: exp.DataType) -> exp.Expr:
                whole = case((fn("REGEXP_FULL_MATCH", x.copy(), s(THOUSANDS[sep].pattern)), fn("REPLACE", x.copy(), s(sep), s(""))))
                return unread(x, case((fn("CONTAINS", x.copy(), s(sep)), whole), default=x.copy()))
            return step

        def formed(x: exp.Expr, _: exp.DataType) -> exp.Expr:
            return unread(x, one_form(x))

        def held(x: exp.Expr, into: exp.DataType) -> exp.Expr:
            places = int(into.expressions[1].this.name)
            return unread(x, kept(x, exp.TryCast(this=x.copy(), to=into.copy(), safe=True), places, fraction=spec.type == "count"))

        steps = [first, each(wide), each(grouped(",")), each(grouped("_")), each(formed), each(held)]
        values: exp.Expr = cast(raw.sql.copy(), exp.DataType.build("TEXT[]", dialect="duckdb"))
        for step in steps:
            values = exp.Transform(this=values, expression=exp.Lambda(this=step(exp.column(CELL)), expressions=[exp.to_identifier(CELL)]))
        if sign:
            def ratio(x: exp.Expr) -> exp.Expr:
                part = fn("SUBSTR", x.copy(), exp.Literal.number(2))
                huge = unheld(part, UNREAD.copy())
                times = cast(exp.Mul(this=cast(part.copy(), RATIO), expression=exp.Literal.number("0.01")), TEXT)
                return case((fn("STARTS_WITH", x.copy(), s("%")), case((huge, part.copy()), default=times)), default=x.copy())
            marked = self.bind(Frag(values, raw.depth))  # each value read, a percent's still marked `%`
            cell = exp.column(CELL)
            values = exp.Transform(this=marked.sql.copy(), expression=exp.Lambda(this=ratio(cell), expressions=[exp.to_identifier(CELL)]))
            # the bare numbers alone, for the ratio limits (Rubric._panel_bounds): `101%` is a legal percent
            unmarked = case((fn("STARTS_WITH", cell.copy(), s("%")), exp.Null()), default=cell.copy())
            bare = None if self.ratios else Frag(exp.Transform(this=marked.sql.copy(), expression=exp.Lambda(this=unmarked, expressions=[exp.to_identifier(CELL)])), marked.depth)
            return super().panel(spec, Frag(values, marked.depth), bare)
        return super().panel(spec, Frag(values, raw.depth), bare)

    def select(self, scores: dict[str, Frag], total: Frag, grade: Frag, refusal: Frag, narrowed: dict[str, exp.Expr]) -> exp.Select:
        query = super().select(scores, total, grade, refusal, narrowed)
        star = query.expressions[0]
        assert isinstance(star, exp.Star)  # the relation's columns, less the query's own
        own = [exp.to_identifier(OWN + name, quoted=True) for name in sorted(self.own)]
        star.set("except_", [*(star.args.get("except_") or []), exp.to_identifier(MISALIGNED, quoted=True), *own])
        return query

    def date_text(self, raw: Frag) -> Frag:
        """The cell as `values.to_date` reads text, as text the query's `day` casts: the ISO date
        (`YYYY-MM-DD`) of the day it names, NULL when blank (PF501), the words that mark 不适用
        as they are, else `?` (PF502). A column per step; the steps past the first only read
        a cell that is not blank."""
        text = self.bind(Frag(stripped(raw.sql), raw.depth))
        wide, ascii_ = decimal_digits()
        foreign = fn("REGEXP_MATCHES", text.sql.copy(), s("[^\\x00-\\x7f]"))  # TRANSLATE is slow: only where needed
        digits = self.bind(Frag(case((foreign, fn("TRANSLATE", text.sql.copy(), s(wide), s(ascii_))), default=text.sql.copy()), text.depth))
        matched = self.bind(Frag(fn("REGEXP_FULL_MATCH", digits.sql.copy(), s(DATE_PATTERN)), digits.depth))
        found = [fn("REGEXP_EXTRACT", digits.sql.copy(), s(f"^(?:{DATE_PATTERN})$"), exp.Literal.number(i)) for i in (1, 2, 3)]
        year, month, day = found
        iso = exp.DPipe(this=exp.DPipe(this=exp.DPipe(this=exp.DPipe(this=year.copy(), expression=s("-")), expression=fn("LPAD", month, exp.Literal.number(2), s("0"))),
                                       expression=s("-")), expression=fn("LPAD", day, exp.Literal.number(2), s("0")))  # fmt: skip
        named = self.bind(Frag(case((matched.sql.copy(), iso)), matched.depth))
        real = exp.and_(exp.Not(this=exp.Is(this=exp.TryCast(this=named.sql.copy(), to=DATE.copy(), safe=True), expression=exp.Null())),
                        exp.NEQ(this=fn("LEFT", named.sql.copy(), exp.Literal.number(4)), expression=s("0000")))  # datetime.date has no year 0  # fmt: skip
        numbered = self.day_number(text)
        read = case((_blank(text.sql), exp.Null()), (matched.sql.copy(), case((real, named.sql.copy()), default=UNREAD.copy())),
                    (exp.Not(this=exp.Is(this=numbered.sql.copy(), expression=exp.Null())), numbered.sql.copy()),
                    (one_of(text.sql, NA_WORDS), text.sql.copy()), default=UNREAD.copy())  # fmt: skip
        return self.bind(Frag(read, max(named.depth, numbered.depth)))

    def day_number(self, text: Frag) -> Frag:
        """The ISO date of a whole day number written as `values.number_text` reads it (full-width
        digits made ASCII, the one form of a number), from FIRST_DAY to LAST_DAY; else NULL.
        Whole as the text says, not as a cast rounds it (`45382.000…0001` is no day)."""
        keys, values = zip(*FULL_WIDTH.items(), strict=True)
        wide = fn("TRANSLATE", text.sql.copy(), s("".join(chr(k) for k in keys)), s("".join(chr(v) for v in values)))
        foreign = fn("REGEXP_MATCHES", text.sql.copy(), s("[^\\x00-\\x7f]"))
        digits = self.bind(Frag(one_form(case((foreign, wide), default=text.sql.copy())), text.depth))
        value = exp.TryCast(this=digits.sql.copy(), to=NUM.copy(), safe=True)
        # the number is s × 10^e: s its digits, e its exponent less its decimals; whole when e, plus
        # the zeros s ends with, is not negative (all zeros is 0: no day either way)
        mantissa = exp.DPipe(this=fn("REGEXP_EXTRACT", digits.sql.copy(), s("^[+-]?([0-9]*)"), exp.Literal.number(1)),
                             expression=fn("REGEXP_EXTRACT", digits.sql.copy(), s("\\.([0-9]*)"), exp.Literal.number(1)))  # fmt: skip
        decimals = fn("LENGTH", fn("REGEXP_EXTRACT", digits.sql.copy(), s("\\.([0-9]*)"), exp.Literal.number(1)))
        power = exp.Coalesce(this=exp.Nullif(this=fn("REGEXP_EXTRACT", digits.sql.copy(), s("[eE]([+-]?[0-9]+)$"), exp.Literal.number(1)), expression=s("")), expressions=[s("0")])
        zeros = exp.Sub(this=fn("LENGTH", mantissa.copy()), expression=fn("LENGTH", fn("RTRIM", mantissa.copy(), s("0"))))
        shift = exp.Add(this=exp.Sub(this=exp.TryCast(this=power, to=exp.DataType.build("BIGINT"), safe=True), expression=decimals), expression=zeros)
        whole = exp.GTE(this=shift, expression=exp.Literal.number(0))
        inside = exp.Between(this=value.copy(), low=exp.Literal.number(FIRST_DAY), high=exp.Literal.number(LAST_DAY))
        day = cast(exp.Add(this=EPOCH.copy(), expression=cast(value.copy(), exp.DataType.build("INT"))), TEXT)
        return self.bind(Frag(case((exp.and_(inside, whole), day)), digits.depth))

    def number(self, text: Frag, to: exp.DataType, count: bool = False) -> Frag:
        """The cell's number as text the query reads exactly as `to` (see `kept`), NULL where the
        text is no number: a column per step."""
        digits = self.bind(Frag(one_form(ascii_number(text.sql)), text.depth))
        value = self.bind(Frag(exp.TryCast(this=digits.sql.copy(), to=to.copy(), safe=True), digits.depth))
        places = int(to.expressions[1].this.name)  # DECIMAL(38, s): a percent's number keeps 18, ÷ 100 the query's 20
        return self.bind(Frag(kept(digits.sql, value.sql, places, fraction=count), value.depth))


def given(own: frozenset[str], texts: frozenset[str] | None = None) -> type[SpeltCompiler]:
    """The compiler of a relation of the batch values `own` (columns OWN + name) and, if
    `texts` is given, of typed columns (a Parquet file's) but for the inputs `texts`: those
    read as `evaluate(record, ratios=True)` reads a str or a float, the others as typed."""

    class Given(SpeltCompiler):
        pass

    Given.own = own
    if texts is not None:
        Given.texts, Given.ratios = texts, True
    return Given

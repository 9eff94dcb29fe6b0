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
- the words that mark 不适用 are left as they are, for the forms that read them.
DuckDB only: the engine is the one that reads files.
"""

from __future__ import annotations

from sqlglot import exp

from pingfen.absent import NA_WORDS
from pingfen.evaluate.rubric import InputSpec
from pingfen.sql.compiler import Frag, compare
from pingfen.sql.exact import NUM, case, cast, literal
from pingfen.sql.newforms import FormsCompiler
from pingfen.values import FALSE_WORDS, FULL_WIDTH, MAX_NUMBER_TEXT, NUMBER_FORM, THOUSANDS, TRUE_WORDS, ratio_limits

SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())  # what str.strip() takes away
TEXT = exp.DataType.build("TEXT")
RATIO = exp.DataType.build("DECIMAL(38, 18)")  # a percent's number: ÷ 100 it has the query's 20 places
UNREAD = exp.Literal.string("?")  # no cast reads it: the query says PF502


def s(text: str) -> exp.Literal:
    return exp.Literal.string(text)


def fn(name: str, *args: exp.Expr) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def stripped(raw: exp.Expr) -> exp.Expr:
    """The cell as text without what `str.strip()` takes away."""
    return fn("TRIM", cast(raw.copy(), TEXT), s(SPACES))


def one_of(text: exp.Expr, words: frozenset[str]) -> exp.Expr:
    return exp.In(this=fn("LOWER", text.copy()), expressions=[s(w) for w in sorted(words)])


def number_text(text: exp.Expr) -> tuple[exp.Expr, exp.Expr]:
    """`values.to_decimal` of stripped text: (the number's plain text, whether it is one)."""
    keys, values = zip(*FULL_WIDTH.items(), strict=True)
    ascii_text: exp.Expr = fn("TRANSLATE", fn("REPLACE", text.copy(), s("，"), s(",")), s("".join(chr(k) for k in keys)), s("".join(chr(v) for v in values)))
    ok: exp.Expr = exp.true()
    for sep in ",_":  # only well-formed thousands groups, then without their separators
        has = fn("CONTAINS", ascii_text.copy(), s(sep))
        ok = exp.and_(ok, exp.or_(exp.not_(has.copy()), fn("REGEXP_FULL_MATCH", ascii_text.copy(), s(THOUSANDS[sep].pattern))))
        ascii_text = fn("REPLACE", ascii_text, s(sep), s(""))
    ok = exp.and_(ok, exp.LTE(this=fn("LENGTH", ascii_text.copy()), expression=exp.Literal.number(MAX_NUMBER_TEXT)),
                  fn("REGEXP_FULL_MATCH", ascii_text.copy(), s(NUMBER_FORM.pattern)))  # fmt: skip
    return ascii_text, ok


def kept(number: exp.Expr, to: exp.DataType) -> exp.Expr:
    """A number's text the query keeps exactly as `to`, or, for one it cannot (beyond 10^18, or
    not 0 yet 0 at 20 places: `1E999`, `1E-999`), ±10^17, which the query refuses (its bounds'
    PF503 or its range's PF800) rather than read as NULL (PF502) or score as 0."""
    value = exp.TryCast(this=number.copy(), to=to.copy(), safe=True)
    lost = exp.or_(exp.Is(this=value.copy(), expression=exp.Null()),
                   exp.and_(exp.EQ(this=value.copy(), expression=exp.Literal.number(0)), fn("REGEXP_MATCHES", number.copy(), s("^[^eE]*[1-9]"))))  # fmt: skip
    huge = case((fn("STARTS_WITH", number.copy(), s("-")), s("-1E17")), default=s("1E17"))
    return case((lost, huge), default=number.copy())


def percent_sign(text: exp.Expr) -> exp.Expr:
    return exp.or_(fn("ENDS_WITH", text.copy(), s("%")), fn("ENDS_WITH", text.copy(), s("％")))


class SpeltCompiler(FormsCompiler):
    """The query of sql/newforms.py, its inputs read from text as `pingfen eval` reads a cell."""

    def input(self, spec: InputSpec, raw: Frag) -> tuple[Frag, list[tuple[Frag, str]]]:
        assert self.dialect == "duckdb"  # the engine's: its functions are DuckDB's
        if spec.type in ("date", "label"):  # read as the query reads them, without the cell's spaces
            return super().input(spec, Frag(stripped(raw.sql), raw.depth))
        text = self.bind(Frag(stripped(raw.sql), raw.depth))
        blank = exp.or_(exp.Is(this=text.sql.copy(), expression=exp.Null()), exp.EQ(this=text.sql.copy(), expression=s("")))
        said_na = one_of(text.sql, NA_WORDS)
        if spec.type == "bool":
            read = case((blank, exp.Null()), (one_of(text.sql, TRUE_WORDS), s("true")), (one_of(text.sql, FALSE_WORDS), s("false")),
                        (said_na, text.sql.copy()), default=UNREAD.copy())  # fmt: skip
            return super().input(spec, Frag(read, text.depth))
        number, ok = number_text(text.sql)
        read = case((blank, exp.Null()), (ok, kept(number, NUM)), (said_na, text.sql.copy()), default=UNREAD.copy())
        if spec.type != "percent":
            return super().input(spec, Frag(read, text.depth))
        hundredths = fn("LEFT", text.sql.copy(), exp.Sub(this=fn("LENGTH", text.sql.copy()), expression=exp.Literal.number(1)))
        part, part_ok = number_text(stripped(hundredths))
        part = kept(part, RATIO)
        ratio = case((exp.In(this=part.copy(), expressions=[s("1E17"), s("-1E17")]), part.copy()),
                     default=cast(exp.Mul(this=cast(part, RATIO), expression=exp.Literal.number("0.01")), TEXT))  # fmt: skip
        signed = percent_sign(text.sql)
        read = case((blank, exp.Null()), (exp.and_(signed.copy(), part_ok), ratio), (signed.copy(), UNREAD.copy()), default=read)
        value, problems = super().input(spec, Frag(read, text.depth))
        limits = ratio_limits(spec.bounds)
        if limits:  # a bare number beyond ±1: 95 for 95%? (Rubric.coerce, after the precision)
            number_read = self.at_precision(spec, exp.TryCast(this=read.copy(), to=NUM.copy(), safe=True))
            beyond = exp.or_(*(exp.not_(compare(op, number_read.copy(), literal(limit))) for op, limit in limits))
            ambiguous = exp.and_(exp.not_(signed), beyond)
            if spec.name in self.marked:  # an optional input: not where the cell says 不适用
                ambiguous = exp.and_(exp.not_(exp.Paren(this=self.marked[spec.name].sql.copy())), ambiguous)
            at = next(i for i, (_, code) in enumerate(problems) if code == "PF502") + 1
            problems.insert(at, (Frag(ambiguous, value.depth), "PF523"))
        return value, problems

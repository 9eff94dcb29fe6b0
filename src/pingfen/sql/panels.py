"""A panel of experts (`input 专家评分: list of score`) in SQL: the list functions the scoring
query reads it with, written for DuckDB (`LIST`) and Spark (`ARRAY`), the two engines whose
list functions are exact on decimals. Another dialect is refused (PF820) by the compiler.

A panel is one column holding a list of numbers (DuckDB `DECIMAL(38, 20)[]`, Spark
`ARRAY<DECIMAL(38, 20)>`); every value is read from it exactly, and the aggregates are the
engine's own exact decimal operations on it — a sum, a sort, the least and the greatest —
with a mean's quotient by the compiler's exact long division (docs/scale.md).
"""

from __future__ import annotations

from sqlglot import exp

from pingfen.sql.exact import NUM, case, cast, integer

DIALECTS = frozenset({"duckdb", "spark"})  # whose list functions and lambdas the query uses
LIST = exp.DataType.build("DECIMAL(38, 20)[]", dialect="duckdb")  # written ARRAY<DECIMAL(38, 20)> for Spark
TEXTS = exp.DataType.build("TEXT[]", dialect="duckdb")
DOUBLES = exp.DataType.build("DOUBLE[]", dialect="duckdb")
# typeof's names (LIKE patterns) of a list of floats, and of bools, in each dialect
FLOAT_LISTS = {"duckdb": ("DOUBLE[%", "FLOAT[%"), "spark": ("array<double>", "array<float>")}
BOOL_LISTS = {"duckdb": ("BOOLEAN[%",), "spark": ("array<boolean>",)}
X, INDEX, ACC = "_pf_x", "_pf_i", "_pf_acc"  # a lambda's parameters: no column of the query has these names


def values(raw: exp.Expr, dialect: str) -> exp.Expr:
    """The panel's values as exact decimals (LIST), as evaluate() reads the values a client is
    given: a list of doubles or floats by each one's shortest digits (a float's of the double it
    widens to), as a number's DOUBLE column is read (sql/warehouse.py) — a cast reads the binary
    value, 0.35 as 0.34999999999999995904 —, and a list of bools by their text, no number
    (PF502), not 1 and 0. The branch on the list's type is folded away when the query is bound."""
    kind = exp.Anonymous(this="TYPEOF", expressions=[raw.copy()])

    def of(patterns: tuple[str, ...]) -> exp.Expr:
        return exp.or_(*(exp.Like(this=kind.copy(), expression=exp.Literal.string(p)) for p in patterns))

    def read(e: exp.Expr, to: exp.DataType) -> exp.Expr:
        return exp.TryCast(this=e, to=to.copy(), safe=True)

    return case((of(FLOAT_LISTS[dialect]), read(read(read(raw.copy(), DOUBLES), TEXTS), LIST)),
                (of(BOOL_LISTS[dialect]), read(read(raw.copy(), TEXTS), LIST)), default=read(raw.copy(), LIST))  # fmt: skip


def var(name: str) -> exp.Column:
    return exp.column(name)


def lam(body: exp.Expr, *params: str) -> exp.Lambda:
    return exp.Lambda(this=body, expressions=[exp.to_identifier(p) for p in params])


def size(v: exp.Expr) -> exp.Expr:
    return exp.ArraySize(this=v.copy())


def element(v: exp.Expr, k: exp.Expr, dialect: str) -> exp.Expr:
    """The k-th value (from 1), NULL past the end: DuckDB's LIST_EXTRACT, Spark's
    TRY_ELEMENT_AT (its ELEMENT_AT and `[k]` fail past the end in ANSI mode)."""
    index = cast(k.copy(), exp.DataType.build("INT"))
    return exp.Anonymous(this="LIST_EXTRACT" if dialect == "duckdb" else "TRY_ELEMENT_AT", expressions=[v.copy(), index])


def first_code(raw: exp.Expr, v: exp.Expr, problem: exp.Expr, dialect: str) -> exp.Expr:
    """The code of the first value that values.coerce_list refuses, in the panel's order: a
    NULL PF501, one that is not a number PF502 (it was there, and TRY_CAST made it NULL),
    else `problem` (an expression of the value `X`: 'PF503' or NULL). NULL when none is."""
    index = var(INDEX) if dialect == "duckdb" else exp.Add(this=var(INDEX), expression=integer(1))  # DuckDB counts from 1, Spark from 0
    code = exp.Case(
        ifs=[
            exp.If(this=exp.Is(this=element(raw, index, dialect), expression=exp.Null()), true=exp.Literal.string("PF501")),
            exp.If(this=exp.Is(this=var(X), expression=exp.Null()), true=exp.Literal.string("PF502")),
        ],
        default=problem,
    )
    codes = exp.Transform(this=v.copy(), expression=lam(code, X, INDEX))
    found = exp.ArrayFilter(this=codes, expression=lam(exp.Not(this=exp.Is(this=var(X), expression=exp.Null())), X))
    return element(found, integer(1), dialect)


def any_value(v: exp.Expr, test: exp.Expr) -> exp.Expr:
    """Whether any value `X` of the list passes `test`."""
    passing = exp.ArrayFilter(this=v.copy(), expression=lam(test, X))
    return exp.GT(this=size(passing), expression=integer(0))


def total(v: exp.Expr, dialect: str) -> exp.Expr:
    """The sum of the values, exact: DuckDB's LIST_SUM of decimals, Spark's AGGREGATE from 0,
    each partial sum a NUM."""
    if dialect == "duckdb":
        return cast(exp.Anonymous(this="LIST_SUM", expressions=[v.copy()]), NUM)
    step = lam(cast(exp.Add(this=var(ACC), expression=var(X)), NUM), ACC, X)
    return cast(exp.Anonymous(this="AGGREGATE", expressions=[v.copy(), cast(integer(0), NUM), step]), NUM)


def least(v: exp.Expr) -> exp.Expr:
    return cast(exp.ArrayMin(this=v.copy()), NUM)


def greatest(v: exp.Expr) -> exp.Expr:
    return cast(exp.ArrayMax(this=v.copy()), NUM)


def ordered(v: exp.Expr) -> exp.Expr:
    """The values from the lowest up (a scored panel has no NULL)."""
    return exp.ArraySort(this=v.copy())


def as_json(v: exp.Expr) -> exp.Expr:
    """The values as a JSON list of strings, every digit kept: `["8.00000000000000000000", …]`."""
    quoted = exp.Concat(expressions=[exp.Literal.string('"'), cast(var(X), exp.DataType.build("TEXT")), exp.Literal.string('"')])
    joined = exp.ArrayToString(this=exp.Transform(this=v.copy(), expression=lam(quoted, X)), expression=exp.Literal.string(","))
    return exp.Concat(expressions=[exp.Literal.string("["), joined, exp.Literal.string("]")])

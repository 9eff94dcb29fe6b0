"""`pingfen eval --engine duckdb`: a large file scored by the rubric's SQL inside DuckDB.

The file is the relation `records` (a view over DuckDB's own reader: nothing is loaded into
Python); the query's result is streamed by DuckDB's COPY into a temporary file beside the
output, which replaces the output only when complete (io/write.atomic_path), never an input.
A CSV's cells are read as text and typed by the query itself (TRY_CAST), so a bad value is a
refusal in its row (PF502), not an error of the batch. An XLSX sheet is first copied to a
temporary CSV of its cells' text: DuckDB reads it only through an extension.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from sqlglot import exp

from pingfen.errors import DataError, UsageError
from pingfen.evaluate.rubric import Rubric, hidden_column
from pingfen.io.bounds import LINE_READ, MAX_LINE_CHARS, TooBig, csv_cells, line_too_long, too_long
from pingfen.io.records import unreadable
from pingfen.io.tables import (
    DEFAULT_IDS,
    SheetRows,
    comment_row,
    csv_columns,
    csv_delimiter,
    csv_encoding,
    header_name,
    hidden_id,
    id_text,
    input_cell,
    open_workbook,
    read_rows,
    sheet_of,
    xlsx_errors,
)
from pingfen.io.write import TRIGGERS, atomic_open, atomic_path, csv_text, refuse_inputs
from pingfen.lang import Lang
from pingfen.messages import hint, message
from pingfen.oserrors import OSReason
from pingfen.progress import THRESHOLD, Progress
from pingfen.sql import compiler, direct
from pingfen.sql.compiler import GRADE, PREFIX, REASONS, REFUSAL, REFUSAL_INPUT, fold
from pingfen.sql.exact import SPACES, case
from pingfen.sql.newforms import FormsCompiler
from pingfen.sql.spelt import MISALIGNED, OWN, fn, given
from pingfen.values import FULL_WIDTH, MAX_NUMBER_TEXT, NUMBER_FORM, THOUSANDS, as_read, numbered_columns

READS = {".parquet": "parquet", ".csv": "csv", ".xlsx": "xlsx"}
WRITES = {".parquet": "parquet", ".csv": "csv"}


@dataclass(frozen=True)
class Scored:
    rows: int
    refused: int
    dropped: tuple[str, ...] = ()  # the file's columns named as the output's own, not written (PF731)

    def warnings(self, lang: Lang) -> list[str]:
        """PF731 when some of the file's columns were not written."""
        if not self.dropped:
            return []
        columns = ("、" if lang == "zh" else ", ").join(f"`{c}`" for c in self.dropped)
        return [f"PF731: {message('PF731', lang, {'columns': columns})}"]

    def describe(self, lang: Lang) -> str:
        if lang == "zh":
            return f"已评分 {self.rows} 行，其中 {self.refused} 行无法评分（见 refusal 列）"
        return f"{self.rows} rows scored, {self.refused} of them could not be (see the refusal column)"


def _refuse(code: str, args: dict[str, object]) -> UsageError:
    return UsageError(f"{code}: {message(code, 'en', args)}", f"{code}: {message(code, 'zh', args)}")


def _refuse_unnamed_header(rubric: Rubric, data: str, encoding: str | None, described: Mapping[str, str]) -> None:
    """PF531/PF532 (io.headers.unnamed_header): a header naming none of the inputs (a title row above
    it) or over two rows, refused as `pingfen eval` refuses the file, with its hint. Looked into
    only where an input every row must give has no column (the file is then opened again); a
    file pingfen's own reader cannot open is left to the engine's reading, which says why."""
    from pingfen.io.headers import unnamed_header  # the Python batch's check, one for both engines

    if all(s.name in described or s.name in rubric.optional or s.is_list or s.batch is not None for s in rubric.inputs):
        return
    try:
        table = read_rows(data, encoding=encoding)
    except DataError:
        return
    problem = unnamed_header(rubric, table)
    if problem is not None:
        raise DataError([problem])


# DuckDB's words for a number past a DECIMAL's digits or a HUGEINT's bits: "Out of Range Error:
# Overflow in multiplication of INT128 …", "Conversion Error: Casting value … to type
# DECIMAL(38,20) failed: value is out of range!"
_OVERFLOW = re.compile(r"Out of Range Error|Overflow in|value is out of range")
# A row's own value too large is refused in its row (PF801); what is left is a value of the
# whole batch (a `batch mean`'s sum of every row), or of a row already refused for its bounds.
OVERFLOW_EN = ("a number the query works out (the sum of a batch value, say) is beyond the 18 integer digits the query's numbers hold; "
               "pingfen eval without --engine duckdb scores every row exactly")  # fmt: skip
OVERFLOW_ZH = "查询算出的某个数值（例如整批数据的合计）超出了查询中数值的 18 位整数位；不加 --engine duckdb 的 pingfen eval 可以精确地为每一行评分"


def _failed(data: str, said: str, given: Mapping[str, str]) -> UsageError:
    """PF831 with DuckDB's cause: its message up to the first blank line (before its possible
    fixes and options), less the line it quotes (a row's data, up to 2 MB), each line cut short;
    PF728, naming its line, for a row too long to be read (more than PAST cells past the header);
    PF512 for bytes that are not UTF-8. Each path DuckDB was given (`given`: a link or a copy in
    the run's private folder, gone after it, a name made absolute) is named as the user named it."""
    for path in sorted(given, key=len, reverse=True):  # the longest first: none is then cut in part
        said = said.replace(path, given[path])
    line = re.search(r"CSV Error on Line: (\d+)", said)
    if line is not None and "Expected Number of Columns" in said:
        return _refuse("PF728", {"data": data, "line": int(line.group(1)), "past": PAST})
    if line is not None and "Invalid unicode" in said:  # past the first 64 KiB _utf8 checks: PF512, as pingfen eval's
        return _refuse("PF512", {"path": data, "encoding": "utf-8", "row": int(line.group(1))})
    cause = list(itertools.takewhile(str.strip, said.splitlines()))
    detail = "; ".join(text[:300] for text in cause if not text.startswith("Original Line:")) or said[:300]
    if _OVERFLOW.search(said) and "CSV Error" not in said:  # a number worked out past the query's 18 integer digits
        return _refuse("PF831", {"data": data, "detail": f"{OVERFLOW_EN} ({detail})", "detail_zh": f"{OVERFLOW_ZH}（{detail}）"})
    return _refuse("PF831", {"data": data, "detail": detail})


def formats(data: str, output: str | None) -> tuple[str, str]:
    """The input's and the output's formats, by their extensions (PF832 when not served)."""
    read = READS.get(Path(data).suffix.lower())
    write = WRITES.get(Path(output).suffix.lower()) if output else None
    if read is None or write is None:
        raise _refuse("PF832", {"data": data, "output": output or "-"})
    return read, write


def score_with_duckdb(rubric: Rubric, data: str, output: str | None, *, ruleset: str, lang: Lang = "zh",
                      progress: TextIO | None = None, threads: int | None = None, reasons: bool = False,
                      encoding: str | None = None) -> Scored:  # fmt: skip
    """Score every row of `data` into `output` through DuckDB; what was scored and refused.
    With `reasons`, the query's `reasons` column too (pingfen.sql.Explainer words it);
    `encoding` is a CSV file's (default: sniffed as `pingfen eval` sniffs it)."""
    import duckdb

    read, write = formats(data, output)
    assert output is not None  # formats() refuses a missing one
    refuse_inputs(output, [data, ruleset])  # PF701: never onto an input
    con = duckdb.connect(config={"threads": threads} if threads else {})
    given: dict[str, str] = {}  # each path DuckDB is given, with the file the user named (_failed)
    try:
        with _relation(con, data, read, rubric, encoding, given) as (numbered, back, formulas, folder), atomic_path(output) as tmp:
            # the output's name for DuckDB's reader made now, before any scoring: a name the system
            # will not link is refused before the rows are scored, not after
            written = _plain(str(tmp), folder, f"written.{write}", output, given)
            given[str(tmp)] = output  # COPY writes the name as it is
            # written plain (sqlglot's pretty layout of the 2021 rubric's query costs ~0.4 s, DuckDB
            # needs none) and without a copy first: the tree is made for this one writing
            # a file of text (CSV, a sheet) is read as `pingfen eval` reads its cells (sql/spelt.py)
            kind = _kind(con, rubric, read)
            # a Parquet file's typed columns, a rubric of the common forms: the query written straight
            # (sql/direct.py), at about the cost of one written by hand; else the general one
            straight = direct.query(rubric, described(con, '"records"')) if read == "parquet" and not reasons else None
            tree = straight or compiler.to_sql_tree(rubric, "duckdb", "records", reasons=reasons, kind=kind, scales=column_scales(con))
            _penalties_taken(tree, rubric)
            if formulas:
                _formulas_named(tree)
            dropped = _keep_own(con, tree, rubric)
            if write == "csv":  # cells for a spreadsheet: ROW, if any, ordered by outside
                query = _cells(con, tree, numbered, back)
            else:
                _given_back(tree, back)
                if numbered:  # a window may reorder the rows: written back in the file's order
                    star = tree.expressions[0]
                    assert isinstance(star, exp.Star)
                    star.set("except_", [*(star.args.get("except_") or []), exp.to_identifier(ROW, quoted=True)])
                    source = tree.args["from_"].this  # ROW of the rows scored, not a file's column given its name back
                    tree.order_by(exp.column(ROW, table=source.name, quoted=True), copy=False)
                query = tree.sql(dialect="duckdb", copy=False)
            options = "FORMAT parquet" if write == "parquet" else CSV_OPTIONS
            target = exp.Literal.string(str(tmp)).sql("duckdb")
            with _bar(con, progress, lang):
                con.execute(f"COPY ({query}) TO {target} ({options})")
            reader = "read_parquet" if write == "parquet" else "read_csv"
            # read back as written, not sniffed: a column of cells that begin with `'` is no quote character;
            # a row as long as its line read, its quotes doubled, and the scores beside it
            dialect = "" if write == "parquet" else (", header = true, delim = ',', quote = '\"', escape = '\"', all_varchar = true, "
                                                     f"max_line_size = {3 * _LINE_BYTES}, buffer_size = {_BUFFER}")  # fmt: skip
            if os.path.dirname(written) == folder and not os.path.islink(written):  # a hard link to the file COPY has since replaced
                os.unlink(written)
                os.link(tmp, written)
            found = con.execute(f"SELECT count(*), count(refusal) FROM {reader}({_file(written, output)}{dialect})").fetchone()
    except (duckdb.InterruptException, RuntimeError) as error:
        # DuckDB stops a query at Ctrl-C and raises RuntimeError("Query interrupted"), the
        # KeyboardInterrupt taken: given back, so the user sees 已中断 (exit 130), not an internal error
        if isinstance(error, duckdb.InterruptException) or "interrupted" in str(error).lower():
            raise KeyboardInterrupt from None
        raise
    except duckdb.Error as error:
        raise _failed(data, str(error), given) from None
    finally:
        con.close()
    assert found is not None
    return Scored(int(found[0]), int(found[1]), dropped)


def _penalties_taken(tree: exp.Select, rubric: Rubric) -> None:
    """Each penalty row's column as the Python batch writes it (batch.score_columns, docs/data.md):
    what it takes from the total (`-2` for a penalty of max 10 that scored 8), not its own
    score; a bonus's and an adjust row's score is already what they add."""
    taken = {spec.name: spec.max for kind, spec in rubric.outside if kind == "penalty"}
    for column in tree.expressions[1:]:
        if isinstance(column, exp.Alias) and column.alias in taken:
            most = exp.Literal.number(format(taken[column.alias], "f"))
            column.set("this", exp.Sub(this=exp.Paren(this=column.this), expression=most))


def _keep_own(con: Any, tree: exp.Select, rubric: Rubric) -> tuple[str, ...]:
    """The file's columns named as one the query writes (total, grade, refusal, a node's score,
    …, in any case of ASCII letters, as DuckDB's names are: `fold`), left out of those it passes through: else the output
    would hold two, the file's first and the query's renamed `total_1`. What is left out."""
    own: set[str] = set()
    selects = [cte.this for cte in (tree.args.get("with_") or exp.With(expressions=[])).expressions] + [tree]
    for select in selects:
        own.update(fold(e.alias_or_name) for e in select.expressions[1:])
    inputs = {fold(spec.name) for spec in rubric.inputs}  # read by the query, never passed through
    described = [str(row[0]) for row in con.execute('DESCRIBE "records"').fetchall()]
    dropped = tuple(c for c in described if fold(c) in own and fold(c) not in inputs and c != MISALIGNED)
    if dropped:
        star = selects[0].expressions[0]  # the first SELECT *, over the file's relation
        assert isinstance(star, exp.Star)
        star.set("except_", [*(star.args.get("except_") or []), *(exp.to_identifier(c, quoted=True) for c in dropped)])
    return dropped


def described(con: Any, relation: str) -> dict[str, str]:
    """Each column of a relation or a query (SQL text) with its DuckDB type, as DESCRIBE gives them."""
    return {str(name): str(kind) for name, kind, *_rest in con.execute(f"DESCRIBE {relation}").fetchall()}


INTEGERS = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"})


def column_scales(con: Any, relation: str = "records") -> dict[str, int]:
    """The decimals each column of a DuckDB relation holds, where its type fixes them (a Parquet
    DECIMAL(p, s), an integer): a score read from it is written with no more (sql/narrow.py).
    What `pingfen.sql.to_sql_tree(…, scales=)` takes; the engine gives it so, and the benchmarks
    and tests that compile the engine's query for a table of their own call it too."""
    scales: dict[str, int] = {}
    for name, kind, *_rest in con.execute(f"DESCRIBE {exp.to_identifier(relation, quoted=True).sql('duckdb')}").fetchall():
        if kind in INTEGERS:
            scales[name] = 0
        elif kind.startswith("DECIMAL(") and kind.endswith(")"):
            scales[name] = int(kind[len("DECIMAL("):-1].split(",")[1])
    return scales


ROW = f"{PREFIX}row"  # a batch rubric's relation: each row's place in the file, not written
TEXT_COLUMNS = (GRADE, REASONS, REFUSAL, REFUSAL_INPUT)  # the query's own columns of text; the rest are numbers

# A CSV for people, as io/write.py writes every other: UTF-8 with a BOM (Excel on a Chinese
# Windows machine reads it as GBK without one), which DuckDB writes as the PREFIX. It takes
# PREFIX only with a SUFFIX, and then writes the line ends between rows, not after each: the
# SUFFIX is the last row's (an empty one is refused). HEADER is left unsaid, so DuckDB writes
# it (HEADER true is refused beside a PREFIX): the query's names, already made `csv_text`'s.
CSV_OPTIONS = "FORMAT csv, PREFIX '\ufeff', SUFFIX '\n'"
# What makes a spreadsheet read a cell as a formula (io/write.TRIGGERS), in RE2.
_TRIGGER = "^[" + "".join(f"\\x{{{ord(c):04x}}}" for c in TRIGGERS) + "]"
_STRIP = "".join(f"\\x{{{ord(c):04x}}}" for c in SPACES)  # what `str.strip` takes away, in a [...]


def _typed(pattern: str) -> str:
    """A pattern of values.py over text made ASCII (`，` a comma, FULL_WIDTH's digits, point and
    signs ASCII ones), over the text as typed."""
    wide: dict[str, str] = {}
    for key, value in FULL_WIDTH.items():
        wide[chr(value)] = wide.get(chr(value), "") + chr(key)
    digits = "".join(wide.get(str(d), "") for d in range(10))
    out = pattern.replace("[0-9]", f"[0-9{digits}]").replace("[+-]", f"[+\\-{wide['+']}{wide['-']}]")
    out = out.replace("\\.", f"[.{wide['.']}]").replace("(,", "([,，]")
    assert "\\" not in out.replace("\\-", ""), "an escape left as Python reads it, not RE2"
    return out


# Text `values.to_decimal` reads as a number, whole: stripped as `str.strip` strips, then one
# number's form or its thousands groups, each part as typed. One pattern, so the query asks it
# once of a cell; MAX_NUMBER_TEXT is asked apart (of the text without spaces or separators).
_NUMBER = f"[{_STRIP}]*(?:{'|'.join(_typed(p) for p in (NUMBER_FORM.pattern, *(t.pattern for t in THOUSANDS.values())))})[{_STRIP}]*"


def _cells(con: Any, tree: exp.Select, numbered: bool, back: Mapping[str, str]) -> str:
    """The query's rows as a CSV's cells that no spreadsheet runs, as `io.write.csv_text` writes
    every text pingfen puts in a CSV: a cell of text that `formula_like` holds (an id
    `=HYPERLINK(…)` passed through from the file, a grade named `=1+1`, an input so named in
    refusal_input) gets the leading `'`, and so does a column's name; a number (`-5`, `-1,000`,
    `－５`) stays as it is, and a column of numbers (a file's integers or DECIMALs, each score,
    the total) is not looked at. Done in the query, per row only where a cell's first character
    is one of `=+-@`, a tab or a CR, so the engine's speed is kept. With `numbered`, the rows are
    put back in the file's order by ROW, not written. A file's column `records` holds under a
    name of the engine's (`back`: `_held`) is written under its own."""
    columns: list[exp.Expr] = []
    for held, kind in _columns(con, tree):
        if held == ROW:
            continue
        name = back.get(held, held)  # a file's column held under a name of the engine's: its own (_held)
        column: exp.Expr = exp.column(held, quoted=True)
        if kind is not None:  # text, or written as text (a date, a DOUBLE's -inf): as it reads once written
            column = _cell(column if kind == "VARCHAR" else exp.cast(column, "VARCHAR"))
        columns.append(exp.alias_(column, csv_text(name), quoted=True))
    cells = ", ".join(c.sql(dialect="duckdb") for c in columns)
    order = f' ORDER BY "{PREFIX}scored".{_q(ROW)}' if numbered else ""  # ROW, not a file's column of its name
    return f'SELECT {cells} FROM ({tree.sql(dialect="duckdb", copy=False)}) AS "{PREFIX}scored"{order}'


def _columns(con: Any, tree: exp.Select) -> list[tuple[str, str | None]]:
    """The query's columns in order, each with its type where it is not a number: the file's
    (as `records` describes them) less those a `SELECT * EXCLUDE` of the query leaves out, then
    the query's own, the text ones by name (cast: a grade or refusal never given is a NULL).
    Found so, not by DuckDB's DESCRIBE of the query, which binds it at the cost of planning it
    (0.65 CPU-s for the 2021 rubric's CSV); tests/test_engine_csv_cells.py holds the two alike."""
    left_out = {fold(e.name) for star in tree.find_all(exp.Star) for e in star.args.get("except_") or []}
    described = con.execute('DESCRIBE "records"').fetchall()
    passed = [(str(name), None if kind in INTEGERS or kind.startswith("DECIMAL(") else str(kind))
              for name, kind, *_rest in described if fold(name) not in left_out]  # fmt: skip
    own = [(e.alias_or_name, "TEXT" if e.alias_or_name in TEXT_COLUMNS else None) for e in tree.expressions[1:]]
    return [*passed, *own]


def _cell(text: exp.Expr) -> exp.Expr:
    """`csv_text(text)` in DuckDB: `'` before text `formula_like` holds; asked of the rest only
    where the first character is a trigger (CASE evaluates its THEN only for those rows)."""
    lit = exp.Literal.string
    short = exp.LTE(this=fn("LENGTH", fn("REGEXP_REPLACE", text.copy(), lit(f"[{_STRIP},，_]"), lit(""), lit("g"))),
                    expression=exp.Literal.number(MAX_NUMBER_TEXT))  # fmt: skip
    number = exp.and_(fn("REGEXP_FULL_MATCH", text.copy(), lit(_NUMBER)), short)
    quoted = case((number, text.copy()), default=exp.DPipe(this=lit("'"), expression=text.copy()))
    return case((fn("REGEXP_MATCHES", text.copy(), lit(_TRIGGER)), quoted), default=text)


def _batched(rubric: Rubric) -> bool:
    """Whether the rubric has values across the batch (`let 基准价 = batch min(报价)`): windows,
    after which DuckDB keeps no order of the rows (preserve_insertion_order does not cover them)."""
    return any(spec.batch is not None for spec in rubric.inputs)


@contextmanager
def _relation(con: Any, data: str, read: str, rubric: Rubric, encoding: str | None,
              given: dict[str, str]) -> Iterator[tuple[bool, dict[str, str], bool, str]]:  # fmt: skip
    """The view `records` over the file, for the query's lifetime; whether it has ROW, the
    file's columns it holds under names of the engine's (`_held`), each with its own name,
    whether the table FORMULAS lists a sheet's cells of formulas never calculated, and the
    run's private temporary folder (copies and links DuckDB reads). `given` records each path
    DuckDB is given of the file, with `data` (_plain)."""
    with tempfile.TemporaryDirectory(prefix="pingfen-") as folder:
        path = data
        formulas: list[tuple[int, str]] = []
        if read == "xlsx":
            _readable(data)
            path = str(Path(folder) / "sheet.csv")
            formulas = _xlsx_to_csv(data, path, rubric.column_kind)
        elif read == "csv":
            path = _utf8(data, str(Path(folder) / "utf8.csv"), encoding)
        else:
            _readable(data)
        if path == data:  # the file itself, not a copy: every reader below (DuckDB's, _shape's) takes one name of it
            path = _plain(data, folder, f"data.{read}", data, given)
        else:  # a copy, named in DuckDB's messages as the file it is of
            given[path] = data
        if read == "parquet":
            reader = f"read_parquet({_file(path, data)})"
            held = _held([str(row[0]) for row in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()])
            if held:
                renamed = ", ".join(f"{_q(name)} AS {_q(kept)}" for name, kept in held.items())
                reader = f"(SELECT * RENAME ({renamed}) FROM {reader})"
        else:  # every cell as text: the query types it, and refuses a bad one in its row
            reader, held = _csv_reader(con, path, folder, data, sheet=read == "xlsx")
        described = {str(row[0]): str(row[1]) for row in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()}
        _same_case(rubric, described, data)
        hidden = hidden_column(rubric, list(described))  # PF527, as `pingfen eval` refuses the file
        if hidden is not None:
            raise _refuse("PF527", dict(hidden.args))
        if not any(name.lower() in {c.lower() for c in described} for name in DEFAULT_IDS):
            hidden = hidden_id(data, described, None)  # PF528: the id column, as `pingfen eval` refuses the file
            if hidden is not None:
                raise _refuse("PF528", dict(hidden.args))
        if read != "parquet":
            _refuse_unnamed_header(rubric, data, encoding, described)  # PF531, PF532, as `pingfen eval` refuses the file
        else:
            _one_valued_ids(described, data)
        numbered = (_batched(rubric) or bool(formulas)) and bool(described)  # a formula's row is found by ROW
        if numbered:
            reader = _numbered(con, reader, list(described))
        if formulas:
            con.execute(f'CREATE TEMP TABLE "{FORMULAS}" ("row" BIGINT, "input" VARCHAR)')
            con.executemany(f'INSERT INTO "{FORMULAS}" VALUES (?, ?)', formulas)
        columns = _panel_columns(rubric, described)
        if read == "parquet":
            columns = _parquet_columns(rubric, described, columns)
        columns = _own_columns(rubric, described, columns)
        con.execute(f'CREATE VIEW "records" AS SELECT {columns} FROM {reader}')
        yield numbered, {kept: name for name, kept in held.items()}, bool(formulas), folder


def _one_valued_ids(described: Mapping[str, str], data: str) -> None:
    """PF508 for a Parquet id column of lists, structs, maps or unions (a member's value tagged
    with its name, a mapping of one), as `pingfen eval` refuses such an id (io.tables.id_text,
    in the same words): DuckDB wrote each as its text, `[甲, 乙]`. The id column is io.tables':
    `id` in any case, else `编号`."""
    named = (next((n for n in described if n.lower() == wanted), None) for wanted in DEFAULT_IDS)
    column = next(filter(None, named), None)
    kind = described[column] if column is not None else ""
    shaped: object = [] if kind.endswith("]") else {} if kind.startswith(("STRUCT(", "MAP(", "UNION(")) else None
    if shaped is not None:
        try:
            id_text(shaped)
        except TooBig as error:
            raise unreadable(Path(data), error) from None


def _own_columns(rubric: Rubric, described: Mapping[str, str], columns: str) -> str:
    """The file's column of a batch value (`基准价` of `let 基准价 = batch min(报价)`) renamed
    OWN + its name: the query binds the batch's value under the name, and reads a row's own
    from this column (sql/spelt.py, SpeltCompiler.newer_input)."""
    names = [s.name for s in rubric.inputs if s.batch is not None and s.name in described]
    if not names:
        return columns
    assert columns.startswith("*")
    quoted = [exp.to_identifier(n, quoted=True).sql("duckdb") for n in names]
    renamed = ", ".join(f"{q} AS {exp.to_identifier(OWN + n, quoted=True).sql('duckdb')}" for q, n in zip(quoted, names, strict=True))
    return f"* EXCLUDE ({', '.join(quoted)}){columns[1:]}, {renamed}"


FLOATS = frozenset({"DOUBLE", "FLOAT"})
NOT_NUMBERS = frozenset({"bool", "label", "date"})


def _parquet_columns(rubric: Rubric, described: Mapping[str, str], columns: str) -> str:
    """A Parquet file's columns for the query (sql/spelt.py typed_columns): a number input's
    DOUBLE or FLOAT column made the text of its shortest digits, as `evaluate` reads a Python
    float (`Decimal(str(x))`: 0.35 is 0.35, not 0.34999999999999997779…; a FLOAT as the double
    it widens to), then read as a column of text is; and MISALIGNED, false: no row is."""
    floats = []
    for spec in rubric.inputs:
        if not spec.is_list and spec.type not in NOT_NUMBERS and described.get(spec.name) in FLOATS:
            name = exp.to_identifier(spec.name, quoted=True).sql("duckdb")
            floats.append(f"CAST(CAST({name} AS DOUBLE) AS VARCHAR) AS {name}")
    if floats:
        if columns.startswith("* REPLACE ("):
            columns = "* REPLACE (" + ", ".join(floats) + ", " + columns[len("* REPLACE ("):]
        else:
            columns = "* REPLACE (" + ", ".join(floats) + ")" + columns[1:]
    return f"{columns}, false AS {exp.to_identifier(MISALIGNED, quoted=True).sql('duckdb')}"


def _kind(con: Any, rubric: Rubric, read: str) -> type[FormsCompiler]:
    """The compiler of the file (sql/spelt.py): a CSV's or a sheet's cells read as `pingfen eval`
    reads a cell's text; a Parquet file's inputs of text (VARCHAR, a DOUBLE made text) so, the
    others as typed; a batch value the file has a column of, a row's own where not blank."""
    kinds = {str(row[0]): str(row[1]) for row in con.execute('DESCRIBE "records"').fetchall()}
    own = frozenset(s.name for s in rubric.inputs if s.batch is not None and OWN + s.name in kinds)
    if read != "parquet":
        return given(own)
    column = {s.name: OWN + s.name if s.batch is not None else s.name for s in rubric.inputs}
    text = {s.name for s in rubric.inputs if kinds.get(column[s.name]) == ("VARCHAR[]" if s.is_list else "VARCHAR")}  # a panel's text split
    return given(own, frozenset(text))


def _same_case(rubric: Rubric, described: Mapping[str, str], data: str) -> None:
    """PF733 for a column named as an input but for the case of ASCII letters (`RATE` for `rate`,
    `fold`): DuckDB would read it as the input, where `pingfen eval` finds the input missing.
    (`RÄTE` for `räte` is another name to DuckDB too: the input is missing, PF501 on each row.)"""
    folded = {fold(name): name for name in described}
    for spec in rubric.inputs:
        other = folded.get(fold(spec.name))
        if spec.batch is None and spec.name not in described and other is not None:
            raise _refuse("PF733", {"data": data, "column": other, "input": spec.name})


def _numbered(con: Any, reader: str, columns: list[str]) -> str:
    """The reader's rows with ROW, their place in the file: a temporary table's rowid, which
    follows the order the rows were inserted in (DuckDB promises none for `row_number() OVER ()`).
    Its columns are stored under names of their own, so that a file's column `rowid` hides none."""
    names = [exp.to_identifier(c, quoted=True).sql("duckdb") for c in columns]
    stored = [f'"{PREFIX}c{i}"' for i in range(len(columns))]
    into = ", ".join(f"{n} AS {s}" for n, s in zip(names, stored, strict=True))
    back = ", ".join(f"{s} AS {n}" for n, s in zip(names, stored, strict=True))
    con.execute(f'CREATE TEMP TABLE "{PREFIX}read" AS SELECT {into} FROM {reader}')
    return f'(SELECT rowid AS "{ROW}", {back} FROM "{PREFIX}read")'


def _readable(data: str) -> None:
    """PF831 with the system's reason, in the reader's language, for a file that cannot be
    opened (missing, a folder, no permission), as a CSV file's is worded (_utf8): DuckDB's
    own reader would say it in English."""
    try:
        with open(data, "rb"):
            pass
    except OSError as error:
        raise _refuse("PF831", {"data": data, "detail": OSReason.of(error)}) from None


# A row of more cells than the header is refused in its row (PF520) as `pingfen eval` refuses it:
# the file is read as wide as its widest row (_shape), up to PAST cells past the header; a row
# that `pingfen eval` scores and that is longer still stops the engine (PF728, naming its row).
PAST = 1000
_NO_NULL = "\x00pingfen\x00"  # read as NULL instead of a blank cell: no cell is, so a NULL is a padded one
_CHUNK = 1 << 20
# A line of MAX_LINE_CHARS characters, `pingfen eval`'s limit and the engine's (_shape refuses a
# longer one), in the UTF-8 DuckDB reads: at most 4 bytes a character, and the line's end. A
# sheet's row is copied to a line of at most as many bytes (_xlsx_to_csv refuses a longer one,
# PF734), so that DuckDB's sizes are fixed, never taken from the data. Its buffer as large as by
# default (16 lines of DuckDB's own 2 MiB), not 16 of these; it must hold a line (the output's
# too, read back to count its rows).
_LINE_BYTES = 4 * MAX_LINE_CHARS + 2
_BUFFER = 32 * 1024 * 1024
# The whole of a sheet's copy: an honest sheet's is less than what its workbook may unpack to
# (200 MB: some 10 million cells); a text its shared strings repeat in every cell would be
# gigabytes from a workbook of kilobytes (PF734).
SHEET_COPY_BYTES = 512 * 1024 * 1024


def _csv_reader(con: Any, path: str, folder: str, data: str, sheet: bool = False) -> tuple[str, dict[str, str]]:
    """The CSV's rows `pingfen eval` scores (see _rows_kept), each cell text, blank ones NULL,
    with the column MISALIGNED: whether the row has fewer cells than the header, or more
    that are not blank (io.tables' PF520). The file is read as Python's csv module reads it
    (io.tables), not as DuckDB's sniffer guesses (a sniffed comment character would cut a data
    row at a `#` in a cell), its columns named as io.tables names them (a name twice is PF508,
    two told apart only by letter case PF729: DuckDB's names are not). A short row is padded
    with NULLs (null_padding), told from blank cells, which are read as ''. A column named as
    the engine's own are is held under another name (`_held`): which, with its own. `sheet`: the
    file is a sheet's copy (_xlsx_to_csv), whose rows are bounded in bytes, not in characters."""
    delimiter = csv_delimiter(Path(path), "utf-8-sig")
    options = (f"all_varchar = true, delim = {lit(delimiter)}, quote = '\"', escape = '\"', comment = '', "
               f"max_line_size = {_LINE_BYTES}, buffer_size = {_BUFFER}")  # fmt: skip
    names = _header(con, path, folder, data, options)
    held = _held(names)
    names = [held.get(n, n) for n in names]
    one_line, widest = _shape(path, delimiter, data, len(names), bounded=not sheet)
    past = [f"{MISALIGNED}{i}" for i in range(max(widest - len(names), 0))]
    columns = "{" + ", ".join(f"{lit(n)}: 'VARCHAR'" for n in names + past) + "}"
    # DuckDB pads in parallel only rows of one line each: a quoted newline needs one thread
    parallel = "" if one_line else ", parallel = false"
    reader = (f"read_csv({_file(path, data)}, header = true, auto_detect = false, columns = {columns}, null_padding = true, "
              f"nullstr = {lit(_NO_NULL)}, {options}{parallel})")  # fmt: skip
    cell = [exp.to_identifier(c, quoted=True).sql("duckdb") for c in names + past]
    spaces = lit(_SPACES)
    longer = " OR ".join(f"coalesce(trim({c}, {spaces}) <> '', false)" for c in cell[len(names):]) or "false"
    blanks = ", ".join(f"nullif({c}, '') AS {c}" for c in cell[: len(names)])
    flag = exp.to_identifier(MISALIGNED, quoted=True).sql("duckdb")
    return f"(SELECT {blanks}, ({cell[len(names) - 1]} IS NULL OR {longer}) AS {flag} FROM {reader}{_rows_kept(names + past)})", held


def _header(con: Any, path: str, folder: str, data: str, options: str) -> list[str]:
    """The columns' names: io.tables' (stripped, a BOM and a template's quoting off), a blank
    one named as DuckDB names it (`column2`) from the header line alone. PF729 for two names
    DuckDB takes as one (`fold`: `ID` and `id`, not `Ä` and `ä`)."""
    names = list(csv_columns(Path(path), "utf-8-sig", data))
    folded: dict[str, str] = {}
    for name in filter(None, names):
        if (seen := folded.setdefault(fold(name), name)) != name:
            raise _refuse("PF729", {"data": data, "first": seen, "second": name})
    if all(names):
        return names
    header = str(Path(folder) / "header.csv")
    with open(path, "rb") as source, atomic_open(header, "wb") as out:
        out.write(source.readline(_LINE_BYTES))
    described = [str(row[0]) for row in con.execute(f"DESCRIBE SELECT * FROM read_csv({_file(header, data)}, header = true, {options})").fetchall()]
    return [name or (described[i] if len(described) == len(names) else f"column{i}") for i, name in enumerate(names)]


KEPT = f"{PREFIX}kept"  # a file's column named as the engine's own are: held as KEPT + its place


def _held(names: list[str]) -> dict[str, str]:
    """The file's columns whose names begin with PREFIX in any case of ASCII letters (`fold`), as
    the engine's and the query's own do (`_pf_misaligned`, `_pf_3`), each with the name `records`
    holds it under (KEPT + its place: no other column is so named), so that none is read as
    the engine's; the output gives it back its name (`_given_back`), as it passes any other
    through. Before, `_pf_misaligned` of `true` refused its row (PF520), `_PF_MISALIGNED` stopped
    DuckDB (PF831) and `_pf_3` was left out as the query's (PF731)."""
    return {name: f"{KEPT}{i}" for i, name in enumerate(names) if fold(name).startswith(PREFIX)}


def _q(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql("duckdb")


def _given_back(tree: exp.Select, back: Mapping[str, str]) -> None:
    """The file's columns `records` holds under names of the engine's (`_held`), named as the
    file names them in the query's rows (a Parquet output's; a CSV's cells name them: _cells)."""
    if back:
        star = tree.expressions[0]
        assert isinstance(star, exp.Star)  # the relation's columns, less the query's own
        star.set("rename", [exp.alias_(exp.column(kept, quoted=True), name, quoted=True) for kept, name in back.items()])


def _bounded(line: bytes, data: str) -> bytes:
    """`line` (UTF-8, a line or its start: a character cut at its end is not counted), PF831
    when it holds more than MAX_LINE_CHARS characters besides its end, as `pingfen eval` refuses it."""
    if len(line) > MAX_LINE_CHARS and too_long(line.decode("utf-8", "ignore")):  # fewer bytes: fewer characters
        raise _too_long(data)
    return line


def _too_long(data: str) -> UsageError:
    said = line_too_long()
    return _refuse("PF831", {"data": data, "detail": str(said), "detail_zh": said.zh})


def lit(text: str) -> str:
    return exp.Literal.string(text).sql("duckdb")


# What DuckDB's file system reads in a path as other than the name's own characters: its readers
# take a path as a glob pattern (`填报[1].parquet` matched `填报1.parquet`), and split it into
# folders at `\` as at `/` on every system (`填报\[1].csv` read `填报/[1].csv`).
_GLOBS = "*?["
_SEPARATOR = "" if os.sep == "\\" else "\\"  # on Windows `\` is the separator it is taken for


def _odd(path: str) -> str | None:
    """The first character of `path` DuckDB would not read as itself (_GLOBS, _SEPARATOR)."""
    return next((c for c in path if c in _GLOBS or c == _SEPARATOR), None)


def _plain(path: str, folder: str, name: str, shown: str, given: dict[str, str]) -> str:
    """A path by which DuckDB reads the file at `path` and no other: the path made absolute (a
    relative `~/…` would be the home folder to DuckDB), its `..` kept (the system reads `link/..`
    from the link's target, where os.path.abspath drops it by its letters), where DuckDB reads
    each of its characters as itself; else a link `name` in the run's private `folder` to the
    file itself, whatever its name or its folders' names hold (an escape of a glob character as
    a class, `[[]`, loses DuckDB's reading of a name as it is on a file system blind to letter
    case): a symbolic link, or a hard link where the system refuses that (Windows without the
    privilege: NTFS needs none for a hard link). PF735, naming `shown` (the file as the user
    named it), where it refuses both. `given` records the path under `shown`, for DuckDB's
    messages (_failed)."""
    absolute = str(Path(path).absolute())
    char = _odd(absolute)
    if char is None:
        given[absolute] = shown
        return absolute
    link, real = os.path.join(folder, name), os.path.realpath(path)
    try:
        os.symlink(real, link)
    except OSError as error:  # Windows without the privilege to make links, a file system without them
        try:
            os.link(real, link)
        except OSError:  # another volume, or none at all: the symbolic link's refusal is the one to fix
            raise _odd_path(shown, char, "odd_link", {"reason": OSReason.of(error)}) from None
    given[link] = shown
    return link


def _odd_path(shown: str, char: str, why: str, args: dict[str, object]) -> UsageError:
    """PF735 for the file `shown`, with `why` (a HINTS key) the engine could not give it to DuckDB."""
    args = {"char": char, **args}
    return _refuse("PF735", {"path": shown, "char": char, "why": hint(why, "en", args), "why_zh": hint(why, "zh", args)})


def _file(path: str, shown: str) -> str:
    """A path from _plain, or of a copy in the run's private folder, and the option, with which
    DuckDB's readers read that one file as it is: a glob character of the temporary folder's
    own path (a user's name in it) a class of its own, `[[]`; and not a folder named
    `年度=2021` as a Hive partition, adding the column 年度 = 2021 to every row, or putting 2021
    in place of the file's own 年度. PF735, naming `shown` (the user's file), where the temporary
    folder's path holds a `\\` (TMPDIR so named), which DuckDB would split it at."""
    if _SEPARATOR and _SEPARATOR in path:  # _plain gives no other path that holds one
        raise _odd_path(shown, _SEPARATOR, "odd_tmpdir", {"folder": tempfile.gettempdir()})
    return lit(re.sub(r"[*?\[]", lambda c: f"[{c.group()}]", path)) + ", hive_partitioning = false"


def _shape(path: str, delimiter: str, data: str, header: int, bounded: bool = True) -> tuple[bool, int]:
    """(whether no quoted cell of the CSV spans lines: every line has an even number of `"`, a
    doubled quote counting two; the cells of its widest row), from one reading, bounded: a line of
    more than MAX_LINE_CHARS characters is PF831, as `pingfen eval` refuses it (not `bounded`: a
    sheet's copy, whose rows _xlsx_to_csv bounds to _LINE_BYTES bytes). A row is counted as io.tables reads
    it: its delimiters where it has no quote, else by the csv module. PF728 for a row `pingfen
    eval` scores (not blank, not a comment) of more than PAST cells past the header; a wider
    blank or comment row is read no wider (DuckDB stops at it)."""
    sep, limit = delimiter.encode(), header + PAST
    widest, number = 0, 0  # the header is read as a row too: it is no wider than itself

    def row(cells: list[str]) -> None:
        nonlocal widest
        if len(cells) > widest:
            kept = any(cells) and not comment_row(cells)  # io.tables' blank and comment rows
            if kept and len(cells) > limit:
                raise _refuse("PF728", {"data": data, "line": number, "past": PAST})
            widest = max(widest, min(len(cells), limit))

    def plain(line: str) -> list[str]:
        body = line.rstrip("\r\n")
        return body.split(delimiter) if body else []

    with open(path, "rb") as handle:
        # Lines without a quote, a block at a time: the widest of a block is found in C, and its
        # lines are looked at one by one only when it is wider than any before. A line ends at
        # `\n`, `\r\n` or a lone `\r`, as io.tables reads text (newline="").
        start, rest = handle.tell(), b""
        while chunk := handle.read(_CHUNK):
            block = rest + chunk
            cut = max(block.rfind(b"\n"), block.rfind(b"\r", 0, len(block) - 1)) + 1  # a last `\r` may begin `\r\n`
            block, rest = block[:cut], _bounded(block[cut:], data) if bounded else block[cut:]
            if b'"' in block:
                break
            lines = block.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")[:-1]
            if bounded and lines and max(map(len, lines)) > MAX_LINE_CHARS:  # a line whole in the block: asked only when it may be too long
                for line in lines:
                    _bounded(line, data)
            if lines and max(map(bytes.count, lines, itertools.repeat(sep))) + 1 > widest:
                for line in lines:
                    number += 1
                    row(plain(line.decode("utf-8", "replace")))
            else:
                number += len(lines)
            start += len(block)
        else:
            if b'"' not in rest:
                if rest:  # the last line, with no line end
                    number += 1
                    row(plain(rest.decode("utf-8", "replace")))
                return True, widest
        # From the first block with a quote, line by line: the csv module reads a quoted cell
        # on over the lines it spans.
        handle.seek(start)
        text = io.TextIOWrapper(handle, encoding="utf-8", errors="replace", newline="")
        even = True

        def read() -> str:
            line = text.readline(LINE_READ if bounded else _LINE_BYTES)  # a copy's line has no more characters than bytes
            if bounded and too_long(line):
                raise _too_long(data)
            return line

        def more() -> Iterator[str]:
            nonlocal even
            while spanned := read():
                even = even and spanned.count('"') % 2 == 0
                yield spanned

        while cells := read():
            number += 1
            if '"' not in cells:
                if cells.count(delimiter) + 1 > widest:
                    row(plain(cells))
                continue
            even = even and cells.count('"') % 2 == 0
            try:
                row(csv_cells(cells, more(), delimiter))
            except TooBig as error:  # a quoted cell past MAX_CELL_CHARS: PF508, as `pingfen eval` refuses it
                raise unreadable(Path(data), error) from None
            except csv.Error as error:
                raise unreadable(Path(data), str(error)) from None
    return even, widest


# what Python's str.strip() and a regular expression's \s take for a space (values.coerce_list)
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


def _rows_kept(columns: list[str]) -> str:
    """` WHERE …`: the rows of a CSV (or sheet) `pingfen eval` scores (io.tables): not a blank row
    (every cell empty, as a spreadsheet leaves `,,,,` below its data) nor a comment
    (io.tables.comment_row: its first cell `# …`, as the data-entry template's 填写说明 row, or a
    `#…` cell alone on its row; `#1 分厂` or `#N/A` beside values is scored)."""
    if not columns:
        return ""
    cells = [exp.to_identifier(c, quoted=True).sql("duckdb") for c in columns]
    blank = " AND ".join(f"coalesce({c}, '') = ''" for c in cells)
    spaces = exp.Literal.string(_SPACES).sql("duckdb")
    first = f"ltrim({cells[0]}, {spaces})"
    alone = " AND ".join(f"coalesce({c}, '') = ''" for c in cells[1:]) or "true"
    marked = f"(length({first}) = 1 OR contains({spaces}, substr({first}, 2, 1)) OR ({alone}))"
    comment = f"coalesce(starts_with({first}, '#') AND {marked}, false)"
    return f" WHERE NOT ({blank}) AND NOT {comment}"


def _panel_columns(rubric: Rubric, described: dict[str, str]) -> str:
    """The file's columns, with each panel made the list values.coerce_list reads from a table:
    - a panel's column of text (`8、9、7.5`, `[8, 9, 7.5]`) split as a record's text is split;
    - a panel the file gives only as the data-entry template's numbered columns (`专家评分1`,
      `专家评分2`, …): their non-blank cells as text, in the order of their numbers, each cell
      one value (rubric.panel_value).
    The query then reads the list as it reads a panel's column."""
    replaced, added = [], []
    spaces = exp.Literal.string(_SPACES).sql("duckdb")
    for spec in rubric.inputs:
        name = exp.to_identifier(spec.name, quoted=True).sql("duckdb")
        if not spec.is_list:
            if spec.batch is None and spec.name not in described:  # missing in every row: each refused (PF501), as `pingfen eval` does
                added.append(f"CAST(NULL AS VARCHAR) AS {name}")
            continue
        if described.get(spec.name) == "VARCHAR":
            replaced.append(f"{_split(name, spaces)} AS {name}")
        elif spec.name not in described and (numbered := numbered_columns(spec.name, described)):
            cells = ", ".join(f"CAST({exp.to_identifier(c, quoted=True).sql('duckdb')} AS VARCHAR)" for c in numbered)
            added.append(f"list_filter([{cells}], lambda _pf_cell: trim(_pf_cell, {spaces}) <> '') AS {name}")
    return ", ".join(["*" + (f" REPLACE ({', '.join(replaced)})" if replaced else ""), *added])


def _split(column: str, spaces: str) -> str:
    """A panel's text as values.list_text and coerce_list split it: spaces and one enclosing
    pair of brackets off, then parts between commas, 、, semicolons or spaces (NULL stays NULL)."""
    text = f"trim({column}, {spaces})"
    bracketed = f"(length({text}) >= 2 AND left({text}, 1) IN ('[', '［') AND right({text}, 1) IN (']', '］'))"
    inner = f"CASE WHEN {bracketed} THEN trim(substr({text}, 2, length({text}) - 2), {spaces}) ELSE {text} END"
    separators = "[,，、;；" + "".join(f"\\x{{{ord(c):04x}}}" for c in _SPACES) + "]+"
    parts = f"regexp_split_to_array({inner}, {exp.Literal.string(separators).sql('duckdb')})"
    return f"list_filter({parts}, lambda _pf_part: _pf_part <> '')"


def _utf8(data: str, path: str, encoding: str | None) -> str:
    """The CSV file in UTF-8, as DuckDB reads it: the file itself when it is UTF-8 (with a BOM or
    not: by `encoding`, else by its first 64 KiB), else a copy at `path` from `encoding` or the
    one `pingfen eval` would read it in (UTF-16/32 with a BOM, GBK/GB18030; PF521 for bytes that
    are none of these)."""
    if encoding is None:
        try:
            with open(data, "rb") as handle:
                codecs.getincrementaldecoder("utf-8")().decode(handle.read(1 << 16))  # not final: a cut character is fine
            return data
        except UnicodeDecodeError:
            encoding = csv_encoding(Path(data))
        except OSError as error:
            raise _refuse("PF831", {"data": data, "detail": OSReason.of(error)}) from None
    try:
        if codecs.lookup(encoding).name == "utf-8":
            return data
        _recode(data, path, encoding)
    except LookupError:  # as `pingfen eval` words it (PF508), in the reader's language
        raise unreadable(Path(data), f"unknown encoding {encoding!r}", f"未知的编码 {encoding!r}") from None
    except OSError as error:
        raise _refuse("PF831", {"data": data, "detail": OSReason.of(error)}) from None
    return path


def _recode(data: str, path: str, encoding: str) -> None:
    """The file from `encoding` into UTF-8 at `path`, its line endings as they are; bytes the
    encoding cannot read are PF512, as `pingfen eval` refuses them, naming their line."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1  # the line the chunk starts in
    with open(data, "rb") as raw, atomic_open(path, newline="") as out:
        while True:
            chunk = raw.read(1 << 20)
            pending = decoder.getstate()[0]  # a character's first bytes, cut at the last chunk's end
            try:
                out.write(decoder.decode(chunk, final=not chunk))
            except UnicodeError as error:  # UTF-16 named without a BOM raises the plain UnicodeError
                at = max(getattr(error, "start", 0) - len(pending), 0)  # the bad bytes' place in this chunk
                line = lines + chunk[:at].count(b"\n")
                raise _refuse("PF512", {"path": data, "encoding": encoding, "row": line}) from None
            if not chunk:
                return
            lines += chunk.count(b"\n")


def _xlsx_to_csv(data: str, path: str, kind_of: Callable[[str], str | None] = lambda column: None) -> list[tuple[int, str]]:
    """The first sheet's cells as text, row by row (openpyxl's read-only mode streams): the
    header's as io.tables names the columns, every other cell's as io.tables reads its value
    (cell_value: a number formatted as a percentage is `150%`, a date ISO text, …) and as an
    input of its column's type reads that (`kind_of`, Rubric.column_kind; values.as_read: one
    whose format writes a literal `%`, `0"%"`, is the percent shown or the number). A formula
    with no saved result is a blank, as there; where one is, (the row's place among those
    scored, which is ROW, its column) is returned, for FORMULAS. A row's copy may be longer
    than a CSV's line (72 cells of 30,000 characters, which `pingfen eval` reads), up to
    _LINE_BYTES bytes, and the whole copy SHEET_COPY_BYTES: past either, PF734 (_copied)."""
    from openpyxl.cell.read_only import EMPTY_CELL

    formulas: list[tuple[int, str]] = []
    copied = 0
    book = open_workbook(Path(data))  # PF508 for a file that is no workbook, or a zip bomb
    try:
        sheet = sheet_of(book, Path(data), None)  # the first sheet shown, as `pingfen eval` reads
        with xlsx_errors(Path(data)), atomic_open(path, newline="") as out:  # a private temporary, written as every file is
            writer = csv.writer(out)
            width: int | None = None
            gap: object = None  # the one row object openpyxl gives for each row the sheet leaves out
            empty: object = EMPTY_CELL  # (the stubs type a read-only row's cells as Cell)
            rows = SheetRows(sheet)
            uncomputed, kept = rows.uncomputed, 0
            header: list[str] = []
            kinds: list[str | None] = []  # how each column's cells are read: its input's type
            for number, row in enumerate(rows, start=1):  # cells, not values: a percent's format is read too
                marked = uncomputed.pop(number, None) if uncomputed else None
                if row is gap or (width is not None and all(c is empty for c in row)):
                    gap = row  # a blank row is left out as DuckDB's reading leaves it out; a 12 KB
                    continue  # sheet with a cell in row 1,048,576 was written as 2 GB of commas
                if width is None:  # the header, as io.tables reads it: stripped, its blank cells at the end left out
                    cells = [str(c.value).lower() if isinstance(c.value, bool) else header_name(c.value) for c in row]
                    while cells and not cells[-1]:
                        cells.pop()
                    if not cells:  # PF508, as `pingfen eval` refuses the sheet
                        raise unreadable(Path(data), "the first row of the first sheet must name the columns", "第一个工作表的第一行应写明各列的列名")
                    header = cells
                    kinds = [kind_of(name) for name in header]
                else:
                    cells = [_cell_text(c, kind) for c, kind in zip(row, kinds, strict=False)]  # no wider than the header
                width = len(cells) if width is None else width  # each row as wide as the header, as io.tables reads a sheet
                line = cells[:width] + [""] * (width - len(cells))
                copied += _copied(line, number, data)
                if copied > SHEET_COPY_BYTES:
                    raise _too_wide(data, number)
                if header is not cells and any(line) and not comment_row(line):  # a row _rows_kept keeps: the next ROW
                    formulas += [(kept, header[c - 1]) for c in marked or () if c <= width and header[c - 1]]
                    kept += 1
                writer.writerow(line)
    finally:
        book.close()
    return formulas


def _copied(line: list[str], number: int, data: str) -> int:
    """The bytes a sheet's row takes in its copy at most (each cell quoted, its quotes doubled,
    the line's end); PF734 past _LINE_BYTES. Counted cell by cell, stopping at the limit, only
    where its characters may be too many: one text the sheet's shared strings put in 2,000
    cells is 190 MB, from a workbook of 100 KB."""
    ends = 3 * len(line) + 2  # each cell's quotes and comma, the line's \r\n
    if 8 * sum(map(len, line)) + ends <= _LINE_BYTES:  # at most 4 bytes a character, each doubled
        joined = "".join(line)
        return len(joined.encode()) + joined.count('"') + ends
    size = ends
    for cell in line:
        size += len(cell.encode()) + cell.count('"')
        if size > _LINE_BYTES:
            raise _too_wide(data, number)
    return size


def _too_wide(data: str, row: int) -> UsageError:
    return _refuse("PF734", {"data": data, "row": row, "row_mb": _LINE_BYTES >> 20, "copy_mb": f"{SHEET_COPY_BYTES >> 20:,}"})


# A sheet's cells holding a formula never calculated, read as blank: (ROW, column).
FORMULAS = f"{PREFIX}formulas"


def _formulas_named(tree: exp.Select) -> None:
    """A row refused as missing an input (PF501) whose cell is a formula with no saved result
    (FORMULAS) is refused as such (PF534), as `pingfen eval` refuses it (io.tables.Row.refused):
    `CASE WHEN (code) = 'PF501' AND EXISTS (SELECT 1 FROM FORMULAS AS f WHERE f."row" = ROW AND
    f."input" = (input)) THEN 'PF534' ELSE (code) END`, built as a tree as the rest of the query is."""
    said = {e.alias: e for e in tree.expressions if isinstance(e, exp.Alias) and e.alias in (REFUSAL, REFUSAL_INPUT)}
    if len(said) < 2:  # a rubric that refuses no row
        return
    code, named = said[REFUSAL].this, said[REFUSAL_INPUT].this
    row = exp.column(ROW, table=tree.args["from_"].this.alias_or_name, quoted=True)
    listed = exp.Table(this=exp.to_identifier(FORMULAS, quoted=True), alias=exp.TableAlias(this=exp.to_identifier("f")))

    def of_f(name: str) -> exp.Column:
        return exp.Column(this=exp.to_identifier(name, quoted=True), table=exp.to_identifier("f"))

    same = exp.and_(exp.EQ(this=of_f("row"), expression=row), exp.EQ(this=of_f("input"), expression=exp.paren(named.copy())))
    found = exp.Exists(this=exp.select(exp.Literal.number(1)).from_(listed).where(same))
    missing = exp.EQ(this=exp.paren(code.copy()), expression=exp.Literal.string("PF501"))
    named_so = exp.If(this=exp.and_(missing, found), true=exp.Literal.string("PF534"))
    said[REFUSAL].set("this", exp.Case(ifs=[named_so], default=exp.paren(code)))


def _cell_text(cell: Any, kind: str | None = None) -> str:
    """A sheet's cell as the text of the value io.tables reads from it (tables.input_cell), as
    an input of type `kind` reads it (values.as_read; None: a column no input reads)."""
    read = as_read(input_cell(cell), kind)
    if read is None:
        return ""
    if isinstance(read, bool):
        return "true" if read else "false"
    if isinstance(read, Decimal):
        return format(read, "f")  # its digits, never an exponent (1E+20)
    return str(read)


@contextmanager
def _bar(con: Any, stream: TextIO | None, lang: Lang) -> Iterator[None]:
    """pingfen's progress bar, fed from DuckDB's own estimate of the query's progress. The
    rows are counted only for a bar that is drawn: a CSV's count is a whole extra reading."""
    bar = Progress(stream, None, threshold=THRESHOLD, lang=lang)
    if bar.stream is None:
        yield
        return
    counted = con.execute('SELECT count(*) FROM "records"').fetchone()
    total = bar.total = int(counted[0]) if counted else 0
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.2):
            share = con.query_progress()
            if share is not None and share > 0:
                bar.count = max(bar.count, int(total * min(share, 100.0) / 100) - 1)
                bar.step()

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
        bar.count = total - 1
        bar.step()
        bar.close()

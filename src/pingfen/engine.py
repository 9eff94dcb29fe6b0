"""`pingfen eval --engine duckdb`: a large file scored by the rubric's SQL inside DuckDB.

The file is the relation `records` (a view over DuckDB's own reader: nothing is loaded into
Python); the query's result is streamed by DuckDB's COPY into a temporary file beside the
output, which replaces the output only when complete (io/write.atomic_path), never an input.
A CSV's cells are read as text and typed by the query itself (TRY_CAST), so a bad value is a
refusal in its row (PF502), not an error of the batch. An XLSX sheet is first copied to a
temporary CSV of its cells' text: DuckDB reads it only through an extension.
"""

from __future__ import annotations

import csv
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sqlglot import exp

from pingfen.errors import UsageError
from pingfen.evaluate.rubric import Rubric
from pingfen.io.write import atomic_open, atomic_path, refuse_inputs
from pingfen.lang import Lang
from pingfen.messages import message
from pingfen.progress import THRESHOLD, Progress
from pingfen.sql import to_sql_tree

READS = {".parquet": "parquet", ".csv": "csv", ".xlsx": "xlsx"}
WRITES = {".parquet": "parquet", ".csv": "csv"}


@dataclass(frozen=True)
class Scored:
    rows: int
    refused: int

    def describe(self, lang: Lang) -> str:
        if lang == "zh":
            return f"已评分 {self.rows} 行，其中 {self.refused} 行无法评分（见 refusal 列）"
        return f"{self.rows} rows scored, {self.refused} of them could not be (see the refusal column)"


def _refuse(code: str, args: dict[str, object]) -> UsageError:
    return UsageError(f"{code}: {message(code, 'en', args)}", f"{code}: {message(code, 'zh', args)}")


def formats(data: str, output: str | None) -> tuple[str, str]:
    """The input's and the output's formats, by their extensions (PF832 when not served)."""
    read = READS.get(Path(data).suffix.lower())
    write = WRITES.get(Path(output).suffix.lower()) if output else None
    if read is None or write is None:
        raise _refuse("PF832", {"data": data, "output": output or "-"})
    return read, write


def score_with_duckdb(rubric: Rubric, data: str, output: str | None, *, ruleset: str, lang: Lang = "zh",
                      progress: TextIO | None = None, threads: int | None = None, reasons: bool = False) -> Scored:  # fmt: skip
    """Score every row of `data` into `output` through DuckDB; what was scored and refused.
    With `reasons`, the query's `reasons` column too (pingfen.sql.Explainer words it)."""
    import duckdb

    read, write = formats(data, output)
    assert output is not None  # formats() refuses a missing one
    refuse_inputs(output, [data, ruleset])  # PF701: never onto an input
    con = duckdb.connect(config={"threads": threads} if threads else {})
    try:
        with _relation(con, data, read), atomic_path(output) as tmp:
            # written plain (sqlglot's pretty layout of the 2021 rubric's query costs ~0.4 s, DuckDB
            # needs none) and without a copy first: the tree is made for this one writing
            query = to_sql_tree(rubric, "duckdb", "records", reasons=reasons, scales=_scales(con)).sql(dialect="duckdb", copy=False)
            options = "FORMAT parquet" if write == "parquet" else "FORMAT csv, HEADER true"
            target = exp.Literal.string(str(tmp)).sql("duckdb")
            with _bar(con, progress, lang):
                con.execute(f"COPY ({query}) TO {target} ({options})")
            reader = "read_parquet" if write == "parquet" else "read_csv"
            found = con.execute(f"SELECT count(*), count(refusal) FROM {reader}({target})").fetchone()
    except duckdb.Error as error:
        raise _refuse("PF831", {"data": data, "detail": str(error).splitlines()[0]}) from None
    finally:
        con.close()
    assert found is not None
    return Scored(int(found[0]), int(found[1]))


INTEGERS = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"})


def _scales(con: Any) -> dict[str, int]:
    """The decimals each column of `records` holds, where its type fixes them (a Parquet
    DECIMAL(p, s), an integer): a score read from it is written with no more (sql/narrow.py)."""
    scales: dict[str, int] = {}
    for name, kind, *_rest in con.execute('DESCRIBE "records"').fetchall():
        if kind in INTEGERS:
            scales[name] = 0
        elif kind.startswith("DECIMAL(") and kind.endswith(")"):
            scales[name] = int(kind[len("DECIMAL("):-1].split(",")[1])
    return scales


@contextmanager
def _relation(con: Any, data: str, read: str) -> Iterator[None]:
    """The view `records` over the file, for the query's lifetime."""
    with tempfile.TemporaryDirectory(prefix="pingfen-") as folder:
        path = data
        if read == "xlsx":
            path = str(Path(folder) / "sheet.csv")
            _xlsx_to_csv(data, path)
        source = exp.Literal.string(path).sql("duckdb")
        if read == "parquet":
            reader = f"read_parquet({source})"
        else:  # every cell as text: the query types it, and refuses a bad one in its row
            reader = f"read_csv({source}, header = true, all_varchar = true)"
        con.execute(f'CREATE VIEW "records" AS SELECT * FROM {reader}')
        yield


def _xlsx_to_csv(data: str, path: str) -> None:
    """The first sheet's cells as text, row by row (openpyxl's read-only mode streams)."""
    from openpyxl import load_workbook

    book = load_workbook(data, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        with atomic_open(path, newline="") as out:  # a private temporary, written as every file is
            writer = csv.writer(out)
            for row in sheet.iter_rows(values_only=True):
                writer.writerow(["" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in row])
    finally:
        book.close()


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

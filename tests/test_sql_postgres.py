"""`pingfen sql --dialect postgres` on a real PostgreSQL server, started for this module (initdb
in a temporary folder, a Unix socket, no TCP port) and queried through `psql`: the 2021 ruleset's
boundary records and a few thousand random ones, and generated rubrics of every rule form, score
as evaluate() scores them — totals, grades and refusals identical, node scores within 1e-18, the
reasons worded back the same (docs/scale.md). PostgreSQL's server binaries are found by
`pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin: without them the tests skip on
a developer's machine and fail in CI (.ci/run installs `postgresql`)."""

from __future__ import annotations

import csv
import io
import os
import random
import resource
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlglot import exp

import pingfen
import sqlhelp
from pingfen import ast
from pingfen.cli import main
from pingfen.sql import SqlRefusal, to_sql, to_sql_tree
from pingfen.testing import boundary_values
from real_parts import real_part
from strategies import loaded, random_rubrics

RULESET = Path(__file__).parent.parent / "rulesets" / "dept-overall-2021.rule"
RUBRIC = pingfen.load(RULESET)


def _bindir() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl), whatever its version."""
    found: list[Path] = []
    if shutil.which("pg_config"):
        done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        found.append(Path(done.stdout.strip()))
    found += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()], reverse=True)
    return next((d for d in found if (d / "initdb").is_file() and (d / "pg_ctl").is_file()), None)


BINDIR = _bindir()
PSQL = shutil.which("psql") or (str(BINDIR / "psql") if BINDIR is not None else None)
MEMORY = 3 * 2**30  # bytes of address space for the server and each backend
needs_postgres = real_part("PostgreSQL", BINDIR is not None and PSQL is not None, "apt-get install postgresql")


class Server:
    """A PostgreSQL server of its own, for the tests' queries, each run by `psql`."""

    def __init__(self, folder: Path) -> None:
        assert BINDIR is not None
        self.socket = folder / "socket"
        self.data = folder / "data"
        self.socket.mkdir()
        # initdb refuses to run as root: there, the server runs as the postgres user
        self.user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.user:
            shutil.chown(folder, "postgres")
            shutil.chown(self.socket, "postgres")
        self.run(str(BINDIR / "initdb"), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "-D", str(self.data))
        options = f"-k {self.socket} -c listen_addresses='' -c fsync=off"
        # the server's memory bounded: a query PostgreSQL cannot plan (each layer inlined, not
        # MATERIALIZED) is its "out of memory" error, not the machine's
        self.run(str(BINDIR / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(folder / "log"), "-w", "start", memory=MEMORY)

    def run(self, *command: str, memory: int | None = None) -> None:
        limit = (lambda: resource.setrlimit(resource.RLIMIT_AS, (memory, memory))) if memory is not None else None
        subprocess.run([*self.user, *command], check=True, capture_output=True, preexec_fn=limit)

    def stop(self) -> None:
        self.run(str(BINDIR / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def psql(self, script: str) -> str:
        """The script's output: psql stops at its first error, which fails the test with it."""
        assert PSQL is not None
        done = subprocess.run([PSQL, "-h", str(self.socket), "-U", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1"],
                              input=script, capture_output=True, text=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    if BINDIR is None or PSQL is None:  # only in CI: elsewhere needs_postgres skipped the test
        pytest.fail("PostgreSQL is missing in CI: .ci/run must install it (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="pingfen-pg-"))
    started = Server(folder)
    try:
        yield started
    finally:
        started.stop()
        shutil.rmtree(folder, ignore_errors=True)


PG_TYPES = {"DECIMAL(38, 20)": "NUMERIC(38, 20)", "VARCHAR": "TEXT"}  # sqlhelp's column types, as PostgreSQL writes them
NULL = r"\N"


def _text(value: object) -> str:
    """A CSV cell for COPY: NULL unquoted, every value quoted (a quoted empty text is no NULL)."""
    if value is None:
        return ""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return '"' + text.replace('"', '""') + '"'


def table(rubric: pingfen.Rubric, records: Sequence[dict[str, object]], types: dict[str, str] | None = None) -> str:
    """A script making the relation `records`: an `id` and one typed column per input."""
    specs = [s for s in rubric.inputs if s.batch is None]  # a batch value is the query's own
    kinds = {s.name: (types or {}).get(s.name) or PG_TYPES.get(t := sqlhelp._sql_type(rubric, s.name, s.type), t) for s in specs}
    columns = "".join(f', "{s.name}" {kinds[s.name]}' for s in specs)
    lines = [",".join([str(i), *(_text(r.get(s.name)) for s in specs)]) for i, r in enumerate(records)]
    return f"DROP TABLE IF EXISTS records;\nCREATE TABLE records (id INTEGER{columns});\nCOPY records FROM STDIN WITH (FORMAT csv);\n" + "".join(line + "\n" for line in lines) + "\\.\n"


def score(server: Server, rubric: pingfen.Rubric, records: Sequence[dict[str, object]], types: dict[str, str] | None = None,
          session: str = "") -> list[dict[str, object]]:  # fmt: skip
    """Each record's row of the PostgreSQL query, in the records' order, scores as Decimals;
    `session`: statements run first (`SET TIME ZONE …;`)."""
    query = to_sql(rubric, dialect="postgres", keep=["id"])
    out = server.psql(session + table(rubric, records, types) + f"COPY ({query} ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER, NULL '{NULL}');\n")
    reader = csv.reader(io.StringIO(out))
    names = next(reader)
    return [_scored(rubric, names, cells) for cells in reader]


def _scored(rubric: pingfen.Rubric, names: list[str], cells: list[str]) -> dict[str, object]:
    """A row by name, the query's own columns (after the relation's, passed through) as typed."""
    decimals = {*_node_names(rubric), "total"}
    row: dict[str, object] = {}
    for name, cell in zip(names, cells, strict=True):
        value: object = None if cell == NULL else cell
        row[name] = Decimal(cell) if name in decimals and value is not None else value
    return row


def _node_names(rubric: pingfen.Rubric) -> list[str]:
    module = rubric.module
    return [n.name.text for n, _depth in ast.walk_nodes(module.top)] + [o.row.name.text for o in module.outside]


def _records(n: int, seed: int = 2021) -> list[dict[str, object]]:
    rng = random.Random(seed)
    near = boundary_values(RUBRIC)
    return [{s.name: sqlhelp.random_value(rng, s.type, s.bounds, list(near.get(s.name) or []), rare=0.002) for s in RUBRIC.inputs} for _ in range(n)]


def _boundary() -> list[dict[str, object]]:
    """Every boundary value of pingfen.testing, each set into one middle record."""
    middle: dict[str, object] = {}
    for spec in RUBRIC.inputs:
        values = boundary_values(RUBRIC).get(spec.name)
        middle[spec.name] = values[len(values) // 2] if values else (True if spec.type == "bool" else Decimal(1))
    return [middle | {name: value} for name, values in boundary_values(RUBRIC).items() for value in values]


@needs_postgres
def test_the_2021_ruleset_scores_boundary_and_random_records_as_evaluate_does(server: Server) -> None:
    boundary = _boundary()
    records = boundary + _records(3000)
    assert len(boundary) > 100
    rows = score(server, RUBRIC, records)
    assert len(rows) == len(records)
    refused = 0
    for i, (record, row) in enumerate(zip(records, rows, strict=True)):
        assert row["id"] == str(i)
        sqlhelp.agree(RUBRIC, record, row)  # reasons worded back in both languages too
        refused += row["refusal"] is not None
    assert 0 < refused < len(records) // 2  # both kinds of row were there


@needs_postgres
def test_the_columns_named_pass_through_before_the_scores(server: Server) -> None:
    """PostgreSQL has no `SELECT * EXCEPT`: its query passes through the relation's columns named
    (`keep`), an input's too, and by default none (docs/scale.md)."""
    record = _boundary()[0]
    script = table(RUBRIC, [record]) + "ALTER TABLE records ADD COLUMN \"单位\" TEXT DEFAULT '甲单位';\n"
    own = [*_node_names(RUBRIC), "total", "grade", "reasons", "refusal", "refusal_input"]
    for keep, first in ((None, []), (["单位", "id", "在职人数"], ["甲单位", "0"])):
        out = server.psql(script + f"COPY ({to_sql(RUBRIC, dialect='postgres', keep=keep)}) TO STDOUT WITH (FORMAT csv, HEADER);\n")
        names, row = list(csv.reader(io.StringIO(out)))
        assert names == [*(keep or []), *own] and row[: len(first)] == first


@needs_postgres
@pytest.mark.parametrize(("given", "made"), [("order", '"order"'), ("User", '"user"'), ("财务.Group", '"财务"."group"'),
                                             ("current_schema", '"current_schema"'), ("Records", "records")])
def test_a_table_named_as_a_reserved_word_is_read_by_the_query(server: Server, given: str, made: str) -> None:
    """`--table order` wrote `FROM order`, a syntax error on PostgreSQL (`FROM user` read the
    current user's name): a reserved word is written quoted, as PostgreSQL folds a bare name."""
    record = _boundary()[0]
    script = 'CREATE SCHEMA IF NOT EXISTS "财务";\n' + table(RUBRIC, [record])
    if made != "records":
        script += f"DROP TABLE IF EXISTS {made};\nCREATE TABLE {made} AS TABLE records;\nDELETE FROM records;\n"
    out = server.psql(script + f"COPY ({to_sql(RUBRIC, dialect='postgres', table=given, keep=['id'])}) TO STDOUT WITH (FORMAT csv, NULL '{NULL}');\n")
    rows = list(csv.reader(io.StringIO(out)))
    assert len(rows) == 1 and rows[0][0] == "0"
    assert rows[0][-5] == format(RUBRIC.evaluate(record, ratios=True).total, "f")  # total, grade, reasons, refusal, refusal_input


@needs_postgres
def test_a_text_column_that_is_no_number_is_refused_in_its_row_not_an_error_of_the_query(server: Server) -> None:
    """PostgreSQL has no TRY_CAST: the query tests a value's text before it casts it. Text no
    number (or bool) reads is PF502 in its row; digits past the 20th decimal or a value of 10^17 or more,
    which NUMERIC(38, 20) would round or not hold, are refused (PF800, or a bound's PF503), never
    rounded, never an error of the query."""
    middle = _boundary()[0]
    texts = ["abc", "NaN", "Infinity", "-inf", "1e9999", "12 3", "95%"]
    tiny = "0.000000000000000000001"  # 21 decimals
    huge = ["1" + "0" * 20, "-1" + "0" * 17, "1e17"]
    cells: list[object] = [*texts, tiny, *huge, "  1200  ", "1.5e2"]
    records = [middle | {"在职人数": cell} for cell in cells]
    rows = score(server, RUBRIC, records, types={"在职人数": "TEXT"})
    codes = [(row["refusal"], row["refusal_input"]) for row in rows]
    assert codes[: len(texts)] == [("PF502", "在职人数")] * len(texts)
    # as on DuckDB: beyond what the query holds, PF800; a negative count first its domain's PF503
    assert codes[len(texts) : -2] == [("PF800", "在职人数"), ("PF800", "在职人数"), ("PF503", "在职人数"), ("PF800", "在职人数")]
    assert codes[-2:] == [(None, None), (None, None)]
    for row, cell in zip(rows[-2:], ("1200", "150"), strict=True):
        sqlhelp.agree(RUBRIC, middle | {"在职人数": Decimal(cell)}, row)
    # a bool's text: by values.to_bool's words, as evaluate() reads the text (before, by
    # PostgreSQL's cast: `t` and ` F ` scored, `是` refused), else PF502 in its row
    bools = ["true", " 是\u3000", "yes", "0", "√", "maybe", " F ", "t", "on", "tru e"]
    rows = score(server, RUBRIC, [middle | {"按规定内容公开": cell} for cell in bools], types={"按规定内容公开": "TEXT"})
    assert [row["refusal"] for row in rows] == [None] * 5 + ["PF502"] * 5
    for row, cell in zip(rows, bools, strict=True):
        sqlhelp.agree(RUBRIC, middle | {"按规定内容公开": cell}, row)
    # a NUMERIC column of more decimals than the query's 20: refused, not rounded
    rows = score(server, RUBRIC, [middle | {"政府采购执行率": Decimal("0.9" + "9" * 24)}], types={"政府采购执行率": "NUMERIC"})
    assert rows[0]["refusal"] in ("PF503", "PF800") and rows[0]["refusal_input"] == "政府采购执行率"


@needs_postgres
def test_a_blank_text_is_missing_as_evaluate_reads_it(server: Server) -> None:
    """A text that `str.strip()` leaves empty is missing (PF501), as values.coerce reads it, in
    a number's, a bool's and a label's column: PostgreSQL's query read `''` and `'  '` as a value
    none of its casts read (PF502), and a label's `'\u3000'` as a label not declared (PF506)."""
    text = 'rubric "空" {\n  total 10\n}\ninput 数: number\ninput 达: bool\ninput 类: label { 甲, 乙 }\n' \
           'indicator 甲项 4 {\n  score = min(数, 4)\n}\nindicator 乙项 3 {\n  award 3 if 达\n}\nindicator 丙项 3 {\n  award 3 if 类 = 甲\n}\n'
    rubric = pingfen.loads(text, "b.rule", tests=False)
    base: dict[str, object] = {"数": "2", "达": "是", "类": "甲"}
    records = [base | {name: cell} for name in base for cell in ("", "  ", "\u3000", "\t", " \n ")]
    records.append(base | {"类": "\u3000乙 "})  # read without what str.strip() takes away, as evaluate() reads it
    rows = score(server, rubric, records, types=dict.fromkeys(base, "TEXT"))
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(rubric, record, row)
    assert [(row["refusal"], row["refusal_input"]) for row in rows[:-1]] == [("PF501", name) for name in base for _ in range(5)]
    assert rows[-1]["refusal"] is None


@needs_postgres
def test_a_date_text_is_read_as_evaluate_reads_it(server: Server) -> None:
    """A date's TEXT column was cast to DATE where it was ISO (`2021-03-05`) and refused otherwise:
    `2021/3/5`, `2021年3月5日`, a time after it, a day number (`44256`) were PF502, a blank too,
    and `2021-02-30` stopped the whole query. Each is read as values.to_date reads the text."""
    from test_sql_column_types import DATE_TEXTS, DAY_RUBRIC

    records: list[dict[str, object]] = [{"起": "1899-12-31", "止": text, "类型": "甲"} for text in DATE_TEXTS]
    rows = score(server, DAY_RUBRIC, records, types={"起": "TEXT", "止": "TEXT"})
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(DAY_RUBRIC, record, row)
    assert [row["refusal"] for row in rows].count(None) == 28


@needs_postgres
def test_a_date_from_a_column_of_numbers_is_its_day_number_as_evaluate_reads_it(server: Server) -> None:
    """A date's INTEGER or NUMERIC column stopped the query (`cannot cast type integer to date`):
    it is read as evaluate() reads an int or a Decimal, a whole day number from 1 to 2958465,
    any other PF502, as a DOUBLE PRECISION's float is (as on DuckDB); a TIMESTAMP as its day."""
    from test_sql_column_types import DAY_RUBRIC

    columns: dict[str, list[object]] = {
        "INTEGER": [45382, 1, 2958465, 0, -1], "BIGINT": [2958466], "NUMERIC(10, 1)": [Decimal("45382.0"), Decimal("45382.5")],
        "NUMERIC": [Decimal("45382.0000000000000000000001"), Decimal("NaN")], "DOUBLE PRECISION": [45382.0],
        "DATE": ["2024-03-31"], "TIMESTAMP": ["2024-03-31 23:59:59.5"],
    }  # fmt: skip
    read = []
    for kind, days in columns.items():
        records: list[dict[str, object]] = [{"起": "1899-12-31", "止": day, "类型": "甲"} for day in days]
        rows = score(server, DAY_RUBRIC, records, types={"起": "DATE", "止": kind})
        for record, row in zip(records, rows, strict=True):
            sqlhelp.agree(DAY_RUBRIC, record, row)
            read.append((kind, record["止"], row["refusal"]))
    assert ("INTEGER", 45382, None) in read and ("NUMERIC(10, 1)", Decimal("45382.0"), None) in read
    assert ("DOUBLE PRECISION", 45382.0, "PF502") in read and ("TIMESTAMP", "2024-03-31 23:59:59.5", None) in read


@needs_postgres
def test_a_date_from_a_timestamptz_column_is_its_day_in_the_session_time_zone(server: Server) -> None:
    """A date's TIMESTAMPTZ column was read by its text (`2024-03-31 00:30:00+08`), which is no
    date's text: every row PF502. It is its day in the session's TimeZone, as PostgreSQL's cast
    to DATE takes it and as evaluate() takes the day of the datetime a client is given (psycopg's:
    aware, in the session's zone) — so one moment is a different day in different sessions."""
    from test_sql_column_types import DAY_RUBRIC

    eight = timezone(timedelta(hours=8))
    moments = [datetime(2024, 3, 31, 0, 30, tzinfo=eight), datetime(2024, 3, 31, 23, 59, 59, 500000, tzinfo=UTC),
               datetime(2024, 1, 1, 3, 0, tzinfo=eight), None]  # fmt: skip
    days: set[tuple[object, object]] = set()
    for zone in ("UTC", "Asia/Shanghai", "America/New_York"):
        records: list[dict[str, object]] = [{"起": "1899-12-31", "止": moment, "类型": "甲"} for moment in moments]
        rows = score(server, DAY_RUBRIC, records, types={"起": "DATE", "止": "TIMESTAMPTZ"}, session=f"SET TIME ZONE '{zone}';\n")
        for moment, row in zip(moments, rows, strict=True):
            seen = moment.astimezone(ZoneInfo(zone)) if moment is not None else None  # what a client in that session is given
            sqlhelp.agree(DAY_RUBRIC, {"起": "1899-12-31", "止": seen, "类型": "甲"}, row)
            days.add((moment, seen.date() if seen is not None else None))
        assert [row["refusal"] for row in rows] == [None, None, None, "PF501"]
    assert len(days) > len(moments)  # a moment's day depends on the session's zone


@needs_postgres
def test_a_date_column_is_read_whatever_the_session_datestyle(server: Server) -> None:
    """A DATE, TIMESTAMP or TIMESTAMPTZ column was read by its text, which is ISO only under
    DateStyle ISO: under `SQL, DMY` (`05/03/2024`), German or Postgres every row was PF502. Its day
    is read by to_json, whose text is ISO whatever the DateStyle; a BC day or one past 9999 is
    still PF502 (evaluate() is given none)."""
    from test_sql_column_types import DAY_RUBRIC

    days = ["2024-03-05", "2024-03-31", "2024-12-01"]  # a month and day either way round, and not
    moments = [datetime(2024, 3, 5, 23, 30, tzinfo=UTC), datetime(2024, 12, 1, 0, 30, tzinfo=UTC)]
    for style in ("SQL, DMY", "German", "Postgres, MDY", "ISO, DMY"):
        session = f"SET DateStyle = '{style}';\nSET TIME ZONE 'UTC';\n"
        for kind, values in (("DATE", days), ("TIMESTAMP", [d + " 23:59:59.5" for d in days]), ("TIMESTAMPTZ", moments), ("TEXT", days)):
            records: list[dict[str, object]] = [{"起": "1899-12-31", "止": v, "类型": "甲"} for v in values]
            rows = score(server, DAY_RUBRIC, records, types={"起": "DATE", "止": kind}, session=session)
            for record, row in zip(records, rows, strict=True):
                sqlhelp.agree(DAY_RUBRIC, record, row)
            assert [row["refusal"] for row in rows] == [None] * len(values), (style, kind)
        unread: list[dict[str, object]] = [{"起": "1899-12-31", "止": v, "类型": "甲"} for v in ("0001-03-05 BC", "10000-03-05")]
        rows = score(server, DAY_RUBRIC, unread, types={"起": "DATE", "止": "DATE"}, session=session)
        assert [(row["refusal"], row["refusal_input"]) for row in rows] == [("PF502", "止")] * 2, style


@needs_postgres
def test_a_text_that_marks_an_input_not_applicable_is_read_as_evaluate_reads_it(server: Server) -> None:
    """`\u3000不适用` marks an input 不适用, as evaluate() strips a text (`str.strip`): the query
    trimmed spaces only, so the mark was a value not read (PF502) where the row applies or not."""
    from test_sql_column_types import NA_RECORDS, NA_RUBRIC

    rows = score(server, NA_RUBRIC, NA_RECORDS, types={"有": "TEXT", "数": "TEXT", "期": "TEXT"})
    for record, row in zip(NA_RECORDS, rows, strict=True):
        sqlhelp.agree(NA_RUBRIC, record, row)
    assert "PF502" not in [row["refusal"] for row in rows]


@needs_postgres
def test_a_bool_from_a_number_column_is_1_or_0_as_evaluate_reads_it(server: Server) -> None:
    """A bool's NUMERIC, BIGINT or DOUBLE PRECISION column: PostgreSQL casts none of them to
    BOOLEAN, so the query failed as a whole, `cannot cast type numeric to boolean` (an INTEGER's
    was cast). It is read as evaluate() reads the number a client is given (a Decimal, an int, a
    float): 1 or 0 (`1.0`, `0.00`, `-0`), any other PF502 — as on DuckDB and Spark."""
    middle = _boundary()[0]
    columns: dict[str, list[object]] = {
        "NUMERIC": [Decimal("1.0"), Decimal("0.0"), Decimal("1.00"), Decimal(1), Decimal(2), Decimal("0.5"), Decimal("NaN")],
        "INTEGER": [1, 0, 2, -1], "BIGINT": [1, 0, 2], "SMALLINT": [1, 0],
        "DOUBLE PRECISION": [1.0, 0.0, -0.0, 0.5, float("nan"), 1e-300], "REAL": [1.0, 0.0, 0.5],
        "BOOLEAN": [True, False],
    }  # fmt: skip
    read = []
    for kind, values in columns.items():
        rows = score(server, RUBRIC, [middle | {"按规定内容公开": v} for v in values], types={"按规定内容公开": kind})
        for row, value in zip(rows, values, strict=True):
            sqlhelp.agree(RUBRIC, middle | {"按规定内容公开": value}, row)
            read.append((kind, value, row["refusal"]))
    assert ("NUMERIC", Decimal("1.0"), None) in read and ("NUMERIC", Decimal(2), "PF502") in read
    assert ("DOUBLE PRECISION", 1e-300, "PF502") in read and ("BIGINT", 0, None) in read


@needs_postgres
def test_a_label_from_a_boolean_column_is_true_or_false_as_python_writes_it(server: Server) -> None:
    """evaluate() reads a label as `str(value).strip()`: a bool is `True` or `False`, where
    PostgreSQL's cast writes `true` (a label declared `True` was refused, one declared `true` taken)."""
    for labels in ("甲, True", "甲, true"):
        text = f'rubric "标签" {{\n  total 10\n}}\ninput 类型: label {{ {labels} }}\nindicator 分类 10 {{\n  award 10 if 类型 = 甲\n}}\n'
        rubric = pingfen.loads(text, "l.rule", tests=False)
        records: list[dict[str, object]] = [{"类型": True}, {"类型": False}]
        rows = score(server, rubric, records, types={"类型": "BOOLEAN"})
        rows += score(server, rubric, [{"类型": "true"}, {"类型": " 甲 "}], types={"类型": "TEXT"})
        for record, row in zip([*records, {"类型": "true"}, {"类型": " 甲 "}], rows, strict=True):
            sqlhelp.agree(rubric, record, row)
        assert (rows[0]["refusal"] is None) == (labels == "甲, True")


def test_a_double_column_is_read_by_its_shortest_digits_as_evaluate_reads_a_float(server: Server) -> None:
    """A DOUBLE PRECISION column: its value read as evaluate() reads a Python float, by its
    shortest digits (0.35, not 0.34999…; 17 digits kept, not the 15 PostgreSQL's cast to
    NUMERIC keeps)."""
    middle = _boundary()[0] | {"上年三公经费": Decimal(100), "三公经费预算数": Decimal(200)}
    floats = [100.35, 100.1, 100.12345678901234, 100 + 1 / 3, 100.00000000000001, 100.3, 101.01]
    rows = score(server, RUBRIC, [middle | {"本年三公经费": x} for x in floats], types={"本年三公经费": "DOUBLE PRECISION"})
    for row, x in zip(rows, floats, strict=True):
        sqlhelp.agree(RUBRIC, middle | {"本年三公经费": Decimal(repr(x))}, row)


@needs_postgres
def test_pingfen_sql_writes_a_file_psql_runs(server: Server) -> None:
    """As docs/scale.md runs it: `pingfen sql --dialect postgres --keep id`, then `psql -f`."""
    out, err = io.StringIO(), io.StringIO()
    assert main(["sql", str(RULESET), "--dialect", "postgres", "--keep", "id", "--no-reasons"], out, err) == 0
    assert err.getvalue() == "" and out.getvalue().rstrip().endswith(";")
    records = _boundary()[:5]
    found = sorted(csv.DictReader(io.StringIO(server.psql(table(RUBRIC, records) + "\\pset format csv\n" + out.getvalue()))), key=lambda row: int(row["id"]))
    assert [row["id"] for row in found] == ["0", "1", "2", "3", "4"] and "reasons" not in found[0]
    assert [Decimal(row["total"]) for row in found] == [RUBRIC.evaluate(r, ratios=True).total for r in records]


def test_a_column_named_as_one_the_query_writes_is_not_passed_through() -> None:
    """A column to pass through named as a node, as `total` or as an internal column would be a
    second column of that name: refused (PF811), on every dialect."""
    for dialect in ("postgres", "duckdb", "spark"):
        for name, clash in (("重点支出安排率", "重点支出安排率"), ("total", "total"), ("_pf_0", "_pf_")):
            with pytest.raises(SqlRefusal) as caught:
                to_sql(RUBRIC, dialect=dialect, keep=["id", name])
            assert caught.value.code == "PF811" and f"`{clash}`" in caught.value.message("en") and "原样保留" in caught.value.message("zh")


def test_an_empty_name_to_pass_through_is_said_so() -> None:
    """`--keep "id,"` or `--keep ""` was refused PF811 naming `_pf_` as the clash: an empty
    name is PF814, saying so; spaces around a name are left out, and one name given as a str
    is refused rather than read as its letters."""
    for keep in (["id", ""], [""], ["id", " "]):
        with pytest.raises(SqlRefusal) as caught:
            to_sql(RUBRIC, dialect="duckdb", keep=keep)
        assert caught.value.code == "PF814" and "_pf_" not in caught.value.message("en")
    for written in ("id,", "", "id,,单位"):
        out, err = io.StringIO(), io.StringIO()
        assert main(["sql", str(RULESET), "--keep", written], out, err) == 2 and out.getvalue() == ""
        assert err.getvalue() == ("pingfen sql: PF814: `--keep`（或 `keep=`）中有空的列名：请删去列表末尾的逗号，"
                                  "或连在一起的两个逗号之一（如 `--keep id,单位`）\n")  # fmt: skip
    out = io.StringIO()
    assert main(["sql", str(RULESET), "--keep", "id, 单位", "--no-reasons"], out, io.StringIO()) == 0
    assert '"单位"' in out.getvalue() and '" 单位"' not in out.getvalue()
    with pytest.raises(TypeError, match=r"keep takes a list of column names, not one name: keep=\['id'\]"):
        to_sql(RUBRIC, keep="id")


def test_a_name_longer_than_postgresql_keeps_is_refused() -> None:
    """PostgreSQL cuts a name to 63 bytes: an indicator's score would be written under another
    name (PF812); DuckDB keeps it."""
    for name, refused in (("甲" * 21, False), ("甲" * 22, True), ("a" * 63, False), ("a" * 62 + "é", True)):
        rubric = pingfen.loads(f'rubric "名" {{\n  total 10\n}}\ninput 率: percent\nindicator {name} 10 {{ award 10 if 率 > 0 }}\n', "a.rule", tests=False)
        if not refused:
            assert to_sql(rubric, dialect="postgres")
            continue
        with pytest.raises(SqlRefusal) as caught:
            to_sql(rubric, dialect="postgres")
        assert caught.value.code == "PF812" and "63" in caught.value.message("zh") and name in caught.value.message("en")
        assert to_sql(rubric, dialect="duckdb")


def _agrees(server: Server, data: st.DataObject, forms: bool, refused_with: tuple[str, ...]) -> None:
    """A generated rubric's query on PostgreSQL scores drawn records as evaluate() does; a rubric
    it refuses (by one of `refused_with`) is not drawn again."""
    gen, rubric = loaded(data, random_rubrics(loose=True, applies=forms, newer=forms, outside=forms, vetoes=forms))
    try:
        to_sql(rubric, dialect="postgres")
    except SqlRefusal as refused:
        assert refused.code in refused_with
        assume(False)
    drawn = data.draw(st.lists(gen.any_records, min_size=1, max_size=12), label="records")
    records = [t for t in (sqlhelp.typed(rubric, r) for r in drawn) if t is not None]
    assume(records)
    rows = score(server, rubric, records)
    for record, row in zip(sqlhelp.batched(rubric, records), rows, strict=True):
        sqlhelp.agree(rubric, record, row)


@needs_postgres
@settings(max_examples=15, deadline=None)
@given(st.data())
def test_generated_rubrics_score_in_postgres_as_evaluate_does(server: Server, data: st.DataObject) -> None:
    """tests/test_sql_oracle.py's generated-rubric oracle (every rule form), on PostgreSQL. Refused:
    a node named `total`, names alike in their first 63 bytes, an input `_pf_…` or named as a node."""
    _agrees(server, data, forms=False, refused_with=("PF805", "PF809", "PF810", "PF812"))


@needs_postgres
@settings(max_examples=10, deadline=None)
@given(st.data())
def test_generated_rubrics_of_issue_10s_forms_score_in_postgres_as_evaluate_does(server: Server, data: st.DataObject) -> None:
    """tests/test_sql_forms.py's oracle (不适用, dates, values across the batch, vetoes …), on
    PostgreSQL; a panel is refused there (PF820)."""
    _agrees(server, data, forms=True, refused_with=("PF805", "PF809", "PF810", "PF812", "PF820"))


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_no_layer_reads_a_column_it_names_itself(data: st.DataObject) -> None:
    """DuckDB and Spark let a SELECT read a column it names (`SELECT a AS x, x + 1`); PostgreSQL
    does not ("column does not exist"): on PostgreSQL each column is read a layer later. Before,
    an optional input's `missing` and an optional bool's value were read in their own layer."""
    _gen, rubric = loaded(data, random_rubrics(loose=True, applies=True, newer=True, outside=True, vetoes=True))
    try:
        tree = to_sql_tree(rubric, dialect="postgres")
    except SqlRefusal:
        assume(False)
    for cte in tree.args["with_"].expressions:
        named = {e.alias for e in cte.this.expressions if isinstance(e, exp.Alias)}
        for e in cte.this.expressions:
            read = {c.name for c in e.find_all(exp.Column)} & named - {e.alias_or_name}
            assert not read, (cte.alias, e.alias_or_name, read)


@needs_postgres
def test_a_product_by_a_constant_of_many_digits_scores_as_evaluate_at_the_inputs_limit(server: Server) -> None:
    import test_sql_wide_products as wide

    rows = score(server, wide.RUBRIC, wide.RECORDS, types={"a": "NUMERIC(38, 6)", "b": "NUMERIC(38, 6)"})
    assert len(rows) == len(wide.RECORDS)
    for record, row in zip(wide.RECORDS, rows, strict=True):
        sqlhelp.agree(wide.RUBRIC, record, row)


@needs_postgres
def test_a_row_whose_value_passes_the_querys_digits_is_refused_and_no_other(server: Server) -> None:
    """tests/test_sql_row_overflow.py's forms on PostgreSQL, whose NUMERIC(38, 20) cast of a
    value of 10^18 stopped the whole query ("numeric field overflow"): that row alone is refused."""
    import test_sql_row_overflow as overflow

    for form in overflow.FORMS:
        rows = score(server, overflow.rubric_of(form), overflow.records_of(form), types={n: "NUMERIC(38, 20)" for n in ("a", "b", "c")})
        overflow.check(form, rows)
    for case in overflow.NEVER_WORKED_OUT:  # what evaluate() never works out stops no query either
        rows = score(server, overflow.never_rubric(case), overflow.never_records(case), types={n: "NUMERIC(38, 20)" for n in ("a", "b", "c")})
        overflow.check_never(case, rows)

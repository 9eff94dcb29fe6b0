"""`pingfen eval --engine duckdb`: a .csv/.parquet/.xlsx file scored by the rubric's SQL in a
real DuckDB, written atomically to .parquet or .csv. Every row says what evaluate() says
(totals, grades and refusals identical, node scores within 1e-18), a bad value costs only
its row, the output never lands on an input nor half-written, and a file DuckDB cannot read
is a message with a code, not a traceback."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen import engine
from pingfen.cli import main
from pingfen.testing import boundary_values

RULESET = Path(__file__).parent.parent / "rulesets" / "dept-overall-2021.rule"
RUBRIC = pingfen.load(RULESET)


def _records(n: int, seed: int) -> list[dict[str, object]]:
    """Boundary and random values, as ratios for percents; a few missing."""
    rng = random.Random(seed)
    near = boundary_values(RUBRIC)
    out = []
    for _ in range(n):
        record: dict[str, object] = {}
        for s in RUBRIC.inputs:
            values = list(near.get(s.name) or [])
            if rng.random() < 0.002:
                record[s.name] = None
            elif s.type == "bool":
                record[s.name] = rng.random() < 0.7
            elif values and rng.random() < 0.5:
                record[s.name] = rng.choice(values)
            elif s.type == "count":
                record[s.name] = rng.randint(0, 1200)
            elif s.type == "percent":
                record[s.name] = Decimal(rng.randint(0, 10_000)) / 10_000
            elif s.type == "amount":
                record[s.name] = Decimal(rng.randint(0, 10**8)) / 100
            else:
                top = max(b for op, b in s.bounds if op == "<=")
                record[s.name] = Decimal(rng.randint(0, int(top * 100))) / 100
        out.append(record)
    return out


def _text(value: object) -> str:
    return "" if value is None else str(value).lower()


def _csv(path: Path, records: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", *(s.name for s in RUBRIC.inputs)])
        for i, record in enumerate(records):
            writer.writerow([f"单位{i}", *(_text(record[s.name]) for s in RUBRIC.inputs)])


def _run(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    code = main(["eval", "--engine", "duckdb", str(RULESET), *args], out=io.StringIO(), err=err)
    return code, err.getvalue()


def _rows(path: Path) -> dict[str, dict[str, object]]:
    reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
    types = "" if path.suffix == ".parquet" else ", all_varchar = true"
    cursor = duckdb.connect().execute(f"SELECT * FROM {reader}('{path}'{types})")
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def as_read(record: dict[str, object]) -> dict[str, object]:
    """The record as `pingfen eval` reads it from the CSV `_csv` writes: each cell's text."""
    return {s.name: _text(record[s.name]).strip() or None for s in RUBRIC.inputs}


def _agree(record: dict[str, object], row: dict[str, object], typed: bool = False) -> None:
    """The row says what evaluate() says of the record: of its typed values as a warehouse
    holds them (`typed`, ratios=True), else of the cells' text as `pingfen eval` reads a CSV
    (a bare percent beyond ±1 is ambiguous there: PF523)."""

    def number(x: object) -> Decimal | None:
        return None if x is None or x == "" else Decimal(str(x))

    try:
        result = RUBRIC.evaluate(record, ratios=True) if typed else RUBRIC.evaluate(as_read(record))
    except pingfen.DataError as refused:
        first = refused.problems[0]
        assert (row["refusal"], row["refusal_input"], number(row["total"])) == (first.code, first.input, None), (
            record,
            row,
        )
        return
    assert row["refusal"] in (None, ""), (record, row)
    assert (number(row["total"]), row["grade"]) == (result.total, result.grade), (record, row)
    for node in result.nodes():
        got = number(row[node.name])
        assert got is not None and abs(got - node.score) <= Decimal("1e-18"), (node.name, got, node.score)


@needs_duckdb
@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_a_csv_file_scores_as_evaluate_does(tmp_path: Path, suffix: str) -> None:
    records = _records(3000, seed=11)
    data, out = tmp_path / "填报.csv", tmp_path / f"结果{suffix}"
    _csv(data, records)
    code, said = _run(str(data), "-o", str(out))
    rows = _rows(out)
    assert len(rows) == len(records)
    refused = sum(1 for r in rows.values() if r["refusal"] not in (None, ""))
    assert 0 < refused < len(records) and code == 1  # a refused row: exit 1, as the Python batch
    assert f"已评分 {len(records)} 行，其中 {refused} 行无法评分" in said
    for i, record in enumerate(records):
        _agree(record, rows[f"单位{i}"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([data.name, out.name])  # no temporary file left


@needs_duckdb
def test_a_parquet_file_of_typed_columns_and_every_score_exact(tmp_path: Path) -> None:
    records = _records(500, seed=12)
    data, parquet, out = tmp_path / "in.csv", tmp_path / "in.parquet", tmp_path / "out.csv"
    _csv(data, records)
    types = {"bool": "BOOLEAN"}
    columns = ", ".join(
        f'TRY_CAST("{s.name}" AS {types.get(s.type, "DECIMAL(38, 20)")}) AS "{s.name}"' for s in RUBRIC.inputs
    )
    duckdb.connect().execute(
        f"COPY (SELECT id, {columns} FROM read_csv('{data}', all_varchar = true)) TO '{parquet}' (FORMAT parquet)"
    )
    code, said = _run(str(parquet), "-o", str(out), "--lang", "en")
    rows = _rows(out)
    for i, record in enumerate(records):
        _agree(record, rows[f"单位{i}"], typed=True)
    assert "500 rows scored" in said
    first = next(r for r in rows.values() if r["refusal"] in (None, ""))
    assert len(str(first["投入"]).split(".")[1]) == 20  # the CSV keeps every decimal of DECIMAL(38, 20)


@needs_duckdb
def test_an_xlsx_file_scores_as_evaluate_does(tmp_path: Path) -> None:
    from openpyxl import Workbook

    records = _records(200, seed=13)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", *(s.name for s in RUBRIC.inputs)])
    for i, record in enumerate(records):
        sheet.append(
            [
                f"单位{i}",
                *(
                    None
                    if record[s.name] is None
                    else record[s.name]
                    if isinstance(record[s.name], bool)
                    else str(record[s.name])
                    for s in RUBRIC.inputs
                ),
            ]
        )
    data, out = tmp_path / "填报.xlsx", tmp_path / "结果.parquet"
    book.save(data)
    _run(str(data), "-o", str(out))
    rows = _rows(out)
    assert len(rows) == len(records)
    for i, record in enumerate(records):
        _agree(record, rows[f"单位{i}"])


@needs_duckdb
def test_a_bad_value_costs_only_its_row(tmp_path: Path) -> None:
    records = [r for r in _records(50, seed=14) if None not in r.values()][:3]
    data, out = tmp_path / "in.csv", tmp_path / "out.csv"
    _csv(data, records)
    text = data.read_text(encoding="utf-8").splitlines()
    cells = text[2].split(",")
    cells[1 + [s.name for s in RUBRIC.inputs].index("结余")] = "abc"
    text[2] = ",".join(cells)
    data.write_text("\n".join(text) + "\n", encoding="utf-8")
    code, _ = _run(str(data), "-o", str(out))
    rows = _rows(out)
    assert code == 1
    assert (rows["单位1"]["refusal"], rows["单位1"]["refusal_input"]) == ("PF502", "结余")
    for i in (0, 2):
        _agree(records[i], rows[f"单位{i}"])


@needs_duckdb
def test_never_onto_an_input_and_never_half_written(tmp_path: Path) -> None:
    data = tmp_path / "in.csv"
    _csv(data, _records(5, seed=15))
    before = data.read_bytes()
    code, said = _run(str(data), "-o", str(data))
    assert code == 2 and "PF701" in said and data.read_bytes() == before
    out = tmp_path / "out.csv"
    out.write_text("kept\n", encoding="utf-8")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    code, said = _run(str(broken), "-o", str(out))
    assert code == 2 and "PF831" in said and "Traceback" not in said
    assert out.read_text(encoding="utf-8") == "kept\n"  # the old output stays as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.parquet", "in.csv", "out.csv"]


@needs_duckdb
def test_formats_it_does_not_serve_are_named(tmp_path: Path) -> None:
    data = tmp_path / "in.csv"
    _csv(data, _records(2, seed=16))
    for args in (
        [str(data), "-o", str(tmp_path / "out.xlsx")],
        [str(data)],
        [str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "o.csv")],
    ):
        code, said = _run(*args, "--lang", "en")
        assert code == 2 and "PF832" in said and "--engine duckdb reads" in said


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@needs_duckdb
def test_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    from pingfen.engine import score_with_duckdb

    data, out = tmp_path / "in.csv", tmp_path / "out.parquet"
    _csv(data, _records(1500, seed=17))
    shown = _Terminal()
    scored = score_with_duckdb(RUBRIC, str(data), str(out), ruleset=str(RULESET), lang="zh", progress=shown)
    assert scored.rows == 1500
    assert "评分 [##############################] 1,500/1,500 行" in shown.getvalue()


@needs_duckdb
def test_ctrl_c_while_duckdb_scores_is_interrupted_not_an_internal_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB stops its query at Ctrl-C and raises RuntimeError("Query interrupted"): the
    user gets 已中断 and exit 130, as from the Python engine, and no file is left."""
    import os
    import signal
    import threading
    from contextlib import contextmanager

    from pingfen import engine

    rule, data, out = tmp_path / "r.rule", tmp_path / "in.parquet", tmp_path / "out.parquet"
    rule.write_text('rubric "r" { total 10 }\ninput 金额: amount\nindicator 甲 10 { deduct 0.5 per 100 of 金额 }\n', encoding="utf-8")
    con = duckdb.connect()
    con.execute(f"COPY (SELECT (i % 1000)::DECIMAL(18, 2) AS 金额 FROM range(5000000) t(i)) TO '{data}' (FORMAT parquet)")
    con.close()
    bar = engine._bar
    pressed = threading.Event()

    @contextmanager
    def then_ctrl_c(*args: Any) -> Iterator[None]:
        with bar(*args):  # the engine's own bar
            def press() -> None:  # once DuckDB has the query: the user presses Ctrl-C
                pressed.set()
                os.kill(os.getpid(), signal.SIGINT)

            threading.Timer(0.3, press).start()
            yield

    monkeypatch.setattr(engine, "_bar", then_ctrl_c)
    err = io.StringIO()
    code = main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    assert pressed.is_set()
    assert code == 130 and err.getvalue().strip().endswith("已中断"), err.getvalue()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet", "r.rule"]


@needs_duckdb
def test_a_parquet_decimal_of_more_than_20_places_is_refused_where_the_query_would_round_it(tmp_path: Path) -> None:
    """A DECIMAL(38, 25) column was cast to the query's 20 places: 0.8999999999999999999999999
    was read as 0.9, past the band's 90%, and scored 10 where evaluate() gives 0."""
    rule, data, out = tmp_path / "r.rule", tmp_path / "in.parquet", tmp_path / "out.csv"
    rule.write_text('rubric "r" { total 10 }\ninput 率: percent >= 0 and <= 100%\ninput 分: number\n'
                    "indicator 甲 5 { bands 率 { >= 90% -> 5\n else -> 0 } }\nindicator 乙 5 { score = min(分, 5) }\n",
                    encoding="utf-8")  # fmt: skip
    rates = ["0.8999999999999999999999999", "0.9", "0.95", "0.5000000000000000000000000"]
    scores = ["5", "4.0000000000000000000000001", "3", "2"]
    con = duckdb.connect()
    rows = " UNION ALL ".join(f"SELECT {i} AS id, {r}::DECIMAL(38, 25) AS 率, {s}::DECIMAL(38, 25) AS 分"
                              for i, (r, s) in enumerate(zip(rates, scores, strict=True)))  # fmt: skip
    con.execute(f"COPY ({rows} ORDER BY id) TO '{data}' (FORMAT parquet)")
    con.close()
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) == 1
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = {row["id"]: row for row in csv.DictReader(f)}
    rubric = pingfen.load(rule)
    assert (got["0"]["total"], got["0"]["refusal"], got["0"]["refusal_input"]) == ("", "PF503", "率")  # never 10
    assert (got["1"]["total"], got["1"]["refusal"], got["1"]["refusal_input"]) == ("", "PF800", "分")  # no bounds: its range
    for i in ("2", "3"):
        expected = rubric.evaluate({"率": Decimal(rates[int(i)]), "分": Decimal(scores[int(i)])}, ratios=True)
        assert (Decimal(got[i]["total"]), got[i]["refusal"]) == (expected.total, "")


@needs_duckdb
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_number_past_the_querys_digits_stops_the_file_in_words_for_people(tmp_path: Path, lang: str) -> None:
    """A row's own value too large is refused in its row (PF801, tests/test_sql_row_overflow.py);
    a value of the whole batch is not a row's: `batch mean(a)` over 20,000 rows of 99999999999999
    sums past the query's 18 integer digits, and DuckDB stops the query. Before, the user read
    DuckDB's English alone ("Out of Range Error: Overflow in …"), in Chinese too; now what
    happened and what scores it, in the reader's language, DuckDB's cause after it. The earlier
    output stays; pingfen eval without the engine scores every row."""
    rule = tmp_path / "批.rule"
    rule.write_text('rubric "批" { total 1 }\ninput a: number\nlet 均 = batch mean(a)\n'
                    "indicator x 1 { score = min(max(均, 0), 1) }\n", encoding="utf-8")  # fmt: skip
    data = tmp_path / "in.csv"
    data.write_text("id,a\n" + "".join(f"{i},99999999999999\n" for i in range(20_000)), encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("kept\n", encoding="utf-8")
    err = io.StringIO()
    code = main(["--lang", lang, "eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], out=io.StringIO(), err=err)
    said = err.getvalue()
    assert code == 2 and "Traceback" not in said
    wording = engine.OVERFLOW_ZH if lang == "zh" else engine.OVERFLOW_EN
    assert said.startswith("pingfen eval: PF831: ") and wording in said and "Overflow in" in said
    assert out.read_text(encoding="utf-8") == "kept\n"
    plain = tmp_path / "plain.csv"
    assert main(["eval", str(rule), str(data), "-o", str(plain)], out=io.StringIO(), err=io.StringIO()) == 0
    with plain.open(encoding="utf-8-sig", newline="") as f:
        assert {row["总分"] for row in csv.DictReader(f)} == {"1.00"}  # the Python path writes its table in Chinese


"""Scoring records through the generated SQL on a real DuckDB, for the differential tests."""

from __future__ import annotations

import decimal
import random
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from hypothesis import assume
from hypothesis import strategies as st
from sqlglot import exp

import pingfen
from pingfen.absent import says_not_applicable
from pingfen.evaluate.rubric import with_batch
from pingfen.io.tables import read_rows
from pingfen.sql import Explainer, SqlRefusal, to_sql
from pingfen.values import calendar_day, to_bool, to_date, to_decimal, to_percent
from strategies import GenRubric, loaded

SQL_TYPES = {"bool": "BOOLEAN", "label": "VARCHAR", "date": "DATE"}  # every other input: DECIMAL(38, 20)


FLOATS = {exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT}


def worked_types(tree: exp.Expr) -> set[exp.DataType.Type]:
    """The types the query works in: every DataType but a column's one reading as a double,
    straight into its text (sql/warehouse.py: a FLOAT column's shortest digits as the double
    it widens to), and a panel's list as doubles, straight into their texts (sql/panels.py,
    `values`). No number is ever worked out in a DOUBLE or a FLOAT."""
    kinds = set()
    for t in tree.find_all(exp.DataType):
        read = t.parent
        if t.this == exp.DataType.Type.DOUBLE and isinstance(read, exp.TryCast) and isinstance(read.this, exp.Column):
            text = read.parent
            if type(text) is exp.Cast and text.to.this == exp.DataType.Type.TEXT:
                continue
        if t.this == exp.DataType.Type.DOUBLE and isinstance(read, exp.DataType) and read.this == exp.DataType.Type.ARRAY:
            listed, texts = read.parent, read.parent.parent if read.parent is not None else None
            if isinstance(listed, exp.TryCast) and isinstance(texts, exp.TryCast) and texts.to.this == exp.DataType.Type.ARRAY:
                if [e.this for e in texts.to.expressions] == [exp.DataType.Type.TEXT]:
                    continue
        kinds.add(t.this)
    return kinds


def plain_number(text: str) -> bool:
    """Text Spark's warehouse query reads as a number (sql/warehouse.py): the one form of a
    number, in ASCII, with what `str.strip` takes away around it."""
    return re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", text.strip()) is not None


def table(con: object, rubric: pingfen.Rubric, records: Sequence[dict[str, object]], name: str = "records") -> None:
    """A relation `name` of the records, one typed column per input and a row number `id`."""
    specs = [s for s in rubric.inputs if s.batch is None]  # a batch value is the query's own (docs/scale.md)
    columns = ", ".join(f'"{s.name}" {_sql_type(rubric, s.name, s.type)}' for s in specs)
    con.execute(f'CREATE OR REPLACE TABLE "{name}" (id INTEGER, {columns})')  # type: ignore[attr-defined]  # duckdb's connection
    rows = [[i, *(_cell(r.get(s.name), _sql_type(rubric, s.name, s.type)) for s in specs)] for i, r in enumerate(records)]
    marks = ", ".join("?" for _ in range(len(specs) + 1))
    if rows:
        con.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)  # type: ignore[attr-defined]  # duckdb's connection


def typed(rubric: pingfen.Rubric, record: dict[str, object]) -> dict[str, object] | None:
    """The record as a typed table holds it (numbers exact, percents as ratios, bools,
    labels as text), domains unchecked; None when a value has no such form ("abc", NaN)."""
    out: dict[str, object] = {}
    for spec in rubric.inputs:
        if spec.batch is not None:  # worked out by the query over the relation: no column of its own
            continue
        raw = record.get(spec.name)
        value: object
        if spec.is_list:  # a panel: a list column of decimals (docs/scale.md), which cannot say 不适用
            if isinstance(raw, str) and says_not_applicable(raw):
                return None
            value = _panel(spec.type, raw)
            if value is None and raw is not None and not (isinstance(raw, str) and not raw.strip()):
                return None
        elif raw is None:
            value = None
        elif spec.name in rubric.optional and says_not_applicable(raw):
            value = raw  # 不适用: a text column says so (docs/scale.md)
        elif spec.type == "bool":
            value = to_bool(raw)
        elif spec.type == "date":  # a DATE column (docs/scale.md)
            number = to_date(raw)
            value = calendar_day(number) if number is not None else None
        elif spec.type == "label":
            value = str(raw) if isinstance(raw, str) else None
        else:
            value = to_percent(raw) if spec.type == "percent" else to_decimal(raw)
            if value is not None and (abs(value) >= Decimal(10) ** 18 or value != value.quantize(Decimal("1e-20"), context=WIDE)):
                value = None  # beyond what a DECIMAL(38, 20) column holds
        if value is None and raw is not None:
            return None
        out[spec.name] = value
    return out


WIDE = decimal.Context(prec=80)
_SEPARATORS = re.compile(r"[,，、;；\s]+")  # as values.coerce_list splits a text of scores


def _panel(kind: str, raw: object) -> list[Decimal] | None:
    """A panel's values as a list column holds them (exact, unchecked), or None: none given,
    or one that a DECIMAL cannot hold (a NULL in the list is PF501, where evaluate() says PF502)."""
    items = list(raw) if isinstance(raw, (list, tuple)) else [p for p in _SEPARATORS.split(raw.strip()) if p] if isinstance(raw, str) else [] if raw is None else [raw]
    values = [to_percent(x) if kind == "percent" else to_decimal(x) for x in items]
    if not values or any(v is None or abs(v) >= Decimal(10) ** 18 or v != v.quantize(Decimal("1e-20"), context=WIDE) for v in values):
        return None
    return [v for v in values if v is not None]


def _sql_type(rubric: pingfen.Rubric, name: str, kind: str) -> str:
    """An input's column type: text for one a record may mark 不适用, else as SQL_TYPES says."""
    if any(s.name == name and s.is_list for s in rubric.inputs):
        return "DECIMAL(38, 20)[]"  # a panel (docs/scale.md)
    return "VARCHAR" if name in rubric.optional else SQL_TYPES.get(kind, "DECIMAL(38, 20)")


def _cell(value: object, sql_type: str) -> object:
    if isinstance(value, list):  # a panel: each value as its text, read exactly into DECIMAL
        return [None if v is None else str(v) for v in value]
    if value is None or sql_type == "BOOLEAN":
        return value
    if isinstance(value, bool):  # into a text column: as the query reads a bool (TRY_CAST)
        return str(value).lower()
    return str(value)  # exact: DuckDB reads the text into the DECIMAL column


def batched(rubric: pingfen.Rubric, records: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """The records as evaluate() scores them in their batch: with the values across it."""
    return [with_batch(r, b) for r, b in zip(records, rubric.batch_values(records), strict=True)]


def score(con: object, rubric: pingfen.Rubric, records: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """Each record's row of the scoring query, in the records' order."""
    table(con, rubric, records)
    cursor = con.execute(to_sql(rubric) + " ORDER BY id")  # type: ignore[attr-defined]  # duckdb's connection
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


_EXPLAINERS: dict[int, tuple[pingfen.Rubric, Explainer]] = {}


def explainer(rubric: pingfen.Rubric) -> Explainer:
    """The rubric's Explainer, built once (it compiles the rubric)."""
    kept = _EXPLAINERS.get(id(rubric))
    if kept is None or kept[0] is not rubric:
        kept = _EXPLAINERS[id(rubric)] = (rubric, Explainer(rubric))
    return kept[1]


def agree(rubric: pingfen.Rubric, record: dict[str, object], row: dict[str, object], tolerance: Decimal = Decimal("1e-18")) -> None:
    """The row says what evaluate() says of the record: the same refusal (first problem's
    code and input), or the same total and grade, and every node's score within `tolerance`."""
    try:
        result = rubric.evaluate(record, ratios=True)
    except pingfen.DataError as refused:
        first = refused.problems[0]
        assert (row["refusal"], row["refusal_input"]) == (first.code, first.input), (record, row, refused)
        assert row["total"] is None and row["grade"] is None
        return
    assert row["refusal"] is None, (record, row)
    for lang in ("zh", "en"):  # the reasons column, worded back, says what evaluate() says
        said = {n.name: n.reasons_in(lang) for n in result.nodes() if n.explanations}
        assert explainer(rubric).explain(row, lang) == said, (record, row["reasons"])
    assert (row["total"], row["grade"]) == (result.total, result.grade), (record, row, result.total)
    for node in result.nodes():
        got = row[node.name]
        assert isinstance(got, Decimal)
        assert abs(got - node.score) <= tolerance, (node.name, got, node.score, record)


def oracle(data: st.DataObject, drawn: st.SearchStrategy[GenRubric], con: object) -> None:
    """The generated-rubric oracle (tests/test_sql_oracle.py, tests/test_sql_forms.py): the
    rubric's query over a dozen of its drawn records, in `con`, says what evaluate() says."""
    gen, rubric = loaded(data, drawn)
    try:
        to_sql(rubric)
    except SqlRefusal as refused:  # a node named `total` or `Grade`, names alike but for case, an input `_pf_…`
        assert refused.code in ("PF805", "PF809", "PF810")
        assume(False)
    drawn = data.draw(st.lists(gen.any_records, min_size=1, max_size=12), label="records")
    records = [t for t in (typed(rubric, r) for r in drawn) if t is not None]
    assume(records)
    rows = score(con, rubric, records)
    for record, row in zip(batched(rubric, records), rows, strict=True):
        agree(rubric, record, row)


def python_rows(rubric: pingfen.Rubric, data: Path) -> list[tuple[str | None, str | None, Decimal | None]]:
    """Each row `pingfen eval` reads from the file, scored as it scores it: (id, the first
    refusal's code, total) — what the engine's rows of the same file are held to."""
    out: list[tuple[str | None, str | None, Decimal | None]] = []
    for row in read_rows(data):
        if row.problem is not None:
            out.append((row.id, row.problem.code, None))
            continue
        try:
            out.append((row.id, None, rubric.evaluate(row.values).total))
        except pingfen.DataError as refused:
            out.append((row.id, refused.problems[0].code, None))
    return out


def random_value(rng: random.Random, kind: str, bounds: tuple[tuple[str, Decimal], ...], near: list[object], rare: float = 0.001) -> object:
    """A value of the input's kind: often a boundary value, rarely missing (`rare`) or out of its
    domain; the records the Spark and PostgreSQL tests score beside evaluate()."""
    roll = rng.random()
    if roll < rare:
        return None  # PF501
    if kind == "bool":
        return rng.random() < 0.7
    if near and roll < 0.4:
        return rng.choice(near)
    top = max((b for op, b in bounds if op in ("<=", "<")), default=None)
    match kind:
        case "count":
            return rng.randint(-1, 1200) if roll < 2 * rare else rng.randint(0, 1200)
        case "amount":
            return Decimal(rng.randint(0, 10**8)) / 100
        case "percent":
            return Decimal(rng.randint(0, 12_000)) / 10_000 if top is None else Decimal(rng.randint(0, 10_010)) / 10_000
        case _:  # a judged score, up to its max (and rarely past it: PF503)
            assert top is not None
            return Decimal(rng.randint(0, int(top * 100) + 3)) / 100

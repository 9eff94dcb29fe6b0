"""The refusal column's common case in one test per input (issue 11, fourth DuckDB round):
where every input is fine — its value column there, its domain held, a label declared — the
query tries only the sites those tests do not cover (a zero divisor, no band), and the output's
`refusal` and `refusal_input` are settled by one test for a scored row. Any other row tries
every site in evaluate()'s order, so its first refusal is evaluate()'s: records with one, two
and three problems, of every kind, in every column type a table gives."""

from __future__ import annotations

import itertools
from decimal import Decimal

from sqlglot import exp

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.loader import loads_unsound
from pingfen.sql import to_sql_tree
from pingfen.sql.newforms import FormsCompiler

RUBRIC = """
rubric "先后" {
  total 40
  grade 好 >= 30
  grade 差 otherwise
}
input 人数: count > 0
input 金额: amount <= 1000
input 比率: percent >= 0 and <= 100%
input 公开: bool
input 类型: label { 甲, 乙 }
input 分值: score <= 10
let 人均 = 金额 / 人数
indicator 人 10 {
  bands 人均 {
    >= 10 -> 10
    [0, 10) -> 5
  }
}
indicator 率 10 { deduct 0.1 per 1pp of 比率 below 100% counting proportional }
indicator 开 10 {
  award 6 if 公开
  award 4 if 类型 = 甲
}
indicator 分 10 { judgment 分值 }
"""

# per input: values that are fine, and values refused for each reason evaluate() gives
GOOD = {"人数": "3", "金额": "120.50", "比率": "0.95", "公开": "true", "类型": "甲", "分值": "7.25"}
BAD = {
    "人数": [None, "abc", "2.5", "-1", "0", "100000000000000"],
    "金额": [None, "x", "-0.01", "1000.01"],
    "比率": [None, "?", "-0.5", "1.5"],
    "公开": [None, "maybe"],
    "类型": [None, "", "丙"],
    "分值": [None, "十", "10.5", "-1"],
}


def _typed(name: str, text: str | None) -> object:
    if text is None:
        return None
    if name == "公开":
        return {"true": True, "false": False}.get(text, text)
    try:
        return Decimal(text) if name != "类型" else text
    except ArithmeticError:
        return text


def _records() -> list[dict[str, str | None]]:
    out: list[dict[str, str | None]] = [dict(GOOD)]
    singles = [(name, value) for name, values in BAD.items() for value in values]
    for n in (1, 2, 3):
        for chosen in itertools.combinations(singles, n):
            if len({name for name, _ in chosen}) == n:
                out.append(GOOD | dict(chosen))
    return out


@needs_duckdb
def test_the_first_refusal_is_evaluates_with_one_two_and_three_problems() -> None:
    rubric = loads_unsound(RUBRIC)[0]
    records = _records()
    con = duckdb.connect()
    names = [s.name for s in rubric.inputs]
    columns = ", ".join(f'"{n}" VARCHAR' for n in names)
    con.execute(f"CREATE TABLE records (id INTEGER, {columns})")
    con.executemany(f"INSERT INTO records VALUES (?{', ?' * len(names)})", [[i, *(r[n] for n in names)] for i, r in enumerate(records)])
    cursor = con.execute(to_sql_tree(rubric, "duckdb", "records", reasons=False).sql(dialect="duckdb"))
    columns = [d[0] for d in cursor.description]
    rows = {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}
    refused = 0
    for i, record in enumerate(records):
        row = rows[i]
        if record["人数"] == "100000000000000":  # the query's own limit (PF800): evaluate() reads it
            assert row["refusal"] is not None and row["total"] is None
            continue
        try:
            result = rubric.evaluate({n: _typed(n, v) for n, v in record.items()}, ratios=True)
        except pingfen.DataError as error:
            refused += 1
            first = error.problems[0]
            assert (row["refusal"], row["refusal_input"], row["total"]) == (first.code, first.input, None), record
            continue
        assert (row["refusal"], row["refusal_input"], row["total"], row["grade"]) == (None, None, result.total, result.grade), record
    assert refused > 300


def test_every_plain_input_is_covered_by_one_test_and_the_rest_stay_in_order() -> None:
    rubric = loads_unsound(RUBRIC)[0]
    compiler = FormsCompiler(rubric, "records", "duckdb", False)
    tree = compiler.tree()
    covered = [s for s in compiler.sites if s.covered]
    assert {s.input for s in covered} == {s.name for s in rubric.inputs}
    assert {s.code for s in covered} == {"PF501", "PF502", "PF503", "PF506", "PF800"}
    # 人数 = 0 divides; 人均 past the query's digits (a 人数 near 0: PF801); a band none takes
    assert [s.code for s in compiler.sites if not s.covered] == ["PF504", "PF801", "PF505"]
    assert len(compiler.fine) == len(rubric.inputs)
    # the output's refusal and its input: a scored row is settled by the first test
    for name in ("refusal", "refusal_input"):
        chosen = next(e for e in tree.expressions if e.alias == name).this
        first = chosen.args["ifs"][0]
        assert isinstance(first.this, exp.Is) and isinstance(first.args["true"], exp.Null)


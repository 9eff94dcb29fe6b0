"""`pingfen sql` and pingfen.sql on the 2021 ruleset, on a real DuckDB: every boundary record of
pingfen.testing and random records score as evaluate() scores them (totals and grades
identical, node scores within 1e-18), refusals are the same refusal as columns, no float
anywhere in the query, the relation's other columns pass through, and the long division and
products are exact to the last of their 20 decimals."""

from __future__ import annotations

import decimal
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot import exp

import pingfen
import sqlhelp
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.cli import main
from pingfen.loader import loads_unsound
from pingfen.sql import Explainer, SqlRefusal, to_sql, to_sql_tree
from pingfen.testing import boundary_inputs, boundary_values, inputs

RULESET = Path(__file__).parent.parent / "rulesets" / "dept-overall-2021.rule"
RUBRIC = pingfen.load(RULESET)
FLOATS = {exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT}


def _middle() -> dict[str, object]:
    """A record every boundary value is set into, one input at a time."""
    record: dict[str, object] = {}
    for spec in RUBRIC.inputs:
        values = boundary_values(RUBRIC).get(spec.name)
        record[spec.name] = values[len(values) // 2] if values else (True if spec.type == "bool" else Decimal(1))
    return record


def test_no_float_anywhere_in_the_query() -> None:
    for dialect in ("duckdb", "spark"):
        tree = to_sql_tree(RUBRIC, dialect)
        types = sqlhelp.worked_types(tree)
        assert types and not types & FLOATS
        assert exp.DataType.Type.DECIMAL in types
        for number in tree.find_all(exp.Literal):
            assert not number.is_number or "e" not in number.this.lower()  # no 1e5: a float to some engines


@needs_duckdb
def test_every_boundary_record_scores_as_evaluate_does() -> None:
    middle = _middle()
    records = [middle | {name: value} for name, values in boundary_values(RUBRIC).items() for value in values]
    assert len(records) > 100
    rows = sqlhelp.score(duckdb.connect(), RUBRIC, records)
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(RUBRIC, record, row)


@needs_duckdb
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.large_base_example, HealthCheck.data_too_large, HealthCheck.too_slow])
@given(st.lists(boundary_inputs(RUBRIC) | inputs(RUBRIC), min_size=1, max_size=40))
def test_random_and_boundary_records_score_as_evaluate_does(records: list[dict[str, object]]) -> None:
    rows = sqlhelp.score(duckdb.connect(), RUBRIC, records)
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(RUBRIC, record, row)


@needs_duckdb
def test_a_bad_row_costs_only_itself_with_evaluates_refusal() -> None:
    good = _middle()
    bad = [
        good | {"编制人数": None},  # PF501
        good | {"编制人数": Decimal(0)},  # PF503: > 0
        good | {"在职人数": Decimal("1.5")},  # PF503: a count is whole
        good | {"结余": Decimal(-1)},  # PF503: an amount is >= 0
        good | {"经济效益": Decimal(6)},  # PF503: above the judged indicator's max
        good | {"满意度": Decimal("1.01")},  # PF503: <= 100%
        good | {"按规定内容公开": None, "结余": Decimal(-1)},  # the first input in order
        good | {"结余": Decimal(10) ** 14},  # beyond the query's exact range: PF800
    ]
    rows = sqlhelp.score(duckdb.connect(), RUBRIC, [good, *bad, good])
    assert rows[0]["refusal"] is None and rows[-1]["refusal"] is None and rows[0]["total"] == rows[-1]["total"]
    for record, row in zip(bad[:-1], rows[1:-2], strict=True):
        sqlhelp.agree(RUBRIC, record, row)
    assert (rows[-2]["refusal"], rows[-2]["refusal_input"], rows[-2]["total"]) == ("PF800", "结余", None)


TOY = """
rubric "toy" {
  total 20
  round total 2 half_even
  grade 好 >= 10
  grade 差 otherwise
}
input a: number
input b: number
input c: label { 甲, 乙 }
let q = a / b
indicator 商 10 { score = q + 5 }
indicator 积 5 { score = a * b / 1000 + 2 }
indicator 档 5 {
  bands a {
    < 0 -> 1
    [0, 5] -> 5
  }
}
"""


@needs_duckdb
def test_division_by_zero_no_band_and_labels_refuse_as_evaluate_does() -> None:
    rubric, _unsound = loads_unsound(TOY)  # b may be 0: PF410, and evaluate() refuses such a record (PF504)
    records: list[dict[str, object]] = [
        {"a": Decimal(1), "b": Decimal(0), "c": "甲"},  # PF504 on b
        {"a": Decimal(6), "b": Decimal(1), "c": "甲"},  # PF505: no band
        {"a": Decimal(1), "b": Decimal(3), "c": "丙"},  # PF506
        {"a": Decimal(1), "b": Decimal(3), "c": None},  # PF501
        {"a": Decimal(1), "b": Decimal(3), "c": " 乙 "},  # a label read as coerce reads it
    ]
    rows = sqlhelp.score(duckdb.connect(), rubric, records)
    assert [r["refusal"] for r in rows] == ["PF504", "PF505", "PF506", "PF501", None]
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(rubric, record, row)


def toy(text: str) -> pingfen.Rubric:
    """A variant of TOY, whose divisor may be 0 (PF410); every value of `a` in a band."""
    return loads_unsound(text.replace("[0, 5] -> 5", "else -> 5"))[0]


WIDE = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN)
NUMBERS = st.decimals(min_value=-(10**6), max_value=10**6, places=6, allow_nan=False, allow_infinity=False)


@needs_duckdb
@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(NUMBERS, NUMBERS.filter(lambda d: d != 0)), min_size=30, max_size=30))
def test_quotients_are_exact_to_twenty_decimals_half_even(pairs: list[tuple[Decimal, Decimal]]) -> None:
    rubric = toy(TOY.replace("indicator 商 10 { score = q + 5 }", "indicator 商 10000000 { score = q + 5000000 }").replace("total 20", "total 10000010"))
    records: list[dict[str, object]] = [{"a": a, "b": b, "c": "甲"} for a, b in pairs]
    rows = sqlhelp.score(duckdb.connect(), rubric, records)
    for (a, b), row in zip(pairs, rows, strict=True):
        exact = WIDE.divide(a, b).quantize(Decimal("1e-20"), context=WIDE) + 5000000
        assert row["商"] == min(max(exact, Decimal(0)), Decimal(10000000)), (a, b)


@needs_duckdb
@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(NUMBERS, NUMBERS), min_size=30, max_size=30))
def test_products_are_within_1e19(pairs: list[tuple[Decimal, Decimal]]) -> None:
    rubric = toy(TOY.replace("indicator 积 5 { score = a * b / 1000 + 2 }", "indicator 积 5000000000 { score = a * b + 2500000000 }").replace("total 20", "total 5000000015"))
    records: list[dict[str, object]] = [{"a": a, "b": b, "c": "甲"} for a, b in pairs]
    rows = sqlhelp.score(duckdb.connect(), rubric, [r | {"b": r["b"] or Decimal(1)} for r in records])
    for (a, b), row in zip(pairs, rows, strict=True):
        b = b or Decimal(1)
        exact = WIDE.multiply(a, b) + 2500000000
        assert abs(row["积"] - min(max(exact, Decimal(0)), Decimal(5000000000))) <= Decimal("1e-19"), (a, b)


@needs_duckdb
def test_other_columns_pass_through_and_inputs_do_not() -> None:
    con = duckdb.connect()
    sqlhelp.table(con, RUBRIC, [_middle(), _middle()], name="单位")
    con.execute('ALTER TABLE "单位" ADD COLUMN 单位名称 VARCHAR DEFAULT \'某局\'')
    cursor = con.execute(to_sql(RUBRIC, table="单位"))
    names = [d[0] for d in cursor.description]
    assert names[:2] == ["id", "单位名称"]
    nodes = [spec.name for top in RUBRIC.tree for spec in top.walk()]
    assert names[2:] == [*nodes, "total", "grade", "reasons", "refusal", "refusal_input"]  # the inputs are read, not passed on
    assert [r[1] for r in cursor.fetchall()] == ["某局", "某局"]


@needs_duckdb
def test_without_reasons_the_scores_are_the_same() -> None:
    con = duckdb.connect()
    sqlhelp.table(con, RUBRIC, [_middle()])
    full = con.execute(to_sql(RUBRIC))
    names = [d[0] for d in full.description]
    row = full.fetchone()
    bare = con.execute(to_sql(RUBRIC, reasons=False))
    assert [d[0] for d in bare.description] == [n for n in names if n != "reasons"]
    assert row is not None and bare.fetchone() == tuple(v for n, v in zip(names, row, strict=True) if n != "reasons")
    out, err = io.StringIO(), io.StringIO()
    assert main(["sql", str(RULESET), "--no-reasons"], out=out, err=err) == 0
    assert '"reasons"' not in out.getvalue()


@needs_duckdb
def test_counts_may_be_integer_columns() -> None:
    con = duckdb.connect()
    record = _middle()
    sqlhelp.table(con, RUBRIC, [record])
    counts = [s.name for s in RUBRIC.inputs if s.type == "count"]
    for name in counts:
        con.execute(f'ALTER TABLE records ALTER "{name}" TYPE BIGINT')
    row = con.execute(to_sql(RUBRIC)).fetchone()
    assert row is not None
    assert row[-5] == RUBRIC.evaluate(record, ratios=True).total


def test_an_unreadable_reasons_column_is_refused_in_words() -> None:
    explainer = Explainer(RUBRIC)
    for text in ("[", "{}", "[[99999]]", '[[0, "x"]]', "[" * 100_000 + "]" * 100_000, "[]" * 600_000):
        with pytest.raises(pingfen.DataError) as refused:
            explainer.explain({"reasons": text})
        assert refused.value.problems[0].code == "PF806"
    assert explainer.explain({"reasons": None}) == {}  # a refused record: no reasons


def test_an_unreadable_reasons_column_is_said_in_chinese_too() -> None:
    # the detail was English in the Chinese message: "reasons 列无法读取：not a list"
    explainer = Explainer(RUBRIC)
    said = {"[": "不是 JSON（JSONDecodeError）", "{}": "不是列表", "[[99999]]": "[99999] 不是本评分表的扣分原因",
            '"' + "x" * 1_000_001 + '"': "不是至多 1,000,000 个字符的文本"}  # fmt: skip
    for text, zh in said.items():
        with pytest.raises(pingfen.DataError) as refused:
            explainer.explain({"reasons": text})
        assert refused.value.describe("zh").endswith(f"评分结果行的 reasons 列无法读取：{zh}"), refused.value.describe("zh")
        assert "reasons column of a scored row cannot be read: " in refused.value.describe("en")
    entry = next(k for k, e in enumerate(explainer.catalogue) if e.kinds)
    wrong = [[entry, *([None] * (len(explainer.catalogue[entry].kinds) + 1))], [entry, *([[1]] * len(explainer.catalogue[entry].kinds))]]
    for item in wrong:
        with pytest.raises(pingfen.DataError) as refused:
            explainer.explain({"reasons": json.dumps([item])})
        message = refused.value.describe("zh")
        assert re.search(r"reasons 列无法读取：.+ (不是该扣分原因的 \d+ 个数|不是(数|文本|是/否值|一组评分|各组评分))$", message), message


def test_a_number_the_query_cannot_hold_exactly_is_refused_naming_it() -> None:
    rubric = toy(TOY.replace("score = q + 5", "score = q + 0.000000000000000000001"))
    with pytest.raises(SqlRefusal) as refused:
        to_sql(rubric)
    assert refused.value.code == "PF802" and "0.000000000000000000001" in refused.value.message("en")


def test_a_node_named_as_the_querys_own_columns_is_refused() -> None:
    rubric = toy(TOY.replace("indicator 档", "indicator total"))
    with pytest.raises(SqlRefusal) as refused:
        to_sql(rubric)
    assert refused.value.code == "PF805"


@needs_duckdb
def test_the_command_prints_a_query_duckdb_runs() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["sql", str(RULESET), "--table", "t"], out=out, err=err) == 0
    assert err.getvalue() == ""
    con = duckdb.connect()
    sqlhelp.table(con, RUBRIC, [_middle()], name="t")
    row = con.execute(out.getvalue()).fetchone()
    assert row is not None and row[-5] == RUBRIC.evaluate(_middle(), ratios=True).total


@pytest.mark.parametrize("table", ["", "  ", '"x', 'x"y', "仓库."])
def test_a_table_no_sql_reads_is_refused_by_name(table: str) -> None:
    """Was sqlglot's ParseError or TokenError: an internal error."""
    out, err = io.StringIO(), io.StringIO()
    assert main(["sql", str(RULESET), "--table", table], out=out, err=err) == 2
    assert err.getvalue() == f"pingfen sql: PF808: `{table}` 不是表名：请写表名，或按 SQL 的写法写 库名.表名\n"
    assert out.getvalue() == ""


@needs_duckdb
def test_a_table_of_any_other_characters_is_read_quoted() -> None:
    out = io.StringIO()
    assert main(["sql", str(RULESET), "--table", "2024 项目"], out=out, err=io.StringIO()) == 0
    con = duckdb.connect()
    sqlhelp.table(con, RUBRIC, [_middle()], name="2024 项目")
    row = con.execute(out.getvalue()).fetchone()
    assert row is not None and row[-5] == RUBRIC.evaluate(_middle(), ratios=True).total


def _spark_relation(table: str) -> exp.Table:
    """The relation the Spark query reads, as Spark's SQL parses the text written."""
    out = io.StringIO()
    assert main(["sql", str(RULESET), "--dialect", "spark", "--no-reasons", "--table", table], out=out, err=io.StringIO()) == 0
    written = re.findall(r"^\s*FROM (.+)$", out.getvalue(), re.MULTILINE)  # a FROM of its own line: a relation
    read = [found for found in written if not found.startswith(("(", "_pf_", "`_pf_"))]
    assert len(read) == 1, written
    return exp.to_table(read[0], dialect="spark")


@pytest.mark.parametrize(("table", "parts"), [("评分.记录", ["评分", "记录"]), ("财政厅.2021年 项目", ["财政厅", "2021年 项目"]),
                                              ("records", ["records"])])  # fmt: skip
def test_a_spark_table_is_written_backquoted(table: str, parts: list[str]) -> None:
    """`--dialect spark --table 评分.记录` wrote `FROM 评分.记录`, which Spark refuses to parse
    ([INVALID_IDENTIFIER] The unquoted identifier 评分 is invalid and must be back quoted):
    Spark's unquoted names are ASCII letters, digits and `_` only."""
    found = _spark_relation(table)
    assert [p.name for p in found.parts] == parts
    assert all(p.quoted for p in found.parts)


@pytest.mark.parametrize(("table", "parts"), [("`finance-db`.records", ["finance-db", "records"]), ("`a.b`", ["a.b"]),
                                              ("`评分`.`记录`", ["评分", "记录"]), ("`a``b`", ["a`b"])])  # fmt: skip
def test_a_spark_table_may_be_named_with_sparks_backquotes(table: str, parts: list[str]) -> None:
    """A name quoted as Spark quotes one was read as names with backquotes in them
    (`` `finance-db`.records `` was the table ``records`` of the database `` `finance-db` ``)."""
    assert [p.name for p in _spark_relation(table).parts] == parts


def test_an_empty_dialect_is_refused() -> None:
    err = io.StringIO()
    assert main(["sql", str(RULESET), "--dialect", ""], out=io.StringIO(), err=err) == 2
    assert "PF803" in err.getvalue()


def test_the_command_names_an_unknown_dialect_and_the_ones_it_writes() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["sql", str(RULESET), "--dialect", "nosuch", "--lang", "en"], out=out, err=err) == 2
    assert "PF803" in err.getvalue() and "it writes duckdb, postgres, spark\n" in err.getvalue() and out.getvalue() == ""


@pytest.mark.parametrize("dialect", ["mysql", "sqlite", "snowflake", "spark2", "databricks"])
def test_the_command_refuses_a_dialect_whose_query_no_test_runs(dialect: str) -> None:
    """Before, `--dialect postgres` printed a query PostgreSQL cannot parse (`SELECT * EXCEPT`),
    with only a warning (PF804) on standard error; now no query is written (exit 2)."""
    out, err = io.StringIO(), io.StringIO()
    assert main(["sql", str(RULESET), "--dialect", dialect], out=out, err=err) == 2
    assert out.getvalue() == ""
    assert err.getvalue().startswith("pingfen sql: PF804: pingfen 只为 duckdb, postgres, spark 写出查询，不为 " + dialect + " 写出")
    out, err = io.StringIO(), io.StringIO()
    assert main(["sql", str(RULESET), "--dialect", dialect, "--lang", "en"], out=out, err=err) == 2
    assert out.getvalue() == ""
    assert err.getvalue().startswith(f"pingfen sql: PF804: pingfen writes the query for duckdb, postgres, spark only, not for {dialect}: ")
    assert "check its scores against `pingfen eval`" in err.getvalue()


@pytest.mark.parametrize("dialect", ["mysql", "sqlite", "", "nosuch", None, 3])
def test_the_api_refuses_what_it_does_not_write(dialect: object) -> None:
    code = "PF804" if dialect in ("mysql", "sqlite") else "PF803"
    for write in (to_sql, to_sql_tree):
        with pytest.raises(SqlRefusal) as caught:
            write(RUBRIC, dialect)  # type: ignore[arg-type]
        assert caught.value.code == code and "duckdb, postgres, spark" in caught.value.message("en") and "duckdb, postgres, spark" in caught.value.message("zh")

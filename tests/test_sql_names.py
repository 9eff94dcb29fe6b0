"""Names SQL cannot tell apart: DuckDB and Spark read `TOTAL` as the query's `total` and `A`
as `a` (DuckDB ASCII letters only: `Ä` and `ä` are two; Spark's folds: tests/test_spark_names.py,
other dialects: tests/test_sql_dialect_names.py), and the query's internal columns begin with
`_pf_`. Such a rubric is refused by name (PF805, PF809, PF810) by `pingfen sql` and by
`pingfen eval --engine duckdb`, never scored into the wrong column. Before, a node `Grade`
took the grade's column (`grade_1`), `a` repeated `A`'s score, and an input `_pf_40` was read
in place of an internal column (totals 2/0/7 for evaluate()'s 8/7/2)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from pingfen.sql import SqlRefusal, to_sql

HEAD = 'rubric "名" {\n  total 20\n  grade 好 >= 10\n  grade 差 otherwise\n}\ninput rate: percent\n'


def _rule(first: str, second: str, extra_input: str = "") -> str:
    return (HEAD + extra_input + f"indicator {first} 10 {{\n  bands rate {{\n    >= 90% -> 10\n    else -> 0\n  }}\n}}\n"
            f"indicator {second} 10 {{ award 10 if rate > 0 }}\n")  # fmt: skip


@pytest.mark.parametrize(("first", "second", "code"), [
    ("Refusal", "Grade", "PF805"), ("甲", "TOTAL", "PF805"), ("甲", "Refusal_Input", "PF805"), ("_PF_x", "乙", "PF805"),
    ("A", "a", "PF809"), ("Ab", "aB", "PF809"),
])  # fmt: skip
def test_names_sql_reads_as_one_are_refused(first: str, second: str, code: str) -> None:
    rubric = pingfen.loads(_rule(first, second), "a.rule", tests=False)
    assert rubric.evaluate({"rate": "95%"}).total is not None  # evaluate() scores it
    with pytest.raises(SqlRefusal) as refused:
        to_sql(rubric)
    assert refused.value.code == code
    assert first in refused.value.message("zh") or second in refused.value.message("zh")


@pytest.mark.parametrize("name", ["_pf_40", "_PF_node0", "_Pf_1"])
def test_an_input_named_as_the_querys_internal_columns_is_refused(name: str) -> None:
    rubric = pingfen.loads(_rule("甲", "乙", f"input {name}: count\n"), "a.rule", tests=False)
    with pytest.raises(SqlRefusal) as refused:
        to_sql(rubric)
    assert refused.value.code == "PF810" and name in refused.value.message("en")


def test_two_inputs_alike_but_for_case_are_refused() -> None:
    rubric = pingfen.loads(_rule("甲", "乙", "input Rate: percent\n"), "a.rule", tests=False)
    with pytest.raises(SqlRefusal) as refused:
        to_sql(rubric)
    assert refused.value.code == "PF809"


def test_letters_beyond_ascii_are_two_names() -> None:
    """DuckDB folds ASCII letters only: `Ä` and `ä`, `Ｔｏｔａｌ` are names of their own."""
    to_sql(pingfen.loads(_rule("Ä", "ä"), "a.rule", tests=False))
    to_sql(pingfen.loads(_rule("Ｔｏｔａｌ", "乙"), "a.rule", tests=False))


@needs_duckdb
def test_the_engine_refuses_them_and_scores_letters_beyond_ascii(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,rate\n1,95%\n2,50%\n", encoding="utf-8")
    for first, second in [("A", "a"), ("Refusal", "Grade")]:
        (tmp_path / "a.rule").write_text(_rule(first, second), encoding="utf-8")
        err = io.StringIO()
        code = main(["eval", "--engine", "duckdb", str(tmp_path / "a.rule"), str(data), "-o", str(tmp_path / "o.csv")], io.StringIO(), err)
        assert code == 2 and ("PF809" in err.getvalue() or "PF805" in err.getvalue())
    (tmp_path / "a.rule").write_text(_rule("Ä", "ä"), encoding="utf-8")
    out = tmp_path / "o.csv"
    assert main(["eval", "--engine", "duckdb", str(tmp_path / "a.rule"), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["Ä"], r["ä"], r["total"]) for r in rows] == [("10", "10", "20.00"), ("0", "10", "10.00")]


@needs_duckdb
def test_pingfen_sql_refuses_an_input_named_as_an_internal_column(tmp_path: Path) -> None:
    (tmp_path / "a.rule").write_text(_rule("甲", "乙", "input _pf_40: count\n"), encoding="utf-8")
    err = io.StringIO()
    assert main(["sql", str(tmp_path / "a.rule")], io.StringIO(), err) == 2
    assert "PF810" in err.getvalue()


NA_LABELS = """rubric "nal" {
  total 20
}
input 类: label { 甲, NA, 不适用 }
input 有: bool
indicator A 10 {
  applies if 有 else rescale
  match 类 {
    甲 -> 10
    NA -> 5
    不适用 -> 3
  }
}
indicator B 10 { award 10 if 有 }
"""


@needs_duckdb
@pytest.mark.parametrize("said", ["NA", " NA ", "不适用", "甲", "na", "无此项", "n/a"])
def test_a_label_declared_as_a_not_applicable_word_is_that_label(said: str) -> None:
    """`label { 甲, NA, 不适用 }` on an optional input: the cell `NA` is the label NA (A scores
    5), in the query as in evaluate(), with spaces around it too; a word not declared (`na`,
    `无此项`) still marks A 不适用. Before, the query marked `NA` and `不适用` (A rescaled away)
    and evaluate() read ` NA ` as the mark but `NA` as the label."""
    import duckdb

    import sqlhelp

    rubric = pingfen.loads(NA_LABELS, "a.rule", tests=False)
    record: dict[str, object] = {"类": said, "有": True}
    result = rubric.evaluate(record)
    label = said.strip() in ("甲", "NA", "不适用")
    assert result.applies("A") is label
    (row,) = sqlhelp.score(duckdb.connect(), rubric, [record])
    sqlhelp.agree(rubric, record, row)


COUNTED = """rubric "c" {
  total 10
}
input 报价: amount > 0
let 家数 = batch count(报价)
let 名次 = batch rank(报价)
indicator 甲 10 {
  FORM
}
"""


@needs_duckdb
@pytest.mark.parametrize("form", [
    "award 10 if 家数 >= 3", "deduct 1 if 家数 < 3", "deduct 1 per 名次", "score = 家数", "score = 名次 + 家数",
    "award 2 if 名次 <= 1", "deduct 2 per 1 of 家数 above 2", "score = 家数 / 2",
])  # fmt: skip
def test_a_batch_count_or_rank_read_by_any_rule_scores_as_evaluate_does(form: str, tmp_path: Path) -> None:
    """`batch count(…)` and `batch rank(…)` are whole numbers of no column of the relation:
    before, the query read them as one (its 64-bit form at the first layer, the window's value
    at the third), and DuckDB stopped: Binder Error, "家数" not found (PF831)."""
    import duckdb

    import sqlhelp

    rubric = pingfen.loads(COUNTED.replace("FORM", form), "a.rule", tests=False)
    records: list[dict[str, object]] = [{"id": i, "报价": p} for i, p in enumerate([100, 80, 120, 80])]
    rows = sqlhelp.score(duckdb.connect(), rubric, records)
    for record, row in zip(sqlhelp.batched(rubric, records), rows, strict=True):
        sqlhelp.agree(rubric, record, row)
    (tmp_path / "a.rule").write_text(COUNTED.replace("FORM", form), encoding="utf-8")
    (tmp_path / "d.csv").write_text("id,报价\nA,100\nB,80\nC,120\nD,80\n", encoding="utf-8")
    printed = io.StringIO()
    assert main(["eval", str(tmp_path / "a.rule"), str(tmp_path / "d.csv"), "--format", "csv"], printed, io.StringIO()) == 0
    python = [r["总分"] if "总分" in r else r["total"] for r in csv.DictReader(io.StringIO(printed.getvalue().lstrip("\ufeff")))]
    out = tmp_path / "o.csv"
    assert main(["eval", "--engine", "duckdb", str(tmp_path / "a.rule"), str(tmp_path / "d.csv"), "-o", str(out)], io.StringIO(), io.StringIO()) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert [r["total"] for r in csv.DictReader(handle)] == python

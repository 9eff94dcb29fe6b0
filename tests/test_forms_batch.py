"""Values across a batch (issue 10, item 9): `let 基准价 = batch min(报价)`, worked out over
the records of one batch before any is scored; refused (PF541) for a record scored alone
unless the record carries the value."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pingfen
from pingfen.cli import main
from pingfen.syntax.formatter import format_text
from pingfen.template import render_template

ROOT = Path(__file__).resolve().parents[1]

BIDS = """\
rubric "报价" {
  total 40
}

input 报价: amount > 0 "投标报价（万元）"
input 完成率: percent >= 0 and <= 100%

let 基准价 = batch min(报价)
let 平均完成率 = batch mean(完成率)
let 名次 = batch rank(完成率)

indicator 价格分 30 {
  score = min(基准价 / 报价, 100%) * 30
}

indicator 完成情况 5 {
  when 完成率 >= 平均完成率 -> 5
  else                      -> 2
}

indicator 排名 5 {
  bands 名次 {
    <= 1   -> 5
    (1, 3] -> 3
    else   -> 0
  }
}
"""
ROWS = [
    {"id": "A", "报价": 100, "完成率": "90%"},
    {"id": "B", "报价": 80, "完成率": "95%"},
    {"id": "C", "报价": 120, "完成率": "80%"},
    {"id": "D", "报价": 90, "完成率": "95%"},
]


@pytest.fixture(scope="module")
def rubric() -> pingfen.Rubric:
    return pingfen.loads(BIDS, "bids.rule")


def test_batch_values_are_worked_out_over_the_batch(rubric: pingfen.Rubric) -> None:
    values = rubric.batch_values(ROWS)
    assert [v["基准价"] for v in values] == [Decimal(80)] * 4
    assert [v["平均完成率"] for v in values] == [Decimal("0.9")] * 4
    assert [v["名次"] for v in values] == [3, 1, 4, 1]  # B and D share the first place


def test_evaluate_many_scores_each_row_against_its_batch(rubric: pingfen.Rubric) -> None:
    results = list(rubric.evaluate_many(ROWS, key="id"))
    assert all(isinstance(r, pingfen.Result) for r in results), results
    scores = [(r["价格分"].score, r["完成情况"].score, r["排名"].score) for r in results]  # type: ignore[index]
    assert scores == [(24, 5, 3), (30, 5, 5), (20, 2, 0), (Decimal(80) / Decimal(90) * 30, 5, 5)]


def test_the_walker_scores_a_row_with_its_batch_values_as_the_compiled_code(rubric: pingfen.Rubric) -> None:
    for row, extra in zip(ROWS, rubric.batch_values(ROWS), strict=True):
        record = {**row, **extra}
        assert rubric.evaluate(record) == rubric.walker().evaluate(rubric.coerce(record))


def test_a_record_alone_is_refused_naming_each_batch_value(rubric: pingfen.Rubric) -> None:
    with pytest.raises(pingfen.DataError) as info:
        rubric.evaluate({"报价": 100, "完成率": "90%"})
    assert [(p.code, p.input) for p in info.value.problems] == [
        ("PF541", "基准价"), ("PF541", "平均完成率"), ("PF541", "名次")
    ]  # fmt: skip
    assert "batch min(报价)" in info.value.problems[0].message("zh")
    assert "score the records together" in info.value.problems[0].message("en")


def test_a_record_alone_may_carry_its_batch_values(rubric: pingfen.Rubric) -> None:
    result = rubric.evaluate({"报价": 100, "完成率": "90%", "基准价": 80, "平均完成率": "90%", "名次": 3})
    assert (result["价格分"].score, result["排名"].score) == (24, 3)


def test_a_refused_row_is_left_out_of_the_batch(rubric: pingfen.Rubric) -> None:
    rows = [*ROWS, {"id": "E", "报价": "免费", "完成率": "99%"}]
    values = rubric.batch_values(rows)
    assert values[0]["基准价"] == 80  # not spoilt by E's 报价
    assert values[4]["名次"] == 1  # 完成率 is valid: E is ranked
    results = list(rubric.evaluate_many(rows, key="id"))
    assert isinstance(results[4], pingfen.DataError) and results[4].problems[0].code == "PF502"


PANEL = """rubric "评审" { total 5 }
input 专家: list of score >= 0 and <= 10
let 均分 = batch mean(trimmed_mean(专家))
indicator 专家分 5 { score = if trimmed_mean(专家) >= 均分 then 5 else 3 }
"""


def test_a_row_where_the_batch_expression_refuses_is_left_out_and_the_rest_scored(tmp_path: Path) -> None:
    """trimmed_mean of two marks refuses (PF540): that row is left out of the batch mean and
    refused by its own rule, and every other row is scored, from Python and on the command line."""
    rubric = pingfen.loads(PANEL)
    rows = [{"id": "A", "专家": [8, 9, 7]}, {"id": "B", "专家": [9, 9]}, {"id": "C", "专家": [6, 6, 6]}]
    assert [v["均分"] for v in rubric.batch_values(rows)] == [7, 7, 7]  # (8 + 6) / 2: B left out
    a, b, c = rubric.evaluate_many(rows, key="id")
    assert isinstance(a, pingfen.Result) and a.total == 5
    assert isinstance(c, pingfen.Result) and c.total == 3
    assert isinstance(b, pingfen.DataError) and b.record == "B" and b.code == "PF540"
    rule, data = tmp_path / "评审.rule", tmp_path / "评审.csv"
    rule.write_text(PANEL, encoding="utf-8")
    data.write_text("id,专家1,专家2,专家3\nA,8,9,7\nB,9,9,\nC,6,6,6\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["eval", str(rule), str(data)], out, err) == 1, err.getvalue()
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("A,5,5.00") and lines[3].startswith("C,3,3.00") and "PF540" in lines[2], lines


def test_pingfen_eval_on_a_table_is_the_documented_output(tmp_path: Path) -> None:
    rule, data = tmp_path / "报价.rule", tmp_path / "报价.csv"
    rule.write_text(BIDS, encoding="utf-8")
    data.write_text("id,报价,完成率\nA,100,90%\nB,80,95%\nC,120,80%\nD,90,95%\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["eval", str(rule), str(data)], out, err) == 0, err.getvalue()
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    shown = re.search(r"\$ pingfen eval 报价.rule 报价.csv\n(.*?)```", page, re.S)
    assert shown is not None
    assert out.getvalue().replace("\r\n", "\n") == shown.group(1)


def test_pingfen_eval_on_one_record_is_refused(tmp_path: Path) -> None:
    rule, data = tmp_path / "报价.rule", tmp_path / "one.yaml"
    rule.write_text(BIDS, encoding="utf-8")
    data.write_text("报价: 100\n完成率: 90%\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["eval", "--lang", "en", str(rule), str(data)], out, err) != 0
    assert "[PF541]" in err.getvalue() or "PF541" in err.getvalue(), err.getvalue()


def test_pingfen_report_of_one_row_of_a_table_scores_it_against_the_tables_batch(tmp_path: Path) -> None:
    """`pingfen report RULE 报价.csv --id B` was refused PF541 ("score the records together"), as
    a record alone is, though the file holds the batch; the folder of reports scored B. Now it
    is scored against its file's rows, as `pingfen eval` of the file scores it."""
    from pingfen.batch import report_file

    rule, data = tmp_path / "报价.rule", tmp_path / "报价.csv"
    rule.write_text(BIDS, encoding="utf-8")
    data.write_text("id,报价,完成率\nA,100,90%\nB,80,95%\nC,120,80%\nD,90,95%\n", encoding="utf-8")
    rubric = pingfen.load(rule)
    expected = list(rubric.evaluate_many(pingfen.read_records(data)))
    for id, scored in zip("ABCD", expected, strict=True):
        assert isinstance(scored, pingfen.Result)
        assert report_file(rubric, data, "md", id=id, out=io.StringIO()) == scored
    out, err = io.StringIO(), io.StringIO()
    assert main(["report", str(rule), str(data), "--id", "B"], out, err) == 0, err.getvalue()
    assert f"**总分**：{expected[1].total} / 40" in out.getvalue()
    one = tmp_path / "one.csv"  # a file of one row is a batch of one, as `pingfen eval` of it scores it
    one.write_text("id,报价,完成率\nA,100,90%\n", encoding="utf-8")
    assert report_file(rubric, one, "md", out=io.StringIO()).total == Decimal("40.00")


@given(st.lists(st.integers(1, 10_000), min_size=1, max_size=12))
def test_any_batch(prices: list[int]) -> None:
    rubric = pingfen.loads(BIDS, "bids.rule")
    rows = [{"报价": p, "完成率": f"{p % 101}%"} for p in prices]
    results = list(rubric.evaluate_many(rows))
    for row, result in zip(rows, results, strict=True):
        assert isinstance(result, pingfen.Result)
        assert result["价格分"].score == min(Decimal(min(prices)) / Decimal(row["报价"]), Decimal(1)) * 30  # type: ignore[arg-type]
        assert 0 <= result.total <= 40
    assert min(r["价格分"].score for r in results) >= 0  # type: ignore[index]
    assert max(r["价格分"].score for r in results) == 30  # the lowest bid scores full marks  # type: ignore[index]


@pytest.mark.parametrize(
    ("lets", "code"),
    [("let 实际 = 报价 * 2\nlet 基准价 = batch min(实际)", "PF153"),
     ("let 低价 = batch min(报价)\nlet 基准价 = batch min(低价)", "PF153"),
     ("let 基准价 = batch min(有资质)", "PF203")],
)  # fmt: skip
def test_a_batch_value_reads_numeric_inputs(lets: str, code: str) -> None:
    text = f'rubric "r" {{ total 30 }}\ninput 报价: amount > 0\ninput 有资质: bool\n{lets}\n' \
           "indicator 价格分 30 { score = min(基准价 / 报价, 100%) * 30 }\nindicator 资质 0 { deduct 1 if 有资质 }\n"  # fmt: skip
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(text, "bad.rule")
    assert code in [d.code for d in info.value.diagnostics if d.severity == "error"]


def test_the_checker_knows_a_batch_minimum_of_positive_bids_is_positive() -> None:
    text = 'rubric "r" { total 30 }\ninput 报价: amount > 0\nlet 基准价 = batch min(报价)\n' \
           "indicator 价格分 30 { score = min(报价 / 基准价, 100%) * 30 }\n"  # fmt: skip
    assert pingfen.loads(text, "ok.rule").warnings == ()  # 基准价 > 0: no PF410 for dividing by it
    unbounded = text.replace("amount > 0", "amount")
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(unbounded, "bad.rule")
    assert "PF410" in [d.code for d in info.value.diagnostics]


def test_fmt_and_template(rubric: pingfen.Rubric) -> None:
    assert format_text(BIDS) == BIDS
    assert render_template(rubric, "csv").splitlines()[0] == "id,报价,完成率"  # no column for a batch value
    assert "基准价" not in render_template(rubric, "yaml")


def test_a_row_that_gives_the_value_keeps_it(rubric: pingfen.Rubric) -> None:
    rows = [{**ROWS[0], "基准价": 50}, {**ROWS[1], "基准价": ""}]
    first, second = rubric.evaluate_many(rows)
    assert first["价格分"].score == 15  # 50 / 100 × 30: its own 基准价  # type: ignore[index]
    assert second["价格分"].score == 30  # a blank: the batch's, 80  # type: ignore[index]


def test_the_published_table_explains_each_batch_value(rubric: pingfen.Rubric) -> None:
    from pingfen.report.rubric_table import build_table

    rows = {row.name: row.explanation for row in build_table(rubric, "zh").rows}
    assert rows["价格分"] == "基准价为同批各记录报价的最小值。"
    assert rows["完成情况"] == "平均完成率为同批各记录完成率的平均值。"
    english = {row.name: row.explanation for row in build_table(rubric, "en").rows}
    assert english["价格分"] == "基准价 = the lowest 报价 of the batch's records."

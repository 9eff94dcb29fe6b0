"""Every public entry point that computes with Decimals gives, under a caller's hostile decimal
context (4 digits, ROUND_DOWN, Rounded and Inexact trapped), what it gives under the default
one: pingfen computes in its own context (`values.pinned`). `to_sql` built inside
`localcontext(prec=10)` rounded a total of 15.625 to 15.62; `boundary_records` found fewer
records, or raised `decimal.Rounded`."""

from __future__ import annotations

import decimal
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pingfen
from duckdb_helpers import require_duckdb
from pingfen import testing
from pingfen.batch import score_file
from pingfen.io.records import read_records
from pingfen.render import render_table
from pingfen.sql import Explainer, explain, to_sql, to_sql_tree

ROOT = Path(__file__).resolve().parent.parent
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
SEED = ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml"
DEPARTMENTS = ROOT / "examples" / "dept-overall-2021" / "departments.csv"
PRICE = """rubric "价格" {
  total 30
  round total 2 half_up
  grade 好 >= 15.63
  grade 差 otherwise
}
input 报价: amount > 0
input 满意度: percent >= 0 and <= 100%
indicator 价格分 20 {
  score = min(50 / 报价, 100%) * 20
}
indicator 满意 10 {
  deduct 0.5 per 1pp of 满意度 below 95% counting proportional
}
"""
# The reviewer's rubric: 50 / 96 * 30 = 15.625, a total the query made inside prec=10 rounded down.
REPRO = """rubric "价格" {
  total 30
  round total 2 half_up
}
input 报价: amount > 0
indicator 价格分 30 {
  score = min(50 / 报价, 100%) * 30
}
"""


@contextmanager
def hostile() -> Iterator[None]:
    with decimal.localcontext() as context:
        context.prec, context.rounding = 4, decimal.ROUND_DOWN
        context.traps[decimal.Rounded] = context.traps[decimal.Inexact] = True
        yield


def _same(call: Callable[[], Any]) -> None:
    expected = call()
    with hostile():
        got = call()
    assert repr(got) == repr(expected)


def _record() -> dict[str, object]:
    [record] = list(read_records(SEED))
    return dict(record)


def _rubrics() -> list[pingfen.Rubric]:
    return [pingfen.load(RULESET), pingfen.loads(PRICE)]


def test_the_sql_is_made_in_pingfens_context() -> None:
    for rubric in _rubrics():
        _same(lambda rubric=rubric: to_sql(rubric))
        _same(lambda rubric=rubric: to_sql(rubric, dialect="spark"))
        _same(lambda rubric=rubric: to_sql_tree(rubric).sql("duckdb"))
    duckdb = require_duckdb()
    repro = pingfen.loads(REPRO)
    with decimal.localcontext() as context:
        context.prec = 10
        sql = to_sql(repro, reasons=False)
    connection = duckdb.connect()
    connection.execute("CREATE TABLE records AS SELECT 96::DECIMAL(18,2) AS 报价")
    [row] = connection.execute(sql).fetchall()
    assert repro.evaluate({"报价": 96}).total == decimal.Decimal("15.63") == row[1]  # 15.625, half up: not 15.62


def test_the_reasons_are_worded_in_pingfens_context() -> None:
    rubric = pingfen.loads(PRICE)
    duckdb = require_duckdb()
    connection = duckdb.connect()
    connection.execute("CREATE TABLE records AS SELECT 96::DECIMAL(18,2) AS 报价, 0.9333::DECIMAL(18,4) AS 满意度")
    cursor = connection.execute(to_sql(rubric))
    names = [d[0] for d in cursor.description]
    fetched = cursor.fetchone()
    assert fetched is not None
    row = dict(zip(names, fetched, strict=True))
    _same(lambda: Explainer(rubric).explain(row, "zh"))
    _same(lambda: explain(rubric, row, "en"))


def test_the_testing_helpers_compute_in_pingfens_context() -> None:
    for rubric in _rubrics():
        _same(lambda rubric=rubric: testing.targets(rubric))
        _same(lambda rubric=rubric: testing.boundary_values(rubric))
        _same(lambda rubric=rubric: testing.boundary_records(rubric))
        _same(lambda rubric=rubric: testing.round_record(rubric))
        _same(lambda rubric=rubric: testing.extremes(rubric))
        for spec in rubric.inputs:
            if spec.type in testing.STEPS and not spec.is_list:
                _same(lambda spec=spec: testing.grid_range(spec))
                _same(lambda spec=spec: [testing.from_grid(spec, n) for n in (123456789, -5, 0, 10**12 + 7)])


def test_the_strategies_draw_in_pingfens_context() -> None:
    from hypothesis import given, settings

    rubric = pingfen.load(RULESET)
    drawn: list[dict[str, object]] = []

    @settings(max_examples=20, database=None, derandomize=True)
    @given(testing.boundary_inputs(rubric), testing.inputs(rubric))
    def draw(near: dict[str, object], anywhere: dict[str, object]) -> None:
        drawn.extend((near, anywhere))

    draw()
    expected = list(drawn)
    drawn.clear()
    with hostile():
        draw()
    assert drawn == expected


def test_scoring_and_results_in_pingfens_context() -> None:
    rubric, record = pingfen.load(RULESET), _record()
    _same(lambda: rubric.evaluate(record).to_json())
    _same(lambda: rubric.evaluate(record, lang="en").to_dict())
    _same(lambda: [r.to_json() for r in rubric.evaluate_many([record, {**record, "在职人数": 13}])])
    _same(lambda: rubric.coerce(record))
    _same(lambda: rubric.round_total(decimal.Decimal("88.456789")))
    _same(lambda: rubric.grade_for(decimal.Decimal("89.995")))
    result = rubric.evaluate({**record, "在职人数": 13})
    _same(lambda: (result.total, result.scores(), [n.reasons for n in result.nodes()]))
    _same(lambda: [n.reasons_in("en") for n in result.nodes()])
    _same(lambda: [n.to_dict("zh") for n in result.nodes()])
    _same(lambda: rubric.score_node("财政供养人员控制率", record).to_dict("zh"))


def test_fuzz_in_pingfens_context() -> None:
    from pingfen.fuzz import counterexample_files, fuzz, render

    for rubric in _rubrics():
        _same(lambda rubric=rubric: fuzz(rubric, max_examples=30, seed=1))
        report = fuzz(rubric, max_examples=30, seed=1)
        _same(lambda report=report: (render(report, "zh"), counterexample_files(report)))


def test_the_library_entry_points_in_pingfens_context(tmp_path: Path) -> None:
    text = RULESET.read_text(encoding="utf-8")
    _same(lambda: pingfen.loads(text).evaluate(_record()).total)
    _same(lambda: [d.message("zh") for d in pingfen.diagnose(text)])
    _same(lambda: pingfen.format_text(text))
    _same(lambda: pingfen.run_examples(pingfen.load(RULESET), coverage=True).outcomes)
    _same(lambda: list(pingfen.read_records(DEPARTMENTS)))

    def batch() -> str:
        out = io.StringIO()
        score_file(pingfen.load(RULESET), DEPARTMENTS, None, "csv", out=out, jobs=1)
        return out.getvalue()

    _same(batch)

    def table() -> str:
        out = io.StringIO()
        render_table(pingfen.load(RULESET), "md", out=out)
        return out.getvalue()

    _same(table)


# A rubric with rows outside the tree: a penalty's points (its score less its max), a node's
# `lost`, an audit's sums and a report's chart were worked out in the caller's context.
OUTSIDE = """rubric "罚" {
  total 10
  cap total 12
  grade 合格 >= 6
  grade 不合格 otherwise
}
input 在职人数: count
input 编制人数: count > 0
let 率 = 在职人数 / 编制人数
group 甲 10 {
  indicator 控制率 10 {
    deduct 0.5 per 1pp of 率 above 100% counting proportional
  }
}
bonus 创新 3 {
  score = 率 * 1.7
}
penalty 违规扣分 10 {
  deduct 0.3 per 1pp of 率 above 100% counting proportional
}
"""


def test_outside_rows_reports_and_audits_in_pingfens_context(tmp_path: Path) -> None:
    from pingfen.audit import audit
    from pingfen.report import write_report

    rubric, record = pingfen.loads(OUTSIDE), {"在职人数": 13, "编制人数": 12}
    result = rubric.evaluate(record)
    _same(lambda: rubric.evaluate(record).to_json())
    _same(lambda: [line.points for line in result.outside()])
    _same(lambda: [node.lost for node in result.nodes()])

    def report(fmt: str) -> str:
        out = io.StringIO()
        write_report(result, fmt, out=out)
        return out.getvalue()

    _same(lambda: report("html"))
    _same(lambda: report("md"))
    data = tmp_path / "data.csv"
    data.write_text("id,在职人数,编制人数\na,13,12\n", encoding="utf-8")

    def batch() -> str:
        out = io.StringIO()
        score_file(rubric, data, None, "csv", out=out, jobs=1)
        return out.getvalue()

    _same(batch)
    declared = {"控制率": "5.83333", "甲": "5.83334", "违规扣分": "7.5", "创新": "1.84167", "total": "3.42"}
    _same(lambda: audit(rubric, declared, record))

"""Signed rows after the tree (issue 10, item 3): `adjust NAME -A .. +B` (加减分项), whose rules
add and take from 0, the sum kept in [−A, +B] and counted signed with the bonus and penalty
rows, before `cap total`; on both evaluators, in the checker, JSON, every report, audit, the
published table, diff, fmt, the highlighters and `pingfen sql`'s refusal."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen.check.passes import check
from pingfen.diff import diff
from pingfen.evaluate import walker as oracle
from pingfen.fuzz import fuzz
from pingfen.highlight import PingfenLexer
from pingfen.report.docx import write_docx
from pingfen.report.html import render_html
from pingfen.report.markdown import render_markdown
from pingfen.report.table import render_table
from pingfen.report.xlsx import write_xlsx
from pingfen.sql import to_sql
from pingfen.syntax.formatter import format_text
from pingfen.syntax.parser import parse

RUBRIC = """\
rubric "加减分" {
  total 100
  cap total 100
  grade 优秀 >= 90
  grade 合格 otherwise
}

input 完成率: percent >= 0 and <= 100%
input 获省级表彰: bool
input 获国家级表彰: bool
input 发现问题数: count

indicator 完成率 100 {
  score = 完成率 * 100
}

adjust 加减分 -2 .. +2 {
  award 0.5 if 获省级表彰
  award 2 if 获国家级表彰
  deduct 0.5 per 发现问题数
}
"""

RECORDS = [
    # 0.5 added, 2 taken: -1.5
    ({"完成率": "92%", "获省级表彰": True, "获国家级表彰": False, "发现问题数": 4}, "-1.5", "90.50", None),
    # 6 problems: -3, held at -2
    ({"完成率": "90%", "获省级表彰": False, "获国家级表彰": False, "发现问题数": 6}, "-2", "88.00", "low"),
    # 2.5 added: held at +2; then the cap keeps the total at 100
    ({"完成率": "99%", "获省级表彰": True, "获国家级表彰": True, "发现问题数": 0}, "2", "100.00", "high"),
    # nothing either way: 0, no reason
    ({"完成率": "80%", "获省级表彰": False, "获国家级表彰": False, "发现问题数": 0}, "0", "80.00", None),
]


@pytest.fixture(scope="module")
def rubric() -> pingfen.Rubric:
    return pingfen.loads(RUBRIC, "signed.rule")


def _walked(rubric: pingfen.Rubric, record: dict[str, object]) -> pingfen.Result:
    module, _ = parse(RUBRIC)
    assert module is not None
    return oracle.evaluate(module, check(module), RUBRIC, rubric.coerce(record))


@pytest.mark.parametrize(("record", "points", "total", "clamped"), RECORDS)
def test_both_evaluators_count_the_signed_row(
    rubric: pingfen.Rubric, record: dict[str, object], points: str, total: str, clamped: str | None
) -> None:
    compiled, walked = rubric.evaluate(record), _walked(rubric, record)
    assert compiled == walked
    (line,) = compiled.outside()
    assert (line.kind, line.points, line.low, str(compiled.total)) == ("adjust", Decimal(points), -2, total)
    assert line.node.clamped == clamped
    for lang in ("zh", "en"):
        assert line.node.reasons_in(lang) == walked.outside()[0].node.reasons_in(lang)


def test_reasons_say_what_was_added_taken_and_held(rubric: pingfen.Rubric) -> None:
    added = rubric.evaluate(RECORDS[0][0]).outside()[0].node
    assert added.reasons == ["“获省级表彰”成立，加 0.5 分", "发现问题数为 4，每项扣 0.5 分，扣 2 分"]
    assert added.reasons_in("en")[0] == "met: 获省级表彰 (+0.5)"
    low = rubric.evaluate(RECORDS[1][0]).outside()[0].node
    assert low.reasons[-1] == "合计 -3 分，低于下限 -2 分，按 -2 分计"
    assert low.reasons_in("en")[-1] == "-3 in all, below the least -2: counted -2"
    high = rubric.evaluate(RECORDS[2][0]).outside()[0].node
    assert high.reasons[-1] == "合计 +2.5 分，超过上限 +2 分，按 +2 分计"
    assert rubric.evaluate(RECORDS[3][0]).outside()[0].node.reasons == []  # an award not held loses nothing


def test_the_total_is_never_below_0_and_the_cap_comes_after() -> None:
    small = RUBRIC.replace("score = 完成率 * 100", "score = 完成率 * 1").replace("total 100\n  cap total 100", "total 100")
    small = small.replace("indicator 完成率 100", "indicator 完成率 100")
    rubric = pingfen.loads(small.replace("grade 优秀 >= 90\n  grade 合格 otherwise", "grade 合格 otherwise"), tests=False)
    record = {"完成率": "50%", "获省级表彰": False, "获国家级表彰": False, "发现问题数": 6}
    assert rubric.evaluate(record).total == 0  # 0.5 − 2: never below 0
    assert _walked_text(rubric, record).total == 0
    uncapped = pingfen.loads(RUBRIC.replace("  cap total 100\n", ""))
    assert uncapped.evaluate(RECORDS[2][0]).total == Decimal("101.00")  # 99 + 2 without a cap


def _walked_text(rubric: pingfen.Rubric, record: dict[str, object]) -> pingfen.Result:
    return rubric.walker().evaluate(rubric.coerce(record))


def test_json_gives_the_signed_points_and_the_range(rubric: pingfen.Rubric) -> None:
    data = json.loads(rubric.evaluate(RECORDS[1][0]).to_json())
    assert data["outside"] == [{
        "kind": "adjust", "name": "加减分", "max": 2, "points": -2, "min": -2,
        "reasons": ["发现问题数为 6，每项扣 0.5 分，扣 3 分", "合计 -3 分，低于下限 -2 分，按 -2 分计"],
    }]  # fmt: skip
    assert [c["name"] for c in data["children"]] == ["完成率"]


def test_text_reports_show_the_row_after_the_tree(rubric: pingfen.Rubric) -> None:
    result = rubric.evaluate(RECORDS[0][0])
    for text in (render_table(result), render_markdown(result), render_html(result)):
        tree, row = text.index("完成率"), text.index("加减分项：加减分")
        assert tree < row < text.rindex("90.50")
        assert "-2 至 +2" in text and "-1.5" in text
    assert "adjust: 加减分" in render_table(result, "en") and "-2 to +2" in render_table(result, "en")


def test_office_reports_show_the_row(rubric: pingfen.Rubric, tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    result = rubric.evaluate(RECORDS[0][0])
    write_xlsx(result, tmp_path / "r.xlsx")
    cells = [c.value for row in load_workbook(tmp_path / "r.xlsx").active.iter_rows() for c in row]
    assert "加减分项：加减分" in cells and "-1.5" in cells and "-2 至 +2" in cells
    write_docx(result, tmp_path / "r.docx")
    texts = [c.text for t in Document(str(tmp_path / "r.docx")).tables for row in t.rows for c in row.cells]
    assert "加减分项：加减分" in texts and "-1.5" in texts


@pytest.mark.parametrize(
    ("ends", "codes"),
    [("-2 .. +2", []), ("2 .. +2", ["PF223"]), ("-2 .. -1", ["PF223"]), ("0 .. 0", ["PF224"]), ("0 .. 2", [])],
)
def test_the_checker_holds_the_range(ends: str, codes: list[str]) -> None:
    text = RUBRIC.replace("adjust 加减分 -2 .. +2", f"adjust 加减分 {ends}").replace("award 2 if", "award 0.5 if")
    found = [d.code for d in pingfen.diagnose(text) if d.severity == "error"]
    assert found == codes


def test_awards_past_the_upper_end_are_kept_to_it_not_refused() -> None:
    # PF301 (awards past the max) is an indicator's: an adjust row's sum is kept in its range
    text = RUBRIC.replace("award 0.5 if 获省级表彰", "award 1.5 if 获省级表彰")
    assert [d.code for d in pingfen.diagnose(text) if d.severity == "error"] == []
    penalty = text.replace("adjust 加减分 -2 .. +2", "bonus 加减分 2").replace("  deduct 0.5 per 发现问题数\n", "")
    assert "PF301" in [d.code for d in pingfen.diagnose(penalty)]


def test_the_range_proof_counts_the_signed_row() -> None:
    """A grade only the row's +2 reaches is given (no PF412); with +1 it is unreachable."""
    above = RUBRIC.replace("  cap total 100\n", "").replace("grade 优秀 >= 90", "grade 卓越 >= 101.5\n  grade 优秀 >= 90")
    assert "PF412" not in [w.code for w in pingfen.loads(above).warnings]
    assert "PF412" in [w.code for w in pingfen.loads(above.replace("-2 .. +2", "-2 .. +1")).warnings]
    capped = above.replace("total 100\n", "total 100\n  cap total 101\n", 1)
    assert "PF412" in [w.code for w in pingfen.loads(capped).warnings]  # the cap comes after the row


def test_fmt_keeps_the_row() -> None:
    once = format_text(RUBRIC.replace("adjust 加减分 -2 .. +2", "adjust 加减分 －2 .. 2"))
    assert "adjust 加减分 -2 .. +2 {" in once
    assert format_text(once) == once
    assert pingfen.loads(once).evaluate(RECORDS[0][0]).total == Decimal("90.50")


def test_audit_checks_the_row_and_counts_it_signed(rubric: pingfen.Rubric) -> None:
    from pingfen.audit import audit

    inputs = RECORDS[0][0]
    ignored = audit(rubric, {"完成率": 92, "总分": 92}, inputs)  # the tree alone: the −1.5 left out
    [finding] = ignored.findings
    assert (finding.kind, finding.declared, finding.expected) == ("total", 92, Decimal("90.50"))
    assert dict(finding.parts) == {"完成率": 92, "加减分": Decimal("-1.5")}
    assert audit(rubric, {"完成率": 92, "加减分": "-1.5", "总分": "90.5"}, inputs).findings == ()
    below = audit(rubric, {"加减分": -3}, inputs)
    assert [(f.kind, f.expected) for f in below.findings][0] == ("below_zero", -2)  # below its lower end


def test_the_published_table_states_the_row(rubric: pingfen.Rubric) -> None:
    from pingfen.report.rubric_table import build_table
    from pingfen.report.rubric_table import render_markdown as table_markdown

    zh = table_markdown(build_table(rubric, "zh"))
    assert "加减分项：加减分" in zh
    assert "获省级表彰，加0.5分" in zh and "合计在-2至+2分之间" in zh and "扣完为止" not in zh.split("加减分项")[1]
    assert "in all between -2 and +2" in table_markdown(build_table(rubric, "en"))


def test_diff_names_an_added_removed_or_changed_row(rubric: pingfen.Rubric) -> None:
    without = pingfen.loads(RUBRIC.split("adjust")[0])
    added = diff(without, rubric).changes
    assert [(c.kind, c.node, c.new) for c in added] == [("row_added", "加减分", "adjust 加减分 -2 .. +2")]
    removed = diff(rubric, without).changes
    assert [(c.kind, c.node, c.old) for c in removed] == [("row_removed", "加减分", "adjust 加减分 -2 .. +2")]
    wider = pingfen.loads(RUBRIC.replace("-2 .. +2", "-3 .. +2"))
    assert [(c.kind, c.old, c.new) for c in diff(rubric, wider).changes] == [
        ("max_changed", "adjust 加减分 -2 .. +2", "adjust 加减分 -3 .. +2")
    ]
    assert diff(rubric, pingfen.loads(RUBRIC)).empty


def test_sql_compiles_it() -> None:
    # issue 11: `pingfen sql` scores an adjust row (tests/test_sql_forms_last.py scores it on DuckDB)
    query = to_sql(pingfen.loads(RUBRIC.replace("  cap total 100\n", "")))
    assert '"加减分"' in query


def test_the_highlighters_know_the_words() -> None:
    tokens = [(str(t), v) for t, v in PingfenLexer().get_tokens(RUBRIC) if v in ("adjust", "..")]
    assert tokens == [("Token.Keyword", "adjust"), ("Token.Operator", "..")]


def test_fuzz_holds_the_range_and_sums(rubric: pingfen.Rubric) -> None:
    report = fuzz(rubric, max_examples=40, seed=2)
    assert report.passed, [f.check for f in report.failures]


def test_a_rubric_example_may_expect_a_negative_row() -> None:
    example = """
example "问题多" {
  given { 完成率: 90%, 获省级表彰: false, 获国家级表彰: false, 发现问题数: 6 }
  expect 加减分 = -2
  expect total = 88
}
"""
    rubric = pingfen.loads(RUBRIC + example)  # the example runs at load: -2 is in [-2, +2]
    assert rubric.evaluate(RECORDS[1][0]).score("加减分") == -2
    wrong = RUBRIC + example.replace("expect 加减分 = -2", "expect 加减分 = -3")
    assert "PF607" in [d.code for d in pingfen.diagnose(wrong)]  # below its lower end

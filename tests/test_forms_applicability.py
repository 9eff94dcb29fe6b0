"""不适用: rows that apply only when a condition holds or the data does not mark them
(`applies [if COND] else full|zero|rescale`), in both evaluators, the checker, results,
JSON, reports and the formatter."""

from __future__ import annotations

import csv
import functools
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pingfen
from oracle_check import both
from pingfen import ast
from pingfen.audit import audit
from pingfen.batch import score_file
from pingfen.check.passes import check
from pingfen.evaluate import walker as oracle
from pingfen.fuzz import dropped, level_sum
from pingfen.report.markdown import render_markdown
from pingfen.report.table import render_table
from pingfen.syntax.formatter import format_module
from pingfen.syntax.parser import parse
from pingfen.testrun import run_examples

D = Decimal
GOLDEN = Path(__file__).parent / "golden" / "forms" / "applicability.rule"

RUBRIC = """
rubric "项目" {
  total 20
  grade 优秀 >= 18
  grade 良好 >= 12
  grade 合格 otherwise
}
input 有项目: bool
input 完成率: percent >= 0 and <= 100%
input 到位率: percent >= 0 and <= 100%
input 次数: count
input 制度健全: bool

let 差额 = 100% - 完成率

group 项目管理 10 {
  indicator 完成 4 {
    applies if 有项目 else rescale
    deduct 1 per 10pp of 差额 counting proportional
  }
  indicator 到位 3 {
    applies else full
    bands 到位率 {
      >= 90% -> 3
      else   -> 1
    }
  }
  indicator 培训 3 {
    applies if 有项目 else zero
    award 3 if 次数 >= 2
  }
}
group 制度 10 {
  applies else rescale
  indicator 健全 10 { award 10 if 制度健全 }
}
"""


@pytest.fixture(scope="module")
def rubric() -> pingfen.Rubric:
    return pingfen.loads(RUBRIC)


def test_the_optional_inputs_are_those_read_only_by_rows_that_may_not_apply(rubric: pingfen.Rubric) -> None:
    # 有项目 decides whether rows apply, outside any such row: it must be given
    assert rubric.optional == {"完成率", "到位率", "次数", "制度健全"}
    with pytest.raises(pingfen.DataError) as refused:
        rubric.evaluate({"完成率": "90%"})
    assert refused.value.code == "PF501" and refused.value.input == "有项目"


def test_a_condition_that_fails_counts_the_row_as_its_mode_says(rubric: pingfen.Rubric) -> None:
    result = both(rubric, {"有项目": False, "到位率": "95%", "制度健全": True})
    assert [result.applies(n) for n in ("完成", "到位", "培训")] == [False, True, False]
    assert result.score("培训") == 0  # zero: counted, 0 of its 3
    # 完成 is left out: (3 + 0) of the 6 that apply, × 10
    assert result.score("项目管理") == 5
    assert result["项目管理"].reasons == ["有不适用的项，折算：得分 3 ÷ 适用分值 6 × 10"]
    assert result["完成"].reasons == ["不适用：“有项目”不成立，不计入，上级得分按适用分值折算"]
    assert result["培训"].reasons_in("en") == ['not applicable: "有项目" does not hold; counted as 0']
    assert result.raw_total == 15 and result.grade == "良好"


def test_inputs_of_a_row_that_does_not_apply_need_not_be_given(rubric: pingfen.Rubric) -> None:
    result = both(rubric, {"有项目": False, "到位率": "95%", "制度健全": True})
    assert result.score("项目管理") == 5
    # …but a row that applies needs them: refused, naming the input
    with pytest.raises(pingfen.DataError) as refused:
        rubric.evaluate({"有项目": True, "到位率": "95%", "制度健全": True, "次数": 1})
    assert refused.value.code == "PF501" and refused.value.input == "完成率"


@pytest.mark.parametrize("word", ["不适用", "N/A", "n/a", " NA ", "无此项"])
def test_the_data_marks_a_row_not_applicable(rubric: pingfen.Rubric, word: str) -> None:
    result = both(rubric, {"有项目": True, "完成率": "100%", "到位率": word, "次数": 2, "制度健全": True})
    assert not result.applies("到位") and result.score("到位") == 3  # full: its max
    assert result["到位"].reasons == ["不适用：数据标为不适用（到位率），按满分计算"]
    assert result.total == D("20.00")


def test_a_group_marked_not_applicable_drops_out_and_the_total_is_rescaled(rubric: pingfen.Rubric) -> None:
    result = both(rubric, {"有项目": False, "到位率": "80%", "制度健全": "不适用"})
    assert not result.applies("制度") and not result.applies("健全")
    # (1 + 0) / 6 × 10, exact to 28 digits; only the total is rounded, as the header says
    assert result.score("项目管理") == D("1.666666666666666666666666667")
    assert result.raw_total == D("1.666666666666666666666666667") * 20 / 10
    assert result.total == D("3.33")


def test_nothing_applies_is_refused_with_pf535() -> None:
    text = """
rubric "x" { total 10 }
input 有项目: bool
input 率: percent >= 0 and <= 100%
indicator 甲 10 {
  applies if 有项目 else rescale
  bands 率 {
    >= 90% -> 10
    else   -> 5
  }
}
"""
    rubric = pingfen.loads(text)
    assert [w.code for w in rubric.warnings] == ["PF430"]
    for scorer in (rubric.evaluate, lambda r: rubric.walker().evaluate(rubric.coerce(r))):
        with pytest.raises(pingfen.DataError) as refused:
            scorer({"有项目": False})
        assert refused.value.code == "PF535"


def test_a_required_input_cannot_say_not_applicable(rubric: pingfen.Rubric) -> None:
    with pytest.raises(pingfen.DataError) as refused:
        rubric.evaluate({"有项目": "不适用"})
    assert refused.value.input == "有项目" and refused.value.code != "PF501"


def test_json_and_reports_show_not_applicable(rubric: pingfen.Rubric) -> None:
    result = rubric.evaluate({"有项目": False, "到位率": "不适用", "制度健全": True})
    data = result.to_dict()
    group = data["children"][0]
    done, put = group["children"][0], group["children"][1]
    assert (done["score"], done["counted"]) == ("不适用", 0)
    assert (put["score"], put["counted"]) == ("不适用", 3)
    assert "score" in data["children"][1] and data["children"][1]["score"] == 10
    english = result.to_dict("en")["children"][0]["children"][0]
    assert english["score"] == "N/A"
    assert '"score": "不适用"' in result.to_json()
    for text in (render_table(result), render_markdown(result)):
        assert "不适用" in text
    assert "N/A" in render_table(result, "en")


def test_score_node_gives_a_row_that_does_not_apply(rubric: pingfen.Rubric) -> None:
    assert "有项目" in rubric.node("完成").inputs  # its condition is read too
    node = rubric.score_node("完成", {"有项目": False})
    assert not node.applies and node.score == 0


def test_the_formatter_keeps_applies_first_and_the_meaning() -> None:
    module, diagnostics = parse(RUBRIC)
    assert module is not None and not diagnostics
    text = format_module(module)
    assert "    applies if 有项目 else rescale\n" in text and "  applies else rescale\n" in text
    again, _ = parse(text)
    assert again == module and format_module(again) == text
    full = next(n for n, _ in ast.walk_nodes(module.top) if n.name.text == "到位")
    assert full.applies == ast.Applies("full")


def test_pf140_when_no_data_can_mark_the_row() -> None:
    codes = [d.code for d in pingfen.diagnose('rubric "x" { total 5 }\nindicator 甲 5 { applies else zero score = 5 }')]
    assert codes == ["PF140"]


def test_the_condition_must_be_a_condition() -> None:
    text = 'rubric "x" { total 5 }\ninput n: count\nindicator 甲 5 {\n  applies if n else zero\n  deduct 1 per n\n}'
    assert "PF203" in [d.code for d in pingfen.diagnose(text)]


def test_the_golden_form_scores_alike_in_both_evaluators() -> None:
    text = GOLDEN.read_text(encoding="utf-8")
    rubric = pingfen.loads(text)
    module, _ = parse(text)
    assert module is not None
    checked = check(module)
    record = {"有项目": False, "资金到位率": "80%", "制度健全": "不适用"}
    expected = oracle.evaluate(module, checked, text, rubric.coerce(record))
    assert rubric.evaluate(record) == expected


def test_fuzz_sums_accounts_for_rows_that_drop_out(rubric: pingfen.Rubric) -> None:
    result = rubric.evaluate({"有项目": False, "到位率": "80%", "制度健全": "不适用"})
    assert dropped(result["完成"]) and dropped(result["制度"]) and not dropped(result["培训"])
    assert level_sum(result["项目管理"].children, D(10)) == result.score("项目管理")
    assert level_sum(result.children, result.max) == result.raw_total


@given(
    有项目=st.booleans(),
    完成=st.one_of(st.integers(0, 100).map(lambda n: f"{n}%"), st.sampled_from(["不适用", None])),
    到位=st.one_of(st.integers(0, 100).map(lambda n: f"{n}%"), st.just("N/A")),
    次数=st.integers(0, 3),
    健全=st.one_of(st.booleans(), st.just("不适用")),
)
def test_rescaled_totals_stay_within_the_total_and_get_a_grade(
    有项目: bool, 完成: str | None, 到位: str, 次数: int, 健全: object
) -> None:
    rubric = pingfen.loads(RUBRIC)
    record: dict[str, object] = {"有项目": 有项目, "到位率": 到位, "次数": 次数, "制度健全": 健全}
    if 完成 is not None:
        record["完成率"] = 完成
    try:
        result = both(rubric, record)
    except pingfen.DataError as refused:  # only a row that applies may miss its input
        assert 有项目 and 完成 is None and refused.code == "PF501"
        return
    assert 0 <= result.raw_total <= result.max
    assert result.grade is not None
    for node in result.nodes():
        assert 0 <= node.score <= node.max


def test_audit_reads_declared_not_applicable_and_rescaled_sums(rubric: pingfen.Rubric) -> None:
    declared = {"完成": "不适用", "到位": 3, "培训": 0, "项目管理": 5, "健全": 10, "制度": 10, "总分": 15}
    result = audit(rubric, declared, {"有项目": False, "到位率": "95%", "制度健全": True})
    assert result.findings == ()  # 5 is 3 of the 6 points that apply, × 10; the total 15 adds up
    assert set(result.agreed) == {"完成", "到位", "培训", "健全"}
    # the same group declared as a plain sum (3) is a finding: the rubric re-scales it
    plain = audit(rubric, declared | {"项目管理": 3, "总分": 13}, {"有项目": False, "到位率": "95%", "制度健全": True})
    assert [(f.kind, f.name, f.expected) for f in plain.findings if f.kind == "sum"] == [("sum", "项目管理", 5)]


def test_audit_finds_a_score_declared_for_a_row_that_does_not_apply(rubric: pingfen.Rubric) -> None:
    found = audit(rubric, {"完成": 4}, {"有项目": False}).findings
    assert [(f.kind, f.name, f.declared, f.expected) for f in found] == [("rule", "完成", 4, 0)]
    assert found[0].reasons == ("不适用：“有项目”不成立，不计入，上级得分按适用分值折算",)
    # and 不适用 declared for a row whose rule applies
    found = audit(rubric, {"培训": "不适用"}, {"有项目": True, "次数": 2}).findings
    assert [(f.kind, f.name) for f in found] == [("rule", "培训")]


def test_audit_reads_an_input_the_data_marks_not_applicable(rubric: pingfen.Rubric) -> None:
    """An input marked 不适用 in the inputs refused the audit (PF502, "Absent(不适用) 不是百分比"):
    the values already read were read again for each declared row. As `eval` scores it, the
    row marked does not apply: full marks for 到位 (else full), 制度 left out (rescale)."""
    inputs = {"有项目": True, "完成率": "100%", "到位率": "不适用", "次数": 2, "制度健全": "N/A"}
    assert rubric.evaluate(inputs).score("到位") == 3
    result = audit(rubric, {"到位": 3, "制度": "不适用", "完成": 4}, inputs)
    assert result.findings == () and set(result.agreed) == {"到位", "完成"}
    found = audit(rubric, {"到位": 1}, inputs).findings
    assert [(f.kind, f.name, f.declared, f.expected) for f in found] == [("rule", "到位", 1, 3)]
    assert found[0].inputs == (("到位率", "不适用"),)


def test_a_batch_writes_not_applicable_and_reads_it_from_csv(rubric: pingfen.Rubric, tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    data.write_text(
        "编号,有项目,完成率,到位率,次数,制度健全\n"
        "A,是,90%,95%,2,是\n"
        "B,否,,不适用,,是\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    summary = score_file(rubric, data, fmt="csv", out=out, lang="zh")
    assert summary.ok and summary.rows == 2
    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    header, a, b = rows
    column = header.index("完成")
    assert a[column] == "3" and b[column] == "不适用"
    assert b[header.index("到位")] == "不适用" and b[header.index("健全")] == "10"
    assert b[header.index("总分")] == "15.00"


def test_examples_may_leave_out_or_mark_optional_inputs() -> None:
    text = (Path(__file__).parent / "golden" / "forms" / "applicability-examples.rule").read_text(encoding="utf-8")
    assert pingfen.diagnose(text) == []  # no PF608 for 完成率 left out, no PF605 for 到位率: 不适用
    run = run_examples(pingfen.loads(text))
    assert run.passed and len(run.outcomes) == 3
    # a required input is still required in an example
    broken = text.replace("given { 有项目: 否, 到位率: 80% }", "given { 到位率: 80% }")
    assert "PF608" in [d.code for d in pingfen.diagnose(broken)]


NESTED = """
rubric "嵌套" { total 30 }
input 有项目: bool
input 有培训: bool
input 例数: count
input 完成率: percent >= 0 and <= 100%
input 到位率: percent >= 0 and <= 100%
input 次数: count

group 项目 20 {
  applies if 有项目 else rescale
  indicator 合规 5 { deduct 1 per 例数 }
  group 培训 10 {
    applies if 有培训 else zero
    indicator 次数够 5 { award 5 if 次数 >= 2 }
    indicator 到位 5 { score = 到位率 * 5 }
  }
  indicator 完成 5 { score = 完成率 * 5 }
}
indicator 基础 10 { award 10 if 有项目 or 有培训 }
"""

OPTIONAL_VALUE = st.one_of(st.just("不适用"), st.none())


@given(
    flags=st.tuples(st.booleans(), st.booleans()),
    counts=st.tuples(st.integers(0, 6), st.integers(0, 3)),
    rates=st.tuples(st.sampled_from(["0%", "55%", "100%", "不适用", None]), st.sampled_from(["80%", "不适用", None])),
    marked=st.tuples(OPTIONAL_VALUE, OPTIONAL_VALUE),
)
def test_score_node_is_the_row_evaluate_gives_inside_groups_that_may_not_apply(
    flags: tuple[bool, bool], counts: tuple[int, int], rates: tuple[str | None, str | None],
    marked: tuple[str | None, str | None],
) -> None:
    """A row inside a group that does not apply (its condition fails, or the data marks an
    input the group reads 不适用) does not apply either: `score_node`, what audits and the
    workbench score a row by, says so as evaluate() does."""
    rubric = nested()
    record: dict[str, object] = {"有项目": flags[0], "有培训": flags[1], "例数": counts[0], "次数": counts[1],
                                 "完成率": rates[0], "到位率": rates[1]}  # fmt: skip
    if marked[0] is not None:
        record["例数"] = marked[0]
    if marked[1] is not None:
        record["次数"] = marked[1]
    record = {k: v for k, v in record.items() if v is not None}
    try:
        result = rubric.evaluate(record)
    except pingfen.DataError:
        return
    for spec in (n for top in rubric.tree for n in top.walk()):
        assert rubric.score_node(spec.name, record) == result[spec.name], spec.name


@functools.cache
def nested() -> pingfen.Rubric:
    return pingfen.loads(NESTED)


def test_a_row_reads_the_conditions_of_the_groups_around_it() -> None:
    rubric = nested()
    assert rubric.node("到位").inputs == ("有项目", "有培训", "到位率")
    assert rubric.node("合规").inputs == ("有项目", "例数")
    assert rubric.node("基础").inputs == ("有项目", "有培训")
    node = rubric.score_node("到位", {"有项目": True, "有培训": False})  # 到位率 may then be left out
    assert not node.applies and node.score == 0


def test_an_audit_of_evaluates_own_scores_finds_nothing_in_a_group_that_does_not_apply() -> None:
    rubric = pingfen.loads(RUBRIC_IN_GROUP)
    record = {"有项目": False, "例数": 2, "完成率": "90%"}
    full = rubric.evaluate(record)
    assert (full.score("合规"), full.applies("合规")) == (0, False)
    declared = {**full.scores(), "项目": "不适用", "total": full.total}
    assert audit(rubric, declared, record).findings == ()


RUBRIC_IN_GROUP = """rubric "r" { total 20 }
input 有项目: bool
input 例数: count
input 完成率: percent >= 0 and <= 100%
group 项目 10 {
  applies if 有项目 else rescale
  indicator 合规 10 { deduct 1 per 例数 }
}
indicator 完成 10 { score = 完成率 * 10 }
"""

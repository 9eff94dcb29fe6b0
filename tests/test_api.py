"""The embedding API: load, loads, evaluate, Result, and the two error types."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen.io import read_record

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
FULL = read_record(ROOT / "examples" / "dept-overall-2021" / "full-marks.json")

SMALL = """
rubric "小表" { total 5 grade 好 >= 4 grade 差 otherwise }
input 在职人数: count
input 编制人数: count > 0
let 控制率 = 在职人数 / 编制人数
group 投入 5 { indicator 控制 5 { deduct 0.5 per 1pp of 控制率 above 100% } }
"""


def test_three_lines() -> None:
    rubric = pingfen.load(RULESET)
    result = rubric.evaluate(FULL)
    assert (result.total, result.grade) == (Decimal("100.00"), "优秀")


def test_result_access_by_name() -> None:
    result = pingfen.loads(SMALL).evaluate({"在职人数": 103, "编制人数": 100})
    node = result["控制"]
    assert (node.score, node.max) == (Decimal("3.5"), Decimal(5))
    assert node.reasons == ["控制率 103% 超过 100% 3 个百分点，每个百分点扣 0.5 分，扣 1.5 分"]
    assert node.reasons_in("en") == ["控制率 103% is 3 percentage points above 100%; 0.5 per percentage point: -1.5"]
    assert result["投入"].score == Decimal("3.5") and result["投入"].is_group
    assert result.grade == "差" and "控制" in result
    with pytest.raises(KeyError):
        result["没有"]


def test_scores_are_decimal_never_float() -> None:
    result = pingfen.loads(SMALL).evaluate({"在职人数": 13, "编制人数": 12})
    for node in result.nodes():
        assert type(node.score) is Decimal
    assert type(result.total) is Decimal


def test_to_dict_shape() -> None:
    result = pingfen.loads(SMALL).evaluate({"在职人数": 12, "编制人数": 12})
    assert result.to_dict() == {
        "rubric": "小表",
        "max": Decimal(5),
        "total": Decimal("5.00"),
        "grade": "好",
        "children": [
            {
                "name": "投入",
                "max": Decimal(5),
                "score": Decimal(5),
                "children": [{"name": "控制", "max": Decimal(5), "score": Decimal(5), "reasons": []}],
            }
        ],
    }


def test_float_inputs_go_through_str() -> None:
    rubric = pingfen.loads(
        'rubric "x" { total 3 }\ninput 率: percent\ngroup 甲 3 { indicator 乙 3 { deduct 0.2 per 1pp of 率 below 100% } }'
    )
    # Decimal(0.995) would be 0.99499999…; through str it is exactly 0.995
    assert rubric.evaluate({"率": 0.995})["乙"].score == Decimal("2.900")


def test_rubric_error_lists_every_problem() -> None:
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads('rubric "x" { total 9 }\ngroup 甲 5 { indicator 乙 6 { judgment 丙 } }', "t.rule")
    codes = [d.code for d in info.value.diagnostics]
    assert codes == ["PF303", "PF302", "PF102"]
    assert info.value.describe("en").startswith("t.rule:1:20: PF303") and "and 2 more" in info.value.describe("en")
    assert info.value.describe("zh").startswith("t.rule:1:20: PF303") and "（另有 2 个错误）" in info.value.describe("zh")


def test_data_error_names_the_input_and_record() -> None:
    rubric = pingfen.loads(SMALL)
    with pytest.raises(pingfen.DataError) as info:
        rubric.evaluate({"在职人数": "十二", "编制人数": 0}, record="dept-7")
    error = info.value
    assert error.input == "在职人数" and error.code == "PF502" and error.record == "dept-7"
    assert [p.input for p in error.problems] == ["在职人数", "编制人数"]
    assert "[dept-7] PF502" in str(error)


def test_missing_input_suggests_a_misspelt_key() -> None:
    with pytest.raises(pingfen.DataError) as info:
        pingfen.loads(SMALL).evaluate({"在职人员数": 1, "编制人数": 1})
    assert info.value.problems[0].help("en") == "the data has `在职人员数`: is it misspelt?"


def test_rule_files_cannot_run_code() -> None:
    """A rule file is data: there is no syntax for imports, calls of host functions or eval."""
    for text in ('rubric "x" { total 1 }\nlet a = __import__("os")', 'rubric "x" { total 1 }\nlet a = eval(1)'):
        with pytest.raises(pingfen.RubricError):
            pingfen.loads(text)


def test_load_reads_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.rule"
    path.write_bytes("\ufeff".encode() + SMALL.encode("utf-8"))
    assert pingfen.load(path).name == "小表"


def test_judgment_scores_are_checked_with_the_other_inputs() -> None:
    rubric = pingfen.loads(
        'rubric "x" { total 10 }\ninput 分: score\ninput 例数: count\n'
        "group 甲 10 { indicator 乙 5 { judgment 分 } indicator 丙 5 { deduct 1 per 例数 } }"
    )
    with pytest.raises(pingfen.DataError) as info:
        rubric.evaluate({"分": 6, "例数": -1})
    assert [(p.code, p.input) for p in info.value.problems] == [("PF503", "分"), ("PF503", "例数")]
    assert info.value.problems[0].message("en") == "input `分`: 6 is outside its domain (<= 5)"
    score_spec = next(i for i in rubric.inputs if i.name == "分")
    assert score_spec.bounds == ((">=", Decimal(0)), ("<=", Decimal(5)))


def test_a_record_no_when_arm_takes_names_the_values() -> None:
    rubric = pingfen.load(ROOT / "tests" / "golden" / "forms" / "when-no-else.rule")
    with pytest.raises(pingfen.DataError) as info:
        rubric.evaluate({"结余": 3, "上年结转": 2})
    assert info.value.problems[0].message("en") == "`资金结余`: 结余 = 3, 上年结转 = 2 matches no band or arm"


def test_a_gbk_rule_file_is_a_rubric_error(tmp_path: Path) -> None:
    path = tmp_path / "gbk.rule"
    path.write_bytes(RULESET.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.load(path)
    assert [d.code for d in info.value.diagnostics] == ["PF006"]


def test_line_endings_and_spaces_of_chinese_typing() -> None:
    crlf = SMALL.replace("\n", "\r\n").replace("group 投入 5", "group\u3000投入\u00a05")
    assert pingfen.loads("\ufeff" + crlf).evaluate({"在职人数": 1, "编制人数": 1}).total == Decimal("5.00")
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads('rubric "x" { total 5 }\r\ninput a: count\r\nlet b = c\r\n')
    errors = [(d.code, d.span.line) for d in info.value.diagnostics if d.severity == "error"]
    assert errors == [("PF102", 3)]


def test_loading_for_scoring_skips_the_rubrics_own_tests() -> None:
    whole, scoring = pingfen.load(RULESET), pingfen.load(RULESET, tests=False)
    assert whole.module.examples and not scoring.module.examples and not scoring.module.properties
    assert scoring.evaluate(FULL).to_dict() == whole.evaluate(FULL).to_dict()


def test_node_result_properties_document_themselves() -> None:
    """help(pingfen.NodeResult) showed operator.attrgetter's doc for every property."""
    for name in ("name", "max", "score", "children", "is_group", "lang", "applies"):
        doc = getattr(pingfen.NodeResult, name).__doc__
        assert doc and "attrgetter" not in doc and "callable" not in doc, name

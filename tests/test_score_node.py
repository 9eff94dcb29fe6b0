"""Scoring one node from partial inputs: the tree, the inputs each node reads, and
agreement with a full evaluation."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen.sample import sample_record

ROOT = Path(__file__).resolve().parents[1]
RUBRIC = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule")


def test_tree_has_the_rubric_shape() -> None:
    assert [(n.name, n.max) for n in RUBRIC.tree] == [
        ("投入", 15), ("过程", 40), ("产出", 25), ("效果", 20),
    ]  # fmt: skip
    leaves = [n for top in RUBRIC.tree for n in top.walk() if not n.is_group]
    assert len(leaves) == 25
    assert RUBRIC.node("预算配置").children[0].name == "财政供养人员控制率"


def test_inputs_read_through_lets_in_declaration_order() -> None:
    assert RUBRIC.node("财政供养人员控制率").inputs == ("在职人数", "编制人数")  # via the let 在职人员控制率
    assert RUBRIC.node("“三公经费”控制率").inputs == ("本年三公经费", "三公经费预算数")
    assert RUBRIC.node("经济效益").inputs == ("经济效益",)  # a judgment reads its own input
    assert RUBRIC.node("投入").inputs == ("在职人数", "编制人数", "本年三公经费", "上年三公经费", "重点支出安排率")


def test_reason_template_placeholders_are_read() -> None:
    rubric = pingfen.loads(
        'rubric "x" { total 3 }\ninput 结余: amount\ninput 说明数: count\n'
        'group 甲 3 { indicator 乙 3 { when 结余 = 0 -> 3 else -> 0 reason "结余 {结余}，另有 {说明数}" } }'
    )
    assert rubric.node("乙").inputs == ("结余", "说明数")


def test_score_node_from_partial_inputs() -> None:
    node = RUBRIC.score_node("财政供养人员控制率", {"在职人数": 14, "编制人数": 12})
    assert node.score == 0 and node.clamped == "low"
    assert node.reasons[0].startswith("在职人员控制率 116.67% 超过 100% 16.67 个百分点")
    assert RUBRIC.score_node("资金结余", {"结余": 0, "上年结转": 0}).score == 3
    assert RUBRIC.score_node("社会公众或服务对象满意度", {"满意度": "95%"}).score == 5


def test_score_node_names_a_missing_or_bad_input() -> None:
    with pytest.raises(pingfen.DataError) as info:
        RUBRIC.score_node("资金结余", {"结余": 0}, record="dept-1")
    assert (info.value.code, info.value.input, info.value.record) == ("PF501", "上年结转", "dept-1")
    with pytest.raises(pingfen.DataError) as info:
        RUBRIC.score_node("财政供养人员控制率", {"在职人数": 14, "编制人数": 0})
    assert (info.value.code, info.value.input) == ("PF503", "编制人数")
    with pytest.raises(KeyError):
        RUBRIC.score_node("没有这个指标", {})


def test_score_node_agrees_with_evaluate() -> None:
    rng = random.Random(5)
    for _ in range(200):
        record = sample_record(RUBRIC, rng)
        result = RUBRIC.evaluate(record)
        for spec in (n for top in RUBRIC.tree for n in top.walk()):
            partial = {name: record[name] for name in spec.inputs}
            assert RUBRIC.score_node(spec.name, partial) == result[spec.name], spec.name


def test_grade_for_and_round_total() -> None:
    assert RUBRIC.round_total(Decimal("89.995")) == Decimal("90.00")
    assert RUBRIC.grade_for(Decimal("90.00")) == "优秀"
    assert RUBRIC.grade_for(Decimal("88.5")) == "良好"
    assert RUBRIC.grade_for(Decimal("59.99")) == "差"

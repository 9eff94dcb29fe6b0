"""The 2021 rubric as a GoRules JDM graph for zen-engine (`pip install ".[bench]"`):
decision tables for the three banded indicators, expression nodes for the rates, the
deductions, checklists and judgments, and one for the total and the grade.

    request → rates → { 重点支出安排率, 预算调整率, 满意度 tables; indicators } → total → response

zen's expression language computes in 28-digit decimals; it rounds half away from zero.
Inputs get ASCII keys (`KEYS`); `context(record)` is the JSON text of a record,
with every number written exactly.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

KEYS = {
    "在职人数": "staff", "编制人数": "quota",
    "本年三公经费": "sg_this", "上年三公经费": "sg_last", "三公经费预算数": "sg_budget",
    "重点支出安排率": "key_spend", "预算调整率": "adjust", "未按进度下达专项数": "late",
    "结余": "surplus", "上年结转": "carried",
    "已制定预算管理制度": "b_rules", "预算管理制度合法合规": "b_legal", "预算管理制度有效执行": "b_applied",
    "资金使用不合规例数": "misuse",
    "按规定内容公开": "pub_content", "按规定时限公开": "pub_time",
    "基础数据真实": "data_true", "基础数据完整": "data_whole", "基础数据准确": "data_exact",
    "政府采购执行率": "procure", "公务卡刷卡率": "card",
    "资产管理制度健全": "a_rules", "资产管理制度有效执行": "a_applied", "资产管理不合规例数": "a_breach",
    "固定资产利用率": "asset_use",
    "推进全面小康建设指标任务完成情况": "j1", "建设湖南新增极目标任务完成情况": "j2",
    "《政府工作报告》目标任务完成情况": "j3", "省市区民生实事完成情况": "j4",
    "省市区重点工程和重大项目建设完成情况": "j5", "其他工作实绩指标完成情况": "j6",
    "经济效益": "j7", "社会效益": "j8", "生态效益": "j9",
    "满意度": "satisfaction",
}  # fmt: skip

# The 25 indicators' scores, in rubric order, as the graph names them.
SCORES = [f"s{i:02d}" for i in range(1, 26)]

_INDICATORS = {
    "s01": "max([0, 5 - 0.5 * max([staff_rate - 1, 0]) / 0.01])",
    "s02": "max([0, 5 - 0.5 * max([sg_change, 0]) / 0.01])",
    "s05": "max([0, 3 - 0.5 * late])",
    "s06": "surplus == 0 ? 3 : (surplus <= carried ? 2 : 0)",
    "s07": "max([0, 6 - 1 * max([sg_control - 1, 0]) / 0.01])",
    "s08": "(b_rules ? 1 : 0) + (b_legal ? 1 : 0) + (b_applied ? 1 : 0)",
    "s09": "max([0, 3 - misuse])",
    "s10": "(pub_content ? 1 : 0) + (pub_time ? 0.5 : 0) + (data_true ? 0.5 : 0) + (data_whole ? 0.5 : 0)"
    " + (data_exact ? 0.5 : 0)",
    "s11": "max([0, 3 - 0.2 * max([1 - procure, 0]) / 0.01])",
    "s12": "max([0, 3 - 0.2 * max([0.5 - card, 0]) / 0.01])",
    "s13": "(a_rules ? 2 : 0) + (a_applied ? 1 : 0)",
    "s14": "max([0, 4 - a_breach])",
    "s15": "max([0, 3 - 0.1 * max([1 - asset_use, 0]) / 0.01])",
    **{f"s{15 + i}": f"j{i}" for i in range(1, 10)},
}

_BANDS = {  # (input, output, [(unary test, points)])
    "重点支出安排率": ("key_spend", "s03", [(">= 0.9", 5), ("[0.8..0.9)", 4), ("[0.7..0.8)", 3), ("[0.6..0.7)", 2),
                                         ("< 0.6", 0)]),
    "预算调整率": ("adjust", "s04", [("0", 3), ("(0..0.1]", 2), ("(0.1..0.2]", 1), ("(0.2..0.3]", 0.5), ("> 0.3", 0)]),
    "满意度": ("satisfaction", "s25", [(">= 0.95", 5), ("[0.85..0.95)", 3), ("[0.75..0.85)", 1), ("< 0.75", 0)]),
}  # fmt: skip


def _node(node_id: str, kind: str, name: str, content: dict[str, Any] | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "type": kind, "name": name, "position": {"x": 0, "y": 0}}
    if content is not None:
        node["content"] = content
    return node


def _expressions(pairs: dict[str, str], pass_through: bool) -> dict[str, Any]:
    rows = [{"id": f"e_{key}", "key": key, "value": value} for key, value in pairs.items()]
    return {"expressions": rows, "passThrough": pass_through}


def jdm() -> dict[str, Any]:
    """The decision graph, as JSON-ready data."""
    nodes = [
        _node("request", "inputNode", "request"),
        _node(
            "rates",
            "expressionNode",
            "rates",
            _expressions(
                {
                    "staff_rate": "staff / quota",
                    "sg_change": "(sg_this - sg_last) / sg_last",
                    "sg_control": "sg_this / sg_budget",
                },
                pass_through=True,
            ),
        ),  # fmt: skip
        _node("indicators", "expressionNode", "indicators", _expressions(_INDICATORS, pass_through=False)),
    ]
    edges = [("request", "rates"), ("rates", "indicators"), ("indicators", "total")]
    for i, (name, (field, out, rules)) in enumerate(_BANDS.items()):
        table = {
            "hitPolicy": "first",
            "passThrough": False,
            "inputs": [{"id": "in", "name": name, "field": field}],
            "outputs": [{"id": "out", "name": name, "field": out}],
            "rules": [{"_id": f"r{j}", "in": test, "out": str(points)} for j, (test, points) in enumerate(rules)],
        }
        nodes.append(_node(f"band{i}", "decisionTableNode", name, table))
        edges += [("rates", f"band{i}"), (f"band{i}", "total")]
    raw = " + ".join(SCORES)
    nodes.append(_node("total", "expressionNode", "total", _expressions({
        "total": f"round({raw}, 2)",
        "total_text": "string($.total)",
        "grade": "$.total >= 90 ? '优秀' : ($.total >= 80 ? '良好' : ($.total >= 60 ? '中' : '差'))",
    }, pass_through=True)))  # fmt: skip
    nodes.append(_node("response", "outputNode", "response"))
    edges.append(("total", "response"))
    links = [{"id": f"edge{i}", "sourceId": a, "targetId": b, "type": "edge"} for i, (a, b) in enumerate(edges)]
    return {"nodes": nodes, "edges": links}


def context(record: dict[str, object]) -> str:
    """A record as the JSON text zen reads, numbers written digit for digit."""
    parts = []
    for name, value in record.items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, Decimal):
            text = format(value, "f")
        else:
            text = json.dumps(value)
        parts.append(f'"{KEYS[name]}": {text}')
    return "{" + ", ".join(parts) + "}"


def engine() -> Any:
    """A ZenEngine holding the graph under the key `dept2021`: call `.evaluate("dept2021", context)`."""
    import zen

    content = json.dumps(jdm(), ensure_ascii=False)
    return zen.ZenEngine({"loader": lambda key: content})


def total_and_grade(response: dict[str, Any]) -> tuple[Decimal, str]:
    result = response["result"]
    return Decimal(result["total_text"]), result["grade"]

"""The 2021 rubric scored by hand, in Decimal, written plainly: one function per rule
shape, names looked up in the record, as a reader of the rubric would write it.

`score(record)` returns (total, grade, {indicator: score}).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
PERCENT_POINT = Decimal("0.01")


def dec(value: object) -> Decimal:
    return Decimal(str(value))


def clamp(score: Decimal, top: Decimal) -> Decimal:
    return max(ZERO, min(score, top))


def per_point(top: str, rate: str, excess: Decimal) -> Decimal:
    """`top`, less `rate` for each percentage point of `excess` (proportional), clamped."""
    lost = Decimal(rate) * (max(excess, ZERO) / PERCENT_POINT)
    return clamp(Decimal(top) - lost, Decimal(top))


def band(value: Decimal, bands: list[tuple[str, str, str]]) -> Decimal:
    """The points of the first band [low, high) holding value; '' is unbounded."""
    for low, high, points in bands:
        if (low == "" or value >= Decimal(low)) and (high == "" or value < Decimal(high)):
            return Decimal(points)
    raise ValueError(f"no band holds {value}")


def grade(total: Decimal) -> str:
    if total >= 90:
        return "优秀"
    if total >= 80:
        return "良好"
    if total >= 60:
        return "中"
    return "差"


def score(record: dict[str, object]) -> tuple[Decimal, str, dict[str, Decimal]]:
    r = {name: value if isinstance(value, bool) else dec(value) for name, value in record.items()}
    s: dict[str, Decimal] = {}

    s["财政供养人员控制率"] = per_point("5", "0.5", r["在职人数"] / r["编制人数"] - 1)
    s["“三公经费”变动率"] = per_point("5", "0.5", (r["本年三公经费"] - r["上年三公经费"]) / r["上年三公经费"])
    s["重点支出安排率"] = band(
        r["重点支出安排率"],
        [("0.9", "", "5"), ("0.8", "0.9", "4"), ("0.7", "0.8", "3"), ("0.6", "0.7", "2"), ("", "0.6", "0")],
    )

    adjust = r["预算调整率"]
    if adjust == 0:
        s["预算调整率"] = Decimal(3)
    elif adjust <= Decimal("0.1"):
        s["预算调整率"] = Decimal(2)
    elif adjust <= Decimal("0.2"):
        s["预算调整率"] = Decimal(1)
    elif adjust <= Decimal("0.3"):
        s["预算调整率"] = Decimal("0.5")
    else:
        s["预算调整率"] = ZERO
    s["支付进度"] = clamp(3 - Decimal("0.5") * r["未按进度下达专项数"], Decimal(3))
    if r["结余"] == 0:
        s["资金结余"] = Decimal(3)
    elif r["结余"] <= r["上年结转"]:
        s["资金结余"] = Decimal(2)
    else:
        s["资金结余"] = ZERO
    s["“三公经费”控制率"] = per_point("6", "1", r["本年三公经费"] / r["三公经费预算数"] - 1)

    s["管理制度健全性"] = sum(
        (Decimal(1) for k in ("已制定预算管理制度", "预算管理制度合法合规", "预算管理制度有效执行") if r[k]), ZERO
    )
    s["资金使用合规性"] = clamp(3 - r["资金使用不合规例数"], Decimal(3))
    disclosure = {
        "按规定内容公开": "1",
        "按规定时限公开": "0.5",
        "基础数据真实": "0.5",
        "基础数据完整": "0.5",
        "基础数据准确": "0.5",
    }
    s["预决算信息公开性和完善性"] = sum((Decimal(p) for k, p in disclosure.items() if r[k]), ZERO)
    s["政府采购执行率"] = per_point("3", "0.2", 1 - r["政府采购执行率"])
    s["公务卡刷卡率"] = per_point("3", "0.2", Decimal("0.5") - r["公务卡刷卡率"])

    s["资产管理制度健全性"] = (Decimal(2) if r["资产管理制度健全"] else ZERO) + (
        Decimal(1) if r["资产管理制度有效执行"] else ZERO
    )
    s["资产管理安全性"] = clamp(4 - r["资产管理不合规例数"], Decimal(4))
    s["固定资产利用率"] = per_point("3", "0.1", 1 - r["固定资产利用率"])

    for name in (
        "推进全面小康建设指标任务完成情况", "建设湖南新增极目标任务完成情况", "《政府工作报告》目标任务完成情况",
        "省市区民生实事完成情况", "省市区重点工程和重大项目建设完成情况", "其他工作实绩指标完成情况",
        "经济效益", "社会效益", "生态效益",
    ):  # fmt: skip
        s[name] = r[name]
    s["社会公众或服务对象满意度"] = band(
        r["满意度"], [("0.95", "", "5"), ("0.85", "0.95", "3"), ("0.75", "0.85", "1"), ("", "0.75", "0")]
    )

    total = sum(s.values(), ZERO).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return total, grade(total), s

"""The 2021 rubric scored by hand in binary floating point, as a spreadsheet would, with
the total rounded half up the usual float way (floor(x * 100 + 0.5) / 100).

It is quick and nearly right: a total that should end in 5 at the third decimal can
land on either side of it. `score(record)` returns (total, grade).
"""

from __future__ import annotations

import math


def score(r: dict[str, object]) -> tuple[float, str]:
    f = {name: float(value) for name, value in r.items()}  # type: ignore[arg-type]
    x = f["在职人数"] / f["编制人数"]
    s1 = max(0.0, 5 - max(x - 1, 0.0) * 100 * 0.5)
    a, b = f["本年三公经费"], f["上年三公经费"]
    s2 = max(0.0, 5 - max((a - b) / b, 0.0) * 100 * 0.5)
    v = f["重点支出安排率"]
    s3 = 5.0 if v >= 0.9 else 4.0 if v >= 0.8 else 3.0 if v >= 0.7 else 2.0 if v >= 0.6 else 0.0
    v = f["预算调整率"]
    s4 = 3.0 if v == 0 else 2.0 if v <= 0.1 else 1.0 if v <= 0.2 else 0.5 if v <= 0.3 else 0.0
    s5 = max(0.0, 3 - 0.5 * f["未按进度下达专项数"])
    s6 = 3.0 if f["结余"] == 0 else 2.0 if f["结余"] <= f["上年结转"] else 0.0
    s7 = max(0.0, 6 - max(a / f["三公经费预算数"] - 1, 0.0) * 100)
    s8 = f["已制定预算管理制度"] + f["预算管理制度合法合规"] + f["预算管理制度有效执行"]
    s9 = max(0.0, 3 - f["资金使用不合规例数"])
    s10 = f["按规定内容公开"] + 0.5 * (f["按规定时限公开"] + f["基础数据真实"] + f["基础数据完整"] + f["基础数据准确"])
    s11 = max(0.0, 3 - max(1 - f["政府采购执行率"], 0.0) * 100 * 0.2)
    s12 = max(0.0, 3 - max(0.5 - f["公务卡刷卡率"], 0.0) * 100 * 0.2)
    s13 = 2 * f["资产管理制度健全"] + f["资产管理制度有效执行"]
    s14 = max(0.0, 4 - f["资产管理不合规例数"])
    s15 = max(0.0, 3 - max(1 - f["固定资产利用率"], 0.0) * 100 * 0.1)
    judged = (
        f["推进全面小康建设指标任务完成情况"] + f["建设湖南新增极目标任务完成情况"] + f["《政府工作报告》目标任务完成情况"]
        + f["省市区民生实事完成情况"] + f["省市区重点工程和重大项目建设完成情况"] + f["其他工作实绩指标完成情况"]
        + f["经济效益"] + f["社会效益"] + f["生态效益"]
    )  # fmt: skip
    v = f["满意度"]
    s25 = 5.0 if v >= 0.95 else 3.0 if v >= 0.85 else 1.0 if v >= 0.75 else 0.0
    raw = s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11 + s12 + s13 + s14 + s15 + judged + s25
    total = math.floor(raw * 100 + 0.5) / 100
    grade = "优秀" if total >= 90 else "良好" if total >= 80 else "中" if total >= 60 else "差"
    return total, grade

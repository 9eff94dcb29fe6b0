"""Generated records for the 2021 rubric: the same ones on every run (a seeded generator).

Values are typed as a JSON reader that keeps decimals exact hands them over: counts
as int, money, percents (as ratios) and judgment scores as Decimal, flags as bool.
The ranges send every indicator through each of its branches: under and over the
staffing quota, each band, deductions that run out (扣完为止), missed awards.
"""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from pathlib import Path

RULESET = Path(__file__).resolve().parents[1] / "rulesets" / "dept-overall-2021.rule"

JUDGMENTS = {
    "推进全面小康建设指标任务完成情况": 5,
    "建设湖南新增极目标任务完成情况": 7,
    "《政府工作报告》目标任务完成情况": 5,
    "省市区民生实事完成情况": 2,
    "省市区重点工程和重大项目建设完成情况": 2,
    "其他工作实绩指标完成情况": 4,
    "经济效益": 5,
    "社会效益": 5,
    "生态效益": 5,
}
FLAGS = [
    "已制定预算管理制度", "预算管理制度合法合规", "预算管理制度有效执行",
    "按规定内容公开", "按规定时限公开", "基础数据真实", "基础数据完整", "基础数据准确",
    "资产管理制度健全", "资产管理制度有效执行",
]  # fmt: skip


def _ratio(rng: random.Random, low: float, high: float) -> Decimal:
    """A ratio with 4 decimals (0.01 percentage points) in [low, high]."""
    return Decimal(rng.randint(round(low * 10_000), round(high * 10_000))).scaleb(-4)


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(rng.randint(round(low * 100), round(high * 100))).scaleb(-2)


def record(rng: random.Random) -> dict[str, object]:
    quota = rng.randint(5, 40)
    last_year = _money(rng, 1, 50)
    this_year = (last_year * Decimal(rng.randint(85, 110)) / 100).quantize(Decimal("0.01"))
    carried = _money(rng, 0, 20)
    out: dict[str, object] = {
        "在职人数": max(quota + rng.choice([-2, -1, 0, 0, 0, 1, 2]), 0),
        "编制人数": quota,
        "本年三公经费": this_year,
        "上年三公经费": last_year,
        "三公经费预算数": (this_year * Decimal(rng.randint(97, 120)) / 100).quantize(Decimal("0.01")),
        "重点支出安排率": _ratio(rng, 0.55, 1),
        "预算调整率": Decimal(0) if rng.random() < 0.3 else _ratio(rng, 0, 0.35),
        "未按进度下达专项数": rng.choice([0, 0, 0, 0, 1, 2, 7]),
        "结余": Decimal(0) if rng.random() < 0.4 else _money(rng, 0, 25),
        "上年结转": carried,
        "资金使用不合规例数": rng.choice([0, 0, 0, 0, 1, 4]),
        "政府采购执行率": _ratio(rng, 0.9, 1),  # a bare ratio above 1 is refused (PF523): a data file writes 105%
        "公务卡刷卡率": _ratio(rng, 0.35, 0.95),
        "资产管理不合规例数": rng.choice([0, 0, 0, 1, 2, 5]),
        "固定资产利用率": _ratio(rng, 0.85, 1),
        "满意度": _ratio(rng, 0.72, 1),
    }
    for name in FLAGS:
        out[name] = rng.random() < 0.9
    judged = rng.randint(60, 100)  # how well this department did, in percent of each judgment's max
    for name, top in JUDGMENTS.items():
        share = min(max(judged + rng.randint(-10, 10), 0), 100)
        out[name] = Decimal(top * share).scaleb(-2)
    return out


def records(count: int, seed: int = 2021) -> list[dict[str, object]]:
    rng = random.Random(seed)
    return [record(rng) for _ in range(count)]


def write_csv(path: Path, count: int, seed: int = 2021) -> None:
    """`count` records as CSV, as a spreadsheet exports them: a header row, text cells,
    percents as ratios, flags as 是/否. Written one row at a time."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = None
        for i in range(count):
            row = {"单位": f"单位{i + 1:06d}"} | {
                k: ("是" if v else "否") if isinstance(v, bool) else str(v) for k, v in record(rng).items()
            }
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)

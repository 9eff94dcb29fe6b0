"""The terminal table sets each indicator in its own level's column (a review's find): a
top-level indicator after a group was set in the last level column, under the group's blank
continuing cells, and read as that group's last part (`丙` under `组 5/10`, its rows adding to
15 of 10)."""

from __future__ import annotations

from decimal import Decimal

import pingfen
from pingfen.report import render_table

RULE = """rubric "x" { total 20 }
input 率: percent >= 0 and <= 100%
indicator 丁 5 { score = 率 * 5 }
group 组 10 {
  indicator 甲 4 { score = 率 * 4 }
  indicator 乙 6 { score = 率 * 6 }
}
indicator 丙 5 { score = 率 * 5 }
"""


def test_a_top_level_indicator_is_in_the_first_level_column() -> None:
    result = pingfen.loads(RULE, "x.rule").evaluate({"率": Decimal("0.5")})
    lines = render_table(result, "zh").splitlines()
    assert lines[2] == "一级指标  二级指标  分值  得分  扣分原因"
    assert lines[4:8] == [
        "丁                     5   2.5  按 率 * 5 计得 2.5 分（满分 5）",  # a 一级指标 of its own, the 二级指标 cell blank
        "组 5/10   甲           4     2  按 率 * 4 计得 2 分（满分 4）",
        "          乙           6     3  按 率 * 6 计得 3 分（满分 6）",
        "丙                     5   2.5  按 率 * 5 计得 2.5 分（满分 5）",  # it was `          丙`, under 组
    ]

"""A report's printed rows add up to their groups: a score is shown with every digit up to
six decimals, as reasons show numbers (2.995, where two decimals printed 3 beside 扣 0.005 分,
and a group of 13.995 printed 14 under rows printed 3 + 2 + 3 + 3 + 3)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pingfen
from pingfen.io import read_record
from pingfen.report.markdown import render_markdown
from pingfen.report.table import render_table

ROOT = Path(__file__).resolve().parents[1]


def test_printed_rows_add_up_to_their_groups() -> None:
    rubric = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule")
    record = read_record(ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml")
    record |= {"公务卡刷卡率": "49.975%", "固定资产利用率": "99.95%"}
    result = rubric.evaluate(record)
    assert (result.score("公务卡刷卡率"), result.score("预算管理"), result.score("过程")) == (
        Decimal("2.995"), Decimal("13.995"), Decimal("35.99"))  # fmt: skip
    table = render_table(result, "zh")
    assert "预算管理 13.995/15" in table and "资产管理 7.995/10" in table and "过程 35.99/40" in table
    assert "3  2.995  公务卡刷卡率 49.975%" in table
    page = render_markdown(result, "zh")
    assert "| 2.995 |" in page and "预算管理（分值 15，得分 13.995）" in page

"""`pingfen sql` compiles the last forms it refused (issue 11): a group's `round N [MODE]`,
`adjust` rows (加减分项) and panels of experts (`list of score`), each held to evaluate()
on a real DuckDB, boundary values by hand (tests/test_sql_forms.py draws them at random)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlglot import exp

import pingfen
import sqlhelp
from pingfen.sql import to_sql_tree
from real_parts import real_part

try:
    import duckdb
except ImportError:  # a developer's machine without it: real_part skips
    duckdb = None

needs_duckdb = real_part("duckdb", duckdb is not None, "pip install '.[test]'")
D = Decimal
MODES = ["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]


def _agree(text: str, records: list[dict[str, object]]) -> list[dict[str, object]]:
    rubric = pingfen.loads(text, "r.rule", tests=False)
    rows = sqlhelp.score(duckdb.connect(), rubric, records)
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(rubric, record, row)
    return rows


GROUP_ROUND = """rubric "表" {
  total 20
  round total 3
}
input 值: number
input 有项目: bool
group 管理 10 {
  round 1 {mode}
  indicator 甲 10 {
    score = 值
  }
}
group 产出 10 {
  round 2 {mode}
  indicator 乙 3 {
    score = 值
  }
  indicator 丙 3 {
    applies if 有项目 else rescale
    score = 3
  }
  indicator 丁 4 {
    score = 4
  }
}
"""
# each a tie, just off one, or a whole number, at one and at two places; the group clamps at 0 and 10
GROUP_TIES = ["0.25", "0.35", "0.15", "2.45", "0.2501", "0.2499", "0.05", "0", "9.95", "9.96", "10", "12", "-1", "0.125", "1.005", "2.675"]


@needs_duckdb
@pytest.mark.parametrize("mode", MODES)
def test_a_groups_round_n_rounds_each_tie_as_evaluate_does(mode: str) -> None:
    records = [{"值": D(v), "有项目": h} for v in GROUP_TIES for h in (True, False)]
    rows = _agree(GROUP_ROUND.replace("{mode}", mode), records)
    want = {"up": D("0.3"), "ceiling": D("0.3"), "down": D("0.2"), "floor": D("0.2"), "half_up": D("0.3"), "half_down": D("0.2"), "half_even": D("0.2")}
    assert rows[0]["管理"] == want[mode]  # 0.25 at one place
    # 产出 without 丙: (0.25 + 4) × 10 / 7 = 6.0714285714…, rounded to 2 places
    rescaled = {"up": D("6.08"), "ceiling": D("6.08")}.get(mode, D("6.07"))
    assert rows[1]["产出"] == rescaled


@needs_duckdb
def test_a_groups_rounding_reason_is_worded_back_as_evaluate_gives_it() -> None:
    rubric = pingfen.loads(GROUP_ROUND.replace("{mode}", "half_up"), "r.rule", tests=False)
    rows = sqlhelp.score(duckdb.connect(), rubric, [{"值": D("0.25"), "有项目": False}])
    explained = sqlhelp.explainer(rubric).explain(rows[0])
    assert "管理" in explained and "产出" in explained
    assert any("保留 1 位小数" in text for text in explained["管理"])
    assert len(explained["产出"]) == 2  # 折算, then the rounding, as evaluate() gives them


ADJUST = """rubric "加减分" {
  total 100
  cap total 100
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
  award 1.5 if 获国家级表彰
  award 1 if 发现问题数 = 0
  deduct 0.5 per 发现问题数
}
adjust 调整 -1.5 .. +0.5 {
  score = 完成率 * 4 - 2
}
penalty 事故 3 {
  deduct 1 per 1 of 发现问题数 above 5
}
"""


@needs_duckdb
def test_adjust_rows_at_both_ends_of_their_range_count_signed_as_evaluate_does() -> None:
    records = [
        {"完成率": r, "获省级表彰": a, "获国家级表彰": b, "发现问题数": n}
        for r in (D(1), D("0.99"), D("0.5"), D("0.125"), D(0)) for a in (True, False) for b in (True, False) for n in (0, 1, 3, 4, 5, 6, 9)
    ]  # fmt: skip
    rows = _agree(ADJUST, records)
    by = {(r["完成率"], r["获省级表彰"], r["获国家级表彰"], r["发现问题数"]): row for r, row in zip(records, rows, strict=True)}
    top = by[(D(1), True, True, 0)]  # 0.5 + 1.5 + 1 = 3, held at +2; 调整 4 - 2 = 2, held at +0.5; the cap 100
    assert (top["加减分"], top["调整"], top["total"]) == (D(2), D("0.5"), D("100.00"))
    low = by[(D(0), False, False, 9)]  # -4.5 held at -2; 调整 -2 held at -1.5; 0 - 2 - 1.5 - 3: never below 0
    assert (low["加减分"], low["调整"], low["事故"], low["total"]) == (D(-2), D("-1.5"), D(0), D("0.00"))
    mid = by[(D("0.5"), True, False, 3)]  # 0.5 - 1.5 = -1; 调整 0; 50 - 1
    assert (mid["加减分"], mid["调整"], mid["total"]) == (D(-1), D(0), D("49.00"))
    explained = sqlhelp.explainer(pingfen.loads(ADJUST, "r.rule", tests=False)).explain(low)
    assert explained["加减分"][-1] == "合计 -4.5 分，低于下限 -2 分，按 -2 分计"


@pytest.mark.parametrize("dialect", ["duckdb", "spark", "postgres"])
def test_no_float_type_in_a_query_of_the_last_forms(dialect: str) -> None:
    for text in (ADJUST, GROUP_ROUND.replace("{mode}", "half_even")):
        tree = to_sql_tree(pingfen.loads(text, "r.rule", tests=False), dialect)
        kinds = {t.this for t in tree.find_all(exp.DataType)}
        assert not kinds & {exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT}, kinds

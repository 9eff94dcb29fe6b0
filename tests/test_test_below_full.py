"""`pingfen test`, a total that fails: the line naming where the points went listed a row
that does not apply (re-scaled away, it lost nothing) as `项目完成 0/5`, a 扣分项 that took
2 points as `违规扣分 8/10` and a 加分项 not reached as `创新加分 0/2`. Now the row says
不适用 (N/A) and the 扣分项 -2, as the result table shows them; a 加分项 took nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

import pingfen
from pingfen.lang import Lang
from pingfen.testrun import render_failures, run_examples

RULE = """rubric "示例" { total 10 }
input 有项目: bool
input 完成率: percent >= 0
input 满意度: percent >= 0 and <= 100%
input 问题数: count
input 创新: bool

group 管理 10 {
  indicator 项目完成 5 {
    applies if 有项目 else rescale
    deduct 1 per 10pp of 完成率 below 100% counting proportional
  }
  indicator 满意 5 { score = 满意度 * 5 }
}

bonus 创新加分 2 { award 1 if 创新 }
penalty 违规扣分 10 { deduct 2 per 问题数 }

example "无项目" {
  given { 有项目: 否, 完成率: 50%, 满意度: 80%, 问题数: 1, 创新: 否 }
  expect total = 1
}
"""


@pytest.mark.parametrize(("lang", "line"), [
    ("zh", "      失分的指标：项目完成 不适用，满意 4/5，违规扣分 -2"),
    ("en", "      below full marks: 项目完成 N/A, 满意 4/5, 违规扣分 -2"),
])  # fmt: skip
def test_rows_that_do_not_apply_and_penalties(tmp_path: Path, lang: Lang, line: str) -> None:
    path = tmp_path / "a.rule"
    path.write_text(RULE, encoding="utf-8")
    run = run_examples(pingfen.load(str(path)), lang=lang)
    [outcome] = run.failed
    [failure] = outcome.failures
    assert failure.actual == "6"  # 4 of 5 re-scaled to 8 of 10, less the 扣分项's 2
    assert line in render_failures(run, lang).splitlines()


@pytest.mark.parametrize(("lang", "line"), [
    ("zh", "  记录被拒绝：PF540: `甲`：`trimmed_mean(评分)` 至少需要 3 个评分"),
    ("en", "  the record was refused: PF540: `甲`: `trimmed_mean(评分)` needs at least 3 values"),
])  # fmt: skip
def test_a_refused_record_in_the_run_language(tmp_path: Path, lang: Lang, line: str) -> None:
    """The Chinese line was `记录被拒绝: PF540…`, an ASCII colon after Chinese words."""
    path = tmp_path / "r.rule"
    path.write_text(
        'rubric "r" { total 10 }\ninput 评分: list of score <= 10\nindicator 甲 10 { score = trimmed_mean(评分) }\n'
        'example "e" {\n  given { 评分: "8, 9" }\n  expect 甲 = 5\n}\n',
        encoding="utf-8",
    )
    run = run_examples(pingfen.load(str(path)), lang=lang)
    assert line in render_failures(run, lang).splitlines()

"""`pingfen render --lang en` counts one in the singular: "to 1 place", "1 point", "1 decimal"
(it said "to 1 places", "1 points" and "to 1 decimals"), and more than one in the plural."""

from __future__ import annotations

import pingfen
from pingfen.report.rubric_table import build_table, render_markdown

RULE = """rubric "单复数" {
  total 4
  round total 1 half_up
  grade 优秀 >= 3
  grade 差   otherwise
}

input 率: percent >= 0
input 偏差: number
input 评价: score

group 组 2 {
  round 1 half_up
  indicator 执行 1 {
    deduct 0.5 per 1pp of 率 above 100%
  }
  indicator 偏差分 1 {
    round 1 half_up
    score = round(偏差, 1)
  }
}

indicator 评价 1 { judgment }

indicator 满分 1 { }
"""


def test_english_counts_one_in_the_singular() -> None:
    text = render_markdown(build_table(pingfen.loads(RULE, "p.rule", tests=False), "en"))
    for said in ("The total is rounded half up to 1 decimal before grading", "组 (2; the score rounded half up to 1 place)",
                 "率 ≤ 100%: 1 point;", "偏差 (rounded to 1 place)", "the score is rounded to 1 place",
                 "judged by the evaluators, 0 to 1 point", "| 满分 | 1 |  | 1 point. |"):  # fmt: skip
        assert said in text, said
    for slip in ("1 places", "1 points", "1 decimals"):
        assert slip not in text, slip


def test_and_more_than_one_in_the_plural() -> None:
    many = RULE.replace("round total 1", "round total 2").replace("round 1", "round 2").replace("round(偏差, 1)", "round(偏差, 2)")
    many = many.replace("total 4", "total 8").replace("group 组 2", "group 组 4").replace(" 1 {", " 2 {")
    text = render_markdown(build_table(pingfen.loads(many, "p.rule", tests=False), "en"))
    for said in ("to 2 decimals before grading", "to 2 places", "率 ≤ 100%: 2 points;", "0 to 2 points", "2 points."):
        assert said in text, said

"""The published table states a 一票否决 even when the rubric has no grades (a `-> zero` veto
needs none): it used to go unstated, with the empty grades sentence."""

from __future__ import annotations

import io
from pathlib import Path

from pingfen.cli import main

RULE = """rubric "否决" {
  total 10
}

input 率: percent >= 0 and <= 100%
input 重大违规: bool

indicator 完成率 10 {
  score = 率 * 10
}

veto 发生重大违规 if 重大违规 -> zero
"""


def test_a_zero_veto_without_grades_is_stated_in_the_table(tmp_path: Path) -> None:
    rule = tmp_path / "r.rule"
    rule.write_text(RULE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["render", str(rule), "--format", "md"], out, err) == 0, err.getvalue()
    assert "一票否决：发生重大违规" in out.getvalue()
    assert "总分计0分" in out.getvalue()

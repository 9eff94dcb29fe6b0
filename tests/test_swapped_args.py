"""`pingfen eval 数据.yaml 评分表.rule` — the data file first: the YAML was parsed as rule text
and refused with PF002 at its first key ("此处应为：`add`、`adjust`…"). Now the command says the
rule file goes first."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pingfen.cli import main

RULE = """rubric "t" { total 5 }
input 满意度: percent
indicator 满意 5 { bands 满意度 { >= 95% -> 5  else -> 0 } }
"""


@pytest.mark.parametrize("command", ["eval", "report", "audit"])
def test_the_data_file_first_is_told(tmp_path: Path, command: str) -> None:
    rule, data = tmp_path / "评分表.rule", tmp_path / "数据.yaml"
    rule.write_text(RULE, encoding="utf-8")
    data.write_text("满意度: 95%\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main([command, str(data), str(rule)], out, err) == 2
    said = out.getvalue() + err.getvalue()
    assert f"规则文件应写在数据文件之前：先写 `{rule}`，再写 `{data}`" in said and "PF002" not in said, said


def test_the_right_order_scores(tmp_path: Path) -> None:
    rule, data = tmp_path / "评分表.rule", tmp_path / "数据.yaml"
    rule.write_text(RULE, encoding="utf-8")
    data.write_text("满意度: 95%\n", encoding="utf-8")
    assert main(["eval", str(rule), str(data)], io.StringIO(), io.StringIO()) == 0

"""A YAML or JSON record saved as GBK (Notepad's "ANSI" on a Chinese Windows): PF508 said "不是
UTF-8 编码的文本" and nothing of what to do, where a GBK rule file (PF006) is told how to save
it again. Now the record is told the same."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pingfen.cli import main

RULE = """rubric "t" { total 5 }
input 满意度: percent
indicator 满意 5 { bands 满意度 { >= 95% -> 5  else -> 0 } }
"""


@pytest.mark.parametrize("name", ["数据.yaml", "数据.json"])
def test_a_gbk_record_is_told_to_be_saved_as_utf8(tmp_path: Path, name: str) -> None:
    rule, data = tmp_path / "r.rule", tmp_path / name
    rule.write_text(RULE, encoding="utf-8")
    data.write_bytes(('{"满意度": "95%"}' if name.endswith(".json") else "满意度: 95%\n").encode("gbk"))
    out, err = io.StringIO(), io.StringIO()
    assert main(["eval", str(rule), str(data)], out, err) == 2
    said = out.getvalue() + err.getvalue()
    assert "PF508" in said and "不是 UTF-8 编码的文本" in said, said
    assert "请将文件另存为 UTF-8 编码（记事本：另存为 → 编码选 UTF-8；WPS：另存为时编码选 UTF-8）" in said, said
    assert "Traceback" not in said

"""A rule file saved as GBK is refused as not UTF-8 (PF006), and its line was shown read as
UTF-8: `rubric "ʾ��" { total 10 }`, mojibake under the caret. Now a file that reads as GBK
is shown as GBK, pointed at its first character that is not ASCII, and the help says it is
GBK and how to save it as UTF-8 (记事本, WPS). A UTF-8 file with a stray byte is shown as before."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main

RULE = 'rubric "示例" { total 10 }\ninput 满意度: percent\nindicator 满意度 10 { bands 满意度 { >= 95% -> 10  else -> 0 } }\n'


def _check(path: Path, *lang: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert main([*lang, "check", str(path)], out, err) == 2
    return out.getvalue() + err.getvalue()


def test_a_gbk_rule_file_is_shown_as_gbk(tmp_path: Path) -> None:
    path = tmp_path / "评分表.rule"
    path.write_bytes(RULE.encode("gbk"))
    said = _check(path)
    assert f"错误[PF006]: 文件不是 UTF-8 编码（第 8 字节处）\n --> {path}:1:9\n" in said, said
    assert '1 | rubric "示例" { total 10 }\n  |         ^^\n' in said, said
    assert "该文件是 GBK 编码（中文 Windows 记事本的“ANSI”），此处按 GBK 显示：请将文件另存为 UTF-8 编码" in said
    assert "记事本：另存为 → 编码选 UTF-8；WPS：另存为时编码选 UTF-8" in said
    assert "ʾ" not in said and "\ufffd" not in said
    english = _check(path, "--lang", "en")
    assert "help: the file is GBK" in english and "in WPS: Save As, with the encoding UTF-8" in english


def test_a_gbk_line_further_down_crlf(tmp_path: Path) -> None:
    path = tmp_path / "r.rule"
    path.write_bytes('rubric "x" { total 10 }\r\n\r\n# 你好，评分\r\n'.encode("gbk"))
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.load(path)
    (d,) = info.value.diagnostics
    assert d.code == "PF006" and (d.span.line, d.span.column) == (3, 3) and d.hint == "save_utf8_gbk"
    assert "3 | # 你好，评分\n" in d.render("zh")


def test_utf8_with_a_stray_byte_is_not_called_gbk(tmp_path: Path) -> None:
    path = tmp_path / "r.rule"
    path.write_bytes(RULE.encode("utf-8") + b"# caf\xe9\n")
    said = _check(path)
    assert "GBK" not in said and "4 | # caf\ufffd" in said and "请将文件另存为 UTF-8 编码" in said, said

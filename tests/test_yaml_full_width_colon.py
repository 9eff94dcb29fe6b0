"""A YAML record typed with a Chinese input method's colon, `满意度：95%`: the file was refused
as "此处不是有效的 YAML：请检查引号、冒号和缩进" at the line after it, or (every line so typed)
as "应为输入名到取值的映射", neither naming the colon. Now PF508 names the line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from pingfen.cli import main
from pingfen.errors import DataError
from pingfen.io.records import read_record

RULESET = str(Path(__file__).resolve().parents[1] / "rulesets" / "dept-overall-2021.rule")


def refused(path: Path) -> str:
    with pytest.raises(DataError) as caught:
        read_record(path)
    (problem,) = caught.value.problems
    assert problem.code == "PF508"
    return problem.message("zh")


def test_one_line_with_a_full_width_colon(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text('在职人数: 14\n编制人数: 12\n满意度："95%"\n经济效益: 5\n', encoding="utf-8")
    assert "第 3 行：`满意度` 后面是全角冒号“：”，请改为半角冒号加空格：`满意度: …`" in refused(path)


def test_every_line_with_a_full_width_colon(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("在职人数：14\n编制人数：12\n", encoding="utf-8")
    assert "第 1 行：`在职人数` 后面是全角冒号“：”" in refused(path)


def test_in_english_through_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("在职人数：14\n", encoding="utf-8")
    assert main(["--lang", "en", "eval", RULESET, str(path)]) == 2
    err = capsys.readouterr().err
    assert "error[PF508]" in err and "line 1: `在职人数` is followed by a full-width colon `：`" in err


def test_a_full_width_colon_inside_a_value_or_a_comment_is_no_fault(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text('# 注：说明\n甲: "说明：无"\n乙: 备注：无\n', encoding="utf-8")
    assert read_record(path) == {"甲": "说明：无", "乙": "备注：无"}

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


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ('说明: |\n  目标：完成全年任务\n满意度: 95%\n执行率: "90%\n', "第 5 行第 1 列"),
        ("notes: >\n  任务：完成\n满意度: [95%", "第 3 行第 10 列"),
        ('满意度: "95%\n备注：完成', "第 2 行第 6 列"),
        ("notes: |\n  任务：完成\nx y: 1: 2\n", "第 3 行第 7 列"),
    ],
)
def test_a_full_width_colon_away_from_the_error_is_not_blamed(tmp_path: Path, text: str, at: str) -> None:
    """`：` in a block or quoted value is text: a line holding it was named as the fault (line 2)
    while the real one, an unclosed quote or bracket, went unsaid. The parser's own error is kept."""
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    message = refused(path)
    assert f"{at}：此处不是有效的 YAML" in message and "全角" not in message


def test_a_full_width_colon_the_error_runs_on_from(tmp_path: Path) -> None:
    """`满意度：95%` is text running on to the next line's `:`, where the parser stops: the line before it is named."""
    path = tmp_path / "d.yaml"
    path.write_text("满意度：95%\n在职人数: 14\n", encoding="utf-8")
    assert "第 1 行：`满意度` 后面是全角冒号“：”" in refused(path)
    path.write_text("# 说明\n\n在职人数: 14\n满意度：95%\n\n# 注\n编制人数: 12\n", encoding="utf-8")
    assert "第 4 行：`满意度` 后面是全角冒号“：”" in refused(path)


def test_a_text_document_is_blamed_only_from_its_first_line(tmp_path: Path) -> None:
    """A file read as one text is a colon's fault when it begins with `在职人数：14`, not when it
    is a block value whose text holds `：`."""
    path = tmp_path / "d.yaml"
    path.write_text("# 自评\n---\n在职人数：14\n编制人数：12\n", encoding="utf-8")
    assert "第 3 行：`在职人数` 后面是全角冒号“：”" in refused(path)
    path.write_text("|\n  目标：完成\n", encoding="utf-8")
    assert refused(path).endswith("应为输入名到取值的映射")

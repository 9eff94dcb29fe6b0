"""`extends`, continued: a second `rubric` header in the extending file is flagged (PF109),
in that file, rather than silently replacing the first one's settings."""

from __future__ import annotations

from pathlib import Path

import pytest

import pingfen
from pingfen.diagnostics import Diagnostic
from test_extends import TEMPLATE, write


def test_a_second_header_in_an_extending_file_is_flagged_where_it_is(tmp_path: Path) -> None:
    write(tmp_path, "base.rule", TEMPLATE)
    text = 'extends "base.rule"\nrubric "省级" { year 2022 }\nrubric "省级（修订）" { total 30 }\n'
    ext = write(tmp_path, "ext.rule", text)
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.load(ext)
    (found,) = info.value.diagnostics
    assert found.code == "PF109"
    assert found.source is not None and found.source.path == str(ext)
    assert (found.span.line, found.span.column) == (3, 1)
    assert "rubric \"省级（修订）\"" in found.render("zh") and "只保留一个 `rubric` 块" in found.render("zh")


def test_one_header_in_an_extending_file_is_taken(tmp_path: Path) -> None:
    write(tmp_path, "base.rule", TEMPLATE)
    ext = write(tmp_path, "ext.rule", 'extends "base.rule"\nrubric "省级" { year 2022 }\n')
    rubric = pingfen.load(ext)
    assert (rubric.name, rubric.year) == ("省级", 2022)


def _pf124(tmp_path: Path, changes: str) -> list[Diagnostic]:
    """The PF124 diagnostics of a province's file that extends the national template with `changes`."""
    write(tmp_path, "national/模板.rule", TEMPLATE)
    path = write(tmp_path, "省/本省.rule", 'extends "../national/模板.rule"\n' + changes)
    return [d for d in pingfen.diagnose(path.read_text(encoding="utf-8"), str(path)) if d.code == "PF124"]


def test_a_misspelt_name_in_a_change_is_answered_with_the_bases_closest(tmp_path: Path) -> None:
    """PF124 said only to check the name against the base (and, for `remove`, that a new row
    is written in full); a misspelt name now gets the base's closest name of that kind, as
    PF102 does, which the language server offers as its fix."""
    found = _pf124(
        tmp_path,
        "max 产出指表 12\nremove 管理制渡\nremove input 地方特色\n"
        "add to 产出指 { indicator 新 2 { award 2 if 制度健全 } }\nremove 全然无关的名称\n",
    )
    assert [(d.hint, d.args.get("suggestion")) for d in found] == [
        ("did_you_mean", "产出指标"),
        ("did_you_mean", "管理制度"),
        ("did_you_mean", "地方特色指标"),
        ("did_you_mean", "产出指标"),
        ("base_names", None),
    ]
    assert found[0].help("zh") == "是否应为 `产出指标`？"


def test_no_name_the_file_removes_is_suggested_and_a_second_remove_says_so(tmp_path: Path) -> None:
    """`remove input 地方特色` was answered "did you mean `地方特色指标`?", an input the file
    removes on the next line; a `remove` written twice only said to check the name."""
    found = _pf124(
        tmp_path,
        "remove input 地方特色\nremove input 地方特色指标\n"
        "remove input 地方特色指标\nremove 管理制度\nmax 管理制度 3\nremove 管理制度\n",
    )
    assert [(d.span.line, d.hint, d.args.get("suggestion"), d.args.get("line")) for d in found] == [
        (2, "base_names", None, None),
        (4, "removed_before", None, 3),
        (6, "removed_before", None, 5),
        (7, "removed_before", None, 5),
    ]
    assert found[1].help("zh") == "已在第 3 行删除，请删去这一行"
    assert found[1].help("en") == "removed already at line 3: delete this line"


def test_an_input_of_the_base_left_unused_is_removed_in_the_extending_file(tmp_path: Path) -> None:
    """The province's row no longer reads the template's input: PF104 pointed into the base
    and said to delete the declaration there, in a file other provinces extend too. Now the
    hint says to write `remove input` in the file that extends it; an input the file itself
    declares and leaves unused is still to be deleted."""
    write(tmp_path, "national/模板.rule", TEMPLATE)
    path = write(
        tmp_path, "省/本省.rule",
        'extends "../national/模板.rule"\ninput 公开: bool\ninput 多余: bool\n'
        "indicator 管理制度 10 { award 10 if 公开 }\n",
    )  # fmt: skip
    found = {d.args["name"]: d for d in pingfen.diagnose(path.read_text(encoding="utf-8"), str(path)) if d.code == "PF104"}
    assert {name: d.hint for name, d in found.items()} == {"制度健全": "remove_base_input", "多余": "remove_unused"}
    assert "`remove input 制度健全`" in (found["制度健全"].help("zh") or "")
    assert pingfen.diagnose(TEMPLATE) == []  # the template alone uses it

"""`extends`, continued: a second `rubric` header in the extending file is flagged (PF109),
in that file, rather than silently replacing the first one's settings."""

from __future__ import annotations

from pathlib import Path

import pytest

import pingfen
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

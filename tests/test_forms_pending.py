"""Criteria not yet set (issue 10, item 8): `indicator NAME N { pending "由各省自行制定" }`.
`check` warns (PF154); scoring refuses every record (PF542) on both evaluators; a file that
`extends` the table writes the row and scores."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
from pingfen.report.rubric_table import build_table
from pingfen.syntax.formatter import format_text

NATIONAL = """\
rubric "省级" {
  total 20
}

input 执行率: percent

indicator 预算执行率 10 {
  bands 执行率 {
    >= 90% -> 10
    else   -> 0
  }
}

indicator 地方特色指标 10 { pending "由各省自行制定" }
"""
PROVINCE = """\
extends "省级.rule"

indicator 地方特色指标 10 {
  bands 执行率 {
    >= 95% -> 10
    else   -> 5
  }
}
"""


@pytest.fixture(scope="module")
def rubric() -> pingfen.Rubric:
    return pingfen.loads(NATIONAL, "省级.rule")


def test_check_warns_once_and_the_file_loads(rubric: pingfen.Rubric) -> None:
    assert [(w.code, w.severity) for w in rubric.warnings] == [("PF154", "warning")]  # not also PF305
    assert "由各省自行制定" in rubric.warnings[0].message("zh")


def test_no_record_is_scored_on_either_evaluator(rubric: pingfen.Rubric) -> None:
    record = {"执行率": "96%"}
    with pytest.raises(pingfen.DataError) as compiled:
        rubric.evaluate(record)
    with pytest.raises(pingfen.DataError) as walked:
        rubric.walker().evaluate(rubric.coerce(record))
    assert [p.code for p in compiled.value.problems] == [p.code for p in walked.value.problems] == ["PF542"]
    assert "地方特色指标" in compiled.value.problems[0].message("en")
    (refused,) = rubric.evaluate_many([record])
    assert isinstance(refused, pingfen.DataError) and refused.problems[0].code == "PF542"


def test_the_other_rows_can_still_be_scored_alone(rubric: pingfen.Rubric) -> None:
    assert rubric.score_node("预算执行率", {"执行率": "96%"}).score == 10
    with pytest.raises(pingfen.DataError):
        rubric.score_node("地方特色指标", {})


def test_an_extending_file_writes_the_row(tmp_path: Path) -> None:
    (tmp_path / "省级.rule").write_text(NATIONAL, encoding="utf-8")
    (tmp_path / "某省.rule").write_text(PROVINCE, encoding="utf-8")
    province = pingfen.load(tmp_path / "某省.rule")
    assert province.warnings == ()
    result = province.evaluate({"执行率": "96%"})
    assert (result["预算执行率"].score, result["地方特色指标"].score, result.total) == (10, 10, 20)
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", "--strict", str(tmp_path / "某省.rule")], out, err) == 0
    assert main(["check", "--strict", str(tmp_path / "省级.rule")], out, err) == 1  # the warning fails --strict


def test_fmt_and_the_published_table(rubric: pingfen.Rubric) -> None:
    assert format_text(NATIONAL) == NATIONAL
    assert format_text(NATIONAL.replace('"由各省自行制定"', "“由各省自行制定”")) == NATIONAL
    rows = {row.name: row.criterion for row in build_table(rubric, "zh").rows}
    assert rows["地方特色指标"] == "由各省自行制定。"


def test_pending_takes_nothing_but_its_text() -> None:
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.loads(NATIONAL.replace('pending "由各省自行制定"', 'pending "由各省自行制定" judgment'), "bad.rule")
    assert [d.code for d in info.value.diagnostics][0].startswith("PF0")  # a syntax error

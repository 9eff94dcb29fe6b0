"""`diff`: an input renamed — same type, bounds, labels and description, read at the same
places — is shown as renamed, and the rules that read it are then no change; anything less
alike stays an input removed and another added."""

from __future__ import annotations

import pingfen
from pingfen.diff import diff
from pingfen.diffview import render_diff

OLD = """\
rubric "t" { total 10 }
input 执行率: percent >= 0 "预算执行率"
input 合规: bool "资金使用合规"
let 差 = 执行率 - 90%
indicator 预算执行 5 {
  bands 执行率 {
    >= 90% -> 5
    else   -> 1
  }
}
indicator 合规性 5 { award 5 if 合规 and 差 >= 0 }
"""


def kinds(old: str, new: str) -> list[tuple[str, str | None, str | None, str | None]]:
    found = diff(pingfen.loads(old, "old.rule"), pingfen.loads(new, "new.rule"))
    return [(c.kind, c.node, c.old, c.new) for c in found.changes]


def test_a_renamed_input_is_one_change() -> None:
    new = OLD.replace("input 执行率:", "input 预算执行率:").replace("bands 执行率", "bands 预算执行率")
    new = new.replace("let 差 = 执行率", "let 差 = 预算执行率")
    assert kinds(OLD, new) == [("input_renamed", "预算执行率", "执行率", "预算执行率")]
    found = diff(pingfen.loads(OLD, "old.rule"), pingfen.loads(new, "new.rule"))
    assert "输入项更名  预算执行率" in render_diff(found, "old", "new", "zh")
    assert "input renamed" in render_diff(found, "old", "new", "en")


def test_a_rename_with_another_change_shows_both() -> None:
    new = OLD.replace("执行率", "预算执行率").replace('"预算预算执行率"', '"预算执行率"').replace(">= 90% -> 5", ">= 95% -> 5")
    found = kinds(OLD, new)
    assert found[0] == ("input_renamed", "预算执行率", "执行率", "预算执行率")
    assert [k for k, *_ in found[1:]] == ["rule_changed"]  # the threshold, not the name


ELSEWHERE = """\
rubric "t" { total 10 }
input 执行率: percent >= 0 "预算执行率"
input 资金合规: bool "资金使用合规"
let 差 = 执行率 - 90%
indicator 预算执行 5 {
  when 资金合规 -> 5
  else          -> 1
}
indicator 合规性 5 { award 5 if 差 >= 0 }
"""


def test_not_a_rename_when_the_description_or_the_places_differ() -> None:
    described = OLD.replace('input 合规: bool "资金使用合规"', 'input 资金合规: bool "资金使用合规合法"')
    described = described.replace("award 5 if 合规", "award 5 if 资金合规")
    assert {k for k, *_ in kinds(OLD, described)} >= {"input_removed", "input_added"}
    assert {k for k, *_ in kinds(OLD, ELSEWHERE)} >= {"input_removed", "input_added"}
    assert "input_renamed" not in {k for k, *_ in kinds(OLD, ELSEWHERE)}

"""Points written with 分 after them, as the table writes them (`indicator 预算执行率 4分 {`,
`>= 95% -> 4分`): PF002's help listed the tokens the parser expected (`(`、`-`、`=`、`[`、`else`…).
Now it says to write the number alone, and which."""

from __future__ import annotations

import pytest

import pingfen

RULE = """rubric "t" {{ total 5 grade 优秀 >= {grade} grade 差 otherwise }}
input 执行率: percent
indicator 预算执行率 {points} {{
  bands 执行率 {{ >= 95% -> {band}  else -> 0 }}
}}
"""


@pytest.mark.parametrize(
    ("parts", "number"),
    [
        ({"grade": "4", "points": "5分", "band": "5"}, "5"),
        ({"grade": "4", "points": "5 分", "band": "5"}, "5"),
        ({"grade": "4", "points": "5", "band": "4.5分"}, "4.5"),
        ({"grade": "4分", "points": "5", "band": "5"}, "4"),
    ],
)
def test_the_number_alone_is_asked_for(parts: dict[str, str], number: str) -> None:
    found = pingfen.diagnose(RULE.format(**parts), "t.rule")
    assert [d.code for d in found] == ["PF002"]
    assert found[0].help("zh") == f"分数只写数字，不写“分”：请写 `{number}`"
    assert found[0].help("en") == f"points are a bare number, without 分: write `{number}`"


def test_a_name_that_is_分_elsewhere_keeps_its_help() -> None:
    found = pingfen.diagnose(RULE.format(grade="4", points="5", band="5").replace("bands 执行率", "bands 分"), "t.rule")
    assert all(d.help("zh") != "分数只写数字，不写“分”：请写 `5`" for d in found)

"""`pingfen sql` refuses the forms it does not translate (PF807), naming each, and writes no
query; a rubric without them compiles."""

from __future__ import annotations

import pytest

import pingfen
from pingfen.sql import SqlRefusal, to_sql

HEAD = 'rubric "表" {\n  total 10\n}\n'
PLAIN = HEAD + "input 率: percent\nindicator 甲 10 {\n  bands 率 {\n    >= 90% -> 10\n    else -> 0\n  }\n}\n"


@pytest.mark.parametrize(
    ("text", "form"),
    [
        (HEAD + "input 有项目: bool\ninput 率: percent\nindicator 甲 10 {\n  score = if 有项目 then 10 else 5\n}\n", "if … then … else …"),
        (HEAD + "input 率: percent\nindicator 甲 10 {\n  score = round(率 * 10, 1)\n}\n", "round(…)"),
        (HEAD + "input 率: percent\nindicator 甲 10 {\n  round 1\n  score = 率 * 10\n}\n", "甲: round 1"),
        (HEAD + "input 有项目: bool\ninput 率: percent\nindicator 甲 10 {\n  applies if 有项目 else rescale\n  score = 率 * 10\n}\n",
         "甲: applies … else rescale"),
        (HEAD + "input 有项目: bool\ninput 率: percent\nindicator 甲 10 {\n  score = 率 * 10 if 有项目\n}\n", "甲: … if COND"),
        (HEAD + "input 分: list of score >= 0 and <= 10\nindicator 甲 10 {\n  score = mean(分)\n}\n", "input 分: list of …"),
        (HEAD + "input 率: percent precision 0.01%\nindicator 甲 10 {\n  score = 率 * 10\n}\n", "input 率: … precision 0.01%"),
        (HEAD + "indicator 甲 10 { pending \"由各省自行制定\" }\n", "甲: pending"),
    ],
)  # fmt: skip
def test_a_newer_form_is_refused_by_name(text: str, form: str) -> None:
    rubric = pingfen.loads(text, "r.rule", tests=False)
    with pytest.raises(SqlRefusal) as caught:
        to_sql(rubric)
    assert caught.value.code == "PF807"
    assert form in str(caught.value)


def test_a_rubric_of_the_older_forms_compiles() -> None:
    assert "SELECT" in to_sql(pingfen.loads(PLAIN, "r.rule", tests=False)).upper()

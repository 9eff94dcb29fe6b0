"""`pingfen sql` refuses the forms it does not translate (PF807), naming each, and writes no
query; a rubric without them compiles."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
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
        (HEAD + "input 率: percent\nindicator 甲 10 {\n  score = 率 * 10\n}\nbonus 创新 2 {\n  award 2 if 率 >= 90%\n}\n", "bonus 创新"),
        (HEAD + "input 率: percent\ninput 违规: bool\nindicator 甲 10 {\n  score = 率 * 10\n}\nveto 重大违规 if 违规 -> zero\n",
         "veto 重大违规"),
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


def test_the_duckdb_engine_refuses_a_newer_form_in_chinese(tmp_path: Path) -> None:
    folder = tmp_path
    rule = folder / "a.rule"
    rule.write_text(
        HEAD + "input 有项目: bool\ninput 率: percent\nindicator 甲 10 {\n  applies if 有项目 else rescale\n  score = 率 * 10\n}\n",
        encoding="utf-8",
    )
    (folder / "d.csv").write_text("有项目,率\ntrue,0.5\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["eval", "--engine", "duckdb", str(rule), str(folder / "d.csv"), "-o", str(folder / "o.csv")], out, err)
    assert code == 2
    assert "PF807" in err.getvalue() and "尚不能翻译为 SQL" in err.getvalue()
    assert not (folder / "o.csv").exists()

"""A record's key with stray spaces (` 人数  `, `满意度\\u00a0` pasted from a form, `满 意 度`)
was missing input PF501 with no hint for a short name (difflib found ` 人数  ` too far from
`人数`), or with "is it misspelt?" where no letter is wrong. The hint now names the key that
differs from the input only by spaces, and says to name it as the rubric does, in the error column too."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main

RULE = """rubric "t" { total 10 }
input 人数: count >= 0
input 满意度: percent >= 0 and <= 100%
indicator 满意 10 { score = 满意度 * 10 }
indicator 人 0 { score = 人数 * 0 }
"""


def _rubric() -> pingfen.Rubric:
    return pingfen.loads(RULE, "t.rule", tests=False)


@pytest.mark.parametrize(("key", "shown"), [(" 人数  ", " 人数  "), ("人\u3000数", "人\u3000数"), ("人数\u00a0\u200b", "人数\u00a0\\u200b")])
def test_a_key_that_differs_only_by_spaces_is_named(key: str, shown: str) -> None:
    with pytest.raises(pingfen.DataError) as refused:
        _rubric().evaluate({key: 3, "满意度": "90%"})
    [problem] = refused.value.problems
    assert (problem.code, problem.input, problem.hint) == ("PF501", "人数", "spaced_key")
    assert problem.help("zh") == f"数据中有 `{shown}`，与其只差空格：请按评分表写作 `人数`"
    assert problem.help("en") == f"the data has `{shown}`, which differs from it only by spaces: name it `人数`, as the rubric does"


def test_a_misspelling_is_still_said_so() -> None:
    with pytest.raises(pingfen.DataError) as refused:
        _rubric().evaluate({"人数": 3, "满意率": "90%"})
    assert [(p.hint, p.args.get("suggestion")) for p in refused.value.problems] == [("did_you_mean_key", "满意率")]


def test_the_batch_error_column_says_so(tmp_path: Path) -> None:
    rule, data = tmp_path / "r.rule", tmp_path / "d.jsonl"
    rule.write_text(RULE, encoding="utf-8")
    data.write_text(json.dumps({"id": "A", " 人数 ": 3, "满意度": "90%"}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = io.StringIO()
    assert main(["eval", str(rule), str(data)], out, io.StringIO()) == 1
    assert "[A] PF501: 缺少输入项 `人数`（数据中有 ` 人数 `，与其只差空格：请按评分表写作 `人数`）" in out.getvalue()


def test_a_name_spaced_in_the_rubric_is_not_told_to_lose_its_space() -> None:
    """`满意 度` in the rubric, `满意度` in the data: the help said to remove spaces, where one is wanted."""
    rubric = pingfen.loads('rubric "s" { total 10 }\ninput `满意 度`: percent\nindicator 满意 10 { score = `满意 度` * 10 }\n',
                           "s.rule", tests=False)
    with pytest.raises(pingfen.DataError) as refused:
        rubric.evaluate({"满意度": "90%"})
    [problem] = refused.value.problems
    assert problem.hint == "spaced_key" and problem.help("zh") == "数据中有 `满意度`，与其只差空格：请按评分表写作 `满意 度`"
    assert "删去" not in problem.help("zh") and "remove" not in problem.help("en")

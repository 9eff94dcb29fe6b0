"""A record's key with stray spaces (` 人数  `, `满意度\\u00a0` pasted from a form, `满 意 度`)
was missing input PF501 with no hint for a short name (difflib found ` 人数  ` too far from
`人数`), or with "is it misspelt?" where no letter is wrong. The hint now names the key that
differs from the input only by spaces, and says to remove them, in the error column too."""

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
    assert problem.help("zh") == f"数据中有 `{shown}`，与其只差空格：请删去多余的空格"
    assert problem.help("en") == f"the data has `{shown}`, which differs from it only by spaces: remove them"


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
    assert "[A] PF501: 缺少输入项 `人数`（数据中有 ` 人数 `，与其只差空格：请删去多余的空格）" in out.getvalue()

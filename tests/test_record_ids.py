"""`pingfen eval 记录.json` in its table (or JSON) form did not look at the record's id: a list
or mapping for an id was scored without a word where `-o 结果.csv` refused it (PF508), a key
`id\\u200b` lost the id unseen where the CSV output refused it (PF528), and a valid id named
nothing. Now the id is read as a batch's row's id is, in every output format: refused alike,
and named under the rubric's name in the table and in a refusal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pingfen.cli import main

RULE = """rubric "t" { total 10 }
input 满意度: percent >= 0 and <= 100%
indicator 满意 10 { score = 满意度 * 10 }
"""


def _eval(tmp_path: Path, name: str, text: str, *extra: str) -> tuple[int, str, str]:
    rule, data = tmp_path / "r.rule", tmp_path / name
    rule.write_text(RULE, encoding="utf-8")
    data.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["eval", *extra, str(rule), str(data)], out, err)
    return code, out.getvalue(), err.getvalue().replace(str(data), "DATA")


@pytest.mark.parametrize("fmt", [(), ("--format", "json"), ("-o", "o.csv")])
@pytest.mark.parametrize(("name", "text", "kind"), [
    ("r.json", '{"id": ["甲"], "满意度": "90%"}', "列表"),
    ("r.json", '{"编号": {"a": 1}, "满意度": "90%"}', "映射"),
    ("r.yaml", "id: [甲]\n满意度: 90%\n", "列表"),
])  # fmt: skip
def test_a_list_or_mapping_for_an_id_is_refused_in_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: tuple[str, ...], name: str, text: str, kind: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _eval(tmp_path, name, text, *fmt)
    assert (code, out) == (2, "")
    assert err.strip() == f"错误[PF508]: 无法读取 `DATA`：编号是{kind}：编号应为一个文字或数值"


@pytest.mark.parametrize("fmt", [(), ("--format", "json")])
def test_an_invisible_id_key_is_refused_as_the_csv_output_refuses_it(tmp_path: Path, fmt: tuple[str, ...]) -> None:
    code, out, err = _eval(tmp_path, "r.json", '{"id\\u200b": "甲", "满意度": "90%"}', *fmt)
    assert (code, out) == (2, "") and "PF528" in err


@pytest.mark.parametrize(("lang", "named"), [("zh", "单位：甲单位"), ("en", "unit: 甲单位")])
def test_the_table_names_the_record_by_its_id(tmp_path: Path, lang: str, named: str) -> None:
    code, out, _err = _eval(tmp_path, "r.json", '{"id": "甲单位", "满意度": "90%"}', "--lang", lang)
    assert code == 0 and out.splitlines()[:2] == ["t", named]
    code, out, _err = _eval(tmp_path, "r.yaml", "编号: 3.0\n满意度: 90%\n", "--lang", lang)  # as a batch writes it: 3
    assert code == 0 and out.splitlines()[1] == named.replace("甲单位", "3")
    code, out, _err = _eval(tmp_path, "r.json", '{"满意度": "90%"}', "--lang", lang)  # no id: no line for it
    assert code == 0 and out.splitlines()[1].startswith("─")


def test_a_refusal_names_the_record_by_its_id(tmp_path: Path) -> None:
    code, out, err = _eval(tmp_path, "r.json", '{"id": "甲单位", "满意度": "九成"}')
    assert (code, out) == (2, "")
    assert err.strip() == '错误[PF502]: 输入项 `满意度`："九成" 不是百分比 (记录 甲单位)'

"""A CSV or XLSX header `id\\u200b` (a zero-width space pasted from Word or Excel) is refused
with PF528, but a JSON or YAML record with the key `id\\u200b`, or a JSON Lines line, was read
with no id, without a word (`eval r.rule rec.json -o o.csv` wrote its 编号 blank, `report`
named no unit). Now the record is refused with PF528, and a JSON Lines line gets PF528 in its
error column while the other lines are scored."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
from pingfen.io.records import read_batch, read_department

RULE = """rubric "t" { total 5 }
input 投入: percent
indicator 甲 5 { bands 投入 { >= 90% -> 5  else -> 0 } }
"""


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", ["记录.json", "记录.yaml"])
def test_a_record_with_an_invisible_id_key_is_refused(tmp_path: Path, name: str) -> None:
    rule, data = tmp_path / "r.rule", tmp_path / name
    rule.write_text(RULE, encoding="utf-8")
    data.write_text(json.dumps({"id\u200b": "A01", "投入": "95%"}, ensure_ascii=False), encoding="utf-8")
    code, _, err = _run("eval", str(rule), str(data), "-o", str(tmp_path / "o.csv"))
    assert code == 2 and not (tmp_path / "o.csv").exists()
    assert f"错误[PF528]: `{data}` 的编号列 `id\\u200b` 是带有不可见字符 U+200B 零宽空格 的 `id`" in err, err
    assert "帮助" in err
    code, _, err = _run("report", str(rule), str(data))
    assert code == 2 and "PF528" in err
    with pytest.raises(pingfen.DataError) as refused:
        read_department(data)
    assert [p.code for p in refused.value.problems] == ["PF528"]
    data.write_text(json.dumps({"编号\u00ad": "A01", "投入": "95%"}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(pingfen.DataError) as refused:
        read_batch(data, id_column="编号")
    assert [p.code for p in refused.value.problems] == ["PF528"]


def test_a_record_with_an_id_beside_it_or_none_is_read(tmp_path: Path) -> None:
    data = tmp_path / "r.json"
    data.write_text(json.dumps({"id\u200b": "x", "id": "A01", "投入": "95%"}), encoding="utf-8")
    assert read_department(data)[0] == "A01"
    data.write_text(json.dumps({"投入": "95%"}), encoding="utf-8")
    assert read_department(data)[0] is None


def test_a_json_lines_line_with_an_invisible_id_key_is_refused_alone(tmp_path: Path) -> None:
    rule, data = tmp_path / "r.rule", tmp_path / "各单位.jsonl"
    rule.write_text(RULE, encoding="utf-8")
    lines = [{"id\u200b": "A01", "投入": "95%"}, {"id": "B02", "投入": "95%"}]
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    code, out, err = _run("eval", str(rule), str(data))
    assert code == 1, err
    first, second = out.splitlines()[1:]
    assert "PF528" in first and "`id\\u200b`" in first and second.startswith("B02,5,")
    rows = list(read_batch(data))
    assert rows[0].problem is not None and rows[0].problem.code == "PF528" and rows[1].id == "B02"


def test_a_refused_value_shows_a_character_that_shows_as_nothing() -> None:
    """`健全\\u200b` pasted from Word was refused PF506 quoting "健全​", which looks like the label
    `健全` it is not; the value is quoted with the character as its escape now."""
    rubric = pingfen.loads('rubric "t" { total 5 }\ninput 状况: label { 健全, 不健全 }\n'
                           "indicator 甲 5 { match 状况 { 健全 -> 5  不健全 -> 0 } }\n", "t.rule")  # fmt: skip
    with pytest.raises(pingfen.DataError) as refused:
        rubric.evaluate({"状况": "健全\u200b"})
    assert '"健全\\u200b" 不在可选项' in refused.value.describe("zh") and "\u200b" not in refused.value.describe("zh")
    assert '"健全\\u200b" is not one of' in refused.value.describe("en")

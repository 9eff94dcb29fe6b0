"""A Parquet id column of lists (or structs, maps): `--engine duckdb` wrote each id as DuckDB's
text (`"[甲, 乙]"`, `{'a': 1}`), where `pingfen eval` refuses a list or mapping for an id (a JSON
record's PF508, a JSON Lines line's PF510: io.tables.id_text). Now the engine refuses the file,
PF508, in the Python path's words; a Parquet id of text or numbers is scored as before."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from duckdb_helpers import RULE, needs_duckdb
from pingfen.cli import main
from pingfen.engine import _one_valued_ids
from pingfen.errors import DataError
from pingfen.lang import Lang


def _run(tmp_path: Path, ids: str, lang: str, *, engine: bool = True, name: str = "d.parquet") -> tuple[int, str]:
    import duckdb

    rule, data, out = tmp_path / "r.rule", tmp_path / name, tmp_path / "o.csv"
    rule.write_text(RULE, encoding="utf-8")
    if engine:
        duckdb.sql(f"COPY (SELECT {ids} AS id, '90%' AS 满意度, {ids} AS 备注) TO '{data}' (FORMAT parquet)")
    err = io.StringIO()
    args = ["--lang", lang, "eval", *(["--engine", "duckdb"] if engine else []), str(rule), str(data), "-o", str(out)]
    code = main(args, io.StringIO(), err)
    assert code != 2 or not out.exists()
    return code, err.getvalue().strip().replace(str(data), "DATA")


@needs_duckdb
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("ids", "record"), [("['甲', '乙']", '["甲", "乙"]'), ("{'a': 1}", '{"a": 1}'),
                                             ("MAP {'a': 1}", '{"a": 1}'), ("[1, 2]::INTEGER[2]", "[1, 2]")])  # fmt: skip
def test_a_list_or_mapping_id_column_is_refused_as_pingfen_eval_refuses_such_an_id(
    tmp_path: Path, lang: str, ids: str, record: str
) -> None:
    code, said = _run(tmp_path, ids, lang)
    (tmp_path / "r.json").write_text(f'{{"id": {record}, "满意度": "90%"}}', encoding="utf-8")
    python_code, python_said = _run(tmp_path, ids, lang, engine=False, name="r.json")
    assert code == python_code == 2 and said == python_said, (said, python_said)
    assert said.startswith("错误[PF508]: 无法读取 `DATA`：编号是" if lang == "zh" else "error[PF508]: cannot read `DATA`: the id is")


@needs_duckdb
def test_a_list_beside_a_plain_id_and_a_plain_id_are_scored(tmp_path: Path) -> None:
    import duckdb

    rule, data, out = tmp_path / "r.rule", tmp_path / "d.parquet", tmp_path / "o.csv"
    rule.write_text(RULE, encoding="utf-8")
    duckdb.sql(f"COPY (SELECT 'A' AS id, ['x'] AS 编号, '90%' AS 满意度) TO '{data}' (FORMAT parquet)")  # 编号 is no id beside id
    err = io.StringIO()
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err) == 0, err.getvalue()
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert [(r["id"], r["total"]) for r in csv.DictReader(handle)] == [("A", "9.00")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_union_id_column_is_refused_as_a_mapping_is(lang: Lang) -> None:
    # a Parquet file DuckDB reads gives a union back as its STRUCT; a relation typed UNION would be
    # written as its member's text (`1`), the member's name lost: refused as a struct's id is
    kinds = {"id": "UNION(a INTEGER, b VARCHAR)", "满意度": "VARCHAR"}
    with pytest.raises(DataError) as refused:
        _one_valued_ids(kinds, "d.parquet")
    said = refused.value.render(lang)
    assert refused.value.problems[0].code == "PF508"
    assert ("编号是映射" if lang == "zh" else "the id is a mapping") in said, said

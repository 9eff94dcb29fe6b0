"""A file's column named as the DuckDB engine's own are (`_pf_misaligned`, `_pf_row`, the query's
`_pf_3`: any name beginning `_pf_`, in any case of ASCII letters) is held under a name of the
engine's while the query runs and written back under its own, as the engine passes every
other column of the file through. Before, `_pf_misaligned` of `true` was read as the engine's flag (the row refused,
PF520) and of other text stopped DuckDB (PF831), `_PF_MISALIGNED` stopped it too, and `_pf_3`
was left out as if it were an output's column (PF731)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from duckdb_helpers import duckdb, needs_duckdb
from pingfen.cli import main

RULE = """rubric "名" {
  total 10
}
input rate: percent
indicator 甲 10 {
  bands rate {
    >= 90% -> 10
    else -> 0
  }
}
"""
BATCH = """rubric "名" {
  total 10
}
input rate: percent
let 最低 = batch min(rate)
indicator 甲 10 { award 10 if rate > 最低 }
"""
NAMES = ["_pf_misaligned", "_PF_MISALIGNED", "_Pf_row", "_pf_3", "_pf_misaligned0", "_pf_kept0", "_pf_layer0", "_pf_own_rate", "_pf_c0"]


def _run(tmp_path: Path, data: Path, output: str, rule: str = RULE) -> tuple[int, str, list[dict[str, str]]]:
    (tmp_path / "a.rule").write_text(rule, encoding="utf-8")
    out, err = tmp_path / output, io.StringIO()
    code = main(["--lang", "en", "eval", "--engine", "duckdb", str(tmp_path / "a.rule"), str(data), "-o", str(out)], io.StringIO(), err)
    if out.suffix == ".parquet":
        cursor = duckdb.connect().execute(f"SELECT * FROM read_parquet('{out}')")
        names = [d[0] for d in cursor.description]
        return code, err.getvalue(), [{n: "" if v is None else str(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]
    with out.open(encoding="utf-8-sig", newline="") as handle:
        return code, err.getvalue(), list(csv.DictReader(handle))


@needs_duckdb
@pytest.mark.parametrize("output", ["o.csv", "o.parquet"])
@pytest.mark.parametrize("name", NAMES)
def test_a_csv_column_named_as_the_engines_own_is_passed_through(tmp_path: Path, name: str, output: str) -> None:
    data = tmp_path / "d.csv"
    data.write_text(f"id,rate,{name}\n1,95%,true\n2,50%,x\n3,,1\n", encoding="utf-8")
    code, said, rows = _run(tmp_path, data, output)
    assert code == 1 and "PF731" not in said, said
    assert list(rows[0]) == ["id", name, "甲", "total", "grade", "refusal", "refusal_input"]
    assert [(r["id"], r[name], r["甲"], r["refusal"]) for r in rows] == [("1", "true", "10", ""), ("2", "x", "0", ""), ("3", "1", "", "PF501")]
    printed = io.StringIO()  # scored as `pingfen eval` scores the rows
    main(["--lang", "en", "eval", str(tmp_path / "a.rule"), str(data), "--format", "csv"], printed, io.StringIO())
    python = list(csv.DictReader(io.StringIO(printed.getvalue().lstrip("\ufeff"))))
    assert [(r["id"], r["甲"]) for r in python] == [(r["id"], r["甲"]) for r in rows]


@needs_duckdb
@pytest.mark.parametrize("name", ["_pf_misaligned", "_PF_MISALIGNED", "_pf_row", "_pf_own_最低"])
def test_a_batch_rubrics_csv_passes_it_through_in_the_files_order(tmp_path: Path, name: str) -> None:
    """Ordered by the engine's place of each row (`_pf_row`), not by a file's column of its name."""
    data = tmp_path / "d.csv"
    data.write_text(f"id,{name},rate\n" + "".join(f"{i},{chr(122 - i)},{i}%\n" for i in range(20)), encoding="utf-8")
    for output in ("o.csv", "o.parquet"):
        code, said, rows = _run(tmp_path, data, output, BATCH)
        assert code == 0, said
        assert [(r["id"], r[name], r["甲"]) for r in rows] == [(str(i), chr(122 - i), "0" if i == 0 else "10") for i in range(20)], output


@needs_duckdb
@pytest.mark.parametrize("output", ["o.csv", "o.parquet"])
@pytest.mark.parametrize("name", NAMES)
def test_a_parquet_column_named_as_the_engines_own_is_passed_through(tmp_path: Path, name: str, output: str) -> None:
    data = tmp_path / "d.parquet"
    duckdb.connect().execute(f"""COPY (SELECT * FROM (VALUES ('1', 0.95, true), ('2', 0.5, false)) t(id, rate, "{name}")) TO '{data}' (FORMAT parquet)""")
    code, said, rows = _run(tmp_path, data, output)
    assert code == 0 and "PF731" not in said, said
    assert [(r["id"], r[name].lower(), r["甲"]) for r in rows] == [("1", "true", "10"), ("2", "false", "0")]


@needs_duckdb
def test_two_such_columns_each_keep_their_values(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("_pf_kept1,id,rate,_PF_MISALIGNED,_pf_kept0\na,1,95%,b,c\n", encoding="utf-8")
    code, said, rows = _run(tmp_path, data, "o.csv")
    assert code == 0, said
    assert [(r["_pf_kept1"], r["id"], r["_PF_MISALIGNED"], r["_pf_kept0"], r["甲"]) for r in rows] == [("a", "1", "b", "c", "10")]

"""`pingfen eval --engine duckdb 填报[1].parquet` scored another file: DuckDB's readers take a
path as a glob pattern, so `[1]` matched `填报1.parquet` beside it (and `q?.csv` every file of
one character after `q`). The engine's paths are read literally now, each glob character in a
class of its own (`[[]`), whatever the folder holds."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from duckdb_helpers import SCORE_RULE, duckdb, ids_csv, ids_parquet, needs_duckdb
from pingfen.cli import main


def _scored_ids(tmp_path: Path, data: Path, out: Path) -> list[str]:
    rule = tmp_path / "r.rule"
    rule.write_text(SCORE_RULE, encoding="utf-8")
    err = io.StringIO()
    code = main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    assert code == 0, err.getvalue()
    if out.suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as f:
            return [row["id"] for row in csv.DictReader(f)]
    con = duckdb.connect()
    try:
        return [str(row[0]) for row in con.execute(f"SELECT id FROM read_parquet('{out}')").fetchall()]
    finally:
        con.close()


@needs_duckdb
@pytest.mark.parametrize(("named", "other"), [("填报[1]", "填报1"), ("q?", "qx"), ("a*b", "a-b"), ("[终版]", "终")])
@pytest.mark.parametrize(("suffix", "write"), [(".parquet", ids_parquet), (".csv", ids_csv)])
def test_the_file_named_is_scored_not_one_its_name_matches_as_a_pattern(tmp_path: Path, named: str, other: str, suffix: str,
                                                                        write: object) -> None:  # fmt: skip
    assert callable(write)
    write(tmp_path / f"{named}{suffix}", ["named-1", "named-2"])
    write(tmp_path / f"{other}{suffix}", ["other-1", "other-2", "other-3"])
    out = tmp_path / f"结果{suffix}"
    assert _scored_ids(tmp_path, tmp_path / f"{named}{suffix}", out) == ["named-1", "named-2"]


@needs_duckdb
def test_a_folder_whose_name_is_a_pattern_is_read_as_named(tmp_path: Path) -> None:
    (tmp_path / "2021[a]").mkdir()
    (tmp_path / "2021a").mkdir()
    ids_parquet(tmp_path / "2021[a]" / "填报.parquet", ["named"])
    ids_parquet(tmp_path / "2021a" / "填报.parquet", ["other"])
    assert _scored_ids(tmp_path, tmp_path / "2021[a]" / "填报.parquet", tmp_path / "2021[a]" / "结果.parquet") == ["named"]


YEAR = """rubric "r" { total 10 }
input 年度: count
input 分: number >= 0 and <= 10
indicator 甲 10 { score = if 年度 = 2019 then 分 else 0 }
"""


@needs_duckdb
@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_a_folder_named_as_a_hive_partition_changes_no_value(tmp_path: Path, suffix: str) -> None:
    """DuckDB read a file in a folder named `年度=2021` as a Hive partition: every row's 年度
    became 2021 in place of the file's own 2019 (a CSV's column failed to convert instead),
    and a file without the column gained one, scoring where `pingfen eval` refuses PF501."""
    folder = tmp_path / "年度=2021"
    folder.mkdir()
    data = folder / f"填报{suffix}"
    if suffix == ".csv":
        data.write_text("id,年度,分\n甲,2019,7\n", encoding="utf-8")
    else:
        con = duckdb.connect()
        con.execute(f"COPY (SELECT '甲' AS id, 2019 AS 年度, 7 AS 分) TO '{data}' (FORMAT parquet)")
        con.close()
    rule = tmp_path / "r.rule"
    rule.write_text(YEAR, encoding="utf-8")
    out = tmp_path / f"结果{suffix}"
    err = io.StringIO()
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err) == 0, err.getvalue()
    con = duckdb.connect()
    try:
        reader = "read_csv" if suffix == ".csv" else "read_parquet"
        [(total,)] = con.execute(f"SELECT total FROM {reader}('{out}', hive_partitioning = false)").fetchall()
    finally:
        con.close()
    assert Decimal(str(total)) == 7  # 年度 read as the file's 2019: 分 counts


@needs_duckdb
def test_a_file_in_a_hive_named_folder_gains_no_input(tmp_path: Path) -> None:
    folder = tmp_path / "年度=2021"
    folder.mkdir()
    data = folder / "填报.parquet"  # no 年度: refused PF501, as `pingfen eval` refuses it
    con = duckdb.connect()
    con.execute(f"COPY (SELECT '甲' AS id, 7 AS 分) TO '{data}' (FORMAT parquet)")
    con.close()
    rule = tmp_path / "r.rule"
    rule.write_text(YEAR, encoding="utf-8")
    err = io.StringIO()
    main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(tmp_path / "结果.csv")], io.StringIO(), err)
    found = (tmp_path / "结果.csv").read_text(encoding="utf-8-sig")
    assert "PF501" in found, found

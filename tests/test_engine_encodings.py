"""`pingfen eval --engine duckdb` reads a CSV file in every encoding `pingfen eval` reads: UTF-8
with or without a BOM, UTF-16/32 with a BOM, GBK/GB18030 — what a spreadsheet on a Chinese
Windows machine saves as CSV — and with the delimiter `pingfen eval` takes from the header.
DuckDB reads UTF-8 only: before, a GBK or UTF-16 file stopped the engine with PF831 while
`pingfen eval` scored it. `--encoding` is honoured as it is by `pingfen eval`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from test_engine_duckdb import RULESET, _agree, _csv, _records, _rows


def _engine(data: Path, out: Path, *extra: str) -> tuple[int, str]:
    err = io.StringIO()
    code = main(["eval", "--engine", "duckdb", str(RULESET), str(data), "-o", str(out), *extra], out=io.StringIO(), err=err)
    return code, err.getvalue()


@needs_duckdb
@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-32", "utf-8-sig", "utf-8"])
def test_a_csv_in_each_encoding_pingfen_reads_scores_as_evaluate_does(tmp_path: Path, encoding: str) -> None:
    records = _records(200, seed=31)
    utf8, data, out = tmp_path / "u.csv", tmp_path / "填报.csv", tmp_path / "结果.csv"
    _csv(utf8, records)  # ids 单位0 … and input names in Chinese: not ASCII
    text = utf8.read_text(encoding="utf-8")
    data.write_text(text, encoding=encoding)
    utf8.unlink()
    assert (text.encode(encoding) == text.encode("utf-8")) == (encoding == "utf-8")  # Chinese names: other bytes
    code, said = _engine(data, out)
    assert code in (0, 1), said
    rows = _rows(out)
    assert len(rows) == len(records)
    for i, record in enumerate(records):
        _agree(record, rows[f"单位{i}"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([data.name, out.name])  # the UTF-8 copy is gone


@needs_duckdb
def test_a_semicolon_csv_and_an_encoding_given(tmp_path: Path) -> None:
    records = _records(50, seed=32)
    utf8, data, out = tmp_path / "u.csv", tmp_path / "d.csv", tmp_path / "o.csv"
    _csv(utf8, records)
    data.write_text(utf8.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-16-le")  # no BOM: not sniffed
    code, said = _engine(data, out, "--encoding", "utf-16-le")
    assert code in (0, 1), said
    rows = _rows(out)
    for i, record in enumerate(records):
        _agree(record, rows[f"单位{i}"])


@needs_duckdb
def test_a_file_that_is_no_text_pingfen_reads_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    data, out = tmp_path / "d.csv", tmp_path / "o.csv"
    data.write_bytes(bytes(range(128, 256)) * 40)
    code, said = _engine(data, out)
    assert code == 2 and "PF521" in said and "Traceback" not in said
    code, said = _engine(data, out, "--encoding", "no-such-codec")
    assert code == 2 and "PF508" in said and "未知的编码 'no-such-codec'" in said  # as pingfen eval words it
    assert not out.exists()

"""`pingfen eval RULESET FILE.parquet` without `--engine duckdb` read the Parquet file as a YAML
record: "PF508: not UTF-8 text (at byte 59) — save the file as UTF-8", advice that cannot
help. It is PF511, whose hint says that DuckDB scores a Parquet file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main

ROOT = Path(__file__).resolve().parent.parent
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
PARQUET = b"PAR1\x15\x04\x15\x10\x15\x14L\x15\x02\x15\x00\x12\x00\x00\x08\x1c\xff\xfe" + b"\0" * 64 + b"PAR1"


@pytest.mark.parametrize(("lang", "said"), [("zh", "pingfen eval --engine duckdb 评分表 文件.parquet"),
                                            ("en", "pingfen eval --engine duckdb RULESET FILE.parquet")])  # fmt: skip
def test_a_parquet_file_without_the_duckdb_engine_is_pf511_saying_how(tmp_path: Path, lang: str, said: str) -> None:
    path = tmp_path / "填报.parquet"
    path.write_bytes(PARQUET)
    for command in ("eval", "report"):
        out, err = io.StringIO(), io.StringIO()
        code = main(["--lang", lang, command, str(RULESET), str(path)], out, err)
        assert code == 2 and "PF511" in err.getvalue() and said in err.getvalue(), err.getvalue()
        assert "UTF-8" not in err.getvalue() and not out.getvalue()
    with pytest.raises(pingfen.DataError) as refused:
        pingfen.read_records(path)
    assert refused.value.code == "PF511"

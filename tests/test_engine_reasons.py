"""`pingfen eval --engine duckdb --reasons`: the output file has the query's `reasons` column,
and pingfen.sql.Explainer words each row's reasons back into the sentences evaluate() gives;
`--reasons` without the engine is refused (PF816)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from pingfen.sql import Explainer
from test_engine_duckdb import RUBRIC, RULESET, _csv, _records, _rows, as_read


@needs_duckdb
def test_the_reasons_column_words_back_as_evaluate_gives_them(tmp_path: Path) -> None:
    records = _records(150, seed=11)
    _csv(tmp_path / "in.csv", records)
    err = io.StringIO()
    args = ["eval", "--engine", "duckdb", str(RULESET), str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.parquet"), "--reasons"]
    assert main(args, out=io.StringIO(), err=err) in (0, 1), err.getvalue()
    rows = _rows(tmp_path / "out.parquet")
    explainer = Explainer(RUBRIC)
    worded = 0
    for i, record in enumerate(records):
        row = rows[f"单位{i}"]
        try:
            result = RUBRIC.evaluate(as_read(record))  # the CSV's cells, as pingfen eval reads them
        except pingfen.DataError:
            assert row["reasons"] is None and row["refusal"] is not None
            continue
        for lang in ("zh", "en"):
            assert explainer.explain(row, lang) == {n.name: n.reasons_in(lang) for n in result.nodes() if n.explanations}, (record, lang)
        worded += bool(result.nodes() and any(n.explanations for n in result.nodes()))
    assert worded > 50  # most records lost a point somewhere


@needs_duckdb
def test_without_reasons_there_is_no_reasons_column(tmp_path: Path) -> None:
    _csv(tmp_path / "in.csv", _records(5, seed=12))
    main(["eval", "--engine", "duckdb", str(RULESET), str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv")], out=io.StringIO(), err=io.StringIO())
    assert all("reasons" not in row for row in _rows(tmp_path / "out.csv").values())


def test_reasons_without_the_engine_is_refused_in_words(tmp_path: Path) -> None:
    _csv(tmp_path / "in.csv", _records(2, seed=13))
    for lang, words in (("zh", "须与 --engine duckdb 同用"), ("en", "goes with --engine duckdb")):
        err = io.StringIO()
        code = main(["eval", str(RULESET), str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--reasons", "--lang", lang], out=io.StringIO(), err=err)
        assert code == 2 and "PF816" in err.getvalue() and words in err.getvalue(), err.getvalue()
    assert not (tmp_path / "out.csv").exists()


def test_pf816_says_what_the_python_batch_writes(tmp_path: Path) -> None:
    """The Python batch's JSON Lines rows hold no reasons: PF816 says so, and points to the
    reports that do. Before, it said those rows held every reason."""
    _csv(tmp_path / "in.csv", _records(2, seed=14))
    printed = io.StringIO()
    main(["eval", str(RULESET), str(tmp_path / "in.csv"), "--format", "jsonl"], out=printed, err=io.StringIO())
    rows = [json.loads(line) for line in printed.getvalue().splitlines()]
    assert rows and all(set(row) >= {"id", "total"} and not any("reason" in key or "理由" in key for key in row) for row in rows)
    for lang, words in (("zh", "只有分数"), ("en", "hold the scores only")):
        err = io.StringIO()
        main(["eval", str(RULESET), str(tmp_path / "in.csv"), "--reasons", "--lang", lang], out=io.StringIO(), err=err)
        assert words in err.getvalue() and "pingfen report" in err.getvalue(), err.getvalue()
        assert "every reason" not in err.getvalue() and "全部扣分理由" not in err.getvalue()

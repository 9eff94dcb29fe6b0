"""`pingfen eval RULESET FILE.parquet` without `--engine duckdb` read the Parquet file as a YAML
record: "PF508: not UTF-8 text (at byte 59) — save the file as UTF-8", advice that cannot
help. It is PF511, whose hint says that DuckDB scores a Parquet file."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
from pingfen.lang import Lang

ROOT = Path(__file__).resolve().parent.parent
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
PARQUET = b"PAR1\x15\x04\x15\x10\x15\x14L\x15\x02\x15\x00\x12\x00\x00\x08\x1c\xff\xfe" + b"\0" * 64 + b"PAR1"


@pytest.mark.parametrize(("lang", "said"), [("zh", "pingfen eval --engine duckdb 评分表 文件.parquet"),
                                            ("en", "pingfen eval --engine duckdb RULESET FILE.parquet")])  # fmt: skip
def test_a_parquet_file_without_the_duckdb_engine_is_pf511_saying_how(tmp_path: Path, lang: str, said: str) -> None:
    path = tmp_path / "填报.parquet"
    path.write_bytes(PARQUET)
    out, err = io.StringIO(), io.StringIO()
    code = main(["--lang", lang, "eval", str(RULESET), str(path)], out, err)
    assert code == 2 and "PF511" in err.getvalue() and said in err.getvalue(), err.getvalue()
    assert "UTF-8" not in err.getvalue() and not out.getvalue()
    with pytest.raises(pingfen.DataError) as refused:
        pingfen.read_records(path)
    assert refused.value.code == "PF511"


CONVERT = {
    "zh": "读取 .xlsx、.csv、.jsonl、.json 或 .yaml 文件，不读取 Parquet（仅 pingfen eval --engine duckdb 可为其评分）："
          "请先导出为 CSV，例如在 DuckDB 中执行 COPY (FROM '文件.parquet') TO '文件.csv'",
    "en": "reads .xlsx, .csv, .jsonl, .json or .yaml, not Parquet (only pingfen eval --engine duckdb scores it): "
          "export it to CSV first, e.g. in DuckDB: COPY (FROM 'FILE.parquet') TO 'FILE.csv'",
}
FILL_IN = {"zh": "不是自评表：pingfen template 评分表 -o 自评表.xlsx 可生成待填写的工作簿",
           "en": "not a self-evaluation: pingfen template RULESET -o FILLED.xlsx writes a workbook to fill in"}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_parquet_file_given_to_report_replay_or_audit_is_told_how_to_convert_it(tmp_path: Path, lang: str) -> None:
    """report, diff --replay and audit said eval's hint, "pingfen eval --engine duckdb …", which
    scores the file and neither reports nor replays it; audit gave no hint at all."""
    path = tmp_path / "填报.parquet"
    path.write_bytes(PARQUET)
    r, p = str(RULESET), str(path)
    for argv, said in [(["report", r, p, "-o", str(tmp_path / "x.html")], f"pingfen report {CONVERT[lang]}"),
                       (["diff", r, r, "--replay", p], f"pingfen diff --replay {CONVERT[lang]}"),
                       (["audit", r, p], FILL_IN[lang])]:  # fmt: skip
        out, err = io.StringIO(), io.StringIO()
        code = main(["--lang", lang, *argv], out, err)
        assert code == 2 and "PF511" in err.getvalue() and said in err.getvalue(), err.getvalue()
        assert "--engine duckdb 评分表 文件.parquet" not in err.getvalue() and "RULESET FILE.parquet" not in err.getvalue()
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_parquet_file_given_to_the_report_and_replay_functions_is_told_how_to_convert_it(
    tmp_path: Path, lang: Lang
) -> None:
    """Called from Python, report_file, report_folder and replay_file said eval's hint: only the
    command line put the one that fits in its place, after the fact."""
    from pingfen.batch import report_file
    from pingfen.batchreport import report_folder
    from pingfen.replay import replay_file

    path = tmp_path / "填报.parquet"
    path.write_bytes(PARQUET)
    rubric = pingfen.load(RULESET, tests=False)
    calls: list[tuple[Callable[[], object], str]] = [
        (lambda: report_file(rubric, path, "html", tmp_path / "x.html"), "report"),
        (lambda: report_folder(rubric, path, tmp_path / "out"), "report"),
        (lambda: replay_file(rubric, rubric, path), "diff --replay"),
    ]
    for call, command in calls:
        with pytest.raises(pingfen.DataError) as refused:
            call()
        said = refused.value.render(lang)
        assert refused.value.code == "PF511" and f"pingfen {command} {CONVERT[lang]}" in said, said
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "out").exists()

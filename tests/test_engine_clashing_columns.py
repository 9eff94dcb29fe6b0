"""`pingfen eval --engine duckdb` on a file with a column named as one the output holds
(total, grade, refusal, refusal_input, reasons, an indicator's name; in any case, as DuckDB
matches names): the output's own columns keep their names and pingfen's values, the file's
clashing columns are left out with a warning (PF731), and the summary counts pingfen's
refusals. Before, the file's `total` and `refusal` took the names, pingfen's came out as
`total_1`, `refusal_1`, and the summary counted the file's `refusal` column."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.cli import main
from pingfen.io.tables import read_rows

RUBRIC_TEXT = """rubric "同名" {
  total 20
  grade 好 >= 15
  grade 差 otherwise
}
input 数: number

indicator 甲 10 {
  deduct 1 per 1 of 数 above 3
}
indicator 乙 10 {
  when 数 >= 5 -> 2
  else -> 10
}
"""
RUBRIC = pingfen.loads(RUBRIC_TEXT, "a.rule", tests=False)
CLASHING = ["total", "Grade", "refusal", "refusal_input", "reasons", "甲"]
HEADER = ["id", "数", *CLASHING, "备注"]
ROWS = [["一", "2", "1", "x", "PF999", "数", "{}", "0", "留"], ["二", "6", "1", "x", "PF999", "数", "{}", "0", "留"],
        ["三", "", "1", "x", "", "", "", "0", "留"]]  # fmt: skip


def _python(data: Path) -> list[tuple[str | None, str | None, Decimal | None, str | None]]:
    """(id, refusal's code, total, grade) as `pingfen eval` scores each row."""
    out: list[tuple[str | None, str | None, Decimal | None, str | None]] = []
    for row in read_rows(data):
        try:
            result = RUBRIC.evaluate(row.values)
            out.append((row.id, None, result.total, result.grade))
        except pingfen.DataError as refused:
            out.append((row.id, refused.problems[0].code, None, None))
    return out


def _engine(tmp_path: Path, data: Path, lang: str = "zh") -> tuple[int, list[str], list[dict[str, str]], str]:
    rule, out = tmp_path / "a.rule", tmp_path / "o.csv"
    rule.write_text(RUBRIC_TEXT, encoding="utf-8")
    err = io.StringIO()
    code = main(["--lang", lang, "eval", "--engine", "duckdb", "--reasons", str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return code, rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]], err.getvalue()


def _csv(tmp_path: Path) -> Path:
    data = tmp_path / "d.csv"
    with data.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *ROWS])
    return data


def _parquet(tmp_path: Path) -> Path:
    data = tmp_path / "d.parquet"
    source = _csv(tmp_path)
    assert duckdb is not None
    duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{source}', all_varchar = true)) TO '{data}' (FORMAT parquet)")
    return data


@needs_duckdb
@pytest.mark.parametrize("made", [_csv, _parquet])
def test_the_outputs_own_columns_keep_their_names_and_pingfens_values(tmp_path: Path, made: object) -> None:
    assert callable(made)
    data = made(tmp_path)
    code, header, got, said = _engine(tmp_path, data)
    assert header == ["id", "备注", "甲", "乙", "total", "grade", "reasons", "refusal", "refusal_input"]
    expected = _python(_csv(tmp_path))
    assert [(g["id"], g["refusal"] or None, Decimal(g["total"]) if g["total"] else None, g["grade"] or None) for g in got] == expected
    assert [g["备注"] for g in got] == ["留"] * 3  # a column named as none of the output's is passed through
    assert [g["refusal_input"] for g in got] == ["", "", "数"]
    assert code == 1 and said.splitlines() == [
        "pingfen eval: PF731: 文件中的列 `total`、`Grade`、`refusal`、`refusal_input`、`reasons`、`甲` 与 pingfen 写出的列同名，未写入输出（如需保留请改名）",
        "已评分 3 行，其中 1 行无法评分（见 refusal 列）",  # pingfen's refusals, not the file's two `PF999`
    ]


@needs_duckdb
def test_the_warning_in_english(tmp_path: Path) -> None:
    _, _, _, said = _engine(tmp_path, _csv(tmp_path), lang="en")
    assert said.splitlines()[0] == ("pingfen eval: PF731: the file's columns `total`, `Grade`, `refusal`, `refusal_input`, `reasons`, `甲` "
                                    "are named as columns pingfen writes; they are not written to the output (rename them to keep them)")  # fmt: skip


@needs_duckdb
def test_no_warning_without_a_clash(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,数,备注\n一,2,留\n", encoding="utf-8")
    code, header, _, said = _engine(tmp_path, data)
    assert code == 0 and "PF731" not in said and header == ["id", "备注", "甲", "乙", "total", "grade", "reasons", "refusal", "refusal_input"]

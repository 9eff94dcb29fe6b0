"""`pingfen eval --engine duckdb` reads a panel of experts from a file as `pingfen eval` does:
- from the data-entry template's numbered columns (`专家评分1`, `专家评分2`, … or `专家评分[1]`,
  …), the non-blank cells in the order of their numbers (rubric.panel_value). It used to want
  one column holding the list, and stopped the whole file with PF831 naming it;
- from one column of text, split as values.coerce_list splits it (`8、9、7.5`, `8 9 7.5`,
  `[8, 9, 7.5]`). The engine used to read only the bracketed spelling, and evaluate() only the
  others: the same CSV scored differently on the two paths."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from pingfen.values import list_text, numbered_columns
from test_sql_forms_last import PANEL

HEADER = ["id", "专家评分1", "专家评分2", "专家评分3", "专家评分4", "专家评分5", "专家评分10", "方案评分[1]", "方案评分［2］", "次数1"]
ROWS = [
    ["全", "8", "9", "7", "10", "6.5", "", "9", "8", "3"],
    ["有空格", "8", "", "9", "", "7", "5", "9", "", "0"],  # blanks left out; 专家评分10 after 专家评分5
    ["坏值", "8", "9,5", "7", "", "", "", "9", "", "0"],  # PF502 for the cell, not a split of it
    ["全空", "", "", "", "", "", "", "9", "", "0"],  # no value at all: PF501
    ["全角空格", "8", "\u3000", "7", "6", " ", "", "9", "8", "1"],  # blank as str.strip() says
    ["超界", "8", "9", "7", "11", "", "", "9", "", "0"],  # PF503
    ["两个", "8", "9", "", "", "", "", "9", "", "0"],  # trimmed_mean of 2: PF540
]


def _engine(rule: Path, data: Path, out: Path) -> list[dict[str, str]]:
    main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO())
    with out.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _expected(rubric: pingfen.Rubric, row: dict[str, object]) -> tuple[str, str]:
    """evaluate()'s total (as the query writes it) or its first problem's code."""
    try:
        return f"{rubric.evaluate(row).total:.4f}", ""
    except pingfen.DataError as refused:
        return "", refused.problems[0].code


def test_numbered_columns_are_found_in_the_order_of_their_numbers() -> None:
    columns = ["专家评分10", "专家评分2", "专家评分", "专家评分x", "专家评分[1]", "方案评分1", "专家评分［3］", "专家评分12345"]
    assert numbered_columns("专家评分", columns) == ["专家评分[1]", "专家评分2", "专家评分［3］", "专家评分10"]


@needs_duckdb
def test_a_csv_of_the_templates_numbered_columns_scores_as_evaluate_does(tmp_path: Path) -> None:
    rubric = pingfen.loads(PANEL, "p.rule", tests=False)
    rule, data = tmp_path / "p.rule", tmp_path / "d.csv"
    rule.write_text(PANEL, encoding="utf-8")
    with data.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *ROWS])
    got = _engine(rule, data, tmp_path / "o.csv")
    assert [r["id"] for r in got] == [row[0] for row in ROWS]
    expected = [_expected(rubric, dict(zip(HEADER, row, strict=True))) for row in ROWS]
    assert [(r["total"], r["refusal"]) for r in got] == expected
    assert [code for _, code in expected] == ["", "", "PF502", "PF501", "", "PF503", "PF540"]
    first = rubric.evaluate(dict(zip(HEADER, ROWS[1], strict=True)))
    assert Decimal(got[1]["专家评审"]) == first["专家评审"].score == Decimal("7.5")  # 8, 9, 7, 5 without the highest and lowest


@needs_duckdb
def test_a_parquet_files_numbered_columns_of_numbers_are_read_too(tmp_path: Path) -> None:
    import duckdb

    rule, data = tmp_path / "p.rule", tmp_path / "d.parquet"
    rule.write_text(PANEL, encoding="utf-8")
    con = duckdb.connect()
    con.execute(
        'CREATE TABLE t AS SELECT * FROM (VALUES (1, 8.0, NULL, 9.5, 7, 9.0, 2), (2, 8.0, 9.0, NULL, NULL, 6.0, 0)) '
        'v(id, "专家评分1", "专家评分2", "专家评分3", "专家评分4", "方案评分1", "次数1")'
    )
    con.execute(f"COPY t TO '{data}' (FORMAT parquet)")
    got = _engine(rule, data, tmp_path / "o.csv")
    assert [(r["专家评审"], r["refusal"]) for r in got] == [("8.00000000000000000000", ""), ("", "PF540")]


def test_a_panels_text_loses_its_spaces_and_one_pair_of_brackets() -> None:
    assert [list_text(t) for t in (" [8, 9] ", "［8，9］", "[ 8 ]", "[[8]]", "[8", "8]", "[]", "[", "8 9")] == [
        "8, 9", "8，9", "8", "[8]", "[8", "8]", "", "[", "8 9",
    ]  # fmt: skip


SPELLINGS = ["[8, 9, 7]", "［8，9，7］", "8、9、7", " 8 9 7 ", "8;9；7", "8\u30009\u30007", "8,,9,7", "[ 8 9 7 ]", "[8 9 7",
             "8]", "[[8, 9, 7]]", "[]", "", "[ ]", "x, 9, 7", "8, 9", "8, 9, 11", "8, 9, 7, 10, 6.5", "1E1 9 7", "8.00 9 7"]  # fmt: skip


def _through_both(tmp_path: Path, texts: list[str]) -> None:
    """Each text as the 专家评分 cell of a row: the engine's total or refusal is evaluate()'s."""
    rubric = pingfen.loads(PANEL, "p.rule", tests=False)
    rule, data = tmp_path / "p.rule", tmp_path / "d.csv"
    rule.write_text(PANEL, encoding="utf-8")
    header = ["id", "专家评分", "方案评分", "次数"]
    rows = [[str(i), text, "9 8", "[1]"] for i, text in enumerate(texts)]
    with data.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    got = _engine(rule, data, tmp_path / "o.csv")
    expected = [_expected(rubric, dict(zip(header, row, strict=True))) for row in rows]
    assert [(r["id"], r["total"], r["refusal"]) for r in got] == [(row[0], *e) for row, e in zip(rows, expected, strict=True)]


@needs_duckdb
def test_a_panels_text_column_is_split_as_evaluate_splits_it(tmp_path: Path) -> None:
    _through_both(tmp_path, SPELLINGS)
    rubric = pingfen.loads(PANEL, "p.rule", tests=False)
    scored = [_expected(rubric, {"专家评分": t, "方案评分": "9 8", "次数": "[1]"}) for t in SPELLINGS]
    assert scored[:7] == [scored[0]] * 7 and scored[0][1] == ""  # the same panel, however written


@needs_duckdb
@given(st.lists(st.text(alphabet="0123456789.-, 、;；[]［］\u3000\tx", max_size=16), min_size=1, max_size=12))
def test_any_text_of_a_panel_is_read_alike_on_both_paths(texts: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        _through_both(Path(folder), [t.replace("\t", " ") for t in texts])  # a CSV cell may hold a tab; keep rows simple

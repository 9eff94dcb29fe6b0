"""A data file's header `投入\\u200b` (a zero-width space pasted from Word or Excel) for the
input `投入`: every row was refused "missing input `投入`", and a record's refusal suggested
"the data has `投入​`: is it misspelt?", a name that looks the same. Now PF527 names the
character (`U+200B 零宽空格`) and shows the column with it escaped; a CSV or XLSX batch is
refused whole, by `pingfen eval` and `--engine duckdb` alike."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen.cli import main

RULE = """rubric "t" { total 10 }
input 投入: percent
input 产出: percent
indicator 甲 5 { bands 投入 { >= 90% -> 5  else -> 0 } }
indicator 乙 5 { bands 产出 { >= 90% -> 5  else -> 0 } }
"""


def test_a_record_is_told_of_the_character() -> None:
    with pytest.raises(pingfen.DataError) as refused:
        pingfen.loads(RULE).evaluate({"投入\u200b": "95%", "产出": "95%"})
    (problem,) = refused.value.problems
    assert (problem.code, problem.input) == ("PF527", "投入")
    assert (
        problem.message("zh") == "缺少输入项 `投入`：数据中的 `投入\\u200b` 是带有不可见字符 U+200B 零宽空格 的 `投入`"
    )
    with pytest.raises(pingfen.DataError) as hyphen:
        pingfen.loads(RULE).evaluate({"投\u00ad入": "95%", "产出": "95%"})
    assert "`投\\u00ad入`" in hyphen.value.describe("en") and "U+00AD SOFT HYPHEN" in hyphen.value.describe("en")
    help_text = problem.help("zh")
    assert help_text is not None and "删除" in help_text and "是否拼写有误" not in help_text


def test_a_misspelling_is_still_suggested() -> None:
    with pytest.raises(pingfen.DataError) as refused:
        pingfen.loads(RULE).evaluate({"投入率": "95%", "产出": "95%"})
    assert refused.value.problems[0].code == "PF501"


def _run(tmp_path: Path, data: Path, *engine: str, lang: str = "zh") -> tuple[int, str, Path]:
    rule, out = tmp_path / "r.rule", tmp_path / "out.csv"
    rule.write_text(RULE, encoding="utf-8")
    err = io.StringIO()
    code = main(["eval", *engine, str(rule), str(data), "-o", str(out), "--lang", lang], io.StringIO(), err)
    return code, err.getvalue(), out


def _files(tmp_path: Path) -> list[Path]:
    csv_file = tmp_path / "表.csv"
    csv_file.write_text("id,投入\u200b,产出\na,95%,95%\nb,50%,95%\n", encoding="utf-8")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [["id", "投入\u200b", "产出"], ["a", "95%", "95%"], ["b", "50%", "95%"]]:
        sheet.append(row)
    xlsx_file = tmp_path / "表.xlsx"
    book.save(xlsx_file)
    return [csv_file, xlsx_file]


def test_pingfen_eval_refuses_the_file(tmp_path: Path) -> None:
    for data in _files(tmp_path):
        code, said, out = _run(tmp_path, data)
        assert code == 2 and "PF527" in said and "U+200B 零宽空格" in said and "`投入\\u200b`" in said, said
        assert not out.exists()


@needs_duckdb
def test_the_duckdb_engine_says_the_same(tmp_path: Path) -> None:
    for data in _files(tmp_path):
        for lang in ("zh", "en"):
            code, said, out = _run(tmp_path, data, "--engine", "duckdb", lang=lang)
            python_code, python_said, _ = _run(tmp_path, data, lang=lang)
            assert (code, python_code) == (2, 2) and not out.exists()
            with pytest.raises(pingfen.DataError) as refused:  # the words: a record's own PF527 message
                pingfen.loads(RULE).evaluate({"投入\u200b": "95%", "产出": "95%"})
            words = refused.value.problems[0].message(lang)  # type: ignore[arg-type]
            assert words in said and words in python_said, (said, python_said)


def test_the_exact_column_beside_it_is_read(tmp_path: Path) -> None:
    data = tmp_path / "表.csv"
    data.write_text("id,投入,投入\u200b,产出\na,95%,x,95%\n", encoding="utf-8")
    code, said, _ = _run(tmp_path, data)
    assert code == 0, said


def test_an_id_column_not_found_lists_the_columns_escaped(tmp_path: Path) -> None:
    from pingfen.io.tables import read_rows

    data = tmp_path / "表.csv"
    data.write_text("编号\u200b,投入,产出\na,95%,95%\n", encoding="utf-8")
    with pytest.raises(pingfen.DataError) as refused:
        read_rows(data, id_column="单位")
    assert refused.value.problems[0].code == "PF509"
    assert "编号\\u200b, 投入, 产出" in refused.value.describe("zh")


def test_an_audit_names_the_character_not_a_look_alike() -> None:
    from pingfen.audit import audit

    rubric = pingfen.loads(RULE)
    with pytest.raises(pingfen.DataError) as refused:
        audit(rubric, {"甲\u200b": 5, "乙": 5}, {"投入": "95%", "产出": "95%"})
    (problem,) = refused.value.problems
    assert problem.code == "PF513" and problem.message("zh") == "`甲\\u200b` 不是评分表中的分组或指标"
    assert problem.hint == "invisible_column"
    with pytest.raises(pingfen.DataError) as refused:
        audit(rubric, {"甲": 5, "乙": 5}, {"投入\u200b": "95%", "产出": "95%"})
    (problem,) = refused.value.problems
    assert problem.code == "PF517" and "`投入\\u200b`" in problem.message("en") and problem.hint == "invisible_column"


# ---------------------------------------------------------------- the id column


def _id_files(tmp_path: Path, name: str) -> list[Path]:
    csv_file = tmp_path / "编号.csv"
    csv_file.write_text(f"{name},投入,产出\na,95%,95%\nb,50%,95%\n", encoding="utf-8")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [[name, "投入", "产出"], ["a", "95%", "95%"], ["b", "50%", "95%"]]:
        sheet.append(row)
    xlsx_file = tmp_path / "编号.xlsx"
    book.save(xlsx_file)
    return [csv_file, xlsx_file]


@pytest.mark.parametrize("name", ["id\u200b", "编\u00ad号", "I\u200dD"])
def test_an_id_column_with_an_invisible_character_refuses_the_file(tmp_path: Path, name: str) -> None:
    """`id\\u200b` was no id column: every row was written with its id blank, exit 0, nothing said."""
    from pingfen.io.tables import read_rows

    for data in _id_files(tmp_path, name):
        code, said, out = _run(tmp_path, data)
        assert code == 2 and "PF528" in said and not out.exists(), said
        assert "的编号列" in said and "带有不可见字符" in said and "删除" in said
        with pytest.raises(pingfen.DataError) as refused:
            read_rows(data)
        (problem,) = refused.value.problems
        char = "U+200B ZERO WIDTH SPACE" if "\u200b" in name else "U+00AD SOFT HYPHEN" if "\u00ad" in name else "U+200D"
        assert problem.code == "PF528" and char in problem.message("en") and problem.hint == "invisible_column"


def test_an_id_column_named_with_an_invisible_character_by_id_column(tmp_path: Path) -> None:
    """`--id-column 编号` for a header `编号\\u200b` said only that there is no such column."""
    from pingfen.io.tables import read_rows

    data = _id_files(tmp_path, "编号\u200b")[0]
    with pytest.raises(pingfen.DataError) as refused:
        read_rows(data, id_column="编号")
    (problem,) = refused.value.problems
    assert problem.message("zh") == f"`{data}` 的编号列 `编号\\u200b` 是带有不可见字符 U+200B 零宽空格 的 `编号`：各行将没有编号"


def test_an_exact_id_column_beside_it_is_read(tmp_path: Path) -> None:
    from pingfen.io.tables import read_rows

    data = tmp_path / "表.csv"
    data.write_text("id\u200b,编号,投入,产出\nx,a,95%,95%\n", encoding="utf-8")
    assert [row.id for row in read_rows(data)] == ["a"]
    data.write_text("投入,产出\n95%,95%\n", encoding="utf-8")  # no id column at all: rows by their number, as before
    assert [row.id for row in read_rows(data)] == [None]


@needs_duckdb
def test_the_duckdb_engine_refuses_a_hidden_id_column_alike(tmp_path: Path) -> None:
    """The engine wrote the column through as `id\\u200b`, its ids under a name no one types."""
    for data in _id_files(tmp_path, "id\u200b"):
        for lang in ("zh", "en"):
            code, said, out = _run(tmp_path, data, "--engine", "duckdb", lang=lang)
            python_code, python_said, _ = _run(tmp_path, data, lang=lang)
            assert (code, python_code) == (2, 2) and not out.exists()
            from pingfen.io.tables import hidden_id

            problem = hidden_id(str(data), ["id\u200b"], None)
            assert problem is not None
            words = problem.message(lang)  # type: ignore[arg-type]
            assert words in said and words in python_said, (said, python_said)

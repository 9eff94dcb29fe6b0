"""A data file with a title row above its header (`2024年项目数据`, merged across the table in
Excel): the title was read as the header, and every row was refused "missing input" once per
input, with no word about the header. Now the file is refused whole (PF531), the hint naming the
row that holds the inputs' names; nothing is written."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

from duckdb_helpers import needs_duckdb
from pingfen.cli import main

RULE = """rubric "t" { total 10 }
input 投入: percent
input 产出: percent
indicator 甲 5 { bands 投入 { >= 90% -> 5  else -> 0 } }
indicator 乙 5 { bands 产出 { >= 90% -> 5  else -> 0 } }
"""

ROWS = [["id", "投入", "产出"], ["a", "95%", "95%"], ["b", "50%", "95%"]]


def _xlsx(path: Path, rows: list[list[str | None]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:C1")
    book.save(path)
    return path


def _run(tmp_path: Path, *args: str) -> tuple[int, str]:
    rule = tmp_path / "r.rule"
    rule.write_text(RULE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main([args[0], str(rule), *args[1:]], out, err)
    return code, out.getvalue() + err.getvalue()


def test_a_title_row_above_the_header_is_named(tmp_path: Path) -> None:
    csv_file = tmp_path / "表.csv"
    csv_file.write_text("2024年项目数据\n" + "".join(",".join(r) + "\n" for r in ROWS), encoding="utf-8")
    xlsx_file = _xlsx(tmp_path / "表.xlsx", [["2024年项目数据", None, None], *ROWS])
    for data in (csv_file, xlsx_file):
        out = tmp_path / "out.csv"
        code, said = _run(tmp_path, "eval", str(data), "-o", str(out))
        assert code == 2 and not out.exists(), said
        assert "PF531" in said and "表头：2024年项目数据" in said and "第 2 行才是各输入项的名称" in said, said
        assert "PF501" not in said
        code, said = _run(tmp_path, "eval", str(data), "--lang", "en")
        assert code == 2 and "names none of the rubric's inputs" in said and "row 2 names inputs" in said, said


@needs_duckdb
def test_the_duckdb_engine_refuses_the_file_alike(tmp_path: Path) -> None:
    """`--engine duckdb` refused each row "missing input" (PF501) where `pingfen eval` refuses the
    file: now the same PF531 with its help, or PF532 for a header over two rows, nothing written."""
    csv_file = tmp_path / "表.csv"
    csv_file.write_text("2024年项目数据\n" + "".join(",".join(r) + "\n" for r in ROWS), encoding="utf-8")
    xlsx_file = _xlsx(tmp_path / "表.xlsx", [["2024年项目数据", None, None], *ROWS])
    split = tmp_path / "两行.csv"
    split.write_text("id,投入,指标\n,,产出\na,95%,95%\n", encoding="utf-8")
    for data, code_, words in ((csv_file, "PF531", "第 2 行才是各输入项的名称"), (xlsx_file, "PF531", "第 2 行才是各输入项的名称"), (split, "PF532", "产出")):
        out = tmp_path / "out.csv"
        code, said = _run(tmp_path, "eval", "--engine", "duckdb", str(data), "-o", str(out))
        assert code == 2 and not out.exists(), said
        assert code_ in said and words in said and "PF501" not in said, said


def test_a_report_folder_is_not_made(tmp_path: Path) -> None:
    data = _xlsx(tmp_path / "表.xlsx", [["2024年项目数据", None, None], *ROWS])
    folder = tmp_path / "报告"
    code, said = _run(tmp_path, "report", str(data), "-o", f"{folder}/", "--format", "md")
    assert code == 2 and "PF531" in said and not folder.exists(), said


def test_a_header_of_other_names_says_what_row_1_must_hold(tmp_path: Path) -> None:
    data = tmp_path / "表.csv"
    data.write_text("单位,收入,支出\na,1,2\n", encoding="utf-8")
    code, said = _run(tmp_path, "eval", str(data))
    assert code == 2 and "单位、收入、支出" in said and "第 1 行须写明各输入项的名称" in said and "`投入`" in said, said


def test_a_header_naming_one_input_is_read_as_before(tmp_path: Path) -> None:
    data = tmp_path / "表.csv"
    data.write_text("id,投入,产出率\na,95%,95%\n", encoding="utf-8")
    code, said = _run(tmp_path, "eval", str(data))
    assert code == 1 and "PF531" not in said and "缺少输入项 `产出`" in said, said


def test_diff_replay_names_the_header_too(tmp_path: Path) -> None:
    """`pingfen diff --replay` said only "3 个两版均无法评分" of such a file."""
    data = _xlsx(tmp_path / "表.xlsx", [["2024年项目数据", None, None], *ROWS])
    new = tmp_path / "new.rule"
    new.write_text(RULE.replace(">= 90%", ">= 80%"), encoding="utf-8")
    code, said = _run(tmp_path, "diff", str(new), "--replay", str(data))
    assert code == 2 and "PF531" in said and "第 2 行才是各输入项的名称" in said, said


def test_diff_replay_gives_each_version_its_own_refusal(tmp_path: Path) -> None:
    """Last year's file, its header over two rows (PF532 for the old version), names none of the
    new version's renamed inputs (PF531): `diff --replay` showed the new one's PF531 alone."""
    data = tmp_path / "各单位.csv"
    data.write_text("id,投入,指标\n,,产出\na,95%,95%\n", encoding="utf-8")
    new = tmp_path / "new.rule"
    new.write_text(RULE.replace("投入", "资金到位率").replace("产出", "产出数量"), encoding="utf-8")
    code, said = _run(tmp_path, "diff", str(new), "--replay", str(data))
    old = tmp_path / "r.rule"
    lines = [line for line in said.splitlines() if line.startswith("错误")]
    assert code == 2 and [line[:9] for line in lines] == ["错误[PF533]", "错误[PF532]", "错误[PF531]"], said
    assert f"两个版本都无法读取 `{data}`，原因各不相同：旧版（`{old}`）为 PF532，新版（`{new}`）为 PF531" in said
    assert "没有 `产出` 列，它们写在第 2 行" in said and "如 `资金到位率`" in said
    out, err = io.StringIO(), io.StringIO()
    assert main(["--lang", "en", "diff", str(old), str(new), "--replay", str(data)], out, err) == 2
    assert f"error[PF533]: both versions refuse `{data}`, each for its own reason: the old one (`{old}`) with PF532" in err.getvalue()


def test_a_header_over_two_rows_is_named(tmp_path: Path) -> None:
    """A heading merged over two columns (投入 and 产出 under 指标): row 2, the header's second
    row, was scored as a unit and every row refused "缺少输入项 `产出`"."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [["id", "投入", "指标"], [None, None, "产出"], ["a", "95%", "95%"]]:
        sheet.append(row)
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:B2")
    data = tmp_path / "表.xlsx"
    book.save(data)
    code, said = _run(tmp_path, "eval", str(data))
    assert code == 2 and "PF532" in said and "没有 `产出` 列，它们写在第 2 行" in said, said
    assert "取消表头的合并单元格" in said and "PF501" not in said


def test_a_workbook_saved_showing_another_sheet_names_the_sheet(tmp_path: Path) -> None:
    """Saved while the instructions sheet was shown: PF531 said only that row 1 must name the inputs."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "数据"
    for row in ROWS:
        sheet.append(row)
    book.create_sheet("填写说明").append(["填写说明：百分比请带%"])
    book.active = 1
    data = tmp_path / "表.xlsx"
    book.save(data)
    code, said = _run(tmp_path, "eval", str(data))
    assert code == 2 and "PF531" in said and "各输入项的名称在工作表 `数据` 中" in said, said


def test_a_tab_separated_file_under_a_title_row_is_named_too(tmp_path: Path) -> None:
    """The header below was looked for with the title row's delimiter (none, so a comma): a
    tab-separated file got the general hint, not the row that names the inputs."""
    data = tmp_path / "表.csv"
    data.write_text("2024年项目数据\n" + "".join("\t".join(r) + "\n" for r in ROWS), encoding="utf-8")
    code, said = _run(tmp_path, "eval", str(data))
    assert code == 2 and "PF531" in said and "第 2 行才是各输入项的名称" in said, said


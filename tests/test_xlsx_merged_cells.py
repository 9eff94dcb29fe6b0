"""A data workbook with merged cells: Excel keeps a merged range's value in its first cell alone,
so the rows below it (or the columns right of it) read blank, and were refused "缺少输入项"
(PF501) with no word about the merge. PF501 now names the merged cells in its hint, and says how
to mend them, in `pingfen eval`, `pingfen report` and the public `read_records` alike."""

from __future__ import annotations

import io
import pickle
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import overload

import pytest

import pingfen
from pingfen.absent import SheetRecord, in_merged
from pingfen.batchreport import report_folder
from pingfen.cli import main
from pingfen.errors import DataError, Problem
from pingfen.io import tables
from xlsx_helpers import sheet_of

RULE = """rubric "t" { total 10 }
input 人数: number
input 执行率: percent
indicator 甲 5 { award 5 if 人数 >= 3 }
indicator 乙 5 { bands 执行率 { >= 90% -> 5  else -> 0 } }
"""
HINT_ZH = "工作表 `填报` 的 {cell} 在合并单元格 {span} 中，Excel 只在 {first} 中保存其值：请取消合并，并在每一行填上各自的值"
HINT_EN = ("{cell} of the sheet `填报` lies in the merged cells {span}, whose value Excel keeps in {first} alone: "
           "unmerge them and fill in each row's value")  # fmt: skip


def _book(tmp_path: Path, rows: list[list[object]], *merges: str) -> Path:
    sheet = sheet_of([["id", "人数", "执行率"], *rows])
    sheet.title = "填报"
    for span in merges:
        sheet.merge_cells(span)
    path = tmp_path / "data.xlsx"
    sheet.parent.save(path)
    return path


def _eval(tmp_path: Path, data: Path, lang: str = "zh") -> tuple[int, str, str]:
    rule = tmp_path / "t.rule"
    rule.write_text(RULE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["eval", "--lang", lang, str(rule), str(data)], out, err)
    return code, out.getvalue(), err.getvalue()


def test_a_value_merged_down_names_the_merge_for_each_row_below(tmp_path: Path) -> None:
    data = _book(tmp_path, [["甲", 3, 0.95], ["乙", 4, None], ["丙", 5, None], ["丁", 6, 0.5]], "C2:C4")
    code, out, err = _eval(tmp_path, data)
    assert code == 1
    lines = out.splitlines()
    assert lines[1].startswith("甲,5,5,") and lines[4].startswith("丁,5,0,")  # the first cell's row is scored
    for line, cell in zip(lines[2:4], ("C3", "C4"), strict=True):
        assert "PF501: 缺少输入项 `执行率`" in line
        assert HINT_ZH.format(cell=cell, span="C2:C4", first="C2") in line
    assert HINT_ZH.format(cell="C3", span="C2:C4", first="C2") in err
    code, out, _ = _eval(tmp_path, data, "en")
    assert HINT_EN.format(cell="C4", span="C2:C4", first="C2") in out


def test_a_value_merged_across_columns_names_the_merge_for_the_column_right_of_it(tmp_path: Path) -> None:
    data = _book(tmp_path, [["甲", 3, 0.95], ["乙", 0.9, None]], "B3:C3")
    _, out, _ = _eval(tmp_path, data)
    assert HINT_ZH.format(cell="C3", span="B3:C3", first="B3") in out.splitlines()[2]


def test_a_blank_cell_not_merged_is_missing_as_before(tmp_path: Path) -> None:
    data = _book(tmp_path, [["甲", 3, 0.95], ["乙", 4, None], ["丙", None, None], ["丁", 5, 0.95]], "B4:B5")
    _, out, _ = _eval(tmp_path, data)
    lines = out.splitlines()
    assert lines[2].endswith("[乙] PF501: 缺少输入项 `执行率`")  # C3 merges nothing: no hint
    assert HINT_ZH.format(cell="B5", span="B4:B5", first="B4") in lines[4]  # 丁's 人数, under 丙's merged cell
    assert "合并" not in lines[3]  # 丙: B4 is the merge's first cell, blank itself; C4 merges nothing


def test_read_records_and_report_say_it_too(tmp_path: Path) -> None:
    data = _book(tmp_path, [["甲", 3, 0.95], ["乙", 4, None]], "C2:C3")
    rubric = pingfen.loads(RULE)
    first, second = pingfen.read_records(data)
    assert isinstance(second, SheetRecord)
    kept = pickle.loads(pickle.dumps(second))  # noqa: S301 - our own record, round-tripped
    for record in (second, kept, second.copy()):
        with pytest.raises(DataError) as refused:
            rubric.evaluate(record, lang="zh")
        (problem,) = refused.value.problems
        assert problem.code == "PF501" and problem.hint == "merged_cell"
        assert problem.help("zh") == HINT_ZH.format(cell="C3", span="C2:C3", first="C2")
    assert rubric.evaluate(first).total == Decimal(10)
    folder = tmp_path / "报告"
    written = report_folder(rubric, data, folder, "md", lang="zh")
    assert written.reports == 1 and written.summary.failures == 1
    import openpyxl

    rows = list(openpyxl.load_workbook(folder / "汇总.xlsx")["汇总"].iter_rows(values_only=True))
    assert any(HINT_ZH.format(cell="C3", span="C2:C3", first="C2") in str(row[-1]) for row in rows)


def test_merged_ranges_are_found_across_the_chunks_the_sheet_is_read_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # fmt: skip
    spans = [f"B{2 * n}:C{2 * n + 1}" for n in range(1, 40)]
    data = _book(tmp_path, [[f"u{n}", n, 0.5] for n in range(80)], *spans)
    book = tables.open_workbook(data)
    try:
        whole = tables.merged_ranges(tables.sheet_of(book, data, None))
        for chunk in (7, 64, 513):
            monkeypatch.setattr(tables, "_CHUNK", chunk)
            assert tables.merged_ranges(tables.sheet_of(book, data, None)) == whole, chunk
    finally:
        book.close()
    assert sorted(whole) == [(2 * n, 2, 2 * n + 1, 3) for n in range(1, 40)]


class _Counted(Sequence[int]):
    """A sequence that counts how often it is looked in."""

    def __init__(self, items: list[int]) -> None:
        self.items, self.looks = items, 0

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[int]: ...
    def __getitem__(self, i: int | slice) -> int | Sequence[int]:
        self.looks += 1
        return self.items[i]

    def __len__(self) -> int:
        return len(self.items)


def test_a_cells_merged_range_is_found_by_bisection() -> None:
    """Every range was scanned for each blank cell: 100k rows and 10k merges took 62.8 s, not 11.1."""
    n = 10_000
    spans = [(10 * k + 2, 3, 10 * k + 4, 3) for k in range(n)]  # C2:C4, C12:C14, …: rows between are unmerged
    tops = [span[0] for span in spans]
    for number, found in [(1, None), (2, spans[0]), (3, spans[0]), (4, spans[0]), (5, None), (11, None),
                          (12, spans[1]), (10 * (n - 1) + 4, spans[-1]), (10 * (n - 1) + 5, None), (10**7, None)]:  # fmt: skip
        counted = _Counted(tops)
        assert tables.span_over(counted, spans, number) == found
        assert counted.looks <= n.bit_length() + 1  # log2 n looks, never n
    assert tables.span_over([], [], 3) is None


def test_the_sheets_merges_are_looked_up_by_column_and_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each look-up goes through `span_over`'s bisection, given its column's ranges sorted by top
    row: a scan of every range per blank cell made 10k merges over 100k rows take a minute."""
    looked: list[list[int]] = []
    real = tables.span_over

    def span_over(tops: Sequence[int], spans: Sequence[tuple[int, int, int, int]], number: int) -> tuple[int, int, int, int] | None:
        looked.append(list(tops))
        return real(tops, spans, number)

    monkeypatch.setattr(tables, "span_over", span_over)
    data = _book(tmp_path, [["甲", 3, 0.95]] * 9, "C5:C6", "B2:C3", "C8:C10")  # given out of order
    merges = tables.SheetMerges(data, "填报", 3)
    assert merges.over(3, 3) == (2, 2, 3, 3) and merges.over(3, 2) == (2, 2, 3, 3)
    assert merges.over(4, 3) is None and merges.over(6, 3) == (5, 3, 6, 3) and merges.over(9, 3) == (8, 3, 10, 3)
    assert merges.over(11, 3) is None and merges.over(5, 2) is None and merges.over(3, 1) is None
    # every look-up in a column with ranges (not column A, which has none), each column's tops in order
    assert looked == [[2, 5, 8], [2], [2, 5, 8], [2, 5, 8], [2, 5, 8], [2, 5, 8], [2]]


def test_an_error_with_no_merged_input_is_returned_as_it_is() -> None:
    """A second DataError was built for every row refused PF501, merges or not (30k blank rows: +1.5 s)."""
    error = DataError([Problem("PF501", "人数", {"input": "人数"})])
    assert in_merged(error, {}) is error
    assert in_merged(error, {"执行率": ("填报", "C3", "C2:C3", "C2", "merged_cell")}) is error  # not the missing input's cell
    merged = in_merged(error, {"人数": ("填报", "B3", "B2:B3", "B2", "merged_cell")})
    assert merged is not error and merged.problems[0].hint == "merged_cell"


def test_a_full_row_of_a_workbook_is_a_plain_record(tmp_path: Path) -> None:
    """Every row of a workbook was a SheetRecord: `type(r) is dict` false, yaml.safe_dump refused
    it, and evaluate took its slower path. A row with no blank cell cannot be refused for a merge."""
    import yaml

    data = _book(tmp_path, [["甲", 3, "95%"], ["乙", 4, None]], "C2:C3")
    full, blank = pingfen.read_records(data)
    assert type(full) is dict and isinstance(blank, SheetRecord)
    assert yaml.safe_load(yaml.safe_dump(full, allow_unicode=True)) == full


def test_a_range_whose_first_cell_is_blank_too_is_worded_truly(tmp_path: Path) -> None:
    """“只有 C2 有值” was said though C2 was blank as well."""
    data = _book(tmp_path, [["甲", 3, None], ["乙", 4, None], ["丙", 5, 0.5]], "C2:C3")
    code, out, _ = _eval(tmp_path, data)
    line = out.splitlines()[2]
    assert code == 1 and HINT_ZH.format(cell="C3", span="C2:C3", first="C2") in line
    assert "有值" not in out


def test_a_range_that_begins_in_the_header_is_said_to(tmp_path: Path) -> None:
    """“只有 C1 有值” named the header's cell as if it held row 2's value."""
    data = _book(tmp_path, [["甲", 3, None], ["乙", 4, 0.95]], "C1:C2")
    code, out, _ = _eval(tmp_path, data)
    assert code == 1
    assert ("工作表 `填报` 的 C2 与表头的 C1 合并（C1:C2），因此读作空白：请取消合并，并在每一行填上各自的值"
            in out.splitlines()[1])  # fmt: skip
    _, english, _ = _eval(tmp_path, data, "en")
    assert ("C2 of the sheet `填报` is merged with the header's C1 (C1:C2), and so reads blank: unmerge them and "
            "fill in each row's value") in english  # fmt: skip

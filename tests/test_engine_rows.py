"""`pingfen eval --engine duckdb` scores the rows of a CSV file that `pingfen eval` scores, read
as Python's csv module reads them (io.tables), not as DuckDB's sniffer guesses:
- the data-entry template's 填写说明 row (its first cell starts with `#`) and any other comment
  row are left out; so is a blank row (`,,,,`, as a spreadsheet leaves below its data). The
  engine scored both as records and refused them, or could not read the file at all;
- a `#` inside a cell is text: a sniffed comment character would cut the row there."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from test_sql_forms_last import PANEL


def _ids_and_totals(path: Path, id_column: str, total: str) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [(row[id_column], row[total][:7]) for row in csv.DictReader(f)]


@needs_duckdb
def test_a_filled_in_template_scores_the_same_rows_on_both_paths(tmp_path: Path) -> None:
    rule, data = tmp_path / "p.rule", tmp_path / "填报.csv"
    rule.write_text(PANEL, encoding="utf-8")
    assert main(["template", str(rule), "-o", str(data)], io.StringIO(), io.StringIO()) == 0
    with data.open(encoding="utf-8-sig", newline="") as f:
        header, note = next(csv.reader(f)), next(csv.reader(f))
    assert note[0].startswith("#") and len(note) == len(header)  # the template's own 填写说明 row
    blank = [""] * len(header)
    filled = [
        ["甲", "8", "9", "7", "10", "6.5", "9", "8", "", "", "", "3", "", "", "", ""],
        blank,
        ["项目#2", "8", "9", "7", "", "", "9", "", "", "", "", "0", "", "", "", ""],  # a `#` inside a cell is text
        ["  # 备注：以下为补录", *blank[1:]],
        ["丙", "8", "9", "", "", "", "9", "", "", "", "", "0", "", "", "", ""],  # PF540: refused on both paths
        blank,
    ]
    assert all(len(row) == len(header) for row in filled)
    with data.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(filled)
    duck, python = tmp_path / "duck.csv", tmp_path / "python.csv"
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(duck)], io.StringIO(), io.StringIO()) == 1
    assert main(["eval", str(rule), str(data), "-o", str(python)], io.StringIO(), io.StringIO()) == 1
    assert _ids_and_totals(duck, "id", "total") == _ids_and_totals(python, "编号", "总分") == [
        ("甲", "31.5000"), ("项目#2", "37.5000"), ("丙", ""),
    ]  # fmt: skip

"""An id that is no text: an XLSX TRUE or a JSON `true` in the id column was a blank 编号 in
`pingfen eval` but `true` in `--engine duckdb`'s output; a JSON Lines `["x"]` or `{"a": 1}`
was written as Python's `['x']` and `{'a': Decimal('1')}`, and a JSON record's `true` as
`True`. Now both engines write `true`, and a list or mapping for an id is refused (PF510 for
its line, the other lines scored; PF508 for a record file)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import pingfen
from duckdb_helpers import RULE, needs_duckdb
from pingfen.cli import main
from pingfen.io.records import read_department


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [row[0] for row in list(csv.reader(f))[1:]]


def _workbook(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["id", "满意度"], [True, "90%"], [False, "80%"], [3, "70%"]):
        sheet.append(row)
    book.save(path)


def test_a_true_cell_in_the_id_column_is_the_id_true(tmp_path: Path) -> None:
    rule, data, out = tmp_path / "r.rule", tmp_path / "d.xlsx", tmp_path / "o.csv"
    rule.write_text(RULE, encoding="utf-8")
    _workbook(data)
    code, _, err = _run("eval", str(rule), str(data), "-o", str(out))
    assert code == 0, err
    assert _ids(out) == ["true", "false", "3"]


@needs_duckdb
def test_both_engines_write_a_true_id_alike(tmp_path: Path) -> None:
    rule, data = tmp_path / "r.rule", tmp_path / "d.xlsx"
    rule.write_text(RULE, encoding="utf-8")
    _workbook(data)
    assert _run("eval", str(rule), str(data), "-o", str(tmp_path / "py.csv"))[0] == 0
    assert _run("eval", "--engine", "duckdb", str(rule), str(data), "-o", str(tmp_path / "dk.csv"))[0] == 0
    assert _ids(tmp_path / "py.csv") == _ids(tmp_path / "dk.csv") == ["true", "false", "3"]


def test_a_json_lines_id_that_is_a_list_or_mapping_refuses_its_line_alone(tmp_path: Path) -> None:
    rule, data, out = tmp_path / "r.rule", tmp_path / "d.jsonl", tmp_path / "o.csv"
    rule.write_text(RULE, encoding="utf-8")
    lines = [{"id": True, "满意度": "90%"}, {"id": ["x"], "满意度": "80%"}, {"id": {"a": 1}, "满意度": "80%"}, {"id": "D", "满意度": "70%"}]
    data.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    code, _, err = _run("eval", "--lang", "en", str(rule), str(data), "-o", str(out))
    assert code == 1
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["id"], r["total"]) for r in rows] == [("true", "9.00"), ("", ""), ("", ""), ("D", "7.00")]
    # an output names the file alone (Problem.filed): the folders the command line gave are the user's own
    assert rows[1]["error"] == "[row 2] PF510: `d.jsonl`, line 2: the id is a list: an id is one text or number"
    assert rows[2]["error"].endswith("line 3: the id is a mapping: an id is one text or number")
    assert "['x']" not in out.read_text(encoding="utf-8-sig")
    outcomes = list(pingfen.load(rule).evaluate_many(pingfen.read_records(data), key="id"))
    assert [o.code if isinstance(o, pingfen.DataError) else str(o.total) for o in outcomes] == ["9.00", "PF510", "PF510", "7.00"]


def test_a_record_files_id_is_written_as_a_rows_is(tmp_path: Path) -> None:
    data = tmp_path / "r.json"
    data.write_text(json.dumps({"id": True, "满意度": "90%"}), encoding="utf-8")
    assert read_department(data)[0] == "true"  # was Python's `True`
    data.write_text(json.dumps({"id": ["x"], "满意度": "90%"}), encoding="utf-8")
    with pytest.raises(pingfen.DataError) as refused:
        read_department(data)
    assert [p.code for p in refused.value.problems] == ["PF508"]
    assert refused.value.problems[0].message("zh") == f"无法读取 `{data}`：编号是列表：编号应为一个文字或数值"


def test_evaluate_many_names_a_refused_row_by_its_true_id_as_eval_writes_it(tmp_path: Path) -> None:
    data = tmp_path / "d.xlsx"
    _workbook(data)
    records = [dict(r, 满意度="九成") if r["id"] is True else r for r in pingfen.read_records(data)]
    outcomes = list(pingfen.loads(RULE, "t.rule").evaluate_many(records, key="id"))
    assert isinstance(outcomes[0], pingfen.DataError) and outcomes[0].record == "true"  # was `True`

"""`pingfen eval --engine duckdb` reads a date cell of a CSV as `pingfen eval` reads it
(values.to_date, mirrored in sql/spelt.py): `2021年3月1日`, `2021/3/1`, `2021-3-1`, a time after
it, full-width or any script's digits, a whole day number. Before, the engine cast ISO text
only: each of these was refused (PF502), and DuckDB's own spellings (`infinity`) were read
where `pingfen eval` refuses them. Each spelling here gets the same total, or the same first
refusal (code and input), on both paths."""

from __future__ import annotations

import csv
import datetime
import io
import os
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from pingfen.values import to_date

RUBRIC_TEXT = """rubric "日期" {
  total 100
}
input 起: date
input 止: date

indicator 时效 100 {
  deduct 0.001 per 1 of days(起, 止) above 0
}
"""
RUBRIC = pingfen.loads(RUBRIC_TEXT, "d.rule", tests=False)
START = "1899-12-31"  # day 1: every later day takes its own total (0.001 a day, 100,000 days)

READ = [  # values.to_date reads each as 2021-03-01 (day 44256), or as the day it names
    "2021-03-01", "2021-3-1", "2021/3/1", "2021.3.1", "2021年3月1日", "2021年03月01日", "2021年3月1",
    " 2021 年 3 月 1 日 ", "\u30002021-3-1\u3000", "2021 -3- 1", "2021-03-01T08:30", "2021-03-01 08:30:15",
    "2021/3/1 8:30:15.25", "2021年3月1日 08:30", "２０２１年３月１日", "٢٠٢١-٣-١", "2021-٠٣-01", "44256", "４４２５６",
    "4.4256E4", "44256.000", "+44256", "1", "2958465", "1900-03-01", "2024-02-29", "0001-01-01", "9999-12-31",
]  # fmt: skip
REFUSED = [  # values.to_date reads none of them: PF502 (PF501 for the blank ones)
    "2021-02-29", "1900-02-29", "2021-13-01", "2021-00-10", "2021-3-0", "0000-01-01", "21-3-1", "2021-3-1 8", "2021-3-1T",
    "2021年3月1号", "2021 3 1", "2021-03-01 BC", "infinity", "epoch", "today", "44256.5",
    "44256.0000000000000000000001", "0", "-44256", "2958466", "1e999", "1E-999", "44,256", "44_256", "abc",
    "2021-03-01 08:30:15.123+08", "2021-3-1 8:3", "不适用", "", "  ",
]  # fmt: skip
SPELLINGS = READ + REFUSED


def _engine(folder: Path, cells: list[str]) -> list[dict[str, str]]:
    """Each cell the 止 of a row of one CSV, scored by the engine: its output rows."""
    rule, data, out = folder / "d.rule", folder / "d.csv", folder / "o.csv"
    rule.write_text(RUBRIC_TEXT, encoding="utf-8")
    with data.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["id", "起", "止"], *([str(i), START, cell] for i, cell in enumerate(cells))])
    err = io.StringIO()
    code = main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    assert code in (0, 1), err.getvalue()
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = list(csv.DictReader(f))
    assert [g["id"] for g in got] == [str(i) for i in range(len(cells))]
    return got


def _alike(cell: str, said: dict[str, str]) -> None:
    try:
        result = RUBRIC.evaluate({"起": START, "止": cell.strip() or None})  # as the batch's reader gives the cell
    except pingfen.DataError as refused:
        first = refused.problems[0]
        assert (said["refusal"], said["refusal_input"], said["total"]) == (first.code, first.input, ""), (cell, said)
        return
    assert said["refusal"] == "", (cell, said)
    assert Decimal(said["total"]) == result.total, cell
    assert Decimal(said["时效"]) == result["时效"].score, cell


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    return dict(zip(SPELLINGS, _engine(tmp_path_factory.mktemp("dates"), SPELLINGS), strict=True))


def test_the_spellings_are_what_they_say() -> None:
    assert all(to_date(cell) is not None for cell in READ)
    assert all(to_date(cell) is None for cell in REFUSED)
    assert len(set(SPELLINGS)) == len(SPELLINGS)


@needs_duckdb
@pytest.mark.parametrize("cell", SPELLINGS)
def test_a_date_cell_reads_alike_on_both_paths(scored: dict[str, dict[str, str]], cell: str) -> None:
    _alike(cell, scored[cell])


DAY = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2150, 12, 31))
SEPARATORS = st.sampled_from(["-", "/", ".", "年", " - ", "\u3000年"])
SPELT = st.builds(lambda d, a, b, pad, wide: (f"{d.year}{a}{d.month:0{pad}}{b}{d.day:0{pad}}" + ("日" if a == "年" else ""))
                  .translate(str.maketrans("0123456789", "０１２３４５６７８９") if wide else {}),
                  DAY, SEPARATORS, SEPARATORS, st.sampled_from([1, 2]), st.booleans())  # fmt: skip
NEAR = st.text(alphabet="0123456789-/.年月日 T:２", max_size=14)


@needs_duckdb
@settings(max_examples=20)
@given(st.lists(SPELT | NEAR, min_size=1, max_size=10))
def test_any_date_text_reads_alike_on_both_paths(cells: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for cell, said in zip(cells, _engine(Path(folder), cells), strict=True):
            _alike(cell, said)


@needs_duckdb
def test_the_day_a_spelling_names_is_scored(scored: dict[str, dict[str, str]]) -> None:
    """Not merely the same refusal: the dates read are scored, each by its own day."""
    march = Decimal(100) - Decimal("0.001") * (44256 - 1)
    for cell in ("2021年3月1日", "2021/3/1", "2021-3-1", "٢٠٢١-٣-١", "４４２５６", "2021-03-01 08:30:15"):
        assert Decimal(scored[cell]["时效"]) == march, cell
    assert scored["2024-02-29"]["total"] != scored["2021-03-01"]["total"]
    for cell in ("infinity", "2021-02-29", "0000-01-01", "44256.5"):
        assert scored[cell]["refusal"] == "PF502", cell


OPTIONAL_TEXT = """rubric "可选日期" {
  total 10
}
input 有: bool
input 期: date
input 止: date

indicator 时效 10 {
  applies if 有 else zero
  when 止 <= 期 -> 10
  else             -> 4
}
"""


@needs_duckdb
def test_a_date_that_may_not_apply_reads_alike_on_both_paths(tmp_path: Path) -> None:
    """An optional date (read only by a row that may not apply): 不适用 marks it, blank is missing
    only where the row applies, and a date in any spelling is read."""
    rubric = pingfen.loads(OPTIONAL_TEXT, "o.rule", tests=False)
    rows = [(flag, cell) for flag in ("是", "否") for cell in ("不适用", "N/A", "", "2021年3月1日", "2021/3/2", "44255", "2021-02-30")]  # fmt: skip
    rule, data, out = tmp_path / "o.rule", tmp_path / "d.csv", tmp_path / "o.csv"
    rule.write_text(OPTIONAL_TEXT, encoding="utf-8")
    with data.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["id", "有", "期", "止"], *([str(i), flag, "2021-03-01", cell] for i, (flag, cell) in enumerate(rows))])
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) == 1
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = list(csv.DictReader(f))
    scored = 0
    for (flag, cell), said in zip(rows, got, strict=True):
        try:
            result = rubric.evaluate({"有": flag, "期": "2021-03-01", "止": cell or None})
        except pingfen.DataError as refused:
            assert (said["refusal"], said["refusal_input"]) == (refused.problems[0].code, refused.problems[0].input), (flag, cell)
            continue
        assert said["refusal"] == "" and Decimal(said["total"]) == result.total, (flag, cell, said)
        scored += 1
    assert scored >= 8  # the dates read where the row applies, and every 否 row but the bad date


MOMENTS = [datetime.datetime(2024, 3, 30, 16, 30, tzinfo=datetime.UTC),  # 2024-03-31 00:30 in Asia/Shanghai
           datetime.datetime(2024, 3, 31, 23, 30, tzinfo=datetime.UTC), None]  # fmt: skip


@needs_duckdb
@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai"])
def test_a_timestamptz_column_of_a_parquet_file_is_its_day_in_the_local_time_zone(tmp_path: Path, zone: str) -> None:
    """A Parquet TIMESTAMPTZ column (an instant) through `--engine duckdb` is the day it falls on
    in the engine's session's TimeZone, as on PostgreSQL (docs/scale.md): DuckDB's default, the
    machine's local zone (TZ). The same instant is another day under another TZ."""
    import duckdb

    rule, data, out = tmp_path / "d.rule", tmp_path / "d.parquet", tmp_path / "o.csv"
    rule.write_text(RUBRIC_TEXT, encoding="utf-8")
    con = duckdb.connect()
    con.execute("CREATE TABLE records (id INTEGER, 起 DATE, 止 TIMESTAMPTZ)")
    con.executemany("INSERT INTO records VALUES (?, DATE '1899-12-31', ?)", list(enumerate(MOMENTS)))
    con.execute(f"COPY records TO '{data}' (FORMAT parquet)")
    env = dict(os.environ, TZ=zone, PYTHONPATH=os.pathsep.join(sys.path), XDG_CACHE_HOME=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-m", "pingfen", "eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)],
                          env=env, capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 1, done.stderr  # the blank one refused
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = list(csv.DictReader(f))
    for moment, said in zip(MOMENTS, got, strict=True):
        if moment is None:
            assert (said["refusal"], said["refusal_input"]) == ("PF501", "止")
            continue
        day = moment.astimezone(ZoneInfo(zone)).date()
        assert said["refusal"] == "" and Decimal(said["时效"]) == RUBRIC.evaluate({"起": START, "止": day})["时效"].score, (zone, said)
    assert (MOMENTS[0].astimezone(ZoneInfo(zone)).day == 31) == (zone == "Asia/Shanghai")

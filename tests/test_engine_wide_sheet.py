"""A sheet's row longer than a CSV's line may be (MAX_LINE_CHARS): `pingfen eval` scores it, but
`--engine duckdb`, which copies the sheet to a CSV first (engine._xlsx_to_csv), stopped with
"PF831: DuckDB 无法为 wide.xlsx 评分：有一行超过 2,097,152 个字符", a line the workbook has none
of. Now a row's copy may take up to a fixed number of bytes, and the engine scores the row as
`pingfen eval` does, its cells passed through whole.

Past that fixed limit the engine refuses the sheet (PF734, naming its row): a 100 KB workbook
whose shared strings put one long text in 2,000 columns made the engine copy 576 MB in 90 s and
1.6 GB, its DuckDB buffers sized from the longest row. A cell past Excel's own 32,767 characters
(openpyxl and pandas write them) is scored by both engines alike."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from duckdb_helpers import RULE, needs_duckdb
from pingfen import engine
from pingfen.cli import main
from pingfen.io.bounds import MAX_LINE_CHARS

CELLS, CHARS = 72, 30_000  # within Excel's 32,767 characters a cell; together past a CSV's line


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    chance = random.Random(14)  # varied text: a sheet of one repeated character is refused as a zip bomb
    notes = ["".join(chr(chance.randrange(0x4E00, 0x9FA5)) for _ in range(CHARS)) + '"' for _ in range(CELLS)]
    assert sum(map(len, notes)) > MAX_LINE_CHARS
    path = tmp_path_factory.mktemp("wide") / "wide.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "满意度", *(f"备注{i}" for i in range(CELLS))])
    sheet.append(["A", "90%", *notes])
    sheet.append(["B", "80%", *["x"] * CELLS])
    book.save(path)
    return path, notes


@needs_duckdb
@pytest.mark.parametrize("engine", [(), ("--engine", "duckdb")])
def test_both_engines_score_a_row_longer_than_a_csv_line(tmp_path: Path, wide: tuple[Path, list[str]], engine: tuple[str, ...]) -> None:
    data, notes = wide
    rule, out = tmp_path / "r.rule", tmp_path / "o.csv"
    rule.write_text(RULE, encoding="utf-8")
    err = io.StringIO()
    assert main(["eval", *engine, str(rule), str(data), "-o", str(out)], io.StringIO(), err) == 0, err.getvalue()
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = "total" if engine else "总分"
    assert [(next(iter(r.values())), r[total]) for r in rows] == [("A", "9.00"), ("B", "8.00")]
    if engine:  # the engine passes the file's cells through: each whole
        assert [rows[0][f"备注{i}"] == note for i, note in enumerate(notes)] == [True] * CELLS


@needs_duckdb
def test_the_engine_writes_the_row_to_parquet_too(tmp_path: Path, wide: tuple[Path, list[str]]) -> None:
    import duckdb

    data, notes = wide
    rule, out = tmp_path / "r.rule", tmp_path / "o.parquet"
    rule.write_text(RULE, encoding="utf-8")
    err = io.StringIO()
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), err) == 0, err.getvalue()
    found = duckdb.sql(f"SELECT id, CAST(total AS VARCHAR), 备注71 FROM read_parquet('{out}') ORDER BY id").fetchall()
    assert [(i, t) for i, t, _ in found] == [("A", "9.00"), ("B", "8.00")] and found[0][2] == notes[-1]


def _shared(path: Path, rows: list[list[str]]) -> Path:
    """A workbook whose every cell is a shared string: a text given once in sharedStrings.xml
    and named by its index in each cell that holds it, as Excel writes a repeated text."""
    strings = list(dict.fromkeys(cell for row in rows for cell in row))
    index = {text: i for i, text in enumerate(strings)}
    sheet = "".join(f'<row r="{r}">' + "".join(f'<c r="{get_column_letter(c)}{r}" t="s"><v>{index[v]}</v></c>'
                                              for c, v in enumerate(row, start=1)) + "</row>"
                    for r, row in enumerate(rows, start=1))  # fmt: skip
    main_ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                      '<Default Extension="xml" ContentType="application/xml"/>'
                      f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
                      f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kinds}.worksheet+xml"/>'
                      f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kinds}.sharedStrings+xml"/></Types>')  # fmt: skip
        book.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                      f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')  # fmt: skip
        book.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {main_ns} xmlns:r="{rel}">'
                      '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')  # fmt: skip
        book.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                      f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                      f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')  # fmt: skip
        book.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet {main_ns}><sheetData>{sheet}</sheetData></worksheet>')
        book.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst {main_ns}>' + "".join(f"<si><t>{t}</t></si>" for t in strings) + "</sst>")
    return path


def _text(chars: int, seed: int = 1) -> str:
    chance = random.Random(seed)
    return "".join(chr(chance.randrange(0x4E00, 0x9FA5)) for _ in range(chars))


def _eval(tmp_path: Path, data: Path, engine_args: tuple[str, ...], lang: str = "zh") -> tuple[int, str, Path]:
    rule, out = tmp_path / "r.rule", tmp_path / "o.csv"
    rule.write_text(RULE, encoding="utf-8")
    err = io.StringIO()
    code = main(["--lang", lang, "eval", *engine_args, str(rule), str(data), "-o", str(out)], io.StringIO(), err)
    return code, err.getvalue().strip().replace(str(data), "DATA"), out


@needs_duckdb
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_shared_strings_bomb_is_refused_by_the_engine_naming_its_row(tmp_path: Path, lang: str) -> None:
    # 300 cells of one 32,000-character text: a 100 KB workbook, a row of 29 MB in the copy
    long = _text(32_000)
    data = _shared(tmp_path / "bomb.xlsx", [["id", "满意度", *(f"备注{i}" for i in range(300))],
                                            *([f"A{r}", "90%", *[long] * 300] for r in range(2))])  # fmt: skip
    assert data.stat().st_size < 200_000
    code, said, out = _eval(tmp_path, data, ("--engine", "duckdb"), lang)
    words = ("pingfen eval: PF734: DATA 第 2 行：引擎为 DuckDB 写出的工作表副本将超过上限（每行 8 MB，总共 512 MB）"
             if lang == "zh" else "pingfen eval: PF734: DATA, row 2: the engine's copy of the sheet for DuckDB would exceed its limit (8 MB a row, 512 MB in all)")  # fmt: skip
    assert code == 2 and said.startswith(words), said
    assert ("去掉 `--engine duckdb`" if lang == "zh" else "run without `--engine duckdb`") in said
    assert "Traceback" not in said and not out.exists()
    code, said, out = _eval(tmp_path, data, ())  # pingfen eval reads the shared text as it is
    assert code == 0, said
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert [r["总分"] for r in csv.DictReader(handle)] == ["9.00", "9.00"]


@needs_duckdb
def test_the_whole_copy_is_bounded_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # each row's copy well within a row's limit; the rows together past the copy's, lowered to 1 MB here
    monkeypatch.setattr(engine, "SHEET_COPY_BYTES", 1 << 20)
    long = _text(30_000)  # 90 KB a cell: 360 KB a row
    data = _shared(tmp_path / "rows.xlsx", [["id", "满意度", "甲", "乙", "丙", "丁"], *([f"A{r}", "90%", *[long] * 4] for r in range(6))])
    code, said, out = _eval(tmp_path, data, ("--engine", "duckdb"))
    assert code == 2 and said.startswith("pingfen eval: PF734: DATA 第 4 行："), said  # 3 × 360 KB after the header's row 1
    assert not out.exists()


@needs_duckdb
@pytest.mark.parametrize("engine_args", [(), ("--engine", "duckdb")], ids=["python", "duckdb"])
def test_a_cell_past_excels_limit_is_scored_alike(tmp_path: Path, engine_args: tuple[str, ...]) -> None:
    # Both engines refused the whole workbook (PF508) for one cell past 32,767 characters, in a
    # column no input reads; openpyxl and pandas write such cells, and PF734 bounds the copy.
    long = _text(40_000)
    data = _shared(tmp_path / "long.xlsx", [["id", "满意度", "备注"], ["A", "90%", "x"], ["B", "80%", long]])
    code, said, out = _eval(tmp_path, data, engine_args)
    assert code == 0, said
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["total" if engine_args else "总分"] for r in rows] == ["9.00", "8.00"]
    if engine_args:  # the engine passes the file's columns through
        assert rows[1]["备注"] == long


@needs_duckdb
@pytest.mark.parametrize("engine_args", [(), ("--engine", "duckdb")], ids=["python", "duckdb"])
def test_a_cell_of_excels_longest_is_read(tmp_path: Path, engine_args: tuple[str, ...]) -> None:
    data = _shared(tmp_path / "long.xlsx", [["id", "满意度", "备注"], ["A", "90%", _text(32_767)]])
    code, said, out = _eval(tmp_path, data, engine_args)
    assert code == 0, said
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert [r["total" if engine_args else "总分"] for r in csv.DictReader(handle)] == ["9.00"]

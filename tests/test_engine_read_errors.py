"""`pingfen eval --engine duckdb` words a file it cannot read as `pingfen eval` does, in the
reader's language: a missing (or folder) .parquet or .xlsx is PF831 with the system's reason
(文件或目录不存在), as a missing .csv already was, not DuckDB's English "IO Error: No files
found…"; a CSV with bytes its `--encoding` cannot read is PF512 in the same words as
`pingfen eval`'s, naming the line (not PF831 "gbk: illegal multibyte sequence"); a .xlsx that
is no workbook is PF508, as `pingfen eval` refuses it (not an internal error)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from duckdb_helpers import needs_duckdb
from pingfen.cli import main

RUBRIC_TEXT = """rubric "读" {
  total 10
}
input 人数: count

indicator 甲 10 {
  deduct 1 per 1 of 人数 above 3
}
"""


def _run(tmp_path: Path, data: Path, *extra: str, engine: bool = True, lang: str = "zh") -> tuple[int, str]:
    rule, out = tmp_path / "a.rule", tmp_path / "o.csv"
    rule.write_text(RUBRIC_TEXT, encoding="utf-8")
    err = io.StringIO()
    args = ["--lang", lang, "eval", *extra, str(rule), str(data), "-o", str(out)] + (["--engine", "duckdb"] if engine else [])
    return main(args, io.StringIO(), err), err.getvalue().strip()


@needs_duckdb
@pytest.mark.parametrize("suffix", [".parquet", ".xlsx", ".csv"])
def test_a_missing_file_is_worded_as_a_missing_csv_is(tmp_path: Path, suffix: str) -> None:
    data = tmp_path / f"没有{suffix}"
    code, said = _run(tmp_path, data)
    assert (code, said) == (2, f"pingfen eval: PF831: DuckDB 无法为 {data} 评分：文件或目录不存在")
    code, said = _run(tmp_path, data, lang="en")
    assert (code, said) == (2, f"pingfen eval: PF831: DuckDB could not score {data}: No such file or directory")
    assert not (tmp_path / "o.csv").exists()


@needs_duckdb
def test_a_folder_named_as_a_parquet_file(tmp_path: Path) -> None:
    data = tmp_path / "目录.parquet"
    data.mkdir()
    assert _run(tmp_path, data) == (2, f"pingfen eval: PF831: DuckDB 无法为 {data} 评分：是一个目录而不是文件")


def _words(said: str) -> str:
    """A PF512 message less its prefix and its line (pingfen eval names the row its reader was at)."""
    found = re.search(r"PF512\]?: (.*)", said)
    assert found is not None, said
    return re.sub(r"\d+", "N", found.group(1))


@needs_duckdb
def test_utf16_named_for_a_file_without_a_bom_is_pf512_as_pingfen_eval_says(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_bytes("id,人数\n甲,2\n".encode())
    code, said = _run(tmp_path, data, "--encoding", "utf-16")
    python_code, python_said = _run(tmp_path, data, "--encoding", "utf-16", engine=False)
    assert code == python_code == 2
    assert _words(said) == _words(python_said) and "utf-16" in said, said


@needs_duckdb
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bytes_the_encoding_cannot_read_are_pf512_as_pingfen_eval_says(tmp_path: Path, lang: str) -> None:
    data = tmp_path / "d.csv"
    data.write_bytes("id,人数\n甲,2\n".encode("gbk") + b"\xe4\xb9\x99,\x81\x20\n")  # 0x81 0x20: no GBK character
    code, said = _run(tmp_path, data, "--encoding", "gbk", lang=lang)
    python_code, python_said = _run(tmp_path, data, "--encoding", "gbk", engine=False, lang=lang)
    assert code == python_code == 2
    assert _words(said) == _words(python_said)
    if lang == "zh":
        assert said == f"pingfen eval: PF512: 无法按 gbk 编码读取 `{data}`（约第 3 行），请用 `--encoding` 指定正确的编码"
    else:
        assert said == f"pingfen eval: PF512: cannot read `{data}` as gbk (near row 3); give the right `--encoding`"


@needs_duckdb
def test_the_line_is_counted_across_the_chunks_the_file_is_read_in(tmp_path: Path) -> None:
    """A two-byte character cut by the end of a 1 MiB chunk reads on; the bad bytes after it are
    named at their own line."""
    body = ("id,人数\n".encode("gbk") + b"a,1\n" * ((1 << 20) // 4))[: (1 << 20) - 1]
    lines = body.count(b"\n") + 1
    body += "乙,2\n".encode("gbk") + b"c,\x81\x20\n"  # 乙's bytes straddle the chunk's end
    data = tmp_path / "big.csv"
    data.write_bytes(body)
    code, said = _run(tmp_path, data, "--encoding", "gbk")
    assert code == 2 and f"（约第 {lines + 1} 行）" in said, said


@needs_duckdb
def test_a_sheet_that_is_no_workbook_is_pf508_as_pingfen_eval_says(tmp_path: Path) -> None:
    data = tmp_path / "d.xlsx"
    data.write_text("id,人数\n甲,2\n", encoding="utf-8")
    assert _run(tmp_path, data) == _run(tmp_path, data, engine=False)
    assert "PF508" in _run(tmp_path, data)[1]


@needs_duckdb
def test_bytes_that_are_not_utf8_past_the_first_64_kib(tmp_path: Path) -> None:
    """The engine checks a file's first 64 KiB are UTF-8 (else it reads it as pingfen eval
    would); bad bytes further on, which DuckDB's reader meets, are PF512 naming their line,
    in the reader's language, not DuckDB's English."""
    data = tmp_path / "d.csv"
    data.write_bytes("id,人数\n".encode() + b"a,1\n" * 40000 + b"b,\xff\xfe3\n")
    code, said = _run(tmp_path, data)
    assert (code, said) == (2, f"pingfen eval: PF512: 无法按 utf-8 编码读取 `{data}`（约第 40002 行），请用 `--encoding` 指定正确的编码")
    python_code, python_said = _run(tmp_path, data, "--encoding", "utf-8", engine=False)
    assert python_code == 2 and _words(said) == _words(python_said)


@needs_duckdb
def test_an_unknown_encoding_is_pf508_as_pingfen_eval_says(tmp_path: Path) -> None:
    """It was PF831 with Python's English cause in the Chinese message."""
    data = tmp_path / "d.csv"
    data.write_text("id,人数\n甲,2\n", encoding="utf-8")
    code, said = _run(tmp_path, data, "--encoding", "nonesuch")
    python_code, python_said = _run(tmp_path, data, "--encoding", "nonesuch", engine=False)
    assert code == python_code == 2 and said == python_said
    assert said == f"错误[PF508]: 无法读取 `{data}`：未知的编码 'nonesuch'"


@needs_duckdb
@pytest.mark.parametrize("option", [("--id-column", "人数"), ("--format", "csv"), ("--jobs", "2")])
def test_an_option_of_the_python_path_is_refused_not_ignored(tmp_path: Path, option: tuple[str, str]) -> None:
    """--id-column nonesuch was accepted and did nothing (exit 0)."""
    data = tmp_path / "d.csv"
    data.write_text("id,人数\n甲,2\n", encoding="utf-8")
    code, said = _run(tmp_path, data, *option)
    assert code == 2 and said.startswith(f"pingfen eval: {option[0]} 只用于不加 --engine duckdb 的评分")
    assert not (tmp_path / "o.csv").exists()


@needs_duckdb
@pytest.mark.parametrize(("lang", "said"), [("zh", "有一行超过 2,097,152 个字符"), ("en", "a line is longer than 2,097,152 characters")])
def test_a_line_too_long_to_read_is_said_in_the_readers_language(tmp_path: Path, lang: str, said: str) -> None:
    # the engine's own reason was English inside the Chinese message: "评分：a line is longer than …"
    data = tmp_path / "d.csv"
    data.write_text('id,人数\n"a\nb",1\nc,' + "9" * (1 << 21) + "\n", encoding="utf-8")  # a quoted newline: read line by line
    code, err = _run(tmp_path, data, lang=lang)
    assert code == 2 and "PF831" in err and err.endswith(said), err

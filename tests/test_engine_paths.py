"""`pingfen eval --engine duckdb` reads exactly the file named, whatever its path holds.

DuckDB's readers take a path as a glob pattern and, on every system, split it into folders at
`\\` as at `/`: `填报\\[1].csv` read the file `[1].csv` in a folder `填报` beside it (escaping
`[` as `[[]` left the `\\` a separator), `a\\*.csv` read `a/*.csv`, and a relative `~/填报.csv`
read the home folder's. An output named with a `\\` was written, then not found when its rows
were counted (PF831). The engine now gives DuckDB the path made absolute where it reads each
character as itself, else a link of a plain name in a private folder; PF735 where the system
refuses the link."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import pytest

from duckdb_helpers import SCORE_RULE, duckdb, ids_csv, ids_parquet, needs_duckdb
from pingfen import engine
from pingfen.cli import main


def _xlsx(path: Path, ids: list[str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "分"])
    for i in ids:
        sheet.append([i, 7])
    book.save(path)


WRITERS = {".parquet": ids_parquet, ".csv": ids_csv, ".xlsx": _xlsx}


def _eval(tmp_path: Path, data: Path | str, out: Path | str, *lang: str) -> tuple[int, str, str]:
    rule = tmp_path / "r.rule"
    rule.write_text(SCORE_RULE, encoding="utf-8")
    said, err = io.StringIO(), io.StringIO()
    code = main(["eval", "--engine", "duckdb", *lang, str(rule), str(data), "-o", str(out)], said, err)
    return code, said.getvalue(), err.getvalue()


def _ids(out: Path) -> list[str]:
    if out.suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as f:
            return [row["id"] for row in csv.DictReader(f)]
    con = duckdb.connect()
    try:  # the name read through a link of DuckDB's own: this test's reading is not the engine's
        link = out.parent / "_read_back.parquet"
        link.symlink_to(out)
        return [str(row[0]) for row in con.execute(f"SELECT id FROM read_parquet('{link}')").fetchall()]
    finally:
        con.close()


# (the file named, a file beside it its name matches as DuckDB reads a path)
NAMES = [
    ("填报[1]", "填报1"),
    ("q*", "qx"),
    ("q?", "qx"),
    ("填报\\[1]", "填报/[1]"),  # `\` a separator: the folder 填报's file `[1]`
    ("a\\*", "a/*"),
    ("a\\?", "a/?"),
    ("年度\\2021/[1]", "年度/2021/[1]"),  # a folder named with a `\`
    ("a{b,c}", "ab"),
    ("a,b", "a"),
]


@needs_duckdb
@pytest.mark.parametrize(("named", "other"), NAMES)
@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_the_file_named_is_scored_whatever_its_path_holds(tmp_path: Path, named: str, other: str, suffix: str) -> None:
    data, decoy = tmp_path / f"{named}{suffix}", tmp_path / f"{other}{suffix}"
    for path, ids in ((decoy, ["other-1", "other-2", "other-3"]), (data, ["named-1", "named-2"])):
        path.parent.mkdir(parents=True, exist_ok=True)
        WRITERS[suffix](path, ids)
    out = tmp_path / "结果.csv"
    code, said, err = _eval(tmp_path, data, out)
    assert code == 0, err
    assert _ids(out) == ["named-1", "named-2"]
    assert "已评分 2 行" in said + err


@needs_duckdb
def test_a_relative_path_under_a_folder_named_tilde_is_not_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    ids_csv(home / "填报.csv", ["home"])
    (tmp_path / "~").mkdir()
    ids_csv(tmp_path / "~" / "填报.csv", ["named"])
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    code, _said, err = _eval(tmp_path, "~/填报.csv", "结果.csv")
    assert code == 0, err
    assert _ids(tmp_path / "结果.csv") == ["named"]


@needs_duckdb
@pytest.mark.parametrize("name", ["结果\\[1]", "o\\*", "结果[终版]", "a{b,c}"])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_an_output_named_with_a_pattern_or_a_backslash_is_written_and_counted(tmp_path: Path, name: str, suffix: str) -> None:
    ids_csv(tmp_path / "填报.csv", ["甲", "乙", "丙"])
    out = tmp_path / f"{name}{suffix}"
    code, said, err = _eval(tmp_path, tmp_path / "填报.csv", out)
    assert code == 0, err
    assert "已评分 3 行" in said + err  # the rows counted are the output's own
    assert _ids(out) == ["甲", "乙", "丙"]
    assert not [p.name for p in tmp_path.iterdir() if ".pingfen-" in p.name]  # no temporary file left beside it


@needs_duckdb
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_link_the_system_refuses_is_pf735_naming_the_character(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """Windows without the privilege to make links: the engine refuses rather than read a glob."""

    def refused(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "symlink", refused)
    monkeypatch.setattr(os, "link", refused)  # a hard link refused too (another volume, a file system without them)
    data = tmp_path / "填报[1].csv"
    ids_csv(data, ["named"])
    ids_csv(tmp_path / "填报1.csv", ["other"])
    code, _said, err = _eval(tmp_path, data, tmp_path / "结果.csv", *(["--lang", "en"] if lang == "en" else []))
    assert code == 2
    assert "PF735" in err and f"{data}" in err and "`[`" in err and "Traceback" not in err
    if lang == "en":
        assert "(Operation not permitted): rename it without `[`" in err, err
    else:
        assert "（不允许此操作）：请改用不含 `[` 的名称" in err, err
    assert not (tmp_path / "结果.csv").exists()


@needs_duckdb
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_temporary_folder_named_with_a_backslash_is_pf735(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """A copy in the private folder (a GBK file's UTF-8) is read by DuckDB there: a `\\` in
    TMPDIR would split its path (PF831, No files found), and is named instead: the user's file,
    not the engine's copy of it, with the fix that is the folder's, not the file's."""
    folder = tmp_path / "tmp\\x"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    monkeypatch.chdir(tmp_path)
    Path("填报.csv").write_bytes("id,分\n甲,7\n".encode("gbk"))
    code, _said, err = _eval(tmp_path, "填报.csv", "结果.csv", *(["--lang", "en"] if lang == "en" else []))
    assert code == 2
    assert err.startswith("pingfen eval: PF735: 填报.csv"), err
    assert "utf8.csv" not in err and "rename" not in err and "改用" not in err, err
    if lang == "en":
        assert f"temporary folder `{folder}`" in err and "set TMPDIR to a folder whose path has no `\\`" in err, err
    else:
        assert f"临时文件夹 `{folder}`" in err and "请把 TMPDIR 设为路径中不含 `\\` 的文件夹" in err, err
    assert not (tmp_path / "结果.csv").exists()


def _folder_link_and_a_decoy(tmp_path: Path, suffix: str, named: str) -> str:
    """`named`/../填报 where `named` is a link to other/deep: the system reads other/填报, the
    file RIGHT; data/填报 beside the link (its path tidied by its letters), WRONG, is a decoy."""
    (tmp_path / "other" / "deep").mkdir(parents=True)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / named).symlink_to(Path("..") / "other" / "deep")
    WRITERS[suffix](tmp_path / "data" / f"填报{suffix}", ["WRONG"])
    WRITERS[suffix](tmp_path / "other" / f"填报{suffix}", ["RIGHT"])
    return f"data/{named}/../填报{suffix}"


@needs_duckdb
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("named", ["sub", "a[1]"])
def test_dot_dot_after_a_folder_link_is_read_from_the_links_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     suffix: str, named: str) -> None:  # fmt: skip
    """As the system reads it, and as the checks in Python read it: `sub/..` is the folder above
    the link's target. Before, the engine tidied the path by its letters (os.path.abspath) and
    DuckDB scored data/填报, the checks' file being other/填报; `a[1]/../` so tidied hid its `[`."""
    monkeypatch.chdir(tmp_path)
    data = _folder_link_and_a_decoy(tmp_path, suffix, named)
    code, _said, err = _eval(tmp_path, data, "结果.csv")
    assert code == 0, err
    assert _ids(tmp_path / "结果.csv") == ["RIGHT"]


@needs_duckdb
def test_an_output_the_system_will_not_link_is_refused_before_any_row_is_scored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows without the privilege to make links, and no hard link either: `-o 结果[1].csv` is
    PF735 before the query runs (before, every row was scored, then it stopped), nothing left."""

    def refused(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    bars: list[object] = []
    real_bar = engine._bar

    def bar(*args: Any, **kwargs: Any) -> Any:  # the progress of the scoring query: never shown
        bars.append(args)
        return real_bar(*args, **kwargs)

    monkeypatch.setattr(os, "symlink", refused)
    monkeypatch.setattr(os, "link", refused)
    monkeypatch.setattr(engine, "_bar", bar)
    monkeypatch.chdir(tmp_path)
    ids_csv(tmp_path / "填报.csv", ["甲", "乙"])
    code, said, err = _eval(tmp_path, "填报.csv", "结果[1].csv")
    assert code == 2
    assert err.startswith("pingfen eval: PF735: 结果[1].csv：") and "`[`" in err, err
    assert bars == [] and "已评分" not in said + err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.rule", "填报.csv"]  # no output, no temporary file


@needs_duckdb
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_where_the_system_refuses_a_symbolic_link_a_hard_link_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    """Windows without the privilege for symbolic links makes hard links (NTFS asks none): the
    file named is scored, into the output named, and its rows counted from the output written
    (COPY writes a new file in place of the one made first: its link is made again)."""

    def refused(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "symlink", refused)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # one volume: a hard link is made within one
    data, out = tmp_path / f"填报[1]{suffix}", tmp_path / f"结果[1]{suffix}"
    WRITERS[suffix](data, ["named-1", "named-2"])
    WRITERS[suffix](tmp_path / f"填报1{suffix}", ["other"])
    code, said, err = _eval(tmp_path, data, out)
    assert code == 0, err
    assert "已评分 2 行" in said + err
    monkeypatch.undo()  # this test's own reading makes a link
    assert _ids(out) == ["named-1", "named-2"]


@needs_duckdb
@pytest.mark.parametrize("name", ["坏.parquet", "坏[1].parquet"])
def test_duckdbs_message_names_the_file_as_the_user_named_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Not the link in the run's private folder (gone after it), nor the path made absolute."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text("not a Parquet file\n", encoding="utf-8")
    code, _said, err = _eval(tmp_path, name, "结果.csv")
    assert code == 2
    assert f"PF831: DuckDB 无法为 {name} 评分：" in err and f"'{name}'" in err, err
    assert str(tmp_path) not in err and "pingfen-" not in err and "data.parquet" not in err, err


def test_only_a_path_duckdb_would_not_read_as_itself_is_linked(tmp_path: Path) -> None:
    plain = tmp_path / "填报 2024（终版）=1.csv"
    plain.write_text("id\n", encoding="utf-8")
    folder = tmp_path / "private"
    folder.mkdir()
    given: dict[str, str] = {}
    assert engine._plain(str(plain), str(folder), "data.csv", "typed.csv", given) == str(plain)
    odd = tmp_path / "填报\\[1].csv"
    odd.write_text("id\n", encoding="utf-8")
    link = engine._plain(str(odd), str(folder), "data.csv", "typed[1].csv", given)
    assert link == str(folder / "data.csv") and os.path.samefile(link, odd)
    assert given == {str(plain): "typed.csv", link: "typed[1].csv"}

"""`pingfen report DATA -o 报告/` checks every file it will write before it writes any: a read-only
汇总.xlsx (or report) already in the folder, or a folder in the way of one, was refused only after
every unit's report had been written over the ones there."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from data_helpers import ROOT, RUBRIC
from pingfen.batchreport import report_folder
from pingfen.cli import main
from pingfen.errors import OutputError

DATA = ROOT / "examples" / "dept-overall-2021" / "departments.csv"
RULES = ROOT / "rulesets" / "dept-overall-2021.rule"


def _folder(tmp_path: Path) -> Path:
    """Last year's run: a report per unit and the summary, each with known bytes."""
    folder = tmp_path / "报告"
    folder.mkdir()
    for name in ("区厂协.md", "示范单位.md", "汇总.xlsx"):
        (folder / name).write_bytes(f"last year's {name}".encode())
    return folder


def _as_it_was(folder: Path) -> dict[str, bytes | None]:
    return {p.name: p.read_bytes() if p.is_file() else None for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("locked", ["汇总.xlsx", "示范单位.md"])
def test_a_read_only_file_in_the_folder_is_refused_before_any_report_is_written(tmp_path: Path, locked: str) -> None:
    # chmod 444 is pingfen's own refusal (PF707), by the mode bits, so it holds when run as root too
    folder = _folder(tmp_path)
    (folder / locked).chmod(0o444)
    before = _as_it_was(folder)
    with pytest.raises(OutputError) as refused:
        report_folder(RUBRIC, DATA, folder, "md", lang="zh")
    assert refused.value.code == "PF707" and refused.value.path == str(folder / locked)
    assert _as_it_was(folder) == before  # 区厂协.md, the first unit's, was written over before


def test_a_folder_in_the_way_of_the_summary_is_refused_before_any_report_is_written(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "汇总.xlsx").unlink()
    (folder / "汇总.xlsx").mkdir()
    before = _as_it_was(folder)
    err = io.StringIO()
    code = main(["report", "--format", "md", str(RULES), str(DATA), "-o", f"{folder}/"], io.StringIO(), err)
    assert code == 2 and "PF702" in err.getvalue() and "汇总.xlsx" in err.getvalue()
    assert _as_it_was(folder) == before


def test_a_folder_that_takes_no_file_is_not_made_and_nothing_is_written(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes into a folder of mode 555: a file in the way of the folder instead
        parent = tmp_path / "file"
        parent.write_text("not a folder", encoding="utf-8")
    else:
        parent = tmp_path / "locked"
        parent.mkdir()
        parent.chmod(0o555)
    try:
        with pytest.raises(OutputError) as refused:
            report_folder(RUBRIC, DATA, parent / "报告", "md", lang="zh")
        assert refused.value.code in ("PF703", "PF704")
        assert not (parent / "报告").exists()
    finally:
        if parent.is_dir():
            parent.chmod(0o755)
            shutil.rmtree(parent)


def test_a_writable_folder_is_written_over_as_before(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    written = report_folder(RUBRIC, DATA, folder, "md", lang="zh")
    assert written.reports == 2
    assert "单位：区厂协" in (folder / "区厂协.md").read_text(encoding="utf-8")
    assert (folder / "汇总.xlsx").read_bytes()[:2] == b"PK"  # a workbook now

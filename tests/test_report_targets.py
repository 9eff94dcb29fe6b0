"""`pingfen report DATA -o 报告/` checks every file it will write before it writes any: a read-only
汇总.xlsx (or report) already in the folder, or a folder in the way of one, was refused only after
every unit's report had been written over the ones there."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from data_helpers import ROOT, RUBRIC
from pingfen import batch, batchreport, report
from pingfen.batch import Scored
from pingfen.batchreport import report_folder
from pingfen.cli import main
from pingfen.errors import DataError, OutputError
from pingfen.evaluate.rubric import Rubric
from pingfen.io.tables import Row
from pingfen.lang import Lang

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
    """Guards a behaviour kept (main refused it too), not a fix: the refusal is the folder's own."""
    root = os.geteuid() == 0
    if root:  # root writes into a folder of mode 555: a file in the way of the folder instead
        parent = tmp_path / "file"
        parent.write_text("not a folder", encoding="utf-8")
    else:
        parent = tmp_path / "locked"
        parent.mkdir()
        parent.chmod(0o555)
    try:
        with pytest.raises(OutputError) as refused:
            report_folder(RUBRIC, DATA, parent / "报告", "md", lang="zh")
        assert refused.value.code == ("PF704" if root else "PF703")
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


def _watched(monkeypatch: pytest.MonkeyPatch, after: Callable[[], None] | None = None) -> list[str]:
    """What the run does, in order: `scored` for each row scored, `wrote` for each report written,
    `ended` when a reading of the data ends; `after` called once the first reading has ended."""
    events: list[str] = []
    real_score, real_write = batch.score_rows, report.write_report

    def score_rows(rubric: Rubric, rows: Iterable[Row], lang: Lang = "zh") -> Iterator[Scored]:
        for one in real_score(rubric, rows, lang):
            events.append("scored")
            yield one
        if after is not None and "ended" not in events:
            after()
        events.append("ended")

    def write_report(*args: Any, **kwargs: Any) -> None:
        events.append("wrote")
        real_write(*args, **kwargs)

    monkeypatch.setattr(batchreport, "score_rows", score_rows)
    monkeypatch.setattr(batchreport, "write_report", write_report)
    return events


def test_a_folder_that_takes_no_file_is_refused_before_a_row_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row was scored (and each Result kept) before PF704 was said; main said it first."""
    events = _watched(monkeypatch)
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError) as refused:
        report_folder(RUBRIC, DATA, tmp_path / "file" / "报告", "md", lang="zh")
    assert refused.value.code == "PF704" and events == []


def test_each_report_is_written_as_its_row_is_scored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every unit's Result was kept until all were scored (817 MB at 10^5 units), the progress bar
    still: now a first reading names the reports, and the second writes each as it comes."""
    events = _watched(monkeypatch)
    bar = io.StringIO()
    written = report_folder(RUBRIC, DATA, tmp_path / "报告", "md", lang="zh", progress=bar)
    assert written.reports == 2
    # three rows (填错的单位 refused: no report), read twice; the reports written in the second reading
    assert events == ["scored"] * 3 + ["ended"] + ["scored", "wrote"] * 2 + ["scored", "ended"]
    assert sorted(p.name for p in (tmp_path / "报告").iterdir()) == ["区厂协.md", "汇总.xlsx", "示范单位.md"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("lang", "first", "second"), [("zh", "检查中 [{bar}] 3/3 行", "评分 [{bar}] 3/3 行"),
                                                       ("en", "checking [{bar}] 3/3 rows", "scoring [{bar}] 3/3 rows")])  # fmt: skip
def test_the_first_reading_has_a_bar_of_its_own(tmp_path: Path, lang: Lang, first: str, second: str) -> None:
    """The bar stood still through the first reading (as long as the second, less the writing);
    now that reading shows one of its own, and each reaches its total."""
    terminal = _Terminal()
    report_folder(RUBRIC, DATA, tmp_path / "报告", "md", lang=lang, progress=terminal)
    full = "#" * 30
    lines = [line.rsplit("\r", 1)[-1] for line in terminal.getvalue().split("\n") if line]
    assert len(lines) == 2
    assert lines[0].startswith(first.format(bar=full)) and lines[1].startswith(second.format(bar=full))


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "departments.csv"
    data.write_bytes(DATA.read_bytes())
    return data


def _edited(data: Path) -> None:
    """The data saved over, as Excel saves: its first unit renamed."""
    data.write_bytes(data.read_bytes().replace("区厂协".encode(), "区工会".encode()))


def test_a_data_file_saved_over_between_the_readings_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _copy(tmp_path)
    _watched(monkeypatch, after=lambda: _edited(data))
    with pytest.raises(DataError) as refused:
        report_folder(RUBRIC, data, tmp_path / "报告", "md", lang="zh")
    assert [p.code for p in refused.value.problems] == ["PF537"]
    assert refused.value.describe("zh").startswith(f"PF537: `{data}` 在生成报告期间被修改：请重新运行（未写出任何文件）")
    assert refused.value.describe("en").startswith(f"PF537: `{data}` changed while the reports were being made: "
                                                   "run it again (no file was written)")  # fmt: skip
    assert not (tmp_path / "报告").exists()  # refused before the folder is made: nothing left behind


def test_a_folder_that_was_there_is_left_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _copy(tmp_path)
    folder = _folder(tmp_path)
    before = _as_it_was(folder)
    _watched(monkeypatch, after=lambda: _edited(data))
    with pytest.raises(DataError):
        report_folder(RUBRIC, data, folder, "md", lang="zh")
    assert _as_it_was(folder) == before


@pytest.mark.parametrize(("unit", "reports", "zh", "en"), [
    ("示范单位", ["区厂协.md"], "已写出 1 份报告，未写出汇总", "1 report was written; the summary was not"),
    ("填错的单位", ["区厂协.md", "示范单位.md"], "已写出 2 份报告，未写出汇总", "2 reports were written; the summary was not"),
])  # fmt: skip
def test_the_refusal_counts_the_reports_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unit: str, reports: list[str], zh: str, en: str
) -> None:
    """PF537 said only that the summary was not written, though reports were: it counts them."""
    data = _copy(tmp_path)
    monkeypatch.setattr(batchreport, "identity", lambda fd: (1,))  # seen only as its rows differ, one by one
    _watched(monkeypatch, after=lambda: data.write_bytes(data.read_bytes().replace(unit.encode(), "改名单位".encode())))
    with pytest.raises(DataError) as refused:
        report_folder(RUBRIC, data, tmp_path / "报告", "md", lang="zh")
    assert refused.value.describe("zh").startswith(f"PF537: `{data}` 在生成报告期间被修改：请重新运行（{zh}）")
    assert refused.value.describe("en").startswith(f"PF537: `{data}` changed while the reports were being made: run it again ({en})")
    assert sorted(p.name for p in (tmp_path / "报告").iterdir()) == reports  # the rows before the changed one


def test_rows_that_differ_from_the_first_reading_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same file by its identity (a time of change the file system keeps coarsely, say), but
    other rows: its rows are compared too."""
    data = _copy(tmp_path)
    monkeypatch.setattr(batchreport, "identity", lambda fd: (1,))
    _watched(monkeypatch, after=lambda: _edited(data))
    with pytest.raises(DataError) as refused:
        report_folder(RUBRIC, data, tmp_path / "报告", "md", lang="zh")
    assert [p.code for p in refused.value.problems] == ["PF537"]
    assert not (tmp_path / "报告").exists()  # made for the run, and nothing written: gone (it stayed, empty)


def test_folders_made_for_a_run_that_wrote_nothing_go_and_one_that_was_there_stays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The change seen only in the second pass (the rows differ, the file's identity the same):
    every folder the run made, parents too, is removed; a folder that was there before is left
    with what it held."""
    data = _copy(tmp_path)
    monkeypatch.setattr(batchreport, "identity", lambda fd: (1,))
    _watched(monkeypatch, after=lambda: _edited(data))
    with pytest.raises(DataError):
        report_folder(RUBRIC, data, tmp_path / "年度" / "第一批" / "报告", "md", lang="zh")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([data.name])
    folder = _folder(tmp_path)
    before = _as_it_was(folder)
    _watched(monkeypatch, after=lambda: data.write_bytes(data.read_bytes().replace("区工会".encode(), "区厂协".encode())))
    with pytest.raises(DataError):
        report_folder(RUBRIC, data, folder, "md", lang="zh")
    assert _as_it_was(folder) == before


def test_the_command_says_the_data_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _copy(tmp_path)
    _watched(monkeypatch, after=lambda: _edited(data))
    err = io.StringIO()
    code = main(["report", "--format", "md", "--lang", "en", str(RULES), str(data), "-o", f"{tmp_path}/报告/"], io.StringIO(), err)
    assert code != 0
    assert f"`{data}` changed while the reports were being made: run it again (no file was written)" in err.getvalue()


def test_a_folder_reached_through_one_that_is_not_there_is_left_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o a/../b` with no `a`: the run makes `a` (pathlib walks up to it) and not `b`, which was
    there. Telling made folders by whether each path existed before took `a/../b`, `a/..` and
    `a` all as made: `b` (empty, but not the run's) was removed and `a` left behind."""
    data = _copy(tmp_path)
    (tmp_path / "b").mkdir()
    monkeypatch.setattr(batchreport, "identity", lambda fd: (1,))
    _watched(monkeypatch, after=lambda: _edited(data))
    with pytest.raises(DataError):
        report_folder(RUBRIC, data, tmp_path / "a" / ".." / "b", "md", lang="zh")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["b", data.name])

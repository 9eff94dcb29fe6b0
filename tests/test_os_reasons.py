"""An operating system's refusal is worded in the message's language: 中文 by default, the
system's own English with `--lang en`; an errno the table does not know keeps the system's
text in both. Each site that puts an OSError's reason into a message is met once, through
the command line, on real files.

These tests run as root here, where a file without read permission is still read: they use
what root meets too — a missing path, a directory, a path through a file, a loop of
symbolic links, a socket, an interpreter that is not there.
"""

from __future__ import annotations

import errno
import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from duckdb_helpers import require_duckdb
from pingfen.cli import main
from pingfen.errors import DataError, Problem
from pingfen.messages import message
from pingfen.oserrors import CHINESE, OSReason, reason

ROOT = Path(__file__).resolve().parents[1]
RULESET = str(ROOT / "rulesets" / "dept-overall-2021.rule")
DATA = str(ROOT / "examples" / "dept-overall-2021" / "departments.csv")
RECORD = str(ROOT / "examples" / "dept-overall-2021" / "full-marks.json")
MISSING, DIRECTORY = os.strerror(errno.ENOENT), os.strerror(errno.EISDIR)


def run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue() + err.getvalue()


def both(*argv: str) -> tuple[str, str]:
    """The command's output in 中文 (the default) and in English."""
    zh = run(*argv)
    en = run("--lang", "en", *argv)
    assert zh[0] == en[0] != 0
    return zh[1], en[1]


# -- the table --------------------------------------------------------------------------------


def test_the_errors_a_user_meets_are_in_chinese() -> None:
    expected = {
        errno.ENOENT: "文件或目录不存在", errno.EISDIR: "是一个目录而不是文件", errno.EACCES: "没有权限",
        errno.ENOSPC: "磁盘空间不足", errno.EROFS: "文件系统只读", errno.ENOTDIR: "路径中有一项不是目录",
        errno.ENAMETOOLONG: "文件名太长", errno.ELOOP: "链接层数过多", errno.ETXTBSY: "文件正被占用",
    }  # fmt: skip
    for number, words in expected.items():
        error = OSError(number, os.strerror(number))
        assert reason(error, "zh") == words
        assert reason(error, "en") == os.strerror(number)


def test_every_chinese_text_is_chinese_and_its_own() -> None:
    assert len(set(CHINESE.values())) == len(CHINESE)
    for number, words in CHINESE.items():
        assert words and not any("a" <= c.lower() <= "z" for c in words), (number, words)
        assert errno.errorcode[number]  # a real errno of this system


def test_an_errno_not_in_the_table_keeps_the_systems_words() -> None:
    unknown = next(n for n in (errno.ECHILD, errno.ESRCH, errno.EDOM) if n not in CHINESE)
    error = OSError(unknown, os.strerror(unknown))
    assert reason(error, "zh") == reason(error, "en") == os.strerror(unknown)
    bare = OSError("the device went away")  # no errno at all
    assert reason(bare, "zh") == reason(bare, "en") == "the device went away"


def test_the_words_are_chosen_when_the_message_is_rendered() -> None:
    problem = Problem("PF508", None, {"path": "x.csv", "detail": OSReason(errno.ENOENT, MISSING)})
    assert problem.message("zh") == "无法读取 `x.csv`：文件或目录不存在"
    assert problem.message("en") == f"cannot read `x.csv`: {MISSING}"
    error = DataError([problem])
    assert "文件或目录不存在" in error.render("zh") and MISSING in error.render("en")
    # a template that names `{detail}` in its Chinese text too (PF831) is worded in Chinese
    args = {"data": "x.csv", "detail": OSReason(errno.EISDIR, DIRECTORY)}
    assert message("PF831", "zh", args).endswith("是一个目录而不是文件")
    assert message("PF831", "en", args).endswith(DIRECTORY)


# -- each site, through the command line --------------------------------------------------------


def test_a_missing_csv_batch(tmp_path: Path) -> None:  # io/tables.py
    zh, en = both("eval", RULESET, str(tmp_path / "没有.csv"))
    assert f"错误[PF508]: 无法读取 `{tmp_path / '没有.csv'}`：文件或目录不存在" in zh
    assert f"error[PF508]: cannot read `{tmp_path / '没有.csv'}`: {MISSING}" in en


def test_a_directory_named_as_a_batch(tmp_path: Path) -> None:  # io/tables.py
    (tmp_path / "d.csv").mkdir()
    zh, en = both("eval", RULESET, str(tmp_path / "d.csv"))
    assert "：是一个目录而不是文件" in zh and f": {DIRECTORY}" in en


def test_a_jsonl_batch_behind_a_loop_of_links(tmp_path: Path) -> None:  # io/tables.py, JSON Lines
    (tmp_path / "loop.jsonl").symlink_to("loop.jsonl")
    zh, en = both("eval", RULESET, str(tmp_path / "loop.jsonl"))
    assert "错误[PF508]" in zh and "：链接层数过多" in zh
    assert f": {os.strerror(errno.ELOOP)}" in en


def test_a_directory_named_as_a_workbook(tmp_path: Path) -> None:  # io/tables.py, xlsx_errors
    (tmp_path / "d.xlsx").mkdir()
    zh, en = both("eval", RULESET, str(tmp_path / "d.xlsx"))
    assert "不是可读取的 .xlsx 工作簿（是一个目录而不是文件）" in zh
    assert f"not a readable .xlsx workbook ({DIRECTORY})" in en


def test_a_missing_record(tmp_path: Path) -> None:  # io/records.py
    zh, en = both("eval", RULESET, str(tmp_path / "没有.json"))
    assert "错误[PF508]" in zh and "：文件或目录不存在" in zh and f": {MISSING}" in en


def test_a_rule_file_that_cannot_be_read(tmp_path: Path) -> None:  # loader.unreadable, as every command says it
    zh, en = both("check", str(tmp_path / "没有.rule"))
    assert f"错误[PF010]: 无法读取规则文件 `{tmp_path / '没有.rule'}`：文件或目录不存在" in zh
    assert f"error[PF010]: cannot read the rule file `{tmp_path / '没有.rule'}`: {MISSING}" in en
    zh, en = both("fmt", str(tmp_path))
    assert "：是一个目录而不是文件" in zh and f": {DIRECTORY}" in en


@pytest.mark.parametrize(
    "command",
    [
        ["check", "{rule}"], ["eval", "{rule}", DATA], ["template", "{rule}"], ["render", "{rule}"], ["fmt", "{rule}"],
        ["test", "{rule}"], ["fuzz", "{rule}"], ["sql", "{rule}"], ["audit", "{rule}", DATA], ["report", "{rule}", DATA],
        ["diff", "{rule}", RULESET], ["diff", RULESET, "{rule}"],
    ],
)
def test_every_command_codes_a_missing_rule_file(tmp_path: Path, command: list[str]) -> None:
    """`check nofile.rule` said `pingfen：无法读取 nofile.rule：…`, `eval nofile.rule d.csv`
    `pingfen：文件或目录不存在：nofile.rule`, with no code, where a missing data file is PF508."""
    (tmp_path / "2021部门整体.rule").write_text("", encoding="utf-8")
    (tmp_path / "项目.rule").write_text("", encoding="utf-8")
    missing = str(tmp_path / "部门整体.rule")
    zh, en = both(*(missing if a == "{rule}" else a for a in command))
    assert zh.startswith(f"错误[PF010]: 无法读取规则文件 `{missing}`：文件或目录不存在\n --> {missing}\n"), zh
    assert f"  = 帮助: `{tmp_path}` 中的规则文件：2021部门整体.rule、项目.rule" in zh
    assert f"error[PF010]: cannot read the rule file `{missing}`: {MISSING}" in en
    assert f"  = help: the rule files in `{tmp_path}`: 2021部门整体.rule, 项目.rule" in en


def test_a_missing_rule_file_with_none_near(tmp_path: Path) -> None:
    zh, en = both("eval", str(tmp_path / "无" / "x.rule"), DATA)
    assert "错误[PF010]" in zh and "帮助: 请检查文件名和文件夹：相对路径从运行 pingfen 的文件夹算起" in zh
    assert "help: check the name and the folder" in en
    zh, en = both("eval", RULESET, DATA, "-o", str(tmp_path / "没有" / "x.csv"))  # the output's folder is missing: PF704
    assert zh.strip() == f"错误[PF704]: 无法写入 `{tmp_path / '没有' / 'x.csv'}`：文件或目录不存在"
    assert en.strip() == f"error[PF704]: cannot write `{tmp_path / '没有' / 'x.csv'}`: {MISSING}"


def test_a_base_file_behind_a_file(tmp_path: Path) -> None:  # loader.py, PF120
    (tmp_path / "afile").write_text("", encoding="utf-8")
    rule = tmp_path / "x.rule"
    rule.write_text('extends "afile/base.rule"\n', encoding="utf-8")
    zh, en = both("check", str(rule))
    assert "错误[PF120]: 无法读取所继承的文件 `afile/base.rule`：路径中有一项不是目录" in zh
    assert f"error[PF120]: cannot read the base file `afile/base.rule`: {os.strerror(errno.ENOTDIR)}" in en
    assert "帮助: " in zh and "help: " in en  # the hint stays


def test_a_report_folder_behind_a_file(tmp_path: Path) -> None:  # batchreport.py, PF704
    (tmp_path / "afile").write_text("", encoding="utf-8")
    folder = f"{tmp_path / 'afile' / 'sub'}/"
    zh, en = both("report", RULESET, DATA, "-o", folder, "--format", "md")
    assert "错误[PF704]: 无法写入" in zh and "：路径中有一项不是目录" in zh
    assert f": {os.strerror(errno.ENOTDIR)}" in en


def test_an_output_that_is_a_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # io/write.py, PF704
    monkeypatch.chdir(tmp_path)  # a socket's path is short: bind it by a relative name
    with socket.socket(socket.AF_UNIX) as listening:  # opened for writing: ENXIO, which write.py's own table lacks
        listening.bind("s.csv")
        zh, en = both("eval", RULESET, DATA, "-o", "s.csv")
    assert "错误[PF704]: 无法写入 `s.csv`：没有这个设备或地址" in zh
    assert f"error[PF704]: cannot write `s.csv`: {os.strerror(errno.ENXIO)}" in en


def test_a_chromium_that_cannot_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # report/pdf.py
    browser = tmp_path / "chromium"
    browser.write_text("#!/没有/这个解释器\n", encoding="utf-8")  # found on the PATH, cannot be run
    browser.chmod(0o755)
    monkeypatch.setenv("PINGFEN_CHROMIUM", str(browser))
    zh, en = both("report", RULESET, RECORD, "-o", str(tmp_path / "r.pdf"))
    assert f"错误[PF711]: Chromium 未能打印 PDF `{tmp_path / 'r.pdf'}`：文件或目录不存在" in zh
    assert f"error[PF711]: Chromium could not print the PDF `{tmp_path / 'r.pdf'}`: {MISSING}" in en


def test_a_missing_workbook_to_import(tmp_path: Path) -> None:  # importer.py
    zh, en = both("import", str(tmp_path / "没有.xlsx"))
    assert "错误[PF508]" in zh and "：文件或目录不存在" in zh and "Errno" not in zh
    assert f": {MISSING}" in en and "Errno" not in en


def test_the_engine_given_a_missing_file(tmp_path: Path) -> None:  # engine.py, both readers
    require_duckdb()
    out = str(tmp_path / "out.csv")
    zh, en = both("eval", "--engine", "duckdb", RULESET, str(tmp_path / "没有.csv"), "-o", out)
    assert "PF831: DuckDB 无法为" in zh and zh.rstrip().endswith("：文件或目录不存在")
    assert en.rstrip().endswith(f": {MISSING}")
    zh, en = both("eval", "--engine", "duckdb", "--encoding", "gbk", RULESET, str(tmp_path / "没有.csv"), "-o", out)
    assert zh.rstrip().endswith("：文件或目录不存在") and en.rstrip().endswith(f": {MISSING}")


def test_the_briefs_example_as_a_user_runs_it(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    for name in ("PINGFEN_LANG", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    env["LANG"] = "C.UTF-8"  # a server's locale: 中文
    found = subprocess.run([sys.executable, "-m", "pingfen", "eval", RULESET, "/nonexist.csv"],
                           env=env, capture_output=True, text=True, check=False)  # fmt: skip
    assert found.returncode == 2
    assert found.stderr.strip() == "错误[PF508]: 无法读取 `/nonexist.csv`：文件或目录不存在"


@pytest.mark.parametrize(
    "args",
    [
        ("eval", RULESET, DATA),  # a table to standard output: was an internal error
        ("eval", RULESET, str(ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml")),  # was exit 0, nothing said
        ("check", RULESET),
        ("sql", RULESET),
    ],
)
def test_standard_output_closed_is_a_write_error(tmp_path: Path, args: tuple[str, ...]) -> None:
    """`pingfen … >&-`: Python gives no sys.stdout at all; the output cannot be written, and
    pingfen says so and exits 2, as for any output it cannot write."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), XDG_CACHE_HOME=str(tmp_path / "cache"), PINGFEN_LANG="zh")
    found = subprocess.run([sys.executable, "-m", "pingfen", *args], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, check=False, preexec_fn=lambda: os.close(1))  # noqa: PLW1509 - closes the child's stdout only
    assert found.returncode == 2, found.stderr
    assert found.stderr.strip() == "pingfen：文件描述符无效（已关闭）：标准输出"


@pytest.mark.parametrize("args", [("--help",), ("eval", "--help"), ("--version",)])
def test_help_it_cannot_write_is_a_write_error_not_a_silent_success(tmp_path: Path, args: tuple[str, ...]) -> None:
    """argparse swallows an OSError writing help and exits 0: `pingfen --help > /dev/full`
    said nothing and succeeded."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), XDG_CACHE_HOME=str(tmp_path / "cache"), PINGFEN_LANG="zh")
    with open(os.devnull if not Path("/dev/full").exists() else "/dev/full", "w") as full:  # noqa: PTH123 - a device
        found = subprocess.run([sys.executable, "-m", "pingfen", *args], env=env, stdout=full, stderr=subprocess.PIPE,
                               text=True, check=False)  # fmt: skip
    if Path("/dev/full").exists():
        assert (found.returncode, found.stderr.strip()) == (2, "pingfen：磁盘空间不足")
    closed = subprocess.run([sys.executable, "-m", "pingfen", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, check=False, preexec_fn=lambda: os.close(1))  # noqa: PLW1509 - closes the child's stdout only
    assert (closed.returncode, closed.stderr.strip()) == (2, "pingfen：文件描述符无效（已关闭）")

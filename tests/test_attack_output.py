"""Issue #15, what pingfen writes: an output that is an input (1), writes that are not atomic
(2), links and devices replaced (3), temporary files left by killed runs (22), formulas
from rule files (10), Markdown that does not escape (11), terminal escapes echoed (12),
and the messages for a directory or an unwritable one (23). The attack inputs are kept here."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

import pingfen
from pingfen.batch import score_file
from pingfen.cli import main
from pingfen.errors import OutputError
from pingfen.io.write import Interrupted, atomic_open, atomic_path, interruptible, write_text
from pingfen.terminal import printable

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
FULL = ROOT / "examples" / "dept-overall-2021" / "full-marks.json"

# Names an attacker can give in a rule file: formulas, HTML and Markdown links.
HOSTILE = r'''rubric "=HYPERLINK(\"http://evil\",\"x\")" {
  total 10
  grade `[x](javascript:alert(1))` >= 5
  grade `@SUM(1)` otherwise
}
input `=HYPERLINK("http://evil","点我")`: percent
input `+cmd|' /C calc'!A0`: count
group `@SUM(1+1)` 10 {
  indicator `-2+3` 5 {
    bands `=HYPERLINK("http://evil","点我")` {
      >= 90% -> 5
      else -> 0
    }
  }
  indicator `<script>alert(1)</script>` 5 {
    deduct 1 per 1 of `+cmd|' /C calc'!A0` above 0
    counting whole
    reason "![](http://evil/t.png) [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
  }
}
'''
PERCENT, COUNT = '=HYPERLINK("http://evil","点我")', "+cmd|' /C calc'!A0"
INDICATORS = ("-2+3", "<script>alert(1)</script>")


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def _cli(*argv: str | Path, **kwargs: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    code = "import sys; from pingfen.cli import main; sys.exit(main())"
    then = kwargs.pop("preexec_fn", None)

    def before() -> None:  # a hangup as a terminal sends it: under nohup the run ignores SIGHUP, which pingfen keeps
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        if callable(then):
            then()

    return subprocess.Popen([sys.executable, "-c", code, *map(str, argv)], env=env, preexec_fn=before, **kwargs)  # type: ignore[call-overload]


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.rule"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def _hostile_data(tmp_path: Path) -> Path:
    data = tmp_path / "d.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", PERCENT, COUNT])
        writer.writerow(["=cmd", "95%", "2"])
        writer.writerow(["B", "50%", "9"])
    return data


def _no_temporary_files(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


# ---------------------------------------------------------------- 1. an output that is an input


@pytest.mark.parametrize(
    "argv",
    [
        ("eval", RULESET, "{data}", "-o", "{data}"),
        ("eval", RULESET, "{data}", "-o", "{rule}"),
        ("report", RULESET, "{record}", "-o", "{record}"),
        ("report", RULESET, "{record}", "-o", "{rule}"),
        ("template", RULESET, "-o", "{rule}"),
        ("template", RULESET, "--format", "csv", "-o", "{rule}"),
    ],
)
def test_an_output_that_is_an_input_is_refused(tmp_path: Path, argv: tuple[str | Path, ...]) -> None:
    rule = tmp_path / "r.rule"
    rule.write_bytes(RULESET.read_bytes())
    data = tmp_path / "d.csv"
    data.write_text("id,x\nA,1\n", encoding="utf-8")
    record = tmp_path / "x.yaml"
    record.write_text("a: 1\n", encoding="utf-8")
    names = {"{data}": data, "{rule}": rule, "{record}": record}
    argv = tuple(names.get(a, rule if a == RULESET else a) for a in argv)  # type: ignore[call-overload]
    before = {p: p.read_bytes() for p in (rule, data, record)}
    code, _, err = run(argv[0], "--lang", "en", *argv[1:])
    assert code == 2
    assert "error[PF701]:" in err and "would destroy it" in err
    assert {p: p.read_bytes() for p in (rule, data, record)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "r.rule", "x.yaml"]


SEED = ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml"


@pytest.mark.parametrize(
    "argv",
    [
        ("render", "{child}", "--format", "md", "-o", "{base}"),  # (without --format: PF706, `.rule` is no table)
        ("template", "--format", "yaml", "{child}", "-o", "{base}"),
        ("report", "{child}", SEED, "--format", "md", "-o", "{base}"),
        ("eval", "{child}", SEED, "--format", "json", "-o", "{base}"),
        ("eval", "{child}", SEED, "--format", "json", "-o", "{link}"),
    ],
)
def test_an_output_over_a_base_the_rule_file_extends_is_refused(tmp_path: Path, argv: tuple[str | Path, ...]) -> None:
    """The bases a rule file extends are inputs too: `-o base.rule` replaced the base."""
    base = tmp_path / "base.rule"
    base.write_bytes(RULESET.read_bytes())
    child = tmp_path / "child.rule"
    child.write_text('extends "base.rule"\nrubric "子表" { year 2022 }\n', encoding="utf-8")
    (tmp_path / "link.rule").symlink_to(base)
    names = {"{child}": child, "{base}": base, "{link}": tmp_path / "link.rule"}
    code, _, err = run(*(str(names.get(a, a)) for a in argv))  # type: ignore[call-overload]
    assert code == 2 and "错误[PF701]" in err and "base.rule" in err, err
    assert base.read_bytes() == RULESET.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.rule", "child.rule", "link.rule"]


def test_fmt_still_rewrites_the_file_it_read(tmp_path: Path) -> None:
    rule = tmp_path / "r.rule"
    rule.write_text('rubric   "甲" { total 1 }\n', encoding="utf-8")
    assert run("fmt", str(rule))[0] == 0
    assert rule.read_text(encoding="utf-8") == 'rubric "甲" {\n  total 1\n}\n'


def test_an_output_linking_to_an_input_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,x\nA,1\n", encoding="utf-8")
    (tmp_path / "soft.csv").symlink_to(data)
    os.link(data, tmp_path / "hard.csv")
    for output in ("soft.csv", "hard.csv", "./sub/../d.csv"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        code, _, err = run("eval", "--lang", "zh", str(RULESET), str(data), "-o", str(tmp_path / output))
        assert code == 2
        assert "错误[PF701]" in err and "输入文件" in err
        assert data.read_text(encoding="utf-8") == "id,x\nA,1\n"


def test_score_file_refuses_to_write_over_its_data(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,x\nA,1\n", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        score_file(pingfen.load(RULESET, tests=False), data, data)
    assert info.value.code == "PF701"
    assert data.read_text(encoding="utf-8") == "id,x\nA,1\n"


# ---------------------------------------------------------------- 2. every write atomic


def _limited(limit: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_fmt_under_a_file_size_limit_leaves_the_file_whole(tmp_path: Path) -> None:
    # The attack: `fmt` under `ulimit -f` cut an 18,736-byte rule file to 8,192 bytes.
    rule = tmp_path / "r.rule"
    text = RULESET.read_text(encoding="utf-8").replace("\n  ", "\n      ")  # not in the canonical layout
    rule.write_text(text, encoding="utf-8")
    assert len(text.encode()) > 8192
    proc = _cli("fmt", "--lang", "en", rule, stderr=subprocess.PIPE, preexec_fn=lambda: _limited(8192))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert "error[PF704]: cannot write" in err.decode() and "too large" in err.decode()
    assert "Traceback" not in err.decode()
    assert rule.read_text(encoding="utf-8") == text
    _no_temporary_files(tmp_path)


def test_fmt_keeps_the_file_when_the_replace_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rule = tmp_path / "r.rule"
    text = RULESET.read_text(encoding="utf-8").replace("\n  ", "\n    ")
    rule.write_text(text, encoding="utf-8")

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    code, _, err = run("fmt", "--lang", "zh", str(rule))
    assert code == 2 and "错误[PF704]" in err and "磁盘空间不足" in err
    assert rule.read_text(encoding="utf-8") == text
    _no_temporary_files(tmp_path)


def test_fuzz_save_writes_through_the_atomic_writer_and_never_over_the_rule(tmp_path: Path) -> None:
    # A rule file named like a counterexample, in the folder `--save` writes to.
    rule = tmp_path / "counterexample-1.yaml"
    rule.write_text('rubric "x" { total 5 }\ninput a: count <= 5\nindicator b 5 { score = a }\n'
                    "property b = 5\n", encoding="utf-8")  # fails: a counterexample to save
    before = rule.read_bytes()
    code, _, err = run("fuzz", "--lang", "en", "--max-examples", "20", str(rule), "--save", str(tmp_path))
    assert code == 2 and "PF701" in err
    assert rule.read_bytes() == before


def test_no_module_writes_a_file_but_through_the_atomic_writer() -> None:
    """Every file pingfen writes goes through io/write.py (the cache keeps its own replace)."""
    offenders = []
    for path in (SRC / "pingfen").rglob("*.py"):
        if path.name == "cache.py" or path.parent.name == "io" and path.name == "write.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "atomic_open(" in line:  # io/write.py's own writer, opened in a mode
                continue
            if re.search(r"[\w)]\.write_(text|bytes)\(|open\([^)]*['\"][wax]b?['\"]", line) or (
                ".save(" in line and ".save(tmp)" not in line
            ):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []


# ---------------------------------------------------------------- 3. links, devices, pipes, permissions


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real" / "out.csv"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    code, _, _ = run("eval", "--lang", "en", str(RULESET), str(FULL), "-o", str(link))
    assert code == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8-sig").startswith("id,")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    _no_temporary_files(real.parent)
    _no_temporary_files(tmp_path)


def test_a_dangling_link_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "report.md")
    assert run("report", str(RULESET), str(FULL), "-o", str(link))[0] == 0
    assert link.is_symlink() and (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# ")


def _full_device(tmp_path: Path) -> Path:
    """A device like /dev/full (every write: no space). Made privately when we may (as root,
    replacing the real /dev/full would break the machine), else the real one."""
    path = tmp_path / "full"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except OSError:
        if os.geteuid() == 0 or not Path("/dev/full").exists():
            pytest.skip("cannot make a /dev/full device here")
        return Path("/dev/full")
    return path


@pytest.mark.parametrize("argv", [("eval", "{rule}", "{data}"), ("template", "{rule}", "--format", "csv"),
                                  ("report", "{rule}", "{record}"), ("eval", "{rule}", "{record}", "--format", "xlsx")])
def test_a_full_device_is_not_replaced_and_says_why(tmp_path: Path, argv: tuple[str, ...]) -> None:
    device = _full_device(tmp_path)
    # data whose header names the rubric's inputs: one naming none is refused before anything is written (PF531)
    names = {"{rule}": str(RULESET), "{data}": str(FULL), "{record}": str(FULL)}
    code, _, err = run(*[names.get(a, a) for a in argv], "--lang", "en", "-o", str(device))
    assert code == 2
    assert f"error[PF704]: cannot write `{device}`: no space left on the device" in err
    assert stat.S_ISCHR(device.stat().st_mode)
    assert [p.name for p in device.parent.iterdir() if p.name.startswith(".")] == []


def test_a_fifo_is_streamed_into(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _, _ = run("eval", "--lang", "en", str(RULESET), str(FULL), "-o", str(fifo))
    reader.join(timeout=30)
    assert code == 0
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].decode("utf-8-sig").startswith("id,")


def test_dev_stdout_is_written_to_not_replaced(tmp_path: Path) -> None:
    # `-o /dev/stdout`, through a link of our own: as root, a regression would replace the real one.
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    for fmt in ("csv", "xlsx"):
        proc = _cli("eval", "--lang", "en", RULESET, FULL, "--format", fmt, "-o", stdout, stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE)  # fmt: skip
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
        assert out.startswith(b"\xef\xbb\xbfid," if fmt == "csv" else b"PK")
        assert stdout.is_symlink()
    assert [p.name for p in tmp_path.iterdir()] == ["stdout"]


def test_replacing_keeps_the_permission_bits(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    write_text(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_text(encoding="utf-8") == "new"


# ---------------------------------------------------------------- 22 and 23. temporary files, messages


def test_temporary_files_are_named_for_their_target_and_process(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "out.csv") as tmp:
        assert re.fullmatch(rf"\.out\.csv\.pingfen-{os.getpid()}\.\w+\.tmp", tmp.name)
        assert tmp.parent == tmp_path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temporary_files_of_dead_runs_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / f".out.csv.pingfen-{_dead_pid()}.abcd1234.tmp"
    stale.write_bytes(b"x" * 1000)
    running = tmp_path / f".out.csv.pingfen-{os.getppid()}.abcd1234.tmp"  # a live process's: kept
    running.write_bytes(b"y")
    other = tmp_path / f".other.csv.pingfen-{_dead_pid()}.abcd1234.tmp"  # another target's: kept
    other.write_bytes(b"z")
    assert run("eval", str(RULESET), str(FULL), "-o", str(tmp_path / "out.csv"))[0] == 0
    assert not stale.exists() and running.exists() and other.exists()


def test_an_interrupted_write_removes_its_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(Interrupted), interruptible(), atomic_open(target) as handle:
        handle.write("half")
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the signal arrives first
    assert target.read_text(encoding="utf-8") == "old"
    _no_temporary_files(tmp_path)
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)])
def test_a_killed_batch_leaves_no_temporary_file(tmp_path: Path, sig: int, code: int) -> None:
    rule = tmp_path / "s.rule"
    rule.write_text('rubric "速度" { total 5 }\ninput 到位率: percent\nindicator 资金到位率 5 {\n'
                    "  bands 到位率 {\n    >= 90% -> 5\n    else -> 0\n  }\n}\n", encoding="utf-8")  # fmt: skip
    data = tmp_path / "big.csv"
    data.write_text("id,到位率\n" + "".join(f"D{i},{i % 100}%\n" for i in range(300_000)), encoding="utf-8")
    proc = _cli("eval", "--lang", "en", rule, data, "-o", tmp_path / "out.csv", stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "the batch ended before it was interrupted"
        time.sleep(0.01)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert "pingfen: interrupted" in err.decode() and "Traceback" not in err.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv", "s.rule"]


def test_an_output_that_is_a_directory_says_so(tmp_path: Path) -> None:
    code, _, err = run("eval", "--lang", "en", str(RULESET), str(FULL), "-o", str(tmp_path))
    assert code == 2
    assert f"error[PF702]: cannot write `{tmp_path}`: it is a directory" in err
    assert ".tmp" not in err and "pingfen-" not in err
    _no_temporary_files(tmp_path.parent)


DEPARTMENTS = ROOT / "examples" / "dept-overall-2021" / "departments.csv"
# Every command and format that writes one file: (the command, its format, the output's extension).
ONE_FILE = [
    *((("template", RULESET), f, f) for f in ("yaml", "csv", "xlsx")),
    *((("eval", RULESET, DEPARTMENTS), f, f) for f in ("csv", "xlsx", "json", "jsonl")),
    *((("render", RULESET), f, f) for f in ("md", "html", "docx", "xlsx")),
    (("import", "TABLE"), None, "rule"),
]


@pytest.mark.parametrize(("command", "fmt", "suffix"), ONE_FILE)
@pytest.mark.parametrize("end", [os.sep, f"{os.sep}.", f"{os.sep}{os.sep}.{os.sep}"])
@pytest.mark.parametrize("existing", [False, True])
def test_an_output_named_as_a_folder_is_refused(
    tmp_path: Path, command: tuple[str | Path, ...], fmt: str | None, suffix: str, end: str, existing: bool
) -> None:
    # `-o 结果/` was written as the file `结果`, `-o 结果.csv/` replaced the file `结果.csv`, and
    # `template --format xlsx -o 表/` still wrote (Path() dropped the `/`); so did `-o 结果/.`
    # for every command (the system reads it as `结果`). Each is a folder's name: PF704, nothing written.
    if command[0] == "import":  # the table to import: the rubric's own, as render writes it
        table = tmp_path / "table" / "评分表.xlsx"
        table.parent.mkdir()
        assert run("render", RULESET, "-o", table)[0] == 0
        command = ("import", table)
    target = tmp_path / f"结果.{suffix}"
    if existing:
        target.write_text("keep", encoding="utf-8")
    asked = f"{target}{end}"
    formats = () if fmt is None else ("--format", fmt)
    code, out, err = run(*command, *formats, "-o", asked)
    assert (code, out) == (2, "")
    assert err.strip() == (f"错误[PF704]: 无法写入 `{asked}`：名称以 `{end}` 结尾，指的是文件夹\n"
                           f"  = 帮助: 要写入文件，请去掉末尾的 `{end}`：-o {target}")  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "table") == ([target.name] if existing else [])
    if existing:
        assert target.read_text(encoding="utf-8") == "keep"
    code, _, err = run("--lang", "en", *command, *formats, "-o", asked)
    assert code == 2 and f"error[PF704]: cannot write `{asked}`: the name ends in `{end}`, as a folder's does" in err
    assert f"help: to write a file, leave out the `{end}` at the end: -o {target}" in err


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_the_template_api_refuses_a_folder_name_too(tmp_path: Path, fmt: str) -> None:
    # write_template gave the XLSX writer Path(path), which drops the `/` before it is seen.
    from pingfen.template import write_template

    asked = f"{tmp_path / '表'}{os.sep}"
    with pytest.raises(OutputError) as refused:
        write_template(pingfen.load(RULESET, tests=False), fmt, asked)
    assert refused.value.code == "PF704" and refused.value.help("en") == f"to write a file, leave out the `{os.sep}` at the end: -o {tmp_path / '表'}"
    assert list(tmp_path.iterdir()) == []


def test_a_folder_name_whose_file_would_be_refused_too(tmp_path: Path) -> None:
    # The hint gave `-o departments.csv` for `-o departments.csv/`: the data, refused PF701 in
    # turn. And `结果.csv/..` means the folder above, no file. Both say only: another name.
    data = tmp_path / "departments.csv"
    shutil.copy(DEPARTMENTS, data)
    for asked, end in ((f"{data}{os.sep}", os.sep), (f"{data}{os.sep}.", f"{os.sep}."), (f"{tmp_path / '结果.csv'}{os.sep}..", f"{os.sep}..")):
        code, out, err = run("eval", RULESET, data, "-o", asked)
        assert (code, out) == (2, "")
        assert err.strip() == (f"错误[PF704]: 无法写入 `{asked}`：名称以 `{end}` 结尾，指的是文件夹\n"
                               f"  = 帮助: 要写入文件，请去掉末尾的 `{end}`，并另选一个名称")  # fmt: skip
    code, _, err = run("--lang", "en", "eval", RULESET, data, "-o", f"{data}{os.sep}")
    assert code == 2 and err.strip().endswith(f"help: to write a file, leave out the `{os.sep}` at the end and choose another name")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["departments.csv"]
    # A folder's name for a folder that is there is PF702, as without the separator.
    code, _, err = run("render", RULESET, "-o", f"{tmp_path}{os.sep}.")
    assert (code, err.strip()) == (2, f"错误[PF702]: 无法写入 `{tmp_path}{os.sep}.`：它是一个目录")


def test_a_report_folder_may_end_in_a_dot(tmp_path: Path) -> None:
    # `report -o 报告/.` is a folder of reports, as `-o 报告/` is: the form says folder.
    code, _, err = run("report", RULESET, FULL, "-o", f"{tmp_path / '报告'}{os.sep}.")
    assert code == 0, err
    assert sorted(p.suffix for p in (tmp_path / "报告").iterdir()) == [".docx", ".xlsx"]


def test_an_unwritable_directory_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def denied(**kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(kwargs.get("dir")))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    code, _, err = run("eval", "--lang", "en", str(RULESET), str(FULL), "-o", str(tmp_path / "out.csv"))
    assert code == 2
    assert f"error[PF703]: cannot write `{tmp_path / 'out.csv'}`: the directory `{tmp_path}` is not writable" in err


def test_a_read_only_directory_is_named(tmp_path: Path) -> None:
    # Root writes into read-only directories, so as root (CI) the command runs in a forked
    # child that has dropped to `nobody`, over copies of the inputs it can read.
    shared = Path(tempfile.mkdtemp(prefix="pingfen-ro-"))
    try:
        shared.chmod(0o755)
        rule, data = shared / RULESET.name, shared / FULL.name
        rule.write_bytes(RULESET.read_bytes())
        data.write_bytes(FULL.read_bytes())
        folder = shared / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        argv = ["eval", "--lang", "zh", str(rule), str(data), "-o", str(folder / "out.csv")]
        code, err = _as_nobody(argv) if os.geteuid() == 0 else run(*argv)[::2]
        assert code == 2 and f"目录 `{folder}` 不可写入" in err
        assert list(folder.iterdir()) == []
    finally:
        shutil.rmtree(shared)


def _as_nobody(argv: list[str]) -> tuple[int, str]:
    """`main(argv)` in a forked child running as `nobody` (the modules the command needs are
    imported first, as root, since the child may not read the virtualenv)."""
    assert run(*argv[:-2], "-o", "/dev/null")[0] == 0  # the same path through the code, as root
    readable, writable = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            os.close(readable)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            code, _, err = run(*argv)
            os.write(writable, f"{code}\n{err}".encode())
        finally:
            os._exit(0)
    os.close(writable)
    with os.fdopen(readable, "rb") as pipe:
        reply = pipe.read().decode()
    os.waitpid(child, 0)
    code, _, err = reply.partition("\n")
    return int(code), err


# ---------------------------------------------------------------- 10. formulas from rule files


def test_batch_csv_neutralises_names_from_the_rule_file(tmp_path: Path, hostile: Path) -> None:
    out = tmp_path / "out.csv"
    assert run("eval", "--lang", "en", str(hostile), str(_hostile_data(tmp_path)), "-o", str(out))[0] == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["id", "'-2+3", "<script>alert(1)</script>", "total", "grade", "error"]
    assert rows[1] == ["'=cmd", "5", "3", "8.00", "[x](javascript:alert(1))", ""]
    assert rows[2] == ["B", "0", "0", "0.00", "'@SUM(1)", ""]  # a grade is neutralised too; numbers stay


def test_template_csv_neutralises_names_and_reads_back(tmp_path: Path, hostile: Path) -> None:
    template = tmp_path / "t.csv"
    assert run("template", str(hostile), "-o", str(template))[0] == 0
    text = template.read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["id", "'" + PERCENT, "'" + COUNT]
    filled = tmp_path / "filled.csv"
    filled.write_text(text + "A,95%,2\r\n", encoding="utf-8")  # a filled template scores as it is
    code, out, err = run("eval", str(hostile), str(filled), "--format", "jsonl")
    assert code == 0, err
    assert '"total": "8"' in out or '"total": 8' in out


def _text_cells(path: Path) -> list[object]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return [c for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)]


@pytest.mark.parametrize("command", ["eval", "template", "report"])
def test_workbooks_hold_no_formula_and_quote_formula_like_text(tmp_path: Path, hostile: Path, command: str) -> None:
    out = tmp_path / "out.xlsx"
    argv = {"eval": ("eval", str(hostile), str(_hostile_data(tmp_path))), "template": ("template", str(hostile)),
            "report": ("report", str(hostile), str(_hostile_data(tmp_path)), "--id", "B")}[command]  # fmt: skip
    assert run(*argv, "-o", str(out))[0] == 0
    cells = _text_cells(out)
    assert all(c.data_type != "f" for c in cells)
    risky = [c for c in cells if str(c.value).startswith(("=", "+", "-", "@"))]
    assert risky, "the hostile names are written"
    assert all(c.quotePrefix for c in risky), [c.value for c in risky if not c.quotePrefix]
    shown = {"eval": "=cmd", "template": PERCENT, "report": "@SUM(1)"}[command]  # a data id, a name, a grade
    assert shown in {c.value for c in risky}


def test_numbers_stay_numbers_in_a_workbook(tmp_path: Path, hostile: Path) -> None:
    import openpyxl

    out = tmp_path / "out.xlsx"
    assert run("eval", str(hostile), str(_hostile_data(tmp_path)), "-o", str(out))[0] == 0
    row = [c.value for c in next(openpyxl.load_workbook(out).worksheets[0].iter_rows(min_row=2, max_row=2))]
    assert row[:4] == ["=cmd", 5, 3, 8]


# ---------------------------------------------------------------- 11. Markdown escapes


def test_markdown_report_escapes_html_and_links(tmp_path: Path, hostile: Path) -> None:
    data = tmp_path / "r.yaml"
    data.write_text(f'id: "<script>alert(2)</script>[y](javascript:alert(3))"\n"{PERCENT.replace(chr(34), chr(92) + chr(34))}"'
                    f": 95%\n\"{COUNT}\": 2\n", encoding="utf-8")  # fmt: skip
    code, out, err = run("report", str(hostile), str(data))
    assert code == 0, err
    for raw in ("<script", "<img"):
        assert raw not in out, raw
    assert not re.search(r"(?<!\\)\]\(", out)  # every `](` broken: no link, no image
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out  # the indicator's name, shown as text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in out  # the department's id
    assert r"\[x\](javascript:alert(1))" in out  # the grade and the reason
    assert r"!\[\](http://evil/t.png)" in out


# ---------------------------------------------------------------- 12. terminal escapes


def test_printable_escapes_what_a_terminal_would_obey() -> None:
    assert printable("a\x1b]0;pwned\x07b\x1b[2J\x9b\u202egnp.exe\u2066") == (
        "a\\x1b]0;pwned\\x07b\\x1b[2J\\x9b\\u202egnp.exe\\u2066"
    )
    assert printable("行\t1\r\n2\n") == "行\t1\r\n2\n"
    assert printable("over\rwrite") == "over\\x0dwrite"


def test_control_characters_in_data_are_escaped_in_messages(tmp_path: Path) -> None:
    data = tmp_path / "d\x1b[31m.csv"
    data.write_text("id,到位率\n\x1b]0;pwned\x07\u202eA,\n", encoding="utf-8")
    rule = tmp_path / "s.rule"
    rule.write_text('rubric "x" { total 5 }\ninput 到位率: percent\nindicator 率 5 {\n'
                    "  bands 到位率 {\n    >= 90% -> 5\n    else -> 0\n  }\n}\n", encoding="utf-8")  # fmt: skip
    code, out, err = run("eval", "--lang", "en", str(rule), str(data))
    assert code == 1
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "d\\x1b[31m.csv" in err and "\\x1b]0;pwned\\x07\\u202eA" in err
    assert "\x1b]0;pwned" in out  # standard output to a file or pipe keeps the data's bytes
    missing = run("eval", "--lang", "en", str(rule), str(tmp_path / "no\x1b[2J.json"))[2]
    assert "\x1b" not in missing and "no\\x1b[2J.json" in missing


def test_a_terminal_gets_data_escaped_on_standard_output(tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    rule = tmp_path / "s.rule"
    rule.write_text('rubric "x" { total 5 }\ninput 到位率: percent\nindicator 率 5 {\n'
                    "  bands 到位率 {\n    >= 90% -> 5\n    else -> 0\n  }\n}\n", encoding="utf-8")  # fmt: skip
    data = tmp_path / "d.csv"
    data.write_text("id,到位率\n\x1b[2J\x1b]0;pwned\x07A,95%\n", encoding="utf-8")
    out = Terminal()
    assert main(["eval", str(rule), str(data)], out, io.StringIO()) == 0
    assert "\x1b" not in out.getvalue() and "\\x1b[2J\\x1b]0;pwned\\x07A,5," in out.getvalue()
    assert out.getvalue().endswith("\r\n")  # CSV's CRLF stays


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (("eval", RULESET, ROOT / "examples" / "dept-overall-2021" / "departments.csv"), "out.csv"),
        (("eval", RULESET, ROOT / "examples" / "dept-overall-2021" / "departments.csv"), "out.xlsx"),
        (("template", RULESET), "模板.xlsx"),
        (("render", RULESET), "评分表.md"),
    ],
)
def test_an_output_into_a_folder_that_does_not_exist_is_pf704(tmp_path: Path, command: tuple[str | Path, ...], name: str) -> None:
    """Was a bare "pingfen：文件或目录不存在：…" without a code."""
    target = tmp_path / "没有的目录" / name
    code, out, err = run(*command, "-o", target)
    assert (code, out) == (2, "")
    assert err.strip() == f"错误[PF704]: 无法写入 `{target}`：文件或目录不存在"
    assert sorted(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ("eval", RULESET, ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml"),
        ("eval", RULESET, ROOT / "examples" / "dept-overall-2021" / "departments.csv"),
        ("template", RULESET, "--format", "csv"),
        ("render", RULESET),
    ],
)
def test_output_dash_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str | Path, ...]) -> None:
    """`-o -` wrote a file named "-" in the working folder."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(*command, "-o", "-")
    assert code in (0, 1) and out == run(*command)[1] != "", err
    assert list(tmp_path.iterdir()) == []


COLLIDING = """\
rubric "同名" {
  total 10
  grade 好 otherwise
}
input x: count
indicator id 5 { award 5 if x > 0 }
indicator grade 5 { award 4 if x > 0 }
"""


@pytest.mark.parametrize(("lang", "fmt"), [("zh", "jsonl"), ("zh", "json"), ("en", "csv"), ("en", "xlsx")])
def test_a_node_named_as_an_output_column_is_refused_not_lost(tmp_path: Path, lang: str, fmt: str) -> None:
    """A JSON row kept one `id` and one `grade` of two: the department's id, or the indicator's
    score, was gone without a word (exit 0)."""
    rule = tmp_path / "r.rule"
    rule.write_text(COLLIDING, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("id,x\nu1,1\n", encoding="utf-8")
    output = tmp_path / f"out.{fmt}"
    code, _, err = run("eval", "--lang", lang, str(rule), str(data), "-o", str(output))
    assert code == 2 and "[PF705]" in err and "`id`" in err, err
    assert not output.exists()


def test_a_node_named_id_is_kept_apart_in_a_chinese_csv(tmp_path: Path) -> None:
    rule = tmp_path / "r.rule"
    rule.write_text(COLLIDING.replace("grade 5", "等级 5"), encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("id,x\nu1,1\n", encoding="utf-8")
    code, out, _ = run("eval", str(rule), str(data))
    assert code == 0 and out.splitlines()[:2] == ["编号,id,等级,总分,评价等次,错误", "u1,5,4,9.00,好,"]


def test_a_template_with_an_input_named_id_is_refused(tmp_path: Path) -> None:
    rule = tmp_path / "r.rule"
    rule.write_text('rubric "r" { total 1 }\ninput id: count\nindicator a 1 { award 1 if id > 0 }\n', encoding="utf-8")
    code, out, err = run("template", "--format", "csv", str(rule))
    assert code == 2 and "错误[PF705]" in err and "输入项" in err and out == ""


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx"])
def test_a_data_file_that_is_a_device_is_refused_not_read_for_ever(tmp_path: Path, suffix: str) -> None:
    """`数据.csv` a link to /dev/zero was read for ever (its lines counted before its rows), an
    .xlsx until memory ran out (`internal error: MemoryError()`): PF508 at once, in both languages."""
    data = tmp_path / f"数据{suffix}"
    data.symlink_to("/dev/zero")
    for lang, said in (("zh", "它不是普通文件，而是设备或管道"), ("en", "it is not a regular file but a device or a pipe")):
        proc = _cli("--lang", lang, "eval", RULESET, data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            _, err = proc.communicate(timeout=60)
        finally:
            proc.kill()
        assert proc.returncode == 2 and "[PF508]" in err.decode() and said in err.decode(), err.decode()
    if suffix == ".xlsx":  # and a table to import, a self-evaluation to audit
        for command in (["import", data], ["audit", RULESET, data]):
            code, _, err = run(*command)
            assert code == 2 and "它不是普通文件" in err, (command, err)

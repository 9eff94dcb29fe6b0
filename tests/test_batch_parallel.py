"""`pingfen eval DATA.csv -o OUT.csv` on more than one core (`--jobs`, `batch._split_rows`).

A CSV file written as CSV is scored in chunks, round-robin, by this process and forked
workers; every output is the same, byte for byte, as with `--jobs 1`, and so is the Summary:
odd rows, bad rows, blank and comment rows, quoted cells, ids needing quotes or a formula's
escape, 不适用 rows, chunk and threshold boundaries. A worker that dies or sends nonsense
changes nothing but the time taken, and leaves no zombie; a parent that stops leaves no
worker and no file. Each test that forks checks that workers really scored rows
(`Summary.forked`): with the feature gone, it fails.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pingfen
from data_helpers import as_text, write_csv
from pingfen import batch, parallel
from pingfen.batch import Summary, score_file
from pingfen.evaluate.rubric import Rubric
from pingfen.io.tables import read_rows
from pingfen.io.write import write_results
from strategies import records_2021

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
RUBRIC = pingfen.load(RULESET)
NAMES = [spec.name for spec in RUBRIC.inputs]
sys.path.insert(0, str(ROOT / "benchmarks"))
import records2021  # noqa: E402

CHUNK = 16


@pytest.fixture(autouse=True)
def _no_thread_left_by_another_file() -> None:
    """A batch forks only a process of one thread: a thread another file left in this worker (a
    JVM's gateway) kept every batch here in one process, failing on `forked` without saying why."""
    left = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    assert not left, f"threads an earlier test file left running in this process: {left}"


# Rows that leave the plain path, and cells the csv module must quote.
ODD_CELLS = ["abc", "-3", "1e3", "", " ", "150%", "不适用", "1,000", "５", "是\n否", '"5"', "NaN"]
ODD_IDS = ["单位, 甲", '单位"乙"', "单位\r\n丙", "=1+1", "-单位", "@x", "+5", "\t制表", "", "  空格  "]


def rows_2021(count: int, seed: int) -> list[list[str]]:
    """`count` rows of the 2021 ruleset, about one in five odd in some way."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    for i, record in enumerate(records2021.records(count, seed)):
        cells = [f"单位{i}", *(as_text(record[n]) for n in NAMES)]
        kind = rng.random()
        if kind < 0.06:
            cells[rng.randrange(1, len(cells))] = rng.choice(ODD_CELLS)
        elif kind < 0.10:
            cells[0] = rng.choice(ODD_IDS)
        elif kind < 0.12:
            cells = [] if rng.random() < 0.5 else [""] * len(cells)  # a blank row, either way
        elif kind < 0.14:
            cells[0] = "# 注释"
        elif kind < 0.16:
            cells = cells[: rng.randrange(1, len(cells))] if rng.random() < 0.5 else [*cells, "多"]
        rows.append(cells)
    return rows


def data_2021(tmp_path: Path, count: int, seed: int = 1) -> Path:
    return write_csv(tmp_path / "data.csv", ["单位", *NAMES], rows_2021(count, seed))


def failures(summary: Summary) -> list[Any]:
    """What a Summary says of the rows, as the CLI prints it (`describe`)."""
    kept = [(s.row.number, s.row.id, s.error.describe("zh") if s.error else None) for s in summary.failed]
    return [summary.rows, summary.failures, kept, summary.describe("data.csv", "zh"), summary.describe("data.csv", "en")]


def run(rubric: Rubric, data: Path, jobs: int, **options: Any) -> tuple[bytes, Summary]:
    output = data.with_name(f"out-{jobs}.csv")
    options = {"chunk": CHUNK, "least": 0, "id_column": "单位", "wait": None} | options
    summary = score_file(rubric, data, output, jobs=jobs, **options)
    return output.read_bytes(), summary


def children() -> set[int]:
    """This process's children, running or zombies, from /proc: not `waitpid(-1)`, which
    also sees children the test did not make (a test runner's, a JVM another test started)."""
    found = set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            if int(fields[1]) == os.getpid():  # the parent's pid, after the state
                found.add(int(entry.name))
    return found


_BEFORE: set[int] = set()


@pytest.fixture(autouse=True)
def _children_before() -> None:
    _BEFORE.clear()
    _BEFORE.update(children())


def no_children() -> bool:
    """No child process made since the test began is left, running or a zombie."""
    return children() <= _BEFORE


@pytest.mark.parametrize("jobs", [2, 3])
@pytest.mark.parametrize("count", [CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK - 1, 3 * CHUNK, 3 * CHUNK + 1, 200])
def test_the_same_file_and_summary_with_workers(tmp_path: Path, count: int, jobs: int) -> None:
    data = data_2021(tmp_path, count, seed=count)
    alone, summary = run(RUBRIC, data, 1)
    together, split = run(RUBRIC, data, jobs)
    assert together == alone
    assert failures(split) == failures(summary)
    assert summary.forked == 0
    if count > CHUNK:  # a second chunk: a worker's
        assert split.forked > 0
    if count == 200:
        assert summary.failures > 5 and split.forked > 60  # the odd rows are there, the workers scored many


def test_english_headers_and_messages_the_same(tmp_path: Path) -> None:
    data = data_2021(tmp_path, 120, seed=7)
    alone, summary = run(RUBRIC, data, 1, lang="en")
    together, split = run(RUBRIC, data, 2, lang="en")
    assert together == alone and failures(split) == failures(summary) and split.forked > 0


def test_standard_output_the_same(tmp_path: Path) -> None:
    data = data_2021(tmp_path, 90, seed=3)
    texts = []
    for jobs in (1, 2):
        out = io.StringIO()
        summary = score_file(RUBRIC, data, out=out, jobs=jobs, chunk=CHUNK, least=0, wait=None)
        texts.append(out.getvalue())
        assert (summary.forked > 0) == (jobs == 2)
    assert texts[0] == texts[1]


NOT_APPLICABLE = """\
rubric "项目支出绩效评价" { total 20 }
input 有项目: bool "本年度是否实施项目"
input 项目完成率: percent >= 0
input 资金到位率: percent >= 0 and <= 100%
input 制度健全: bool
group 项目管理 10 {
  indicator 项目完成率 4 {
    applies if 有项目 else rescale
    deduct 1 per 10pp of 项目完成率 below 100% counting proportional
  }
  indicator 资金到位率 6 {
    applies else full
    bands 资金到位率 {
      >= 90% -> 6
      else   -> 3
    }
  }
}
indicator 制度健全性 10 {
  award 10 if 制度健全
}
"""


def test_rows_that_do_not_apply(tmp_path: Path) -> None:
    rubric = pingfen.loads(NOT_APPLICABLE, "na.rule")
    rng = random.Random(5)
    rows = [
        [f"项目{i}", rng.choice(["是", "否"]), rng.choice(["95%", "40%", "不适用", "N/A", "", "0.8"]),
         rng.choice(["100%", "85%", "不适用", "无此项", "1"]), rng.choice(["是", "否", "x"])]
        for i in range(150)
    ]  # fmt: skip
    data = write_csv(tmp_path / "data.csv", ["单位", "有项目", "项目完成率", "资金到位率", "制度健全"], rows)
    for lang in ("zh", "en"):
        alone, summary = run(rubric, data, 1, lang=lang)
        together, split = run(rubric, data, 2, lang=lang)
        assert together == alone and failures(split) == failures(summary)
        assert split.forked > 0
    assert b"N/A" in alone and summary.failures > 0  # rows not applying, rows refused


@settings(max_examples=15)
@given(
    st.lists(records_2021().map(lambda r: [as_text(r[n]) for n in NAMES]) | st.sampled_from([[], ["# 注释"]]), max_size=40),
    st.lists(st.sampled_from(ODD_IDS) | st.text(max_size=4), min_size=1),
    st.integers(1, 6),
)
def test_random_tables_the_same(rows: list[list[str]], ids: list[str], chunk: int) -> None:
    import tempfile

    table = [[ids[i % len(ids)], *cells] if cells else [] for i, cells in enumerate(rows)]
    with tempfile.TemporaryDirectory() as folder:
        data = write_csv(Path(folder) / "data.csv", ["单位", *NAMES], table)
        alone, summary = run(RUBRIC, data, 1, chunk=chunk)
        with counted_forks() as forked:
            together, split = run(RUBRIC, data, 3, chunk=chunk)
    assert together == alone and failures(split) == failures(summary)
    assert no_children()
    if len(rows) > chunk:  # a second chunk (a quoted cell's second line counts too: not the converse)
        assert forked


@contextlib.contextmanager
def counted_forks() -> Iterator[list[int]]:
    """The pids of the workers forked in the block (`parallel.fork_workers`)."""
    fork = parallel.fork_workers
    made: list[int] = []

    def counting(count: int, work: Any) -> parallel.Workers:
        workers = fork(count, work)
        made.extend(workers.pids)
        return workers

    with mock.patch.object(parallel, "fork_workers", counting):
        yield made


def plain_data(tmp_path: Path, count: int) -> Path:
    """`count` rows, each plain and on one line (`Rows.total` counts lines)."""
    rows = [[f"单位{i}", *(as_text(r[n]) for n in NAMES)] for i, r in enumerate(records2021.records(count))]
    return write_csv(tmp_path / "data.csv", ["单位", *NAMES], rows)


def test_the_threshold(tmp_path: Path) -> None:
    data = plain_data(tmp_path, 40)
    assert run(RUBRIC, data, 2, least=41)[1].forked == 0
    assert run(RUBRIC, data, 2, least=40)[1].forked > 0
    assert run(RUBRIC, data, 1, least=0)[1].forked == 0  # --jobs 1: this process alone
    assert run(RUBRIC, data, 2, chunk=40)[1].forked == 0  # one chunk: no worker has one


def test_by_default_the_free_cpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = plain_data(tmp_path, 100)
    monkeypatch.setattr(batch, "cpus", lambda: 2)
    for others, forks in ((0, True), (1, False), (5, False)):
        monkeypatch.setattr(batch, "busy", lambda others=others: others)
        assert (score_file(RUBRIC, data, tmp_path / "out.csv", chunk=CHUNK, least=0, wait=None).forked > 0) == forks
        assert (score_file(RUBRIC, data, tmp_path / "out.csv", jobs=2, chunk=CHUNK, least=0, wait=None).forked > 0)


def test_busy_reads_the_machine() -> None:
    if not Path("/proc/loadavg").exists():
        assert batch.busy() == 0
        return
    assert 0 <= batch.busy() < 10_000


def cgroups(tmp_path: Path, own: str, files: dict[str, str]) -> tuple[Path, Path]:
    """A /sys/fs/cgroup of `files` (path under the mount → text) and a /proc/self/cgroup of `own`."""
    root = tmp_path / "cgroup"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (tmp_path / "own").write_text(own)
    return root, tmp_path / "own"


@pytest.mark.parametrize(
    ("own", "files", "quota"),
    [
        # cgroup v2 in a container: the group is the mount's root
        ("0::/\n", {"cpu.max": "150000 100000\n"}, 1),
        ("0::/\n", {"cpu.max": "300000 100000\n"}, 3),
        ("0::/\n", {"cpu.max": "50000 100000\n"}, 1),  # half a CPU: still one process
        ("0::/\n", {"cpu.max": "max 100000\n"}, None),
        ("0::/\n", {}, None),
        # v2 on a host: the group's own quota, and an enclosing group's smaller one
        ("0::/a/b\n", {"a/b/cpu.max": "400000 100000", "a/cpu.max": "200000 100000"}, 2),
        ("0::/a/b\n", {"a/b/cpu.max": "max 100000", "a/cpu.max": "max 100000"}, None),
        # a path the container does not show: the mount's root is its group
        ("0::/docker/abc\n", {"cpu.max": "100000 100000"}, 1),
        # cgroup v1, the controllers mounted together, or `cpu` alone
        ("4:memory:/x\n1:cpu,cpuacct:/\n", {"cpu,cpuacct/cpu.cfs_quota_us": "200000", "cpu,cpuacct/cpu.cfs_period_us": "100000"}, 2),
        ("1:cpu,cpuacct:/\n", {"cpu/cpu.cfs_quota_us": "100000", "cpu/cpu.cfs_period_us": "100000"}, 1),
        ("1:cpu,cpuacct:/\n", {"cpu,cpuacct/cpu.cfs_quota_us": "-1", "cpu,cpuacct/cpu.cfs_period_us": "100000"}, None),
        ("1:cpuacct,cpu:/g\n", {"cpuacct,cpu/g/cpu.cfs_quota_us": "300000", "cpuacct,cpu/g/cpu.cfs_period_us": "100000"}, 3),
        # what cannot be read says nothing
        ("0::/\n", {"cpu.max": "lots 100000"}, None),
        ("0::/\n", {"cpu.max": "100000 0"}, None),
        ("0::/\n", {"cpu.max": ""}, None),
        ("garbage\n1:cpu:relative\n", {"cpu/cpu.cfs_quota_us": "100000", "cpu/cpu.cfs_period_us": "100000"}, None),
        ("2:name=systemd:/\n", {"cpu.max": "100000 100000"}, None),
    ],
)
def test_a_control_groups_cpu_quota(tmp_path: Path, own: str, files: dict[str, str], quota: int | None) -> None:
    assert parallel.cpu_quota(*cgroups(tmp_path, own, files)) == quota


def test_no_control_groups_no_quota(tmp_path: Path) -> None:
    assert parallel.cpu_quota(tmp_path / "none", tmp_path / "none") is None


def test_a_quota_caps_the_default_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A container given one CPU's time on a machine of many scores in one process by default."""
    table = read_rows(plain_data(tmp_path, 10 * CHUNK), id_column="单位")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(batch, "busy", lambda: 0)
    for text, processes in (("100000 100000", 1), ("250000 100000", 2), ("max 100000", 4)):
        root, own = cgroups(tmp_path / text.split()[0], "0::/\n", {"cpu.max": text})
        monkeypatch.setattr(parallel, "CGROUPS", root)
        monkeypatch.setattr(parallel, "OWN_CGROUPS", own)
        assert batch.cpus() == min(4, processes)
        assert batch._processes(RUBRIC, table, "csv", None, CHUNK, 0) == processes


def test_tiny_files_and_other_outputs_stay_in_one_process(tmp_path: Path) -> None:
    data = plain_data(tmp_path, batch.LEAST - 1)
    assert score_file(RUBRIC, data, tmp_path / "out.csv", jobs=2, chunk=CHUNK).forked == 0
    data = plain_data(tmp_path, batch.LEAST)
    assert score_file(RUBRIC, data, tmp_path / "out.csv", jobs=2, chunk=CHUNK, wait=None).forked > 0
    assert score_file(RUBRIC, data, tmp_path / "out.jsonl", "jsonl", jobs=2, chunk=CHUNK, least=0).forked == 0


def test_a_rubric_with_values_across_the_batch_stays_in_one_process(tmp_path: Path) -> None:
    rubric = pingfen.loads(
        'rubric "b" { total 10 }\ninput 人数: amount > 0\nlet 最少 = batch min(人数)\n'
        "indicator 甲 10 { score = min(最少 / 人数, 100%) * 10 }\n",
        "b.rule",
    )
    data = write_csv(tmp_path / "data.csv", ["单位", "人数"], [[f"单位{i}", str(i % 7 + 1)] for i in range(100)])
    alone, summary = run(rubric, data, 1)
    together, split = run(rubric, data, 2)
    assert together == alone and split.forked == 0


def test_a_second_thread_keeps_it_in_one_process(tmp_path: Path) -> None:
    data = data_2021(tmp_path, 100)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        together, split = run(RUBRIC, data, 2)
    finally:
        stop.set()
        thread.join()
    assert split.forked == 0
    assert run(RUBRIC, data, 2)[1].forked > 0  # the thread gone, the workers fork


def dies_after_first(sent: int, frame: bytes) -> bytes:
    if sent >= 1:
        os._exit(1)
    return frame


def garbage(sent: int, frame: bytes) -> bytes:
    return frame if sent == 0 else b"\xff not json"


def wrong_rows(sent: int, frame: bytes) -> bytes:
    first, texts, read = json.loads(frame)
    return json.dumps([first + 1, texts, read] if sent == 1 else [first, texts[:-1], read] if sent == 2 else [first, texts, read]).encode()


def wrong_kinds(sent: int, frame: bytes) -> bytes:
    first, texts, read = json.loads(frame)
    return json.dumps([first, [1] * len(texts), read] if sent == 1 else [first, texts, read]).encode()


@pytest.mark.parametrize("hook", [dies_after_first, garbage, wrong_rows, wrong_kinds])
def test_a_worker_that_fails_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hook: Any) -> None:
    data = data_2021(tmp_path, 200, seed=9)
    alone, summary = run(RUBRIC, data, 1)
    monkeypatch.setattr(parallel, "before_send", hook)
    together, split = run(RUBRIC, data, 2)
    assert together == alone and failures(split) == failures(summary)
    assert 0 < split.forked <= CHUNK  # its first chunk taken, the rest scored here
    assert no_children()


def slow(sent: int, frame: bytes) -> bytes:
    time.sleep(0.05 if sent % 2 else 0)
    return frame


def test_a_late_worker_is_not_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every other chunk comes 50 ms late: this process scores it itself, the worker skips
    what was claimed, and the frames of chunks scored here are passed over."""
    data = data_2021(tmp_path, 40 * CHUNK, seed=10)
    alone, summary = run(RUBRIC, data, 1)
    monkeypatch.setattr(parallel, "before_send", slow)
    claims = []
    claim = parallel.Workers.claim

    def counted(self: parallel.Workers, worker: int, piece: int) -> None:
        claims.append(piece)
        claim(self, worker, piece)

    monkeypatch.setattr(parallel.Workers, "claim", counted)
    together, split = run(RUBRIC, data, 2, wait=0.01)
    assert together == alone and failures(split) == failures(summary)
    assert [c for c in claims if c >= 0] and 0 < split.forked < 19 * CHUNK  # some chunks taken from the worker, some scored here
    assert no_children()


def test_a_chunk_too_large_to_send_is_scored_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = data_2021(tmp_path, 100, seed=4)
    alone, summary = run(RUBRIC, data, 1)
    monkeypatch.setattr(parallel, "MAX_FRAME", 200)  # a chunk's frame is a few kB: each worker sends [first, null, file]
    with counted_forks() as forked:
        together, split = run(RUBRIC, data, 3)
    assert together == alone and failures(split) == failures(summary)
    assert forked and split.forked == 0 and no_children()  # workers there, every chunk scored here


def test_a_frame_too_large_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = data_2021(tmp_path, 100, seed=4)
    alone, summary = run(RUBRIC, data, 1)
    monkeypatch.setattr(parallel, "MAX_FRAME", 100_000)
    monkeypatch.setattr(parallel, "before_send", lambda sent, frame: frame + b" " * 100_000 if sent == 1 else frame)
    together, split = run(RUBRIC, data, 2)
    assert together == alone and failures(split) == failures(summary)
    assert 0 < split.forked <= CHUNK and no_children()  # the first chunk taken; the second's frame not read


def test_a_worker_killed_by_pid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = data_2021(tmp_path, 300, seed=6)
    alone, summary = run(RUBRIC, data, 1)
    fork = parallel.fork_workers
    pids = []

    def killing(count: int, work: Any) -> parallel.Workers:
        workers = fork(count, work)
        pids.extend(workers.pids)
        os.kill(workers.pids[0], 9)  # before it sends anything
        return workers

    monkeypatch.setattr(parallel, "fork_workers", killing)
    monkeypatch.setattr(parallel, "before_send", lambda sent, frame: time.sleep(5) or frame)  # killed first, surely
    together, split = run(RUBRIC, data, 2)
    assert together == alone and failures(split) == failures(summary)
    assert pids and split.forked == 0 and no_children()


def test_no_process_to_be_had(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = data_2021(tmp_path, 100, seed=13)
    alone, summary = run(RUBRIC, data, 1)
    forks = []
    fork = os.fork

    def second_fails() -> int:
        forks.append(1)
        if len(forks) > 1:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return fork()

    monkeypatch.setattr(os, "fork", second_fails)
    together, split = run(RUBRIC, data, 3)
    assert together == alone and failures(split) == failures(summary)
    assert len(forks) == 2 and split.forked == 0 and no_children()  # the first worker stopped again


def test_a_second_ctrl_c_while_closing_still_stops_every_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    def wait(index: int, send: parallel.Send, claimed: Any) -> None:
        time.sleep(60)

    workers = parallel.fork_workers(3, wait)
    pids = list(workers.pids)
    reap = os.waitpid
    interrupted = []

    def then_interrupted(pid: int, options: int) -> tuple[int, int]:
        if not interrupted:  # the user presses Ctrl-C again as the first worker is reaped
            interrupted.append(pid)
            os.kill(os.getpid(), signal.SIGINT)
        return reap(pid, options)

    monkeypatch.setattr(os, "waitpid", then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        workers.close()
    assert interrupted == pids[:1] and workers.pids == [0, 0, 0]
    for pid in pids:  # each killed and reaped: no zombie, no orphan
        with pytest.raises(ChildProcessError):
            reap(pid, os.WNOHANG)


def test_a_ctrl_c_taken_by_another_thread_is_still_held_while_closing(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a program with threads (a notebook's kernel, a server, a test runner), blocking SIGINT
    in the closing thread does not hold it: the kernel hands it to another thread and Python
    raises it in the main thread all the same, mid-close, leaving workers running."""
    idle = threading.Event()
    other = threading.Thread(target=idle.wait, daemon=True)  # a thread that does not block SIGINT
    other.start()
    try:
        test_a_second_ctrl_c_while_closing_still_stops_every_worker(monkeypatch)
    finally:
        idle.set()
        other.join()


def test_an_interrupted_parent_leaves_no_worker_and_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = data_2021(tmp_path, 400, seed=8)
    score_rows = batch.score_rows
    seen = []

    def interrupted(rubric: Rubric, rows: Any, lang: Any = "zh") -> Iterator[Any]:
        seen.append(1)
        if len(seen) > 3:
            raise KeyboardInterrupt
        return score_rows(rubric, rows, lang)

    monkeypatch.setattr(batch, "score_rows", interrupted)
    with pytest.raises(KeyboardInterrupt), counted_forks() as forked:
        run(RUBRIC, data, 3)
    assert len(forked) == 2 and no_children()  # two workers there, both gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]


def test_only_the_csv_writer_takes_a_rows_text() -> None:
    with pytest.raises(TypeError):
        write_results(["1,2\r\n"], ["甲"], "jsonl", out=io.StringIO())


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "pingfen", *args], capture_output=True, text=True, env=env, timeout=300)


def test_the_cli_with_two_jobs_writes_what_one_does(tmp_path: Path) -> None:
    data = data_2021(tmp_path, batch.LEAST + 100, seed=12)
    outs, errs = [], []
    for jobs in ("1", "2"):
        done = cli("eval", str(RULESET), str(data), "--id-column", "单位", "-o", str(tmp_path / f"{jobs}.csv"), "--jobs", jobs)
        assert done.returncode == 1  # some rows refused, as the generated data has them
        outs.append((tmp_path / f"{jobs}.csv").read_bytes())
        errs.append(done.stderr)
    assert outs[0] == outs[1] and errs[0] == errs[1] and "无法评分" in errs[0]


@pytest.mark.parametrize(("lang", "said"), [("zh", "--jobs 须为进程数"), ("en", "--jobs takes a number")])
def test_the_cli_refuses_no_jobs(tmp_path: Path, lang: str, said: str) -> None:
    data = data_2021(tmp_path, 5)
    done = cli("eval", str(RULESET), str(data), "--jobs", "0", "--lang", lang)
    assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr


def test_the_cli_forks_for_a_large_file(tmp_path: Path) -> None:
    from pingfen.cli import main

    data = data_2021(tmp_path, batch.LEAST + 100, seed=12)
    with counted_forks() as forked:
        code = main(["eval", str(RULESET), str(data), "--id-column", "单位", "-o", str(tmp_path / "2.csv"), "--jobs", "2"],
                    out=io.StringIO(), err=io.StringIO())  # fmt: skip
    assert code == 1 and len(forked) == 1 and no_children()


# ---------------------------------------------------------------- who scores which chunk


class Scripted:
    """Workers as `_received` sees them, with frames and lateness scripted: one worker."""

    def __init__(self, frames: list[bytes], late: int = 0) -> None:
        self.frames, self.late, self.last, self.stopped = frames, late, -1, False

    def claimed(self, worker: int) -> int:
        return self.last

    def claim(self, worker: int, piece: int) -> None:
        self.last = piece

    def ready(self, worker: int, timeout: float) -> bool:
        self.late -= 1
        return self.late < 0

    def receive(self, worker: int) -> bytes | None:
        return None if self.stopped or not self.frames else self.frames.pop(0)

    def stop(self, worker: int) -> None:
        self.stopped = True


FILE = [1, 2, 3, 4]  # a file's identity, as `_split_rows` and `_work` read it


def frame(first: int, texts: list[str | None] | None, read: list[int] = FILE) -> bytes:
    return json.dumps([first, texts, read]).encode()


def received(workers: Scripted, index: int, first: int, rows: int = 2, processes: int = 2) -> list[str | None] | None:
    items = [(first + i, ["x"]) for i in range(rows)]
    return batch._received(workers, 0, index, items, 0.002, processes, FILE)  # type: ignore[arg-type]


def test_a_chunk_sent_in_time_is_taken() -> None:
    workers = Scripted([frame(10, ["a\r\n", None])])
    assert received(workers, 1, 10) == ["a\r\n", None] and not workers.stopped and workers.last == -1


def test_a_late_chunk_is_claimed_with_the_next_and_its_frames_passed_over() -> None:
    workers = Scripted([frame(10, ["a", "b"]), frame(30, ["c", "d"]), frame(50, ["e", "f"])], late=1)
    assert received(workers, 1, 10) is None and workers.last == 3  # late: chunks 1 and 3 are this process's
    assert received(workers, 3, 30) is None and workers.frames  # claimed: not read, not waited for
    assert received(workers, 5, 50) == ["e", "f"] and not workers.stopped  # the frames of 1 and 3 passed over


def test_a_frame_not_the_chunks_stops_the_worker() -> None:
    for sent in (frame(12, ["a", "b"]), frame(10, ["a"]), frame(10, ["a", "b"], [1, 2, 3, 5]), b"[10, null]"):
        workers = Scripted([sent])
        assert received(workers, 1, 10) is None and workers.stopped, sent


def test_a_chunk_too_large_is_scored_here_and_the_worker_kept() -> None:
    workers = Scripted([frame(10, None), frame(30, ["c", "d"])])
    assert received(workers, 1, 10) is None and not workers.stopped
    assert received(workers, 3, 30) == ["c", "d"]


def test_a_worker_skips_what_was_claimed(tmp_path: Path) -> None:
    """`_work` in this process: worker 0 of 3 has chunks 1, 4, 7, …; claimed up to 4, it sends 7 on."""
    data = plain_data(tmp_path, 10 * CHUNK)
    table = read_rows(data, id_column="单位")
    plain = batch.plain_lines(RUBRIC, table, batch.indicator_names(RUBRIC), "zh")
    assert plain is not None
    sent: list[list[Any]] = []
    batch._work(table, plain, 3, CHUNK, 0, lambda f: sent.append(json.loads(f)), lambda: 4)
    assert [s[0] - 2 for s in sent] == [7 * CHUNK]  # row numbers start at 2, after the header
    assert len(sent[0][1]) == CHUNK and all(type(t) is str for t in sent[0][1])


def test_a_worker_that_read_another_file_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = data_2021(tmp_path, 200, seed=5)
    alone, summary = run(RUBRIC, data, 1)

    def elsewhere(sent: int, frame: bytes) -> bytes:
        first, texts, read = json.loads(frame)
        return json.dumps([first, texts, [*read[:-1], read[-1] + 1]] if sent == 1 else [first, texts, read]).encode()

    monkeypatch.setattr(parallel, "before_send", elsewhere)
    together, split = run(RUBRIC, data, 2)
    assert together == alone and failures(split) == failures(summary)
    assert 0 < split.forked <= CHUNK and no_children()  # its first chunk taken, then it was stopped


def test_a_file_saved_over_the_input_is_not_mixed_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers read the old file; it is replaced before this process opens it: the output
    is the new file's alone, as `--jobs 1` would write when started then."""
    old = data_2021(tmp_path, 300, seed=1)
    new = write_csv(tmp_path / "new.csv", ["单位", *NAMES], rows_2021(300, seed=2))
    fork = parallel.fork_workers

    def then_saved_over(count: int, work: Any) -> parallel.Workers:
        workers = fork(count, work)
        assert workers.ready(0, 30)  # the worker's first chunk sent: it read the old file
        os.replace(new, old)
        return workers

    monkeypatch.setattr(parallel, "fork_workers", then_saved_over)
    together, split = run(RUBRIC, old, 2)
    monkeypatch.undo()
    assert together == run(RUBRIC, old, 1)[0] and split.forked == 0 and no_children()


def test_a_descriptor_above_1023_is_listened_to() -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2100:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs 2,100 open files (ulimit -n): {hard}")
        pytest.skip(f"this machine allows {hard} open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2100), hard))
    read, write = os.pipe()
    try:
        os.dup2(read, 2000)
        workers = parallel.Workers()
        workers._pipes.append(2000)
        workers.pids.append(0)
        assert not workers.ready(0, 0.001)
        os.write(write, b"x")
        assert workers.ready(0, 1)
    finally:
        for fd in (read, write, 2000):
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_number_of_jobs_is_capped(tmp_path: Path) -> None:
    table = read_rows(plain_data(tmp_path, 10 * CHUNK), id_column="单位")
    most = max(batch.cpus(), batch.MAX_JOBS)
    assert batch._processes(RUBRIC, table, "csv", 5000, CHUNK, 0) == most
    assert batch._processes(RUBRIC, table, "csv", 2, CHUNK, 0) == 2


SIGNAL_AT_FORK = """
import os, signal, sys
parent = os.getpid()
# each worker gets a Ctrl-C the moment it is forked, with signals still held
os.register_at_fork(after_in_child=lambda: os.kill(os.getpid(), signal.SIGINT))
from pingfen.cli import main
code = main(sys.argv[1:])
print(f"returned {code} in {'the parent' if os.getpid() == parent else 'a worker'}", flush=True)
"""


def test_a_signal_at_the_fork_never_reaches_the_callers_code(tmp_path: Path) -> None:
    data = data_2021(tmp_path, batch.LEAST + 300, seed=3)
    args = ["eval", str(RULESET), str(data), "--id-column", "单位", "--jobs"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", SIGNAL_AT_FORK, *args, "3", "-o", str(tmp_path / "3.csv")],
                          capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert done.stdout == "returned 1 in the parent\n" and done.returncode == 0, (done.stdout, done.stderr)
    assert "已中断" not in done.stderr
    one = cli(*args, "1", "-o", str(tmp_path / "1.csv"))
    assert (tmp_path / "3.csv").read_bytes() == (tmp_path / "1.csv").read_bytes() and one.returncode == 1

"""Issue 15, item 7: the cache never runs what it did not write. Planted pickles (under the
names this and earlier versions read), forged entries, a cache directory of another user or
open to all, a loose key file, and a FIFO at an entry's name: each is ignored, the work is
done again, and the output is what it should be."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import lark
import pytest

import pingfen
from pingfen import cache
from pingfen.syntax.grammar import grammar_text

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
RECORD = ROOT / "examples" / "dept-overall-2021" / "full-marks.json"
POSIX = hasattr(os, "geteuid")


class _Payload:
    """Unpickling this makes a directory: proof that the cache ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.marker),)


def _eval(cache_home: Path, rule: Path = RULESET, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(ROOT / "src")}
    args = [sys.executable, "-m", "pingfen.cli", "eval", "--format", "json", str(rule), str(RECORD)]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:24]


def _entry_names(rule: Path) -> list[str]:
    """Every name under which this version or an earlier one read a tree or the tables."""
    version = f"lark{lark.__version__}-py{sys.version_info[0]}{sys.version_info[1]}"
    tables = f"grammar-{_digest(grammar_text())[:20]}-{version}"
    trees = [f"parsed-{_digest(str(rule.resolve()), kind)}" for kind in ("", "scoring")]
    return [f"{tables}.lark-cache", f"{tables}.json"] + [f"{t}.{ext}" for t in trees for ext in ("pickle", "json")]


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> str:
    run = _eval(tmp_path_factory.mktemp("clean"))
    assert run.returncode == 0, run.stderr
    return run.stdout


def _plant(folder: Path, rule: Path, marker: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    evil = pickle.dumps(_Payload(marker))
    for name in _entry_names(rule):
        # Lark's old cache file starts with a hash line, then pickles; the tree entries were bare pickles.
        (folder / name).write_bytes(b"0" * 64 + b"\n" + evil if name.endswith(".lark-cache") else evil)


def test_a_planted_pickle_is_not_run(tmp_path: Path, expected: str) -> None:
    marker = tmp_path / "ran"
    _plant(tmp_path / "cache" / "pingfen", RULESET, marker)
    run = _eval(tmp_path / "cache")
    assert not marker.exists(), "the cache unpickled a planted file"
    assert run.returncode == 0 and run.stdout == expected, run.stderr
    again = _eval(tmp_path / "cache")  # what it wrote in their place is read back
    assert not marker.exists() and again.stdout == expected


def test_a_planted_pickle_with_the_users_key_is_still_not_unpickled(tmp_path: Path, expected: str) -> None:
    """Even an entry authenticated with the user's own key is JSON: a pickle is garbage to it."""
    assert _eval(tmp_path).returncode == 0
    folder, marker = tmp_path / "pingfen", tmp_path / "ran"
    for entry in [*folder.glob("parsed-*.json"), *folder.glob("grammar-*.json")]:
        cache.store(entry, pickle.dumps(_Payload(marker)))
    run = _eval(tmp_path)
    assert not marker.exists() and run.stdout == expected, run.stderr


def test_a_forged_entry_is_ignored(tmp_path: Path, expected: str) -> None:
    """An entry changed after it was written (a grade threshold raised) fails its HMAC."""
    assert _eval(tmp_path).returncode == 0
    entries = sorted((tmp_path / "pingfen").glob("parsed-*.json"))
    assert entries
    for entry in entries:
        data = entry.read_bytes()
        assert b"\x80\x04" not in data[:64]  # not a pickle
        forged = data.replace(b'"90"', b'"100"')
        assert forged != data
        entry.write_bytes(forged)
        assert cache.load(entry) is None
    run = _eval(tmp_path)
    assert run.returncode == 0 and run.stdout == expected


def test_entries_and_directory_are_private(tmp_path: Path) -> None:
    old = os.umask(0)  # the modes are pingfen's own, not the umask's
    try:
        assert _eval(tmp_path).returncode == 0
    finally:
        os.umask(old)
    folder = tmp_path / "pingfen"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert {f.name for f in files} >= {"key"} and len(files) >= 3
    for file in files:
        assert stat.S_IMODE(file.lstat().st_mode) == 0o600, file.name
        assert not file.name.endswith(".tmp")


@pytest.mark.skipif(not POSIX, reason="POSIX modes")
def test_a_directory_that_others_can_read_is_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "pingfen"
    folder.mkdir()
    folder.chmod(0o755)  # as earlier versions made it
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.directory() == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.skipif(not POSIX, reason="POSIX modes")
def test_a_world_writable_directory_is_not_used(tmp_path: Path, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "ran"
    folder = tmp_path / "cache" / "pingfen"
    _plant(folder, RULESET, marker)
    folder.chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert cache.directory() is None
    before = sorted(p.name for p in folder.iterdir())
    run = _eval(tmp_path / "cache")
    assert run.returncode == 0 and run.stdout == expected and not marker.exists()
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written there either


@pytest.mark.skipif(not POSIX or os.geteuid() != 0, reason="needs root to give the directory away")
def test_a_directory_of_another_user_is_not_used(tmp_path: Path, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "ran"
    folder = tmp_path / "cache" / "pingfen"
    _plant(folder, RULESET, marker)
    for path in [folder, *folder.iterdir()]:
        os.chown(path, 65534, 65534)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert cache.directory() is None
    run = _eval(tmp_path / "cache")
    assert run.returncode == 0 and run.stdout == expected and not marker.exists()
    assert not (folder / "key").exists()


@pytest.mark.skipif(not POSIX, reason="POSIX modes")
def test_a_key_others_can_read_is_not_used(tmp_path: Path, expected: str) -> None:
    assert _eval(tmp_path).returncode == 0
    folder = tmp_path / "pingfen"
    entry = next(folder.glob("parsed-*.json"))
    assert cache.load(entry) is not None
    (folder / "key").chmod(0o644)
    assert cache.load(entry) is None
    assert _eval(tmp_path).stdout == expected


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_at_an_entrys_name_does_not_hang(tmp_path: Path, expected: str) -> None:
    folder = tmp_path / "pingfen"
    folder.mkdir(mode=0o700)
    for name in [*_entry_names(RULESET), "key"]:
        os.mkfifo(folder / name, 0o600)
    run = _eval(tmp_path, timeout=60)  # before the fix: blocked in open() for ever
    assert run.returncode == 0 and run.stdout == expected, run.stderr


def test_a_link_at_an_entrys_name_is_not_followed(tmp_path: Path) -> None:
    assert _eval(tmp_path).returncode == 0
    folder = tmp_path / "pingfen"
    entry = next(folder.glob("parsed-*.json"))
    real = tmp_path / "elsewhere.json"
    shutil.move(entry, real)
    entry.symlink_to(real)
    assert cache.load(real.parent / entry.name) is None


def test_the_format_round_trips_the_tree_and_nothing_else(tmp_path: Path) -> None:
    from pingfen.syntax.parser import parse

    module, diagnostics = parse(RULESET.read_text(encoding="utf-8-sig"))
    assert cache.decode(cache.encode({"module": module, "d": diagnostics})) == {"module": module, "d": diagnostics}
    assert cache.decode(cache.encode({1: (2, "3"), "\0t": []})) == {1: (2, "3"), "\0t": []}
    with pytest.raises(TypeError):
        cache.encode(_Payload(tmp_path))
    with pytest.raises(KeyError):
        cache.decode(b'{"\\u0000c": ["_Payload", "x"]}')


def test_entries_older_versions_left_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pickles from before the signed format are never read; the first signed run removes them,
    and leaves alone anything that is not a regular file of the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "pingfen"
    folder.mkdir(mode=0o700)
    old = [folder / "parsed-0123456789abcdef01234567.pickle", folder / "grammar-abc-lark1.3.1-py311.lark-cache"]
    for entry in old:
        entry.write_bytes(b"\x80\x04old pickle")
    elsewhere = tmp_path / "keep.pickle"
    elsewhere.write_bytes(b"not ours to remove")
    (folder / "parsed-linked.pickle").symlink_to(elsewhere)
    pingfen.load(RULESET, tests=False)
    assert not any(entry.exists() for entry in old)
    assert elsewhere.read_bytes() == b"not ours to remove"
    assert (folder / "key").exists()

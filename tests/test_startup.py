"""`pingfen eval` of a cached rubric imports what scoring a CSV file to CSV needs and no more:
start-up is a third of a 10,000-row batch (benchmarks/README.md, issue 11). Each module
named here is imported only by another command, another kind of file, or a diagnostic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"

# What each is for, and so why `eval` of a CSV file to a CSV file never needs it.
UNNEEDED = (
    "lark",  # the parser: a cache hit keeps the syntax tree
    "pingfen.syntax.parser",
    "pingfen.evaluate.walker",  # audits and coverage walk the tree; scoring runs the generated code
    "difflib",  # "did you mean" of a misspelt name
    "zipfile",  # workbooks (XLSX in or out)
    "pingfen.io.sheet",
    "openpyxl",
    "yaml",  # YAML records
    "calendar",  # `months` of a date
    "secrets",  # making a cache key or entry, not reading one
    "pingfen.report",  # reports
)

PROBE = (
    "import sys, pingfen.cli\n"
    "try:\n"
    "    pingfen.cli.main(sys.argv[1:])\n"
    "finally:\n"
    "    print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
)


def _imported(tmp_path: Path, *args: str) -> set[str]:
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return set(run.stderr.split())


def _csv(path: Path) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import records2021

        records2021.write_csv(path, 20)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return path


def _loaded(imported: set[str], name: str) -> bool:
    return name in imported or any(m.startswith(name + ".") for m in imported)


def test_eval_of_a_csv_file_to_csv_imports_none_of_the_rest(tmp_path: Path) -> None:
    data = _csv(tmp_path / "data.csv")
    args = ("eval", str(RULESET), str(data), "-o", str(tmp_path / "out.csv"))
    _imported(tmp_path, *args)  # the first run parses and fills the cache
    imported = _imported(tmp_path, *args)
    assert "pingfen.batch" in imported and "pingfen.evaluate.codegen" in imported  # the probe sees the run
    assert [name for name in UNNEEDED if _loaded(imported, name)] == []
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").count("\n") == 21


def test_the_modules_left_out_are_there_when_needed(tmp_path: Path) -> None:
    """The probe would see them: a workbook out imports zipfile and the sheet writer."""
    data = _csv(tmp_path / "data.csv")
    args = ("eval", str(RULESET), str(data), "-o", str(tmp_path / "out.xlsx"))
    imported = _imported(tmp_path, *args)
    assert {"zipfile", "pingfen.io.sheet", "lark"} <= imported  # lark: the first run parses

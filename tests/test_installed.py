"""The package as installed by `pip install .`: grammar inside the wheel, console script
working from any directory. CI installs non-editably, so these run there."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import pingfen
from pingfen.syntax.parser import grammar_text

ROOT = Path(__file__).resolve().parents[1]
INSTALLED = not Path(pingfen.__file__).resolve().is_relative_to(ROOT / "src")
needs_install = pytest.mark.skipif(not INSTALLED, reason="pingfen imported from the source tree, not installed")


@needs_install
def test_grammar_ships_inside_the_package() -> None:
    packaged = Path(pingfen.__file__).parent / "syntax" / "pingfen.lark"
    assert packaged.is_file()
    assert grammar_text() == (ROOT / "grammar" / "pingfen.lark").read_text(encoding="utf-8")


@needs_install
def test_console_script_from_another_directory(tmp_path: Path) -> None:
    exe = shutil.which("pingfen")
    assert exe is not None, "`pingfen` is not on PATH"
    ruleset = ROOT / "rulesets" / "dept-overall-2021.rule"
    seed = ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml"
    run = subprocess.run(
        [exe, "eval", "--lang", "zh", str(ruleset), str(seed)], cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "评价等次 良好" in run.stdout


def test_grammar_in_checkout_matches_what_is_loaded() -> None:
    assert grammar_text() == (ROOT / "grammar" / "pingfen.lark").read_text(encoding="utf-8")

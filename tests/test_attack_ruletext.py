"""Issue 15, items 13 and 17: rule text that is not UTF-8, or holds control characters,
is answered with a diagnostic by every command, never an internal error or a traceback."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
EXAMPLES = ROOT / "examples" / "dept-overall-2021"
RECORD = EXAMPLES / "full-marks.json"

# ---------------------------------------------------------------- 17: not UTF-8


def _gbk(tmp_path: Path) -> Path:
    path = tmp_path / "gbk.rule"
    path.write_bytes(RULESET.read_text(encoding="utf-8").encode("gbk"))
    return path


COMMANDS = {
    "check": ["check", "{rule}"],
    "check --format json": ["check", "--format", "json", "{rule}"],
    "eval": ["eval", "{rule}", str(RECORD)],
    "eval --allow-unsound": ["eval", "--allow-unsound", "{rule}", str(RECORD)],
    "test": ["test", "{rule}"],
    "fuzz": ["fuzz", "--max-examples", "1", "{rule}"],
    "fmt": ["fmt", "{rule}"],
    "fmt --check": ["fmt", "--check", "{rule}"],
    "template": ["template", "{rule}"],
    "report": ["report", "{rule}", str(EXAMPLES / "departments.csv")],
    "audit": ["audit", "{rule}", str(ROOT / "examples" / "seed-2021-self-evaluation.yaml")],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_answers_a_gbk_rule_file_with_pf006(tmp_path: Path, command: str) -> None:
    rule = _gbk(tmp_path)
    before = rule.read_bytes()
    out, err = io.StringIO(), io.StringIO()
    code = main([a.format(rule=rule) for a in COMMANDS[command]], out, err)
    said = out.getvalue() + err.getvalue()
    assert code == 2, said
    assert "PF006" in said and "internal error" not in said and "Traceback" not in said, said
    assert "cannot read" not in said and "codec" not in said, said
    assert rule.read_bytes() == before  # fmt left it alone
    if command == "check --format json":
        assert "PF006" in json.dumps(json.loads(out.getvalue()))
    else:  # file:line:col, the line with a caret, the hint
        assert f"{rule}:1:3" in said and "^" in said and "UTF-8" in said, said


def test_fmt_of_gbk_standard_input_is_pf006(monkeypatch: pytest.MonkeyPatch) -> None:
    data = RULESET.read_text(encoding="utf-8").encode("gbk")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    out, err = io.StringIO(), io.StringIO()
    assert main(["fmt", "-"], out, err) == 2
    assert "PF006" in err.getvalue() and "<stdin>:1:3" in err.getvalue() and out.getvalue() == ""


def test_pf006_points_at_the_bad_byte_and_shows_no_raw_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bad.rule"
    path.write_bytes(b'\xef\xbb\xbfrubric "x" { total 1 }\n# ok\n  \x1b[31m \xff' + b"\x00" * 36_000)
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.load(path)
    (d,) = info.value.diagnostics
    assert d.code == "PF006" and d.args["byte"] == 39 and (d.span.line, d.span.column) == (3, 9)
    shown = info.value.render("en")
    assert f"{path}:3:9" in shown and "\x1b" not in shown and "\x00" not in shown
    assert len(shown) < 500, shown  # a bounded excerpt, not the file's bytes
    assert shown.splitlines()[-2].index("^") == shown.splitlines()[-3].index("\ufffd")


# ---------------------------------------------------------------- 13: control characters

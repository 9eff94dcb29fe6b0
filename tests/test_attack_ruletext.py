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

SMALL = """rubric "小表" { total 5 grade 好 >= 4 grade 差 otherwise }
input 在职人数: count "在职"
input 编制人数: count > 0
input `制度 状况`: label { 健全, 不健全 }
let 控制率 = 在职人数 / 编制人数
# a comment
group 投入 5 { indicator 控制 5 { deduct 0.5 per 1pp of 控制率 above 100% reason "超编" } }
example "满编" { given { 在职人数: 10, 编制人数: 10, `制度 状况`: 健全 } expect total = 5 }
"""
PLACES = {  # where a control character was let through: the text it follows there
    "rubric name": '"小表',
    "input description": '"在职',
    "quoted name": "`制度",
    "reason": '"超编',
    "example name": '"满编',
    "comment": "# a",
}
CONTROLS = ["\x00", "\x01", "\x0b", "\x1b", "\x7f", "\x85", "\x9b", "\u202e", "\u2066"]


def _escaped(char: str) -> str:
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("char", CONTROLS, ids=_escaped)
def test_a_control_character_is_refused_where_it_stands(place: str, char: str) -> None:
    after = PLACES[place]
    assert after in SMALL
    text = SMALL.replace(after, after + char, 1)
    found = pingfen.diagnose(text, "r.rule")
    assert [d.code for d in found] == ["PF001"]
    (d,) = found
    assert text[d.span.start] == char and d.args["escaped"] == _escaped(char)
    shown = d.with_source(pingfen.diagnostics.Source("r.rule", text)).render("en")
    assert _escaped(char) in shown and char not in shown  # the hint escapes it, the snippet shows a picture
    assert "^" in shown and "r.rule:" in shown
    assert "\\x" in d.render("zh") or "\\u" in d.render("zh")


def test_the_small_rubric_is_sound_without_them() -> None:
    assert pingfen.loads(SMALL).evaluate({"在职人数": 10, "编制人数": 10, "制度 状况": "健全"}).total == 5
    spaced = SMALL.replace('"在职"', '"在\t职"').replace("# a comment", "# a\tcomment\f").replace("\n", "\r\n")
    assert pingfen.loads(spaced).evaluate({"在职人数": 10, "编制人数": 10, "制度 状况": "健全"}).total == 5


@pytest.mark.parametrize("command", ["check", "eval", "test", "fuzz", "fmt --check", "template"])
def test_a_nul_in_the_rubric_name_is_refused_by_every_command(tmp_path: Path, command: str) -> None:
    """Before: `check` said ok, then eval, test and fuzz failed with `embedded null character`."""
    rule = tmp_path / "nul.rule"
    rule.write_text(SMALL.replace('"小表', '"小\x00表'), encoding="utf-8")
    record = tmp_path / "r.json"
    record.write_text('{"在职人数": 10, "编制人数": 10, "制度 状况": "健全"}', encoding="utf-8")
    args = {
        "check": ["check", str(rule)],
        "eval": ["eval", str(rule), str(record)],
        "test": ["test", str(rule)],
        "fuzz": ["fuzz", "--max-examples", "1", str(rule)],
        "fmt --check": ["fmt", "--check", str(rule)],
        "template": ["template", str(rule)],
    }[command]
    out, err = io.StringIO(), io.StringIO()
    code = main(args, out, err)
    said = out.getvalue() + err.getvalue()
    assert code in (1, 2) and "PF001" in said and "\\x00" in said, said
    assert "\x00" not in said and "internal error" not in said and "Traceback" not in said, said


def test_a_binary_file_gives_a_bounded_list(tmp_path: Path) -> None:
    found = pingfen.diagnose('rubric "x" { total 1 }\n' + "\x01" * 100_000)
    assert 0 < len(found) <= 20 and {d.code for d in found} == {"PF001"}

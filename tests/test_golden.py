"""Golden tests: rule files with their expectations written inside them as comments.

tests/golden/forms/*.rule — a rubric, then cases:
    # given: {"在职人数": 13, "编制人数": 12}      (a JSON record; starts a case)
    # expect: 财政供养人员控制率 = 4.16...         (a node's exact score)
    # expect: total = 95.83                         (the rounded total)
    # expect: grade = 优秀
    # expect: reason 财政供养人员控制率 = <text>    (one of the node's reasons, zh)
    # expect: clamped 支付进度 = low
    # expect: error PF503 on 编制人数               (the record is refused)
    # warns: PF407                                  (a warning the file is expected to give)

tests/golden/diagnostics/*.rule — a bad rule file, with
    # expect: error[PF102] at 9:27                  (every finding, code and position)
and beside it <name>.out, the rendered diagnostics (English), compared exactly.
Regenerate the .out files with PINGFEN_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen.messages import MESSAGES

GOLDEN = Path(__file__).parent / "golden"
FORMS = sorted((GOLDEN / "forms").glob("*.rule"))
DIAGNOSTICS = sorted((GOLDEN / "diagnostics").glob("*.rule"))
_EXPECT = re.compile(r"^#\s*expect:\s*(.+?)\s*$")
_GIVEN = re.compile(r"^#\s*given:\s*(.+?)\s*$")


def _cases(text: str) -> list[tuple[dict, list[str]]]:
    cases: list[tuple[dict, list[str]]] = []
    for line in text.splitlines():
        if m := _GIVEN.match(line):
            cases.append((json.loads(m.group(1), parse_float=Decimal, parse_int=Decimal), []))
        elif (m := _EXPECT.match(line)) and cases:
            cases[-1][1].append(m.group(1))
    return cases


def _check_expectation(result: pingfen.Result, expect: str) -> None:
    if m := re.fullmatch(r"reason (.+?) = (.+)", expect):
        assert m.group(2) in result[m.group(1)].reasons, result[m.group(1)].reasons
    elif m := re.fullmatch(r"n/a (.+)", expect):  # 不适用: the row does not apply
        assert not result[m.group(1)].applies and not result.applies(m.group(1))
    elif m := re.fullmatch(r"no reasons (.+)", expect):
        assert result[m.group(1)].reasons == []
    elif m := re.fullmatch(r"clamped (.+?) = (\w+)", expect):
        assert result[m.group(1)].clamped == m.group(2)
    elif m := re.fullmatch(r"grade = (.+)", expect):
        assert result.grade == m.group(1)
    elif m := re.fullmatch(r"total = (.+)", expect):
        assert result.total == Decimal(m.group(1)) and str(result.total) == m.group(1)
    elif m := re.fullmatch(r"(.+?) = (-?[\d.]+)", expect):
        assert result[m.group(1)].score == Decimal(m.group(2)), (m.group(1), result[m.group(1)].score)
    else:  # pragma: no cover - a typo in a golden file
        pytest.fail(f"cannot read expectation {expect!r}")


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.stem)
def test_language_form(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rubric = pingfen.loads(text, str(path))
    declared = sorted(m.group(1) for line in text.splitlines() if (m := re.match(r"#\s*warns:\s*(PF\d+)", line)))
    assert sorted(w.code for w in rubric.warnings) == declared, [w.render() for w in rubric.warnings]
    cases = _cases(text)
    assert cases, "a golden form needs at least one `# given:` case"
    for record, expects in cases:
        assert expects, f"case {record} has no expectations"
        refusal = [e for e in expects if e.startswith("error ")]
        if refusal:
            code, _, name = refusal[0].removeprefix("error ").partition(" on ")
            with pytest.raises(pingfen.DataError) as info:
                rubric.evaluate(record)
            assert (info.value.code, info.value.input or "") == (code, name.strip()), info.value
            continue
        result = rubric.evaluate(record)
        for expect in expects:
            _check_expectation(result, expect)


def _render(path: Path, text: str) -> str:
    rel = path.relative_to(GOLDEN.parent.parent).as_posix()
    return "\n\n".join(d.render("en") for d in pingfen.diagnose(text, rel)) + "\n"


@pytest.mark.parametrize("path", DIAGNOSTICS, ids=lambda p: p.stem)
def test_diagnostic(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    # A file's `extends` path is relative to its folder: each name is read from where it is valid.
    monkeypatch.chdir(path.parent)
    found = [f"{d.severity}[{d.code}] at {d.span.line}:{d.span.column}" for d in pingfen.diagnose(text, path.name)]
    expected = [m.group(1) for line in text.splitlines() if (m := _EXPECT.match(line))]
    assert found == expected
    snapshot = path.with_suffix(".out")
    monkeypatch.chdir(GOLDEN.parent.parent)
    rendered = _render(path, text)
    if os.environ.get("PINGFEN_UPDATE_GOLDEN"):
        snapshot.write_text(rendered, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot {snapshot.name}: run with PINGFEN_UPDATE_GOLDEN=1"
    assert rendered == snapshot.read_text(encoding="utf-8")


def test_every_code_has_a_golden_test() -> None:
    """Each diagnostic code has a golden file; each data code is refused in some form case."""
    covered = {path.stem.split("-")[0] for path in DIAGNOSTICS}
    refused = {
        m.group(1)
        for path in FORMS
        for m in re.finditer(r"#\s*expect:\s*error (PF\d+)", path.read_text(encoding="utf-8"))
    }
    # PF504 guards a division the checker has proved safe (PF410), so no checked rubric can
    # reach it. Codes from PF508 on are about data files (unreadable, no id column, a bad JSON
    # line, a filled-in self-evaluation that names no rubric node…), not about a record's values:
    # each of those must be raised and asserted by code in some other test file.
    # PF7xx (an output not written: an input, a directory, a full disk) likewise, in test_attack_output.py;
    # PF8xx (the rubric as SQL, in test_sql.py; a request the workbench refuses, in test_serve_http.py) too.
    # PF010 (a rule file that cannot be opened) has no text to diagnose either: test_os_reasons asserts it.
    file_codes = {c for c in MESSAGES if c.startswith("PF5") and int(c[2:]) >= 508 or c.startswith(("PF7", "PF8"))}
    file_codes.add("PF010")
    data_codes = {c for c in MESSAGES if c.startswith("PF5")} - {"PF504"} - file_codes
    # PF006 (a rule file that is not UTF-8) is about bytes, not text: test_api loads a GBK file.
    assert {c for c in MESSAGES if not c.startswith("PF5")} - covered - {"PF006"} - file_codes == set()
    assert covered - set(MESSAGES) == set(), "a golden file is named after a code that does not exist"
    assert data_codes - refused == set()
    tests = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py") if p != Path(__file__))
    assert {c for c in file_codes if f'"{c}"' not in tests and f"[{c}]" not in tests} == set()

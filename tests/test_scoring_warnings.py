"""Every command that scores with a rubric says the rubric's warnings on standard error, once,
before scoring, as `pingfen check` shows them: grades written out of order (PF412) graded
every 90+ as 良好 with no word to whoever skipped `check`. Standard output and the exit code
stay as they were; notes stay silent; a rubric with no warnings adds nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen import cache
from pingfen.cli import main
from pingfen.lang import Lang
from pingfen.report import render_table

ROOT = Path(__file__).resolve().parents[1]
CLEAN = str(ROOT / "rulesets" / "dept-overall-2021.rule")
SEED = str(ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml")

# 良好 before 优秀: no total is ever 优秀 (PF412, a warning); the TODO comment is a note (PF119)
OUT_OF_ORDER = """\
rubric "示例" {
  total 100
  grade 良好 >= 80
  grade 优秀 >= 90
  grade 差   otherwise
}

input 评价分: score  # TODO: 核对口径
indicator 评价分 100 { judgment }
"""

SAID = {
    "zh": ["警告[PF412]: 评价等次 `优秀` 永远不会出现", ":4:3", "4 |   grade 优秀 >= 90", "^^^^", "= 帮助: 总分 90 先被评为 `良好`"],
    "en": ["warning[PF412]: grade `优秀` is never given", ":4:3", "4 |   grade 优秀 >= 90", "^^^^", "= help: a total of 90 goes to `良好`"],
}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "示例.rule").write_text(OUT_OF_ORDER, encoding="utf-8")
    (tmp_path / "单位.yaml").write_text("评价分: 95\n", encoding="utf-8")
    (tmp_path / "各单位.csv").write_text("id,评价分\nA,95\nB,70\n", encoding="utf-8")
    return {name.split(".")[0]: str(tmp_path / name) for name in ("示例.rule", "单位.yaml", "各单位.csv")}


def said_once(err: str, lang: str) -> None:
    for part in SAID[lang]:
        assert part in err
    assert err.count("[PF412]") == 1
    assert "PF119" not in err  # a note: silent


def test_the_rubric_has_a_warning_and_a_note(files: dict[str, str]) -> None:
    codes = {(d.code, d.severity) for d in pingfen.load(files["示例"], tests=False).warnings}
    assert codes == {("PF412", "warning"), ("PF119", "note")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_eval_of_a_record_warns_and_prints_the_same_table(files: dict[str, str], lang: Lang) -> None:
    code, out, err = run("eval", "--lang", lang, files["示例"], files["单位"])
    assert code == 0
    said_once(err, lang)
    result = pingfen.load(files["示例"], tests=False).evaluate({"评价分": 95}, lang=lang)
    assert out == render_table(result, lang) + "\n"  # stdout unchanged: the table alone
    assert err.startswith(SAID[lang][0])  # before anything else


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_eval_of_a_batch_warns_once_before_scoring(files: dict[str, str], lang: str, tmp_path: Path) -> None:
    scored = tmp_path / "得分.csv"
    code, out, err = run("eval", "--lang", lang, files["示例"], files["各单位"], "-o", str(scored))
    assert (code, out) == (0, "")
    said_once(err, lang)
    assert "良好" in scored.read_text(encoding="utf-8")


def test_eval_allow_unsound_warns_too(files: dict[str, str]) -> None:
    code, out, err = run("eval", "--allow-unsound", files["示例"], files["单位"])
    assert code == 0 and "良好" in out
    said_once(err, "zh")


@needs_duckdb
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_eval_with_duckdb_warns(files: dict[str, str], lang: str, tmp_path: Path) -> None:
    scored = tmp_path / "得分.csv"
    code, out, err = run("eval", "--engine", "duckdb", "--lang", lang, files["示例"], files["各单位"], "-o", str(scored))
    assert (code, out) == (0, "")
    said_once(err, lang)
    assert err.startswith(SAID[lang][0])  # before the count of rows scored


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_warns(files: dict[str, str], lang: str) -> None:
    code, out, err = run("report", "--lang", lang, "--date", "2026-12-01", files["示例"], files["单位"])
    assert code == 0
    said_once(err, lang)
    assert "PF412" not in out and "良好" in out


def test_report_to_a_folder_warns(files: dict[str, str], tmp_path: Path) -> None:
    code, _, err = run("report", "--format", "md", files["示例"], files["各单位"], "-o", str(tmp_path / "报告") + "/")
    assert code == 0
    said_once(err, "zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_replay_warns_for_each_version(files: dict[str, str], lang: str, tmp_path: Path) -> None:
    new = tmp_path / "新.rule"
    new.write_text(OUT_OF_ORDER.replace("良好 >= 80", "良好 >= 85"), encoding="utf-8")
    code, out, err = run("diff", "--lang", lang, "--replay", files["各单位"], files["示例"], str(new))
    assert code == 0  # no unit changes grade
    assert err.count("[PF412]") == 2 and "示例.rule:4:3" in err and "新.rule:4:3" in err
    assert "PF412" not in out


def test_diff_without_replay_scores_nothing_and_says_nothing(files: dict[str, str]) -> None:
    assert run("diff", files["示例"], files["示例"])[2] == ""


def test_audit_warns(files: dict[str, str], tmp_path: Path) -> None:
    filled = tmp_path / "自评.yaml"
    filled.write_text("id: A\ndeclared:\n  评价分: 95\n  total: 95\n  grade: 优秀\ninputs:\n  评价分: 95\n", encoding="utf-8")
    code, out, err = run("audit", files["示例"], str(filled))
    assert code == 1  # the grade differs, as before
    said_once(err, "zh")
    assert "PF412" not in out


def test_a_cached_rubric_still_warns(files: dict[str, str]) -> None:
    first = run("eval", files["示例"], files["单位"])
    folder = cache.directory()
    assert folder is not None and any(folder.glob("parsed-*.json"))  # the tree was kept
    assert run("eval", files["示例"], files["单位"]) == first
    said_once(first[2], "zh")


def test_a_rubric_without_warnings_adds_nothing() -> None:
    code, out, err = run("eval", CLEAN, SEED)
    assert (code, err) == (0, "")
    assert out.startswith("部门整体支出绩效评价评分表")

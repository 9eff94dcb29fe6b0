"""The `pingfen` command, run in-process through `main(argv)`."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from pingfen.cli import main

ROOT = Path(__file__).resolve().parents[1]
RULESET = str(ROOT / "rulesets" / "dept-overall-2021.rule")
SEED = str(ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml")
FULL = str(ROOT / "examples" / "dept-overall-2021" / "full-marks.json")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_check_clean_ruleset() -> None:
    code, out, _ = run("check", "--lang", "en", RULESET)
    assert code == 0
    assert "ok (0 errors, 0 warnings, 0 notes)" in out


def test_check_reports_every_error_with_location_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rule"
    bad.write_text(
        'rubric "x" { total 10 }\ninput 在职人数: count\ninput 编制人数: count > 0\n'
        "group 投入 10 {\n  indicator 甲 5 { deduct 0.5 per 1pp of 在职人次 / 编制人数 above 100% }\n}\n",
        encoding="utf-8",
    )
    code, out, _ = run("check", "--lang", "en", str(bad))
    assert code == 1
    assert f"{bad}:5:41" in out  # the misspelt name, line and column
    assert "did you mean `在职人数`?" in out
    assert "error[PF302]" in out  # and the other error, in the same run
    assert "failed (2 errors, 1 warning, 0 notes)" in out


def test_check_in_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rule"
    bad.write_text('rubric "x" { total 5 }\ngroup 甲 {\n}\n', encoding="utf-8")
    code, out, _ = run("check", "--lang", "zh", str(bad))
    assert code == 1
    assert "错误[PF002]" in out and "帮助: 在名称后写出分值" in out


def test_check_unreadable_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("check", "--lang", "en", str(tmp_path / "missing.rule"))
    assert code == 2
    assert "cannot read" in err


def test_eval_table_in_rubric_layout() -> None:
    code, out, _ = run("eval", "--lang", "zh", RULESET, SEED)
    assert code == 0
    assert "一级指标" in out and "三级指标" in out and "扣分原因" in out
    assert "扣完为止" in out
    assert out.rstrip().endswith("总分 100  得分 87.00  评价等次 良好")


def test_eval_json_has_exact_numbers() -> None:
    code, out, _ = run("eval", "--format", "json", RULESET, SEED)
    assert code == 0
    data = json.loads(out, parse_float=Decimal)
    assert data["rubric"] == "部门整体支出绩效评价评分表"
    assert (data["max"], data["total"], data["grade"]) == (100, Decimal("87.00"), "良好")
    assert '"total": 87.00' in out  # written from the decimal, not through float
    first = data["children"][0]
    assert set(first) == {"name", "max", "score", "children"}
    leaf = first["children"][0]["children"][0]
    assert leaf["name"] == "财政供养人员控制率" and leaf["score"] == 0 and leaf["reasons"]


def test_eval_bad_data_names_the_input_and_exits_2(tmp_path: Path) -> None:
    data = json.loads(Path(FULL).read_text(encoding="utf-8"))
    data["编制人数"] = 0
    del data["满意度"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run("eval", "--lang", "en", RULESET, str(path))
    assert code == 2 and out == ""
    assert "input `编制人数`: 0 is outside its domain (> 0)" in err
    assert "missing input `满意度`" in err
    assert "Traceback" not in err


def test_eval_unreadable_data(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    code, _, err = run("eval", RULESET, str(path))
    assert code == 2 and "PF508" in err


def test_eval_bad_ruleset_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rule"
    bad.write_text('rubric "x" { total 5 }\ngroup 甲 5 { indicator 乙 5 { judgment 不存在 } }\n', encoding="utf-8")
    code, _, err = run("eval", "--lang", "en", str(bad), FULL)
    assert code == 2 and "PF102" in err


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["check", "--help"], ["eval", "--help"], ["template", "--help"], ["report", "--help"], ["audit", "--help"]],
)
def test_help_on_every_command(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*argv, "--lang", "en"]) == 0
    assert "usage: pingfen" in capsys.readouterr().out


def test_usage_error_exits_2() -> None:
    assert run("eval", RULESET)[0] == 2
    assert run()[0] == 2


def test_lang_defaults_from_locale(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rule"
    bad.write_text('rubric "x" { total 5 }\n', encoding="utf-8")
    for var in ("PINGFEN_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "通过" in run("check", str(bad))[1]
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert "ok (0 errors" in run("check", str(bad))[1]


def test_eval_help_shows_percent_signs_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--help"]) == 0
    text = capsys.readouterr().out
    assert '"95%"' in text and "%%" not in text


@pytest.mark.parametrize("command", ["eval", "template", "report", "audit"])
def test_every_command_takes_lang(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    assert "--lang {zh,en}" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "module", "extra"), [
    (("eval", "--engine", "duckdb", "{rule}", "{data}", "-o", "{out}"), "duckdb", "duckdb"),
    (("serve", "--no-browser", "{folder}"), "uvicorn", "serve"),
    (("serve", "--no-browser", "{folder}"), "starlette", "serve"),
])  # fmt: skip
def test_a_command_whose_extra_is_missing_says_which_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...], module: str, extra: str
) -> None:
    """After a plain `pip install .`, these were internal errors (ModuleNotFoundError)."""
    import importlib.util

    found = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == module else found(name, *a))
    data = tmp_path / "d.csv"
    data.write_text("id,在职人数\nA,1\n", encoding="utf-8")
    names = {"{rule}": str(RULESET), "{data}": str(data), "{out}": str(tmp_path / "o.csv"), "{folder}": str(tmp_path)}
    code, _, err = run(*(names.get(a, a) for a in argv))
    assert code == 2 and f"pip install 'pingfen[{extra}]'" in err and module in err and "internal" not in err, err

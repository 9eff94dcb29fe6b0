"""Issue 14, items 3, 13 and 6: 中文 by default (help, argparse's words, usage errors, batch
headers, templates, fuzz, str(DataError)); `pingfen --help` imports nothing but argparse and
its texts; `eval --allow-unsound` scores batch files and honours -o."""

from __future__ import annotations

import argparse
import csv
import gettext
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import pingfen
from pingfen import clitext, fuzz
from pingfen.cli import _parser, main
from pingfen.lang import default_lang

ROOT = Path(__file__).resolve().parents[1]
RULESET = str(ROOT / "rulesets" / "dept-overall-2021.rule")
RECORD = str(ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml")
DEPARTMENTS = str(ROOT / "examples" / "dept-overall-2021" / "departments.csv")
UNSOUND = str(ROOT / "tests" / "golden" / "faults" / "band-end-off-by-one.rule")  # PF401: 94% ≤ 满意度 < 95%
LOCALE = ("PINGFEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def no_locale(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No language asked for anywhere, as on Windows: the default must be 中文."""
    for var in LOCALE:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- the default language


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "zh"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({"LANG": "POSIX"}, "zh"),
        ({"LC_ALL": "C"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"PINGFEN_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"PINGFEN_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
    ],
)
def test_default_is_chinese_unless_english_is_asked(
    no_locale: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for var, value in env.items():
        no_locale.setenv(var, value)
    assert default_lang() == expected


# ---------------------------------------------------------------- help and usage errors

COMMANDS = ["check", "eval", "template", "report", "audit", "fmt", "test", "fuzz"]


@pytest.mark.parametrize("argv", [["--help"], *[[c, "--help"] for c in COMMANDS]])
def test_help_is_chinese_by_default(
    no_locale: pytest.MonkeyPatch, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：pingfen") and "选项" in out and "显示本帮助并退出" in out
    assert "usage:" not in out and "show this help" not in out and "options:" not in out


@pytest.mark.parametrize("argv", [["--help", "--lang", "en"], ["--lang=en", "eval", "--help"], ["eval", "--help"]])
def test_help_in_english_when_asked(
    no_locale: pytest.MonkeyPatch, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    if "--lang" not in " ".join(argv):
        no_locale.setenv("PINGFEN_LANG", "en")
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: pingfen") and "show this help message and exit" in out
    assert "用法" not in out and "显示本帮助" not in out


def help_texts(parser: argparse.ArgumentParser) -> list[str]:
    """Every help and description text of a parser and its subcommands."""
    texts = [parser.description or ""]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            texts += [a.help or "" for a in action._choices_actions]
            for sub in action.choices.values():
                texts += help_texts(sub)
        elif not isinstance(action, argparse._HelpAction):  # argparse's own, translated by `speaking`
            texts.append(action.help or "")
    return [t for t in texts if t]


def test_every_help_text_has_its_chinese() -> None:
    english = help_texts(_parser("en"))
    assert len(english) > 40  # the walk finds them
    missing = [t for t in english if t not in clitext.HELP_ZH and t != clitext.description("en")]
    assert missing == []
    chinese = help_texts(_parser("zh"))
    assert [t for t in chinese if t in clitext.HELP_ZH] == []
    with clitext.speaking("zh"):  # every text survives argparse's %-formatting (a lone % raises)
        top = _parser("zh")
        for parser in [top, *(p for a in top._actions if isinstance(a, argparse._SubParsersAction) for p in a.choices.values())]:
            assert parser.format_help()


def test_usage_errors_in_chinese(no_locale: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval"]) == 2
    err = capsys.readouterr().err
    assert "用法：pingfen eval" in err and "pingfen eval：错误：缺少必需的参数：RULESET, DATA" in err
    assert main(["eval", "--format", "xyz", RULESET, RECORD]) == 2
    assert "参数 --format：无效的取值：'xyz'（可选：" in capsys.readouterr().err
    assert main(["nope"]) == 2
    assert "无效的取值：'nope'" in capsys.readouterr().err
    # argparse's own words are put back: a program of the user's own still speaks English
    assert vars(argparse)["_"] is gettext.gettext
    assert "usage:" in argparse.ArgumentParser(prog="x").format_usage()


def test_pingfen_usage_errors_in_both_languages(no_locale: pytest.MonkeyPatch) -> None:
    code, _, err = run("eval", "--format", "xlsx", RULESET, RECORD)
    assert code == 2 and "xlsx 格式须写入文件：请加 -o 文件名.xlsx" in err
    code, _, err = run("eval", "--format", "xlsx", "--lang", "en", RULESET, RECORD)
    assert code == 2 and "xlsx output needs a file name" in err
    code, _, err = run("check", "nowhere.rule")
    assert code == 2 and "错误[PF010]: 无法读取规则文件 `nowhere.rule`" in err


# ---------------------------------------------------------------- what a run writes


def csv_header(path: Path) -> list[str]:
    return next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_batch_headers_chinese_by_default_english_when_asked(no_locale: pytest.MonkeyPatch, tmp_path: Path) -> None:
    zh, en, lines = tmp_path / "zh.csv", tmp_path / "en.csv", tmp_path / "rows.jsonl"
    assert run("eval", RULESET, DEPARTMENTS, "-o", str(zh))[0] == 1  # its third row is filled in wrong
    header = csv_header(zh)
    assert header[0] == "编号" and header[-3:] == ["总分", "评价等次", "错误"]
    assert run("eval", "--lang", "en", RULESET, DEPARTMENTS, "-o", str(en))[0] == 1
    header = csv_header(en)
    assert header[0] == "id" and header[-3:] == ["total", "grade", "error"]
    assert run("eval", RULESET, DEPARTMENTS, "-o", str(lines))[0] == 1  # keys for programs: English
    first = json.loads(lines.read_text(encoding="utf-8").splitlines()[0])
    assert list(first)[0] == "id" and list(first)[-3:] == ["total", "grade", "error"]


def test_template_chinese_by_default(no_locale: pytest.MonkeyPatch) -> None:
    code, out, _ = run("template", "--format", "csv", RULESET)
    assert code == 0
    assert out.splitlines()[1].startswith("# 填写说明（本行不计分）") and "what to enter" not in out


def test_str_of_a_data_error_follows_the_language(no_locale: pytest.MonkeyPatch) -> None:
    rubric = pingfen.load(RULESET, tests=False)
    with pytest.raises(pingfen.DataError) as info:
        rubric.evaluate({})
    assert "缺少输入项" in str(info.value) and "missing" not in str(info.value)
    no_locale.setenv("PINGFEN_LANG", "en")
    assert "missing input" in str(info.value)


BROKEN_PROPERTY = """rubric "x" {
  total 10
}
input a: count >= 0 and <= 10 "a"
group g 10 {
  indicator i 10 { score = a }
}
property i >= 5
"""


def test_fuzz_names_the_line_in_chinese() -> None:
    rubric = pingfen.loads(BROKEN_PROPERTY)
    zh = fuzz.render(fuzz.fuzz(rubric, max_examples=20, lang="zh"), "zh")
    assert "失败 [第 8 行]" in zh and "line 8" not in zh
    en = fuzz.render(fuzz.fuzz(rubric, max_examples=20, lang="en"), "en")
    assert "FAIL [line 8]" in en


# ---------------------------------------------------------------- --allow-unsound (item 6)


def test_allow_unsound_scores_a_batch_file_to_its_output(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,满意度,经济效益\nA,96%,4\nB,90%,3\nC,94.5%,2\n", encoding="utf-8")
    out = tmp_path / "scores.csv"
    code, stdout, err = run("eval", "--allow-unsound", "--lang", "en", UNSOUND, str(data), "-o", str(out))
    assert code == 1 and stdout == ""  # one row falls in the gap the checker found
    assert "error[PF401]" in err and "PF508" not in err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["id"], r["total"], r["grade"]) for r in rows] == [("A", "9.00", "优秀"), ("B", "6.00", "合格"),
                                                                ("C", "", "")]  # fmt: skip
    assert rows[2]["error"].startswith("[C] PF505")


def test_allow_unsound_reads_json_lines_and_writes_xlsx(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text('{"id": "A", "满意度": "96%", "经济效益": 4}\n', encoding="utf-8")
    out = tmp_path / "scores.xlsx"
    assert run("eval", "--allow-unsound", UNSOUND, str(data), "-o", str(out))[0] == 0
    import openpyxl

    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][0] == "编号" and sheet["A2"].value == "A"


def test_allow_unsound_honours_output_for_one_record(tmp_path: Path) -> None:
    data = tmp_path / "r.yaml"
    data.write_text('满意度: "96%"\n经济效益: 4\n', encoding="utf-8")
    out = tmp_path / "result.json"
    code, stdout, _ = run("eval", "--allow-unsound", "--format", "json", UNSOUND, str(data), "-o", str(out))
    assert code == 0 and stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["grade"] == "优秀"


# ---------------------------------------------------------------- `pingfen --help` imports (item 13)

HEAVY = ("attr", "attrs", "lark", "yaml", "openpyxl", "pingfen.ast", "pingfen.diagnostics", "pingfen.errors")


@pytest.mark.parametrize("argv", [["--help"], ["eval", "--help"], ["--help", "--lang", "en"], ["eval"]])
def test_help_imports_nothing_heavy(argv: list[str]) -> None:
    code = (
        "import sys\nfrom pingfen.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(repr(sorted(sys.modules)), file=sys.stderr)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    loaded = eval(done.stderr.strip().splitlines()[-1])  # noqa: S307 - our own repr of a list of names
    assert "pingfen.cli" in loaded  # the probe ran
    assert [m for m in loaded if m in HEAVY or m.startswith(tuple(h + "." for h in HEAVY))] == []


def test_chinese_help_fits_the_terminal(
    no_locale: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # textwrap breaks only at spaces and counts a 汉字 as one column: Chinese help ran off the screen.
    import unicodedata

    no_locale.setenv("COLUMNS", "80")
    for argv in (["eval", "--help"], ["audit", "--help"], ["fuzz", "--help"]):
        assert main(argv) == 0
        lines = capsys.readouterr().out.splitlines()
        widths = [sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines]
        assert max(widths) <= 80 + 2, lines[widths.index(max(widths))]  # a closing mark may overhang
        assert sum(w > 40 for w in widths) > 5  # and the lines are filled, not cut short

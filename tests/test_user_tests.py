"""What a new user meets first (issue #14, items 9–11): `pingfen test`'s output and PF608,
a repository that stands alone, a test command that is deterministic and leaves no cache
behind, and the tutorial's console sessions, run.

The tutorial (docs/tutorial.zh.md) is run top to bottom as a reader would: a fenced block
preceded by `<!-- file: NAME -->` is saved as NAME when it is reached; a line
`<!-- edit: NAME: "OLD" -> "NEW"; … -->` changes that file as the text tells the reader to;
every `$ pingfen …` line of a ```console block is run in that folder (beside copies of
`rulesets/` and `examples/`) and must print exactly what follows it. A `...` line in the
shown output stands for any lines.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
from pingfen.lang import Lang
from pingfen.testrun import render_failures, run_examples

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "tutorial.zh.md"
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
_FENCE = re.compile(r"^(```+)\s*([^\s`]*)\s*$")
_FILE = re.compile(r"^<!-- file: (\S+) -->$")
_EDIT = re.compile(r"^<!-- edit: (\S+): (.*) -->$")
_PAIR = re.compile(r'"([^"]*)" -> "([^"]*)"')


# ---------------------------------------------------------------- the tutorial, run


@dataclass(frozen=True)
class Step:
    """One thing the reader does, at a line of the page: save a file, change it, run a command."""

    line: int
    kind: str  # "file" (name, text), "edit" (name, pairs) or "run" (text is the command, shown its output)
    name: str = ""
    text: str = ""
    pairs: tuple[tuple[str, str], ...] = ()
    shown: str = ""


def _steps(page: Path) -> list[Step]:
    lines = page.read_text(encoding="utf-8").splitlines()
    steps: list[Step] = []
    i = 0
    while i < len(lines):
        if m := _EDIT.match(lines[i]):
            pairs = tuple(_PAIR.findall(m.group(2)))
            assert pairs, f"{page.name}:{i + 1}: an edit names its changes as \"OLD\" -> \"NEW\""
            steps.append(Step(i + 1, "edit", m.group(1), pairs=pairs))
        fence = _FENCE.match(lines[i])
        if not fence or not lines[i].startswith("```"):
            i += 1
            continue
        named = _FILE.match(lines[i - 1]) if i else None
        start, body = i, []
        i += 1
        while i < len(lines) and lines[i].strip() != fence.group(1):
            body.append(lines[i])
            i += 1
        text = "\n".join(body) + "\n"
        if named:
            steps.append(Step(start + 1, "file", named.group(1), text))
        if fence.group(2) == "console":
            for chunk in re.split(r"^\$ ", text, flags=re.M)[1:]:
                command, _, shown = chunk.partition("\n")
                steps.append(Step(start + 1, "run", text=command, shown=shown))
        i += 1
    return steps


def _matches(shown: str, actual: str) -> bool:
    pattern = "".join(".*?\n" if line == "..." else re.escape(line) + "\n" for line in shown.splitlines())
    return re.fullmatch(pattern, actual, re.S) is not None


def test_the_tutorial_console_sessions_print_what_they_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "rulesets", tmp_path / "rulesets")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PINGFEN_LANG", raising=False)
    ran = 0
    drifted: list[str] = []
    for step in _steps(TUTORIAL):
        where = f"{TUTORIAL.name}:{step.line}"
        if step.kind == "file":
            (tmp_path / step.name).write_text(step.text, encoding="utf-8")
        elif step.kind == "edit":
            text = (tmp_path / step.name).read_text(encoding="utf-8")
            for old, new in step.pairs:
                assert old in text, f"{where}: {step.name} has no {old!r} to change"
                text = text.replace(old, new)
            (tmp_path / step.name).write_text(text, encoding="utf-8")
        elif step.text.startswith("pingfen "):  # not `python -m pip install .`, the one-time setup
            out, err = io.StringIO(), io.StringIO()
            main(shlex.split(step.text)[1:], out, err)
            actual = (out.getvalue() + err.getvalue()).replace("\r\n", "\n")  # a CSV's rows end in CRLF
            if not _matches(step.shown, actual):
                drifted.append(f"{where}: $ {step.text}\n--- shown\n{step.shown}--- printed\n{actual}")
            ran += 1
    assert not drifted, "\n".join(drifted)
    assert ran >= 10, f"only {ran} commands of the tutorial were run"


def test_every_tutorial_command_names_files_that_exist_when_it_runs() -> None:
    """A console command that names a file the page never made would fail for the reader."""
    made = {"rulesets/dept-overall-2021.rule", "examples/dept-overall-2021/seed-2021.yaml"}
    for step in _steps(TUTORIAL):
        if step.kind == "file":
            made.add(step.name)
        elif step.kind == "run":
            for word in shlex.split(step.text)[1:]:
                if word.endswith((".rule", ".yaml", ".json")):
                    assert word in made, f"{TUTORIAL.name}:{step.line}: {word} is used before the page makes it"


# ---------------------------------------------------------------- item 9: `pingfen test` and PF608


def _rubric_with(old: str, new: str) -> str:
    text = RULESET.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


def test_an_input_missing_from_the_base_example_is_reported_once_naming_the_examples_built_on_it() -> None:
    text = _rubric_with("input 满意度: percent", "input 新输入甲: count\ninput 新输入乙: count\ninput 满意度: percent")
    found = [d for d in pingfen.diagnose(text, "new.rule") if d.code == "PF608"]
    assert len(found) == 1, [d.render("en") for d in found]
    (only,) = found
    en, zh = only.render("en"), only.render("zh")
    assert 'example "全部达标" gives no value for `新输入甲`, `新输入乙`; nor do the 6 examples built on it: ' in en
    for heir in ("部分扣分", "全面扣完", "中等", "最低档", "区厂协 2021 自评", "编制为零"):
        assert f'"{heir}"' in en and f"“{heir}”" in zh
    assert "more" not in en and "另有" not in zh
    assert "示例“全部达标”没有给出 `新输入甲`、`新输入乙` 的值；以它为基础的 6 个示例同样缺少" in zh


def test_an_input_that_goes_missing_further_down_is_reported_where_it_goes_missing() -> None:
    # "部分扣分" gives 新输入 and "全部达标" does not: only "全部达标" and the rest lack it.
    text = _rubric_with("input 满意度: percent", "input 新输入: count\ninput 满意度: percent")
    text = text.replace("    满意度: 90%,\n  }\n  # 13 / 12", "    满意度: 90%,\n    新输入: 1,\n  }\n  # 13 / 12")
    (only,) = [d for d in pingfen.diagnose(text, "new.rule") if d.code == "PF608"]
    en = only.render("en")
    assert 'example "全部达标" gives no value for `新输入`; nor do the 5 examples built on it' in en
    assert '"部分扣分"' not in en


def test_a_missing_input_of_a_derived_example_alone_is_reported_at_it() -> None:
    source = (
        'rubric "r" { total 5 grade 合格 >= 3 grade 不合格 otherwise }\n'
        "input 甲: count\ninput 乙: count\n"
        "indicator 控制 5 { deduct 1 per 甲 }\n"
        'example "底" { given { 甲: 0, 乙: 0 } expect total = 5 }\n'
        'example "缺" from "底" { given { 甲: 1 } expect total = 4 }\n'
        'example "也缺" { given { 甲: 1 } expect total = 4 }\n'
        'example "再缺" from "也缺" { given { 甲: 2 } expect total = 3 }\n'
    )
    found = [d.render("en").splitlines()[0] for d in pingfen.diagnose(source, "r.rule") if d.code == "PF608"]
    assert found == ['error[PF608]: example "也缺" gives no value for `乙`; nor does "再缺", built on it']


def _failing_2021(tmp_path: Path) -> pingfen.Rubric:
    # Two deductions changed: every example that over-staffs or over-spends fails.
    text = _rubric_with(
        "deduct 0.5 per 1pp of 在职人员控制率 above 100%", "deduct 1 per 1pp of 在职人员控制率 above 100%"
    ).replace("deduct 0.5 per 1pp of “三公经费”变动率", "deduct 0.4 per 1pp of “三公经费”变动率")
    path = tmp_path / "fail.rule"
    path.write_text(text, encoding="utf-8")
    return pingfen.load(str(path))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_failing_example_is_one_short_block(tmp_path: Path, lang: Lang) -> None:
    run = run_examples(_failing_2021(tmp_path), lang=lang)
    text = render_failures(run, lang)
    lines = text.splitlines()
    # Not the example's source again: its file and line are named in the block's first line.
    assert not [line for line in lines if line.startswith("  | ")]
    assert "given {" not in text
    # The total's failure names the indicators below full marks in one line, not every reason.
    total = "总分：预期 80.29，实际 79.86" if lang == "zh" else "total: expected 80.29, got 79.86"
    at = next(n for n, line in enumerate(lines) if total in line)
    below = "失分的指标：" if lang == "zh" else "below full marks: "
    assert lines[at + 1].strip().startswith(below)
    assert "财政供养人员控制率 0/5" in lines[at + 1] and "社会公众或服务对象满意度 3/5" in lines[at + 1]
    # The indicator keeps its reasons, and a `~=` failure shows the rounded value, not 28 digits.
    assert ("扣分原因：" if lang == "zh" else "reason: ") in text
    assert "3.364312267657992565055762082" not in text
    assert len(lines) <= 12 * len(run.failed), text


def test_a_failing_example_names_its_base(tmp_path: Path) -> None:
    run = run_examples(_failing_2021(tmp_path), lang="zh")
    first = render_failures(run, "zh").splitlines()[0]
    assert first.startswith("失败 示例“部分扣分”（") and first.endswith("，基于“全部达标”）")


def test_the_failure_shown_in_docs_testing_is_what_pingfen_test_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    rule = re.search(r"```rule\n(.*?)```", page, re.S)
    shown = re.search(r"```text\n(FAIL example .*?)```", page, re.S)
    assert rule and shown
    wrong = rule.group(1).replace("expect 财政供养人员控制率 ~= 0.83", "expect 财政供养人员控制率 = 4.5")
    (tmp_path / "wrong.rule").write_text(wrong, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    assert main(["test", "--lang", "en", "wrong.rule"], out, io.StringIO()) == 1
    assert out.getvalue() == shown.group(1)


# ---------------------------------------------------------------- item 10: the repository stands alone


def _tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False).stdout
    if not names:  # not a git checkout (an sdist): every file under the root
        return [p for p in ROOT.rglob("*") if p.is_file() and ".git" not in p.parts]
    return [ROOT / n for n in names.splitlines() if n.endswith((".md", ".rule", ".yaml", ".py", ".txt"))]


def test_nothing_cites_reference_files_outside_the_repository() -> None:
    this = Path(__file__).resolve()
    for path in _tracked_text_files():
        if path.resolve() == this or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "shared/reference" not in text, f"{path.relative_to(ROOT)} cites shared/reference/"


def test_the_reference_page_holds_the_annex_rows_and_the_input_notes() -> None:
    page = (ROOT / "docs" / "reference-2021.md").read_text(encoding="utf-8")
    rule = RULESET.read_text(encoding="utf-8")
    for name in re.findall(r"^input (\S+?):", rule, re.M):
        assert name in page, f"docs/reference-2021.md does not name the input {name}"
    for name in re.findall(r"^\s*indicator (\S+)", rule, re.M):
        assert name in page, f"docs/reference-2021.md does not name the indicator {name}"
    for phrase in ("附件2-2", "自评得分", "88.5", "87.5", "扣完为止", "四舍五入", "临聘人员2名"):
        assert phrase in page, phrase
    for doc in ("README.md", "docs/data.md"):
        assert "reference-2021.md" in (ROOT / doc).read_text(encoding="utf-8"), f"{doc} does not point to it"


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|console)\n(.*?)```", text, re.S)
    return [line.removeprefix("$ ") for b in blocks for line in b.splitlines() if "pingfen " in line]


def test_every_file_a_readme_command_reads_is_in_the_repository() -> None:
    """No `DATA.json` placeholder: a reader can paste each command as it stands."""
    for command in _readme_commands():
        words = shlex.split(command.split("#")[0].split("|")[0])
        if "-o" in words:
            del words[words.index("-o") : words.index("-o") + 2]
        for word in words:
            if word.endswith((".yaml", ".json", ".csv", ".xlsx", ".jsonl")) and "*" not in word:
                assert (ROOT / word).is_file(), f"README.md: `{command}` reads {word}, which is not in the repository"


def test_what_the_documented_commands_write_is_ignored_by_git() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    written = []
    for page in (ROOT / "README.md", ROOT / "docs" / "data.md"):
        written += re.findall(r"^\$ pingfen .* -o (\S+)$", page.read_text(encoding="utf-8"), re.M)
    assert {"template.xlsx", "scores.xlsx", "seed.html"} <= set(written)
    for name in written:
        ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT, check=False)
        assert ignored.returncode == 0, f"`-o {name}` would leave an untracked file in the repository's root"


# ---------------------------------------------------------------- item 11: the test command itself


def _child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE", "XDG_CACHE_HOME")}
    return env | {"PYTHONPATH": str(ROOT / "src")} | extra


def test_the_default_hypothesis_profile_is_deterministic_and_dev_only_when_asked() -> None:
    code = (
        "import sys; sys.path.insert(0, 'tests'); import conftest; from hypothesis import settings; "
        "print(settings.default.derandomize, settings.default.max_examples)"
    )
    plain = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_child_env(), capture_output=True,
                           text=True, check=True)  # fmt: skip
    assert plain.stdout.split() == ["True", "50"], plain.stdout + plain.stderr
    dev = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_child_env(HYPOTHESIS_PROFILE="dev"),
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert dev.stdout.split() == ["False", "200"], dev.stdout + dev.stderr


def test_the_suite_uses_a_cache_of_its_own(tmp_path: Path) -> None:
    # Here, inside the suite: not the user's cache, and subprocesses inherit it.
    assert Path(os.environ["XDG_CACHE_HOME"]).name.startswith("pingfen-tests-cache-")
    # A run of part of the suite with no XDG_CACHE_HOME leaves nothing in ~/.cache/pingfen.
    home = tmp_path / "home"
    home.mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_docs_testing.py",
         "-k", "rule_blocks_load_cleanly"],
        cwd=ROOT, env=_child_env(HOME=str(home)), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "passed" in run.stdout
    assert not (home / ".cache" / "pingfen").exists(), sorted(p.name for p in (home / ".cache").rglob("*"))

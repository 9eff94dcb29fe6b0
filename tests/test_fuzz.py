"""`pingfen fuzz`: planted faults are caught within the default budget, and each
counterexample reproduces the fault through `pingfen eval`."""

from __future__ import annotations

import decimal
import io
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pingfen
from pingfen import ast, fuzz, values
from pingfen.cli import main
from pingfen.io import read_record
from pingfen.result import NodeResult, Result
from pingfen.syntax.formatter import format_module
from pingfen.testing import boundary_inputs, boundary_records, drawn_specs, inputs
from pingfen.values import COMPARE
from strategies import rubrics

ROOT = Path(__file__).resolve().parents[1]
FAULTS = sorted((ROOT / "tests" / "golden" / "faults").glob("*.rule"))
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def evaluated(rule: Path, data: Path) -> tuple[int, dict[str, Any] | None, str]:
    """`pingfen eval --allow-unsound --format json RULE DATA`: exit code, the result, the error
    text. The flag lets eval score with a rubric whose only errors are PF4xx, as fuzz does."""
    code, out, err = run("eval", "--allow-unsound", "--format", "json", "--lang", "en", str(rule), str(data))
    return code, (json.loads(out, parse_float=Decimal, parse_int=Decimal) if code == 0 else None), err


def node_score(result: dict[str, Any], name: str | None) -> Decimal:
    if name is None:
        return Decimal(sum(c["score"] for c in result["children"]))

    def walk(nodes: list[dict[str, Any]]) -> Decimal | None:
        for n in nodes:
            if n["name"] == name:
                return Decimal(n["score"])
            found = walk(n.get("children", []))
            if found is not None:
                return found
        return None

    found = walk(result["children"])
    assert found is not None, name
    return found


def property_at(rubric: pingfen.Rubric, line: int) -> ast.Property:
    return next(p for p in rubric.module.properties if p.span.line == line)


def test_a_save_folder_that_cannot_be_one_is_said_before_the_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `--save out.yaml`, a file: the whole search ran, then "文件已存在" without a code, exit 2 over 1
    given = tmp_path / "out.yaml"
    given.write_text("kept\n", encoding="utf-8")
    searched: list[object] = []
    monkeypatch.setattr(fuzz, "fuzz", lambda *a, **k: searched.append(a))
    for folder, reason in ((given, "it is a file, not a folder"), (given / "sub", "Not a directory")):
        code, out, err = run("fuzz", "--lang", "en", str(FAULTS[0]), "--save", str(folder))
        assert code == 2 and out == "" and f"error[PF704]: cannot write `{folder}`: {reason}" in err, err
    assert searched == [] and given.read_text(encoding="utf-8") == "kept\n"


def test_a_save_folder_is_checked_without_being_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The folder was made before the search, so a search that could not run (an empty domain)
    # left it behind; a name too long was a plain OSError (no PF704), and a folder that cannot be
    # written was refused only after the search (PF703)
    (tmp_path / "空.rule").write_text(EMPTY_DOMAIN, encoding="utf-8")
    code, _, err = run("fuzz", "--lang", "en", str(tmp_path / "空.rule"), "--save", str(tmp_path / "new" / "deep"))
    assert code == 2 and "PF415" in err and not (tmp_path / "new").exists()
    searched: list[object] = []
    monkeypatch.setattr(fuzz, "fuzz", lambda *a, **k: searched.append(a))
    long = tmp_path / ("名" * 100) / "deep"  # 300 bytes: no file system takes the name
    code, out, err = run("fuzz", "--lang", "en", str(FAULTS[0]), "--save", str(long))
    assert code == 2 and out == "" and f"error[PF704]: cannot write `{long}`: File name too long" in err, err
    for folder in ("/sys/kernel", "/sys/kernel/pingfen-new"):  # root too may not write there
        code, out, err = run("fuzz", "--lang", "en", str(FAULTS[0]), "--save", folder)
        assert code == 2 and out == "" and f"error[PF703]: cannot write `{folder}`: the directory `/sys/kernel`" in err, err
    assert searched == [] and sorted(p.name for p in tmp_path.iterdir()) == ["空.rule"]


def test_a_save_folder_is_made_only_for_what_it_holds(tmp_path: Path) -> None:
    rule = ROOT / "rulesets" / "dept-overall-2021.rule"  # every check holds: nothing to save
    code, _, _ = run("fuzz", "--lang", "en", "--max-examples", "5", str(rule), "--save", str(tmp_path / "new"))
    assert code == 0 and not (tmp_path / "new").exists()
    code, _, _ = run("fuzz", "--lang", "en", str(FAULTS[0]), "--save", str(tmp_path / "new" / "deep"))
    assert code == 1 and list((tmp_path / "new" / "deep").glob("counterexample-*.yaml"))


@pytest.mark.parametrize("path", FAULTS, ids=lambda p: p.stem)
def test_planted_fault_is_caught_and_reproduces_through_eval(path: Path, tmp_path: Path) -> None:
    kind = re.search(r"# expect: fuzz fails (\w+)", path.read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]
    code, out, _ = run("fuzz", "--lang", "en", str(path), "--save", str(tmp_path))  # the default budget
    assert code == 1, out
    heads = re.findall(r"^FAIL \[([^\]]+)\]", out, re.M)
    assert heads, out
    rubric, findings = pingfen.loader.loads_unsound(path.read_text(encoding="utf-8"), str(path))
    for d in findings:  # the checker's findings are shown with the counterexample
        if d.severity == "error":
            assert f"error[{d.code}]" in out
    files = sorted(tmp_path.glob("counterexample-1*.yaml"))
    for f in files:  # what is printed is what is saved (the saved file has a comment header)
        body = "\n".join(line for line in f.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
        assert body in out
    first = heads[0]
    if findings and any(d.severity == "error" for d in findings):  # eval alone refuses such a rubric
        assert run("eval", str(path), str(files[0]))[0] == 2
        assert f"pingfen eval --allow-unsound {path} counterexample-1" in out
    if kind == "domain":
        assert first == "domain"
        code, _, err = evaluated(path, files[0])
        assert code == 2 and "PF505" in err
    elif kind == "grade":
        assert first == "grade"
        code, result, _ = evaluated(path, files[0])
        assert code == 0 and result is not None and result["grade"] is None
    else:
        assert kind == "property" and first.startswith("line ")
        prop = property_at(rubric, int(first.removeprefix("line ")))
        if isinstance(prop, ast.Claim):
            (data,) = files
            code, result, _ = evaluated(path, data)
            assert code == 0 and result is not None
            record = rubric.coerce(read_record(data))
            assert prop.condition is None or rubric.walker().expression(prop.condition, record)
            score = node_score(result, prop.target.text if prop.target else None)
            assert not COMPARE[prop.op](score, prop.value.value), (score, prop)
        else:
            assert isinstance(prop, ast.Monotone)
            before, after = files
            (_, low, _), (_, high, _) = evaluated(path, before), evaluated(path, after)
            assert low is not None and high is not None
            a, b = read_record(before), read_record(after)
            assert a[prop.input.text] != b[prop.input.text]
            assert {k: v for k, v in a.items() if k != prop.input.text} == {
                k: v for k, v in b.items() if k != prop.input.text
            }
            target = prop.target.text if prop.target else None
            was, now = node_score(low, target), node_score(high, target)
            assert (now < was) if prop.direction == "increasing" else (now > was), (was, now)


def test_the_2021_rubric_holds_every_check() -> None:
    code, out, _ = run("fuzz", "--lang", "en", "--max-examples", "25", str(RULESET))
    assert code == 0, out
    assert re.search(r": ok \(58 checks, 58 passed; seed 0", out)


def test_the_same_seed_gives_the_same_run() -> None:
    """Also across processes whose string hashing differs (PYTHONHASHSEED)."""
    argv = [sys.executable, "-m", "pingfen.cli", "fuzz", "--seed", "7", "--max-examples", "40", str(FAULTS[0])]
    runs = [
        subprocess.run(
            argv,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "src")},
            check=False,
        )  # fmt: skip
        for seed in ("1", "2")
    ]
    assert runs[0].returncode == 1 and runs[0].stdout == runs[1].stdout


def test_a_rubric_with_other_errors_is_not_fuzzed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rule"
    bad.write_text('rubric "x" { total 5 }\ninput a: count\ngroup g 5 { indicator i 5 { deduct 1 per b } }\n')
    code, _, err = run("fuzz", "--lang", "en", str(bad))
    assert code == 2 and "error[PF102]" in err
    assert run("fuzz", str(tmp_path / "missing.rule"))[0] == 2
    assert run("fuzz", "--max-examples", "0", str(RULESET))[0] == 2
    assert (
        run("eval", "--allow-unsound", str(bad), str(ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml"))[0]
        == 2
    )


RUBRIC = """rubric "x" {
  total 10
  round total 1 half_up
}

input a: score
input b: score

group g 10 {
  indicator i 5 { judgment a }
  indicator j 5 { judgment b }
}
"""


def test_the_invariant_checks_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    rubric = pingfen.loads(RUBRIC)
    monkeypatch.setitem(values.ROUNDING, "half_up", decimal.ROUND_DOWN)  # what fuzz expects, not what is done
    report = fuzz.fuzz(rubric, max_examples=100)
    assert [f.check for f in report.failures] == ["rounding"]
    assert re.fullmatch(r"the raw total \S+ is shown as \S+, not \S+", report.failures[0].message)
    assert re.fullmatch(r"expect total = [\d.]+", report.failures[0].expect or "")  # the total rounding gives


def test_out_of_range_and_unsummed_scores_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    rubric = pingfen.loads(RUBRIC)
    real = rubric.evaluate

    def inflated(record: dict[str, object], **kw: object) -> Result:
        result = real(record)
        group = result.children[0]
        i, j = group.children
        bad = NodeResult(i.name, i.max, i.score + 6, (), (), None, False)
        return Result(result.rubric, result.max, result.total, result.raw_total, result.grade,
                      (NodeResult(group.name, group.max, group.score, (bad, j), (), None, True),))  # fmt: skip

    monkeypatch.setattr(rubric, "evaluate", inflated)
    failures = fuzz.fuzz(rubric, max_examples=20).failures
    assert [f.check for f in failures][:2] == ["range", "sums"]
    assert failures[0].expect is None  # no expect says "within [0, max]"
    assert re.fullmatch(r"expect \S+ = [\d.]+", failures[1].expect or "")  # the group: the sum of its parts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs(pingfen.load(RULESET)))
def test_counterexample_yaml_reads_back_to_the_same_record(record: dict[str, object]) -> None:
    rubric = pingfen.load(RULESET)
    path = Path(f"/tmp/pingfen-roundtrip-{id(record)}.yaml")
    try:
        path.write_text(fuzz.to_yaml(record, rubric, "a comment\nover two lines"), encoding="utf-8")
        again = read_record(path)
    finally:
        path.unlink(missing_ok=True)
    assert rubric.coerce(again) == rubric.coerce(record, ratios=True)


def test_yaml_quotes_what_yaml_would_misread() -> None:
    rubric = pingfen.loads(
        'rubric "x" { total 1 }\ninput yes: label { no, `a: b` }\nindicator i 1 { match yes { no -> 1  else -> 0 } }'
    )
    text = fuzz.to_yaml({"yes": "no"}, rubric)
    assert text == '"yes": "no"\n'


def test_yaml_quotes_a_name_yaml_reads_as_a_number_or_a_merge(tmp_path: Path) -> None:
    # `01: 3` read back as the key "1", `<<: 3` was refused (a merge key): a counterexample for
    # a rubric with such an input (a backticked name) could not be given to `pingfen eval`.
    names = ["01", "1_000", "+1", ".5", "<<", "=", "2021年完成率", "完成率"]
    text = 'rubric "x" { total 1 }\n' + "".join(f"input `{n}`: count\n" for n in names)
    rubric = pingfen.loads(text + "indicator i 1 { when `01` > 0 -> 1  else -> 0 }")
    record: dict[str, object] = {name: 3 for name in names}
    path = tmp_path / "counterexample.yaml"
    path.write_text(fuzz.to_yaml(record, rubric), encoding="utf-8")
    assert read_record(path) == record
    assert "\n完成率: 3\n" in path.read_text(encoding="utf-8")  # a plain name stays plain


def test_yaml_quotes_a_name_or_label_with_a_tab_or_a_line_break(tmp_path: Path) -> None:
    """A name with a tab in it (written inside backticks) was a plain key, and the counterexample
    file no YAML (PF508); one with U+2028 or U+2029, or a label with them, was folded to a space."""
    names = ["a\tb", "甲\u2028乙", "甲\u2029乙"]
    text = 'rubric "x" { total 1 }\n' + "".join(f"input `{n}`: count\n" for n in names)
    rubric = pingfen.loads(text + 'input 类: label { `前\u2028后`, 乙 }\nindicator i 1 { when `a\tb` > 0 -> 1  else -> 0 }')
    record: dict[str, object] = {**{name: 3 for name in names}, "类": "前\u2028后"}
    path = tmp_path / "counterexample.yaml"
    path.write_text(fuzz.to_yaml(record, rubric), encoding="utf-8")
    assert read_record(path) == record


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubrics().flatmap(lambda m: st.tuples(st.just(m), st.data())))
def test_invariants_hold_on_generated_rubrics(drawn) -> None:  # type: ignore[no-untyped-def]
    """Every generated rubric, on boundary and ordinary records: scored, in range, summed,
    rounded and graded as declared; its claims (each `NODE <= max`) hold."""
    module, data = drawn
    rubric = pingfen.loads(format_module(module))
    checks = set(fuzz._CHECKS)
    for strategy in (boundary_inputs(rubric), inputs(rubric)):
        record = data.draw(strategy)
        result = fuzz._score(rubric, record, "domain")
        fuzz._invariants(rubric, record, result, checks)
        for i, prop in enumerate(rubric.module.properties):
            if isinstance(prop, ast.Claim):
                fuzz._claim(rubric, record, result, prop, f"property {i}")


def test_fuzz_without_hypothesis_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pingfen.fuzz", None)
    code, _, err = run("fuzz", str(RULESET))
    assert code == 2 and "pip install 'pingfen[testing]'" in err


OFF_BY_ONE = """rubric "差一" {
  total 10
}

input 实际: amount >= 0
input 预算: amount > 0
input 例数: count

let 执行率 = 实际 / 预算

indicator 执行 5 {
  bands 执行率 {
    > 90%         -> 5
    (80%, 90%]    -> 3
    <= 80%        -> 0
  }
}

indicator 合规 5 {
  when 例数 > 3 -> 0
  when 例数 > 1 -> 2
  else          -> 5
}

property 执行 = 5 when 执行率 >= 90%
property 合规 = 5 when 例数 <= 1
property 合规 >= 2 when 例数 <= 4
"""


def test_the_records_at_every_threshold_include_a_quotient_exactly_on_it() -> None:
    from pingfen.testing import boundary_records

    rubric = pingfen.loads(OFF_BY_ONE)
    records = boundary_records(rubric)
    assert any(Decimal(str(r["实际"])) / Decimal(str(r["预算"])) == Decimal("0.9") for r in records)
    assert {r["例数"] for r in records} >= {0, 1, 2, 3, 4, 5}
    for record in records:  # each a record the rubric takes
        rubric.evaluate(record, ratios=True)


@pytest.mark.parametrize("seed", range(5))
def test_an_off_by_one_threshold_a_property_states_is_found_whatever_the_seed(seed: int) -> None:
    """The bands say > 90% where the text says ≥ 90%, and 例数 > 3 where 4 should still give 2:
    a random search met 90% exactly, or 例数 = 4, only by chance (seeds 0 and 4 said ok)."""
    report = fuzz.fuzz(pingfen.loads(OFF_BY_ONE), seed=seed, max_examples=50)
    assert {f.check for f in report.failures} == {"property 0", "property 2"}


BETWEEN_STEPS = """rubric "四舍五入前" {
  total 10
}

input 完成率: percent >= 0 and <= 100%
input 结余: amount

# 89.995%（含）以上计5分: the band says > where the text says ≥, wrong only at 89.995% itself
indicator 完成 5 {
  bands 完成率 {
    > 89.995%          -> 5
    [80%, 89.995%]     -> 4
    < 80%              -> 0
  }
}

indicator 控制 5 {
  when 结余 <= 1000.005 -> 5
  else                 -> 0
}

property 完成 = 5 when 完成率 >= 89.995%
property 控制 = 0 when 结余 >= 1000.005
"""


@pytest.mark.parametrize("seed", range(3))
def test_a_threshold_between_two_data_steps_is_tried_exactly(seed: int) -> None:
    """89.995% lies between the data steps 89.99% and 90.00%, and so does 1000.005 between two
    cents: only the threshold itself shows the bands' `>` for the text's ≥, and fuzz never drew it."""
    rubric = pingfen.loads(BETWEEN_STEPS)
    report = fuzz.fuzz(rubric, seed=seed, max_examples=50, lang="zh")
    assert {f.check for f in report.failures} == {"property 0", "property 1"}
    [completion] = (f for f in report.failures if f.check == "property 0")
    assert completion.records[0]["完成率"] == Decimal("0.89995")
    example = fuzz.to_example(completion, 1, rubric, "zh")
    assert "完成率: 89.995%," in example and "expect 完成 = 5" in example
    pasted = pingfen.loads(BETWEEN_STEPS + example)  # the pasted example fails as the record did
    [failed] = pingfen.run_examples(pasted).failed
    assert failed.example.name == "fuzz 反例 1（第 22 行）"


PANEL_OFF_BY_ONE = """rubric "专家评审" {
  total 10
}

input 方案评分: list of score >= 0 and <= 10

# 中位数9分（含）以上计10分: the band says > 9
indicator 方案论证 10 {
  bands median(方案评分) {
    > 9          -> 10
    [6.25, 9]    -> 6
    else         -> 0
  }
}

property 方案论证 = 10 when median(方案评分) >= 9
"""


@pytest.mark.parametrize("seed", range(5))
def test_an_off_by_one_threshold_on_a_panel_is_found_whatever_the_seed(seed: int) -> None:
    """Experts whose median is exactly 9 were left to chance (the boundary records held the
    panel at its domain's ends only), and a run of 50 records met them on some seeds only."""
    report = fuzz.fuzz(pingfen.loads(PANEL_OFF_BY_ONE), seed=seed, max_examples=50, lang="zh")
    [failure] = report.failures
    assert failure.check == "property 0"
    assert sorted(failure.records[0]["方案评分"])[1] == 9  # type: ignore[index]


MARKED = """rubric "项目支出" {
  total 10
}

input 实际到位: amount
input 应到位: amount > 0
input 制度健全: bool

let 资金到位率 = 实际到位 / 应到位

# 资金未拨付的填“不适用”，按满分计算: the row says zero
indicator 资金到位 6 {
  applies else zero
  bands 资金到位率 {
    >= 90% -> 6
    else   -> 3
  }
}

indicator 制度健全性 4 {
  award 4 if 制度健全
}

property 资金到位 >= 3
property 资金到位 = 6 when 资金到位率 >= 90%
property monotone 实际到位 increasing
"""


@pytest.mark.parametrize("seed", range(3))
def test_a_row_the_data_marks_not_applicable_is_fuzzed_and_its_counterexample_pastes(seed: int) -> None:
    """No record marked an input 不适用, so `applies else zero` where the text says 按满分计算
    passed; and once marked, a condition, a threshold or a monotone property on the marked
    input crashed fuzz."""
    rubric = pingfen.loads(MARKED)
    report = fuzz.fuzz(rubric, seed=seed, max_examples=50, lang="zh")
    [failure] = report.failures
    assert failure.check == "property 0"
    marked = [name for name, value in failure.records[0].items() if value == "不适用"]
    assert marked and set(marked) <= {"实际到位", "应到位"}
    assert rubric.evaluate(failure.records[0], ratios=True).score("资金到位") == 0
    example = fuzz.to_example(failure, 1, rubric, "zh")
    assert f'{marked[0]}: "不适用",' in example
    pasted = pingfen.loads(MARKED + example.replace("\n}", "\n  expect 资金到位 = 6\n}"))
    [failed] = pingfen.run_examples(pasted).failed  # the pasted record scores 0, as fuzz found
    assert [f.actual for f in failed.failures] == ["0"]


EMPTY_DOMAIN = 'rubric "x" { total 3 }\ninput 结余: amount > 5 and < 1\nindicator 乙 3 { deduct 1 per 结余 counting whole }\n'


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_input_that_can_take_no_value_is_said_in_the_readers_language(tmp_path: Path, lang: str) -> None:
    """It was `pingfen: input '结余' has no value on its data steps: its domain is empty`, in
    English whatever the language: now the checker's PF415 with its line, then why no fuzz."""
    (tmp_path / "空.rule").write_text(EMPTY_DOMAIN, encoding="utf-8")
    code, out, err = run("fuzz", str(tmp_path / "空.rule"), "--lang", lang)
    assert code == 2 and out == ""
    assert "PF415" in err and "input 结余: amount > 5 and < 1" in err  # the finding, with its source line
    if lang == "zh":
        assert "错误[PF415]" in err and "pingfen fuzz：输入项 `结余` 在数据步长上没有可取的值" in err
        assert "has no value" not in err
    else:
        assert "error[PF415]" in err and "pingfen fuzz: input `结余` has no value on its data steps" in err


# Each planted fault put right: what a regression example written from fuzz's counterexample
# must then pass.
FIXES = {
    "band-end-off-by-one": ("[85%, 94%)", "[85%, 95%)"),
    "band-threshold-off-by-one": ("91%", "90%"),
    "deduction-raises-score": ("below 100%", "above 100%"),
    "grade-hole": ("grade 中   >= 12\n", "grade 中   >= 12\n  grade 差 otherwise\n"),
}


def pasted_examples(out: str) -> str:
    """The `example` blocks fuzz printed to paste into the rule file."""
    blocks = re.findall(r"^--- # (?:as an example to paste into|回归示例，可粘贴到) [^\n]*[:：]\n(.*?)\n\n(?=FAIL |失败 |\S+(?::|：))",
                        out, re.M | re.S)  # fmt: skip
    assert blocks, out
    return "\n\n".join(blocks) + "\n"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", FAULTS, ids=lambda p: p.stem)
def test_a_counterexample_pastes_into_the_rule_file_as_an_example_that_catches_the_fault(path: Path, lang: str) -> None:
    # fuzz gave records as YAML only: a tester had to write the example block (given in the
    # rule language's spelling, the check as an expect) by hand to keep the fault from coming back
    code, out, _ = run("fuzz", "--lang", lang, str(path))
    assert code == 1, out
    examples = pasted_examples(out)
    assert examples.startswith('example "fuzz 反例 1' if lang == "zh" else 'example "fuzz counterexample 1')
    text = path.read_text(encoding="utf-8") + "\n" + examples
    assert not [d for d in pingfen.diagnose(text, str(path)) if d.code.startswith("PF6") and d.severity == "error"]
    rubric, _ = pingfen.loader.loads_unsound(text, str(path))
    run_ = pingfen.run_examples(rubric)
    caught = {"band-end-off-by-one", "band-threshold-off-by-one"}  # a refusal, an `expect` from the property
    if path.stem in caught:  # the regression example fails on the fault
        assert not run_.passed and run_.failed
    else:  # a monotone property, a total with no grade: no expect says them, and none is made up
        assert not re.search(r"^\s*expect ", examples, re.M)
        assert ("写不成 expect" if lang == "zh" else "no expect states this check") in examples
    if path.stem == "band-threshold-off-by-one":
        assert "  重点支出安排率: 90%,\n" in examples and "  expect 重点支出安排率 = 5\n" in examples
        pasted = path.parent / f"pasted-{lang}-{os.getpid()}.rule"
        try:  # through the command a tester runs: it fails, naming the example
            pasted.write_text(text, encoding="utf-8")
            code, said, _ = run("test", "--lang", "en", str(pasted))
        finally:
            pasted.unlink(missing_ok=True)
        assert code == 1 and 'FAIL example "fuzz' in said, said
    wrong, right = FIXES[path.stem]
    assert wrong in text
    fixed = pingfen.loads(text.replace(wrong, right), str(path))
    assert pingfen.run_examples(fixed).passed


KINDS = """rubric "kinds" { total 30 }
input 有制度: bool
input 类型: label { 大型会议, `是`, `a b` }
input 完成率: percent >= 0
input 资金: amount
input 人数: count
input 得分: score
input 开工: date
input 评分: list of 3 score >= 0 and <= 10
group 全部 30 {
  indicator 制度 5 { award 5 if 有制度 }
  indicator 会议 5 { match 类型 { 大型会议 -> 5  else -> 0 } }
  indicator 完成 5 { bands 完成率 { >= 90% -> 5  else -> 0 } }
  indicator 资金量 5 { when 资金 > 100 and 人数 > 2 and days(开工, 开工) = 0 -> 5  else -> 0 }
  indicator 评审 5 { judgment 得分 }
  indicator 专家 5 { score = mean(评分) / 2 }
}
"""


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs(pingfen.loads(KINDS)), st.sampled_from(["zh", "en"]))
def test_an_example_gives_the_record_as_the_rubric_reads_it(record: dict[str, object], lang: str) -> None:
    # 是/否 for a bool, a percent with %, a label, a date and a panel as texts: the example
    # scores the very record fuzz found
    rubric = pingfen.loads(KINDS)
    failure = fuzz.Failure("range", "title", "message", (record,), "range")
    text = fuzz.to_example(failure, 1, rubric, lang)  # type: ignore[arg-type]
    assert re.search(r"^    有制度: [是否],$", text, re.M)
    pasted = pingfen.loads(KINDS + "\n" + text)
    [example] = pasted.module.examples
    given = pingfen.check.examples.raw_record(pingfen.check.examples.records(pasted.module)[example.name])
    assert pasted.coerce(given) == rubric.coerce(record, ratios=True)


def test_a_percent_panel_is_given_in_percents() -> None:
    # it was given as ratios, `"0.9、1.055"`: read back alike, but not as the rubric's text writes percents
    from pingfen.values import coerce_list

    values = (Decimal("0.9"), Decimal("1.055"), Decimal(0))
    text = fuzz._given_value(values, "percent")
    assert text == '"90%、105.5%、0%"'
    assert coerce_list("比例", "percent", text.strip('"')) == values


def test_a_wrong_grade_is_expected_as_the_grade_the_check_computes(monkeypatch: pytest.MonkeyPatch) -> None:
    rubric = pingfen.loads(RUBRIC.replace("round total 1 half_up", "grade 好 >= 5\n  grade 差 otherwise"))
    real = rubric.evaluate

    def misgraded(record: dict[str, object], **kw: object) -> Result:
        r = real(record)
        return Result(r.rubric, r.max, r.total, r.raw_total, "差" if r.grade == "好" else "好", r.children)

    monkeypatch.setattr(rubric, "evaluate", misgraded)
    [failure] = fuzz.fuzz(rubric, max_examples=20).failures
    total = Decimal(re.search(r"a total of (\S+) ", failure.message).group(1))  # type: ignore[union-attr]
    assert failure.check == "grade" and failure.expect == f"expect grade = {'好' if total >= 5 else '差'}"
    assert failure.expect in fuzz.to_example(failure, 1, rubric)


VETOED = """rubric "v" {
  total 10
  grade 好 >= 5
  grade 差 otherwise
}
input 分: number >= 0 and <= 10
input 违规: bool
indicator a 10 { score = 分 }
veto 违规项 if 违规 -> below 好
"""


def test_a_wrong_veto_list_beside_the_right_grade_is_no_grade_expectation(monkeypatch: pytest.MonkeyPatch) -> None:
    """A veto left off the list while the grade is right: `expect grade = 差` would paste as an
    example that passes under the fault, so the example says no expect, as other checks do."""
    rubric = pingfen.loads(VETOED)
    real = rubric.evaluate

    def unlisted(record: dict[str, object], **kw: Any) -> Result:
        result = real(record, **kw)
        object.__setattr__(result, "_vetoes", ())
        return result

    monkeypatch.setattr(rubric, "evaluate", unlisted)
    [failure] = fuzz.fuzz(rubric, max_examples=50).failures
    assert failure.check == "grade" and "vetoes listed: —" in failure.message
    assert ", not " not in failure.message  # it said "gets grade 差, not 差": the grade is right, the list is not
    [failure] = fuzz.fuzz(rubric, max_examples=50, lang="zh").failures
    assert "列出的否决项：—" in failure.message and "应为" not in failure.message
    assert failure.expect is None
    assert "expect grade" not in fuzz.to_example(failure, 1, rubric, "en")


def test_a_save_folder_that_is_a_link_to_nothing_is_said_before_the_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # stat follows the link, found nothing, and the parent was checked instead: the whole search
    # ran, then PF704 "File exists" when the folder was made
    (tmp_path / "dang").symlink_to(tmp_path / "nonexistent")
    searched: list[object] = []
    monkeypatch.setattr(fuzz, "fuzz", lambda *a, **k: searched.append(a))
    for folder in (tmp_path / "dang", tmp_path / "dang" / "sub"):
        code, out, err = run("fuzz", "--lang", "en", str(FAULTS[0]), "--save", str(folder))
        assert code == 2 and out == "" and f"error[PF704]: cannot write `{folder}`: it is a link to a path that does not exist" in err, err
    assert searched == [] and sorted(p.name for p in tmp_path.iterdir()) == ["dang"]


GRADED_MARKED = """rubric "项目支出" {
  total 10
  grade 优秀 >= 9
  grade 合格 >= 6
  grade 差 otherwise
}
input 实际到位: amount
input 制度健全: bool
indicator 资金到位 6 {
  applies else full
  bands 实际到位 {
    >= 100 -> 6
    else   -> 3
  }
}
indicator 制度健全性 4 {
  award 4 if 制度健全
}
"""


@pytest.mark.parametrize("seed", range(3))
def test_a_graded_rubric_with_a_row_that_may_not_apply_is_fuzzed_without_a_crash(seed: int) -> None:
    """Records marking an input 不适用 reached the search for a total on each grade's threshold,
    which read the mark as a number: InvalidOperation, `pingfen fuzz` an internal error on any
    rubric with grades and an `applies` row."""
    report = fuzz.fuzz(pingfen.loads(GRADED_MARKED), seed=seed, max_examples=50, lang="zh")
    assert report.failures == ()
    assert report.checks  # the grade thresholds were among them, and ran


MARKED_CONDITIONS = """rubric "x" { total 10 }
input a: percent >= 0
input ok: bool
indicator A 6 {
  applies else zero
  award 6 if ok
}
indicator B 4 { score = a * 4 }
property A >= 6 when ok
property A >= 6 when ok != false
property A >= 7 when ok
"""


@pytest.mark.parametrize("seed", range(3))
def test_a_condition_on_a_marked_input_is_not_checked(seed: int) -> None:
    """A condition reading an input the record marks 不适用 has no answer: a marked yes/no read as
    true, `!=` holding, reported false failures (`A >= 6 when ok` with ok 不适用, A 0)."""
    report = fuzz.fuzz(pingfen.loads(MARKED_CONDITIONS), seed=seed, max_examples=100, lang="zh")
    # the third, false where ok is true, fails: conditions are checked where nothing is marked
    [failure] = report.failures
    assert failure.check == "property 2" and failure.records[0]["ok"] is True


def test_a_panels_scores_are_shown_as_written_not_as_pythons_list() -> None:
    """A panel's value in a failure's words was `[Decimal('0.00'), Decimal('0.50')]`."""
    assert fuzz._show([Decimal("0.00"), Decimal("0.50"), Decimal(9)], "score") == "0、0.5、9"
    assert fuzz._show((Decimal("0.9"),), "percent") == "90%"


BATCH_RULE = """rubric "报价偏差" {
  total 10
}
input 报价: amount > 0
input 完成率: percent >= 0 and <= 100%
let 基准价 = batch min(报价)
let 偏差率 = (报价 - 基准价) / 基准价
let 名次 = batch rank(完成率)
let 家数 = batch count(完成率)
indicator 价格分 5 {
  deduct 1 per 1pp of 偏差率 above 0% counting proportional
}
indicator 排名 5 {
  bands 名次 {
    <= 1 -> 5
    else -> 3
  }
}
indicator 家 0 { score = min(0, 家数 / 家数) }
"""


def test_a_value_across_the_batch_is_drawn_within_what_the_batch_gives() -> None:
    """基准价 = batch min(报价) was drawn from 0 (its spec has no bounds), so fuzz reported the
    division by it the checker had proved safe (报价 > 0, so their least is too) as failing
    (PF504 with 基准价: 0), and 名次 or 家数 of 0 likewise: they are drawn as the batch gives them."""
    rubric = pingfen.loads(BATCH_RULE, "报价.rule")
    assert not [d for d in pingfen.diagnose(BATCH_RULE) if d.severity == "error"]
    specs = {s.name: s for s in drawn_specs(rubric)}
    assert specs["基准价"].bounds == ((">", Decimal(0)),) and specs["名次"].bounds == specs["家数"].bounds == ((">=", Decimal(1)),)
    report = fuzz.fuzz(rubric, max_examples=100)
    assert [f.check for f in report.failures] == [], [f.records for f in report.failures]
    assert all(r["基准价"] > 0 and r["名次"] >= 1 for r in boundary_records(rubric))  # type: ignore[operator]

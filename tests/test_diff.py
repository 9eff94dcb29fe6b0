"""`pingfen diff`: the semantic diff of two rubrics, change by change, with exact entries."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import pingfen
from pingfen import ast
from pingfen.cli import main
from pingfen.diff import KINDS, Change, diff, diff_modules
from pingfen.diffview import KIND_WORDS, PART_WORDS, part_text, render_diff
from pingfen.syntax.formatter import format_module
from pingfen.syntax.parser import parse
from strategies import messy_texts, rubrics

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"

BASE = """\
rubric "评分表" {
  year 2021
  total 20
  round total 2 half_up
  grade 优秀 >= 18
  grade 良好 >= 15
  grade 差   otherwise
}

input 执行率: percent >= 0 "预算执行率"
input 制度健全: bool
input 等级: label { 健全, 基本健全, 不健全 }
input 例数: count
input 评价: score
input 结余: amount

let 结余率 = 结余 / 100

group 投入 10 {
  indicator 预算执行率 5 {
    bands 执行率 {
      >= 90%     -> 5
      [80%, 90%) -> 4
      < 80%      -> 0
    }
  }
  indicator 资金到位率 5 {
    deduct 0.5 per 1pp of 执行率 below 100% counting proportional
  }
}

group 过程 10 {
  indicator 制度 3 {
    award 1 if 制度健全
    award 2 if 例数 = 0
  }
  indicator 等级评定 2 {
    match 等级 {
      健全     -> 2
      基本健全 -> 1
      不健全   -> 0
    }
  }
  indicator 结余控制 2 {
    when 结余率 <= 0 -> 2
    else             -> 0
  }
  indicator 违规 1 {
    deduct 0.5 per 例数
  }
  indicator 评价 1 { judgment }
  indicator 折算 1 {
    score = min(例数 * 0.5, 1)
  }
}
"""


def changes(new: str, old: str = BASE) -> tuple[Change, ...]:
    return diff(pingfen.loads(old), pingfen.loads(new)).changes


def edit(*pairs: tuple[str, str], text: str = BASE) -> str:
    for before, after in pairs:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    return text


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_base_loads_cleanly() -> None:
    assert pingfen.loads(BASE).max == 20


# ---------------------------------------------------------------- no change


def test_identical_rubrics_have_an_empty_diff() -> None:
    assert changes(BASE) == ()
    full = pingfen.load(RULESET, tests=False)
    assert diff(full, full).empty


def test_layout_comments_and_spelled_defaults_are_no_change() -> None:
    spelled = edit(
        ("deduct 0.5 per 1pp of 执行率 below 100% counting proportional", "# 以100%为标准\n    deduct 0.5 per 1pp of 执行率 below 100.0%"),
        ("indicator 评价 1 { judgment }", "indicator 评价 1 {\n    judgment 评价\n  }"),
        (">= 90%     -> 5", "≥ 90.0% -> 5"),
        ("健全     -> 2\n      基本健全 -> 1", "基本健全 -> 1\n      健全 -> 2"),
    )
    assert changes(spelled) == ()


def _parsed(text: str) -> ast.Module:
    module, diagnostics = parse(text)
    assert module is not None, diagnostics
    return module


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rubrics())
def test_a_generated_rubric_written_out_and_read_back_does_not_differ(module: ast.Module) -> None:
    assert diff_modules(module, module).changes == ()
    assert diff_modules(module, _parsed(format_module(module))).changes == ()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(messy_texts(BASE))
def test_the_base_retyped_carelessly_does_not_differ(messy: str) -> None:
    assert diff_modules(_parsed(BASE), _parsed(messy)).changes == ()


def test_identical_files_exit_0_with_no_difference(tmp_path: Path) -> None:
    code, out, _ = run("diff", str(RULESET), str(RULESET))
    assert code == 0
    assert "没有差别：两版评分表评分相同（注释、排版和示例不计）" in out
    code, out, _ = run("diff", "--lang", "en", str(RULESET), str(RULESET))
    assert code == 0 and "No differences" in out


# ---------------------------------------------------------------- rows


def test_row_added_and_removed() -> None:
    new = edit(
        ("  indicator 折算 1 {\n    score = min(例数 * 0.5, 1)\n  }\n", "  indicator 公开 1 { award 1 if 制度健全 }\n"),
    )
    assert changes(new) == (
        Change("row_added", "公开", (), None, "indicator 公开 1"),
        Change("row_removed", "折算", (), "indicator 折算 1", None),
    )


def test_row_renamed_with_the_same_content_anywhere() -> None:
    new = edit(("indicator 违规 1", "indicator 违规情况扣分 1"))
    assert changes(new) == (Change("row_renamed", "违规情况扣分", (), "违规", "违规情况扣分"),)


def test_row_renamed_by_a_close_name_in_the_same_place_with_its_rule_changed() -> None:
    new = edit(("indicator 资金到位率 5", "indicator 资金到位比率 5"), ("deduct 0.5 per 1pp", "deduct 1 per 1pp"))
    assert changes(new) == (
        Change("row_renamed", "资金到位比率", (), "资金到位率", "资金到位比率"),
        Change("rule_changed", "资金到位比率", ("rate",), "0.5", "1"),
    )


def test_a_distant_name_with_other_content_is_removed_and_added() -> None:
    new = edit(("indicator 资金到位率 5", "indicator 支出进度 5"), ("deduct 0.5 per 1pp", "deduct 1 per 1pp"))
    assert [c.kind for c in changes(new)] == ["row_added", "row_removed"]


def test_row_moved_to_another_group() -> None:
    new = edit(
        ("group 投入 10 {", "group 投入 11 {"),
        ("group 过程 10 {", "group 过程 9 {"),
        ("  indicator 违规 1 {\n    deduct 0.5 per 例数\n  }\n", ""),
        ("    deduct 0.5 per 1pp of 执行率 below 100% counting proportional\n  }\n",
         "    deduct 0.5 per 1pp of 执行率 below 100% counting proportional\n  }\n"
         "  indicator 违规 1 {\n    deduct 0.5 per 例数\n  }\n"),
    )  # fmt: skip
    assert changes(new) == (
        Change("max_changed", "投入", (), "10", "11"),
        Change("row_moved", "违规", (), "过程 #4", "投入 #3"),
        Change("max_changed", "过程", (), "10", "9"),
    )


def test_row_moved_within_its_group() -> None:
    new = edit(
        ("  indicator 评价 1 { judgment }\n", ""),
        ("group 过程 10 {\n", "group 过程 10 {\n  indicator 评价 1 { judgment }\n"),
    )
    assert changes(new) == (Change("row_moved", "评价", (), "过程 #5", "过程 #1"),)


def test_group_renamed_by_its_content() -> None:
    new = edit(("group 投入 10 {", "group 投入管理 10 {"))
    assert changes(new) == (Change("row_renamed", "投入管理", (), "投入", "投入管理"),)


def test_rows_moved_out_of_a_removed_group() -> None:
    new = edit(("group 投入 10 {\n", ""), ("  }\n}\n\ngroup 过程", "  }\n\ngroup 过程"))
    new = new.replace("\n  indicator 预算执行率", "\nindicator 预算执行率").replace("\n  indicator 资金到位率", "\nindicator 资金到位率")
    assert changes(new) == (
        Change("row_moved", "预算执行率", (), "投入 #1", "#1"),
        Change("row_moved", "资金到位率", (), "投入 #2", "#2"),
        Change("row_removed", "投入", (), "group 投入 10", None),
    )


def test_maxima_changed() -> None:
    new = edit(("indicator 预算执行率 5", "indicator 预算执行率 6"), ("indicator 资金到位率 5", "indicator 资金到位率 4"))
    assert changes(new) == (
        Change("max_changed", "预算执行率", (), "5", "6"),
        Change("max_changed", "资金到位率", (), "5", "4"),
    )


# ---------------------------------------------------------------- each rule kind's parameters


def test_step_deduction_parameters() -> None:
    new = edit(
        ("deduct 0.5 per 1pp of 执行率 below 100% counting proportional",
         "deduct 1 per 2pp of 执行率 * 1 from 95% counting started"),
    )  # fmt: skip
    assert changes(new) == tuple(
        Change("rule_changed", "资金到位率", (part,), old, new)
        for part, old, new in [
            ("rate", "0.5", "1"), ("step", "1pp", "2pp"), ("value", "执行率", "执行率 * 1"),
            ("direction", "below", "from"), ("reference", "100%", "95%"), ("counting", "proportional", "started"),
        ]
    )  # fmt: skip


def test_counted_deduction_gains_a_reference_and_a_reason() -> None:
    new = edit(("deduct 0.5 per 例数", 'deduct 0.5 per 1 of 例数 above 1 reason "超出"'))
    assert changes(new) == (
        Change("rule_changed", "违规", ("reference",), "0", "1"),
        Change("rule_changed", "违规", ("reason",), None, '"超出"'),
    )


def test_checklist_items_changed_added_and_removed() -> None:
    new = edit(("award 1 if 制度健全\n    award 2 if 例数 = 0", "award 1 if 制度健全\n    award 1 if 例数 <= 1\n    award 1 if 结余 = 0"))
    assert changes(new) == (
        Change("rule_changed", "制度", ("item", 2, "points"), "2", "1"),
        Change("rule_changed", "制度", ("item", 2, "condition"), "例数 = 0", "例数 <= 1"),
        Change("rule_added", "制度", ("item", 3), None, "award 1 if 结余 = 0"),
    )
    fewer = edit(("    award 2 if 例数 = 0\n", ""), ("indicator 制度 3", "indicator 制度 1"), ("indicator 违规 1", "indicator 违规 3"))
    assert changes(fewer) == (
        Change("max_changed", "制度", (), "3", "1"),
        Change("rule_removed", "制度", ("item", 2), "award 2 if 例数 = 0", None),
        Change("max_changed", "违规", (), "1", "3"),
    )


def test_band_edges_points_and_bands_added() -> None:
    new = edit(("[80%, 90%) -> 4\n      < 80%      -> 0", "[85%, 90%) -> 3\n      [60%, 85%) -> 2\n      < 60% -> 0"))
    assert changes(new) == (
        Change("rule_changed", "预算执行率", ("band", 2, "points", "edges"), "[80%, 90%) -> 4", "[85%, 90%) -> 3"),
        Change("rule_changed", "预算执行率", ("band", 3, "points", "edges"), "< 80% -> 0", "[60%, 85%) -> 2"),
        Change("rule_changed", "预算执行率", ("band", 4), None, "< 60% -> 0"),
    )


def test_band_subject_changed() -> None:
    new = edit(("bands 执行率 {", "bands 执行率 * 1 {"))
    assert changes(new) == (Change("rule_changed", "预算执行率", ("subject",), "执行率", "执行率 * 1"),)


def test_match_arms_by_label() -> None:
    new = edit(("基本健全 -> 1\n      不健全   -> 0", '不健全 -> 0\n      基本健全 -> 1.5 reason "基本健全"'))
    assert changes(new) == (
        Change("rule_changed", "等级评定", ("arm", 3, "points", "reason"), "基本健全 -> 1", '基本健全 -> 1.5 reason "基本健全"'),
    )


def test_when_arm_condition_and_points() -> None:
    new = edit(("when 结余率 <= 0 -> 2\n    else             -> 0", "when 结余率 <= 1 -> 2\n    else -> 1"))
    assert changes(new) == (
        Change("rule_changed", "结余控制", ("arm", 1, "condition"), "when 结余率 <= 0 -> 2", "when 结余率 <= 1 -> 2"),
        Change("rule_changed", "结余控制", ("arm", 2, "points"), "else -> 0", "else -> 1"),
    )


def test_judgment_input_and_formula() -> None:
    new = edit(
        ("input 评价: score", "input 评价: score\ninput 评价分: score"),
        ("indicator 评价 1 { judgment }", "indicator 评价 1 { judgment 评价分 }"),
        ("score = min(例数 * 0.5, 1)", "score = min(例数 * 0.25, 1)"),
    )
    assert changes(new) == (
        Change("input_added", "评价分", (), None, "input 评价分: score"),
        Change("rule_changed", "评价", ("input",), "评价", "评价分"),
        Change("rule_changed", "折算", ("expr",), "min(例数 * 0.5, 1)", "min(例数 * 0.25, 1)"),
    )


def test_rule_replaced_by_another_kind() -> None:
    new = edit(("indicator 评价 1 { judgment }", "indicator 评价 1 { award 1 if 评价 >= 1 }"))
    assert changes(new) == (
        Change("rule_removed", "评价", (), "judgment 评价", None),
        Change("rule_added", "评价", (), None, "award 1 if 评价 >= 1"),
    )


# ---------------------------------------------------------------- inputs, values and the header


def test_inputs_added_removed_and_changed() -> None:
    new = edit(
        ('input 执行率: percent >= 0 "预算执行率"', 'input 执行率: percent >= 0 and <= 100% "预算执行率（%）"'),
        ("input 等级: label { 健全, 基本健全, 不健全 }", "input 等级: label { 健全, 基本健全, 不健全, 未建立 }"),
        ("input 例数: count", "input 例数: number >= 0"),
        ("不健全   -> 0", "不健全   -> 0\n      未建立 -> 0"),
        ("input 结余: amount\n", "input 结余: amount\ninput 备注: bool\n"),
    )
    assert changes(new) == (
        Change("input_changed", "执行率", ("bounds",), ">= 0", ">= 0 and <= 100%"),
        Change("input_changed", "执行率", ("description",), '"预算执行率"', '"预算执行率（%）"'),
        Change("input_changed", "等级", ("labels",), "健全, 基本健全, 不健全", "健全, 基本健全, 不健全, 未建立"),
        Change("input_changed", "例数", ("type",), "count", "number"),
        Change("input_changed", "例数", ("bounds",), None, ">= 0"),
        Change("input_added", "备注", (), None, "input 备注: bool"),
        Change("rule_changed", "等级评定", ("arm", 4), None, "未建立 -> 0"),
    )
    gone = edit(("input 结余: amount\n", ""), ("let 结余率 = 结余 / 100", "let 结余率 = 执行率"))
    assert changes(gone) == (
        Change("input_removed", "结余", (), "input 结余: amount", None),
        Change("let_changed", "结余率", (), "结余 / 100", "执行率"),
    )


def test_header_total_rounding_and_grades() -> None:
    new = edit(
        ('rubric "评分表" {\n  year 2021', 'rubric "评分表（2022年）" {\n  year 2022'),
        ("round total 2 half_up", "round total 1 half_even"),
        ("grade 良好 >= 15\n", "grade 良好 >= 16\n  grade 中 >= 12\n"),
    )
    assert changes(new) == (
        Change("header_changed", None, ("title",), '"评分表"', '"评分表（2022年）"'),
        Change("header_changed", None, ("year",), "2021", "2022"),
        Change("header_changed", None, ("rounding",), "2 half_up", "1 half_even"),
        Change("grade_changed", "良好", ("threshold",), "良好 >= 15", "良好 >= 16"),
        Change("grade_added", "中", (), None, "中 >= 12"),
    )
    default = edit(("round total 2 half_up\n", ""))
    assert changes(default) == ()  # 2 places, half up: the default written out
    fewer = edit(("  grade 良好 >= 15\n", ""))
    assert changes(fewer) == (Change("grade_removed", "良好", (), "良好 >= 15", None),)


def test_total_changed() -> None:
    new = edit(("total 20", "total 21"), ("group 过程 10", "group 过程 11"), ("indicator 违规 1", "indicator 违规 2"))
    assert changes(new) == (
        Change("header_changed", None, ("total",), "20", "21"),
        Change("max_changed", "过程", (), "10", "11"),
        Change("max_changed", "违规", (), "1", "2"),
    )


# ---------------------------------------------------------------- output


def test_every_kind_and_part_word_has_both_languages() -> None:
    assert set(KIND_WORDS) == set(KINDS)
    assert all(en and zh for en, zh in [*KIND_WORDS.values(), *PART_WORDS.values()])
    assert part_text(("item", 2, "points"), "zh") == "第2项 · 分数"
    assert part_text(("band", 3, "points", "edges"), "en") == "band 3 · points · edges"


def test_every_field_of_every_rule_kind_has_its_words() -> None:
    """Rules are compared field by field: a rule form added later is compared whole, and
    this names any field of it that the table cannot word yet."""
    from typing import get_args

    import attrs

    from pingfen.diff import _AS_WRITTEN, _EDGES, ARMS

    words = set(PART_WORDS) | set(ARMS)
    for kind in get_args(ast.Rule):
        fields = {f.name for f in attrs.fields(kind)} - _AS_WRITTEN
        assert fields <= words, (kind.__name__, fields - words)
    for arm in (ast.Band, ast.WhenArm, ast.MatchArm):
        fields = {f.name for f in attrs.fields(arm)} - _AS_WRITTEN - _EDGES - {"label"}
        assert fields <= words, (arm.__name__, fields - words)


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_text_table_in_chinese_and_english(tmp_path: Path) -> None:
    old = _write(tmp_path, "old.rule", BASE)
    new = _write(tmp_path, "new.rule", edit(("[80%, 90%) -> 4", "[80%, 90%) -> 3"), ("indicator 违规 1", "indicator 违规情况 1")))
    code, out, _ = run("diff", old, new)
    assert code == 1
    assert out.splitlines() == [
        f"比较 {old} → {new}",
        "",
        "变化          对象        项目          原               新",
        "─" * 65,
        "评分标准变化  预算执行率  第2档 · 分数  [80%, 90%) -> 4  [80%, 90%) -> 3",
        "指标更名      违规情况    —             违规             违规情况",
        "",
        "共 2 处变化",
    ]
    code, out, _ = run("diff", "--lang", "en", old, new)
    assert code == 1
    assert out.splitlines()[2:] == [
        "change        where       part             old              new",
        "─" * 68,
        "rule changed  预算执行率  band 2 · points  [80%, 90%) -> 4  [80%, 90%) -> 3",
        "row renamed   违规情况    —                违规             违规情况",
        "",
        "2 changes",
    ]


def test_json_schema(tmp_path: Path) -> None:
    old = _write(tmp_path, "old.rule", BASE)
    new = _write(tmp_path, "new.rule", edit(("grade 优秀 >= 18", "grade 优秀 >= 17")))
    code, out, _ = run("diff", "--format", "json", old, new)
    assert code == 1
    assert json.loads(out) == {
        "version": 1,
        "old": old,
        "new": new,
        "changes": [
            {"kind": "grade_changed", "node": "优秀", "part": ["threshold"], "old": "优秀 >= 18", "new": "优秀 >= 17"}
        ],
        "replay": None,
        "extends": [],
    }


def test_render_diff_of_nothing() -> None:
    empty = diff(pingfen.loads(BASE), pingfen.loads(BASE))
    assert render_diff(empty, "a", "b", "en") == (
        "Comparing a → b\n\nNo differences: the two versions score alike (comments, layout and examples aside)"
    )


# ---------------------------------------------------------------- errors and help


def test_unreadable_or_bad_rule_files_exit_2(tmp_path: Path) -> None:
    code, _, err = run("diff", "--lang", "en", str(RULESET), str(tmp_path / "missing.rule"))
    assert code == 2 and "missing.rule" in err and "Traceback" not in err
    bad = _write(tmp_path, "bad.rule", BASE.replace("total 20", "total 21"))
    code, _, err = run("diff", "--lang", "en", str(RULESET), bad)
    assert code == 2 and "PF303" in err and "bad.rule:" in err


@pytest.mark.parametrize(("lang", "words"), [("zh", "按含义而非文字比较评分表的两个版本"), ("en", "Compare two versions")])
def test_help_in_both_languages(lang: str, words: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", lang, "diff", "--help"]) == 0
    assert words in capsys.readouterr().out


# ---------------------------------------------------------------- the documented run


def test_the_documented_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/yearly-round.md's console block, under its diff heading, is what the command prints."""
    text = (ROOT / "docs" / "yearly-round.md").read_text(encoding="utf-8")
    section = text.split("## 比较两版评分表 / Comparing two versions", 1)[1].split("\n## ", 1)[0]
    block = section.split("```console\n", 1)[1].split("```", 1)[0]
    command, expected = block.split("\n", 1)
    assert command.startswith("$ pingfen diff ")
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PINGFEN_LANG", "zh")
    code, out, err = run(*command.split()[2:])
    assert (code, err) == (1, "")
    assert out == expected

"""`pingfen diff` compares every part of a rubric that can change a score or a grade.

The classes a rubric's meaning is made of are found from the syntax tree's own type hints,
starting at the items of a module; every field of each is either changed here, one at a
time, with the change `diff` must report, or named in NOT_MEANING with why it is not
compared. A field added to the tree later fails `test_every_field_is_changed_or_set_aside`
until it is listed here, and then `test_each_change_is_reported` until diff compares it.
"""

from __future__ import annotations

import io
import types
import typing
from pathlib import Path
from typing import Union, get_args, get_origin, get_type_hints

import attrs
import pytest

import pingfen
from pingfen import ast
from pingfen.cli import main
from pingfen.diff import Change, Kind, diff, diff_modules
from pingfen.syntax.formatter import format_module
from pingfen.syntax.parser import parse

BASE = """\
rubric "全部" {
  year 2021
  total 45
  round total 2 half_up
  cap total 47
  grade 优秀 >= 40 if 满意度 >= 90%
  grade 良好 >= 34
  grade 中   >= 27
  grade 差   otherwise
}

input 执行率: percent precision 0.1% >= 0 and <= 100% "预算执行率"
input 满意度: percent >= 0 and <= 100%
input 有项目: bool
input 重大违规: bool
input 整改: bool
input 等级: label { 健全, 基本健全, 不健全 }
input 等级2: label { 健全, 基本健全, 不健全 }
input 例数: count
input 评价: score
input 复核: score
input 专家: list of 5 score
input 报价: amount > 0

let 折算率 = round(执行率, 2)
let 基准价 = batch min(报价)

group 投入 20 {
  applies if 有项目 else full
  round 1 half_up
  indicator 执行 5 {
    applies if 有项目 else zero
    round 1 down
    bands 执行率 {
      >= 90%     -> 5 reason "高"
      [80%, 90%) -> 3
      else       -> 0
    } if 有项目
  }
  indicator 偏离 5 {
    deduct 1 per 5pp of 折算率 below 100% counting whole reason "低" if 有项目
  }
  indicator 清单 5 {
    award 5 if 有项目 reason "有"
    deduct 1 if 重大违规 reason "违"
  }
  indicator 价格 5 {
    score = 基准价 / 报价 * 5 if 有项目
  }
}

group 产出 25 {
  indicator 条件 5 {
    when 执行率 >= 90% -> 5 reason "好"
    else -> 2
  }
  indicator 等级分 5 {
    match 等级 {
      健全 -> 5 reason "全"
      基本健全 -> 3
      else -> 0
    } if 整改
  }
  indicator 评价 5 { judgment 评价 if 有项目 }
  indicator 待定 5 { pending "由各省自行制定" }
  indicator 专家均分 5 { score = mean(专家) / 2 }
}

bonus 创新 2 { award 2 if 有项目 }
penalty 违规扣分 3 { deduct 1 per 例数 }
adjust 加减 -2 .. +2 { award 2 if 整改 }

veto 重大 if 重大违规 -> zero
veto 未整改 if not 整改 -> below 良好
veto 定差 if 例数 > 5 -> grade 差
veto 定中 if 等级2 = 不健全 or 复核 < 1 -> grade 中
"""

# Where a rubric's meaning starts: the items of a module, less examples, properties (checks
# of the rubric, not part of it) and the lines of a file that extends another (the loader
# applies them to the base: none is left in a loaded rubric).
ROOTS = (ast.Header, ast.Input, ast.Let, ast.Group, ast.Indicator, ast.Outside, ast.Veto)
# Compared whole, by attrs' equality (spans aside) or by value: not looked into.
LEAVES = (ast.Name, ast.Number, *get_args(ast.Expr))

NOT_MEANING: dict[tuple[type, str], str] = {
    (ast.Band, "op"): "how a band's end was written (`>= 90%` or `[90%, …`): its edges are its meaning",
}  # and every `span`: where a thing stands in the file

Edit = tuple[str, str]
# (class, field) → the edits that change that field alone (or with what it needs to stay
# valid), and the change diff must report: its kind and a word of its part (None: any part).
CHANGES: dict[tuple[type, str], tuple[tuple[Edit, ...], Kind, str | None]] = {
    (ast.Header, "title"): ((('rubric "全部"', 'rubric "全部新"'),), "header_changed", "title"),
    (ast.Header, "year"): ((("year 2021", "year 2022"),), "header_changed", "year"),
    (ast.Header, "total"): (
        (("total 45", "total 46"), ("group 产出 25", "group 产出 26"), ("专家均分 5", "专家均分 6")), "header_changed", "total",
    ),
    (ast.Header, "round_places"): ((("round total 2 half_up", "round total 1 half_up"),), "header_changed", "rounding"),
    (ast.Header, "round_mode"): ((("round total 2 half_up", "round total 2 down"),), "header_changed", "rounding"),
    (ast.Header, "cap"): ((("cap total 47", "cap total 46"),), "header_changed", "cap"),
    (ast.Header, "grades"): ((("  grade 中   >= 27\n", "  grade 中   >= 27\n  grade 及格 >= 20\n"),), "grade_added", None),
    (ast.Grade, "name"): ((("grade 良好 >= 34", "grade 较好 >= 34"), ("below 良好", "below 较好")), "grade_added", None),
    (ast.Grade, "op"): ((("grade 良好 >= 34", "grade 良好 > 34"),), "grade_changed", "threshold"),
    (ast.Grade, "threshold"): ((("grade 良好 >= 34", "grade 良好 >= 35"),), "grade_changed", "threshold"),
    (ast.Grade, "condition"): ((("if 满意度 >= 90%", "if 满意度 >= 95%"),), "grade_changed", "condition"),
    (ast.Input, "name"): ((("input 复核: score", "input 复查: score"), ("复核 < 1", "复查 < 1")), "input_renamed", None),
    (ast.Input, "type"): ((("input 报价: amount > 0", "input 报价: number > 0"),), "input_changed", "type"),
    (ast.Input, "bounds"): ((("input 报价: amount > 0", "input 报价: amount >= 1"),), "input_changed", "bounds"),
    (ast.Input, "labels"): ((("等级2: label { 健全, 基本健全, 不健全 }", "等级2: label { 健全, 基本健全, 不健全, 缺失 }"),),
                            "input_changed", "labels"),  # fmt: skip
    (ast.Input, "description"): ((('"预算执行率"', '"执行率"'),), "input_changed", "description"),
    (ast.Input, "is_list"): ((("input 专家: list of 5 score", "input 专家: score"), ("mean(专家) / 2", "专家 / 2")),
                             "input_changed", "type"),  # fmt: skip
    (ast.Input, "size"): ((("list of 5 score", "list of 7 score"),), "input_changed", "type"),
    (ast.Bound, "op"): ((("满意度: percent >= 0", "满意度: percent > 0"),), "input_changed", "bounds"),
    (ast.Bound, "value"): ((("input 报价: amount > 0", "input 报价: amount > 1"),), "input_changed", "bounds"),
    (ast.Input, "precision"): ((("precision 0.1%", "precision 1%"),), "input_changed", "precision"),
    (ast.Input, "batch"): ((("batch min(报价)", "min(报价, 100)"),), "let_changed", None),
    (ast.Batch, "func"): ((("batch min(报价)", "batch max(报价)"),), "let_changed", None),
    (ast.Batch, "expr"): ((("batch min(报价)", "batch min(报价 * 2)"),), "let_changed", None),
    (ast.Let, "name"): ((("let 折算率", "let 控制率"), ("of 折算率", "of 控制率")), "let_added", None),
    (ast.Let, "expr"): ((("round(执行率, 2)", "round(执行率, 3)"),), "let_changed", None),
    (ast.Group, "name"): ((("group 产出 25", "group 产出指标 25"),), "row_renamed", None),
    (ast.Group, "max"): (
        (("total 45", "total 46"), ("group 产出 25", "group 产出 26"), ("专家均分 5", "专家均分 6")), "max_changed", None,
    ),
    (ast.Group, "children"): (
        (("  indicator 评价 5 { judgment 评价 if 有项目 }\n", ""),
         ("  indicator 专家均分 5 { score = mean(专家) / 2 }\n", "  indicator 专家均分 5 { score = mean(专家) / 2 }\n"
          "  indicator 评价 5 { judgment 评价 if 有项目 }\n")),
        "row_moved", None,
    ),  # fmt: skip
    (ast.Group, "applies"): ((("applies if 有项目 else full", "applies if 有项目 else zero"),), "rule_changed", "applies"),
    (ast.Group, "round_places"): ((("round 1 half_up", "round 2 half_up"),), "rule_changed", "rounding"),
    (ast.Group, "round_mode"): ((("round 1 half_up", "round 1 half_even"),), "rule_changed", "rounding"),
    (ast.Indicator, "name"): ((("indicator 清单 5", "indicator 清单项 5"),), "row_renamed", None),
    (ast.Indicator, "max"): (
        (("total 45", "total 46"), ("group 产出 25", "group 产出 26"), ("专家均分 5", "专家均分 6")), "max_changed", None,
    ),
    (ast.Indicator, "rules"): ((('deduct 1 if 重大违规 reason "违"', 'deduct 1 if 重大违规 reason "违"\n    deduct 1 if 例数 > 2'),),
                               "rule_added", None),  # fmt: skip
    (ast.Indicator, "pending"): ((('pending "由各省自行制定"', 'pending "另行制定"'),), "rule_changed", "pending"),
    (ast.Indicator, "applies"): ((("applies if 有项目 else zero", "applies if 有项目 else rescale"),), "rule_changed", "applies"),
    (ast.Indicator, "round_places"): ((("round 1 down", "round 2 down"),), "rule_changed", "rounding"),
    (ast.Indicator, "round_mode"): ((("round 1 down", "round 1 up"),), "rule_changed", "rounding"),
    (ast.Indicator, "low"): ((("adjust 加减 -2 .. +2", "adjust 加减 -1 .. +2"),), "max_changed", None),
    (ast.Applies, "mode"): ((("applies if 有项目 else zero", "applies if 有项目 else full"),), "rule_changed", "applies"),
    (ast.Applies, "condition"): ((("applies if 有项目 else zero", "applies else zero"),), "rule_changed", "applies"),
    (ast.Outside, "kind"): ((("penalty 违规扣分 3", "bonus 违规扣分 3"),), "max_changed", None),
    (ast.Outside, "row"): ((("bonus 创新 2 { award 2 if 有项目 }", "bonus 创新 2 { award 2 if 整改 }"),), "rule_changed", None),
    (ast.Veto, "name"): ((("veto 重大 if", "veto 重大违规 if"),), "veto_added", None),
    (ast.Veto, "condition"): ((("if 重大违规 -> zero", "if 重大违规 and 有项目 -> zero"),), "veto_changed", "condition"),
    (ast.Veto, "action"): ((("if 重大违规 -> zero", "if 重大违规 -> grade 差"),), "veto_changed", "action"),
    (ast.Veto, "grade"): ((("-> below 良好", "-> below 中"),), "veto_changed", "action"),
    # the rules, field by field (diff.py compares them as attrs declares them)
    (ast.DeductStep, "rate"): ((("deduct 1 per 5pp", "deduct 2 per 5pp"),), "rule_changed", "rate"),
    (ast.DeductStep, "step"): ((("deduct 1 per 5pp", "deduct 1 per 4pp"),), "rule_changed", "step"),
    (ast.DeductStep, "value"): ((("of 折算率 below", "of 执行率 below"),), "rule_changed", "value"),
    (ast.DeductStep, "direction"): ((("折算率 below 100%", "折算率 from 100%"),), "rule_changed", "direction"),
    (ast.DeductStep, "reference"): ((("below 100% counting", "below 95% counting"),), "rule_changed", "reference"),
    (ast.DeductStep, "counting"): ((("counting whole", "counting started"),), "rule_changed", "counting"),
    (ast.DeductStep, "reason"): ((('reason "低"', 'reason "偏低"'),), "rule_changed", "reason"),
    (ast.DeductStep, "guard"): ((('reason "低" if 有项目', 'reason "低" if 整改'),), "rule_changed", "guard"),
    (ast.DeductIf, "points"): ((("deduct 1 if 重大违规", "deduct 2 if 重大违规"),), "rule_changed", "points"),
    (ast.DeductIf, "condition"): ((("deduct 1 if 重大违规", "deduct 1 if 重大违规 or 例数 > 1"),), "rule_changed", "condition"),
    (ast.DeductIf, "reason"): ((('reason "违"', 'reason "违规"'),), "rule_changed", "reason"),
    (ast.AwardIf, "points"): ((("award 5 if 有项目", "award 4 if 有项目"),), "rule_changed", "points"),
    (ast.AwardIf, "condition"): ((("award 5 if 有项目", "award 5 if 整改"),), "rule_changed", "condition"),
    (ast.AwardIf, "reason"): ((('reason "有"', 'reason "有项目"'),), "rule_changed", "reason"),
    (ast.Band, "points"): ((('-> 5 reason "高"', '-> 4 reason "高"'),), "rule_changed", "points"),
    (ast.Band, "low"): ((("[80%, 90%) -> 3", "[70%, 90%) -> 3"),), "rule_changed", "edges"),
    (ast.Band, "high"): (((">= 90%     -> 5", ">= 85%     -> 5"), ("[80%, 90%) -> 3", "[80%, 85%) -> 3")), "rule_changed", "edges"),
    (ast.Band, "low_closed"): ((("[80%, 90%) -> 3", "(80%, 90%) -> 3"),), "rule_changed", "edges"),
    (ast.Band, "high_closed"): ((("[80%, 90%) -> 3", "[80%, 90%] -> 3"), (">= 90%     -> 5", "> 90%     -> 5")),
                                "rule_changed", "edges"),  # fmt: skip
    (ast.Band, "is_else"): ((("else       -> 0", "< 80%      -> 0"),), "rule_changed", "edges"),
    (ast.Band, "reason"): ((('reason "高"', 'reason "很高"'),), "rule_changed", "reason"),
    (ast.Bands, "subject"): ((("bands 执行率 {", "bands 满意度 {"),), "rule_changed", "subject"),
    (ast.Bands, "bands"): ((("[80%, 90%) -> 3", "[85%, 90%) -> 3\n      [80%, 85%) -> 2"),), "rule_changed", "band"),
    (ast.Bands, "guard"): ((("    } if 有项目\n", "    } if 整改\n"),), "rule_changed", "guard"),
    (ast.WhenArm, "points"): ((('-> 5 reason "好"', '-> 4 reason "好"'),), "rule_changed", "points"),
    (ast.WhenArm, "condition"): ((("when 执行率 >= 90%", "when 执行率 >= 95%"),), "rule_changed", "condition"),
    (ast.WhenArm, "reason"): ((('reason "好"', 'reason "较好"'),), "rule_changed", "reason"),
    (ast.WhenChain, "arms"): ((("    else -> 2\n", "    when 执行率 >= 80% -> 3\n    else -> 2\n"),), "rule_changed", "arm"),
    (ast.WhenChain, "guard"): ((("    else -> 2\n", "    else -> 2 if 有项目\n"),), "rule_changed", "guard"),
    (ast.MatchArm, "points"): ((('健全 -> 5 reason "全"', '健全 -> 4 reason "全"'),), "rule_changed", "arm"),
    (ast.MatchArm, "label"): ((("      else -> 0\n", "      不健全 -> 0\n"),), "rule_changed", "arm"),
    (ast.MatchArm, "reason"): ((('reason "全"', 'reason "健全"'),), "rule_changed", "reason"),
    (ast.Match, "subject"): ((("match 等级 {", "match 等级2 {"),), "rule_changed", "subject"),
    (ast.Match, "arms"): ((("      else -> 0\n", "      不健全 -> 1\n      else -> 0\n"),), "rule_changed", "arm"),
    (ast.Match, "guard"): ((("    } if 整改\n", "    } if 有项目\n"),), "rule_changed", "guard"),
    (ast.Judgment, "input"): ((("judgment 评价 if 有项目", "judgment 复核 if 有项目"),), "rule_changed", "input"),
    (ast.Judgment, "guard"): ((("judgment 评价 if 有项目", "judgment 评价 if 整改"),), "rule_changed", "guard"),
    (ast.Formula, "expr"): ((("基准价 / 报价 * 5", "基准价 / 报价 * 4"),), "rule_changed", "expr"),
    (ast.Formula, "guard"): ((("报价 * 5 if 有项目", "报价 * 5 if 整改"),), "rule_changed", "guard"),
}  # fmt: skip


def _classes(hint: object) -> set[type]:
    """The attrs classes a field's type hint names: inside unions, tuples and aliases."""
    if isinstance(hint, type):
        return {hint} if attrs.has(hint) else set()
    if get_origin(hint) in (Union, types.UnionType, tuple):
        return set().union(*(_classes(arg) for arg in get_args(hint) if arg is not Ellipsis))
    return set()  # a Literal, str, bool, Decimal


def meaning_fields() -> set[tuple[type, str]]:
    """Every (class, field) reachable from ROOTS through the tree's type hints, leaves aside."""
    found: set[tuple[type, str]] = set()
    seen: set[type] = set()
    pending: list[type] = list(ROOTS)
    namespace = vars(ast)
    while pending:
        cls = pending.pop()
        if cls in seen or cls in LEAVES:
            continue
        seen.add(cls)
        hints = get_type_hints(cls, globalns=namespace)
        for f in attrs.fields(cls):
            if f.name == "span" or not f.eq:
                continue
            found.add((cls, f.name))
            pending.extend(_classes(hints[f.name]))
    return found


def _edited(edits: tuple[Edit, ...]) -> str:
    text = BASE
    for before, after in edits:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    return text


def test_the_base_loads_and_does_not_differ_from_itself_written_out() -> None:
    base = pingfen.loads(BASE)
    assert diff(base, base).empty
    module, problems = parse(format_module(base.module))
    assert module is not None, problems
    assert diff_modules(base.module, module).empty


def test_every_field_is_changed_or_set_aside() -> None:
    """A field the tree gains later is named here until it is given a change or a reason."""
    fields = meaning_fields()
    assert fields - set(CHANGES) - set(NOT_MEANING) == set()
    assert set(CHANGES) | set(NOT_MEANING) <= fields  # and nothing listed that is gone
    assert {ast.Veto, ast.Applies, ast.Batch, ast.Grade} <= {cls for cls, _ in fields}


@pytest.mark.parametrize("key", list(CHANGES), ids=lambda k: f"{k[0].__name__}.{k[1]}")
def test_each_change_is_reported(key: tuple[type, str]) -> None:
    edits, kind, part = CHANGES[key]
    new = pingfen.loads(_edited(edits))  # raises if the change leaves the file invalid
    found = diff(pingfen.loads(BASE), new).changes
    assert any(c.kind == kind and (part is None or part in c.part) for c in found), found


def test_the_order_of_vetoes_that_set_a_grade_is_reported() -> None:
    """The first `-> grade` veto that holds wins: their order changes a grade; the others' does not."""
    swapped = _edited((
        ("veto 定差 if 例数 > 5 -> grade 差\n", ""),
        ("veto 定中 if 等级2 = 不健全 or 复核 < 1 -> grade 中\n", "veto 定中 if 等级2 = 不健全 or 复核 < 1 -> grade 中\n"
         "veto 定差 if 例数 > 5 -> grade 差\n"),
    ))  # fmt: skip
    assert diff(pingfen.loads(BASE), pingfen.loads(swapped)).changes == (
        Change("veto_changed", None, ("order",), "定差, 定中", "定中, 定差"),
    )
    others = _edited((("veto 重大 if 重大违规 -> zero\n", ""), ("veto 定差", "veto 重大 if 重大违规 -> zero\nveto 定差")))
    assert diff(pingfen.loads(BASE), pingfen.loads(others)).empty


def test_veto_and_applies_changes_word_by_word() -> None:
    new = _edited((
        ("veto 重大 if 重大违规 -> zero\n", ""),
        ("-> below 良好", "-> below 中"),
        ("applies if 有项目 else full", "applies if 有项目 else zero"),
        ("cap total 47", "cap total 46"),
        ("batch min(报价)", "batch max(报价)"),
        ("if 满意度 >= 90%", "if 满意度 >= 95%"),
    ))  # fmt: skip
    assert diff(pingfen.loads(BASE), pingfen.loads(new)).changes == (
        Change("header_changed", None, ("cap",), "47", "46"),
        Change("grade_changed", "优秀", ("condition",), "优秀 >= 40 if 满意度 >= 90%", "优秀 >= 40 if 满意度 >= 95%"),
        Change("let_changed", "基准价", (), "batch min(报价)", "batch max(报价)"),
        Change("rule_changed", "投入", ("applies",), "applies if 有项目 else full", "applies if 有项目 else zero"),
        Change("veto_changed", "未整改", ("action",), "veto 未整改 if not 整改 -> below 良好", "veto 未整改 if not 整改 -> below 中"),
        Change("veto_removed", "重大", (), "veto 重大 if 重大违规 -> zero", None),
    )


def test_the_hints_walk_finds_fields_inside_unions() -> None:
    assert _classes(typing.Optional[ast.Applies]) == {ast.Applies}  # noqa: UP045 - the form a hint may take
    assert ast.Bands in _classes(get_type_hints(ast.Indicator, globalns=vars(ast))["rules"])


def test_the_command_reports_a_removed_veto_and_exits_1(tmp_path: Path) -> None:
    """It said 没有差别：两版评分表评分相同 and exited 0 when only a veto went away."""
    old, new = tmp_path / "old.rule", tmp_path / "new.rule"
    old.write_text(BASE, encoding="utf-8")
    new.write_text(_edited((("veto 重大 if 重大违规 -> zero\n", ""),)), encoding="utf-8")
    for lang, words in (("zh", "删除一票否决  重大"), ("en", "veto removed  重大")):
        out, err = io.StringIO(), io.StringIO()
        assert main(["diff", "--lang", lang, str(old), str(new)], out, err) == 1, err.getvalue()
        assert words in out.getvalue() and "没有差别" not in out.getvalue()
        assert out.getvalue().splitlines()[-1] == ("共 1 处变化" if lang == "zh" else "1 change")  # not "1 changes"

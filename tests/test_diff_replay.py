"""`pingfen diff --replay`: last year's data under both versions, who changes and why."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
from pingfen.diffview import render_replay
from pingfen.io.tables import Row
from pingfen.replay import Outcome, Replay, RowChange, Unit, replay

OLD = """\
rubric "执行评分" {
  total 10
  round total 2 half_up
  grade 优秀 >= 9
  grade 良好 >= 7
  grade 差   otherwise
}

input 执行率: percent >= 0
input 评价: score

indicator 预算执行率 6 {
  bands 执行率 {
    >= 90%     -> 6
    [80%, 90%) -> 4
    < 80%      -> 2
  }
}
indicator 评价 4 { judgment }
"""

# The threshold of the top band moves up to 95%, and the middle band gives 5, not 4.
NEW = OLD.replace(">= 90%     -> 6\n    [80%, 90%) -> 4", ">= 95%     -> 6\n    [80%, 95%) -> 5")

DATA = """\
id,执行率,评价
甲,95%,4
乙,92%,4
丙,91%,3
丁,85%,4
戊,92%,1
己,70%,4
庚,abc,4
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def files(tmp_path: Path, new: str = NEW, data: str = DATA) -> tuple[str, str, str]:
    paths = []
    for name, text in (("old.rule", OLD), ("new.rule", new), ("data.csv", data)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths[0], paths[1], paths[2]


def test_a_threshold_change_moves_some_grades_and_exits_1(tmp_path: Path) -> None:
    old, new, data = files(tmp_path)
    code, out, _ = run("diff", "--replay", data, old, new)
    assert code == 1
    replayed = out.split(f"用 {data} 重算\n\n", 1)[1].splitlines()
    assert replayed == [
        "单位  原总分  新总分  原等次  新等次  得分变化的指标",
        "─" * 52,
        "乙    10.00   9.00    优秀    优秀    预算执行率 6 → 5",
        "丙    9.00    8.00    优秀    良好    预算执行率 6 → 5",
        "丁    8.00    9.00    良好    优秀    预算执行率 4 → 5",
        "戊    7.00    6.00    良好    差      预算执行率 6 → 5",
        "",
        "7 个单位中 3 个等次变化：2 个降低，1 个提高；4 个得分变化；1 个两版均无法评分",
    ]
    code, out, _ = run("diff", "--lang", "en", "--replay", data, old, new)
    assert code == 1
    assert out.splitlines()[-1] == "3 of 7 units change grade: 2 down, 1 up; 4 change score; 1 refused by both"


def test_no_grade_changes_exit_0_though_the_rubrics_differ(tmp_path: Path) -> None:
    old, new, data = files(tmp_path, new=OLD.replace("< 80%      -> 2", "< 80%      -> 2.5"))
    assert run("diff", old, new)[0] == 1  # they differ
    code, out, _ = run("diff", "--lang", "en", "--replay", data, old, new)
    assert code == 0
    assert out.splitlines()[-1] == "0 of 7 units change grade: 0 down, 0 up; 1 change score; 1 refused by both"
    assert "己    6.00       6.50       差         差         预算执行率 2 → 2.5" in out


def test_units_refused_by_one_version_are_listed_and_exit_1(tmp_path: Path) -> None:
    added = OLD.replace("input 评价: score", "input 评价: score\ninput 公开: bool").replace(
        "indicator 评价 4 { judgment }", "indicator 评价 3 { judgment }\nindicator 公开 1 { award 1 if 公开 }"
    )
    old, new, data = files(tmp_path, new=added, data="id,执行率,评价\n甲,95%,3\n")
    code, out, _ = run("diff", "--lang", "en", "--replay", data, old, new)
    assert code == 1
    assert "Could not be scored:\n  甲: refused by the new version: PF501: missing input `公开`" in out
    assert out.splitlines()[-1] == "0 of 1 units change grade: 0 down, 0 up; 1 refused by the new version only"
    code, out, _ = run("diff", "--replay", data, new, old)  # the other way round
    assert code == 1
    assert "甲：原版无法评分：PF501" in out
    assert out.splitlines()[-1] == "1 个单位中 0 个等次变化：0 个降低，0 个提高；1 个原版无法评分"


@pytest.mark.parametrize(
    ("lang", "said"),
    [("zh", "（加 --replay 时：没有单位等次变化，且两版能评分的单位相同、至少一个）"),
     ("en", "(with --replay: when no unit changes grade and both versions score the same units, at least one)")],
)  # fmt: skip
def test_the_help_says_a_unit_one_version_refuses_exits_1(lang: str, said: str, capsys: pytest.CaptureFixture[str]) -> None:
    # The help said exit 0 "with --replay: when no unit changes grade", where a unit only one
    # version scores exits 1 with no grade changed (the test above).
    assert main(["--lang", lang, "diff", "--help"]) == 0
    words = capsys.readouterr().out.split()
    assert ("".join(said.split()) in "".join(words)) if lang == "zh" else (said in " ".join(words))


@pytest.mark.parametrize(("data", "lang", "said"), [
    ("id,执行率,评价\n", "zh", "data.csv 中没有任何记录：无从比较"),
    ("id,执行率,评价\n", "en", "data.csv holds no record: nothing was compared"),
    ("id,执行率,评价\n甲,良好,优\n乙,优秀,良\n", "zh", "没有一个单位能由任一版评分：无从比较（如 甲：PF502: 输入项 `执行率`：\"良好\" 不是百分比；"
     "PF502: 输入项 `评价`：\"优\" 不是评价分）"),
    ("id,执行率,评价\n甲,良好,优\n乙,优秀,良\n", "en", "no unit could be scored by either version: nothing was compared (e.g. 甲: "
     "PF502: input `执行率`: \"良好\" is not a percent; PF502: input `评价`: \"优\" is not a score)"),
])  # fmt: skip
def test_a_replay_that_scored_no_unit_says_so_and_exits_1(tmp_path: Path, data: str, lang: str, said: str) -> None:
    """A DATA of no records, or one every record of which both versions refuse (the results
    given for the data), exited 0, as if no grade changed: a check passed comparing nothing."""
    old, new, path = files(tmp_path, data=data)
    code, out, _ = run("diff", "--lang", lang, "--replay", path, old, new)
    assert code == 1
    assert out.splitlines()[-1] == said.replace("data.csv", path)
    code, out, _ = run("diff", "--format", "json", "--replay", path, old, new)
    assert code == 1 and json.loads(out)["replay"]["compared"] == 0


def test_json_replay_schema(tmp_path: Path) -> None:
    old, new, data = files(tmp_path, data="id,执行率,评价\n丙,91%,3\n庚,abc,4\n")
    code, out, _ = run("diff", "--format", "json", "--lang", "en", "--replay", data, old, new)
    assert code == 1
    found = json.loads(out)
    assert sorted(found) == ["changes", "extends", "new", "old", "replay", "version"]
    assert found["replay"] == {
        "records": 2, "score_changed": 1, "grade_changed": 1, "down": 1, "up": 0, "other": 0,
        "refused_old_only": 0, "refused_new_only": 0, "refused_both": 1, "compared": 1,
        "summary": "1 of 2 units change grade: 1 down, 0 up; 1 change score; 1 refused by both",
        "units": [{
            "id": "丙", "row": 2, "grade": "down",
            "old": {"total": 9.0, "grade": "优秀", "error": None},
            "new": {"total": 8.0, "grade": "良好", "error": None},
            "rows": [{"name": "预算执行率", "old_name": None, "kind": None, "old": 6, "new": 5,
                      "old_applies": True, "new_applies": True, "old_mode": None, "new_mode": None}], "vetoes": [],
            "header": [],
        }],
    }  # fmt: skip
    assert [c["part"] for c in found["changes"]] == [["band", 1, "edges"], ["band", 2, "points", "edges"]]


def test_replay_api_pairs_a_renamed_row_with_its_old_self() -> None:
    renamed = NEW.replace("indicator 预算执行率 6", "indicator 预算执行比率 6")
    rows = [Row(2, "丙", {"执行率": "91%", "评价": 3}), Row(3, "甲", {"执行率": "95%", "评价": 4})]
    found = replay(pingfen.loads(OLD), pingfen.loads(renamed), rows, lang="en")
    assert found.units == [
        Unit(
            "丙", 2, Outcome(Decimal("9.00"), "优秀"), Outcome(Decimal("8.00"), "良好"),
            (RowChange("预算执行比率", Decimal(6), Decimal(5), old_name="预算执行率"),), "down",
        )
    ]  # fmt: skip
    assert (found.records, found.grade_changed, found.down, found.score_changed) == (2, 1, 1, 1)


def test_a_single_record_file_is_replayed(tmp_path: Path) -> None:
    old, new, _ = files(tmp_path)
    record = tmp_path / "丁.yaml"
    record.write_text('id: 丁\n执行率: "85%"\n评价: 4\n', encoding="utf-8")
    code, out, _ = run("diff", "--lang", "en", "--replay", str(record), old, new)
    assert code == 1
    assert out.splitlines()[-1] == "1 of 1 units change grade: 0 down, 1 up; 1 change score"


def test_an_unreadable_data_file_exits_2(tmp_path: Path) -> None:
    old, new, _ = files(tmp_path)
    code, _, err = run("diff", "--lang", "en", "--replay", str(tmp_path / "missing.csv"), old, new)
    assert code == 2 and "Traceback" not in err and err


def test_grade_renamed_at_the_same_rank_is_neither_up_nor_down() -> None:
    renamed = OLD.replace("grade 良好 >= 7", "grade 良 >= 7")
    found = replay(pingfen.loads(OLD), pingfen.loads(renamed), [Row(2, "丁", {"执行率": "85%", "评价": 4})])
    assert (found.grade_changed, found.other, found.up, found.down) == (1, 1, 0, 0)
    assert found.summary("zh") == "1 个单位中 1 个等次变化：0 个降低，0 个提高，1 个等次名称变化"
    assert found.summary("en") == "1 of 1 units change grade: 0 down, 0 up, 1 renamed"
    assert found.grades_differ and not Replay().grades_differ


def test_a_row_that_changed_by_a_hair_shows_its_digits() -> None:
    """固定资产利用率 1 → 1 for a unit whose total dropped 0.01: two decimals hid the change."""
    from pingfen.diffview import _row_change

    assert _row_change(RowChange("固定资产利用率", Decimal(3), Decimal("2.995")), "zh") == "固定资产利用率 3 → 2.995"


def test_a_row_that_does_not_apply_is_shown_not_applicable() -> None:
    """A row the new version lets drop out (applies … else rescale) was shown with what it
    counts as, "评价 3 → 0", as if it scored 0 (the total went up: 折算); and one that scored
    0 before and drops out now was not listed at all, though the total moved by it."""
    new = OLD.replace("indicator 评价 4 { judgment }", "indicator 评价 4 {\n  applies if 执行率 < 100% else rescale\n  judgment\n}")
    rows = [Row(2, "甲", {"执行率": "100%", "评价": 3}), Row(3, "乙", {"执行率": "100%", "评价": 0})]
    found = replay(pingfen.loads(OLD), pingfen.loads(new), rows)
    assert [u.rows for u in found.units] == [
        (RowChange("评价", Decimal(3), Decimal(0), new_applies=False),),
        (RowChange("评价", Decimal(0), Decimal(0), new_applies=False),),
    ]
    text = render_replay(found, "data.csv", "zh")
    assert "评价 3 → 不适用" in text and "评价 0 → 不适用" in text
    assert "评价 3 → N/A" in render_replay(found, "data.csv", "en")


def test_a_row_that_applies_under_neither_version_shows_what_it_counts_as(tmp_path: Path) -> None:
    """`applies if 执行率 < 100% else full` in both, the new version raising 评价's max 4 → 5:
    the total moved 10 → 11 by what 评价 counts as, shown "评价 不适用 → 不适用", as if nothing moved."""
    applies = "indicator 评价 {} {{\n  applies if 执行率 < 100% else full\n  judgment\n}}"
    old = OLD.replace("indicator 评价 4 { judgment }", applies.format(4))
    new = old.replace("total 10", "total 11").replace("indicator 评价 4 {", "indicator 评价 5 {")
    found = replay(pingfen.loads(old), pingfen.loads(new), [Row(2, "甲", {"执行率": "100%", "评价": 3})])
    assert [u.rows for u in found.units] == [
        (RowChange("评价", Decimal(4), Decimal(5), old_applies=False, new_applies=False, old_mode="full", new_mode="full"),)
    ]
    assert "评价 不适用（4） → 不适用（5）" in render_replay(found, "data.csv", "zh")
    assert "评价 N/A (4) → N/A (5)" in render_replay(found, "data.csv", "en")
    assert "评价 3 → 不适用" in render_replay(replay(pingfen.loads(OLD), pingfen.loads(new),
                                                   [Row(2, "甲", {"执行率": "100%", "评价": 3})]), "data.csv", "zh")
    for name, text in (("old.rule", old), ("new.rule", new), ("data.csv", "id,执行率,评价\n甲,100%,3\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    _, out, _ = run("diff", "--format", "json", "--replay", *(str(tmp_path / n) for n in ("data.csv", "old.rule", "new.rule")))
    assert json.loads(out)["replay"]["units"][0]["rows"] == [
        {"name": "评价", "old_name": None, "kind": None, "old": 4, "new": 5, "old_applies": False, "new_applies": False,
         "old_mode": "full", "new_mode": "full"}
    ]  # fmt: skip



def test_a_row_whose_not_applicable_mode_changes_is_listed(tmp_path: Path) -> None:
    """`applies if 执行率 < 100% else rescale` made `… else zero`: 评价 does not apply under
    either version and counts 0 under both, so it was not listed, though the total went 10 → 6
    (no longer re-scaled over 预算执行率 alone) and no row said why. It is shown with what it
    counts as under each: 不适用（折算） → 不适用（计 0 分）."""
    applies = "indicator 评价 4 {{\n  applies if 执行率 < 100% else {}\n  judgment\n}}"
    old = OLD.replace("indicator 评价 4 { judgment }", applies.format("rescale"))
    new = OLD.replace("indicator 评价 4 { judgment }", applies.format("zero"))
    found = replay(pingfen.loads(old), pingfen.loads(new), [Row(2, "甲", {"执行率": "100%", "评价": 3})])
    assert [(u.old.total, u.new.total) for u in found.units] == [(Decimal("10.00"), Decimal("6.00"))]
    assert "评价 不适用（折算） → 不适用（计 0 分）" in render_replay(found, "data.csv", "zh")
    assert "评价 N/A (rescaled) → N/A (counts 0)" in render_replay(found, "data.csv", "en")
    assert [u.rows for u in found.units] == [
        (RowChange("评价", Decimal(0), Decimal(0), old_applies=False, new_applies=False, old_mode="rescale", new_mode="zero"),)
    ]
    full = OLD.replace("indicator 评价 4 { judgment }", applies.format("full"))  # its score moved too: what each counts as
    moved = replay(pingfen.loads(full), pingfen.loads(new), [Row(2, "甲", {"执行率": "100%", "评价": 3})])
    assert "评价 不适用（计 4 分） → 不适用（计 0 分）" in render_replay(moved, "data.csv", "zh")
    for name, text in (("old.rule", old), ("new.rule", new), ("data.csv", "id,执行率,评价\n甲,100%,3\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    _, out, _ = run("diff", "--format", "json", "--replay", *(str(tmp_path / n) for n in ("data.csv", "old.rule", "new.rule")))
    assert json.loads(out)["replay"]["units"][0]["rows"] == [
        {"name": "评价", "old_name": None, "kind": None, "old": 0, "new": 0, "old_applies": False, "new_applies": False,
         "old_mode": "rescale", "new_mode": "zero"}
    ]  # fmt: skip


def test_a_row_inside_a_group_that_does_not_apply_counts_as_the_group_says() -> None:
    """An indicator left out with its group counts as the group's `applies` says, not as its own
    (`else full`): the group's mode changed, so the indicator is listed with it."""
    grouped = """\
rubric "分组" {
  total 10
}
input 有项目: bool
input 评价: score

indicator 基础 6 { award 6 if 有项目 or not 有项目 }
group 项目 4 {
  applies if 有项目 else MODE
  indicator 评价 4 {
    applies else full
    judgment
  }
}
"""
    old, new = (pingfen.loads(grouped.replace("MODE", m)) for m in ("rescale", "zero"))
    found = replay(old, new, [Row(2, "甲", {"有项目": "否", "评价": 3})])
    assert [[(r.name, r.old_mode, r.new_mode) for r in u.rows] for u in found.units] == [
        [("评价", "rescale", "zero")]
    ]
    assert "评价 不适用（折算） → 不适用（计 0 分）" in render_replay(found, "data.csv", "zh")


# ---------------------------------------------------------------- values across the batch

PRICED = """\
rubric "价格评分" {
  total 10
  round total 2 half_up
  grade 优秀 >= 9
  grade 良好 >= 7
  grade 差   otherwise
}

input 报价: amount > 0
input 评价: score
let 基准价 = batch min(报价)

indicator 价格 5 { score = 基准价 / 报价 * 5 }
indicator 评价 5 { judgment }
"""

PRICES = "id,报价,评价\n甲,100,5\n乙,120,4\n丙,150,4\n丁,abc,4\n"


def _totals(path: str, data: str) -> dict[str, str]:
    """What `pingfen eval` gives each unit: its total and grade, from its CSV output."""
    code, out, _ = run("eval", path, data)
    assert code in (0, 1)
    lines = [line.split(",") for line in out.strip().splitlines()[1:]]
    return {cells[0]: f"{cells[-3]} {cells[-2]}" for cells in lines if cells[-3]}


def test_a_value_across_the_batch_is_replayed_as_eval_scores_it(tmp_path: Path) -> None:
    """Every unit of a rubric with `batch min(…)` was refused (3 个两版均无法评分): each row
    was scored alone, without the value the batch gives it."""
    old, new, data = files(tmp_path, new=PRICED.replace("batch min", "batch max"), data=PRICES)
    Path(old).write_text(PRICED, encoding="utf-8")
    code, out, _ = run("diff", "--replay", data, old, new)
    assert code == 1
    assert out.split(f"用 {data} 重算\n\n", 1)[1].splitlines() == [
        "单位  原总分  新总分  原等次  新等次  得分变化的指标",
        "─" * 52,
        "乙    8.17    9.00    良好    优秀    价格 4.17 → 5",
        "丙    7.33    9.00    良好    优秀    价格 3.33 → 5",
        "",
        "4 个单位中 2 个等次变化：0 个降低，2 个提高；2 个得分变化；1 个两版均无法评分",
    ]
    code, out, _ = run("diff", "--format", "json", "--replay", data, old, new)
    units = {u["id"]: u for u in json.loads(out)["replay"]["units"]}
    before, after = _totals(old, data), _totals(new, data)  # what eval gives each unit
    assert before["甲"] == after["甲"] == "10.00 优秀"  # the same under both: not listed
    for unit in ("乙", "丙"):
        assert f"{units[unit]['old']['total']:.2f} {units[unit]['old']['grade']}" == before[unit]
        assert f"{units[unit]['new']['total']:.2f} {units[unit]['new']['grade']}" == after[unit]


def test_replay_api_gives_the_batch_its_values_too() -> None:
    rows = [Row(2, "甲", {"报价": 100, "评价": 5}), Row(3, "乙", {"报价": 200, "评价": 5})]
    found = replay(pingfen.loads(PRICED), pingfen.loads(PRICED.replace("batch min", "batch max")), iter(rows))
    assert (found.records, found.refused_both, found.score_changed) == (2, 0, 1)
    assert [(u.id, u.old.total, u.new.total, u.rows) for u in found.units] == [
        ("乙", Decimal("7.50"), Decimal("10.00"), (RowChange("价格", Decimal("2.5"), Decimal(5)),))
    ]


# ---------------------------------------------------------------- rows after the tree, and vetoes

OUTSIDE = OLD.replace("input 评价: score", "input 评价: score\ninput 创新数: count\ninput 违规数: count\ninput 重大违规: bool") + """
bonus 创新 2 { award 2 if 创新数 > 0 }
penalty 违规扣分 3 { deduct 1 per 违规数 }
veto 重大违规 if 重大违规 -> zero
"""

OUTSIDE_DATA = "id,执行率,评价,创新数,违规数,重大违规\n甲,95%,4,1,0,否\n乙,95%,4,0,1,否\n丙,95%,4,0,0,是\n"


def test_a_bonus_penalty_or_veto_that_changed_is_named(tmp_path: Path) -> None:
    """A unit whose total changed by its bonus row was listed with 得分变化的指标 —."""
    new = (OUTSIDE.replace("award 2 if 创新数 > 0", "award 1 if 创新数 > 0")
           .replace("deduct 1 per 违规数", "deduct 2 per 违规数").replace("-> zero", "-> grade 差"))  # fmt: skip
    old, new, data = files(tmp_path, new=new, data=OUTSIDE_DATA)
    Path(old).write_text(OUTSIDE, encoding="utf-8")
    code, out, _ = run("diff", "--replay", data, old, new)
    assert code == 1
    assert out.split(f"用 {data} 重算\n\n", 1)[1].splitlines()[2:5] == [
        "甲    12.00   11.00   优秀    优秀    创新 2 → 1",
        "乙    9.00    8.00    优秀    良好    违规扣分 -1 → -2",
        "丙    0.00    10.00   差      差      一票否决“重大违规”：总分计0分 → 评为差",
    ]
    code, out, _ = run("diff", "--lang", "en", "--replay", data, old, new)
    assert "veto 重大违规: the total is 0 → graded 差" in out
    code, out, _ = run("diff", "--format", "json", "--replay", data, old, new)
    units = json.loads(out)["replay"]["units"]
    assert [u["rows"] for u in units[:2]] == [
        [{"name": "创新", "old_name": None, "kind": "bonus", "old": 2, "new": 1, "old_applies": True, "new_applies": True,
          "old_mode": None, "new_mode": None}],
        [{"name": "违规扣分", "old_name": None, "kind": "penalty", "old": -1, "new": -2, "old_applies": True, "new_applies": True,
          "old_mode": None, "new_mode": None}],
    ]
    assert units[2]["vetoes"] == [{"name": "重大违规", "old": {"action": "zero", "grade": None},
                                   "new": {"action": "grade", "grade": "差"}}]  # fmt: skip


def test_a_veto_removed_is_named_for_the_units_it_held_for() -> None:
    rows = [Row(2, "丙", {"执行率": "95%", "评价": 4, "创新数": 0, "违规数": 0, "重大违规": "是"})]
    found = replay(pingfen.loads(OUTSIDE), pingfen.loads(OUTSIDE.replace("veto 重大违规 if 重大违规 -> zero\n", "")), rows)
    (unit,) = found.units
    assert (unit.rows, unit.vetoes[0].name, unit.vetoes[0].new) == ((), "重大违规", None)
    assert unit.vetoes[0].old is not None and unit.vetoes[0].old.action == "zero"


def test_a_change_of_the_grades_cap_or_rounding_alone_is_named(tmp_path: Path) -> None:
    """A unit moved by the header alone showed `—` in the rows column: nothing said why."""
    unit = {"执行率": "95%", "创新数": 0, "违规数": 0, "重大违规": "否"}  # 8.4, 9.125 and 12 capped at 10:
    rows = [Row(2, "甲", {**unit, "评价": "2.4"}), Row(3, "乙", {**unit, "评价": "3.125"}),
            Row(4, "丙", {**unit, "评价": "4", "创新数": 1})]  # fmt: skip
    capped = OUTSIDE.replace("  round total 2 half_up", "  round total 2 half_up\n  cap total 10")
    cases = [  # (new version, the units it moves: id, zh, en)
        (capped.replace("grade 优秀 >= 9", "grade 优秀 >= 8.3"), [("甲", "等次线变化", "grade lines changed")]),
        (capped.replace("round total 2 half_up", "round total 0 half_up"),
         [("甲", "保留位数 2 → 0", "rounding 2 → 0"), ("乙", "保留位数 2 → 0", "rounding 2 → 0")]),
        (capped.replace("round total 2 half_up", "round total 1 down"),
         [("乙", "保留位数 2 half_up → 1 down", "rounding 2 half_up → 1 down")]),
        (capped.replace("cap total 10", "cap total 11"), [("丙", "封顶 10 → 11", "cap 10 → 11")]),
        (capped.replace("  cap total 10\n", ""), [("丙", "封顶 10 → —", "cap 10 → —")]),
    ]
    for new, moved in cases:
        found = replay(pingfen.loads(capped), pingfen.loads(new), rows)
        shown = {u.id: u for u in found.units}
        assert sorted(shown) == sorted(m[0] for m in moved), new
        for unit_id, zh, en in moved:
            line = next(line for line in render_replay(found, "d.csv").splitlines() if line.startswith(unit_id))
            assert line.endswith(f"  {zh}"), line
            assert any(line.endswith(f"  {en}") for line in render_replay(found, "d.csv", "en").splitlines())
    found = replay(pingfen.loads(capped), pingfen.loads(cases[0][0]), rows)
    assert found.units[0].direction == "up" and found.units[0].rows == ()
    assert found.to_dict("zh")["units"][0]["header"] == [{"part": "grades", "old": None, "new": None}]  # type: ignore[index]
    found = replay(pingfen.loads(capped), pingfen.loads(cases[3][0]), rows)
    assert found.units[0].to_dict("en")["header"] == [{"part": "cap", "old": "10", "new": "11"}]


def test_a_grades_change_beside_a_row_that_moved_the_grade_is_not_named() -> None:
    """The row explains it: the new grade lines give its new total the same grade as the old ones."""
    new = NEW.replace("grade 良好 >= 7", "grade 良好 >= 6")
    found = replay(pingfen.loads(OLD), pingfen.loads(new), [Row(2, "丁", {"执行率": "85%", "评价": 4})])
    (unit,) = found.units
    assert (unit.old.grade, unit.new.grade, unit.header) == ("良好", "优秀", ())
    assert [r.name for r in unit.rows] == ["预算执行率"]

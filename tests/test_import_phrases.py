"""The 评分标准 recogniser (`pingfen.phrases`), phrase by phrase: what each kind of wording
becomes, with its full- and half-width variants and stray line breaks."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from pingfen.phrases import Reading, normalise, read_criterion


def read(text: str, indicator: str = "指标", points: str = "5") -> Reading:
    names: set[str] = set()

    def namer(wished: str) -> str:
        assert wished not in names
        names.add(wished)
        return wished

    return read_criterion(text, indicator, Decimal(points), namer)


def test_normalise_folds_width_signs_and_line_breaks() -> None:
    assert normalise("≥９５％，\n计４分；≦１００%") == ">=95%,计4分;<=100%"
    assert normalise("80%（含）－90%") == "80%(含)-90%"


# ---------------------------------------------------------------- per-point deductions


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("以100%为标准。在职人员控制率≦100%，计5分；每超过一个百分点扣0.5分，扣完为止。",
         "deduct 0.5 per 1pp of 在职人员控制率 above 100% counting proportional"),
        ("“三公经费”变动率≦0，计5分；“三公经费”＞0，每超过一个百分点扣0.5分，扣完为止。",
         "deduct 0.5 per 1pp of “三公经费”变动率 above 0 counting proportional"),
        ("政府采购执行率等于100%的，得3分；每减少一个百分点，扣0.2分，扣完为止。",
         "deduct 0.2 per 1pp of 政府采购执行率 below 100% counting proportional"),
        ("公务卡刷卡率达50％以上的，得3分。每减少一个百分点，扣0.2分，扣完为止。",
         "deduct 0.2 per 1pp of 公务卡刷卡率 below 50% counting proportional"),
        ("每低于100%一个百分点扣0.1分，扣完为止。", "deduct 0.1 per 1pp of 指标 below 100% counting proportional"),
        ("以100%为目标，每相差3%扣1分", "deduct 1 per 3pp of 指标 from 100% counting proportional"),
        ("执行率≥90%得满分，每低于1个百分点扣0.5分，不足一个百分点的按一个百分点计算",
         "deduct 0.5 per 1pp of 执行率 below 90% counting started"),
        ("执行率＞＝90％得满分；每低于\n1个百分点\n扣0.5分，不足1个百分点的按1个百分点计",
         "deduct 0.5 per 1pp of 执行率 below 90% counting started"),
        ("完成率≥100%得满分；每下降两个百分点扣1分（满一个百分点才计）", "deduct 1 per 2pp of 完成率 below 100% counting whole"),
    ],
)  # fmt: skip
def test_per_point_deductions(text: str, rule: str) -> None:
    stated = re.search(r"[得计](\d+)分", text)  # the row's 分值 is the full points its text states
    reading = read(text, points=stated[1] if stated else "5")
    assert reading.kind == "step"
    assert reading.rules == (rule,)
    assert reading.inputs[0].type == "percent"


def test_a_change_rate_may_be_negative_and_other_rates_not() -> None:
    assert read("“三公经费”变动率≦0，计5分；每超过一个百分点扣0.5分").inputs[0].bounds == ""
    assert read("执行率≥90%，每低于一个百分点扣0.5分").inputs[0].bounds == ">= 0"


# ---------------------------------------------------------------- bands


def test_bands_with_marked_ends() -> None:
    reading = read("重点支出安排率≥90%，计5分；80%（含）-90%，计4分；70%（含）-80%，计3分；60%（含）-70%，计2分；低于60%不得分。")
    assert reading.kind == "bands"
    assert reading.rules == ("bands 重点支出安排率 {", "  >= 90% -> 5", "  [80%, 90%) -> 4", "  [70%, 80%) -> 3",
                             "  [60%, 70%) -> 2", "  < 60% -> 0", "}")  # fmt: skip


def test_bands_with_upper_ends_marked_and_a_zero() -> None:
    reading = read("预算调整率=0，计3分；0-10%（含），计2分；10-20%（含），计1分；20-30%（含），计0.5分；大于30%不得分。")
    assert reading.rules[1:-1] == ("  = 0 -> 3", "  (0, 10%] -> 2", "  (10%, 20%] -> 1", "  (20%, 30%] -> 0.5",
                                   "  > 30% -> 0")  # fmt: skip


def test_bands_with_yishang_and_no_subject_take_the_indicator_name() -> None:
    reading = read("95%（含）以上计5分；85%（含）-95%，计3分；75%（含）-85%，计1分；低于75%计0分。", "满意度")
    assert reading.rules == ("bands 满意度 {", "  >= 95% -> 5", "  [85%, 95%) -> 3", "  [75%, 85%) -> 1",
                             "  < 75% -> 0", "}")  # fmt: skip
    assert reading.inputs[0].bounds == ">= 0 and <= 100%"


def test_bands_half_width_and_line_breaks() -> None:
    reading = read("≥95%,计4分;\n85%(含)-95%,计3分;\n75%(含)-85%,计2分;低于75%不得分")
    assert reading.rules[1:-1] == ("  >= 95% -> 4", "  [85%, 95%) -> 3", "  [75%, 85%) -> 2", "  < 75% -> 0")


@pytest.mark.parametrize(
    ("text", "bands"),
    [
        ("执行率≥90%，计5分；≥80%，计4分；＜80%，不得分", (">= 90% -> 5", "[80%, 90%) -> 4", "< 80% -> 0")),
        ("执行率≥90%计5分；≥80%计4分；≥70%计2分；其他不得分",
         (">= 90% -> 5", "[80%, 90%) -> 4", "[70%, 80%) -> 2", "else -> 0")),
        ("执行率>90%计5分，>80%计3分，其他不得分", ("> 90% -> 5", "(80%, 90%] -> 3", "else -> 0")),
        ("偏差率≤5%，得5分；≤10%，得3分；>10%，不得分", ("<= 5% -> 5", "(5%, 10%] -> 3", "> 10% -> 0")),
    ],
)  # fmt: skip
def test_bands_written_cumulatively_are_read_as_the_ordered_bands_they_mean(text: str, bands: tuple[str, ...]) -> None:
    """≥90% → 5; ≥80% → 4 overlapped (PF402): the second is what the first leaves, [80%, 90%)."""
    reading = read(text)
    assert reading.kind == "bands" and reading.notes == ()
    assert tuple(line.strip() for line in reading.rules[1:-1]) == bands


def test_a_range_joined_by_zhi_is_read_as_one_joined_by_a_dash() -> None:
    """80%（含）至90%, as tables often write a range, left the row a TODO judgment."""
    reading = read("重点支出安排率≥90%，计5分；80%（含）至90%，计4分；60%（含）至80%（不含），计2分；低于60%，不得分。")
    assert reading.kind == "bands" and reading.notes == ()
    assert reading.rules[1:-1] == ("  >= 90% -> 5", "  [80%, 90%) -> 4", "  [60%, 80%) -> 2", "  < 60% -> 0")


def test_a_range_marking_neither_end_is_read_lower_inclusive_with_a_note() -> None:
    reading = read("≥90%得5分；80%-90%得3分；低于80%不得分")
    assert reading.rules[2] == "  [80%, 90%) -> 3"
    assert reading.notes


# ---------------------------------------------------------------- counted deductions


@pytest.mark.parametrize(
    ("text", "name", "rate"),
    [
        ("每出现一例扣1分", "指标问题例数", "1"),
        ("以上情况每出现一例不符合要求的扣1分，扣完为止。", "指标不符合要求例数", "1"),
        ("每出现一个专项未按进度完成资金下达扣0.5分，扣完为止。", "专项未按进度完成资金下达个数", "0.5"),
        ("每发现一次违规使用资金的，扣２分", "违规使用资金次数", "2"),
    ],
)  # fmt: skip
def test_counted_deductions(text: str, name: str, rate: str) -> None:
    reading = read(text)
    assert reading.kind == "count"
    assert reading.rules == (f"deduct {rate} per {name}",)
    assert reading.inputs[0].type == "count"


# ---------------------------------------------------------------- checklists


def test_checklist_with_points_per_item() -> None:
    reading = read("①按规定内容公开预决算信息，1分；②按规定时限公开预决算信息，0.5分；③基础数据信息和会计信息资料真实，0.5分。")
    assert reading.kind == "checklist"
    assert reading.rules == ("award 1 if 按规定内容公开预决算信息", "award 0.5 if 按规定时限公开预决算信息",
                             "award 0.5 if 基础数据信息和会计信息资料真实")  # fmt: skip
    assert [i.type for i in reading.inputs] == ["bool"] * 3


def test_checklist_each_item_one_point_and_names_from_the_first_clause() -> None:
    reading = read("①制度健全，有书面文件；②相关管理制度合法、合规、完整；③制度得到有效执行，每项得1分")
    assert reading.rules == ("award 1 if 制度健全", "award 1 if 相关管理制度合法合规完整", "award 1 if 制度得到有效执行")
    assert reading.inputs[0].description == "制度健全，有书面文件".replace("，", ",")


def test_a_list_without_points_is_not_a_checklist() -> None:
    assert read("①资产保存完整；②资产配置合理。").kind == "todo"


@pytest.mark.parametrize(
    "text",
    [
        "①按规定内容公开，1分；②按规定时限公开，1分。未公开的不得分",
        "①按规定内容公开，1分；②按规定时限公开，1分；否则不得分。",
        "①按规定内容公开；②按规定时限公开，每项得1分。均未公开的，不得分",
    ],
)
def test_a_checklist_closing_with_what_an_item_not_met_gives(text: str) -> None:
    """The closing sentence made it a `match` on labels ①按规定内容公开, ②…, 未公开: max 1 of 2."""
    reading = read(text, "信息公开", "2")
    assert reading.kind == "checklist"
    assert reading.rules == ("award 1 if 按规定内容公开", "award 1 if 按规定时限公开")


@pytest.mark.parametrize(
    "text",
    [
        "①按规定内容公开，1分；②按规定时限公开，1分。未按时报送材料的不得分",  # another condition: not the items'
        "①按规定内容公开，1分；②按规定时限公开，1分。存在重大错误的，该项不得分",
    ],
)
def test_a_checklist_closing_with_another_rule_is_left_to_a_person(text: str) -> None:
    assert read(text, "信息公开", "2").kind == "todo"


def test_items_marked_1_2_are_never_labels() -> None:
    assert read("①公开的，得1分；②未公开的，不得分", "信息公开", "1").kind == "todo"


# ---------------------------------------------------------------- labels


def test_labels() -> None:
    reading = read("健全的得10分，基本健全的得6分，不健全的不得分", "制度建设", "10")
    assert reading.kind == "labels"
    assert reading.inputs[0].type == "label"
    assert reading.inputs[0].labels == ("健全", "基本健全", "不健全")
    assert reading.rules == ("match 制度建设情况 {", "  健全 -> 10", "  基本健全 -> 6", "  不健全 -> 0", "}")


def test_labels_with_commas_inside() -> None:
    reading = read("无结余，3分；有结余，但不超过上年结转，2分；结余超过上年结转，不得分。", "资金结余", "3")
    assert reading.inputs[0].labels == ("无结余", "有结余但不超过上年结转", "结余超过上年结转")


@pytest.mark.parametrize(
    ("text", "labels"),
    [("制度“健全”的得10分，“基本健全”的得6分，“不健全”的不得分。", ("健全", "基本健全", "不健全")),
     ("评价为“优秀”的得10分，评价为“良好”的得6分，其他不得分。", ("优秀", "良好"))],
)  # fmt: skip
def test_a_quoted_label_is_what_the_quotes_hold(text: str, labels: tuple[str, ...]) -> None:
    """The labels kept their quotes (`“基本健全”`, `制度“健全”`): a data file's 健全 was not one of them."""
    reading = read(text, "制度", "10")
    assert reading.kind == "labels" and reading.inputs[0].labels == labels
    assert reading.rules[1] == f"  {labels[0]} -> 10"


@pytest.mark.parametrize(
    ("text", "points"),
    [("已建立相关制度的得2分；制度得到有效执行的得2分。", "4"), ("健全的得3分，基本健全的得2分，不健全的不得分", "5")],
)
def test_clauses_none_of_which_gives_full_marks_are_no_labels(text: str, points: str) -> None:
    """Two items worth 2 each (4 in all) were read as labels, one of them: a unit meeting both
    scored 2, not 4, and the draft held a rule that scores otherwise than its words."""
    reading = read(text, "制度", points)
    assert reading.kind == "todo" and reading.rules == ("judgment",)


# ---------------------------------------------------------------- judgment, and what is not read


@pytest.mark.parametrize(
    "text",
    ["根据工作完成质量酌情扣分", "视情况给分", "部门单位应根据部门实际进行调整，并将其细化成相应的个性化指标。",
     "由各省自行制定"],
)  # fmt: skip
def test_judgment(text: str) -> None:
    reading = read(text, "经济效益")
    assert reading.kind == "judgment"
    assert reading.rules == ("judgment",)
    assert reading.inputs[0].type == "score"


def test_what_nothing_reads_is_a_judgment_not_recognised() -> None:
    reading = read("按上级部门考核结果换算", "考核结果")
    assert not reading.recognised
    assert reading.rules == ("judgment",)


def test_a_deduction_amount_is_not_read_as_points_given() -> None:
    """扣0.5分 is points taken, never a band's points: the text is read as a per-case deduction."""
    assert read("每出现一例扣0.5分；扣完为止").kind == "count"


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("执行率达到100%得10分，每低于1个百分点扣0.2分，低于60%不得分。", "10"),  # a floor
        ("执行率≥90%得5分，每低于1个百分点扣0.5分，低于60%的不得分", "5"),
        ("每出现一例违规扣1分，扣分上限为2分。", "5"),  # a cap on what is taken
        ("每发现1处错误扣0.5分；存在重大错误的，该项不得分。", "3"),  # a case that takes everything
        ("每出现一例扣1分，出现重大违规的该项不得分", "5"),
        ("执行率≥90%得5分，每低于1个百分点扣0.5分，最多扣3分", "5"),
    ],
)
def test_a_text_that_says_more_than_one_reader_reads_is_left_to_a_person(text: str, points: str) -> None:
    """Each was read as its first phrase alone, the rest dropped, the row called recognised:
    a draft that scored otherwise than its words (59% gave 1.8 where the text gives 0)."""
    assert read(text, points=points).kind == "todo"


def test_the_reference_of_steps_is_not_a_formulas_hundred_percent() -> None:
    reading = read("完成率=实际完成数/计划数×100%。完成率≥90%的得5分；每低于1个百分点扣0.5分。", points="5")
    assert reading.rules == ("deduct 0.5 per 1pp of 完成率 below 90% counting proportional",)


@pytest.mark.parametrize(
    "text",
    ["适用时，以5%为基准，每超过1%扣1分，扣完为止。", "适用时，超支率每超过1%扣1分，扣完为止。",
     "发生违规时，每出现一例扣1分，扣完为止。", "执行率≥90%得满分；涉及政府采购时，每低于1个百分点扣0.5分"],
)  # fmt: skip
def test_a_rule_said_to_hold_only_when_something_is_so_is_left_to_a_person(text: str) -> None:
    """A clause saying when the rule holds (适用时，…) was dropped: the step or count read from the
    rest applied on every row, and the row counted as recognised."""
    assert read(text).kind == "todo"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("同时，每出现一例扣1分，扣完为止。", "count"), ("未及时,每出现一例扣1分", "count"),
     ("检查时，每发现一例问题扣1分，扣完为止。", "count"), ("报送超时，每出现一例扣1分，扣完为止。", "count"),
     ("执行率≥90%得满分；每低于1个百分点扣0.5分（统计时，以年末数为准）", "step"),
     ("执行率=实际数/预算数×100%。计算时，以5%为基准，每超过1%扣1分，扣完为止。", "step")],
)  # fmt: skip
def test_a_clause_ending_in_a_word_of_time_is_no_condition(text: str, kind: str) -> None:
    assert read(text).kind == kind

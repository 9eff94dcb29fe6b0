"""Property tests: the 2021 ruleset and random rubrics, and the parser on any text.

Profiles (tests/conftest.py): `ci` 50 derandomized examples, `dev` 200, `fuzz` 5000.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

import pingfen
from pingfen import ast
from pingfen.fuzz import group_score, level_sum
from pingfen.io.records import read_record
from pingfen.reasons import Reason
from strategies import (
    COUNTS_2021,
    JUDGMENTS_2021,
    PERCENTS_2021,
    GenRubric,
    amounts,
    counts,
    percents,
    random_rubrics,
    records_2021,
    rule_texts,
)

D = Decimal
ROOT = Path(__file__).resolve().parents[1]
RUBRIC_2021 = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule")
FULL_MARKS = read_record(ROOT / "examples" / "dept-overall-2021" / "full-marks.json")
CENT = D("0.01")


def grade_2021(total: Decimal) -> str:
    if total >= 90:
        return "优秀"
    if total >= 80:
        return "良好"
    if total >= 60:
        return "中"
    return "差"


def _points(reason: Reason) -> Decimal:
    points = reason.params["points"]
    assert isinstance(points, Decimal)
    return points


def check_structure(
    result: pingfen.Result, places: int = 2, rounding: str = ROUND_HALF_UP, cap: Decimal | None = None,
    module: ast.Module | None = None,
) -> None:
    """Scores within [0, max]; groups add up (rounded where a group says `round N`); the total
    is the rounded raw total."""
    top = module.top if module is not None else ()
    rounds = {g.name.text: g for g, _ in ast.walk_nodes(top) if isinstance(g, ast.Group) and g.round_places}
    lows = {line.node.name: line.low for line in result.outside() if line.low is not None}  # 加减分项: signed
    for node in result.nodes():
        if node.name in lows:
            assert lows[node.name] <= node.score <= node.max, (node.name, node.score, node.max)
            continue
        assert 0 <= node.score <= node.max, (node.name, node.score, node.max)
        if node.clamped == "low":
            assert node.score == 0, node.name
        if node.clamped == "high":
            assert node.score == node.max, node.name
        if node.is_group:
            # maxima of the parts add up to the group's max, so a group never clamps
            assert node.clamped is None, node.name
            if node.applies:  # re-scaled where parts are 不适用 and left out (pingfen.fuzz.level_sum)
                parts = level_sum(node.children, node.max)
                assert parts is not None and node.score == group_score(parts, node.max, rounds.get(node.name)), node.name
        elif not node.applies:  # 不适用: counted as its max or 0, and said so (or its group is)
            assert node.score in (0, node.max), node.name
        else:
            assert node.children == ()
            if node.score == node.max:
                # full marks carry no reasons (nothing was lost), unless `round N` took the score up to
                # them, or a formula gave more than the max and deductions brought it back (both said)
                rounded = any(r.kind == "rounded" for r in node.explanations)
                past = any(r.kind in ("formula", "formula_if") and _points(r) > node.max for r in node.explanations)
                assert node.reasons == [] or node.clamped is not None or rounded or past, (node.name, node.reasons)
            else:
                assert node.reasons, node.name  # points lost are always explained
    tree = level_sum(result.children, result.max)
    assert tree is not None
    bonus = sum((line.node.max for line in result.outside() if line.kind != "penalty"), D(0))
    if result.outside():  # 加分项 and 扣分项 (issue 10): after the tree, in [0, cap]
        tree = max(sum((line.points for line in result.outside()), tree), D(0))  # row by row, as the text reads: at 28 digits the order shows
        tree = min(tree, cap) if cap is not None else tree
    if any(v.action == "zero" for v in result.vetoes()):  # 一票否决: the total is 0
        tree = D(0)
    assert result.raw_total == tree
    assert result.total == result.raw_total.quantize(D(1).scaleb(-places), rounding=rounding)
    assert result.total.as_tuple().exponent == -places
    assert 0 <= result.total <= (cap if cap is not None else result.max + bonus)


def as_percent_strings(record: dict[str, object], names: list[str]) -> dict[str, object]:
    """The same record with each percent written as a `"NN.NN%"` string."""
    out = dict(record)
    for name in names:
        ratio = record[name]
        assert isinstance(ratio, Decimal)
        out[name] = format(ratio * 100, "f") + "%"
    return out


def as_ratio_strings(record: dict[str, object], names: list[str]) -> dict[str, object]:
    return {k: (format(v, "f") if k in names else v) for k, v in record.items()}


# ---------------------------------------------------------------- the 2021 ruleset


@given(records_2021())
def test_2021_structure(record: dict[str, object]) -> None:
    result = RUBRIC_2021.evaluate(record, ratios=True)
    check_structure(result)
    assert result.max == 100
    assert result.grade == grade_2021(result.total)


@given(records_2021())
def test_2021_deterministic(record: dict[str, object]) -> None:
    first = RUBRIC_2021.evaluate(record, ratios=True)
    again = RUBRIC_2021.evaluate(dict(record), ratios=True)
    assert first == again
    assert first.to_json() == again.to_json()
    assert [n.reasons for n in first.nodes()] == [n.reasons for n in again.nodes()]


@given(records_2021())
def test_2021_percent_forms_agree(record: dict[str, object]) -> None:
    ratio = RUBRIC_2021.evaluate(record, ratios=True)
    assert RUBRIC_2021.evaluate(as_percent_strings(record, PERCENTS_2021), ratios=True) == ratio
    assert RUBRIC_2021.evaluate(as_ratio_strings(record, PERCENTS_2021), ratios=True) == ratio


# (input, values, {indicator: +1 if the score never falls as the input rises, -1 if it never rises})
MONOTONE_2021 = [
    ("政府采购执行率", percents(2), {"政府采购执行率": +1}),
    ("公务卡刷卡率", percents(2), {"公务卡刷卡率": +1}),
    ("固定资产利用率", percents(2), {"固定资产利用率": +1}),
    ("重点支出安排率", percents(2), {"重点支出安排率": +1}),
    ("满意度", percents(1), {"社会公众或服务对象满意度": +1}),
    ("预算调整率", percents(2), {"预算调整率": -1}),
    ("在职人数", counts(0, 60), {"财政供养人员控制率": -1}),
    ("编制人数", counts(1, 60), {"财政供养人员控制率": +1}),
    ("本年三公经费", amounts(), {"“三公经费”变动率": -1, "“三公经费”控制率": -1}),
    ("上年三公经费", amounts(1), {"“三公经费”变动率": +1}),
    ("三公经费预算数", amounts(1), {"“三公经费”控制率": +1}),
    ("未按进度下达专项数", counts(), {"支付进度": -1}),
    ("资金使用不合规例数", counts(), {"资金使用合规性": -1}),
    ("资产管理不合规例数", counts(), {"资产管理安全性": -1}),
    ("结余", amounts(), {"资金结余": -1}),
]
assert set(COUNTS_2021) <= {m[0] for m in MONOTONE_2021}


@pytest.mark.parametrize(("name", "values", "indicators"), [pytest.param(*m, id=m[0]) for m in MONOTONE_2021])
def test_2021_monotone(name: str, values: st.SearchStrategy, indicators: dict[str, int]) -> None:
    @given(records_2021(), values, values)
    def prop(record: dict[str, object], a: object, b: object) -> None:
        low, high = sorted([a, b])  # type: ignore[type-var]
        r_low = RUBRIC_2021.evaluate(record | {name: low}, ratios=True)
        r_high = RUBRIC_2021.evaluate(record | {name: high}, ratios=True)
        for indicator, sign in indicators.items():
            s_low, s_high = r_low[indicator].score, r_high[indicator].score
            assert (s_high - s_low) * sign >= 0, (indicator, low, s_low, high, s_high)
        sign = next(iter(set(indicators.values())))
        assert (r_high.raw_total - r_low.raw_total) * sign >= 0

    prop()


@given(records_2021(), percents(1), percents(1))
def test_2021_procurement_below_100_never_rises_as_rate_falls(record: dict, a: Decimal, b: Decimal) -> None:
    """The brief's example: 政府采购执行率 moving further below 100% → score non-increasing,
    and by exactly 0.2 per point while above zero."""
    near, far = max(a, b), min(a, b)
    s_near = RUBRIC_2021.evaluate(record | {"政府采购执行率": near}, ratios=True)["政府采购执行率"].score
    s_far = RUBRIC_2021.evaluate(record | {"政府采购执行率": far}, ratios=True)["政府采购执行率"].score
    assert s_far <= s_near
    assert s_near == max(D(0), 3 - D("0.2") * (1 - near) * 100)


@given(records_2021(), st.integers(0, 60))
def test_2021_more_staff_never_raises_the_score(record: dict, extra: int) -> None:
    base = RUBRIC_2021.evaluate(record, ratios=True)["财政供养人员控制率"].score
    more = RUBRIC_2021.evaluate(record | {"在职人数": record["在职人数"] + extra}, ratios=True)["财政供养人员控制率"].score  # type: ignore[operator]
    assert more <= base


@given(records_2021())
def test_2021_judgments_add_directly(record: dict[str, object]) -> None:
    """A judgment score is the indicator's score, unchanged."""
    result = RUBRIC_2021.evaluate(record, ratios=True)
    for name in JUDGMENTS_2021:
        assert result[name].score == record[name]


# ---------------------------------------------------------------- random rubrics


def _load(gen: GenRubric) -> pingfen.Rubric:
    rubric = pingfen.loads(gen.text)
    assert not [w for w in rubric.warnings if w.severity == "error"]
    return rubric


@given(st.data())
def test_random_rubric_structure(data: st.DataObject) -> None:
    gen = data.draw(random_rubrics(vetoes=False), label="rubric")  # the grade below is the total's alone
    rubric = _load(gen)
    assert rubric.max == gen.total
    record = data.draw(gen.records, label="record")
    result = rubric.evaluate(record, ratios=True)
    check_structure(result, gen.places, gen.rounding, gen.cap, gen.module)
    assert result.max == gen.total
    holds = {">=": D.__ge__, ">": D.__gt__}
    grade = next((name for name, op, at in gen.grades if op is None or holds[op](result.total, at)), None)
    assert result.grade == grade


@given(st.data())
def test_random_rubric_deterministic(data: st.DataObject) -> None:
    gen = data.draw(random_rubrics(), label="rubric")
    record = data.draw(gen.records, label="record")
    first = pingfen.loads(gen.text).evaluate(record, ratios=True)
    assert pingfen.loads(gen.text).evaluate(dict(record), ratios=True) == first
    rubric = pingfen.loads(gen.text)
    assert rubric.evaluate(record, ratios=True) == rubric.evaluate(record, ratios=True)
    assert rubric.evaluate(record, ratios=True).to_json() == first.to_json()


@given(st.data())
def test_random_rubric_percent_forms_agree(data: st.DataObject) -> None:
    gen = data.draw(random_rubrics(), label="rubric")
    record = data.draw(gen.records, label="record")
    rubric = _load(gen)
    ratio = rubric.evaluate(record, ratios=True)
    assert rubric.evaluate(as_percent_strings(record, gen.percent_inputs), ratios=True) == ratio
    assert rubric.evaluate(as_ratio_strings(record, gen.percent_inputs), ratios=True) == ratio


@given(st.data())
def test_random_rubric_deductions_monotone(data: st.DataObject) -> None:
    """Moving a per-point deduction's value away from its reference never raises the
    indicator's score; neither does raising a counted deduction's count."""
    gen = data.draw(random_rubrics(), label="rubric")
    assume(gen.steps or gen.counted)
    rubric = _load(gen)
    record = data.draw(gen.records, label="record")
    for indicator, name, direction, reference in gen.steps:
        d1, d2 = sorted(data.draw(st.lists(percents(2), min_size=2, max_size=2), label=f"distances {name}"))
        if direction == "above":
            side = 1
        elif direction == "below":
            side = -1
        else:
            side = data.draw(st.sampled_from([1, -1]), label="side")
        near, far = reference + side * d1, reference + side * d2
        if min(near, far) < 0:
            continue
        s_near = rubric.evaluate(record | {name: near}, ratios=True)[indicator].score
        s_far = rubric.evaluate(record | {name: far}, ratios=True)[indicator].score
        assert s_far <= s_near, (indicator, direction, reference, near, s_near, far, s_far)
    for indicator, name in gen.counted:
        a, b = sorted(data.draw(st.lists(counts(0, 40), min_size=2, max_size=2), label=f"counts {name}"))
        s_a = rubric.evaluate(record | {name: a}, ratios=True)[indicator].score
        s_b = rubric.evaluate(record | {name: b}, ratios=True)[indicator].score
        assert s_b <= s_a, (indicator, a, s_a, b, s_b)


# ---------------------------------------------------------------- the parser on any text

CODE = re.compile(r"^PF\d{3}$")


def _answer(text: str) -> pingfen.Rubric | pingfen.RubricError:
    try:
        return pingfen.loads(text)
    except pingfen.RubricError as error:
        return error


@given(rule_texts())
@example("")
@example("(" * 3000)
@example('\ufeffrubric "t" { total 1 }')
@example('rubric "t" { total 99999999999999999999999999999999999 }')
@example('rubric "t" { year 2021.5 total 5 round total 2.5 }')
def test_parser_answers_any_text(text: str) -> None:
    check_answer(text)


def check_answer(text: str) -> None:
    answer = _answer(text)
    if isinstance(answer, pingfen.Rubric):
        return
    assert answer.diagnostics, "a RubricError lists at least one diagnostic"
    assert any(d.severity == "error" for d in answer.diagnostics)
    for d in answer.diagnostics:
        assert CODE.match(d.code), d.code
        assert d.severity in ("error", "warning", "note")
        assert d.message("zh") and d.message("en")
        d.render("zh")
        d.render("en")
    assert str(answer)
    answer.render("zh")
    assert isinstance(pingfen.diagnose(text), list)


HEADER = 'rubric "t" { total 1 }\n'


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(HEADER + "let a = " + "(" * 1000 + "1" + ")" * 1000, id="parens-1000"),
        pytest.param(HEADER + "let a = " + "- " * 1000 + "1", id="negations-1000"),
        pytest.param(HEADER + "let a = " + "not " * 1000 + "true", id="nots-1000"),
        pytest.param(HEADER + "let a = 1" + " + 1" * 500, id="sum-of-500-terms"),
        pytest.param(HEADER + "let a = 1" + " + 1" * 3000, id="sum-of-3000-terms"),
        pytest.param(HEADER + "group g 1 {" * 1000 + "}" * 1000, id="groups-nested-1000"),
    ],
)
def test_deep_nesting_is_answered(text: str) -> None:
    """Deeply nested or very long expressions are still answered with a Rubric or a
    RubricError, never a RecursionError."""
    check_answer(text)


@given(rule_texts())
def test_fuzzed_rubrics_score_or_refuse(text: str) -> None:
    """Whatever loads scores the full-marks record, or refuses it with a DataError."""
    answer = _answer(text)
    if not isinstance(answer, pingfen.Rubric):
        return
    try:
        result = answer.evaluate(FULL_MARKS)
    except pingfen.DataError as error:
        assert error.problems and all(CODE.match(p.code) for p in error.problems)
        error.render("zh")
        return
    for node in result.nodes():
        assert 0 <= node.score <= node.max


# ---------------------------------------------------------------- extremes the spec allows


@pytest.mark.parametrize(
    ("overrides", "indicator"),
    [
        pytest.param({"在职人数": 10**27}, "财政供养人员控制率", id="在职-10^27"),
        pytest.param({"本年三公经费": D("1e30"), "上年三公经费": D(1)}, "“三公经费”变动率", id="本年三公-1e30"),
        pytest.param({"未按进度下达专项数": 10**30}, "支付进度", id="专项数-10^30"),
        pytest.param({"资金使用不合规例数": 10**30}, "资金使用合规性", id="不合规-10^30"),
    ],
)
def test_huge_values_are_scored_not_crashed(overrides: dict, indicator: str) -> None:
    """Counts and amounts have no upper bound on the inputs page: a huge one is simply
    扣完为止 (score 0), never an arithmetic exception."""
    result = RUBRIC_2021.evaluate(FULL_MARKS | overrides)
    assert result[indicator].score == 0
    assert result[indicator].clamped == "low"
    check_structure(result)


@pytest.mark.parametrize("places", [0, 2, 10, 27, 30, 100])
def test_round_places_load_refuse_or_work(places: int) -> None:
    """`round total N` either is refused when loaded (RubricError) or scores fine:
    a rubric that loads must never fail with an arithmetic exception on valid data."""
    text = f'rubric "t" {{ total 100 round total {places} half_up }}\ninput a: score\ngroup g 100 {{ indicator a 100 {{ judgment }} }}'
    answer = _answer(text)
    if isinstance(answer, pingfen.RubricError):
        return
    result = answer.evaluate({"a": D("99.5")})
    assert result.total == (D(100) if places == 0 else D("99.5"))  # half up at 0 places

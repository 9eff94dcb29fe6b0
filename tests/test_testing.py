"""pingfen.testing: records in the declared domains, and records on the rubric's thresholds."""

from __future__ import annotations

import functools
import gc
import weakref
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import pingfen
from pingfen import ast
from pingfen.check.examples import raw_record, records
from pingfen.evaluate.rubric import InputSpec, Rubric
from pingfen.syntax.formatter import format_module
from pingfen.testing import (
    boundary_inputs,
    boundary_records,
    boundary_values,
    crossing,
    extremes,
    grid_range,
    input_values,
    inputs,
    reach,
    reach_total,
    reads_marked,
    targets,
)
from strategies import rubrics

ROOT = Path(__file__).resolve().parents[1]
RUBRIC_2021 = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule")
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(inputs(RUBRIC_2021))
def test_inputs_honour_every_type_and_domain(record: dict[str, object]) -> None:
    specs = {s.name: s for s in RUBRIC_2021.inputs}
    assert set(record) == set(specs)
    for name, value in record.items():
        spec = specs[name]
        if spec.type == "count":
            assert isinstance(value, int) and value >= (1 if name == "编制人数" else 0)
        elif spec.type == "bool":
            assert isinstance(value, bool)
        else:
            assert isinstance(value, Decimal) and value >= 0
    assert record["满意度"] <= 1  # type: ignore[operator]
    assert record["经济效益"] <= 5 and record["建设湖南新增极目标任务完成情况"] <= 7  # type: ignore[operator]
    RUBRIC_2021.evaluate(record, ratios=True)


@SETTINGS
@given(rubrics().flatmap(lambda m: st.tuples(st.just(pingfen.loads(format_module(m))), st.data())))
def test_records_of_generated_rubrics_are_never_refused(drawn) -> None:  # type: ignore[no-untyped-def]
    rubric, data = drawn
    rubric.evaluate(data.draw(inputs(rubric)), ratios=True)
    rubric.evaluate(data.draw(boundary_inputs(rubric)), ratios=True)


@pytest.mark.parametrize(
    ("kind", "bounds", "expected"),
    [
        ("count", (), (0, 1000)),
        ("count", ((">", Decimal(0)),), (1, 1000)),
        ("percent", ((">=", Decimal(0)), ("<=", Decimal(1))), (0, 10000)),
        ("percent", ((">", Decimal("0.5")), ("<", Decimal("0.6"))), (5001, 5999)),
        ("amount", ((">", Decimal(0)),), (1, 10000000)),
        ("score", ((">=", Decimal(0)), ("<=", Decimal(5))), (0, 500)),
    ],
)
def test_grid_ranges(kind: str, bounds: tuple[tuple[str, Decimal], ...], expected: tuple[int, int]) -> None:
    assert grid_range(InputSpec("x", kind, None, bounds, ())) == expected


def test_an_empty_domain_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        input_values(InputSpec("x", "count", None, ((">", Decimal(3)), ("<", Decimal(4))), ()))


def test_targets_are_read_from_the_rubric() -> None:
    found = {(t.what, t.at) for t in targets(RUBRIC_2021)}
    assert ("band of 社会公众或服务对象满意度", Decimal("0.95")) in found
    assert ("deduction of 财政供养人员控制率", Decimal("1.1")) in found  # where 0.5/pp takes all 5 points
    assert ("deduction of 支付进度", Decimal(6)) in found
    assert ("when arm of 资金结余", Decimal(0)) in found
    assert ("grade 优秀", Decimal(90)) in found and ("domain of 满意度", Decimal(1)) in found


def test_crossing_finds_the_first_value_past_a_threshold() -> None:
    assert crossing(0, 100, lambda n: n * 3 >= 37) == 13
    assert crossing(0, 100, lambda n: n < 40) == 40
    assert crossing(0, 100, lambda n: n > 1000) is None
    assert crossing(0, 100, lambda n: None if n == 50 else n > 70) is None


@functools.cache
def boundary_sample() -> list[dict[str, object]]:
    """300 boundary records, drawn deterministically, without shrinking anything."""
    found: list[dict[str, object]] = []

    @settings(max_examples=300, database=None, derandomize=True, phases=[Phase.generate], deadline=None)
    @given(boundary_inputs(RUBRIC_2021))
    def collect(record: dict[str, object]) -> None:
        found.append(record)

    collect()
    return found


def test_boundary_values_sit_on_and_beside_each_threshold() -> None:
    values = boundary_values(RUBRIC_2021)
    assert {Decimal("0.9499"), Decimal("0.95"), Decimal("0.9501"), Decimal("0.7499"), Decimal(1)} <= set(
        values["满意度"]  # type: ignore[arg-type]
    )
    assert {0, 1, 2, 5, 6, 7} <= set(values["未按进度下达专项数"])  # type: ignore[arg-type]
    assert 0 not in values["编制人数"]  # outside its domain (> 0)


EXAMPLES = {name: raw_record(givens) for name, givens in records(RUBRIC_2021.module).items()}


def test_reach_solves_for_one_input_on_a_computed_value() -> None:
    record = EXAMPLES["全部达标"]  # 12 of 12
    target = next(t for t in targets(RUBRIC_2021) if t.what == "deduction of 财政供养人员控制率" and t.at == 1)
    at = reach(RUBRIC_2021, record, target, "在职人数", 0)
    assert at is not None and at["在职人数"] == record["编制人数"]  # the first value reaching 100%
    over = reach(RUBRIC_2021, record, target, "在职人数", 1)
    assert over is not None and over["在职人数"] == record["编制人数"] + 1  # type: ignore[operator]
    quota = reach(RUBRIC_2021, at, target, "编制人数", -1)
    assert quota is not None and quota["在职人数"] / quota["编制人数"] >= 1  # type: ignore[operator]


@pytest.mark.parametrize(("at", "offset", "total"), [(90, 0, "90.00"), (80, -1, "79.99"), (60, 0, "60.00")])
def test_reach_total_lands_on_a_grade_boundary(at: int, offset: int, total: str) -> None:
    record = EXAMPLES["全面扣完"]  # a total of 5
    moved = reach_total(RUBRIC_2021, record, Decimal(at), offset)
    assert moved is not None
    changed = [k for k in record if record[k] != moved[k]]
    assert RUBRIC_2021.evaluate(moved).total in (Decimal(total), Decimal(at) - Decimal("0.01") * -offset)
    assert changed  # inputs were moved to get there


def test_boundary_records_sit_on_thresholds_often() -> None:
    sample = boundary_sample()
    near = set(boundary_values(RUBRIC_2021)["满意度"])
    assert sum(r["满意度"] in near for r in sample) >= len(sample) // 4
    # Rarer coincidences are searched for rather than counted in a fixed sample, whose
    # make-up depends on what hypothesis generated earlier in the same run.
    search = settings(max_examples=2000, database=None, derandomize=True, deadline=None, phases=[Phase.generate])  # found, not shrunk
    strategy = boundary_inputs(RUBRIC_2021)
    find(strategy, lambda r: r["在职人数"] == r["编制人数"] > 0, settings=search)
    find(strategy, lambda r: r["结余"] == r["上年结转"] > 0, settings=search)
    find(strategy, lambda r: Decimal("89.9") <= RUBRIC_2021.evaluate(r, ratios=True).total <= Decimal("90.1"), settings=search)


PRECISE = pingfen.loads(
    """rubric "精度" {
  total 10
}

input 执行率: percent precision 1% >= 0% and <= 100%
input 金额: amount precision 1

indicator 预算执行 5 {
  bands 执行率 {
    >= 90% -> 5
    else   -> 2
  }
}

indicator 控制 5 {
  when 金额 > 100 -> 0
  else            -> 5
}
"""
)


def test_an_input_with_a_coarse_precision_is_drawn_beside_its_thresholds_as_read() -> None:
    # 89.99% is read as 90% under `precision 1%` and 100.01 as 100 under `precision 1`: the
    # values beside a threshold must be a whole precision step away, or one side is never scored.
    values = boundary_values(PRECISE)
    assert {Decimal("0.89"), Decimal("0.90"), Decimal("0.91")} <= set(values["执行率"])  # type: ignore[arg-type]
    assert {Decimal(99), Decimal(100), Decimal(101)} <= set(values["金额"])  # type: ignore[arg-type]
    scored = {(r["执行率"], r["金额"]): PRECISE.evaluate(r, ratios=True) for r in boundary_records(PRECISE)}
    assert {result.score("预算执行") for result in scored.values()} == {Decimal(2), Decimal(5)}
    assert {result.score("控制") for result in scored.values()} == {Decimal(0), Decimal(5)}
    assert any(key[1] == 101 and result.score("控制") == 0 for key, result in scored.items())  # just past 100


@SETTINGS
@given(inputs(PRECISE))
def test_inputs_lie_on_a_coarse_precision_step(record: dict[str, object]) -> None:
    assert PRECISE.coerce(record, ratios=True)["执行率"] == record["执行率"]  # read as drawn, not rounded
    assert PRECISE.coerce(record, ratios=True)["金额"] == record["金额"]


BETWEEN = pingfen.loads(
    """rubric "两步之间" {
  total 5
}

input 完成率: percent >= 0 and <= 100%
input 例数: count

indicator 完成 5 {
  bands 完成率 {
    >= 89.995%          -> 5
    [80%, 89.995%)      -> 4
    < 80%               -> 0
  }
  deduct 1 if 例数 > 2.5
}
"""
)


def test_a_threshold_between_two_data_steps_is_drawn_as_it_is() -> None:
    values = boundary_values(BETWEEN)["完成率"]
    assert {Decimal("0.8999"), Decimal("0.89995"), Decimal("0.9000")} <= set(values)  # type: ignore[arg-type]
    assert values == sorted(values)  # type: ignore[type-var]
    assert set(boundary_values(BETWEEN)["例数"]) == {0, 1, 2, 3, 4, 1000}  # a count is whole: 2.5 is no value of it
    at = [r for r in boundary_records(BETWEEN) if r["完成率"] == Decimal("0.89995")]
    assert at and all(BETWEEN.evaluate({**r, "例数": 0}, ratios=True).score("完成") == 5 for r in at)  # the top band


PANELS = pingfen.loads(
    """rubric "专家评审" {
  total 20
}

input 专家评分: list of 5 score >= 0 and <= 10
input 方案评分: list of score >= 0 and <= 10

let 方案中位数 = median(方案评分)

indicator 专家评审 10 {
  bands trimmed_mean(专家评分) {
    >= 8.5   -> 10
    [6, 8.5) -> 6
    else     -> 0
  }
}

indicator 方案论证 10 {
  bands 方案中位数 {
    >= 9         -> 10
    [6.25, 9)    -> 6
    else         -> 0
  }
}
"""
)


def _panel_score(record: dict[str, object], node: str) -> Decimal:
    return PANELS.evaluate(record, ratios=True).score(node)


def test_a_panels_thresholds_are_reached_by_experts_agreeing_on_and_beside_them() -> None:
    # A band on trimmed_mean(专家评分) or on a let that is median(方案评分) has its edges where
    # the panel's value is 8.5 or 9: three experts giving 8.49, 8.5, 8.51 put it there.
    scored = {
        (name, record[name][0]): _panel_score(record, node)  # type: ignore[index]
        for record in boundary_records(PANELS)
        for name, node in (("专家评分", "专家评审"), ("方案评分", "方案论证"))
        if len(set(record[name])) == 1  # type: ignore[arg-type]
    }
    edges = {
        ("专家评分", "8.49"): 6, ("专家评分", "8.50"): 10, ("专家评分", "5.99"): 0, ("专家评分", "6.00"): 6,
        ("方案评分", "8.99"): 6, ("方案评分", "9.00"): 10, ("方案评分", "6.24"): 0, ("方案评分", "6.25"): 6,
    }  # fmt: skip
    assert {(name, Decimal(v)): points for (name, v), points in edges.items()}.items() <= scored.items()
    assert [Decimal("8.50")] * 3 in boundary_values(PANELS)["专家评分"]


OPTIONAL = pingfen.loads(
    """rubric "项目支出" {
  total 10
}

input 有项目: bool
input 项目完成率: percent >= 0
input 资金到位率: percent >= 0 and <= 100%

indicator 项目完成率 4 {
  applies if 有项目 else rescale
  deduct 1 per 10pp of 项目完成率 below 100% counting proportional
}

indicator 资金到位率 6 {
  applies else full
  bands 资金到位率 {
    >= 90% -> 6
    else   -> 3
  }
}
"""
)


def test_an_input_only_rows_that_may_not_apply_read_is_drawn_marked_too() -> None:
    # The data may mark 项目完成率 and 资金到位率 不适用 (their rows then do not apply);
    # 有项目 is read by a condition and must be given.
    assert OPTIONAL.optional == {"项目完成率", "资金到位率"}
    search = settings(max_examples=500, database=None, derandomize=True, deadline=None, phases=[Phase.generate])
    for strategy in (inputs(OPTIONAL), boundary_inputs(OPTIONAL)):
        for name in ("项目完成率", "资金到位率"):
            found = find(strategy, lambda r, name=name: r[name] == "不适用", settings=search)  # type: ignore[misc]
            assert not OPTIONAL.evaluate(found, ratios=True).applies(name)
    marked = [r for r in boundary_records(OPTIONAL) if "不适用" in r.values()]
    assert {name for r in marked for name, v in r.items() if v == "不适用"} == {"项目完成率", "资金到位率"}


@SETTINGS
@given(boundary_inputs(OPTIONAL))
def test_records_with_inputs_marked_are_scored(record: dict[str, object]) -> None:
    assert record["有项目"] != "不适用"
    assert Decimal(0) <= OPTIONAL.evaluate(record, ratios=True).total <= 10


SIX_OPTIONAL = pingfen.loads(
    'rubric "六项" {\n  total 6\n}\n\n'
    + "\n".join(
        f"input 项{i}: percent >= 0 and <= 100%\n\n"
        f"indicator 指标{i} 1 {{\n  applies else full\n  bands 项{i} {{\n    >= 90% -> 1\n    else   -> 0\n  }}\n}}\n"
        for i in range(6)
    )
)


def _drawn(strategy: st.SearchStrategy[dict[str, object]], n: int) -> list[dict[str, object]]:
    """n records the strategy draws, the same on every run."""
    seen: list[dict[str, object]] = []

    @settings(max_examples=n, database=None, derandomize=True, deadline=None, phases=[Phase.generate])
    @given(strategy)
    def draw(record: dict[str, object]) -> None:
        seen.append(record)

    draw()
    return seen


@pytest.mark.parametrize("strategy", [inputs, boundary_inputs])
def test_records_where_every_row_applies_stay_common_with_many_optional_inputs(
    strategy: Callable[[Rubric], st.SearchStrategy[dict[str, object]]],
) -> None:
    # Six inputs the data may mark 不适用: a choice per input left under one record in ten with
    # none marked; half the records mark nothing, the others each input one time in four.
    assert len(SIX_OPTIONAL.optional) == 6
    drawn = _drawn(strategy(SIX_OPTIONAL), 300)
    clean = [r for r in drawn if "不适用" not in r.values()]
    assert len(clean) >= len(drawn) / 3
    marked = {name for r in drawn for name, v in r.items() if v == "不适用"}
    assert marked == SIX_OPTIONAL.optional  # each is still marked now and then
    for record in drawn:
        total = SIX_OPTIONAL.evaluate(record, ratios=True).total
        assert Decimal(0) <= total <= 6


LETS = """rubric "项目" {
  total 10
}

input 完成数: count
input 计划数: count > 0

let 完成率 = 完成数 / 计划数
let 达标 = 完成率 >= 90%

indicator 完成 10 {
  applies else full
  bands 完成率 {
    >= 90% -> 10
    else   -> 0
  }
}
"""


def test_reads_marked_reads_the_lets_once_per_rubric(monkeypatch: pytest.MonkeyPatch) -> None:
    # fuzz asks it for each record and property: the lets' reads are built once, not each time
    rubric = pingfen.loads(LETS)  # its own, so that no earlier test has asked for it
    calls: list[object] = []
    names_read = ast.names_read

    def counted(*exprs: ast.Expr) -> set[str]:
        calls.append(exprs)
        return names_read(*exprs)

    monkeypatch.setattr(ast, "names_read", counted)
    marked = rubric.coerce({"完成数": "不适用", "计划数": 10}, ratios=True)
    given = rubric.coerce({"完成数": 9, "计划数": 10}, ratios=True)
    rate, met, quota = (ast.Ref(ast.Name(n)) for n in ("完成率", "达标", "计划数"))
    answers = [reads_marked(rubric, e, v) for _ in range(5) for e, v in ((rate, marked), (met, marked), (quota, marked), (rate, given))]
    assert answers == [True, True, False, False] * 5
    assert len(calls) == len(rubric.module.lets) + len(answers)  # each let once, each expression asked once


PANEL_TEXT = """rubric "专家评审" {
  total 10
  grade 优秀   >= 8.87
  grade 合格   >= 6.13
  grade 不合格 otherwise
}

input 专家评分: list of score >= 0 and <= 10

indicator 专家评审 10 {
  score = mean(专家评分)
}
"""
PANEL_GRADES = pingfen.loads(PANEL_TEXT)


PANEL_FALLING = pingfen.loads(PANEL_TEXT.replace("score = mean(专家评分)", "score = 10 - mean(专家评分)"))


@pytest.mark.parametrize(("rubric", "agree"), [(PANEL_GRADES, lambda at: at), (PANEL_FALLING, lambda at: 10 - at)], ids=["rising", "falling"])
def test_a_grade_reached_only_through_a_panel_is_sat_on_by_experts_agreeing(rubric: pingfen.Rubric, agree: Callable[[Decimal], Decimal]) -> None:
    # The total is the experts' mean (or 10 less it): no threshold is on the panel itself, so
    # only moving it as three experts agreeing (8.87, 8.87, 8.87) puts the total on a grade's
    # threshold, with one step either side — whichever way the total goes as the experts rise.
    totals = {rubric.evaluate(r, ratios=True).total: r for r in boundary_records(rubric)}
    for at, grade, below in (("8.87", "优秀", "合格"), ("6.13", "合格", "不合格")):
        on, step = Decimal(at), Decimal("0.01")
        assert {on - step, on, on + step} <= totals.keys()
        assert totals[on]["专家评分"] == [agree(on)] * 3
        assert rubric.evaluate(totals[on], ratios=True).grade == grade
        assert rubric.evaluate(totals[on - step], ratios=True).grade == below
    drawn = [rubric.evaluate(r, ratios=True).total for r in _drawn(boundary_inputs(rubric), 200)]
    assert Decimal("8.87") in drawn and Decimal("6.13") in drawn


def test_a_rubric_is_not_kept_alive_by_the_caches_of_testing() -> None:
    # a run that loads many rubrics (generated ones) keeps none of them for the extremes or
    # the lets' reads worked out for it
    rubric = pingfen.loads(LETS)
    extremes(rubric)
    reads_marked(rubric, ast.Ref(ast.Name("完成率")), {})
    gone = weakref.ref(rubric)
    del rubric
    gc.collect()
    assert gone() is None

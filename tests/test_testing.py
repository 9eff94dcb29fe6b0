"""pingfen.testing: records in the declared domains, and records on the rubric's thresholds."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import pingfen
from pingfen.compile import InputSpec
from pingfen.fmt import format_module
from pingfen.testing import boundary_inputs, crossing, grid_range, input_values, inputs, targets
from rubric_strategies import rubrics

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
    RUBRIC_2021.evaluate(record)


@SETTINGS
@given(rubrics().flatmap(lambda m: st.tuples(st.just(pingfen.loads(format_module(m))), st.data())))
def test_records_of_generated_rubrics_are_never_refused(drawn) -> None:  # type: ignore[no-untyped-def]
    rubric, data = drawn
    rubric.evaluate(data.draw(inputs(rubric)))
    rubric.evaluate(data.draw(boundary_inputs(rubric)))


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


@pytest.mark.parametrize(
    ("what", "holds"),
    [
        ("满意度 exactly 95%", lambda r: r["满意度"] == Decimal("0.95")),
        ("满意度 one step under 95%", lambda r: r["满意度"] == Decimal("0.9499")),
        ("在职人数 = 编制人数 + 1", lambda r: r["在职人数"] == r["编制人数"] + 1),
        ("结余 = 上年结转 > 0", lambda r: r["结余"] == r["上年结转"] > 0),
        ("本年三公经费 exactly at its budget", lambda r: r["本年三公经费"] == r["三公经费预算数"] > 1),
        ("a total that rounds to 90.00", lambda r: RUBRIC_2021.evaluate(r).total == Decimal("90.00")),
        ("a total just under 80", lambda r: RUBRIC_2021.evaluate(r).total == Decimal("79.99")),
    ],
)
def test_boundary_inputs_reach_thresholds(what: str, holds) -> None:  # type: ignore[no-untyped-def]
    assert any(holds(record) for record in boundary_sample()), what

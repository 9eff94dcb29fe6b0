"""A Result of the fast path keeps the record's values as `run` took them from the record (issue
11): the tuple itself, no second one built. The only change `run` makes to a value it keeps
so is an int read as its Decimal, which the Explainer makes again before the explaining code
runs; a rubric that rounds an input to a precision keeps the rounded values in a new tuple.
Reasons, clamps and explanations must be what they were with every value a Decimal."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from test_fast_fetch import Plain

ROOT = Path(__file__).resolve().parents[1]
RUBRIC = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule", tests=False)


Record = Plain  # a mapping that is not a dict: `run` reads it by `get`


def records() -> list[dict[str, object]]:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import records2021

    return records2021.records(60, seed=11)


def decimals(record: Mapping[str, object]) -> dict[str, object]:
    return {k: Decimal(v) if type(v) is int else v for k, v in record.items()}


def explained(result: pingfen.Result) -> object:
    return (result.to_dict("zh"), result.to_dict("en"), [(n.explanations, n.clamped) for n in result.nodes()])


@pytest.mark.parametrize("wrap", [dict, Record])
def test_the_values_are_kept_as_given_and_explained_as_decimals(wrap: type) -> None:
    for record in records():
        assert any(type(v) is int for v in record.values())  # the counts
        result = RUBRIC.evaluate(wrap(record))
        kept = result._values
        assert kept is not None and [type(v) for v in kept] == [type(record[s.name]) for s in RUBRIC.inputs]
        assert explained(result) == explained(RUBRIC.evaluate(decimals(record)))


def test_reasons_read_first_from_int_counts() -> None:
    for record in records()[:20]:
        fresh, exact = RUBRIC.evaluate(record), RUBRIC.evaluate(decimals(record))
        assert [n.reasons for n in fresh.nodes()] == [n.reasons for n in exact.nodes()]


PRECISE = """rubric "精度" { total 10 }
input 率: percent precision 0.1%
input 数: count
group 全部 10 {
  indicator 率分 5 { deduct 1 per 1pp of 率 below 100% }
  indicator 数分 5 { deduct 1 per 数 }
}
"""


def test_a_rubric_rounding_an_input_keeps_the_rounded_values() -> None:
    rubric = pingfen.loads(PRECISE)
    assert "given, c" not in rubric.program.source  # a new tuple of the values as scored
    result = rubric.evaluate({"率": Decimal("0.98449"), "数": 2})
    assert result._values == (Decimal("0.984"), Decimal(2)) and type(result._values[1]) is Decimal
    assert result["率分"].reasons == rubric.evaluate({"率": Decimal("0.984"), "数": Decimal(2)})["率分"].reasons
    assert str(result.total) == "6.40"  # 5 - 1.6, 5 - 2

"""The generated code takes every input of a record at once (issue 11): from a dict by one
itemgetter, a key missing sending the record down the general path; from any other mapping
by its `get`, as before. Its numbers' bounds take the 10^-100 limit as their lower end where
the domain is not negative (one comparison for both). The outcome must be the general
path's whatever the mapping: the same result, or the same refusal, and the record untouched."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType

import pytest

import pingfen
from pingfen.errors import DataError

RULE = """rubric "取数" { total 40 }
input 人数: count
input 零起: number >= 0
input 正数: number > 0 and < 5
input 负到零: number >= -3 and <= 0
input 小: number >= 0 and < 0.5
input 是否: bool
input 等级: label { 优, 良, 差 }
group 组 40 {
  indicator 甲 10 { deduct 1 per 人数 }
  indicator 乙 10 { score = min(零起 + 正数 - 负到零 + 小, 10) }
  indicator 丙 10 { award 10 if 是否 }
  indicator 丁 10 {
    match 等级 {
      优 -> 10
      良 -> 6
      差 -> 0
    }
  }
}
"""
RUBRIC = pingfen.loads(RULE)
GOOD: dict[str, object] = {"人数": 1, "零起": Decimal("2.5"), "正数": Decimal("0.95"), "负到零": Decimal(-1),
                           "小": Decimal("0.25"), "是否": True, "等级": "良"}  # fmt: skip


class Plain(Mapping[str, object]):
    """A mapping that is no dict."""

    def __init__(self, data: dict[str, object]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> object:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def outcome(record: Mapping[str, object]) -> object:
    try:
        result = RUBRIC.evaluate(record)
    except DataError as error:
        return [(p.code, p.input) for p in error.problems]
    return [str(result.total), *map(str, result.scores().values())]


def general(record: dict[str, object]) -> object:
    """The general path alone: every value given as text, which the fast path does not read
    as it is (a spelling the text reader leaves to `coerce`)."""
    return outcome({k: f" {v} " if v is not None else None for k, v in record.items()})


ZEROS_AND_LIMITS = [Decimal(0), Decimal("-0"), Decimal("0.00"), Decimal("0E+3"), Decimal("1E-100"),
                    Decimal("9.99E-101"), Decimal("-1E-100"), Decimal("-9.99E-101"), Decimal("1E-101"),
                    Decimal("9.999E+100"), Decimal("1E+101"), Decimal("0.5"), Decimal("0.4999"), Decimal(5),
                    Decimal("4.9"), Decimal(-3), Decimal("-3.01"), Decimal("Infinity"), Decimal("NaN"), 3]  # fmt: skip


@pytest.mark.parametrize("name", ["零起", "正数", "负到零", "小"])
@pytest.mark.parametrize("value", ZEROS_AND_LIMITS, ids=repr)
def test_a_bound_with_the_limit_in_it_takes_what_the_general_path_takes(name: str, value: Decimal) -> None:
    record = {**GOOD, name: value}
    assert outcome(record) == general(record)


def records() -> list[dict[str, object]]:
    missing = {k: v for k, v in GOOD.items() if k != "正数"}
    return [GOOD, missing, {**GOOD, "等级": None}, {**GOOD, "是否": 1}, {**GOOD, "多余": 3}, {}]


@pytest.mark.parametrize("record", records(), ids=lambda r: ",".join(map(str, r.values())))
def test_every_kind_of_mapping_is_read_alike(record: dict[str, object]) -> None:
    expected = outcome(dict(record))
    assert outcome(OrderedDict(record)) == expected
    assert outcome(MappingProxyType(record)) == expected
    assert outcome(Plain(record)) == expected
    missing: defaultdict[str, object] = defaultdict(lambda: Decimal(1), record)
    assert outcome(missing) == expected and dict(missing) == record  # read by get: nothing added


def test_a_dict_is_read_by_one_itemgetter_and_a_missing_key_is_the_general_paths() -> None:
    run = RUBRIC.program.source.split("def run")[1]
    assert "data.get(" not in run and run.count(" = c") > 0
    assert outcome({k: v for k, v in GOOD.items() if k != "人数"}) == [("PF501", "人数")]
    with pytest.raises(DataError) as refused:
        RUBRIC.evaluate([GOOD])  # type: ignore[arg-type]  # what a caller may pass
    assert refused.value.problems[0].code == "PF522"


def test_a_rubric_of_one_input_reads_it_by_get() -> None:
    rubric = pingfen.loads('rubric "一" { total 5 }\ninput a: bool\ngroup g 5 {\n  indicator i 5 { award 5 if a }\n}\n')
    assert str(rubric.evaluate({"a": True}).total) == "5.00"
    assert str(rubric.evaluate(Plain({"a": False})).total) == "0.00"
    with pytest.raises(DataError):
        rubric.evaluate({})


@pytest.mark.parametrize("count", [0, 1, 2, 254, 255, 256, 257, 10**30, -1])
def test_a_count_given_as_an_int_is_the_decimal_of_it(count: int) -> None:
    """A small count is looked up among Decimals made once; any other is converted."""
    record = {**GOOD, "人数": count}
    assert outcome(record) == general(record)
    if count >= 0:
        result = RUBRIC.evaluate(record)
        kept = result._values  # as given (test_kept_values): the explaining code is handed its Decimal
        assert kept is not None and kept[0] == count and result.to_dict() == RUBRIC.evaluate(
            {**record, "人数": Decimal(count)}).to_dict()

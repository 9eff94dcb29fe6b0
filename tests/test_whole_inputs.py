"""An int given for a number is looked up among the Decimals of the whole numbers 0 … 255
inside the input's bounds, made once per rubric (issue 11): no conversion and no comparison
on the fast path. Any other int is converted and compared as before. Every outcome must be
the general path's: the scores, or the same refusals, at and around every bound."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

import pingfen
from pingfen.errors import DataError

KINDS = """rubric "整数" { total 35 }
input 次数: count
input 正数: count > 0
input 金额: amount <= 200
input 区间: number >= -3 and < 7
input 自评: score
input 率: percent
input 不等: count <= 3
group 全部 35 {
  indicator 次 5 { deduct 1 per 次数 }
  indicator 正 5 { deduct 1 per 正数 }
  indicator 额 5 { deduct 0.01 per 金额 }
  indicator 区 5 { deduct 1 per 1 of 区间 above 0 }
  indicator 评 5 { judgment 自评 }
  indicator 不 5 { deduct 1 per 不等 }
  indicator 率分 5 { deduct 1 per 10pp of 率 below 100% }
}
"""
RUBRIC = pingfen.loads(KINDS)
GOOD: dict[str, object] = {"次数": 1, "正数": 1, "金额": 1, "区间": 1, "自评": 1, "率": 1, "不等": 1}
INTS = [-300, -256, -255, -4, -3, -1, 0, 1, 2, 3, 5, 6, 7, 199, 200, 201, 254, 255, 256, 257, 10**30]


def outcome(record: dict[str, object]) -> object:
    try:
        result = RUBRIC.evaluate(record)
    except DataError as error:
        return [(p.code, p.input) for p in error.problems]
    return [str(result.total), str(result.raw_total), *map(str, result.scores().values())]


def general(record: dict[str, object]) -> object:
    """Every value as text with spaces, which only `coerce` reads."""
    return outcome({k: f" {v} " for k, v in record.items()})


@pytest.mark.parametrize("name", list(GOOD))
def test_every_int_as_the_general_path_reads_it(name: str) -> None:
    for n in INTS:
        record = {**GOOD, name: n}
        assert outcome(record) == general(record), (name, n)


def test_the_lookup_is_in_the_code_and_the_tables_hold_the_inside() -> None:
    run = RUBRIC.program.source.split("def run")[1]
    assert len(re.findall(r"\n +z\d+ = c\d+\(x\d+\)\n +if z\d+ is None:", run)) == 7
    tables = [c.__self__ for c in RUBRIC.program.constants if getattr(c, "__name__", "") == "get" and isinstance(
        getattr(c, "__self__", None), dict) and c.__self__ and all(type(k) is int for k in c.__self__)]  # fmt: skip
    found = sorted((min(t), max(t), len(t)) for t in tables)
    # count 0-255; > 0 1-255; amount <= 200 0-200; -3 … 7 0-6; score 0-… (its max, 5); percent ±1: 0-1
    assert (0, 255, 256) in found and (1, 255, 255) in found and (0, 200, 201) in found and (0, 6, 7) in found
    assert (0, 5, 6) in found and (0, 1, 2) in found and (0, 3, 4) in found
    assert all(type(v) is Decimal and str(v) == str(k) for t in tables for k, v in t.items())


def test_many_different_bounds_still_read_ints() -> None:
    inputs = "".join(f"input 数{i}: count <= {i + 1}\n" for i in range(40))
    rows = "".join(f"  indicator 指{i} 1 {{ deduct 1 per 数{i} }}\n" for i in range(40))
    rubric = pingfen.loads(f'rubric "多" {{ total 40 }}\n{inputs}group 全部 40 {{\n{rows}}}\n')
    record: dict[str, object] = {f"数{i}": i % 3 for i in range(40)}
    text = {k: f" {v} " for k, v in record.items()}
    assert rubric.evaluate(record).scores() == rubric.evaluate(text).scores()
    with pytest.raises(DataError) as fast:
        rubric.evaluate({**record, "数39": 41})
    with pytest.raises(DataError) as slow:
        rubric.evaluate({**text, "数39": " 41 "})
    assert [p.code for p in fast.value.problems] == [p.code for p in slow.value.problems] == ["PF503"]

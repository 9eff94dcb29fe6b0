"""No score the scoring code leaves is -0 when the generator proves it (issue 11): a
computed start with nothing deducted is written `start + 0` (a judgment of -0 is then 0),
and `Layout.unsigned` says so for the whole rubric, so that every score is read canonical
by normalizing alone. Where a score may still be -0 (start less deductions, an adjust row)
the layout says not, and reading it takes the `plus` that turns -0 into 0."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import pingfen
from pingfen.check.passes import check
from pingfen.display import canonicals
from pingfen.evaluate import walker as oracle
from pingfen.syntax.parser import parse
from strategies import loaded, random_rubrics

UNSIGNED = """rubric "无负零" { total 20 }
input 自评: score
input 率: percent
input 是否: bool
group 全部 20 {
  group 评 10 {
    indicator 评价 5 { judgment 自评 }
    indicator 公式 5 { score = min(abs(率) * 5, 5) }
  }
  indicator 清单 5 { award 5 if 是否 }
  indicator 档 5 {
    bands 率 {
      >= 90% -> 5
      < 90% -> 0
    }
  }
}
"""
SIGNED = """rubric "或有负零" { total 5 }
input 自评: score
input 问题: bool
group 全部 5 {
  indicator 评价 5 {
    judgment 自评
    deduct 1 if 问题
  }
}
"""


def read(result: pingfen.Result) -> list[str]:
    return [str(v) for v in result.scores().values()] + [str(n.score) for n in result.nodes()]


def test_a_judgment_of_minus_zero_is_scored_zero_and_read_by_normalizing() -> None:
    rubric = pingfen.loads(UNSIGNED)
    assert rubric.program.layout.unsigned
    result = rubric.evaluate({"自评": Decimal("-0"), "率": Decimal("-0"), "是否": False})
    assert not any(s.is_signed() for s in result._scores)  # the code left no -0 behind
    assert read(result) == ["0"] * 12 and str(result.total) == "0.00" and str(result.raw_total) == "0"
    assert re.search(r"\(c\d+\(x\d+\) or c0\)", rubric.program.source)  # a judgment: its canonical value, or 0


def test_a_score_that_may_be_minus_zero_is_read_with_plus() -> None:
    rubric = pingfen.loads(SIGNED)
    assert not rubric.program.layout.unsigned
    result = rubric.evaluate({"自评": Decimal("-0"), "问题": False})
    assert result._scores[1].is_signed()  # -0 - (0 + 0): as the rule text reads
    assert read(result) == ["0"] * 4 and str(result.total) == "0.00"


def minus_zeros(record: dict[str, object]) -> dict[str, object]:
    """Every exact zero of a record written -0."""
    return {k: Decimal("-0") if isinstance(v, Decimal) and v.is_zero() else v for k, v in record.items()}


@given(st.data())
def test_an_unsigned_layout_is_never_wrong_on_random_rubrics(data: st.DataObject) -> None:
    gen, rubric = loaded(data, random_rubrics(loose=True))
    module, _ = parse(gen.text)
    assert module is not None
    checked = check(module)
    for _ in range(6):
        record = data.draw(gen.records, label="record")
        for given_ in (record, minus_zeros(record), {k: Decimal(0) if isinstance(v, Decimal) else v for k, v in record.items()}):
            try:
                result = rubric.evaluate(given_)
            except pingfen.DataError:
                continue
            if rubric.program.layout.unsigned:
                assert not any(s.is_zero() and s.is_signed() for s in result._scores), given_
            assert list(result.scores().values()) == canonicals(result._scores)
            assert [str(v) for v in result.scores().values()] == [str(v) for v in canonicals(result._scores)]
            expected = oracle.evaluate(module, checked, gen.text, rubric.coerce(given_))
            assert [str(n.score) for n in result.nodes()] == [str(n.score) for n in expected.nodes()]
            assert repr(result.total) == repr(expected.total)

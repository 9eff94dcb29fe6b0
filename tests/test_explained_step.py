"""The explaining code of an indicator of one deduction per step and nothing else (issue 11):
when nothing is over the reference, what the general code would keep — no reason, no clamp,
the score — is worked out at load (`IndicatorCode.explained_step`), and only a value past the
reference is explained. Its reason records and clamps are the general code's on every counting,
direction, reference or none, value under, on, just past and far past its reference (扣完为止),
zeros of each sign and long digits; and on random rubrics."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, setcontext

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import pingfen
from pingfen.evaluate.codegen import build
from pingfen.evaluate.rulegen import IndicatorCode
from pingfen.values import CONTEXT, as_decimals
from strategies import random_rubrics

STEPS = """rubric "扣" { total 14 }
input 率: percent
input 例数: count
input 值: number
input 基准: number
group 组 14 {
  indicator 超 3 { deduct 0.5 per 1pp of 率 above 100% counting proportional }
  indicator 低 2 { deduct 0.2 per 1pp of 率 below 95% counting whole }
  indicator 起 2 { deduct 1 per 10pp of 率 below 100% counting started }
  indicator 数 3 { deduct 1.5 per 例数 }
  indicator 差 2 { deduct 0.25 per 0.5 of 值 above 基准 }
  indicator 零 2 { deduct 1 per 1pp of 率 above 0% counting proportional reason "超出 {率}" }
}
"""

Explain = Callable[..., object]


def explainers(text: str) -> tuple[pingfen.Rubric, Explain, Explain]:
    """The rubric, and its explaining code with and without the fold."""
    rubric = pingfen.loads(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(IndicatorCode, "explained_step", lambda self, rule: None)
        general = pingfen.loads(text).program
    return (
        rubric,
        build(rubric.program.explain_source, "t", rubric.program.constants),
        build(general.explain_source, "t", general.constants),
    )


def same(
    rubric: pingfen.Rubric, folded: Explain, general: Explain, records: list[dict[str, object]], walk: bool = False
) -> int:
    """Each record's reason records and clamps are the same both ways (and, `walk`, its reasons
    the walker's); how many were compared."""
    compared = 0
    for record in records:
        try:
            result = rubric.evaluate(record, ratios=True)  # a rate past 1 is a ratio
        except pingfen.DataError:
            continue
        assert result._values is not None
        setcontext(CONTEXT)
        values = as_decimals(result._values)  # as the result hands them over (ints made Decimals)
        assert folded(*values) == general(*values)
        if walk:
            assert [n.reasons for n in result.nodes()] == [
                n.reasons for n in rubric.walker().evaluate(rubric.coerce(record, ratios=True)).nodes()
            ]
        compared += 1
    return compared


STEP_RUBRIC = explainers(STEPS)

rates = st.one_of(
    st.sampled_from(
        ["0", "-0", "0.95", "0.9500", "1", "1.00", "1.0001", "0.5", "2.5", "0.0000000000000000000000000001"]
    ).map(Decimal),
    st.decimals(min_value=0, max_value=3, places=None, allow_nan=False),
)
numbers = st.one_of(
    st.sampled_from(["0", "-0", "0.5", "1E+1", "7.25"]).map(Decimal),
    st.decimals(min_value=-50, max_value=50, allow_nan=False),
)


def test_the_fold_is_there_and_keeps_the_rest() -> None:
    source = STEP_RUBRIC[0].program.explain_source
    assert source.count(" < c0:\n            s") >= 5  # nothing over: the score a constant, nothing explained
    record = {"率": Decimal("1.2"), "例数": 1, "值": Decimal(3), "基准": Decimal(1)}
    reasons = {n.name: n.reasons for n in STEP_RUBRIC[0].evaluate(record, ratios=True).nodes()}
    assert reasons["超"] == [
        "率 120% 超过 100% 20 个百分点，每个百分点扣 0.5 分，扣 10 分",
        "合计应扣 10 分，超过分值 3，扣完为止，得 0 分",
    ]
    assert reasons["低"] == [] and reasons["数"] == ["例数为 1，每例扣 1.5 分，扣 1.5 分"]
    assert reasons["差"] == ["值 3 超过 1 2，每 0.5 扣 0.25 分，扣 1 分"]
    assert reasons["零"] == ["超出 120%", "合计应扣 120 分，超过分值 2，扣完为止，得 0 分"]


@given(
    st.lists(
        st.fixed_dictionaries({"率": rates, "例数": st.integers(0, 9), "值": numbers, "基准": numbers}),
        min_size=1,
        max_size=8,
    )
)
def test_each_step_explained_as_the_general_code_does(records: list[dict[str, object]]) -> None:
    same(*STEP_RUBRIC, records, walk=True)


@settings(max_examples=25)  # two loads of each rubric: half the usual draws
@given(st.data())
def test_random_rubrics_explained_as_the_general_code_does(data: st.DataObject) -> None:
    gen = data.draw(random_rubrics(loose=True), label="rubric")
    try:
        explained = explainers(gen.text)
    except pingfen.RubricError:
        assume(False)
        return
    same(*explained, data.draw(st.lists(gen.any_records, min_size=1, max_size=6), label="records"))

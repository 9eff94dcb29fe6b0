"""A deduction per step with a step that is a power of ten from 10^-100 to 1 (1pp, 10pp, 1%,
per 1), counted proportionally on bounded values, is written `excess × (rate / step)` with the
quotient worked out at load (issue 11): one division fewer each time something is over. Both
forms round the one exact product once. Here: where the fold is written and where not (0.5pp,
2pp, whole steps, 10, an unbounded value), the constant it uses, and every score, the total
and the raw total digit for digit the walker's on random rates and steps and edge values
(zeros of each sign and spelling, exponents, 1E+1, 10^-100, long digits)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pingfen
from oracle_check import walked
from pingfen import ast
from pingfen.check.passes import check
from pingfen.evaluate.rulegen import _per_unit
from pingfen.syntax.parser import parse

D = Decimal
EDGES = ["0", "-0", "0.00", "-0.000", "0E+1", "1", "1.0", "1.00", "1E+0", "1E+1", "0.95", "1.0001", "1.05", "2",
         "1E-100", "-1E-100", "1.0000000000000000000000000000000000001", "0.333333333333333333333333333333333",
         "9.99999999999999999999999999999E+100", "123456789.123456789123456789123", "3.000"]  # fmt: skip

rates = st.sampled_from(["0.5", "1", "0.2", "0.25", "0.10", "2", "3.0", "0.333", "1.23456789012345678901234567"])
steps = st.sampled_from(["1pp", "10pp", "1%", "0.1pp", "100pp", "0.5pp", "2pp", "25pp"])
countings = st.sampled_from(["proportional", "proportional", "whole", "started"])


@st.composite
def rubrics(draw: st.DrawFn) -> str:
    per = draw(st.sampled_from(["1", "0.1", "0.01", "10", "0.5", "1.0"]))
    return (
        'rubric "folded" { total 15 round total 2 half_up }\n'
        "input 完成率: percent\ninput 实际: percent\ninput 基准: percent > 0\ninput 数: number\n"
        "let 比率 = 实际 / 基准\n"
        "group 全部 15 {\n"
        f"  indicator 完成 5 {{ deduct {draw(rates)} per {draw(steps)} of 完成率 "
        f"{draw(st.sampled_from(['above 100%', 'below 100%', 'above 0%', 'below 50%']))} counting {draw(countings)} }}\n"
        f"  indicator 比率分 5 {{ deduct {draw(rates)} per {draw(steps)} of 比率 above 100% counting {draw(countings)} }}\n"
        f"  indicator 数分 5 {{ deduct {draw(rates)} per {per} of 数 above 1 counting {draw(countings)} }}\n"
        "}\n"
    )


@given(st.data())
def test_folded_steps_score_as_the_walker_does(data: st.DataObject) -> None:
    text = data.draw(rubrics(), label="rubric")
    rubric = pingfen.loads(text)
    module, _ = parse(text)
    assert module is not None
    checked = check(module)
    for _ in range(8):
        def value() -> Decimal:
            if data.draw(st.booleans()):
                return D(data.draw(st.sampled_from(EDGES)))
            return data.draw(st.decimals(min_value=-3, max_value=3, places=data.draw(st.integers(0, 30))))

        record: dict[str, object] = {"完成率": value(), "实际": value(), "基准": value(), "数": value()}
        expected = walked(rubric, module, checked, text, record)
        if expected is None:
            continue
        fast = rubric.evaluate(record)
        general = rubric.evaluate({k: str(v) for k, v in record.items()})  # text: the general path for some
        for result in (fast, general):
            assert [str(n.score) for n in result.nodes()] == [str(n.score) for n in expected.nodes()]
            assert repr(result.total) == repr(expected.total) and str(result.raw_total) == str(expected.raw_total)
            assert [str(v) for v in result.scores().values()] == [str(n.score) for n in expected.nodes()]


def _step(rate: str, step: str, counting: str | None = None) -> ast.DeductStep:
    return ast.DeductStep(ast.Number(D(rate), rate), ast.Number(D(step), step), ast.Ref(ast.Name("x")),
                          "above", None, counting)  # fmt: skip


@pytest.mark.parametrize(("rate", "step", "per_unit"), [
    ("0.5", "0.01", "5E+1"), ("1", "1", "1"), ("0.25", "0.1", "2.5"), ("3.0", "0.010", "3E+2"),
    ("1.23456789012345678901234567", "0.001", "1234.56789012345678901234567"),
    ("2", "1E-100", "2E+100"), ("0.5", "0.05", None), ("1", "10", None), ("1", "2", None),
    ("1", "1E-101", None),
])  # fmt: skip
def test_the_quotient_folded(rate: str, step: str, per_unit: str | None) -> None:
    found = _per_unit(_step(rate, step))
    assert (None if found is None else str(found)) == per_unit
    if found is not None:
        assert found == D(rate) / D(step)


FORMS = """rubric "式" { total 25 }
input 率: percent
input 数: number
group 全部 25 {
  indicator 甲 5 { deduct 0.5 per 1pp of 率 below 100% counting proportional }
  indicator 乙 5 { deduct 0.5 per 0.5pp of 率 below 100% counting proportional }
  indicator 丙 5 { deduct 0.5 per 1pp of 率 below 100% counting whole }
  indicator 丁 5 { deduct 1 per 10 of 数 above 1 counting proportional }
  indicator 戊 5 { deduct 1 per 数 }
}
"""


def test_where_the_fold_is_written() -> None:
    rubric = pingfen.loads(FORMS)
    source = rubric.program.source
    run = source[source.index("def run"):]
    lost = [line.strip() for line in run.splitlines() if re.match(r"\s+l\d+ = ", line)]
    assert len(lost) == 5
    assert re.fullmatch(r"l\d+ = c\d+ - m\d+ \* c\d+", lost[0])  # 1pp: folded
    assert "/" in lost[1] or "(" in lost[1]  # 0.5pp: rate × (excess / step)
    assert "(u" in lost[2]  # whole steps: rounded first
    assert "(m" in lost[3]  # per 10: not folded
    assert re.fullmatch(r"l\d+ = c\d+ - m\d+ \* c\d+", lost[4])  # per 1: rate × excess
    for rate, count in (("0.95", "3"), ("0.9", "1"), ("-0", "0E+1"), ("1E-100", "1E+1"), ("0.999", "1.0000001")):
        record = {"率": D(rate), "数": D(count)}
        module, _ = parse(FORMS)
        assert module is not None
        expected = walked(rubric, module, check(module), FORMS, record)
        assert expected is not None
        assert [str(n.score) for n in rubric.evaluate(record).nodes()] == [str(n.score) for n in expected.nodes()]

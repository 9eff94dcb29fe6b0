"""The scoring code folds what the rule text leaves in (issue 11): a deduction per step
settled by one comparison (`excess <= 0`: nothing over and exactly on the reference lose
the same), `max - (0 + rate × steps)` written `max - rate × steps`, a judgment's score taken
straight from its input, a checklist of awards picked from a table of its scores worked out
at load, a divisor that is a name read without a temporary. Every score, the total and the
raw total must keep their digits: here the compiled code (fast and general paths) is held to
the plain tree walker (`evaluate.walker`, which folds nothing) on rubrics of those forms with
edge values: zeros of every spelling and sign, exponents, 1E+1, long digits, tiny values."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import pingfen
from oracle_check import walked
from pingfen.check.passes import check
from pingfen.syntax.parser import parse

EDGE_RATIOS = ["0", "-0", "0.00", "-0.000", "0E+1", "1", "1.0", "1.00", "1E+0", "0.5", "0.95", "0.9999", "1.0001",
               "1.05", "1.5", "2", "1E-99", "0.333333333333333333333333333333333", "1.000000000000000000000000000001",
               "0.99999999999999999999999999999999"]  # fmt: skip
EDGE_COUNTS = [0, 1, 2, 3, 7, 30, "0", "-0", "0E+1", "1E+1", "3.000", "12345678901234567890123456789012"]
EDGE_SCORES = ["0", "-0", "0.00", "0E+1", "1", "1.50", "2.5", "3.0", "5", "5.000", "4.99999999999999999999999999999",
               "1E-50", "0.1E+1", "0.0000000000000000000000000000000001"]  # fmt: skip

maxima = st.sampled_from(["5", "5.0", "3", "0.5", "10", "2.50", "1"])
rates = st.sampled_from(["0.5", "1", "0.2", "0.25", "0.10", "2", "3.0"])
steps = st.sampled_from(["1pp", "0.5pp", "10pp", "1%", "2pp"])
countings = st.sampled_from(["proportional", "whole", "started"])
points = st.sampled_from(["1", "0.5", "0.50", "1.0", "2", "0.25", "3"])


@st.composite
def rubrics(draw: st.DrawFn) -> str:
    top1, top2, top3, top4, top5 = (draw(maxima) for _ in range(5))
    awards = draw(st.lists(points, min_size=1, max_size=6))
    top5 = str(max(Decimal(top5), sum(map(Decimal, awards))))  # the checker holds awards to the max
    total = sum(Decimal(t) for t in (top1, top2, top3, top4, top5))
    flags = "".join(f"input 条件{i}: bool\n" for i in range(len(awards)))
    award_lines = "".join(f"    award {p} if 条件{i}\n" for i, p in enumerate(awards))
    direction = draw(st.sampled_from(["above 100%", "below 100%", "above 0%", "below 50%"]))
    return (
        f'rubric "folded" {{ total {total} round total 2 half_up }}\n'
        "input 完成率: percent\ninput 实际: percent\ninput 基准: percent > 0\ninput 问题数: count\n"
        "input 自评: score\n" + flags +
        "let 比率 = 实际 / 基准\n"
        f"group 全部 {total} {{\n"
        f"  indicator 完成 {top1} {{ deduct {draw(rates)} per {draw(steps)} of 完成率 {direction} counting {draw(countings)} }}\n"
        f"  indicator 比率分 {top2} {{ deduct {draw(rates)} per {draw(steps)} of 比率 above 100% counting {draw(countings)} }}\n"
        f"  indicator 问题 {top3} {{ deduct {draw(rates)} per 问题数 }}\n"
        f"  indicator 自评分 {top4} {{ judgment 自评 }}\n"
        f"  indicator 清单 {top5} {{\n{award_lines}  }}\n"
        "}\n"
    )  # fmt: skip


@st.composite
def records(draw: st.DrawFn, flags: int) -> dict[str, object]:
    def ratio() -> object:
        return Decimal(draw(st.sampled_from(EDGE_RATIOS))) if draw(st.booleans()) else draw(
            st.decimals(min_value=-2, max_value=3, places=draw(st.integers(0, 6))))

    count = draw(st.sampled_from(EDGE_COUNTS))
    record: dict[str, object] = {
        "完成率": ratio(), "实际": ratio(), "基准": ratio(),
        "问题数": Decimal(count) if isinstance(count, str) else count,
        "自评": Decimal(draw(st.sampled_from(EDGE_SCORES))),
    }  # fmt: skip
    record.update({f"条件{i}": draw(st.booleans()) for i in range(flags)})
    return record


def digits(result: pingfen.Result) -> list[str]:
    """Every score as read, the total with its sign and zeros, the raw total."""
    return [f"{n.name}={n.score}" for n in result.nodes()] + [repr(result.total), str(result.raw_total), str(result.grade)]


@given(st.data())
def test_folded_code_scores_as_the_walker_does(data: st.DataObject) -> None:
    text = data.draw(rubrics(), label="rubric")
    rubric = pingfen.loads(text)
    module, _ = parse(text)
    assert module is not None
    checked = check(module)
    flags = text.count("award ")
    for _ in range(10):
        record = data.draw(records(flags), label="record")
        expected = walked(rubric, module, checked, text, record)
        if expected is None:  # refused by both alike
            continue
        fast = rubric.evaluate(record)
        general = rubric.evaluate({k: str(v) if isinstance(v, bool) else v for k, v in record.items()})
        assert digits(fast) == digits(expected) == digits(general)
        assert fast.scores() == expected.scores() and list(fast.scores().values()) == [n.score for n in expected.nodes()]
        assert [str(v) for v in fast.scores().values()] == [str(n.score) for n in expected.nodes()]


def test_the_folded_forms_are_there() -> None:
    """What the folds leave of the code: the table of a checklist adds nothing, a step's
    zero excess is settled by one comparison, and no compare_total call is made."""
    rubric = pingfen.loads(
        'rubric "r" { total 10 }\ninput a: bool\ninput b: bool\ninput c: bool\ninput x: percent\ninput s: score\n'
        "input n: count\ninput m: count > 0\nlet q = n / m\n"
        "group g 10 {\n  indicator 清单 3 {\n    award 1 if a\n    award 1 if b\n    award 1.0 if c\n  }\n"
        "  indicator 步 3 { deduct 0.5 per 1pp of x below 100% counting proportional }\n"
        "  indicator 评 2 { judgment s }\n  indicator 商 2 { deduct 1 per 1pp of q above 100% }\n}\n"
    )
    source = rubric.program.source
    run = source[source.index("def run"):]
    table = next(line for line in run.splitlines() if line.strip().startswith("s1 ="))
    assert table.count(" if x") == 7 and "+" not in table and "-" not in table  # 2³ scores, 7 tests
    # a step compares the value with its reference; the excess is worked out only when over
    assert "compare_total" not in source and re.search(r"\n +if [xyc]\d+ <= [xyc]\d+:\n.*\n +else:\n +m\d+ = ", run)
    assert "(c0 + " not in run and " - c0 * " not in run  # no `0 +` before a step's product
    assert ":=" not in run  # the divisor is a name
    judged = [line.strip() for line in run.splitlines() if line.strip().startswith(("s3 =", "p"))]
    assert judged and re.fullmatch(r"s3 = \(c\d+\(x4\) or c0\)", judged[0])  # `+ 0`, canonical: test_judged_canonical
    for record, total in (({"a": True, "b": True, "c": True, "x": Decimal("0.95"), "s": 2, "n": 3, "m": 2}, "5.50"),
                          ({"a": False, "b": True, "c": False, "x": 1, "s": Decimal("0.50"), "n": 2, "m": 2}, "6.50")):  # fmt: skip
        result = rubric.evaluate(record)
        assert str(result.total) == total, (record, result.scores())

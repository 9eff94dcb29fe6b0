"""Rounding where the text says (issue 10 item 4): an input's declared precision, to which
its values are rounded when read (Rubric.coerce and the compiled fast path alike), and
reasons that show the numbers that scored."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

import pingfen
from pingfen import values
from pingfen.errors import DataError
from pingfen.loader import diagnose, loads

STARTED = """rubric "t" {{ total 10 }}
input 执行率: percent{precision} >= 0% and <= 100%
indicator 执行 10 {{ deduct 1 per 1pp of 执行率 below 100% counting started }}
"""


def _both(rubric: pingfen.Rubric, record: dict[str, object]) -> pingfen.Result:
    compiled = rubric.evaluate(record)
    walked = rubric.walker().evaluate(rubric.coerce(record))
    assert [(n.name, n.score, n.reasons) for n in compiled.children] == [
        (n.name, n.score, n.reasons) for n in walked.children
    ]
    return compiled


def test_a_spreadsheet_97_percent_counts_3_started_steps_at_its_precision() -> None:
    # the case of the issue: 0.9699999999999999 from a spreadsheet is 97% to the rubric,
    # so `counting started` counts 3 steps short of 100%, not 4
    plain = loads(STARTED.format(precision=""))
    assert _both(plain, {"执行率": 0.9699999999999999})["执行"].score == 6  # without: 4 steps
    declared = loads(STARTED.format(precision=" precision 0.01%"))
    result = _both(declared, {"执行率": 0.9699999999999999})
    assert result["执行"].score == 7
    assert result["执行"].reasons == ["执行率 97% 低于 100% 3 个百分点，每个百分点扣 1 分，扣 3 分（不足一步按一步计，计 3 步）"]
    assert declared.coerce({"执行率": 0.9699999999999999}) == {"执行率": Decimal("0.9700")}


def test_values_are_rounded_half_up_on_every_path() -> None:
    rubric = loads(STARTED.format(precision=" precision 0.1%"))
    # the fast path (a Decimal) and the general one (a text, a float) read alike
    for value in (Decimal("0.96949"), "96.949%", 0.96949):
        assert rubric.coerce({"执行率": value})["执行率"] == Decimal("0.969")
        assert rubric.evaluate({"执行率": value})["执行"].score == 6
    for value in (Decimal("0.96950"), "96.95%"):
        assert rubric.coerce({"执行率": value})["执行率"] == Decimal("0.970")
        assert rubric.evaluate({"执行率": value})["执行"].score == 7


def test_bounds_are_checked_on_the_rounded_value() -> None:
    rubric = loads(STARTED.format(precision=" precision 0.01%"))
    assert rubric.evaluate({"执行率": "100.004%"})["执行"].score == 10
    with pytest.raises(DataError) as refused:
        rubric.evaluate({"执行率": "100.006%"})
    assert refused.value.problems[0].code == "PF503"


def test_a_value_too_long_for_its_precision_is_refused() -> None:
    rubric = loads("""rubric "t" { total 10 }
input 金额: amount precision 0.01
indicator A 10 { score = min(金额, 10) }
""")
    assert rubric.evaluate({"金额": "3.14159"})["A"].score == Decimal("3.14")
    with pytest.raises(DataError) as refused:
        rubric.evaluate({"金额": "1" * 30 + ".5"})
    assert refused.value.problems[0].code == "PF530"


def test_a_precision_is_a_power_of_ten_in_the_inputs_unit() -> None:
    def codes(decl: str) -> list[str]:
        text = f'rubric "t" {{ total 5 }}\ninput x: {decl}\nindicator A 5 {{ score = min(x * 5, 5) }}\n'
        return [d.code for d in diagnose(text) if d.severity == "error"]

    assert codes("percent precision 0.01%") == []
    assert codes("number precision 0.01") == []
    assert codes("number precision 1") == []
    assert codes("percent precision 0.01") == ["PF210"]
    assert codes("number precision 0.05") == ["PF210"]
    assert codes("number precision 1%") == ["PF210"]


def test_a_precision_survives_formatting() -> None:
    from pingfen.syntax.formatter import format_text

    text = STARTED.format(precision=" precision 0.01%")
    assert "input 执行率: percent precision 0.01% >= 0% and <= 100%" in format_text(text)


ROUNDED = """rubric "t" {{ total 10 }}
input 实际: amount >= 0
input 预算: amount > 0
let 偏差率 = {deviation}
indicator 偏差 10 {{ deduct 1 per 1pp of 偏差率 counting whole }}
"""


def test_an_intermediate_value_is_rounded_where_the_text_says() -> None:
    # 偏差率保留四位小数: 2.996% is 3.00%, three whole steps; unrounded it is two
    exact = loads(ROUNDED.format(deviation="abs(实际 - 预算) / 预算"))
    rounded = loads(ROUNDED.format(deviation="round(abs(实际 - 预算) / 预算, 4)"))
    record = {"实际": Decimal("102.996"), "预算": 100}
    assert _both(exact, record)["偏差"].score == 8
    assert _both(rounded, record)["偏差"].score == 7
    assert rounded.coerce(record) == {"实际": Decimal("102.996"), "预算": Decimal("100")}


@pytest.mark.parametrize(("actual", "budget"), [("1e25", "1"), ("1e27", "3"), ("9e99", "7")])
def test_round_of_a_value_within_the_domain_is_worked_out_not_refused(actual: str, budget: str) -> None:
    """A value of 26 digits or more to 4 places has more than the 28 digits of the scoring
    context: round() raised InvalidOperation (PF507) for values every input domain allows."""
    rubric = loads(ROUNDED.format(deviation="round(abs(实际 - 预算) / 预算, 4)"))
    assert _both(rubric, {"实际": Decimal(actual), "预算": Decimal(budget)})["偏差"].score == 0
    kept = values.rounded(Decimal("12345678901234567890123456.78915"), Decimal("0.0001"), ROUND_HALF_UP)
    assert kept == Decimal("12345678901234567890123456.7892")  # every digit, 30 of them


def test_round_takes_the_modes_of_the_total() -> None:
    def score(mode: str, value: str) -> Decimal:
        text = f'rubric "t" {{ total 10 }}\ninput x: number >= 0 and <= 10\nindicator A 10 {{ score = round(x, 1{mode}) }}\n'
        return _both(loads(text), {"x": Decimal(value)})["A"].score

    assert score("", "2.25") == Decimal("2.3")  # half up by default
    assert score(", half_even", "2.25") == Decimal("2.2")
    assert score(", down", "2.29") == Decimal("2.2")
    assert score(", up", "2.21") == Decimal("2.3")
    assert score(", floor", "2.29") == Decimal("2.2")
    assert score(", ceiling", "2.21") == Decimal("2.3")


def test_round_places_are_checked_and_the_range_accounts_for_rounding() -> None:
    def codes(body: str) -> list[str]:
        return [d.code for d in diagnose(f'rubric "t" {{ total 10 }}\ninput x: number >= 0 and <= 9.96\n'
                                         f'indicator A 10 {{ {body} }}\n')]

    assert "PF130" in codes("score = round(x, 11)")
    assert "PF004" in codes("score = round(x, 1.5)")
    # x <= 9.96 never reaches 10, but rounded to 1 place it does: no "never full marks" (PF408)
    assert "PF408" in codes("score = x")
    assert "PF408" not in codes("score = round(x, 1)")
    assert "PF408" in codes("score = round(x, 1, down)")


def test_round_survives_formatting() -> None:
    from pingfen.syntax.formatter import format_text

    text = ROUNDED.format(deviation="round(abs(实际 - 预算) / 预算, 4, half_even)")
    assert "let 偏差率 = round(abs(实际 - 预算) / 预算, 4, half_even)" in format_text(text)
    assert "round(abs(实际 - 预算) / 预算, 4)" in format_text(ROUNDED.format(deviation="round(abs(实际 - 预算) / 预算, 4, half_up)"))


def test_a_reason_shows_the_points_that_were_lost() -> None:
    # a half step of 0.01 points loses 0.005: the reason says 0.005, not 0.01
    rubric = loads("""rubric "t" { total 1 }
input 差额: number >= 0
indicator A 1 { deduct 0.01 per 1 of 差额 }
""")
    result = _both(rubric, {"差额": Decimal("0.5")})
    assert result["A"].score == Decimal("0.995")
    assert "扣 0.005 分" in result["A"].reasons[0]


NODE_ROUND = """rubric "t" {{ total 10 }}
input 执行率: percent >= 0% and <= 100%
input 评分: score
indicator 执行 5 {{
  round {places}
  deduct 0.5 per 1pp of 执行率 below 100% counting proportional
}}
indicator 评审 5 {{ round 0 down  judgment 评分 }}
"""


def test_an_indicator_score_is_rounded_and_its_reason_shows_both_numbers() -> None:
    rubric = loads(NODE_ROUND.format(places="1"))
    result = _both(rubric, {"执行率": "96.55%", "评分": "4.9"})
    assert result["执行"].score == Decimal("3.3")
    assert result["执行"].reasons[-1] == "得分 3.275 保留 1 位小数，计 3.3 分"
    assert result["评审"].score == 4  # 不足 1 分的不计
    assert result["评审"].reasons[-1] == "得分 4.9 保留 0 位小数，计 4 分"
    assert result.total == Decimal("7.30")
    english = rubric.evaluate({"执行率": "96.55%", "评分": "4.9"}, lang="en")
    assert english["执行"].reasons[-1] == "3.275 rounded to 1 place: 3.3"
    # a score already at its places gives no reason
    full = _both(rubric, {"执行率": "100%", "评分": 5})
    assert (full["执行"].score, full["执行"].reasons) == (5, [])


def test_a_rounded_indicator_can_reach_its_max_only_by_rounding() -> None:
    text = """rubric "t" { total 10 }
input x: number >= 0 and <= 9.96
indicator A 10 {
  round 1
  score = x
}
"""
    assert "PF408" not in [d.code for d in diagnose(text)]
    assert "PF408" in [d.code for d in diagnose(text.replace("round 1", "round 1 down"))]


def test_an_indicator_round_is_checked_and_formatted() -> None:
    from pingfen.syntax.formatter import format_text

    def codes(body: str) -> list[str]:
        return [d.code for d in diagnose(f'rubric "t" {{ total 2.5 }}\ninput s: score\nindicator A 2.5 {{ {body} }}\n')
                if d.severity == "error"]

    assert codes("round 1  judgment s") == []
    assert codes("round 0  judgment s") == ["PF131"]
    assert codes("round 11  judgment s") == ["PF130"]
    formatted = format_text(NODE_ROUND.format(places="1 half_even"))
    assert "  round 1 half_even\n  deduct" in formatted and "  round 0 down\n  judgment 评分" in formatted
    assert format_text(formatted) == formatted


def test_pingfen_diff_names_a_changed_precision_and_rounding() -> None:
    from pingfen.diff import diff_modules
    from pingfen.syntax.parser import parse

    old, _ = parse(NODE_ROUND.format(places="1"))
    new, _ = parse(NODE_ROUND.format(places="2").replace("percent >=", "percent precision 0.01% >="))
    assert old is not None and new is not None
    changes = [(c.kind, c.node, c.part, c.old, c.new) for c in diff_modules(old, new).changes]
    assert ("input_changed", "执行率", ("precision",), None, "0.01%") in changes
    assert ("rule_changed", "执行", ("rounding",), "round 1 half_up", "round 2 half_up") in changes

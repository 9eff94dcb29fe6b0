"""A tie reached through a quotient that does not end rounds as the tie (docs/language.md §7):
every rounding — the total's, `round N`, `round(…)`, a step count's `counting whole|started` —
first settles the value to 16 places, half up. The compiled scorer, the tree walker and the SQL
query on a real DuckDB each do, and each agrees with exact fractions.

Before settling, 5 ÷ 24 × 30 (exactly 6.25) was carried as 6.2499…, so `round 1` gave 6.2 where
四舍五入 gives 6.3, and the query (20 decimals) totalled 50/96 × 30 = 15.625 as 15.62 where
evaluate() said 15.63."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlglot import exp

import pingfen
import sqlhelp
from duckdb_helpers import duckdb, needs_duckdb
from oracle_check import both
from pingfen import ast
from pingfen.sql.newforms import round_expr
from pingfen.values import ROUNDING, SETTLE, rounded, total_rounding

MODES: tuple[ast.RoundingMode, ...] = ("half_up", "half_even", "half_down", "up", "down", "ceiling", "floor")
DIVISORS = (3, 7, 24, 96, 12, 48, 13)  # none ends: 1/3 … 1/13 carried, and some land above, some below


def exact_round(r: Fraction, places: int, mode: str) -> Fraction:
    """r rounded to `places` decimals in `mode`, by integer arithmetic on the exact fraction —
    the oracle, sharing nothing with Decimal."""
    scaled = r * 10**places
    magnitude = abs(scaled)
    whole = magnitude.numerator // magnitude.denominator
    rest = magnitude - whole
    negative = scaled < 0
    up = {
        "half_up": rest >= Fraction(1, 2),
        "half_down": rest > Fraction(1, 2),
        "half_even": rest > Fraction(1, 2) or (rest == Fraction(1, 2) and whole % 2 == 1),
        "up": rest > 0,
        "down": False,
        "ceiling": rest > 0 and not negative,
        "floor": rest > 0 and negative,
    }[mode]
    kept = Fraction(whole + up, 10**places)
    return -kept if negative else kept


def ties(places: int) -> list[Fraction]:
    """Exact values a rounding to `places` decimals can meet on its edge: halves and wholes of its
    last place, and values just off them."""
    unit = Fraction(1, 10**places)
    out = []
    for k in (1, 2, 7, 25):
        out += [k * unit + unit / 2, k * unit, k * unit + unit / 2 + unit / 1000, k * unit - unit / 1000]
    return [v for v in out if v > 0]


def test_settling_makes_the_documented_ties_round_as_ties() -> None:
    """The two cases docs/scale.md reported as the contract's exception, and the arithmetic behind them."""
    held = Decimal(5) / Decimal(24) * 30
    assert held != Decimal("6.25")  # carried a hair off the tie …
    assert rounded(held, Decimal("0.1"), ROUNDING["half_up"]) == Decimal("6.3")  # … and rounded as the tie
    query_held = Decimal("15.62499999999999999990")  # the query's 20-decimal 50/96 × 30
    assert rounded(query_held, Decimal("0.01"), ROUNDING["half_up"]) == Decimal("15.63")
    # a value only near a tie is not moved
    assert rounded(Decimal("15.6249999999999"), Decimal("0.01"), ROUNDING["half_up"]) == Decimal("15.62")


# One indicator scoring 分子 / 分母 × 倍数, rounded three ways: by the total, by `round N`, by `round(…)`.
INPUTS = """input 分子: amount
input 分母: amount > 0
input 倍数: amount
"""
RULE = 'rubric "价格分" {{\n  total 1000\n  round total {places} {mode}\n}}\n' + INPUTS + """indicator 得分 1000 {{
  score = 分子 / 分母 * 倍数
}}
"""
ROUND_N = 'rubric "保留小数" {{\n  total 1000\n}}\n' + INPUTS + """indicator 得分 1000 {{
  round {places} {mode}
  score = 分子 / 分母 * 倍数
}}
"""
ROUND_EXPR = 'rubric "保留小数" {{\n  total 1000\n}}\n' + INPUTS + """indicator 得分 1000 {{
  score = round(分子 / 分母 * 倍数, {places}, {mode}) + 500
}}
"""


def _records(places: int) -> list[tuple[dict[str, object], Fraction]]:
    """(record, the exact value of 分子 / 分母 × 倍数): each tie reached through a divisor that
    does not end (× the divisor back), and the same with the value not a tie."""
    out = []
    for value in ties(places):
        for d in DIVISORS:
            numerator = Decimal(value.numerator) / Decimal(value.denominator)  # ends: a tenth's power
            out.append(({"分子": numerator, "分母": Decimal(d), "倍数": Decimal(d)}, value))
    return out


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("places", [0, 1, 2, 4, 10])
def test_every_rounding_of_a_tie_through_a_quotient_is_the_exact_rounding(mode: str, places: int) -> None:
    """The total, `round N` and `round(…)`, compiled and walked (oracle_check.both), against exact fractions."""
    total_rubric = pingfen.loads(RULE.format(places=places, mode=mode))
    node_rubric = pingfen.loads(ROUND_N.format(places=places, mode=mode))
    expr_rubric = pingfen.loads(ROUND_EXPR.format(places=places, mode=mode))
    for record, value in _records(places):
        want = exact_round(value, places, mode)
        assert Fraction(both(total_rubric, record).total) == want, (record, mode, places)
        assert Fraction(both(node_rubric, record).score("得分")) == want, (record, mode, places)
        assert Fraction(both(expr_rubric, record).score("得分")) == want + 500, (record, mode, places)


STEPS = 'rubric "按步扣分" {{\n  total 100\n}}\n' + INPUTS + """let 超出 = 分子 / 分母 * 倍数
indicator 扣分 100 {{
  deduct 1 per 1 of 超出 counting {counting}
}}
"""


@pytest.mark.parametrize("counting", ["whole", "started"])
def test_a_whole_number_of_steps_through_a_quotient_counts_as_that_many(counting: str) -> None:
    """1 ÷ 3 × 3 steps is 1 step, not 0 (whole) — 1 ÷ 7 × 7 is 1, not 2 (started)."""
    rubric = pingfen.loads(STEPS.format(counting=counting))
    for k in (1, 2, 3, 5, 12):
        for d in DIVISORS:
            record = {"分子": Decimal(k), "分母": Decimal(d), "倍数": Decimal(d)}
            assert both(rubric, record).score("扣分") == 100 - k, (record, counting)
    # and a count that is not whole is still rounded its way
    result = both(rubric, {"分子": Decimal(7), "分母": Decimal(3), "倍数": Decimal(1)})
    assert result.score("扣分") == (98 if counting == "whole" else 97)


EDGES = [Decimal(0), SETTLE / 2, SETTLE / 2 - Decimal("1e-20"), SETTLE / 2 + Decimal("1e-20"), Decimal("1e-20"), SETTLE]


def _near(places: int) -> list[Decimal]:
    """Values a DECIMAL(38, 20) column can hold on each side of where settling moves a rounding
    of `places` decimals: at halves and wholes of its last place, ± each of EDGES, of either sign."""
    unit = Decimal(1).scaleb(-places)
    out: set[Decimal] = set()
    for base in (unit / 2, unit, 3 * unit / 2, 7 * unit + unit / 2, Decimal(12)):
        for edge in EDGES:
            out |= {base + edge, base - edge, -(base + edge), -(base - edge)}
    return sorted(out)


@needs_duckdb
@pytest.mark.parametrize("mode", MODES)
def test_the_query_settles_every_rounding_as_values_rounded_does(mode: ast.RoundingMode) -> None:
    """round_expr's moved thresholds (exact.rounds_up) give settling's digits exactly: at the
    half unit, a hair inside it and a hair outside, in every mode, of either sign."""
    con = duckdb.connect()
    con.execute("CREATE TABLE v (i INTEGER, x DECIMAL(38, 20))")
    for places in (0, 1, 2, 3, 10):
        values = _near(places)
        con.execute("DELETE FROM v")
        con.executemany("INSERT INTO v VALUES (?, ?)", [[i, str(x)] for i, x in enumerate(values)])
        query = exp.select(round_expr(exp.column("x"), places, mode)).from_("v").order_by("i")
        got = [row[0] for row in con.execute(query.sql(dialect="duckdb")).fetchall()]
        quantum, rounding = total_rounding(Decimal(places), mode)
        want = [rounded(x, quantum, rounding) for x in values]
        assert got == want, (places, [(x, g, w) for x, g, w in zip(values, got, want, strict=True) if g != w])


@needs_duckdb
@pytest.mark.parametrize("mode", MODES)
def test_the_query_totals_a_tie_through_a_quotient_as_evaluate_does(mode: str) -> None:
    """The whole query: total, `round N`, `round(…)` and step counts, row by row against evaluate()
    (sqlhelp.agree: totals and grades identical)."""
    con = duckdb.connect()
    for places in (0, 2, 4):
        records = [r for r, _ in _records(places)]
        for template in (RULE, ROUND_N, ROUND_EXPR):
            rubric = pingfen.loads(template.format(places=places, mode=mode))
            for record, row in zip(records, sqlhelp.score(con, rubric, records), strict=True):
                sqlhelp.agree(rubric, record, row)
    for counting in ("whole", "started"):
        rubric = pingfen.loads(STEPS.format(counting=counting))
        records = [{"分子": Decimal(k), "分母": Decimal(d), "倍数": Decimal(d)} for k in (1, 2, 12) for d in DIVISORS]
        for record, row in zip(records, sqlhelp.score(con, rubric, records), strict=True):
            sqlhelp.agree(rubric, record, row)
            assert row["扣分"] == 100 - record["分子"], (record, row)  # type: ignore[operator]  # a Decimal


@given(st.integers(0, 10**6), st.booleans(), st.sampled_from((3, 7, 9, 11, 13, 21, 999)), st.integers(0, 6), st.sampled_from(MODES))
def test_settling_never_moves_a_value_a_real_rubric_meets_off_its_exact_rounding(
    k: int, tie: bool, divisor: int, places: int, mode: str
) -> None:
    """Every half (and whole) of the rounding's last place, v = n / (2 × 10^places), reached as
    (v ÷ d) × d for a d whose quotients do not end: the language's rounding of what Decimal
    carries is the exact rounding of v."""
    n = 2 * k + 1 if tie else 2 * k
    value = Fraction(n, 2 * 10**places)
    held = Decimal(n) / (2 * 10**places) / Decimal(divisor) * Decimal(divisor)
    quantum, rounding = total_rounding(Decimal(places), mode)
    assert Fraction(rounded(held, quantum, rounding)) == exact_round(value, places, mode), held


COMPARED = 'rubric "折算" {\n  total 5\n}\n' + INPUTS + """indicator 折算 5 {
  when round(分子 / 分母 * 倍数, 4) > 2 -> 0
  else -> 5
}
"""


@needs_duckdb
def test_a_comparison_read_to_its_places_meets_its_threshold_exactly_on_both_paths() -> None:
    """docs/language.md §7: a comparison compares the value as carried — 2 ÷ 3 × 3 is 2.000…0 in
    evaluate() and 2.000…01 in the query — so the rubric says to how many places it is read;
    round(…, 4) settles it, and 2 > 2 is false on both paths."""
    rubric = pingfen.loads(COMPARED)
    records = [{"分子": Decimal(k), "分母": Decimal(d), "倍数": Decimal(d)} for k in (2, 1, 3) for d in DIVISORS]
    for record, row in zip(records, sqlhelp.score(duckdb.connect(), rubric, records), strict=True):
        want = 0 if record["分子"] > 2 else 5  # type: ignore[operator]  # a Decimal
        assert both(rubric, record).score("折算") == want, record
        assert row["折算"] == want, (record, row)
        sqlhelp.agree(rubric, record, row)

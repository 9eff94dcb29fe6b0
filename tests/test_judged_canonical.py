"""Every score written canonical by the scoring code (issue 11): a judgment's score is its input
rounded as the pinned context rounds and made canonical in one C call (`rulegen._JUDGED`), or 0
for any zero; a group's plain sum is normalized where it is summed, in a rubric whose scores are
never -0 and whose rows all apply. Such a rubric's `scores()` is then one dict of the scores as
they are, and its tree reads them as they are. Here: the judged form against `+x` then
`canonical` on edge values and random decimals below 10^27 (the form is written only below),
the forms where they are written and where not, and every score of rubrics with judgments and
trailing zeros digit for digit what the walker and `canonical` give."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pingfen
from pingfen.check.passes import check
from pingfen.display import canonical
from pingfen.evaluate import walker as oracle
from pingfen.evaluate.rulegen import _JUDGED_CANONICAL, _judged_within
from pingfen.syntax.parser import parse
from pingfen.values import CONTEXT

EDGES = ["0", "-0", "0.00", "-0.000", "0E+5", "0E-7", "1E+1", "2E+26", "9.99E+26", "1.0", "2.50", "3.000", "1E-100",
         "-1E-100", "0.30", "-2.50", "5", "0.99999999999999999999999999999", "4.999999999999999999999999999951",
         "123456789012345678901234567.5", "999999999999999999999999999.5", "-999999999999999999999999999.49",
         "1.00000000000000000000000000050", "7.250000000000000000000000000000000"]  # fmt: skip


def judged(x: Decimal) -> Decimal:
    return _JUDGED_CANONICAL(x) or Decimal(0)  # what the code writes: `(c(x) or 0)`


def expected(x: Decimal) -> Decimal:
    return canonical(CONTEXT.plus(x))  # the score `+x` gave, read canonical


@pytest.mark.parametrize("text", EDGES)
def test_the_judged_form_is_plus_then_canonical_on_edge_values(text: str) -> None:
    x = Decimal(text)
    assert str(judged(x)) == str(expected(x)) and repr(judged(x)) == repr(expected(x))


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1E+27"), max_value=Decimal("1E+27"),
                   places=None).filter(lambda x: abs(x) < Decimal("1E+27")))  # fmt: skip
def test_the_judged_form_is_plus_then_canonical_below_10_27(x: Decimal) -> None:
    assert str(judged(x)) == str(expected(x))


@given(st.integers(min_value=0, max_value=10**40), st.integers(min_value=-60, max_value=0))
def test_the_judged_form_on_long_digits(coefficient: int, exponent: int) -> None:
    x = Decimal(coefficient).scaleb(exponent)
    if abs(x) < Decimal("1E+27"):
        assert str(judged(x)) == str(expected(x))


def test_the_bounds_that_allow_the_form() -> None:
    assert _judged_within(((">=", Decimal(0)), ("<=", Decimal(5))))
    assert _judged_within(((">", Decimal("-1E+26")), ("<", Decimal("9E+26"))))
    assert not _judged_within(((">=", Decimal(0)),))  # no upper bound
    assert not _judged_within((("<=", Decimal(5)),))  # no lower bound
    assert not _judged_within(((">=", Decimal(0)), ("<=", Decimal("1E+27"))))


JUDGED = """rubric "评" { total 30 }
input 甲: score
input 乙: score
input 丙: score
input 是: bool
group 全部 30 {
  group 评价 10 {
    indicator 甲项 5 { judgment 甲 }
    indicator 乙项 5 { judgment 乙 }
  }
  group 其他 20 {
    indicator 丙项 %(max)s { judgment 丙 }
    indicator 清单 5.0 {
      award 2.50 if 是
      award 2.50 if 是
    }
  }
}
"""


def _all_scores(rubric: pingfen.Rubric, record: dict[str, object]) -> None:
    """Every score of the compiled result is digit for digit the walker's read canonical, and
    what scores(), nodes() and scores_of() give."""
    result = rubric.evaluate(record)
    module, _ = parse(rubric.source.text)
    assert module is not None
    walked = oracle.evaluate(module, check(module), rubric.source.text, rubric.coerce(record))
    want = [str(canonical(n.score)) for n in walked.nodes()]
    if result._layout.every_canonical:  # written canonical, not only read so
        assert [str(s) for s in result._scores] == want
    assert [str(s) for s in result.scores().values()] == want
    assert [str(result.score(name)) for name in result._layout.names] == want
    assert [str(n.score) for n in result.nodes()] == want
    names = tuple(reversed(result._layout.names))
    assert [str(s) for s in result.scores_of(names)] == want[::-1]
    assert repr(result.total) == repr(walked.total) and str(result.raw_total) == str(walked.raw_total)


@pytest.mark.parametrize("a", EDGES[:16])
def test_a_rubric_of_judgments_writes_every_score_canonical(a: str) -> None:
    rubric = pingfen.loads(JUDGED % {"max": "15"})
    layout = rubric.program.layout
    assert layout.every_canonical and layout.unsigned
    source = rubric.program.source[rubric.program.source.index("def run"):]
    assert "(+x" not in source and source.count(" or c0)") == 3
    value = Decimal(a)
    if not Decimal(0) <= value <= 5:
        return
    for other in (Decimal("2.50"), Decimal("0"), 3, Decimal("-0")):
        for yes in (True, False):
            _all_scores(rubric, {"甲": value, "乙": other, "丙": Decimal("4.50"), "是": yes})


def test_a_judgment_past_10_27_keeps_plus_and_is_read_canonical() -> None:
    big = {"total 30": "total 2000000000000000000000000015 round total 0", "其他 20": "其他 2000000000000000000000000005",
           "全部 30": "全部 2000000000000000000000000015"}  # fmt: skip
    text = JUDGED % {"max": "2000000000000000000000000000"}
    for old, new in big.items():
        text = text.replace(old, new)
    rubric = pingfen.loads(text)
    source = rubric.program.source[rubric.program.source.index("def run"):]
    assert source.count(" or c0)") == 2 and "(+x2)" in source  # 丙 may reach 2E+27
    assert not rubric.program.layout.every_canonical
    for big in ("1999999999999999999999999999.5", "1E+27", "2.50", "-0"):
        _all_scores(rubric, {"甲": Decimal(5), "乙": Decimal("0.50"), "丙": Decimal(big), "是": True})


def test_a_rubric_whose_rows_may_not_apply_normalizes_when_read() -> None:
    text = (JUDGED % {"max": "15"}).replace("indicator 乙项 5 { judgment 乙 }",
                                            "indicator 乙项 5 {\n    applies if 是 else zero\n    judgment 乙\n  }")  # fmt: skip
    rubric = pingfen.loads(text)
    assert rubric.program.layout.canonical == () and not rubric.program.layout.every_canonical
    result = rubric.evaluate({"甲": Decimal("2.50"), "乙": Decimal("2.50"), "丙": Decimal("4.50"), "是": True})
    assert [str(v) for v in result.scores().values()] == ["14.5", "5", "2.5", "2.5", "9.5", "4.5", "5"]

"""扣完为止 in words by a sentence prepared once per site and language (issue 11), the words of
its max fixed at load: it says what the template over `params` says (kept as the fallback for
a site made by hand), for every start and loss — below 0, the max itself, less than it — and
numbers of every shape, in both languages and whatever the reader's decimal context."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pingfen import reasons
from pingfen.reasons import Reason, Site

numbers = st.one_of(
    st.decimals(min_value=-1000, max_value=1000, places=None, allow_nan=False),
    st.builds(lambda n, e: Decimal(n).scaleb(e), st.integers(-(10**30), 10**30), st.integers(-30, 3)),
    st.sampled_from([Decimal(t) for t in ("0", "-0", "3", "3.0", "3.00", "1E+1", "4.1666666666666666666666666667")]),
)


def template(site: Site, start: Decimal, lost: Decimal, zh: bool) -> str:
    return reasons._TEMPLATES["clamped_low"][0 if zh else 1](reasons.params(site, (start, lost), None))


@given(numbers, numbers, numbers, st.booleans())
@example(Decimal(3), Decimal("3.5"), Decimal(3), True)
@example(Decimal("3.0"), Decimal("7.25"), Decimal(3), False)
@example(Decimal(2), Decimal("2.005"), Decimal(3), True)
@example(Decimal(-1), Decimal("0.5"), Decimal(3), False)
def test_the_prepared_clamp_says_what_the_template_says(
    top: Decimal, start: Decimal, lost: Decimal, at_max: bool
) -> None:
    start = top if at_max else start
    site = Site("clamped_low", {"max": top}, ("start", "lost"))
    for zh, lang in ((True, "zh"), (False, "en")):
        assert Reason(site, (start, lost)).text(lang) == template(site, start, lost, zh)


def test_the_max_is_worded_once_and_each_record_s_numbers_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_params(*args: object) -> None:
        raise AssertionError("a prepared clamp gathers no params")

    monkeypatch.setattr(reasons, "params", no_params)
    site = Site("clamped_low", {"max": Decimal("3.00")}, ("start", "lost"))
    said = site.said(True)
    assert said((Decimal(3), Decimal("3.5")), Decimal(0)) == "合计应扣 3.5 分，超过分值 3，扣完为止，得 0 分"
    assert said((Decimal(2), Decimal("2.125")), Decimal(0)) == "合计应扣 2.13 分，超过可扣的 2 分，扣完为止，得 0 分"
    assert said((Decimal(-1), Decimal(1)), Decimal(0)) == "计得 -2 分，低于 0 分，按 0 分计"
    assert (
        site.said(False)((Decimal(3), Decimal(4)), None)
        == "4 points lost in all, more than the max 3: scored 0 (扣完为止)"
    )


def test_a_site_made_otherwise_is_worded_by_the_template() -> None:
    site = Site("clamped_low", {"max": Decimal(3), "start": Decimal(3)}, ("lost",))  # the start fixed by the rule
    assert Reason(site, (Decimal("3.5"),)).text() == "合计应扣 3.5 分，超过分值 3，扣完为止，得 0 分"


@given(numbers, numbers)
def test_the_reader_s_context_is_read_as_the_template_reads_it(start: Decimal, lost: Decimal) -> None:
    site = Site("clamped_low", {"max": Decimal(5)}, ("start", "lost"))
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        assert Reason(site, (start, lost)).text() == template(site, start, lost, True)

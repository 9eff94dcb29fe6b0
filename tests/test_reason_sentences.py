"""Reasons put into words by sentences prepared once per site and language say exactly what
the templates over `params` said before (issue 11): the former templates of the prepared
kinds (step, band, judgment) and the former `shown` and `_hundredfold` are kept here as the
reference, and every reason of random rubrics and records is read both ways, in both languages."""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import pingfen
from pingfen import reasons
from pingfen.display import number, plain
from pingfen.reasons import Reason, Site, quantity
from pingfen.values import CONTEXT
from strategies import loaded, random_rubrics, records_2021

_SHORT = Decimal("0.000001")


def old_shown(value: Decimal) -> str:
    if value.is_finite() and value == value.quantize(_SHORT, context=CONTEXT) if abs(value.adjusted()) < 20 else False:
        return plain(value)
    return number(value)


def old_hundredfold(value: Decimal) -> Decimal:
    if not value.is_finite():
        return value
    sign, digits, exponent = value.as_tuple()
    return Decimal((sign, digits, int(exponent) + 2))


def _n(p: Mapping[str, object], key: str) -> str:
    value = p[key]
    assert isinstance(value, Decimal)
    return old_shown(value)


def old_gap(p: Mapping[str, object], zh: bool) -> str:
    excess = p["excess"]
    assert isinstance(excess, Decimal)
    if p["unit"] == "percent":
        return f"{number(old_hundredfold(excess))} 个百分点" if zh else f"{number(old_hundredfold(excess))} percentage points"
    word, english = reasons.measure(p["subject"], p["unit"])  # a count's own measure word (test_measure_words)
    if word != "项" and zh:
        return f"{number(excess)} {word}"
    if english is not None and not zh:
        return f"{number(excess)} {english}" + ("" if number(excess) == "1" else "s")
    return number(excess)


def old_per(p: Mapping[str, object], zh: bool) -> str:
    step = p["step"]
    assert isinstance(step, Decimal)
    if p["unit"] == "percent":
        points = reasons.exact(old_hundredfold(step))
        if zh:
            return "每个百分点" if points == "1" else f"每 {points} 个百分点"
        return "per percentage point" if points == "1" else f"per {points} percentage points"
    word, english = reasons.measure(p["subject"], p["unit"])
    if zh:
        if p["unit"] == "count":
            return f"每{word}" if step == 1 else f"每 {reasons.exact(step)} {word}"
        return f"每 {reasons.exact(step)} "
    if english is not None:
        return f"per {english}" if step == 1 else f"per {reasons.exact(step)} {english}s"
    return "each" if step == 1 else f"per {reasons.exact(step)}"


_DIRECTION = {"above": ("超过", "above"), "below": ("低于", "below"), "from": ("偏离", "away from")}
_COUNTING = {
    "whole": ("（按整步计，计 {steps} 步）", " (whole steps: {steps})"),
    "started": ("（不足一步按一步计，计 {steps} 步）", " (every started step counts: {steps})"),
}


def old_step(p: Mapping[str, object], zh: bool) -> str:
    lost = _n(p, "lost")
    rate = reasons.exact(p["rate"])  # type: ignore[arg-type]  # a Decimal, as the scoring code records it
    counting = _COUNTING.get(str(p.get("counting")))
    extra = ""
    if counting:
        extra = counting[0 if zh else 1].format(steps=_n(p, "steps"))
    if p.get("reference") is None:
        if zh:
            return f"{p['subject']}为 {p['shown_value']}，{old_per(p, zh)}扣 {rate} 分，扣 {lost} 分{extra}"
        return f"{p['subject']} is {p['shown_value']}; {rate} {old_per(p, zh)}: -{lost}{extra}"
    word = _DIRECTION[str(p["direction"])][0 if zh else 1]
    if zh:
        return (
            f"{p['subject']} {p['shown_value']} {word} {p['shown_reference']} {old_gap(p, zh)}，"
            f"{old_per(p, zh)}扣 {rate} 分，扣 {lost} 分{extra}"
        )
    return (
        f"{p['subject']} {p['shown_value']} is {old_gap(p, zh)} {word} {p['shown_reference']}; "
        f"{rate} {old_per(p, zh)}: -{lost}{extra}"
    )


OLD = {
    "step": (lambda p: old_step(p, True), lambda p: old_step(p, False)),
    "band": (  # the `else` arm named as no band (it said `属于 else 档`)
        lambda p: f"{p['subject']} {p['shown_value']} "
        + ("属于其他档" if p["band"] == "else" else f"属于 {p['band']} 档")
        + f"，得 {_n(p, 'points')} 分（满分 {_n(p, 'max')}）",
        lambda p: f"{p['subject']} {p['shown_value']} "
        + ("is in none of the bands" if p["band"] == "else" else f"is in {p['band']}")
        + f": {_n(p, 'points')} of {_n(p, 'max')}",
    ),
    "judgment": (
        lambda p: f"评价得分 {_n(p, 'points')} 分（满分 {_n(p, 'max')}）",
        lambda p: f"judged {_n(p, 'points')} of {_n(p, 'max')}",
    ),
}


def said_before(reason: Reason, lang: str) -> str | None:
    """The sentence the former templates gave a reason of a prepared kind (None for others)."""
    if reason.template is not None or reason.kind not in OLD:
        return None
    return OLD[reason.kind][0 if lang == "zh" else 1](reason.params)


@given(st.data())
def test_prepared_sentences_say_what_the_templates_said(data: st.DataObject) -> None:
    gen, rubric = loaded(data, random_rubrics(loose=False))
    for _ in range(6):
        record = data.draw(gen.records, label="record")
        try:
            result = rubric.evaluate(record)
        except pingfen.DataError:
            continue
        walked = rubric.walker().evaluate(rubric.coerce(record))
        for node, other in zip(result.nodes(), walked.nodes(), strict=True):
            for lang in ("zh", "en"):
                assert node.reasons_in(lang) == other.reasons_in(lang)  # sites prepared apart, same words
                for reason in node.explanations:
                    before = said_before(reason, lang)
                    if before is not None:
                        assert reason.text(lang) == before
                    fresh = Reason(pickle.loads(pickle.dumps(reason.site)), reason.numbers, reason.score)
                    assert fresh.text(lang) == reason.text(lang)  # prepared again after pickling


RUBRIC_2021 = pingfen.load(Path(__file__).resolve().parents[1] / "rulesets" / "dept-overall-2021.rule")


@given(records_2021())
def test_the_2021_records_reasons_read_as_before(record: dict[str, object]) -> None:
    for node in RUBRIC_2021.evaluate(record, ratios=True).nodes():  # a bare 1.0001 is a ratio here
        for reason in node.explanations:
            for lang in ("zh", "en"):
                before = said_before(reason, lang)
                if before is not None:
                    assert reason.text(lang) == before


def test_a_number_a_site_usually_fixes_may_be_the_records() -> None:
    """A sentence reads each name from the record's numbers when the site records it, and
    from its facts otherwise, as `params` does (the recorded one wins)."""
    fixed = Site("judgment", {"max": Decimal(5)}, ("points",))
    recorded = Site("judgment", {"max": Decimal(9)}, ("points", "max"))
    assert Reason(fixed, (Decimal("4.150"),)).text() == "评价得分 4.15 分（满分 5）"
    assert Reason(recorded, (Decimal("4.150"), Decimal("5.0"))).text("en") == "judged 4.15 of 5"
    step = Site("step", {"subject": "x", "unit": "percent", "direction": "above", "step": Decimal("0.01"),
                         "rate": Decimal("0.5"), "counting": "whole"}, ("value", "reference", "excess", "steps", "lost"))  # fmt: skip
    numbers = (Decimal("1.0333"), Decimal(1), Decimal("0.0333"), Decimal(3), Decimal("1.5"))
    for lang in ("zh", "en"):
        assert Reason(step, numbers).text(lang) == said_before(Reason(step, numbers), lang)
    counted = Site("step", {"subject": "例数", "unit": "count", "direction": None, "step": Decimal(1),
                            "rate": Decimal(1), "counting": None}, ("value", "reference", "excess", "steps", "lost"))  # fmt: skip
    numbers = (Decimal(2), None, Decimal(2), Decimal(2), Decimal(2))
    assert Reason(counted, numbers).text() == "例数为 2，每例扣 1 分，扣 2 分"
    assert Reason(counted, numbers).text("en") == said_before(Reason(counted, numbers), "en")


def test_a_sentence_of_rule_facts_alone_is_written_once() -> None:
    site = Site("award_missed", {"condition": "有附件", "lost": Decimal("0.50")}, ())
    first = Reason(site).text()
    assert first == "未满足“有附件”，少得 0.5 分"
    assert Reason(site).text() is first  # the same string: not formatted again


finite = st.decimals(allow_nan=False, allow_infinity=False, places=None)


@given(st.one_of(finite, st.decimals(allow_nan=False), st.sampled_from([Decimal("1E+40"), Decimal("-0.000"), Decimal("1E-30")])))
def test_shown_and_hundredfold_are_as_before(value: Decimal) -> None:
    assert reasons.shown(value) == old_shown(value)
    assert str(reasons._hundredfold(value)) == str(old_hundredfold(value))
    assert quantity(value, "percent") == old_shown(old_hundredfold(value)) + "%"

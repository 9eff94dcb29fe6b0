"""The explaining code keeps only what reasons and clamps read (issue 11): a group's plain sum
and an indicator's score that nothing after it reads are left out (`codegen.live`), since the
scores are the scoring code's. Leaving them out changes no reason record and no clamp, on
the 2021 ruleset and on random rubrics of every form; and `live` leaves every other line."""

from __future__ import annotations

from collections.abc import Callable
from decimal import setcontext
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import pingfen
from pingfen.evaluate import codegen
from pingfen.evaluate.codegen import build, live
from pingfen.values import CONTEXT, as_decimals
from strategies import random_rubrics, records_2021

ROOT = Path(__file__).resolve().parents[1]
TEXT_2021 = (ROOT / "rulesets" / "dept-overall-2021.rule").read_text(encoding="utf-8")


def test_an_unread_pure_store_goes_and_what_it_alone_read_with_it() -> None:
    lines = [
        "        p1 = x0",
        "        g2 = p1 - c0",  # read only by s3, which nothing reads
        "        s3 = g2",
        "        s4 = s5 + s6 + (c1 if x2 else c0)",
        "        return (e1, ), (None, )",
    ]
    assert live(lines) == ["        return (e1, ), (None, )"]


def test_every_line_that_may_do_more_than_compute_a_value_stays() -> None:
    lines = [
        "        y0 = (x0 / x1 if x1 else c1(c2))",  # a division, a refusal's call
        "        t1 = c3(x2)",  # a call
        "        w2 = x3 < c4",  # a comparison
        "        l3 = c5 * x4",  # a product
        "        if x5:",
        "            s6 = x6 + x7",  # inside a block
        "        e7 = c8",  # read on the return line
        "        return (e7, ), ()",
    ]
    assert live(lines) == lines


def test_a_store_read_later_stays_even_when_read_inside_a_block() -> None:
    lines = [
        "        g1 = c0 - x2",
        "        d2 = c0 + g1",  # read by the block below only
        "        if x3:",
        "            e4 = ((c5, (d2, )),)",
        "        g5 = c1 + c2",  # read on the return line
        "        return (e4, ), (g5, )",
    ]
    assert live(lines) == lines


def test_the_2021_explaining_code_sums_no_group() -> None:
    rubric = pingfen.loads(TEXT_2021)
    source = rubric.program.explain_source
    shapes = rubric.program.layout.nodes
    groups = [f"s{i}" for i, shape in enumerate(shapes) if shape.is_group]
    assert groups and not any(line.strip().startswith(f"{g} = ") for g in groups for line in source.splitlines())


Explain = Callable[..., object]


def _explainers(text: str) -> tuple[pingfen.Rubric, Explain, Explain]:
    """The rubric, and its explaining code with and without `live`."""
    rubric = pingfen.loads(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(codegen, "live", lambda lines: lines)
        whole = pingfen.loads(text).program
    return (
        rubric,
        build(rubric.program.explain_source, "t", rubric.program.constants),
        build(whole.explain_source, "t", whole.constants),
    )


def _same(rubric: pingfen.Rubric, pruned: Explain, whole: Explain, records: list[dict[str, object]]) -> None:
    """Each record's reason records and clamps are the same by both."""
    for record in records:
        try:
            result = rubric.evaluate(record)
        except pingfen.DataError:
            continue
        assert result._values is not None
        setcontext(CONTEXT)
        values = as_decimals(result._values)  # as the result hands them over (ints made Decimals)
        assert pruned(*values) == whole(*values)


def test_the_2021_explaining_code_is_shorter_and_says_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(codegen, "live", lambda lines: lines)
        whole = pingfen.loads(TEXT_2021).program.explain_source
    pruned = pingfen.loads(TEXT_2021).program.explain_source
    assert len(pruned.splitlines()) < len(whole.splitlines()) - 30  # 13 group sums, 9 judgments' two lines, …


EXPLAINERS_2021 = _explainers(TEXT_2021)


@given(st.lists(records_2021(), min_size=1, max_size=4))
def test_2021_records_explained_the_same_without_the_unread_lines(records: list[dict[str, object]]) -> None:
    _same(*EXPLAINERS_2021, records)


@settings(max_examples=25)  # two loads of each rubric: half the usual draws
@given(st.data())
def test_random_rubrics_explained_the_same_without_the_unread_lines(data: st.DataObject) -> None:
    gen = data.draw(random_rubrics(loose=True), label="rubric")
    try:
        explainers = _explainers(gen.text)
    except pingfen.RubricError:
        assume(False)
        return
    _same(*explainers, data.draw(st.lists(gen.any_records, min_size=1, max_size=6), label="records"))

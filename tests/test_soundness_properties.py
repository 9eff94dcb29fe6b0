"""The soundness checker against the evaluator, over random bands, domains and grades.

A reported gap's witness must truly fall through every band when scored; when no gap is
reported, no value of the domain may fall through. Rubrics with other errors (overlaps)
are compiled directly from the checked module, so the evaluator still runs them.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

import pingfen
from pingfen.check.passes import check
from pingfen.diagnostics import Source
from pingfen.evaluate.rubric import Rubric
from pingfen.syntax.parser import parse

GRID = [Decimal(n) / 100 for n in range(-50, 155, 5)]  # -50% … 150% in steps of 5%
ends = st.sampled_from(GRID)


def pct(value: Decimal) -> str:
    return f"{value * 100:f}%"


@st.composite
def domains(draw: st.DrawFn) -> tuple[str, Decimal | None, bool, Decimal | None, bool]:
    lo = draw(st.none() | ends)
    hi = draw(st.none() | ends)
    lo_closed, hi_closed = draw(st.booleans()), draw(st.booleans())
    bounds = []
    if lo is not None:
        bounds.append(f"{'>=' if lo_closed else '>'} {pct(lo)}")
    if hi is not None:
        bounds.append(f"{'<=' if hi_closed else '<'} {pct(hi)}")
    return " and ".join(bounds), lo, lo_closed, hi, hi_closed


@st.composite
def bands(draw: st.DrawFn) -> list[str]:
    out = []
    for _ in range(draw(st.integers(1, 5))):
        points = draw(st.integers(1, 5))
        if draw(st.booleans()):
            op = draw(st.sampled_from([">=", ">", "<=", "<", "="]))
            out.append(f"{op} {pct(draw(ends))} -> {points}")
        else:
            a, b = sorted(draw(st.lists(ends, min_size=2, max_size=2, unique=True)))
            out.append(f"{draw(st.sampled_from('[('))}{pct(a)}, {pct(b)}{draw(st.sampled_from('])'))} -> {points}")
    return out


def build(domain: str, arms: list[str]) -> tuple[Rubric, list[pingfen.Diagnostic]]:
    text = (
        'rubric "r" { total 5 }\n'
        f"input x: percent {domain}\n"
        "group g 5 { indicator i 5 { bands x {\n  " + "\n  ".join(arms) + "\n} } }\n"
    )
    module, syntax = parse(text)
    assert module is not None and not syntax, syntax
    checked = check(module)
    assert not [d for d in checked.diagnostics if d.code[:3] in ("PF1", "PF2")], checked.diagnostics
    return Rubric(module, checked, Source("r.rule", text)), checked.diagnostics


def in_domain(x: Decimal, lo: Decimal | None, lo_closed: bool, hi: Decimal | None, hi_closed: bool) -> bool:
    above = lo is None or x > lo or (lo_closed and x == lo)
    below = hi is None or x < hi or (hi_closed and x == hi)
    return above and below


def falls_through(rubric: Rubric, x: Decimal) -> bool:
    try:
        rubric.evaluate({"x": x}, ratios=True)  # a witness is an exact ratio: 1.05 is 105%
    except pingfen.DataError as error:
        assert error.code == "PF505", error
        return True
    return False


@given(domains(), bands(), st.data())
def test_gap_witnesses_are_real_and_no_gap_means_none(domain, arms, data) -> None:  # type: ignore[no-untyped-def]
    bounds, lo, lo_closed, hi, hi_closed = domain
    assume(lo is None or hi is None or lo < hi or (lo == hi and lo_closed and hi_closed))
    rubric, diagnostics = build(bounds, arms)
    gaps = [d for d in diagnostics if d.code == "PF401"]
    if gaps:
        (gap,) = gaps
        witness = Decimal(str(gap.args["witness"]).removesuffix("%")) / 100
        assert in_domain(witness, lo, lo_closed, hi, hi_closed)
        assert falls_through(rubric, witness), f"{pct(witness)} is taken by a band"
    else:
        probes = {e + d for e in GRID for d in (Decimal("-0.0001"), Decimal(0), Decimal("0.0001"))}
        probes |= {data.draw(st.decimals(-2, 3, places=4, allow_nan=False, allow_infinity=False)) for _ in range(5)}
        for x in sorted(probes):
            if in_domain(x, lo, lo_closed, hi, hi_closed):
                assert not falls_through(rubric, x), f"{pct(x)} falls through, but no gap was reported"


@given(domains(), bands())
def test_overlap_witnesses_lie_in_both_bands(domain, arms) -> None:  # type: ignore[no-untyped-def]
    bounds, lo, lo_closed, hi, hi_closed = domain
    assume(lo is None or hi is None or lo < hi or (lo == hi and lo_closed and hi_closed))
    _, diagnostics = build(bounds, arms)
    for d in diagnostics:
        if d.code != "PF402":
            continue
        x = Decimal(str(d.args["witness"]).removesuffix("%")) / 100
        assert in_domain(x, lo, lo_closed, hi, hi_closed)
        for band in (d.args["band"], d.args["other"]):
            single = build(bounds, [f"{band} -> 1"])[0]
            assert not falls_through(single, x), f"{pct(x)} is not in {band}"


@given(st.lists(st.tuples(st.sampled_from([">=", ">"]), st.integers(0, 120)), min_size=1, max_size=4))
def test_grade_gap_witnesses_get_no_grade(grades) -> None:  # type: ignore[no-untyped-def]
    lines = "\n".join(f"  grade g{i} {op} {t}" for i, (op, t) in enumerate(grades))
    text = f'rubric "r" {{\n  total 100\n{lines}\n}}\ninput s: score\ngroup g 100 {{ indicator i 100 {{ judgment s }} }}\n'
    module, _ = parse(text)
    assert module is not None
    checked = check(module)
    rubric = Rubric(module, checked, Source("r.rule", text))
    gaps = [d for d in checked.diagnostics if d.code == "PF411"]
    if gaps:
        witness = Decimal(str(gaps[0].args["witness"]))
        assert rubric.evaluate({"s": witness}).grade is None
    else:
        for total in range(0, 101):
            assert rubric.evaluate({"s": Decimal(total)}).grade is not None

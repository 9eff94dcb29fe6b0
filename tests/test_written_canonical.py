"""Scores the scoring code writes canonical (issue 11): a deduction per step (its score with
nothing over and every score it works out, normalized in the branch that works it out), a
checklist's table of scores, and fixed arms (bands, when, match) are written in their
canonical form, and `Layout.canonical` lists them, so that `scores()` normalizes only the
others. Here: every score at a listed position is already canonical (digit for digit what
`canonical` gives) on random rubrics and on edge values (-0, zeros with exponents, 1E+1,
long digits), and `scores()` is every score made canonical, whatever the layout lists."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

import pingfen
from pingfen.check.passes import check
from pingfen.display import canonical
from pingfen.evaluate import walker as oracle
from pingfen.syntax.parser import parse
from strategies import random_rubrics

EDGES = [Decimal(v) for v in ("0", "-0", "0.00", "-0.000", "0E+1", "0E-5", "1E+1", "1.0", "2.50", "0.5", "1E-50",
                              "0.99999999999999999999999999999", "3.000", "1E+2", "0.30")]  # fmt: skip


def edged(record: dict[str, object], edges: list[Decimal]) -> dict[str, object]:
    """The record with its Decimals replaced, in turn, by edge values."""
    out, it = dict(record), iter(edges)
    for key, value in record.items():
        if isinstance(value, Decimal):
            out[key] = next(it, value)
    return out


def written_canonical(result: pingfen.Result) -> None:
    layout = result._layout
    for at in layout.canonical:
        score = result._scores[at]
        assert str(score) == str(canonical(score)), (layout.names[at], score)
    assert [str(v) for v in result.scores().values()] == [str(canonical(v)) for v in result._scores]
    assert list(result.scores()) == list(layout.names)


def test_the_2021_ruleset_lists_its_steps_checklists_and_bands() -> None:
    rubric = pingfen.load("rulesets/dept-overall-2021.rule", tests=False)
    layout = rubric.program.layout
    names = [layout.names[i] for i in layout.canonical]
    assert len(names) == 35 and layout.every_canonical  # judgments and group sums too: test_judged_canonical
    source = rubric.program.source
    assert "c" in source and source.count("(l") >= 9  # each step's worked-out score normalized


@given(st.data())
def test_written_canonical_on_random_rubrics_and_edge_values(data: st.DataObject) -> None:
    gen = data.draw(random_rubrics(loose=True), label="rubric")
    try:
        rubric = pingfen.loads(gen.text)
    except pingfen.RubricError:
        assume(False)
        return
    module, _ = parse(gen.text)
    assert module is not None
    checked = check(module)
    for _ in range(5):
        record = data.draw(gen.records, label="record")
        edges = data.draw(st.lists(st.sampled_from(EDGES), max_size=8), label="edges")
        for given_ in (record, edged(record, edges)):
            try:
                result = rubric.evaluate(given_)
            except pingfen.DataError:
                continue
            written_canonical(result)
            expected = oracle.evaluate(module, checked, gen.text, rubric.coerce(given_))
            assert [str(n.score) for n in result.nodes()] == [str(n.score) for n in expected.nodes()]
            assert repr(result.total) == repr(expected.total) and str(result.raw_total) == str(expected.raw_total)


STEPS = """rubric "步" { total 20 }
input 率: percent
input 数: count
input 甲: bool
input 乙: bool
group 全部 20 {
  indicator 步 5.0 { deduct 0.50 per 1pp of 率 below 100% }
  indicator 数分 5.00 { deduct 1.0 per 数 }
  indicator 清单 5.0 {
    award 2.50 if 甲
    award 2.50 if 乙
  }
  indicator 档 5.0 {
    bands 率 {
      >= 90% -> 5.0
      [50%, 90%) -> 2.50
      < 50% -> 0.0
    }
  }
}
"""


def test_trailing_zeros_of_the_rule_text_never_reach_a_listed_score() -> None:
    rubric = pingfen.loads(STEPS)
    assert rubric.program.layout.canonical == (1, 2, 3, 4, 0)  # the group's sum too
    for rate in ("1", "1.00", "0.95", "0.900", "0.5", "0.2", "-0", "0E+1", "1E+1"):
        for count in (0, 1, Decimal("2.000"), 6):
            for flags in ((True, True), (True, False), (False, False)):
                record = {"率": Decimal(rate), "数": count, "甲": flags[0], "乙": flags[1]}
                try:
                    written_canonical(rubric.evaluate(record))
                except pingfen.DataError:
                    continue

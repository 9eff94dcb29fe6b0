"""An empty group (`group 空 0 { }`) sums to 0, never -0: a rubric holding one still has every
score written canonical, and the group's sum, with no child to take as it is, is written as its
zero normalized (a review found the one-child shortcut reading `children[0]` of an empty group,
kept from an IndexError at load only because the empty group counted as "may be -0")."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pingfen
from pingfen.check.passes import check
from pingfen.display import canonical
from pingfen.evaluate import walker as oracle
from pingfen.syntax.parser import parse

EMPTY = """rubric "评" { total 10 }
input 甲: score
group 全部 10 {
  group 空 0 { }
  indicator 甲项 10 { judgment 甲 }
}
"""


@pytest.mark.parametrize("value", ["0", "-0", "2.50", "10", "7.125"])
def test_a_rubric_with_an_empty_group_writes_every_score_canonical(value: str) -> None:
    rubric = pingfen.loads(EMPTY)
    layout = rubric.program.layout
    assert layout.unsigned and layout.every_canonical  # the empty group no longer turns the fast form off
    record = {"甲": Decimal(value)}
    result = rubric.evaluate(record)
    module, _ = parse(EMPTY)
    assert module is not None
    walked = oracle.evaluate(module, check(module), EMPTY, rubric.coerce(record))
    want = [str(canonical(n.score)) for n in walked.nodes()]
    assert [str(s) for s in result._scores] == want
    assert [str(s) for s in result.scores().values()] == want
    assert result.scores()["空"] == 0 and str(result.scores()["空"]) == "0"
    assert str(result.total) == str(walked.total)

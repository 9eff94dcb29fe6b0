"""The generated code of a rubric whose rows all apply and that has no veto makes its
Result by the plain function `result.scored` (issue 11: a third quicker than the class
method); the result is the one `Result.scored` makes, and a rubric with rows that may not
apply or with vetoes still goes through the class method, which keeps those."""

from __future__ import annotations

from decimal import Decimal

import pingfen
from pingfen.result import Result, scored

PLAIN = 'rubric "平" { total 5 }\ninput a: bool\ngroup g 5 {\n  indicator i 5 { award 5 if a }\n}\n'
VETOED = (
    'rubric "否" { total 5 }\ninput a: bool\ninput 违规: bool\nveto 重大违规 if 违规 -> zero\n'
    "group g 5 {\n  indicator i 5 { award 5 if a }\n}\n"
)


def test_a_plain_rubric_makes_its_result_by_the_function() -> None:
    rubric = pingfen.loads(PLAIN)
    assert scored in rubric.program.constants and Result.scored not in rubric.program.constants
    result = rubric.evaluate({"a": True})
    again = Result.scored(rubric.program.layout, result.total, result.raw_total, result.grade, result._scores,
                          result._values or (), result._explain, "zh")  # type: ignore[arg-type]  # fmt: skip
    assert result == again and result.scores() == again.scores() == {"g": Decimal(5), "i": Decimal(5)}
    assert result.all_apply and result.vetoes() == () and result.lang == "zh"
    assert [n.reasons for n in result.nodes()] == [[], []]
    missed = rubric.evaluate({"a": False})
    assert str(missed.total) == "0.00" and missed["i"].reasons and missed.grade is None


def test_vetoes_still_go_through_the_class_method() -> None:
    rubric = pingfen.loads(VETOED)
    assert Result.scored in rubric.program.constants
    result = rubric.evaluate({"a": True, "违规": True})
    assert str(result.total) == "0.00" and [v.name for v in result.vetoes()] == ["重大违规"]

"""One record scored by both evaluators of a rubric — the compiled scorer and the tree walker
(the oracle) — held to the same result: every score, clamp, total and grade, and each node's
reasons in both languages, and the total's."""

from __future__ import annotations

import pingfen
from pingfen import ast
from pingfen.check.passes import Checked
from pingfen.evaluate import walker


def both(rubric: pingfen.Rubric, record: dict[str, object]) -> pingfen.Result:
    """The compiled result, after checking that the tree walker gives the same."""
    compiled = rubric.evaluate(record)
    walked = rubric.walker().evaluate(rubric.coerce(record))
    assert compiled == walked  # scores, reasons, clamps, total and grade
    assert [(n.name, n.applies, str(n.score), n.reasons_in("zh"), n.reasons_in("en")) for n in compiled.nodes()] == [
        (n.name, n.applies, str(n.score), n.reasons_in("zh"), n.reasons_in("en")) for n in walked.nodes()
    ]
    assert [compiled.reasons_in("zh"), compiled.reasons_in("en")] == [walked.reasons_in("zh"), walked.reasons_in("en")]
    return compiled


def walked(
    rubric: pingfen.Rubric, module: ast.Module, checked: Checked, text: str, record: dict[str, object]
) -> pingfen.Result | None:
    """The tree walker's result for `record`, or None where the walker refuses it — after checking
    that the compiled scorer refuses it too, with the same problems in the same order."""
    try:
        return walker.evaluate(module, checked, text, rubric.coerce(record))
    except pingfen.DataError as refused:
        try:
            rubric.evaluate(record)
        except pingfen.DataError as error:
            assert [(p.code, p.input) for p in error.problems] == [(p.code, p.input) for p in refused.problems]
        else:
            raise AssertionError(f"the walker refused {record}: {refused}; the compiled scorer did not") from None
        return None

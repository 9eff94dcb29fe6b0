"""One record scored by both evaluators of a rubric — the compiled scorer and the tree walker
(the oracle) — held to the same result: every score, clamp, total and grade, and each node's
reasons in both languages."""

from __future__ import annotations

import pingfen


def both(rubric: pingfen.Rubric, record: dict[str, object]) -> pingfen.Result:
    """The compiled result, after checking that the tree walker gives the same."""
    compiled = rubric.evaluate(record)
    walked = rubric.walker().evaluate(rubric.coerce(record))
    assert compiled == walked  # scores, reasons, clamps, total and grade
    assert [(n.name, n.applies, str(n.score), n.reasons_in("zh"), n.reasons_in("en")) for n in compiled.nodes()] == [
        (n.name, n.applies, str(n.score), n.reasons_in("zh"), n.reasons_in("en")) for n in walked.nodes()
    ]
    return compiled

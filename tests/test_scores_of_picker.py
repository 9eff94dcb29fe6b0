"""`Result.scores_of` picks a batch's columns by one itemgetter: the same scores, in the
order asked, as `scores()` gives by name, for no name, one, several, repeated and all."""

from __future__ import annotations

from pathlib import Path

import pytest

import pingfen
from pingfen.sample import sample_record

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("seed", range(5))
def test_scores_of_any_names_are_those_of_scores(seed: int) -> None:
    import random

    rubric = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule")
    result = rubric.evaluate(sample_record(rubric, random.Random(seed)))
    every = result.scores()
    names = tuple(every)
    rng = random.Random(seed)
    for asked in ((), (names[0],), (names[-1],), names, names[::-1], (names[3], names[3], names[1]),
                  tuple(rng.sample(names, 7))):  # fmt: skip
        got = result.scores_of(asked)
        assert type(got) is list and got == [every[n] for n in asked]
        assert [str(s) for s in got] == [str(every[n]) for n in asked]  # the same digits, not only equal

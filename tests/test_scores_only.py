"""Scores without explanations: `Result.score`, `scores` and `scores_of` read what scoring
kept and never build the explained tree (the NodeResults and their reasons); a batch row,
a failing example's score and a property's target take that path."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pingfen
from pingfen.batch import Scored, indicator_names, score_file
from pingfen.io.records import read_record
from pingfen.io.tables import Row
from pingfen.result import Result
from pingfen.testrun import run_examples
from strategies import random_rubrics, records_2021

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
RUBRIC = pingfen.load(RULESET)
FULL = read_record(ROOT / "examples" / "dept-overall-2021" / "full-marks.json")


class Builds:
    """Counts how often a Result explains itself (builds its tree)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        build = Result._build

        def counted(result: Result) -> None:
            self.count += 1
            build(result)

        monkeypatch.setattr(Result, "_build", counted)


def tree_scores(result: Result) -> dict[str, Decimal]:
    return {node.name: node.score for node in result.nodes()}


def test_reading_scores_builds_no_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    builds = Builds(monkeypatch)
    record = dict(FULL, 在职人数=14, 编制人数=12, 满意度="85%")
    result = RUBRIC.evaluate(record)
    names = indicator_names(RUBRIC)
    assert result.score(names[0]) == result.scores()[names[0]]
    assert result.scores_of(names) == [result.scores()[n] for n in names]
    assert result.total is not None and result.grade is not None
    assert builds.count == 0
    assert result[names[0]].score == result.score(names[0])  # the tree is built when a node is read
    assert builds.count == 1


def test_scores_name_every_node_in_rubric_order() -> None:
    result = RUBRIC.evaluate(FULL)
    assert list(result.scores()) == [spec.name for top in RUBRIC.tree for spec in top.walk()]
    assert result.scores() == tree_scores(result)


def test_unknown_name_is_a_key_error() -> None:
    result = RUBRIC.evaluate(FULL)
    with pytest.raises(KeyError, match="no group or indicator named 'nope'"):
        result.score("nope")
    with pytest.raises(KeyError, match="no group or indicator named 'nope'"):
        result.scores_of((indicator_names(RUBRIC)[0], "nope"))


def test_a_result_built_from_its_tree_gives_the_same_scores() -> None:
    # A Result made from NodeResults (as unpickling makes one) answers from the same table.
    result = RUBRIC.evaluate(dict(FULL, 满意度="70%"))
    rebuilt = Result(result.rubric, result.max, result.total, result.raw_total, result.grade, result.children)
    assert rebuilt.scores() == result.scores()
    last = indicator_names(RUBRIC)[-1]
    assert rebuilt.score(last) == result.score(last) < RUBRIC.node(last).max


def test_names_are_resolved_once_per_rubric_and_columns() -> None:
    layout = RUBRIC.program.layout
    names = indicator_names(RUBRIC)
    first = RUBRIC.evaluate(FULL)
    second = RUBRIC.evaluate(dict(FULL, 满意度="70%"))
    assert first.scores_of(names) and second.scores_of(names)
    assert layout.picker(names) is layout.picker(tuple(names))


def test_a_batch_row_builds_no_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    builds = Builds(monkeypatch)
    names = indicator_names(RUBRIC)
    result = RUBRIC.evaluate(FULL)
    row_id, scores, total, grade, error = Scored(Row(2, "A01", FULL), result, None).line(names, "zh")
    assert builds.count == 0
    assert (row_id, total, grade, error) == ("A01", result.total, result.grade, None)
    assert scores == [tree_scores(result)[n] for n in names]


def test_a_batch_file_builds_no_tree(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    rows = [dict(FULL, 单位="A01"), dict(FULL, 单位="A02", 满意度="70%")]
    data.write_text("".join(json.dumps(r, default=str, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    builds = Builds(monkeypatch)
    out = io.StringIO()
    summary = score_file(RUBRIC, data, fmt="jsonl", out=out)
    assert summary.ok and summary.rows == 2
    assert builds.count == 0
    written = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(written) == 2 and written[0] != written[1]


def test_a_passing_example_builds_no_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    rubric = pingfen.load(RULESET)  # with its examples
    builds = Builds(monkeypatch)
    run = run_examples(rubric)
    assert run.outcomes and all(not o.failures for o in run.outcomes)
    assert builds.count == 0


@given(records_2021())
def test_scores_equal_the_explained_tree_on_2021(record: dict[str, object]) -> None:
    result = RUBRIC.evaluate(record, ratios=True)
    scores = result.scores()
    assert scores == tree_scores(result)
    assert all(result.score(name) == score for name, score in scores.items())


@given(st.data())
def test_scores_equal_the_explained_tree_on_generated_rubrics(data: st.DataObject) -> None:
    gen = data.draw(random_rubrics(), label="rubric")
    rubric = pingfen.loads(gen.text)
    names = indicator_names(rubric)
    for label in ("record", "another record"):  # the second reuses the columns resolved for the first
        result = rubric.evaluate(data.draw(gen.records, label=label), ratios=True)
        scores = result.scores()
        assert result.scores_of(names) == [scores[n] for n in names]
        assert scores == tree_scores(result)

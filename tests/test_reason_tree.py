"""A scored result's reasons read straight from the explaining code's records (issue 11): a
node's `reasons` is worded from the (site, numbers) records without making a Reason, and the
Reasons (`explanations`) and clamps are made only for a node they are asked of. Whatever is
read first, and in whichever language, every node says what its Reasons say and what the
oracle (the walker) says; and a result refers to its tree without a cycle, so it is freed as
soon as it is no longer used."""

from __future__ import annotations

import gc
import pickle
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import pingfen
from pingfen.io.records import read_record
from pingfen.lang import Lang
from pingfen.result import Result
from strategies import loaded, random_rubrics, records_2021

ROOT = Path(__file__).resolve().parents[1]
RUBRIC = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule")
FULL = read_record(ROOT / "examples" / "dept-overall-2021" / "full-marks.json")
ORDERS = ("reasons", "explanations", "clamped", "english")


def read(result: Result, first: str) -> list[tuple[object, ...]]:
    """Every node's reasons (both languages), Reasons' words and clamp, reading `first` first."""
    nodes = list(result.nodes())
    if first == "explanations":
        [n.explanations for n in nodes]
    elif first == "clamped":
        [n.clamped for n in nodes]
    elif first == "english":
        [n.reasons_in("en") for n in nodes]
    said = []
    for node in nodes:
        langs: tuple[Lang, ...] = ("zh", "en")
        words = tuple(node.reasons_in(lang) for lang in langs)
        texts = tuple([r.text(lang) for r in node.explanations] for lang in langs)
        said.append((node.name, node.reasons, words, texts, node.clamped))
    return said


@given(records_2021(), st.sampled_from(ORDERS))
def test_the_2021_reasons_whatever_is_read_first(record: dict[str, object], first: str) -> None:
    result = RUBRIC.evaluate(record, ratios=True)
    walked = RUBRIC.walker().evaluate(RUBRIC.coerce(record, ratios=True))
    said = read(result, first)
    for (name, reasons, words, texts, clamp), node in zip(said, walked.nodes(), strict=True):
        assert name == node.name
        assert reasons == words[0] == texts[0] == node.reasons
        assert words[1] == texts[1] == node.reasons_in("en")
        assert clamp == node.clamped
    assert result == walked


@given(st.data())
def test_random_rubrics_reasons_whatever_is_read_first(data: st.DataObject) -> None:
    gen, rubric = loaded(data, random_rubrics(loose=False))
    for _ in range(4):
        record = data.draw(gen.records, label="record")
        first = data.draw(st.sampled_from(ORDERS), label="first")
        try:
            result = rubric.evaluate(record)
        except pingfen.DataError:
            continue
        walked = rubric.walker().evaluate(rubric.coerce(record))
        said = read(result, first)
        for (_, reasons, words, texts, clamp), node in zip(said, walked.nodes(), strict=True):
            assert reasons == words[0] == texts[0] == node.reasons
            assert words[1] == texts[1] == node.reasons_in("en")
            assert clamp == node.clamped


@given(records_2021())
def test_a_result_read_only_in_words_pickles_with_its_reasons(record: dict[str, object]) -> None:
    result = RUBRIC.evaluate(record, ratios=True)
    before = [node.reasons for node in result.nodes()]  # words only: no node has its Reasons yet
    again = pickle.loads(pickle.dumps(result))
    assert [node.reasons for node in again.nodes()] == before
    assert again == result


def test_a_result_and_its_tree_are_freed_without_the_cycle_collector() -> None:
    records = [FULL, {**FULL, "在职人数": Decimal(13)}]
    gc.collect()
    gc.disable()
    try:
        for record in records:
            result = RUBRIC.evaluate(record, ratios=True)
            [node.score for node in result.nodes()]  # the tree alone
            result = RUBRIC.evaluate(record, ratios=True)
            assert any(node.reasons for node in result.nodes()) == (record is not FULL)  # and its words
            del result
        assert gc.collect() == 0  # nothing was left for the cycle collector
    finally:
        gc.enable()

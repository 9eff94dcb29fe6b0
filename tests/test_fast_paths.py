"""Issue 11's fast paths give exactly what the slow ones gave.

- Plain text values (a CSV's cells) are read to exact values without the general
  coercion (`evaluate.texts`); any record scores, or is refused, exactly as through
  `coerce`, and odd text still takes the general path.
- A result's tree is built from the kept scores; reasons and clamps are explained only
  when one is read, and are then those the explaining code gives (the oracle's).
- `display.canonical` and the CSV writer's `plain` take quicker routes to the same digits.
"""

from __future__ import annotations

import copy
import csv
import io
import pickle
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pingfen
from data_helpers import as_text
from pingfen.batch import score_file
from pingfen.check.passes import check
from pingfen.display import canonical, canonicals, digits
from pingfen.errors import DataError
from pingfen.evaluate import walker as oracle
from pingfen.evaluate.codegen import Explainer
from pingfen.evaluate.rubric import Rubric
from pingfen.io.records import read_record
from pingfen.io.write import plain
from pingfen.result import Result
from pingfen.syntax.parser import parse
from strategies import random_rubrics, records_2021

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
RUBRIC = pingfen.load(RULESET)
FULL = read_record(ROOT / "examples" / "dept-overall-2021" / "full-marks.json")


# ---------------------------------------------------------------- text values


def general(rubric: Rubric) -> Rubric:
    """The same rubric with the text fast path off: every text value goes through `coerce`."""
    slow = copy.copy(rubric)
    slow._texts = lambda data: None  # type: ignore[method-assign]  # the path before issue 11
    return slow


def outcome(rubric: Rubric, record: dict[str, object], ratios: bool = False) -> object:
    """Everything a caller can see: the digits of every number, the reasons, or the refusal."""
    try:
        result = rubric.evaluate(record, ratios=ratios)
    except DataError as error:
        return [(p.code, p.input, dict(p.args)) for p in error.problems]
    nodes = [(n.name, str(n.score), n.clamped, n.reasons) for n in result.nodes()]
    return str(result.total), str(result.raw_total), result.grade, nodes


SLOW_2021 = general(RUBRIC)


class Coercions:
    """Counts how often a rubric takes the general coercion path."""

    def __init__(self, rubric: Rubric, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        coerce = rubric._coerce

        def counted(*args: object, **kwargs: object) -> list[object]:
            self.count += 1
            return coerce(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(rubric, "_coerce", counted)


def test_plain_text_skips_the_general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    rubric = pingfen.load(RULESET)
    coercions = Coercions(rubric, monkeypatch)
    record = {name: as_text(value) for name, value in FULL.items()} | {"满意度": "85%", "在职人数": "14"}
    result = rubric.evaluate(record)
    assert coercions.count == 0
    assert outcome(rubric, record) == outcome(SLOW_2021, record)
    assert result.score("社会公众或服务对象满意度") == 3  # 85% read as 0.85
    rubric.evaluate(record | {"在职人数": " 14"})  # odd text: the general path, which strips it
    assert coercions.count == 1


@given(records_2021(), st.data())
def test_text_records_score_as_through_coerce(record: dict[str, object], data: st.DataObject) -> None:
    texts = {name: as_text(value) for name, value in record.items()}
    percents = sorted(spec.name for spec in RUBRIC.inputs if spec.type == "percent")
    for name in data.draw(st.lists(st.sampled_from(percents), max_size=3), label="written with %"):
        value = record[name]
        assert isinstance(value, Decimal)
        texts[name] = format(value.scaleb(2), "f") + "%"
    assert outcome(RUBRIC, texts) == outcome(SLOW_2021, texts)


# Spellings around the fast path's edges: each must score or be refused as `coerce` does.
ODD = ["", " ", "+5", " 5", "5 ", "1,000", "1_000", "５", "1e3", "1E+2", ".5", "5.", "-0", "-0.000", "0.000",
       "3.0", "-3", "150%", "-150%", "55", "0.5%", "５５％", "55 %", "1" + "0" * 101, "1" + "0" * 101 + "%",
       "0." + "0" * 120 + "1", "1" * 101, "NaN", "Infinity", "-Infinity", "true", "TRUE", "Yes", "是", " 是", "1",
       "0", "2", "√", "×", "abc", "优", " 优", "合格"]  # fmt: skip


@pytest.mark.parametrize("text", ODD)
def test_odd_text_in_every_input_as_through_coerce(text: str) -> None:
    base = {name: as_text(value) for name, value in FULL.items()}
    for spec in RUBRIC.inputs:
        record = base | {spec.name: text}
        assert outcome(RUBRIC, record) == outcome(SLOW_2021, record), spec.name


@given(st.data())
def test_random_rubrics_text_records_as_through_coerce(data: st.DataObject) -> None:
    gen = data.draw(random_rubrics(), label="rubric")
    rubric = pingfen.loads(gen.text)
    slow = general(rubric)
    for label in ("record", "spelt"):
        record = data.draw(gen.records if label == "record" else gen.any_records, label=label)
        texts = {name: as_text(value) for name, value in record.items()}
        for ratios in (False, True):
            assert outcome(rubric, texts, ratios) == outcome(slow, texts, ratios)


def test_a_csv_batch_writes_the_same_file(tmp_path: Path) -> None:
    names = [spec.name for spec in RUBRIC.inputs]
    data = tmp_path / "data.csv"
    rows = [FULL, FULL | {"在职人数": 14, "满意度": Decimal("0.8")}, FULL | {"满意度": Decimal("0.9")}]
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["单位", *names])
        for i, row in enumerate(rows):
            writer.writerow([f"单位{i}", *(as_text(row[n]) for n in names)])
        writer.writerow(["坏行", *(" 1,0 " for _ in names)])  # refused, through the general path
    outputs = []
    for rubric in (RUBRIC, SLOW_2021):
        out = io.StringIO()
        summary = score_file(rubric, data, out=out, id_column="单位")
        outputs.append(out.getvalue())
        assert summary.rows == 4 and summary.failures == 1
    assert outputs[0] == outputs[1]


# ---------------------------------------------------------------- the tree, explained when read


class Explains:
    """Counts how often a rubric's explaining code runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        compiled = Explainer.compiled  # what a result calls, once per run of the explaining code

        def counted(explainer: Explainer) -> Callable[..., object]:
            self.count += 1
            return compiled(explainer)

        monkeypatch.setattr(Explainer, "compiled", counted)


def test_reading_every_score_explains_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    explains = Explains(monkeypatch)
    result = RUBRIC.evaluate(FULL | {"在职人数": 14, "满意度": "70%"})
    scores = {node.name: node.score for node in result.nodes()}
    assert scores == result.scores()
    assert [c.name for c in result.children] == [top.name for top in RUBRIC.tree]
    assert result["社会公众或服务对象满意度"].max == 5 and result["投入"].is_group
    assert explains.count == 0
    assert result["财政供养人员控制率"].reasons  # the first reason read explains the whole tree, once
    assert result["社会公众或服务对象满意度"].reasons
    assert [n.clamped for n in result.nodes()] and explains.count == 1


@given(records_2021())
def test_the_tree_read_in_any_order_is_the_oracles(record: dict[str, object]) -> None:
    text = RULESET.read_text(encoding="utf-8")
    module, _ = parse(text)
    assert module is not None
    expected = oracle.evaluate(module, check(module), text, RUBRIC.coerce(record, ratios=True))
    scores_first = RUBRIC.evaluate(record, ratios=True)
    assert [str(n.score) for n in scores_first.nodes()] == [str(n.score) for n in expected.nodes()]
    assert scores_first == expected  # then every reason and clamp, explained now
    reasons_first = RUBRIC.evaluate(record, ratios=True)
    assert [n.reasons for n in reasons_first.nodes()] == [n.reasons for n in expected.nodes()]
    assert reasons_first == expected and repr(reasons_first) == repr(expected)


def test_a_result_read_only_for_scores_pickles_with_its_reasons() -> None:
    result = RUBRIC.evaluate(FULL | {"在职人数": 13, "满意度": "80%"})
    assert [n.score for n in result.nodes()]  # built, not explained
    again = pickle.loads(pickle.dumps(result))
    assert again == result
    assert [n.reasons for n in again.nodes()] == [n.reasons for n in result.nodes()]
    assert any(n.reasons for n in again.nodes())


def test_a_result_made_from_nodes_is_read_as_given() -> None:
    result = RUBRIC.evaluate(FULL | {"满意度": "70%"})
    rebuilt = Result(result.rubric, result.max, result.total, result.raw_total, result.grade, result.children)
    assert rebuilt == result and [n.reasons for n in rebuilt.nodes()] == [n.reasons for n in result.nodes()]


# ---------------------------------------------------------------- digits


def reference_canonical(value: Decimal) -> Decimal:
    """canonical() as it was written before issue 11: by taking the digits apart."""
    if not value.is_finite():
        return value
    if value.is_zero():
        return Decimal()
    sign, digits_, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent > 0:
        return Decimal((sign, digits_ + (0,) * exponent, 0))
    if exponent == 0 or digits_[-1] != 0:
        return value
    kept = len(digits_)
    while exponent < 0 and digits_[kept - 1] == 0:
        kept -= 1
        exponent += 1
    return Decimal((sign, digits_[:kept], exponent))


decimals = st.builds(
    lambda sign, digits_, exponent: Decimal((sign, tuple(digits_), exponent)),
    st.integers(0, 1), st.lists(st.integers(0, 9), min_size=1, max_size=40), st.integers(-60, 60),
) | st.decimals(allow_nan=True, allow_infinity=True)  # fmt: skip


@given(st.lists(decimals, max_size=8))
def test_canonical_gives_the_digits_it_gave(values: list[Decimal]) -> None:
    expected = [reference_canonical(v) for v in values]
    assert [v.as_tuple() for v in canonicals(values)] == [v.as_tuple() for v in expected]
    assert [v.as_tuple() for v in map(canonical, values)] == [v.as_tuple() for v in expected]
    assert [v.as_tuple() for v in canonicals(values)] == [v.as_tuple() for v in expected]  # now cached


@given(decimals)
def test_the_csv_writer_writes_digits(value: Decimal) -> None:
    assert plain(value) == digits(value)


def test_the_csv_writer_edges() -> None:
    for text in ("-0", "-0.00", "0E+3", "1E+3", "1E-7", "-1.5", "87.00", "NaN", "-Infinity", "0.000001"):
        assert plain(Decimal(text)) == digits(Decimal(text)), text
    assert plain(None) == ""

"""Coercion of input values."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pingfen
from pingfen.errors import Problem
from pingfen.io import read_record
from pingfen.values import coerce, to_percent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(Decimal("0.95"), "0.95"), ("0.95", "0.95"), ("95%", "0.95"), ("116.67％", "1.1667"), (1, "1"), (0.1, "0.1")],
)
def test_percent(raw: object, expected: str) -> None:
    assert to_percent(raw) == Decimal(expected)


def test_a_percent_is_read_digit_for_digit() -> None:
    """"99.9999999999999999999999999999%" was divided by 100 to 28 digits: 1, a full score."""
    assert to_percent("99.9999999999999999999999999999%") == Decimal("0.999999999999999999999999999999")
    assert str(to_percent("100%")) == "1" and str(to_percent("95%")) == "0.95"  # as before
    rubric = pingfen.loads('rubric "r" { total 5 }\ninput a: percent\n'
                           "indicator A 5 { bands a { >= 100% -> 5\n else -> 0 } }\n")  # fmt: skip
    assert rubric.evaluate({"a": "99.9999999999999999999999999999%"}).total == 0
    assert rubric.evaluate({"a": "100.0000000000000000000000000000%"}).total == 5


@pytest.mark.parametrize("raw", ["是", "true", "TRUE", "yes", 1, True])
def test_bool_true(raw: object) -> None:
    assert coerce("x", "bool", raw) is True


@pytest.mark.parametrize("raw", ["否", "false", "no", 0, False])
def test_bool_false(raw: object) -> None:
    assert coerce("x", "bool", raw) is False


@pytest.mark.parametrize(
    ("kind", "raw", "code"),
    [("count", "1.5", "PF503"), ("count", -1, "PF503"), ("count", "abc", "PF502"), ("amount", "-0.01", "PF503"),
     ("bool", "maybe", "PF502"), ("percent", True, "PF502"), ("number", None, "PF501"), ("number", " ", "PF501"),
     ("label", "x", "PF506"), ("number", "NaN", "PF502"), ("number", "Infinity", "PF502")],
)  # fmt: skip
def test_refusals(kind: str, raw: object, code: str) -> None:
    problem = coerce("名", kind, raw, ("a",))
    assert isinstance(problem, Problem) and problem.code == code and problem.input == "名"


def test_json_and_yaml_numbers_are_exact(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "r.json").write_text('{"a": 0.1, "b": 3}', encoding="utf-8")
    (tmp_path / "r.yaml").write_text("a: 0.1\nb: 3\nc: 是\n", encoding="utf-8")
    assert read_record(tmp_path / "r.json") == {"a": Decimal("0.1"), "b": Decimal(3)}
    assert read_record(tmp_path / "r.yaml") == {"a": Decimal("0.1"), "b": 3, "c": "是"}
    assert type(read_record(tmp_path / "r.yaml")["a"]) is Decimal


@pytest.mark.parametrize(("raw", "expected"), [("1,234", "1234"), ("12,345,678.5", "12345678.5"), ("１,２３４", "1234"), ("1,4", None), ("2,69", None), ("1,2345", None)])
def test_only_thousands_groups_take_commas(raw: str, expected: str | None) -> None:
    from pingfen.values import to_decimal

    assert to_decimal(raw) == (None if expected is None else Decimal(expected))


def test_absurd_exponents_are_refused_not_overflowed() -> None:
    problem = coerce("额", "amount", "1e999999")
    assert isinstance(problem, Problem) and problem.code == "PF503"


def test_a_signalling_nan_is_not_a_bool() -> None:
    problem = coerce("是否", "bool", Decimal("sNaN"))
    assert isinstance(problem, Problem) and problem.code == "PF502"


def test_yaml_reads_numbers_as_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "r.yaml").write_text("a: 014\nb: 0x1A\nc: .nan\nd: 1:30\ne: 1_000\nf: 2.50\n", encoding="utf-8")
    assert read_record(tmp_path / "r.yaml") == {"a": 14, "b": "0x1A", "c": ".nan", "d": "1:30", "e": 1000, "f": Decimal("2.50")}
    assert isinstance(coerce("c", "number", ".nan"), Problem)


@pytest.mark.parametrize(("name", "text"), [("r.yaml", "a: 1\na: 2\n"), ("r.json", '{"a": 1, "a": 2}')])
def test_a_key_given_twice_is_refused(tmp_path, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    from pingfen.errors import DataError

    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_record(tmp_path / name)
    assert info.value.code == "PF508" and "`a` is given twice" in info.value.describe("en")


def test_an_int_past_4300_digits_is_refused_wherever_it_is() -> None:
    # str() and repr() of such an int raise ValueError: given for a label, inside a list or a
    # dict (the message quoting it), or as a refused row's id, it came out as a traceback.
    rubric = pingfen.loads(
        'rubric "x" { total 2 }\ninput 等级: label { 甲, 乙 }\ninput 例数: count\n'
        "indicator 制度 1 { match 等级 { 甲 -> 1  乙 -> 0 } }\nindicator 例 1 { award 1 if 例数 = 0 }"
    )
    huge = 10**5000
    for given in ({"等级": huge, "例数": 0}, {"等级": "甲", "例数": [huge]}, {"等级": {"a": huge}, "例数": 0}):
        with pytest.raises(pingfen.DataError) as refused:
            rubric.evaluate(given)
        assert "1000000000" in refused.value.render("en")
    [row] = rubric.evaluate_many([{"等级": "丙", "例数": 0, "id": huge}], key="id")
    assert isinstance(row, pingfen.DataError) and row.record is not None and row.record.startswith("1000000000")


def test_a_decimal_in_a_list_is_quoted_as_the_data_wrote_it() -> None:
    # a YAML or JSON list of numbers (read as Decimals) was quoted as [Decimal('12'), Decimal('3')]
    from pingfen.values import show

    assert show([Decimal("12"), Decimal("0.50"), 3]) == "[12, 0.50, 3]"
    assert show({"a": Decimal("1E+2")}) == "{'a': 100}"
    rubric = pingfen.loads('rubric "x" { total 1 }\ninput 例数: count\nindicator 例 1 { award 1 if 例数 = 0 }')
    with pytest.raises(pingfen.DataError) as refused:
        rubric.evaluate({"例数": [Decimal("12"), Decimal("3")]})
    assert refused.value.describe("en") == "PF502: input `例数`: [12, 3] is not a count"

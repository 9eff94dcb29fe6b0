"""`import(render(R))` scores like `R`: a rubric rendered as its official table (XLSX and
DOCX) and imported back reads every row as a rule (no TODO judgment), declares the same
inputs (the table's 指标数据说明 states each with its type, range and description, and each
derived value with its formula), and gives every record the same score, row by row, and,
where the rubric has grades (the line below the table states them and the rounding), the
same total and grade."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pingfen
from pingfen import ast
from pingfen.evaluate.rubric import Rubric
from pingfen.importer import import_table
from pingfen.phrases import Reading, read_criterion
from pingfen.render import render_table
from pingfen.result import NodeResult
from pingfen.testing import boundary_inputs
from strategies import RULESET_2021, GenRubric, random_rubrics

Record = dict[str, object]


def _leaves(module: ast.Module) -> list[ast.Indicator]:
    return [n for n, _ in ast.walk_nodes(module.top) if isinstance(n, ast.Indicator)]


def _scores(result: pingfen.Result) -> list[Decimal]:
    out: list[Decimal] = []
    stack: list[NodeResult] = list(reversed(result.children))
    while stack:
        node = stack.pop()
        if node.is_group:
            stack.extend(reversed(node.children))
        else:
            out.append(node.score)
    return out


def round_trip(rubric: Rubric, fmt: str) -> tuple[Rubric, list[bool]]:
    """R rendered as `fmt` and imported back, loaded; and which rows were recognised. A rubric
    without grades is rendered saying so (不评定等次) and read back so: no grades are guessed."""
    with TemporaryDirectory() as tmp:
        table = Path(tmp) / f"表.{fmt}"
        render_table(rubric, fmt, table)
        imported = import_table(table)
    assert [r for r in imported.rows if r.kind == "grades"] == [], imported.text
    return pingfen.loads(imported.text, "imported.rule", tests=False), [r.recognised for r in imported.rows]


def same_inputs(original: Rubric, imported: Rubric) -> None:
    """The imported file declares R's inputs: the same names, types, labels and descriptions
    (a cell's text is read without the spaces at its ends)."""

    def declared(rubric: Rubric) -> dict[str, tuple[str, tuple[str, ...], str]]:
        return {i.name.text: (i.type, tuple(lb.text for lb in i.labels), (i.description or "").strip())
                for i in rubric.module.inputs}  # fmt: skip

    assert declared(imported) == declared(original)
    assert [let.name.text for let in imported.module.lets] == [let.name.text for let in original.module.lets]


def compare(original: Rubric, imported: Rubric, record: Record) -> None:
    """`record` scores alike under both, every row and the total."""
    want = original.evaluate(record, ratios=True)
    got = imported.evaluate(record, ratios=True)
    rows = [row.name.text for row in _leaves(imported.module)]
    assert rows == [row.name.text for row in _leaves(original.module)]
    for row, score, expected in zip(rows, _scores(got), _scores(want), strict=True):
        assert score == expected, f"{row}: {score} != {expected}\n{record}"
    assert got.raw_total == want.raw_total
    header = original.module.header
    if header is not None and header.grades:  # the table states grades and rounding below the total
        assert (got.total, got.grade) == (want.total, want.grade)


# ---------------------------------------------------------------- the 2021 ruleset

ORIGINAL_2021 = pingfen.load(RULESET_2021)


@pytest.fixture(scope="module", params=["xlsx", "docx"])
def imported_2021(request: pytest.FixtureRequest) -> tuple[Rubric, list[bool]]:
    return round_trip(ORIGINAL_2021, request.param)


def test_2021_every_row_is_recognised(imported_2021: tuple[Rubric, list[bool]]) -> None:
    imported, recognised = imported_2021
    assert len(recognised) == 25 and all(recognised)
    assert "# TODO:" not in imported.source.text
    same_inputs(ORIGINAL_2021, imported)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=boundary_inputs(ORIGINAL_2021))
def test_2021_scores_alike_after_render_and_import(imported_2021: tuple[Rubric, list[bool]], record: Record) -> None:
    imported, _ = imported_2021
    compare(ORIGINAL_2021, imported, record)


# ---------------------------------------------------------------- generated rubrics


@settings(max_examples=25, deadline=None)
# issue 10's forms (不适用, guards, rounding, panels, dates, batch values, 加分项, 扣分项, 一票否决): tests/test_roundtrip_forms.py
@given(gen=random_rubrics(applies=False, newer=False, outside=False, vetoes=False), fmt=st.sampled_from(["xlsx", "docx"]), data=st.data())
def test_generated_rubrics_score_alike_after_render_and_import(gen: GenRubric, fmt: str, data: st.DataObject) -> None:
    original = pingfen.loads(gen.text, "r.rule", tests=False)
    imported, recognised = round_trip(original, fmt)
    unread = [row.name.text for row, ok in zip(_leaves(original.module), recognised, strict=True) if not ok]
    assert unread == [], f"not recognised: {unread}"
    same_inputs(original, imported)
    for _ in range(3):
        compare(original, imported, data.draw(gen.records))


# ---------------------------------------------------------------- render's wordings, phrase by phrase


def _read(text: str, indicator: str = "指标") -> Reading:
    return read_criterion(text, indicator, Decimal(5), lambda wished: wished)


@pytest.mark.parametrize(
    ("text", "rule", "notes"),
    [
        ("以100%为基准，执行率≤100%的，计5分；每超过一个百分点扣0.5分，不足一个百分点的按比例扣分，扣完为止。",
         "deduct 0.5 per 1pp of 执行率 above 100% counting proportional", ()),
        ("以20%为基准，执行率≥20%的，计5分；每低于0.5个百分点扣1分，不足0.5个百分点的部分不扣分，扣完为止。",
         "deduct 1 per 0.5pp of 执行率 below 20% counting whole", ()),
        ("以0%为基准，执行率等于0%的，计5分；每相差2%扣1分，不足2%的按2%计算，扣完为止。",
         "deduct 1 per 2pp of 执行率 from 0 counting started", ()),
    ],
)  # fmt: skip
def test_the_step_wordings_render_writes(text: str, rule: str, notes: tuple[str, ...]) -> None:
    reading = _read(text)
    assert reading.rules == (rule,)
    assert reading.notes == notes  # the counting is said: no note that it was assumed


def test_bands_with_both_ends_open_and_an_otherwise() -> None:
    reading = _read("执行率：5%（不含）-10%（不含），计3分；≥10%，计5分；其他情况，计1分。")
    assert reading.rules == ("bands 执行率 {", "  (5%, 10%) -> 3", "  >= 10% -> 5", "  else -> 1", "}")
    assert reading.notes == ()


def test_labels_named_before_the_colon_with_an_otherwise() -> None:
    reading = _read("制度情况：健全的，得5分；基本健全的，得3分；其他情况，不得分。")
    assert reading.rules == ("match 制度情况 {", "  健全 -> 5", "  基本健全 -> 3", "  else -> 0", "}")
    assert reading.inputs[0].labels == ("健全", "基本健全")


def test_a_count_named_before_mei() -> None:
    reading = _read("资金使用不合规例数每出现一例扣1分，扣完为止。")
    assert reading.rules == ("deduct 1 per 资金使用不合规例数",)


@pytest.mark.parametrize(
    "text",
    [
        "执行率≥90%，计5分；其他情况，计2分；在此基础上，违规例数每出现一例扣1分，扣完为止。",  # bands, then deductions
        "以100%为基准，执行率每超过一个百分点扣0.5分；违规例数每出现一例扣1分，扣完为止。",  # two deductions
        "以上年执行率为基准，执行率每低于一个百分点扣0.5分，扣完为止。",  # the reference is another input
        "①未按时报送的，扣1分；②数据不实的，扣2分，扣完为止。",  # deductions, not awards
    ],
)
def test_what_one_reader_would_read_wrong_is_left_to_a_person(text: str) -> None:
    assert _read(text).kind == "todo"


def test_a_step_named_before_mei_and_two_deductions_are_left_to_a_person() -> None:
    reading = _read("以100%为基准，执行率每超过一个百分点扣0.5分，不足一个百分点的按比例扣分，扣完为止。")
    assert reading.rules == ("deduct 0.5 per 1pp of 执行率 above 100% counting proportional",)
    both = "以100%为基准，执行率每超过一个百分点扣0.1分，不足一个百分点的按比例扣分；资料齐全=否的，扣2.5分，扣完为止。"
    assert _read(both).kind == "todo"


def test_one_named_label() -> None:
    assert _read("制度情况：健全的，不得分。").rules == ("match 制度情况 {", "  健全 -> 0", "}")


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_rubric_without_grades_reads_back_without_them(fmt: str) -> None:
    """No grades rendered as 不评定等次 (with the rounding): read back as no grades and the same
    rounding, not the usual grades under a TODO and two places."""
    rubric = pingfen.loads('rubric "无等次" {\n  total 10\n  round total 1 half_even\n}\n\ninput 率: percent\n\n'
                           "indicator 完成率 10 {\n  bands 率 {\n    >= 90% -> 10\n    else   -> 5\n  }\n}\n", "r.rule", tests=False)  # fmt: skip
    back, recognised = round_trip(rubric, fmt)
    assert all(recognised) and "# TODO" not in back.source.text and "不评定等次" in back.source.text
    assert back.grades == () and back.module.header is not None
    assert back.module.header.round_places is not None and back.module.header.round_places.value == 1
    assert back.module.header.round_mode == "half_even"

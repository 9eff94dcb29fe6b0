"""What the checker missed or said twice (a review's finds, 2026-12-03): a fixed score above its
row's max, one award past the max said twice, rows of max 0 left to re-scale by nothing, and
grades only the total's rounding leaves empty."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pingfen
from pingfen.diagnostics import Diagnostic


def found(text: str) -> list[Diagnostic]:
    return pingfen.diagnose(text, "t.rule")


def test_a_fixed_score_above_the_max_is_refused_where_it_is_written() -> None:
    """`score = 12` in a row of 5 passed the checker, and its reason said "12 points" of a row
    scored 5: PF301 now, at the number."""
    text = 'rubric "x" { total 10 }\ninput 率: percent >= 0 and <= 100%\nindicator 甲 5 { score = 率 * 5 }\nindicator 乙 5 { score = 12 }\n'
    (one,) = [d for d in found(text) if d.code == "PF301"]
    assert (one.span.line, one.span.column, one.severity) == (4, 25, "error")
    assert one.message("en") == "12 points is more than the max 5 of `乙`"
    # a fixed score within the max is meant: no PF301, no PF409 (language.md)
    assert [d.code for d in found(text.replace("score = 12", "score = 5"))] == []


def test_one_award_past_the_max_is_said_once() -> None:
    """`award 3 if p` in a row of 2 was PF301 twice (the award, and the awards' sum of one)."""
    one = found('rubric "x" { total 2 }\ninput p: bool\nindicator 甲 2 { award 3 if p }\n')
    assert [(d.code, d.span.column) for d in one] == [("PF301", 23)]
    # two awards that each fit, adding up past it: the sum, at the last
    two = found('rubric "x" { total 3 }\ninput p: bool\ninput q: bool\nindicator 甲 3 {\n  award 2 if p\n  award 2 if q\n}\n')
    assert [(d.code, d.span.line, d.args["points"]) for d in two] == [("PF301", 6, "4")]


@pytest.mark.parametrize("grouped", [False, True], ids=["top", "in a group"])
def test_rows_of_max_0_leave_nothing_to_rescale_by_and_the_checker_says_so(grouped: bool) -> None:
    """A row that may drop out beside rows of max 0: where it drops, the rows that apply carry 0
    points and the total cannot be re-scaled (PF535). The checker said nothing (PF430 counted the
    rows of max 0 as applying), and PF535 said every row was 不适用."""
    rows = "indicator 甲 10 { applies if p else rescale\n  score = 率 * 10 }\nindicator 乙 0 { score = 0 }\n"
    body = f"group 组 10 {{\n{rows}}}\n" if grouped else rows
    text = 'rubric "x" { total 10 }\ninput p: bool\ninput 率: percent >= 0 and <= 100%\n' + body
    assert [(d.code, d.severity) for d in found(text)] == [("PF430", "warning")]
    rubric = pingfen.loads(text, "t.rule", tests=False)
    assert rubric.evaluate({"p": True, "率": Decimal("0.5")}).total == Decimal("5.00")
    with pytest.raises(pingfen.DataError) as refused:
        rubric.evaluate({"p": False, "率": Decimal("0.5")})
    (problem,) = refused.value.problems
    assert problem.code == "PF535" and "0 points" in refused.value.describe("en") and "分值为 0" in refused.value.describe("zh")
    # a row of points that always applies: nothing to warn of
    assert found(text.replace("total 10", "total 15") + "indicator 丙 5 { score = 率 * 5 }\n") == []


def test_a_grade_the_totals_rounding_leaves_empty_is_never_given() -> None:
    """Grades are given on the rounded total: under `round total 0`, `良 > 89.5` after `优 >= 90`
    gets no total (89.6 is graded as 90), which the checker, reading totals as any number, missed."""
    text = 'rubric "等次" {\n  total 100\n  round total 0\n  grade 优 >= 90\n  grade 良 > 89.5\n  grade 中 >= 60\n  grade 差 otherwise\n}\ninput 分: score\nindicator 评 100 { judgment 分 }\n'
    (one,) = found(text)
    assert (one.code, one.span.line, one.severity) == ("PF412", 5, "warning")
    assert one.help("en") == "the total is rounded to 0 decimals before it is graded: every total it would take, such as 90, goes to `优` first"
    assert pingfen.loads(text, "t.rule", tests=False).evaluate({"分": Decimal("89.6")}).grade == "优"
    # at 2 decimals (the default, and `round total 1`) 89.6 is a total of its own: 良 is given
    assert found(text.replace("  round total 0\n", "")) == found(text.replace("round total 0", "round total 1")) == []
    # the order itself, as before, keeps its own hint
    ordered = found(text.replace("grade 良 > 89.5", "grade 良 >= 90.5"))
    assert [d.hint for d in ordered] == ["grade_order"]


def test_a_panel_has_no_order_to_be_monotone_in() -> None:
    """`property monotone 评分 increasing` over `list of 3 score` was accepted, and `pingfen fuzz`
    compared lists element by element ([0, 0, 0.5] "below" [0.01, 0.01, 0.01]) and reported a
    mean that is monotone as failing, Python's repr in its words: PF613, as for a label."""
    text = ('rubric "x" { total 10 }\ninput 评分: list of 3 score >= 0 and <= 10\n'
            "indicator 评审 10 { score = mean(评分) }\nproperty monotone 评分 increasing\n")  # fmt: skip
    (one,) = found(text)
    assert (one.code, one.span.line, one.span.column) == ("PF613", 4, 19)
    assert one.message("zh") == "`评分` 是评分列表（多位专家的评分），没有大小顺序，不能用于 monotone"
    assert one.message("en") == "`评分` is a panel (a list of scores): it has no order to be monotone in"
    label = found(text.replace("list of 3 score >= 0 and <= 10", "label { 好, 差 }").replace("mean(评分)", "if 评分 = 好 then 10 else 0"))
    assert [d.message("en") for d in label] == ["`评分` is a label: it has no order to be monotone in"]


def test_a_label_with_spaces_around_it_is_refused() -> None:
    """`` `  前后 ` `` passed the checker, but a record's text is read stripped: no data could give
    it (PF506 for the label itself, and `pingfen fuzz` reported it so). PF115, with the label as
    data gives it."""
    text = 'rubric "x" { total 5 }\ninput 类: label { `  前后 `, 其他 }\nindicator 甲 5 { match 类 { `  前后 ` -> 5  其他 -> 0 } }\n'
    (one,) = found(text)
    assert (one.code, one.span.line, one.span.column) == ("PF115", 2, 18)
    assert one.help("zh") == "请去掉首尾空格：`前后`"
    with pytest.raises(pingfen.RubricError):
        pingfen.loads(text, "t.rule")


def test_an_if_chain_is_checked_in_work_that_grows_with_its_arms(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each arm of `if … else if …` was worked out twice (for the least, then the most), so the
    work doubled with each `else if`: 22 arms took `pingfen check` 46 s, and the editor's
    language server froze on each edit. Counted in calls, not timed (benchmarks time)."""
    from pingfen.check import soundness

    calls = 0
    interval = soundness._Analysis.interval

    def counted(self: soundness._Analysis, e: object) -> object:
        nonlocal calls
        calls += 1
        return interval(self, e)  # type: ignore[arg-type]

    monkeypatch.setattr(soundness._Analysis, "interval", counted)
    arms = " ".join(f"if 率 >= {100 - i}% then {10 - i * 0.25} else" for i in range(16))
    text = f'rubric "x" {{ total 10 }}\ninput 率: percent >= 0 and <= 100%\nindicator 甲 10 {{ score = {arms} 0 }}\n'
    assert [d.code for d in found(text)] == []
    assert calls < 500, calls  # 16 arms: about 100 now; 2^17 before


def test_a_grade_threshold_of_many_digits_is_checked_on_the_grid() -> None:
    """A threshold of 250 digits (89.999…) made the rounded totals' grid raise decimal.Inexact:
    `pingfen check` said "internal error" (the review's find); ends are quantized now."""
    threshold = "89." + "9" * 250
    text = (f'rubric "g" {{\n  total 100\n  round total 2\n  grade A >= {threshold}\n  grade B otherwise\n}}\n'
            "input 分: score\nindicator 评 100 { judgment 分 }\n")  # fmt: skip
    assert found(text) == []
    assert pingfen.loads(text, "g.rule").evaluate({"分": Decimal(95)}).grade == "A"

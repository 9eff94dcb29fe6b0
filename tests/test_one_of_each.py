"""One of each small thing: the comparison table, the roundings, zero, the clamp and the
reading of reason templates are stated once and shared by every evaluator, the checker and
the reports; a reason template's `{{`/`}}` means the same to all of them."""

from __future__ import annotations

import ast as pyast
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen.evaluate.rulegen import PYTHON_COMPARE
from pingfen.reasons import placeholders, template_pieces
from pingfen.report.findings import to_sarif
from pingfen.values import COMPARE, CONVERSE, NEGATION, ROUNDING, ZERO, clamp, total_rounding

SRC = Path(__file__).resolve().parents[1] / "src" / "pingfen"

# 附件 is an input (read by 乙); 甲's template writes `{{附件}}`, a literal `{附件}`.
ESCAPED = """rubric "x" { total 6 }
input 问题数: count
input 附件: count
group 组 6 {
  indicator 甲 3 { deduct 1 per 问题数 reason "见{{附件}}，扣{lost}分" }
  indicator 乙 3 { deduct 1 per 附件 }
}
"""


def test_escaped_braces_name_nothing() -> None:
    assert placeholders("见{{附件}}，扣{lost}分") == ["lost"]
    assert placeholders("{{{附件}}}") == ["附件"]  # a brace, then the placeholder, then a brace
    assert placeholders("{lost}{lost}{score}") == ["lost", "score"]
    assert placeholders("a { b") == [] and template_pieces("a } b") is None  # unmatched: all literal


def test_an_escaped_name_is_neither_read_nor_recorded_and_renders_literally() -> None:
    assert pingfen.diagnose(ESCAPED) == []  # the checker requires no field `{附件}`
    rubric = pingfen.loads(ESCAPED)
    assert rubric.node("甲").inputs == ("问题数",)  # the reads analysis: 附件 is not read by 甲
    record = {"问题数": 2, "附件": 1}
    compiled = rubric.evaluate(record)["甲"]
    walked = rubric.walker().evaluate(rubric.coerce(record))["甲"]
    for node in (compiled, walked):  # both evaluators record no value for 附件
        (reason,) = node.explanations
        assert reason.site.names == ()
        assert reason.text() == "见{附件}，扣2分"
    assert rubric.score_node("甲", {"问题数": 2}).reasons == ["见{附件}，扣2分"]  # 附件 not needed


def test_an_empty_placeholder_is_refused_as_str_format_would_fail_on_it() -> None:
    found = pingfen.diagnose(ESCAPED.replace("见{{附件}}", "见{}"))
    assert [(d.code, d.message("en")) for d in found] == [("PF308", "unknown placeholder `{}` in reason")]


def test_sarif_rule_descriptions_read_messages_as_they_are_filled() -> None:
    found = pingfen.diagnose(ESCAPED.replace("{lost}", "{丢失}"))
    (rule,) = to_sarif([("x.rule", found)], "0")["runs"][0]["tool"]["driver"]["rules"]
    assert rule["shortDescription"]["text"] == "unknown placeholder `{…}` in reason"


@pytest.mark.parametrize("op", sorted(COMPARE))
def test_every_comparison_is_spelled_in_python_as_it_means(op: str) -> None:
    for a, b in ((Decimal(1), Decimal(2)), (Decimal(2), Decimal(2)), (Decimal(3), Decimal(2))):
        spelled = eval(f"a {PYTHON_COMPARE[op]} b", {}, {"a": a, "b": b})  # noqa: S307 - a fixed table
        assert spelled == COMPARE[op](a, b)
        assert COMPARE[NEGATION[op]](a, b) == (not COMPARE[op](a, b))
        assert COMPARE[CONVERSE[op]](b, a) == COMPARE[op](a, b)


def test_total_rounding_and_clamp() -> None:
    assert total_rounding(None, "half_up") == (Decimal("0.01"), ROUNDING["half_up"])
    assert total_rounding(Decimal(0), "floor") == (Decimal(1), ROUNDING["floor"])
    assert clamp(Decimal(-1), Decimal(5)) == (ZERO, "low")
    assert clamp(Decimal(6), Decimal(5)) == (Decimal(5), "high")
    assert clamp(Decimal("4.5"), Decimal(5)) == (Decimal("4.5"), None)


def _sources() -> dict[str, pyast.Module]:
    return {str(p.relative_to(SRC)): pyast.parse(p.read_text(encoding="utf-8")) for p in SRC.rglob("*.py")}


def test_no_module_keeps_its_own_copy() -> None:
    """A second compare table, rounding table, zero constant or template reader is a copy
    that can drift: each lives in one place (values.py, or reasons.py for templates)."""
    where: dict[str, set[str]] = {"operator.eq": set(), "ROUND_HALF_EVEN": set(), "Decimal(0)": set(),
                                  "Formatter": set(), "re.compile braces": set()}  # fmt: skip
    for path, tree in _sources().items():
        for node in pyast.walk(tree):
            if isinstance(node, pyast.Attribute) and node.attr == "eq" and getattr(node.value, "id", "") == "operator":
                where["operator.eq"].add(path)
            if isinstance(node, pyast.Attribute) and node.attr == "ROUND_HALF_EVEN":
                where["ROUND_HALF_EVEN"].add(path)
            if isinstance(node, (pyast.Assign, pyast.AnnAssign)) and node in tree.body:  # module-level constants
                if pyast.unparse(node.value or pyast.Constant(None)) == "Decimal(0)":
                    where["Decimal(0)"].add(path)
            if isinstance(node, pyast.Attribute) and node.attr == "Formatter":
                where["Formatter"].add(path)
            if isinstance(node, pyast.Constant) and isinstance(node.value, str) and r"\{" in node.value:
                where["re.compile braces"].add(path)
    assert where == {
        "operator.eq": {"values.py", "evaluate/rulegen.py"},  # the meaning, and its Python spelling
        "ROUND_HALF_EVEN": {"values.py"},
        "Decimal(0)": {"values.py"},
        "Formatter": {"reasons.py"},
        "re.compile braces": set(),
    }

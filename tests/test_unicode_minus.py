"""The minus sign U+2212 (−), which Word and WPS write for "minus" and which staff paste from
a 评分标准 table: it stands wherever `-` and `－` stand — an adjust row's range, a band's
dash, a negative literal, a subtraction — in a rule file, in data, in the importer's reading
of a table's wording, and in every highlighter."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen.highlight import PingfenLexer
from pingfen.phrases import normalise
from pingfen.syntax.formatter import format_text
from pingfen.values import to_decimal

ROOT = Path(__file__).resolve().parents[1]
MINUS = "\u2212"

RUBRIC = """\
rubric "减号" {
  total 10
  grade 合格 >= 0
}

input 变动率: percent
input 获表彰: bool
input 问题数: count

indicator 变动 5 {
  bands 变动率 { >= 0% -> 5  −10%（含）−0% -> 3  else -> 0 }
}

indicator 差额 5 {
  score = 5 − 问题数
}

adjust 加减分 −2 .. +2 {
  award 0.5 if 获表彰
  deduct 0.5 per 问题数
}
"""


def _ascii(text: str) -> str:
    return text.replace(MINUS, "-")


@pytest.mark.parametrize(
    ("record", "total"),
    [
        ({"变动率": "-5%", "获表彰": True, "问题数": 1}, Decimal("7")),  # 3 + 4 + (0.5 − 0.5)
        ({"变动率": "1%", "获表彰": False, "问题数": 6}, Decimal("3")),  # 5 + 0 (clamped) − 2 (held)
        ({"变动率": "-20%", "获表彰": True, "问题数": 0}, Decimal("5.5")),  # 0 + 5 + 0.5
    ],
)
def test_a_rule_file_written_with_the_minus_sign_scores_as_with_hyphens(
    record: dict[str, object], total: Decimal
) -> None:
    assert MINUS in RUBRIC
    with_sign = pingfen.loads(RUBRIC, "minus.rule")
    with_hyphen = pingfen.loads(_ascii(RUBRIC), "hyphen.rule")
    assert MINUS not in _ascii(RUBRIC)
    got, want = with_sign.evaluate(record), with_hyphen.evaluate(record)
    assert got.total == want.total == total
    assert got.scores() == want.scores()


def test_fmt_writes_the_minus_sign_as_a_hyphen() -> None:
    formatted = format_text(RUBRIC)
    assert MINUS not in formatted
    assert (
        "adjust 加减分 -2 .. +2 {" in formatted and "score = 5 - 问题数" in formatted and "[-10%, 0%) -> 3" in formatted
    )


def test_the_adjust_range_reads_its_signed_ends() -> None:
    rubric = pingfen.loads(RUBRIC, "minus.rule")
    record = {"变动率": "0%", "获表彰": False, "问题数": 9}
    (line,) = rubric.evaluate(record).outside()
    assert line.low == Decimal(-2) and line.node.score == Decimal(-2)


def test_data_written_with_the_minus_sign_is_read_as_a_negative_number() -> None:
    assert to_decimal(f"{MINUS}3.5") == Decimal("-3.5")
    assert to_decimal(f"{MINUS}１２") == Decimal("-12")
    rubric = pingfen.loads(RUBRIC, "minus.rule")
    assert rubric.evaluate({"变动率": f"{MINUS}5%", "获表彰": False, "问题数": 0}).scores()["变动"] == Decimal(3)


def test_the_importer_reads_the_minus_sign_as_a_dash() -> None:
    assert normalise(f"80%（含）{MINUS}90%") == "80%(含)-90%"


def test_every_highlighter_marks_the_minus_sign_an_operator() -> None:
    from pygments.token import Operator

    found = [(kind, text) for kind, text in PingfenLexer().get_tokens("score = 5 − 问题数\n") if text.strip()]
    assert (Operator, MINUS) in found
    for path in (
        ROOT / "editors" / "textmate" / "pingfen.tmLanguage.json",
        ROOT / "editors" / "vscode" / "syntaxes" / "pingfen.tmLanguage.json",
    ):
        grammar = json.loads(path.read_text(encoding="utf-8"))
        operators = [p for p in grammar["patterns"] if p["name"].startswith("keyword.operator")]
        assert any(re.fullmatch(p["match"], MINUS) for p in operators), path
    mode = (ROOT / "src" / "pingfen" / "serve" / "static" / "rule-mode.js").read_text(encoding="utf-8")
    operator_line = next(line for line in mode.splitlines() if 'token: "operator"' in line)
    assert MINUS in operator_line

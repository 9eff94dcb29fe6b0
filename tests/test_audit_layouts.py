"""What `pingfen audit` said too little of, or did not read, in a filled self-evaluation:
an input written 5分 (PF502 with no help); a workbook whose declared scores and inputs are
both formulas never calculated (PF536, then PF534 only on a second run); PF534 naming no
file; inputs laid out down the data sheet (name, value) read as none, in silence; and the
text report counting the indicators not recomputed without naming the inputs they lack."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from pingfen.cli import main
from pingfen.errors import Problem
from pingfen.values import coerce

RULE = """rubric "t" { total 10 }
input 评价分: score <= 5
input 人数: number
input 满意度: percent
indicator 甲 5 { bands 评价分 { >= 4 -> 5  else -> 0 } }
indicator 乙 5 { bands 满意度 { >= 90% -> 5  else -> 0 } }
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def rule(tmp_path: Path) -> Path:
    path = tmp_path / "t.rule"
    path.write_text(RULE, encoding="utf-8")
    return path


@pytest.mark.parametrize(("kind", "raw", "number"), [("score", "5分", "5"), ("number", "88.5 分", "88.5"),
                                                     ("count", "3 分", "3")])  # fmt: skip
def test_a_number_input_written_with_fen_says_to_write_the_number_alone(kind: str, raw: str, number: str) -> None:
    refused = coerce("评价分", kind, raw)
    assert isinstance(refused, Problem) and (refused.code, refused.hint) == ("PF502", "number_alone")
    assert refused.help("zh") == f"请只写数值，不带“分”字：{number}"
    assert refused.help("en") == f"write the number alone, without 分: {number}"


def test_eval_of_a_score_written_5_fen_says_so_in_both_languages(tmp_path: Path, rule: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text("评价分: 5分\n人数: 3\n满意度: 95%\n", encoding="utf-8")
    code, _, err = run("eval", str(rule), str(data))
    assert code == 2 and "PF502" in err and "请只写数值，不带“分”字：5" in err, err
    code, _, err = run("--lang", "en", "eval", str(rule), str(data))
    assert code == 2 and "write the number alone, without 分: 5" in err, err
    batch = tmp_path / "d.csv"  # a batch's error column shows one line: the help goes with it
    batch.write_text("id,评价分,人数,满意度\na,4.5 分,3,95%\n", encoding="utf-8")
    code, out, err = run("eval", str(rule), str(batch))
    assert code == 1 and "PF502" in out and "请只写数值，不带“分”字：4.5" in out, out + err


def test_the_text_names_the_inputs_missing_few_of_them_whole(tmp_path: Path, rule: Path) -> None:
    """Two indicators not recomputed: both inputs named, with no count of more."""
    filled = tmp_path / "f.yaml"
    filled.write_text("declared:\n  甲: 5\n  乙: 5\n  total: 10\n", encoding="utf-8")
    code, out, _ = run("audit", str(rule), str(filled))
    assert code == 0 and out.rstrip().endswith("2 项缺少输入未复核（缺少输入项 评价分、满意度）"), out
    code, out, _ = run("--lang", "en", "audit", str(rule), str(filled))
    assert out.rstrip().endswith("2 not recomputed (inputs missing: 评价分, 满意度)"), out

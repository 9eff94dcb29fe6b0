"""What a new user hit with data (issue #14, items 1, 2, 7 and 12): an audit that crashed on a
wrong grade, a percent typed without `%` scored 100× too high, numbers printed two ways, and
the API for files and batches."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from data_helpers import ROOT, RUBRIC, RULESET
from pingfen.cli import main
from pingfen.template import write_template

R = str(RULESET)
SEED = ROOT / "examples" / "seed-2021-self-evaluation.yaml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- 1. a wrong grade in an audit

GRADE_LINES = {
    "zh": "不一致 评价等次：自评“优秀”，总分 88.5 分按评价等次应为“良好”",
    "en": "disagreement grade: declared 优秀, but a total of 88.5 is graded 良好",
}


def wrong_grade(tmp_path: Path) -> Path:
    path = tmp_path / "wrong-grade.yaml"
    text = SEED.read_text(encoding="utf-8")
    assert "grade: 良好" in text
    path.write_text(text.replace("grade: 良好", "grade: 优秀"), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_audit_text_names_a_wrong_grade(tmp_path: Path, lang: str) -> None:
    code, out, err = run("audit", "--lang", lang, R, str(wrong_grade(tmp_path)))
    assert (code, err) == (1, "")
    assert GRADE_LINES[lang] in out.splitlines()


def test_audit_json_names_a_wrong_grade(tmp_path: Path) -> None:
    code, out, _ = run("audit", "--format", "json", R, str(wrong_grade(tmp_path)))
    assert code == 1
    finding = json.loads(out)["findings"][-1]
    assert finding == {"kind": "grade", "name": "grade", "declared": "优秀", "expected": "良好", "total": 88.5}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_audit_of_a_filled_xlsx_with_a_wrong_grade(tmp_path: Path, lang: str) -> None:
    template = tmp_path / "t.xlsx"
    write_template(RUBRIC, "xlsx", template, lang="zh")
    book = openpyxl.load_workbook(template)
    seed = yaml.safe_load(SEED.read_text(encoding="utf-8"))["declared"] | {"grade": "优秀"}
    for row in book["评分表"].iter_rows(min_row=2):
        name = next((c.value for c in row[:3] if c.value), None)
        key = {"总分": "total", "评价等次": "grade"}.get(name, name)
        if key in seed:
            row[5].value = float(seed[key]) if isinstance(seed[key], Decimal) else seed[key]
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    code, out, err = run("audit", "--lang", lang, R, str(filled))
    assert (code, err) == (1, "")
    assert GRADE_LINES[lang] in out.splitlines()

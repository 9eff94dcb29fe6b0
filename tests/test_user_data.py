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


# ---------------------------------------------------------------- 7. one form for every number

DEPARTMENTS = ROOT / "examples" / "dept-overall-2021" / "departments.csv"
SEED_DATA = ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml"


def test_display_canonical_keeps_every_digit() -> None:
    from pingfen.display import canonical, digits, number, plain, width

    assert [plain(Decimal(t)) for t in ("3.0", "0.0", "-0", "2.50", "2E+1", "0.125")] == ["3", "0", "0", "2.5", "20", "0.125"]
    long = Decimal("1.2345678901234567890123456789012340")  # 36 digits: normalize() would round it
    assert canonical(long) == long and str(canonical(long)) == "1.234567890123456789012345678901234"
    assert repr(canonical(Decimal("2.0"))) == "Decimal('2')"
    assert (number(Decimal("4.1666")), number(Decimal("3.0")), digits(Decimal("87.00"))) == ("4.17", "3", "87.00")
    assert width("评分 ab") == 7


def test_batch_csv_cells_have_one_form() -> None:
    code, out, _ = run("eval", "--lang", "zh", R, str(DEPARTMENTS))
    assert code == 1
    rows = [line.split(",") for line in out.splitlines()[1:3]]
    header = out.splitlines()[0].split(",")
    at = header.index("支付进度")
    assert [row[at] for row in rows] == ["2", "3"]  # 2.0 and 3.0 before
    scores = [cell for row in rows for cell in row[1 : header.index("total")]]
    assert not [cell for cell in scores if cell.endswith(".0") or "." in cell and cell.endswith("0")]
    assert [row[header.index("total")] for row in rows] == ["87.00", "100.00"]  # the total keeps its rubric places


def test_jsonl_and_api_scores_are_canonical(tmp_path: Path) -> None:
    from pingfen.display import plain

    result = RUBRIC.evaluate(yaml.safe_load(SEED_DATA.read_text(encoding="utf-8")))
    assert repr(result.score("支付进度")) == "Decimal('2')"
    assert repr(result["支付进度"].score) == "Decimal('2')"
    assert repr(result.scores()["预决算信息公开性和完善性"]) == "Decimal('3')"
    assert all(str(v) == plain(v) for v in result.scores().values())  # no `3.0` beside `3`
    assert '"score": 2,' in result.to_json() and '"score": 2.0' not in result.to_json()
    out = tmp_path / "scores.jsonl"
    code, _, _ = run("eval", R, str(DEPARTMENTS), "-o", str(out))
    assert code == 1
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert '"支付进度": 2,' in first and ".0," not in first


def test_test_output_shows_the_actual_score_canonically(tmp_path: Path) -> None:
    rule = tmp_path / "r.rule"
    rule.write_text(
        'rubric "x" {\n  total 5\n}\n\ninput 例数: count\n\n'
        "indicator 进度 5 {\n  deduct 0.5 per 例数\n}\n\n"
        'example "两例" {\n  given {\n    例数: 2,\n  }\n  expect 进度 = 3\n}\n',
        encoding="utf-8",
    )
    code, out, _ = run("test", "--lang", "zh", str(rule))
    assert code == 1
    assert "进度：预期 3，实际 4\n" in out  # `实际 4.0` before

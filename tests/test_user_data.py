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
from hypothesis import given
from hypothesis import strategies as st

import pingfen
from data_helpers import FULL, ROOT, RUBRIC, RULESET, excel_value
from duckdb_helpers import require_duckdb
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
    code, out, _ = run("eval", "--lang", "en", R, str(DEPARTMENTS))  # English headers: `total`
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


# ---------------------------------------------------------------- 2. a percent typed without `%`

Z, P = "重点支出安排率", "政府采购执行率"


def csv_of(rows: list[dict[str, object]]) -> str:
    header = ["id", *FULL]
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(str(row.get(name, FULL.get(name))).replace("True", "是") for name in header))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_csv_percent_without_the_sign_is_refused_naming_the_cell(tmp_path: Path, lang: str) -> None:
    data = tmp_path / "rows.csv"
    data.write_text(csv_of([{"id": "甲", Z: 55, P: 85}, {"id": "乙", Z: "55%", P: "0.85"}]), encoding="utf-8")
    code, out, err = run("eval", "--lang", lang, R, str(data))
    assert code == 1  # full marks, exit 0, before
    first, second = out.splitlines()[1:3]
    words = {"zh": "请写作 55% 或 0.55", "en": "write 55% or 0.55"}[lang]
    assert first.startswith("甲,,") and words in first and "5500%" in first  # the cell, both readings
    for name in (Z, P):
        assert f"PF523: {'输入项' if lang == 'zh' else 'input'} `{name}`" in first
    assert second.startswith("乙,") and "PF523" not in second
    assert "甲" in err and "PF523" in err


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_record_file_percent_without_the_sign_is_refused(tmp_path: Path, suffix: str) -> None:
    record = {k: (v if not isinstance(v, Decimal) else float(v)) for k, v in FULL.items()} | {Z: 55}
    path = tmp_path / f"one{suffix}"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")  # JSON is YAML too
    code, _, err = run("eval", "--lang", "zh", R, str(path))
    assert code == 2
    assert "错误[PF523]: 输入项 `重点支出安排率`：55 未带 `%`" in err and "请写作 55% 或 0.55" in err
    assert "帮助: 不带 `%` 的数按比值读取，55 会被读作 5500%" in err


@pytest.mark.parametrize("bare", [55, Decimal(55), 55.0, "55", " 55 ", "５５", Decimal("1.2"), -5])
def test_the_api_refuses_a_bare_number_beyond_100_percent(bare: object) -> None:
    from pingfen.errors import DataError

    with pytest.raises(DataError) as refused:
        RUBRIC.evaluate(FULL | {Z: bare})
    (problem,) = refused.value.problems
    assert (problem.code, problem.input) == ("PF523", Z)
    with pytest.raises(DataError):
        RUBRIC.coerce(FULL | {Z: bare})
    with pytest.raises(DataError):
        RUBRIC.score_node(Z, {Z: bare})


@pytest.mark.parametrize(("value", "points"), [("55%", 0), (Decimal("0.55"), 0), ("0.95", 5), (1, 5), (0, 0),
                                               ("120%", 5), (0.9, 5)])  # fmt: skip
def test_a_percent_sign_or_a_ratio_is_read_as_always(value: object, points: int) -> None:
    assert RUBRIC.evaluate(FULL | {Z: value}).score(Z) == points


def test_ratios_true_says_a_bare_number_is_a_ratio() -> None:
    assert RUBRIC.evaluate(FULL | {Z: Decimal(2)}, ratios=True).score(Z) == 5  # 200%
    assert RUBRIC.coerce({Z: 2}, [Z], ratios=True) == {Z: 2}


BOUNDED = """rubric "b" {
  total 5
}

input 执行率: percent >= 0 and <= 300%
input 满意度: percent >= 0 and <= 100%

indicator 执行 3 {
  bands 执行率 {
    >= 100% -> 3
    else    -> 0
  }
}

indicator 满意 2 {
  bands 满意度 {
    >= 90% -> 2
    else   -> 0
  }
}
"""


def test_bounds_beyond_100_percent_make_a_bare_number_a_ratio() -> None:
    import pingfen
    from pingfen.errors import DataError

    rubric = pingfen.loads(BOUNDED)
    assert rubric.evaluate({"执行率": Decimal("1.5"), "满意度": 1}).score("执行") == 3  # 150%, 100%
    assert rubric.evaluate({"执行率": "1.5", "满意度": "95%"}).total == 5
    with pytest.raises(DataError) as refused:
        rubric.evaluate({"执行率": 55, "满意度": 95})
    assert [(p.code, p.input) for p in refused.value.problems] == [("PF503", "执行率"), ("PF523", "满意度")]


def _rows_with_z(tmp_path: Path, rows: tuple[tuple[str, float, str], ...]) -> Path:
    """A workbook of FULL's values, a row per (id, value of Z, Z's cell format)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    header = ["id", *FULL]
    sheet.append(header)
    for row_id, value, style in rows:
        sheet.append([row_id, *(float(v) if isinstance(v, Decimal) else excel_value(v) for v in FULL.values())])
        cell = sheet.cell(sheet.max_row, header.index(Z) + 1)
        cell.value, cell.number_format = value, style
    path = tmp_path / "rows.xlsx"
    book.save(path)
    return path


def test_xlsx_percent_cells_read_as_shown_and_bare_cells_are_refused(tmp_path: Path) -> None:
    path = _rows_with_z(tmp_path, (("格式化", 1.2, "0%"), ("未格式化", 55, "General"), ("比值", 0.55, "General")))
    code, out, _ = run("eval", "--lang", "en", R, str(path))
    assert code == 1
    rows = {line.split(",")[0]: line for line in out.splitlines()[1:]}
    assert rows["格式化"].endswith(",100.00,优秀,")  # 120%, as Excel shows it: full marks
    assert "PF523: input `重点支出安排率`: 55 without `%`" in rows["未格式化"]
    assert "PF523" not in rows["比值"]


def test_xlsx_cells_showing_a_written_percent_sign_read_as_shown(tmp_path: Path) -> None:
    """A cell holding 95 formatted `0"%"` (or `0\\%`, `0.0"%"`) shows 95% in Excel; it was read as
    a bare 95 and refused PF523 with no word of the format. eval, report and audit read it as 95%."""
    rows = (("引号", 95, '0"%"'), ("反斜杠", 95, "0\\%"), ("一位小数", 95, '0.0"%"'), ("百分比", 0.95, "0%"), ("未格式化", 95, "General"))
    path = _rows_with_z(tmp_path, rows)
    code, out, _ = run("eval", "--lang", "en", R, str(path))
    assert code == 1
    got = {line.split(",")[0]: line for line in out.splitlines()[1:]}
    for row_id in ("引号", "反斜杠", "一位小数", "百分比"):
        assert got[row_id].endswith(",100.00,优秀,"), got[row_id]
    assert "PF523: input `重点支出安排率`: 95 without `%`" in got["未格式化"]
    report = tmp_path / "r.md"
    assert run("report", R, str(path), "--id", "引号", "-o", str(report))[0] == 0
    assert "100.00" in report.read_text(encoding="utf-8")
    # audit reads a filled template's data sheet by the same reader
    template = tmp_path / "t.xlsx"
    write_template(RUBRIC, "xlsx", template, lang="zh")
    filled = openpyxl.load_workbook(template)
    data = filled["数据"]
    names = [c.value for c in data[1]]
    data.cell(3, names.index("id") + 1).value = "区厂协"
    cell = data.cell(3, names.index("满意度") + 1)
    cell.value, cell.number_format = 95, '0"%"'
    for row in filled["评分表"].iter_rows(min_row=2):
        if "社会公众或服务对象满意度" in [c.value for c in row[:3]]:
            row[5].value = 3
    filled.save(tmp_path / "filled.xlsx")
    code, out, err = run("audit", "--lang", "en", R, str(tmp_path / "filled.xlsx"))
    assert "disagreement `社会公众或服务对象满意度`: declared 3, the rule gives 5 (满意度 95%)" in out, out + err


SHOWN_RULE = """rubric "格式" {
  total 30
}
input 数: number
input 人: count
input 率: percent

indicator 甲 10 {
  deduct 1 per 1 of 数 above 10
}
indicator 乙 10 {
  deduct 1 per 1 of 人 above 5
}
indicator 丙 10 {
  deduct 1 per 1% of 率 above 90%
}
"""


def test_a_written_percent_sign_makes_only_a_percent_input_a_percent(tmp_path: Path) -> None:
    """A number or count input in a cell formatted `0.00"%"` or `0"%"` (holding 12, showing 12.00%)
    was refused `"12%" is not a number` (PF502), where it had been scored as 12: the shown percent
    is a percent input's reading alone. eval, report, audit and --engine duckdb agree."""
    rule = tmp_path / "格式.rule"
    rule.write_text(SHOWN_RULE, encoding="utf-8")
    template = tmp_path / "t.xlsx"
    write_template(pingfen.load(rule), "xlsx", template, lang="zh")
    book = openpyxl.load_workbook(template)
    data = book["数据"]
    names = [c.value for c in data[1]]
    for name, value, style in (("id", "甲单位", None), ("数", 12, '0.00"%"'), ("人", 7, '0"%"'), ("率", 95, '0"%"')):
        cell = data.cell(3, names.index(name) + 1)
        cell.value = value
        if style:
            cell.number_format = style
    for row in book["评分表"].iter_rows(min_row=2):
        if row[0].value in ("甲", "乙", "丙"):
            row[3].value = 8  # 丙 gives 5: one disagreement
    book.save(tmp_path / "filled.xlsx")
    filled = str(tmp_path / "filled.xlsx")
    code, out, err = run("eval", "--lang", "en", str(rule), filled)
    assert code == 0 and out.splitlines()[1] == "甲单位,8,8,5,21.00,,", out + err
    assert run("report", "--lang", "en", str(rule), filled, "-o", str(tmp_path / "r.md"))[0] == 0
    assert "| 8 |" in (tmp_path / "r.md").read_text(encoding="utf-8")
    code, out, err = run("audit", "--lang", "en", str(rule), filled)
    assert "disagreement `丙`: declared 8, the rule gives 5 (率 95%)" in out, out + err
    assert "`甲`" not in out and "`乙`" not in out, out
    require_duckdb()  # last: skipped without DuckDB, failed in CI
    scored = tmp_path / "o.csv"
    code, out, err = run("eval", "--engine", "duckdb", "--lang", "en", str(rule), filled, "-o", str(scored))
    cells = scored.read_text(encoding="utf-8-sig").splitlines()[1].split(",")
    assert code == 0 and [Decimal(c) for c in cells[1:5]] == [8, 8, 5, 21], cells


def test_samples_stay_scorable() -> None:
    import random

    from pingfen.sample import sample_record

    rng = random.Random(14)
    for _ in range(50):
        RUBRIC.evaluate(sample_record(RUBRIC, rng))


# ---------------------------------------------------------------- 12. the API: files and batches


def test_load_takes_an_open_file_binary_or_text() -> None:
    import pingfen

    with RULESET.open("rb") as binary:
        assert pingfen.load(binary).name == RUBRIC.name
    with RULESET.open(encoding="utf-8") as text:
        assert pingfen.load(text, tests=False).max == RUBRIC.max
    source = RULESET.read_bytes()
    assert pingfen.load(io.BytesIO(source)).inputs == RUBRIC.inputs
    assert pingfen.load(io.StringIO(source.decode("utf-8"))).inputs == RUBRIC.inputs


def test_load_of_a_bad_open_file_names_it() -> None:
    import pingfen

    with pytest.raises(pingfen.RubricError) as not_utf8:
        pingfen.load(io.BytesIO('rubric "甲" {\n  total 5\n}\n'.encode("gbk")))
    assert not_utf8.value.diagnostics[0].code == "PF006"
    with pytest.raises(pingfen.RubricError) as broken, RULESET.open("rb") as file:
        pingfen.load(io.BytesIO(file.read().replace(b"indicator", b"indicatr", 1)))
    assert "<file>" in str(broken.value)


def test_read_records_reads_every_kind_of_data_file(tmp_path: Path) -> None:
    import pingfen

    (yaml_record,) = pingfen.read_records(SEED_DATA)
    assert isinstance(yaml_record, dict) and yaml_record["满意度"] == "95%"
    rows = list(pingfen.read_records(DEPARTMENTS))
    assert [r["id"] for r in rows if isinstance(r, dict)] == ["区厂协", "示范单位", "填错的单位"]
    lines = tmp_path / "rows.jsonl"
    lines.write_text('{"id": "A"}\n{not json\n' + json.dumps({"id": "B", **{k: str(v) for k, v in FULL.items()}},
                                                                ensure_ascii=False) + "\n", encoding="utf-8")  # fmt: skip
    outcomes = list(RUBRIC.evaluate_many(pingfen.read_records(lines), key="id"))
    first, second, third = outcomes
    assert isinstance(first, pingfen.DataError) and (first.record, first.code) == ("A", "PF501")
    assert isinstance(second, pingfen.DataError) and (second.record, second.code) == ("row 2", "PF510")
    assert isinstance(third, pingfen.Result) and third.total == 100


def test_a_row_read_records_cannot_read_is_labelled_in_the_messages_language(tmp_path: Path) -> None:
    # "[row 2]" was English in a Chinese message; it is the file's row (the header is row 1,
    # a JSON Lines file's line), where evaluate_many's own refusals count records from `start`
    import pickle

    import pingfen

    lines = tmp_path / "rows.jsonl"
    lines.write_text('{"id": "A"}\n{not json\n', encoding="utf-8")
    _, second = RUBRIC.evaluate_many(pingfen.read_records(lines))
    assert isinstance(second, pingfen.DataError) and second.record == "row 2"
    assert second.describe("zh").startswith("[第 2 行] PF510") and second.describe("en").startswith("[row 2] PF510")
    assert second.render("zh").endswith("(第 2 行)") and second.render("en").endswith("(row 2)")
    assert pickle.loads(pickle.dumps(second)).describe("zh") == second.describe("zh")  # a pool sends it back
    csv_file = tmp_path / "rows.csv"
    csv_file.write_text("在职人数,编制人数\n1,2\n1,2,3\n", encoding="utf-8")
    _, bad = pingfen.read_records(csv_file)
    assert isinstance(bad, pingfen.DataError) and "[第 3 行]" in bad.describe("zh") and "[row 3]" in bad.describe("en")


def test_read_records_refuses_an_unreadable_file_at_once(tmp_path: Path) -> None:
    import pingfen

    with pytest.raises(pingfen.DataError) as missing:
        pingfen.read_records(tmp_path / "nowhere.csv")
    assert missing.value.code == "PF508"
    assert "read_records" in pingfen.__all__ and "read_records" in dir(pingfen)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(lambda d: abs(d.adjusted()) < 40))
def test_canonical_from_its_cache_is_canonical_computed(value: Decimal) -> None:
    """canonical() keeps what it worked out by value (3.0 and 3 hash alike): a value read from
    the cache is the one computed afresh, whatever spelling of it was seen first."""
    from pingfen.display import _canonical, canonical

    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    respelt = Decimal((sign, (*digits, 0), exponent - 1))  # the same value with one more zero: 3 → 3.0
    assert canonical(respelt) == canonical(value)
    assert str(canonical(respelt)) == str(_canonical(value)) == str(canonical(value))

"""Messages that say what is wrong:
- `report R dup.csv --id A` with two rows of id A said "有 2 条记录，请用 `--id` 指定其一",
  although `--id` was given: now PF525, the id is not unique, with the rows;
- an empty `.jsonl` said "有 0 条记录，请用 --id…": now PF526, no records;
- `--date 2021-02-29` was blamed on its form: now it says there is no such day;
- `fuzz` printed a counterexample's percents as ratios ("从 1 提高到 1.0001"), dates as Excel day
  numbers (`起: 43831`) and totals unrounded ("15 → 14.995" where eval shows 15.00)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
from pingfen.fuzz import fuzz, render, to_yaml

RULE = """rubric "表头" { total 10 }
input 满意度: percent
input `数据(万元)`: amount
group 甲 10 {
  indicator 乙 5 { bands 满意度 { >= 90% -> 5  < 90% -> 0 } }
  indicator 丙 5 { score = min(`数据(万元)`, 5) }
}
"""
FUZZED = """rubric "反例" {
  total 20
  grade 好 >= 8
  grade 差 otherwise
}
input 率: percent >= 0 and <= 150%
input 起: date
input 止: date
group 组 20 {
  indicator 一 5 {
    deduct 0.5 per 1pp of 率 above 100% counting proportional
  }
  indicator 三 15 {
    deduct 1 per 1 of months(起, 止) above 0 counting started
  }
}
property monotone 率 increasing
"""


def _run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, err.getvalue()


@pytest.fixture
def rule(tmp_path: Path) -> Path:
    path = tmp_path / "h.rule"
    path.write_text(RULE, encoding="utf-8")
    return path


def test_an_id_two_rows_have_is_not_unique(rule: Path) -> None:
    data = rule.with_name("dup.csv")
    data.write_text("id,满意度,数据(万元)\nA,95%,3\nA,80%,1\nB,85%,2\n", encoding="utf-8")
    code, err = _run("report", str(rule), str(data), "--id", "A")
    assert code == 2 and f"错误[PF525]: `{data}` 中编号为 `A` 的记录有 2 条（第 2、3 行）：一个编号只能对应一个单位" in err
    assert "--id" not in err
    code, err = _run("--lang", "en", "report", str(rule), str(data), "--id", "A")
    assert code == 2 and f"error[PF525]: `{data}` has 2 records with id `A` (rows 2, 3)" in err
    code, err = _run("report", str(rule), str(data))  # no --id: still PF515
    assert code == 2 and "PF515" in err and "3 条记录，请用 `--id` 指定其一" in err
    assert _run("report", str(rule), str(data), "--id", "B")[0] == 0


@pytest.mark.parametrize(("name", "text"), [("empty.jsonl", ""), ("empty.csv", "id,满意度,数据(万元)\n")])
def test_a_file_of_no_records(rule: Path, name: str, text: str) -> None:
    data = rule.with_name(name)
    data.write_text(text, encoding="utf-8")
    code, err = _run("report", str(rule), str(data))
    assert code == 2 and f"错误[PF526]: `{data}` 中没有任何记录" in err and "--id" not in err


@pytest.mark.parametrize(("name", "text"), [("empty.jsonl", ""), ("empty.csv", "id,满意度,数据(万元)\n")])
def test_a_folder_of_reports_from_no_records(rule: Path, name: str, text: str) -> None:
    # To a folder, a file of no records (a template handed back unfilled) wrote an empty
    # 汇总.xlsx, said 已写入 0 份报告 and exited 0; now PF526 as for one report, nothing made.
    data = rule.with_name(name)
    data.write_text(text, encoding="utf-8")
    folder = rule.parent / "报告"
    code, err = _run("report", str(rule), str(data), "-o", f"{folder}/")
    assert (code, err.strip()) == (2, f"错误[PF526]: `{data}` 中没有任何记录")
    assert not folder.exists()
    code, err = _run("--lang", "en", "report", str(rule), str(data), "-o", f"{folder}/")
    assert (code, err.strip()) == (2, f"error[PF526]: `{data}` holds no records")


@pytest.mark.parametrize(
    ("date", "zh", "en"),
    [
        ("2021-02-29", "日历上没有这一天（2021 年 2 月没有 29 日）", "there is no such day (2021-02-29 is not in the calendar)"),
        ("2021年13月1日", "日历上没有这一天（一年没有 13 月）", "there is no such day (a year has no month 13)"),
    ],
)
def test_a_date_that_does_not_exist(rule: Path, date: str, zh: str, en: str) -> None:
    record = rule.with_name("d.yaml")
    record.write_text("满意度: 95%\n数据(万元): 3\n", encoding="utf-8")
    code, err = _run("report", str(rule), str(record), "--date", date)
    assert code == 2 and zh in err
    code, err = _run("--lang", "en", "report", str(rule), str(record), "--date", date)
    assert code == 2 and en in err
    code, err = _run("report", str(rule), str(record), "--date", "明天")  # not a date at all: the form
    assert code == 2 and "日期请写成 2026-11-30" in err


def test_fuzz_shows_values_as_written_and_totals_as_eval_does(tmp_path: Path) -> None:
    from pingfen.io.records import read_record

    rubric = pingfen.loads(FUZZED, "f.rule")
    zh, en = (render(fuzz(rubric, max_examples=50, seed=0, lang=lang), lang) for lang in ("zh", "en"))
    assert "`率` 从 100% 提高到 100.01%，总分从 20.00 分降到 20.00 分（取整前 19.995 分）" in zh
    assert "raising `率` from 100% to 100.01% lowers the total from 20.00 to 20.00 (19.995 before rounding)" in en
    [failure] = fuzz(rubric, max_examples=50, seed=0).failures
    written = tmp_path / "c.yaml"
    written.write_text(to_yaml(failure.records[0], rubric), encoding="utf-8")
    text = written.read_text(encoding="utf-8")
    assert '率: "100%"' in text and '起: "20' in text and "4383" not in text and "4383" not in zh
    assert rubric.evaluate(read_record(written)).total == rubric.evaluate(failure.records[0], ratios=True).total

"""Template → fill → batch score → report, for XLSX and CSV, through the command line."""

from __future__ import annotations

import csv
import io
import json
import random
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from data_helpers import FULL, RUBRIC, RULESET, csv_text, fill_xlsx
from pingfen.batch import indicator_names, score_file
from pingfen.cli import main
from pingfen.sample import sample_record

R = str(RULESET)
INDICATORS = indicator_names(RUBRIC)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV output is UTF-8 with a BOM"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def three_departments() -> list[dict[str, object]]:
    """A full-marks department, one with bad data, and the seed's 14 of 12 staff at 95% satisfaction."""
    bad = dict(FULL, id="A02", 编制人数=0)
    del bad["满意度"]
    seed_like = dict(FULL, id="A03", 在职人数=14, 编制人数=12, 满意度="95%", 结余="1.5", 上年结转=2)
    return [dict(FULL, id="A01"), bad, seed_like]


def test_xlsx_template_fill_score_report(tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    assert run("template", R, "-o", str(template)) == (0, "", "")
    filled = tmp_path / "filled.xlsx"
    fill_xlsx(template, filled, three_departments())

    # Excel's own cells: 满意度 typed as 95% is the float 0.95 in a percent-formatted cell
    sheet = openpyxl.load_workbook(filled).worksheets[0]
    column = [c.value for c in sheet[1]].index("满意度") + 1
    assert sheet.cell(5, column).value == 0.95 and sheet.cell(5, column).number_format == "0.00%"

    out = tmp_path / "scores.xlsx"
    code, stdout, err = run("eval", "--lang", "en", R, str(filled), "-o", str(out))
    assert code == 1  # a row failed
    assert f"{filled}, row 4 [A02]: PF503: input `编制人数`: 0 is outside its domain (> 0); PF501: missing input `满意度`" in err
    assert "1 of 3 rows could not be scored (see the error column)" in err and "Traceback" not in err
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    header = rows[0]
    assert header == ("id", *INDICATORS, "total", "grade", "error")
    got = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert got["A01"]["total"] == 100 and got["A01"]["grade"] == "优秀" and got["A01"]["error"] is None
    assert got["A02"]["total"] is None and "`编制人数`" in got["A02"]["error"] and "`满意度`" in got["A02"]["error"]
    assert got["A03"]["财政供养人员控制率"] == 0 and got["A03"]["社会公众或服务对象满意度"] == 5
    assert got["A03"]["资金结余"] == 2 and got["A03"]["total"] == 94  # 100 - 5 - 1

    report = tmp_path / "A03.html"
    assert run("report", R, str(filled), "--id", "A03", "-o", str(report))[0] == 0
    html = report.read_text(encoding="utf-8")
    assert "94.00" in html and "A03" in html and "财政供养人员控制率" in html


def test_gbk_csv_template_fill_score_report(tmp_path: Path) -> None:
    template = tmp_path / "template.csv"
    assert run("template", R, "-o", str(template))[0] == 0
    text = template.read_bytes().decode("utf-8-sig")
    filled = tmp_path / "filled.csv"
    filled.write_bytes(csv_text(text, three_departments()).encode("gbk"))  # saved by Excel on Chinese Windows

    out = tmp_path / "scores.csv"
    code, _, err = run("eval", "--lang", "zh", R, str(filled), "-o", str(out))
    assert code == 1
    assert f'{filled} 第 4 行 [A02]: PF503: 输入项 `编制人数`："0" 超出取值范围（> 0）; PF501: 缺少输入项 `满意度`' in err
    rows = {r["编号"]: r for r in read_csv(out)}  # a CSV for people: its headers in 中文
    assert list(rows) == ["A01", "A02", "A03"]
    assert (rows["A01"]["总分"], rows["A01"]["评价等次"], rows["A01"]["错误"]) == ("100.00", "优秀", "")
    assert rows["A03"]["总分"] == "94.00" and rows["A03"]["财政供养人员控制率"] == "0"
    assert rows["A02"]["总分"] == "" and rows["A02"]["错误"].startswith("[A02] PF503: 输入项 `编制人数`")

    md = tmp_path / "A01.md"
    assert run("report", "--lang", "zh", R, str(filled), "--id", "A01", "-o", str(md))[0] == 0
    assert "| **总分** |" in md.read_text(encoding="utf-8")


def test_yaml_template_fills_and_scores(tmp_path: Path) -> None:
    code, text, _ = run("template", "--format", "yaml", "--lang", "zh", R)
    assert code == 0 and "\n在职人数:\n" in text and "# 实有在职人数（人）（整数）\n" in text
    values = {k: ("是" if v is True else "否" if v is False else str(v)) for k, v in FULL.items()}
    filled = "".join(
        f"{line} {json.dumps(values[line[:-1].strip(chr(34))], ensure_ascii=False)}\n"
        if line.endswith(":") and line[:-1].strip('"') in values else line + "\n"
        for line in text.splitlines()
    )  # fmt: skip
    path = tmp_path / "filled.yaml"
    path.write_text(filled, encoding="utf-8")
    code, out, err = run("eval", "--lang", "zh", R, str(path))
    assert code == 0, err
    assert out.rstrip().endswith("总分 100  得分 100.00  评价等次 优秀")


def test_unfilled_template_names_every_missing_input(tmp_path: Path) -> None:
    template = tmp_path / "t.csv"
    run("template", R, "-o", str(template))
    path = tmp_path / "one.csv"
    path.write_text(template.read_text(encoding="utf-8-sig") + "空表" + "," * len(RUBRIC.inputs) + "\r\n",
                    encoding="utf-8")  # fmt: skip
    code, out, err = run("eval", "--lang", "en", R, str(path))
    assert code == 1
    assert out.splitlines()[1].startswith("空表," + "," * (len(INDICATORS) + 2))
    assert err.count("missing input") == len(RUBRIC.inputs)


def test_batch_to_stdout_jsonl_and_json(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(json.dumps(dict(FULL, id=f"D{i}"), ensure_ascii=False, default=str) for i in range(3)),
                    encoding="utf-8")  # fmt: skip
    code, out, _ = run("eval", "--format", "jsonl", R, str(path))
    assert code == 0
    lines = [json.loads(line, parse_float=Decimal) for line in out.splitlines()]
    assert [(d["id"], d["total"], d["error"]) for d in lines] == [(f"D{i}", Decimal("100.00"), None) for i in range(3)]
    code, out, _ = run("eval", "--format", "json", R, str(path))
    assert code == 0 and [d["id"] for d in json.loads(out)] == ["D0", "D1", "D2"]


def test_a_json_lines_line_saved_as_gbk_costs_only_its_row(tmp_path: Path) -> None:
    """A line not UTF-8 (GBK, as Notepad saves on a Chinese Windows) refused the whole file with
    Python's English words (`'utf-8' codec can't decode byte 0xd4…`), in Chinese too, after the
    CSV's header was printed; now it is that row's PF510, with the hint to save as UTF-8."""
    from pingfen.io.tables import read_rows

    path = tmp_path / "data.jsonl"
    good = json.dumps(dict(FULL, id="D1"), ensure_ascii=False, default=str).encode("utf-8")
    bad = json.dumps(dict(FULL, id="乙单位"), ensure_ascii=False, default=str).encode("gbk")
    path.write_bytes(good + b"\n" + bad + b"\n" + good.replace(b"D1", b"D3") + b"\n")
    code, out, err = run("eval", R, str(path))
    assert code == 1
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["D1", "", "D3"]
    assert "第 2 行: PF510: `" in err and "第 2 行：不是 UTF-8 编码的文本（该行第 2 字节处）" in err and "codec" not in err
    code, _, err = run("--lang", "en", "eval", R, str(path))
    assert "line 2: not UTF-8 text (at byte 2 of the line)" in err
    (problem,) = [row.problem for row in read_rows(path) if row.problem is not None]
    assert problem.help("zh") is not None and "UTF-8" in problem.help("zh")  # type: ignore[operator]


def test_stderr_lists_twenty_failed_rows_then_counts(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,在职人数\n" + "".join(f"B{i},{i}\n" for i in range(25)), encoding="utf-8")
    code, _, err = run("eval", "--lang", "en", R, str(path))
    lines = err.splitlines()
    assert code == 1 and len(lines) == 22
    assert lines[0].startswith(f"{path}, row 2 [B0]: PF501: missing input `编制人数`")
    assert lines[-2:] == ["... and 5 more", "25 of 25 rows could not be scored (see the error column)"]


def test_id_column_option(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    names = list(FULL)
    path.write_text("单位," + ",".join(names) + "\n" + "区厂协," + ",".join(_csv(FULL[n]) for n in names) + "\n",
                    encoding="utf-8")  # fmt: skip
    code, out, _ = run("eval", "--id-column", "单位", R, str(path))
    assert code == 0 and out.splitlines()[1].startswith("区厂协,5,")
    code, _, err = run("eval", "--lang", "en", "--id-column", "编号", R, str(path))
    assert code == 2 and "has no column `编号`" in err


def _csv(value: object) -> str:
    return ("是" if value else "否") if isinstance(value, bool) else str(value)


def test_single_record_keeps_table_and_json(tmp_path: Path) -> None:
    seed = str(RULESET.parents[1] / "examples" / "dept-overall-2021" / "seed-2021.yaml")
    code, out, _ = run("eval", "--lang", "zh", R, seed)
    assert code == 0 and "评价等次 良好" in out
    code, out, _ = run("eval", "--format", "csv", R, seed)  # one record, written as a batch row
    assert code == 0 and out.splitlines()[1].startswith(",0,5,5,3,2") and ",87.00,良好," in out


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id\n", encoding="utf-8")
    assert run("eval", "--format", "xlsx", R, str(data))[0] == 2  # xlsx needs -o
    code, _, err = run("eval", "--format", "table", "--lang", "en", R, str(data))
    assert code == 2 and "table output is for one record" in err
    assert run("template", "--format", "xlsx", R)[0] == 2
    assert run("report", "--format", "xlsx", R, str(data))[0] == 2
    code, _, err = run("eval", R, str(tmp_path / "missing.csv"))
    assert code == 2 and "PF508" in err and "Traceback" not in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_ten_thousand_rows(tmp_path: Path) -> None:
    """A 10,000-row CSV: every total matches a direct evaluation of the same record."""
    rng = random.Random(2021)
    records = [sample_record(RUBRIC, rng) for _ in range(10_000)]
    names = [s.name for s in RUBRIC.inputs]
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", *names])
        for i, record in enumerate(records):
            writer.writerow([f"D{i:05d}", *(_csv(record[n]) for n in names)])
    out = tmp_path / "scores.csv"
    start = time.process_time()
    terminal = Terminal()
    summary = score_file(RUBRIC, path, out, "csv", lang="en", progress=terminal)
    elapsed = time.process_time() - start
    assert summary.rows == 10_000 and summary.ok
    assert "scoring [##############################] 10,000/10,000 rows" in terminal.getvalue()
    rows = read_csv(out)
    assert len(rows) == 10_000
    for i in (0, 1, 4_999, 9_998, 9_999):
        expected = RUBRIC.evaluate(records[i])
        assert rows[i]["id"] == f"D{i:05d}"
        assert Decimal(rows[i]["total"]) == expected.total and rows[i]["grade"] == expected.grade
        assert Decimal(rows[i]["财政供养人员控制率"]) == expected["财政供养人员控制率"].score
    assert len({r["total"] for r in rows}) > 100  # the records really differ
    assert elapsed < 60, f"10,000 rows took {elapsed:.1f}s"


OUTSIDE = """\
rubric "加分与扣分" {
  total 100
  cap total 100
  round total 2 half_up
  grade 优秀 >= 90
  grade 合格 otherwise
}
input 完成率: percent >= 0 and <= 100%
input 创新项目数: count
input 违规问题数: count
indicator 完成率 100 { score = 完成率 * 100 }
bonus 创新加分 3 { award 1 if 创新项目数 >= 1
  award 2 if 创新项目数 >= 3 }
penalty 违规扣分 10 { deduct 2 per 违规问题数 }
"""


@pytest.mark.parametrize("rows", [2, 1200])  # 1,200: the fast path, and `--jobs 2`'s workers
def test_bonus_and_penalty_rows_have_their_columns(tmp_path: Path, rows: int) -> None:
    """A batch wrote no column for 加分项 and 扣分项: a row's figures did not add up to its total."""
    rule = tmp_path / "r.rule"
    rule.write_text(OUTSIDE, encoding="utf-8")
    data = tmp_path / "d.csv"
    lines = ["B,80%,0,2", "A,95%,3,1"] * (rows // 2)
    data.write_text("id,完成率,创新项目数,违规问题数\n" + "\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run("eval", str(rule), str(data), "--jobs", "2")
    assert code == 0
    assert out.splitlines()[:3] == ["编号,完成率,创新加分,违规扣分,总分,评价等次,错误", "B,80,0,-4,76.00,合格,", "A,95,3,-2,96.00,优秀,"]
    assert len(out.splitlines()) == rows + 1
    code, out, _ = run("eval", str(rule), str(data), "--format", "jsonl", "--jobs", "1")
    assert json.loads(out.splitlines()[1]) == {"id": "A", "完成率": 95, "创新加分": 3, "违规扣分": -2, "total": 96.00,
                                               "grade": "优秀", "error": None}  # fmt: skip


@pytest.mark.parametrize(("lang", "said"), [("zh", "中没有任何记录：结果中没有单位"), ("en", "holds no record: the results hold no unit")])
def test_a_file_of_no_records_is_said_to_hold_none(tmp_path: Path, lang: str, said: str) -> None:
    """A template handed back unfilled (its header alone) wrote a results file of a header and
    said nothing: a user saw exit 0 and an empty table. It still exits 0, and says why."""
    data = tmp_path / "填报.csv"
    data.write_text(",".join(["id", *(spec.name for spec in RUBRIC.inputs)]) + "\n", encoding="utf-8")
    out = tmp_path / "结果.csv"
    code, _, err = run("--lang", lang, "eval", R, str(data), "-o", str(out))
    assert code == 0
    assert err.strip() == f"{data} {said}"
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1  # the header alone

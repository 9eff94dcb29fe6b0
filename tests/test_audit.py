"""Auditing a filled-in self-evaluation: the seed's four disagreements, and each kind of finding."""

from __future__ import annotations

import io
import json
import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from data_helpers import ROOT, RUBRIC, RULESET, excel_value
from pingfen.audit import audit
from pingfen.cli import main
from pingfen.errors import DataError
from pingfen.sample import sample_record
from pingfen.template import write_template

R = str(RULESET)
SEED = ROOT / "examples" / "seed-2021-self-evaluation.yaml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_seed_self_evaluation_in_english() -> None:
    code, out, err = run("audit", "--lang", "en", R, str(SEED))
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[0] == "部门整体支出绩效评价评分表: audit (区厂协)"
    findings = [line for line in lines if line.startswith("disagreement")]
    assert findings == [
        "disagreement `财政供养人员控制率`: declared 4, the rule gives 0 (在职人数 14, 编制人数 12)",
        "disagreement `资金结余`: declared 2, the rule gives 3 (结余 0, 上年结转 0)",
        "disagreement `社会公众或服务对象满意度`: declared 3, the rule gives 5 (满意度 95%)",
        "disagreement total: declared 88.5, but the scores add up to 87.5 (投入 14 + 过程 34.5 + 产出 21 + 效果 18), 1 apart",
    ]
    reasons = lines[lines.index(findings[0]) + 1 : lines.index(findings[0]) + 3]
    assert reasons == [
        "    在职人员控制率 116.67% is 16.67 percentage points above 100%; 0.5 per percentage point: -8.33",
        "    8.33 points lost in all, more than the max 5: scored 0 (扣完为止)",
    ]
    # the inputs lacking named, the first five, as --format json names them all
    assert lines[-1] == ("4 disagreements; 4 indicators recomputed by their rules (1 agree), 21 not recomputed (inputs missing: "
                         "上年三公经费, 重点支出安排率, 未按进度下达专项数, 三公经费预算数, 已制定预算管理制度 … (28 in all))")


def test_seed_self_evaluation_in_chinese() -> None:
    code, out, _ = run("audit", "--lang", "zh", R, str(SEED))
    assert code == 1
    assert "不一致 `财政供养人员控制率`：自评 4 分，按评分规则应得 0 分（在职人数 14，编制人数 12）" in out
    assert "    在职人员控制率 116.67% 超过 100% 16.67 个百分点，每个百分点扣 0.5 分，扣 8.33 分" in out
    assert "不一致 `资金结余`：自评 2 分，按评分规则应得 3 分（结余 0，上年结转 0）" in out
    assert "不一致 `社会公众或服务对象满意度`：自评 3 分，按评分规则应得 5 分（满意度 95%）" in out
    assert "不一致 总分：自评 88.5 分，各项得分合计 87.5 分（投入 14 + 过程 34.5 + 产出 21 + 效果 18），相差 1 分" in out
    assert out.rstrip().endswith("发现 4 处不一致；按规则复核 4 项指标（1 项一致），21 项缺少输入未复核（缺少输入项 上年三公经费、"
                                 "重点支出安排率、未按进度下达专项数、三公经费预算数、已制定预算管理制度 等 28 项）")


def test_seed_as_json() -> None:
    code, out, _ = run("audit", "--format", "json", "--lang", "en", R, str(SEED))
    assert code == 1
    data = json.loads(out, parse_float=Decimal)
    kinds = [(f["kind"], f["name"], f["declared"], f["expected"]) for f in data["findings"]]
    assert kinds == [
        ("rule", "财政供养人员控制率", 4, 0),
        ("rule", "资金结余", 2, 3),
        ("rule", "社会公众或服务对象满意度", 3, 5),
        ("total", "total", Decimal("88.5"), Decimal("87.50")),
    ]
    assert data["findings"][2]["inputs"] == {"满意度": "95%"}
    assert data["recomputed_agree"] == ["预算调整率"] and data["agree"] is False
    assert data["not_recomputed"]["“三公经费”变动率"] == ["上年三公经费"]


def test_the_fixed_asset_rate_the_seed_implies_adds_a_fifth(tmp_path: Path) -> None:
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    data["inputs"]["固定资产利用率"] = "100%"  # 在用 14.93 of 合计 14.93
    path = tmp_path / "seed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = run("audit", "--lang", "en", R, str(path))
    assert code == 1 and "5 disagreements" in out
    assert "disagreement `固定资产利用率`: declared 2.5, the rule gives 3 (固定资产利用率 100%)" in out


def declared_from(record: dict[str, object]) -> dict[str, object]:
    result = RUBRIC.evaluate(record)
    out: dict[str, object] = {n.name: n.score for n in result.nodes()}
    return out | {"total": result.total, "grade": result.grade}


def test_a_consistent_evaluation_agrees() -> None:
    rng = random.Random(7)
    for _ in range(50):
        record = sample_record(RUBRIC, rng)
        found = audit(RUBRIC, declared_from(record), record)
        assert found.ok, found.findings
        assert len(found.agreed) == 25 and found.unchecked == ()


def test_consistent_file_exits_0(tmp_path: Path) -> None:
    record = sample_record(RUBRIC, random.Random(3))
    path = tmp_path / "ok.json"
    path.write_text(json.dumps({"declared": declared_from(record), "inputs": record}, default=str, ensure_ascii=False),
                    encoding="utf-8")  # fmt: skip
    code, out, _ = run("audit", "--lang", "en", R, str(path))
    assert code == 0 and out.rstrip().endswith("the declared scores agree; 25 indicators recomputed by their rules "
                                               "(25 agree), 0 not recomputed (inputs missing)")  # fmt: skip


def test_range_sums_and_grade() -> None:
    declared = {
        "经济效益": 6, "社会效益": -1, "生态效益": 5, "社会公众或服务对象满意度": 5,  # 履职效益 implied: 15
        "效果": 20, "投入": 15, "财政供养人员控制率": 4, "“三公经费”变动率": 5, "重点支出安排率": 5,
        "total": 101, "grade": "良好",
    }  # fmt: skip
    found = audit(RUBRIC, declared, lang="en")
    kinds = [(f.kind, f.name, f.declared, f.expected) for f in found.findings]
    assert ("above_max", "经济效益", 6, 5) in kinds
    assert ("below_zero", "社会效益", -1, 0) in kinds
    assert ("sum", "效果", 20, 15) in kinds  # 履职效益 is not declared: its indicators add up to 15
    assert ("sum", "投入", 15, 14) in kinds  # 预算配置 likewise, 14
    assert ("above_max", "total", 101, 100) in kinds
    assert ("grade", "grade", "良好", "优秀") in kinds  # 101 ≥ 90
    assert not any(k[0] == "total" for k in kinds)  # 过程 and 产出 are unknown: no sum to compare
    sums = next(f for f in found.findings if f.name == "效果")
    assert sums.parts == (("履职效益", 15),)


def test_grade_from_the_implied_total_when_none_is_declared() -> None:
    declared = {t.name: t.max for t in RUBRIC.tree} | {"grade": "良好"}
    found = audit(RUBRIC, declared, lang="zh")
    assert [(f.kind, f.expected, f.total) for f in found.findings] == [("grade", "优秀", Decimal("100.00"))]


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        ({"declared": {"财政供养人员控治率": 4}}, "PF513", "`财政供养人员控治率` is not a group or indicator of the rubric"),
        ({"declared": {"投入": "十五"}}, "PF514", 'declared `投入`: "十五" is not a number'),
        # a typo no score is near: refused, not summed into an overflow (was an internal error)
        ({"declared": {"支付进度": "1e100000000"}}, "PF524", "declared `支付进度`: \"1e100000000\" is beyond any score"),
        ({"declared": {"总分": "1e999999999"}}, "PF524", "declared `total`: \"1e999999999\" is beyond any score"),
        ({"declared": {"投入": "9e999999"}}, "PF524", "(10^-100 … 10^100 in size)"),
        ({"declared": {"投入": 15}, "inputs": {"在职人员": 14}}, "PF517", "`在职人员` is not an input of the rubric"),
        ({"declared": {"投入": 15}, "inputs": {"编制人数": 0}}, "PF503", "input `编制人数`: 0 is outside its domain (> 0)"),
        ({"inputs": {}}, "PF518", "has no declared scores"),
    ],
)
def test_bad_filled_files_exit_2(tmp_path: Path, content: dict[str, object], code: str, message: str) -> None:
    path = tmp_path / "filled.yaml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    status, out, err = run("audit", "--lang", "en", R, str(path))
    assert status == 2 and out == "" and f"error[{code}]" in err and message in err and "Traceback" not in err


def test_did_you_mean_for_a_misspelt_name() -> None:
    with pytest.raises(DataError) as info:
        audit(RUBRIC, {"财政供养人员控治率": 4})
    assert info.value.problems[0].help("en") == "did you mean `财政供养人员控制率`?"


def test_unreadable_filled_file(tmp_path: Path) -> None:
    path = tmp_path / "filled.yaml"
    path.write_text("declared: [unclosed", encoding="utf-8")
    code, _, err = run("audit", R, str(path))
    assert code == 2 and "PF508" in err
    code, _, err = run("audit", R, str(tmp_path / "missing.yaml"))
    assert code == 2 and "PF508" in err
    table = tmp_path / "scores.csv"
    table.write_text("id,total\nA,88.5\n", encoding="utf-8")
    code, _, err = run("audit", "--lang", "en", R, str(table))
    assert code == 2 and "error[PF511]" in err and "must be .yaml, .yml, .json, .xlsx" in err
    # A folder was PF511 自评表应为 .yaml, .yml, .json, .xlsx 文件, as if a file of another kind.
    code, out, err = run("audit", R, str(tmp_path))
    assert (code, out, err.strip()) == (2, "", f"错误[PF508]: 无法读取 `{tmp_path}`：是一个目录而不是文件")


def test_xlsx_template_filled_and_audited(tmp_path: Path) -> None:
    """The template's rubric sheet takes the declared scores; its data sheet the inputs."""
    template = tmp_path / "t.xlsx"
    write_template(RUBRIC, "xlsx", template, lang="zh")
    book = openpyxl.load_workbook(template)
    data, sheet = book["数据"], book["评分表"]
    header = [c.value for c in data[1]]
    inputs = {"id": "区厂协", "在职人数": 14, "编制人数": 12, "结余": 0, "上年结转": 0, "满意度": "95%"}
    for name, value in inputs.items():
        data.cell(3, header.index(name) + 1).value = excel_value(value)
    seed = yaml.safe_load(SEED.read_text(encoding="utf-8"))["declared"]
    for row in sheet.iter_rows(min_row=2):
        name = next((c.value for c in row[:3] if c.value), None)
        key = {"总分": "total", "评价等次": "grade"}.get(name, name)
        if key in seed:
            row[5].value = seed[key] if not isinstance(seed[key], Decimal) else float(seed[key])
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    code, out, _ = run("audit", "--lang", "en", R, str(filled))
    assert code == 1
    assert "(区厂协)" in out.splitlines()[0]
    assert "disagreement `社会公众或服务对象满意度`: declared 3, the rule gives 5 (满意度 95%)" in out
    assert "disagreement total: declared 88.5, but the scores add up to 87.5" in out
    assert "4 disagreements" in out


def test_xlsx_laid_out_like_the_annex(tmp_path: Path) -> None:
    """附件2-2 itself: names wrapped over lines, group cells merged, a 自评得分 column."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["一级指标", "二级指标", "三级指标", "评分标准", "分值", "自评得分", "扣分原因和其他说明"])
    sheet.append(["投  入\n（15分）", "预算配置\n（15分）", "财政供养人员\n控制率", "…", 5, 4, "临聘人员2名"])
    sheet.append([None, None, "“三公经费”\n变动率", "…", 5, 5, None])
    sheet.append([None, None, "重点支出\n安排率", "…", 5, 6, None])
    sheet.append(["总 分", None, None, None, 100, 88.5, None])
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("B2:B4")
    path = tmp_path / "annex.xlsx"
    book.save(path)
    code, out, _ = run("audit", "--format", "json", R, str(path))
    assert code == 1
    data = json.loads(out, parse_float=Decimal)
    assert [(f["kind"], f["name"], f["declared"]) for f in data["findings"]] == [("above_max", "重点支出安排率", 6)]
    assert list(data["not_recomputed"]) == ["财政供养人员控制率", "“三公经费”变动率", "重点支出安排率"]
    sheet.append(["过  程", "预算管理", "管理制度\n健全性", "…", 3, 3, None])
    sheet.append([None, "资产管理", "管理制度\n健全性", "…", 3, 2, None])  # the annex's duplicate name
    book.save(path)
    code, _, err = run("audit", "--lang", "en", R, str(path))
    assert code == 2 and f"error[PF519]: `{path}`, sheet `Sheet`: `管理制度健全性` is declared on more than one row (6, 7)" in err


def test_xlsx_without_a_declared_column(tmp_path: Path) -> None:
    path = tmp_path / "nothing.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    book.save(path)
    code, _, err = run("audit", "--lang", "en", R, str(path))
    assert code == 2 and "no sheet has a column headed 自评得分" in err


def test_the_annex_s_own_label_for_the_total(tmp_path: Path) -> None:
    """The self-evaluation labels its total 绩效自评综合得分 (reference-2021.md); it was refused
    as PF513, not a group or indicator, with no hint. It is the total, in XLSX and YAML alike."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["一级指标", "二级指标", "三级指标", "分值", "自评得分"])
    sheet.append(["投入", "预算配置", "重点支出安排率", 5, 5])
    sheet.append(["绩效自评综合得分", None, None, 100, 120])
    path = tmp_path / "annex.xlsx"
    book.save(path)
    code, out, err = run("audit", "--format", "json", R, str(path))
    assert (code, err) == (1, "")
    found = json.loads(out, parse_float=Decimal)["findings"]
    assert [(f["kind"], f["name"], f["declared"]) for f in found] == [("above_max", "total", 120)]
    filled = tmp_path / "s.yaml"
    filled.write_text("declared:\n  重点支出安排率: 5\n  综合得分: 120\n", encoding="utf-8")
    code, out, err = run("audit", "--format", "json", R, str(filled))
    assert (code, err) == (1, "")
    found = json.loads(out, parse_float=Decimal)["findings"]
    assert [(f["kind"], f["name"], f["declared"]) for f in found] == [("above_max", "total", 120)]


def test_a_finding_never_shows_two_different_scores_as_one_number() -> None:
    """Findings showed numbers to 2 decimals: a declared 3.275 against the rule's 3.28 read
    "自评 3.28 分，按评分规则应得 3.28 分", and 16.33 against 16.333… "16.33 … 16.33". Every
    digit up to 6 decimals now, as reasons show them, and a longer number marked with `…`.
    (Those two now agree, as written to their digits: test_audit_rounding.py; 3.2751 and 8.334 do not.)"""
    import pingfen
    from pingfen.report.audit import finding_text

    rubric = pingfen.loads(
        'rubric "x" { total 20 }\ninput 率: percent >= 0 and <= 100%\ninput 分: list of score >= 0 and <= 10\n'
        "indicator 甲 10 { score = 率 * 10 }\nindicator 乙 10 { score = mean(分) }\n"
    )
    found = audit(rubric, {"甲": "3.2751", "乙": "8.334"}, {"率": "32.75%", "分": [8, 8, 9]}).findings
    assert [finding_text(f, "zh") for f in found] == [
        "`甲`：自评 3.2751 分，按评分规则应得 3.275 分（率 32.75%）",
        "`乙`：自评 8.334 分，按评分规则应得 8.33… 分（分 8、8、9）",
    ]

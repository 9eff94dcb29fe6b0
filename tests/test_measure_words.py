"""A count's reason says its own measure word: "每逾期 10 天扣 1 分" over `逾期天数: count` is
explained as 每 10 天, not 每 10 项 (as every count was before). The word comes from how the
count's name ends (天数 → 天, 专项数 → 项, …, docs/language.md §11); a name ending otherwise,
or an expression, keeps 项. English says days only. evaluate(), the walker, the CLI and the
warehouse's reasons worded back (pingfen.sql.Explainer) all say the same."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from pingfen.reasons import measure

TEXT = """rubric "计量" { total 40 }
input 逾期天数: count >= 0
input 宽限天数: count >= 0
input 未按进度下达专项数: count >= 0
input 发现问题数: count >= 0
input 培训人次数: count >= 0
input 评审专家数: count >= 0
indicator 及时性 10 { deduct 1 per 10 of 逾期天数 }
indicator 超期 5 { deduct 1 per 1 of 逾期天数 above 宽限天数 }
indicator 专项 5 { deduct 0.5 per 未按进度下达专项数 }
indicator 问题 5 { deduct 1 per 发现问题数 }
indicator 净逾期 5 { deduct 1 per 10 of 逾期天数 - 宽限天数 }
indicator 培训 5 { deduct 1 per 20 of 培训人次数 below 100 }
indicator 专家 5 { deduct 1 per 评审专家数 }
"""
RECORD = {"逾期天数": 25, "宽限天数": 20, "未按进度下达专项数": 2, "发现问题数": 3, "培训人次数": 60, "评审专家数": 1}

ZH = {
    "及时性": ["逾期天数为 25，每 10 天扣 1 分，扣 2.5 分"],
    "超期": ["逾期天数 25 超过 20 5 天，每天扣 1 分，扣 5 分"],
    "专项": ["未按进度下达专项数为 2，每项扣 0.5 分，扣 1 分"],
    "问题": ["发现问题数为 3，每项扣 1 分，扣 3 分"],  # 问题数: no measure word of its own
    "净逾期": ["逾期天数 - 宽限天数为 5，每 10 项扣 1 分，扣 0.5 分"],  # an expression, not one count
    "培训": ["培训人次数 60 低于 100 40 人次，每 20 人次扣 1 分，扣 2 分"],
    "专家": ["评审专家数为 1，每项扣 1 分，扣 1 分"],  # 专家 are people, not 家
}
EN = {
    "及时性": ["逾期天数 is 25; 1 per 10 days: -2.5"],
    "超期": ["逾期天数 25 is 5 days above 20; 1 per day: -5"],
    "专项": ["未按进度下达专项数 is 2; 0.5 each: -1"],
    "问题": ["发现问题数 is 3; 1 each: -3"],
    "净逾期": ["逾期天数 - 宽限天数 is 5; 1 per 10: -0.5"],
    "培训": ["培训人次数 60 is 40 below 100; 1 per 20: -2"],
    "专家": ["评审专家数 is 1; 1 each: -1"],
}


@pytest.fixture(scope="module")
def rubric() -> pingfen.Rubric:
    return pingfen.loads(TEXT)


def said(result: pingfen.Result, lang: str) -> dict[str, list[str]]:
    return {n.name: n.reasons_in(lang) for n in result.nodes() if n.explanations}  # type: ignore[arg-type]


def test_a_count_is_counted_in_the_word_its_name_ends_in(rubric: pingfen.Rubric) -> None:
    result = rubric.evaluate(RECORD)
    assert said(result, "zh") == ZH
    assert said(result, "en") == EN
    walked = rubric.walker().evaluate(rubric.coerce(RECORD))  # the interpreter says the same
    assert said(walked, "zh") == ZH and said(walked, "en") == EN


def test_one_day_and_the_singular(rubric: pingfen.Rubric) -> None:
    result = rubric.evaluate({**RECORD, "逾期天数": 21})
    assert result["超期"].reasons_in("zh") == ["逾期天数 21 超过 20 1 天，每天扣 1 分，扣 1 分"]
    assert result["超期"].reasons_in("en") == ["逾期天数 21 is 1 day above 20; 1 per day: -1"]


def test_the_closed_list_and_what_keeps_xiang() -> None:
    words = {name: measure(name, "count")[0] for name in (
        "逾期天数", "逾期日数", "培训人次数", "在职人数", "检查次数", "问题个数", "未完成项数", "专项数", "违规笔数",
        "案件数", "不合规例数", "整改处数", "事故起数", "企业家数", "帮扶户数", "论文篇数", "报告份数", "学校所数",
        "`逾期 天数`", "评审专家数", "国家数", "年份数", "问题数", "资金使用不合规例数 + 1", "天数",
    )}  # fmt: skip
    assert words == {
        "逾期天数": "天", "逾期日数": "日", "培训人次数": "人次", "在职人数": "人", "检查次数": "次", "问题个数": "个",
        "未完成项数": "项", "专项数": "项", "违规笔数": "笔", "案件数": "件", "不合规例数": "例", "整改处数": "处",
        "事故起数": "起", "企业家数": "家", "帮扶户数": "户", "论文篇数": "篇", "报告份数": "份", "学校所数": "所",
        "`逾期 天数`": "天", "评审专家数": "项", "国家数": "项", "年份数": "项", "问题数": "项",
        "资金使用不合规例数 + 1": "项", "天数": "天",
    }  # fmt: skip
    assert measure("逾期天数", "number") == ("项", None)  # only a count: a number's reason has no word
    assert measure("逾期天数", "count") == ("天", "day") and measure("检查次数", "count") == ("次", None)


def test_the_cli_says_it_in_both_languages(tmp_path: Path) -> None:
    (tmp_path / "计量.rule").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d.yaml").write_text("".join(f"{k}: {v}\n" for k, v in RECORD.items()), encoding="utf-8")
    for lang, words in (("zh", ZH), ("en", EN)):
        out, err = io.StringIO(), io.StringIO()
        code = main(["--lang", lang, "eval", str(tmp_path / "计量.rule"), str(tmp_path / "d.yaml")], out=out, err=err)
        assert code == 0, err.getvalue()
        for reasons in words.values():
            for reason in reasons:
                assert reason in out.getvalue(), (lang, reason, out.getvalue())


@needs_duckdb
def test_the_warehouse_reasons_word_back_the_same(tmp_path: Path, rubric: pingfen.Rubric) -> None:
    from pingfen.sql import Explainer
    from test_engine_duckdb import _rows

    (tmp_path / "计量.rule").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d.csv").write_text(",".join(RECORD) + "\n" + ",".join(str(v) for v in RECORD.values()) + "\n", encoding="utf-8")
    args = ["eval", "--engine", "duckdb", "--reasons", str(tmp_path / "计量.rule"), str(tmp_path / "d.csv"), "-o", str(tmp_path / "out.csv")]
    err = io.StringIO()
    assert main(args, out=io.StringIO(), err=err) == 0, err.getvalue()
    (row,) = _rows(tmp_path / "out.csv").values()
    explainer = Explainer(rubric)
    assert explainer.explain(row, "zh") == ZH
    assert explainer.explain(row, "en") == EN


def test_a_let_named_so_is_counted_so() -> None:
    rubric = pingfen.loads('''rubric "净" { total 5 }
input 逾期天数: count >= 0
input 宽限天数: count >= 0
let 净逾期天数 = 逾期天数 - 宽限天数
indicator 超期 5 { deduct 1 per 10 of 净逾期天数 }
''')
    result = rubric.evaluate({"逾期天数": 25, "宽限天数": 5})
    assert result["超期"].reasons_in("zh") == ["净逾期天数为 20，每 10 天扣 1 分，扣 2 分"]
    assert result["超期"].reasons_in("en") == ["净逾期天数 is 20; 1 per 10 days: -2"]

"""Issue #14, items 4, 5 and 8: what a new user meets in rule syntax and wording.

4. a missing `}` names the block left open; no internal token name (`__anon_0`, `LBRACE`)
   in an expected-token list, which is worded in the user's language;
5. Chinese source notation: `80%（含）－92%` bands and “…” / 「…」 strings, or the exact rewrite;
6. reasons and hints that read naturally and use the user's own numbers.
"""

from __future__ import annotations

import re
import time
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen import ast
from pingfen.diagnostics import Diagnostic
from pingfen.syntax.formatter import format_text
from pingfen.syntax.parser import parse, parser, terminal_words
from pingfen.syntax.scan import top_level_items, unclosed_brace

ROOT = Path(__file__).resolve().parents[1]


def _errors(text: str) -> list[Diagnostic]:
    return [d for d in pingfen.diagnose(text, "t.rule") if d.severity == "error"]


def _one(text: str, code: str) -> Diagnostic:
    found = [d for d in pingfen.diagnose(text, "t.rule") if d.code == code]
    assert len(found) == 1, [d.render() for d in pingfen.diagnose(text, "t.rule")]
    return found[0]


# ---------------------------------------------------------------- 4. a missing `}`

MISSING_BRACE = """\
rubric "测试" { total 10 }
input 率: percent
group 甲 10 {
  indicator 乙 5 {
    bands 率 { >= 90% -> 5  else -> 0 }
  indicator 丙 5 {
    bands 率 { >= 90% -> 5  else -> 0 }
  }
}
"""


def test_a_missing_brace_names_the_block_left_open_and_its_line() -> None:
    (found,) = _errors(MISSING_BRACE)
    assert (found.code, found.span.line, found.hint) == ("PF002", 6, "unclosed")
    assert found.args["block"] == "indicator 乙 5" and found.args["line"] == 4
    assert found.help("zh") == "第 4 行的 `indicator 乙 5 {` 没有对应的 `}`：请在此之前补上 `}`"
    assert found.help("en") == "`indicator 乙 5 {` at line 4 is never closed: add `}` before this"


def test_two_missing_braces_are_counted() -> None:
    text = MISSING_BRACE.split("  indicator 丙")[0] + "input 丁: count\n"
    (found,) = _errors(text)
    assert found.hint == "unclosed_many" and found.args["count"] == 2, found.render()
    assert "2 个 `}`" in (found.help("zh") or "") and "`indicator 乙 5 {`" in (found.help("zh") or "")


def test_a_missing_brace_at_the_end_names_its_block() -> None:
    (found,) = _errors('rubric "x" { total 5 }\ninput 率: percent\ngroup 甲 5 {\n  indicator 乙 5 { judgment 率 }\n')
    assert found.code == "PF003" and found.args["block"] == "group 甲 5"
    assert "`group 甲 5 {`" in (found.help("zh") or "")


def test_every_terminal_has_words_in_both_languages() -> None:
    words = terminal_words()
    for terminal in parser().terminals:
        if terminal.name in ("COMMENT", "WS"):
            continue
        assert terminal.name in words, terminal.name
        for word in words[terminal.name]:
            assert "__" not in word and terminal.name not in word, (terminal.name, word)
    assert "$END" in words


# Cuts and slips that make the parser list what it expected, among them the state after
# `deduct 1 per 例数`, where lark's name for the `counting` keyword (`__ANON_0`) leaked.
BROKEN = [
    'rubric "x" { total 5 }\ninput 例数: count\nindicator 甲 5 { deduct 1 per 例数 indicator }',
    'rubric "x" { total 5 }\ninput 例数: count\nindicator 甲 5 { deduct 1 per 例数 counting }',
    'rubric "x" { total 5 }\ninput 率: percent\nindicator 甲 5 { bands 率 { 80％ 92％ -> 5 } }',
    'rubric "x" { total 5 }\ninput 率: percent “说明” 5',
    'rubric "x" { total 5 round total 2 sideways }',
    'rubric "x" { total 5 }\nexample "a" { expect error PF5 }',
    'rubric "x" { total 5 }\nproperty monotone 率 upward',
    'rubric "x" { total 5 }\nlet x = 1 +\ninput y: count',
    'rubric "x" { total 5 }\ninput 率: percent\nindicator 甲 5 { bands 率 { [80%, 90%) } }',
    'rubric "x" { total 5 }\ninput 率: percent\nindicator 甲 5 { when 率 > 1 -> 1 reason }',
]

_ENGLISH = re.compile(r"\b(?:a|an|or|like|comparison|name|number|text|type|end of file)\b")


@pytest.mark.parametrize("text", BROKEN)
def test_expected_tokens_are_human_words_in_the_users_language(text: str) -> None:
    found = _errors(text)
    assert found
    for d in found:
        en, zh = d.help("en") or "", d.help("zh") or ""
        for shown in (en, zh, d.message("en"), d.message("zh")):
            assert "__anon" not in shown.lower() and "$END" not in shown, shown
            assert not re.search(r"`[A-Z_]{3,}`", shown), shown  # no terminal name
        if d.hint == "expected":
            assert not _ENGLISH.search(zh.replace("percent", "").replace("proportional", "")), zh


def test_the_keyword_lark_calls_anon_0_is_shown_as_written() -> None:
    text = 'rubric "x" { total 5 }\ninput 例数: count\ngroup 组 5 {\n  indicator 甲 5 { deduct 1 per 例数\ninput 乙: count\n'
    shown = " ".join(d.help("zh") or "" for d in _errors(text))
    assert "__anon" not in shown


# ---------------------------------------------------------------- 5. Chinese source notation

RANGE = """\
rubric "区间" {{ total 5 }}
input 率: percent >= 0
indicator 安排率 5 {{
  bands 率 {{
    >= 92%  -> 5
    {band} -> 3
    else -> 0
  }}
}}
"""


@pytest.mark.parametrize(
    ("band", "low_closed", "high_closed"),
    [
        ("80％（含）－92％", True, False),
        ("80%(含)-92%", True, False),
        ("80%（含）—92%", True, False),
        ("80%（含）——92%", True, False),
        ("80%（ 含 ）–92%", True, False),
        ("80%（含）～92%", True, False),
        ("80%（含）~92%", True, False),
        ("80%－92%（含）", False, True),
        ("80%（含）－92%（含）", True, True),
        ("80%（不含）－92%（含）", False, True),
        ("80%（含）－92%（不含）", True, False),
    ],
)
def test_a_band_as_printed_in_source_documents(band: str, low_closed: bool, high_closed: bool) -> None:
    module, problems = parse(RANGE.format(band=band))
    assert module is not None and problems == []
    (indicator,) = [i for i in module.items if isinstance(i, ast.Indicator)]
    (rule,) = indicator.rules
    assert isinstance(rule, ast.Bands)
    read = rule.bands[1]
    assert (read.low and read.low.value, read.high and read.high.value) == (Decimal("0.8"), Decimal("0.92"))
    assert (read.low_closed, read.high_closed) == (low_closed, high_closed)


def test_a_source_band_scores_as_its_bracket_form() -> None:
    rubric = pingfen.loads(RANGE.format(band="80％（含）－92％"), "t.rule")
    assert rubric.evaluate({"率": "80%"})["安排率"].score == 3
    assert rubric.evaluate({"率": "79.99%"})["安排率"].score == 0
    assert rubric.evaluate({"率": "92%"})["安排率"].score == 5
    assert rubric.evaluate({"率": "91.99%"})["安排率"].score == 3


@pytest.mark.parametrize("band", ["80％－92％", "80%（不含）—92%", "80%—92%（不含）"])
def test_a_band_that_does_not_say_its_ends_is_refused_with_the_rewrite(band: str) -> None:
    found = _one(RANGE.format(band=band), "PF009")
    assert found.span.line == 6 and found.hint == "mark_included"
    zh, en = found.help("zh") or "", found.help("en") or ""
    assert "`[80%, 92%)`" in zh and "`(80%, 92%]`" in zh and "80%（含）－92%" in zh
    assert "`[80%, 92%)`" in en and found.message("zh") == "分档 `80%-92%` 没有写明是否包含两端"


CURLY = """\
rubric “评分表” { total 5 }
input 率: percent >= 0 「预算执行率（%）」
indicator 执行 5 {
  bands 率 {
    >= 90% -> 5
    else   -> 0 reason “执行率低于 90%（{率}）”
  }
}
example 「达标」 { given { 率: 95% } expect 执行 = 5 }
example “未达标” from 「达标」 { given { 率: 50% } expect 执行 = 0 }
"""


def test_chinese_quotes_around_a_text() -> None:
    rubric = pingfen.loads(CURLY, "t.rule")
    assert rubric.evaluate({"率": "50%"})["执行"].reasons == ["执行率低于 90%（50%）"]
    module, _ = parse(CURLY)
    assert module is not None
    (header,) = [i for i in module.items if isinstance(i, ast.Header)]
    (decl,) = [i for i in module.items if isinstance(i, ast.Input)]
    examples = [i for i in module.items if isinstance(i, ast.Example)]
    assert header.title == "评分表" and decl.description == "预算执行率（%）"
    assert [(e.name, e.base) for e in examples] == [("达标", None), ("未达标", "达标")]


def test_fmt_writes_the_ascii_forms() -> None:
    text = CURLY.replace(">= 90% -> 5", ">= 90% -> 5\n    80%（含）－90% -> 3")
    out = format_text(text)
    assert '"评分表"' in out and '"预算执行率（%）"' in out and '"执行率低于 90%（{率}）"' in out
    assert "[80%, 90%) -> 3" in out and "（含）" not in out and "“" not in out and "「" not in out
    assert parse(out)[0] == parse(text)[0]
    assert format_text(out) == out


def test_a_quoted_label_keeps_its_quote_marks_as_part_of_the_name() -> None:
    # Where a name can stand, “ begins a name, as it always did (“三公经费”变动率).
    text = 'rubric "x" { total 5 }\ninput 等次: label { “优”, 良 }\nindicator 甲 5 { match 等次 { “优” -> 5 else -> 0 } }'
    assert pingfen.loads(text, "t.rule").evaluate({"等次": "“优”"})["甲"].score == 5


def test_quotes_in_chinese_quotes_are_answered_with_the_ascii_rewrite() -> None:
    found = _one(CURLY.replace("“执行率低于 90%（{率}）”", "“低于“标准””"), "PF002")
    assert found.hint == "nested_quotes" and found.args["suggestion"] == '"低于“标准”"'
    assert '`"低于“标准”"`' in (found.help("zh") or "")


def test_scans_skip_chinese_quoted_text() -> None:
    text = 'indicator 甲 5 { bands 率 { else -> 0 reason “{ 不成对 #” } }\ninput 乙: count'
    assert unclosed_brace(text) is None
    assert len(top_level_items(text)) == 2
    # an unclosed mark begins a name and is not a string: the brace after it still counts
    assert unclosed_brace("group “甲 5 {") == len("group “甲 5 ")


def test_a_line_of_open_quote_marks_is_scanned_once() -> None:
    text = "“" * 200_000 + "{"
    began = time.process_time()
    assert unclosed_brace(text) == 200_000
    assert top_level_items(text) == [(0, len(text))]
    assert time.process_time() - began < 1.0


# ---------------------------------------------------------------- 8. reasons and hints

COUNTED = """\
rubric "x" { total 5 }
input 未按进度下达专项数: count >= 0
input 超支: amount >= 0
indicator 支付进度 3 { deduct 0.5 per 未按进度下达专项数 }
indicator 超支扣分 2 { deduct 1 per 2 of 超支 counting whole }
"""


def test_a_counted_reason_reads_naturally() -> None:
    result = pingfen.loads(COUNTED, "t.rule").evaluate({"未按进度下达专项数": 2, "超支": "4.5"})
    assert result["支付进度"].reasons == ["未按进度下达专项数为 2，每项扣 0.5 分，扣 1 分"]
    assert result["超支扣分"].reasons == ["超支为 4.5，每 2 扣 1 分，扣 2 分（按整步计，计 2 步）"]
    assert result["支付进度"].reasons_in("en") == ["未按进度下达专项数 is 2; 0.5 each: -1"]


WHEN = """\
rubric "x" {{ total 3 }}
input 结余: amount >= 0
input 上年结转: amount >= 0
indicator 资金结余 3 {{
{arms}
  else -> 0
}}
"""


def test_the_else_of_a_when_chain_names_the_conditions_that_failed() -> None:
    text = WHEN.format(arms="  when 结余 = 0 -> 3\n  when 结余 <= 上年结转 -> 2")
    result = pingfen.loads(text, "t.rule").evaluate({"结余": 5, "上年结转": 3})
    assert result["资金结余"].reasons == ["“结余 = 0”、“结余 <= 上年结转”均不成立，得 0 分（满分 3）"]
    assert result["资金结余"].reasons_in("en") == ['none of "结余 = 0", "结余 <= 上年结转" holds: 0 of 3']
    one = pingfen.loads(WHEN.format(arms="  when 结余 = 0 -> 3"), "t.rule").evaluate({"结余": 5, "上年结转": 3})
    assert one["资金结余"].reasons == ["“结余 = 0”不成立，得 0 分（满分 3）"]
    assert one["资金结余"].reasons_in("en") == ['"结余 = 0" does not hold: 0 of 3']


def test_a_long_chain_names_its_first_conditions_and_counts_them_all() -> None:
    arms = "\n".join(f"  when 结余 = {n} -> 2" for n in range(1, 6))
    result = pingfen.loads(WHEN.format(arms=arms), "t.rule").evaluate({"结余": 9, "上年结转": 3})
    assert result["资金结余"].reasons == ["“结余 = 1”、“结余 = 2”、“结余 = 3”等 5 项条件均不成立，得 0 分（满分 3）"]
    assert result["资金结余"].reasons_in("en") == ['none of "结余 = 1", "结余 = 2", "结余 = 3" and 2 more holds: 0 of 3']


def test_the_pf413_hint_speaks_of_steps_only() -> None:
    text = 'rubric "x" { total 5 }\ninput 率: percent\nindicator 甲 5 { deduct 0.2 per 1pp of 率 below 100% }'
    zh = _one(text, "PF413").help("zh") or ""
    assert "百分点" not in zh and "不足一步按一步计" in zh


def test_the_pf401_hint_leads_with_fixing_the_band() -> None:
    text = 'rubric "x" { total 5 }\ninput 率: percent >= 0\nindicator 甲 5 { bands 率 { >= 90% -> 5  [80%, 89.99%) -> 3  < 80% -> 0 } }'
    found = _one(text, "PF401")
    for lang in ("en", "zh"):
        shown = found.help(lang) or ""
        assert "else -> 0" not in shown and str(found.args["witness"]) in shown


def test_the_pf402_hint_rewrites_the_users_own_band() -> None:
    text = 'rubric "x" { total 5 }\ninput 率: percent >= 0\nindicator 甲 5 { bands 率 { >= 85% -> 5  [70%, 85%] -> 3  < 70% -> 0 } }'
    found = _one(text, "PF402")
    assert found.help("zh") == "将其中一端改为开区间，使 85% 只属于一个分档：例如把 `[70%, 85%]` 改为 `[70%, 85%)`"
    assert "90%" not in (found.help("en") or "")
    earlier = 'rubric "x" { total 5 }\ninput 率: percent >= 0\nindicator 甲 5 { bands 率 { [70%, 85%] -> 3  >= 85% -> 5  < 70% -> 0 } }'
    assert "把 `>= 85%` 改为 `> 85%`" in (_one(earlier, "PF402").help("zh") or "")


def test_bands_that_share_a_range_are_named() -> None:
    text = 'rubric "x" { total 5 }\ninput 率: percent >= 0\nindicator 甲 5 { bands 率 { >= 80% -> 5  [70%, 90%) -> 3  < 70% -> 0 } }'
    found = _one(text, "PF402")
    assert found.hint == "overlap_range" and "`>= 80%` 与 `[70%, 90%)`" in (found.help("zh") or "")


def test_an_unused_input_points_at_the_typo_that_caused_it() -> None:
    text = (
        'rubric "x" { total 5 }\ninput 在职人数: count\ninput 编制人数: count > 0\n'
        "indicator 人员 5 { deduct 0.5 per 1pp of 在职人次 / 编制人数 above 100% }"
    )
    unused = _one(text, "PF104")
    assert unused.hint == "misspelt_use"
    assert unused.help("zh") == "第 4 行的 `在职人次` 可能是它的笔误：请先改正那里"
    plain = 'rubric "x" { total 5 }\ninput 甲: count\ninput 乙: count\nindicator 人员 5 { deduct 1 per 甲 }'
    assert _one(plain, "PF104").hint == "remove_unused"

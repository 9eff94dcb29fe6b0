"""The compiled evaluator's own promises: rule text never becomes code, the caller's decimal
context is left alone, batches stream, and what is kept between runs is only a shortcut."""

from __future__ import annotations

import decimal
import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen import cache
from pingfen.check.passes import check
from pingfen.evaluate import walker as oracle
from pingfen.evaluate.codegen import check_code, check_source
from pingfen.io import read_record
from pingfen.syntax import parser as syntax
from pingfen.values import to_percent

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
FULL = read_record(ROOT / "examples" / "dept-overall-2021" / "full-marks.json")

# Names, labels, titles and reasons written as Python, to be kept as text and nothing else.
HOSTILE = "\n".join(
    [
        r'rubric "\"); __import__(\'os\').system(\'echo owned\') #" {',
        r'  total 10 grade `x"]; exit(1) #` >= 5 grade 否 otherwise',
        r"}",
        r'input `__import__("os")`: number > 0 "' + "'" * 3 + r'; import os"',
        r"input `{lost}" + '"' + r"'\`: label { `a" + '"' + r"b`, `c')` }",
        r'let `eval("1")` = `__import__("os")` / 2',
        r"group `" + '"' * 3 + r"` 10 {",
        r"  indicator `'; exec(x); '` 5 { score = `eval(" + '"1"' + r")` }",
        r"  indicator `lambda: 0` 5 {",
        r"    match `{lost}"
        + '"'
        + r"'\` { `a"
        + '"'
        + r'b` -> 5 else -> 1 reason "{__import__(\"os\")} \" }} {{ {score}" }',
        r"  }",
        r"}",
    ]
)


def test_rule_text_never_reaches_the_generated_code() -> None:
    rubric = pingfen.loads(HOSTILE)
    program = rubric.program
    for source in (program.source, program.explain_source):
        check_source(source)
        for fragment in ("__import__", "eval", "exec", "os", "lambda", "owned", '"', "'", "#", "{", "["):
            assert fragment not in source
    result = rubric.evaluate({'__import__("os")': 3, "{lost}\"'\\": "c')"})
    assert result["'; exec(x); '"].score == Decimal("1.5")
    assert result["lambda: 0"].score == 1
    assert result["lambda: 0"].reasons == ['3 " } { 1']


def test_code_checks_refuse_anything_but_generated_names() -> None:
    with pytest.raises(ValueError):
        check_source('def factory():\n    return "text"\n')
    with pytest.raises(ValueError):
        check_source("def factory():\n    return x[0]\n")
    for bad in ("def factory(c0):\n    return c0.__class__\n", "def factory():\n    return 5\n", "x = open\n"):
        with pytest.raises(ValueError):
            check_code(compile(bad, "<test>", "exec"))
    check_code(compile("def factory(c0):\n    def run(data, lang):\n        return data.get(c0)\n", "<t>", "exec"))


def test_the_callers_decimal_context_is_left_alone() -> None:
    rubric = pingfen.load(RULESET)
    expected = rubric.evaluate(FULL | {"在职人数": 13})
    reasons = [n.reasons for n in expected.nodes()]
    with decimal.localcontext() as mine:
        mine.prec, mine.rounding = 3, decimal.ROUND_FLOOR
        result = rubric.evaluate(FULL | {"在职人数": 13})
        assert decimal.getcontext().prec == 3 and decimal.getcontext().rounding == decimal.ROUND_FLOOR
        assert [n.reasons for n in result.nodes()] == reasons  # the tree is built here, under prec 3
        assert result == expected and result["财政供养人员控制率"].score == expected["财政供养人员控制率"].score
        (batched,) = rubric.evaluate_many([FULL | {"在职人数": 13}])
        assert batched == expected and decimal.getcontext().prec == 3


def test_exact_values_and_spelt_values_score_alike() -> None:
    rubric = pingfen.load(RULESET)
    exact = {k: v if isinstance(v, (bool, Decimal)) else to_percent(v) for k, v in FULL.items()}
    spelt = {k: ("是" if v else "否") if isinstance(v, bool) else str(v) for k, v in exact.items()}
    assert rubric.evaluate(exact) == rubric.evaluate(spelt) == rubric.evaluate(FULL)


def test_evaluate_many_yields_each_rows_result_or_refusal_in_order() -> None:
    rubric = pingfen.load(RULESET)
    rows = [FULL, FULL | {"编制人数": 0}, FULL | {"满意度": "90%"}, {k: v for k, v in FULL.items() if k != "结余"}]
    out = list(rubric.evaluate_many(rows))
    assert [type(r).__name__ for r in out] == ["Result", "DataError", "Result", "DataError"]
    assert out[0] == rubric.evaluate(FULL) and out[2]["社会公众或服务对象满意度"].score == 3
    assert (out[1].code, out[1].input, out[1].record) == ("PF503", "编制人数", "2")
    assert (out[3].code, out[3].record) == ("PF501", "4")
    named = list(rubric.evaluate_many([FULL | {"单位": "财政局", "编制人数": 0}], key="单位", start=7))
    assert named[0].record == "财政局"  # type: ignore[union-attr]
    assert list(rubric.evaluate_many([FULL | {"编制人数": 0}], start=7))[0].record == "7"  # type: ignore[union-attr]


def test_evaluate_many_pulls_one_row_at_a_time() -> None:
    rubric = pingfen.load(RULESET)
    pulled = 0

    def rows() -> Iterator[dict[str, object]]:
        nonlocal pulled
        while True:
            pulled += 1
            yield FULL

    scored = rubric.evaluate_many(rows())
    for i in range(1, 4):
        next(scored)
        assert pulled == i


def _peak(rubric: pingfen.Rubric, count: int) -> int:
    rows = ({**FULL, "在职人数": i % 20} for i in range(count))
    tracemalloc.start()
    try:
        for result in rubric.evaluate_many(rows):
            assert isinstance(result, pingfen.Result)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_evaluate_many_memory_stays_flat() -> None:
    rubric = pingfen.load(RULESET)
    _peak(rubric, 50)  # the first rows warm up what is built once
    small, large = _peak(rubric, 300), _peak(rubric, 3_000)  # a leak of 8 bytes a record would show
    assert large < small * 1.1 + 4096, (small, large)


def test_the_parser_cache_lives_in_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pingfen.syntax.parser import build_parser, cache_file, grammar_text

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = cache_file(grammar_text())
    assert path is not None and path.parent == tmp_path / "pingfen"
    text = RULESET.read_text(encoding="utf-8")
    built = build_parser(grammar_text(), path).parse(text)
    assert path.is_file()
    assert build_parser(grammar_text(), path).parse(text) == built  # read back from the file
    path.write_bytes(b"not a cache")
    assert build_parser(grammar_text(), path).parse(text) == built  # a broken file is rebuilt


def test_an_unusable_cache_directory_is_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pingfen.syntax.parser import build_parser, cache_file, grammar_text

    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # a file where the directory should be
    assert cache.directory() is None and cache_file(grammar_text()) is None
    assert pingfen.load(RULESET).evaluate(FULL).total == 100
    unwritable = tmp_path / "no" / "such.lark-cache"  # lark cannot write it: it says nothing and parses
    assert build_parser(grammar_text(), unwritable).parse('rubric "x" { total 1 }') is not None


def test_a_rule_files_syntax_tree_is_kept_between_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    rule = tmp_path / "r.rule"
    rule.write_text(RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    first = pingfen.load(rule).evaluate(FULL)

    def no_parsing(text: str) -> None:
        raise AssertionError("parsed again")

    with monkeypatch.context() as m:
        m.setattr(syntax, "parse", no_parsing)
        assert pingfen.load(rule).evaluate(FULL) == first
    rule.write_text(rule.read_text(encoding="utf-8").replace("grade 优秀 >= 90", "grade 优秀 >= 99"), encoding="utf-8")
    assert pingfen.load(rule).evaluate(FULL).grade == "优秀"  # the text changed: parsed afresh
    assert pingfen.load(rule).evaluate(FULL | {"满意度": "80%"}).grade == "良好"
    for entry in (tmp_path / "pingfen").glob("parsed-*"):
        entry.write_bytes(b"\x80garbage")
    assert pingfen.load(rule).evaluate(FULL).total == 100


def test_eval_imports_only_what_it_needs(tmp_path: Path) -> None:
    data = tmp_path / "full.json"
    data.write_text(json.dumps({k: str(v) if isinstance(v, Decimal) else v for k, v in FULL.items()}), "utf-8")
    probe = (
        "import sys, pingfen.cli\n"
        "pingfen.cli.main(sys.argv[1:])\n"
        "print(sorted(m for m in ('yaml', 'lark', 'pingfen.report.table', 'pingfen.syntax.parser') if m in sys.modules),"
        " file=sys.stderr)\n"
    )
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    args = [sys.executable, "-c", probe, "eval", "--format", "json", str(RULESET), str(data)]
    first = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    assert first.stderr.strip() == "['lark', 'pingfen.syntax.parser']"  # the first run parses
    again = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    assert again.stderr.strip() == "[]" and again.stdout == first.stdout


def test_sums_keep_the_digits_of_sum_with_a_zero_start() -> None:
    """A group of judgments given -0 scores 0, as sum((-0, -0), Decimal(0)) does; a score
    with a positive exponent (1E+1) keeps the digits the oracle gives it."""
    text = (
        'rubric "零" { total 20 }\ninput a: score\ninput b: score\ninput n: number\n'
        "group 判 10 { indicator a 5 { judgment } indicator b 5 { judgment } }\n"
        "group 算 10 { indicator 负 5 { score = -n } indicator 满 5 { } }\n"
    )
    rubric = pingfen.loads(text)
    module, _ = syntax.parse(text)
    assert module is not None
    for record in ({"a": Decimal("-0"), "b": Decimal("-0"), "n": Decimal(0)}, {"a": Decimal("1E+0"), "b": 2, "n": -3}):
        result = rubric.evaluate(record)
        expected = oracle.evaluate(module, check(module), text, rubric.coerce(record))
        assert [str(n.score) for n in result.nodes()] == [str(n.score) for n in expected.nodes()]
        assert (str(result.raw_total), str(result.total)) == (str(expected.raw_total), str(expected.total))
    assert str(rubric.evaluate({"a": Decimal("-0"), "b": Decimal("-0"), "n": 0})["判"].score) == "0"


def test_a_result_pickles_with_its_tree() -> None:
    import pickle

    result = pingfen.load(RULESET).evaluate(FULL | {"在职人数": 13, "满意度": "80%"})
    again = pickle.loads(pickle.dumps(result))
    assert again == result and again.lang == result.lang
    assert [n.reasons for n in again.nodes()] == [n.reasons for n in result.nodes()]

"""The library refuses a wrong kind of argument with a TypeError that says what it takes:
`scores_of(["投入"])` raised "unhashable type: 'list'", `scores_of("投入")` a KeyError for
'投' (the name read letter by letter), `load(b"path")` and `load(None)` an AttributeError."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import pingfen
from duckdb_helpers import require_duckdb
from pingfen.audit import audit
from pingfen.report import write_report

ROOT = Path(__file__).resolve().parent.parent
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"
SEED = ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml"


def _result() -> pingfen.Result:
    [record] = list(pingfen.read_records(SEED))
    return pingfen.load(RULESET).evaluate(record)


def test_scores_of_takes_a_list_or_a_tuple_of_names() -> None:
    result = _result()
    assert result.scores_of(["投入", "产出"]) == result.scores_of(("投入", "产出")) == [result.score("投入"), result.score("产出")]
    assert result.scores_of(n for n in ["投入"]) == [result.score("投入")]  # any iterable of names
    assert all(isinstance(s, Decimal) for s in result.scores_of([]) + result.scores_of(["投入"]))
    with pytest.raises(KeyError, match="没有"):
        result.scores_of(["没有"])


def test_scores_of_one_name_is_refused_not_read_letter_by_letter() -> None:
    with pytest.raises(TypeError, match=r"not one name: scores_of\(\['投入'\]\), or score\('投入'\)"):
        _result().scores_of("投入")


@pytest.mark.parametrize("given", [str(RULESET).encode(), None, 5, bytearray(b"x.rule")])
def test_load_refuses_what_is_neither_a_path_nor_a_file(given: object) -> None:
    with pytest.raises(TypeError, match="pingfen.load takes a file's path"):
        pingfen.load(given)  # type: ignore[arg-type]  # what is refused


def test_load_still_takes_paths_and_files() -> None:
    text = RULESET.read_text(encoding="utf-8")
    for given in (RULESET, str(RULESET), io.BytesIO(text.encode()), io.StringIO(text)):
        assert pingfen.load(given, tests=False).name == "部门整体支出绩效评价评分表"


@pytest.mark.parametrize("given", [b'rubric "x" { total 1 }', None])
def test_loads_refuses_what_is_not_text(given: object) -> None:
    with pytest.raises(TypeError, match="pingfen.loads takes the rule's text as str"):
        pingfen.loads(given)  # type: ignore[arg-type]  # what is refused


def test_coerce_one_name_is_refused_not_read_letter_by_letter() -> None:
    # `coerce(record, "满意度")` read the name as its characters, which name no input: it gave {}
    rubric = pingfen.load(RULESET, tests=False)
    [record] = list(pingfen.read_records(SEED))
    assert rubric.coerce(record, ["满意度"]) == {"满意度": Decimal("0.95")}
    with pytest.raises(TypeError, match=r"not one name: coerce\(data, \['满意度'\]\)"):
        rubric.coerce(record, "满意度")


def test_writing_with_no_output_given_says_so(tmp_path: Path) -> None:
    # score_file(rubric, data), its output left out, raised a bare AssertionError once every row
    # was scored (and, under python -O, AttributeError on None); the report, table and template
    # writers alike.
    from pingfen.batch import score_file
    from pingfen.render import render_table
    from pingfen.report import write_report
    from pingfen.template import write_template

    rubric = pingfen.load(RULESET, tests=False)
    data = ROOT / "examples" / "dept-overall-2021" / "departments.csv"
    calls = [
        lambda: score_file(rubric, data),
        lambda: write_report(_result(), "md"),
        lambda: render_table(rubric, "md"),
        lambda: write_template(rubric, "csv"),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="no output given: a file name to write to, or `out`"):
            call()


@pytest.mark.parametrize("lang", ["zh-CN", "EN", "fr", ["zh"]])
def test_a_language_pingfen_does_not_speak_is_refused_not_taken_for_english(lang: object) -> None:
    # "zh-CN" gave English reasons: a message asks `lang == "zh"`, and anything else read as English
    rubric = pingfen.load(RULESET)
    [record] = list(pingfen.read_records(SEED))
    name = rubric.tree[0].name
    calls = [
        lambda: rubric.evaluate(record, lang=lang),  # type: ignore[arg-type]
        lambda: list(rubric.evaluate_many([record], lang=lang)),  # type: ignore[arg-type]
        lambda: rubric.score_node(name, record, lang=lang),  # type: ignore[arg-type]
        lambda: _result().to_json(lang),  # type: ignore[arg-type]
        lambda: write_report(_result(), "md", out=io.StringIO(), lang=lang),  # type: ignore[arg-type]
        lambda: audit(rubric, {}, lang=lang),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(ValueError, match="lang must be 'zh' or 'en'"):
            call()


@pytest.mark.parametrize("lang", ["zh-CN", "EN", "fr"])
def test_the_readers_of_words_refuse_a_language_too(lang: object) -> None:
    # d.render("zh-CN"), a DataError's problem's message("zh-CN") and a node's reasons_in("zh-CN")
    # gave English where evaluate(lang="zh-CN") is a ValueError
    rubric = pingfen.loads('rubric "r" { total 5 }\ninput 甲: count\ninput 乙: count\n'
                           'group 组 5 { indicator 项 5 { deduct 1 per 甲 } }\n')
    [warning] = rubric.warnings  # 乙 is never used: PF104
    with pytest.raises(pingfen.DataError) as refused:
        rubric.evaluate({"甲": -1, "乙": 0})
    [problem] = refused.value.problems
    result = rubric.evaluate({"甲": 2, "乙": 0})
    calls = [
        lambda: warning.render(lang),  # type: ignore[arg-type]
        lambda: warning.message(lang),  # type: ignore[arg-type]
        lambda: problem.message(lang),  # type: ignore[arg-type]
        lambda: refused.value.render(lang),  # type: ignore[arg-type]
        lambda: result["项"].reasons_in(lang),  # type: ignore[arg-type]
        lambda: result.reasons_in(lang),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(ValueError, match="lang must be 'zh' or 'en'"):
            call()
    assert warning.render("zh").startswith("警告[PF104]") and result["项"].reasons_in("zh")


@pytest.mark.parametrize("lang", ["zh-CN", "EN"])
def test_the_other_readers_of_words_refuse_a_language_too(lang: object) -> None:
    # help("zh-CN") with no hint to give returned None, a reason's text("zh-CN") and
    # Explainer.explain(row, "zh-CN") gave English, UsageError.message("zh-CN") a KeyError
    from pingfen.errors import EmptyDomain, OutputError, Problem, UsageError
    from pingfen.sql import Explainer

    duckdb = require_duckdb()
    rubric = pingfen.loads('rubric "r" { total 5 }\ninput 甲: count\nindicator 项 5 { deduct 1 per 甲 }\n')
    diagnostic = pingfen.diagnose('rubric "r" { total 5 }\ninput 甲: count\ninput 乙: count\n'
                                  'indicator 项 5 { deduct 1 per 甲 }\n')[0]
    [reason] = rubric.evaluate({"甲": 2})["项"].explanations
    connection = duckdb.connect()
    connection.execute("CREATE TABLE records AS SELECT 2 AS 甲")
    cursor = connection.execute(pingfen.sql.to_sql(rubric))
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
    explainer = Explainer(rubric)
    unhinted = attrs.evolve(diagnostic, hint=None)  # PF104 without its hint
    calls = [
        lambda: unhinted.help(lang),  # type: ignore[arg-type]
        lambda: Problem("PF501", "甲", {"input": "甲"}).help(lang),  # type: ignore[arg-type]
        lambda: OutputError("PF704", "x", {"reason": "full"}).help(lang),  # type: ignore[arg-type]
        lambda: reason.text(lang),  # type: ignore[arg-type]
        lambda: explainer.explain(row, lang),  # type: ignore[arg-type]
        lambda: explainer.explain({"reasons": None}, lang),  # type: ignore[arg-type]  # a refused row: no reasons
        lambda: pingfen.sql.explain(rubric, row, lang),  # type: ignore[arg-type]
        lambda: UsageError("no", "不").message(lang),  # type: ignore[arg-type]
        lambda: EmptyDomain("甲").message(lang),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(ValueError, match="lang must be 'zh' or 'en'"):
            call()
    assert unhinted.help("zh") is None and reason.text("en") == explainer.explain(row, "en")["项"][0]


def test_both_languages_are_taken() -> None:
    rubric = pingfen.load(RULESET)
    [record] = list(pingfen.read_records(SEED))
    assert rubric.evaluate(record, lang="en").lang == "en" and rubric.evaluate(record, lang="zh").lang == "zh"


def test_round_total_takes_an_int_and_refuses_a_float() -> None:
    rubric = pingfen.load(RULESET)
    assert rubric.round_total(7) == rubric.round_total(Decimal(7)) == Decimal("7.00")
    with pytest.raises(TypeError, match="takes a Decimal"):
        rubric.round_total(7.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("declared", [[1, 2], "投入: 5", None])
def test_audit_of_what_is_not_a_mapping_is_refused_as_evaluate_refuses_it(declared: object) -> None:
    rubric = pingfen.load(RULESET)
    with pytest.raises(pingfen.DataError, match="PF522"):
        audit(rubric, declared)  # type: ignore[arg-type]
    if declared is not None:  # no inputs given: None is what the signature says
        with pytest.raises(pingfen.DataError, match="PF522"):
            audit(rubric, {}, declared)  # type: ignore[arg-type]
    else:
        assert audit(rubric, {}, None) is not None


@pytest.mark.parametrize(("declared", "inputs", "said"), [
    ({2024: 5}, None, "declared are keyed by names (str), not int: 2024"),
    ({None: 5}, None, "declared are keyed by names (str), not NoneType: None"),
    ({"投入": 10}, {1: 2}, "inputs are keyed by names (str), not int: 1"),
])  # fmt: skip
def test_audit_of_a_key_that_is_not_a_name_is_a_type_error(declared: object, inputs: object, said: str) -> None:
    # {2024: 5} raised AttributeError "'int' object has no attribute 'replace'" from deep inside
    with pytest.raises(TypeError, match=re.escape(said)):
        audit(pingfen.load(RULESET), declared, inputs)  # type: ignore[arg-type]


def test_pickling_a_rubric_says_to_load_it_in_each_process() -> None:
    # A Rubric sent to a process pool raised AttributeError "Can't pickle local object
    # 'reader.<locals>.read'", from deep inside; the README says to load it in each process
    import copy
    import pickle

    rubric = pingfen.load(RULESET)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        with pytest.raises(TypeError, match=r"does not pickle .*pingfen\.load\(path\)"):
            pickle.dumps(rubric, protocol)
    [record] = list(pingfen.read_records(SEED))
    for again in (copy.copy(rubric), copy.deepcopy(rubric)):  # copies are still made
        assert again is not rubric and again.evaluate(record) == rubric.evaluate(record)


def test_a_copy_of_a_rubric_subclass_is_of_the_subclass() -> None:
    # __copy__ and __deepcopy__ made a plain Rubric of a subclass's, losing what it adds
    import copy

    class Named(pingfen.Rubric):
        def label(self) -> str:
            return f"《{self.name}》"

    rubric = pingfen.load(RULESET)
    named = object.__new__(Named)
    named.__dict__.update(rubric.__dict__)
    for again in (copy.copy(named), copy.deepcopy(named)):
        assert type(again) is Named and again is not named and again.label() == named.label()


@pytest.mark.parametrize("given", [b"rubric", bytearray(b"rubric"), None, 3])
def test_format_text_refuses_what_is_not_text(given: object) -> None:
    # bytes raised "a bytes-like object is required, not 'str'" (the opposite of the fix), None an AttributeError
    with pytest.raises(TypeError, match=r"^pingfen\.format_text takes the rule's text as str, not "):
        pingfen.format_text(given)  # type: ignore[arg-type]
    # pingfen.diagnose, its sibling, did the same (the loader's read of a str)
    with pytest.raises(TypeError, match=rf"^pingfen\.diagnose takes the rule's text as str, not {type(given).__name__}"):
        pingfen.diagnose(given)  # type: ignore[arg-type]


def test_a_result_is_not_iterable_rather_than_a_key_error() -> None:
    # list(result) raised KeyError "no group or indicator named 0": Python's old protocol read result[0]
    result = _result()
    with pytest.raises(TypeError, match="'Result' object is not iterable"):
        list(result)  # type: ignore[call-overload]  # what the test is about
    assert "投入" in result and [n.name for n in result.nodes()][0] == "投入"


def test_what_takes_a_rubric_refuses_its_path() -> None:
    # run_examples("x.rule"), testing.inputs("x.rule"), sql.to_sql("x.rule") raised AttributeError
    # "'str' object has no attribute 'module'" from deep inside
    import pingfen.spark
    import pingfen.sql
    import pingfen.testing

    calls = {
        "pingfen.run_examples": pingfen.run_examples,
        "pingfen.testing.inputs": pingfen.testing.inputs,
        "pingfen.testing.boundary_inputs": pingfen.testing.boundary_inputs,
        "pingfen.testing.boundary_records": pingfen.testing.boundary_records,
        "pingfen.testing.boundary_values": pingfen.testing.boundary_values,
        "pingfen.testing.targets": pingfen.testing.targets,
        "pingfen.sql.to_sql": pingfen.sql.to_sql,
        "pingfen.sql.to_sql_tree": pingfen.sql.to_sql_tree,  # it said "pingfen.sql.to_sql"
        "pingfen.sql.Explainer": pingfen.sql.Explainer,
        "pingfen.sql.explain": lambda given: pingfen.sql.explain(given, {}),
        "pingfen.audit.audit": lambda given: audit(given, {}),
        "pingfen.spark.score": lambda given: pingfen.spark.score(_Frame(), given),  # said "pingfen.sql.to_sql"
    }
    for who, call in calls.items():
        for given, kind in ((str(RULESET), "str"), (RULESET, "PosixPath"), (None, "NoneType")):
            with pytest.raises(TypeError, match=rf"^{re.escape(who)} takes a loaded Rubric, not {kind}: pingfen\.load"):
                call(given)  # type: ignore[operator]


@pytest.mark.parametrize("ratios", ["yes", "", 1, 0, None])
def test_ratios_takes_a_bool_only(ratios: object) -> None:
    # "yes" was read for its truth alone, and "" or 0 as False, whatever the caller meant
    rubric = pingfen.load(RULESET)
    [record] = list(pingfen.read_records(SEED))
    name = rubric.tree[0].name
    calls = [
        lambda: rubric.evaluate(record, ratios=ratios),  # type: ignore[arg-type]
        lambda: rubric.coerce(record, ratios=ratios),  # type: ignore[arg-type]
        lambda: rubric.score_node(name, record, ratios=ratios),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(TypeError, match="ratios takes True or False"):
            call()
    assert rubric.evaluate(record, ratios=True).total == rubric.evaluate(record, ratios=False).total


class _Frame:
    """Enough of a Spark DataFrame for pingfen.spark.score to reach its query."""

    def __init__(self) -> None:
        conf = type("Conf", (), {"set": lambda self, key, value: None})()
        self.sparkSession = type("Session", (), {"conf": conf})()

    def createOrReplaceTempView(self, name: str) -> None:  # noqa: N802  # pyspark's name
        pass


@pytest.mark.parametrize("lang", ["zh-CN", "EN"])
def test_the_fuzz_and_test_renderers_refuse_a_language_too(lang: object) -> None:
    # fuzz.render, fuzz.to_example and testrun.render_failures took "zh-CN" for English
    from pingfen import fuzz
    from pingfen.testrun import render_failures

    text = ('rubric "e" { total 10 }\ninput 分: number >= 0 and <= 10\nindicator a 10 { score = 分 }\n'
            'example "y" {\n  given { 分: 5 }\n  expect a = 4\n}\n')
    rubric = pingfen.loads(text)  # its example fails: a run to render
    failure = fuzz.Failure("range", "title", "message", ({"分": Decimal(5)},), "range")
    report = fuzz.fuzz(rubric, max_examples=5)
    run = pingfen.run_examples(rubric)
    calls = [
        lambda: fuzz.render(report, lang),  # type: ignore[arg-type]
        lambda: fuzz.to_example(failure, 1, rubric, lang),  # type: ignore[arg-type]
        lambda: render_failures(run, lang),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(ValueError, match="lang must be 'zh' or 'en'"):
            call()
    assert render_failures(run, "zh").startswith("失败") and "期望" in fuzz.to_example(failure, 1, rubric, "zh")


def test_evaluate_many_refuses_a_path_or_one_record_when_called() -> None:
    # A file's path was read as its characters, and one record as its names: each a row refused
    # PF522 ("the record is not a mapping … (it is str)"), the file never read.
    rubric = pingfen.load(RULESET, tests=False)
    [record] = list(pingfen.read_records(SEED))
    with pytest.raises(TypeError, match=r"not a file's path: evaluate_many\(pingfen.read_records\('data.csv'\)\)"):
        rubric.evaluate_many("data.csv")
    with pytest.raises(TypeError, match="not a file's path"):
        rubric.evaluate_many(SEED)  # type: ignore[arg-type]  # what is refused
    with pytest.raises(TypeError, match=r"not one record: evaluate\(record\), or evaluate_many\(\[record\]\)"):
        rubric.evaluate_many(record)
    with pytest.raises(TypeError, match="start is the first row's number, an int, not str"):
        rubric.evaluate_many([record], start="1")  # type: ignore[arg-type]  # what is refused
    with pytest.raises(ValueError, match="lang must be"):
        rubric.evaluate_many([], lang="fr")  # type: ignore[arg-type]  # refused with no row to score too
    [result] = rubric.evaluate_many(iter([record]), start=3)
    assert isinstance(result, pingfen.Result) and result.total == rubric.evaluate(record).total


def test_read_records_refuses_a_sheet_it_would_ignore_or_read_as_none(tmp_path: Path) -> None:
    # sheet='' said "the workbook has no worksheet" (PF508); a CSV's, a JSON Lines' or a record's
    # sheet= was ignored without a word
    import openpyxl

    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.append(["id", "满意度"])
    book.active.append(["A", "90%"])
    workbook = tmp_path / "d.xlsx"
    book.save(workbook)
    assert [r["id"] for r in pingfen.read_records(workbook, sheet=book.active.title)] == ["A"]
    with pytest.raises(ValueError, match="sheet takes a sheet's name, not '': leave sheet out"):
        pingfen.read_records(workbook, sheet="")
    with pytest.raises(TypeError, match="sheet takes a sheet's name, a str, not int"):
        pingfen.read_records(workbook, sheet=1)  # type: ignore[arg-type]  # what is refused
    for name, text in (("d.csv", "id,满意度\nA,90%\n"), ("d.jsonl", '{"id": "A"}\n'), ("d.json", '{"id": "A"}')):
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match=rf"sheet picks a sheet of an .xlsx workbook, and `{name}` is none"):
            pingfen.read_records(tmp_path / name, sheet="Sheet")


def test_grade_for_takes_what_round_total_takes() -> None:
    # grade_for('95') failed inside a comparison, and grade_for(95.5) took the float
    rubric = pingfen.load(RULESET, tests=False)
    assert rubric.grade_for(95) == rubric.grade_for(Decimal("95")) == "优秀"
    for given, said in (("95", r"not str: Decimal\('95'\)"), (95.5, r"not float: Decimal\(str\(x\)\) keeps a float's digits"),
                        (True, "not bool$")):  # fmt: skip
        with pytest.raises(TypeError, match=f"grade_for takes a Decimal \\(or an int\\), {said}"):
            rubric.grade_for(given)  # type: ignore[arg-type]  # what is refused


@pytest.mark.parametrize("indent", ["x", True, -1, 2.0])
def test_to_json_refuses_an_indent_it_cannot_use(indent: object) -> None:
    # indent='x' raised "can't multiply sequence by non-int of type 'str'"
    with pytest.raises(TypeError, match=r"to_json's indent takes spaces a level, an int >= 0, or None for one line"):
        _result().to_json(indent=indent)  # type: ignore[arg-type]  # what is refused
    assert "\n" not in _result().to_json(indent=None) and _result().to_json(indent=0).startswith("{\n\"rubric\"")


@pytest.mark.parametrize("row", [None, ("1", "2"), "reasons"])
def test_explain_refuses_what_is_no_row(row: object) -> None:
    # Explainer.explain(None) raised "'NoneType' object has no attribute 'get'"
    from pingfen.sql import Explainer

    with pytest.raises(TypeError, match=f"explain takes a row of the query, a mapping of its columns to values, not {type(row).__name__}"):
        Explainer(pingfen.load(RULESET, tests=False)).explain(row)  # type: ignore[arg-type]  # what is refused


def test_coerce_refuses_a_name_that_is_no_input() -> None:
    # coerce(record, ['nope']) returned {} without a word
    rubric = pingfen.load(RULESET, tests=False)
    [record] = list(pingfen.read_records(SEED))
    with pytest.raises(KeyError, match="no input named 'nope'\"$"):
        rubric.coerce(record, ["nope"])
    with pytest.raises(KeyError, match="no input named '满意': did you mean '满意度'"):
        rubric.coerce(record, ["满意度", "满意"])
    assert rubric.coerce(record, (n for n in ["满意度"])) == {"满意度": Decimal("0.95")}  # a generator, read once

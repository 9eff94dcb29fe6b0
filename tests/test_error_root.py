"""One error root: every exception class pingfen defines derives from PingfenError, a record
is refused through one class whichever evaluator scores it, and a bug pingfen catches in
itself reaches the command line as an internal error, not as the user's fault."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
from pathlib import Path

import pytest

import pingfen
from pingfen.cli import main
from pingfen.coverage import Disagreement
from pingfen.errors import DataError, InternalError, PingfenError, Problem
from pingfen.evaluate.refusals import Refusal

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"

# Exception classes allowed outside PingfenError, each with the reason. Even the command
# line's private `_Usage` is an error pingfen raises on purpose; only a signal is not an error.
OUTSIDE: dict[str, str] = {
    "pingfen.io.write.Interrupted": "SIGTERM/SIGHUP unwinding like KeyboardInterrupt: a BaseException "
    "so that no `except Exception` (or `except PingfenError`) swallows it before temp files are removed",
    "pingfen.loader.NotRegularFile": "a rule file that is a FIFO or a device, not read: an OSError, so that each "
    "reader's `except OSError` says it cannot be read, as of a file it cannot open",
    "pingfen.sql.direct.Unwritable": "never leaves sql/direct.py: a form or column the direct query does not "
    "write, caught in `query`, which then gives None and the engine the general query",
}


def exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in a module of the pingfen package, by qualified name."""
    found: dict[str, type[BaseException]] = {}
    names = ["pingfen"] + [m.name for m in pkgutil.walk_packages(pingfen.__path__, "pingfen.")]
    for name in names:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == name:
                found[f"{name}.{cls.__qualname__}"] = cls
    return found


def test_the_walk_finds_the_exception_classes() -> None:
    # The check below would pass vacuously if the walk found nothing.
    found = exception_classes()
    for name in (
        "pingfen.errors.RubricError",
        "pingfen.errors.DataError",
        "pingfen.syntax.formatter.FormatError",
        "pingfen.evaluate.refusals.Refusal",
        "pingfen.coverage.Disagreement",
        "pingfen.fuzz.Violation",
        "pingfen.errors.UsageError",
    ):
        assert name in found


def test_every_exception_class_derives_from_pingfen_error() -> None:
    outside = sorted(n for n, cls in exception_classes().items() if not issubclass(cls, PingfenError))
    assert outside == sorted(OUTSIDE)


def test_one_refusal_class() -> None:
    refusals = sorted(n for n in exception_classes() if "refus" in n.rpartition(".")[2].lower())
    # one class refuses a record; SqlRefusal refuses a rubric the SQL compiler cannot translate
    assert refusals == ["pingfen.evaluate.refusals.Refusal", "pingfen.sql.exact.SqlRefusal"]
    refusal = Refusal(Problem("PF504", "编制人数", {"where": "x", "divisor": "编制人数"}))
    assert str(refusal).startswith("PF504: ")


UNSOUND = """rubric "t" {
  total 10
}
input a: number
input b: number
let r = a / b
group g 10 {
  indicator i 10 { score = min(10, r) }
}
"""


def test_every_evaluator_refuses_through_it() -> None:
    # The generated code, the tree walker scoring a node (score_node) and the walker reading
    # one expression (property conditions) each turn the same Refusal into a DataError
    # naming the zero divisor.
    from pingfen.loader import loads_unsound

    rubric, _ = loads_unsound(UNSOUND)  # PF410: b can be 0
    record = {"a": 1, "b": 0}
    with pytest.raises(DataError) as compiled:
        rubric.evaluate(record)
    with pytest.raises(DataError) as walked:
        rubric.score_node("i", record)
    with pytest.raises(DataError) as interpreted:
        rubric.walker().expression(rubric.module.lets[0].expr, rubric.coerce(record))
    for info in (compiled, walked, interpreted):
        assert info.value.code == "PF504"
        assert info.value.__suppress_context__  # raised `from None`: no Refusal in the traceback


def test_disagreement_is_an_internal_error_and_still_an_assertion() -> None:
    assert issubclass(Disagreement, InternalError)
    assert issubclass(Disagreement, AssertionError)


def test_an_internal_error_is_reported_as_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    import pingfen.testrun

    def disagree(*args: object, **kwargs: object) -> None:
        raise Disagreement("the walker and the evaluator disagree on x")

    monkeypatch.setattr(pingfen.testrun, "run_examples", disagree)
    monkeypatch.delenv("PINGFEN_DEBUG", raising=False)
    out, err = io.StringIO(), io.StringIO()
    assert main(["test", "--coverage", str(RULESET)], out, err) == 2
    assert "internal error" in err.getvalue() and "please report it" in err.getvalue()
    monkeypatch.setenv("PINGFEN_DEBUG", "1")
    with pytest.raises(Disagreement):
        main(["test", "--coverage", str(RULESET)], io.StringIO(), io.StringIO())


def test_usage_errors_still_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "record.json"
    data.write_text("{}", encoding="utf-8")
    err = io.StringIO()
    assert main(["eval", "--format", "xlsx", "--lang", "en", str(RULESET), str(data)], io.StringIO(), err) == 2
    assert "xlsx output needs a file name" in err.getvalue()


def test_errors_come_back_from_a_process_pool() -> None:
    # Exception's own pickling calls cls(*args): DataError(message) took the message for its
    # problems and raised AttributeError, so a process pool scoring rows (whose results do
    # pickle) broke on the first refused row (BrokenProcessPool); RubricError and the others
    # with arguments of their own failed alike.
    import pickle

    from pingfen.errors import EmptyDomain, OutputError, UsageError
    from pingfen.sql.exact import SqlRefusal
    from pingfen.syntax.formatter import FormatError

    rubric = pingfen.load(RULESET, tests=False)
    refused = [e for e in rubric.evaluate_many([{"编制人数": 0}], key="id") if isinstance(e, DataError)]
    errors: list[PingfenError] = [*refused, UsageError("both", "都"), EmptyDomain("满意度"), OutputError("PF702", "/x")]
    errors.append(SqlRefusal("PF804", {"dialect": "mysql", "dialects": "duckdb"}))
    for bad, kind in (("rubric", pingfen.RubricError), ("rubric {", FormatError)):
        with pytest.raises(kind) as caught:
            (pingfen.loads if kind is pingfen.RubricError else pingfen.format_text)(bad)
        errors.append(caught.value)
    for error in errors:
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error)
        assert (str(back), back.args, vars(back)) == (str(error), error.args, vars(error))
    [data] = refused
    back = pickle.loads(pickle.dumps(data))
    assert (back.code, back.input, back.record, back.render("zh")) == (data.code, data.input, "1", data.render("zh"))

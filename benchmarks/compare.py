"""pingfen side by side with the alternatives, on the 2021 rubric, in one run:

    python benchmarks/compare.py [--records 10000] [--repeat 5] [--quick] [--profile]

1. agreement: every scorer on the same generated records — totals and grades exactly
   (the Decimal ones also every indicator's score); the float scorer's disagreements
   are counted, not failed;
2. µs per record, median and min–max over the repeats, and each one's ratio to pingfen;
3. load time of the rubric: parse, check, compile (parser tables warm);
4. `pingfen eval` of one record in a new process, against `python -c pass`;
5. a CSV batch through `evaluate_many`, end to end, at 10⁴ and 10⁵ rows: rows per
   second and peak memory, each in a fresh process (benchmarks/batch.py);
6. `pingfen eval` of 10⁴ CSV rows to CSV and to XLSX, end to end in a new process;
7. issue 11's table, each row beside its target: evaluate() alone, evaluate() and reading
   total, grade and every node's score, all reasons of one record (each against the tuned
   hand-written scorer returning every indicator and group score, `hand_tuned.score_every`),
   the CSV and XLSX batches and the cold start of `pingfen eval`.

zen-engine is optional (`pip install ".[bench]"`); without it its row is skipped.
--quick uses 10⁴ rows for the largest batch; --profile adds where pingfen's time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(ROOT / "src"))  # a checkout, installed or not

import hand_checked  # noqa: E402
import hand_float  # noqa: E402
import hand_plain  # noqa: E402
import hand_tuned  # noqa: E402
import records2021  # noqa: E402

import pingfen  # noqa: E402
from pingfen.batch import Scored, indicator_names  # noqa: E402
from pingfen.check.passes import check  # noqa: E402
from pingfen.diagnostics import Source  # noqa: E402
from pingfen.evaluate import walker as oracle  # noqa: E402
from pingfen.evaluate.rubric import Rubric  # noqa: E402
from pingfen.io.tables import Row  # noqa: E402
from pingfen.syntax import parser as syntax  # noqa: E402
from pingfen.syntax.parser import parse, parser  # noqa: E402
from pingfen.syntax.scan import without_tests  # noqa: E402

Scorer = Callable[[dict[str, object]], object]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import lark

    try:
        from importlib.metadata import version

        import zen  # noqa: F401

        zen_version = version("zen-engine")
    except ImportError:
        zen_version = "not installed"
    return (
        f"{cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; lark {lark.__version__}; zen-engine {zen_version}"
    )


# ---------------------------------------------------------------- the scorers


def scorers(rubric: Rubric) -> tuple[dict[str, Scorer], Callable[[dict[str, object]], str] | None]:
    """Each scorer's per-record call, and (if installed) zen's context maker."""
    text = rubric.source.text
    module, _ = parse(text)
    assert module is not None
    checked = check(module)
    evaluate = rubric.evaluate

    def every_score(record: dict[str, object]) -> object:
        # What every user does: the total, the grade and each node's score, from the tree.
        result = evaluate(record)
        return result.total, result.grade, [node.score for node in result.nodes()]

    def every_score_by_name(record: dict[str, object]) -> object:
        result = evaluate(record)
        return result.total, result.grade, result.scores()

    def with_tree(record: dict[str, object]) -> object:
        result = evaluate(record)
        for node in result.nodes():
            node.reasons  # noqa: B018 - every reason put into words
        return result

    names = indicator_names(rubric)

    def batch_row(record: dict[str, object]) -> object:
        # What `pingfen eval RULESET DATA.csv` does per row between reading and writing.
        return Scored(Row(1, None, record), evaluate(record), None).line(names, "zh")

    out: dict[str, Scorer] = {
        "pingfen": evaluate,
        "pingfen, batch row (every score)": batch_row,
        "pingfen, every score via nodes()": every_score,
        "pingfen, every score via scores()": every_score_by_name,
        "pingfen, tree and reasons read": with_tree,
        "hand-written Decimal, plain": hand_plain.score,
        "hand-written Decimal, tuned": hand_tuned.score,
        "  the same, every group's score too": hand_tuned.score_every,
        "  the same, checking inputs as pingfen": hand_checked.score,
        "hand-written float": hand_float.score,
        "pingfen oracle (walks the AST)": lambda record: oracle.evaluate(module, checked, text, rubric.coerce(record)),
    }
    try:
        import zen2021

        engine = zen2021.engine()
    except ImportError:
        return out, None
    out["zen-engine (JDM graph)"] = lambda context: engine.evaluate("dept2021", context)
    out["_zen_answer"] = lambda context: zen2021.total_and_grade(engine.evaluate("dept2021", context))
    return out, zen2021.context


def agreement(
    records: list[dict[str, object]], rubric: Rubric, found: dict[str, Scorer], contexts: list[str] | None
) -> list[str]:
    """Check every scorer against pingfen; return the lines to print."""
    lines = []
    on_five = 0
    wrong = {name: 0 for name in ("plain", "tuned", "checked", "oracle", "zen", "float", "scores", "groups")}
    for i, record in enumerate(records):
        result = rubric.evaluate(record)
        answer = (result.total, result.grade)
        scores = tuple(n.score for n in result.indicators())
        total, grade, tuned_scores = hand_tuned.score(record)
        wrong["tuned"] += (total, grade) != answer
        wrong["scores"] += tuned_scores != scores
        wrong["groups"] += hand_tuned.score_every(record)[3] != tuple(n.score for n in result.nodes() if n.is_group)
        wrong["checked"] += hand_checked.score(record)[:2] != answer
        total, grade, plain_scores = hand_plain.score(record)
        wrong["plain"] += (total, grade) != answer
        wrong["scores"] += tuple(plain_scores.values()) != scores
        walked = found["pingfen oracle (walks the AST)"](record)
        wrong["oracle"] += walked != result  # type: ignore[comparison-overlap]
        float_total, float_grade = hand_float.score(record)
        if (Decimal(repr(float_total)), float_grade) != answer:
            wrong["float"] += 1
            thousandths = result.raw_total.scaleb(3)
            on_five += thousandths == thousandths.to_integral_value() and thousandths % 10 == 5
        if contexts is not None:
            wrong["zen"] += found["_zen_answer"](contexts[i]) != answer  # type: ignore[arg-type]
    exact = {k: v for k, v in wrong.items() if k != "float" and (k != "zen" or contexts is not None)}
    if any(exact.values()):
        raise SystemExit(f"scorers disagree with pingfen: {exact}")
    lines.append(
        f"agreement on {len(records)} records: hand-written plain, tuned and checked, the oracle"
        f"{' and zen-engine' if contexts is not None else ''} give pingfen's total and grade on every one "
        "(the Decimal ones every indicator's score too, the tuned one every group's)"
    )
    lines.append(
        f"the float scorer disagrees on {wrong['float']} records ({wrong['float'] / len(records):.2%}), "
        f"{on_five} of them where the exact total ends in 5 at the third decimal"
    )
    grades: dict[str | None, int] = {}
    for record in records:
        g = rubric.evaluate(record).grade
        grades[g] = grades.get(g, 0) + 1
    lines.append("grades of the generated records: " + ", ".join(f"{g} {n}" for g, n in grades.items()))
    return lines


# ---------------------------------------------------------------- timing


def per_record(data: list[object], fn: Scorer) -> float:
    start = time.perf_counter()
    for item in data:
        fn(item)  # type: ignore[arg-type]
    return (time.perf_counter() - start) / len(data) * 1e6


def timings(records: list[dict[str, object]], found: dict[str, Scorer], contexts: list[str] | None,
            repeat: int) -> dict[str, list[float]]:  # fmt: skip
    """µs per record of each scorer, interleaved so that they share the machine's noise."""
    runs: dict[str, list[float]] = {name: [] for name in found if not name.startswith("_")}
    slow = {"pingfen oracle (walks the AST)", "zen-engine (JDM graph)"}
    for name, fn in found.items():  # warm up
        if not name.startswith("_"):
            per_record(contexts[:200] if name.startswith("zen") else records[:200], fn)  # type: ignore[index, arg-type]
    for _ in range(repeat):
        for name in runs:
            data = contexts if name.startswith("zen") else records
            sample = data[: len(data) // 5] if name in slow else data  # type: ignore[index]
            runs[name].append(per_record(sample, found[name]))  # type: ignore[arg-type]
    return runs


def load_times(text: str, repeat: int = 40) -> dict[str, list[float]]:
    """Loading for scoring, as `pingfen eval` does: the `example` and `property` blocks,
    which only `pingfen test` and `fuzz` read, are skipped (scan.without_tests)."""
    parser()  # the tables, read from the cache or built, as a process does once
    text = without_tests(text)
    stages: dict[str, list[float]] = {"parse": [], "check": [], "compile": [], "parse + check + compile": []}
    for i in range(repeat + 3):
        syntax._kept = ()  # parse keeps its last answers: each run parses the text
        t0 = time.perf_counter()
        module, _ = parse(text)
        t1 = time.perf_counter()
        checked = check(module)  # type: ignore[arg-type]
        t2 = time.perf_counter()
        Rubric(module, checked, Source("dept-overall-2021.rule", text))  # type: ignore[arg-type]
        t3 = time.perf_counter()
        if i >= 3:
            for name, seconds in (("parse", t1 - t0), ("check", t2 - t1), ("compile", t3 - t2)):
                stages[name].append(seconds * 1e3)
            stages["parse + check + compile"].append((t3 - t0) * 1e3)
    return stages


def cli_times(repeat: int = 15) -> dict[str, list[float]]:
    """Wall time of `python -c pass` and of `pingfen eval` of one record (table and JSON), in
    new processes. Modules are byte-compiled as an installed package's are (PYTHONPYCACHEPREFIX,
    in a temp directory), and a first run of each warms the caches."""
    record = ROOT / "examples" / "dept-overall-2021" / "full-marks.json"
    ruleset = records2021.RULESET
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    eval_ = [sys.executable, "-m", "pingfen.cli", "eval"]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "pingfen eval, one record (table)": [*eval_, str(ruleset), str(record)],
        "pingfen eval --format json, one record": [*eval_, "--format", "json", str(ruleset), str(record)],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as pycache:
        env["PYTHONPYCACHEPREFIX"] = pycache
        for command in [*commands.values()] * 2:  # warm: byte code, parser tables, syntax tree
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        for _ in range(repeat):
            for name, command in commands.items():
                start = time.perf_counter()
                subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
                times[name].append((time.perf_counter() - start) * 1e3)
    return times


def batches(sizes: list[int]) -> dict[int, dict[str, float]]:
    """Each size's CSV scored in a fresh process, then again with tracemalloc on."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    out: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"records-{size}.csv"
            records2021.write_csv(path, size)
            report: dict[str, float] = {}
            for flags in ([], ["--trace"]):
                run = subprocess.run(
                    [sys.executable, str(HERE / "batch.py"), str(path), *flags],
                    env=env, check=True, capture_output=True, text=True,
                )  # fmt: skip
                report |= {k: v for k, v in json.loads(run.stdout).items() if not flags or k == "traced_peak_kib"}
            out[size] = report
    return out


def cli_batches(size: int = 10_000, repeat: int = 3) -> dict[str, list[float]]:
    """Rows per second of `pingfen eval RULESET DATA.csv -o OUT.csv|xlsx` in a new process,
    wall time end to end (start, load, read, score, write): median of `repeat`, a first
    run of each warming the caches as a user's second run finds them."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    rates: dict[str, list[float]] = {"csv": [], "xlsx": []}
    with tempfile.TemporaryDirectory() as folder:
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        data = Path(folder) / f"records-{size}.csv"
        records2021.write_csv(data, size)
        for run in range(repeat + 1):
            for fmt in rates:
                command = [sys.executable, "-m", "pingfen.cli", "eval", str(records2021.RULESET), str(data),
                           "-o", str(Path(folder) / f"scored.{fmt}")]  # fmt: skip
                start = time.perf_counter()
                subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
                if run:
                    rates[fmt].append(size / (time.perf_counter() - start))
    return rates


# ---------------------------------------------------------------- reporting


def span(values: list[float], unit: str = "µs", digits: int = 1) -> str:
    return f"{statistics.median(values):8.{digits}f} {unit}  ({min(values):.{digits}f}–{max(values):.{digits}f})"


def profile(rubric: Rubric, records: list[dict[str, object]]) -> None:
    """Where pingfen's time per record goes: phases timed apart, then cProfile."""
    from decimal import getcontext, setcontext

    from pingfen.result import Result
    from pingfen.values import CONTEXT

    print("\nwhere the time goes (µs per record, min of 5)")
    saved = getcontext()
    setcontext(CONTEXT)
    try:
        values = [tuple(rubric._coerce(r, None)) for r in records]
        run, score, layout = rubric._run, rubric._score, rubric.program.layout
        phases = {
            "evaluate (all of it)": (records, lambda r: rubric.evaluate(r)),
            "generated run: inputs, scores, Result": (records, lambda r: run(r, "zh")),
            "generated score: scores and Result, inputs given": (values, lambda v: score(*v, "zh")),
            "Result.scored alone": (values, lambda v: Result.scored(layout, 0, 0, None, v, v, None, "zh")),
            "hand-written tuned, for scale": (records, hand_tuned.score),
        }
        for name, (data, fn) in phases.items():
            print(f"  {name:52s} {min(per_record(data, fn) for _ in range(5)):7.2f}")  # type: ignore[arg-type]
    finally:
        setcontext(saved)
    stats = io.StringIO()
    profiler = cProfile.Profile()
    profiler.enable()
    for record in records:
        rubric.evaluate(record)
    profiler.disable()
    pstats.Stats(profiler, stream=stats).sort_stats("tottime").print_stats(8)
    print("\ncProfile of evaluate over the records (tottime):")
    print("\n".join(line for line in stats.getvalue().splitlines() if line.strip())[-1400:])


def issue11(runs: dict[str, list[float]], evals: dict[str, list[float]], start: float) -> str:
    """Issue 11's table: each row measured in this run beside its target."""
    hand = statistics.median(runs["  the same, every group's score too"])

    def per(name: str) -> float:
        return statistics.median(runs[name])

    rows = [
        ("evaluate() alone", f"{per('pingfen'):.2f} µs, {per('pingfen') / hand:.2f}× hand-written",
         "≤ 1.2×", per("pingfen") / hand <= 1.2),
        ("evaluate(), then total, grade and every node's score (nodes())",
         f"{per(NODES):.2f} µs, {per(NODES) / hand:.2f}×", "≤ 1.5×", per(NODES) / hand <= 1.5),
        ("  the same through scores()", f"{per(BY_NAME):.2f} µs, {per(BY_NAME) / hand:.2f}×", "≤ 1.5×",
         per(BY_NAME) / hand <= 1.5),
        ("all reasons of one record (evaluate() included)", f"{per(REASONS):.1f} µs", "≤ 50 µs", per(REASONS) <= 50),
        ("`pingfen eval` of 10,000 CSV rows to CSV", f"{statistics.median(evals['csv']):,.0f} rows/s",
         "≥ 30,000 rows/s", statistics.median(evals["csv"]) >= 30_000),
        ("  the same to XLSX", f"{statistics.median(evals['xlsx']):,.0f} rows/s", "≥ 10,000 rows/s",
         statistics.median(evals["xlsx"]) >= 10_000),
        ("`pingfen eval` of one record, new process", f"{start:.2f}× `python -c pass`", "≤ 4×", start <= 4),
    ]  # fmt: skip
    width = max(len(row[0]) for row in rows)
    lines = [f"\nissue 11 (hand-written: the tuned Decimal scorer, every indicator and group score, {hand:.2f} µs):"]
    lines.append(f"  {'what':{width}s}  {'measured':28s}  {'target':16s}")
    for what, measured, target, met in rows:
        lines.append(f"  {what:{width}s}  {measured:28s}  {target:16s}  {'met' if met else 'MISSED'}")
    return "\n".join(lines)


NODES = "pingfen, every score via nodes()"
BY_NAME = "pingfen, every score via scores()"
REASONS = "pingfen, tree and reasons read"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="batches of 10⁴ rows only")
    ap.add_argument("--profile", action="store_true", help="also show where pingfen's time per record goes")
    args = ap.parse_args()

    print(f"machine: {machine()}")
    text = records2021.RULESET.read_text(encoding="utf-8")
    rubric = pingfen.loads(text, "dept-overall-2021.rule")
    records = records2021.records(args.records)
    found, make_context = scorers(rubric)
    contexts = [make_context(r) for r in records] if make_context is not None else None  # zen reads JSON text

    print("\n" + "\n".join(agreement(records, rubric, found, contexts)))

    runs = timings(records, found, contexts, args.repeat)
    base = statistics.median(runs["pingfen"])
    print(f"\nper record, {args.records} records × {args.repeat} runs (oracle and zen on a fifth of them):")
    print(f"  {'':34s} {'median (min–max)':>28s}   ratio to pingfen")
    for name, values in runs.items():
        print(f"  {name:34s} {span(values, digits=2)}   {statistics.median(values) / base:6.2f}×")

    stages = load_times(text)
    print("\nload of the rubric (ms, median (min–max) of 40, parser tables warm):")
    for name, values in stages.items():
        print(f"  {name:26s} {span(values, 'ms', 2)}")

    starts = cli_times()
    bare = statistics.median(starts["python -c pass"])
    print("\nnew process, wall time (ms, median (min–max) of 15):")
    for name, values in starts.items():
        print(f"  {name:40s} {span(values, 'ms')}   {statistics.median(values) / bare:.2f}× python -c pass")
    ratio = max(statistics.median(v) for v in starts.values()) / bare

    sizes = [10_000] if args.quick else [10_000, 100_000]
    found_batches = batches(sizes)
    print("\nCSV batch through evaluate_many, end to end (csv read, score, csv write), fresh process each:")
    for size, report in found_batches.items():
        print(
            f"  {size:>7d} rows  {report['rows_per_second']:9.0f} rows/s  peak RSS {report['maxrss_kib'] / 1024:6.1f} MiB"
            f"  traced peak {report['traced_peak_kib']:7.1f} KiB"
        )

    evals = cli_batches()
    print("\n`pingfen eval` of 10000 CSV rows in a new process, end to end (rows/s, median (min–max) of 3):")
    for fmt, values in evals.items():
        print(f"  to {fmt.upper():4s} {span(values, 'rows/s', 0)}")

    print(issue11(runs, evals, ratio))

    tuned = statistics.median(runs["hand-written Decimal, tuned"])
    zen_ratio = statistics.median(runs["zen-engine (JDM graph)"]) / base if contexts is not None else None
    load = statistics.median(stages["parse + check + compile"])
    print("\ntargets:")
    print(
        f"  per record ≤ 1.5× the tuned Decimal scorer: {base / tuned:.2f}×  {'met' if base / tuned <= 1.5 else 'MISSED'}"
    )
    if zen_ratio is not None:
        print(f"  ≥ 5× faster than zen-engine: {zen_ratio:.1f}×  {'met' if zen_ratio >= 5 else 'MISSED'}")
    print(f"  load ≤ 20 ms: {load:.1f} ms  {'met' if load <= 20 else 'MISSED'}")
    print(f"  pingfen eval ≤ 4× python -c pass: {ratio:.2f}×  {'met' if ratio <= 4 else 'MISSED'}")
    rate = min(r["rows_per_second"] for r in found_batches.values())
    print(f"  CSV batch ≥ 10,000 rows/s: {rate:.0f}  {'met' if rate >= 10_000 else 'MISSED'}")
    if len(found_batches) == 2:
        small, large = (found_batches[s] for s in sizes)
        growth = large["maxrss_kib"] / small["maxrss_kib"] - 1
        traced = large["traced_peak_kib"] / small["traced_peak_kib"] - 1
        verdict = "met" if growth <= 0.10 else "MISSED"
        print(f"  peak memory at 10⁵ rows within 10% of 10⁴: RSS {growth:+.1%}, traced {traced:+.1%}  {verdict}")
    if args.profile:
        profile(rubric, records)


if __name__ == "__main__":
    main()

"""The `pingfen` command: a thin shell over the public API.

Exit codes: 0 ok; 1 the answer is "no" (check found errors); 2 the command could not
run (usage, unreadable file, a rule file with errors given to `eval`, bad data).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import pingfen
from pingfen.diagnostics import Lang, default_lang
from pingfen.errors import DataError, PingfenError, RubricError
from pingfen.io import read_record
from pingfen.report import render_table
from pingfen.result import dumps

OK, NO, CANNOT = 0, 1, 2

_DESCRIPTION = """\
pingfen (评分): check scoring rubrics written as .rule files, and score departments by them.

examples:
  pingfen check rulesets/dept-overall-2021.rule
  pingfen eval rulesets/dept-overall-2021.rule examples/dept-overall-2021/seed-2021.yaml
  pingfen eval --format json --lang en RULESET DATA.json
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pingfen", description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"pingfen {pingfen.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument(
        "--lang", choices=("zh", "en"), default=None,
        help="language of messages and reasons (default: from the locale, LANG/LC_ALL; zh if it starts with zh)",
    )  # fmt: skip

    check = commands.add_parser(
        "check", parents=[lang], help="check rule files and report every problem",
        description="Check .rule files: syntax, names, types and units, points and maxima, and soundness "
        "over the inputs' declared domains (band gaps and overlaps with a witness value, unreachable arms, "
        "score ranges, zero divisors, grade coverage). Prints every finding with its code, file:line:col, "
        "the source line and a hint. Exit 0 when there are no errors (with --strict: no findings at all), "
        "1 otherwise, 2 when a file cannot be read.",
    )  # fmt: skip
    check.add_argument("files", nargs="+", metavar="FILE", help="rule files to check")
    check.add_argument(
        "--format", choices=("text", "json", "sarif"), default="text",
        help="text for people (default); json, a flat list of findings; sarif, SARIF 2.1.0 for code scanning",
    )  # fmt: skip
    check.add_argument("--strict", action="store_true", help="fail on warnings and notes too, not only errors")

    ev = commands.add_parser(
        "eval", parents=[lang], help="score one record (JSON or YAML) with a rubric",
        description="Score one department: DATA is a JSON or YAML mapping of input names to values. "
        "Percents may be ratios (0.95) or strings (\"95%%\"); bools true/false or 是/否. "
        "Exit 0 on success, 2 when the rule file or the data is bad (the message names the input).",
    )  # fmt: skip
    ev.add_argument("ruleset", metavar="RULESET", help="the .rule file")
    ev.add_argument("data", metavar="DATA", help="the record: a .json, .yaml or .yml file")
    ev.add_argument(
        "--format", choices=("table", "json"), default="table",
        help="table: the rubric's own layout with reasons (default); json: one object, exact numbers",
    )  # fmt: skip
    _add_authoring_commands(commands, lang)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse already printed usage or help
        return OK if exit_.code in (0, None) else CANNOT
    if args.command is None:
        parser.print_help(out)
        return CANNOT
    lang: Lang = args.lang or default_lang()
    try:
        if args.command == "check":
            return _check(args.files, args.format, args.strict, lang, out, err)
        if args.command in _AUTHORING:
            return _AUTHORING[args.command](args, lang, out, err)
        return _eval(args.ruleset, args.data, args.format, lang, out)
    except RubricError as error:
        print(error.render(lang), file=err)
        return CANNOT
    except DataError as error:
        print(error.render(lang), file=err)
        return CANNOT
    except PingfenError as error:  # pragma: no cover - every PingfenError is one of the above
        print(f"pingfen: {error}", file=err)
        return CANNOT
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return NO
    except OSError as error:
        print(f"pingfen: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=err)
        return CANNOT
    except Exception as error:
        if os.environ.get("PINGFEN_DEBUG"):
            raise
        print(f"pingfen: internal error: {error!r}; please report it (PINGFEN_DEBUG=1 shows the traceback)", file=err)
        return CANNOT


def _check(files: list[str], fmt: str, strict: bool, lang: Lang, out: TextIO, err: TextIO) -> int:
    from pingfen.report.findings import to_json, to_sarif

    checked = []
    unreadable = False
    for name in files:
        try:
            text = Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            print(f"pingfen: cannot read {name}: {getattr(error, 'strerror', None) or error}", file=err)
            unreadable = True
            continue
        diagnostics = pingfen.diagnose(text, name)
        checked.append((name, diagnostics))
        if fmt == "text":
            for d in diagnostics:
                print(d.render(lang) + "\n", file=out)
            print(_summary(name, diagnostics, strict, lang), file=out)
    if fmt == "json":
        print(dumps(to_json(checked, lang)), file=out)
    elif fmt == "sarif":
        print(dumps(to_sarif(checked, pingfen.__version__, lang)), file=out)
    failing = any(_fails(d, strict) for _, found in checked for d in found)
    return CANNOT if unreadable else NO if failing else OK


def _fails(d: pingfen.Diagnostic, strict: bool) -> bool:
    return strict or d.severity == "error"


def _summary(name: str, diagnostics: list[pingfen.Diagnostic], strict: bool, lang: Lang) -> str:
    count = {s: sum(d.severity == s for d in diagnostics) for s in ("error", "warning", "note")}
    failed = any(_fails(d, strict) for d in diagnostics)
    if lang == "zh":
        verdict = "未通过" if failed else "通过"
        return f"{name}：{verdict}（{count['error']} 个错误，{count['warning']} 个警告，{count['note']} 个提示）"
    parts = ", ".join(f"{n} {s}{'s' * (n != 1)}" for s, n in count.items())
    return f"{name}: {'failed' if failed else 'ok'} ({parts})"


def _eval(ruleset: str, data: str, fmt: str, lang: Lang, out: TextIO) -> int:
    rubric = pingfen.load(ruleset)
    record = read_record(data)
    result = rubric.evaluate(record, lang=lang)
    print(result.to_json(lang) if fmt == "json" else render_table(result, lang), file=out)
    return OK


# ---------------------------------------------------------------- authoring: fmt, test, fuzz


def _add_authoring_commands(commands: argparse._SubParsersAction, lang: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    fmt = commands.add_parser(
        "fmt", parents=[lang], help="format rule files in the one canonical layout",
        description="Rewrite .rule files in the canonical layout (docs/format.md): ASCII forms, two-space "
        "indentation, aligned columns, comments kept. A .md file has its ```rule blocks formatted; `-` reads "
        "standard input and writes standard output. Exit 0 when done (with --check: when nothing would "
        "change), 1 when --check finds a file to reformat, 2 when a file cannot be read or parsed.",
    )  # fmt: skip
    fmt.add_argument("files", nargs="+", metavar="FILE", help=".rule or .md files, or - for standard input")
    fmt.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is not formatted")
    fmt.add_argument("--diff", action="store_true", help="change nothing; print what would change as a diff")


def _fmt(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    import difflib

    from pingfen.diagnostics import Source
    from pingfen.fmt import FormatError, format_markdown, format_text

    changed, failed = [], False
    for name in args.files:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            print(f"pingfen: cannot read {name}: {getattr(error, 'strerror', None) or error}", file=err)
            failed = True
            continue
        try:
            formatted = format_markdown(text) if name.endswith(".md") else format_text(text)
        except FormatError as error:
            source = Source(name if name != "-" else "<stdin>", text)
            print("\n\n".join(d.with_source(source).render(lang) for d in error.diagnostics), file=err)
            failed = True
            continue
        if name == "-" and not (args.check or args.diff):
            out.write(formatted)
            continue
        if formatted == text:
            continue
        changed.append(name)
        if args.diff:
            out.writelines(
                difflib.unified_diff(
                    text.splitlines(keepends=True),
                    formatted.splitlines(keepends=True),
                    f"{name}",
                    f"{name} (formatted)",
                )
            )
        if args.check:
            print(f"{'需要格式化' if lang == 'zh' else 'would reformat'} {name}", file=err)
        elif not args.diff:
            Path(name).write_text(formatted, encoding="utf-8")
            print(f"{'已格式化' if lang == 'zh' else 'reformatted'} {name}", file=err)
    if failed:
        return CANNOT
    return NO if args.check and changed else OK


_AUTHORING = {"fmt": _fmt}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

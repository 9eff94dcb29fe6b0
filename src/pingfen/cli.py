"""The `pingfen` command: a thin shell over the public API.

Exit codes: 0 ok; 1 the answer is "no" (check found errors, a batch row could not be
scored, an audit found disagreements, diff found a change, or --replay a changed grade, a
unit only one version scores, or no unit scored at all); 2 the command could not run (usage, unreadable file, a rule
file with errors given to `eval`, bad data in a single record); 130 stopped by Ctrl-C.
"""

from __future__ import annotations

# `pingfen --help` imports argparse, the help texts and nothing else: the rest of pingfen
# (attrs, the errors, the AST) is imported once a command runs (tests/test_user_lang.py).
import argparse
import errno
import io
import os
import sys
import warnings
from contextlib import nullcontext

import pingfen
from pingfen import clitext
from pingfen.lang import counted, default_lang

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TextIO

    from _typeshed import SupportsWrite

    from pingfen.diagnostics import Diagnostic
    from pingfen.evaluate.rubric import Rubric
    from pingfen.lang import Lang
    from pingfen.report.filing import Filing
    from pingfen.result import Result

# Each command imports what it needs when it runs: `eval` of a JSON record never loads
# the YAML reader, `--format json` never the table, `check` never the compiler.

OK, NO, CANNOT = 0, 1, 2
INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


class _Parser(argparse.ArgumentParser):
    """argparse, except that help or usage it cannot write (`pingfen --help > /dev/full`) is a
    write error, as for any output, where argparse says nothing and exits 0. Its subcommands'
    parsers are of this class too."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if not message:
            return
        if file is None:  # help and usage go to sys.stdout, None when it was closed at start (`>&-`)
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))
        file.write(message)


def _parser(language: Lang) -> argparse.ArgumentParser:
    """The command line, its help texts in `language` (argparse's own words are put in
    that language by `clitext.speaking`, around the building and the parsing)."""
    t = clitext.translator(language)
    parser = _Parser(
        prog="pingfen", description=clitext.description(language), formatter_class=clitext.formatter(language, raw=True)
    )
    parser.add_argument(
        "--version", action="version", version=f"pingfen {pingfen.__version__}",
        help=t("show the version and exit"),
    )  # fmt: skip
    lang_help = t("language of messages, reasons, tables and help (default: 中文, unless PINGFEN_LANG or the "
                  "locale, LC_ALL/LC_MESSAGES/LANG, starts with en)")  # fmt: skip
    parser.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    layout = clitext.formatter(language)

    lang = _Parser(add_help=False)
    lang.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=lang_help)

    check = commands.add_parser(
        "check", parents=[lang], formatter_class=layout, help=t("check rule files and report every problem"),
        description=t("Check .rule files: syntax, names, types and units, points and maxima, and soundness "
        "over the inputs' declared domains (band gaps and overlaps with a witness value, unreachable arms, "
        "score ranges, zero divisors, grade coverage). Prints every finding with its code, file:line:col, "
        "the source line and a hint. Exit 0 when there are no errors (with --strict: no findings at all), "
        "1 otherwise, 2 when a file cannot be read."),
    )  # fmt: skip
    check.add_argument("files", nargs="+", metavar="FILE", help=t("rule files to check"))
    check.add_argument(
        "--format", choices=("text", "json", "sarif"), default="text",
        help=t("text for people (default); json, a flat list of findings; sarif, SARIF 2.1.0 for code scanning"),
    )  # fmt: skip
    check.add_argument("--strict", action="store_true", help=t("fail on warnings and notes too, not only errors"))

    table_input = _Parser(add_help=False)
    table_input.add_argument(
        "--encoding", metavar="ENC",
        help=t("encoding of a CSV file (default: sniffed; UTF-8 with or without BOM, else GBK/GB18030)"),
    )  # fmt: skip
    table_input.add_argument(
        "--id-column", metavar="NAME", help=t("the column that names each row (default: `id`, else `编号`, if there is one)")
    )

    ev = commands.add_parser(
        "eval", parents=[lang, table_input], formatter_class=layout, help=t("score one record, or a CSV/XLSX/JSON Lines file of departments"),
        description=t("Score departments. DATA is one record (a JSON or YAML mapping of input names to values) "
        "or a batch file (.csv, .xlsx, .jsonl) with one department per row and an `id` column naming it. "
        "Percents may be ratios (0.95) or strings (\"95%\"); bools true/false or 是/否; empty cells are missing. "
        "A batch writes one row per department: id, one column per indicator, total, grade, error; a row with "
        "bad data gets its error and the other rows are still scored. Exit 0 on success; 1 when a batch row "
        "could not be scored; 2 when the rule file, a single record or the file itself is bad."),
    )  # fmt: skip
    ev.add_argument("ruleset", metavar="RULESET", help=t("the .rule file"))
    ev.add_argument("data", metavar="DATA", help=t("a .json/.yaml record, or a .csv/.xlsx/.jsonl batch file"))
    ev.add_argument(
        "--format", choices=("table", "json", "csv", "xlsx", "jsonl"), default=None,
        help=t("one record: table (default) or json (the whole result, exact numbers); a batch: csv (default), "
        "xlsx, jsonl or json (a list of rows). Default: from -o's extension"),
    )  # fmt: skip
    ev.add_argument("-o", "--output", metavar="FILE", help=t("write here (atomically) instead of standard output"))
    ev.add_argument(
        "--engine", choices=("python", "duckdb"), default="python",
        help=t("python (default); duckdb: a large .parquet/.csv/.xlsx file scored by the rubric's SQL inside DuckDB, "
        "to -o FILE.parquet or FILE.csv (a CSV's or sheet's cells read as by python; Parquet's percents as ratios; see docs/scale.md)"),
    )  # fmt: skip
    ev.add_argument("--reasons", action="store_true", help=t("with --engine duckdb: also write the reasons column (every point lost, as JSON)"))
    ev.add_argument(
        "--jobs", type=int, default=None, metavar="N",
        help=t("processes that score a large CSV file written as CSV (default: the CPUs not busy with other work, within a container's CPU quota, at most 4; "
        "1: no worker processes; never more than the CPUs, or 4); the output is the same, in the same order"),
    )  # fmt: skip

    tp = commands.add_parser(
        "template", parents=[lang], formatter_class=layout, help=t("write a data-entry template (XLSX, CSV or YAML) for a rubric"),
        description=t("Write a data-entry template: one column (or key) per declared input, headed by its name, "
        "with its description, type and domain as the question, and an `id` column. The XLSX template validates "
        "entries (是/否 lists, ranges for percents, counts, amounts and scores, label lists) and lists the rubric "
        "on a second sheet, with a 自评得分 column that `pingfen audit` reads. A filled template scores as it is."),
    )  # fmt: skip
    tp.add_argument("ruleset", metavar="RULESET", help=t("the .rule file"))
    tp.add_argument(
        "--format", choices=("xlsx", "csv", "yaml"), default=None,
        help=t("default: from -o's extension, else yaml"),
    )  # fmt: skip
    tp.add_argument("-o", "--output", metavar="FILE", help=t("write here (atomically; needed for xlsx)"))

    rp = commands.add_parser(
        "report", parents=[lang, table_input], formatter_class=layout, help=t("write reports to file: one department's, or one per row and a summary"),
        description=t("Score one department and write its report: the rubric's own table (一级/二级/三级指标, "
        "分值, 得分, 扣分原因), the total and the grade, with the year, the unit, the evaluation date and lines "
        "to sign (评价单位（盖章）, 填报人, 审核人, 日期); A4, 宋体/仿宋, the header row on every page. HTML is one "
        "self-contained, print-friendly file with a bar chart per top group; XLSX and DOCX keep annex 附件2-2's "
        "merged-cell layout; PDF is the HTML printed by Chromium. DATA is a JSON/YAML record or a batch file "
        "with one row (or pick one with --id). With -o FOLDER/ (ending in / or an existing folder): one report "
        "per row, named by its id, and 汇总.xlsx with every unit's total, grade, rank and top-group scores and a "
        "chart of the grades. Exit 0 on success; 1 when a row of a folder run could not be scored; 2 on bad "
        "data, a bad option, or no Chromium for a PDF."),
    )  # fmt: skip
    rp.add_argument("ruleset", metavar="RULESET", help=t("the .rule file"))
    rp.add_argument("data", metavar="DATA", help=t("a .json/.yaml record, or a .csv/.xlsx/.jsonl file"))
    rp.add_argument(
        "--format", choices=("md", "html", "xlsx", "docx", "pdf"), default=None,
        help=t("default: from -o's extension, else md (docx for a folder)"),
    )  # fmt: skip
    rp.add_argument(
        "-o", "--output", metavar="FILE",
        help=t("write here (atomically; needed for xlsx, docx and pdf); a folder (ending in /) for one report per row"),
    )  # fmt: skip
    rp.add_argument("--id", metavar="ID", help=t("the row to report, by its id, when DATA holds several"))
    rp.add_argument("--year", metavar="YEAR", help=t("the year evaluated, such as 2021"))
    rp.add_argument("--unit", metavar="NAME", help=t("the unit's name (default: the record's id)"))
    rp.add_argument(
        "--date", metavar="DATE", help=t("the evaluation date, such as 2026-11-30 or 2026年11月30日 (default: today)")
    )

    au = commands.add_parser(
        "audit", parents=[lang], formatter_class=layout, help=t("recompute a filled-in self-evaluation and list where it disagrees"),
        description=t("Audit a filled-in self-evaluation. FILLED is YAML/JSON with `declared:` (group and "
        "indicator names, total and grade → the declared scores) and optionally `inputs:`; or an XLSX with a "
        "declared-score column (自评得分), such as a filled template. Reports, with the numbers: scores above "
        "the max or below zero; groups and the total that are not the sum of their parts; a grade the total "
        "does not get; and, where every input an indicator reads is given, a declared score the rule does not "
        "give, with the rule's reasons. Exit 0 when all agree, 1 on any disagreement, 2 when FILLED is unreadable."),
    )  # fmt: skip
    au.add_argument("ruleset", metavar="RULESET", help=t("the .rule file"))
    au.add_argument("filled", metavar="FILLED", help=t("a .yaml/.json file with `declared:`, or an .xlsx"))
    au.add_argument("--format", choices=("text", "json"), default="text", help=t("text (default) or json"))
    au.add_argument("--id", metavar="ID", help=t("the department's row in an XLSX data sheet with several"))
    rd = commands.add_parser(
        "render", parents=[lang], formatter_class=layout, help=t("write the rubric itself as the official table (Word, Excel, HTML or Markdown)"),
        description=t("Write the rubric as the table to publish: 一级/二级/三级指标 with merged group cells, 分值, "
        "指标解释 and each row's 评分标准 written from its rules (thresholds, rates, step counting, caps), then the "
        "grades. Generated from the checked file, the table cannot disagree with the scoring. DOCX and XLSX "
        "print on A4 with the header row repeated; HTML is one self-contained page. Exit 0 when written, 2 when "
        "the rule file has errors or cannot be read, or the output cannot be written."),
    )  # fmt: skip
    rd.add_argument("ruleset", metavar="RULESET", help=t("the .rule file"))
    rd.add_argument(
        "--format", choices=("docx", "xlsx", "html", "md"), default=None,
        help=t("default: from -o's extension, else md"),
    )  # fmt: skip
    rd.add_argument("-o", "--output", metavar="FILE", help=t("write here (atomically; needed for docx and xlsx)"))
    im = commands.add_parser(
        "import", parents=[lang], formatter_class=layout, help=t("turn last year's rubric table (XLSX or DOCX) into a draft rule file"),
        description=t("Read a rubric table as staff keep it (levels of 指标 in merged cells, 分值, 评分标准) and write "
        "a draft .rule file: each 评分标准 recognised as a rule (per-point deductions, bands, labels, checklists, "
        "counted deductions, judgment), kept as a comment above it; a row that is not recognised becomes a "
        "judgment under a `# TODO` comment, which `pingfen check` lists. Prints the share of rows recognised. "
        "Exit 0 when every row is recognised, 1 when some are left as TODO, 2 when the table cannot be read."),
    )  # fmt: skip
    im.add_argument("table", metavar="TABLE", help=t("the rubric table, .xlsx or .docx"))
    im.add_argument("-o", "--output", metavar="FILE", help=t("write the rule file here (atomically) instead of standard output"))
    _add_authoring_commands(commands, lang, t, layout)
    _add_diff_command(commands, [lang, table_input], t, layout)
    _add_serve_command(commands, lang, t, layout)
    commands.add_parser(
        "lsp", parents=[lang], formatter_class=layout, help=t("serve editors: the language server, over stdio"),
        description=t("Speak the Language Server Protocol over standard input and output, for editors (VS Code, "
        "Neovim, Emacs, …; docs/editors.md): diagnostics as one types, hover, go to definition, references, "
        "completion, formatting, the rubric tree as symbols and quick fixes. Messages are in --lang, or the "
        "client's initializationOptions {\"lang\": \"en\"}. Needs pygls (pip install pingfen[lsp])."),
    )  # fmt: skip
    sq = commands.add_parser(
        "sql", parents=[lang], formatter_class=layout, help=t("print one SQL query that scores a table of records"),
        description=t("Print one SELECT that scores a relation of records (one column per input, named as the "
        "input) into one row per record: its other columns, a column per group and indicator, total, grade, "
        "reasons (each point lost, as JSON), and refusal and refusal_input for a record that cannot be scored. Exact decimals, no floats "
        "(docs/scale.md). Exit 0 when printed, 2 when the rule file has errors or a form cannot be "
        "translated exactly."),
    )  # fmt: skip
    sq.add_argument("ruleset", metavar="RULESET", help=t("the .rule file"))
    sq.add_argument("--dialect", default="duckdb", metavar="DIALECT", help=t("the engine's SQL: duckdb (default), spark or postgres, the engines the query is tested on"))
    sq.add_argument("--table", default="records", metavar="TABLE", help=t("the relation of records (default: records)"))
    sq.add_argument("--no-reasons", action="store_true", help=t("leave out the reasons column (faster)"))
    sq.add_argument("--keep", metavar="COL,…", help=t("the relation's columns to pass through (default: every one but the inputs; on postgres, none)"))
    ev.add_argument(
        "--allow-unsound", action="store_true",
        help=t("score even if the rubric's only errors are soundness findings (PF4xx), as `fuzz` does, "
        "to see what they do to a record; the findings are printed first, on standard error"),
    )  # fmt: skip
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    # The language is known before the parser is built: its help and usage errors speak it.
    language: Lang = clitext.asked_lang(argv) or default_lang()
    with clitext.speaking(language):
        parser = _parser(language)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit_:  # argparse already printed usage or help
            return _flushed(language) if exit_.code in (0, None) else CANNOT
        except OSError as error:  # the help could not be written
            return _unwritten(error, language)
    from typing import TextIO, cast

    from pingfen.errors import DataError, EmptyDomain, InternalError, OutputError, PingfenError, RubricError, UsageError
    from pingfen.terminal import Printable

    # Messages and tables show control characters from data escaped (`\x1b`); output that
    # goes to a file or a pipe through standard output keeps its bytes.
    # (Printable is a TextIO by delegation: what it does not define, the stream beneath gives.)
    lang: Lang = args.lang or language
    # A standard stream closed before pingfen started (`>&-`) is None in Python: output to it
    # is a write error, as to any file that cannot take it; messages to a closed error stream are lost.
    out = out or sys.stdout or cast(TextIO, _Closed("标准输出" if lang == "zh" else "standard output"))
    out = cast(TextIO, Printable(out)) if _is_terminal(out) else out
    err = cast(TextIO, Printable(err or sys.stderr or io.StringIO()))
    if args.command is None:
        with clitext.speaking(language):
            parser.print_help(out)
        return CANNOT
    from pingfen.io.guard import inputs_guarded
    from pingfen.io.write import Interrupted, interruptible, refuse_folder_name, refuse_inputs

    # openpyxl's warnings about a workbook (an extension it drops, no default style, a date
    # out of range) are English, name its own source lines, and leave nothing to do
    warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")

    if getattr(args, "output", None) == "-":  # the usual spelling of standard output, not a file named "-"
        args.output = None
    try:
        # An output that is an input would be destroyed: refuse before anything is read or written.
        inputs = [getattr(args, n, None) for n in ("ruleset", "data", "table")]
        refuse_inputs(getattr(args, "output", None), inputs)
        if getattr(args, "output", None) is not None and args.command != "report":  # report -o 报告/ is a folder of reports
            refuse_folder_name(args.output, inputs)  # `-o 结果/` for one file: PF704 whatever format or writer follows
        _swapped(args)
        # no output replaces a file the command read on the way (a base its rule file extends);
        # fmt rewrites what it read, serve saves what it opened, lsp writes nothing
        guarded = nullcontext() if args.command in ("check", "fmt", "serve", "lsp") else inputs_guarded()
        with interruptible(), guarded:  # SIGTERM, SIGHUP: unwind, so that temporary files are removed
            if args.command == "check":
                return _check(args.files, args.format, args.strict, lang, out, err)
            if args.command in _AUTHORING:
                return _AUTHORING[args.command](args, lang, out, err)
            return _COMMANDS[args.command](args, lang, out, err)
    except (KeyboardInterrupt, Interrupted) as stop:  # the writers removed their partial files on the way out
        print("pingfen: 已中断" if lang == "zh" else "pingfen: interrupted", file=err)
        return 128 + stop.signum if isinstance(stop, Interrupted) else INTERRUPTED
    except OutputError as error:
        print(error.render(lang), file=err)
        return CANNOT
    except UsageError as usage:
        print(f"pingfen {args.command}: {usage.message(lang)}", file=err)
        return CANNOT
    except RubricError as error:
        print(error.render(lang), file=err)
        return CANNOT
    except DataError as error:
        print(error.render(lang), file=err)
        return CANNOT
    except InternalError as error:  # a bug pingfen caught in itself: reported as any other bug
        return _internal(error, err)
    except EmptyDomain as error:  # records drawn for an input that can take no value
        print(f"pingfen {args.command}{'：' if lang == 'zh' else ': '}{error.message(lang)}", file=err)
        return CANNOT
    except PingfenError as error:  # pragma: no cover - every PingfenError is one of the above
        print(f"pingfen: {error}", file=err)
        return CANNOT
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return NO
    except OSError as error:
        from pingfen.oserrors import reason

        if (rule := _rule_file(args, error)) is not None:  # PF010: every command that reads a rule file alike
            from pingfen.loader import unreadable

            print(unreadable(rule, error).render(lang), file=err)
            return CANNOT

        colon = "：" if lang == "zh" else ": "
        print(f"pingfen{colon}{reason(error, lang)}{colon}{error.filename or ''}".rstrip(colon), file=err)
        return CANNOT
    except Exception as error:
        return _internal(error, err)


_DATA_SUFFIXES = (".json", ".yaml", ".yml", ".csv", ".xlsx", ".xlsm", ".jsonl", ".ndjson")


def _swapped(args: argparse.Namespace) -> None:
    """The data file given first and the rule file second (`pingfen eval 数据.yaml 评分表.rule`):
    said so, rather than the data's first line refused as rule text (PF002)."""
    rule, data = getattr(args, "ruleset", None), getattr(args, "data", None) or getattr(args, "filled", None)
    if not (isinstance(rule, str) and isinstance(data, str)):
        return
    if rule.lower().endswith(_DATA_SUFFIXES) and data.lower().endswith(".rule"):
        from pingfen.errors import UsageError

        raise UsageError(
            f"the rule file goes first: `{data}`, then `{rule}`",
            f"规则文件应写在数据文件之前：先写 `{data}`，再写 `{rule}`",
        )


def _flushed(lang: Lang) -> int:
    """OK once the help argparse printed has reached standard output; a device that is full
    (`pingfen --help > /dev/full`) is a write error, as for every other command's output."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as error:
        return _unwritten(error, lang)
    return OK


def _unwritten(error: OSError, lang: Lang) -> int:
    from pingfen.oserrors import reason

    if sys.stderr is not None:
        print(f"pingfen{'：' if lang == 'zh' else ': '}{reason(error, lang)}", file=sys.stderr)
    return CANNOT


class _Closed(io.TextIOBase):
    """A standard stream that was closed when pingfen started: writing to it fails as writing
    to a closed descriptor does (EBADF), named, and is reported like any write error."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF), self.name)


def _internal(error: Exception, err: TextIO) -> int:
    if os.environ.get("PINGFEN_DEBUG"):
        raise error
    print(f"pingfen: internal error: {error!r}; please report it (PINGFEN_DEBUG=1 shows the traceback)", file=err)
    return CANNOT


def _rule_file(args: argparse.Namespace, error: OSError) -> str | None:
    """The rule file of the command that `error` is about, if it is about one."""
    named = {getattr(args, n, None) for n in ("ruleset", "old", "new")} - {None}
    filename = os.fsdecode(error.filename) if isinstance(error.filename, (str, bytes, os.PathLike)) else None
    return filename if filename in named else None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _check(files: list[str], fmt: str, strict: bool, lang: Lang, out: TextIO, err: TextIO) -> int:
    from pingfen.errors import RubricError
    from pingfen.loader import as_parsed, diagnose, read_rule
    from pingfen.syntax.scan import MAX_CHARS

    checked = []
    unreadable = False
    for name in files:
        try:
            text = read_rule(name)
        except OSError as error:  # PF010: on standard error, and a finding for tools (JSON, SARIF)
            from pingfen.loader import unreadable as cannot_read

            unreadable, diagnostics = True, [cannot_read(name, error)]
            if fmt == "text":
                print(diagnostics[0].render(lang), file=err)
                continue
        except RubricError as error:  # not UTF-8 (PF006): reported as a finding, and exit 2
            diagnostics, unreadable = error.diagnostics, True
        else:
            diagnostics = diagnose(text, name)
            # longer than a rule file may be: exit 2, as a file too large to read (PF008 by its size);
            # by this file's own text, counted as the loader counts: a base too long is a finding (exit 1)
            unreadable = unreadable or len(as_parsed(text)) > MAX_CHARS
        checked.append((name, diagnostics))
        if fmt == "text":
            for d in diagnostics:
                print(d.render(lang) + "\n", file=out)
            print(_summary(name, diagnostics, strict, lang), file=out)
    if fmt in ("json", "sarif"):
        from pingfen.report.findings import to_json, to_sarif
        from pingfen.result import dumps

        found = to_json(checked, lang) if fmt == "json" else to_sarif(checked, pingfen.__version__, lang)
        print(dumps(found), file=out)
    failing = any(_fails(d, strict) for _, found in checked for d in found)
    return CANNOT if unreadable else NO if failing else OK


def _fails(d: Diagnostic, strict: bool) -> bool:
    return strict or d.severity == "error"


def _summary(name: str, diagnostics: list[Diagnostic], strict: bool, lang: Lang) -> str:
    count = {s: sum(d.severity == s for d in diagnostics) for s in ("error", "warning", "note")}
    failed = any(_fails(d, strict) for d in diagnostics)
    if lang == "zh":
        verdict = "未通过" if failed else "通过"
        return f"{name}：{verdict}（{count['error']} 个错误，{count['warning']} 个警告，{count['note']} 个提示）"
    parts = ", ".join(f"{n} {s}{'s' * (n != 1)}" for s, n in count.items())
    return f"{name}: {'failed' if failed else 'ok'} ({parts})"


def _table(result: Result, lang: Lang, unit: str | None = None) -> str:
    from pingfen.report import render_table

    return render_table(result, lang, unit)


# The extension of every format a pingfen command writes, and of Excel's old one: -o naming one
# of these takes that format, and no other (a `--format docx -o 评分表.xlsx` was a Word file
# that Excel called broken). Any other extension (`.txt`) goes with whatever --format says.
_NAMED = {".csv": "csv", ".xlsx": "xlsx", ".xls": "xls", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
          ".yaml": "yaml", ".yml": "yaml", ".md": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}  # fmt: skip


# What a name with a format's extension looks like (PF706 for `import -o 今年.xlsx`): the formats
# pingfen writes, and the office files (Microsoft's, WPS's, OpenDocument's) a draft must never replace.
_WORKBOOK, _DOCUMENT = ("a workbook", "工作簿"), ("a document", "文档")
_KINDS = {"xlsx": _WORKBOOK, "xls": _WORKBOOK, "docx": _DOCUMENT,
          "pdf": _DOCUMENT, "md": _DOCUMENT, "html": ("a web page", "网页"),
          "csv": ("a data file", "数据文件"), "jsonl": ("a data file", "数据文件"), "json": ("a data file", "数据文件"),
          "yaml": ("a data file", "数据文件"),
          **dict.fromkeys(("xlsm", "xlsb", "xltx", "xltm", "et", "ett", "ods"), _WORKBOOK),
          **dict.fromkeys(("doc", "docm", "dotx", "dot", "wps", "wpt", "rtf", "odt"), _DOCUMENT)}  # fmt: skip
# The names a draft may take: a rule file's, a text file's, none.
_DRAFT_SUFFIXES = frozenset({".rule", ".txt", ""})


def _format(explicit: str | None, output: str | None, suffixes: dict[str, str], default: str) -> str:
    """--format, else the format -o's extension names, else `default` (no -o, or a name with no
    extension). An extension the command does not write is PF706, never another format under
    that name (`-o 填报.xls` wrote YAML); --format naming another format than the extension does is PF708."""
    suffix = os.path.splitext(output)[1].lower() if output is not None else ""
    if explicit is not None:
        if _NAMED.get(suffix, explicit) != explicit:
            _mismatch(explicit, output, suffix, suffixes)
        return explicit
    if not suffix:
        return default
    if suffix not in suffixes:
        from pingfen.errors import OutputError

        assert output is not None
        known = sorted(suffixes)
        hint = "xls_suffix" if suffix == ".xls" and ".xlsx" in suffixes else "output_suffix"
        said = {"reason": f"this command writes {', '.join(known)}, not `{suffix}`", "reason_zh": f"本命令可写出 {'、'.join(known)}，不能写出 `{suffix}`"}
        raise OutputError("PF706", output, said, hint)
    return suffixes[suffix]


def _mismatch(explicit: str, output: str | None, suffix: str, suffixes: dict[str, str]) -> None:
    """PF708: -o's extension names one format and --format another; the hint says which name
    the format takes, and that leaving --format out writes what the name says if the command can."""
    from pingfen.errors import OutputError

    assert output is not None
    named = _NAMED[suffix]
    wanted = next((s for s, f in suffixes.items() if f == explicit), ".txt")  # `--format table`: plain text
    values = {"suffix": suffix, "named": named, "format": explicit, "wanted": wanted}
    raise OutputError("PF708", output, values, "format_suffix_either" if suffix in suffixes else "format_suffix")


def _needs_file(fmt: str, output: str | None) -> None:
    if fmt == "xlsx" and output is None:
        from pingfen.errors import UsageError

        raise UsageError("xlsx output needs a file name: add -o FILE.xlsx", "xlsx 格式须写入文件：请加 -o 文件名.xlsx")


def _eval(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from pingfen.io.tables import is_table

    if args.engine == "duckdb":
        if not _has("duckdb", "duckdb", "eval --engine duckdb", lang, err):
            return CANNOT
        return _eval_duckdb(args, lang, err)
    if args.reasons:
        from pingfen.errors import UsageError
        from pingfen.messages import message

        raise UsageError(f"PF816: {message('PF816', 'en', {})}", f"PF816: {message('PF816', 'zh', {})}")
    batch = is_table(args.data)
    suffixes = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
    fmt = _format(args.format, args.output, suffixes, "csv" if batch else "table")
    _needs_file(fmt, args.output)
    rubric = _unsound(args.ruleset, lang, err) if args.allow_unsound else _scoring(args.ruleset, lang, err)
    if not batch and fmt in ("table", "json"):
        from pingfen.io.records import read_department

        # its id read as a batch's row's is (a list refused, PF508; `id\u200b` PF528), and named
        department, record = read_department(args.data, id_column=args.id_column)
        result = rubric.evaluate(record, lang=lang, record=department)
        text = result.to_json(lang) if fmt == "json" else _table(result, lang, department)
        if args.output is None:
            print(text, file=out)
        else:
            from pingfen.io.write import write_text

            write_text(args.output, text + "\n")
        return OK
    if fmt == "table":
        from pingfen.errors import UsageError

        raise UsageError(
            "table output is for one record; a batch file is written as csv, xlsx, jsonl or json",
            "table 格式只用于单条记录；批量文件请输出为 csv、xlsx、jsonl 或 json",
        )
    from pingfen.batch import score_file

    if args.jobs is not None and args.jobs < 1:
        from pingfen.errors import UsageError

        raise UsageError("--jobs takes a number of processes, 1 or more", "--jobs 须为进程数，至少为 1")
    summary = score_file(
        rubric, args.data, args.output, fmt, lang=lang, encoding=args.encoding, id_column=args.id_column,
        out=out, progress=getattr(err, "raw", err), jobs=args.jobs,  # the bar draws itself with carriage returns
    )  # fmt: skip
    for line in summary.describe(args.data, lang):
        print(line, file=err)
    return OK if summary.ok else NO


def _eval_duckdb(args: argparse.Namespace, lang: Lang, err: TextIO) -> int:
    from pingfen.engine import score_with_duckdb
    from pingfen.sql import SqlRefusal

    # The engine writes every column of the file through (an id too) in the format -o names:
    # an option of the Python path would be ignored, silently (--id-column nonesuch said nothing).
    ignored = [flag for flag, given in (("--id-column", args.id_column), ("--format", args.format), ("--jobs", args.jobs))
               if given is not None]  # fmt: skip
    if ignored:
        from pingfen.errors import UsageError

        flags = " ".join(ignored)
        raise UsageError(f"{flags}: only without --engine duckdb, which writes every column of the file through, in the format "
                         "of -o's extension, on its own threads",
                         f"{flags} 只用于不加 --engine duckdb 的评分：DuckDB 原样写出文件的各列，按 -o 的扩展名选择格式，并自行多线程运行")  # fmt: skip
    rubric = _unsound(args.ruleset, lang, err) if args.allow_unsound else _scoring(args.ruleset, lang, err)
    try:
        scored = score_with_duckdb(rubric, args.data, args.output, ruleset=args.ruleset, lang=lang, progress=getattr(err, "raw", err),
                                   reasons=args.reasons, encoding=args.encoding)  # fmt: skip
    except SqlRefusal as refused:  # a form the query does not translate: in the reader's language
        print(f"pingfen eval: {refused.code}: {refused.message(lang)}", file=err)
        return CANNOT
    for warning in scored.warnings(lang):
        print(f"pingfen eval: {warning}", file=err)
    print(scored.describe(lang), file=err)
    return OK if not scored.refused else NO


def _unsound(ruleset: str, lang: Lang, err: TextIO) -> Rubric:
    """The rubric despite its soundness errors (PF4xx), which are printed first with its
    warnings; it then scores records and batch files, to any output, exactly as a sound one does."""
    from pingfen.loader import loads_unsound, read_rule

    rubric, diagnostics = loads_unsound(read_rule(ruleset), ruleset)
    for d in diagnostics:
        if d.severity in ("error", "warning"):
            print(d.render(lang) + "\n", file=err)
    return rubric


def _scoring(ruleset: str, lang: Lang, err: TextIO) -> Rubric:
    """The rubric a command scores with, its warnings printed first as `check` prints them:
    a likely mistake (a grade no total gets, PF412) must not pass unseen by whoever skips
    `check`. Once per run whatever the batch's size, so each is shown in full, line and hint.
    Notes stay silent: they are remarks, not likely mistakes."""
    rubric = pingfen.load(ruleset, tests=False)
    _warn(rubric, lang, err)
    return rubric


def _warn(rubric: Rubric, lang: Lang, err: TextIO) -> None:
    for d in rubric.warnings:  # the checker's findings, re-derived on every load (the cache keeps trees only)
        if d.severity == "warning":
            print(d.render(lang) + "\n", file=err)


def _template(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from pingfen.template import write_template

    fmt = _format(args.format, args.output, {".xlsx": "xlsx", ".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}, "yaml")
    _needs_file(fmt, args.output)
    write_template(pingfen.load(args.ruleset, tests=False), fmt, args.output, lang=lang, out=out)
    return OK


def _report(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from pingfen.batch import report_file
    from pingfen.io.write import folder_form

    filing = _filing(args)
    output = args.output
    if output is not None and (folder_form(output) is not None or os.path.isdir(output)):
        return _report_folder(args, filing, lang, err)
    suffixes = {".md": "md", ".html": "html", ".htm": "html", ".xlsx": "xlsx", ".docx": "docx", ".pdf": "pdf"}
    fmt = _format(args.format, output, suffixes, "md")
    if fmt in ("xlsx", "docx", "pdf") and output is None:
        from pingfen.errors import UsageError

        raise UsageError(f"{fmt} output needs a file name: add -o FILE.{fmt}", f"{fmt} 格式须写入文件：请加 -o 文件名.{fmt}")
    report_file(
        _scoring(args.ruleset, lang, err), args.data, fmt, output, lang=lang, id=args.id,
        encoding=args.encoding, id_column=args.id_column, out=out, filing=filing,
    )  # fmt: skip
    return OK


def _filing(args: argparse.Namespace) -> Filing:
    """--year, --unit and --date as a report's Filing; the date is today's unless given."""
    import datetime
    import re

    from pingfen.errors import UsageError
    from pingfen.report.filing import _DATE, Filing, parse_date

    year = None
    if args.year is not None:
        found = re.fullmatch(r"\s*(\d{4})\s*(?:年度?)?\s*", args.year)
        if found is None:
            raise UsageError(f"--year {args.year!r}: give the year as four digits, such as 2021",
                             f"--year {args.year!r}：年度请写四位数字，如 2021")  # fmt: skip
        year = int(found.group(1))
        if not 1900 <= year <= 2100:  # `--year 0000` filed a report of "0年度"
            raise UsageError(f"--year {args.year!r}: no fiscal year a report is filed for; give one such as 2021",
                             f"--year {args.year!r}：不是可归档报告的年度；请写如 2021 的年度")  # fmt: skip
    date = datetime.date.today()
    if args.date is not None:
        parsed = parse_date(args.date)
        if parsed is None and (day := _DATE.fullmatch(args.date)) is not None:  # written well: no such day
            year_, month, dom = (int(g) for g in day.groups())
            if not 1 <= month <= 12:
                raise UsageError(f"--date {args.date!r}: there is no such day (a year has no month {month})",
                                 f"--date {args.date!r}：日历上没有这一天（一年没有 {month} 月）")  # fmt: skip
            raise UsageError(f"--date {args.date!r}: there is no such day ({year_}-{month:02}-{dom:02} is not in the calendar)",
                             f"--date {args.date!r}：日历上没有这一天（{year_} 年 {month} 月没有 {dom} 日）")  # fmt: skip
        if parsed is None:
            raise UsageError(f"--date {args.date!r}: give a date such as 2026-11-30 or 2026年11月30日",
                             f"--date {args.date!r}：日期请写成 2026-11-30 或 2026年11月30日 这样的形式")  # fmt: skip
        date = parsed
    return Filing(year=year, unit=args.unit, date=date)


def _report_folder(args: argparse.Namespace, filing: Filing, lang: Lang, err: TextIO) -> int:
    from pingfen.batchreport import report_folder
    from pingfen.errors import UsageError

    if args.id is not None or args.unit is not None:
        option = "--id" if args.id is not None else "--unit"
        raise UsageError(f"{option} names one unit, but -o {args.output} is a folder for every row: "
                         f"give -o FILE for one report", f"{option} 指定一个单位，而 -o {args.output} 是为每一行"
                         f"生成报告的文件夹：只要一份报告时请用 -o 文件名")  # fmt: skip
    written = report_folder(
        _scoring(args.ruleset, lang, err), args.data, args.output, args.format or "docx", lang=lang,
        filing=filing, encoding=args.encoding, id_column=args.id_column,
        progress=getattr(err, "raw", err), inputs=[args.ruleset],  # the bar draws itself with carriage returns
    )  # fmt: skip
    for line in written.summary.describe(args.data, lang):
        print(line, file=err)
    print(f"已写入 {written.reports} 份报告和 {written.summary_path}" if lang == "zh"
          else f"wrote {counted(str(written.reports), 'report')} and {written.summary_path}", file=err)  # fmt: skip
    return OK if written.summary.ok else NO


def _audit(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from pingfen.audit import audit_file
    from pingfen.report.audit import render_audit
    from pingfen.result import dumps

    found = audit_file(_scoring(args.ruleset, lang, err), args.filled, lang=lang, id=args.id)
    print(dumps(found.to_dict()) if args.format == "json" else render_audit(found, lang), file=out)
    return OK if found.ok else NO


def _render(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from pingfen.render import SUFFIXES, render_table

    fmt = _format(args.format, args.output, SUFFIXES, "md")
    if fmt in ("docx", "xlsx") and args.output is None:
        from pingfen.errors import UsageError

        raise UsageError(f"{fmt} output needs a file name: add -o FILE.{fmt}", f"{fmt} 格式须写入文件：请加 -o 文件名.{fmt}")
    render_table(pingfen.load(args.ruleset, tests=False), fmt, args.output, lang=lang, out=out)
    return OK


def _sql(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from pingfen.messages import message
    from pingfen.sql import SqlRefusal, to_sql

    try:
        keep = [name.strip() for name in args.keep.split(",")] if args.keep is not None else None  # `id, 单位`: no column ` 单位`
        print(to_sql(pingfen.load(args.ruleset, tests=False), args.dialect, args.table, reasons=not args.no_reasons, keep=keep) + ";", file=out)
    except SqlRefusal as refused:
        print(f"pingfen sql: {refused.code}: {refused.message(lang)}", file=err)
        return CANNOT
    if args.dialect == "spark":  # exact only with the session settings pingfen.spark.EXACT_CONF
        print(f"pingfen sql: PF830: {message('PF830', lang, {})}", file=err)
    return OK


def _import(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from pingfen.importer import import_table

    suffix = os.path.splitext(args.output or "")[1]
    if suffix.lower() not in _DRAFT_SUFFIXES:  # `-o 今年.xlsx`, `-o 去年.doc` wrote rule text over the file there
        from pingfen.errors import OutputError

        kind = _KINDS.get(_NAMED.get(suffix.lower(), suffix.lower().lstrip(".")))
        en, zh = (f"is the extension of {kind[0]}", f"是{kind[1]}的扩展名") if kind else ("is not a rule file's extension", "不是规则文件的扩展名")
        said = {"reason": f"pingfen import writes a rule file's text, and `{suffix}` {en}",
                "reason_zh": f"pingfen import 写出的是规则文件的文本，而 `{suffix}` {zh}"}  # fmt: skip
        assert args.output is not None
        raise OutputError("PF706", args.output, {**said, "rule": os.path.splitext(args.output)[0] + ".rule"}, "rule_suffix")
    imported = import_table(args.table, lang)
    if args.output is None:
        print(imported.text, end="", file=out)
    else:
        from pingfen.io.write import write_text

        write_text(args.output, imported.text)
    for line in imported.summary(lang):
        print(line, file=err)
    return OK if imported.recognised == len(imported.rows) else NO




def _add_diff_command(
    commands: argparse._SubParsersAction[_Parser],
    parents: list[_Parser],
    t: Callable[[str], str],
    layout: type[argparse.HelpFormatter],
) -> None:
    df = commands.add_parser(
        "diff", parents=parents, formatter_class=layout, help=t("compare two versions of a rubric, and who they score differently"),
        description=t("Compare two versions of a rubric by meaning, not by text: rows added, removed, moved or "
        "renamed; maxima; each rule's thresholds, rates, step counting, bands and arms; inputs and their types "
        "and bounds; the total, rounding and grades. With --replay, score every record of DATA under both and "
        "list the units whose total or grade changes, with the rows that caused it, and the units one version "
        "cannot score. Exit 0 when the versions do not differ (with --replay: when no unit changes grade and "
        "both versions score the same units, at least one), 1 when they do, 2 when a file cannot be read or a rule "
        "file has errors."),
    )  # fmt: skip
    df.add_argument("old", metavar="OLD", help=t("the earlier .rule file"))
    df.add_argument("new", metavar="NEW", help=t("the later .rule file"))
    df.add_argument(
        "--replay", metavar="DATA",
        help=t("score the records of DATA (a .json/.yaml record, or a .csv/.xlsx/.jsonl batch file) under both"),
    )  # fmt: skip
    df.add_argument("--format", choices=("text", "json"), default="text", help=t("text (default) or json"))


def _diff(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from pingfen.diff import diff
    from pingfen.diffview import render_diff, render_replay, to_json
    from pingfen.overrides import extension

    old, new = pingfen.load(args.old, tests=False), pingfen.load(args.new, tests=False)
    found = diff(old, new)
    extensions = tuple(e for e in (extension(old), extension(new)) if e is not None)
    replayed = None
    if args.replay is not None:  # both score the records: each says its warnings (a file given twice, once)
        from pingfen.replay import replay_file

        for rubric in (old, new) if args.old != args.new else (new,):
            _warn(rubric, lang, err)
        replayed = replay_file(
            old, new, args.replay, lang=lang, encoding=args.encoding, id_column=args.id_column,
            progress=getattr(err, "raw", err),  # the bar draws itself with carriage returns
        )  # fmt: skip
    if args.format == "json":
        from pingfen.result import dumps

        print(dumps(to_json(found, args.old, args.new, replayed, lang, extensions)), file=out)
    else:
        print(render_diff(found, args.old, args.new, lang, extensions), file=out)
        if replayed is not None:
            print("\n" + render_replay(replayed, args.replay, lang), file=out)
    if replayed is not None:  # a replay that scored no unit compared nothing: no "no change" (OK) for a check
        return NO if replayed.grades_differ or replayed.compared_none else OK
    return OK if found.empty else NO


def _lsp(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    try:
        from pingfen.editor.server import serve
    except ImportError:  # pygls is the extra `lsp`
        print("pingfen lsp: 需要 pygls（pip install 'pingfen[lsp]'）" if lang == "zh"
              else "pingfen lsp: needs pygls (pip install 'pingfen[lsp]')", file=err)  # fmt: skip
        return CANNOT
    serve(lang)
    return OK


_COMMANDS = {
    "eval": _eval, "template": _template, "report": _report, "audit": _audit,
    "render": _render, "import": _import, "diff": _diff, "lsp": _lsp, "sql": _sql,
}

# ---------------------------------------------------------------- authoring: fmt, test, fuzz


def _add_authoring_commands(
    commands: argparse._SubParsersAction[_Parser],
    lang: _Parser,
    t: Callable[[str], str],
    layout: type[argparse.HelpFormatter],
) -> None:
    fmt = commands.add_parser(
        "fmt", parents=[lang], formatter_class=layout, help=t("format rule files in the one canonical layout"),
        description=t("Rewrite .rule files in the canonical layout (docs/format.md): ASCII forms, two-space "
        "indentation, aligned columns, comments kept. A .md file has its ```rule blocks formatted; `-` reads "
        "standard input and writes standard output. Exit 0 when done (with --check: when nothing would "
        "change), 1 when --check finds a file to reformat, 2 when a file cannot be read or parsed."),
    )  # fmt: skip
    fmt.add_argument("files", nargs="+", metavar="FILE", help=t(".rule or .md files, or - for standard input"))
    fmt.add_argument("--check", action="store_true", help=t("change nothing; exit 1 if a file is not formatted"))
    fmt.add_argument("--diff", action="store_true", help=t("change nothing; print what would change as a diff"))

    test = commands.add_parser(
        "test", parents=[lang], formatter_class=layout, help=t("run the examples written in rule files"),
        description=t("Run every `example` of each rule file: score its record and compare with what it expects. "
        "A failure shows the example, the indicator, the expected and the actual score, and the actual reasons. "
        "--coverage reports which bands, arms, checklist items, deduction branches, clamps and grades the "
        "examples exercised. Exit 0 when every example passes (and coverage reaches --fail-under), 1 otherwise, "
        "2 when a file cannot be read or loaded."),
    )  # fmt: skip
    test.add_argument("files", nargs="+", metavar="FILE", help=t("rule files"))
    test.add_argument("--coverage", action="store_true", help=t("report the branches the examples exercised"))
    test.add_argument("--format", choices=("text", "json"), default="text", help=t("text (default) or json"))
    test.add_argument(
        "--fail-under", default=None, metavar="PCT",
        help=t("with --coverage: exit 1 when the total coverage is below PCT percent"),
    )  # fmt: skip

    fuzz = commands.add_parser(
        "fuzz", parents=[lang], formatter_class=layout, help=t("test a rubric over generated records"),
        description=t("Score generated records (at and beside every threshold of the rubric, then across the "
        "declared domains) and check that none is refused or crashes, every score lies in [0, max], groups add "
        "up, the total is rounded as declared, the grade matches the total, and every `property` holds. A "
        "failure is shrunk and printed as a YAML data file that `pingfen eval` accepts, and as an `example` "
        "block to paste into the rule file. A rubric whose only "
        "errors are soundness findings (PF4xx) is fuzzed anyway, with the findings shown. Exit 0 when every "
        "check holds, 1 when one fails, 2 when the rubric cannot be loaded. Needs hypothesis "
        "(pip install pingfen[testing])."),
    )  # fmt: skip
    fuzz.add_argument("ruleset", metavar="RULESET", help=t("the .rule file"))
    fuzz.add_argument(
        "--max-examples", type=int, default=None, metavar="N",
        help=t("records per search (default 200; each failing check starts a new search)"),
    )  # fmt: skip
    fuzz.add_argument(
        "--seed", type=int, default=0, metavar="S", help=t("the random seed (default 0): same seed, same run")
    )
    fuzz.add_argument("--save", metavar="DIR", help=t("also write each counterexample to DIR/counterexample-N.yaml"))


def _fmt(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    import difflib

    from pingfen.diagnostics import Source
    from pingfen.errors import RubricError
    from pingfen.io.write import LineStyle, write_text
    from pingfen.loader import decode_rule, read_rule_styled
    from pingfen.syntax.formatter import FormatError, format_markdown, format_text

    changed, failed = [], False
    for name in args.files:
        # A file is written back with its own line ends and BOM, both from the read that gives its text
        # (a Markdown file's blocks keep the line ends of their fences); standard output gets LF lines,
        # as the platform writes text.
        style = LineStyle()
        try:
            if name != "-":
                text, style = read_rule_styled(name)
            elif hasattr(sys.stdin, "buffer"):
                text = decode_rule(sys.stdin.buffer.read(), "<stdin>")
            else:
                text = sys.stdin.read()
        except OSError as error:
            from pingfen.loader import unreadable

            print(unreadable(name, error).render(lang), file=err)
            failed = True
            continue
        except RubricError as error:  # not UTF-8 (PF006)
            print(error.render(lang), file=err)
            failed = True
            continue
        try:
            formatted = format_markdown(text) if name.endswith(".md") else style.lines(format_text(text))
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
            write_text(name, formatted, bom=style.bom)  # atomically: a failed write leaves the file as it was
            print(f"{'已格式化' if lang == 'zh' else 'reformatted'} {name}", file=err)
    if failed:
        return CANNOT
    return NO if args.check and changed else OK


def _test(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from decimal import Decimal

    from pingfen.coverage import render_text, to_json
    from pingfen.errors import RubricError, UsageError
    from pingfen.result import dumps
    from pingfen.testrun import render_failures, run_examples, summary
    from pingfen.values import number_text

    least = None if args.fail_under is None else number_text(args.fail_under.removesuffix("%"))
    if args.fail_under is not None and (least is None or not 0 <= least <= 100):
        raise UsageError("--fail-under takes a percentage from 0 to 100", "--fail-under 须为 0 到 100 之间的百分数")
    runs = []
    listed: list[dict[str, object]] = []  # each file, in order, for --format json
    cannot = False
    for name in args.files:
        try:
            rubric = pingfen.load(name)
        except (RubricError, OSError) as error:  # not UTF-8 (PF006) among them
            cannot = True
            if args.format == "json":  # its findings in the JSON, as `check --format json` gives them
                listed.append(_unloaded_json(name, error, lang))
            elif isinstance(error, RubricError):
                print(error.render(lang), file=err)
            else:
                from pingfen.loader import unreadable

                print(unreadable(name, error).render(lang), file=err)
            continue
        run = run_examples(rubric, coverage=args.coverage or args.fail_under is not None, lang=lang)
        runs.append(run)
        if args.format == "json":
            listed.append(_run_json(run, lang))
        else:
            failures = render_failures(run, lang)
            if failures:
                print(failures, file=out)
            print(summary(run, lang), file=out)
    coverages = [r.coverage for r in runs if r.coverage is not None]
    if args.format == "json":
        report: dict[str, object] = {"files": listed}
        if coverages:
            report["coverage"] = to_json(coverages, lang)
        print(dumps(report), file=out)
    elif args.coverage and coverages:
        print("\n" + render_text(coverages, lang), file=out)
    if cannot:
        return CANNOT
    if any(not r.passed for r in runs):
        return NO
    if args.fail_under is not None and coverages:
        taken = sum(c.covered()[0] for c in coverages)
        total = sum(c.covered()[1] for c in coverages)
        if total and least is not None and Decimal(taken) * 100 < least * total:
            below = f"{taken}/{total}", f"{least}%"
            print(f"pingfen：覆盖率 {below[0]} 低于 {below[1]}" if lang == "zh"
                  else f"pingfen: coverage {below[0]} is below {below[1]}", file=err)  # fmt: skip
            return NO
    return OK


def _unloaded_json(name: str, error: Exception, lang: Lang) -> dict[str, object]:
    """A file `test` could not load, as JSON: no examples run, and why, each finding as `check
    --format json` gives it (a file that cannot be read, PF010, with null positions)."""
    from pingfen.errors import RubricError
    from pingfen.loader import unreadable
    from pingfen.report.findings import to_json

    assert isinstance(error, (RubricError, OSError))
    found = error.diagnostics if isinstance(error, RubricError) else [unreadable(name, error)]
    return {"file": name, "passed": False, "examples": [], "diagnostics": to_json([(name, found)], lang)["diagnostics"]}


def _run_json(run: object, lang: Lang) -> dict[str, object]:
    from pingfen.testrun import TestRun

    assert isinstance(run, TestRun)
    return {
        "file": run.rubric.source.path,
        "passed": run.passed,
        "examples": [
            {
                "name": o.example.name,
                "line": o.example.span.line,
                "passed": o.passed,
                "failures": [
                    {
                        "line": f.expectation.span.line if f.expectation is not None else o.example.span.line,
                        "node": f.node,
                        "expected": f.expected,
                        "actual": f.value if f.value is not None else f.actual,  # the value alone (docs/testing.md)
                        "reasons": list(f.reasons),
                        "vetoes": [v.to_dict(lang) for v in f.vetoes],  # as the text names them
                    }
                    for f in o.failures
                ],  # fmt: skip
            }
            for o in run.outcomes
        ],
        "diagnostics": [],  # it loaded: nothing kept it from running (`_unloaded_json`)
    }


def _fuzz(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    import importlib

    try:
        fuzzing = importlib.import_module("pingfen.fuzz")
    except ImportError:  # hypothesis is an optional dependency
        print("pingfen：`fuzz` 需要 hypothesis：pip install 'pingfen[testing]'" if lang == "zh"
              else "pingfen: `fuzz` needs hypothesis: pip install 'pingfen[testing]'", file=err)  # fmt: skip
        return CANNOT
    from pingfen.errors import EmptyDomain, OutputError
    from pingfen.loader import loads_unsound, read_rule

    rubric, diagnostics = loads_unsound(read_rule(args.ruleset), args.ruleset)
    findings = [d for d in diagnostics if d.severity == "error"]
    max_examples = args.max_examples if args.max_examples is not None else fuzzing.DEFAULT_MAX_EXAMPLES
    if max_examples < 1:
        print("pingfen：--max-examples 至少为 1" if lang == "zh" else "pingfen: --max-examples must be at least 1", file=err)
        return CANNOT
    from pingfen.io.write import refuse_inputs, writable_folder, write_text

    # Said before the search, which may take minutes, and not after it (exit 2 over 1); the
    # folder is made only when there is something to write into it.
    folder = writable_folder(args.save) if args.save else None
    try:
        report = fuzzing.fuzz(rubric, max_examples=max_examples, seed=args.seed, findings=findings, lang=lang)
    except EmptyDomain as error:  # an input whose domain holds no value: the checker's finding, then why no fuzz
        for d in findings:
            print(d.render(lang) + "\n", file=err)
        print(("pingfen fuzz：" if lang == "zh" else "pingfen fuzz: ") + error.message(lang), file=err)
        return CANNOT
    print(fuzzing.render(report, lang), file=out)
    saved = fuzzing.counterexample_files(report) if folder is not None else {}
    if folder is not None and saved:
        from pingfen.oserrors import OSReason

        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError("PF704", str(folder), {"reason": OSReason.of(error)}) from None
        for name, yaml_text in saved.items():
            refuse_inputs(folder / name, [args.ruleset])
            write_text(folder / name, yaml_text)
    return OK if report.passed else NO


def _add_serve_command(
    commands: argparse._SubParsersAction[_Parser],
    lang: _Parser,
    t: Callable[[str], str],
    layout: type[argparse.HelpFormatter],
) -> None:
    sv = commands.add_parser(
        "serve", parents=[lang], formatter_class=layout, help=t("open the workbench: a web page to write, check and try rubrics"),
        description=t("Open the workbench in the browser: a local web page over the .rule and data files of FOLDER "
        "(default: the current one). Edit a rule file with live diagnostics and save it; see the official table, "
        "a form that scores as you type, the examples, coverage and fuzz; upload a CSV/XLSX batch and download "
        "the results, the reports and a data-entry template. It listens on 127.0.0.1 only, on a free port, and "
        "every request needs the random token in the printed address; nothing outside FOLDER is read or written. "
        "Stop it with Ctrl-C. Needs the serve extra (pip install 'pingfen[serve]')."),
    )  # fmt: skip
    sv.add_argument("folder", nargs="?", default=".", metavar="FOLDER", help=t("the folder to serve (default: the current one)"))
    sv.add_argument("--port", type=_port(t), default=0, metavar="N", help=t("the port (default: a free one)"))
    sv.add_argument("--no-browser", action="store_true", help=t("print the address but do not open the browser"))
    sv.add_argument("--host", default="127.0.0.1", metavar="HOST", help=t("the address to listen on (default: 127.0.0.1)"))
    sv.add_argument(
        "--allow-remote", action="store_true",
        help=t("allow a --host other machines can reach (a warning is printed: whoever has the address can change the files)"),
    )  # fmt: skip


def _port(t: Callable[[str], str]) -> Callable[[str], int]:
    """--port's type: a whole number from 0 to 65535, else a usage error in the help's language
    (99999 and -1 were an internal error, from the socket)."""

    def port(text: str) -> int:
        try:
            number = int(text.strip())
        except ValueError:
            number = -1
        if not 0 <= number <= 65535:
            said = t("a port is a whole number from 1 to 65535 (0: a free one)")
            raise argparse.ArgumentTypeError(f"{said}{': ' if said.isascii() else '：'}{text!r}")
        return number

    return port


def _resolved(host: str) -> None:
    """A usage error, in both languages, for a --host that names no address: the system's own
    words ("Name or service not known") only in parentheses."""
    import socket

    from pingfen.errors import UsageError

    try:
        socket.getaddrinfo(host, None)
    except (OSError, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise UsageError(f"--host {host}: no such address: the name does not resolve ({reason}); give an address "
                         "such as 127.0.0.1 or a name this machine resolves",
                         f"--host {host}：找不到该地址，主机名无法解析（{reason}）；请写 127.0.0.1 这样的地址或本机能解析的主机名") from None  # fmt: skip


def _has(module: str, extra: str, command: str, lang: Lang, err: TextIO) -> bool:
    """Whether an extra's library is installed; if not, say which extra to install (it was an
    internal error: ModuleNotFoundError)."""
    import importlib.util

    if importlib.util.find_spec(module) is not None:
        return True
    print(f"pingfen：`{command}` 需要 {module}：pip install 'pingfen[{extra}]'" if lang == "zh"
          else f"pingfen: `{command}` needs {module}: pip install 'pingfen[{extra}]'", file=err)  # fmt: skip
    return False


def _serve(args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    if not (_has("starlette", "serve", "serve", lang, err) and _has("uvicorn", "serve", "serve", lang, err)):
        return CANNOT  # (pingfen.serve imports them only as it starts)
    from pingfen.serve import serve

    _resolved(args.host)
    serve(args.folder, host=args.host, port=args.port, allow_remote=args.allow_remote,
          open_browser=not args.no_browser, lang=lang, out=out, err=err)  # fmt: skip
    return OK


_AUTHORING = {"fmt": _fmt, "test": _test, "fuzz": _fuzz, "serve": _serve}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The examples in docs/*.md, run.

Fenced blocks are tested by their tag:

```rule           a whole rule file; must load with no diagnostic at all (no error, warning or note)
```rule-warning   must load, and its first line `# expect: PF104` lists exactly the warning and
                  note codes
```rule-error     must not load, and its first line `# expect: PF102, PF204` lists exactly the
                  error codes (warnings and notes are ignored)
```yaml / ```json a record, scored by the nearest `rule` or `rule-warning` block above it in
                  the same file. A yaml block may start with expectation lines:
                      # expect: total = 7.50            the rounded total
                      # expect: raw total = 7.495       the exact total
                      # expect: grade = 优秀             (`grade = —` for no grade)
                      # expect: 资金到位率 = 3.5          a group's or indicator's score
                      # expect: reason 预算执行率 = <text> one of the node's reasons (zh or en)
                      # expect: error PF503, PF501      the record is refused with exactly these codes
                  With no expectation the record must simply be scored without error.

In docs/diagnostics.md, a ```text block right after a rule-error/rule-warning block must be
exactly what the tool prints for it (English, file name example.rule). Other tags (text,
console, sh, …) are prose and not run. Numbers compare as Decimal, so
`7.5` and `7.50` are equal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import pingfen
from pingfen.io.records import ExactLoader, read_record
from pingfen.messages import MESSAGES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
DOC_FILES = ("language.md", "tutorial.zh.md", "diagnostics.md")

RULE_TAGS = {"rule", "rule-error", "rule-warning"}
DATA_TAGS = {"yaml", "json"}
_FENCE = re.compile(r"^(```+)\s*([^\s`]*)\s*$")
_EXPECT = re.compile(r"^#\s*expect:\s*(.*?)\s*$")
_CODE = re.compile(r"PF\d{3}")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # line of the opening fence, 1-based
    tag: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    def expectations(self) -> list[str]:
        """The `# expect:` lines at the top of the block."""
        found = []
        for line in self.text.splitlines():
            m = _EXPECT.match(line.strip())
            if not m:
                break
            found.append(m.group(1))
        return found


def read_blocks(path: Path) -> list[Block]:
    """Every fenced block of a markdown file; an unclosed fence is an error."""
    blocks: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, tag, start = m.group(1), m.group(2), i
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise AssertionError(f"{path.relative_to(ROOT)}:{start + 1}: fence never closed")
        blocks.append(Block(path, start + 1, tag, "\n".join(body) + "\n"))
        i += 1
    return blocks


def _all_blocks() -> list[Block]:
    # docs/data.md shows files and commands rather than rule/record pairs: test_docs_data runs it.
    return [b for path in sorted(DOCS.glob("*.md")) if path.name != "data.md" for b in read_blocks(path)]


BLOCKS = _all_blocks() if DOCS.is_dir() else []


def _params(tags: set[str]) -> list[pytest.param]:  # type: ignore[type-arg]
    return [pytest.param(b, id=b.where) for b in BLOCKS if b.tag in tags]


def _codes(text: str) -> set[str]:
    return set(_CODE.findall(text))


def _rule_for(block: Block) -> Block:
    """The nearest `rule`/`rule-warning` block above a data block, in the same file."""
    loadable = {"rule", "rule-warning"}
    before = [b for b in BLOCKS if b.path == block.path and b.line < block.line and b.tag in loadable]
    assert before, f"{block.where}: a {block.tag} block needs a ```rule block above it"
    return before[-1]


def _render(diagnostics: list[pingfen.Diagnostic]) -> str:
    return "\n\n".join(d.render("en") for d in diagnostics) or "(none)"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks are named `docs/NAME.md:LINE`: an `extends` path in one is relative to docs/."""
    monkeypatch.chdir(ROOT)


# ---------------------------------------------------------------- the docs exist and hold examples


@pytest.mark.parametrize("name", DOC_FILES)
def test_doc_exists_with_examples(name: str) -> None:
    path = DOCS / name
    assert path.is_file(), f"docs/{name} is missing"
    tags = {b.tag for b in read_blocks(path)}
    assert tags & RULE_TAGS, f"docs/{name} has no ```rule example"


def test_no_misspelt_tags() -> None:
    """A block tagged `rules` or `Rule` would silently escape these tests."""
    for b in BLOCKS:
        if b.tag.lower().startswith(("rule", "yaml", "yml", "json")):
            assert b.tag in RULE_TAGS | DATA_TAGS, f"{b.where}: unknown tag {b.tag!r}"


# ---------------------------------------------------------------- rule blocks


@pytest.mark.parametrize("block", _params({"rule"}))
def test_rule_loads_cleanly(block: Block) -> None:
    diagnostics = pingfen.diagnose(block.text, block.where)
    assert not diagnostics, f"{block.where}: expected no diagnostics, got\n{_render(diagnostics)}"
    pingfen.loads(block.text, block.where)


@pytest.mark.parametrize("block", _params({"rule-error"}))
def test_rule_error_fails_with_codes(block: Block) -> None:
    expected = _codes(" ".join(block.expectations()))
    assert expected, f"{block.where}: a rule-error block starts with `# expect: PFxxx`"
    with pytest.raises(pingfen.RubricError):
        pingfen.loads(block.text, block.where)
    diagnostics = pingfen.diagnose(block.text, block.where)
    found = {d.code for d in diagnostics if d.severity == "error"}
    assert found == expected, f"{block.where}: expected {sorted(expected)}, got\n{_render(diagnostics)}"


@pytest.mark.parametrize("block", _params({"rule-warning"}))
def test_rule_warning_loads_with_warnings(block: Block) -> None:
    expected = _codes(" ".join(block.expectations()))
    assert expected, f"{block.where}: a rule-warning block starts with `# expect: PFxxx`"
    diagnostics = pingfen.diagnose(block.text, block.where)
    errors = [d for d in diagnostics if d.severity == "error"]
    assert not errors, f"{block.where}: expected no errors, got\n{_render(errors)}"
    pingfen.loads(block.text, block.where)
    found = {d.code for d in diagnostics if d.severity in ("warning", "note")}
    assert found == expected, f"{block.where}: expected {sorted(expected)}, got\n{_render(diagnostics)}"


def _shown_output() -> list[pytest.param]:  # type: ignore[type-arg]
    """In docs/diagnostics.md, a rule-error/rule-warning block followed by a ```text block
    shows its output: the diagnostics rendered in English for a file named example.rule."""
    pairs = []
    for b, after in zip(BLOCKS, BLOCKS[1:], strict=False):
        if b.path.name == "diagnostics.md" and after.path == b.path and b.tag in {"rule-error", "rule-warning"}:
            if after.tag == "text":
                pairs.append(pytest.param(b, after, id=b.where))
    return pairs


@pytest.mark.parametrize(("block", "shown"), _shown_output())
def test_shown_diagnostics_are_real(block: Block, shown: Block) -> None:
    rendered = "\n\n".join(d.render("en") for d in pingfen.diagnose(block.text, "example.rule"))
    assert shown.text.rstrip("\n") == rendered, f"{shown.where}: the tool now prints\n{rendered}"


# ---------------------------------------------------------------- data blocks


def _record(block: Block) -> dict:  # type: ignore[type-arg]
    if block.tag == "json":
        data = json.loads(block.text, parse_float=Decimal, parse_int=Decimal)
    else:
        data = yaml.load(block.text, Loader=ExactLoader)  # noqa: S506 - a SafeLoader subclass
    assert isinstance(data, dict), f"{block.where}: a record is a mapping of input names to values"
    return {str(k): v for k, v in data.items()}


def _check(result: pingfen.Result, expect: str, where: str) -> None:
    if m := re.fullmatch(r"raw total = (\S+)", expect):
        assert result.raw_total == Decimal(m.group(1)), f"{where}: raw total is {result.raw_total}"
    elif m := re.fullmatch(r"total = (\S+)", expect):
        assert result.total == Decimal(m.group(1)), f"{where}: total is {result.total}"
    elif m := re.fullmatch(r"grade = (.+)", expect):
        want = None if m.group(1) in ("—", "none") else m.group(1)
        assert result.grade == want, f"{where}: grade is {result.grade}"
    elif m := re.fullmatch(r"reason (.+?) = (.+)", expect):
        node = result[m.group(1)]
        reasons = node.reasons_in("zh") + node.reasons_in("en")
        assert m.group(2) in reasons, f"{where}: reasons of {node.name} are {reasons}"
    elif m := re.fullmatch(r"(.+?) = (-?\d+(?:\.\d+)?)", expect):
        assert m.group(1) in result, f"{where}: no group or indicator named {m.group(1)!r}"
        score = result[m.group(1)].score
        assert score == Decimal(m.group(2)), f"{where}: {m.group(1)} scored {score}, not {m.group(2)}"
    else:
        raise AssertionError(f"{where}: cannot read the expectation {expect!r}")


@pytest.mark.parametrize("block", _params(DATA_TAGS))
def test_data_scores_as_expected(block: Block, tmp_path: Path) -> None:
    rule = _rule_for(block)
    rubric = pingfen.loads(rule.text, rule.where)
    expectations = block.expectations()
    errors = [e for e in expectations if e.startswith("error")]
    if errors:
        assert len(errors) == len(expectations), f"{block.where}: `error` expectations stand alone"
        expected = _codes(" ".join(errors))
        assert expected, f"{block.where}: `# expect: error` names the codes"
        with pytest.raises(pingfen.DataError) as refused:
            if "PF508" in expected:  # only reading a file can fail this way
                path = tmp_path / f"record.{block.tag}"
                path.write_text(block.text, encoding="utf-8")
                rubric.evaluate(read_record(path))
            else:
                rubric.evaluate(_record(block))
        found = {p.code for p in refused.value.problems}
        assert found == expected, f"{block.where}: refused with {sorted(found)}: {refused.value.describe('en')}"
        return
    result = rubric.evaluate(_record(block))
    for expect in expectations:
        _check(result, expect, block.where)


# ---------------------------------------------------------------- the diagnostics page


def _sections() -> dict[str, tuple[int, int]]:
    """`## PFxxx` heading → the line range of its section in docs/diagnostics.md."""
    lines = (DOCS / "diagnostics.md").read_text(encoding="utf-8").splitlines()
    heads = [(i + 1, line[3:].strip()) for i, line in enumerate(lines) if line.startswith("## ")]
    ranges = {}
    for n, (line, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines) + 1
        if re.fullmatch(r"PF\d{3}", title):
            assert title not in ranges, f"docs/diagnostics.md:{line}: a second section for {title}"
            ranges[title] = (line, end)
    return ranges


def test_every_code_has_a_section_and_every_section_a_code() -> None:
    sections = set(_sections())
    assert sorted(set(MESSAGES) - sections) == [], "codes in MESSAGES without a `## CODE` section"
    assert sorted(sections - set(MESSAGES)) == [], "sections for codes that MESSAGES does not have"


# PF504 guards a division the checker has proved safe (PF410); no checked rubric reaches it,
# so its section explains that instead of showing it happen. PF509–PF519 are about batch,
# report and audit files: their sections describe the file, and tests/test_tables.py,
# test_report.py and test_audit.py make each of them happen.
FILE_CODES = {f"PF{n}" for n in range(509, 523)}
FILE_CODES |= {"PF524"}  # a declared score beyond any score: tests/test_audit.py
FILE_CODES |= {"PF525", "PF526"}  # an --id given twice, a file of no records: tests/test_report_picks.py
FILE_CODES |= {"PF528"}  # an id column named with an invisible character: tests/test_invisible_columns.py
FILE_CODES |= {"PF531", "PF532"}  # a header naming no input (a title above it), or over two rows: tests/test_title_row.py
FILE_CODES |= {"PF534"}  # a formula never calculated, in a workbook: tests/test_uncomputed_formulas.py
FILE_CODES |= {"PF536"}  # a declared score that is a formula never calculated: tests/test_audit_places.py
FILE_CODES |= {"PF537"}  # a data file changed between a folder report's two readings: tests/test_report_targets.py
FILE_CODES |= {"PF533"}  # two versions refusing a replay's header each its own way: tests/test_title_row.py
# PF701–PF705 are about output files; tests/test_attack_output.py makes each of them happen;
# PF706 (an -o extension the command does not write), PF707 (a read-only output) and PF708 (--format
# naming another format than -o's extension), tests/test_output_names.py.
# PF710 and PF711 are about printing a PDF; tests/test_report_filing.py makes each happen.
OUTPUT_CODES = {f"PF{n}" for n in range(701, 709)} | {"PF710", "PF711"}
# PF850–PF861 are the workbench's answers to requests; tests/test_serve_http.py makes each happen.
SERVE_CODES = {f"PF{n}" for n in range(850, 862)}
# PF800–PF805 are about the rubric compiled to SQL (`pingfen sql`); tests/test_sql.py makes each happen.
SQL_CODES = {"PF800", "PF802", "PF803", "PF808", "PF804", "PF805", "PF806", "PF807", "PF830", "PF831", "PF832"}
SQL_CODES |= {"PF816"}  # `eval --reasons` without the DuckDB engine: tests/test_engine_reasons.py
SQL_CODES |= {"PF820"}  # a panel for a dialect without exact list functions: tests/test_sql_forms_last.py
SQL_CODES |= {"PF728"}  # a CSV row far longer than its header stops the DuckDB engine: tests/test_engine_short_rows.py
SQL_CODES |= {"PF731"}  # a file's column named as an output's, left out by the DuckDB engine: tests/test_engine_clashing_columns.py
SQL_CODES |= {"PF733"}  # a column named as an input but for letter case: tests/test_engine_csv_header.py
SQL_CODES |= {"PF734"}  # a sheet whose copy for DuckDB passes its limits: tests/test_engine_wide_sheet.py
SQL_CODES |= {"PF729"}  # two header names told apart by letter case only, for the DuckDB engine: tests/test_engine_csv_header.py
SQL_CODES |= {"PF735"}  # a path DuckDB would read as a pattern, where no link can be made: tests/test_engine_paths.py
SQL_CODES |= {"PF801"}  # a value worked out too large for the query, its row refused: tests/test_sql_row_overflow.py
SQL_CODES |= {"PF813"}  # a number's text Spark's warehouse query cannot read as pingfen does: tests/test_spark_column_types.py
SQL_CODES |= {"PF809", "PF810"}  # names SQL reads as one, an input named `_pf_…`: tests/test_sql_names.py
SQL_CODES |= {"PF811", "PF812"}  # a column kept named as the query's own, a name PostgreSQL cuts: tests/test_sql_postgres.py
SQL_CODES |= {"PF814"}  # an empty name in --keep: tests/test_sql_postgres.py


# PF010 is a rule file that cannot be read: tests/test_os_reasons.py makes it happen.
# PF006 is about a file's bytes (not UTF-8): test_api loads a GBK rule file. PF008 needs a
# file too large to show: tests/golden and tests/test_attack_limits.py make it happen. PF122
# needs a chain of nine files: tests/golden and tests/test_extends.py make it happen.
@pytest.mark.parametrize("code", sorted(set(MESSAGES) - {"PF504", "PF006", "PF008", "PF010", "PF122"} - FILE_CODES - OUTPUT_CODES - SERVE_CODES - SQL_CODES))
def test_every_code_has_a_failing_example(code: str) -> None:
    """Each section shows the code happening: a rule-error/rule-warning block, or a record refused."""
    start, end = _sections().get(code, (0, 0))
    assert start, f"docs/diagnostics.md has no section for {code}"
    shown = [
        b for b in BLOCKS
        if b.path.name == "diagnostics.md" and start < b.line < end
        and b.tag in {"rule-error", "rule-warning", *DATA_TAGS}
        and code in _codes(" ".join(b.expectations()))
    ]  # fmt: skip
    assert shown, f"docs/diagnostics.md: the {code} section has no example that produces {code}"

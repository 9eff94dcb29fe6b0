"""Issue #15's attacks as a standing suite: mutated and truncated rule files, odd records and
data files, and the command line, each answered by a score or a diagnostic with a code —
never a traceback — within a few seconds and a memory cap (tests/attack_cases.py says how).

Deterministic under the `ci` profile (derandomized); `python benchmarks/attack.py` runs the
same generators for as long as asked. Each test runs every case it makes, then lists every
distinct failure with a paste-able reproduction (it stops early after a few, to stay quick).
The inputs the attack of issue #15 used come first, as fixed cases.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from attack_cases import (
    BIG_SHAPES,
    DEPARTMENTS_CSV,
    FULL,
    RULE_2021,
    SECONDS,
    SEED_YAML,
    YAML_BOMB,
    Case,
    Failures,
    big_rule,
    cli_cases,
    file_cases,
    record_cases,
    rule_cases,
)

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="cases run in a forked child"),
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),  # a case holds whole files
]

STOP_AFTER = 5  # failing cases before a test gives up (each may cost its full time limit)


def search(
    strategy: st.SearchStrategy[Case] | None, examples: int, fixed: Sequence[Case] = (), seconds: float = SECONDS
) -> None:
    """Run the fixed cases and `examples` generated ones; fail listing every distinct failure."""
    failures = Failures(limit=STOP_AFTER)
    try:
        for case in fixed:
            failures.check(case, seconds)
        if strategy is None:
            return _report(failures)

        @settings(
            max_examples=examples, phases=(Phase.generate,), database=None, deadline=None,
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        @given(strategy)
        def generated(case: Case) -> None:
            failures.check(case)

        generated()
    except AssertionError:
        pass  # Failures stopped early: its report below says what was found
    return _report(failures)


def _report(failures: Failures) -> None:
    if failures.found:
        pytest.fail(failures.report(), pytrace=False)


def _with(**values: Any) -> dict[str, Any]:
    return {**FULL, **values}


# ---------------------------------------------------------------- rule files

FIXED_RULES = [
    Case("rule", "NUL in the rubric's name (item 13)", rule=RULE_2021.replace("评分表".encode(), "评\x00分表".encode(), 1)),
    Case("rule", "escape in the rubric's name (item 13)", rule=RULE_2021.replace(b'"\xe9', b'"\x1b[31m\xe9', 1)),
    Case("rule", "GBK-encoded (item 17)", rule=RULE_2021.decode("utf-8").encode("gb18030")),
    Case("rule", "cut at half", rule=RULE_2021[: len(RULE_2021) // 2]),
    Case("rule", "cut mid-character", rule=RULE_2021[:1001]),
    Case("rule", "names that are formulas (item 10)", rule=RULE_2021.replace("满意度".encode(), b"=HYPERLINK(1)")),
]


def test_mutated_rule_files() -> None:
    """Truncated, byte-flipped, spliced rule files: load, diagnose, format, score, run their examples."""
    search(rule_cases(), 60, FIXED_RULES)


@pytest.mark.parametrize("shape", BIG_SHAPES)
def test_rule_files_of_many_parts(shape: str) -> None:
    """3,000 lets, arms, indicators, items, terms, parentheses, errors (300,000 spaces): a
    diagnostic or a score within the time limit, never RecursionError (items 14 and 20)."""
    # A case loads the file five ways (load with and without tests, diagnose, format, loads)
    # and scores it through every entry point: four times the time of one small case.
    search(None, 0, [Case("rule", f"{shape} × 3000", rule=big_rule(shape, 3000))], seconds=4 * SECONDS)


# ---------------------------------------------------------------- records and data files

FIXED_RECORDS = [
    Case("record", "tiny exponent", record=_with(满意度=Decimal("1e-999999999"))),
    Case("record", "1_2 as a count (item 6)", record=_with(资金使用不合规例数="1_2")),
    Case("record", "94.99% at prec 3 (item 5)", record=_with(满意度="94.99%")),
    Case("record", "an escape sequence (item 12)", record=_with(满意度="\x1b[2J\x1b[31m95%")),
    Case("record", "a huge int", record=_with(在职人数=10**5000)),
]


def test_odd_records() -> None:
    """The 2021 record with values of the wrong type, huge or tiny, NaN, missing or unknown."""
    search(record_cases(), 80, FIXED_RECORDS)


def _ragged() -> bytes:
    text = DEPARTMENTS_CSV.read_text(encoding="utf-8-sig").splitlines()
    row = text[2].replace(",5,5,5,98%", ",5,5,3,0,98%")  # 生态效益 typed `3,0`, unquoted (item 4)
    return ("\r\n".join([text[0], row]) + "\r\n").encode("utf-8")


FIXED_FILES = [
    Case("file", "ragged row (item 4)", data_name="data.csv", data=_ragged(), ragged_rows=(2,)),
    Case("file", "1e-999999999 (item 9)", data_name="data.json", data=b'{"x": 1e-999999999}'),
    Case("file", "a 29-byte JSONL line (item 9)", data_name="data.jsonl", data=b'{"\xe5\x9c\xa8\xe8\x81\x8c": 1e-99999999}'),
    Case("file", "YAML alias bomb (item 9)", data_name="data.yaml", data=YAML_BOMB.encode()),
    Case("file", "YAML complex key (item 15)", data_name="data.yaml", data=b"? [a, b]\n: 1\n"),
    Case("file", "deep JSON (item 15)", data_name="data.json", data=b"[" * 100_000),
    Case("file", "deep JSONL line (item 15)", data_name="data.jsonl", data=b'{"id": "a"}\n' + b"[" * 100_000 + b"\n{}\n"),
    Case("file", "UTF-16 CSV (item 23)", data_name="data.csv", data=DEPARTMENTS_CSV.read_text("utf-8-sig").encode("utf-16")),
]  # fmt: skip


def test_data_files() -> None:
    """CSV (odd cells, ragged rows, odd encodings), JSON Lines, JSON, YAML and broken XLSX files."""
    search(file_cases(), 60, FIXED_FILES)


# ---------------------------------------------------------------- the command line

_SEED = SEED_YAML.read_bytes()
_CSV = DEPARTMENTS_CSV.read_bytes()
FIXED_COMMANDS = [
    Case("cli", "-o names the data (item 1)", data_name="data.csv", data=_CSV, argv=("eval", "{rule}", "{data}", "-o", "{data}")),
    Case("cli", "-o names the rule (item 1)", data_name="data.yaml", data=_SEED, argv=("eval", "{rule}", "{data}", "-o", "{rule}")),
    Case("cli", "template -o the rule (item 1)", argv=("template", "{rule}", "-o", "{rule}")),
    Case("cli", "fuzz a GBK rule (item 17)", rule=FIXED_RULES[2].rule, argv=("fuzz", "--max-examples", "3", "{rule}")),
    Case("cli", "check a GBK rule (item 17)", rule=FIXED_RULES[2].rule, argv=("check", "{rule}")),
    Case("cli", "test with a NUL in the name (item 13)", rule=FIXED_RULES[0].rule, argv=("test", "{rule}")),
    Case("cli", "escape in data (item 12)", data_name="data.json", data=b'{"id": "\\u001b[2J"}', argv=("eval", "{rule}", "{data}")),
]  # fmt: skip


def test_command_line() -> None:
    """`pingfen check|fmt|test|eval|report|template|audit|fuzz` in-process on attacked inputs: exit
    0, 1 or 2, no traceback, inputs untouched, no raw control characters, no live formulas."""
    search(cli_cases(), 25, FIXED_COMMANDS)

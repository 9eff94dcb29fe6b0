"""The generated code writes a tuple of more than 30 items (a rubric's scores, its inputs, its
rows' 不适用 flags) as parts of at most 30 joined by `+` (issue 11): CPython compiles a longer
display as a list grown item by item and then copied (`LIST_APPEND`, `LIST_TO_TUPLE`), which
cost 260 ns for the 35 scores of a 2021 record where two joined parts cost 150. Here: the
parts give the same tuple at every length, and no scoring or reading code of a rubric with
35 nodes and inputs builds a list."""

from __future__ import annotations

import dis
from decimal import Decimal

import pytest

import pingfen
from pingfen.evaluate.codegen import displayed


@pytest.mark.parametrize("n", [0, 1, 2, 29, 30, 31, 35, 60, 61, 95])
def test_the_parts_make_the_same_tuple(n: int) -> None:
    items = [f"v{i}" for i in range(n)]
    source = displayed(items)
    assert eval(source, {f"v{i}": i for i in range(n)}) == tuple(range(n))  # noqa: S307 - our own text
    assert all(part.count(",") <= 30 for part in source.split(" + "))


def _builds_a_list(function: object) -> bool:
    return any(i.opname in ("LIST_APPEND", "LIST_TO_TUPLE", "BUILD_LIST") for i in dis.get_instructions(function))


def test_the_2021_code_builds_no_list() -> None:
    rubric = pingfen.load("rulesets/dept-overall-2021.rule", tests=False)
    assert len(rubric.program.layout.nodes) == 35 and len(rubric.inputs) == 35  # both past 30
    run, score = rubric.program.functions(rubric.name)
    assert not _builds_a_list(run) and not _builds_a_list(score)
    assert " + (s30, " in rubric.program.source


GUARDED = """rubric "多" { total %(total)d }
%(inputs)s
group 全部 %(total)d {
%(rows)s
}
"""


def test_a_rubric_whose_rows_may_not_apply_builds_no_list_and_scores_as_before() -> None:
    # 32 rows that may not apply: the flags tuple is past 30 too
    n = 32
    inputs = "\n".join(f"input 有{i}: bool\ninput 分{i}: score" for i in range(n))
    rows = "\n".join(f"  indicator 项{i} 1 {{\n    applies if 有{i} else zero\n    judgment 分{i}\n  }}" for i in range(n))
    text = GUARDED % {"total": n, "inputs": inputs, "rows": rows}
    rubric = pingfen.loads(text)
    run, score = rubric.program.functions(rubric.name)
    assert not _builds_a_list(run) and not _builds_a_list(score)
    record: dict[str, object] = {f"有{i}": bool(i % 3) for i in range(n)}
    record |= {f"分{i}": Decimal(i % 3) / 2 for i in range(n)}
    result = rubric.evaluate(record)
    assert [result.applies(f"项{i}") for i in range(n)] == [bool(i % 3) for i in range(n)]
    assert [result.score(f"项{i}") for i in range(n)] == [Decimal(i % 3) / 2 for i in range(n)]

"""`pingfen lsp`'s rename, called directly (test_lsp_names drives it through the server): a
rename the server makes leaves the file meaning what it meant. Each name declared is renamed,
the file scored before and after on the same records (their keys renamed with the inputs)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pingfen import ast, loads
from pingfen.diagnostics import Span
from pingfen.editor.analysis import Analysis, analyse, bases
from pingfen.editor.rename import NotRenamed, rename
from pingfen.errors import DataError
from pingfen.evaluate.rubric import Rubric
from pingfen.result import Result

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rulesets" / "dept-overall-2021.rule"

# The review's file: renaming `名` to `甲` was accepted, and `类型 = 甲` then read the input.
LABELS = """rubric "k" {
  total 10
}
input 类型: label { 甲, 乙 }
input 名: label { 甲, 乙 }
indicator 同类 5 {
  award 5 if 类型 = 名
}
indicator 是甲 5 {
  award 5 if 类型 = 甲
}
example "甲乙" {
  given { 类型: 甲, 名: 乙 }
  expect 是甲 = 5
}
"""
LABEL_RECORDS = [{"类型": x, "名": y} for x in ("甲", "乙") for y in ("甲", "乙")]


def applied(text: str, edits: list[tuple[Span, str]]) -> str:
    for span, written in sorted(edits, key=lambda e: e[0].start, reverse=True):
        text = text[: span.start] + written + text[span.end :]
    return text


def renaming(a: Analysis, offset: int, new: str) -> str | None:
    """The text renamed, or None when the rename is refused."""
    try:
        return applied(a.text, rename(a, bases(a), offset, new, "en", {}))
    except NotRenamed:
        return None


def scored(rubric: Rubric, record: dict[str, object]) -> object:
    """Everything a record's scoring gives but names: the scores in order, total and grade (or the refusal)."""
    try:
        result = rubric.evaluate(record)
    except DataError as error:
        return [p.code for p in error.problems]
    return result.raw_total, result.total, result.grade, [n.score for top in result.children for n in top.walk()]


def said(result: Result) -> list[list[str]]:
    return [node.reasons for top in result.children for node in top.walk()]


def givens(module: ast.Module) -> list[dict[str, object]]:
    return [{g.name.text: g.value.raw for g in e.givens} for e in module.items if isinstance(e, ast.Example)]


def check_renames(text: str, records: list[dict[str, object]], news: list[str], every: bool) -> int:
    """Rename each declared name (labels are refused) to each of news and to other declared
    names (every one, or one of each other kind); each rename accepted must load (its examples
    passing) and score every record as before. How many were."""
    a = analyse(text, "renamed.rule")
    assert a.index is not None and [d for d in a.diagnostics if d.severity == "error"] == []
    before = loads(text, tests=False)
    declared = sorted(a.index.declarations.items(), key=lambda d: d[1].start)
    done = 0
    for (kind, old), span in declared:
        if kind == "label":
            continue
        one_each = {k: name for (k, name), _ in declared if k != kind}  # the last of each other kind
        others = [name for (_k, name), _ in declared] if every else list(one_each.values())
        for new in [*news, *others]:
            out = renaming(a, span.start, new)
            if out is None or new == old:
                continue
            after, keyed = loads(out, "renamed.rule"), kind == "input"
            for record in records:
                moved = {new if keyed and k == old else k: v for k, v in record.items()}
                expected = scored(before, record)
                if kind == "grade" and isinstance(expected, tuple) and expected[2] == old:
                    expected = (*expected[:2], new, expected[3])  # the grade given, by its new name
                assert scored(after, moved) == expected, (kind, old, new, record)
            done += 1
    return done


def test_renaming_to_a_label_is_refused_and_every_rename_keeps_the_scores() -> None:
    """`名` renamed `甲`, a label of 类型: `类型 = 甲` read the input 甲 from then on (0 points
    where 5 were due), and `pingfen check` passed. A label of any label input is refused now."""
    a = analyse(LABELS, "k.rule")
    with pytest.raises(NotRenamed, match="`甲` is a label of the input `类型` \\(line 4\\)"):
        rename(a, [], LABELS.index("input 名") + 6, "甲", "en", {})
    assert check_renames(LABELS, LABEL_RECORDS, ["改名"], every=True) > 0
    assert scored(loads(LABELS), {"类型": "甲", "名": "乙"})[1] == Decimal("5.00")


def test_every_rename_of_the_2021_ruleset_keeps_its_scores() -> None:
    text = RULESET.read_text(encoding="utf-8")
    records = givens(analyse(text, "r.rule").module or ast.Module(()))
    assert len(records) >= 5
    assert check_renames(text, records, ["改后名称"], every=False) >= 77


CAPTURES = """rubric "c" {
  total 10
  grade 好 >= 8
  grade 差 otherwise
}
input 甲: number
input 乙: number
indicator 行 5 { award 5 if 甲 > 0 }
indicator 读乙 5 { judgment }
example "e" {
  given { 甲: 1, 乙: 1 }
  expect 某行 = 5
  expect grade = 某级
}
property monotone 甲 increasing for 另一行
"""


@pytest.mark.parametrize(
    ("at", "new", "said"),
    [
        ("input 乙", "读乙", "`读乙` is already read (line 9)"),  # the `judgment` of 读乙 reads an input 读乙
        ("input 乙", "某行", None),  # a row's name: no value reads it
        ("indicator 行", "某行", "`某行` is already read (line 12)"),
        ("indicator 行", "另一行", "`另一行` is already read (line 15)"),
        ("grade 好", "某级", "`某级` is already read (line 13)"),
        ("grade 好", "某行", None),
    ],
)
def test_a_name_read_as_undeclared_is_no_new_name(at: str, new: str, said: str | None) -> None:
    """A name read where nothing of this file declares it (an error the rename would hide, the
    place reading the renamed one) is refused; in another kind's place it is no capture."""
    a = analyse(CAPTURES, "c.rule")
    offset = CAPTURES.index(at) + len(at.split()[0]) + 1
    if said is None:
        assert renaming(a, offset, new) is not None
    else:
        with pytest.raises(NotRenamed, match=said.replace("(", "\\(").replace(")", "\\)")):
            rename(a, [], offset, new, "en", {})


TEMPLATE = ROOT / "tests" / "golden" / "forms" / "reason-template.rule"


@pytest.mark.parametrize(
    ("at", "new"), [("input 在职人数", "在编人数"), ("let 控制率", "超编率"), ("let 控制率", "控制 率")]
)
def test_a_reasons_placeholders_are_renamed(at: str, new: str) -> None:
    """`{在职人数}` in a `reason "…"` names the input too: it was left behind (PF308)."""
    text = TEMPLATE.read_text(encoding="utf-8")
    a = analyse(text, "r.rule")
    out = renaming(a, text.index(at) + len(at.split()[0]) + 1, new)
    assert out is not None and "{{超编}}" in out and f"{{{new.strip('`')}}}" in out
    record: dict[str, object] = {"在职人数": 13, "编制人数": 12}
    moved = {new if k == at.split()[1] else k: v for k, v in record.items()}
    assert said(loads(out).evaluate(moved)) == said(loads(text).evaluate(record)) != [[], []]


ESCAPED = """rubric "x" { total 10 }
input 甲: count
indicator 行 5 {
  deduct 1 per 甲 reason “共 {甲} 项，{{甲}}” # reason "{甲}"
    if 甲 > 0
}
indicator 行2 5 {
  bands 甲 {
    >= 1 -> 5 reason "\\"{甲}\\" {{甲}} \\\\ {甲}"
    else -> 0
  }
}
"""


def test_placeholders_are_renamed_as_the_reason_is_written() -> None:
    """Only `{甲}` itself: not `{{甲}}` (a brace and a word), nor a comment; in a "text" a new
    name's `"` and `\\` are escaped; a name a placeholder cannot hold is refused."""
    a = analyse(ESCAPED, "x.rule")
    offset = ESCAPED.index("input 甲") + 6
    out = renaming(a, offset, '乙"\\')
    assert out is not None and 'reason “共 {乙"\\} 项，{{甲}}” # reason "{甲}"' in out
    assert 'reason "\\"{乙\\"\\\\}\\" {{甲}} \\\\ {乙\\"\\\\}"' in out
    assert loads(out).evaluate({'乙"\\': 0})["行"].reasons == loads(ESCAPED).evaluate({"甲": 0})["行"].reasons
    for new, said in [("“乙”", "cannot be written as a placeholder in the reason at line 4"),
                      ("a:b", "cannot be written as a placeholder"), ("value", "`{value}` is a placeholder every")]:  # fmt: skip
        with pytest.raises(NotRenamed, match=said):
            rename(a, [], offset, new, "en", {})


def test_a_name_a_reason_shows_is_no_new_name() -> None:
    """`{编制}` shows nothing this file declares (PF308): a value renamed 编制 would fill it in."""
    text = TEMPLATE.read_text(encoding="utf-8").replace("编制 {编制人数}", "编制 {编制}")
    a = analyse(text, "r.rule")
    with pytest.raises(NotRenamed, match="`编制` is already read \\(line 8\\)"):
        rename(a, [], text.index("let 控制率") + 4, "编制", "en", {})

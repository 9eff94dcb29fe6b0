"""Recomputing a filled-in self-evaluation: where do the declared scores disagree?

Given the scores a department declared (groups, indicators, total, grade) and the
inputs it reported, `audit` finds, each with its numbers:

- declared scores above their max or below zero;
- groups, and the total, that are not the sum of their declared parts (a part not
  declared itself counts as the sum of its own parts, when those are all declared; a bonus,
  penalty or adjust row neither declared nor scored counts anywhere in its range, and the
  total must lie in the range that leaves);
- a grade that is not the one the rubric's grade bands give the declared total (where a
  veto's or a grade's condition reads inputs not given, one above the best it may be);
- indicators whose inputs are ALL given and whose declared score differs from the
  rule's (`Rubric.score_node`, the same rules and reasons a full evaluation gives), with the rule's reasons.

A declared score (an indicator's or a group's; not the total, which the rubric itself rounds)
agrees with the rule's when it is that score as written to the rubric's total places, half up,
or to the declared number's own decimals where it has more and it rounds to the same score at
those places (`_agrees`): a self-evaluation writes 16.33 for 16.333…, which is no finding, while
16, 16.3, or 16.335 for 16.3349, is one. A score that agrees counts in its group's and the
total's sums as the rule's exact score, so that the total is compared with the rubric's own.

A row with `applies … else MODE` may be declared 不适用 (`不适用`, `N/A`): it then counts as
its mode says (its max, 0, or left out of its group's sum, which is re-scaled: 折算), and
an indicator declared so whose rule says it applies — or declared a score whose rule says
it does not, and counts for another — is a finding like any other.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from pingfen import ast
from pingfen.absent import Absent, SheetRecord, says_not_applicable
from pingfen.errors import DataError, Problem
from pingfen.evaluate.rubric import NodeSpec, Rubric, given_rubric, not_a_mapping
from pingfen.io.filled import GRADE_NAMES, SUBTOTAL, TOTAL_NAMES, Cell, input_meant, normalize, read_filled
from pingfen.lang import Lang, checked
from pingfen.reasons import quantity
from pingfen.report.audit import Audit, Finding
from pingfen.terminal import invisible_escaped, without_invisible
from pingfen.values import (
    CONTEXT,
    LIMIT,
    PLACES,
    SETTLE_PLACES,
    SETTLING,
    excel_error,
    pinned,
    points_number,
    rounded,
    settle,
    show,
    to_decimal,
    total_rounding,
)
from pingfen.values import graded as graded_by

TOTAL, GRADE = "total", "grade"


@pinned  # declared scores added up in pingfen's context: a caller's 4 digits made 5.83333 5.833
def audit(
    rubric: Rubric, declared: Mapping[str, object], inputs: Mapping[str, object] | None = None, *,
    lang: Lang = "zh", department: str | None = None,
) -> Audit:  # fmt: skip
    """Compare declared scores with their parts, the grade bands and the rules.

    `declared` maps group and indicator names (and `total`/总分, `grade`/评价等次) to what the
    department reported; `inputs` holds the input values it gave. Raises DataError for an
    unknown name, a declared value that is not a number, or an input value that is bad.
    """
    given_rubric(rubric, "pingfen.audit.audit")  # a path failed deep inside (AttributeError)
    checked(lang)
    for given in (declared, inputs):  # a list, a row's text or no scores at all: said, not an AttributeError
        if not isinstance(given, Mapping) and (given is not None or given is declared):
            raise DataError([not_a_mapping(given)], department)
    for what, given in (("declared", declared), ("inputs", inputs)):  # {2024: 5} failed deep inside (AttributeError)
        wrong = [k for k in given or {} if not isinstance(k, str)]
        if wrong:
            raise TypeError(f"pingfen.audit.audit's {what} are keyed by names (str), not {type(wrong[0]).__name__}: {wrong[0]!r}")
    modes = rubric.module.applies_modes
    not_applying = {k for k, v in declared.items() if k in modes and says_not_applicable(v)}
    named = {k for k, v in declared.items() if not _blank(v)}  # 不适用 too: what a PF513's hint says the file has
    scores, total, grade = _declared(rubric, {k: v for k, v in declared.items() if k not in not_applying}, named)
    for name in not_applying:  # 不适用, declared: what it counts for (0 when left out of the sum)
        scores[name] = rubric.node(name).max if modes[name] == "full" else Decimal(0)
    given = {k: v for k, v in (inputs or {}).items() if not _blank(v)}
    names = {s.name for s in rubric.inputs}
    unknown = [_not_named(k, "PF517", names) for k in given if k not in names]
    if unknown:
        raise DataError(unknown, department)
    uncalculated = _inputs_never_calculated(rubric, inputs, lang, department)  # PF534, whatever is declared
    if uncalculated:
        raise DataError(uncalculated, department)
    values = rubric.coerce(given, list(given), record=department)
    types = {s.name: s.type for s in rubric.inputs}

    findings: list[Finding] = []
    agreed: list[str] = []
    unchecked: list[tuple[str, tuple[str, ...]]] = []
    effective: dict[str, Decimal | None] = {}

    lows = dict(rubric.module.lows)  # 加减分项: declared in [low, max], signed
    rounds = {g.name.text: g for g, _ in ast.walk_nodes(rubric.module.top) if isinstance(g, ast.Group) and g.round_places}
    header = rubric.module.header
    assert header is not None
    places = int(header.round_places.value) if header.round_places else PLACES  # the total's: what a score is written to

    def visit(node: NodeSpec) -> Decimal | None:
        parts = [(c.name, visit(c)) for c in node.children]
        mine = scores.get(node.name)
        if mine is not None:
            findings.extend(_range(node.name, mine, node.max, lows.get(node.name, Decimal(0))))
        if node.is_group:
            known = all(v is not None for _, v in parts)
            added = _added(rubric, node.children, parts, not_applying, modes, node.max)
            group = rounds.get(node.name)
            if group is not None and group.round_places is not None:  # `round N`: its parts' sum rounded so, as scored
                added = rounded(added, *total_rounding(group.round_places.value, group.round_mode))
            agrees = mine is not None and known and _agrees(mine, added, places)
            if mine is not None and known and not agrees:
                findings.append(
                    Finding("sum", node.name, mine, added, tuple((n, v) for n, v in parts if v is not None))
                )
            # one that agrees counts as the exact sum, not as written: roundings forgiven part by part
            # must not add up to a total the rubric does not give (8 + 8 for 8.4 + 8.4: 16, not 17)
            effective[node.name] = added if agrees else mine if mine is not None else (added if known and parts else None)
            return effective[node.name]
        if mine is not None:
            # an input read only by rows that may not apply may be left out: the rule says whether it must
            missing = tuple(i for i in node.inputs if i not in values and i not in rubric.optional)
            result = None
            if not missing:
                try:
                    # the inputs as given: score_node reads them itself, and an input marked
                    # 不适用 is no value it reads again (values holds an Absent for it)
                    result = rubric.score_node(node.name, given, lang=lang, record=department)
                except DataError as refused:  # not PF534: refused up front, where a row that applies reads it
                    if refused.code != "PF501":
                        raise
                    missing = tuple(p.input for p in refused.problems if p.input)
            if result is None:
                unchecked.append((node.name, missing))
            else:
                # declared 不适用 where the rule applies, or a score where the rule leaves the row
                # out of its group's sum (rescale), disagree even when the numbers are alike
                said_na, left_out = node.name in not_applying, not result.applies and modes.get(node.name) == "rescale"
                if _agrees(mine, result.score, places) and not (said_na and result.applies) and not (left_out and not said_na):
                    agreed.append(node.name)
                    if not said_na:  # counts in the sums as the rule's exact score, as a group's does
                        effective[node.name] = result.score
                        return result.score
                else:
                    shown = tuple(
                        (i, "不适用" if isinstance(values[i], Absent) else quantity(values[i], types[i]))
                        for i in node.inputs if i in values
                    )  # fmt: skip
                    findings.append(Finding("rule", node.name, mine, result.score, inputs=shown,
                                            reasons=tuple(result.reasons_in(lang))))  # fmt: skip
        effective[node.name] = mine
        return mine

    tops = [(top.name, visit(top)) for top in rubric.tree]
    lines = [(kind, row, visit(row) if row.name in scores else _scored(rubric, row, values, lang, department))
             for kind, row in rubric.outside]  # fmt: skip
    implied = None
    between: tuple[Decimal, Decimal] | None = None  # the totals possible, when an outside row is not known
    undeclared: tuple[tuple[str, Decimal, Decimal], ...] = ()
    if all(v is not None for _, v in tops):
        raw = _added(rubric, rubric.tree, tops, not_applying, modes, rubric.max)
        if all(v is not None for _, _, v in lines):
            if lines:  # 加分项 and 扣分项: a total that leaves one out is a finding, with the row among its parts
                counted = tuple(v - row.max if kind == "penalty" else v for kind, row, v in lines if v is not None)
                raw = settle(raw, counted, rubric.cap)
                tops += [(row.name, v) for (_, row, _), v in zip(lines, counted, strict=True)]  # a penalty as −points
            implied = rubric.round_total(raw)
        else:  # a row neither declared nor scored from the inputs counts anywhere in its range: the total too
            ends = [_counts(kind, row, v, lows) for kind, row, v in lines]
            low = rubric.round_total(settle(raw, tuple(lo for lo, _ in ends), rubric.cap))
            high = rubric.round_total(settle(raw, tuple(hi for _, hi in ends), rubric.cap))
            between = (low, high)
            tops += [(row.name, lo) for (_, row, v), (lo, _) in zip(lines, ends, strict=True) if v is not None]
            undeclared = tuple((row.name, lo, hi) for (_, row, v), (lo, hi) in zip(lines, ends, strict=True) if v is None)
    vetoes = rubric.module.vetoes
    fired = _each_holds(rubric, tuple(v.condition for v in vetoes), values)  # None where an input is not given
    zero = any(f is True and v.action == "zero" for v, f in zip(vetoes, fired, strict=True))
    nothing = rubric.round_total(Decimal(0))
    may_be_zero = not zero and any(f is None and v.action == "zero" for v, f in zip(vetoes, fired, strict=True))
    if zero and (implied is not None or between is not None):  # 一票否决: a total that ignores it is a finding
        implied, between = nothing, None
    if total is not None:
        bonus = sum((row.max for kind, row in rubric.outside if kind != "penalty"), Decimal(0))  # and adjust rows' most
        findings.extend(_range(TOTAL, total, rubric.cap if rubric.cap is not None else rubric.max + bonus))
        vetoed = may_be_zero and total == nothing  # a zero veto whose inputs are not given may have fired
        if implied is not None and implied != total and not vetoed:
            findings.append(Finding("total", TOTAL, total, implied, tuple((n, v) for n, v in tops if v is not None)))
        if between is not None and not between[0] <= total <= between[1] and not vetoed:
            findings.append(Finding("total_range", TOTAL, total, between[0], tuple((n, v) for n, v in tops if v is not None),
                                    high=between[1], undeclared=undeclared))  # fmt: skip
    graded = nothing if zero else total if total is not None else implied
    conditions = tuple(g.condition or ast.Bool(True) for g in header.grades)
    holds = _each_holds(rubric, conditions, values)
    ungraded = grade if grade is not None and not rubric.grades else None  # no bands: nothing to check it against
    if grade is not None and graded is not None and ungraded is None:
        if None not in holds and None not in fired:  # every condition known: the grade is exact
            sure = tuple(bool(f) for f in fired)
            below = tuple(v.grade.text if f and v.action == "below" and v.grade else None for v, f in zip(vetoes, sure, strict=True))
            forced = tuple(v.grade.text if f and v.action == "grade" and v.grade else None for v, f in zip(vetoes, sure, strict=True))
            expected = graded_by(graded, rubric.grades, tuple(bool(h) for h in holds), below, forced)
            if expected != grade:
                findings.append(Finding("grade", GRADE, grade, expected, total=graded))
        else:  # a veto or a grade's condition not known can only lower the grade: not above the best it may be
            allowed, best = _possible_grades(rubric, graded, holds, fired, nothing if may_be_zero else None)
            if grade not in allowed:
                findings.append(Finding("grade_above", GRADE, grade, best, total=graded))
    return Audit(rubric.name, department, tuple(findings), tuple(agreed), tuple(unchecked), ungraded)


@pinned
def audit_file(rubric: Rubric, path: str | Path, *, lang: Lang = "zh", id: str | None = None) -> Audit:
    """Read a filled-in self-evaluation (YAML, JSON or XLSX; see `pingfen.io.filled`) and audit it."""
    nodes = [n.name for top in rubric.tree for n in top.walk()] + [row.name for _, row in rubric.outside]
    filled = read_filled(path, nodes, [s.name for s in rubric.inputs], id=id)
    if filled.formulas:  # read as blank, they would count as not declared: refused as PF534 refuses an input's
        declared = [_placed(Problem("PF536", name, _row_named(name, name in nodes), "uncomputed_formula"), str(path), at)
                    for name, at in filled.formulas.items()]  # fmt: skip
        # and the inputs' alike, in the one refusal: one open-and-save in Excel calculates them all
        read = _inputs_never_calculated(rubric, filled.inputs, lang, filled.department)
        raise DataError([*declared, *read], filled.department)
    try:
        return audit(rubric, filled.declared, filled.inputs, lang=lang, department=filled.department)
    except DataError as error:  # a declared score refused: where it is in the file, to be found
        if not any(p.code in _DECLARED for p in error.problems):
            raise
        placed = [_placed(p, str(path), filled.places.get(p.input or "")) if p.code in _DECLARED else p
                  for p in error.problems]  # fmt: skip
        raise DataError(placed, error.record) from None


_DECLARED = ("PF513", "PF514", "PF524")  # the refusals of a declared score, said with where it is


def _row_named(key: str, node: bool) -> dict[str, str]:
    """A declared row's name for a message: the total's (总分, 合计, total …) and the grade's
    alike in every refusal, 总分 and 评价等次 in 中文, total and grade in English."""
    if not node and normalize(key) in (TOTAL, *TOTAL_NAMES):
        return {"name": TOTAL, "name_zh": "总分"}
    if not node and normalize(key) in (GRADE, *GRADE_NAMES):
        return {"name": GRADE, "name_zh": "评价等次"}
    return {"name": key}


def _placed(problem: Problem, path: str | None, place: Cell | None) -> Problem:
    """A declared score's refusal with where it is: the file, and in a workbook its sheet, row
    and cell; nothing when `audit` is given the scores themselves."""
    if path is None:
        at = at_zh = ""
    elif place is None:
        at, at_zh = f"`{path}`: ", f"`{path}`："
    else:  # a hidden row said so: Excel shows none of that number
        hidden, hidden_zh = (", hidden", "，隐藏行") if place.hidden else ("", "")
        at = f"`{path}`, sheet `{place.sheet}`, row {place.row} (cell {place.cell}{hidden}): "
        at_zh = f"`{path}` 工作表 `{place.sheet}` 第 {place.row} 行（单元格 {place.cell}{hidden_zh}）："
    return Problem(problem.code, problem.input, {**problem.args, "at": at, "at_zh": at_zh}, problem.hint)


def _declared(
    rubric: Rubric, declared: Mapping[str, object], named: Collection[str]
) -> tuple[dict[str, Decimal], Decimal | None, str | None]:  # fmt: skip
    nodes = [n.name for top in rubric.tree for n in top.walk()] + [row.name for _, row in rubric.outside]
    modes = {node.name.text for node, _ in ast.walk_nodes(rubric.module.top) if node.applies}  # may be 不适用
    scores: dict[str, Decimal] = {}
    total: Decimal | None = None
    grade: str | None = None
    problems = []
    for key, raw in declared.items():
        if _blank(raw):
            continue
        node = key in nodes  # the rubric's own name wins over an alias of the total or grade: an indicator 综合得分
        if not node and normalize(key) in GRADE_NAMES:  # spaced as a form spaces it, 总 分, as a sheet's row is read
            grade = _grade_named(rubric, str(raw))
            continue
        if not node and normalize(key) not in TOTAL_NAMES:
            if without_invisible(key) in nodes:  # `投入\u200b`: no misspelling, a character unseen
                problems.append(_not_named(key, "PF513", nodes))
                continue
            close = difflib.get_close_matches(key, nodes, n=1, cutoff=0.6)
            problems.append(Problem("PF513", key, {"name": key, "suggestion": close[0]}, "did_you_mean") if close
                            else _summing(key) or _renamed(rubric, key, named))  # fmt: skip
            continue
        value = to_decimal(raw)
        if value is None:
            problems.append(_not_a_number(key, raw, node, key in modes))
        elif value and abs(value.adjusted()) > LIMIT:  # a typo (1e999999): no score is near it, and sums would overflow
            problems.append(Problem("PF524", key, {**_row_named(key, node), "value": show(raw), "range": f"10^-{LIMIT} … 10^{LIMIT}"}))
        elif node:
            scores[key] = value
        else:
            total = value
    if problems:
        raise DataError([_placed(p, None, None) for p in problems])
    return scores, total, grade


def _grade_named(rubric: Rubric, text: str) -> str:
    """A declared grade as the rubric names it: a cell's 良 好 (spaced, with a
    full-width space too, as a form spaces two characters) is 良好, no finding; else as written."""
    same = [name for name, _, _ in rubric.grades if normalize(name) == normalize(text)]
    return same[0] if len(same) == 1 else text.strip()


_LISTED = 8  # names a PF513's hint lists: more would bury the one sought


def _inputs_never_calculated(
    rubric: Rubric, inputs: Mapping[str, object] | None, lang: Lang, department: str | None
) -> list[Problem]:  # fmt: skip
    """PF534 where `pingfen eval` would refuse it, for a workbook's input cell holding a formula never
    calculated (read as blank; `inputs` a `SheetRecord`, else there is none): one that may not be
    left out, and one read only by rows that may not apply where a row that applies reads it
    (`score_node` refuses it), declared or not. Asked of the declared rows alone, an undeclared
    row's input was a blank in silence and the file said to agree. One read only by rows that do
    not apply is left out, as eval leaves it. `audit` and `audit_file` both ask it."""
    if not isinstance(inputs, SheetRecord):
        return []
    names = {s.name for s in rubric.inputs}
    given = {k: v for k, v in inputs.items() if not _blank(v) and k in names}  # a name unknown is PF517's
    formulas = [s.name for s in rubric.inputs if s.name in inputs.formulas]  # in the rubric's order
    guarded = {k for k in formulas if k in rubric.optional}
    read = {k for k in formulas if k not in guarded}
    rows = [n for top in rubric.tree for n in top.walk() if not n.is_group] + [row for _, row in rubric.outside]
    for row in rows:
        if guarded.isdisjoint(row.inputs) or guarded <= read:
            continue
        try:
            rubric.score_node(row.name, given, lang=lang, record=department)
        except DataError as refused:  # one problem at most: the first Absent the row reads
            read |= {p.input for p in refused.problems if p.code == "PF501" and p.input in guarded}
    if not read:
        return []
    missing = DataError([Problem("PF501", k, {"input": k}) for k in formulas if k in read], department)
    return list(inputs.refused(missing).problems)


_NONE = frozenset({"/", "／", "\\", "-", "－", "—", "——", "无", "不涉及"})  # a form's "nothing here"


def _not_a_number(key: str, raw: object, node: bool, may_not_apply: bool) -> Problem:
    """PF514 for a declared value that is not a number; the help says what it is when a form's
    habit made it so: 5分 (the number alone is wanted), 5% (a score is points), #DIV/0! (a formula's
    error), / or 不适用 (不适用 where the row may not apply, else a blank: it always applies)."""
    args = {**_row_named(key, node), "value": show(raw)}
    if excel_error(raw):
        return Problem("PF514", key, args, "excel_error")
    if node and isinstance(raw, str) and (raw.strip() in _NONE or says_not_applicable(raw)):
        return Problem("PF514", key, args, "may_be_na" if may_not_apply else "always_applies")
    number = points_number(raw)
    if number is not None:
        return Problem("PF514", key, {**args, "number": show(number)}, "number_alone")
    if isinstance(raw, str) and raw.strip().endswith(("%", "％")) and to_decimal(raw.strip()[:-1]) is not None:
        return Problem("PF514", key, args, "score_points")  # 95% for a score: points, not a percent
    return Problem("PF514", key, args)


def _summing(key: str) -> Problem | None:
    """PF513 for a row that adds others up, or grades them, under a name audit does not read
    (得分合计, 自评总分, a group's 小计, 自评等级): its help says what to name it, not that it
    was renamed or dropped."""
    if SUBTOTAL in key:
        return Problem("PF513", key, {"name": key}, "subtotal_row")
    for names, hint in ((TOTAL_NAMES, "total_row"), (GRADE_NAMES, "grade_row")):
        words = names[1:]  # the Chinese names: a key with one in it (得分合计, 自评等级) adds up or grades
        if any(word in key for word in words):
            return Problem("PF513", key, {"name": key, "names": ", ".join(words), "names_zh": "、".join(words)}, hint)
    return None


def _renamed(rubric: Rubric, key: str, named: Collection[str]) -> Problem:
    """PF513 for a name like none of the rubric's (last year's file, say, after a rename): the hint
    lists the rows the file leaves out at the levels where it declares others, where a renamed
    row would be, and points to `pingfen diff`; with none left out, it says to delete the row."""
    levels = [[*(top.name for top in rubric.tree), *(row.name for _, row in rubric.outside)]]
    levels += [[c.name for c in n.children] for top in rubric.tree for n in top.walk() if n.children]
    beside = [name for level in levels if any(n in named for n in level) for name in level if name not in named]
    if not beside:
        return Problem("PF513", key, {"name": key}, "renamed_or_dropped")
    shown = [f"`{name}`" for name in beside[:_LISTED]]
    more = len(beside) - len(shown)
    names = ", ".join(shown) + (f" … ({len(beside)} in all)" if more else "")
    names_zh = "、".join(shown) + (f"等 {len(beside)} 个" if more else "")
    return Problem("PF513", key, {"name": key, "names": names, "names_zh": names_zh}, "renamed_beside")


def _added(
    rubric: Rubric, nodes: tuple[NodeSpec, ...], parts: list[tuple[str, Decimal | None]], not_applying: set[str],
    modes: Mapping[str, str], top: Decimal,
) -> Decimal:  # fmt: skip
    """The declared parts added up; re-scaled (× top ÷ the maxima that apply: 折算) when some
    are declared 不适用 and left out, as the rubric scores it."""
    added = sum((v for _, v in parts if v is not None), Decimal(0))
    left_out = {n.name for n in nodes if n.name in not_applying and modes[n.name] == "rescale"}
    applicable = sum((Decimal(0) if n.name in left_out else n.max for n in nodes), Decimal(0))
    if not left_out or not applicable:
        return added
    return CONTEXT.divide(CONTEXT.multiply(added, top), applicable)


def _each_holds(
    rubric: Rubric, conditions: tuple[ast.Expr, ...], values: Mapping[str, object]
) -> tuple[bool | None, ...]:  # fmt: skip
    """Whether each condition (a veto's, a grade's) holds on the inputs given; None for one that
    reads an input not given."""
    walker = rubric.walker()
    out: list[bool | None] = []
    for condition in conditions:
        try:
            out.append(bool(walker.expression(condition, values)))
        except (KeyError, DataError):
            out.append(None)
    return tuple(out)


def _possible_grades(
    rubric: Rubric, total: Decimal, holds: tuple[bool | None, ...], fired: tuple[bool | None, ...],
    zero: Decimal | None,
) -> tuple[set[str | None], str | None]:  # fmt: skip
    """The grades a record may get when some vetoes' or grades' conditions are not known, and
    the best of them: a veto that forces a grade and may have fired gives that grade; else a
    grade no higher than the one the bands give when every unknown condition holds and no
    unknown veto fired (a `below` veto and a failed condition only lower it; so does a zero
    veto that may have fired, whose total `zero` is tried too)."""
    vetoes = rubric.module.vetoes
    forced: list[str] = []
    for veto, f in zip(vetoes, fired, strict=True):
        if veto.action == "grade" and veto.grade is not None and f is not False:
            forced.append(veto.grade.text)
            if f:  # the first forced grade known to hold is the grade, but for an earlier one maybe fired
                return set(forced), forced[0]
    below = tuple(v.grade.text if f and v.action == "below" and v.grade else None for v, f in zip(vetoes, fired, strict=True))
    hoped = tuple(h is not False for h in holds)
    names = [name for name, _, _ in rubric.grades]
    reached = [graded_by(t, rubric.grades, hoped, below, ()) for t in (total, zero) if t is not None]
    indexes = [names.index(g) for g in reached if g is not None]
    if not indexes:
        return {*forced, None}, forced[0] if forced else None
    best = min(indexes)
    return {*forced, *names[best:]}, names[best]


def _counts(kind: str, row: NodeSpec, value: Decimal | None, lows: Mapping[str, Decimal]) -> tuple[Decimal, Decimal]:
    """What an outside row counts for in the total, as (least, most): its score when known (a
    penalty's as the points it takes), else its range: a bonus 0 … max, a penalty −max … 0, an
    adjust row its lower end … max."""
    if value is not None:
        counted = value - row.max if kind == "penalty" else value
        return counted, counted
    if kind == "penalty":
        return -row.max, Decimal(0)
    return lows.get(row.name, Decimal(0)), row.max


def _scored(rubric: Rubric, row: NodeSpec, values: Mapping[str, object], lang: Lang, department: str | None) -> Decimal | None:
    """A bonus, penalty or adjust row not declared: its score by the rule, when every input it reads is given."""
    if any(i not in values for i in row.inputs):
        return None
    return rubric.score_node(row.name, values, lang=lang, record=department).score


def _agrees(declared: Decimal, exact: Decimal, places: int) -> bool:
    """Whether a declared score is `exact` (the rule's score, a group's parts added up) as a
    self-evaluation writes it: rounded half up to the rubric's total `places`, or to the declared
    number's own decimals where it has more — and then both round alike to `places` too, so that
    the rubric's own rounding gives them the same score. 16.33 and 16.333 are 16.333…, 16 and
    16.3 are not; 16.335 is not 16.3349 (16.34 against 16.33). Fewer decimals than `places`
    count as `places`: a workbook's cell 16.30 arrives as 16.3."""
    if declared == exact:
        return True
    digits = max(places, -int(declared.as_tuple().exponent))
    if digits >= -int(exact.as_tuple().exponent):  # `exact` has no more decimals than that: no rounding to forgive
        return False
    if digits > places and _half_up(declared, places) != _half_up(exact, places):
        return False  # 8.5 for 8.49 at whole places: right to its own digit, but the rubric's 8 is not its 9
    return _half_up(exact, digits) == declared


def _half_up(value: Decimal, digits: int) -> Decimal:
    quantum = Decimal(1).scaleb(-digits)
    if digits < SETTLE_PLACES:  # settled first, as every rounding of the language: 15.62499… is the tie 15.625
        return rounded(value, quantum, ROUND_HALF_UP)
    return value.quantize(quantum, rounding=ROUND_HALF_UP, context=SETTLING)


def _range(name: str, value: Decimal, top: Decimal, low: Decimal = Decimal(0)) -> list[Finding]:
    """A declared score outside [low, top]: low is 0 but for an adjust row (its lower end)."""
    if value > top:
        return [Finding("above_max", name, value, top)]
    if value < low:
        return [Finding("below_zero", name, value, low)]
    return []


def _not_named(key: str, code: str, names: Collection[str]) -> Problem:
    """PF513/PF517 for a name the rubric does not have, shown with its invisible characters
    escaped; when it is a rubric's name but for them, the help says to delete them, and when an
    input's spaced or with its unit, which input is meant."""
    hidden = without_invisible(key) in names
    if not hidden and code == "PF517" and (meant := input_meant(key, names)) is not None:  # 编制 人数, 结余（万元）
        return Problem(code, key, {"name": invisible_escaped(key), "suggestion": meant}, "did_you_mean")
    return Problem(code, key, {"name": invisible_escaped(key)}, "invisible_column" if hidden else None)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())

"""An audit's findings (the data `pingfen.audit` builds) and the audit in words: one line per
disagreement with its numbers, the rule's reasons indented below it, then a count of what was
and was not recomputed, with the first inputs missing named."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attrs import frozen

from pingfen.display import number
from pingfen.lang import Lang
from pingfen.reasons import shown


@frozen
class Finding:
    """One disagreement.

    kind: `above_max`, `below_zero` (expected is the bound), `sum` (a group; expected is
    the sum of `parts`), `total` (likewise), `total_range` (a bonus, penalty or adjust row
    neither declared nor scored from the inputs: the total is outside expected … `high`, the
    rows `undeclared` counted anywhere in their ranges), `grade` (expected is the grade the
    bands give `total`), `grade_above` (a veto's or a grade's condition reads inputs not
    given: expected is the best grade the total may have, and the declared one is above it)
    or `rule` (expected is the rule's score, from `inputs`, with `reasons`).
    """

    kind: str
    name: str
    declared: Decimal | str
    expected: Decimal | str | None
    parts: tuple[tuple[str, Decimal], ...] = ()
    inputs: tuple[tuple[str, str], ...] = ()
    reasons: tuple[str, ...] = ()
    total: Decimal | None = None
    high: Decimal | None = None
    undeclared: tuple[tuple[str, Decimal, Decimal], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "name": self.name, "declared": self.declared,
                               "expected": self.expected}  # fmt: skip
        if self.parts:
            out["parts"] = {name: value for name, value in self.parts}
        if self.inputs:
            out["inputs"] = {name: value for name, value in self.inputs}
        if self.kind == "rule":
            out["reasons"] = list(self.reasons)
        if self.total is not None:
            out["total"] = self.total
        if self.high is not None:
            out["high"] = self.high
        if self.undeclared:
            out["undeclared"] = {name: [low, high] for name, low, high in self.undeclared}
        return out


@frozen
class Audit:
    """The findings, in rubric order (total and grade last), and what could be recomputed:
    `agreed` names the indicators whose declared score the rule confirms; `unchecked` pairs
    each declared indicator left unchecked with the inputs it lacks; `ungraded` is a declared
    grade not checked, the rubric having no grade bands."""

    rubric: str
    department: str | None
    findings: tuple[Finding, ...]
    agreed: tuple[str, ...]
    unchecked: tuple[tuple[str, tuple[str, ...]], ...]
    ungraded: str | None = None

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rubric": self.rubric,
            "department": self.department,
            "agree": self.ok,
            "findings": [f.to_dict() for f in self.findings],
            "recomputed_agree": list(self.agreed),
            "not_recomputed": {name: list(missing) for name, missing in self.unchecked},
        }
        if self.ungraded is not None:
            out["grade_not_checked"] = self.ungraded
        return out


def _n(value: Decimal | str | None) -> str:
    """A number of a finding: every digit up to 6 decimals, as reasons show them, and a longer
    one to 2 with `…`, so that a finding never reads "declared 3.275, the rule gives 3.28"
    as two equal numbers (both were 3.28), nor 16.33 against 16.333… as 16.33 twice."""
    if not isinstance(value, Decimal):
        return str(value)
    text = shown(value)
    return text if Decimal(text) == value else f"{text}…"


def _parts(parts: tuple[tuple[str, Decimal], ...]) -> str:
    return " + ".join(f"{name} {_n(value)}" for name, value in parts)


def _name(finding: Finding, lang: Lang) -> str:
    if finding.name == "total":
        return "总分" if lang == "zh" else "total"
    if finding.name == "grade":
        return "评价等次" if lang == "zh" else "grade"
    return f"`{finding.name}`"


def finding_text(f: Finding, lang: Lang = "zh") -> str:
    """The finding as one sentence with its numbers."""
    # Only the finding's own sentence is built: the others read fields it need not have
    # (a grade's declared value is a word, not a number).
    return f"{_name(f, lang)}{'：' if lang == 'zh' else ': '}{_sentence(f, lang)}"


def _sentence(f: Finding, lang: Lang) -> str:
    d, e = _n(f.declared), _n(f.expected)
    zh = lang == "zh"
    match f.kind:
        case "above_max":
            return f"自评 {d} 分，超过分值 {e} 分" if zh else f"declared {d}, above the max {e}"
        case "below_zero":
            return f"自评 {d} 分，低于 {e} 分" if zh else f"declared {d}, below {e}"  # 0, or an adjust row's lower end
        case "sum":
            if zh:
                return f"自评 {d} 分，下级指标得分合计 {e} 分（{_parts(f.parts)}）"
            return f"declared {d}, but its parts add up to {e} ({_parts(f.parts)})"
        case "total":
            if zh:
                return f"自评 {d} 分，各项得分合计 {e} 分（{_parts(f.parts)}），相差 {_diff(f)} 分"
            return f"declared {d}, but the scores add up to {e} ({_parts(f.parts)}), {_diff(f)} apart"
        case "total_range":
            parts = _parts(f.parts)
            if zh:
                open_ = "，".join(f"{name} {number(lo)} 至 {number(hi)} 分" for name, lo, hi in f.undeclared)
                return f"自评 {d} 分，各项得分合计应在 {e} 至 {_n(f.high)} 分之间（{parts}{'；' if parts else ''}未申报：{open_}）"
            open_ = ", ".join(f"{name} {number(lo)} to {number(hi)}" for name, lo, hi in f.undeclared)
            return f"declared {d}, but the scores add up to {e} to {_n(f.high)} ({parts}{'; ' if parts else ''}not declared: {open_})"
        case "grade_above":
            if zh:
                return f"自评“{d}”，总分 {_n(f.total)} 分按评价等次至多为“{e}”（一票否决或等次条件的输入未全部给出）"
            return f"declared {d}, but a total of {_n(f.total)} is graded {e} at best (the inputs of a veto or grade condition are not all given)"
        case "grade":
            if zh:
                return f"自评“{d}”，总分 {_n(f.total)} 分按评价等次应为“{e}”"
            return f"declared {d}, but a total of {_n(f.total)} is graded {e}"
        case "rule":
            given = ("，" if zh else ", ").join(f"{name} {value}" for name, value in f.inputs)
            return f"自评 {d} 分，按评分规则应得 {e} 分（{given}）" if zh else f"declared {d}, the rule gives {e} ({given})"
    return f"自评 {d}，应为 {e}" if zh else f"declared {d}, expected {e}"  # a kind added without words


def _diff(f: Finding) -> str:
    if not (isinstance(f.declared, Decimal) and isinstance(f.expected, Decimal)):
        return "?"  # only a total's finding is asked, and it holds two numbers
    return _n(abs(f.declared - f.expected))


def render_audit(result: Audit, lang: Lang = "zh") -> str:
    """The whole audit as text."""
    word = "不一致" if lang == "zh" else "disagreement"
    title = f"{result.rubric}：自评复核" if lang == "zh" else f"{result.rubric}: audit"
    if result.department:
        title += f"（{result.department}）" if lang == "zh" else f" ({result.department})"
    lines = [title]
    for f in result.findings:
        lines.append(f"{word} {finding_text(f, lang)}")
        lines.extend(f"    {reason}" for reason in f.reasons)
    rules = sum(f.kind == "rule" for f in result.findings)
    recomputed = len(result.agreed) + rules
    missing = len(result.unchecked)
    count = len(result.findings)
    if result.ungraded is not None:  # not a disagreement: the rubric grades nothing, so no grade is wrong
        lines.append(f"评价等次未复核：评分表未设评价等次（自评“{result.ungraded}”）" if lang == "zh"
                     else f"grade not checked: the rubric has no grades (declared {result.ungraded})")  # fmt: skip
    lacking = list(dict.fromkeys(i for _, inputs in result.unchecked for i in inputs))  # in order, once each
    shown = lacking[:_LISTED]
    more = len(lacking) > len(shown)
    if lang == "zh":
        verdict = f"发现 {count} 处不一致" if count else "自评得分与评分表一致"
        named = f"（缺少输入项 {'、'.join(shown)}{f' 等 {len(lacking)} 项' if more else ''}）" if shown else ""
        lines.append(
            f"{verdict}；按规则复核 {recomputed} 项指标（{len(result.agreed)} 项一致），{missing} 项缺少输入未复核{named}"
        )
    else:
        verdict = f"{count} disagreement{'s' * (count != 1)}" if count else "the declared scores agree"
        named = f": {', '.join(shown)}{f' … ({len(lacking)} in all)' if more else ''}" if shown else ""
        lines.append(f"{verdict}; {recomputed} indicators recomputed by their rules ({len(result.agreed)} agree), "
                     f"{missing} not recomputed (inputs missing{named})")  # fmt: skip
    return "\n".join(lines)


_LISTED = 5  # missing inputs the text names: `--format json` gives them all, by indicator

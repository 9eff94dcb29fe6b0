"""`pingfen diff`'s output: the changes and the replay as a table in 中文 or English, or JSON.

Values are shown as the rule file writes them (`[80%, 90%) -> 4`), so only the words
around them are translated. The JSON has a `version`; its keys are fixed (docs/yearly-round.md).
"""

from __future__ import annotations

from decimal import Decimal
from typing import assert_never

from pingfen.ast import AppliesMode
from pingfen.diff import Change, Kind, Part, RubricDiff
from pingfen.display import width
from pingfen.lang import Lang
from pingfen.overrides import Extension, OverrideKind
from pingfen.reasons import shown
from pingfen.replay import HeaderChange, Replay, RowChange, Unit, VetoChange

# The JSON's layout: raised when a key changes meaning or goes away.
VERSION = 1

KIND_WORDS: dict[Kind, tuple[str, str]] = {
    "header_changed": ("header", "表头"),
    "grade_added": ("grade added", "新增等次"),
    "grade_removed": ("grade removed", "删除等次"),
    "grade_changed": ("grade changed", "等次变化"),
    "input_added": ("input added", "新增输入项"),
    "input_removed": ("input removed", "删除输入项"),
    "input_changed": ("input changed", "输入项变化"),
    "input_renamed": ("input renamed", "输入项更名"),
    "let_added": ("value added", "新增计算值"),
    "let_removed": ("value removed", "删除计算值"),
    "let_changed": ("value changed", "计算值变化"),
    "row_added": ("row added", "新增指标"),
    "row_removed": ("row removed", "删除指标"),
    "row_renamed": ("row renamed", "指标更名"),
    "row_moved": ("row moved", "指标移动"),
    "max_changed": ("max changed", "分值变化"),
    "rule_added": ("rule added", "新增规则"),
    "rule_removed": ("rule removed", "删除规则"),
    "rule_changed": ("rule changed", "评分标准变化"),
    "veto_added": ("veto added", "新增一票否决"),
    "veto_removed": ("veto removed", "删除一票否决"),
    "veto_changed": ("veto changed", "一票否决变化"),
}

# What a file that extends another does to its base (`overrides`).
OVERRIDE_WORDS: dict[OverrideKind, tuple[str, str]] = {
    "header_set": ("header settings", "修改表头"),
    "row_replaced": ("row replaced", "替换指标"),
    "row_added": ("row added", "新增指标"),
    "row_removed": ("row removed", "删除指标"),
    "rows_added_to": ("rows added to group", "向分组添加指标"),
    "max_set": ("max changed", "修改分值"),
    "input_replaced": ("input replaced", "替换输入项"),
    "input_added": ("input added", "新增输入项"),
    "input_removed": ("input removed", "删除输入项"),
    "veto_replaced": ("veto replaced", "替换一票否决"),
    "veto_added": ("veto added", "新增一票否决"),
    "veto_removed": ("veto removed", "删除一票否决"),
}

PART_WORDS: dict[str, tuple[str, str]] = {
    "title": ("title", "标题"),
    "year": ("year", "年度"),
    "total": ("total", "总分"),
    "rounding": ("rounding", "舍入"),
    "cap": ("cap", "总分上限"),
    "threshold": ("threshold", "分数线"),
    "order": ("order", "顺序"),
    "type": ("type", "类型"),
    "bounds": ("bounds", "取值范围"),
    "labels": ("labels", "选项"),
    "description": ("description", "说明"),
    "rate": ("rate", "每步扣分"),
    "step": ("step", "步长"),
    "value": ("value", "计量值"),
    "direction": ("direction", "方向"),
    "reference": ("reference", "基准"),
    "counting": ("counting", "计步方式"),
    "guard": ("applies if", "适用条件"),
    "precision": ("precision", "精度"),
    "reason": ("reason", "扣分原因"),
    "points": ("points", "分数"),
    "condition": ("condition", "条件"),
    "subject": ("subject", "分档依据"),
    "edges": ("edges", "分界"),
    "input": ("input", "输入项"),
    "expr": ("formula", "公式"),
    "applies": ("applies", "适用情形"),
    "pending": ("pending", "待定"),
    "action": ("action", "否决结果"),
}

# Words followed by a position: ("band", 2) is "band 2", 第2档.
POSITION_WORDS: dict[str, tuple[str, str]] = {
    "rule": ("rule {}", "第{}条规则"),
    "item": ("item {}", "第{}项"),
    "band": ("band {}", "第{}档"),
    "arm": ("arm {}", "第{}个分支"),
}

_WORDS = {
    "zh": {
        "title": "比较 {old} → {new}", "kind": "变化", "node": "对象", "part": "项目", "old": "原", "new": "新",
        "none": "没有差别：两版评分表评分相同（注释、排版和示例不计）", "count": "共 {n} 处变化",
        "replay": "用 {data} 重算", "unit": "单位", "old_total": "原总分", "new_total": "新总分",
        "old_grade": "原等次", "new_grade": "新等次", "rows": "得分变化的指标", "refused": "无法评分：",
        "old_refused": "原版无法评分", "new_refused": "新版无法评分", "sep": "；", "was": "原名",
        "extends": "{path} 继承 {base}，对所继承文件的修改：", "line": "行", "base_value": "原值",
        "own_value": "新值",
    },
    "en": {
        "title": "Comparing {old} → {new}", "kind": "change", "node": "where", "part": "part", "old": "old",
        "new": "new", "none": "No differences: the two versions score alike (comments, layout and examples aside)",
        "count": "{n} changes", "replay": "Replaying {data}", "unit": "unit", "old_total": "old total",
        "new_total": "new total", "old_grade": "old grade", "new_grade": "new grade", "rows": "rows that changed",
        "refused": "Could not be scored:", "old_refused": "refused by the old version",
        "new_refused": "refused by the new version", "sep": "; ", "was": "was",
        "extends": "{path} extends {base}; what it changes of its base:", "line": "line", "base_value": "base",
        "own_value": "this file",
    },
}  # fmt: skip

_NONE = "—"


def part_text(part: Part, lang: Lang) -> str:
    """`("band", 2, "edges")` as 第2档 · 分界 or band 2 · edges."""
    index = 0 if lang == "en" else 1
    words: list[str] = []
    at = 0
    while at < len(part):
        word = part[at]
        following = part[at + 1] if at + 1 < len(part) else None
        if isinstance(word, str) and word in POSITION_WORDS and isinstance(following, int):
            words.append(POSITION_WORDS[word][index].format(following))
            at += 2
            continue
        words.append(PART_WORDS[word][index] if isinstance(word, str) and word in PART_WORDS else str(word))
        at += 1
    return " · ".join(words)


def change_row(change: Change, lang: Lang) -> list[str]:
    kind = KIND_WORDS[change.kind][0 if lang == "en" else 1]
    return [kind, change.node or _NONE, part_text(change.part, lang) or _NONE, change.old or _NONE, change.new or _NONE]


def _table(header: list[str], body: list[list[str]]) -> list[str]:
    """Columns aligned by display width (a 汉字 takes two); the last column runs free."""
    cols = [max(width(r[i]) for r in [header, *body]) for i in range(len(header) - 1)]

    def line(row: list[str]) -> str:
        cells = [c + " " * (cols[i] - width(c)) for i, c in enumerate(row[:-1])]
        return "  ".join([*cells, row[-1]]).rstrip()

    rule = "─" * (sum(cols) + 2 * len(cols) + max(width(header[-1]), 8))
    return [line(header), rule, *(line(r) for r in body)]


def render_diff(found: RubricDiff, old: str, new: str, lang: Lang = "zh", extensions: tuple[Extension, ...] = ()) -> str:
    """The changes as a table, with a count; one line when there are none. Then, for each
    version that extends another file, what it overrides of its base."""
    words = _WORDS[lang]
    out = [words["title"].format(old=old, new=new), ""]
    if found.empty:
        out.append(words["none"])
    else:
        header = [words[k] for k in ("kind", "node", "part", "old", "new")]
        out += _table(header, [change_row(c, lang) for c in found.changes])
        count = len(found.changes)
        out += ["", "1 change" if lang == "en" and count == 1 else words["count"].format(n=count)]
    for extension in extensions:
        out += ["", words["extends"].format(path=extension.path, base=extension.base), ""]
        header = [words[k] for k in ("line", "kind", "node", "base_value", "own_value")]
        body = [[str(o.line), OVERRIDE_WORDS[o.kind][0 if lang == "en" else 1], o.name or _NONE, o.old or _NONE,
                 o.new or _NONE] for o in extension.overrides]  # fmt: skip
        out += _table(header, body)
    return "\n".join(out)


def _score(value: object) -> str:
    return _NONE if value is None else str(value)


def _row_change(change: RowChange, lang: Lang) -> str:
    # 不适用 (N/A) as eval shows a row that does not apply; where it applies under neither version
    # only what it counts as moved the total, and is shown beside it: 不适用（4） → 不适用（5）, and
    # where its mode changed, the mode too (rescale → zero moves the total with 0 → 0):
    # 不适用（折算） → 不适用（计 0 分）
    counted = not change.old_applies and not change.new_applies
    moded = counted and change.old_mode != change.new_mode

    def side(score: Decimal | None, applies: bool, mode: AppliesMode | None) -> str:
        if score is None:
            return _NONE
        if applies:
            return shown(score)  # 2.995 → 3, not 3 → 3
        na = "不适用" if lang == "zh" else "N/A"
        if not counted:
            return na
        said = shown(score)
        if moded:
            said = ("折算" if lang == "zh" else "rescaled") if mode == "rescale" else f"计 {said} 分" if lang == "zh" else f"counts {said}"
        return f"{na}（{said}）" if lang == "zh" else f"{na} ({said})"

    old, new = side(change.old, change.old_applies, change.old_mode), side(change.new, change.new_applies, change.new_mode)
    was = f"（{_WORDS[lang]['was']} {change.old_name}）" if lang == "zh" else f" (was {change.old_name})"
    return f"{change.name}{was if change.old_name else ''} {old} → {new}"


def _veto_change(change: VetoChange, lang: Lang) -> str:
    """一票否决“重大违规”：总分计0分 → — (it held under the old version only)."""
    old, new = (_NONE if line is None else line.said(lang) for line in (change.old, change.new))
    return f"一票否决“{change.name}”：{old} → {new}" if lang == "zh" else f"veto {change.name}: {old} → {new}"


def _header_change(change: HeaderChange, lang: Lang) -> str:
    """等次线变化, 封顶 100 → 105, 保留位数 2 → 1 (with the modes when they changed: 2 half_up → 2 down)."""
    old, new = change.old or _NONE, change.new or _NONE
    match change.part:
        case "grades":
            return "等次线变化" if lang == "zh" else "grade lines changed"
        case "cap":
            return f"封顶 {old} → {new}" if lang == "zh" else f"cap {old} → {new}"
        case "rounding":
            return f"保留位数 {old} → {new}" if lang == "zh" else f"rounding {old} → {new}"
        case _:
            assert_never(change.part)


def render_replay(found: Replay, data: str, lang: Lang = "zh") -> str:
    """Each unit whose total or grade changed, with the rows that caused it; the units one
    version refuses; then the summary."""
    words = _WORDS[lang]
    out = [words["replay"].format(data=data), ""]
    scored = [u for u in found.units if not u.refused]
    if scored:
        header = [words[k] for k in ("unit", "old_total", "new_total", "old_grade", "new_grade", "rows")]
        body = [
            [u.id, _score(u.old.total), _score(u.new.total), u.old.grade or _NONE, u.new.grade or _NONE,
             words["sep"].join([*(_row_change(r, lang) for r in u.rows), *(_veto_change(v, lang) for v in u.vetoes),
                                *(_header_change(h, lang) for h in u.header)]) or _NONE]
            for u in scored
        ]  # fmt: skip
        out += [*_table(header, body), ""]
    refused = [u for u in found.units if u.refused]
    if refused:
        out.append(words["refused"])
        out += [f"  {_refusal(u, lang)}" for u in refused]
        out.append("")
    out.append(found.summary(lang))
    if found.compared_none:  # a check that passed here would have compared nothing
        out.append(_nothing_compared(found, data, lang))
    return "\n".join(out)


_SHOWN = 2  # problems of the first unit refused by both, shown when no unit was compared


def _nothing_compared(found: Replay, data: str, lang: Lang) -> str:
    """Why the run compared no unit: the file holds no record, or the first both refuse, and why."""
    zh = lang == "zh"
    if found.first_refused is None:
        return f"{data} 中没有任何记录：无从比较" if zh else f"{data} holds no record: nothing was compared"
    unit, error = found.first_refused
    shown = error.problems[:_SHOWN]  # the first few: a row of the wrong file misses every input
    problems = _WORDS[lang]["sep"].join(f"{p.code}: {p.message(lang)}" for p in shown)
    if len(error.problems) > len(shown):
        problems += f"等 {len(error.problems)} 项" if zh else f"; … {len(error.problems)} in all"
    if zh:
        return f"没有一个单位能由任一版评分：无从比较（如 {unit}：{problems}）"
    return f"no unit could be scored by either version: nothing was compared (e.g. {unit}: {problems})"


def _refusal(unit: Unit, lang: Lang) -> str:
    words = _WORDS[lang]
    side, error = ("old_refused", unit.old.error) if unit.old.error is not None else ("new_refused", unit.new.error)
    assert error is not None
    colon = "：" if lang == "zh" else ": "
    problems = words["sep"].join(f"{p.code}: {p.message(lang)}" for p in error.problems)
    return f"{unit.id}{colon}{words[side]}{colon}{problems}"


def to_json(
    found: RubricDiff, old: str, new: str, replayed: Replay | None, lang: Lang = "zh", extensions: tuple[Extension, ...] = ()
) -> dict[str, object]:
    """The whole answer as data: `version`, `old`, `new`, `changes`, `replay` (or null), and
    `extends`: for each version that extends another file, its overrides."""
    return {
        "version": VERSION, "old": old, "new": new, "changes": [c.to_dict() for c in found.changes],
        "replay": None if replayed is None else replayed.to_dict(lang), "extends": [e.to_dict() for e in extensions],
    }  # fmt: skip

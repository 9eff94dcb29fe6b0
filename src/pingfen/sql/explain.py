"""The `reasons` column of the scoring query worded back: the same sentences evaluate() gives.

The query writes each point lost as `[k, n1, n2, …]`: k numbers a reason the rubric may give
(its catalogue, which compiling the rubric again rebuilds, the same each time), the n its
numbers for this record. Here each is made the walker's Reason again — its Site from the
catalogue, its numbers from the row — and worded by pingfen.reasons, as any result's are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from pingfen.errors import DataError, Problem
from pingfen.evaluate.rubric import Rubric, given_rubric
from pingfen.lang import Lang, checked
from pingfen.reasons import Reason
from pingfen.sql.compiler import REASONS, Entry
from pingfen.sql.newforms import FormsCompiler
from pingfen.values import pinned

MAX_TEXT = 1_000_000  # characters of one row's reasons: a rubric's few hundred reasons are far less


class Explainer:
    """Words the `reasons` column of `to_sql(rubric)`'s rows; build once per rubric."""

    @pinned  # the caller's decimal context never reaches the compiler or the reasons' arithmetic
    def __init__(self, rubric: Rubric) -> None:
        given_rubric(rubric, "pingfen.sql.Explainer")  # a path failed deep inside (AttributeError)
        compiler = FormsCompiler(rubric, "records", "duckdb")
        compiler.tree()
        self.catalogue: tuple[Entry, ...] = tuple(compiler.catalogue)

    @pinned
    def reasons(self, row: Mapping[str, object]) -> dict[str, list[Reason]]:
        """Each indicator that lost points → its reasons, in the order evaluate() gives them.
        `row` is a row of the query, by column name (its node scores and `reasons`); what has
        no `.get` (None, a tuple of values) is a TypeError, not "has no attribute 'get'" inside."""
        if not callable(getattr(row, "get", None)):  # a mapping, or a pandas row, reads by name
            raise TypeError(f"explain takes a row of the query, a mapping of its columns to values, not {type(row).__name__}: "
                            "dict(zip(columns, values)), or a DataFrame row's .asDict()")  # fmt: skip
        text = row.get(REASONS)
        found: dict[str, list[Reason]] = {}
        if text is None:  # a refused record: nothing was scored
            return found
        for k, numbers in self._items(text):
            entry = self.catalogue[k]
            score = row.get(entry.node)
            found.setdefault(entry.node, []).append(Reason(entry.site, numbers, score if isinstance(score, Decimal) else None))
        return found

    @pinned
    def explain(self, row: Mapping[str, object], lang: Lang = "zh") -> dict[str, list[str]]:
        """Each indicator that lost points → its reasons in words (扣分原因)."""
        checked(lang)  # a row with no reasons too: "zh-CN" is refused, not taken for English
        return {node: [r.text(lang) for r in reasons] for node, reasons in self.reasons(row).items()}

    def _items(self, text: object) -> list[tuple[int, tuple[object, ...]]]:
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise _unreadable("not a text of at most 1,000,000 characters", "不是至多 1,000,000 个字符的文本")
        try:
            items = json.loads(text)  # two levels deep; a deeper text is refused below, not recursed into
        except (ValueError, RecursionError) as error:
            raise _unreadable(f"not JSON ({type(error).__name__})", f"不是 JSON（{type(error).__name__}）") from None
        if not isinstance(items, list):
            raise _unreadable("not a list", "不是列表")
        out = []
        for item in items:
            if not (isinstance(item, list) and item and type(item[0]) is int and 0 <= item[0] < len(self.catalogue)):
                raise _unreadable(f"{str(item)[:40]} names no reason of this rubric", f"{str(item)[:40]} 不是本评分表的扣分原因")
            entry = self.catalogue[item[0]]
            if len(item) != len(entry.kinds) + 1:
                raise _unreadable(f"{str(item)[:40]} has not the {len(entry.kinds)} numbers of its reason",
                                  f"{str(item)[:40]} 不是该扣分原因的 {len(entry.kinds)} 个数")  # fmt: skip
            out.append((item[0], tuple(_read(v, kind) for v, kind in zip(item[1:], entry.kinds, strict=True))))
        return out


def _read(value: object, kind: str) -> object:
    if kind == "panels" and isinstance(value, list):  # each panel read: its values, as the walker's tuples
        return tuple(_panel(v) for v in value)
    if kind == "panel" and isinstance(value, list):  # a panel an author's template names
        return _panel(value)
    if value is None or (kind == "bool" and isinstance(value, bool)) or (kind in ("text", "json") and isinstance(value, str)):
        return value
    if kind == "decimal" and isinstance(value, str) and len(value) <= 100:
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            return number
    raise _unreadable(f"{str(value)[:40]} is not a {kind}", f"{str(value)[:40]} 不是{_KINDS_ZH.get(kind, kind)}")


def _panel(values: object) -> tuple[Decimal, ...]:
    if not isinstance(values, list):
        raise _unreadable(f"{str(values)[:40]} is not a panel's values", f"{str(values)[:40]} 不是一组评分")
    read: list[Decimal] = []
    for v in values:
        number = _read(v, "decimal")
        if not isinstance(number, Decimal):  # a null
            raise _unreadable(f"{str(v)[:40]} is not a panel's value", f"{str(v)[:40]} 不是组中的评分")
        read.append(number)
    return tuple(read)


# a number's kind (compiler.Entry) as the Chinese message names it
_KINDS_ZH = {"decimal": "数", "text": "文本", "bool": "是/否值", "json": "JSON 文本", "panel": "一组评分", "panels": "各组评分"}


def _unreadable(detail: str, zh: str) -> DataError:
    return DataError([Problem("PF806", None, {"detail": detail, "detail_zh": zh})])


@pinned
def explain(rubric: Rubric, row: Mapping[str, object], lang: Lang = "zh") -> dict[str, list[str]]:
    """One row's reasons in words; for many rows, build an `Explainer` once."""
    given_rubric(rubric, "pingfen.sql.explain")
    return Explainer(rubric).explain(row, lang)

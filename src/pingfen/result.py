"""The result of scoring one record: a tree of node scores with their reasons."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal

from attrs import field, frozen

from pingfen.diagnostics import Lang
from pingfen.explain import Reason

Clamp = Literal["low", "high"] | None


@frozen
class NodeResult:
    """The score of one group or indicator.

    `clamped` is "low" when deductions went past zero (扣完为止), "high" when the
    rules gave more than the max; the score is then 0 or the max.
    """

    name: str
    max: Decimal
    score: Decimal
    children: tuple[NodeResult, ...] = ()
    explanations: tuple[Reason, ...] = ()
    clamped: Clamp = None
    is_group: bool = False
    lang: Lang = field(default="zh", eq=False)

    @property
    def reasons(self) -> list[str]:
        """Why points were lost, in the result's language; empty at full marks."""
        return self.reasons_in(self.lang)

    def reasons_in(self, lang: Lang) -> list[str]:
        return [r.text(lang) for r in self.explanations]

    @property
    def lost(self) -> Decimal:
        return self.max - self.score

    def walk(self) -> Iterator[NodeResult]:
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self, lang: Lang | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "max": self.max, "score": self.score}
        if self.is_group:
            out["children"] = [c.to_dict(lang) for c in self.children]
        else:
            out["reasons"] = self.reasons_in(lang or self.lang)
        if self.clamped:
            out["clamped"] = self.clamped
        return out


@frozen
class Result:
    """A scored record. `total` is rounded as the rubric says; `raw_total` is exact."""

    rubric: str
    max: Decimal
    total: Decimal
    raw_total: Decimal
    grade: str | None
    children: tuple[NodeResult, ...]
    lang: Lang = field(default="zh", eq=False)
    _index: dict[str, NodeResult] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        index = {node.name: node for top in self.children for node in top.walk()}
        object.__setattr__(self, "_index", index)

    def __getitem__(self, name: str) -> NodeResult:
        """Any group or indicator by its name, as the rubric writes it."""
        try:
            return self._index[name]
        except KeyError:
            raise KeyError(f"no group or indicator named {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def nodes(self) -> Iterator[NodeResult]:
        """Every group and indicator, depth-first in rubric order."""
        for top in self.children:
            yield from top.walk()

    def indicators(self) -> Iterator[NodeResult]:
        return (n for n in self.nodes() if not n.is_group)

    def to_dict(self, lang: Lang | None = None) -> dict[str, Any]:
        """Plain data; numbers stay Decimal so nothing passes through float."""
        return {
            "rubric": self.rubric,
            "max": self.max,
            "total": self.total,
            "grade": self.grade,
            "children": [c.to_dict(lang or self.lang) for c in self.children],
        }

    def to_json(self, lang: Lang | None = None, indent: int | None = 2) -> str:
        """JSON with every number written from its exact decimal."""
        return dumps(self.to_dict(lang), indent=indent)


def dumps(data: Any, indent: int | None = 2) -> str:
    """json.dumps that writes Decimal as a JSON number digit for digit."""
    return _encode(data, indent, 0)


def _encode(data: Any, indent: int | None, level: int) -> str:
    if isinstance(data, Decimal):
        text = format(data, "f")
        return "0" if text in ("-0", "-0.0") else text
    if isinstance(data, dict):
        items = [f"{json.dumps(str(k), ensure_ascii=False)}: {_encode(v, indent, level + 1)}" for k, v in data.items()]
        return _wrap("{", "}", items, indent, level)
    if isinstance(data, (list, tuple)):
        return _wrap("[", "]", [_encode(v, indent, level + 1) for v in data], indent, level)
    return json.dumps(data, ensure_ascii=False)


def _wrap(open_: str, close: str, items: list[str], indent: int | None, level: int) -> str:
    if not items:
        return open_ + close
    if indent is None:
        return open_ + ", ".join(items) + close
    pad = " " * (indent * (level + 1))
    return open_ + "\n" + ",\n".join(pad + i for i in items) + "\n" + " " * (indent * level) + close

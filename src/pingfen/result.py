"""The result of scoring one record: a tree of node scores with their reasons."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal, DecimalException, getcontext, setcontext
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from pingfen.display import canonical, canonical_unsigned, canonicals, digits, normalized, number, unsigned
from pingfen.lang import Lang, checked
from pingfen.reasons import Reason, Site
from pingfen.values import CONTEXT, as_decimals
from pingfen.values import Clamp as Clamp  # part of the Result API, defined with `values.clamp`


class NodeResult:
    """The score of one group or indicator.

    `clamped` is "low" when deductions went past zero (扣完为止), "high" when the
    rules gave more than the max; the score is then 0 or the max. Read-only; two nodes
    are equal when all but their language are. A node of a scored Result knows its
    reasons and clamp only once they are read (`_owner` then explains the whole tree).
    """

    __slots__ = ("_fixed", "_score", "_children", "_explanations", "_clamped", "_lang", "_owner", "_applies")

    def __init__(
        self,
        name: str,
        max: Decimal,
        score: Decimal,
        children: tuple[NodeResult, ...] = (),
        explanations: tuple[Reason, ...] = (),
        clamped: Clamp = None,
        is_group: bool = False,
        lang: Lang = "zh",
        applies: bool = True,
    ) -> None:
        # canonical: a score computed as 5 - 2.0 is returned as 3, not 3.0 (see `display`)
        self._fixed, self._score, self._children = Fixed(name, canonical(max), is_group), canonical(score), children
        self._explanations, self._clamped, self._lang = explanations, clamped, lang
        self._owner: Explaining | None = None
        self._applies = applies

    if TYPE_CHECKING:  # what the fields are; at run time each is read by attrgetter, at C speed

        @property
        def name(self) -> str: ...
        @property
        def max(self) -> Decimal: ...
        @property
        def score(self) -> Decimal: ...
        @property
        def children(self) -> tuple[NodeResult, ...]: ...
        @property
        def is_group(self) -> bool: ...
        @property
        def lang(self) -> Lang: ...
        @property
        def applies(self) -> bool: ...  # False for a row that does not apply (不适用): `score` is what it counts as

    else:
        # (read in C, with help() of its own: attrgetter's doc was shown for each)
        name = property(attrgetter("_fixed.name"), doc="The group's or indicator's name, as the rubric writes it.")
        max = property(attrgetter("_fixed.max"), doc="Its maximum points (分值).")
        score = property(attrgetter("_score"), doc="The points it scored (得分): exact, 0 to max.")
        children = property(attrgetter("_children"), doc="A group's parts, in rubric order; () for an indicator.")
        is_group = property(attrgetter("_fixed.is_group"), doc="Whether it is a group (else an indicator).")
        lang = property(attrgetter("_lang"), doc="The language its reasons are worded in (zh, en).")
        applies = property(attrgetter("_applies"), doc="False for a row that does not apply (不适用): `score` is what it counts as.")

    @property
    def explanations(self) -> tuple[Reason, ...]:
        if self._owner is not None:  # not yet explained: its Reasons made from the tree's records
            self._owner.detach(self)
        return self._explanations

    @property
    def clamped(self) -> Clamp:
        if self._owner is not None:
            self._owner.detach(self)
        return self._clamped

    def _key(self) -> tuple[object, ...]:
        fixed = self._fixed
        return (fixed.name, fixed.max, self._score, self._children, self.explanations, self.clamped, fixed.is_group,
                self._applies)  # fmt: skip

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NodeResult):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"NodeResult(name={self.name!r}, max={self.max!r}, score={self._score!r}, children={self._children!r}, "
            f"explanations={self.explanations!r}, clamped={self.clamped!r}, is_group={self.is_group!r}"
            + ("" if self._applies else ", applies=False") + ")"
        )

    @property
    def reasons(self) -> list[str]:
        """Why points were lost, in the result's language; empty at full marks."""
        owner = self._owner
        if owner is None:
            explanations = self._explanations
            return [r.text(self._lang) for r in explanations] if explanations else []  # most nodes lose nothing
        at = self._fixed.at  # not yet detached: words straight from the explaining code's records
        records = owner._records
        if records is None:  # the first read of any node's reasons: the result is explained
            records = owner.explained()
        kept = records[at]
        if not kept:  # most nodes lose nothing
            return []
        if len(kept) == 1:  # the commonest else: one reason, said without a loop
            ((site, numbers),) = kept
            zh = self._lang == "zh"
            return [(site.sentences.get(zh) or site.said(zh))(numbers, owner._scores[at])]
        return _words(kept, owner._scores[at], self._lang == "zh")

    def reasons_in(self, lang: Lang) -> list[str]:
        checked(lang)  # "zh-CN" is no language here: not read as English
        owner = self._owner
        if owner is None:
            explanations = self._explanations
            return [r.text(lang) for r in explanations] if explanations else []
        at = self._fixed.at
        kept = owner.records()[at]
        return _words(kept, owner._scores[at], lang == "zh") if kept else []

    @property
    def lost(self) -> Decimal:
        """The points it lost: max less score, worked out in pingfen's context, not the reader's."""
        return CONTEXT.subtract(self.max, self.score)

    def walk(self) -> Iterator[NodeResult]:
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self, lang: Lang | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "max": self.max, "score": self.score}
        if not self.applies:  # 不适用 where the score would be, and what it counts as beside it
            out["score"] = not_applicable(lang or self.lang)
            out["counted"] = self.score
        if self.is_group:
            out["children"] = [c.to_dict(lang) for c in self.children]
            if self.explanations:
                out["reasons"] = self.reasons_in(lang or self.lang)
        else:
            out["reasons"] = self.reasons_in(lang or self.lang)
        if self.clamped:
            out["clamped"] = self.clamped
        return out


class Fixed:
    """What a node's rubric fixes: its name, max (canonical), whether it is a group, and its
    position in the layout (-1 for a node made by hand); one per node of a layout, shared
    by the results of every record."""

    __slots__ = ("name", "max", "is_group", "at")

    def __init__(self, name: str, max: Decimal, is_group: bool, at: int = -1) -> None:
        self.name, self.max, self.is_group, self.at = name, max, is_group, at


@frozen
class Shape:
    """One group or indicator as the rubric fixes it; `children` index the layout."""

    name: str
    max: Decimal
    is_group: bool
    children: tuple[int, ...] = ()


@frozen
class Layout:
    """The fixed shape of a rubric's result tree: every node depth-first in rubric order,
    the top-level nodes, and each name's position. Built once, at load."""

    name: str
    max: Decimal
    nodes: tuple[Shape, ...]
    top: tuple[int, ...]
    # the rows outside the tree (加分项, 扣分项), after it in `nodes`: ("bonus"|"penalty", position)
    outside: tuple[tuple[str, int], ...] = ()
    # an adjust row's lower end (加减分项 `-2 .. +2`), by the row's name: its score is signed
    lows: tuple[tuple[str, Decimal], ...] = ()
    # True when the scoring code proves no score is ever -0: then each is read canonical by
    # normalizing alone (`canonical_scores`)
    unsigned: bool = field(default=False, eq=False, repr=False)
    # the positions whose scores the scoring code writes canonical (`rulegen.IndicatorCode.canonical`):
    # read as they are, the others normalized (`scores_of_all`)
    canonical: tuple[int, ...] = field(default=(), eq=False, repr=False)
    positions: Mapping[str, int] = field(init=False, eq=False, repr=False)
    names: tuple[str, ...] = field(init=False, eq=False, repr=False)
    maxima: tuple[Decimal, ...] = field(init=False, eq=False, repr=False)  # canonical, as a NodeResult keeps them
    # Each node's position, fixed part (name, max, group or not) and children, last node
    # first: the order `Result._build` makes them in (children before their group), in one zip.
    backwards: tuple[int, ...] = field(init=False, eq=False, repr=False)
    fixed_back: tuple[Fixed, ...] = field(init=False, eq=False, repr=False)
    children_back: tuple[Callable[[Sequence[object]], tuple[Any, ...]] | None, ...] = field(
        init=False, eq=False, repr=False
    )  # each group's children, taken from the nodes in layout order at C speed (`_children`)
    _pickers: dict[tuple[str, ...], Callable[[Sequence[Decimal]], list[Decimal]]] = field(
        init=False, eq=False, repr=False
    )
    back: tuple[tuple[int, Fixed, Callable[[Sequence[object]], tuple[Any, ...]] | None], ...] = field(
        init=False, eq=False, repr=False
    )  # the three above, zipped: what `Result._build` reads for each node
    # `scores_of_all`: every name (a dict copied, not grown), and the names and a getter of the
    # scores written canonical and of the others (None: all of them)
    _every: dict[str, Decimal | None] = field(init=False, eq=False, repr=False)
    _written: tuple[tuple[str, ...], Callable[[Sequence[Decimal]], tuple[Decimal, ...]] | None] = field(
        init=False, eq=False, repr=False
    )
    _others: tuple[tuple[str, ...], Callable[[Sequence[Decimal]], tuple[Decimal, ...]] | None] = field(
        init=False, eq=False, repr=False
    )
    # every score written canonical (`canonical` lists every position): read as they are
    every_canonical: bool = field(init=False, eq=False, repr=False)
    # the reason of a total re-scaled over the top-level rows that apply (`Result.explanations`)
    rescaled_site: Site = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "positions", {shape.name: i for i, shape in enumerate(self.nodes)})
        object.__setattr__(self, "names", tuple(shape.name for shape in self.nodes))
        object.__setattr__(self, "maxima", tuple(canonical(shape.max) for shape in self.nodes))
        object.__setattr__(self, "backwards", tuple(range(len(self.nodes) - 1, -1, -1)))
        fixed = tuple(Fixed(shape.name, top, shape.is_group, at)
                      for at, (shape, top) in enumerate(zip(self.nodes, self.maxima, strict=True)))  # fmt: skip
        object.__setattr__(self, "fixed_back", fixed[::-1])
        object.__setattr__(self, "children_back", tuple(_children(shape.children) for shape in reversed(self.nodes)))
        object.__setattr__(self, "_pickers", {})
        object.__setattr__(self, "back", tuple(zip(self.backwards, self.fixed_back, self.children_back, strict=True)))
        object.__setattr__(self, "_every", dict.fromkeys(self.names))
        written = sorted(set(self.canonical))
        object.__setattr__(self, "every_canonical", len(written) == len(self.nodes) > 0)
        object.__setattr__(self, "rescaled_site", Site("rescaled", {"max": self.max}, ("raw", "applicable")))
        others = [i for i in range(len(self.nodes)) if i not in set(written)]
        object.__setattr__(self, "_written", (tuple(self.names[i] for i in written), _children(tuple(written))))
        object.__setattr__(self, "_others", (tuple(self.names[i] for i in others),
                                             _children(tuple(others)) if written else None))  # fmt: skip

    def scores_of_all(self, scores: Sequence[Decimal]) -> dict[str, Decimal]:
        """Every score by name, canonical: those the code writes canonical as they are, the
        others normalized; into a copy of a dict of every name (no resizing as it fills)."""
        # zip without `strict`: as many scores as names by construction, and a keyword
        # argument doubles the cost of each zip() call
        if self.every_canonical:
            return dict(zip(self.names, scores))  # noqa: B905
        out = self._every.copy()
        names, get = self._written
        if get is not None:
            out.update(zip(names, get(scores)))  # noqa: B905
        names, get = self._others
        others = scores if get is None else get(scores)
        try:  # in C, no Python call per score
            if self.unsigned:
                out.update(zip(names, map(canonical_unsigned, others)))  # noqa: B905
            else:
                out.update(zip(names, map(canonical_unsigned, map(unsigned, others))))  # noqa: B905
        except DecimalException:  # a signalling NaN (no scoring code leaves one): one at a time
            out.update(zip(names, map(canonical, others)))  # noqa: B905
        return out  # type: ignore[return-value]  # every value was set above

    def canonical_scores(self, scores: Sequence[Decimal]) -> list[Decimal]:
        """canonicals(scores): a copy where the code writes every score canonical, by
        normalizing alone where no score can be -0."""
        if self.every_canonical:
            return list(scores)
        return normalized(scores) if self.unsigned else canonicals(scores)

    def picker(self, names: tuple[str, ...]) -> Callable[[Sequence[Decimal]], list[Decimal]]:
        """A function taking the scores in layout order to those of `names`, in that order.

        Resolved once per rubric and list of names, not once per record: a batch asks for
        the same columns on every row. Raises KeyError for a name the rubric lacks."""
        pick = self._pickers.get(names)
        if pick is None:
            missing = [n for n in names if n not in self.positions]
            if missing:
                raise KeyError(f"no group or indicator named {missing[0]!r}")
            at = tuple(self.positions[n] for n in names)
            pick = _picker(at)
            if len(self._pickers) < _PICKERS:  # a few column lists per rubric; never grow without end
                self._pickers[names] = pick
        return pick


def _children(at: tuple[int, ...]) -> Callable[[Sequence[object]], tuple[Any, ...]] | None:
    """The items at these positions, as a tuple; None for none (an indicator)."""
    if not at:
        return None
    if len(at) == 1:  # itemgetter of one position gives the item, not a tuple of it
        (only,) = at
        return lambda items: (items[only],)
    return itemgetter(*at)


# How many lists of names a layout remembers the positions of.
_PICKERS = 8


def _picker(at: tuple[int, ...]) -> Callable[[Sequence[Decimal]], list[Decimal]]:
    if len(at) < 2:  # itemgetter of one position gives the item, not a tuple of it

        def pick(scores: Sequence[Decimal]) -> list[Decimal]:
            return [scores[i] for i in at]

        return pick
    get = itemgetter(*at)  # in C: a batch's 25 columns in 0.9 us where the list comprehension took 1.45

    def pick_many(scores: Sequence[Decimal]) -> list[Decimal]:
        return list(get(scores))

    return pick_many


# What the explaining code records for one reason: the rule's Site and the record's numbers.
ReasonRecord = tuple[Site, tuple[object, ...]]


def _words(kept: tuple[ReasonRecord, ...], score: Decimal, zh: bool) -> list[str]:
    """A node's reasons in words, from its records: no Reason is made (`Site.said`, the
    site's sentence prepared once per language)."""
    return [(site.sentences.get(zh) or site.said(zh))(numbers, score) for site, numbers in kept]
# The explaining code of a rubric: the record's exact inputs → (reason records, clamps) per node.
Explain = Callable[..., tuple[tuple[tuple[ReasonRecord, ...], ...], tuple[Clamp, ...]]]


class Result:
    """A scored record. `total` is rounded as the rubric says; `raw_total` is exact.

    The compiled evaluator hands over each node's score, in layout order, and the record's
    exact input values (`Result.scored`). The NodeResult tree is built the first time it
    is read, from those scores alone; its clamping and Reasons the first time any node's
    are read: the rubric's explaining code then runs again on the inputs, for each node's
    reason records and clamp alone (the scores are scoring's). Results compare equal when
    their totals, grades and every node do.
    """

    __slots__ = ("_layout", "_total", "_raw_total", "_grade", "_lang", "_scores", "_values", "_explain", "_tree",
                 "_nodes", "_absent", "_vetoes", "_rescaled")  # fmt: skip
    _layout: Layout
    _total: Decimal
    _raw_total: Decimal
    _grade: str | None
    _lang: Lang
    _scores: tuple[Decimal, ...]
    _values: tuple[object, ...] | None  # None once the tree is built from given nodes
    _explain: Explain | None
    _tree: tuple[NodeResult, ...] | None  # None until first read
    _nodes: tuple[NodeResult, ...] | None
    _absent: tuple[bool, ...]  # by layout position, True for a row that does not apply; () when all do
    _vetoes: tuple[VetoLine, ...]  # the 一票否决 lines that held for this record
    # where a top-level row dropped out (不适用 … else rescale): the sum of the rows that apply
    # and their maxima, which the total was re-scaled by (折算); else None
    _rescaled: tuple[Decimal, Decimal] | None

    def __init__(
        self,
        rubric: str,
        max: Decimal,
        total: Decimal,
        raw_total: Decimal,
        grade: str | None,
        children: tuple[NodeResult, ...],
        lang: Lang = "zh",
        outside: tuple[tuple[str, NodeResult], ...] = (),
        vetoes: tuple[VetoLine | None, ...] = (),
        lows: tuple[tuple[str, Decimal], ...] = (),
        rescaled: tuple[Decimal, Decimal] | None = None,
    ) -> None:
        self._vetoes = tuple(v for v in vetoes if v is not None)
        self._rescaled = rescaled
        nodes = tuple(node for top in children for node in top.walk()) + tuple(n for _, n in outside)
        position = {id(node): i for i, node in enumerate(nodes)}
        shapes = tuple(Shape(n.name, n.max, n.is_group, tuple(position[id(c)] for c in n.children)) for n in nodes)
        lines = tuple((kind, position[id(n)]) for kind, n in outside)
        self._layout = Layout(rubric, max, shapes, tuple(position[id(c)] for c in children), lines, lows)
        self._total, self._raw_total, self._grade, self._lang = total, raw_total, grade, lang
        self._scores = tuple(n.score for n in nodes)
        self._absent = tuple(not n.applies for n in nodes) if not all(n.applies for n in nodes) else ()
        self._values = self._explain = None
        self._tree, self._nodes = tuple(children), nodes

    @classmethod
    def scored(
        cls,
        layout: Layout,
        total: Decimal,
        raw_total: Decimal,
        grade: str | None,
        scores: tuple[Decimal, ...],
        values: tuple[object, ...],
        explain: Explain,
        lang: Lang = "zh",
        absent: tuple[bool, ...] = (),
        vetoes: tuple[VetoLine | None, ...] = (),
        rescaled: tuple[Decimal, Decimal] | None = None,
    ) -> Result:
        """A result from each node's score in layout order; `explain(*values)` gives the rest
        when the tree is first read. `absent`, when any row may not apply, says which do not;
        `rescaled`, when a top-level row dropped out, what the total was re-scaled by."""
        self = scored(layout, total, raw_total, grade, scores, values, explain, lang)
        if any(absent):
            self._absent = absent
        self._rescaled = rescaled
        if vetoes:
            self._vetoes = tuple(filter(None, vetoes))  # a VetoLine is never false
        return self

    @property
    def rubric(self) -> str:
        """The rubric's title."""
        return self._layout.name

    @property
    def max(self) -> Decimal:
        """The rubric's total of points."""
        return canonical(self._layout.max)

    @property
    def total(self) -> Decimal:
        """The total, rounded as the rubric says, with its places (`87.00`: see `display`)."""
        return self._total

    @property
    def raw_total(self) -> Decimal:
        """The total before it is rounded: the top-level scores' sum (re-scaled when a row does
        not apply), with bonus and penalty rows counted, kept within `cap total`, and 0 when a
        veto says so."""
        return canonical(self._raw_total)

    @property
    def grade(self) -> str | None:
        """The first grade the total reaches, if any."""
        return self._grade

    @property
    def lang(self) -> Lang:
        """The language reasons are given in."""
        return self._lang

    @property
    def children(self) -> tuple[NodeResult, ...]:
        if self._tree is None:
            self._build()
        assert self._tree is not None
        return self._tree

    def _build(self) -> None:
        """The NodeResults, from the kept scores alone (children before their group); their
        reasons and clamps wait until one is read (`_explain_nodes`)."""
        layout, lang = self._layout, self._lang
        owner = Explaining(self._explain, self._values, self._scores) if self._explain is not None else None
        built: list[NodeResult] = [None] * len(layout.nodes)  # type: ignore[list-item]  # every slot is filled below
        new = _new
        # slots set here, not by __init__: a third of the cost; children before their group.
        # Reasons and clamps are set when explained (`_explain_nodes`).
        # Each slot set apart (from tuples, a third slower), what the layout fixes zipped once.
        scores = reversed(self._scores if layout.every_canonical else layout.canonical_scores(self._scores))
        if self._absent:  # some row does not apply
            applies = [not a for a in reversed(self._absent)]
            for (i, fixed, children), score, it_applies in zip(layout.back, scores, applies, strict=True):
                node = new(NodeResult)
                node._fixed = fixed
                node._score = score
                node._lang = lang
                node._owner = owner
                node._applies = it_applies
                node._children = children(built) if children is not None else ()
                built[i] = node
        else:
            for (i, fixed, children), score in zip(layout.back, scores, strict=True):
                node = new(NodeResult)
                node._fixed = fixed
                node._score = score
                node._lang = lang
                node._owner = owner
                node._applies = True
                node._children = children(built) if children is not None else ()
                built[i] = node
        if owner is None:  # nothing to explain: no reasons, no clamps
            for node in built:
                node._explanations, node._clamped = (), None
        self._nodes = tuple(built)
        self._tree = tuple(map(built.__getitem__, layout.top))

    def _explain_nodes(self) -> None:
        """Every node's Reasons and clamp, from the explaining code, at once."""
        for node in self._walk():
            if node._owner is not None:
                node._owner.detach(node)

    def _walk(self) -> tuple[NodeResult, ...]:
        if self._nodes is None:
            self._build()
        assert self._nodes is not None
        return self._nodes

    def __getitem__(self, name: str) -> NodeResult:
        """Any group or indicator by its name, as the rubric writes it."""
        position = self._layout.positions.get(name)
        if position is None:
            raise KeyError(f"no group or indicator named {name!r}")
        return self._walk()[position]

    def __contains__(self, name: object) -> bool:
        return name in self._layout.positions

    # Not iterable: without this, `for n in result` fell back to __getitem__(0) and raised
    # KeyError "no group or indicator named 0"; nodes() and scores() are what to iterate.
    __iter__ = None

    # Scores alone: read from what scoring kept, without explaining the record (which
    # costs ten times the scoring). Only reasons, clamps and NodeResults need the tree.
    def score(self, name: str) -> Decimal:
        """The score of any group or indicator by its name; `result[name].score` without
        building the tree of reasons."""
        position = self._layout.positions.get(name)
        if position is None:
            raise KeyError(f"no group or indicator named {name!r}")
        score = self._scores[position]
        return score if self._layout.every_canonical else canonical(score)

    @property
    def all_apply(self) -> bool:
        """Whether every group and indicator applies to this record (none is 不适用)."""
        return not self._absent

    def applies(self, name: str) -> bool:
        """Whether a group or indicator applies to this record (False: 不适用, and `score`
        is what it counts as: its max, 0, or 0 left out of its parent's re-scaled sum)."""
        position = self._layout.positions.get(name)
        if position is None:
            raise KeyError(f"no group or indicator named {name!r}")
        return not self._absent[position] if self._absent else True

    def scores(self) -> dict[str, Decimal]:
        """Every group's and indicator's score by name, depth-first in rubric order."""
        return self._layout.scores_of_all(self._scores)

    def scores_of(self, names: Sequence[str]) -> list[Decimal]:
        """The scores of `names` (a list or tuple of group and indicator names), in that order
        (a batch's columns); the names are looked up once per rubric, not on every record.
        One name alone is refused (TypeError), not read as its characters: `score(name)` gives
        one score. Raises KeyError for a name the rubric lacks."""
        if isinstance(names, str):
            raise TypeError(f"scores_of takes a list of names, not one name: scores_of([{names!r}]), or score({names!r})")
        if type(names) is not tuple:
            names = tuple(names)
        picked = self._layout.picker(names)(self._scores)  # a new list
        return picked if self._layout.every_canonical else self._layout.canonical_scores(picked)

    def nodes(self) -> Iterator[NodeResult]:
        """Every group and indicator, depth-first in rubric order."""
        return iter(self._walk())

    def indicators(self) -> Iterator[NodeResult]:
        return (n for n in self.nodes() if not n.is_group)

    def outside(self) -> tuple[OutsideLine, ...]:
        """The bonus and penalty rows (加分项, 扣分项), counted after the tree, in rubric order."""
        if not self._layout.outside:
            return ()
        nodes = self._walk()
        lows = dict(self._layout.lows)
        return tuple(OutsideLine(kind, nodes[at], lows.get(nodes[at].name)) for kind, at in self._layout.outside)

    def vetoes(self) -> tuple[VetoLine, ...]:
        """The 一票否决 lines whose condition held for this record, in rubric order."""
        return self._vetoes

    @property
    def explanations(self) -> tuple[Reason, ...]:
        """The total's own reasons: where a top-level row dropped out (不适用 … else rescale), the
        re-scaling (折算) — the sum of the rows that apply ÷ their maxima × the rubric's total."""
        if self._rescaled is None:
            return ()
        return (Reason(self._layout.rescaled_site, self._rescaled, canonical(self._raw_total)),)

    def reasons_in(self, lang: Lang) -> list[str]:
        """The total's own reasons (`explanations`) in words."""
        checked(lang)
        return [reason.text(lang) for reason in self.explanations]

    def _key(self) -> tuple[object, ...]:
        return (self.rubric, self.max, self.total, self.raw_total, self.grade, self.children, self.outside(),
                self._vetoes, self._rescaled)  # fmt: skip

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.rubric, self.total, self.grade))

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled with its tree built and explained (the explaining code stays with the rubric)."""
        self._explain_nodes()  # no node then refers back to this result
        outside = tuple((line.kind, line.node) for line in self.outside())
        args = (self.rubric, self.max, self.total, self.raw_total, self.grade, self.children, self.lang, outside, self._vetoes,
                self._layout.lows, self._rescaled)  # fmt: skip
        return (Result, args)

    def __repr__(self) -> str:
        return (
            f"Result(rubric={self.rubric!r}, max={self.max!r}, total={self.total!r}, "
            f"raw_total={self.raw_total!r}, grade={self.grade!r}, children={self.children!r})"
        )

    def to_dict(self, lang: Lang | None = None) -> dict[str, Any]:
        """Plain data; numbers stay Decimal so nothing passes through float."""
        if lang is not None:
            checked(lang)
        out = {
            "rubric": self.rubric,
            "max": self.max,
            "total": self.total,
            "grade": self.grade,
            "children": [c.to_dict(lang or self.lang) for c in self.children],
        }
        if self._layout.outside:  # after the tree, as the rubric counts them
            out["outside"] = [line.to_dict(lang or self.lang) for line in self.outside()]
        if self._rescaled is not None:  # the total re-scaled (折算): said beside it
            out["reasons"] = self.reasons_in(lang or self.lang)
        if self._vetoes:  # 一票否决 that held
            out["vetoes"] = [v.to_dict(lang or self.lang) for v in self._vetoes]
        return out

    def to_json(self, lang: Lang | None = None, indent: int | None = 2) -> str:
        """JSON with every number written from its exact decimal; `indent` spaces a level, or
        None for one line (anything else is a TypeError, not a failure deep inside)."""
        if indent is not None and (type(indent) is not int or indent < 0):
            raise TypeError(f"to_json's indent takes spaces a level, an int >= 0, or None for one line, not {indent!r}")
        return dumps(self.to_dict(lang), indent=indent)


_new = object.__new__


def scored(
    layout: Layout, total: Decimal, raw_total: Decimal, grade: str | None, scores: tuple[Decimal, ...],
    values: tuple[object, ...], explain: Explain, lang: Lang = "zh",
) -> Result:  # fmt: skip
    """`Result.scored` of a record whose rows all apply and that no veto touches, as the code
    of most rubrics calls it: a plain function, each slot set apart (a third quicker than a
    class method setting them from tuples)."""
    self = _new(Result)
    self._layout = layout
    self._total = total
    self._raw_total = raw_total
    self._grade = grade
    self._lang = lang
    self._scores = scores
    self._values = values
    self._explain = explain
    self._absent = ()
    self._vetoes = ()
    self._rescaled = None
    self._tree = None
    self._nodes = None
    return self


class Explaining:
    """What the nodes of a scored result read their reasons and clamps from: the record's
    exact inputs, the rubric's explaining code, the scores, and (once the code has run,
    when the first node's are read) each node's reason records and clamp, by layout
    position. It refers to no node, so a result and its tree are freed as soon as they
    are no longer used, without waiting for the cycle collector."""

    __slots__ = ("_explain", "_values", "_scores", "_records", "_clamps")
    # None until explained (not left unset: a first read caught as AttributeError cost 0.4 µs)
    _records: tuple[tuple[ReasonRecord, ...], ...] | None
    _clamps: tuple[Clamp, ...]

    def __init__(self, explain: Explain, values: tuple[object, ...] | None, scores: tuple[Decimal, ...]) -> None:
        self._explain, self._values, self._scores, self._records = explain, values, scores, None

    def explained(self) -> tuple[tuple[ReasonRecord, ...], ...]:
        """Run the explaining code (once): each node's reason records and clamp."""
        assert self._values is not None
        saved = getcontext()  # as when it was scored, whatever the reader's context (set, not copied)
        setcontext(CONTEXT)
        explain = self._explain
        compiled = getattr(explain, "compiled", None)  # a rubric's Explainer: its function, called directly
        try:
            records, clamps = explain(*self._values) if compiled is None else compiled()(*as_decimals(self._values))
        finally:
            setcontext(saved)
        self._records, self._clamps = records, clamps
        return records

    def records(self) -> tuple[tuple[ReasonRecord, ...], ...]:
        records = self._records
        return self.explained() if records is None else records

    def detach(self, node: NodeResult) -> None:
        """A node's Reasons and clamp, set on it: it then reads them from itself."""
        at = node._fixed.at
        kept = self.records()[at]
        score = self._scores[at]
        node._explanations = tuple([Reason(site, numbers, score) for site, numbers in kept]) if kept else ()
        node._clamped, node._owner = self._clamps[at], None


@frozen
class VetoLine:
    """A 一票否决 line of the rubric: its name, what it does (zero, below, grade) and the grade it
    names; `above`, for `below`, when that grade has others above it, barred too (及以上)."""

    name: str
    action: str
    grade: str | None = None
    above: bool = False

    @classmethod
    def of(cls, name: str, action: str, grade: str | None, grades: Sequence[str]) -> VetoLine:
        """The line of a rubric's `veto` (its name, action and grade), given its grades' names,
        the highest first. Plain values, not the syntax tree: results sit below the AST's layer."""
        return cls(name, action, grade, action == "below" and grades[:1] != [grade])

    def text(self, lang: Lang) -> str:
        """一票否决：发生重大违规，总分计0分 — the reason a record's total or grade is what it is."""
        if lang == "zh":
            return f"一票否决：{self.name}，{self.said(lang)}"
        return f"veto: {self.name}: {self.said(lang)}"

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        """As a result's and `pingfen test`'s JSON give it: the reason in `lang`, the rest in no language."""
        return {"name": self.name, "action": self.action, "grade": self.grade, "reason": self.text(lang)}

    def said(self, lang: Lang) -> str:
        """What the veto does: 总分计0分, 不得评为优秀 (the highest grade), 不得评为良好及以上, 评为差."""
        return veto_words(self.action, self.grade, self.above, lang)


def veto_words(action: str, grade: str | None, above: bool, lang: Lang) -> str:
    """What a veto does, as a result's reason and the published table say it: 总分计0分;
    不得评为优秀, or 不得评为良好及以上 when grades above 良好 are barred too; 评为差."""
    if lang == "zh":
        return {"zero": "总分计0分", "below": f"不得评为{grade}{'及以上' if above else ''}", "grade": f"评为{grade}"}[action]
    return {"zero": "the total is 0", "below": f"not graded {grade} or above", "grade": f"graded {grade}"}[action]


class OutsideLine:
    """A bonus, penalty or adjust row of a scored record: its row's result and what it counts
    for; `low`, an adjust row's lower end (None for the others, whose range is [0, max])."""

    __slots__ = ("kind", "low", "node")

    def __init__(self, kind: str, node: NodeResult, low: Decimal | None = None) -> None:
        self.kind, self.node, self.low = kind, node, low

    def range_text(self, lang: Lang) -> str:
        """What the row may count for, as the 分值 column says it: 2, or -2 至 +2."""
        if self.low is None:
            return number(self.node.max)
        return f"{number(self.low)} {'至' if lang == 'zh' else 'to'} +{number(self.node.max)}"

    @property
    def points(self) -> Decimal:
        """What the row adds to the total: a bonus its score, a penalty minus the points it took,
        an adjust row its score (signed)."""
        if self.kind != "penalty":
            return self.node.score
        return canonical(CONTEXT.subtract(self.node.score, self.node.max))  # not in the reader's context

    def label(self, lang: Lang) -> str:
        """加分项 / 扣分项 / 加减分项, or in English."""
        words = {("bonus", "zh"): "加分项", ("penalty", "zh"): "扣分项", ("adjust", "zh"): "加减分项"}
        return words.get((self.kind, lang), self.kind)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OutsideLine) and (self.kind, self.node) == (other.kind, other.node)

    def __hash__(self) -> int:
        return hash((self.kind, self.node.name))

    def __repr__(self) -> str:
        return f"OutsideLine(kind={self.kind!r}, node={self.node!r})"

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        out = {"kind": self.kind, "name": self.node.name, "max": self.node.max, "points": self.points,
               "reasons": self.node.reasons_in(lang)}  # fmt: skip
        if self.low is not None:  # an adjust row: the least it counts for
            out["min"] = self.low
        return out


def not_applicable(lang: Lang) -> str:
    """What a result shows for a row that does not apply, where its score would be."""
    return "不适用" if lang == "zh" else "N/A"


def dumps(data: Any, indent: int | None = 2) -> str:
    """json.dumps that writes Decimal as a JSON number digit for digit."""
    return _encode(data, indent, 0)


def _encode(data: Any, indent: int | None, level: int) -> str:
    if isinstance(data, Decimal):
        return digits(data)
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

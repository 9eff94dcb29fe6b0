"""Reasons (扣分原因) in words.

Evaluation records only the numbers behind a lost point, as a `Reason`; this module
turns them into a sentence, in Chinese or English, when a report asks. An author's
`reason "…"` template replaces the generated sentence for its rule.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Mapping
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_EVEN, Context, Decimal
from operator import itemgetter
from typing import Any

from attrs import field, frozen

from pingfen.display import cents, number, plain, rounded_parts
from pingfen.lang import Lang, checked, counted
from pingfen.values import AGGREGATE_LEAST, AGGREGATES, CONTEXT, SETTLE_PLACES, ZERO, calendar_day, settled


@frozen
class Site:
    """What a rule fixes at load, for the reasons it may give: the kind of reason, its
    words and constants (`facts`), the names of the numbers each record supplies
    (`fields`), and the author's template with the inputs and lets it names (`names`,
    as (name, unit) pairs)."""

    kind: str
    facts: Mapping[str, object] = field(factory=dict, hash=False)
    fields: tuple[str, ...] = ()
    template: str | None = None
    names: tuple[tuple[str, str], ...] = ()
    # Its sentence in each language (True: 中文), prepared the first time a reason is read:
    # what the facts fix is put into words once per rubric, not once per record.
    sentences: dict[bool, Sentence] = field(factory=dict, init=False, eq=False, hash=False, repr=False)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled without its prepared sentences (functions): prepared again when read."""
        return (Site, (self.kind, self.facts, self.fields, self.template, self.names))

    def said(self, zh: bool) -> Sentence:
        """Its sentence in one language (True: 中文), prepared the first time it is asked for."""
        sentence = self.sentences.get(zh)
        if sentence is None:
            sentence = self.sentences[zh] = _prepare(self, zh)
        return sentence


class Reason:
    """Why points were lost: the rule's Site, the few numbers of this record (one per
    `site.fields`, then one per `site.names`), and the indicator's final score.

    Nothing is formatted until `text` is called; `params` gathers the numbers and the
    facts into one mapping, as the templates read them. Two reasons are equal when
    they say the same thing: same kind, template and params.
    """

    __slots__ = ("site", "numbers", "score")

    def __init__(self, site: Site, numbers: tuple[object, ...] = (), score: Decimal | None = None) -> None:
        self.site = site
        self.numbers = numbers
        self.score = score

    @property
    def kind(self) -> str:
        return self.site.kind

    @property
    def template(self) -> str | None:
        return self.site.template

    @property
    def params(self) -> dict[str, object]:
        return params(self.site, self.numbers, self.score)

    def text(self, lang: Lang = "zh") -> str:
        zh = checked(lang) == "zh"  # "zh-CN" is refused, not taken for English
        said = self.site.sentences.get(zh) or self.site.said(zh)
        return said(self.numbers, self.score)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reason):
            return NotImplemented
        return (self.kind, self.template, self.params) == (other.kind, other.template, other.params)

    def __hash__(self) -> int:
        return hash((self.kind, self.template))

    def __repr__(self) -> str:
        return f"Reason({self.kind!r}, {self.params!r})"


def params(site: Site, numbers: tuple[object, ...], score: Decimal | None) -> dict[str, object]:
    """A reason's numbers and its site's facts in one mapping, as the templates read them."""
    found = dict(site.facts)
    count = len(site.fields)
    found.update(zip(site.fields, numbers[:count], strict=True))
    _DERIVED.get(site.kind, _nothing)(found)
    if site.template is not None:
        values = numbers[count:]
        found["values"] = {name: (value, unit) for (name, unit), value in zip(site.names, values, strict=True)}
        found["score"] = score
    return found


# A site's sentence: a record's numbers (one per `Site.fields`, then one per `Site.names`)
# and the indicator's score, in words; read by `Reason.text`, and by a result's nodes
# straight from the explaining code's records, without making a Reason.
Sentence = Callable[[tuple[object, ...], Decimal | None], str]


def _prepare(site: Site, zh: bool) -> Sentence:
    """How a site's reasons are put into words in one language: its kind's prepared sentence
    (`_PREPARED`), else its template over `params`; a sentence that reads none of the
    record's numbers is written once."""
    template = site.template
    if template is not None:  # the author's words, filled in as `_fill` reads them
        return lambda numbers, score: _fill(template, params(site, numbers, score))
    prepare = _PREPARED.get(site.kind)
    if prepare is not None:
        said = prepare(site, zh)
    else:
        words: Callable[[Mapping[str, object]], str] = _TEMPLATES[site.kind][0 if zh else 1]
        said = lambda numbers, score: words(params(site, numbers, score))  # noqa: E731 - one of two ways to say it
    if "panels" in site.facts:  # a value read from panels: each panel's scores first
        plain_said = said
        return lambda numbers, score: _panelled(params(site, numbers, score), site.kind, zh, plain_said(numbers, score))
    if not site.fields:  # only what the rule fixes: the same sentence for every record
        fixed = said((), None)
        return lambda numbers, score: fixed
    return said


Numbers = tuple[object, ...]
# A piece of a prepared sentence: text the site fixes, or the text of one of a record's
# numbers as (function of it, its place); (function of them all, ALL) for several.
Part = str | tuple[Callable[[Any], str], int | slice]
ALL = slice(None)  # a tuple's [:] is the tuple itself


def _at(site: Site, name: str) -> int | None:
    """Where a record's numbers hold a param (the last of its name, as `params` reads it),
    or None when the site's facts fix it."""
    if name not in site.fields:
        return None
    return len(site.fields) - 1 - site.fields[::-1].index(name)


def _as(site: Site, fn: Callable[..., str], *names: str, remember: bool = False) -> Part:
    """fn of the named params, as a part of a sentence: its text, worked out once, when the
    site's facts fix them all (a name among `fields` is the record's, as in `params`).
    `remember`: a number often the same object on every record (a fixed reference) keeps
    its last text."""
    at = [_at(site, n) for n in names]
    fixed = [site.facts.get(n) for n in names]
    if all(i is None for i in at):
        return fn(*fixed)
    if sum(i is not None for i in at) == 1:  # the commonest: one number of the record, the rest fixed
        k = next(k for k, i in enumerate(at) if i is not None)
        before, after = fixed[:k], fixed[k + 1 :]
        one = fn if len(names) == 1 else lambda value: fn(*before, value, *after)
        place = at[k]
        assert place is not None
        return (_last(one) if remember else one), place
    each = [itemgetter(i) if i is not None else _fixed(value) for i, value in zip(at, fixed, strict=True)]
    return (lambda numbers: fn(*[get(numbers) for get in each])), ALL


_NONE = object()


def _last(fn: Callable[[Any], str]) -> Callable[[Any], str]:
    """fn, remembering its last value and text. By identity: hashing a long Decimal costs
    as much as its text, and a rule's constant is one object on every record."""
    last: list[tuple[object, str]] = [(_NONE, "")]

    def said(value: object) -> str:
        seen, text = last[0]
        if value is not seen:
            text = fn(value)
            last[0] = (value, text)  # one tuple: a reader in another thread sees both or neither
        return text

    return said


def _fixed(value: object) -> Callable[[Numbers], object]:
    return lambda numbers: value


def _sentence(*parts: Part) -> Sentence:
    """A sentence of fixed text and the record's numbers, joined in one go: what the site
    fixes is joined once, when the sentence is prepared, into the texts between the numbers.
    (`str.join` of a tuple, where `%` on a format string took twice as long for 中文 text.)"""
    between: list[str] = [""]  # the fixed text before each number, and after the last
    getters: list[tuple[Callable[[Any], str], int | slice]] = []
    for part in parts:
        if isinstance(part, str):
            between[-1] += part
        else:
            getters.append(part)
            between.append("")
    join = "".join
    # unrolled for the usual few numbers: a call fewer for each
    if not getters:
        (fixed,) = between
        return lambda numbers, score: fixed
    if len(getters) == 1:
        ((f, i),), (a, b) = getters, between
        kept = _KEPT_BY.get(f)
        if kept is not None and isinstance(i, int):  # a judgment's points, a band's value: most recur
            return _recurring(a, f, kept, i, b)
        return lambda numbers, score: join((a, f(numbers[i]), b))
    if len(getters) == 2:
        (f, i), (g, j) = getters
        a, b, c = between
        return lambda numbers, score: join((a, f(numbers[i]), b, g(numbers[j]), c))
    if len(getters) == 3:
        (f, i), (g, j), (h, k) = getters
        a, b, c, d = between
        return lambda numbers, score: join((a, f(numbers[i]), b, g(numbers[j]), c, h(numbers[k]), d))
    if len(getters) == 4:
        (f, i), (g, j), (h, k), (m, n) = getters
        a, b, c, d, e = between
        return lambda numbers, score: join((a, f(numbers[i]), b, g(numbers[j]), c, h(numbers[k]), d, m(numbers[n]), e))
    first, rest = between[0], list(zip(getters, between[1:], strict=True))
    return lambda numbers, score: join([first, *[f(numbers[i]) + text for (f, i), text in rest]])


def _recurring(a: str, f: Callable[[Any], str], kept: dict[str, str], i: int, b: str) -> Sentence:
    """A sentence of one number between two texts, where f keeps its words by a Decimal's str()
    (`shown`, `_percent`): looked up here, a call fewer when it was worked out before."""
    join = "".join

    def said(numbers: Numbers, score: Decimal | None) -> str:
        value = numbers[i]
        if type(value) is Decimal:
            words = kept.get(str(value))
            if words is not None:
                return join((a, words, b))
        return join((a, f(value), b))

    return said


def _n_of(value: object) -> str:
    """A recorded number in a sentence (`_n`)."""
    assert isinstance(value, Decimal)
    return shown(value)


def _in_unit(value: object, unit: object) -> str:
    return _quantity_in(str(unit))(value)


def _percent(value: object) -> str:
    """quantity(value, "percent"): the commonest, a Decimal, without quantity's tests, each
    text worked out once (as `shown`)."""
    if type(value) is not Decimal:
        return quantity(value, "percent")
    if not value.is_finite():
        return quantity(value, "percent")
    text = str(value)
    if len(text) > _LONG:  # a quotient's digits: seldom twice
        hundredfold = value.scaleb(2, _WIDE)
        return _shown(hundredfold, str(hundredfold)) + "%"
    said = _PERCENTS.get(text)
    if said is None:
        hundredfold = value.scaleb(2, _WIDE)
        said = _shown(hundredfold, str(hundredfold)) + "%"
        if len(_PERCENTS) >= _KEPT:
            _PERCENTS.clear()
        _PERCENTS[text] = said
    return said


def _points_apart(worded: Callable[[str], str]) -> Callable[[Decimal], str]:
    """A gap between two percents in percentage points, shown(excess × 100) worded in a
    language, each text worked out once: a step's gap recurs as its value does."""
    kept: dict[str, str] = {}

    def said(excess: Decimal) -> str:
        if not excess.is_finite():
            return worded(shown(excess))
        text = str(excess)
        if len(text) > _LONG:
            return worded(shown(excess.scaleb(2, _WIDE)))
        words = kept.get(text)
        if words is None:
            words = worded(shown(excess.scaleb(2, _WIDE)))
            if len(kept) >= _KEPT:
                kept.clear()
            kept[text] = words
        return words

    return said


# In each language (True: 中文); two bounded tables in all. English counts one in the singular.
_POINTS_APART = {True: _points_apart(lambda n: f"{n} 个百分点"), False: _points_apart(lambda n: counted(n, "percentage point"))}


def _quantity_in(unit: str) -> Callable[[object], str]:
    """quantity() of values in one unit, as a function of the value alone."""
    if unit == "percent":
        return _percent
    if unit == "date":
        return lambda value: quantity(value, unit)
    return lambda value: shown(value) if type(value) is Decimal else quantity(value, unit)


def _valued(site: Site, name: str, fn: Callable[[object], object] | None = None, remember: bool = False) -> Part:
    """A param in its unit's words (of fn(param) when given): a function of the record's number
    alone when the site fixes the unit, as it does but for a hand-made Site."""
    if _at(site, "unit") is None:
        said = _quantity_in(str(site.facts.get("unit")))
        return _as(site, said if fn is None else lambda value: said(fn(value)), name, remember=remember)
    if fn is None:
        return _as(site, _in_unit, name, "unit", remember=remember)
    return _as(site, lambda value, unit: _in_unit(fn(value), unit), name, "unit", remember=remember)


def _judgment(site: Site, zh: bool) -> Sentence:
    points, top = _as(site, shown, "points"), _as(site, shown, "max")
    if zh:
        return _sentence("评价得分 ", points, " 分（满分 ", top, "）")
    return _sentence("judged ", points, " of ", top)


def _band(site: Site, zh: bool) -> Sentence:
    subject, band = _as(site, format, "subject"), _as(site, format, "band")
    value = _valued(site, "value")
    points, top = _as(site, shown, "points"), _as(site, shown, "max")
    if band == "else":  # the `else` arm (fixed at load): no band a reader could name (`属于 else 档`)
        if zh:
            return _sentence(subject, " ", value, " 属于其他档，得 ", points, " 分（满分 ", top, "）")
        return _sentence(subject, " ", value, " is in none of the bands: ", points, " of ", top)
    if zh:
        return _sentence(subject, " ", value, " 属于 ", band, " 档，得 ", points, " 分（满分 ", top, "）")
    return _sentence(subject, " ", value, " is in ", band, ": ", points, " of ", top)


def _nothing(params: dict[str, object]) -> None:
    pass


def _shown_value(params: dict[str, object]) -> None:
    params["shown_value"] = quantity(params["value"], str(params["unit"]))


def _step_derived(params: dict[str, object]) -> None:
    _shown_value(params)
    reference = params["reference"]
    params["shown_reference"] = quantity(ZERO if reference is None else reference, str(params["unit"]))


def _judged(params: dict[str, object]) -> None:
    params["lost"] = CONTEXT.subtract(_decimal(params, "max"), _decimal(params, "points"))


# Params computed from the recorded numbers only when a reason is read.
_DERIVED = {"step": _step_derived, "band": _shown_value, "judgment": _judged}


def exact(value: Decimal) -> str:
    """A rubric's own constant (a rate, a step) as written, every digit kept: a step of
    0.001 is not `0`, nor a rate of 0.125 `0.13`."""
    if not value.is_finite() or abs(value.adjusted()) > 30:
        return number(value)
    return plain(value)


def quantity(value: object, unit: str) -> str:
    """A value as a reader writes it: percents as `103%`, bools as 是/否."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal) and unit == "date":
        return calendar_day(value).isoformat()
    if isinstance(value, Decimal):
        return shown(_hundredfold(value)) + "%" if unit == "percent" else shown(value)
    if isinstance(value, tuple):  # a panel's values
        return "、".join(quantity(v, unit) for v in value)
    return str(value)


_SHORT = Decimal("0.000001")
_WIDE = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)  # room for every digit and exponent


def shown(value: Decimal) -> str:
    """A number in a reason: every digit when it has at most 6 decimals (a score that lost
    0.005 says 0.005, never 0.01), else at most 2 (a quotient such as 4.1666… as 4.17)."""
    text = str(value)  # in C: the digits, read as text (see `display.rounded`)
    if len(text) > _LONG:  # a quotient's 28 digits: seldom twice
        return _shown(value, text)
    said = _SAID.get(text)
    if said is None:
        said = _shown(value, text)
        if len(_SAID) >= _KEPT:
            _SAID.clear()
        _SAID[text] = said
    return said


# shown() by the value's str(): most numbers of reasons recur (a judge's 4.5, a step's 0.2),
# and a str hashes for a fraction of what working out its text costs (a Decimal's own hash
# costs as much). Bounded.
_SAID: dict[str, str] = {}
_PERCENTS: dict[str, str] = {}
_KEPT = 4096
_LONG = 16  # texts longer than this are worked out each time


def _shown(value: Decimal, text: str) -> str:
    if "E" in text or not value.is_finite():
        return _shown_odd(value, text)
    point = text.find(".")
    if point < 0:  # a whole number as it is, of at most 20 digits
        if len(text) <= 20:
            return "0" if text == "-0" else text
    elif len(text) - point <= 7 and point <= 20:  # at most 6 decimals: the zeros after the last digit dropped
        text = text.rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    head, _, tail = text.partition(".")
    if len(tail.rstrip("0")) <= 6 and len(head) <= 21 and (len(head) <= 20 or head[0] == "-"):
        return rounded_parts(head, tail, 6)  # at most 20 digits before the point, 6 after it
    if len(tail) > SETTLE_PLACES:  # a quotient's hair off a short number is that number, as a rounding
        head, _, tail = str(settled(value)).partition(".")  # settles it (1.500999…9 × 3 / 3 is 1.501), so
        if len(tail.rstrip("0")) <= 6 and len(head) <= 20:  # evaluate()'s 28 digits and a query's 20 say the same
            return rounded_parts(head, tail, 6)
    return cents(value)  # a quotient's digits: 2 decimals, in C


def _shown_odd(value: Decimal, text: str) -> str:
    """shown() of a value str() writes with an exponent, or not finite."""
    if "E+" in text and value.adjusted() < 40:  # a whole number written 1E+2 (100 as a percent)
        return str(int(value))
    if value.is_finite() and value == value.quantize(_SHORT, context=CONTEXT) if abs(value.adjusted()) < 20 else False:
        return plain(value)
    return number(value)


_cents = shown  # a gap, as the points it costs are shown: 1.235 个百分点 beside 扣 1.235 分


def _hundredfold(value: Decimal) -> Decimal:
    """value × 100, exactly, whatever the current decimal context."""
    if not value.is_finite():
        return value
    return value.scaleb(2, _WIDE)  # the same digits, the exponent two up


# A reason template is read one way everywhere — rendering, the checker, what a node
# reads, both evaluators — as str.format reads it: `{name}` is a placeholder, `{{` and
# `}}` are literal braces (so `{{附件}}` names nothing and shows `{附件}`).
Piece = tuple[str, str | None, str]  # literal text, then a placeholder's name (or None) and its format


@functools.lru_cache(maxsize=1024)
def template_pieces(template: str) -> tuple[Piece, ...] | None:
    """A reason template as (literal, name, format) pieces; None when a brace has no
    partner (the checker refuses it, PF312; shown, the whole text is literal)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    return tuple((text, name, (f"!{conv}" if conv else "") + (spec or "")) for text, name, spec, conv in parsed)


def placeholders(template: str) -> list[str]:
    """The names a reason template shows, each once, in order (`{}` names the empty name)."""
    return list(dict.fromkeys(name for _, name, _ in template_pieces(template) or () if name is not None))


def _fill(template: str, params: Mapping[str, object]) -> str:
    pieces = template_pieces(template)
    if pieces is None:  # the checker refuses such templates (PF312); never crash a report
        return template
    values = params.get("values", {})
    assert isinstance(values, Mapping)
    shown = {k: quantity(v, "number") for k, v in params.items() if k in ("score", "max", "lost")}
    shown["value"] = str(params.get("shown_value", ""))
    shown.update({k: quantity(v, u) for k, (v, u) in values.items()})
    return "".join([text if name is None else text + shown.get(name, "{" + name + "}") for text, name, _ in pieces])


# A count's measure word (量词), by how the name it reads ends: 逾期天数 is counted in 天,
# 未按进度下达专项数 in 项; the longest ending first. (中文, English): English names days only.
_MEASURES: dict[str, tuple[str, str | None]] = {
    "天数": ("天", "day"), "日数": ("日", "day"), "人次数": ("人次", None), "人数": ("人", None),
    "次数": ("次", None), "个数": ("个", None), "项数": ("项", None), "笔数": ("笔", None),
    "件数": ("件", None), "例数": ("例", None), "处数": ("处", None), "起数": ("起", None),
    "家数": ("家", None), "户数": ("户", None), "篇数": ("篇", None), "份数": ("份", None),
    "所数": ("所", None),
}  # fmt: skip
# Names that end so but count something else (专家 are people, 年份 years): counted in 项.
_NOT_MEASURES = ("专家数", "国家数", "年份数", "月份数", "股份数")
_ENDINGS = tuple(sorted(_MEASURES, key=len, reverse=True))  # 人次数 before 次数
_ITEM: tuple[str, str | None] = ("项", None)
# One name as the rule writes it, bare or in backquotes (the grammar's NAME, QUOTED_NAME);
# anything else is an expression.
_ONE_NAME = re.compile(r"(?:[^\W\d]|[“‘《〈「『])[\w“”‘’《》〈〉「」『』·]*|`([^`\n]+)`")


def measure(subject: object, unit: object) -> tuple[str, str | None]:
    """The measure word of the count a rule reads, in 中文 and English (None: no English
    word): from the name's ending when the rule reads one name (`_MEASURES`), else 项."""
    if unit != "count" or not isinstance(subject, str):
        return _ITEM
    one = _ONE_NAME.fullmatch(subject)
    if one is None:  # `逾期天数 - 宽限天数`: an expression, not one count
        return _ITEM
    name = one[1] or subject
    if name.endswith(_NOT_MEASURES):
        return _ITEM
    return next((_MEASURES[end] for end in _ENDINGS if name.endswith(end)), _ITEM)


def _gap(excess: object, unit: object, zh: bool, subject: object = None) -> str:
    """`3 个百分点` / `3 percentage points`, `3 天` / `3 days` for a count with its own measure
    word, or a plain difference."""
    assert isinstance(excess, Decimal)
    if unit == "percent":
        return f"{_cents(_hundredfold(excess))} 个百分点" if zh else counted(_cents(_hundredfold(excess)), "percentage point")
    word, english = measure(subject, unit)
    if word != "项" and (zh or english is not None):  # 项 says nothing a bare number does not
        return f"{_cents(excess)} {word}" if zh else counted(_cents(excess), str(english))
    return _cents(excess)


def _per(step: object, unit: object, zh: bool, subject: object = None) -> str:
    assert isinstance(step, Decimal)
    if unit == "percent":
        points = exact(_hundredfold(step))
        if zh:
            return "每个百分点" if points == "1" else f"每 {points} 个百分点"
        return "per percentage point" if points == "1" else f"per {points} percentage points"
    word, english = measure(subject, unit)
    if zh:
        if unit == "count":
            return f"每{word}" if step == 1 else f"每 {exact(step)} {word}"
        return f"每 {exact(step)} "
    if english is not None:
        return f"per {english}" if step == 1 else f"per {counted(exact(step), english)}"
    return "each" if step == 1 else f"per {exact(step)}"


_DIRECTION = {"above": ("超过", "above"), "below": ("低于", "below"), "from": ("偏离", "away from")}
_COUNTING = {
    "whole": ("（按整步计，计 {steps} 步）", " (whole steps: {steps})"),
    "started": ("（不足一步按一步计，计 {steps} 步）", " (every started step counts: {steps})"),
}


def _step(site: Site, zh: bool) -> Sentence:
    """`deduct R per S above REF`: the value, how far past the reference, the rate per step and the points lost."""
    subject, value = _as(site, format, "subject"), _valued(site, "value")
    reference = _valued(site, "reference", lambda ref: ZERO if ref is None else ref, remember=True)
    if _at(site, "unit") is None:  # the commonest: the unit fixed, the gap a function of the excess alone
        unit = site.facts.get("unit")
        subject_of = site.facts.get("subject")
        gap = _as(site, lambda excess: _gap(excess, unit, zh, subject_of), "excess")
        if unit == "percent":
            gap = _as(site, _POINTS_APART[zh], "excess")
    else:
        gap = _as(site, lambda excess, unit, subject: _gap(excess, unit, zh, subject), "excess", "unit", "subject")
    per = _as(site, lambda step, unit, subject: _per(step, unit, zh, subject), "step", "unit", "subject")
    rate = _as(site, lambda rate: exact(_decimal({"rate": rate}, "rate")), "rate")
    lost = _as(site, shown, "lost")
    word = _as(site, lambda direction: _DIRECTION.get(str(direction), ("", ""))[0 if zh else 1], "direction")
    more = _more(site, zh)
    if zh:
        counted = _sentence(subject, "为 ", value, "，", per, "扣 ", rate, " 分，扣 ", lost, " 分", more)
        over = _sentence(subject, " ", value, " ", word, " ", reference, " ", gap, "，", per, "扣 ", rate, " 分，扣 ",
                         lost, " 分", more)  # fmt: skip
    else:
        counted = _sentence(subject, " is ", value, "; ", rate, " ", per, ": -", lost, more)
        over = _sentence(subject, " ", value, " is ", gap, " ", word, " ", reference, "; ", rate, " ", per, ": -", lost,
                         more)  # fmt: skip
    at = _at(site, "reference")  # `deduct 1 per 例数`: no reference, the value counted
    if at is None:
        return counted if site.facts.get("reference") is None else over
    return lambda numbers, score: counted(numbers, score) if numbers[at] is None else over(numbers, score)


def _more(site: Site, zh: bool) -> Part:
    """How the steps were counted (whole or started ones), when the rule says."""

    def extra(counting: object, steps: object) -> str:
        said = _COUNTING.get(str(counting))
        return said[0 if zh else 1].format(steps=_n_of(steps)) if said else ""

    if _at(site, "counting") is None and str(site.facts.get("counting")) not in _COUNTING:
        return ""  # the commonest: every step as it is, nothing said
    return _as(site, extra, "counting", "steps")


def _signed(p: Mapping[str, object]) -> str:
    """What an adjust row's rules came to, with its sign: +3, -2.5."""
    start, lost = p["start"], p["lost"]
    assert isinstance(start, Decimal) and isinstance(lost, Decimal)
    raw = start - lost
    return f"+{number(raw)}" if raw > 0 else number(raw)


# A score made of quotients is exact on every engine to about 10^-18 (docs/scale.md): shown to
# 12 places, the warehouse's and evaluate()'s agree but within 10^-18 of a 12-place tie.
_SHOWN_PLACES = Decimal(1).scaleb(-12)


def _unrounded(p: Mapping[str, object]) -> str:
    """The score before `round N`, every digit up to 12 places (a quotient that never ends is
    shown to 12, half even), so a reason worded from the warehouse's numbers says what
    evaluate() says."""
    raw = _decimal(p, "raw")
    if raw.as_tuple().exponent < -12:  # type: ignore[operator]  # a finite Decimal's exponent is an int
        raw = raw.quantize(_SHOWN_PLACES, rounding=ROUND_HALF_EVEN, context=CONTEXT)
    return plain(raw)


def _clamped(p: Mapping[str, object], zh: bool) -> str:
    """扣完为止: deductions beyond what was left, or a base score below zero."""
    lost, start, top = p["lost"], p["start"], p["max"]
    assert isinstance(lost, Decimal) and isinstance(start, Decimal) and isinstance(top, Decimal)
    if start < 0:
        return (
            f"计得 {number(start - lost)} 分，低于 0 分，按 0 分计"
            if zh
            else f"{number(start - lost)} is below 0: scored 0"
        )
    if zh:
        of = f"超过分值 {number(top)}" if start == top else f"超过可扣的 {number(start)} 分"
        return f"合计应扣 {number(lost)} 分，{of}，扣完为止，得 0 分"
    of = f"more than the max {number(top)}" if start == top else f"more than the {number(start)} left"
    return f"{counted(number(lost), 'point')} lost in all, {of}: scored 0 (扣完为止)"


def _clamp(site: Site, zh: bool) -> Sentence:
    """扣完为止 (`_clamped`), the words of its max prepared once: a site as the scoring code
    makes it records the start and the points lost, and fixes the max (any other, the template)."""
    top = site.facts.get("max")
    if site.fields != ("start", "lost") or type(top) is not Decimal:
        words: Callable[[Mapping[str, object]], str] = _TEMPLATES["clamped_low"][0 if zh else 1]
        return lambda numbers, score: words(params(site, numbers, score))
    over_max = f"超过分值 {number(top)}" if zh else f"more than the max {number(top)}"

    def said(numbers: Numbers, score: Decimal | None) -> str:
        start, lost = numbers
        assert isinstance(lost, Decimal) and isinstance(start, Decimal)
        if start < ZERO:  # a Decimal 0: no int converted
            return (f"计得 {number(start - lost)} 分，低于 0 分，按 0 分计" if zh
                    else f"{number(start - lost)} is below 0: scored 0")  # fmt: skip
        if zh:
            of = over_max if start == top else f"超过可扣的 {number(start)} 分"
            return f"合计应扣 {number(lost)} 分，{of}，扣完为止，得 0 分"
        of = over_max if start == top else f"more than the {number(start)} left"
        return f"{counted(number(lost), 'point')} lost in all, {of}: scored 0 (扣完为止)"

    return said


_SHOWN_CONDITIONS = 3  # a long chain's `else` names its first conditions and counts the rest


def _failed(p: Mapping[str, object], zh: bool) -> str:
    """The conditions of a `when` chain that did not hold, for its `else`: a report shows
    the reason alone, so `以上条件` would point at nothing."""
    failed = p.get("failed", ())
    assert isinstance(failed, tuple)
    shown = [f"“{c}”" if zh else f'"{c}"' for c in failed[:_SHOWN_CONDITIONS]]
    more = len(failed) - len(shown)
    if zh:
        listed = "、".join(shown) + (f"等 {len(failed)} 项条件" if more else "")
        return f"{listed}{'均' if len(failed) > 1 else ''}不成立"
    listed = ", ".join(shown) + (f" and {more} more" if more else "")
    return f"{listed} does not hold" if len(failed) == 1 else f"none of {listed} holds"


def _decided(p: Mapping[str, object], zh: bool) -> str:
    """The condition of an `if … then … else` that chose the value: the one that held, or
    (for the last `else`) those that did not."""
    held = p.get("held")
    if held is None:
        return _failed(p, zh)
    return f"“{held}”成立" if zh else f'"{held}" holds'


def _formula_points(p: Mapping[str, object], zh: bool) -> str:
    """得 5 分 for a fixed arm, 按 X × 2 计得 4 分 for a computed one."""
    fixed = p.get("formula") == _n(p, "points")
    if zh:
        return f"得 {_n(p, 'points')} 分" if fixed else f"按 {p['formula']} 计得 {_n(p, 'points')} 分"
    return _n(p, "points") if fixed else f"{p['formula']} gives {_n(p, 'points')}"


def _n(p: Mapping[str, object], key: str) -> str:
    return shown(_decimal(p, key))


def _decimal(p: Mapping[str, object], key: str) -> Decimal:
    """A recorded number: the scoring code records every number as a Decimal."""
    value = p[key]
    assert isinstance(value, Decimal), key
    return value


# The words of a Decimal each of these keeps, by its str() (only ever f's words of that Decimal).
_KEPT_BY: dict[Callable[[Any], str], dict[str, str]] = {shown: _SAID, _percent: _PERCENTS}

# The sentences of the commonest kinds, prepared once per site and language (`_prepare`).
_PREPARED: dict[str, Callable[[Site, bool], Sentence]] = {"step": _step, "band": _band, "judgment": _judgment,
                                                          "clamped_low": _clamp}  # fmt: skip

# The others, over `params`.
_TEMPLATES = {
    "deduct_if": (
        lambda p: f"{p['condition']}，扣 {_n(p, 'lost')} 分",
        lambda p: f"{p['condition']}: -{_n(p, 'lost')}",
    ),
    "guard_off": (  # `if not X` off: X holds, and is named as such
        lambda p: (f"“{p['held']}”成立" if p.get("held") else f"“{p['condition']}”不成立")
        + f"，本项不计分（满分 {_n(p, 'max')}）",
        lambda p: (f'"{p["held"]}" holds' if p.get("held") else f'"{p["condition"]}" does not hold')
        + f": 0 of {_n(p, 'max')}",
    ),
    "rounded": (
        lambda p: f"得分 {_unrounded(p)} 保留 {p['places']} 位小数，计 {_n(p, 'rounded')} 分",
        lambda p: f"{_unrounded(p)} rounded to {counted(str(p['places']), 'place')}: {_n(p, 'rounded')}",
    ),
    "formula_if": (
        lambda p: f"{_decided(p, True)}，{_formula_points(p, True)}（满分 {_n(p, 'max')}）",
        lambda p: f"{_decided(p, False)}: {_formula_points(p, False)} of {_n(p, 'max')}",
    ),
    "award_held": (
        lambda p: f"“{p['condition']}”成立，加 {_n(p, 'points')} 分",
        lambda p: f"met: {p['condition']} (+{_n(p, 'points')})",
    ),
    "award_missed": (
        lambda p: f"未满足“{p['condition']}”，少得 {_n(p, 'lost')} 分",
        lambda p: f"not met: {p['condition']} (-{_n(p, 'lost')})",
    ),
    "when": (
        lambda p: f"{p['condition']}，得 {_n(p, 'points')} 分（满分 {_n(p, 'max')}）",
        lambda p: f"{p['condition']}: {_n(p, 'points')} of {_n(p, 'max')}",
    ),
    "when_else": (
        lambda p: f"{_failed(p, True)}，得 {_n(p, 'points')} 分（满分 {_n(p, 'max')}）",
        lambda p: f"{_failed(p, False)}: {_n(p, 'points')} of {_n(p, 'max')}",
    ),
    "match": (
        lambda p: f"{p['subject']}为“{p['label']}”，得 {_n(p, 'points')} 分（满分 {_n(p, 'max')}）",
        lambda p: f"{p['subject']} is {p['label']}: {_n(p, 'points')} of {_n(p, 'max')}",
    ),
    "formula": (
        lambda p: f"按 {p['formula']} 计得 {_n(p, 'points')} 分（满分 {_n(p, 'max')}）",
        lambda p: f"{p['formula']} gives {_n(p, 'points')} of {_n(p, 'max')}",
    ),
    "clamped_low": (lambda p: _clamped(p, True), lambda p: _clamped(p, False)),
    "adjust_low": (
        lambda p: f"合计 {_signed(p)} 分，低于下限 {_n(p, 'low')} 分，按 {_n(p, 'low')} 分计",
        lambda p: f"{_signed(p)} in all, below the least {_n(p, 'low')}: counted {_n(p, 'low')}",
    ),
    "adjust_high": (
        lambda p: f"合计 {_signed(p)} 分，超过上限 +{_n(p, 'max')} 分，按 +{_n(p, 'max')} 分计",
        lambda p: f"{_signed(p)} in all, above the most +{_n(p, 'max')}: counted +{_n(p, 'max')}",
    ),
    "not_applicable": (lambda p: _not_applicable(p, True), lambda p: _not_applicable(p, False)),
    "rescaled": (
        lambda p: f"有不适用的项，折算：得分 {_n(p, 'raw')} ÷ 适用分值 {_n(p, 'applicable')} × {_n(p, 'max')}",
        lambda p: f"re-scaled over the rows that apply: {_n(p, 'raw')} ÷ {_n(p, 'applicable')} × {_n(p, 'max')}",
    ),
}

# What a row that does not apply counts as, in words (`applies … else MODE`).
_COUNTED = {
    "full": ("按满分计算", "counted as full marks"),
    "zero": ("计 0 分", "counted as 0"),
    "rescale": ("不计入，上级得分按适用分值折算", "left out; the level above is re-scaled over the rows that apply"),
}


def _panel(name: str, unit: str, funcs: list[str], values: tuple[Decimal, ...], zh: bool) -> str:
    """`专家评分 8、9、7、10、9，去掉最高分 10 和最低分 7，平均 8.67`: a panel's values, what was
    dropped, and what each function read of it made of them (every digit up to 6 places, as
    for any value)."""
    said = [f"{name} " + ("、" if zh else ", ").join(quantity(v, unit) for v in values)]
    for func in funcs:
        if func == "count":
            said.append(f"共 {len(values)} 个" if zh else f"{len(values)} values")
            continue
        if func not in AGGREGATES or len(values) < AGGREGATE_LEAST.get(func, 1):
            continue  # refused before any reason is given; shown plainly all the same
        value = quantity(AGGREGATES[func](values), unit)
        if func == "trimmed_mean":
            low, high = quantity(min(values), unit), quantity(max(values), unit)
            said.append(f"去掉最高分 {high} 和最低分 {low}，平均 {value}" if zh
                        else f"without the highest {high} and the lowest {low}, the mean is {value}")  # fmt: skip
            continue
        word = _AGGREGATE_WORDS[func][0 if zh else 1]
        if func == "mean" and "trimmed_mean" in funcs:  # both: which mean is which
            word = "全部平均" if zh else "mean of all"
        said.append(f"{word} {value}" if zh else f"the {word} is {value}")
    if zh:
        return "，".join(said)
    return said[0] + (": " + ", ".join(said[1:]) if len(said) > 1 else "")


_AGGREGATE_WORDS = {"mean": ("平均", "mean"), "median": ("中位数", "median"), "min": ("最低分", "lowest"),
                    "max": ("最高分", "highest")}  # fmt: skip


def _panelled(p: Mapping[str, object], kind: str, zh: bool, said: str) -> str:
    """A reason whose value was read from panels: each panel's values first. When the value
    is the panel's function itself (`score = trimmed_mean(专家评分)`), the panel's sentence
    says what the formula would: `…，平均 8.67，得 8.67 分（满分 10）`."""
    reads, values = p["panels"], p["panel_values"]
    assert isinstance(reads, tuple) and isinstance(values, tuple)
    grouped: dict[str, tuple[str, list[str], tuple[Decimal, ...]]] = {}  # each panel once, with what read it
    for (func, name, unit), xs in zip(reads, values, strict=True):
        grouped.setdefault(name, (unit, [], xs))[1].append(func)
    panels = ("；" if zh else "; ").join(_panel(n, u, fs, xs, zh) for n, (u, fs, xs) in grouped.items())
    if p.get("alone") and kind == "formula":
        return f"{panels}，得 {_n(p, 'points')} 分（满分 {_n(p, 'max')}）" if zh else f"{panels}: {_n(p, 'points')} of {_n(p, 'max')}"
    if p.get("alone") and kind == "band":
        band = p["band"]
        if zh:
            where = "属于其他档" if band == "else" else f"属于 {band} 档"
            return f"{panels}，{where}，得 {_n(p, 'points')} 分（满分 {_n(p, 'max')}）"
        where = "in none of the bands" if band == "else" else f"in {band}"
        return f"{panels}, {where}: {_n(p, 'points')} of {_n(p, 'max')}"
    return f"{panels}；{said}" if zh else f"{panels}; {said}"


def _not_applicable(p: Mapping[str, object], zh: bool) -> str:
    """不适用, and why: the data marks an input so, or the `applies if` condition fails."""
    counted = _COUNTED[str(p["mode"])][0 if zh else 1]
    if p.get("marked") is not None:
        why = f"数据标为不适用（{p['marked']}）" if zh else f"the data marks {p['marked']} N/A"
    else:
        why = f"“{p['condition']}”不成立" if zh else f'"{p["condition"]}" does not hold'
    return f"不适用：{why}，{counted}" if zh else f"not applicable: {why}; {counted}"

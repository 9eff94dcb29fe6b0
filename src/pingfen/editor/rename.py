"""Renaming a name of one rule file: the name under the cursor, its declaration and every
place it is used with that meaning (as the index resolves names), and nothing else — or why not."""

from __future__ import annotations

import re
from typing import Literal

from pingfen import ast
from pingfen.check.checker import REASON_FIELDS
from pingfen.diagnostics import Span
from pingfen.editor.analysis import Analysis, Base, in_bases
from pingfen.editor.index import Kind, Occurrence, _names
from pingfen.errors import PingfenError
from pingfen.lang import Lang
from pingfen.reasons import template_pieces
from pingfen.syntax.parser import is_bare_name, keywords

# Names that may not be declared twice: the values (inputs and lets), the rows, the grades.
_SPACES: dict[Kind, frozenset[Kind]] = {
    "input": frozenset({"input", "let"}), "let": frozenset({"input", "let"}),
    "group": frozenset({"group", "indicator"}), "indicator": frozenset({"group", "indicator"}),
    "grade": frozenset({"grade"}),
}  # fmt: skip

_WORDS: dict[str, tuple[str, str]] = {
    "nothing": ("there is no name here to rename", "此处没有可以重命名的名称"),
    "undeclared": ("`{name}` is declared nowhere in this file, so it cannot be renamed",
                   "`{name}` 在本文件中没有声明，无法重命名"),
    "base": ("`{name}` is declared in `{file}`, the file this one extends: rename it there",
             "`{name}` 声明于本文件所继承的 `{file}`，请在该文件中重命名"),
    "label": ("a label is a value of the data (and of the examples' givens): `{name}` is not renamed here",
              "选项是数据（以及示例 given 中）的取值：`{name}` 不能在此重命名"),
    "invalid": ("`{new}` is not a valid name: a name starts with a letter or an opening quote mark (“, 《, …) "
                "and holds no space, or is written in backquotes without a backquote or line break inside",
                "`{new}` 不是有效的名称：名称以文字或左引号（“、《 等）开头且不含空格，"
                "或写在反引号中（其中不含反引号和换行）"),
    "keyword": ("`{new}` is a keyword of the language and cannot be a name", "`{new}` 是评分表语言的关键字，不能用作名称"),
    "exists": ("`{new}` is already declared ({where}): choose another name", "`{new}` 已有声明（{where}），请换一个名称"),
    "is_label": ("`{new}` is a label of the input `{input}` ({where}): a comparison with that label would read the "
                 "renamed value instead; choose another name",
                 "`{new}` 是输入项 `{input}` 的选项（{where}）：与该选项的比较将改为读取改名后的值，请换一个名称"),
    "read": ("`{new}` is already read ({where}), as a name this file does not declare: it would read the renamed "
             "one instead; choose another name",
             "`{new}` 已被读取（{where}），本文件并未声明它：改名后该处将读到改名后的名称，请换一个名称"),
    "field": ("`{{{new}}}` is a placeholder every reason template has: choose another name",
              "`{{{new}}}` 是每个扣分原因模板都有的占位符，请换一个名称"),
    "placeholder": ("`{new}` cannot be written as a placeholder in the reason at {where}: choose another name",
                    "`{new}` 无法写作扣分原因（{where}）中的占位符，请换一个名称"),
}  # fmt: skip


class NotRenamed(PingfenError):
    """Why a name cannot be renamed (or not to that), in the language asked."""


def _refuse(lang: Lang, key: str, **names: str) -> NotRenamed:
    en, zh = _WORDS[key]
    return NotRenamed((zh if lang == "zh" else en).format(**names))


def target(a: Analysis, bases: list[Base], offset: int, lang: Lang, shown: dict[str, str]) -> Occurrence:
    """The name at offset, if it can be renamed in this file; `shown`: each base's path as
    the message names it."""
    o = a.index.at(offset) if a.index is not None else None
    if o is None:
        raise _refuse(lang, "nothing")
    found = in_bases(bases, o.text)
    if o.kind is None:
        if a.module is not None and any(v.name.span == o.span for v in a.module.vetoes):
            raise _refuse(lang, "nothing")  # a veto's own name: no other refers to it
        if found is not None:
            raise _refuse(lang, "base", name=o.text, file=shown[found[0].path])
        raise _refuse(lang, "undeclared", name=o.text)
    if o.kind == "label":
        raise _refuse(lang, "label", name=o.text)
    if o.kind == "example":
        raise _refuse(lang, "nothing")
    # a name the file declares again over its base's (replacing it): the base still uses it
    for base in bases:
        if any((kind, o.text) in base.index.declarations for kind in _SPACES[o.kind]):
            raise _refuse(lang, "base", name=o.text, file=shown[base.path])
    return o


def rename(
    a: Analysis, bases: list[Base], offset: int, new: str, lang: Lang, shown: dict[str, str]
) -> list[tuple[Span, str]]:
    """The edits (a span of the text, what to write there) that rename the name at offset to new."""
    o = target(a, bases, offset, lang, shown)
    assert a.index is not None and a.module is not None and o.kind is not None  # target() refused any other
    quoted = re.fullmatch(r"`([^`\n]+)`", new)
    name = quoted.group(1) if quoted else new
    if name in keywords():
        raise _refuse(lang, "keyword", new=name)
    if is_bare_name(name):
        written = name
    elif name and name.strip() == name and not re.search(r"[`\n\r]", name):
        written = f"`{name}`"  # as the formatter writes a name that is no bare name
    else:
        raise _refuse(lang, "invalid", new=new)
    if name == o.text:
        return []
    for kind in _SPACES[o.kind]:
        span = a.index.declarations.get((kind, name))
        if span is not None:
            line = a.text.count("\n", 0, span.start) + 1
            raise _refuse(lang, "exists", new=name, where=f"第 {line} 行" if lang == "zh" else f"line {line}")
        for base in bases:
            if (kind, name) in base.index.declarations:
                raise _refuse(lang, "exists", new=name, where=shown[base.path])
    _refuse_capture(a, bases, o.kind, name, lang, shown)
    edits = [(span, written) for span in a.index.references(o, declaration=True)]
    # A `judgment` without an input reads the input named as its row: renaming either one
    # names the input there, so that it still reads the same input.
    if o.kind in ("input", "indicator"):
        said = written if o.kind == "input" else _written(o.text)
        for judgment in _judgments(a.module, o.text):
            at = judgment.span.start + len("judgment")
            edits.append((Span.at(a.text, at, at), " " + said))
    if o.kind in ("input", "let"):  # a reason's `{NAME}` shows the value
        edits += _placeholders(a, o.text, name, lang)
    return edits


def _written(name: str) -> str:
    return name if is_bare_name(name) else f"`{name}`"


def _indicators(module: ast.Module) -> list[ast.Indicator]:
    """Every indicator: of the tree, the bonus and penalty lines, and those `add to` adds."""
    rows = [*module.rows, *(c for i in module.items if isinstance(i, ast.AddTo) for c in i.children)]
    return [node for node, _depth in ast.walk_nodes(tuple(rows)) if isinstance(node, ast.Indicator)]


def _judgments(module: ast.Module, row: str) -> list[ast.Judgment]:
    """The `judgment`s without an input in the rows named row (each reads the input of that name)."""
    return [
        rule for node in _indicators(module) if node.name.text == row
        for rule in node.rules if isinstance(rule, ast.Judgment) and rule.input is None
    ]  # fmt: skip


Space = Literal["value", "node", "grade", "label"]
_SPACE: dict[Kind, Space] = {"input": "value", "let": "value", "group": "node", "indicator": "node", "grade": "grade"}


def _space(name: ast.Name, holder: object) -> Space | None:
    """What a name written here reads, as the checker resolves it; None for a veto's own name,
    which nothing reads. A bare name in an expression is a value: an input or a `let` if one
    has that name, else (compared with a label input) one of its labels."""
    match holder:
        case ast.Input():
            return "value" if name is holder.name else "label"
        case ast.MatchArm():
            return "label"
        case ast.Grade() | ast.ExpectGrade():
            return "grade"
        case ast.Veto():
            return "grade" if name is holder.grade else None
        case ast.Monotone():
            return "node" if name is holder.target else "value"
        case ast.Remove():
            return "value" if holder.input else "node"
        case ast.Group() | ast.Indicator() | ast.ExpectScore() | ast.Claim() | ast.AddTo() | ast.SetMax():
            return "node"
        case _:
            return "value"  # a Ref, a `let`, a given, `judgment X`, `expect error on X`


def _refuse_capture(a: Analysis, bases: list[Base], kind: Kind, new: str, lang: Lang, shown: dict[str, str]) -> None:
    """Refuse a new name that a place of the file (or of a file it extends, merged with it)
    reads now as something else and would read as the renamed name: a label compared with a
    label input, a name declared nowhere, the input a `judgment` of a row of that name reads,
    a reason's placeholder. Names no longer declared here are "exists" refusals already."""
    space = _SPACE[kind]
    assert a.module is not None
    files = [(a.module, a.text, None), *((b.module, b.text, b.path) for b in bases)]

    def where(text: str, path: str | None, at: int) -> str:
        if path is not None:
            return shown[path]
        line = text.count("\n", 0, at) + 1
        return f"第 {line} 行" if lang == "zh" else f"line {line}"

    if space == "value" and new in REASON_FIELDS:  # `{value}` would show the renamed value
        raise _refuse(lang, "field", new=new)
    for module, text, path in files:
        if space == "value":
            for inp in module.inputs:
                label = next((lb for lb in inp.labels if lb.text == new), None)
                if label is not None:
                    raise _refuse(
                        lang, "is_label", new=new, input=inp.name.text, where=where(text, path, label.span.start)
                    )
            judgments = _judgments(module, new)  # they read the input named as their row
            if judgments:
                raise _refuse(lang, "read", new=new, where=where(text, path, judgments[0].span.start))
            for start, _end, template in _reasons(text, module):
                if any(field == new for _, field, _ in template_pieces(template) or ()):
                    raise _refuse(lang, "read", new=new, where=where(text, path, start))
        for item in module.items:
            for name, holder in _names(item):
                if name.text == new and _space(name, holder) == space:
                    raise _refuse(lang, "read", new=new, where=where(text, path, name.span.start))


# A reason's text, where its rule's span is scanned for it: comments, names in backquotes,
# strings and names are passed over whole, so that a `reason` inside them is not taken.
_TOKEN = re.compile(r'#[^\n]*|`[^`\n]*`|"(?:[^"\\\n]|\\.)*"|(?:[^\W\d]|[“‘《〈「『])[\w“”‘’《》〈〉「」『』·]*|.', re.S)
_ESCAPED = re.compile(r'\\(["\\])')
_TEXT = re.compile(r'(?:\s|#[^\n]*)*("(?:[^"\\\n]|\\.)*"|“[^“”\n]*”|「[^「」\n]*」)')


def _reasons(text: str, module: ast.Module) -> list[tuple[int, int, str]]:
    """Each `reason "…"` of the module: where its contents are in text (without the quote
    marks), and the template they hold."""
    found: list[tuple[int, int, str]] = []
    for node in _indicators(module):
        for rule in node.rules:
            for item in rule.reason_items():
                if item.reason is None:
                    continue
                for token in _TOKEN.finditer(text, item.span.start, item.span.end):
                    if token.group() == "reason" and (quoted := _TEXT.match(text, token.end())) is not None:
                        start, end = quoted.start(1) + 1, quoted.end(1) - 1
                        inside = text[start:end] if text[start - 1] != '"' else _ESCAPED.sub(r"\1", text[start:end])
                        if inside == item.reason:  # as the parser read it: else this is no template of it
                            found.append((start, end, item.reason))
                        break
    return found


def _fields(template: str) -> list[int]:
    """Where each `{…}` of a template starts its name (just after the brace), read as
    str.format reads it (`{{` and `}}` are braces); [] when a brace has no partner."""
    starts: list[int] = []
    i = 0
    while i < len(template):
        c = template[i]
        if c in "{}" and template[i + 1 : i + 2] == c:
            i += 2
        elif c == "}":
            return []
        elif c == "{":
            depth, j = 1, i + 1
            while j < len(template) and depth:
                depth += {"{": 1, "}": -1}.get(template[j], 0)
                j += 1
            if depth:
                return []
            starts.append(i + 1)
            i = j
        else:
            i += 1
    return starts


def _placeholders(a: Analysis, old: str, new: str, lang: Lang) -> list[tuple[Span, str]]:
    """The edits that rename the placeholders `{old}` of the reasons to `{new}`."""
    assert a.module is not None
    edits: list[tuple[Span, str]] = []
    for start, end, template in _reasons(a.text, a.module):
        pieces = template_pieces(template) or ()  # None: shown as written, naming nothing (PF312)
        fields = [field for _, field, _ in pieces if field is not None]
        starts = [at for at, field in zip(_fields(template), fields, strict=False) if field == old]
        if not starts or len(fields) != len(_fields(template)):
            continue
        source = a.text[start:end]
        plain = a.text[start - 1] != '"'  # in Chinese quotes: nothing is escaped
        # where each character of the template is in the source (`\"` and `\\` are one), and its end
        at = [*(m.start() for m in re.finditer("." if plain else r'\\["\\]|.', source, re.S)), len(source)]
        renamed = template
        for s in reversed(starts):
            renamed = renamed[:s] + new + renamed[s + len(old) :]
        written = new if plain else new.replace("\\", "\\\\").replace('"', '\\"')
        closing = a.text[end]
        same = template_pieces(renamed) == tuple((t, new if f == old else f, spec) for t, f, spec in pieces)
        if not same or (plain and (closing in new or {"”": "“", "」": "「"}[closing] in new)):
            line = a.text.count("\n", 0, start) + 1
            raise _refuse(lang, "placeholder", new=new, where=f"第 {line} 行" if lang == "zh" else f"line {line}")
        edits += [(Span.at(a.text, start + at[s], start + at[s + len(old)]), written) for s in starts]
    return edits

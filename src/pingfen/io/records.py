"""One record (input name → value) from a JSON or YAML file, numbers kept exact."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from pingfen.errors import DataError, PingfenError, Problem, RowLabel
from pingfen.io.bounds import (
    MAX_DEPTH,
    MAX_YAML_VALUES,
    TooBig,
    details,
    loads_json,
    no_duplicates,
    read_bounded,
    too_deep,
)
from pingfen.io.tables import KINDS, Row, Rows, checked_sheet, default_id, hidden_id, id_text, is_table, read_rows
from pingfen.values import shorten, to_decimal

_BASE_TEN = re.compile(r"[-+]?[0-9]+")


@functools.cache
def _yaml() -> tuple[Any, type]:
    """The yaml module and ExactLoader, YAML's safe loader with numbers read as people
    write them: floats as exact Decimals from their text, integers in base 10 (`014` is
    14, not octal 12), and YAML 1.1's other forms (`0x1A`, `1:30`, `.nan`, `1_000`) and
    dates kept as text for coercion to refuse. A key given twice is an error, not a
    silent overwrite. Bounded: values nest at most MAX_DEPTH deep, a key must be a plain
    value, and an alias may stand only for a plain value (a billion-laughs file of nested
    aliases is refused, not expanded). Imported only for a YAML file, as it takes a while."""
    import yaml

    class ExactLoader(yaml.SafeLoader):
        depth = 0
        values = 0

        def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
            # (the signature is the stubs'; PyYAML passes a mapping value's key node as `index`)
            if self.check_event(yaml.AliasEvent):
                event = self.next_event()
                if not isinstance(self.anchors.get(event.anchor), (yaml.ScalarNode, type(None))):
                    raise Unreadable("an alias (`*name`) may stand only for a plain value",
                                     "别名（`*名称`）只能代表单个值", event.start_mark)  # fmt: skip
            self.depth += 1
            self.values += 1
            try:
                if self.values > MAX_YAML_VALUES:  # counted as they are read: refused before the rest is parsed
                    raise Unreadable(f"the record holds more than {MAX_YAML_VALUES:,} values",
                                     f"记录中的值超过 {MAX_YAML_VALUES:,} 个", self.next_event().start_mark)  # fmt: skip
                if self.depth > MAX_DEPTH:
                    raise Unreadable(str(too_deep()), too_deep().zh, self.next_event().start_mark)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def next_event(self) -> yaml.NodeEvent:
            """The event about to be read: a node's, as compose_node is called only before one."""
            event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML's stubs leave Parser.peek_event untyped
            assert isinstance(event, yaml.NodeEvent)
            return event

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            seen: set[object] = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise Unreadable("a key must be a plain name, not a list or mapping",
                                     "键必须是名称，不能是列表或映射", key_node.start_mark)  # fmt: skip
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    shown = shorten(str(key))
                    raise Unreadable(f"`{shown}` is given twice", f"`{shown}` 出现了两次", key_node.start_mark)
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    def decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
        text = str(loader.construct_scalar(node))
        value = to_decimal(text)  # `1_000.5` as grouped thousands; `1_0.5` stays text
        return text if value is None else value

    def integer(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
        text = str(loader.construct_scalar(node))
        value = to_decimal(text) if _BASE_TEN.fullmatch(text.replace("_", "")) else None
        return text if value is None else int(value)

    def plain(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
        return str(loader.construct_scalar(node))

    ExactLoader.add_constructor("tag:yaml.org,2002:float", decimal)
    ExactLoader.add_constructor("tag:yaml.org,2002:int", integer)
    ExactLoader.add_constructor("tag:yaml.org,2002:timestamp", plain)  # `2021-02-30` is text, not a crash
    return yaml, ExactLoader


class Unreadable(PingfenError):
    """Why a YAML file cannot be read, in both languages, and where (a PyYAML mark)."""

    def __init__(self, en: str, zh: str, mark: Any = None) -> None:
        super().__init__(en)
        self.en, self.zh, self.mark = en, zh, mark


def load_yaml(text: str) -> Any:
    """YAML through ExactLoader. Raises Unreadable, worded by pingfen with line and column."""
    yaml, loader = _yaml()
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except Unreadable as error:
        raise _at(error.en, error.zh, error.mark) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if isinstance(error, yaml.constructor.ConstructorError):
            raise _at("a value of a kind a data file cannot hold (a tag: `!…` or `!!…`)",
                      "数据文件不能包含此类值（类型标签：`!…` 或 `!!…`）", mark) from None  # fmt: skip
        if isinstance(error, yaml.composer.ComposerError):
            raise _at(*_composer(error), mark) from None
        colon = _full_width_colon(text, _key_lines(error, text))
        raise colon or _at("this is not valid YAML: check the quotes, colons and indentation",
                           "此处不是有效的 YAML：请检查引号、冒号和缩进", mark) from None  # fmt: skip
    except (yaml.YAMLError, ValueError, TypeError):
        raise _at("a value a data file cannot hold", "数据文件不能包含此类值", None) from None
    except RecursionError:
        raise _at(str(too_deep()), too_deep().zh, None) from None


def _composer(error: Any) -> tuple[str, str]:
    """A ComposerError worded by its kind, which only PyYAML's (English) context tells: a second
    document and an anchor given twice were said as an alias with no anchor before it."""
    context = error.context or ""
    if context == "expected a single document in the stream":
        return ("a second document (`---`) begins here: a record file holds one record",
                "此处开始了第二个文档（`---`）：一个记录文件只能有一条记录")  # fmt: skip
    if context.startswith("found duplicate anchor"):
        return "an anchor (`&name`) given a second time", "锚点（`&名称`）重复定义"
    return "an alias (`*name`) with no anchor (`&name`) before it", "别名（`*名称`）之前没有对应的锚点（`&名称`）"


# A name and its value joined by the full-width colon a Chinese input method types
# (`满意度：95%`): YAML reads such a line as text, not as a name and a value.
_FULL_WIDTH_KEY = re.compile(r"\s*(?:-\s+)?([^\s#:'\"{}\[\]][^:'\"]*?)\s*：")


def _key_lines(error: Any, text: str) -> list[int]:
    """The lines (from 1) where PyYAML's error says a key typed `满意度：95%` would be: the key it
    scanned that found no `:` on its line, or the text running on to a `:` it does not allow here
    (this line, or the one before when this `:` is its line's first). Not any other line: there
    `：` may be a value's own text, in a block or quoted one."""
    if error.context == "while scanning a simple key" and error.context_mark is not None:
        return [error.context_mark.line + 1]
    mark = error.problem_mark
    if error.problem != "mapping values are not allowed here" or mark is None:
        return []
    lines = text.splitlines()
    first = mark.line < len(lines) and ":" not in lines[mark.line][: mark.column]
    return [mark.line, mark.line + 1] if first else [mark.line + 1]


def _full_width_colon(text: str, numbers: Collection[int]) -> Unreadable | None:
    """The first of these lines (from 1) that joins a name to its value with `：`, said so; None
    if none does. Only lines the parser's error is at: elsewhere `：` may be a value's own text."""
    lines = text.splitlines()
    for number in sorted(set(numbers)):
        found = _FULL_WIDTH_KEY.match(lines[number - 1]) if 0 < number <= len(lines) else None
        if found:
            key = shorten(found.group(1), 40)
            return Unreadable(
                f"line {number}: `{key}` is followed by a full-width colon `：`; write a colon and a space: `{key}: …`",
                f"第 {number} 行：`{key}` 后面是全角冒号“：”，请改为半角冒号加空格：`{key}: …`",
            )
    return None


def _at(en: str, zh: str, mark: Any) -> Unreadable:
    if mark is None:
        return Unreadable(en, zh)
    line, column = mark.line + 1, mark.column + 1
    return Unreadable(f"line {line}, column {column}: {en}", f"第 {line} 行第 {column} 列：{zh}", mark)


def read_mapping(path: Path) -> object:
    """A JSON (`.json`) or YAML file's data, size, depth and numbers bounded; DataError (PF508)."""
    try:
        text = read_bounded(path).decode("utf-8-sig")
    except TooBig as error:
        raise unreadable(path, error) from None
    except UnicodeDecodeError as error:  # GBK, as Notepad saved it on a Chinese Windows: say how to save it again
        said = {"detail": f"not UTF-8 text (at byte {error.start})", "detail_zh": f"不是 UTF-8 编码的文本（第 {error.start} 字节处）"}
        raise DataError([Problem("PF508", None, {"path": str(path), **said}, "save_utf8")]) from None
    except OSError as error:
        raise unreadable(path, error) from None
    try:
        if path.suffix.lower() == ".json":
            return loads_json(text, object_pairs_hook=no_duplicates)
        data = load_yaml(text)
    except (ValueError, Unreadable) as error:
        raise unreadable(path, error) from None
    if isinstance(data, str) and (colon := _full_width_colon(text, [_first_line(text)])) is not None:
        raise unreadable(path, colon)  # the whole file read as one text, from a first line `在职人数：14`
    return data


def _first_line(text: str) -> int:
    """The number of the first line that is not blank, a comment or a document's start."""
    lines = enumerate(text.splitlines(), 1)
    return next((n for n, line in lines if line.strip() not in ("", "---") and not line.lstrip().startswith("#")), 0)


# A record file's suffixes (any other name not a batch file is read as YAML too), and every
# data file's that `pingfen eval` scores: what the workbench lists and scores by name.
RECORD_SUFFIXES = (".json", ".yaml", ".yml")
DATA_SUFFIXES = (*KINDS, *RECORD_SUFFIXES)


def read_batch(path: str | Path, *, encoding: str | None = None, id_column: str | None = None) -> Rows | list[Row]:
    """A data file's rows, as `pingfen eval` scores them: a batch file's, or one JSON/YAML
    record as a batch of one (`encoding` and `id_column` as for `read_rows`; a record's id
    is the `id_column` key, as `read_department` reads it). Raises DataError when the file
    cannot be read."""
    if is_table(path):
        return read_rows(path, encoding=encoding, id_column=id_column)
    department, record = read_department(path, id_column=id_column)
    return [Row(1, department, record)]


# Workbooks of other programs and older formats: saved as .xlsx (另存为), Excel and WPS write one pingfen reads.
OTHER_WORKBOOKS = frozenset({".xls", ".xlsb", ".et", ".ett", ".ods", ".numbers", ".wps", ".dbf"})


def read_record(path: str | Path, *, command: str = "eval") -> dict[str, Any]:
    """Read one record; JSON for `.json`, YAML otherwise. Raises DataError (PF508) if unreadable,
    PF511 for a workbook pingfen does not read (an old `.xls`, WPS's `.et`) or a Parquet file,
    which were read as YAML. `command` is the pingfen command whose work reads it (`report`,
    `diff --replay`): a Parquet file's hint says that `eval --engine duckdb` scores it, and to
    any other command how to export it to CSV."""
    path = Path(path)
    if path.suffix.lower() in (*OTHER_WORKBOOKS, ".parquet"):  # a Parquet file was read as YAML: "not UTF-8 text"
        args: dict[str, object] = {"path": str(path), "what": "data file", "what_zh": "数据文件",
                                   "formats": ".xlsx, .csv, .jsonl, .json, .yaml"}  # fmt: skip
        hint = "parquet" if path.suffix.lower() == ".parquet" else None  # `eval --engine duckdb` scores it
        if hint is not None and command != "eval":  # no other command reads one: it says how to export it
            hint, args["command"] = "parquet_convert", command
        raise DataError([Problem("PF511", None, args, hint)])
    data = read_mapping(path)
    if not isinstance(data, dict):
        raise unreadable(path, "expected a mapping of input names to values", "应为输入名到取值的映射")
    return {str(k): v for k, v in data.items()}


def read_records(
    path: str | Path, *, encoding: str | None = None, id_column: str | None = None, sheet: str | None = None
) -> Iterator[dict[str, Any] | DataError]:
    """Every record of a data file, for `Rubric.evaluate_many`: the one record of a JSON or
    YAML file, or each row of a CSV, XLSX or JSON Lines file as it is read (its values by
    column name, the id column included; `encoding`, `id_column` and `sheet` as for
    `read_rows`: a `sheet` given for a file that is no XLSX workbook, or as '', is a
    ValueError). A row that cannot be read (PF510, PF520) comes as its DataError, and the
    rows after it still come; a row with a formula never calculated comes as a record that
    `Rubric.evaluate` refuses for it as `pingfen eval` does (PF534, `absent.SheetRecord`).
    Raises DataError now when the file itself cannot be read."""
    checked_sheet(sheet, Path(path))  # a CSV's sheet= was ignored, and '' said the workbook had none
    if not is_table(path):
        return iter([read_record(path)])
    return _records(read_rows(path, encoding, id_column, sheet=sheet))


def _records(rows: Rows) -> Iterator[dict[str, Any] | DataError]:
    for row in rows:
        yield row.record() if row.problem is None else DataError([row.problem], row.id or RowLabel(row.number))


def unreadable(path: Path, detail: str | Exception, zh: str | None = None) -> DataError:
    """PF508 for `path`: `detail` is English text (`zh` its Chinese), an error carrying its
    Chinese as `.zh`, or an OSError (its reason worded in the message's language)."""
    args = details(detail) if isinstance(detail, Exception) else {"detail": detail, "detail_zh": zh or detail}
    return DataError([Problem("PF508", None, {"path": str(path), **args})])


_unreadable = unreadable


def several(path: str | Path, id: str | None, found: Sequence[Row]) -> DataError:
    """Why `found` is not one row: none (PF526), an `--id` more than one row has (PF525), or
    several rows and no `--id` to pick one (PF515)."""
    if not found:
        return DataError([Problem("PF526", None, {"path": str(path)})])
    if id is not None:
        numbers, more = [str(row.number) for row in found[:10]], "…" if len(found) > 10 else ""
        args = {"path": str(path), "id": id, "count": len(found), "rows": ", ".join(numbers) + more,
                "rows_zh": "、".join(numbers) + more}  # fmt: skip
        return DataError([Problem("PF525", None, args)])
    return DataError([Problem("PF515", None, {"path": str(path), "count": len(found)})])


def read_department(
    path: str | Path, *, id: str | None = None, encoding: str | None = None, id_column: str | None = None,
    command: str = "eval",
) -> tuple[str | None, dict[str, Any]]:  # fmt: skip
    """One department's id (if known) and values: a JSON/YAML record, or one row of a batch file.

    From a batch file, `id` picks the row; without it the file must hold exactly one row
    (its values a record that says PF534 for a formula never calculated, as `read_records`'s).
    A record's own `id` key, if any, names it. Raises DataError (PF508, PF515, PF516; PF511
    hinted for `command`, as `read_record`).
    """
    if not is_table(path):
        record = read_record(path, command=command)
        named = default_id(record, id_column)
        hidden = hidden_id(str(path), record, id_column) if named is None else None
        if hidden is not None:  # PF528, as a CSV's header `id\u200b`: the record would lose its id without a word
            raise DataError([hidden])
        try:
            return id_text(named), record  # `true` as a batch's row names it, never Python's `True`
        except TooBig as error:  # a list or mapping for an id
            raise unreadable(Path(path), error) from None
    rows = read_rows(path, encoding=encoding, id_column=id_column)
    found = [row for row in rows if id is None or row.id == id]
    if id is not None and not found:
        raise DataError([Problem("PF516", None, {"path": str(path), "id": id})])
    if len(found) != 1:
        raise several(path, id, found)
    row = found[0]
    if row.problem is not None:
        raise DataError([row.problem], row.id or RowLabel(row.number))
    return row.id, row.record()


def __getattr__(name: str) -> Any:
    if name in ("ExactLoader", "_ExactLoader"):  # the exact YAML loader, made when first asked for
        return _yaml()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

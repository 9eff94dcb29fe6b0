"""The limits every data reader keeps, so that no file, however small or crafted, costs
more than its honest size in time and memory: a record file's size, how deep values
nest, how long a number's text is, and the JSON reader that keeps them."""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from pingfen.errors import PingfenError
from pingfen.io.guard import note_input
from pingfen.oserrors import OSReason
from pingfen.values import MAX_NUMBER_TEXT, shorten

# A record (JSON/YAML) or filled-in self-evaluation is read whole: a real one is a few KB.
MAX_RECORD_BYTES = 10 * 1024 * 1024
# Values nest this deep at most: a record maps names to plain values.
MAX_DEPTH = 20
# Values a YAML record holds at most (names, values, list items): a department's is a few
# hundred. PyYAML builds a node for each, slowly: 10 MB of `[a, a, …]` took 8 minutes and 3.5 GB.
MAX_YAML_VALUES = 50_000
# The characters of one line of a CSV or JSON Lines batch, its line end not counted: a
# department's row is a few KB. One limit for both engines (`--engine duckdb`'s is DuckDB's
# default 2 MiB, in characters here, so that no file either read before is refused).
MAX_LINE_CHARS = 2 * 1024 * 1024
# What to read of a line to know whether it is within MAX_LINE_CHARS: its end, `\r\n`, too.
LINE_READ = MAX_LINE_CHARS + 2
# The characters of one CSV cell: a line's, so that a line either engine reads is read whole
# (the csv module's own default, 131,072, refused a long cell that `--engine duckdb` read).
# A quoted cell running on over lines is refused past it, by both. pingfen holds a cell to it
# itself (csv_cells), whatever limit the process gave the csv module.
MAX_CELL_CHARS = MAX_LINE_CHARS


class TooBig(PingfenError, ValueError):  # a ValueError too: the readers catch bad values as such
    """A value or file beyond a limit; `zh` says so in Chinese, `str()` in English."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


def too_long(line: str) -> bool:
    """Whether a line (as `readline(LINE_READ)` reads it: the line, or its first LINE_READ
    characters) holds more than MAX_LINE_CHARS characters besides its end."""
    return len(line) > MAX_LINE_CHARS and len(line.rstrip("\r\n")) > MAX_LINE_CHARS


def line_too_long() -> TooBig:
    return TooBig(f"a line is longer than {MAX_LINE_CHARS:,} characters", f"有一行超过 {MAX_LINE_CHARS:,} 个字符")


_FIELD_LIMIT = re.compile(r"field larger than field limit \(\d+\)")


def csv_cells(line: str, rest: Iterator[str], delimiter: str) -> list[str]:
    """One row as the csv module reads it: `line`, and the lines after it (`rest`) that a
    quoted cell runs on over. TooBig for a cell of more than MAX_CELL_CHARS characters, decided
    here, not by the module's limit, which is the whole process's: a host that raised it would
    have a longer cell read, one that lowered it a shorter one refused. That limit is raised to
    MAX_CELL_CHARS where it is lower (never lowered), as a row is read, not at import."""
    if csv.field_size_limit() < MAX_CELL_CHARS:
        csv.field_size_limit(MAX_CELL_CHARS)
    try:
        cells = next(csv.reader(itertools.chain((line,), _fed(rest)), delimiter=delimiter), [])
    except csv.Error as error:
        if _FIELD_LIMIT.fullmatch(str(error)):  # the process's limit, above ours: past ours too
            raise cell_too_long() from None
        raise
    if cells and max(map(len, cells)) > MAX_CELL_CHARS:
        raise cell_too_long()
    return cells


# The characters a row's lines after its first may hold: a cell of MAX_CELL_CHARS and the rest
# of the line it ends on. Held by pingfen itself: with the process's csv limit raised (to
# sys.maxsize, say), an unclosed quote had the csv module pull the rest of the file into one cell.
MAX_RUN_ON_CHARS = MAX_CELL_CHARS + LINE_READ


def _fed(rest: Iterator[str]) -> Iterator[str]:
    """`rest` as the csv module reads it for a quoted cell running on, TooBig once more than
    MAX_RUN_ON_CHARS characters were asked of it (the module holds what it reads in one cell)."""
    fed = 0
    for line in rest:
        fed += len(line)
        if fed > MAX_RUN_ON_CHARS:
            raise cell_too_long()
        yield line


def cell_too_long() -> TooBig:
    return TooBig(f"field larger than field limit ({MAX_CELL_CHARS})", f"单元格超过 {MAX_CELL_CHARS:,} 个字符的上限")


def read_bounded(path: Path, limit: int = MAX_RECORD_BYTES) -> bytes:
    """A file's bytes, refused (TooBig) beyond `limit`; OSError as from open()."""
    with path.open("rb") as handle:
        note_input(path)  # no output of the command reading it may replace it
        data = handle.read(limit + 1)
    if len(data) > limit:
        mb = limit // (1024 * 1024)
        raise TooBig(f"the file is larger than {mb} MB", f"文件超过 {mb} MB")
    return data


def json_number(text: str) -> Decimal:
    """A JSON number, exact; its text bounded so that reading and showing it stays cheap."""
    if len(text) > MAX_NUMBER_TEXT:
        raise TooBig(
            f"the number {shorten(text)} has more than {MAX_NUMBER_TEXT} characters",
            f"数值 {shorten(text)} 超过 {MAX_NUMBER_TEXT} 个字符",
        )
    return Decimal(text)


def loads_json(text: str, object_pairs_hook: Any = None) -> Any:
    """JSON with exact, bounded numbers, nested at most MAX_DEPTH deep. Raises ValueError."""
    try:
        data = json.loads(text, parse_float=json_number, parse_int=json_number, object_pairs_hook=object_pairs_hook)
    except RecursionError:
        raise too_deep() from None
    except json.JSONDecodeError as error:
        raise not_json(text, error) from None
    check_depth(data)
    return data


# The json module's messages (its C scanner's and its Python one's), in Chinese; any other is shown as it is.
_JSON_ZH = {
    "Expecting value": "此处应为一个值（数、用英文双引号括起的文字、true、false、null、[…] 或 {…}）",
    "Expecting property name enclosed in double quotes": "此处应为用英文双引号括起的名称",
    "Expecting ',' delimiter": "此处缺少英文逗号",
    "Expecting ':' delimiter": "此处缺少英文冒号",
    "Unterminated string starting at": "文字没有结束：缺少英文双引号",
    "Extra data": "多余的内容：一个 JSON 文件只能有一个值",
    "Invalid control character at": "文字中有控制字符（换行须写作 \\n）",
    "Invalid \\escape": "无效的转义（\\ 之后）",
    "Invalid \\uXXXX escape": "无效的 \\u 转义",
}


def not_json(text: str, error: json.JSONDecodeError) -> TooBig:
    """Why text is not JSON, where, in both languages (the json module's English alone said it)."""
    if not text.strip():
        return TooBig("the file is empty: it holds no JSON value", "文件是空的，没有 JSON 值")
    zh = _JSON_ZH.get(error.msg, error.msg)
    if "\n" not in text.rstrip("\r\n"):  # one line (a JSON Lines row names its line itself): the column
        return TooBig(f"column {error.colno}: {error.msg}", f"第 {error.colno} 列：{zh}")
    return TooBig(f"line {error.lineno}, column {error.colno}: {error.msg}", f"第 {error.lineno} 行第 {error.colno} 列：{zh}")


def too_deep() -> TooBig:
    return TooBig(f"values are nested more than {MAX_DEPTH} levels deep", f"数据嵌套超过 {MAX_DEPTH} 层")


def check_depth(data: object) -> None:
    """Raise TooBig when lists and mappings nest deeper than MAX_DEPTH (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            raise too_deep()
        stack.extend((child, depth + 1) for child in children)


def details(error: Exception) -> dict[str, object]:
    """A reader's error as a message's `detail` and `detail_zh`: its first line, shortened;
    an OSError's reason, worded in the message's language when it is rendered."""
    if isinstance(error, OSError):
        return {"detail": OSReason.of(error)}
    en = shorten(str(error).splitlines()[0] if str(error) else type(error).__name__, 200)
    zh = getattr(error, "zh", en)
    return {"detail": en, "detail_zh": zh}


def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object hook refusing a key given twice."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            shown = shorten(key)
            raise TooBig(f"`{shown}` is given twice", f"`{shown}` 出现了两次")
        out[key] = value
    return out

"""One record (input name → value) from a JSON or YAML file, numbers kept exact."""

from __future__ import annotations

import functools
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pingfen.errors import DataError, Problem

_BASE_TEN = re.compile(r"[-+]?[0-9]+")


@functools.cache
def _yaml() -> tuple[Any, type]:
    """The yaml module and ExactLoader, YAML's safe loader with numbers read as people
    write them: floats as exact Decimals from their text, integers in base 10 (`014` is
    14, not octal 12), and YAML 1.1's other forms (`0x1A`, `1:30`, `.nan`) kept as text
    for coercion to refuse. A key given twice is an error, not a silent overwrite.
    Imported only for a YAML file, as it takes a while."""
    import yaml

    class ExactLoader(yaml.SafeLoader):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            seen: set[object] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(None, None, f"`{key}` is given twice", key_node.start_mark)
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    def decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
        text = str(loader.construct_scalar(node))
        try:
            value = Decimal(text.replace("_", ""))
        except InvalidOperation:
            return text
        return value if value.is_finite() else text

    def integer(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
        text = str(loader.construct_scalar(node))
        digits = text.replace("_", "")
        return int(digits, 10) if _BASE_TEN.fullmatch(digits) else text

    ExactLoader.add_constructor("tag:yaml.org,2002:float", decimal)
    ExactLoader.add_constructor("tag:yaml.org,2002:int", integer)
    return yaml, ExactLoader


def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object hook refusing a key given twice."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"`{key}` is given twice")
        out[key] = value
    return out


def read_record(path: str | Path) -> dict[str, Any]:
    """Read one record; JSON for `.json`, YAML otherwise. Raises DataError (PF508) if unreadable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise _unreadable(path, str(error)) from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text, parse_float=Decimal, parse_int=Decimal, object_pairs_hook=no_duplicates)
        except ValueError as error:
            raise _unreadable(path, str(error).splitlines()[0]) from None
    else:
        yaml, loader = _yaml()
        try:
            data = yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
        except (ValueError, yaml.YAMLError) as error:
            raise _unreadable(path, str(error).splitlines()[0]) from None
    if not isinstance(data, dict):
        raise _unreadable(path, "expected a mapping of input names to values")
    return {str(k): v for k, v in data.items()}


def _unreadable(path: Path, detail: str) -> DataError:
    return DataError([Problem("PF508", None, {"path": str(path), "detail": detail})])


def read_department(
    path: str | Path, *, id: str | None = None, encoding: str | None = None, id_column: str | None = None
) -> tuple[str | None, dict[str, Any]]:
    """One department's id (if known) and values: a JSON/YAML record, or one row of a batch file.

    From a batch file, `id` picks the row; without it the file must hold exactly one row.
    A record's own `id` key, if any, names it. Raises DataError (PF508, PF515, PF516).
    """
    from pingfen.io.tables import is_table, read_rows

    if not is_table(path):
        record = read_record(path)
        named = record.get(id_column or "id")
        return (None if named is None else str(named)), record
    rows = read_rows(path, encoding=encoding, id_column=id_column)
    found = [row for row in rows if id is None or row.id == id]
    if id is not None and not found:
        raise DataError([Problem("PF516", None, {"path": str(path), "id": id})])
    if len(found) != 1:
        raise DataError([Problem("PF515", None, {"path": str(path), "count": len(found)})])
    row = found[0]
    if row.problem is not None:
        raise DataError([row.problem], row.label())
    return row.id, dict(row.values)


def __getattr__(name: str) -> Any:
    if name in ("ExactLoader", "_ExactLoader"):  # the exact YAML loader, made when first asked for
        return _yaml()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

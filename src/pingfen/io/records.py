"""One record (input name → value) from a JSON or YAML file, numbers kept exact."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from pingfen.errors import DataError, Problem


class ExactLoader(yaml.SafeLoader):
    """YAML's safe loader, with floats read as Decimal from their text."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)).replace("_", ""))


ExactLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


def read_record(path: str | Path) -> dict[str, Any]:
    """Read one record; JSON for `.json`, YAML otherwise. Raises DataError (PF508) if unreadable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise _unreadable(path, str(error)) from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
        else:
            data = yaml.load(text, Loader=ExactLoader)  # noqa: S506 - a SafeLoader subclass
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

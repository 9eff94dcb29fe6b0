"""One record (input name → value) from a JSON or YAML file, numbers kept exact."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from pingfen.errors import DataError, Problem


class _ExactLoader(yaml.SafeLoader):
    """YAML's safe loader, with floats read as Decimal from their text."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)).replace("_", ""))


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


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
            data = yaml.load(text, Loader=_ExactLoader)  # noqa: S506 - a SafeLoader subclass
    except (ValueError, yaml.YAMLError) as error:
        raise _unreadable(path, str(error).splitlines()[0]) from None
    if not isinstance(data, dict):
        raise _unreadable(path, "expected a mapping of input names to values")
    return {str(k): v for k, v in data.items()}


def _unreadable(path: Path, detail: str) -> DataError:
    return DataError([Problem("PF508", None, {"path": str(path), "detail": detail})])

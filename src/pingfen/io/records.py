"""One record (input name → value) from a JSON or YAML file, numbers kept exact."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from pingfen.errors import DataError, Problem


@functools.cache
def _yaml() -> tuple[Any, type]:
    """The yaml module and YAML's safe loader with floats read as Decimal from their text;
    imported only for a YAML file, as it takes a while."""
    import yaml

    class ExactLoader(yaml.SafeLoader):
        pass

    def decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
        return Decimal(str(loader.construct_scalar(node)).replace("_", ""))

    ExactLoader.add_constructor("tag:yaml.org,2002:float", decimal)
    return yaml, ExactLoader


def read_record(path: str | Path) -> dict[str, Any]:
    """Read one record; JSON for `.json`, YAML otherwise. Raises DataError (PF508) if unreadable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise _unreadable(path, str(error)) from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
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


def __getattr__(name: str) -> Any:
    if name == "_ExactLoader":  # the exact YAML loader, made when first asked for
        return _yaml()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

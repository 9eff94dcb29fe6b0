"""Where the grammar is: inside the installed package, or grammar/ in a source checkout."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def grammar_text() -> str:
    """The grammar, from the installed package or, in a source checkout, from grammar/."""
    packaged = Path(__file__).with_name("pingfen.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[3] / "grammar" / "pingfen.lark"
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    from importlib import resources  # an unusual install (a zip): ask the import system

    return resources.files("pingfen.syntax").joinpath("pingfen.lark").read_text(encoding="utf-8")

"""The two languages of every message, table and page, and which one a run speaks."""

from __future__ import annotations

import os
from typing import Literal

Lang = Literal["zh", "en"]


def default_lang() -> Lang:
    """Chinese when the locale says so (LC_ALL, LC_MESSAGES, LANG), else English."""
    for var in ("PINGFEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"

""""Did you mean …?" for a name that is not declared: the closest declared one, if any.

Each suggestion compares the name with every declared one (difflib), so a file of thousands
of misspelt names against thousands of inputs took minutes to check. A check suggests for
the first SUGGESTED names only; the rest get the plain hint, and are reported all the same.
"""

from __future__ import annotations

from collections.abc import Iterable

SUGGESTED = 50


class Suggestions:
    """The suggestions of one check, counted."""

    def __init__(self) -> None:
        self.made = 0

    def closest(self, name: str, known: Iterable[str]) -> str | None:
        """The declared name closest to `name`; None if none is close, or the budget is spent."""
        if self.made >= SUGGESTED:
            return None
        import difflib  # only for a name that is not declared

        self.made += 1
        found = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
        return found[0] if found else None

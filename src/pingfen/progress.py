"""A plain-text progress bar for long batches, on a terminal only.

Shown when the run passes `threshold` rows (1,000) and the stream is a terminal; redrawn
at most ten times a second with `\\r`, and cleared with a final summary line. With an
unknown total it counts rows instead of drawing a bar.
"""

from __future__ import annotations

import time
from typing import TextIO

THRESHOLD = 1000
_WIDTH = 30


class Progress:
    """Call `step()` once per row and `close()` at the end."""

    def __init__(self, stream: TextIO | None, total: int | None, *, threshold: int = THRESHOLD,
                 lang: str = "en", label: tuple[str, str] = ("评分", "scoring")) -> None:  # fmt: skip
        """`label` is what the rows are read for, in 中文 and English (a run reading them twice
        shows a bar for each)."""
        self.stream = stream if stream is not None and _is_terminal(stream) else None
        self.total = total
        self.threshold = threshold
        self.label, self.rows = (label[0], "行") if lang == "zh" else (label[1], "rows")
        self.count = 0
        self.start = time.monotonic()
        self._drawn_at = 0.0
        self._shown = False

    def step(self) -> None:
        self.count += 1
        if self.stream is None or self.count <= self.threshold:
            return
        now = time.monotonic()
        if now - self._drawn_at >= 0.1:
            self._draw(now)

    def close(self) -> None:
        if self._shown and self.stream is not None:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, now: float) -> None:
        assert self.stream is not None
        self._drawn_at, self._shown = now, True
        rate = self.count / max(now - self.start, 1e-9)
        if self.total:
            done = min(self.count / self.total, 1.0)
            filled = int(done * _WIDTH)
            bar = "#" * filled + "-" * (_WIDTH - filled)
            text = f"{self.label} [{bar}] {self.count:,}/{self.total:,} {self.rows}  {rate:,.0f} {self.rows}/s"
        else:
            text = f"{self.label} {self.count:,} {self.rows}  {rate:,.0f} {self.rows}/s"
        self.stream.write("\r" + text)
        self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

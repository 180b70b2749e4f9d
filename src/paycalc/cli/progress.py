"""A small progress bar on stderr, for runs longer than a couple of seconds.

It appears only when the stream is a terminal, only after ``delay`` seconds (so quick runs
stay silent), redraws at most ten times a second, and erases itself at the end.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["ProgressBar"]


class ProgressBar:
    def __init__(
        self,
        total: int,
        *,
        label: str = "rows",
        stream: TextIO | None = None,
        enabled: bool = True,
        delay: float = 2.0,
        width: int = 30,
    ) -> None:
        self.total = max(total, 0)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.delay = delay
        self.width = width
        self._now = time.monotonic
        self.started = self._now()
        self._last_draw = 0.0
        self.drawn = False

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        now = self._now()
        elapsed = now - self.started
        if elapsed < self.delay or (now - self._last_draw < 0.1 and done < self.total):
            return
        self._last_draw = now
        self.stream.write("\r" + self.render(done, elapsed))
        self.stream.flush()
        self.drawn = True

    def render(self, done: int, elapsed: float) -> str:
        share = done / self.total if self.total else 1.0
        filled = int(self.width * min(share, 1.0))
        bar = "#" * filled + "." * (self.width - filled)
        rate = done / elapsed if elapsed > 0 else 0.0
        return (
            f"[{bar}] {share:4.0%} {done:,}/{self.total:,} {self.label} "
            f"{elapsed:5.1f}s {rate:,.0f}/s"
        )

    def close(self) -> None:
        """Erase the bar, so the summary line that follows starts clean."""
        if self.drawn:
            self.stream.write("\r" + " " * (self.width + 60) + "\r")
            self.stream.flush()
            self.drawn = False

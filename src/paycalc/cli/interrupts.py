"""Ctrl-C and SIGTERM unwind the command the same way, so no output is left half-written.

Python turns SIGINT into ``KeyboardInterrupt``; SIGTERM (what ``kill``, systemd and job
schedulers send) would end the process at once, skipping every ``finally`` and leaving
temporary files behind. While a command runs, both raise :class:`Interrupted` (a
``KeyboardInterrupt``), which unwinds through the output machinery (temporaries removed,
nothing renamed) to :func:`paycalc.cli.main`, which exits 128 + the signal number: 130 for
SIGINT, 143 for SIGTERM (the shells' convention).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

__all__ = ["Interrupted", "interrupts_unwind"]


class Interrupted(KeyboardInterrupt):
    """The command was interrupted by a signal; ``signal_number`` says which."""

    def __init__(self, signal_number: int) -> None:
        self.signal_number = signal_number
        super().__init__(signal.Signals(signal_number).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signal_number

    @property
    def name(self) -> str:
        return signal.Signals(self.signal_number).name


def _raise(signal_number: int, frame: FrameType | None) -> None:
    raise Interrupted(signal_number)


@contextlib.contextmanager
def interrupts_unwind() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted`; then as before."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (a CLI called from a thread)
        return
    previous: dict[int, Any] = {}
    try:
        for number in (int(signal.SIGINT), int(signal.SIGTERM)):
            previous[number] = signal.signal(number, _raise)
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)

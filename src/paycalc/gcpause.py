"""Python's cyclic garbage collector paused while a run builds its slips.

A run creates a few dozen tracked objects per row (slips, lines, year-to-date figures) and
keeps them: the collector, triggered every 700 allocations, walks the young ones again and
again and, as the result grows, the old ones too, finding nothing — a run makes no reference
cycles (reference counting frees everything it drops). Paused, ``run_roster`` needs 13–26%
less CPU, and taking a worker's chunk of slips back half as long (docs/performance.md).

The pause nests and overlaps safely (threads running runs at once): the collector is off
from the first entry to the last exit, then as it was before the first.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["collection_paused"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Within the block, no automatic garbage collection (``gc.collect()`` still works)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()

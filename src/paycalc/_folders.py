"""Every file under a folder, symbolic links followed, each folder visited once.

``Path.rglob`` (Python 3.11/3.12) does not descend into symbolically linked folders, so a
scheme folder assembled from links (``myschemes/demo -> /srv/schemes/demo``) looked empty:
``validate`` said "nothing to check" and ``--schemes`` loaded nothing. This walk follows
links and remembers the real path of each folder it entered, so a link cycle ends.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["files_under"]


def files_under(root: Path) -> Iterator[Path]:
    """Every file below ``root`` (at any depth, links followed), in sorted path order."""
    found: list[Path] = []
    entered: set[str] = set()
    for folder, subfolders, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in entered:  # a link back to a folder already walked
            subfolders[:] = []
            continue
        entered.add(real)
        subfolders.sort()
        found.extend(Path(folder, name) for name in files)
    yield from sorted(found)

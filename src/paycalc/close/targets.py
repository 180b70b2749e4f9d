"""Where a writer's bytes go: a path, or a binary file object the caller opened.

Every writer of :mod:`paycalc.close` takes ``target`` as either, and opens a path only
through :func:`open_target`, the one place to make writes atomic (temporary file + rename).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from paycalc.io.output import atomic_write

__all__ = ["Target", "open_target", "open_text_target", "target_name"]

#: A path, or a file object opened for writing bytes.
Target = str | Path | IO[bytes]


def target_name(target: Target) -> str:
    """A name for messages: the path, or the file object's name if it has one."""
    if isinstance(target, str | Path):
        return str(target)
    return str(getattr(target, "name", "<file object>"))


@contextmanager
def open_target(target: Target) -> Iterator[IO[bytes]]:
    """The binary stream to write to; a path is written whole or not at all (a temporary
    beside it, renamed into place on success: :func:`paycalc.io.output.atomic_write`)."""
    if isinstance(target, str | Path):
        with atomic_write(target, binary=True) as handle:
            yield handle
    else:
        yield target


@contextmanager
def open_text_target(target: Target, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """The same as text: ``newline=""`` (CSV decides its own line ends)."""
    with open_target(target) as stream:
        text = io.TextIOWrapper(stream, encoding=encoding, newline="", write_through=True)
        try:
            yield text
            text.flush()
        finally:
            text.detach()  # leave the caller's stream open

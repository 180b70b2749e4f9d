"""Splitting CSV text into records, each with the physical line it starts on; none lost.

The ``csv`` module counts the lines a record *ends* on and, at a cell longer than
``csv.field_size_limit()``, raises and leaves the reader inside that cell, so a caller who
stops there loses every later row. :func:`csv_records` instead:

- numbers each record by the physical line it *starts* on (a quoted cell holding line
  breaks does not move the numbers of later rows);
- reads a record with a cell over the limit again with the limit lifted (only for that
  record, under a lock, and restored at once), so the record is kept whole and reading
  goes on after it; the caller reports it by its cell lengths;
- flags a record that the end of the file cut inside a quoted cell (a quote opened and
  never closed swallows every later line into one cell: that must not pass in silence).
"""

from __future__ import annotations

import csv
import itertools
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

__all__ = ["CsvRecord", "csv_records"]

#: the limit while re-reading one long record (a C long on every platform)
_LIFTED: Final = 2**31 - 1
_LIMIT_LOCK: Final = threading.Lock()


@dataclass(frozen=True, slots=True)
class CsvRecord:
    """One record: the line it starts on, its cells, and what is wrong with it (if any)."""

    line: int
    cells: list[str]
    problem: str = ""


class _Lines:
    """Physical lines handed to a ``csv.reader``, counted; the current record's kept."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.count = 0
        self.taken: list[str] = []
        self.ended = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        try:
            line = next(self.lines)
        except StopIteration:
            self.ended = True
            raise
        self.count += 1
        self.taken.append(line)
        return line


def _reread_lifted(counter: _Lines, start: int) -> list[str]:
    """Read again, with the field limit lifted, the record that began on line ``start``."""
    retry = _Lines(itertools.chain(counter.taken, counter.lines))
    with _LIMIT_LOCK:
        limit = csv.field_size_limit(_LIFTED)
        try:
            cells = next(csv.reader(retry), [])
        finally:
            csv.field_size_limit(limit)
    counter.count = start - 1 + retry.count
    counter.ended = retry.ended
    return cells


def csv_records(lines: Iterable[str]) -> Iterator[CsvRecord]:
    """The records of CSV ``lines`` (physical lines, line ends kept), blank ones included.

    ``lines`` must be split on ``\\r\\n``, ``\\r`` and ``\\n`` only (a text stream opened
    with ``newline=""``), never on U+2028 and the other breaks ``str.splitlines`` knows.
    """
    counter = _Lines(iter(lines))
    reader = csv.reader(counter)
    while True:
        start = counter.count + 1
        counter.taken = []
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field limit" not in str(error):  # NUL bytes are refused before this
                yield CsvRecord(start, [], f"not readable as CSV: {error}")
                reader = csv.reader(counter)
                continue
            cells = _reread_lifted(counter, start)
            reader = csv.reader(counter)
        if counter.ended:
            yield CsvRecord(
                start,
                cells,
                f"a quote opened on this row is never closed: lines {start}–{counter.count} "
                "(to the end of the file) were read as this one row; check the quotes",
            )
            return
        yield CsvRecord(start, cells)

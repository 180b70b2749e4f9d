"""The bounds on what paycalc reads, in one place, so the readers and the docs agree.

Past a bound, a reader reports the row (and goes on) or refuses the file with a reason; it
never truncates silently and never lets one input take unbounded memory. The money range is
:data:`paycalc.money.AMOUNT_RANGE`. docs/roster-format.md and docs/worker-format.md list
these values.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ERRORS_PER_ROW",
    "MAX_FILE_BYTES",
    "MAX_FORECAST_FILE_BYTES",
    "MAX_FORECAST_ROWS",
    "MAX_JSONL_LINE_CHARS",
    "MAX_JSON_DEPTH",
    "MAX_ROWS",
    "MAX_SCHEME_FILE_BYTES",
    "MAX_SHOWN_CHARS",
    "MAX_TOML_DEPTH",
    "MAX_WORKER_FILE_BYTES",
    "MAX_XLSX_CELLS",
    "MAX_XLSX_PARTS",
    "MAX_XLSX_PART_BYTES",
    "MAX_XLSX_UNCOMPRESSED_BYTES",
    "cut",
    "file_bytes_allowed",
    "forecast_bounds",
    "rows_allowed",
    "shown",
]

#: A roster file (CSV, XLSX, JSONL) is read whole: larger files are refused.
MAX_FILE_BYTES: Final = 512 * 1024 * 1024
#: One worker JSON file (a real one is a few kilobytes).
MAX_WORKER_FILE_BYTES: Final = 1024 * 1024
#: One scheme TOML file (the largest bundled one is under 8 kilobytes).
MAX_SCHEME_FILE_BYTES: Final = 1024 * 1024
#: Characters in one cell: Excel's own limit, so no spreadsheet a person made exceeds it.
MAX_CELL_CHARS: Final = 32_767
#: Columns in a roster's header row.
MAX_COLUMNS: Final = 1_024
#: Data rows in one roster file (split a larger roster).
MAX_ROWS: Final = 2_000_000
#: A forecast reads a roster as cohort columns, with no ``Worker`` per row (4.5M rows take
#: about 1.7 GiB): a national roster (about 4.5 million community workers) in one file.
MAX_FORECAST_ROWS: Final = 5_000_000
MAX_FORECAST_FILE_BYTES: Final = 1024 * 1024 * 1024

_FORECAST: ContextVar[bool] = ContextVar("paycalc_forecast_bounds", default=False)


@contextmanager
def forecast_bounds() -> Iterator[None]:
    """Within: a roster is read with the forecast's bounds (rows and file size)."""
    token = _FORECAST.set(True)
    try:
        yield
    finally:
        _FORECAST.reset(token)


def rows_allowed() -> int:
    """Data rows one roster file may hold here (:data:`MAX_ROWS`, or a forecast's)."""
    return MAX_FORECAST_ROWS if _FORECAST.get() else MAX_ROWS


def file_bytes_allowed() -> int:
    """Bytes one roster file may hold here (:data:`MAX_FILE_BYTES`, or a forecast's)."""
    return MAX_FORECAST_FILE_BYTES if _FORECAST.get() else MAX_FILE_BYTES
#: Characters in one JSONL line (one worker).
MAX_JSONL_LINE_CHARS: Final = 1_000_000
#: Nesting of JSON objects and lists (a worker file needs 3).
MAX_JSON_DEPTH: Final = 20
#: Nesting of TOML tables and arrays (a scheme file needs 5: components[2].table."*".13).
MAX_TOML_DEPTH: Final = 20
#: Errors listed for one row; the rest are counted in one more error.
MAX_ERRORS_PER_ROW: Final = 20
#: XLSX: the parts (files) in the zip, their declared total size once uncompressed, and the
#: size of any part read whole (workbook, styles, shared strings; sheets are streamed).
MAX_XLSX_PARTS: Final = 10_000
MAX_XLSX_UNCOMPRESSED_BYTES: Final = 1024 * 1024 * 1024
MAX_XLSX_PART_BYTES: Final = 128 * 1024 * 1024
#: XLSX: cells stored in the sheet, empty ones included (a million rows of 40 columns), so
#: a small file of millions of empty cells is read in bounded time as well as memory.
MAX_XLSX_CELLS: Final = 40_000_000

#: Characters of a value quoted back in a message (an error file never repeats a whole cell).
MAX_SHOWN_CHARS: Final = 50


def shown(value: object) -> str:
    """``repr`` of a value for a message, cut to :data:`MAX_SHOWN_CHARS` characters."""
    if isinstance(value, int) and value.bit_length() > 200:  # repr() refuses huge ints
        return f"a whole number of about {int(value.bit_length() * 0.30103)} digits"
    text = repr(value)
    if len(text) <= MAX_SHOWN_CHARS + 10:
        return text
    return f"{text[:MAX_SHOWN_CHARS]}… ({len(str(value)):,} characters)"


def cut(text: str, most: int = MAX_SHOWN_CHARS) -> str:
    """``text`` (a key, a header) for a location, cut to ``most`` characters."""
    return text if len(text) <= most else f"{text[:most]}…"

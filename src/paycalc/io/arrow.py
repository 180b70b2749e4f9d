"""A CSV roster read by pyarrow into coded columns, exactly as the row reader reads it.

pyarrow (the ``arrow`` extra) splits the file and codes each column's cells on every core.
It is used only where its reading provably equals the row reader's
(:mod:`paycalc.io.csvrows` over text decoded by :mod:`paycalc.io.decoding`); for anything
else :func:`read_csv_coded` returns None and the row reader's own reader reads the file:

- the bytes are UTF-8 (pyarrow checks every cell), or GB18030 by paycalc's decoding rule
  (decoded by it, then given to pyarrow as UTF-8); anything the rule refuses is read (and
  refused) by the row reader;
- every quote opens a cell (after a comma or a line break), closes one (before a comma or
  a line break) or doubles one inside a quoted cell, and quotes pair up: where the
  ``csv`` module and pyarrow both follow RFC 4180. A stray quote in an unquoted cell, or
  text after a closing quote, is left to the row reader;
- every record has the header's number of cells (pyarrow reports any other, and then the
  row reader reads the file), and no more than :func:`~paycalc.limits.rows_allowed` rows;
- row numbers are worked out from the bytes: the physical line (``\\r\\n``, ``\\r`` or
  ``\\n`` end one) where each record starts, a line break inside a quoted cell (odd number
  of quotes before it) belonging to its record; empty lines and blank rows are skipped as
  the row reader skips them, and pyarrow's row count must match.

Cells over :data:`~paycalc.limits.MAX_CELL_CHARS` get the reader's own row errors.
"""

from __future__ import annotations

import io
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from paycalc import limits
from paycalc.errors import Problem
from paycalc.io.cells import Cell, text_of
from paycalc.io.columnar import I32, I64, Bools, CodedColumn, CodedTable
from paycalc.io.columns import ColumnSpec, classify_header
from paycalc.io.csvrows import csv_records
from paycalc.io.decoding import decode_text_bytes
from paycalc.io.tables import (
    CellError,
    TableStream,
    _blank,
    _checked,
    _headers,
    closing_problems,
    too_many_rows,
)

__all__ = ["LEAD_BYTES", "TRAIL_BYTES", "first_appearance", "read_csv_coded"]

_BOM: Final = b"\xef\xbb\xbf"
#: bytes a cell's UTF-8 may start with when it starts with whitespace (``str.strip``'s:
#: ASCII controls and space, U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000)
LEAD_BYTES: Final = frozenset({*range(9, 14), *range(28, 33), 0xC2, 0xE1, 0xE2, 0xE3})
#: bytes a cell's UTF-8 may end with when it ends with whitespace
TRAIL_BYTES: Final = frozenset(
    {*range(9, 14), *range(28, 33), *range(0x80, 0x8B), 0x9F, 0xA0, 0xA8, 0xA9, 0xAF}
)
#: bytes read by pyarrow at a time (rows of one block are split by one thread)
BLOCK_BYTES: Final = 1 << 22
_COMMA, _LF, _CR, _QUOTE = 44, 10, 13, 34
_WIDE: Final = (ColumnSpec("field", "id"), ColumnSpec("field", "name"))


# pyarrow imports pandas (when installed: a second or so) the first time it converts to or
# from numpy with ``to_numpy`` or ``pa.array``; buffers are handed over directly instead.


def _ints(array: pa.Array) -> npt.NDArray[Any]:
    """An integer array without nulls as numpy (no copy)."""
    dtype = np.int32 if array.type == pa.int32() else np.int64
    values = np.frombuffer(array.buffers()[1], dtype=dtype)
    return values[array.offset : array.offset + len(array)]


def _arrow_ints(values: npt.NDArray[Any]) -> pa.Array:
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def _arrow_mask(values: Bools) -> pa.Array:
    bits = np.packbits(np.asarray(values, dtype=np.bool_), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])


def first_appearance(keys: npt.NDArray[Any]) -> tuple[I64, I64]:
    """Group ids of equal keys in order of first appearance (a hash table, no sort), and
    each group's first position."""
    groups = _ints(pc.dictionary_encode(_arrow_ints(keys)).indices).astype(np.int64)
    # group k first appears where the running maximum of the ids reaches k
    running = np.maximum.accumulate(groups)
    rises = np.concatenate([[True], running[1:] > running[:-1]])
    return groups, np.flatnonzero(rises).astype(np.int64)


class _NotUtf8(Exception):
    """The bytes are not UTF-8 throughout."""


class ArrowStrings:
    """A column kept as a pyarrow string array (ids, names: about one value per row)."""

    def __init__(self, array: pa.StringArray) -> None:
        self.array = array
        self._padded: Bools | None = None

    def cells(self, rows: I64) -> list[Cell]:
        found: list[Cell] = self.array.take(_arrow_ints(rows)).to_pylist()
        return found

    def encode(self) -> tuple[I32, list[Cell]]:
        coded = pc.dictionary_encode(self.array)
        codes = _ints(coded.indices).astype(np.int32)
        values: list[Cell] = coded.dictionary.to_pylist()
        return codes, values

    def _offsets(self) -> npt.NDArray[np.int64]:
        array = self.array
        offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)
        return offsets[array.offset : array.offset + len(array) + 1].astype(np.int64)

    def byte_lengths(self) -> I64:
        return np.diff(self._offsets())

    def texts(self, rows: I64) -> list[str]:
        return [text_of(cell) for cell in self.cells(rows)]

    def padded(self) -> Bools:
        """Cells that are empty or may have whitespace around them (a superset)."""
        if self._padded is None:
            self._padded = self._find_padded()
        return self._padded

    def _find_padded(self) -> Bools:
        offsets = self._offsets()
        starts, ends = offsets[:-1], offsets[1:]
        filled = ends > starts
        if not filled.any():
            return ~filled
        data = np.frombuffer(self.array.buffers()[2], dtype=np.uint8)
        last = len(data) - 1
        first_byte = data[np.minimum(starts, last)]
        last_byte = data[np.clip(ends - 1, 0, last)]
        lead = np.zeros(256, dtype=np.bool_)
        lead[list(LEAD_BYTES)] = True
        trail = np.zeros(256, dtype=np.bool_)
        trail[list(TRAIL_BYTES)] = True
        return ~filled | lead[first_byte] | trail[last_byte]

    def distinct_unpadded(self) -> bool:
        candidates = np.flatnonzero(self.padded())
        if any(text_of(c) != c or not c for c in self.cells(candidates)):
            return False
        size = len(self.array)
        if size > 1 and pc.all(pc.less(self.array.slice(0, size - 1), self.array.slice(1))).as_py():
            return True  # strictly increasing (as exported, sorted by id): all distinct
        return len(pc.unique(self.array)) == size

    def blank(self) -> Bools:
        blank = np.zeros(len(self.array), dtype=np.bool_)
        candidates = np.flatnonzero(self.padded())
        if len(candidates):
            cells = self.cells(candidates)
            blank[candidates] = [not text_of(cell) for cell in cells]
        return blank

    def filter(self, keep: Bools) -> ArrowStrings:
        return ArrowStrings(self.array.filter(_arrow_mask(keep)))


def _lines(raw: bytes, body: int) -> tuple[I64, I64]:
    """Start and end (exclusive) of each physical line's text, from ``body`` on."""
    array = np.frombuffer(raw, dtype=np.uint8)
    size = len(raw)
    if raw.find(b"\r", body) < 0:
        ends = np.flatnonzero(array == _LF)
        after = ends + 1
    else:
        cr = np.flatnonzero(array == _CR)
        lf = np.flatnonzero(array == _LF)
        pair = cr[(cr + 1 < size) & (array[np.minimum(cr + 1, size - 1)] == _LF)]
        lone_lf = lf[~np.isin(lf - 1, pair)]
        ends = np.sort(np.concatenate([cr, lone_lf]))
        after = ends + np.where(np.isin(ends, pair), 2, 1)
    starts = np.concatenate([np.array([body], dtype=np.int64), after.astype(np.int64)])
    ends = np.concatenate([ends.astype(np.int64), np.array([size], dtype=np.int64)])
    return starts, ends


def _records(raw: bytes, body: int) -> tuple[I64, I64, I64] | None:
    """Each record's first line (from 0), start and end byte; None for quotes pyarrow and
    the ``csv`` module could read differently."""
    starts, ends = _lines(raw, body)
    array = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(array == _QUOTE) if raw.find(b'"', body) >= 0 else ends[:0]
    if len(quotes):
        if len(quotes) % 2:
            return None  # a quote never closed: the row reader says where
        size = len(raw)
        before = array[np.maximum(quotes - 1, 0)]
        after = array[np.minimum(quotes + 1, size - 1)]
        marks = np.array([_COMMA, _LF, _CR, _QUOTE])
        opening = (quotes == body) | np.isin(before, marks)
        closing = (quotes == size - 1) | np.isin(after, marks)
        if not np.where(np.arange(len(quotes)) % 2 == 0, opening, closing).all():
            return None
        # a line break with an odd number of quotes before it is inside a quoted cell
        inside = np.searchsorted(quotes, ends[:-1]) % 2 == 1
    else:
        inside = np.zeros(len(ends) - 1, dtype=np.bool_)
    first_line = np.concatenate([[0], np.flatnonzero(~inside) + 1]).astype(np.int64)
    last_line = np.concatenate([first_line[1:] - 1, [len(starts) - 1]]).astype(np.int64)
    return first_line, starts[first_line], ends[last_line]


def _header(raw: bytes, records: tuple[I64, I64, I64], source: str, problems: list[Problem],
            written: dict[str, str]) -> tuple[list[str], int] | None:  # fmt: skip
    """The header labels and the index of the first data record; None: leave the file to
    the row reader (no header, a header it refuses)."""
    _, starts, ends = records
    for index in range(len(starts)):
        text = raw[int(starts[index]) : int(ends[index])].decode("utf-8")
        found = list(csv_records(io.StringIO(text, newline="")))
        if any(record.problem for record in found) or len(found) > 1:
            return None
        cells: list[Cell] = list(found[0].cells) if found else []
        if _blank(cells):
            continue
        headers = _headers(cells, source, problems, written)
        return (headers, index + 1) if headers else None
    return None


def _decoded(data: bytes, source: str) -> tuple[bytes, int] | None:
    """The roster as UTF-8 bytes and where its text starts (after a BOM)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04")) or data.find(b"\x00") >= 0:
        return None  # refused by the decoding rule, with its reason
    return data, 3 if data.startswith(_BOM) else 0


def read_csv_coded(data: bytes, source: str) -> CodedTable | None:
    """The CSV roster ``data`` as coded columns, or None when the row reader must read it."""
    decoded = _decoded(data, source)
    if decoded is None:
        return None
    raw, body = decoded
    try:
        return _read(raw, body, source)
    except _NotUtf8:
        pass
    text, encoding, problem = decode_text_bytes(data, source)
    if problem is not None or text is None or encoding != "gb18030":
        return None
    raw = text.encode("utf-8")
    del text
    try:
        return _read(raw, 0, source)
    except _NotUtf8:  # pragma: no cover - re-encoded text is UTF-8
        return None


def _layout(raw: bytes, body: int, source: str, problems: list[Problem],
            written: dict[str, str], plain: bool) -> tuple[list[str], I64, int] | None:  # fmt: skip
    """The header labels, the data records' row numbers and where they start (a byte).

    ``plain``: no quote and no carriage return, so each line is a record; the numbers are
    then those of every line after the first (right unless a line is empty, which the
    caller finds out from pyarrow's row count).
    """
    if plain and not raw.startswith(b"\n", body):
        end = raw.find(b"\n", body)
        end = len(raw) if end < 0 else end
        first = (np.array([0]), np.array([body]), np.array([end]))
        found = _header(raw, first, source, problems, written)
        if found is not None:  # the first line is the header
            lines = raw.count(b"\n", body) + (0 if raw.endswith(b"\n") else 1)
            return found[0], np.arange(2, lines + 1, dtype=np.int64), min(end + 1, len(raw))
        problems.clear()
        written.clear()
    records = _records(raw, body)
    if records is None:
        return None
    found = _header(raw, records, source, problems, written)
    if found is None:
        return None
    headers, first_data = found
    first_line, starts, ends = records
    filled = np.flatnonzero(ends[first_data:] > starts[first_data:]) + first_data
    return headers, first_line[filled] + 1, int(starts[filled[0]]) if len(filled) else len(raw)


def _read(raw: bytes, body: int, source: str, plain: bool | None = None) -> CodedTable | None:
    quoted = raw.find(b'"', body) >= 0
    if plain is None:
        plain = not quoted and raw.find(b"\r", body) < 0
    problems: list[Problem] = []
    written: dict[str, str] = {}
    try:
        layout = _layout(raw, body, source, problems, written, plain)
    except UnicodeDecodeError:
        raise _NotUtf8 from None
    if layout is None:
        return None
    headers, numbers, data_start = layout
    width = len(headers)
    wide = {
        position
        for position, header in enumerate(headers)
        if classify_header(written.get(header, header)) in _WIDE
    }
    columns: list[CodedColumn] = []
    if len(numbers):
        table = _arrow_table(raw, data_start, width, wide, quoted)
        if table is not None and table.num_rows != len(numbers) and plain:
            return _read(raw, body, source, plain=False)  # empty lines: number the records
        if table is None or table.num_rows != len(numbers):
            return None
        for position, chunked in enumerate(table.columns):
            if position in wide:
                columns.append(CodedColumn(wide=ArrowStrings(chunked.combine_chunks())))
            else:
                coded = chunked.unify_dictionaries().combine_chunks()
                codes = np.asarray(_ints(coded.indices), dtype=np.int32)
                columns.append(CodedColumn(codes, coded.dictionary.to_pylist()))
    else:
        columns = [CodedColumn(np.zeros(0, dtype=np.int32), []) for _ in range(width)]
    columns, numbers = _without_blank_rows(columns, numbers)
    allowed = limits.rows_allowed()
    if len(numbers) > allowed:  # refused, as the row reader refuses it
        problems.append(too_many_rows(source, int(numbers[allowed])))
        return CodedTable(source, headers, written, problems, numbers[:0], [], {}, True, "pyarrow")
    read_errors = _too_long(columns, numbers, headers)
    return CodedTable(
        source,
        headers,
        written,
        problems + closing_problems(TableStream(source, headers, iter(()), problems), len(numbers)),
        numbers.astype(np.int64),
        columns,
        read_errors,
        False,
        "pyarrow",
    )


def _arrow_table(
    raw: bytes, start: int, width: int, wide: set[int], quoted: bool
) -> pa.Table | None:
    names = [f"c{i}" for i in range(width)]
    dictionary = pa.dictionary(pa.int32(), pa.string())
    types = {name: pa.string() if i in wide else dictionary for i, name in enumerate(names)}
    buffer = pa.py_buffer(raw)[start:]
    try:
        table = pcsv.read_csv(
            pa.BufferReader(buffer),
            read_options=pcsv.ReadOptions(
                use_threads=True, column_names=names, block_size=BLOCK_BYTES
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=",",
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=quoted,
                ignore_empty_lines=True,
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=types,
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except pa.ArrowInvalid as error:
        if "UTF8" in str(error) or "UTF-8" in str(error):
            raise _NotUtf8 from None
        return None  # a record of another width, or longer than a block: the row reader reads it
    return table


def _without_blank_rows(columns: list[CodedColumn], numbers: I64) -> tuple[list[CodedColumn], I64]:
    """Drop the rows whose every cell is blank (the row reader skips them)."""
    if not len(numbers):
        return columns, numbers
    blank = np.ones(len(numbers), dtype=np.bool_)
    for column in sorted(columns, key=lambda c: c.wide is not None):  # the cheap ones first
        if column.wide is not None:
            assert isinstance(column.wide, ArrowStrings)
            blank &= column.wide.blank()
        else:
            table = np.array([not text_of(v) for v in column.values] or [True], dtype=np.bool_)
            blank &= table[column.codes]
        if not blank.any():
            return columns, numbers
    keep = ~blank
    kept = []
    for column in columns:
        if column.wide is not None:
            assert isinstance(column.wide, ArrowStrings)
            kept.append(CodedColumn(wide=column.wide.filter(keep)))
        else:
            kept.append(CodedColumn(column.codes[keep], column.values))
    return kept, numbers[keep]


def _too_long(
    columns: list[CodedColumn], numbers: I64, headers: list[str]
) -> dict[int, list[CellError]]:
    """The reader's errors for rows with a cell over the limit (as ``Table.row_errors``)."""
    limit = limits.MAX_CELL_CHARS
    rows = np.zeros(len(numbers), dtype=np.bool_)
    for column in columns:
        if column.wide is not None:
            assert isinstance(column.wide, ArrowStrings)
            candidates = np.flatnonzero(column.wide.byte_lengths() > limit)
            if len(candidates):
                long = [len(str(c)) > limit for c in column.wide.cells(candidates)]
                rows[candidates[np.array(long, dtype=np.bool_)]] = True
        else:
            table = np.array(
                [isinstance(v, str) and len(v) > limit for v in column.values] or [False],
                dtype=np.bool_,
            )
            rows |= table[column.codes]
    errors: dict[int, list[CellError]] = {}
    for row in np.flatnonzero(rows).tolist():
        cells = [column.cells(np.array([row], dtype=np.int64))[0] for column in columns]
        _checked(int(numbers[row]), cells, headers, [], errors)
    return errors

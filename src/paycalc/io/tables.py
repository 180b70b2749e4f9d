"""Reading a roster into header + rows, whatever its format, its encoding, and where it is.

A roster comes as a path, as bytes, or as a binary file object (an HTTP upload); its format
is the ``format=`` given (``csv``, ``xlsx``, ``jsonl``), else the suffix of ``name=`` or of
the path. Nothing read is dropped, mixed or misread in silence:

- CSV and JSONL text is UTF-8 (with or without a BOM), else GB18030 (a superset of GBK),
  else refused naming the first bad line; a file mixing the two is refused naming both
  lines (:mod:`paycalc.io.decoding`);
- row numbers are physical line numbers where a row *starts* (CSV; a quoted cell holding
  line breaks does not move later rows), sheet row numbers (XLSX), or line numbers (JSONL,
  split on ``\\n`` only: U+2028 inside a string is not a line break);
- XLSX is read without trusting the sheet's stored dimension, within bounded memory, and
  hostile files (zip bombs, DTDs, absurd rows) are refused with a reason
  (:mod:`paycalc.io.xlsx`);
- the limits of :mod:`paycalc.limits` (cell length, columns, rows, line length, JSON
  nesting) either make one row's error (``row_errors``; the rest are read) or refuse the
  file with a reason (``problems``) — never a silent truncation.
"""

from __future__ import annotations

import importlib.util
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final, Union

from paycalc import limits
from paycalc.errors import Problem
from paycalc.io.cells import Cell
from paycalc.io.csvrows import CsvRecord, csv_records
from paycalc.io.decoding import decode_text_bytes
from paycalc.io.xlsx import XlsxRefused, XlsxRow, xlsx_rows
from paycalc.jsontext import loads_strict
from paycalc.limits import shown

__all__ = [
    "FORMATS",
    "ROSTER_SUFFIXES",
    "RosterInput",
    "Table",
    "TableStream",
    "closing_problems",
    "csv_header",
    "decode_csv_bytes",
    "open_table",
    "read_csv_text",
    "read_table",
    "table_from_objects",
    "too_many_rows",
]

#: Roster formats by file suffix (``format=`` takes the suffix or the format's name).
FORMATS: Final = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}
ROSTER_SUFFIXES: Final = tuple(FORMATS)

#: What a roster may be read from: a path, the file's bytes, or a binary file object.
RosterInput = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]

#: (column as written, or "" for the whole row; reason)
CellError = tuple[str, str]

#: kept for callers of the earlier name
decode_csv_bytes: Final = decode_text_bytes


@dataclass(slots=True)
class TableStream:
    """A roster opened for reading row by row (for rosters too big to hold as dicts).

    ``headers`` and file ``problems`` are known when it is returned; ``rows`` yields
    ``(row number, cells in header order)``. Reading rows may add to ``problems`` and to
    ``row_errors`` (a row's entry is there before the row is yielded): a consumer must not
    pay a row that has an entry in ``row_errors``.
    """

    source: str
    headers: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    problems: list[Problem]
    encoding: str = ""
    format: str = ""
    row_errors: dict[int, list[CellError]] = field(default_factory=dict)
    #: the header as written, for a label made unique (``岗位 (column 5)`` -> ``岗位``)
    written: dict[str, str] = field(default_factory=dict)
    #: JSONL: each row carries its own keys, so ``rows`` hold only a line's keys
    keyed_rows: bool = False
    #: the file is refused whole (a problem says why): none of its rows may be paid
    refused: bool = False

    def refuse(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.refused = True


@dataclass(slots=True)
class Table:
    """A roster as read: headers in file order and the data rows with their row numbers.

    Row numbers are what a person sees: the line a CSV row starts on, the spreadsheet row
    (the header is row 1), or the JSONL line. ``problems`` are about the file as a whole
    (encoding, empty, unreadable, refused). ``row_errors`` are cells or rows that could not
    be read (too long, past the last header, not JSON): those rows are still listed in
    ``rows`` (with what could be read) and must not be paid.
    """

    source: str
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = ""
    format: str = ""
    row_errors: dict[int, list[CellError]] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    keyed_rows: bool = False
    refused: bool = False

    def refuse(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.refused = True


# --- where the bytes come from -----------------------------------------------------------


@dataclass(slots=True)
class _Input:
    source: str
    format: str = ""
    data: bytes = b""
    problem: Problem | None = None


def _format_of(format: str | None, name: str) -> str | None:
    if format is not None:
        wanted = format.strip().lower()
        wanted = wanted if wanted.startswith(".") else f".{wanted}"
        return FORMATS.get(wanted)
    return FORMATS.get(Path(name).suffix.lower())


def _read_input(source: RosterInput, format: str | None, name: str | None) -> _Input:
    limit = limits.file_bytes_allowed()
    if isinstance(source, bytes | bytearray | memoryview):
        found = _Input(name or "<roster>")
        data: bytes | None = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        found = _Input(name or str(path))
        data = None
    elif hasattr(source, "read"):
        label = name or getattr(source, "name", None)
        found = _Input(label if isinstance(label, str) else "<roster>")
        data = None
    else:
        raise TypeError(
            f"read a roster from a path, bytes or a binary file, not {type(source).__name__}"
        )
    fmt = _format_of(format, name or found.source)
    if fmt is None:
        given = format if format is not None else (Path(found.source).suffix or "no suffix")
        found.problem = Problem(
            found.source,
            "",
            f"unknown roster format {shown(given)}; expected {', '.join(ROSTER_SUFFIXES)}"
            + ("" if format is not None else " (or pass format=)"),
        )
        return found
    found.format = fmt
    try:
        if data is None and isinstance(source, str | os.PathLike):
            size = Path(source).stat().st_size
            if size > limit:
                found.problem = _too_big(found.source, f"{size:,}")
                return found
            data = Path(source).read_bytes()
        elif data is None:
            data = source.read(limit + 1)  # type: ignore[union-attr]
            if not isinstance(data, bytes):
                found.problem = Problem(
                    found.source, "", "the file object gives text; open it in binary mode ('rb')"
                )
                return found
    except OSError as error:
        found.problem = Problem(found.source, "", f"cannot read file: {error.strerror or error}")
        return found
    if len(data) > limit:
        found.problem = _too_big(found.source, f"more than {limit:,}")
        return found
    found.data = data
    return found


def _too_big(source: str, size: str) -> Problem:
    return Problem(
        source,
        "",
        f"the file is {size} bytes; at most {limits.file_bytes_allowed():,} are read (split the roster)",
    )


# --- headers and rows, for every format --------------------------------------------------


def _blank(values: Iterable[Cell]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _too_long(value: Cell) -> bool:
    return isinstance(value, str) and len(value) > limits.MAX_CELL_CHARS


def _too_long_reason(value: str) -> str:
    return (
        f"the cell holds {len(value):,} characters; at most {limits.MAX_CELL_CHARS:,} "
        "(Excel's own limit)"
    )


def _headers(
    values: list[Cell], source: str, problems: list[Problem], written: dict[str, str]
) -> list[str]:
    """Header labels, unique: a repeated header becomes ``岗位 (column 5)`` (and a problem).

    No labels (and a problem) for a header row that refuses the file: too many columns, or
    a header longer than a cell may be.
    """
    if len(values) > limits.MAX_COLUMNS:
        problems.append(
            Problem(
                source,
                "row 1",
                f"{len(values):,} columns; at most {limits.MAX_COLUMNS:,} are read: "
                "the file is refused",
            )
        )
        return []
    headers = []
    seen: dict[str, int] = {}
    for index, value in enumerate(values, start=1):
        if _too_long(value):
            problems.append(
                Problem(
                    source,
                    f"row 1, column {index}",
                    f"a header of over {limits.MAX_CELL_CHARS:,} characters: the file is refused",
                )
            )
            return []
        text = "" if value is None else str(value).replace("\ufeff", "").strip()
        if not text:
            text = f"<column {index}>"
        label = text
        if text in seen:
            problems.append(
                Problem(
                    source,
                    f"row 1, column {limits.cut(text)}",
                    f"duplicate column (also column {seen[text]})",
                )
            )
            label = f"{text} (column {index})"
            written[label] = text
        seen.setdefault(text, index)
        headers.append(label)
    return headers


def _checked(
    number: int,
    cells: list[Cell],
    headers: list[str],
    problems: Iterable[tuple[int, str]],
    row_errors: dict[int, list[CellError]],
) -> list[Cell]:
    """A data row padded to the headers; what cannot be read goes to ``row_errors``."""
    width = len(headers)
    errors = [(_header_at(headers, column), reason) for column, reason in problems]
    if len(cells) > width and not _blank(cells[width:]):
        last = max(i for i, value in enumerate(cells, start=1) if not _blank([value]))
        errors.append(
            (
                "",
                f"a value in column {last} but the header row names only {width} columns; "
                "a cell with a comma needs quotes, or the column needs a header",
            )
        )
    cells = cells[:width] + [None] * (width - len(cells))
    errors += [
        (headers[i], _too_long_reason(value))  # type: ignore[arg-type]
        for i, value in enumerate(cells)
        if _too_long(value)
    ]
    if errors:
        row_errors.setdefault(number, []).extend(errors)
    return cells


def _header_at(headers: list[str], column: int) -> str:
    if column <= 0:
        return ""
    return headers[column - 1] if column <= len(headers) else f"<column {column}>"


def _counted(
    rows: Iterator[tuple[int, list[Cell]]], stream: TableStream
) -> Iterator[tuple[int, list[Cell]]]:
    """Rows up to :func:`~paycalc.limits.rows_allowed`; past it, a file problem and no more."""
    allowed = limits.rows_allowed()
    for count, (number, cells) in enumerate(rows, start=1):
        if count > allowed:
            stream.refuse(too_many_rows(stream.source, number))
            return
        yield number, cells


def too_many_rows(source: str, number: int) -> Problem:
    """The refusal of a roster whose data row ``number`` is one past
    :func:`~paycalc.limits.rows_allowed`."""
    return Problem(
        source,
        f"row {number}",
        f"more than {limits.rows_allowed():,} data rows: the file is refused (split the roster)",
    )


# --- CSV ---------------------------------------------------------------------------------


def _csv_lines(data: bytes, encoding: str) -> Iterator[str]:
    """Physical lines, decoded as they are read (the bytes are held once, the text never)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")


def _open_csv(found: _Input, stream: TableStream) -> None:
    text, stream.encoding, problem = decode_text_bytes(found.data, found.source)
    if problem is not None or text is None:
        stream.refuse(problem or Problem(found.source, "", "cannot read"))
        return
    del text
    records = csv_records(_csv_lines(found.data, stream.encoding))
    for record in records:
        if record.problem:
            stream.refuse(
                Problem(
                    found.source, f"row {record.line}", f"{record.problem}: the file is refused"
                )
            )
            return
        if not _blank(record.cells):
            header: list[Cell] = list(record.cells)
            stream.headers = _headers(header, found.source, stream.problems, stream.written)
            stream.refused = not stream.headers
            break
    if stream.headers:
        stream.rows = _counted(_csv_data(records, stream), stream)


def _csv_data(
    records: Iterator[CsvRecord], stream: TableStream
) -> Iterator[tuple[int, list[Cell]]]:
    for record in records:
        problems = [(0, record.problem)] if record.problem else []
        if _blank(record.cells) and not problems:
            continue
        yield (
            record.line,
            _checked(record.line, list(record.cells), stream.headers, problems, stream.row_errors),
        )


# --- XLSX --------------------------------------------------------------------------------


def _open_xlsx(found: _Input, stream: TableStream) -> None:
    stream.encoding = "xlsx"
    if importlib.util.find_spec("openpyxl") is None:
        stream.refuse(
            Problem(found.source, "", "reading .xlsx needs openpyxl: pip install 'paycalc[xlsx]'")
        )
        return
    rows = xlsx_rows(io.BytesIO(found.data))
    try:
        for row in rows:
            values = _sheet_cells(row.cells)
            if _blank(values) and not row.problems:
                continue
            stream.headers = _headers(values, found.source, stream.problems, stream.written)
            stream.refused = not stream.headers
            break
    except XlsxRefused as error:
        stream.refuse(_refusal(found.source, error))
        return
    if stream.headers:
        stream.rows = _counted(_xlsx_data(rows, stream), stream)


def _refusal(source: str, error: XlsxRefused) -> Problem:
    return Problem(source, f"row {error.row}" if error.row else "", f"{error}: the file is refused")


def _sheet_cells(cells: dict[int, Cell]) -> list[Cell]:
    if not cells:
        return []
    values: list[Cell] = [None] * max(cells)
    for column, value in cells.items():
        values[column - 1] = value
    return values


def _xlsx_data(rows: Iterator[XlsxRow], stream: TableStream) -> Iterator[tuple[int, list[Cell]]]:
    try:
        for row in rows:
            values = _sheet_cells(row.cells)
            yield (
                row.number,
                _checked(row.number, values, stream.headers, row.problems, stream.row_errors),
            )
    except XlsxRefused as error:
        stream.refuse(_refusal(stream.source, error))


# --- JSONL -------------------------------------------------------------------------------


def _read_jsonl(found: _Input, table: Table) -> None:
    text, table.encoding, problem = decode_text_bytes(found.data, found.source)
    if problem is not None or text is None:
        table.refuse(problem or Problem(found.source, "", "cannot read"))
        return
    # JSON Lines end with "\n" only: str.splitlines would also split at U+2028, U+0085, …
    lines = (
        (number, line.removesuffix("\r")) for number, line in enumerate(text.split("\n"), start=1)
    )
    _keyed_rows(
        table,
        (
            (number, _jsonl_value(number, line, table))
            for number, line in lines
            if line.strip(" \t\r")
        ),
    )


class _Unread:
    """A JSONL line that is not JSON: its row error is already recorded."""


def _keyed_rows(table: Table, values: Iterable[tuple[int, object]]) -> None:
    """Rows that carry their own keys (JSONL lines, JSON rows): one object each, checked."""
    table.keyed_rows = True
    headers: dict[str, None] = {}
    for number, value in values:
        if len(table.rows) >= limits.rows_allowed():
            table.refuse(too_many_rows(table.source, number))
            return
        table.rows.append((number, _object_row(number, value, table)))
        headers.update(dict.fromkeys(table.rows[-1][1]))
        if len(headers) > limits.MAX_COLUMNS:
            table.refuse(
                Problem(
                    table.source,
                    f"row {number}",
                    f"more than {limits.MAX_COLUMNS:,} different keys: the file is refused",
                )
            )
            return
    table.headers = list(headers)


def _jsonl_value(number: int, line: str, table: Table) -> object:
    def fail(reason: str) -> _Unread:
        table.row_errors.setdefault(number, []).append(("", reason))
        return _Unread()

    if len(line) > limits.MAX_JSONL_LINE_CHARS:
        return fail(
            f"the line holds {len(line):,} characters; at most {limits.MAX_JSONL_LINE_CHARS:,}"
        )
    try:
        return loads_strict(line)
    except ValueError as error:
        return fail(str(error))


def _object_row(number: int, data: object, table: Table) -> dict[str, Cell]:
    if isinstance(data, _Unread):
        return {}
    if not isinstance(data, dict):
        table.row_errors.setdefault(number, []).append(
            ("", "expected a JSON object for one worker")
        )
        return {}
    for key, value in data.items():
        if _too_long(value) or len(key) > limits.MAX_CELL_CHARS:
            table.row_errors.setdefault(number, []).append(
                (key[:50], _too_long_reason(value if _too_long(value) else key))
            )
    return data


# --- public ------------------------------------------------------------------------------


def table_from_objects(objects: Iterable[object], *, source: str = "rows") -> Table:
    """Roster rows already parsed from JSON (an HTTP request's ``rows``), read as a JSONL
    roster's lines are: each object one row with its own keys, numbered from 1, under the
    same limits. Parse the JSON with :func:`paycalc.jsontext.loads_strict` (exact decimals).
    """
    table = Table(source, format="jsonl")
    _keyed_rows(table, enumerate(objects, start=1))
    return table


def open_table(
    source: RosterInput, *, format: str | None = None, name: str | None = None
) -> TableStream:
    """Open a roster for reading row by row: CSV and XLSX stream; JSONL is read whole."""
    found = _read_input(source, format, name)
    stream = TableStream(found.source, [], iter(()), [], format=found.format)
    if found.problem is not None:
        stream.problems.append(found.problem)
        return stream
    if found.format == "jsonl":
        table = Table(found.source, format="jsonl")
        _read_jsonl(found, table)
        return _stream_of(table)
    if found.format == "csv":
        _open_csv(found, stream)
    else:
        _open_xlsx(found, stream)
    if not stream.headers and not stream.problems:
        stream.problems.append(
            Problem(found.source, "", "empty file: no header row and no workers")
        )
    return stream


def _stream_of(table: Table) -> TableStream:
    headers = table.headers
    rows = ((number, [cells.get(h) for h in headers]) for number, cells in table.rows)
    return TableStream(
        table.source,
        headers,
        rows,
        table.problems,
        table.encoding,
        table.format,
        table.row_errors,
        table.written,
        table.keyed_rows,
        table.refused,
    )


def read_table(source: RosterInput, *, format: str | None = None, name: str | None = None) -> Table:
    """Read a roster's cells: from a path, bytes or a binary file object.

    The format is ``format`` (``"csv"``, ``"xlsx"``, ``"jsonl"``, or a suffix), else the
    suffix of ``name`` or of the path; ``name`` also names the roster in messages.
    """
    found = _read_input(source, format, name)
    table = Table(found.source, format=found.format)
    if found.problem is not None:
        table.problems.append(found.problem)
        return table
    if found.format == "jsonl":
        _read_jsonl(found, table)
    else:
        stream = open_table(found.data, format=found.format, name=found.source)
        table.headers, table.encoding = stream.headers, stream.encoding
        table.written, table.row_errors = stream.written, stream.row_errors
        table.problems = stream.problems
        table.rows = [
            (number, dict(zip(stream.headers, cells, strict=True))) for number, cells in stream.rows
        ]
        table.refused = stream.refused
    if table.refused:
        table.rows = []  # refused whole: none of its rows is paid
        table.row_errors = {}
    table.problems += closing_problems(table, len(table.rows))
    return table


def closing_problems(table: Table | TableStream, rows: int) -> list[Problem]:
    """What is wrong with a table read to its end with ``rows`` data rows (none if refused)."""
    if table.refused:
        return []
    if table.headers and not rows:
        return [Problem(table.source, "", "no workers: the file has a header row only")]
    if not table.headers and not table.problems and not rows:
        return [Problem(table.source, "", "empty file: no header row and no workers")]
    return []


def read_csv_text(path: str | Path) -> tuple[str | None, str, list[Problem]]:
    """A CSV roster's text (None when it cannot be read), its encoding, and the problem."""
    found = _read_input(path, "csv", str(path))
    if found.problem is not None:
        return None, "", [found.problem]
    text, encoding, problem = decode_text_bytes(found.data, found.source)
    if problem is not None or text is None:
        return None, "", [problem or Problem(found.source, "", "cannot read")]
    return text, encoding, []


def csv_header(rows: Iterator[list[str]], source: str, problems: list[Problem]) -> list[str]:
    """Read up to the first non-blank row, the header (none: an "empty file" problem)."""
    header = next(rows, None)
    while header is not None and _blank(header):
        header = next(rows, None)
    if header is None:
        problems.append(Problem(source, "", "empty file: no header row and no workers"))
        return []
    return _headers(list(header), source, problems, {})

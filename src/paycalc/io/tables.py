"""Reading a roster file into header + rows, whatever its format and encoding.

CSV is read as UTF-8 (with or without a BOM) or GBK, the encodings Chinese offices send;
a file in none of them is a clear error, not mojibake. XLSX needs the optional ``openpyxl``
(``pip install 'paycalc[xlsx]'``). JSONL holds one JSON object per line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from paycalc.errors import Problem
from paycalc.io.cells import Cell

__all__ = [
    "ROSTER_SUFFIXES",
    "CsvReader",
    "Table",
    "TableStream",
    "csv_header",
    "decode_csv_bytes",
    "open_csv",
    "open_table",
    "read_csv_text",
    "read_table",
]

ROSTER_SUFFIXES: Final = (".csv", ".xlsx", ".jsonl", ".ndjson")


@dataclass(slots=True)
class TableStream:
    """A roster opened for reading row by row (for rosters too big to hold as dicts).

    ``headers`` and header-level ``problems`` are known when it is returned; ``rows``
    yields ``(row number, cells in header order)``; reading them may add problems.
    """

    source: str
    headers: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    problems: list[Problem]
    encoding: str = ""


@dataclass(slots=True)
class Table:
    """A roster as read: headers in file order and the data rows with their row numbers.

    Row numbers are what a person sees: the spreadsheet row (the header is row 1) or the
    JSONL line. ``problems`` are about the file as a whole (encoding, empty, unreadable).
    """

    source: str
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = ""


def decode_csv_bytes(data: bytes, source: str) -> tuple[str | None, str, Problem | None]:
    """Decode CSV bytes: UTF-8 (BOM or not), else GBK; else a problem saying what is wrong."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "", Problem(source, "", "the file is UTF-16; save it as CSV UTF-8 (or GBK)")
    if data.startswith(b"PK\x03\x04"):
        return None, "", Problem(source, "", "this is an XLSX (zip) file; name it .xlsx")
    if b"\x00" in data:
        return None, "", Problem(source, "", "the file holds NUL bytes: not a text CSV file")
    try:
        return (
            data.decode("utf-8-sig"),
            "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8",
            None,
        )
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gbk"), "gbk", None
        except UnicodeDecodeError:
            bad = data[utf8_error.start : utf8_error.start + 4].hex(" ")
            line = data[: utf8_error.start].count(b"\n") + 1
            return (
                None,
                "",
                Problem(
                    source,
                    f"row {line}",
                    f"the file is neither UTF-8 nor GBK (bytes {bad} at offset {utf8_error.start} "
                    "cannot be read); save it as CSV UTF-8",
                ),
            )


def _headers(raw: list[object], source: str, table: Table) -> list[str]:
    headers = []
    seen: dict[str, int] = {}
    for index, value in enumerate(raw, start=1):
        text = "" if value is None else str(value).replace("\ufeff", "").strip()
        if not text:
            text = f"<column {index}>"
        if text in seen:
            table.problems.append(
                Problem(
                    source, f"row 1, column {text}", f"duplicate column (also column {seen[text]})"
                )
            )
        seen.setdefault(text, index)
        headers.append(text)
    return headers


def _blank(values: list[Cell]) -> bool:
    try:
        return not "".join(values).strip()  # type: ignore[arg-type]
    except TypeError:  # not all text (XLSX, JSONL)
        return all(
            value is None or (isinstance(value, str) and not value.strip()) for value in values
        )


def _read_csv(path: Path, table: Table) -> None:
    text, table.encoding, problem = decode_csv_bytes(path.read_bytes(), table.source)
    if problem is not None or text is None:
        table.problems.append(problem or Problem(table.source, "", "cannot read"))
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: Iterator[list[str]] = iter(reader)
    try:
        header = next(rows, None)
        while header is not None and _blank(list(header)):
            header = next(rows, None)
        if header is None:
            return
        table.headers = _headers(list(header), table.source, table)
        for cells in rows:
            _add_row(table, reader.line_num, list(cells))
    except csv.Error as error:
        table.problems.append(Problem(table.source, f"row {reader.line_num}", f"bad CSV: {error}"))


def _add_row(table: Table, number: int, cells: list[Cell]) -> None:
    if _blank(cells):
        return
    if len(cells) > len(table.headers) and not _blank(cells[len(table.headers) :]):
        table.problems.append(
            Problem(
                table.source,
                f"row {number}",
                f"{len(cells)} cells but only {len(table.headers)} column headers; "
                "the extra cells are ignored",
            )
        )
    padded = cells + [None] * (len(table.headers) - len(cells))
    table.rows.append((number, dict(zip(table.headers, padded, strict=False))))


def _read_xlsx(path: Path, table: Table) -> None:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - depends on the environment
        table.problems.append(
            Problem(table.source, "", "reading .xlsx needs openpyxl: pip install 'paycalc[xlsx]'")
        )
        return
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        table.problems.append(Problem(table.source, "", f"not a readable XLSX file: {error}"))
        return
    try:
        sheet = book.worksheets[0]
        header_seen = False
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells: list[Cell] = list(values)
            if not header_seen:
                if _blank(cells):
                    continue
                while cells and cells[-1] is None:
                    cells.pop()
                table.headers = _headers(list(cells), table.source, table)
                header_seen = True
                continue
            _add_row(table, number, cells)
    finally:
        book.close()
    table.encoding = "xlsx"


def _read_jsonl(path: Path, table: Table) -> None:
    text, table.encoding, problem = decode_csv_bytes(path.read_bytes(), table.source)
    if problem is not None or text is None:
        table.problems.append(problem or Problem(table.source, "", "cannot read"))
        return
    headers: dict[str, None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            table.problems.append(
                Problem(table.source, f"row {number}", f"not valid JSON: {error.msg}")
            )
            table.rows.append((number, {}))
            continue
        if not isinstance(data, dict):
            table.problems.append(
                Problem(table.source, f"row {number}", "expected a JSON object for one worker")
            )
            table.rows.append((number, {}))
            continue
        headers.update(dict.fromkeys(str(key) for key in data))
        table.rows.append((number, {str(key): value for key, value in data.items()}))
    table.headers = list(headers)


def read_table(path: str | Path) -> Table:
    """Read a roster file's cells; format by suffix (.csv, .xlsx, .jsonl/.ndjson)."""
    path = Path(path)
    table = Table(source=str(path))
    suffix = path.suffix.lower()
    if suffix not in ROSTER_SUFFIXES:
        table.problems.append(
            Problem(
                table.source,
                "",
                f"unknown roster format {suffix!r}; expected {', '.join(ROSTER_SUFFIXES)}",
            )
        )
        return table
    try:
        if suffix == ".csv":
            _read_csv(path, table)
        elif suffix == ".xlsx":
            _read_xlsx(path, table)
        else:
            _read_jsonl(path, table)
    except OSError as error:
        table.problems.append(Problem(table.source, "", f"cannot read file: {error.strerror}"))
        return table
    if not table.headers and not table.problems:
        table.problems.append(Problem(table.source, "", "empty file: no header row and no workers"))
    elif table.headers and not table.rows:
        table.problems.append(
            Problem(table.source, "", "no workers: the file has a header row only")
        )
    return table


def _csv_rows(
    reader: Any, width: int, problems: list[Problem], source: str
) -> Iterator[tuple[int, list[Cell]]]:
    try:
        for cells in reader:
            if not cells or _blank(cells):
                continue
            if len(cells) < width:
                cells = cells + [None] * (width - len(cells))
            yield reader.line_num, cells
    except csv.Error as error:
        problems.append(Problem(source, f"row {reader.line_num}", f"bad CSV: {error}"))


@dataclass(slots=True)
class CsvReader:
    """A CSV roster opened for reading: headers known, ``reader`` past the header row.

    ``reader`` is a :func:`csv.reader` (None when the file cannot be read or is empty, which
    ``problems`` then says); its rows are the raw cells, blank rows included.
    """

    source: str
    headers: list[str]
    reader: Any
    problems: list[Problem]
    encoding: str = ""


def read_csv_text(path: str | Path) -> tuple[str | None, str, list[Problem]]:
    """A CSV roster's text (None when it cannot be read), its encoding, and the problem."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, "", [Problem(str(path), "", f"cannot read file: {error.strerror}")]
    text, encoding, problem = decode_csv_bytes(data, str(path))
    if problem is not None or text is None:
        return None, "", [problem or Problem(str(path), "", "cannot read")]
    return text, encoding, []


def csv_header(rows: Iterator[list[str]], source: str, problems: list[Problem]) -> list[str]:
    """Read up to the first non-blank row, the header (none: an "empty file" problem)."""
    header = next(rows, None)
    while header is not None and _blank(list(header)):
        header = next(rows, None)
    if header is None:
        problems.append(Problem(source, "", "empty file: no header row and no workers"))
        return []
    scratch = Table(source)
    headers = _headers(list(header), source, scratch)
    problems += scratch.problems
    return headers


def open_csv(path: str | Path) -> CsvReader:
    """Open a CSV roster: check its encoding, read the header row, and stream the rest.

    The whole file is decoded once to check it is UTF-8 (BOM or not) or GBK; the rows are
    then decoded as they are read, so the text is never held twice.
    """
    path = Path(path)
    source = str(path)
    problems: list[Problem] = []
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(source, "", f"cannot read file: {error.strerror}"))
        return CsvReader(source, [], None, problems)
    text, encoding, problem = decode_csv_bytes(data, source)
    if problem is not None or text is None:
        problems.append(problem or Problem(source, "", "cannot read"))
        return CsvReader(source, [], None, problems)
    del text
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=""))
    headers = csv_header(reader, source, problems)
    return CsvReader(source, headers, reader if headers else None, problems, encoding)


def open_table(path: str | Path) -> TableStream:
    """Open a roster for reading row by row: CSV streams; XLSX and JSONL are read whole."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        table = read_table(path)
        headers = table.headers
        rows = ((number, [cells.get(h) for h in headers]) for number, cells in table.rows)
        return TableStream(table.source, headers, rows, table.problems, table.encoding)
    opened = open_csv(path)
    if opened.reader is None:
        return TableStream(opened.source, [], iter(()), opened.problems, opened.encoding)
    return TableStream(
        opened.source,
        opened.headers,
        _csv_rows(opened.reader, len(opened.headers), opened.problems, opened.source),
        opened.problems,
        opened.encoding,
    )

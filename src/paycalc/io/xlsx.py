"""Reading the first sheet of an XLSX roster safely: every row, bounded memory, no XML tricks.

``openpyxl`` (the optional ``xlsx`` extra) reads the workbook, its shared strings and its
styles; the sheet itself is streamed here, cell by cell, because ``openpyxl``'s read-only
sheet

- trusts the sheet's stored ``<dimension>`` (a stale one silently drops rows and columns),
- pads every row to that dimension (a 300 KB file declaring ``A1:XFD1048576`` becomes
  billions of empty cells), and
- holds a whole ``<row>`` element in memory (one row of millions of cells).

Before anything is parsed, the zip is checked: at most :data:`~paycalc.limits.MAX_XLSX_PARTS`
parts, declared uncompressed sizes within :data:`~paycalc.limits.MAX_XLSX_UNCOMPRESSED_BYTES`
(and :data:`~paycalc.limits.MAX_XLSX_PART_BYTES` for a part read whole; ``zipfile`` never
inflates a part past its declared size), and no XML part may declare a DTD (``<!DOCTYPE``):
spreadsheets never do, and a DTD is how entity expansion ("billion laughs") and external
entities (XXE) attack a parser. ``defusedxml``, in the ``xlsx`` extra, guards ``openpyxl``'s
own parsing as well.
"""

from __future__ import annotations

import datetime
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any, Final
from xml.parsers import expat

from paycalc.io.cells import Cell
from paycalc.limits import (
    MAX_XLSX_CELLS_PER_ROW,
    MAX_XLSX_PART_BYTES,
    MAX_XLSX_PARTS,
    MAX_XLSX_UNCOMPRESSED_BYTES,
)

__all__ = ["XlsxRefused", "XlsxRow", "check_archive", "xlsx_rows"]

_MAIN: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW: Final = _MAIN + "row"
_CELL: Final = _MAIN + "c"
_SHEET_DATA: Final = _MAIN + "sheetData"
_FORMULA: Final = _MAIN + "f"
_VALUE: Final = _MAIN + "v"
#: Excel's last row
_LAST_ROW: Final = 1_048_576
#: parts that are not XML (pictures, printer settings, embedded files): not scanned
_BINARY: Final = frozenset(
    {".png", ".jpeg", ".jpg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".bin",
     ".wdp", ".ico", ".xlsx", ".xlsm", ".docx", ".pptx", ".zip", ".ole"}
)  # fmt: skip
_SCAN_CHUNK: Final = 64 * 1024


class XlsxRefused(Exception):
    """The XLSX file is refused; ``str()`` says why (and ``row`` where, when a row is known)."""

    def __init__(self, message: str, row: int = 0) -> None:
        super().__init__(message)
        self.row = row


@dataclass(slots=True)
class XlsxRow:
    """One sheet row: its number, its non-empty cells by column (from 1), and cell problems."""

    number: int
    cells: dict[int, Cell]
    problems: list[tuple[int, str]] = field(default_factory=list)


class _StopScan(Exception):
    pass


class _Doctype(Exception):
    pass


def _refuse_doctype(*_: object) -> None:
    raise _Doctype


def _stop(*_: object) -> None:
    raise _StopScan


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part declares a DTD (read up to its root element only)."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = _stop
    with archive.open(info) as part:
        first = part.read(_SCAN_CHUNK)
        if not first.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<"):
            return False  # not XML: nothing here parses it as XML
        chunk = first
        try:
            while chunk:
                parser.Parse(chunk, False)
                chunk = part.read(_SCAN_CHUNK)
            parser.Parse(b"", True)
        except _Doctype:
            return True
        except _StopScan:
            return False
        except expat.ExpatError as error:
            raise XlsxRefused(
                f"the part {info.filename} is not well-formed XML ({error})"
            ) from None
    return False


def check_archive(handle: IO[bytes]) -> None:
    """Refuse a zip that is not a safe XLSX to parse (see the module docs)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_XLSX_PARTS:
                raise XlsxRefused(
                    f"the file holds {len(parts):,} parts; at most {MAX_XLSX_PARTS:,}"
                )
            total = sum(info.file_size for info in parts)
            if total > MAX_XLSX_UNCOMPRESSED_BYTES:
                raise XlsxRefused(
                    f"the file would expand to {total:,} bytes; at most "
                    f"{MAX_XLSX_UNCOMPRESSED_BYTES:,} are read (a zip bomb, or split the roster)"
                )
            for info in parts:
                if info.file_size > MAX_XLSX_PART_BYTES and not info.filename.startswith(
                    "xl/worksheets/"
                ):
                    raise XlsxRefused(
                        f"the part {info.filename} would expand to {info.file_size:,} bytes; "
                        f"at most {MAX_XLSX_PART_BYTES:,}"
                    )
                if info.is_dir() or PurePosixPath(info.filename).suffix.lower() in _BINARY:
                    continue
                if _declares_dtd(archive, info):
                    raise XlsxRefused(
                        f"the part {info.filename} declares a DTD (<!DOCTYPE>); spreadsheets "
                        "never do, and it is how XML entity attacks work: refused"
                    )
    except zipfile.BadZipFile as error:
        raise XlsxRefused(f"not an XLSX file (not a readable zip archive: {error})") from None
    except (RuntimeError, NotImplementedError, EOFError, OSError) as error:
        # encrypted parts, unknown compression, a truncated archive
        raise XlsxRefused(f"not a readable XLSX file ({error})") from None
    finally:
        handle.seek(0)


def _cell_number(text: str | None, previous: int) -> int:
    if text is None:
        return previous + 1
    try:
        number = int(text)
    except ValueError:
        raise XlsxRefused(f"a sheet row is numbered {text[:20]!r}, not a whole number") from None
    if not previous < number <= _LAST_ROW:
        raise XlsxRefused(
            f"sheet row {number} comes after row {previous}: rows out of order or past "
            f"Excel's last row {_LAST_ROW:,}",
            row=number,
        )
    return number


def xlsx_rows(handle: IO[bytes]) -> Iterator[XlsxRow]:
    """The rows of the first worksheet, as stored (empty rows are not yielded).

    Raises :class:`XlsxRefused` for a file that is not a safe, readable XLSX, and
    ``ImportError`` when openpyxl is not installed.
    """
    check_archive(handle)
    import openpyxl
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.functions import iterparse

    try:
        with warnings.catch_warnings():  # "extension is not supported": nothing we read
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        if isinstance(error, MemoryError):
            raise
        raise XlsxRefused(f"not a readable XLSX file ({type(error).__name__}: {error})") from None
    try:
        if not book.worksheets:
            raise XlsxRefused("the workbook has no worksheet")
        sheet: Any = book.worksheets[0]
        try:
            with sheet._get_source() as source:
                cells = WorkSheetParser(
                    source,
                    sheet._shared_strings,
                    data_only=True,
                    epoch=book.epoch,
                    date_formats=book._date_formats,
                    timedelta_formats=book._timedelta_formats,
                )
                yield from _stream(iterparse(source, events=("start", "end")), cells)
        except XlsxRefused:
            raise
        except Exception as error:
            if isinstance(error, MemoryError):
                raise
            raise XlsxRefused(
                f"not a readable XLSX sheet ({type(error).__name__}: {error})"
            ) from None
    finally:
        book.close()


def _stream(events: Iterator[tuple[str, Any]], parser: Any) -> Iterator[XlsxRow]:
    row: XlsxRow | None = None
    row_element: Any = None
    sheet_data: Any = None
    seen = 0
    number = 0
    for event, element in events:
        tag = element.tag
        if event == "start":
            if tag == _ROW:
                number = _cell_number(element.get("r"), number)
                parser.row_counter, parser.col_counter = number, 0
                row, row_element, seen = XlsxRow(number, {}), element, 0
            elif tag == _SHEET_DATA:
                sheet_data = element
            continue
        if tag == _CELL and row is not None:
            seen += 1
            if seen > MAX_XLSX_CELLS_PER_ROW:
                raise XlsxRefused(
                    f"sheet row {number} holds more than {MAX_XLSX_CELLS_PER_ROW:,} cells, "
                    "more than Excel allows",
                    row=number,
                )
            _add_cell(row, element, parser)
            row_element.clear()  # drop the cell at once: a row never piles up in memory
        elif tag == _ROW and row is not None:
            if row.cells or row.problems:
                yield row
            row = None
            if sheet_data is not None:
                sheet_data.clear()


def _add_cell(row: XlsxRow, element: Any, parser: Any) -> None:
    formula_without_value = element.find(_FORMULA) is not None and not element.findtext(_VALUE)
    parsed = parser.parse_cell(element)
    column = parsed["column"]
    if not 1 <= column <= MAX_XLSX_CELLS_PER_ROW:
        raise XlsxRefused(f"sheet row {row.number} has a cell in column {column}", row=row.number)
    value = parsed["value"]
    if formula_without_value:
        row.problems.append(
            (column, "a formula without a computed value; open and save the file in Excel")
        )
    elif parsed["data_type"] == "e":
        row.problems.append((column, f"the cell holds the spreadsheet error {value}"))
    elif isinstance(value, datetime.time | datetime.timedelta):
        row.problems.append((column, f"a time of day or duration ({value}), not a value"))
    elif value is not None and value != "":
        if column in row.cells:
            row.problems.append((column, "the sheet stores this cell twice"))
        row.cells[column] = value

"""Reading the first worksheet of an XLSX roster: every row, bounded memory, no XML tricks.

The workbook's XML is parsed here with ``expat`` (the standard library), not by
``openpyxl``'s loader, whose read-only sheet

- trusts the sheet's stored ``<dimension>`` (a stale one silently drops rows and columns),
- pads every row to that dimension (a 300 KB file declaring ``A1:XFD1048576`` becomes
  billions of empty cells),
- scans a whole sheet that has no ``<dimension>`` once more before reading it, and
- holds a whole ``<row>`` element in memory (one row of millions of cells).

Here the sheet streams cell by cell, its rows numbered as stored; only cells with a value
are kept. Before anything is parsed the zip is checked: at most
:data:`~paycalc.limits.MAX_XLSX_PARTS` parts, declared uncompressed sizes within
:data:`~paycalc.limits.MAX_XLSX_UNCOMPRESSED_BYTES` in all and
:data:`~paycalc.limits.MAX_XLSX_PART_BYTES` for a part read whole (``zipfile`` never inflates
a part past its declared size, so a zip bomb stops there). Every part parsed is refused if
it declares a DTD (``<!DOCTYPE``): spreadsheets never do, and a DTD is how entity expansion
("billion laughs") and external entities (XXE) attack a parser. ``openpyxl`` (the optional
``xlsx`` extra) still supplies Excel's number formats and date serials.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Final
from xml.parsers import expat

from paycalc import limits
from paycalc.io.cells import Cell

try:
    from lzma import LZMAError
except ImportError:  # pragma: no cover - a Python without lzma cannot read such parts at all
    LZMAError = zlib.error  # type: ignore[misc,assignment]

__all__ = ["XlsxRefused", "XlsxRow", "xlsx_rows"]

#: Excel's last row and column
_LAST_ROW: Final = 1_048_576
_LAST_COLUMN: Final = 16_384
_CHUNK: Final = 64 * 1024
_REFERENCE: Final = re.compile(r"([A-Z]{1,3})")
_WORKSHEET_TYPE: Final = "/worksheet"
_OFFICE_DOCUMENT_TYPE: Final = "/officeDocument"


#: a refusal's message is cut to this many characters
_LONGEST_REASON: Final = 300


class XlsxRefused(Exception):
    """The XLSX file is refused; ``str()`` says why (and ``row`` where, when a row is known)."""

    def __init__(self, message: str, row: int = 0) -> None:
        # cut: zipfile's and expat's messages may quote a part's name or header whole
        super().__init__(limits.cut(message, _LONGEST_REASON))
        self.row = row


@dataclass(slots=True)
class XlsxRow:
    """One sheet row: its number, its cells with a value by column (from 1), cell problems."""

    number: int
    cells: dict[int, Cell] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)


class _Doctype(Exception):
    pass


def _refuse_doctype(*_: object) -> None:
    raise _Doctype


def _local(name: str) -> str:
    """``{namespace}c`` (expat's ``namespace}c``) → ``c``: prefixes and namespaces vary."""
    return name.rpartition("}")[2]


def _attribute(attributes: dict[str, str], local: str) -> str | None:
    for name, value in attributes.items():
        if _local(name) == local:
            return value
    return None


def _feed(
    archive: zipfile.ZipFile,
    part: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
    text: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Parse one part with expat, yielding after each chunk (the caller drains its output)."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = lambda name, attributes: start(_local(name), attributes)
    parser.EndElementHandler = lambda name: end(_local(name))
    if text is not None:
        parser.buffer_text = True
        parser.CharacterDataHandler = text
    try:
        opened = archive.open(part)
    except ValueError as error:  # the directory puts the part before the file's start
        raise XlsxRefused(f"not a readable XLSX file (the part {part}: {error})") from None
    except KeyError:
        raise XlsxRefused(f"the part {part} is missing") from None
    try:
        with opened as source:
            while chunk := source.read(_CHUNK):
                parser.Parse(chunk, False)
                yield
            parser.Parse(b"", True)
            yield
    except _Doctype:
        raise XlsxRefused(
            f"the part {part} declares a DTD (<!DOCTYPE>); spreadsheets never do, and it is "
            "how XML entity attacks work"
        ) from None
    except expat.ExpatError as error:
        raise XlsxRefused(f"the part {part} is not well-formed XML ({error})") from None
    except KeyError:
        raise XlsxRefused(f"the part {part} is missing") from None


def _parse_whole(archive: zipfile.ZipFile, part: str, collector: _Collector) -> None:
    _check_part(archive, part)
    for _ in _feed(archive, part, collector.start, collector.end, collector.text):
        pass


class _Collector:
    """Collects what a small part says: element attributes, and text inside chosen tags."""

    def __init__(self, text_inside: str = "", skip_inside: str = "", item: str = "") -> None:
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.items: list[str] = []
        self._text_inside, self._skip_inside, self._item = text_inside, skip_inside, item
        self._parts: list[str] = []
        self._in_text = 0
        self._skipping = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if not self._item:
            self.elements.append((name, attributes))
        elif name == self._item:
            self._parts = []
        elif name == self._skip_inside:
            self._skipping += 1
        elif name == self._text_inside:
            self._in_text += 1

    def end(self, name: str) -> None:
        if not self._item:
            self.elements.append((f"/{name}", {}))
            return
        if name == self._item:
            self.items.append("".join(self._parts))
        elif name == self._skip_inside:
            self._skipping -= 1
        elif name == self._text_inside:
            self._in_text -= 1

    def text(self, data: str) -> None:
        if self._in_text and not self._skipping:
            self._parts.append(data)


def _rels(archive: zipfile.ZipFile, owner: str) -> dict[str, tuple[str, str]]:
    """The relationships of a part: id -> (type, target path in the zip)."""
    folder, name = posixpath.split(owner)
    rels_part = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels_part not in archive.NameToInfo:
        return {}
    collector = _Collector()
    _parse_whole(archive, rels_part, collector)
    found = {}
    for element, attributes in collector.elements:
        if element == "Relationship" and attributes.get("TargetMode") != "External":
            target = attributes.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found[attributes.get("Id", "")] = (
                attributes.get("Type", ""),
                posixpath.normpath(path),
            )
    return found


@dataclass(slots=True)
class _Book:
    sheet: str
    strings: list[str]
    date_styles: frozenset[int]
    duration_styles: frozenset[int]
    epoch: datetime.datetime


def _book(archive: zipfile.ZipFile) -> _Book:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    workbook = next(
        (
            path
            for kind, path in _rels(archive, "").values()
            if kind.endswith(_OFFICE_DOCUMENT_TYPE)
        ),
        "xl/workbook.xml",
    )
    collector = _Collector()
    _parse_whole(archive, workbook, collector)
    relations = _rels(archive, workbook)
    sheet = ""
    epoch = CALENDAR_WINDOWS_1900
    for element, attributes in collector.elements:
        if element == "workbookPr" and attributes.get("date1904") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
        elif element == "sheet" and not sheet:
            kind, path = relations.get(_attribute(attributes, "id") or "", ("", ""))
            if kind.endswith(_WORKSHEET_TYPE):
                sheet = path
    if not sheet:
        raise XlsxRefused("the workbook has no worksheet")
    strings: list[str] = []
    styles: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())
    for kind, path in relations.values():
        if kind.endswith("/sharedStrings"):
            string_collector = _Collector(text_inside="t", skip_inside="rPh", item="si")
            _parse_whole(archive, path, string_collector)
            strings = string_collector.items
        elif kind.endswith("/styles"):
            styles = _styles(archive, path)
    return _Book(sheet, strings, styles[0], styles[1], epoch)


def _styles(archive: zipfile.ZipFile, part: str) -> tuple[frozenset[int], frozenset[int]]:
    """The cell styles (indexes into ``cellXfs``) whose number format is a date, a duration."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    collector = _Collector()
    _parse_whole(archive, part, collector)
    formats: dict[int, str] = {}
    style_formats: list[int] = []
    inside_cell_styles = False
    for element, attributes in collector.elements:
        if element == "numFmt":
            try:
                formats[int(attributes.get("numFmtId", ""))] = attributes.get("formatCode", "")
            except ValueError:
                continue
        elif element in ("cellXfs", "/cellXfs"):
            inside_cell_styles = element == "cellXfs"
        elif element == "xf" and inside_cell_styles:
            try:
                style_formats.append(int(attributes.get("numFmtId", "0")))
            except ValueError:
                style_formats.append(0)
    dates, durations = set(), set()
    for style, number_format in enumerate(style_formats):
        code = formats.get(number_format, BUILTIN_FORMATS.get(number_format))
        if is_timedelta_format(code):
            durations.add(style)
        elif is_date_format(code):
            dates.add(style)
    return frozenset(dates), frozenset(durations)


def _check_archive(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    if len(parts) > limits.MAX_XLSX_PARTS:
        raise XlsxRefused(f"the file holds {len(parts):,} parts; at most {limits.MAX_XLSX_PARTS:,}")
    total = sum(info.file_size for info in parts)
    if total > limits.MAX_XLSX_UNCOMPRESSED_BYTES:
        raise XlsxRefused(
            f"the file would expand to {total:,} bytes; at most "
            f"{limits.MAX_XLSX_UNCOMPRESSED_BYTES:,} are read (a zip bomb, or split the roster)"
        )


def _check_part(archive: zipfile.ZipFile, part: str) -> None:
    """A part read whole must be small; a missing one is a damaged file."""
    info = archive.NameToInfo.get(part)
    if info is None:
        raise XlsxRefused(f"the part {part} is missing")
    if info.file_size > limits.MAX_XLSX_PART_BYTES:
        raise XlsxRefused(
            f"the part {part} would expand to {info.file_size:,} bytes; at most "
            f"{limits.MAX_XLSX_PART_BYTES:,}"
        )


class _Sheet:
    """expat handlers for a worksheet: completed rows collect in ``done``."""

    def __init__(self, book: _Book) -> None:
        from openpyxl.utils.datetime import from_excel

        self.book = book
        self.from_excel = from_excel
        self.done: list[XlsxRow] = []
        self.row: XlsxRow | None = None
        self.number = 0
        self.column = 0
        self.cells_in_row = 0
        self.cells_in_sheet = 0
        self.kind = "n"
        self.style = 0
        self.value: list[str] | None = None
        self.inline: list[str] | None = None
        self.formula = False
        self.collecting: list[str] | None = None
        self.phonetic = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name == "c" and self.row is not None:
            self._start_cell(attributes)
        elif name == "v" and self.value is not None:
            self.collecting = self.value
        elif name == "t" and self.inline is not None and not self.phonetic:
            self.collecting = self.inline
        elif name == "is":
            self.inline = []
        elif name == "rPh":
            self.phonetic += 1
        elif name == "f":
            self.formula = True
        elif name == "row":
            self._start_row(attributes.get("r"))

    def _start_row(self, given: str | None) -> None:
        number = self.number + 1
        if given is not None:
            try:
                number = int(given)
            except ValueError:
                raise XlsxRefused(
                    f"a sheet row is numbered {given[:20]!r}, not a whole number", self.number
                ) from None
            if not self.number < number <= _LAST_ROW:
                raise XlsxRefused(
                    f"sheet row {number} comes after row {self.number}: rows out of order "
                    f"or past Excel's last row {_LAST_ROW:,}",
                    number,
                )
        self.number, self.column, self.cells_in_row = number, 0, 0
        self.row = XlsxRow(number)

    def _start_cell(self, attributes: dict[str, str]) -> None:
        self.cells_in_row += 1
        self.cells_in_sheet += 1
        if self.cells_in_sheet > limits.MAX_XLSX_CELLS:
            raise XlsxRefused(
                f"the sheet stores more than {limits.MAX_XLSX_CELLS:,} cells (empty ones "
                "included); split the roster",
                self.number,
            )
        if self.cells_in_row > _LAST_COLUMN:
            raise XlsxRefused(
                f"sheet row {self.number} holds more than {_LAST_COLUMN:,} cells, more than "
                "Excel allows",
                self.number,
            )
        reference = attributes.get("r")
        if reference:
            match = _REFERENCE.match(reference)
            column = 0
            for letter in match.group(1) if match else "":
                column = column * 26 + ord(letter) - 64
            if not 1 <= column <= _LAST_COLUMN:
                raise XlsxRefused(
                    f"sheet row {self.number} has a cell at {reference[:20]!r}", self.number
                )
            self.column = column
        else:
            self.column += 1
        self.kind = attributes.get("t", "n")
        try:
            self.style = int(attributes.get("s", "0"))
        except ValueError:
            self.style = 0
        self.value, self.inline, self.formula, self.collecting = [], None, False, None

    def text(self, data: str) -> None:
        if self.collecting is not None:
            self.collecting.append(data)

    def end(self, name: str) -> None:
        if name == "c" and self.row is not None and self.value is not None:
            self._end_cell(self.row)
            self.value = None
        elif name in ("v", "t"):
            self.collecting = None
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "row" and self.row is not None:
            if self.row.cells or self.row.problems:
                self.done.append(self.row)
            self.row = None

    def _end_cell(self, row: XlsxRow) -> None:
        raw = "".join(self.value or ())
        value: Cell = None
        problem = ""
        kind = self.kind
        if self.formula and not raw and kind != "inlineStr":
            problem = "a formula without a computed value; open and save the file in Excel"
        elif kind == "inlineStr":
            value = "".join(self.inline or ())
        elif not raw:
            return
        elif kind == "s":
            try:
                value = self.book.strings[int(raw)]
            except (ValueError, IndexError):
                raise XlsxRefused(
                    f"sheet row {row.number} refers to shared string {raw[:20]!r}, "
                    "which the workbook does not hold",
                    row.number,
                ) from None
        elif kind == "str":
            value = raw
        elif kind == "b":
            value = raw.strip() in ("1", "true")
        elif kind == "e":
            problem = f"the cell holds the spreadsheet error {raw[:20]}"
        elif kind == "d":
            try:
                value = datetime.datetime.fromisoformat(raw.strip())
            except ValueError:
                problem = f"the cell holds {raw[:30]!r}, marked as a date but not one"
        else:
            value, problem = self._number(raw)
        if problem:
            row.problems.append((self.column, problem))
        elif value is not None and value != "":
            if self.column in row.cells:
                row.problems.append((self.column, "the sheet stores this cell twice"))
            row.cells[self.column] = value

    def _number(self, raw: str) -> tuple[Cell, str]:
        text = raw.strip()
        try:
            number: int | float = int(text) if re.fullmatch(r"-?[0-9]{1,30}", text) else float(text)
        except ValueError:
            return None, f"the cell holds {raw[:30]!r}, marked as a number but not one"
        if self.style in self.book.duration_styles:
            return None, f"a duration ({text}), not a value"
        if self.style not in self.book.date_styles:
            return number, ""
        try:
            moment = self.from_excel(number, self.book.epoch)
        except (OverflowError, ValueError):
            return None, f"the cell is formatted as a date but {text[:30]} is not one"
        if isinstance(moment, datetime.time):
            return None, f"a time of day ({moment}), not a date"
        assert isinstance(moment, datetime.datetime)
        return moment, ""


def xlsx_rows(handle: IO[bytes]) -> Iterator[XlsxRow]:
    """The rows of the first worksheet that hold a value (or a cell problem), in order.

    Raises :class:`XlsxRefused` for a file that is not a safe, readable XLSX (possibly after
    some rows: the caller refuses the whole file then), and ``ImportError`` when openpyxl is
    not installed.
    """
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        # NotImplementedError: a zip "version needed to extract" beyond zipfile's
        raise XlsxRefused(f"not an XLSX file (not a readable zip archive: {error})") from None
    with archive:
        try:
            _check_archive(archive)
            for part in ("[Content_Types].xml", "_rels/.rels"):
                if part in archive.NameToInfo:
                    _check_part(archive, part)
            book = _book(archive)
            if book.sheet not in archive.NameToInfo:
                raise XlsxRefused(f"the part {book.sheet} is missing")
            sheet = _Sheet(book)
            for _ in _feed(archive, book.sheet, sheet.start, sheet.end, sheet.text):
                yield from sheet.done
                sheet.done.clear()
        except (
            zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError,
            zlib.error, LZMAError,
        ) as error:  # fmt: skip
            # a damaged or encrypted part, an unknown compression, a truncated archive; a
            # part whose compressed data is damaged (zlib.error, LZMAError; bzip2's is an
            # OSError)
            raise XlsxRefused(f"not a readable XLSX file ({error})") from None

"""A small XLSX (Office Open XML) writer for the payroll outputs: exact and fast.

Money is written from ``Decimal`` as the decimal text itself (no float on the way); every
text cell is an inline string, so a name such as ``=HYPERLINK(...)`` is text, never a
formula. What the outputs need and no more: sheets with a frozen header, column widths,
bold header and total rows, the ``0.00`` money format, text-formatted ID and account
columns, the header row repeated on every printed page, landscape fit-to-width printing.
Written without openpyxl (about ten times faster on a 5,000-row register; the tests read
the files back with openpyxl).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Literal
from xml.sax.saxutils import escape

from paycalc.close.targets import Target, open_target
from paycalc.slip import display_width

__all__ = ["MONEY_FORMAT", "CellStyle", "HeaderRow", "Sheet", "column_letter", "write_xlsx"]

#: The number format of every money cell.
MONEY_FORMAT: Final = "0.00"

CellStyle = Literal["text", "money", "number", "header", "total", "total_money", "note"]

# Style indexes in styles.xml (cellXfs order below).
_XF: Final[dict[str, int]] = {
    "text": 0,
    "header": 1,
    "money": 2,
    "total_money": 3,
    "total": 4,
    "number": 5,
    "note": 6,
    "id": 7,
}
_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def column_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class HeaderRow(tuple[object, ...]):
    """A row among the data rows styled as a header (the 工资条 layout repeats the header)."""

    __slots__ = ()


@dataclass(slots=True)
class Sheet:
    """One worksheet: a header row, data rows, an optional total row.

    ``kinds`` gives each column's kind: ``"text"``, ``"id"`` (text that must stay text:
    ID and account numbers), ``"money"`` (``Decimal``, format 0.00) or ``"number"``.
    ``freeze_columns`` keeps that many columns in view beside the frozen header.
    """

    name: str
    headers: Sequence[str]
    kinds: Sequence[str]
    rows: Iterable[Sequence[object]] = ()
    totals: Sequence[object] | None = None
    freeze_columns: int = 0
    header: bool = True
    #: a plain sheet of text lines (notes): no header styling, one wide column
    plain: bool = False
    widths: list[float] = field(default_factory=list)


def _text(value: str) -> str:
    return escape(_CONTROL.sub("\ufffd", value))


def _cell(ref: str, value: object, style: int) -> str:
    if value is None or value == "":
        return f'<c r="{ref}" s="{style}"/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{"是" if value else "否"}</t></is></c>'
    if isinstance(value, Decimal):
        return f'<c r="{ref}" s="{style}"><v>{value:f}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
    text = _text(str(value))
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return len(f"{value:.2f}")
    return display_width(str(value))


def _sheet_xml(sheet: Sheet) -> str:
    letters = [column_letter(i) for i in range(max(len(sheet.headers), 1))]
    widths = [_width(h) for h in sheet.headers] if sheet.header else [0] * len(letters)
    rows_xml: list[str] = []
    number = 0

    def add(values: Sequence[object], styles: Sequence[int]) -> None:
        nonlocal number
        number += 1
        cells = []
        for index, value in enumerate(values):
            if index >= len(letters):
                break
            cells.append(_cell(f"{letters[index]}{number}", value, styles[index]))
            if not sheet.plain:
                widths[index] = max(widths[index], _width(value))
        rows_xml.append(f'<row r="{number}">{"".join(cells)}</row>')

    body_styles = [_XF.get(kind, 0) for kind in sheet.kinds]
    if sheet.header:
        add(sheet.headers, [_XF["header"]] * len(letters))
    header_styles = [_XF["header"]] * len(letters)
    for values in sheet.rows:
        add(values, header_styles if isinstance(values, HeaderRow) else body_styles)
    if sheet.totals is not None:
        add(
            sheet.totals,
            [_XF["total_money"] if k == "money" else _XF["total"] for k in sheet.kinds],
        )
    if sheet.plain:
        cols = '<cols><col min="1" max="1" width="120" customWidth="1"/></cols>'
    else:
        fitted = sheet.widths or [min(max(w + 2, 6), 60) for w in widths]
        cols = "<cols>" + "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(fitted)
        ) + "</cols>"
    pane = ""
    if sheet.header and not sheet.plain:
        split = sheet.freeze_columns
        top_left = f"{column_letter(split)}2"
        x_split = f' xSplit="{split}"' if split else ""
        active = "bottomRight" if split else "bottomLeft"
        pane = (
            f'<sheetViews><sheetView workbookViewId="0"><pane{x_split} ySplit="1" '
            f'topLeftCell="{top_left}" activePane="{active}" state="frozen"/>'
            f'<selection pane="{active}"/></sheetView></sheetViews>'
        )
    dimension = f"A1:{letters[-1]}{max(number, 1)}"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="{dimension}"/>{pane}'
        f'<sheetFormatPr defaultRowHeight="15"/>{cols}'
        f"<sheetData>{''.join(rows_xml)}</sheetData>"
        '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        "</worksheet>"
    )


_STYLES: Final = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{MONEY_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE8EEF7"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"/><right style="thin"/><top style="thin"/>'
    '<bottom style="thin"/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="8">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" '
    'applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" '
    'wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="1" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" '
    'applyFont="1" applyBorder="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment wrapText="1" vertical="top"/></xf>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _sheet_name(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "_", name)[:31]
    return escape(cleaned, {'"': "&quot;"})


def write_xlsx(target: Target, sheets: Sequence[Sheet]) -> None:
    """Write ``sheets`` as one workbook to ``target`` (a path or a binary file object)."""
    names = [_sheet_name(sheet.name) for sheet in sheets]
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>'
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_entries = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    titles = "".join(
        f"<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">'{name}'!$1:$1</definedName>"
        for i, (name, sheet) in enumerate(zip(names, sheets, strict=True))
        if sheet.header and not sheet.plain
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheet_entries}</sheets>"
        + (f"<definedNames>{titles}</definedNames>" if titles else "")
        + "</workbook>"
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    n = len(sheets) + 1
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{sheet_rels}<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>'
    )
    with open_target(target) as stream, zipfile.ZipFile(
        stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
    ) as book:
        book.writestr("[Content_Types].xml", content_types)
        book.writestr("_rels/.rels", root_rels)
        book.writestr("xl/workbook.xml", workbook)
        book.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        book.writestr("xl/styles.xml", _STYLES)
        for i, sheet in enumerate(sheets, start=1):
            book.writestr(f"xl/worksheets/sheet{i}.xml", _sheet_xml(sheet))

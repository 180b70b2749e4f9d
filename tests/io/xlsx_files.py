"""XLSX files for reader tests: real workbooks from openpyxl, and hostile variants of them.

A variant rewrites one part of a real workbook's zip (the sheet XML, the shared strings, a
new part), so every other part stays what Excel-compatible writers produce.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import quoteattr

SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows: Sequence[Sequence[Any]]) -> bytes:
    """A real one-sheet workbook holding ``rows`` (the first is the header)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def patched(data: bytes, parts: dict[str, bytes | Callable[[bytes], bytes]]) -> bytes:
    """``data`` with some parts replaced (bytes, or a function of the old bytes) or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for name in names:
            new = parts.get(name)
            old = source.read(name)
            target.writestr(name, new(old) if callable(new) else (old if new is None else new))
        for name, new in parts.items():
            if name not in names:
                assert not callable(new)
                target.writestr(name, new)
    return out.getvalue()


def with_dimension(data: bytes, ref: str) -> bytes:
    """The workbook with its sheet's stored ``<dimension>`` set to ``ref`` (stale or huge)."""
    return patched(
        data,
        {
            SHEET: lambda xml: re.sub(
                rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml
            )
        },
    )


def sheet_xml(body: str, *, prolog: str = "") -> bytes:
    """A whole sheet part: ``prolog`` (before the root) and the ``<sheetData>`` body."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + prolog
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def inline_row(number: int, values: Sequence[str], *, first_column: int = 1) -> str:
    """A sheet row of inline-string cells (what some exporters write)."""
    cells = "".join(
        f'<c r="{column_letter(first_column + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def package(
    sheet_data: str,
    *,
    shared_strings: Sequence[str] = (),
    number_formats: dict[int, str] | None = None,
    cell_formats: Sequence[int] = (0,),
    date1904: bool = False,
    prefix: str = "",
) -> bytes:
    """An XLSX written part by part as Excel writes it (shared strings, styles), not by openpyxl.

    ``shared_strings`` are ``<si>`` bodies (``<t>…</t>`` or rich runs); ``cell_formats`` the
    ``numFmtId`` of each ``cellXfs`` entry (a cell's ``s`` indexes them); ``prefix`` writes
    the main namespace with a prefix (``x:``), as some generators do.
    """
    p = prefix
    namespace = f'xmlns{":" + p.rstrip(":") if p else ""}="{MAIN}"'
    formats = "".join(
        f'<{p}numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>'
        for i, code in (number_formats or {}).items()
    )
    styles = (
        f"{_DECLARATION}<{p}styleSheet {namespace}><{p}numFmts>{formats}</{p}numFmts>"
        f'<{p}cellStyleXfs count="1"><{p}xf numFmtId="0"/></{p}cellStyleXfs>'
        f"<{p}cellXfs>"
        + "".join(f'<{p}xf numFmtId="{n}" applyNumberFormat="1"/>' for n in cell_formats)
        + f"</{p}cellXfs></{p}styleSheet>"
    )
    strings = (
        f'{_DECLARATION}<{p}sst {namespace} count="{len(shared_strings)}">'
        + "".join(f"<{p}si>{body}</{p}si>" for body in shared_strings)
        + f"</{p}sst>"
    )
    workbook_xml = (
        f'{_DECLARATION}<{p}workbook {namespace} xmlns:r="{RELATIONSHIPS}">'
        + (f'<{p}workbookPr date1904="1"/>' if date1904 else "")
        + f'<{p}sheets><{p}sheet name="花名册" sheetId="1" r:id="rId1"/></{p}sheets></{p}workbook>'
    )
    sheet = f"{_DECLARATION}<{p}worksheet {namespace}><{p}sheetData>{sheet_data}</{p}sheetData></{p}worksheet>"
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'{_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relation}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": workbook_xml,
        "xl/_rels/workbook.xml.rels": (
            f'{_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relation}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{relation}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{relation}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": strings,
        "xl/styles.xml": styles,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, text in parts.items():
            target.writestr(name, text.encode())
    return out.getvalue()

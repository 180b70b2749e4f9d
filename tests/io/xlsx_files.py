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

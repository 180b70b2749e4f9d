"""Writing slip tables (CSV, XLSX, JSONL) and the errors file that goes beside them.

Every writer takes a path or an open file. A path is written atomically (a temporary in
the same folder, renamed on success: :mod:`paycalc.io.output`), so a failed or interrupted
write never leaves a half-written file. An open file is written as given: a text file for
CSV and JSONL (no byte-order mark added), a binary file for XLSX; the caller owns it (the
CLI passes the temporaries of an :class:`~paycalc.io.output.OutputSet`, so a run's slips
and errors file are renamed into place together).

CSV is written as UTF-8 with a BOM, so Excel opens the Chinese text correctly. Text cells
that a spreadsheet would run as a formula (starting with ``= + - @``, or a tab or carriage
return) are neutralised with a leading ``'``; plain numbers such as ``-12.50`` are not text
and are left alone. Money is written from ``Decimal`` as two-decimal text (CSV, JSONL) or
as an exact number cell (XLSX).
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Final, Literal, Protocol

from paycalc.io.output import OutputSet
from paycalc.money import format_money
from paycalc.slip import Payslip

__all__ = [
    "ERROR_COLUMNS",
    "SLIP_SUFFIXES",
    "TABLE_SUFFIXES",
    "Destination",
    "ErrorRow",
    "TableFormat",
    "errors_path_for",
    "format_of",
    "json_line",
    "neutralise",
    "open_staged",
    "opens_binary",
    "slip_columns",
    "slip_row",
    "write_errors",
    "write_slips",
    "write_table",
]

#: Where a writer writes: a path (written atomically) or an open file.
Destination = str | os.PathLike[str] | IO[str] | IO[bytes]
TableFormat = Literal["csv", "xlsx", "jsonl"]

SLIP_SUFFIXES: Final = (".csv", ".xlsx", ".jsonl")
#: Suffixes of plain tables (forecasts): CSV, XLSX, or JSON Lines (one object per row).
TABLE_SUFFIXES: Final = (".csv", ".xlsx", ".jsonl")
#: The encoding and newline convention of each text format written to a path.
_TEXT_FILES: Final[dict[str, tuple[str, str | None]]] = {
    "csv": ("utf-8-sig", ""),  # the BOM lets Excel read the Chinese text
    "jsonl": ("utf-8", "\n"),
}
ERROR_COLUMNS: Final = ("row", "worker_id", "field", "reason")
TOTAL_COLUMNS: Final = ("gross", "deductions", "net", "employer_cost")
LEAD_COLUMNS: Final = ("row", "worker_id", "name", "scheme", "version", "month")

_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
_NUMBER: Final = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def neutralise(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula (``=HYPERLINK(...)``)."""
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


class ErrorRow(Protocol):
    @property
    def row(self) -> int: ...
    @property
    def worker_id(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def reason(self) -> str: ...


class SlipRow(Protocol):
    @property
    def row(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def slip(self) -> Payslip: ...


def slip_columns(codes: Sequence[str]) -> list[str]:
    return [*LEAD_COLUMNS, *codes, *TOTAL_COLUMNS, "warnings"]


def slip_row(item: SlipRow, codes: Sequence[str]) -> list[object]:
    """One row of the slip table (the register): the values under :func:`slip_columns`."""
    slip = item.slip
    amounts = {line.code: line.amount for line in slip.lines}
    return [
        item.row,
        slip.worker_id,
        item.name,
        slip.scheme.id,
        slip.scheme.version,
        slip.month,
        *(amounts.get(code, Decimal(0)) for code in codes),
        slip.gross,
        slip.deductions,
        slip.net,
        slip.employer_cost,
        "; ".join(slip.warnings),
    ]


def _csv_cell(value: object) -> str:
    if isinstance(value, Decimal):
        return format_money(value)
    return neutralise(str(value))


def format_of(destination: Destination, default: TableFormat = "csv") -> TableFormat:
    """The table format of a destination, by its suffix (an open file: by its name, if any)."""
    name = destination if isinstance(destination, str | os.PathLike) else None
    if name is None:
        name = getattr(destination, "name", None)
    suffix = Path(os.fspath(name)).suffix.lower() if isinstance(name, str | os.PathLike) else ""
    found = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl"}.get(suffix)
    return found if found is not None else default  # type: ignore[return-value]


def opens_binary(table_format: TableFormat) -> bool:
    """Whether a file of this format is written as bytes (XLSX) rather than text."""
    return table_format == "xlsx"


def open_staged(
    outputs: OutputSet, path: str | os.PathLike[str], table_format: TableFormat | None = None
) -> IO[Any]:
    """The temporary of ``path`` in ``outputs``, opened as its format is written."""
    chosen = table_format or format_of(path)
    if opens_binary(chosen):
        return outputs.open(path, binary=True)
    encoding, newline = _TEXT_FILES[chosen]
    return outputs.open(path, encoding=encoding, newline=newline)


def _write(destination: Destination, table_format: TableFormat, write: Any) -> None:
    """Call ``write(handle)`` on an open file, or on an atomic temporary of a path."""
    if not isinstance(destination, str | os.PathLike):
        write(destination)
        return
    with OutputSet([destination]) as outputs:
        write(open_staged(outputs, destination, table_format))


def json_line(record: object) -> str:
    """One JSON Lines record: U+2028/U+2029 escaped, so a reader splitting lines keeps it whole."""
    text = json.dumps(record, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def write_table(
    destination: Destination,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    table_format: TableFormat | None = None,
) -> None:
    """A plain table as CSV (UTF-8 with BOM when written to a path), XLSX or JSON Lines.

    The format comes from ``table_format``, else the suffix of the path (or of an open
    file's name), else CSV. JSON Lines writes one object per row, keyed by column, money
    as two-decimal strings.
    """
    chosen = table_format or format_of(destination)
    if chosen == "xlsx":
        _write(destination, chosen, lambda handle: _write_xlsx(handle, columns, rows))
    elif chosen == "jsonl":
        _write(destination, chosen, lambda handle: _write_jsonl(handle, columns, rows))
    else:
        _write(destination, chosen, lambda handle: _write_csv(handle, columns, rows))


def _write_csv(handle: IO[str], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    writer = csv.writer(handle)
    writer.writerow([neutralise(column) for column in columns])
    writer.writerows([_csv_cell(value) for value in row] for row in rows)


def _write_jsonl(handle: IO[str], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    for row in rows:
        record = {
            column: format_money(value) if isinstance(value, Decimal) else value
            for column, value in zip(columns, row, strict=True)
        }
        handle.write(json_line(record))


def _write_xlsx(
    handle: IO[bytes], columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    try:
        from openpyxl import Workbook
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("writing .xlsx needs openpyxl: pip install 'paycalc[xlsx]'") from error
    book = Workbook(write_only=True)
    sheet = book.create_sheet("slips")
    sheet.append([neutralise(column) for column in columns])
    for row in rows:
        sheet.append(
            [
                neutralise(value)
                if isinstance(value, str)
                else value.quantize(Decimal("0.01"))
                if isinstance(value, Decimal)
                else value
                for value in row
            ]
        )
    book.save(handle)


def write_slips(
    destination: Destination,
    items: Sequence[SlipRow],
    codes: Sequence[str],
    *,
    table_format: TableFormat | None = None,
) -> None:
    """One row per slip: a column per line code (0.00 when absent) and the totals.

    ``.jsonl`` writes each slip's full JSON form (lines, labels, bases) instead, with the
    roster row and worker name added.
    """
    chosen = table_format or format_of(destination)
    if chosen == "jsonl":

        def write_jsonl(handle: IO[str]) -> None:
            for item in items:
                handle.write(json_line({"row": item.row, "name": item.name, **item.slip.to_dict()}))

        _write(destination, chosen, write_jsonl)
        return
    write_table(
        destination,
        slip_columns(codes),
        (slip_row(item, codes) for item in items),
        table_format=chosen,
    )


def errors_path_for(out: str | Path) -> Path:
    """``slips.csv`` → ``slips.errors.csv`` (always CSV, whatever the slips format)."""
    out = Path(out)
    return out.with_name(f"{out.stem}.errors.csv")


def write_errors(destination: Destination, errors: Iterable[ErrorRow]) -> None:
    """The errors file (always CSV): row number, worker id, field (column as written), reason."""
    write_table(
        destination,
        ERROR_COLUMNS,
        ([error.row, error.worker_id, error.field, error.reason] for error in errors),
        table_format="csv",
    )

"""Writing slip tables (CSV, XLSX, JSONL) and the errors file that goes beside them.

CSV is written as UTF-8 with a BOM, so Excel opens the Chinese text correctly. Text cells
that a spreadsheet would run as a formula (starting with ``= + - @``, or a tab or carriage
return) are neutralised with a leading ``'``; plain numbers such as ``-12.50`` are not text
and are left alone. Money is written from ``Decimal`` as two-decimal text (CSV, JSONL) or
as an exact number cell (XLSX).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Final, Protocol

from paycalc.money import format_money
from paycalc.slip import Payslip

__all__ = [
    "ERROR_COLUMNS",
    "SLIP_SUFFIXES",
    "ErrorRow",
    "errors_path_for",
    "neutralise",
    "slip_columns",
    "slip_row",
    "write_errors",
    "write_slips",
    "write_table",
]

SLIP_SUFFIXES: Final = (".csv", ".xlsx", ".jsonl")
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


def write_table(path: Path, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A plain table as CSV (UTF-8 with BOM) or XLSX, by the path's suffix."""
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(path, columns, rows)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([neutralise(column) for column in columns])
        writer.writerows([_csv_cell(value) for value in row] for row in rows)


def _write_xlsx(path: Path, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    try:
        from openpyxl import Workbook
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise RuntimeError("writing .xlsx needs openpyxl: pip install 'paycalc[xlsx]'") from error
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
    book.save(path)


def write_slips(path: str | Path, items: Sequence[SlipRow], codes: Sequence[str]) -> None:
    """One row per slip: a column per line code (0.00 when absent) and the totals.

    ``.jsonl`` writes each slip's full JSON form (lines, labels, bases) instead, with the
    roster row and worker name added.
    """
    path = Path(path)
    if path.suffix.lower() == ".jsonl":
        with path.open("w", encoding="utf-8") as handle:
            for item in items:
                record = {"row": item.row, "name": item.name, **item.slip.to_dict()}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    write_table(path, slip_columns(codes), (slip_row(item, codes) for item in items))


def errors_path_for(out: str | Path) -> Path:
    """``slips.csv`` → ``slips.errors.csv`` (always CSV, whatever the slips format)."""
    out = Path(out)
    return out.with_name(f"{out.stem}.errors.csv")


def write_errors(path: str | Path, errors: Iterable[ErrorRow]) -> None:
    """The errors file: row number, worker id, field (column as written) and reason."""
    write_table(
        Path(path),
        ERROR_COLUMNS,
        ([error.row, error.worker_id, error.field, error.reason] for error in errors),
    )

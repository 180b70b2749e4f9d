"""The classic Excel 工资条: a header row above each worker's row, a blank row to cut along.

The columns are the register's, less what should not be handed round (ID, account and phone
numbers) and the cumulative tax columns: 工号, 姓名, the descriptive columns, every line,
应发合计, 扣除合计, 实发, 单位总成本.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from paycalc.close.register import Column, Register
from paycalc.close.targets import Target
from paycalc.close.xlsx import HeaderRow, Sheet, write_xlsx

__all__ = ["strip_columns", "write_strips"]


def strip_columns(register: Register) -> list[Column]:
    """The register's columns that go on a strip handed to the worker."""
    return [
        column
        for column in register.columns
        if column.kind != "id" or column.code == "worker_id"
        if not column.code.startswith("ytd_")
    ]


def _rows(register: Register, columns: Sequence[Column]) -> Iterator[Sequence[object]]:
    indexes = [register.columns.index(column) for column in columns]
    header = HeaderRow(column.header for column in columns)
    for row in register.rows:
        values = register.values(row)
        yield header
        yield [values[index] for index in indexes]
        yield []


def write_strips(register: Register, target: Target) -> None:
    """The 工资条 workbook: for each worker, the header, the worker's row, a blank row."""
    columns = strip_columns(register)
    sheet = Sheet(
        name=f"工资条 {register.month}",
        headers=[c.header for c in columns],
        kinds=["text" if c.kind == "id" else c.kind for c in columns],
        rows=_rows(register, columns),
        header=False,
    )
    write_xlsx(target, [sheet])

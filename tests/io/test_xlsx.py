"""XLSX rosters: every row and column whatever the stored dimension, Excel's own parts, and
hostile files refused or read in bounded memory.

The oracle for cell values is openpyxl's full (not read-only) loader, an independent reader
that does not trust the stored dimension.
"""

from __future__ import annotations

import io
import tracemalloc
import warnings
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from paycalc.io import read_table
from tests.io.xlsx_files import (
    SHEET,
    column_letter,
    inline_row,
    package,
    patched,
    sheet_xml,
    with_dimension,
    workbook,
)

openpyxl = pytest.importorskip("openpyxl")


def oracle(data: bytes) -> list[tuple[int, list[Any]]]:
    """(row number, values) of every non-empty sheet row, by openpyxl's full loader."""
    with warnings.catch_warnings():  # "no default style": the hand-made parts have none
        warnings.simplefilter("ignore")
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    sheet.calculate_dimension()
    return [
        (cells[0].row, [cell.value for cell in cells])
        for cells in sheet.iter_rows()
        if any(cell.value is not None for cell in cells)
    ]


def as_read(data: bytes) -> list[tuple[int, list[Any]]]:
    table = read_table(data, format="xlsx")
    assert not table.problems, table.problems
    header = (1, list(table.headers))
    return [header] + [(number, list(cells.values())) for number, cells in table.rows]


ROWS = [
    ["工号", "岗位", "入职日期", "等级", "是否在编", "缴费基数"],
    ["X1", "正职", datetime(2012, 3, 15), 8, True, 5320.5],
    ["X2", "副职", "2013年3月15日", 5, False, "¥5,320.00"],
    ["X3", "委员", datetime(2014, 3, 15), None, None, 4000],
]


@pytest.mark.parametrize("dimension", ["A1:B2", "A1:A1", "A1:F4", "A1:XFD1048576", "C3:D9"])
def test_the_stored_dimension_is_not_trusted(dimension: str) -> None:
    data = with_dimension(workbook(ROWS), dimension)
    assert as_read(data) == oracle(data)
    assert as_read(data)[1:] == [(i, row) for i, row in enumerate(ROWS[1:], start=2)]


def test_a_sheet_without_a_dimension_and_with_gaps_keeps_its_row_numbers() -> None:
    body = (
        inline_row(1, ["工号", "岗位"])
        + inline_row(5, ["X1", "正职"])
        + '<row r="6"><c r="A6" s="0"/></row>'  # a styled empty cell: no row
        + inline_row(9, ["X2", "委员"])
    )
    data = patched(workbook(ROWS), {SHEET: sheet_xml(body)})
    table = read_table(data, format="xlsx")
    assert table.rows == [(5, {"工号": "X1", "岗位": "正职"}), (9, {"工号": "X2", "岗位": "委员"})]


def excel_like(prefix: str = "", date1904: bool = False) -> bytes:
    p = prefix

    def cell(ref: str, value: str, kind: str = "", style: str = "") -> str:
        attributes = (
            f' r="{ref}"' + (f' t="{kind}"' if kind else "") + (f' s="{style}"' if style else "")
        )
        return f"<{p}c{attributes}><{p}v>{value}</{p}v></{p}c>"

    rows = (
        f'<{p}row r="1">'
        + "".join(cell(f"{column_letter(i + 1)}1", str(i), "s") for i in range(5))
        + f'</{p}row><{p}row r="2">'
        + cell("A2", "5", "s")
        + cell("B2", "40983", style="1")  # 2012-03-15 in the 1900 system
        + cell("C2", "41348", style="2")  # 2013-03-15, a custom 年月日 format
        + cell("D2", "1", "b")
        + cell("E2", "5320.1000000000004")  # how Excel stores 5320.1
        + f"</{p}row>"
    )
    return package(
        rows,
        shared_strings=[
            f"<{p}t>工号</{p}t>",
            f"<{p}t>入职日期</{p}t>",
            # rich text in runs, with a phonetic guide that is not part of the text
            f'<{p}r><{p}t>职称</{p}t></{p}r><{p}r><{p}t>取得日期</{p}t></{p}r><{p}rPh sb="0" eb="2"><{p}t>ｼｮｸ</{p}t></{p}rPh>',
            f"<{p}t>是否在编</{p}t>",
            f"<{p}t>缴费基数</{p}t>",
            f'<{p}t xml:space="preserve"> A1 </{p}t>',
        ],
        number_formats={176: 'yyyy"年"m"月"d"日"'},
        cell_formats=[0, 14, 176],
        date1904=date1904,
        prefix=prefix,
    )


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_excel_parts_shared_strings_styles_and_dates(prefix: str) -> None:
    data = excel_like(prefix)
    assert as_read(data) == oracle(excel_like(""))
    assert as_read(data)[1] == (
        2,
        [" A1 ", datetime(2012, 3, 15), datetime(2013, 3, 15), True, 5320.1],
    )


def test_the_1904_date_system() -> None:
    # 40983 days after 1904-01-01 is 2016-03-16 (1,462 days later than in the 1900 system).
    read = as_read(excel_like(date1904=True))
    assert read[1][1][1] == datetime(2016, 3, 16)
    assert read == oracle(excel_like(date1904=True))


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ('<c r="B2"><f>SUM(A1:A9)</f></c>', "a formula without a computed value"),
        ('<c r="B2" t="e"><v>#REF!</v></c>', "spreadsheet error #REF!"),
        ('<c r="B2" s="1"><v>0.5</v></c>', "a time of day"),
        ('<c r="B2" t="s"><v>99</v></c>', None),  # refuses the file: no such shared string
        ('<c r="B2" t="d"><v>not a date</v></c>', "marked as a date but not one"),
        ('<c r="B2"><v>12abc</v></c>', "marked as a number but not one"),
    ],
)
def test_cells_that_cannot_be_read_are_named(cell: str, reason: str | None) -> None:
    data = package(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>入职日期</t></is></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>X1</t></is></c>{cell}</row>',
        cell_formats=[0, 14],
    )
    table = read_table(data, format="xlsx")
    if reason is None:
        assert table.refused and "shared string '99'" in table.problems[0].message
        return
    assert [number for number, _ in table.rows] == [2]
    ((column, message),) = table.row_errors[2]
    assert column == "入职日期" and reason in message


def test_a_formula_with_its_computed_value_is_read() -> None:
    data = package(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>等级</t></is></c></row>'
        '<row r="2"><c r="A2"><f>4+4</f><v>8</v></c></row>'
    )
    assert read_table(data, format="xlsx").rows == [(2, {"等级": 8})]


def test_a_huge_declared_sheet_is_read_in_bounded_memory() -> None:
    # The dimension claims every cell of the sheet, and one value sits in the last cell of
    # the last row. openpyxl's read-only sheet would pad 1,048,576 rows to 16,384 columns.
    body = inline_row(1, ["工号"]) + inline_row(1_048_576, ["X"], first_column=16_384)
    data = with_dimension(patched(workbook(ROWS), {SHEET: sheet_xml(body)}), "A1:XFD1048576")
    tracemalloc.start()
    try:
        table = read_table(data, format="xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert table.rows == [(1_048_576, {"工号": None})]
    assert "value in column 16384" in table.row_errors[1_048_576][0][1]


def test_a_row_of_many_empty_cells_is_not_held_in_memory() -> None:
    # 16,000 empty cells in each of 60 rows (960,000 cells): each is dropped as it is read.
    body = inline_row(1, ["工号"]) + ("<row>" + "<c/>" * 16_000 + "</row>") * 60
    data = patched(workbook(ROWS), {SHEET: sheet_xml(body)})
    tracemalloc.start()
    try:
        table = read_table(data, format="xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert table.rows == [] and "header row only" in table.problems[0].message


def test_dates_read_from_xlsx_are_real_dates() -> None:
    from paycalc.io import read_roster

    roster = read_roster(workbook(ROWS), format="xlsx")
    assert [w.hired_on for w in roster.workers] == [
        date(2012, 3, 15),
        date(2013, 3, 15),
        date(2014, 3, 15),
    ]
    assert [w.contribution_base for w in roster.workers] == [
        Decimal("5320.5"),  # the number cell 5320.5, exactly
        Decimal("5320.00"),  # the text cell ¥5,320.00
        4000,
    ]

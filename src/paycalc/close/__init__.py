"""Closing a month's payroll: the register, printable slips, bank and tax files, year to date.

>>> from paycalc.close import close_month
>>> closed = close_month("examples/rosters/kunming-close.csv", "2024-03")
>>> closed.register.totals()["实发"]
Decimal('13057.54')

Modules, one job each: :mod:`~paycalc.close.month` (roster in, register out),
:mod:`~paycalc.close.register`, :mod:`~paycalc.close.ytd` (year to date),
:mod:`~paycalc.close.declarations`, :mod:`~paycalc.close.printable` (HTML slips),
:mod:`~paycalc.close.strips` (the Excel 工资条), :mod:`~paycalc.close.pdf`,
:mod:`~paycalc.close.bank`, :mod:`~paycalc.close.iit` (the withholding client's import file),
:mod:`~paycalc.close.year_end`; :mod:`~paycalc.close.xlsx` writes the workbooks. Every writer
takes a path or a binary file object. See docs/payroll-close.md.
"""

from paycalc.close.bank import DEFAULT_LAYOUT, BankFile, BankLayout, bank_file, load_bank_layout
from paycalc.close.iit import TaxFile, tax_file
from paycalc.close.month import MonthClose, close_month
from paycalc.close.printable import slip_html, slips_html, write_slips
from paycalc.close.register import Column, Register, RegisterRow, build_register
from paycalc.close.strips import write_strips
from paycalc.close.year_end import YearSummary, year_summary
from paycalc.close.ytd import TaxYear, YearToDateFile, YtdEntry, read_ytd, tax_year_of

__all__ = [
    "DEFAULT_LAYOUT",
    "BankFile",
    "BankLayout",
    "Column",
    "MonthClose",
    "Register",
    "RegisterRow",
    "TaxFile",
    "TaxYear",
    "YearSummary",
    "YearToDateFile",
    "YtdEntry",
    "bank_file",
    "build_register",
    "close_month",
    "load_bank_layout",
    "read_ytd",
    "slip_html",
    "slips_html",
    "tax_file",
    "tax_year_of",
    "write_slips",
    "write_strips",
    "year_summary",
]

"""Vectorised pay: a whole roster's month in integer fen, figure for figure the engine's.

Needs numpy (``pip install 'paycalc[fast]'``). :func:`from_workers` turns workers into
:class:`WorkerColumns`; :func:`pay_month` pays every row for one month under one scheme
version and returns per-line ``int64`` fen arrays (:class:`MonthPay`), each figure equal
to :func:`paycalc.payslip_for_version`'s ``Decimal`` for the same worker and month
(``tests/fast`` checks that with hypothesis, line by line).

What the fast path does **not** pay: rows get ``ITEMISED`` status, and the caller (the
forecast does) pays them with the itemised engine, one by one:

- a partial month (hired after the 1st or leaving before the last day of the month):
  proration divides in ``Decimal`` by calendar days or 21.75 working days;
- every row of a scheme version with ``income_tax = true`` (withholding depends on the
  earlier months of the year);
- a row the engine would refuse (unknown post, grade outside the band or missing where
  the scheme takes it as given, a missing or wrong declared input, a yearly payment whose
  appraisal is missing, a contribution base the table refuses, a scheme table without an
  amount for the worker's grade or input value): the engine gives the error;
- a worker holding the same qualification kind and level twice (a one-off payment may pay
  each copy; the columns keep only the first day each level was reached).

Every component kind, ``when`` conditions, the three grade methods with bands, caps
(``include_employer`` too) and contribution lines are vectorised.
"""

from paycalc.fast.columns import WorkerColumns, from_workers
from paycalc.fast.pay import FAST, ITEMISED, SKIPPED, MonthPay, pay_month

__all__ = ["FAST", "ITEMISED", "SKIPPED", "MonthPay", "WorkerColumns", "from_workers", "pay_month"]

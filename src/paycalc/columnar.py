"""The columnar engine: a roster's pay month by month, every row at once, figure for figure
the explained slip's (the same rule book, :mod:`paycalc.evaluate`, on numpy columns).

:class:`RosterPay` holds the rows (:class:`~paycalc.columns.Columns`) and what their pay
carries from one month to the next — the year's income tax withheld so far, last year's
average wage — and pays a month with :meth:`RosterPay.pay`: one :class:`MonthPay` per
scheme version in force (rows name their scheme family). Part months, income tax, a wage
base of last year's average, caps and every rounding mode run on the columns; a row the
rules refuse (an unknown post, a missing appraisal …) is marked refused, and
:meth:`RosterPay.problems` asks the explained engine for its exact problems.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from paycalc.columns import Columns, concat
from paycalc.contributions import ContributionTables
from paycalc.engine import default_contribution_tables, payslip
from paycalc.errors import PaycalcError, Problem, SchemeNotFound, problems_of
from paycalc.evaluate import Evaluated, compiled, evaluate_month
from paycalc.ops import vector_ops
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import Category
from paycalc.tax.cumulative import Running

__all__ = ["MonthPay", "RosterPay"]

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(slots=True)
class MonthPay:
    """A month's figures for the rows paid under one version (``rows`` index the roster)."""

    month: Month
    version: SchemeVersion
    rows: npt.NDArray[np.intp]
    codes: list[str]
    labels: list[str]
    categories: list[Category]
    amounts: I64  # [lines, rows], fen; 0 where the line is not on the slip
    shown: Bools  # [lines, rows]
    gross: I64
    deductions: I64
    employer: I64
    post: I64  # index into the version's posts
    refused: Bools
    #: fen each cap took off, by cap code (what the cap held back)
    cap_cuts: dict[str, I64] = field(default_factory=dict)
    #: 0 no contributions, 1 base at the floor, 2 at the cap, 3 between (evaluate.Evaluated)
    base_status: npt.NDArray[np.int8] | None = None

    @property
    def net(self) -> I64:
        return self.gross - self.deductions

    @property
    def employer_cost(self) -> I64:
        return self.gross + self.employer

    def lines(self, position: int) -> list[tuple[str, int]]:
        """The (code, fen) lines of one paid row (``position`` within ``rows``)."""
        return [
            (code, int(self.amounts[i, position]))
            for i, code in enumerate(self.codes)
            if self.shown[i, position]
        ]


@dataclass(slots=True)
class _Year:
    """The tax year so far, per row (fen), up to (not including) month ``next``."""

    next: Month
    running: Running
    used: Bools

    def take(self, rows: npt.NDArray[np.intp]) -> _Year:
        return _Year(
            self.next,
            Running(*(np.asarray(getattr(self.running, f))[rows] for f in _RUNNING)),
            self.used[rows],
        )


_RUNNING = ("months", "income", "tax_free", "social", "special", "other", "withheld")


@dataclass(slots=True)
class RosterPay:
    """Rows and what their pay carries from month to month (see the module docstring)."""

    columns: Columns
    registry: SchemeRegistry
    #: the scheme family of rows that name none
    scheme: str | None = None
    as_of: date | None = None
    tables: ContributionTables = field(default_factory=default_contribution_tables)
    _tax: _Year | None = None
    _averages: dict[int, I64] = field(default_factory=dict)

    # -- rows come and go ---------------------------------------------------------------

    def take(self, rows: npt.NDArray[np.intp], columns: Columns | None = None) -> RosterPay:
        """These rows (in this order, repeats allowed), with their carried figures.

        ``columns``: these rows' columns, already taken (several RosterPays of one roster —
        scenarios of a forecast — then share them)."""
        return RosterPay(
            self.columns.take(rows) if columns is None else columns,
            self.registry,
            self.scheme,
            self.as_of,
            self.tables,
            self._tax.take(rows) if self._tax is not None else None,
            {year: base[rows] for year, base in self._averages.items()},
        )

    def extend(self, more: Columns, joined: Columns | None = None) -> RosterPay:
        """Rows added after these (new hires): nothing carried yet (``joined``: both, already
        concatenated, to share)."""
        joined = concat(self.columns, more) if joined is None else joined
        tax = None
        if self._tax is not None:
            zero = np.zeros(len(more), dtype=np.int64)
            tax = _Year(
                self._tax.next,
                Running(*(np.concatenate([getattr(self._tax.running, f), zero]) for f in _RUNNING)),
                np.concatenate([self._tax.used, np.zeros(len(more), dtype=np.bool_)]),
            )
        return RosterPay(joined, self.registry, self.scheme, self.as_of, self.tables, tax, {})

    # -- a month --------------------------------------------------------------------------

    def families(self) -> list[tuple[str | None, npt.NDArray[np.intp]]]:
        """(family, rows) for each scheme family the rows name (or the default)."""
        codes, values = self.columns.coded["family"]
        found = []
        for code in np.unique(codes).tolist():
            family = values[code] or self.scheme
            found.append((family, np.flatnonzero(codes == code)))
        return found

    def pay(self, month: Month) -> tuple[list[MonthPay], list[tuple[npt.NDArray[np.intp], str]]]:
        """Every employed row's figures for ``month``, by version; and rows with no version
        (a family unknown, or none in force that month) with the reason."""
        columns = self.columns
        first, last = month.first_day.toordinal(), month.last_day.toordinal()
        employed = (columns.hired <= last) & (columns.left >= first)
        self._ensure_tax_year(month)
        results: list[MonthPay] = []
        unpaid: list[tuple[npt.NDArray[np.intp], str]] = []
        assert self._tax is not None
        self._tax.next = month.plus(1)  # (set first: pay() of this month is this month's)
        for family, rows in self.families():
            rows = rows[employed[rows]]
            if not len(rows):
                continue
            if family is None:
                unpaid.append((rows, "the worker names no scheme and none was given"))
                continue
            try:
                version = self.registry.version_for(family, month, as_of=self.as_of)
            except SchemeNotFound as error:
                unpaid.append((rows, str(error)))
                continue
            results.append(self._pay_version(month, version, rows))
        return results, unpaid

    def _pay_version(
        self, month: Month, version: SchemeVersion, rows: npt.NDArray[np.intp]
    ) -> MonthPay:
        every = len(rows) == len(self.columns) and bool((rows == np.arange(len(rows))).all())
        columns = self.columns if every else self.columns.take(rows)  # all rows: no copy
        tax_before = separate_used = None
        if version.spec.scheme.income_tax:
            assert self._tax is not None
            tax_before = self._tax.running if every else self._tax.take(rows).running
            separate_used = self._tax.used[rows]
        wage_base = self._wage_base(month, version, rows)
        found = evaluate_month(
            compiled(version),
            columns,
            month,
            vector_ops(len(rows)),
            tables=self.tables,
            as_of=self.as_of,
            tax_before=tax_before,
            separate_used=separate_used if separate_used is not None else False,
            wage_base=wage_base,
        )
        if found.tax is not None and self._tax is not None:
            self._carry_tax(rows, found)
        return _month_pay(month, version, rows, found)

    # -- carried from month to month ------------------------------------------------------

    def _ensure_tax_year(self, month: Month) -> None:
        """The tax year up to ``month``: carried on from the month before, started in
        January, or worked out month by month up to it (when months were skipped)."""
        tax = self._tax
        if tax is not None and tax.next == month:
            return
        if tax is None or tax.next.year != month.year or tax.next > month:
            n = len(self.columns)
            zero = np.zeros(n, dtype=np.int64)
            self._tax = _Year(Month(month.year, 1), Running(*([zero] * 7)), np.zeros(n, np.bool_))
        assert self._tax is not None
        while self._tax.next < month:
            self.pay(self._tax.next)  # carries the tax year forward; the figures are dropped

    def _carry_tax(self, rows: npt.NDArray[np.intp], found: Evaluated) -> None:
        assert self._tax is not None and found.tax is not None
        after = found.tax.after
        running = self._tax.running
        for name in _RUNNING:
            column = np.array(getattr(running, name), dtype=np.int64, copy=True)
            column[rows] = np.asarray(getattr(after, name))
            running = replace(running, **{name: column})
        used = self._tax.used.copy()
        used[rows] = np.asarray(found.tax.separate_used_after, dtype=np.bool_)
        self._tax = _Year(self._tax.next, running, used)

    def _wage_base(self, month: Month, version: SchemeVersion, rows: npt.NDArray[np.intp]) -> Any:
        """Last year's average monthly gross (fen) where the contribution table needs it."""
        table_id = version.spec.scheme.contribution_table
        if table_id is None:
            return None
        table = self.tables.table_for(table_id, month.first_day, self.as_of)
        if table.base.default != "previous_year_average":
            return None
        year = month.year
        if year not in self._averages:
            self._averages[year] = self._average_of(year)
        return self._averages[year][rows]

    def _average_of(self, year: int) -> I64:
        """上年度月平均工资 per row: last year's gross ÷ months employed, half-up to the fen;
        for a row not employed last year, its first month's component earnings this year."""
        columns = self.columns
        n = len(columns)
        earlier = RosterPay(columns, self.registry, self.scheme, self.as_of, self.tables)
        total = np.zeros(n, dtype=np.int64)
        months = np.zeros(n, dtype=np.int64)
        for index in range(1, 13):
            for paid in earlier.pay(Month(year - 1, index))[0]:
                total[paid.rows] += paid.gross
                months[paid.rows] += 1
        average = np.zeros(n, dtype=np.int64)
        had = months > 0
        if had.any():
            ops = vector_ops(int(had.sum()))
            average[had] = ops.round_div(total[had], months[had], decimal.ROUND_HALF_UP)
        for row in np.flatnonzero(~had).tolist():
            average[row] = self._first_month_earnings(row, year)
        return average

    def _first_month_earnings(self, row: int, year: int) -> int:
        columns = self.columns.take(np.array([row]))
        hired = max(Month(year, 1), Month.of(date.fromordinal(int(columns.hired[0]))))
        family = columns.coded["family"][1][int(columns.coded["family"][0][0])] or self.scheme
        if family is None:
            return 0
        try:
            version = self.registry.version_for(family, hired, as_of=self.as_of)
        except SchemeNotFound:
            return 0
        found = evaluate_month(
            compiled(version), columns, hired, vector_ops(1), tables=self.tables,
            as_of=self.as_of, tax_before=Running(*([np.zeros(1, np.int64)] * 7)), wage_base=0,
        )  # fmt: skip
        return int(found.component_earnings[0])

    # -- why a row was refused --------------------------------------------------------------

    def problems(self, month: Month, row: int) -> list[Problem]:
        """The explained engine's problems for a refused row (exact messages)."""
        worker_of = self.columns.worker_of
        if worker_of is None:
            return [Problem(f"worker {self.columns.ids[row]}", str(month), "refused")]
        worker = worker_of(row)
        try:
            payslip(
                worker,
                month,
                schemes=self.registry,
                scheme=self.scheme,
                as_of=self.as_of,
                contributions=self.tables,
            )
        except PaycalcError as error:
            return problems_of(worker, error)
        return [Problem(f"worker {worker.id}", str(month), "refused by the columnar engine")]


def _month_pay(
    month: Month, version: SchemeVersion, rows: npt.NDArray[np.intp], found: Evaluated
) -> MonthPay:
    n = len(rows)
    lines = found.lines
    shape = (len(lines), n)

    def column(value: Any, dtype: Any) -> Any:
        return np.broadcast_to(np.asarray(value, dtype=dtype), (n,))

    shown = np.zeros(shape, dtype=np.bool_)
    amounts = np.zeros(shape, dtype=np.int64)
    for index, line in enumerate(lines):
        shown[index] = column(line.shown, np.bool_)
        amounts[index] = np.where(shown[index], column(line.amount, np.int64), 0)
    categories = [line.category for line in lines]
    earning = np.array([c == "earning" for c in categories], dtype=np.bool_)
    deduction = np.array([c == "deduction" for c in categories], dtype=np.bool_)
    employer = np.array([c == "employer" for c in categories], dtype=np.bool_)
    return MonthPay(
        month=month,
        version=version,
        rows=rows,
        codes=[line.code for line in lines],
        labels=[line.label for line in lines],
        categories=categories,
        amounts=amounts,
        shown=shown,
        gross=amounts[earning].sum(axis=0),
        deductions=amounts[deduction].sum(axis=0),
        employer=amounts[employer].sum(axis=0),
        post=column(found.m.post, np.int64).copy(),
        refused=column(found.m.refused, np.bool_).copy(),
        cap_cuts={code: column(cut, np.int64).copy() for code, cut in found.cap_cuts.items()},
        base_status=column(found.base_status, np.int8).copy(),
    )

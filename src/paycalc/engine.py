"""scheme + worker + month → :class:`~paycalc.slip.Payslip`: the explained slip.

The figures come from :func:`paycalc.evaluate.evaluate_month` — the same rule book the
columnar engine runs on whole rosters — evaluated on one worker, with each line's basis. A
month that depends on earlier ones (income tax withheld cumulatively over the year, a
contribution base of last year's average wage) is computed after them: the earlier months
are evaluated for their figures only, without building their slips.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from paycalc.contributions import ContributionTables, load_contribution_tables
from paycalc.errors import NotEmployed, PayError, Problem, WorkerError
from paycalc.evaluate import Evaluated, compiled, evaluate_month, unused_inputs
from paycalc.facts import WorkerFacts
from paycalc.ops import SCALAR, round_quotient
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry, resolve_registry
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import PayLine, Payslip
from paycalc.tax import YearToDate
from paycalc.tax.cumulative import Running
from paycalc.withholding import TaxState, running_of
from paycalc.worker import Worker, parse_worker

__all__ = [
    "DRAFT_WARNING",
    "ILLUSTRATIVE_WARNING",
    "check_worker_against",
    "default_contribution_tables",
    "earnings_slip",
    "payroll_year",
    "payslip",
    "payslip_for_version",
    "payslip_with_history",
    "require_employed",
    "uses_history",
]

ILLUSTRATIVE_WARNING = "示例方案: 金额为示例, 并非官方标准 — illustrative scheme: amounts are examples, not official figures"
DRAFT_WARNING = "草案: 未经批准施行, 金额并非官方标准 — draft scheme: a proposal not in force; its figures are not official"


@functools.cache
def default_contribution_tables() -> ContributionTables:
    """The bundled 五险一金 tables, loaded once per process."""
    return load_contribution_tables()


def _as_worker(worker: Worker | Mapping[str, Any]) -> Worker:
    return worker if isinstance(worker, Worker) else parse_worker(dict(worker))


def _as_month(month: Month | str) -> Month:
    return month if isinstance(month, Month) else Month.parse(month)


def require_employed(worker: Worker, month: Month) -> None:
    """Refuse a month in which the worker was not employed at all (:class:`NotEmployed`)."""
    if worker.hired_on > month.last_day:
        raise NotEmployed(
            worker.id,
            str(month),
            f"not employed in {month}: hired {worker.hired_on}",
            location="hired_on",
        )
    if worker.left_on is not None and worker.left_on < month.first_day:
        raise NotEmployed(
            worker.id,
            str(month),
            f"not employed in {month}: left {worker.left_on}",
            location="left_on",
        )


def _family(worker: Worker, scheme: str | None) -> str:
    family = worker.scheme or scheme
    if family is None:
        raise WorkerError(
            [
                Problem(
                    f"worker {worker.id}", "scheme", "no scheme named by the worker or the caller"
                )
            ]
        )
    return family


def uses_history(scheme: SchemeVersion) -> bool:
    """Whether a slip under this version may depend on the worker's earlier months.

    Income tax is withheld cumulatively over the year, and a contribution base may be last
    year's average wage; such slips are computed with the months before them.
    """
    header = scheme.spec.scheme
    return header.income_tax or header.contribution_table is not None


# --- one worker's months ------------------------------------------------------------


class _Worker:
    """One worker's pay month by month: the versions in force, the wage base, the tax year."""

    def __init__(
        self,
        worker: Worker,
        registry: SchemeRegistry | None,
        family: str | None,
        as_of: date | None,
        tables: ContributionTables | None,
    ) -> None:
        self.worker = worker
        self.facts = WorkerFacts.of(worker)
        self.registry = registry
        self.family = family
        self.as_of = as_of
        self.tables = tables if tables is not None else default_contribution_tables()
        self._averages: dict[int, int] = {}

    def version(self, month: Month) -> SchemeVersion:
        assert self.registry is not None and self.family is not None
        return self.registry.version_for(self.family, month, as_of=self.as_of)

    def employed_months(self, first: Month, last: Month) -> list[Month]:
        worker = self.worker
        hired = Month.of(worker.hired_on)
        left = Month.of(worker.left_on) if worker.left_on is not None else last
        start, end = max(first, hired), min(last, left)
        return [start.plus(offset) for offset in range(end.months_since(start) + 1)]

    def evaluate(
        self,
        month: Month,
        version: SchemeVersion,
        *,
        tax_before: Running | None = None,
        separate_used: bool = False,
        explain: bool = False,
    ) -> Evaluated:
        scheme = compiled(version)
        wage_base = None
        if self._needs_wage_base(version, month):
            wage_base = self.wage_base(month.year)
        if version.spec.scheme.income_tax and tax_before is None and not explain:
            tax_before = Running.zero()  # earnings only: the tax does not change them
        return evaluate_month(
            scheme,
            self.facts,
            month,
            SCALAR,
            tables=self.tables,
            as_of=self.as_of,
            tax_before=tax_before,
            separate_used=separate_used,
            wage_base=wage_base,
            explain=explain,
        )

    def _needs_wage_base(self, version: SchemeVersion, month: Month) -> bool:
        table_id = version.spec.scheme.contribution_table
        if table_id is None or self.worker.contribution_base is not None:
            return False
        table = self.tables.table_for(table_id, month.first_day, self.as_of)
        return table.base.default == "previous_year_average"

    def wage_base(self, year: int) -> int:
        """上年度月平均工资 in fen: the average monthly gross of last year's employed months.

        A worker hired this year (no wages the year before) is based on the first month's
        component earnings (before contributions and caps, which depend on the base).
        Worked out once per year.
        """
        if year in self._averages:
            return self._averages[year]
        months = self.employed_months(Month(year - 1, 1), Month(year - 1, 12))
        if months:
            total = sum(int(self.evaluate(m, self.version(m)).gross) for m in months)
            average = round_quotient(total, len(months), decimal.ROUND_HALF_UP)
        else:
            first = self.employed_months(Month(year, 1), Month(year, 12))[0]
            scheme = compiled(self.version(first))
            found = evaluate_month(
                scheme, self.facts, first, SCALAR, tables=self.tables, as_of=self.as_of,
                tax_before=Running.zero(), wage_base=0,
            )  # fmt: skip
            average = int(found.component_earnings)
        self._averages[year] = average
        return average

    def tax_year(self, first: Month, until: Month, state: TaxState) -> tuple[Running, bool]:
        """The tax year from ``first`` (after ``state``) up to ``until`` (exclusive)."""
        running, used = running_of(state), state.separate_bonus_used
        for month in self.employed_months(first, until.plus(-1)) if until > first else []:
            version = self.version(month)
            if not version.spec.scheme.income_tax:
                continue
            found = self.evaluate(month, version, tax_before=running, separate_used=used)
            assert found.tax is not None
            running, used = found.tax.after, bool(found.tax.separate_used_after)
        return running, used

    def slip(
        self,
        month: Month,
        version: SchemeVersion,
        *,
        tax_before: Running | None = None,
        separate_used: bool = False,
    ) -> tuple[Payslip, Evaluated]:
        found = self.evaluate(
            month, version, tax_before=tax_before, separate_used=separate_used, explain=True
        )
        return build_slip(self.worker, found), found


# --- slips ------------------------------------------------------------------------------


def build_slip(worker: Worker, found: Evaluated) -> Payslip:
    """The explained slip of an evaluated month (one worker)."""
    m = found.m
    lines = []
    for line in found.lines:
        basis = line.basis
        if line.rule is not None:
            basis = line.rule.basis(m)
            pay = line.full
            if line.rule.prorated and not m.full and pay is not None:
                full = Decimal(pay.amount).scaleb(-pay.scale)
                basis = f"{basis} · {full:,.2f} × {m.fraction_basis}"
        lines.append(
            PayLine(
                line.code,
                line.label,
                line.category,
                Decimal(int(line.amount)).scaleb(-2),
                basis + line.cut,
            )
        )
    version = found.scheme.version
    warnings = unused_inputs(version, list(worker.inputs)) + found.warnings
    if version.status == "illustrative":
        warnings.insert(0, ILLUSTRATIVE_WARNING)
    elif version.is_draft:
        warnings.insert(0, DRAFT_WARNING)
    return Payslip.from_lines(worker.id, str(m.month), found.scheme.ref, lines, warnings)


def payslip(
    worker: Worker | Mapping[str, Any],
    month: Month | str,
    *,
    schemes: SchemeRegistry | None = None,
    include_drafts: bool = False,
    scheme: str | None = None,
    as_of: date | None = None,
    contributions: ContributionTables | None = None,
    ytd: YearToDate | None = None,
) -> Payslip:
    """The itemised slip of ``worker`` for ``month``.

    ``scheme`` names the family when the worker record names none; ``schemes`` defaults to
    the bundled schemes; ``as_of`` counts only versions published by that date. When the
    scheme withholds income tax, the months of the year before ``month`` are computed too
    (cumulative withholding), unless ``ytd`` supplies the year-to-date figures.
    """
    worker = _as_worker(worker)
    month = _as_month(month)
    require_employed(worker, month)
    family = _family(worker, scheme)
    registry = resolve_registry(schemes, include_drafts=include_drafts)
    version = registry.version_for(family, month, as_of=as_of)
    pay = _Worker(worker, registry, family, as_of, contributions)
    if not version.spec.scheme.income_tax:
        return pay.slip(month, version)[0]
    if ytd is not None:  # the figures withheld before the month
        return pay.slip(month, version, tax_before=running_of(TaxState(ytd)))[0]
    running, used = pay.tax_year(Month(month.year, 1), month, TaxState.start())
    return pay.slip(month, version, tax_before=running, separate_used=used)[0]


def payslip_for_version(
    worker: Worker,
    month: Month,
    scheme: SchemeVersion,
    *,
    contributions: ContributionTables | None = None,
    tax_state: TaxState | None = None,
) -> Payslip:
    """The slip of ``worker`` for ``month`` under this exact scheme version.

    A scheme that withholds income tax needs the worker's ``tax_state`` before the month
    (year-to-date figures); :func:`payslip` and :func:`payroll_year` work it out.
    """
    require_employed(worker, month)
    pay = _Worker(worker, None, None, None, contributions)
    if scheme.spec.scheme.income_tax and tax_state is None:
        raise PayError(
            worker.id,
            str(month),
            "income tax needs the year-to-date figures: use paycalc.payslip, "
            "paycalc.payroll_year, or pass tax_state",
        )
    running = running_of(tax_state) if tax_state is not None else None
    used = tax_state.separate_bonus_used if tax_state is not None else False
    return pay.slip(month, scheme, tax_before=running, separate_used=used)[0]


def earnings_slip(worker: Worker, month: Month, scheme: SchemeVersion) -> Payslip:
    """A slip for comparing earnings (impact, invariants) under this exact version.

    Income tax needs the year's history; these comparisons look at earnings, so a scheme
    that withholds tax starts the year afresh here instead of refusing.
    """
    state = TaxState.start() if scheme.spec.scheme.income_tax else None
    return payslip_for_version(worker, month, scheme, tax_state=state)


def payslip_with_history(
    worker: Worker,
    month: Month,
    scheme: SchemeVersion,
    *,
    schemes: SchemeRegistry,
    family: str,
    as_of: date | None = None,
    contributions: ContributionTables | None = None,
) -> Payslip:
    """The slip under ``scheme``, computing earlier months first when it depends on them."""
    if uses_history(scheme):
        return payslip(
            worker, month, schemes=schemes, scheme=family, as_of=as_of, contributions=contributions
        )
    return payslip_for_version(worker, month, scheme, contributions=contributions)


def payroll_year(
    worker: Worker | Mapping[str, Any],
    year: int,
    *,
    schemes: SchemeRegistry | None = None,
    include_drafts: bool = False,
    scheme: str | None = None,
    as_of: date | None = None,
    contributions: ContributionTables | None = None,
    until: Month | None = None,
    ytd: YearToDate | None = None,
) -> list[Payslip]:
    """The worker's slips for every employed month of ``year`` (through ``until``), in order.

    Income tax is withheld cumulatively: each month's tax counts the months before it.
    ``ytd`` starts the year from figures the caller supplies (a system adopting paycalc
    mid-year passes what it withheld so far, and asks for the months after).
    """
    worker = _as_worker(worker)
    family = _family(worker, scheme)
    registry = resolve_registry(schemes, include_drafts=include_drafts)
    pay = _Worker(worker, registry, family, as_of, contributions)
    last = until if until is not None else Month(year, 12)
    first = Month(year, 1) if ytd is None else Month(year, 1 + ytd.months_counted)
    state = TaxState.start() if ytd is None else TaxState(ytd)
    running, used = running_of(state), state.separate_bonus_used
    slips = []
    for month in pay.employed_months(first, last):
        version = pay.version(month)
        taxed = version.spec.scheme.income_tax
        slip, found = pay.slip(
            month,
            version,
            tax_before=running if taxed else None,
            separate_used=used,
        )
        slips.append(slip)
        if found.tax is not None:
            running, used = found.tax.after, bool(found.tax.separate_used_after)
    return slips


def check_worker_against(scheme: SchemeVersion, worker: Worker) -> tuple[list[Problem], list[str]]:
    """Problems (and warnings) of a worker record under one scheme version.

    The checks of every month: a post of the scheme, its declared inputs, a grade within
    the post's band (or given, where the scheme takes it as given).
    """
    from paycalc.evaluate import month_facts

    facts = WorkerFacts(worker)
    month = Month.of(max(scheme.effective_from, worker.hired_on))
    m = month_facts(compiled(scheme), facts, month, SCALAR, explain=True)
    return list(m.problems), unused_inputs(scheme, list(worker.inputs))

"""Monthly payroll runs over a roster: one slip per good row, one error entry per bad one.

Rows in = slips out + rows with errors, always. The fast path computes each distinct *pay
profile* once (see :func:`pay_key`) and stamps the result with each worker's id, so a
roster of many similar workers costs little more than its distinct profiles; every figure
equals the itemised engine's (``tests/test_batch.py`` checks that with hypothesis).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Final

from pydantic import BaseModel

from paycalc.contributions import ContributionTables
from paycalc.engine import (
    payroll_year,
    payslip,
    payslip_for_version,
    payslip_with_history,
    require_employed,
    uses_history,
)
from paycalc.errors import (
    InputError,
    NotEmployed,
    PaycalcError,
    PayError,
    Problem,
    SchemeNotFound,
)
from paycalc.io.roster import RosterRecord, RowError
from paycalc.io.writers import slip_columns, slip_row
from paycalc.period import Month, service_time
from paycalc.scheme.registry import SchemeRegistry, resolve_registry
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import Payslip
from paycalc.withholding import TaxState
from paycalc.worker import Worker

__all__ = ["RunResult", "SlipResult", "freeze", "pay_key", "run_roster", "run_workers"]

#: Worker fields that never change a slip's figures or text except through the id,
#: or that :func:`pay_key` normalises for the month.
_KEYED_APART: Final = frozenset({"id", "name", "hired_on", "left_on"})
#: After this many rows, the fast path stops if it computed over 70% of them anyway.
_PROBE_ROWS: Final = 2000
_PROFILE_FIELDS: Final = tuple(name for name in Worker.model_fields if name not in _KEYED_APART)


def freeze(value: object) -> Hashable:
    """A hashable stand-in for a field value that tells apart whatever prints differently.

    ``Decimal("1.0")`` and ``Decimal("1.00")`` are equal but print differently on a slip's
    basis, and ``True == 1``; both are kept apart here.
    """
    if isinstance(value, BaseModel):
        return (
            type(value).__name__,
            *(freeze(getattr(value, f)) for f in type(value).model_fields),
        )
    if isinstance(value, dict):
        return ("{", *sorted(((freeze(k), freeze(v)) for k, v in value.items()), key=repr))
    if isinstance(value, list | tuple | set | frozenset):
        return ("[", *(freeze(item) for item in value))
    if isinstance(value, Decimal):
        return ("D", str(value))
    if isinstance(value, bool):
        return ("b", value)
    assert isinstance(value, Hashable)
    return value


def profile_key(worker: Worker) -> Hashable:
    """Everything of a worker's record except id, name and the employment dates."""
    return tuple(freeze(getattr(worker, name)) for name in _PROFILE_FIELDS)


def employment_key(hired_on: date, left_on: date | None, month: Month) -> Hashable:
    """What the employment dates mean for ``month``'s slip, and nothing more.

    Hired by the month's first day: only the completed service (years, months) and the
    year of hire count (appraisals before the hire year, and the yearly payment for the
    hire year, do not). Left on or after the month's last day: as if still employed.
    Otherwise the exact dates decide the partial month.
    """
    if hired_on <= month.first_day:
        served = service_time(hired_on, month.first_day)
        hired: Hashable = (served.years, served.months, hired_on.year)
    else:
        hired = hired_on
    left = None if left_on is None or left_on >= month.last_day else left_on
    return (hired, left)


def pay_key(worker: Worker, month: Month, version: SchemeVersion) -> Hashable:
    """Two workers with equal keys get the same slip for ``month``, but for the worker id."""
    employment = employment_key(worker.hired_on, worker.left_on, month)
    if uses_history(version) and worker.hired_on.year >= month.year - 1:
        # Withholding counts every earlier month of the year, and a contribution base may be
        # last year's average wage: a hire date in this year or the last (which prorates the
        # first month) matters exactly, not only the service completed.
        employment = (worker.hired_on, employment)
    return (id(version), employment, profile_key(worker))


@dataclass(frozen=True, slots=True)
class SlipResult:
    """A slip with the roster row it came from.

    Under a scheme that withholds income tax, ``ytd_before`` is the year to date the month's
    tax continued from when the caller supplied it, and ``year_before`` the slips of the
    year's earlier months when paycalc recomputed them instead (empty for a worker whose
    tax year starts this month).
    """

    row: int
    name: str
    slip: Payslip
    record: RosterRecord | None = None
    ytd_before: TaxState | None = None
    year_before: tuple[Payslip, ...] = ()

    @property
    def tax_recomputed(self) -> bool:
        """Whether the year before this month was recomputed rather than taken as given."""
        return bool(self.year_before)


@dataclass(slots=True)
class RunResult:
    """A month's run: slips, errors (one or more per failed row) and the balance."""

    month: Month
    rows_in: int
    slips: list[SlipResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: rows that gave no slip (a row may have several errors)
    failed_rows: int = 0
    #: rows of workers not employed in the month (hired after it, or left before it): no
    #: slip, and not an error of the row
    not_employed: list[RowError] = field(default_factory=list)
    #: line codes in the slips, in scheme order, for the columns of a slip table
    codes: list[str] = field(default_factory=list)
    #: problems with the roster file as a whole (unknown columns, ...)
    file_problems: list[Problem] = field(default_factory=list)
    #: distinct pay profiles computed (equal to the slips without the fast path)
    computed: int = 0
    #: things to say once about the whole run (the year to date recomputed, ...)
    notes: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return self.rows_in == len(self.slips) + len(self.not_employed) + self.failed_rows

    def summary(self) -> str:
        return (
            f"{self.rows_in} rows in = {len(self.slips)} slips + "
            f"{len(self.not_employed)} not employed + {self.failed_rows} errors"
        )

    @property
    def columns(self) -> list[str]:
        """The slip table's columns: row, worker, scheme, month, each line code, the totals."""
        return slip_columns(self.codes)

    def table(self) -> list[dict[str, object]]:
        """The slip table: one row per slip, money as exact ``Decimal``.

        Each line code is a column (0.00 where a slip has no such line), as
        :func:`paycalc.io.write_slips` writes. The register ``paycalc run`` writes (Chinese
        headers, the roster's pass-through columns, the 合计 row, year-to-date columns) is
        built by :func:`paycalc.close.close_month`.
        """
        columns = self.columns
        return [dict(zip(columns, slip_row(item, self.codes), strict=True)) for item in self.slips]

    def to_dataframe(self) -> Any:
        """The slip table (:meth:`table`) as a pandas ``DataFrame`` (extra ``dataframe``).

        Amounts stay exact (``object`` columns of ``Decimal``); convert with care, e.g.
        ``frame["net"].sum()`` keeps them exact; never ``astype(float)`` for pay. The rows
        that failed are in :attr:`errors`, those not employed in :attr:`not_employed`.
        """
        try:
            import pandas
        except ImportError as error:  # pragma: no cover - depends on the installed extras
            raise ImportError(
                "RunResult.to_dataframe needs pandas: pip install 'paycalc[dataframe]'"
            ) from error
        return pandas.DataFrame(self.table(), columns=self.columns)


def _errors_from(record: RosterRecord, error: Exception, month: Month) -> list[RowError]:
    if isinstance(error, SchemeNotFound):
        return [record.error("scheme", str(error))]
    if isinstance(error, InputError):
        return [record.error(problem.location, problem.message) for problem in error.problems]
    if isinstance(error, PayError):
        worker = record.worker
        where = "hired_on" if worker is not None and worker.hired_on > month.last_day else "left_on"
        return [record.error(error.location or where, error.reason)]
    # Any other refusal (a contribution table not in force, ...) fails the row, not the run.
    return [record.error("", str(error))]


class _Versions:
    """The scheme version of each family for the month, looked up once."""

    def __init__(self, registry: SchemeRegistry, month: Month, as_of: date | None) -> None:
        self.registry, self.month, self.as_of = registry, month, as_of
        self.found: dict[str, SchemeVersion | SchemeNotFound] = {}

    def __call__(self, family: str) -> SchemeVersion:
        found = self.found.get(family)
        if found is None:
            try:
                found = self.registry.version_for(family, self.month, as_of=self.as_of)
            except SchemeNotFound as error:
                found = error
            self.found[family] = found
        if isinstance(found, SchemeNotFound):
            raise found
        return found


def run_roster(
    records: Iterable[RosterRecord],
    month: Month | str,
    *,
    schemes: SchemeRegistry | None = None,
    include_drafts: bool = False,
    scheme: str | None = None,
    as_of: date | None = None,
    fast: bool = True,
    progress: Callable[[int], None] | None = None,
    file_problems: Sequence[Problem] = (),
    contributions: ContributionTables | None = None,
    ytd: Mapping[str, TaxState] | None = None,
) -> RunResult:
    """Pay every record for ``month``; ``scheme`` names the family for rows naming none.

    ``fast`` (the default) computes each distinct pay profile once, and falls back to the
    itemised engine when the first 2,000 rows show few repeats; ``fast=False`` runs the
    itemised engine per row. Both give the same slips. ``progress`` is called with
    the number of rows done, every 1,000 rows and at the end.

    ``ytd`` gives, by worker id, where each worker's tax year stood before ``month`` (the
    figures actually withheld): under a scheme that withholds income tax the month's tax
    continues from them, and the month alone is computed. A worker without them has the
    year recomputed from January (or the hire month), and the result's ``notes`` say so.
    ``contributions`` replaces the bundled 五险一金 tables.
    """
    month = month if isinstance(month, Month) else Month.parse(month)
    registry = resolve_registry(schemes, include_drafts=include_drafts)
    versions = _Versions(registry, month, as_of)
    records = list(records)
    result = RunResult(month, len(records), file_problems=list(file_problems))
    cache: dict[Hashable, _Paid | None] = {}
    codes: dict[str, None] = {}
    context = _Context(registry, as_of, contributions, ytd)
    seen_versions: set[int] = set()
    for done, record in enumerate(records, start=1):
        if progress is not None and done % 1000 == 0:
            progress(done)
        worker = record.worker
        if worker is None:
            result.errors += record.errors or [record.error("", "invalid row")]
            result.failed_rows += 1
            continue
        if fast and done == _PROBE_ROWS and result.computed > _PROBE_ROWS * 0.7:
            # Nearly every profile is distinct: keying costs more than it saves.
            fast = False
        try:
            family = worker.scheme or scheme
            if family is None:
                raise SchemeNotFound(
                    "the row names no scheme (方案) and no --scheme was given for such rows"
                )
            version = versions(family)
            paid = _slip(worker, month, version, cache, fast, result, context, family)
        except NotEmployed as error:
            result.not_employed.append(record.error(error.location, error.reason))
            continue
        except PaycalcError as error:
            result.errors += _errors_from(record, error, month)
            result.failed_rows += 1
            continue
        if id(version) not in seen_versions:
            seen_versions.add(id(version))
            codes.update(dict.fromkeys(component.code for component in version.spec.components))
        result.slips.append(
            SlipResult(record.row, worker.name, paid.slip, record, paid.ytd_before, paid.year_before)
        )
    if progress is not None:
        progress(len(records))
    result.codes = list(codes)
    recomputed = [item.slip.worker_id for item in result.slips if item.tax_recomputed]
    if recomputed:
        shown = ", ".join(recomputed[:10]) + (" …" if len(recomputed) > 10 else "")
        result.notes.append(
            f"个税累计数据为本系统重算: {len(recomputed)} 人的本年累计收入与已预扣税额由 paycalc "
            f"从1月（或入职月）起重新计算，并非实际已预扣数 — income tax year to date recomputed "
            f"for {len(recomputed)} worker(s) ({shown}); give the previous month's register or a "
            "year-to-date file (--ytd) to continue from the figures actually withheld"
        )
    return result


@dataclass(frozen=True, slots=True)
class _Context:
    """What every row of a run is paid with, besides its scheme version."""

    registry: SchemeRegistry
    as_of: date | None
    contributions: ContributionTables | None
    ytd: Mapping[str, TaxState] | None


@dataclass(frozen=True, slots=True)
class _Paid:
    """A slip and how its income tax year was reached (see :class:`SlipResult`)."""

    slip: Payslip
    ytd_before: TaxState | None = None
    year_before: tuple[Payslip, ...] = ()

    def for_worker(self, worker_id: str) -> _Paid:
        """The same figures stamped with another worker's id (the fast path's reuse)."""
        return _Paid(
            dataclasses.replace(self.slip, worker_id=worker_id),
            self.ytd_before,
            tuple(dataclasses.replace(s, worker_id=worker_id) for s in self.year_before),
        )


def _itemised(
    worker: Worker, month: Month, version: SchemeVersion, context: _Context, family: str
) -> _Paid:
    registry, as_of, contributions = context.registry, context.as_of, context.contributions
    require_employed(worker, month)
    if not version.spec.scheme.income_tax:
        return _Paid(
            payslip_with_history(
                worker,
                month,
                version,
                schemes=registry,
                family=family,
                as_of=as_of,
                contributions=contributions,
            )
        )
    state = context.ytd.get(worker.id) if context.ytd is not None else None
    if state is not None:
        if state.separate_bonus_used:
            # Only the state carries "the separate bonus method is used up this year".
            slip = payslip_for_version(
                worker, month, version, contributions=contributions, tax_state=state
            )
        else:
            slip = payslip(
                worker,
                month,
                schemes=registry,
                scheme=family,
                as_of=as_of,
                contributions=contributions,
                ytd=state.ytd,
            )
        return _Paid(slip, ytd_before=state)
    # Cumulative withholding from January (or the hire month): the year's slips up to the
    # month, kept so that the year to date can be shown and carried on.
    slips = payroll_year(
        worker,
        month.year,
        schemes=registry,
        scheme=family,
        as_of=as_of,
        contributions=contributions,
        until=month,
    )
    # Employed in the month (checked above), so the year ends with it.
    assert slips[-1].month == str(month), (slips[-1].month, str(month))
    return _Paid(slips[-1], year_before=tuple(slips[:-1]))


def _slip(
    worker: Worker,
    month: Month,
    version: SchemeVersion,
    cache: dict[Hashable, _Paid | None],
    fast: bool,
    result: RunResult,
    context: _Context,
    family: str,
) -> _Paid:
    if not fast:
        result.computed += 1
        return _itemised(worker, month, version, context, family)
    key: Hashable = pay_key(worker, month, version)
    if version.spec.scheme.income_tax and context.ytd is not None:
        state = context.ytd.get(worker.id)
        key = (key, None if state is None else _state_key(state))
    cached = cache.get(key)
    if cached is not None:
        return cached.for_worker(worker.id)
    if key in cache:
        # This profile failed before: compute again so the errors name this worker.
        return _itemised(worker, month, version, context, family)
    result.computed += 1
    try:
        paid = _itemised(worker, month, version, context, family)
    except PaycalcError:
        cache[key] = None
        raise
    cache[key] = paid
    return paid


def _state_key(state: TaxState) -> Hashable:
    ytd = state.ytd
    return (
        ytd.months_counted,
        *(str(getattr(ytd, name)) for name in _YTD_AMOUNTS),
        state.separate_bonus_used,
    )


_YTD_AMOUNTS: Final = (
    "income",
    "tax_free_income",
    "basic_deduction",
    "social_insurance",
    "special_deductions",
    "other_deductions",
    "tax_withheld",
)


def run_workers(
    workers: Iterable[Worker],
    month: Month | str,
    *,
    schemes: SchemeRegistry | None = None,
    include_drafts: bool = False,
    scheme: str | None = None,
    as_of: date | None = None,
    fast: bool = True,
    contributions: ContributionTables | None = None,
    ytd: Mapping[str, TaxState] | None = None,
) -> RunResult:
    """:func:`run_roster` for workers already in memory (rows numbered from 1)."""
    from paycalc.io.roster import records_from_workers

    return run_roster(
        records_from_workers(workers),
        month,
        schemes=schemes,
        include_drafts=include_drafts,
        scheme=scheme,
        as_of=as_of,
        fast=fast,
        contributions=contributions,
        ytd=ytd,
    )

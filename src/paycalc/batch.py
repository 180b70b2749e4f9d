"""Monthly payroll runs over a roster: one slip per good row, one error entry per bad one.

Rows in = slips out + rows with errors, always. The fast path computes each distinct *pay
profile* once (see :func:`pay_key`) and stamps the result with each worker's id, so a
roster of many similar workers costs little more than its distinct profiles; every figure
equals the itemised engine's (``tests/test_batch.py`` checks that with hypothesis).
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
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
    UsageError,
)
from paycalc.gcpause import collection_paused
from paycalc.io.roster import RosterRecord, RowError
from paycalc.io.writers import slip_columns, slip_row
from paycalc.period import Month, service_time
from paycalc.procpool import chunk_bounds, in_order, start_method
from paycalc.scheme.registry import SchemeRegistry, resolve_registry
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import Payslip
from paycalc.withholding import TaxState
from paycalc.worker import Worker

__all__ = [
    "MAX_JOBS",
    "POOL_MIN_ROWS",
    "RunResult",
    "SlipResult",
    "freeze",
    "pay_key",
    "run_roster",
    "run_workers",
]

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
    jobs: int = 1,
) -> RunResult:
    """Pay every record for ``month``; ``scheme`` names the family for rows naming none.

    ``fast`` (the default) computes each distinct pay profile once, and falls back to the
    itemised engine when the first 2,000 rows show few repeats; ``fast=False`` runs the
    itemised engine per row. Both give the same slips. ``progress`` is called with
    the number of rows done, every 1,000 rows (or chunk) and at the end.

    ``jobs`` is how many processes pay the rows the itemised engine pays one by one (those
    after the first 2,000 when the fast path gave up, or every row with ``fast=False``):
    1 (the default) pays them here; more than 1 uses a pool of worker processes when there
    are at least :data:`POOL_MIN_ROWS` such rows (fewer are paid here: starting the workers
    and carrying the slips back would cost what they save). The result is the same either
    way, field for field. ``jobs`` outside 1 to :data:`MAX_JOBS` raises :class:`UsageError`;
    a worker process that dies (killed, out of memory) raises :class:`PaycalcError`.

    ``ytd`` gives, by worker id, where each worker's tax year stood before ``month`` (the
    figures actually withheld): under a scheme that withholds income tax the month's tax
    continues from them, and the month alone is computed. A worker without them has the
    year recomputed from January (or the hire month), and the result's ``notes`` say so.
    ``contributions`` replaces the bundled 五险一金 tables.
    """
    _check_jobs(jobs)
    month = month if isinstance(month, Month) else Month.parse(month)
    registry = resolve_registry(schemes, include_drafts=include_drafts)
    records = list(records)
    result = RunResult(month, len(records), file_problems=list(file_problems))
    context = _Context(registry, as_of, contributions, ytd)
    rows = _Rows(month, scheme, context, fast, result)
    with collection_paused():
        # With the fast path on, the first rows decide whether it stays on: pay them here.
        probe = min(len(records), _PROBE_ROWS) if fast else 0
        _pay_here(records, 0, probe, rows, progress)
        processes = 1 if rows.fast else _processes(jobs, len(records) - probe)
        if processes > 1:
            _pay_pooled(records, probe, rows, processes, progress)
        else:
            _pay_here(records, probe, len(records), rows, progress)
    if progress is not None:
        progress(len(records))
    result.codes = list(rows.codes)
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


class _Rows:
    """Pays records one at a time into a result: the body of a run, here or in a worker."""

    def __init__(
        self, month: Month, scheme: str | None, context: _Context, fast: bool, result: RunResult
    ) -> None:
        self.month, self.scheme, self.context, self.fast, self.result = (
            month,
            scheme,
            context,
            fast,
            result,
        )
        self.versions = _Versions(context.registry, month, context.as_of)
        self.cache: dict[Hashable, _Paid | None] = {}
        #: line codes of the versions that paid a slip, in the order they first did
        self.codes: dict[str, None] = {}
        self.seen_versions: set[int] = set()

    def pay(self, record: RosterRecord, done: int) -> _Paid | None:
        """Pay record number ``done`` (from 1): its slip, or None when its error or absence
        went into the result."""
        result, month = self.result, self.month
        worker = record.worker
        if worker is None:
            result.errors += record.errors or [record.error("", "invalid row")]
            result.failed_rows += 1
            return None
        if self.fast and done == _PROBE_ROWS and result.computed > _PROBE_ROWS * 0.7:
            # Nearly every profile is distinct: keying costs more than it saves.
            self.fast = False
        try:
            family = worker.scheme or self.scheme
            if family is None:
                raise SchemeNotFound(
                    "the row names no scheme (方案) and no --scheme was given for such rows"
                )
            version = self.versions(family)
            paid = _slip(worker, month, version, self.cache, self.fast, result, self.context, family)
        except NotEmployed as error:
            result.not_employed.append(record.error(error.location, error.reason))
            return None
        except PaycalcError as error:
            result.errors += _errors_from(record, error, month)
            result.failed_rows += 1
            return None
        if id(version) not in self.seen_versions:
            self.seen_versions.add(id(version))
            self.codes.update(dict.fromkeys(c.code for c in version.spec.components))
        return paid


def _pay_here(
    records: Sequence[RosterRecord],
    start: int,
    stop: int,
    rows: _Rows,
    progress: Callable[[int], None] | None,
) -> None:
    """Pay ``records[start:stop]`` in this process."""
    slips = rows.result.slips
    for done in range(start + 1, stop + 1):
        if progress is not None and done % 1000 == 0:
            progress(done)
        record = records[done - 1]
        paid = rows.pay(record, done)
        if paid is not None:
            slips.append(_slip_result(record, paid))


def _slip_result(record: RosterRecord, paid: _Paid) -> SlipResult:
    assert record.worker is not None
    return SlipResult(
        record.row, record.worker.name, paid.slip, record, paid.ytd_before, paid.year_before
    )


#: Rows paid one by one below which a run stays in this process whatever ``jobs`` says:
#: below it, starting the workers and carrying the slips back cost about what they save
#: (docs/performance.md, "A run on both cores").
POOL_MIN_ROWS: Final = 6000
#: The most processes ``jobs`` may ask for.
MAX_JOBS: Final = 64
#: The most rows a worker pays at a time (the run reports progress as each chunk is back).
_CHUNK_ROWS: Final = 2000


def _check_jobs(jobs: object) -> None:
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= MAX_JOBS:
        raise UsageError(
            "jobs", f"expected a number of processes from 1 to {MAX_JOBS}, got {jobs!r}"
        )


def _processes(jobs: int, rows: int) -> int:
    """How many processes pay ``rows`` rows one by one (1: this one)."""
    if jobs == 1 or rows < POOL_MIN_ROWS:
        return 1
    return min(jobs, rows)


def _pay_pooled(
    records: Sequence[RosterRecord],
    first: int,
    rows: _Rows,
    processes: int,
    progress: Callable[[int], None] | None,
) -> None:
    """Pay ``records[first:]`` in worker processes, into ``rows``' result in row order.

    Each worker pays contiguous chunks exactly as :meth:`_Rows.pay` does here with the fast
    path off (nothing is shared between rows then, so the chunks are independent); the
    chunks' slips, errors, absences, counts and line codes are joined in row order.
    """
    method = start_method()
    forked = method == "fork"
    context, result = rows.context, rows.result
    bounds = chunk_bounds(first, len(records), processes, largest=_CHUNK_ROWS)
    # A forked worker inherits the records and the year-to-date figures; a spawned one is
    # sent each chunk's share of them.
    job = _Job(
        rows.month,
        rows.scheme,
        context if forked else dataclasses.replace(context, ytd=None),
        records if forked else None,
    )
    chunks: list[tuple[object, ...]] = []
    for start, stop in bounds:
        if forked:
            chunks.append((start, stop, None, None))
            continue
        part = records[start:stop]
        chunks.append((start, stop, part, _ytd_of(part, context.ytd)))

    def merge(index: int, output: _ChunkPaid) -> None:
        paid, part, codes = output
        start, stop = bounds[index]
        result.slips += [_slip_result(records[start + at], slip) for at, slip in paid]
        result.errors += part.errors
        result.not_employed += part.not_employed
        result.failed_rows += part.failed_rows
        result.computed += part.computed
        rows.codes.update(dict.fromkeys(codes))
        if progress is not None:
            progress(stop)

    try:
        in_order(
            _pay_chunk,
            chunks,
            merge,
            workers=processes,
            initializer=_start_worker,
            initargs=(job,),
            method=method,
        )
    except BrokenProcessPool as error:
        # Killed (out of memory, by an operator) or crashed in C: not the input's fault, and
        # nothing of the run is returned, so nothing half-paid can be written.
        message = (
            f"a worker process paying rows ended abruptly ({error}); the run was abandoned and "
            f"nothing of it kept — run it again, or with jobs=1 (--jobs 1) to pay every row in "
            f"one process"
        )
        raise PaycalcError(message, [Problem("paycalc", "worker process", message)]) from error


def _ytd_of(
    records: Sequence[RosterRecord], ytd: Mapping[str, TaxState] | None
) -> dict[str, TaxState] | None:
    """The year-to-date figures of these records' workers (None: the run was given none)."""
    if ytd is None:
        return None
    found = {}
    for record in records:
        if record.worker is not None:
            state = ytd.get(record.worker.id)
            if state is not None:
                found[record.worker.id] = state
    return found


@dataclass(frozen=True, slots=True)
class _Job:
    """What a worker process pays its chunks with."""

    month: Month
    scheme: str | None
    context: _Context
    #: the run's records, when the worker was forked (inherited, not pickled)
    records: Sequence[RosterRecord] | None


#: In a worker process, the job it was started for (see :func:`_start_worker`).
_job: _Job | None = None

#: A chunk paid: (offset in the chunk, slip) of each slip, the chunk's errors, absences and
#: counts, and the line codes of the versions that paid it, in order.
_ChunkPaid = tuple[list[tuple[int, "_Paid"]], RunResult, list[str]]


def _start_worker(job: _Job) -> None:
    global _job
    _job = job
    # What the worker inherited or was sent lives as long as it does: never scan it again
    # (a forked worker scanning the parent's objects would also copy their memory pages).
    gc.freeze()


def _pay_chunk(
    start: int,
    stop: int,
    shipped: Sequence[RosterRecord] | None,
    ytd: Mapping[str, TaxState] | None,
) -> _ChunkPaid:
    """Pay rows ``start`` to ``stop`` (records shipped, or inherited from the parent)."""
    job = _job
    assert job is not None, "a chunk is paid in a worker process started with a job"
    if shipped is not None:
        records = shipped
    else:
        assert job.records is not None
        records = job.records[start:stop]
    context = job.context if ytd is None else dataclasses.replace(job.context, ytd=ytd)
    part = RunResult(job.month, len(records))
    rows = _Rows(job.month, job.scheme, context, False, part)
    paid = []
    with collection_paused():
        for offset, record in enumerate(records):
            slip = rows.pay(record, start + offset + 1)
            if slip is not None:
                paid.append((offset, slip))
    return paid, part, list(rows.codes)


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
    jobs: int = 1,
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
        jobs=jobs,
    )

"""Monthly payroll runs over a roster: one slip per good row, one error entry per bad one.

Rows in = slips out + rows with errors, always. The fast path computes each distinct *pay
profile* once (see :func:`pay_key`) and stamps the result with each worker's id, so a
roster of many similar workers costs little more than its distinct profiles; every figure
equals the itemised engine's (``tests/test_batch.py`` checks that with hypothesis).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Final

from pydantic import BaseModel

from paycalc.engine import payslip_with_history, uses_history
from paycalc.errors import InputError, PaycalcError, PayError, Problem, SchemeNotFound
from paycalc.io.roster import RosterRecord, RowError
from paycalc.io.writers import slip_columns, slip_row
from paycalc.period import Month, service_time
from paycalc.scheme.registry import SchemeRegistry, default_registry
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import Payslip
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
    """A slip with the roster row it came from."""

    row: int
    name: str
    slip: Payslip
    record: RosterRecord | None = None


@dataclass(slots=True)
class RunResult:
    """A month's run: slips, errors (one or more per failed row) and the balance."""

    month: Month
    rows_in: int
    slips: list[SlipResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: rows that gave no slip (a row may have several errors)
    failed_rows: int = 0
    #: line codes in the slips, in scheme order, for the columns of a slip table
    codes: list[str] = field(default_factory=list)
    #: problems with the roster file as a whole (unknown columns, ...)
    file_problems: list[Problem] = field(default_factory=list)
    #: distinct pay profiles computed (equal to the slips without the fast path)
    computed: int = 0

    @property
    def balanced(self) -> bool:
        return self.rows_in == len(self.slips) + self.failed_rows

    def summary(self) -> str:
        return f"{self.rows_in} rows in = {len(self.slips)} slips + {self.failed_rows} errors"

    @property
    def columns(self) -> list[str]:
        """The register's columns: row, worker, scheme, month, each line code, the totals."""
        return slip_columns(self.codes)

    def register(self) -> list[dict[str, object]]:
        """The register (what ``paycalc run --out`` writes): one row per slip, money exact."""
        columns = self.columns
        return [dict(zip(columns, slip_row(item, self.codes), strict=True)) for item in self.slips]

    def to_dataframe(self) -> Any:
        """The register as a pandas ``DataFrame`` (extra ``dataframe``), money as ``Decimal``.

        Amounts stay exact (``object`` columns of ``Decimal``); convert with care, e.g.
        ``frame["net"].sum()`` keeps them exact; never ``astype(float)`` for pay. The rows
        that failed are in :attr:`errors`.
        """
        try:
            import pandas
        except ImportError as error:  # pragma: no cover - depends on the installed extras
            raise ImportError(
                "RunResult.to_dataframe needs pandas: pip install 'paycalc[dataframe]'"
            ) from error
        return pandas.DataFrame(self.register(), columns=self.columns)


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
    scheme: str | None = None,
    as_of: date | None = None,
    fast: bool = True,
    progress: Callable[[int], None] | None = None,
    file_problems: Sequence[Problem] = (),
) -> RunResult:
    """Pay every record for ``month``; ``scheme`` names the family for rows naming none.

    ``fast`` (the default) computes each distinct pay profile once, and falls back to the
    itemised engine when the first 2,000 rows show few repeats; ``fast=False`` runs the
    itemised engine per row. Both give the same slips. ``progress`` is called with
    the number of rows done, every 1,000 rows and at the end.
    """
    month = month if isinstance(month, Month) else Month.parse(month)
    registry = schemes if schemes is not None else default_registry()
    versions = _Versions(registry, month, as_of)
    records = list(records)
    result = RunResult(month, len(records), file_problems=list(file_problems))
    cache: dict[Hashable, Payslip | None] = {}
    codes: dict[str, None] = {}
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
            slip = _slip(worker, month, version, cache, fast, result, registry, family, as_of)
        except PaycalcError as error:
            result.errors += _errors_from(record, error, month)
            result.failed_rows += 1
            continue
        if id(version) not in seen_versions:
            seen_versions.add(id(version))
            codes.update(dict.fromkeys(component.code for component in version.spec.components))
        result.slips.append(SlipResult(record.row, worker.name, slip, record))
    if progress is not None:
        progress(len(records))
    result.codes = list(codes)
    return result


def _itemised(
    worker: Worker,
    month: Month,
    version: SchemeVersion,
    registry: SchemeRegistry,
    family: str,
    as_of: date | None,
) -> Payslip:
    return payslip_with_history(
        worker, month, version, schemes=registry, family=family, as_of=as_of
    )


def _slip(
    worker: Worker,
    month: Month,
    version: SchemeVersion,
    cache: dict[Hashable, Payslip | None],
    fast: bool,
    result: RunResult,
    registry: SchemeRegistry,
    family: str,
    as_of: date | None,
) -> Payslip:
    if not fast:
        result.computed += 1
        return _itemised(worker, month, version, registry, family, as_of)
    key = pay_key(worker, month, version)
    cached = cache.get(key)
    if cached is not None:
        return dataclasses.replace(cached, worker_id=worker.id)
    if key in cache:
        # This profile failed before: compute again so the errors name this worker.
        return _itemised(worker, month, version, registry, family, as_of)
    result.computed += 1
    try:
        slip = _itemised(worker, month, version, registry, family, as_of)
    except PaycalcError:
        cache[key] = None
        raise
    cache[key] = slip
    return slip


def run_workers(
    workers: Iterable[Worker],
    month: Month | str,
    *,
    schemes: SchemeRegistry | None = None,
    scheme: str | None = None,
    as_of: date | None = None,
    fast: bool = True,
) -> RunResult:
    """:func:`run_roster` for workers already in memory (rows numbered from 1)."""
    from paycalc.io.roster import records_from_workers

    return run_roster(
        records_from_workers(workers), month, schemes=schemes, scheme=scheme, as_of=as_of, fast=fast
    )

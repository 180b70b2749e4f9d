"""``forecast``: a roster's monthly cost over a horizon, by component, post and any column.

Each month the forecast ages the roster (service accrues, so grades and points advance as
the scheme says), pays it under the scheme version in force that month (future-dated
versions included), applies the assumptions (appraisals for years that ended, attrition,
new hires), and adds up the figures. Workers whose pay is the same are folded into cohorts
(:mod:`paycalc.forecasting.cohorts`), and each month is paid by the columnar engine
(:mod:`paycalc.columnar`), figure for figure the explained slips', so every total is an
exact sum of real slips (:mod:`paycalc.forecasting.simulate`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from paycalc.contributions import ContributionTables
from paycalc.engine import default_contribution_tables
from paycalc.errors import InputError, Problem, SchemeNotFound
from paycalc.forecasting.assumptions import Assumptions
from paycalc.forecasting.cohorts import fold_records
from paycalc.io.roster import Roster, RosterRecord, RowError
from paycalc.money import ZERO
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry, resolve_registry
from paycalc.worker import EARLIEST_DATE, Worker, parse_worker

__all__ = ["Forecast", "ForecastError", "ForecastRow", "forecast"]

TOTALS = ("gross", "deductions", "net", "employer_cost")


@dataclass(frozen=True, slots=True)
class ForecastRow:
    """One figure of the forecast: a month's amount for one key of one dimension.

    ``dimension`` is ``total`` (keys gross, deductions, net, employer_cost), ``component``
    (keys are line codes), ``post`` (gross by post code) or the ``by`` column's name
    (gross by its values). ``workers`` counts the workers the amount covers.
    """

    month: str
    dimension: str
    key: str
    label: str
    workers: int
    amount: Decimal
    category: str = ""


@dataclass(frozen=True, slots=True)
class ForecastError:
    """A cohort that could not be paid in a month (``workers`` counts its members)."""

    month: str
    worker_id: str
    workers: int
    location: str
    reason: str


@dataclass(slots=True)
class Forecast:
    """The result: plain rows, the errors, and the roster's balance of rows."""

    start: Month
    months: int
    rows: list[ForecastRow] = field(default_factory=list)
    errors: list[ForecastError] = field(default_factory=list)
    roster_errors: list[RowError] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    rows_in: int = 0
    workers_in: int = 0
    cohorts: int = 0
    by: str | None = None
    #: worker-months paid, and what was computed to pay them: distinct pay profiles on the
    #: itemised path; cohort-months paid by columns plus itemised slips on the fast path
    worker_months: int = 0
    computed: int = 0

    def __iter__(self) -> Iterator[ForecastRow]:
        return iter(self.rows)

    def select(self, dimension: str, key: str | None = None) -> list[ForecastRow]:
        return [r for r in self.rows if r.dimension == dimension and (key is None or r.key == key)]

    def total(self, key: str = "employer_cost") -> Decimal:
        """The horizon's total of a ``total`` key (employer cost by default)."""
        return sum((row.amount for row in self.select("total", key)), ZERO)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [
            {
                "month": r.month,
                "dimension": r.dimension,
                "key": r.key,
                "label": r.label,
                "category": r.category,
                "workers": r.workers,
                "amount": r.amount,
            }
            for r in self.rows
        ]

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (or polars, when only polars is installed).

        Amounts stay ``Decimal`` (an object column), so sums remain exact.
        """
        try:
            import pandas

            return pandas.DataFrame(self.to_dicts())
        except ImportError:
            pass
        try:
            import polars

            return polars.DataFrame(self.to_dicts())
        except ImportError:
            raise ImportError(
                "to_dataframe needs pandas or polars: pip install 'paycalc[dataframe]'"
            ) from None


RosterInput = str | Path | Roster | Iterable[RosterRecord | Worker]


def _loaded(roster: RosterInput, start: Month, registry: SchemeRegistry, by: str | None) -> Any:
    """The roster as cohort columns (:class:`paycalc.io.columnar.LoadedRoster`)."""
    import numpy as np

    from paycalc.columns import from_workers
    from paycalc.io.columnar import LoadedRoster, read_cohorts

    if isinstance(roster, str | Path):
        try:
            return read_cohorts(roster, start, schemes=registry, by=by)
        except ValueError as error:
            raise InputError([Problem(str(roster), "", str(error))]) from None
    folded = fold_records(roster, start, by=by)
    names: dict[str, int] = {}
    groups = [names.setdefault(cohort.group, len(names)) for cohort in folded.cohorts]
    return LoadedRoster(
        from_workers([cohort.worker for cohort in folded.cohorts]),
        np.array([cohort.count for cohort in folded.cohorts], dtype=np.int64),
        np.array(groups, dtype=np.int32),
        list(names),
        folded.rows_in,
        folded.errors,
        list(roster.file_problems) if isinstance(roster, Roster) else [],
    )


def forecast(
    roster: RosterInput,
    start: Month | str,
    months: int,
    assumptions: Assumptions | None = None,
    *,
    schemes: SchemeRegistry | None = None,
    include_drafts: bool = False,
    scheme: str | None = None,
    by: str | None = None,
    contributions: ContributionTables | None = None,
) -> Forecast:
    """Forecast ``roster``'s pay for ``months`` months from ``start``.

    ``roster`` is a roster file (CSV streams), a :class:`~paycalc.io.Roster`, or workers.
    ``scheme`` names the family for workers naming none; ``by`` a roster column (or worker
    field) to total by; ``contributions`` replaces the bundled 五险一金 tables. Rows that
    cannot be read are in ``roster_errors``; cohorts that cannot be paid in a month, in
    ``errors``. Every month is paid by the columnar engine (:mod:`paycalc.columnar`).
    """
    from paycalc.columnar import RosterPay
    from paycalc.forecasting.simulate import Cohorts, simulate

    if months < 1:
        raise ValueError("months must be at least 1")
    start = start if isinstance(start, Month) else Month.parse(start)
    assumptions = assumptions or Assumptions()
    registry = resolve_registry(schemes, include_drafts=include_drafts)
    loaded = _loaded(roster, start, registry, by)
    result = Forecast(
        start,
        months,
        roster_errors=loaded.errors,
        file_problems=list(loaded.file_problems),
        rows_in=loaded.rows_in,
        workers_in=loaded.workers,
        cohorts=loaded.cohorts,
        by=by,
    )
    columns = loaded.columns
    if assumptions.given_grades == "derive":
        columns = _derive_grades(columns, registry, scheme)
    pay = RosterPay(
        columns,
        registry,
        scheme,
        tables=contributions if contributions is not None else default_contribution_tables(),
    )
    state = Cohorts(pay, loaded.counts, loaded.groups, list(loaded.group_names))
    simulate(state, start, months, assumptions, by, _template(assumptions, scheme), result)
    return result


def _derive_grades(columns: Any, registry: SchemeRegistry, scheme: str | None) -> Any:
    """The columns without the given grades of rows whose family derives every grade."""
    import numpy as np

    codes, families = columns.coded["family"]
    derives = np.array([_derives(f or scheme, registry) for f in families] or [False])
    drop = derives[codes] & (columns.grade_given != 0)
    if not drop.any():
        return columns
    source = columns.worker_of
    columns.grade_given = np.where(drop, 0, columns.grade_given)
    if source is not None:
        columns.worker_of = lambda row: _derived(source(row), registry, scheme)
    return columns


def _derived(worker: Worker, registry: SchemeRegistry, scheme: str | None) -> Worker:
    """The worker without its given grade, where every version of its family derives grades."""
    if worker.grade is None or not _derives(worker.scheme or scheme, registry):
        return worker
    return worker.model_copy(update={"grade": None})


def _derives(family: str | None, registry: SchemeRegistry) -> bool:
    """Whether every version of ``family`` derives grades (a given grade is then dropped)."""
    if family is None:
        return False
    try:
        versions = registry.versions(family)
    except SchemeNotFound:
        return False
    return not any(v.spec.grade is None or v.spec.grade.method == "given" for v in versions)


def _template(assumptions: Assumptions, scheme: str | None) -> Worker | None:
    if not assumptions.hiring.per_month:
        return None
    # A placeholder hire date: each new hire gets its own month (model_copy below).
    data = {"id": "NEW", "hired_on": EARLIEST_DATE, **assumptions.hiring.template}
    if scheme and "scheme" not in data:
        data["scheme"] = scheme
    return parse_worker(data, source="assumptions: hiring.template")

"""``forecast``: a roster's monthly cost over a horizon, by component, post and any column.

Each month the forecast ages the roster (service accrues, so grades and points advance as
the scheme says), pays it under the scheme version in force that month (future-dated
versions included), applies the assumptions (appraisals for years that ended, attrition,
new hires), and adds up the slips. Workers are folded into cohorts (see
:mod:`paycalc.forecasting.cohorts`) and each distinct pay profile is computed once a
month by the itemised engine, so every total is an exact sum of real slips.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any

from paycalc.batch import employment_key
from paycalc.codes import Appraisal
from paycalc.engine import payslip_with_history
from paycalc.errors import InputError, PaycalcError, Problem, SchemeNotFound, problems_of
from paycalc.forecasting.assumptions import Assumptions
from paycalc.forecasting.cohorts import Cohort, Folded, fold_records, fold_roster_file
from paycalc.io.roster import Roster, RosterRecord, RowError
from paycalc.money import ZERO
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry, resolve_registry
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import Payslip
from paycalc.worker import EARLIEST_DATE, Worker, parse_worker

__all__ = ["Forecast", "ForecastError", "ForecastRow", "forecast"]

TOTALS = ("gross", "deductions", "net", "employer_cost")

#: read CSV rosters straight into columns on the fast path (False: fold them row by row,
#: as the itemised path does; the parity tests compare the two)
COLUMNAR_CSV = True


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


class _Month:
    """One month's sums."""

    def __init__(self) -> None:
        self.totals = dict.fromkeys(TOTALS, ZERO)
        self.headcount = 0
        self.components: dict[str, list[Any]] = {}  # code -> [label, category, workers, amount]
        self.posts: dict[str, list[Any]] = {}  # post -> [label, workers, gross]
        self.groups: dict[str, list[Any]] = {}  # value -> [workers, gross]

    def add(self, slip: Payslip, count: int, post: str, post_label: str, group: str) -> None:
        self.headcount += count
        totals = self.totals
        totals["gross"] += slip.gross * count
        totals["deductions"] += slip.deductions * count
        totals["net"] += slip.net * count
        totals["employer_cost"] += slip.employer_cost * count
        for line in slip.lines:
            entry = self.components.get(line.code)
            if entry is None:
                entry = self.components[line.code] = [line.label, line.category, 0, ZERO]
            entry[2] += count
            entry[3] += line.amount * count
        entry = self.posts.get(post)
        if entry is None:
            entry = self.posts[post] = [post_label, 0, ZERO]
        entry[1] += count
        entry[2] += slip.gross * count
        group_entry = self.groups.get(group)
        if group_entry is None:
            group_entry = self.groups[group] = [0, ZERO]
        group_entry[0] += count
        group_entry[1] += slip.gross * count

    def rows(self, month: str, by: str | None) -> list[ForecastRow]:
        rows = [
            ForecastRow(month, "total", key, key, self.headcount, self.totals[key])
            for key in TOTALS
        ]
        rows += [
            ForecastRow(month, "component", code, label, workers, amount, category)
            for code, (label, category, workers, amount) in self.components.items()
        ]
        rows += [
            ForecastRow(month, "post", post, label, workers, amount)
            for post, (label, workers, amount) in sorted(self.posts.items())
        ]
        if by:
            rows += [
                ForecastRow(month, by, value, value, workers, amount)
                for value, (workers, amount) in sorted(self.groups.items())
            ]
        return rows


RosterInput = str | Path | Roster | Iterable[RosterRecord | Worker]


def _fold(roster: RosterInput, start: Month, registry: SchemeRegistry, by: str | None) -> Folded:
    if isinstance(roster, str | Path):
        try:
            return fold_roster_file(str(roster), start, schemes=registry, by=by)
        except ValueError as error:
            raise InputError([Problem(str(roster), "", str(error))]) from None
    folded = fold_records(roster, start, by=by)
    if isinstance(roster, Roster):
        folded.file_problems = list(roster.file_problems)
    return folded


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
    fast: bool | None = None,
) -> Forecast:
    """Forecast ``roster``'s pay for ``months`` months from ``start``.

    ``roster`` is a roster file (CSV streams), a :class:`~paycalc.io.Roster`, or workers.
    ``scheme`` names the family for workers naming none; ``by`` a roster column (or worker
    field) to total by. Rows that cannot be read are in ``roster_errors``; cohorts that
    cannot be paid in a month, in ``errors``.

    ``fast`` chooses the vectorised path (:mod:`paycalc.forecasting.vectorised`, needs
    numpy); by default it is used when numpy is installed. Both paths give the same rows.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    start = start if isinstance(start, Month) else Month.parse(start)
    assumptions = assumptions or Assumptions()
    registry = resolve_registry(schemes, include_drafts=include_drafts)
    if (
        COLUMNAR_CSV
        and isinstance(roster, str | Path)
        and Path(roster).suffix.lower() == ".csv"
        and _fast_available(fast)
    ):
        return _forecast_csv(str(roster), start, months, assumptions, registry, scheme, by)
    folded = _fold(roster, start, registry, by)
    result = Forecast(
        start,
        months,
        roster_errors=folded.errors,
        file_problems=[p for p in folded.file_problems if isinstance(p, Problem)],
        rows_in=folded.rows_in,
        workers_in=folded.workers,
        cohorts=len(folded.cohorts),
        by=by,
    )
    cohorts = folded.cohorts
    if assumptions.given_grades == "derive":
        cohorts = [_derive_grade(cohort, registry, scheme) for cohort in cohorts]
    template = _template(assumptions, scheme)
    if _fast_available(fast):
        from paycalc.forecasting.vectorised import cohort_columns, simulate

        state = cohort_columns(
            [cohort.worker for cohort in cohorts],
            [cohort.count for cohort in cohorts],
            [cohort.group for cohort in cohorts],
        )
        simulate(state, start, months, assumptions, registry, scheme, by, template, result)
        return result
    rng = random.Random(assumptions.seed)
    rate = assumptions.attrition.per_month
    carry = Decimal(0)
    for index in range(months):
        month = start.plus(index)
        if index and rate:
            carry = _attrition(cohorts, rate, carry, rng)
        if template is not None and assumptions.hiring.per_month:
            hire = template.model_copy(update={"id": f"NEW-{month}", "hired_on": month.first_day})
            cohorts.append(Cohort(hire, assumptions.hiring.per_month, "new hires"))
        if index == 0 or month.month == 1:
            cohorts = _appraise(cohorts, month.year - 1, assumptions, rng)
        cohorts = [cohort for cohort in cohorts if cohort.count > 0]
        result.rows += _pay_month(cohorts, month, registry, scheme, by, result)
    return result


def _forecast_csv(
    path: str,
    start: Month,
    months: int,
    assumptions: Assumptions,
    registry: SchemeRegistry,
    scheme: str | None,
    by: str | None,
) -> Forecast:
    """The fast path on a CSV roster read straight into columns (no Worker per cohort)."""
    from paycalc.forecasting.columnar import load_csv_roster
    from paycalc.forecasting.vectorised import simulate

    derive = assumptions.given_grades == "derive"
    try:
        loaded = load_csv_roster(
            path,
            start,
            schemes=registry,
            by=by,
            scheme=scheme,
            derive=(lambda worker: _derived(worker, registry, scheme)) if derive else None,
            derived_families=(lambda family: _derives(family, registry)) if derive else None,
        )
    except ValueError as error:
        raise InputError([Problem(path, "", str(error))]) from None
    result = Forecast(
        start,
        months,
        roster_errors=loaded.errors,
        file_problems=loaded.file_problems,
        rows_in=loaded.rows_in,
        workers_in=loaded.workers,
        cohorts=loaded.cohorts,
        by=by,
    )
    template = _template(assumptions, scheme)
    simulate(loaded.state, start, months, assumptions, registry, scheme, by, template, result)
    return result


def _fast_available(fast: bool | None) -> bool:
    if fast is False:
        return False
    try:
        import numpy  # noqa: F401
    except ImportError:
        if fast:
            raise ImportError(
                "the fast forecast needs numpy: pip install 'paycalc[fast]'"
            ) from None
        return False
    return True


def _pay_month(
    cohorts: list[Cohort],
    month: Month,
    registry: SchemeRegistry,
    scheme: str | None,
    by: str | None,
    result: Forecast,
) -> list[ForecastRow]:
    sums = _Month()
    versions: dict[str, SchemeVersion | SchemeNotFound] = {}
    memo: dict[Hashable, Payslip | InputError] = {}
    first, last = month.first_day, month.last_day
    for cohort in cohorts:
        worker = cohort.worker
        if worker.hired_on > last or (worker.left_on is not None and worker.left_on < first):
            continue  # not on the payroll this month
        family = worker.scheme or scheme
        try:
            if family is None:
                raise SchemeNotFound("the worker names no scheme and none was given")
            found = versions.get(family)
            if found is None:
                try:
                    found = registry.version_for(family, month)
                except SchemeNotFound as error:
                    found = error
                versions[family] = found
            if isinstance(found, SchemeNotFound):
                raise found
        except SchemeNotFound as error:
            result.errors.append(
                ForecastError(str(month), worker.id, cohort.count, "scheme", str(error))
            )
            continue
        version = found
        key = (id(version), employment_key(worker.hired_on, worker.left_on, month), cohort.profile)
        slip = memo.get(key)
        if slip is None:
            result.computed += 1
            try:
                slip = payslip_with_history(worker, month, version, schemes=registry, family=family)
            except PaycalcError as error:
                slip = InputError(problems_of(worker, error))
            memo[key] = slip
        if isinstance(slip, InputError):
            for problem in slip.problems:
                result.errors.append(
                    ForecastError(
                        str(month), worker.id, cohort.count, problem.location, problem.message
                    )
                )
            continue
        post = version.post_code(worker.post) or worker.post
        sums.add(slip, cohort.count, post, version.post(post).label, cohort.group)
        result.worker_months += cohort.count
    return sums.rows(str(month), by)


def _attrition(cohorts: list[Cohort], rate: Decimal, carry: Decimal, rng: random.Random) -> Decimal:
    """Remove ``rate`` of the workers (fractions carried to the next month, exactly).

    Who leaves is drawn at random (seeded), each worker equally likely; returns the carry.
    """
    total = sum(cohort.count for cohort in cohorts)
    owed = carry + total * rate
    leavers = min(int(owed.to_integral_value(rounding=ROUND_FLOOR)), total)
    if leavers:
        bounds = list(itertools.accumulate(cohort.count for cohort in cohorts))
        for position in rng.sample(range(total), leavers):
            cohorts[bisect.bisect_right(bounds, position)].count -= 1
    return owed - leavers


def _appraise(
    cohorts: list[Cohort], year: int, assumptions: Assumptions, rng: random.Random
) -> list[Cohort]:
    """Give every worker employed in ``year`` and not yet appraised for it an assumed result."""
    chosen = assumptions.appraisals
    result: list[Cohort] = []
    for cohort in cohorts:
        worker = cohort.worker
        if worker.hired_on.year > year or year in worker.appraisals:
            result.append(cohort)
            continue
        if chosen.result is not None:
            split = {chosen.result: cohort.count}
        else:
            assert chosen.distribution is not None
            outcomes = list(chosen.distribution)
            weights = [float(chosen.distribution[o]) for o in outcomes]  # sampling only
            split = {}
            for drawn in rng.choices(outcomes, weights, k=cohort.count):
                split[drawn] = split.get(drawn, 0) + 1
        for outcome, count in split.items():
            result.append(cohort.with_worker(_appraised(worker, year, outcome), count))
    return result


def _appraised(worker: Worker, year: int, outcome: Appraisal) -> Worker:
    # The assumed result is for a year that may still lie ahead of today, which a worker
    # file could not record; model_copy keeps the record otherwise as validated.
    return worker.model_copy(update={"appraisals": {**worker.appraisals, year: outcome}})


def _derive_grade(cohort: Cohort, registry: SchemeRegistry, scheme: str | None) -> Cohort:
    worker = _derived(cohort.worker, registry, scheme)
    return cohort if worker is cohort.worker else cohort.with_worker(worker, cohort.count)


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

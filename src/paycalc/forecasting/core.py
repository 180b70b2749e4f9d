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

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from paycalc.contributions import ContributionTables
from paycalc.engine import default_contribution_tables
from paycalc.errors import InputError, Problem, SchemeError, SchemeNotFound
from paycalc.forecasting.assumptions import Assumptions
from paycalc.forecasting.cohorts import GROUP_SEPARATOR, Folded, fold_records
from paycalc.io.roster import Roster, RosterRecord, RowError
from paycalc.money import ZERO
from paycalc.period import Month
from paycalc.reforms.reform import Reform
from paycalc.scheme.registry import SchemeRegistry, resolve_registry
from paycalc.worker import EARLIEST_DATE, Worker, parse_worker

if TYPE_CHECKING:
    from paycalc.columns import Columns
    from paycalc.io.columnar import LoadedRoster

__all__ = ["BASELINE", "Forecast", "ForecastError", "ForecastRow", "difference_name", "forecast"]

#: Cohort rows per block: a block is simulated on its own (its own draws), so the block
#: size is part of what a seed reproduces; it bounds a process's memory, not the result's
#: accuracy.
DEFAULT_BLOCK_SIZE = 50_000
TOTALS = ("gross", "deductions", "net", "employer_cost")
#: The scenario without reforms.
BASELINE = "baseline"


@dataclass(frozen=True, slots=True)
class ForecastRow:
    """One figure of the forecast: a month's amount for one key of one dimension.

    ``dimension`` is ``total`` (keys gross, deductions, net, employer_cost), ``component``
    (keys are line codes), ``post`` (gross by post code), the ``by`` columns' names (gross by
    their values), ``cap`` (workers a cap held, and the fen it took off), ``damping`` (on a
    difference: workers whose pay moved but whose employer contributions did not, and by how
    much their gross moved) or ``headcount`` (replications). ``workers`` counts the workers
    the amount covers. ``month`` is ``YYYY-MM``, or ``YYYY`` for a year's total. ``scenario``
    is ``baseline``, a reform's name, or ``NAME vs baseline`` for the difference. With
    replications, ``amount`` and ``workers`` are means and ``stats`` the percentiles
    (:attr:`Forecast.percentiles`), each computed over the replications' own figures.
    """

    month: str
    dimension: str
    key: str
    label: str
    workers: int
    amount: Decimal
    category: str = ""
    scenario: str = BASELINE
    stats: tuple[Decimal, ...] = ()


@dataclass(frozen=True, slots=True)
class ForecastError:
    """A cohort that could not be paid in a month (``workers`` counts its members)."""

    month: str
    worker_id: str
    workers: int
    location: str
    reason: str
    scenario: str = BASELINE
    replication: int | None = None


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
    #: worker-months paid (baseline; with replications, over all of them), and cohort-months
    #: computed over every scenario
    worker_months: int = 0
    computed: int = 0
    #: the scenarios: the baseline first, then each reform's name
    scenarios: list[str] = field(default_factory=lambda: [BASELINE])
    replications: int | None = None
    seed: int = 0
    percentiles: tuple[Decimal, ...] = ()
    #: the blocks of cohort rows the roster was cut into (and one for new hires)
    blocks: int = 0
    #: what reforms left alone ("… not scaled: …")
    notes: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[ForecastRow]:
        return iter(self.rows)

    def select(
        self, dimension: str, key: str | None = None, scenario: str = BASELINE
    ) -> list[ForecastRow]:
        """The monthly rows of one dimension (and key) of one scenario."""
        return [
            r
            for r in self.rows
            if r.dimension == dimension
            and (key is None or r.key == key)
            and r.scenario == scenario
            and len(r.month) == 7
        ]

    def yearly(
        self, key: str = "employer_cost", scenario: str = BASELINE, dimension: str = "total"
    ) -> list[ForecastRow]:
        """The year rows of a total (``month`` is the year)."""
        return [
            r
            for r in self.rows
            if r.dimension == dimension and r.key == key and r.scenario == scenario
            and len(r.month) == 4
        ]  # fmt: skip

    def total(self, key: str = "employer_cost", scenario: str = BASELINE) -> Decimal:
        """The horizon's total of a ``total`` key (employer cost by default; with
        replications, the sum of the monthly means)."""
        return sum((row.amount for row in self.select("total", key, scenario)), ZERO)

    def difference(self, reform: str, key: str = "employer_cost") -> Decimal:
        """What a reform changes over the horizon (``reform`` − baseline) of a total."""
        return self.total(key, difference_name(reform))

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows as dicts (amounts ``Decimal``); with replications, one key per percentile."""
        from paycalc.forecasting.frames import row_dicts

        return row_dicts(self, money="decimal")

    def to_dataframe(self, money: str = "float", library: str = "pandas") -> Any:
        """The rows as a pandas (or ``library="polars"``) DataFrame.

        ``money="float"`` gives amounts in yuan as float64 columns (for charts and pivots);
        ``money="fen"`` gives exact integer fen as int64 columns (sums stay exact).
        Never ``Decimal`` objects.
        """
        from paycalc.forecasting.frames import to_frame

        return to_frame(self, money=money, library=library)

    def to_polars(self, money: str = "float") -> Any:
        """The rows as a polars DataFrame (see :meth:`to_dataframe`)."""
        return self.to_dataframe(money, library="polars")

    def _repr_html_(self) -> str:
        from paycalc.forecasting.frames import summary_html

        return summary_html(self)


def difference_name(reform: str) -> str:
    """The scenario name of a reform's difference rows."""
    return f"{reform} vs {BASELINE}"


RosterInput: TypeAlias = (
    "str | Path | Roster | Folded | LoadedRoster | Iterable[RosterRecord | Worker]"
)


def _loaded(
    roster: RosterInput, start: Month, registry: SchemeRegistry, by: Sequence[str] | None
) -> LoadedRoster:
    """The roster as cohort columns: a file read by :func:`paycalc.io.columnar.read_cohorts`
    (no ``Worker`` per row), workers in memory folded by :func:`fold_records`."""
    from paycalc.io.columnar import LoadedRoster, read_cohorts

    if isinstance(roster, LoadedRoster):
        return roster  # already read (benchmarks, or a roster read once for several runs)
    if isinstance(roster, str | Path):
        try:
            return read_cohorts(roster, start, schemes=registry, by=by)
        except ValueError as error:
            raise InputError([Problem(str(roster), "", str(error))]) from None
    if isinstance(roster, Folded):
        folded = roster  # already folded
    else:
        folded = fold_records(roster, start, by=by)
        if isinstance(roster, Roster):
            folded.file_problems = list(roster.file_problems)
    return _from_folded(folded)


def _from_folded(folded: Folded) -> LoadedRoster:
    import numpy as np

    from paycalc.columns import from_workers
    from paycalc.io.columnar import LoadedRoster

    names: dict[str, int] = {}
    groups = [names.setdefault(cohort.group, len(names)) for cohort in folded.cohorts]
    return LoadedRoster(
        from_workers([cohort.worker for cohort in folded.cohorts]),
        np.array([cohort.count for cohort in folded.cohorts], dtype=np.int64),
        np.array(groups, dtype=np.int32),
        list(names),
        folded.rows_in,
        folded.errors,
        [p for p in folded.file_problems if isinstance(p, Problem)],
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
    by: str | Sequence[str] | None = None,
    contributions: ContributionTables | None = None,
    reforms: Mapping[str, Reform | Sequence[Reform]] | None = None,
    replications: int | None = None,
    seed: int | None = None,
    percentiles: Sequence[int | str | Decimal] = (5, 50, 95),
    dask: str | None = None,
    block_size: int = DEFAULT_BLOCK_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> Forecast:
    """Forecast ``roster``'s pay for ``months`` months from ``start``.

    ``roster`` is a roster file (read as cohort columns: :func:`paycalc.io.columnar.read_cohorts`),
    a :class:`~paycalc.io.Roster`, or workers.
    ``scheme`` names the family for workers naming none; ``by`` a roster column (or worker
    field), or several, to total by; ``contributions`` replaces the bundled 五险一金 tables.
    ``reforms`` maps scenario names to a reform (or several, applied in order): every
    scenario is paid on the same simulated path as the baseline, and the rows carry each
    scenario and each difference. ``replications`` runs that many paths, each drawing the
    assumptions' uncertain figures and its own hires, leavers, promotions and appraisals
    from ``seed`` (default: the assumptions' seed) and its index; rows then hold the mean
    and ``percentiles``. ``dask`` (``"local"`` or a scheduler address) computes the blocks
    × replications on a Dask cluster, with the same result to the fen. Rows that cannot be
    read are in ``roster_errors``; cohorts that cannot be paid in a month, in ``errors``.
    """
    from paycalc.forecasting.runner import run

    if months < 1:
        raise ValueError("months must be at least 1")
    if replications is not None and not 1 <= replications <= 100_000:
        raise ValueError("replications must be from 1 to 100,000")
    if block_size < 1:
        raise ValueError("block_size must be at least 1")
    start = start if isinstance(start, Month) else Month.parse(start)
    assumptions = assumptions or Assumptions()
    registry = resolve_registry(schemes, include_drafts=include_drafts)
    scenarios = _scenarios(registry, reforms)
    names = _by_names(by)
    loaded = _loaded(roster, start, registry, names or None)
    result = Forecast(
        start,
        months,
        roster_errors=loaded.errors,
        file_problems=list(loaded.file_problems),
        rows_in=loaded.rows_in,
        workers_in=loaded.workers,
        cohorts=loaded.cohorts,
        by=",".join(names) or None,
        scenarios=[name for name, _ in scenarios],
        replications=replications,
        seed=assumptions.seed if seed is None else seed,
        percentiles=tuple(_percent(p) for p in percentiles) if replications else (),
        notes=[note for reform in _all_reforms(reforms) for note in reform.notes],
    )
    if assumptions.given_grades == "derive":
        _derive_grades(loaded.columns, registry, scheme)
    run(
        result,
        loaded,
        scenarios,
        assumptions,
        scheme=scheme,
        tables=contributions if contributions is not None else default_contribution_tables(),
        template=_template(assumptions, scheme),
        hire_groups=_hire_groups(assumptions, names),
        dask=dask,
        block_size=block_size,
        progress=progress,
    )
    return result


def _by_names(by: str | Sequence[str] | None) -> list[str]:
    if not by:
        return []
    names = [part.strip() for part in by.split(",")] if isinstance(by, str) else list(by)
    return [name for name in names if name]


def _percent(value: int | str | Decimal) -> Decimal:
    number = Decimal(str(value))
    if not 0 <= number <= 100:
        raise ValueError(f"a percentile is from 0 to 100, got {value}")
    return number


def _all_reforms(reforms: Mapping[str, Reform | Sequence[Reform]] | None) -> list[Reform]:
    found: list[Reform] = []
    for chosen in (reforms or {}).values():
        found += [chosen] if isinstance(chosen, Reform) else list(chosen)
    return found


def _scenarios(
    registry: SchemeRegistry, reforms: Mapping[str, Reform | Sequence[Reform]] | None
) -> list[tuple[str, SchemeRegistry]]:
    from paycalc.reforms import reformed_registry

    scenarios = [(BASELINE, registry)]
    problems: list[Problem] = []
    for name, chosen in (reforms or {}).items():
        if name == BASELINE or " vs " in name or not name.strip():
            problems.append(Problem("reforms", name, "a scenario name other than 'baseline' and without ' vs '"))
            continue
        try:
            scenarios.append((name, reformed_registry(registry, chosen)))
        except SchemeError as error:
            problems += error.problems
    if problems:
        raise SchemeError(problems)
    return scenarios


def _hire_groups(assumptions: Assumptions, by: list[str]) -> tuple[tuple[str, Decimal], ...]:
    """The groups new hires join (the ``by`` columns' values) and the share of each."""
    from paycalc.io.columns import classify_header

    if not by:
        return (("new hires", Decimal(1)),)
    hiring = assumptions.hiring
    parts: list[list[tuple[str, Decimal]]] = []
    for name in by:
        given = hiring.columns.get(name)
        spec = classify_header(name)
        field_name = spec.key if spec is not None and spec.kind == "field" else name
        if isinstance(given, dict):
            parts.append([(value, share) for value, share in given.items() if share])
        elif given is not None:
            parts.append([(given, Decimal(1))])
        elif field_name in hiring.template:
            parts.append([(str(hiring.template[field_name]), Decimal(1))])
        else:
            parts.append([("new hires", Decimal(1))])
    groups: list[tuple[str, Decimal]] = [("", Decimal(1))]
    for options in parts:
        groups = [
            (f"{group}{GROUP_SEPARATOR}{value}" if group else value, share * part)
            for group, share in groups
            for value, part in options
        ]
    return tuple(groups)


def _derive_grades(columns: Columns, registry: SchemeRegistry, scheme: str | None) -> None:
    """Drop the given grades of rows whose family derives every grade (in place; a row's
    worker, when explained, without its grade too)."""
    import numpy as np

    codes, families = columns.coded["family"]
    derives = np.array([_derives(f or scheme, registry) for f in families] or [False])
    drop = derives[codes] & (columns.grade_given != 0)
    if not drop.any():
        return
    columns.grade_given = np.where(drop, 0, columns.grade_given)
    if columns.worker_of is not None:
        columns.worker_of = _Derived(columns.worker_of, registry, scheme)


class _Derived:
    """The worker of a row without its given grade where its family derives grades."""

    __slots__ = ("registry", "scheme", "source")

    def __init__(
        self, source: Callable[[int], Worker], registry: SchemeRegistry, scheme: str | None
    ) -> None:
        self.source, self.registry, self.scheme = source, registry, scheme

    def __call__(self, row: int) -> Worker:
        return _derived(self.source(row), self.registry, self.scheme)


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

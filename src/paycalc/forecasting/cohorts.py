"""Folding a roster into cohorts: workers whose pay is the same in every forecast month.

:func:`fold_records` folds workers already in memory by their validated values.
:func:`fold_roster_file` is the row reader's fold of a roster file (every row read and
checked by :func:`paycalc.io.roster.parse_table`, then folded by pay profile as
:mod:`paycalc.io.profiles` says): the reference :func:`paycalc.io.columnar.read_cohorts`
agrees with, cohort for cohort and error for error. Forecasts read files with the latter.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from paycalc.batch import profile_key
from paycalc.io.profiles import GROUP_SEPARATOR, by_names, fold_rows, hire_key
from paycalc.io.roster import RosterRecord, RowError, parse_table, row_checks
from paycalc.io.tables import read_table
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry
from paycalc.worker import Worker

__all__ = [
    "GROUP_SEPARATOR",
    "Cohort",
    "Folded",
    "fold_records",
    "fold_roster_file",
    "hire_key",
]


@dataclass(slots=True)
class Cohort:
    """``count`` workers paid like ``worker`` (the first of them in the roster)."""

    worker: Worker
    count: int
    group: str = ""
    _profile: Hashable | None = field(default=None, repr=False)

    @property
    def profile(self) -> Hashable:
        if self._profile is None:
            self._profile = profile_key(self.worker)
        return self._profile

    def with_worker(self, worker: Worker, count: int) -> Cohort:
        return Cohort(worker, count, self.group)


@dataclass(slots=True)
class Folded:
    cohorts: list[Cohort]
    rows_in: int
    errors: list[RowError]
    file_problems: list[object] = field(default_factory=list)

    @property
    def workers(self) -> int:
        return sum(cohort.count for cohort in self.cohorts)


def fold_records(
    records: Iterable[RosterRecord | Worker],
    start: Month,
    *,
    by: str | Sequence[str] | None = None,
) -> Folded:
    """Fold validated workers (or roster records) into cohorts."""
    cohorts: dict[Hashable, Cohort] = {}
    errors: list[RowError] = []
    rows = 0
    for item in records:
        rows += 1
        record = item if isinstance(item, RosterRecord) else None
        worker = item.worker if isinstance(item, RosterRecord) else item
        if worker is None:
            assert record is not None
            errors += record.errors or [record.error("", "invalid row")]
            continue
        group = GROUP_SEPARATOR.join(
            (record.info.get(name, "") if record is not None else "")
            or str(getattr(worker, name, "") or "")
            for name in by_names(by)
        )
        key = (profile_key(worker), hire_key(worker.hired_on, start), worker.left_on, group)
        cohort = cohorts.get(key)
        if cohort is None:
            cohorts[key] = Cohort(worker, 1, group)
        else:
            cohort.count += 1
    return Folded(list(cohorts.values()), rows, errors)


def fold_roster_file(
    path: str,
    start: Month,
    *,
    schemes: SchemeRegistry | None = None,
    by: str | Sequence[str] | None = None,
) -> Folded:
    """The row reader's fold of a roster file; bad rows are its :class:`RowError` values.

    Every row is read and validated (memory grows with the rows): the reference, not the
    fast path. ``by`` is a column or several (a group's name joins their values with
    :data:`GROUP_SEPARATOR`). Raises ``ValueError`` when ``by`` names no column.
    """
    table = read_table(path)
    roster = parse_table(table, schemes=schemes)
    fold = fold_rows(table, roster, row_checks(table, schemes).specs, start, by)
    cohorts = []
    for first, count, group in zip(fold.firsts, fold.counts, fold.groups, strict=True):
        worker = roster.records[first].worker
        assert worker is not None
        cohorts.append(Cohort(worker, count, group))
    return Folded(cohorts, len(roster.records), roster.errors, list(roster.file_problems))

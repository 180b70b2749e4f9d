"""Folding a roster into cohorts: workers whose pay is the same in every forecast month.

Two rows fold together when everything but the id, the name and the exact hire day is
equal, and the hire dates are equivalent over the horizon: hired before the first
forecast month in the same year and month and both on the 1st or both later (service is
then the same in every later month), or hired on the very same day. A 1,000,000-row CSV
roster is folded as it streams, validating one row per distinct profile, so memory grows
with the profiles, not the rows.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from paycalc.batch import profile_key
from paycalc.io.cells import Cell, is_blank, parse_date, text_of
from paycalc.io.columns import ColumnSpec, classify_header
from paycalc.io.roster import RosterRecord, RowError, _RowBuilder, _scheme_inputs, _validate
from paycalc.io.tables import open_table
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

#: Column kinds that never change pay (carried for reports only). Identity columns do not
#: either, but their cells are checked (an ID's check digit), so each value is seen.
_NOT_PAY = frozenset({"info"})


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


def hire_key(hired_on: date, start: Month) -> Hashable:
    """Hire dates that give the same service in every month from ``start`` on share a key.

    Hires of the start's year or the year before keep their exact date: a slip may depend on
    earlier months (income tax over the year, last year's wage as contribution base), and
    the first month's proration differs with the day.
    """
    if Month.of(hired_on) < start and hired_on.year < start.year - 1:
        return (hired_on.year, hired_on.month, hired_on.day == 1)
    return hired_on


#: Between the values of several ``by`` columns in a group's name (``东城街道|正职``).
GROUP_SEPARATOR = "|"


def _by_names(by: str | Sequence[str] | None) -> list[str]:
    if not by:
        return []
    return [by] if isinstance(by, str) else list(by)


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
            for name in _by_names(by)
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
    """Fold a roster file into cohorts as it streams; bad rows become :class:`RowError`."""
    stream = open_table(path)
    scheme_inputs, input_types = _scheme_inputs(schemes)
    specs: list[ColumnSpec | None] = [classify_header(h, scheme_inputs) for h in stream.headers]
    index = {
        spec.key: position
        for position, spec in enumerate(specs)
        if spec is not None and spec.kind == "field"
    }
    id_at, name_at = index.get("id"), index.get("name")
    hired_at, left_at = index.get("hired_on"), index.get("left_on")
    by_at = [_by_column(stream.headers, specs, name) for name in _by_names(by)]
    apart = {id_at, name_at, hired_at, left_at}
    # The pay profile: every column that can change pay. Descriptive columns (街道, x_…)
    # never do, so they do not split cohorts (the ``by`` column is a key of its own).
    profile_at = [
        i
        for i, spec in enumerate(specs)
        if spec is not None and spec.kind not in _NOT_PAY and i not in apart
    ]
    dates: dict[Cell, date | None] = {}
    cohorts: dict[Hashable, Cohort] = {}
    invalid: dict[Hashable, list[tuple[str, str]]] = {}
    seen_ids: set[str] = set()
    errors: list[RowError] = []
    rows = 0
    for number, cells in stream.rows:
        rows += 1
        worker_id = text_of(cells[id_at]) if id_at is not None else ""
        if worker_id in seen_ids:
            errors.append(
                RowError(path, number, worker_id, stream.headers[id_at or 0], "duplicate worker id")
            )
            continue
        seen_ids.add(worker_id)
        hired = _date(cells[hired_at], dates) if hired_at is not None else None
        left = _date(cells[left_at], dates) if left_at is not None else None
        if hired is None or (left_at is not None and left is None and not is_blank(cells[left_at])):
            errors += _row_errors(
                path, number, worker_id, stream.headers, specs, cells, input_types
            )
            continue
        group = GROUP_SEPARATOR.join(text_of(cells[at]) for at in by_at)
        key = (
            tuple(text_of(cells[i]) for i in profile_at),
            hire_key(hired, start),
            left,
            group,
        )
        cohort = cohorts.get(key)
        if cohort is not None:
            cohort.count += 1
            continue
        if key in invalid:
            errors += [RowError(path, number, worker_id, c, r) for c, r in invalid[key]]
            continue
        builder = _build(path, number, stream.headers, specs, cells, input_types)
        worker, found = _validate(builder, None)
        found = builder.errors + found
        if worker is None or found:
            invalid[key] = found
            errors += [RowError(path, number, worker_id, c, r) for c, r in found]
            continue
        cohorts[key] = Cohort(worker, 1, group)
    folded = Folded(list(cohorts.values()), rows, errors)
    folded.file_problems = list(stream.problems)
    return folded


def _by_column(headers: list[str], specs: list[ColumnSpec | None], by: str) -> int:
    for position, header in enumerate(headers):
        spec = specs[position]
        if header == by or (spec is not None and spec.key == by):
            return position
    raise ValueError(f"no column {by!r} in the roster (columns: {', '.join(headers)})")


def _date(value: Cell, cache: dict[Cell, date | None]) -> date | None:
    if isinstance(value, str | date | type(None)) and value in cache:
        return cache[value]
    try:
        parsed: date | None = parse_date(value)
    except ValueError:
        parsed = None
    if isinstance(value, str | date | type(None)):
        cache[value] = parsed
    return parsed


def _build(
    source: str,
    number: int,
    headers: list[str],
    specs: list[ColumnSpec | None],
    cells: list[Cell],
    input_types: dict[str, str],
) -> _RowBuilder:
    builder = _RowBuilder(source, number, input_types)
    for header, spec, value in zip(headers, specs, cells, strict=False):
        if spec is not None:
            builder.cell(spec, header, value)
    builder.finish()
    return builder


def _row_errors(
    source: str,
    number: int,
    worker_id: str,
    headers: list[str],
    specs: list[ColumnSpec | None],
    cells: list[Cell],
    input_types: dict[str, str],
) -> list[RowError]:
    builder = _build(source, number, headers, specs, cells, input_types)
    _, found = _validate(builder, None)
    return [RowError(source, number, worker_id, c, r) for c, r in builder.errors + found] or [
        RowError(source, number, worker_id, "", "invalid row")
    ]

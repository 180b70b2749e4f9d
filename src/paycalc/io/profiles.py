"""Which roster rows a forecast may pay as one: the pay profile, and the row reader's fold.

Two rows fold into one cohort when every column that can change pay reads the same text
(descriptive and identity columns never change pay; id, name and the employment dates are
keyed apart), their hire dates give the same service in every forecast month
(:func:`hire_key`), they leave on the same day, and they fall in the same ``by`` group (the
values of the ``by`` columns, joined by :data:`GROUP_SEPARATOR`).
:func:`fold_rows` folds the row reader's records by that key — the reference every faster
reader (:mod:`paycalc.io.columnar`) must agree with, cohort for cohort.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from paycalc.io.cells import text_of
from paycalc.io.columns import ColumnSpec
from paycalc.io.roster import Roster
from paycalc.io.tables import Table
from paycalc.period import Month

__all__ = [
    "GROUP_SEPARATOR",
    "Fold",
    "by_columns",
    "by_names",
    "fold_rows",
    "hire_key",
    "profile_columns",
]

#: Column kinds that never change pay: carried for reports (info) or checked and passed
#: through to bank and tax files (identity).
NOT_PAY = frozenset({"info", "identity"})
#: Worker fields keyed apart from the profile (the dates by :func:`hire_key`).
APART = frozenset({"id", "name", "hired_on", "left_on"})
#: Between the values of several ``by`` columns in a group's name (``东城街道|正职``).
GROUP_SEPARATOR = "|"


def hire_key(hired_on: date, start: Month) -> Hashable:
    """Hire dates that give the same service in every month from ``start`` on share a key.

    Hires of the start's year or the year before keep their exact date: a slip may depend on
    earlier months (income tax over the year, last year's wage as contribution base), and
    the first month's proration differs with the day.
    """
    if Month.of(hired_on) < start and hired_on.year < start.year - 1:
        return (hired_on.year, hired_on.month, hired_on.day == 1)
    return hired_on


def profile_columns(specs: Sequence[ColumnSpec | None]) -> list[int]:
    """Positions of the columns that can change pay (the pay profile), in file order."""
    return [
        position
        for position, spec in enumerate(specs)
        if spec is not None
        and spec.kind not in NOT_PAY
        and not (spec.kind == "field" and spec.key in APART)
    ]


def by_names(by: str | Sequence[str] | None) -> list[str]:
    """The ``by`` columns asked for: one name, or several (none when ``by`` is empty)."""
    if not by:
        return []
    return [by] if isinstance(by, str) else list(by)


def by_columns(
    headers: Sequence[str], specs: Sequence[ColumnSpec | None], by: str | Sequence[str] | None
) -> list[int]:
    """The positions of the ``by`` columns (each by header as written, or by field name).

    Raises ``ValueError`` for a name no column has.
    """
    found = []
    for name in by_names(by):
        for position, header in enumerate(headers):
            spec = specs[position]
            if header == name or (spec is not None and spec.key == name):
                found.append(position)
                break
        else:
            raise ValueError(f"no column {name!r} in the roster (columns: {', '.join(headers)})")
    return found


@dataclass(slots=True)
class Fold:
    """Cohorts in order of first appearance: each one's first record, size and group."""

    firsts: list[int]
    counts: list[int]
    groups: list[str]


def fold_rows(
    table: Table,
    roster: Roster,
    specs: Mapping[str, ColumnSpec],
    start: Month,
    by: str | Sequence[str] | None = None,
) -> Fold:
    """Fold the valid records of ``roster`` (read from ``table``) into cohorts.

    ``specs`` says what each header feeds (:attr:`paycalc.io.roster.RowChecks.specs`).
    ``by`` is a column or several. Raises ``ValueError`` when ``by`` names no column.
    """
    headers = table.headers
    listed = [specs.get(header) for header in headers]
    profile = [headers[position] for position in profile_columns(listed)]
    by_headers = [headers[at] for at in by_columns(headers, listed, by)] if headers else []
    found: dict[Hashable, int] = {}
    fold = Fold([], [], [])
    for index, ((_, cells), record) in enumerate(zip(table.rows, roster.records, strict=True)):
        worker = record.worker
        if worker is None:
            continue
        group = GROUP_SEPARATOR.join(text_of(cells.get(header)) for header in by_headers)
        key = (
            tuple(text_of(cells.get(header)) for header in profile),
            hire_key(worker.hired_on, start),
            worker.left_on,
            group,
        )
        cohort = found.get(key)
        if cohort is None:
            found[key] = len(fold.firsts)
            fold.firsts.append(index)
            fold.counts.append(1)
            fold.groups.append(group)
        else:
            fold.counts[cohort] += 1
    return fold

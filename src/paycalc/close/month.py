"""Closing a month: roster (+ declarations, + year to date) in, the register out.

:func:`close_month` is what ``paycalc run`` does before writing: read the roster, put a
linked declarations file on it, read the previous register or year-to-date file, pay every
row (each worker's tax continuing from the figures given), and build the register, which
the other outputs (slips, bank file, tax file) are made from.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from paycalc.batch import RunResult, run_roster
from paycalc.close.declarations import apply_declarations
from paycalc.close.register import Headers, Register, build_register
from paycalc.close.ytd import YearToDateFile, read_ytd, ytd_from_mapping
from paycalc.contributions import ContributionTables
from paycalc.errors import InputError
from paycalc.io.columns import classify_header
from paycalc.io.roster import Roster, RowError, read_roster
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry, default_registry
from paycalc.tax import YearToDate
from paycalc.withholding import TaxState

__all__ = ["MonthClose", "close_month"]

#: Identity columns whose numbers must stay text in a spreadsheet.
_NUMBER_TEXT = frozenset({"id_number", "bank_account", "phone"})


@dataclass(slots=True)
class MonthClose:
    """A closed month: the register and what it was made from."""

    register: Register
    roster: Roster
    result: RunResult
    ytd: YearToDateFile | None = None
    notes: list[str] = field(default_factory=list)


def _sha256(path: str | Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def _refuse(roster: Roster, refused: Mapping[str, str]) -> Roster:
    """Fail the rows of workers whose year-to-date figures cannot be used."""
    if not refused:
        return roster
    records = []
    for record in roster.records:
        reason = refused.get(record.worker_id)
        if reason is None or record.worker is None:
            records.append(record)
            continue
        error = RowError(record.source, record.row, record.worker_id, "--ytd", reason)
        records.append(dataclasses.replace(record, worker=None, errors=(*record.errors, error)))
    return dataclasses.replace(roster, records=records)


def close_month(
    roster: str | Path | Roster,
    month: Month | str,
    *,
    schemes: SchemeRegistry | None = None,
    scheme: str | None = None,
    as_of: date | None = None,
    contributions: ContributionTables | None = None,
    ytd: str | Path | YearToDateFile | Mapping[str, YearToDate | TaxState] | None = None,
    declarations: str | Path | None = None,
    headers: Headers = "labels",
    fast: bool = True,
    progress: Callable[[int], None] | None = None,
    today: date | None = None,
    jobs: int = 1,
) -> MonthClose:
    """Pay ``roster`` for ``month`` and build its register.

    ``ytd`` is the previous month's register, a year-to-date file (paths), or figures by
    worker id; without it, taxed workers have the year recomputed and the register's notes
    say so. ``declarations`` is a file of income tax declarations keyed by 工号. ``jobs`` is
    how many processes pay the rows (see :func:`paycalc.batch.run_roster`). Raises
    :class:`InputError` when a year-to-date or declarations file cannot be used at all.
    """
    month = month if isinstance(month, Month) else Month.parse(month)
    registry = schemes if schemes is not None else default_registry()
    sources: list[tuple[str, str, str]] = []
    if not isinstance(roster, Roster):
        sources.append(("花名册 Roster", str(roster), _sha256(roster)))
        roster = read_roster(roster, schemes=registry, today=today)
    notes: list[str] = []
    if declarations is not None:
        roster, declared = apply_declarations(roster, declarations, today=today)
        notes += declared
        sources.append(("专项附加扣除 Declarations", str(declarations), _sha256(declarations)))
    found: YearToDateFile | None
    if ytd is None or isinstance(ytd, YearToDateFile):
        found = ytd
    elif isinstance(ytd, str | Path):
        found = read_ytd(ytd, month)
        sources.append(("上月累计 Year to date", str(ytd), found.sha256))
    else:
        found = ytd_from_mapping(ytd, month)
    if found is not None:
        if found.problems and not found.entries:
            raise InputError(found.problems)
        roster = _refuse(roster, found.refused)
    result = run_roster(
        roster,
        month,
        schemes=registry,
        scheme=scheme,
        as_of=as_of,
        fast=fast,
        progress=progress,
        file_problems=roster.file_problems + (found.problems if found is not None else []),
        contributions=contributions,
        ytd=found.states() if found is not None else None,
        jobs=jobs,
    )
    identity = {}
    for header in roster.passthrough:
        spec = classify_header(header)
        if spec is not None and spec.kind == "identity" and spec.key in _NUMBER_TEXT:
            identity[header] = spec.key
    register = build_register(
        result,
        registry=registry,
        passthrough=roster.passthrough,
        headers=headers,
        ytd=found,
        contributions=contributions,
        as_of=as_of,
        identity_columns=identity,
    )
    register.notes[:0] = notes
    register.sources = sources
    return MonthClose(register, roster, result, found, notes)

"""A declarations file linked to a roster by 工号: income tax declarations kept apart.

Offices often keep the special additional deductions (专项附加扣除) workers declare in a file of
their own, one row per worker: 工号 and the same declaration columns a roster accepts
(子女教育, 子女扣除比例, 赡养老人, 赡养老人分摊额, 住房贷款利息, 住房租金, 学历继续教育, …; see
docs/roster-format.md). :func:`apply_declarations` puts them on the roster's workers with the
same checks as worker JSON. A declaration given both on the roster and in the file, or twice
in the file, fails that worker's row; rows for workers not on the roster are noted.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from paycalc._validation import _describe as describe_validation_error
from paycalc._validation import key_path
from paycalc.errors import InputError
from paycalc.io.roster import Roster, RosterRecord, RowError, declaration_rows
from paycalc.io.tables import read_table
from paycalc.worker import Worker

__all__ = ["apply_declarations"]


def _failed(record: RosterRecord, field: str, reason: str) -> RosterRecord:
    error = RowError(record.source, record.row, record.worker_id, field, reason)
    return dataclasses.replace(record, worker=None, errors=(*record.errors, error))


def apply_declarations(
    roster: Roster, path: str | Path, *, today: date | None = None
) -> tuple[Roster, list[str]]:
    """The roster with each worker's declarations from ``path``, and notes to say once.

    Raises :class:`InputError` when the file itself cannot be used (unreadable, no 工号
    column, a column that is not a declaration).
    """
    table = read_table(path)
    rows, problems = declaration_rows(table)
    if problems:
        raise InputError(problems)
    source = table.source
    by_id: dict[str, tuple[int, dict[str, object], dict[str, str], list[tuple[str, str]]]] = {}
    twice: dict[str, list[int]] = {}
    for number, worker_id, tax, origin, errors in rows:
        if worker_id in by_id:
            twice.setdefault(worker_id, [by_id[worker_id][0]]).append(number)
        by_id.setdefault(worker_id, (number, tax, origin, errors))
    records = []
    used: set[str] = set()
    for record in roster.records:
        found = by_id.get(record.worker_id)
        if record.worker is None or found is None:
            records.append(record)
            continue
        used.add(record.worker_id)
        number, tax, origin, errors = found
        where = f"{source} row {number}"
        if record.worker_id in twice:
            rows_text = ", ".join(str(n) for n in twice[record.worker_id])
            records.append(_failed(record, source, f"declared twice in {source} (rows {rows_text})"))
            continue
        if errors:
            column, reason = errors[0]
            records.append(_failed(record, f"{where}, column {column}", reason))
            continue
        on_roster = sorted(set(tax) & set(record.worker.tax.model_fields_set))
        if on_roster:
            records.append(
                _failed(
                    record,
                    f"{where}",
                    f"{', '.join(on_roster)} declared both on the roster and in {source}",
                )
            )
            continue
        data = record.worker.model_dump(exclude_unset=True)
        data["tax"] = {**record.worker.tax.model_dump(exclude_unset=True), **tax}
        try:
            worker = Worker.model_validate(data, context={"today": today})
        except ValidationError as error:
            item = error.errors(include_url=False)[0]
            location = key_path(item["loc"])
            column = origin.get(location, location)
            records.append(
                _failed(record, f"{where}, column {column}", describe_validation_error(dict(item)))
            )
            continue
        merged_origin = {**record.origin, **{k: f"{source}: {v}" for k, v in origin.items()}}
        records.append(dataclasses.replace(record, worker=worker, origin=merged_origin))
    notes = []
    unknown = [worker_id for worker_id in by_id if worker_id not in used]
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        notes.append(f"{source}: declarations for {len(unknown)} worker(s) not paid this month: {shown}")
    return dataclasses.replace(roster, records=records), notes

"""A sample of a roster for the line-by-line check, favouring part months.

It takes the first ``size`` rows of the roster's first ``scan`` rows, except that rows
hired or leaving mid-month in the months checked fill up to a quarter of it.
"""

from __future__ import annotations

import calendar
import csv
from datetime import date
from pathlib import Path

__all__ = ["sample_roster"]


def _has_part_month(row: dict[str, str], months: list[str]) -> bool:
    for month in months:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
        last = date(year, number, calendar.monthrange(year, number)[1])
        hired = date.fromisoformat(row["入职日期"])
        left = date.fromisoformat(row["离职日期"]) if row["离职日期"] else None
        if first < hired <= last or (left is not None and first <= left < last):
            return True
    return False


def sample_roster(
    roster: Path, out: Path, months: list[str], size: int = 2000, scan: int = 40_000
) -> Path:
    """Write ``size`` rows of ``roster`` to ``out`` (file order), part months favoured."""
    with roster.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or ())
        rows = [row for _, row in zip(range(scan), reader, strict=False)]
    part = [i for i, row in enumerate(rows) if _has_part_month(row, months)][: size // 4]
    chosen = set(part)
    for i in range(len(rows)):
        if len(chosen) >= size:
            break
        chosen.add(i)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows[i] for i in sorted(chosen))
    return out

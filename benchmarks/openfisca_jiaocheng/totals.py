"""Monthly totals in integer fen, the same shape for every system compared.

``{month: {"workers": paid headcount, "gross": fen,
           "lines": {line code: [workers with the line, fen]}}}`` — JSON as it is.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Totals", "add_month", "differences", "months_from"]

Totals = dict[str, dict[str, Any]]


def add_month(totals: Totals, month: str, paid: np.ndarray, lines: dict[str, np.ndarray]) -> None:
    """Add one month from per-worker arrays (fen) and the mask of workers paid."""
    line_sums = {}
    gross = 0
    for code, fen in lines.items():
        fen = np.asarray(fen, dtype=np.int64)
        amount = int(fen.sum())
        gross += amount
        line_sums[code] = [int(np.count_nonzero(fen)), amount]
    totals[month] = {"workers": int(np.count_nonzero(paid)), "gross": gross, "lines": line_sums}


def differences(expected: Totals, found: Totals) -> list[str]:
    """Every figure that differs (lines with no workers and no amount count as absent)."""

    def lines(month: dict[str, Any]) -> dict[str, list[int]]:
        return {code: v for code, v in month["lines"].items() if v != [0, 0]}

    problems = []
    for month in sorted(set(expected) | set(found)):
        a, b = expected.get(month), found.get(month)
        if a is None or b is None:
            problems.append(f"{month}: only in {'the second' if a is None else 'the first'}")
            continue
        for key in ("workers", "gross"):
            if a[key] != b[key]:
                problems.append(f"{month} {key}: {a[key]} != {b[key]}")
        if lines(a) != lines(b):
            problems.append(f"{month} lines: {lines(a)} != {lines(b)}")
    return problems


def months_from(start: str, count: int) -> list[str]:
    """``count`` months from ``start`` (``YYYY-MM``), as ``YYYY-MM`` texts."""
    year, month = (int(part) for part in start.split("-"))
    index = year * 12 + month - 1
    return [f"{(index + i) // 12}-{(index + i) % 12 + 1:02d}" for i in range(count)]

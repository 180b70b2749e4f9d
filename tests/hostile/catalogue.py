"""The hostile-input catalogue: attacks on paycalc, each with the exact outcome it must have.

Every module in ``tests/hostile`` lists its cases as :class:`Hostile` values and runs each
through one test, so the catalogue can be counted by area and outcome
(``python -m tests.hostile.catalogue``), and ``docs/reliability.md`` quotes those counts.

Outcomes:

- ``error``   refused with a :class:`~paycalc.PaycalcError` (CLI: exit 1) whose problems name
              the file, row or key and say what is wrong; other rows still paid;
- ``usage``   refused as a usage error before any work (CLI: exit 2);
- ``amount``  accepted, and paid the amount a hand computation gives;
- ``kept``    accepted, and nothing lost: every row, cell and output accounted for.

Every bug found later adds a case here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

__all__ = ["OUTCOMES", "Hostile", "cases", "count"]

Outcome = Literal["error", "usage", "amount", "kept"]
OUTCOMES: tuple[Outcome, ...] = ("error", "usage", "amount", "kept")


@dataclass(frozen=True)
class Hostile:
    """One attack: ``id`` (unique in its area), what it is, and the outcome it must have.

    ``data`` holds whatever the area's test needs (file bytes, arguments, the expected
    message fragment or amount).
    """

    id: str
    what: str
    outcome: Outcome
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"{self.id}: unknown outcome {self.outcome!r}")


def cases(*hostile: Hostile) -> list[Any]:
    """Parametrize a test over cases, each named by its id; ids must be unique."""
    ids = [case.id for case in hostile]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        raise ValueError(f"duplicate hostile case ids: {sorted(duplicated)}")
    return [pytest.param(case, id=case.id) for case in hostile]


def count() -> Counter[tuple[str, str]]:
    """(area, outcome) -> number of cases, over every ``tests/hostile/test_*.py`` module."""
    import tests.hostile as package

    counts: Counter[tuple[str, str]] = Counter()
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"tests.hostile.{info.name}")
        area = info.name.removeprefix("test_")
        for value in vars(module).values():
            if isinstance(value, list) and value and all(isinstance(v, Hostile) for v in value):
                for case in value:
                    counts[area, case.outcome] += 1
    return counts


if __name__ == "__main__":  # pragma: no cover - a report for docs/reliability.md
    # Run as a script this module is __main__, and its Hostile is not the class the test
    # modules import: count with the imported module's own.
    from tests.hostile.catalogue import count as imported_count

    totals = imported_count()
    areas = sorted({area for area, _ in totals})
    print("| area | " + " | ".join(OUTCOMES) + " | all |")
    print("|---|" + "---|" * (len(OUTCOMES) + 1))
    for area in areas:
        row = [totals[area, outcome] for outcome in OUTCOMES]
        print(f"| {area} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    column = [sum(totals[a, o] for a in areas) for o in OUTCOMES]
    print("| **all** | " + " | ".join(map(str, column)) + f" | {sum(column)} |")

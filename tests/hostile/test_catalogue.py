"""The catalogue itself: ids unique per area, outcomes known (a typo would hide a case)."""

from __future__ import annotations

import pytest

from tests.hostile.catalogue import Hostile, cases, count


def test_a_duplicate_id_is_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        cases(Hostile("a", "x", "error"), Hostile("a", "y", "error"))


def test_an_unknown_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown outcome"):
        Hostile("a", "x", "crash")  # type: ignore[arg-type]


def test_counting_finds_the_cases_of_every_area() -> None:
    totals = count()
    assert all(n > 0 for n in totals.values())

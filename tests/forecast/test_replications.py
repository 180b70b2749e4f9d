"""Uncertainty: replications reproducible from the seed, exact statistics, bands that hold."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from paycalc.forecasting import forecast, parse_assumptions
from paycalc.forecasting.stats import mean_fen, percentile_fen
from paycalc.reforms import load_reform
from tests.conftest import EXAMPLES

DEMO = EXAMPLES / "rosters" / "demo.csv"
KUNMING = EXAMPLES / "rosters" / "kunming-close.csv"

UNCERTAIN = {
    "seed": 11,
    "attrition": {"annual_rate": {"low": Decimal("0.05"), "high": Decimal("0.6")}},
    "appraisals": {
        "distribution": {"优秀": Decimal("0.2"), "称职": Decimal("0.7"), "基本称职": Decimal("0.1")},
        "concentration": 20,
    },
    "hiring": {
        "per_month": {"low": 0, "mode": 1, "high": 4},
        "template": {"scheme": "demo.community-worker", "post": "专职委员",
                     "inputs": {"community_rating": "B"}},
    },
}  # fmt: skip


def test_percentiles_by_hand() -> None:
    # type 7: position (n − 1) × p; [100, 200, 300, 400]: p50 at 1.5 → 250; p5 at 0.15 → 115
    values = [400, 100, 300, 200]
    assert percentile_fen(values, Decimal(50)) == 250
    assert percentile_fen(values, Decimal(5)) == 115
    assert percentile_fen(values, Decimal(100)) == 400
    assert mean_fen([1, 2]) == 2  # 1.5 rounds half up
    assert mean_fen([-1, -2]) == -2  # −1.5: half away from zero


@given(st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=50), st.integers(0, 100))
def test_percentiles_agree_with_numpy_within_a_fen(values: list[int], percent: int) -> None:
    expected = float(np.percentile(np.array(values, dtype=np.float64), percent))
    assert abs(percentile_fen(values, Decimal(percent)) - expected) <= 1 + abs(expected) * 1e-12


def test_replications_are_reproducible_and_the_seed_matters() -> None:
    assumptions = parse_assumptions(UNCERTAIN)
    first = forecast(DEMO, "2024-11", 8, assumptions, replications=6)
    again = forecast(DEMO, "2024-11", 8, assumptions, replications=6)
    other = forecast(DEMO, "2024-11", 8, assumptions, replications=6, seed=12)
    assert first.rows == again.rows
    assert first.rows != other.rows
    assert first.seed == 11 and other.seed == 12


def test_more_replications_keep_the_first_ones() -> None:
    # a replication's draws depend on the seed and its index alone: with 1 replication the
    # band is that replication; with 5 it contains it
    assumptions = parse_assumptions(UNCERTAIN)
    one = forecast(DEMO, "2024-11", 6, assumptions, replications=1)
    five = forecast(DEMO, "2024-11", 6, assumptions, replications=5, percentiles=(0, 100))
    for single, band in zip(one.select("total", "employer_cost"),
                            five.select("total", "employer_cost"), strict=True):  # fmt: skip
        assert band.stats[0] <= single.amount <= band.stats[1]


def test_bands_are_ordered_and_headcount_has_them() -> None:
    assumptions = parse_assumptions(UNCERTAIN)
    result = forecast(DEMO, "2024-11", 14, assumptions, replications=12)
    assert result.percentiles == (Decimal(5), Decimal(50), Decimal(95))
    heads = result.select("headcount", "workers")
    assert len(heads) == 14
    spread = 0
    for row in [*result.select("total", "employer_cost"), *heads]:
        low, middle, high = row.stats
        assert low <= middle <= high
        spread += high > low
    assert spread > 0  # the draws do differ between replications
    years = result.yearly("employer_cost")
    assert [r.month for r in years] == ["2024", "2025"] and all(r.stats for r in years)


def test_differences_are_paired_by_replication() -> None:
    # a reform effective from the start: the difference in each replication is the reform's
    # effect on that replication's roster; with no attrition or hiring the roster is the
    # same in every replication, so the difference's band has no width
    reform = load_reform(EXAMPLES / "reforms" / "kunming-raise-3.toml")
    result = forecast(KUNMING, "2026-01", 2, replications=5, reforms={"raise3": reform})
    for row in result.select("total", "gross", "raise3 vs baseline"):
        assert row.amount == Decimal("363.60") and row.stats == (Decimal("363.60"),) * 3

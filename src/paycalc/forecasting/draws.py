"""What a replication assumes: each uncertain figure of the assumptions drawn, or its mean.

Every draw comes from a numpy generator seeded by the forecast's seed and a *spawn key*
(:func:`generator`): the replication's figures from ``(replication, 0)``, a roster block's
path from ``(replication, 1, block)``. A
replication's draws therefore depend only on the seed and its own indexes — never on how
many processes or machines compute it, nor in which order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from paycalc.facts import APPRAISALS
from paycalc.forecasting.assumptions import Assumptions, Spread, central

__all__ = ["Drawn", "drawn", "generator"]

#: spawn keys: the replication's figures, a roster block's path
FIGURES, BLOCK = 0, 1


def generator(seed: int, *key: int) -> np.random.Generator:
    """The generator of one stream: ``seed`` and the stream's spawn key."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


@dataclass(frozen=True, slots=True)
class Promotion:
    from_post: str
    to_post: str
    rate: Decimal  # the share promoted once a year
    month: int


@dataclass(frozen=True, slots=True)
class Drawn:
    """The figures one replication runs on (exact decimals where counts are carried)."""

    attrition: Decimal  # a month
    hires: Decimal  # a month
    #: an appraisal result for everyone (its index in APPRAISALS), or probabilities by index
    appraisal_result: int | None
    appraisal_shares: tuple[tuple[int, float], ...]
    promotions: tuple[Promotion, ...]


def _exact(value: float) -> Decimal:
    """A drawn float as a decimal of 9 places (a rate or a count; printable, reproducible)."""
    return Decimal(repr(round(value, 9)))


def _draw(figure: Decimal | Spread, rng: np.random.Generator | None, least: float, most: float) -> Decimal:
    if rng is None or not isinstance(figure, Spread):
        return central(figure)
    if figure.mean is not None:
        assert figure.sd is not None
        low = max(least, float(figure.low) if figure.low is not None else least)
        high = min(most, float(figure.high) if figure.high is not None else most)
        for _ in range(1000):  # the normal cut to [low, high], by rejection
            value = rng.normal(float(figure.mean), float(figure.sd))
            if low <= value <= high:
                return _exact(value)
        return _exact(min(max(float(figure.mean), low), high))
    assert figure.low is not None and figure.high is not None
    if figure.mode is not None:
        if figure.low == figure.high:
            return figure.low
        return _exact(rng.triangular(float(figure.low), float(figure.mode), float(figure.high)))
    return _exact(rng.uniform(float(figure.low), float(figure.high)))


def drawn(assumptions: Assumptions, seed: int, replication: int | None) -> Drawn:
    """The figures of ``replication`` (drawn in a fixed order), or the means (None)."""
    rng = generator(seed, replication, FIGURES) if replication is not None else None
    attrition = assumptions.attrition.monthly(lambda figure: _draw(figure, rng, 0.0, 1.0))
    hires = _draw(assumptions.hiring.per_month, rng, 0.0, 1e6)
    row_of = {a: i for i, a in enumerate(APPRAISALS)}
    chosen = assumptions.appraisals
    result = None if chosen.result is None else row_of[chosen.result]
    shares: tuple[tuple[int, float], ...] = ()
    if chosen.distribution is not None:
        outcomes = [row_of[o] for o in chosen.distribution]
        weights = [float(w) for w in chosen.distribution.values()]
        if rng is not None and chosen.concentration is not None:
            alpha = [max(w * float(chosen.concentration), 1e-9) for w in weights]
            weights = [float(w) for w in rng.dirichlet(alpha)]
        shares = tuple(zip(outcomes, weights, strict=True))
    promotions = tuple(
        Promotion(p.from_post, p.to_post, _draw(p.annual_rate, rng, 0.0, 1.0), p.month)
        for p in assumptions.promotions
    )
    return Drawn(attrition, hires, result, shares, promotions)

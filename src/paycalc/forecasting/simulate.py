"""The forecast's simulation on columns: one row per cohort, paid by the columnar engine.

Each month the roster ages (service accrues, so grades and points advance as the scheme
says), loses workers to attrition, gains new hires, is appraised for years that ended, and
is paid under the version in force (:class:`paycalc.columnar.RosterPay`: part months, income
tax over the year and every rule run on the columns). Draws come from one seeded
``random.Random``, in a fixed order, so a forecast is reproducible from its seed:

- attrition: ``rng.sample(range(headcount), leavers)`` positions, mapped onto the cohorts in
  order (a cumulative sum and a binary search);
- appraisals drawn from a distribution: one ``rng.random()`` per worker, cohort after
  cohort, mapped onto the outcomes with the cumulative weights (as ``random.choices``); a
  cohort whose workers draw different results splits into sub-cohorts in order of first
  appearance;
- new hires are appended as a cohort; zero-count cohorts are dropped.

Sums are kept in integer fen and turned into ``Decimal`` yuan for the rows.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from paycalc.columnar import MonthPay, RosterPay
from paycalc.columns import Columns, from_workers
from paycalc.facts import APPRAISALS
from paycalc.forecasting.assumptions import Assumptions
from paycalc.period import Month
from paycalc.worker import Worker

__all__ = ["Cohorts", "simulate"]

I64 = npt.NDArray[np.int64]
TOTALS = ("gross", "deductions", "net", "employer_cost")


@dataclass(slots=True)
class Cohorts:
    """Cohorts as rows: ``counts`` workers per row, ``groups`` (the ``by`` value) per row."""

    pay: RosterPay
    counts: I64
    groups: npt.NDArray[np.int32]
    group_names: list[str]

    @property
    def columns(self) -> Columns:
        return self.pay.columns

    def take(self, rows: npt.NDArray[np.intp]) -> Cohorts:
        return Cohorts(self.pay.take(rows), self.counts[rows], self.groups[rows], self.group_names)

    def append(self, worker: Worker, count: int, group: str) -> Cohorts:
        names = self.group_names
        if group not in names:
            names.append(group)
        return Cohorts(
            self.pay.extend(from_workers([worker])),
            np.concatenate([self.counts, np.array([count], dtype=np.int64)]),
            np.concatenate([self.groups, np.array([names.index(group)], dtype=np.int32)]),
            names,
        )


def _attrition(state: Cohorts, rate: Decimal, carry: Decimal, rng: random.Random) -> Decimal:
    """Remove ``rate`` of the workers (fractions carried to the next month, exactly)."""
    total = int(state.counts.sum())
    owed = carry + total * rate
    leavers = min(int(owed.to_integral_value(rounding=ROUND_FLOOR)), total)
    if leavers:
        bounds = np.cumsum(state.counts)
        positions = np.array(rng.sample(range(total), leavers), dtype=np.int64)
        rows = np.searchsorted(bounds, positions, side="right")
        state.counts -= np.bincount(rows, minlength=len(state.counts)).astype(np.int64)
    return owed - leavers


def _appraise(state: Cohorts, year: int, assumptions: Assumptions, rng: random.Random) -> Cohorts:
    """Every worker employed in ``year`` and not appraised for it gets an assumed result."""
    columns = state.columns
    results = columns.appraisal(year)
    need = (columns.hired_year <= year) & (results == len(APPRAISALS))
    if not need.any():
        return state
    chosen = assumptions.appraisals
    row_of = {a: i for i, a in enumerate(APPRAISALS)}
    if chosen.result is not None:
        columns.set_results(year, np.flatnonzero(need), row_of[chosen.result])
        return state
    assert chosen.distribution is not None
    outcomes = [row_of[o] for o in chosen.distribution]
    cumulative = list(itertools.accumulate(float(w) for w in chosen.distribution.values()))
    rows = np.flatnonzero(need)
    counts = state.counts[rows]
    draws = int(counts.sum())
    uniform = np.array([rng.random() for _ in range(draws)], dtype=np.float64)
    # random.choices: bisect(cum_weights, random() * total, 0, len - 1) per worker
    picked = np.searchsorted(np.array(cumulative[:-1]), uniform * cumulative[-1], side="right")
    drawn = np.array(outcomes, dtype=np.int8)[picked]
    ends = np.cumsum(counts)
    starts = ends - counts
    single = counts == 1
    columns.set_results(year, rows[single], drawn[starts[single]])
    many = np.flatnonzero(counts > 1)
    if not len(many):
        return state
    # A cohort whose workers drew several results splits, in order of first appearance.
    splits: dict[int, list[tuple[int, int]]] = {}
    for index in many.tolist():
        split: dict[int, int] = {}
        for outcome in drawn[starts[index] : ends[index]].tolist():
            split[outcome] = split.get(outcome, 0) + 1
        splits[int(rows[index])] = list(split.items())
    repeat = np.ones(len(state.counts), dtype=np.int64)
    for row, parts in splits.items():
        repeat[row] = len(parts)
    state = state.take(np.repeat(np.arange(len(repeat)), repeat))
    offsets = np.cumsum(repeat) - repeat
    for row, parts in splits.items():
        for k, (outcome, count) in enumerate(parts):
            state.columns.set_results(year, np.array([offsets[row] + k]), outcome)
            state.counts[offsets[row] + k] = count
    return state


@dataclass(slots=True)
class _Sums:
    """A month's sums in fen, in order of first appearance of each line and post."""

    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOTALS, 0))
    headcount: int = 0
    components: dict[str, list[Any]] = field(default_factory=dict)  # [label, category, n, fen]
    posts: dict[str, list[Any]] = field(default_factory=dict)  # [label, n, fen]
    groups: dict[int, list[int]] = field(default_factory=dict)  # [n, fen]

    def add(self, pay: MonthPay, counts: I64, groups: npt.NDArray[np.int32], names: int) -> int:
        paid = ~pay.refused
        counts = np.where(paid, counts, 0)
        workers = int(counts.sum())
        if not workers:
            return 0
        self.headcount += workers
        self.totals["gross"] += int(pay.gross @ counts)
        self.totals["deductions"] += int(pay.deductions @ counts)
        self.totals["net"] += int(pay.net @ counts)
        self.totals["employer_cost"] += int(pay.employer_cost @ counts)
        for index, code in enumerate(pay.codes):
            shown = pay.shown[index] & paid
            if not shown.any():
                continue
            entry = self.components.setdefault(
                code, [pay.labels[index], pay.categories[index], 0, 0]
            )
            entry[2] += int(counts[shown].sum())
            entry[3] += int(pay.amounts[index] @ counts)
        gross = pay.gross * counts
        for index, code in enumerate(pay.version.spec.posts):
            mask = paid & (pay.post == index)
            if mask.any():
                entry = self.posts.setdefault(code, [pay.version.post(code).label, 0, 0])
                entry[1] += int(counts[mask].sum())
                entry[2] += int(gross[mask].sum())
        head = np.zeros(names, dtype=np.int64)
        amount = np.zeros(names, dtype=np.int64)
        np.add.at(head, groups, counts)
        np.add.at(amount, groups, gross)
        for group in np.flatnonzero(head).tolist():
            entry_group = self.groups.setdefault(group, [0, 0])
            entry_group[0] += int(head[group])
            entry_group[1] += int(amount[group])
        return workers


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def simulate(
    state: Cohorts,
    start: Month,
    months: int,
    assumptions: Assumptions,
    by: str | None,
    template: Worker | None,
    result: Any,
) -> None:
    """Run the forecast on cohorts, adding rows and errors to ``result`` (a Forecast)."""
    from paycalc.forecasting.core import ForecastError, ForecastRow

    rng = random.Random(assumptions.seed)
    rate = assumptions.attrition.per_month
    carry = Decimal(0)
    for index in range(months):
        month = start.plus(index)
        if index and rate:
            carry = _attrition(state, rate, carry, rng)
        if template is not None and assumptions.hiring.per_month:
            hire = template.model_copy(update={"id": f"NEW-{month}", "hired_on": month.first_day})
            state = state.append(hire, assumptions.hiring.per_month, "new hires")
        if index == 0 or month.month == 1:
            state = _appraise(state, month.year - 1, assumptions, rng)
        if not state.counts.all():
            state = state.take(np.flatnonzero(state.counts > 0))
        sums = _Sums()
        paid, unpaid = state.pay.pay(month)
        errors: list[tuple[int, ForecastError]] = []
        for found in paid:
            counts = state.counts[found.rows]
            groups = state.groups[found.rows]
            result.worker_months += sums.add(found, counts, groups, len(state.group_names))
            result.computed += len(found.rows)
            for position in np.flatnonzero(found.refused).tolist():
                row = int(found.rows[position])
                count = int(state.counts[row])
                for problem in state.pay.problems(month, row):
                    errors.append(
                        (row, ForecastError(str(month), state.columns.ids[row], count,
                                            problem.location, problem.message))
                    )  # fmt: skip
        for rows, reason in unpaid:
            for row in rows.tolist():
                errors.append(
                    (row, ForecastError(str(month), state.columns.ids[row],
                                        int(state.counts[row]), "scheme", reason))
                )  # fmt: skip
        result.errors += [error for _, error in sorted(errors, key=lambda item: item[0])]
        label = str(month)
        found_rows = [
            ForecastRow(label, "total", key, key, sums.headcount, _yuan(sums.totals[key]))
            for key in TOTALS
        ]
        found_rows += [
            ForecastRow(label, "component", code, name, workers, _yuan(fen), category)
            for code, (name, category, workers, fen) in sums.components.items()
        ]
        found_rows += [
            ForecastRow(label, "post", post, name, workers, _yuan(fen))
            for post, (name, workers, fen) in sorted(sums.posts.items())
        ]
        if by:
            named = sorted((state.group_names[code], v) for code, v in sums.groups.items())
            found_rows += [
                ForecastRow(label, by, value, value, workers, _yuan(fen))
                for value, (workers, fen) in named
            ]
        result.rows += found_rows

"""The forecast's fast path: the same simulation as :mod:`paycalc.forecasting.core`, on
columns (one row per cohort), paid month by month with :func:`paycalc.fast.pay_month`.

The simulation follows the itemised path step for step and draw for draw (same seeded
``random.Random``, same calls in the same order), so both give identical rows:

- attrition: ``rng.sample(range(headcount), leavers)`` positions, mapped onto the cohorts
  in order (a cumulative sum and a binary search instead of ``bisect``);
- appraisals drawn from a distribution: ``rng.choices`` makes one ``rng.random()`` call per
  worker, cohort after cohort; here the same calls are made in the same order and mapped
  onto the outcomes with the same cumulative weights; a cohort whose workers draw
  different results splits into sub-cohorts in order of first appearance, as there;
- new hires are appended as a cohort, zero-count cohorts are dropped, in the same order.

Rows the fast path does not pay (see :mod:`paycalc.fast`) are paid by the itemised engine,
and every sum is added in integer fen, so each figure equals the itemised forecast's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from paycalc.errors import PaycalcError, SchemeNotFound, problems_of
from paycalc.fast.columns import APPRAISALS, WorkerColumns, concat, from_workers
from paycalc.fast.pay import FAST, ITEMISED, MonthPay, pay_month
from paycalc.forecasting.assumptions import Assumptions
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import Payslip
from paycalc.worker import Worker

__all__ = ["CohortColumns", "simulate"]

Ints = npt.NDArray[np.int64]
TOTALS = ("gross", "deductions", "net", "employer_cost")


@dataclass(slots=True)
class CohortColumns:
    """Cohorts as columns: ``counts`` workers per row, ``group`` (the ``by`` value) per row.

    ``handles[row]`` gives the row's worker as read (``worker_of`` turns a handle into a
    :class:`Worker`); assumed appraisals live only in the columns until a row needs the
    itemised engine.
    """

    columns: WorkerColumns
    counts: Ints
    groups: npt.NDArray[np.int32]
    group_names: list[str]
    handles: list[Any]
    worker_of: Callable[[Any], Worker] = field(default=lambda handle: handle)

    def take(self, rows: npt.NDArray[np.intp]) -> CohortColumns:
        handles = self.handles
        return CohortColumns(
            self.columns.take(rows),
            self.counts[rows],
            self.groups[rows],
            self.group_names,
            [handles[i] for i in rows.tolist()],
            self.worker_of,
        )

    def worker(self, row: int) -> Worker:
        """The row's worker, with the appraisals the forecast assumed."""
        base = self.worker_of(self.handles[row])
        columns = self.columns
        added = {
            columns.appraisal_year0 + index: APPRAISALS[int(code)]
            for index, code in enumerate(columns.appraisals[:, row].tolist())
            if code >= 0 and columns.appraisal_year0 + index not in base.appraisals
        }
        if not added:
            return base
        return base.model_copy(update={"appraisals": {**base.appraisals, **added}})


def cohort_columns(workers: list[Worker], counts: list[int], groups: list[str]) -> CohortColumns:
    names: dict[str, int] = {}
    codes = [names.setdefault(g, len(names)) for g in groups]
    return CohortColumns(
        from_workers(workers),
        np.array(counts, dtype=np.int64),
        np.array(codes, dtype=np.int32),
        list(names),
        list(workers),
    )


def _append(state: CohortColumns, worker: Worker, count: int, group: str) -> CohortColumns:
    names = state.group_names
    if group not in names:
        names.append(group)
    return CohortColumns(
        concat(state.columns, from_workers([worker])),
        np.concatenate([state.counts, np.array([count], dtype=np.int64)]),
        np.concatenate([state.groups, np.array([names.index(group)], dtype=np.int32)]),
        names,
        [*state.handles, worker],
        state.worker_of,
    )


def _attrition(state: CohortColumns, rate: Decimal, carry: Decimal, rng: Any) -> Decimal:
    total = int(state.counts.sum())
    owed = carry + total * rate
    leavers = min(int(owed.to_integral_value(rounding=ROUND_FLOOR)), total)
    if leavers:
        bounds = np.cumsum(state.counts)
        positions = np.array(rng.sample(range(total), leavers), dtype=np.int64)
        rows = np.searchsorted(bounds, positions, side="right")
        state.counts -= np.bincount(rows, minlength=len(state.counts)).astype(np.int64)
    return owed - leavers


def _appraise(state: CohortColumns, year: int, assumptions: Assumptions, rng: Any) -> CohortColumns:
    columns = state.columns
    results = columns.appraisal_column(year)
    need = (columns.hired_year <= year) & (results < 0)
    if not need.any():
        return state
    chosen = assumptions.appraisals
    row_of = {a: i for i, a in enumerate(APPRAISALS)}
    if chosen.result is not None:
        columns.appraisals[year - columns.appraisal_year0, need] = row_of[chosen.result]
        return state
    assert chosen.distribution is not None
    outcomes = [row_of[o] for o in chosen.distribution]
    cumulative = list(itertools.accumulate(float(w) for w in chosen.distribution.values()))
    total = cumulative[-1] + 0.0
    rows = np.flatnonzero(need)
    counts = state.counts[rows]
    draws = int(counts.sum())
    random = rng.random
    uniform = np.array([random() for _ in range(draws)], dtype=np.float64)
    # random.choices: bisect(cum_weights, random() * total, 0, len - 1) per worker
    picked = np.searchsorted(np.array(cumulative[:-1]), uniform * total, side="right")
    drawn = np.array(outcomes, dtype=np.int8)[picked]
    ends = np.cumsum(counts)
    starts = ends - counts
    single = counts == 1
    columns.appraisals[year - columns.appraisal_year0, rows[single]] = drawn[starts[single]]
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
    source = np.repeat(np.arange(len(repeat)), repeat)
    state = state.take(source)
    offsets = np.cumsum(repeat) - repeat
    column = year - state.columns.appraisal_year0
    for row, parts in splits.items():
        for k, (outcome, count) in enumerate(parts):
            state.columns.appraisals[column, offsets[row] + k] = outcome
            state.counts[offsets[row] + k] = count
    return state


@dataclass(slots=True)
class _Sums:
    """A month's sums in fen, with where each key first appeared (row, line position)."""

    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOTALS, 0))
    headcount: int = 0
    components: dict[str, list[Any]] = field(default_factory=dict)  # [first, label, cat, n, fen]
    posts: dict[str, list[Any]] = field(default_factory=dict)  # [first, label, n, fen]
    groups: dict[int, list[int]] = field(default_factory=dict)  # [n, fen]

    def component(self, code: str, first: tuple[int, int], label: str, category: str) -> list[Any]:
        entry = self.components.get(code)
        if entry is None:
            entry = self.components[code] = [first, label, category, 0, 0]
        elif first < entry[0]:
            entry[0:3] = [first, label, category]
        return entry

    def post(self, code: str, first: int, label: str) -> list[Any]:
        entry = self.posts.get(code)
        if entry is None:
            entry = self.posts[code] = [first, label, 0, 0]
        elif first < entry[0]:
            entry[0:2] = [first, label]
        return entry

    def add_fast(self, pay: MonthPay, state: CohortColumns) -> int:
        fast = pay.status == FAST
        if not fast.any():
            return 0
        counts = np.where(fast, state.counts, 0)
        paid = int(counts.sum())
        self.headcount += paid
        self.totals["gross"] += int(pay.gross @ counts)
        self.totals["deductions"] += int(pay.deductions @ counts)
        self.totals["net"] += int(pay.net @ counts)
        self.totals["employer_cost"] += int(pay.employer_cost @ counts)
        for index, code in enumerate(pay.codes):
            present = pay.present[index]
            if not present.any():
                continue
            first = int(np.argmax(present))
            entry = self.component(code, (first, index), pay.labels[index], pay.categories[index])
            entry[3] += int(counts[present].sum())
            entry[4] += int(pay.amounts[index] @ counts)
        gross = pay.gross * counts
        for index, code in enumerate(pay.post_codes):
            mask = fast & (pay.post == index)
            if mask.any():
                entry = self.post(code, int(np.argmax(mask)), pay.version.post(code).label)
                entry[2] += int(counts[mask].sum())
                entry[3] += int(gross[mask].sum())
        names = len(state.group_names)
        workers = np.zeros(names, dtype=np.int64)
        amounts = np.zeros(names, dtype=np.int64)
        np.add.at(workers, state.groups, counts)
        np.add.at(amounts, state.groups, gross)
        group: int
        for group in np.flatnonzero(workers).tolist():
            entry_group = self.groups.setdefault(group, [0, 0])
            entry_group[0] += int(workers[group])
            entry_group[1] += int(amounts[group])
        return paid

    def add_slip(
        self, row: int, slip: Payslip, count: int, post: str, label: str, group: int
    ) -> None:
        fen = _fen
        self.headcount += count
        self.totals["gross"] += fen(slip.gross) * count
        self.totals["deductions"] += fen(slip.deductions) * count
        self.totals["net"] += fen(slip.net) * count
        self.totals["employer_cost"] += fen(slip.employer_cost) * count
        for position, line in enumerate(slip.lines):
            entry = self.component(line.code, (row, position), line.label, line.category)
            entry[3] += count
            entry[4] += fen(line.amount) * count
        entry = self.post(post, row, label)
        entry[2] += count
        entry[3] += fen(slip.gross) * count
        group_entry = self.groups.setdefault(group, [0, 0])
        group_entry[0] += count
        group_entry[1] += fen(slip.gross) * count


def _fen(amount: Decimal) -> int:
    return int(amount.scaleb(2))


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def simulate(
    state: CohortColumns,
    start: Month,
    months: int,
    assumptions: Assumptions,
    registry: SchemeRegistry,
    scheme: str | None,
    by: str | None,
    template: Worker | None,
    result: Any,
) -> None:
    """Run the forecast on columns, adding rows and errors to ``result`` (a Forecast)."""
    import random

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
            state = _append(state, hire, assumptions.hiring.per_month, "new hires")
        if index == 0 or month.month == 1:
            state = _appraise(state, month.year - 1, assumptions, rng)
        if not state.counts.all():
            state = state.take(np.flatnonzero(state.counts > 0))
        sums, errors = _pay(state, month, registry, scheme, result)
        result.errors += [
            ForecastError(str(month), worker_id, count, location, reason)
            for _, worker_id, count, location, reason in sorted(errors, key=lambda e: e[0])
        ]
        label = str(month)
        rows = [
            ForecastRow(label, "total", key, key, sums.headcount, _yuan(sums.totals[key]))
            for key in TOTALS
        ]
        ordered = sorted(sums.components.items(), key=lambda item: item[1][0])
        rows += [
            ForecastRow(label, "component", code, name, workers, _yuan(fen), category)
            for code, (_, name, category, workers, fen) in ordered
        ]
        rows += [
            ForecastRow(label, "post", post, name, workers, _yuan(fen))
            for post, (_, name, workers, fen) in sorted(sums.posts.items())
        ]
        if by:
            named = sorted((state.group_names[code], v) for code, v in sums.groups.items())
            rows += [
                ForecastRow(label, by, value, value, workers, _yuan(fen))
                for value, (workers, fen) in named
            ]
        result.rows += rows


def _pay(
    state: CohortColumns,
    month: Month,
    registry: SchemeRegistry,
    scheme: str | None,
    result: Any,
) -> tuple[_Sums, list[tuple[int, str, int, str, str]]]:
    from paycalc.engine import payslip_with_history

    columns = state.columns
    sums = _Sums()
    errors: list[tuple[int, str, int, str, str]] = []
    first, last = month.first_day.toordinal(), month.last_day.toordinal()
    employed = (columns.hired <= last) & (columns.left >= first)
    for code, name in enumerate(columns.families):
        family = name or scheme
        rows = employed & (columns.family == code)
        if not rows.any():
            continue
        version: SchemeVersion | None = None
        reason = "the worker names no scheme and none was given"
        if family is not None:
            try:
                version = registry.version_for(family, month)
            except SchemeNotFound as error:
                reason = str(error)
        if version is None:
            for row in np.flatnonzero(rows).tolist():
                errors.append((row, columns.ids[row], int(state.counts[row]), "scheme", reason))
            continue
        pay = pay_month(columns, month, version, rows=rows)
        paid = sums.add_fast(pay, state)
        result.worker_months += paid
        result.computed += int((pay.status == FAST).sum())
        for row in np.flatnonzero(pay.status == ITEMISED).tolist():
            count = int(state.counts[row])
            person = state.worker(row)
            result.computed += 1
            try:
                assert family is not None  # a version was found for it
                slip = payslip_with_history(person, month, version, schemes=registry, family=family)
            except PaycalcError as error:
                problems = problems_of(person, error)
                errors += [(row, person.id, count, p.location, p.message) for p in problems]
                continue
            post = version.post_code(person.post) or person.post
            sums.add_slip(row, slip, count, post, version.post(post).label, int(state.groups[row]))
            result.worker_months += count
    return sums, errors

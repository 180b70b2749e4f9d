"""The forecast's simulation on columns: one row per cohort, every scenario paid on one path.

A roster is cut into *blocks* of cohort rows (new hires join the last); each block is
simulated on its own, for one replication, by :func:`run_block`. Each month the block ages
(service accrues, so grades and points advance as the scheme says), loses workers to
attrition, promotes, gains new hires (the hires block), is appraised for years that ended,
and is then paid under **every scenario** — the baseline registry and each reform's — on
the same cohort state: the scenarios share every draw, so their difference is the reform's
alone. Each scenario carries its own income-tax year and wage base
(:class:`paycalc.columnar.RosterPay`) over the shared columns.

Draws come from the block's numpy generator (:mod:`paycalc.forecasting.draws`), in a fixed
order each month:

- attrition (from the second month): ``floor(carry + rate × headcount)`` workers leave (the
  fraction carries to the next month), drawn without replacement over the block's workers
  (a multivariate hypergeometric draw over the cohorts);
- promotions (from the second month, in each rule's month): likewise among the workers of
  the ``from`` post, who move to the ``to`` post;
- new hires (the last block): ``floor(carry + per_month)`` hires a month, split over the
  hire groups by their shares (fractions carried), one cohort per group;
- appraisals (in the first month and each January) for every worker employed in the year
  that ended and not yet appraised: a multinomial draw per cohort; a cohort whose workers
  draw several results splits into sub-cohorts in the order of the outcomes;
- cohorts with no workers left are dropped.

Sums are integer fen, keyed by (scenario, month, dimension, key); blocks add up exactly, in
any order, so a forecast does not depend on how its blocks are computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from paycalc.columnar import MonthPay, RosterPay
from paycalc.columns import Columns, concat, from_workers
from paycalc.contributions import ContributionTables
from paycalc.facts import APPRAISALS
from paycalc.forecasting.draws import BLOCK, Drawn, Promotion, generator
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry
from paycalc.worker import Worker

__all__ = ["Block", "BlockSums", "Cohorts", "Plan", "run_block"]

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
TOTALS = ("gross", "deductions", "net", "employer_cost")

#: Why part of a change did not reach the employer's cost, beyond the caps: the workers
#: whose pay moved but whose employer contributions did not, by where their base stands.
BASE_HELD = {
    1: ("contribution_base_floor", "缴费基数在下限, 不随工资变动"),
    2: ("contribution_base_cap", "缴费基数在上限, 不随工资变动"),
    3: ("contribution_base_fixed", "缴费基数为申报额或上年平均, 当年不随工资变动"),
}


@dataclass(slots=True)
class Cohorts:
    """Cohorts as rows: ``counts`` workers per row, ``groups`` (the ``by`` value) per row.

    ``pay`` pays the baseline; ``others`` each further scenario, over the same columns.
    """

    pay: RosterPay
    counts: I64
    groups: I32
    group_names: list[str]
    others: list[RosterPay] = field(default_factory=list)

    @property
    def columns(self) -> Columns:
        return self.pay.columns

    @property
    def pays(self) -> list[RosterPay]:
        return [self.pay, *self.others]

    def take(self, rows: npt.NDArray[np.intp]) -> Cohorts:
        columns = self.columns.take(rows)
        pays = [pay.take(rows, columns) for pay in self.pays]
        return Cohorts(pays[0], self.counts[rows], self.groups[rows], self.group_names, pays[1:])

    def append(self, worker: Worker, count: int, group: str) -> Cohorts:
        names = self.group_names
        if group not in names:
            names.append(group)
        more = from_workers([worker])
        joined = concat(self.columns, more)
        pays = [pay.extend(more, joined) for pay in self.pays]
        return Cohorts(
            pays[0],
            np.concatenate([self.counts, np.array([count], dtype=np.int64)]),
            np.concatenate([self.groups, np.array([names.index(group)], dtype=np.int32)]),
            names,
            pays[1:],
        )


@dataclass(slots=True)
class Block:
    """One block of cohort rows, as shipped to whoever computes it (picklable)."""

    columns: Columns
    counts: I64
    groups: I32
    group_names: list[str]


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything a block's computation needs besides the block: data, never file paths."""

    start: Month
    months: int
    #: (name, registry) of each scenario; the first is the baseline
    scenarios: tuple[tuple[str, SchemeRegistry], ...]
    scheme: str | None
    tables: ContributionTables
    seed: int
    #: a new hire (hired on the month's 1st), and the hire groups with their shares
    template: Worker | None
    hire_groups: tuple[tuple[str, Decimal], ...]
    #: the post of a promotion as written, resolved to codes: post text -> code
    post_codes: dict[str, str]


Key = tuple[int, int, str, str]  # scenario, month index, dimension, key


@dataclass(slots=True)
class BlockSums:
    """One block's (or a whole replication's) sums in fen, and what could not be paid."""

    #: (scenario, month, dimension, key) -> [label, category, workers, fen]
    sums: dict[Key, list[Any]] = field(default_factory=dict)
    #: (scenario, month, worker id, workers, location, reason), by row order
    errors: list[tuple[int, int, str, int, str, str]] = field(default_factory=list)
    #: (scenario, month, worker id, workers) the rules refused: explained where the workers are
    refused: list[tuple[int, int, str, int]] = field(default_factory=list)
    worker_months: int = 0
    computed: int = 0

    def add(self, key: Key, label: str, category: str, workers: int, fen: int) -> None:
        entry = self.sums.get(key)
        if entry is None:
            self.sums[key] = [label, category, workers, fen]
        else:
            entry[2] += workers
            entry[3] += fen

    def merge(self, other: BlockSums) -> None:
        for key, (label, category, workers, fen) in other.sums.items():
            self.add(key, label, category, workers, fen)
        self.errors += other.errors
        self.refused += other.refused
        self.worker_months += other.worker_months
        self.computed += other.computed


# --- the draws ------------------------------------------------------------------------


def _leave(state: Cohorts, rows: npt.NDArray[np.intp], owed: Decimal, rng: np.random.Generator) -> tuple[I64, Decimal]:
    """How many of ``rows``' workers are drawn (``floor(owed)``), per row; the carry."""
    counts = state.counts[rows]
    total = int(counts.sum())
    chosen = min(int(owed.to_integral_value(rounding=ROUND_FLOOR)), total)
    if not chosen:
        return np.zeros(len(rows), dtype=np.int64), owed - chosen
    drawn = rng.multivariate_hypergeometric(counts, chosen, method="marginals")
    return drawn.astype(np.int64), owed - chosen


def _attrition(state: Cohorts, rate: Decimal, carry: Decimal, rng: np.random.Generator) -> Decimal:
    """Remove ``rate`` of the workers (fractions carried to the next month, exactly)."""
    rows = np.arange(len(state.counts))
    leavers, carry = _leave(state, rows, carry + int(state.counts.sum()) * rate, rng)
    state.counts -= leavers
    return carry


def _promote(
    state: Cohorts, rule: Promotion, plan: Plan, carry: Decimal, rng: np.random.Generator
) -> tuple[Cohorts, Decimal]:
    """Move ``rule.rate`` of the ``from`` post's workers to the ``to`` post."""
    codes, values = state.columns.coded["post"]
    wanted = plan.post_codes.get(rule.from_post, rule.from_post)
    matching = [
        i for i, v in enumerate(values) if v is not None and plan.post_codes.get(str(v).strip(), str(v).strip()) == wanted
    ]
    rows = np.flatnonzero(np.isin(codes, matching) & (state.counts > 0))
    owed = carry + int(state.counts[rows].sum()) * rule.rate
    moved, carry = _leave(state, rows, owed, rng)
    if not moved.any():
        return state, carry
    rows, moved = rows[moved > 0], moved[moved > 0]
    whole = moved == state.counts[rows]
    repeat = np.ones(len(state.counts), dtype=np.int64)
    repeat[rows[~whole]] = 2  # a split cohort: those who stay, then those promoted
    state = state.take(np.repeat(np.arange(len(repeat)), repeat))
    offsets = np.cumsum(repeat) - repeat
    targets = np.where(whole, offsets[rows], offsets[rows] + 1)
    stay = offsets[rows[~whole]]
    state.counts[stay] -= moved[~whole]
    state.counts[targets] = moved
    codes, values = state.columns.coded["post"]
    values = list(values)
    if rule.to_post not in values:
        values.append(rule.to_post)
    codes = codes.copy()
    codes[targets] = values.index(rule.to_post)
    state.columns.coded["post"] = (codes, values)
    return state, carry


def _appraise(state: Cohorts, year: int, drawn: Drawn, rng: np.random.Generator) -> Cohorts:
    """Every worker employed in ``year`` and not appraised for it gets an assumed result."""
    columns = state.columns
    results = columns.appraisal(year)
    need = (columns.hired_year <= year) & (results == len(APPRAISALS))
    if not need.any():
        return state
    rows = np.flatnonzero(need)
    if drawn.appraisal_result is not None:
        columns.set_results(year, rows, drawn.appraisal_result)
        return state
    outcomes = np.array([o for o, _ in drawn.appraisal_shares], dtype=np.int8)
    shares = np.array([w for _, w in drawn.appraisal_shares], dtype=np.float64)
    split = rng.multinomial(state.counts[rows], shares / shares.sum())  # [rows, outcomes]
    parts = (split > 0).sum(axis=1)
    single = parts <= 1
    first = np.argmax(split > 0, axis=1)
    columns.set_results(year, rows[single], outcomes[first[single]])
    many = np.flatnonzero(~single)
    if not len(many):
        return state
    # A cohort whose workers drew several results splits, one row per result drawn.
    repeat = np.ones(len(state.counts), dtype=np.int64)
    repeat[rows[many]] = parts[many]
    state = state.take(np.repeat(np.arange(len(repeat)), repeat))
    offsets = np.cumsum(repeat) - repeat
    for index in many.tolist():
        row = int(rows[index])
        at = int(offsets[row])
        for outcome in np.flatnonzero(split[index]).tolist():
            state.columns.set_results(year, np.array([at]), int(outcomes[outcome]))
            state.counts[at] = int(split[index, outcome])
            at += 1
    return state


def _hire(
    state: Cohorts, plan: Plan, month: Month, carry: list[Decimal], per_month: Decimal
) -> Cohorts:
    """This month's hires, split over the hire groups (fractions carried per group)."""
    assert plan.template is not None
    hire = plan.template.model_copy(update={"id": f"NEW-{month}", "hired_on": month.first_day})
    for index, (group, share) in enumerate(plan.hire_groups):
        owed = carry[index] + per_month * share
        count = int(owed.to_integral_value(rounding=ROUND_FLOOR))
        carry[index] = owed - count
        if count:
            state = state.append(hire, count, group)
    return state


# --- the sums ---------------------------------------------------------------------------


def _add_month(
    sums: BlockSums, scenario: int, month: int, pay: MonthPay, state: Cohorts, by: str | None
) -> int:
    """Add one version's figures of a month; return the workers paid."""
    counts = np.where(pay.refused, 0, state.counts[pay.rows])
    workers = int(counts.sum())
    if not workers:
        return 0
    paid = ~pay.refused
    totals = {
        "gross": pay.gross, "deductions": pay.deductions, "net": pay.net,
        "employer_cost": pay.employer_cost,
    }  # fmt: skip
    for key in TOTALS:
        sums.add((scenario, month, "total", key), key, "", workers, int(totals[key] @ counts))
    for index, code in enumerate(pay.codes):
        shown = pay.shown[index] & paid
        if shown.any():
            sums.add(
                (scenario, month, "component", code), pay.labels[index], pay.categories[index],
                int(counts[shown].sum()), int(pay.amounts[index] @ counts),
            )  # fmt: skip
    gross = pay.gross * counts
    for index, code in enumerate(pay.version.spec.posts):
        mask = paid & (pay.post == index)
        if mask.any():
            label = pay.version.post(code).label
            fen = int(gross[mask].sum())
            sums.add((scenario, month, "post", code), label, "", int(counts[mask].sum()), fen)
    if by:
        groups = state.groups[pay.rows]
        head = np.zeros(len(state.group_names), dtype=np.int64)
        amount = np.zeros(len(state.group_names), dtype=np.int64)
        np.add.at(head, groups, counts)
        np.add.at(amount, groups, gross)
        for group in np.flatnonzero(head).tolist():
            name = state.group_names[group]
            sums.add((scenario, month, by, name), name, "", int(head[group]), int(amount[group]))
    labels = {cap.code: cap.label for cap in pay.version.spec.caps}
    for code, cut in pay.cap_cuts.items():
        held = (cut > 0) & paid
        if held.any():
            sums.add(
                (scenario, month, "cap", code), labels[code], "",
                int(counts[held].sum()), int(cut @ counts),
            )  # fmt: skip
    return workers


@dataclass(slots=True)
class _Paid:
    """One scenario's month over the block's rows (for comparing scenarios row by row)."""

    paid: npt.NDArray[np.bool_]
    gross: I64
    employer: I64
    status: npt.NDArray[np.int8]


def _paid(pays: list[MonthPay], n: int) -> _Paid:
    found = _Paid(
        np.zeros(n, np.bool_), np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int8)
    )
    for pay in pays:
        found.paid[pay.rows] = ~pay.refused
        found.gross[pay.rows] = pay.gross
        found.employer[pay.rows] = pay.employer
        if pay.base_status is not None:
            found.status[pay.rows] = pay.base_status
    return found


def _damping(sums: BlockSums, scenario: int, month: int, base: _Paid, other: _Paid, counts: I64) -> None:
    """Workers whose gross moved but whose employer contributions did not, by their base."""
    both = base.paid & other.paid
    moved = both & (other.gross != base.gross) & (other.employer == base.employer)
    for status, (key, label) in BASE_HELD.items():
        mask = moved & (other.status == status)
        if mask.any():
            change = (other.gross[mask] - base.gross[mask]) @ counts[mask]
            sums.add((scenario, month, "damping", key), label, "", int(counts[mask].sum()), int(change))


# --- one block ----------------------------------------------------------------------------


def _initial(block: Block | None, plan: Plan) -> Cohorts:
    """The block's rows, copied (a block is reused by every replication), one pay each."""
    if block is None:
        columns = from_workers([])
        counts, groups, names = np.zeros(0, np.int64), np.zeros(0, np.int32), []
    else:
        columns = block.columns.take(np.arange(len(block.columns)))
        counts, groups, names = block.counts.copy(), block.groups.copy(), list(block.group_names)
    pays = [
        RosterPay(columns, registry, plan.scheme, tables=plan.tables)
        for _, registry in plan.scenarios
    ]
    return Cohorts(pays[0], counts, groups, names, pays[1:])


def run_block(
    plan: Plan,
    drawn: Drawn,
    block: Block | None,
    replication: int,
    index: int,
    by: str | None,
    hires: bool,
) -> BlockSums:
    """Simulate one block (``None``: an empty one) for one replication, every month, every
    scenario; new hires join it if ``hires`` (the last block); return its sums."""
    state = _initial(block, plan)
    rng = generator(plan.seed, replication, BLOCK, index)
    result = BlockSums()
    carry = Decimal(0)
    promoted = [Decimal(0)] * len(drawn.promotions)
    hired = [Decimal(0)] * len(plan.hire_groups)
    for offset in range(plan.months):
        month = plan.start.plus(offset)
        if offset and drawn.attrition:
            carry = _attrition(state, drawn.attrition, carry, rng)
        for number, rule in enumerate(drawn.promotions):
            if offset and month.month == rule.month and rule.rate:
                state, promoted[number] = _promote(state, rule, plan, promoted[number], rng)
        if hires and plan.template is not None and drawn.hires:
            state = _hire(state, plan, month, hired, drawn.hires)
        if offset == 0 or month.month == 1:
            state = _appraise(state, month.year - 1, drawn, rng)
        if not state.counts.all():
            state = state.take(np.flatnonzero(state.counts > 0))
        if not len(state.counts):
            continue
        _pay_month(result, state, month, offset, by)
    return result


def _pay_month(result: BlockSums, state: Cohorts, month: Month, offset: int, by: str | None) -> None:
    compared: list[_Paid] = []
    for scenario, pay in enumerate(state.pays):
        paid, unpaid = pay.pay(month)
        for found in paid:
            workers = _add_month(result, scenario, offset, found, state, by)
            if scenario == 0:
                result.worker_months += workers
            result.computed += len(found.rows)
            for position in np.flatnonzero(found.refused).tolist():
                # refused: the explained engine says why, where the workers are
                # (:func:`paycalc.forecasting.runner.explain`); blocks travel without them
                row = int(found.rows[position])
                result.refused.append(
                    (scenario, offset, str(state.columns.ids[row]), int(state.counts[row]))
                )
        for rows, reason in unpaid:
            for row in rows.tolist():
                result.errors.append(
                    (scenario, offset, state.columns.ids[row], int(state.counts[row]),
                     "scheme", reason)
                )  # fmt: skip
        if len(state.pays) > 1:
            compared.append(_paid(paid, len(state.counts)))
    for scenario in range(1, len(compared)):
        _damping(result, scenario, offset, compared[0], compared[scenario], state.counts)

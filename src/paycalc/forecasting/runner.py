"""Running a forecast: the roster cut into blocks, blocks × replications computed (here, or
on a Dask cluster), their sums added up and turned into rows.

Each (replication, block) is computed by :func:`paycalc.forecasting.simulate.run_block` from
data alone (the block's cohort columns, the scenarios' scheme versions, the replication's
drawn figures), so it gives the same sums wherever it runs. The sums are integer fen; a
replication's figures are the exact sum of its blocks', taken in task order, so the rows
(and their order) are the same for one process or many.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from decimal import Decimal
from typing import Any

import numpy as np

from paycalc.columns import Columns, from_workers
from paycalc.contributions import ContributionTables
from paycalc.forecasting.assumptions import Assumptions
from paycalc.forecasting.core import (
    TOTALS,
    Forecast,
    ForecastError,
    ForecastRow,
    difference_name,
)
from paycalc.forecasting.draws import Drawn, drawn
from paycalc.forecasting.simulate import Block, BlockSums, Plan, run_block
from paycalc.forecasting.stats import mean_fen, percentile_fen, round_half_up
from paycalc.io.columnar import LoadedRoster
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry
from paycalc.worker import Worker

__all__ = ["Task", "compute", "explain", "make_blocks", "run", "workers_by_id"]

#: (replication or None, block index)
Task = tuple[int | None, int]
#: the order of dimensions in the rows (a ``by`` dimension comes after ``post``)
_ORDER = ("total", "headcount", "component", "post", "cap", "damping")


def make_blocks(roster: LoadedRoster, block_size: int) -> list[Block]:
    """The roster's cohort rows cut into blocks of at most ``block_size`` rows, in roster
    order. A block is columns only (no ``Worker`` to ship; refusals are explained where the
    roster is), each code table cut to the values its rows hold."""
    columns = roster.columns
    if not isinstance(columns.ids, np.ndarray):  # once, not once per block
        columns.ids = np.array(columns.ids, dtype=object)
        columns.names = np.array(columns.names, dtype=object)
    blocks = []
    for first in range(0, len(roster.counts), block_size):
        rows = np.arange(first, min(first + block_size, len(roster.counts)))
        part = columns.take(rows)
        part.worker_of = None
        blocks.append(
            Block(part.compacted(), roster.counts[rows], roster.groups[rows], list(roster.group_names))
        )
    return blocks


def _post_codes(scenarios: Sequence[tuple[str, SchemeRegistry]]) -> dict[str, str]:
    """Every post code, label and alias of every version, to its code (for promotions)."""
    found: dict[str, str] = {}
    for version in scenarios[0][1]:
        for code, post in version.spec.posts.items():
            for name in (code, post.label, *post.aliases):
                found.setdefault(name, code)
    return found


def compute(
    plan: Plan,
    draws: dict[int | None, Drawn],
    block: Block | None,
    blocks: int,
    task: Task,
    by: str | None,
) -> BlockSums:
    """One task's sums: ``block`` (of ``blocks``) in one replication; new hires join the
    last block. The function a Dask worker runs, too."""
    replication, index = task
    hires = index == max(blocks - 1, 0)
    return run_block(plan, draws[replication], block, replication or 0, index, by, hires)


def run(
    result: Forecast,
    roster: LoadedRoster,
    scenarios: list[tuple[str, SchemeRegistry]],
    assumptions: Assumptions,
    *,
    scheme: str | None,
    tables: ContributionTables,
    template: Worker | None,
    hire_groups: tuple[tuple[str, Decimal], ...],
    dask: str | None,
    block_size: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Compute ``result``'s rows and errors."""
    blocks = make_blocks(roster, block_size)
    plan = Plan(
        result.start,
        result.months,
        tuple(scenarios),
        scheme,
        tables,
        result.seed,
        template,
        hire_groups,
        _post_codes(scenarios),
    )
    replications: list[int | None] = (
        [None] if result.replications is None else list(range(result.replications))
    )
    draws = {r: drawn(assumptions, result.seed, r) for r in replications}
    indexes = list(range(max(len(blocks), 1)))  # an empty roster: one block for new hires
    result.blocks = len(blocks)
    tasks: list[Task] = [(r, b) for r in replications for b in indexes]
    if dask is None:
        sums = []
        for done, task in enumerate(tasks, 1):
            block = blocks[task[1]] if task[1] < len(blocks) else None
            sums.append(compute(plan, draws, block, len(blocks), task, result.by))
            if progress is not None:
                progress(done, len(tasks))
    else:
        from paycalc.forecasting.distributed import compute_on_dask

        sums = compute_on_dask(dask, plan, draws, blocks, tasks, result.by, progress)
    per_replication: dict[int | None, BlockSums] = {}
    for task, found in zip(tasks, sums, strict=True):
        per_replication.setdefault(task[0], BlockSums()).merge(found)
    refused = {worker_id for found in per_replication.values() for _, _, worker_id, _ in found.refused}
    workers = workers_by_id(roster.columns, refused)
    for found in per_replication.values():
        found.errors += explain(found.refused, plan, workers)
    _errors(result, per_replication)
    _assemble(result, [per_replication[r] for r in replications])


def workers_by_id(columns: Columns, wanted: Collection[str]) -> dict[str, Worker]:
    """The worker of the first row with each id in ``wanted`` (built only for those rows)."""
    found: dict[str, Worker] = {}
    if not wanted or columns.worker_of is None:
        return found
    ids = columns.ids.tolist() if isinstance(columns.ids, np.ndarray) else columns.ids
    for row, worker_id in enumerate(ids):
        if worker_id in wanted and worker_id not in found:
            found[worker_id] = columns.worker_of(row)
    return found


def explain(
    refused: list[tuple[int, int, str, int]], plan: Plan, workers: dict[str, Worker]
) -> list[tuple[int, int, str, int, str, str]]:
    """The explained engine's exact problems for each refused cohort-month (once per
    worker, scenario and month), by the worker's id: a roster's cohort, or a new hire."""
    from paycalc.columnar import RosterPay

    found: list[tuple[int, int, str, int, str, str]] = []
    said: dict[tuple[int, int, str], list[tuple[str, str]]] = {}
    for scenario, offset, worker_id, count in refused:
        key = (scenario, offset, worker_id)
        if key not in said:
            worker = workers.get(worker_id)
            month = plan.start.plus(offset)
            if worker is None and plan.template is not None and worker_id.startswith("NEW-"):
                hired = Month.parse(worker_id.removeprefix("NEW-"))
                worker = plan.template.model_copy(update={"id": worker_id, "hired_on": hired.first_day})
            if worker is None:
                said[key] = [("", "refused by the rules")]
            else:
                pay = RosterPay(from_workers([worker]), plan.scenarios[scenario][1], plan.scheme,
                                tables=plan.tables)  # fmt: skip
                said[key] = [(p.location, p.message) for p in pay.problems(month, 0)]
        found += [(scenario, offset, worker_id, count, loc, why) for loc, why in said[key]]
    return found


def _errors(result: Forecast, per_replication: dict[int | None, BlockSums]) -> None:
    seen: set[tuple[Any, ...]] = set()
    for replication, sums in per_replication.items():
        result.worker_months += sums.worker_months
        result.computed += sums.computed
        for scenario, month, worker_id, workers, location, reason in sums.errors:
            key = (scenario, month, worker_id, location, reason)
            if key in seen:
                continue  # the same cohort refused in another replication: said once
            seen.add(key)
            result.errors.append(
                ForecastError(
                    str(result.start.plus(month)), worker_id, workers, location, reason,
                    result.scenarios[scenario], replication,
                )
            )  # fmt: skip


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def _ordered(keys: Any, by: str | None) -> list[Any]:
    """(scenario, month, dimension, key) in row order: dimensions as _ORDER, keys as found."""
    order = list(_ORDER[:4]) + ([by] if by else []) + list(_ORDER[4:])
    position = {key: i for i, key in enumerate(keys)}
    rank = {d: i for i, d in enumerate(order)}

    def sort_key(key: Any) -> tuple[int, int, int, int]:
        scenario, month, dimension, name = key
        first = TOTALS.index(name) if dimension == "total" else position[key]
        return (scenario, month, rank.get(dimension, len(order)), first)

    return sorted(keys, key=sort_key)


def _years(
    result: Forecast, fen: dict[Any, list[int]], scenario: int, name: str, against_baseline: bool
) -> list[ForecastRow]:
    """Year rows of the totals: each replication's year sum (less the baseline's for a
    difference), then its statistics."""
    rows = []
    years = sorted({result.start.plus(m).year for m in range(result.months)})
    for year in years:
        months = [m for m in range(result.months) if result.start.plus(m).year == year]
        for key in TOTALS:
            values = _sum_months(fen, scenario, months, key, against_baseline)
            if values is not None:
                rows.append(_row(result, str(year), "total", key, key, "", values, None, name))
    return rows


def _sum_months(fen: dict[Any, list[int]], scenario: int, months: list[int], key: str, against_baseline: bool) -> list[int] | None:
    found = [fen.get((scenario, m, "total", key)) for m in months]
    if all(v is None for v in found):
        return None
    width = len(next(v for v in found if v is not None))
    total = [sum((v[i] if v is not None else 0) for v in found) for i in range(width)]
    if against_baseline:
        base = [fen.get((0, m, "total", key)) for m in months]
        total = [t - sum((b[i] if b is not None else 0) for b in base) for i, t in enumerate(total)]
    return total


def _row(result: Forecast, month: str, dimension: str, key: str, label: str, category: str,
         fen: list[int], workers: list[int] | None, scenario: str) -> ForecastRow:  # fmt: skip
    """A row from one value per replication (one: the value itself)."""
    head = 0 if workers is None else workers[0]
    if result.replications is None:
        return ForecastRow(month, dimension, key, label, head, _yuan(fen[0]), category, scenario)
    stats = tuple(_yuan(percentile_fen(fen, p)) for p in result.percentiles)
    if workers is not None:
        from fractions import Fraction

        head = round_half_up(Fraction(sum(workers), len(workers)))
    return ForecastRow(month, dimension, key, label, head, _yuan(mean_fen(fen)), category,
                       scenario, stats)  # fmt: skip


def _differences(
    result: Forecast,
    index: int,
    fen: dict[Any, list[int]],
    workers: dict[Any, list[int]],
    labels: dict[Any, list[Any]],
) -> list[ForecastRow]:
    """A reform − baseline, key by key (a key missing in one counts 0), and the damping;
    with replications, each replication's difference, then its statistics."""
    width = len(next(iter(fen.values()))) if fen else 1
    zero = [0] * width
    scenario = difference_name(result.scenarios[index])
    rows = []
    merged = {(index, m, d, k) for s, m, d, k in labels if s in (0, index) and d != "headcount"}
    for key in _ordered(list(merged), result.by):
        _, month, dimension, code = key
        base_key = (0, month, dimension, code)
        label, category = (labels.get(key) or labels[base_key])[:2]
        if dimension == "damping":
            values, heads = fen[key], workers[key]
        else:
            values = [a - b for a, b in zip(fen.get(key, zero), fen.get(base_key, zero), strict=True)]
            heads = workers.get(key, zero)
        rows.append(_row(result, str(result.start.plus(month)), dimension, code, label,
                         category, values, heads, scenario))  # fmt: skip
    rows += _years(result, fen, index, scenario, True)
    return rows


def _assemble(result: Forecast, replicated: list[BlockSums]) -> None:
    """The rows: every scenario's figures key by key (0 where a replication has no such
    figure; with replications, the headcount too), the years, then each difference."""
    labels: dict[Any, list[Any]] = {}
    for sums in replicated:
        for key, entry in sums.sums.items():
            labels.setdefault(key, entry)
    fen = {k: [s.sums[k][3] if k in s.sums else 0 for s in replicated] for k in labels}
    workers = {k: [s.sums[k][2] if k in s.sums else 0 for s in replicated] for k in labels}
    if result.replications is not None:
        for key in [k for k in labels if k[2] == "total" and k[3] == "gross"]:
            head = (key[0], key[1], "headcount", "workers")
            labels[head] = ["在岗人数 headcount", "", 0, 0]
            fen[head] = [w * 100 for w in workers[key]]  # a head count, written as an amount
            workers[head] = workers[key]
    rows: list[ForecastRow] = []
    for key in _ordered(list(labels), result.by):
        if key[2] == "damping":
            continue  # said on the difference rows
        scenario, month, dimension, code = key
        label, category = labels[key][:2]
        rows.append(_row(result, str(result.start.plus(month)), dimension, code, label,
                         category, fen[key], workers[key], result.scenarios[scenario]))  # fmt: skip
    for scenario, name in enumerate(result.scenarios):
        rows += _years(result, fen, scenario, name, False)
    for index in range(1, len(result.scenarios)):
        rows += _differences(result, index, fen, workers, labels)
    result.rows = rows

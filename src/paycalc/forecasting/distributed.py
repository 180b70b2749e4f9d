"""A forecast's blocks × replications on a Dask cluster (the ``distributed`` scheduler).

``"local"`` starts a :class:`distributed.LocalCluster` on this machine (one single-threaded
worker process per core, at most 2 by default); any other text is a scheduler's address
(``tcp://host:8786``). What is shipped is data, never a file path: the plan (the scenarios'
scheme versions and contribution tables, the template of a new hire), each replication's
drawn figures and each block's cohort columns, scattered once; each task returns its block's
integer sums, which the caller adds up in task order — so the result is the single-process
result to the fen. Needs the ``dask`` extra: ``pip install 'paycalc[dask]'``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from paycalc.errors import UsageError
from paycalc.forecasting.draws import Drawn
from paycalc.forecasting.runner import compute
from paycalc.forecasting.simulate import Block, BlockSums, Plan

__all__ = ["LOCAL", "compute_on_dask", "require_dask"]

#: ``--dask local``: start a cluster on this machine.
LOCAL = "local"


def require_dask() -> None:
    """dask.distributed, or an error saying how to install it (before any work)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError(
            "--dask", "needs dask and distributed: pip install 'paycalc[dask]'"
        ) from None


def compute_on_dask(
    address: str,
    plan: Plan,
    draws: dict[int | None, Drawn],
    blocks: list[Block],
    tasks: Sequence[tuple[int | None, int]],
    by: str | None,
    progress: Callable[[int, int], None] | None,
    workers: int | None = None,
) -> list[BlockSums]:
    """Every task's sums, in the order of ``tasks``."""
    require_dask()
    from distributed import Client, LocalCluster, as_completed

    cluster: Any = None
    if address == LOCAL:
        count = workers or min(2, os.cpu_count() or 1)
        cluster = LocalCluster(
            n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        try:
            client = Client(address, timeout="10s")
        except OSError as error:
            raise UsageError("--dask", f"cannot reach the scheduler at {address}: {error}") from None
    try:
        shared_plan = client.scatter(plan, broadcast=True)
        shared_draws = client.scatter(draws, broadcast=True)
        shared_blocks = [client.scatter(block) for block in blocks]
        futures = {}
        for position, (replication, index) in enumerate(tasks):
            block = shared_blocks[index] if index < len(blocks) else None
            future = client.submit(
                compute, shared_plan, shared_draws, block, len(blocks), (replication, index), by,
                key=f"paycalc-forecast-{replication}-{index}-{os.getpid()}-{id(plan)}",
                pure=False,
            )  # fmt: skip
            futures[future] = position
        found: list[BlockSums | None] = [None] * len(tasks)
        for done, future in enumerate(as_completed(futures), 1):
            found[futures[future]] = future.result()
            if progress is not None:
                progress(done, len(tasks))
        return [sums for sums in found if sums is not None]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

"""What-if forecasts at scale: baseline + one reform, N replications, one process or Dask.

    python -m benchmarks.whatif --workers 1000000 --months 12 --replications 20 --dask local

Builds the synthetic demo roster of ``benchmarks/run.py`` (``--sample`` rows written as CSV
and folded into cohorts by paycalc's own loader, timed as ``load_s``), then repeats those
cohorts until they stand for ``--workers`` workers (so a million-worker roster costs one
100,000-row load, not ten: the loader is measured on its own), and times
``paycalc.forecast`` with a 3% raise of every amount from the horizon's second month, the
assumptions of ``ASSUMPTIONS`` (uncertain attrition, hires, appraisals, promotions), on one
process or ``--dask local`` / ``--dask tcp://HOST:PORT``. Prints one JSON object:
``compute_s`` (the forecast), ``cohort_rows``, ``worker_months`` (baseline, all
replications), ``peak_rss_mib`` of this process, and with ``--dask local`` the peak of
each worker process (``worker_peak_rss_mib``).

Nothing here is asserted by the tests; numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.run import write_roster  # noqa: E402
from paycalc import Month, default_registry  # noqa: E402
from paycalc.forecasting import forecast, parse_assumptions  # noqa: E402
from paycalc.forecasting.cohorts import Cohort, Folded, fold_roster_file  # noqa: E402
from paycalc.reforms import parse_reform  # noqa: E402

ASSUMPTIONS = {
    "seed": 2026,
    "attrition": {"annual_rate": {"low": Decimal("0.04"), "high": Decimal("0.08")}},
    "appraisals": {
        "distribution": {"优秀": Decimal("0.15"), "称职": Decimal("0.8"), "基本称职": Decimal("0.04"),
                         "不称职": Decimal("0.01")},
        "concentration": 200,
    },
    "promotions": [{"from": "专职委员", "to": "副职", "annual_rate": Decimal("0.02")}],
}  # fmt: skip


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _on_workers(address: str, function: object) -> list[float]:
    from distributed import Client

    with Client(address) as client:
        return sorted(round(v, 1) for v in client.run(function).values())


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    found.add_argument("--workers", type=int, default=100_000)
    found.add_argument("--sample", type=int, default=100_000, help="rows loaded from CSV")
    found.add_argument("--months", type=int, default=12)
    found.add_argument("--replications", type=int, default=20)
    found.add_argument("--start", default="2025-01")
    found.add_argument("--dask", default=None)
    found.add_argument("--block-size", type=int, default=50_000)
    return found


def main() -> int:
    args = parser().parse_args()
    registry = default_registry()
    start = Month.parse(args.start)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        write_roster(path, min(args.sample, args.workers))
        began = time.perf_counter()
        folded = fold_roster_file(str(path), start, schemes=registry)
        load_s = time.perf_counter() - began
    copies = max(1, round(args.workers / folded.workers))
    cohorts = [Cohort(c.worker, c.count, c.group) for _ in range(copies) for c in folded.cohorts]
    roster = Folded(cohorts, folded.rows_in * copies, [])
    reform = parse_reform(
        {"reform": {"id": "raise3", "title": "上调3%", "scheme": "demo.community-worker",
                    "effective_from": str(start.plus(1))}, "scale": [{"factor": "1.03"}]}
    )  # fmt: skip
    cluster = None
    address = args.dask
    if args.dask == "local":
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        address = cluster.scheduler_address
    workers_cpu = sum(_on_workers(address, _cpu)) if address is not None else 0.0
    cpu = time.process_time()
    began = time.perf_counter()
    result = forecast(
        roster, start, args.months, parse_assumptions(ASSUMPTIONS), schemes=registry,
        reforms={"raise3": reform}, replications=args.replications, dask=address,
        block_size=args.block_size,
    )  # fmt: skip
    compute_s = time.perf_counter() - began
    cpu = time.process_time() - cpu
    if address is not None:
        cpu += sum(_on_workers(address, _cpu)) - workers_cpu
    report = {
        "workers": roster.workers,
        "cohort_rows": len(cohorts),
        "months": args.months,
        "replications": args.replications,
        "scenarios": len(result.scenarios),
        "blocks": result.blocks,
        "dask": args.dask,
        "load_s_for_sample": round(load_s, 2),
        "sample_rows": folded.rows_in,
        "compute_s": round(compute_s, 2),
        # CPU seconds of this process and (Dask) every worker process: on a machine shared
        # with other jobs, wall time overstates what the forecast itself costs
        "compute_cpu_s": round(cpu, 2),
        "worker_months": result.worker_months,
        "errors": len(result.errors),
        "employer_cost_2nd_month_difference": str(
            next(r.amount for r in result.select("total", "employer_cost", "raise3 vs baseline")[1:2])
        ),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if address is not None:
        report["worker_peak_rss_mib"] = _on_workers(address, _peak)
    if cluster is not None:
        cluster.close()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

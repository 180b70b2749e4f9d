"""Benchmark: a forecast under a scheme that withholds income tax against an untaxed one.

Kunming 2024 withholds 个税 cumulatively (each month's tax depends on the months before it
in the year) and deducts 五险一金 on a base; the demo scheme does neither. Both rosters are
synthetic with a fixed seed: Kunming's is the one of ``close_month.py`` (posts, education,
appraisals, certificates, declarations), the demo's the one of ``run.py``. Each forecast is
``paycalc.forecast(roster, start, months, Assumptions())`` (the default assumptions: nobody
hired or leaving), timed ``--rounds`` times in this process after one warm-up; wall and CPU
seconds, min / median. Prints JSON. Not a test: never asserted.

    python -m benchmarks.taxed_forecast --workers 5000 --months 36
    python -m benchmarks.taxed_forecast --workers 1000000 --months 12 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.close_month import _roster as write_kunming_roster
from benchmarks.run import write_roster as write_demo_roster
from paycalc.forecasting import Assumptions, forecast


def _time(roster: Path, start: str, months: int, rounds: int) -> dict[str, Any]:
    forecast(roster, start, 1, Assumptions())  # warm-up: imports, schemes, caches
    walls, cpus, result = [], [], None
    for _ in range(rounds):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = forecast(roster, start, months, Assumptions())
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - began_cpu)
    assert result is not None
    return {
        "wall_s": [round(min(walls), 3), round(statistics.median(walls), 3)],
        "cpu_s": [round(min(cpus), 3), round(statistics.median(cpus), 3)],
        "worker_months": result.worker_months,
        "cohorts": result.cohorts,
        "errors": len(result.errors) + len(result.roster_errors),
    }


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    found.add_argument("--workers", type=int, default=5000)
    found.add_argument("--months", type=int, default=36)
    found.add_argument("--start", default="2024-01")
    found.add_argument("--rounds", type=int, default=3)
    return found


def main() -> None:
    args = parser().parse_args()
    with tempfile.TemporaryDirectory() as folder:
        kunming, demo = Path(folder) / "kunming.csv", Path(folder) / "demo.csv"
        write_kunming_roster(kunming, args.workers, random.Random(2024))
        write_demo_roster(demo, args.workers)
        taxed = _time(kunming, args.start, args.months, args.rounds)
        untaxed = _time(demo, args.start, args.months, args.rounds)
    print(
        json.dumps(
            {
                "workers": args.workers,
                "months": args.months,
                "start": args.start,
                "kunming_2024_taxed": taxed,
                "demo_untaxed": untaxed,
                "taxed_over_untaxed_cpu": round(taxed["cpu_s"][1] / untaxed["cpu_s"][1], 2),
                "loadavg": [round(x, 2) for x in os.getloadavg()],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

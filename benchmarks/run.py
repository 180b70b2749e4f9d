"""Throughput and memory of paycalc on a synthetic roster; prints one JSON object.

    python benchmarks/run.py --workers 1000000 --months 12 --json

Builds a roster of N workers under the demo scheme (a CSV file in a temporary folder;
posts, education, hire dates, certificates, appraisals and streets drawn with a fixed
seed), then measures:

- ``itemised_slips_per_s``: the itemised engine (``payslip_for_version``), one slip per
  worker, on one core, over the first ``--sample`` workers (already validated);
- ``run_slips_per_s``: ``run_roster`` with its fast path over the same sample;
- ``forecast_worker_months_per_s``: ``paycalc.forecast`` over the whole roster file for
  ``--months`` months, reading the CSV included; ``load_s`` is the roster loading
  (:func:`paycalc.io.columnar.read_cohorts`: reading, checking, folding into cohort
  columns; ``loader`` says which reader read the cells), ``compute_s`` the simulation and
  pay (the columnar engine), ``forecast_compute_worker_months_per_s`` the latter's rate;
- ``peak_rss_mib``: the process's peak resident memory.

Nothing here is asserted by the tests; numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from paycalc import Month, default_registry, payslip_for_version
from paycalc.batch import run_workers
from paycalc.forecasting import Assumptions, forecast
from paycalc.io import read_roster

HEADER = [
    "工号", "姓名", "方案", "岗位", "入职日期", "是否在编", "学历", "社工证等级", "社工证取得日期",
    "考核2021", "考核2022", "考核2023", "社区星级评定", "街道",
]  # fmt: skip
POSTS = (("专职委员", 60), ("副职", 20), ("正职", 15), ("书记主任一肩挑", 5))
EDUCATION = (("高中", 10), ("大专", 35), ("本科", 45), ("硕士", 9), ("博士", 1))
LEVELS = (("初级", 50), ("中级", 40), ("高级", 10))
APPRAISALS = (("称职", 85), ("优秀", 10), ("基本称职", 4), ("不称职", 1))
RATINGS = (("A", 20), ("B", 50), ("C", 30))
STREETS = [f"第{i}街道" for i in range(1, 13)]


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in table], [w for _, w in table])[0]


def write_roster(path: Path, workers: int, seed: int = 2024) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for index in range(workers):
            year = rng.randint(2000, 2023)
            day = 1 if rng.random() < 0.5 else rng.randint(2, 28)
            hired = f"{year}-{rng.randint(1, 12):02d}-{day:02d}"
            level, obtained = "", ""
            if rng.random() < 0.4:
                level = _pick(rng, LEVELS)
                obtained = f"{rng.randint(max(year, 2008), 2023)}-10-15"  # one exam date a year
            appraisals = [_pick(rng, APPRAISALS) if y >= year else "" for y in (2021, 2022, 2023)]
            out.writerow(
                [
                    f"W{index:07d}",
                    "",
                    "demo.community-worker",
                    _pick(rng, POSTS),
                    hired,
                    "是" if rng.random() < 0.1 else "否",
                    _pick(rng, EDUCATION),
                    level,
                    obtained,
                    *appraisals,
                    _pick(rng, RATINGS),
                    rng.choice(STREETS),
                ]
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--sample", type=int, default=20_000, help="workers timed itemised")
    parser.add_argument("--start", default="2024-01")
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    args = parser.parse_args()
    registry = default_registry()
    start = Month.parse(args.start)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        began = time.perf_counter()
        write_roster(path, args.workers)
        build_s = time.perf_counter() - began

        # itemised engine, one core
        sample_path = Path(folder) / "sample.csv"
        write_roster(sample_path, min(args.sample, args.workers))
        workers = read_roster(sample_path, schemes=registry).workers
        version = registry.version_for("demo.community-worker", start)
        for worker in workers[:200]:  # warm the compiled scheme
            payslip_for_version(worker, start, version)
        began = time.perf_counter()
        for worker in workers:
            payslip_for_version(worker, start, version)
        itemised_s = time.perf_counter() - began

        began = time.perf_counter()
        run = run_workers(workers, start, schemes=registry)
        run_s = time.perf_counter() - began

        from paycalc.io import columnar

        timed: list[Any] = []
        read_cohorts = columnar.read_cohorts

        def timed_read(*given: Any, **options: Any) -> Any:
            began = time.perf_counter()
            found = read_cohorts(*given, **options)
            timed.append((time.perf_counter() - began, found))
            return found

        columnar.read_cohorts = timed_read
        began = time.perf_counter()
        result = forecast(path, start, args.months, Assumptions(), schemes=registry)
        forecast_s = time.perf_counter() - began
        columnar.read_cohorts = read_cohorts
        load_s, loaded = timed[0]
        compute_s = forecast_s - load_s
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = {
        "workers": args.workers,
        "months": args.months,
        "roster_build_s": round(build_s, 2),
        "itemised_sample": len(workers),
        "itemised_slips_per_s": round(len(workers) / itemised_s),
        "run_slips_per_s": round(len(run.slips) / run_s),
        "run_profiles_computed": run.computed,
        "load_s": round(load_s, 2),
        "compute_s": round(compute_s, 2),
        "forecast_s": round(forecast_s, 2),
        "forecast_worker_months": result.worker_months,
        "forecast_worker_months_per_s": round(result.worker_months / forecast_s),
        "forecast_compute_worker_months_per_s": round(result.worker_months / compute_s),
        "loader": loaded.reader,
        "forecast_cohorts": result.cohorts,
        "forecast_rows_computed": result.computed,
        "forecast_errors": len(result.errors) + len(loaded.errors),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "python": sys.version.split()[0],
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

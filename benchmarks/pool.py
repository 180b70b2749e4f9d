"""Benchmark: ``run_roster`` on one process and on a pool, with the collector paused or not.

    python -m benchmarks.pool --rows 20000 200000 --rounds 3

Writes a roster of distinct pay profiles (fixed seed) and reads it once, untimed:

- ``kunming`` (default): the Kunming 2024 roster of ``benchmarks/close_month.py`` (income tax,
  五险一金, declarations) and a year-to-date file of February's figures, each worker's own;
  March is paid, each worker continuing from their figures;
- ``demo``: the demo scheme (no income tax), posts, ratings and hire dates drawn per worker,
  March 2024 paid — profiles distinct by the hire day;
- ``jiaocheng``: Jiaocheng 2020 (two lines a slip, the cheapest scheme), every worker hired
  on a day of their own in 2021, paid for June 2021 — profiles distinct by the service days.

Then, each round, in turn: ``run_roster(..., jobs=1)`` and ``run_roster(..., jobs=J)`` —
with ``--gc``, also both with the collector's pause turned off (``paycalc.batch``'s
``collection_paused`` replaced by a no-op, here only). The first round checks that every
variant's result equals the serial one. Reports, per variant, wall seconds ([min, median]),
the CPU seconds of this process and of its workers, and the speed-ups of the minimum wall
times; the load average before and after, because the machine may be shared. Prints JSON.
Not a test: never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from paycalc import batch
from paycalc.batch import RunResult, run_roster
from paycalc.close.ytd import read_ytd
from paycalc.io.roster import read_roster
from paycalc.period import Month
from paycalc.scheme import default_registry


def _kunming(folder: Path, rows: int) -> tuple[Path, Path | None, str]:
    from benchmarks.close_month import _roster, _ytd

    rng = random.Random(20240301)
    roster, ytd = folder / "kunming.csv", folder / "kunming-ytd.csv"
    _roster(roster, rows, rng)
    _ytd(ytd, rows, rng)
    return roster, ytd, "2024-03"


def _jiaocheng(folder: Path, rows: int) -> tuple[Path, Path | None, str]:
    rng = random.Random(2021)
    roster = folder / "jiaocheng.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["工号", "姓名", "方案", "岗位", "入职日期", "是否在编", "社工证等级", "社工证取得日期"])
        for index in range(rows):
            level = rng.choice(("", "初级", "中级", "高级"))
            out.writerow([
                f"JC{index:07d}", "", "jiaocheng.community-worker",
                rng.choice(("社区主干", "专职社区成员")),
                f"{rng.randint(1990, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(("是", "否")), level, "2019-06-20" if level else "",
            ])  # fmt: skip
    return roster, None, "2021-06"


def _demo(folder: Path, rows: int) -> tuple[Path, Path | None, str]:
    rng = random.Random(2024)
    roster = folder / "demo.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["工号", "姓名", "方案", "岗位", "入职日期", "社区星级评定"])
        for index in range(rows):
            out.writerow([
                f"DM{index:07d}", "", "demo.community-worker",
                rng.choice(("正职", "副职", "专职委员")),
                f"{rng.randint(1990, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice("ABC"),
            ])  # fmt: skip
    return roster, None, "2024-03"


ROSTERS: dict[str, Callable[[Path, int], tuple[Path, Path | None, str]]] = {
    "kunming": _kunming,
    "demo": _demo,
    "jiaocheng": _jiaocheng,
}


@contextlib.contextmanager
def _no_pause() -> Iterator[None]:
    yield


@contextlib.contextmanager
def _collector(paused: bool) -> Iterator[None]:
    """The run as shipped (paused) or with the collector running throughout."""
    shipped = batch.collection_paused
    if not paused:
        batch.collection_paused = _no_pause  # type: ignore[assignment]
    try:
        yield
    finally:
        batch.collection_paused = shipped  # type: ignore[assignment]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _summary(values: list[float]) -> list[float]:
    """[min, median]"""
    return [round(min(values), 3), round(statistics.median(values), 3)]


def measure(rows: int, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    roster_path, ytd_path, month = ROSTERS[args.roster](folder, rows)
    registry = default_registry()
    roster = read_roster(roster_path, schemes=registry)
    ytd = read_ytd(ytd_path, Month.parse(month)).states() if ytd_path is not None else None
    variants = [("serial", 1, True), (f"pooled-{args.jobs}", args.jobs, True)]
    if args.gc:
        variants += [("serial-gc-on", 1, False), (f"pooled-{args.jobs}-gc-on", args.jobs, False)]
    timings: dict[str, dict[str, list[float]]] = {
        name: {"wall_s": [], "cpu_s": [], "workers_cpu_s": []} for name, _, _ in variants
    }
    reference: RunResult | None = None
    loads = [os.getloadavg()[0]]
    for round_number in range(args.rounds):
        for name, jobs, paused in variants:
            with _collector(paused):
                children, cpu, wall = _children_cpu(), time.process_time(), time.perf_counter()
                result = run_roster(
                    roster, month, schemes=registry, ytd=ytd, jobs=jobs, fast=not args.itemised
                )
                wall = time.perf_counter() - wall
                cpu = time.process_time() - cpu
                children = _children_cpu() - children
            timings[name]["wall_s"].append(wall)
            timings[name]["cpu_s"].append(cpu)
            timings[name]["workers_cpu_s"].append(children)
            if round_number == 0:
                if reference is None:
                    reference = result
                elif result != reference:
                    raise SystemExit(f"{name}: the result differs from the serial run's")
            del result
        loads.append(os.getloadavg()[0])
    assert reference is not None
    report: dict[str, Any] = {
        "rows": rows,
        "roster": args.roster,
        "month": month,
        "slips": len(reference.slips),
        "profiles_computed": reference.computed,
        "rows_paid_one_by_one": rows if args.itemised else rows - min(rows, 2000),
        "pool_min_rows": batch.POOL_MIN_ROWS,
        "variants": {
            name: {key: _summary(values) for key, values in found.items()}
            for name, found in timings.items()
        },
        "load_average_1min": [round(load, 2) for load in loads],
    }
    serial = min(timings["serial"]["wall_s"])
    report["speedup_pooled_vs_serial"] = round(serial / min(timings[f"pooled-{args.jobs}"]["wall_s"]), 2)
    if args.gc:
        report["speedup_pause_serial"] = round(min(timings["serial-gc-on"]["wall_s"]) / serial, 2)
        report["cpu_ratio_pause_serial"] = round(
            min(timings["serial-gc-on"]["cpu_s"]) / min(timings["serial"]["cpu_s"]), 2
        )
    return report


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--roster", choices=sorted(ROSTERS), default="kunming")
    parser.add_argument(
        "--itemised", action="store_true", help="fast=False: every row one by one (no probe)"
    )
    parser.add_argument("--gc", action="store_true", help="also with the collector running")
    parser.add_argument(
        "--pool-min-rows",
        type=int,
        default=None,
        help="replace batch.POOL_MIN_ROWS (here only), e.g. 1 to time the pool on small rosters",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    shipped = batch.POOL_MIN_ROWS
    if args.pool_min_rows is not None:
        batch.POOL_MIN_ROWS = args.pool_min_rows  # type: ignore[misc]
    reports = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            for rows in args.rows:
                reports.append(measure(rows, args, Path(folder)))
                print(json.dumps(reports[-1]), file=sys.stderr)
    finally:
        batch.POOL_MIN_ROWS = shipped  # type: ignore[misc]
    print(
        json.dumps(
            {"runs": reports, "cores": os.cpu_count(), "python": sys.version.split()[0]},
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

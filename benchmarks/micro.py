"""Micro-benchmarks: one itemised slip, and ``import paycalc``; prints one JSON object.

    python -m benchmarks.micro [--repeat 7] [--imports 9] [--no-openfisca]

- ``slip_us``: one call of ``paycalc.payslip(worker, "YYYY-MM")`` (the public API: month
  parsed, scheme version looked up in the default registry, slip computed) for the bundled
  example workers — Jiaocheng 2020 (``zhugan.json``, 2021-03), demo 2023-01
  (``chief.json``, 2024-03), Kunming 2024-01 (``zhengzhi.json``) in January and in
  December, where income tax is withheld cumulatively and so the months before are paid
  too; ``engine_us`` the same slip by ``payslip_for_version`` with the version and month
  given (the engine alone; for the taxed scheme, with an empty year so far).
- ``openfisca_slip_us``: the same Jiaocheng slip from the OpenFisca model
  (:mod:`benchmarks.openfisca_jiaocheng.model`): a one-worker simulation built, its inputs
  set and the month's lines calculated (the tax-benefit system built once, as paycalc's
  registry is); skipped without openfisca-core.
- ``import_paycalc_ms``: ``import paycalc`` timed inside a fresh interpreter, ``--imports``
  times; ``heavy_modules`` lists numpy/pandas/pyarrow/polars/openpyxl/matplotlib if the
  import pulled any in.

Each timing is ``--repeat`` rounds of enough calls to last ≥ 0.2 s; min and median per call,
of wall time and (``cpu_``) of this process's CPU time, which other work on the machine
disturbs less.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["main", "parser"]

ROOT = Path(__file__).resolve().parents[1]
WORKERS = ROOT / "examples" / "workers"
#: name -> (worker file, month)
SLIPS = {
    "jiaocheng-2020": ("jiaocheng.community-worker/zhugan.json", "2021-03"),
    "demo-2023-01": ("demo.community-worker/chief.json", "2024-03"),
    "kunming-2024-january": ("kunming.community-worker/zhengzhi.json", "2024-01"),
    "kunming-2024-december": ("kunming.community-worker/zhengzhi.json", "2024-12"),
}
HEAVY = ("numpy", "pandas", "pyarrow", "polars", "openpyxl", "matplotlib")
_IMPORT_PROBE = f"""
import sys, time
began, cpu = time.perf_counter(), time.process_time()
import paycalc
took, cpu_took = time.perf_counter() - began, time.process_time() - cpu
print(took, cpu_took, ",".join(m for m in {HEAVY!r} if m in sys.modules))
"""


def per_call_us(call: Callable[[], object], repeat: int) -> dict[str, float]:
    """Microseconds per call: wall (min, median) and CPU of this process (cpu_min, cpu_median).

    CPU time is less disturbed than wall time when other work shares the machine.
    """
    number, _ = timeit.Timer(call).autorange()  # also warms the caches
    while _round(call, number)[0] < 0.2:
        number *= 2
    rounds = [_round(call, number) for _ in range(repeat)]
    wall = [w / number * 1e6 for w, _ in rounds]
    cpu = [c / number * 1e6 for _, c in rounds]
    return {
        "min": round(min(wall), 1),
        "median": round(statistics.median(wall), 1),
        "cpu_min": round(min(cpu), 1),
        "cpu_median": round(statistics.median(cpu), 1),
    }


def _round(call: Callable[[], object], number: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(number):
        call()
    return time.perf_counter() - wall, time.process_time() - cpu


def slips(repeat: int) -> dict[str, Any]:
    import paycalc
    from paycalc.engine import earnings_slip

    registry = paycalc.default_registry()
    out: dict[str, Any] = {}
    for name, (file, month_text) in SLIPS.items():
        worker = paycalc.load_worker(WORKERS / file)
        month = paycalc.Month.parse(month_text)
        version = registry.version_for(worker.scheme or "", month)
        slip = paycalc.payslip(worker, month_text)
        out[name] = {
            "scheme": f"{version.family} {version.version}",
            "month": month_text,
            "gross": str(slip.gross),
            "net": str(slip.net),
            "lines": len(slip.lines),
            "slip_us": per_call_us(lambda w=worker, m=month_text: paycalc.payslip(w, m), repeat),
            # earnings_slip: payslip_for_version with an empty year so far when taxed
            "engine_us": per_call_us(
                lambda w=worker, m=month, v=version: earnings_slip(w, m, v), repeat
            ),
        }
    return out


def openfisca_slip(repeat: int) -> dict[str, Any] | None:
    try:
        import numpy as np

        from benchmarks.openfisca_jiaocheng.model import NEVER, Level, Post, jiaocheng_system
        from benchmarks.openfisca_jiaocheng.openfisca_run import (
            OpenFiscaInputs,
            month_lines,
            simulation,
        )
    except ImportError:
        return None
    import paycalc

    system = jiaocheng_system()
    worker = paycalc.load_worker(WORKERS / SLIPS["jiaocheng-2020"][0])
    month = SLIPS["jiaocheng-2020"][1]
    certificate = worker.qualifications[0]
    inputs = OpenFiscaInputs(
        ids=np.array([worker.id]),
        post=np.array([Post.principal.index]),
        in_establishment=np.array([worker.in_establishment]),
        hired_on=np.array([worker.hired_on], dtype="datetime64[D]"),
        left_on=np.array([worker.left_on or NEVER], dtype="datetime64[D]"),
        social_work_level=np.array([getattr(Level, certificate.level.value).index]),
        social_work_obtained_on=np.array([certificate.obtained_on], dtype="datetime64[D]"),
    )

    def one() -> dict[str, np.ndarray]:
        return month_lines(simulation(system, inputs), month)[1]

    lines = {code: int(fen[0]) for code, fen in one().items()}
    expected = paycalc.payslip(worker, month)
    if sum(lines.values()) != int(expected.gross * 100):
        raise AssertionError(f"OpenFisca {lines} != paycalc {expected.gross}")
    return {"lines_fen": lines, "slip_us": per_call_us(one, repeat)}


def import_times(count: int) -> dict[str, Any]:
    wall, cpu, heavy = [], [], set()
    for _ in range(count):
        done = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROBE], capture_output=True, text=True, check=True
        )
        fields = done.stdout.split()
        wall.append(float(fields[0]) * 1000)
        cpu.append(float(fields[1]) * 1000)
        heavy.update(fields[2].split(",") if len(fields) > 2 else ())
    return {
        "min": round(min(wall), 1),
        "median": round(statistics.median(wall), 1),
        "cpu_min": round(min(cpu), 1),
        "cpu_median": round(statistics.median(cpu), 1),
        "heavy_modules": sorted(heavy),
    }


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--imports", type=int, default=9)
    parser.add_argument("--no-openfisca", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)

    report: dict[str, Any] = {
        "import_paycalc_ms": import_times(args.imports),
        "slips": slips(args.repeat),
        "openfisca_slip": None if args.no_openfisca else openfisca_slip(args.repeat),
        "loadavg": os.getloadavg(),
        "python": sys.version.split()[0],
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

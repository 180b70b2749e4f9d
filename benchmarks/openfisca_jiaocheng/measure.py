"""One system paying one roster for some months, timed inside its own process.

    python -m benchmarks.openfisca_jiaocheng.measure SYSTEM ROSTER.csv [--start 2021-01] [--months 12]

Prints one JSON object: ``import_s`` (the system's modules), ``load_s`` (the CSV into the
system's columns, checked), ``compute_s`` (the months paid and summed), ``total_s`` =
load + compute, ``cpu_s`` (CPU seconds of all the process's threads during load +
compute), ``gc_s`` (time in Python's garbage collector during load + compute),
``threads``, the monthly ``totals`` in fen, and ``peak_rss_mib`` (this process's peak
resident memory, imports included: VmHWM). Systems:

- ``paycalc``: ``paycalc.forecast(ROSTER, start, months, no_change.toml)`` — the public
  API; its load is the time spent in the forecast's roster loader
  (``paycalc.io.columnar.read_cohorts``: reading, checking and folding the CSV into cohort
  columns; timed by wrapping it; null if a paycalc has no such function), its compute the
  rest of the call. A roster of more rows than a forecast reads from one file
  (``paycalc.limits.MAX_FORECAST_ROWS``, 5,000,000) is read with that limit lifted to its
  size, and ``detail.max_rows`` says so;
- ``openfisca``: :mod:`.openfisca_run` (pandas, then one OpenFisca simulation);
- ``pyarrow``, ``pyarrow-1t``, ``polars``, ``polars-1t``: :mod:`.limit` (the reader with
  all its threads, or one; polars' thread count is fixed by ``POLARS_MAX_THREADS`` when it
  is imported, so ``polars-1t`` sets it to 1 first).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

__all__ = ["SYSTEMS", "main", "parser", "paycalc_totals"]

SYSTEMS = ("paycalc", "openfisca", "pyarrow", "pyarrow-1t", "polars", "polars-1t")
NO_CHANGE = Path(__file__).with_name("no_change.toml")


class _GcClock:
    """Between :meth:`start` and :meth:`stop`: seconds in garbage collections, and the
    process's CPU seconds (user + system, all threads) — less sensitive than wall time
    to other work on the machine."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.cpu = 0.0
        self._began = 0.0
        self._on = False

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if not self._on:
            return
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._began

    def start(self) -> None:
        self._on = True
        gc.callbacks.append(self)
        times = os.times()
        self.cpu = -(times.user + times.system)

    def stop(self) -> None:
        self._on = False
        times = os.times()
        self.cpu += times.user + times.system


def _peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: since its exec, unlike ru_maxrss,
    which keeps the forking parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fen(amount: Decimal) -> int:
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of fen")
    return int(fen)


def paycalc_totals(result: Any) -> dict[str, dict[str, Any]]:
    """A ``paycalc.Forecast``'s monthly totals in fen (:mod:`.totals`' shape).

    Raises SystemExit when the forecast reports any problem: nothing may be left out.
    """
    problems = [str(e) for e in result.roster_errors] + [str(p) for p in result.file_problems]
    problems += [f"{e.month} {e.worker_id}: {e.reason}" for e in result.errors]
    if problems:
        raise SystemExit(f"paycalc reported {len(problems)} problem(s): {problems[:5]}")
    totals: dict[str, dict[str, Any]] = {}
    for row in result.rows:
        if len(row.month) != len("YYYY-MM"):  # a year's total (``YYYY``): not a month
            continue
        month = totals.setdefault(row.month, {"workers": 0, "gross": 0, "lines": {}})
        if row.dimension == "total" and row.key == "gross":
            month["workers"], month["gross"] = row.workers, _fen(row.amount)
        elif row.dimension == "component":
            month["lines"][row.key] = [row.workers, _fen(row.amount)]
    return totals


def _paycalc(roster: Path, start: str, months: int, clock: _GcClock) -> dict[str, Any]:
    began = time.perf_counter()
    import paycalc

    try:  # the forecast's roster loader, timed where it is called (see the module docstring)
        from paycalc.io import columnar
    except ImportError:
        columnar = None  # type: ignore[assignment]
    with contextlib.suppress(ImportError):  # its CSV reader (pyarrow) counts as imports,
        import paycalc.io.arrow  # as for the floor below
    imported = time.perf_counter()
    max_rows = _lift_row_limit(roster)
    assumptions = paycalc.load_assumptions(NO_CHANGE)
    registry = paycalc.default_registry()
    loading = [0.0]
    if columnar is not None and hasattr(columnar, "read_cohorts"):
        original = columnar.read_cohorts

        def timed_load(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                loading[0] += time.perf_counter() - began

        columnar.read_cohorts = timed_load
    else:
        loading = []
    clock.start()
    began_run = time.perf_counter()
    result = paycalc.forecast(roster, start, months, assumptions, schemes=registry)
    ended = time.perf_counter()
    clock.stop()
    totals = paycalc_totals(result)
    total = ended - began_run
    return {
        "import_s": imported - began,
        "load_s": loading[0] if loading else None,
        "compute_s": total - loading[0] if loading else None,
        "total_s": total,
        "threads": 1,
        "rows": result.rows_in,
        "worker_months": result.worker_months,
        "detail": {"cohorts": result.cohorts, "computed": result.computed, "max_rows": max_rows},
        "totals": totals,
    }


def _lift_row_limit(roster: Path) -> int | None:
    """Lift ``paycalc.limits.MAX_FORECAST_ROWS`` to the roster's line count when it has more
    rows (a forecast reads 5,000,000; the 4.5M roster fits, larger benchmark rosters not)."""
    from paycalc import limits

    with roster.open("rb") as handle:
        lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 24), b""))
    if lines <= limits.MAX_FORECAST_ROWS:
        return None
    setattr(limits, "MAX_FORECAST_ROWS", lines)  # noqa: B010 - a Final constant, lifted on purpose
    return lines


def _openfisca(roster: Path, start: str, months: int, clock: _GcClock) -> dict[str, Any]:
    began = time.perf_counter()
    from benchmarks.openfisca_jiaocheng import openfisca_run
    from benchmarks.openfisca_jiaocheng.model import jiaocheng_system
    from benchmarks.openfisca_jiaocheng.totals import months_from

    system = jiaocheng_system()
    imported = time.perf_counter()
    clock.start()
    inputs = openfisca_run.read_inputs(roster)
    loaded = time.perf_counter()
    sim = openfisca_run.simulation(system, inputs)
    totals = openfisca_run.totals(sim, months_from(start, months))
    ended = time.perf_counter()
    clock.stop()
    return {
        "import_s": imported - began,
        "load_s": loaded - imported,
        "compute_s": ended - loaded,
        "total_s": ended - imported,
        "threads": 1,
        "rows": len(inputs.ids),
        "worker_months": sum(m["workers"] for m in totals.values()),
        "totals": totals,
    }


def _limit(roster: Path, start: str, months: int, clock: _GcClock, reader: str) -> dict[str, Any]:
    began = time.perf_counter()
    from benchmarks.openfisca_jiaocheng import limit
    from benchmarks.openfisca_jiaocheng.scheme_data import read_figures
    from benchmarks.openfisca_jiaocheng.totals import months_from

    if reader.startswith("polars"):
        if reader == "polars-1t":
            os.environ["POLARS_MAX_THREADS"] = "1"  # read by polars when it is imported
        import polars

        threads = polars.thread_pool_size()
    else:
        import pyarrow

        # pyarrow imports pandas (when installed) the first time it converts to numpy;
        # import it here so that this one-off counts as import time, not loading time.
        pyarrow.chunked_array([[1]]).to_numpy()
        if reader == "pyarrow-1t":
            pyarrow.set_cpu_count(1)
        threads = pyarrow.cpu_count()
    figures = read_figures()
    imported = time.perf_counter()
    clock.start()
    if reader.startswith("polars"):
        columns = limit.read_with_polars(roster, figures)
    else:
        columns = limit.read_with_pyarrow(roster, figures, threads=reader == "pyarrow")
    loaded = time.perf_counter()
    totals = limit.pay_months(columns, figures, months_from(start, months))
    ended = time.perf_counter()
    clock.stop()
    return {
        "import_s": imported - began,
        "load_s": loaded - imported,
        "compute_s": ended - loaded,
        "total_s": ended - imported,
        "threads": threads,
        "rows": len(columns.hired),
        "worker_months": sum(m["workers"] for m in totals.values()),
        "totals": totals,
    }


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("system", choices=SYSTEMS)
    parser.add_argument("roster", type=Path)
    parser.add_argument("--start", default="2021-01")
    parser.add_argument("--months", type=int, default=12)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    clock = _GcClock()
    if args.system == "paycalc":
        report = _paycalc(args.roster, args.start, args.months, clock)
    elif args.system == "openfisca":
        report = _openfisca(args.roster, args.start, args.months, clock)
    else:
        report = _limit(args.roster, args.start, args.months, clock, args.system)
    report["gc_s"] = clock.seconds
    report["cpu_s"] = clock.cpu
    report["system"] = args.system
    report["peak_rss_mib"] = _peak_rss_mib()
    report["pid"] = os.getpid()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

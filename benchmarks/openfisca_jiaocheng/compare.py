"""paycalc, OpenFisca-Core and the pyarrow/polars + numpy floor on one Jiaocheng roster, in one run.

    python -m benchmarks.openfisca_jiaocheng.compare --workers 1000000 [--rounds 3]
        [--no-part-months] [--systems paycalc,openfisca,pyarrow,...] [--json OUT.json]

Run from the repository root, in a venv with ``pip install -e ".[bench]"``. In order:

1. the roster (:mod:`.roster`, fixed seed) is written to ``--roster-dir`` unless it is there;
2. **parity**: a sample of it (``--sample`` workers, part months favoured) is paid month by
   month by ``paycalc.payslip`` and by the OpenFisca model, and every line of every slip
   must be equal (:mod:`.parity`);
3. **timing**: each system pays the whole roster for ``--months`` months in its own process
   (:mod:`.measure`), ``--rounds`` times, the order of the systems rotating each round; its
   peak memory is the process's own (VmHWM), its ``process_s`` the whole process's wall
   time (interpreter start and imports included);
4. **totals**: every system's monthly totals (headcount, gross, each line's workers and
   amount, in fen) must equal OpenFisca's, every round;
5. a table (min / median of the rounds) and the ratios of medians, from this run.

Exit status 1 when a slip or a total differs (the times are still printed).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.openfisca_jiaocheng.measure import SYSTEMS
from benchmarks.openfisca_jiaocheng.roster import RosterShape, cached_roster
from benchmarks.openfisca_jiaocheng.totals import differences, months_from

__all__ = ["main", "parser", "run_system"]

ROOT = Path(__file__).resolve().parents[2]
FLOORS = ("pyarrow", "pyarrow-1t", "polars", "polars-1t")
STAGES = (
    "import_s", "load_s", "compute_s", "total_s", "cpu_s", "process_s", "peak_rss_mib", "gc_s",
)  # fmt: skip


def run_system(system: str, roster: Path, start: str, months: int) -> dict[str, Any]:
    """Run :mod:`.measure` for one system in a fresh process; add its wall time."""
    command = [sys.executable, "-m", "benchmarks.openfisca_jiaocheng.measure", system, str(roster)]
    command += ["--start", start, "--months", str(months)]
    began = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{system} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    report["process_s"] = wall
    return report


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"threads": runs[0]["threads"], "rows": runs[0]["rows"]}
    out["worker_months"] = runs[0]["worker_months"]
    for stage in STAGES:
        values = [run[stage] for run in runs if run.get(stage) is not None]
        if values:
            out[stage] = {"min": min(values), "median": statistics.median(values)}
    if "detail" in runs[0]:
        out["detail"] = runs[0]["detail"]
    return out


def _ratio(a: dict[str, Any], b: dict[str, Any], stage: str) -> float | None:
    if stage not in a or stage not in b or not b[stage]["median"]:
        return None
    return round(a[stage]["median"] / b[stage]["median"], 2)


def _environment() -> dict[str, Any]:
    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    def git(*args: str) -> str:
        found = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return found.stdout.strip()

    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    packages = ("paycalc", "openfisca-core", "numpy", "pandas", "pyarrow", "polars")
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git("rev-parse", "--short", "HEAD")
        + ("+dirty" if git("status", "--porcelain") else ""),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "packages": {name: version(name) for name in packages},
    }


def _fmt(value: dict[str, float] | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value['min']:.{digits}f} / {value['median']:.{digits}f}"


def table(result: dict[str, Any]) -> str:
    """The results as a Markdown table (min / median of the rounds)."""
    lines = [
        "| system | threads | load s | compute s | total s | CPU s | process s | peak RSS MiB | GC s | total vs OpenFisca |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for system, s in result["systems"].items():
        ratio = result["ratios"].get(f"{system}/openfisca", {}).get("total_s")
        lines.append(
            f"| {system} | {s['threads']} | {_fmt(s.get('load_s'))} | {_fmt(s.get('compute_s'))} "
            f"| {_fmt(s.get('total_s'))} | {_fmt(s.get('cpu_s'))} | {_fmt(s.get('process_s'))} "
            f"| {_fmt(s.get('peak_rss_mib'), 0)} | {_fmt(s.get('gc_s'))} "
            f"| {'—' if ratio is None else f'{ratio}×'} |"
        )
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-part-months", action="store_true")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated")
    parser.add_argument("--start", default="2021-01")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--sample", type=int, default=2000, help="workers checked line by line")
    parser.add_argument(
        "--roster-dir", type=Path, default=Path(tempfile.gettempdir()) / "paycalc-bench"
    )
    parser.add_argument("--json", type=Path, help="write the whole result here")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    systems = [name.strip() for name in args.systems.split(",") if name.strip()]
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown or args.rounds < 1 or args.sample < 1:
        parser().error(
            f"unknown systems {unknown}" if unknown else "--rounds and --sample must be ≥ 1"
        )
    months = months_from(args.start, args.months)
    shape = RosterShape(year=int(args.start[:4]), part_months=not args.no_part_months)
    load_before = os.getloadavg()

    began = time.perf_counter()
    roster = cached_roster(args.roster_dir, args.workers, shape)
    roster_s = time.perf_counter() - began
    print(f"roster: {roster} ({roster.stat().st_size / 2**20:.0f} MiB)", file=sys.stderr)

    from benchmarks.openfisca_jiaocheng.parity import check_roster_sample

    parity = check_roster_sample(roster, months, size=args.sample).as_dict()
    print(f"parity: {json.dumps(parity, ensure_ascii=False)}", file=sys.stderr)

    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in systems}
    for round_index in range(args.rounds):
        shift = round_index % len(systems)
        for system in systems[shift:] + systems[:shift]:
            report = run_system(system, roster, args.start, args.months)
            runs[system].append(report)
            print(
                f"round {round_index + 1} {system}: total {report['total_s']:.3f} s, "
                f"peak {report['peak_rss_mib']:.0f} MiB",
                file=sys.stderr,
            )

    reference = "openfisca" if "openfisca" in systems else systems[0]
    expected = runs[reference][0]["totals"]
    totals_problems = {
        f"{system} round {i + 1}": found[:5]
        for system, reports in runs.items()
        for i, report in enumerate(reports)
        if (found := differences(expected, report["totals"]))
    }
    summaries = {name: _summary(reports) for name, reports in runs.items()}
    ratios: dict[str, dict[str, float | None]] = {}
    if "openfisca" in summaries:
        for name in systems:
            if name != "openfisca":
                ratios[f"{name}/openfisca"] = {
                    stage: _ratio(summaries[name], summaries["openfisca"], stage)
                    for stage in ("load_s", "compute_s", "total_s", "cpu_s", "peak_rss_mib")
                }
    floors = [name for name in FLOORS if name in summaries]
    if "paycalc" in summaries and floors:
        floor = min(floors, key=lambda name: summaries[name]["total_s"]["median"])
        ratios[f"paycalc/{floor}"] = {
            stage: _ratio(summaries["paycalc"], summaries[floor], stage)
            for stage in ("load_s", "compute_s", "total_s", "cpu_s", "peak_rss_mib")
        }
    result = {
        "workers": args.workers,
        "months": args.months,
        "start": args.start,
        "part_months": shape.part_months,
        "rounds": args.rounds,
        "roster": str(roster),
        "roster_written_s": round(roster_s, 2),
        "parity": parity,
        "totals_equal": not totals_problems,
        "totals_problems": totals_problems,
        "totals_reference": reference,
        "systems": summaries,
        "ratios": ratios,
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
        "environment": _environment(),
    }
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(table(result))
    print(
        json.dumps(
            {k: result[k] for k in ("ratios", "totals_equal", "loadavg_before", "loadavg_after")}
        )
    )
    print(f"parity ok: {parity['ok']}, totals equal: {not totals_problems}")
    return 0 if parity["ok"] and not totals_problems else 1


if __name__ == "__main__":
    sys.exit(main())

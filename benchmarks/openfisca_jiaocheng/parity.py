"""Every line of every slip: paycalc's itemised engine against the OpenFisca model.

A sample of the roster (all of it when small) is written to its own CSV file; paycalc reads
it with ``paycalc.read_roster`` and pays each worker each month with ``paycalc.payslip``;
the OpenFisca model reads the same file and computes the same months. For every worker and
month: a slip exists exactly when OpenFisca counts employed days, and the slip's lines
(code → fen) and gross equal OpenFisca's non-zero lines and gross.

The sample (:mod:`.sample`) favours part months.
"""

from __future__ import annotations

import calendar
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import paycalc
from benchmarks.openfisca_jiaocheng.model import LINES, jiaocheng_system
from benchmarks.openfisca_jiaocheng.openfisca_run import month_lines, read_inputs, simulation
from benchmarks.openfisca_jiaocheng.sample import sample_roster

__all__ = ["ParityReport", "check_parity", "check_roster_sample"]

#: a slip as compared: line code -> fen (non-zero lines only), or None when there is none
Slip = dict[str, int] | None


@dataclass
class ParityReport:
    workers: int = 0
    months: int = 0
    slips: int = 0
    part_month_slips: int = 0
    lines: int = 0
    not_employed: int = 0
    mismatches: list[str] = field(default_factory=list)
    mismatch_count: int = 0

    @property
    def ok(self) -> bool:
        return self.mismatch_count == 0 and self.slips > 0

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "workers": self.workers,
            "months": self.months,
            "slips": self.slips,
            "part_month_slips": self.part_month_slips,
            "lines": self.lines,
            "not_employed_months": self.not_employed,
            "mismatches": self.mismatch_count,
            "first_mismatches": self.mismatches[:20],
        }


def _fen(amount: Decimal) -> int:
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of fen")
    return int(fen)


def _paycalc_slips(path: Path, months: list[str]) -> dict[tuple[str, str], Slip | str]:
    registry = paycalc.default_registry()
    roster = paycalc.read_roster(path, schemes=registry)
    bad = [str(e) for record in roster for e in record.errors] + [
        str(p) for p in roster.file_problems
    ]
    if bad:
        raise ValueError(f"paycalc refused the roster {path}: {bad[:5]}")
    slips: dict[tuple[str, str], Slip | str] = {}
    for record in roster:
        assert record.worker is not None
        for month in months:
            try:
                slip = paycalc.payslip(record.worker, month, schemes=registry)
            except paycalc.PayError:
                slips[record.worker_id, month] = None  # no slip this month
                continue
            except paycalc.PaycalcError as error:
                slips[record.worker_id, month] = f"paycalc error: {error}"
                continue
            lines = {line.code: _fen(line.amount) for line in slip.lines}
            if sum(lines.values()) != _fen(slip.gross):
                slips[record.worker_id, month] = f"gross {slip.gross} is not the sum of {lines}"
                continue
            slips[record.worker_id, month] = lines
    return slips


def check_parity(path: Path, months: list[str], system: Any = None) -> ParityReport:
    """Compare every slip of every worker of ``path`` in ``months``.

    ``system``: the OpenFisca tax-benefit system (default: :func:`.jiaocheng_system`).
    """
    ours = _paycalc_slips(path, months)
    inputs = read_inputs(path)
    sim = simulation(system if system is not None else jiaocheng_system(), inputs)
    report = ParityReport(workers=len(inputs.ids), months=len(months))
    for month in months:
        paid, lines = month_lines(sim, month)
        days = sim.calculate("employed_days", month)
        month_days = calendar.monthrange(*(int(p) for p in month.split("-")))[1]
        for i, worker_id in enumerate(inputs.ids):
            theirs: Slip = (
                {code: int(lines[code][i]) for code in LINES if lines[code][i] != 0}
                if paid[i]
                else None
            )
            mine = ours.get((str(worker_id), month), "missing from paycalc")
            if theirs is None and mine is None:
                report.not_employed += 1
                continue
            if mine != theirs:
                report.mismatch_count += 1
                report.mismatches.append(
                    f"{worker_id} {month}: paycalc {mine} != OpenFisca {theirs}"
                )
                continue
            assert theirs is not None
            report.slips += 1
            report.lines += len(theirs)
            report.part_month_slips += int(days[i] < month_days)
    return report


def check_roster_sample(
    roster: Path, months: list[str], size: int = 2000, scan: int = 40_000
) -> ParityReport:
    """:func:`check_parity` on a sample of ``roster`` written to a temporary file."""
    with tempfile.TemporaryDirectory() as folder:
        sample = sample_roster(roster, Path(folder) / "sample.csv", months, size, scan)
        return check_parity(sample, months)

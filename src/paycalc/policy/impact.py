"""Impact of a scheme change on a roster: who gains, who loses, what it costs.

Each worker is paid for the month under OLD and under NEW; the report lists per worker the
gross before and after, the difference and the lines that moved, and sums it up. The annual
figure adds twelve months from the month asked (yearly payments included), with the roster
as it stands, and 称职 assumed for the appraisals of years not yet appraised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from paycalc.codes import Appraisal
from paycalc.engine import earnings_slip
from paycalc.errors import PaycalcError, Problem, problems_of
from paycalc.money import ZERO, format_money
from paycalc.period import Month
from paycalc.scheme.version import SchemeVersion
from paycalc.worker import Worker

__all__ = ["ImpactReport", "LineMove", "WorkerImpact", "impact"]


@dataclass(frozen=True, slots=True)
class LineMove:
    code: str
    label: str
    old: Decimal
    new: Decimal


@dataclass(frozen=True)
class WorkerImpact:
    worker_id: str
    name: str
    old_gross: Decimal
    new_gross: Decimal
    moved: tuple[LineMove, ...]
    annual_delta: Decimal

    @property
    def delta(self) -> Decimal:
        return self.new_gross - self.old_gross


@dataclass(frozen=True)
class ImpactReport:
    old: SchemeVersion
    new: SchemeVersion
    month: Month
    workers: tuple[WorkerImpact, ...]
    problems: tuple[Problem, ...] = field(default=())

    @property
    def gainers(self) -> list[WorkerImpact]:
        return [w for w in self.workers if w.delta > 0]

    @property
    def losers(self) -> list[WorkerImpact]:
        return [w for w in self.workers if w.delta < 0]

    @property
    def unchanged(self) -> list[WorkerImpact]:
        return [w for w in self.workers if w.delta == 0]

    @property
    def largest_loss(self) -> WorkerImpact | None:
        return min(self.losers, key=lambda w: w.delta, default=None)

    @property
    def monthly_cost_change(self) -> Decimal:
        return sum((w.delta for w in self.workers), ZERO)

    @property
    def annual_cost_change(self) -> Decimal:
        return sum((w.annual_delta for w in self.workers), ZERO)

    def summary(self, rows_in: int | None = None) -> dict[str, Any]:
        """The totals as JSON-ready values (money as two-decimal strings).

        ``rows_in`` counts the roster rows read, when some failed before reaching the report.
        """
        rows = len(self.workers) + len(self.problems) if rows_in is None else rows_in
        loss = self.largest_loss
        return {
            "old": f"{self.old.family}@{self.old.version}",
            "new": f"{self.new.family}@{self.new.version}",
            "month": str(self.month),
            "rows_in": rows,
            "workers": len(self.workers),
            "failed_rows": rows - len(self.workers),
            "gain": len(self.gainers),
            "lose": len(self.losers),
            "unchanged": len(self.unchanged),
            "largest_loss": None
            if loss is None
            else {"worker_id": loss.worker_id, "delta": format_money(loss.delta)},
            "monthly_cost_change": format_money(self.monthly_cost_change),
            "annual_cost_change": format_money(self.annual_cost_change),
        }

    def worker_rows(self) -> list[dict[str, str]]:
        """One JSON-ready row per worker compared, in roster order."""
        return [
            {
                "worker_id": w.worker_id,
                "name": w.name,
                "old_gross": format_money(w.old_gross),
                "new_gross": format_money(w.new_gross),
                "delta": format_money(w.delta),
                "annual_delta": format_money(w.annual_delta),
                "moved": "; ".join(
                    f"{m.label} {format_money(m.old)} → {format_money(m.new)}" for m in w.moved
                ),
            }
            for w in self.workers
        ]


def _with_assumed_appraisals(worker: Worker, last: Month) -> Worker:
    """The worker with 称职 assumed for every year not yet appraised before ``last``.

    The twelve months ahead may hold yearly payments scaled by appraisals that do not
    exist yet; the annual estimate assumes the ordinary result for them.
    """
    missing = {
        year: Appraisal.competent
        for year in range(worker.hired_on.year, last.year)
        if year not in worker.appraisals
    }
    if not missing:
        return worker
    return worker.model_copy(update={"appraisals": {**worker.appraisals, **missing}})


def _employed(worker: Worker, month: Month) -> bool:
    return worker.hired_on <= month.last_day and (
        worker.left_on is None or worker.left_on >= month.first_day
    )


def impact(
    old: SchemeVersion, new: SchemeVersion, workers: Iterable[Worker], month: Month
) -> ImpactReport:
    """Pay every worker for ``month`` under ``old`` and ``new``; rows in = workers + problems."""
    results: list[WorkerImpact] = []
    problems: list[Problem] = []
    for worker in workers:
        try:
            before, after = earnings_slip(worker, month, old), earnings_slip(worker, month, new)
            annual = ZERO
            assumed = _with_assumed_appraisals(worker, month.plus(11))
            for offset in range(12):
                later = month.plus(offset)
                if _employed(worker, later):
                    annual += (
                        earnings_slip(assumed, later, new).gross
                        - earnings_slip(assumed, later, old).gross
                    )
        except PaycalcError as error:
            problems += problems_of(worker, error)
            continue
        old_lines = {line.code: line for line in before.lines if line.category == "earning"}
        new_lines = {line.code: line for line in after.lines if line.category == "earning"}
        moved = tuple(
            LineMove(
                code,
                (new_lines.get(code) or old_lines[code]).label,
                old_lines[code].amount if code in old_lines else ZERO,
                new_lines[code].amount if code in new_lines else ZERO,
            )
            for code in [*old_lines, *(c for c in new_lines if c not in old_lines)]
            if (old_lines[code].amount if code in old_lines else ZERO)
            != (new_lines[code].amount if code in new_lines else ZERO)
        )
        results.append(
            WorkerImpact(worker.id, worker.name, before.gross, after.gross, moved, annual)
        )
    return ImpactReport(old, new, month, tuple(results), tuple(problems))

"""Back pay (补发): what was paid under the versions known then, against what is due now.

When a version published later takes effect earlier, the months between were paid under the
old version. For each worker, month and component, ``paid`` is the slip computed with the
versions published by ``paid_as_of``, ``due`` the slip with those published by
``due_as_of``; the difference is to pay (positive) or to recover (negative).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from paycalc.contributions import ContributionTables
from paycalc.engine import payslip
from paycalc.errors import PaycalcError, Problem, problems_of
from paycalc.money import ZERO, format_money
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry, resolve_registry
from paycalc.slip import PayLine, Payslip
from paycalc.worker import Worker

__all__ = ["ArrearsLine", "ArrearsReport", "WorkerArrears", "add_arrears", "arrears"]


@dataclass(frozen=True, slots=True)
class ArrearsLine:
    """One component of one month: paid, due and the difference."""

    month: str
    code: str
    label: str
    paid: Decimal
    due: Decimal
    paid_version: str
    due_version: str

    @property
    def difference(self) -> Decimal:
        return self.due - self.paid


@dataclass(frozen=True)
class WorkerArrears:
    worker_id: str
    lines: tuple[ArrearsLine, ...]

    @property
    def total(self) -> Decimal:
        """To pay (positive) or to recover (negative), over every month and component."""
        return sum((line.difference for line in self.lines), ZERO)

    def by_component(self) -> dict[str, tuple[str, Decimal]]:
        result: dict[str, tuple[str, Decimal]] = {}
        for line in self.lines:
            label, amount = result.get(line.code, (line.label, ZERO))
            result[line.code] = (label, amount + line.difference)
        return result


@dataclass(frozen=True)
class ArrearsReport:
    first: Month
    last: Month
    paid_as_of: date
    due_as_of: date
    workers: tuple[WorkerArrears, ...]
    problems: tuple[Problem, ...] = field(default=())

    @property
    def total(self) -> Decimal:
        return sum((worker.total for worker in self.workers), ZERO)


def _earnings(slip: Payslip) -> dict[str, PayLine]:
    return {line.code: line for line in slip.lines if line.category == "earning"}


def arrears(
    workers: Iterable[Worker],
    first: Month,
    last: Month,
    *,
    paid_as_of: date,
    due_as_of: date,
    schemes: SchemeRegistry | None = None,
    include_drafts: bool = False,
    scheme: str | None = None,
    contributions: ContributionTables | None = None,
) -> ArrearsReport:
    """Per worker, month and earning component: due − paid between two knowledge dates.

    Months a worker was not employed are skipped; a worker whose slips cannot be computed
    is reported in ``problems`` (rows in = workers reported + problems). ``contributions``
    replaces the bundled contribution tables.
    """
    registry = resolve_registry(schemes, include_drafts=include_drafts)
    months = [first.plus(offset) for offset in range(last.months_since(first) + 1)]
    results: list[WorkerArrears] = []
    problems: list[Problem] = []
    for worker in workers:
        lines: list[ArrearsLine] = []
        try:
            for month in months:
                if worker.hired_on > month.last_day or (
                    worker.left_on is not None and worker.left_on < month.first_day
                ):
                    continue
                paid, due = (
                    payslip(
                        worker,
                        month,
                        schemes=registry,
                        scheme=scheme,
                        as_of=known_on,
                        contributions=contributions,
                    )
                    for known_on in (paid_as_of, due_as_of)
                )
                paid_lines, due_lines = _earnings(paid), _earnings(due)
                for code in [*due_lines, *(c for c in paid_lines if c not in due_lines)]:
                    before = paid_lines[code].amount if code in paid_lines else ZERO
                    after = due_lines[code].amount if code in due_lines else ZERO
                    if before != after:
                        label = (due_lines.get(code) or paid_lines[code]).label
                        lines.append(
                            ArrearsLine(
                                str(month),
                                code,
                                label,
                                before,
                                after,
                                paid.scheme.version,
                                due.scheme.version,
                            )
                        )
        except PaycalcError as error:
            problems += problems_of(worker, error)
            continue
        results.append(WorkerArrears(worker.id, tuple(lines)))
    return ArrearsReport(first, last, paid_as_of, due_as_of, tuple(results), tuple(problems))


def add_arrears(slip: Payslip, owed: WorkerArrears) -> Payslip:
    """The slip with one flagged line per component owed: 补发 (earning) or 扣回 (deduction)."""
    if owed.worker_id != slip.worker_id:
        raise ValueError(f"arrears of {owed.worker_id} cannot go on the slip of {slip.worker_id}")
    months = sorted({line.month for line in owed.lines})
    span = f"{months[0]}–{months[-1]}" if months else ""
    extra = []
    for code, (label, amount) in owed.by_component().items():
        if amount == 0:
            continue
        if amount > 0:
            extra.append(
                PayLine(
                    f"arrears_{code}",
                    f"补发·{label}",
                    "earning",
                    amount,
                    f"{span} 应发 − 已发 {format_money(amount)}",
                    arrears=True,
                )
            )
        else:
            extra.append(
                PayLine(
                    f"recovery_{code}",
                    f"扣回·{label}",
                    "deduction",
                    -amount,
                    f"{span} 已发 − 应发 {format_money(-amount)}",
                    arrears=True,
                )
            )
    return Payslip.from_lines(
        slip.worker_id, slip.month, slip.scheme, [*slip.lines, *extra], slip.warnings
    )

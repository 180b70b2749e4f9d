"""A month's 五险一金 lines from a table and a declared base."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal

from paycalc.contributions.table import ContributionItem, ContributionTable
from paycalc.errors import InputError, Problem
from paycalc.money import quantize, to_decimal

__all__ = ["CONTRIBUTIONS_SOURCE", "ContributionLine", "contributions_for", "total"]

#: ``Problem.source`` for errors about in-memory contribution input.
CONTRIBUTIONS_SOURCE: Final = "<contributions>"

Category = Literal["deduction", "employer"]


@dataclass(frozen=True, slots=True)
class ContributionLine:
    """One slip line, e.g. ``pension_employee 养老保险（个人） 425.60 基数 5,320.00 × 8%``.

    ``category`` is ``"deduction"`` for the employee's share (taken from pay) and
    ``"employer"`` for the employer's share (shown for information, not deducted).
    """

    code: str
    label: str
    category: Category
    amount: Decimal
    basis: str


def _percent(rate: Decimal) -> str:
    # 0.08 → "8", 0.005 → "0.5"; format "f" avoids "1E+1" for 10%.
    return f"{(rate * 100).normalize():f}"


def _clamped(base: Decimal, floor: Decimal, cap: Decimal) -> Decimal:
    return min(max(base, floor), cap)


def _item_base(
    table: ContributionTable, item: ContributionItem, declared: Decimal | None
) -> Decimal:
    floor, cap = table.limits_for(item)
    return floor if declared is None else _clamped(declared, floor, cap)


def contributions_for(
    table: ContributionTable, declared_base: Decimal | int | str | None
) -> list[ContributionLine]:
    """Employee lines (in item order), then employer lines; zero-rate shares give no line.

    Each item's base is ``declared_base`` clamped to that item's [floor, cap]. With no
    declared base, the table's ``base.default`` decides: ``"floor"`` uses the floor,
    ``"declared_required"`` refuses, and so does ``"previous_year_average"`` (the engine,
    which can see the worker's earlier slips, passes that average as the declared base). Amounts are ``base × rate`` rounded to the fen with the
    table's rounding mode.
    """
    declared: Decimal | None = None
    if declared_base is not None:
        try:
            declared = to_decimal(declared_base, what="declared_base")
        except (TypeError, ValueError) as exc:
            raise InputError([Problem(CONTRIBUTIONS_SOURCE, "declared_base", str(exc))]) from None
        if declared < 0:
            raise InputError(
                [Problem(CONTRIBUTIONS_SOURCE, "declared_base", f"must be ≥ 0, got {declared}")]
            )
    elif table.base.default == "previous_year_average":
        raise InputError(
            [
                Problem(
                    CONTRIBUTIONS_SOURCE,
                    "declared_base",
                    f"table {table.id} {table.version} bases contributions on the previous "
                    "year's average wage: paycalc.payslip and payroll_year work it out; "
                    "otherwise declare a base",
                )
            ]
        )
    elif table.base.default == "declared_required":
        raise InputError(
            [
                Problem(
                    CONTRIBUTIONS_SOURCE,
                    "declared_base",
                    f"table {table.id} {table.version} needs a declared base (default is "
                    "'declared_required')",
                )
            ]
        )

    employee: list[ContributionLine] = []
    employer: list[ContributionLine] = []
    for item in table.items:
        base = _item_base(table, item, declared)
        sides: tuple[tuple[Category, str, str, Decimal, list[ContributionLine]], ...] = (
            ("deduction", "employee", "个人", item.employee_rate, employee),
            ("employer", "employer", "单位", item.employer_rate, employer),
        )
        for category, suffix, side, rate, lines in sides:
            if not rate:
                continue
            lines.append(
                ContributionLine(
                    code=f"{item.code}_{suffix}",
                    label=f"{item.label}（{side}）",
                    category=category,
                    amount=quantize(base * rate, table.rounding),
                    basis=f"基数 {base:,.2f} × {_percent(rate)}%",
                )
            )
    return employee + employer


def total(lines: Iterable[ContributionLine], category: Category) -> Decimal:
    """Sum of the lines of one category (``"deduction"``: what comes off the pay)."""
    return sum((line.amount for line in lines if line.category == category), Decimal("0.00"))

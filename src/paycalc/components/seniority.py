"""``seniority``: 岗位年限津贴, an amount per counted year (service, or passed appraisals)."""

from __future__ import annotations

from decimal import Decimal

from paycalc.components.base import PayContext, Rule
from paycalc.scheme.model import Seniority
from paycalc.service import counted_service_years, passed_years

__all__ = ["SeniorityRule"]


class SeniorityRule(Rule[Seniority]):
    def counted_years(self, ctx: PayContext) -> int:
        if self.spec.counting == "passed_years":
            return passed_years(ctx.worker, ctx.month)
        return counted_service_years(
            ctx.worker, ctx.month, exclude_failed_years=self.spec.exclude_failed_years
        )

    def amount(self, ctx: PayContext) -> tuple[Decimal, str] | None:
        years = self.counted_years(ctx)
        capped = years if self.spec.max_years is None else min(years, self.spec.max_years)
        what = "考核合格" if self.spec.counting == "passed_years" else "工作"
        basis = f"{what} {years}年 × {self.spec.per_year:,}"
        if capped != years:
            basis = f"{what} {years}年, 按上限 {capped}年 × {self.spec.per_year:,}"
        return self.spec.per_year * capped, basis

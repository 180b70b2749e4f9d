"""``seniority``: 岗位年限津贴, an amount per counted year (service, or passed appraisals)."""

from __future__ import annotations

from typing import Any

from paycalc.components.base import MonthFacts, Pay, Rule, Scaled
from paycalc.scheme.model import Seniority
from paycalc.scheme.version import SchemeVersion
from paycalc.service import counted_years, passed_years

__all__ = ["SeniorityRule"]


class SeniorityRule(Rule[Seniority]):
    def __init__(self, spec: Seniority, scheme: SchemeVersion) -> None:
        super().__init__(spec, scheme)
        self.per_year = Scaled.of([spec.per_year])

    def counted(self, m: MonthFacts) -> Any:
        if self.spec.counting == "passed_years":
            return passed_years(m)
        return counted_years(m, exclude_failed=self.spec.exclude_failed_years)

    def pay(self, m: MonthFacts) -> Pay:
        years = self.counted(m)
        capped = years if self.spec.max_years is None else m.ops.minimum(years, self.spec.max_years)
        self.note(m, years=years, capped=capped)
        return Pay(m.ops.mul(capped, self.per_year.values[0]), self.per_year.scale)

    def basis(self, m: MonthFacts) -> str:
        years, capped = self.traced(m)["years"], self.traced(m)["capped"]
        what = "考核合格" if self.spec.counting == "passed_years" else "工作"
        if capped != years:
            return f"{what} {years}年, 按上限 {capped}年 × {self.spec.per_year:,}"
        return f"{what} {years}年 × {self.spec.per_year:,}"

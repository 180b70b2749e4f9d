"""What a contribution table (五险一金 rates and bases for one place and period) holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final, Literal

__all__ = [
    "BASE_DEFAULTS",
    "ITEM_CODES",
    "STATUSES",
    "BaseDefault",
    "BaseRule",
    "ContributionItem",
    "ContributionTable",
    "Status",
    "TableSource",
]

#: The items a table may list, in the order slips show them.
ITEM_CODES: Final = (
    "pension",  # 养老保险
    "medical",  # 医疗保险 (生育保险 merged into it in most places since 2019, 国办发〔2019〕10号)
    "unemployment",  # 失业保险
    "work_injury",  # 工伤保险 (employer only; rate depends on the industry class)
    "maternity",  # 生育保险, where still listed separately
    "serious_illness",  # 大病/大额医疗补充, where charged as a rate
    "housing_fund",  # 住房公积金
)

Status = Literal["official", "illustrative"]
STATUSES: Final = ("official", "illustrative")

#: What base to use when the caller declares none:
#: ``"floor"`` — the floor (the lowest lawful base; what many employers of community workers
#: use when the wage is below the floor anyway); ``"declared_required"`` — no default: the
#: caller must declare a base (the computation refuses ``None``); ``"previous_year_average"``
#: — the worker's average monthly wage of the previous year (上年度月平均工资), or the first
#: month's wage for a worker hired this year; the pay engine works it out from the worker's
#: own slips, then clamps it like a declared base.
BaseDefault = Literal["floor", "declared_required", "previous_year_average"]
BASE_DEFAULTS: Final = ("floor", "declared_required", "previous_year_average")


@dataclass(frozen=True, slots=True)
class TableSource:
    """Where the figures come from."""

    title: str
    issuer: str
    date: date
    url: str | None


@dataclass(frozen=True, slots=True)
class BaseRule:
    """The contribution base (缴费基数) is clamped to ``[floor, cap]``."""

    floor: Decimal
    cap: Decimal
    default: BaseDefault
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ContributionItem:
    """One insurance or the housing fund: rates as fractions (0.08 = 8%).

    ``base_floor``/``base_cap`` override the table's base limits for this item only (the
    housing fund usually has its own).
    """

    code: str
    label: str
    employee_rate: Decimal
    employer_rate: Decimal
    base_floor: Decimal | None = None
    base_cap: Decimal | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ContributionTable:
    """One version of one place's table, as read from ``tables/<id>/<version>.toml``."""

    id: str
    place: str
    version: str
    effective_from: date
    published_on: date
    status: Status
    title: str
    note: str
    source: TableSource
    rounding: str
    base: BaseRule
    items: tuple[ContributionItem, ...]
    path: str

    def limits_for(self, item: ContributionItem) -> tuple[Decimal, Decimal]:
        """The (floor, cap) that apply to ``item``: its own override, else the table's."""
        floor = item.base_floor if item.base_floor is not None else self.base.floor
        cap = item.base_cap if item.base_cap is not None else self.base.cap
        return floor, cap

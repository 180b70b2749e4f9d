"""Special additional deductions (专项附加扣除): monthly amounts by date, and a worker's claims.

Amounts come from 《个人所得税专项附加扣除暂行办法》(国发〔2018〕41号, from 2019-01-01),
《关于设立3岁以下婴幼儿照护个人所得税专项附加扣除的通知》(国发〔2022〕8号, from
2022-01-01) and 《关于提高个人所得税有关专项附加扣除标准的通知》(国发〔2023〕13号, from
2023-01-01, raising 子女教育, 婴幼儿照护 and 赡养老人). 大病医疗 is settled only in the annual
reconciliation (汇算清缴), never withheld monthly, so it is not modelled here.

A claim is declarative (how many children, which housing item, ...) so the same claims give the
right amount for any month: the date picks the amounts in force.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Final, Literal

from dateutil.relativedelta import relativedelta

from paycalc.errors import InputError, Problem

__all__ = [
    "CLAIMS_SOURCE",
    "DEDUCTION_LABELS",
    "DeductionPart",
    "Schedule",
    "SpecialDeductionClaims",
    "itemised_special_deductions",
    "monthly_special_deductions",
]

#: ``Problem.source`` for errors about an in-memory claims object.
CLAIMS_SOURCE: Final = "<special deduction claims>"

#: A date-keyed amount: ``((effective_from, amount), ...)`` in ascending date order.
Schedule = tuple[tuple[date, Decimal], ...]

_2019: Final = date(2019, 1, 1)
_2022: Final = date(2022, 1, 1)
_2023: Final = date(2023, 1, 1)

# Monthly amounts, per child / per person, as the State Council documents state them.
CHILD_EDUCATION: Final[Schedule] = ((_2019, Decimal(1000)), (_2023, Decimal(2000)))
INFANT_CARE: Final[Schedule] = ((_2022, Decimal(1000)), (_2023, Decimal(2000)))
ELDERLY_ONLY_CHILD: Final[Schedule] = ((_2019, Decimal(2000)), (_2023, Decimal(3000)))
ELDERLY_SHARE_CAP: Final[Schedule] = ((_2019, Decimal(1000)), (_2023, Decimal(1500)))
HOUSING_LOAN: Final[Schedule] = ((_2019, Decimal(1000)),)
HOUSING_RENT_BY_TIER: Final[dict[int, Schedule]] = {
    # 1: 直辖市、省会(首府)城市、计划单列市及国务院确定的其他城市
    1: ((_2019, Decimal(1500)),),
    # 2: 其他市辖区户籍人口超过100万的城市
    2: ((_2019, Decimal(1100)),),
    # 3: 市辖区户籍人口不超过100万的城市
    3: ((_2019, Decimal(800)),),
}
DEGREE_EDUCATION: Final[Schedule] = ((_2019, Decimal(400)),)
#: Degree (学历) continuing education is deductible for at most this many months.
DEGREE_EDUCATION_MAX_MONTHS: Final = 48
#: Vocational qualification (职业资格) continuing education: a once-a-year amount.
VOCATIONAL_CERTIFICATE: Final[Schedule] = ((_2019, Decimal(3600)),)

DEDUCTION_LABELS: Final[dict[str, str]] = {
    "child_education": "子女教育",
    "infant_care": "3岁以下婴幼儿照护",
    "elderly_support": "赡养老人",
    "housing_loan_interest": "住房贷款利息",
    "housing_rent": "住房租金",
    "continuing_education_degree": "继续教育（学历）",
    "continuing_education_certificate": "继续教育（职业资格）",
}

# The rules let a parent claim 100% or 50% of each child's amount, nothing else.
_CHILD_SHARES: Final = frozenset({Decimal(1), Decimal("0.5")})


@dataclass(frozen=True, slots=True)
class DeductionPart:
    """One item of a month's special deductions, e.g. ``子女教育 2,000.00``."""

    code: str
    label: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class SpecialDeductionClaims:
    """What a worker has declared to the withholding agent.

    * ``children_in_education`` / ``infants``: number of children claimed for 子女教育 and for
      3岁以下婴幼儿照护; ``child_share`` is 1 (this parent takes all) or 0.5 (parents split).
    * ``elderly_support``: ``"only_child"`` (独生子女, full amount) or ``"shared"`` with
      ``elderly_share`` the monthly *amount* this sibling takes (at most the cap in force).
    * ``housing_loan`` (首套住房贷款利息) and ``housing_rent_tier`` (1/2/3, see
      ``HOUSING_RENT_BY_TIER``) cannot both be claimed.
    * ``continuing_education_degree``: 学历继续教育, 400 a month for at most 48 months counted
      from ``continuing_education_degree_start`` (if given; otherwise the caller checks).
    * ``vocational_certificate_year``: year a 职业资格 certificate was obtained; its 3,600 is a
      once-a-year amount, deducted in ``vocational_certificate_month`` of that year
      (December by default: under cumulative withholding, the year's total is the same
      whichever month carries it).
    """

    children_in_education: int = 0
    infants: int = 0
    elderly_support: Literal["none", "only_child", "shared"] = "none"
    elderly_share: Decimal | None = None
    housing_loan: bool = False
    housing_rent_tier: Literal[1, 2, 3] | None = None
    continuing_education_degree: bool = False
    vocational_certificate_year: int | None = None
    child_share: Decimal = field(default=Decimal(1))
    continuing_education_degree_start: date | None = None
    vocational_certificate_month: int = 12

    def __post_init__(self) -> None:
        problems = [Problem(CLAIMS_SOURCE, where, what) for where, what in self._problems()]
        if problems:
            raise InputError(problems)

    def _problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for name in ("children_in_education", "infants"):
            count = getattr(self, name)
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                found.append((name, f"must be a whole number ≥ 0, got {count!r}"))
        if not isinstance(self.child_share, Decimal) or self.child_share not in _CHILD_SHARES:
            found.append(
                ("child_share", f"must be Decimal 1 or 0.5 (100% or 50%), got {self.child_share!r}")
            )
        if self.elderly_support not in ("none", "only_child", "shared"):
            found.append(
                (
                    "elderly_support",
                    f"must be 'none', 'only_child' or 'shared', got {self.elderly_support!r}",
                )
            )
        elif self.elderly_support == "shared":
            share = self.elderly_share
            if share is None:
                found.append(("elderly_share", "is required when elderly_support is 'shared'"))
            elif not isinstance(share, Decimal) or not share.is_finite() or share <= 0:
                found.append(("elderly_share", f"must be a Decimal amount > 0, got {share!r}"))
        elif self.elderly_share is not None:
            found.append(
                (
                    "elderly_share",
                    "is only meaningful when elderly_support is 'shared' "
                    f"(elderly_support is {self.elderly_support!r})",
                )
            )
        if self.housing_rent_tier is not None and self.housing_rent_tier not in (1, 2, 3):
            found.append(
                ("housing_rent_tier", f"must be 1, 2, 3 or None, got {self.housing_rent_tier!r}")
            )
        if self.housing_loan and self.housing_rent_tier is not None:
            # 国发〔2018〕41号 第二十一条: 住房贷款利息和住房租金不能同时享受.
            found.append(
                (
                    "housing_rent_tier",
                    "housing loan interest and housing rent cannot both be claimed "
                    "(住房贷款利息和住房租金不能同时扣除); keep one of them",
                )
            )
        if self.vocational_certificate_year is not None and (
            isinstance(self.vocational_certificate_year, bool)
            or not isinstance(self.vocational_certificate_year, int)
        ):
            found.append(
                (
                    "vocational_certificate_year",
                    f"must be a year such as 2024, got {self.vocational_certificate_year!r}",
                )
            )
        if not 1 <= self.vocational_certificate_month <= 12:
            found.append(
                (
                    "vocational_certificate_month",
                    f"must be 1..12, got {self.vocational_certificate_month!r}",
                )
            )
        return found


def _amount_on(schedule: Schedule, day: date) -> Decimal | None:
    """The amount in force on ``day``; ``None`` before the item existed."""
    current: Decimal | None = None
    for effective_from, amount in schedule:
        if effective_from <= day:
            current = amount
    return current


def itemised_special_deductions(
    claims: SpecialDeductionClaims, month_first_day: date
) -> list[DeductionPart]:
    """The month's deductions item by item (only items with a non-zero amount).

    Raises ``InputError`` (naming the claims field) when a claim does not fit the rules in
    force that month: an item claimed before it existed, or a shared elderly-support amount
    above the per-sibling cap.
    """
    day = month_first_day
    parts: list[DeductionPart] = []
    problems: list[Problem] = []

    def add(code: str, amount: Decimal) -> None:
        if amount:
            parts.append(DeductionPart(code, DEDUCTION_LABELS[code], amount))

    def in_force(schedule: Schedule, field_name: str) -> Decimal:
        amount = _amount_on(schedule, day)
        if amount is None:
            problems.append(
                Problem(
                    CLAIMS_SOURCE,
                    field_name,
                    f"this deduction did not exist yet on {day.isoformat()} "
                    f"(in force from {schedule[0][0].isoformat()})",
                )
            )
            return Decimal(0)
        return amount

    if claims.children_in_education:
        per_child = in_force(CHILD_EDUCATION, "children_in_education")
        add("child_education", per_child * claims.children_in_education * claims.child_share)
    if claims.infants:
        per_infant = in_force(INFANT_CARE, "infants")
        add("infant_care", per_infant * claims.infants * claims.child_share)
    if claims.elderly_support == "only_child":
        add("elderly_support", in_force(ELDERLY_ONLY_CHILD, "elderly_support"))
    elif claims.elderly_support == "shared" and claims.elderly_share is not None:
        cap = in_force(ELDERLY_SHARE_CAP, "elderly_share")
        if claims.elderly_share > cap:
            problems.append(
                Problem(
                    CLAIMS_SOURCE,
                    "elderly_share",
                    f"a sibling's share of 赡养老人 is at most {cap} a month on "
                    f"{day.isoformat()}, got {claims.elderly_share}",
                )
            )
        else:
            add("elderly_support", claims.elderly_share)
    if claims.housing_loan:
        add("housing_loan_interest", in_force(HOUSING_LOAN, "housing_loan"))
    elif claims.housing_rent_tier is not None:
        add(
            "housing_rent",
            in_force(HOUSING_RENT_BY_TIER[claims.housing_rent_tier], "housing_rent_tier"),
        )
    if claims.continuing_education_degree:
        start = claims.continuing_education_degree_start
        # From the month the studies start to the last allowed month, inclusive: nothing
        # before the start, and the 48th month after the start month is the first one no
        # longer deductible.
        within_limit = start is None or (
            start.replace(day=1)
            <= day
            < start.replace(day=1) + relativedelta(months=DEGREE_EDUCATION_MAX_MONTHS)
        )
        if within_limit:
            add(
                "continuing_education_degree",
                in_force(DEGREE_EDUCATION, "continuing_education_degree"),
            )
    if (
        claims.vocational_certificate_year == day.year
        and claims.vocational_certificate_month == day.month
    ):
        add(
            "continuing_education_certificate",
            in_force(VOCATIONAL_CERTIFICATE, "vocational_certificate_year"),
        )

    if problems:
        raise InputError(problems)
    return parts


def monthly_special_deductions(claims: SpecialDeductionClaims, month_first_day: date) -> Decimal:
    """Total special additional deductions for the month starting ``month_first_day``."""
    return sum(
        (part.amount for part in itemised_special_deductions(claims, month_first_day)),
        Decimal(0),
    )

"""Special additional deductions (专项附加扣除) by date.

Amounts: 国发〔2018〕41号 (2019), 国发〔2022〕8号 (infant care from 2022), 国发〔2023〕13号
(2023 increases). Each expected total is the sum shown beside it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from paycalc.errors import InputError
from paycalc.tax import (
    SpecialDeductionClaims,
    itemised_special_deductions,
    monthly_special_deductions,
)

D = Decimal

FAMILY = SpecialDeductionClaims(
    children_in_education=2,
    infants=1,
    elderly_support="only_child",
    housing_rent_tier=1,
    continuing_education_degree=True,
)


def test_family_in_2022() -> None:
    # 子女教育 2 × 1000 + 婴幼儿照护 1 × 1000 + 赡养老人(独生子女) 2000 + 住房租金(一类) 1500
    # + 学历继续教育 400 = 2000 + 1000 + 2000 + 1500 + 400 = 6900
    assert monthly_special_deductions(FAMILY, date(2022, 6, 1)) == D(6900)


def test_family_in_2023_after_the_increase() -> None:
    # 子女教育 2 × 2000 + 婴幼儿照护 1 × 2000 + 赡养老人 3000 + 住房租金 1500 + 继续教育 400
    # = 4000 + 2000 + 3000 + 1500 + 400 = 10900
    parts = itemised_special_deductions(FAMILY, date(2023, 6, 1))
    assert [(p.label, p.amount) for p in parts] == [
        ("子女教育", D(4000)),
        ("3岁以下婴幼儿照护", D(2000)),
        ("赡养老人", D(3000)),
        ("住房租金", D(1500)),
        ("继续教育（学历）", D(400)),
    ]
    assert monthly_special_deductions(FAMILY, date(2023, 6, 1)) == D(10900)


@pytest.mark.parametrize(("tier", "amount"), [(1, 1500), (2, 1100), (3, 800)])
def test_rent_by_city_tier(tier: int, amount: int) -> None:
    claims = SpecialDeductionClaims(housing_rent_tier=tier)  # type: ignore[arg-type]
    assert monthly_special_deductions(claims, date(2024, 1, 1)) == D(amount)


def test_housing_loan_interest() -> None:
    claims = SpecialDeductionClaims(housing_loan=True)
    assert monthly_special_deductions(claims, date(2019, 1, 1)) == D(1000)


def test_half_share_per_child() -> None:
    # 2024: 1 child × 2000 × 50% = 1000; 1 infant × 2000 × 50% = 1000.
    claims = SpecialDeductionClaims(children_in_education=1, infants=1, child_share=D("0.5"))
    assert monthly_special_deductions(claims, date(2024, 3, 1)) == D(2000)


def test_shared_elderly_support_within_cap() -> None:
    # 2023 cap per sibling 1500; 2019–2022 cap 1000.
    claims = SpecialDeductionClaims(elderly_support="shared", elderly_share=D(1500))
    assert monthly_special_deductions(claims, date(2023, 1, 1)) == D(1500)
    with pytest.raises(InputError) as caught:
        monthly_special_deductions(claims, date(2022, 12, 1))
    assert [p.location for p in caught.value.problems] == ["elderly_share"]
    assert "at most 1000" in caught.value.problems[0].message


def test_loan_and_rent_together_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        SpecialDeductionClaims(housing_loan=True, housing_rent_tier=2)
    assert [p.location for p in caught.value.problems] == ["housing_rent_tier"]
    assert "cannot both be claimed" in caught.value.problems[0].message


def test_every_invalid_field_is_reported() -> None:
    with pytest.raises(InputError) as caught:
        SpecialDeductionClaims(
            children_in_education=-1,
            child_share=D("0.3"),
            elderly_support="shared",  # without elderly_share
        )
    assert [p.location for p in caught.value.problems] == [
        "children_in_education",
        "child_share",
        "elderly_share",
    ]
    with pytest.raises(InputError, match="only meaningful"):
        SpecialDeductionClaims(elderly_share=D(500))


def test_infant_care_before_2022_is_refused() -> None:
    with pytest.raises(InputError, match="2022-01-01"):
        monthly_special_deductions(SpecialDeductionClaims(infants=1), date(2021, 12, 1))


def test_vocational_certificate_once_in_its_year() -> None:
    claims = SpecialDeductionClaims(vocational_certificate_year=2024)
    # Deducted once, in December by default: 3600 in 2024-12, nothing in 2024-11 or 2025-12.
    assert monthly_special_deductions(claims, date(2024, 12, 1)) == D(3600)
    assert monthly_special_deductions(claims, date(2024, 11, 1)) == D(0)
    assert monthly_special_deductions(claims, date(2025, 12, 1)) == D(0)


def test_degree_education_stops_after_48_months() -> None:
    # Start 2020-01: months 2020-01 .. 2023-12 are 12 × 4 = 48 months; 2024-01 is the 49th.
    claims = SpecialDeductionClaims(
        continuing_education_degree=True, continuing_education_degree_start=date(2020, 1, 15)
    )
    assert monthly_special_deductions(claims, date(2023, 12, 1)) == D(400)
    assert monthly_special_deductions(claims, date(2024, 1, 1)) == D(0)


def test_degree_education_is_not_deducted_before_the_studies_start() -> None:
    # Studies start 2020-01-15: December 2019 is before them (nothing); January 2020, the
    # month they start in, is the first month deducted (400).
    claims = SpecialDeductionClaims(
        continuing_education_degree=True, continuing_education_degree_start=date(2020, 1, 15)
    )
    assert monthly_special_deductions(claims, date(2019, 12, 1)) == D(0)
    assert monthly_special_deductions(claims, date(2020, 1, 1)) == D(400)


def test_two_infants_are_two_deductions() -> None:
    # 国发〔2023〕13号: 2,000 per infant a month; two infants, this parent takes all: 4,000.
    claims = SpecialDeductionClaims(infants=2)
    assert monthly_special_deductions(claims, date(2024, 1, 1)) == D(4000)


def test_an_item_claimed_before_it_existed_is_refused_naming_the_field() -> None:
    # Every item but infant care started on 2019-01-01, infant care on 2022-01-01.
    claims = SpecialDeductionClaims(
        children_in_education=1,
        elderly_support="only_child",
        housing_loan=True,
        continuing_education_degree=True,
        vocational_certificate_year=2018,
    )
    with pytest.raises(InputError) as refused:
        itemised_special_deductions(claims, date(2018, 12, 1))
    assert [(p.source, p.location) for p in refused.value.problems] == [
        ("<special deduction claims>", "children_in_education"),
        ("<special deduction claims>", "elderly_support"),
        ("<special deduction claims>", "housing_loan"),
        ("<special deduction claims>", "continuing_education_degree"),
        ("<special deduction claims>", "vocational_certificate_year"),
    ]
    assert refused.value.problems[0].message == (
        "this deduction did not exist yet on 2018-12-01 (in force from 2019-01-01)"
    )
    later = [
        SpecialDeductionClaims(infants=1),
        SpecialDeductionClaims(elderly_support="shared", elderly_share=D(500)),
        SpecialDeductionClaims(housing_rent_tier=2),
    ]
    for claim, location in zip(later, ["infants", "elderly_share", "housing_rent_tier"], strict=True):
        day = date(2021, 12, 1) if claim.infants else date(2018, 12, 1)
        with pytest.raises(InputError) as refused:
            itemised_special_deductions(claim, day)
        assert {p.location for p in refused.value.problems} == {location}


def test_a_shared_elderly_amount_must_be_above_zero() -> None:
    # any positive amount up to the cap is this sibling's choice: 0.50 a month is allowed
    claims = SpecialDeductionClaims(elderly_support="shared", elderly_share=D("0.50"))
    assert monthly_special_deductions(claims, date(2024, 1, 1)) == D("0.50")
    with pytest.raises(InputError) as refused:
        SpecialDeductionClaims(elderly_support="shared", elderly_share=D(0))
    assert [(p.source, p.location, p.message) for p in refused.value.problems] == [
        ("<special deduction claims>", "elderly_share", "must be a Decimal amount > 0, got Decimal('0')")
    ]


def test_every_claim_problem_is_listed_with_its_field_and_reason() -> None:
    with pytest.raises(InputError) as refused:
        SpecialDeductionClaims(
            children_in_education=True,  # type: ignore[arg-type]
            infants=-1,
            elderly_support="all",  # type: ignore[arg-type]
            housing_loan=True,
            housing_rent_tier=4,  # type: ignore[arg-type]
            vocational_certificate_year="2024",  # type: ignore[arg-type]
            vocational_certificate_month=13,
        )
    assert [(p.location, p.message) for p in refused.value.problems] == [
        ("children_in_education", "must be a whole number ≥ 0, got True"),
        ("infants", "must be a whole number ≥ 0, got -1"),
        ("elderly_support", "must be 'none', 'only_child' or 'shared', got 'all'"),
        ("housing_rent_tier", "must be 1, 2, 3 or None, got 4"),
        (
            "housing_rent_tier",
            "housing loan interest and housing rent cannot both be claimed "
            "(住房贷款利息和住房租金不能同时扣除); keep one of them",
        ),
        ("vocational_certificate_year", "must be a year such as 2024, got '2024'"),
        ("vocational_certificate_month", "must be 1..12, got 13"),
    ]
    with pytest.raises(InputError) as refused:
        SpecialDeductionClaims(elderly_support="shared")
    assert [(p.location, p.message) for p in refused.value.problems] == [
        ("elderly_share", "is required when elderly_support is 'shared'")
    ]
    with pytest.raises(InputError) as refused:
        SpecialDeductionClaims(elderly_share=D(100), vocational_certificate_month=0)
    assert [(p.location, p.message) for p in refused.value.problems] == [
        ("elderly_share", "is only meaningful when elderly_support is 'shared' (elderly_support is 'none')"),
        ("vocational_certificate_month", "must be 1..12, got 0"),
    ]


@pytest.mark.parametrize("month", [1, 12])
def test_the_certificate_month_may_be_any_month_of_the_year(month: int) -> None:
    # 3,600 once, in the month named (国发〔2018〕41号: 取得证书的当年)
    claims = SpecialDeductionClaims(vocational_certificate_year=2024, vocational_certificate_month=month)
    assert monthly_special_deductions(claims, date(2024, month, 1)) == D(3600)

"""Gross to net on a slip: 五险一金 lines from a table, cumulative income tax, the year.

Expected figures are hand computations from the rates in
src/paycalc/contributions/tables/yunnan.kunming/2024.toml (pension 8% / 16%, medical 2% / 8%,
unemployment 0.3% / 0.7%, work injury 0 / 0.2%, housing fund 12% / 12%; base 4,500–22,500)
and the statutory tax tables (5,000 a month basic deduction; 3% up to 36,000 a year, …).
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paycalc.contributions import load_contribution_tables
from paycalc.engine import payroll_year, payslip, payslip_for_version
from paycalc.errors import PayError, WorkerError
from paycalc.period import Month
from paycalc.scheme import SchemeRegistry
from paycalc.tax import YearToDate
from paycalc.testing import assert_lines_sum_to_totals, workers
from paycalc.worker import parse_worker
from tests.helpers import HEADER, scheme, worker

TAXED_HEADER = HEADER.replace(
    'status = "official"',
    'status = "official"\ncontribution_table = "yunnan.kunming"\nincome_tax = true',
)
COMPONENTS = """
[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = { chief = 10000, deputy = 6000, member = 4000 }

[[components]]
code = "year_end"
label = "年终奖励性绩效"
kind = "yearly"
month = 12
amount = 36000
factors = { excellent = 1, competent = 1, basic = 0.5, incompetent = 0 }
annual_bonus = true
"""
TAXED = scheme(COMPONENTS, header=TAXED_HEADER)
REGISTRY = SchemeRegistry([TAXED])


def test_a_month_from_gross_to_net_by_hand() -> None:
    chief = worker(scheme="test.scheme", contribution_base="10000", hired_on="2015-01-01")
    slip = payslip(chief, Month(2024, 1), schemes=REGISTRY)
    # Employee: pension 800 + medical 200 + unemployment 30 + housing fund 1,200 = 2,230.
    # Employer: pension 1,600 + medical 800 + unemployment 70 + work injury 20 + fund 1,200 = 3,690.
    # Tax (January): (10,000 − 5,000 − 2,230) × 3% = 2,770 × 3% = 83.10.
    assert slip.amount("pension_employee") == Decimal("800.00")
    assert slip.amount("housing_fund_employer") == Decimal("1200.00")
    assert slip.amount("income_tax") == Decimal("83.10")
    assert slip.gross == Decimal("10000.00")
    assert slip.deductions == Decimal("2313.10")  # 2,230 + 83.10
    assert slip.net == Decimal("7686.90")
    assert slip.employer_cost == Decimal("13690.00")  # 10,000 + 3,690
    assert_lines_sum_to_totals(slip)


def test_tax_is_cumulative_through_the_year() -> None:
    chief = worker(scheme="test.scheme", contribution_base="10000", hired_on="2015-01-01")
    march = payslip(chief, Month(2024, 3), schemes=REGISTRY)
    # Cumulative taxable in March: 3 × 2,770 = 8,310 × 3% = 249.30, less 2 × 83.10 withheld.
    assert march.amount("income_tax") == Decimal("83.10")
    assert "累计应纳税所得额 8,310.00 × 3%" in march.line("income_tax").basis  # type: ignore[union-attr]
    # A system adopting paycalc in March passes its own year-to-date figures instead.
    ytd = YearToDate(
        2,
        Decimal(20000),
        Decimal(0),
        Decimal(10000),
        Decimal(4460),
        Decimal(0),
        Decimal(0),
        Decimal("166.20"),
    )
    assert payslip(chief, Month(2024, 3), schemes=REGISTRY, ytd=ytd).amount(
        "income_tax"
    ) == Decimal("83.10")


def test_the_year_end_bonus_taxed_separately_or_combined() -> None:
    separate = worker(
        scheme="test.scheme",
        contribution_base="10000",
        appraisals={"2023": "优秀"},
        tax={"bonus_method": "separate"},
    )
    december = payslip(separate, Month(2024, 12), schemes=REGISTRY)
    # 36,000 ÷ 12 = 3,000 → 3% → 1,080 on its own; wages stay in the 3% band (12 × 2,770 = 33,240).
    assert december.amount("bonus_income_tax") == Decimal("1080.00")
    assert december.amount("income_tax") == Decimal("83.10")
    combined = payslip(
        separate.model_copy(
            update={"tax": separate.tax.model_copy(update={"bonus_method": "combined"})}
        ),
        Month(2024, 12),
        schemes=REGISTRY,
    )
    # Combined: cumulative taxable 33,240 + 36,000 = 69,240 → 10% − 2,520 = 4,404; less 11 × 83.10.
    assert combined.amount("income_tax") == Decimal("3489.90")
    assert combined.line("bonus_income_tax") is None


def test_separate_bonus_is_not_offered_after_the_policy_ends() -> None:
    chief = parse_worker(
        {
            "id": "T-1",
            "post": "chief",
            "hired_on": "2015-01-01",
            "scheme": "test.scheme",
            "contribution_base": "10000",
            "appraisals": {"2027": "优秀"},
            "tax": {"bonus_method": "separate"},
        },
        today=date(2029, 1, 1),
    )
    slips = payroll_year(chief, 2028, schemes=REGISTRY)
    december = slips[-1]
    # Policy 财政部 税务总局公告2023年第30号 runs to 2027-12-31: in 2028 the bonus is combined.
    assert december.line("bonus_income_tax") is None
    assert any("不在有效期内" in warning for warning in december.warnings)


def test_a_taxed_scheme_needs_the_year_to_date() -> None:
    with pytest.raises(PayError, match="year-to-date"):
        payslip_for_version(worker(), Month(2024, 3), TAXED)


@st.composite
def taxed_case(draw: st.DrawFn) -> tuple[object, int]:
    year = draw(st.integers(2024, 2026))  # the Kunming table starts in 2024
    chosen = draw(workers(TAXED, month=Month(year, 12), full_month=False))
    base = draw(st.none() | st.decimals(0, 40000, places=2))
    return chosen.model_copy(update={"contribution_base": base}), year


@given(taxed_case())
def test_every_slip_of_a_year_balances_and_tax_only_accumulates(case: tuple[object, int]) -> None:
    chosen, year = case
    slips = payroll_year(chosen, year, schemes=REGISTRY)  # type: ignore[arg-type]
    withheld = Decimal(0)
    for slip in slips:
        assert_lines_sum_to_totals(slip)
        assert slip.gross - slip.deductions == slip.net
        tax = slip.amount("income_tax")
        assert tax >= 0
        withheld += tax
    assert withheld >= 0


@given(taxed_case(), st.decimals(1, 5000, places=2))
def test_a_higher_income_never_lowers_the_years_tax(
    case: tuple[object, int], raise_by: Decimal
) -> None:
    chosen, year = case
    richer_scheme = scheme(
        COMPONENTS.replace("chief = 10000", f"chief = {10000 + raise_by}")
        .replace("deputy = 6000", f"deputy = {6000 + raise_by}")
        .replace("member = 4000", f"member = {4000 + raise_by}"),
        header=TAXED_HEADER,
    )

    def year_tax(version: object) -> Decimal:
        slips = payroll_year(chosen, year, schemes=SchemeRegistry([version]))  # type: ignore[arg-type, list-item]
        return sum(
            (s.amount("income_tax") + s.amount("bonus_income_tax") for s in slips), Decimal(0)
        )

    assert year_tax(richer_scheme) >= year_tax(TAXED)


def test_contribution_base_from_last_years_average_wage(tmp_path: Path) -> None:
    from tests.contributions.tables_for_tests import VALID_TABLE

    folder = tmp_path / "test.town"
    folder.mkdir()
    (folder / "2023.toml").write_text(
        VALID_TABLE.format(
            version="2023",
            effective_from="2023-01-01",
            published_on="2022-12-01",
            default="previous_year_average",
        ),
        encoding="utf-8",
    )
    tables = load_contribution_tables(tmp_path)
    header = HEADER.replace(
        'status = "official"', 'status = "official"\ncontribution_table = "test.town"'
    )
    registry = SchemeRegistry(
        [scheme(COMPONENTS.split('[[components]]\ncode = "year_end"')[0], header=header)]
    )
    hire = worker(scheme="test.scheme", hired_on="2023-03-16")
    # Hired on 16 March 2023: no wages in 2022, so 2023's base is the first month's wage,
    # 10,000 × 16/31 = 5,161.29; pension 8% = 412.90.
    march = payslip(hire, Month(2023, 3), schemes=registry, contributions=tables)
    assert march.amount("pension_employee") == Decimal("412.90")
    # 2024: 2023's average, (5,161.29 + 9 × 10,000) / 10 = 9,516.129 → 9,516.13;
    # pension 8% = 761.29, housing fund 5% (its own cap 10,000) = 475.81.
    january = payslip(hire, Month(2024, 1), schemes=registry, contributions=tables)
    assert "基数 9,516.13" in january.line("pension_employee").basis  # type: ignore[union-attr]
    assert january.amount("pension_employee") == Decimal("761.29")
    assert january.amount("housing_fund_employee") == Decimal("475.81")
    # A declared base still wins.
    declared = hire.model_copy(update={"contribution_base": Decimal(4000)})
    assert payslip(declared, Month(2024, 1), schemes=registry, contributions=tables).amount(
        "pension_employee"
    ) == Decimal("320.00")


def test_special_additional_deductions_declared_by_the_worker() -> None:
    parent = worker(
        scheme="test.scheme", contribution_base="10000", tax={"children_in_education": 1}
    )
    # 子女教育 2,000 a month from 2023 (国发〔2023〕13号): (10,000 − 5,000 − 2,230 − 2,000) × 3% = 23.10.
    assert payslip(parent, Month(2024, 1), schemes=REGISTRY).amount("income_tax") == Decimal(
        "23.10"
    )


def test_impossible_claims_are_worker_errors_naming_the_field() -> None:
    both = worker(scheme="test.scheme", tax={"housing_loan": True, "housing_rent_tier": 1})
    with pytest.raises(WorkerError) as caught:
        payslip(both, Month(2024, 1), schemes=REGISTRY)
    assert all(problem.location.startswith("tax.") for problem in caught.value.problems)

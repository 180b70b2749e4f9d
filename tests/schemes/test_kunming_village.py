"""昆明 村干部岗位补贴: a typical 一肩挑 secretary-director receives about 3600 a month.

Source, 002_47767154af175321.txt (press conference, 3月13日):
  "'一肩挑'的书记主任每月补贴达到3600元左右"
The amounts of the bundled scheme are illustrative and were chosen to meet that figure; the
hand computation below (and at the top of the scheme file) shows how.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from paycalc import payslip
from paycalc.scheme import load_schemes
from tests.conftest import SCHEMES

FAMILY = "kunming.village-cadre"
REGISTRY = load_schemes(SCHEMES)
TARGET = Decimal(3600)  # 002: "每月补贴达到3600元左右"
LOW, HIGH = TARGET * Decimal("0.9"), TARGET * Decimal("1.1")

#: A typical 一肩挑: more than 10 years in office, 大专, a village rated 达标, a county-level
#: honour, a collective earning 300,000 a year, enrolled in pension insurance, 称职.
TYPICAL: dict[str, Any] = {
    "id": "KV-T",
    "scheme": FAMILY,
    "post": "书记主任一肩挑",
    "hired_on": "2012-01-01",
    "education": "大专",
    "appraisals": {"2022": "称职", "2023": "称职"},
    "inputs": {
        "creation": "达标",
        "honour": "县级",
        "collective_income": 300000,
        "pension_insured": True,
    },
}


def test_typical_ordinary_month_is_about_3600() -> None:
    # Hand computation: 基本报酬 2000 + 基础绩效 (达标 500 + 10年以上 200 + 大专 100 + 县级
    # 100) + 集体经济创收奖励 300000 × 0.1% = 300 + 参保补助 200 = 3400.
    slip = payslip(TYPICAL, "2024-06", schemes=REGISTRY)
    assert slip.gross == Decimal(3400)
    assert LOW <= slip.gross <= HIGH


def test_typical_year_averages_3600() -> None:
    # Twelve ordinary months of 3400, plus 年度考核绩效 2400 × 1.0 (称职) in March:
    # (12 × 3400 + 2400) / 12 = 3600.
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    total = sum((payslip(TYPICAL, m, schemes=REGISTRY).gross for m in months), Decimal(0))
    assert total == 12 * 3400 + 2400
    average = total / 12
    assert average == TARGET
    assert LOW <= average <= HIGH


def test_annual_performance_is_paid_after_the_appraisal_only() -> None:
    march = payslip(TYPICAL, "2024-03", schemes=REGISTRY)
    assert march.amount("annual_performance") == Decimal(2400)
    assert payslip(TYPICAL, "2024-04", schemes=REGISTRY).line("annual_performance") is None


def test_collective_reward_is_capped() -> None:
    # 0.1% of 2,000,000 is 2000 a month, above the illustrative ceiling of 800.
    rich = {**TYPICAL, "inputs": {**TYPICAL["inputs"], "collective_income": 2000000}}
    assert payslip(rich, "2024-06", schemes=REGISTRY).amount("collective_reward") == Decimal(800)


def test_insurance_subsidy_needs_enrolment() -> None:
    uninsured = {**TYPICAL, "inputs": {**TYPICAL["inputs"], "pension_insured": False}}
    slip = payslip(uninsured, "2024-06", schemes=REGISTRY)
    assert slip.line("insurance_subsidy") is None
    assert slip.gross == Decimal(3400 - 200)


def test_every_village_post_is_paid_and_yijiantiao_most() -> None:
    # 000: "把村级岗位整合为'正职岗''副职岗''委员岗''后备岗'4类" (plus 一肩挑 holders).
    gross = {
        post: payslip({**TYPICAL, "post": post}, "2024-06", schemes=REGISTRY).gross
        for post in ("一肩挑", "正职岗", "副职岗", "委员岗", "后备岗")
    }
    assert list(gross.values()) == sorted(gross.values(), reverse=True)
    assert all(amount > 0 for amount in gross.values())

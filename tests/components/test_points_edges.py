"""Points grading (积分) at its edges: a fractional per-year rate, a factor's cap, an award on
the pay month's first day. The grade shows as the grade pay (50 + 60 per grade above 1)."""

from decimal import Decimal

from paycalc.engine import payslip_for_version
from paycalc.period import Month
from tests.helpers import scheme, worker

POINTS = """
[grade]
method = "points"

[grade.points]
per_service_year = 0.5
qualifications = { social_work = { junior = 1, intermediate = 2, senior = 3 } }
qualifications_max = 2
awards = { district = 1, city = 2 }
thresholds = [
  { points = 0, grade = 1 },
  { points = 1, grade = 2 },
  { points = 1.6, grade = 3 },
  { points = 2, grade = 4 },
  { points = 2.5, grade = 5 },
  { points = 3, grade = 6 },
  { points = 4, grade = 7 },
]

[[components]]
code = "grade_pay"
label = "等级工资"
kind = "by_grade"
start = 50
step = 60
"""


def _grade_pay(month: Month, **fields: object) -> Decimal:
    slip = payslip_for_version(worker(post="member", **fields), month, scheme(POINTS))
    return slip.amount("grade_pay")


def test_service_points_are_years_times_the_rate() -> None:
    # Hired 2016-01-01; on 2024-03-01, 8 completed years × 0.5 = 4 points → grade 7:
    # 50 + 60 × 6 = 410.
    assert _grade_pay(Month(2024, 3), hired_on="2016-01-01") == Decimal("410.00")
    # Hired 2019-01-01: 5 years × 0.5 = 2.5 points → grade 5: 50 + 60 × 4 = 290.
    assert _grade_pay(Month(2024, 3), hired_on="2019-01-01") == Decimal("290.00")
    # Hired 2022-01-01: 2 years × 0.5 = 1 point → grade 2: 110 (dividing instead, 2 ÷ 0.5 = 4
    # points would be grade 7; 2 ÷ 5 tenths, 0.04 points, grade 1).
    assert _grade_pay(Month(2024, 3), hired_on="2022-01-01") == Decimal("110.00")


def test_qualification_points_stop_at_their_cap() -> None:
    # Hired 2023-06-01: 0 completed years in March 2024 → 0 service points.
    # 高级 社工证 is 3 points, capped at 2 → grade 4: 50 + 60 × 3 = 230 (uncapped: grade 6, 350).
    held = [{"kind": "social_work", "level": "senior", "obtained_on": "2023-09-01"}]
    assert _grade_pay(Month(2024, 3), hired_on="2023-06-01", qualifications=held) == Decimal(
        "230.00"
    )


def test_an_award_counts_from_the_month_after_its_day() -> None:
    # docs/scheme-format.md: "awards dated before" the pay month's first day count. Hired
    # 2023-06-01 (0 service points); a 区级 award (1 point) dated 2024-03-01 is not yet known
    # on March's first day → 0 points, grade 1: 50; in April it is → 1 point, grade 2: 110.
    on_first = [{"level": "区级", "awarded_on": "2024-03-01"}]
    assert _grade_pay(Month(2024, 3), hired_on="2023-06-01", awards=on_first) == Decimal("50.00")
    assert _grade_pay(Month(2024, 4), hired_on="2023-06-01", awards=on_first) == Decimal("110.00")
    # Dated the day before (2024-02-29): counted in March → grade 2: 110.
    eve = [{"level": "区级", "awarded_on": "2024-02-29"}]
    assert _grade_pay(Month(2024, 3), hired_on="2023-06-01", awards=eve) == Decimal("110.00")
    # A 市级 award dated in April adds nothing in March, not even a tenth of a point: hired
    # 2021-01-01, 3 years × 0.5 = 1.5 points → grade 2: 110 (1.6 points would be grade 3).
    later = [{"level": "市级", "awarded_on": "2024-04-10"}]
    assert _grade_pay(Month(2024, 3), hired_on="2021-01-01", awards=later) == Decimal("110.00")

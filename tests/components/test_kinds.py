"""One test group per component kind; every expected figure is computed by hand in a comment."""

from decimal import Decimal

import pytest

from paycalc.engine import payslip_for_version
from paycalc.errors import WorkerError
from paycalc.period import Month
from tests.helpers import GIVEN_GRADE, HEADER, scheme, worker

M = Month(2024, 3)


def _amount(scheme_text: str, month: Month = M, **worker_fields: object) -> Decimal | None:
    slip = payslip_for_version(worker(**worker_fields), month, scheme(scheme_text))
    line = slip.lines[0] if slip.lines else None
    return line.amount if line else None


def test_by_post() -> None:
    text = """
[[components]]
code = "living_subsidy"
label = "生活补助"
kind = "by_post"
amounts = { chief = 2600 }
default = 2000
"""
    assert _amount(text, post="正职") == Decimal("2600.00")
    assert _amount(text, post="member") == Decimal("2000.00")


def test_by_grade_table_and_start_plus_step() -> None:
    table = (
        GIVEN_GRADE
        + """
[[components]]
code = "grade_pay"
label = "等级工资"
kind = "by_grade"
table.chief = { 7 = 3120, 8 = 3300, 9 = 3480, 10 = 3660, 11 = 3840, 12 = 4020, 13 = 4200, 14 = 4380, 15 = 4560, 16 = 4740, 17 = 4920, 18 = 5100 }
table."*" = { 1 = 1, 2 = 2, 3 = 3, 4 = 4, 5 = 5, 6 = 6, 7 = 7, 8 = 8, 9 = 9, 10 = 10, 11 = 11, 12 = 12, 13 = 13, 14 = 14, 15 = 15 }
"""
    )
    assert _amount(table, grade=8) == Decimal("3300.00")
    assert _amount(table, post="deputy", grade=5) == Decimal("5.00")
    step = (
        GIVEN_GRADE
        + """
[[components]]
code = "grade_pay"
label = "等级工资"
kind = "by_grade"
start = 50
step = 60
"""
    )
    # Published city table: grade 1 = 50, +60 per grade → grade 12 = 50 + 60 × 11 = 710.
    assert _amount(step, post="member", grade=12) == Decimal("710.00")


def test_coefficient_with_a_monthly_share() -> None:
    text = (
        GIVEN_GRADE
        + """
[[components]]
code = "base_pay"
label = "基本工资"
kind = "coefficient"
base = 3400
share = 0.8
coefficients."*" = { 1 = 1, 2 = 1, 3 = 1, 4 = 1.1, 5 = 1.1, 6 = 1.1, 7 = 1.25, 8 = 1.25, 9 = 1.25, 10 = 1.25, 11 = 1.25, 12 = 1.25, 13 = 1.3, 14 = 1.3, 15 = 1.3, 16 = 1.3, 17 = 1.3, 18 = 1.3 }
"""
    )
    # Benxi shape: 3400 × 1.25 × 80% = 3400.00
    assert _amount(text, grade=7) == Decimal("3400.00")


def test_seniority_counts_service_or_passed_years_and_stops_at_the_cap() -> None:
    text = """
[[components]]
code = "seniority"
label = "岗位年限津贴"
kind = "seniority"
per_year = 50
max_years = 10
"""
    # Hired 2015-01-01 → 9 completed years on 2024-03-01; one failed year (2020) → 8 × 50.
    assert _amount(text, appraisals={"2020": "不称职"}) == Decimal("400.00")
    # Hired 2000 → 24 years, capped at 10 → 500.
    assert _amount(text, hired_on="2000-01-01") == Decimal("500.00")
    passed = text.replace('kind = "seniority"', 'kind = "seniority"\ncounting = "passed_years"')
    # Passed (合格 and better): 2021 优秀, 2022 合格. Not 2023 基本称职 (a step needs 考核合格),
    # not 2020 不称职 → 2 × 50.
    appraisals = {"2020": "不称职", "2021": "优秀", "2022": "合格", "2023": "基本称职"}
    assert _amount(passed, appraisals=appraisals) == Decimal("100.00")


SOCIAL_WORK = """
[[components]]
code = "social_work_subsidy"
label = "社工证补贴"
kind = "highest_level"
qualification = "social_work"
amounts = { junior = 100, intermediate = 150, senior = 200 }
when = { in_establishment = false }
"""


def _certificate(level: str, on: str) -> list[dict[str, str]]:
    return [{"kind": "social_work", "level": level, "obtained_on": on}]


def test_highest_level_pays_the_highest_certificate_from_the_next_month() -> None:
    both = _certificate("junior", "2019-01-10") + _certificate("intermediate", "2023-06-20")
    # 蕉城: 非在编 初级 100 / 中级 150 / 高级 200 a month; highest only.
    assert _amount(SOCIAL_WORK, qualifications=both) == Decimal("150.00")
    assert _amount(SOCIAL_WORK, qualifications=both, in_establishment=True) is None
    # Obtained in March → paid from April.
    assert _amount(SOCIAL_WORK, qualifications=_certificate("senior", "2024-03-05")) is None
    assert _amount(
        SOCIAL_WORK, Month(2024, 4), qualifications=_certificate("senior", "2024-03-05")
    ) == Decimal("200.00")


def test_highest_level_time_limit() -> None:
    limited = SOCIAL_WORK.replace("when = { in_establishment = false }", "duration_months = 36")
    held = _certificate("junior", "2020-12-15")
    # Paid from 2021-01 for 36 months: the last paid month is 2023-12.
    assert _amount(limited, Month(2023, 12), qualifications=held) == Decimal("100.00")
    assert _amount(limited, Month(2024, 1), qualifications=held) is None


def test_highest_education_subsidy() -> None:
    text = """
[[components]]
code = "education_subsidy"
label = "学历补贴"
kind = "highest_level"
source = "education"
amounts = { bachelor = 100, master = 200 }
"""
    assert _amount(text, education="硕士") == Decimal("200.00")
    assert _amount(text, education="大专") is None


def test_one_off_after_a_certificate_pays_the_difference_on_upgrade() -> None:
    text = """
[[components]]
code = "certificate_award"
label = "取证奖励"
kind = "one_off"
event = "qualification"
qualification = "social_work"
amounts = { junior = 1000, intermediate = 2000, senior = 3000 }
pay = "difference"
"""
    held = _certificate("junior", "2022-05-01") + _certificate("intermediate", "2024-02-20")
    assert _amount(text, Month(2022, 6), qualifications=held) == Decimal("1000.00")
    # Upgrade in February 2024: 2000 − 1000 already paid = 1000, in March.
    assert _amount(text, Month(2024, 3), qualifications=held) == Decimal("1000.00")
    assert _amount(text, Month(2024, 4), qualifications=held) is None


def test_one_off_after_an_award() -> None:
    text = """
[[components]]
code = "award_bonus"
label = "表彰奖励金"
kind = "one_off"
event = "award"
amounts = { city = 1000, province = 2000 }
"""
    awards = [
        {"level": "市级", "awarded_on": "2024-02-10"},
        {"level": "省级", "awarded_on": "2024-02-28"},
    ]
    assert _amount(text, awards=awards) == Decimal("3000.00")  # both paid in March: 1000 + 2000


YEARLY = """
[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = { chief = 3000, deputy = 2500, member = 2000 }

[[components]]
code = "year_end"
label = "年终绩效"
kind = "yearly"
month = 1
of = ["post_pay"]
multiplier = 2
factors = { excellent = 1.2, competent = 1, basic = 0.5, incompetent = 0 }
"""


def _line(text: str, code: str, month: Month, **fields: object) -> Decimal | None:
    slip = payslip_for_version(worker(**fields), month, scheme(text))
    found = slip.line(code)
    return found.amount if found else None


def test_yearly_is_paid_in_its_month_scaled_by_last_years_appraisal() -> None:
    # Two months of post pay (2 × 3000) × 1.2 for 优秀 = 7200.
    assert _line(YEARLY, "year_end", Month(2024, 1), appraisals={"2023": "优秀"}) == Decimal(
        "7200.00"
    )
    assert _line(YEARLY, "year_end", Month(2024, 2), appraisals={"2023": "优秀"}) is None
    assert _line(YEARLY, "year_end", Month(2024, 1), appraisals={"2023": "不称职"}) is None  # × 0


def test_yearly_for_a_part_year_by_days_employed_or_in_full() -> None:
    # Hired 2023-07-01: employed 184 of 2023's 365 days (July 1 … December 31).
    # By days employed (the default): 7200 × 184 / 365 = 3629.589… → 3629.59 (half up).
    part = {"hired_on": "2023-07-01", "appraisals": {"2023": "优秀"}}
    assert _line(YEARLY, "year_end", Month(2024, 1), **part) == Decimal("3629.59")
    # pro_rata = "none": the whole 2 × 3000 × 1.2 = 7200, as for a full year.
    whole = YEARLY.replace("month = 1\n", 'month = 1\npro_rata = "none"\n')
    assert _line(whole, "year_end", Month(2024, 1), **part) == Decimal("7200.00")
    assert _line(whole, "year_end", Month(2024, 2), **part) is None  # not its month
    # Outside its month a yearly reward is no line even when the scheme shows zero lines.
    shown = YEARLY.replace("month = 1\n", "month = 1\nshow_zero = true\n")
    assert _line(shown, "year_end", Month(2024, 2), **part) is None


def test_yearly_by_post_amount_with_decimals_times_the_factor() -> None:
    text = """
[[components]]
code = "year_end"
label = "年终绩效"
kind = "yearly"
month = 1
amounts = { chief = "1000.5", deputy = 800, member = 600 }
factors = { excellent = 1.2, competent = 1, basic = 0.5, incompetent = 0 }
"""
    # 1000.5 × 1.2 = 1200.60 (tenths × tenths: hundredths, exact).
    assert _line(text, "year_end", Month(2024, 1), appraisals={"2023": "优秀"}) == Decimal(
        "1200.60"
    )


def test_yearly_without_the_appraisal_is_an_error_unless_skipped() -> None:
    with pytest.raises(WorkerError, match=r"appraisals\.2023"):
        _line(YEARLY, "year_end", Month(2024, 1))
    skipping = YEARLY.replace("month = 1\n", 'month = 1\nmissing_appraisal = "skip"\n')
    assert _line(skipping, "year_end", Month(2024, 1)) is None
    # Hired in 2024: not employed in the appraised year 2023, so nothing is due and no error.
    assert _line(YEARLY, "year_end", Month(2024, 1), hired_on="2024-01-01") is None


def test_share_of_earlier_lines() -> None:
    text = (
        YEARLY.split('[[components]]\ncode = "year_end"')[0]
        + """
[[components]]
code = "performance"
label = "绩效"
kind = "share_of"
of = ["post_pay"]
share = 0.25
"""
    )
    assert _line(text, "performance", M) == Decimal("750.00")  # 3000 × 25%


INPUTS = """
[inputs.rating]
label = "达标创建"
type = "choice"
choices = ["甲", "乙", "丙"]

[inputs.income_growth]
label = "集体经济创收"
type = "number"
"""


def test_by_input_and_input_rate() -> None:
    text = (
        INPUTS
        + """
[[components]]
code = "basic_performance"
label = "基础绩效"
kind = "by_input"
input = "rating"
amounts = { "甲" = 600, "乙" = 400, "丙" = 200 }

[[components]]
code = "collective_reward"
label = "集体经济创收奖励"
kind = "input_rate"
input = "income_growth"
rate = 0.05
max = 1000
"""
    )
    inputs = {"rating": "乙", "income_growth": "12000"}
    assert _line(text, "basic_performance", M, inputs=inputs) == Decimal("400.00")
    assert _line(text, "collective_reward", M, inputs=inputs) == Decimal("600.00")  # 12000 × 5%
    big = {"rating": "甲", "income_growth": "50000"}
    assert _line(text, "collective_reward", M, inputs=big) == Decimal(
        "1000.00"
    )  # 2500 capped at 1000


def test_missing_or_wrong_declared_inputs_are_errors_naming_them() -> None:
    text = (
        INPUTS
        + """
[[components]]
code = "basic_performance"
label = "基础绩效"
kind = "by_input"
input = "rating"
amounts = { "甲" = 600, "乙" = 400, "丙" = 200 }
"""
    )
    with pytest.raises(WorkerError) as caught:
        _line(text, "basic_performance", M, inputs={"rating": "丁"})
    locations = {problem.location: problem.message for problem in caught.value.problems}
    assert "expected one of 甲, 乙, 丙" in locations["inputs.rating"]
    assert "required by test.scheme v1 (集体经济创收)" in locations["inputs.income_growth"]


def test_conditions_select_posts_and_inputs() -> None:
    text = (
        INPUTS.split("[inputs.income_growth]")[0]
        + """
[[components]]
code = "chief_allowance"
label = "正职津贴"
kind = "by_post"
amounts = { chief = 300, deputy = 300, member = 300 }
when = { posts = ["chief"], inputs = { rating = ["甲"] }, min_service_years = 5 }
"""
    )
    assert _line(text, "chief_allowance", M, inputs={"rating": "甲"}) == Decimal("300.00")
    assert _line(text, "chief_allowance", M, inputs={"rating": "乙"}) is None
    assert _line(text, "chief_allowance", M, post="deputy", inputs={"rating": "甲"}) is None
    assert _line(text, "chief_allowance", M, hired_on="2020-01-01", inputs={"rating": "甲"}) is None


def test_a_cap_reduces_the_named_lines_in_order() -> None:
    text = (
        YEARLY.split('[[components]]\ncode = "year_end"')[0]
        + """
[[components]]
code = "performance"
label = "绩效"
kind = "by_post"
amounts = { chief = 1500, deputy = 0, member = 0 }

[[caps]]
code = "cap"
label = "封顶"
limit = 4000
reduce = ["performance", "post_pay"]
"""
    )
    slip = payslip_for_version(worker(), M, scheme(text))
    # 3000 + 1500 = 4500 > 4000: performance loses 500 → 1000; post pay untouched.
    assert slip.amount("performance") == Decimal("1000.00")
    assert slip.amount("post_pay") == Decimal("3000.00")
    assert slip.gross == Decimal("4000.00")
    assert "封顶 4,000: 扣减 500.00" in slip.line("performance").basis  # type: ignore[union-attr]


def test_zero_lines_are_left_out_unless_the_scheme_asks() -> None:
    text = """
[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = { chief = 0, deputy = 2500, member = 2300 }
"""
    assert payslip_for_version(worker(), M, scheme(text)).lines == ()
    shown = payslip_for_version(
        worker(), M, scheme(text.replace('kind = "by_post"', 'kind = "by_post"\nshow_zero = true'))
    )
    assert [(line.code, line.amount) for line in shown.lines] == [("post_pay", Decimal("0.00"))]


def test_the_scheme_chooses_the_rounding() -> None:
    # A share that lands on half a fen: 0.125 × 100.20 = 12.525 → 12.53 half-up, 12.52 half-even.
    text = """
[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = { chief = 100.20, deputy = 0, member = 0 }

[[components]]
code = "performance"
label = "绩效"
kind = "share_of"
of = ["post_pay"]
share = 0.125
"""
    half_up = payslip_for_version(worker(), M, scheme(text))
    assert half_up.amount("performance") == Decimal("12.53")
    even = scheme(
        text,
        header=HEADER.replace(
            'status = "official"', 'status = "official"\nrounding = "ROUND_HALF_EVEN"'
        ),
    )
    assert payslip_for_version(worker(), M, even).amount("performance") == Decimal("12.52")

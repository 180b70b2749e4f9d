"""A test scheme with every component kind, sub-fen amounts, points grading and caps."""

from __future__ import annotations

from paycalc.scheme import SchemeVersion
from tests.helpers import scheme

_COEFFICIENTS = ", ".join(f"{g} = {1 + g * 0.0137:.4f}" for g in range(1, 19))

_HEADER = """
[scheme]
id = "test.kitchen"
version = "v1"
title = "every kind"
effective_from = 2020-01-01
published_on = 2019-12-01
status = "official"
source = {{ title = "unit test" }}
rounding = "{rounding}"
proration = "calendar"
contribution_table = "national.default"
"""

_BODY = f"""
[inputs.rating]
label = "评级"
type = "choice"
choices = ["A", "B", "C"]

[inputs.income]
label = "创收"
type = "number"

[inputs.insured]
label = "参保"
type = "yes_no"

[grade]
method = "points"
exclude_failed_years = true

[grade.points]
per_service_year = 1.5
service_max = 20
appraisal = {{ excellent = 2, competent = 1, basic = 0.5, incompetent = -2 }}
appraisal_max = 10
education = {{ college = 1, bachelor = 2.25, master = 3, doctorate = 4 }}
qualifications = {{ social_work = {{ junior = 1, intermediate = 2, senior = 3 }}, title = {{ junior = 0.5, intermediate = 1, senior = 2 }} }}
qualifications_max = 4
awards = {{ district = 1, city = 2, province = 3, national = 5 }}
awards_max = 5
thresholds = [
  {{ points = 0, grade = 1 }},
  {{ points = 4.5, grade = 3 }},
  {{ points = 9, grade = 6 }},
  {{ points = 15, grade = 9 }},
  {{ points = 22.5, grade = 14 }},
  {{ points = 30, grade = 18 }},
]

[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = {{ chief = "2800.005", deputy = "2500.015", member = "2300.025" }}

[[components]]
code = "grade_pay"
label = "等级工资"
kind = "by_grade"
start = "50.125"
step = "60.333"

[[components]]
code = "base_pay"
label = "系数工资"
kind = "coefficient"
base = 3400
share = "0.8"
coefficients."*" = {{ {_COEFFICIENTS} }}

[[components]]
code = "seniority"
label = "年限津贴"
kind = "seniority"
per_year = "33.333"
max_years = 15

[[components]]
code = "passed"
label = "合格年限"
kind = "seniority"
counting = "passed_years"
per_year = "10.5"

[[components]]
code = "social_work_subsidy"
label = "社工证补贴"
kind = "highest_level"
qualification = "social_work"
amounts = {{ junior = "100.5", intermediate = 150, senior = 200 }}
duration_months = 24
when = {{ in_establishment = false }}

[[components]]
code = "title_subsidy"
label = "职称补贴"
kind = "highest_level"
qualification = "title"
amounts = {{ intermediate = 300, senior = "500.005" }}
starts = "same_month"

[[components]]
code = "education_subsidy"
label = "学历补贴"
kind = "highest_level"
source = "education"
amounts = {{ bachelor = 100, master = "200.5", doctorate = 300 }}
when = {{ education_at_least = "bachelor" }}

[[components]]
code = "certificate_award"
label = "取证奖励"
kind = "one_off"
event = "qualification"
qualification = "social_work"
pay = "difference"
amounts = {{ junior = 500, intermediate = "1000.5", senior = 2000 }}

[[components]]
code = "title_award"
label = "职称奖励"
kind = "one_off"
event = "qualification"
qualification = "title"
months_after = 0
amounts = {{ junior = "100.005", senior = 800 }}

[[components]]
code = "award_bonus"
label = "表彰奖励"
kind = "one_off"
event = "award"
amounts = {{ city = "300.333", province = 500, national = "0.004" }}

[[components]]
code = "rating"
label = "星级津贴"
kind = "by_input"
input = "rating"
amounts = {{ A = "200.5", B = 100, C = 0 }}
show_zero = true

[[components]]
code = "income_share"
label = "创收奖励"
kind = "input_rate"
input = "income"
rate = "0.015"
max = 1500

[[components]]
code = "insured_bonus"
label = "参保补贴"
kind = "by_post"
amounts = {{}}
default = "50.5"
when = {{ inputs = {{ insured = [true] }}, min_grade = 5, max_grade = 15, not_posts = ["deputy"] }}

[[components]]
code = "veteran"
label = "老员工补贴"
kind = "by_post"
amounts = {{ chief = 80, deputy = 60, member = 40 }}
when = {{ min_service_years = 5, max_service_years = 20, posts = ["chief", "member"] }}

[[components]]
code = "performance"
label = "绩效"
kind = "share_of"
of = ["post_pay", "grade_pay", "base_pay"]
share = "0.175"

[[components]]
code = "year_end"
label = "年终绩效"
kind = "yearly"
month = 1
of = ["post_pay", "grade_pay"]
multiplier = "2.5"
factors = {{ excellent = "1.25", competent = 1, basic = "0.5", incompetent = 0 }}
missing_appraisal = "skip"

[[components]]
code = "year_post"
label = "年度岗位奖"
kind = "yearly"
month = 12
amounts = {{ chief = "1000.005", deputy = 500, member = "400.015" }}
factors = {{ excellent = "1.2", competent = 1, basic = "0.6", incompetent = 0 }}

[[caps]]
code = "cap_total"
label = "月上限"
limit = "9000.005"
of = ["gross"]
include_employer = ["pension", "medical"]
reduce = ["performance", "post_pay"]

[[caps]]
code = "cap_extras"
label = "津贴上限"
limit = "300.5"
of = ["rating", "income_share"]
reduce = ["income_share", "rating"]
"""


def kitchen(rounding: str = "ROUND_HALF_UP") -> SchemeVersion:
    return scheme(_BODY, header=_HEADER.format(rounding=rounding))


def extreme(rounding: str = "ROUND_HALF_UP") -> SchemeVersion:
    """The kitchen with figures at the edges of int64 arithmetic: a 1/12 share written to 15
    places, factors and a cap limit with many decimals, amounts in the hundred millions."""
    body = (
        _BODY.replace('share = "0.175"', 'share = "0.083333333333333"')
        .replace('share = "0.8"', 'share = "0.123456789012345678"')
        .replace('chief = "2800.005"', 'chief = "123456789.015"')
        .replace('step = "60.333"', 'step = "6000000.333333333"')
        .replace('excellent = "1.2"', 'excellent = "1.234567890123456789"')
        .replace('limit = "300.5"', 'limit = "300.123456789012345"')
    )
    assert body.count("0.083333333333333") == 1 and body.count("123456789.015") == 1
    return scheme(body, header=_HEADER.format(rounding=rounding))

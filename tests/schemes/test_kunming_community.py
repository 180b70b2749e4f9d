"""昆明 专职社区工作者: the official 7540 ceiling holds for every worker, whatever their record.

Source, 002_47767154af175321.txt (昆明市民政局 at a press conference, 3月13日):
  "社区专职工作者的薪酬待遇最高上涨至每月7540元(含五险)"
The amounts of the bundled scheme are illustrative; the ceiling is official.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, target
from hypothesis import strategies as st

from paycalc import Payslip, payslip
from paycalc.codes import Appraisal, AwardLevel, Education, Level, QualificationKind
from paycalc.period import Month
from paycalc.scheme import load_schemes
from tests.conftest import SCHEMES

FAMILY = "kunming.community-worker"
CAP = Decimal(7540)  # 002: "最高 ... 每月7540元(含五险)"

REGISTRY = load_schemes(SCHEMES)
SCHEME = REGISTRY.versions(FAMILY)[0]
#: Every way a worker file may name a post: codes, labels and aliases.
POST_NAMES = sorted(
    {name for code, post in SCHEME.spec.posts.items() for name in (code, post.label, *post.aliases)}
)
FIRST_MONTH = date(2019, 1, 1)  # the version's effective_from
LAST_MONTH = date(2030, 12, 1)
#: Appraisal years drawn up to the last month drawn (a slip counts only years before its month).
LAST_APPRAISAL_YEAR = LAST_MONTH.year

days = st.dates(min_value=date(1985, 1, 1), max_value=LAST_MONTH)


@st.composite
def kunming_worker_and_month(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """Any post, dates, education, appraisals, certificates/titles, awards and given grade."""
    hired_on = draw(st.dates(min_value=date(1985, 1, 1), max_value=LAST_MONTH))
    first = max(FIRST_MONTH, hired_on.replace(day=1))
    month_start = draw(st.dates(min_value=first, max_value=LAST_MONTH)).replace(day=1)
    month = Month.of(month_start)
    left_on = draw(
        st.none() | st.dates(min_value=max(hired_on, month.first_day), max_value=date(2031, 12, 31))
    )
    post = draw(st.sampled_from(POST_NAMES))
    grade = None
    if draw(st.booleans()):
        band = SCHEME.post(SCHEME.post_code(post) or post).grades
        assert band is not None
        grade = draw(st.integers(band[0], band[1]))
    # appraisals belong to years of the employment (the worker model refuses others)
    last_year = min(LAST_APPRAISAL_YEAR, left_on.year if left_on else LAST_APPRAISAL_YEAR)
    years = st.integers(hired_on.year, max(hired_on.year, last_year))
    appraisals = draw(st.dictionaries(years, st.sampled_from(list(Appraisal)), max_size=40))
    qualifications = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(list(QualificationKind)),
                    "level": st.sampled_from(list(Level)),
                    "obtained_on": days.map(date.isoformat),
                }
            ),
            max_size=6,
        )
    )
    awards = draw(
        st.lists(
            st.fixed_dictionaries(
                {"level": st.sampled_from(list(AwardLevel)), "awarded_on": days.map(date.isoformat)}
            ),
            max_size=8,
        )
    )
    record = {
        "id": "KM-H",
        "scheme": FAMILY,
        "post": post,
        "grade": grade,
        "hired_on": hired_on.isoformat(),
        "left_on": left_on.isoformat() if left_on else None,
        "in_establishment": draw(st.booleans()),
        "education": draw(st.none() | st.sampled_from(list(Education))),
        "qualifications": qualifications,
        "appraisals": {str(year): result.value for year, result in appraisals.items()},
        "awards": awards,
        # Any declared contribution base, or none (the table's floor is used).
        "contribution_base": draw(st.none() | st.decimals(0, 40000, places=2).map(str)),
    }
    return record, str(month)


def five_insurances(slip: Payslip) -> Decimal:
    """The employer's 五险 on a slip: every employer line except the housing fund (一金)."""
    return sum(
        (
            line.amount
            for line in slip.lines
            if line.category == "employer" and line.code != "housing_fund_employer"
        ),
        Decimal(0),
    )


# The ceiling counts gross pay plus the employer's five social insurances (含五险). From
# 2024 the slips carry employer lines (version 2024-01 names the yunnan.kunming table);
# before, there are none and the ceiling is on gross alone.
@given(kunming_worker_and_month())
def test_no_kunming_worker_ever_exceeds_7540(case: tuple[dict[str, Any], str]) -> None:
    record, month = case
    slip = payslip(record, month, schemes=REGISTRY)
    capped_total = slip.gross + five_insurances(slip)
    target(float(capped_total), label="gross plus employer insurance")  # steer to the top
    assert capped_total <= CAP
    assert all(line.amount >= 0 for line in slip.lines)


def test_the_cap_binds_at_the_top_of_the_scale() -> None:
    # Hand computation with the file's illustrative values: 50 points (service 20, appraisals
    # 10, 博士 8, 高级 certificate 6, awards 6) reach grade 12; 一肩挑 base 3300 + 绩效奖励
    # 800 + 320 × 11 = 4320 → 7620, above the official 7540, so 绩效奖励 is cut by 80.
    record = {
        "id": "KM-TOP",
        "scheme": FAMILY,
        "post": "书记主任一肩挑",
        "hired_on": "2000-01-01",
        "education": "博士",
        "qualifications": [{"kind": "社工证", "level": "高级", "obtained_on": "2015-01-01"}],
        "appraisals": {str(year): "优秀" for year in range(2010, 2024)},
        "awards": [
            {"level": "国家级", "awarded_on": "2020-01-01"},
            {"level": "省级", "awarded_on": "2019-01-01"},
        ],
    }
    slip = payslip(record, "2023-06", schemes=REGISTRY)
    assert slip.gross == CAP
    assert slip.amount("base_pay") == Decimal(3300)
    assert slip.amount("performance") == Decimal(4320 - 80)
    # From 2024 the employer's 五险 count too. With no declared base the yunnan.kunming floor
    # 4,500 is used: pension 16% 720 + medical 8% 360 + unemployment 0.7% 31.50 + work injury
    # 0.2% 9 = 1,120.50, so gross may be at most 7,540 − 1,120.50 = 6,419.50: 绩效奖励 is cut
    # by 7,620 − 6,419.50 = 1,200.50 to 3,119.50.
    slip_2024 = payslip(record, "2024-06", schemes=REGISTRY)
    assert five_insurances(slip_2024) == Decimal("1120.50")
    assert slip_2024.gross == Decimal("6419.50")
    assert slip_2024.amount("performance") == Decimal("3119.50")


@pytest.mark.parametrize(
    ("post", "grade"), [("member", 1), ("deputy", 2), ("chief", 3), ("secretary_director", 4)]
)
def test_four_posts_with_their_lowest_grade(post: str, grade: int) -> None:
    # 000: the four posts 专职委员, 副职, 正职, 书记主任"一肩挑". A new hire with no points
    # starts at the bottom of the post's (illustrative) band.
    hired = (date(2024, 6, 1) - timedelta(days=30)).isoformat()
    slip = payslip(
        {"id": "KM-NEW", "scheme": FAMILY, "post": post, "hired_on": hired},
        "2024-06",
        schemes=REGISTRY,
    )
    line = slip.line("performance")
    assert line is not None and f"第{grade}级" in line.basis

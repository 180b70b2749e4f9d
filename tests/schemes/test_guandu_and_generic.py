"""官渡 social-work award and the 三岗十八级 template: the rules they encode, by hand.

Both files are illustrative in their amounts; these tests pin the *rules* the documents
describe, with expected values computed by hand in the comments.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from paycalc import payslip
from paycalc.scheme import load_schemes
from tests.conftest import SCHEMES

REGISTRY = load_schemes(SCHEMES)


# --- 官渡: 004_2761877e51d603c5.txt, "对取得社会工作者执业资格证书的社区工作人员给予相应奖励" ---

GUANDU: dict[str, Any] = {
    "id": "GD-T",
    "scheme": "guandu.social-work-award",
    "post": "社区工作人员",
    "hired_on": "2010-01-01",
    "qualifications": [
        {"kind": "social_work", "level": "junior", "obtained_on": "2013-05-10"},
        {"kind": "social_work", "level": "intermediate", "obtained_on": "2014-09-02"},
    ],
}


def guandu_gross(month: str) -> Decimal:
    return payslip(GUANDU, month, schemes=REGISTRY).gross


def test_award_paid_once_the_month_after_the_certificate() -> None:
    assert guandu_gross("2013-05") == 0
    assert guandu_gross("2013-06") == Decimal(1000)  # 初级, illustrative 1000
    assert guandu_gross("2013-07") == 0


def test_upgrade_pays_the_difference() -> None:
    assert guandu_gross("2014-10") == Decimal(2000 - 1000)  # 中级 2000 less 初级 1000 paid


def test_whole_career_pays_the_highest_award_once() -> None:
    months = [f"{y}-{m:02d}" for y in range(2011, 2017) for m in range(1, 13)]
    assert sum((guandu_gross(m) for m in months), Decimal(0)) == Decimal(2000)


# --- 三岗十八级 (docs/sources.md): bands 7–18 / 4–15 / 1–12, a step every 3 years, degree years
# 本科 3 / 硕士 5 / 博士 7, certificate +1/+2/+3 within the band ---------------------------

GENERIC = "generic.three-posts-eighteen-grades"


def grade_of(post: str, hired_on: str, month: str, **extra: Any) -> int:
    record = {"id": "GN-T", "scheme": GENERIC, "post": post, "hired_on": hired_on, **extra}
    line = payslip(record, month, schemes=REGISTRY).line("grade_pay")
    assert line is not None
    # grade pay = 50 + 60 × (grade − 1)
    return int((line.amount - 50) / 60) + 1


@pytest.mark.parametrize(
    ("post", "hired_on", "extra", "expected"),
    [
        # new hires start at the bottom of their band
        ("正职", "2025-01-01", {}, 7),
        ("副职", "2025-01-01", {}, 4),
        ("其他社区工作者", "2025-01-01", {}, 1),
        # 8 completed years → 8 // 3 = 2 steps
        ("其他社区工作者", "2017-06-01", {}, 1 + 2),
        # + 本科 3 years → 11 // 3 = 3 steps
        ("其他社区工作者", "2017-06-01", {"education": "本科"}, 1 + 3),
        # + 博士 7 years → 15 // 3 = 5 steps
        ("副职", "2017-06-01", {"education": "博士"}, 4 + 5),
        # 中级 certificate adds 2 grades: 1 + 2 + 2
        (
            "其他社区工作者",
            "2017-06-01",
            {
                "qualifications": [
                    {"kind": "social_work", "level": "中级", "obtained_on": "2020-01-01"}
                ]
            },
            1 + 2 + 2,
        ),
        # a failed year does not count: 8 − 1 = 7 years → 2 steps
        ("其他社区工作者", "2017-06-01", {"appraisals": {"2020": "不称职"}}, 1 + 2),
        # 40 years + 高级 → far above the band: held at 18
        (
            "正职",
            "1985-01-01",
            {
                "qualifications": [
                    {"kind": "social_work", "level": "高级", "obtained_on": "2000-01-01"}
                ]
            },
            18,
        ),
        ("副职", "1985-01-01", {}, 15),
        ("其他社区工作者", "1985-01-01", {}, 12),
    ],
)
def test_three_posts_eighteen_grades(
    post: str, hired_on: str, extra: dict[str, Any], expected: int
) -> None:
    assert grade_of(post, hired_on, "2025-06", **extra) == expected

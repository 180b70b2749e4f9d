"""The engine end to end on the demo scheme: hand-checked slips, errors and properties."""

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import paycalc
from paycalc.engine import payslip_for_version
from paycalc.errors import NotEmployed, PayError, WorkerError
from paycalc.period import Month
from paycalc.scheme import default_registry
from paycalc.slip import Payslip
from paycalc.testing import assert_lines_sum_to_totals, workers
from tests.conftest import EXAMPLES

REGISTRY = default_registry()
DEMO_V1 = REGISTRY.find("demo.community-worker", "2023-01")
DEMO_V2 = REGISTRY.find("demo.community-worker", "2024-07")
CHIEF = paycalc.load_worker(EXAMPLES / "workers" / "demo.community-worker" / "chief.json")


def test_the_example_chief_in_march_2024_by_hand() -> None:
    slip = paycalc.payslip(CHIEF, "2024-03")
    # Hired 2012-03-15 → 11 completed years on 2024-03-01; 本科 credits 3 → 14 counted years;
    # one grade per 3 years → 4 steps from 正职's first grade 7 → 11; 中级社工证 +2 → 13.
    # Grade pay 50 + 60 × (13 − 1) = 770; basic performance 10% × (2800 + 770) = 357.
    expected = {
        "post_pay": "2800.00",
        "grade_pay": "770.00",
        "seniority": "90.00",  # 3 passed appraisals (2021–2023) × 30
        "social_work_subsidy": "150.00",  # 中级, 非在编
        "title_subsidy": "300.00",  # 初级职称 from 2023-06, month 10 of 36
        "rating_allowance": "200.00",  # rating A
        "basic_performance": "357.00",
        "award_bonus": "1000.00",  # 市级表彰 on 2024-02-10, paid the month after
    }
    assert {line.code: str(line.amount) for line in slip.lines} == expected
    assert slip.gross == Decimal("5667.00") == slip.net == slip.employer_cost
    assert slip.line("grade_pay").basis == "正职 · 第13级 · 计龄 14年 · 50 + 60 × 12"  # type: ignore[union-attr]
    assert slip.scheme.version == "2023-01" and slip.scheme.status == "illustrative"
    assert slip.warnings == (paycalc.ILLUSTRATIVE_WARNING,)


def test_the_version_in_force_switches_on_its_effective_date() -> None:
    july = paycalc.payslip(CHIEF, "2024-07")
    assert july.scheme.version == "2024-07"
    # Points: 年限 12 (hired 2012-03-15, on 2024-07-01) + 考核 2+1+1 + 学历 本科 2 + 社工证 中级 2
    # + 表彰 市级 2 = 22 → thresholds: 18 → grade 4, but 正职's band is 7–9 → grade 7.
    # Base pay 3400 × 1.30 × 80% = 3536.
    assert july.amount("base_pay") == Decimal("3536.00")
    assert july.line("base_pay").basis.startswith("正职 · 第7级 · 积分 22")  # type: ignore[union-attr]
    # As known on 2024-06-01, the July revision was not yet published: version 1 applies.
    assert paycalc.payslip(CHIEF, "2024-07", as_of=date(2024, 6, 1)).scheme.version == "2023-01"


def test_a_mid_month_hire_is_prorated_on_the_21_75_basis() -> None:
    worker = CHIEF.model_copy(
        update={"hired_on": date(2024, 7, 22), "awards": (), "appraisals": {}}
    )
    slip = paycalc.payslip(worker, "2024-07")
    # 2024-07-22 (Mon) … 07-31 (Wed): 8 weekdays. Member points: 学历 2 + 社工证 2 = 4 → grade 1.
    # 正职 band starts at 7 → grade 7: 3400 × 1.30 × 0.8 = 3536 × 8 / 21.75 = 1300.60 (half up).
    assert slip.amount("base_pay") == Decimal("1300.60")
    assert "8/21.75天" in slip.line("base_pay").basis  # type: ignore[union-attr]


def test_a_month_outside_employment_is_an_error_not_a_zero_slip() -> None:
    future = CHIEF.model_copy(update={"hired_on": date(2024, 4, 1)})
    with pytest.raises(NotEmployed, match="not employed in 2024-03: hired 2024-04-01"):
        paycalc.payslip(future, "2024-03")
    left = CHIEF.model_copy(update={"left_on": date(2023, 12, 31)})
    with pytest.raises(NotEmployed, match="not employed in 2024-01: left 2023-12-31") as caught:
        paycalc.payslip(left, "2024-01")
    assert isinstance(caught.value, PayError)
    assert [str(p) for p in caught.value.problems] == [
        "worker DEMO-0001: 2024-01 left_on: not employed in 2024-01: left 2023-12-31"
    ]


def test_unknown_post_and_grade_outside_band_are_worker_errors() -> None:
    with pytest.raises(
        WorkerError, match=r"post: unknown post '主任'.*expected one of secretary_director"
    ):
        paycalc.payslip(CHIEF.model_copy(update={"post": "主任"}), "2024-03")
    with pytest.raises(WorkerError, match=r"grade: grade 3 is outside the 正职 band 7–18"):
        paycalc.payslip(CHIEF.model_copy(update={"grade": 3}), "2024-03")


def test_a_worker_with_no_scheme_needs_one_from_the_caller() -> None:
    anonymous = CHIEF.model_copy(update={"scheme": None})
    with pytest.raises(WorkerError, match="no scheme named"):
        paycalc.payslip(anonymous, "2024-03")
    assert paycalc.payslip(anonymous, "2024-03", scheme="demo.community-worker").gross == Decimal(
        "5667.00"
    )


MONTHS = st.sampled_from(
    [
        Month(2023, 1),
        Month(2023, 11),
        Month(2024, 1),
        Month(2024, 3),
        Month(2024, 8),
        Month(2025, 1),
    ]
)


@st.composite
def worker_and_month(draw: st.DrawFn, full_month: bool = False) -> tuple[paycalc.Worker, Month]:
    month = draw(MONTHS)
    scheme = REGISTRY.version_for("demo.community-worker", month)
    return draw(workers(scheme, month=month, full_month=full_month)), month


@given(worker_and_month())
def test_lines_sum_exactly_to_the_totals(case: tuple[paycalc.Worker, Month]) -> None:
    slip = paycalc.payslip(*case)
    assert_lines_sum_to_totals(slip)
    assert all(line.amount == line.amount.quantize(Decimal("0.01")) for line in slip.lines)


@given(worker_and_month())
def test_json_parses_back_to_an_equal_slip_and_is_byte_stable(
    case: tuple[paycalc.Worker, Month],
) -> None:
    slip = paycalc.payslip(*case)
    text = slip.to_json()
    assert Payslip.from_json(text) == slip
    assert paycalc.payslip(*case).to_json() == text
    assert "." in json.loads(text)["gross"]  # amounts are strings with two decimals


@given(worker_and_month(full_month=True), st.integers(1, 17))
def test_a_higher_grade_never_lowers_grade_pay(
    case: tuple[paycalc.Worker, Month], raise_by: int
) -> None:
    worker, month = case
    scheme = REGISTRY.version_for("demo.community-worker", month)
    post = scheme.post_code(worker.post)
    assert post is not None
    low, high = scheme.post(post).grades  # type: ignore[misc]
    lower = min(high, low + raise_by // 2)
    higher = min(high, lower + raise_by)
    code = "grade_pay" if scheme.version == "2023-01" else "base_pay"
    pay_low = payslip_for_version(worker.model_copy(update={"grade": lower}), month, scheme).amount(
        code
    )
    pay_high = payslip_for_version(
        worker.model_copy(update={"grade": higher}), month, scheme
    ).amount(code)
    assert pay_high >= pay_low


@given(worker_and_month(full_month=True), st.integers(1, 30))
def test_more_counted_service_never_lowers_the_seniority_allowance(
    case: tuple[paycalc.Worker, Month], years_earlier: int
) -> None:
    worker, month = case
    scheme = REGISTRY.find("demo.community-worker", "2023-01")
    # Hiring earlier, with every added year appraised 合格, adds counted service.
    earlier = date(
        worker.hired_on.year - years_earlier, worker.hired_on.month, min(worker.hired_on.day, 28)
    )
    added = {
        year: paycalc.Appraisal.competent for year in range(earlier.year, worker.hired_on.year)
    }
    veteran = worker.model_copy(
        update={"hired_on": earlier, "appraisals": {**added, **worker.appraisals}}
    )
    before = payslip_for_version(worker, month, scheme).amount("seniority")
    after = payslip_for_version(veteran, month, scheme).amount("seniority")
    assert after >= before


@given(worker_and_month(full_month=False))
def test_a_partial_month_pays_no_line_more_than_the_full_month(
    case: tuple[paycalc.Worker, Month],
) -> None:
    worker, month = case
    scheme = REGISTRY.version_for("demo.community-worker", month)
    # The same worker employed all month; only lines that do not depend on service compare.
    whole = worker.model_copy(
        update={"hired_on": min(worker.hired_on, month.first_day), "left_on": None}
    )
    partial_slip = payslip_for_version(worker, month, scheme)
    full_slip = payslip_for_version(whole, month, scheme)
    assert partial_slip.gross >= 0
    for line in partial_slip.lines:
        if line.code in {
            "post_pay",
            "rating_allowance",
            "social_work_subsidy",
            "education_subsidy",
        }:
            assert 0 <= line.amount <= full_slip.amount(line.code)

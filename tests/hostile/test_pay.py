"""Silent wrong pay: each case once paid a wrong amount (or another month) with exit 0.

A case's ``data``: ``worker`` (a mapping), ``month``, and either ``refused`` (the error class
and a fragment of its message) or ``amounts`` (line code → the amount a hand computation
gives, shown in the case's ``what``); ``drafts`` opts in to draft versions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import paycalc
from paycalc.errors import NotEmployed, SchemeNotFound, WorkerError
from paycalc.scheme import default_registry
from tests.hostile.catalogue import Hostile, cases

KM = "kunming.community-worker"
JC = "jiaocheng.community-worker"


def _km(**fields: Any) -> dict[str, Any]:
    return {"id": "KM-1", "scheme": KM, "post": "正职", "hired_on": "2014-08-01", **fields}


def _jc(**fields: Any) -> dict[str, Any]:
    return {"id": "JC-1", "scheme": JC, "post": "社区主干", "hired_on": "2015-03-01", **fields}


PAY = [
    Hostile(
        "leaver-repaid-under-tax",
        "Kunming 2024 (taxed), left 2024-01-15, paid for 2024-03: was January's slip, exit 0",
        "error",
        {
            "worker": _km(left_on="2024-01-15"),
            "month": "2024-03",
            "refused": (NotEmployed, "not employed in 2024-03: left 2024-01-15"),
        },
    ),
    Hostile(
        "hired-after-the-month-taxed",
        "Kunming 2024, hired after the month: was an IndexError",
        "error",
        {
            "worker": _km(hired_on="2024-05-01"),
            "month": "2024-03",
            "refused": (NotEmployed, "not employed in 2024-03: hired 2024-05-01"),
        },
    ),
    Hostile(
        "left-in-an-earlier-year-taxed",
        "Kunming 2024, left in 2023: was an IndexError",
        "error",
        {
            "worker": _km(left_on="2023-06-30"),
            "month": "2024-03",
            "refused": (NotEmployed, "not employed in 2024-03: left 2023-06-30"),
        },
    ),
    Hostile(
        "draft-in-force-by-default",
        "Jiaocheng 2024 社区主干: the 2022 draft paid 3,600 + 300 of example amounts; 001: 2600",
        "amount",
        {
            "worker": _jc(),
            "month": "2024-06",
            "amounts": {"living_subsidy": "2600.00"},
            "version": "2020-01",
        },
    ),
    Hostile(
        "draft-dropped-the-official-certificate-subsidy",
        "Jiaocheng 2024 非在编 中级: the draft dropped 001's 150 a month",
        "amount",
        {
            "worker": _jc(
                qualifications=[{"kind": "社工证", "level": "中级", "obtained_on": "2019-06-20"}]
            ),
            "month": "2024-06",
            "amounts": {"social_work_subsidy": "150.00"},
        },
    ),
    Hostile(
        "draft-when-opted-in-says-so",
        "the draft priced on purpose: its slip carries the 草案 warning",
        "amount",
        {
            "worker": _jc(post="社区两委主干"),
            "month": "2024-06",
            "drafts": True,
            "amounts": {"base_pay": "3600.00"},
            "warning": "草案",
        },
    ),
    Hostile(
        "basic-appraisal-earned-a-step",
        "draft seniority: 基本称职 counted as passed; 001 grants a step after 考核合格 only "
        "(2019 合格, 2020 基本合格, 2021 合格, 2022 优秀, 2023 合格 → 4 steps × 40 = 160)",
        "amount",
        {
            "worker": _jc(
                hired_on="2019-01-01",
                appraisals={
                    "2019": "合格",
                    "2020": "基本合格",
                    "2021": "合格",
                    "2022": "优秀",
                    "2023": "合格",
                },
            ),
            "month": "2024-06",
            "drafts": True,
            "amounts": {"seniority": "160.00"},
        },
    ),
    Hostile(
        "continuing-education-before-its-start",
        "学历继续教育 deducted (400) in months before the studies start: not any more "
        "(Kunming 2024-03, studies from 2024-09 — the deduction item must be absent)",
        "amount",
        {
            "worker": _km(
                tax={
                    "continuing_education_degree": True,
                    "continuing_education_degree_start": "2024-09-01",
                }
            ),
            "month": "2024-03",
            "no_deduction": "continuing_education_degree",
        },
    ),
    Hostile(
        "appraisal-before-the-hire-year",
        "an appraisal for 2010 of a worker hired in 2014: was silently ignored",
        "error",
        {
            "worker": _km(appraisals={"2010": "优秀"}),
            "month": "2024-03",
            "refused": (WorkerError, "outside the years employed"),
        },
    ),
    Hostile(
        "reward-for-one-day-of-the-year",
        "draft year-end reward, hired 2023-12-31: was paid the whole 6,000; "
        "now 6000 × 1.0 × 1/365 = 16.438… → 16.44",
        "amount",
        {
            "worker": _jc(hired_on="2023-12-31", appraisals={"2023": "合格"}),
            "month": "2024-01",
            "drafts": True,
            "amounts": {"year_end_performance": "16.44"},
        },
    ),
    Hostile(
        "appraisal-year-in-two-spellings",
        'appraisals {"2023": …, " 2023": …}: the last one won',
        "error",
        {
            "worker": _km(appraisals={"2023": "优秀", " 2023": "不称职"}),
            "month": "2024-03",
            "refused": (WorkerError, "the 2023 appraisal is given twice"),
        },
    ),
    Hostile(
        "appraisal-year-as-int-and-text",
        "appraisals {2023: …, '2023': …} through the API: the last one won",
        "error",
        {
            "worker": _km(appraisals={2023: "优秀", "2023": "不称职"}),
            "month": "2024-03",
            "refused": (WorkerError, "the 2023 appraisal is given twice"),
        },
    ),
    Hostile(
        "hired-in-1012",
        "a hire year of 1012: was 1,014 years of service",
        "error",
        {
            "worker": _km(hired_on="1012-08-01"),
            "month": "2024-03",
            "refused": (WorkerError, "outside the dates paycalc accepts"),
        },
    ),
    Hostile(
        "named-draft-before-it-starts",
        "jiaocheng@2022-draft for 2021-06: no silent fallback to another version",
        "error",
        {
            "worker": _jc(scheme=f"{JC}@2022-draft"),
            "month": "2021-06",
            "refused": (SchemeNotFound, "takes effect on 2022-01-01"),
        },
    ),
    Hostile(
        "between-versions",
        "Jiaocheng 2015: 001 gives no figure for 2011–2019; an error, not 2010's or 2020's",
        "error",
        {
            "worker": _jc(),
            "month": "2015-06",
            "refused": (SchemeNotFound, "2010-01 ended on 2010-12-31"),
        },
    ),
]


@pytest.mark.parametrize("case", cases(*PAY))
def test_pay_case(case: Hostile) -> None:
    data = case.data
    registry = default_registry().with_drafts(bool(data.get("drafts")))
    if "refused" in data:
        kind, fragment = data["refused"]
        with pytest.raises(kind, match=fragment) as caught:
            paycalc.payslip(data["worker"], data["month"], schemes=registry)
        assert caught.value.problems  # every refusal says where and why
        return
    slip = paycalc.payslip(data["worker"], data["month"], schemes=registry)
    assert slip.month == data["month"]
    for code, amount in data.get("amounts", {}).items():
        assert slip.amount(code) == Decimal(amount), code
    if "version" in data:
        assert slip.scheme.version == data["version"]
    if "warning" in data:
        assert any(data["warning"] in w for w in slip.warnings)
    if "no_deduction" in data:
        from paycalc.tax import SpecialDeductionClaims, itemised_special_deductions

        worker = paycalc.parse_worker(data["worker"])
        claims = worker.tax.model_dump(exclude=set(worker.tax.NOT_CLAIMS))
        parts = itemised_special_deductions(
            SpecialDeductionClaims(**claims), paycalc.Month.parse(data["month"]).first_day
        )
        assert data["no_deduction"] not in [part.code for part in parts]


TIES = [
    Hostile(
        "part-month-exact-tie",
        "2,300.25 a month for 7 of June's 30 days is 536.725 exactly: half-up gives 536.73; "
        "dividing in 28-digit Decimal first (7/30 = 0.2333…3) paid 536.72",
        "amount",
        {"amount": "2300.25", "hired_on": "2024-06-24", "month": "2024-06", "pay": "536.73"},
    ),
    Hostile(
        "part-month-exact-tie-21.75",
        "21.75 basis: 4 × weekdays / 87 is never a tie of half a fen (87 is odd): "
        "2,000.00 for the 5 weekdays of 2024-06-24..28 → 2000 × 20 / 87 = 459.770… → 459.77",
        "amount",
        {
            "amount": "2000",
            "hired_on": "2024-06-24",
            "month": "2024-06",
            "pay": "459.77",
            "proration": "21.75",
        },
    ),
]


@pytest.mark.parametrize("case", cases(*TIES))
def test_tie_case(case: Hostile) -> None:
    from paycalc.engine import payslip_for_version
    from tests.helpers import GIVEN_GRADE, HEADER, scheme, worker

    data = case.data
    header = HEADER.replace(
        "published_on", f'proration = "{data.get("proration", "calendar")}"\npublished_on'
    )
    version = scheme(
        GIVEN_GRADE
        + f"""
[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = {{ chief = "{data["amount"]}", deputy = 2500, member = 2300 }}
""",
        header=header,
    )
    person = worker(post="chief", grade=9, hired_on=data["hired_on"], scheme="test.scheme")
    slip = payslip_for_version(person, paycalc.Month.parse(data["month"]), version)
    assert slip.amount("post_pay") == Decimal(data["pay"])


COLUMNS = [
    Hostile(
        "columns-wide-row-beside-a-narrow-one",
        "a roster paid by columns where one row's scaled figure needs more than 64 bits and "
        "the other's is 0: numpy refused to multiply the widened (object) column as int64 and "
        "the whole roster crashed (found by the mutation run); every row is paid as its slip",
        "kept",
        {
            "rounding": "ROUND_CEILING",
            "month": "2025-02",  # the columns carry the year from 2025-01, where it broke
            # (hired on, 创收 input): the second row's 0.01 × 1.5% is a sub-fen product
            "rows": [("2000-01-01", "0.00"), ("2025-02-01", "0.01")],
            # chief's 岗位工资 2,800.005 rounded up (ROUND_CEILING) to the fen: 2,800.01
            "amounts": {"post_pay": 280001},
        },
    ),
]


@pytest.mark.parametrize("case", cases(*COLUMNS))
def test_columns_case(case: Hostile) -> None:
    from paycalc.columnar import RosterPay
    from paycalc.columns import from_workers
    from paycalc.scheme import SchemeRegistry
    from tests.columnar.kitchen import kitchen

    data = case.data
    registry = SchemeRegistry([kitchen(data["rounding"])])
    roster = [
        paycalc.parse_worker(
            {"id": f"W-{i}", "scheme": "test.kitchen", "post": "chief", "hired_on": hired,
             "inputs": {"rating": "A", "income": income, "insured": False}}
        )
        for i, (hired, income) in enumerate(data["rows"])
    ]  # fmt: skip
    month = paycalc.Month.parse(data["month"])
    paid, unpaid = RosterPay(from_workers(roster), registry).pay(month)
    assert unpaid == []
    seen = 0
    for result in paid:
        for position, row in enumerate(result.rows.tolist()):
            slip = paycalc.payslip(roster[row], month, schemes=registry)
            assert not result.refused[position]
            lines = dict(result.lines(position))
            assert lines == {line.code: int(line.amount.scaleb(2)) for line in slip.lines}
            for code, fen in data["amounts"].items():
                assert lines[code] == fen, code
            seen += 1
    assert seen == len(roster)

"""蕉城: the official figures of 001_d7907324274c1aa1.txt, pinned independently of the engine.

Source (宁德市蕉城区民政局, reply to proposal 127, 2021-07-05), section 一:
  "2011年以前，社区主干的财政性生活补助标准为每人每月为600元，专职社区成员的财政性生活补助
   标准为每人每月500元；... 至2020年我区社区主干财政性生活补助标准提升至每人每月2600元，
   专职社区成员的财政性生活补助标准为每人每月2000元。"
section 三:
  "蕉城区非在编持证社工人才按初级100元/月、中级150/月、高级200/月进行补贴。"
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from paycalc import payslip
from paycalc.scheme import SchemeRegistry, load_schemes
from paycalc.slip import Payslip
from tests.conftest import SCHEMES

FAMILY = "jiaocheng.community-worker"


@pytest.fixture(scope="module")
def registry() -> SchemeRegistry:
    return load_schemes(SCHEMES)


def worker(post: str, **extra: Any) -> dict[str, Any]:
    return {"id": "JC-T", "scheme": FAMILY, "post": post, "hired_on": "2005-01-01", **extra}


def certificate(level: str, on: str = "2018-05-20") -> dict[str, str]:
    return {"kind": "social_work", "level": level, "obtained_on": on}


def slip(registry: SchemeRegistry, record: dict[str, Any], month: str) -> Payslip:
    return payslip(record, month, schemes=registry)


# "2011年以前 ... 社区主干 ... 每人每月为600元 ... 专职社区成员 ... 每人每月500元"
@pytest.mark.parametrize(("post", "expected"), [("社区主干", 600), ("专职社区成员", 500)])
def test_living_subsidy_before_2011(registry: SchemeRegistry, post: str, expected: int) -> None:
    result = slip(registry, worker(post), "2010-06")
    assert result.amount("living_subsidy") == Decimal(expected)
    assert result.gross == Decimal(expected)
    assert result.scheme.status == "official"
    # No "illustrative" warning on an official slip; but 001 dates the 600/500 standard
    # only "2011年以前", so both ends of 2010 are paycalc's choice, and a 2010 slip says so.
    chosen = "文件未规定, 按 paycalc 所选计算 — chosen by paycalc, not the documents: [scheme] "
    assert [w.removeprefix(chosen).split(":")[0] for w in result.warnings] == [
        "effective_from",
        "effective_until",
    ]


# "至2020年 ... 社区主干 ... 提升至每人每月2600元，专职社区成员 ... 每人每月2000元"
@pytest.mark.parametrize(("post", "expected"), [("principal", 2600), ("member", 2000)])
def test_living_subsidy_2020(registry: SchemeRegistry, post: str, expected: int) -> None:
    result = slip(registry, worker(post), "2020-06")
    assert result.amount("living_subsidy") == Decimal(expected)
    assert result.gross == Decimal(expected)
    assert result.scheme.status == "official"


def test_pre_2011_worker_has_no_certificate_subsidy(registry: SchemeRegistry) -> None:
    # The certificate subsidy is reported only for the 2020-era standard.
    result = slip(
        registry,
        worker("member", qualifications=[certificate("intermediate", "2008-01-01")]),
        "2010-06",
    )
    assert result.gross == Decimal(500)


# "非在编持证社工人才按初级100元/月、中级150/月、高级200/月进行补贴"
@pytest.mark.parametrize(
    ("level", "expected"), [("junior", 100), ("intermediate", 150), ("senior", 200)]
)
def test_non_establishment_certificate_subsidy(
    registry: SchemeRegistry, level: str, expected: int
) -> None:
    result = slip(
        registry,
        worker("member", in_establishment=False, qualifications=[certificate(level)]),
        "2020-06",
    )
    assert result.amount("social_work_subsidy") == Decimal(expected)
    assert result.gross == Decimal(2000 + expected)


def test_intermediate_non_establishment_gets_150_more(registry: SchemeRegistry) -> None:
    plain = slip(registry, worker("principal"), "2020-06")
    certified = slip(registry, worker("principal", qualifications=[certificate("中级")]), "2020-06")
    assert certified.gross - plain.gross == Decimal(150)
    assert certified.gross == Decimal(2600 + 150)


def test_in_establishment_holder_gets_nothing_more(registry: SchemeRegistry) -> None:
    # "非在编" — only workers outside the establishment are paid the certificate subsidy.
    result = slip(
        registry,
        worker("principal", in_establishment=True, qualifications=[certificate("intermediate")]),
        "2020-06",
    )
    assert result.line("social_work_subsidy") is None
    assert result.gross == Decimal(2600)


def test_only_the_highest_certificate_is_paid(registry: SchemeRegistry) -> None:
    record = worker(
        "member",
        qualifications=[
            certificate("junior", "2015-06-01"),
            certificate("intermediate", "2019-06-01"),
        ],
    )
    assert slip(registry, record, "2020-06").amount("social_work_subsidy") == Decimal(150)


def test_draft_pays_the_seniority_step_per_passed_year(registry: SchemeRegistry) -> None:
    # 001: "社区工作者年度考核合格后按照岗位年限津贴标准每年增加相应工资" — one step per passed
    # year. The step (40) is illustrative; the rule is the draft's. Hand count: 2019–2023
    # appraised; 2021 不称职 fails and 2022 基本称职 is not 合格 → 3 passed years → 3 × 40 = 120.
    record = worker(
        "member",
        appraisals={
            "2019": "称职",
            "2020": "优秀",
            "2021": "不称职",
            "2022": "基本称职",
            "2023": "称职",
        },
    )
    result = slip(registry.with_drafts(), record, "2024-06")
    assert result.scheme.version == "2022-draft"
    assert result.scheme.status == "draft"
    assert result.amount("seniority") == Decimal(120)

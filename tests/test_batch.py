"""The fast path of a run gives exactly the itemised engine's slips (and errors)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from paycalc import Month, Payslip, Worker, default_registry, payslip_for_version
from paycalc import payslip as paycalc_payslip
from paycalc.batch import run_workers
from paycalc.codes import Appraisal, AwardLevel, Education, Level, QualificationKind
from paycalc.errors import InputError, PayError
from paycalc.worker import Award, Qualification
from tests.test_payroll import REGISTRY as TAXED_REGISTRY

FAMILY = "demo.community-worker"
POSTS = ["正职", "副职", "专职委员", "委员", "一肩挑", "chief"]
days = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31))
months = st.builds(Month, st.integers(2023, 2026), st.integers(1, 12))

qualifications = st.builds(
    Qualification,
    kind=st.sampled_from(list(QualificationKind)),
    level=st.sampled_from(list(Level)),
    obtained_on=days,
)
awards = st.builds(Award, level=st.sampled_from(list(AwardLevel)), awarded_on=days)


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, object]:
    return {
        "scheme": FAMILY,
        "post": draw(st.sampled_from(POSTS)),
        "in_establishment": draw(st.booleans()),
        "education": draw(st.none() | st.sampled_from(list(Education))),
        "qualifications": tuple(draw(st.lists(qualifications, max_size=2))),
        "appraisals": draw(
            st.dictionaries(st.integers(2015, 2025), st.sampled_from(list(Appraisal)), max_size=4)
        ),
        "awards": tuple(draw(st.lists(awards, max_size=1))),
        "inputs": {"community_rating": draw(st.sampled_from(["A", "B", "C"]))},
        "grade": draw(st.none() | st.integers(1, 12)),
    }


@st.composite
def rosters(draw: st.DrawFn) -> list[Worker]:
    """Workers drawn from a few profiles and hire dates, so that many share a pay profile."""
    pool = draw(st.lists(profiles(), min_size=1, max_size=4))
    hires = draw(st.lists(days, min_size=1, max_size=4))
    leaves = draw(st.lists(st.none() | days, min_size=1, max_size=3))
    workers = []
    for index in range(draw(st.integers(1, 30))):
        hired = draw(st.sampled_from(hires))
        left = draw(st.sampled_from(leaves))
        if left is not None and left < hired:
            left = None
        workers.append(
            Worker.model_construct(
                id=f"W{index}",
                name="",
                hired_on=hired,
                left_on=left,
                contribution_base=None,
                **draw(st.sampled_from(pool)),
            )
        )
    return workers


def _itemised(worker: Worker, month: Month) -> object:
    version = default_registry().version_for(FAMILY, month)
    try:
        return payslip_for_version(worker, month, version)
    except (InputError, PayError) as error:
        return type(error)


@given(rosters(), months)
def test_fast_path_equals_itemised_engine(workers: list[Worker], month: Month) -> None:
    fast = run_workers(workers, month, fast=True)
    slow = run_workers(workers, month, fast=False)
    assert fast.balanced and slow.balanced
    assert [s.slip for s in fast.slips] == [s.slip for s in slow.slips]
    assert fast.errors == slow.errors
    by_id = {s.slip.worker_id: s.slip for s in fast.slips}
    for worker in workers:
        expected = _itemised(worker, month)
        if isinstance(expected, Payslip):
            assert by_id[worker.id] == expected
        else:
            assert worker.id not in by_id


def test_fast_path_computes_each_profile_once() -> None:
    # 40 workers, two profiles (正职 / 副职), all hired 2012-03-15: two slips computed.
    base = {"scheme": FAMILY, "hired_on": date(2012, 3, 15), "inputs": {"community_rating": "B"}}
    workers = [
        Worker.model_validate({**base, "id": f"W{i}", "post": "正职" if i % 2 else "副职"})
        for i in range(40)
    ]
    result = run_workers(workers, "2024-03")
    assert result.computed == 2
    assert result.summary() == "40 rows in = 40 slips + 0 not employed + 0 errors"
    assert [s.slip.worker_id for s in result.slips] == [f"W{i}" for i in range(40)]


@given(
    st.lists(
        st.sampled_from([date(2024, 1, 10), date(2024, 1, 20), date(2023, 5, 1)]),
        min_size=2,
        max_size=8,
    ),
    st.sampled_from([Month(2024, 3), Month(2024, 9)]),
)
def test_fast_path_equals_the_engine_when_tax_depends_on_earlier_months(
    hires: list[date], month: Month
) -> None:
    # Under income tax, March's withholding counts January: two workers hired on 10 and 20
    # January have served the same whole months by March but were paid differently in
    # January, so their March tax differs and the fast path must not share their slip.
    # (tests/test_payroll.py's scheme: 正职 10,000 a month, yunnan.kunming contributions.)
    base = {"scheme": "test.scheme", "post": "chief", "contribution_base": "10000"}
    workers = [
        Worker.model_validate({**base, "id": f"K{i}", "hired_on": hired})
        for i, hired in enumerate(hires)
    ]
    fast = run_workers(workers, month, schemes=TAXED_REGISTRY, fast=True)
    expected = {w.id: paycalc_payslip(w, month, schemes=TAXED_REGISTRY) for w in workers}
    assert {s.slip.worker_id: s.slip for s in fast.slips} == expected

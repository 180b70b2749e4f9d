"""Properties over every bundled version, with workers placed around every boundary.

Hire and leave dates fall just before, on, and just after the month's and the year's
edges; certificates and awards around the month; appraisals for each year of employment.
For every bundled version (taxed and untaxed, the draft included when opted in):

- a month without a day of employment is refused (``NotEmployed``), never a zero slip and
  never another month's slip;
- otherwise the slip is for the month asked, its lines sum to its totals, net is gross less
  deductions, tax withheld is never negative, a rerun is byte-identical, and each prorated
  line is at most the full month's;
- the vectorised month (where it pays a row) equals the itemised slip line by line.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import paycalc
from paycalc.errors import NotEmployed, PaycalcError
from paycalc.period import Month
from paycalc.scheme import SchemeVersion, default_registry
from paycalc.testing import assert_lines_sum_to_totals
from paycalc.worker import Worker, parse_worker
from tests.columnar.test_parity import check_parity

REGISTRY = default_registry().with_drafts()
VERSIONS = sorted(REGISTRY, key=lambda v: (v.family, v.version))


def _months_in_force(version: SchemeVersion) -> list[Month]:
    """Months (up to 30 from its start) in which ``version`` is the one in force."""
    start = Month.of(version.effective_from)
    found = []
    for offset in range(30):
        month = start.plus(offset)
        try:
            if REGISTRY.version_for(version.family, month) is version:
                found.append(month)
        except PaycalcError:
            pass
    return found


CASES = [(version, month) for version in VERSIONS for month in _months_in_force(version)]


def _edges(month: Month) -> list[date]:
    """Days around the month's and the year's edges, and a long career's start."""
    first, last = month.first_day, month.last_day
    year_start, year_end = date(month.year, 1, 1), date(month.year - 1, 12, 31)
    days = {first, last, first + timedelta(days=14), year_start, year_end, date(1995, 6, 30)}
    for day in (first, last, year_start):
        days |= {day - timedelta(days=1), day + timedelta(days=1)}
    return sorted(days)


@st.composite
def boundary_workers(draw: st.DrawFn, version: SchemeVersion, month: Month) -> Worker:
    edges = _edges(month)
    hired_on = draw(st.sampled_from(edges))
    leaving = [day for day in edges if day >= hired_on]
    left_on = draw(st.none() | st.sampled_from(leaving))
    last_year = min(month.year + 1, left_on.year if left_on else month.year + 1)
    post = draw(st.sampled_from(sorted(version.spec.posts)))
    band = version.post(post).grades
    grade = None
    rule = version.spec.grade
    if band is not None and rule is not None and (rule.method == "given" or draw(st.booleans())):
        grade = draw(st.integers(band[0], band[1]))
    around = [month.first_day - timedelta(days=1), month.first_day, month.last_day]
    around.append(month.last_day + timedelta(days=1))
    data = {
        "id": "B-1",
        "scheme": version.family,
        "post": post,
        "grade": grade,
        "hired_on": hired_on.isoformat(),
        "left_on": left_on.isoformat() if left_on else None,
        "in_establishment": draw(st.booleans()),
        "education": draw(st.sampled_from([None, "college", "bachelor", "master"])),
        "appraisals": {
            str(year): draw(st.sampled_from(["excellent", "competent", "basic", "incompetent"]))
            for year in range(hired_on.year, last_year + 1)
        },
        "qualifications": [
            {"kind": kind, "level": level, "obtained_on": day.isoformat()}
            for kind, level, day in draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(["social_work", "title"]),
                        st.sampled_from(["junior", "intermediate", "senior"]),
                        st.sampled_from(around),
                    ),
                    max_size=2,
                )
            )
        ],
        "awards": [
            {"level": level, "awarded_on": day.isoformat()}
            for level, day in draw(
                st.lists(
                    st.tuples(st.sampled_from(["district", "city"]), st.sampled_from(around)),
                    max_size=1,
                )
            )
            if day >= hired_on
        ],
        "inputs": {
            name: (
                spec.choices[0]
                if spec.type == "choice"
                else True
                if spec.type == "yes_no"
                else "300000"
            )
            for name, spec in version.spec.inputs.items()
        },
    }
    return parse_worker(data)


def _employed(worker: Worker, month: Month) -> bool:
    return worker.hired_on <= month.last_day and (
        worker.left_on is None or worker.left_on >= month.first_day
    )


def _full_month(worker: Worker, month: Month) -> Worker:
    return worker.model_copy(update={"hired_on": date(1995, 6, 30), "left_on": None})


@settings(max_examples=max(300, settings().max_examples))
@given(data=st.data())
def test_every_version_around_every_boundary(data: st.DataObject) -> None:
    version, month = data.draw(st.sampled_from(CASES), label="version, month")
    worker = data.draw(boundary_workers(version, month), label="worker")
    if not _employed(worker, month):
        event("not employed")
        with pytest.raises(NotEmployed, match=f"not employed in {month}"):
            paycalc.payslip(worker, month, schemes=REGISTRY)
        return
    try:
        slip = paycalc.payslip(worker, month, schemes=REGISTRY)
    except NotEmployed:  # pragma: no cover - the property fails below
        raise
    except PaycalcError as error:
        event(f"refused: {type(error).__name__}")
        return  # refused with its problems (a yearly payment needs an appraisal, ...)
    event("paid, taxed" if version.spec.scheme.income_tax else "paid")
    assert slip.month == str(month)
    assert slip.scheme.version == version.version
    assert_lines_sum_to_totals(slip)
    assert slip.net == slip.gross - slip.deductions
    for code in ("income_tax", "bonus_income_tax"):
        assert slip.amount(code) >= 0
    again = paycalc.payslip(worker, month, schemes=REGISTRY)
    assert again.to_json() == slip.to_json()
    if worker.hired_on > month.first_day or (
        worker.left_on is not None and worker.left_on < month.last_day
    ):
        _part_month_pays_no_more(worker, month, slip)


def _part_month_pays_no_more(worker: Worker, month: Month, slip: paycalc.Payslip) -> None:
    """Each monthly line of a part month is at most the full month's (same record)."""
    try:
        full = paycalc.payslip(_full_month(worker, month), month, schemes=REGISTRY)
    except PaycalcError:
        return
    in_full = {x.code for x in full.lines}
    for line in slip.lines:
        # an earning prorated by the month's days ("… × 17/31天"), not a part-year reward
        prorated = line.basis.endswith("天") and "在岗" not in line.basis
        if line.category == "earning" and line.code in in_full and prorated:
            assert line.amount <= full.amount(line.code), (line, full.line(line.code))
    assert slip.gross <= full.gross + sum(
        (x.amount for x in slip.lines if not x.basis.endswith("天")), Decimal(0)
    )


@settings(max_examples=max(150, settings().max_examples))
@given(data=st.data())
def test_the_columnar_month_equals_the_explained_slip_around_every_boundary(
    data: st.DataObject,
) -> None:
    version, month = data.draw(st.sampled_from(CASES), label="version, month")
    roster = [
        w.model_copy(update={"id": f"B-{i}"})
        for i, w in enumerate(
            data.draw(st.lists(boundary_workers(version, month), min_size=1, max_size=5))
        )
    ]
    check_parity(month, roster)

"""The columnar engine equals the explained slip, line by line, on every row it pays.

Both run the same rule book (paycalc.evaluate) on different containers — Python integers
for one worker, numpy columns for many — so these tests guard the containers: the ops, the
facts of one worker against the columns of many, and the month-to-month carrying of the
tax year. Every bundled version (drafts included), a scheme with every component kind in
every rounding mode, and one at the edges of 64-bit arithmetic.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paycalc
from paycalc import Month
from paycalc.columnar import RosterPay
from paycalc.columns import from_workers
from paycalc.errors import NotEmployed, PaycalcError
from paycalc.money import ROUNDING_MODES
from paycalc.scheme import SchemeRegistry, SchemeVersion, default_registry
from paycalc.testing import workers
from paycalc.worker import Worker
from tests.columnar.kitchen import extreme, kitchen
from tests.helpers import worker

REGISTRY = default_registry().with_drafts()
VERSIONS = sorted(REGISTRY, key=lambda v: (v.family, v.version))
KITCHENS = {mode: kitchen(mode) for mode in sorted(ROUNDING_MODES)}
EXTREMES = {mode: extreme(mode) for mode in sorted(ROUNDING_MODES)}


def _fen(slip: paycalc.Payslip) -> list[tuple[str, int]]:
    return [(line.code, int(line.amount.scaleb(2))) for line in slip.lines]


def check_parity(
    month: Month, roster: list[Worker], registry: SchemeRegistry = REGISTRY
) -> int:
    """Assert the columns' figures equal each worker's slip; return the rows compared."""
    pay = RosterPay(from_workers(roster), registry)
    paid, unpaid = pay.pay(month)
    seen = 0
    for result in paid:
        for position, row in enumerate(result.rows.tolist()):
            person = roster[row]
            try:
                slip = paycalc.payslip(person, month, schemes=registry)
            except NotEmployed:
                raise AssertionError(f"{person.id} paid by the columns, not employed") from None
            except PaycalcError:
                assert result.refused[position], (person, "the explained engine refuses it")
                continue
            assert not result.refused[position], (person, "refused by the columns only")
            assert result.lines(position) == _fen(slip), (person, month)
            assert int(result.gross[position]) == int(slip.gross.scaleb(2))
            assert int(result.deductions[position]) == int(slip.deductions.scaleb(2))
            assert int(result.employer_cost[position]) == int(slip.employer_cost.scaleb(2))
            seen += 1
    for rows, _ in unpaid:
        for row in rows.tolist():
            with pytest.raises(PaycalcError):
                paycalc.payslip(roster[row], month, schemes=registry)
    return seen


def _in_force(version: SchemeVersion, offset: int) -> Month:
    return Month.of(version.effective_from).plus(offset)


@st.composite
def rosters(draw: st.DrawFn, version: SchemeVersion, month: Month) -> list[Worker]:
    people = draw(st.lists(workers(version, month=month, full_month=False), max_size=6))
    if version.spec.scheme.contribution_table is not None:
        bases = st.none() | st.decimals(0, 40000, places=3, allow_nan=False)
        people = [p.model_copy(update={"contribution_base": draw(bases)}) for p in people]
    return [p.model_copy(update={"id": f"W-{i}"}) for i, p in enumerate(people)]


@given(data=st.data())
def test_bundled_versions(data: st.DataObject) -> None:
    version = data.draw(st.sampled_from(VERSIONS))
    month = _in_force(version, data.draw(st.integers(0, 40)))
    try:
        if REGISTRY.version_for(version.family, month) is not version:
            return
    except PaycalcError:
        return
    check_parity(month, data.draw(rosters(version, month)))


def _alone(version: SchemeVersion) -> SchemeRegistry:
    return SchemeRegistry([version])


@given(data=st.data())
def test_every_kind_and_rounding_mode(data: st.DataObject) -> None:
    version = KITCHENS[data.draw(st.sampled_from(sorted(KITCHENS)))]
    month = Month(2024, 1).plus(data.draw(st.integers(0, 23)))
    check_parity(month, data.draw(rosters(version, month)), _alone(version))


@given(data=st.data())
def test_figures_at_the_edges_of_64_bit_arithmetic(data: st.DataObject) -> None:
    version = EXTREMES[data.draw(st.sampled_from(sorted(EXTREMES)))]
    month = Month(2024, 1).plus(data.draw(st.integers(0, 23)))
    check_parity(month, data.draw(rosters(version, month)), _alone(version))


@settings(max_examples=max(30, settings().max_examples // 3))
@given(data=st.data())
def test_a_taxed_year_month_by_month_and_out_of_order(data: st.DataObject) -> None:
    # Kunming 2024 withholds income tax: each month carries the year before it. The
    # columns are asked in a drawn order (a skipped month, a month again, back in time).
    version = REGISTRY.find("kunming.community-worker", "2024-01")
    months = data.draw(st.lists(st.integers(1, 12), min_size=1, max_size=5))
    people = data.draw(rosters(version, Month(2024, 6)))
    pay = RosterPay(from_workers(people), REGISTRY)
    for number in months:
        month = Month(2024, number)
        paid, _ = pay.pay(month)
        for result in paid:
            for position, row in enumerate(result.rows.tolist()):
                try:
                    slip = paycalc.payslip(people[row], month, schemes=REGISTRY)
                except PaycalcError:
                    assert result.refused[position]
                    continue
                assert result.lines(position) == _fen(slip), (people[row], month)


def test_edge_cases_of_every_bundled_version_for_fourteen_months() -> None:
    """Hand-built edge cases: long careers past the band, a certificate and award this
    month, failed years, given grades at the band's top, part months, an unknown post."""
    for version in VERSIONS:
        for offset in range(14):
            month = _in_force(version, offset)
            try:
                if REGISTRY.version_for(version.family, month) is not version:
                    continue
            except PaycalcError:
                continue
            check_parity(month, _edge_cases(version, month))


def _edge_cases(version: SchemeVersion, month: Month) -> list[Worker]:
    posts = sorted(version.spec.posts)
    inputs = {
        name: (
            spec.choices[0]
            if spec.type == "choice"
            else True
            if spec.type == "yes_no"
            else "12345.67"
        )
        for name, spec in version.spec.inputs.items()
    }
    first = month.first_day
    prev = month.plus(-1).first_day
    mid = month.plus(-30).first_day.replace(day=15).isoformat()
    out = []
    for index, post in enumerate(posts):
        band = version.post(post).grades
        common = {"post": post, "inputs": inputs, "scheme": version.family}
        out += [
            worker(
                **common,
                hired_on="1986-01-01",
                education="doctorate",
                appraisals={str(y): "excellent" for y in range(1986, month.year)},
                qualifications=[
                    {"kind": "social_work", "level": "senior", "obtained_on": "1990-03-03"},
                    {"kind": "title", "level": "senior", "obtained_on": "1991-03-03"},
                ],
                awards=[{"level": "national", "awarded_on": "1995-05-05"}],
                contribution_base="99999",
            ),
            worker(
                **common,
                hired_on=prev.isoformat(),
                qualifications=[
                    {"kind": "social_work", "level": "junior", "obtained_on": prev.isoformat()},
                    {"kind": "social_work", "level": "senior", "obtained_on": first.isoformat()},
                    {"kind": "title", "level": "junior", "obtained_on": first.isoformat()},
                ],
                awards=[
                    {"level": "city", "awarded_on": prev.isoformat()},
                    {"level": "province", "awarded_on": prev.isoformat()},
                ],
            ),
            worker(
                **common,
                hired_on=date(2011, 1, 31).isoformat(),
                appraisals={str(y): "incompetent" for y in range(2011, month.year)},
                in_establishment=True,
            ),
            worker(**common, hired_on=mid, grade=band[1] if band else None),
            worker(**common, hired_on=mid, left_on=first.replace(day=10).isoformat()),
        ]
        if index == 0:
            out.append(worker(**{**common, "post": "no such post"}, hired_on=mid))
    return [w.model_copy(update={"id": f"E-{i}"}) for i, w in enumerate(out)]


def test_caps_bind_in_the_kitchen_scheme() -> None:
    version = kitchen()
    month = Month(2025, 1)
    people = _edge_cases(version, month)
    assert check_parity(month, people, _alone(version)) >= 10
    paid, _ = RosterPay(from_workers(people), _alone(version)).pay(month)
    capped = [line for line in paid[0].codes if line in ("performance", "post_pay")]
    assert capped
